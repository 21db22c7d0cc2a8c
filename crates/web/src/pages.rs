//! The HTML pages, rendered on the server. maud escapes every value, so a
//! name from a file (`<script>…`) is shown as text.

use crate::calendar::{self, Month};
use crate::{AppState, Problem};
use axum::extract::{Path, Query, State};
use maud::{html, Markup, DOCTYPE};

pub(crate) fn page(title: &str, body: Markup) -> Markup {
    page_with(title, body, &[], &[])
}

/// A page that loads the named assets too (scripts are deferred, in order).
pub(crate) fn page_with(title: &str, body: Markup, styles: &[&str], scripts: &[&str]) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · cairn" }
                link rel="icon" href="/assets/favicon.svg" type="image/svg+xml";
                link rel="stylesheet" href="/assets/cairn.css";
                @for sheet in styles { link rel="stylesheet" href={ "/assets/" (sheet) }; }
                @for script in scripts { script src={ "/assets/" (script) } defer {} }
            }
            body {
                nav {
                    a href="/" { "calendar" }
                    a href="/activities" { "activities" }
                    a href="/records" { "records" }
                    a href="/curves" { "curves" }
                    a href="/compare" { "compare" }
                    a href="/environment" { "altitude & heat" }
                    a href="/predict" { "predict" }
                    a href="/plan" { "plan" }
                    a href="/fitness" { "fitness" }
                    a href="/import" { "import" }
                    a href="/profile" { "profile" }
                    h1 { (title) }
                }
                (body)
            }
        }
    }
}

pub(crate) fn status_class(s: cairn_core::plan::adapt::Status) -> &'static str {
    use cairn_core::plan::adapt::Status;
    match s {
        Status::Done => "done",
        Status::Partial => "partial",
        Status::Missed => "missed",
        Status::Upcoming => "upcoming",
        Status::Rest => "rest",
    }
}

/// The status as the legend says it.
pub(crate) fn status_word(s: cairn_core::plan::adapt::Status) -> String {
    use cairn_core::plan::adapt::{Status, DONE_SHARE};
    match s {
        Status::Done => format!(
            "done (at least {:.0} % of the planned time)",
            DONE_SHARE * 100.0
        ),
        Status::Partial => "partly done".into(),
        Status::Missed => "missed".into(),
        Status::Upcoming => "upcoming".into(),
        Status::Rest => "rest".into(),
    }
}

/// "October 2026" for "2026-10".
fn month_title(month: &str) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match month
        .split_once('-')
        .and_then(|(y, m)| Some((y, m.parse::<usize>().ok()?)))
    {
        Some((y, m)) if (1..=12).contains(&m) => format!("{} {y}", NAMES[m - 1]),
        _ => month.to_string(),
    }
}

/// "28", or "1 Oct" on a month's first day.
fn day_of_month(day: i32) -> String {
    let text = cairn_app::day_text(day);
    let dom: u32 = text.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(0);
    if dom == 1 {
        format!("1 {}", month_title(&text[..7]).get(..3).unwrap_or(""))
    } else {
        dom.to_string()
    }
}

/// The local start, as the athlete's watch showed it.
fn local_start(a: &cairn_store::ActivityRecord) -> String {
    let ms = a.start_ms + i64::from(a.utc_offset_s.unwrap_or(0)) * 1000;
    let text = cairn_core::time::rfc3339(ms);
    format!("{} {}", &text[..10], text.get(11..16).unwrap_or(""))
}

use cairn_app::units::Units;

/// An effort's name; a climb's height in the display unit.
pub(crate) fn effort_label(u: Units, e: cairn_app::records::Effort) -> String {
    match e {
        cairn_app::records::Effort::Climb(m) => format!("{} climb", u.elevation(Some(m))),
        _ => e.label(),
    }
}

/// An effort's value; heights and rates of climb in the display unit.
pub(crate) fn effort_value(u: Units, e: cairn_app::records::Effort, v: f64) -> String {
    use cairn_app::records::Effort;
    match e {
        Effort::Vertical60 => u.elevation(Some(v)),
        Effort::DescentRate => format!("{}/h", u.elevation(Some(v))),
        _ => e.display(v),
    }
}

