//! Finds the shared real-device corpus for tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `$CAIRN_CORPUS`, else `../shared/corpus` beside the checkout. When missing,
/// returns `None` (the test prints that it skipped) unless `CI` is set, where
/// a missing corpus is a failure.
pub fn corpus_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CAIRN_CORPUS").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")),
    ];
    for c in candidates.into_iter().flatten() {
        if c.join("expected.json").is_file() {
            return Some(c);
        }
    }
    if std::env::var_os("CI").is_some() {
        panic!("CI is set but the corpus was not found: set CAIRN_CORPUS or put shared/corpus beside the checkout");
    }
    eprintln!("SKIPPED: corpus not found (set CAIRN_CORPUS); corpus tests did not run");
    None
}

pub fn expected(dir: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("read expected.json");
    serde_json::from_str(&text).expect("parse expected.json")
}

/// Reads a corpus file, un-gzipping `.gz`.
pub fn read(dir: &std::path::Path, rel: &str) -> Vec<u8> {
    let bytes = std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    if rel.ends_with(".gz") {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .expect("gunzip");
        out
    } else {
        bytes
    }
}

/// Asserts two numbers agree within `tol` (absolute), naming the file and field.
pub fn close(file: &str, field: &str, got: Option<f64>, want: &serde_json::Value, tol: f64) {
    let want = want.as_f64();
    match (got, want) {
        (None, None) => {}
        (Some(g), Some(w)) => assert!(
            (g - w).abs() <= tol,
            "{file}: {field}: cairn {g} vs oracle {w} (tolerance {tol})"
        ),
        (g, w) => panic!("{file}: {field}: cairn {g:?} vs oracle {w:?}"),
    }
}
