//! The service's answer as an execute result: its status, the allow-listed headers, and the body
//! as JSON, text or base64 file content (by its content type, and the operation's response schema
//! when the type says nothing). Every form of the connection's secrets is scrubbed from headers
//! and body first, so a service that echoes a credential cannot pass it on. A non-2xx answer is a
//! failure with its status and a short reason.

use super::{UpstreamError, UpstreamResponse};
use base64::Engine;
use plugboard_model::connector::Schema;
use plugboard_model::execute::{file_content, BodyKind, ExecuteFailure, ExecuteResult};
use serde_json::Value;
use std::collections::BTreeMap;

/// The answer headers passed on (lower case). Never cookies or authentication challenges.
pub const PASSED_HEADERS: &[&str] = &[
    "cache-control",
    "content-disposition",
    "content-language",
    "content-length",
    "content-type",
    "date",
    "etag",
    "last-modified",
    "location",
    "odata-version",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "request-id",
    "retry-after",
    "x-ms-request-id",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-request-id",
];

/// What a scrubbed secret is replaced by.
pub const SCRUBBED: &str = "***";

/// The longest failure reason, in characters.
const MAX_REASON: usize = 200;

/// A 2xx answer, or the failure a non-2xx one is.
#[derive(Debug)]
pub enum Answer {
    Ok(ExecuteResult),
    Failed(ExecuteFailure),
}

/// Read `resp` (bounded by the upstream size cap), scrubbing `echoes` (longest first).
pub async fn read(
    resp: UpstreamResponse,
    schema: Option<&Schema>,
    echoes: &[String],
) -> Result<Answer, UpstreamError> {
    let status = resp.status;
    let mut headers = BTreeMap::new();
    for (name, value) in resp.headers() {
        if PASSED_HEADERS.contains(&name.as_str()) {
            let v = String::from_utf8_lossy(value.as_bytes());
            headers.insert(name.as_str().to_string(), scrub_text(&v, echoes));
        }
    }
    let content_type = headers.get("content-type").cloned().unwrap_or_default();
    let raw = resp.bytes().await?;
    let bytes = scrub(&raw, echoes);
    if !status.is_success() {
        let reason = reason(&bytes, &content_type)
            .map(|r| scrub_text(&r, echoes))
            .or_else(|| status.canonical_reason().map(str::to_string))
            .unwrap_or_default();
        return Ok(Answer::Failed(ExecuteFailure {
            status: Some(status.as_u16()),
            reason,
        }));
    }
    // A body that was scrubbed no longer matches its declared length.
    if bytes.len() != raw.len() {
        headers.insert("content-length".into(), bytes.len().to_string());
    }
    let (mut body, body_kind) = shape(bytes, &content_type, schema);
    // JSON escapes (`\u0073ecret`) could spell a secret the byte scrub did not see.
    if body_kind == BodyKind::Json && !echoes.is_empty() {
        scrub_strings(&mut body, echoes);
    }
    Ok(Answer::Ok(ExecuteResult {
        status: status.as_u16(),
        headers,
        body,
        body_kind,
    }))
}

/// `bytes` with every occurrence of each echo replaced by `***`.
pub fn scrub(bytes: &[u8], echoes: &[String]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for e in echoes
        .iter()
        .map(String::as_bytes)
        .filter(|e| !e.is_empty())
    {
        if !out.windows(e.len()).any(|w| w == e) {
            continue;
        }
        let mut next = Vec::with_capacity(out.len());
        let mut i = 0;
        while i < out.len() {
            if out[i..].starts_with(e) {
                next.extend_from_slice(SCRUBBED.as_bytes());
                i += e.len();
            } else {
                next.push(out[i]);
                i += 1;
            }
        }
        out = next;
    }
    out
}

fn scrub_strings(v: &mut Value, echoes: &[String]) {
    match v {
        Value::String(s) => *s = scrub_text(s, echoes),
        Value::Array(items) => items.iter_mut().for_each(|i| scrub_strings(i, echoes)),
        Value::Object(members) => {
            let keys: Vec<String> = members.keys().cloned().collect();
            for k in keys {
                let Some(mut inner) = members.remove(&k) else {
                    continue;
                };
                scrub_strings(&mut inner, echoes);
                members.insert(scrub_text(&k, echoes), inner);
            }
        }
        _ => {}
    }
}

fn scrub_text(s: &str, echoes: &[String]) -> String {
    String::from_utf8_lossy(&scrub(s.as_bytes(), echoes)).into_owned()
}

fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media == "text/json" || media.ends_with("+json")
}

fn is_text(media: &str) -> bool {
    media.starts_with("text/")
        || media.ends_with("+xml")
        || matches!(
            media,
            "application/xml" | "application/javascript" | "application/x-www-form-urlencoded"
        )
}

