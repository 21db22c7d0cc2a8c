//! The active plan: the goal, the weeks with planned against done load and
//! how many sessions were done, and the week's sessions with the purpose
//! and the rule behind each; `/api/v1/plan` is `cairn plan show --json`.

use crate::{AppState, Problem};
use axum::extract::{Query, State};
use maud::{html, Markup};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// Only this week (1-based); the page opens this week by default.
    pub week: Option<String>,
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
    let (active, status, wi, ready) = state
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
            let ready = cairn.readiness(today)?;
            Ok((active, status, wi, ready))
        })
        .await?;
    let u = state.units();
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
                    td { code { (s.rule.id()) } }
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
        p { a href="/api/v1/plan" { "as JSON" } " · " a href="/api/v1/ready" { "readiness as JSON" } " · the rules: " code { "cairn plan rules" } }
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
            crate::api::json(cairn.readiness(today)?)
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
