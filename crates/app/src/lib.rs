//! cairn's use cases, shared by the CLI and (later) the server: import files,
//! list and show activities, correct them. Interfaces call this crate, never
//! the store directly.
// The activity's JSON (`json.rs`) is one `json!` of some fifty fields.
#![recursion_limit = "256"]

pub mod analysis;
pub mod compare_text;
pub mod corrections;
pub mod demo;
pub mod environment;
pub mod gear;
pub mod import;
pub mod integrity;
pub mod json;
mod memo;
pub mod plan;
pub mod profile;
pub mod readiness;
pub mod records;
pub mod settings;
pub mod sources;
pub mod strava;
pub mod summary;
pub mod sync;
pub mod training;
pub mod units;
pub mod view;

pub use import::{ImportOptions, ImportReport, Progress};

use cairn_core::metrics::Split;
use cairn_core::model::{
    Activity, DeclaredTotals, DeveloperField, DeviceProfile, Flag, Lap, Samples, SourceFormat,
    Sport, SwimLength, TimerEvent,
};
use cairn_core::timeline::Timeline;
use cairn_store::{
    ActivityFilter, ActivityRecord, AthleteId, CourseRecord, DerivedUpdate, SqliteStore, Store,
    StoreError,
};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Invalid(String),
    /// Something named by id that the archive does not hold (a stay…).
    #[error("{0}")]
    NotFound(String),
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
    /// Efforts found but impossible for a person, with the reason: never
    /// records (a ride labelled a run, a GPS error).
    pub rejected_efforts: Vec<String>,
    /// Seconds in each zone of every scheme in force that day with data.
    pub time_in_zones: Vec<cairn_core::metrics::zones::TimeInZones>,
}

/// A local day number as YYYY-MM-DD.
pub fn day_text(day: i32) -> String {
    cairn_core::load::session::day_text(day)
}

/// What an activity's file said that has no column, stored as JSON at
/// import and read back whenever the activity is derived again.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Extra {
    #[serde(default)]
    pub developer_fields: Vec<DeveloperField>,
    #[serde(default)]
    pub timer_events: Vec<TimerEvent>,
    #[serde(default)]
    pub rr_intervals_s: Vec<f64>,
    #[serde(default)]
    pub lengths: Vec<SwimLength>,
    #[serde(default)]
    pub device_profile: Option<DeviceProfile>,
    #[serde(default)]
    pub declared: DeclaredTotals,
}

impl Extra {
    pub(crate) fn of(a: &Activity) -> Extra {
        Extra {
            developer_fields: a.developer_fields.clone(),
            timer_events: a.timer_events.clone(),
            rr_intervals_s: a.rr_intervals_s.clone(),
            lengths: a.lengths.clone(),
            device_profile: a.device_profile.clone(),
            declared: a.declared.clone(),
        }
    }
}

/// An activity as stored, rebuilt for deriving numbers again: its sport as
/// corrected, its flags, samples, timer events, pool lengths and the file's
/// declared totals. Every use case that recomputes from stored samples goes
/// through here, so they all see the same activity the import saw.
pub(crate) fn stored_activity(record: &ActivityRecord, samples: Samples, extra: &str) -> Activity {
    let extra: Extra = serde_json::from_str(extra).unwrap_or_default();
    let sport = Sport::from_id(&record.sport).unwrap_or(Sport::Other);
    let format = match record.format.as_str() {
        "gpx" => SourceFormat::Gpx,
        "tcx" => SourceFormat::Tcx,
        "manual" => SourceFormat::Manual,
        _ => SourceFormat::Fit,
    };
    let mut a = Activity::new(format, sport, record.start_ms);
    a.original_sport = record.original_sport.clone();
    a.name = record.name.clone();
    a.utc_offset_s = record.utc_offset_s;
    a.device = record.device.clone();
    a.session_index = record.session_index;
    a.samples = samples;
    a.declared = extra.declared;
    a.timer_events = extra.timer_events;
    a.lengths = extra.lengths;
    a.flags = record
        .flags
        .iter()
        .filter_map(|f| Flag::from_id(f))
        .filter(|f| *f != Flag::ProbableDuplicate)
        .collect();
    a.notes = record.summary.notes.clone();
    a
}