/// A load as `cairn explain` tells it: the method, the formula, each
/// input with where it came from (as the formula takes it, SI), the notes
/// and the paper.
fn explanation(title: &str, e: &cairn_core::load::Explanation) -> Markup {
    html! {
        details.explain open {
            summary { b { (title) } " · " (e.method) }
            p.formula { code { (e.formula) } }
            table.inputs {
                @for i in &e.inputs { tr { td { (i.name) } td { (i.value) } td.source { (i.source) } } }
            }
            @for n in &e.notes { p.note { (n) } }
            p.source { "Source: " (e.reference) }
        }
    }
}

/// What the page's scripts are told: `metric` or `imperial`.
pub(crate) fn units_word(u: Units) -> &'static str {
    match u {
        Units::Metric => "metric",
        Units::Imperial => "imperial",
    }
}

/// A distance to one decimal in the display unit, the unit left to the page.
fn short_distance(u: Units, m: Option<f64>) -> String {
    m.map_or_else(|| "-".into(), |m| format!("{:.1}", m / u.split_length_m()))
}

fn clock(s: Option<f64>) -> String {
    s.map_or_else(
        || "-".into(),
        |s| {
            let s = s.round() as i64;
            if s >= 3600 {
                format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
            } else {
                format!("{}:{:02}", s / 60, s % 60)
            }
        },
    )
}

/// Time per km (mile) on foot, km/h (mph) on wheels, as athletes of the
/// sport read it.
fn pace(u: Units, sport: &str, distance_m: f64, seconds: f64) -> String {
    if distance_m <= 0.0 || seconds <= 0.0 {
        return "-".into();
    }
    u.for_sport(sport, Some(distance_m / seconds))
}

/// The legend under every calendar: what a session's numbers are.
fn calendar_legend(u: Units) -> Markup {
    html! {
        p.legend {
            "Each session: sport · moving time · " (u.distance_unit()) " · ascent · aerobic load / mechanical load (MLU). "
            "Planned sessions: "
            span.planned.done { "done" } ", "
            span.planned.partial { "partly done" } ", "
            span.planned.missed { "missed" } ", "
            span.planned { "upcoming" } " (done: at least "
            (format!("{:.0}", cairn_core::plan::adapt::DONE_SHARE * 100.0)) " % of the planned time)."
        }
    }
}

/// One calendar row: the week's days and its totals.
fn week_row(u: Units, w: &calendar::CalendarWeek) -> Markup {
    html! {
        tr data-week=(cairn_app::day_text(w.start_day)) {
            @for d in &w.days {
                td class=(if d.in_month { "" } else { "out" }) {
                    a.date href={ "/week?day=" (cairn_app::day_text(d.day)) } { (day_of_month(d.day)) }
                    @for p in &d.planned {
                        span class={ "planned " (status_class(p.status)) } title={ "planned: " (status_word(p.status)) } {
                            "▸" span.what { " " (p.session) } @if p.key { " ★" }
                            span.time { " · " (clock(Some(p.duration_s))) }
                        }
                    }
                    @for s in &d.sessions {
                        a class={ "session " (s.sport) } href={ "/activity/" (s.activity_id) } title=(s.sport) {
                            span.sport { (s.sport) " · " }
                            span.time { (clock(s.moving_s)) " · " }
                            (short_distance(u, s.distance_m)) span.unit { " " (u.distance_unit()) }
                            @if let Some(asc) = s.ascent_m.filter(|a| *a >= 50.0) { span.what { " ↑" (u.elevation(Some(asc))) } }
                            span.what.load { " · " (s.aerobic_load.map_or("-".into(), |l| format!("{l:.0}"))) "/" (format!("{:.0}", s.mechanical_load)) }
                            @if let Some(n) = &s.name { span.name { br; (n) } }
                        }
                    }
                }
            }
            td.total {
                (w.total.sessions)
                span.unit { @if w.total.sessions == 1 { " session" } @else { " sessions" } }
                br;
                (clock(Some(w.total.moving_s))) br;
                (u.distance(Some(w.total.distance_m))) br;
                "↑ " (u.elevation(Some(w.total.ascent_m)))
                @for l in &w.total.load {
                    span.load.what { br; (l.sport) " " (format!("{:.0}", l.aerobic_load)) " / " (format!("{:.0}", l.mechanical_load)) " MLU" }
                }
                @if let Some(f) = w.total.aerobic {
                    span.fitness.what { br; "fitness " (format!("{:.0}", f.fitness)) " · form " (cairn_app::units::signed(f.form, 0)) }
                }
            }
        }
    }
}

