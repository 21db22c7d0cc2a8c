//! Moving time: the seconds an athlete was actually going, sport-aware.
//!
//! Rule (cairn's own, documented in DESIGN.md), applied to each second of the
//! [`Timeline`] (so seconds while the timer was stopped, and recording gaps
//! over 5 minutes, never count):
//! 1. With distance, a second is moving when the speed over the trailing
//!    10 seconds ([`Timeline::speed_mps`]) reaches the sport's threshold:
//!    road and treadmill running 0.5 m/s, cycling 1.0 m/s, others 0.3 m/s;
//!    walks, hikes and trail runs also when climbing or descending at
//!    0.05 m/s or more, so a slow steep climb is moving. The window keeps GPS
//!    jitter while standing (typically under 0.2 m/s over 10 s) from counting
//!    as movement. Once moving, a second stays moving until the speed falls
//!    below half the threshold (hysteresis), so speed that wobbles around
//!    the threshold, or is read more or less often, does not flip it.
//! 2. Stationary sports (treadmill, indoor ride, rowing, pool swim,
//!    strength) also count a second while power or cadence is above zero.
//!    When that evidence covers less than half of the recorded seconds (no
//!    speed, a stroke sensor that wrote zeros), the device is not telling,
//!    and every recorded second counts (the timer). A session is never 0 just
//!    because the device wrote no speed.
//! 3. An outdoor session without any distance counts seconds with power or
//!    cadence, else every recorded second.
//! 4. Pool swims with recorded lengths: the sum of the active lengths (see
//!    [`crate::metrics::summary`]).
//!
//! Moving time is never more than the timer time (or the elapsed time
//! without a timer): the summary caps it there.

use crate::model::Sport;
use crate::timeline::{Timeline, SPEED_WINDOW_S};

/// Speed (m/s) at which a second counts as moving.
pub fn threshold_mps(sport: Sport) -> f64 {
    if matches!(sport, Sport::Run | Sport::TreadmillRun) {
        0.5
    } else if sport.is_cycling() {
        1.0
    } else {
        0.3
    }
}

/// Once moving, the athlete is still below this fraction of the threshold.
pub const STOP_FRACTION: f64 = 0.5;

/// Vertical speed (m/s) at which a walk, hike or trail run counts as moving.
pub const VERTICAL_THRESHOLD_MPS: f64 = 0.05;

/// Whether the athlete moved in each second of the timeline.
pub fn moving_seconds(sport: Sport, tl: &Timeline) -> Vec<bool> {
    let n = tl.len();
    let working = |k: usize| {
        let positive = |c: &Option<Vec<Option<f64>>>| {
            c.as_ref().is_some_and(|c| c[k].is_some_and(|v| v > 0.0))
        };
        positive(&tl.power_w) || positive(&tl.cadence_rpm)
    };
    let any_work = (0..n).any(working);
    let speed = tl
        .speed_mps
        .as_ref()
        .filter(|_| tl.distance_m().is_some_and(|d| d >= 1.0));
    let Some(speed) = speed else {
        // No distance at all: the work channels, else the timer.
        let by_work: Vec<bool> = (0..n).map(|k| !any_work || working(k)).collect();
        return timer_unless_told(sport, by_work);
    };
    let threshold = threshold_mps(sport);
    let vertical = (matches!(sport, Sport::Walk | Sport::Hike | Sport::TrailRun))
        .then_some(tl.vertical_mps.as_ref())
        .flatten();
    let stationary = sport.is_stationary();
    let mut out = Vec::with_capacity(n);
    let mut going = false;
    for k in 0..n {
        if !tl.continues(k) {
            going = false;
        }
        // Hysteresis: moving from the threshold on, still only below half of
        // it, so an athlete who crawls up a climb right at the threshold is
        // not counted on and off with every wobble of the speed.
        // A recorded interval longer than the window and slower than the
        // threshold is a stop (an auto-pause the file did not mark),
        // whatever came before it.
        let stop = f64::from(tl.interval_s[k]) > SPEED_WINDOW_S as f64
            && tl.metres.as_ref().is_some_and(|m| m[k] < threshold);
        going = !stop
            && if going {
                speed[k] >= STOP_FRACTION * threshold
            } else {
                speed[k] >= threshold
            };
        out.push(
            going
                || vertical.is_some_and(|v| v[k] >= VERTICAL_THRESHOLD_MPS)
                || (stationary && working(k)),
        );
    }
    timer_unless_told(sport, out)
}

/// A stationary session whose evidence of movement covers less than half
/// of its recorded seconds is counted by its timer (rule 2).
fn timer_unless_told(sport: Sport, moving: Vec<bool>) -> Vec<bool> {
    let told = moving.iter().filter(|m| **m).count();
    if sport.is_stationary() && told * 2 < moving.len() {
        vec![true; moving.len()]
    } else {
        moving
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Activity, ChannelKind, SourceFormat, Sport, TimerEvent};
    use crate::timeline::Timeline;

    fn walk(speeds: &[f64]) -> Activity {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Run, 0);
        let mut d = 0.0;
        for (i, v) in speeds.iter().enumerate() {
            a.samples.push_time(i as i64 * 1000);
            d += v;
            a.samples.set_last(ChannelKind::Distance, d);
        }
        a
    }

    #[test]
    fn standing_still_is_not_moving() {
        let mut speeds = vec![3.0; 600];
        speeds.extend(vec![0.05; 300]);
        speeds.extend(vec![3.0; 600]);
        let m = Timeline::of(&walk(&speeds)).moving_s();
        // 1,199 moving seconds, give or take the window straddling the stop.
        assert!((1185.0..=1215.0).contains(&m), "{m}");
    }

    #[test]
    fn a_stopped_timer_is_never_moving() {
        let mut a = walk(&[3.0; 100]);
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
        assert_eq!(Timeline::of(&a).moving_s(), 79.0);
    }

    #[test]
    fn a_rower_with_only_stroke_rate_is_moving() {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Rowing, 0);
        for i in 0..1380 {
            a.samples.push_time(i * 1000);
            a.samples.set_last(ChannelKind::Distance, 0.0);
            a.samples.set_last(ChannelKind::Cadence, 24.0);
        }
        assert_eq!(Timeline::of(&a).moving_s(), 1379.0);
    }
}
