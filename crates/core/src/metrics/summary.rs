//! The per-activity summary: what the file states where it states it,
//! computed from samples where it does not. Each value says which it is
//! through [`Summary::computed`].

use super::{ascent, moving};
use crate::geo;
use crate::model::{Activity, ChannelKind};
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
}

/// Cumulative distance per sample: the device's distance channel where it has
/// one, else great-circle distance between consecutive valid positions.
pub fn distance_channel(a: &Activity) -> Vec<Option<f64>> {
    if let Some(d) = a.samples.channel(ChannelKind::Distance) {
        if d.iter().any(Option::is_some) {
            return d.clone();
        }
    }
    let s = &a.samples;
    let mut out = Vec::with_capacity(s.len());
    let mut total = 0.0;
    let mut last: Option<(f64, f64)> = None;
    let mut any = false;
    for i in 0..s.len() {
        match s.position(i) {
            Some((lat, lon)) => {
                if let Some((la, lo)) = last {
                    total += geo::haversine_m(la, lo, lat, lon);
                }
                last = Some((lat, lon));
                any = true;
                out.push(Some(total));
            }
            None => out.push(None),
        }
    }
    if any {
        out
    } else {
        vec![None; s.len()]
    }
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

/// Builds the summary of one activity.
pub fn summarize(a: &Activity) -> Summary {
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
    let elapsed_s = pick("elapsed_s", d.elapsed_s, span_s.filter(|_| s.len() >= 2));
    let distance = distance_channel(a);
    let dist_total = distance.iter().flatten().copied().reduce(f64::max);
    let distance_m = pick("distance_m", d.distance_m, dist_total);
    let moving_s = moving::moving_time_s(a, &distance);
    let alt = s.channel(ChannelKind::Altitude);
    let (_, alt_min, alt_max) = stats(alt);
    let (up, down) = match alt {
        Some(c) if c.iter().flatten().nth(1).is_some() => {
            let (u, dn) = ascent::ascent_descent(c.iter().copied(), ascent::HYSTERESIS_M);
            (Some(u), Some(dn))
        }
        _ => (None, None),
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
    let (hr_avg, _, hr_max) = stats(s.channel(ChannelKind::HeartRate));
    let (pw_avg, _, pw_max) = stats(s.channel(ChannelKind::Power));
    let cadence_nonzero: Option<Vec<Option<f64>>> = s
        .channel(ChannelKind::Cadence)
        .map(|c| c.iter().map(|v| v.filter(|x| *x > 0.0)).collect());
    let (cad_avg, _, _) = stats(cadence_nonzero.as_ref());
    let (temp_avg, _, _) = stats(s.channel(ChannelKind::Temperature));
    let (_, _, speed_max) = stats(s.channel(ChannelKind::Speed));
    let avg_speed = match (distance_m, moving_s.or(d.timer_s)) {
        (Some(dist), Some(t)) if t > 0.0 && dist > 0.0 => Some(dist / t),
        _ => None,
    };
    Summary {
        elapsed_s,
        timer_s: d.timer_s,
        moving_s,
        distance_m,
        min_altitude_m: pick("min_altitude_m", stated_min_alt, alt_min),
        max_altitude_m: pick("max_altitude_m", stated_max_alt, alt_max),
        ascent_m,
        descent_m,
        avg_speed_mps: pick("avg_speed_mps", d.avg_speed_mps, avg_speed),
        max_speed_mps: pick("max_speed_mps", d.max_speed_mps, speed_max),
        avg_hr_bpm: pick("avg_hr_bpm", d.avg_hr_bpm, hr_avg),
        max_hr_bpm: pick("max_hr_bpm", d.max_hr_bpm, hr_max),
        avg_power_w: pick("avg_power_w", d.avg_power_w, pw_avg),
        max_power_w: pick("max_power_w", d.max_power_w, pw_max),
        avg_cadence: pick("avg_cadence", d.avg_cadence, cad_avg),
        calories_kcal: d.calories_kcal,
        avg_temperature_c: pick("avg_temperature_c", d.avg_temperature_c, temp_avg),
        samples: s.len(),
        channels: s.kinds_with_values().map(|k| k.id().to_string()).collect(),
        computed,
    }
}
