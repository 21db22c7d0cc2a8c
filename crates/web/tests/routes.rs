//! Every route through the router, on an archive of simulated FIT files:
//! status, content type, and the numbers against `cairn-app`'s own.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cairn_app::{Cairn, ImportOptions};
use cairn_core::model::Sport;
use cairn_core::sim::history::Terrain;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// An archive with a run, a ride and a hike on three days of November 2026,
/// the run named like an attack.
/// The data directory, the folder of the files imported, the archive and
/// the activities' ids.
fn archive() -> (tempfile::TempDir, tempfile::TempDir, Cairn, Vec<i64>) {
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, (day, sport, terrain)) in [
        (20_407, Sport::Run, Terrain::Flat),
        (20_408, Sport::Ride, Terrain::Rolling),
        (20_410, Sport::Hike, Terrain::Mountain),
    ]
    .into_iter()
    .enumerate()
    {
        let a = cairn_core::sim::steady_session(day, sport, terrain, 40.0, i as u64 + 1);
        let path = files.path().join(format!("{i}.fit"));
        std::fs::write(&path, cairn_core::encode::fit::encode(&a)).unwrap();
        paths.push(path);
    }
    let mut cairn = Cairn::open(dir.path()).unwrap();
    let opts = ImportOptions {
        limits: Default::default(),
        now_ms: 1_800_000_000_000,
        threads: 1,
    };
    let report = cairn.import(&paths, &opts, &mut |_| {}).unwrap();
    assert_eq!(report.activities_imported, 3, "{report:?}");
    let ids = report.activity_ids.clone();
    cairn.rename(ids[0], "<script>alert(1)</script>").unwrap();
    (dir, files, cairn, ids)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, String) {
    let response = app
        .clone()
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, kind, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn every_route_answers_with_the_archive_numbers() {
    let (_dir, files, mut cairn, ids) = archive();
    let expected: Vec<Value> = ids
        .iter()
        .map(|id| {
            let d = cairn.show(*id, 1000.0).unwrap();
            cairn_app::json::rounded(cairn_app::json::activity_detail(&d, None))
        })
        .collect();
    let app = cairn_web::router(cairn_web::AppState::new(cairn));

    // The list: everything, pages of it, and a filter by family.
    let (status, kind, body) = get(&app, "/api/v1/activities").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("application/json"), "{kind}");
    let list: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(list["total"], 3);
    for (item, want) in list["items"].as_array().unwrap().iter().zip(&expected) {
        assert_eq!(item["id"], want["id"]);
        assert_eq!(item["distance_m"], want["distance_m"]);
        assert_eq!(item["moving_s"], want["moving_s"]);
    }
    let (_, _, body) = get(&app, "/api/v1/activities?offset=1&limit=1").await;
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"], expected[1]["id"]);
    let (_, _, body) = get(&app, "/api/v1/activities?sport=ride").await;
    let rides: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(rides["total"], 1);
    assert_eq!(rides["items"][0]["sport"], "ride");

    // One activity: exactly what `show --json` holds.
    let (status, _, body) = get(&app, &format!("/api/v1/activities/{}", ids[2])).await;
    assert_eq!(status, StatusCode::OK);
    let detail: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(detail, expected[2]);

    // The calendar: the three sessions on their days, the week's totals.
    let (status, _, body) = get(&app, "/api/v1/calendar?month=2025-11").await;
    assert_eq!(status, StatusCode::OK);
    let month: Value = serde_json::from_str(&body).unwrap();
    let sessions: Vec<&Value> = month["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["days"].as_array().unwrap())
        .flat_map(|d| d["sessions"].as_array().unwrap())
        .collect();
    assert_eq!(sessions.len(), 3, "{month}");
    let week_distance: f64 = month["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["total"]["distance_m"].as_f64().unwrap())
        .sum();
    let all_distance: f64 = expected
        .iter()
        .map(|e| e["distance_m"].as_f64().unwrap())
        .sum();
    assert!((week_distance - all_distance).abs() < 0.01);

    // The original, byte for byte, under its own name.
    let response = app
        .clone()
        .oneshot(
            Request::builder()
                .uri(format!("/api/v1/activities/{}/original", ids[1]))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"1.fit\""
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        &bytes[..],
        &std::fs::read(files.path().join("1.fit")).unwrap()[..]
    );

    // Fitness: both loads over the range asked, the page showing today's.
    let (status, _, body) = get(&app, "/api/v1/fitness?days=30&to=2025-11-20").await;
    assert_eq!(status, StatusCode::OK);
    let fitness: Value = serde_json::from_str(&body).unwrap();
    let aerobic = fitness
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["dimension"] == "aerobic" && s["sport"].is_null())
        .unwrap();
    let points = aerobic["points"].as_array().unwrap();
    // The series starts with the first activity (2025-11-15).
    assert_eq!(points.len(), 6);
    assert_eq!(points[0]["day"], "2025-11-15");
    assert_eq!(points[5]["day"], "2025-11-20");
    assert!(points[5]["fitness"].as_f64().unwrap() > 0.0);
    let (status, kind, html) = get(&app, "/fitness?days=30&to=2025-11-20").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/html"));
    assert!(
        html.contains("<svg") && html.contains("aerobic load"),
        "{html}"
    );
    let fit = format!("fitness {:.0}", points[5]["fitness"].as_f64().unwrap());
    assert!(html.contains(&fit), "{fit} not in the page");

    // Pages: HTML, the sessions linked, a name from a file shown as text.
    let (status, kind, html) = get(&app, "/?month=2025-11").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/html"), "{kind}");
    for id in &ids {
        assert!(html.contains(&format!("href=\"/activity/{id}\"")), "{html}");
    }
    assert!(!html.contains("<script>"), "unescaped: {html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let (status, kind, html) = get(&app, &format!("/activity/{}", ids[0])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/html"));
    assert!(!html.contains("<script>"));
    let km = format!(
        "{:.2} km",
        expected[0]["distance_m"].as_f64().unwrap() / 1000.0
    );
    assert!(html.contains(&km), "{km} not in {html}");
}

