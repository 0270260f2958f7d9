//! The canary: connections made with a known secret, tested and executed against services that
//! echo what they get, and an OAuth app whose client secret it is, signed in, refreshed and
//! refused; then every API response, the log output and the raw database files are scanned for
//! it and for the OAuth access and refresh tokens the provider issued. Zero hits allowed.
//!
//! Its own test binary: it captures the logs with a thread-scoped `tracing` subscriber, and in a
//! binary where other tests run at the same time, a callsite first reached by another thread can
//! cache "no subscriber is interested" and drop the canary's log lines (the captured log came out
//! empty). Here nothing else runs beside it.

#[allow(dead_code)]
#[path = "../integration/common.rs"]
mod common;
#[allow(dead_code)]
#[path = "../integration/echo_server.rs"]
mod echo_server;
#[allow(dead_code)]
#[path = "../integration/oauth_server.rs"]
mod oauth_server;
#[allow(dead_code)]
#[path = "../integration/upstream_server/mod.rs"]
mod upstream_server;

use crate::common::*;
use crate::echo_server::EchoServer;
use crate::oauth_server::OAuthServer;
use crate::upstream_server::{fixtures_at, Nginx};
use axum::http::StatusCode;
use serde_json::json;
use std::sync::{Arc, Mutex};

const CANARY: &str = "CANARY-7d1e5b90-secret";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn canary_secret_never_leaves_the_proxy() {
    let logs = Capture::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // The fixture services answer a wrong key with a body that echoes it.
    let nginx = Nginx::start();
    let echo = EchoServer::start().await;
    let tokens = Mutex::new(Vec::<String>::new());
    each_backend(async |t| {
        let mut seen = String::new();
        let owner = t.owner().await;
        let ann = t.user(&owner, "ann").await;
        let env = t.dev_env(&owner).await;
        let mut ids = Vec::new();
        for (set, values) in [
            ("apikey", json!({"api_key": CANARY})),
            ("basic", json!({"username": "u", "password": CANARY})),
            ("bearer", json!({"token": CANARY})),
        ] {
            let r = t.call("POST", "/api/connections",
                Some(json!({"connector_id": "http", "display_name": set, "parameter_set": set, "values": values})), &owner).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            seen.push_str(&r.text);
            ids.push(r.body["id"].as_str().unwrap().to_string());
        }
        // Requests that fail around the secret must not echo it either.
        for body in [
            json!({"connector_id": "http", "display_name": "x", "parameter_set": "apikey", "values": {"api_key": CANARY, "extra": CANARY}}),
            json!({"connector_id": "http", "display_name": "x", "parameter_set": "apikey", "values": {"api_key": CANARY}, "unknown": CANARY}),
            json!({"connector_id": "http", "display_name": ["x", CANARY], "parameter_set": "apikey"}),
            json!({"connector_id": "http", "display_name": "x", "parameter_set": "apikey", "values": {"api_key": [CANARY]}}),
        ] {
            let r = t.call("POST", "/api/connections", Some(body), &owner).await;
            assert!(r.status.is_client_error());
            seen.push_str(&r.text);
        }
        let r = t.call("PATCH", &format!("/api/connections/{}", ids[0]), Some(json!({"values": {"api_key": CANARY}})), &owner).await;
        seen.push_str(&r.text);
        t.call("PUT", &format!("/api/connections/{}/shares/{}", ids[0], ann.user_id), None, &owner).await;
        let r = t.call("POST", &format!("/api/environments/{env}/references"),
            Some(json!({"display_name": "R", "connector_id": "http", "connection_id": ids[0]})), &owner).await;
        seen.push_str(&r.text);
        let reference = format!("/api/environments/{env}/references/{}", r.body["logical_name"].as_str().unwrap());
        for (set, id) in ["basic", "bearer"].iter().zip(&ids[1..]) {
            let r = t.call("POST", &format!("/api/environments/{env}/references"),
                Some(json!({"display_name": set, "connector_id": "http", "connection_id": id})), &owner).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            seen.push_str(&r.text);
        }
        let r = t.call("PATCH", &reference, Some(json!({"display_name": "Renamed"})), &owner).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        seen.push_str(&r.text);
        let r = t.call("PUT", "/api/me/favourites", Some(json!({"actions": ["connector:http/InvokeHttp", CANARY, CANARY]})), &owner).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        seen.push_str(&r.text);
        for (who, p) in [
            (&owner, "/api/connections".to_string()),
            (&ann, "/api/connections".to_string()),
            (&owner, format!("/api/connections/{}", ids[1])),
            (&ann, format!("/api/connections/{}", ids[0])),
            (&owner, format!("/api/environments/{env}/references")),
            (&ann, format!("/api/environments/{env}/references")),
            (&owner, reference.clone()),
            (&ann, reference.clone()),
            (&owner, "/api/me/favourites".to_string()),
            (&owner, format!("/api/environments/{env}/deployment-settings")),
            (&owner, "/api/openapi.json".to_string()),
        ] {
            let r = t.get(&p, who).await;
            assert_eq!(r.status, StatusCode::OK, "{p}");
            seen.push_str(&r.text);
            for (_, v) in r.headers.iter() {
                seen.push_str(&String::from_utf8_lossy(v.as_bytes()));
            }
        }
        // "Test connection", typed and saved, against a service that echoes what it was sent.
        let fixtures = fixtures_at(&t.dir, &format!("127.0.0.1:{}", nginx.port), "");
        let tested = t.with(&[shipped(), fixtures], |s| s.upstream.allow = vec!["127.0.0.1".parse().unwrap()]);
        for (connector, values) in [
            ("contoso-tickets", json!({"api_key": CANARY})),
            ("fabrikam-crm", json!({"username": "fabrikam", "password": CANARY})),
        ] {
            let r = call_on(&tested, "POST", &format!("/api/connectors/{connector}/test-connection"),
                Some(json!({"values": values})), &owner).await;
            assert_eq!(r.body["status"], 401, "{}", r.text);
            seen.push_str(&r.text);
            let r = call_on(&tested, "POST", "/api/connections",
                Some(json!({"connector_id": connector, "display_name": "T", "values": values})), &owner).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            seen.push_str(&r.text);
            let test = format!("/api/connections/{}/test", r.body["id"].as_str().unwrap());
            let r = call_on(&tested, "POST", &test, None, &owner).await;
            assert_eq!(r.body["connection_status"], "error", "{}", r.text);
            seen.push_str(&r.text);
        }
        let r = call_on(&tested, "POST", "/api/connectors/contoso-tickets/test-connection",
            Some(json!({"values": {"api_key": CANARY}, "extra": CANARY})), &owner).await;
        assert!(r.status.is_client_error());
        seen.push_str(&r.text);
        // Execution against a service that echoes every request, and refuses wrong credentials
        // by echoing them: successes, failures and refusals.
        let echoing = t.with(&[shipped(), echo_server::connectors(&t.dir, &echo.host())], |s| {
            s.upstream.allow = vec!["127.0.0.1".parse().unwrap()];
        });
        let execute = format!("/api/environments/{env}/execute");
        for (connector, values) in [
            ("echo-key", json!({"api_key": CANARY})),
            ("echo-query", json!({"api_key": CANARY})),
            ("echo-basic", json!({"username": "u", "password": CANARY})),
            ("echo-bearer", json!({"token": CANARY})),
        ] {
            let r = call_on(&echoing, "POST", "/api/connections",
                Some(json!({"connector_id": connector, "display_name": "E", "values": values})), &owner).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            let r = call_on(&echoing, "POST", &format!("/api/environments/{env}/references"),
                Some(json!({"display_name": "E", "connector_id": connector, "connection_id": r.body["id"]})), &owner).await;
            let name = r.body["logical_name"].clone();
            for (op, inputs, ok) in [
                ("Check", json!({}), false),
                ("CreateTicket", json!({"queue": "q", "body/title": "t"}), true),
                ("CreateTicket", json!({"queue": "q", "body/title": "t", "body/priority": CANARY}), false),
                ("Redirect", json!({}), false),
            ] {
                let r = call_on(&echoing, "POST", &execute,
                    Some(json!({"reference": name, "connector_id": connector, "operation_id": op, "inputs": inputs})), &owner).await;
                assert_eq!(r.status.is_success(), ok, "{connector} {op}: {}", r.text);
                seen.push_str(&r.text);
                for (_, v) in r.headers.iter() {
                    seen.push_str(&String::from_utf8_lossy(v.as_bytes()));
                }
            }
        }
        // "Invoke web service" with a generic HTTP connection holding the secret.
        let web = format!("http://{}/echo/web", echo.host());
        for url in [web.as_str(), "http://10.9.9.9/x"] {
            let r = call_on(&echoing, "POST", &execute, Some(json!({"reference": reference.rsplit('/').next().unwrap(),
                "connector_id": "http", "operation_id": "InvokeHttp", "inputs": {"uri": url}})), &owner).await;
            seen.push_str(&r.text);
        }
        let r = t.call("DELETE", &format!("/api/connections/{}", ids[0]), None, &owner).await;
        seen.push_str(&r.text);
        // OAuth: the client secret is the canary; the tokens are the provider's.
        let server = OAuthServer::start(&[("CLIENT_SECRET", CANARY)]);
        let oauth = t.with(&[shipped(), server.connectors(&t.dir)], |s| {
            s.upstream.allow = vec!["127.0.0.1".parse().unwrap()];
        });
        let app_path = format!("/api/oauth/apps/{}", oauth_server::CONNECTOR);
        let r = call_on(&oauth, "PUT", &app_path, Some(json!({"client_id": oauth_server::CLIENT_ID, "client_secret": CANARY})), &owner).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        seen.push_str(&r.text);
        let r = call_on(&oauth, "PUT", &app_path, Some(json!({"client_id": "a b", "client_secret": CANARY})), &owner).await;
        assert!(r.status.is_client_error());
        seen.push_str(&r.text);
        let (id, name) = oauth_server::connection(&oauth, &owner, &env).await;
        let stored_tokens = async || {
            let row: (String, String) = sqlx::query_as("SELECT secret, key_id FROM connections WHERE id = $1")
                .bind(&id).fetch_one(t.state.db()).await.unwrap();
            let plain = t.state.crypto().decrypt(&row.0, &row.1, &id).unwrap();
            let map: std::collections::BTreeMap<String, String> = serde_json::from_slice(&plain).unwrap();
            map.into_values().collect::<Vec<_>>()
        };
        server.knob("token-error").await;
        let page = oauth_server::sign_in(&server, &oauth, &owner, &id).await;
        assert_eq!(oauth_server::outcome(&page)["ok"], false);
        seen.push_str(&page.text);
        let page = oauth_server::sign_in(&server, &oauth, &owner, &id).await;
        assert_eq!(oauth_server::outcome(&page)["ok"], true, "{}", page.text);
        seen.push_str(&page.text);
        for (_, v) in page.headers.iter() {
            seen.push_str(&String::from_utf8_lossy(v.as_bytes()));
        }
        let stored = stored_tokens().await;
        tokens.lock().unwrap().extend(stored);
        let profile = async || {
            let r = oauth_server::get_profile(&oauth, &owner, &env, &name).await;
            String::from_utf8_lossy(r.text.as_bytes()).into_owned()
        };
        seen.push_str(&profile().await);
        // Refused after a 401 and renewed; then the refresh refused.
        server.knob("revoke-access").await;
        seen.push_str(&profile().await);
        let stored = stored_tokens().await;
        tokens.lock().unwrap().extend(stored);
        server.knob("revoke").await;
        sqlx::query("UPDATE connections SET oauth_expires_at = 1 WHERE id = $1").bind(&id).execute(t.state.db()).await.unwrap();
        let refused = profile().await;
        assert!(refused.contains("Sign in again"), "{refused}");
        seen.push_str(&refused);
        for p in ["/api/oauth/apps".to_string(), app_path.clone(), format!("/api/connections/{id}"), "/api/connections".to_string()] {
            let r = call_on(&oauth, "GET", &p, None, &owner).await;
            assert_eq!(r.status, StatusCode::OK, "{p}");
            seen.push_str(&r.text);
        }
        let known = tokens.lock().unwrap().clone();
        assert!(known.len() >= 4, "access and refresh tokens of two sign-ins: {known:?}");
        for tok in &known {
            assert!(!seen.contains(tok.as_str()), "an API response leaked an OAuth token");
        }
        assert!(seen.contains("***"), "the echoing service's answers were scrubbed, not missing");
        assert!(!seen.contains(CANARY), "an API response leaked the secret");
        // The secrets are really there, encrypted.
        let raw = sqlx::query_scalar::<_, String>("SELECT secret FROM connections WHERE id = $1")
            .bind(&ids[1]).fetch_one(t.state.db()).await.unwrap();
        assert!(!raw.contains(CANARY));
        let raw: String = sqlx::query_scalar("SELECT secret FROM oauth_apps").fetch_one(t.state.db()).await.unwrap();
        assert!(!raw.contains(CANARY));
        if t.backend == "sqlite" {
            // Checkpoint nothing away: scan the main file and the WAL as they are.
            let mut scanned = 0;
            for entry in std::fs::read_dir(&t.dir).unwrap() {
                let p = entry.unwrap().path();
                if p.file_name().unwrap().to_string_lossy().starts_with("test.db") {
                    let bytes = std::fs::read(&p).unwrap();
                    scanned += bytes.len();
                    assert!(!bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()), "{} holds the secret", p.display());
                    for tok in tokens.lock().unwrap().iter() {
                        assert!(!bytes.windows(tok.len()).any(|w| w == tok.as_bytes()), "{} holds an OAuth token", p.display());
                    }
                }
            }
            assert!(scanned > 0);
        } else {
            // PostgreSQL: scan every text column of every table.
            for table in ["users", "sessions", "api_tokens", "connections", "connection_references", "oauth_states", "oauth_apps", "user_favourites"] {
                let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT CAST(row_to_json(t) AS TEXT) FROM {table} t"))
                    .fetch_all(t.state.db()).await.unwrap();
                assert!(!rows.iter().any(|r| r.contains(CANARY)), "{table} holds the secret");
                for tok in tokens.lock().unwrap().iter() {
                    assert!(!rows.iter().any(|r| r.contains(tok.as_str())), "{table} holds an OAuth token");
                }
            }
        }
    })
    .await;
    let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(!logs.is_empty(), "logs were captured");
    assert!(!logs.contains(CANARY), "the log leaked the secret");
    for tok in tokens.lock().unwrap().iter() {
        assert!(
            !logs.contains(tok.as_str()),
            "the log leaked an OAuth token"
        );
    }
    assert!(logs.contains("OAuth sign-in finished") && logs.contains("OAuth tokens refreshed"));
}
