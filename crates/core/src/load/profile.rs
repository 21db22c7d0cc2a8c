//! The athlete's profile, dated: every threshold has the value in force on
//! the day of an activity. Missing values are estimated from the data where a
//! documented method exists, or fall back to a stated default.

use super::hr::Sex;
use serde::{Deserialize, Serialize};

/// What the profile holds. Units: bpm, W, s per km, kg, year; sex as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKey {
    MaxHr,
    RestingHr,
    /// Lactate-threshold heart rate for running and other sports on foot.
    LthrRun,
    /// Lactate-threshold heart rate on the bike.
    LthrRide,
    Ftp,
    /// Threshold running pace, s per km.
    ThresholdPace,
    BodyMass,
    Sex,
    BirthYear,
    /// Default pack mass for hikes and walks.
    PackMass,
}

impl ProfileKey {
    pub const ALL: [ProfileKey; 10] = [
        ProfileKey::MaxHr,
        ProfileKey::RestingHr,
        ProfileKey::LthrRun,
        ProfileKey::LthrRide,
        ProfileKey::Ftp,
        ProfileKey::ThresholdPace,
        ProfileKey::BodyMass,
        ProfileKey::Sex,
        ProfileKey::BirthYear,
        ProfileKey::PackMass,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ProfileKey::MaxHr => "max_hr",
            ProfileKey::RestingHr => "resting_hr",
            ProfileKey::LthrRun => "lthr_run",
            ProfileKey::LthrRide => "lthr_ride",
            ProfileKey::Ftp => "ftp",
            ProfileKey::ThresholdPace => "threshold_pace",
            ProfileKey::BodyMass => "body_mass",
            ProfileKey::Sex => "sex",
            ProfileKey::BirthYear => "birth_year",
            ProfileKey::PackMass => "pack_mass",
        }
    }

    pub fn from_id(text: &str) -> Option<ProfileKey> {
        let t = text.trim().to_ascii_lowercase().replace('-', "_");
        ProfileKey::ALL.into_iter().find(|k| k.id() == t)
    }

    pub fn unit(self) -> &'static str {
        match self {
            ProfileKey::MaxHr
            | ProfileKey::RestingHr
            | ProfileKey::LthrRun
            | ProfileKey::LthrRide => "bpm",
            ProfileKey::Ftp => "W",
            ProfileKey::ThresholdPace => "s/km",
            ProfileKey::BodyMass | ProfileKey::PackMass => "kg",
            ProfileKey::Sex => "",
            ProfileKey::BirthYear => "year",
        }
    }

    /// Parses a value as an athlete types it ("4:30/km", "7:15/mi", "72kg",
    /// "female"), rejecting what cannot be true (HR max 400, mass 0).
    pub fn parse(self, text: &str) -> Result<f64, String> {
        let t = text.trim().to_ascii_lowercase();
        let value = match self {
            ProfileKey::Sex => match t.as_str() {
                "female" | "f" | "woman" => 0.0,
                "male" | "m" | "man" => 1.0,
                _ => return Err(format!("sex: expected female or male, got '{text}'")),
            },
            ProfileKey::ThresholdPace => parse_pace(&t).ok_or_else(|| {
                format!("threshold_pace: expected a pace like 4:30/km or 7:15/mi, got '{text}'")
            })?,
            _ => {
                let digits =
                    t.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == ' ' || c == '/');
                let v: f64 = digits
                    .parse()
                    .map_err(|_| format!("{}: expected a number, got '{text}'", self.id()))?;
                if t.ends_with("lb") || t.ends_with("lbs") {
                    v * 0.453_592_37
                } else {
                    v
                }
            }
        };
        let (lo, hi) = self.valid_range();
        if !(lo..=hi).contains(&value) {
            return Err(format!(
                "{} {} is outside the plausible range {lo}–{hi} {}",
                self.id(),
                text.trim(),
                self.unit()
            ));
        }
        Ok(value)
    }

    /// Values outside this range are rejected as impossible.
    pub fn valid_range(self) -> (f64, f64) {
        match self {
            ProfileKey::MaxHr => (100.0, 230.0),
            ProfileKey::RestingHr => (25.0, 120.0),
            ProfileKey::LthrRun | ProfileKey::LthrRide => (80.0, 220.0),
            ProfileKey::Ftp => (30.0, 600.0),
            ProfileKey::ThresholdPace => (120.0, 900.0),
            ProfileKey::BodyMass => (25.0, 250.0),
            ProfileKey::Sex => (0.0, 1.0),
            ProfileKey::BirthYear => (1900.0, 2030.0),
            ProfileKey::PackMass => (0.0, 60.0),
        }
    }

    /// Displays a stored value the way it was meant.
    pub fn display(self, v: f64) -> String {
        match self {
            ProfileKey::Sex => if v >= 0.5 { "male" } else { "female" }.to_string(),
            ProfileKey::ThresholdPace => {
                format!("{}:{:02}/km", (v / 60.0) as u32, (v.round() as u32) % 60)
            }
            ProfileKey::BirthYear => format!("{v:.0}"),
            _ => format!("{v:.0} {}", self.unit()).trim().to_string(),
        }
    }
}

