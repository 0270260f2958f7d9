//! `ApiJson<T>`: the JSON body extractor whose rejections are API errors (400 syntax, 413 too
//! large, 415 not JSON, 422 wrong shape or unknown field), with quoted values redacted so that a
//! rejected secret is never echoed.

use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(reject(rejection)),
        }
    }
}

fn reject(r: JsonRejection) -> ApiError {
    let status = r.status();
    let text = redact(&r.body_text());
    match r {
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::UnsupportedMediaType("send the body as application/json".into())
        }
        JsonRejection::JsonSyntaxError(_) => ApiError::BadRequest(text),
        JsonRejection::JsonDataError(_) => ApiError::Validation(text),
        _ if status == StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
        _ => ApiError::BadRequest(text),
    }
}

/// Replace every double-quoted string in a message by `"…"`.
pub fn redact(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut inside = false;
    for c in msg.chars() {
        if c == '"' {
            if inside {
                out.push_str("…\"");
            } else {
                out.push('"');
            }
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_quoted_values() {
        assert_eq!(
            super::redact(r#"invalid type: string "s3cret", expected u32 at `x`"#),
            r#"invalid type: string "…", expected u32 at `x`"#
        );
    }
}
