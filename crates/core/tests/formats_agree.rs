//! One session, one set of numbers, whatever file it came in (class 9 of
//! issue 12): a simulated session of any sport, written as FIT and as TCX,
//! reads back with the same distance, moving time, heart rate and pace, pace
//! being distance over moving time in every format. As GPX, which carries no
//! distance of its own, the distance is the positions' (the simulator's GPS
//! error adds a few per cent, as every tool computing it from positions
//! finds), the moving time and heart rate are the same.

use cairn_core::decode::{decode, Format};
use cairn_core::derived::derive;
use cairn_core::metrics::Summary;
use cairn_core::model::Sport;
use cairn_core::sim::history::{Planned, Terrain, Workout};
use cairn_core::sim::{simulate, Archetype, Athlete, FileKind};
use proptest::prelude::*;

fn read(format: Format, bytes: &[u8]) -> Summary {
    let mut a = decode(format, bytes).unwrap().activities.remove(0);
    cairn_core::clean::check(&mut a, 1_800_000_000_000);
    derive(&a).summary
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn fit_tcx_and_gpx_of_one_session_agree(kind in 0usize..5, seed in 1u64..1000, minutes in 20.0f64..90.0) {
        let (sport, terrain, archetype, workout) = [
            (Sport::Run, Terrain::Rolling, Archetype::RoadRunner, Workout::Steady),
            (Sport::Run, Terrain::Flat, Archetype::RoadRunner, Workout::Intervals { reps: 5, on_s: 120.0, off_s: 90.0 }),
            (Sport::TrailRun, Terrain::Mountain, Archetype::HikerToTrail, Workout::Steady),
            (Sport::Hike, Terrain::Mountain, Archetype::HikerToTrail, Workout::Steady),
            (Sport::Ride, Terrain::Rolling, Archetype::CyclistToRunner, Workout::Steady),
        ][kind];
        let athlete = Athlete::of(archetype);
        let p = Planned {
            athlete: 0, day: 20_600, start_s: 8 * 3600, utc_offset_s: 0, sport, minutes,
            intensity: 0.75, workout, terrain, base_alt_m: 600.0, lat: athlete.home_lat,
            lon: athlete.home_lon, temp_c: 15.0, pack_kg: 0.0, file: FileKind::Fit, seed,
        };
        let a = simulate(&p, &athlete);
        let fit = read(Format::Fit, &cairn_core::encode::fit::encode(&a));
        let tcx = read(Format::Tcx, cairn_core::encode::xml::tcx(&a).as_bytes());
        let gpx = read(Format::Gpx, cairn_core::encode::xml::gpx(&a).as_bytes());
        let (d0, d1) = (fit.distance_m.unwrap(), tcx.distance_m.unwrap());
        prop_assert!((d1 - d0).abs() <= 0.005 * d0, "TCX: distance {} vs FIT {}", d1, d0);
        for (name, s) in [("TCX", &tcx), ("GPX", &gpx)] {
            let (m0, m1) = (fit.moving_s.unwrap(), s.moving_s.unwrap());
            prop_assert!((m1 - m0).abs() <= 0.02 * m0, "{}: moving {} vs FIT {}", name, m1, m0);
            if let (Some(h0), Some(h1)) = (fit.avg_hr_bpm, s.avg_hr_bpm) {
                prop_assert!((h1 - h0).abs() <= 1.0, "{}: heart rate {} vs FIT {}", name, h1, h0);
            }
        }
        for s in [&fit, &tcx, &gpx] {
            let pace = s.distance_m.unwrap() / s.moving_s.unwrap();
            prop_assert!((pace - s.avg_speed_mps.unwrap()).abs() < 1e-9, "pace is distance over moving time");
        }
        let (p0, p1) = (fit.avg_speed_mps.unwrap(), tcx.avg_speed_mps.unwrap());
        prop_assert!((p1 - p0).abs() <= 0.02 * p0, "pace: TCX {} vs FIT {}", p1, p0);
    }
}
