//! ETags on reads: a GET answered 200 carries a validator of its body, and
//! a request that already holds it (`If-None-Match`) gets 304 and no body.

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The validator of a body: a weak tag, as the bytes are rendered anew on
/// each request (equal bytes, equal tag). XXH3 rather than the standard
/// library's SipHash: faster on the larger answers (hundreds of KB), and its
/// output is fixed by its specification, so tags survive a restart or an
/// upgrade of Rust.
fn tag_of(bytes: &[u8]) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    format!("W/\"{hash:016x}-{:x}\"", bytes.len())
}

/// Whether an `If-None-Match` value names `tag` (or is `*`).
fn matches(if_none_match: &str, tag: &str) -> bool {
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t == tag || t.trim_start_matches("W/") == tag.trim_start_matches("W/"))
}

pub async fn etag(request: Request<Body>, next: Next) -> Response {
    let get = request.method() == Method::GET;
    let held = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let response = next.run(request).await;
    if !get || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Every page and API answer is rendered whole in memory already.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the answer could not be read",
        )
            .into_response();
    };
    let tag = tag_of(&bytes);
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    if held.as_deref().is_some_and(|h| matches(h, &tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}
