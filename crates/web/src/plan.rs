//! The active plan: the goal, the weeks with planned against done load and
//! how many sessions were done, and the week's sessions with the purpose
//! and the rule behind each; `/api/v1/plan` is `cairn plan show --json`.

use crate::{AppState, Problem};
use axum::extract::{Query, State};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// Only this week (1-based); the page opens this week by default.
    pub week: Option<String>,
    /// `adapt`: the page also shows what adapting the plan today would
    /// change, before anything is changed.
    #[param(ignore)]
    #[serde(default)]
    pub preview: Option<String>,
}

/// `GET /api/v1/plan?week=`: what `cairn plan show --json` prints; 404
/// without an active plan.
#[utoipa::path(get, path = "/api/v1/plan", params(PlanQuery),
    responses((status = 200, description = "The goal, the weeks with their compliance, the changes", body = Object),
        (status = 400, description = "A week the plan does not have", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No active plan", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn api(
    State(state): State<AppState>,
    Query(q): Query<PlanQuery>,
) -> Result<crate::api::JsonBody, Problem> {
    let today = state.today();
    let week = q.week.clone();
    state
        .with(move |cairn| {
            let (active, status) = plan_of(cairn, today)?;
            let weeks: Vec<usize> = match week.as_deref() {
                None => (0..active.plan.weeks.len()).collect(),
                Some(w) => vec![week_index(w, active.plan.weeks.len())?],
            };
            crate::api::json(cairn_app::json::plan(&active, &status, &weeks))
        })
        .await
}

type PlanStatus = (
    cairn_app::plan::ActivePlan,
    Vec<cairn_core::plan::adapt::WeekCompliance>,
);

fn plan_of(cairn: &mut cairn_app::Cairn, today: i32) -> Result<PlanStatus, Problem> {
    if cairn.active_plan()?.is_none() {
        return Err(Problem::not_found(
            "no active plan: add a goal (cairn goal add) and one is made",
        ));
    }
    Ok(cairn.plan_status(today)?)
}

fn week_index(text: &str, weeks: usize) -> Result<usize, Problem> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=weeks).contains(&n) => Ok(n - 1),
        _ => Err(Problem::bad_request(format!(
            "week={text}: the plan has weeks 1–{weeks}"
        ))),
    }
}

/// `GET /plan?week=`: the weeks, and one week's sessions.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<PlanQuery>,
) -> Result<Markup, Problem> {
    let today = state.today();
    let week = q.week.clone();
    let preview = q.preview.clone();
    let u = state.units().await?;
    let (active, status, wi, ready, preview) = state
        .with(move |cairn| {
            let (active, status) = plan_of(cairn, today)?;
            let p = &active.plan;
            let wi = match week.as_deref() {
                Some(w) => week_index(w, p.weeks.len())?,
                None => p
                    .weeks
                    .iter()
                    .position(|w| today >= w.start_day && today < w.start_day + 7)
                    .unwrap_or(if today < p.first_day() {
                        0
                    } else {
                        p.weeks.len() - 1
                    }),
            };
            let ready = cairn.readiness(today, &u)?;
            let preview = match preview.as_deref() {
                Some("adapt") => Some(cairn.adapt_plan(today, true)?.unwrap_or_default()),
                _ => None,
            };
            Ok((active, status, wi, ready, preview))
        })
        .await?;
    let p = &active.plan;
    let d = cairn_app::day_text;
    let w = &p.weeks[wi];
    let c = &status[wi];
    let body = html! {
        p {
            b { (p.goal.kind.id()) " on " (d(p.goal.day)) } " · week " (wi + 1) " of " (p.weeks.len())
            " · " (w.phase.id()) " phase"
        }
        @for n in &p.notes { p.note { (n) } }
        (readiness_panel(&ready, u))
        (adapt_panel(preview.as_deref(), wi + 1))
        (edit_form(w))
        (feel_form(today))
        h2 { "Week " (w.number) " from " (d(w.start_day)) }
        table.sessions {
            tr { th { "day" } th { "session" } th { "how it went" } th { "why" } th { "rule" } }
            @for (i, s) in w.sessions.iter().enumerate() {
                @let sc = c.sessions.iter().find(|x| x.index == i);
                tr class=(if s.counts() { "" } else { "moved" }) {
                    td { (d(s.day)) }
                    td { (s.summary()) @if s.key { " ★" } }
                    td {
                        @if let Some(sc) = sc {
                            span class={ "planned " (crate::pages::status_class(sc.status)) } { (crate::pages::status_word(sc.status)) }
                            @for a in &sc.activities { " " a href={ "/activity/" (a) } { "activity " (a) } }
                        }
                    }
                    td { (s.reason) }
                    td {
                        code { (s.rule.id()) }
                        @if s.counts() && cairn_core::plan::workout::session_workout(s, &p.zones).is_some() {
                            " " a.download href={ "/plan/workouts/" (w.number) "/" (i + 1) ".fit" } download { "FIT" }
                        }
                    }
                }
            }
        }
        p { "Planned load " (format!("{:.0}", c.planned_load)) " · done " (format!("{:.0}", c.actual_load)) }
        h2 { "All weeks" }
        table.weeks {
            tr { th { "week" } th { "from" } th { "phase" } th { "planned load" } th { "done" } th { "sessions done" } }
            @for (i, (wk, st)) in p.weeks.iter().zip(&status).enumerate() {
                tr class=(if i == wi { "current" } else { "" }) {
                    td { a href={ "/plan?week=" (wk.number) } { (wk.number) } }
                    td { (d(wk.start_day)) }
                    td { (wk.phase.id()) }
                    td { (format!("{:.0}", st.planned_load)) }
                    td { (format!("{:.0}", st.actual_load)) }
                    td { (st.session_compliance().map_or("-".into(), |v| format!("{:.0} %", v * 100.0))) }
                }
            }
        }
        p {
            a href="/plan/calendar.ics" download { "the plan as a calendar (.ics)" }
            " · " a href="/api/v1/plan" { "as JSON" } " · " a href="/api/v1/ready" { "readiness as JSON" }
            " · the rules: " code { "cairn plan rules" }
        }
    };
    Ok(crate::pages::page("Plan", body))
}

