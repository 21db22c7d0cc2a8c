//! The pages' style sheet and scripts, embedded in the binary: cairn's own
//! from `assets/`, uPlot and htmx as `build.rs` fetched them from npm.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::Problem;

/// (name under `/assets/`, content type, bytes).
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "cairn.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/cairn.css"),
    ),
    (
        "charts.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/charts.js"),
    ),
    (
        "import.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/import.js"),
    ),
    (
        "fitness.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/fitness.js"),
    ),
    (
        "curves.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/curves.js"),
    ),
    (
        "environment.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/environment.js"),
    ),
    (
        "predict.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/predict.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../assets/favicon.svg"),
    ),
    (
        "uPlot.iife.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!(concat!(env!("OUT_DIR"), "/vendor/uPlot.iife.min.js")),
    ),
    (
        "uPlot.min.css",
        "text/css; charset=utf-8",
        include_bytes!(concat!(env!("OUT_DIR"), "/vendor/uPlot.min.css")),
    ),
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!(concat!(env!("OUT_DIR"), "/vendor/htmx.min.js")),
    ),
];

/// `GET /assets/{name}`.
pub async fn asset(Path(name): Path<String>) -> Result<Response, Problem> {
    let (_, kind, bytes) = ASSETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or_else(|| Problem::not_found(format!("no asset named {name}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, *kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        *bytes,
    )
        .into_response())
}

/// Every asset's name and size, for the benchmark and the tests.
pub fn sizes() -> Vec<(&'static str, usize)> {
    ASSETS.iter().map(|(n, _, b)| (*n, b.len())).collect()
}
