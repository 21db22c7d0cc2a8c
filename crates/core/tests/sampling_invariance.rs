//! No per-activity number depends on how often the device recorded.
//!
//! Garmin's "smart recording" writes a record every 1–8 s; others write one
//! per second, or one when a value changes. This test takes activities
//! (simulated sessions of every sport and source, and real corpus files),
//! records them again the way smart recording would (irregular 1–8 s, every
//! channel as it was at the kept record), and the other way round (a sparse
//! real file filled in to 1 s), and asserts that every number agrees:
//!
//! | number | tolerance |
//! |---|---|
//! | moving time, every aerobic load (heart rate, graded pace, hiking energy), mechanical load | 2 % (mechanical: or its share of the descent's) |
//! | power load, power bests and power curve points (from 1 min) | 2 % plus three sampling errors of power read every 1–8 s (see `numbers`) |
//! | distance | 0.5 % |
//! | ascent, descent | 5 % or 2 m a km (at least 20 m) |
//! | run best efforts, curve points of 60 s and longer (pace from 2 min) | 2 % (vertical speed: or 2 m over the window) |
//! | time in each heart-rate zone | 2 % of the recorded time, plus the chance split of a heart rate wandering across an edge |
//! | time in each altitude band | 2 % of the recorded time |
//! | hypoxic dose | 2 % |
//! | average heart rate | 1 bpm |
//!
//! Curve points and power bests shorter than a minute are not compared: a
//! 5-s sprint recorded once every 8 s is not in the file, and no method can
//! bring it back.

mod common;

use cairn_core::decode::{decode, Format};
use cairn_core::derived::derive;
use cairn_core::load::profile::{AthleteProfile, Estimates, ProfileEntry, ProfileKey, Thresholds};
use cairn_core::load::{session_load, AerobicSource, SessionNotes};
use cairn_core::metrics::curve::{CurveKind, DURATIONS_S};
use cairn_core::metrics::zones::ZoneScheme;
use cairn_core::model::{Activity, ChannelKind};
use cairn_core::sim::history::{Planned, Terrain, Workout};
use cairn_core::sim::rng::Rng;
use cairn_core::sim::{simulate, Archetype, Athlete, FileKind};
use cairn_core::timeline::Timeline;
use proptest::prelude::*;

/// Keeps a record every 1–`max_step` s (the step drawn afresh each time),
/// as smart recording does while the device records. An interval longer
/// than `max_step` in the original is a pause or a gap, not recording, and
/// the device wrote both of its ends (the moment it stopped and the moment
/// it went on), so both are kept; so are the first and the last record.
fn smart_recording(a: &Activity, seed: u64, max_step: u64) -> Activity {
    let mut rng = Rng::new(seed);
    let t = &a.samples.time_ms;
    let mut keep = vec![false; t.len()];
    let mut next = t[0];
    for (i, ti) in t.iter().enumerate() {
        if *ti >= next {
            keep[i] = true;
            next = ti + 1000 * (1 + (rng.next_u64() % max_step) as i64);
        }
        if i > 0 && ti - t[i - 1] > 1000 * max_step as i64 {
            keep[i - 1] = true;
            keep[i] = true;
            next = ti + 1000 * (1 + (rng.next_u64() % max_step) as i64);
        }
    }
    keep[t.len() - 1] = true;
    let mut out = a.clone();
    out.samples.retain_indices(&keep);
    out
}

/// Keeps heart rate on about one record in five (readings 1–9 s apart).
fn sparse_heart_rate(a: &Activity, seed: u64) -> Activity {
    let mut rng = Rng::new(seed);
    let mut out = a.clone();
    let t = out.samples.time_ms.clone();
    if let Some(hr) = out.samples.take_channel(ChannelKind::HeartRate) {
        let mut next = t[0];
        let thinned = hr
            .iter()
            .zip(&t)
            .map(|(h, ti)| {
                if *ti >= next && h.is_some() {
                    next = ti + 1000 * (1 + (rng.next_u64() % 9) as i64);
                    *h
                } else {
                    None
                }
            })
            .collect();
        out.samples
            .set_channel(ChannelKind::HeartRate, Some(thinned));
    }
    out
}

