//! What a run asks of the browser that leaves it: a connector call or an Invoke web service
//! request, each sent to the proxy's execute endpoint (`api`, so the session's CSRF header goes
//! along), and what the run log shows of it (the request's summary, never a secret: the proxy
//! scrubs answers before they come back).

use crate::api::{self, ApiFailure};
use plugboard_model::execute::{web_service, ExecuteRequest};
use plugboard_model::runtime::{ConnectorCall, HttpRequest, HttpResponse};
use serde_json::Value;
use std::collections::BTreeMap;

/// The most characters of a request summary or a response the run log keeps.
const SUMMARY_CHARS: usize = 240;
const RESPONSE_CHARS: usize = 2000;

/// How a call went, for the run log.
#[derive(Clone, Debug, PartialEq)]
pub struct CallReport {
    /// `200`, `HTTP 503`, or the proxy's error code when the call never reached the service.
    pub status: String,
    pub ok: bool,
    /// The answer's body (or the failure's sentence), cut to `RESPONSE_CHARS`.
    pub response: String,
}

/// `text` cut to `max` characters, with `…` when cut.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// `name=value, …` of a call's inputs, cut to a line.
pub fn summary(inputs: &BTreeMap<String, serde_json::Value>) -> String {
    let mut out = String::new();
    for (k, v) in inputs {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(k);
        out.push('=');
        match v {
            Value::String(s) => out.push_str(s),
            other => out.push_str(&other.to_string()),
        }
        if out.len() > SUMMARY_CHARS {
            break;
        }
    }
    clip(&out, SUMMARY_CHARS)
}

/// A successful answer (`ExecuteResult`), read as JSON: its status and body are all a run needs
/// (a derived decoder for the whole result would cost the wasm more than these lines).
struct Answered {
    status: u64,
    body: Value,
}

/// POST one execute request in environment `env`.
async fn execute(env: &str, request: &ExecuteRequest) -> Result<Answered, ApiFailure> {
    let path = format!("/api/environments/{}/execute", api::seg(env));
    let mut v: Value = api::post(&path, request).await?;
    Ok(Answered {
        status: v.get("status").and_then(Value::as_u64).unwrap_or(200),
        body: v.get_mut("body").map(Value::take).unwrap_or(Value::Null),
    })
}

/// The service's status in a failed call's `ExecuteFailure` details, when it answered.
fn upstream_status(f: &ApiFailure) -> Option<u16> {
    let s = f.details.as_ref()?.get("status")?.as_u64()?;
    Some(s.min(999) as u16)
}

fn failed(f: &ApiFailure) -> CallReport {
    let upstream = upstream_status(f);
    CallReport {
        status: match upstream {
            Some(s) => format!("HTTP {s}"),
            None if f.status == 0 => f.code.clone(),
            None => format!("{} ({})", f.code, f.status),
        },
        ok: false,
        response: clip(&f.message, RESPONSE_CHARS),
    }
}

fn succeeded(r: &Answered) -> CallReport {
    CallReport {
        status: r.status.to_string(),
        ok: true,
        response: clip(&r.body.to_string(), RESPONSE_CHARS),
    }
}

/// The execute request of a connector step's call.
pub fn connector_request(call: &ConnectorCall) -> ExecuteRequest {
    ExecuteRequest {
        reference: Some(call.reference.clone()).filter(|r| !r.is_empty()),
        connector_id: call.connector_id.clone(),
        operation_id: call.operation_id.clone(),
        inputs: call.inputs.clone().into_iter().collect(),
    }
}

/// Run a connector action through the proxy: the answer's body is the step's output.
pub async fn call_connector(
    env: &str,
    request: &ExecuteRequest,
) -> (Result<serde_json::Value, String>, CallReport) {
    match execute(env, request).await {
        Ok(r) => {
            let report = succeeded(&r);
            (Ok(r.body), report)
        }
        Err(f) => (Err(f.message.clone()), failed(&f)),
    }
}

/// Invoke web service's request as the generic HTTP connector's call (the step's inputs as
/// `execute::web_service` reads them: the runtime put Accept and Content-Type first).
pub fn web_request(r: &HttpRequest) -> Result<ExecuteRequest, String> {
    let mut inputs = BTreeMap::new();
    inputs.insert("url".to_string(), r.url.clone());
    inputs.insert("method".to_string(), r.method.clone());
    let mut headers = String::new();
    for (name, value) in &r.headers {
        headers.push_str(name);
        headers.push_str(": ");
        headers.push_str(value);
        headers.push('\n');
    }
    inputs.insert("headers".to_string(), headers);
    inputs.insert("body".to_string(), r.body.clone());
    web_service::request(&inputs, None).map_err(|e| format!("\"{}\": {}", e.label, e.message))
}

/// Send an Invoke web service request through the proxy. A service's error status is an
/// answer (the step's "Fail on error status" decides), not a failed call.
pub async fn call_web(
    env: &str,
    request: &ExecuteRequest,
) -> (Result<HttpResponse, String>, CallReport) {
    match execute(env, request).await {
        Ok(r) => {
            let report = succeeded(&r);
            (Ok(web_response(r.body)), report)
        }
        Err(f) => {
            let report = failed(&f);
            let reason = f
                .details
                .as_ref()
                .and_then(|d| d.get("reason"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            match upstream_status(&f).filter(|_| f.code == "upstream_status") {
                Some(status) => (
                    Ok(HttpResponse {
                        status,
                        headers: Vec::new(),
                        body: reason,
                    }),
                    report,
                ),
                None => (Err(f.message.clone()), report),
            }
        }
    }
}

/// InvokeHttp's body `{"statusCode", "headers", "body"}` as the runtime's response.
fn web_response(body: serde_json::Value) -> HttpResponse {
    let status = body
        .get("statusCode")
        .and_then(Value::as_u64)
        .map_or(200, |s| s.min(999) as u16);
    let headers = body
        .get("headers")
        .and_then(Value::as_object)
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let body = match body.get("body") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    HttpResponse {
        status,
        headers,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn summaries_and_responses_are_cut() {
        assert_eq!(clip("abc", 2), "ab…");
        assert_eq!(clip("abc", 3), "abc");
        let inputs = BTreeMap::from([("id".to_string(), json!("t1")), ("n".to_string(), json!(2))]);
        assert_eq!(summary(&inputs), "id=t1, n=2");
        let long = BTreeMap::from([("x".to_string(), json!("y".repeat(5000)))]);
        assert_eq!(summary(&long).chars().count(), SUMMARY_CHARS + 1);
    }

    #[test]
    fn web_requests_and_answers_map_to_invoke_http() {
        let r = HttpRequest {
            step: plugboard_model::flow::StepId::nil(),
            method: "POST".into(),
            url: "http://h/x".into(),
            headers: vec![("Accept".into(), "application/json".into())],
            body: "hi".into(),
            timeout_secs: 30,
        };
        let req = web_request(&r).unwrap();
        assert_eq!(req.operation_id, "InvokeHttp");
        assert_eq!(req.inputs["method"], json!("POST"));
        assert_eq!(req.inputs["headers"], json!({"Accept": "application/json"}));
        let resp =
            web_response(json!({"statusCode": 201, "headers": {"etag": "1"}, "body": {"a": 1}}));
        assert_eq!(resp.status, 201);
        assert_eq!(resp.body, "{\"a\":1}");
        assert_eq!(resp.headers, vec![("etag".to_string(), "1".to_string())]);
    }
}
