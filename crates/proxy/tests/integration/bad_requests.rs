//! Malformed, oversized and unknown request bodies get a clear 4xx, never a 5xx.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};

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
