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
//! * in a file without timer events, an interval longer than
//!   [`AUTO_PAUSE_S`] covering under [`AUTO_PAUSE_MAX_M`] is an auto pause
//!   and has none;
//! * an interval longer than [`MAX_INTERVAL_S`] is a recording gap and has
//!   none, unless the athlete crossed it at their own pace (a logger that
//!   wrote a point every few minutes, [`GAP_SPEED_FACTOR`]);
//! * every other interval contributes each whole second that starts inside it.
//!
//! What each second holds:
//! * **distance**: the metres covered during the second, from the one
//!   distance source of the activity (the device's distance channel, else
//!   positions, else the speed channel), linear between the samples that carry
//!   it, as the device counted them (a stretch faster than
//!   [`crate::clean::MAX_PLAUSIBLE_SPEED_MPS`] is not movement at all). For
//!   records and curves, a stretch faster than a person can move
//!   ([`max_speed_mps`]) is a GPS spike and adds nothing
//!   ([`Timeline::record_metres`]); "stretch" is 11 s, so a spike is told
//!   apart from a watch that updates its distance in batches.
//! * **altitude**: linear between readings at most [`MAX_INTERVAL_S`] apart,
//!   after dropping spikes and values off the planet ([`despike`]).
//! * **heart rate, power, cadence**: a reading bridges to the next one when
//!   at most [`HOLD_S`] recorded seconds lie between them (science.md
//!   pitfall 6: never across long gaps; a timer pause is not a gap in the
//!   readings): linear for heart rate and power, held for cadence (see
//!   `Fill`); a longer gap has no value, and [`HoldReport`] says how much
//!   time that dropped. Heart-rate
//!   artefacts are removed from the readings first ([`clean_heart_rate`]).
//! * **temperature**: the same with [`TEMPERATURE_HOLD_S`].
//! * **moving**: see [`crate::metrics::moving`].

use crate::environment::altitude::despike;
use crate::geo;
use crate::load::hr::clean_heart_rate;
use crate::model::{Activity, ChannelKind, Sport};
use serde::{Deserialize, Serialize};

/// For records, a second's speed is at most this much above the median of
/// the 11 s around it (m/s), the excess moved to its neighbours: a sprinter
/// gains about 4 m/s in the first second from standing, and nobody gains it
/// and loses it again within a second.
pub const MAX_EXCURSION_MPS: f64 = 4.0;

/// Half the window that tells a GPS spike from a watch's batched distance
/// updates (s): 5 either side, 11 in all.
pub const SPIKE_HALF_WINDOW_S: usize = 5;

/// Length of the trailing window of [`Timeline::speed_mps`] (s): longer
/// than the longest smart-recording interval (8 s).
pub const SPEED_WINDOW_S: usize = 10;

/// An interval between two samples longer than this (s) is a recording gap,
/// unless the athlete crossed it at their own pace (see [`GAP_SPEED_FACTOR`]).
pub const MAX_INTERVAL_S: f64 = 300.0;
/// A long interval crossed at a speed from the sport's moving threshold up to
/// this many times the athlete's median moving speed is recording, not a gap.
pub const GAP_SPEED_FACTOR: f64 = 2.0;
/// An interval at a standstill longer than this (s), in a file without timer
/// events, is the device's auto pause: no seconds.
pub const AUTO_PAUSE_S: f64 = 30.0;
/// … when it covers less than this (m): a slow stretch is movement, and its
/// distance counts; GPS drift at a stop stays well under it.
pub const AUTO_PAUSE_MAX_M: f64 = 5.0;
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
    /// Speed over the trailing [`SPEED_WINDOW_S`] recorded seconds (m/s),
    /// the one speed that moving time, gait and the speed-based loads use:
    /// per-second metres are as rough as the device's distance resolution
    /// (whole metres on some watches) and as smooth as its recording
    /// interval, the window is neither.
    pub speed_mps: Option<Vec<f64>>,
    /// Vertical speed (absolute, m/s) over the same window.
    pub vertical_mps: Option<Vec<f64>>,
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

/// Milliseconds of [from, to) while the device's timer ran, by its events.
pub(crate) fn timer_running_ms(a: &Activity, from: i64, to: i64) -> i64 {
    Pauses::of(a).running_ms(from, to)
}

/// When the device's timer was stopped: [stop, next start) ranges in time
/// order (FIT timer events); a stop with no later start runs to the end.
struct Pauses(Vec<(i64, i64)>);

