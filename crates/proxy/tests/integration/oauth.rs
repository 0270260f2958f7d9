//! OAuth 2.0 sign-in against a real authorization server on loopback (`oauth_server`): app
//! registrations, the authorization-code dance with PKCE, each way it can fail (denied consent,
//! replayed or expired state, another user's callback, a token endpoint error), tokens used as a
//! bearer, refreshed before they expire and once after a 401, a refused refresh marking the
//! connection "needs sign-in", and concurrent refreshes across replicas making one token call.

use crate::common::*;
use crate::oauth_server::{self, OAuthServer, CONNECTOR};
use axum::http::StatusCode;
use axum::Router;
use serde_json::json;
use std::time::Duration;

/// A test's app (the shipped connectors and Woodgrove, calling 127.0.0.1), owner and env.
struct Ctx {
    app: Router,
    owner: Auth,
    env: String,
}

fn app_for(t: &TestApp, server: &OAuthServer, early: Duration) -> Router {
    let dir = server.connectors(&t.dir);
    t.with(&[shipped(), dir], |s| {
        s.upstream.allow = vec!["127.0.0.1".parse().unwrap()];
        s.upstream.timeout = Duration::from_secs(5);
        s.oauth_refresh_early = early;
    })
}

impl Ctx {
    async fn new(t: &TestApp, server: &OAuthServer) -> Ctx {
        let app = app_for(t, server, Duration::from_secs(60));
        let owner = t.owner().await;
        let env = t.dev_env(&owner).await;
        Ctx { app, owner, env }
    }
}

async fn status_of(app: &Router, who: &Auth, connection: &str) -> String {
    let r = call_on(
        app,
        "GET",
        &format!("/api/connections/{connection}"),
        None,
        who,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["status"].as_str().unwrap().to_string()
}

/// Make the stored tokens look about to expire (the provider's token itself is still good).
async fn expire_soon(t: &TestApp, connection: &str) {
    sqlx::query("UPDATE connections SET oauth_expires_at = $1 WHERE id = $2")
        .bind(plugboard_proxy::db::now())
        .bind(connection)
        .execute(t.state.db())
        .await
        .unwrap();
}

#[tokio::test]
async fn sign_in_with_pkce_then_execute_with_the_bearer_token() {
    each_backend(async |t| {
        let server = OAuthServer::start(&[]);
        let c = Ctx::new(&t, &server).await;
        let (id, reference) = oauth_server::connection(&c.app, &c.owner, &c.env).await;
        // Before signing in, execution names the reference and says to sign in.
        let r = oauth_server::get_profile(&c.app, &c.owner, &c.env, &reference).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        assert_eq!(code(&r), "needs_sign_in");
        assert!(
            r.text.contains(&reference) && r.text.contains("sign in to Woodgrove Profile first"),
            "{}",
            r.text
        );

        let r = oauth_server::start(&c.app, &c.owner, &id).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let url = reqwest::Url::parse(r.body["authorization_url"].as_str().unwrap()).unwrap();
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(url.path(), "/authorize");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], oauth_server::CLIENT_ID);
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["code_challenge"].len(), 43);
        assert_eq!(q["scope"], "profile.read");
        assert_eq!(
            q["redirect_uri"],
            "http://127.0.0.1:8080/api/oauth/callback"
        );
        assert!(q["state"].len() >= 40);

        let callback = server.authorize(url.as_str()).await;
        let page = call_on(&c.app, "GET", &callback, None, &c.owner).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.headers["cache-control"], "no-store");
        assert_eq!(page.headers["referrer-policy"], "no-referrer");
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.starts_with("default-src 'none'; script-src 'sha256-"),
            "{csp}"
        );
        let o = oauth_server::outcome(&page);
        assert_eq!(o["kind"], "plugboard-oauth");
        assert_eq!(o["ok"], true, "{o}");
        assert_eq!(o["connection_id"], id.as_str());
        assert_eq!(server.stats().await["authorization_code"], 1);

        // Connected, with no token (nor its name) in what the browser sees.
        let r = call_on(
            &c.app,
            "GET",
            &format!("/api/connections/{id}"),
            None,
            &c.owner,
        )
        .await;
        assert_eq!(r.body["status"], "connected", "{}", r.text);
        assert_eq!(r.body["secrets_set"], json!([]));
        assert!(!r.text.contains("oauth:"), "{}", r.text);

        let r = oauth_server::get_profile(&c.app, &c.owner, &c.env, &reference).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["body"]["sub"], "johndoe");
        assert_eq!(r.body["body"]["scope"], "profile.read");
        assert_eq!(server.stats().await["refresh_token"], 0);
    })
    .await;
}

