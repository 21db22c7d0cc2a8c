//! `/api/v1/…`: the JSON of docs/json.md, from the same functions as the
//! CLI's `--json`.

use crate::calendar::{self, Month};
use crate::{AppState, Problem};
use axum::extract::{Path, Query, State};
use cairn_core::model::Sport;
use cairn_store::ActivityFilter;
use serde::Deserialize;

/// A JSON body already written, as every `--json` prints it: rounded, no
/// `-0`.
pub struct JsonBody(Vec<u8>);

impl axum::response::IntoResponse for JsonBody {
    fn into_response(self) -> axum::response::Response {
        (
            [(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            )],
            self.0,
        )
            .into_response()
    }
}

/// `v` written as JSON straight from its types.
pub(crate) fn json(v: impl serde::Serialize) -> Result<JsonBody, Problem> {
    cairn_app::json::to_vec(&v)
        .map(JsonBody)
        .map_err(|e| Problem::internal(format!("cannot write JSON: {e}")))
}

/// Most activities one page of the list holds.
pub const MAX_LIMIT: usize = 500;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// A sport or a family (`run`, `ride`, …).
    pub sport: Option<String>,
    /// First local day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last local day, `YYYY-MM-DD` (inclusive).
    pub to: Option<String>,
    /// Activities to skip (0 by default). Numbers are read by hand, so a
    /// wrong one gets a problem, not a bare 400.
    pub offset: Option<String>,
    /// Activities in the page, 1 to 500 (100 by default).
    pub limit: Option<String>,
}

/// A whole number from the query, or the problem with it.
pub(crate) fn count(text: Option<&str>, what: &str, default: usize) -> Result<usize, Problem> {
    match text {
        None => Ok(default),
        Some(t) => t
            .trim()
            .parse()
            .map_err(|_| Problem::bad_request(format!("{what}={t}: expected a whole number"))),
    }
}

/// An id from the path, or the problem with it.
pub(crate) fn id_of(text: &str) -> Result<i64, Problem> {
    text.parse()
        .map_err(|_| Problem::bad_request(format!("{text}: an activity id is a whole number")))
}

/// The filter the query names; a wrong word or day is refused with the
/// valid forms.
pub(crate) fn filter_of(q: &ActivityQuery) -> Result<ActivityFilter, Problem> {
    // A blank value (a form's "all") is no filter.
    let sports = match q.sport.as_deref().filter(|s| !s.trim().is_empty()) {
        None => Vec::new(),
        Some(word) => Sport::matching(word)
            .ok_or_else(|| {
                Problem::bad_request(format!(
                    "sport={word}: not a sport; one of {}",
                    Sport::filter_words()
                ))
            })?
            .iter()
            .map(|s| s.id().to_string())
            .collect(),
    };
    let day_ms = |d: i32| i64::from(d) * 86_400_000;
    Ok(ActivityFilter {
        sports,
        from_ms: calendar::day_param(q.from.as_deref(), "from")?.map(day_ms),
        // Through the end of the last day.
        to_ms: calendar::day_param(q.to.as_deref(), "to")?.map(|d| day_ms(d + 1)),
        include_deleted: false,
    })
}

/// `GET /api/v1/activities`: one page of the list, oldest first, with the
/// total for paging.
#[utoipa::path(get, path = "/api/v1/activities", params(ActivityQuery),
    responses((status = 200, description = "One page of the list, oldest first", body = crate::openapi::ActivityPageDoc), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn activities(
    State(state): State<AppState>,
    Query(q): Query<ActivityQuery>,
) -> Result<JsonBody, Problem> {
    let filter = filter_of(&q)?;
    let offset = count(q.offset.as_deref(), "offset", 0)?;
    let limit = count(q.limit.as_deref(), "limit", 100)?;
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Problem::bad_request(format!(
            "limit={limit}: from 1 to {MAX_LIMIT}"
        )));
    }
    state
        .with(move |cairn| {
            let (total, page) = cairn.activities_page(&filter, offset, limit)?;
            let gear = cairn.gear_of_activities(&page)?;
            let items: Vec<_> = page
                .iter()
                .map(|a| cairn_app::json::activity(a, gear.get(&a.id)))
                .collect();
            json(ActivityPage {
                items,
                total,
                offset,
                limit,
            })
        })
        .await
}

