//! "Invoke web service" (`http.invoke`) as a call of the generic HTTP connector's `InvokeHttp`
//! (`connectors/http`): the step's text inputs turned into that operation's inputs, so the
//! built-in action runs through the same execute endpoint (and SSRF guard) as every connector
//! action. Its result's body is `{"statusCode", "headers", "body"}`, the step's three outputs.

use super::inputs::InputError;
use super::ExecuteRequest;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The generic HTTP connector and its one operation.
pub const CONNECTOR: &str = "http";
pub const OPERATION: &str = "InvokeHttp";

fn error(input: &str, label: &str, message: String) -> InputError {
    InputError {
        input: input.into(),
        label: label.into(),
        message,
    }
}

/// The execute request for an `http.invoke` step with these (evaluated) inputs; `reference`
/// names a generic HTTP connection when the call needs credentials, none otherwise.
pub fn request(
    inputs: &BTreeMap<String, String>,
    reference: Option<&str>,
) -> Result<ExecuteRequest, InputError> {
    let get = |k: &str| inputs.get(k).map(|s| s.trim()).unwrap_or("");
    let url = get("url");
    if url.is_empty() {
        return Err(error("url", "URL", "is required".into()));
    }
    let mut headers = Map::new();
    for (i, line) in inputs
        .get("headers")
        .map(String::as_str)
        .unwrap_or("")
        .lines()
        .enumerate()
    {
        if line.trim().is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(error(
                "headers",
                "Custom headers",
                format!("line {}: write each header as `Name: value`", i + 1),
            ));
        };
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(is_token_char) {
            return Err(error(
                "headers",
                "Custom headers",
                format!("line {}: the text before `:` is not a header name", i + 1),
            ));
        }
        headers.insert(name.to_string(), Value::String(value.trim().to_string()));
    }
    let body = inputs.get("body").map(String::as_str).unwrap_or("");
    for (key, header) in [("accept", "Accept"), ("content_type", "Content-Type")] {
        let v = get(key);
        let wanted = !v.is_empty() && (key == "accept" || !body.is_empty());
        if wanted && !headers.keys().any(|h| h.eq_ignore_ascii_case(header)) {
            headers.insert(header.to_string(), Value::String(v.to_string()));
        }
    }
    let mut out = BTreeMap::new();
    out.insert("uri".to_string(), Value::String(url.to_string()));
    let method = match get("method") {
        "" => "GET",
        m => m,
    };
    out.insert(
        "method".to_string(),
        Value::String(method.to_ascii_uppercase()),
    );
    if !headers.is_empty() {
        out.insert("headers".to_string(), Value::Object(headers));
    }
    if !body.is_empty() {
        out.insert("body".to_string(), Value::String(body.to_string()));
    }
    Ok(ExecuteRequest {
        reference: reference.map(str::to_string),
        connector_id: CONNECTOR.into(),
        operation_id: OPERATION.into(),
        inputs: out,
    })
}

/// RFC 9110 token characters (a header name).
fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn inputs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_step_becomes_an_invoke_http_call() {
        let r = request(
            &inputs(&[
                ("url", " https://api.example.com/items?x=1 "),
                ("method", "post"),
                ("accept", "application/json"),
                ("content_type", "application/json"),
                ("headers", "X-Trace: t1\n\nAccept: text/plain"),
                ("body", "{\"a\":1}"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(
            (r.connector_id.as_str(), r.operation_id.as_str()),
            ("http", "InvokeHttp")
        );
        assert_eq!(r.reference, None);
        assert_eq!(
            serde_json::to_value(&r.inputs).unwrap(),
            json!({
                "uri": "https://api.example.com/items?x=1", "method": "POST", "body": "{\"a\":1}",
                "headers": {"X-Trace": "t1", "Accept": "text/plain", "Content-Type": "application/json"}
            })
        );
        // No body: no content type; no method: GET.
        let r = request(
            &inputs(&[("url", "http://h/"), ("content_type", "text/plain")]),
            Some("pb_http_0001"),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&r.inputs).unwrap(),
            json!({"uri": "http://h/", "method": "GET"})
        );
        assert_eq!(r.reference.as_deref(), Some("pb_http_0001"));
    }

    #[test]
    fn bad_steps_name_the_input() {
        assert_eq!(
            request(&inputs(&[]), None).unwrap_err().to_string(),
            "input `url` (URL): is required"
        );
        let e = request(
            &inputs(&[("url", "http://h/"), ("headers", "X-Ok: 1\nno colon")]),
            None,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "input `headers` (Custom headers): line 2: write each header as `Name: value`"
        );
        let e = request(
            &inputs(&[("url", "http://h/"), ("headers", "Bad Name: 1")]),
            None,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "input `headers` (Custom headers): line 1: the text before `:` is not a header name"
        );
    }
}
