//! A comparison of two periods in words: each metric's name, values,
//! differences and intervals in the display units (pace on foot, speed on
//! wheels), the verdicts and the conclusion. Shared by `cairn compare` and
//! the dashboard, so both say the same.

use crate::analysis::CompareReport;
use crate::units::{Units, FEET_PER_METRE};
use cairn_core::compare::{Difference, Metric, Verdict};

pub fn metric_name(m: Metric, units: Units) -> String {
    match m {
        Metric::Speed => "pace".into(),
        Metric::GradeAdjustedSpeed => "grade-adjusted pace".into(),
        Metric::NormalisedSpeed => "pace adjusted for grade, heat and altitude".into(),
        Metric::HeartRate => "heart rate".into(),
        Metric::Efficiency => format!("efficiency ({} per beat)", units.elevation_unit()),
        Metric::Decoupling => "aerobic decoupling".into(),
        Metric::Temperature => "temperature".into(),
        Metric::AscentPerKm => format!("hilliness (ascent per {})", units.distance_unit()),
        Metric::Altitude => "altitude".into(),
        Metric::Intensity => "intensity (avg HR / max)".into(),
    }
}

/// How a comparison shows its numbers: in the display units, and speed as
/// athletes of the sport read it (pace on foot, speed on wheels).
#[derive(Clone, Copy)]
pub struct Shown {
    pub units: Units,
    pub wheels: bool,
}

impl Shown {
    pub fn value(self, m: Metric, v: f64) -> String {
        let imperial = self.units == Units::Imperial;
        match m {
            Metric::Speed | Metric::GradeAdjustedSpeed | Metric::NormalisedSpeed => {
                self.units.pace_or_speed(Some(v), self.wheels)
            }
            Metric::HeartRate => format!("{v:.0} bpm"),
            Metric::Efficiency if imperial => format!("{:.2} ft", v * FEET_PER_METRE),
            Metric::Efficiency => format!("{v:.2} m"),
            Metric::Decoupling => format!("{v:.1} %"),
            Metric::Temperature if imperial => format!("{:.1} °F", v * 1.8 + 32.0),
            Metric::Temperature => format!("{v:.1} °C"),
            Metric::AscentPerKm if imperial => format!("{:.0} ft/mi", v * 5.28),
            Metric::AscentPerKm => format!("{v:.0} m/km"),
            Metric::Altitude => self.units.elevation(Some(v)),
            Metric::Intensity => format!("{:.0} %", v * 100.0),
        }
    }

    /// A difference B − A; a speed difference on foot as the difference of
    /// pace at A's speed (negative: faster).
    pub fn diff(self, m: Metric, d: f64, reference: Option<f64>) -> String {
        let imperial = self.units == Units::Imperial;
        match m {
            Metric::Speed | Metric::GradeAdjustedSpeed | Metric::NormalisedSpeed if self.wheels => {
                let kmh = d * 3.6;
                if imperial {
                    format!("{} mph", crate::units::signed(kmh / 1.609_344, 1))
                } else {
                    format!("{kmh:+.1} km/h")
                }
            }
            Metric::Speed | Metric::GradeAdjustedSpeed | Metric::NormalisedSpeed => match reference
            {
                Some(v) if v > 0.0 && v + d > 0.0 => {
                    let length = self.units.split_length_m();
                    let seconds = length / (v + d) - length / v;
                    format!(
                        "{} s/{}",
                        crate::units::signed(seconds, 0),
                        self.units.distance_unit()
                    )
                }
                _ => "-".into(),
            },
            Metric::HeartRate => format!("{d:+.1} bpm"),
            Metric::Efficiency if imperial => {
                format!("{} ft", crate::units::signed(d * FEET_PER_METRE, 3))
            }
            Metric::Efficiency => format!("{d:+.3} m"),
            Metric::Decoupling => format!("{d:+.1} pts"),
            Metric::Temperature if imperial => format!("{} °F", crate::units::signed(d * 1.8, 1)),
            Metric::Temperature => format!("{d:+.1} °C"),
            Metric::AscentPerKm if imperial => {
                format!("{} ft/mi", crate::units::signed(d * 5.28, 1))
            }
            Metric::AscentPerKm => format!("{d:+.1} m/km"),
            Metric::Altitude if imperial => {
                format!("{} ft", crate::units::signed(d * FEET_PER_METRE, 0))
            }
            Metric::Altitude => format!("{d:+.0} m"),
            Metric::Intensity => format!("{} pts", crate::units::signed(d * 100.0, 1)),
        }
    }

    /// The 95 % interval, low to high as shown (a pace interval turns over).
    pub fn interval(self, m: Metric, (lo, hi): (f64, f64), reference: Option<f64>) -> String {
        let on_foot = matches!(
            m,
            Metric::Speed | Metric::GradeAdjustedSpeed | Metric::NormalisedSpeed
        ) && !self.wheels;
        let (first, second) = if on_foot { (hi, lo) } else { (lo, hi) };
        format!(
            "{} … {}",
            self.diff(m, first, reference),
            self.diff(m, second, reference)
        )
    }
}

pub fn verdict_text(d: &Difference) -> String {
    let (up, down) = match d.metric {
        Metric::Speed | Metric::GradeAdjustedSpeed | Metric::NormalisedSpeed => {
            ("faster in B", "slower in B")
        }
        Metric::Efficiency => ("more efficient in B", "less efficient in B"),
        Metric::Temperature => ("warmer in B", "cooler in B"),
        Metric::AscentPerKm => ("hillier in B", "flatter in B"),
        _ => ("higher in B", "lower in B"),
    };
    match d.verdict {
        Verdict::Higher => up.into(),
        Verdict::Lower => down.into(),
        Verdict::NoClearDifference => "no clear difference".into(),
        Verdict::TooFewSessions => format!(
            "too few sessions (need {} each)",
            cairn_core::compare::MIN_SESSIONS
        ),
    }
}

/// The plain-words conclusion: whether pace differed beyond the sessions'
/// spread and what else differed that could explain it.
pub fn conclusion(r: &CompareReport, units: Units) -> Vec<String> {
    let family = &r.family;
    let mut out = Vec::new();
    let speed = &r.comparison.outcomes[0];
    let differing: Vec<String> = r
        .comparison
        .confounders
        .iter()
        .filter(|d| matches!(d.verdict, Verdict::Higher | Verdict::Lower))
        .map(|d| format!("{} ({})", metric_name(d.metric, units), verdict_text(d)))
        .collect();
    match speed.verdict {
        Verdict::TooFewSessions => out.push(format!(
            "The data cannot support a conclusion: too few {family} sessions in one of the periods."
        )),
        Verdict::NoClearDifference => out.push(
            "Pace: the periods do not differ by more than their session-to-session spread.".into(),
        ),
        _ => {
            out.push(format!(
                "Pace: B is {} than A beyond the session-to-session spread.",
                if speed.verdict == Verdict::Higher {
                    "faster"
                } else {
                    "slower"
                }
            ));
            if differing.is_empty() {
                out.push(
                    "None of heat, altitude, hilliness or intensity differed clearly between the periods."
                        .into(),
                );
            } else {
                out.push(format!(
                    "But these also differed, and could explain some or all of it: {}.",
                    differing.join("; ")
                ));
            }
        }
    }
    out
}
