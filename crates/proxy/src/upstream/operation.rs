//! The HTTP request of one connector operation: the URL from the definition's scheme, host, base
//! path and the operation's path; path, query and header parameters from the given values or the
//! definition's defaults; and the connection's credentials placed as `securityDefinitions` and
//! the parameter set's auth kind say (API key in a header or the query, basic, bearer). Secrets
//! go into sensitive header values or the query only, never into an error.

use super::UpstreamRequest;
use base64::Engine;
use plugboard_model::connector::{
    AuthKind, ConnectionParameterKind, ConnectionParameterSet, ConnectorAction, ConnectorDetail,
    ParamLocation,
};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::{Method, Url};
use serde_json::Value;
use std::collections::BTreeMap;

/// A connection's fields: plain values and decrypted secrets, of one parameter set.
pub struct Credentials<'a> {
    pub set: &'a ConnectionParameterSet,
    pub values: &'a BTreeMap<String, String>,
    pub secrets: &'a BTreeMap<String, String>,
}

/// Why no request could be made.
#[derive(Debug, PartialEq)]
pub enum BuildError {
    /// OAuth 2.0: the user has to sign in first.
    NeedsSignIn,
    /// The definition or the connection lacks something; the sentence says what.
    Invalid(String),
}

/// Text of a parameter value (strings as they are, numbers and booleans as JSON prints them).
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Percent-encode everything but RFC 3986's unreserved characters (one path segment's value).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The request for `action` of `connector`, with `inputs` by parameter name.
pub fn build(
    connector: &ConnectorDetail,
    action: &ConnectorAction,
    inputs: &BTreeMap<String, Value>,
    creds: &Credentials,
) -> Result<UpstreamRequest, BuildError> {
    let name = &connector.name;
    let invalid = |m: String| BuildError::Invalid(m);
    if creds.set.auth == AuthKind::Oauth2 {
        return Err(BuildError::NeedsSignIn);
    }
    let host = connector.host.trim();
    if host.is_empty() || host.contains(['{', '/', '@', ' ']) {
        return Err(invalid(format!(
            "{name} declares no host Plugboard can call"
        )));
    }
    let scheme = if connector.schemes.is_empty() || connector.schemes.iter().any(|s| s == "https") {
        "https"
    } else {
        connector.schemes[0].as_str()
    };
    let value_of = |b: &plugboard_model::connector::ParamBinding| {
        inputs
            .get(&b.name)
            .and_then(text)
            .or_else(|| b.default.as_ref().and_then(text))
    };
    // The path, its `{parameters}` filled in.
    let mut path = String::new();
    let mut rest = action.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
            invalid(format!(
                "{name}: the path of {} is malformed",
                action.operation_id
            ))
        })?;
        path.push_str(&rest[..open]);
        let pname = &rest[open + 1..close];
        let value = action
            .bindings
            .iter()
            .find(|b| b.location == ParamLocation::Path && b.api_name == pname)
            .and_then(value_of)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                invalid(format!(
                    "{name}: {} needs a value for its path parameter `{pname}`",
                    action.operation_id
                ))
            })?;
        path.push_str(&encode_segment(&value));
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    let base = connector.base_path.trim().trim_end_matches('/');
    let base = if base.is_empty() || base.starts_with('/') {
        base.to_string()
    } else {
        format!("/{base}")
    };
    let sep = if path.starts_with('/') { "" } else { "/" };
    let mut url = Url::parse(&format!("{scheme}://{host}{base}{sep}{path}")).map_err(|_| {
        invalid(format!(
            "{name}: its host and path do not make a valid address"
        ))
    })?;
    let mut headers = HeaderMap::new();
    for b in &action.bindings {
        let Some(v) = value_of(b) else { continue };
        match b.location {
            ParamLocation::Query => {
                url.query_pairs_mut().append_pair(&b.api_name, &v);
            }
            ParamLocation::Header => {
                let (Ok(h), Ok(v)) = (
                    HeaderName::from_bytes(b.api_name.as_bytes()),
                    HeaderValue::from_str(&v),
                ) else {
                    return Err(invalid(format!(
                        "{name}: the header parameter `{}` of {} is not a valid header",
                        b.api_name, action.operation_id
                    )));
                };
                headers.insert(h, v);
            }
            _ => {}
        }
    }
    let mut credential_headers = Vec::new();
    add_credentials(
        connector,
        creds,
        &mut url,
        &mut headers,
        &mut credential_headers,
    )?;
    let method = Method::from_bytes(action.method.as_bytes()).map_err(|_| {
        invalid(format!(
            "{name}: {} has no valid method",
            action.operation_id
        ))
    })?;
    Ok(UpstreamRequest {
        method,
        url,
        headers,
        body: None,
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

fn add_credentials(
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
        AuthKind::Oauth2 => return Err(BuildError::NeedsSignIn),
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

#[cfg(test)]
#[path = "operation_tests.rs"]
mod tests;
