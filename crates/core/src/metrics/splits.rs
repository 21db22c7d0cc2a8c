//! Splits: the activity cut every kilometre or mile of distance.

use super::summary::distance_channel;
use crate::model::{Activity, ChannelKind};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Split {
    /// 1-based split number.
    pub index: usize,
    /// Distance covered in this split (the last one may be short).
    pub distance_m: f64,
    pub elapsed_s: f64,
    pub avg_hr_bpm: Option<f64>,
    /// Altitude gained minus lost across the split.
    pub elevation_change_m: Option<f64>,
}

/// Cuts at every `every_m` metres (1000 for km, 1609.344 for miles), by linear
/// interpolation of time between the two samples around each boundary.
pub fn splits(a: &Activity, every_m: f64) -> Vec<Split> {
    let s = &a.samples;
    let dist = distance_channel(a);
    let pts: Vec<(usize, f64, f64)> = dist
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.map(|d| (i, d, s.time_ms[i] as f64 / 1000.0)))
        .collect();
    if pts.len() < 2 || every_m <= 0.0 {
        return Vec::new();
    }
    let hr = s.channel(ChannelKind::HeartRate);
    let alt = s.channel(ChannelKind::Altitude);
    let mut out = Vec::new();
    let (mut start_d, mut start_t, mut start_i) = (pts[0].1, pts[0].2, pts[0].0);
    let mut boundary = start_d + every_m;
    let finish = |out: &mut Vec<Split>,
                  end_i: usize,
                  end_d: f64,
                  end_t: f64,
                  start_i: usize,
                  start_d: f64,
                  start_t: f64| {
        let hr_vals: Vec<f64> = hr
            .map(|c| c[start_i..=end_i].iter().flatten().copied().collect())
            .unwrap_or_default();
        let alt_at = |i: usize| alt.and_then(|c| c[..=i].iter().rev().flatten().next().copied());
        out.push(Split {
            index: out.len() + 1,
            distance_m: end_d - start_d,
            elapsed_s: end_t - start_t,
            avg_hr_bpm: (!hr_vals.is_empty())
                .then(|| hr_vals.iter().sum::<f64>() / hr_vals.len() as f64),
            elevation_change_m: alt_at(end_i).zip(alt_at(start_i)).map(|(e, b)| e - b),
        });
    };
    for w in pts.windows(2) {
        let (i1, d1, t1) = w[1];
        let (_, d0, t0) = w[0];
        while d1 >= boundary && d1 > d0 {
            let f = (boundary - d0) / (d1 - d0);
            let t = t0 + f * (t1 - t0);
            finish(&mut out, i1, boundary, t, start_i, start_d, start_t);
            start_d = boundary;
            start_t = t;
            start_i = i1;
            boundary += every_m;
        }
    }
    let (li, ld, lt) = pts[pts.len() - 1];
    if ld - start_d > 1.0 {
        finish(&mut out, li, ld, lt, start_i, start_d, start_t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceFormat, Sport};

    #[test]
    fn steady_pace_gives_equal_splits() {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Run, 0);
        for i in 0..=1250 {
            a.samples.push_time(i * 1000);
            a.samples.set_last(ChannelKind::Distance, i as f64 * 2.0);
        }
        let sp = splits(&a, 1000.0);
        assert_eq!(sp.len(), 3);
        assert!((sp[0].elapsed_s - 500.0).abs() < 1e-9);
        assert!((sp[1].elapsed_s - 500.0).abs() < 1e-9);
        assert!((sp[2].distance_m - 500.0).abs() < 1e-9);
    }
}
