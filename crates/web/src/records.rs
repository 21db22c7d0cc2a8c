//! Records: the best of every effort found inside the activities, all
//! time, by year and by season, per family (run, ride, climb), each linked
//! to the activity behind it; `/api/v1/records` is `cairn records --json`.

use crate::{AppState, Problem};
use axum::extract::{Query, State};
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordsQuery {
    /// `run`, `ride` or `climb`; every family by default.
    pub family: Option<String>,
}

/// The family the query names, or the problem with it.
fn family_of(q: &RecordsQuery) -> Result<Option<&'static str>, Problem> {
    match q.family.as_deref() {
        None | Some("") => Ok(None),
        Some("run") => Ok(Some("run")),
        Some("ride") => Ok(Some("ride")),
        Some("climb") => Ok(Some("climb")),
        Some(other) => Err(Problem::bad_request(format!(
            "family={other}: one of run, ride, climb"
        ))),
    }
}

/// `GET /api/v1/records?family=`: what `cairn records --json` prints.
#[utoipa::path(get, path = "/api/v1/records", params(RecordsQuery),
    responses((status = 200, description = "Each effort's best all time, by year and by season", body = Vec<crate::openapi::RecordDoc>),
        (status = 400, description = "A wrong family", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn api(
    State(state): State<AppState>,
    Query(q): Query<RecordsQuery>,
) -> Result<crate::api::JsonBody, Problem> {
    let family = family_of(&q)?;
    state
        .with(move |cairn| crate::api::json(cairn.records(family)?))
        .await
}

/// `GET /records?family=`: the records as tables, one per family.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<RecordsQuery>,
) -> Result<Markup, Problem> {
    let family = family_of(&q)?;
    let u = state.units().await?;
    let rows = state.with(move |cairn| Ok(cairn.records(family)?)).await?;
    // The latest three years any record has, newest first.
    let mut years: Vec<i32> = rows
        .iter()
        .flat_map(|r| r.by_year.iter().map(|(y, _)| *y))
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years.truncate(3);
    let best = |b: &cairn_app::records::Best, kind| {
        html! {
            (crate::pages::effort_value(u, kind, b.value)) br;
            a href={ "/activity/" (b.activity_id) } { small { (b.day) } }
        }
    };
    let body = html! {
        p.crumbs {
            @for (f, label) in [(None, "all"), (Some("run"), "run"), (Some("ride"), "ride"), (Some("climb"), "climb")] {
                @if f == family { b { (label) } } @else {
                    a href={ "/records" @if let Some(f) = f { "?family=" (f) } } { (label) }
                }
                " "
            }
        }
        @if rows.is_empty() { p { "No efforts found yet." } }
        @for fam in ["run", "ride", "climb"] {
            @let these: Vec<_> = rows.iter().filter(|r| r.family == fam).collect();
            @if !these.is_empty() {
                h2 { (fam) }
                table.records data-family=(fam) {
                    tr {
                        th { "effort" } th { "all time" }
                        @for y in &years { th { (y) } }
                        th { "latest season" }
                    }
                    @for r in &these {
                        tr {
                            td { (crate::pages::effort_label(u, r.kind)) }
                            td.all-time { (best(&r.all_time, r.kind)) }
                            @for y in &years {
                                td { @if let Some((_, b)) = r.by_year.iter().find(|(ry, _)| ry == y) { (best(b, r.kind)) } @else { "-" } }
                            }
                            td {
                                @if let Some((season, b)) = r.by_season.first() { small { (season) } br; (best(b, r.kind)) }
                            }
                        }
                    }
                }
            }
        }
        p { a href={ "/api/v1/records" @if let Some(f) = family { "?family=" (f) } } { "as JSON" } }
    };
    Ok(crate::pages::page("Records", body))
}
