//! "Test connection" against real services: the fixture connectors pointed at a throwaway nginx
//! that checks their credentials (API key header, basic authentication), the SSRF guard refusing
//! loopback by IP literal, by name and by redirect, and timeouts.

use crate::common::*;
use crate::upstream_server::*;
use axum::http::StatusCode;
use axum::Router;
use plugboard_proxy::upstream::guard::Cidr;
use plugboard_proxy::Settings;
use serde_json::{json, Value};
use std::time::Duration;

fn allow(cidrs: &[&str]) -> Vec<Cidr> {
    cidrs.iter().map(|c| c.parse().unwrap()).collect()
}

/// An app whose catalog is the shipped connectors and the fixtures at `http://host`.
fn app_at(t: &TestApp, host: &str, base_prefix: &str, f: impl FnOnce(&mut Settings)) -> Router {
    let fixtures = fixtures_at(&t.dir, host, base_prefix);
    t.with(&[shipped(), fixtures], f)
}

/// An app whose fixtures are at `127.0.0.1:port`, which the allow-list lets through.
fn allowed_app(t: &TestApp, port: u16, base_prefix: &str) -> Router {
    app_at(
        t,
        &format!("127.0.0.1:{port}"),
        base_prefix,
        loopback_allowed,
    )
}

fn loopback_allowed(s: &mut Settings) {
    s.upstream.allow = allow(&["127.0.0.1/32"]);
}

async fn test_unsaved(app: &Router, auth: &Auth, connector: &str, values: Value) -> Resp {
    let path = format!("/api/connectors/{connector}/test-connection");
    call_on(app, "POST", &path, Some(json!({ "values": values })), auth).await
}

fn contoso_key(key: &str) -> Value {
    json!({ "api_key": key })
}

fn fabrikam(user: &str, password: &str) -> Value {
    json!({ "username": user, "password": password })
}

/// `{"ok":false,…}` with this message.
fn refused(r: &Resp, message: &str) {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["ok"], false, "{}", r.text);
    assert_eq!(r.body["message"], message, "{}", r.text);
}

