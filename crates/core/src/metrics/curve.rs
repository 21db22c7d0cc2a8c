//! Mean-maximal curves: for each duration, the best mean over any window of
//! that length — power, pace, grade-adjusted pace, heart rate, vertical speed.
//!
//! **Method.** Each channel becomes a 1-Hz series of per-second values
//! (watts, metres covered, grade-adjusted metres, beats per minute, metres
//! climbed), with pauses longer than 5 s left out as for normalised power.
//! One prefix-sum array then gives any window's sum in O(1), so each
//! duration of the fixed grid [`DURATIONS_S`] costs one linear pass: O(n·k)
//! for k durations, exact at every grid point, against O(n²) for the scan
//! of every window ([`curve_naive`], kept as the tests' reference). The
//! per-activity curves are stored, so a curve over any date range is a
//! maximum over stored points.
//!
//! Distance increments come from the GPS-spike-filtered distance of the
//! best-efforts search, and ascent from the 5 m hysteresis, so a glitch
//! cannot draw the curve up. The hysteresis releases ascent in steps of up
//! to 5 m, so vertical speed is only given from [`VERTICAL_FROM_S`] on.
//!
//! The points are the best windows actually recorded, not an envelope: a
//! run with a slow middle can hold a faster 90-minute mean than its best
//! 60-minute window, and the curve shows that as measured.

use crate::load::grade::{grade_adjusted_speed, grade_series};
use crate::load::hr::clean_heart_rate;
use crate::load::power::to_1hz;
use crate::model::{Activity, ChannelKind};
use serde::{Deserialize, Serialize};

/// The durations every curve is evaluated at (s), 1 s to 24 h.
pub const DURATIONS_S: [u32; 34] = [
    1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800, 2400,
    3600, 5400, 7200, 10_800, 14_400, 18_000, 21_600, 28_800, 36_000, 43_200, 57_600, 72_000,
    86_400,
];

/// Shortest duration with a vertical-speed point (s): the 5 m steps of the
/// ascent hysteresis add at most 60 m/h here.
pub const VERTICAL_FROM_S: u32 = 300;

/// What a curve measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CurveKind {
    /// Watts.
    Power,
    /// Speed, m/s (shown as pace).
    Pace,
    /// Grade-adjusted speed, m/s (Minetti, science.md §2a).
    Gap,
    /// Beats per minute.
    HeartRate,
    /// Vertical speed, metres climbed per hour.
    Vertical,
}

