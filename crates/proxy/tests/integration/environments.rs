//! `/api/environments`: environments and their members.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;

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
