//! Best efforts found inside activities: the fastest time over a distance,
//! the best mean power over a duration, the fastest climbs. Exact sliding
//! windows over the samples (not lap boundaries), linear in the samples.
//!
//! Read from the [`Timeline`], so an effort does not depend on how often the
//! device recorded; its GPS spike filter (no distance from steps faster than
//! a person moves) means a glitch can never set a record, and an effort
//! faster than the world record (or a power above a human limit) is
//! rejected with its reason ([`limits`]).

use super::limits;
use crate::model::Activity;
use crate::timeline::Timeline;
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
    /// Efforts found but impossible for a person (faster than the world
    /// record, power above a human limit), with the reason: never records.
    #[serde(default)]
    pub rejected: Vec<String>,
}

/// Fastest time to cover `target` in a series whose `value` only grows
/// (distance, cumulative ascent), both read as piecewise linear between the
/// points. Exact: the fastest window of a piecewise-linear function starts or
/// ends at a point, so both kinds of window are searched, each with the
/// other end interpolated; two pointers, linear in the points.
pub fn fastest_gain(times: &[f64], value: &[f64], target: f64) -> Option<f64> {
    let n = times.len().min(value.len());
    if n < 2 || value[n - 1] - value[0] < target || target <= 0.0 {
        return None;
    }
    let mut best = f64::INFINITY;
    // Windows ending at point i: the latest start j' with value[i] - v(j') = target.
    let mut j = 0usize;
    for i in 1..n {
        while j + 1 < i && value[i] - value[j + 1] >= target {
            j += 1;
        }
        if value[i] - value[j] >= target {
            best = best.min(times[i] - time_at(times, value, j, value[i] - target));
        }
    }
    // Windows starting at point i: the earliest end with v = value[i] + target.
    let mut k = 1usize;
    for i in 0..n - 1 {
        k = k.max(i + 1);
        while k < n && value[k] - value[i] < target {
            k += 1;
        }
        if k == n {
            break;
        }
        best = best.min(time_at(times, value, k - 1, value[i] + target) - times[i]);
    }
    best.is_finite().then_some(best)
}

/// The instant inside [point j, point j+1] where the series reaches `v`
/// (the segment's start if it is flat).
fn time_at(times: &[f64], value: &[f64], j: usize, v: f64) -> f64 {
    let (v0, v1) = (value[j], value[j + 1]);
    let (t0, t1) = (times[j], times[j + 1]);
    if v1 > v0 {
        t0 + ((v - v0) / (v1 - v0)).clamp(0.0, 1.0) * (t1 - t0)
    } else {
        t0
    }
}

