//! Cross-sport equivalence: how long a hike on the same gradient gives the
//! same aerobic load as a trail run, and how different their mechanical loads
//! are. The course is rolling: half the distance up and half down at the
//! same gradient (science.md §12's scenario).
//!
//! Hiking speed comes from Tobler's hiking function (Tobler W. *Three
//! presentations on geographical analysis and modeling*, NCGIA TR 93-1,
//! 1993): W = 6·e^(−3.5·|S + 0.05|) km/h (science.md §4b).

use super::carriage::walking_metabolic_w;
use super::grade::{running_cost, walking_cost};
use super::mechanical::{peak_grf_bw, ECCENTRIC_MLU_PER_M, REFERENCE_IMPACT_BW_STEPS};
use super::power::stress_score;
use super::session::threshold_metabolic_w;
use serde::Serialize;

/// Tobler's hiking speed in m/s at slope `s` (rise/run).
pub fn tobler_mps(s: f64) -> f64 {
    6.0 * (-3.5 * (s + 0.05).abs()).exp() / 3.6
}

/// The two halves of a rolling course: (speed up, speed down) in m/s.
fn halves_time(distance_m: f64, up: f64, down: f64) -> (f64, f64) {
    (distance_m / 2.0 / up, distance_m / 2.0 / down)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Equivalence {
    pub run_minutes: f64,
    pub grade: f64,
    pub run_distance_m: f64,
    pub run_speed_up_mps: f64,
    pub run_speed_down_mps: f64,
    pub run_intensity: f64,
    pub run_aerobic: f64,
    pub run_mechanical: f64,
    pub pack_kg: f64,
    pub hike_speed_up_mps: f64,
    pub hike_speed_down_mps: f64,
    pub hike_metabolic_w: f64,
    pub hike_intensity: f64,
    pub hike_aerobic_per_hour: f64,
    /// Hours of hiking with the same aerobic load as the run.
    pub hike_hours_same_aerobic: f64,
    /// Mechanical load of a hike as long as the run.
    pub hike_mechanical_same_duration: f64,
    /// Hours of hiking with the same net energy (Minetti) as the run.
    pub hike_hours_same_energy: f64,
    pub threshold_metabolic_w: f64,
}

/// Net-energy equivalence (science.md §12): hours of Tobler-speed hiking on a
/// rolling ±`grade` course that cost the same net energy per kg as running
/// `run_distance_m` of it (Minetti's Cr and Cw).
pub fn energy_equivalent_hours(run_distance_m: f64, grade: f64) -> f64 {
    let run_j_per_kg = run_distance_m / 2.0 * (running_cost(grade) + running_cost(-grade));
    let hike_j_per_kg_per_m = (walking_cost(grade) + walking_cost(-grade)) / 2.0;
    let hike_m = run_j_per_kg / hike_j_per_kg_per_m;
    let (t_up, t_down) = halves_time(hike_m, tobler_mps(grade), tobler_mps(-grade));
    (t_up + t_down) / 3600.0
}

/// The run holds a steady graded effort of `run_intensity` × threshold speed
/// (0.75: a steady aerobic trail run) unless `run_speed_mps` (level-equivalent)
/// is given; mass and pack in kg; threshold pace in s/km.
pub fn trail_run_vs_hike(
    run_minutes: f64,
    grade: f64,
    run_intensity: f64,
    body_mass_kg: f64,
    pack_kg: f64,
    threshold_pace_s_per_km: f64,
) -> Equivalence {
    let g = grade.abs();
    let threshold_speed = 1000.0 / threshold_pace_s_per_km;
    let gap = run_intensity * threshold_speed;
    let up = gap * running_cost(0.0) / running_cost(g);
    let down = (gap * running_cost(0.0) / running_cost(-g)).min(6.0);
    let seconds = run_minutes * 60.0;
    let distance = 2.0 * seconds / (1.0 / up + 1.0 / down);
    let (t_up, t_down) = halves_time(distance, up, down);
    let run_aerobic = stress_score(seconds, gap, threshold_speed);
    let steps_per_s = 170.0 / 60.0;
    let run_impact =
        steps_per_s * (t_up * peak_grf_bw(up >= 1.9, up) + t_down * peak_grf_bw(true, down));
    let run_mechanical =
        run_impact / REFERENCE_IMPACT_BW_STEPS * 100.0 + distance / 2.0 * g * ECCENTRIC_MLU_PER_M;

    let (hu, hd) = (tobler_mps(g), tobler_mps(-g));
    let m_up = walking_metabolic_w(body_mass_kg, pack_kg, hu, g * 100.0, 1.0);
    let m_down = walking_metabolic_w(body_mass_kg, pack_kg, hd, -g * 100.0, 1.0);
    // Time-weighted over one up-and-down of equal distance.
    let (a, b) = (1.0 / hu, 1.0 / hd);
    let hike_w = (m_up * a + m_down * b) / (a + b);
    let p_thr = threshold_metabolic_w(body_mass_kg, threshold_speed);
    let hike_intensity = hike_w / p_thr;
    let per_hour = stress_score(3600.0, hike_w, p_thr);
    let hours = if per_hour > 0.0 {
        run_aerobic / per_hour
    } else {
        f64::INFINITY
    };
    // Mechanical load of hiking for the same time as the run.
    let carriage = (body_mass_kg + pack_kg) / body_mass_kg;
    let hike_steps = 110.0 / 60.0 * seconds;
    // A share b/(a+b) of the time goes downhill, descending hd·g metres a second.
    let hike_descent = seconds * b / (a + b) * hd * g;
    let hike_mech = (hike_steps * peak_grf_bw(false, hu) / REFERENCE_IMPACT_BW_STEPS * 100.0
        + hike_descent * ECCENTRIC_MLU_PER_M)
        * carriage;
    Equivalence {
        run_minutes,
        grade: g,
        run_distance_m: distance,
        run_speed_up_mps: up,
        run_speed_down_mps: down,
        run_intensity,
        run_aerobic,
        run_mechanical,
        pack_kg,
        hike_speed_up_mps: hu,
        hike_speed_down_mps: hd,
        hike_metabolic_w: hike_w,
        hike_intensity,
        hike_aerobic_per_hour: per_hour,
        hike_hours_same_aerobic: hours,
        hike_mechanical_same_duration: hike_mech,
        hike_hours_same_energy: energy_equivalent_hours(distance, g),
        threshold_metabolic_w: p_thr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // science.md §4b [C].
    #[test]
    fn tobler_vectors() {
        assert!((tobler_mps(-0.05) * 3.6 - 6.000).abs() < 1e-3);
        assert!((tobler_mps(0.0) * 3.6 - 5.037).abs() < 1e-3);
        assert!((tobler_mps(0.10) * 3.6 - 3.549).abs() < 1e-3);
        assert!((tobler_mps(-0.10) * 3.6 - 5.037).abs() < 1e-3);
        assert!((tobler_mps(0.20) * 3.6 - 2.501).abs() < 1e-3);
        assert!((tobler_mps(-0.20) * 3.6 - 3.549).abs() < 1e-3);
        assert!((tobler_mps(0.30) * 3.6 - 1.763).abs() < 1e-3);
    }

    // science.md §12 [C]: a 10-km, 60-min run on ±10/15/20 % ≈ 3.2/3.6/4.1 h of hiking by net energy.
    #[test]
    fn energy_equivalence_reproduces_science_table() {
        assert!(
            (energy_equivalent_hours(10_000.0, 0.10) - 3.2).abs() < 0.05,
            "{}",
            energy_equivalent_hours(10_000.0, 0.10)
        );
        assert!((energy_equivalent_hours(10_000.0, 0.15) - 3.6).abs() < 0.05);
        assert!((energy_equivalent_hours(10_000.0, 0.20) - 4.1).abs() < 0.05);
    }

    #[test]
    fn a_trail_run_loads_tissues_more_than_the_same_time_hiking() {
        let e = trail_run_vs_hike(60.0, 0.10, 0.75, 70.0, 0.0, 300.0);
        assert!((e.run_aerobic - 56.25).abs() < 1e-9);
        assert!(e.hike_hours_same_aerobic > 1.0);
        assert!(e.run_mechanical > e.hike_mechanical_same_duration);
    }
}
