//! Who may see and touch what: every role against every resource.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;

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
