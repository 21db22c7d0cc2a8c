//! Heat: what it costs a run and how the athlete adapts to it.
//!
//! * Dew point from relative humidity: Magnus formula with the Alduchov &
//!   Eskridge constants (J Appl Meteorol 1996;35:601–609).
//! * Pace cost from air temperature + dew point in °F: Mark Hadley's
//!   coaching table (science.md §11; not peer reviewed, widely used).
//! * Marathon slowing by WBGT band: Ely MR et al. Med Sci Sports Exerc
//!   2007;39:487–493 (top-3 finishers vs course record).
//! * Acclimatisation: about 75 % of the adaptation within 5–6 days of daily
//!   exercise in heat, nearly complete after 10–14 (Pandolf KB. Int J Sports
//!   Med 1998;19 Suppl 2:S157–S160); lost at ≈ 2.5 % a day without heat
//!   (Daanen HAM, Racinais S, Périard JD. Sports Med 2018;48:409–430).

use serde::Serialize;
use std::collections::BTreeMap;

/// Temperatures cairn accepts (°C).
pub const PLAUSIBLE_TEMP_C: std::ops::RangeInclusive<f64> = -60.0..=60.0;
/// Daily gain toward full acclimatisation for a full dose: (1 − k)^5.5 = ¼,
/// so 75 % is reached between day 5 and day 6 (Pandolf 1998).
pub const HA_DAILY_GAIN: f64 = 0.222_796_86;
/// Loss per day without heat, as a fraction of full acclimatisation
/// (Daanen 2018: heart rate 2.3 %, core temperature 2.6 % a day).
pub const HA_DAILY_DECAY: f64 = 0.025;
/// Minutes of exercise in heat that make a full daily dose (the 60–90 min
/// sessions of the acclimatisation studies).
pub const HA_FULL_DOSE_MIN: f64 = 60.0;
/// Without a dew point, a session is in heat from this air temperature (°C).
pub const HEAT_FROM_C: f64 = 25.0;
/// With a dew point, a session is in heat when the temperature + dew point
/// sum exceeds this (°F): where the table's cost reaches 1–2 %.
pub const HEAT_FROM_SUM_F: f64 = 120.0;
/// Sensors worn on the body read high: cairn takes this much (°C) off a
/// device's reading before judging heat. An assumption of cairn's, not a
/// published figure; a logged or weather temperature replaces it.
pub const DEVICE_BIAS_C: f64 = 4.0;

pub fn fahrenheit(c: f64) -> f64 {
    c * 1.8 + 32.0
}

/// Dew point (°C) from air temperature (°C) and relative humidity (%).
pub fn dew_point_c(temp_c: f64, humidity_pct: f64) -> f64 {
    let (a, b) = (17.625, 243.04);
    let g = (humidity_pct / 100.0).ln() + a * temp_c / (b + temp_c);
    b * g / (a - g)
}

/// Expected slowing in heat.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HeatCost {
    /// Slower by this fraction range.
    Slower { low: f64, high: f64 },
    /// The table's top band: hard running not advised.
    NotAdvised,
}

impl HeatCost {
    pub fn midpoint(self) -> Option<f64> {
        match self {
            HeatCost::Slower { low, high } => Some(0.5 * (low + high)),
            HeatCost::NotAdvised => None,
        }
    }
}

/// Hadley's table: cost of a temperature + dew point (°C). Half of it
/// applies to short repeats.
pub fn temp_dew_point_cost(temp_c: f64, dew_point_c: f64) -> HeatCost {
    let sum = fahrenheit(temp_c) + fahrenheit(dew_point_c);
    const BANDS: [(f64, f64, f64); 9] = [
        (100.0, 0.0, 0.0),
        (110.0, 0.0, 0.005),
        (120.0, 0.005, 0.01),
        (130.0, 0.01, 0.02),
        (140.0, 0.02, 0.03),
        (150.0, 0.03, 0.045),
        (160.0, 0.045, 0.06),
        (170.0, 0.06, 0.08),
        (180.0, 0.08, 0.10),
    ];
    BANDS
        .iter()
        .find(|(top, _, _)| sum <= *top)
        .map_or(HeatCost::NotAdvised, |&(_, low, high)| HeatCost::Slower {
            low,
            high,
        })
}

/// Ely 2007: marathon slowing of the top three (fraction) by WBGT (°C);
/// `None` outside the studied 5.1–25 °C.
pub fn wbgt_marathon_cost(wbgt_c: f64, female: bool) -> Option<f64> {
    let band = [10.0, 15.0, 20.0, 25.0]
        .iter()
        .position(|top| wbgt_c <= *top)?;
    if wbgt_c <= 5.0 {
        return None;
    }
    let men = [0.017, 0.025, 0.033, 0.045];
    let women = [0.032, 0.032, 0.038, 0.054];
    Some(if female { women[band] } else { men[band] })
}

/// Where a session's temperature came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TempSource {
    Logged,
    Weather,
    Device,
}

