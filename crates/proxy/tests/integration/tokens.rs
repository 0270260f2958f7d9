//! `/api/me/tokens`: API tokens that act as their user, shown once, revocable.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;

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
        // Its first use is recorded; later uses within a minute write nothing.
        let last_used = async || -> Option<i64> {
            sqlx::query_scalar("SELECT last_used_at FROM api_tokens WHERE id = $1")
                .bind(&id)
                .fetch_one(t.state.db())
                .await
                .unwrap()
        };
        let first = last_used().await.expect("first use recorded");
        let used_ago = async |secs: i64| {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(first - secs)
                .bind(&id)
                .execute(t.state.db())
                .await
                .unwrap();
        };
        used_ago(30).await;
        assert_eq!(t.get("/api/session", &bearer).await.status, StatusCode::OK);
        assert_eq!(last_used().await, Some(first - 30));
        used_ago(61).await;
        assert_eq!(t.get("/api/session", &bearer).await.status, StatusCode::OK);
        assert!(last_used().await >= Some(first));
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