/// "4:30/km", "4:30", "7:15/mi", "270" (seconds per km).
fn parse_pace(t: &str) -> Option<f64> {
    let (body, per_mile) = if let Some(b) = t.strip_suffix("/mi") {
        (b, true)
    } else {
        (t.strip_suffix("/km").unwrap_or(t), false)
    };
    let secs = match body.split_once(':') {
        Some((m, s)) => m.trim().parse::<f64>().ok()? * 60.0 + s.trim().parse::<f64>().ok()?,
        None => body.trim().parse::<f64>().ok()?,
    };
    Some(if per_mile { secs / 1.609_344 } else { secs })
}

/// One value, in force from a local day (days since 1970-01-01) onwards;
/// `None` means "since always".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProfileEntry {
    pub key: ProfileKey,
    pub value: f64,
    #[serde(with = "crate::time::json::day_opt")]
    pub from_day: Option<i32>,
}

/// Where a threshold used in a computation came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Provenance {
    /// Set by the athlete (`cairn profile set`), in force since that day.
    Set {
        #[serde(with = "crate::time::json::day_opt")]
        from_day: Option<i32>,
    },
    /// Estimated from the athlete's data, with how.
    Estimated { how: String },
    /// A population default, used because nothing better is known.
    Default { why: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    pub value: f64,
    pub provenance: Provenance,
}

/// Values estimated from the data by the app (highest heart rates seen, best
/// efforts) and handed in; the domain does not read the archive itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Estimates {
    pub max_hr: Option<(f64, String)>,
    pub ftp: Option<(f64, String)>,
    pub threshold_pace: Option<(f64, String)>,
    pub body_mass: Option<(f64, String)>,
    pub resting_hr: Option<(f64, String)>,
}

/// The athlete's dated profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AthleteProfile {
    pub entries: Vec<ProfileEntry>,
}

impl AthleteProfile {
    /// The value set for `key` that is in force on `day`.
    pub fn set_value(&self, key: ProfileKey, day: i32) -> Option<ProfileEntry> {
        self.entries
            .iter()
            .filter(|e| e.key == key && e.from_day.is_none_or(|f| f <= day))
            .max_by_key(|e| e.from_day.unwrap_or(i32::MIN))
            .copied()
    }

