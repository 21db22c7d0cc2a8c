//! The activity second by second: one 1-Hz series that every per-activity
//! number is computed from, so that no number depends on how often the
//! device wrote a record.
//!
//! Watches record every second, or with "smart recording" every 1–8 s, or
//! only when a value changes; phone apps write a point every few metres. A
//! metric that counts samples (steps per sample, seconds per sample) then
//! measures the recording interval instead of the athlete. science.md
//! pitfall 16 asks for resampling or Δt-integration; cairn resamples once, to
//! whole seconds since the first sample (as GoldenCheetah and intervals.icu
//! do), and moving time, distance, loads, TRIMP, NP, best efforts, curves,
//! zones and exposure all read the same seconds.
//!
//! Which seconds exist (per interval between two samples):
//! * an interval while the device's timer was stopped (FIT timer events) has none;
//! * an interval longer than [`MAX_INTERVAL_S`] is a recording gap and has none;
//! * every other interval contributes each whole second that starts inside it.
//!
//! What each second holds:
//! * **distance**: the metres covered during the second, from the one
//!   distance source of the activity (the device's distance channel, else
//!   positions, else the speed channel), linear between the samples that carry
//!   it, as the device counted them (a step faster than
//!   [`crate::clean::MAX_PLAUSIBLE_SPEED_MPS`] is not movement at all). For
//!   records and curves, a step faster than a person can move
//!   ([`max_speed_mps`]) is a GPS spike and adds nothing ([`Timeline::record_metres`]).
//! * **altitude**: linear between readings at most [`MAX_INTERVAL_S`] apart,
//!   after dropping spikes and values off the planet ([`despike`]).
//! * **heart rate, power, cadence**: a reading holds until the next one when
//!   the two are at most [`HOLD_S`] apart (science.md pitfall 6: hold, never
//!   interpolate across long gaps); a longer gap between readings has no
//!   value, and [`HoldReport`] says how much time that dropped. Heart-rate
//!   artefacts are removed from the readings first ([`clean_heart_rate`]).
//! * **temperature**: the same with [`TEMPERATURE_HOLD_S`].
//! * **moving**: see [`crate::metrics::moving`].

use crate::environment::altitude::despike;
use crate::geo;
use crate::load::hr::clean_heart_rate;
use crate::model::{Activity, ChannelKind, Sport};
use serde::{Deserialize, Serialize};

/// An interval between two samples longer than this (s) is a recording gap.
pub const MAX_INTERVAL_S: f64 = 300.0;
/// Heart rate, power and cadence readings hold across gaps up to this (s).
pub const HOLD_S: f64 = 30.0;
/// Temperature readings hold across gaps up to this (s): it changes slowly.
pub const TEMPERATURE_HOLD_S: f64 = 600.0;
/// At most this many seconds are built (8 days: beyond the 7-day plausible
/// activity, see [`crate::clean::MAX_PLAUSIBLE_ELAPSED_S`]); what a file's
/// timestamps claim beyond that never sizes an allocation.
pub const MAX_SECONDS: usize = 8 * 86_400;

/// Fastest plausible movement of the sport (m/s): on foot 12 m/s (a sprinter
/// peaks near 12.4 m/s for a second, never over a whole interval), 35 m/s
/// for anything on wheels or of unknown kind, 5 m/s swimming.
pub fn max_speed_mps(sport: Sport) -> f64 {
    if sport.is_on_foot() {
        12.0
    } else if matches!(sport, Sport::PoolSwim | Sport::OpenWaterSwim) {
        5.0
    } else {
        35.0
    }
}

/// How a held channel's gaps were treated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HoldReport {
    /// The rule: readings hold across gaps up to this many seconds.
    pub limit_s: f64,
    /// Seconds with a value (a reading or a held one).
    pub covered_s: f64,
    /// Seconds inside longer gaps between readings: left without a value.
    pub dropped_s: f64,
    /// How many such gaps there were.
    pub dropped_gaps: usize,
    /// Readings removed as artefacts before holding (heart rate only).
    pub artefacts_removed: usize,
}

