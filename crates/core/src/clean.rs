//! Checks every decoder's output passes through: nonsense is flagged, never
//! silently trusted and never silently dropped.

use crate::model::{Activity, Flag};

/// Longest plausible single activity: a multi-day trek recorded in one go.
pub const MAX_PLAUSIBLE_ELAPSED_S: f64 = 7.0 * 86_400.0;
/// 1990-01-01T00:00:00Z: no GPS sports watch recorded before this.
pub const EARLIEST_PLAUSIBLE_MS: i64 = 631_152_000_000;

/// Faster than this over a whole activity (250 km/h) means the times are not real.
pub const MAX_PLAUSIBLE_SPEED_MPS: f64 = 70.0;

/// Removes readings that are a sensor's way of saying "nothing": a heart rate
/// of 0 bpm (straps and virtual platforms write 0 when no HR is connected),
/// in samples and in the file's stated averages.
pub fn drop_null_readings(a: &mut Activity) {
    if let Some(mut hr) = a.samples.take_channel(crate::model::ChannelKind::HeartRate) {
        for v in hr.iter_mut() {
            if v.is_some_and(|h| h <= 0.0) {
                *v = None;
            }
        }
        if hr.iter().any(Option::is_some) {
            a.samples
                .set_channel(crate::model::ChannelKind::HeartRate, Some(hr));
        }
    }
    for t in std::iter::once(&mut a.declared).chain(a.laps.iter_mut().map(|l| &mut l.totals)) {
        for v in [&mut t.avg_hr_bpm, &mut t.max_hr_bpm] {
            if v.is_some_and(|h| h <= 0.0) {
                *v = None;
            }
        }
    }
}

/// Flags what cannot be trusted. `now_ms` comes from the caller (the domain
/// has no clock); a start more than a day after it is a date in the future.
pub fn check(a: &mut Activity, now_ms: i64) {
    drop_null_readings(a);
    let n = a.samples.len();
    let first = a.samples.time_ms.iter().copied().min();
    let last = a.samples.time_ms.iter().copied().max();
    if n >= 2 && first == last {
        a.flag(Flag::PlaceholderTimes);
    }
    // Times that cannot be real: covering the distance faster than an airliner.
    let span_ms = first.zip(last).map(|(f, l)| l - f).unwrap_or(0);
    if n >= 2 {
        // Distance covered in this activity: a multisport session's distance
        // channel carries on from the sessions before it.
        let values: Vec<f64> = crate::timeline::distance_channel(a)
            .into_iter()
            .flatten()
            .collect();
        let distance = match (
            values.iter().copied().reduce(f64::min),
            values.iter().copied().reduce(f64::max),
        ) {
            (Some(lo), Some(hi)) => hi - lo,
            _ => 0.0,
        };
        if distance > 100.0 && distance / (span_ms.max(1) as f64 / 1000.0) > MAX_PLAUSIBLE_SPEED_MPS
        {
            a.flag(Flag::PlaceholderTimes);
        }
    }
    if a.start_ms < EARLIEST_PLAUSIBLE_MS || a.start_ms > now_ms + 86_400_000 {
        a.flag(Flag::ImplausibleDate);
    }
    let span_s = first
        .zip(last)
        .map(|(f, l)| (l - f) as f64 / 1000.0)
        .unwrap_or(0.0);
    let elapsed = a.declared.elapsed_s.unwrap_or(0.0).max(span_s);
    if elapsed > MAX_PLAUSIBLE_ELAPSED_S {
        a.flag(Flag::ImplausibleDuration);
    }
    if let (Some(timer), Some(el)) = (a.declared.timer_s, a.declared.elapsed_s) {
        // Devices round; only a real excess is nonsense.
        if timer > el * 1.01 + 5.0 {
            a.flag(Flag::TimerExceedsElapsed);
        }
    }
    if a.samples.time_ms.windows(2).any(|w| w[1] < w[0]) {
        a.flag(Flag::TimeBacksteps);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceFormat, Sport};

    const NOW: i64 = 1_795_000_000_000; // 2026-11

    #[test]
    fn all_equal_times_are_placeholders() {
        let mut a = Activity::new(SourceFormat::Gpx, Sport::Run, 1_700_000_000_000);
        a.samples.push_time(1_700_000_000_000);
        a.samples.push_time(1_700_000_000_000);
        check(&mut a, NOW);
        assert_eq!(a.flags, vec![Flag::PlaceholderTimes]);
    }

    #[test]
    fn a_track_covered_in_two_seconds_has_placeholder_times() {
        let mut a = Activity::new(SourceFormat::Gpx, Sport::Run, 1_700_000_000_000);
        for (i, lat) in [46.0, 46.01].iter().enumerate() {
            a.samples.push_time(1_700_000_000_000 + i as i64 * 1000);
            a.samples
                .set_last(crate::model::ChannelKind::Latitude, *lat);
            a.samples
                .set_last(crate::model::ChannelKind::Longitude, 7.0);
        }
        check(&mut a, NOW);
        assert_eq!(a.flags, vec![Flag::PlaceholderTimes]);
    }

    #[test]
    fn zero_heart_rate_is_no_heart_rate() {
        let mut a = Activity::new(SourceFormat::Fit, Sport::IndoorRide, 1_700_000_000_000);
        a.samples.push_time(1_700_000_000_000);
        a.samples
            .set_last(crate::model::ChannelKind::HeartRate, 0.0);
        a.declared.avg_hr_bpm = Some(0.0);
        check(&mut a, NOW);
        assert!(a
            .samples
            .channel(crate::model::ChannelKind::HeartRate)
            .is_none());
        assert_eq!(a.declared.avg_hr_bpm, None);
    }

    #[test]
    fn dates_in_2085_and_31_day_activities_are_flagged() {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Ride, 3_640_000_000_000);
        a.declared.elapsed_s = Some(31.0 * 86_400.0);
        a.declared.timer_s = Some(32.0 * 86_400.0);
        check(&mut a, NOW);
        assert!(a.flags.contains(&Flag::ImplausibleDate));
        assert!(a.flags.contains(&Flag::ImplausibleDuration));
        assert!(a.flags.contains(&Flag::TimerExceedsElapsed));
    }
}
