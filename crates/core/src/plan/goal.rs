//! What the athlete is training for, and the defaults cairn infers from the
//! athlete's history when a field is not given.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalKind {
    /// A multi-day trek with a pack, often at altitude.
    Trek,
    /// A long day hike.
    Hike,
    /// A running race.
    Race,
    /// A cycling event.
    Ride,
}

impl GoalKind {
    pub const ALL: [GoalKind; 4] = [
        GoalKind::Trek,
        GoalKind::Hike,
        GoalKind::Race,
        GoalKind::Ride,
    ];

    pub fn id(self) -> &'static str {
        match self {
            GoalKind::Trek => "trek",
            GoalKind::Hike => "hike",
            GoalKind::Race => "race",
            GoalKind::Ride => "ride",
        }
    }

    pub fn from_id(text: &str) -> Option<GoalKind> {
        GoalKind::ALL.into_iter().find(|k| k.id() == text.trim())
    }

    /// Trek and hike goals are built around the long hike with a pack.
    pub fn on_foot_with_pack(self) -> bool {
        matches!(self, GoalKind::Trek | GoalKind::Hike)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Beginner, Level::Intermediate, Level::Advanced];

    pub fn id(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }

    pub fn from_id(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.id() == text.trim())
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// Day of the week, 0 = Monday … 6 = Sunday.
pub fn weekday(day: i32) -> u8 {
    // 1970-01-01 (day 0) was a Thursday.
    (day + 3).rem_euclid(7) as u8
}

pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Parses "mon" … "sun" (or the full English name).
pub fn parse_weekday(text: &str) -> Option<u8> {
    let t = text.trim().to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .position(|d| t.len() >= 3 && t.starts_with(d))
        .map(|i| i as u8)
}

/// The default cap on week-to-week load growth. Buist et al. 2008 found a
/// graded programme following the 10 % rule no safer than a standard one
/// (20.8 % vs 20.3 % injured, science.md §13), and Nielsen et al. 2014 saw
/// distance-related injuries rise only above 30 % over two weeks; 10 % is a
/// conservative convention, kept as a setting.
pub const DEFAULT_GROWTH_CAP: f64 = 0.10;
pub const MIN_GROWTH_CAP: f64 = 0.10;
pub const MAX_GROWTH_CAP: f64 = 0.30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub kind: GoalKind,
    /// The goal's day (days since 1970-01-01).
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
    pub max_altitude_m: Option<f64>,
    /// The pack for the long hikes; trek and hike goals only.
    pub pack_kg: Option<f64>,
    /// Days the goal lasts (a trek's days on foot); one when not given.
    #[serde(default)]
    pub days: Option<u32>,
    /// The time the athlete aims at, seconds; race goals.
    #[serde(default)]
    pub target_s: Option<f64>,
    /// Days a week the athlete can train, 2–7.
    pub days_per_week: u8,
    /// The day of the long session, 0 = Monday.
    #[serde(
        rename = "long_weekday",
        alias = "long_day",
        with = "crate::time::json::weekday"
    )]
    pub long_day: u8,
    pub level: Level,
    /// Runs regularly now.
    pub runner: bool,
    /// False when a non-runner chose walking, stairs and cycling instead of running.
    pub running: bool,
    /// Cap on week-to-week planned load growth, as a fraction (0.10 = 10 %).
    pub growth_cap: f64,
    /// How each field the athlete did not give was chosen.
    pub inferred: Vec<String>,
}

impl Goal {
    /// Checks the fields together; the message names the field and the range.
    pub fn validate(&self) -> Result<(), String> {
        if !(2..=7).contains(&self.days_per_week) {
            return Err(format!(
                "days per week {} is outside 2–7",
                self.days_per_week
            ));
        }
        if self.long_day > 6 {
            return Err("long day must be mon … sun".into());
        }
        if !(MIN_GROWTH_CAP..=MAX_GROWTH_CAP).contains(&self.growth_cap) {
            return Err(format!(
                "growth cap {:.0} % is outside {:.0}–{:.0} %: below 10 % a plan cannot take the fixed steps of the run transition or add a session; above 30 % is the spike Nielsen et al. associated with injury",
                self.growth_cap * 100.0,
                MIN_GROWTH_CAP * 100.0,
                MAX_GROWTH_CAP * 100.0
            ));
        }
        if let Some(p) = self.pack_kg {
            if !(0.0..=40.0).contains(&p) {
                return Err(format!("pack {p} kg is outside 0–40 kg"));
            }
            if !self.kind.on_foot_with_pack() && p > 0.0 {
                return Err(format!(
                    "a pack belongs to trek and hike goals, not to a {} goal",
                    self.kind.id()
                ));
            }
        }
        if let Some(d) = self.days {
            if !(1..=60).contains(&d) {
                return Err(format!("{d} days is outside 1–60"));
            }
        }
        if let Some(t) = self.target_s {
            if self.kind != GoalKind::Race {
                return Err(format!(
                    "a target time belongs to race goals, not to a {} goal",
                    self.kind.id()
                ));
            }
            if !(t > 0.0 && t <= 7.0 * 86_400.0) {
                return Err(format!("target {t} s is outside 0 s–7 days"));
            }
        }
        if let Some(d) = self.distance_m {
            if !(d > 0.0 && d <= 1_000_000.0) {
                return Err(format!("distance {d} m is outside 0–1000 km"));
            }
        }
        if let Some(a) = self.ascent_m {
            if !(0.0..=50_000.0).contains(&a) {
                return Err(format!("ascent {a} m is outside 0–50 000 m"));
            }
        }
        if let Some(a) = self.max_altitude_m {
            if !(-500.0..=8_849.0).contains(&a) {
                return Err(format!("maximum altitude {a} m is outside −500–8849 m"));
            }
        }
        if !self.running && self.kind == GoalKind::Race {
            return Err("a running race needs running: drop --no-running".into());
        }
        if !self.running && self.runner {
            return Err("--no-running is the choice of a non-runner: add --runner no".into());
        }
        Ok(())
    }