/// `GET /api/v1/ready`: what `cairn ready --json` prints; 404 without an
/// active goal.
#[utoipa::path(get, path = "/api/v1/ready",
    responses((status = 200, description = "Each demand of the active goal against the last 8 weeks, with the evidence, the gap and what the plan does", body = Object),
        (status = 404, description = "No active goal", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn ready(State(state): State<AppState>) -> Result<crate::api::JsonBody, Problem> {
    let today = state.today();
    state
        .with(move |cairn| {
            plan_of(cairn, today)?;
            crate::api::json(cairn.readiness(today, &cairn_core::readiness::Si)?)
        })
        .await
}

/// "Ready for it?": one row per demand, as `cairn ready` prints it.
fn readiness_panel(r: &cairn_core::readiness::Readiness, u: cairn_app::units::Units) -> Markup {
    use cairn_core::readiness::{label, Status};
    let value =
        |d: &cairn_core::readiness::Demand, v: f64| cairn_app::readiness::value_text(u, d, v);
    html! {
        section #readiness {
            h2 { "Ready for it?" }
            p.verdict { (r.verdict) }
            table.readiness {
                tr { th { "demand" } th { "goal" } th { "shown" } th { "status" } th { "evidence" } th { "the plan" } }
                @for d in &r.demands {
                    tr {
                        td { (label(d.id)) }
                        td { (value(d, d.demand)) }
                        td { (d.shown.map_or("—".to_string(), |v| value(d, v))) }
                        td {
                            span class={ "planned " (match d.status {
                                Status::Met => "done",
                                Status::Partly => "partial",
                                Status::NotMet => "missed",
                                Status::Unknown => "upcoming",
                            }) } { (d.status.id().replace('_', " ")) }
                        }
                        td {
                            @for e in &d.evidence {
                                a href={ "/activity/" (e.activity_id) } { (cairn_app::day_text(e.day)) } " "
                            }
                        }
                        td { (d.plan.as_deref().unwrap_or("")) }
                    }
                }
            }
            details {
                summary { "How each demand is judged" }
                ul { @for d in &r.demands { li { b { (label(d.id)) } ": " (d.rule) } } }
            }
        }
    }
}

/// What adapting the plan today would change, or the link that shows it;
/// the changes are made only by the form's POST.
fn adapt_panel(preview: Option<&[cairn_core::plan::Change]>, week: usize) -> Markup {
    html! {
        section #adapt {
            h2 { "Adapt" }
            @match preview {
                None => p {
                    "The plan follows what was done and how it felt after every import. "
                    a href={ "/plan?week=" (week) "&preview=adapt" } { "See what adapting it now would change" }
                    " (nothing is changed until you say so)."
                },
                Some([]) => p { "Adapting the plan now would change nothing." },
                Some(changes) => {
                    p { (changes.len()) " changes if the plan is adapted now:" }
                    ul.changes {
                        @for c in changes {
                            li { (cairn_app::day_text(c.day)) ": " (c.before) " → " (c.after) " " code { (c.rule.id()) } " " (c.reason) }
                        }
                    }
                    form method="post" action="/plan/adapt" { button type="submit" { "Adapt the plan" } }
                }
            }
        }
    }
}

