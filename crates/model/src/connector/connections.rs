//! Connections as the browser sees them (never a secret), the requests that create, change and
//! test them, and their status.

use super::User;
use crate::names::enum_by_name;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

enum_by_name! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
    pub enum ConnectionStatus {
        Connected = "connected",
        Error = "error",
        NeedsSignIn = "needs_sign_in",
    }
}

impl ConnectionStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            ConnectionStatus::Connected => "connected",
            ConnectionStatus::Error => "error",
            ConnectionStatus::NeedsSignIn => "needs_sign_in",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "connected" => ConnectionStatus::Connected,
            "error" => ConnectionStatus::Error,
            "needs_sign_in" => ConnectionStatus::NeedsSignIn,
            _ => return None,
        })
    }
}

/// A connection as the browser sees it: never a secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionSummary {
    pub id: String,
    pub display_name: String,
    pub connector_id: String,
    pub parameter_set: String,
    pub status: ConnectionStatus,
    pub owner: User,
    /// Whether the caller owns it (otherwise it is shared with them, use-only).
    pub is_mine: bool,
    /// Non-secret field values (secure strings are write-only and never appear here).
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// Names of the secret fields that hold a value.
    #[serde(default)]
    pub secrets_set: Vec<String>,
    pub created_at: i64,
}

/// `POST /api/connections`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConnection {
    pub connector_id: String,
    pub display_name: String,
    /// Name of the connection parameter set; the first when absent.
    #[serde(default)]
    pub parameter_set: Option<String>,
    /// Field values by connection parameter name (strings; numbers and booleans as text).
    #[serde(default)]
    pub values: BTreeMap<String, serde_json::Value>,
}

/// `POST /api/connections/{id}/test` and `POST /api/connectors/{id}/test-connection`: whether
/// the service accepted the connection. Never holds the service's answer body or a secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionTestResult {
    pub ok: bool,
    /// The service's HTTP status, when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why it failed, as a sentence (absent when `ok`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// A saved connection's status after the test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_status: Option<ConnectionStatus>,
}

/// `POST /api/connectors/{id}/test-connection`: the fields of a connection not yet created (the
/// same as `NewConnection`'s, with no name).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionTestInput {
    #[serde(default)]
    pub parameter_set: Option<String>,
    #[serde(default)]
    pub values: BTreeMap<String, serde_json::Value>,
}

/// `PATCH /api/connections/{id}`: rename and/or replace field values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionUpdate {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub values: Option<BTreeMap<String, serde_json::Value>>,
}
