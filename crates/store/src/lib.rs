//! cairn's storage: one [`Store`] trait, its embedded SQLite implementation,
//! versioned migrations, compressed sample blobs and the content-addressed
//! archive of original files.
//!
//! Every table is keyed by athlete, so the multi-user server's PostgreSQL
//! implementation can join behind the same trait.

mod archive;
mod carry_over;
pub mod codec;
pub mod duplicates;
mod migrations;
mod sqlite;

pub use archive::{Archive, ImportLock, JournalEntry, OriginalState};
pub use carry_over::CarriedOver;
pub use sqlite::{OpenMode, SqliteStore, DATABASE_FILE};

use cairn_core::metrics::Summary;
use cairn_core::model::{Lap, Samples};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(DbError),
    #[error("archive {path}: {source}")]
    Archive {
        path: String,
        source: std::io::Error,
    },
    #[error("stored samples are corrupt: {0}")]
    Codec(String),
    #[error(
        "database schema version {found} is newer than this cairn ({supported}); upgrade cairn"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("no activity {0}")]
    NoSuchActivity(i64),
    #[error("there is already gear named '{0}' (names are compared ignoring case)")]
    GearNameTaken(String),
    #[error("the database {database} is empty, but the archive beside it holds {originals} original files: it was lost or cut short; `cairn rebuild` derives it again from the originals (nothing was changed)")]
    EmptyDatabaseWithArchive { database: String, originals: usize },
    #[error("{0} is a file, not a folder: give cairn a data directory (--data-dir DIR)")]
    NotADirectory(String),
    #[error("the database {0} is damaged or is not cairn's (SQLite cannot read it): `cairn rebuild` derives it again from the archived originals and keeps the damaged file beside it")]
    DamagedDatabase(String),
    #[error("the archive {0} cannot be written (read-only, or another user's): commands that only read work; importing, editing and rebuilding need write access")]
    ReadOnly(String),
}

/// A database failure in words every backend shares: what callers decide
/// on (the kind) and what the backend said (the message). No backend's
/// error type leaks out of the store.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct DbError {
    pub kind: DbErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbErrorKind {
    /// The database cannot be written (or opened for writing).
    ReadOnly,
    /// The file is not a database, or a corrupt one.
    Damaged,
    /// Another connection holds a lock; trying again later may work.
    Busy,
    Other,
}

impl StoreError {
    /// The archive cannot be written (a read-only mount or permissions):
    /// reading commands still work.
    pub fn is_read_only(&self) -> bool {
        match self {
            StoreError::Db(e) => e.kind == DbErrorKind::ReadOnly,
            StoreError::ReadOnly(_) => true,
            StoreError::Archive { source, .. } => {
                source.kind() == std::io::ErrorKind::PermissionDenied
                    || source.kind() == std::io::ErrorKind::ReadOnlyFilesystem
            }
            _ => false,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Whose data a call concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct AthleteId(pub i64);

/// A file about to be stored: its identity and bytes.
pub struct NewFile<'a> {
    pub sha256: String,
    pub bytes: &'a [u8],
    /// File name, or for archive members the path inside the archive.
    pub source: String,
    pub format: String,
    pub imported_at_ms: i64,
    pub warnings: Vec<String>,
    /// SHA-256 of the content after gunzip, when it differs from `sha256`:
    /// the same FIT compressed differently (a Garmin and a Strava export) is
    /// the same file.
    pub content_sha256: Option<String>,
    /// What an export said about the file (Strava's name, type…), kept in
    /// the archive's journal for a rebuild.
    pub export_meta: Option<serde_json::Value>,
    /// The journal has this file's line already (a rebuild reading the
    /// archive): no second line is written.
    pub journaled: bool,
}

/// A stored file, as verify and rebuild see it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFile {
    pub id: i64,
    pub sha256: String,
    pub source: String,
    pub format: String,
    pub imported_at_ms: i64,
}

/// One decoded, summarised activity ready to store; blobs are compressed by the
/// caller so the (single) writer only runs SQL.
pub struct NewActivity {
    pub record: ActivityRecord,
    pub laps: Vec<Lap>,
    /// JSON with what has no column: developer fields, timer events, RR intervals.
    pub extra_json: String,
    pub time_blob: Vec<u8>,
    pub channel_blobs: Vec<(String, Vec<u8>)>,
    /// Profile-independent facts (peak HR, best efforts) and their version.
    pub facts: Option<(u32, String)>,
    /// Mean-maximal curves (kind, version, value per duration).
    pub curves: Vec<(String, u32, Vec<Option<f64>>)>,
    /// What its page draws, as [`codec::encode_page`] parts.
    pub page: Vec<(String, Vec<u8>)>,
}

/// A planned route (GPX route, time-less track, TCX course), kept apart from training.
pub struct NewCourse {
    pub name: Option<String>,
    pub format: String,
    pub points: usize,
    pub distance_m: f64,
    pub lat_blob: Vec<u8>,
    pub lon_blob: Vec<u8>,
    pub altitude_blob: Vec<u8>,
}

/// A stored course, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseRecord {
    pub id: i64,
    pub name: Option<String>,
    pub source: String,
    pub format: String,
    pub points: usize,
    pub distance_m: f64,
}

