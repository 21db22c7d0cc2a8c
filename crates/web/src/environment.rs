//! Altitude and heat: the days spent high, the stays, the hypoxic dose and
//! the haemoglobin-mass course, the sessions in heat and the
//! acclimatisation course; `/api/v1/altitude` and `/api/v1/heat` are
//! `cairn altitude --json` and `cairn heat --json`.

use crate::api::json;
use crate::calendar::day_param;
use crate::edit::number;
use crate::{AppState, Problem};
use axum::extract::{Query, State};
use cairn_app::units::Units;
use cairn_core::environment::adjust::Adjustment;
use cairn_core::environment::{adjust, Conditions};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HeatQuery {
    /// The course runs to this day, `YYYY-MM-DD` (today by default); a day
    /// after today shows how it would go on.
    pub until: Option<String>,
    /// Days of sessions listed, ending today (30 by default, as `cairn heat`).
    pub days: Option<String>,
}

/// `GET /api/v1/heat?days=&until=`: what `cairn heat --json` prints.
#[utoipa::path(get, path = "/api/v1/heat", params(HeatQuery),
    responses((status = 200, description = "Sessions judged for heat and the acclimatisation course", body = Object),
        (status = 400, description = "A wrong day or number of days", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn heat(
    State(state): State<AppState>,
    Query(q): Query<HeatQuery>,
) -> Result<crate::api::JsonBody, Problem> {
    let today = state.today();
    let until = day_param(q.until.as_deref(), "until")?.unwrap_or(today);
    let days = crate::api::count(
        q.days.as_deref(),
        "days",
        cairn_app::environment::HEAT_DAYS as usize,
    )?;
    if days == 0 || days > 100_000 {
        return Err(Problem::bad_request(format!(
            "days={days}: from 1 to 100000"
        )));
    }
    state
        .with(move |cairn| json(cairn.heat(today, until)?.recent(days as i32)))
        .await
}

/// Days of the heat-acclimatisation course the page draws (the API lists
/// 30 unless asked, as `cairn heat`).
const COURSE_DAYS: i32 = 365;

/// Days of exposure and sessions in heat the page lists.
const RECENT: usize = 30;

/// The adjust calculator's fields, in the units the page shows.
#[derive(Debug, Default, Deserialize)]
pub struct AdjustForm {
    /// A race or a held pace's distance, km or mi.
    pub distance: Option<String>,
    /// The time over it, `h:mm:ss` or `mm:ss`.
    pub time: Option<String>,
    /// Where it was run: altitude, m or ft (0 by default).
    pub from_altitude: Option<String>,
    pub from_temp: Option<String>,
    pub from_dew_point: Option<String>,
    /// Where it will be run.
    pub altitude: Option<String>,
    pub temp: Option<String>,
    pub dew_point: Option<String>,
}

/// The calculator's question and answer, when the form was sent.
type Adjusted = (
    AdjustForm,
    f64,
    f64,
    Conditions,
    Conditions,
    Option<Adjustment>,
);

impl AdjustForm {
    fn sent(&self) -> bool {
        self.time.as_deref().is_some_and(|t| !t.trim().is_empty())
    }

    fn solve(self, u: Units) -> Result<Adjusted, Problem> {
        let distance = number(self.distance.as_deref(), "distance")?
            .filter(|d| *d > 0.0)
            .ok_or_else(|| {
                Problem::bad_request(format!(
                    "distance: a distance in {} above 0",
                    u.distance_unit()
                ))
            })?;
        let distance_m = distance * u.split_length_m();
        let time = self.time.as_deref().unwrap_or_default();
        let time_s = cairn_app::units::clock_s(time).ok_or_else(|| {
            Problem::bad_request(format!("time={time}: a time like 1:52:00 or 52:10"))
        })?;
        let place = |alt: Option<&str>,
                     temp: Option<&str>,
                     dew: Option<&str>,
                     what: &str|
         -> Result<Conditions, Problem> {
            let altitude_m = match alt.map(str::trim).filter(|a| !a.is_empty()) {
                None => 0.0,
                Some(a) => u
                    .elevation_m(a)
                    .filter(|m| (-500.0..=9000.0).contains(m))
                    .ok_or_else(|| {
                        Problem::bad_request(format!(
                            "{what}altitude={a}: an altitude from -500 to 9000 m"
                        ))
                    })?,
            };
            let temp_c = u.temperature_input(number(temp, &format!("{what}temp"))?);
            let dew_point_c = u.temperature_input(number(dew, &format!("{what}dew_point"))?);
            if dew_point_c.is_some() && temp_c.is_none() {
                return Err(Problem::bad_request(format!(
                    "{what}dew_point needs {what}temp"
                )));
            }
            if let (Some(t), Some(d)) = (temp_c, dew_point_c) {
                if d > t {
                    return Err(Problem::bad_request(format!("{what}dew_point is above {what}temp: the dew point is never above the air temperature")));
                }
            }
            Ok(Conditions {
                altitude_m,
                temp_c,
                dew_point_c,
            })
        };
        let from = place(
            self.from_altitude.as_deref(),
            self.from_temp.as_deref(),
            self.from_dew_point.as_deref(),
            "from_",
        )?;
        let to = place(
            self.altitude.as_deref(),
            self.temp.as_deref(),
            self.dew_point.as_deref(),
            "",
        )?;
        let r = adjust(distance_m, time_s, from, to);
        Ok((self, distance_m, time_s, from, to, r))
    }
}

/// `GET /environment?until=`: altitude and heat on one page, with the
/// adjust calculator's answer when its form was sent.
pub async fn page(
    State(state): State<AppState>,
    Query(q): Query<UntilQuery>,
    Query(form): Query<AdjustForm>,
) -> Result<Markup, Problem> {
    let today = state.today();
    let until = until_of(&q, today)?;
    let u = state.units().await?;
    let adjusted = if form.sent() {
        Some(form.solve(u)?)
    } else {
        None
    };
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
        div #environment data-altitude={ "/api/v1/altitude?until=" (until_text) } data-heat={ "/api/v1/heat?days=" (COURSE_DAYS) "&until=" (until_text) } {
            h2 { "Altitude" }
            p {
                "Haemoglobin mass today: " b { (format!("{} %", cairn_app::units::signed(alt.hbmass_today_pct, 1))) } " against sea level · "
                "hypoxic dose " (format!("{:.0}", alt.dose_km_h_total)) " km·h · "
                (format!("{:.0}", alt.hours_high_total)) " h at 2,000 m or higher"
            }
            div.chart #hbmass {}
            h3 { "Stays" }
            p.note { "Most of a trip is not recorded: a stay counts every hour of its days at its altitude (sleeping hours at the sleeping altitude)." }
            @if !alt.stays.is_empty() {
                table.stays {
                    tr { th { "from" } th { "to" } th { "altitude" } th { "sleeping at" } th { "note" } th {} }
                    @for s in &alt.stays {
                        tr {
                            td { (d(s.from_day)) } td { (d(s.to_day)) }
                            td { (u.elevation(Some(s.altitude_m))) }
                            td { (u.elevation(s.sleep_altitude_m)) }
                            td { (s.note.clone().unwrap_or_default()) }
                            td {
                                form method="post" action={ "/environment/stays/" (s.id) "/remove" } {
                                    button type="submit" { "remove" }
                                }
                            }
                        }
                    }
                }
            }
            form.stay method="post" action="/environment/stays" {
                label { "from " input type="date" name="from" required; } " "
                label { "to " input type="date" name="to" required; } " "
                label { "altitude (" (u.elevation_unit()) ") " input type="text" inputmode="decimal" name="altitude" size="6" required; } " "
                label { "sleeping at (" (u.elevation_unit()) ") " input type="text" inputmode="decimal" name="sleep_altitude" size="6"; } " "
                label { "note " input type="text" name="note" maxlength="200"; } " "
                button type="submit" { "Add the stay" }
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
            (calculator(adjusted.as_ref(), u))
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

/// The adjust calculator: a time somewhere, re-expressed at another
/// altitude and heat (what `cairn adjust` prints).
fn calculator(adjusted: Option<&Adjusted>, u: Units) -> Markup {
    let f = adjusted.map(|a| &a.0);
    let value = |v: Option<&Option<String>>| v.and_then(|v| v.clone()).unwrap_or_default();
    let deg = u
        .temperature(Some(0.0))
        .trim_start_matches('0')
        .trim()
        .to_string();
    html! {
        section #adjust {
            h2 { "Adjust a time for altitude and heat" }
            form.adjust method="get" action="/environment" {
                label { "distance (" (u.distance_unit()) ") " input type="text" inputmode="decimal" name="distance" size="6" value=(value(f.map(|f| &f.distance))) required; } " "
                label { "time " input type="text" name="time" size="8" placeholder="52:10" value=(value(f.map(|f| &f.time))) required; } " "
                fieldset {
                    legend { "run at" }
                    label { "altitude (" (u.elevation_unit()) ") " input type="text" inputmode="decimal" name="from_altitude" size="6" value=(value(f.map(|f| &f.from_altitude))); } " "
                    label { "temperature (" (deg) ") " input type="text" inputmode="decimal" name="from_temp" size="4" value=(value(f.map(|f| &f.from_temp))); } " "
                    label { "dew point " input type="text" inputmode="decimal" name="from_dew_point" size="4" value=(value(f.map(|f| &f.from_dew_point))); }
                }
                fieldset {
                    legend { "to run at" }
                    label { "altitude (" (u.elevation_unit()) ") " input type="text" inputmode="decimal" name="altitude" size="6" value=(value(f.map(|f| &f.altitude))); } " "
                    label { "temperature (" (deg) ") " input type="text" inputmode="decimal" name="temp" size="4" value=(value(f.map(|f| &f.temp))); } " "
                    label { "dew point " input type="text" inputmode="decimal" name="dew_point" size="4" value=(value(f.map(|f| &f.dew_point))); }
                }
                button type="submit" { "Adjust" }
            }
            @if let Some((_, distance_m, time_s, from, to, r)) = adjusted {
                @let pace = |s: f64| u.pace_or_speed(Some(distance_m / s), false);
                @let clock = cairn_app::units::clock;
                @match r {
                    None => p.result { "That time over that distance is outside the models' range." },
                    Some(r) => div.result {
                        p {
                            (clock(*time_s)) " over " (u.distance(Some(*distance_m))) " (" (pace(*time_s)) ") at " (u.elevation(Some(from.altitude_m)))
                            " is " b { (clock(r.altitude_time_s)) } " (" (pace(r.altitude_time_s)) ") at " (u.elevation(Some(to.altitude_m)))
                            (format!(": VO2max {:.1} % lower", (r.to_vo2max_loss - r.from_vo2max_loss) / (1.0 - r.from_vo2max_loss) * 100.0))
                            " (Wehrlin and Hallén 2006, science.md §10a)."
                        }
                        @if r.heat.is_some() {
                            p { "With the heat: " b { (clock(r.low_s)) " – " (clock(r.high_s)) } " (the temperature-plus-dew-point table of Hadley, science.md §11, which gives a range)." }
                        }
                        @if r.not_advised {
                            p.note { "Racing in that heat is not advised: a prediction there means little." }
                        }
                    }
                }
            }
        }
    }
}

/// The stay form's fields, in the units the page shows.
#[derive(Debug, Deserialize)]
pub struct StayForm {
    pub from: String,
    pub to: String,
    pub altitude: String,
    pub sleep_altitude: Option<String>,
    pub note: Option<String>,
}

/// `POST /environment/stays`: logs a stay (as `cairn stay add`), then back
/// to the page.
pub async fn add_stay(
    State(state): State<AppState>,
    body: Result<axum::Form<StayForm>, axum::extract::rejection::FormRejection>,
) -> Result<axum::response::Redirect, Problem> {
    let f = crate::api::form_body(body, "from, to, altitude, sleep_altitude, note")?;
    let u = state.units().await?;
    let day = |text: &str, what: &str| {
        day_param(Some(text), what)?
            .ok_or_else(|| Problem::bad_request(format!("{what}: a day, YYYY-MM-DD")))
    };
    let altitude = |text: &str, what: &str| {
        u.elevation_m(text).ok_or_else(|| {
            Problem::bad_request(format!(
                "{what}={text}: an altitude in {}",
                u.elevation_unit()
            ))
        })
    };
    let stay = cairn_core::environment::altitude::Stay {
        id: 0,
        from_day: day(&f.from, "from")?,
        to_day: day(&f.to, "to")?,
        altitude_m: altitude(&f.altitude, "altitude")?,
        sleep_altitude_m: match f
            .sleep_altitude
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => Some(altitude(s, "sleep_altitude")?),
            None => None,
        },
        note: f.note.filter(|n| !n.trim().is_empty()),
    };
    state.with(move |cairn| Ok(cairn.add_stay(stay)?)).await?;
    Ok(axum::response::Redirect::to("/environment"))
}

/// A stay as the API takes it: days `YYYY-MM-DD` (inclusive), altitudes
/// in metres.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStay {
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    /// Where the days were spent, m.
    pub altitude_m: f64,
    /// Where the nights were spent, m, when different.
    pub sleep_altitude_m: Option<f64>,
    pub note: Option<String>,
}

/// A logged stay, as `cairn stay list --json` prints each.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StayDoc {
    pub id: i64,
    #[schema(format = Date)]
    pub from_day: String,
    #[schema(format = Date)]
    pub to_day: String,
    pub altitude_m: f64,
    pub sleep_altitude_m: Option<f64>,
    pub note: Option<String>,
}

