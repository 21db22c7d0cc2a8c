//! Records that cannot be true are never records (class 7 of issue 12):
//! simulated sessions of every sport, labelled any sport (an export that
//! calls a ride a run), with GPS spikes, catch-ups and power spikes added,
//! give best efforts and curve points a person can produce, every rejected
//! effort is said with its reason, and re-labelling changes nothing but the
//! sport the efforts are searched as.

use cairn_core::derived::derive;
use cairn_core::metrics::curve::{CurveKind, DURATIONS_S};
use cairn_core::model::{Activity, ChannelKind, Sport};
use cairn_core::sim::history::{Planned, Terrain, Workout};
use cairn_core::sim::rng::Rng;
use cairn_core::sim::{simulate, Archetype, Athlete, FileKind};
use proptest::prelude::*;

/// World Athletics men's outdoor records (s): the test's own statement of
/// what no one on foot beats.
const WORLD_RECORDS_S: [(f64, f64); 7] = [
    (400.0, 43.03),
    (1000.0, 131.96),
    (1609.344, 223.13),
    (5000.0, 755.36),
    (10_000.0, 1571.0),
    (21_097.5, 3402.0),
    (42_195.0, 7235.0),
];

fn simulated(kind: usize, seed: u64) -> Activity {
    let (sport, terrain, archetype) = [
        (Sport::Run, Terrain::Rolling, Archetype::RoadRunner),
        (Sport::Ride, Terrain::Rolling, Archetype::CyclistToRunner),
        (Sport::Ride, Terrain::Mountain, Archetype::CyclistToRunner),
        (Sport::TrailRun, Terrain::Mountain, Archetype::HikerToTrail),
        (Sport::Hike, Terrain::Mountain, Archetype::HikerToTrail),
    ][kind];
    let athlete = Athlete::of(archetype);
    let p = Planned {
        athlete: 0,
        day: 20_600,
        start_s: 8 * 3600,
        utc_offset_s: 0,
        sport,
        minutes: 50.0,
        intensity: 0.85,
        workout: Workout::Steady,
        terrain,
        base_alt_m: 500.0,
        lat: athlete.home_lat,
        lon: athlete.home_lon,
        temp_c: 15.0,
        pack_kg: 0.0,
        file: FileKind::Fit,
        seed,
    };
    simulate(&p, &athlete)
}

/// GPS spikes (a position and distance jump for one record), a catch-up
/// after a lost signal (distance frozen, then all at once) and power
/// spikes, at random records.
fn damaged(a: &Activity, seed: u64, spikes: usize) -> Activity {
    let mut rng = Rng::new(seed);
    let mut out = a.clone();
    let n = out.samples.len();
    for _ in 0..spikes {
        let i = 1 + (rng.next_u64() as usize) % (n - 2);
        let jump = rng.range(50.0, 2000.0);
        if let Some(lat) = out.samples.value(ChannelKind::Latitude, i) {
            out.samples.channel_mut(ChannelKind::Latitude)[i] = Some(lat + jump / 111_000.0);
        }
        let d = out.samples.channel_mut(ChannelKind::Distance);
        match rng.next_u64() % 3 {
            0 => {
                // One record far ahead, then back on the track.
                if let Some(v) = d[i] {
                    d[i] = Some(v + jump);
                }
            }
            1 => {
                // Frozen for a minute, then caught up in one record.
                let end = (i + 60).min(n - 1);
                let frozen = d[i];
                for v in d[i..end].iter_mut() {
                    *v = frozen;
                }
            }
            _ => {
                out.samples.channel_mut(ChannelKind::Power)[i] = Some(rng.range(1500.0, 3900.0));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(30))]

    #[test]
    fn no_record_is_beyond_what_a_person_can_do(
        kind in 0usize..5,
        label in 0usize..4,
        seed in 1u64..500,
        spikes in 0usize..12,
    ) {
        let mut a = damaged(&simulated(kind, seed), seed ^ 0xbad, spikes);
        a.sport = [Sport::Run, Sport::Ride, Sport::Hike, Sport::TrailRun][label];
        let d = derive(&a);
        for (distance, seconds) in &d.facts.best.run {
            for (wr_m, wr_s) in WORLD_RECORDS_S {
                if (distance - wr_m).abs() < 0.5 {
                    prop_assert!(*seconds >= wr_s, "{} m in {} s as {:?}", distance, seconds, a.sport);
                }
            }
        }
        for (duration, watts) in &d.facts.best.power {
            prop_assert!(*watts <= cairn_core::metrics::limits::max_power_w(*duration as f64), "{} W for {} s", watts, duration);
        }
        for (kind, points) in &d.curves {
            if *kind != CurveKind::Pace || !a.sport.is_on_foot() {
                continue;
            }
            for (v, dur) in points.iter().zip(DURATIONS_S) {
                if let Some(speed) = v {
                    prop_assert!(dur >= CurveKind::Pace.shortest_s(), "no pace point under a minute");
                    // No one-minute-or-longer speed above the record curve
                    // at its duration (400 m in 43 s is 9.3 m/s).
                    let limit = cairn_core::metrics::limits::max_running_speed_mps(dur as f64);
                    prop_assert!(*speed <= limit, "{} m/s for {} s", speed, dur);
                }
            }
        }
        // What was found and could not be true is said, not dropped
        // silently: a road ride labelled on foot is faster than any runner
        // over 400 m. (A slow mountain ride is not: 10 km in 36 min is a
        // good runner's time, so speed alone cannot tell it from a run; its
        // label stays the athlete's to correct with `edit --sport`.)
        if a.sport.is_on_foot() && kind == 1 {
            prop_assert!(
                !d.facts.best.rejected.is_empty() || d.facts.best.run.is_empty(),
                "a ride as {:?}: {:?}", a.sport, d.facts.best.run
            );
        }
    }
}