/// What storing a file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    Imported {
        file_id: i64,
        activity_ids: Vec<i64>,
        course_ids: Vec<i64>,
        /// (new activity, the existing activity it probably duplicates)
        duplicates: Vec<(i64, i64)>,
    },
    /// The same bytes were imported before; nothing was added.
    AlreadyImported { file_id: i64 },
}

/// An activity as listed and shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ActivityRecord {
    pub id: i64,
    pub source: String,
    pub session_index: Option<u32>,
    /// Activities from one multisport file share this (the file's id).
    pub multisport_group: Option<i64>,
    pub format: String,
    pub sport: String,
    pub original_sport: Option<String>,
    /// The athlete's own name for it, else the file's or Strava's.
    pub name: Option<String>,
    /// The athlete's own note.
    pub note: Option<String>,
    /// When the athlete deleted it (`None` while it counts): a deleted
    /// activity keeps its original and can be restored.
    #[serde(with = "cairn_core::time::json::instant_opt")]
    pub deleted_time: Option<i64>,
    pub description: Option<String>,
    pub gear: Option<String>,
    #[serde(
        rename = "start_time",
        alias = "start_ms",
        with = "cairn_core::time::json::instant"
    )]
    pub start_ms: i64,
    #[serde(
        rename = "end_time",
        alias = "end_ms",
        with = "cairn_core::time::json::instant"
    )]
    pub end_ms: i64,
    pub utc_offset_s: Option<i32>,
    pub device: Option<String>,
    pub laps: usize,
    pub flags: Vec<String>,
    /// For a probable duplicate: the activity it overlaps.
    pub duplicate_of: Option<i64>,
    /// Whether this copy counts in training totals (one per duplicate set).
    pub is_primary: bool,
    pub file_sha256: String,
    /// The recording this came from (FIT device serial and creation time).
    pub recording_id: Option<String>,
    /// Version of the definitions the summary, facts and curves were derived with.
    pub derived_version: u32,
    pub summary: Summary,
}

/// Which activities to list. Bounds are on the activity's local start time
/// (UTC plus its offset, where known), so a run belongs to the calendar day
/// it was run on wherever that was.
/// One athlete of an archive, as `cairn athletes` lists them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AthleteOverview {
    pub name: String,
    pub activities: usize,
    /// Local day of the first activity.
    #[serde(with = "cairn_core::time::json::day_opt")]
    pub first_day: Option<i32>,
    #[serde(with = "cairn_core::time::json::day_opt")]
    pub last_day: Option<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    /// Only these sports (ids); every sport when empty.
    pub sports: Vec<String>,
    /// Inclusive lower bound, local time as milliseconds since the epoch.
    pub from_ms: Option<i64>,
    /// Exclusive upper bound, local time as milliseconds since the epoch.
    pub to_ms: Option<i64>,
    /// Deleted activities too (they are left out otherwise).
    pub include_deleted: bool,
}

/// Everything derived from an activity's samples, replaced at once when the
/// activity is corrected (its sport) or derived again after an upgrade.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedUpdate {
    /// A corrected sport, stored with the derived values it changed.
    pub sport: Option<String>,
    pub summary: Summary,
    pub derived_version: u32,
    /// Profile-independent facts and their version (JSON).
    pub facts: (u32, String),
    /// Mean-maximal curves (kind, version, value per duration).
    pub curves: Vec<(String, u32, Vec<Option<f64>>)>,
    /// What its page draws, as [`codec::encode_page`] parts.
    pub page: Vec<(String, Vec<u8>)>,
}

