//! The profile as `cairn profile show` and the dashboard's profile page
//! show it: each threshold in force with where it comes from, the dated
//! history, the estimates and the zones; and the words both print.

use crate::units::Units;
use crate::{Cairn, Result};
use cairn_core::load::hr::Sex;
use cairn_core::load::profile::{Estimates, ProfileEntry, Provenance, Resolved};
use cairn_core::load::ProfileKey;
use cairn_core::metrics::zones::{OwnHeartRateZones, ZoneScheme, ZoneSignal};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::json;

/// The profile on one day.
#[derive(Debug, Clone)]
pub struct ProfileReport {
    /// Each threshold in force, `None` when unknown.
    pub today: Vec<(ProfileKey, Option<Resolved>)>,
    /// `None` when never set.
    pub sex: Option<Sex>,
    pub history: Vec<ProfileEntry>,
    pub estimates: Estimates,
    /// Per group of sports ("on foot", "bike").
    pub zones: Vec<(&'static str, Vec<ZoneScheme>)>,
    pub own_heart_rate_zones: Vec<OwnHeartRateZones>,
}

impl Cairn {
    /// The profile in force on `day`.
    pub fn profile_report(&mut self, day: i32) -> Result<ProfileReport> {
        let (profile, estimates) = self.estimates()?;
        let th = profile.thresholds(day, &estimates);
        let zones = self.zones_in_force(day, &th)?;
        Ok(ProfileReport {
            today: vec![
                (ProfileKey::MaxHr, Some(th.max_hr.clone())),
                (ProfileKey::RestingHr, Some(th.resting_hr.clone())),
                (ProfileKey::LthrRun, Some(th.lthr_run.clone())),
                (ProfileKey::LthrRide, Some(th.lthr_ride.clone())),
                (ProfileKey::Ftp, th.ftp.clone()),
                (ProfileKey::ThresholdPace, th.threshold_pace.clone()),
                (ProfileKey::BodyMass, Some(th.body_mass.clone())),
                (ProfileKey::PackMass, Some(th.pack_mass.clone())),
            ],
            sex: th.sex_known.then_some(th.sex),
            history: profile.entries,
            estimates,
            zones,
            own_heart_rate_zones: self.own_heart_rate_zones()?,
        })
    }
}

/// As `profile show --json` prints it (docs/json.md).
impl Serialize for ProfileReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(6))?;
        let today: Vec<_> = self
            .today
            .iter()
            .map(|(k, r)| {
                json!({"key": k.id(), "value": r.as_ref().map(|r| r.value), "provenance": r.as_ref().map(|r| &r.provenance)})
            })
            .collect();
        m.serialize_entry("today", &today)?;
        m.serialize_entry("sex", &self.sex.map(|s| format!("{s:?}").to_lowercase()))?;
        m.serialize_entry("history", &self.history)?;
        m.serialize_entry("estimates", &self.estimates)?;
        let zones: Vec<_> = self
            .zones
            .iter()
            .map(|(group, schemes)| json!({"for": group, "schemes": schemes}))
            .collect();
        m.serialize_entry("zones", &zones)?;
        m.serialize_entry("own_heart_rate_zones", &self.own_heart_rate_zones)?;
        m.end()
    }
}

/// Where a value comes from, in words.
pub fn provenance_text(p: &Provenance) -> String {
    match p {
        Provenance::Set { from_day: None } => "set".into(),
        Provenance::Set { from_day: Some(d) } => format!("set, from {}", crate::day_text(*d)),
        Provenance::Estimated { how } => format!("estimate: {how}"),
        Provenance::Default { why } => format!("default: {why}"),
    }
}

/// A profile value in the display units.
pub fn profile_value(key: ProfileKey, v: f64, units: Units) -> String {
    match key {
        ProfileKey::ThresholdPace if v > 0.0 => units.pace_or_speed(Some(1000.0 / v), false),
        ProfileKey::BodyMass | ProfileKey::PackMass => units.mass(Some(v)),
        _ => key.display(v),
    }
}

/// The range of zone `i` as an athlete reads it: bpm and W as "141–147",
/// pace from slow to fast.
pub fn zone_range_text(s: &ZoneScheme, i: usize, units: Units) -> String {
    let (low, high) = s.bounds(i);
    match s.signal {
        ZoneSignal::HeartRate | ZoneSignal::Power => {
            let unit = if s.signal == ZoneSignal::Power {
                "W"
            } else {
                "bpm"
            };
            // Edges are whole units in the published tables: a zone starts
            // one above the zone below's top.
            let from = |v: f64| (v.floor() + 1.0) as i64;
            match (low, high) {
                (None, Some(h)) => format!("≤ {h:.0} {unit}"),
                (Some(l), Some(h)) => format!("{}–{h:.0} {unit}", from(l)),
                (Some(l), None) => format!("≥ {} {unit}", from(l)),
                (None, None) => "-".into(),
            }
        }
        ZoneSignal::Pace | ZoneSignal::GradedPace => {
            let pace = |v: f64| units.pace_or_speed(Some(v), false);
            match (low, high) {
                (None, Some(h)) => format!("slower than {}", pace(h)),
                (Some(l), Some(h)) => {
                    // "5:43–5:01/km": the unit once.
                    let slow = pace(l);
                    let unit_at = slow.find('/').unwrap_or(slow.len());
                    format!("{}–{}", &slow[..unit_at], pace(h))
                }
                (Some(l), None) => format!("{} or faster", pace(l)),
                (None, None) => "-".into(),
            }
        }
    }
}