/// A sparse recording filled in to one record a second: positions,
/// distance and altitude linear, other channels held.
fn one_hertz(a: &Activity) -> Activity {
    let mut out = a.clone();
    let s = &a.samples;
    let mut filled = cairn_core::model::Samples::default();
    let linear = [
        ChannelKind::Latitude,
        ChannelKind::Longitude,
        ChannelKind::Distance,
        ChannelKind::Altitude,
    ];
    for i in 0..s.len().saturating_sub(1) {
        let (t0, t1) = (s.time_ms[i], s.time_ms[i + 1]);
        let steps = if t1 - t0 <= 300_000 {
            (t1 - t0) / 1000
        } else {
            1
        };
        for k in 0..steps.max(1) {
            let t = t0 + k * 1000;
            filled.push_time(t);
            for kind in s.kinds() {
                let (v0, v1) = (s.value(kind, i), s.value(kind, i + 1));
                let v = if linear.contains(&kind) {
                    match (v0, v1) {
                        (Some(a), Some(b)) => {
                            Some(a + (b - a) * (t - t0) as f64 / (t1 - t0) as f64)
                        }
                        _ => v0.filter(|_| k == 0),
                    }
                } else {
                    v0
                };
                if let Some(v) = v {
                    filled.set_last(kind, v);
                }
            }
        }
    }
    if let Some(last) = s.len().checked_sub(1) {
        filled.push_time(s.time_ms[last]);
        for kind in s.kinds() {
            if let Some(v) = s.value(kind, last) {
                filled.set_last(kind, v);
            }
        }
    }
    out.samples = filled;
    out
}

fn thresholds() -> Thresholds {
    let entries = [
        (ProfileKey::Ftp, 250.0),
        (ProfileKey::ThresholdPace, 270.0),
        (ProfileKey::MaxHr, 188.0),
        (ProfileKey::RestingHr, 50.0),
        (ProfileKey::LthrRun, 168.0),
        (ProfileKey::LthrRide, 162.0),
        (ProfileKey::BodyMass, 68.0),
    ];
    AthleteProfile {
        entries: entries
            .iter()
            .map(|(key, value)| ProfileEntry {
                key: *key,
                value: *value,
                from_day: None,
            })
            .collect(),
    }
    .thresholds(20_600, &Estimates::default())
}

