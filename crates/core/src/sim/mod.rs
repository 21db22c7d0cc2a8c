//! A simulated athlete: realistic mixed-sport training histories, built from
//! the same models cairn analyses with, deterministic from a seed.
//!
//! [`history`] plans years of sessions for three athletes from the users'
//! stories (seeds/000 the road runner with a mountain trip and a heatwave,
//! seeds/003 the hiker who becomes a trail runner, seeds/004 the cyclist who
//! starts running); [`session`] turns one planned session into 1-Hz samples:
//! terrain, speed from effort and grade (Minetti for running, Tobler for
//! hiking, a power balance for cycling), heart rate that lags effort and
//! drifts with heat, duration and altitude, GPS noise, barometric altitude,
//! auto-pauses. Pure: the app writes the files.

pub mod history;
pub mod rng;
pub mod session;

pub use history::{plan, Archetype, Athlete, FileKind, Planned};
pub use session::simulate;

/// One steady session at 0.8 of threshold on day `day` (days since 1970),
/// 08:00 local, recorded as FIT by the archetype that does this sport:
/// the file tests and examples write when they need one of a kind.
pub fn steady_session(
    day: i32,
    sport: crate::model::Sport,
    terrain: history::Terrain,
    minutes: f64,
    seed: u64,
) -> crate::model::Activity {
    use crate::model::Sport;
    let archetype = match sport {
        Sport::Ride | Sport::IndoorRide => Archetype::CyclistToRunner,
        Sport::Hike | Sport::TrailRun => Archetype::HikerToTrail,
        _ => Archetype::RoadRunner,
    };
    let athlete = Athlete::of(archetype);
    let p = Planned {
        athlete: 0,
        day,
        start_s: 8 * 3600,
        utc_offset_s: athlete.home_utc_offset_s,
        sport,
        minutes,
        intensity: 0.8,
        workout: history::Workout::Steady,
        terrain,
        base_alt_m: 400.0,
        lat: athlete.home_lat,
        lon: athlete.home_lon,
        temp_c: 15.0,
        pack_kg: 0.0,
        file: FileKind::Fit,
        seed,
    };
    simulate(&p, &athlete)
}
