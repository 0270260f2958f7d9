//! The owner's OAuth app registration per connector: client id, client secret (sealed, never
//! returned), tenant or authority override and extra scopes; checked before they are stored.

use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use plugboard_model::connector::OAuthAppUpdate;
use sqlx::Row;

/// A registration with its client secret opened (for the token endpoint only).
#[derive(Clone)]
pub struct App {
    pub client_id: String,
    pub client_secret: Option<String>,
    pub tenant: String,
    pub extra_scopes: Vec<String>,
}

const MAX_CLIENT_ID: usize = 512;
const MAX_SECRET: usize = 4096;
const MAX_TENANT: usize = 512;
const MAX_SCOPES: usize = 50;
const MAX_SCOPE: usize = 512;

/// The associated data the client secret is sealed with.
fn aad(connector_id: &str) -> String {
    format!("oauth-app:{connector_id}")
}

/// The registration of `connector_id`, if any, with its secret opened.
pub async fn load(state: &AppState, connector_id: &str) -> ApiResult<Option<App>> {
    let Some(row) = sqlx::query(
        "SELECT client_id, secret, key_id, tenant, extra_scopes FROM oauth_apps \
         WHERE connector_id = $1",
    )
    .bind(connector_id)
    .fetch_optional(state.db())
    .await?
    else {
        return Ok(None);
    };
    let secret: Option<String> = row.try_get("secret")?;
    let key_id: Option<String> = row.try_get("key_id")?;
    let client_secret =
        match (secret, key_id) {
            (Some(s), Some(k)) => {
                let plain = state
                    .crypto()
                    .decrypt(&s, &k, &aad(connector_id))
                    .map_err(|e| ApiError::Internal(format!("OAuth app {connector_id}: {e}")))?;
                Some(String::from_utf8(plain).map_err(|_| {
                    ApiError::Internal(format!("OAuth app {connector_id}: bad secret"))
                })?)
            }
            _ => None,
        };
    let scopes: String = row.try_get("extra_scopes")?;
    Ok(Some(App {
        client_id: row.try_get("client_id")?,
        client_secret,
        tenant: row.try_get("tenant")?,
        extra_scopes: scopes.split_whitespace().map(String::from).collect(),
    }))
}

/// Printable text without spaces or control characters, of at most `max` bytes.
fn token_like(what: &str, v: &str, max: usize) -> ApiResult<()> {
    if v.len() > max {
        return Err(ApiError::Validation(format!(
            "{what} is longer than {max} bytes"
        )));
    }
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::Validation(format!(
            "{what} must not contain spaces or control characters"
        )));
    }
    Ok(())
}

/// An aad tenant: an id or domain (`contoso.onmicrosoft.com`), or an `https://` authority URL.
fn check_tenant(tenant: &str, is_aad: bool) -> ApiResult<()> {
    if tenant.is_empty() {
        return Ok(());
    }
    if !is_aad {
        return Err(ApiError::Validation(
            "tenant: only Microsoft Entra (aad) connectors have a tenant".into(),
        ));
    }
    token_like("tenant", tenant, MAX_TENANT)?;
    if tenant.contains("://") {
        let url = url::Url::parse(tenant)
            .map_err(|_| ApiError::Validation("tenant: not a valid authority URL".into()))?;
        if url.scheme() != "https" || url.query().is_some() {
            return Err(ApiError::Validation(
                "tenant: an authority URL must be https:// without a query".into(),
            ));
        }
    } else if !tenant
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        return Err(ApiError::Validation(
            "tenant: use a tenant id or domain (letters, digits, `-` and `.`), or an https:// authority URL".into(),
        ));
    }
    Ok(())
}

