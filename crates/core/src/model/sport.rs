//! cairn's sport taxonomy and the mapping from every file format's vocabulary.

use serde::{Deserialize, Serialize};

/// The sports cairn reasons about. The file's own words are always kept next
/// to this (see `Activity::original_sport`), so a mapping can be revisited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sport {
    Run,
    TrailRun,
    TreadmillRun,
    Walk,
    Hike,
    Ride,
    MountainBike,
    Gravel,
    IndoorRide,
    PoolSwim,
    OpenWaterSwim,
    Strength,
    Rowing,
    Other,
}

impl Sport {
    pub const ALL: [Sport; 14] = [
        Sport::Run,
        Sport::TrailRun,
        Sport::TreadmillRun,
        Sport::Walk,
        Sport::Hike,
        Sport::Ride,
        Sport::MountainBike,
        Sport::Gravel,
        Sport::IndoorRide,
        Sport::PoolSwim,
        Sport::OpenWaterSwim,
        Sport::Strength,
        Sport::Rowing,
        Sport::Other,
    ];

    /// The stable identifier used on the command line, in JSON and in storage.
    pub fn id(self) -> &'static str {
        match self {
            Sport::Run => "run",
            Sport::TrailRun => "trail_run",
            Sport::TreadmillRun => "treadmill_run",
            Sport::Walk => "walk",
            Sport::Hike => "hike",
            Sport::Ride => "ride",
            Sport::MountainBike => "mountain_bike",
            Sport::Gravel => "gravel",
            Sport::IndoorRide => "indoor_ride",
            Sport::PoolSwim => "pool_swim",
            Sport::OpenWaterSwim => "open_water_swim",
            Sport::Strength => "strength",
            Sport::Rowing => "rowing",
            Sport::Other => "other",
        }
    }

    /// Parses an identifier as [`Sport::id`] writes it; `-` and `_` are interchangeable.
    pub fn from_id(text: &str) -> Option<Sport> {
        let norm = text.trim().to_ascii_lowercase().replace('-', "_");
        Sport::ALL.into_iter().find(|s| s.id() == norm)
    }

    /// Broad family, for rules that apply to every kind of running, riding or walking.
    pub fn is_running(self) -> bool {
        matches!(self, Sport::Run | Sport::TrailRun | Sport::TreadmillRun)
    }
    pub fn is_cycling(self) -> bool {
        matches!(
            self,
            Sport::Ride | Sport::MountainBike | Sport::Gravel | Sport::IndoorRide
        )
    }
    pub fn is_on_foot(self) -> bool {
        self.is_running() || matches!(self, Sport::Walk | Sport::Hike)
    }
    pub fn is_stationary(self) -> bool {
        matches!(
            self,
            Sport::TreadmillRun
                | Sport::IndoorRide
                | Sport::PoolSwim
                | Sport::Strength
                | Sport::Rowing
        )
    }

    /// The families a filter may name instead of one sport: `run` is every
    /// kind of run, `ride` every kind of ride, `swim` pool and open water.
    pub const FAMILIES: [(&'static str, &'static [Sport]); 5] = [
        ("run", &[Sport::Run, Sport::TrailRun, Sport::TreadmillRun]),
        (
            "ride",
            &[
                Sport::Ride,
                Sport::MountainBike,
                Sport::Gravel,
                Sport::IndoorRide,
            ],
        ),
        ("swim", &[Sport::PoolSwim, Sport::OpenWaterSwim]),
        ("hike", &[Sport::Hike]),
        ("walk", &[Sport::Walk]),
    ];

    /// The sports a filter word names: a family (`run`, `ride`, `swim`,
    /// `hike`, `walk`) or one sport's id (`trail_run`, `indoor_ride`).
    /// `None` when the word is neither; [`Sport::filter_words`] lists them.
    pub fn matching(word: &str) -> Option<Vec<Sport>> {
        let norm = word.trim().to_ascii_lowercase().replace('-', "_");
        let alias = match norm.as_str() {
            "running" => "run",
            "cycling" | "bike" => "ride",
            "swimming" => "swim",
            "hiking" => "hike",
            "walking" => "walk",
            other => other,
        };
        if let Some((_, sports)) = Sport::FAMILIES.iter().find(|(f, _)| *f == alias) {
            return Some(sports.to_vec());
        }
        Sport::from_id(alias).map(|s| vec![s])
    }

    /// Every word [`Sport::matching`] accepts, families first, for messages.
    pub fn filter_words() -> String {
        let families = Sport::FAMILIES.iter().map(|(f, _)| *f);
        let sports = Sport::ALL
            .iter()
            .map(|s| s.id())
            .filter(|id| !Sport::FAMILIES.iter().any(|(f, _)| f == id));
        families.chain(sports).collect::<Vec<_>>().join(", ")
    }

    /// Whether this sport is a more specific kind of `general`: a trail run
    /// or treadmill run is a run; an indoor, mountain or gravel ride is a
    /// ride. A label that only says "Run" must not undo "trail run".
    pub fn refines(self, general: Sport) -> bool {
        match general {
            Sport::Run => matches!(self, Sport::TrailRun | Sport::TreadmillRun),
            Sport::Ride => matches!(
                self,
                Sport::IndoorRide | Sport::MountainBike | Sport::Gravel
            ),
            Sport::Walk => self == Sport::Hike,
            _ => false,
        }
    }

    /// Maps FIT `sport` and `sub_sport` enum values (FIT profile, types `sport`
    /// and `sub_sport`).
    pub fn from_fit(sport: Option<u8>, sub_sport: Option<u8>) -> Sport {
        match (sport, sub_sport) {
            // running: treadmill 1, street 2, trail 3, track 4, indoor_running 45, virtual 58
            (Some(1), Some(1)) | (Some(1), Some(45)) => Sport::TreadmillRun,
            (Some(1), Some(3)) => Sport::TrailRun,
            (Some(1), _) => Sport::Run,
            // cycling: spin 5, indoor_cycling 6, mountain 8, downhill 9, cyclocross 11,
            // virtual_activity 58, gravel_cycling 46
            (Some(2), Some(5 | 6 | 58)) => Sport::IndoorRide,
            (Some(2), Some(8 | 9)) => Sport::MountainBike,
            (Some(2), Some(11 | 46)) => Sport::Gravel,
            (Some(2), _) => Sport::Ride,
            // fitness_equipment 4: indoor_rowing 14, indoor_cycling 6, treadmill 1, strength 20
            (Some(4), Some(14)) => Sport::Rowing,
            (Some(4), Some(6 | 5)) => Sport::IndoorRide,
            (Some(4), Some(1)) => Sport::TreadmillRun,
            (Some(4), Some(20)) => Sport::Strength,
            // swimming 5: lap_swimming 17, open_water 18
            (Some(5), Some(18)) => Sport::OpenWaterSwim,
            (Some(5), _) => Sport::PoolSwim,
            // training 10 with strength_training 20
            (Some(10), Some(20)) => Sport::Strength,
            // walking 11: indoor_walking 27 is still walking
            (Some(11), _) => Sport::Walk,
            (Some(15), _) => Sport::Rowing,
            // mountaineering 16, hiking 17
            (Some(16 | 17), _) => Sport::Hike,
            // e_biking 21: e_bike_mountain 47
            (Some(21), Some(47)) => Sport::MountainBike,
            (Some(21), _) => Sport::Ride,
            _ => Sport::Other,
        }
    }

    /// Maps free-text activity types from GPX `<type>`, TCX `Sport` and Strava
    /// exports ("Running", "Trail Run", "hiking", "9", …).
    pub fn from_text(text: &str) -> Sport {
        let t: String = text
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        match t.as_str() {
            "run" | "running" | "jog" | "jogging" | "roadrun" | "roadrunning" | "streetrunning"
            | "trackrunning" | "virtualrun" | "9" => Sport::Run,
            "trailrun" | "trailrunning" | "mountainrun" => Sport::TrailRun,
            "treadmill" | "treadmillrun" | "treadmillrunning" | "indoorrun" | "indoorrunning" => {
                Sport::TreadmillRun
            }
            "walk" | "walking" | "10" => Sport::Walk,
            "hike" | "hiking" | "trekking" | "mountaineering" | "4" => Sport::Hike,
            "ride" | "biking" | "bike" | "cycling" | "roadcycling" | "roadbiking" | "ebikeride"
            | "1" => Sport::Ride,
            "mountainbikeride" | "mountainbiking" | "mtb" | "mountainbike"
            | "emountainbikeride" => Sport::MountainBike,
            "gravelride" | "gravel" | "gravelcycling" | "cyclocross" => Sport::Gravel,
            "virtualride" | "indoorcycling" | "indoorride" | "spinning" | "velomobile" => {
                Sport::IndoorRide
            }
            "swim" | "swimming" | "poolswim" | "lapswimming" => Sport::PoolSwim,
            "openwaterswim" | "openwater" | "openwaterswimming" => Sport::OpenWaterSwim,
            "weighttraining" | "strength" | "strengthtraining" | "workout" | "crossfit" => {
                Sport::Strength
            }
            "rowing" | "row" | "indoorrowing" | "kayaking" | "canoeing" => Sport::Rowing,
            _ => Sport::Other,
        }
    }
}

