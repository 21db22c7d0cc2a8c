//! Display units: SI inside, metric or imperial on screen (JSON stays SI).

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Units {
    Metric,
    Imperial,
}

pub const METRES_PER_MILE: f64 = 1609.344;
const FEET_PER_METRE: f64 = 3.280_839_895;

impl Units {
    pub fn distance(self, m: Option<f64>) -> String {
        match (self, m) {
            (_, None) => "-".into(),
            (Units::Metric, Some(m)) => format!("{:.2} km", m / 1000.0),
            (Units::Imperial, Some(m)) => format!("{:.2} mi", m / METRES_PER_MILE),
        }
    }

    pub fn elevation(self, m: Option<f64>) -> String {
        // Adding 0.0 turns a -0 into 0, so a flat split never shows "-0 m".
        match (self, m) {
            (_, None) => "-".into(),
            (Units::Metric, Some(m)) => format!("{:.0} m", m.round() + 0.0),
            (Units::Imperial, Some(m)) => format!("{:.0} ft", (m * FEET_PER_METRE).round() + 0.0),
        }
    }

    pub fn split_length_m(self) -> f64 {
        match self {
            Units::Metric => 1000.0,
            Units::Imperial => METRES_PER_MILE,
        }
    }

    /// How athletes read speed in their sport: km/h or mph on wheels, time per
    /// 100 m (or 100 yd) in water, time per km (or mile) on foot.
    pub fn for_sport(self, sport: &str, mps: Option<f64>) -> String {
        match cairn_core::model::Sport::from_id(sport) {
            Some(s) if s.is_cycling() => self.pace_or_speed(mps, true),
            Some(cairn_core::model::Sport::PoolSwim | cairn_core::model::Sport::OpenWaterSwim) => {
                let Some(v) = mps.filter(|v| *v > 0.0 && v.is_finite()) else {
                    return "-".into();
                };
                match self {
                    Units::Metric => format!("{}/100m", clock(100.0 / v)),
                    Units::Imperial => format!("{}/100yd", clock(91.44 / v)),
                }
            }
            _ => self.pace_or_speed(mps, false),
        }
    }

    /// Pace for sports on foot and in water, speed for wheels.
    pub fn pace_or_speed(self, mps: Option<f64>, as_speed: bool) -> String {
        let Some(v) = mps.filter(|v| *v > 0.0 && v.is_finite()) else {
            return "-".into();
        };
        match (self, as_speed) {
            (Units::Metric, true) => format!("{:.1} km/h", v * 3.6),
            (Units::Imperial, true) => format!("{:.1} mph", v * 3600.0 / METRES_PER_MILE),
            (Units::Metric, false) => format!("{}/km", clock(1000.0 / v)),
            (Units::Imperial, false) => format!("{}/mi", clock(METRES_PER_MILE / v)),
        }
    }
}

/// `h:mm:ss`, or `m:ss` under an hour.
pub fn clock(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "-".into();
    }
    let s = seconds.round() as u64;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

pub fn duration(seconds: Option<f64>) -> String {
    seconds.map(clock).unwrap_or_else(|| "-".into())
}

/// A user-input error: exit code 2 and the message as given.
pub(crate) fn invalid(msg: String) -> anyhow::Error {
    cairn_app::AppError::Invalid(msg).into()
}

