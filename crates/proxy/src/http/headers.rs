//! The security headers of every answer: a Content-Security-Policy (the designer's allows only its
//! own files, wasm compilation and Trunk's inline loader by its hash, computed at start from the
//! served `index.html`; the API's allows nothing), no framing (`frame-ancestors 'none'` and
//! `X-Frame-Options: DENY`), no referrer, no powerful features, HSTS when served over TLS, and
//! `Cache-Control: no-store` on API answers that set no caching of their own. A response that sets its own policy keeps it.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The API answers JSON only: nothing in it may load, run or be framed.
const API_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Features the designer never uses, refused to every frame.
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), \
                           serial=(), bluetooth=(), hid=(), midi=(), display-capture=(), \
                           screen-wake-lock=(), xr-spatial-tracking=()";

/// The inline `<script>` bodies of a page (those without `src`), as CSP hash sources.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<script") {
        let after = &rest[open + "<script".len()..];
        let Some(end_of_tag) = after.find('>') else {
            break;
        };
        let attrs = &after[..end_of_tag];
        let body_and_rest = &after[end_of_tag + 1..];
        let Some(close) = body_and_rest.find("</script>") else {
            break;
        };
        if !attrs.contains("src=") {
            let digest = Sha256::digest(&body_and_rest.as_bytes()[..close]);
            let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
            out.push(format!("'sha256-{b64}'"));
        }
        rest = &body_and_rest[close..];
    }
    out
}

/// The designer's policy: its own files, `wasm-unsafe-eval` to compile the wasm, and the loader
/// scripts of `index.html` by hash. Styles come from its stylesheet only (the view sets positions
/// and brand colours through the CSSOM, which a policy does not govern).
pub fn designer_policy(index_html: Option<&str>) -> String {
    let hashes = index_html.map(inline_script_hashes).unwrap_or_default();
    let mut script = String::from("'self' 'wasm-unsafe-eval'");
    for h in &hashes {
        script.push(' ');
        script.push_str(h);
    }
    format!(
        "default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The designer's policy for the `index.html` in `dir` (read once, at start).
pub fn designer_policy_for(dir: &Path) -> String {
    let html = std::fs::read_to_string(dir.join("index.html")).ok();
    designer_policy(html.as_deref())
}

/// What the header middleware adds: the designer's policy (computed at start) and whether the
/// proxy is reached over TLS.
#[derive(Clone)]
pub struct Headers {
    designer: HeaderValue,
    tls: bool,
}

impl Headers {
    pub fn new(static_dir: &Path, tls: bool) -> Self {
        let policy = designer_policy_for(static_dir);
        Headers {
            // The policy is built from ASCII literals and base64 only.
            designer: HeaderValue::try_from(policy).expect("ASCII policy"),
            tls,
        }
    }
}

/// Adds the headers to every answer; one that set its own policy (a page the API serves) keeps it.
pub async fn add(State(h): State<Headers>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let tls = h.tls
        || req
            .headers()
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    let policy = if api {
        // Answers hold the user's data and CSRF token: never kept by a cache (unless the
        // handler says otherwise: a short link's ciphertext never changes).
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
        HeaderValue::from_static(API_POLICY)
    } else {
        h.designer
    };
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(policy);
    let mut fixed = vec![
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (HeaderName::from_static("permissions-policy"), PERMISSIONS),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    if tls {
        fixed.push((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ));
    }
    for (name, value) in fixed {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = r#"<link href=/a.css rel=stylesheet><script type=module>import init from"/a.js";</script><script src="/b.js"></script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(br#"import init from"/a.js";"#));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
        let policy = designer_policy(Some(html));
        assert!(policy.contains(&hashes[0]));
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn unclosed_script_is_not_hashed() {
        assert!(inline_script_hashes("<script>alert(1)").is_empty());
        assert!(inline_script_hashes("<script").is_empty());
        assert!(designer_policy(None).contains("script-src 'self' 'wasm-unsafe-eval';"));
    }
}
