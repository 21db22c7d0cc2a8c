//! The athlete's own training zones, from lactate-threshold heart rate.
//!
//! Friel J. *Quick guide to setting zones* (science.md §14): run zones at
//! < 85, 85–89, 90–94, 95–99, 100–102 (5a), 103–106 (5b) % of run LTHR; bike
//! zones at < 81, 81–89, 90–93, 94–99, 100–102, 103–106 % of bike LTHR. Friel's
//! tables are integer bpm: each zone's upper edge is `round(% × LTHR)` and the
//! next zone starts one beat above, which reproduces the worked example of
//! science.md (LTHR 165: Z1 ≤ 140, Z2 141–147, Z3 148–155, Z4 156–163).
//! Power ranges for rides follow Coggan's zones on FTP (science.md §14):
//! edges 0.55, 0.75, 0.90, 1.05, 1.20 of FTP.

use crate::load::hr::{hrss, trimp_constant, Sex};
use serde::{Deserialize, Serialize};

/// An intensity zone: 1 recovery, 2 aerobic ("zone 2"), 3 tempo,
/// 4 threshold, 5 above threshold (Friel 5a–5b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Zone {
    Z1,
    Z2,
    Z3,
    Z4,
    Z5,
}

impl Zone {
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// How much one second at this zone counts towards a week's intensity:
    /// zone 3 half, zone 4 one, zone 5 one and a half; zones 1–2 none.
    pub fn intensity_weight(self) -> f64 {
        match self {
            Zone::Z1 | Zone::Z2 => 0.0,
            Zone::Z3 => 0.5,
            Zone::Z4 => 1.0,
            Zone::Z5 => 1.5,
        }
    }
}

/// Friel's upper edges (fraction of LTHR) of zones 1–5 (5 = 5b).
const RUN_EDGES: [f64; 5] = [0.85, 0.89, 0.94, 0.99, 1.06];
const BIKE_EDGES: [f64; 5] = [0.81, 0.89, 0.93, 0.99, 1.06];
/// Coggan's power edges (fraction of FTP) of zones 1–5.
const POWER_EDGES: [f64; 6] = [0.0, 0.55, 0.75, 0.90, 1.05, 1.20];
/// Where inside a zone the planned load is taken, as a fraction of LTHR.
/// Zone 1 has no lower edge in Friel's table; 0.80 is cairn's choice.
const RUN_MIDDLE: [f64; 5] = [0.80, 0.87, 0.92, 0.97, 1.02];
const BIKE_MIDDLE: [f64; 5] = [0.76, 0.85, 0.91, 0.96, 1.02];

/// Thresholds that zones and planned loads are computed from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Zones {
    pub max_hr_bpm: f64,
    pub resting_hr_bpm: f64,
    pub lthr_run_bpm: f64,
    pub lthr_ride_bpm: f64,
    pub ftp_w: Option<f64>,
    pub female: bool,
}

/// A heart-rate range; zone 1 has no lower edge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HeartRateRange {
    pub low_bpm: Option<f64>,
    pub high_bpm: f64,
}

impl Zones {
    /// The zones of the thresholds in force on a day.
    pub fn from_thresholds(th: &crate::load::profile::Thresholds) -> Zones {
        Zones {
            max_hr_bpm: th.max_hr.value,
            resting_hr_bpm: th.resting_hr.value,
            lthr_run_bpm: th.lthr_run.value,
            lthr_ride_bpm: th.lthr_ride.value,
            ftp_w: th.ftp.as_ref().map(|f| f.value),
            female: th.sex_known && th.sex == Sex::Female,
        }
    }

    fn edges(&self, ride: bool) -> ([f64; 5], f64) {
        if ride {
            (BIKE_EDGES, self.lthr_ride_bpm)
        } else {
            (RUN_EDGES, self.lthr_run_bpm)
        }
    }

    /// The zone's heart-rate range in bpm, on the bike or on foot.
    pub fn heart_rate(&self, zone: Zone, ride: bool) -> HeartRateRange {
        let (edges, lthr) = self.edges(ride);
        let i = zone as usize;
        HeartRateRange {
            low_bpm: (i > 0).then(|| (edges[i - 1] * lthr).round() + 1.0),
            high_bpm: (edges[i] * lthr).round(),
        }
    }

    /// Power range in W for a ride, when FTP is known.
    pub fn power(&self, zone: Zone) -> Option<(f64, f64)> {
        let ftp = self.ftp_w?;
        let i = zone as usize;
        Some((
            (POWER_EDGES[i] * ftp).round(),
            (POWER_EDGES[i + 1] * ftp).round(),
        ))
    }

    fn sex(&self) -> Sex {
        if self.female {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// Planned aerobic load of `seconds` in `zone`, with cairn's own heart-rate
    /// model (Banister TRIMP normalised to 1 h at LTHR = 100, `load::hr`), so
    /// planned and recorded loads are on the same scale.
    pub fn load(&self, zone: Zone, seconds: f64, ride: bool) -> f64 {
        let (lthr, middle) = if ride {
            (self.lthr_ride_bpm, BIKE_MIDDLE)
        } else {
            (self.lthr_run_bpm, RUN_MIDDLE)
        };
        let hr = (middle[zone as usize] * lthr).min(self.max_hr_bpm);
        let trimp = trimp_constant(
            seconds / 60.0,
            hr,
            self.resting_hr_bpm,
            self.max_hr_bpm,
            self.sex(),
        );
        hrss(
            trimp,
            lthr,
            self.resting_hr_bpm,
            self.max_hr_bpm,
            self.sex(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones(lthr: f64) -> Zones {
        Zones {
            max_hr_bpm: 190.0,
            resting_hr_bpm: 50.0,
            lthr_run_bpm: lthr,
            lthr_ride_bpm: lthr,
            ftp_w: Some(250.0),
            female: false,
        }
    }

    // science.md §14 [W]: run LTHR 165 → Z1 ≤ 140, Z2 141–147, Z3 148–155, Z4 156–163.
    #[test]
    fn friel_run_zones_match_the_worked_example() {
        let z = zones(165.0);
        let range = |zone| {
            let r = z.heart_rate(zone, false);
            (r.low_bpm, r.high_bpm)
        };
        assert_eq!(range(Zone::Z1), (None, 140.0));
        assert_eq!(range(Zone::Z2), (Some(141.0), 147.0));
        assert_eq!(range(Zone::Z3), (Some(148.0), 155.0));
        assert_eq!(range(Zone::Z4), (Some(156.0), 163.0));
    }

    // science.md §14 [I] (sweatpy): FTP 1.0 → edges 0.55/0.75/0.90/1.05/1.20.
    #[test]
    fn coggan_power_edges() {
        let z = Zones {
            ftp_w: Some(100.0),
            ..zones(160.0)
        };
        assert_eq!(z.power(Zone::Z2), Some((55.0, 75.0)));
        assert_eq!(z.power(Zone::Z4), Some((90.0, 105.0)));
        assert_eq!(z.power(Zone::Z5), Some((105.0, 120.0)));
    }

    #[test]
    fn an_hour_at_threshold_is_about_100_and_load_rises_with_zone() {
        let z = zones(170.0);
        let loads: Vec<f64> = [Zone::Z1, Zone::Z2, Zone::Z3, Zone::Z4, Zone::Z5]
            .iter()
            .map(|zone| z.load(*zone, 3600.0, false))
            .collect();
        assert!(loads.windows(2).all(|w| w[0] < w[1]), "{loads:?}");
        // Zone 5 sits at 102 % of LTHR: a little over 100 per hour.
        assert!((100.0..115.0).contains(&loads[4]), "{loads:?}");
    }
}