    /// What would contradict the other set values if `entry` were added
    /// (replacing a value set for the same key and day), checked on the day
    /// it starts and on every later day another value starts: resting heart
    /// rate at least 20 bpm below the maximum (a smaller reserve makes every
    /// heart-rate load meaningless), each LTHR between resting and maximum,
    /// FTP no higher than the best 30-s power ever recorded
    /// (`best_30s_power`: watts, and where). Each message names the value it
    /// conflicts with and the day that value is in force from.
    pub fn contradictions_with(
        &self,
        entry: &ProfileEntry,
        best_30s_power: Option<(f64, String)>,
    ) -> Vec<String> {
        let mut profile = self.clone();
        profile
            .entries
            .retain(|e| !(e.key == entry.key && e.from_day == entry.from_day));
        profile.entries.push(*entry);
        let start = entry.from_day.unwrap_or(i32::MIN);
        let mut days: Vec<i32> = std::iter::once(start)
            .chain(
                profile
                    .entries
                    .iter()
                    .filter_map(|e| e.from_day)
                    .filter(|d| *d > start),
            )
            .collect();
        days.sort_unstable();
        days.dedup();
        let since = |e: &ProfileEntry| match e.from_day {
            Some(d) => format!(
                "{} {} (from {})",
                e.key.id(),
                e.key.display(e.value),
                super::session::day_text(d)
            ),
            None => format!("{} {}", e.key.id(), e.key.display(e.value)),
        };
        let mut out = Vec::new();
        for day in days {
            let get = |k: ProfileKey| profile.set_value(k, day);
            let (rest, max) = (get(ProfileKey::RestingHr), get(ProfileKey::MaxHr));
            if let (Some(r), Some(m)) = (rest, max) {
                if r.value > m.value - 20.0 {
                    out.push(format!(
                        "{} is not at least 20 bpm below {}: a heart-rate reserve that small makes every heart-rate load meaningless",
                        since(&r),
                        since(&m)
                    ));
                }
            }
            for lthr in [get(ProfileKey::LthrRun), get(ProfileKey::LthrRide)]
                .into_iter()
                .flatten()
            {
                if let Some(r) = rest.filter(|r| lthr.value <= r.value) {
                    out.push(format!("{} is not above {}", since(&lthr), since(&r)));
                }
                if let Some(m) = max.filter(|m| lthr.value >= m.value) {
                    out.push(format!("{} is not below {}", since(&lthr), since(&m)));
                }
            }
            if let (Some(ftp), Some((best, where_))) = (get(ProfileKey::Ftp), &best_30s_power) {
                if ftp.value > 1.1 * best {
                    out.push(format!(
                        "{} is above the best 30-s power ever recorded ({best:.0} W, {where_}): FTP is what can be held for about an hour",
                        since(&ftp)
                    ));
                }
            }
            if !out.is_empty() {
                out.dedup();
                break;
            }
        }
        out
    }

    fn set(&self, key: ProfileKey, day: i32) -> Option<Resolved> {
        self.set_value(key, day).map(|e| Resolved {
            value: e.value,
            provenance: Provenance::Set {
                from_day: e.from_day,
            },
        })
    }

    /// Every threshold on `day`: set, else estimated, else defaulted.
    pub fn thresholds(&self, day: i32, est: &Estimates) -> Thresholds {
        let estimated = |v: &Option<(f64, String)>| {
            v.as_ref().map(|(x, how)| Resolved {
                value: *x,
                provenance: Provenance::Estimated { how: how.clone() },
            })
        };
        let default = |x: f64, why: &str| Resolved {
            value: x,
            provenance: Provenance::Default {
                why: why.to_string(),
            },
        };
        let year = 1970 + day.div_euclid(365) as i64; // calendar year to within a day; enough for an age
        let age = self
            .set(ProfileKey::BirthYear, day)
            .map(|b| year as f64 - b.value);
        let max_hr = self
            .set(ProfileKey::MaxHr, day)
            .or_else(|| estimated(&est.max_hr))
            .or_else(|| {
                age.map(|a| Resolved {
                    value: (208.0 - 0.7 * a).round(),
                    provenance: Provenance::Estimated {
                        how: format!("Tanaka 2001: 208 − 0.7 × age {a:.0}"),
                    },
                })
            })
            .unwrap_or_else(|| default(185.0, "no heart-rate data and no birth year; set max_hr"));
        let resting_hr = self
            .set(ProfileKey::RestingHr, day)
            .or_else(|| estimated(&est.resting_hr))
            .unwrap_or_else(|| default(60.0, "typical adult value; set resting_hr"));
        let karvonen = |r: &Resolved| {
            Resolved {
            value: (resting_hr.value + 0.85 * (max_hr.value - resting_hr.value)).round(),
            provenance: Provenance::Estimated { how: format!("85 % of heart-rate reserve (Karvonen; as Elevate does) from max {:.0} and rest {:.0}", max_hr.value, r.value) },
        }
        };
        let lthr_run = self
            .set(ProfileKey::LthrRun, day)
            .unwrap_or_else(|| karvonen(&resting_hr));
        let lthr_ride = self
            .set(ProfileKey::LthrRide, day)
            .or_else(|| self.set(ProfileKey::LthrRun, day))
            .unwrap_or_else(|| karvonen(&resting_hr));
        let body_mass = self
            .set(ProfileKey::BodyMass, day)
            .or_else(|| estimated(&est.body_mass))
            .unwrap_or_else(|| default(70.0, "no body mass known; set body_mass"));
        let sex = self.set(ProfileKey::Sex, day).map(|s| {
            if s.value >= 0.5 {
                Sex::Male
            } else {
                Sex::Female
            }
        });
        Thresholds {
            max_hr,
            resting_hr,
            lthr_run,
            lthr_ride,
            ftp: self
                .set(ProfileKey::Ftp, day)
                .or_else(|| estimated(&est.ftp)),
            threshold_pace: self
                .set(ProfileKey::ThresholdPace, day)
                .or_else(|| estimated(&est.threshold_pace)),
            body_mass,
            sex_known: sex.is_some(),
            sex: sex.unwrap_or(Sex::Male),
            pack_mass: self
                .set(ProfileKey::PackMass, day)
                .unwrap_or_else(|| default(0.0, "no default pack set")),
        }
    }
}

