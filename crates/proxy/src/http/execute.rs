//! `POST /api/environments/{env}/execute`: run one connector action through the connection a
//! reference is bound to in that environment (`resolve.rs`), with inputs checked against the
//! operation (422 naming the input), the request built from the definition and sent through the
//! guarded upstream client (an OAuth connection's refused token renewed once, then sent again), and the answer returned as status, allow-listed headers and body. A
//! non-2xx answer, a timeout, a refused address or an oversized answer is a 5xx naming the
//! connector and operation, with `ExecuteFailure` details; never a credential, never the URL.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http::resolve;
use crate::json::ApiJson;
use crate::upstream::answer::{self, Answer};
use crate::upstream::operation::{self, BuildError, Credentials};
use crate::upstream::{host_of, invoke, UpstreamError};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use plugboard_model::connector::{ConnectorAction, ConnectorDetail};
use plugboard_model::execute::{
    inputs, web_service, ExecuteFailure, ExecuteRequest, ExecuteResult,
};
use serde_json::json;
use std::time::Instant;

pub fn router() -> Router<AppState> {
    Router::new().route("/environments/{env}/execute", post(execute))
}

/// The 5xx of a call that failed, with its details.
fn failed(status: StatusCode, code: &'static str, message: String, f: ExecuteFailure) -> ApiError {
    ApiError::Coded {
        status,
        code,
        message,
        details: serde_json::to_value(f).ok(),
    }
}

fn upstream_error(c: &ConnectorDetail, a: &ConnectorAction, e: UpstreamError) -> ApiError {
    let (status, code) = match &e {
        UpstreamError::Refused(_) => (StatusCode::BAD_GATEWAY, "upstream_refused"),
        UpstreamError::Timeout { .. } => (StatusCode::GATEWAY_TIMEOUT, "upstream_timeout"),
        UpstreamError::TooLarge { .. } => (StatusCode::BAD_GATEWAY, "upstream_too_large"),
        _ => (StatusCode::BAD_GATEWAY, "upstream_unreachable"),
    };
    let reason = e.to_string();
    let message = format!("{} ({}): {reason}", c.name, a.operation_id);
    failed(
        status,
        code,
        message,
        ExecuteFailure {
            status: None,
            reason,
        },
    )
}

async fn execute(
    State(state): State<AppState>,
    caller: Caller,
    Path(env): Path<String>,
    ApiJson(req): ApiJson<ExecuteRequest>,
) -> ApiResult<ApiJson<ExecuteResult>> {
    let connector = state
        .catalog()
        .get(&req.connector_id)
        .ok_or_else(|| ApiError::NotFound(format!("no connector `{}`", req.connector_id)))?;
    let action = connector.action(&req.operation_id).ok_or_else(|| {
        ApiError::NotFound(format!(
            "{} has no operation `{}`",
            connector.name, req.operation_id
        ))
    })?;
    let reference = req.reference.as_deref();
    let mut conn = resolve::connection(&state, &caller, &env, &connector, reference).await?;
    let checked =
        inputs::check(action, &req.inputs).map_err(|e| ApiError::Validation(e.to_string()))?;
    let is_invoke =
        connector.id == web_service::CONNECTOR && action.operation_id == web_service::OPERATION;
    let build = |conn: &resolve::Resolved| {
        let creds = Credentials {
            set: conn.set,
            values: &conn.values,
            secrets: &conn.secrets,
        };
        let built = if is_invoke {
            invoke::build(&connector, &checked, &creds)
        } else {
            operation::build(&connector, action, &checked, &creds)
        };
        built.map_err(|e| match e {
            BuildError::NeedsSignIn => {
                resolve::needs_sign_in(reference.unwrap_or(""), &connector.name)
            }
            BuildError::Invalid(m) => ApiError::Coded {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "cannot_call",
                message: format!("{m}."),
                details: None,
            },
        })
    };
    let upstream_req = build(&conn)?;
    let host = host_of(&upstream_req.url);
    let started = Instant::now();
    let mut resp = state.upstream().send(upstream_req).await;
    // An OAuth service that refuses the access token gets one more try with a renewed one.
    if conn.oauth.is_some()
        && matches!(&resp, Ok(r) if r.status == reqwest::StatusCode::UNAUTHORIZED)
    {
        resolve::renew(&state, &connector, &mut conn).await?;
        resp = state.upstream().send(build(&conn)?).await;
    }
    let creds = Credentials {
        set: conn.set,
        values: &conn.values,
        secrets: &conn.secrets,
    };
    let ms = started.elapsed().as_millis() as u64;
    let resp = resp.map_err(|e| {
        tracing::info!(connector = %connector.id, operation = %action.operation_id, %host, ms, "execute failed: {e}");
        upstream_error(&connector, action, e)
    })?;
    let code = resp.status.as_u16();
    tracing::info!(connector = %connector.id, operation = %action.operation_id, %host, status = code, ms, "executed");
    // InvokeHttp's schema describes the wrapper below, not the service's answer.
    let schema = action.output.as_ref().filter(|_| !is_invoke);
    let answer = answer::read(resp, schema, &creds.echoes())
        .await
        .map_err(|e| upstream_error(&connector, action, e))?;
    match answer {
        Answer::Ok(mut result) => {
            if is_invoke {
                // InvokeHttp's declared outputs: the answer itself as statusCode/headers/body.
                result.body = json!({
                    "statusCode": result.status,
                    "headers": result.headers,
                    "body": result.body,
                });
            }
            Ok(ApiJson(result))
        }
        Answer::Failed(f) => {
            let reason = if f.reason.is_empty() {
                String::new()
            } else {
                format!(": {}", f.reason)
            };
            let message = format!(
                "{} answered HTTP {code} to {}{reason}",
                connector.name, action.operation_id
            );
            Err(failed(
                StatusCode::BAD_GATEWAY,
                "upstream_status",
                message,
                f,
            ))
        }
    }
}