impl Pauses {
    fn of(a: &Activity) -> Pauses {
        let mut events = a.timer_events.clone();
        events.sort_by_key(|e| e.time_ms);
        let mut out = Vec::new();
        let mut stopped_at: Option<i64> = None;
        for e in events {
            match (e.running, stopped_at) {
                (false, None) => stopped_at = Some(e.time_ms),
                (true, Some(s)) => {
                    out.push((s, e.time_ms));
                    stopped_at = None;
                }
                _ => {}
            }
        }
        if let Some(s) = stopped_at {
            out.push((s, i64::MAX));
        }
        Pauses(out)
    }

    /// The parts of [a, b) while the timer was running.
    fn running_ranges(&self, a: i64, b: i64) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        let mut from = a;
        let first = self.0.partition_point(|(_, e)| *e <= a);
        for &(s, e) in &self.0[first..] {
            if s >= b {
                break;
            }
            if s > from {
                out.push((from, s));
            }
            from = from.max(e);
        }
        if from < b {
            out.push((from, b));
        }
        out
    }

    /// Milliseconds of [a, b) while the timer was running.
    fn running_ms(&self, a: i64, b: i64) -> i64 {
        let mut paused = 0;
        let first = self.0.partition_point(|(_, e)| *e <= a);
        for &(s, e) in &self.0[first..] {
            if s >= b {
                break;
            }
            paused += e.min(b) - s.max(a);
        }
        (b - a - paused).max(0)
    }
}

