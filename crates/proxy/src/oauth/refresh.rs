//! A connection's tokens kept usable: stored after a sign-in, refreshed shortly before they expire
//! or once after the service refused them (401). Replicas agree on who calls the token endpoint
//! through the database: the one whose compare-and-set takes the connection's refresh lease (at
//! the token generation it saw, with no live lease) refreshes; the others wait for the generation
//! to move and use what it stored. A refused refresh marks the connection "needs sign-in".

use super::provider::{self, Provider};
use super::token::{self, TokenError, Tokens};
use super::{app, is_token, ACCESS_TOKEN, REFRESH_TOKEN};
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::secrets::{open_sealed, seal};
use crate::AppState;
use plugboard_model::connector::{ConnectionParameterSet, ConnectionStatus, ConnectorDetail};
use sqlx::Row;
use std::collections::BTreeMap;
use std::time::Duration;

/// A connection's sealed secrets (tokens included) as opened, at a token generation.
pub struct Current {
    pub generation: i64,
    pub expires_at: Option<i64>,
    pub secrets: BTreeMap<String, String>,
}

/// Why no fresh token could be had.
pub enum RefreshError {
    /// The sign-in is over (refused refresh, no refresh token): the user signs in again. The
    /// connection is marked "needs sign-in".
    SignInAgain(String),
    /// The provider could not be asked (network, no app registration): the connection is kept.
    Unavailable(String),
    Api(ApiError),
}

impl From<ApiError> for RefreshError {
    fn from(e: ApiError) -> Self {
        RefreshError::Api(e)
    }
}

impl From<sqlx::Error> for RefreshError {
    fn from(e: sqlx::Error) -> Self {
        RefreshError::Api(e.into())
    }
}

/// How often a replica waiting for another's refresh looks again.
const POLL: Duration = Duration::from_millis(50);

/// Store the tokens of a finished sign-in: the connection becomes Connected.
pub async fn store_signed_in(state: &AppState, id: &str, tokens: &Tokens) -> ApiResult<()> {
    let row = sqlx::query("SELECT secret, key_id FROM connections WHERE id = $1")
        .bind(id)
        .fetch_one(state.db())
        .await?;
    let mut secrets = open_sealed(state, id, row.try_get("secret")?, row.try_get("key_id")?)?;
    put_tokens(&mut secrets, tokens);
    let (secret, key_id) = seal(state, id, &secrets)?;
    sqlx::query(
        "UPDATE connections SET secret = $1, key_id = $2, status = $3, oauth_expires_at = $4, \
         oauth_generation = oauth_generation + 1, oauth_lease_until = NULL, updated_at = $5 \
         WHERE id = $6",
    )
    .bind(secret)
    .bind(key_id)
    .bind(ConnectionStatus::Connected.as_str())
    .bind(tokens.expires_at)
    .bind(now())
    .bind(id)
    .execute(state.db())
    .await?;
    Ok(())
}

fn put_tokens(secrets: &mut BTreeMap<String, String>, t: &Tokens) {
    secrets.retain(|k, _| !is_token(k));
    secrets.insert(ACCESS_TOKEN.into(), t.access_token.clone());
    if let Some(r) = &t.refresh_token {
        secrets.insert(REFRESH_TOKEN.into(), r.clone());
    }
}

/// Whether tokens expiring at `expires_at` are to be refreshed before use.
pub fn due(state: &AppState, expires_at: Option<i64>) -> bool {
    let early = state.settings().oauth_refresh_early.as_secs() as i64;
    expires_at.is_some_and(|at| at - early <= now())
}

