//! What altitude and heat do to a race time, as one function the comparison
//! and prediction features share.
//!
//! Altitude: the Wehrlin–Hallén VO2max loss ([`super::altitude::vo2max_loss`])
//! scales the athlete's VDOT, and the Daniels–Gilbert equations turn the
//! lower VDOT into a time at the same distance (science.md §9b, §10a). This
//! is cairn's combination of two published models; it treats the exposure
//! as acute (no acclimatisation) and ignores the small gain from thinner air,
//! which matters only for sprints (Péronnet 1991).
//! Heat: the temperature + dew-point table ([`super::heat::temp_dew_point_cost`]),
//! applied after altitude; the reference run's own heat cost is taken out
//! first at its band's midpoint.

use super::altitude::vo2max_loss;
use super::heat::{temp_dew_point_cost, HeatCost};
use crate::predict::vdot::{time_for_vdot, vdot};
use serde::Serialize;

/// Where a performance happened or will happen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Conditions {
    pub altitude_m: f64,
    pub temp_c: Option<f64>,
    pub dew_point_c: Option<f64>,
}

impl Conditions {
    fn heat(&self) -> Option<HeatCost> {
        Some(temp_dew_point_cost(self.temp_c?, self.dew_point_c?))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Adjustment {
    pub distance_m: f64,
    pub time_s: f64,
    /// After the altitude change alone.
    pub altitude_time_s: f64,
    /// After altitude and heat: a range, since the heat table gives one.
    pub low_s: f64,
    pub high_s: f64,
    pub heat: Option<HeatCost>,
    /// VO2max loss at each end (fraction).
    pub from_vo2max_loss: f64,
    pub to_vo2max_loss: f64,
    /// When heat makes a prediction meaningless.
    pub not_advised: bool,
}

/// The time `time_s` over `distance_m` run in `from` becomes in `to`.
pub fn adjust(
    distance_m: f64,
    time_s: f64,
    from: Conditions,
    to: Conditions,
) -> Option<Adjustment> {
    if !(distance_m > 0.0 && time_s > 0.0) {
        return None;
    }
    let (lf, lt) = (vo2max_loss(from.altitude_m), vo2max_loss(to.altitude_m));
    let sea_level = vdot(distance_m, time_s) / (1.0 - lf);
    let altitude_time_s = time_for_vdot(distance_m, sea_level * (1.0 - lt))?;
    let reference = from.heat().and_then(HeatCost::midpoint).unwrap_or(0.0);
    let heat = to.heat();
    let (low, high, not_advised) = match heat {
        Some(HeatCost::Slower { low, high }) => (low, high, false),
        Some(HeatCost::NotAdvised) => (0.10, 0.10, true),
        None => (0.0, 0.0, false),
    };
    let base = altitude_time_s / (1.0 + reference);
    Some(Adjustment {
        distance_m,
        time_s,
        altitude_time_s,
        low_s: base * (1.0 + low),
        high_s: base * (1.0 + high),
        heat,
        from_vo2max_loss: lf,
        to_vo2max_loss: lt,
        not_advised,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_conditions_change_nothing() {
        let c = Conditions {
            altitude_m: 1200.0,
            temp_c: Some(12.0),
            dew_point_c: Some(5.0),
        };
        let a = adjust(21_097.5, 6720.0, c, c).unwrap();
        assert!((a.altitude_time_s - 6720.0).abs() < 0.01);
        assert!((a.low_s - 6720.0).abs() < 0.01 && (a.high_s - 6720.0).abs() < 0.01);
    }

    #[test]
    fn altitude_then_heat_slow_a_half_marathon() {
        let sea = Conditions {
            altitude_m: 0.0,
            temp_c: Some(12.0),
            dew_point_c: Some(6.0),
        };
        let high = Conditions {
            altitude_m: 1800.0,
            ..sea
        };
        let hot_high = Conditions {
            altitude_m: 1800.0,
            temp_c: Some(26.0),
            dew_point_c: Some(18.0),
        };
        let a = adjust(21_097.5, 6720.0, sea, high).unwrap();
        // 9.45 % less VO2max → a lower VDOT; speed falls by a little less
        // than VO2max (the oxygen cost of running has an intercept).
        let slower = a.altitude_time_s / 6720.0 - 1.0;
        assert!(slower > 0.06 && slower < 0.0945, "{slower}");
        let b = adjust(21_097.5, 6720.0, sea, hot_high).unwrap();
        assert_eq!(
            b.heat,
            Some(HeatCost::Slower {
                low: 0.03,
                high: 0.045
            })
        );
        assert!((b.low_s / a.altitude_time_s - 1.03).abs() < 1e-9);
        // Back again: the inverse adjustment returns the original time.
        let back = adjust(21_097.5, a.altitude_time_s, high, sea).unwrap();
        assert!((back.altitude_time_s - 6720.0).abs() < 0.01);
    }
}
