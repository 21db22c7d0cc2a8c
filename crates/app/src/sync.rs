//! `cairn sync`: import what is new on a watch or bike computer mounted as a
//! drive, and in folders a phone app or a sync tool writes to.
//!
//! A file is read once: cairn remembers the path, size and modification time
//! of every file it looked at, so a sync of a watch holding a year of
//! activities reads only the new ones (a changed file is read again; the
//! import itself is idempotent, so nothing is counted twice either way).

use crate::import::{ImportOptions, ImportReport, Progress};
use crate::{AppError, Cairn, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

const FOLDERS_SETTING: &str = "sync_folders";

/// Where activities are found on a device's drive: folder names from its
/// root (matched ignoring case, as FAT drives and MTP mounts differ).
struct Layout {
    device: &'static str,
    activities: &'static [&'static str],
    /// Another folder that must sit beside the first, where its name alone
    /// is too common to tell the device.
    beside: Option<&'static str>,
}

/// Garmin's watches keep recordings in `GARMIN/Activity`, its Edge bike
/// computers and handhelds in `Garmin/Activities` (Garmin's device manuals);
/// Wahoo's ELEMNT computers in `exports`, beside `routes` and `plans`
/// (Wahoo's support pages).
const LAYOUTS: &[Layout] = &[
    Layout {
        device: "Garmin watch",
        activities: &["garmin", "activity"],
        beside: None,
    },
    Layout {
        device: "Garmin Edge or handheld",
        activities: &["garmin", "activities"],
        beside: None,
    },
    Layout {
        device: "Wahoo ELEMNT",
        activities: &["exports"],
        beside: Some("routes"),
    },
];

/// A place `cairn sync` imports from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncSource {
    /// The device it looks like, or `folder` for one the athlete added.
    pub kind: String,
    pub path: PathBuf,
}

/// What one sync found in one place.
#[derive(Debug, Clone, Serialize)]
pub struct SourceSync {
    pub source: SyncSource,
    /// Files not looked at before (new or changed).
    pub new_files: usize,
    pub report: ImportReport,
}

/// The usual places drives are mounted: on Linux per user and system-wide
/// (MTP devices through gvfs too), on macOS `/Volumes`.
pub fn system_mount_roots() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    let user = std::env::var("USER").ok();
    if let Some(u) = &user {
        roots.push(PathBuf::from("/media").join(u));
        roots.push(PathBuf::from("/run/media").join(u));
    }
    roots.push(PathBuf::from("/media"));
    roots.push(PathBuf::from("/mnt"));
    roots.push(PathBuf::from("/Volumes"));
    // gvfs mounts MTP devices under the user's runtime directory.
    #[cfg(unix)]
    if let Ok(m) = std::fs::metadata("/proc/self") {
        let uid = std::os::unix::fs::MetadataExt::uid(&m);
        roots.push(PathBuf::from(format!("/run/user/{uid}/gvfs")));
    }
    roots
}

/// The child of `dir` named `name`, ignoring case.
fn child_named(dir: &Path, name: &str) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .find(|e| {
            e.file_name().to_string_lossy().eq_ignore_ascii_case(name)
                && e.file_type().is_ok_and(|t| t.is_dir())
        })
        .map(|e| e.path())
}

fn layout_in(volume: &Path) -> Option<SyncSource> {
    LAYOUTS.iter().find_map(|l| {
        let mut dir = volume.to_path_buf();
        for name in l.activities {
            dir = child_named(&dir, name)?;
        }
        if let Some(other) = l.beside {
            child_named(dir.parent()?, other)?;
        }
        Some(SyncSource {
            kind: l.device.to_string(),
            path: dir,
        })
    })
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Devices mounted under these roots: each child of a root is a drive, and
/// an MTP device shows its storage one level further down ("Internal
/// Storage").
pub fn find_devices(roots: &[PathBuf]) -> Vec<SyncSource> {
    let mut found: Vec<SyncSource> = Vec::new();
    for root in roots {
        for volume in subdirs(root) {
            let hit = layout_in(&volume).map(|s| vec![s]).unwrap_or_else(|| {
                subdirs(&volume)
                    .iter()
                    .filter_map(|v| layout_in(v))
                    .collect()
            });
            for s in hit {
                if !found.iter().any(|f| f.path == s.path) {
                    found.push(s);
                }
            }
        }
    }
    found
}

/// Candidate files under `dir`, with size and modification time; hidden
/// files (a sync tool's partial downloads) are left alone.
fn files_under(dir: &Path, out: &mut Vec<(PathBuf, u64, i64)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let Ok(meta) = e.metadata() else { continue };
        if meta.is_dir() {
            files_under(&e.path(), out);
        } else if meta.is_file() && crate::sources::is_candidate(&name) {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_millis() as i64);
            out.push((e.path(), meta.len(), modified));
        }
    }
}