/// The secrets of connection `id` with tokens fit to use: as stored, or refreshed first when they
/// are about to expire.
pub async fn fresh(
    state: &AppState,
    connector: &ConnectorDetail,
    set: &ConnectionParameterSet,
    id: &str,
) -> Result<BTreeMap<String, String>, RefreshError> {
    let row = sqlx::query(
        "SELECT secret, key_id, oauth_generation, oauth_expires_at FROM connections WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(state.db())
    .await?
    .ok_or_else(|| ApiError::not_found("connection"))?;
    let current = Current {
        generation: row.try_get("oauth_generation")?,
        expires_at: row.try_get("oauth_expires_at")?,
        secrets: open_sealed(state, id, row.try_get("secret")?, row.try_get("key_id")?)?,
    };
    if !due(state, current.expires_at) {
        return Ok(current.secrets);
    }
    Ok(refreshed(state, connector, set, id, current).await?.secrets)
}

/// The tokens of connection `id` (of `set` in `connector`) after one refresh past `seen`: made
/// here, or by whoever held the lease meanwhile (another request, another replica).
pub async fn refreshed(
    state: &AppState,
    connector: &ConnectorDetail,
    set: &ConnectionParameterSet,
    id: &str,
    seen: Current,
) -> Result<Current, RefreshError> {
    // The lease outlives the token call it covers (the upstream timeout bounds that call).
    let lease = state.upstream().settings().timeout.as_secs() as i64 + 5;
    let give_up = now() + 2 * lease + 5;
    loop {
        let t = now();
        let won = sqlx::query(
            "UPDATE connections SET oauth_lease_until = $1 WHERE id = $2 \
             AND oauth_generation = $3 AND (oauth_lease_until IS NULL OR oauth_lease_until < $4)",
        )
        .bind(t + lease)
        .bind(id)
        .bind(seen.generation)
        .bind(t)
        .execute(state.db())
        .await?
        .rows_affected()
            == 1;
        if won {
            return refresh_holding_lease(state, connector, set, id, seen).await;
        }
        let row = sqlx::query(
            "SELECT status, secret, key_id, oauth_generation, oauth_expires_at FROM connections \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(state.db())
        .await?
        .ok_or_else(|| ApiError::not_found("connection"))?;
        let generation: i64 = row.try_get("oauth_generation")?;
        if generation != seen.generation {
            let status: String = row.try_get("status")?;
            if ConnectionStatus::parse(&status) != Some(ConnectionStatus::Connected) {
                return Err(RefreshError::SignInAgain(
                    "the sign-in could not be renewed".into(),
                ));
            }
            return Ok(Current {
                generation,
                expires_at: row.try_get("oauth_expires_at")?,
                secrets: open_sealed(state, id, row.try_get("secret")?, row.try_get("key_id")?)?,
            });
        }
        if now() > give_up {
            return Err(RefreshError::Unavailable(
                "another refresh of this connection's sign-in did not finish".into(),
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn refresh_holding_lease(
    state: &AppState,
    connector: &ConnectorDetail,
    set: &ConnectionParameterSet,
    id: &str,
    seen: Current,
) -> Result<Current, RefreshError> {
    let outcome = match seen.secrets.get(REFRESH_TOKEN) {
        None => Err(RefreshError::SignInAgain(
            "the provider gave no refresh token".into(),
        )),
        Some(refresh_token) => match provider_of(state, connector, set).await {
            Err(e) => Err(e),
            Ok(p) => match token::refresh(state, &p, refresh_token).await {
                Ok(t) => Ok(t),
                Err(e @ TokenError::Refused { .. }) => {
                    Err(RefreshError::SignInAgain(e.to_string()))
                }
                Err(e @ TokenError::Unreachable(_)) => {
                    Err(RefreshError::Unavailable(e.to_string()))
                }
            },
        },
    };
    let status = match &outcome {
        Ok(_) => ConnectionStatus::Connected,
        Err(RefreshError::SignInAgain(_)) => ConnectionStatus::NeedsSignIn,
        Err(_) => {
            // Nothing learnt: let the next request try again.
            sqlx::query(
                "UPDATE connections SET oauth_lease_until = NULL WHERE id = $1 \
                 AND oauth_generation = $2",
            )
            .bind(id)
            .bind(seen.generation)
            .execute(state.db())
            .await?;
            return outcome.map(|_| seen);
        }
    };
    // New tokens replace the old; a refused refresh drops them, so nothing can look signed in.
    let mut secrets = seen.secrets;
    secrets.retain(|k, _| !is_token(k));
    if let Ok(tokens) = &outcome {
        put_tokens(&mut secrets, tokens);
    }
    let next = Current {
        generation: seen.generation + 1,
        expires_at: outcome.as_ref().ok().and_then(|t| t.expires_at),
        secrets,
    };
    publish(state, id, seen.generation, &next, status).await?;
    match outcome {
        Ok(_) => {
            tracing::info!(connection = %id, "OAuth tokens refreshed");
            Ok(next)
        }
        Err(e) => {
            if let RefreshError::SignInAgain(why) = &e {
                tracing::info!(connection = %id, "OAuth refresh refused; the connection needs sign-in: {why}");
            }
            Err(e)
        }
    }
}

/// Store `next` (sealed) with `status` and release the lease, if the tokens are still those of
/// generation `seen` (the lease holder is the only writer until then).
async fn publish(
    state: &AppState,
    id: &str,
    seen: i64,
    next: &Current,
    status: ConnectionStatus,
) -> ApiResult<()> {
    let (secret, key_id) = seal(state, id, &next.secrets)?;
    sqlx::query(
        "UPDATE connections SET secret = $1, key_id = $2, status = $3, oauth_expires_at = $4, \
         oauth_generation = $5, oauth_lease_until = NULL, updated_at = $6 \
         WHERE id = $7 AND oauth_generation = $8",
    )
    .bind(secret)
    .bind(key_id)
    .bind(status.as_str())
    .bind(next.expires_at)
    .bind(next.generation)
    .bind(now())
    .bind(id)
    .bind(seen)
    .execute(state.db())
    .await?;
    Ok(())
}

async fn provider_of(
    state: &AppState,
    connector: &ConnectorDetail,
    set: &ConnectionParameterSet,
) -> Result<Provider, RefreshError> {
    let app = app::load(state, &connector.id).await?.ok_or_else(|| {
        RefreshError::Unavailable(format!(
            "{} has no OAuth app registered (the owner registers one)",
            connector.name
        ))
    })?;
    provider::provider(connector, set, &app).map_err(RefreshError::Unavailable)
}
