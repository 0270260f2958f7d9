//! Executing one connector action through the proxy, on the wire: the request
//! (`POST /api/environments/{env}/execute`), its result, the details of a failed call, and what
//! both sides compute from them: the inputs checked against the operation (`inputs`), the
//! options of a dynamic-values parameter (`dynamic`) and "Invoke web service" as a generic HTTP
//! request (`web_service`).

pub mod dynamic;
pub mod inputs;
pub mod web_service;

use crate::names::enum_by_name;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `POST /api/environments/{env}/execute`: run `operation_id` of `connector_id` with `inputs`
/// (keys as in `Step::inputs`: parameter names, body fields `body/a/b`), through the connection
/// the reference `reference` is bound to in that environment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecuteRequest {
    /// The connection reference's logical name. Absent only for a connector that can be called
    /// without credentials (a parameter set with no authentication, like the generic HTTP
    /// connector's, which "Invoke web service" uses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub connector_id: String,
    pub operation_id: String,
    #[serde(default)]
    pub inputs: BTreeMap<String, Value>,
}

enum_by_name! {
    /// How the service's answer body is carried in `ExecuteResult::body`.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
    pub enum BodyKind {
        /// No body (`null`).
        #[default]
        Empty = "empty",
        /// JSON, as the service sent it.
        Json = "json",
        /// Text (a JSON string).
        Text = "text",
        /// Anything else: `{"$content-type": "…", "$content": "<base64>"}`, as Power Automate
        /// carries file content.
        Binary = "binary",
    }
}

/// A successful (2xx) answer of the service. The step's `body` output is `body`, so
/// `%Result.body.value[0].subject%` reads into it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExecuteResult {
    pub status: u16,
    /// The answer's headers the proxy passes on (an allow-list: content type, ETag, Location…;
    /// never a cookie), names in lower case.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: Value,
    #[serde(default)]
    pub body_kind: BodyKind,
}

/// The `details` of an execute error whose call reached the service or tried to
/// (`upstream_status`, `upstream_timeout`, …): what the run log shows beside the message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExecuteFailure {
    /// The service's HTTP status, when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// A short reason (the service's own error message when it gave one), never a credential.
    pub reason: String,
}

/// The Power Automate shape of file content: `{"$content-type": …, "$content": <base64>}`.
pub fn file_content(content_type: &str, base64: String) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("$content-type".into(), Value::String(content_type.into()));
    m.insert("$content".into(), Value::String(base64));
    Value::Object(m)
}

/// `(content type, base64)` of a value in the file-content shape.
pub fn as_file_content(v: &Value) -> Option<(&str, &str)> {
    let o = v.as_object()?;
    let content = o.get("$content")?.as_str()?;
    let ct = o
        .get("$content-type")
        .and_then(Value::as_str)
        .unwrap_or("application/octet-stream");
    Some((ct, content))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn requests_refuse_unknown_fields_and_default_inputs() {
        let r: ExecuteRequest =
            serde_json::from_value(json!({"connector_id": "c", "operation_id": "o"})).unwrap();
        assert_eq!(r.reference, None);
        assert!(r.inputs.is_empty());
        let bad = json!({"connector_id": "c", "operation_id": "o", "connection_id": "x"});
        assert!(serde_json::from_value::<ExecuteRequest>(bad).is_err());
    }

    #[test]
    fn results_round_trip() {
        let r = ExecuteResult {
            status: 200,
            headers: BTreeMap::from([("etag".into(), "\"1\"".into())]),
            body: file_content("image/png", "iVBO".into()),
            body_kind: BodyKind::Binary,
        };
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["body_kind"], "binary");
        assert_eq!(v["body"]["$content-type"], "image/png");
        assert_eq!(serde_json::from_value::<ExecuteResult>(v).unwrap(), r);
        assert_eq!(as_file_content(&r.body), Some(("image/png", "iVBO")));
        assert_eq!(as_file_content(&json!({"content": "x"})), None);
    }
}
