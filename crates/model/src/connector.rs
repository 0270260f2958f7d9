//! Everything that crosses the wire between the designer and the connector proxy: the connector
//! catalog (index and detail), connections, connection references, environments, deployment
//! settings, users and sessions, favourites, and the API error body. Request bodies refuse
//! unknown fields.

use crate::catalog::ActionDef;
use crate::names::deserialize_by_name;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

// ---------------------------------------------------------------- errors

/// The body of every error response: `{"error":{"code":"…","message":"…"}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub error: ApiError,
}

/// A machine-readable code (`not_found`, `conflict`, `validation`, …) and a human sentence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    /// Extra facts for some codes, e.g. the references that bind a connection (`connection_in_use`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

// ---------------------------------------------------------------- catalog

/// How a connection authenticates to the connector's service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    None,
    ApiKey,
    Basic,
    Bearer,
    Oauth2,
}

deserialize_by_name!(AuthKind {
    None = "none",
    ApiKey = "api_key",
    Basic = "basic",
    Bearer = "bearer",
    Oauth2 = "oauth2",
});

/// Visibility of an action or parameter (`x-ms-visibility`); `internal` ones are hidden from makers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiVisibility {
    #[default]
    Normal,
    Important,
    Advanced,
    Internal,
}

deserialize_by_name!(ApiVisibility {
    Normal = "normal",
    Important = "important",
    Advanced = "advanced",
    Internal = "internal",
});

impl ApiVisibility {
    pub fn is_normal(&self) -> bool {
        *self == ApiVisibility::Normal
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The catalog index: what the action library and its search need, for every connector.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogIndex {
    pub connectors: Vec<ConnectorSummary>,
}

/// One connector in the index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectorSummary {
    /// Stable id (from the connector's folder name), e.g. `office365outlook`.
    pub id: String,
    pub name: String,
    /// Brand colour, `#rrggbb`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub color: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    #[serde(default)]
    pub auth: Vec<AuthKind>,
    pub actions: Vec<ActionSummary>,
}

/// One action in the index. Its full id in a flow is `connector:<connector id>/<id>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionSummary {
    /// The operation id.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "ApiVisibility::is_normal")]
    pub visibility: ApiVisibility,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

/// The action id a flow step uses for a connector operation.
pub fn action_id(connector_id: &str, operation_id: &str) -> String {
    format!("connector:{connector_id}/{operation_id}")
}

/// A link from `x-ms-connector-metadata` (website, privacy policy…).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// Everything about one connector, fetched on demand when the designer needs its parameters.
///
/// Only the designer reads this type from JSON (the proxy builds it from connector files), and
/// the parts it never shows (links, triggers, response schemas, OAuth settings) are skipped when
/// reading: their deserializers would be compiled into the designer's wasm for nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectorDetail {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub color: String,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(skip_deserializing)]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub publisher: String,
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub base_path: String,
    #[serde(default)]
    pub schemes: Vec<String>,
    #[serde(default)]
    pub auth: Vec<AuthKind>,
    /// The ways to create a connection; one set when the connector has no parameter sets.
    #[serde(default)]
    pub connection_parameter_sets: Vec<ConnectionParameterSet>,
    pub actions: Vec<ConnectorAction>,
    #[serde(skip_deserializing)]
    pub triggers: Vec<TriggerSummary>,
    /// How requests authenticate (`securityDefinitions`): where an API key goes, basic, OAuth.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<SecurityScheme>,
    /// The operation that checks a connection (`x-ms-capabilities.testConnection`); present
    /// when the connector can be tested ("Test connection").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_connection: Option<TestConnection>,
}

/// One entry of `securityDefinitions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecurityScheme {
    /// The definition's key.
    pub id: String,
    /// `api_key`, `basic` or `oauth2`.
    pub auth: AuthKind,
    /// API keys: `header` or `query`.
    #[serde(rename = "in", default, skip_serializing_if = "Option::is_none")]
    pub location: Option<ParamLocation>,
    /// API keys: the header or query parameter name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// `x-ms-capabilities.testConnection`: the operation to call, with fixed parameter values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestConnection {
    pub operation_id: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, serde_json::Value>,
}

