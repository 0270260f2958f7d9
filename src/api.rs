//! Talking to the connector proxy: JSON over `fetch` (`gloo-net`) on the same origin, the session's CSRF token
//! on every state-changing request, and failures as one sentence a person can act on.

use gloo_net::http::{Method, RequestBuilder};
use plugboard_model::connector::ApiErrorBody;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;
use std::fmt;

thread_local! {
    /// The token `POST /api/session` (or `GET /api/session`) handed out for this session.
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

pub fn set_csrf(token: &str) {
    CSRF.with(|c| *c.borrow_mut() = token.to_string());
}

/// Why a request failed: the HTTP status (0 when the proxy could not be reached) and the
/// proxy's error code and message.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiFailure {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// Extra facts for some codes (e.g. the per-entry report of a refused import).
    pub details: Option<serde_json::Value>,
}

impl ApiFailure {
    pub fn is_unauthorized(&self) -> bool {
        self.status == 401
    }

    fn js(e: impl fmt::Debug) -> Self {
        ApiFailure::network(format!("{e:?}"))
    }

    fn network(e: impl fmt::Display) -> Self {
        ApiFailure {
            status: 0,
            code: "network".into(),
            message: format!("The connector proxy could not be reached ({e})."),
            details: None,
        }
    }
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// `GET path` and decode the JSON answer.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiFailure> {
    decode(send(Method::GET, path, None).await?)
}

/// `POST path` with a JSON body.
pub async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiFailure> {
    decode(send(Method::POST, path, Some(json(body)?)).await?)
}

/// `PATCH path` with a JSON body.
pub async fn patch<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiFailure> {
    decode(send(Method::PATCH, path, Some(json(body)?)).await?)
}

/// `PUT path` with a JSON body.
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiFailure> {
    decode(send(Method::PUT, path, Some(json(body)?)).await?)
}

/// `DELETE path`, ignoring the answer's body.
pub async fn delete(path: &str) -> Result<(), ApiFailure> {
    send(Method::DELETE, path, None).await.map(|_| ())
}

fn json<B: Serialize>(body: &B) -> Result<String, ApiFailure> {
    serde_json::to_string(body).map_err(|e| ApiFailure {
        status: 0,
        code: "encode".into(),
        message: e.to_string(),
        details: None,
    })
}

fn decode<T: DeserializeOwned>((status, text): (u16, String)) -> Result<T, ApiFailure> {
    let text = if text.is_empty() { "null" } else { &text };
    serde_json::from_str(text).map_err(|e| ApiFailure {
        status,
        code: "decode".into(),
        message: format!("The connector proxy sent an answer this designer cannot read ({e})."),
        details: None,
    })
}

/// One request (not generic, so it is compiled once) through `gloo-net`: the status and text
/// of a 2xx answer, or the proxy's error.
async fn send(
    method: Method,
    path: &str,
    body: Option<String>,
) -> Result<(u16, String), ApiFailure> {
    let mut req = RequestBuilder::new(path)
        .method(method)
        .header("Accept", "application/json");
    let csrf = CSRF.with(|c| c.borrow().clone());
    if !csrf.is_empty() {
        req = req.header("X-CSRF-Token", &csrf);
    }
    let req = match body {
        Some(b) => req
            .header("Content-Type", "application/json")
            .body(b)
            .map_err(ApiFailure::js)?,
        None => req.build().map_err(ApiFailure::js)?,
    };
    let resp = req.send().await.map_err(ApiFailure::js)?;
    let status = resp.status();
    let text = resp.text().await.map_err(ApiFailure::js)?;
    if (200..300).contains(&status) {
        return Ok((status, text));
    }
    Err(match serde_json::from_str::<ApiErrorBody>(&text) {
        Ok(b) => ApiFailure {
            status,
            code: b.error.code,
            message: b.error.message,
            details: b.error.details,
        },
        Err(_) => ApiFailure {
            status,
            code: "http".into(),
            message: format!("The connector proxy answered {status}."),
            details: None,
        },
    })
}

/// A path segment, percent-encoded.
pub fn seg(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}