/// How a number typed without a unit is read: in the display units
/// (`--units`), so `--distance 14` is 14 km, or 14 mi under imperial;
/// a unit typed with the number always wins (`14km`, `8.7mi`, `1100m`,
/// `3600ft`, `9kg`, `20lb`). Temperatures given as plain numbers (clap
/// flags) are °C, or °F under imperial.
impl Units {
    /// A distance: "21.1km", "13.1mi", "800m", "5k", "half", "marathon", or
    /// a bare number in km (mi).
    pub fn parse_distance_m(self, text: &str, what: &str) -> anyhow::Result<f64> {
        let t = text.trim().to_ascii_lowercase().replace(' ', "");
        let named = match t.as_str() {
            "half" | "halfmarathon" => Some(21_097.5),
            "marathon" => Some(42_195.0),
            "mile" => Some(METRES_PER_MILE),
            _ => None,
        };
        let bare = match self {
            Units::Metric => 1000.0,
            Units::Imperial => METRES_PER_MILE,
        };
        let parsed = named.or_else(|| {
            let (num, factor) = if let Some(n) = t.strip_suffix("km") {
                (n, 1000.0)
            } else if let Some(n) = t.strip_suffix('k') {
                (n, 1000.0)
            } else if let Some(n) = t.strip_suffix("mi") {
                (n, METRES_PER_MILE)
            } else if let Some(n) = t.strip_suffix('m') {
                (n, 1.0)
            } else {
                (t.as_str(), bare)
            };
            num.parse::<f64>().ok().map(|v| v * factor)
        });
        match parsed {
            Some(m) if m > 0.0 && m <= 1_000_000.0 => Ok(m),
            _ => Err(invalid(format!(
                "--{what} {text}: expected a distance like 21.1km, 13.1mi, 800m, 5k or half (a bare number is {})",
                self.distance_unit()
            ))),
        }
    }

    /// An altitude or a climb: "1800m", "5900ft", or a bare number in m (ft).
    pub fn parse_altitude_m(self, text: &str, what: &str) -> anyhow::Result<f64> {
        match self.elevation_m(text) {
            Some(m) if cairn_core::environment::altitude::PLAUSIBLE_ALTITUDE_M.contains(&m) => Ok(m),
            _ => Err(invalid(format!(
                "--{what} {text}: expected an altitude between -500 and 9000 m (-1640 and 29528 ft), like 1800m or 5900ft"
            ))),
        }
    }

    /// A climb or descent of a session: like an altitude, 0–30,000 m.
    pub fn parse_climb_m(self, text: &str, what: &str) -> anyhow::Result<f64> {
        match self.elevation_m(text) {
            Some(m) if (0.0..=30_000.0).contains(&m) => Ok(m),
            _ => Err(invalid(format!(
                "--{what} {text}: expected a climb like 1100m or 3600ft (a bare number is {})",
                self.elevation_unit()
            ))),
        }
    }

    /// A mass carried: "9kg", "20lb", or a bare number in kg (lb); 0–60 kg.
    pub fn parse_mass_kg(self, text: &str, what: &str) -> anyhow::Result<f64> {
        let t = text.trim().to_ascii_lowercase();
        let bad = || invalid(format!("--{what} {text}: expected a mass like 9kg or 20lb"));
        let (num, factor) = if let Some(n) = t.strip_suffix("lbs").or_else(|| t.strip_suffix("lb"))
        {
            (n, KG_PER_POUND)
        } else if let Some(n) = t.strip_suffix("kg") {
            (n, 1.0)
        } else {
            (
                t.as_str(),
                match self {
                    Units::Metric => 1.0,
                    Units::Imperial => KG_PER_POUND,
                },
            )
        };
        let v: f64 = num.trim().parse().map_err(|_| bad())?;
        if !(0.0..=60.0).contains(&(v * factor)) {
            return Err(invalid(format!(
                "--{what} {text}: outside 0–60 kg (0–132 lb)"
            )));
        }
        Ok(v * factor)
    }

    /// A temperature typed as a number, in °C: °F under imperial.
    pub fn temperature_input(self, v: Option<f64>) -> Option<f64> {
        v.map(|v| match self {
            Units::Metric => v,
            Units::Imperial => (v - 32.0) * 5.0 / 9.0,
        })
    }

    pub fn temperature(self, c: Option<f64>) -> String {
        match (self, c) {
            (_, None) => "-".into(),
            (Units::Metric, Some(c)) => format!("{:.0} °C", c.round() + 0.0),
            (Units::Imperial, Some(c)) => format!("{:.0} °F", (c * 9.0 / 5.0 + 32.0).round() + 0.0),
        }
    }