/// `GET /api/v1/stays`: what `cairn stay list --json` prints.
#[utoipa::path(get, path = "/api/v1/stays",
    responses((status = 200, description = "The logged stays at altitude", body = Vec<StayDoc>)))]
pub async fn stays(State(state): State<AppState>) -> Result<crate::api::JsonBody, Problem> {
    state.with(|cairn| json(cairn.stays()?)).await
}

/// `POST /api/v1/stays` with a JSON [`NewStay`]: the stay as logged, with
/// its id (as `cairn stay add`; overlaps and impossible values refused).
#[utoipa::path(post, path = "/api/v1/stays", request_body = NewStay,
    responses((status = 201, description = "The stay as logged", body = StayDoc),
        (status = 400, description = "A wrong day or altitude, or a stay overlapping another, named", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "From another site", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 413, description = "A body over 64 KiB, the most the route takes", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn post_stay(
    State(state): State<AppState>,
    body: Result<axum::Json<NewStay>, axum::extract::rejection::JsonRejection>,
) -> Result<(axum::http::StatusCode, crate::api::JsonBody), Problem> {
    let n = crate::api::json_body(body, "from, to, altitude_m, sleep_altitude_m, note")?;
    let day = |text: &str, what: &str| {
        day_param(Some(text), what)?
            .ok_or_else(|| Problem::bad_request(format!("{what}: a day, YYYY-MM-DD")))
    };
    let stay = cairn_core::environment::altitude::Stay {
        id: 0,
        from_day: day(&n.from, "from")?,
        to_day: day(&n.to, "to")?,
        altitude_m: n.altitude_m,
        sleep_altitude_m: n.sleep_altitude_m,
        note: n.note.filter(|t| !t.trim().is_empty()),
    };
    let body = state.with(move |cairn| json(cairn.add_stay(stay)?)).await?;
    Ok((axum::http::StatusCode::CREATED, body))
}

/// `DELETE /api/v1/stays/{id}`: removes a stay.
#[utoipa::path(delete, path = "/api/v1/stays/{id}", params(("id" = i64, Path, description = "The stay's id")),
    responses((status = 204, description = "Removed"),
        (status = 400, description = "Not an id", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "From another site", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No such stay", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn delete_stay(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<axum::http::StatusCode, Problem> {
    let id = crate::api::id_of(&id)?;
    state.with(move |cairn| Ok(cairn.remove_stay(id)?)).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// `POST /environment/stays/{id}/remove`: removes a stay, then back.
pub async fn remove_stay(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<axum::response::Redirect, Problem> {
    let id = crate::api::id_of(&id)?;
    state.with(move |cairn| Ok(cairn.remove_stay(id)?)).await?;
    Ok(axum::response::Redirect::to("/environment"))
}
