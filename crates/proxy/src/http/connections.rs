//! `/api/connections`: a user's authenticated links to connector services. Fields are validated
//! against the connector's connection parameters (unknown ones refused); secure strings are
//! encrypted at rest (AEAD, the connection id as associated data) and never returned. The owner
//! renames, shares (use-only) and deletes; deleting one that references bind is refused with 409
//! unless forced.

use crate::auth::{user_from_row, Caller};
use crate::db::{new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::http::access;
use crate::http::fields::{self, ConnectorFilter};
use crate::json::ApiJson;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::Router;
use plugboard_model::connector::{
    ConnectionStatus, ConnectionSummary, ConnectionUpdate, NewConnection, User,
};
use serde::Deserialize;
use serde_json::Value;
use sqlx::Row;
use std::collections::BTreeMap;

mod shares;
mod values;

pub(crate) use crate::secrets::seal;
pub use crate::secrets::{open_sealed, open_secrets};
pub(crate) use values::checked_fields;
use values::{check_values, Settings};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/connections", get(list).post(create))
        .route("/connections/{id}", get(one).patch(update).delete(remove))
        .route("/connections/{id}/shares", get(shares::list))
        .route(
            "/connections/{id}/shares/{user}",
            put(shares::add).delete(shares::remove),
        )
}

const SELECT: &str =
    "SELECT c.id AS cid, c.display_name AS cname, c.connector_id AS connector_id, \
     c.parameter_set AS parameter_set, c.settings AS settings, c.status AS status, \
     c.created_at AS created_at, u.id AS id, u.username AS username, \
     u.display_name AS display_name, u.is_owner AS is_owner \
     FROM connections c JOIN users u ON u.id = c.owner_id";

fn summary(row: &sqlx::any::AnyRow, caller: &Caller) -> ApiResult<ConnectionSummary> {
    let owner: User = user_from_row(row, "")?;
    let settings: String = row.try_get("settings")?;
    let settings: Settings = serde_json::from_str(&settings).map_err(ApiError::internal)?;
    let status: String = row.try_get("status")?;
    Ok(ConnectionSummary {
        id: row.try_get("cid")?,
        display_name: row.try_get("cname")?,
        connector_id: row.try_get("connector_id")?,
        parameter_set: row.try_get("parameter_set")?,
        status: ConnectionStatus::parse(&status).unwrap_or(ConnectionStatus::Error),
        is_mine: owner.id == caller.user.id,
        owner,
        values: settings.values,
        secrets_set: settings.secrets_set,
        created_at: row.try_get("created_at")?,
    })
}

pub(crate) async fn load(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> ApiResult<ConnectionSummary> {
    access::usable_connection(state, caller, id).await?;
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_one(state.db())
        .await?;
    summary(&row, caller)
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(filter): Query<ConnectorFilter>,
) -> ApiResult<ApiJson<Vec<ConnectionSummary>>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE (c.owner_id = $1 OR EXISTS (SELECT 1 FROM connection_shares s \
         WHERE s.connection_id = c.id AND s.user_id = $1)) AND ($2 = '' OR c.connector_id = $2) \
         ORDER BY c.display_name, c.id"
    ))
    .bind(&caller.user.id)
    .bind(filter.bind_value())
    .fetch_all(state.db())
    .await?;
    let list = rows
        .iter()
        .map(|r| summary(r, &caller))
        .collect::<ApiResult<_>>()?;
    Ok(ApiJson(list))
}

async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<ApiJson<ConnectionSummary>> {
    Ok(ApiJson(load(&state, &caller, &id).await?))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewConnection>,
) -> ApiResult<(StatusCode, ApiJson<ConnectionSummary>)> {
    let connector = state.catalog().get(&body.connector_id).ok_or_else(|| {
        ApiError::Validation(format!("unknown connector `{}`", body.connector_id))
    })?;
    let set = connector
        .parameter_set(body.parameter_set.as_deref())
        .ok_or_else(|| {
            ApiError::Validation(format!(
                "{} has no connection parameter set `{}`",
                connector.name,
                body.parameter_set.as_deref().unwrap_or("")
            ))
        })?;
    let display_name = fields::display_name(&body.display_name)?;
    let checked = check_values(&connector, set, &body.values, BTreeMap::new())?;
    let id = new_id();
    let (secret, key_id) = seal(&state, &id, &checked.secrets)?;
    let t = now();
    sqlx::query(
        "INSERT INTO connections (id, owner_id, connector_id, display_name, parameter_set, \
         settings, secret, key_id, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(&caller.user.id)
    .bind(&connector.id)
    .bind(&display_name)
    .bind(&set.name)
    .bind(serde_json::to_string(&checked.settings).map_err(ApiError::internal)?)
    .bind(secret)
    .bind(key_id)
    .bind(checked.status.as_str())
    .bind(t)
    .bind(t)
    .execute(state.db())
    .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(load(&state, &caller, &id).await?),
    ))
}

