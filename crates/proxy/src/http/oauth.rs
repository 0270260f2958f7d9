//! `/api/oauth`: the owner's OAuth app registrations per connector (`apps`), the start of a
//! connection's sign-in (`start`: state and PKCE verifier stored, single-use and expiring, the
//! provider's URL returned for the designer's popup) and the provider's answer (`callback`: the
//! state checked, the code exchanged, the tokens sealed, and a tiny page that tells the designer
//! window that opened it and closes).

use crate::auth::Caller;
use crate::crypto::token_hash;
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::http::access;
use crate::json::ApiJson;
use crate::oauth::provider::{self, Provider};
use crate::oauth::{app, pkce, refresh, token};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use plugboard_model::connector::{
    ConnectorDetail, OAuthApp, OAuthAppUpdate, SignInOutcome, SignInStart, SignInUrl,
    SIGN_IN_MESSAGE,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::sync::Arc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/oauth/apps", get(list_apps))
        .route(
            "/oauth/apps/{connector}",
            get(one_app).put(put_app).delete(delete_app),
        )
        .route("/oauth/start", post(start))
        .route("/oauth/callback", get(callback))
}

/// Where the provider sends the user back: `--public-url`, else this request's own origin.
fn redirect_uri(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(base) = &state.settings().public_url {
        return format!("{}/api/oauth/callback", base.trim_end_matches('/'));
    }
    let https = state.settings().secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && !h.contains(['/', '\\', '?', '#', '@', ' ']))
        .unwrap_or("127.0.0.1:8080");
    let scheme = if https { "https" } else { "http" };
    format!("{scheme}://{host}/api/oauth/callback")
}

/// A connector that signs in with OAuth, or a 404 / 422 naming it.
fn oauth_connector(state: &AppState, id: &str) -> ApiResult<Arc<ConnectorDetail>> {
    let c = state
        .catalog()
        .get(id)
        .ok_or_else(|| ApiError::NotFound(format!("no connector `{id}`")))?;
    if provider::oauth_set(&c).is_none() {
        return Err(ApiError::Validation(format!(
            "{} does not sign in with OAuth 2.0",
            c.name
        )));
    }
    Ok(c)
}

async fn summary(state: &AppState, connector_id: &str, redirect: &str) -> ApiResult<OAuthApp> {
    let a = app::load(state, connector_id).await?;
    Ok(OAuthApp {
        connector_id: connector_id.to_string(),
        registered: a.is_some(),
        client_id: a.as_ref().map(|a| a.client_id.clone()).unwrap_or_default(),
        client_secret_set: a.as_ref().is_some_and(|a| a.client_secret.is_some()),
        tenant: a.as_ref().map(|a| a.tenant.clone()).unwrap_or_default(),
        extra_scopes: a.map(|a| a.extra_scopes).unwrap_or_default(),
        redirect_uri: redirect.to_string(),
    })
}

async fn list_apps(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> ApiResult<ApiJson<Vec<OAuthApp>>> {
    caller.require_owner()?;
    let redirect = redirect_uri(&state, &headers);
    let mut ids: Vec<String> = state
        .catalog()
        .connectors()
        .filter(|c| provider::oauth_set(c).is_some())
        .map(|c| c.id.clone())
        .collect();
    ids.sort();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(summary(&state, &id, &redirect).await?);
    }
    Ok(ApiJson(out))
}

async fn one_app(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(connector): Path<String>,
) -> ApiResult<ApiJson<OAuthApp>> {
    caller.require_owner()?;
    let c = oauth_connector(&state, &connector)?;
    Ok(ApiJson(
        summary(&state, &c.id, &redirect_uri(&state, &headers)).await?,
    ))
}

async fn put_app(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(connector): Path<String>,
    ApiJson(body): ApiJson<OAuthAppUpdate>,
) -> ApiResult<ApiJson<OAuthApp>> {
    caller.require_owner()?;
    let c = oauth_connector(&state, &connector)?;
    let is_aad = provider::oauth_set(&c)
        .and_then(provider::settings)
        .is_some_and(provider::is_aad);
    app::save(&state, &c.id, is_aad, &body).await?;
    tracing::info!(connector = %c.id, "OAuth app registration saved");
    Ok(ApiJson(
        summary(&state, &c.id, &redirect_uri(&state, &headers)).await?,
    ))
}

async fn delete_app(
    State(state): State<AppState>,
    caller: Caller,
    Path(connector): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_owner()?;
    let c = oauth_connector(&state, &connector)?;
    if !app::delete(&state, &c.id).await? {
        return Err(ApiError::NotFound(format!(
            "{} has no OAuth app registered",
            c.name
        )));
    }
    Ok(StatusCode::NO_CONTENT)
}

