//! Session RPE: the athlete's own rating of effort (Foster 2001).
//!
//! Foster C, Florhaug JA, Franklin J, et al. *A new approach to monitoring
//! exercise training.* J Strength Cond Res 2001;15:109–115 (science.md §5e):
//! load (AU) = session RPE (CR-10) × duration (min).
//!
//! cairn's common scale needs "1 hour at threshold ≈ 100". No published
//! calibration exists; cairn takes an hour at threshold to be rated 8 on the
//! CR-10 (between "very hard", 7, and maximal, 10): 8 × 60 = 480 AU ≙ 100.

/// CR-10 rating of one hour at threshold, the calibration of the scale.
pub const THRESHOLD_HOUR_RPE: f64 = 8.0;

/// Foster's session load in arbitrary units.
pub fn session_load_au(rpe: f64, minutes: f64) -> f64 {
    rpe.clamp(0.0, 10.0) * minutes.max(0.0)
}

/// The session load on cairn's common scale.
pub fn on_common_scale(au: f64) -> f64 {
    au * 100.0 / (THRESHOLD_HOUR_RPE * 60.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    // science.md §5e: #1 [W] fellrnr: 120 min at RPE 6 = 720 AU; #2 [C] 60 min at 5 = 300 AU.
    #[test]
    fn foster_vectors() {
        assert_eq!(session_load_au(6.0, 120.0), 720.0);
        assert_eq!(session_load_au(5.0, 60.0), 300.0);
        assert!((on_common_scale(session_load_au(8.0, 60.0)) - 100.0).abs() < 1e-9);
    }
}
