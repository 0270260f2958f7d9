//! `/api/openapi.json`: the API described as OpenAPI 3.0 (paths, methods, parameters, status
//! codes); `crates/proxy/README.md` has the prose.

use crate::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}

/// (method, path, summary, request body schema name, success status)
pub const ENDPOINTS: &[(&str, &str, &str, Option<&str>, u16)] = &[
    ("get", "/api/health", "Liveness and readiness: 503 without the database", None, 200),
    ("get", "/api/openapi.json", "This document", None, 200),
    (
        "get",
        "/api/setup",
        "Whether the owner account must be created",
        None,
        200,
    ),
    (
        "post",
        "/api/setup/owner",
        "Create the owner account (first start only); signs in",
        Some("NewUser"),
        201,
    ),
    (
        "get",
        "/api/session",
        "The signed-in user and the CSRF token",
        None,
        200,
    ),
    (
        "post",
        "/api/session",
        "Sign in; sets the session cookie",
        Some("SignIn"),
        200,
    ),
    ("delete", "/api/session", "Sign out", None, 204),
    ("get", "/api/users", "List users", None, 200),
    (
        "post",
        "/api/users",
        "Create a user (owner)",
        Some("NewUser"),
        201,
    ),
    (
        "delete",
        "/api/users/{user}",
        "Remove a user (owner)",
        None,
        204,
    ),
    ("get", "/api/tokens", "List my API tokens", None, 200),
    (
        "post",
        "/api/tokens",
        "Create an API token (shown once)",
        Some("NewApiToken"),
        201,
    ),
    (
        "delete",
        "/api/tokens/{token}",
        "Revoke an API token",
        None,
        204,
    ),
    (
        "get",
        "/api/connectors",
        "Catalog index: connectors and their actions",
        None,
        200,
    ),
    (
        "get",
        "/api/connectors/{connector}",
        "One connector with full parameter schemas",
        None,
        200,
    ),
    (
        "get",
        "/api/environments",
        "Environments I belong to",
        None,
        200,
    ),
    (
        "post",
        "/api/environments",
        "Create an environment (owner)",
        Some("EnvironmentInput"),
        201,
    ),
    (
        "get",
        "/api/environments/{env}",
        "One environment",
        None,
        200,
    ),
    (
        "patch",
        "/api/environments/{env}",
        "Rename an environment (owner)",
        Some("EnvironmentInput"),
        200,
    ),
    (
        "delete",
        "/api/environments/{env}",
        "Delete an environment and its references (owner)",
        None,
        204,
    ),
    (
        "get",
        "/api/environments/{env}/members",
        "Members of an environment",
        None,
        200,
    ),
    (
        "put",
        "/api/environments/{env}/members/{user}",
        "Add a member (owner)",
        None,
        204,
    ),
    (
        "delete",
        "/api/environments/{env}/members/{user}",
        "Remove a member (owner)",
        None,
        204,
    ),
    (
        "get",
        "/api/connections",
        "My connections and those shared with me (?connector=)",
        None,
        200,
    ),
    (
        "post",
        "/api/connections",
        "Create a connection",
        Some("NewConnection"),
        201,
    ),
    (
        "get",
        "/api/connections/{connection}",
        "One connection (never its secrets)",
        None,
        200,
    ),
    (
        "patch",
        "/api/connections/{connection}",
        "Rename or change fields (owner)",
        Some("ConnectionUpdate"),
        200,
    ),
    (
        "delete",
        "/api/connections/{connection}",
        "Delete (409 while references bind it, unless ?force=true)",
        None,
        204,
    ),
    (
        "get",
        "/api/connections/{connection}/shares",
        "Users it is shared with (owner)",
        None,
        200,
    ),
    (
        "put",
        "/api/connections/{connection}/shares/{user}",
        "Share use-only (owner)",
        None,
        204,
    ),
    (
        "delete",
        "/api/connections/{connection}/shares/{user}",
        "Stop sharing (owner)",
        None,
        204,
    ),
    (
        "post",
        "/api/connections/{connection}/test",
        "Test against the service (whoever may use it); the status follows a clear verdict",
        None,
        200,
    ),
    (
        "post",
        "/api/connectors/{connector}/test-connection",
        "Test typed connection fields before creating the connection (nothing stored)",
        Some("ConnectionTestInput"),
        200,
    ),
    (
        "get",
        "/api/environments/{env}/references",
        "Connection references (?connector= lists the compatible ones)",
        None,
        200,
    ),
    (
        "post",
        "/api/environments/{env}/references",
        "Create a connection reference",
        Some("NewConnectionReference"),
        201,
    ),
    (
        "get",
        "/api/environments/{env}/references/{logical_name}",
        "One connection reference",
        None,
        200,
    ),
    (
        "patch",
        "/api/environments/{env}/references/{logical_name}",
        "Rename, change logical name, bind or unbind",
        Some("ConnectionReferenceUpdate"),
        200,
    ),
    (
        "delete",
        "/api/environments/{env}/references/{logical_name}",
        "Delete a connection reference",
        None,
        204,
    ),
    (
        "get",
        "/api/environments/{env}/deployment-settings",
        "Export deployment settings",
        None,
        200,
    ),
    (
        "post",
        "/api/environments/{env}/deployment-settings",
        "Import deployment settings (all-or-nothing)",
        Some("DeploymentSettings"),
        200,
    ),
    (
        "post",
        "/api/environments/{env}/execute",
        "Run one connector action through a connection reference bound in this environment",
        Some("ExecuteRequest"),
        200,
    ),
    (
        "get",
        "/api/oauth/apps",
        "Every OAuth connector's app registration and the redirect URI (owner)",
        None,
        200,
    ),
    (
        "get",
        "/api/oauth/apps/{connector}",
        "A connector's OAuth app registration (owner; never the client secret)",
        None,
        200,
    ),
    (
        "put",
        "/api/oauth/apps/{connector}",
        "Register or change a connector's OAuth app (owner)",
        Some("OAuthAppUpdate"),
        200,
    ),
    (
        "delete",
        "/api/oauth/apps/{connector}",
        "Remove a connector's OAuth app registration (owner)",
        None,
        204,
    ),
    (
        "post",
        "/api/oauth/start",
        "Start signing a connection in (its owner): the provider's URL for the popup",
        Some("SignInStart"),
        200,
    ),
    (
        "get",
        "/api/oauth/callback",
        "The provider's answer (?code&state or ?error&state): an HTML page that tells the designer",
        None,
        200,
    ),
    (
        "get",
        "/api/me/favourites",
        "My favourite actions, in order",
        None,
        200,
    ),
    (
        "put",
        "/api/me/favourites",
        "Replace my favourite actions (at most 500, each 1–300 characters, no repeats)",
        Some("Favourites"),
        200,
    ),
    (
        "post",
        "/api/shares",
        "Store a short link's ciphertext (signed in; 201 new, 200 already stored; 413 too large, 429 rate_limited)",
        Some("ShareCiphertext"),
        201,
    ),
    (
        "get",
        "/api/shares/{id}",
        "A short link's ciphertext (no sign-in: the id and the key in the link are the capability)",
        None,
        200,
    ),
];

