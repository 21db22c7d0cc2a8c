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
        match (self, m) {
            (_, None) => "-".into(),
            (Units::Metric, Some(m)) => format!("{m:.0} m"),
            (Units::Imperial, Some(m)) => format!("{:.0} ft", m * FEET_PER_METRE),
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
