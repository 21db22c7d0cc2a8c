//! Best efforts found inside activities: the fastest time over a distance,
//! the best mean power over a duration, the fastest climbs. Exact sliding
//! windows over the samples (not lap boundaries), linear in the samples.
//!
//! **GPS spike filter**: a position jump faster than a human can move
//! (12 m/s on foot, 35 m/s on a bike) adds no distance to a best effort, so a
//! glitch can never set a record.

use crate::model::{Activity, ChannelKind, Sport};
use serde::{Deserialize, Serialize};

/// Running distances searched inside runs (m): 400 m, 1 km, 1 mile, 5 km, 10 km, half, marathon.
pub const RUN_DISTANCES_M: [f64; 7] = [
    400.0, 1000.0, 1609.344, 5000.0, 10_000.0, 21_097.5, 42_195.0,
];
/// Power durations searched inside rides (s).
pub const POWER_DURATIONS_S: [u32; 10] = [5, 15, 30, 60, 300, 600, 1200, 1800, 3600, 5400];
/// Ascents searched for the fastest climb (m).
pub const CLIMBS_M: [f64; 4] = [100.0, 300.0, 500.0, 1000.0];

/// The best efforts of one activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BestEfforts {
    /// (distance m, seconds), fastest time for each distance covered.
    pub run: Vec<(f64, f64)>,
    /// (seconds, watts), best mean power for each duration recorded.
    pub power: Vec<(u32, f64)>,
    /// (ascent m, seconds), fastest time to climb each height.
    pub climb: Vec<(f64, f64)>,
    /// Most metres climbed in any 60 minutes.
    pub vertical_60min_m: Option<f64>,
    /// Fastest descent over 10 minutes, metres per hour.
    pub descent_rate_m_per_h: Option<f64>,
}

/// Fastest time to cover `target` in a series whose `value` only grows
/// (distance, cumulative ascent), interpolating where the window starts.
pub fn fastest_gain(times: &[f64], value: &[f64], target: f64) -> Option<f64> {
    let n = times.len().min(value.len());
    if n < 2 || value[n - 1] - value[0] < target || target <= 0.0 {
        return None;
    }
    let mut best = f64::INFINITY;
    let mut j = 0usize;
    for i in 1..n {
        while j + 1 < i && value[i] - value[j + 1] >= target {
            j += 1;
        }
        if value[i] - value[j] >= target {
            let start_v = value[i] - target;
            let (v0, v1) = (value[j], value[j + 1]);
            let (t0, t1) = (times[j], times[j + 1]);
            let start_t = if v1 > v0 {
                t0 + (start_v - v0).clamp(0.0, v1 - v0) / (v1 - v0) * (t1 - t0)
            } else {
                t0
            };
            best = best.min(times[i] - start_t);
        }
    }
    best.is_finite().then_some(best)
}

/// The same answer by trying every pair of samples: the reference the tests
/// compare against (quadratic).
pub fn fastest_gain_brute_force(times: &[f64], value: &[f64], target: f64) -> Option<f64> {
    let mut best = f64::INFINITY;
    for i in 0..times.len() {
        for j in 0..i {
            if value[i] - value[j] >= target {
                // Latest start point j' ≥ j inside [j, j+1] that still covers target.
                let start_v = value[i] - target;
                let (v0, v1) = (value[j], value[j + 1]);
                let t = if v1 > v0 && start_v <= v1 {
                    times[j] + (start_v - v0).max(0.0) / (v1 - v0) * (times[j + 1] - times[j])
                } else {
                    times[j]
                };
                best = best.min(times[i] - t);
            }
        }
    }
    best.is_finite().then_some(best)
}

/// Best mean of a 1-Hz series over `window` samples.
pub fn best_mean(series: &[f64], window: usize) -> Option<f64> {
    if window == 0 || series.len() < window {
        return None;
    }
    let mut sum: f64 = series[..window].iter().sum();
    let mut best = sum;
    for i in window..series.len() {
        sum += series[i] - series[i - window];
        best = best.max(sum);
    }
    Some(best / window as f64)
}