/// What the store keeps of [`cairn_core::derived::derive`] for one activity.
fn derived_update(a: &Activity, sport: Option<&str>) -> Result<DerivedUpdate> {
    let d = cairn_core::derived::derive(a);
    Ok(DerivedUpdate {
        sport: sport.map(str::to_string),
        summary: d.summary,
        derived_version: cairn_core::derived::DERIVED_VERSION,
        facts: (
            cairn_core::load::facts::FACTS_VERSION,
            serde_json::to_string(&d.facts).unwrap_or_else(|_| "{}".into()),
        ),
        curves: import::curves_to_store(&d.curves),
        page: cairn_store::codec::encode_page(d.page)?,
    })
}

/// Derives one activity again from its stored samples (with a corrected
/// sport) and replaces its summary, facts and curves in one transaction:
/// records, curves and facts follow every correction at once.
pub(crate) fn rederive(
    store: &mut dyn Store,
    athlete: AthleteId,
    record: &ActivityRecord,
    sport: Option<&str>,
) -> Result<()> {
    let samples = store.samples(athlete, record.id)?;
    let extra = store.activity_extra(athlete, record.id)?;
    let mut record = record.clone();
    if let Some(s) = sport {
        record.sport = s.to_string();
    }
    let a = stored_activity(&record, samples, &extra);
    let update = derived_update(&a, sport)?;
    Ok(store.update_derived(athlete, record.id, &update)?)
}

/// One athlete's archive, opened.
pub struct Cairn {
    /// The archive through the one storage trait: SQLite on one machine;
    /// a server's backend slots in here without changing a use case.
    store: Box<dyn Store + Send>,
    athlete: AthleteId,
    memo: memo::Memo,
}

/// The version of the JSON every `--json` prints and the web API serves
/// (docs/json.md): raised when a field changes meaning or goes away.
pub const JSON_SCHEMA: &str = "2";

/// The athlete a single-user install works as.
pub const DEFAULT_ATHLETE: &str = "me";

impl Cairn {
    pub fn open(data_dir: &Path) -> Result<Cairn> {
        Cairn::open_as(data_dir, DEFAULT_ATHLETE)
    }

    /// Opens the archive as one athlete among several (a coach's, a club's,
    /// the demo's), adding the athlete if the archive does not hold them.
    pub fn open_as(data_dir: &Path, athlete: &str) -> Result<Cairn> {
        Cairn::open_checked(data_dir, athlete, true)
    }

    /// Opens the archive as an athlete it holds: a name it does not hold is
    /// refused with the names it does (a misspelt `--athlete` must not start
    /// an empty log), unless `create` says to add them. An archive without
    /// any athlete yet takes its first one.
    pub fn open_checked(data_dir: &Path, athlete: &str, create: bool) -> Result<Cairn> {
        let store = SqliteStore::open(data_dir)?;
        Cairn::on_store(Box::new(store), athlete, create)
    }

    /// The same over any store (each backend opens its own).
    pub fn on_store(
        mut store: Box<dyn Store + Send>,
        athlete: &str,
        create: bool,
    ) -> Result<Cairn> {
        if !create && store.existing_athlete(athlete)?.is_none() {
            let names: Vec<String> = store
                .athletes_overview()?
                .into_iter()
                .map(|a| a.name)
                .collect();
            if !names.is_empty() {
                return Err(AppError::Invalid(format!(
                    "this archive has no athlete \"{athlete}\" (it holds {}): check --athlete, or add --create to start a new athlete",
                    names.join(", ")
                )));
            }
        }
        let athlete = store.athlete(athlete)?;
        let mut cairn = Cairn {
            store,
            athlete,
            memo: memo::Memo::default(),
        };
        // Numbers derived by an older cairn are derived again, once; a
        // read-only archive shows them as they were derived.
        match cairn.refresh_derived() {
            Err(AppError::Store(e)) if e.is_read_only() => {}
            other => {
                other?;
            }
        }
        Ok(cairn)
    }