async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ConnectionUpdate>,
) -> ApiResult<ApiJson<ConnectionSummary>> {
    let current = access::owned_connection(&state, &caller, &id).await?;
    let t = now();
    if let Some(name) = &body.display_name {
        let name = fields::display_name(name)?;
        sqlx::query("UPDATE connections SET display_name = $1, updated_at = $2 WHERE id = $3")
            .bind(name)
            .bind(t)
            .bind(&id)
            .execute(state.db())
            .await?;
    }
    if let Some(values) = &body.values {
        let connector = state.catalog().get(&current.connector_id).ok_or_else(|| {
            ApiError::Conflict(format!(
                "connector `{}` is no longer installed",
                current.connector_id
            ))
        })?;
        let existing = load(&state, &caller, &id).await?;
        let set = connector
            .parameter_set(Some(&existing.parameter_set))
            .ok_or_else(|| ApiError::Conflict("the connection's parameter set is gone".into()))?;
        // Unchanged fields keep their values; secrets are merged without ever being returned.
        let mut merged: BTreeMap<String, Value> = existing
            .values
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        merged.extend(values.clone());
        let kept = open_secrets(&state, &id).await?;
        let checked = check_values(&connector, set, &merged, kept)?;
        let (secret, key_id) = seal(&state, &id, &checked.secrets)?;
        sqlx::query(
            "UPDATE connections SET settings = $1, secret = $2, key_id = $3, updated_at = $4 \
             WHERE id = $5",
        )
        .bind(serde_json::to_string(&checked.settings).map_err(ApiError::internal)?)
        .bind(secret)
        .bind(key_id)
        .bind(t)
        .bind(&id)
        .execute(state.db())
        .await?;
    }
    Ok(ApiJson(load(&state, &caller, &id).await?))
}

#[derive(Deserialize)]
struct DeleteQuery {
    #[serde(default)]
    force: bool,
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<DeleteQuery>,
) -> ApiResult<StatusCode> {
    access::owned_connection(&state, &caller, &id).await?;
    let mut tx = state.db().begin().await?;
    let rows = sqlx::query(
        "SELECT r.logical_name AS logical_name, r.environment_id AS environment_id, \
         e.name AS environment FROM connection_references r \
         JOIN environments e ON e.id = r.environment_id WHERE r.connection_id = $1 \
         ORDER BY e.name, r.logical_name",
    )
    .bind(&id)
    .fetch_all(&mut *tx)
    .await?;
    if !rows.is_empty() && !q.force {
        let refs = rows
            .iter()
            .map(|r| {
                Ok(serde_json::json!({
                    "logical_name": r.try_get::<String, _>("logical_name")?,
                    "environment_id": r.try_get::<String, _>("environment_id")?,
                    "environment": r.try_get::<String, _>("environment")?,
                }))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let names: Vec<String> = refs
            .iter()
            .map(|r| {
                format!(
                    "{} ({})",
                    r["logical_name"].as_str().unwrap_or(""),
                    r["environment"].as_str().unwrap_or("")
                )
            })
            .collect();
        return Err(ApiError::InUse {
            message: format!(
                "the connection is bound by {} connection reference(s): {}; unbind them or delete with ?force=true",
                refs.len(),
                names.join(", ")
            ),
            details: serde_json::json!({ "references": refs }),
        });
    }
    sqlx::query("UPDATE connection_references SET connection_id = NULL, updated_at = $1 WHERE connection_id = $2")
        .bind(now())
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM connections WHERE id = $1")
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