/// What building the timeline left out, for `explain` and the flags.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineReport {
    /// Seconds while the timer was stopped.
    pub paused_s: f64,
    /// Seconds inside recording gaps longer than [`MAX_INTERVAL_S`].
    pub gap_s: f64,
    /// Metres of GPS spikes (steps faster than [`max_speed_mps`]) left out
    /// of [`Timeline::record_metres`].
    pub spike_m: f64,
    /// Metres of steps faster than [`crate::clean::MAX_PLAUSIBLE_SPEED_MPS`]
    /// left out of every distance (not movement: a data error).
    pub impossible_m: f64,
    /// Altitude readings dropped as spikes or implausible ([`despike`]).
    pub altitude_spikes: usize,
    /// Whether the activity claimed more than [`MAX_SECONDS`] and was cut there.
    pub truncated: bool,
    pub heart_rate: Option<HoldReport>,
    pub power: Option<HoldReport>,
    pub cadence: Option<HoldReport>,
}

/// One activity as whole seconds. Index `k` is the k-th recorded second.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// Instant of offset 0: the first sample (UTC ms).
    pub start_ms: i64,
    /// Seconds since `start_ms` of each recorded second, strictly increasing;
    /// jumps where the timer was stopped or the recording had a gap.
    pub offset_s: Vec<u32>,
    /// Metres covered during each second, as the device counted them; `None`
    /// when the activity has no distance, position or speed.
    pub metres: Option<Vec<f64>>,
    /// The same without GPS spikes (steps faster than [`max_speed_mps`]):
    /// what best efforts and curves read, so a glitch sets no record.
    pub record_metres: Option<Vec<f64>>,
    pub altitude_m: Option<Vec<Option<f64>>>,
    pub heart_rate_bpm: Option<Vec<Option<f64>>>,
    pub power_w: Option<Vec<Option<f64>>>,
    pub cadence_rpm: Option<Vec<Option<f64>>>,
    pub temperature_c: Option<Vec<Option<f64>>>,
    /// Length of the sample interval each second lies in (s): how densely
    /// that part was recorded.
    pub interval_s: Vec<f32>,
    /// Whether the athlete was moving during each second.
    pub moving: Vec<bool>,
    pub report: TimelineReport,
}

/// The cumulative distance of each sample: the device's distance channel
/// where it has one, else great-circle distance between consecutive valid
/// positions. `None` where a sample has neither.
pub fn distance_channel(a: &Activity) -> Vec<Option<f64>> {
    if let Some(d) = a.samples.channel(ChannelKind::Distance) {
        if d.iter().any(Option::is_some) {
            return d.clone();
        }
    }
    let s = &a.samples;
    let mut out = Vec::with_capacity(s.len());
    let mut total = 0.0;
    let mut last: Option<(f64, f64)> = None;
    for i in 0..s.len() {
        match s.position(i) {
            Some((lat, lon)) => {
                if let Some((la, lo)) = last {
                    total += geo::haversine_m(la, lo, lat, lon);
                }
                last = Some((lat, lon));
                out.push(Some(total));
            }
            None => out.push(None),
        }
    }
    out
}

/// Per sample: whether the interval ending at it falls while the timer was stopped.
fn paused_mask(a: &Activity) -> Vec<bool> {
    let s = &a.samples;
    let mut mask = vec![false; s.len()];
    if a.timer_events.is_empty() {
        return mask;
    }
    let mut events = a.timer_events.clone();
    events.sort_by_key(|e| e.time_ms);
    for (i, m) in mask.iter_mut().enumerate().skip(1) {
        let (t0, t1) = (s.time_ms[i - 1], s.time_ms[i]);
        // The timer state in force at the start of the interval.
        let idx = events.partition_point(|e| e.time_ms <= t0);
        let running = idx == 0 || events[idx - 1].running;
        // A stop inside the interval with no restart also pauses it.
        let inside = events[idx..].iter().take_while(|e| e.time_ms < t1);
        let stopped_inside = inside.clone().any(|e| !e.running)
            && !events[idx..]
                .iter()
                .take_while(|e| e.time_ms <= t1)
                .any(|e| e.running);
        *m = !running || stopped_inside;
    }
    mask
}

/// Readings of one channel as (time ms, value), in time order.
fn readings(times: &[i64], channel: &[Option<f64>]) -> (Vec<i64>, Vec<f64>) {
    times
        .iter()
        .zip(channel)
        .filter_map(|(t, v)| Some((*t, (*v)?)))
        .unzip()
}

/// Walks the readings of one channel along increasing instants.
struct Cursor<'a> {
    times: &'a [i64],
    values: &'a [f64],
    /// Index of the first reading after the current instant.
    next: usize,
}

