//! `/api/session`: sign in (sets the HttpOnly, SameSite=Lax session cookie), who am I (with the CSRF
//! token to send as `X-CSRF-Token`), sign out. Sign-in is throttled (`throttle.rs`).

use crate::auth::{check_origin, session_cookie, start_session, user_from_row, Caller, Via};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::throttle;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, Extensions, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use plugboard_model::connector::{Session, SignIn};
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new().route("/session", get(current).post(sign_in).delete(sign_out))
}

async fn current(caller: Caller) -> ApiJson<Session> {
    let csrf_token = match caller.via {
        Via::Session { csrf_token, .. } => csrf_token,
        _ => String::new(),
    };
    ApiJson(Session {
        user: caller.user,
        csrf_token,
    })
}

async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    ApiJson(body): ApiJson<SignIn>,
) -> ApiResult<impl IntoResponse> {
    check_origin(&headers)?;
    let header = state.settings().client_ip_header.as_deref();
    let address = throttle::client_address(header, &headers, &extensions);
    // Counted before any password work; refused (429) while the account or address must wait.
    let attempt = throttle::begin(state.db(), &body.username, address.as_deref()).await?;
    let row = sqlx::query(
        "SELECT id, username, display_name, is_owner, password_hash FROM users WHERE username = $1",
    )
    .bind(&body.username)
    .fetch_optional(state.db())
    .await?;
    let hash = match &row {
        Some(r) => Some(r.try_get::<String, _>("password_hash")?),
        None => None,
    };
    let ok = state.passwords().verify(body.password, hash).await;
    attempt.finish(state.db(), ok).await?;
    let Some(row) = row.filter(|_| ok) else {
        return Err(ApiError::Unauthorized);
    };
    let user = user_from_row(&row, "")?;
    let (cookie, csrf_token) = start_session(&state, &user.id, &headers).await?;
    Ok((
        [(header::SET_COOKIE, cookie)],
        ApiJson(Session { user, csrf_token }),
    ))
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
) -> ApiResult<impl IntoResponse> {
    if let Via::Session { id_hash, .. } = &caller.via {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(state.db())
            .await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session_cookie(&state, &headers, "", 0))],
    ))
}