/// A computed value stored with the key of everything it was computed from:
/// when the key changes (a profile value, a rating, the model version), it is
/// recomputed; otherwise it is reused.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedLoad {
    pub inputs_key: String,
    pub aerobic: Option<f64>,
    pub aerobic_source: Option<String>,
    pub mechanical: f64,
    /// JSON: the explanations and components.
    pub detail: String,
    /// JSON: time in each zone of every scheme in force (the schemes' edges
    /// are part of `inputs_key`).
    pub zones: String,
}

/// See [`Store::change_stamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeStamp {
    /// Moves when another connection commits.
    pub others: i64,
    /// Moves when this connection writes.
    pub own: u64,
}

/// What the athlete said about one session.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StoredNotes {
    pub rpe: Option<f64>,
    pub pack_kg: Option<f64>,
    /// Air temperature and dew point the athlete logged for the session (°C).
    pub temp_c: Option<f64>,
    pub dew_point_c: Option<f64>,
}

/// A stored mean-maximal curve: (activity, version, value per duration).
pub type StoredCurve = (i64, u32, Vec<Option<f64>>);

/// One day's weather at a place, as imported.
#[derive(Debug, Clone, PartialEq)]
pub struct WeatherRow {
    pub day: i32,
    pub place: String,
    pub temp_c: f64,
    pub dew_point_c: Option<f64>,
}

/// Storage as the rest of cairn sees it.
pub trait Store {
    /// The athlete with this name, created on first use.
    fn athlete(&mut self, name: &str) -> Result<AthleteId>;
    /// The athlete of that name, without adding one.
    fn existing_athlete(&self, name: &str) -> Result<Option<AthleteId>>;
    /// Every athlete in the archive with their activity count and the local
    /// days of their first and last activity, by name.
    fn athletes_overview(&self) -> Result<Vec<AthleteOverview>>;
    /// The stored file with these exact bytes, if any.
    fn file_by_hash(&self, athlete: AthleteId, sha256: &str) -> Result<Option<i64>>;
    /// All stored file hashes of an athlete (as stored and after gunzip), for
    /// skipping known files quickly.
    fn file_hashes(&self, athlete: AthleteId) -> Result<std::collections::HashSet<String>>;
    /// The archive of original files. Safe to write from any thread: callers
    /// may store originals in parallel before [`Store::import_file`].
    fn archive(&self) -> &Archive;
    /// Stores a file and its activities in one transaction: all or nothing.
    /// The original bytes go to the archive first (a no-op if already there).
    fn import_file(
        &mut self,
        athlete: AthleteId,
        file: NewFile<'_>,
        activities: Vec<NewActivity>,
        courses: Vec<NewCourse>,
    ) -> Result<FileOutcome>;
    fn courses(&self, athlete: AthleteId) -> Result<Vec<CourseRecord>>;
    fn activities(
        &self,
        athlete: AthleteId,
        filter: &ActivityFilter,
    ) -> Result<Vec<ActivityRecord>>;
    fn activity(&self, athlete: AthleteId, id: i64) -> Result<ActivityRecord>;
    fn laps(&self, athlete: AthleteId, id: i64) -> Result<Vec<Lap>>;
    fn samples(&self, athlete: AthleteId, id: i64) -> Result<Samples>;
    /// What the activity's page draws, as derived with its summary; `None`
    /// when it was derived before the page data was kept.
    fn page_data(
        &self,
        athlete: AthleteId,
        id: i64,
    ) -> Result<Option<cairn_core::derived::PageData>>;
    /// Replaces what is derived from an activity (and its sport, when
    /// corrected) in one transaction; the file's own sport stays in
    /// `original_sport`.
    fn update_derived(&mut self, athlete: AthleteId, id: i64, update: &DerivedUpdate)
        -> Result<()>;
    /// Activities whose derived values were computed with an older version.
    fn stale_derived(&self, athlete: AthleteId, version: u32) -> Result<Vec<i64>>;
    /// Sets name, description and gear where given (Strava's activities.csv).
    fn set_details(
        &mut self,
        athlete: AthleteId,
        id: i64,
        name: Option<&str>,
        description: Option<&str>,
        gear: Option<&str>,
    ) -> Result<()>;
    /// Makes this activity the primary of its duplicate set.
    fn make_primary(&mut self, athlete: AthleteId, id: i64) -> Result<()>;
    /// Sets the athlete's own name and/or note (`Some(None)` clears it,
    /// `None` keeps it).
    fn set_own_text(
        &mut self,
        athlete: AthleteId,
        id: i64,
        name: Option<Option<&str>>,
        note: Option<Option<&str>>,
    ) -> Result<()>;
    /// Marks an activity deleted: it leaves every list and total, its
    /// original and everything said about it stay. If it was the copy that
    /// counted among duplicates, the oldest other copy counts instead: its id.
    fn delete_activity(&mut self, athlete: AthleteId, id: i64, at_ms: i64) -> Result<Option<i64>>;
    /// Undoes a deletion.
    fn restore_activity(&mut self, athlete: AthleteId, id: i64) -> Result<()>;
    /// The original bytes of the file an activity came from.
    fn original_file(&self, athlete: AthleteId, id: i64) -> Result<Vec<u8>>;
    /// What an activity's file said that has no column (timer events, pool
    /// lengths, declared totals…), as the JSON stored at import.
    fn activity_extra(&self, athlete: AthleteId, id: i64) -> Result<String>;
    /// The compressed sample blobs of an activity, (channel, blob), to be
    /// decoded off the store's thread with [`codec::decode_samples`].
    fn sample_blobs(&self, athlete: AthleteId, id: i64) -> Result<Vec<(String, Vec<u8>)>>;

