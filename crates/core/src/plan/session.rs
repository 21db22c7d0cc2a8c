//! A plan's parts: sessions, weeks and the plan itself, as plain data.

use super::goal::Goal;
use super::rules::Rule;
use super::zones::{HeartRateRange, Zone, Zones};
use crate::model::Sport;
use serde::{Deserialize, Serialize};

/// What the athlete does in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Run,
    TrailRun,
    Hike,
    Walk,
    Stairs,
    Ride,
    Strength,
    Mobility,
    Rest,
}

impl Mode {
    pub fn id(self) -> &'static str {
        match self {
            Mode::Run => "run",
            Mode::TrailRun => "trail_run",
            Mode::Hike => "hike",
            Mode::Walk => "walk",
            Mode::Stairs => "stairs",
            Mode::Ride => "ride",
            Mode::Strength => "strength",
            Mode::Mobility => "mobility",
            Mode::Rest => "rest",
        }
    }

    pub const ALL: [Mode; 9] = [
        Mode::Run,
        Mode::TrailRun,
        Mode::Hike,
        Mode::Walk,
        Mode::Stairs,
        Mode::Ride,
        Mode::Strength,
        Mode::Mobility,
        Mode::Rest,
    ];

    pub fn from_id(text: &str) -> Option<Mode> {
        Mode::ALL
            .into_iter()
            .find(|m| m.id() == text.trim().replace('-', "_"))
    }

    pub fn is_run(self) -> bool {
        matches!(self, Mode::Run | Mode::TrailRun)
    }

    pub fn is_ride(self) -> bool {
        self == Mode::Ride
    }

    /// Endurance modes carry aerobic load measured by heart rate.
    pub fn is_endurance(self) -> bool {
        !matches!(self, Mode::Strength | Mode::Mobility | Mode::Rest)
    }

    /// The recorded sport this session is done as (stairs are walked).
    pub fn sport(self) -> Sport {
        match self {
            Mode::Run => Sport::Run,
            Mode::TrailRun => Sport::TrailRun,
            Mode::Hike => Sport::Hike,
            Mode::Walk | Mode::Stairs => Sport::Walk,
            Mode::Ride => Sport::Ride,
            Mode::Strength => Sport::Strength,
            Mode::Mobility | Mode::Rest => Sport::Other,
        }
    }

    /// Whether a recorded activity of `sport` counts as doing this session.
    pub fn matches(self, sport: Sport) -> bool {
        match self {
            Mode::Run | Mode::TrailRun => sport.is_running(),
            Mode::Hike | Mode::Walk | Mode::Stairs => matches!(sport, Sport::Hike | Sport::Walk),
            Mode::Ride => sport.is_cycling(),
            Mode::Strength => sport == Sport::Strength,
            Mode::Mobility | Mode::Rest => false,
        }
    }
}

/// The type of session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Rest,
    Recovery,
    /// Easy aerobic, zone 2.
    Easy,
    Long,
    Tempo,
    HillRepeats,
    Intervals,
    RunWalk,
    Strength,
    Mobility,
    /// The goal itself.
    Goal,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::Rest => "rest",
            Kind::Recovery => "recovery",
            Kind::Easy => "easy",
            Kind::Long => "long",
            Kind::Tempo => "tempo",
            Kind::HillRepeats => "hill_repeats",
            Kind::Intervals => "intervals",
            Kind::RunWalk => "run_walk",
            Kind::Strength => "strength",
            Kind::Mobility => "mobility",
            Kind::Goal => "goal",
        }
    }

    pub const ALL: [Kind; 11] = [
        Kind::Rest,
        Kind::Recovery,
        Kind::Easy,
        Kind::Long,
        Kind::Tempo,
        Kind::HillRepeats,
        Kind::Intervals,
        Kind::RunWalk,
        Kind::Strength,
        Kind::Mobility,
        Kind::Goal,
    ];

    pub fn from_id(text: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.id() == text.trim().replace('-', "_"))
    }

    /// Hard days: long sessions, quality sessions and the goal.
    pub fn is_hard(self) -> bool {
        matches!(
            self,
            Kind::Long | Kind::Tempo | Kind::HillRepeats | Kind::Intervals | Kind::Goal
        )
    }

    /// Quality sessions: the ones that progress intensity.
    pub fn is_quality(self) -> bool {
        matches!(self, Kind::Tempo | Kind::HillRepeats | Kind::Intervals)
    }

    /// Sessions that leave a day a rest or recovery day.
    pub fn is_restful(self) -> bool {
        matches!(self, Kind::Rest | Kind::Recovery | Kind::Mobility)
    }
}

