//! Heart-rate load: Banister TRIMP and its normalisation to "1 hour at
//! threshold = 100" (HRSS / TRIMP100).
//!
//! Banister EW, Calvert TW, Savage MV, Bach T. *A systems model of training for
//! athletic performance.* Aust J Sports Med 1975;7:57–61; sex coefficients as in
//! Morton, Fitz-Clarke & Banister 1990 (men 0.64·e^1.92x, women 0.86·e^1.67x).
//! Normalisation as in GoldenCheetah's TRIMP100 and Elevate's HRSS
//! (science.md §5a, §5d). When the athlete's sex is unknown the men's
//! coefficients are used, as GoldenCheetah does; `explain` says so.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// (a, b) in y = a·e^(b·x).
    pub fn coefficients(self) -> (f64, f64) {
        match self {
            Sex::Male => (0.64, 1.92),
            Sex::Female => (0.86, 1.67),
        }
    }
}

/// Fraction of heart-rate reserve, clamped to 0..1.
pub fn hrr_fraction(hr: f64, rest: f64, max: f64) -> f64 {
    ((hr - rest) / (max - rest)).clamp(0.0, 1.0)
}

/// TRIMP for `minutes` at one heart rate.
pub fn trimp_constant(minutes: f64, hr: f64, rest: f64, max: f64, sex: Sex) -> f64 {
    let (a, b) = sex.coefficients();
    let x = hrr_fraction(hr, rest, max);
    minutes * x * a * (b * x).exp()
}

/// TRIMP summed second by second over a 1-Hz series (the
/// [`crate::timeline::Timeline`]'s heart rate, gaps already decided there),
/// which counts intervals properly where "duration × average HR" does not.
pub fn trimp_per_second(hr: &[Option<f64>], rest: f64, max: f64, sex: Sex) -> f64 {
    let (a, b) = sex.coefficients();
    hr.iter()
        .flatten()
        .map(|h| {
            let x = hrr_fraction(*h, rest, max);
            x * a * (b * x).exp() / 60.0
        })
        .sum()
}

/// TRIMP of one hour at lactate-threshold heart rate: the "100" of the scale.
pub fn trimp_threshold_hour(lthr: f64, rest: f64, max: f64, sex: Sex) -> f64 {
    trimp_constant(60.0, lthr, rest, max, sex)
}

/// Heart-rate load on the common scale: 100 × TRIMP / TRIMP(1 h at LTHR).
pub fn hrss(trimp: f64, lthr: f64, rest: f64, max: f64, sex: Sex) -> f64 {
    let reference = trimp_threshold_hour(lthr, rest, max, sex);
    if reference > 0.0 {
        100.0 * trimp / reference
    } else {
        0.0
    }
}

/// Removes heart-rate artefacts: readings outside 30–230 bpm, readings above
/// the athlete's known maximum by more than 10 bpm (a strap stuck at 220),
/// and spikes: readings that jump more than 25 bpm from a neighbour and differ
/// by more than 25 bpm from the median of their 9-sample neighbourhood
/// (optical cadence lock, dropouts).
/// Returns the number of readings removed.
pub fn clean_heart_rate(hr: &mut [Option<f64>], known_max: Option<f64>) -> usize {
    let ceiling = known_max.map(|m| m + 10.0).unwrap_or(230.0).min(230.0);
    let mut removed = 0;
    for v in hr.iter_mut() {
        if v.is_some_and(|h| !(30.0..=ceiling).contains(&h)) {
            *v = None;
            removed += 1;
        }
    }
    let snapshot: Vec<Option<f64>> = hr.to_vec();
    let mut window: Vec<f64> = Vec::with_capacity(9);
    for i in 0..hr.len() {
        let Some(h) = snapshot[i] else { continue };
        let jump =
            |j: Option<&Option<f64>>| j.copied().flatten().is_some_and(|n| (n - h).abs() > 25.0);
        if !jump(i.checked_sub(1).and_then(|j| snapshot.get(j))) && !jump(snapshot.get(i + 1)) {
            continue;
        }
        window.clear();
        window.extend(
            snapshot[i.saturating_sub(4)..(i + 5).min(snapshot.len())]
                .iter()
                .flatten(),
        );
        if window.len() < 5 {
            continue;
        }
        window.sort_by(|a, b| a.total_cmp(b));
        let median = window[window.len() / 2];
        if (h - median).abs() > 25.0 {
            hr[i] = None;
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    // science.md §5a #1 [S]: Clarke & Skiba 2013 spreadsheet (avg-HR method).
    #[test]
    fn banister_trimp_clarke_skiba() {
        let x = hrr_fraction(137.76197, 45.0, 190.0);
        assert!((x - 0.639738).abs() < 1e-6);
        let t = trimp_constant(60.46471, 137.76197, 45.0, 190.0, Sex::Male);
        assert!((t - 84.5525).abs() < 1e-3, "{t}");
        // #2 [C] female coefficients; #3 [C].
        assert!(
            (trimp_constant(60.46471, 137.76197, 45.0, 190.0, Sex::Female) - 96.82).abs() < 0.01
        );
        assert!((trimp_constant(60.0, 155.0, 50.0, 190.0, Sex::Male) - 121.6).abs() < 0.05);
    }

    // science.md §5d #1, #2 [I]: Elevate's HRSS test (TRIMP 333, max 190, rest 60).
    #[test]
    fn hrss_elevate_vectors() {
        assert!((hrss(333.0, 163.0, 60.0, 190.0, Sex::Male) - 239.09).abs() < 0.01);
        assert!((hrss(333.0, 170.5, 60.0, 190.0, Sex::Male) - 199.49).abs() < 0.01);
        // One hour at LTHR is 100 by construction.
        let t = trimp_constant(60.0, 163.0, 60.0, 190.0, Sex::Male);
        assert!((hrss(t, 163.0, 60.0, 190.0, Sex::Male) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn per_second_trimp_equals_constant_for_steady_hr() {
        let hr = vec![Some(155.0); 3600];
        let t = trimp_per_second(&hr, 50.0, 190.0, Sex::Male);
        assert!((t - 121.6).abs() < 0.05, "{t}");
    }

    #[test]
    fn a_strap_stuck_at_220_is_removed() {
        let mut hr: Vec<Option<f64>> = (0..300)
            .map(|i| {
                Some(if (100..160).contains(&i) {
                    220.0
                } else {
                    140.0
                })
            })
            .collect();
        hr[20] = Some(250.0);
        hr[40] = Some(60.0);
        let removed = clean_heart_rate(&mut hr, Some(185.0));
        assert_eq!(removed, 62);
        assert!(hr.iter().flatten().all(|h| *h == 140.0));
    }
}