/// The feel log: how a day felt, which adaptation reads.
fn feel_form(today: i32) -> Markup {
    let scale = |name: &str, what: &str| {
        html! {
            label { (what) " "
                select name=(name) {
                    option value="" { "—" }
                    @for v in 1..=5 { option value=(v) { (v) } }
                }
            }
            " "
        }
    };
    html! {
        section #feel {
            h2 { "How did it feel?" }
            form.feel method="post" action="/plan/feel" {
                label { "day " input type="date" name="date" value=(cairn_app::day_text(today)) required; } " "
                (scale("fatigue", "fatigue 1–5"))
                (scale("soreness", "soreness 1–5"))
                (scale("sleep", "sleep 1–5"))
                label { input type="checkbox" name="ill" value="yes"; " ill" } " "
                label { "note " input type="text" name="note" maxlength="500"; } " "
                button type="submit" { "Log" }
            }
        }
    }
}

/// The feel form's fields, every one a string.
#[derive(Debug, Deserialize)]
pub struct FeelForm {
    pub date: String,
    pub fatigue: Option<String>,
    pub soreness: Option<String>,
    pub sleep: Option<String>,
    pub ill: Option<String>,
    pub note: Option<String>,
}

fn score(text: Option<&str>, field: &str) -> Result<Option<u8>, Problem> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t
            .parse::<u8>()
            .ok()
            .map(|v| score_in_range(Some(v), field))
            .unwrap_or_else(|| {
                Err(Problem::bad_request(format!(
                    "{field}={t}: a score from 1 to 5"
                )))
            }),
    }
}

fn score_in_range(v: Option<u8>, field: &str) -> Result<Option<u8>, Problem> {
    match v {
        Some(x) if !(1..=5).contains(&x) => Err(Problem::bad_request(format!(
            "{field}={x}: a score from 1 to 5"
        ))),
        _ => Ok(v),
    }
}

/// How a day felt, as the API takes it: scores 1–5 (sleep 5 = slept well).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFeel {
    #[schema(format = Date)]
    pub date: String,
    pub fatigue: Option<u8>,
    pub soreness: Option<u8>,
    pub sleep: Option<u8>,
    #[serde(default)]
    pub ill: bool,
    pub note: Option<String>,
}

/// A logged day of the feel log.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeelDoc {
    #[schema(format = Date)]
    pub day: String,
    pub fatigue: Option<u8>,
    pub soreness: Option<u8>,
    pub sleep: Option<u8>,
    pub ill: bool,
    pub note: Option<String>,
}

