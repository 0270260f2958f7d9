//! `/api/me/favourites`: each user's favourite actions, replaced whole, checked entry by entry.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::{json, Value};

const URL: &str = "/api/me/favourites";

fn list(actions: &[&str]) -> Value {
    json!({ "actions": actions })
}

#[tokio::test]
async fn favourites_are_per_user_and_replaced_whole() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let ann = t.user(&owner, "ann").await;
        let r = t.get(URL, &ann).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body, list(&[]));

        let mine = list(&[
            "connector:contoso-tickets/CreateTicket",
            "variables.set",
            "flow.if",
        ]);
        let r = t.call("PUT", URL, Some(mine.clone()), &ann).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body, mine);
        assert_eq!(t.get(URL, &ann).await.body, mine, "kept in order");
        assert_eq!(t.get(URL, &owner).await.body, list(&[]), "per user");

        // Replaced, not merged: reordered, one gone; then emptied.
        let fewer = list(&["flow.if", "connector:contoso-tickets/CreateTicket"]);
        assert_eq!(
            t.call("PUT", URL, Some(fewer.clone()), &ann).await.status,
            StatusCode::OK
        );
        assert_eq!(t.get(URL, &ann).await.body, fewer);
        assert_eq!(
            t.call("PUT", URL, Some(list(&[])), &ann).await.body,
            list(&[])
        );
        assert_eq!(t.get(URL, &ann).await.body, list(&[]));

        // The most there may be, in order (several inserts in one transaction).
        let many: Vec<String> = (0..500).map(|i| format!("connector:x/op{i}")).collect();
        let r = t
            .call("PUT", URL, Some(json!({ "actions": many })), &ann)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(t.get(URL, &ann).await.body["actions"], json!(many));

        // An API token needs no CSRF header.
        let token = t
            .call(
                "POST",
                "/api/tokens",
                Some(json!({"name": "script"})),
                &owner,
            )
            .await;
        let bearer = Auth {
            bearer: Some(token.body["token"].as_str().unwrap().to_string()),
            ..Auth::default()
        };
        let r = t
            .call("PUT", URL, Some(list(&["variables.set"])), &bearer)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(t.get(URL, &owner).await.body, list(&["variables.set"]));

        // They go with the user.
        let r = t
            .delete(&format!("/api/users/{}", ann.user_id), &owner)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM user_favourites WHERE user_id = $1")
                .bind(&ann.user_id)
                .fetch_one(t.state.db())
                .await
                .unwrap();
        assert_eq!(left, 0);
    })
    .await;
}

#[tokio::test]
async fn favourites_need_a_session_and_the_csrf_token() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let anon = Auth::default();
        for (m, body) in [("GET", None), ("PUT", Some(list(&["variables.set"])))] {
            let r = t.call(m, URL, body, &anon).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{m}: {}", r.text);
            assert_eq!(code(&r), "unauthorized");
        }
        let no_csrf = Auth {
            csrf: None,
            ..owner.clone()
        };
        let r = t
            .call("PUT", URL, Some(list(&["variables.set"])), &no_csrf)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        assert_eq!(t.get(URL, &owner).await.body, list(&[]));
    })
    .await;
}

#[tokio::test]
async fn bad_favourites_are_refused_naming_the_entry_and_nothing_changes() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let kept = list(&["variables.set"]);
        t.call("PUT", URL, Some(kept.clone()), &owner).await;
        let secretish = "do-not-echo-4b1d";
        let too_long = format!("{secretish}{}", "x".repeat(300));
        let too_many: Vec<String> = (0..501).map(|i| format!("a{i}")).collect();
        let cases = [
            (
                json!({"actions": ["variables.set", ""]}),
                Some("actions[1]"),
            ),
            (json!({"actions": [too_long]}), Some("actions[0]")),
            (
                json!({"actions": ["a", secretish, "b", secretish]}),
                Some("actions[3]"),
            ),
            (json!({"actions": too_many}), Some("500")),
            (json!({"actions": [], "extra": secretish}), None),
            (json!({"actions": secretish}), None),
            (json!({"actions": [1]}), None),
            (json!({}), None),
        ];
        for (body, names) in cases {
            let r = t.call("PUT", URL, Some(body.clone()), &owner).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                r.text
            );
            assert_eq!(code(&r), "validation", "{}", r.text);
            let message = r.body["error"]["message"].as_str().unwrap();
            if let Some(n) = names {
                assert!(message.contains(n), "{message} should name {n}");
            }
            assert!(
                !r.text.contains(secretish),
                "the value was echoed: {}",
                r.text
            );
        }
        assert_eq!(t.get(URL, &owner).await.body, kept);
    })
    .await;
}