impl ConnectorDetail {
    pub fn action(&self, operation_id: &str) -> Option<&ConnectorAction> {
        self.actions.iter().find(|a| a.operation_id == operation_id)
    }

    pub fn parameter_set(&self, name: Option<&str>) -> Option<&ConnectionParameterSet> {
        match name {
            Some(n) => self.connection_parameter_sets.iter().find(|s| s.name == n),
            None => self.connection_parameter_sets.first(),
        }
    }
}

/// A trigger operation: listed, not an action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TriggerSummary {
    pub operation_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// One connector operation: the designer's `ActionDef` plus what the proxy needs to call it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectorAction {
    pub operation_id: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// Path template relative to the base path, e.g. `/me/messages/{id}`.
    pub path: String,
    #[serde(default, skip_serializing_if = "ApiVisibility::is_normal")]
    pub visibility: ApiVisibility,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// `id` is `connector:<connector>/<operation>`, `category` the connector's display name;
    /// `params` are the visible inputs (internal ones are only in `bindings`).
    pub def: ActionDef,
    /// Where each input goes in the request, one per parameter (including internal ones).
    pub bindings: Vec<ParamBinding>,
    /// Schema of the successful response body, if declared (not read back: see `ConnectorDetail`).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub output: Option<Schema>,
}

/// Where a request parameter lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Body,
    FormData,
}

deserialize_by_name!(ParamLocation {
    Path = "path",
    Query = "query",
    Header = "header",
    Body = "body",
    FormData = "formData",
});

/// How one input of a connector action maps onto the HTTP request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParamBinding {
    /// Key in `Step::inputs` (equals `Param::name`); body fields are `body/a/b`.
    pub name: String,
    #[serde(rename = "in")]
    pub location: ParamLocation,
    /// Name in the request (parameter name, or property path for body fields).
    pub api_name: String,
    /// Swagger type (`string`, `integer`, …) and format (`date-time`, `binary`, …).
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub format: String,
    #[serde(default, skip_serializing_if = "ApiVisibility::is_normal")]
    pub visibility: ApiVisibility,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// `x-ms-dynamic-values`, kept verbatim for the designer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic_values: Option<serde_json::Value>,
}

/// A response schema, flattened from Swagger (references resolved, depth bounded).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub format: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Schema>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Schema>>,
}

/// A way of connecting (Power Platform `connectionParameterSets`), with its fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionParameterSet {
    pub name: String,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub auth: AuthKind,
    pub parameters: Vec<ConnectionParameter>,
}

/// The kind of a connection field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionParameterKind {
    String,
    /// Write-only: stored encrypted, never returned.
    SecureString,
    Int,
    Bool,
    /// Filled by signing in (OAuth 2.0), not by typing.
    Oauth,
    /// Not supported here (on-premises gateway…); the field is ignored.
    Unsupported,
}

deserialize_by_name!(ConnectionParameterKind {
    String = "string",
    SecureString = "secure_string",
    Int = "int",
    Bool = "bool",
    Oauth = "oauth",
    Unsupported = "unsupported",
});

/// One field of a connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionParameter {
    pub name: String,
    pub kind: ConnectionParameterKind,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub hidden: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_values: Vec<String>,
    /// Not read back (see `ConnectorDetail`): the proxy alone uses it.
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<OAuthSettings>,
}

/// OAuth 2.0 settings of a connector (client secrets are never part of this).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OAuthSettings {
    #[serde(default)]
    pub identity_provider: String,
    #[serde(default)]
    pub authorization_url: String,
    #[serde(default)]
    pub token_url: String,
    #[serde(default)]
    pub refresh_url: String,
    #[serde(default)]
    pub scopes: Vec<String>,
}

// ---------------------------------------------------------------- users and sessions

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub is_owner: bool,
}

