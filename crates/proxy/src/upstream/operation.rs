//! The HTTP request of one connector operation: the URL from the definition's scheme, host (its
//! `{placeholders}` filled from the connection's values), base path (or the `dynamichosturl`
//! address that replaces all three: `host_url.rs`) and the operation's path;
//! path (`x-ms-url-encoding`), query and header parameters from the given values or the
//! definition's defaults; the body (`body.rs`); and the connection's credentials
//! (`credentials.rs`). Secrets go into sensitive header values or the query only, never into an
//! error.

use super::{body, credentials, UpstreamRequest};
use plugboard_model::connector::{
    ConnectorAction, ConnectorDetail, ParamBinding, ParamLocation, UrlEncoding,
};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, Url};
use serde_json::Value;
use std::collections::BTreeMap;

pub use super::credentials::Credentials;

/// Why no request could be made.
#[derive(Debug, PartialEq)]
pub enum BuildError {
    /// OAuth 2.0: the user has to sign in first.
    NeedsSignIn,
    /// The definition or the connection lacks something; the sentence says what.
    Invalid(String),
}

/// Text of a parameter value: strings as they are, numbers and booleans as JSON prints them, a
/// list of those comma-separated (Swagger's default `collectionFormat`, `csv`).
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::Array(_) | Value::Object(_) => None,
                other => text(other),
            })
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join(",")),
        _ => None,
    }
}

/// Percent-encode everything but RFC 3986's unreserved characters (one path segment's value).
pub(super) fn encode_segment(s: &str) -> String {
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

/// The host to call: the definition's, its `{name}` placeholders filled from the connection's
/// plain values, each of which must be a host name part (letters, digits, `-`, `.`, a `:port`),
/// so that no value can move the request elsewhere.
fn host(connector: &ConnectorDetail, creds: &Credentials) -> Result<String, BuildError> {
    if let Some(b) = super::host_url::fill(connector, creds)? {
        return Ok(b.host);
    }
    let name = &connector.name;
    let refused = || BuildError::Invalid(format!("{name} declares no host Plugboard can call"));
    let mut out = String::new();
    let mut rest = connector.host.trim();
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(refused)?;
        out.push_str(&rest[..open]);
        let field = &rest[open + 1..close];
        let value = creds
            .values
            .get(field)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                BuildError::Invalid(format!(
                    "{name}: the connection has no `{field}`, which its host needs"
                ))
            })?;
        if !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':'))
        {
            return Err(BuildError::Invalid(format!(
                "{name}: the connection's `{field}` is not a host name"
            )));
        }
        out.push_str(value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    if out.is_empty() || out.contains(['{', '}', '/', '@', ' ', '?', '#', '\\']) {
        return Err(refused());
    }
    Ok(out)
}

/// The operation's path with its `{parameters}` filled in, each value percent-encoded once, or
/// twice for `x-ms-url-encoding: double`.
fn path(
    connector: &ConnectorDetail,
    action: &ConnectorAction,
    value_of: impl Fn(&ParamBinding) -> Option<String>,
) -> Result<String, BuildError> {
    let name = &connector.name;
    let op = &action.operation_id;
    let mut path = String::new();
    let mut rest = action.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| BuildError::Invalid(format!("{name}: the path of {op} is malformed")))?;
        path.push_str(&rest[..open]);
        let pname = &rest[open + 1..close];
        let binding = action
            .bindings
            .iter()
            .find(|b| b.location == ParamLocation::Path && b.api_name == pname);
        let value = binding
            .and_then(&value_of)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| {
                BuildError::Invalid(format!(
                    "{name}: {op} needs a value for its path parameter `{pname}`"
                ))
            })?;
        let once = encode_segment(&value);
        match binding.map(|b| b.url_encoding) {
            Some(UrlEncoding::Double) => path.push_str(&encode_segment(&once)),
            _ => path.push_str(&once),
        }
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    Ok(path)
}

/// The request for `action` of `connector`, with `inputs` by parameter name (checked by
/// `execute::inputs::check`, or fixed values such as `testConnection`'s).
pub fn build(
    connector: &ConnectorDetail,
    action: &ConnectorAction,
    inputs: &BTreeMap<String, Value>,
    creds: &Credentials,
) -> Result<UpstreamRequest, BuildError> {
    let name = &connector.name;
    let invalid = |m: String| BuildError::Invalid(m);
    let host = host(connector, creds)?;
    // A `dynamichosturl` address replaces the definition's scheme and base path (and host).
    let templated = super::host_url::fill(connector, creds)?;
    let scheme = match &templated {
        Some(b) => b.scheme.as_str(),
        None if connector.schemes.is_empty() || connector.schemes.iter().any(|s| s == "https") => {
            "https"
        }
        None => connector.schemes[0].as_str(),
    };
    let value_of = |b: &ParamBinding| {
        inputs
            .get(&b.name)
            .and_then(text)
            .or_else(|| b.default.as_ref().and_then(text))
    };
    let path = path(connector, action, value_of)?;
    let base = templated
        .as_ref()
        .map_or(connector.base_path.as_str(), |b| b.path.as_str())
        .trim()
        .trim_end_matches('/');
    let base = if base.is_empty() || base.starts_with('/') {
        base.to_string()
    } else {
        format!("/{base}")
    };
    let sep = if path.starts_with('/') { "" } else { "/" };
    let bad_address = || {
        invalid(format!(
            "{name}: its host and path do not make a valid address"
        ))
    };
    // The origin of the host alone: the whole address must keep it.
    let origin = Url::parse(&format!("{scheme}://{host}/"))
        .map_err(|_| bad_address())?
        .origin();
    let mut url =
        Url::parse(&format!("{scheme}://{host}{base}{sep}{path}")).map_err(|_| bad_address())?;
    if url.origin() != origin || !url.username().is_empty() {
        return Err(bad_address());
    }
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
    let body = body::encode(action, inputs).map_err(|m| invalid(format!("{name}: {m}")))?;
    if let Some(b) = &body {
        if !headers.contains_key(CONTENT_TYPE) {
            headers.insert(CONTENT_TYPE, b.content_type.clone());
        }
    }
    let method = Method::from_bytes(action.method.as_bytes()).map_err(|_| {
        invalid(format!(
            "{name}: {} has no valid method",
            action.operation_id
        ))
    })?;
    credentials::signed(
        connector,
        creds,
        method,
        url,
        headers,
        body.map(|b| b.bytes),
    )
}

#[cfg(test)]
#[path = "operation_tests.rs"]
mod tests;
