//! Predictions: race times from recent best efforts (Riegel and VDOT, with
//! the efforts behind them), and a planned route's hiking time from the
//! athlete's own speed model beside Tobler's and Naismith's;
//! `/api/v1/predict` and `/api/v1/predict/route` are `cairn predict --json`
//! and `cairn predict FILE --json`.

use crate::api::json;
use crate::calendar::day_param;
use crate::{AppState, Problem};
use axum::body::Bytes;
use axum::extract::{Query, State};
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RaceQuery {
    /// Efforts from this many days up to `to` (180 by default, as the CLI).
    pub days: Option<String>,
    /// Last day of evidence, `YYYY-MM-DD`; today by default.
    pub to: Option<String>,
}

fn range(q: &RaceQuery, today: i32) -> Result<(i32, i32), Problem> {
    let to = day_param(q.to.as_deref(), "to")?.unwrap_or(today);
    let days = crate::api::count(q.days.as_deref(), "days", 180)?.clamp(1, 36_600) as i32;
    Ok((to - days + 1, to))
}

/// `GET /api/v1/predict?days=&to=`: what `cairn predict --json` prints.
#[utoipa::path(get, path = "/api/v1/predict", params(RaceQuery),
    responses((status = 200, description = "Race predictions with their evidence", body = Object),
        (status = 400, description = "A wrong day or count", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn races(
    State(state): State<AppState>,
    Query(q): Query<RaceQuery>,
) -> Result<crate::api::JsonBody, Problem> {
    let (from, to) = range(&q, state.today())?;
    state
        .with(move |cairn| {
            json(cairn.predict_races(from, to, &cairn_core::predict::race::STANDARD_M, None)?)
        })
        .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RouteQuery {
    /// The file's name (its extension says the format).
    pub name: Option<String>,
    /// The pack, kg (the profile's pack_mass by default).
    pub pack_kg: Option<String>,
    /// Leg length for the splits, m (1000 by default).
    pub leg_m: Option<String>,
}

/// Most a route file may be.
pub const MAX_ROUTE_BYTES: usize = 64 << 20;

/// `POST /api/v1/predict/route?name=&pack_kg=&leg_m=` with a GPX, TCX or
/// FIT route as the body: what `cairn predict FILE --json` prints.
#[utoipa::path(post, path = "/api/v1/predict/route", params(RouteQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The route file as it is"),
    responses((status = 200, description = "The personal hiking time with splits per leg, Tobler and Naismith", body = Object),
        (status = 400, description = "Not a route, or a wrong parameter", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "From another site", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn route(
    State(state): State<AppState>,
    Query(q): Query<RouteQuery>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<crate::api::JsonBody, Problem> {
    let bytes = body.map_err(|e| {
        Problem::bad_request(format!(
            "{} (a route file may be up to {} MB)",
            e.body_text(),
            MAX_ROUTE_BYTES >> 20
        ))
    })?;
    let name = q.name.clone().unwrap_or_else(|| "route".into());
    let number = |t: &Option<String>, what: &str| -> Result<Option<f64>, Problem> {
        t.as_deref()
            .filter(|t| !t.is_empty())
            .map(|t| {
                t.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| Problem::bad_request(format!("{what}={t}: expected a number")))
            })
            .transpose()
    };
    let pack = number(&q.pack_kg, "pack_kg")?;
    let leg = number(&q.leg_m, "leg_m")?.unwrap_or(1000.0).max(100.0);
    let today = state.today();
    state
        .with(move |cairn| json(cairn.predict_route(&bytes, &name, pack, leg, today)?))
        .await
}

/// `GET /predict`: race predictions and the route form.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<RaceQuery>,
) -> Result<Markup, Problem> {
    let (from, to) = range(&q, state.today())?;
    let u = state.units().await?;
    let r = state
        .with(move |cairn| {
            Ok(cairn.predict_races(from, to, &cairn_core::predict::race::STANDARD_M, None)?)
        })
        .await?;
    let d = cairn_app::day_text;
    let clock = cairn_app::units::clock;
    let evidence = |e: &cairn_core::predict::race::Evidence| {
        html! {
            (u.distance(Some(e.distance_m))) " in " (clock(e.time_s)) " · "
            a href={ "/activity/" (e.activity_id) } { (d(e.day)) }
        }
    };
    let body = html! {
        h2 { "Races" }
        p { "From the best running efforts between " (d(r.from_day)) " and " (d(r.to_day)) " (" (r.efforts) " efforts)." }
        @if r.rows.is_empty() {
            p { "No running effort of 3.5 min to 4 h in these days: nothing to predict from." }
        } @else {
            table.predictions {
                tr { th { "race" } th { "Riegel" } th { "from" } th { "VDOT" } th { "from" } }
                @for row in &r.rows {
                    @let p = &row.prediction;
                    tr {
                        td { (u.distance(Some(p.distance_m))) }
                        td { (clock(p.riegel_s)) }
                        td { (evidence(&p.riegel_from)) }
                        td { (clock(p.vdot_s)) " (VDOT " (format!("{:.1}", p.vdot)) ")" }
                        td { (evidence(&p.vdot_from)) }
                    }
                }
            }
            p.source {
                "Riegel: T₂ = T₁ · (D₂/D₁)^1.06 from the effort of the nearest distance (Riegel PS 1981, American Scientist 69:285–290). "
                "VDOT: Daniels & Gilbert, from the effort with the highest VDOT. Both for races of about 3.5 min to 4 h."
            }
        }
        h2 { "A route" }
        form #route {
            label { "A planned route (GPX, TCX or FIT): " input #route-file type="file"; }
            label { " pack (" (if matches!(u, cairn_app::units::Units::Imperial) { "lb" } else { "kg" }) ") " input #route-pack type="number" min="0" step="0.5"; }
        }
        div #route-result data-units=(crate::pages::units_word(u)) {}
    };
    Ok(crate::pages::page_with(
        "Predictions",
        body,
        &[],
        &["predict.js"],
    ))
}
