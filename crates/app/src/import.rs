//! The import use case: find files, decode them in parallel, store each one
//! in its own transaction, and report what happened to every one of them.

use crate::sources::{self, Limits, SourceError, Unit, Walker};
use cairn_core::corrections::SplitRule;
use cairn_core::decode::{self, DecodedFile, Format};
use cairn_core::model::{Activity, ChannelKind, Course, Sport};
use cairn_store::{
    codec, ActivityRecord, AthleteId, FileOutcome, NewActivity, NewCourse, NewFile, Store,
};
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub limits: Limits,
    /// The caller's clock, for "date in the future" checks.
    pub now_ms: i64,
    /// Decoding threads; 0 uses every core.
    pub threads: usize,
}

/// A file that failed, or a problem that did not stop it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileNote {
    pub source: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DuplicateNote {
    pub activity_id: i64,
    pub duplicate_of: i64,
    pub source: String,
}

/// The final summary of an import.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Candidate files looked at (archive members count one each).
    pub files_seen: usize,
    pub files_imported: usize,
    pub activities_imported: usize,
    pub courses_imported: usize,
    pub samples_imported: u64,
    /// Files whose exact bytes were already in the archive.
    pub already_imported: usize,
    pub probable_duplicates: Vec<DuplicateNote>,
    pub failed: Vec<FileNote>,
    pub warnings: Vec<FileNote>,
    /// Files in folders and archives that are not activity files (photos, JSON…).
    pub skipped_other_files: usize,
    pub activity_ids: Vec<i64>,
    /// Records set by the new activities.
    pub records: Vec<crate::records::NewRecord>,
    /// Files already imported whose original was missing from the archive,
    /// written again from these sources.
    pub restored: Vec<String>,
    /// The failure that stopped the import (a full disk), if one did.
    pub stopped: Option<FileNote>,
    pub elapsed_s: f64,
}

/// Progress as the import goes, for a progress bar.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub files_done: usize,
    /// Best estimate of the total (nested archives are only known once opened).
    pub files_total: usize,
    pub activities: usize,
    pub samples: u64,
    /// Another import of the same archive runs: this one waits for it.
    pub waiting: bool,
}

pub(crate) enum Prepared {
    /// Imported already: `Some(hash)` when these exact bytes are (their
    /// original should be in the archive under that name), `None` when the
    /// same content came in another wrapper.
    Known(Option<String>),
    /// Known, but its original was missing from the archive: written again.
    Restored,
    /// The import stopped before this file (disk full, the archive unwritable).
    NotTried,
    /// This file could not be archived: the import stops here.
    Fatal(String),
    Failed(String),
    Ready {
        sha256: String,
        /// SHA-256 after gunzip, for a compressed file.
        content_sha256: Option<String>,
        format: Format,
        activities: Vec<NewActivity>,
        courses: Vec<NewCourse>,
        warnings: Vec<String>,
        samples: u64,
    },
}

struct Item {
    source: String,
    bytes: Vec<u8>,
    strava: Option<crate::strava::StravaActivity>,
    result: Prepared,
}

/// Bytes that all decoding workers together may hold at once.
const MEMORY_BUDGET_BYTES: u64 = 1 << 30;

/// What decoding one unit may hold at its peak: its content (a `.gz` at its
/// declared size, never past the per-file limit) a few times over, for the
/// columns and the timeline.
fn decode_estimate(bytes: &[u8], limits: &Limits) -> u64 {
    let content = if bytes.starts_with(&[0x1f, 0x8b]) && bytes.len() >= 4 {
        // The gzip trailer's ISIZE: the content's size modulo 2³².
        let isize = u32::from_le_bytes([
            bytes[bytes.len() - 4],
            bytes[bytes.len() - 3],
            bytes[bytes.len() - 2],
            bytes[bytes.len() - 1],
        ]) as u64;
        isize.max(bytes.len() as u64 * 4)
    } else {
        bytes.len() as u64
    };
    content.min(limits.max_entry_bytes).saturating_mul(8)
}

