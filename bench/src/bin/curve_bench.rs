//! Best efforts and mean-maximal curves.
//!
//! 1. One 4-hour 1-Hz trail run with power, heart rate, distance and
//!    altitude: cairn's search (two-pointer best efforts, prefix-sum curves
//!    for all five kinds) against the naive scan of every window in the
//!    same process (`curve_naive`, `fastest_gain_brute_force`).
//! 2. Aggregated curves over an imported archive (default 3000 files, one
//!    every two days: 16 years): time to answer once the per-activity curves
//!    are stored.
//!
//! Usage: `curve_bench [FILES]`.

use cairn_core::metrics::best::{fastest_gain_brute_force, BestEfforts, RUN_DISTANCES_M};
use cairn_core::metrics::curve::{
    activity_curves, curve_naive, per_second, CurveKind, DURATIONS_S,
};
use cairn_core::model::{Activity, ChannelKind, SourceFormat, Sport};
use cairn_core::sim::rng::Rng;
use cairn_core::timeline::Timeline;
use std::time::Instant;

fn four_hour_run() -> Activity {
    let mut rng = Rng::new(4);
    let mut a = Activity::new(SourceFormat::Fit, Sport::TrailRun, 0);
    let (mut d, mut alt, mut power, mut hr) = (0.0, 1200.0, 250.0, 140.0);
    for i in 0..4 * 3600 {
        let grade = 0.12 * ((i as f64) / 900.0).sin();
        let speed = (3.0 - 12.0 * grade.max(0.0) + rng.normal() * 0.2).max(0.5);
        d += speed;
        alt += speed * grade;
        power = (power + rng.normal() * 8.0).clamp(120.0, 400.0);
        hr = (hr + rng.normal() * 0.8).clamp(110.0, 185.0);
        a.samples.push_time(i * 1000);
        a.samples.set_last(ChannelKind::Distance, d);
        a.samples.set_last(ChannelKind::Altitude, alt);
        a.samples.set_last(ChannelKind::Power, power);
        a.samples.set_last(ChannelKind::HeartRate, hr);
    }
    a
}

/// The same results by scanning every window.
fn naive(a: &Activity) -> usize {
    let mut points = 0;
    let tl = Timeline::of(a);
    for kind in CurveKind::ALL {
        if let Some(series) = per_second(&tl, kind) {
            points += curve_naive(&series, &DURATIONS_S).iter().flatten().count();
        }
    }
    let times: Vec<f64> = a
        .samples
        .time_ms
        .iter()
        .map(|t| *t as f64 / 1000.0)
        .collect();
    let dist: Vec<f64> = a
        .samples
        .channel(ChannelKind::Distance)
        .map(|c| c.iter().map(|d| d.unwrap_or(0.0)).collect())
        .unwrap_or_default();
    for m in RUN_DISTANCES_M {
        points += fastest_gain_brute_force(&times, &dist, m).is_some() as usize;
    }
    points
}

/// cairn's way, building the timeline included.
fn fast(a: &Activity) -> usize {
    let tl = Timeline::of(a);
    let b = BestEfforts::of(a, &tl);
    let curves = activity_curves(a, &tl);
    b.run.len()
        + curves
            .iter()
            .map(|(_, c)| c.iter().flatten().count())
            .sum::<usize>()
}

/// The fastest of `runs` runs (at least one) and the last result.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let t = Instant::now();
    let mut out = f();
    let mut best = t.elapsed().as_secs_f64();
    for _ in 1..runs {
        let t = Instant::now();
        out = f();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3000);
    let a = four_hour_run();
    let (t_fast, p_fast) = best_of(5, || fast(&a));
    let (t_naive, p_naive) = best_of(2, || naive(&a));
    println!(
        "4-hour 1-Hz activity ({} samples): best efforts + 5 curves",
        a.samples.len()
    );
    println!(
        "  cairn {:.2} ms ({p_fast} values), naive {:.0} ms ({p_naive} values)",
        t_fast * 1e3,
        t_naive * 1e3
    );
    println!("RESULT curve_ratio={:.1}", t_naive / t_fast);

    let (mut cairn, _data) = cairn_bench::imported_archive(n)?;
    println!("archive: {n} files imported");
    for kind in CurveKind::ALL {
        let (t, points) = best_of(5, || cairn.curve(kind, None, None, None).map(|p| p.len()));
        let (t_year, _) = best_of(5, || {
            cairn
                .curve(kind, None, Some(20_000), Some(20_365))
                .map(|p| p.len())
        });
        println!(
            "  {:9} all time {:6.1} ms ({} points), one year {:6.1} ms",
            kind.id(),
            t * 1e3,
            points?,
            t_year * 1e3
        );
    }
    Ok(())
}
