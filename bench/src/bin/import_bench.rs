//! End-to-end import benchmark: decode + clean + metrics + compress + store,
//! over a large archive of distinct FIT files, then a second import of the
//! same archive (nothing new: every file is recognised by its hash).
//! `bench/run.sh` runs it pinned to one core and on all cores and prints the ratio.
//!
//! Usage: `import_bench [FILES] [ARCHIVE_DIR]` (default 3000 files); an
//! existing ARCHIVE_DIR, such as `cairn demo --years 10 --out DIR`, is imported as it is.

use cairn_app::{Cairn, ImportOptions};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3000);
    let archive = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("cairn-bench-archive-{n}")));
    // An existing folder given explicitly (e.g. `cairn demo --out DIR`) is used as it is.
    let given = std::env::args().nth(2).is_some() && archive.is_dir();
    let marker = archive.join(".complete");
    if !given && !marker.exists() {
        let t = Instant::now();
        let records = cairn_bench::make_archive(&archive, n);
        std::fs::write(&marker, records.to_string()).expect("write marker");
        eprintln!(
            "generated {n} files, {records} records in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let bytes: u64 = walk_size(&archive);
    let now_ms = 1_795_000_000_000;
    let run = |threads: usize, data: &std::path::Path| {
        let mut cairn = Cairn::open(data).expect("open data dir");
        let opts = ImportOptions {
            limits: Default::default(),
            now_ms,
            threads,
        };
        let t = Instant::now();
        let report = cairn
            .import(std::slice::from_ref(&archive), &opts, &mut |_| {})
            .expect("import");
        let secs = t.elapsed().as_secs_f64();
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        (secs, report)
    };
    let data = tempfile::tempdir().expect("tempdir");
    let (first, r1) = run(0, data.path());
    let (second, r2) = run(0, data.path());
    let records = r1.samples_imported as f64;
    println!(
        "archive: {} files, {} records, {:.1} MB",
        r1.files_seen,
        r1.samples_imported,
        bytes as f64 / 1e6
    );
    println!(
        "first import:  {first:7.2} s  {:>10.0} records/s  {:>6.1} MB/s  ({} activities)",
        records / first,
        bytes as f64 / 1e6 / first,
        r1.activities_imported
    );
    println!(
        "second import: {second:7.2} s  ({} files already imported, {} activities added)",
        r2.already_imported, r2.activities_imported
    );
    println!("ratio first / second import: {:.1}x", first / second);
    println!(
        "RESULT first_s={first:.4} second_s={second:.4} records={}",
        r1.samples_imported
    );
}

fn walk_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        walk_size(&path)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
