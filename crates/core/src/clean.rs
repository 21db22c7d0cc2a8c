//! Checks every decoder's output passes through: nonsense is flagged, never
//! silently trusted and never silently dropped.

use crate::model::{Activity, ChannelKind, Flag};

/// Longest plausible single activity: a multi-day trek recorded in one go.
pub const MAX_PLAUSIBLE_ELAPSED_S: f64 = 7.0 * 86_400.0;
/// 1990-01-01T00:00:00Z: no GPS sports watch recorded before this.
pub const EARLIEST_PLAUSIBLE_MS: i64 = 631_152_000_000;

/// Points closer together than this on average (ms) carry one placeholder
/// time, not a recording.
pub const PLACEHOLDER_INTERVAL_MS: i64 = 10;

/// Faster than this over a whole activity (250 km/h) means the times are not real.
pub const MAX_PLAUSIBLE_SPEED_MPS: f64 = 70.0;

/// Removes readings that are a sensor's way of saying "nothing": a heart rate
/// of 0 bpm (straps and virtual platforms write 0 when no HR is connected),
/// in samples and in the file's stated averages. (A negative one is no such
/// convention: [`drop_impossible_values`] drops and names it.)
pub fn drop_null_readings(a: &mut Activity) {
    if let Some(mut hr) = a.samples.take_channel(crate::model::ChannelKind::HeartRate) {
        for v in hr.iter_mut() {
            if *v == Some(0.0) {
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
            if *v == Some(0.0) {
                *v = None;
            }
        }
    }
}

/// The physically possible range of each channel, in its unit, and its
/// name in words: a value outside is a decoding or sensor error, never data.
fn channel_range(kind: ChannelKind) -> (f64, f64, &'static str, &'static str) {
    match kind {
        ChannelKind::Latitude => (-90.0, 90.0, "latitude", "°"),
        ChannelKind::Longitude => (-180.0, 180.0, "longitude", "°"),
        ChannelKind::Altitude => (-500.0, 9_000.0, "altitude", "m"),
        ChannelKind::Distance => (0.0, 10_000_000.0, "distance", "m"),
        ChannelKind::Speed => (0.0, 100.0, "speed", "m/s"),
        ChannelKind::HeartRate => (0.0, 255.0, "heart rate", "bpm"),
        ChannelKind::Cadence => (0.0, 300.0, "cadence", "rpm"),
        ChannelKind::Power => (0.0, 4_000.0, "power", "W"),
        ChannelKind::Temperature => (-60.0, 70.0, "temperature", "°C"),
    }
}

/// A number as read, in scientific notation when it is absurdly large.
fn number_text(x: f64) -> String {
    if x.abs() < 1e7 {
        format!("{x}")
    } else {
        format!("{x:.1e}")
    }
}

/// Drops values no sensor can produce (a TCX distance of 1.8e308 m, a heart
/// rate of 300 bpm) as gaps, and the same in the file's stated totals, each
/// with a note naming the field, how many and an example. Nothing later then
/// sizes anything by such a value.
pub fn drop_impossible_values(a: &mut Activity) {
    for kind in ChannelKind::ALL {
        let (lo, hi, name, unit) = channel_range(kind);
        let Some(mut c) = a.samples.take_channel(kind) else {
            continue;
        };
        let mut dropped = 0usize;
        let mut example = None;
        for v in c.iter_mut() {
            if let Some(x) = *v {
                if !(lo..=hi).contains(&x) {
                    example.get_or_insert(x);
                    dropped += 1;
                    *v = None;
                }
            }
        }
        if dropped > 0 {
            a.notes.push(format!(
                "{dropped} {name} value{} outside {lo}–{hi} {unit} dropped (e.g. {} {unit})",
                if dropped == 1 { "" } else { "s" },
                example.map(number_text).unwrap_or_default()
            ));
        }
        if c.iter().any(Option::is_some) {
            a.samples.set_channel(kind, Some(c));
        }
    }
    let totals = std::iter::once(&mut a.declared).chain(a.laps.iter_mut().map(|l| &mut l.totals));
    let mut dropped: Vec<String> = Vec::new();
    for t in totals {
        let mut check = |v: &mut Option<f64>, hi: f64, name: &str| {
            if let Some(x) = *v {
                if !(0.0..=hi).contains(&x) {
                    dropped.push(format!("{name} {}", number_text(x)));
                    *v = None;
                }
            }
        };
        check(&mut t.distance_m, 10_000_000.0, "distance (m)");
        check(&mut t.elapsed_s, 30.0 * 86_400.0 * 12.0, "elapsed time (s)");
        check(&mut t.timer_s, 30.0 * 86_400.0 * 12.0, "timer time (s)");
        check(&mut t.ascent_m, 100_000.0, "ascent (m)");
        check(&mut t.descent_m, 100_000.0, "descent (m)");
        check(&mut t.calories_kcal, 100_000.0, "calories (kcal)");
        check(&mut t.avg_speed_mps, 100.0, "average speed (m/s)");
        check(&mut t.max_speed_mps, 100.0, "maximum speed (m/s)");
        check(&mut t.avg_hr_bpm, 255.0, "average heart rate (bpm)");
        check(&mut t.max_hr_bpm, 255.0, "maximum heart rate (bpm)");
        check(&mut t.avg_power_w, 4_000.0, "average power (W)");
        check(&mut t.max_power_w, 4_000.0, "maximum power (W)");
        check(&mut t.avg_cadence, 300.0, "average cadence (rpm)");
        check(&mut t.pool_length_m, 1_000.0, "pool length (m)");
    }
    if !dropped.is_empty() {
        dropped.sort();
        dropped.dedup();
        a.notes.push(format!(
            "stated totals outside what any activity reaches were ignored: {}",
            dropped.join(", ")
        ));
    }
}

/// Keeps time running forwards: a sample before the latest instant so far
/// (a track that starts again, a clock that jumped back) is dropped until
/// time passes that instant again. Samples at the same instant as the one
/// before are kept (devices write two records in one second; the timeline
/// reads them as one instant). The activity is flagged `time_backsteps` with
/// a note of what was dropped. Returns the number of samples dropped.
pub fn drop_time_reversals(a: &mut Activity) -> usize {
    let n = a.samples.len();
    if n < 2 {
        return 0;
    }
    let times = &a.samples.time_ms;
    let mut keep = vec![true; n];
    let mut latest = times[0];
    let (mut dropped, mut dropped_ms, mut first_back) = (0usize, 0i64, None);
    let mut run_start: Option<i64> = None;
    for i in 1..n {
        let t = times[i];
        if t >= latest && run_start.is_none() || t > latest {
            if let Some(s) = run_start.take() {
                dropped_ms += latest - s;
            }
            latest = t;
        } else {
            keep[i] = false;
            dropped += 1;
            first_back.get_or_insert((latest, t));
            run_start.get_or_insert(t);
        }
    }
    if let Some(s) = run_start {
        dropped_ms += latest - s;
    }
    if dropped == 0 {
        return 0;
    }
    a.samples.retain_indices(&keep);
    a.dropped_points += dropped;
    a.flag(Flag::TimeBacksteps);
    if let Some((at, to)) = first_back {
        a.notes.push(format!(
            "time went back at {} to {}: {dropped} points ({}) that repeat or precede earlier ones were dropped",
            crate::time::rfc3339(at),
            crate::time::rfc3339(to),
            crate::time::duration_text(dropped_ms.max(0) as f64 / 1000.0)
        ));
    }
    dropped
}

/// Flags what cannot be trusted, each with a note of the evidence.
/// `now_ms` comes from the caller (the domain has no clock); a start more
/// than a day after it is a date in the future.
/// Timer events that leave less than a tenth of the records' span running
/// belong to another clock (a file edited, events written before the
/// device had the time): they would silence every record, so they are
/// dropped, with a note.
fn drop_contradicting_timer_events(a: &mut Activity) {
    let (Some(&first), Some(&last)) = (a.samples.time_ms.first(), a.samples.time_ms.last()) else {
        return;
    };
    let span = last - first;
    if span < 60_000 || a.timer_events.is_empty() {
        return;
    }
    let running = crate::timeline::timer_running_ms(a, first, last);
    if running * 10 < span {
        a.notes.push(format!(
            "timer events ignored: the {} timer events leave {} of the {} recorded running; they do not fit the records' times",
            a.timer_events.len(),
            crate::time::duration_text(running as f64 / 1000.0),
            crate::time::duration_text(span as f64 / 1000.0),
        ));
        a.timer_events.clear();
    }
}

/// A stated distance that the records more than double (a damaged total:
/// 32 m stated, 2.8 km recorded) is not the activity's: the records'
/// distance is used, with a note. `covered` is the raw distance channel's
/// span, a cheap first look; the timeline (spikes filtered) confirms it.
fn drop_contradicted_distance(a: &mut Activity, covered: f64) {
    let Some(stated) = a.declared.distance_m else {
        return;
    };
    if covered <= 2.0 * stated + 100.0 {
        return;
    }
    let Some(recorded) = crate::timeline::Timeline::of(a).distance_m() else {
        return;
    };
    if recorded > 2.0 * stated + 100.0 {
        a.notes.push(format!(
            "distance_contradicts_records: the file states {}, its records cover {}: the records' distance is used",
            distance_text(stated),
            distance_text(recorded)
        ));
        a.declared.distance_m = None;
    }
}

fn distance_text(m: f64) -> String {
    if m < 1000.0 {
        format!("{m:.0} m")
    } else {
        format!("{:.2} km", m / 1000.0)
    }
}

pub fn check(a: &mut Activity, now_ms: i64) {
    drop_null_readings(a);
    drop_impossible_values(a);
    let n = a.samples.len();
    let span_ms = match (
        a.samples.time_ms.iter().min(),
        a.samples.time_ms.iter().max(),
    ) {
        (Some(f), Some(l)) => l - f,
        _ => 0,
    };
    // Times all within a few milliseconds of each other are one placeholder
    // (no device writes 100 points a second): they say nothing about order,
    // so every point is kept rather than sorted away.
    let placeholder = n >= 2 && span_ms < (n as i64 - 1) * PLACEHOLDER_INTERVAL_MS;
    if !placeholder {
        drop_time_reversals(a);
        drop_contradicting_timer_events(a);
    }
    let first = a.samples.time_ms.first().copied();
    let span_ms = a
        .samples
        .time_ms
        .last()
        .zip(first)
        .map_or(0, |(l, f)| l - f);
    let n = a.samples.len();
    if placeholder {
        a.flag(Flag::PlaceholderTimes);
        a.notes.push(format!(
            "placeholder_times: all {n} points carry one time, {}",
            crate::time::rfc3339(first.unwrap_or(0))
        ));
    } else if n >= 2 {
        // Times that cannot be real: covering the distance faster than an
        // airliner. The distance covered in this activity: a multisport
        // session's distance channel carries on from the sessions before it.
        let values: Vec<f64> = crate::timeline::distance_channel(a)
            .into_iter()
            .flatten()
            .collect();
        let covered = match (
            values.iter().copied().reduce(f64::min),
            values.iter().copied().reduce(f64::max),
        ) {
            (Some(lo), Some(hi)) => hi - lo,
            _ => 0.0,
        };
        drop_contradicted_distance(a, covered);
        let seconds = span_ms as f64 / 1000.0;
        if covered > 100.0 && covered / seconds > MAX_PLAUSIBLE_SPEED_MPS {
            a.flag(Flag::PlaceholderTimes);
            a.notes.push(format!(
                "placeholder_times: {:.1} km in {}, faster than 250 km/h: the times are not real",
                covered / 1000.0,
                crate::time::duration_text(seconds)
            ));
        }
    }
    if a.start_ms < EARLIEST_PLAUSIBLE_MS || a.start_ms > now_ms + 86_400_000 {
        a.flag(Flag::ImplausibleDate);
        a.notes.push(format!(
            "implausible_date: starts {}, {}",
            crate::time::rfc3339(a.start_ms),
            if a.start_ms < EARLIEST_PLAUSIBLE_MS {
                "before any GPS sports watch (1990)"
            } else {
                "in the future"
            }
        ));
    }
    let elapsed = a
        .declared
        .elapsed_s
        .unwrap_or(0.0)
        .max(span_ms as f64 / 1000.0);
    if elapsed > MAX_PLAUSIBLE_ELAPSED_S {
        a.flag(Flag::ImplausibleDuration);
        a.notes.push(format!(
            "implausible_duration: lasts {}, more than 7 days",
            crate::time::duration_text(elapsed)
        ));
    }
    if let (Some(timer), Some(el)) = (a.declared.timer_s, a.declared.elapsed_s) {
        // Devices round; only a real excess is nonsense.
        if timer > el * 1.01 + 5.0 {
            a.flag(Flag::TimerExceedsElapsed);
            let span = span_ms as f64 / 1000.0;
            a.notes.push(format!(
                "timer_exceeds_elapsed: the timer says {}, the activity lasted {}{}",
                crate::time::duration_text(timer),
                crate::time::duration_text(el),
                if span > el + 5.0 {
                    format!(
                        "; its records span {}, which is used as the elapsed time",
                        crate::time::duration_text(span)
                    )
                } else {
                    String::new()
                }
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceFormat, Sport};
    use proptest::prelude::*;

    fn run(times_s: &[i64]) -> Activity {
        let mut a = Activity::new(SourceFormat::Tcx, Sport::Run, 1_700_000_000_000);
        for t in times_s {
            a.samples.push_time(1_700_000_000_000 + t * 1000);
            a.samples.set_last(ChannelKind::Distance, *t as f64 * 3.0);
        }
        a
    }

    #[test]
    fn a_track_that_starts_again_is_dropped_and_said() {
        // 0..=100 s, then the same stretch again from 50 s to 150 s.
        let times: Vec<i64> = (0..=100).chain(50..=150).collect();
        let mut a = run(&times);
        check(&mut a, NOW);
        assert!(a.samples.time_ms.windows(2).all(|w| w[1] > w[0]));
        assert_eq!(a.samples.len(), 151);
        assert_eq!(a.samples.time_ms[150], 1_700_000_150_000);
        assert_eq!(a.flags, vec![Flag::TimeBacksteps]);
        assert!(a.notes[0].contains("51 points (50 s)"), "{:?}", a.notes);
        let d = crate::derived::derive(&a);
        assert!(d.summary.moving_s.unwrap() <= d.summary.elapsed_s.unwrap());
    }

    #[test]
    fn the_same_instant_twice_is_kept() {
        let mut a = run(&[0, 1, 1, 2]);
        check(&mut a, NOW);
        assert_eq!(a.samples.len(), 4);
        assert!(a.flags.is_empty(), "{:?}", a.flags);
    }

    /// A multisport transition: 198 s, 40 distinct timestamps, a distance
    /// channel that carries on from the swim (42.7 km) and covers 35 m.
    #[test]
    fn a_multisport_transition_is_not_placeholder_times() {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Other, 1_700_000_000_000);
        a.session_index = Some(1);
        for i in 0..40 {
            a.samples.push_time(1_700_000_000_000 + i * 5076);
            a.samples
                .set_last(ChannelKind::Distance, 42_695.8 + i as f64 * 0.9);
        }
        check(&mut a, NOW);
        assert!(a.flags.is_empty(), "{:?} {:?}", a.flags, a.notes);
    }

    /// A stated total the records more than double is damaged: the
    /// records' distance is used and the note gives both.
    #[test]
    fn a_stated_distance_the_records_contradict_gives_way() {
        let mut a = run(&(0..1000).collect::<Vec<_>>());
        a.declared.distance_m = Some(32.0);
        check(&mut a, NOW);
        assert_eq!(a.declared.distance_m, None);
        assert!(
            a.notes.iter().any(|n| n.contains("states 32 m")),
            "{:?}",
            a.notes
        );
        let mut b = run(&(0..1000).collect::<Vec<_>>());
        b.declared.distance_m = Some(2_800.0);
        check(&mut b, NOW);
        assert_eq!(
            b.declared.distance_m,
            Some(2_800.0),
            "3 km recorded, 2.8 km stated: kept"
        );
    }

    /// Timer events of another clock (a stop days before the records)
    /// would leave nothing running: dropped, and said.
    #[test]
    fn timer_events_that_silence_every_record_are_dropped() {
        let t0 = 1_700_000_000_000;
        let mut a = run(&(0..1800).collect::<Vec<_>>());
        let early = |running| crate::model::TimerEvent {
            time_ms: t0 - 3 * 86_400_000,
            running,
        };
        a.timer_events = vec![early(true), early(false)];
        check(&mut a, NOW);
        assert!(a.timer_events.is_empty());
        assert!(
            a.notes.iter().any(|n| n.contains("timer events ignored")),
            "{:?}",
            a.notes
        );
        assert!(crate::derived::derive(&a).summary.moving_s.unwrap() > 1700.0);
        // Events that fit the records stay.
        let mut b = run(&(0..1800).collect::<Vec<_>>());
        b.timer_events = vec![
            crate::model::TimerEvent {
                time_ms: b.start_ms + 600_000,
                running: false,
            },
            crate::model::TimerEvent {
                time_ms: b.start_ms + 700_000,
                running: true,
            },
        ];
        check(&mut b, NOW);
        assert_eq!(b.timer_events.len(), 2);
    }

    proptest! {
        /// Whatever order a file's times come in, they leave cleaning in
        /// order, only what went back is dropped, and moving time never
        /// exceeds the elapsed time.
        #[test]
        fn time_only_runs_forwards(steps in proptest::collection::vec(-120i64..30, 2..400)) {
            let mut t = 0i64;
            let times: Vec<i64> = steps.iter().map(|d| { t += d; t }).collect();
            let mut a = run(&times);
            let before = a.samples.len();
            let dropped = drop_time_reversals(&mut a);
            prop_assert!(a.samples.time_ms.windows(2).all(|w| w[1] >= w[0]));
            prop_assert_eq!(a.samples.len() + dropped, before);
            let d = crate::derived::derive(&a);
            if let (Some(m), Some(e)) = (d.summary.moving_s, d.summary.elapsed_s) {
                prop_assert!(m <= e + 1e-9, "moving {} elapsed {}", m, e);
            }
        }
    }

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