/// FIT `sport` enum names (FIT profile, type `sport`), for `original_sport`.
pub fn fit_sport_name(value: u8) -> Option<&'static str> {
    const NAMES: [&str; 54] = [
        "generic",
        "running",
        "cycling",
        "transition",
        "fitness_equipment",
        "swimming",
        "basketball",
        "soccer",
        "tennis",
        "american_football",
        "training",
        "walking",
        "cross_country_skiing",
        "alpine_skiing",
        "snowboarding",
        "rowing",
        "mountaineering",
        "hiking",
        "multisport",
        "paddling",
        "flying",
        "e_biking",
        "motorcycling",
        "boating",
        "driving",
        "golf",
        "hang_gliding",
        "horseback_riding",
        "hunting",
        "fishing",
        "inline_skating",
        "rock_climbing",
        "sailing",
        "ice_skating",
        "sky_diving",
        "snowshoeing",
        "jetskiing",
        "kayaking",
        "rafting",
        "windsurfing",
        "kitesurfing",
        "tactical",
        "jumpmaster",
        "boxing",
        "floor_climbing",
        "baseball",
        "unknown_46",
        "softball_fast_pitch",
        "softball_slow_pitch",
        "unknown_49",
        "unknown_50",
        "unknown_51",
        "unknown_52",
        "diving",
    ];
    NAMES.get(value as usize).copied()
}