/// Every number the test compares, named.
fn numbers(a: &Activity) -> Vec<(String, f64, Tolerance)> {
    use Tolerance::*;
    let tl = Timeline::of(a);
    let d = derive(a);
    let s = &d.summary;
    let mut out: Vec<(String, f64, Tolerance)> = Vec::new();
    let mut put = |name: String, v: Option<f64>, tol: Tolerance| {
        if let Some(v) = v {
            out.push((name, v, tol));
        }
    };
    let recorded = tl.len() as f64;
    let (power_mean, power_sigma) = tl.power_w.as_ref().map_or((0.0, 0.0), |p| {
        let v: Vec<f64> = p.iter().map(|w| w.unwrap_or(0.0)).collect();
        let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
        let var = v.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / v.len().max(1) as f64;
        (mean, var.sqrt())
    });
    put("moving time".into(), s.moving_s, Relative(0.02));
    put("distance".into(), s.distance_m, Relative(0.005));
    // A barometric profile read every 8 s on a bike (64 m apart) misses the
    // tops and bottoms of bumps a few metres high, and an undulation just
    // above the 5 m band counts once or not at all (the simulator's flat
    // course has one every 700 m: up to 2 m a km, and never less than
    // 20 m); the device states its own total from its 1-Hz sensor, and
    // cairn uses it when it does.
    let climb_floor = (2.0 * s.distance_m.unwrap_or(0.0) / 1000.0).max(20.0);
    put("ascent".into(), s.ascent_m, RelativeOr(0.05, climb_floor));
    put("descent".into(), s.descent_m, RelativeOr(0.05, climb_floor));
    put("average heart rate".into(), s.avg_hr_bpm, Absolute(1.0));
    let th = thresholds();
    // The load from every source the activity can give, each forced in turn.
    let mut variants = vec![("as recorded", a.clone())];
    if a.samples.channel(ChannelKind::Power).is_some() {
        let mut no_power = a.clone();
        no_power.samples.set_channel(ChannelKind::Power, None);
        variants.push(("without power", no_power));
    }
    if a.samples.channel(ChannelKind::HeartRate).is_some() {
        let mut no_hr = a.clone();
        no_hr.samples.set_channel(ChannelKind::HeartRate, None);
        no_hr.samples.set_channel(ChannelKind::Power, None);
        variants.push(("without heart rate or power", no_hr));
    }
    for (label, v) in &variants {
        let l = session_load(v, &Timeline::of(v), &th, SessionNotes::default());
        let source = l.aerobic_source.map(AerobicSource::id).unwrap_or("none");
        // A power load goes with the square of NP: twice the relative
        // sampling error of the ride's mean power, three times.
        let tolerance = match (l.aerobic_source, l.aerobic) {
            (Some(AerobicSource::Power), Some(load)) if power_mean > 0.0 => Absolute(
                0.02 * load + 6.0 * power_sigma * (5.7 / recorded).sqrt() / power_mean * load,
            ),
            _ => RelativeOr(0.02, 0.2),
        };
        put(
            format!("aerobic load {label} ({source})"),
            l.aerobic,
            tolerance,
        );
        // Its eccentric part counts descent (0.1 per metre), so it carries
        // the descent's tolerance too.
        put(
            format!("mechanical load {label}"),
            Some(l.mechanical),
            RelativeOr(0.02, 0.1 * climb_floor * l.mechanical_parts.carriage_factor),
        );
    }
    for (m, t) in &d.facts.best.run {
        put(format!("best {m} m"), Some(*t), Relative(0.02));
    }
    // Power that was never recorded cannot be brought back: a T-second
    // mean of power read once every 1–8 s (each reading standing for 5.7 s
    // on average, E[w²]/E[w]) carries a sampling error of σ·√(5.7/T), σ the
    // spread of the per-second power. For a rider who pedals and coasts
    // (the corpus ride: 0 W or ~350 W, σ 140 W) that is several per cent
    // at 5 min; three such errors are allowed on top of the 2 %.
    let power_error = |secs: f64| power_sigma * (5.7 / secs).sqrt();
    for (secs, w) in &d.facts.best.power {
        if *secs >= 60 {
            put(
                format!("best {secs} s power"),
                Some(*w),
                Absolute(0.02 * w + 3.0 * power_error(*secs as f64)),
            );
        }
    }
    for (kind, curve) in &d.curves {
        // Pace from 2 min: a watch that writes its distance every 5 s (the
        // Suunto in the corpus) cannot resolve a shorter pace better than
        // ±10 m, whatever cairn does.
        let from = match kind {
            CurveKind::Pace | CurveKind::Gap => 120,
            _ => 60,
        };
        for (v, dur) in curve.iter().zip(DURATIONS_S) {
            if dur >= from && (dur as f64) < recorded * 0.9 {
                // VAM: 2 % or 2 m of altitude over the window.
                let floor = if *kind == CurveKind::Vertical {
                    2.0 * 3600.0 / dur as f64
                } else {
                    0.05
                };
                let tolerance = match (kind, v) {
                    (CurveKind::Power, Some(w)) => {
                        Absolute(0.02 * w + 3.0 * power_error(dur as f64))
                    }
                    _ => RelativeOr(0.02, floor),
                };
                put(format!("{} curve at {dur} s", kind.id()), *v, tolerance);
            }
        }
    }
    if let Some(hr) = &tl.heart_rate_bpm {
        // Edges between whole beats. Heart rate that wanders ±1 bpm across an
        // edge splits its seconds by chance: a reading every 1–8 s (on
        // average 5.7 s of weight per reading) estimates that split with a
        // standard error of ½√(5.7 n) s for the n seconds within 1 bpm of
        // the edge, and three of them are allowed on top of the 2 %.
        let edges = [125.5, 145.5, 158.5, 168.5];
        let zones = ZoneScheme::own_heart_rate(&edges, String::new())
            .time_in(hr.iter().copied())
            .seconds;
        for (z, secs) in zones.iter().enumerate() {
            let near: usize = [z.checked_sub(1), Some(z)]
                .into_iter()
                .flatten()
                .filter_map(|e| edges.get(e))
                .map(|e| {
                    hr.iter()
                        .flatten()
                        .filter(|h| (*h - e).abs() <= 1.0)
                        .count()
                })
                .sum();
            let chance = 3.0 * 0.5 * (5.7 * near as f64).sqrt();
            put(
                format!("time in heart-rate zone {}", z + 1),
                Some(*secs),
                Absolute(0.02 * recorded + chance),
            );
        }
    }
    let e = &d.facts.altitude;
    for (b, secs) in e.band_s.iter().enumerate() {
        put(
            format!("time in altitude band {b}"),
            Some(*secs),
            Absolute(0.02 * recorded),
        );
    }
    put(
        "hypoxic dose".into(),
        Some(e.dose_km_h),
        RelativeOr(0.02, 0.01),
    );
    out
}