/// A count of bytes shared by threads: `reserve` waits until the bytes are
/// free (or nothing else is held, so one unit larger than the budget still
/// runs, alone), and gives them back when dropped.
struct MemoryBudget {
    total: u64,
    used: std::sync::Mutex<u64>,
    freed: std::sync::Condvar,
}

struct Held<'a> {
    budget: &'a MemoryBudget,
    bytes: u64,
}

impl MemoryBudget {
    fn new(total: u64) -> MemoryBudget {
        MemoryBudget {
            total,
            used: std::sync::Mutex::new(0),
            freed: std::sync::Condvar::new(),
        }
    }

    fn reserve(&self, bytes: u64) -> Held<'_> {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && *used + bytes > self.total {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += bytes;
        Held {
            budget: self,
            bytes,
        }
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|e| e.into_inner());
        *used -= self.bytes;
        self.budget.freed.notify_all();
    }
}

/// Counts candidate files up front so progress can show an ETA.
fn estimate_total(paths: &[PathBuf]) -> usize {
    fn walk(p: &std::path::Path, n: &mut usize) {
        if let Ok(rd) = std::fs::read_dir(p) {
            for e in rd.flatten() {
                let path = e.path();
                if path.is_dir() {
                    walk(&path, n);
                } else {
                    count_file(&path, n);
                }
            }
        }
    }
    fn count_file(p: &std::path::Path, n: &mut usize) {
        let name = p.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".zip") {
            *n += std::fs::File::open(p)
                .ok()
                .and_then(|f| zip::ZipArchive::new(f).ok())
                .map(|z| {
                    z.file_names()
                        .flatten()
                        .filter(|f| {
                            [".fit", ".gpx", ".tcx", ".gz", ".zip"]
                                .iter()
                                .any(|e| f.to_ascii_lowercase().ends_with(e))
                        })
                        .count()
                })
                .unwrap_or(1);
        } else if [".fit", ".gpx", ".tcx", ".gz"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            *n += 1;
        }
    }
    let mut n = 0;
    for p in paths {
        if p.is_dir() {
            walk(p, &mut n);
        } else {
            n += 1;
        }
    }
    n
}

