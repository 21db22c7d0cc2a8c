//! Display units: SI inside, metric or imperial on screen (JSON stays SI).
//! Shared by the CLI and the web pages, so both print the same numbers.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Units {
    Metric,
    Imperial,
}

pub const METRES_PER_MILE: f64 = 1609.344;
pub const FEET_PER_METRE: f64 = 3.280_839_895;

impl Units {
    /// The word settings and flags use.
    pub fn id(self) -> &'static str {
        match self {
            Units::Metric => "metric",
            Units::Imperial => "imperial",
        }
    }

    pub fn from_id(text: &str) -> Option<Units> {
        match text.trim().to_ascii_lowercase().as_str() {
            "metric" | "si" => Some(Units::Metric),
            "imperial" => Some(Units::Imperial),
            _ => None,
        }
    }

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

impl Units {
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
    pub fn elevation_m(self, text: &str) -> Option<f64> {
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

/// A duration, "1:52:00", "52:10" or "1h52", in seconds; `None` unless it
/// is one and longer than zero.
pub fn clock_s(text: &str) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    let hours = t.contains('h');
    let parts: Vec<&str> = if hours {
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
        .ok()?;
    let s = match (hours, nums.as_slice()) {
        (true, [h, m]) => h * 3600.0 + m * 60.0,
        (false, [m, s]) => m * 60.0 + s,
        (false, [h, m, s]) => h * 3600.0 + m * 60.0 + s,
        _ => return None,
    };
    (s > 0.0 && s.is_finite()).then_some(s)
}

/// `v` with its sign to `decimals` places: "+3", "-0.4", and a value that
/// rounds to zero as plain "0" (never "-0" or "+0.0").
pub fn signed(v: f64, decimals: usize) -> String {
    let scale = 10f64.powi(decimals as i32);
    // `+ 0.0` turns the -0 of rounding a small negative into 0.
    let r = (v * scale).round() / scale + 0.0;
    if !r.is_finite() {
        return "-".into();
    }
    if r == 0.0 {
        format!("{:.*}", decimals, 0.0)
    } else {
        format!("{r:+.decimals$}")
    }
}

#[cfg(test)]
mod signed_tests {
    use super::signed;
    use proptest::prelude::*;

    #[test]
    fn small_values_read_as_zero_without_a_sign() {
        assert_eq!(signed(-0.3, 0), "0");
        assert_eq!(signed(-0.04, 1), "0.0");
        assert_eq!(signed(0.0, 0), "0");
        assert_eq!(signed(2.6, 0), "+3");
        assert_eq!(signed(-2.44, 1), "-2.4");
    }

    proptest! {
        /// Never "-0" or "+0.0", and the text reads back to within half a
        /// unit of its last place.
        #[test]
        fn a_signed_value_is_never_a_signed_zero(v in -1e6f64..1e6, decimals in 0usize..4) {
            let t = signed(v, decimals);
            let back: f64 = t.parse().unwrap();
            prop_assert!(!(back == 0.0 && (t.starts_with('-') || t.starts_with('+'))), "{}", t);
            prop_assert!((back - v).abs() <= 0.5 / 10f64.powi(decimals as i32) + 1e-9, "{} for {}", t, v);
        }
    }
}
