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

/// A distance: "21.1km", "13.1mi", "800m", "5k", "half", "marathon", or metres.
pub fn parse_distance_m(text: &str, what: &str) -> anyhow::Result<f64> {
    let t = text.trim().to_ascii_lowercase().replace(' ', "");
    let named = match t.as_str() {
        "half" | "halfmarathon" => Some(21_097.5),
        "marathon" => Some(42_195.0),
        "mile" => Some(METRES_PER_MILE),
        _ => None,
    };
    let parsed = named.or_else(|| {
        let (num, factor) = if let Some(n) = t.strip_suffix("km") {
            (n, 1000.0)
        } else if let Some(n) = t.strip_suffix('k') {
            (n, 1000.0)
        } else if let Some(n) = t.strip_suffix("mi") {
            (n, METRES_PER_MILE)
        } else {
            (t.strip_suffix('m').unwrap_or(&t), 1.0)
        };
        num.parse::<f64>().ok().map(|v| v * factor)
    });
    match parsed {
        Some(m) if m > 0.0 && m <= 1_000_000.0 => Ok(m),
        _ => Err(invalid(format!(
            "--{what} {text}: expected a distance like 21.1km, 13.1mi, 5k or half"
        ))),
    }
}

/// An altitude in metres: "1800", "1800m", "5900ft".
pub fn parse_altitude_m(text: &str, what: &str) -> anyhow::Result<f64> {
    let t = text.trim().to_ascii_lowercase();
    let (num, factor) = match t.strip_suffix("ft") {
        Some(n) => (n, 1.0 / FEET_PER_METRE),
        None => (t.strip_suffix('m').unwrap_or(&t), 1.0),
    };
    match num.trim().parse::<f64>().map(|v| v * factor) {
        Ok(m) if cairn_core::environment::altitude::PLAUSIBLE_ALTITUDE_M.contains(&m) => Ok(m),
        _ => Err(invalid(format!(
            "--{what} {text}: expected an altitude between -500 and 9000 m, like 1800m"
        ))),
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
        assert_eq!(parse_distance_m("21.1km", "d").unwrap(), 21_100.0);
        assert_eq!(parse_distance_m("half", "d").unwrap(), 21_097.5);
        assert_eq!(parse_distance_m("5k", "d").unwrap(), 5000.0);
        assert!((parse_distance_m("13.1mi", "d").unwrap() - 21_082.4).abs() < 0.1);
        assert!(parse_distance_m("far", "d").is_err());
        assert_eq!(parse_altitude_m("1800m", "a").unwrap(), 1800.0);
        assert!(parse_altitude_m("12000", "a").is_err());
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
