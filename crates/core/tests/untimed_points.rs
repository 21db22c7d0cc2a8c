//! Points without a time are kept (class 5 of issue 12): a simulated
//! session written as GPX, its times taken off any set of points (single
//! ones, long runs, the first and the last), reads back with every point,
//! times that never go back, and the distance of the fully timed file; with
//! fewer than half its points timed it is a planned route holding every
//! point.

use cairn_core::decode::{decode, Format};
use cairn_core::derived::derive;
use cairn_core::model::Sport;
use cairn_core::sim::history::{Planned, Terrain, Workout};
use cairn_core::sim::rng::Rng;
use cairn_core::sim::{simulate, Archetype, Athlete, FileKind};
use proptest::prelude::*;

fn session(seed: u64, hike: bool) -> String {
    let (sport, terrain, archetype) = if hike {
        (Sport::Hike, Terrain::Mountain, Archetype::HikerToTrail)
    } else {
        (Sport::Run, Terrain::Rolling, Archetype::RoadRunner)
    };
    let athlete = Athlete::of(archetype);
    let p = Planned {
        athlete: 0,
        day: 20_600,
        start_s: 8 * 3600,
        utc_offset_s: 0,
        sport,
        minutes: 40.0,
        intensity: 0.75,
        workout: Workout::Steady,
        terrain,
        base_alt_m: 900.0,
        lat: athlete.home_lat,
        lon: athlete.home_lon,
        temp_c: 15.0,
        pack_kg: 0.0,
        file: FileKind::Gpx,
        seed,
    };
    cairn_core::encode::xml::gpx(&simulate(&p, &athlete))
}

/// Takes the `<time>` off the points `drop` says, in runs: each point
/// starts a run of untimed points with probability `p_start`, a run goes
/// on with probability `p_go_on`.
fn strip_times(gpx: &str, seed: u64, p_start: f64, p_go_on: f64) -> (String, usize, usize) {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(gpx.len());
    let (mut points, mut timed) = (0, 0);
    let mut in_run = false;
    for line in gpx.split_inclusive('\n') {
        if let (Some(s), Some(e)) = (line.find("<time>"), line.find("</time>")) {
            points += 1;
            in_run = if in_run {
                rng.chance(p_go_on)
            } else {
                rng.chance(p_start)
            };
            if in_run {
                out.push_str(&line[..s]);
                out.push_str(&line[e + "</time>".len()..]);
                continue;
            }
            timed += 1;
        }
        out.push_str(line);
    }
    (out, points, timed)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn every_point_is_kept_whatever_lacks_a_time(
        seed in 1u64..1000,
        hike in any::<bool>(),
        p_start in 0.0f64..0.6,
        p_go_on in 0.0f64..0.98,
    ) {
        let full = session(seed, hike);
        let reference = decode(Format::Gpx, full.as_bytes()).unwrap().activities.remove(0);
        let want_m = derive(&reference).summary.distance_m.unwrap();
        let (stripped, points, timed) = strip_times(&full, seed ^ 0xface, p_start, p_go_on);
        let file = decode(Format::Gpx, stripped.as_bytes()).unwrap();
        if timed * 2 < points {
            prop_assert!(file.activities.is_empty());
            let kept: usize = file.courses.iter().map(|c| c.lat_deg.len()).sum();
            prop_assert_eq!(kept, points, "a course with every point");
        } else {
            prop_assert_eq!(file.activities.len(), 1);
            let a = &file.activities[0];
            prop_assert_eq!(a.samples.len(), points, "every point");
            prop_assert!(a.samples.time_ms.windows(2).all(|w| w[1] >= w[0]), "times in order");
            let got_m = derive(a).summary.distance_m.unwrap();
            prop_assert!(
                (got_m - want_m).abs() <= 0.005 * want_m,
                "{} of {} timed: {:.0} m vs {:.0} m", timed, points, got_m, want_m
            );
        }
    }
}