/// What an import reads.
#[derive(Clone, Copy)]
pub(crate) enum Inputs<'a> {
    /// Files, folders and archives (zip, gzip) named by the athlete.
    Paths(&'a [PathBuf]),
    /// Originals already in the archive (a rebuild).
    Archived(&'a [ArchivedOriginal]),
    /// Bytes in memory under a name (a session logged by hand, an upload).
    Bytes(&'a [(String, Vec<u8>)]),
}

/// An original in the archive, with what the journal (or the old database)
/// says of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArchivedOriginal {
    pub sha256: String,
    pub source: String,
    pub imported_at_ms: i64,
    pub export_meta: Option<crate::strava::StravaActivity>,
    /// The journal has its line already.
    pub journaled: bool,
}

/// Imports every path (files, folders, archives). Never stops at a bad file.
pub fn import(
    store: &mut dyn Store,
    athlete: AthleteId,
    paths: &[PathBuf],
    opts: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ImportReport, cairn_store::StoreError> {
    locked_run(store, athlete, Inputs::Paths(paths), opts, progress)
}

/// Imports bytes held in memory, each under a name, like files.
pub fn import_bytes(
    store: &mut dyn Store,
    athlete: AthleteId,
    items: &[(String, Vec<u8>)],
    opts: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ImportReport, cairn_store::StoreError> {
    locked_run(store, athlete, Inputs::Bytes(items), opts, progress)
}

/// One import at a time per archive: a second waits for the first (and
/// then finds what it stored) instead of failing on its lock.
fn locked_run(
    store: &mut dyn Store,
    athlete: AthleteId,
    inputs: Inputs<'_>,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ImportReport, cairn_store::StoreError> {
    let _lock = store.archive().import_lock(&mut || {
        progress(&Progress {
            waiting: true,
            ..Progress::default()
        })
    })?;
    run(store, athlete, inputs, opts, progress)
}

/// Reads an archived original back as a unit, refusing one whose bytes no
/// longer hash to its name.
fn archived_unit(
    archive: &cairn_store::Archive,
    original: &ArchivedOriginal,
) -> Result<Unit, SourceError> {
    let fail = |reason: String| SourceError {
        source: original.source.clone(),
        reason,
    };
    let bytes = archive.get(&original.sha256).map_err(|e| {
        fail(format!(
            "its original is missing from the archive ({e}); import its source again, or restore it from a backup"
        ))
    })?;
    if sha256_hex(&bytes) != original.sha256 {
        return Err(fail(format!(
            "its original {} is damaged (its bytes no longer match its SHA-256); import its source again, or restore it from a backup",
            original.sha256
        )));
    }
    Ok(Unit {
        source: original.source.clone(),
        bytes,
        strava: original.export_meta.clone(),
        budget: None,
    })
}

/// The import itself, the caller holding the import lock.
pub(crate) fn run(
    store: &mut dyn Store,
    athlete: AthleteId,
    inputs: Inputs<'_>,
    opts: &ImportOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<ImportReport, cairn_store::StoreError> {
    let started = std::time::Instant::now();
    let known = Arc::new(store.file_hashes(athlete)?);
    let splits = Arc::new(store.splits(athlete)?);
    let mut report = ImportReport::default();
    let mut prog = Progress {
        files_total: match inputs {
            Inputs::Paths(paths) => estimate_total(paths),
            Inputs::Archived(originals) => originals.len(),
            Inputs::Bytes(items) => items.len(),
        },
        ..Progress::default()
    };
    progress(&prog);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| {
            cairn_store::StoreError::Codec(format!("cannot start decoding threads: {e}"))
        })?;
    let workers = pool.current_num_threads().max(1);
    let (unit_tx, unit_rx) = sync_channel::<(usize, Result<Unit, SourceError>)>(workers * 4);
    let (done_tx, done_rx) = sync_channel::<(usize, Item)>(workers * 4);
    let memory = MemoryBudget::new(MEMORY_BUDGET_BYTES);
    // Set at the first failure that would fail every file after it (a full
    // disk, an unwritable archive): the import stops there, with one message.
    let stop = AtomicBool::new(false);
    let stop = &stop;
    let archive_w = store.archive().clone();
    let skipped = std::thread::scope(|s| {
        let walker = s.spawn(move || {
            let mut seq = 0usize;
            let mut emit = |u: Result<Unit, SourceError>| {
                if !stop.load(Ordering::SeqCst) {
                    let _ = unit_tx.send((seq, u));
                    seq += 1;
                }
            };
            match inputs {
                Inputs::Paths(paths) => {
                    let mut w = Walker {
                        limits: opts.limits,
                        emit: &mut emit,
                        skipped: 0,
                    };
                    for p in paths {
                        w.walk(p);
                    }
                    w.skipped
                }
                Inputs::Bytes(items) => {
                    let mut w = Walker {
                        limits: opts.limits,
                        emit: &mut emit,
                        skipped: 0,
                    };
                    for (source, bytes) in items {
                        w.walk_bytes(source, bytes.clone());
                    }
                    w.skipped
                }
                // One unit per original, so a unit's number is its original's.
                Inputs::Archived(originals) => {
                    for o in originals {
                        emit(archived_unit(&archive_w, o));
                    }
                    0
                }
            }
        });
        let known_w = Arc::clone(&known);
        let splits_w = Arc::clone(&splits);
        let archive = store.archive().clone();
        let memory = &memory;
        s.spawn(move || {
            unit_rx
                .into_iter()
                .par_bridge()
                .for_each_with(done_tx, |tx, (seq, unit)| {
                    let item = match unit {
                        Ok(u) if stop.load(Ordering::SeqCst) => Item {
                            source: u.source,
                            bytes: Vec::new(),
                            strava: None,
                            result: Prepared::NotTried,
                        },
                        Ok(u) => {
                            // Decoding holds a few times the file's size; the
                            // workers share one budget, so more threads never
                            // means more memory at once.
                            let _held = memory.reserve(decode_estimate(&u.bytes, &opts.limits));
                            let mut result = prepare(&u, &known_w, &splits_w, opts);
                            // Originals are written here, in parallel; the writer's
                            // transaction then finds them already archived. A
                            // known file whose original went missing gets it back.
                            let archived = match &result {
                                Prepared::Ready { sha256, .. } => {
                                    Some(archive.put(sha256, &u.bytes))
                                }
                                Prepared::Known(Some(sha256))
                                    if !archive.holds(sha256, &u.bytes) =>
                                {
                                    let restored = archive.restore(sha256, &u.bytes);
                                    if restored.is_ok() {
                                        result = Prepared::Restored;
                                    }
                                    Some(restored)
                                }
                                _ => None,
                            };
                            if let Some(Err(e)) = archived {
                                stop.store(true, Ordering::SeqCst);
                                result = Prepared::Fatal(format!(
                                    "could not write its original into the archive: {e}"
                                ));
                            }
                            Item {
                                source: u.source,
                                bytes: u.bytes,
                                strava: u.strava,
                                result,
                            }
                        }
                        Err(e) => Item {
                            source: e.source,
                            bytes: Vec::new(),
                            strava: None,
                            result: Prepared::Failed(e.reason),
                        },
                    };
                    let _ = tx.send((seq, item));
                });
        });
        // The writer: stores in discovery order so results are deterministic.
        let mut pending: BTreeMap<usize, Item> = BTreeMap::new();
        let mut next = 0usize;
        for (seq, item) in done_rx {
            pending.insert(seq, item);
            while let Some(item) = pending.remove(&next) {
                let seq = next;
                next += 1;
                if report.stopped.is_some() {
                    continue;
                }
                let source = item.source.clone();
                let failure = match item.result {
                    Prepared::Fatal(ref reason) => Some(reason.clone()),
                    _ => {
                        let origin = match inputs {
                            Inputs::Archived(originals) => originals.get(seq),
                            Inputs::Paths(_) | Inputs::Bytes(_) => None,
                        };
                        store_item(store, athlete, item, origin, opts, &mut report).err()
                    }
                    .map(|e| format!("could not be stored: {e}")),
                };
                if let Some(reason) = failure {
                    stop.store(true, Ordering::SeqCst);
                    report.stopped = Some(FileNote {
                        source,
                        message: format!(
                            "{reason}; the import stopped there: {} files were imported before it, nothing is half-written; fix the cause (free disk space?) and run the same import again",
                            report.files_imported
                        ),
                    });
                    continue;
                }
                prog.files_done += 1;
                prog.files_total = prog.files_total.max(prog.files_done);
                prog.activities = report.activities_imported;
                prog.samples = report.samples_imported;
                progress(&prog);
            }
        }
        walker.join().unwrap_or(0)
    });
    report.skipped_other_files = skipped;
    report.files_seen = prog.files_done;
    report.elapsed_s = started.elapsed().as_secs_f64();
    Ok(report)
}

fn store_item(
    store: &mut dyn Store,
    athlete: AthleteId,
    item: Item,
    origin: Option<&ArchivedOriginal>,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<(), cairn_store::StoreError> {
    match item.result {
        Prepared::Known(_) => report.already_imported += 1,
        Prepared::Restored => {
            report.already_imported += 1;
            report.restored.push(item.source);
        }
        Prepared::NotTried | Prepared::Fatal(_) => {}
        Prepared::Failed(reason) => report.failed.push(FileNote {
            source: item.source,
            message: reason,
        }),
        Prepared::Ready {
            sha256,
            content_sha256,
            format,
            activities,
            courses,
            warnings,
            samples,
        } => {
            let file = NewFile {
                export_meta: item
                    .strava
                    .as_ref()
                    .and_then(|m| serde_json::to_value(m).ok()),
                sha256,
                content_sha256,
                bytes: &item.bytes,
                source: item.source.clone(),
                format: format.extension().to_string(),
                imported_at_ms: origin.map_or(opts.now_ms, |o| o.imported_at_ms),
                warnings: warnings.clone(),
                journaled: origin.is_some_and(|o| o.journaled),
            };
            match store.import_file(athlete, file, activities, courses) {
                Ok(FileOutcome::AlreadyImported { .. }) => report.already_imported += 1,
                Ok(FileOutcome::Imported {
                    activity_ids,
                    course_ids,
                    duplicates,
                    ..
                }) => {
                    report.files_imported += 1;
                    report.activities_imported += activity_ids.len();
                    report.courses_imported += course_ids.len();
                    report.samples_imported += samples;
                    report.activity_ids.extend(&activity_ids);
                    for (id, of) in duplicates {
                        report.probable_duplicates.push(DuplicateNote {
                            activity_id: id,
                            duplicate_of: of,
                            source: item.source.clone(),
                        });
                    }
                    for w in warnings {
                        report.warnings.push(FileNote {
                            source: item.source.clone(),
                            message: w,
                        });
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Decodes, checks and derives one unit, cutting the recordings the
/// athlete split (`splits`, every rule of the athlete's).
pub(crate) fn prepare(
    unit: &Unit,
    known: &HashSet<String>,
    splits: &[SplitRule],
    opts: &ImportOptions,
) -> Prepared {
    let sha256 = sha256_hex(&unit.bytes);
    if known.contains(&sha256) {
        return Prepared::Known(Some(sha256));
    }
    let unpacked = match sources::gunzip(&unit.bytes, &opts.limits, unit.budget.as_ref()) {
        Ok(u) => u,
        Err(e) => return Prepared::Failed(e),
    };
    let content: &[u8] = unpacked.as_deref().unwrap_or(&unit.bytes);
    let content_sha256 = unpacked.as_deref().map(sha256_hex);
    if content_sha256.as_ref().is_some_and(|h| known.contains(h)) {
        return Prepared::Known(None);
    }
    let name = unit.source.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let by_name = name.rsplit('.').next().and_then(Format::from_extension);
    let format = match (Format::sniff(content), by_name) {
        (Some(f), _) => f,
        (None, Some(f)) if content.is_empty() => {
            return Prepared::Failed(format!(
                "the file is empty (0 bytes); expected {}",
                f.extension().to_uppercase()
            ))
        }
        (None, Some(f)) => {
            return Prepared::Failed(format!(
                "named .{} but the content is not {} ({})",
                f.extension(),
                f.extension().to_uppercase(),
                describe_start(content)
            ))
        }
        (None, None) => {
            return Prepared::Failed(format!(
                "not a FIT, GPX or TCX file ({})",
                describe_start(content)
            ))
        }
    };
    let decoded: DecodedFile = match decode::decode(format, content) {
        Ok(d) => d,
        Err(e) => return Prepared::Failed(format!("{} {e}", format.extension().to_uppercase())),
    };
    let mut samples = 0u64;
    let mut activities = Vec::with_capacity(decoded.activities.len());
    let mut warnings = decoded.warnings;
    let sessions = decoded.activities.len();
    for mut a in decoded.activities {
        cairn_core::clean::check(&mut a, opts.now_ms);
        // What cleaning found is said at import too, not only in `show`.
        for note in &a.notes {
            warnings.push(match a.session_index {
                Some(i) if sessions > 1 => format!("session {}: {note}", i + 1),
                _ => note.clone(),
            });
        }
        if let Some(meta) = &unit.strava {
            apply_strava(&mut a, meta, sessions);
        }
        let cuts: Vec<&SplitRule> = splits
            .iter()
            .filter(|r| r.file_sha256 == sha256 && r.session_index == a.session_index)
            .collect();
        let parts = if cuts.is_empty() {
            vec![a]
        } else {
            cairn_core::corrections::apply(a, &cuts)
        };
        for part in parts {
            samples += part.samples.len() as u64;
            match to_new_activity(part, unit.strava.as_ref()) {
                Ok(n) => activities.push(n),
                Err(e) => return Prepared::Failed(format!("could not compress samples: {e}")),
            }
        }
    }
    let courses = decoded
        .courses
        .into_iter()
        .filter_map(|c| to_new_course(c).ok())
        .collect();
    Prepared::Ready {
        sha256,
        content_sha256,
        format,
        activities,
        courses,
        warnings,
        samples,
    }
}

/// A short, readable description of what a file starts with, for error messages.
fn describe_start(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "0 bytes".into();
    }
    let head = &bytes[..bytes.len().min(16)];
    if head.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        format!("it starts with \"{}\"", String::from_utf8_lossy(head))
    } else {
        format!(
            "{} bytes starting {}",
            bytes.len(),
            head.iter()
                .take(8)
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(" ")
        )
    }
}

/// Strava's CSV is what the athlete typed in Strava: its name wins over the
/// device's, and so does its type, but only for a file of one session (the
/// export writes one type onto every session of a triathlon) and never over a
/// sport the file states more precisely ("Run" does not undo the watch's
/// "trail run"). The file's own sport stays in `original_sport`.
fn apply_strava(a: &mut Activity, meta: &crate::strava::StravaActivity, sessions: usize) {
    if let Some(name) = &meta.name {
        a.name = Some(name.clone());
    }
    let Some(kind) = &meta.kind else { return };
    let labelled = Sport::from_text(kind);
    if sessions == 1 && labelled != Sport::Other && !a.sport.refines(labelled) {
        a.sport = labelled;
    }
}

fn to_new_activity(
    a: Activity,
    strava: Option<&crate::strava::StravaActivity>,
) -> Result<NewActivity, cairn_store::StoreError> {
    let derived = cairn_core::derived::derive(&a);
    let curves = curves_to_store(&derived.curves);
    let end_ms = a.end_ms();
    let extra = crate::Extra::of(&a);
    let mut channel_blobs = Vec::new();
    for kind in ChannelKind::ALL {
        if let Some(c) = a.samples.channel(kind) {
            channel_blobs.push((kind.id().to_string(), codec::encode_channel(c)?));
        }
    }
    Ok(NewActivity {
        record: ActivityRecord {
            session_index: a.session_index,
            format: a.format.id().to_string(),
            sport: a.sport.id().to_string(),
            original_sport: a.original_sport.clone(),
            name: a.name.clone(),
            description: strava.and_then(|s| s.description.clone()),
            gear: strava.and_then(|s| s.gear.clone()),
            start_ms: a.start_ms,
            end_ms,
            utc_offset_s: a.utc_offset_s,
            device: a.device.clone(),
            laps: a.laps.len(),
            flags: a.flags.iter().map(|f| f.id().to_string()).collect(),
            recording_id: a.recording_id.clone(),
            derived_version: cairn_core::derived::DERIVED_VERSION,
            summary: derived.summary,
            ..ActivityRecord::default()
        },
        laps: a.laps,
        extra_json: serde_json::to_string(&extra).unwrap_or_else(|_| "{}".into()),
        time_blob: codec::encode_times(&a.samples.time_ms)?,
        channel_blobs,
        facts: serde_json::to_string(&derived.facts)
            .ok()
            .map(|j| (cairn_core::load::facts::FACTS_VERSION, j)),
        curves,
        page: codec::encode_page(derived.page)?,
    })
}

/// Curves as stored: (kind, version, value per duration).
pub(crate) fn curves_to_store(
    curves: &[(cairn_core::metrics::curve::CurveKind, Vec<Option<f64>>)],
) -> Vec<(String, u32, Vec<Option<f64>>)> {
    curves
        .iter()
        .map(|(k, c)| {
            (
                k.id().to_string(),
                cairn_core::load::facts::FACTS_VERSION,
                c.clone(),
            )
        })
        .collect()
}

fn to_new_course(c: Course) -> Result<NewCourse, cairn_store::StoreError> {
    let distance_m = c
        .lat_deg
        .windows(2)
        .zip(c.lon_deg.windows(2))
        .map(|(la, lo)| cairn_core::geo::haversine_m(la[0], lo[0], la[1], lo[1]))
        .sum();
    let as_opt = |v: &[f64]| v.iter().map(|x| Some(*x)).collect::<Vec<_>>();
    Ok(NewCourse {
        name: c.name,
        format: c.format.id().to_string(),
        points: c.lat_deg.len(),
        distance_m,
        lat_blob: codec::encode_channel(&as_opt(&c.lat_deg))?,
        lon_blob: codec::encode_channel(&as_opt(&c.lon_deg))?,
        altitude_blob: codec::encode_channel(&c.altitude_m)?,
    })
}
