//! Predictions from the athlete's own history: race times (Riegel, Daniels
//! VDOT) and hiking times from a personal speed-by-gradient model.

pub mod hiking;
pub mod race;
pub mod vdot;
