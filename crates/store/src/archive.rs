//! The original files, byte for byte, named by their SHA-256, and a journal
//! of who imported each one from where, so the whole database can be derived
//! again from the archive alone (`cairn rebuild`).

use crate::{Result, StoreError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A content-addressed folder: `ab/cdef…` for hash `abcdef…`, plus
/// `journal.jsonl`, one line per file stored.
#[derive(Debug, Clone)]
pub struct Archive {
    dir: PathBuf,
}

/// One journal line: an original and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub sha256: String,
    pub athlete: String,
    pub source: String,
    pub format: String,
    pub imported_at_ms: i64,
    /// What an export said about it (Strava's name, type, description, gear).
    #[serde(default)]
    pub export_meta: Option<serde_json::Value>,
}

/// What checking one original found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginalState {
    Intact,
    Missing,
    /// Present, but its bytes no longer hash to its name.
    Corrupt,
}

/// Held while an import runs: one import at a time per archive, the next
/// one waits (released when dropped, or when the process dies).
#[derive(Debug)]
pub struct ImportLock(#[allow(dead_code)] std::fs::File);

/// Temporary files older than this are left over from a crash (s).
const STALE_TEMPORARY_S: u64 = 3600;

impl Archive {
    pub fn new(dir: impl Into<PathBuf>) -> Archive {
        Archive { dir: dir.into() }
    }

    fn path(&self, sha256: &str) -> PathBuf {
        let (head, tail) = sha256.split_at(2.min(sha256.len()));
        self.dir.join(head).join(tail)
    }

    fn err(path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Archive {
            path: path.display().to_string(),
            source,
        }
    }

    /// Stores the bytes unless already present. Written to a temporary file,
    /// synced, renamed and the folder synced, so a crash never leaves a
    /// half-written original, nor a database row whose original is lost.
    pub fn put(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(sha256);
        if path.metadata().is_ok_and(|m| m.len() == bytes.len() as u64) {
            return Ok(());
        }
        let parent = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent).map_err(|e| Self::err(parent, e))?;
        let tmp = parent.join(format!(".{}.tmp{}", sha256, std::process::id()));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_data()?;
            std::fs::rename(&tmp, &path)?;
            std::fs::File::open(parent)?.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(Self::err(&path, e));
        }
        Ok(())
    }

    /// Writes an original again (a missing or corrupt one), whatever is there.
    pub fn restore(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(sha256);
        if path.exists() {
            std::fs::remove_file(&path).map_err(|e| Self::err(&path, e))?;
        }
        self.put(sha256, bytes)
    }

    pub fn get(&self, sha256: &str) -> Result<Vec<u8>> {
        let path = self.path(sha256);
        std::fs::read(&path).map_err(|e| Self::err(&path, e))
    }

    /// Whether the original is there and still hashes to its name.
    pub fn check(&self, sha256: &str) -> OriginalState {
        match std::fs::read(self.path(sha256)) {
            Err(_) => OriginalState::Missing,
            Ok(bytes) if hex(&Sha256::digest(&bytes)) == sha256 => OriginalState::Intact,
            Ok(_) => OriginalState::Corrupt,
        }
    }

    /// Whether the original of that name holds exactly these bytes (a
    /// re-import compares, so a damaged original is written again).
    pub fn holds(&self, sha256: &str, bytes: &[u8]) -> bool {
        let path = self.path(sha256);
        path.metadata().is_ok_and(|m| m.len() == bytes.len() as u64)
            && std::fs::read(&path).is_ok_and(|stored| stored == bytes)
    }

    /// Every original's hash, from the file names.
    pub fn hashes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let Ok(heads) = std::fs::read_dir(&self.dir) else {
            return out;
        };
        for head in heads.flatten() {
            let name = head.file_name().to_string_lossy().to_string();
            if name.len() != 2 || !head.path().is_dir() {
                continue;
            }
            if let Ok(tails) = std::fs::read_dir(head.path()) {
                for tail in tails.flatten() {
                    let t = tail.file_name().to_string_lossy().to_string();
                    if !t.starts_with('.') && t.len() == 62 {
                        out.push(format!("{name}{t}"));
                    }
                }
            }
        }
        out.sort();
        out
    }

    /// Removes temporary files a crash left behind (`.…tmpPID`): those of a
    /// process that no longer runs, or older than an hour. Returns how many.
    pub fn remove_leftovers(&self) -> usize {
        let mut removed = 0;
        let Ok(heads) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        for head in heads.flatten().filter(|h| h.path().is_dir()) {
            let Ok(files) = std::fs::read_dir(head.path()) else {
                continue;
            };
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().to_string();
                let Some(pid) = name.rsplit_once(".tmp").map(|(_, p)| p.to_string()) else {
                    continue;
                };
                if !name.starts_with('.') {
                    continue;
                }
                let alive = pid.parse::<u32>().is_ok_and(|p| {
                    p == std::process::id() || Path::new(&format!("/proc/{p}")).exists()
                });
                let old = f
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() > STALE_TEMPORARY_S);
                let proc_known = Path::new("/proc/self").exists();
                if ((proc_known && !alive) || old) && std::fs::remove_file(f.path()).is_ok() {
                    removed += 1;
                }
            }
        }
        removed
    }

    /// Takes the archive's import lock, calling `on_wait` first if another
    /// process holds it (then waits for it).
    pub fn import_lock(&self, on_wait: &mut dyn FnMut()) -> Result<ImportLock> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Self::err(&self.dir, e))?;
        let path = self.dir.join(".import.lock");
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    StoreError::ReadOnly(self.dir.display().to_string())
                }
                _ => Self::err(&path, e),
            })?;
        match f.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait();
                f.lock().map_err(|e| Self::err(&path, e))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Self::err(&path, e)),
        }
        Ok(ImportLock(f))
    }

    fn journal_path(&self) -> PathBuf {
        self.dir.join("journal.jsonl")
    }

    /// Appends a journal line (synced): the archive then says who imported
    /// the original and from where, even without the database.
    pub fn record(&self, entry: &JournalEntry) -> Result<()> {
        let path = self.journal_path();
        std::fs::create_dir_all(&self.dir).map_err(|e| Self::err(&self.dir, e))?;
        let line = serde_json::to_string(entry).unwrap_or_default();
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| Self::err(&path, e))?;
        f.write_all(format!("{line}\n").as_bytes())
            .and_then(|_| f.sync_data())
            .map_err(|e| Self::err(&path, e))
    }

    /// Every journal line that can be read, oldest first (a line cut short
    /// by a crash is skipped).
    pub fn journal(&self) -> Vec<JournalEntry> {
        std::fs::read_to_string(self.journal_path())
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn originals_are_checked_and_leftovers_removed() {
        let dir = tempfile::tempdir().unwrap();
        let a = Archive::new(dir.path());
        let bytes = b"a FIT file".to_vec();
        let sha = hex(&Sha256::digest(&bytes));
        a.put(&sha, &bytes).unwrap();
        assert_eq!(a.check(&sha), OriginalState::Intact);
        assert_eq!(a.hashes(), vec![sha.clone()]);
        std::fs::write(a.path(&sha), b"a FIT filE").unwrap();
        assert_eq!(a.check(&sha), OriginalState::Corrupt);
        a.restore(&sha, &bytes).unwrap();
        assert_eq!(a.check(&sha), OriginalState::Intact);
        // A temporary file of a process that is gone.
        let tmp = a
            .path(&sha)
            .parent()
            .unwrap()
            .join(format!(".{sha}.tmp4000000"));
        std::fs::write(&tmp, b"half").unwrap();
        assert_eq!(a.remove_leftovers(), 1);
        assert!(!tmp.exists());
        std::fs::remove_file(a.path(&sha)).unwrap();
        assert_eq!(a.check(&sha), OriginalState::Missing);
    }
}
