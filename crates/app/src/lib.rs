//! cairn's use cases, shared by the CLI and (later) the server: import files,
//! list and show activities, correct them. Interfaces call this crate, never
//! the store directly.

pub mod analysis;
pub mod demo;
pub mod environment;
pub mod import;
pub mod plan;
pub mod records;
pub mod sources;
pub mod strava;
pub mod training;

pub use import::{ImportOptions, ImportReport, Progress};

use cairn_core::metrics::{self, Split};
use cairn_core::model::{Activity, Lap, SourceFormat, Sport};
use cairn_store::{
    ActivityFilter, ActivityRecord, AthleteId, CourseRecord, SqliteStore, Store, StoreError,
};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, AppError>;

/// An activity with everything `show` needs.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityDetail {
    #[serde(flatten)]
    pub record: ActivityRecord,
    pub lap_list: Vec<Lap>,
    pub splits: Vec<Split>,
    pub split_length_m: f64,
}

/// A local day number as YYYY-MM-DD.
pub fn day_text(day: i32) -> String {
    cairn_core::load::session::day_text(day)
}

/// One athlete's archive, opened.
pub struct Cairn {
    store: SqliteStore,
    athlete: AthleteId,
}

/// The athlete a single-user install works as.
pub const DEFAULT_ATHLETE: &str = "me";

impl Cairn {
    pub fn open(data_dir: &Path) -> Result<Cairn> {
        Cairn::open_as(data_dir, DEFAULT_ATHLETE)
    }

    /// Opens the archive as one athlete among several (a coach's, a club's, the demo's).
    pub fn open_as(data_dir: &Path, athlete: &str) -> Result<Cairn> {
        let mut store = SqliteStore::open(data_dir)?;
        let athlete = store.athlete(athlete)?;
        Ok(Cairn { store, athlete })
    }

    /// Imports files; the report says which records the new activities set.
    pub fn import(
        &mut self,
        paths: &[PathBuf],
        opts: &ImportOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ImportReport> {
        let mut report = import::import(&mut self.store, self.athlete, paths, opts, progress)?;
        report.records = self.new_records(&report.activity_ids)?;
        Ok(report)
    }

    pub fn activities(&self, filter: &ActivityFilter) -> Result<Vec<ActivityRecord>> {
        Ok(self.store.activities(self.athlete, filter)?)
    }

    pub fn courses(&self) -> Result<Vec<CourseRecord>> {
        Ok(self.store.courses(self.athlete)?)
    }

    /// Summary, laps and splits every `split_length_m` (1000 or 1609.344).
    pub fn show(&self, id: i64, split_length_m: f64) -> Result<ActivityDetail> {
        let record = self.store.activity(self.athlete, id)?;
        let laps = self.store.laps(self.athlete, id)?;
        let samples = self.store.samples(self.athlete, id)?;
        let sport = Sport::from_id(&record.sport).unwrap_or(Sport::Other);
        let mut a = Activity::new(SourceFormat::Fit, sport, record.start_ms);
        a.samples = samples;
        let splits = metrics::splits(&a, split_length_m);
        Ok(ActivityDetail {
            record,
            lap_list: laps,
            splits,
            split_length_m,
        })
    }

    pub fn edit_sport(&mut self, id: i64, sport: &str) -> Result<Sport> {
        let s = Sport::from_id(sport).ok_or_else(|| {
            AppError::Invalid(format!(
                "unknown sport '{sport}'; one of: {}",
                Sport::ALL
                    .iter()
                    .map(|s| s.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        self.store.set_sport(self.athlete, id, s.id())?;
        Ok(s)
    }

    pub fn make_primary(&mut self, id: i64) -> Result<()> {
        Ok(self.store.make_primary(self.athlete, id)?)
    }

    pub fn activity(&self, id: i64) -> Result<ActivityRecord> {
        Ok(self.store.activity(self.athlete, id)?)
    }

    /// An activity's samples, decoded.
    pub fn samples(&self, id: i64) -> Result<cairn_core::model::Samples> {
        Ok(self.store.samples(self.athlete, id)?)
    }

    pub fn original_file(&self, id: i64) -> Result<Vec<u8>> {
        Ok(self.store.original_file(self.athlete, id)?)
    }
}
