//! The archive is the truth: `verify` checks the database and every original
//! against each other and says what to do; `rebuild` derives a new database
//! from the archived originals alone, carrying over what only the athlete
//! could say (profile, notes, plans, corrections), and keeps the old one.

use crate::import::{self, ArchivedOriginal, Inputs};
use crate::{AppError, ImportOptions, ImportReport, Progress, Result, DEFAULT_ATHLETE};
use cairn_store::{
    Archive, OpenMode, OriginalState, SqliteStore, Store, StoredFile, DATABASE_FILE,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// An original that is not as it should be.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OriginalProblem {
    pub athlete: String,
    pub sha256: String,
    /// Where it was imported from.
    pub source: String,
    /// Whether that source can still be read here (then importing it again
    /// writes the original back).
    pub source_found: bool,
}

/// What `verify` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    pub database: String,
    /// What the database says about itself (integrity, foreign keys,
    /// unreadable samples), or why it cannot be opened.
    pub database_problems: Vec<String>,
    /// Where the list of files checked came from: the database, or the
    /// archive's journal when the database has none.
    pub files_listed_by: String,
    pub files_checked: usize,
    pub originals_intact: usize,
    pub originals_missing: Vec<OriginalProblem>,
    /// Present, but no longer hashing to their name.
    pub originals_damaged: Vec<OriginalProblem>,
    /// Originals in the archive that no file of the database refers to.
    pub originals_not_in_database: Vec<String>,
    /// Files the journal does not list (imported before cairn kept one);
    /// `rebuild` takes them from the database.
    pub files_not_in_journal: usize,
    /// Temporary files of an interrupted import, removed.
    pub leftovers_removed: usize,
    /// What to do, in order.
    pub advice: Vec<String>,
}

impl VerifyReport {
    /// Nothing is at risk. Originals the database does not refer to are
    /// not a risk (an import stopped before storing them), only advice.
    pub fn is_sound(&self) -> bool {
        self.database_problems.is_empty()
            && self.originals_missing.is_empty()
            && self.originals_damaged.is_empty()
    }
}

/// What `rebuild` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RebuildReport {
    /// Where the list of originals came from: the old database, the
    /// archive's journal, or both.
    pub file_list_from: String,
    /// The import of each athlete's originals.
    pub imports: Vec<AthleteImport>,
    /// Originals nobody's record mentions, imported for the default athlete.
    pub unrecorded_originals: usize,
    /// Rows of the athlete's own data carried over, per table.
    pub carried_over: Vec<(String, usize)>,
    pub sports_corrected: usize,
    pub primary_choices: usize,
    /// Activities of the old database that have no counterpart now.
    pub activities_not_matched: usize,
    /// What could not be carried over, and why.
    pub problems: Vec<String>,
    /// Whether the rebuilt database took the old one's place: not when an
    /// original failed to import (its activities would be lost) unless the
    /// loss was accepted.
    pub replaced: bool,
    /// The database as it was before, kept.
    pub previous_database: Option<String>,
    pub elapsed_s: f64,
}

