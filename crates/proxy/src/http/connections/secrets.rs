//! A connection's secrets at rest: sealed with the proxy's key (AEAD, the connection id as
//! associated data) and opened only for execution, tests and merging an update.

use crate::error::{ApiError, ApiResult};
use crate::AppState;
use sqlx::Row;
use std::collections::BTreeMap;

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
