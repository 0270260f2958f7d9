//! `/api/users`: the owner adds, changes and removes users; nobody else may.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;

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
