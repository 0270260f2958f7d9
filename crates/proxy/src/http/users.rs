//! `/api/users`: everyone signed in lists users (to share connections with them); the owner creates
//! and removes them. New users join the first environment ("Development").

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::users;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::Router;
use plugboard_model::connector::{NewUser, User};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}", delete(remove))
}

async fn list(State(state): State<AppState>, _caller: Caller) -> ApiResult<ApiJson<Vec<User>>> {
    Ok(ApiJson(users::list(state.db(), None).await?))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewUser>,
) -> ApiResult<(StatusCode, ApiJson<User>)> {
    caller.require_owner()?;
    users::validate(&body)?;
    let (user, hash) = users::build(state.passwords(), body, false).await?;
    let mut tx = state.db().begin().await?;
    users::insert(&mut tx, &user, &hash)
        .await
        .map_err(|e| match e {
            ApiError::Conflict(_) => {
                ApiError::Conflict(format!("username `{}` is taken", user.username))
            }
            other => other,
        })?;
    sqlx::query(
        "INSERT INTO environment_members (environment_id, user_id) \
         SELECT id, $1 FROM environments WHERE created_at = (SELECT MIN(created_at) FROM environments) \
         ORDER BY id LIMIT 1",
    )
    .bind(&user.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiJson(user)))
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_owner()?;
    if id == caller.user.id {
        return Err(ApiError::Conflict(
            "the owner cannot remove themselves".into(),
        ));
    }
    let mut tx = state.db().begin().await?;
    // References bound to the user's connections become unbound; the rest cascades.
    sqlx::query(
        "UPDATE connection_references SET connection_id = NULL WHERE connection_id IN \
         (SELECT id FROM connections WHERE owner_id = $1)",
    )
    .bind(&id)
    .execute(&mut *tx)
    .await?;
    let done = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found("user"));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