#[tokio::test]
async fn wrong_requests_get_a_problem_that_says_what_is_wrong() {
    let (_dir, _files, cairn, _) = archive();
    let app = cairn_web::router(cairn_web::AppState::new(cairn));
    for (uri, status, says) in [
        (
            "/api/v1/activities/99999",
            StatusCode::NOT_FOUND,
            "no activity 99999",
        ),
        (
            "/api/v1/activities/abc",
            StatusCode::BAD_REQUEST,
            "whole number",
        ),
        (
            "/api/v1/activities?limit=0",
            StatusCode::BAD_REQUEST,
            "limit=0",
        ),
        (
            "/api/v1/activities?limit=ten",
            StatusCode::BAD_REQUEST,
            "limit=ten",
        ),
        (
            "/api/v1/activities?sport=runing",
            StatusCode::BAD_REQUEST,
            "runing",
        ),
        (
            "/api/v1/activities?from=21.11.2026",
            StatusCode::BAD_REQUEST,
            "from=21.11.2026",
        ),
        (
            "/api/v1/calendar?month=2026-13",
            StatusCode::BAD_REQUEST,
            "month=2026-13",
        ),
        (
            "/activity/99999",
            StatusCode::NOT_FOUND,
            "no activity 99999",
        ),
        (
            "/api/v1/activities/99999/original",
            StatusCode::NOT_FOUND,
            "no activity 99999",
        ),
        ("/api/v1/fitness?days=2", StatusCode::BAD_REQUEST, "days=2"),
        (
            "/fitness?to=tomorrow",
            StatusCode::BAD_REQUEST,
            "to=tomorrow",
        ),
        ("/nowhere", StatusCode::NOT_FOUND, "/nowhere"),
    ] {
        let (got, kind, body) = get(&app, uri).await;
        assert_eq!(got, status, "{uri}: {body}");
        assert_eq!(kind, "application/problem+json", "{uri}");
        let p: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(p["status"], status.as_u16());
        assert!(p["detail"].as_str().unwrap().contains(says), "{uri}: {p}");
    }
}

#[tokio::test]
async fn a_read_the_client_holds_already_is_not_sent_again() {
    let (_dir, _files, cairn, ids) = archive();
    let app = cairn_web::router(cairn_web::AppState::new(cairn));
    for uri in [
        format!("/api/v1/activities/{}", ids[0]),
        "/?month=2025-11".to_string(),
        "/api/v1/fitness?days=30&to=2025-11-20".to_string(),
    ] {
        let first = app
            .clone()
            .oneshot(Request::builder().uri(&uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        let tag = first.headers()["etag"].to_str().unwrap().to_string();
        let again = app
            .clone()
            .oneshot(
                Request::builder()
                    .uri(&uri)
                    .header("if-none-match", &tag)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .is_empty());
        let other = app
            .clone()
            .oneshot(
                Request::builder()
                    .uri(&uri)
                    .header("if-none-match", "W/\"something-else\"")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(other.status(), StatusCode::OK, "{uri}");
    }
    // Problems carry no tag.
    let (status, _, _) = get(&app, "/api/v1/activities/99999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_loopback_is_served() {
    for addr in ["0.0.0.0:0", "192.168.1.20:8080", "[::]:0"] {
        let err = cairn_web::bind(addr.parse().unwrap()).await.unwrap_err();
        assert!(err.to_string().contains("until accounts exist"), "{err}");
    }
    assert!(cairn_web::bind("127.0.0.1:0".parse().unwrap())
        .await
        .is_ok());
}