/// FIT `sub_sport` enum names (FIT profile, type `sub_sport`), for `original_sport`.
pub fn fit_sub_sport_name(value: u8) -> Option<&'static str> {
    const NAMES: [&str; 59] = [
        "generic",
        "treadmill",
        "street",
        "trail",
        "track",
        "spin",
        "indoor_cycling",
        "road",
        "mountain",
        "downhill",
        "recumbent",
        "cyclocross",
        "hand_cycling",
        "track_cycling",
        "indoor_rowing",
        "elliptical",
        "stair_climbing",
        "lap_swimming",
        "open_water",
        "flexibility_training",
        "strength_training",
        "warm_up",
        "match",
        "exercise",
        "challenge",
        "indoor_skiing",
        "cardio_training",
        "indoor_walking",
        "e_bike_fitness",
        "bmx",
        "casual_walking",
        "speed_walking",
        "bike_to_run_transition",
        "run_to_bike_transition",
        "swim_to_bike_transition",
        "atv",
        "motocross",
        "backcountry",
        "resort",
        "rc_drone",
        "wingsuit",
        "whitewater",
        "skate_skiing",
        "yoga",
        "pilates",
        "indoor_running",
        "gravel_cycling",
        "e_bike_mountain",
        "commuting",
        "mixed_surface",
        "navigate",
        "track_me",
        "map",
        "single_gas_diving",
        "multi_gas_diving",
        "gauge_diving",
        "apnea_diving",
        "apnea_hunting",
        "virtual_activity",
    ];
    NAMES.get(value as usize).copied()
}

impl std::fmt::Display for Sport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for s in Sport::ALL {
            assert_eq!(Sport::from_id(s.id()), Some(s));
        }
        assert_eq!(Sport::from_id("trail-run"), Some(Sport::TrailRun));
    }

    #[test]
    fn fit_enums_map() {
        assert_eq!(Sport::from_fit(Some(1), Some(3)), Sport::TrailRun);
        assert_eq!(Sport::from_fit(Some(2), Some(58)), Sport::IndoorRide);
        assert_eq!(Sport::from_fit(Some(4), Some(14)), Sport::Rowing);
        assert_eq!(Sport::from_fit(Some(11), None), Sport::Walk);
        assert_eq!(Sport::from_fit(None, None), Sport::Other);
        assert_eq!(Sport::from_fit(Some(17), Some(0)), Sport::Hike);
        assert_eq!(fit_sport_name(17), Some("hiking"));
        assert_eq!(fit_sub_sport_name(58), Some("virtual_activity"));
    }

    #[test]
    fn text_types_map() {
        assert_eq!(Sport::from_text("Running"), Sport::Run);
        assert_eq!(Sport::from_text("Trail Run"), Sport::TrailRun);
        assert_eq!(Sport::from_text("Hike"), Sport::Hike);
        assert_eq!(Sport::from_text("VirtualRide"), Sport::IndoorRide);
        assert_eq!(Sport::from_text("Biking"), Sport::Ride);
        assert_eq!(Sport::from_text("Stand Up Paddling"), Sport::Other);
    }

    #[test]
    fn filter_words_name_families_and_sports() {
        assert_eq!(
            Sport::matching("run").unwrap(),
            vec![Sport::Run, Sport::TrailRun, Sport::TreadmillRun]
        );
        assert_eq!(Sport::matching("Trail-Run").unwrap(), vec![Sport::TrailRun]);
        assert_eq!(Sport::matching("cycling").unwrap().len(), 4);
        assert!(Sport::matching("runn").is_none());
        let words = Sport::filter_words();
        assert!(words.starts_with("run, ride, swim, hike, walk, trail_run"));
        for word in words.split(", ") {
            assert!(Sport::matching(word).is_some(), "{word}");
        }
    }
}
