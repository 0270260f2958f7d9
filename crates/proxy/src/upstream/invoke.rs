//! The generic HTTP connector's `InvokeHttp` (what "Invoke web service" runs): the request its
//! inputs describe (method, an absolute http or https URI, headers, queries, a text body), with
//! the connection's credentials when the reference names one. The SSRF guard, timeouts and size
//! cap apply as to every other call; headers that belong to the transport are refused.

use super::operation::{text, BuildError, Credentials};
use super::{credentials, UpstreamRequest};
use plugboard_model::connector::ConnectorDetail;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, Url};
use serde_json::Value;
use std::collections::BTreeMap;

/// Headers the caller may not set: the transport's own.
const REFUSED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "proxy-authorization",
    "proxy-connection",
];

fn invalid(m: String) -> BuildError {
    BuildError::Invalid(m)
}

/// The request for `InvokeHttp` with its (checked) `inputs`.
pub fn build(
    connector: &ConnectorDetail,
    inputs: &BTreeMap<String, Value>,
    creds: &Credentials,
) -> Result<UpstreamRequest, BuildError> {
    let uri = inputs.get("uri").and_then(Value::as_str).unwrap_or("");
    let mut url = Url::parse(uri.trim())
        .map_err(|_| invalid("input `uri`: is not an absolute address".into()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid(
            "input `uri`: only http and https addresses are called".into(),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "input `uri`: put credentials in a connection, not in the address".into(),
        ));
    }
    url.set_fragment(None);
    if let Some(queries) = inputs.get("queries") {
        let queries = queries
            .as_object()
            .ok_or_else(|| invalid("input `queries`: expects an object".into()))?;
        for (k, v) in queries {
            let v = text(v).ok_or_else(|| {
                invalid(format!(
                    "input `queries`: `{k}` must be a text, number or boolean"
                ))
            })?;
            url.query_pairs_mut().append_pair(k, &v);
        }
    }
    let mut headers = HeaderMap::new();
    if let Some(given) = inputs.get("headers") {
        let given = given
            .as_object()
            .ok_or_else(|| invalid("input `headers`: expects an object".into()))?;
        for (k, v) in given {
            let bad = || invalid(format!("input `headers`: `{k}` is not a valid header"));
            let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| bad())?;
            if REFUSED_HEADERS.contains(&name.as_str()) {
                return Err(invalid(format!(
                    "input `headers`: `{k}` is set by Plugboard, not by a step"
                )));
            }
            let value = text(v)
                .and_then(|v| HeaderValue::from_str(&v).ok())
                .ok_or_else(bad)?;
            headers.append(name, value);
        }
    }
    let body = match inputs.get("body") {
        None => None,
        Some(Value::String(s)) => Some(s.clone().into_bytes()),
        Some(other) => Some(other.to_string().into_bytes()),
    };
    if body.is_some() && !headers.contains_key(CONTENT_TYPE) {
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    let method_text = inputs
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("GET");
    let method = Method::from_bytes(method_text.as_bytes())
        .map_err(|_| invalid("input `method`: is not an HTTP method".into()))?;
    credentials::signed(connector, creds, method, url, headers, body.map(Into::into))
}
