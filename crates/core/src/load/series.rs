//! Daily series per dimension: fitness (chronic), fatigue (acute), form, ramp,
//! acute:chronic ratio, and Foster's weekly monotony and strain.
//!
//! * Fitness/fatigue: exponentially weighted daily load with time constants
//!   42 and 7 days (Performance Management Chart; science.md §7b). Tools
//!   disagree on the smoothing constant: 1 − e^(−1/N) (WKO+, GoldenCheetah,
//!   Elevate; cairn's default), 1/N (TrainingPeaks' text), 2/(N+1) (EWMA as
//!   in Williams 2017). All three are available as [`Smoothing`].
//!   Form = yesterday's fitness − yesterday's fatigue (TrainingPeaks' default).
//! * Acute:chronic: EWMA with λ = 2/(N+1), N = 7 and 28 (Williams S et al.
//!   Br J Sports Med 2017;51:209–210). Descriptive only (science.md §8a:
//!   the injury-prediction claims are discredited).
//! * Monotony = mean / SD of the 7 daily loads (population SD), strain =
//!   weekly load × monotony (Foster C. Med Sci Sports Exerc 1998;30:1164–1168).
//!
//! Rest days count as zero. **Seeding**: starting every series at zero shows
//! a fake "unfit" athlete for the first six weeks (CTL reaches only 63 % of a
//! constant load after 42 days). cairn seeds fitness, fatigue and both EWMAs
//! with the mean daily load of the first 28 days of history (or of all days
//! when there are fewer): the athlete arrives as fit as their first four
//! weeks show. [`Seed::Zero`] reproduces the published vectors.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Smoothing {
    /// λ = 1 − e^(−1/N)
    Exponential,
    /// λ = 1/N
    Inverse,
    /// λ = 2/(N+1)
    Ewma,
}

impl Smoothing {
    pub fn lambda(self, n: f64) -> f64 {
        match self {
            Smoothing::Exponential => 1.0 - (-1.0 / n).exp(),
            Smoothing::Inverse => 1.0 / n,
            Smoothing::Ewma => 2.0 / (n + 1.0),
        }
    }

