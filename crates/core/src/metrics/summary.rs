//! The per-activity summary: what the file states where it states it,
//! computed from samples where it does not. Each value says which it is
//! through [`Summary::computed`].

use super::ascent;
use crate::model::{Activity, ChannelKind, Sport};
use crate::timeline::Timeline;
use serde::{Deserialize, Serialize};

/// Summary values in SI units; `None` where unknown (never 0 for unknown).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub elapsed_s: Option<f64>,
    pub timer_s: Option<f64>,
    pub moving_s: Option<f64>,
    pub distance_m: Option<f64>,
    pub ascent_m: Option<f64>,
    pub descent_m: Option<f64>,
    /// How the ascent was obtained: the device's total, or cairn's
    /// barometric or GPS treatment of the altitude ([`ascent`]).
    #[serde(default)]
    pub ascent_method: Option<ascent::AscentMethod>,
    pub min_altitude_m: Option<f64>,
    pub max_altitude_m: Option<f64>,
    pub avg_speed_mps: Option<f64>,
    pub max_speed_mps: Option<f64>,
    pub avg_hr_bpm: Option<f64>,
    pub max_hr_bpm: Option<f64>,
    pub avg_power_w: Option<f64>,
    pub max_power_w: Option<f64>,
    pub avg_cadence: Option<f64>,
    pub calories_kcal: Option<f64>,
    pub avg_temperature_c: Option<f64>,
    pub samples: usize,
    pub channels: Vec<String>,
    /// Names of the fields computed by cairn rather than stated by the file.
    pub computed: Vec<String>,
    /// What cleaning changed or could not trust, in words (a repeated track
    /// dropped, times interpolated…), for `show`.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Points of the file dropped by cleaning (time going backwards).
    #[serde(default)]
    pub dropped_points: usize,
}

fn stats(c: Option<&Vec<Option<f64>>>) -> (Option<f64>, Option<f64>, Option<f64>) {
    let Some(c) = c else {
        return (None, None, None);
    };
    let (mut n, mut sum, mut min, mut max) = (0usize, 0.0, f64::INFINITY, f64::NEG_INFINITY);
    for v in c.iter().flatten() {
        n += 1;
        sum += v;
        min = min.min(*v);
        max = max.max(*v);
    }
    if n == 0 {
        (None, None, None)
    } else {
        (Some(sum / n as f64), Some(min), Some(max))
    }
}

/// Time-weighted mean of a timeline channel over the seconds that have a
/// value (`keep` filters values, e.g. cadence above zero).
fn time_mean(c: Option<&Vec<Option<f64>>>, keep: impl Fn(f64) -> bool) -> Option<f64> {
    let (n, sum) = c?
        .iter()
        .flatten()
        .filter(|v| keep(**v))
        .fold((0usize, 0.0), |(n, s), v| (n + 1, s + v));
    (n > 0).then(|| sum / n as f64)
}

