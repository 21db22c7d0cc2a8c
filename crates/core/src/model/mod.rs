//! Plain data: what an activity is, independent of the file it came from.

mod activity;
mod samples;
mod sport;
mod workout;

pub use activity::{
    Activity, Course, DeclaredTotals, DeveloperField, DeviceProfile, Flag, Lap, SourceFormat,
    SwimLength, TimerEvent,
};
pub use samples::{Channel, ChannelKind, Samples};
pub use sport::{fit_sport_name, fit_sub_sport_name, Sport};
pub use workout::{StepDuration, StepIntensity, StepTarget, Workout, WorkoutStep};
