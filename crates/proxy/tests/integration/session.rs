//! Sessions: the owner's first account, sign-in and sign-out, CSRF protection, and the trusted SSO header.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

#[tokio::test]
async fn owner_bootstrap_sign_in_and_sign_out() {
    each_backend(async |t| {
        let anon = Auth::default();
        assert_eq!(t.get("/api/setup", &anon).await.body["needs_owner"], true);
        assert_eq!(
            t.get("/api/session", &anon).await.status,
            StatusCode::UNAUTHORIZED
        );
        let weak = t
            .call(
                "POST",
                "/api/setup/owner",
                Some(json!({"username": "o", "password": "short"})),
                &anon,
            )
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        let owner = t.owner().await;
        assert_eq!(t.get("/api/setup", &anon).await.body["needs_owner"], false);
        let again = t
            .call(
                "POST",
                "/api/setup/owner",
                Some(json!({"username": "x", "password": PASSWORD})),
                &anon,
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let me = t.get("/api/session", &owner).await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!(me.body["user"]["is_owner"], true);
        assert_eq!(me.body["user"]["display_name"], "Olive Owner");
        // The owner belongs to Development.
        let envs = t.get("/api/environments", &owner).await;
        assert_eq!(envs.body[0]["name"], "Development");
        // Wrong password, unknown user.
        for (u, p) in [("owner", "wrong password"), ("nobody", PASSWORD)] {
            let r = t
                .call(
                    "POST",
                    "/api/session",
                    Some(json!({"username": u, "password": p})),
                    &anon,
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let again = t.sign_in("owner").await;
        let set_cookie = t
            .call(
                "POST",
                "/api/session",
                Some(json!({"username": "owner", "password": PASSWORD})),
                &anon,
            )
            .await
            .headers["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
        let out = t.call("DELETE", "/api/session", None, &again).await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        assert_eq!(
            t.get("/api/session", &again).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(t.get("/api/session", &owner).await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn csrf_protection() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let body = json!({"name": "Test"});
        let no_token = Auth {
            csrf: None,
            ..owner.clone()
        };
        let r = t
            .call("POST", "/api/environments", Some(body.clone()), &no_token)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let wrong = Auth {
            csrf: Some("nope".into()),
            ..owner.clone()
        };
        assert_eq!(
            t.call("POST", "/api/environments", Some(body.clone()), &wrong)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let req = Request::builder()
            .method("POST")
            .uri("/api/environments")
            .header("host", "127.0.0.1:8080")
            .header("origin", "http://evil.example")
            .header("cookie", owner.cookie.clone().unwrap())
            .header("x-csrf-token", owner.csrf.clone().unwrap())
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        assert_eq!(t.raw(req).await.status, StatusCode::FORBIDDEN);
        let req = Request::builder()
            .method("POST")
            .uri("/api/environments")
            .header("host", "127.0.0.1:8080")
            .header("origin", "http://127.0.0.1:8080")
            .header("cookie", owner.cookie.clone().unwrap())
            .header("x-csrf-token", owner.csrf.clone().unwrap())
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        assert_eq!(t.raw(req).await.status, StatusCode::CREATED);
    })
    .await;
}

/// A request for single sign-on: `header: user` (if any), an optional `Origin`, a JSON body.
fn sso_request(
    method: &str,
    path: &str,
    header: Option<(&str, &str)>,
    origin: Option<&str>,
    body: Option<serde_json::Value>,
) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1:8080");
    if let Some((name, user)) = header {
        b = b.header(name, user);
    }
    if let Some(o) = origin {
        b = b.header("origin", o);
    }
    match body {
        Some(v) => b
            .header("content-type", "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

#[tokio::test]
async fn trusted_user_header_is_that_user_only_when_configured() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let ada = t.user(&owner, "ada").await;
        // The header name is matched case-insensitively, as HTTP header names are.
        let sso = t.with_settings(|s| s.trusted_user_header = Some("X-Remote-User".into()));
        let as_user = |user| Some(("x-remote-user", user));

        // A request carrying the header is that user: no cookie, no token, no CSRF token.
        let r = send(
            &sso,
            sso_request("GET", "/api/session", as_user("ada"), None, None),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["user"]["id"], ada.user_id.as_str());
        assert_eq!(r.body["user"]["username"], "ada");
        assert_eq!(r.body["csrf_token"], "", "no session, so no CSRF token");
        assert!(
            r.headers.get("set-cookie").is_none(),
            "no session is started"
        );
        // ...with that user's rights: ada is not the owner.
        let new_user = json!({"username": "bob", "password": PASSWORD});
        let r = send(
            &sso,
            sso_request(
                "POST",
                "/api/users",
                as_user("ada"),
                None,
                Some(new_user.clone()),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        let env = json!({"name": "Staging"});
        let r = send(
            &sso,
            sso_request(
                "POST",
                "/api/environments",
                as_user("owner"),
                Some("http://127.0.0.1:8080"),
                Some(env.clone()),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        // A state-changing request from another site is refused (CSRF), header or not.
        let r = send(
            &sso,
            sso_request(
                "POST",
                "/api/environments",
                as_user("owner"),
                Some("http://evil.example"),
                Some(json!({"name": "Evil"})),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        assert_eq!(code(&r), "forbidden");
        // A name that is not a user, or no header at all, is not signed in.
        for header in [as_user("mallory"), as_user(""), None] {
            let r = send(&sso, sso_request("GET", "/api/session", header, None, None)).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{header:?}: {}", r.text);
        }

        // Without the setting the header is ignored: nobody is signed in by it.
        let r = t
            .raw(sso_request(
                "GET",
                "/api/session",
                as_user("owner"),
                None,
                None,
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
        let r = t
            .raw(sso_request(
                "POST",
                "/api/users",
                as_user("owner"),
                Some("http://127.0.0.1:8080"),
                Some(new_user),
            ))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
        // ...and a real session still works beside it, as its own user.
        let r = t
            .raw(
                Request::builder()
                    .uri("/api/session")
                    .header("host", "127.0.0.1:8080")
                    .header("cookie", ada.cookie.clone().unwrap())
                    .header("x-remote-user", "owner")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["user"]["username"], "ada");
    })
    .await;
}
