//! Errors as `application/problem+json` (RFC 9457): a status, a title and
//! the specific message the CLI would print.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use cairn_app::AppError;
use cairn_store::StoreError;

#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub status: StatusCode,
    pub detail: String,
}

impl Problem {
    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem {
            status: StatusCode::BAD_REQUEST,
            detail: detail.into(),
        }
    }

    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem {
            status: StatusCode::NOT_FOUND,
            detail: detail.into(),
        }
    }

    pub fn internal(detail: impl Into<String>) -> Problem {
        Problem {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            detail: detail.into(),
        }
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Problem {
        match &e {
            AppError::Invalid(_) => Problem::bad_request(e.to_string()),
            AppError::NotFound(_) | AppError::Store(StoreError::NoSuchActivity(_)) => {
                Problem::not_found(e.to_string())
            }
            _ => Problem::internal(e.to_string()),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "type": "about:blank",
            "title": self.status.canonical_reason().unwrap_or("error"),
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}

/// Any path the server does not have.
pub async fn not_found(uri: axum::http::Uri) -> Problem {
    Problem::not_found(format!("no page or API route at {}", uri.path()))
}
