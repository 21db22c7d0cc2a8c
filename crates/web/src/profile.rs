//! The profile: each threshold in force with where it comes from, the
//! dated history, the zones, and a form to set a value from a day on;
//! `/api/v1/profile` is `cairn profile show --json`. Whatever depends on a
//! threshold (loads, zones, fitness, records' zones) is recomputed on the
//! next read: the memo sees the archive change.

use crate::{AppState, Problem};
use axum::extract::State;
use axum::response::Redirect;
use axum::Form;
use cairn_app::profile::{profile_value, provenance_text, zone_range_text};
use cairn_core::load::ProfileKey;
use maud::{html, Markup};
use serde::Deserialize;

/// `GET /api/v1/profile`: what `cairn profile show --json` prints.
#[utoipa::path(get, path = "/api/v1/profile",
    responses((status = 200, description = "The thresholds in force with their provenance, the dated history, the estimates and the zones", body = Object)))]
pub async fn api(State(state): State<AppState>) -> Result<crate::api::JsonBody, Problem> {
    let today = state.today();
    state
        .with(move |cairn| crate::api::json(cairn.profile_report(today)?))
        .await
}

/// `GET /profile`.
pub async fn page(State(state): State<AppState>) -> Result<Markup, Problem> {
    let today = state.today();
    let u = state.units();
    let r = state
        .with(move |cairn| Ok(cairn.profile_report(today)?))
        .await?;
    let d = cairn_app::day_text;
    let width = r
        .zones
        .iter()
        .flat_map(|(_, g)| g.iter().map(|s| s.zone_count()))
        .max()
        .unwrap_or(5);
    let body = html! {
        h2 { "In force on " (d(today)) }
        table.profile {
            tr { th { "threshold" } th { "value" } th { "where it comes from" } }
            @for (k, v) in &r.today {
                tr {
                    td { (k.id()) }
                    @match v {
                        Some(v) => {
                            td { (profile_value(*k, v.value, u)) }
                            td { (provenance_text(&v.provenance)) }
                        }
                        None => {
                            td { "—" }
                            td { "unknown: set it or record efforts it can be estimated from" }
                        }
                    }
                }
            }
            tr {
                td { "sex" }
                td { (r.sex.map_or("—".to_string(), |s| format!("{s:?}").to_lowercase())) }
                td { @if r.sex.is_some() { "set" } @else { "unknown: men's TRIMP coefficients are used" } }
            }
        }
        h2 { "Set a value" }
        p.note { "From the day given on (always, without one); loads, zones and fitness follow on the next page you open." }
        form.profile method="post" action="/profile" {
            label { "what "
                select name="key" required {
                    @for k in ProfileKey::ALL { option value=(k.id()) { (k.id()) } }
                }
            } " "
            label { "value " input type="text" name="value" size="10" placeholder="165, 5:20/km, 62kg, female" required; } " "
            label { "from " input type="date" name="from"; } " "
            button type="submit" { "Set" }
        }
        @if !r.history.is_empty() {
            h2 { "History" }
            table.history {
                tr { th { "threshold" } th { "value" } th { "in force from" } }
                @for e in &r.history {
                    tr {
                        td { (e.key.id()) }
                        td { (profile_value(e.key, e.value, u)) }
                        td { (e.from_day.map_or("always".to_string(), d)) }
                    }
                }
            }
        }
        h2 { "Zones in force" }
        table.zones {
            tr { th { "zones" } @for z in 1..=width { th { "Z" (z) } } }
            @for (group, schemes) in &r.zones {
                @for s in schemes {
                    tr {
                        td { (s.signal.label()) ", " (group) }
                        @for i in 0..width {
                            td { @if i < s.zone_count() { (zone_range_text(s, i, u)) } }
                        }
                    }
                }
            }
        }
        ul.sources {
            @for (group, schemes) in &r.zones {
                @for s in schemes { li { (s.signal.label()) ", " (group) ": " (s.source) } }
            }
        }
        p { a href="/api/v1/profile" { "as JSON" } }
    };
    Ok(crate::pages::page("Profile", body))
}

/// The form's fields.
#[derive(Debug, Deserialize)]
pub struct SetForm {
    pub key: String,
    pub value: String,
    pub from: Option<String>,
}

/// `POST /profile`: sets a value (as `cairn profile set`), then back.
pub async fn set(
    State(state): State<AppState>,
    Form(f): Form<SetForm>,
) -> Result<Redirect, Problem> {
    let from =
        crate::calendar::day_param(f.from.as_deref().filter(|t| !t.trim().is_empty()), "from")?;
    let now_ms = i64::from(state.today()) * 86_400_000 + 43_200_000;
    state
        .with(move |cairn| {
            cairn.set_profile(&f.key, &f.value, from, now_ms)?;
            Ok(())
        })
        .await?;
    Ok(Redirect::to("/profile"))
}
