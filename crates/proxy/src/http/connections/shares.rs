//! `/api/connections/{id}/shares`: the owner shares a connection use-only with other users,
//! lists and removes those shares.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http::access;
use crate::json::ApiJson;
use crate::users::{self, Link};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use plugboard_model::connector::User;

pub(super) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<ApiJson<Vec<User>>> {
    access::owned_connection(&state, &caller, &id).await?;
    Ok(ApiJson(
        users::list(state.db(), Some(Link::SharedConnection(&id))).await?,
    ))
}

pub(super) async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    access::owned_connection(&state, &caller, &id).await?;
    if user == caller.user.id {
        return Err(ApiError::Validation(
            "you own this connection already".into(),
        ));
    }
    users::add(state.db(), Link::SharedConnection(&id), &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    access::owned_connection(&state, &caller, &id).await?;
    users::remove(state.db(), Link::SharedConnection(&id), &user, "share").await?;
    Ok(StatusCode::NO_CONTENT)
}