/// The thresholds in force for one activity, each with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    pub max_hr: Resolved,
    pub resting_hr: Resolved,
    pub lthr_run: Resolved,
    pub lthr_ride: Resolved,
    pub ftp: Option<Resolved>,
    /// Seconds per km.
    pub threshold_pace: Option<Resolved>,
    pub body_mass: Resolved,
    pub sex: Sex,
    pub sex_known: bool,
    pub pack_mass: Resolved,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_value_in_force_on_the_day_is_used() {
        let p = AthleteProfile {
            entries: vec![
                ProfileEntry {
                    key: ProfileKey::Ftp,
                    value: 250.0,
                    from_day: None,
                },
                ProfileEntry {
                    key: ProfileKey::Ftp,
                    value: 280.0,
                    from_day: Some(20_000),
                },
            ],
        };
        let t = p.thresholds(19_999, &Estimates::default());
        assert_eq!(t.ftp.unwrap().value, 250.0);
        let t = p.thresholds(20_000, &Estimates::default());
        assert_eq!(t.ftp.unwrap().value, 280.0);
    }

    #[test]
    fn estimates_and_defaults_say_so() {
        let p = AthleteProfile {
            entries: vec![ProfileEntry {
                key: ProfileKey::BirthYear,
                value: 1986.0,
                from_day: None,
            }],
        };
        let t = p.thresholds(20_454, &Estimates::default()); // 2026
        assert_eq!(t.max_hr.value, 180.0); // Tanaka: 208 − 0.7 × 40
        assert!(matches!(t.max_hr.provenance, Provenance::Estimated { .. }));
        assert!(matches!(t.body_mass.provenance, Provenance::Default { .. }));
        // science.md §14 [C]: rest 50, max 190, k 0.70 → 148; here k = 0.85.
        assert_eq!(t.lthr_run.value, (60.0f64 + 0.85 * 120.0).round());
    }

    #[test]
    fn absurd_values_are_refused() {
        assert!(ProfileKey::MaxHr.parse("400").is_err());
        assert!(ProfileKey::BodyMass.parse("0").is_err());
        assert_eq!(ProfileKey::BodyMass.parse("72kg"), Ok(72.0));
        assert!((ProfileKey::BodyMass.parse("160 lb").unwrap() - 72.57).abs() < 0.01);
        assert_eq!(ProfileKey::ThresholdPace.parse("4:30/km"), Ok(270.0));
        assert!((ProfileKey::ThresholdPace.parse("7:15/mi").unwrap() - 270.3).abs() < 0.1);
        assert_eq!(ProfileKey::Sex.parse("female"), Ok(0.0));
        assert_eq!(ProfileKey::ThresholdPace.display(270.0), "4:30/km");
    }
}