/// Whether conditions count as heat exposure (see the constants).
pub fn is_heat(temp_c: f64, dew_point_c: Option<f64>, source: TempSource) -> bool {
    let t = if source == TempSource::Device {
        temp_c - DEVICE_BIAS_C
    } else {
        temp_c
    };
    match dew_point_c {
        Some(dp) => fahrenheit(t) + fahrenheit(dp) > HEAT_FROM_SUM_F,
        None => t >= HEAT_FROM_C,
    }
}

/// Heat-acclimatisation state (0 = none, 1 = full) at the end of each day
/// from `from` to `to`, from the minutes of exercise in heat per day.
pub fn acclimatisation_course(
    heat_min: &BTreeMap<i32, f64>,
    from: i32,
    to: i32,
) -> Vec<(i32, f64)> {
    let start = heat_min.keys().next().copied().unwrap_or(from).min(from);
    let mut state = 0.0f64;
    let mut out = Vec::new();
    for day in start..=to {
        let dose = (heat_min.get(&day).copied().unwrap_or(0.0) / HA_FULL_DOSE_MIN).min(1.0);
        if dose > 0.0 {
            state += HA_DAILY_GAIN * dose * (1.0 - state);
        } else {
            state = (state - HA_DAILY_DECAY).max(0.0);
        }
        if day >= from {
            out.push((day, state));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dew_point_from_humidity() {
        assert!((dew_point_c(25.0, 50.0) - 13.86).abs() < 0.01);
        assert!((dew_point_c(20.0, 100.0) - 20.0).abs() < 1e-9);
    }

    // science.md §11 [W]: 74 °F + 71 °F → 3–4.5 %, 7:00/mi → 7:13–7:19;
    // 80 °F + 65 °F, 9:00/mi → 9:16–9:24.
    #[test]
    fn hadley_worked_examples() {
        let c = |f: f64| (f - 32.0) / 1.8;
        let HeatCost::Slower { low, high } = temp_dew_point_cost(c(74.0), c(71.0)) else {
            panic!()
        };
        assert_eq!((low, high), (0.03, 0.045));
        assert_eq!((420.0 * (1.0 + low)).round(), 433.0);
        assert_eq!((420.0 * (1.0 + high)).round(), 439.0);
        let HeatCost::Slower { low, high } = temp_dew_point_cost(c(80.0), c(65.0)) else {
            panic!()
        };
        assert_eq!(
            (
                (540.0 * (1.0 + low)).round(),
                (540.0 * (1.0 + high)).round()
            ),
            (556.0, 564.0)
        );
        assert_eq!(
            temp_dew_point_cost(10.0, 0.0),
            HeatCost::Slower {
                low: 0.0,
                high: 0.0
            }
        );
        assert_eq!(temp_dew_point_cost(c(100.0), c(85.0)), HeatCost::NotAdvised);
    }

    // science.md §11 [S]: Ely 2007 bands.
    #[test]
    fn ely_bands() {
        assert_eq!(wbgt_marathon_cost(8.0, false), Some(0.017));
        assert_eq!(wbgt_marathon_cost(12.0, false), Some(0.025));
        assert_eq!(wbgt_marathon_cost(18.0, true), Some(0.038));
        assert_eq!(wbgt_marathon_cost(24.0, false), Some(0.045));
        assert_eq!(wbgt_marathon_cost(24.0, true), Some(0.054));
        assert_eq!(wbgt_marathon_cost(30.0, false), None);
        assert_eq!(wbgt_marathon_cost(2.0, false), None);
    }

    // Pandolf 1998: ~75 % by day 5–6, nearly complete by 10–14.
    // Daanen 2018 [C]: full, then 10 days without heat → 75 % retained.
    #[test]
    fn acclimatisation_time_points() {
        let daily: BTreeMap<i32, f64> = (0..14).map(|d| (d, 75.0)).collect();
        let c = acclimatisation_course(&daily, 0, 40);
        let at = |d: i32| c[d as usize].1;
        assert!(at(4) < 0.75 && at(5) > 0.75, "{} {}", at(4), at(5));
        assert!(at(9) > 0.9 && at(13) > 0.96);
        let full: BTreeMap<i32, f64> = (0..200).map(|d| (d, 90.0)).collect();
        let start = acclimatisation_course(&full, 199, 199)[0].1;
        assert!(start > 0.999);
        let mut then = full.clone();
        then.retain(|d, _| *d < 100);
        let decayed = acclimatisation_course(&then, 109, 109)[0].1;
        assert!((decayed - 0.75).abs() < 1e-3, "{decayed}");
        let short: BTreeMap<i32, f64> = [(0, 30.0)].into();
        assert!((acclimatisation_course(&short, 0, 0)[0].1 - HA_DAILY_GAIN / 2.0).abs() < 1e-12);
    }

    #[test]
    fn device_readings_count_as_heat_only_well_above_the_threshold() {
        assert!(is_heat(26.0, None, TempSource::Weather));
        assert!(!is_heat(26.0, None, TempSource::Device));
        assert!(is_heat(30.0, None, TempSource::Device));
        assert!(is_heat(26.0, Some(18.0), TempSource::Logged));
        assert!(!is_heat(26.0, Some(2.0), TempSource::Logged));
    }
}
