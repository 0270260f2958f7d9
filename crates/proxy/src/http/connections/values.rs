//! A connection's fields checked against its connector's connection parameters: unknown fields,
//! kinds, allowed values, defaults and required ones; then split into plain settings (stored as
//! JSON) and secrets (sealed by `secrets.rs`).

use crate::error::{ApiError, ApiResult};
use plugboard_model::connector::{
    ConnectionParameterKind, ConnectionParameterSet, ConnectionStatus, ConnectorDetail,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Longest accepted field value.
const MAX_VALUE_LEN: usize = 8 * 1024;

/// The non-secret part of a connection, stored as JSON in `settings`.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct Settings {
    pub(super) values: BTreeMap<String, String>,
    pub(super) secrets_set: Vec<String>,
}

/// Values split into plain settings and secrets, after validation.
pub(super) struct Checked {
    pub(super) settings: Settings,
    pub(super) secrets: BTreeMap<String, String>,
    pub(super) status: ConnectionStatus,
}

pub(super) fn check_values(
    connector: &ConnectorDetail,
    set: &ConnectionParameterSet,
    values: &BTreeMap<String, Value>,
    keep_secrets: BTreeMap<String, String>,
) -> ApiResult<Checked> {
    let mut settings = Settings::default();
    let mut secrets = keep_secrets;
    for (name, v) in values {
        let Some(p) = set.parameters.iter().find(|p| &p.name == name) else {
            return Err(ApiError::Validation(format!(
                "unknown field `{name}` for {} ({})",
                connector.name, set.display_name
            )));
        };
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) if p.kind == ConnectionParameterKind::Int => n.to_string(),
            Value::Bool(b) if p.kind == ConnectionParameterKind::Bool => b.to_string(),
            Value::Null => continue,
            _ => {
                return Err(ApiError::Validation(format!(
                    "field `{name}` must be a string"
                )))
            }
        };
        if text.len() > MAX_VALUE_LEN {
            return Err(ApiError::Validation(format!(
                "field `{name}` is longer than {MAX_VALUE_LEN} bytes"
            )));
        }
        match p.kind {
            ConnectionParameterKind::Oauth => {
                return Err(ApiError::Validation(format!(
                    "field `{name}` is filled by signing in, not by a value"
                )))
            }
            ConnectionParameterKind::Unsupported => {
                return Err(ApiError::Validation(format!(
                    "field `{name}` is of a kind this proxy does not support"
                )))
            }
            ConnectionParameterKind::Int if text.parse::<i64>().is_err() => {
                return Err(ApiError::Validation(format!(
                    "field `{name}` must be a whole number"
                )))
            }
            ConnectionParameterKind::Bool if text != "true" && text != "false" => {
                return Err(ApiError::Validation(format!(
                    "field `{name}` must be true or false"
                )))
            }
            _ => {}
        }
        if !p.allowed_values.is_empty() && !p.allowed_values.contains(&text) {
            return Err(ApiError::Validation(format!(
                "field `{name}` must be one of: {}",
                p.allowed_values.join(", ")
            )));
        }
        if p.kind == ConnectionParameterKind::SecureString {
            secrets.insert(name.clone(), text);
        } else {
            settings.values.insert(name.clone(), text);
        }
    }
    for p in &set.parameters {
        let present = settings.values.contains_key(&p.name) || secrets.contains_key(&p.name);
        if present
            || matches!(
                p.kind,
                ConnectionParameterKind::Oauth | ConnectionParameterKind::Unsupported
            )
        {
            continue;
        }
        if let Some(d) = &p.default {
            if p.kind != ConnectionParameterKind::SecureString {
                settings.values.insert(p.name.clone(), d.clone());
                continue;
            }
        }
        if p.required {
            return Err(ApiError::Validation(format!(
                "missing required field `{}` ({})",
                p.name, p.display_name
            )));
        }
    }
    // A sign-in's tokens are kept with the secrets but are no field of the connection.
    settings.secrets_set = secrets
        .keys()
        .filter(|k| !crate::oauth::is_token(k))
        .cloned()
        .collect();
    let status = if set
        .parameters
        .iter()
        .any(|p| p.kind == ConnectionParameterKind::Oauth)
    {
        ConnectionStatus::NeedsSignIn
    } else {
        ConnectionStatus::Connected
    };
    Ok(Checked {
        settings,
        secrets,
        status,
    })
}

/// Typed fields of a connection not yet created, checked as `POST /api/connections` checks them:
/// the plain values (defaults filled in) and the secrets.
pub(crate) fn checked_fields(
    connector: &ConnectorDetail,
    set: &ConnectionParameterSet,
    values: &BTreeMap<String, Value>,
) -> ApiResult<(BTreeMap<String, String>, BTreeMap<String, String>)> {
    let c = check_values(connector, set, values, BTreeMap::new())?;
    Ok((c.settings.values, c.secrets))
}
