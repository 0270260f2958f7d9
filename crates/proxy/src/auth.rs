//! Who is calling: a session cookie (with CSRF protection on state-changing requests: an Origin
//! check and the `X-CSRF-Token` header), an API token (`Authorization: Bearer pbt_…`), or a user
//! header set by a trusted single sign-on reverse proxy. Passwords are `passwords.rs`.

use crate::crypto::{random_token, token_hash};
use crate::db::{new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use plugboard_model::connector::User;
use sqlx::Row;

pub const SESSION_COOKIE: &str = "pb_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const TOKEN_PREFIX: &str = "pbt_";

pub fn validate_username(u: &str) -> ApiResult<()> {
    if u.is_empty()
        || u.len() > 64
        || !u
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err(ApiError::Validation(
            "username: 1–64 letters, digits, `.`, `_`, `-` or `@`".into(),
        ));
    }
    Ok(())
}

/// How the caller proved who they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    Session { id_hash: String, csrf_token: String },
    Token,
    TrustedHeader,
}

/// The signed-in user of a request.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user: User,
    pub via: Via,
}

impl Caller {
    pub fn require_owner(&self) -> ApiResult<()> {
        if self.user.is_owner {
            Ok(())
        } else {
            Err(ApiError::Forbidden("only the owner may do that".into()))
        }
    }
}

pub fn user_from_row(row: &sqlx::any::AnyRow, prefix: &str) -> Result<User, sqlx::Error> {
    Ok(User {
        id: row.try_get(format!("{prefix}id").as_str())?,
        username: row.try_get(format!("{prefix}username").as_str())?,
        display_name: row.try_get(format!("{prefix}display_name").as_str())?,
        is_owner: row.try_get::<i64, _>(format!("{prefix}is_owner").as_str())? != 0,
    })
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A state-changing request from a browser must come from our own origin.
pub fn check_origin(headers: &HeaderMap) -> ApiResult<()> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok()) {
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
        if Some(origin_host) != host {
            return Err(ApiError::Forbidden(
                "cross-origin request refused (CSRF protection)".into(),
            ));
        }
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|h| h.to_str().ok()) {
        if site == "cross-site" {
            return Err(ApiError::Forbidden(
                "cross-site request refused (CSRF protection)".into(),
            ));
        }
    }
    Ok(())
}

/// The user columns every sign-in query reads (a macro, so each query is one literal that the
/// statement cache keys on, built once rather than formatted per request).
macro_rules! user_cols {
    () => {
        "u.id AS id, u.username AS username, u.display_name AS display_name, u.is_owner AS is_owner"
    };
}

/// How stale an API token's "last used" time may get: writing it on every request made each
/// token-authenticated call a database write.
const LAST_USED_GRANULARITY: i64 = 60;

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let db = state.db();
        // API token.
        if let Some(auth) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
        {
            let token = auth
                .strip_prefix("Bearer ")
                .filter(|t| t.starts_with(TOKEN_PREFIX))
                .ok_or(ApiError::Unauthorized)?;
            let row = sqlx::query(concat!(
                "SELECT ",
                user_cols!(),
                ", t.id AS token_id, t.last_used_at AS last_used_at FROM api_tokens t \
                 JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1"
            ))
            .bind(token_hash(token))
            .fetch_optional(db)
            .await?
            .ok_or(ApiError::Unauthorized)?;
            let token_id: String = row.try_get("token_id")?;
            let last_used: Option<i64> = row.try_get("last_used_at")?;
            let now = now();
            if last_used.is_none_or(|t| now - t >= LAST_USED_GRANULARITY) {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(token_id)
                    .execute(db)
                    .await?;
            }
            return Ok(Caller {
                user: user_from_row(&row, "")?,
                via: Via::Token,
            });
        }
        // Session cookie.
        if let Some(sid) = cookie(&parts.headers, SESSION_COOKIE) {
            let id_hash = token_hash(&sid);
            let row = sqlx::query(concat!(
                "SELECT ",
                user_cols!(),
                ", s.csrf_token AS csrf_token FROM sessions s \
                 JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2"
            ))
            .bind(&id_hash)
            .bind(now())
            .fetch_optional(db)
            .await?;
            if let Some(row) = row {
                let csrf_token: String = row.try_get("csrf_token")?;
                if !is_safe(&parts.method) {
                    check_origin(&parts.headers)?;
                    let sent = parts.headers.get(CSRF_HEADER).and_then(|h| h.to_str().ok());
                    if sent != Some(csrf_token.as_str()) {
                        return Err(ApiError::Forbidden(
                            "missing or wrong X-CSRF-Token header (CSRF protection)".into(),
                        ));
                    }
                }
                return Ok(Caller {
                    user: user_from_row(&row, "")?,
                    via: Via::Session {
                        id_hash,
                        csrf_token,
                    },
                });
            }
        }
        // Single sign-on header from a trusted reverse proxy.
        if let Some(h) = &state.settings().trusted_user_header {
            if let Some(name) = parts.headers.get(h).and_then(|v| v.to_str().ok()) {
                if !is_safe(&parts.method) {
                    check_origin(&parts.headers)?;
                }
                let row = sqlx::query(concat!(
                    "SELECT ",
                    user_cols!(),
                    " FROM users u WHERE u.username = $1"
                ))
                .bind(name)
                .fetch_optional(db)
                .await?
                .ok_or(ApiError::Unauthorized)?;
                return Ok(Caller {
                    user: user_from_row(&row, "")?,
                    via: Via::TrustedHeader,
                });
            }
        }
        Err(ApiError::Unauthorized)
    }
}

/// Start a session for a user: returns the `Set-Cookie` value and the CSRF token.
pub async fn start_session(
    state: &AppState,
    user_id: &str,
    headers: &HeaderMap,
) -> ApiResult<(HeaderValue, String)> {
    let sid = random_token();
    let csrf = random_token();
    let created = now();
    let max_age = state.settings().session_hours * 3600;
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&sid))
    .bind(user_id)
    .bind(&csrf)
    .bind(created)
    .bind(created + max_age)
    .execute(state.db())
    .await?;
    // Old sessions are swept on each sign-in; nothing else keeps state.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(created)
        .execute(state.db())
        .await?;
    let cookie = session_cookie(state, headers, &sid, max_age);
    Ok((cookie, csrf))
}

pub fn session_cookie(
    state: &AppState,
    headers: &HeaderMap,
    value: &str,
    max_age: i64,
) -> HeaderValue {
    let tls = state.settings().secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            == Some("https");
    let secure = if tls { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("pb_session=; Path=/; Max-Age=0"))
}

pub fn new_api_token() -> (String, String) {
    (new_id(), format!("{TOKEN_PREFIX}{}", random_token()))
}
