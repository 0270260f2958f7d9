//! A real HTTP service for the execute tests: axum on an ephemeral 127.0.0.1 port inside the
//! test binary, and the test connectors written against it (`echo-*`: one per way to send
//! credentials, one with a host template, one with no host). `/echo/…` answers with the request
//! it got, credentials included, as a careless service would; `/check` accepts only the right
//! credentials and echoes wrong ones in its refusal. The rest answer slowly, with 503, too much,
//! a redirect to 127.0.0.2, an image, text, or a list for dynamic values.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const KEY: &str = "ek_live_4f7a19c2";
pub const USER: &str = "echo-user";
pub const PASSWORD: &str = "echo-pass-61d0";
pub const TOKEN: &str = "et_bearer_b82e77";
/// The bytes `/binary` answers (a PNG signature and a few bytes that are not UTF-8).
pub const PICTURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00];
/// `/big` answers this many bytes.
pub const BIG: usize = 200 * 1024;

pub struct EchoServer {
    pub port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for EchoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl EchoServer {
    pub async fn start() -> EchoServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let app = Router::new()
            .route("/echo/{*rest}", any(echo))
            .route("/check", any(check))
            .route("/slow", get(slow))
            .route("/fail", get(fail))
            .route("/big", get(big))
            .route("/redirect", get(move || redirect(port)))
            .route("/binary", get(binary))
            .route("/text", get(text))
            .route("/list", get(list));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        EchoServer { port, task }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

fn headers_json(h: &HeaderMap) -> Value {
    let mut out = serde_json::Map::new();
    for (k, v) in h {
        out.insert(k.to_string(), String::from_utf8_lossy(v.as_bytes()).into());
    }
    Value::Object(out)
}

/// The request as JSON, with headers a service should not send on (a cookie, an ETag to keep).
async fn echo(req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let answer = json!({
        "method": parts.method.as_str(),
        "path": parts.uri.path(),
        "query": parts.uri.query().unwrap_or(""),
        "headers": headers_json(&parts.headers),
        "body": String::from_utf8_lossy(&body),
    });
    (
        [
            (header::SET_COOKIE, "session=upstream-cookie"),
            (header::ETAG, "\"v1\""),
            (header::WWW_AUTHENTICATE, "Basic realm=\"echo\""),
        ],
        Json(answer),
    )
        .into_response()
}

/// 200 with the way the credentials came, or 401 echoing what was sent.
async fn check(req: Request) -> Response {
    let h = req.headers();
    let auth = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let key = h
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let query = req.uri().query().unwrap_or("");
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
    );
    let via = if key == KEY {
        "header"
    } else if query.split('&').any(|kv| kv == format!("code={KEY}")) {
        "query"
    } else if auth == basic {
        "basic"
    } else if auth == format!("Bearer {TOKEN}") {
        "bearer"
    } else {
        let sent = format!("bad credentials: key={key} auth={auth} query={query}");
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"code": "denied", "message": sent}})),
        )
            .into_response();
    };
    Json(json!({"via": via, "value": [{"subject": "Hello from echo", "id": 1}]})).into_response()
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn fail() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({"error": {"message": "Service down for maintenance"}})),
    )
        .into_response()
}

async fn big() -> Response {
    let body = format!("[\"{}\"]", "x".repeat(BIG));
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn redirect(port: u16) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, format!("http://127.0.0.2:{port}/check"))],
    )
        .into_response()
}

async fn binary() -> Response {
    (
        [(header::CONTENT_TYPE, "image/png")],
        Body::from(PICTURE.to_vec()),
    )
        .into_response()
}

async fn text() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "plain words",
    )
        .into_response()
}

async fn list() -> Json<Value> {
    Json(json!({"value": [{"id": "q1", "name": "Support"}, {"id": "q2", "name": "Sales"}]}))
}

// ---------------------------------------------------------------- the test connectors

fn op(id: &str, summary: &str, extra: Value) -> Value {
    let mut o =
        json!({"operationId": id, "summary": summary, "responses": {"200": {"description": "OK"}}});
    if let (Some(o), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
        o.extend(extra.clone());
    }
    o
}

