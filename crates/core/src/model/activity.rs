//! An activity as decoded from one file (or one session of a multisport file).

use super::{Samples, Sport};
use serde::{Deserialize, Serialize};

/// The file format an activity came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Fit,
    Gpx,
    Tcx,
    /// Logged by hand (`cairn add`): no device file.
    Manual,
}

impl SourceFormat {
    pub fn id(self) -> &'static str {
        match self {
            SourceFormat::Fit => "fit",
            SourceFormat::Gpx => "gpx",
            SourceFormat::Tcx => "tcx",
            SourceFormat::Manual => "manual",
        }
    }
}

/// Something about an activity that must not be silently trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// The FIT file CRC (or header CRC) did not match; data was decoded where intact.
    CrcMismatch,
    /// The file ended or broke before its declared end; what came before is kept.
    Truncated,
    /// Timestamps are device-relative (FIT < 0x10000000); anchored on a local time.
    RelativeTimes,
    /// GPX/TCX times without a zone, read as UTC.
    NaiveTimes,
    /// Every sample carries the same time, or times that cannot be real.
    PlaceholderTimes,
    /// Elapsed time longer than 7 days.
    ImplausibleDuration,
    /// The device's timer time exceeds its elapsed time.
    TimerExceedsElapsed,
    /// Positions at exactly (0, 0) were dropped.
    ZeroPositions,
    /// Start date before 1990 or in the far future.
    ImplausibleDate,
    /// Sample times go backwards.
    TimeBacksteps,
    /// Overlaps another activity of the same sport family in time.
    ProbableDuplicate,
}

impl Flag {
    pub fn id(self) -> &'static str {
        match self {
            Flag::CrcMismatch => "crc_mismatch",
            Flag::Truncated => "truncated",
            Flag::RelativeTimes => "relative_times",
            Flag::NaiveTimes => "naive_times",
            Flag::PlaceholderTimes => "placeholder_times",
            Flag::ImplausibleDuration => "implausible_duration",
            Flag::TimerExceedsElapsed => "timer_exceeds_elapsed",
            Flag::ZeroPositions => "zero_positions",
            Flag::ImplausibleDate => "implausible_date",
            Flag::TimeBacksteps => "time_backsteps",
            Flag::ProbableDuplicate => "probable_duplicate",
        }
    }

    /// Whether an activity with this flag may set records: not when its
    /// times cannot be trusted (placeholders, impossible durations or dates,
    /// a timer longer than the activity, time running backwards).
    pub fn keeps_records(self) -> bool {
        !matches!(
            self,
            Flag::PlaceholderTimes
                | Flag::ImplausibleDuration
                | Flag::ImplausibleDate
                | Flag::TimerExceedsElapsed
                | Flag::TimeBacksteps
        )
    }

    pub fn from_id(id: &str) -> Option<Flag> {
        use Flag::*;
        [
            CrcMismatch,
            Truncated,
            RelativeTimes,
            NaiveTimes,
            PlaceholderTimes,
            ImplausibleDuration,
            TimerExceedsElapsed,
            ZeroPositions,
            ImplausibleDate,
            TimeBacksteps,
            ProbableDuplicate,
        ]
        .into_iter()
        .find(|f| f.id() == id)
    }
}

/// Totals the file itself states (FIT session, TCX lap sums). `None` where the
/// file says nothing; cairn computes from samples only what the file lacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeclaredTotals {
    pub elapsed_s: Option<f64>,
    pub timer_s: Option<f64>,
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
    pub descent_m: Option<f64>,
    pub calories_kcal: Option<f64>,
    pub avg_speed_mps: Option<f64>,
    pub max_speed_mps: Option<f64>,
    pub avg_hr_bpm: Option<f64>,
    pub max_hr_bpm: Option<f64>,
    pub avg_power_w: Option<f64>,
    pub max_power_w: Option<f64>,
    pub avg_cadence: Option<f64>,
    pub avg_temperature_c: Option<f64>,
    pub min_altitude_m: Option<f64>,
    pub max_altitude_m: Option<f64>,
    pub pool_length_m: Option<f64>,
    pub active_lengths: Option<u32>,
}

/// A lap as the device recorded it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lap {
    #[serde(
        rename = "start_time",
        alias = "start_ms",
        with = "crate::time::json::instant"
    )]
    pub start_ms: i64,
    pub totals: DeclaredTotals,
}

/// Timer start/stop events (FIT `event` messages with event = timer), which say
/// when the athlete paused the recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerEvent {
    #[serde(
        rename = "time",
        alias = "time_ms",
        with = "crate::time::json::instant"
    )]
    pub time_ms: i64,
    pub running: bool,
}

