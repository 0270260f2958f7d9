//! `/api/shares`: short links' ciphertexts stored by signed-in users under an id from their hash,
//! immutable, bounded in size, rate-limited per user across replicas, read back by id by anyone.

use crate::common::*;
use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use plugboard_proxy::http::shares::share_id;
use serde_json::json;

/// Bytes standing in for a browser's AES-GCM output (the proxy never looks inside).
fn ciphertext(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn body(bytes: &[u8]) -> serde_json::Value {
    json!({ "ciphertext": URL_SAFE_NO_PAD.encode(bytes) })
}

#[tokio::test]
async fn a_share_is_stored_once_under_its_hash_and_read_by_anyone() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let bytes = ciphertext(7, 300);
        let r = t
            .call("POST", "/api/shares", Some(body(&bytes)), &owner)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.body["id"].as_str().unwrap().to_string();
        assert_eq!(id, share_id(&bytes));
        assert_eq!(id.len(), 22);

        // The same ciphertext again (a retry, another user): the same id, nothing changes.
        let ann = t.user(&owner, "ann").await;
        let again = t
            .call("POST", "/api/shares", Some(body(&bytes)), &ann)
            .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.text);
        assert_eq!(again.body["id"], id.as_str());
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shares")
            .fetch_one(t.state.db())
            .await
            .unwrap();
        assert_eq!(rows, 1);

        // Read back signed out, exactly as sent; the row holds only that ciphertext.
        let r = t.get(&format!("/api/shares/{id}"), &Auth::default()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body, body(&bytes));
        assert!(r.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable"));
        let (stored, by): (String, Option<String>) =
            sqlx::query_as("SELECT ciphertext, created_by FROM shares WHERE id = $1")
                .bind(&id)
                .fetch_one(t.state.db())
                .await
                .unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(stored).unwrap(), bytes);
        assert_eq!(by.as_deref(), Some(owner.user_id.as_str()));

        // Unknown and malformed ids say which.
        let unknown = share_id(b"never stored");
        let r = t.get(&format!("/api/shares/{unknown}"), &owner).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert!(r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no shared flow has this id"));
        let r = t.get("/api/shares/short", &owner).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert!(r.text.contains("22 characters"), "{}", r.text);

        // A share outlives its creator: links already sent keep opening.
        let ann_bytes = ciphertext(9, 100);
        let r = t
            .call("POST", "/api/shares", Some(body(&ann_bytes)), &ann)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let ann_id = r.body["id"].as_str().unwrap().to_string();
        let r = t
            .delete(&format!("/api/users/{}", ann.user_id), &owner)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        let r = t.get(&format!("/api/shares/{ann_id}"), &owner).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body, body(&ann_bytes));
    })
    .await;
}

#[tokio::test]
async fn storing_needs_a_signed_in_user_and_a_ciphertext_of_bounded_size() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let r = t
            .call(
                "POST",
                "/api/shares",
                Some(body(&ciphertext(1, 64))),
                &Auth::default(),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);

        let refused = [
            (json!({ "ciphertext": "not base64!" }), "not base64url"),
            (json!({ "ciphertext": "AAAA====" }), "not base64url"),
            (body(&ciphertext(1, 28)), "at least 29 bytes"),
            (
                json!({ "ciphertext": "AAAA", "flow": "x" }),
                "unknown field",
            ),
        ];
        for (b, says) in refused {
            let r = t.call("POST", "/api/shares", Some(b.clone()), &owner).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{b}: {}",
                r.text
            );
            assert!(r.text.contains(says), "{b}: {}", r.text);
        }

        // The largest there may be is stored; a byte more is refused (bodies big enough for both).
        let app = t.with_settings(|s| s.max_body_bytes = 2 * 1024 * 1024);
        let max = 512 * 1024;
        let r = call_on(
            &app,
            "POST",
            "/api/shares",
            Some(body(&ciphertext(2, max))),
            &owner,
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = call_on(
            &app,
            "POST",
            "/api/shares",
            Some(body(&ciphertext(3, max + 1))),
            &owner,
        )
        .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
        assert_eq!(code(&r), "too_large");
        assert!(r.text.contains("at most 524288 bytes"), "{}", r.text);
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shares")
            .fetch_one(t.state.db())
            .await
            .unwrap();
        assert_eq!(rows, 1, "nothing refused was stored");
    })
    .await;
}

#[tokio::test]
async fn the_hourly_limit_is_per_user_and_shared_by_replicas() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let ann = t.user(&owner, "ann").await;
        // Two replicas on one database, each allowing 3 new shares an hour.
        let a = t.with_settings(|s| s.shares_per_hour = 3);
        let b = t.with_settings(|s| s.shares_per_hour = 3);
        let post = async |app, seed: u8, who: &Auth| {
            call_on(
                app,
                "POST",
                "/api/shares",
                Some(body(&ciphertext(seed, 40))),
                who,
            )
            .await
        };
        for (seed, app) in [(1, &a), (2, &b), (3, &a)] {
            let r = post(app, seed, &ann).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }
        for app in [&a, &b] {
            let r = post(app, 4, &ann).await;
            assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
            assert_eq!(code(&r), "rate_limited");
            assert!(
                r.text.contains("at most 3 short links an hour"),
                "{}",
                r.text
            );
        }
        // A retry of one already stored costs nothing; another user has their own count.
        assert_eq!(post(&b, 2, &ann).await.status, StatusCode::OK);
        assert_eq!(post(&b, 4, &owner).await.status, StatusCode::CREATED);
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shares")
            .fetch_one(t.state.db())
            .await
            .unwrap();
        assert_eq!(rows, 4);
    })
    .await;
}