/// Builds the summary of one activity from its samples and its timeline.
///
/// Definitions (one everywhere in cairn):
/// * distance: the file's stated total, else the metres of the timeline;
/// * moving time: [`crate::metrics::moving`], never above the timer time
///   (or the elapsed time without a timer);
/// * average speed and pace: distance ÷ moving time, always computed, so
///   the FIT and the TCX of one run show the same pace (the device's own
///   average speed stays in the file's declared totals);
/// * averages of heart rate, power, cadence and temperature: over time
///   (each second once, [`Timeline`]), not over records.
pub fn summarize(a: &Activity, tl: &Timeline) -> Summary {
    let s = &a.samples;
    let d = &a.declared;
    let mut computed = Vec::new();
    let mut pick = |name: &'static str, stated: Option<f64>, derived: Option<f64>| match stated {
        Some(v) => Some(v),
        None => {
            if derived.is_some() {
                computed.push(name.to_string());
            }
            derived
        }
    };
    let first = s.time_ms.iter().copied().min();
    let last = s.time_ms.iter().copied().max();
    let span_s = first.zip(last).map(|(f, l)| (l - f) as f64 / 1000.0);
    // A stated elapsed time shorter than the stated timer contradicts
    // itself; the records' span is used when it is longer (`clean` says so).
    let span_s = span_s.filter(|_| s.len() >= 2);
    let stated_elapsed = match (d.elapsed_s, d.timer_s, span_s) {
        (Some(e), Some(timer), Some(span)) if timer > e * 1.01 + 5.0 && span > e + 5.0 => None,
        (e, _, _) => e,
    };
    let elapsed_s = pick("elapsed_s", stated_elapsed, span_s);
    let distance_m = pick("distance_m", d.distance_m, tl.distance_m());
    let moving_s = moving_time_s(a, tl);
    let (_, alt_min, alt_max) = stats(tl.altitude_m.as_ref());
    let counted =
        ascent::altitude_for_ascent(tl).filter(|(alt, _)| alt.iter().flatten().nth(1).is_some());
    let (up, down) = match &counted {
        Some((alt, _)) => {
            let (u, dn) = ascent::ascent_descent(alt.iter().copied(), ascent::HYSTERESIS_M);
            (Some(u), Some(dn))
        }
        None => (None, None),
    };
    let ascent_method = match (&counted, d.ascent_m) {
        (_, Some(_)) => Some(ascent::AscentMethod::Device),
        (Some((_, method)), None) => Some(*method),
        (None, None) => None,
    };
    // A stated altitude off the planet, or a minimum above the maximum (the
    // Suunto export in the corpus states 12,517 m as its minimum), is ignored.
    let plausible = |v: Option<f64>| v.filter(|a| (-500.0..=9_000.0).contains(a));
    let (stated_min_alt, stated_max_alt) =
        match (plausible(d.min_altitude_m), plausible(d.max_altitude_m)) {
            (Some(lo), Some(hi)) if lo > hi => (None, None),
            other => other,
        };
    let ascent_m = pick("ascent_m", d.ascent_m, up);
    let descent_m = pick("descent_m", d.descent_m, down);
    let (_, _, hr_max) = stats(s.channel(ChannelKind::HeartRate));
    let (_, _, pw_max) = stats(s.channel(ChannelKind::Power));
    let (_, _, speed_max) = stats(s.channel(ChannelKind::Speed));
    let avg_speed = match (distance_m, moving_s) {
        (Some(dist), Some(t)) if t > 0.0 && dist > 0.0 => Some(dist / t),
        _ => None,
    };
    let avg_speed_mps = pick("avg_speed_mps", None, avg_speed);
    Summary {
        elapsed_s,
        timer_s: d.timer_s,
        moving_s,
        distance_m,
        min_altitude_m: pick("min_altitude_m", stated_min_alt, alt_min),
        max_altitude_m: pick("max_altitude_m", stated_max_alt, alt_max),
        ascent_m,
        descent_m,
        avg_speed_mps,
        max_speed_mps: pick("max_speed_mps", d.max_speed_mps, speed_max),
        avg_hr_bpm: pick(
            "avg_hr_bpm",
            d.avg_hr_bpm,
            time_mean(tl.heart_rate_bpm.as_ref(), |_| true),
        ),
        max_hr_bpm: pick("max_hr_bpm", d.max_hr_bpm, hr_max),
        avg_power_w: pick(
            "avg_power_w",
            d.avg_power_w,
            time_mean(tl.power_w.as_ref(), |_| true),
        ),
        max_power_w: pick("max_power_w", d.max_power_w, pw_max),
        avg_cadence: pick(
            "avg_cadence",
            d.avg_cadence,
            time_mean(tl.cadence_rpm.as_ref(), |c| c > 0.0),
        ),
        calories_kcal: d.calories_kcal,
        avg_temperature_c: pick(
            "avg_temperature_c",
            d.avg_temperature_c,
            time_mean(tl.temperature_c.as_ref(), |_| true),
        ),
        ascent_method,
        samples: s.len(),
        channels: s.kinds_with_values().map(|k| k.id().to_string()).collect(),
        computed,
        notes: a.notes.clone(),
        dropped_points: a.dropped_points,
    }
}

/// Moving time (s): pool lengths, else the timeline's moving seconds (else
/// the timer when there are no samples), capped at the timer time or, without
/// one, the elapsed time. Loads use this same number.
pub fn moving_time_s(a: &Activity, tl: &Timeline) -> Option<f64> {
    let active_lengths: Vec<f64> = a
        .lengths
        .iter()
        .filter(|l| l.active)
        .filter_map(|l| l.elapsed_s)
        .collect();
    let moving = if a.sport == Sport::PoolSwim && !active_lengths.is_empty() {
        active_lengths.iter().sum()
    } else if tl.is_empty() {
        return a.declared.timer_s;
    } else {
        tl.moving_s()
    };
    let span_s = match (
        a.samples.time_ms.iter().min(),
        a.samples.time_ms.iter().max(),
    ) {
        (Some(f), Some(l)) => Some((l - f) as f64 / 1000.0),
        _ => None,
    };
    let cap = a
        .declared
        .timer_s
        .or(a.declared.elapsed_s)
        .or(span_s)
        .unwrap_or(f64::INFINITY);
    Some(moving.min(cap))
}
