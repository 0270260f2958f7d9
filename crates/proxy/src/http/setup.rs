//! `/api/setup`: on first start (no users) the designer shows "Create owner account" and posts it
//! here; the owner is signed in at once and joins every environment.

use crate::auth::start_session;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::users;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use plugboard_model::connector::{NewUser, Session, SetupStatus};

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
    users::validate(&body)?;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(state.db())
        .await?;
    if n > 0 {
        return Err(ApiError::Conflict(
            "the owner account already exists".into(),
        ));
    }
    let (user, hash) = users::build(state.passwords(), body, true).await?;
    let mut tx = state.db().begin().await?;
    users::insert(&mut tx, &user, &hash)
        .await
        .map_err(|e| match e {
            ApiError::Conflict(_) => ApiError::Conflict("the owner account already exists".into()),
            other => other,
        })?;
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