const WEEKDAY_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The weeks as rows, headed by the days in the order the weeks hold them.
fn calendar_table(u: Units, weeks: &[calendar::CalendarWeek], class: &str) -> Markup {
    let first = weeks
        .first()
        .map_or(0, |w| calendar::weekday_of(w.start_day));
    html! {
        table class=(class) {
            thead { tr {
                @for i in 0..7 { th { (WEEKDAY_SHORT[(first + i) as usize % 7]) } }
                th { "Week" }
            } }
            tbody { @for w in weeks { (week_row(u, w)) } }
        }
    }
}

/// `GET /?month=YYYY-MM`: the calendar, this month by default. Previous
/// and next swap the calendar in place (htmx) and work without script.
pub async fn calendar(
    State(state): State<AppState>,
    Query(q): Query<crate::api::MonthQuery>,
) -> Result<Markup, Problem> {
    let today = state.today();
    let u = state.units().await?;
    let month = Month::chosen(q.month.as_deref(), today)?;
    let m = state
        .with(move |cairn| calendar::month(cairn, month, today))
        .await?;
    let nav = |to: &str, label: String| {
        html! {
            a href={ "/?month=" (to) } hx-get={ "/?month=" (to) } hx-select="#calendar" hx-target="#calendar"
                hx-swap="outerHTML" hx-push-url="true" { (label) }
        }
    };
    let body = html! {
        div #calendar {
            h2.month { (month_title(&m.month)) }
            p {
                (nav(&m.previous, format!("← {}", m.previous)))
                " · "
                (nav(&m.next, format!("{} →", m.next)))
                " · "
                a href={ "/week?day=" (cairn_app::day_text(today)) } { "this week" }
            }
            (calendar_table(u, &m.weeks, "calendar"))
        }
        (calendar_legend(u))
    };
    Ok(page_with("Calendar", body, &[], &["htmx.min.js"]))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// Any day of the week, `YYYY-MM-DD`; this week by default.
    pub day: Option<String>,
}

/// The day the query names, or today.
pub(crate) fn week_day(q: &WeekQuery, today: i32) -> Result<i32, Problem> {
    Ok(calendar::day_param(q.day.as_deref(), "day")?.unwrap_or(today))
}

/// `GET /week?day=YYYY-MM-DD`: one week, every number of every session.
pub async fn week(
    State(state): State<AppState>,
    Query(q): Query<WeekQuery>,
) -> Result<Markup, Problem> {
    let today = state.today();
    let u = state.units().await?;
    let day = week_day(&q, today)?;
    let w = state
        .with(move |cairn| calendar::week(cairn, day, today))
        .await?;
    let title = format!("Week of {}", cairn_app::day_text(w.week.start_day));
    let month = &cairn_app::day_text(w.week.start_day)[..7];
    let body = html! {
        p {
            a href={ "/week?day=" (cairn_app::day_text(w.previous)) } { "← previous week" }
            " · "
            a href={ "/week?day=" (cairn_app::day_text(w.next)) } { "next week →" }
            " · "
            a href={ "/?month=" (month) } { (month_title(month)) }
        }
        (calendar_table(u, std::slice::from_ref(&w.week), "calendar week-view"))
        (calendar_legend(u))
    };
    Ok(page(&title, body))
}

#[derive(Debug, serde::Deserialize)]
pub struct ActivityQuery {
    /// What the map's colour says: `grade`, `hr` or `pace`.
    pub colour: Option<String>,
}

