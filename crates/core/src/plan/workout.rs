//! Planned sessions as structured workouts a watch can follow: warm-up,
//! efforts and recoveries, cool-down, each with a heart-rate target in the
//! athlete's own zones. Written as FIT by [`crate::encode::fit::encode_workout`].

use super::session::{duration_text, Kind, PlannedSession, COOL_DOWN_S};
use super::zones::{Zone, Zones};
use crate::model::{StepDuration, StepIntensity, StepTarget, Workout, WorkoutStep};

fn hr_target(zones: &Zones, zone: Zone, ride: bool) -> StepTarget {
    let r = zones.heart_rate(zone, ride);
    StepTarget::HeartRate {
        // Zone 1 has no lower edge in Friel's table: the watch gets the resting rate.
        low_bpm: r.low_bpm.unwrap_or(zones.resting_hr_bpm),
        high_bpm: r.high_bpm,
    }
}

fn step(name: &str, seconds: f64, target: StepTarget, intensity: StepIntensity) -> WorkoutStep {
    WorkoutStep {
        name: name.to_string(),
        duration: StepDuration::Seconds(seconds),
        target,
        intensity,
    }
}

/// The session as a workout; `None` for rest, strength, mobility and the
/// goal, which a watch does not guide by heart rate.
pub fn session_workout(s: &PlannedSession, zones: &Zones) -> Option<Workout> {
    if !s.mode.is_endurance() || matches!(s.kind, Kind::Goal | Kind::Rest) || s.duration_s <= 0.0 {
        return None;
    }
    let ride = s.mode.is_ride();
    let easy = hr_target(zones, Zone::Z1, ride);
    let mut steps = Vec::new();
    match s.reps {
        Some(r) if s.kind == Kind::RunWalk => {
            for _ in 0..r.count {
                steps.push(step(
                    "run",
                    r.work_s,
                    hr_target(zones, r.work_zone, ride),
                    StepIntensity::Active,
                ));
                steps.push(step(
                    "walk",
                    r.recovery_s,
                    StepTarget::Open,
                    StepIntensity::Rest,
                ));
            }
        }
        Some(r) => {
            let efforts = r.count as f64 * (r.work_s + r.recovery_s);
            let warm_up = (s.duration_s - COOL_DOWN_S - efforts).max(0.0);
            steps.push(step("warm up", warm_up, easy, StepIntensity::Warmup));
            let recovery_name = if s.kind == Kind::HillRepeats {
                "walk down"
            } else {
                "recover"
            };
            for _ in 0..r.count {
                steps.push(step(
                    "effort",
                    r.work_s,
                    hr_target(zones, r.work_zone, ride),
                    StepIntensity::Active,
                ));
                if r.recovery_s > 0.0 {
                    steps.push(step(recovery_name, r.recovery_s, easy, StepIntensity::Rest));
                }
            }
            steps.push(step(
                "cool down",
                COOL_DOWN_S,
                easy,
                StepIntensity::Cooldown,
            ));
        }
        None => steps.push(step(
            s.kind.id(),
            s.duration_s,
            hr_target(zones, s.zone, ride),
            StepIntensity::Active,
        )),
    }
    Some(Workout {
        name: format!("{} {}", s.summary(), duration_text(s.duration_s)),
        sport: s.mode.sport(),
        steps,
    })
}
