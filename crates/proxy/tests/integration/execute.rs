//! `POST /api/environments/{env}/execute` against a real HTTP service (`echo_server`): each way
//! to send credentials, the request mapping (path, query, header, JSON body, formData, double URL
//! encoding, host templates), input checks, the answer's shapes (JSON, text, binary), dynamic
//! values, "Invoke web service", and every refusal and failure with the error it must give.

use crate::common::*;
use crate::echo_server::{self, EchoServer, BIG, KEY, PASSWORD, PICTURE, TOKEN, USER};
use axum::http::StatusCode;
use axum::Router;
use base64::Engine;
use plugboard_model::execute::dynamic::{DynamicOption, DynamicValues};
use plugboard_model::execute::{web_service, ExecuteRequest};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

/// The app with the shipped and echo connectors, calling only 127.0.0.1 (so 127.0.0.2 is
/// refused), with a 1 s timeout and a 64 KB answer cap.
fn app_for(t: &TestApp, echo: &EchoServer) -> Router {
    let dir = echo_server::connectors(&t.dir, &echo.host());
    t.with(&[shipped(), dir], |s| {
        s.upstream.allow = vec!["127.0.0.1".parse().unwrap()];
        s.upstream.timeout = Duration::from_secs(1);
        s.upstream.max_body_bytes = 64 * 1024;
    })
}

/// One test's app, its owner signed in, and the Development environment's id.
pub(crate) struct Ctx {
    pub(crate) app: Router,
    pub(crate) owner: Auth,
    env: String,
}

impl Ctx {
    async fn new(t: &TestApp, echo: &EchoServer) -> Ctx {
        Ctx::on(t, app_for(t, echo)).await
    }

    /// `app` (made by `t`) with its owner signed in.
    pub(crate) async fn on(t: &TestApp, app: Router) -> Ctx {
        let owner = t.owner().await;
        let env = t.dev_env(&owner).await;
        Ctx { app, owner, env }
    }