/// `GET /api/setup`: whether the designer must show "Create owner account".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetupStatus {
    pub needs_owner: bool,
}

/// `POST /api/setup/owner` and `POST /api/users`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// `POST /api/session`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

/// The signed-in user and the token to send as `X-CSRF-Token` on state-changing requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub user: User,
    #[serde(default)]
    pub csrf_token: String,
}

/// `POST /api/tokens`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewApiToken {
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    /// The token itself: only in the response that creates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

// ---------------------------------------------------------------- environments

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    pub id: String,
    pub name: String,
}

/// `POST /api/environments` and `PATCH /api/environments/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentInput {
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub user: User,
}

// ---------------------------------------------------------------- connections

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStatus {
    Connected,
    Error,
    NeedsSignIn,
}

deserialize_by_name!(ConnectionStatus {
    Connected = "connected",
    Error = "error",
    NeedsSignIn = "needs_sign_in",
});

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

// ---------------------------------------------------------------- connection references

/// A named pointer to a connection in one environment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConnectionReference {
    pub logical_name: String,
    pub display_name: String,
    pub connector_id: String,
    /// Empty when unbound.
    #[serde(default)]
    pub connection_id: Option<String>,
    pub environment_id: String,
    /// The bound connection as the picker shows it (absent when unbound). Filled in every
    /// reference response, also when the caller may not use the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<BoundConnection>,
}

/// The connection a reference is bound to, as the reference picker shows it: never a secret,
/// nor more than Power Platform shows about someone else's connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundConnection {
    pub id: String,
    pub display_name: String,
    pub status: ConnectionStatus,
    /// The owner's display name.
    pub owner: String,
    /// Whether the caller may use it: owns it or it is shared with them.
    pub usable: bool,
}

/// `POST /api/environments/{env}/references`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConnectionReference {
    pub display_name: String,
    pub connector_id: String,
    /// Generated as `pb_<connector>_<4 hex>` when absent.
    #[serde(default)]
    pub logical_name: Option<String>,
    #[serde(default)]
    pub connection_id: Option<String>,
}

/// `PATCH /api/environments/{env}/references/{logical_name}`. `connection_id: null` unbinds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionReferenceUpdate {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub logical_name: Option<String>,
    /// Absent: unchanged; `null` or `""`: unbind; an id: bind.
    #[serde(default, deserialize_with = "double_option")]
    pub connection_id: Option<Option<String>>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A logical name for a new reference to `connector_id`: `pb_<connector>_<4 hex>`, the
/// connector part folded to lower-case letters, digits and `_` (the proxy and the designer both
/// propose names this way; `suffix` is random).
pub fn new_logical_name(connector_id: &str, suffix: u16) -> String {
    let mut base: String = connector_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    base.truncate(40);
    let base = base.trim_matches('_');
    let base = if base.is_empty() { "connector" } else { base };
    format!("pb_{base}_{suffix:04x}")
}

/// Is this a valid logical name? Letters, digits and `_`, starting with a letter, 3–64 long.
pub fn valid_logical_name(s: &str) -> bool {
    (3..=64).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

// ---------------------------------------------------------------- favourites

/// `GET`/`PUT /api/me/favourites`: the caller's favourite actions, by action id
/// (`connector:<connector>/<operation>` or a standard action's id), in the order shown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Favourites {
    pub actions: Vec<String>,
}

impl Favourites {
    /// The most favourites a user keeps.
    pub const MAX: usize = 500;
    /// The longest action id a favourite may be, in characters.
    pub const MAX_LEN: usize = 300;