impl<'a> Cursor<'a> {
    fn new(times: &'a [i64], values: &'a [f64]) -> Cursor<'a> {
        Cursor {
            times,
            values,
            next: 0,
        }
    }

    /// The readings at or before `t` and after it.
    fn around(&mut self, t: i64) -> (Option<usize>, Option<usize>) {
        while self.next < self.times.len() && self.times[self.next] <= t {
            self.next += 1;
        }
        let before = self.next.checked_sub(1);
        let after = (self.next < self.times.len()).then_some(self.next);
        (before, after)
    }

    /// Sample-and-hold: the last reading at or before `t` if the next one
    /// (or `t` itself, at the last reading) is within `limit_ms`.
    fn held(&mut self, t: i64, limit_ms: i64) -> Option<f64> {
        let (before, after) = self.around(t);
        let b = before?;
        if self.times[b] == t {
            return Some(self.values[b]);
        }
        let a = after?;
        (self.times[a] - self.times[b] <= limit_ms).then(|| self.values[b])
    }

    /// Linear interpolation between the readings around `t` when they are
    /// at most `limit_ms` apart.
    fn linear(&mut self, t: i64, limit_ms: i64) -> Option<f64> {
        let (before, after) = self.around(t);
        let b = before?;
        if self.times[b] == t {
            return Some(self.values[b]);
        }
        let a = after?;
        let (t0, t1) = (self.times[b], self.times[a]);
        if t1 - t0 > limit_ms {
            return None;
        }
        let f = (t - t0) as f64 / (t1 - t0) as f64;
        Some(self.values[b] + f * (self.values[a] - self.values[b]))
    }
}

/// Gaps between consecutive readings longer than `limit_ms` inside the
/// recorded seconds: (seconds dropped, number of gaps).
fn dropped_between(times: &[i64], limit_ms: i64, recorded: &[i64]) -> (f64, usize) {
    let mut dropped = 0.0;
    let mut gaps = 0;
    for w in times.windows(2) {
        if w[1] - w[0] > limit_ms {
            let lo = recorded.partition_point(|t| *t <= w[0]);
            let hi = recorded.partition_point(|t| *t < w[1]);
            if hi > lo {
                dropped += (hi - lo) as f64;
                gaps += 1;
            }
        }
    }
    (dropped, gaps)
}