/// `POST /api/v1/feel` with a JSON [`NewFeel`]: the day as logged (as
/// `cairn feel`; a day logged again replaces the earlier entry). The next
/// adaptation reads it.
#[utoipa::path(post, path = "/api/v1/feel", request_body = NewFeel,
    responses((status = 200, description = "The day as logged", body = FeelDoc),
        (status = 400, description = "A wrong day or score, named", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "From another site", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 413, description = "A body over 64 KiB, the most the route takes", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn feel_api(
    State(state): State<AppState>,
    body: Result<axum::Json<NewFeel>, axum::extract::rejection::JsonRejection>,
) -> Result<crate::api::JsonBody, Problem> {
    let n = crate::api::json_body(body, "date, fatigue, soreness, sleep, ill, note")?;
    let day = crate::calendar::day_param(Some(&n.date), "date")?
        .ok_or_else(|| Problem::bad_request("date: a day, YYYY-MM-DD"))?;
    let feel = cairn_core::plan::adapt::Feel {
        day,
        fatigue: score_in_range(n.fatigue, "fatigue")?,
        soreness: score_in_range(n.soreness, "soreness")?,
        sleep: score_in_range(n.sleep, "sleep")?,
        ill: n.ill,
        note: n.note.filter(|t| !t.trim().is_empty()),
    };
    state
        .with(move |cairn| {
            cairn.log_feel(&feel)?;
            crate::api::json(&feel)
        })
        .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdaptQuery {
    /// `true`: what adapting now would change, and nothing changed.
    pub preview: Option<bool>,
}

/// `POST /api/v1/plan/adapt?preview=`: adapts the plan as of today (as
/// `cairn plan adapt --json`) and lists each change with its rule and
/// evidence; with `preview=true` nothing is changed.
#[utoipa::path(post, path = "/api/v1/plan/adapt", params(AdaptQuery),
    responses((status = 200, description = "The changes, each with its rule and evidence", body = Vec<Object>),
        (status = 400, description = "A wrong parameter", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "From another site", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No active plan", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn adapt_api(
    State(state): State<AppState>,
    q: Result<Query<AdaptQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<crate::api::JsonBody, Problem> {
    let Query(q) =
        q.map_err(|r| Problem::bad_request(format!("{}; preview=true or false", r.body_text())))?;
    let today = state.today();
    let preview = q.preview.unwrap_or(false);
    state
        .with(move |cairn| {
            plan_of(cairn, today)?;
            let changes = cairn.adapt_plan(today, preview)?.unwrap_or_default();
            crate::api::json(changes)
        })
        .await
}

/// `POST /plan/feel`: logs the day, then back to the plan.
pub async fn feel(
    State(state): State<AppState>,
    body: Result<axum::Form<FeelForm>, axum::extract::rejection::FormRejection>,
) -> Result<axum::response::Redirect, Problem> {
    let f = crate::api::form_body(body, "date, fatigue, soreness, sleep, ill, note")?;
    let day = crate::calendar::day_param(Some(&f.date), "date")?
        .ok_or_else(|| Problem::bad_request("date: a day, YYYY-MM-DD"))?;
    let feel = cairn_core::plan::adapt::Feel {
        day,
        fatigue: score(f.fatigue.as_deref(), "fatigue")?,
        soreness: score(f.soreness.as_deref(), "soreness")?,
        sleep: score(f.sleep.as_deref(), "sleep")?,
        ill: f.ill.as_deref().is_some_and(|v| !v.is_empty()),
        note: f.note.filter(|n| !n.trim().is_empty()),
    };
    state.with(move |cairn| Ok(cairn.log_feel(&feel)?)).await?;
    Ok(axum::response::Redirect::to("/plan"))
}

/// `POST /plan/adapt`: adapts the plan as of today, then back to the plan.
pub async fn adapt(State(state): State<AppState>) -> Result<axum::response::Redirect, Problem> {
    let today = state.today();
    state
        .with(move |cairn| {
            plan_of(cairn, today)?;
            cairn.adapt_plan(today, false)?;
            Ok(())
        })
        .await?;
    Ok(axum::response::Redirect::to("/plan"))
}

/// A file to download under `name`.
fn download(kind: &'static str, name: String, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /plan/calendar.ics`: what `cairn plan export --ics` writes.
pub async fn calendar_ics(
    State(state): State<AppState>,
) -> Result<axum::response::Response, Problem> {
    let today = state.today();
    let (id, text) = state
        .with(move |cairn| {
            let (active, _) = plan_of(cairn, today)?;
            let uid = format!("cairn-plan-{}", active.id);
            Ok((
                active.id,
                cairn_core::encode::ics::plan_calendar(&active.plan, &uid),
            ))
        })
        .await?;
    Ok(download(
        "text/calendar; charset=utf-8",
        format!("cairn-plan-{id}.ics"),
        text.into_bytes(),
    ))
}

/// `GET /plan/workouts/{week}/{n}.fit`: the week's `n`-th session as the
/// FIT workout `cairn plan export --fit-workouts` writes for it.
pub async fn workout(
    State(state): State<AppState>,
    axum::extract::Path((week, file)): axum::extract::Path<(String, String)>,
) -> Result<axum::response::Response, Problem> {
    let today = state.today();
    let n = file
        .strip_suffix(".fit")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .ok_or_else(|| {
            Problem::not_found(format!("{file}: a session's number and .fit, e.g. 2.fit"))
        })?;
    let (name, bytes) = state
        .with(move |cairn| {
            let (active, _) = plan_of(cairn, today)?;
            let p = &active.plan;
            let w = &p.weeks[week_index(&week, p.weeks.len())?];
            let s = w
                .sessions
                .get(n - 1)
                .filter(|s| s.counts())
                .ok_or_else(|| Problem::not_found(format!("week {} has no session {n}", w.number)))?;
            let workout = cairn_core::plan::workout::session_workout(s, &p.zones).ok_or_else(|| {
                Problem::not_found(format!(
                    "the {} session of {} is not a watch workout (strength, mobility and rest are not)",
                    s.mode.id(),
                    cairn_app::day_text(s.day)
                ))
            })?;
            Ok((
                format!("{}-{}-{}.fit", cairn_app::day_text(s.day), s.mode.id(), s.kind.id()),
                cairn_core::encode::fit::encode_workout(&workout),
            ))
        })
        .await?;
    Ok(download("application/vnd.ant.fit", name, bytes))
}

/// Changing one day of the week: what `cairn plan edit` does.
fn edit_form(w: &cairn_core::plan::Week) -> Markup {
    use cairn_core::plan::{Kind, Mode};
    // What a day can become: a rest day is the checkbox, the goal is not
    // the athlete's to move.
    let modes = Mode::ALL.into_iter().filter(|m| *m != Mode::Rest);
    let kinds = Kind::ALL
        .into_iter()
        .filter(|k| !matches!(k, Kind::Rest | Kind::Goal));
    html! {
        section #edit {
            h2 { "Change a day" }
            p.note { "Your change is kept: adaptation never changes it back. The rules it breaks are listed, and it is kept regardless." }
            form.plan-edit method="post" action="/plan/edit" {
                label { "day "
                    select name="date" required {
                        @for d in w.start_day..w.start_day + 7 { option value=(cairn_app::day_text(d)) { (cairn_app::day_text(d)) } }
                    }
                } " "
                label { "sport " select name="sport" { option value="" { "as planned" } @for m in modes { option value=(m.id()) { (m.id()) } } } } " "
                label { "type " select name="kind" { option value="" { "as planned" } @for k in kinds { option value=(k.id()) { (k.id()) } } } } " "
                label { "minutes " input type="number" name="minutes" min="5" max="720" step="5" size="4"; } " "
                label { input type="checkbox" name="rest" value="yes"; " rest day" } " "
                button type="submit" { "Change" }
            }
        }
    }
}

/// The edit form's fields.
#[derive(Debug, Deserialize)]
pub struct EditForm {
    pub date: String,
    pub sport: Option<String>,
    pub kind: Option<String>,
    pub minutes: Option<String>,
    pub rest: Option<String>,
}

/// `POST /plan/edit`: changes the day (as `cairn plan edit`) and shows the
/// rules the plan now breaks, with the way back to the plan.
pub async fn edit(
    State(state): State<AppState>,
    body: Result<axum::Form<EditForm>, axum::extract::rejection::FormRejection>,
) -> Result<Markup, Problem> {
    let f = crate::api::form_body(body, "date, sport, kind, minutes, rest")?;
    let today = state.today();
    let day = crate::calendar::day_param(Some(&f.date), "date")?
        .ok_or_else(|| Problem::bad_request("date: a day, YYYY-MM-DD"))?;
    let blank = |v: &Option<String>| v.clone().filter(|t| !t.trim().is_empty());
    let e = day_edit(
        blank(&f.sport).as_deref(),
        blank(&f.kind).as_deref(),
        crate::edit::number(f.minutes.as_deref(), "minutes")?,
        blank(&f.rest).is_some(),
    )?;
    let (broken, week) = state
        .with(move |cairn| apply_edit(cairn, today, day, &e))
        .await?;
    let back = match week {
        Some(n) => format!("/plan?week={n}"),
        None => "/plan".into(),
    };
    let body = html! {
        p { (cairn_app::day_text(day)) " changed; adaptation will not touch it." }
        @if broken.is_empty() {
            p { "The plan keeps every rule." }
        } @else {
            p { "The plan now breaks:" }
            ul.violations { @for v in &broken { li { code { (v.rule.id()) } " week " (v.week) ": " (v.message) } } }
        }
        p { a href=(back) { "Back to the plan" } }
    };
    Ok(crate::pages::page("Plan changed", body))
}

/// A change to a day of the plan, checked: the sport, the type, the
/// minutes (5–720) and whether it becomes a rest day.
fn day_edit(
    sport: Option<&str>,
    kind: Option<&str>,
    minutes: Option<f64>,
    rest: bool,
) -> Result<cairn_core::plan::adapt::Edit, Problem> {
    use cairn_core::plan::{Kind, Mode};
    let mode = match sport {
        Some(m) => Some(Mode::from_id(m).ok_or_else(|| {
            Problem::bad_request(format!(
                "sport={m}: one of run, trail_run, hike, walk, stairs, ride, strength, mobility"
            ))
        })?),
        None => None,
    };
    let kind = match kind {
        Some(k) => Some(Kind::from_id(k).filter(|k| *k != Kind::Goal).ok_or_else(|| {
            Problem::bad_request(format!("kind={k}: one of easy, long, recovery, tempo, intervals, hill_repeats, run_walk, strength, mobility"))
        })?),
        None => None,
    };
    let duration_s = minutes
        .map(|m| {
            if (5.0..=720.0).contains(&m) {
                Ok(m * 60.0)
            } else {
                Err(Problem::bad_request(format!("minutes={m}: from 5 to 720")))
            }
        })
        .transpose()?;
    let e = cairn_core::plan::adapt::Edit {
        mode,
        kind,
        duration_s,
        rest,
    };
    if e.mode.is_none() && e.kind.is_none() && e.duration_s.is_none() && !e.rest {
        return Err(Problem::bad_request(
            "nothing to change: choose a sport, a type, minutes or a rest day",
        ));
    }
    Ok(e)
}

type Broken = Vec<cairn_core::plan::rules::Violation>;

/// Applies the change to `day`; the rules the plan now breaks and the
/// plan's week holding the day.
fn apply_edit(
    cairn: &mut cairn_app::Cairn,
    today: i32,
    day: i32,
    e: &cairn_core::plan::adapt::Edit,
) -> Result<(Broken, Option<u32>), Problem> {
    plan_of(cairn, today)?;
    let broken = cairn.edit_plan(day, e)?;
    let week = cairn.active_plan()?.and_then(|a| {
        a.plan
            .weeks
            .iter()
            .find(|w| day >= w.start_day && day < w.start_day + 7)
            .map(|w| w.number)
    });
    Ok((broken, week))
}

/// A change to a day of the plan, as the API takes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayEdit {
    /// run, trail_run, hike, walk, stairs, ride, strength, mobility.
    pub sport: Option<String>,
    /// easy, long, recovery, tempo, intervals, hill_repeats, run_walk, strength, mobility.
    pub kind: Option<String>,
    /// 5–720.
    pub minutes: Option<f64>,
    /// Make the day a rest day.
    #[serde(default)]
    pub rest: bool,
}

/// What a change to a day did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DayEdited {
    #[schema(format = Date)]
    pub day: String,
    /// The plan's week holding the day.
    pub week: Option<u32>,
    /// The rules the plan now breaks (the change is kept regardless).
    #[schema(value_type = Vec<Object>)]
    pub broken: Broken,
}

/// `PATCH /api/v1/plan/days/{date}` with a JSON [`DayEdit`]: changes the
/// day's main session (as `cairn plan edit`); adaptation never changes it
/// back.
#[utoipa::path(patch, path = "/api/v1/plan/days/{date}", params(("date" = String, Path, format = Date, description = "The day, YYYY-MM-DD")), request_body = DayEdit,
    responses((status = 200, description = "The day changed, and the rules the plan now breaks", body = DayEdited),
        (status = 400, description = "A wrong day, sport, type or duration, or nothing to change", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "From another site", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No active plan", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 413, description = "A body over 64 KiB, the most the route takes", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn edit_api(
    State(state): State<AppState>,
    axum::extract::Path(date): axum::extract::Path<String>,
    body: Result<axum::Json<DayEdit>, axum::extract::rejection::JsonRejection>,
) -> Result<crate::api::JsonBody, Problem> {
    let today = state.today();
    let day = crate::calendar::day_param(Some(&date), "date")?
        .ok_or_else(|| Problem::bad_request("date: a day, YYYY-MM-DD"))?;
    let d = crate::api::json_body(body, "sport, kind, minutes, rest")?;
    let e = day_edit(d.sport.as_deref(), d.kind.as_deref(), d.minutes, d.rest)?;
    state
        .with(move |cairn| {
            let (broken, week) = apply_edit(cairn, today, day, &e)?;
            crate::api::json(DayEdited {
                day: cairn_app::day_text(day),
                week,
                broken,
            })
        })
        .await
}
