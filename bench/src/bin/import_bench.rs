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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3000);
    // An existing folder given explicitly (e.g. `cairn demo --out DIR`) is used as it is.
    let archive = match args.next().map(PathBuf::from) {
        Some(dir) if dir.is_dir() => dir,
        Some(dir) => return Err(format!("{}: not a folder", dir.display()).into()),
        None => cairn_bench::default_archive(n)?,
    };
    let bytes: u64 = walk_size(&archive);
    let now_ms = 1_795_000_000_000;
    let data = tempfile::tempdir()?;
    let mut cairn = Cairn::open(data.path())?;
    let opts = ImportOptions {
        limits: Default::default(),
        now_ms,
        threads: 0,
    };
    let mut run = || -> Result<(f64, cairn_app::ImportReport), Box<dyn std::error::Error>> {
        let t = Instant::now();
        let report = cairn.import(std::slice::from_ref(&archive), &opts, &mut |_| {})?;
        let secs = t.elapsed().as_secs_f64();
        if !report.failed.is_empty() {
            return Err(format!(
                "{} files failed: {:?}",
                report.failed.len(),
                report.failed.first()
            )
            .into());
        }
        Ok((secs, report))
    };
    let (first, r1) = run()?;
    let (second, r2) = run()?;
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
    Ok(())
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
