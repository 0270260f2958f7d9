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
use crate::users::{self, Link};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::Router;
use plugboard_model::connector::{
    ConnectionParameterKind, ConnectionParameterSet, ConnectionStatus, ConnectionSummary,
    ConnectionUpdate, ConnectorDetail, NewConnection, User,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/connections", get(list).post(create))
        .route("/connections/{id}", get(one).patch(update).delete(remove))
        .route("/connections/{id}/shares", get(shares))
        .route(
            "/connections/{id}/shares/{user}",
            put(share).delete(unshare),
        )
}

/// Longest accepted field value.
const MAX_VALUE_LEN: usize = 8 * 1024;

/// The non-secret part of a connection, stored as JSON in `settings`.
#[derive(Default, Serialize, Deserialize)]
struct Settings {
    values: BTreeMap<String, String>,
    secrets_set: Vec<String>,
}

/// Values split into plain settings and secrets, after validation.
struct Checked {
    settings: Settings,
    secrets: BTreeMap<String, String>,
    status: ConnectionStatus,
}

fn check_values(
    connector: &ConnectorDetail,
    set: &ConnectionParameterSet,
    values: &BTreeMap<String, Value>,
    keep_secrets: BTreeMap<String, String>,
) -> ApiResult<Checked> {
    let mut settings = Settings::default();
    let mut secrets = keep_secrets;
    for (name, v) in values {
        let Some(p) = set.parameters.iter().find(|p| &p.name == name) else {
            return Err(ApiError::Validation(format!(
                "unknown field `{name}` for {} ({})",
                connector.name, set.display_name
            )));
        };
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) if p.kind == ConnectionParameterKind::Int => n.to_string(),
            Value::Bool(b) if p.kind == ConnectionParameterKind::Bool => b.to_string(),
            Value::Null => continue,
            _ => {
                return Err(ApiError::Validation(format!(
                    "field `{name}` must be a string"
                )))
            }
        };
        if text.len() > MAX_VALUE_LEN {
            return Err(ApiError::Validation(format!(
                "field `{name}` is longer than {MAX_VALUE_LEN} bytes"
            )));
        }
        match p.kind {
            ConnectionParameterKind::Oauth => {
                return Err(ApiError::Validation(format!(
                    "field `{name}` is filled by signing in, not by a value"
                )))
            }
            ConnectionParameterKind::Unsupported => {
                return Err(ApiError::Validation(format!(
                    "field `{name}` is of a kind this proxy does not support"
                )))
            }
            ConnectionParameterKind::Int if text.parse::<i64>().is_err() => {
                return Err(ApiError::Validation(format!(
                    "field `{name}` must be a whole number"
                )))
            }
            ConnectionParameterKind::Bool if text != "true" && text != "false" => {
                return Err(ApiError::Validation(format!(
                    "field `{name}` must be true or false"
                )))
            }
            _ => {}
        }
        if !p.allowed_values.is_empty() && !p.allowed_values.contains(&text) {
            return Err(ApiError::Validation(format!(
                "field `{name}` must be one of: {}",
                p.allowed_values.join(", ")
            )));
        }
        if p.kind == ConnectionParameterKind::SecureString {
            secrets.insert(name.clone(), text);
        } else {
            settings.values.insert(name.clone(), text);
        }
    }
    for p in &set.parameters {
        let present = settings.values.contains_key(&p.name) || secrets.contains_key(&p.name);
        if present
            || matches!(
                p.kind,
                ConnectionParameterKind::Oauth | ConnectionParameterKind::Unsupported
            )
        {
            continue;
        }
        if let Some(d) = &p.default {
            if p.kind != ConnectionParameterKind::SecureString {
                settings.values.insert(p.name.clone(), d.clone());
                continue;
            }
        }
        if p.required {
            return Err(ApiError::Validation(format!(
                "missing required field `{}` ({})",
                p.name, p.display_name
            )));
        }
    }
    settings.secrets_set = secrets.keys().cloned().collect();
    let status = if set
        .parameters
        .iter()
        .any(|p| p.kind == ConnectionParameterKind::Oauth)
    {
        ConnectionStatus::NeedsSignIn
    } else {
        ConnectionStatus::Connected
    };
    Ok(Checked {
        settings,
        secrets,
        status,
    })
}

/// Typed fields of a connection not yet created, checked as `POST /api/connections` checks them:
/// the plain values (defaults filled in) and the secrets.
pub(crate) fn checked_fields(
    connector: &ConnectorDetail,
    set: &ConnectionParameterSet,
    values: &BTreeMap<String, Value>,
) -> ApiResult<(BTreeMap<String, String>, BTreeMap<String, String>)> {
    let c = check_values(connector, set, values, BTreeMap::new())?;
    Ok((c.settings.values, c.secrets))
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

/// Encrypt the secrets of a connection (none: no ciphertext at all).
fn seal(
    state: &AppState,
    id: &str,
    secrets: &BTreeMap<String, String>,
) -> ApiResult<(Option<String>, Option<String>)> {
    if secrets.is_empty() {
        return Ok((None, None));
    }
    let plain = serde_json::to_vec(secrets).map_err(ApiError::internal)?;
    let crypto = state.crypto();
    Ok((
        Some(crypto.encrypt(&plain, id)),
        Some(crypto.key_id().to_string()),
    ))
}

/// Decrypt a connection's secrets (for execution and for merging an update).
pub async fn open_secrets(state: &AppState, id: &str) -> ApiResult<BTreeMap<String, String>> {
    let row = sqlx::query("SELECT secret, key_id FROM connections WHERE id = $1")
        .bind(id)
        .fetch_one(state.db())
        .await?;
    open_sealed(state, id, row.try_get("secret")?, row.try_get("key_id")?)
}

/// Decrypt the `secret` column of connection `id` sealed under `key_id` (none: no secrets).
pub fn open_sealed(
    state: &AppState,
    id: &str,
    secret: Option<String>,
    key_id: Option<String>,
) -> ApiResult<BTreeMap<String, String>> {
    let (Some(secret), Some(key_id)) = (secret, key_id) else {
        return Ok(BTreeMap::new());
    };
    let plain = state
        .crypto()
        .decrypt(&secret, &key_id, id)
        .map_err(|e| ApiError::Internal(format!("connection {id}: {e}")))?;
    serde_json::from_slice(&plain)
        .map_err(|_| ApiError::Internal(format!("connection {id}: bad secret")))
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

async fn shares(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<ApiJson<Vec<User>>> {
    access::owned_connection(&state, &caller, &id).await?;
    Ok(ApiJson(
        users::list(state.db(), Some(Link::SharedConnection(&id))).await?,
    ))
}

async fn share(
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

async fn unshare(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, user)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    access::owned_connection(&state, &caller, &id).await?;
    users::remove(state.db(), Link::SharedConnection(&id), &user, "share").await?;
    Ok(StatusCode::NO_CONTENT)
}
