//! Talking to the connector proxy: JSON over `fetch` on the same origin, the session's CSRF token
//! on every state-changing request, and failures as one sentence a person can act on.

use gloo_net::http::{Request, RequestBuilder};
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
}

impl ApiFailure {
    pub fn is_unauthorized(&self) -> bool {
        self.status == 401
    }

    fn network(e: impl fmt::Display) -> Self {
        ApiFailure {
            status: 0,
            code: "network".into(),
            message: format!("The connector proxy could not be reached ({e})."),
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
    run(Request::get(path), None).await
}

/// `POST path` with a JSON body.
pub async fn post<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiFailure> {
    run(Request::post(path), Some(json(body)?)).await
}

/// `PATCH path` with a JSON body.
pub async fn patch<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, ApiFailure> {
    run(Request::patch(path), Some(json(body)?)).await
}

/// `PUT path` with a JSON body.
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiFailure> {
    run(Request::put(path), Some(json(body)?)).await
}

/// `DELETE path`, ignoring the answer's body.
pub async fn delete(path: &str) -> Result<(), ApiFailure> {
    run::<serde_json::Value>(Request::delete(path), None)
        .await
        .map(|_| ())
}

fn json<B: Serialize>(body: &B) -> Result<String, ApiFailure> {
    serde_json::to_string(body).map_err(|e| ApiFailure {
        status: 0,
        code: "encode".into(),
        message: e.to_string(),
    })
}

async fn run<T: DeserializeOwned>(
    req: RequestBuilder,
    body: Option<String>,
) -> Result<T, ApiFailure> {
    let csrf = CSRF.with(|c| c.borrow().clone());
    let mut req = req.header("Accept", "application/json");
    if !csrf.is_empty() {
        req = req.header("X-CSRF-Token", &csrf);
    }
    let sent = match body {
        Some(b) => {
            req.header("Content-Type", "application/json")
                .body(b)
                .map_err(ApiFailure::network)?
                .send()
                .await
        }
        None => req.send().await,
    };
    let resp = sent.map_err(ApiFailure::network)?;
    let status = resp.status();
    let text = resp.text().await.map_err(ApiFailure::network)?;
    if (200..300).contains(&status) {
        let text = if text.is_empty() { "null" } else { &text };
        return serde_json::from_str(text).map_err(|e| ApiFailure {
            status,
            code: "decode".into(),
            message: format!("The connector proxy sent an answer this designer cannot read ({e})."),
        });
    }
    Err(match serde_json::from_str::<ApiErrorBody>(&text) {
        Ok(b) => ApiFailure {
            status,
            code: b.error.code,
            message: b.error.message,
        },
        Err(_) => ApiFailure {
            status,
            code: "http".into(),
            message: format!("The connector proxy answered {status}."),
        },
    })
}

/// A path segment, percent-encoded.
pub fn seg(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}