#[derive(Debug, Clone, Copy)]
enum Tolerance {
    Relative(f64),
    RelativeOr(f64, f64),
    Absolute(f64),
}

impl Tolerance {
    fn allows(self, want: f64, got: f64) -> bool {
        let diff = (want - got).abs();
        match self {
            Tolerance::Relative(r) => diff <= r * want.abs(),
            Tolerance::RelativeOr(r, a) => diff <= (r * want.abs()).max(a),
            Tolerance::Absolute(a) => diff <= a,
        }
    }
}

/// Asserts that every number of `changed` agrees with `reference`; the
/// numbers only one of them has are reported too.
fn assert_same_numbers(what: &str, reference: &Activity, changed: &Activity) {
    let want = numbers(reference);
    let got = numbers(changed);
    let mut wrong = Vec::new();
    for (name, w, tol) in &want {
        match got.iter().find(|(n, ..)| n == name) {
            Some((_, g, _)) if tol.allows(*w, *g) => {}
            Some((_, g, _)) => wrong.push(format!("{name}: {w:.3} became {g:.3} ({tol:?})")),
            // Gone is fine for a value within its tolerance of nothing (a
            // vertical speed of 0.8 m/h on a flat walk is not drawn).
            None if tol.allows(*w, 0.0) => {}
            None => wrong.push(format!("{name}: {w:.3} became nothing")),
        }
    }
    for (name, g, tol) in &got {
        if !want.iter().any(|(n, ..)| n == name) && !tol.allows(0.0, *g) {
            wrong.push(format!("{name}: nothing became {g:.3}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{what}: {} of {} numbers changed with the recording interval:\n  {}",
        wrong.len(),
        want.len(),
        wrong.join("\n  ")
    );
}

/// The activity as a device file of one format says it.
fn as_file(a: &Activity, format: usize) -> Activity {
    use cairn_core::encode;
    let (format, bytes) = match format {
        0 => (Format::Fit, encode::fit::encode(a)),
        1 => (Format::Gpx, encode::xml::gpx(a).into_bytes()),
        _ => (Format::Tcx, encode::xml::tcx(a).into_bytes()),
    };
    let mut file = decode(format, &bytes).unwrap_or_else(|e| panic!("{format:?}: {e}"));
    let mut decoded = file.activities.remove(0);
    decoded.sport = a.sport;
    decoded
}

fn planned(sport_ix: usize, minutes: f64, seed: u64) -> (Planned, Athlete) {
    use cairn_core::model::Sport;
    let (sport, terrain, workout, pack, archetype, file) = [
        (
            Sport::Run,
            Terrain::Rolling,
            Workout::Steady,
            0.0,
            Archetype::RoadRunner,
            FileKind::Fit,
        ),
        (
            Sport::Run,
            Terrain::Flat,
            Workout::Intervals {
                reps: 6,
                on_s: 120.0,
                off_s: 90.0,
            },
            0.0,
            Archetype::RoadRunner,
            FileKind::Fit,
        ),
        (
            Sport::TrailRun,
            Terrain::Mountain,
            Workout::Steady,
            0.0,
            Archetype::HikerToTrail,
            FileKind::Gpx,
        ),
        (
            Sport::Hike,
            Terrain::Mountain,
            Workout::Steady,
            10.0,
            Archetype::HikerToTrail,
            FileKind::Gpx,
        ),
        (
            Sport::Ride,
            Terrain::Rolling,
            Workout::Steady,
            0.0,
            Archetype::CyclistToRunner,
            FileKind::Fit,
        ),
        (
            Sport::Walk,
            Terrain::Flat,
            Workout::Steady,
            0.0,
            Archetype::RoadRunner,
            FileKind::Fit,
        ),
    ][sport_ix];
    let athlete = Athlete::of(archetype);
    let p = Planned {
        athlete: 0,
        day: 20_600,
        start_s: 8 * 3600,
        utc_offset_s: athlete.home_utc_offset_s,
        sport,
        minutes,
        intensity: 0.75,
        workout,
        terrain,
        base_alt_m: 1800.0,
        lat: athlete.home_lat,
        lon: athlete.home_lon,
        temp_c: 18.0,
        pack_kg: pack,
        file,
        seed,
    };
    (p, athlete)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(18))]

    /// Simulated sessions of every sport, written as FIT, GPX (distance
    /// from positions) or TCX and read back, recorded again every 1–8 s.
    #[test]
    fn simulated_sessions_recorded_sparsely(sport in 0usize..6, format in 0usize..3, minutes in 35.0f64..100.0, seed in 0u64..1_000_000) {
        let (p, athlete) = planned(sport, minutes, seed);
        let a = as_file(&simulate(&p, &athlete), format);
        let sparse = smart_recording(&a, seed ^ 0x5eed, 8);
        assert_same_numbers(&format!("{:?} as {}, {minutes:.0} min, seed {seed}", p.sport, ["FIT", "GPX", "TCX"][format]), &a, &sparse);
    }

    /// Heart rate on one record in five: every heart-rate number holds.
    #[test]
    fn heart_rate_on_one_record_in_five(sport in 0usize..6, seed in 0u64..1_000_000) {
        let (p, athlete) = planned(sport, 50.0, seed);
        let a = simulate(&p, &athlete);
        assert_same_numbers(&format!("{:?} seed {seed}", p.sport), &a, &sparse_heart_rate(&a, seed));
    }
}

const DENSE: [&str; 6] = [
    "fit/6910052863.fit",
    "fit/activity-small-fenix2-run.fit",
    "fit/Edge810-Vector-2013-08-16-15-35-10.fit",
    "fit/6916663933.fit",
    "fit/garmin.fit",
    "fit/mornindew-broken.fit",
];

const SPARSE: [&str; 4] = [
    "fit/2020-08-20-09-34-33.fit",
    "fit/compressed-speed-distance.fit",
    "fit/sample_mulitple_header.fit",
    "gpx/garmin-activity.gpx",
];

fn corpus_activities(dir: &std::path::Path, rel: &str) -> Vec<Activity> {
    let format = if rel.ends_with(".gpx") {
        Format::Gpx
    } else {
        Format::Fit
    };
    decode(format, &common::read(dir, rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .activities
        .into_iter()
        .filter(|a| a.samples.len() > 100)
        .collect()
}

/// Real 1-Hz files, recorded again every 1–8 s.
#[test]
fn real_one_hertz_files_recorded_sparsely() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    for rel in DENSE {
        for (i, a) in corpus_activities(&dir, rel).iter().enumerate() {
            for seed in [1, 2] {
                let sparse = smart_recording(a, seed, 8);
                assert_same_numbers(&format!("{rel} session {i}, seed {seed}"), a, &sparse);
            }
        }
    }
}

/// Real sparse recordings (smart recording, 5- and 6-s intervals, a GPX
/// with irregular points), filled in to 1 s.
#[test]
fn real_sparse_files_filled_to_one_hertz() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    for rel in SPARSE {
        for (i, a) in corpus_activities(&dir, rel).iter().enumerate() {
            assert_same_numbers(&format!("{rel} session {i}"), a, &one_hertz(a));
        }
    }
}