#[tokio::test]
async fn app_registrations_are_the_owners_and_never_return_the_secret() {
    each_backend(async |t| {
        let server = OAuthServer::start(&[]);
        let c = Ctx::new(&t, &server).await;
        let path = format!("/api/oauth/apps/{CONNECTOR}");
        let r = call_on(&c.app, "GET", &path, None, &c.owner).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["registered"], false);
        assert_eq!(
            r.body["redirect_uri"],
            "http://127.0.0.1:8080/api/oauth/callback"
        );

        let secret = "s3cret-client-value-42";
        let body = json!({"client_id": "abc", "client_secret": secret, "extra_scopes": ["x.read"]});
        let r = call_on(&c.app, "PUT", &path, Some(body), &c.owner).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["registered"], true);
        assert_eq!(r.body["client_secret_set"], true);
        assert_eq!(r.body["extra_scopes"], json!(["x.read"]));
        assert!(!r.text.contains(secret));
        // Absent: the secret is kept; empty: removed.
        let r = call_on(
            &c.app,
            "PUT",
            &path,
            Some(json!({"client_id": "abc2"})),
            &c.owner,
        )
        .await;
        assert_eq!(r.body["client_secret_set"], true, "{}", r.text);
        assert_eq!(r.body["client_id"], "abc2");
        let list = call_on(&c.app, "GET", "/api/oauth/apps", None, &c.owner).await;
        assert!(!list.text.contains(secret));
        let ids = each(&list.body, "connector_id");
        for id in [
            "office365outlook",
            "onedriveforbusiness",
            "sharepoint",
            CONNECTOR,
        ] {
            assert!(ids.contains(&id), "{ids:?}");
        }
        assert!(!ids.contains(&"http"));
        let stored: String =
            sqlx::query_scalar("SELECT secret FROM oauth_apps WHERE connector_id = $1")
                .bind(CONNECTOR)
                .fetch_one(t.state.db())
                .await
                .unwrap();
        assert!(!stored.contains(secret));
        let r = call_on(
            &c.app,
            "PUT",
            &path,
            Some(json!({"client_id": "abc", "client_secret": ""})),
            &c.owner,
        )
        .await;
        assert_eq!(r.body["client_secret_set"], false, "{}", r.text);

        // Bad input names the field; a tenant only for aad connectors.
        for (body, what) in [
            (json!({"client_id": ""}), "client_id"),
            (json!({"client_id": "a b"}), "client_id"),
            (json!({"client_id": "a", "tenant": "contoso"}), "tenant"),
            (
                json!({"client_id": "a", "extra_scopes": ["a b"]}),
                "extra_scopes[0]",
            ),
            (json!({"client_id": "a", "secret": "x"}), "secret"),
        ] {
            let r = call_on(&c.app, "PUT", &path, Some(body), &c.owner).await;
            assert!(r.status.is_client_error(), "{}", r.text);
            assert!(r.text.contains(what), "{what}: {}", r.text);
        }
        let outlook = "/api/oauth/apps/office365outlook";
        let r = call_on(
            &c.app,
            "PUT",
            outlook,
            Some(json!({"client_id": "a", "tenant": "contoso.onmicrosoft.com"})),
            &c.owner,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = call_on(
            &c.app,
            "PUT",
            outlook,
            Some(json!({"client_id": "a", "tenant": "http://evil/x"})),
            &c.owner,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = call_on(&c.app, "GET", "/api/oauth/apps/http", None, &c.owner).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let r = call_on(&c.app, "GET", "/api/oauth/apps/nope", None, &c.owner).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

        // Only the owner.
        let maker = t.user(&c.owner, "maker").await;
        for (m, body) in [
            ("GET", None),
            ("PUT", Some(json!({"client_id": "z"}))),
            ("DELETE", None),
        ] {
            let r = call_on(&c.app, m, &path, body, &maker).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{m}: {}", r.text);
        }
        let r = call_on(&c.app, "DELETE", &path, None, &c.owner).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = call_on(&c.app, "DELETE", &path, None, &c.owner).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn sign_in_without_an_app_registration_says_the_owner_registers_one() {
    each_backend(async |t| {
        let server = OAuthServer::start(&[]);
        let c = Ctx::new(&t, &server).await;
        let (id, _) = oauth_server::connection(&c.app, &c.owner, &c.env).await;
        let path = format!("/api/oauth/apps/{CONNECTOR}");
        call_on(&c.app, "DELETE", &path, None, &c.owner).await;
        let r = oauth_server::start(&c.app, &c.owner, &id).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        assert_eq!(code(&r), "oauth_app_missing");
        assert!(
            r.text
                .contains("Woodgrove Profile has no OAuth app registered"),
            "{}",
            r.text
        );
        // Someone else's connection cannot be signed in.
        let maker = t.user(&c.owner, "maker").await;
        let r = oauth_server::start(&c.app, &maker, &id).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        // A connection that does not sign in with OAuth.
        let other = t.connection(&c.owner, "Key", "k-123456").await;
        let r = oauth_server::start(&c.app, &c.owner, &other).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    })
    .await;
}

#[tokio::test]
async fn a_replayed_or_expired_state_is_refused_and_changes_nothing() {
    each_backend(async |t| {
        let server = OAuthServer::start(&[]);
        let c = Ctx::new(&t, &server).await;
        let (id, _) = oauth_server::connection(&c.app, &c.owner, &c.env).await;
        // Expired: the state's time is up before the provider answers.
        let r = oauth_server::start(&c.app, &c.owner, &id).await;
        let callback = server
            .authorize(r.body["authorization_url"].as_str().unwrap())
            .await;
        sqlx::query("UPDATE oauth_states SET expires_at = 0")
            .execute(t.state.db())
            .await
            .unwrap();
        let o = oauth_server::outcome(&call_on(&c.app, "GET", &callback, None, &c.owner).await);
        assert_eq!(o["ok"], false);
        assert!(o["message"].as_str().unwrap().contains("expired"), "{o}");
        assert_eq!(status_of(&c.app, &c.owner, &id).await, "needs_sign_in");
        assert_eq!(server.stats().await["authorization_code"], 0);

        // Replayed: the first use signs in, the second is refused.
        let r = oauth_server::start(&c.app, &c.owner, &id).await;
        let callback = server
            .authorize(r.body["authorization_url"].as_str().unwrap())
            .await;
        let o = oauth_server::outcome(&call_on(&c.app, "GET", &callback, None, &c.owner).await);
        assert_eq!(o["ok"], true, "{o}");
        let o = oauth_server::outcome(&call_on(&c.app, "GET", &callback, None, &c.owner).await);
        assert_eq!(o["ok"], false);
        assert!(
            o["message"].as_str().unwrap().contains("already used"),
            "{o}"
        );
        assert_eq!(server.stats().await["authorization_code"], 1);

        // No state, or a made-up one.
        for q in ["", "?code=x", "?code=x&state=made-up"] {
            let page = call_on(
                &c.app,
                "GET",
                &format!("/api/oauth/callback{q}"),
                None,
                &c.owner,
            )
            .await;
            assert_eq!(oauth_server::outcome(&page)["ok"], false, "{q}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_callback_in_another_users_session_or_none_is_refused() {
    each_backend(async |t| {
        let server = OAuthServer::start(&[]);
        let c = Ctx::new(&t, &server).await;
        let (id, _) = oauth_server::connection(&c.app, &c.owner, &c.env).await;
        let maker = t.user(&c.owner, "maker").await;
        for who in [maker, Auth::default()] {
            let r = oauth_server::start(&c.app, &c.owner, &id).await;
            let callback = server
                .authorize(r.body["authorization_url"].as_str().unwrap())
                .await;
            let o = oauth_server::outcome(&call_on(&c.app, "GET", &callback, None, &who).await);
            assert_eq!(o["ok"], false);
            let m = o["message"].as_str().unwrap();
            assert!(
                m.contains("another Plugboard user") || m.contains("not signed in to Plugboard"),
                "{m}"
            );
        }
        assert_eq!(status_of(&c.app, &c.owner, &id).await, "needs_sign_in");
    })
    .await;
}

#[tokio::test]
async fn denied_consent_and_a_token_endpoint_error_leave_it_needing_sign_in() {
    each_backend(async |t| {
        let server = OAuthServer::start(&[]);
        let c = Ctx::new(&t, &server).await;
        let (id, reference) = oauth_server::connection(&c.app, &c.owner, &c.env).await;
        server.knob("deny").await;
        let o = oauth_server::outcome(&oauth_server::sign_in(&server, &c.app, &c.owner, &id).await);
        assert_eq!(o["ok"], false);
        let m = o["message"].as_str().unwrap();
        assert!(
            m.contains("Consent was denied") && m.contains(&server.host()),
            "{m}"
        );
        assert_eq!(status_of(&c.app, &c.owner, &id).await, "needs_sign_in");

        server.knob("token-error").await;
        let o = oauth_server::outcome(&oauth_server::sign_in(&server, &c.app, &c.owner, &id).await);
        assert_eq!(o["ok"], false);
        let m = o["message"].as_str().unwrap();
        assert!(
            m.contains("Signing in to Woodgrove Profile failed") && m.contains("invalid_grant"),
            "{m}"
        );
        assert_eq!(status_of(&c.app, &c.owner, &id).await, "needs_sign_in");
        let r = oauth_server::get_profile(&c.app, &c.owner, &c.env, &reference).await;
        assert_eq!(code(&r), "needs_sign_in", "{}", r.text);

        // A wrong client id is the token endpoint's error too (the provider names it).
        let path = format!("/api/oauth/apps/{CONNECTOR}");
        call_on(
            &c.app,
            "PUT",
            &path,
            Some(json!({"client_id": oauth_server::CLIENT_ID, "client_secret": "unexpected"})),
            &c.owner,
        )
        .await;
        let o = oauth_server::outcome(&oauth_server::sign_in(&server, &c.app, &c.owner, &id).await);
        let m = o["message"].as_str().unwrap();
        assert!(
            m.contains("invalid_client") && !m.contains("unexpected"),
            "{m}"
        );
        assert_eq!(status_of(&c.app, &c.owner, &id).await, "needs_sign_in");
    })
    .await;
}

#[tokio::test]
async fn tokens_about_to_expire_are_refreshed_before_use_and_rotated() {
    each_backend(async |t| {
        let server = OAuthServer::start(&[]);
        let c = Ctx::new(&t, &server).await;
        let (id, reference) = oauth_server::connection(&c.app, &c.owner, &c.env).await;
        oauth_server::sign_in(&server, &c.app, &c.owner, &id).await;
        for round in 1..=2 {
            expire_soon(&t, &id).await;
            let r = oauth_server::get_profile(&c.app, &c.owner, &c.env, &reference).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let s = server.stats().await;
            // Each refresh used the rotated refresh token of the one before (the server
            // refuses a used one).
            assert_eq!(s["refresh_token"], round, "{s}");
            assert_eq!(s["me_unauthorized"], 0, "{s}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_token_the_service_refuses_is_renewed_once_after_the_401() {
    each_backend(async |t| {
        let server = OAuthServer::start(&[]);
        let c = Ctx::new(&t, &server).await;
        let (id, reference) = oauth_server::connection(&c.app, &c.owner, &c.env).await;
        oauth_server::sign_in(&server, &c.app, &c.owner, &id).await;
        server.knob("revoke-access").await;
        let r = oauth_server::get_profile(&c.app, &c.owner, &c.env, &reference).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let s = server.stats().await;
        assert_eq!(
            (s["me_unauthorized"].as_i64(), s["refresh_token"].as_i64()),
            (Some(1), Some(1)),
            "{s}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_refused_refresh_marks_the_connection_needs_sign_in_and_says_sign_in_again() {
    each_backend(async |t| {
        let server = OAuthServer::start(&[]);
        let c = Ctx::new(&t, &server).await;
        let (id, reference) = oauth_server::connection(&c.app, &c.owner, &c.env).await;
        oauth_server::sign_in(&server, &c.app, &c.owner, &id).await;
        server.knob("revoke").await;
        expire_soon(&t, &id).await;
        let r = oauth_server::get_profile(&c.app, &c.owner, &c.env, &reference).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        assert_eq!(code(&r), "sign_in_again");
        let m = r.body["error"]["message"].as_str().unwrap();
        assert!(
            m.contains(&reference) && m.contains("Sign in again") && m.contains("invalid_grant"),
            "{m}"
        );
        assert_eq!(status_of(&c.app, &c.owner, &id).await, "needs_sign_in");
        let r = oauth_server::get_profile(&c.app, &c.owner, &c.env, &reference).await;
        assert_eq!(code(&r), "needs_sign_in", "{}", r.text);
        // Signing in again makes it usable again.
        let o = oauth_server::outcome(&oauth_server::sign_in(&server, &c.app, &c.owner, &id).await);
        assert_eq!(o["ok"], true, "{o}");
        let r = oauth_server::get_profile(&c.app, &c.owner, &c.env, &reference).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    })
    .await;
}

#[tokio::test]
async fn a_token_expiring_during_a_sequence_of_executions_is_refreshed_without_a_failure() {
    each_backend(async |t| {
        // Tokens live 4 s and are renewed in their last 2 s; executions every 0.5 s for 6 s.
        let server = OAuthServer::start(&[("ACCESS_TTL", "4")]);
        let app = app_for(&t, &server, Duration::from_secs(2));
        let owner = t.owner().await;
        let env = t.dev_env(&owner).await;
        let (id, reference) = oauth_server::connection(&app, &owner, &env).await;
        oauth_server::sign_in(&server, &app, &owner, &id).await;
        for i in 0..12 {
            let r = oauth_server::get_profile(&app, &owner, &env, &reference).await;
            assert_eq!(r.status, StatusCode::OK, "execution {i}: {}", r.text);
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let s = server.stats().await;
        assert!(s["refresh_token"].as_i64().unwrap() >= 2, "{s}");
        assert_eq!(s["me_ok"], 12, "{s}");
    })
    .await;
}

#[tokio::test]
async fn concurrent_refreshes_across_replicas_make_one_token_call() {
    each_backend(async |t| {
        // A slow token endpoint, so every request arrives while the refresh is under way.
        let server = OAuthServer::start(&[("REFRESH_DELAY_MS", "400")]);
        let c = Ctx::new(&t, &server).await;
        let replica = app_for(&t, &server, Duration::from_secs(60));
        let (id, reference) = oauth_server::connection(&c.app, &c.owner, &c.env).await;
        oauth_server::sign_in(&server, &c.app, &c.owner, &id).await;
        expire_soon(&t, &id).await;
        let mut tasks = Vec::new();
        for i in 0..8 {
            let app = if i % 2 == 0 {
                c.app.clone()
            } else {
                replica.clone()
            };
            let (owner, env, reference) = (c.owner.clone(), c.env.clone(), reference.clone());
            tasks.push(tokio::spawn(async move {
                oauth_server::get_profile(&app, &owner, &env, &reference).await
            }));
        }
        for task in tasks {
            let r = task.await.unwrap();
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        let s = server.stats().await;
        assert_eq!(s["refresh_token"], 1, "{s}");
        assert_eq!(s["me_ok"], 8, "{s}");
    })
    .await;
}

#[tokio::test]
async fn test_connection_refreshes_a_signed_in_connection_or_says_sign_in_again() {
    each_backend(async |t| {
        let server = OAuthServer::start(&[]);
        let c = Ctx::new(&t, &server).await;
        let (id, _) = oauth_server::connection(&c.app, &c.owner, &c.env).await;
        let test = format!("/api/connections/{id}/test");
        let r = call_on(&c.app, "POST", &test, None, &c.owner).await;
        assert_eq!(r.body["ok"], false, "{}", r.text);
        assert!(
            r.text.contains("Sign in to Woodgrove Profile first"),
            "{}",
            r.text
        );
        oauth_server::sign_in(&server, &c.app, &c.owner, &id).await;
        expire_soon(&t, &id).await;
        let r = call_on(&c.app, "POST", &test, None, &c.owner).await;
        assert_eq!(r.body["ok"], true, "{}", r.text);
        assert_eq!(r.body["connection_status"], "connected");
        assert_eq!(server.stats().await["refresh_token"], 1);
        server.knob("revoke").await;
        expire_soon(&t, &id).await;
        let r = call_on(&c.app, "POST", &test, None, &c.owner).await;
        assert_eq!(r.body["ok"], false, "{}", r.text);
        assert!(r.text.contains("Sign in again"), "{}", r.text);
        assert_eq!(r.body["connection_status"], "needs_sign_in");
        assert_eq!(status_of(&c.app, &c.owner, &id).await, "needs_sign_in");
    })
    .await;
}
