//! Splits: the activity cut every kilometre or mile of distance, read from
//! the [`Timeline`] (so a split's time is recorded time, pauses of the timer
//! left out, and it does not depend on how often the device recorded).

use crate::timeline::Timeline;
use serde::{Deserialize, Serialize};

/// The split lengths every activity's splits are kept for: the kilometre
/// and the mile.
pub const SPLIT_LENGTHS_M: [f64; 2] = [1000.0, 1609.344];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// 1-based split number.
    pub index: usize,
    /// Distance covered in this split (the last one may be short).
    pub distance_m: f64,
    /// Recorded time in this split (timer running), s.
    pub elapsed_s: f64,
    /// Moving time in this split, s.
    pub moving_s: f64,
    pub avg_hr_bpm: Option<f64>,
    /// Altitude gained minus lost across the split.
    pub elevation_change_m: Option<f64>,
}

#[derive(Default)]
struct Open {
    distance: f64,
    time: f64,
    moving: f64,
    hr_sum: f64,
    hr_time: f64,
    /// Altitude where the split starts, else the first inside it.
    start_alt: Option<f64>,
    /// The last altitude inside the split.
    last_alt: Option<f64>,
}

/// Cuts at every `every_m` metres (1000 for km, 1609.344 for miles); a
/// second that crosses a boundary is shared between the two splits in
/// proportion to the metres on each side. A timeline covers at most
/// [`crate::timeline::MAX_SECONDS`] at plausible speeds, so the number of
/// splits is bounded whatever the file claims.
pub fn splits(tl: &Timeline, every_m: f64) -> Vec<Split> {
    let Some(metres) = &tl.metres else {
        return Vec::new();
    };
    if every_m < 1.0 || tl.is_empty() {
        return Vec::new();
    }
    let alt = |k: usize| tl.altitude_m.as_ref().and_then(|a| a[k]);
    let hr = |k: usize| tl.heart_rate_bpm.as_ref().and_then(|h| h[k]);
    let mut out = Vec::new();
    let mut open = Open {
        start_alt: alt(0),
        ..Open::default()
    };
    let close = |out: &mut Vec<Split>, open: &Open, end_alt: Option<f64>| {
        out.push(Split {
            index: out.len() + 1,
            distance_m: open.distance,
            elapsed_s: open.time,
            moving_s: open.moving,
            avg_hr_bpm: (open.hr_time > 0.0).then(|| open.hr_sum / open.hr_time),
            elevation_change_m: end_alt.zip(open.start_alt).map(|(e, b)| e - b),
        });
    };
    for (k, &m) in metres.iter().enumerate() {
        let mut left = 1.0; // fraction of this second not yet assigned
        let mut metres_left = m;
        // An altitude channel that starts late or ends early still gives
        // each split its change, from the readings nearest its ends.
        if let Some(a) = alt(k) {
            open.start_alt = open.start_alt.or(Some(a));
            open.last_alt = Some(a);
        }
        while open.distance + metres_left >= every_m && metres_left > 0.0 {
            let part = (every_m - open.distance) / m;
            open.add(part, m * part, tl.moving[k], hr(k));
            close(&mut out, &open, alt(k).or(open.last_alt));
            metres_left -= m * part;
            left -= part;
            open = Open {
                start_alt: alt(k),
                last_alt: alt(k),
                ..Open::default()
            };
        }
        open.add(left, metres_left, tl.moving[k], hr(k));
    }
    if open.distance > 1.0 {
        close(&mut out, &open, open.last_alt);
    }
    out
}

impl Open {
    fn add(&mut self, seconds: f64, metres: f64, moving: bool, hr: Option<f64>) {
        self.distance += metres;
        self.time += seconds;
        if moving {
            self.moving += seconds;
        }
        if let Some(h) = hr {
            self.hr_sum += h * seconds;
            self.hr_time += seconds;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activity, ChannelKind, SourceFormat, Sport};

    #[test]
    fn steady_pace_gives_equal_splits() {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Run, 0);
        for i in 0..=1250 {
            a.samples.push_time(i * 1000);
            a.samples.set_last(ChannelKind::Distance, i as f64 * 2.0);
        }
        let sp = splits(&Timeline::of(&a), 1000.0);
        assert_eq!(sp.len(), 3);
        assert!((sp[0].elapsed_s - 500.0).abs() < 1e-9);
        assert!((sp[1].elapsed_s - 500.0).abs() < 1e-9);
        assert!((sp[2].distance_m - 500.0).abs() < 1e-9);
        assert!((sp[0].moving_s - 500.0).abs() < 1e-9);
    }

    /// Altitude that starts after the first metre and ends before the last
    /// still gives the first and last splits their change; the changes add
    /// up to the whole climb.
    #[test]
    fn late_and_early_altitude_still_gives_every_split_its_change() {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Run, 0);
        for i in 0..=1250i64 {
            a.samples.push_time(i * 1000);
            a.samples.set_last(ChannelKind::Distance, i as f64 * 2.0);
            if (10..1240).contains(&i) {
                a.samples
                    .set_last(ChannelKind::Altitude, 100.0 + i as f64 * 0.1);
            }
        }
        let sp = splits(&Timeline::of(&a), 1000.0);
        assert!(sp.iter().all(|s| s.elevation_change_m.is_some()), "{sp:?}");
        let total: f64 = sp.iter().filter_map(|s| s.elevation_change_m).sum();
        assert!((total - 122.9).abs() < 1e-6, "{total}");
    }
}