/// The body as the step's output: JSON when it says so (or the schema expects an object or a
/// list and it parses), text when it is text, else file content.
fn shape(bytes: Vec<u8>, content_type: &str, schema: Option<&Schema>) -> (Value, BodyKind) {
    if bytes.is_empty() {
        return (Value::Null, BodyKind::Empty);
    }
    let media = media_type(content_type);
    let structured = schema.is_some_and(|s| matches!(s.ty.as_str(), "object" | "array"));
    if is_json(&media) || (media.is_empty() && structured) {
        if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
            return (v, BodyKind::Json);
        }
    }
    if is_json(&media) || is_text(&media) || media.is_empty() {
        if let Ok(text) = String::from_utf8(bytes.clone()) {
            return (Value::String(text), BodyKind::Text);
        }
    }
    let ct = if media.is_empty() {
        "application/octet-stream"
    } else {
        content_type
    };
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    (file_content(ct, b64), BodyKind::Binary)
}

/// The service's own error sentence, if it gave one: `error.message`, `message`,
/// `error_description`, `error` or `detail`/`title` of a JSON body, or a short text body.
fn reason(bytes: &[u8], content_type: &str) -> Option<String> {
    let media = media_type(content_type);
    let found = if let Ok(v) = serde_json::from_slice::<Value>(bytes) {
        [
            "/error/message",
            "/error_description",
            "/message",
            "/error",
            "/detail",
            "/title",
            "/Message",
        ]
        .iter()
        .find_map(|p| v.pointer(p).and_then(Value::as_str).map(str::to_string))
    } else if media == "text/plain" || media.is_empty() {
        std::str::from_utf8(bytes)
            .ok()
            .and_then(|t| t.lines().map(str::trim).find(|l| !l.is_empty()))
            .map(str::to_string)
    } else {
        None
    };
    let found = found?.trim().to_string();
    if found.is_empty() {
        return None;
    }
    let mut short: String = found.chars().take(MAX_REASON).collect();
    if short.len() < found.len() {
        short.push('…');
    }
    Some(short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn echoes_are_scrubbed_longest_first() {
        let echoes = vec!["secret-key-long".to_string(), "secret".to_string()];
        assert_eq!(
            scrub(b"a secret-key-long b secret c", &echoes),
            b"a *** b *** c".to_vec()
        );
        assert_eq!(scrub(b"nothing", &echoes), b"nothing".to_vec());
        let mut v: Value = serde_json::from_str(r#"{"k":["\u0073ecret"],"secret":1}"#).unwrap();
        scrub_strings(&mut v, &echoes);
        assert_eq!(v, json!({"k": ["***"], "***": 1}));
    }

    #[test]
    fn bodies_take_the_shape_their_type_says() {
        let object = Schema {
            ty: "object".into(),
            format: String::new(),
            label: String::new(),
            description: String::new(),
            properties: Default::default(),
            items: None,
        };
        let j = br#"{"value":[{"subject":"Hi"}]}"#.to_vec();
        assert_eq!(
            shape(j.clone(), "application/json; charset=utf-8", None),
            (json!({"value": [{"subject": "Hi"}]}), BodyKind::Json)
        );
        assert_eq!(shape(j.clone(), "", Some(&object)).1, BodyKind::Json);
        assert_eq!(shape(j, "", None).1, BodyKind::Text);
        assert_eq!(
            shape(b"<a/>".to_vec(), "application/xml", None),
            (json!("<a/>"), BodyKind::Text)
        );
        assert_eq!(
            shape(vec![0x89, b'P', b'N', b'G'], "image/png", None),
            (
                json!({"$content-type": "image/png", "$content": "iVBORw=="}),
                BodyKind::Binary
            )
        );
        assert_eq!(
            shape(vec![0xff, 0xfe], "", None).0["$content-type"],
            "application/octet-stream"
        );
        assert_eq!(
            shape(Vec::new(), "application/json", None),
            (Value::Null, BodyKind::Empty)
        );
    }

    #[test]
    fn failures_give_the_service_reason_shortly() {
        assert_eq!(
            reason(
                br#"{"error":{"code":"x","message":"Ticket T-9 not found"}}"#,
                "application/json"
            ),
            Some("Ticket T-9 not found".into())
        );
        assert_eq!(
            reason(br#"{"error":"invalid_grant"}"#, ""),
            Some("invalid_grant".into())
        );
        assert_eq!(
            reason(b"\n  Service down\nmore", "text/plain"),
            Some("Service down".into())
        );
        assert_eq!(reason(b"<html>oops</html>", "text/html"), None);
        let long = "x".repeat(500);
        assert_eq!(
            reason(long.as_bytes(), "text/plain")
                .unwrap()
                .chars()
                .count(),
            MAX_REASON + 1
        );
    }
}
