//! Inputs for cairn's benchmarks: the corpus FIT files, and large synthetic
//! archives made from their real records with shifted times (written by
//! cairn's own FIT encoder, so every file is distinct and decodes cleanly).

use std::io;
use std::path::{Path, PathBuf};

fn with_path(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "{}: {e} (set CAIRN_CORPUS to the corpus folder)",
            path.display()
        ),
    )
}

pub fn corpus_dir() -> PathBuf {
    std::env::var_os("CAIRN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"))
}

/// Every visible, uncompressed corpus FIT file: (name, bytes).
pub fn corpus_fit_files() -> io::Result<Vec<(String, Vec<u8>)>> {
    let dir = corpus_dir().join("fit");
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| with_path(&dir, e))?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        // The one gzipped corpus file is decoded by the import benchmark, not here.
        if p.extension().is_some_and(|e| e == "fit") {
            let bytes = std::fs::read(&p).map_err(|e| with_path(&p, e))?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((name, bytes));
        }
    }
    Ok(out)
}

/// Writes `n` distinct FIT activity files into `dir`, made from the corpus's
/// real activities moved to one per two days back from 2026. Returns the
/// number of records written.
pub fn make_archive(dir: &Path, n: usize) -> io::Result<u64> {
    std::fs::create_dir_all(dir).map_err(|e| with_path(dir, e))?;
    let mut sources = Vec::new();
    for (_, bytes) in corpus_fit_files()? {
        if let Ok(f) = cairn_core::decode::fit::decode(&bytes) {
            sources.extend(
                f.activities
                    .into_iter()
                    .filter(|a| a.samples.len() >= 100 && a.flags.is_empty()),
            );
        }
    }
    if sources.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "no corpus activities to build the archive from",
        ));
    }
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
        std::fs::create_dir_all(&sub).map_err(|e| with_path(&sub, e))?;
        let path = sub.join(format!("activity-{i:06}.fit"));
        std::fs::write(&path, cairn_core::encode::fit::encode(&a))
            .map_err(|e| with_path(&path, e))?;
    }
    Ok(records)
}

/// The synthetic archive of `n` files in the temporary folder, generated once
/// (a `.complete` marker says it is whole) and reused by every benchmark.
pub fn default_archive(n: usize) -> io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("cairn-bench-archive-{n}"));
    let marker = dir.join(".complete");
    if !marker.exists() {
        let t = std::time::Instant::now();
        let records = make_archive(&dir, n)?;
        std::fs::write(&marker, records.to_string()).map_err(|e| with_path(&marker, e))?;
        eprintln!(
            "generated {n} files, {records} records in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    Ok(dir)
}

/// The default archive of `n` files imported into a fresh data directory
/// (kept alive by the returned guard).
pub fn imported_archive(
    n: usize,
) -> Result<(cairn_app::Cairn, tempfile::TempDir), Box<dyn std::error::Error>> {
    let archive = default_archive(n)?;
    let data = tempfile::tempdir()?;
    let mut cairn = cairn_app::Cairn::open(data.path())?;
    let opts = cairn_app::ImportOptions {
        limits: Default::default(),
        now_ms: 1_795_000_000_000,
        threads: 0,
    };
    cairn.import(std::slice::from_ref(&archive), &opts, &mut |_| {})?;
    Ok((cairn, data))
}