    fn profile_entries(&self, athlete: AthleteId) -> Result<Vec<cairn_core::load::ProfileEntry>>;
    /// Sets a profile value from a day on (replacing one set for the same day).
    fn set_profile_entry(
        &mut self,
        athlete: AthleteId,
        entry: cairn_core::load::ProfileEntry,
        set_at_ms: i64,
    ) -> Result<()>;
    fn notes(&self, athlete: AthleteId) -> Result<std::collections::HashMap<i64, StoredNotes>>;
    /// Changes whenever the archive does: a write through this store or
    /// any other connection to the same archive. Callers keep results
    /// derived from the whole archive while it stays the same.
    fn change_stamp(&self) -> Result<ChangeStamp>;
    /// Records a rating and/or pack for an activity (`None` keeps the current value).
    fn set_notes(
        &mut self,
        athlete: AthleteId,
        id: i64,
        rpe: Option<f64>,
        pack_kg: Option<f64>,
    ) -> Result<()>;
    /// Per-activity facts (peak heart rate, best efforts) with their version.
    /// Records the conditions of a session (`None` keeps the current value).
    fn set_conditions(
        &mut self,
        athlete: AthleteId,
        id: i64,
        temp_c: Option<f64>,
        dew_point_c: Option<f64>,
    ) -> Result<()>;
    fn stays(&self, athlete: AthleteId) -> Result<Vec<cairn_core::environment::altitude::Stay>>;
    /// Adds a stay (its `id` is ignored) and returns its id.
    fn add_stay(
        &mut self,
        athlete: AthleteId,
        stay: &cairn_core::environment::altitude::Stay,
    ) -> Result<i64>;
    /// Removes a stay; false if there was none with this id.
    fn remove_stay(&mut self, athlete: AthleteId, id: i64) -> Result<bool>;
    fn weather(&self, athlete: AthleteId) -> Result<Vec<WeatherRow>>;
    /// Adds or replaces weather rows (by day and place), in one transaction.
    fn put_weather(&mut self, athlete: AthleteId, rows: &[WeatherRow]) -> Result<()>;
    /// Stored curves of one kind: (activity, version, values per duration).
    fn curves(&self, athlete: AthleteId, kind: &str) -> Result<Vec<StoredCurve>>;
    fn put_curves(
        &mut self,
        athlete: AthleteId,
        curves: &[(i64, String, u32, Vec<Option<f64>>)],
    ) -> Result<()>;
    /// The version of each activity's stored facts (cheap: no facts read).
    fn fact_versions(&self, athlete: AthleteId) -> Result<std::collections::HashMap<i64, u32>>;
    fn facts(&self, athlete: AthleteId) -> Result<std::collections::HashMap<i64, (u32, String)>>;
    fn put_facts(&mut self, athlete: AthleteId, facts: &[(i64, u32, String)]) -> Result<()>;
    fn loads(&self, athlete: AthleteId) -> Result<std::collections::HashMap<i64, CachedLoad>>;
    /// One activity's cached load, if one is cached.
    fn load(&self, athlete: AthleteId, id: i64) -> Result<Option<CachedLoad>>;
    /// Stores computed loads in one transaction.
    fn put_loads(&mut self, athlete: AthleteId, loads: &[(i64, CachedLoad)]) -> Result<()>;
    fn setting(&self, athlete: AthleteId, key: &str) -> Result<Option<String>>;
    fn set_setting(&mut self, athlete: AthleteId, key: &str, value: &str) -> Result<()>;
    /// Every plan, newest first: (id, active, JSON).
    fn plans(&self, athlete: AthleteId) -> Result<Vec<(i64, bool, String)>>;
    /// Adds a plan and makes it the active one, in one transaction; earlier
    /// plans are kept, no longer active.
    fn add_plan(&mut self, athlete: AthleteId, created_day: i32, json: &str) -> Result<i64>;
    /// Makes one plan the active one (`None`: no plan is active); false if
    /// the athlete has no plan with this id.
    fn set_active_plan(&mut self, athlete: AthleteId, id: Option<i64>) -> Result<bool>;
    /// Replaces a plan's JSON (after adaptation or an edit).
    fn update_plan(&mut self, athlete: AthleteId, id: i64, json: &str) -> Result<()>;
    /// The athlete's registered gear, by name.
    fn gear(&self, athlete: AthleteId) -> Result<Vec<cairn_core::gear::GearItem>>;
    /// Adds a piece of gear (`id` 0) or replaces the one with its id; returns
    /// the id. A name already taken (ignoring case) is `StoreError::GearNameTaken`.
    fn put_gear(&mut self, athlete: AthleteId, item: &cairn_core::gear::GearItem) -> Result<i64>;
    /// Every split the athlete made of a recording.
    fn splits(&self, athlete: AthleteId) -> Result<Vec<cairn_core::corrections::SplitRule>>;
    /// Records splits for files not imported yet (a rebuild, before it
    /// imports the originals).
    fn add_splits(
        &mut self,
        athlete: AthleteId,
        rules: &[cairn_core::corrections::SplitRule],
    ) -> Result<()>;
    /// Derives one session of a file again: its splits become `rules` and
    /// its activities `activities` (the parts, or the whole again), in one
    /// transaction. What the athlete said of an old activity (name, note,
    /// rating, pack, gear, deletion) goes to the new one that starts inside
    /// it first; every new one counts as the old did. Returns the new ids.
    fn rederive_session(
        &mut self,
        athlete: AthleteId,
        file_sha256: &str,
        session_index: Option<u32>,
        rules: &[cairn_core::corrections::SplitRule],
        activities: Vec<NewActivity>,
    ) -> Result<Vec<i64>>;
    /// The files `cairn sync` has looked at: path → (size in bytes,
    /// modification time in ms).
    fn sync_seen(
        &self,
        athlete: AthleteId,
    ) -> Result<std::collections::HashMap<String, (u64, i64)>>;
    /// Remembers files `cairn sync` has looked at (replacing what was known
    /// of the same paths).
    fn mark_sync_seen(&mut self, athlete: AthleteId, files: &[(String, u64, i64)]) -> Result<()>;
    /// The athlete's own gear choices per activity.
    fn gear_assignments(
        &self,
        athlete: AthleteId,
    ) -> Result<std::collections::HashMap<i64, cairn_core::gear::Assignment>>;
    /// Sets (or, with `None`, forgets) the gear of these activities, in one
    /// transaction; every id must be one of the athlete's activities.
    fn assign_gear(
        &mut self,
        athlete: AthleteId,
        activities: &[i64],
        assignment: Option<cairn_core::gear::Assignment>,
    ) -> Result<()>;
    fn feel_log(&self, athlete: AthleteId) -> Result<Vec<cairn_core::plan::adapt::Feel>>;
    /// Stores the day's feel, replacing an earlier entry for that day.
    fn put_feel(&mut self, athlete: AthleteId, feel: &cairn_core::plan::adapt::Feel) -> Result<()>;
}
