//! `cairn serve` under load: a demo archive of YEARS years (10 by default,
//! about 2,800 activities) plus one 24-hour 1-Hz recording, served on
//! 127.0.0.1 by the real router, and CLIENTS concurrent clients (16) on
//! keep-alive connections asking each route in turn for SECONDS seconds.
//! Activity routes ask for a different activity each time, so nothing is
//! measured warm that a user would meet cold. Each route's latency is
//! reported beside the static asset nearest to it in size, served by the
//! same server in the same run: that ratio is the figure.
//!
//! Usage: serve_bench [YEARS] [CLIENTS] [SECONDS]; CAIRN_BENCH_ROUTES=a,b
//! measures only the routes containing a or b; CAIRN_BENCH_POSTGRES=1
//! keeps the archive in the PostgreSQL the libpq variables name (PGHOST…,
//! e.g. under `pg_virtualenv`) instead of SQLite; CAIRN_BENCH_CONNECTIONS=N
//! serves from N connections instead of one per core (at most four).

use bytes::Bytes;
use cairn_app::{Cairn, ImportOptions};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::time::{Duration, Instant};

struct Row {
    route: String,
    p50_ms: f64,
    p99_ms: f64,
    per_s: f64,
    bytes: usize,
    errors: usize,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let years: f64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10.0);
    let clients: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(16);
    let seconds: f64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(3.0);

    let data = tempfile::tempdir().expect("a temporary directory");
    let files = tempfile::tempdir().expect("a temporary directory");
    let last_day = 20_777; // 2026-11-20
    let started = Instant::now();
    cairn_app::demo::generate(&cairn_app::demo::DemoOptions {
        years,
        athletes: 1,
        seed: 7,
        out: files.path().to_path_buf(),
        last_day,
    })
    .expect("the demo files");
    // One whole day recorded every second: the streams' size bar.
    let day = cairn_core::sim::steady_session(
        last_day - 3,
        cairn_core::model::Sport::Hike,
        cairn_core::sim::history::Terrain::Mountain,
        24.0 * 60.0,
        11,
    );
    std::fs::write(
        files.path().join("24h.fit"),
        cairn_core::encode::fit::encode(&day),
    )
    .expect("the 24-hour file");
    let postgres = std::env::var_os("CAIRN_BENCH_POSTGRES").is_some();
    let database = postgres.then(|| {
        let server = cairn_store_postgres::PgStore::server_from_env()
            .expect("CAIRN_BENCH_POSTGRES needs PGHOST (run under pg_virtualenv)");
        let name = format!("cairn_bench_{}", std::process::id());
        cairn_store_postgres::PgStore::ensure_database(&server, &name).expect("the database")
    });
    let open = || match &database {
        None => Cairn::open(data.path()).expect("the archive"),
        Some(db) => Cairn::on_store(
            Box::new(
                cairn_store_postgres::PgStore::connect(db, &data.path().join("archive"))
                    .expect("the database"),
            ),
            cairn_app::DEFAULT_ATHLETE,
            true,
        )
        .expect("the archive"),
    };
    let mut cairn = open();
    let opts = ImportOptions {
        limits: Default::default(),
        now_ms: 1_900_000_000_000,
        threads: 0,
    };
    let report = cairn
        .import(&[files.path().to_path_buf()], &opts, &mut |_| {})
        .expect("the import");
    let ids = report.activity_ids.clone();
    // A trek goal, so the plan and readiness routes have a plan to show.
    cairn
        .add_goal(
            &cairn_app::plan::GoalInput {
                kind: cairn_core::plan::GoalKind::Trek,
                day: last_day + 140,
                distance_m: Some(16_000.0),
                ascent_m: Some(1_100.0),
                max_altitude_m: Some(5_400.0),
                pack_kg: Some(9.0),
                days: Some(12),
                target_s: None,
                days_per_week: None,
                long_day: None,
                level: None,
                runner: None,
                no_running: false,
                growth_cap: None,
            },
            last_day,
        )
        .expect("the goal");
    let long_id = {
        let all = cairn.activities(&Default::default()).expect("the list");
        all.iter()
            .max_by(|a, b| {
                a.summary
                    .elapsed_s
                    .partial_cmp(&b.summary.elapsed_s)
                    .unwrap()
            })
            .map(|a| a.id)
            .expect("an activity")
    };
    println!(
        "archive: {} activities ({years} years + one 24-hour recording) in {:.1} s, on {}",
        ids.len(),
        started.elapsed().as_secs_f64(),
        if postgres { "PostgreSQL" } else { "SQLite" }
    );
    let mut pool = vec![cairn];
    // CAIRN_BENCH_CONNECTIONS=N: a pool of N instead of one per core.
    let n = std::env::var("CAIRN_BENCH_CONNECTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4)));
    for _ in 1..n {
        pool.push(open());
    }
    let state = cairn_web::AppState::pooled(pool, data.path().join("uploads")).on(Some(last_day));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async move {
        let listener = cairn_web::bind(([127, 0, 0, 1], 0).into())
            .await
            .expect("a port");
        let addr = listener.local_addr().expect("the address");
        tokio::spawn(cairn_web::serve(listener, state));
        let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
        let base = format!("http://{addr}");

        // The 24-hour recording's default streams: the size bar (≤ 300 KB).
        let uri: hyper::Uri = format!("{base}/api/v1/activities/{long_id}/streams")
            .parse()
            .unwrap();
        let body = client
            .get(uri)
            .await
            .expect("streams")
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes();
        println!(
            "RESULT streams_24h_bytes={} (activity {long_id}, default points)",
            body.len()
        );

        let routes: Vec<&str> = vec![
            "/assets/cairn.css",
            "/assets/charts.js",
            "/assets/uPlot.iife.min.js",
            "/",
            "/week",
            "/fitness",
            "/import",
            "/activity/{id}",
            "/api/v1/activities?limit=100",
            "/api/v1/activities/{id}",
            "/api/v1/activities/{id}/streams",
            "/api/v1/activities/{id}/efforts",
            "/api/v1/activities/{id}/curves",
            "/api/v1/activities/{id}/original",
            "/api/v1/calendar",
            "/api/v1/week",
            "/api/v1/fitness",
            "/api/v1/imports",
            "/api/v1/openapi.json",
            "/activities",
            "/records",
            "/api/v1/records",
            "/curves",
            "/api/v1/curves?kind=pace",
            "/compare",
            "/api/v1/compare",
            "/environment",
            "/api/v1/altitude",
            "/api/v1/heat",
            "/predict",
            "/api/v1/predict",
            "/plan",
            "/api/v1/plan",
            "/api/v1/ready",
            "/profile",
            "/api/v1/profile",
            "/api/v1/profile/recompute",
            "/api/v1/settings",
            "/api/v1/stays",
        ];
        // CAIRN_BENCH_ROUTES=a,b keeps only the routes containing a or b,
        // and the assets they are measured against.
        let routes: Vec<&str> = match std::env::var("CAIRN_BENCH_ROUTES") {
            Ok(only) => routes
                .into_iter()
                .filter(|r| r.starts_with("/assets/") || only.split(',').any(|o| r.contains(o)))
                .collect(),
            Err(_) => routes,
        };
        // Every connection of the pool warms its memo once, as after a restart.
        for r in &routes {
            for _ in 0..n {
                let uri: hyper::Uri = format!("{base}{}", r.replace("{id}", &ids[0].to_string()))
                    .parse()
                    .unwrap();
                let _ = client.get(uri).await.unwrap().into_body().collect().await;
            }
        }
        let mut rows = Vec::new();
        for route in routes {
            let deadline = Instant::now() + Duration::from_secs_f64(seconds);
            let mut tasks = Vec::new();
            for c in 0..clients {
                let client = client.clone();
                let base = base.clone();
                let ids = ids.clone();
                tasks.push(tokio::spawn(async move {
                    let mut lat = Vec::new();
                    let (mut bytes, mut errors) = (0usize, 0usize);
                    let mut k = c * 7919;
                    while Instant::now() < deadline {
                        k = k.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        let id = ids[k % ids.len()];
                        let uri: hyper::Uri =
                            format!("{base}{}", route.replace("{id}", &id.to_string()))
                                .parse()
                                .unwrap();
                        let t = Instant::now();
                        match client.get(uri).await {
                            Ok(resp) => {
                                let ok = resp.status().is_success();
                                let body =
                                    resp.into_body().collect().await.map(|b| b.to_bytes().len());
                                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                                match body {
                                    Ok(n) if ok => bytes += n,
                                    _ => errors += 1,
                                }
                            }
                            Err(_) => errors += 1,
                        }
                    }
                    (lat, bytes, errors)
                }));
            }
            let mut lat = Vec::new();
            let (mut bytes, mut errors) = (0usize, 0usize);
            for t in tasks {
                let (l, b, e) = t.await.unwrap();
                lat.extend(l);
                bytes += b;
                errors += e;
            }
            lat.sort_by(f64::total_cmp);
            rows.push(Row {
                route: route.to_string(),
                p50_ms: percentile(&lat, 0.5),
                p99_ms: percentile(&lat, 0.99),
                per_s: lat.len() as f64 / seconds,
                bytes: bytes / lat.len().max(1),
                errors,
            });
        }
        let assets: Vec<&Row> = rows
            .iter()
            .filter(|r| r.route.starts_with("/assets/"))
            .collect();
        println!("{clients} clients, {seconds} s per route, {n} connections to the archive");
        println!(
            "{:36} {:>9} {:>9} {:>9} {:>10} {:>7}  vs asset of similar size (p50 ratio)",
            "route", "p50 ms", "p99 ms", "req/s", "bytes", "errors"
        );
        for r in &rows {
            let near = assets
                .iter()
                .min_by_key(|a| (a.bytes as i64 - r.bytes as i64).abs())
                .expect("assets");
            println!(
                "{:36} {:9.2} {:9.2} {:9.0} {:10} {:7}  {} {:.1}x",
                r.route,
                r.p50_ms,
                r.p99_ms,
                r.per_s,
                r.bytes,
                r.errors,
                near.route.trim_start_matches("/assets/"),
                r.p50_ms / near.p50_ms
            );
        }
        let worst_p50 = rows.iter().map(|r| r.p50_ms).fold(0.0, f64::max);
        let worst_p99 = rows.iter().map(|r| r.p99_ms).fold(0.0, f64::max);
        let errors: usize = rows.iter().map(|r| r.errors).sum();
        println!("RESULT worst_p50_ms={worst_p50:.2} worst_p99_ms={worst_p99:.2} errors={errors}");
    });
}
