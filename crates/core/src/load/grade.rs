//! Energy cost of walking and running on gradients, and grade-adjusted speed.
//!
//! Source: Minetti AE, Moia C, Roi GS, Susta D, Ferretti G. *Energy cost of
//! walking and running at extreme uphill and downhill slopes.* J Appl Physiol
//! 2002;93:1039–1046 (science.md §1, §2a). Grade is a fraction (rise / run);
//! the polynomials are valid for −0.45 … +0.45 and are clamped there.

/// The distance over which a second's grade is taken (m) where graded pace
/// is read per second (curves, pace zones): science.md pitfall 4.
pub const GRADE_WINDOW_M: f64 = 100.0;

/// The tested range of the Minetti polynomials.
pub const MINETTI_MAX_GRADE: f64 = 0.45;

fn clamp(i: f64) -> f64 {
    if i.is_finite() {
        i.clamp(-MINETTI_MAX_GRADE, MINETTI_MAX_GRADE)
    } else {
        0.0
    }
}

/// Net energy cost of running, J·kg⁻¹·m⁻¹, at grade `i` (fraction).
pub fn running_cost(i: f64) -> f64 {
    let i = clamp(i);
    ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6
}

/// Net energy cost of walking, J·kg⁻¹·m⁻¹, at grade `i` (fraction).
pub fn walking_cost(i: f64) -> f64 {
    let i = clamp(i);
    ((((280.5 * i - 58.7) * i - 76.8) * i + 51.9) * i + 19.6) * i + 2.5
}

/// Grade-adjusted speed: the level speed of equal metabolic cost,
/// `v × Cr(i) / Cr(0)` (science.md §2a). Known to over-credit steep descents.
pub fn grade_adjusted_speed(speed_mps: f64, grade: f64) -> f64 {
    speed_mps * running_cost(grade) / running_cost(0.0)
}

/// Grade per sample over a trailing distance window (science.md pitfall 4:
/// grade from noisy altitude over a few metres explodes). Samples without
/// distance or altitude get grade 0.
pub fn grade_series(
    distance_m: &[Option<f64>],
    altitude_m: &[Option<f64>],
    window_m: f64,
) -> Vec<f64> {
    let n = distance_m.len().min(altitude_m.len());
    let mut out = vec![0.0; n];
    // Indices of samples that have both, in order.
    let pts: Vec<(usize, f64, f64)> = (0..n)
        .filter_map(|i| Some((i, distance_m[i]?, altitude_m[i]?)))
        .collect();
    let mut j = 0usize;
    for k in 0..pts.len() {
        let (i, d, a) = pts[k];
        while j + 1 < k && d - pts[j + 1].1 >= window_m {
            j += 1;
        }
        let (_, d0, a0) = pts[j];
        if d - d0 >= window_m * 0.5 {
            out[i] = clamp((a - a0) / (d - d0));
        }
    }
    // Carry the last known grade over samples without altitude or distance.
    let mut last = 0.0;
    let has: Vec<bool> = (0..n)
        .map(|i| distance_m[i].is_some() && altitude_m[i].is_some())
        .collect();
    for i in 0..n {
        if has[i] {
            last = out[i];
        } else {
            out[i] = last;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // science.md §1 test vectors: [C] values from the polynomials, [S] measured means.
    #[test]
    fn minetti_running_cost() {
        assert!((running_cost(0.0) - 3.600).abs() < 1e-9);
        assert!((running_cost(0.10) - 5.968).abs() < 5e-4);
        assert!((running_cost(-0.10) - 2.152).abs() < 5e-4);
        assert!((running_cost(0.45) - 19.426).abs() < 5e-4);
        assert!((running_cost(-0.45) - 4.032).abs() < 5e-4);
        assert!((running_cost(-0.20) - 1.800).abs() < 5e-4);
        // Within one SD of the measured values [S]: 18.93±1.74, 3.92±0.81, 1.73±0.36.
        assert!((running_cost(0.45) - 18.93).abs() < 1.74);
        assert!((running_cost(-0.45) - 3.92).abs() < 0.81);
        assert!((running_cost(-0.20) - 1.73).abs() < 0.36);
        for (i, r) in [(0.05, 1.3014), (0.20, 2.5019), (0.30, 3.4942)] {
            assert!(
                (running_cost(i) / running_cost(0.0) - r).abs() < 5e-5,
                "{i}"
            );
        }
    }

    #[test]
    fn minetti_walking_cost() {
        for (i, c) in [
            (0.0, 2.500),
            (0.10, 4.899),
            (-0.10, 1.127),
            (0.45, 17.600),
            (-0.45, 3.605),
        ] {
            assert!(
                (walking_cost(i) - c).abs() < 5e-4,
                "{i}: {}",
                walking_cost(i)
            );
        }
        assert!((walking_cost(0.45) - 17.33).abs() < 1.11);
        assert!((walking_cost(-0.45) - 3.46).abs() < 0.95);
        // Outside the tested range the cost is clamped, not extrapolated.
        assert_eq!(walking_cost(0.9), walking_cost(0.45));
    }

    // science.md §2a vectors [C]: 6:00/km at +10 % → 3:37/km; at −10 % → 10:02/km.
    #[test]
    fn grade_adjusted_pace() {
        let v = 1000.0 / 360.0;
        assert!((1000.0 / grade_adjusted_speed(v, 0.10) - 217.2).abs() < 0.1);
        assert!((1000.0 / grade_adjusted_speed(v, -0.10) - 602.3).abs() < 0.1);
        assert_eq!(grade_adjusted_speed(v, 0.0), v);
    }

    #[test]
    fn grade_over_a_window_ignores_single_sample_noise() {
        let d: Vec<Option<f64>> = (0..200).map(|i| Some(i as f64 * 2.0)).collect();
        let a: Vec<Option<f64>> = (0..200)
            .map(|i| Some(i as f64 * 0.2 + if i == 100 { 3.0 } else { 0.0 }))
            .collect();
        let g = grade_series(&d, &a, 50.0);
        assert!((g[150] - 0.10).abs() < 1e-9);
        assert!((g[100] - 0.10).abs() < 0.07, "{}", g[100]);
    }
}