impl Timeline {
    /// Builds the 1-Hz timeline of an activity (see the module doc).
    pub fn of(a: &Activity) -> Timeline {
        let s = &a.samples;
        let n = s.len();
        let mut tl = Timeline {
            start_ms: s.time_ms.first().copied().unwrap_or(a.start_ms),
            ..Timeline::default()
        };
        if n < 2 {
            return tl;
        }
        let t0 = tl.start_ms;
        let paused = paused_mask(a);
        let max_interval_ms = (MAX_INTERVAL_S * 1000.0) as i64;

        // Which seconds exist, and the sample interval each falls in.
        let mut instants: Vec<i64> = Vec::new();
        let mut interval_of: Vec<u32> = Vec::new();
        let mut next_second: i64 = 0;
        for i in 0..n - 1 {
            let (a_ms, b_ms) = (s.time_ms[i], s.time_ms[i + 1]);
            let dt = b_ms - a_ms;
            if dt <= 0 {
                continue;
            }
            let first = (a_ms - t0).div_euclid(1000) + i64::from((a_ms - t0).rem_euclid(1000) != 0);
            let end = (b_ms - t0).div_euclid(1000) + i64::from((b_ms - t0).rem_euclid(1000) != 0);
            let first = first.max(next_second);
            if end <= first {
                continue;
            }
            if paused[i + 1] {
                tl.report.paused_s += (end - first) as f64;
                next_second = end;
                continue;
            }
            if dt > max_interval_ms {
                tl.report.gap_s += (end - first) as f64;
                next_second = end;
                continue;
            }
            for sec in first..end {
                if instants.len() >= MAX_SECONDS || sec > u32::MAX as i64 {
                    tl.report.truncated = true;
                    break;
                }
                instants.push(t0 + sec * 1000);
                interval_of.push(i as u32);
                tl.offset_s.push(sec as u32);
                tl.interval_s.push(dt as f32 / 1000.0);
            }
            next_second = end;
            if tl.report.truncated {
                break;
            }
        }
        let m = instants.len();

        if let Some((all, records)) =
            metres_per_second(a, &paused, &instants, &interval_of, &mut tl.report)
        {
            tl.metres = Some(all);
            tl.record_metres = Some(records);
        }

        if let Some(alt) = s.channel(ChannelKind::Altitude) {
            let (rt, rv) = readings(&s.time_ms, alt);
            let secs: Vec<f64> = rt.iter().map(|t| (t - t0) as f64 / 1000.0).collect();
            let opt: Vec<Option<f64>> = rv.iter().map(|v| Some(*v)).collect();
            let (clean, dropped) = despike(&secs, &opt);
            tl.report.altitude_spikes = dropped;
            let (rt, rv): (Vec<i64>, Vec<f64>) = rt
                .iter()
                .zip(clean)
                .filter_map(|(t, v)| Some((*t, v?)))
                .unzip();
            if !rt.is_empty() {
                let mut c = Cursor::new(&rt, &rv);
                tl.altitude_m = Some(
                    instants
                        .iter()
                        .map(|t| c.linear(*t, max_interval_ms))
                        .collect(),
                );
            }
        }
        let hold_ms = (HOLD_S * 1000.0) as i64;
        let held = |kind: ChannelKind, limit_ms: i64, clean: bool| {
            let ch = s.channel(kind)?;
            let (rt, mut rv) = readings(&s.time_ms, ch);
            let mut artefacts_removed = 0;
            let (rt, rv) = if clean {
                let mut opt: Vec<Option<f64>> = rv.iter().map(|v| Some(*v)).collect();
                artefacts_removed = clean_heart_rate(&mut opt, None);
                let kept: (Vec<i64>, Vec<f64>) = rt
                    .iter()
                    .zip(&opt)
                    .filter_map(|(t, v)| Some((*t, (*v)?)))
                    .unzip();
                kept
            } else {
                rv.retain(|v| v.is_finite());
                (rt, rv)
            };
            if rt.is_empty() {
                return None;
            }
            let mut c = Cursor::new(&rt, &rv);
            let values: Vec<Option<f64>> = instants.iter().map(|t| c.held(*t, limit_ms)).collect();
            let (dropped_s, dropped_gaps) = dropped_between(&rt, limit_ms, &instants);
            let report = HoldReport {
                limit_s: limit_ms as f64 / 1000.0,
                covered_s: values.iter().filter(|v| v.is_some()).count() as f64,
                dropped_s,
                dropped_gaps,
                artefacts_removed,
            };
            Some((values, report))
        };
        if let Some((v, r)) = held(ChannelKind::HeartRate, hold_ms, true) {
            tl.heart_rate_bpm = Some(v);
            tl.report.heart_rate = Some(r);
        }
        if let Some((v, r)) = held(ChannelKind::Power, hold_ms, false) {
            tl.power_w = Some(v);
            tl.report.power = Some(r);
        }
        if let Some((v, r)) = held(ChannelKind::Cadence, hold_ms, false) {
            tl.cadence_rpm = Some(v);
            tl.report.cadence = Some(r);
        }
        if let Some((v, _)) = held(
            ChannelKind::Temperature,
            (TEMPERATURE_HOLD_S * 1000.0) as i64,
            false,
        ) {
            tl.temperature_c = Some(v);
        }
        tl.moving = crate::metrics::moving::moving_seconds(a.sport, &tl);
        debug_assert_eq!(tl.moving.len(), m);
        tl
    }

    /// Number of recorded seconds.
    pub fn len(&self) -> usize {
        self.offset_s.len()
    }

    pub fn is_empty(&self) -> bool {
        self.offset_s.is_empty()
    }

    /// Seconds the athlete was moving.
    pub fn moving_s(&self) -> f64 {
        self.moving.iter().filter(|m| **m).count() as f64
    }

    /// Metres covered in all recorded seconds.
    pub fn distance_m(&self) -> Option<f64> {
        self.metres.as_ref().map(|m| m.iter().sum())
    }

    /// Cumulative distance at the start of each second, plus the end of the
    /// last one (`len() + 1` values).
    pub fn cumulative_m(&self) -> Option<Vec<f64>> {
        cumulative(self.metres.as_ref()?)
    }

    /// The same, GPS spikes removed: for records and curves.
    pub fn record_cumulative_m(&self) -> Option<Vec<f64>> {
        cumulative(self.record_metres.as_ref()?)
    }

