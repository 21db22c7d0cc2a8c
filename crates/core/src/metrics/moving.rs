//! Moving time: the time an athlete was actually going, sport-aware.
//!
//! Rule (cairn's own, documented in DESIGN.md):
//! 1. An interval between two samples never counts while the device's timer
//!    was stopped (FIT timer events).
//! 2. Otherwise it counts when the speed over the trailing 10-second window
//!    reaches the sport's threshold: running 0.5 m/s, other on-foot sports
//!    0.3 m/s (or 0.05 m/s vertical, so a slow steep climb is moving), cycling
//!    1.0 m/s, others 0.3 m/s. The window keeps GPS jitter while standing
//!    (typically under 0.2 m/s averaged over 10 s) from counting as movement.
//! 3. Intervals longer than 5 minutes are a recording gap, not movement.
//! 4. Pool swims with recorded lengths: the sum of the active (non-rest) lengths.
//! 5. Stationary sports without distance (treadmill without footpod, indoor
//!    ride, pool swim, strength, rowing) count an interval as moving while
//!    power or cadence is above zero, else fall back to the timer time.

use crate::model::{Activity, ChannelKind, Sport};

const WINDOW_MS: i64 = 10_000;
const MAX_INTERVAL_MS: i64 = 300_000;

fn threshold_mps(sport: Sport) -> f64 {
    if sport.is_running() {
        0.5
    } else if sport.is_cycling() {
        1.0
    } else {
        0.3
    }
}

/// Moving time in seconds, or `None` when the activity has fewer than two samples
/// and no declared timer time.
pub fn moving_time_s(a: &Activity, distance: &[Option<f64>]) -> Option<f64> {
    let active_lengths: Vec<f64> = a
        .lengths
        .iter()
        .filter(|l| l.active)
        .filter_map(|l| l.elapsed_s)
        .collect();
    if a.sport == Sport::PoolSwim && !active_lengths.is_empty() {
        return Some(active_lengths.iter().sum());
    }
    let s = &a.samples;
    let n = s.len();
    let has_distance = distance.iter().filter(|d| d.is_some()).count() >= 2;
    if n < 2 {
        return a.declared.timer_s;
    }
    let paused = paused_mask(a);
    let mut total_ms: i64 = 0;
    if !has_distance {
        let power = s.channel(ChannelKind::Power);
        let cadence = s.channel(ChannelKind::Cadence);
        let working =
            |c: Option<&Vec<Option<f64>>>| c.is_some_and(|c| c.iter().flatten().any(|v| *v > 0.0));
        let swim = matches!(a.sport, Sport::PoolSwim | Sport::OpenWaterSwim);
        if swim || !(working(power) || working(cadence)) {
            return a
                .declared
                .timer_s
                .or_else(|| Some(active_span_ms(a, &paused) as f64 / 1000.0));
        }
        for i in 1..n {
            let dt = s.time_ms[i] - s.time_ms[i - 1];
            if dt <= 0 || dt > MAX_INTERVAL_MS || paused[i] {
                continue;
            }
            let active =
                |c: Option<&Vec<Option<f64>>>| c.and_then(|c| c[i]).is_some_and(|v| v > 0.0);
            if active(power) || active(cadence) {
                total_ms += dt;
            }
        }
        return Some(total_ms as f64 / 1000.0);
    }
    let threshold = threshold_mps(a.sport);
    let vertical = a.sport.is_on_foot() && !a.sport.is_running();
    let alt = s.channel(ChannelKind::Altitude);
    // Forward-filled distance so gaps do not break the window.
    let mut filled = Vec::with_capacity(n);
    let mut last = None;
    for d in distance {
        if d.is_some() {
            last = *d;
        }
        filled.push(last);
    }
    let mut j = 0usize;
    for i in 1..n {
        let dt = s.time_ms[i] - s.time_ms[i - 1];
        if dt <= 0 || dt > MAX_INTERVAL_MS || paused[i] {
            continue;
        }
        while j + 1 < i && s.time_ms[i] - s.time_ms[j + 1] >= WINDOW_MS {
            j += 1;
        }
        let k = if s.time_ms[i] - s.time_ms[j] >= WINDOW_MS {
            j
        } else {
            i - 1
        };
        let span = (s.time_ms[i] - s.time_ms[k]) as f64 / 1000.0;
        if span <= 0.0 {
            continue;
        }
        let horizontal = match (filled[i], filled[k]) {
            (Some(a), Some(b)) => (a - b).max(0.0) / span,
            _ => 0.0,
        };
        let climbing = vertical
            && alt
                .and_then(|c| Some((c[i]? - c[k]?).abs() / span))
                .is_some_and(|v| v >= 0.05);
        if horizontal >= threshold || climbing {
            total_ms += dt;
        }
    }
    Some(total_ms as f64 / 1000.0)
}

/// Per sample: whether the interval ending at it falls while the timer was stopped.
fn paused_mask(a: &Activity) -> Vec<bool> {
    let s = &a.samples;
    let mut events = a.timer_events.clone();
    events.sort_by_key(|e| e.time_ms);
    let mut mask = vec![false; s.len()];
    if events.is_empty() {
        return mask;
    }
    for (i, m) in mask.iter_mut().enumerate().skip(1) {
        let (t0, t1) = (s.time_ms[i - 1], s.time_ms[i]);
        // The timer state in force at the start of the interval.
        let idx = events.partition_point(|e| e.time_ms <= t0);
        let running = if idx == 0 {
            true
        } else {
            events[idx - 1].running
        };
        // A stop inside the interval with no restart also pauses it.
        let stopped_inside = events[idx..]
            .iter()
            .take_while(|e| e.time_ms < t1)
            .any(|e| !e.running)
            && !events[idx..]
                .iter()
                .take_while(|e| e.time_ms <= t1)
                .any(|e| e.running);
        *m = !running || stopped_inside;
    }
    mask
}

fn active_span_ms(a: &Activity, paused: &[bool]) -> i64 {
    let s = &a.samples;
    (1..s.len())
        .filter(|i| !paused[*i])
        .map(|i| (s.time_ms[i] - s.time_ms[i - 1]).clamp(0, MAX_INTERVAL_MS))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceFormat, TimerEvent};

    fn walk(speeds: &[f64]) -> (Activity, Vec<Option<f64>>) {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Run, 0);
        let mut d = 0.0;
        let mut dist = Vec::new();
        for (i, v) in speeds.iter().enumerate() {
            a.samples.push_time(i as i64 * 1000);
            d += v;
            dist.push(Some(d));
        }
        (a, dist)
    }

    #[test]
    fn standing_still_is_not_moving() {
        let mut speeds = vec![3.0; 600];
        speeds.extend(vec![0.05; 300]);
        speeds.extend(vec![3.0; 600]);
        let (a, d) = walk(&speeds);
        let m = moving_time_s(&a, &d).unwrap();
        // 1,199 moving intervals, less the ~10 s windows straddling the stop.
        assert!((1185.0..=1215.0).contains(&m), "{m}");
    }

    #[test]
    fn a_stopped_timer_is_never_moving() {
        let (mut a, d) = walk(&[3.0; 100]);
        a.timer_events = vec![
            TimerEvent {
                time_ms: 0,
                running: true,
            },
            TimerEvent {
                time_ms: 50_000,
                running: false,
            },
            TimerEvent {
                time_ms: 70_000,
                running: true,
            },
        ];
        let m = moving_time_s(&a, &d).unwrap();
        assert_eq!(m, 79.0);
    }
}
