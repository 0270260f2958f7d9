//! The connection an execution runs with: the connection reference named in an environment the
//! caller belongs to, bound, of the action's connector, to a connection the caller may use and
//! that needs no sign-in; read with its values and decrypted secrets in one query. An OAuth
//! connection's tokens are refreshed first when they are about to expire (`oauth::refresh`), and
//! again on demand (`renew`, after the service answered 401). Each refusal is a 4xx naming the
//! reference. Without a reference, only a connector that can be called with no
//! authentication (the generic HTTP connector, for "Invoke web service") runs, anonymously.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::http::connections::open_sealed;
use crate::oauth::refresh::{self, Current, RefreshError};
use crate::AppState;
use axum::http::StatusCode;
use plugboard_model::connector::{
    AuthKind, ConnectionParameterSet, ConnectionStatus, ConnectorDetail,
};
use serde::Deserialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// A connection's fields for one call.
pub struct Resolved<'a> {
    pub set: &'a ConnectionParameterSet,
    pub values: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, String>,
    /// For an OAuth connection: which one, and the token generation its secrets are of.
    pub oauth: Option<OAuthUse>,
}

/// The OAuth connection behind a `Resolved`, so its tokens can be renewed after a 401.
pub struct OAuthUse {
    pub connection_id: String,
    pub generation: i64,
    pub reference: String,
}

/// The environment (with whether the caller belongs to it), the named reference in it and its
/// connection: `$1` the environment, `$2` the logical name (`''` for none), `$3` the caller.
const QUERY: &str = "SELECT e.name AS env_name, \
     (SELECT COUNT(*) FROM environment_members m WHERE m.environment_id = e.id \
       AND m.user_id = $3) AS member, \
     r.connector_id AS ref_connector, c.id AS cid, \
     c.parameter_set AS parameter_set, c.settings AS settings, c.status AS status, \
     c.secret AS secret, c.key_id AS key_id, c.oauth_generation AS generation, \
     c.oauth_expires_at AS expires_at, \
     CASE WHEN c.owner_id = $3 OR EXISTS (SELECT 1 FROM connection_shares s \
       WHERE s.connection_id = c.id AND s.user_id = $3) THEN 1 ELSE 0 END AS usable \
     FROM environments e \
     LEFT JOIN connection_references r ON r.environment_id = e.id AND r.logical_name = $2 \
     LEFT JOIN connections c ON c.id = r.connection_id \
     WHERE e.id = $1";

/// The plain values in a connection's `settings` column.
#[derive(Deserialize)]
struct Settings {
    #[serde(default)]
    values: BTreeMap<String, String>,
}

fn refuse(status: StatusCode, code: &'static str, message: String) -> ApiError {
    ApiError::Coded {
        status,
        code,
        message,
        details: None,
    }
}