/// `GET /activity/{id}`: the numbers of `cairn show`, the map and the charts.
pub async fn activity(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<ActivityQuery>,
) -> Result<Markup, Problem> {
    use crate::map::{self, Colour};
    let id = crate::api::id_of(&id)?;
    let u = state.units().await?;
    let split_m = u.split_length_m();
    let chosen =
        match q.colour.as_deref() {
            None => None,
            Some(w) => Some(Colour::from_word(w).ok_or_else(|| {
                Problem::bad_request(format!("colour={w}: one of grade, hr, pace"))
            })?),
        };
    let v = state
        .with(move |cairn| Ok(cairn.activity_view(id, split_m)?))
        .await?;
    let cairn_app::view::ActivityView {
        detail: d,
        load,
        streams,
        notes,
        efforts,
        copies,
        gear,
    } = v;
    let colour = chosen.unwrap_or(if streams.altitude_m.is_some() {
        Colour::Grade
    } else {
        Colour::HeartRate
    });
    let tiles = state.tiles().cloned();
    let track = map::track(&streams, colour, u.split_length_m(), tiles.as_ref());
    // A probable duplicate names the copy that counts.
    let duplicates: Vec<(i64, &str)> = d
        .record
        .duplicate_of
        .map(|o| (o, "counted instead of this copy"))
        .into_iter()
        .chain(copies.iter().map(|c| (*c, "a copy not counted")))
        .collect();
    let on_foot =
        cairn_core::model::Sport::from_id(&d.record.sport).is_some_and(|s| s.is_on_foot());
    let a = &d.record;
    let s = &a.summary;
    let title = format!("{} · {}", a.sport, local_start(a));
    let rows: Vec<(&str, String)> = vec![
        ("Distance", u.distance(s.distance_m)),
        ("Moving time", clock(s.moving_s)),
        ("Elapsed time", clock(s.elapsed_s)),
        (
            "Ascent / descent",
            format!("{} / {}", u.elevation(s.ascent_m), u.elevation(s.descent_m)),
        ),
        (
            "Heart rate avg / max",
            format!(
                "{} / {} bpm",
                s.avg_hr_bpm.map_or("-".into(), |v| format!("{v:.0}")),
                s.max_hr_bpm.map_or("-".into(), |v| format!("{v:.0}"))
            ),
        ),
        (
            "Power avg / max",
            format!(
                "{} / {} W",
                s.avg_power_w.map_or("-".into(), |v| format!("{v:.0}")),
                s.max_power_w.map_or("-".into(), |v| format!("{v:.0}"))
            ),
        ),
        (
            "Effort (CR-10) / pack",
            format!(
                "{} / {}",
                notes.rpe.map_or("-".into(), |v| format!("{v}")),
                u.mass(notes.pack_kg)
            ),
        ),
        ("Gear", gear.map_or("-".into(), |g| g.name)),
        ("Device", a.device.clone().unwrap_or_else(|| "-".into())),
        ("Source", a.source.clone()),
    ];
    let body = html! {
        @let day = cairn_app::day_text(cairn_app::training::local_day(a));
        p.crumbs {
            a href={ "/week?day=" (day) } { "its week" } " · "
            a href={ "/?month=" (&day[..7]) } { "its month" } " · "
            a href={ "/activities?sport=" (cairn_app::training::family(&a.sport)) } { "all " (cairn_app::training::family(&a.sport)) " sessions" }
        }
        @if let Some(n) = &a.name { h2 { (n) } }
        @if let Some(n) = &a.note { p { "Note: " (n) } }
        div.activity-top {
            table.numbers {
                @for (k, v) in &rows { tr { td { (k) } td { (v) } } }
            }
            @if let Some(svg) = &track {
                figure {
                    (svg)
                    figcaption {
                        "Colour: "
                        @for c in [Colour::Grade, Colour::HeartRate, Colour::Pace] {
                            @if c == colour { b { (c.word()) } " " }
                            @else { a href={ "/activity/" (a.id) "?colour=" (c.word()) } { (c.word()) } " " }
                        }
                        @if let Some(t) = &tiles { br; small.attribution { "Map tiles: " (t.attribution()) } }
                    }
                }
            }
        }
        div.charts-bar {
            "Charts against "
            button type="button" data-axis="distance" { "distance" }
            button type="button" data-axis="time" { "time" }
        }
        div #charts data-src={ "/api/v1/activities/" (a.id) "/streams" } data-foot=(on_foot) data-units=(units_word(u)) {}
        @if !d.lap_list.is_empty() {
            h3 { "Laps" }
            table {
                tr { th { "lap" } th { "distance" } th { "time" } th { "avg HR" } }
                @for (i, l) in d.lap_list.iter().enumerate() {
                    tr {
                        td { (i + 1) }
                        td { (u.distance(l.totals.distance_m)) }
                        td { (clock(l.totals.timer_s.or(l.totals.elapsed_s))) }
                        td { (l.totals.avg_hr_bpm.map_or("-".into(), |v| format!("{v:.0}"))) }
                    }
                }
            }
        }
        @if !d.splits.is_empty() {
            h3 { "Splits" }
            table {
                tr { th { (u.distance_unit()) } th { "distance" } th { "moving" } th { "pace/speed" } th { "avg HR" } th { "climb" } }
                @for sp in &d.splits {
                    tr {
                        td { (sp.index) }
                        td { (u.distance(Some(sp.distance_m))) }
                        td { (clock(Some(sp.moving_s))) }
                        td { (pace(u, &a.sport, sp.distance_m, sp.moving_s)) }
                        td { (sp.avg_hr_bpm.map_or("-".into(), |v| format!("{v:.0}"))) }
                        td { (u.elevation(sp.elevation_change_m)) }
                    }
                }
            }
        }
        @if !d.time_in_zones.is_empty() {
            h3 { "Time in zones" }
            table {
                @for z in &d.time_in_zones {
                    tr {
                        th { (z.scheme.signal.label()) }
                        @for (i, secs) in z.seconds.iter().enumerate() {
                            td title={ "Z" (i + 1) } {
                                "Z" (i + 1) " " (clock(Some(*secs)))
                                " (" (format!("{:.0}", 100.0 * secs / z.total_s().max(1.0))) " %)"
                            }
                        }
                    }
                }
            }
        }
        @if !efforts.is_empty() {
            h3 { "Best efforts inside it" }
            table.efforts {
                tr { th { "effort" } th { "here" } th { "all-time best" } }
                @for e in &efforts {
                    tr {
                        td { (effort_label(u, e.kind)) }
                        td { (effort_value(u, e.kind, e.value)) @if e.is_all_time_best { " ★" } }
                        td {
                            @if e.is_all_time_best { "this activity" }
                            @else { (effort_value(u, e.kind, e.all_time.value)) " · " a href={ "/activity/" (e.all_time.activity_id) } { (e.all_time.day) } }
                        }
                    }
                }
            }
        }
        h3 { "Curves against your all-time best" }
        div #curves data-src={ "/api/v1/activities/" (a.id) "/curves" } data-foot=(on_foot) data-units=(units_word(u)) {}
        @if !duplicates.is_empty() {
            h3 { "Other copies of this session" }
            ul {
                @for (other, note) in &duplicates {
                    li { a href={ "/activity/" (other) } { "activity " (other) } " · " (note) }
                }
            }
        }
        h3 { "Load" }
        @match (&load.aerobic, &load.aerobic_explanation) {
            (Some(v), Some(e)) => {
                (explanation(&format!("Aerobic load {v:.0} (1 hour at threshold ≈ 100)"), e))
            }
            _ => { p { "Aerobic load: none: " (load.aerobic_missing.clone().unwrap_or_default()) } }
        }
        (explanation(
            &format!("Mechanical load {:.0} MLU", load.mechanical),
            &load.mechanical_explanation,
        ))
        @if !a.flags.is_empty() { p { "Flags: " (a.flags.join(", ")) } }
        (crate::edit::form_markup(a, &notes, u))
        p {
            a href={ "/api/v1/activities/" (a.id) } { "as JSON" } " · "
            a href={ "/api/v1/activities/" (a.id) "/original" } { "the original file" }
        }
    };
    Ok(page_with(
        &title,
        body,
        &["uPlot.min.css"],
        &["uPlot.iife.min.js", "charts.js"],
    ))
}