/// A developer (Connect IQ) field description, kept so its data can be read later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeveloperField {
    pub developer_index: u8,
    pub field_number: u8,
    pub base_type: u8,
    pub name: Option<String>,
    pub units: Option<String>,
    pub native_message: Option<u16>,
    pub native_field: Option<u8>,
}

/// One recorded activity.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub format: SourceFormat,
    pub sport: Sport,
    /// The file's own sport words, e.g. `running/trail` (FIT), `Running` (TCX).
    pub original_sport: Option<String>,
    pub name: Option<String>,
    /// UTC milliseconds since the Unix epoch.
    pub start_ms: i64,
    /// Offset of local time from UTC at the start, when the file states it.
    pub utc_offset_s: Option<i32>,
    /// Recording device, e.g. `garmin fenix2` or the GPX creator.
    pub device: Option<String>,
    /// Position of this session inside a multisport file (0-based); `None` for single-sport files.
    pub session_index: Option<u32>,
    /// The recording this came from, however it was exported: for FIT the
    /// device's manufacturer, serial number and the file's creation time
    /// (`file_id`), so the same recording from a Garmin and a Strava export
    /// is one activity whatever each export calls its sport.
    pub recording_id: Option<String>,
    pub declared: DeclaredTotals,
    pub laps: Vec<Lap>,
    pub samples: Samples,
    pub timer_events: Vec<TimerEvent>,
    pub developer_fields: Vec<DeveloperField>,
    /// RR intervals in seconds (FIT `hrv` messages), for HRV analysis.
    pub rr_intervals_s: Vec<f64>,
    /// Pool lengths (FIT `length` messages).
    pub lengths: Vec<SwimLength>,
    /// What the device knew about the athlete (FIT `user_profile`, `zones_target`),
    /// kept as evidence for the athlete profile, never applied silently.
    pub device_profile: Option<DeviceProfile>,
    pub flags: Vec<Flag>,
    /// What cleaning changed or could not trust, in words, with amounts
    /// ("a repeated track of 12 min (730 points) dropped").
    pub notes: Vec<String>,
    /// Points of the file that cleaning dropped (time going backwards).
    pub dropped_points: usize,
}

/// One pool length.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SwimLength {
    #[serde(
        rename = "start_time",
        alias = "start_ms",
        with = "crate::time::json::instant"
    )]
    pub start_ms: i64,
    pub elapsed_s: Option<f64>,
    pub strokes: Option<f64>,
    /// `false` for rest (idle) lengths.
    pub active: bool,
}

/// Athlete values a device stored in the file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceProfile {
    pub weight_kg: Option<f64>,
    pub height_m: Option<f64>,
    pub age_years: Option<f64>,
    pub resting_hr_bpm: Option<f64>,
    pub max_hr_bpm: Option<f64>,
    pub threshold_hr_bpm: Option<f64>,
    pub ftp_w: Option<f64>,
}

impl Activity {
    pub fn new(format: SourceFormat, sport: Sport, start_ms: i64) -> Activity {
        Activity {
            format,
            sport,
            original_sport: None,
            name: None,
            start_ms,
            utc_offset_s: None,
            device: None,
            session_index: None,
            recording_id: None,
            declared: DeclaredTotals::default(),
            laps: Vec::new(),
            samples: Samples::default(),
            timer_events: Vec::new(),
            developer_fields: Vec::new(),
            rr_intervals_s: Vec::new(),
            lengths: Vec::new(),
            device_profile: None,
            flags: Vec::new(),
            notes: Vec::new(),
            dropped_points: 0,
        }
    }

    /// Adds a flag once.
    pub fn flag(&mut self, flag: Flag) {
        if !self.flags.contains(&flag) {
            self.flags.push(flag);
            self.flags.sort();
        }
    }

    /// Last instant the activity covers: the later of its samples' end and its declared elapsed time.
    pub fn end_ms(&self) -> i64 {
        let by_samples = self
            .samples
            .time_ms
            .iter()
            .copied()
            .max()
            .unwrap_or(self.start_ms);
        let by_elapsed = self
            .declared
            .elapsed_s
            .map(|s| self.start_ms + (s * 1000.0) as i64)
            .unwrap_or(self.start_ms);
        by_samples.max(by_elapsed)
    }
}

/// A planned route (GPX route, TCX course, or a GPX track without times): a
/// course to follow, never counted as training.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub format: SourceFormat,
    pub name: Option<String>,
    pub lat_deg: Vec<f64>,
    pub lon_deg: Vec<f64>,
    pub altitude_m: Vec<Option<f64>>,
}
