//! Mean-maximal curves: for each duration, the best mean over any window of
//! that length — power, pace, grade-adjusted pace, heart rate, vertical speed.
//!
//! **Method.** Each channel becomes a 1-Hz series of per-second values
//! (watts, metres covered, grade-adjusted metres, beats per minute, net
//! metres gained), read from the [`Timeline`] (timer pauses and recording
//! gaps left out, as for normalised power).
//! One prefix-sum array then gives any window's sum in O(1), so each
//! duration of the fixed grid [`DURATIONS_S`] costs one linear pass: O(n·k)
//! for k durations, exact at every grid point, against O(n²) for the scan
//! of every window ([`curve_naive`], kept as the tests' reference). The
//! per-activity curves are stored, so a curve over any date range is a
//! maximum over stored points.
//!
//! Distance increments come from the timeline's GPS-spike-filtered
//! distance (the same filter as best efforts), and a point beyond human
//! limits ([`super::limits`]) is left out, so a glitch cannot draw the
//! curve up. Vertical speed is VAM, the net altitude gained over the window
//! per hour (spikes already dropped from the altitude), given from
//! [`VERTICAL_FROM_S`] on, where altitude noise no longer dominates it;
//! pace from [`PACE_FROM_S`] (see [`CurveKind::shortest_s`]).
//!
//! The points are the best windows actually recorded, not an envelope: a
//! run with a slow middle can hold a faster 90-minute mean than its best
//! 60-minute window, and the curve shows that as measured.

use super::limits;
use crate::load::grade::grade_adjusted_speed;
use crate::model::Activity;
use crate::timeline::Timeline;
use serde::{Deserialize, Serialize};

/// The durations every curve is evaluated at (s), 1 s to 24 h.
pub const DURATIONS_S: [u32; 34] = [
    1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 420, 600, 900, 1200, 1800, 2400,
    3600, 5400, 7200, 10_800, 14_400, 18_000, 21_600, 28_800, 36_000, 43_200, 57_600, 72_000,
    86_400,
];

/// Shortest duration with a vertical-speed point (s): over 5 minutes a
/// metre of altitude noise moves VAM by at most 12 m/h.
pub const VERTICAL_FROM_S: u32 = 300;

/// Shortest duration with a pace or graded-pace point (s): under a minute a
/// GPS's metres of error, a watch's distance written in batches or a fix
/// catching up at the start are the pace (30 m late in a 10-s window is
/// 3 m/s), whatever the athlete did. Best efforts start at 400 m for the
/// same reason.
pub const PACE_FROM_S: u32 = 60;

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
    /// Vertical speed (VAM), net metres gained per hour.
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

    /// The shortest window the curve is drawn for (s). Power and heart rate
    /// from 1 s; pace and graded pace from [`PACE_FROM_S`]; vertical speed
    /// from [`VERTICAL_FROM_S`].
    pub fn shortest_s(self) -> u32 {
        match self {
            CurveKind::Power | CurveKind::HeartRate => 1,
            CurveKind::Pace | CurveKind::Gap => PACE_FROM_S,
            CurveKind::Vertical => VERTICAL_FROM_S,
        }
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

/// The per-second series a curve of `kind` is drawn from (watts, metres,
/// grade-adjusted metres, beats per minute, metres climbed per hour), read
/// from the timeline, if the activity has the channels. Power seconds
/// without a reading count as 0, as for normalised power; heart-rate
/// windows run over the seconds that have a heart rate.
pub fn per_second(tl: &Timeline, kind: CurveKind) -> Option<Vec<f64>> {
    let zero_for_gaps = |c: &Option<Vec<Option<f64>>>| -> Option<Vec<f64>> {
        Some(c.as_ref()?.iter().map(|v| v.unwrap_or(0.0)).collect())
    };
    let series = match kind {
        CurveKind::Power => zero_for_gaps(&tl.power_w)?,
        CurveKind::HeartRate => tl
            .heart_rate_bpm
            .as_ref()?
            .iter()
            .flatten()
            .copied()
            .collect(),
        CurveKind::Pace => tl.record_metres.clone()?,
        CurveKind::Gap => {
            tl.altitude_m.as_ref()?;
            let grade = tl.grade(crate::load::grade::GRADE_WINDOW_M);
            tl.record_metres
                .as_ref()?
                .iter()
                .zip(grade)
                .map(|(v, g)| grade_adjusted_speed(*v, g))
                .collect()
        }
        CurveKind::Vertical => {
            // Net metres gained each second (VAM): a window's mean is its
            // net gain per hour, smooth where hysteresis ascent steps by 5 m.
            let (alt, _) = super::ascent::altitude_for_ascent(tl)?;
            let mut last = alt.iter().flatten().next().copied()?;
            let mut out = Vec::with_capacity(alt.len());
            for k in 0..alt.len() {
                let next = alt.get(k + 1).copied().flatten().unwrap_or(last);
                let here = alt[k].unwrap_or(last);
                out.push((next - here) * 3600.0);
                last = here;
            }
            out
        }
    };
    (!series.is_empty()).then_some(series)
}

/// Whether a curve point is beyond what a person can do for its duration:
/// a speed on foot above the running-record curve, a power above the human
/// limit.
fn impossible(on_foot: bool, kind: CurveKind, duration_s: u32, value: f64) -> bool {
    match kind {
        CurveKind::Pace | CurveKind::Gap => {
            on_foot && value > limits::max_running_speed_mps(duration_s as f64)
        }
        CurveKind::Power => value > limits::max_power_w(duration_s as f64),
        CurveKind::HeartRate | CurveKind::Vertical => false,
    }
}

/// One activity's curves, aligned with [`DURATIONS_S`]; a point beyond
/// human limits is left out, never drawn.
pub fn activity_curves(a: &Activity, tl: &Timeline) -> Vec<(CurveKind, Vec<Option<f64>>)> {
    if !a.flags.iter().all(|f| f.keeps_records()) {
        return Vec::new(); // an activity cairn does not trust draws no curve
    }
    CurveKind::ALL
        .into_iter()
        .filter_map(|k| {
            let mut c = curve(&per_second(tl, k)?, &DURATIONS_S);
            for (v, d) in c.iter_mut().zip(DURATIONS_S) {
                if d < k.shortest_s()
                    || (k == CurveKind::Vertical && v.is_some_and(|x| x <= 0.0))
                    || v.is_some_and(|x| impossible(a.sport.is_on_foot(), k, d, x))
                {
                    *v = None;
                }
            }
            Some((k, c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChannelKind, SourceFormat, Sport};
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
        let curves = activity_curves(&a, &Timeline::of(&a));
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