/// The Swagger of an echo connector at `host` with `security`.
fn definition(title: &str, host: &str, security: Value) -> Value {
    let listed = json!({"200": {"description": "OK", "schema": {"type": "object", "properties": {
        "via": {"type": "string"},
        "value": {"type": "array", "items": {"type": "object", "properties": {"subject": {"type": "string"}}}}
    }}}});
    json!({
        "swagger": "2.0",
        "info": {"title": title, "version": "1.0"},
        "host": host, "basePath": "/", "schemes": ["http"],
        "securityDefinitions": security,
        "paths": {
            "/echo/queues/{queue}/tickets": {"post": op("CreateTicket", "Create a ticket", json!({
                "parameters": [
                    {"name": "queue", "in": "path", "required": true, "type": "string", "x-ms-summary": "Queue"},
                    {"name": "notify", "in": "query", "type": "boolean", "x-ms-summary": "Notify"},
                    {"name": "X-Trace", "in": "header", "type": "string"},
                    {"name": "api-version", "in": "query", "type": "string", "default": "2026-01", "x-ms-visibility": "internal"},
                    {"name": "body", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Ticket"}}
                ]
            }))},
            "/echo/items/{id}": {"get": op("GetItem", "Get an item", json!({
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string", "x-ms-url-encoding": "double"}]
            }))},
            "/echo/form": {"post": op("SubmitForm", "Submit a form", json!({
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [
                    {"name": "name", "in": "formData", "required": true, "type": "string"},
                    {"name": "count", "in": "formData", "type": "integer"}
                ]
            }))},
            "/echo/upload": {"post": op("Upload", "Upload a file", json!({
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "title", "in": "formData", "type": "string"},
                    {"name": "file", "in": "formData", "required": true, "type": "file"}
                ]
            }))},
            "/echo/queue": {"get": op("GetQueue", "Get a queue", json!({
                "parameters": [{"name": "queue", "in": "query", "required": true, "type": "string",
                    "x-ms-dynamic-values": {"operationId": "ListQueues", "value-collection": "value",
                        "value-path": "id", "value-title": "name"}}]
            }))},
            "/check": {"get": op("Check", "Check the credentials", json!({"responses": listed}))},
            "/list": {"get": op("ListQueues", "List queues", json!({}))},
            "/slow": {"get": op("Slow", "Answer slowly", json!({}))},
            "/fail": {"get": op("Fail", "Fail", json!({}))},
            "/big": {"get": op("Big", "Answer too much", json!({}))},
            "/redirect": {"get": op("Redirect", "Redirect to a private address", json!({}))},
            "/binary": {"get": op("GetPicture", "Get a picture", json!({}))},
            "/text": {"get": op("GetText", "Get text", json!({}))}
        },
        "definitions": {"Ticket": {"type": "object", "required": ["title"], "properties": {
            "title": {"type": "string", "x-ms-summary": "Title"},
            "priority": {"type": "string", "enum": ["low", "normal", "high"], "default": "normal", "x-ms-summary": "Priority"},
            "due": {"type": "string", "format": "date-time"},
            "owner": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}},
            "tags": {"type": "array", "items": {"type": "string"}}
        }}}
    })
}

fn secure(name: &str) -> Value {
    json!({name: {"type": "securestring", "uiDefinition": {"displayName": name, "constraints": {"required": "true"}}}})
}

fn write(dir: &Path, folder: &str, def: Value, params: Value) {
    let d = dir.join(folder);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("apiDefinition.swagger.json"), def.to_string()).unwrap();
    let props =
        json!({"properties": {"publisher": "Plugboard tests", "connectionParameters": params}});
    std::fs::write(d.join("apiProperties.json"), props.to_string()).unwrap();
}

/// The echo connectors for a server at `host`, in a new folder under `dir`:
/// `echo-key` (API key in the `X-API-Key` header), `echo-query` (in the `code` query
/// parameter), `echo-basic`, `echo-bearer` (a bearer token), `echo-hosted` (host `{host}`
/// from the connection, no credentials) and `echo-nohost` (no host at all).
pub fn connectors(dir: &Path, host: &str) -> PathBuf {
    let out = dir.join(format!("echo-connectors-{}", uuid::Uuid::new_v4().simple()));
    let key = |at: &str, name: &str| json!({"key": {"type": "apiKey", "in": at, "name": name}});
    write(
        &out,
        "echo-key",
        definition("Echo (key)", host, key("header", "X-API-Key")),
        secure("api_key"),
    );
    write(
        &out,
        "echo-query",
        definition("Echo (query)", host, key("query", "code")),
        secure("api_key"),
    );
    let basic_params = json!({
        "username": {"type": "string", "uiDefinition": {"displayName": "User", "constraints": {"required": "true"}}},
        "password": {"type": "securestring", "uiDefinition": {"displayName": "Password", "constraints": {"required": "true"}}}
    });
    write(
        &out,
        "echo-basic",
        definition("Echo (basic)", host, json!({"basic": {"type": "basic"}})),
        basic_params,
    );
    // A bearer token: a parameter set that says so (the generic HTTP connector's way).
    let d = out.join("echo-bearer");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("apiDefinition.swagger.json"),
        definition("Echo (bearer)", host, json!({})).to_string(),
    )
    .unwrap();
    let props = json!({"properties": {"connectionParameterSets": {"values": [{
        "name": "bearer", "metadata": {"authKind": "bearer"},
        "uiDefinition": {"displayName": "Bearer token"}, "parameters": secure("token")
    }]}}});
    std::fs::write(d.join("apiProperties.json"), props.to_string()).unwrap();
    let host_param = json!({"host": {"type": "string", "uiDefinition": {"displayName": "Host", "constraints": {"required": "true"}}}});
    write(
        &out,
        "echo-hosted",
        definition("Echo (hosted)", "{host}", json!({})),
        host_param.clone(),
    );
    let mut host_param = host_param;
    host_param["tenant"] = json!({"type": "string", "uiDefinition": {"displayName": "Tenant"}});
    // Power Platform's `dynamichosturl` policy: the address comes from the connection.
    let d = out.join("echo-templated");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("apiDefinition.swagger.json"),
        definition("Echo (templated)", "unused.invalid", json!({})).to_string(),
    )
    .unwrap();
    let props = json!({"properties": {"connectionParameters": host_param,
        "policyTemplateInstances": [{"templateId": "dynamichosturl", "title": "Host",
            "parameters": {"x-ms-apimTemplateParameter.urlTemplate": "http://@connectionParameters('host')/echo/@connectionParameters('tenant')"}}]}});
    std::fs::write(d.join("apiProperties.json"), props.to_string()).unwrap();
    let mut nohost = definition("Echo (no host)", "", json!({}));
    nohost.as_object_mut().unwrap().remove("host");
    write(&out, "echo-nohost", nohost, json!({}));
    out
}
