//! `/api/connections`: fields validated per connector, secrets write-only and encrypted, deletion guarded by the references that bind them, use-only sharing.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;

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