    /// A connection of `connector` with `values`, and a reference to it; the reference's name.
    pub(crate) async fn bound(&self, connector: &str, values: Value) -> String {
        let body = json!({"connector_id": connector, "display_name": connector, "values": values});
        let r = call_on(
            &self.app,
            "POST",
            "/api/connections",
            Some(body),
            &self.owner,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.body["id"].as_str().unwrap().to_string();
        self.reference(connector, Some(&id)).await
    }

    async fn reference(&self, connector: &str, connection: Option<&str>) -> String {
        let path = format!("/api/environments/{}/references", self.env);
        let body = json!({"display_name": connector, "connector_id": connector, "connection_id": connection});
        let r = call_on(&self.app, "POST", &path, Some(body), &self.owner).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body["logical_name"].as_str().unwrap().to_string()
    }

    /// Execute as the owner.
    pub(crate) async fn exec(
        &self,
        reference: Option<&str>,
        connector: &str,
        op: &str,
        inputs: Value,
    ) -> Resp {
        self.exec_as(&self.owner, reference, connector, op, inputs)
            .await
    }

    async fn exec_as(
        &self,
        auth: &Auth,
        reference: Option<&str>,
        connector: &str,
        op: &str,
        inputs: Value,
    ) -> Resp {
        let req = ExecuteRequest {
            reference: reference.map(str::to_string),
            connector_id: connector.into(),
            operation_id: op.into(),
            inputs: serde_json::from_value(inputs).unwrap(),
        };
        self.send_as(auth, &req).await
    }

    /// An execute request as the designer sends it.
    pub(crate) async fn send(&self, req: &ExecuteRequest) -> Resp {
        self.send_as(&self.owner, req).await
    }

    async fn send_as(&self, auth: &Auth, req: &ExecuteRequest) -> Resp {
        let path = format!("/api/environments/{}/execute", self.env);
        call_on(
            &self.app,
            "POST",
            &path,
            Some(serde_json::to_value(req).unwrap()),
            auth,
        )
        .await
    }
}

fn message(r: &Resp) -> &str {
    r.body["error"]["message"].as_str().unwrap_or("")
}

#[tokio::test]
async fn credentials_go_where_the_definition_says() {
    let echo = EchoServer::start().await;
    each_backend(async |t| {
        let c = Ctx::new(&t, &echo).await;
        for (connector, values, via) in [
            ("echo-key", json!({"api_key": KEY}), "header"),
            ("echo-query", json!({"api_key": KEY}), "query"),
            (
                "echo-basic",
                json!({"username": USER, "password": PASSWORD}),
                "basic",
            ),
            ("echo-bearer", json!({"token": TOKEN}), "bearer"),
        ] {
            let name = c.bound(connector, values).await;
            let r = c.exec(Some(&name), connector, "Check", json!({})).await;
            assert_eq!(r.status, StatusCode::OK, "{connector}: {}", r.text);
            assert_eq!(r.body["status"], 200);
            assert_eq!(r.body["body"]["via"], via, "{connector}");
            // The outputs are the answer's JSON: `%Result.body.value[0].subject%` reads it.
            assert_eq!(r.body["body"]["value"][0]["subject"], "Hello from echo");
            assert_eq!(r.body["body_kind"], "json");
        }
        // A wrong key: a failure with the service's status and reason, the echoed key scrubbed.
        let name = c
            .bound("echo-key", json!({"api_key": "wrong-key-0042"}))
            .await;
        let r = c.exec(Some(&name), "echo-key", "Check", json!({})).await;
        assert_eq!(r.status, StatusCode::BAD_GATEWAY, "{}", r.text);
        assert_eq!(code(&r), "upstream_status");
        assert_eq!(r.body["error"]["details"]["status"], 401);
        assert_eq!(
            message(&r),
            "Echo (key) answered HTTP 401 to Check: bad credentials: key=*** auth= query="
        );
        assert!(!r.text.contains("wrong-key-0042"));
    })
    .await;
}

#[tokio::test]
async fn requests_are_built_from_the_definition() {
    let echo = EchoServer::start().await;
    each_backend(async |t| {
        let c = Ctx::new(&t, &echo).await;
        let name = c.bound("echo-key", json!({"api_key": KEY})).await;
        let r = c.exec(Some(&name), "echo-key", "CreateTicket", json!({
            "queue": "support desk/1", "notify": "true", "X-Trace": "t-1",
            "body/title": "Printer on fire", "body/owner/email": "ann@example.com",
            "body/tags": ["hw", "urgent"], "body/due": "2026-12-01T09:30:00Z"
        })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let seen = &r.body["body"];
        assert_eq!(seen["method"], "POST");
        assert_eq!(seen["path"], "/echo/queues/support%20desk%2F1/tickets");
        assert_eq!(seen["query"], "notify=true&api-version=2026-01");
        assert_eq!(seen["headers"]["x-trace"], "t-1");
        assert_eq!(seen["headers"]["content-type"], "application/json");
        // The service echoed the key: the answer carries it scrubbed.
        assert_eq!(seen["headers"]["x-api-key"], "***");
        let sent: Value = serde_json::from_str(seen["body"].as_str().unwrap()).unwrap();
        assert_eq!(sent, json!({"title": "Printer on fire", "priority": "normal",
            "owner": {"email": "ann@example.com"}, "tags": ["hw", "urgent"], "due": "2026-12-01T09:30:00Z"}));
        // Only allow-listed headers come back: the ETag, never the cookie or the challenge.
        assert_eq!(r.body["headers"]["etag"], "\"v1\"");
        assert!(r.body["headers"].get("set-cookie").is_none(), "{}", r.text);
        assert!(r.body["headers"].get("www-authenticate").is_none());
        // x-ms-url-encoding: double.
        let r = c.exec(Some(&name), "echo-key", "GetItem", json!({"id": "a b/c"})).await;
        assert_eq!(r.body["body"]["path"], "/echo/items/a%2520b%252Fc", "{}", r.text);
        // formData, URL-encoded and multipart.
        let r = c.exec(Some(&name), "echo-key", "SubmitForm", json!({"name": "Ann & Bob", "count": "3"})).await;
        assert_eq!(r.body["body"]["headers"]["content-type"], "application/x-www-form-urlencoded", "{}", r.text);
        assert_eq!(r.body["body"]["body"], "name=Ann+%26+Bob&count=3");
        let file = json!({"$content-type": "text/csv", "$content": base64::engine::general_purpose::STANDARD.encode("a,b\n1,2")});
        let r = c.exec(Some(&name), "echo-key", "Upload", json!({"title": "Report", "file": file})).await;
        let ct = r.body["body"]["headers"]["content-type"].as_str().unwrap().to_string();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").expect(&ct);
        let body = r.body["body"]["body"].as_str().unwrap();
        assert!(body.contains(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nReport\r\n")), "{body}");
        assert!(body.contains("name=\"file\"; filename=\"file\"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\r\n"), "{body}");
    })
    .await;
}

#[tokio::test]
async fn host_templates_and_undeclared_hosts() {
    let echo = EchoServer::start().await;
    each_backend(async |t| {
        let c = Ctx::new(&t, &echo).await;
        let name = c.bound("echo-hosted", json!({"host": echo.host()})).await;
        let r = c
            .exec(Some(&name), "echo-hosted", "GetText", json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["body"], "plain words");
        assert_eq!(r.body["body_kind"], "text");
        // A value that would move the request to another host is refused before any call.
        let name = c
            .bound("echo-hosted", json!({"host": "evil.example/x?"}))
            .await;
        let r = c
            .exec(Some(&name), "echo-hosted", "GetText", json!({}))
            .await;
        assert_eq!(
            (r.status, code(&r)),
            (StatusCode::UNPROCESSABLE_ENTITY, "cannot_call"),
            "{}",
            r.text
        );
        assert_eq!(
            message(&r),
            "Echo (hosted): the connection's `host` is not a host name."
        );
        // The `dynamichosturl` policy: scheme, host and base path from the connection.
        let name = c
            .bound(
                "echo-templated",
                json!({"host": echo.host(), "tenant": "north wind"}),
            )
            .await;
        let r = c
            .exec(Some(&name), "echo-templated", "GetItem", json!({"id": "7"}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["body"]["path"], "/echo/north%20wind/echo/items/7");
        let name = c
            .bound(
                "echo-templated",
                json!({"host": "evil.example/x?", "tenant": "t"}),
            )
            .await;
        let r = c
            .exec(Some(&name), "echo-templated", "GetItem", json!({"id": "7"}))
            .await;
        assert_eq!(
            (r.status, message(&r)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Echo (templated): the connection's `host` is not a host name."
            ),
            "{}",
            r.text
        );
        let r = c.exec(None, "echo-nohost", "GetText", json!({})).await;
        assert_eq!(
            (r.status, code(&r)),
            (StatusCode::UNPROCESSABLE_ENTITY, "cannot_call"),
            "{}",
            r.text
        );
        assert_eq!(
            message(&r),
            "Echo (no host) declares no host Plugboard can call."
        );
    })
    .await;
}

#[tokio::test]
async fn bad_inputs_get_a_422_naming_the_input() {
    let echo = EchoServer::start().await;
    each_backend(async |t| {
        let c = Ctx::new(&t, &echo).await;
        let app = &c.app;
        let owner = &c.owner;
        let env = &c.env;
        let name = c.bound("echo-key", json!({"api_key": KEY})).await;
        for (inputs, expected) in [
            (
                json!({"queue": "q"}),
                "input `body/title` (Title): is required",
            ),
            (
                json!({"queue": "q", "body/title": "t", "body/priority": "urgent"}),
                "input `body/priority` (Priority): is not one of low, normal, high",
            ),
            (
                json!({"queue": "q", "body/title": "t", "notify": "maybe"}),
                "input `notify` (Notify): is not true or false",
            ),
            (
                json!({"queue": "q", "body/title": "t", "body/due": "tomorrow"}),
                "input `body/due` (due): is not a date and time like 2026-12-01T09:30:00Z",
            ),
            (
                json!({"queue": "q", "body/title": "t", "body/owner/email": "nobody"}),
                "input `body/owner/email` (email): is not an email address",
            ),
            (
                json!({"queue": "q", "body/title": "t", "colour": "red"}),
                "input `colour`: Create a ticket has no such input",
            ),
        ] {
            let r = c
                .exec(Some(&name), "echo-key", "CreateTicket", inputs)
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
            assert_eq!(code(&r), "validation");
            assert_eq!(message(&r), expected);
        }
        let r = c.exec(Some(&name), "echo-key", "Nope", json!({})).await;
        assert_eq!(
            (r.status, message(&r)),
            (StatusCode::NOT_FOUND, "Echo (key) has no operation `Nope`")
        );
        let r = c.exec(Some(&name), "nope", "Check", json!({})).await;
        assert_eq!(
            (r.status, message(&r)),
            (StatusCode::NOT_FOUND, "no connector `nope`")
        );
        let r = call_on(
            app,
            "POST",
            &format!("/api/environments/{env}/execute"),
            Some(
                json!({"connector_id": "echo-key", "operation_id": "Check", "connection_id": "x"}),
            ),
            owner,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    })
    .await;
}

#[tokio::test]
async fn answers_come_back_as_json_text_or_base64() {
    let echo = EchoServer::start().await;
    each_backend(async |t| {
        let c = Ctx::new(&t, &echo).await;
        let name = c.bound("echo-key", json!({"api_key": KEY})).await;
        let r = c
            .exec(Some(&name), "echo-key", "GetPicture", json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["body_kind"], "binary");
        assert_eq!(r.body["body"]["$content-type"], "image/png");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(r.body["body"]["$content"].as_str().unwrap())
            .unwrap();
        assert_eq!(bytes, PICTURE);
        let r = c.exec(Some(&name), "echo-key", "GetText", json!({})).await;
        assert_eq!(
            (&r.body["body"], &r.body["body_kind"]),
            (&json!("plain words"), &json!("text"))
        );
    })
    .await;
}

#[tokio::test]
async fn failures_say_what_and_where() {
    let echo = EchoServer::start().await;
    each_backend(async |t| {
        let c = Ctx::new(&t, &echo).await;
        let name = c.bound("echo-key", json!({"api_key": KEY})).await;
        let host = echo.host();
        for (op, status, code_, expected) in [
            (
                "Slow",
                StatusCode::GATEWAY_TIMEOUT,
                "upstream_timeout",
                format!("Echo (key) (Slow): {host} did not answer within 1 seconds."),
            ),
            (
                "Fail",
                StatusCode::BAD_GATEWAY,
                "upstream_status",
                "Echo (key) answered HTTP 503 to Fail: Service down for maintenance".to_string(),
            ),
            (
                "Big",
                StatusCode::BAD_GATEWAY,
                "upstream_too_large",
                format!("Echo (key) (Big): The answer of {host} is larger than 65536 bytes."),
            ),
            (
                "Redirect",
                StatusCode::BAD_GATEWAY,
                "upstream_refused",
                "Echo (key) (Redirect): Plugboard does not call loopback addresses: 127.0.0.2."
                    .to_string(),
            ),
        ] {
            let r = c.exec(Some(&name), "echo-key", op, json!({})).await;
            assert_eq!((r.status, code(&r)), (status, code_), "{op}: {}", r.text);
            assert_eq!(message(&r), expected, "{op}");
            assert!(
                r.body["error"]["details"]["reason"].is_string(),
                "{op}: {}",
                r.text
            );
        }
        const { assert!(BIG > 64 * 1024) };
        let r = c.exec(Some(&name), "echo-key", "Fail", json!({})).await;
        assert_eq!(
            r.body["error"]["details"],
            json!({"status": 503, "reason": "Service down for maintenance"})
        );
    })
    .await;
}

#[tokio::test]
async fn references_resolve_or_say_why_not() {
    let echo = EchoServer::start().await;
    each_backend(async |t| {
        let c = Ctx::new(&t, &echo).await;
        let app = &c.app;
        let owner = &c.owner;
        let env = &c.env;
        let ann = t.user(owner, "ann").await;
        call_on(app, "PUT", &format!("/api/environments/{env}/members/{}", ann.user_id), None, owner).await;
        let name = c.bound("echo-key", json!({"api_key": KEY})).await;
        let check = async |auth: &Auth, reference: Option<&str>, connector: &str| {
            c.exec_as(auth, reference, connector, "Check", json!({})).await
        };
        let r = check(owner, Some("pb_missing_0000"), "echo-key").await;
        assert_eq!((r.status, code(&r)), (StatusCode::NOT_FOUND, "reference_not_found"), "{}", r.text);
        assert_eq!(message(&r), "Connection reference `pb_missing_0000` does not exist in Development.");
        let unbound = c.reference("echo-key", None).await;
        let r = check(owner, Some(&unbound), "echo-key").await;
        assert_eq!((r.status, code(&r)), (StatusCode::CONFLICT, "reference_unbound"));
        assert_eq!(message(&r), format!("Connection reference `{unbound}` has no connection in Development: bind it to one first."));
        let r = check(owner, Some(&name), "echo-basic").await;
        assert_eq!((r.status, code(&r)), (StatusCode::CONFLICT, "reference_incompatible"));
        assert_eq!(message(&r), format!("Connection reference `{name}` is for Echo (key), not Echo (basic)."));
        // Ann is a member, but the connection is the owner's and not shared with her.
        let r = check(&ann, Some(&name), "echo-key").await;
        assert_eq!((r.status, code(&r)), (StatusCode::FORBIDDEN, "connection_not_usable"), "{}", r.text);
        let conn = call_on(app, "GET", &format!("/api/environments/{env}/references/{name}"), None, owner).await;
        let id = conn.body["connection_id"].as_str().unwrap().to_string();
        call_on(app, "PUT", &format!("/api/connections/{id}/shares/{}", ann.user_id), None, owner).await;
        let r = check(&ann, Some(&name), "echo-key").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        // Without a reference only a connector callable with no authentication runs.
        let r = check(owner, None, "echo-key").await;
        assert_eq!((r.status, message(&r)), (StatusCode::UNPROCESSABLE_ENTITY,
            "reference: Echo (key) is called through a connection reference; name one"));
        // An OAuth 2.0 connection has to be signed in first.
        let outlook = c.bound("office365outlook", json!({})).await;
        let r = c.exec(Some(&outlook), "office365outlook", "ListMailFolders", json!({})).await;
        assert_eq!((r.status, code(&r)), (StatusCode::CONFLICT, "needs_sign_in"), "{}", r.text);
        assert_eq!(message(&r), format!(
            "Connection reference `{outlook}`: sign in to Office 365 Outlook first (its connection uses OAuth 2.0 sign-in)."));
        // An environment the caller does not belong to does not exist for them.
        let r = call_on(app, "POST", "/api/environments", Some(json!({"name": "Production"})), owner).await;
        let prod = r.body["id"].as_str().unwrap().to_string();
        let body = json!({"reference": name, "connector_id": "echo-key", "operation_id": "Check"});
        let r = call_on(app, "POST", &format!("/api/environments/{prod}/execute"), Some(body), &ann).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let r = c.exec_as(&Auth::default(), Some(&name), "echo-key", "Check", json!({})).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn dynamic_values_list_through_the_same_path() {
    let echo = EchoServer::start().await;
    each_backend(async |t| {
        let c = Ctx::new(&t, &echo).await;
        let app = &c.app;
        let owner = &c.owner;
        let name = c.bound("echo-key", json!({"api_key": KEY})).await;
        let detail = call_on(app, "GET", "/api/connectors/echo-key", None, owner).await;
        let action = detail.body["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["operation_id"] == "GetQueue")
            .unwrap();
        let dv = DynamicValues::parse(&action["bindings"][0]["dynamic_values"]).unwrap();
        let req = dv
            .request("echo-key", Some(&name), &BTreeMap::new())
            .unwrap();
        let r = c.send(&req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(
            dv.options(&r.body["body"]).unwrap(),
            vec![
                DynamicOption {
                    value: "q1".into(),
                    title: "Support".into()
                },
                DynamicOption {
                    value: "q2".into(),
                    title: "Sales".into()
                },
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn invoke_web_service_runs_through_the_http_connector() {
    let echo = EchoServer::start().await;
    each_backend(async |t| {
        let c = Ctx::new(&t, &echo).await;
        let app = &c.app;
        let owner = &c.owner;
        let step = |url: String| {
            BTreeMap::from([
                ("url".to_string(), url),
                ("method".to_string(), "POST".to_string()),
                ("headers".to_string(), "X-Trace: web-1".to_string()),
                ("content_type".to_string(), "text/plain".to_string()),
                ("body".to_string(), "hello".to_string()),
            ])
        };
        let host = echo.host();
        let req =
            web_service::request(&step(format!("http://{host}/echo/hook?a=1")), None).unwrap();
        let r = c.send(&req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let out = &r.body["body"];
        assert_eq!(out["statusCode"], 200);
        assert_eq!(out["headers"]["etag"], "\"v1\"");
        assert_eq!(out["body"]["method"], "POST");
        assert_eq!(out["body"]["path"], "/echo/hook");
        assert_eq!(out["body"]["query"], "a=1");
        assert_eq!(out["body"]["headers"]["x-trace"], "web-1");
        assert_eq!(out["body"]["headers"]["content-type"], "text/plain");
        assert_eq!(out["body"]["body"], "hello");
        // With a generic HTTP connection, its credentials go along.
        let r = call_on(
            app,
            "POST",
            "/api/connections",
            Some(json!({"connector_id": "http",
            "display_name": "Echo key", "parameter_set": "apikey", "values": {"api_key": KEY}})),
            owner,
        )
        .await;
        let id = r.body["id"].as_str().unwrap().to_string();
        let name = c.reference("http", Some(&id)).await;
        let req = web_service::request(
            &BTreeMap::from([("url".to_string(), format!("http://{host}/check"))]),
            Some(&name),
        )
        .unwrap();
        let r = c.send(&req).await;
        assert_eq!(r.body["body"]["body"]["via"], "header", "{}", r.text);
        // The SSRF guard checks these addresses like any other.
        for (url, expected) in [
            (
                "http://127.0.0.2:9/x",
                "HTTP (InvokeHttp): Plugboard does not call loopback addresses: 127.0.0.2.",
            ),
            (
                "http://10.1.2.3/x",
                "HTTP (InvokeHttp): Plugboard does not call private addresses: 10.1.2.3.",
            ),
        ] {
            let req = web_service::request(&step(url.into()), None).unwrap();
            let r = c.send(&req).await;
            assert_eq!(
                (r.status, code(&r)),
                (StatusCode::BAD_GATEWAY, "upstream_refused"),
                "{}",
                r.text
            );
            assert_eq!(message(&r), expected);
        }
        let req = web_service::request(&step("ftp://example.com/x".into()), None).unwrap();
        let r = c.send(&req).await;
        assert_eq!(
            (r.status, message(&r)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "input `uri`: only http and https addresses are called."
            ),
            "{}",
            r.text
        );
        let mut bad = step(format!("http://{host}/echo/x"));
        bad.insert("headers".into(), "Host: evil.example".into());
        let req = web_service::request(&bad, None).unwrap();
        let r = c.send(&req).await;
        assert_eq!(
            message(&r),
            "input `headers`: `Host` is set by Plugboard, not by a step.",
            "{}",
            r.text
        );
    })
    .await;
}
