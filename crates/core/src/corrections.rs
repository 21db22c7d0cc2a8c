//! Corrections that change what a recording is, kept as data and applied
//! every time the recording is derived from its file, so a rebuild makes
//! the same activities again.

use crate::model::{Activity, ChannelKind, DeclaredTotals, Lap, Sport, TimerEvent};
use serde::{Deserialize, Serialize};

/// Each part must hold at least this much of the recording.
pub const MIN_PART_S: f64 = 60.0;

/// Where the athlete cut a recording that held two sessions (the watch
/// kept recording the ride as a run), and the sport of the part from there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitRule {
    pub file_sha256: String,
    /// The session of a multisport file; `None` for a file of one session.
    pub session_index: Option<u32>,
    /// UTC milliseconds: the second part starts with the first sample at or after it.
    pub at_ms: i64,
    pub sport_after: Sport,
}

/// `a` cut at `at_ms` into the part before and the part from it (with
/// `sport_after`). Samples, laps, timer events and pool lengths go to the
/// part they fall in; a lap across the cut is cut too. The device's totals
/// were for the whole recording, so neither part keeps them: each part's
/// numbers come from its own samples.
pub fn split_at(
    a: &Activity,
    at_ms: i64,
    sport_after: Sport,
) -> Result<(Activity, Activity), String> {
    let times = &a.samples.time_ms;
    let cut = times.partition_point(|t| *t < at_ms);
    let (Some(&first), Some(&last)) = (times.first(), times.last()) else {
        return Err("it has no samples to split".into());
    };
    let before_s = (at_ms - first) as f64 / 1000.0;
    let after_s = (last - at_ms) as f64 / 1000.0;
    if cut == 0 || cut == times.len() || before_s < MIN_PART_S || after_s < MIN_PART_S {
        return Err(format!(
            "the cut must leave at least {MIN_PART_S:.0} s of the recording on each side (it runs from {} to {})",
            crate::time::rfc3339(first),
            crate::time::rfc3339(last)
        ));
    }
    let mut head = a.clone();
    let mut tail = a.clone();
    head.samples = a.samples.slice(0..cut);
    tail.samples = a.samples.slice(cut..times.len());
    // The distance channel counts from the start of the recording: the
    // second part's counts from its own start.
    if let Some(at_cut) = (0..cut)
        .rev()
        .find_map(|i| a.samples.value(ChannelKind::Distance, i))
    {
        let d = tail.samples.channel_mut(ChannelKind::Distance);
        for v in d.iter_mut().flatten() {
            *v = (*v - at_cut).max(0.0);
        }
    }
    let cut_ms = times[cut];
    tail.start_ms = cut_ms;
    tail.sport = sport_after;
    for part in [&mut head, &mut tail] {
        part.declared = DeclaredTotals::default();
        // RR intervals carry no times of their own: neither part can claim them.
        part.rr_intervals_s.clear();
    }
    head.laps = laps_before(&a.laps, cut_ms);
    tail.laps = laps_from(&a.laps, cut_ms);
    head.timer_events = a
        .timer_events
        .iter()
        .copied()
        .filter(|e| e.time_ms < cut_ms)
        .collect();
    if head.timer_events.last().is_some_and(|e| e.running) {
        head.timer_events.push(TimerEvent {
            time_ms: times[cut - 1],
            running: false,
        });
    }
    tail.timer_events = std::iter::once(TimerEvent {
        time_ms: cut_ms,
        running: true,
    })
    .chain(
        a.timer_events
            .iter()
            .copied()
            .filter(|e| e.time_ms > cut_ms),
    )
    .collect();
    head.lengths.retain(|l| l.start_ms < cut_ms);
    tail.lengths.retain(|l| l.start_ms >= cut_ms);
    let note = format!("split by the athlete at {}", crate::time::rfc3339(cut_ms));
    head.notes.push(note.clone());
    tail.notes.push(note);
    Ok((head, tail))
}

/// The laps that start before the cut; one running across it ends there
/// and loses the totals the device gave the whole lap.
fn laps_before(laps: &[Lap], cut_ms: i64) -> Vec<Lap> {
    let mut out: Vec<Lap> = laps
        .iter()
        .filter(|l| l.start_ms < cut_ms)
        .cloned()
        .collect();
    let crosses = laps
        .iter()
        .find(|l| l.start_ms >= cut_ms)
        .is_none_or(|next| next.start_ms > cut_ms);
    if crosses {
        if let Some(l) = out.last_mut() {
            l.totals = DeclaredTotals::default();
        }
    }
    out
}

/// The laps from the cut on, starting with the rest of the lap across it.
fn laps_from(laps: &[Lap], cut_ms: i64) -> Vec<Lap> {
    let mut out: Vec<Lap> = laps
        .iter()
        .filter(|l| l.start_ms >= cut_ms)
        .cloned()
        .collect();
    if out.first().is_none_or(|l| l.start_ms > cut_ms) {
        out.insert(
            0,
            Lap {
                start_ms: cut_ms,
                totals: DeclaredTotals::default(),
            },
        );
    }
    out
}