/// Readings of a cumulative channel that say something new: a value equal
/// to the one before is the device repeating itself (some watches update
/// their distance every few seconds and write the same value in between),
/// so only the first of a run of equal values is kept and the distance is
/// interpolated between the updates, at 1 s as at 8 s. A value below the
/// highest so far is noise, not the athlete going back (a virtual ride's
/// distance that wobbles would otherwise count every wobble up again), and
/// is skipped too.
fn updates(times: Vec<i64>, values: Vec<f64>) -> (Vec<i64>, Vec<f64>) {
    let mut out = (
        Vec::with_capacity(times.len()),
        Vec::with_capacity(values.len()),
    );
    for (t, v) in times.into_iter().zip(values) {
        if out.1.last().is_none_or(|last| v > *last) {
            out.0.push(t);
            out.1.push(v);
        }
    }
    out
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

/// How a channel's value is carried between two readings.
#[derive(Clone, Copy)]
enum Fill {
    /// The last reading holds (counts, slow signals: cadence, temperature).
    Hold,
    /// Linear between the two readings (heart rate, power): holding one
    /// noisy reading for up to 8 s gives the same mean but a rougher series,
    /// and normalised power, the fourth power of a 30-s mean, rises with the
    /// roughness (5 % on the corpus ride recorded every 1–8 s).
    Linear,
}

/// Readings carried onto the recorded seconds: a reading bridges to the next
/// one when the two are on consecutive records (nothing was written in
/// between, so the channel is as continuous as the recording), or when at
/// most `limit_s` *recorded* seconds lie between them (a timer pause is not
/// time without a reading); across a longer run of records without the
/// channel the seconds have no value. Returns the values and (seconds
/// dropped, number of gaps). `records` holds each reading's sample index.
fn bridge(
    records: &[usize],
    times: &[i64],
    values: &[f64],
    instants: &[i64],
    limit_s: f64,
    fill: Fill,
) -> (Vec<Option<f64>>, f64, usize) {
    let rank = |t: i64| instants.partition_point(|x| *x < t);
    let mut out = Vec::with_capacity(instants.len());
    let (mut dropped, mut gaps) = (0.0, 0usize);
    let mut r = 0usize; // first reading after the current instant
    let mut bridged: Option<(usize, bool)> = None; // (gap's first reading, held)
    for &t in instants {
        while r < times.len() && times[r] <= t {
            r += 1;
        }
        let Some(b) = r.checked_sub(1) else {
            out.push(None);
            continue;
        };
        if times[b] == t {
            out.push(Some(values[b]));
            continue;
        }
        if r == times.len() {
            out.push(None);
            continue;
        }
        let held = match bridged {
            Some((gap, held)) if gap == b => held,
            _ => {
                // Readings on consecutive records are as continuous as the
                // recording itself (the timeline already decided its gaps).
                let held = records[r] == records[b] + 1
                    || (rank(times[r]) - rank(times[b])) as f64 <= limit_s;
                if !held {
                    gaps += 1;
                }
                bridged = Some((b, held));
                held
            }
        };
        if held {
            out.push(Some(match fill {
                Fill::Hold => values[b],
                Fill::Linear => {
                    let f = (t - times[b]) as f64 / (times[r] - times[b]) as f64;
                    values[b] + f * (values[r] - values[b])
                }
            }));
        } else {
            dropped += 1.0;
            out.push(None);
        }
    }
    (out, dropped, gaps)
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
        let pauses = Pauses::of(a);
        let max_interval_ms = (MAX_INTERVAL_S * 1000.0) as i64;
        let rates = interval_rates(a, &pauses);
        // A long interval crossed at the athlete's own pace is a sparse
        // recording, not a gap (a logger that saved a point every few
        // minutes); at a standstill, or at a vehicle's pace, it is a gap.
        let typical = rates
            .as_ref()
            .and_then(|r| typical_moving_speed(a, &pauses, r));
        let threshold = crate::metrics::moving::threshold_mps(a.sport);
        let recorded_while_moving = |i: usize| match (&rates, typical) {
            (Some(r), Some(v)) => r[i] >= threshold && r[i] <= GAP_SPEED_FACTOR * v,
            _ => false,
        };

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
            let running = pauses.running_ms(a_ms, b_ms);
            if running == 0 {
                tl.report.paused_s += (end - first) as f64;
                next_second = end;
                continue;
            }
            if running > max_interval_ms && !recorded_while_moving(i) {
                tl.report.gap_s += (end - first) as f64;
                next_second = end;
                continue;
            }
            // A stop with nothing recorded, in a file that does not say when
            // its timer stopped (TCX, GPX): the device paused itself (auto
            // pause writes nothing), as the FIT of the same recording says
            // with timer events; its seconds would carry readings bridged
            // across the stop into every mean.
            if a.timer_events.is_empty()
                && running > (AUTO_PAUSE_S * 1000.0) as i64
                && rates
                    .as_ref()
                    .is_some_and(|r| r[i] * dt as f64 / 1000.0 < AUTO_PAUSE_MAX_M)
            {
                tl.report.paused_s += (end - first) as f64;
                next_second = end;
                continue;
            }
            // Only the seconds while the timer ran are visited: a pause of
            // years inside an interval costs nothing.
            let mut covered = 0i64;
            'ranges: for (from, to) in pauses.running_ranges(t0 + first * 1000, t0 + end * 1000) {
                let lo = (from - t0 + 999).div_euclid(1000);
                let hi = (to - t0 + 999).div_euclid(1000);
                for sec in lo..hi {
                    if instants.len() >= MAX_SECONDS || sec > u32::MAX as i64 {
                        tl.report.truncated = true;
                        break 'ranges;
                    }
                    instants.push(t0 + sec * 1000);
                    interval_of.push(i as u32);
                    tl.offset_s.push(sec as u32);
                    tl.interval_s.push(running as f32 / 1000.0);
                    covered += 1;
                }
            }
            if !tl.report.truncated {
                tl.report.paused_s += (end - first - covered) as f64;
            }
            next_second = end;
            if tl.report.truncated {
                break;
            }
        }
        let m = instants.len();

        if let Some(rates) = &rates {
            let (all, records) = metres_per_second(
                a,
                rates,
                &pauses,
                &instants,
                &interval_of,
                &tl.offset_s,
                &mut tl.report,
            );
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
        let held = |kind: ChannelKind, limit_s: f64, fill: Fill| {
            let clean = kind == ChannelKind::HeartRate;
            let ch = s.channel(kind)?;
            let mut readings: Vec<(usize, Option<f64>)> = ch
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((i, Some(v.filter(|x| x.is_finite())?))))
                .collect();
            // Artefacts are judged among the readings, however sparse.
            let artefacts_removed = if clean {
                let mut values: Vec<Option<f64>> = readings.iter().map(|r| r.1).collect();
                let secs: Vec<f64> = readings
                    .iter()
                    .map(|r| (s.time_ms[r.0] - t0) as f64 / 1000.0)
                    .collect();
                let removed = clean_heart_rate(&secs, &mut values, None);
                for (r, v) in readings.iter_mut().zip(values) {
                    r.1 = v;
                }
                removed
            } else {
                0
            };
            let (records, (rt, rv)): (Vec<usize>, (Vec<i64>, Vec<f64>)) = readings
                .into_iter()
                .filter_map(|(i, v)| Some((i, (s.time_ms[i], v?))))
                .unzip();
            if rt.is_empty() {
                return None;
            }
            let (values, dropped_s, dropped_gaps) =
                bridge(&records, &rt, &rv, &instants, limit_s, fill);
            let report = HoldReport {
                limit_s,
                covered_s: values.iter().filter(|v| v.is_some()).count() as f64,
                dropped_s,
                dropped_gaps,
                artefacts_removed,
            };
            Some((values, report))
        };
        if let Some((v, r)) = held(ChannelKind::HeartRate, HOLD_S, Fill::Linear) {
            tl.heart_rate_bpm = Some(v);
            tl.report.heart_rate = Some(r);
        }
        if let Some((v, r)) = held(ChannelKind::Power, HOLD_S, Fill::Linear) {
            tl.power_w = Some(v);
            tl.report.power = Some(r);
        }
        if let Some((v, r)) = held(ChannelKind::Cadence, HOLD_S, Fill::Hold) {
            tl.cadence_rpm = Some(v);
            tl.report.cadence = Some(r);
        }
        if let Some((v, _)) = held(ChannelKind::Temperature, TEMPERATURE_HOLD_S, Fill::Hold) {
            tl.temperature_c = Some(v);
        }
        let starts = window_starts(&tl, crate::metrics::moving::threshold_mps(a.sport));
        tl.speed_mps = tl.cumulative_m().map(|cum| {
            (0..m)
                .map(|k| (cum[k + 1] - cum[starts[k]]) / (k + 1 - starts[k]) as f64)
                .collect()
        });
        tl.vertical_mps = tl.altitude_m.as_ref().map(|alt| {
            (0..m)
                .map(|k| {
                    let w0 = starts[k];
                    match (alt[k], alt[w0]) {
                        (Some(a), Some(b)) if k > w0 => (a - b).abs() / (k - w0) as f64,
                        _ => 0.0,
                    }
                })
                .collect()
        });
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

    /// Metres covered in all recorded seconds; `None` without distance or
    /// without any recorded second.
    pub fn distance_m(&self) -> Option<f64> {
        let m = self.metres.as_ref().filter(|m| !m.is_empty())?;
        Some(m.iter().fold(0.0, |sum, v| sum + v))
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

/// Where each second's trailing speed window starts: [`SPEED_WINDOW_S`]
/// back, but never before a pause or gap, nor back across a recorded
/// interval longer than the window in which the athlete stood still (slower
/// than `still_mps`): that is a stop, whether or not the device stopped its
/// timer, so a FIT with pause events and its TCX export without them agree.
fn window_starts(tl: &Timeline, still_mps: f64) -> Vec<usize> {
    let n = tl.len();
    let metres = tl.metres.as_deref();
    let still = |j: usize| {
        f64::from(tl.interval_s[j]) > SPEED_WINDOW_S as f64
            && metres.is_none_or(|m| m[j] < still_mps)
    };
    let mut out = Vec::with_capacity(n);
    let mut segment_start = 0;
    for k in 0..n {
        if !tl.continues(k) || (k > 0 && still(k - 1) && !still(k)) {
            segment_start = k;
        }
        out.push(segment_start.max((k + 1).saturating_sub(SPEED_WINDOW_S)));
    }
    out
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
/// Speed (m/s) of each sample interval while the timer ran, from the
/// activity's one distance source (the device's distance, else positions,
/// else its speed channel); `None` without any.
fn interval_rates(a: &Activity, pauses: &Pauses) -> Option<Vec<f64>> {
    let s = &a.samples;
    let n = s.len();
    let times = &s.time_ms;
    let max_interval_ms = (MAX_INTERVAL_S * 1000.0) as i64;
    let mut rate = vec![0.0; n];
    let distance = distance_channel(a);
    if distance.iter().flatten().nth(1).is_some() {
        let (rt, rv) = readings(times, &distance);
        let (rt, rv) = updates(rt, rv);
        let mut c = Cursor::new(&rt, &rv);
        for (i, r) in rate.iter_mut().enumerate().take(n - 1) {
            let (before, after) = c.around(times[i]);
            let (Some(b), Some(q)) = (before, after) else {
                continue;
            };
            let span = pauses.running_ms(rt[b], rt[q]);
            if span > 0 {
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
            let mid = times[i] + (times[i + 1] - times[i]) / 2;
            *r = c.linear(mid, max_interval_ms).unwrap_or(0.0).max(0.0);
        }
    } else {
        return None;
    }
    Some(rate)
}

/// The median speed of the sample intervals in which the athlete moved (at
/// least the sport's moving threshold): those within the recording-gap
/// limit, or all of them when none is (a logger that saved a point every
/// few minutes).
fn typical_moving_speed(a: &Activity, pauses: &Pauses, rate: &[f64]) -> Option<f64> {
    let times = &a.samples.time_ms;
    let threshold = crate::metrics::moving::threshold_mps(a.sport);
    let max_interval_ms = (MAX_INTERVAL_S * 1000.0) as i64;
    let median = |short_only: bool| {
        let mut moving: Vec<f64> = (0..times.len().saturating_sub(1))
            .filter(|&i| {
                let running = pauses.running_ms(times[i], times[i + 1]);
                running > 0 && (!short_only || running <= max_interval_ms) && rate[i] >= threshold
            })
            .map(|i| rate[i])
            .collect();
        moving.sort_by(f64::total_cmp);
        moving.get(moving.len() / 2).copied()
    };
    median(true).or_else(|| median(false))
}

/// Metres covered during each recorded second, from the interval rates:
/// (as the device counted them, without GPS spikes).
fn metres_per_second(
    a: &Activity,
    rate: &[f64],
    pauses: &Pauses,
    instants: &[i64],
    interval_of: &[u32],
    offsets: &[u32],
    report: &mut TimelineReport,
) -> (Vec<f64>, Vec<f64>) {
    let times = &a.samples.time_ms;
    let max_speed = max_speed_mps(a.sport);
    let mut all = integrate(rate, times, pauses, instants, interval_of);
    // A second is a GPS spike when it and the 11 s around it (the same
    // stretch of recording) are faster than a person moves: one fast
    // second alone is how some watches update their distance (a jump of
    // 11 m every 5 s), so only the window tells a spike from a batch, at 1 s
    // and at 8 s alike. Faster than any vehicle, it is not distance at all.
    let n = all.len();
    let mut records = all.clone();
    let mut prefix = Vec::with_capacity(n + 1);
    prefix.push(0.0);
    for v in &all {
        prefix.push(prefix[prefix.len() - 1] + v);
    }
    // Where each second's stretch of recording (between pauses and gaps) starts and ends.
    let mut start = vec![0usize; n];
    for k in 1..n {
        start[k] = if offsets[k] == offsets[k - 1] + 1 {
            start[k - 1]
        } else {
            k
        };
    }
    let mut end = vec![n; n];
    for k in (0..n.saturating_sub(1)).rev() {
        end[k] = if offsets[k + 1] == offsets[k] + 1 {
            end[k + 1]
        } else {
            k + 1
        };
    }
    for k in 0..n {
        let lo = start[k].max(k.saturating_sub(SPIKE_HALF_WINDOW_S));
        let hi = end[k].min(k + SPIKE_HALF_WINDOW_S + 1);
        let mean = (prefix[hi] - prefix[lo]) / (hi - lo) as f64;
        let plausible = crate::clean::MAX_PLAUSIBLE_SPEED_MPS;
        if mean > plausible && all[k] > plausible {
            report.impossible_m += all[k];
            records[k] = 0.0;
            all[k] = 0.0;
        } else if mean > max_speed && all[k] > max_speed {
            report.spike_m += all[k];
            records[k] = 0.0;
        }
    }
    // A single second far faster than the seconds around it is distance
    // written late (a GPS catching up, a watch that adds 12 m at once on a
    // slow climb): nobody accelerates by more than a few m/s in a second and
    // stops again. For records, a second is at most [`MAX_EXCURSION_MPS`]
    // above the median of the 11 s around it, and the excess goes to the
    // other seconds of that window, so no distance is lost, only re-timed.
    let mut window = Vec::with_capacity(2 * SPIKE_HALF_WINDOW_S + 1);
    for k in 0..n {
        let lo = start[k].max(k.saturating_sub(SPIKE_HALF_WINDOW_S));
        let hi = end[k].min(k + SPIKE_HALF_WINDOW_S + 1);
        if hi - lo < 2 {
            continue;
        }
        // The median is at least the window's least value: a second within
        // the excursion of that cannot be over the cap, and needs no sort
        // (nearly every second; the sort was a tenth of an import).
        let least = records[lo..hi]
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        if records[k] <= least + MAX_EXCURSION_MPS {
            continue;
        }
        window.clear();
        window.extend_from_slice(&records[lo..hi]);
        window.sort_by(f64::total_cmp);
        let cap = window[window.len() / 2] + MAX_EXCURSION_MPS;
        if records[k] > cap {
            let share = (records[k] - cap) / (hi - lo - 1) as f64;
            records[k] = cap;
            for (j, r) in records.iter_mut().enumerate().take(hi).skip(lo) {
                if j != k {
                    *r += share;
                }
            }
        }
    }
    (all, records)
}

/// Integrates interval rates over the running part of [t, t + 1 s) for
/// each recorded second.
fn integrate(
    rate: &[f64],
    times: &[i64],
    pauses: &Pauses,
    instants: &[i64],
    interval_of: &[u32],
) -> Vec<f64> {
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
                metres += rate[i] * pauses.running_ms(from, to) as f64 / 1000.0;
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
        // No distance across the long interval: a stop.
        for v in a
            .samples
            .channel_mut(ChannelKind::Distance)
            .iter_mut()
            .skip(6)
        {
            *v = v.map(|d| d - 1190.0);
        }
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

    /// Found by fuzzing: a pause of decades inside one interval made the
    /// timeline visit every second of it.
    #[test]
    fn a_pause_of_years_costs_nothing() {
        let mut a = run_at(&[0, 1, 2], 1.0);
        a.samples.push_time(2_000_000_000_000);
        a.timer_events = vec![
            TimerEvent {
                time_ms: 1000,
                running: false,
            },
            TimerEvent {
                time_ms: 1_999_999_999_000,
                running: true,
            },
        ];
        let started = std::time::Instant::now();
        let tl = Timeline::of(&a);
        assert!(started.elapsed().as_secs_f64() < 1.0);
        assert_eq!(tl.offset_s, vec![0, 1_999_999_999]);
    }

    #[test]
    fn a_long_interval_crossed_at_the_athletes_pace_is_recording() {
        // A logger that saved a point every 10 minutes of a steady walk.
        let times: Vec<i64> = (0..=6).map(|k| k * 600).collect();
        let tl = Timeline::of(&run_at(&times, 1.3));
        assert_eq!(tl.len(), 3600);
        assert_eq!(tl.report.gap_s, 0.0);
        assert!((tl.distance_m().unwrap() - 4680.0).abs() < 1e-6);
    }

    #[test]
    fn gps_spikes_add_no_distance_to_records() {
        let mut a = run_at(&(0..=100).collect::<Vec<_>>(), 3.0);
        let d = a.samples.channel_mut(ChannelKind::Distance);
        for v in d.iter_mut().skip(50) {
            *v = v.map(|x| x + 300.0); // a 300 m jump in one second
        }
        let tl = Timeline::of(&a);
        let records: f64 = tl.record_metres.as_ref().unwrap().iter().sum();
        assert!((records - 297.0).abs() < 1e-9);
        assert!((tl.report.spike_m - 303.0).abs() < 1e-9);
        // The device counted the jump, and so does the distance.
        assert!((tl.distance_m().unwrap() - 600.0).abs() < 1e-9);
        // A jump no vehicle makes is not distance at all.
        let d = a.samples.channel_mut(ChannelKind::Distance);
        for v in d.iter_mut().skip(70) {
            *v = v.map(|x| x + 5000.0);
        }
        let tl = Timeline::of(&a);
        assert!((tl.distance_m().unwrap() - 597.0).abs() < 1e-9);
        assert!((tl.report.impossible_m - 5003.0).abs() < 1e-9);
    }

    #[test]
    fn a_watch_that_updates_its_distance_in_batches_is_not_spiking() {
        // 11 m written every 5 s, the same value repeated in between.
        let mut a = run_at(&(0..=300).collect::<Vec<_>>(), 2.2);
        for (i, v) in a
            .samples
            .channel_mut(ChannelKind::Distance)
            .iter_mut()
            .enumerate()
        {
            *v = Some((i / 5) as f64 * 11.0);
        }
        let tl = Timeline::of(&a);
        assert_eq!(tl.report.spike_m, 0.0);
        let m = tl.record_metres.unwrap();
        assert!(
            m[3..290].iter().all(|v| (v - 2.2).abs() < 1e-9),
            "{:?}",
            &m[..12]
        );
    }

    #[test]
    fn timestamps_far_apart_never_size_an_allocation() {
        let mut a = run_at(&[0, 1], 1.0);
        a.samples.push_time(4_000_000_000_000);
        let tl = Timeline::of(&a);
        assert_eq!(tl.len(), 1);
    }
}