    /// What is wrong with the list, naming the entry by index (never echoing its value).
    pub fn check(&self) -> Result<(), String> {
        if self.actions.len() > Self::MAX {
            return Err(format!(
                "actions: at most {} entries, not {}",
                Self::MAX,
                self.actions.len()
            ));
        }
        let mut seen = std::collections::HashMap::new();
        for (i, a) in self.actions.iter().enumerate() {
            let len = a.chars().count();
            if len == 0 || len > Self::MAX_LEN {
                return Err(format!(
                    "actions[{i}]: 1–{} characters, not {len}",
                    Self::MAX_LEN
                ));
            }
            if let Some(first) = seen.insert(a.as_str(), i) {
                return Err(format!("actions[{i}]: the same action as actions[{first}]"));
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- deployment settings

/// The Power Platform deployment settings file (only its connection references).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeploymentSettings {
    #[serde(rename = "ConnectionReferences", default)]
    pub connection_references: Vec<DeploymentReference>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentReference {
    #[serde(rename = "LogicalName")]
    pub logical_name: String,
    #[serde(rename = "ConnectionId", default)]
    pub connection_id: String,
    #[serde(rename = "ConnectorId")]
    pub connector_id: String,
}

/// What happened (or would have happened) to one entry of an imported settings file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentEntryReport {
    pub logical_name: String,
    /// `created`, `updated`, `unchanged` or `error`.
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// The answer to a deployment settings import: applied only when every entry is fine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeploymentImportReport {
    pub applied: bool,
    pub entries: Vec<DeploymentEntryReport>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_logical_names_are_valid() {
        assert_eq!(
            new_logical_name("office365outlook", 0x7f3a),
            "pb_office365outlook_7f3a"
        );
        assert_eq!(
            new_logical_name("Contoso-Tickets", 1),
            "pb_contoso_tickets_0001"
        );
        assert_eq!(new_logical_name("--", 0xffff), "pb_connector_ffff");
        assert!(valid_logical_name(&new_logical_name(&"x".repeat(100), 9)));
    }

    #[test]
    fn logical_names() {
        assert!(valid_logical_name("pb_outlook_7f3a"));
        assert!(!valid_logical_name("1abc"));
        assert!(!valid_logical_name("pb outlook"));
        assert!(!valid_logical_name("pb"));
    }

    #[test]
    fn reference_update_distinguishes_null_from_absent() {
        let u: ConnectionReferenceUpdate =
            serde_json::from_str(r#"{"connection_id":null}"#).unwrap();
        assert_eq!(u.connection_id, Some(None));
        let u: ConnectionReferenceUpdate = serde_json::from_str("{}").unwrap();
        assert_eq!(u.connection_id, None);
        assert!(serde_json::from_str::<ConnectionReferenceUpdate>(r#"{"x":1}"#).is_err());
    }

    #[test]
    fn favourites_name_the_bad_entry() {
        let f = |v: &[&str]| Favourites {
            actions: v.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(f(&[]).check(), Ok(()));
        assert_eq!(f(&["connector:x/op", "variables.set"]).check(), Ok(()));
        assert!(f(&["a", ""])
            .check()
            .unwrap_err()
            .starts_with("actions[1]:"));
        let long = "é".repeat(301);
        assert!(f(&[&long]).check().unwrap_err().starts_with("actions[0]:"));
        assert_eq!(f(&[&"é".repeat(300)]).check(), Ok(()));
        assert_eq!(
            f(&["a", "b", "a"]).check(),
            Err("actions[2]: the same action as actions[0]".into())
        );
        let many: Vec<String> = (0..501).map(|i| format!("a{i}")).collect();
        assert!(Favourites { actions: many }.check().is_err());
        assert!(serde_json::from_str::<Favourites>(r#"{"actions":[],"x":1}"#).is_err());
    }

    #[test]
    fn unbound_references_carry_no_connection() {
        let r = ConnectionReference {
            logical_name: "pb_x_0000".into(),
            ..Default::default()
        };
        let v = serde_json::to_value(&r).unwrap();
        assert!(v.get("connection").is_none());
        let back: ConnectionReference = serde_json::from_value(v).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn deployment_settings_shape() {
        let s: DeploymentSettings = serde_json::from_str(
            r#"{"ConnectionReferences":[{"LogicalName":"pb_x_0000","ConnectionId":"","ConnectorId":"x"}]}"#,
        )
        .unwrap();
        assert_eq!(s.connection_references[0].logical_name, "pb_x_0000");
    }
}