/// Check and store (insert or replace) the registration of `connector_id`. An absent client
/// secret keeps the stored one; an empty one removes it.
pub async fn save(
    state: &AppState,
    connector_id: &str,
    is_aad: bool,
    u: &OAuthAppUpdate,
) -> ApiResult<()> {
    let client_id = u.client_id.trim();
    if client_id.is_empty() {
        return Err(ApiError::Validation("client_id: required".into()));
    }
    token_like("client_id", client_id, MAX_CLIENT_ID)?;
    let tenant = u.tenant.trim();
    check_tenant(tenant, is_aad)?;
    if u.extra_scopes.len() > MAX_SCOPES {
        return Err(ApiError::Validation(format!(
            "extra_scopes: at most {MAX_SCOPES}"
        )));
    }
    for (i, s) in u.extra_scopes.iter().enumerate() {
        if s.is_empty() {
            return Err(ApiError::Validation(format!("extra_scopes[{i}]: empty")));
        }
        token_like(&format!("extra_scopes[{i}]"), s, MAX_SCOPE)?;
    }
    if let Some(s) = &u.client_secret {
        if s.len() > MAX_SECRET {
            return Err(ApiError::Validation(format!(
                "client_secret is longer than {MAX_SECRET} bytes"
            )));
        }
        if s.chars().any(char::is_control) {
            return Err(ApiError::Validation(
                "client_secret must not contain control characters".into(),
            ));
        }
    }
    let crypto = state.crypto();
    let mut tx = state.db().begin().await?;
    let (mut secret, mut key_id): (Option<String>, Option<String>) = (None, None);
    match u.client_secret.as_deref() {
        None => {
            if let Some(row) =
                sqlx::query("SELECT secret, key_id FROM oauth_apps WHERE connector_id = $1")
                    .bind(connector_id)
                    .fetch_optional(&mut *tx)
                    .await?
            {
                secret = row.try_get("secret")?;
                key_id = row.try_get("key_id")?;
            }
        }
        Some("") => {}
        Some(s) => {
            secret = Some(crypto.encrypt(s.as_bytes(), &aad(connector_id)));
            key_id = Some(crypto.key_id().to_string());
        }
    }
    sqlx::query(
        "INSERT INTO oauth_apps (connector_id, client_id, secret, key_id, tenant, extra_scopes, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (connector_id) DO UPDATE \
         SET client_id = excluded.client_id, secret = excluded.secret, key_id = excluded.key_id, \
         tenant = excluded.tenant, extra_scopes = excluded.extra_scopes, \
         updated_at = excluded.updated_at",
    )
    .bind(connector_id)
    .bind(client_id)
    .bind(secret)
    .bind(key_id)
    .bind(tenant)
    .bind(u.extra_scopes.join(" "))
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Remove the registration; whether there was one.
pub async fn delete(state: &AppState, connector_id: &str) -> ApiResult<bool> {
    let r = sqlx::query("DELETE FROM oauth_apps WHERE connector_id = $1")
        .bind(connector_id)
        .execute(state.db())
        .await?;
    Ok(r.rows_affected() > 0)
}

/// The client secret sealed again under `new` (key rotation): each registration's `secret`.
pub(crate) async fn reseal(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    old: &crate::crypto::Crypto,
    new: &crate::crypto::Crypto,
) -> Result<usize, String> {
    let rows =
        sqlx::query("SELECT connector_id, secret, key_id FROM oauth_apps WHERE secret IS NOT NULL")
            .fetch_all(&mut **tx)
            .await
            .map_err(|e| e.to_string())?;
    for row in &rows {
        let id: String = row.try_get("connector_id").map_err(|e| e.to_string())?;
        let secret: String = row.try_get("secret").map_err(|e| e.to_string())?;
        let key_id: String = row.try_get("key_id").map_err(|e| e.to_string())?;
        let plain = old
            .decrypt(&secret, &key_id, &aad(&id))
            .map_err(|e| format!("OAuth app {id}: {e}"))?;
        sqlx::query("UPDATE oauth_apps SET secret = $1, key_id = $2 WHERE connector_id = $3")
            .bind(new.encrypt(&plain, &aad(&id)))
            .bind(new.key_id())
            .bind(&id)
            .execute(&mut **tx)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(rows.len())
}
