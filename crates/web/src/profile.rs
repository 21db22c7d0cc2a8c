//! The profile and settings: each threshold in force with where it comes
//! from, the dated history, the zones, a form to set a value from a day
//! on, and the settings (units, week start, smoothing); `/api/v1/profile`
//! is `cairn profile show --json`, `/api/v1/settings` is `cairn settings
//! --json`. After a threshold changes, every session's loads and zones are
//! recomputed at once in the background, with a progress bar on the page
//! ([`Recompute`]); anything read meanwhile computes what it needs itself.

use crate::{AppState, Problem};
use axum::extract::State;
use axum::response::Redirect;
use axum::Json;
use cairn_app::profile::{profile_value, provenance_text, zone_range_text};
use cairn_app::settings::{Settings, SettingsEdit};
use cairn_core::load::ProfileKey;
use maud::{html, Markup};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Where the recomputation after the last change stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecomputeState {
    /// Nothing changed since the server started.
    Idle,
    /// Waiting for an earlier recomputation to end.
    Queued,
    Running,
    Done,
    Failed,
}

/// The recomputation of loads and zones after a change to the profile.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecomputeStatus {
    pub state: RecomputeState,
    /// Sessions recomputed so far.
    pub done: usize,
    /// Sessions whose inputs changed (the rest are kept as they were).
    pub total: usize,
    pub elapsed_s: f64,
    /// Why it failed.
    pub error: Option<String>,
}

/// The status the server shares, and the lock that runs recomputations
/// one after another (the last one computes with the last change).
#[derive(Debug)]
pub struct Recompute {
    status: Mutex<RecomputeStatus>,
    turn: Mutex<()>,
}

impl Default for Recompute {
    fn default() -> Self {
        Recompute {
            status: Mutex::new(RecomputeStatus {
                state: RecomputeState::Idle,
                done: 0,
                total: 0,
                elapsed_s: 0.0,
                error: None,
            }),
            turn: Mutex::new(()),
        }
    }
}

impl Recompute {
    pub(crate) fn status(&self) -> RecomputeStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn update(&self, f: impl FnOnce(&mut RecomputeStatus)) {
        f(&mut self.status.lock().unwrap_or_else(|p| p.into_inner()));
    }
}

/// Starts recomputing every session's loads in the background.
fn start_recompute(state: &AppState) {
    let r = Arc::clone(&state.recompute);
    r.update(|s| {
        *s = RecomputeStatus {
            state: RecomputeState::Queued,
            done: 0,
            total: 0,
            elapsed_s: 0.0,
            error: None,
        }
    });
    let state = state.clone();
    tokio::spawn(async move {
        let started = Instant::now();
        let progress = Arc::clone(&r);
        let outcome = state
            .with(move |cairn| {
                let _turn = progress.turn.lock().unwrap_or_else(|p| p.into_inner());
                cairn.refresh_loads(&|done, total| {
                    progress.update(|s| {
                        s.state = RecomputeState::Running;
                        s.done = done;
                        s.total = total;
                        s.elapsed_s = started.elapsed().as_secs_f64();
                    })
                })?;
                Ok(())
            })
            .await;
        r.update(|s| {
            s.elapsed_s = started.elapsed().as_secs_f64();
            match outcome {
                Ok(()) => s.state = RecomputeState::Done,
                Err(e) => {
                    s.state = RecomputeState::Failed;
                    s.error = Some(e.detail);
                }
            }
        });
    });
}

/// `GET /api/v1/profile/recompute`: how far the recomputation after the
/// last change is.
#[utoipa::path(get, path = "/api/v1/profile/recompute",
    responses((status = 200, description = "The recomputation of loads and zones after the last change to the profile", body = RecomputeStatus)))]
pub async fn recompute_api(State(state): State<AppState>) -> Json<RecomputeStatus> {
    Json(state.recompute.status())
}

/// The progress bar, polled by the page (htmx) while it runs.
fn recompute_markup(s: &RecomputeStatus) -> Markup {
    let d = |s: f64| format!("{s:.1} s");
    html! {
        @match s.state {
            RecomputeState::Idle => {}
            RecomputeState::Queued | RecomputeState::Running => {
                div #recompute.recompute hx-get="/profile/recompute" hx-trigger="load delay:400ms" hx-swap="outerHTML" {
                    "Recomputing loads and zones: " (s.done) " of " (s.total) " sessions "
                    progress value=(s.done) max=(s.total.max(1)) { (s.done) " of " (s.total) }
                }
            }
            RecomputeState::Done => {
                div #recompute.recompute.done {
                    "Loads, zones and fitness are up to date: " (s.total) " sessions recomputed in " (d(s.elapsed_s)) "."
                }
            }
            RecomputeState::Failed => {
                div #recompute.recompute.failed {
                    "The recomputation failed: " (s.error.as_deref().unwrap_or("unknown")) ". It is retried on the next page that needs loads."
                }
            }
        }
    }
}

