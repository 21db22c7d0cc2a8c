//! Mechanical load: what a session does to muscles, tendons and bones, kept
//! apart from the aerobic load because a big engine does not protect legs
//! that are not used to impact (seeds/004: the cyclist sore for two days
//! after an easy 10-mile run).
//!
//! Unit: the mechanical load unit (MLU), 100 = one hour of level running at
//! 3 m/s (10.8 km/h) for the same athlete without a pack. Two parts, both
//! scaled by (body mass + pack) / body mass, because ground forces scale with
//! the weight carried:
//!
//! * **Impact**: Σ steps × peak vertical ground-reaction force in body weights.
//!   Keller TS et al. *Relationship between vertical ground reaction force and
//!   speed during walking, slow jogging, and running.* Clin Biomech
//!   1996;11:253–259 (science.md §12): ~1.2 BW walking; running rises roughly
//!   linearly to ~2.5 BW at 6 m/s, slow jogging > 50 % above walking. cairn
//!   uses 1.2 BW walking and 1.8 + 0.175 (v − 2) BW running (1.8 at 2 m/s,
//!   2.5 at 6 m/s). Steps come from the cadence channel (per-leg cadence × 2),
//!   else 170 steps/min running and 110 walking.
//! * **Eccentric**: descent. Downhill running and walking (with a pack) cause
//!   muscle damage in the unaccustomed (Bontemps B et al. *Downhill running:
//!   what are the effects and how can we adapt?* Sports Med 2020;50:2083–2110;
//!   doi:10.1371/journal.pone.0173909 for pack walking). No published weight
//!   puts descent and impact on one scale; cairn counts 1,000 m of descent as
//!   100 MLU, so the damaging −12 %, 40-minute protocol of Bontemps scores
//!   about 88 for its descent on top of its impact. This calibration is an
//!   assumption and `explain` says so.
//!
//! Cycling, swimming and rowing have no impact or descent on foot: 0, stated.

/// 170 steps/min for an hour at a 1.975 BW peak: the 100 of the scale.
pub const REFERENCE_IMPACT_BW_STEPS: f64 = 170.0 * 60.0 * 1.975;
/// MLU per metre of descent on foot.
pub const ECCENTRIC_MLU_PER_M: f64 = 0.1;

/// Peak vertical ground-reaction force in body weights (Keller 1996, as above).
pub fn peak_grf_bw(running: bool, speed_mps: f64) -> f64 {
    if running {
        1.8 + 0.175 * (speed_mps.clamp(2.0, 6.0) - 2.0)
    } else {
        1.2
    }
}

/// Gait of one sample: a runner below 1.9 m/s is walking (walking the climbs),
/// a walker above 2.4 m/s is running.
pub fn is_running_gait(sport_is_running: bool, speed_mps: f64) -> bool {
    if sport_is_running {
        speed_mps >= 1.9
    } else {
        speed_mps > 2.4
    }
}

/// Default step rate in steps per second when the file has no cadence.
pub fn default_step_rate(running: bool) -> f64 {
    if running {
        170.0 / 60.0
    } else {
        110.0 / 60.0
    }
}

/// Components of one session's mechanical load.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MechanicalParts {
    pub steps: f64,
    /// Σ steps × peak GRF (body weights), before the pack factor.
    pub impact_bw_steps: f64,
    pub running_s: f64,
    pub walking_s: f64,
    pub descent_m: f64,
    /// (body mass + pack) / body mass.
    pub carriage_factor: f64,
    pub steps_from_cadence: bool,
}

impl MechanicalParts {
    pub fn impact_mlu(&self) -> f64 {
        self.impact_bw_steps * self.carriage_factor / REFERENCE_IMPACT_BW_STEPS * 100.0
    }
    pub fn eccentric_mlu(&self) -> f64 {
        self.descent_m * self.carriage_factor * ECCENTRIC_MLU_PER_M
    }
    pub fn total(&self) -> f64 {
        self.impact_mlu() + self.eccentric_mlu()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hour_of_level_running_at_3_mps_is_100() {
        let p = MechanicalParts {
            steps: 10_200.0,
            impact_bw_steps: 10_200.0 * peak_grf_bw(true, 3.0),
            carriage_factor: 1.0,
            ..Default::default()
        };
        assert!((p.total() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn keller_shape() {
        assert_eq!(peak_grf_bw(false, 1.3), 1.2);
        assert!((peak_grf_bw(true, 6.0) - 2.5).abs() < 1e-12);
        // Slow jogging is more than 50 % above walking.
        assert!(peak_grf_bw(true, 2.0) > 1.5 * peak_grf_bw(false, 1.5));
    }
}
