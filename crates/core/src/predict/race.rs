//! Race-time predictions from the athlete's recent best efforts, by two
//! published models side by side: Riegel's power law from the nearest
//! distance (science.md §9a) and Daniels–Gilbert VDOT from the best effort
//! (§9b). Both are for races of about 3.5 minutes to 4 hours; shorter
//! efforts are not used as evidence.

use super::vdot::{time_for_vdot, vdot};
use crate::load::facts::riegel_time;
use serde::Serialize;

/// Efforts shorter or longer than this (s) are outside both models' range.
pub const VALID_S: std::ops::RangeInclusive<f64> = 210.0..=14_400.0;
/// Efforts within this factor of the race distance are preferred for VDOT:
/// a 1 km burst inside a training run says little about a marathon.
pub const VDOT_RANGE: f64 = 4.0;
/// The distances predicted by default (m).
pub const STANDARD_M: [f64; 4] = [5000.0, 10_000.0, 21_097.5, 42_195.0];

/// A best effort used as evidence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evidence {
    pub distance_m: f64,
    pub time_s: f64,
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    pub activity_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RacePrediction {
    pub distance_m: f64,
    /// Riegel from the effort of the nearest distance.
    pub riegel_s: f64,
    pub riegel_from: Evidence,
    /// VDOT from the effort with the highest VDOT.
    pub vdot_s: f64,
    pub vdot: f64,
    pub vdot_from: Evidence,
}

/// Predictions for `distances_m` from `efforts` (already limited to the
/// period the caller trusts); `None` without a usable effort.
pub fn predict(efforts: &[Evidence], distances_m: &[f64]) -> Vec<RacePrediction> {
    let usable: Vec<&Evidence> = efforts
        .iter()
        .filter(|e| VALID_S.contains(&e.time_s))
        .collect();
    let best_of = |within: &dyn Fn(&Evidence) -> bool| {
        usable
            .iter()
            .filter(|e| within(e))
            .max_by(|a, b| vdot(a.distance_m, a.time_s).total_cmp(&vdot(b.distance_m, b.time_s)))
            .copied()
    };
    distances_m
        .iter()
        .filter_map(|&d| {
            // Nearest in log distance; among equals, the fastest.
            let near = usable.iter().min_by(|a, b| {
                let ka = (a.distance_m / d).ln().abs();
                let kb = (b.distance_m / d).ln().abs();
                ka.total_cmp(&kb).then(
                    riegel_time(a.time_s, a.distance_m, d).total_cmp(&riegel_time(
                        b.time_s,
                        b.distance_m,
                        d,
                    )),
                )
            })?;
            let best =
                best_of(&|e| (e.distance_m / d).ln().abs() <= VDOT_RANGE.ln()).unwrap_or(near);
            let best_vdot = vdot(best.distance_m, best.time_s);
            Some(RacePrediction {
                distance_m: d,
                riegel_s: riegel_time(near.time_s, near.distance_m, d),
                riegel_from: **near,
                vdot_s: time_for_vdot(d, best_vdot)?,
                vdot: best_vdot,
                vdot_from: *best,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(distance_m: f64, time_s: f64, day: i32) -> Evidence {
        Evidence {
            distance_m,
            time_s,
            day,
            activity_id: day as i64,
        }
    }

    #[test]
    fn both_models_from_a_5k() {
        let p = predict(&[e(5000.0, 1200.0, 1)], &[10_000.0, 42_195.0]);
        // science.md §9a #2 [I] and §9b #4 [I].
        assert!((p[0].riegel_s - 2501.92).abs() < 0.01);
        assert!((p[0].vdot_s - 2487.85).abs() < 1.0);
        assert!((p[1].riegel_s - 11_509.3).abs() < 0.1);
        assert!((p[0].vdot - 49.806).abs() < 0.001);
    }

    #[test]
    fn riegel_uses_the_nearest_distance_and_vdot_the_best_effort_in_range() {
        let efforts = [
            e(1609.344, 400.0, 1),
            e(10_000.0, 2700.0, 2),
            e(400.0, 60.0, 3),
        ];
        let p = predict(&efforts, &[21_097.5, 3000.0]);
        assert_eq!(p[0].riegel_from.day, 2);
        assert_eq!(
            p[1].riegel_from.day, 1,
            "3 km is nearer a mile than 10 km in ratio"
        );
        // Only the 10 km is within a factor of four of the half; both are of 3 km.
        assert_eq!(p[0].vdot_from.day, 2);
        let best = if vdot(1609.344, 400.0) > vdot(10_000.0, 2700.0) {
            1
        } else {
            2
        };
        assert_eq!(p[1].vdot_from.day, best);
        assert!(
            p.iter().all(|x| x.vdot_from.day != 3),
            "a 60-s effort is outside the models"
        );
    }

    #[test]
    fn no_evidence_no_prediction() {
        assert!(predict(&[], &STANDARD_M).is_empty());
        assert!(predict(&[e(400.0, 70.0, 1)], &STANDARD_M).is_empty());
    }
}