    /// A difference of temperature (no offset): 4 °C is 7 °F.
    pub fn temperature_change(self, c: f64) -> String {
        match self {
            Units::Metric => format!("{c:.0} °C"),
            Units::Imperial => format!("{:.0} °F", c * 9.0 / 5.0),
        }
    }

    pub fn mass(self, kg: Option<f64>) -> String {
        match (self, kg) {
            (_, None) => "-".into(),
            (Units::Metric, Some(kg)) => format!("{} kg", trim_number(kg, 1)),
            (Units::Imperial, Some(kg)) => format!("{} lb", trim_number(kg / KG_PER_POUND, 1)),
        }
    }

    pub fn distance_unit(self) -> &'static str {
        match self {
            Units::Metric => "km",
            Units::Imperial => "mi",
        }
    }

    pub fn elevation_unit(self) -> &'static str {
        match self {
            Units::Metric => "m",
            Units::Imperial => "ft",
        }
    }

    /// "1800m", "5900ft", or a bare number in m (ft), as metres.
    fn elevation_m(self, text: &str) -> Option<f64> {
        let t = text.trim().to_ascii_lowercase();
        let bare = match self {
            Units::Metric => 1.0,
            Units::Imperial => 1.0 / FEET_PER_METRE,
        };
        let (num, factor) = if let Some(n) = t.strip_suffix("ft") {
            (n, 1.0 / FEET_PER_METRE)
        } else if let Some(n) = t.strip_suffix('m') {
            (n, 1.0)
        } else {
            (t.as_str(), bare)
        };
        num.trim().parse::<f64>().ok().map(|v| v * factor)
    }
}

pub const KG_PER_POUND: f64 = 0.453_592_37;

/// A number with at most `decimals` decimals and no trailing zeros.
pub fn trim_number(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// A session length: "45min", "45", "1h30", "2h".
pub fn parse_minutes_s(text: &str, what: &str) -> anyhow::Result<f64> {
    let t = text.trim().to_ascii_lowercase().replace(' ', "");
    let bad = || {
        invalid(format!(
            "--{what} {text}: expected a length like 45min, 1h30 or 2h"
        ))
    };
    let s = if let Some((h, m)) = t.split_once('h') {
        let m = m.trim_end_matches("min");
        let h: f64 = h.parse().map_err(|_| bad())?;
        let m: f64 = if m.is_empty() {
            0.0
        } else {
            m.parse().map_err(|_| bad())?
        };
        h * 3600.0 + m * 60.0
    } else {
        t.trim_end_matches("min")
            .parse::<f64>()
            .map_err(|_| bad())?
            * 60.0
    };
    if (60.0..=24.0 * 3600.0).contains(&s) {
        Ok(s)
    } else {
        Err(bad())
    }
}

/// A duration: "1:52:00", "52:10", "1h52".
pub fn parse_clock_s(text: &str, what: &str) -> anyhow::Result<f64> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || {
        invalid(format!(
            "--{what} {text}: expected a time like 1:52:00 or 52:10"
        ))
    };
    let parts: Vec<&str> = if t.contains('h') {
        t.trim_end_matches("min").split('h').collect()
    } else {
        t.split(':').collect()
    };
    let nums: Vec<f64> = parts
        .iter()
        .map(|p| {
            if p.is_empty() {
                Ok(0.0)
            } else {
                p.parse::<f64>()
            }
        })
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let s = match (t.contains('h'), nums.as_slice()) {
        (true, [h, m]) => h * 3600.0 + m * 60.0,
        (false, [m, s]) => m * 60.0 + s,
        (false, [h, m, s]) => h * 3600.0 + m * 60.0 + s,
        _ => return Err(bad()),
    };
    if s > 0.0 {
        Ok(s)
    } else {
        Err(bad())
    }
}

