//! The original files, byte for byte, named by their SHA-256.

use crate::{Result, StoreError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A content-addressed folder: `ab/cdef…` for hash `abcdef…`.
#[derive(Debug, Clone)]
pub struct Archive {
    dir: PathBuf,
}

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
    /// flushed and renamed, so a crash never leaves a half-written original.
    pub fn put(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(sha256);
        if path.metadata().is_ok_and(|m| m.len() == bytes.len() as u64) {
            return Ok(());
        }
        let parent = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent).map_err(|e| Self::err(parent, e))?;
        let tmp = parent.join(format!(".{}.tmp{}", sha256, std::process::id()));
        let mut f = std::fs::File::create(&tmp).map_err(|e| Self::err(&tmp, e))?;
        f.write_all(bytes).map_err(|e| Self::err(&tmp, e))?;
        f.sync_data().map_err(|e| Self::err(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Self::err(&path, e))?;
        Ok(())
    }

    pub fn get(&self, sha256: &str) -> Result<Vec<u8>> {
        let path = self.path(sha256);
        std::fs::read(&path).map_err(|e| Self::err(&path, e))
    }
}
