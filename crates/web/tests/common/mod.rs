//! The archive and the request helpers every route test uses.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cairn_app::{Cairn, ImportOptions};
use cairn_core::model::Sport;
use cairn_core::sim::history::Terrain;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// An archive with a run, a ride and a hike on three days of November 2026,
/// the run named like an attack.
/// The data directory, the folder of the files imported, the archive and
/// the activities' ids.
pub fn archive() -> (tempfile::TempDir, tempfile::TempDir, Cairn, Vec<i64>) {
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

/// The server's state on the archive, uploads spooled inside its data dir.
pub fn state(cairn: Cairn, dir: &tempfile::TempDir) -> cairn_web::AppState {
    cairn_web::AppState::new(cairn, dir.path().join("uploads"))
}

pub async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, String) {
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

/// A request with a method, headers and a body: (status, Location, body).
pub async fn send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, String, String) {
    let mut r = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let response = app
        .clone()
        .oneshot(r.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, location, String::from_utf8(body.to_vec()).unwrap())
}