#[tokio::test]
async fn api_key_and_basic_credentials_are_checked_by_the_service() {
    let nginx = Nginx::start();
    each_backend(async |t| {
        let owner = t.owner().await;
        let app = allowed_app(&t, nginx.port, "");
        let r = test_unsaved(&app, &owner, "contoso-tickets", contoso_key(CONTOSO_KEY)).await;
        assert_eq!(r.body, json!({"ok": true, "status": 200}), "{}", r.text);
        let r = test_unsaved(&app, &owner, "contoso-tickets", contoso_key("ck_wrong")).await;
        refused(&r, "Contoso Tickets refused the credentials (HTTP 401).");
        assert_eq!(r.body["status"], 401);
        // The service echoed the key it got; none of its answer comes through.
        assert!(!r.text.contains("invalid key") && !r.text.contains("ck_wrong"));
        let r = test_unsaved(
            &app,
            &owner,
            "fabrikam-crm",
            fabrikam(FABRIKAM_USER, FABRIKAM_PASSWORD),
        )
        .await;
        assert_eq!(r.body, json!({"ok": true, "status": 200}), "{}", r.text);
        let r = test_unsaved(
            &app,
            &owner,
            "fabrikam-crm",
            fabrikam(FABRIKAM_USER, "wrong"),
        )
        .await;
        refused(&r, "Fabrikam CRM refused the credentials (HTTP 401).");
        let r = test_unsaved(
            &app,
            &owner,
            "fabrikam-crm",
            fabrikam("someone", FABRIKAM_PASSWORD),
        )
        .await;
        refused(&r, "Fabrikam CRM refused the credentials (HTTP 401).");
        // Fields are checked as for creating a connection.
        let r = test_unsaved(&app, &owner, "fabrikam-crm", json!({"username": "x"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(code(&r), "validation");
        // Signed-in callers only, with the CSRF token.
        let r = test_unsaved(
            &app,
            &Auth::default(),
            "contoso-tickets",
            contoso_key(CONTOSO_KEY),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let no_csrf = Auth {
            csrf: None,
            ..owner.clone()
        };
        let r = test_unsaved(&app, &no_csrf, "contoso-tickets", contoso_key(CONTOSO_KEY)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn testing_unsaved_fields_stores_nothing() {
    let nginx = Nginx::start();
    each_backend(async |t| {
        let owner = t.owner().await;
        let app = allowed_app(&t, nginx.port, "");
        for key in [CONTOSO_KEY, "ck_wrong"] {
            let r = test_unsaved(&app, &owner, "contoso-tickets", contoso_key(key)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM connections")
            .fetch_one(t.state.db())
            .await
            .unwrap();
        assert_eq!(n, 0);
    })
    .await;
}

#[tokio::test]
async fn a_saved_connection_is_tested_and_its_status_follows() {
    let nginx = Nginx::start();
    each_backend(async |t| {
        let owner = t.owner().await;
        let ann = t.user(&owner, "ann").await;
        let bob = t.user(&owner, "bob").await;
        let app = allowed_app(&t, nginx.port, "");
        let r = call_on(
            &app,
            "POST",
            "/api/connections",
            Some(json!({"connector_id": "contoso-tickets",
            "display_name": "Desk", "values": contoso_key("ck_wrong")})),
            &owner,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.body["id"].as_str().unwrap().to_string();
        assert_eq!(r.body["status"], "connected");
        let path = format!("/api/connections/{id}/test");
        let r = call_on(&app, "POST", &path, None, &owner).await;
        refused(&r, "Contoso Tickets refused the credentials (HTTP 401).");
        assert_eq!(r.body["connection_status"], "error");
        let r = call_on(&app, "GET", &format!("/api/connections/{id}"), None, &owner).await;
        assert_eq!(r.body["status"], "error");
        let r = call_on(
            &app,
            "PATCH",
            &format!("/api/connections/{id}"),
            Some(json!({"values": contoso_key(CONTOSO_KEY)})),
            &owner,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = call_on(&app, "POST", &path, None, &owner).await;
        assert_eq!(
            r.body,
            json!({"ok": true, "status": 200, "connection_status": "connected"})
        );
        // Testing is using: whoever may use it (a share) may test it; nobody else sees it.
        let r = call_on(&app, "POST", &path, None, &ann).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let share = format!("/api/connections/{id}/shares/{}", ann.user_id);
        assert_eq!(
            call_on(&app, "PUT", &share, None, &owner).await.status,
            StatusCode::NO_CONTENT
        );
        let r = call_on(&app, "POST", &path, None, &ann).await;
        assert_eq!(r.body["ok"], true, "{}", r.text);
        assert_eq!(
            call_on(&app, "POST", &path, None, &bob).await.status,
            StatusCode::NOT_FOUND
        );
        // A service that cannot be reached says nothing about the credentials: status kept.
        let gone = app_at(&t, "127.0.0.1:9", "", loopback_allowed);
        let r = call_on(&gone, "POST", &path, None, &owner).await;
        refused(
            &r,
            "Could not reach 127.0.0.1:9: the connection was refused.",
        );
        assert_eq!(r.body["connection_status"], "connected");
    })
    .await;
}

#[tokio::test]
async fn loopback_is_refused_without_the_allow_list() {
    let nginx = Nginx::start();
    let p = nginx.port;
    each_backend(async |t| {
        let owner = t.owner().await;
        for (host, message) in [
            (
                format!("127.0.0.1:{p}"),
                "Plugboard does not call loopback addresses: 127.0.0.1.".to_string(),
            ),
            (
                format!("2130706433:{p}"),
                "Plugboard does not call loopback addresses: 127.0.0.1.".into(),
            ),
            (
                format!("[::1]:{p}"),
                "Plugboard does not call loopback addresses: ::1.".into(),
            ),
            (
                format!("[::ffff:127.0.0.1]:{p}"),
                "Plugboard does not call loopback addresses: 127.0.0.1 (::ffff:7f00:1).".into(),
            ),
            (
                format!("169.254.169.254:{p}"),
                "Plugboard does not call link-local addresses: 169.254.169.254.".into(),
            ),
        ] {
            let app = app_at(&t, &host, "", |_| {});
            let r = test_unsaved(&app, &owner, "contoso-tickets", contoso_key(CONTOSO_KEY)).await;
            refused(&r, &message);
            assert!(r.body.get("status").is_none(), "{}", r.text);
        }
        // By name: the resolver checks what `localhost` resolves to.
        let app = app_at(&t, &format!("localhost:{p}"), "", |_| {});
        let r = test_unsaved(&app, &owner, "contoso-tickets", contoso_key(CONTOSO_KEY)).await;
        let m = r.body["message"].as_str().unwrap_or_default();
        assert!(
            m.starts_with("Plugboard does not call loopback addresses: ")
                && m.ends_with(" (localhost)."),
            "{}",
            r.text
        );
        // An allow-list for another range changes nothing.
        let app = app_at(&t, &format!("localhost:{p}"), "", |s| {
            s.upstream.allow = allow(&["10.0.0.0/8"])
        });
        let r = test_unsaved(&app, &owner, "contoso-tickets", contoso_key(CONTOSO_KEY)).await;
        assert_eq!(r.body["ok"], false, "{}", r.text);
    })
    .await;
}

#[tokio::test]
async fn redirects_are_checked_and_credentials_stay_with_their_origin() {
    let nginx = Nginx::start();
    each_backend(async |t| {
        let owner = t.owner().await;
        // Allowed upstream, redirecting to 127.0.0.2 (not allowed).
        let app = allowed_app(&t, nginx.redirect_port, "");
        let r = test_unsaved(&app, &owner, "contoso-tickets", contoso_key(CONTOSO_KEY)).await;
        refused(&r, "Plugboard does not call loopback addresses: 127.0.0.2.");
        // A redirect within the origin keeps the key …
        let app = allowed_app(&t, nginx.port, "/old");
        let r = test_unsaved(&app, &owner, "contoso-tickets", contoso_key(CONTOSO_KEY)).await;
        assert_eq!(r.body, json!({"ok": true, "status": 200}), "{}", r.text);
        // … one to another origin (another port) drops it.
        let app = allowed_app(&t, nginx.hop_port, "");
        let r = test_unsaved(&app, &owner, "contoso-tickets", contoso_key(CONTOSO_KEY)).await;
        refused(&r, "Contoso Tickets refused the credentials (HTTP 401).");
    })
    .await;
}

#[tokio::test]
async fn a_service_that_hangs_times_out() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    each_backend(async |t| {
        let owner = t.owner().await;
        let app = app_at(&t, &format!("127.0.0.1:{port}"), "", |s| {
            loopback_allowed(s);
            s.upstream.timeout = Duration::from_millis(300);
        });
        let r = test_unsaved(&app, &owner, "contoso-tickets", contoso_key(CONTOSO_KEY)).await;
        refused(
            &r,
            &format!("127.0.0.1:{port} did not answer within 0.3 seconds."),
        );
    })
    .await;
    held.abort();
}

#[tokio::test]
async fn a_connector_without_test_connection_cannot_be_tested() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let r = t
            .call(
                "POST",
                "/api/connectors/http/test-connection",
                Some(json!({"parameter_set": "none"})),
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(code(&r), "validation");
        assert!(r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("HTTP cannot test connections"));
        let id = t.connection(&owner, "Plain", "k").await;
        let r = t
            .call("POST", &format!("/api/connections/{id}/test"), None, &owner)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = t
            .call(
                "POST",
                "/api/connectors/nope/test-connection",
                Some(json!({})),
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let r = t
            .call("POST", "/api/connections/nope/test", None, &owner)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        // The catalog tells the designer which connectors can be tested.
        let r = t.get("/api/connectors/http", &owner).await;
        assert!(r.body.get("test_connection").is_none());
    })
    .await;
}

#[tokio::test]
async fn the_answer_is_read_within_the_size_cap() {
    use plugboard_proxy::upstream::{Upstream, UpstreamError, UpstreamRequest, UpstreamSettings};
    let nginx = Nginx::start();
    let settings = UpstreamSettings {
        allow: allow(&["127.0.0.1"]),
        max_body_bytes: 1024 * 1024,
        ..Default::default()
    };
    let upstream = Upstream::new(&settings).unwrap();
    let get = |path: &str| UpstreamRequest {
        method: reqwest::Method::GET,
        url: format!("http://127.0.0.1:{}{path}", nginx.port)
            .parse()
            .unwrap(),
        headers: Default::default(),
        body: None,
        credential_headers: Vec::new(),
    };
    let small = upstream
        .send(get("/api/contacts?search=plugboard"))
        .await
        .unwrap();
    assert_eq!(small.status, 401);
    assert!(!small.bytes().await.unwrap().is_empty());
    let big = upstream.send(get("/big")).await.unwrap();
    assert_eq!(big.status, 200);
    match big.bytes().await {
        Err(e @ UpstreamError::TooLarge { .. }) => assert_eq!(
            e.to_string(),
            format!(
                "The answer of 127.0.0.1:{} is larger than 1048576 bytes.",
                nginx.port
            )
        ),
        other => panic!("{:?}", other.map(|b| b.len())),
    }
}
