//! The fitness page and `/api/v1/fitness`: fitness, fatigue and form of
//! both loads over a range, the last weeks' load and the warnings.

use crate::calendar::day_param;
use crate::{AppState, Problem};
use axum::extract::{Query, State};
use cairn_core::load::series::DayPoint;
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FitnessQuery {
    /// Days shown, ending on `to` (90 by default).
    pub days: Option<String>,
    /// The last day, `YYYY-MM-DD`; today by default.
    pub to: Option<String>,
}

/// The range asked for: (first day, last day).
fn range(q: &FitnessQuery, today: i32) -> Result<(i32, i32), Problem> {
    let to = day_param(q.to.as_deref(), "to")?.unwrap_or(today);
    let days: i32 = match q.days.as_deref() {
        None => 90,
        Some(d) => d
            .trim()
            .parse()
            .ok()
            .filter(|n| (7..=3660).contains(n))
            .ok_or_else(|| {
                Problem::bad_request(format!("days={d}: a number of days from 7 to 3660"))
            })?,
    };
    Ok((to - days + 1, to))
}

/// `GET /api/v1/fitness`: what `form --json` prints for the same range.
#[utoipa::path(get, path = "/api/v1/fitness", params(FitnessQuery),
    responses((status = 200, description = "Both loads' series, overall and per sport family", body = Vec<crate::openapi::FitnessSeriesDoc>), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn api(
    State(state): State<AppState>,
    Query(q): Query<FitnessQuery>,
) -> Result<crate::api::JsonBody, Problem> {
    let (from, to) = range(&q, state.today())?;
    state
        .with(move |cairn| {
            let series = cairn.series_shared(to)?;
            crate::api::json(cairn_app::json::form(&series, from, to))
        })
        .await
}

/// `GET /api/v1/fitness/planned`: the overall aerobic series continued
/// past today by the active plan's planned load (empty without a plan).
#[utoipa::path(get, path = "/api/v1/fitness/planned",
    responses((status = 200, description = "The days after today, as the plan would have them", body = Vec<crate::openapi::DayPointDoc>)))]
pub async fn planned(State(state): State<AppState>) -> Result<crate::api::JsonBody, Problem> {
    let today = state.today();
    state
        .with(move |cairn| crate::api::json(cairn.planned_course(today)?))
        .await
}