/// Repeated efforts inside a session.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Reps {
    pub count: u32,
    pub work_s: f64,
    pub work_zone: Zone,
    /// Easy running, or walking back down, between efforts.
    pub recovery_s: f64,
}

/// Warm-up and cool-down around quality sessions, in seconds.
pub const WARM_UP_S: f64 = 15.0 * 60.0;
pub const COOL_DOWN_S: f64 = 10.0 * 60.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedSession {
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    pub mode: Mode,
    pub kind: Kind,
    pub duration_s: f64,
    pub reps: Option<Reps>,
    /// The main zone (the easy parts of quality sessions are zone 1).
    pub zone: Zone,
    pub heart_rate: Option<HeartRateRange>,
    /// Power range in W, for rides when FTP is known.
    pub power_w: Option<(f64, f64)>,
    pub pack_kg: Option<f64>,
    /// Planned aerobic load on cairn's common scale.
    pub load: f64,
    /// The week's key session.
    pub key: bool,
    pub rule: Rule,
    pub reason: String,
    /// Changed by the athlete: adaptation never touches it.
    pub edited: bool,
    /// A missed session that adaptation moved to this day; it stays in the
    /// plan as planned (for compliance) and no longer counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(with = "crate::time::json::day_opt")]
    pub moved_to: Option<i32>,
}

impl PlannedSession {
    /// Whether the session is still part of the plan (not moved away).
    pub fn counts(&self) -> bool {
        self.moved_to.is_none()
    }

    /// Endurance time in the session, for the week's volume. Quality
    /// sessions count towards intensity instead, so that "volume or
    /// intensity" compares easy and long time against hard efforts.
    pub fn volume_s(&self) -> f64 {
        if self.mode.is_endurance() && self.kind != Kind::Goal && !self.kind.is_quality() {
            self.duration_s
        } else {
            0.0
        }
    }

    /// Seconds of hard work weighted by zone, for the week's intensity.
    pub fn intensity(&self) -> f64 {
        match (self.kind, self.reps) {
            (Kind::Tempo, Some(r)) | (Kind::Intervals, Some(r)) | (Kind::HillRepeats, Some(r)) => {
                r.count as f64 * r.work_s * r.work_zone.intensity_weight()
            }
            _ => 0.0,
        }
    }

    /// Fills targets and load from the zones, after the shape is set.
    pub fn finish(&mut self, zones: &Zones) {
        let ride = self.mode.is_ride();
        if self.mode.is_endurance() && self.kind != Kind::Goal {
            self.heart_rate = Some(zones.heart_rate(self.zone, ride));
            self.power_w = if ride { zones.power(self.zone) } else { None };
        } else {
            self.heart_rate = None;
            self.power_w = None;
        }
        self.load = self.planned_load(zones);
    }

    fn planned_load(&self, zones: &Zones) -> f64 {
        let ride = self.mode.is_ride();
        match self.kind {
            Kind::Rest | Kind::Goal => 0.0,
            // Session RPE (Foster 2001) on cairn's scale: strength rated 5, mobility 1.
            Kind::Strength => crate::load::srpe::on_common_scale(5.0 * self.duration_s / 60.0),
            Kind::Mobility => crate::load::srpe::on_common_scale(self.duration_s / 60.0),
            _ => match self.reps {
                Some(r) => {
                    let work = r.count as f64 * r.work_s;
                    let between = r.count as f64 * r.recovery_s;
                    let easy = (self.duration_s - work - between).max(0.0);
                    // Walk breaks, recoveries, warm-up and cool-down are zone 1.
                    zones.load(r.work_zone, work, ride) + zones.load(Zone::Z1, between + easy, ride)
                }
                None => zones.load(self.zone, self.duration_s, ride),
            },
        }
    }

    /// One line: "hike · long · 3 h 30 min · Z2 ≤ 147 bpm · 10 kg".
    pub fn summary(&self) -> String {
        // "strength", not "strength strength"; the goal day says so.
        let mut s = match self.kind {
            Kind::Goal => format!("{}: the goal", self.mode.id()),
            Kind::RunWalk => format!("{}/walk", self.mode.id()),
            _ if self.mode.id() == self.kind.id() => self.kind.id().to_string(),
            _ => format!("{} {}", self.mode.id(), self.kind.id()),
        }
        .replace('_', " ");
        if let Some(r) = self.reps {
            s.push_str(&format!(" {}×{}", r.count, duration_text(r.work_s)));
        }
        s
    }
}

