//! A connection's credentials on a request, placed as `securityDefinitions` and the parameter
//! set's auth kind say (API key in a header or the query, basic, bearer, an OAuth access
//! token), in sensitive header values; and every form of them an answer could echo back, so an answer can be scrubbed.

use super::operation::BuildError;
use super::UpstreamRequest;
use axum::body::Bytes;
use base64::Engine;
use plugboard_model::connector::{
    AuthKind, ConnectionParameterKind, ConnectionParameterSet, ConnectorDetail, ParamLocation,
};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::{Method, Url};
use std::collections::BTreeMap;

/// A connection's fields: plain values and decrypted secrets, of one parameter set.
pub struct Credentials<'a> {
    pub set: &'a ConnectionParameterSet,
    pub values: &'a BTreeMap<String, String>,
    pub secrets: &'a BTreeMap<String, String>,
}

impl Credentials<'_> {
    /// Every secret as it could come back in an answer: as typed, percent-encoded (a query
    /// echoed), and basic authentication's base64 token. Secrets shorter than 4 bytes are left
    /// out: scrubbing them would garble any answer and hide nothing.
    pub fn echoes(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in self.secrets.values().filter(|s| s.len() >= 4) {
            out.push(s.clone());
            let encoded: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            if encoded != *s {
                out.push(encoded);
            }
        }
        if self.set.auth == AuthKind::Basic {
            let user = field(self, ConnectionParameterKind::String, &["username"]);
            let password = field(self, ConnectionParameterKind::SecureString, &["password"]);
            if let (Some(u), Some(p)) = (user, password) {
                out.push(base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}")));
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        out.sort_by_key(|s| std::cmp::Reverse(s.len()));
        out.dedup();
        out
    }
}

/// The request to send: `method` to `url` with `headers` and `body`, the connection's
/// credentials placed in it (and the headers that carry them noted, to drop on leaving the
/// origin).
pub fn signed(
    connector: &ConnectorDetail,
    creds: &Credentials,
    method: Method,
    mut url: Url,
    mut headers: HeaderMap,
    body: Option<Bytes>,
) -> Result<UpstreamRequest, BuildError> {
    let mut credential_headers = Vec::new();
    add(
        connector,
        creds,
        &mut url,
        &mut headers,
        &mut credential_headers,
    )?;
    Ok(UpstreamRequest {
        method,
        url,
        headers,
        body,
        credential_headers,
    })
}

/// A header value that holds a secret: marked sensitive (never printed by `Debug`).
fn secret_header(v: &str, what: &str) -> Result<HeaderValue, BuildError> {
    let mut h = HeaderValue::from_str(v).map_err(|_| {
        BuildError::Invalid(format!(
            "The {what} holds characters an HTTP header cannot carry"
        ))
    })?;
    h.set_sensitive(true);
    Ok(h)
}

/// The field of `kind` named `preferred`, else the only field of that kind.
fn field<'a>(
    creds: &'a Credentials,
    kind: ConnectionParameterKind,
    preferred: &[&str],
) -> Option<&'a String> {
    let source = if kind == ConnectionParameterKind::SecureString {
        creds.secrets
    } else {
        creds.values
    };
    let of_kind: Vec<&str> = creds
        .set
        .parameters
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| p.name.as_str())
        .collect();
    preferred
        .iter()
        .find_map(|n| {
            of_kind
                .iter()
                .find(|p| p.eq_ignore_ascii_case(n))
                .and_then(|p| source.get(*p))
        })
        .or_else(|| match of_kind.as_slice() {
            [only] => source.get(*only),
            _ => None,
        })
}

fn add(
    connector: &ConnectorDetail,
    creds: &Credentials,
    url: &mut Url,
    headers: &mut HeaderMap,
    credential_headers: &mut Vec<HeaderName>,
) -> Result<(), BuildError> {
    let name = &connector.name;
    let missing = |what: &str| BuildError::Invalid(format!("The connection has no {what}"));
    match creds.set.auth {
        AuthKind::None => {}
        AuthKind::Oauth2 => {
            // The sign-in's access token (`oauth::refresh` keeps it fresh), never a typed field.
            let token = creds
                .secrets
                .get(crate::secrets::ACCESS_TOKEN)
                .ok_or(BuildError::NeedsSignIn)?;
            headers.insert(
                AUTHORIZATION,
                secret_header(&format!("Bearer {token}"), "access token")?,
            );
            credential_headers.push(AUTHORIZATION);
        }
        AuthKind::Basic => {
            let user = field(creds, ConnectionParameterKind::String, &["username"])
                .ok_or_else(|| missing("username"))?;
            let password = field(creds, ConnectionParameterKind::SecureString, &["password"])
                .ok_or_else(|| missing("password"))?;
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            headers.insert(
                AUTHORIZATION,
                secret_header(&format!("Basic {token}"), "password")?,
            );
            credential_headers.push(AUTHORIZATION);
        }
        AuthKind::Bearer => {
            let token = field(creds, ConnectionParameterKind::SecureString, &["token"])
                .ok_or_else(|| missing("token"))?;
            headers.insert(
                AUTHORIZATION,
                secret_header(&format!("Bearer {token}"), "token")?,
            );
            credential_headers.push(AUTHORIZATION);
        }
        AuthKind::ApiKey => {
            let schemes: Vec<_> = connector
                .security
                .iter()
                .filter(|s| s.auth == AuthKind::ApiKey)
                .collect();
            if schemes.is_empty() {
                return Err(BuildError::Invalid(format!(
                    "{name} does not say where its API key goes (securityDefinitions)"
                )));
            }
            for s in schemes {
                let key = field(
                    creds,
                    ConnectionParameterKind::SecureString,
                    &[&s.id, &s.name, "api_key", "apikey"],
                )
                .ok_or_else(|| missing("API key"))?;
                // The generic HTTP connector lets the connection name the header.
                let place = creds
                    .values
                    .get("header")
                    .filter(|h| !h.trim().is_empty())
                    .map_or(s.name.as_str(), |h| h.trim());
                if s.location == Some(ParamLocation::Query) {
                    url.query_pairs_mut().append_pair(place, key);
                } else {
                    let h = HeaderName::from_bytes(place.as_bytes()).map_err(|_| {
                        BuildError::Invalid(format!("`{place}` is not a valid header name"))
                    })?;
                    headers.insert(h.clone(), secret_header(key, "API key")?);
                    credential_headers.push(h);
                }
            }
        }
    }
    Ok(())
}