    /// Whether second `k` directly follows second `k - 1` (no pause or gap between).
    pub fn continues(&self, k: usize) -> bool {
        k > 0 && self.offset_s[k] == self.offset_s[k - 1] + 1
    }

    /// Indices of the moving seconds.
    pub fn moving_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.moving
            .iter()
            .enumerate()
            .filter_map(|(k, m)| m.then_some(k))
    }

    /// Grade of each second (rise over run, fraction) over the trailing
    /// `window_m` metres (science.md pitfall 4); 0 without altitude or distance.
    pub fn grade(&self, window_m: f64) -> Vec<f64> {
        let (Some(cum), Some(alt)) = (self.cumulative_m(), self.altitude_m.as_ref()) else {
            return vec![0.0; self.len()];
        };
        let d: Vec<Option<f64>> = cum[..self.len()].iter().map(|v| Some(*v)).collect();
        crate::load::grade::grade_series(&d, alt, window_m)
    }
}

fn cumulative(m: &[f64]) -> Option<Vec<f64>> {
    let mut out = Vec::with_capacity(m.len() + 1);
    let mut sum = 0.0;
    out.push(0.0);
    for v in m {
        sum += v;
        out.push(sum);
    }
    Some(out)
}

/// Metres covered during each recorded second, from the activity's one
/// distance source: (as the device counted them, without GPS spikes).
fn metres_per_second(
    a: &Activity,
    paused: &[bool],
    instants: &[i64],
    interval_of: &[u32],
    report: &mut TimelineReport,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let s = &a.samples;
    let n = s.len();
    let times = &s.time_ms;
    let max_speed = max_speed_mps(a.sport);
    let max_interval_ms = (MAX_INTERVAL_S * 1000.0) as i64;
    let counted =
        |i: usize| (1..=max_interval_ms).contains(&(times[i + 1] - times[i])) && !paused[i + 1];
    // Speed (m/s) of each counted sample interval, from the distance source.
    let mut rate = vec![0.0; n];
    let distance = distance_channel(a);
    if distance.iter().flatten().nth(1).is_some() {
        let (rt, rv) = readings(times, &distance);
        let mut c = Cursor::new(&rt, &rv);
        for (i, r) in rate.iter_mut().enumerate().take(n - 1) {
            let (before, after) = c.around(times[i]);
            if !counted(i) {
                continue;
            }
            let (Some(b), Some(q)) = (before, after) else {
                continue;
            };
            let span = rt[q] - rt[b];
            if (1..=max_interval_ms).contains(&span) {
                *r = ((rv[q] - rv[b]) / (span as f64 / 1000.0)).max(0.0);
            }
        }
    } else if let Some(speed) = s.channel(ChannelKind::Speed) {
        let (rt, rv) = readings(times, speed);
        if rt.is_empty() {
            return None;
        }
        let mut c = Cursor::new(&rt, &rv);
        for (i, r) in rate.iter_mut().enumerate().take(n - 1) {
            if counted(i) {
                let mid = times[i] + (times[i + 1] - times[i]) / 2;
                *r = c.linear(mid, max_interval_ms).unwrap_or(0.0).max(0.0);
            }
        }
    } else {
        return None;
    }
    // Not movement at all, and a GPS spike for records.
    let mut clean = rate.clone();
    for i in 0..n - 1 {
        let metres = rate[i] * (times[i + 1] - times[i]) as f64 / 1000.0;
        if rate[i] > crate::clean::MAX_PLAUSIBLE_SPEED_MPS {
            report.impossible_m += metres;
            rate[i] = 0.0;
            clean[i] = 0.0;
        } else if rate[i] > max_speed {
            report.spike_m += metres;
            clean[i] = 0.0;
        }
    }
    Some((
        integrate(&rate, times, instants, interval_of),
        integrate(&clean, times, instants, interval_of),
    ))
}

