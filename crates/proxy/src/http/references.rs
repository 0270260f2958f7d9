//! `/api/environments/{env}/references`: connection references per environment (logical name
//! `pb_<connector>_<4 hex>` unless given, unique per environment; bound only to a connection the
//! caller may use, of the same connector). Every reference response carries its bound connection's name, status and owner, and whether the caller may use
//! it, from one joined query.

use crate::auth::Caller;
use crate::crypto::random_bytes;
use crate::db::{new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::http::access;
use crate::http::fields::{self, ConnectorFilter};
use crate::json::ApiJson;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use plugboard_model::connector::{
    new_logical_name, valid_logical_name, BoundConnection, ConnectionReference,
    ConnectionReferenceUpdate, ConnectionStatus, NewConnectionReference,
};
use sqlx::Row;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/environments/{env}/references", get(list).post(create))
        .route(
            "/environments/{env}/references/{name}",
            get(one).patch(update).delete(remove),
        )
}

/// References with their bound connection (LEFT JOIN: unbound ones too) and its owner; `$1` is
/// the caller, for `usable`. Only the connection's name, status and owner: never a secret.
const SELECT: &str = "SELECT r.logical_name AS logical_name, r.display_name AS display_name, \
     r.connector_id AS connector_id, r.connection_id AS connection_id, \
     r.environment_id AS environment_id, c.id AS bound_id, c.display_name AS bound_name, \
     c.status AS bound_status, u.display_name AS bound_owner, \
     CASE WHEN c.owner_id = $1 OR EXISTS (SELECT 1 FROM connection_shares s \
       WHERE s.connection_id = c.id AND s.user_id = $1) THEN 1 ELSE 0 END AS bound_usable \
     FROM connection_references r LEFT JOIN connections c ON c.id = r.connection_id \
     LEFT JOIN users u ON u.id = c.owner_id";

fn from_row(r: &sqlx::any::AnyRow) -> Result<ConnectionReference, sqlx::Error> {
    let bound_id: Option<String> = r.try_get("bound_id")?;
    let connection = match bound_id {
        Some(id) => Some(BoundConnection {
            id,
            display_name: r.try_get("bound_name")?,
            status: ConnectionStatus::parse(&r.try_get::<String, _>("bound_status")?)
                .unwrap_or(ConnectionStatus::Error),
            owner: r.try_get("bound_owner")?,
            usable: r.try_get::<i64, _>("bound_usable")? != 0,
        }),
        None => None,
    };
    Ok(ConnectionReference {
        logical_name: r.try_get("logical_name")?,
        display_name: r.try_get("display_name")?,
        connector_id: r.try_get("connector_id")?,
        connection_id: r.try_get("connection_id")?,
        environment_id: r.try_get("environment_id")?,
        connection,
    })
}

/// One reference as the caller sees it.
pub(super) async fn find(
    state: &AppState,
    caller: &Caller,
    env: &str,
    name: &str,
) -> ApiResult<Option<ConnectionReference>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE r.environment_id = $2 AND r.logical_name = $3"
    ))
    .bind(&caller.user.id)
    .bind(env)
    .bind(name)
    .fetch_optional(state.db())
    .await?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

/// One reference that must exist.
async fn get_one(
    state: &AppState,
    caller: &Caller,
    env: &str,
    name: &str,
) -> ApiResult<ConnectionReference> {
    find(state, caller, env, name)
        .await?
        .ok_or_else(|| ApiError::not_found("connection reference"))
}

pub(super) fn check_logical_name(name: &str) -> ApiResult<()> {
    if valid_logical_name(name) {
        Ok(())
    } else {
        Err(ApiError::Validation(format!(
            "logical name `{name}`: 3–64 letters, digits or `_`, starting with a letter"
        )))
    }
}

/// `pb_<connector>_<4 hex>`, the connector part made of letters, digits and `_`.
pub fn generate_logical_name(connector_id: &str) -> String {
    new_logical_name(connector_id, u16::from_le_bytes(random_bytes::<2>()))
}

/// May the caller bind this connection to a reference of this connector?
pub(super) async fn check_binding(
    state: &AppState,
    caller: &Caller,
    connection_id: &str,
    connector_id: &str,
) -> ApiResult<()> {
    let c = access::usable_connection(state, caller, connection_id).await?;
    if c.connector_id != connector_id {
        return Err(ApiError::Validation(format!(
            "connection is for connector `{}`, the reference is for `{connector_id}`",
            c.connector_id
        )));
    }
    Ok(())
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(env): Path<String>,
    Query(filter): Query<ConnectorFilter>,
) -> ApiResult<ApiJson<Vec<ConnectionReference>>> {
    access::environment(&state, &caller, &env).await?;
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE r.environment_id = $2 AND ($3 = '' OR r.connector_id = $3) \
         ORDER BY r.display_name, r.logical_name"
    ))
    .bind(&caller.user.id)
    .bind(&env)
    .bind(filter.bind_value())
    .fetch_all(state.db())
    .await?;
    let refs = rows.iter().map(from_row).collect::<Result<_, _>>()?;
    Ok(ApiJson(refs))
}

