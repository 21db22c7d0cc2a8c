//! Power-based load (cycling, running power): normalised power, intensity
//! factor and the stress score.
//!
//! Allen H, Coggan A. *Training and Racing with a Power Meter* (VeloPress,
//! 2006/2010/2019); science.md §6a. NP here uses only full 30-s windows (the
//! "valid windows" convention of science.md vector #4), on a 1-Hz series.

/// Normalised power of a 1-Hz series: the fourth root of the mean fourth
/// power of the 30-s rolling mean. `None` with fewer than 30 samples.
pub fn normalized_power(power_1hz: &[f64]) -> Option<f64> {
    const W: usize = 30;
    if power_1hz.len() < W {
        return None;
    }
    let mut sum: f64 = power_1hz[..W].iter().sum();
    let mut acc = (sum / W as f64).powi(4);
    for i in W..power_1hz.len() {
        sum += power_1hz[i] - power_1hz[i - W];
        acc += (sum / W as f64).powi(4);
    }
    let windows = (power_1hz.len() - W + 1) as f64;
    Some((acc / windows).powf(0.25))
}

/// Normalised power the way a first implementation writes it: every 30-s
/// window summed afresh (30× the work). Kept as the benchmark's baseline and
/// as a check on the rolling sum.
pub fn normalized_power_naive(power_1hz: &[f64]) -> Option<f64> {
    const W: usize = 30;
    if power_1hz.len() < W {
        return None;
    }
    let windows = power_1hz.windows(W);
    let n = windows.len() as f64;
    let acc: f64 = windows
        .map(|w| (w.iter().sum::<f64>() / W as f64).powi(4))
        .sum();
    Some((acc / n).powf(0.25))
}

/// Stress score: hours × IF² × 100 with IF = NP / FTP.
pub fn stress_score(duration_s: f64, np: f64, ftp: f64) -> f64 {
    if ftp <= 0.0 {
        return 0.0;
    }
    let intensity = np / ftp;
    duration_s / 3600.0 * intensity * intensity * 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    // science.md §6a vectors.
    #[test]
    fn np_vectors() {
        assert_eq!(normalized_power(&[1.0; 30]), Some(1.0)); // #1 [I] sweatpy
        assert!((normalized_power(&[200.0; 3600]).unwrap() - 200.0).abs() < 1e-9); // #3 [C]
        let mut intervals = Vec::new();
        for _ in 0..30 {
            intervals.extend([300.0; 60]);
            intervals.extend([100.0; 60]);
        }
        let np = normalized_power(&intervals).unwrap();
        assert!((np - 239.10).abs() < 0.01, "{np}"); // #4 [C] valid windows
        let tss = stress_score(3600.0, np, 250.0);
        assert!((np / 250.0 - 0.9564).abs() < 1e-4); // #5 [C]
        assert!((tss - 91.47).abs() < 0.01, "{tss}");
        let mut halves = vec![300.0; 1800];
        halves.extend([100.0; 1800]);
        assert!((normalized_power(&halves).unwrap() - 252.83).abs() < 0.01); // #6 [C]
        assert!((stress_score(3600.0, 300.0, 300.0) - 100.0).abs() < 1e-9); // #2 [I]
    }

    #[test]
    fn rolling_and_naive_np_agree() {
        let p: Vec<f64> = (0..5000)
            .map(|i| 150.0 + ((i * 7919) % 300) as f64)
            .collect();
        let (a, b) = (
            normalized_power(&p).unwrap(),
            normalized_power_naive(&p).unwrap(),
        );
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }
}