/// The same answer by brute force: every window anchored at one point, the
/// other end interpolated in every segment it can fall in (quadratic, no
/// assumption that the values only grow). The property test compares
/// [`fastest_gain`] with it, and the benchmark times it as the baseline.
pub fn fastest_gain_brute_force(times: &[f64], value: &[f64], target: f64) -> Option<f64> {
    let n = times.len().min(value.len());
    let mut best = f64::INFINITY;
    for i in 0..n {
        // Ends at point i, starts inside a segment that reaches value[i] - target.
        let goal = value[i] - target;
        for s in 0..i {
            if value[s] <= goal && value[s + 1] >= goal {
                best = best.min(times[i] - time_at(times, value, s, goal));
            }
        }
        // Starts at point i, ends inside the first segment that reaches value[i] + target.
        let goal = value[i] + target;
        if let Some(e) =
            (i..n.saturating_sub(1)).find(|&e| value[e] <= goal && value[e + 1] >= goal)
        {
            best = best.min(time_at(times, value, e, goal) - times[i]);
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

/// Cumulative ascent and descent of each second through the 5 m hysteresis
/// band of [`super::ascent`]: a climb counts once altitude has moved 5 m from
/// the last turning point. Seconds without altitude repeat the last values.
pub fn cumulative_ascent(alt: &[Option<f64>]) -> (Vec<f64>, Vec<f64>) {
    let band = super::ascent::HYSTERESIS_M;
    let (mut up, mut down) = (Vec::with_capacity(alt.len()), Vec::with_capacity(alt.len()));
    let (mut u, mut d) = (0.0, 0.0);
    let mut anchor = alt.iter().flatten().next().copied().unwrap_or(0.0);
    for a in alt {
        if let Some(a) = *a {
            if a - anchor > band {
                u += a - anchor;
                anchor = a;
            } else if anchor - a > band {
                d += anchor - a;
                anchor = a;
            }
        }
        up.push(u);
        down.push(d);
    }
    (up, down)
}

impl BestEfforts {
    /// Best efforts of an activity, read from its timeline; the time of a
    /// window is the recorded time inside it (pauses of the timer and
    /// recording gaps left out).
    pub fn of(a: &Activity, tl: &Timeline) -> BestEfforts {
        let mut out = BestEfforts::default();
        if !a.flags.iter().all(|f| f.keeps_records()) {
            return out; // an activity cairn does not trust sets no record
        }
        let n = tl.len();
        let times: Vec<f64> = (0..=n).map(|k| k as f64).collect();
        if a.sport.is_running() {
            if let Some(cum) = tl.record_cumulative_m() {
                for m in RUN_DISTANCES_M {
                    let Some(sec) = fastest_gain(&times, &cum, m) else {
                        continue;
                    };
                    match limits::impossible_run(m, sec) {
                        Some(why) => out.rejected.push(why),
                        None => out.run.push((m, sec)),
                    }
                }
            }
        }
        if a.sport.is_cycling() {
            if let Some(p) = &tl.power_w {
                let series: Vec<f64> = p.iter().map(|w| w.unwrap_or(0.0)).collect();
                for d in POWER_DURATIONS_S {
                    let Some(w) = best_mean(&series, d as usize) else {
                        continue;
                    };
                    match limits::impossible_power(d as f64, w) {
                        Some(why) => out.rejected.push(why),
                        None => out.power.push((d, w)),
                    }
                }
            }
        }
        if a.sport.is_on_foot() {
            if let Some((alt, _)) = super::ascent::altitude_for_ascent(tl) {
                let (up, down) = cumulative_ascent(&alt);
                let t = &times[..n];
                out.climb = CLIMBS_M
                    .iter()
                    .filter_map(|m| fastest_gain(t, &up, *m).map(|sec| (*m, sec)))
                    .collect();
                out.vertical_60min_m = most_in_window(t, &up, 3600.0);
                out.descent_rate_m_per_h = most_in_window(t, &down, 600.0).map(|m| m * 6.0);
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
    use crate::model::{ChannelKind, SourceFormat, Sport};
    use proptest::prelude::*;

    fn efforts(a: &Activity) -> BestEfforts {
        BestEfforts::of(a, &Timeline::of(a))
    }

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
        let mile = efforts(&a)
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
        let km = efforts(&a)
            .run
            .iter()
            .find(|(m, _)| *m == 1000.0)
            .unwrap()
            .1;
        assert!(km > 350.0, "1 km in {km} s would be a world record");
    }

    #[test]
    fn a_ride_labelled_run_sets_no_world_record() {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Run, 0);
        for i in 0..1200 {
            a.samples.push_time(i * 1000);
            a.samples.set_last(ChannelKind::Distance, i as f64 * 11.0);
        }
        let b = efforts(&a);
        assert!(b.run.iter().all(|(m, _)| *m > 1609.0), "{:?}", b.run);
        assert!(
            b.rejected.iter().any(|r| r.contains("400 m in 0:36")),
            "{:?}",
            b.rejected
        );
    }

    #[test]
    fn the_window_is_interpolated_at_its_end_too() {
        // Fast from t = 0, so the best 10 m starts at a point and ends between two.
        let t = [0.0, 1.0, 2.0, 10.0];
        let v = [0.0, 6.0, 12.0, 20.0];
        assert!((fastest_gain(&t, &v, 10.0).unwrap() - 10.0 / 6.0).abs() < 1e-12);
    }

    proptest! {
        /// The linear search equals the brute force, and no start instant
        /// between the points does better (the search is exact).
        #[test]
        fn sliding_window_is_exact(steps in proptest::collection::vec((0.5f64..30.0, 0.0f64..20.0), 2..120), target in 5.0f64..400.0) {
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
            if let Some(best) = fast {
                // Starts at 16 instants inside every segment, each end interpolated.
                for s in 0..t.len() - 1 {
                    for q in 0..16 {
                        let f = q as f64 / 16.0;
                        let (ts, vs) = (t[s] + f * (t[s + 1] - t[s]), v[s] + f * (v[s + 1] - v[s]));
                        if let Some(e) = (s..t.len() - 1).find(|&e| v[e + 1] >= vs + target) {
                            let te = time_at(&t, &v, e, vs + target);
                            prop_assert!(te - ts >= best - 1e-6, "{} beats {}", te - ts, best);
                        }
                    }
                }
            }
        }
    }
}
