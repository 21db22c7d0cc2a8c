//! Where activity files come from: files, folders (recursive), `.gz`, and
//! `.zip` archives including nested ones (the Garmin Connect account export)
//! and the Strava export with its `activities.csv`.

use crate::strava::StravaIndex;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Limits that keep a hostile or broken archive from exhausting the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest single decompressed member or `.gz` content.
    pub max_entry_bytes: u64,
    /// Largest total decompressed size of one archive, nested ones included.
    pub max_archive_bytes: u64,
    /// Largest decompressed/compressed ratio of one member.
    pub max_ratio: u64,
    /// Deepest nesting of archives inside archives.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_entry_bytes: 1 << 30,
            max_archive_bytes: 64 << 30,
            max_ratio: 200,
            max_depth: 4,
        }
    }
}

/// One candidate activity file, its bytes in memory.
#[derive(Debug)]
pub struct Unit {
    /// File name, or `archive.zip/inner/path.fit` for archive members.
    pub source: String,
    /// The original bytes, exactly as stored on disk or in the archive.
    pub bytes: Vec<u8>,
    /// Strava's name, type, description and gear for this file, if known.
    pub strava: Option<crate::strava::StravaActivity>,
}

/// Something that could not be read at all.
#[derive(Debug, Clone)]
pub struct SourceError {
    pub source: String,
    pub reason: String,
}

/// What kind of content a path or member holds, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Activity,
    Gzip,
    Zip,
    Other,
}

fn kind_of(name: &str) -> Kind {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".zip") {
        Kind::Zip
    } else if lower.ends_with(".gz") {
        Kind::Gzip
    } else if [".fit", ".gpx", ".tcx"].iter().any(|e| lower.ends_with(e)) {
        Kind::Activity
    } else {
        Kind::Other
    }
}

/// Walks the given paths and hands every candidate unit (or error) to `emit`,
/// in a deterministic order. Files in folders and archives whose names are not
/// activity files (photos, JSON, …) are skipped quietly and counted.
pub struct Walker<'a> {
    pub limits: Limits,
    pub emit: &'a mut dyn FnMut(Result<Unit, SourceError>),
    pub skipped: usize,
}