/// "45 min", "3 h 30 min", "30 s".
pub fn duration_text(seconds: f64) -> String {
    let s = seconds.round() as i64;
    if s < 60 {
        return format!("{s} s");
    }
    let m = (s + 30) / 60;
    match (m / 60, m % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Base,
    Build,
    Peak,
    Taper,
}

impl Phase {
    pub fn id(self) -> &'static str {
        match self {
            Phase::Base => "base",
            Phase::Build => "build",
            Phase::Peak => "peak",
            Phase::Taper => "taper",
        }
    }
}

/// What a week progresses, against the last loading week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progression {
    Start,
    Volume,
    Intensity,
    Hold,
    Recovery,
    Taper,
    /// Lowered by adaptation (fatigue, illness, a load warning): a one-week
    /// dip, after which the plan resumes from the last loading week.
    Reduced,
}

impl Progression {
    pub fn id(self) -> &'static str {
        match self {
            Progression::Start => "start",
            Progression::Volume => "volume",
            Progression::Intensity => "intensity",
            Progression::Hold => "hold",
            Progression::Recovery => "recovery",
            Progression::Taper => "taper",
            Progression::Reduced => "reduced",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Week {
    /// 1-based.
    pub number: u32,
    /// Monday.
    #[serde(with = "crate::time::json::day")]
    pub start_day: i32,
    pub phase: Phase,
    pub progression: Progression,
    pub sessions: Vec<PlannedSession>,
}

impl Week {
    /// The sessions that count (not moved away).
    pub fn planned(&self) -> impl Iterator<Item = &PlannedSession> {
        self.sessions.iter().filter(|s| s.counts())
    }

    pub fn load(&self) -> f64 {
        // `+ 0.0`: an empty f64 sum is -0.
        self.planned().map(|s| s.load).sum::<f64>() + 0.0
    }

    pub fn volume_s(&self) -> f64 {
        self.planned().map(|s| s.volume_s()).sum()
    }

    pub fn intensity(&self) -> f64 {
        self.planned().map(|s| s.intensity()).sum()
    }

    pub fn is_recovery(&self) -> bool {
        self.progression == Progression::Recovery
    }

    pub fn is_taper(&self) -> bool {
        self.progression == Progression::Taper
    }

    /// A week that builds (not recovery, taper or reduced by adaptation).
    pub fn is_loading(&self) -> bool {
        !self.is_recovery() && !self.is_taper() && self.progression != Progression::Reduced
    }

    pub fn sessions_on(&self, day: i32) -> impl Iterator<Item = &PlannedSession> {
        self.planned().filter(move |s| s.day == day)
    }

    pub fn long_session(&self) -> Option<&PlannedSession> {
        self.planned().find(|s| s.kind == Kind::Long)
    }
}

/// One change made by adaptation, with the rule and the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The day adaptation ran.
    #[serde(with = "crate::time::json::day")]
    pub made_on: i32,
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    pub rule: Rule,
    pub before: String,
    pub after: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub goal: Goal,
    pub zones: Zones,
    /// The day the plan was made.
    #[serde(with = "crate::time::json::day")]
    pub created_day: i32,
    /// The weekly load before the plan (4-week average), when known.
    pub start_weekly_load: Option<f64>,
    /// The smallest week 1 the plan's template can hold: week 1 starts at
    /// the recent load, or here when the athlete did less.
    pub start_floor_load: f64,
    pub weeks: Vec<Week>,
    /// Things the athlete should know about the plan as a whole.
    pub notes: Vec<String>,
    /// Every change adaptation made, oldest first.
    pub changes: Vec<Change>,
    /// The events adaptation has already acted on, so running it twice
    /// changes nothing the second time.
    pub handled: Vec<String>,
}

impl Plan {
    /// Every session that counts (missed sessions moved elsewhere left out).
    pub fn sessions(&self) -> impl Iterator<Item = &PlannedSession> {
        self.weeks.iter().flat_map(|w| w.planned())
    }

    /// The week holding `day`, if the plan covers it.
    pub fn week_of(&self, day: i32) -> Option<&Week> {
        self.weeks
            .iter()
            .find(|w| day >= w.start_day && day < w.start_day + 7)
    }

    pub fn first_day(&self) -> i32 {
        self.weeks
            .first()
            .map(|w| w.start_day)
            .unwrap_or(self.goal.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(30.0), "30 s");
        assert_eq!(duration_text(45.0 * 60.0), "45 min");
        assert_eq!(duration_text(4.0 * 3600.0), "4 h");
        assert_eq!(duration_text(3.5 * 3600.0), "3 h 30 min");
    }
}
