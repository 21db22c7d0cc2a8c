//! A structured workout a watch can follow: steps with a duration and a target.

use super::Sport;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepDuration {
    Seconds(f64),
    Metres(f64),
    /// Until the athlete presses lap.
    Open,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepTarget {
    HeartRate {
        low_bpm: f64,
        high_bpm: f64,
    },
    /// Speed range in m/s (a pace range on the watch).
    Speed {
        low_mps: f64,
        high_mps: f64,
    },
    Open,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepIntensity {
    Active,
    Rest,
    Warmup,
    Cooldown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkoutStep {
    pub name: String,
    pub duration: StepDuration,
    pub target: StepTarget,
    pub intensity: StepIntensity,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workout {
    pub name: String,
    pub sport: Sport,
    pub steps: Vec<WorkoutStep>,
}
