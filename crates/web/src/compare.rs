//! Two periods of one sport side by side: per-session means, differences
//! with 95 % intervals, the conditions that also differed, and the verdict
//! in plain words, as `cairn compare` says them; `/api/v1/compare` is
//! `cairn compare --json`.

use crate::calendar::day_param;
use crate::{AppState, Problem};
use axum::extract::{Query, State};
use cairn_app::compare_text::{conclusion, metric_name, verdict_text, Shown};
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// `run`, `ride` or `hike` (`run` by default).
    pub sport: Option<String>,
    /// Period A's first and last days, `YYYY-MM-DD`.
    pub a_from: Option<String>,
    pub a_to: Option<String>,
    /// Period B's first and last days; by default the 90 days to today,
    /// and A the same days a year before.
    pub b_from: Option<String>,
    pub b_to: Option<String>,
}

struct Periods {
    family: &'static str,
    a: (i32, i32),
    b: (i32, i32),
}

fn periods(q: &CompareQuery, today: i32) -> Result<Periods, Problem> {
    let family = match q.sport.as_deref().filter(|s| !s.is_empty()) {
        None | Some("run") => "run",
        Some("ride") => "ride",
        Some("hike") => "hike",
        Some(other) => {
            return Err(Problem::bad_request(format!(
                "sport={other}: one of run, ride, hike"
            )))
        }
    };
    let day = |t: &Option<String>, what: &str| day_param(t.as_deref(), what);
    let b_to = day(&q.b_to, "b_to")?.unwrap_or(today);
    let b_from = day(&q.b_from, "b_from")?.unwrap_or(b_to - 89);
    let a_to = day(&q.a_to, "a_to")?.unwrap_or(b_to - 365);
    let a_from = day(&q.a_from, "a_from")?.unwrap_or(b_from - 365);
    Ok(Periods {
        family,
        a: (a_from, a_to),
        b: (b_from, b_to),
    })
}

/// `GET /api/v1/compare`: what `cairn compare --json` prints.
#[utoipa::path(get, path = "/api/v1/compare", params(CompareQuery),
    responses((status = 200, description = "The comparison of the two periods", body = Object),
        (status = 400, description = "A wrong sport or day, or a period that ends before it starts", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn api(
    State(state): State<AppState>,
    Query(q): Query<CompareQuery>,
) -> Result<crate::api::JsonBody, Problem> {
    let p = periods(&q, state.today())?;
    state
        .with(move |cairn| crate::api::json(cairn.compare(p.family, p.a, p.b)?))
        .await
}

/// `GET /compare`: the comparison as a table and its verdict.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<CompareQuery>,
) -> Result<Markup, Problem> {
    let p = periods(&q, state.today())?;
    let u = state.units().await?;
    let (family, a, b) = (p.family, p.a, p.b);
    let r = state
        .with(move |cairn| Ok(cairn.compare(family, a, b)?))
        .await?;
    let d = cairn_app::day_text;
    let shown = Shown {
        units: u,
        wheels: family == "ride",
    };
    let c = &r.comparison;
    let show = |v: Option<f64>, m| v.map_or("-".into(), |v| shown.value(m, v));
    let body = html! {
        form.filters method="get" action="/compare" {
            label { "Sport " select name="sport" {
                @for s in ["run", "ride", "hike"] { option value=(s) selected[s == family] { (s) } }
            } }
            br;
            label { "A from " input type="date" name="a_from" value=(d(a.0)); }
            label { " to " input type="date" name="a_to" value=(d(a.1)); }
            label { " · B from " input type="date" name="b_from" value=(d(b.0)); }
            label { " to " input type="date" name="b_to" value=(d(b.1)); }
            " " button type="submit" { "Compare" }
        }
        p {
            "A: " (d(a.0)) " to " (d(a.1)) " — " (c.a.sessions) " sessions, " (u.distance(Some(c.a.distance_m))) ", " (cairn_app::units::clock(c.a.moving_s)) br;
            "B: " (d(b.0)) " to " (d(b.1)) " — " (c.b.sessions) " sessions, " (u.distance(Some(c.b.distance_m))) ", " (cairn_app::units::clock(c.b.moving_s))
        }
        table.compare {
            tr { th { "per session" } th { "A" } th { "B" } th { "B − A" } th { "95 % interval" } th { "verdict" } }
            @for (i, x) in c.outcomes.iter().chain(&c.confounders).enumerate() {
                @if i == c.outcomes.len() { tr { th colspan="6" { "What else differed (could explain a difference)" } } }
                tr {
                    td { (metric_name(x.metric, u)) " (n=" (x.n_a) "/" (x.n_b) ")" }
                    td { (show(x.mean_a, x.metric)) }
                    td { (show(x.mean_b, x.metric)) }
                    td { (x.difference.map_or("-".into(), |v| shown.diff(x.metric, v, x.mean_a))) }
                    td { (x.ci95.map_or("-".into(), |ci| shown.interval(x.metric, ci, x.mean_a))) }
                    td.verdict { (verdict_text(x)) }
                }
            }
        }
        div.conclusion { @for line in conclusion(&r, u) { p { (line) } } }
        p.source { "Intervals: percentile bootstrap over sessions, 2000 resamples (Efron & Tibshirani 1993)." }
    };
    Ok(crate::pages::page("Compare", body))
}
