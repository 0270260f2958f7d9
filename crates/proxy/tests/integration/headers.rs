//! Security headers: the designer's Content-Security-Policy allows Trunk's inline loader by its
//! hash and nothing inline else; no framing, no referrer, no powerful features anywhere; API
//! answers are never cached; HSTS only under TLS.

use crate::common::{each_backend, send};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::Engine;
use sha2::{Digest, Sha256};

fn get(path: &str, https: bool) -> Request<Body> {
    let mut b = Request::builder()
        .uri(path)
        .header("host", "127.0.0.1:8080");
    if https {
        b = b.header("x-forwarded-proto", "https");
    }
    b.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn designer_and_api_answers_carry_the_security_headers() {
    each_backend(async |t| {
        let dist = t.dir.join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        let loader = r#"import init from"/plugboard-designer-0123456789abcdef.js";await init();"#;
        std::fs::write(
            dist.join("index.html"),
            format!("<!doctype html><title>Plugboard</title><script type=module>{loader}</script>"),
        )
        .unwrap();
        // The policy is computed when the app starts, from the index.html it will serve.
        let app = t.with_settings(|_| {});
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(loader));

        let r = send(&app, get("/", false)).await;
        assert_eq!(r.status, StatusCode::OK);
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{csp}"
        );
        assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(r.headers[header::REFERRER_POLICY], "no-referrer");
        assert!(r.headers["permissions-policy"]
            .to_str()
            .unwrap()
            .contains("camera=()"));
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-cache");
        assert!(r.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());

        for path in ["/api/session", "/api/health", "/api/no-such-thing"] {
            let r = send(&app, get(path, false)).await;
            assert_eq!(r.headers[header::CACHE_CONTROL], "no-store", "{path}");
            let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
            assert!(csp.starts_with("default-src 'none'"), "{path}: {csp}");
            assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
        }

        let r = send(&app, get("/", true)).await;
        assert!(r.headers[header::STRICT_TRANSPORT_SECURITY]
            .to_str()
            .unwrap()
            .starts_with("max-age="));
        let tls = t.with_settings(|s| s.secure_cookies = true);
        let r = send(&tls, get("/api/health", false)).await;
        assert!(r.headers.get(header::STRICT_TRANSPORT_SECURITY).is_some());
    })
    .await;
}