impl RebuildReport {
    /// Originals that could not be imported.
    pub fn failed(&self) -> usize {
        self.imports.iter().map(|i| i.report.failed.len()).sum()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AthleteImport {
    pub athlete: String,
    pub report: ImportReport,
}

/// The old database, kept beside the rebuilt one.
pub const BEFORE_REBUILD: &str = "cairn.sqlite.before-rebuild";
/// The database being rebuilt (removed when a rebuild starts again).
const REBUILDING: &str = "cairn.sqlite.rebuilding";

fn archive_of(data_dir: &Path) -> Archive {
    Archive::new(data_dir.join("archive"))
}

/// Whether a source can still be read: the file itself, or for an archive
/// member (`export.zip/activities/1.fit`) the archive holding it.
fn source_found(source: &str) -> bool {
    Path::new(source)
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| p.exists())
        .is_some_and(|p| p == Path::new(source) || p.is_file())
}

/// The journal as (athlete, sha256) → first line.
fn journal_index(archive: &Archive) -> HashMap<(String, String), cairn_store::JournalEntry> {
    let mut out = HashMap::new();
    for e in archive.journal() {
        out.entry((e.athlete.clone(), e.sha256.clone()))
            .or_insert(e);
    }
    out
}

/// Checks the database (its integrity, foreign keys and every stored
/// sample) and every original (present, SHA-256), and says what to do.
/// Writes nothing but the removal of an interrupted import's temporary files.
pub fn verify(data_dir: &Path) -> Result<VerifyReport> {
    if !data_dir.is_dir() {
        return Err(AppError::Invalid(format!(
            "no archive in {}: nothing to verify",
            data_dir.display()
        )));
    }
    let archive = archive_of(data_dir);
    let db = data_dir.join(DATABASE_FILE);
    let mut report = VerifyReport {
        database: db.display().to_string(),
        leftovers_removed: archive.remove_leftovers(),
        ..VerifyReport::default()
    };
    let journal = journal_index(&archive);
    let size = db.metadata().map(|m| m.len());
    let mut files: Vec<(String, StoredFile)> = if size.is_err() {
        report
            .database_problems
            .push("the database file is missing".into());
        Vec::new()
    } else if size.is_ok_and(|n| n == 0) {
        report
            .database_problems
            .push("the database file is empty (0 bytes)".into());
        Vec::new()
    } else {
        match SqliteStore::open_with(data_dir, &db, OpenMode::Repair) {
            Ok(store) => {
                report.database_problems = store.check_database()?;
                let files = store.all_files()?;
                report
                    .database_problems
                    .extend(unreadable_samples(&store, &files)?);
                files
            }
            Err(e) => {
                report
                    .database_problems
                    .push(format!("the database cannot be opened: {e}"));
                Vec::new()
            }
        }
    };
    let originals = archive.hashes();
    if files.is_empty() && !originals.is_empty() && report.database_problems.is_empty() {
        report.database_problems.push(format!(
            "the database lists no files, but the archive holds {} originals",
            originals.len()
        ));
    }
    report.files_listed_by = "database".into();
    if files.is_empty() && !journal.is_empty() {
        // Without the database, the journal says which originals to expect.
        report.files_listed_by = "journal".into();
        let mut lines: Vec<_> = journal.values().collect();
        lines.sort_by(|a, b| (a.imported_at_ms, &a.sha256).cmp(&(b.imported_at_ms, &b.sha256)));
        files = lines
            .into_iter()
            .map(|e| {
                (
                    e.athlete.clone(),
                    StoredFile {
                        id: 0,
                        sha256: e.sha256.clone(),
                        source: e.source.clone(),
                        format: e.format.clone(),
                        imported_at_ms: e.imported_at_ms,
                    },
                )
            })
            .collect();
    }
    let mut referenced = HashSet::new();
    for (athlete, f) in &files {
        report.files_checked += 1;
        if report.files_listed_by == "database"
            && !journal.contains_key(&(athlete.clone(), f.sha256.clone()))
        {
            report.files_not_in_journal += 1;
        }
        if !referenced.insert(f.sha256.clone()) {
            continue; // the same original for another athlete: checked once
        }
        let problem = || OriginalProblem {
            athlete: athlete.clone(),
            sha256: f.sha256.clone(),
            source: f.source.clone(),
            source_found: source_found(&f.source),
        };
        match archive.check(&f.sha256) {
            OriginalState::Intact => report.originals_intact += 1,
            OriginalState::Missing => report.originals_missing.push(problem()),
            OriginalState::Corrupt => report.originals_damaged.push(problem()),
        }
    }
    if !files.is_empty() && report.files_listed_by == "database" {
        report.originals_not_in_database = originals
            .into_iter()
            .filter(|h| !referenced.contains(h))
            .collect();
    }
    report.advice = advice(&report);
    Ok(report)
}

/// Every activity's stored samples, decoded: a damaged blob is named.
fn unreadable_samples(store: &SqliteStore, files: &[(String, StoredFile)]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let athletes: BTreeSet<&String> = files.iter().map(|(a, _)| a).collect();
    for name in athletes {
        let Some(athlete) = store.existing_athlete(name)? else {
            continue;
        };
        let every = cairn_store::ActivityFilter {
            include_deleted: true,
            ..Default::default()
        };
        for a in store.activities(athlete, &every)? {
            if let Err(e) = store.samples(athlete, a.id) {
                out.push(format!("activity {} ({}): {e}", a.id, a.source));
            }
        }
    }
    Ok(out)
}

fn advice(r: &VerifyReport) -> Vec<String> {
    let mut out = Vec::new();
    if !r.database_problems.is_empty() {
        out.push(format!(
            "Run `cairn rebuild`: it derives a new database from the archived originals, carries over your profile, notes, plans and corrections, and keeps this one as {BEFORE_REBUILD}."
        ));
    }
    for p in r.originals_missing.iter().chain(&r.originals_damaged) {
        out.push(if p.source_found {
            format!(
                "Run `cairn import {}`: its original ({}) is written into the archive again.",
                p.source, p.sha256
            )
        } else {
            format!(
                "Restore archive/{}/{} from a backup, or import {} again from wherever it is now: until then the activity keeps its numbers, but a rebuild could not bring it back.",
                &p.sha256[..2.min(p.sha256.len())],
                &p.sha256[2.min(p.sha256.len())..],
                p.source
            )
        });
    }
    if !r.originals_not_in_database.is_empty() && r.database_problems.is_empty() {
        let n = r.originals_not_in_database.len();
        out.push(format!(
            "{n} {} in the archive {} not in the database: an import stopped before storing {}. Run that import again, or `cairn rebuild` to import every original; until then {} for nothing.",
            if n == 1 { "original" } else { "originals" },
            if n == 1 { "is" } else { "are" },
            if n == 1 { "it" } else { "them" },
            if n == 1 { "it counts" } else { "they count" },
        ));
    }
    out
}

/// The originals to import, per athlete, in the order they were first
/// imported: the journal's lines and the old database's files together, then
/// any original nobody's record mentions (for the default athlete).
fn originals_to_import(
    archive: &Archive,
    old_files: Option<&[(String, StoredFile)]>,
    now_ms: i64,
) -> (Vec<(String, Vec<ArchivedOriginal>)>, usize) {
    // (athlete, original, unrecorded, order in its record)
    let mut listed: Vec<(String, ArchivedOriginal, bool, i64)> = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for (n, e) in archive.journal().into_iter().enumerate() {
        if seen.insert((e.athlete.clone(), e.sha256.clone())) {
            let export_meta = e.export_meta.and_then(|m| serde_json::from_value(m).ok());
            listed.push((
                e.athlete,
                ArchivedOriginal {
                    sha256: e.sha256,
                    source: e.source,
                    imported_at_ms: e.imported_at_ms,
                    export_meta,
                    journaled: true,
                },
                false,
                n as i64,
            ));
        }
    }
    for (athlete, f) in old_files.unwrap_or_default() {
        if seen.insert((athlete.clone(), f.sha256.clone())) {
            listed.push((
                athlete.clone(),
                ArchivedOriginal {
                    sha256: f.sha256.clone(),
                    source: f.source.clone(),
                    imported_at_ms: f.imported_at_ms,
                    export_meta: None,
                    journaled: false,
                },
                false,
                f.id,
            ));
        }
    }
    let mentioned: HashSet<&String> = listed.iter().map(|(_, o, _, _)| &o.sha256).collect();
    let unrecorded: Vec<String> = archive
        .hashes()
        .into_iter()
        .filter(|h| !mentioned.contains(h))
        .collect();
    let unrecorded_count = unrecorded.len();
    for sha256 in unrecorded {
        listed.push((
            DEFAULT_ATHLETE.to_string(),
            ArchivedOriginal {
                source: format!("archive/{}/{}", &sha256[..2], &sha256[2..]),
                sha256,
                imported_at_ms: now_ms,
                export_meta: None,
                journaled: false,
            },
            true,
            0,
        ));
    }
    listed.sort_by_key(|(_, o, unrecorded, order)| (*unrecorded, o.imported_at_ms, *order));
    let mut by_athlete: Vec<(String, Vec<ArchivedOriginal>)> = Vec::new();
    for (athlete, o, _, _) in listed {
        match by_athlete.iter_mut().find(|(a, _)| *a == athlete) {
            Some((_, list)) => list.push(o),
            None => by_athlete.push((athlete, vec![o])),
        }
    }
    (by_athlete, unrecorded_count)
}

fn io_error(path: &Path, e: std::io::Error) -> AppError {
    AppError::Store(cairn_store::StoreError::Archive {
        path: path.display().to_string(),
        source: e,
    })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

fn remove_database(path: &Path) -> Result<()> {
    for p in [
        path.to_path_buf(),
        with_suffix(path, "-wal"),
        with_suffix(path, "-shm"),
    ] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&p, e)),
        }
    }
    Ok(())
}

