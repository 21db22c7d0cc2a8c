//! Changes only from cairn's own pages. The server listens on loopback,
//! but any web site the athlete visits could still post to
//! `127.0.0.1:8080`; a request that changes the archive and says it comes
//! from another site (`Sec-Fetch-Site`, else `Origin`) is refused.

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use crate::Problem;

/// Whether the request's own headers say it comes from another site.
fn cross_site(req: &Request) -> bool {
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (
        h.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        h.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => {
            origin.split_once("://").map(|(_, authority)| authority) != Some(host)
        }
        (Some(_), None) => true,
        _ => false,
    }
}

pub async fn same_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && cross_site(&req) {
        return Problem {
            status: StatusCode::FORBIDDEN,
            detail: format!(
                "{} {} from another site refused: cairn serve takes changes only from its own pages",
                req.method(),
                req.uri().path()
            ),
        }
        .into_response();
    }
    next.run(req).await
}

/// The policy every page is served with: scripts, styles, images and
/// requests from this server only (the map is drawn here), inline style
/// attributes allowed (the pages' colour swatches, uPlot's sizing), no
/// inline or evaluated script, no framing. Images may also come from the
/// tile server the athlete named, and from no other.
pub fn content_security_policy(tiles: Option<&crate::Tiles>) -> Arc<str> {
    let images = match tiles {
        Some(t) => format!("'self' data: {}", t.origin()),
        None => "'self' data:".to_string(),
    };
    format!("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'").into()
}

/// Security headers on every response.
pub async fn headers(State(policy): State<Arc<str>>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    for (name, value) in [
        ("content-security-policy", &*policy),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
    ] {
        if let Ok(v) = axum::http::HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    }
    response
}
