//! Changes only from cairn's own pages. The server listens on loopback,
//! but any web site the athlete visits could still post to
//! `127.0.0.1:8080`; a request that changes the archive and says it comes
//! from another site (`Sec-Fetch-Site`, else `Origin`) is refused.

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

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
