//! Training plans: goals, periodised generation from named rules, weekly
//! adaptation from what was done and how it felt, and structured workouts.
//!
//! - `goal.rs`: the goal and the defaults inferred from history
//! - `zones.rs`: the athlete's heart-rate and power zones (Friel, Coggan)
//! - `session.rs`: sessions, weeks and the plan as plain data
//! - `rules.rs`: every rule with its evidence, and a check for each
//! - `generate.rs`: the plan from today to the goal
//! - `adapt.rs`: compliance and the changes made after each week
//! - `workout.rs`: sessions as watch workouts (steps with HR targets)

pub mod adapt;
pub mod generate;
pub mod goal;
pub mod rules;
pub mod session;
pub mod workout;
pub mod zones;

pub use generate::{generate, Start};
pub use goal::{Goal, GoalKind, History, Level};
pub use rules::{check_all, Rule, Violation};
pub use session::{Change, Kind, Mode, Phase, Plan, PlannedSession, Progression, Week};
pub use zones::{Zone, Zones};
