//! Per-activity metrics: pure functions over a decoded [`Activity`](crate::model::Activity).
//! One file per metric family; each states its unit and method.

pub mod ascent;
pub mod best;
pub mod curve;
pub mod efficiency;
pub mod limits;
pub mod moving;
pub mod splits;
pub mod summary;
pub mod zones;

pub use splits::{splits, Split};
pub use summary::{summarize, Summary};
