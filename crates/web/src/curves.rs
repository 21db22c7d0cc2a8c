//! Mean-maximal curves over two periods overlaid: power, pace, graded
//! pace, heart rate or vertical speed for every duration, each point linked
//! to the activity that holds it; `/api/v1/curves` is `cairn curve --json`.

use crate::calendar::day_param;
use crate::{AppState, Problem};
use axum::extract::{Query, State};
use cairn_core::metrics::curve::CurveKind;
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CurveQuery {
    /// `power`, `pace`, `gap`, `hr` or `vertical` (`pace` by default).
    pub kind: Option<String>,
    /// `run`, `ride`, `hike` or `all`; the kind's usual sport by default.
    pub sport: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (inclusive).
    pub to: Option<String>,
}

fn kind_of(text: Option<&str>) -> Result<CurveKind, Problem> {
    let t = text.unwrap_or("pace");
    CurveKind::from_id(t).ok_or_else(|| {
        Problem::bad_request(format!("kind={t}: one of power, pace, gap, hr, vertical"))
    })
}

fn family_of(kind: CurveKind, sport: Option<&str>) -> Result<Option<&'static str>, Problem> {
    cairn_app::analysis::curve_family(kind, sport.filter(|s| !s.is_empty()))
        .map_err(|e| Problem::bad_request(e.to_string().replace("--sport ", "sport=")))
}

/// `GET /api/v1/curves`: what `cairn curve --json` prints for the same
/// kind, sport and days.
#[utoipa::path(get, path = "/api/v1/curves", params(CurveQuery),
    responses((status = 200, description = "The best of each duration and the activity holding it", body = Vec<crate::openapi::CurvePointDoc>),
        (status = 400, description = "A wrong kind, sport or day", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn api(
    State(state): State<AppState>,
    Query(q): Query<CurveQuery>,
) -> Result<crate::api::JsonBody, Problem> {
    let kind = kind_of(q.kind.as_deref())?;
    let family = family_of(kind, q.sport.as_deref())?;
    let (from, to) = (
        day_param(q.from.as_deref(), "from")?,
        day_param(q.to.as_deref(), "to")?,
    );
    state
        .with(move |cairn| crate::api::json(cairn.curve(kind, family, from, to)?))
        .await
}

#[derive(Debug, Deserialize)]
pub struct ComparePeriods {
    pub kind: Option<String>,
    pub sport: Option<String>,
    pub a_from: Option<String>,
    pub a_to: Option<String>,
    pub b_from: Option<String>,
    pub b_to: Option<String>,
}

/// `GET /curves?kind=&sport=&a_from=&a_to=&b_from=&b_to=`: two periods'
/// curves on one log-duration chart (the last 365 days against the 365
/// before by default), and the table of each duration's bests.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<ComparePeriods>,
) -> Result<Markup, Problem> {
    let today = state.today();
    let kind = kind_of(q.kind.as_deref().filter(|k| !k.is_empty()))?;
    let family = family_of(kind, q.sport.as_deref())?;
    let a_to = day_param(q.a_to.as_deref(), "a_to")?.unwrap_or(today);
    let a_from = day_param(q.a_from.as_deref(), "a_from")?.unwrap_or(a_to - 364);
    let b_to = day_param(q.b_to.as_deref(), "b_to")?.unwrap_or(a_from - 1);
    let b_from = day_param(q.b_from.as_deref(), "b_from")?.unwrap_or(b_to - 364);
    let (a, b) = state
        .with(move |cairn| {
            Ok((
                cairn.curve(kind, family, Some(a_from), Some(a_to))?,
                cairn.curve(kind, family, Some(b_from), Some(b_to))?,
            ))
        })
        .await?;
    let d = cairn_app::day_text;
    let sport_word = family.unwrap_or("all");
    let api = |from: i32, to: i32| {
        format!(
            "/api/v1/curves?kind={}&sport={sport_word}&from={}&to={}",
            kind.id(),
            d(from),
            d(to)
        )
    };
    let u = state.units().await?;
    let on_foot = matches!(family, Some("run" | "hike"));
    let value = |v: f64| curve_value(u, kind, v, on_foot);
    let body = html! {
        form.filters method="get" action="/curves" {
            label { "Curve " select name="kind" {
                @for k in CurveKind::ALL { option value=(k.id()) selected[k == kind] { (k.id()) } }
            } }
            label { " sport " select name="sport" {
                @for s in ["run", "ride", "hike", "all"] { option value=(s) selected[s == sport_word] { (s) } }
            } }
            br;
            label { "A from " input type="date" name="a_from" value=(d(a_from)); }
            label { " to " input type="date" name="a_to" value=(d(a_to)); }
            label { " · B from " input type="date" name="b_from" value=(d(b_from)); }
            label { " to " input type="date" name="b_to" value=(d(b_to)); }
            " " button type="submit" { "Show" }
        }
        div #curve-chart data-a=(api(a_from, a_to)) data-b=(api(b_from, b_to))
            data-a-label={ (d(a_from)) " – " (d(a_to)) } data-b-label={ (d(b_from)) " – " (d(b_to)) }
            data-kind=(kind.id()) data-foot=(on_foot) data-units=(crate::pages::units_word(u)) {}
        table.curve {
            tr { th { "duration" } th { "A: " (d(a_from)) " – " (d(a_to)) } th { "B: " (d(b_from)) " – " (d(b_to)) } }
            @for dur in cairn_core::metrics::curve::DURATIONS_S {
                @let pa = a.iter().find(|p| p.duration_s == dur);
                @let pb = b.iter().find(|p| p.duration_s == dur);
                @if pa.is_some() || pb.is_some() {
                    tr {
                        td { (duration(dur)) }
                        @for p in [pa, pb] {
                            td { @if let Some(p) = p { (value(p.value)) " · " a href={ "/activity/" (p.activity_id) } { (d(p.day)) } } @else { "-" } }
                        }
                    }
                }
            }
        }
    };
    Ok(crate::pages::page_with(
        "Curves",
        body,
        &["uPlot.min.css"],
        &["uPlot.iife.min.js", "curves.js"],
    ))
}

/// "5 s", "20 min", "2 h".
fn duration(s: u32) -> String {
    match s {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s => format!("{:.1} h", f64::from(s) / 3600.0),
    }
}

/// A curve's value as athletes read it.
fn curve_value(u: cairn_app::units::Units, kind: CurveKind, v: f64, on_foot: bool) -> String {
    match kind {
        CurveKind::Power => format!("{v:.0} W"),
        CurveKind::HeartRate => format!("{v:.0} bpm"),
        CurveKind::Vertical => format!("{}/h", u.elevation(Some(v))),
        CurveKind::Pace | CurveKind::Gap => u.pace_or_speed(Some(v), !on_foot),
    }
}
