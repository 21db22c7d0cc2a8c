//! Facts about one activity that do not depend on the athlete's profile and
//! from which profile values can be estimated: the highest sustained heart
//! rate, the best 20-minute power, the best running effort. Computed once at
//! import and stored with a version.

use super::hr::clean_heart_rate;
use super::power::to_1hz;
use crate::metrics::summary::distance_channel;
use crate::model::{Activity, ChannelKind};
use serde::{Deserialize, Serialize};

pub const FACTS_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityFacts {
    /// Highest 30-s mean heart rate, artefacts removed.
    pub peak_hr_30s: Option<f64>,
    /// Best 20-min mean power (cycling).
    pub best_power_20min: Option<f64>,
    /// Best running effort: (distance m, time s) over the longest of 10/5/3 km covered.
    pub best_run: Option<(f64, f64)>,
}

fn best_rolling_mean(series: &[f64], window: usize) -> Option<f64> {
    if series.len() < window || window == 0 {
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

/// Fastest time to cover `target_m` inside the activity (two pointers over
/// time and distance; partial samples interpolated at the window start).
pub fn best_time_for_distance(times_s: &[f64], distance_m: &[f64], target_m: f64) -> Option<f64> {
    let n = times_s.len().min(distance_m.len());
    if n < 2 || distance_m[n - 1] - distance_m[0] < target_m {
        return None;
    }
    let mut best = f64::INFINITY;
    let mut j = 0usize;
    for i in 0..n {
        // Move j to the last sample at least target_m before i.
        while j + 1 < i && distance_m[i] - distance_m[j + 1] >= target_m {
            j += 1;
        }
        let covered = distance_m[i] - distance_m[j];
        if covered >= target_m && covered > 0.0 {
            // Start inside [j, j+1] so that exactly target_m is covered.
            let start_d = distance_m[i] - target_m;
            let (d0, d1) = (distance_m[j], distance_m[(j + 1).min(i)]);
            let (t0, t1) = (times_s[j], times_s[(j + 1).min(i)]);
            let start_t = if d1 > d0 {
                t0 + (start_d - d0) / (d1 - d0) * (t1 - t0)
            } else {
                t0
            };
            best = best.min(times_s[i] - start_t);
        }
    }
    best.is_finite().then_some(best)
}

impl ActivityFacts {
    pub fn from_activity(a: &Activity) -> ActivityFacts {
        let t0 = a.samples.time_ms.first().copied().unwrap_or(0);
        let times: Vec<f64> = a
            .samples
            .time_ms
            .iter()
            .map(|t| (t - t0) as f64 / 1000.0)
            .collect();
        let peak_hr_30s = a.samples.channel(ChannelKind::HeartRate).and_then(|hr| {
            let mut hr = hr.clone();
            clean_heart_rate(&mut hr, None);
            let present: Vec<Option<f64>> = hr.iter().map(|h| h.or(Some(f64::NAN))).collect();
            let series: Vec<f64> = to_1hz(&times, &present, 5.0);
            // Windows containing a gap (NaN) are skipped.
            let mut best: Option<f64> = None;
            for w in series.windows(30) {
                let m = w.iter().sum::<f64>() / 30.0;
                if m.is_finite() {
                    best = Some(best.map_or(m, |b: f64| b.max(m)));
                }
            }
            best
        });
        let best_power_20min = if a.sport.is_cycling() {
            a.samples
                .channel(ChannelKind::Power)
                .and_then(|p| best_rolling_mean(&to_1hz(&times, p, 5.0), 1200))
        } else {
            None
        };
        let best_run = if a.sport.is_running() && a.flags.is_empty() {
            let dist = distance_channel(a);
            let (t, d): (Vec<f64>, Vec<f64>) = times
                .iter()
                .zip(&dist)
                .filter_map(|(t, d)| Some((*t, (*d)?)))
                .unzip();
            [10_000.0, 5_000.0, 3_000.0]
                .into_iter()
                .find_map(|target| best_time_for_distance(&t, &d, target).map(|s| (target, s)))
        } else {
            None
        };
        ActivityFacts {
            peak_hr_30s,
            best_power_20min,
            best_run,
        }
    }
}

/// Riegel's endurance model: time for `d2` from a performance `t1` over `d1`,
/// T2 = T1 × (D2/D1)^1.06 (Riegel PS. Athletic records and human endurance.
/// Am Sci 1981;69:285–290; science.md §9a).
pub fn riegel_time(t1_s: f64, d1_m: f64, d2_m: f64) -> f64 {
    t1_s * (d2_m / d1_m).powf(1.06)
}

/// The speed sustainable for one hour (threshold speed), from a best effort,
/// by inverting Riegel for T2 = 3600 s.
pub fn one_hour_speed(d1_m: f64, t1_s: f64) -> f64 {
    let d2 = d1_m * (3600.0 / t1_s).powf(1.0 / 1.06);
    d2 / 3600.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_effort_inside_a_longer_run() {
        // 8 km at 5:00/km with a 1 km stretch at 3:30/km in the middle.
        let mut t = vec![0.0];
        let mut d = vec![0.0];
        for i in 1..=8000 {
            let pace = if (4000..5000).contains(&i) {
                0.21
            } else {
                0.30
            };
            t.push(t[i - 1] + pace);
            d.push(i as f64);
        }
        let best = best_time_for_distance(&t, &d, 1000.0).unwrap();
        assert!((best - 210.0).abs() < 1e-6, "{best}");
        assert!(best_time_for_distance(&t, &d, 9000.0).is_none());
    }

    // science.md §9a: #1, #2 [I] ashermorgan/running-tools; #3 [C].
    #[test]
    fn riegel_vectors() {
        assert!((riegel_time(60.0, 400.0, 800.0) - 125.096).abs() < 1e-3);
        assert!((riegel_time(1200.0, 5000.0, 10_000.0) - 2501.92).abs() < 0.01);
        assert!((riegel_time(1200.0, 5000.0, 42_195.0) - 11_509.3).abs() < 0.1);
    }

    #[test]
    fn riegel_round_trip() {
        let t = riegel_time(1200.0, 5000.0, 10_000.0);
        assert!((t - 1200.0 * 2f64.powf(1.06)).abs() < 1e-9);
        let v = one_hour_speed(5000.0, 1200.0);
        assert!((riegel_time(1200.0, 5000.0, v * 3600.0) - 3600.0).abs() < 1e-6);
    }
}
