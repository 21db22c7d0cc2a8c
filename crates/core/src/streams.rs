//! An activity's series for charts and maps: one value per recorded second
//! of the [`Timeline`], and the same reduced to a chosen number of points.
//!
//! Reduction keeps each bucket's minimum and maximum of every series (the
//! envelope a chart at that width can show), so a heart-rate spike or the
//! summit survives however far a 24-hour recording is reduced; a plain
//! stride or mean would drop them.

use crate::load::grade::grade_adjusted_speed;
use crate::model::{Activity, ChannelKind};
use crate::timeline::Timeline;
use serde::Serialize;

/// Metres over which grade is taken for grade-adjusted pace (as the curves do).
const GRADE_WINDOW_M: f64 = 50.0;

/// Points an activity's series are kept at for its page and charts
/// ([`crate::derived::PageData`]).
pub const VIEW_POINTS: usize = 1000;

/// Whether a reduction to `points` can be made from the series already
/// reduced to [`VIEW_POINTS`] with the same result as from every second:
/// when each of its buckets is a whole number of the kept ones.
pub fn reducible_from_view(points: usize) -> bool {
    points >= 2 && points.is_multiple_of(2) && (VIEW_POINTS / 2).is_multiple_of(points / 2)
}

/// Steps the derived speeds are drawn in: a millimetre per second (a tenth
/// of a second per kilometre at running pace) and a tenth of that for
/// vertical speed (0.36 m/h), finer than any chart or table shows. Rounded,
/// they compress 2–5× better than full doubles (grade-adjusted speed 4.7×
/// on the demo archive), which is what keeping every activity's page data
/// costs.
const SPEED_STEP_MPS: f64 = 0.001;
const VERTICAL_STEP_MPS: f64 = 0.0001;

fn quantised(v: &[Option<f64>], step: f64) -> Series {
    v.iter()
        .map(|x| x.map(|x| (x / step).round() * step))
        .collect()
}

/// One value per second, `None` where there is none.
pub type Series = Vec<Option<f64>>;

/// Columns of equal length; `None` where the second has no value, a whole
/// column `None` when the activity never recorded it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Streams {
    /// Seconds since the start, pauses included (the chart's time axis).
    pub time_s: Vec<f64>,
    /// Cumulative distance at the start of the second.
    pub distance_m: Option<Vec<f64>>,
    pub altitude_m: Option<Vec<Option<f64>>>,
    pub speed_mps: Option<Vec<Option<f64>>>,
    /// Speed on level ground of equal cost (science.md §2a).
    pub grade_adjusted_speed_mps: Option<Vec<Option<f64>>>,
    pub heart_rate_bpm: Option<Vec<Option<f64>>>,
    pub power_w: Option<Vec<Option<f64>>>,
    pub cadence_rpm: Option<Vec<Option<f64>>>,
    /// Rate of climb or descent, signed (m/s).
    pub vertical_mps: Option<Vec<Option<f64>>>,
    /// Position at the start of the second (the last fix before it).
    pub lat_deg: Option<Vec<Option<f64>>>,
    pub lon_deg: Option<Vec<Option<f64>>>,
}