/// Response bodies described so far: (method, path, schema, is a list).
const RESPONSES: &[(&str, &str, &str, bool)] = &[
    (
        "get",
        "/api/environments/{env}/references",
        "ConnectionReference",
        true,
    ),
    (
        "post",
        "/api/environments/{env}/references",
        "ConnectionReference",
        false,
    ),
    (
        "get",
        "/api/environments/{env}/references/{logical_name}",
        "ConnectionReference",
        false,
    ),
    (
        "patch",
        "/api/environments/{env}/references/{logical_name}",
        "ConnectionReference",
        false,
    ),
    (
        "post",
        "/api/connections/{connection}/test",
        "ConnectionTestResult",
        false,
    ),
    (
        "post",
        "/api/connectors/{connector}/test-connection",
        "ConnectionTestResult",
        false,
    ),
    (
        "post",
        "/api/environments/{env}/execute",
        "ExecuteResult",
        false,
    ),
    ("get", "/api/oauth/apps", "OAuthApp", true),
    ("get", "/api/oauth/apps/{connector}", "OAuthApp", false),
    ("put", "/api/oauth/apps/{connector}", "OAuthApp", false),
    ("post", "/api/oauth/start", "SignInUrl", false),
    ("get", "/api/me/favourites", "Favourites", false),
    ("put", "/api/me/favourites", "Favourites", false),
    ("post", "/api/shares", "ShareId", false),
    ("get", "/api/shares/{id}", "ShareCiphertext", false),
];

