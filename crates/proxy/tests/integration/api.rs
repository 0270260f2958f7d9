//! `oneshot` tests of every endpoint and its errors, on SQLite and (when configured) PostgreSQL.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

#[tokio::test]
async fn health_openapi_and_unknown_api_paths() {
    each_backend(async |t| {
        let r = t.get("/api/health", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body["status"], "ok");
        let r = t.get("/api/openapi.json", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body["openapi"], "3.0.3");
        assert!(r.body["paths"]["/api/connections/{connection}"]["delete"].is_object());
        let r = t.get("/api/nope", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(code(&r), "not_found");
    })
    .await;
}

#[tokio::test]
async fn catalog_index_and_detail() {
    each_backend(async |t| {
        let r = t.get("/api/connectors", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::OK);
        let ids = each(&r.body["connectors"], "id");
        for id in [
            "http",
            "office365outlook",
            "onedriveforbusiness",
            "sharepoint",
        ] {
            assert!(ids.contains(&id), "{id} in {ids:?}");
        }
        let r = t
            .get("/api/connectors/office365outlook", &Auth::default())
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body["name"], "Office 365 Outlook");
        assert_eq!(r.body["auth"], json!(["oauth2"]));
        let set = &r.body["connection_parameter_sets"][0]["parameters"][0];
        assert_eq!(set["kind"], "oauth");
        assert!(set["oauth"]["token_url"]
            .as_str()
            .unwrap()
            .contains("login.microsoftonline.com"));
        let send = r.body["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["operation_id"] == "SendEmailV2")
            .unwrap();
        assert_eq!(send["def"]["id"], "connector:office365outlook/SendEmailV2");
        assert_eq!(send["def"]["name"], "Send an email (V2)");
        let names: Vec<&str> = send["def"]["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"body/To") && names.contains(&"body/Subject"),
            "{names:?}"
        );
        let r = t.get("/api/connectors/http", &Auth::default()).await;
        assert_eq!(
            r.body["auth"],
            json!(["none", "api_key", "basic", "bearer"])
        );
        let r = t.get("/api/connectors/nope", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(code(&r), "not_found");
    })
    .await;
}

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

#[tokio::test]
async fn users_are_managed_by_the_owner() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let ann = t.user(&owner, "ann").await;
        let r = t.get("/api/users", &ann).await;
        assert_eq!(r.body.as_array().unwrap().len(), 2);
        assert!(!r.text.contains("password"));
        let r = t
            .call(
                "POST",
                "/api/users",
                Some(json!({"username": "bob", "password": PASSWORD})),
                &ann,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call(
                "POST",
                "/api/users",
                Some(json!({"username": "ann", "password": PASSWORD})),
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = t
            .call(
                "POST",
                "/api/users",
                Some(json!({"username": "bad name", "password": PASSWORD})),
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            t.call(
                "DELETE",
                &format!("/api/users/{}", owner.user_id),
                None,
                &owner
            )
            .await
            .status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            t.call(
                "DELETE",
                &format!("/api/users/{}", owner.user_id),
                None,
                &ann
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        // Ann's connection binds a reference; removing Ann unbinds it.
        let env = t.dev_env(&ann).await;
        let conn = t.connection(&ann, "Ann's", "k").await;
        let r = t
            .call(
                "POST",
                &format!("/api/environments/{env}/references"),
                Some(json!({"display_name": "R", "connector_id": "http", "connection_id": conn})),
                &ann,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let name = r.body["logical_name"].as_str().unwrap().to_string();
        let r = t
            .call(
                "DELETE",
                &format!("/api/users/{}", ann.user_id),
                None,
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        assert_eq!(
            t.get("/api/session", &ann).await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = t
            .get(
                &format!("/api/environments/{env}/references/{name}"),
                &owner,
            )
            .await;
        assert_eq!(r.body["connection_id"], json!(null));
        assert_eq!(
            t.call(
                "DELETE",
                &format!("/api/users/{}", ann.user_id),
                None,
                &owner
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn api_tokens() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let r = t
            .call("POST", "/api/tokens", Some(json!({"name": "ci"})), &owner)
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let token = r.body["token"].as_str().unwrap().to_string();
        let id = r.body["id"].as_str().unwrap().to_string();
        assert!(token.starts_with("pbt_"));
        let bearer = Auth {
            bearer: Some(token.clone()),
            ..Auth::default()
        };
        // A token needs no CSRF header.
        let r = t
            .call(
                "POST",
                "/api/environments",
                Some(json!({"name": "Scripted"})),
                &bearer,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let list = t.get("/api/tokens", &owner).await;
        assert_eq!(list.body.as_array().unwrap().len(), 1);
        assert!(list.body[0].get("token").is_none());
        assert!(!list.text.contains(&token));
        let r = t
            .call("POST", "/api/tokens", Some(json!({"name": ""})), &owner)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            t.call("DELETE", &format!("/api/tokens/{id}"), None, &owner)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            t.get("/api/session", &bearer).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            t.call("DELETE", &format!("/api/tokens/{id}"), None, &owner)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let bogus = Auth {
            bearer: Some("pbt_bogus".into()),
            ..Auth::default()
        };
        assert_eq!(
            t.get("/api/session", &bogus).await.status,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}

#[tokio::test]
async fn environments_and_members() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let ann = t.user(&owner, "ann").await;
        let dev = t.dev_env(&owner).await;
        let r = t
            .call(
                "POST",
                "/api/environments",
                Some(json!({"name": "Production"})),
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let prod = r.body["id"].as_str().unwrap().to_string();
        assert_eq!(
            t.call(
                "POST",
                "/api/environments",
                Some(json!({"name": "Production"})),
                &owner
            )
            .await
            .status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            t.call(
                "POST",
                "/api/environments",
                Some(json!({"name": "  "})),
                &owner
            )
            .await
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            t.call(
                "POST",
                "/api/environments",
                Some(json!({"name": "Mine"})),
                &ann
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        // Ann sees Development only.
        let names: Vec<String> = t
            .get("/api/environments", &ann)
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, vec!["Development"]);
        assert_eq!(
            t.get(&format!("/api/environments/{prod}"), &ann)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            t.get(&format!("/api/environments/{dev}"), &ann)
                .await
                .status,
            StatusCode::OK
        );
        // Members.
        let r = t
            .call(
                "PUT",
                &format!("/api/environments/{prod}/members/{}", ann.user_id),
                None,
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let m = t
            .get(&format!("/api/environments/{prod}/members"), &ann)
            .await;
        assert_eq!(m.body.as_array().unwrap().len(), 2);
        assert_eq!(
            t.call(
                "PUT",
                &format!("/api/environments/{prod}/members/nobody"),
                None,
                &owner
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            t.call(
                "DELETE",
                &format!("/api/environments/{prod}/members/{}", ann.user_id),
                None,
                &ann
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.call(
                "DELETE",
                &format!("/api/environments/{prod}/members/{}", ann.user_id),
                None,
                &owner
            )
            .await
            .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            t.get(&format!("/api/environments/{prod}"), &ann)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // Rename and delete.
        let r = t
            .call(
                "PATCH",
                &format!("/api/environments/{prod}"),
                Some(json!({"name": "Prod"})),
                &owner,
            )
            .await;
        assert_eq!(r.body["name"], "Prod");
        assert_eq!(
            t.call(
                "PATCH",
                &format!("/api/environments/{dev}"),
                Some(json!({"name": "X"})),
                &ann
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            t.call(
                "PATCH",
                &format!("/api/environments/{dev}"),
                Some(json!({"name": "Prod"})),
                &owner
            )
            .await
            .status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            t.call("DELETE", &format!("/api/environments/{prod}"), None, &owner)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            t.get(&format!("/api/environments/{prod}"), &owner)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn connections_validate_fields_and_hide_secrets() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let post = |v| t.call("POST", "/api/connections", Some(v), &owner);
        let r = post(json!({"connector_id": "http", "display_name": "Basic", "parameter_set": "basic",
            "values": {"username": "u", "password": "pw-value-1"}})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.body["status"], "connected");
        assert_eq!(r.body["values"], json!({"username": "u"}));
        assert_eq!(r.body["secrets_set"], json!(["password"]));
        assert_eq!(r.body["is_mine"], true);
        assert!(!r.text.contains("pw-value-1"));
        let id = r.body["id"].as_str().unwrap().to_string();
        // Defaults fill optional fields.
        let r = post(json!({"connector_id": "http", "display_name": "Key", "parameter_set": "apikey",
            "values": {"api_key": "k"}})).await;
        assert_eq!(r.body["values"]["header"], "X-API-Key");
        // Errors.
        for (body, status) in [
            (json!({"connector_id": "http", "display_name": "x", "parameter_set": "basic",
                "values": {"username": "u", "password": "p", "extra": "x"}}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"connector_id": "http", "display_name": "x", "parameter_set": "basic",
                "values": {"username": "u"}}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"connector_id": "http", "display_name": "x", "parameter_set": "basic",
                "values": {"username": 5, "password": "p"}}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"connector_id": "http", "display_name": "x", "parameter_set": "nope"}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"connector_id": "nope", "display_name": "x"}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"connector_id": "http", "display_name": ""}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"connector_id": "office365outlook", "display_name": "x", "values": {"token": "t"}}), StatusCode::UNPROCESSABLE_ENTITY),
            (json!({"connector_id": "http", "display_name": "x", "bogus": 1}), StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let r = post(body.clone()).await;
            assert_eq!(r.status, status, "{body} -> {}", r.text);
            assert_eq!(code(&r), "validation");
        }
        // OAuth connectors wait for sign-in.
        let r = post(json!({"connector_id": "office365outlook", "display_name": "Mail"})).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.body["status"], "needs_sign_in");
        // List, filter, get, rename, change a secret.
        let all = t.get("/api/connections", &owner).await;
        assert_eq!(all.body.as_array().unwrap().len(), 3);
        let http = t.get("/api/connections?connector=http", &owner).await;
        assert_eq!(http.body.as_array().unwrap().len(), 2);
        let r = t.call("PATCH", &format!("/api/connections/{id}"),
            Some(json!({"display_name": "Renamed", "values": {"password": "pw-value-2"}})), &owner).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["display_name"], "Renamed");
        assert_eq!(r.body["values"]["username"], "u");
        assert!(!r.text.contains("pw-value-2"));
        let secrets = plugboard_proxy_secrets(&t, &id).await;
        assert_eq!(secrets["password"], "pw-value-2");
        assert_eq!(
            t.call("PATCH", &format!("/api/connections/{id}"), Some(json!({"values": {"nope": "x"}})), &owner).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(t.get("/api/connections/nope", &owner).await.status, StatusCode::NOT_FOUND);
        assert_eq!(t.call("DELETE", &format!("/api/connections/{id}"), None, &owner).await.status, StatusCode::NO_CONTENT);
        assert_eq!(t.get(&format!("/api/connections/{id}"), &owner).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

async fn plugboard_proxy_secrets(t: &TestApp, id: &str) -> serde_json::Value {
    use sqlx::Row;
    let row = sqlx::query("SELECT secret, key_id FROM connections WHERE id = $1")
        .bind(id)
        .fetch_one(t.state.db())
        .await
        .unwrap();
    let secret: String = row.get("secret");
    let key_id: String = row.get("key_id");
    let plain = t.state.crypto().decrypt(&secret, &key_id, id).unwrap();
    serde_json::from_slice(&plain).unwrap()
}

#[tokio::test]
async fn delete_is_refused_while_references_bind_unless_forced() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let env = t.dev_env(&owner).await;
        let conn = t.connection(&owner, "Key", "k").await;
        let r = t
            .call(
                "POST",
                &format!("/api/environments/{env}/references"),
                Some(json!({"display_name": "Ref", "connector_id": "http", "connection_id": conn})),
                &owner,
            )
            .await;
        let name = r.body["logical_name"].as_str().unwrap().to_string();
        let r = t
            .call("DELETE", &format!("/api/connections/{conn}"), None, &owner)
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(code(&r), "connection_in_use");
        assert_eq!(
            r.body["error"]["details"]["references"][0]["logical_name"],
            name.as_str()
        );
        assert!(r.body["error"]["message"].as_str().unwrap().contains(&name));
        let r = t
            .call(
                "DELETE",
                &format!("/api/connections/{conn}?force=true"),
                None,
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = t
            .get(
                &format!("/api/environments/{env}/references/{name}"),
                &owner,
            )
            .await;
        assert_eq!(r.body["connection_id"], json!(null));
    })
    .await;
}

#[tokio::test]
async fn sharing_is_use_only() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let ann = t.user(&owner, "ann").await;
        let env = t.dev_env(&ann).await;
        let conn = t.connection(&owner, "Shared", "k").await;
        assert_eq!(
            t.get(&format!("/api/connections/{conn}"), &ann)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = t
            .call(
                "PUT",
                &format!("/api/connections/{conn}/shares/{}", ann.user_id),
                None,
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(
            t.call(
                "PUT",
                &format!("/api/connections/{conn}/shares/nobody"),
                None,
                &owner
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        let shares = t
            .get(&format!("/api/connections/{conn}/shares"), &owner)
            .await;
        assert_eq!(shares.body[0]["username"], "ann");
        let r = t.get("/api/connections", &ann).await;
        assert_eq!(r.body[0]["is_mine"], false);
        assert_eq!(r.body[0]["owner"]["username"], "owner");
        // Ann may bind it, not rename, reshare or delete it.
        let r = t
            .call(
                "POST",
                &format!("/api/environments/{env}/references"),
                Some(json!({"display_name": "R", "connector_id": "http", "connection_id": conn})),
                &ann,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        for (m, p) in [
            ("PATCH", format!("/api/connections/{conn}")),
            ("DELETE", format!("/api/connections/{conn}")),
            ("GET", format!("/api/connections/{conn}/shares")),
            (
                "PUT",
                format!("/api/connections/{conn}/shares/{}", owner.user_id),
            ),
        ] {
            let body = (m == "PATCH").then(|| json!({"display_name": "Mine now"}));
            let r = t.call(m, &p, body, &ann).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{m} {p}: {}", r.text);
        }
        let r = t
            .call(
                "DELETE",
                &format!("/api/connections/{conn}/shares/{}", ann.user_id),
                None,
                &owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(
            t.get(&format!("/api/connections/{conn}"), &ann)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            t.call(
                "DELETE",
                &format!("/api/connections/{conn}/shares/{}", ann.user_id),
                None,
                &owner
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn connection_references() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let env = t.dev_env(&owner).await;
        let base = format!("/api/environments/{env}/references");
        let conn = t.connection(&owner, "Key", "k").await;
        let r = t.call("POST", &base, Some(json!({"display_name": "Outlook", "connector_id": "office365outlook"})), &owner).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let outlook = r.body["logical_name"].as_str().unwrap().to_string();
        assert!(outlook.starts_with("pb_office365outlook_") && outlook.len() == "pb_office365outlook_".len() + 4, "{outlook}");
        assert_eq!(r.body["connection_id"], json!(null));
        let r = t.call("POST", &base, Some(json!({"display_name": "Web", "connector_id": "http",
            "logical_name": "pb_web_0001", "connection_id": conn})), &owner).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.body["connection_id"], conn.as_str());
        // Unique per environment; valid names only; known connectors; matching connections.
        let dup = t.call("POST", &base, Some(json!({"display_name": "W", "connector_id": "http", "logical_name": "pb_web_0001"})), &owner).await;
        assert_eq!(dup.status, StatusCode::CONFLICT);
        for body in [
            json!({"display_name": "W", "connector_id": "http", "logical_name": "1 bad"}),
            json!({"display_name": "W", "connector_id": "nope"}),
            json!({"display_name": "", "connector_id": "http"}),
            json!({"display_name": "W", "connector_id": "sharepoint", "connection_id": conn}),
        ] {
            let r = t.call("POST", &base, Some(body.clone()), &owner).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
        }
        let r = t.call("POST", &base, Some(json!({"display_name": "W", "connector_id": "http", "connection_id": "nope"})), &owner).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Another environment may reuse the logical name.
        let prod = t.call("POST", "/api/environments", Some(json!({"name": "Production"})), &owner).await.body["id"].as_str().unwrap().to_string();
        let r = t.call("POST", &format!("/api/environments/{prod}/references"),
            Some(json!({"display_name": "Web", "connector_id": "http", "logical_name": "pb_web_0001"})), &owner).await;
        assert_eq!(r.status, StatusCode::CREATED);
        // Compatible list.
        let r = t.get(&format!("{base}?connector=http"), &owner).await;
        assert_eq!(r.body.as_array().unwrap().len(), 1);
        assert_eq!(r.body[0]["logical_name"], "pb_web_0001");
        assert_eq!(t.get(&base, &owner).await.body.as_array().unwrap().len(), 2);
        // Rename, rebind, unbind, change the logical name.
        let r = t.call("PATCH", &format!("{base}/pb_web_0001"), Some(json!({"display_name": "Website", "connection_id": null})), &owner).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["display_name"], "Website");
        assert_eq!(r.body["connection_id"], json!(null));
        let r = t.call("PATCH", &format!("{base}/pb_web_0001"), Some(json!({"connection_id": conn})), &owner).await;
        assert_eq!(r.body["connection_id"], conn.as_str());
        let r = t.call("PATCH", &format!("{base}/{outlook}"), Some(json!({"connection_id": conn})), &owner).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = t.call("PATCH", &format!("{base}/{outlook}"), Some(json!({"logical_name": "pb_web_0001"})), &owner).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = t.call("PATCH", &format!("{base}/{outlook}"), Some(json!({"logical_name": "pb_mail"})), &owner).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(t.get(&format!("{base}/pb_mail"), &owner).await.status, StatusCode::OK);
        assert_eq!(t.get(&format!("{base}/{outlook}"), &owner).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            t.call("PATCH", &format!("{base}/pb_mail"), Some(json!({"bogus": 1})), &owner).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(t.call("DELETE", &format!("{base}/pb_mail"), None, &owner).await.status, StatusCode::NO_CONTENT);
        assert_eq!(t.call("DELETE", &format!("{base}/pb_mail"), None, &owner).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn deployment_settings_export_and_all_or_nothing_import() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let env = t.dev_env(&owner).await;
        let conn = t.connection(&owner, "Key", "k").await;
        t.call("POST", &format!("/api/environments/{env}/references"),
            Some(json!({"display_name": "Web", "connector_id": "http", "logical_name": "pb_web_0001", "connection_id": conn})), &owner).await;
        let r = t.get(&format!("/api/environments/{env}/deployment-settings"), &owner).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body, json!({"ConnectionReferences": [
            {"LogicalName": "pb_web_0001", "ConnectionId": conn, "ConnectorId": "http"}]}));
        let prod = t.call("POST", "/api/environments", Some(json!({"name": "Production"})), &owner).await.body["id"].as_str().unwrap().to_string();
        let url = format!("/api/environments/{prod}/deployment-settings");
        // One bad entry: nothing is written, every entry reported.
        let bad = json!({"ConnectionReferences": [
            {"LogicalName": "pb_web_0001", "ConnectionId": conn, "ConnectorId": "http"},
            {"LogicalName": "pb_mail_0002", "ConnectionId": "", "ConnectorId": "/providers/Microsoft.PowerApps/apis/shared_office365outlook"},
            {"LogicalName": "pb_bad", "ConnectionId": conn, "ConnectorId": "sharepoint"},
            {"LogicalName": "pb_nope", "ConnectionId": "", "ConnectorId": "nope"}]});
        let r = t.call("POST", &url, Some(bad), &owner).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(code(&r), "import_refused");
        let entries = &r.body["error"]["details"]["entries"];
        let statuses: Vec<&str> = entries.as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["created", "created", "error", "error"]);
        assert_eq!(r.body["error"]["details"]["applied"], false);
        assert_eq!(t.get(&format!("/api/environments/{prod}/references"), &owner).await.body, json!([]));
        // A good file applies.
        let good = json!({"ConnectionReferences": [
            {"LogicalName": "pb_web_0001", "ConnectionId": conn, "ConnectorId": "http"},
            {"LogicalName": "pb_mail_0002", "ConnectionId": "", "ConnectorId": "/providers/Microsoft.PowerApps/apis/shared_office365outlook"}],
            "EnvironmentVariables": []});
        let r = t.call("POST", &url, Some(good.clone()), &owner).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["applied"], true);
        let refs = t.get(&format!("/api/environments/{prod}/references"), &owner).await;
        assert_eq!(refs.body.as_array().unwrap().len(), 2);
        let r = t.call("POST", &url, Some(good), &owner).await;
        let statuses: Vec<&str> = r.body["entries"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["unchanged", "unchanged"]);
        let r = t.call("POST", &url, Some(json!({"ConnectionReferences": [{"LogicalName": "x"}]})), &owner).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn authorization_matrix() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let mallory = t.user(&owner, "mallory").await;
        let dev = t.dev_env(&owner).await;
        let prod = t.call("POST", "/api/environments", Some(json!({"name": "Production"})), &owner).await.body["id"].as_str().unwrap().to_string();
        let mine = t.connection(&owner, "Mine", "k").await;
        // Mallory cannot see, use, bind, share or delete my unshared connection.
        let list = t.get("/api/connections", &mallory).await;
        assert_eq!(list.body, json!([]));
        let denied = [
            ("GET", format!("/api/connections/{mine}"), None),
            ("PATCH", format!("/api/connections/{mine}"), Some(json!({"display_name": "x"}))),
            ("DELETE", format!("/api/connections/{mine}?force=true"), None),
            ("PUT", format!("/api/connections/{mine}/shares/{}", mallory.user_id), None),
            ("GET", format!("/api/connections/{mine}/shares"), None),
            ("POST", format!("/api/environments/{dev}/references"),
                Some(json!({"display_name": "x", "connector_id": "http", "connection_id": mine}))),
            ("POST", format!("/api/environments/{dev}/deployment-settings"),
                Some(json!({"ConnectionReferences": [{"LogicalName": "pb_x_0000", "ConnectionId": mine, "ConnectorId": "http"}]}))),
        ];
        for (m, p, b) in denied {
            let r = t.call(m, &p, b, &mallory).await;
            assert!(r.status.is_client_error() && r.status != StatusCode::UNAUTHORIZED, "{m} {p}: {} {}", r.status, r.text);
        }
        // Binding an existing reference to my connection is refused too.
        t.call("POST", &format!("/api/environments/{dev}/references"),
            Some(json!({"display_name": "x", "connector_id": "http", "logical_name": "pb_x_0001"})), &owner).await;
        let r = t.call("PATCH", &format!("/api/environments/{dev}/references/pb_x_0001"), Some(json!({"connection_id": mine})), &mallory).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Nor touch an environment she does not belong to.
        for (m, p, b) in [
            ("GET", format!("/api/environments/{prod}"), None),
            ("GET", format!("/api/environments/{prod}/references"), None),
            ("GET", format!("/api/environments/{prod}/members"), None),
            ("GET", format!("/api/environments/{prod}/deployment-settings"), None),
            ("POST", format!("/api/environments/{prod}/references"), Some(json!({"display_name": "x", "connector_id": "http"}))),
            ("PATCH", format!("/api/environments/{prod}"), Some(json!({"name": "Mine"}))),
            ("DELETE", format!("/api/environments/{prod}"), None),
            ("POST", format!("/api/environments/{prod}/deployment-settings"), Some(json!({"ConnectionReferences": []}))),
        ] {
            let r = t.call(m, &p, b, &mallory).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{m} {p}: {}", r.text);
        }
        // The owner cannot use Mallory's unshared connection either.
        let hers = t.connection(&mallory, "Hers", "k2").await;
        assert_eq!(t.get(&format!("/api/connections/{hers}"), &owner).await.status, StatusCode::NOT_FOUND);
        // Signed-out callers get 401 everywhere but the public endpoints.
        for p in ["/api/connections", "/api/environments", "/api/users", "/api/tokens"] {
            assert_eq!(t.get(p, &Auth::default()).await.status, StatusCode::UNAUTHORIZED, "{p}");
        }
        let r = t.get("/api/connections", &owner).await;
        assert_eq!(r.body.as_array().unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn malformed_oversized_and_unknown_bodies_get_4xx() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let send = |body: Body, ctype: &str| {
            Request::builder()
                .method("POST")
                .uri("/api/environments")
                .header("host", "127.0.0.1:8080")
                .header("cookie", owner.cookie.clone().unwrap())
                .header("x-csrf-token", owner.csrf.clone().unwrap())
                .header("content-type", ctype)
                .body(body)
                .unwrap()
        };
        let cases = [
            (
                send(Body::from("{\"name\": "), "application/json"),
                StatusCode::BAD_REQUEST,
            ),
            (
                send(Body::from("[1,2"), "application/json"),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                send(Body::from("{\"name\": \"x\"} {}"), "application/json"),
                StatusCode::BAD_REQUEST,
            ),
            (
                send(Body::from("{\"name\": \"x\"}"), "text/plain"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                send(
                    Body::from("{\"name\": \"x\", \"color\": 1}"),
                    "application/json",
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                send(Body::from("{\"name\": 7}"), "application/json"),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                send(
                    Body::from(format!("{{\"name\": \"{}\"}}", "x".repeat(100_000))),
                    "application/json",
                ),
                StatusCode::PAYLOAD_TOO_LARGE,
            ),
            (
                send(
                    Body::from(format!("{}1{}", "[".repeat(5000), "]".repeat(5000))),
                    "application/json",
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        ];
        for (req, status) in cases {
            let r = t.raw(req).await;
            assert_eq!(r.status, status, "{}", r.text);
            assert!(r.body["error"]["code"].is_string(), "{}", r.text);
            assert!(r.body["error"]["message"].is_string());
        }
    })
    .await;
}

#[tokio::test]
async fn key_rotation_re_encrypts_every_secret() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let conn = t.connection(&owner, "Key", "rotate-me").await;
        let before = t.state.crypto().key_id().to_string();
        let n = plugboard_proxy::rotate::rotate_key(t.state.db(), &t.key_file)
            .await
            .unwrap();
        assert_eq!(n, 1);
        let crypto = plugboard_proxy::crypto::load_or_create(&t.key_file).unwrap();
        assert_ne!(crypto.key_id(), before);
        let state = t.with_crypto(crypto);
        use sqlx::Row;
        let row = sqlx::query("SELECT secret, key_id FROM connections WHERE id = $1")
            .bind(&conn)
            .fetch_one(state.db())
            .await
            .unwrap();
        let key_id: String = row.get("key_id");
        let secret: String = row.get("secret");
        assert_eq!(key_id, state.crypto().key_id());
        let plain = state.crypto().decrypt(&secret, &key_id, &conn).unwrap();
        assert_eq!(
            String::from_utf8(plain).unwrap(),
            r#"{"api_key":"rotate-me"}"#
        );
        assert!(!plugboard_proxy::crypto::pending_path(&t.key_file).exists());
    })
    .await;
}