fn coded(status: StatusCode, code: &'static str, message: String) -> ApiError {
    ApiError::Coded {
        status,
        code,
        message,
        details: None,
    }
}

/// The connection's connector, its OAuth parameter set and the provider (app registration).
async fn provider_for(
    state: &AppState,
    connection_id: &str,
) -> ApiResult<(Arc<ConnectorDetail>, Provider)> {
    let row = sqlx::query("SELECT connector_id, parameter_set FROM connections WHERE id = $1")
        .bind(connection_id)
        .fetch_optional(state.db())
        .await?
        .ok_or_else(|| ApiError::not_found("connection"))?;
    let connector_id: String = row.try_get("connector_id")?;
    let set_name: String = row.try_get("parameter_set")?;
    let c = state.catalog().get(&connector_id).ok_or_else(|| {
        ApiError::Conflict(format!("connector `{connector_id}` is no longer installed"))
    })?;
    let set = c
        .parameter_set(Some(&set_name))
        .filter(|s| provider::settings(s).is_some())
        .ok_or_else(|| {
            ApiError::Validation(format!(
                "this {} connection does not sign in with OAuth 2.0",
                c.name
            ))
        })?;
    let a = app::load(state, &c.id).await?.ok_or_else(|| {
        coded(
            StatusCode::CONFLICT,
            "oauth_app_missing",
            format!(
                "{} has no OAuth app registered yet: the owner registers its client id first (account menu, \"OAuth apps\").",
                c.name
            ),
        )
    })?;
    let p = provider::provider(&c, set, &a)
        .map_err(|m| coded(StatusCode::CONFLICT, "oauth_definition", format!("{m}.")))?;
    Ok((c, p))
}

async fn start(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignInStart>,
) -> ApiResult<ApiJson<SignInUrl>> {
    let conn = access::owned_connection(&state, &caller, &body.connection_id).await?;
    let (_, p) = provider_for(&state, &conn.id).await?;
    let redirect = redirect_uri(&state, &headers);
    let st = pkce::state();
    let verifier = pkce::verifier();
    let hash = token_hash(&st);
    let t = now();
    let ttl = state.settings().oauth_state_ttl.as_secs() as i64;
    // Sign-ins abandoned long ago are of no use to anyone.
    sqlx::query("DELETE FROM oauth_states WHERE expires_at < $1")
        .bind(t - 3600)
        .execute(state.db())
        .await?;
    sqlx::query(
        "INSERT INTO oauth_states (state_hash, connection_id, user_id, verifier, key_id, \
         redirect_uri, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&hash)
    .bind(&conn.id)
    .bind(&caller.user.id)
    .bind(state.crypto().encrypt(verifier.as_bytes(), &hash))
    .bind(state.crypto().key_id())
    .bind(&redirect)
    .bind(t + ttl)
    .execute(state.db())
    .await?;
    let mut url = p.authorization_url.clone();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &p.client_id)
        .append_pair("redirect_uri", &redirect)
        .append_pair("scope", &p.scopes.join(" "))
        .append_pair("state", &st)
        .append_pair("code_challenge", &pkce::challenge(&verifier))
        .append_pair("code_challenge_method", "S256");
    Ok(ApiJson(SignInUrl {
        authorization_url: url.to_string(),
    }))
}

#[derive(Deserialize)]
struct CallbackQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

/// What the page says when the sign-in failed (`connection_id` when known).
fn failed(connection_id: &str, message: String) -> Response {
    page(SignInOutcome {
        kind: SIGN_IN_MESSAGE.into(),
        connection_id: connection_id.into(),
        ok: false,
        message,
    })
}

async fn callback(
    State(state): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<CallbackQuery>,
) -> Response {
    match finish(&state, caller, &q).await {
        Ok(outcome) => page(outcome),
        Err((id, message)) => failed(&id, message),
    }
}

