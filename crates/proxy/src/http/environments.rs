//! `/api/environments`: users see the environments they belong to (the owner sees all); the owner
//! creates, renames and deletes them and manages their members.

use crate::auth::Caller;
use crate::db::{new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::http::access;
use crate::json::ApiJson;
use crate::users::{self, Link};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::Router;
use plugboard_model::connector::{Environment, EnvironmentInput, Member};
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/environments", get(list).post(create))
        .route("/environments/{env}", get(one).patch(rename).delete(remove))
        .route("/environments/{env}/members", get(members))
        .route(
            "/environments/{env}/members/{user}",
            put(add_member).delete(remove_member),
        )
}

fn valid_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::Validation("name: 1–100 characters".into()));
    }
    Ok(name.to_string())
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<ApiJson<Vec<Environment>>> {
    let rows = sqlx::query(
        "SELECT e.id AS id, e.name AS name FROM environments e WHERE $1 = 1 OR EXISTS \
         (SELECT 1 FROM environment_members m WHERE m.environment_id = e.id AND m.user_id = $2) \
         ORDER BY e.created_at, e.name",
    )
    .bind(caller.user.is_owner as i64)
    .bind(&caller.user.id)
    .fetch_all(state.db())
    .await?;
    let envs = rows
        .iter()
        .map(|r| {
            Ok(Environment {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(ApiJson(envs))
}

async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(env): Path<String>,
) -> ApiResult<ApiJson<Environment>> {
    let name = access::environment(&state, &caller, &env).await?;
    Ok(ApiJson(Environment { id: env, name }))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<EnvironmentInput>,
) -> ApiResult<(StatusCode, ApiJson<Environment>)> {
    caller.require_owner()?;
    let name = valid_name(&body.name)?;
    let id = new_id();
    let mut tx = state.db().begin().await?;
    sqlx::query("INSERT INTO environments (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(&name)
        .bind(now())
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, &name))?;
    sqlx::query("INSERT INTO environment_members (environment_id, user_id) VALUES ($1, $2)")
        .bind(&id)
        .bind(&caller.user.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiJson(Environment { id, name })))
}

fn taken(e: sqlx::Error, name: &str) -> ApiError {
    match ApiError::from(e) {
        ApiError::Conflict(_) => {
            ApiError::Conflict(format!("an environment named `{name}` exists"))
        }
        other => other,
    }
}

async fn rename(
    State(state): State<AppState>,
    caller: Caller,
    Path(env): Path<String>,
    ApiJson(body): ApiJson<EnvironmentInput>,
) -> ApiResult<ApiJson<Environment>> {
    access::environment_as_owner(&state, &caller, &env).await?;
    let name = valid_name(&body.name)?;
    sqlx::query("UPDATE environments SET name = $1 WHERE id = $2")
        .bind(&name)
        .bind(&env)
        .execute(state.db())
        .await
        .map_err(|e| taken(e, &name))?;
    Ok(ApiJson(Environment { id: env, name }))
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(env): Path<String>,
) -> ApiResult<StatusCode> {
    access::environment_as_owner(&state, &caller, &env).await?;
    sqlx::query("DELETE FROM environments WHERE id = $1")
        .bind(&env)
        .execute(state.db())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn members(
    State(state): State<AppState>,
    caller: Caller,
    Path(env): Path<String>,
) -> ApiResult<ApiJson<Vec<Member>>> {
    access::environment(&state, &caller, &env).await?;
    let members = users::list(state.db(), Some(Link::EnvironmentMember(&env)))
        .await?
        .into_iter()
        .map(|user| Member { user })
        .collect();
    Ok(ApiJson(members))
}

async fn add_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((env, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    access::environment_as_owner(&state, &caller, &env).await?;
    users::add(state.db(), Link::EnvironmentMember(&env), &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((env, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    access::environment_as_owner(&state, &caller, &env).await?;
    users::remove(state.db(), Link::EnvironmentMember(&env), &user, "member").await?;
    Ok(StatusCode::NO_CONTENT)
}
