//! Display units (cairn_app::units) and reading numbers typed with or
//! without their unit.

pub use cairn_app::units::*;

/// A user-input error: exit code 2 and the message as given.
pub(crate) fn invalid(msg: String) -> anyhow::Error {
    cairn_app::AppError::Invalid(msg).into()
}

/// How a number typed without a unit is read: in the display units
/// (`--units`), so `--distance 14` is 14 km, or 14 mi under imperial;
/// a unit typed with the number always wins (`14km`, `8.7mi`, `1100m`,
/// `3600ft`, `9kg`, `20lb`). Temperatures given as plain numbers (clap
/// flags) are °C, or °F under imperial.
pub trait UnitsInput {
    /// A distance: "21.1km", "13.1mi", "800m", "5k", "half", "marathon", or
    /// a bare number in km (mi).
    fn parse_distance_m(self, text: &str, what: &str) -> anyhow::Result<f64>;
    /// An altitude or a climb: "1800m", "5900ft", or a bare number in m (ft).
    fn parse_altitude_m(self, text: &str, what: &str) -> anyhow::Result<f64>;
    /// A climb or descent of a session: like an altitude, 0–30,000 m.
    fn parse_climb_m(self, text: &str, what: &str) -> anyhow::Result<f64>;
    /// A mass carried: "9kg", "20lb", or a bare number in kg (lb); 0–60 kg.
    fn parse_mass_kg(self, text: &str, what: &str) -> anyhow::Result<f64>;
}

impl UnitsInput for Units {
    /// A distance: "21.1km", "13.1mi", "800m", "5k", "half", "marathon", or
    /// a bare number in km (mi).
    fn parse_distance_m(self, text: &str, what: &str) -> anyhow::Result<f64> {
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
    fn parse_altitude_m(self, text: &str, what: &str) -> anyhow::Result<f64> {
        match self.elevation_m(text) {
            Some(m) if cairn_core::environment::altitude::PLAUSIBLE_ALTITUDE_M.contains(&m) => Ok(m),
            _ => Err(invalid(format!(
                "--{what} {text}: expected an altitude between -500 and 9000 m (-1640 and 29528 ft), like 1800m or 5900ft"
            ))),
        }
    }

    /// A climb or descent of a session: like an altitude, 0–30,000 m.
    fn parse_climb_m(self, text: &str, what: &str) -> anyhow::Result<f64> {
        match self.elevation_m(text) {
            Some(m) if (0.0..=30_000.0).contains(&m) => Ok(m),
            _ => Err(invalid(format!(
                "--{what} {text}: expected a climb like 1100m or 3600ft (a bare number is {})",
                self.elevation_unit()
            ))),
        }
    }

    /// A mass carried: "9kg", "20lb", or a bare number in kg (lb); 0–60 kg.
    fn parse_mass_kg(self, text: &str, what: &str) -> anyhow::Result<f64> {
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
    clock_s(text).ok_or_else(|| {
        invalid(format!(
            "--{what} {text}: expected a time like 1:52:00 or 52:10"
        ))
    })
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
