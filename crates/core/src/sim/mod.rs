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
