//! Where activity files come from: files, folders (recursive), `.gz`, and
//! `.zip` archives including nested ones (the Garmin Connect account export)
//! and the Strava export with its `activities.csv`.

use crate::strava::StravaIndex;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Limits that keep a hostile or broken archive from exhausting the machine.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest single activity file, zip member or `.gz` content, decompressed.
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
            // The largest real activity files are tens of MB (a week-long
            // trek at 1 Hz); 256 MiB leaves room and bounds what one file costs.
            max_entry_bytes: 256 << 20,
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
    /// What is left of the archive's decompression budget, for a member of
    /// an archive: a `.gz` inside a zip counts against the same budget.
    pub budget: Option<ArchiveBudget>,
}

/// Bytes an archive may still expand to, shared by everything it holds
/// (members, nested archives and the `.gz` members the workers unpack).
#[derive(Debug, Clone)]
pub struct ArchiveBudget {
    left: std::sync::Arc<std::sync::atomic::AtomicU64>,
    limit: u64,
}

impl ArchiveBudget {
    fn new(limit: u64) -> ArchiveBudget {
        ArchiveBudget {
            left: std::sync::Arc::new(std::sync::atomic::AtomicU64::new(limit)),
            limit,
        }
    }

    /// Takes `bytes` from the budget; an error names the limit when it is spent.
    pub fn take(&self, bytes: u64) -> Result<(), String> {
        use std::sync::atomic::Ordering;
        self.left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| left.checked_sub(bytes))
            .map(|_| ())
            .map_err(|_| {
                format!(
                    "the archive's contents expand past {} bytes in all (nested .gz counted): refused as a zip bomb",
                    self.limit
                )
            })
    }
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

/// Whether a file of this name is one an import reads from a folder: an
/// activity file, gzipped or in a zip.
pub fn is_candidate(name: &str) -> bool {
    kind_of(name) != Kind::Other
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
        } else if meta.is_file() {
            // A file named explicitly is always tried, whatever its name.
            self.file(path, &StravaIndex::default(), true);
        } else {
            // /dev/zero never ends and a pipe may never close: only regular
            // files and archive members are read.
            (self.emit)(Err(SourceError {
                source: display,
                reason: "not a regular file (a device, pipe or socket): not read; copy it to a file first".into(),
            }))
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
        match read_capped(path, self.limits.max_entry_bytes) {
            Ok(bytes) => {
                let meta = strava.lookup(&source);
                self.bytes(source, bytes, meta, 0, None);
            }
            Err(reason) => (self.emit)(Err(SourceError { source, reason })),
        }
    }

    /// Bytes already in memory under a name (an upload, a test, a fuzzer):
    /// a zip is opened, anything else is one unit.
    pub fn walk_bytes(&mut self, source: &str, bytes: Vec<u8>) {
        self.bytes(source.to_string(), bytes, None, 0, None);
    }

    /// Routes bytes by content: a zip inside anything is opened; everything else
    /// (including `.gz`, unpacked later on a worker) is one unit.
    fn bytes(
        &mut self,
        source: String,
        bytes: Vec<u8>,
        strava: Option<crate::strava::StravaActivity>,
        depth: usize,
        budget: Option<ArchiveBudget>,
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
            let budget =
                budget.unwrap_or_else(|| ArchiveBudget::new(self.limits.max_archive_bytes));
            return self.zip(&source, reader, depth + 1, &budget);
        }
        (self.emit)(Ok(Unit {
            source,
            bytes,
            strava,
            budget,
        }));
    }

    fn zip_file(&mut self, path: &Path) {
        let source = path.display().to_string();
        match std::fs::File::open(path) {
            Ok(f) => {
                let budget = ArchiveBudget::new(self.limits.max_archive_bytes);
                self.zip(&source, std::io::BufReader::new(f), 1, &budget)
            }
            Err(e) => (self.emit)(Err(SourceError {
                source,
                reason: format!("cannot read: {e}"),
            })),
        }
    }

    fn zip<R: Read + std::io::Seek>(
        &mut self,
        source: &str,
        reader: R,
        depth: usize,
        budget: &ArchiveBudget,
    ) {
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
            if let Err(reason) = budget.take(bytes.len() as u64) {
                return (self.emit)(Err(SourceError {
                    source: source.to_string(),
                    reason,
                }));
            }
            let meta = strava.lookup(&name);
            self.bytes(member_source, bytes, meta, depth, Some(budget.clone()));
        }
    }
}

/// Reads a file of at most `cap` bytes; a bigger one (or one that grows past
/// it while being read) is refused with the limit.
fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let size = f.metadata().map(|m| m.len()).unwrap_or(0);
    if size > cap {
        return Err(format!(
            "the file is {size} bytes, past the limit of {cap} bytes for one activity file: refused"
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    f.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > cap {
        return Err(format!(
            "the file grew past the limit of {cap} bytes for one activity file while being read: refused"
        ));
    }
    Ok(bytes)
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

/// Unpacks gzip content with the size limits; `Ok(None)` if not gzip. A
/// `.gz` that expands more than the ratio allows (past 1 MiB), past the
/// per-file limit, or past what is left of its archive's budget is refused,
/// checked while inflating, so nothing larger than the limit is ever held.
pub fn gunzip(
    bytes: &[u8],
    limits: &Limits,
    budget: Option<&ArchiveBudget>,
) -> Result<Option<Vec<u8>>, String> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(None);
    }
    let ratio_cap = (bytes.len() as u64)
        .saturating_mul(limits.max_ratio)
        .max(1 << 20);
    let cap = limits.max_entry_bytes.min(ratio_cap);
    let mut out = Vec::with_capacity((bytes.len() * 4).min(cap as usize));
    let mut dec = flate2::read::MultiGzDecoder::new(bytes).take(cap + 1);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = dec
            .read(&mut chunk)
            .map_err(|e| format!("gzip data is corrupt: {e}"))?;
        if n == 0 {
            break;
        }
        if let Some(b) = budget {
            b.take(n as u64)?;
        }
        out.extend_from_slice(&chunk[..n]);
        if out.len() as u64 > cap {
            return Err(if cap < limits.max_entry_bytes {
                format!(
                    "gzip content expands more than {}× ({} bytes compressed): refused as a zip bomb",
                    limits.max_ratio,
                    bytes.len()
                )
            } else {
                format!(
                    "gzip content expands past {} bytes, the limit for one activity file: refused",
                    limits.max_entry_bytes
                )
            });
        }
    }
    Ok(Some(out))
}