impl Walker<'_> {
    pub fn walk(&mut self, path: &Path) {
        let display = path.display().to_string();
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                return (self.emit)(Err(SourceError {
                    source: display,
                    reason: format!("cannot read: {e}"),
                }))
            }
        };
        if meta.is_dir() {
            let strava = StravaIndex::from_folder(path);
            self.walk_dir(path, &strava);
        } else {
            // A file named explicitly is always tried, whatever its name.
            self.file(path, &StravaIndex::default(), true);
        }
    }

    fn walk_dir(&mut self, dir: &Path, strava: &StravaIndex) {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
            Err(e) => {
                return (self.emit)(Err(SourceError {
                    source: dir.display().to_string(),
                    reason: format!("cannot list folder: {e}"),
                }))
            }
        };
        entries.sort();
        for p in entries {
            match std::fs::symlink_metadata(&p) {
                Ok(m) if m.is_dir() => self.walk_dir(&p, strava),
                Ok(m) if m.is_file() => self.file(&p, strava, false),
                _ => {}
            }
        }
    }

    fn file(&mut self, path: &Path, strava: &StravaIndex, explicit: bool) {
        let source = path.display().to_string();
        let kind = kind_of(&source);
        if kind == Kind::Other && !explicit {
            self.skipped += 1;
            return;
        }
        if kind == Kind::Zip {
            return self.zip_file(path);
        }
        match std::fs::read(path) {
            Ok(bytes) => {
                let meta = strava.lookup(&source);
                self.bytes(source, bytes, meta, 0);
            }
            Err(e) => (self.emit)(Err(SourceError {
                source,
                reason: format!("cannot read: {e}"),
            })),
        }
    }

    /// Routes bytes by content: a zip inside anything is opened; everything else
    /// (including `.gz`, unpacked later on a worker) is one unit.
    fn bytes(
        &mut self,
        source: String,
        bytes: Vec<u8>,
        strava: Option<crate::strava::StravaActivity>,
        depth: usize,
    ) {
        if bytes.starts_with(b"PK\x03\x04") {
            if depth >= self.limits.max_depth {
                return (self.emit)(Err(SourceError {
                    source,
                    reason: format!(
                        "archives nested deeper than {} levels: refused",
                        self.limits.max_depth
                    ),
                }));
            }
            let reader = std::io::Cursor::new(bytes);
            return self.zip(&source, reader, depth + 1);
        }
        (self.emit)(Ok(Unit {
            source,
            bytes,
            strava,
        }));
    }

    fn zip_file(&mut self, path: &Path) {
        let source = path.display().to_string();
        match std::fs::File::open(path) {
            Ok(f) => self.zip(&source, std::io::BufReader::new(f), 1),
            Err(e) => (self.emit)(Err(SourceError {
                source,
                reason: format!("cannot read: {e}"),
            })),
        }
    }

    fn zip<R: Read + std::io::Seek>(&mut self, source: &str, reader: R, depth: usize) {
        let mut archive = match zip::ZipArchive::new(reader) {
            Ok(a) => a,
            Err(e) => {
                return (self.emit)(Err(SourceError {
                    source: source.to_string(),
                    reason: format!("not a readable zip archive: {e}"),
                }))
            }
        };
        // Declared sizes first: refuse a bomb before inflating anything.
        let mut declared: u64 = 0;
        for i in 0..archive.len() {
            if let Ok(f) = archive.by_index_raw(i) {
                declared = declared.saturating_add(f.size());
                if f.compressed_size() > 0
                    && f.size() / f.compressed_size().max(1) > self.limits.max_ratio
                    && f.size() > 1 << 20
                {
                    return (self.emit)(Err(SourceError {
                        source: format!("{source}/{}", member_name(&f)),
                        reason: format!(
                            "zip member expands {}× ({} to {} bytes), past the limit of {}×: refused as a zip bomb",
                            f.size() / f.compressed_size().max(1),
                            f.compressed_size(),
                            f.size(),
                            self.limits.max_ratio
                        ),
                    }));
                }
            }
        }
        if declared > self.limits.max_archive_bytes {
            return (self.emit)(Err(SourceError {
                source: source.to_string(),
                reason: format!(
                    "archive expands to {declared} bytes, past the limit of {}: refused",
                    self.limits.max_archive_bytes
                ),
            }));
        }
        // Strava's activities.csv describes the files beside it.
        let strava = (0..archive.len())
            .find(|i| {
                archive.by_index_raw(*i).is_ok_and(|f| {
                    let n = member_name(&f).to_ascii_lowercase();
                    n == "activities.csv" || n.ends_with("/activities.csv")
                })
            })
            .and_then(|i| {
                let mut f = archive.by_index(i).ok()?;
                let mut text = Vec::new();
                (&mut f)
                    .take(self.limits.max_entry_bytes)
                    .read_to_end(&mut text)
                    .ok()?;
                Some(StravaIndex::from_csv(&text))
            })
            .unwrap_or_default();
        let mut names: Vec<(usize, String)> = (0..archive.len())
            .filter_map(|i| archive.by_index_raw(i).ok().map(|f| (i, member_name(&f))))
            .collect();
        names.sort_by(|a, b| a.1.cmp(&b.1));
        let mut total: u64 = 0;
        for (i, name) in names {
            let member_source = format!("{source}/{name}");
            if name.ends_with('/') {
                continue;
            }
            let kind = kind_of(&name);
            if kind == Kind::Other {
                self.skipped += 1;
                continue;
            }
            let mut f = match archive.by_index(i) {
                Ok(f) => f,
                Err(e) => {
                    (self.emit)(Err(SourceError {
                        source: member_source,
                        reason: format!("cannot read zip member: {e}"),
                    }));
                    continue;
                }
            };
            if f.enclosed_name().is_none() || !is_safe_member_path(&name) {
                (self.emit)(Err(SourceError {
                    source: member_source,
                    reason: "zip member path is absolute or climbs out with '..': refused".into(),
                }));
                continue;
            }
            let mut bytes = Vec::with_capacity(f.size().min(self.limits.max_entry_bytes) as usize);
            let read = (&mut f)
                .take(self.limits.max_entry_bytes + 1)
                .read_to_end(&mut bytes);
            if let Err(e) = read {
                (self.emit)(Err(SourceError {
                    source: member_source,
                    reason: format!("cannot inflate zip member: {e}"),
                }));
                continue;
            }
            if bytes.len() as u64 > self.limits.max_entry_bytes {
                (self.emit)(Err(SourceError {
                    source: member_source,
                    reason: format!(
                        "zip member expands past {} bytes: refused",
                        self.limits.max_entry_bytes
                    ),
                }));
                continue;
            }
            total += bytes.len() as u64;
            if total > self.limits.max_archive_bytes {
                return (self.emit)(Err(SourceError {
                    source: source.to_string(),
                    reason: format!(
                        "archive expands past {} bytes: refused (zip bomb?)",
                        self.limits.max_archive_bytes
                    ),
                }));
            }
            let meta = strava.lookup(&name);
            self.bytes(member_source, bytes, meta, depth);
        }
    }
}

/// A member path that stays inside the archive: relative, no `..`, no drive.
fn is_safe_member_path(name: &str) -> bool {
    let n = name.replace('\\', "/");
    !n.starts_with('/') && !n.split('/').any(|c| c == "..") && n.chars().nth(1) != Some(':')
}

fn member_name<R: Read>(f: &zip::read::ZipFile<'_, R>) -> String {
    f.name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "<member with an unreadable name>".to_string())
}

/// Unpacks gzip content with the size limit; `Ok(None)` if not gzip.
pub fn gunzip(bytes: &[u8], limits: &Limits) -> Result<Option<Vec<u8>>, String> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(bytes.len() * 3);
    let mut dec = flate2::read::MultiGzDecoder::new(bytes).take(limits.max_entry_bytes + 1);
    dec.read_to_end(&mut out)
        .map_err(|e| format!("gzip data is corrupt: {e}"))?;
    if out.len() as u64 > limits.max_entry_bytes {
        return Err(format!(
            "gzip content expands past {} bytes: refused",
            limits.max_entry_bytes
        ));
    }
    Ok(Some(out))
}
