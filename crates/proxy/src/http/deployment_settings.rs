//! `/api/environments/{env}/deployment-settings`: an environment's connection references as a
//! Power Platform deployment settings file, exported, and imported all-or-nothing with a report
//! per entry (created, updated, unchanged or the error that stopped the import).

use crate::auth::Caller;
use crate::db::{new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::http::access;
use crate::http::references::{check_binding, check_logical_name, find};
use crate::json::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::routing::get;
use axum::Router;
use plugboard_model::connector::{
    DeploymentEntryReport, DeploymentImportReport, DeploymentReference, DeploymentSettings,
};
use sqlx::Row;
use std::collections::HashSet;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/environments/{env}/deployment-settings",
        get(export).post(import),
    )
}

async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(env): Path<String>,
) -> ApiResult<ApiJson<DeploymentSettings>> {
    access::environment(&state, &caller, &env).await?;
    let rows = sqlx::query(
        "SELECT logical_name, connection_id, connector_id FROM connection_references \
         WHERE environment_id = $1 ORDER BY logical_name",
    )
    .bind(&env)
    .fetch_all(state.db())
    .await?;
    let refs = rows
        .iter()
        .map(|r| {
            Ok(DeploymentReference {
                logical_name: r.try_get("logical_name")?,
                connection_id: r
                    .try_get::<Option<String>, _>("connection_id")?
                    .unwrap_or_default(),
                connector_id: r.try_get("connector_id")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(ApiJson(DeploymentSettings {
        connection_references: refs,
    }))
}

/// Our connector id for a settings entry: ours, or Power Platform's
/// `/providers/Microsoft.PowerApps/apis/shared_<name>`.
fn resolve_connector(state: &AppState, id: &str) -> Option<String> {
    if state.catalog().get(id).is_some() {
        return Some(id.to_string());
    }
    let last = id.rsplit('/').next().unwrap_or(id);
    let bare = last.strip_prefix("shared_").unwrap_or(last);
    [last, bare]
        .into_iter()
        .find(|c| state.catalog().get(c).is_some())
        .map(String::from)
}

/// The largest settings file accepted, in entries.
const MAX_ENTRIES: usize = 1000;

enum Plan {
    Create(DeploymentReference),
    Bind(String, Option<String>),
    Nothing,
}

async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Path(env): Path<String>,
    ApiJson(body): ApiJson<DeploymentSettings>,
) -> ApiResult<ApiJson<DeploymentImportReport>> {
    access::environment(&state, &caller, &env).await?;
    if body.connection_references.len() > MAX_ENTRIES {
        return Err(ApiError::Validation(format!(
            "at most {MAX_ENTRIES} connection references per file"
        )));
    }
    let mut entries = Vec::new();
    let mut plans = Vec::new();
    let mut seen = HashSet::new();
    for e in &body.connection_references {
        let outcome = plan_entry(&state, &caller, &env, e, &mut seen).await;
        let (status, message, plan) = match outcome {
            Ok((status, plan)) => (status, String::new(), plan),
            Err(ApiError::Internal(m)) => return Err(ApiError::Internal(m)),
            Err(err) => ("error", err.to_string(), Plan::Nothing),
        };
        entries.push(DeploymentEntryReport {
            logical_name: e.logical_name.clone(),
            status: status.into(),
            message,
        });
        plans.push(plan);
    }
    if entries.iter().any(|e| e.status == "error") {
        let report = DeploymentImportReport {
            applied: false,
            entries,
        };
        return Err(ApiError::Report {
            message: "nothing was imported: fix the entries marked `error`".into(),
            details: serde_json::to_value(&report).map_err(ApiError::internal)?,
        });
    }
    let mut tx = state.db().begin().await?;
    let t = now();
    for plan in plans {
        match plan {
            Plan::Create(e) => {
                sqlx::query(
                    "INSERT INTO connection_references (id, environment_id, logical_name, \
                     display_name, connector_id, connection_id, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(new_id())
                .bind(&env)
                .bind(&e.logical_name)
                .bind(&e.logical_name)
                .bind(&e.connector_id)
                .bind(Some(e.connection_id).filter(|c| !c.is_empty()))
                .bind(t)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            }
            Plan::Bind(name, conn) => {
                sqlx::query(
                    "UPDATE connection_references SET connection_id = $1, updated_at = $2 \
                     WHERE environment_id = $3 AND logical_name = $4",
                )
                .bind(conn)
                .bind(t)
                .bind(&env)
                .bind(name)
                .execute(&mut *tx)
                .await?;
            }
            Plan::Nothing => {}
        }
    }
    tx.commit().await?;
    Ok(ApiJson(DeploymentImportReport {
        applied: true,
        entries,
    }))
}

async fn plan_entry(
    state: &AppState,
    caller: &Caller,
    env: &str,
    e: &DeploymentReference,
    seen: &mut HashSet<String>,
) -> ApiResult<(&'static str, Plan)> {
    check_logical_name(&e.logical_name)?;
    if !seen.insert(e.logical_name.clone()) {
        return Err(ApiError::Validation(
            "the logical name appears twice in the file".into(),
        ));
    }
    let connector = resolve_connector(state, &e.connector_id)
        .ok_or_else(|| ApiError::Validation(format!("unknown connector `{}`", e.connector_id)))?;
    if !e.connection_id.is_empty() {
        check_binding(state, caller, &e.connection_id, &connector).await?;
    }
    let existing = find(state, caller, env, &e.logical_name).await?;
    Ok(match existing {
        None => (
            "created",
            Plan::Create(DeploymentReference {
                logical_name: e.logical_name.clone(),
                connection_id: e.connection_id.clone(),
                connector_id: connector,
            }),
        ),
        Some(r) if r.connector_id != connector => {
            return Err(ApiError::Validation(format!(
                "the environment's reference is for connector `{}`",
                r.connector_id
            )))
        }
        Some(r)
            if e.connection_id.is_empty()
                || r.connection_id.as_deref() == Some(e.connection_id.as_str()) =>
        {
            ("unchanged", Plan::Nothing)
        }
        Some(r) => (
            "updated",
            Plan::Bind(r.logical_name, Some(e.connection_id.clone())),
        ),
    })
}