/// `GET /profile/recompute`: the progress bar alone.
pub async fn recompute_fragment(State(state): State<AppState>) -> Markup {
    recompute_markup(&state.recompute.status())
}

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
    let u = state.units().await?;
    let (r, settings) = state
        .with(move |cairn| Ok((cairn.profile_report(today)?, cairn.settings()?)))
        .await?;
    let recompute = state.recompute.status();
    let d = cairn_app::day_text;
    let width = r
        .zones
        .iter()
        .flat_map(|(_, g)| g.iter().map(|s| s.zone_count()))
        .max()
        .unwrap_or(5);
    let body = html! {
        (recompute_markup(&recompute))
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
        p.note { "From the day given on (always, without one); loads, zones and fitness are recomputed at once." }
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
        h2 #settings { "Settings" }
        form.settings method="post" action="/profile/settings" {
            label { "units "
                select name="units" {
                    @for v in ["metric", "imperial"] { option value=(v) selected[v == settings.units] { (v) } }
                }
            } " "
            label { "week starts on "
                select name="week_start" {
                    @for v in cairn_core::time::json::WEEKDAYS { option value=(v) selected[v == settings.week_start] { (v) } }
                }
            } " "
            label { "fitness smoothing "
                select name="smoothing" {
                    @for (v, what) in [("exponential", "1−e^(−1/N)"), ("inverse", "1/N"), ("ewma", "2/(N+1)")] {
                        option value=(v) selected[v == settings.smoothing] { (v) " (" (what) ")" }
                    }
                }
            } " "
            button type="submit" { "Save" }
        }
        p { a href="/api/v1/profile" { "as JSON" } " · " a href="/api/v1/settings" { "settings as JSON" } }
    };
    Ok(crate::pages::page_with(
        "Profile",
        body,
        &[],
        &["htmx.min.js"],
    ))
}

/// A threshold's value from a day on, as `cairn profile set` takes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileValue {
    /// One of the profile's keys (`lthr`, `max_hr`, `ftp`, `threshold_pace`, `weight`, `sex`…).
    pub key: String,
    /// With or without its unit: `165`, `5:20/km`, `62kg`, `female`.
    pub value: String,
    /// `YYYY-MM-DD`; always, when left out.
    pub from: Option<String>,
}

/// Sets the value, then starts the recomputation.
async fn set_value(state: &AppState, f: ProfileValue) -> Result<(), Problem> {
    let from =
        crate::calendar::day_param(f.from.as_deref().filter(|t| !t.trim().is_empty()), "from")?;
    let now_ms = i64::from(state.today()) * 86_400_000 + 43_200_000;
    state
        .with(move |cairn| {
            cairn.set_profile(&f.key, &f.value, from, now_ms)?;
            Ok(())
        })
        .await?;
    start_recompute(state);
    Ok(())
}

/// `POST /profile`: sets a value (as `cairn profile set`), then back to
/// the page, which shows the recomputation's progress.
pub async fn set(
    State(state): State<AppState>,
    body: Result<axum::Form<ProfileValue>, axum::extract::rejection::FormRejection>,
) -> Result<Redirect, Problem> {
    let f = crate::api::form_body(body, "key, value, from")?;
    set_value(&state, f).await?;
    Ok(Redirect::to("/profile"))
}

/// `POST /api/v1/profile` with a JSON [`ProfileValue`]: the profile
/// afterwards; loads follow in the background (`/api/v1/profile/recompute`).
#[utoipa::path(post, path = "/api/v1/profile", request_body = ProfileValue,
    responses((status = 200, description = "The profile afterwards, as cairn profile show --json prints it", body = Object),
        (status = 400, description = "A wrong key, value or day, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "From another site", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 413, description = "A body over 64 KiB, the most the route takes", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn set_api(
    State(state): State<AppState>,
    body: Result<Json<ProfileValue>, axum::extract::rejection::JsonRejection>,
) -> Result<crate::api::JsonBody, Problem> {
    let f = crate::api::json_body(body, "key, value, from")?;
    set_value(&state, f).await?;
    api(State(state)).await
}

/// `POST /profile/settings`: the page's settings form, then back.
pub async fn settings_form(
    State(state): State<AppState>,
    body: Result<axum::Form<SettingsEdit>, axum::extract::rejection::FormRejection>,
) -> Result<Redirect, Problem> {
    let e = crate::api::form_body(body, "units, week_start, smoothing")?;
    state.with(move |cairn| Ok(cairn.set_settings(&e)?)).await?;
    Ok(Redirect::to("/profile#settings"))
}

/// `GET /api/v1/settings`: what `cairn settings --json` prints.
#[utoipa::path(get, path = "/api/v1/settings",
    responses((status = 200, description = "The archive's settings", body = Settings)))]
pub async fn settings(State(state): State<AppState>) -> Result<Json<Settings>, Problem> {
    Ok(Json(state.with(|cairn| Ok(cairn.settings()?)).await?))
}

/// `PATCH /api/v1/settings` with the settings to change: all of them
/// afterwards. Nothing is written unless every value is valid.
#[utoipa::path(patch, path = "/api/v1/settings", request_body = SettingsEdit,
    responses((status = 200, description = "The settings afterwards", body = Settings),
        (status = 400, description = "A wrong value, named with the valid ones", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "From another site", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 413, description = "A body over 64 KiB, the most the route takes", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn patch_settings(
    State(state): State<AppState>,
    body: Result<Json<SettingsEdit>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Settings>, Problem> {
    let e = crate::api::json_body(body, "units, week_start, smoothing")?;
    Ok(Json(
        state.with(move |cairn| Ok(cairn.set_settings(&e)?)).await?,
    ))
}
