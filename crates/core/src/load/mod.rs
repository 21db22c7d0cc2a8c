//! Training load across sports, in two dimensions: **aerobic** (heart and
//! lungs; every source normalised so that one hour at threshold ≈ 100) and
//! **mechanical** (muscles, tendons, bones: impact, eccentric descent, load
//! carriage). Pure functions; the app feeds them activities and profiles.

pub mod carriage;
pub mod equivalent;
pub mod facts;
pub mod grade;
pub mod hr;
pub mod mechanical;
pub mod power;
pub mod profile;
pub mod series;
pub mod session;
pub mod srpe;
pub mod warnings;

pub use profile::{AthleteProfile, Estimates, ProfileEntry, ProfileKey, Thresholds};
pub use series::{daily_series, DayPoint, SeriesConfig, Smoothing};
pub use session::{
    session_load, AerobicSource, Explanation, SessionLoad, SessionNotes, MODEL_VERSION,
};
