//! The connector catalog on the wire: the index the action library searches, and one connector's
//! detail (actions, request bindings, response schemas, security definitions, connection fields).

use crate::catalog::ActionDef;
use crate::names::enum_by_name;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

enum_by_name! {
    /// How a connection authenticates to the connector's service.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    pub enum AuthKind {
        None = "none",
        ApiKey = "api_key",
        Basic = "basic",
        Bearer = "bearer",
        Oauth2 = "oauth2",
    }
}

enum_by_name! {
    /// Visibility of an action or parameter (`x-ms-visibility`); `internal` ones are hidden from makers.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
    pub enum ApiVisibility {
        #[default]
        Normal = "normal",
        Important = "important",
        Advanced = "advanced",
        Internal = "internal",
    }
}

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

/// `(connector id, operation id)` of a connector action id `connector:<connector>/<operation>`
/// (the inverse of `action_id`); `None` for any other action id, and for one with an empty
/// connector or operation. The operation is everything after the first `/`.
pub fn connector_of(action: &str) -> Option<(&str, &str)> {
    let (connector, operation) = action.strip_prefix("connector:")?.split_once('/')?;
    (!connector.is_empty() && !operation.is_empty()).then_some((connector, operation))
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
    /// The address of Power Platform's `dynamichosturl` policy, e.g.
    /// `https://@connectionParameters('instance').example.com/api`: when set, it replaces scheme,
    /// host and base path (only the proxy calls services: not read back).
    #[serde(skip_deserializing, skip_serializing_if = "String::is_empty")]
    pub host_url: String,
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
    /// The media types the operation accepts (`consumes`, the operation's or the document's):
    /// `multipart/form-data` makes its formData a multipart body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consumes: Vec<String>,
    /// Schema of the successful response body, if declared (not read back: see `ConnectorDetail`).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub output: Option<Schema>,
}

enum_by_name! {
    /// Where a request parameter lives.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
    pub enum ParamLocation {
        Path = "path",
        Query = "query",
        Header = "header",
        Body = "body",
        FormData = "formData",
    }
}

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
    /// `x-ms-dynamic-values` (or `x-ms-dynamic-list`), kept verbatim for the designer; read
    /// with `execute::dynamic::DynamicValues::parse`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamic_values: Option<serde_json::Value>,
    /// `x-ms-url-encoding` of a path parameter: `double` percent-encodes the value twice.
    #[serde(default, skip_serializing_if = "UrlEncoding::is_single")]
    pub url_encoding: UrlEncoding,
}

enum_by_name! {
    /// How a path parameter's value is percent-encoded (`x-ms-url-encoding`).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
    pub enum UrlEncoding {
        #[default]
        Single = "single",
        Double = "double",
    }
}

impl UrlEncoding {
    pub fn is_single(&self) -> bool {
        *self == UrlEncoding::Single
    }
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

enum_by_name! {
    /// The kind of a connection field.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
    pub enum ConnectionParameterKind {
        String = "string",
        /// Write-only: stored encrypted, never returned.
        SecureString = "secure_string",
        Int = "int",
        Bool = "bool",
        /// Filled by signing in (OAuth 2.0), not by typing.
        Oauth = "oauth",
        /// Not supported here (on-premises gateway…); the field is ignored.
        Unsupported = "unsupported",
    }
}

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
