//! How economically a session was run, for comparing periods: grade-adjusted
//! speed per heartbeat and how it drifts.
//!
//! * Efficiency: grade-adjusted metres per heartbeat, i.e. the efficiency
//!   factor (speed ÷ heart rate) of Coggan and Friel with Minetti's graded
//!   speed in place of normalised graded pace.
//! * Aerobic decoupling (Pa:HR): the efficiency of the second half against
//!   the first, `(EF₁ − EF₂) / EF₁ × 100` (Friel J. *The Triathlete's
//!   Training Bible*, 3rd ed., 2009); under 5 % on a steady hour is the
//!   usual sign of a good aerobic base. Computed for sessions of 30 min or
//!   more.

use super::curve::{per_second, CurveKind};
use crate::timeline::Timeline;
use serde::{Deserialize, Serialize};

/// Shortest session whose decoupling is computed (s).
pub const DECOUPLING_MIN_S: usize = 1800;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Efficiency {
    /// Mean grade-adjusted speed while recording, m/s.
    pub gap_mps: Option<f64>,
    /// Grade-adjusted metres per heartbeat.
    pub metres_per_beat: Option<f64>,
    /// Pa:HR decoupling, percent (positive: heart rate drifted up).
    pub decoupling_pct: Option<f64>,
    /// Median of the device's temperature sensor (°C; reads high when worn).
    pub device_temp_c: Option<f64>,
}

impl Efficiency {
    pub fn of(tl: &Timeline) -> Efficiency {
        let mean = |s: &[f64]| (!s.is_empty()).then(|| s.iter().sum::<f64>() / s.len() as f64);
        let gap = per_second(tl, CurveKind::Gap);
        let gap_mps = gap.as_deref().and_then(mean);
        let (mut metres_per_beat, mut decoupling_pct) = (None, None);
        if let (Some(g), Some(h)) = (&gap, &tl.heart_rate_bpm) {
            // Seconds with a heart rate only.
            let pairs: Vec<(f64, f64)> = g
                .iter()
                .zip(h)
                .filter_map(|(g, h)| Some((*g, (*h)?)))
                .collect();
            let ef = |p: &[(f64, f64)]| {
                let (s, b) = p.iter().fold((0.0, 0.0), |(s, b), (v, h)| (s + v, b + h));
                (b > 0.0).then(|| s * 60.0 / b)
            };
            metres_per_beat = ef(&pairs);
            if pairs.len() >= DECOUPLING_MIN_S {
                let (first, second) = pairs.split_at(pairs.len() / 2);
                if let (Some(e1), Some(e2)) = (ef(first), ef(second)) {
                    decoupling_pct = (e1 > 0.0).then(|| (e1 - e2) / e1 * 100.0);
                }
            }
        }
        let device_temp_c = tl.temperature_c.as_ref().and_then(|t| {
            let mut v: Vec<f64> = t.iter().flatten().copied().collect();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied()
        });
        Efficiency {
            gap_mps,
            metres_per_beat,
            decoupling_pct,
            device_temp_c,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activity, ChannelKind, SourceFormat, Sport};

    fn run(hr: impl Fn(i64) -> f64) -> Activity {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Run, 0);
        for i in 0..3600 {
            a.samples.push_time(i * 1000);
            a.samples.set_last(ChannelKind::Distance, i as f64 * 3.0);
            a.samples.set_last(ChannelKind::Altitude, 100.0);
            a.samples.set_last(ChannelKind::HeartRate, hr(i));
            a.samples
                .set_last(ChannelKind::Temperature, 20.0 + (i % 3) as f64);
        }
        a
    }

    #[test]
    fn steady_run_has_no_decoupling() {
        let e = Efficiency::of(&Timeline::of(&run(|_| 150.0)));
        assert!((e.metres_per_beat.unwrap() - 3.0 * 60.0 / 150.0).abs() < 1e-9);
        assert!(e.decoupling_pct.unwrap().abs() < 1e-9);
        assert_eq!(e.device_temp_c, Some(21.0));
    }

    #[test]
    fn drifting_heart_rate_decouples() {
        let e = Efficiency::of(&Timeline::of(&run(
            |i| {
                if i < 1800 {
                    150.0
                } else {
                    165.0
                }
            },
        )));
        // EF₂ = EF₁ × 150/165 → 9.09 %.
        assert!((e.decoupling_pct.unwrap() - 100.0 * (1.0 - 150.0 / 165.0)).abs() < 0.1);
    }
}