    /// The word settings and flags use.
    pub fn id(self) -> &'static str {
        match self {
            Smoothing::Exponential => "exponential",
            Smoothing::Inverse => "inverse",
            Smoothing::Ewma => "ewma",
        }
    }

    pub fn from_id(text: &str) -> Option<Smoothing> {
        match text {
            "exponential" | "exp" => Some(Smoothing::Exponential),
            "inverse" | "1/n" => Some(Smoothing::Inverse),
            "ewma" => Some(Smoothing::Ewma),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Seed {
    Zero,
    /// Mean daily load of the first N days.
    FirstDays(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SeriesConfig {
    pub fitness_days: f64,
    pub fatigue_days: f64,
    pub smoothing: Smoothing,
    pub seed: Seed,
}

impl Default for SeriesConfig {
    fn default() -> SeriesConfig {
        SeriesConfig {
            fitness_days: 42.0,
            fatigue_days: 7.0,
            smoothing: Smoothing::Exponential,
            seed: Seed::FirstDays(28),
        }
    }
}

/// One day of one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DayPoint {
    /// Days since 1970-01-01 (local calendar day).
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    pub load: f64,
    pub fitness: f64,
    pub fatigue: f64,
    /// Yesterday's fitness − yesterday's fatigue.
    pub form: f64,
    /// Fitness change over the last 7 days.
    pub ramp: f64,
    pub acute_ewma: f64,
    pub chronic_ewma: f64,
    /// acute / chronic EWMA; `None` while chronic load is near zero.
    pub acwr: Option<f64>,
}

/// Below this chronic daily load a ratio means nothing (division by ~0).
pub const MIN_CHRONIC_FOR_RATIO: f64 = 1.0;

/// Computes the series over consecutive days from `first_day`; `loads[k]` is
/// the total load of day `first_day + k` (0 on rest days).
pub fn daily_series(first_day: i32, loads: &[f64], cfg: &SeriesConfig) -> Vec<DayPoint> {
    let seed = match cfg.seed {
        Seed::Zero => 0.0,
        Seed::FirstDays(n) => {
            let k = n.min(loads.len()).max(1);
            loads.iter().take(k).sum::<f64>() / k as f64
        }
    };
    let mut out: Vec<DayPoint> = Vec::with_capacity(loads.len());
    extend(
        &mut out,
        first_day,
        (seed, seed, seed, seed),
        seed,
        loads,
        cfg,
    );
    out
}

/// `history` carried on over the days after its last, with these loads:
/// the same recurrences from its last state, so the first new day's form is
/// the last day's fitness minus fatigue (a plan's course continues the
/// athlete's own). Equal to computing the whole series at once whenever the
/// seed does not depend on the new days.
pub fn continued(history: &[DayPoint], loads: &[f64], cfg: &SeriesConfig) -> Vec<DayPoint> {
    let Some(last) = history.last() else {
        return daily_series(0, loads, cfg);
    };
    let mut out = history.to_vec();
    let state = (
        last.fitness,
        last.fatigue,
        last.acute_ewma,
        last.chronic_ewma,
    );
    // The ramp's first week looks back to the seed, which the history's
    // first point's own ramp gives: fitness − ramp.
    let seed = history[0].fitness - history[0].ramp;
    extend(&mut out, last.day + 1, state, seed, loads, cfg);
    out.split_off(history.len())
}

/// Appends one point per load to `out` from the state (fitness, fatigue,
/// acute and chronic EWMA) after its last point.
fn extend(
    out: &mut Vec<DayPoint>,
    first_day: i32,
    state: (f64, f64, f64, f64),
    seed: f64,
    loads: &[f64],
    cfg: &SeriesConfig,
) {
    let lf = cfg.smoothing.lambda(cfg.fitness_days);
    let la = cfg.smoothing.lambda(cfg.fatigue_days);
    let (wa, wc) = (2.0 / 8.0, 2.0 / 29.0);
    let (mut ctl, mut atl, mut acute, mut chronic) = state;
    for (i, &load) in loads.iter().enumerate() {
        let form = ctl - atl;
        ctl += (load - ctl) * lf;
        atl += (load - atl) * la;
        acute += (load - acute) * wa;
        chronic += (load - chronic) * wc;
        let k = out.len();
        let ramp = if k >= 7 {
            ctl - out[k - 7].fitness
        } else {
            ctl - seed
        };
        out.push(DayPoint {
            day: first_day + i as i32,
            load,
            fitness: ctl,
            fatigue: atl,
            form,
            ramp,
            acute_ewma: acute,
            chronic_ewma: chronic,
            acwr: (chronic >= MIN_CHRONIC_FOR_RATIO).then(|| acute / chronic),
        });
    }
}

/// The same series computed the slow way, for the benchmark's baseline:
/// every day's values recomputed from the whole history before it.
pub fn daily_series_naive(first_day: i32, loads: &[f64], cfg: &SeriesConfig) -> Vec<DayPoint> {
    (1..=loads.len())
        .filter_map(|k| daily_series(first_day, &loads[..k], cfg).last().copied())
        .collect()
}

/// Foster's weekly monotony and strain over 7 daily loads (population SD).
/// `None` for monotony when every day is identical (SD 0).
pub fn monotony_strain(week: &[f64]) -> (f64, Option<f64>, Option<f64>) {
    let total: f64 = week.iter().sum();
    let n = week.len().max(1) as f64;
    let mean = total / n;
    let sd = (week.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    if sd > 1e-9 {
        let monotony = mean / sd;
        (total, Some(monotony), Some(total * monotony))
    } else {
        (total, None, None)
    }
}

/// Banister's impulse–response performance (science.md §7a), for the sheet's vectors.
pub fn banister_performance(
    p0: f64,
    k1: f64,
    k2: f64,
    tau1: f64,
    tau2: f64,
    loads: &[f64],
) -> Vec<f64> {
    let (mut g, mut h) = (0.0, 0.0);
    loads
        .iter()
        .map(|w| {
            g = g * (-1.0 / tau1).exp() + w;
            h = h * (-1.0 / tau2).exp() + w;
            p0 + k1 * g - k2 * h
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A series carried on from any day equals the series computed at
        /// once, for either smoothing and a seed the new days do not touch.
        #[test]
        fn a_continued_series_is_the_series_computed_at_once(
            loads in proptest::collection::vec(0.0..300.0f64, 30..120),
            split in 28usize..30,
            simple in any::<bool>(),
        ) {
            let cfg = SeriesConfig {
                smoothing: if simple { Smoothing::Inverse } else { Smoothing::Exponential },
                ..SeriesConfig::default()
            };
            let whole = daily_series(100, &loads, &cfg);
            let head = daily_series(100, &loads[..split], &cfg);
            let tail = continued(&head, &loads[split..], &cfg);
            prop_assert_eq!(tail.len(), loads.len() - split);
            for (a, b) in whole[split..].iter().zip(&tail) {
                prop_assert_eq!(a.day, b.day);
                for (x, y) in [(a.fitness, b.fitness), (a.fatigue, b.fatigue), (a.form, b.form), (a.ramp, b.ramp), (a.acute_ewma, b.acute_ewma)] {
                    prop_assert!((x - y).abs() < 1e-9, "{a:?} vs {b:?}");
                }
            }
        }
    }

    fn zero(smoothing: Smoothing) -> SeriesConfig {
        SeriesConfig {
            smoothing,
            seed: Seed::Zero,
            ..SeriesConfig::default()
        }
    }

    // science.md §7b [C]: constant 100/day from zero.
    #[test]
    fn pmc_vectors() {
        let s = daily_series(0, &[100.0; 42], &zero(Smoothing::Exponential));
        for (day, ctl, atl) in [(1, 2.353, 13.312), (7, 15.35, 63.21), (42, 63.21, 99.75)] {
            assert!(
                (s[day - 1].fitness - ctl).abs() < 0.005,
                "day {day}: {}",
                s[day - 1].fitness
            );
            assert!(
                (s[day - 1].fatigue - atl).abs() < 0.005,
                "day {day}: {}",
                s[day - 1].fatigue
            );
        }
        assert!((s[7].form - (-47.86)).abs() < 0.01, "{}", s[7].form);
        let s = daily_series(0, &[100.0; 42], &zero(Smoothing::Inverse));
        for (day, ctl, atl) in [(1, 2.381, 14.286), (7, 15.52, 66.01), (42, 63.65, 99.85)] {
            assert!((s[day - 1].fitness - ctl).abs() < 0.005, "day {day}");
            assert!((s[day - 1].fatigue - atl).abs() < 0.005, "day {day}");
        }
    }

    // science.md §7a [S]: Clarke & Skiba spreadsheet, sheet "6 - IR model def".
    #[test]
    fn banister_vectors() {
        let p = banister_performance(500.0, 1.0, 2.0, 27.0, 10.0, &[100.0; 17]);
        for (day, want) in [
            (1, 400.0),
            (2, 315.3966),
            (3, 244.5107),
            (4, 185.8310),
            (5, 137.9973),
            (12, 18.2080),
            (17, 67.2476),
        ] {
            assert!(
                (p[day - 1] - want).abs() < 1e-3,
                "day {day}: {}",
                p[day - 1]
            );
        }
    }

    // science.md §8a [C]: ACWR-package seeding (first day's load) = cairn's
    // first-days seeding over one day of constant load.
    #[test]
    fn acwr_vectors() {
        let mut loads = vec![30.0; 21];
        loads.extend([50.0; 7]);
        let cfg = SeriesConfig {
            seed: Seed::FirstDays(1),
            ..SeriesConfig::default()
        };
        let s = daily_series(0, &loads, &cfg);
        assert!((s[20].acwr.unwrap() - 1.0).abs() < 1e-9);
        assert!((s[21].acute_ewma - 35.000).abs() < 1e-3);
        assert!((s[21].chronic_ewma - 31.379).abs() < 1e-3);
        assert!((s[27].acute_ewma - 47.330).abs() < 1e-3);
        assert!((s[27].chronic_ewma - 37.872).abs() < 1e-3);
        assert!((s[27].acwr.unwrap() - 1.250).abs() < 1e-3);
    }

    // science.md §8b [C].
    #[test]
    fn foster_monotony() {
        let (total, monotony, strain) =
            monotony_strain(&[300.0, 0.0, 450.0, 200.0, 600.0, 0.0, 900.0]);
        assert_eq!(total, 2450.0);
        assert!((monotony.unwrap() - 1.153).abs() < 1e-3);
        assert!((strain.unwrap() - 2825.0).abs() < 1.0);
        assert_eq!(monotony_strain(&[100.0; 7]).1, None);
    }

    #[test]
    fn seeding_avoids_a_fake_unfit_start() {
        let s = daily_series(0, &[60.0; 10], &SeriesConfig::default());
        assert!((s[0].fitness - 60.0).abs() < 1e-9);
        assert!((s[9].form).abs() < 1e-9);
    }

    #[test]
    fn naive_and_fast_agree() {
        let loads: Vec<f64> = (0..200).map(|i| ((i * 37) % 11) as f64 * 10.0).collect();
        let a = daily_series(5, &loads, &SeriesConfig::default());
        let b = daily_series_naive(5, &loads, &SeriesConfig::default());
        for (x, y) in a.iter().zip(&b) {
            // The seed depends on the first 28 days, so compare once they are all in.
            if x.day >= 5 + 28 {
                assert!((x.fitness - y.fitness).abs() < 1e-9);
            }
        }
    }
}
