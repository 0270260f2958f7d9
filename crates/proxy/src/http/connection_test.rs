//! "Test connection": call the connector's `testConnection` operation with a saved connection's
//! credentials (`POST /api/connections/{id}/test`) or with fields typed for a new one
//! (`POST /api/connectors/{id}/test-connection`, nothing stored). The answer says whether the
//! service accepted them, with its HTTP status; never its body (it may echo the credentials) nor
//! a secret. A saved connection's status follows a clear verdict: accepted → `connected`,
//! refused (401/403) → `error`; a service that cannot be reached leaves it as it was. A signed-in
//! OAuth connection's tokens are refreshed first when due; a refused refresh says "Sign in again".

use crate::auth::Caller;
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::http::{access, connections};
use crate::json::ApiJson;
use crate::oauth::refresh::{self, RefreshError};
use crate::upstream::host_of;
use crate::upstream::operation::{build, BuildError, Credentials};
use crate::AppState;
use axum::extract::{Path, State};
use axum::routing::post;
use axum::Router;
use plugboard_model::connector::{
    AuthKind, ConnectionParameterSet, ConnectionStatus, ConnectionTestInput, ConnectionTestResult,
    ConnectorDetail, TestConnection,
};
use std::sync::Arc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/connections/{id}/test", post(test_saved))
        .route("/connectors/{id}/test-connection", post(test_unsaved))
}

/// The connector and its test operation, or a 4xx.
fn testable(
    state: &AppState,
    connector_id: &str,
) -> ApiResult<(Arc<ConnectorDetail>, TestConnection)> {
    let connector = state
        .catalog()
        .get(connector_id)
        .ok_or_else(|| ApiError::NotFound(format!("no connector `{connector_id}`")))?;
    let tc = connector.test_connection.clone().ok_or_else(|| {
        ApiError::Validation(format!(
            "{} cannot test connections: its definition declares no testConnection",
            connector.name
        ))
    })?;
    Ok((connector, tc))
}

fn parameter_set<'a>(
    connector: &'a ConnectorDetail,
    name: Option<&str>,
) -> ApiResult<&'a ConnectionParameterSet> {
    connector.parameter_set(name).ok_or_else(|| {
        ApiError::Validation(format!(
            "{} has no connection parameter set `{}`",
            connector.name,
            name.unwrap_or("")
        ))
    })
}

fn failed(message: String, status: Option<u16>) -> ConnectionTestResult {
    ConnectionTestResult {
        ok: false,
        status,
        message: Some(message),
        connection_status: None,
    }
}

/// Call the test operation. The verdict for a saved connection's status comes along.
async fn run(
    state: &AppState,
    connector: &ConnectorDetail,
    tc: &TestConnection,
    creds: &Credentials<'_>,
) -> (ConnectionTestResult, Option<ConnectionStatus>) {
    let name = &connector.name;
    let Some(action) = connector.action(&tc.operation_id) else {
        let m = format!("{name} names a test operation it does not have");
        return (failed(m, None), None);
    };
    let req = match build(connector, action, &tc.parameters, creds) {
        Ok(r) => r,
        Err(BuildError::NeedsSignIn) => {
            let m = format!("Sign in to {name} first: this connection uses OAuth 2.0 sign-in.");
            return (failed(m, None), None);
        }
        Err(BuildError::Invalid(m)) => return (failed(format!("{m}."), None), None),
    };
    let host = host_of(&req.url);
    let resp = match state.upstream().send(req).await {
        Ok(r) => r,
        Err(e) => {
            let m = e.to_string();
            tracing::info!(connector = %connector.id, %host, "connection test failed: {m}");
            return (failed(m, None), None);
        }
    };
    let status = resp.status;
    // Read (bounded) and drop the answer, so the pooled connection can be reused.
    let _ = resp.bytes().await;
    let code = status.as_u16();
    tracing::info!(connector = %connector.id, %host, status = code, "connection test answered");
    if status.is_success() {
        let ok = ConnectionTestResult {
            ok: true,
            status: Some(code),
            message: None,
            connection_status: None,
        };
        return (ok, Some(ConnectionStatus::Connected));
    }
    if code == 401 || code == 403 {
        let m = format!("{name} refused the credentials (HTTP {code}).");
        return (failed(m, Some(code)), Some(ConnectionStatus::Error));
    }
    let reason = status
        .canonical_reason()
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    let m = format!("{name} answered HTTP {code}{reason} to the test request.");
    (failed(m, Some(code)), None)
}

async fn test_unsaved(
    State(state): State<AppState>,
    _caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ConnectionTestInput>,
) -> ApiResult<ApiJson<ConnectionTestResult>> {
    let (connector, tc) = testable(&state, &id)?;
    let set = parameter_set(&connector, body.parameter_set.as_deref())?;
    let (values, secrets) = connections::checked_fields(&connector, set, &body.values)?;
    let creds = Credentials {
        set,
        values: &values,
        secrets: &secrets,
    };
    let (result, _) = run(&state, &connector, &tc, &creds).await;
    Ok(ApiJson(result))
}

async fn test_saved(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<ApiJson<ConnectionTestResult>> {
    let row = access::usable_connection(&state, &caller, &id).await?;
    let (connector, tc) = testable(&state, &row.connector_id)?;
    let saved = connections::load(&state, &caller, &id).await?;
    let set = parameter_set(&connector, Some(&saved.parameter_set))?;
    let oauth = set.auth == AuthKind::Oauth2;
    let secrets = if oauth && saved.status == ConnectionStatus::Connected {
        // A signed-in connection is tested with tokens fit to use, as an execution would be.
        match refresh::fresh(&state, &connector, set, &id).await {
            Ok(s) => s,
            Err(RefreshError::SignInAgain(why)) => {
                let m = format!(
                    "The sign-in to {} expired and could not be renewed ({why}). Sign in again.",
                    connector.name
                );
                let mut r = failed(m, None);
                r.connection_status = Some(ConnectionStatus::NeedsSignIn);
                return Ok(ApiJson(r));
            }
            Err(RefreshError::Unavailable(why)) => {
                let mut r = failed(format!("The sign-in could not be renewed: {why}"), None);
                r.connection_status = Some(saved.status);
                return Ok(ApiJson(r));
            }
            Err(RefreshError::Api(e)) => return Err(e),
        }
    } else {
        connections::open_secrets(&state, &id).await?
    };
    let creds = Credentials {
        set,
        values: &saved.values,
        secrets: &secrets,
    };
    let (mut result, verdict) = run(&state, &connector, &tc, &creds).await;
    // A refused access token is the sign-in's to renew, not a broken connection.
    let verdict = verdict.filter(|v| !(oauth && *v == ConnectionStatus::Error));
    let status = match verdict {
        Some(v) if v != saved.status => {
            sqlx::query("UPDATE connections SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(v.as_str())
                .bind(now())
                .bind(&id)
                .execute(state.db())
                .await?;
            v
        }
        _ => saved.status,
    };
    result.connection_status = Some(status);
    Ok(ApiJson(result))
}