async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path((env, name)): Path<(String, String)>,
) -> ApiResult<ApiJson<ConnectionReference>> {
    access::environment(&state, &caller, &env).await?;
    Ok(ApiJson(get_one(&state, &caller, &env, &name).await?))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(env): Path<String>,
    ApiJson(body): ApiJson<NewConnectionReference>,
) -> ApiResult<(StatusCode, ApiJson<ConnectionReference>)> {
    access::environment(&state, &caller, &env).await?;
    let display_name = fields::display_name(&body.display_name)?;
    let connector = state.catalog().get(&body.connector_id).ok_or_else(|| {
        ApiError::Validation(format!("unknown connector `{}`", body.connector_id))
    })?;
    let connection_id = body.connection_id.filter(|c| !c.is_empty());
    if let Some(c) = &connection_id {
        check_binding(&state, &caller, c, &connector.id).await?;
    }
    let given = body.logical_name.is_some();
    if let Some(n) = &body.logical_name {
        check_logical_name(n)?;
    }
    for _ in 0..16 {
        let logical_name = body
            .logical_name
            .clone()
            .unwrap_or_else(|| generate_logical_name(&connector.id));
        let t = now();
        let inserted = sqlx::query(
            "INSERT INTO connection_references (id, environment_id, logical_name, display_name, \
             connector_id, connection_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(&env)
        .bind(&logical_name)
        .bind(&display_name)
        .bind(&connector.id)
        .bind(&connection_id)
        .bind(t)
        .bind(t)
        .execute(state.db())
        .await;
        match inserted.map_err(ApiError::from) {
            Ok(_) => {
                let r = get_one(&state, &caller, &env, &logical_name).await?;
                return Ok((StatusCode::CREATED, ApiJson(r)));
            }
            Err(ApiError::Conflict(_)) if !given => continue,
            Err(ApiError::Conflict(_)) => {
                return Err(ApiError::Conflict(format!(
                    "logical name `{logical_name}` is already used in this environment"
                )))
            }
            Err(e) => return Err(e),
        }
    }
    Err(ApiError::Conflict(
        "could not find a free logical name".into(),
    ))
}

async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path((env, name)): Path<(String, String)>,
    ApiJson(body): ApiJson<ConnectionReferenceUpdate>,
) -> ApiResult<ApiJson<ConnectionReference>> {
    access::environment(&state, &caller, &env).await?;
    let mut r = get_one(&state, &caller, &env, &name).await?;
    if let Some(d) = &body.display_name {
        r.display_name = fields::display_name(d)?;
    }
    if let Some(n) = &body.logical_name {
        check_logical_name(n)?;
        r.logical_name = n.clone();
    }
    if let Some(c) = body.connection_id {
        let c = c.filter(|c| !c.is_empty());
        if let Some(c) = &c {
            check_binding(&state, &caller, c, &r.connector_id).await?;
        }
        r.connection_id = c;
    }
    sqlx::query(
        "UPDATE connection_references SET logical_name = $1, display_name = $2, \
         connection_id = $3, updated_at = $4 WHERE environment_id = $5 AND logical_name = $6",
    )
    .bind(&r.logical_name)
    .bind(&r.display_name)
    .bind(&r.connection_id)
    .bind(now())
    .bind(&env)
    .bind(&name)
    .execute(state.db())
    .await
    .map_err(|e| match ApiError::from(e) {
        ApiError::Conflict(_) => ApiError::Conflict(format!(
            "logical name `{}` is already used in this environment",
            r.logical_name
        )),
        other => other,
    })?;
    Ok(ApiJson(
        get_one(&state, &caller, &env, &r.logical_name).await?,
    ))
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((env, name)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    access::environment(&state, &caller, &env).await?;
    let done = sqlx::query(
        "DELETE FROM connection_references WHERE environment_id = $1 AND logical_name = $2",
    )
    .bind(&env)
    .bind(&name)
    .execute(state.db())
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::not_found("connection reference"));
    }
    Ok(StatusCode::NO_CONTENT)
}
