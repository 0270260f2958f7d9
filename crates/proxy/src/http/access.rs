//! Who may see and touch what: environments by membership (the owner sees all), connections by
//! ownership or a use-only share. What the caller may not see answers 404, like what does not exist.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use sqlx::Row;

/// The environment exists and the caller belongs to it (or is the owner).
pub async fn environment(state: &AppState, caller: &Caller, env_id: &str) -> ApiResult<String> {
    let row = sqlx::query(
        "SELECT e.name AS name, \
         (SELECT COUNT(*) FROM environment_members m WHERE m.environment_id = e.id \
          AND m.user_id = $2) AS member \
         FROM environments e WHERE e.id = $1",
    )
    .bind(env_id)
    .bind(&caller.user.id)
    .fetch_optional(state.db())
    .await?
    .ok_or_else(|| ApiError::not_found("environment"))?;
    let member: i64 = row.try_get("member")?;
    if member == 0 && !caller.user.is_owner {
        return Err(ApiError::not_found("environment"));
    }
    Ok(row.try_get("name")?)
}

/// The environment exists and the caller is the owner, who alone changes environments and their
/// members.
pub async fn environment_as_owner(
    state: &AppState,
    caller: &Caller,
    env_id: &str,
) -> ApiResult<String> {
    let name = environment(state, caller, env_id).await?;
    caller.require_owner()?;
    Ok(name)
}

/// A connection as stored, without its secret.
#[derive(Clone, Debug)]
pub struct ConnectionRow {
    pub id: String,
    pub owner_id: String,
    pub connector_id: String,
    pub is_mine: bool,
}

/// The caller may use the connection (owns it or it is shared with them).
pub async fn usable_connection(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> ApiResult<ConnectionRow> {
    let row = sqlx::query(
        "SELECT c.id AS id, c.owner_id AS owner_id, c.connector_id AS connector_id FROM connections c \
         WHERE c.id = $1 AND (c.owner_id = $2 OR EXISTS (SELECT 1 FROM connection_shares s \
         WHERE s.connection_id = c.id AND s.user_id = $2))",
    )
    .bind(id)
    .bind(&caller.user.id)
    .fetch_optional(state.db())
    .await?
    .ok_or_else(|| ApiError::not_found("connection"))?;
    let owner_id: String = row.try_get("owner_id")?;
    Ok(ConnectionRow {
        id: row.try_get("id")?,
        is_mine: owner_id == caller.user.id,
        owner_id,
        connector_id: row.try_get("connector_id")?,
    })
}

/// The caller owns the connection (a use-only share is not enough).
pub async fn owned_connection(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> ApiResult<ConnectionRow> {
    let c = usable_connection(state, caller, id).await?;
    if !c.is_mine {
        return Err(ApiError::Forbidden(
            "this connection is shared with you for use only".into(),
        ));
    }
    Ok(c)
}