/// A pace, "5:20/km" or "8:35/mi", as m/s.
pub fn parse_pace_mps(text: &str, what: &str) -> anyhow::Result<f64> {
    let t = text.trim().to_ascii_lowercase();
    let (clock, per_m) = if let Some(c) = t.strip_suffix("/km") {
        (c, 1000.0)
    } else if let Some(c) = t.strip_suffix("/mi") {
        (c, METRES_PER_MILE)
    } else {
        return Err(invalid(format!(
            "--{what} {text}: expected a pace like 5:20/km or 8:35/mi"
        )));
    };
    Ok(per_m / parse_clock_s(clock, what)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_athletes_type() {
        let (m, i) = (Units::Metric, Units::Imperial);
        assert_eq!(m.parse_distance_m("21.1km", "d").unwrap(), 21_100.0);
        assert_eq!(m.parse_distance_m("half", "d").unwrap(), 21_097.5);
        assert_eq!(m.parse_distance_m("5k", "d").unwrap(), 5000.0);
        assert_eq!(m.parse_distance_m("800m", "d").unwrap(), 800.0);
        assert!((m.parse_distance_m("13.1mi", "d").unwrap() - 21_082.4).abs() < 0.1);
        assert!(m.parse_distance_m("far", "d").is_err());
        // A bare number is in the display unit; a written unit wins.
        assert_eq!(m.parse_distance_m("14", "d").unwrap(), 14_000.0);
        assert_eq!(i.parse_distance_m("1", "d").unwrap(), METRES_PER_MILE);
        assert_eq!(i.parse_distance_m("10km", "d").unwrap(), 10_000.0);
        assert_eq!(m.parse_altitude_m("1800m", "a").unwrap(), 1800.0);
        assert_eq!(m.parse_altitude_m("1800", "a").unwrap(), 1800.0);
        assert!((i.parse_altitude_m("8000", "a").unwrap() - 2438.4).abs() < 0.01);
        assert_eq!(i.parse_altitude_m("2000m", "a").unwrap(), 2000.0);
        assert!(m.parse_altitude_m("12000", "a").is_err());
        assert!((i.parse_mass_kg("20", "p").unwrap() - 9.071_847_4).abs() < 1e-6);
        assert_eq!(i.parse_mass_kg("9kg", "p").unwrap(), 9.0);
        assert_eq!(m.parse_mass_kg("9", "p").unwrap(), 9.0);
        assert!(m.parse_mass_kg("70", "p").is_err());
        assert!((i.temperature_input(Some(68.0)).unwrap() - 20.0).abs() < 1e-12);
        assert_eq!(i.temperature(Some(20.0)), "68 °F");
        assert_eq!(i.mass(Some(9.071_847_4)), "20 lb");
        assert_eq!(i.parse_climb_m("3280.84", "a").unwrap().round(), 1000.0);
        assert_eq!(parse_clock_s("1:52:00", "t").unwrap(), 6720.0);
        assert_eq!(parse_clock_s("1h52", "t").unwrap(), 6720.0);
        assert_eq!(parse_clock_s("52:10", "t").unwrap(), 3130.0);
        assert!((parse_pace_mps("5:20/km", "p").unwrap() - 1000.0 / 320.0).abs() < 1e-12);
        assert!(parse_pace_mps("5:20", "p").is_err());
    }

    #[test]
    fn formats() {
        assert_eq!(clock(461.0), "7:41");
        assert_eq!(clock(3725.0), "1:02:05");
        assert_eq!(
            Units::Imperial.pace_or_speed(Some(METRES_PER_MILE / 461.0), false),
            "7:41/mi"
        );
        assert_eq!(Units::Metric.pace_or_speed(Some(10.0), true), "36.0 km/h");
        assert_eq!(Units::Metric.distance(None), "-");
        assert_eq!(Units::Metric.for_sport("pool_swim", Some(1.0)), "1:40/100m");
        assert_eq!(Units::Metric.for_sport("ride", Some(10.0)), "36.0 km/h");
        assert_eq!(Units::Imperial.elevation(Some(1800.0)), "5906 ft");
        assert_eq!(Units::Metric.elevation(Some(-0.3)), "0 m");
    }
}
