//! The environment a session happened in — altitude and heat — and what it
//! does to the athlete: exposure, acclimatisation and pace cost. Models and
//! their sources in science.md §10–11.

pub mod adjust;
pub mod altitude;
pub mod heat;

pub use adjust::{adjust, Adjustment, Conditions};
