//! Facts about one activity that do not depend on the athlete's profile and
//! from which profile values can be estimated: the highest sustained heart
//! rate, the best 20-minute power, the best running effort. Computed once at
//! import and stored with a version.

use crate::environment::altitude::AltitudeExposure;
use crate::metrics::best::BestEfforts;
use crate::metrics::efficiency::Efficiency;
use crate::model::Activity;
use crate::timeline::Timeline;
use serde::{Deserialize, Serialize};

pub const FACTS_VERSION: u32 = 4;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityFacts {
    /// Highest 30-s mean heart rate, artefacts removed.
    pub peak_hr_30s: Option<f64>,
    /// Best efforts inside the activity (runs, power, climbs).
    pub best: BestEfforts,
    /// Time at altitude, for exposure and acclimatisation.
    #[serde(default)]
    pub altitude: AltitudeExposure,
    /// Graded speed per heartbeat, decoupling, device temperature.
    #[serde(default)]
    pub efficiency: Efficiency,
}

impl ActivityFacts {
    /// The facts of one activity, read from its timeline.
    pub fn of(a: &Activity, tl: &Timeline) -> ActivityFacts {
        ActivityFacts {
            peak_hr_30s: peak_heart_rate(tl, 30),
            best: BestEfforts::of(a, tl),
            altitude: AltitudeExposure::of(tl),
            efficiency: Efficiency::of(tl),
        }
    }

    /// Best 20-min mean power (cycling).
    pub fn best_power_20min(&self) -> Option<f64> {
        self.best
            .power
            .iter()
            .find(|(d, _)| *d == 1200)
            .map(|(_, w)| *w)
    }

    /// The best running effort to predict threshold from: the longest of
    /// 10 km, 5 km and the mile covered.
    pub fn best_run(&self) -> Option<(f64, f64)> {
        [10_000.0, 5_000.0, 1_609.344].into_iter().find_map(|m| {
            self.best
                .run
                .iter()
                .find(|(d, _)| (*d - m).abs() < 1e-6)
                .copied()
        })
    }
}

/// Highest mean heart rate over `window` consecutive recorded seconds that
/// all have a reading (artefacts removed by the timeline).
fn peak_heart_rate(tl: &Timeline, window: usize) -> Option<f64> {
    let hr = tl.heart_rate_bpm.as_ref()?;
    let mut best: Option<f64> = None;
    let (mut sum, mut run) = (0.0, 0usize);
    for k in 0..hr.len() {
        match hr[k] {
            Some(h) if run == 0 || tl.continues(k) => {
                sum += h;
                run += 1;
            }
            Some(h) => {
                sum = h;
                run = 1;
            }
            None => {
                sum = 0.0;
                run = 0;
            }
        }
        if run > window {
            sum -= hr[k - window].unwrap_or(0.0);
            run = window;
        }
        if run == window {
            let m = sum / window as f64;
            best = Some(best.map_or(m, |b| b.max(m)));
        }
    }
    best
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
