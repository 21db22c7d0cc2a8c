//! Moving time: the seconds an athlete was actually going, sport-aware.
//!
//! Rule (cairn's own, documented in DESIGN.md), applied to each second of the
//! [`Timeline`] (so seconds while the timer was stopped, and recording gaps
//! over 5 minutes, never count):
//! 1. With distance, a second is moving when the speed over the trailing
//!    10 seconds reaches the sport's threshold: running 0.5 m/s, cycling
//!    1.0 m/s, others 0.3 m/s; walks and hikes also when climbing or
//!    descending at 0.05 m/s or more, so a slow steep climb is moving. The
//!    window keeps GPS jitter while standing (typically under 0.2 m/s over
//!    10 s) from counting as movement. It never reaches back across a
//!    recorded interval longer than itself in which the athlete stood still:
//!    that is a stop, whether or not the device also stopped its timer, so a
//!    FIT with pause events and its TCX export without them agree.
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
use crate::timeline::Timeline;

/// Length of the trailing speed window (s).
pub const WINDOW_S: usize = 10;

/// Speed (m/s) at which a second counts as moving.
pub fn threshold_mps(sport: Sport) -> f64 {
    if sport.is_running() {
        0.5
    } else if sport.is_cycling() {
        1.0
    } else {
        0.3
    }
}

/// Vertical speed (m/s) at which a walk or hike counts as moving.
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
    let cum = tl.cumulative_m().filter(|c| c[n] >= 1.0);
    let Some(cum) = cum else {
        // No distance at all: the work channels, else the timer.
        let by_work: Vec<bool> = (0..n).map(|k| !any_work || working(k)).collect();
        return timer_unless_told(sport, by_work);
    };
    let threshold = threshold_mps(sport);
    let vertical = sport.is_on_foot() && !sport.is_running();
    let stationary = sport.is_stationary();
    let mut out = Vec::with_capacity(n);
    let mut segment_start = 0;
    for k in 0..n {
        // A pause, a gap, or the end of a long interval standing still
        // starts the window afresh.
        let still = |j: usize| {
            f64::from(tl.interval_s[j]) > WINDOW_S as f64 && cum[j + 1] - cum[j] < threshold
        };
        if !tl.continues(k) || (k > 0 && still(k - 1) && !still(k)) {
            segment_start = k;
        }
        let w0 = segment_start.max((k + 1).saturating_sub(WINDOW_S));
        let span = (k + 1 - w0) as f64;
        let speed = (cum[k + 1] - cum[w0]) / span;
        let climbing = vertical
            && k > w0
            && tl.altitude_m.as_ref().is_some_and(|alt| {
                alt[k]
                    .zip(alt[w0])
                    .is_some_and(|(a, b)| (a - b).abs() / (k - w0) as f64 >= VERTICAL_THRESHOLD_MPS)
            });
        out.push(speed >= threshold || climbing || (stationary && working(k)));
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