/// Integrates interval rates over [t, t + 1 s) for each recorded second.
fn integrate(rate: &[f64], times: &[i64], instants: &[i64], interval_of: &[u32]) -> Vec<f64> {
    let n = times.len();
    let mut out = Vec::with_capacity(instants.len());
    for (k, &t) in instants.iter().enumerate() {
        let mut i = interval_of[k] as usize;
        let end = t + 1000;
        let mut from = t;
        let mut metres = 0.0;
        while from < end && i + 1 < n {
            let to = end.min(times[i + 1]);
            if to > from {
                metres += rate[i] * (to - from) as f64 / 1000.0;
            }
            from = to.max(from);
            if to >= end {
                break;
            }
            i += 1;
        }
        out.push(metres);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceFormat, TimerEvent};

    fn run_at(times_s: &[i64], speed: f64) -> Activity {
        let mut a = Activity::new(SourceFormat::Fit, Sport::Run, 0);
        for t in times_s {
            a.samples.push_time(t * 1000);
            a.samples.set_last(ChannelKind::Distance, *t as f64 * speed);
        }
        a
    }

    #[test]
    fn sparse_and_dense_recordings_give_the_same_seconds() {
        let dense: Vec<i64> = (0..=600).collect();
        let sparse: Vec<i64> = (0..=600).filter(|t| t % 7 == 0 || *t == 600).collect();
        let (d, s) = (
            Timeline::of(&run_at(&dense, 3.0)),
            Timeline::of(&run_at(&sparse, 3.0)),
        );
        assert_eq!(d.len(), 600);
        assert_eq!(s.len(), 600);
        assert!((d.distance_m().unwrap() - 1800.0).abs() < 1e-9);
        assert!((s.distance_m().unwrap() - 1800.0).abs() < 1e-9);
        assert_eq!(d.moving_s(), s.moving_s());
    }

    #[test]
    fn heart_rate_holds_across_short_gaps_only() {
        let mut a = run_at(&(0..=200).collect::<Vec<_>>(), 3.0);
        for (i, t) in a.samples.time_ms.clone().iter().enumerate() {
            let sec = t / 1000;
            // A reading every 5 s, then none for 60 s, then every 5 s again.
            if sec % 5 == 0 && !(101..160).contains(&sec) {
                a.samples.channel_mut(ChannelKind::HeartRate)[i] = Some(140.0);
            }
        }
        let tl = Timeline::of(&a);
        let r = tl.report.heart_rate.clone().unwrap();
        assert_eq!(r.dropped_gaps, 1);
        assert_eq!(r.dropped_s, 59.0); // 101..=159
        assert_eq!(r.covered_s, 200.0 - 59.0);
    }

    #[test]
    fn timer_pauses_and_long_gaps_have_no_seconds() {
        let mut a = run_at(&[0, 1, 2, 3, 4, 5, 600, 601, 602], 2.0);
        a.timer_events = vec![
            TimerEvent {
                time_ms: 0,
                running: true,
            },
            TimerEvent {
                time_ms: 2000,
                running: false,
            },
            TimerEvent {
                time_ms: 4000,
                running: true,
            },
        ];
        let tl = Timeline::of(&a);
        assert_eq!(tl.offset_s, vec![0, 1, 4, 600, 601]);
        assert_eq!(tl.report.paused_s, 2.0);
        assert_eq!(tl.report.gap_s, 595.0);
    }

    #[test]
    fn gps_spikes_add_no_distance() {
        let mut a = run_at(&(0..=100).collect::<Vec<_>>(), 3.0);
        let d = a.samples.channel_mut(ChannelKind::Distance);
        for v in d.iter_mut().skip(50) {
            *v = v.map(|x| x + 40.0); // a 40 m jump in one second
        }
        let tl = Timeline::of(&a);
        let records: f64 = tl.record_metres.as_ref().unwrap().iter().sum();
        assert!((records - 297.0).abs() < 1e-9);
        assert!((tl.report.spike_m - 43.0).abs() < 1e-9);
        // The device counted the jump, and so does the distance.
        assert!((tl.distance_m().unwrap() - 340.0).abs() < 1e-9);
        // A jump no vehicle makes is not distance at all.
        let d = a.samples.channel_mut(ChannelKind::Distance);
        for v in d.iter_mut().skip(70) {
            *v = v.map(|x| x + 5000.0);
        }
        let tl = Timeline::of(&a);
        assert!((tl.distance_m().unwrap() - 337.0).abs() < 1e-9);
        assert!((tl.report.impossible_m - 5003.0).abs() < 1e-9);
    }

    #[test]
    fn timestamps_far_apart_never_size_an_allocation() {
        let mut a = run_at(&[0, 1], 1.0);
        a.samples.push_time(4_000_000_000_000);
        let tl = Timeline::of(&a);
        assert_eq!(tl.len(), 1);
    }
}