/// A line chart of fitness, fatigue and form, drawn here as SVG: three
/// lines over the days, form about its zero line.
fn chart(points: &[&DayPoint]) -> Markup {
    const W: f64 = 720.0;
    const H: f64 = 200.0;
    if points.len() < 2 {
        return html! {};
    }
    let values = points.iter().flat_map(|p| [p.fitness, p.fatigue, p.form]);
    let (lo, hi) = values.fold((0.0f64, 1.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let x = |i: usize| 40.0 + (W - 50.0) * i as f64 / (points.len() - 1) as f64;
    let y = |v: f64| 10.0 + (H - 30.0) * (hi - v) / (hi - lo).max(1e-9);
    let line = |f: &dyn Fn(&DayPoint) -> f64| -> String {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(f(p))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let first = cairn_app::day_text(points[0].day);
    let last = cairn_app::day_text(points[points.len() - 1].day);
    html! {
        svg viewBox={ "0 0 " (W) " " (H) } width="100%" style="max-width: 760px; display: block" role="img" aria-label="fitness, fatigue and form" {
            line x1="40" x2=(W - 10.0) y1=(format!("{:.1}", y(0.0))) y2=(format!("{:.1}", y(0.0))) stroke="#d0d7de" {}
            polyline fill="none" stroke="#1d5c8f" stroke-width="2" points=(line(&|p| p.fitness)) {}
            polyline fill="none" stroke="#d4582a" stroke-width="1.5" points=(line(&|p| p.fatigue)) {}
            polyline fill="none" stroke="#3f9142" stroke-width="1.5" points=(line(&|p| p.form)) {}
            text x="40" y=(H - 4.0) font-size="11" fill="#57606a" { (first) }
            text x=(W - 10.0) y=(H - 4.0) font-size="11" fill="#57606a" text-anchor="end" { (last) }
            text x="36" y=(format!("{:.1}", y(hi) + 4.0)) font-size="11" fill="#57606a" text-anchor="end" { (format!("{hi:.0}")) }
            text x="36" y=(format!("{:.1}", y(lo) + 4.0)) font-size="11" fill="#57606a" text-anchor="end" { (format!("{lo:.0}")) }
        }
    }
}

/// `GET /fitness`: both loads' fitness, fatigue and form, overall and per
/// sport, the last four weeks and the warnings.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<FitnessQuery>,
) -> Result<Markup, Problem> {
    let (from, to) = range(&q, state.today())?;
    let (series, warnings) = state
        .with(move |cairn| {
            // One computation of the series serves the chart and the warnings.
            let series = cairn.series_shared(to)?;
            let warnings = cairn_app::training::warnings_of(&series, to);
            Ok((series, warnings))
        })
        .await?;
    let body = html! {
        p {
            "From " (cairn_app::day_text(from)) " to " (cairn_app::day_text(to)) " · "
            @for d in [30, 90, 365] { a href={ "/fitness?days=" (d) "&to=" (cairn_app::day_text(to)) } { (d) " days" } " " }
        }
        @if series.is_empty() { p { "No activities yet." } }
        @for s in series.iter().filter(|s| s.sport.is_none()) {
            @let points: Vec<&DayPoint> = s.points.iter().filter(|p| p.day >= from && p.day <= to).collect();
            h2 { (s.dimension) " load" @if !s.unit.is_empty() { " (" (s.unit) ")" } }
            @if let Some(p) = points.last() {
                p {
                    span style="color:#1d5c8f" { "fitness " (format!("{:.0}", p.fitness)) } " · "
                    span style="color:#d4582a" { "fatigue " (format!("{:.0}", p.fatigue)) } " · "
                    span style="color:#3f9142" { "form " (cairn_app::units::signed(p.form, 0)) } " · "
                    "ramp " (cairn_app::units::signed(p.ramp, 1)) "/week"
                    @if let Some(r) = p.acwr { " · acute:chronic " (format!("{r:.2}")) }
                }
            }
            div.fitness-chart data-dimension=(s.dimension) {
                (chart(&points))
            }
            table {
                tr { th { "week ending" } th { "load" } th { "monotony" } th { "strain" } }
                @for w in cairn_app::json::weeks(&s.points, to, 4) {
                    tr {
                        td { (w.last_day) }
                        td { (format!("{:.0}", w.load)) }
                        td { (w.monotony.map_or("-".into(), |m| format!("{m:.1}"))) }
                        td { (w.strain.map_or("-".into(), |m| format!("{m:.0}"))) }
                    }
                }
            }
            h3 { "By sport" }
            table {
                tr { th { "sport" } th { "fitness" } th { "fatigue" } th { "form" } }
                @for sp in series.iter().filter(|x| x.dimension == s.dimension && x.sport.is_some()) {
                    @if let Some(p) = sp.points.iter().rfind(|p| p.day <= to) {
                        tr {
                            td { (sp.sport.unwrap_or("")) }
                            td { (format!("{:.0}", p.fitness)) }
                            td { (format!("{:.0}", p.fatigue)) }
                            td { (cairn_app::units::signed(p.form, 0)) }
                        }
                    }
                }
            }
        }
        h2 { "Warnings" }
        @if warnings.is_empty() { p { "None for the week ending " (cairn_app::day_text(to)) "." } }
        ul { @for w in &warnings { li { (cairn_app::day_text(w.day)) ": " (w.message) } } }
        p { a href={ "/api/v1/fitness?days=" (to - from + 1) "&to=" (cairn_app::day_text(to)) } { "as JSON" } }
    };
    let body = html! {
        div #fitness data-src={ "/api/v1/fitness?days=" (to - from + 1) "&to=" (cairn_app::day_text(to)) }
            data-planned=(if to == state.today() { "/api/v1/fitness/planned" } else { "" }) {
            (body)
        }
    };
    Ok(crate::pages::page_with(
        "Fitness",
        body,
        &["uPlot.min.css"],
        &["uPlot.iife.min.js", "fitness.js"],
    ))
}