    /// Whether the plan holds runs at all.
    /// Whether the goal climbs enough for descents to matter: a trek or a
    /// hike always, a race or a ride from 10 m of ascent per km (a road half
    /// marathon is flat, a trail race is not).
    pub fn is_hilly(&self) -> bool {
        match self.kind {
            GoalKind::Trek | GoalKind::Hike => true,
            _ => match (self.ascent_m, self.distance_m) {
                (Some(a), Some(d)) if d > 0.0 => a / (d / 1000.0) >= 10.0,
                (Some(a), None) => a >= 300.0,
                _ => false,
            },
        }
    }

    pub fn plans_running(&self) -> bool {
        self.running && self.kind != GoalKind::Ride
    }

    /// The week of the non-runner's 12-week run transition that plan week
    /// `week` is in, counted from the first week with a run (`None` before
    /// any run: the transition starts at week 1); `None` for runners and
    /// after the transition.
    pub fn transition_week(&self, first_run_week: Option<u32>, week: u32) -> Option<u32> {
        if !self.plans_running() || self.runner {
            return None;
        }
        let t = first_run_week.map_or(1, |f| week + 1 - f.min(week));
        (t <= TRANSITION_WEEKS).then_some(t)
    }
}

/// Length of the non-runner's transition (seeds/003: three 4-week stages).
pub const TRANSITION_WEEKS: u32 = 12;

/// What the athlete's history says, for defaults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// Fitness today: the 42-day average of daily aerobic load.
    pub fitness: Option<f64>,
    /// Running sessions in the last 90 days.
    pub runs_90d: usize,
    /// Average training days a week over the last 8 weeks.
    pub days_per_week: Option<f64>,
    /// Average aerobic load a week over the last 4 weeks.
    pub weekly_load: Option<f64>,
}

/// Fitness cut points for the levels: below 20 (about 140 a week) beginner,
/// from 50 (about 350 a week) advanced. cairn's own choice, not a published
/// classification; the output says how the level was chosen.
pub const LEVEL_FITNESS: [f64; 2] = [20.0, 50.0];
/// Regular running: at least this many runs in the last 90 days (one a fortnight).
pub const RUNNER_RUNS_90D: usize = 6;

pub fn infer_level(h: &History) -> (Level, String) {
    match h.fitness {
        Some(f) if f >= LEVEL_FITNESS[1] => (
            Level::Advanced,
            format!("level advanced: fitness {f:.0} (≥ {:.0})", LEVEL_FITNESS[1]),
        ),
        Some(f) if f >= LEVEL_FITNESS[0] => (
            Level::Intermediate,
            format!(
                "level intermediate: fitness {f:.0} ({:.0}–{:.0})",
                LEVEL_FITNESS[0], LEVEL_FITNESS[1]
            ),
        ),
        Some(f) => (
            Level::Beginner,
            format!("level beginner: fitness {f:.0} (< {:.0})", LEVEL_FITNESS[0]),
        ),
        None => (
            Level::Beginner,
            "level beginner: no training history".to_string(),
        ),
    }
}

pub fn infer_runner(h: &History) -> (bool, String) {
    let runner = h.runs_90d >= RUNNER_RUNS_90D;
    (
        runner,
        format!(
            "runner {}: {} runs in the last 90 days ({} {RUNNER_RUNS_90D})",
            if runner { "yes" } else { "no" },
            h.runs_90d,
            if runner { "≥" } else { "<" }
        ),
    )
}

pub fn infer_days_per_week(h: &History) -> (u8, String) {
    match h.days_per_week {
        Some(d) => {
            let n = (d.round() as u8).clamp(3, 6);
            (
                n,
                format!("{n} days a week: {d:.1} training days a week over the last 8 weeks (kept within 3–6)"),
            )
        }
        None => (4, "4 days a week: no recent training to go by".into()),
    }
}

/// Default pack for the long hikes when none is given: the profile's pack,
/// else 10 kg for a trek (a loaded daypack with water, layers and food for a
/// supported trek) and 6 kg for a day hike. cairn's defaults, stated.
pub fn default_pack_kg(kind: GoalKind, profile_pack_kg: Option<f64>) -> Option<(f64, String)> {
    if !kind.on_foot_with_pack() {
        return None;
    }
    Some(match profile_pack_kg {
        Some(p) if p > 0.0 => (p, "pack: the profile's pack_mass".to_string()),
        _ => {
            let p = if kind == GoalKind::Trek { 10.0 } else { 6.0 };
            (p, format!("pack: cairn's default for a {}", kind.id()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays() {
        assert_eq!(weekday(0), 3); // 1970-01-01, Thursday
        assert_eq!(weekday(20_778), 5); // 2026-11-21, Saturday
        assert_eq!(parse_weekday("Sat"), Some(5));
        assert_eq!(parse_weekday("sunday"), Some(6));
        assert_eq!(parse_weekday("x"), None);
    }

    #[test]
    fn defaults_from_history() {
        let h = History {
            fitness: Some(35.0),
            runs_90d: 2,
            days_per_week: Some(4.6),
            weekly_load: Some(240.0),
        };
        assert_eq!(infer_level(&h).0, Level::Intermediate);
        assert!(!infer_runner(&h).0);
        assert_eq!(infer_days_per_week(&h).0, 5);
        assert_eq!(infer_level(&History::default()).0, Level::Beginner);
    }
}