impl Streams {
    /// The series of every recorded second.
    pub fn of(a: &Activity, tl: &Timeline) -> Streams {
        let n = tl.len();
        let moving = |k: usize| tl.moving[k];
        let cumulative = tl.cumulative_m().map(|mut c| {
            c.truncate(n);
            c
        });
        let speed = tl.speed_mps.as_ref().map(|v| {
            (0..n)
                .map(|k| moving(k).then_some(v[k]))
                .collect::<Vec<_>>()
        });
        let speed_view = speed.as_ref().map(|v| quantised(v, SPEED_STEP_MPS));
        let grade =
            (tl.altitude_m.is_some() && cumulative.is_some()).then(|| tl.grade(GRADE_WINDOW_M));
        let gap = match (&speed, &grade) {
            (Some(v), Some(g)) => Some(
                v.iter()
                    .zip(g)
                    .map(|(v, g)| v.map(|v| grade_adjusted_speed(v, *g)))
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        };
        let vertical = match (&tl.altitude_m, &tl.vertical_mps) {
            (Some(alt), Some(rate)) => Some(signed_vertical(tl, alt, rate)),
            _ => None,
        };
        let (lat_deg, lon_deg) = positions(a, tl);
        Streams {
            time_s: tl.offset_s.iter().map(|s| f64::from(*s)).collect(),
            distance_m: cumulative,
            altitude_m: tl.altitude_m.clone(),
            speed_mps: speed_view,
            grade_adjusted_speed_mps: gap.map(|v| quantised(&v, SPEED_STEP_MPS)),
            heart_rate_bpm: tl.heart_rate_bpm.clone(),
            power_w: tl.power_w.clone(),
            cadence_rpm: tl.cadence_rpm.clone(),
            vertical_mps: vertical.map(|v| quantised(&v, VERTICAL_STEP_MPS)),
            lat_deg,
            lon_deg,
        }
    }

    pub fn len(&self) -> usize {
        self.time_s.len()
    }

    /// The optional series by name (every field but time and distance), so
    /// a store can write and read them without listing the fields again.
    pub fn series_mut(&mut self) -> [(&'static str, &mut Option<Series>); 9] {
        [
            ("altitude_m", &mut self.altitude_m),
            ("speed_mps", &mut self.speed_mps),
            (
                "grade_adjusted_speed_mps",
                &mut self.grade_adjusted_speed_mps,
            ),
            ("heart_rate_bpm", &mut self.heart_rate_bpm),
            ("power_w", &mut self.power_w),
            ("cadence_rpm", &mut self.cadence_rpm),
            ("vertical_mps", &mut self.vertical_mps),
            ("lat_deg", &mut self.lat_deg),
            ("lon_deg", &mut self.lon_deg),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.time_s.is_empty()
    }

    /// At most `points` points: unchanged when it has no more than that,
    /// else `points / 2` buckets of consecutive seconds, each giving two
    /// points that carry every series' minimum and maximum in the bucket
    /// (in the order they occurred). Time and distance take the bucket's
    /// first and last second; positions the fixes at those seconds.
    pub fn reduced(&self, points: usize) -> Streams {
        let n = self.len();
        if n <= points || points < 2 {
            return self.clone();
        }
        let buckets = points / 2;
        let bounds: Vec<(usize, usize)> = (0..buckets)
            .map(|b| (b * n / buckets, ((b + 1) * n / buckets)))
            .filter(|(lo, hi)| hi > lo)
            .collect();
        let ends = |v: &[f64]| -> Vec<f64> {
            bounds
                .iter()
                .flat_map(|&(lo, hi)| [v[lo], v[hi - 1]])
                .collect()
        };
        let ends_opt = |v: &[Option<f64>]| -> Vec<Option<f64>> {
            bounds
                .iter()
                .flat_map(|&(lo, hi)| [v[lo], v[hi - 1]])
                .collect()
        };
        let envelope = |v: &[Option<f64>]| -> Vec<Option<f64>> {
            bounds
                .iter()
                .flat_map(|&(lo, hi)| min_max(&v[lo..hi]))
                .collect()
        };
        Streams {
            time_s: ends(&self.time_s),
            distance_m: self.distance_m.as_deref().map(ends),
            altitude_m: self.altitude_m.as_deref().map(envelope),
            speed_mps: self.speed_mps.as_deref().map(envelope),
            grade_adjusted_speed_mps: self.grade_adjusted_speed_mps.as_deref().map(envelope),
            heart_rate_bpm: self.heart_rate_bpm.as_deref().map(envelope),
            power_w: self.power_w.as_deref().map(envelope),
            cadence_rpm: self.cadence_rpm.as_deref().map(envelope),
            vertical_mps: self.vertical_mps.as_deref().map(envelope),
            lat_deg: self.lat_deg.as_deref().map(ends_opt),
            lon_deg: self.lon_deg.as_deref().map(ends_opt),
        }
    }
}

/// A bucket's minimum and maximum, the earlier first; both `None` when the
/// bucket has no value, and the one value twice when it has one.
fn min_max(v: &[Option<f64>]) -> [Option<f64>; 2] {
    let mut lo: Option<(usize, f64)> = None;
    let mut hi: Option<(usize, f64)> = None;
    for (i, x) in v.iter().enumerate() {
        let Some(x) = *x else { continue };
        if lo.is_none_or(|(_, l)| x < l) {
            lo = Some((i, x));
        }
        if hi.is_none_or(|(_, h)| x > h) {
            hi = Some((i, x));
        }
    }
    match (lo, hi) {
        (Some((i, l)), Some((j, h))) if i <= j => [Some(l), Some(h)],
        (Some((_, l)), Some((_, h))) => [Some(h), Some(l)],
        _ => [None, None],
    }
}

/// The timeline's climb rate (absolute) given the sign of the altitude's
/// change over the same trailing window; none in the first window, where
/// a second or two of altitude noise reads as a fast climb.
fn signed_vertical(tl: &Timeline, alt: &[Option<f64>], rate: &[f64]) -> Vec<Option<f64>> {
    let window = crate::timeline::SPEED_WINDOW_S;
    (0..tl.len())
        .map(|k| {
            if k < window {
                return None;
            }
            let now = alt[k]?;
            let back = (k.saturating_sub(window)..k).find_map(|j| alt[j])?;
            let sign = if now < back { -1.0 } else { 1.0 };
            Some(sign * rate[k])
        })
        .collect()
}

/// The last fix at or before each second; `None` before the first fix and
/// when the activity has no positions.
fn positions(a: &Activity, tl: &Timeline) -> (Option<Series>, Option<Series>) {
    let s = &a.samples;
    let (Some(lat), Some(lon)) = (
        s.channel(ChannelKind::Latitude),
        s.channel(ChannelKind::Longitude),
    ) else {
        return (None, None);
    };
    let mut i = 0;
    let mut last: Option<(f64, f64)> = None;
    let mut out_lat = Vec::with_capacity(tl.len());
    let mut out_lon = Vec::with_capacity(tl.len());
    for offset in &tl.offset_s {
        let instant = tl.start_ms + i64::from(*offset) * 1000;
        while i < s.len() && s.time_ms[i] <= instant {
            if let (Some(y), Some(x)) = (lat[i], lon[i]) {
                last = Some((y, x));
            }
            i += 1;
        }
        out_lat.push(last.map(|p| p.0));
        out_lon.push(last.map(|p| p.1));
    }
    (Some(out_lat), Some(out_lon))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn extremes(v: &[Option<f64>]) -> Option<(f64, f64)> {
        let vals: Vec<f64> = v.iter().flatten().copied().collect();
        let lo = vals.iter().copied().reduce(f64::min)?;
        let hi = vals.iter().copied().reduce(f64::max)?;
        Some((lo, hi))
    }

    fn streams_of(hr: Vec<Option<f64>>) -> Streams {
        let n = hr.len();
        Streams {
            time_s: (0..n).map(|k| k as f64).collect(),
            distance_m: Some((0..n).map(|k| k as f64 * 3.0).collect()),
            heart_rate_bpm: Some(hr),
            ..Streams::default()
        }
    }

    proptest! {
        /// Every series keeps its minimum and maximum, time stays in order
        /// and starts and ends where the recording does, and no more points
        /// come back than were asked for.
        #[test]
        fn reduction_keeps_extremes_order_and_size(
            hr in proptest::collection::vec(proptest::option::weighted(0.9, 40.0..200.0f64), 1..3000),
            points in 2usize..600,
        ) {
            let full = streams_of(hr);
            let r = full.reduced(points);
            prop_assert!(r.len() <= points.max(2) || r.len() == full.len());
            prop_assert!(r.len() <= full.len());
            prop_assert!(r.time_s.windows(2).all(|w| w[0] <= w[1]));
            prop_assert_eq!(r.time_s.first(), full.time_s.first());
            prop_assert_eq!(r.time_s.last(), full.time_s.last());
            let (a, b) = (full.heart_rate_bpm.as_deref().unwrap(), r.heart_rate_bpm.as_deref().unwrap());
            prop_assert_eq!(extremes(a), extremes(b));
            prop_assert_eq!(r.distance_m.as_ref().map(Vec::len), Some(r.len()));
            prop_assert_eq!(b.len(), r.len());
        }
    }

    proptest! {
        /// What the page reads (the series kept at VIEW_POINTS, reduced
        /// again) is what reducing every second gives, for every size
        /// `reducible_from_view` allows: the envelope of the envelopes is
        /// the envelope.
        #[test]
        fn reducing_the_kept_view_equals_reducing_every_second(
            hr in proptest::collection::vec(proptest::option::weighted(0.8, 40.0..200.0f64), 1..6000),
            k in 0usize..12,
        ) {
            let allowed: Vec<usize> = (2..=VIEW_POINTS).filter(|p| reducible_from_view(*p)).collect();
            let points = allowed[k % allowed.len()];
            let full = streams_of(hr);
            let view = full.reduced(VIEW_POINTS);
            prop_assert_eq!(view.reduced(points), full.reduced(points));
        }
    }

    #[test]
    fn a_one_second_spike_survives_a_day_reduced_to_a_thousand_points() {
        let mut hr = vec![Some(120.0); 86_400];
        hr[50_001] = Some(191.0);
        let r = streams_of(hr).reduced(1000);
        assert_eq!(r.len(), 1000);
        let peak = r
            .heart_rate_bpm
            .unwrap()
            .into_iter()
            .flatten()
            .fold(0.0, f64::max);
        assert_eq!(peak, 191.0);
    }

    #[test]
    fn a_short_recording_comes_back_whole() {
        let full = streams_of(vec![Some(100.0), None, Some(110.0)]);
        assert_eq!(full.reduced(1000), full);
    }

    #[test]
    fn a_simulated_hike_has_every_series_and_climbs_then_descends() {
        let a = crate::sim::steady_session(
            20_000,
            crate::model::Sport::Hike,
            crate::sim::history::Terrain::Mountain,
            60.0,
            7,
        );
        let tl = Timeline::of(&a);
        let s = Streams::of(&a, &tl);
        assert_eq!(s.len(), tl.len());
        assert!(s
            .lat_deg
            .as_ref()
            .is_some_and(|v| v.iter().flatten().count() > 0));
        assert!(s.heart_rate_bpm.is_some());
        let d = s.distance_m.as_ref().unwrap();
        assert!(d.windows(2).all(|w| w[0] <= w[1]));
        let v: Vec<f64> = s.vertical_mps.unwrap().into_iter().flatten().collect();
        assert!(v.iter().any(|x| *x > 0.0) && v.iter().any(|x| *x < 0.0));
    }
}
