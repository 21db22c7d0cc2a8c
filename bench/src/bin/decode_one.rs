//! Decodes one FIT file many times (for profilers).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: decode_one FILE [REPS]")?;
    let reps: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(10);
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut n = 0;
    for _ in 0..reps {
        n += cairn_core::decode::fit::reader::read(&bytes)
            .map(|r| r.records.len())
            .unwrap_or(0);
    }
    println!("{n}");
    Ok(())
}
