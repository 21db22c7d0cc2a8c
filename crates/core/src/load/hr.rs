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

/// Longest time (s) between two readings for a jump between them to be a
/// spike: heart rate does not change by 25 bpm in 10 s, but it does over a
/// minute's stop.
pub const SPIKE_WITHIN_S: f64 = 10.0;
/// Half the time window (s) whose median a spike is judged against.
pub const SPIKE_MEDIAN_HALF_WINDOW_S: f64 = 15.0;

/// Removes heart-rate artefacts from readings at `times_s`: readings outside
/// 30–230 bpm, readings above the athlete's known maximum by more than
/// 10 bpm (a strap stuck at 220), and spikes: readings that jump more than
/// 25 bpm from a reading less than [`SPIKE_WITHIN_S`] away and differ by
/// more than 25 bpm from the median of the readings within ±15 s (optical
/// cadence lock, dropouts). Judged in time, not in readings, so a sparse
/// recording is cleaned as a dense one is. Returns the number removed.
pub fn clean_heart_rate(times_s: &[f64], hr: &mut [Option<f64>], known_max: Option<f64>) -> usize {
    let ceiling = known_max.map(|m| m + 10.0).unwrap_or(230.0).min(230.0);
    let mut removed = 0;
    for v in hr.iter_mut() {
        if v.is_some_and(|h| !(30.0..=ceiling).contains(&h)) {
            *v = None;
            removed += 1;
        }
    }
    let present: Vec<(f64, f64)> = times_s
        .iter()
        .zip(hr.iter())
        .filter_map(|(t, h)| Some((*t, (*h)?)))
        .collect();
    let index: Vec<usize> = (0..hr.len()).filter(|i| hr[*i].is_some()).collect();
    let mut window: Vec<f64> = Vec::new();
    let (mut lo, mut hi) = (0usize, 0usize);
    for (k, &(t, h)) in present.iter().enumerate() {
        let jump = |j: Option<usize>| {
            j.and_then(|j| present.get(j))
                .is_some_and(|&(tn, n)| (tn - t).abs() < SPIKE_WITHIN_S && (n - h).abs() > 25.0)
        };
        while lo < k && present[lo].0 < t - SPIKE_MEDIAN_HALF_WINDOW_S {
            lo += 1;
        }
        while hi < present.len() && present[hi].0 <= t + SPIKE_MEDIAN_HALF_WINDOW_S {
            hi += 1;
        }
        if !jump(k.checked_sub(1)) && !jump(Some(k + 1)) {
            continue;
        }
        window.clear();
        window.extend(present[lo..hi].iter().map(|p| p.1));
        if window.len() < 3 {
            continue;
        }
        window.sort_by(|a, b| a.total_cmp(b));
        let median = window[window.len() / 2];
        if (h - median).abs() > 25.0 {
            hr[index[k]] = None;
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
        let times: Vec<f64> = (0..hr.len()).map(|i| i as f64).collect();
        let removed = clean_heart_rate(&times, &mut hr, Some(185.0));
        assert_eq!(removed, 62);
        assert!(hr.iter().flatten().all(|h| *h == 140.0));
    }
}
