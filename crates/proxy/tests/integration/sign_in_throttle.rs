//! Sign-in throttling: per account and per client address, counted in the database (a second
//! replica on it is no way around), a parallel flood counted too, 429 with `Retry-After`; the
//! argon2 work bounded so a flood of sign-ins leaves other requests answered.

use crate::common::*;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::json;
use std::net::SocketAddr;

/// A sign-in attempt, from `from` when given (as the server sees a connection's peer).
async fn attempt(app: &Router, user: &str, password: &str, from: Option<&str>) -> Resp {
    let mut req = Request::builder()
        .method("POST")
        .uri("/api/session")
        .header("host", "127.0.0.1:8080")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"username": user, "password": password}).to_string(),
        ))
        .unwrap();
    if let Some(a) = from {
        let peer: SocketAddr = format!("{a}:40000").parse().unwrap();
        req.extensions_mut().insert(ConnectInfo(peer));
    }
    send(app, req).await
}

/// Ends the account's (or address's) wait, as if its time had passed.
async fn wait_over(t: &TestApp, key: &str) {
    sqlx::query("UPDATE sign_in_throttle SET locked_until = 0 WHERE key = $1")
        .bind(key)
        .execute(t.state.db())
        .await
        .unwrap();
}

#[tokio::test]
async fn failures_make_an_account_wait_on_every_replica() {
    each_backend(async |t| {
        t.owner().await;
        // A second replica on the same database.
        let other = t.with_settings(|_| {});
        for i in 0..5 {
            let app = if i % 2 == 0 { &t.app } else { &other };
            let r = attempt(app, "owner", "wrong password", None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        }
        for app in [&t.app, &other] {
            // Even the right password waits now, and costs no password work.
            let r = attempt(app, "Owner", PASSWORD, None).await;
            assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(r.body["error"]["code"], "too_many_attempts");
            let msg = r.body["error"]["message"].as_str().unwrap();
            assert!(
                msg.starts_with("Too many failed sign-ins for this account. Try again in "),
                "{msg}"
            );
            let after: u64 = r.headers[header::RETRY_AFTER]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=2).contains(&after), "{after}");
        }
        wait_over(&t, "user:owner").await;
        // Each further failure waits longer.
        assert_eq!(
            attempt(&other, "owner", "wrong again", None).await.status,
            StatusCode::UNAUTHORIZED
        );
        let r = attempt(&t.app, "owner", PASSWORD, None).await;
        let after: u64 = r.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((3..=4).contains(&after), "{after}");
        wait_over(&t, "user:owner").await;
        assert_eq!(
            attempt(&t.app, "owner", PASSWORD, None).await.status,
            StatusCode::OK
        );
        // A success forgets the account's failures.
        for _ in 0..4 {
            assert_eq!(
                attempt(&other, "owner", "wrong", None).await.status,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            attempt(&t.app, "owner", PASSWORD, None).await.status,
            StatusCode::OK
        );
        // Unknown names are counted alike, so the answers do not tell which accounts exist.
        for _ in 0..5 {
            assert_eq!(
                attempt(&t.app, "nobody", PASSWORD, None).await.status,
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(
            attempt(&t.app, "nobody", PASSWORD, None).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
    })
    .await;
}

#[tokio::test]
async fn a_parallel_flood_is_counted_before_any_password_work() {
    each_backend(async |t| {
        t.owner().await;
        let app = t.app.clone();
        let tries = (0..20).map(|i| {
            let app = app.clone();
            tokio::spawn(async move {
                attempt(&app, "owner", &format!("guess {i}"), None)
                    .await
                    .status
            })
        });
        let mut checked = 0;
        let mut refused = 0;
        for r in tries {
            match r.await.unwrap() {
                StatusCode::UNAUTHORIZED => checked += 1,
                StatusCode::TOO_MANY_REQUESTS => refused += 1,
                s => panic!("{s}"),
            }
        }
        // The free attempts and one more (which holds the account while it is checked).
        assert_eq!((checked, refused), (5, 15));
    })
    .await;
}

#[tokio::test]
async fn an_address_that_tries_many_accounts_waits() {
    each_backend(async |t| {
        t.owner().await;
        // More are free per address than per account: many may sign in from behind one.
        for i in 0..20 {
            let r = attempt(&t.app, &format!("user{i}"), PASSWORD, Some("203.0.113.9")).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let r = attempt(&t.app, "owner", PASSWORD, Some("203.0.113.9")).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("this address"));
        // Another address is not held up, and through a reverse proxy the header names it.
        assert_eq!(
            attempt(&t.app, "owner", PASSWORD, Some("198.51.100.4"))
                .await
                .status,
            StatusCode::OK
        );
        let behind = t.with_settings(|s| s.client_ip_header = Some("x-forwarded-for".into()));
        let via = |addr: &str| {
            Request::builder()
                .method("POST")
                .uri("/api/session")
                .header("host", "127.0.0.1:8080")
                .header("content-type", "application/json")
                .header("x-forwarded-for", format!("10.9.9.9, {addr}"))
                .body(Body::from(
                    json!({"username": "owner", "password": PASSWORD}).to_string(),
                ))
                .unwrap()
        };
        assert_eq!(
            send(&behind, via("203.0.113.9")).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(send(&behind, via("192.0.2.1")).await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn a_flood_of_sign_ins_leaves_other_requests_answered() {
    each_backend(async |t| {
        t.owner().await;
        let owner = t.sign_in("owner").await;
        // Real argon2 costs (the tests' default is cheap), on the same database.
        let app = t.with_settings(|s| {
            s.argon2_m_kib = 19 * 1024;
            s.argon2_t = 2;
        });
        let flood: Vec<_> = (0..16)
            .map(|i| {
                let app = app.clone();
                // Distinct unknown names: nothing throttles them, each costs a verification.
                tokio::spawn(async move {
                    attempt(&app, &format!("flood{i}"), "a guess 123", None).await
                })
            })
            .collect();
        tokio::task::yield_now().await;
        for _ in 0..3 {
            assert_eq!(
                call_on(&app, "GET", "/api/session", None, &owner)
                    .await
                    .status,
                StatusCode::OK
            );
        }
        // The flood waits its turns: most of it is still being checked.
        let done = flood.iter().filter(|h| h.is_finished()).count();
        assert!(
            done < flood.len() / 2,
            "{done} of {} sign-ins finished first",
            flood.len()
        );
        for h in flood {
            assert_eq!(h.await.unwrap().status, StatusCode::UNAUTHORIZED);
        }
    })
    .await;
}