    /// Imports files; the report says which records the new activities set.
    pub fn import(
        &mut self,
        paths: &[PathBuf],
        opts: &ImportOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ImportReport> {
        let mut report = import::import(self.store.as_mut(), self.athlete, paths, opts, progress)?;
        report.records = self.new_records(&report.activity_ids)?;
        Ok(report)
    }

    /// Every athlete of the archive in `data_dir`, with their activity
    /// counts; nothing is added.
    pub fn athletes_in(data_dir: &Path) -> Result<Vec<cairn_store::AthleteOverview>> {
        Ok(SqliteStore::open(data_dir)?.athletes_overview()?)
    }

    pub fn activities(&self, filter: &ActivityFilter) -> Result<Vec<ActivityRecord>> {
        Ok(self.store.activities(self.athlete, filter)?)
    }

    pub fn courses(&self) -> Result<Vec<CourseRecord>> {
        Ok(self.store.courses(self.athlete)?)
    }

    /// Summary, laps and splits every `split_length_m` (1000 or 1609.344).
    pub fn show(&mut self, id: i64, split_length_m: f64) -> Result<ActivityDetail> {
        Ok(self.shown(id, split_length_m, view::Source::Kept)?.detail)
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
        let record = self.store.activity(self.athlete, id)?;
        rederive(self.store.as_mut(), self.athlete, &record, Some(s.id()))?;
        Ok(s)
    }

    pub fn make_primary(&mut self, id: i64) -> Result<()> {
        Ok(self.store.make_primary(self.athlete, id)?)
    }

    pub fn activity(&self, id: i64) -> Result<ActivityRecord> {
        Ok(self.store.activity(self.athlete, id)?)
    }

    /// Derives again every activity derived with older definitions (after an
    /// upgrade of cairn), in parallel; returns how many.
    pub fn refresh_derived(&mut self) -> Result<usize> {
        use rayon::prelude::*;
        let stale = self
            .store
            .stale_derived(self.athlete, cairn_core::derived::DERIVED_VERSION)?;
        for chunk in stale.chunks(64) {
            let inputs: Vec<(ActivityRecord, Samples, String)> = chunk
                .iter()
                .map(|id| {
                    let record = self.store.activity(self.athlete, *id)?;
                    let samples = self.store.samples(self.athlete, *id)?;
                    let extra = self.store.activity_extra(self.athlete, *id)?;
                    Ok((record, samples, extra))
                })
                .collect::<Result<_>>()?;
            let updates: Vec<(i64, DerivedUpdate)> = inputs
                .into_par_iter()
                .map(|(record, samples, extra)| {
                    let a = stored_activity(&record, samples, &extra);
                    Ok((record.id, derived_update(&a, None)?))
                })
                .collect::<Result<_>>()?;
            for (id, update) in &updates {
                self.store.update_derived(self.athlete, *id, update)?;
            }
        }
        Ok(stale.len())
    }

    /// An activity as stored, rebuilt from its samples and extras.
    pub(crate) fn load_activity(&self, record: &ActivityRecord) -> Result<Activity> {
        let samples = self.store.samples(self.athlete, record.id)?;
        let extra = self.store.activity_extra(self.athlete, record.id)?;
        Ok(stored_activity(record, samples, &extra))
    }

    /// The page data kept for an activity, or `None` when there is none or
    /// it cannot be read (a damaged blob): it is only a cache of what the
    /// samples give, so the page is then drawn from the samples.
    pub(crate) fn kept_page(&self, id: i64) -> Result<Option<cairn_core::derived::PageData>> {
        match self.store.page_data(self.athlete, id) {
            Err(StoreError::Codec(_)) => Ok(None),
            other => Ok(other?),
        }
    }

    /// An activity's series, reduced to `points` (every recorded second
    /// with `None`), and how many seconds were recorded. Sizes the kept
    /// page data answers exactly are read from it.
    pub fn streams(
        &self,
        id: i64,
        points: Option<usize>,
    ) -> Result<(usize, cairn_core::streams::Streams)> {
        let record = self.store.activity(self.athlete, id)?;
        if let Some(n) = points.filter(|n| cairn_core::streams::reducible_from_view(*n)) {
            if record.derived_version == cairn_core::derived::DERIVED_VERSION {
                if let Some(page) = self.kept_page(id)? {
                    return Ok((page.recorded_seconds, page.streams.reduced(n)));
                }
            }
        }
        let a = self.load_activity(&record)?;
        let full = cairn_core::streams::Streams::of(&a, &Timeline::of(&a));
        let recorded = full.len();
        Ok(match points {
            Some(n) => (recorded, full.reduced(n)),
            None => (recorded, full),
        })
    }

    /// An activity's samples, decoded.
    pub fn samples(&self, id: i64) -> Result<cairn_core::model::Samples> {
        Ok(self.store.samples(self.athlete, id)?)
    }

    pub fn original_file(&self, id: i64) -> Result<Vec<u8>> {
        Ok(self.store.original_file(self.athlete, id)?)
    }
}