impl CurveKind {
    pub const ALL: [CurveKind; 5] = [
        CurveKind::Power,
        CurveKind::Pace,
        CurveKind::Gap,
        CurveKind::HeartRate,
        CurveKind::Vertical,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CurveKind::Power => "power",
            CurveKind::Pace => "pace",
            CurveKind::Gap => "gap",
            CurveKind::HeartRate => "hr",
            CurveKind::Vertical => "vertical",
        }
    }

    pub fn from_id(id: &str) -> Option<CurveKind> {
        CurveKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// Best mean of `series` over each duration in `durations` (None when the
/// series is shorter). Prefix sums; O(n) per duration.
pub fn curve(series: &[f64], durations: &[u32]) -> Vec<Option<f64>> {
    let mut prefix = Vec::with_capacity(series.len() + 1);
    prefix.push(0.0);
    let mut sum = 0.0;
    for v in series {
        sum += v;
        prefix.push(sum);
    }
    durations
        .iter()
        .map(|&d| {
            let d = d as usize;
            if d == 0 || d > series.len() {
                return None;
            }
            let best = (d..prefix.len())
                .map(|j| prefix[j] - prefix[j - d])
                .fold(f64::NEG_INFINITY, f64::max);
            Some(best / d as f64)
        })
        .collect()
}

/// The same by summing every window from every start: the O(n²) reference.
pub fn curve_naive(series: &[f64], durations: &[u32]) -> Vec<Option<f64>> {
    let mut best = vec![f64::NEG_INFINITY; durations.len()];
    for i in 0..series.len() {
        let mut sum = 0.0;
        for (len, v) in series[i..].iter().enumerate() {
            sum += v;
            if let Ok(k) = durations.binary_search(&((len + 1) as u32)) {
                best[k] = best[k].max(sum);
            }
        }
    }
    best.iter()
        .zip(durations)
        .map(|(b, d)| b.is_finite().then(|| b / *d as f64))
        .collect()
}

/// The per-second series a curve of `kind` is drawn from, if the activity
/// has the channels.
pub fn per_second(a: &Activity, kind: CurveKind) -> Option<Vec<f64>> {
    let s = &a.samples;
    let t0 = s.time_ms.first().copied()?;
    let times: Vec<f64> = s.time_ms.iter().map(|t| (t - t0) as f64 / 1000.0).collect();
    let increments = |cumulative: &[Option<f64>]| -> Vec<Option<f64>> {
        // The gain from each sample to the next, spread over that interval.
        (0..cumulative.len())
            .map(|i| {
                let (c0, c1) = (cumulative[i]?, (*cumulative.get(i + 1)?)?);
                let dt = times[i + 1] - times[i];
                (dt > 0.0).then(|| (c1 - c0).max(0.0) / dt.round().max(1.0))
            })
            .collect()
    };
    let series = match kind {
        CurveKind::Power => to_1hz(&times, s.channel(ChannelKind::Power)?, 5.0),
        CurveKind::HeartRate => {
            let mut hr = s.channel(ChannelKind::HeartRate)?.clone();
            clean_heart_rate(&mut hr, None);
            to_1hz(&times, &hr, 5.0)
        }
        CurveKind::Pace | CurveKind::Gap => {
            let dist = super::best::spike_free_distance(a, &times)?;
            let mut per_s = increments(&dist);
            if kind == CurveKind::Gap {
                let alt = s.channel(ChannelKind::Altitude)?;
                let grade = grade_series(&dist, alt, 50.0);
                for (v, g) in per_s.iter_mut().zip(grade) {
                    *v = v.map(|v| grade_adjusted_speed(v, g));
                }
            }
            to_1hz(&times, &per_s, 5.0)
        }
        CurveKind::Vertical => {
            let alt = s.channel(ChannelKind::Altitude)?;
            let up = super::best::cumulative_ascent_channel(alt);
            let per_s = increments(&up);
            to_1hz(&times, &per_s, 5.0)
                .into_iter()
                .map(|m| m * 3600.0)
                .collect()
        }
    };
    (!series.is_empty()).then_some(series)
}

/// One activity's curves, aligned with [`DURATIONS_S`].
pub fn activity_curves(a: &Activity) -> Vec<(CurveKind, Vec<Option<f64>>)> {
    if !a.flags.is_empty() {
        return Vec::new(); // an activity cairn does not trust draws no curve
    }
    CurveKind::ALL
        .into_iter()
        .filter_map(|k| {
            let mut c = curve(&per_second(a, k)?, &DURATIONS_S);
            if k == CurveKind::Vertical {
                for (v, d) in c.iter_mut().zip(DURATIONS_S) {
                    if d < VERTICAL_FROM_S {
                        *v = None;
                    }
                }
            }
            Some((k, c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceFormat, Sport};
    use proptest::prelude::*;

    #[test]
    fn steady_power_with_a_sprint() {
        let mut p = vec![200.0; 3600];
        for v in &mut p[1000..1010] {
            *v = 800.0;
        }
        let c = curve(&p, &DURATIONS_S);
        assert_eq!(c[0], Some(800.0));
        assert_eq!(c[4], Some(800.0)); // 10 s
        assert!((c[21].unwrap() - (200.0 + 6000.0 / 3600.0)).abs() < 1e-9); // 60 min
        assert_eq!(c[22], None); // longer than the ride
    }

    #[test]
    fn a_run_draws_pace_gap_and_vertical_curves() {
        let mut a = Activity::new(SourceFormat::Fit, Sport::TrailRun, 0);
        for i in 0..1800 {
            a.samples.push_time(i * 1000);
            a.samples.set_last(ChannelKind::Distance, i as f64 * 3.0);
            a.samples
                .set_last(ChannelKind::Altitude, 1000.0 + i as f64 * 0.3);
            a.samples.set_last(ChannelKind::HeartRate, 150.0);
        }
        let curves = activity_curves(&a);
        let get = |k| curves.iter().find(|(c, _)| *c == k).unwrap().1.clone();
        assert!((get(CurveKind::Pace)[9].unwrap() - 3.0).abs() < 1e-9);
        assert!(
            get(CurveKind::Gap)[9].unwrap() > 3.5,
            "a 10 % climb is worth more than 3 m/s"
        );
        let v = get(CurveKind::Vertical)[18].unwrap(); // 20 min
        assert!((v - 1080.0).abs() < 15.0, "{v}");
        assert_eq!(get(CurveKind::HeartRate)[0], Some(150.0));
        assert!(curves.iter().all(|(k, _)| *k != CurveKind::Power));
    }

    proptest! {
        /// Prefix sums agree with the scan of every window.
        #[test]
        fn equals_the_naive_scan(series in proptest::collection::vec(0.0f64..1000.0, 1..400)) {
            let fast = curve(&series, &DURATIONS_S);
            let slow = curve_naive(&series, &DURATIONS_S);
            for (a, b) in fast.iter().zip(&slow) {
                match (a, b) {
                    (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-6 * b.abs().max(1.0)),
                    _ => prop_assert_eq!(a.is_some(), b.is_some()),
                }
            }
        }
    }
}