/// Cumulative distance with GPS spikes removed (see the module doc).
fn clean_distance(times: &[f64], dist: &[f64], sport: Sport) -> Vec<f64> {
    let max_speed = if sport.is_cycling() { 35.0 } else { 12.0 };
    let mut out = Vec::with_capacity(dist.len());
    let mut total = 0.0;
    for i in 0..dist.len() {
        if i > 0 {
            let (dd, dt) = (dist[i] - dist[i - 1], times[i] - times[i - 1]);
            if dd > 0.0 && dt > 0.0 && dd / dt <= max_speed {
                total += dd;
            }
        }
        out.push(total);
    }
    out
}

/// Spike-free cumulative distance aligned with the samples (None where the
/// activity has no distance).
pub(crate) fn spike_free_distance(a: &Activity, times: &[f64]) -> Option<Vec<Option<f64>>> {
    let dist = super::summary::distance_channel(a);
    let (idx, (t, d)): (Vec<usize>, (Vec<f64>, Vec<f64>)) = times
        .iter()
        .zip(&dist)
        .enumerate()
        .filter_map(|(i, (t, d))| Some((i, (*t, (*d)?))))
        .unzip();
    if idx.len() < 2 {
        return None;
    }
    let clean = clean_distance(&t, &d, a.sport);
    let mut out = vec![None; times.len()];
    for (i, c) in idx.into_iter().zip(clean) {
        out[i] = Some(c);
    }
    Some(out)
}

/// Cumulative ascent aligned with an altitude channel (None where it has none).
pub(crate) fn cumulative_ascent_channel(alt: &[Option<f64>]) -> Vec<Option<f64>> {
    let present: Vec<f64> = alt.iter().flatten().copied().collect();
    let (up, _) = cumulative_ascent(&present);
    let mut up = up.into_iter();
    alt.iter().map(|a| a.and_then(|_| up.next())).collect()
}

/// Cumulative ascent through a 5 m hysteresis band (see `metrics::ascent`).
fn cumulative_ascent(alt: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let band = super::ascent::HYSTERESIS_M;
    let (mut up, mut down) = (Vec::with_capacity(alt.len()), Vec::with_capacity(alt.len()));
    let (mut u, mut d) = (0.0, 0.0);
    let mut anchor = alt.first().copied().unwrap_or(0.0);
    for &a in alt {
        if a - anchor > band {
            u += a - anchor;
            anchor = a;
        } else if anchor - a > band {
            d += anchor - a;
            anchor = a;
        }
        up.push(u);
        down.push(d);
    }
    (up, down)
}

impl BestEfforts {
    pub fn of(a: &Activity) -> BestEfforts {
        let mut out = BestEfforts::default();
        if !a.flags.is_empty() {
            return out; // an activity cairn does not trust sets no record
        }
        let s = &a.samples;
        let t0 = s.time_ms.first().copied().unwrap_or(0);
        let times: Vec<f64> = s.time_ms.iter().map(|t| (t - t0) as f64 / 1000.0).collect();
        if a.sport.is_running() {
            let dist = super::summary::distance_channel(a);
            let (t, d): (Vec<f64>, Vec<f64>) = times
                .iter()
                .zip(&dist)
                .filter_map(|(t, d)| Some((*t, (*d)?)))
                .unzip();
            let clean = clean_distance(&t, &d, a.sport);
            out.run = RUN_DISTANCES_M
                .iter()
                .filter_map(|m| fastest_gain(&t, &clean, *m).map(|sec| (*m, sec)))
                .collect();
        }
        if a.sport.is_cycling() {
            if let Some(p) = s.channel(ChannelKind::Power) {
                let series = crate::load::power::to_1hz(&times, p, 5.0);
                out.power = POWER_DURATIONS_S
                    .iter()
                    .filter_map(|d| best_mean(&series, *d as usize).map(|w| (*d, w)))
                    .collect();
            }
        }
        if a.sport.is_on_foot() {
            if let Some(alt) = s.channel(ChannelKind::Altitude) {
                let (t, h): (Vec<f64>, Vec<f64>) = times
                    .iter()
                    .zip(alt)
                    .filter_map(|(t, h)| Some((*t, (*h)?)))
                    .unzip();
                let (up, down) = cumulative_ascent(&h);
                out.climb = CLIMBS_M
                    .iter()
                    .filter_map(|m| fastest_gain(&t, &up, *m).map(|sec| (*m, sec)))
                    .collect();
                out.vertical_60min_m = most_in_window(&t, &up, 3600.0);
                out.descent_rate_m_per_h = most_in_window(&t, &down, 600.0).map(|m| m * 6.0);
            }
        }
        out
    }
}