/// The activity as the rules cut it: one part per cut, in time order.
pub fn apply(a: Activity, cuts: &[&SplitRule]) -> Vec<Activity> {
    let mut cuts: Vec<&&SplitRule> = cuts.iter().collect();
    cuts.sort_by_key(|r| r.at_ms);
    let mut parts = vec![a];
    for rule in cuts {
        let Some(last) = parts.pop() else { break };
        match split_at(&last, rule.at_ms, rule.sport_after) {
            Ok((head, tail)) => parts.extend([head, tail]),
            // A rule that no longer fits (a decoder that now reads the
            // file differently) leaves the activity whole rather than wrong.
            Err(_) => parts.push(last),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceFormat;
    use proptest::prelude::*;

    /// `n` seconds at 3 m/s with a heart rate, laps every 100 s, paused
    /// once in the middle.
    fn recording(n: usize) -> Activity {
        let t0 = 1_750_000_000_000;
        let mut a = Activity::new(SourceFormat::Fit, Sport::Run, t0);
        for i in 0..n {
            a.samples.push_time(t0 + i as i64 * 1000);
            a.samples.set_last(ChannelKind::Distance, 3.0 * i as f64);
            a.samples.set_last(ChannelKind::HeartRate, 140.0);
        }
        a.laps = (0..n)
            .step_by(100)
            .map(|i| Lap {
                start_ms: t0 + i as i64 * 1000,
                totals: DeclaredTotals {
                    distance_m: Some(300.0),
                    ..DeclaredTotals::default()
                },
            })
            .collect();
        a.timer_events = vec![
            TimerEvent {
                time_ms: t0,
                running: true,
            },
            TimerEvent {
                time_ms: t0 + (n as i64 / 2) * 1000,
                running: false,
            },
            TimerEvent {
                time_ms: t0 + (n as i64 / 2 + 5) * 1000,
                running: true,
            },
            TimerEvent {
                time_ms: t0 + (n as i64 - 1) * 1000,
                running: false,
            },
        ];
        a.declared.distance_m = Some(3.0 * n as f64);
        a
    }

    proptest! {
        #[test]
        fn the_parts_hold_the_whole_and_nothing_twice(n in 200usize..2000, at in 0.0f64..1.0) {
            let a = recording(n);
            let at_ms = a.start_ms + (at * n as f64) as i64 * 1000;
            match split_at(&a, at_ms, Sport::Ride) {
                Ok((head, tail)) => {
                    prop_assert_eq!(head.samples.len() + tail.samples.len(), n);
                    prop_assert!(head.samples.time_ms.last() < tail.samples.time_ms.first());
                    prop_assert_eq!(tail.start_ms, tail.samples.time_ms[0]);
                    prop_assert_eq!(tail.sport, Sport::Ride);
                    prop_assert_eq!(head.sport, Sport::Run);
                    // Distance: the second part counts from the cut (its
                    // first step is the one across it), and the two add up
                    // to the whole.
                    let last_d = |x: &Activity| x.samples.channel(ChannelKind::Distance).unwrap().iter().flatten().last().copied().unwrap();
                    prop_assert!((last_d(&head) + last_d(&tail) - last_d(&a)).abs() < 1e-9);
                    prop_assert_eq!(tail.samples.value(ChannelKind::Distance, 0), Some(3.0));
                    // Laps and timer events start with the part, in order.
                    prop_assert_eq!(head.laps[0].start_ms, head.start_ms);
                    prop_assert_eq!(tail.laps[0].start_ms, tail.start_ms);
                    prop_assert!(tail.laps.iter().all(|l| l.start_ms >= tail.start_ms));
                    prop_assert!(head.laps.iter().all(|l| l.start_ms < tail.start_ms));
                    prop_assert!(tail.timer_events[0].running && tail.timer_events[0].time_ms == tail.start_ms);
                    prop_assert!(!head.timer_events.last().unwrap().running);
                    prop_assert_eq!(head.declared.clone(), DeclaredTotals::default());
                }
                Err(e) => {
                    // Refused only when a part would be too short.
                    let before = at_ms - a.start_ms;
                    let after = a.start_ms + (n as i64 - 1) * 1000 - at_ms;
                    prop_assert!(before < 60_000 || after < 60_000, "{}", e);
                }
            }
        }
    }

    #[test]
    fn rules_cut_in_time_order_and_a_rule_that_does_not_fit_is_left_out() {
        let a = recording(1000);
        let rule = |s: i64, sport| SplitRule {
            file_sha256: "x".into(),
            session_index: None,
            at_ms: a.start_ms + s * 1000,
            sport_after: sport,
        };
        let (r1, r2, bad) = (
            rule(600, Sport::Walk),
            rule(300, Sport::Ride),
            rule(5000, Sport::Hike),
        );
        let parts = apply(a.clone(), &[&r1, &r2, &bad]);
        let sports: Vec<Sport> = parts.iter().map(|p| p.sport).collect();
        assert_eq!(sports, vec![Sport::Run, Sport::Ride, Sport::Walk]);
        assert_eq!(parts.iter().map(|p| p.samples.len()).sum::<usize>(), 1000);
    }
}
