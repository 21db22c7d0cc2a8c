//! `cairn serve --database` on a real PostgreSQL: a FIT file uploaded
//! through the API is imported into the database, served back, and still
//! there after the server restarts; the configuration printed never shows
//! the password. Runs where the environment names a PostgreSQL
//! (`scripts/test` starts one); under `CI` its absence fails.

mod common;

use std::path::Path;

/// The database address for the environment's server, and its password.
fn database() -> Option<(String, String)> {
    let host = std::env::var("PGHOST").ok()?;
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let user = std::env::var("PGUSER").unwrap_or_else(|_| "postgres".into());
    let password = std::env::var("PGPASSWORD").unwrap_or_default();
    let server = cairn_store_postgres::PgStore::server_from_env()?;
    cairn_store_postgres::PgStore::ensure_database(&server, "cairn_serve_test").unwrap();
    Some((
        format!("postgres://{user}:{password}@{host}:{port}/cairn_serve_test"),
        password,
    ))
}

fn serve(data: &Path, url: &str) -> (common::Killed, String) {
    let (server, base) = common::serve(data, &[], &["--database", url]);
    (server, base.trim_start_matches("http://").to_string())
}

#[test]
fn an_upload_lands_in_postgresql_and_survives_a_restart() {
    let Some((url, password)) = database() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no PostgreSQL is named (PGHOST)"
        );
        eprintln!("SKIPPED: no PostgreSQL (PGHOST)");
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let fit = cairn_core::encode::fit::encode(&common::session(
        cairn_core::model::Sport::Run,
        cairn_core::sim::history::Terrain::Rolling,
        30.0,
        7,
    ));
    {
        let (_server, addr) = serve(data.path(), &url);
        let (status, body) = common::http(&addr, "POST", "/api/v1/imports?name=run.fit", &fit);
        assert_eq!(status, 202, "{body}");
        let job: serde_json::Value = serde_json::from_str(&body).unwrap();
        let id = job["id"].as_u64().unwrap();
        let mut state = String::new();
        for _ in 0..300 {
            let (_, body) = common::http(&addr, "GET", &format!("/api/v1/imports/{id}"), b"");
            let job: serde_json::Value = serde_json::from_str(&body).unwrap();
            state = job["state"].as_str().unwrap_or("").to_string();
            if state == "done" || state == "failed" {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(state, "done");
    }
    // A new server process on the same database finds it.
    let (_server, addr) = serve(data.path(), &url);
    let (status, body) = common::http(&addr, "GET", "/api/v1/activities", b"");
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["total"], 1, "{page}");
    let id = page["items"][0]["id"].as_i64().unwrap();
    let (status, _) = common::http(
        &addr,
        "GET",
        &format!("/api/v1/activities/{id}/original"),
        b"",
    );
    assert_eq!(
        status, 200,
        "the original is served from the data directory"
    );
    // The configuration printed hides the password.
    let (code, printed, err) = common::run(
        data.path(),
        &["serve", "--database", &url, "--print-config"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(printed.contains("database = \"postgres://"), "{printed}");
    if !password.is_empty() {
        assert!(!printed.contains(&password), "{printed}");
    }
}
