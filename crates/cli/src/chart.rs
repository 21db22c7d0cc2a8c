//! SVG charts drawn with plotters.

use anyhow::{Context, Result};
use cairn_app::training::Series;
use plotters::prelude::*;

/// Fitness, fatigue and form for both dimensions, one panel each.
pub fn form_svg(path: &std::path::Path, series: &[Series], from: i32, to: i32) -> Result<()> {
    let root = SVGBackend::new(path, (1000, 640)).into_drawing_area();
    root.fill(&WHITE)?;
    let panels = root.split_evenly((2, 1));
    for (panel, dimension) in panels.iter().zip(["aerobic", "mechanical"]) {
        let Some(s) = series
            .iter()
            .find(|s| s.dimension == dimension && s.sport.is_none())
        else {
            continue;
        };
        let pts: Vec<_> = s
            .points
            .iter()
            .filter(|p| p.day >= from && p.day <= to)
            .collect();
        if pts.is_empty() {
            continue;
        }
        let lo = pts
            .iter()
            .map(|p| p.form.min(0.0))
            .fold(f64::INFINITY, f64::min);
        let hi = pts
            .iter()
            .map(|p| p.fitness.max(p.fatigue))
            .fold(f64::NEG_INFINITY, f64::max)
            .max(1.0);
        let mut chart = ChartBuilder::on(panel)
            .caption(
                if s.unit.is_empty() {
                    dimension.to_string()
                } else {
                    format!("{dimension} ({})", s.unit)
                },
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(48)
            .build_cartesian_2d(from..to, (lo * 1.1)..(hi * 1.1))?;
        chart
            .configure_mesh()
            .x_labels(6)
            .x_label_formatter(&|d| cairn_app::day_text(*d))
            .draw()?;
        let line = |f: fn(&&cairn_core::load::DayPoint) -> f64| {
            pts.iter().map(move |p| (p.day, f(p))).collect::<Vec<_>>()
        };
        chart
            .draw_series(LineSeries::new(line(|p| p.fitness), &BLUE))?
            .label("fitness (42 d)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLUE));
        chart
            .draw_series(LineSeries::new(line(|p| p.fatigue), &RED))?
            .label("fatigue (7 d)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED));
        chart
            .draw_series(LineSeries::new(line(|p| p.form), &GREEN))?
            .label("form")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], GREEN));
        chart
            .configure_series_labels()
            .border_style(BLACK)
            .background_style(WHITE.mix(0.8))
            .draw()?;
    }
    root.present()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// A mean-maximal curve on a logarithmic duration axis.
pub fn curve_svg(path: &std::path::Path, title: &str, points: &[(f64, f64)]) -> Result<()> {
    let root = SVGBackend::new(path, (1000, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    let (x0, x1) = (
        points.first().map_or(1.0, |p| p.0),
        points.last().map_or(2.0, |p| p.0).max(2.0),
    );
    let hi = points.iter().map(|p| p.1).fold(0.0, f64::max).max(1e-9);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(56)
        .build_cartesian_2d((x0..x1).log_scale(), 0.0..hi * 1.1)?;
    chart
        .configure_mesh()
        .x_desc("duration")
        .x_label_formatter(&|s| crate::units::clock(*s))
        .draw()?;
    chart.draw_series(LineSeries::new(points.iter().copied(), &BLUE))?;
    chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, BLUE.filled())))?;
    root.present()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
