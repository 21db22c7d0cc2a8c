//! Inputs for cairn's benchmarks: the corpus FIT files, and large synthetic
//! archives made from their real records with shifted times (written by
//! cairn's own FIT encoder, so every file is distinct and decodes cleanly).

use std::path::{Path, PathBuf};

pub fn corpus_dir() -> PathBuf {
    std::env::var_os("CAIRN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"))
}

/// Every visible, uncompressed corpus FIT file: (name, bytes).
pub fn corpus_fit_files() -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir().join("fit");
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (set CAIRN_CORPUS)", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let bytes = std::fs::read(&p).expect("read corpus file");
        // The one gzipped corpus file is decoded by the import benchmark, not here.
        if p.extension().is_some_and(|e| e == "fit") {
            out.push((p.file_name().unwrap().to_string_lossy().into_owned(), bytes));
        }
    }
    out
}

/// Writes `n` distinct FIT activity files into `dir`, made from the corpus's
/// real activities moved to one per two days back from 2026. Returns the
/// number of records written.
pub fn make_archive(dir: &Path, n: usize) -> u64 {
    std::fs::create_dir_all(dir).expect("create archive dir");
    let mut sources = Vec::new();
    for (_, bytes) in corpus_fit_files() {
        if let Ok(f) = cairn_core::decode::fit::decode(&bytes) {
            sources.extend(
                f.activities
                    .into_iter()
                    .filter(|a| a.samples.len() >= 100 && a.flags.is_empty()),
            );
        }
    }
    assert!(!sources.is_empty(), "no corpus activities to build from");
    let day_ms = 86_400_000i64;
    let base = 1_780_000_000_000i64; // 2026-05
    let mut records = 0u64;
    for i in 0..n {
        let mut a = sources[i % sources.len()].clone();
        let shift = base - (i as i64) * 2 * day_ms - a.start_ms;
        a.start_ms += shift;
        for t in a.samples.time_ms.iter_mut() {
            *t += shift;
        }
        for l in a.laps.iter_mut() {
            l.start_ms += shift;
        }
        records += a.samples.len() as u64;
        let sub = dir.join(format!("{:03}", i / 1000));
        std::fs::create_dir_all(&sub).expect("create subfolder");
        std::fs::write(
            sub.join(format!("activity-{i:06}.fit")),
            cairn_core::encode::fit::encode(&a),
        )
        .expect("write FIT");
    }
    records
}
