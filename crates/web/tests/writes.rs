//! The JSON writes beside the pages' forms: settings, profile values with
//! the recomputation they start, stays, the feel log and the plan's days.
//! Each is checked against what the CLI's archive then holds.

mod common;

use axum::http::StatusCode;
use cairn_app::Cairn;
use common::{archive, get, send, state};
use serde_json::Value;

const JSON: [(&str, &str); 1] = [("content-type", "application/json")];
const FORM: [(&str, &str); 1] = [("content-type", "application/x-www-form-urlencoded")];

fn parsed(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn settings_change_what_every_page_and_the_cli_show() {
    let (dir, _files, cairn, ids) = archive();
    let app = cairn_web::router(state(cairn, &dir).on(Some(20_412)));
    let (status, _, body) = get(&app, "/api/v1/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        parsed(&body),
        serde_json::json!({"units": "metric", "week_start": "monday", "smoothing": "exponential"})
    );
    // One wrong value: nothing written, and the message names the valid ones.
    let (status, _, body) = send(
        &app,
        "PATCH",
        "/api/v1/settings",
        &JSON,
        r#"{"week_start": "sunday", "smoothing": "fast"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("exponential, inverse, ewma"), "{body}");
    let other = Cairn::open(dir.path()).unwrap();
    assert_eq!(other.settings().unwrap().week_start, "monday");

    let (status, _, body) = send(
        &app,
        "PATCH",
        "/api/v1/settings",
        &JSON,
        r#"{"units": "imperial", "week_start": "sun"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(parsed(&body)["week_start"], "sunday");
    // The CLI's archive reads the same.
    let other = Cairn::open(dir.path()).unwrap();
    assert_eq!(other.units().unwrap(), cairn_app::units::Units::Imperial);
    assert_eq!(other.settings().unwrap().week_start, "sunday");

    // Weeks now start on Sundays: in the calendar's JSON and its grid.
    let (_, _, body) = get(&app, "/api/v1/calendar?month=2025-11").await;
    let month = parsed(&body);
    for w in month["weeks"].as_array().unwrap() {
        let day = cairn_web::parse_day(w["start_day"].as_str().unwrap()).unwrap();
        assert_eq!((day + 3).rem_euclid(7), 6, "{}", w["start_day"]);
    }
    let (_, _, page) = get(&app, "/?month=2025-11").await;
    let header = &page[page.find("<thead>").unwrap()..page.find("</thead>").unwrap()];
    assert!(
        header.find("Sun").unwrap() < header.find("Mon").unwrap(),
        "{header}"
    );
    // And the pages print miles, with no --units given.
    let (_, _, page) = get(&app, &format!("/activity/{}", ids[0])).await;
    assert!(page.contains(" mi"), "no miles on the activity page");

    // The page's form sets them too, and goes back to the settings.
    let (status, location, _) = send(
        &app,
        "POST",
        "/profile/settings",
        &FORM,
        "units=metric&week_start=monday&smoothing=ewma",
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/profile#settings");
    let other = Cairn::open(dir.path()).unwrap();
    assert_eq!(
        other.series_config().unwrap().smoothing,
        cairn_core::load::Smoothing::Ewma
    );
    let (_, _, page) = get(&app, "/profile").await;
    assert!(page.contains(r#"<option value="ewma" selected>"#), "{page}");
}

#[tokio::test]
async fn a_threshold_set_through_the_api_recomputes_every_load_with_progress() {
    let (dir, _files, mut cairn, _) = archive();
    let before = cairn.loads(false).unwrap();
    let app = cairn_web::router(state(cairn, &dir).on(Some(20_412)));
    let (_, _, body) = get(&app, "/api/v1/profile/recompute").await;
    assert_eq!(parsed(&body)["state"], "idle");

    let (status, _, body) = send(
        &app,
        "POST",
        "/api/v1/profile",
        &JSON,
        r#"{"key": "max_hr", "value": "172", "from": "2025-01-01"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let profile = parsed(&body);
    assert!(
        profile["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["key"] == "max_hr" && e["value"] == 172.0),
        "{profile}"
    );
    // The recomputation runs in the background; the page shows its bar.
    let mut status = Value::Null;
    for _ in 0..600 {
        let (_, _, body) = get(&app, "/api/v1/profile/recompute").await;
        status = parsed(&body);
        if status["state"] == "done" || status["state"] == "failed" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(status["state"], "done", "{status}");
    assert_eq!(status["done"], status["total"]);
    assert!(status["total"].as_u64().unwrap() > 0, "{status}");
    let (_, _, fragment) = get(&app, "/profile/recompute").await;
    assert!(fragment.contains("up to date"), "{fragment}");

    // What was kept equals a computation from scratch, and it changed.
    let mut other = Cairn::open(dir.path()).unwrap();
    let kept = other.loads(false).unwrap();
    assert_eq!(kept.recomputed, 0, "the background run left nothing to do");
    let fresh = other.loads(true).unwrap();
    let aerobic = |r: &cairn_app::training::LoadReport| -> Vec<Option<f64>> {
        r.rows.iter().map(|row| row.aerobic).collect()
    };
    assert_eq!(aerobic(&kept), aerobic(&fresh));
    assert_ne!(aerobic(&kept), aerobic(&before));

    // A wrong key is named, with the keys there are.
    let (status, _, body) = send(
        &app,
        "POST",
        "/api/v1/profile",
        &JSON,
        r#"{"key": "vo2", "value": "55"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("max_hr"), "{body}");
}

#[tokio::test]
async fn stays_are_added_listed_and_removed_through_the_api() {
    let (dir, _files, cairn, _) = archive();
    let app = cairn_web::router(state(cairn, &dir).on(Some(20_412)));
    let stay = r#"{"from": "2025-10-01", "to": "2025-10-10", "altitude_m": 2400, "sleep_altitude_m": 2100, "note": "Engadin"}"#;
    let (status, _, body) = send(&app, "POST", "/api/v1/stays", &JSON, stay).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let added = parsed(&body);
    let id = added["id"].as_i64().unwrap();
    assert_eq!(added["from_day"], "2025-10-01");
    assert_eq!(added["sleep_altitude_m"], 2100.0);
    // The CLI sees it; an overlapping one is refused with both named.
    let other = Cairn::open(dir.path()).unwrap();
    assert_eq!(other.stays().unwrap().len(), 1);
    let (status, _, body) = send(
        &app,
        "POST",
        "/api/v1/stays",
        &JSON,
        r#"{"from": "2025-10-05", "to": "2025-10-12", "altitude_m": 1800}"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("2025-10-01"), "{body}");
    let (_, _, body) = get(&app, "/api/v1/stays").await;
    assert_eq!(parsed(&body).as_array().unwrap().len(), 1);

    let (status, _, _) = send(&app, "DELETE", &format!("/api/v1/stays/{id}"), &[], "").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, body) = send(&app, "DELETE", &format!("/api/v1/stays/{id}"), &[], "").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(Cairn::open(dir.path()).unwrap().stays().unwrap().is_empty());
}

#[tokio::test]
async fn the_feel_log_and_the_plan_take_json_too() {
    let (dir, _files, mut cairn, _) = archive();
    // Without a plan, its writes are 404 and say how to get one.
    let app = cairn_web::router(state(Cairn::open(dir.path()).unwrap(), &dir).on(Some(20_412)));
    let (status, _, body) = send(&app, "POST", "/api/v1/plan/adapt", &[], "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("goal add"), "{body}");

    let goal = cairn_app::plan::GoalInput {
        kind: cairn_core::plan::GoalKind::Race,
        day: 20_412 + 84,
        distance_m: Some(10_000.0),
        ascent_m: None,
        max_altitude_m: None,
        pack_kg: None,
        days: None,
        target_s: None,
        days_per_week: None,
        long_day: None,
        level: None,
        runner: None,
        no_running: false,
        growth_cap: None,
    };
    let active = cairn.add_goal(&goal, 20_412).unwrap();
    let plan_before = active.plan.clone();

    let (status, _, body) = send(
        &app,
        "POST",
        "/api/v1/feel",
        &JSON,
        r#"{"date": "2025-11-18", "fatigue": 4, "sleep": 2, "note": "short night"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(parsed(&body)["fatigue"], 4);
    let (status, _, body) = send(
        &app,
        "POST",
        "/api/v1/feel",
        &JSON,
        r#"{"date": "2025-11-18", "soreness": 9}"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("soreness=9: a score from 1 to 5"), "{body}");

    // A preview changes nothing.
    let (status, _, body) = send(&app, "POST", "/api/v1/plan/adapt?preview=true", &[], "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(parsed(&body).is_array());
    let other = Cairn::open(dir.path()).unwrap();
    assert_eq!(other.active_plan().unwrap().unwrap().plan, plan_before);

    // A day of the plan made a rest day: kept, and the rules it breaks listed.
    let day = plan_before
        .weeks
        .iter()
        .flat_map(|w| &w.sessions)
        .find(|s| s.day > 20_412 && s.kind == cairn_core::plan::Kind::Long)
        .map(|s| s.day)
        .expect("a long session in the plan");
    let uri = format!("/api/v1/plan/days/{}", cairn_app::day_text(day));
    let (status, _, body) = send(&app, "PATCH", &uri, &JSON, r#"{"rest": true}"#).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let edited = parsed(&body);
    assert_eq!(edited["day"], cairn_app::day_text(day));
    assert!(edited["broken"].is_array());
    let after = Cairn::open(dir.path())
        .unwrap()
        .active_plan()
        .unwrap()
        .unwrap();
    let session = after
        .plan
        .weeks
        .iter()
        .flat_map(|w| &w.sessions)
        .find(|s| s.day == day)
        .unwrap();
    assert_eq!(session.kind, cairn_core::plan::Kind::Rest);
    let (status, _, body) = send(&app, "PATCH", &uri, &JSON, r#"{"minutes": 2}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("from 5 to 720"), "{body}");
}

/// Hostile input: a body larger than any correction or setting is refused
/// by every write, page form or JSON, with a problem naming the limit;
/// nothing is written.
#[tokio::test]
async fn a_body_too_large_is_refused_with_the_limit_named() {
    let (dir, _files, cairn, ids) = archive();
    let app = cairn_web::router(state(cairn, &dir).on(Some(20_412)));
    let big_note = "x".repeat(cairn_web::MAX_BODY_BYTES + 1);
    let json = format!(r#"{{"note": "{big_note}"}}"#);
    let form = format!("note={big_note}");
    let activity = format!("/api/v1/activities/{}", ids[0]);
    let page = format!("/activity/{}", ids[0]);
    for (method, uri, kind, body) in [
        ("PATCH", activity.as_str(), JSON[0], &json),
        ("POST", "/api/v1/profile", JSON[0], &json),
        ("PATCH", "/api/v1/settings", JSON[0], &json),
        ("POST", "/api/v1/stays", JSON[0], &json),
        ("POST", "/api/v1/feel", JSON[0], &json),
        ("PATCH", "/api/v1/plan/days/2025-11-25", JSON[0], &json),
        ("POST", page.as_str(), FORM[0], &form),
        ("POST", "/profile", FORM[0], &form),
        ("POST", "/profile/settings", FORM[0], &form),
        ("POST", "/environment/stays", FORM[0], &form),
        ("POST", "/plan/feel", FORM[0], &form),
        ("POST", "/plan/edit", FORM[0], &form),
    ] {
        let (status, _, answer) = send(&app, method, uri, &[kind], body).await;
        assert_eq!(
            status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{method} {uri}: {answer}"
        );
        assert_eq!(
            parsed(&answer)["detail"],
            "the request body is larger than 64 KiB, the most this route takes",
            "{method} {uri}"
        );
    }
    let other = Cairn::open(dir.path()).unwrap();
    assert_eq!(other.activity(ids[0]).unwrap().note, None);
}