/// The connection of `reference` in environment `env` for a call of `connector`, in one query
/// that also checks the caller belongs to the environment (else 404, as `access` answers).
pub async fn connection<'a>(
    state: &AppState,
    caller: &Caller,
    env: &str,
    connector: &'a ConnectorDetail,
    reference: Option<&str>,
) -> ApiResult<Resolved<'a>> {
    let reference = reference.map(str::trim).filter(|r| !r.is_empty());
    let row = sqlx::query(QUERY)
        .bind(env)
        .bind(reference.unwrap_or(""))
        .bind(&caller.user.id)
        .fetch_optional(state.db())
        .await?
        .ok_or_else(|| ApiError::not_found("environment"))?;
    if row.try_get::<i64, _>("member")? == 0 && !caller.user.is_owner {
        return Err(ApiError::not_found("environment"));
    }
    let Some(reference) = reference else {
        let set = connector
            .connection_parameter_sets
            .iter()
            .find(|s| s.auth == AuthKind::None)
            .ok_or_else(|| {
                ApiError::Validation(format!(
                    "reference: {} is called through a connection reference; name one",
                    connector.name
                ))
            })?;
        return Ok(Resolved {
            set,
            values: BTreeMap::new(),
            secrets: BTreeMap::new(),
            oauth: None,
        });
    };
    let env_name: String = row.try_get("env_name")?;
    let Some(ref_connector) = row.try_get::<Option<String>, _>("ref_connector")? else {
        return Err(refuse(
            StatusCode::NOT_FOUND,
            "reference_not_found",
            format!("Connection reference `{reference}` does not exist in {env_name}."),
        ));
    };
    if ref_connector != connector.id {
        let theirs = state
            .catalog()
            .get(&ref_connector)
            .map_or(ref_connector.clone(), |c| c.name.clone());
        return Err(refuse(
            StatusCode::CONFLICT,
            "reference_incompatible",
            format!(
                "Connection reference `{reference}` is for {theirs}, not {}.",
                connector.name
            ),
        ));
    }
    let Some(id) = row.try_get::<Option<String>, _>("cid")? else {
        return Err(refuse(
            StatusCode::CONFLICT,
            "reference_unbound",
            format!(
                "Connection reference `{reference}` has no connection in {env_name}: bind it to one first."
            ),
        ));
    };
    if row.try_get::<i64, _>("usable")? == 0 {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "connection_not_usable",
            format!(
                "Connection reference `{reference}` is bound to a connection that is not yours and not shared with you."
            ),
        ));
    }
    let set_name: String = row.try_get("parameter_set")?;
    let set = connector.parameter_set(Some(&set_name)).ok_or_else(|| {
        refuse(
            StatusCode::CONFLICT,
            "connection_invalid",
            format!(
                "The connection of `{reference}` uses `{set_name}`, which {} no longer has: create it again.",
                connector.name
            ),
        )
    })?;
    let status: String = row.try_get("status")?;
    if ConnectionStatus::parse(&status) == Some(ConnectionStatus::NeedsSignIn) {
        return Err(needs_sign_in(reference, &connector.name));
    }
    let settings: String = row.try_get("settings")?;
    let settings: Settings = serde_json::from_str(&settings).map_err(ApiError::internal)?;
    let mut secrets = open_sealed(state, &id, row.try_get("secret")?, row.try_get("key_id")?)?;
    let mut oauth = None;
    if set.auth == AuthKind::Oauth2 {
        let mut current = Current {
            generation: row.try_get("generation")?,
            expires_at: row.try_get("expires_at")?,
            secrets,
        };
        if refresh::due(state, current.expires_at) {
            current = refresh::refreshed(state, connector, set, &id, current)
                .await
                .map_err(|e| refresh_failed(e, reference, &connector.name))?;
        }
        secrets = current.secrets;
        oauth = Some(OAuthUse {
            connection_id: id,
            generation: current.generation,
            reference: reference.to_string(),
        });
    }
    Ok(Resolved {
        set,
        values: settings.values,
        secrets,
        oauth,
    })
}

/// New tokens for an OAuth connection whose service refused the ones in `r` (a 401): refreshed
/// once, by this request or by whoever already did since `r` was read.
pub async fn renew(
    state: &AppState,
    connector: &ConnectorDetail,
    r: &mut Resolved<'_>,
) -> ApiResult<()> {
    let Some(o) = r.oauth.as_mut() else {
        return Ok(());
    };
    let seen = Current {
        generation: o.generation,
        expires_at: None,
        secrets: std::mem::take(&mut r.secrets),
    };
    let current = refresh::refreshed(state, connector, r.set, &o.connection_id, seen)
        .await
        .map_err(|e| refresh_failed(e, &o.reference, &connector.name))?;
    o.generation = current.generation;
    r.secrets = current.secrets;
    Ok(())
}

/// A refresh that failed, as the error the caller sees: "Sign in again" when the sign-in is
/// over, a 502 when the provider could not be asked.
fn refresh_failed(e: RefreshError, reference: &str, connector: &str) -> ApiError {
    match e {
        RefreshError::SignInAgain(why) => refuse(
            StatusCode::CONFLICT,
            "sign_in_again",
            format!(
                "Connection reference `{reference}`: the sign-in to {connector} expired and could not be renewed ({why}). Sign in again."
            ),
        ),
        RefreshError::Unavailable(why) => refuse(
            StatusCode::BAD_GATEWAY,
            "sign_in_unavailable",
            format!(
                "Connection reference `{reference}`: the sign-in to {connector} could not be renewed: {why}"
            ),
        ),
        RefreshError::Api(e) => e,
    }
}

/// The connection has to be signed in (OAuth 2.0) before it can be used.
pub fn needs_sign_in(reference: &str, connector: &str) -> ApiError {
    refuse(
        StatusCode::CONFLICT,
        "needs_sign_in",
        format!(
            "Connection reference `{reference}`: sign in to {connector} first (its connection uses OAuth 2.0 sign-in)."
        ),
    )
}