fn schemas() -> Value {
    let s = |props: &[&str], required: &[&str]| {
        let p: Map<String, Value> = props
            .iter()
            .map(|n| ((*n).to_string(), json!({})))
            .collect();
        json!({ "type": "object", "additionalProperties": false, "properties": p, "required": required })
    };
    json!({
        "NewUser": s(&["username", "password", "display_name"], &["username", "password"]),
        "SignIn": s(&["username", "password"], &["username", "password"]),
        "NewApiToken": s(&["name"], &["name"]),
        "EnvironmentInput": s(&["name"], &["name"]),
        "NewConnection": s(&["connector_id", "display_name", "parameter_set", "values"], &["connector_id", "display_name"]),
        "ConnectionUpdate": s(&["display_name", "values"], &[]),
        "ConnectionTestInput": s(&["parameter_set", "values"], &[]),
        "ConnectionTestResult": {
            "type": "object",
            "description": "Whether the service accepted the connection; never its answer body nor a secret",
            "properties": {
                "ok": {"type": "boolean"},
                "status": {"type": "integer", "description": "the service's HTTP status, when it answered"},
                "message": {"type": "string", "description": "why it failed, as a sentence"},
                "connection_status": {"type": "string", "enum": ["connected", "error", "needs_sign_in"],
                    "description": "a saved connection's status after the test"}
            },
            "required": ["ok"]
        },
        "NewConnectionReference": s(&["display_name", "connector_id", "logical_name", "connection_id"], &["display_name", "connector_id"]),
        "ConnectionReferenceUpdate": s(&["display_name", "logical_name", "connection_id"], &[]),
        "ConnectionReference": {
            "type": "object",
            "properties": {
                "logical_name": {"type": "string"}, "display_name": {"type": "string"},
                "connector_id": {"type": "string"}, "connection_id": {"type": "string", "nullable": true},
                "environment_id": {"type": "string"},
                "connection": { "$ref": "#/components/schemas/BoundConnection" }
            },
            "required": ["logical_name", "display_name", "connector_id", "environment_id"]
        },
        "BoundConnection": {
            "type": "object",
            "description": "The bound connection (absent when unbound); shown also when the caller may not use it (usable: false)",
            "properties": {
                "id": {"type": "string"}, "display_name": {"type": "string"},
                "status": {"type": "string", "enum": ["connected", "error", "needs_sign_in"]},
                "owner": {"type": "string", "description": "the owner's display name"},
                "usable": {"type": "boolean", "description": "the caller owns it or it is shared with them"}
            },
            "required": ["id", "display_name", "status", "owner", "usable"]
        },
        "ExecuteRequest": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "reference": {"type": "string", "description": "the connection reference's logical name; absent only for a connector callable without authentication (Invoke web service)"},
                "connector_id": {"type": "string"},
                "operation_id": {"type": "string"},
                "inputs": {"type": "object", "description": "by input key: parameter names, body fields body/<prop>/…"}
            },
            "required": ["connector_id", "operation_id"]
        },
        "ExecuteResult": {
            "type": "object",
            "description": "A 2xx answer of the service. Failures are errors whose details are ExecuteFailure",
            "properties": {
                "status": {"type": "integer"},
                "headers": {"type": "object", "additionalProperties": {"type": "string"},
                    "description": "allow-listed answer headers, lower case"},
                "body": {"description": "JSON as sent, text as a string, else {\"$content-type\", \"$content\": base64}; secrets scrubbed"},
                "body_kind": {"type": "string", "enum": ["empty", "json", "text", "binary"]}
            },
            "required": ["status", "headers", "body", "body_kind"]
        },
        "ExecuteFailure": {
            "type": "object",
            "description": "error.details of upstream_status, upstream_timeout, upstream_refused, upstream_too_large, upstream_unreachable",
            "properties": {
                "status": {"type": "integer", "description": "the service's HTTP status, when it answered"},
                "reason": {"type": "string", "description": "a short reason, never a credential"}
            },
            "required": ["reason"]
        },
        "OAuthApp": {
            "type": "object",
            "description": "A connector's OAuth app registration; the client secret only as client_secret_set",
            "properties": {
                "connector_id": {"type": "string"}, "registered": {"type": "boolean"},
                "client_id": {"type": "string"}, "client_secret_set": {"type": "boolean"},
                "tenant": {"type": "string", "description": "aad only: tenant id or domain, or an https:// authority URL"},
                "extra_scopes": {"type": "array", "items": {"type": "string"}},
                "redirect_uri": {"type": "string", "description": "to register with the provider"}
            },
            "required": ["connector_id", "registered", "redirect_uri"]
        },
        "OAuthAppUpdate": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "client_id": {"type": "string", "maxLength": 512},
                "client_secret": {"type": "string", "maxLength": 4096, "description": "absent: kept; empty: removed"},
                "tenant": {"type": "string"},
                "extra_scopes": {"type": "array", "maxItems": 50, "items": {"type": "string"}}
            },
            "required": ["client_id"]
        },
        "SignInStart": s(&["connection_id"], &["connection_id"]),
        "SignInUrl": {
            "type": "object",
            "properties": { "authorization_url": {"type": "string"} },
            "required": ["authorization_url"]
        },
        "Favourites": {
            "type": "object",
            "additionalProperties": false,
            "properties": { "actions": { "type": "array", "maxItems": 500, "uniqueItems": true,
                "items": { "type": "string", "minLength": 1, "maxLength": 300 } } },
            "required": ["actions"]
        },
        "ShareCiphertext": {
            "type": "object",
            "additionalProperties": false,
            "description": "A share link's payload encrypted by the browser with AES-GCM (12-byte nonce, then ciphertext and tag) under a key only the link holds",
            "properties": { "ciphertext": { "type": "string", "pattern": "^[A-Za-z0-9_-]+$",
                "description": "base64url without padding; 29 to 524,288 bytes decoded" } },
            "required": ["ciphertext"]
        },
        "ShareId": {
            "type": "object",
            "properties": { "id": { "type": "string", "minLength": 22, "maxLength": 22,
                "description": "base64url of the first 16 bytes of the ciphertext's SHA-256" } },
            "required": ["id"]
        },
        "DeploymentSettings": {
            "type": "object",
            "properties": { "ConnectionReferences": { "type": "array", "items": {
                "type": "object",
                "properties": { "LogicalName": {"type": "string"}, "ConnectionId": {"type": "string"}, "ConnectorId": {"type": "string"} },
                "required": ["LogicalName", "ConnectorId"]
            }}}
        },
        "Error": {
            "type": "object",
            "properties": { "error": { "type": "object", "properties": {
                "code": {"type": "string"}, "message": {"type": "string"}, "details": {}
            }, "required": ["code", "message"] } },
            "required": ["error"]
        }
    })
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for (method, path, summary, body, status) in ENDPOINTS {
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": {"type": "string"} }))
            .collect();
        let mut success = json!({ "description": "success" });
        if let Some((.., schema, list)) =
            RESPONSES.iter().find(|(m, p, ..)| m == method && p == path)
        {
            let one = json!({ "$ref": format!("#/components/schemas/{schema}") });
            let schema = if *list {
                json!({ "type": "array", "items": one })
            } else {
                one
            };
            success["content"] = json!({ "application/json": { "schema": schema } });
        }
        let mut op = json!({
            "summary": summary,
            "parameters": params,
            "responses": {
                status.to_string(): success,
                "default": { "description": "error", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        });
        if let Some(b) = body {
            op["requestBody"] = json!({ "required": true, "content": { "application/json": {
                "schema": { "$ref": format!("#/components/schemas/{b}") } } } });
        }
        paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|m| m.insert(method.to_string(), op));
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Plugboard connector proxy", "version": env!("CARGO_PKG_VERSION") },
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "pb_session" },
                "token": { "type": "http", "scheme": "bearer" }
            }
        },
        "security": [ { "session": [] }, { "token": [] } ],
        "paths": paths
    })
}