impl Cairn {
    /// The folders the athlete asked `cairn sync` to watch.
    pub fn sync_folders(&self) -> Result<Vec<PathBuf>> {
        Ok(match self.store.setting(self.athlete, FOLDERS_SETTING)? {
            Some(v) => serde_json::from_str(&v).unwrap_or_default(),
            None => Vec::new(),
        })
    }

    fn put_sync_folders(&mut self, folders: &[PathBuf]) -> Result<()> {
        let v = serde_json::to_string(folders).unwrap_or_else(|_| "[]".into());
        Ok(self.store.set_setting(self.athlete, FOLDERS_SETTING, &v)?)
    }

    /// Adds a folder to sync from; returns it as stored (absolute).
    pub fn add_sync_folder(&mut self, folder: &Path) -> Result<PathBuf> {
        let abs = std::fs::canonicalize(folder)
            .map_err(|e| AppError::Invalid(format!("{}: cannot add it ({e})", folder.display())))?;
        if !abs.is_dir() {
            return Err(AppError::Invalid(format!(
                "{} is a file, not a folder: sync watches folders (cairn import reads one file)",
                folder.display()
            )));
        }
        let mut folders = self.sync_folders()?;
        if !folders.contains(&abs) {
            folders.push(abs.clone());
            self.put_sync_folders(&folders)?;
        }
        Ok(abs)
    }

    /// Stops syncing from a folder; what was imported from it stays.
    pub fn remove_sync_folder(&mut self, folder: &Path) -> Result<PathBuf> {
        let mut folders = self.sync_folders()?;
        let target = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
        let Some(i) = folders.iter().position(|f| *f == target || f == folder) else {
            return Err(AppError::Invalid(format!(
                "{} is not a sync folder{}",
                folder.display(),
                if folders.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; they are: {}",
                        folders
                            .iter()
                            .map(|f| f.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            )));
        };
        let removed = folders.remove(i);
        self.put_sync_folders(&folders)?;
        Ok(removed)
    }

    /// The devices mounted under `roots` and the athlete's folders.
    pub fn sync_sources(&self, roots: &[PathBuf]) -> Result<Vec<SyncSource>> {
        let mut sources = find_devices(roots);
        for f in self.sync_folders()? {
            sources.push(SyncSource {
                kind: "folder".into(),
                path: f,
            });
        }
        Ok(sources)
    }

    /// Imports the files in `source` not looked at before, and remembers
    /// them. A missing folder (a drive unplugged) is not an error: there is
    /// nothing new in it.
    pub fn sync_one(
        &mut self,
        source: &SyncSource,
        opts: &ImportOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<SourceSync> {
        let seen = self.store.sync_seen(self.athlete)?;
        let mut files = Vec::new();
        files_under(&source.path, &mut files);
        let new: Vec<(String, u64, i64)> = files
            .into_iter()
            .map(|(p, size, modified)| (p.display().to_string(), size, modified))
            .filter(|(p, size, modified)| seen.get(p) != Some(&(*size, *modified)))
            .collect();
        let paths: Vec<PathBuf> = new.iter().map(|(p, _, _)| PathBuf::from(p)).collect();
        let report = if paths.is_empty() {
            ImportReport::default()
        } else {
            self.import(&paths, opts, progress)?
        };
        // A stopped import (a full disk) is tried again next time.
        if report.stopped.is_none() {
            self.store.mark_sync_seen(self.athlete, &new)?;
        }
        Ok(SourceSync {
            source: source.clone(),
            new_files: new.len(),
            report,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_told_by_their_folders_whatever_the_case() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        std::fs::create_dir_all(r.join("FR955/GARMIN/ACTIVITY")).unwrap();
        std::fs::create_dir_all(r.join("EDGE/Garmin/Activities")).unwrap();
        std::fs::create_dir_all(r.join("mtp:host=fenix/Internal Storage/GARMIN/Activity")).unwrap();
        std::fs::create_dir_all(r.join("ELEMNT/exports")).unwrap();
        std::fs::create_dir_all(r.join("ELEMNT/routes")).unwrap();
        // A USB stick with an "exports" folder is not a Wahoo.
        std::fs::create_dir_all(r.join("STICK/exports")).unwrap();
        std::fs::create_dir_all(r.join("CAMERA/DCIM")).unwrap();
        let found = find_devices(&[r.to_path_buf(), r.join("missing")]);
        let kinds: Vec<(&str, String)> = found
            .iter()
            .map(|s| {
                (
                    s.kind.as_str(),
                    s.path.strip_prefix(r).unwrap().display().to_string(),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("Garmin Edge or handheld", "EDGE/Garmin/Activities".into()),
                ("Wahoo ELEMNT", "ELEMNT/exports".into()),
                ("Garmin watch", "FR955/GARMIN/ACTIVITY".into()),
                (
                    "Garmin watch",
                    "mtp:host=fenix/Internal Storage/GARMIN/Activity".into()
                ),
            ]
        );
    }
}