/// `GET /api/v1/activities/{id}`: what `cairn show ID --json` prints.
#[utoipa::path(get, path = "/api/v1/activities/{id}", params(("id" = i64, Path, description = "The activity's id")),
    responses((status = 200, description = "What cairn show ID --json prints", body = crate::openapi::ActivityDoc), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "No such activity", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn activity(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<JsonBody, Problem> {
    let id = id_of(&id)?;
    state
        .with(move |cairn| {
            let d = cairn.show(id, 1000.0)?;
            let gear = cairn.gear_of_activities(std::slice::from_ref(&d.record))?;
            json(cairn_app::json::activity_detail(&d, gear.get(&id)))
        })
        .await
}

/// `GET /api/v1/activities/{id}/original`: the file exactly as it was
/// imported, under its own name.
#[utoipa::path(get, path = "/api/v1/activities/{id}/original", params(("id" = i64, Path, description = "The activity's id")),
    responses((status = 200, description = "The original file, byte for byte", content_type = "application/octet-stream", body = Vec<u8>), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "No such activity", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn original(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::response::Response, Problem> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let id = id_of(&id)?;
    let (bytes, source) = state
        .with(move |cairn| {
            let a = cairn.activity(id)?;
            Ok((cairn.original_file(id)?, a.source))
        })
        .await?;
    // The last part of the source path (an export's member keeps its own),
    // with nothing that could break out of the header's quotes.
    let name: String = source
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("original")
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\')
        .collect();
    let name = if name.is_empty() {
        "original".to_string()
    } else {
        name
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Points a chart gets unless it asks: enough for a wide screen, and a
/// 24-hour recording stays near 100 KB. The size the page data is kept at,
/// so the default answer is read, not derived.
pub const DEFAULT_POINTS: usize = cairn_core::streams::VIEW_POINTS;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamsQuery {
    /// How many points at most, or `all` for every recorded second.
    pub points: Option<String>,
}

/// `GET /api/v1/activities/{id}/streams?points=N|all`: the activity's
/// series, each bucket's minimum and maximum kept when reduced.
#[utoipa::path(get, path = "/api/v1/activities/{id}/streams", params(("id" = i64, Path, description = "The activity's id"), StreamsQuery),
    responses((status = 200, description = "The series, reduced to the points asked for", body = crate::openapi::StreamsDoc), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "No such activity", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn streams(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<StreamsQuery>,
) -> Result<JsonBody, Problem> {
    let id = id_of(&id)?;
    let points = match q.points.as_deref().map(str::trim) {
        Some("all") => None,
        other => {
            let n = count(other, "points", DEFAULT_POINTS)?;
            if n < 2 {
                return Err(Problem::bad_request(format!(
                    "points={n}: at least 2, or all"
                )));
            }
            Some(n)
        }
    };
    state
        .with(move |cairn| {
            let (recorded_seconds, streams) = cairn.streams(id, points)?;
            json(StreamsReply {
                activity_id: id,
                recorded_seconds,
                points: streams.len(),
                reduced: streams.len() < recorded_seconds,
                streams: &streams,
            })
        })
        .await
}

/// One page of the activity list.
#[derive(serde::Serialize)]
struct ActivityPage<'a> {
    items: Vec<cairn_app::json::ActivityJson<'a>>,
    total: usize,
    offset: usize,
    limit: usize,
}

/// The streams with what they were reduced from.
#[derive(serde::Serialize)]
struct StreamsReply<'a> {
    activity_id: i64,
    recorded_seconds: usize,
    points: usize,
    reduced: bool,
    #[serde(flatten)]
    streams: &'a cairn_core::streams::Streams,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM`; this month by default.
    pub month: Option<String>,
}

/// `GET /api/v1/calendar?month=YYYY-MM`: the month's weeks, each day's
/// sessions and each week's totals.
#[utoipa::path(get, path = "/api/v1/calendar", params(MonthQuery),
    responses((status = 200, description = "The month in weeks", body = crate::calendar::CalendarMonth), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn calendar(
    State(state): State<AppState>,
    Query(q): Query<MonthQuery>,
) -> Result<JsonBody, Problem> {
    let today = state.today();
    let month = Month::chosen(q.month.as_deref(), today)?;
    state
        .with(move |cairn| json(calendar::month(cairn, month, today)?))
        .await
}

/// `GET /api/v1/week?day=YYYY-MM-DD`: the week holding the day (this week
/// by default), as the calendar's week view shows it.
#[utoipa::path(get, path = "/api/v1/week", params(crate::pages::WeekQuery),
    responses((status = 200, description = "The week holding the day", body = crate::calendar::CalendarWeekView), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn week(
    State(state): State<AppState>,
    Query(q): Query<crate::pages::WeekQuery>,
) -> Result<JsonBody, Problem> {
    let today = state.today();
    let day = crate::pages::week_day(&q, today)?;
    state
        .with(move |cairn| json(calendar::week(cairn, day, today)?))
        .await
}

/// `GET /api/v1/activities/{id}/efforts`: the best efforts found inside
/// the activity, each beside the all-time best.
#[utoipa::path(get, path = "/api/v1/activities/{id}/efforts", params(("id" = i64, Path, description = "The activity's id")),
    responses((status = 200, description = "Efforts inside it, each beside the all-time best", body = Vec<crate::openapi::EffortDoc>), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "No such activity", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn efforts(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<JsonBody, Problem> {
    let id = id_of(&id)?;
    state
        .with(move |cairn| json(cairn.activity_efforts(id)?))
        .await
}

/// `GET /api/v1/activities/{id}/curves`: the activity's mean-maximal
/// curves beside the all-time ones of its sport family.
#[utoipa::path(get, path = "/api/v1/activities/{id}/curves", params(("id" = i64, Path, description = "The activity's id")),
    responses((status = 200, description = "Its curves beside the all-time curves of its sport family", body = Vec<crate::openapi::CurveDoc>), (status = 400, description = "A wrong parameter, named with the valid forms", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "No such activity", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn curves(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<JsonBody, Problem> {
    let id = id_of(&id)?;
    state
        .with(move |cairn| json(cairn.activity_curves(id)?))
        .await
}

/// The most a JSON or form body may hold (a correction, a setting, a day
/// of the plan are a few hundred bytes); uploads have limits of their own.
pub const MAX_BODY_BYTES: usize = 64 << 10;

/// A body over [`MAX_BODY_BYTES`], named with the limit.
fn too_large() -> Problem {
    Problem {
        status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        detail: format!(
            "the request body is larger than {} KiB, the most this route takes",
            MAX_BODY_BYTES >> 10
        ),
    }
}

/// A JSON request body, or a 400 naming what was wrong and the fields
/// the route takes (a 413 naming the limit for one too large).
pub(crate) fn json_body<T>(
    body: Result<axum::Json<T>, axum::extract::rejection::JsonRejection>,
    fields: &str,
) -> Result<T, Problem> {
    body.map(|axum::Json(t)| t).map_err(|r| {
        if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return too_large();
        }
        Problem::bad_request(format!("{}; the fields are {fields}", r.body_text()))
    })
}

/// A page's form, or the same problems as [`json_body`].
pub(crate) fn form_body<T>(
    body: Result<axum::Form<T>, axum::extract::rejection::FormRejection>,
    fields: &str,
) -> Result<T, Problem> {
    body.map(|axum::Form(t)| t).map_err(|r| {
        if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            return too_large();
        }
        Problem::bad_request(format!("{}; the form's fields are {fields}", r.body_text()))
    })
}
