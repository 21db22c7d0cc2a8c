//! Decoding time per corpus FIT file, to find the slow ones.
fn main() -> std::io::Result<()> {
    for (name, bytes) in cairn_bench::corpus_fit_files()? {
        let t = std::time::Instant::now();
        let mut n = 0;
        let reps = 20;
        for _ in 0..reps {
            n = cairn_core::decode::fit::reader::read(&bytes)
                .map(|r| r.records.len())
                .unwrap_or(0);
        }
        let ns = t.elapsed().as_nanos() as f64 / reps as f64;
        println!(
            "{name:60} {n:7} records {:8.0} ns/record {:7.1} MB/s",
            ns / n.max(1) as f64,
            bytes.len() as f64 / ns * 1e3
        );
    }
    Ok(())
}
