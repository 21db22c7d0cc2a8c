//! What the app's integration tests share: where the corpus is, and an
//! archive with some of it imported.

use cairn_app::{Cairn, ImportOptions};
use std::path::PathBuf;

/// The corpus (`$CAIRN_CORPUS`, else `../shared/corpus`); `None` only
/// outside CI, where a missing corpus skips instead of failing.
pub fn corpus() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CAIRN_CORPUS").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")),
    ];
    if let Some(c) = candidates
        .into_iter()
        .flatten()
        .find(|c| c.join("expected.json").is_file())
    {
        return Some(c);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but the corpus was not found"
    );
    eprintln!("SKIPPED: corpus not found (set CAIRN_CORPUS)");
    None
}

/// A new archive with these corpus folders imported.
#[allow(dead_code)] // not every test binary imports
pub fn imported(corpus: &std::path::Path, folders: &[&str]) -> (tempfile::TempDir, Cairn) {
    let dir = tempfile::tempdir().unwrap();
    let mut cairn = Cairn::open(dir.path()).unwrap();
    let opts = ImportOptions {
        limits: Default::default(),
        now_ms: 1_900_000_000_000,
        threads: 0,
    };
    let paths: Vec<PathBuf> = folders.iter().map(|f| corpus.join(f)).collect();
    cairn.import(&paths, &opts, &mut |_| {}).unwrap();
    (dir, cairn)
}