/// Largest gain of a growing series inside any window of `seconds`.
fn most_in_window(times: &[f64], value: &[f64], seconds: f64) -> Option<f64> {
    if times.len() < 2 || times[times.len() - 1] - times[0] < seconds {
        return None;
    }
    let mut best: f64 = 0.0;
    let mut j = 0;
    for i in 0..times.len() {
        while times[i] - times[j] > seconds {
            j += 1;
        }
        best = best.max(value[i] - value[j]);
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceFormat;
    use proptest::prelude::*;

    #[test]
    fn fastest_mile_inside_a_five_mile_run() {
        // 5 miles at 8:00/mi with mile 3 at 7:41.
        let mut a = Activity::new(SourceFormat::Fit, Sport::Run, 0);
        let (mut t, mut d) = (0.0, 0.0);
        while d < 5.0 * 1609.344 {
            let pace = if (2.0 * 1609.344..3.0 * 1609.344).contains(&d) {
                461.0
            } else {
                480.0
            };
            a.samples.push_time((t * 1000.0) as i64);
            a.samples.set_last(ChannelKind::Distance, d);
            t += 1.0;
            d += 1609.344 / pace;
        }
        let b = BestEfforts::of(&a);
        let mile = b
            .run
            .iter()
            .find(|(m, _)| (*m - 1609.344).abs() < 1e-6)
            .unwrap()
            .1;
        assert!((mile - 461.0).abs() < 1.5, "{mile}");
    }

    #[test]
    fn a_gps_spike_sets_no_record() {
        let mut a = Activity::new(SourceFormat::Gpx, Sport::Run, 0);
        for i in 0..2000 {
            a.samples.push_time(i * 1000);
            let jump = if i == 1000 { 0.02 } else { 0.0 }; // a 2 km teleport
            a.samples.set_last(
                ChannelKind::Latitude,
                46.0 + i as f64 * 2.5e-5 + if i >= 1000 { jump } else { 0.0 },
            );
            a.samples.set_last(ChannelKind::Longitude, 7.0);
        }
        let b = BestEfforts::of(&a);
        let km = b.run.iter().find(|(m, _)| *m == 1000.0).unwrap().1;
        assert!(km > 350.0, "1 km in {km} s would be a world record");
    }

    proptest! {
        /// The linear search equals trying every pair, on streams with pauses and jumps.
        #[test]
        fn sliding_window_equals_brute_force(steps in proptest::collection::vec((0.5f64..30.0, 0.0f64..20.0), 2..300), target in 5.0f64..400.0) {
            let (mut t, mut v) = (vec![0.0], vec![0.0]);
            for (dt, dv) in steps {
                t.push(t[t.len() - 1] + dt);
                v.push(v[v.len() - 1] + dv);
            }
            let fast = fastest_gain(&t, &v, target);
            let slow = fastest_gain_brute_force(&t, &v, target);
            match (fast, slow) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-6, "{} vs {}", a, b),
                (a, b) => prop_assert_eq!(a.is_some(), b.is_some()),
            }
        }
    }
}