/// Sessions in one page of the activity list.
const LIST_PAGE: usize = 50;

/// `GET /activities?sport=&from=&to=&offset=`: the log, newest first, with
/// the same filters as `/api/v1/activities` and `cairn activities`.
pub async fn activities(
    State(state): State<AppState>,
    Query(q): Query<crate::api::ActivityQuery>,
) -> Result<Markup, Problem> {
    let u = state.units().await?;
    let filter = crate::api::filter_of(&q)?;
    let offset = crate::api::count(q.offset.as_deref(), "offset", 0)?;
    let (total, shown, loads) = state
        .with(move |cairn| {
            let (total, _) = cairn.activities_page(&filter, 0, 0)?;
            // Newest first: the page `offset` sessions back from the end.
            let end = total.saturating_sub(offset);
            let start = end.saturating_sub(LIST_PAGE);
            let (_, mut page) = cairn.activities_page(&filter, start, end - start)?;
            page.reverse();
            let report = cairn.loads_shared()?;
            let loads: std::collections::HashMap<i64, (Option<f64>, f64)> = report
                .rows
                .iter()
                .map(|r| (r.id, (r.aerobic, r.mechanical)))
                .collect();
            Ok((total, page, loads))
        })
        .await?;
    let keep = |offset: usize| {
        let mut parts = vec![format!("offset={offset}")];
        for (k, v) in [("sport", &q.sport), ("from", &q.from), ("to", &q.to)] {
            if let Some(v) = v {
                parts.push(format!("{k}={}", url_word(v)));
            }
        }
        format!("/activities?{}", parts.join("&"))
    };
    let body = html! {
        form.filters method="get" action="/activities" {
            label { "Sport " select name="sport" {
                option value="" selected[q.sport.is_none()] { "all" }
                @for w in cairn_core::model::Sport::filter_words().split(", ") {
                    option value=(w) selected[q.sport.as_deref() == Some(w)] { (w) }
                }
            } }
            label { " from " input type="date" name="from" value=(q.from.clone().unwrap_or_default()); }
            label { " to " input type="date" name="to" value=(q.to.clone().unwrap_or_default()); }
            " " button type="submit" { "Show" }
        }
        p.count {
            (total) @if total == 1 { " session" } @else { " sessions" }
            @if total > 0 { ", " (offset + 1) "–" ((offset + shown.len()).min(total)) " shown, newest first" }
        }
        table.log {
            tr {
                th { "day" } th { "sport" } th { "name" } th { "moving" } th { "distance" }
                th { "ascent" } th { "avg HR" } th { "aerobic" } th { "mechanical" }
            }
            @for a in &shown {
                @let (aerobic, mechanical) = loads.get(&a.id).copied().unwrap_or((None, 0.0));
                tr class=(if a.is_primary { "" } else { "copy" }) {
                    td { a href={ "/activity/" (a.id) } { (local_start(a)) } }
                    td { (a.sport) }
                    td { (a.name.clone().unwrap_or_default()) }
                    td { (clock(a.summary.moving_s)) }
                    td { (u.distance(a.summary.distance_m)) }
                    td { (u.elevation(a.summary.ascent_m)) }
                    td { (a.summary.avg_hr_bpm.map_or("-".into(), |v| format!("{v:.0}"))) }
                    td { (aerobic.map_or("-".into(), |v| format!("{v:.0}"))) }
                    td { (format!("{mechanical:.0}")) }
                }
            }
        }
        p {
            @if offset + LIST_PAGE < total { a href=(keep(offset + LIST_PAGE)) { "← older" } " " }
            @if offset > 0 { a href=(keep(offset.saturating_sub(LIST_PAGE))) { "newer →" } }
        }
    };
    Ok(page("Activities", body))
}

/// A query value as a URL keeps it.
fn url_word(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
