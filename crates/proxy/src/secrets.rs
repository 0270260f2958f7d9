//! A connection's secrets at rest: sealed with the proxy's key (AEAD, the connection id as
//! associated data) and opened only for execution, tests, token refresh and merging an update;
//! and the names the OAuth tokens are sealed under among them.

use crate::error::{ApiError, ApiResult};
use crate::AppState;
use sqlx::Row;
use std::collections::BTreeMap;

/// The access token's name among a connection's sealed secrets.
pub const ACCESS_TOKEN: &str = "oauth:access_token";
/// The refresh token's name among a connection's sealed secrets.
pub const REFRESH_TOKEN: &str = "oauth:refresh_token";

/// Whether a sealed secret's name is one of the sign-in's tokens (not a field the user typed).
pub fn is_token(name: &str) -> bool {
    name == ACCESS_TOKEN || name == REFRESH_TOKEN
}

/// Encrypt the secrets of a connection (none: no ciphertext at all).
pub(crate) fn seal(
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
