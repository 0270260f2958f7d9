//! The provider's token endpoint, called through the guarded upstream client: a code exchanged
//! (with the PKCE verifier) or a refresh token redeemed, the answer read bounded and checked.
//! Errors are sentences naming the provider's host and its error code; the provider's own
//! description is cut short and never carries a secret of ours.

use super::provider::Provider;
use crate::db::now;
use crate::upstream::{host_of, UpstreamError, UpstreamRequest};
use crate::AppState;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, Url};
use serde::Deserialize;
use std::fmt;

/// Tokens from the provider.
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// Unix seconds; none when the provider does not say.
    pub expires_at: Option<i64>,
}

/// Why the token endpoint gave no tokens.
#[derive(Debug)]
pub enum TokenError {
    /// The provider answered with an OAuth error (`invalid_grant`, …): the grant is no good.
    Refused {
        host: String,
        status: u16,
        error: String,
        description: String,
    },
    /// No usable answer (network, timeout, refused address, not JSON): try again later.
    Unreachable(String),
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Refused {
                host,
                status,
                error,
                description,
            } => {
                write!(f, "{host} refused the token request (HTTP {status}")?;
                if !error.is_empty() {
                    write!(f, ", {error}")?;
                }
                write!(f, ")")?;
                if !description.is_empty() {
                    write!(f, ": {description}")?;
                }
                Ok(())
            }
            TokenError::Unreachable(why) => write!(f, "{why}"),
        }
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    access_token: Option<String>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// Longest provider error text passed on.
const MAX_DESCRIPTION: usize = 200;
/// Longest token accepted.
const MAX_TOKEN: usize = 16 * 1024;

/// `text` cut to `MAX_DESCRIPTION` characters with every one of `secrets` blanked out.
fn tidy(text: &str, secrets: &[&str]) -> String {
    let mut t: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_DESCRIPTION)
        .collect();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        t = t.replace(s, "…");
    }
    t
}

/// Exchange an authorization code (RFC 6749 §4.1.3 with RFC 7636's verifier).
pub async fn exchange(
    state: &AppState,
    p: &Provider,
    code: &str,
    verifier: &str,
    redirect_uri: &str,
) -> Result<Tokens, TokenError> {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ];
    call(state, p, &p.token_url, &form, &[code, verifier]).await
}

/// Redeem a refresh token (RFC 6749 §6). A provider that does not rotate it keeps the old one.
pub async fn refresh(
    state: &AppState,
    p: &Provider,
    refresh_token: &str,
) -> Result<Tokens, TokenError> {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    let scope = p.scopes.join(" ");
    let mut all: Vec<(&str, &str)> = form.to_vec();
    if !scope.is_empty() {
        all.push(("scope", &scope));
    }
    let mut t = call(state, p, &p.refresh_url, &all, &[refresh_token]).await?;
    if t.refresh_token.is_none() {
        t.refresh_token = Some(refresh_token.to_string());
    }
    Ok(t)
}

async fn call(
    state: &AppState,
    p: &Provider,
    url: &Url,
    form: &[(&str, &str)],
    secrets: &[&str],
) -> Result<Tokens, TokenError> {
    let host = host_of(url);
    let body = {
        let mut b = url::form_urlencoded::Serializer::new(String::new());
        b.extend_pairs(form.iter().copied());
        b.append_pair("client_id", &p.client_id);
        if let Some(s) = &p.client_secret {
            b.append_pair("client_secret", s);
        }
        b.finish()
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    let req = UpstreamRequest {
        method: Method::POST,
        url: url.clone(),
        headers,
        body: Some(body.into_bytes().into()),
        credential_headers: Vec::new(),
    };
    let unreachable =
        |e: UpstreamError| TokenError::Unreachable(format!("The token endpoint: {e}"));
    let resp = state.upstream().send(req).await.map_err(unreachable)?;
    let status = resp.status.as_u16();
    let bytes = resp.bytes().await.map_err(unreachable)?;
    let mut secrets = secrets.to_vec();
    if let Some(s) = &p.client_secret {
        secrets.push(s);
    }
    let answer: Option<Answer> = serde_json::from_slice(&bytes).ok();
    let ok = (200..300).contains(&status);
    match answer {
        Some(Answer {
            access_token: Some(access),
            refresh_token,
            expires_in,
            error: None,
            ..
        }) if ok && !access.is_empty() && access.len() <= MAX_TOKEN => {
            let expires_in = expires_in.and_then(|v| match v {
                serde_json::Value::Number(n) => n.as_i64(),
                serde_json::Value::String(s) => s.parse().ok(),
                _ => None,
            });
            Ok(Tokens {
                access_token: access,
                refresh_token: refresh_token.filter(|r| !r.is_empty() && r.len() <= MAX_TOKEN),
                expires_at: expires_in.filter(|s| *s > 0).map(|s| now() + s),
            })
        }
        Some(a) if !ok || a.error.is_some() => Err(TokenError::Refused {
            host,
            status,
            error: tidy(a.error.as_deref().unwrap_or(""), &secrets),
            description: tidy(a.error_description.as_deref().unwrap_or(""), &secrets),
        }),
        _ if !ok => Err(TokenError::Refused {
            host,
            status,
            error: String::new(),
            description: String::new(),
        }),
        _ => Err(TokenError::Unreachable(format!(
            "The token endpoint at {host} answered without an access token"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn provider_text_is_cut_short_and_never_carries_our_secrets() {
        let said = "bad client_secret s3cr3t-value for code abcd1234\n, try again";
        let t = tidy(said, &["s3cr3t-value", "abcd1234", "ab"]);
        assert_eq!(t, "bad client_secret … for code …, try again");
        assert_eq!(tidy(&"x".repeat(500), &[]).len(), 200);
    }
}
