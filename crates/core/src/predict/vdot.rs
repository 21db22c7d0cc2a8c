//! Daniels–Gilbert VDOT: the oxygen cost of a running speed and the share of
//! VO2max sustainable for a duration, combined into one performance index.
//!
//! Source: Daniels J, Gilbert J. *Oxygen Power* (1979); Daniels J. *Daniels'
//! Running Formula*, 3rd ed. (2014); science.md §9b. Valid for races of about
//! 3.5 minutes to 4 hours.

/// Oxygen cost of running at `v_m_per_min`, ml·kg⁻¹·min⁻¹.
pub fn oxygen_cost(v_m_per_min: f64) -> f64 {
    -4.60 + 0.182258 * v_m_per_min + 0.000104 * v_m_per_min * v_m_per_min
}

/// Fraction of VO2max sustainable for `t_min` minutes.
pub fn sustainable_fraction(t_min: f64) -> f64 {
    0.8 + 0.1894393 * (-0.012778 * t_min).exp() + 0.2989558 * (-0.1932605 * t_min).exp()
}

/// VDOT of a performance: `distance_m` in `time_s`.
pub fn vdot(distance_m: f64, time_s: f64) -> f64 {
    let t_min = time_s / 60.0;
    oxygen_cost(distance_m / t_min) / sustainable_fraction(t_min)
}

/// The time over `distance_m` that has this VDOT, by bisection (VDOT falls
/// monotonically as time grows over the model's range).
pub fn time_for_vdot(distance_m: f64, target: f64) -> Option<f64> {
    if !(target.is_finite() && target > 0.0 && distance_m > 0.0) {
        return None;
    }
    // From a 1 m/s-faster-than-world-record pace to a slow walk.
    let (mut lo, mut hi) = (distance_m / 8.0, distance_m / 0.5);
    if vdot(distance_m, lo) < target || vdot(distance_m, hi) > target {
        return None;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if vdot(distance_m, mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// Equivalent time at `to_m` for a performance of `time_s` over `from_m`.
pub fn equivalent_time(from_m: f64, time_s: f64, to_m: f64) -> Option<f64> {
    time_for_vdot(to_m, vdot(from_m, time_s))
}

#[cfg(test)]
mod tests {
    use super::*;

    // science.md §9b vectors: #1–#4 [I] public test suites; the VDOT table [C].
    #[test]
    fn vdot_vectors() {
        assert!((vdot(5000.0, 1200.0) - 49.806).abs() < 0.001);
        assert!((vdot(10_000.0, 3000.0) - 40.01).abs() < 0.05);
        assert!((vdot(5000.0, 1800.0) - 30.82).abs() < 0.01);
        let t = equivalent_time(5000.0, 1200.0, 10_000.0).unwrap();
        assert!((t - 2487.85).abs() < 1.0, "{t}");
    }

    #[test]
    fn vdot_table_equivalents() {
        let hms = |h: f64, m: f64, s: f64| h * 3600.0 + m * 60.0 + s;
        for (v, five, half, marathon) in [
            (
                30.0,
                hms(0.0, 30.0, 41.0),
                hms(2.0, 21.0, 17.0),
                hms(4.0, 49.0, 49.0),
            ),
            (
                50.0,
                hms(0.0, 19.0, 56.0),
                hms(1.0, 31.0, 31.0),
                hms(3.0, 10.0, 40.0),
            ),
            (
                70.0,
                hms(0.0, 14.0, 56.0),
                hms(1.0, 8.0, 23.0),
                hms(2.0, 23.0, 13.0),
            ),
        ] {
            for (d, t) in [(5000.0, five), (21_097.5, half), (42_195.0, marathon)] {
                let got = time_for_vdot(d, v).unwrap();
                assert!((got - t).abs() < 1.0, "VDOT {v} {d} m: {got} vs {t}");
            }
        }
    }

    #[test]
    fn nonsense_has_no_answer() {
        assert_eq!(time_for_vdot(5000.0, f64::NAN), None);
        assert_eq!(time_for_vdot(0.0, 50.0), None);
        assert_eq!(time_for_vdot(5000.0, 500.0), None);
    }
}
