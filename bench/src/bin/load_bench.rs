//! Load recomputation benchmark: every activity's aerobic and mechanical load
//! and the full daily series, over a large archive, against a naive baseline
//! in the same run.
//!
//! * cairn: `Cairn::loads(force)` (decode samples, compute every load in
//!   parallel, store them) then `Cairn::series` (O(days) per series).
//! * baseline: one thread, each activity's samples decoded, normalised power
//!   with every 30-s window summed afresh, heart-rate TRIMP, and the daily
//!   series recomputed from the start of history for every day (O(days²)).
//!
//! Usage: `load_bench [FILES]` (default 3000: about ten years of activities).

use cairn_core::load::hr::Sex;
use cairn_core::load::power::normalized_power_naive;
use cairn_core::load::series::{daily_series_naive, SeriesConfig};
use cairn_core::model::ChannelKind;
use cairn_store::ActivityFilter;
use std::time::Instant;

/// The baseline's own 1-Hz series: each value held for its interval, gaps
/// as 0, intervals over 5 s left out (the first implementation's rule).
fn hold_1hz(times: &[f64], values: &[Option<f64>]) -> Vec<f64> {
    let mut out = Vec::with_capacity(times.len());
    for i in 0..times.len().saturating_sub(1) {
        let dt = times[i + 1] - times[i];
        if dt > 0.0 && dt <= 5.0 {
            for _ in 0..(dt.round() as usize).max(1) {
                out.push(values[i].unwrap_or(0.0));
            }
        }
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3000);
    let (mut cairn, _data) = cairn_bench::imported_archive(n)?;
    let activities = cairn.activities(&ActivityFilter::default())?;
    let samples: u64 = activities.iter().map(|a| a.summary.samples as u64).sum();
    let first = activities.iter().map(|a| a.start_ms).min().unwrap_or(0) / 86_400_000;
    let last = activities.iter().map(|a| a.start_ms).max().unwrap_or(0) / 86_400_000;
    println!(
        "archive: {} activities, {samples} samples, {} days",
        activities.len(),
        last - first + 1
    );

    // Warm the estimates (activity facts are computed at import).
    cairn.estimates()?;
    let t = Instant::now();
    let report = cairn.loads(true)?;
    let t_loads = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let series = cairn.series(last as i32)?;
    let t_series = t.elapsed().as_secs_f64();
    let fast = t_loads + t_series;
    if report.recomputed != activities.len() {
        return Err(format!(
            "recomputed {} of {} activities",
            report.recomputed,
            activities.len()
        )
        .into());
    }

    let t = Instant::now();
    let mut daily = vec![0.0; (last - first + 1) as usize];
    for a in &activities {
        let s = cairn.samples(a.id)?;
        let t0 = s.time_ms.first().copied().unwrap_or(0);
        let times: Vec<f64> = s.time_ms.iter().map(|x| (x - t0) as f64 / 1000.0).collect();
        let mut load = 0.0;
        if let Some(p) = s.channel(ChannelKind::Power) {
            if let Some(np) = normalized_power_naive(&hold_1hz(&times, p)) {
                load += np;
            }
        }
        if let Some(hr) = s.channel(ChannelKind::HeartRate) {
            let (a, b) = Sex::Male.coefficients();
            load += hold_1hz(&times, hr)
                .iter()
                .map(|h| {
                    let x = ((h - 60.0) / 130.0).clamp(0.0, 1.0);
                    x * a * (b * x).exp() / 60.0
                })
                .sum::<f64>();
        }
        daily[(a.start_ms / 86_400_000 - first) as usize] += load;
    }
    let cfg = SeriesConfig::default();
    let mut points = 0;
    for _ in 0..series.len() {
        points += daily_series_naive(first as i32, &daily, &cfg).len();
    }
    let baseline = t.elapsed().as_secs_f64();
    println!("cairn:    loads {t_loads:6.2} s + series {t_series:5.2} s = {fast:6.2} s  {:>10.0} samples/s", samples as f64 / fast);
    println!(
        "baseline: {baseline:6.2} s  {:>10.0} samples/s  ({} series, {points} day points)",
        samples as f64 / baseline,
        series.len()
    );
    println!("ratio baseline / cairn: {:.1}x", baseline / fast);
    Ok(())
}