/// The callback's work; an error is the connection (when known) and the sentence to show.
async fn finish(
    state: &AppState,
    caller: Result<Caller, ApiError>,
    q: &CallbackQuery,
) -> Result<SignInOutcome, (String, String)> {
    let internal = |id: &str, e: ApiError| {
        tracing::error!("OAuth callback: {e:?}");
        (
            id.to_string(),
            "The sign-in could not be finished (server error): try again.".to_string(),
        )
    };
    if q.state.is_empty() || q.state.len() > 256 {
        return Err((
            String::new(),
            "The provider's answer has no valid state: start the sign-in again from Plugboard."
                .into(),
        ));
    }
    let hash = token_hash(&q.state);
    let row = sqlx::query(
        "SELECT connection_id, user_id, verifier, key_id, redirect_uri, expires_at \
         FROM oauth_states WHERE state_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(state.db())
    .await
    .map_err(|e| internal("", e.into()))?;
    // Single use: whoever deletes the row finishes the dance; a replay finds nothing.
    let deleted = sqlx::query("DELETE FROM oauth_states WHERE state_hash = $1")
        .bind(&hash)
        .execute(state.db())
        .await
        .map_err(|e| internal("", e.into()))?
        .rows_affected();
    let (Some(row), 1) = (row, deleted) else {
        return Err((
            String::new(),
            "This sign-in answer was already used or is unknown: start the sign-in again from Plugboard.".into(),
        ));
    };
    let get = |c: &str| row.try_get::<String, _>(c);
    let (Ok(connection_id), Ok(user_id), Ok(sealed), Ok(key_id), Ok(redirect)) = (
        get("connection_id"),
        get("user_id"),
        get("verifier"),
        get("key_id"),
        get("redirect_uri"),
    ) else {
        return Err(internal(
            "",
            ApiError::Internal("bad oauth_states row".into()),
        ));
    };
    let id = connection_id.as_str();
    let expires_at: i64 = row
        .try_get("expires_at")
        .map_err(|e| internal(id, e.into()))?;
    if expires_at < now() {
        return Err((
            id.into(),
            "The sign-in took too long and expired: click Sign in again.".into(),
        ));
    }
    match caller {
        Ok(c) if c.user.id == user_id => {}
        Ok(_) => {
            return Err((
                id.into(),
                "This sign-in was started by another Plugboard user: sign in again from your own account.".into(),
            ))
        }
        Err(_) => {
            return Err((
                id.into(),
                "You are not signed in to Plugboard in this browser: sign in to Plugboard, then click Sign in again.".into(),
            ))
        }
    }
    let (c, p) = provider_for(state, id).await.map_err(|e| match e {
        ApiError::Internal(_) => internal(id, e),
        other => (id.to_string(), other.to_string()),
    })?;
    if !q.error.is_empty() {
        let why: String = q
            .error_description
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let message = if q.error == "access_denied" {
            format!(
                "Consent was denied at {}: the {} connection is not signed in.",
                p.host(),
                c.name
            )
        } else {
            format!("{} refused the sign-in ({}): {why}", p.host(), q.error)
        };
        return Err((id.into(), message));
    }
    if q.code.is_empty() || q.code.len() > 4096 {
        return Err((
            id.into(),
            format!(
                "{} sent no authorization code: click Sign in again.",
                p.host()
            ),
        ));
    }
    let verifier = state
        .crypto()
        .decrypt(&sealed, &key_id, &hash)
        .ok()
        .and_then(|v| String::from_utf8(v).ok())
        .ok_or_else(|| internal(id, ApiError::Internal("state verifier".into())))?;
    let tokens = token::exchange(state, &p, &q.code, &verifier, &redirect)
        .await
        .map_err(|e| {
            tracing::info!(connection = %id, "OAuth code exchange failed: {e}");
            (
                id.to_string(),
                format!("Signing in to {} failed: {e}.", c.name),
            )
        })?;
    refresh::store_signed_in(state, id, &tokens)
        .await
        .map_err(|e| internal(id, e))?;
    tracing::info!(connection = %id, connector = %c.id, "OAuth sign-in finished");
    Ok(SignInOutcome {
        kind: SIGN_IN_MESSAGE.into(),
        connection_id: id.into(),
        ok: true,
        message: format!("Signed in to {}.", c.name),
    })
}

/// Tells the window that opened the popup (its own origin only) and closes; without an opener
/// (a provider's pages can cut that link) it tells the designer on a BroadcastChannel instead.
const SCRIPT: &str =
    "(function(){var o=JSON.parse(document.getElementById('outcome').textContent);\
var w=window.opener;if(w){try{w.postMessage(o,location.origin)}catch(e){}}\
else{try{var b=new BroadcastChannel('plugboard-oauth');b.postMessage(o);b.close()}catch(e){}}\
if(w){setTimeout(function(){window.close()},o.ok?200:1500)}})();";

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The callback's page: the outcome as text and as JSON for the script, which runs under a CSP
/// that allows only it (by hash). Never cached, never sent on as a referrer (its URL held the code).
fn page(outcome: SignInOutcome) -> Response {
    let json = serde_json::to_string(&outcome)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c");
    let title = if outcome.ok {
        "Signed in"
    } else {
        "Sign-in failed"
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · Plugboard</title></head>\
<body><main><h1>{title}</h1><p role=\"status\">{}</p><p>You can close this window.</p></main>\
<script type=\"application/json\" id=\"outcome\">{json}</script><script>{SCRIPT}</script></body></html>",
        escape_html(&outcome.message)
    );
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SCRIPT.as_bytes()));
    let csp = format!("default-src 'none'; script-src 'sha256-{hash}'; base-uri 'none'");
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    resp
}
