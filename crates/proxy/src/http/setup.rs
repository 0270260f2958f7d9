//! `/api/setup`: on first start (no users) the designer shows "Create owner account" and posts it
//! here; the owner is signed in at once and joins every environment.

use crate::auth::{hash_password, start_session, validate_password, validate_username};
use crate::db::{new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use plugboard_model::connector::{NewUser, Session, SetupStatus, User};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/setup", get(status))
        .route("/setup/owner", post(create_owner))
}

async fn status(State(state): State<AppState>) -> ApiResult<ApiJson<SetupStatus>> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(state.db())
        .await?;
    Ok(ApiJson(SetupStatus {
        needs_owner: n == 0,
    }))
}

async fn create_owner(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewUser>,
) -> ApiResult<impl IntoResponse> {
    crate::auth::check_origin(&headers)?;
    validate_username(&body.username)?;
    validate_password(&body.password)?;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(state.db())
        .await?;
    if n > 0 {
        return Err(ApiError::Conflict(
            "the owner account already exists".into(),
        ));
    }
    let hash = hash_password(state.settings(), body.password).await?;
    let user = User {
        id: new_id(),
        display_name: body
            .display_name
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| body.username.clone()),
        username: body.username,
        is_owner: true,
    };
    let mut tx = state.db().begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO users (id, username, display_name, password_hash, is_owner, created_at) \
         VALUES ($1, $2, $3, $4, 1, $5)",
    )
    .bind(&user.id)
    .bind(&user.username)
    .bind(&user.display_name)
    .bind(&hash)
    .bind(now())
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        return Err(match ApiError::from(e) {
            ApiError::Conflict(_) => ApiError::Conflict("the owner account already exists".into()),
            other => other,
        });
    }
    sqlx::query(
        "INSERT INTO environment_members (environment_id, user_id) \
         SELECT id, $1 FROM environments",
    )
    .bind(&user.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let (cookie, csrf_token) = start_session(&state, &user.id, &headers).await?;
    Ok((
        StatusCode::CREATED,
        [(header::SET_COOKIE, cookie)],
        ApiJson(Session { user, csrf_token }),
    ))
}
