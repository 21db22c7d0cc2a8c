//! Warnings in plain words, each with the numbers behind it. They describe
//! what the load did; they never state an injury probability (science.md §8:
//! neither the acute:chronic ratio nor its thresholds predict injury).

use super::series::{monotony_strain, DayPoint};
use serde::Serialize;

/// A week this much above the average of the four before it is worth saying.
pub const WEEKLY_JUMP_RATIO: f64 = 1.3;
/// Above Gabbett's 0.8–1.3 "typical" band, 1.5 is his "danger zone" (Gabbett
/// 2016, Br J Sports Med 50:273–280), used here only as a description.
pub const ACWR_HIGH: f64 = 1.5;
/// Foster 1998 associated weeks of monotony above 2.0 with illness.
pub const MONOTONY_HIGH: f64 = 2.0;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub kind: &'static str,
    /// The dimension or sport the warning is about, e.g. "mechanical (run)".
    pub subject: String,
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    pub message: String,
}

fn sum(points: &[DayPoint]) -> f64 {
    points.iter().map(|p| p.load).sum()
}

/// Warnings for the week ending on the last day of `series`.
/// `subject` names the series ("aerobic", "mechanical", "mechanical (run)").
pub fn weekly_warnings(subject: &str, series: &[DayPoint], unit: &str) -> Vec<Warning> {
    let mut out = Vec::new();
    let Some(last) = series.last() else {
        return out;
    };
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    let n = series.len();
    let week = &series[n.saturating_sub(7)..];
    let this_week = sum(week);
    // Weekly load jump against the four weeks before.
    if n >= 35 {
        let before = &series[n - 35..n - 7];
        let avg_week = sum(before) / 4.0;
        if avg_week < 5.0 && this_week >= 50.0 {
            out.push(Warning {
                kind: "new_load",
                subject: subject.into(),
                day: last.day,
                message: format!(
                    "{subject} load this week is {this_week:.0}{unit} after almost none in the four weeks before ({avg_week:.0} a week): a new kind of load, not yet adapted to"
                ),
            });
        } else if avg_week >= 5.0 && this_week > WEEKLY_JUMP_RATIO * avg_week {
            out.push(Warning {
                kind: "weekly_jump",
                subject: subject.into(),
                day: last.day,
                message: format!(
                    "{subject} load this week is {this_week:.0}{unit}, {:.1}× the weekly average of the four weeks before ({avg_week:.0})",
                    this_week / avg_week
                ),
            });
        }
    }
    if let Some(r) = last.acwr {
        if r > ACWR_HIGH && last.chronic_ewma >= 5.0 {
            out.push(Warning {
                kind: "acute_chronic",
                subject: subject.into(),
                day: last.day,
                message: format!(
                    "{subject} load over the last week is {r:.1}× its 4-week average (acute {:.0} vs chronic {:.0}{unit} a day; typical 0.8–1.3)",
                    last.acute_ewma, last.chronic_ewma
                ),
            });
        }
    }
    // Back-to-back hard days: each at least 1.5× the chronic daily load and ≥ 50.
    let hard = |p: &DayPoint| p.load >= 50.0 && p.load >= 1.5 * p.chronic_ewma.max(1.0);
    for w in week.windows(2) {
        if hard(&w[0]) && hard(&w[1]) {
            out.push(Warning {
                kind: "back_to_back_hard",
                subject: subject.into(),
                day: w[1].day,
                message: format!(
                    "two hard days in a row: {} and {} ({:.0} and {:.0}{unit}, against a usual {:.0} a day)",
                    super::session::day_text(w[0].day),
                    super::session::day_text(w[1].day),
                    w[0].load,
                    w[1].load,
                    w[1].chronic_ewma
                ),
            });
        }
    }
    if week.len() == 7 {
        let loads: Vec<f64> = week.iter().map(|p| p.load).collect();
        if let (_, Some(m), Some(strain)) = monotony_strain(&loads) {
            if m > MONOTONY_HIGH && this_week > 0.0 {
                out.push(Warning {
                    kind: "monotony",
                    subject: subject.into(),
                    day: last.day,
                    message: format!("{subject} load has been very even this week: monotony {m:.1} (above {MONOTONY_HIGH}), strain {strain:.0}; vary easy and hard days"),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::series::{daily_series, SeriesConfig};
    use super::*;

    #[test]
    fn a_jump_is_described_with_its_numbers() {
        let mut loads = vec![40.0; 28];
        loads.extend([0.0, 90.0, 0.0, 90.0, 0.0, 90.0, 100.0]);
        let s = daily_series(0, &loads, &SeriesConfig::default());
        let w = weekly_warnings("aerobic", &s, "load");
        let jump = w.iter().find(|w| w.kind == "weekly_jump").expect("jump");
        assert!(jump.message.contains("370"), "{}", jump.message);
        assert!(jump.message.contains("1.3×"), "{}", jump.message);
        assert!(
            !jump.message.contains('%'),
            "no probabilities: {}",
            jump.message
        );
    }

    #[test]
    fn a_new_kind_of_load_is_named() {
        let mut loads = vec![0.0; 34];
        loads.push(135.0);
        let s = daily_series(0, &loads, &SeriesConfig::default());
        let w = weekly_warnings("mechanical", &s, "MLU");
        assert!(w.iter().any(|w| w.kind == "new_load"), "{w:?}");
    }

    #[test]
    fn steady_training_has_no_warning_but_monotony() {
        let s = daily_series(0, &vec![50.0; 60], &SeriesConfig::default());
        assert!(weekly_warnings("aerobic", &s, "load").is_empty());
    }
}
