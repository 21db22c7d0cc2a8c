//! Altitude and heat: the days spent high, the stays, the hypoxic dose and
//! the haemoglobin-mass course, the sessions in heat and the
//! acclimatisation course; `/api/v1/altitude` and `/api/v1/heat` are
//! `cairn altitude --json` and `cairn heat --json`.

use crate::api::json;
use crate::calendar::day_param;
use crate::{AppState, Problem};
use axum::extract::{Query, State};
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UntilQuery {
    /// The course runs to this day, `YYYY-MM-DD` (today by default); a day
    /// after today shows how it would go on.
    pub until: Option<String>,
}

fn until_of(q: &UntilQuery, today: i32) -> Result<i32, Problem> {
    Ok(day_param(q.until.as_deref(), "until")?.unwrap_or(today))
}

/// `GET /api/v1/altitude?until=`: what `cairn altitude --json` prints.
#[utoipa::path(get, path = "/api/v1/altitude", params(UntilQuery),
    responses((status = 200, description = "Exposure by day, stays, the haemoglobin-mass course", body = Object),
        (status = 400, description = "A wrong day", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn altitude(
    State(state): State<AppState>,
    Query(q): Query<UntilQuery>,
) -> Result<crate::api::JsonBody, Problem> {
    let today = state.today();
    let until = until_of(&q, today)?;
    state
        .with(move |cairn| json(cairn.altitude(today, until)?))
        .await
}

/// `GET /api/v1/heat?until=`: what `cairn heat --json` prints.
#[utoipa::path(get, path = "/api/v1/heat", params(UntilQuery),
    responses((status = 200, description = "Sessions judged for heat and the acclimatisation course", body = Object),
        (status = 400, description = "A wrong day", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn heat(
    State(state): State<AppState>,
    Query(q): Query<UntilQuery>,
) -> Result<crate::api::JsonBody, Problem> {
    let today = state.today();
    let until = until_of(&q, today)?;
    state
        .with(move |cairn| json(cairn.heat(today, until)?))
        .await
}

/// Days of exposure and sessions in heat the page lists.
const RECENT: usize = 30;

/// `GET /environment?until=`: altitude and heat on one page.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<UntilQuery>,
) -> Result<Markup, Problem> {
    let today = state.today();
    let until = until_of(&q, today)?;
    let u = state.units();
    let (alt, heat) = state
        .with(move |cairn| Ok((cairn.altitude(today, until)?, cairn.heat(today, until)?)))
        .await?;
    let d = cairn_app::day_text;
    let high_days: Vec<_> = alt
        .days
        .iter()
        .rev()
        .filter(|x| x.hours_high > 0.0)
        .take(RECENT)
        .collect();
    let hot: Vec<_> = heat
        .sessions
        .iter()
        .rev()
        .filter(|s| s.in_heat)
        .take(RECENT)
        .collect();
    let until_text = d(until);
    let body = html! {
        div #environment data-altitude={ "/api/v1/altitude?until=" (until_text) } data-heat={ "/api/v1/heat?until=" (until_text) } {
            h2 { "Altitude" }
            p {
                "Haemoglobin mass today: " b { (format!("{:+.1} %", alt.hbmass_today_pct)) } " against sea level · "
                "hypoxic dose " (format!("{:.0}", alt.dose_km_h_total)) " km·h · "
                (format!("{:.0}", alt.hours_high_total)) " h at 2,000 m or higher"
            }
            div.chart #hbmass {}
            @if !alt.stays.is_empty() {
                h3 { "Stays" }
                table.stays {
                    tr { th { "from" } th { "to" } th { "altitude" } th { "sleeping at" } th { "note" } }
                    @for s in &alt.stays {
                        tr {
                            td { (d(s.from_day)) } td { (d(s.to_day)) }
                            td { (u.elevation(Some(s.altitude_m))) }
                            td { (u.elevation(s.sleep_altitude_m)) }
                            td { (s.note.clone().unwrap_or_default()) }
                        }
                    }
                }
            }
            h3 { "Days high, latest first" }
            @if high_days.is_empty() { p { "No day at 2,000 m or higher." } }
            @else {
                table.exposure {
                    tr { th { "day" } th { "hours high" } th { "dose km·h" } th { "highest" } th { "from" } }
                    @for x in &high_days {
                        tr {
                            td { (d(x.day)) }
                            td { (format!("{:.1}", x.hours_high)) }
                            td { (format!("{:.0}", x.dose_km_h)) }
                            td { (u.elevation(x.max_altitude_m)) }
                            td { @if x.stay.is_some() { "a stay" } @else { "activities" } }
                        }
                    }
                }
            }
            h2 { "Heat" }
            p {
                "Heat acclimatisation today: " b { (format!("{:.0} %", heat.acclimatisation_today * 100.0)) }
                @if heat.from_device > 0 {
                    " · " (heat.from_device) " sessions read their temperature from the device (it reads high when worn; log the air's with the activity's form)"
                }
            }
            div.chart #acclimatisation {}
            h3 { "Sessions in heat, latest first" }
            @if hot.is_empty() { p { "No session in heat." } }
            @else {
                table.heat {
                    tr { th { "day" } th { "sport" } th { "minutes" } th { "temperature" } }
                    @for s in &hot {
                        tr {
                            td { a href={ "/activity/" (s.id) } { (d(s.day)) } }
                            td { (s.sport) }
                            td { (format!("{:.0}", s.minutes)) }
                            td { (u.temperature(Some(s.conditions.temp_c))) }
                        }
                    }
                }
            }
        }
    };
    Ok(crate::pages::page_with(
        "Altitude and heat",
        body,
        &["uPlot.min.css"],
        &["uPlot.iife.min.js", "environment.js"],
    ))
}