/// Derives the database again from the archived originals: a new database
/// is built beside the old one, every original imported into it (as its
/// athlete, with its source, import time and export labels), the athlete's
/// own data carried over from the old one if it can be read, and only then
/// swapped in; the old one is kept as [`BEFORE_REBUILD`]. Interrupted at any
/// moment, the old database is still in place. When an original cannot be
/// imported (missing, damaged), nothing is replaced unless `accept_loss`.
pub fn rebuild(
    data_dir: &Path,
    opts: &ImportOptions,
    accept_loss: bool,
    progress: &mut dyn FnMut(&str, &Progress),
) -> Result<RebuildReport> {
    let started = std::time::Instant::now();
    let archive = archive_of(data_dir);
    if !data_dir.join("archive").is_dir() {
        return Err(AppError::Invalid(format!(
            "no archive in {}: nothing to rebuild from",
            data_dir.display()
        )));
    }
    let _lock = archive.import_lock(&mut || {
        progress(
            "",
            &Progress {
                waiting: true,
                ..Progress::default()
            },
        )
    })?;
    archive.remove_leftovers();
    let old_db = data_dir.join(DATABASE_FILE);
    let mut report = RebuildReport::default();
    let old_empty = old_db.metadata().is_ok_and(|m| m.len() == 0);
    let old_files = if old_db.exists() && !old_empty {
        match SqliteStore::files_in(&old_db) {
            Ok(files) => Some(files),
            Err(e) => {
                let why = match e {
                    cairn_store::StoreError::DamagedDatabase(_) => {
                        "it is damaged or is not cairn's".to_string()
                    }
                    other => other.to_string(),
                };
                report.problems.push(format!(
                    "the old database could not be read ({why}): the list of originals comes from the archive's journal, and profile, notes, plans and corrections cannot be carried over"
                ));
                None
            }
        }
    } else {
        None
    };
    report.file_list_from = match &old_files {
        Some(_) => "database and journal".into(),
        None => "journal".into(),
    };
    let (by_athlete, unrecorded) = originals_to_import(&archive, old_files.as_deref(), opts.now_ms);
    report.unrecorded_originals = unrecorded;

    let new_db = data_dir.join(REBUILDING);
    remove_database(&new_db)?;
    let mut store = SqliteStore::open_with(data_dir, &new_db, OpenMode::Repair)?;
    store.athlete(DEFAULT_ATHLETE)?;
    // Splits first: the import cuts the recordings as they were cut.
    let old_splits = if old_files.is_some() {
        SqliteStore::splits_in(&old_db).unwrap_or_else(|e| {
            report.problems.push(format!(
                "the splits of the old database could not be read: {e}"
            ));
            Vec::new()
        })
    } else {
        Vec::new()
    };
    for (name, originals) in &by_athlete {
        let athlete = store.athlete(name)?;
        let rules: Vec<_> = old_splits
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, r)| r.clone())
            .collect();
        store.add_splits(athlete, &rules)?;
        let imported = import::run(
            &mut store,
            athlete,
            Inputs::Archived(originals),
            opts,
            &mut |p| progress(name, p),
        )?;
        if let Some(stop) = &imported.stopped {
            drop(store);
            remove_database(&new_db)?;
            return Err(AppError::Invalid(format!(
                "the rebuild stopped at {}: {}; the database was not changed",
                stop.source, stop.message
            )));
        }
        report.imports.push(AthleteImport {
            athlete: name.clone(),
            report: imported,
        });
    }
    if report.failed() > 0 && !accept_loss {
        drop(store);
        remove_database(&new_db)?;
        report.elapsed_s = started.elapsed().as_secs_f64();
        return Ok(report);
    }
    if old_files.is_some() {
        match store.carry_over(&old_db) {
            Ok(carried) => {
                for (athlete, id, sport) in &carried.sport_edits {
                    let record = store.activity(*athlete, *id)?;
                    crate::rederive(&mut store, *athlete, &record, Some(sport))?;
                }
                for (athlete, id) in &carried.primary_choices {
                    store.make_primary(*athlete, *id)?;
                }
                report.carried_over = carried.rows;
                report.sports_corrected = carried.sport_edits.len();
                report.primary_choices = carried.primary_choices.len();
                report.activities_not_matched = carried.unmatched_activities;
                report.problems.extend(carried.problems);
            }
            Err(e) => report.problems.push(format!(
                "profile, notes, plans and corrections could not be carried over from the old database: {e}"
            )),
        }
    }
    store.close_into_one_file()?;
    report.previous_database = swap_in(data_dir, &new_db, &old_db)?;
    report.replaced = true;
    report.elapsed_s = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Puts the rebuilt database in place of the old one, keeping the old one
/// (and its write-ahead log) under [`BEFORE_REBUILD`]. The last step is one
/// rename, so a crash leaves either database in place, whole.
fn swap_in(data_dir: &Path, new_db: &Path, old_db: &Path) -> Result<Option<String>> {
    let mut kept = None;
    if old_db.exists() {
        let backup = data_dir.join(BEFORE_REBUILD);
        remove_database(&backup)?;
        if std::fs::hard_link(old_db, &backup).is_err() {
            std::fs::copy(old_db, &backup).map_err(|e| io_error(&backup, e))?;
        }
        let wal = with_suffix(old_db, "-wal");
        if wal.exists() {
            let to = with_suffix(&backup, "-wal");
            std::fs::rename(&wal, &to).map_err(|e| io_error(&to, e))?;
        }
        let _ = std::fs::remove_file(with_suffix(old_db, "-shm"));
        kept = Some(backup.display().to_string());
    }
    std::fs::rename(new_db, old_db).map_err(|e| io_error(old_db, e))?;
    std::fs::File::open(data_dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error(data_dir, e))?;
    Ok(kept)
}
