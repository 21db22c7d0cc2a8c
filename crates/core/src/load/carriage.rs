//! Metabolic rate of walking with a load: Pandolf with the Santee downhill
//! correction (science.md §3a, §3b).
//!
//! Pandolf KB, Givoni B, Goldman RF. *Predicting energy expenditure with loads
//! while standing or walking very slowly.* J Appl Physiol 1977;43:577–581.
//! Santee WR et al. 2001/2003 downhill correction, subtracted (science.md §3b
//! explains why subtraction is the intended sign; it is not confirmed against
//! the primary report). Grade in PERCENT here.

/// Pandolf metabolic rate in watts: body mass `w_kg`, load `l_kg`, speed
/// `v_mps`, grade `g_pct` (percent), terrain factor `eta` (1.0 = road).
pub fn pandolf_w(w_kg: f64, l_kg: f64, v_mps: f64, g_pct: f64, eta: f64) -> f64 {
    let wl = w_kg + l_kg;
    1.5 * w_kg
        + 2.0 * wl * (l_kg / w_kg).powi(2)
        + eta * wl * (1.5 * v_mps * v_mps + 0.35 * v_mps * g_pct)
}

/// Santee's downhill correction factor (subtracted from Pandolf on descents).
pub fn santee_correction_w(w_kg: f64, l_kg: f64, v_mps: f64, g_pct: f64, eta: f64) -> f64 {
    let wl = w_kg + l_kg;
    eta * (g_pct * wl * v_mps / 3.5 - wl * (g_pct + 6.0).powi(2) / w_kg + (25.0 - v_mps * v_mps))
}

/// Walking metabolic rate in watts on any grade: Pandolf uphill and level,
/// Pandolf minus Santee downhill; never below the standing cost.
pub fn walking_metabolic_w(w_kg: f64, l_kg: f64, v_mps: f64, g_pct: f64, eta: f64) -> f64 {
    let m = if g_pct < 0.0 {
        pandolf_w(w_kg, l_kg, v_mps, g_pct, eta)
            - santee_correction_w(w_kg, l_kg, v_mps, g_pct, eta)
    } else {
        pandolf_w(w_kg, l_kg, v_mps, g_pct, eta)
    };
    m.max(pandolf_w(w_kg, l_kg, 0.0, 0.0, eta))
}

#[cfg(test)]
mod tests {
    use super::*;

    // science.md §3a vectors.
    #[test]
    fn pandolf_vectors() {
        // [W] ruckauthority.com: 180 lb, 30 lb pack, 3.5 mph → ≈ 410 kcal/h (477.6 W [C]).
        let w = pandolf_w(81.65, 13.61, 1.565, 0.0, 1.0);
        assert!((w - 477.6).abs() < 0.5, "{w}");
        assert!((w * 3600.0 / 4184.0 - 410.0).abs() < 2.0);
        assert!((pandolf_w(70.0, 0.0, 1.34, 0.0, 1.0) - 293.54).abs() < 0.01);
        assert!((pandolf_w(70.0, 20.0, 1.34, 0.0, 1.0) - 362.10).abs() < 0.01);
        assert!((pandolf_w(70.0, 20.0, 1.34, 0.0, 1.2) - 410.58).abs() < 0.01);
        assert!((pandolf_w(70.0, 20.0, 1.34, 10.0, 1.0) - 784.20).abs() < 0.01);
    }

    // science.md §3b sanity vectors [C]: W 70, L 20, V 1.34.
    #[test]
    fn santee_downhill() {
        for (g, pandolf, cf, m) in [
            (-5.0, 151.0, -150.4, 301.4),
            (-10.0, -60.0, -341.9, 281.9),
            (-15.0, -271.1, -597.8, 326.7),
            (-20.0, -482.1, -917.9, 435.8),
        ] {
            assert!(
                (pandolf_w(70.0, 20.0, 1.34, g, 1.0) - pandolf).abs() < 0.1,
                "{g}"
            );
            assert!(
                (santee_correction_w(70.0, 20.0, 1.34, g, 1.0) - cf).abs() < 0.1,
                "{g}"
            );
            assert!(
                (walking_metabolic_w(70.0, 20.0, 1.34, g, 1.0) - m).abs() < 0.1,
                "{g}"
            );
        }
    }
}
