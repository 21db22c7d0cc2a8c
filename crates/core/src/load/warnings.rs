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
    /// The dimension ("aerobic", "mechanical") or a sport's share of it
    /// ("running mechanical") the warning is about; several,
    /// comma-separated, when [`merge`] joined their warnings.
    pub subject: String,
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    pub message: String,
    /// What the warning says whatever its subject ("two hard days in a
    /// row: … and …"), and this subject's numbers: [`merge`] joins the
    /// warnings that say the same into one line.
    #[serde(skip)]
    pub same: String,
    #[serde(skip)]
    pub detail: String,
}

/// One warning per statement: the warnings that say the same thing on the
/// same day for several dimensions or sports (the same two hard days seen
/// in the aerobic and the mechanical load) become one, with each subject's
/// numbers; a warning said once is left as it is.
pub fn merge(warnings: Vec<Warning>) -> Vec<Warning> {
    let mut out: Vec<Warning> = Vec::new();
    let mut groups: Vec<Vec<Warning>> = Vec::new();
    for w in warnings {
        match groups
            .iter_mut()
            .find(|g| g[0].kind == w.kind && g[0].day == w.day && g[0].same == w.same)
        {
            Some(g) => g.push(w),
            None => groups.push(vec![w]),
        }
    }
    for mut g in groups {
        if g.len() == 1 {
            out.extend(g.pop());
            continue;
        }
        let subjects: Vec<&str> = g.iter().map(|w| w.subject.as_str()).collect();
        // Two hard days seen in a sport's own series ("hiking mechanical")
        // are the same days as in its dimension's: with the dimension there,
        // the sport is named, not its numbers again. (A weekly ratio differs
        // between the sport and the whole, so each keeps its numbers.)
        let whole: Vec<&Warning> = g.iter().filter(|w| !w.subject.contains(' ')).collect();
        let detail = if whole.is_empty() || g[0].kind != "back_to_back_hard" {
            // A sport whose numbers are its dimension's (it made all of
            // that load) is named once instead of repeating them.
            let numbers = |w: &Warning| {
                w.detail
                    .strip_prefix(w.subject.as_str())
                    .unwrap_or(&w.detail)
                    .to_string()
            };
            let mut all_of_it: Vec<&str> = Vec::new();
            let mut kept: Vec<&str> = Vec::new();
            for w in &g {
                let repeats = w.subject.split_once(' ').is_some_and(|(_, dimension)| {
                    whole
                        .iter()
                        .any(|d| d.subject == dimension && numbers(d) == numbers(w))
                });
                if repeats {
                    if let Some((sport, _)) = w.subject.split_once(' ') {
                        all_of_it.push(sport);
                    }
                } else {
                    kept.push(w.detail.as_str());
                }
            }
            all_of_it.dedup();
            match all_of_it.as_slice() {
                [] => kept.join("; "),
                _ => format!(
                    "{} (all of it in {})",
                    kept.join("; "),
                    all_of_it.join(", ")
                ),
            }
        } else {
            let mut sports: Vec<&str> = g
                .iter()
                .filter_map(|w| w.subject.split_once(' ').map(|(sport, _)| sport))
                .collect();
            sports.dedup();
            let details: Vec<&str> = whole.iter().map(|w| w.detail.as_str()).collect();
            match sports.as_slice() {
                [] => details.join("; "),
                _ => format!(
                    "{} (and in {} alone)",
                    details.join("; "),
                    sports.join(", ")
                ),
            }
        };
        out.push(Warning {
            kind: g[0].kind,
            subject: subjects.join(", "),
            day: g[0].day,
            message: format!("{}: {detail}", g[0].same),
            same: g[0].same.clone(),
            detail,
        });
    }
    out
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
                same: "a new kind of load, not yet adapted to, after almost none in the four weeks before".into(),
                detail: format!("{subject} {this_week:.0}{unit} this week ({avg_week:.0} a week before)"),
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
                same: "load this week against the weekly average of the four weeks before".into(),
                detail: format!(
                    "{subject} {this_week:.0}{unit}, {:.1}× ({avg_week:.0})",
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
                same: "load over the last week against its 4-week average (typical 0.8–1.3)".into(),
                detail: format!(
                    "{subject} {r:.1}× (acute {:.0} vs chronic {:.0}{unit} a day)",
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
                same: format!(
                    "two hard days in a row: {} and {}",
                    super::session::day_text(w[0].day),
                    super::session::day_text(w[1].day)
                ),
                detail: format!(
                    "{subject} {:.0} and {:.0}{unit}, against a usual {:.0} a day",
                    w[0].load, w[1].load, w[1].chronic_ewma
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
                    same: format!("load has been very even this week (monotony above {MONOTONY_HIGH}): vary easy and hard days"),
                    detail: format!("{subject} monotony {m:.1}, strain {strain:.0}"),
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

    #[test]
    fn the_same_statement_for_several_subjects_is_one_warning() {
        let mut loads = vec![40.0; 28];
        loads.extend([100.0, 0.0, 100.0, 0.0, 0.0, 150.0, 160.0]);
        let s = daily_series(0, &loads, &SeriesConfig::default());
        let mut all = weekly_warnings("aerobic", &s, "");
        all.extend(weekly_warnings("mechanical", &s, "MLU"));
        all.extend(weekly_warnings("hiking mechanical", &s, "MLU"));
        let before = all.len();
        let merged = merge(all.clone());
        assert!(merged.len() < before, "{merged:#?}");
        // One line per statement and day, naming every subject it holds for.
        for (i, a) in merged.iter().enumerate() {
            for b in &merged[i + 1..] {
                assert!(
                    !(a.kind == b.kind && a.day == b.day && a.same == b.same),
                    "{a:?} {b:?}"
                );
            }
        }
        for w in &all {
            assert!(
                merged
                    .iter()
                    .any(|m| m.kind == w.kind && m.subject.split(", ").any(|s| s == w.subject)),
                "{} lost",
                w.subject
            );
        }
        let hard = merged
            .iter()
            .find(|w| w.kind == "back_to_back_hard")
            .unwrap();
        assert_eq!(
            hard.message.matches("two hard days").count(),
            1,
            "{}",
            hard.message
        );
        assert!(
            hard.message.contains("aerobic 150 and 160")
                && hard.message.contains("mechanical 150 and 160 MLU"),
            "{}",
            hard.message
        );
        assert!(
            hard.message.contains("(and in hiking alone)"),
            "{}",
            hard.message
        );
        // A sport that made all of a load is named, not repeated.
        let jump = merged
            .iter()
            .find(|w| w.kind == "new_load" || w.kind == "weekly_jump")
            .unwrap();
        assert!(
            jump.message.contains("(all of it in hiking)"),
            "{}",
            jump.message
        );
        assert!(
            !jump.message.contains("hiking mechanical"),
            "{}",
            jump.message
        );
        assert_eq!(
            hard.message.matches("150 and 160").count(),
            2,
            "{}",
            hard.message
        );
    }
}
