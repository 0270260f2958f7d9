//! `/api/tokens`: API tokens for scripts (`Authorization: Bearer pbt_…`). The token is shown once,
//! at creation; the database keeps only its SHA-256.

use crate::auth::{new_api_token, Caller};
use crate::crypto::token_hash;
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::Router;
use plugboard_model::connector::{ApiToken, NewApiToken};
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(list).post(create))
        .route("/tokens/{id}", delete(remove))
}

async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<ApiJson<Vec<ApiToken>>> {
    let rows = sqlx::query(
        "SELECT id, name, created_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(&caller.user.id)
    .fetch_all(state.db())
    .await?;
    let tokens = rows
        .iter()
        .map(|r| {
            Ok(ApiToken {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                created_at: r.try_get("created_at")?,
                token: None,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(ApiJson(tokens))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewApiToken>,
) -> ApiResult<(StatusCode, ApiJson<ApiToken>)> {
    let name = body.name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(ApiError::Validation("name: 1–100 characters".into()));
    }
    let (id, token) = new_api_token();
    let created_at = now();
    sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(&caller.user.id)
    .bind(name)
    .bind(token_hash(&token))
    .bind(created_at)
    .execute(state.db())
    .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(ApiToken {
            id,
            name: name.to_string(),
            created_at,
            token: Some(token),
        }),
    ))
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let done = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
        .bind(&id)
        .bind(&caller.user.id)
        .execute(state.db())
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found("token"));
    }
    Ok(StatusCode::NO_CONTENT)
}
