//! The one error type of the API, rendered as `{"error":{"code","message"}}`. Server-side failures
//! are logged with their detail and answered with a generic message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use plugboard_model::connector::{ApiError as WireError, ApiErrorBody};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Validation(String),
    #[error("sign in first")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{message}")]
    InUse {
        message: String,
        details: serde_json::Value,
    },
    #[error("request body too large")]
    TooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{message}")]
    Report {
        message: String,
        details: serde_json::Value,
    },
    /// An error with its own status and code (execution: `reference_unbound`,
    /// `upstream_status`, …) and optional details.
    #[error("{message}")]
    Coded {
        status: StatusCode,
        code: &'static str,
        message: String,
        details: Option<serde_json::Value>,
    },
    /// Too many attempts (sign-in): 429 with `Retry-After`.
    #[error("{message}")]
    Throttled { message: String, retry_after: u64 },
    #[error("internal error")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        ApiError::Internal(e.to_string())
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(format!("{what} not found"))
    }

    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::InUse { .. } => (StatusCode::CONFLICT, "connection_in_use"),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            ApiError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::Report { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "import_refused"),
            ApiError::Coded { status, code, .. } => (*status, code),
            ApiError::Throttled { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return ApiError::Conflict("that name is already taken".into());
            }
            if db.is_foreign_key_violation() {
                return ApiError::Conflict("it is still in use".into());
            }
            if db.is_check_violation() {
                return ApiError::Validation("a value is out of range".into());
            }
        }
        ApiError::Internal(format!("database: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        let details = match &self {
            ApiError::InUse { details, .. } | ApiError::Report { details, .. } => {
                Some(details.clone())
            }
            ApiError::Coded { details, .. } => details.clone(),
            _ => None,
        };
        if let ApiError::Internal(detail) = &self {
            tracing::error!("internal error: {detail}");
        }
        let body = ApiErrorBody {
            error: WireError {
                code: code.into(),
                message: self.to_string(),
                details,
            },
        };
        let mut res = (status, Json(body)).into_response();
        if let ApiError::Throttled { retry_after, .. } = self {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after.into());
        }
        res
    }
}
