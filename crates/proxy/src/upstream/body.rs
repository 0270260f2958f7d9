//! The body of an operation's request. Body inputs are the whole body (`body`) or its flattened
//! fields (`body/a/b`) put back into one JSON object; a text body goes as it is, file content
//! (`{"$content-type", "$content"}`) as its bytes, anything else as JSON. formData inputs become a
//! URL-encoded form, or a multipart body when the operation consumes `multipart/form-data` or
//! sends a file.

use super::operation::text;
use axum::body::Bytes;
use base64::Engine;
use plugboard_model::connector::{ConnectorAction, ParamBinding, ParamLocation};
use plugboard_model::execute::as_file_content;
use reqwest::header::HeaderValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// An encoded body and its media type.
#[derive(Debug)]
pub struct Body {
    pub bytes: Bytes,
    pub content_type: HeaderValue,
}

const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";

/// The body for `action` from its (checked) `inputs`; `None` when it sends none. The error says
/// what cannot be encoded (the caller names the connector).
pub fn encode(
    action: &ConnectorAction,
    inputs: &BTreeMap<String, Value>,
) -> Result<Option<Body>, String> {
    let given = |loc: ParamLocation| -> Vec<(&ParamBinding, &Value)> {
        action
            .bindings
            .iter()
            .filter(|b| b.location == loc)
            .filter_map(|b| inputs.get(&b.name).map(|v| (b, v)))
            .collect()
    };
    let body = given(ParamLocation::Body);
    let form = given(ParamLocation::FormData);
    match (body.is_empty(), form.is_empty()) {
        (true, true) => Ok(None),
        (false, true) => json_body(action, &body).map(Some),
        (true, false) => form_body(action, &form).map(Some),
        (false, false) => Err(format!(
            "{} has both a body and form fields, which one request cannot carry",
            action.operation_id
        )),
    }
}

fn body_of(bytes: impl Into<Bytes>, content_type: &str) -> Result<Body, String> {
    Ok(Body {
        bytes: bytes.into(),
        content_type: HeaderValue::from_str(content_type)
            .map_err(|_| format!("`{content_type}` is not a media type"))?,
    })
}

fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let trimmed = s.trim_end_matches('=');
    STANDARD
        .decode(s)
        .or_else(|_| URL_SAFE_NO_PAD.decode(trimmed))
        .map_err(|_| "file content is not base64".to_string())
}

fn json_body(action: &ConnectorAction, fields: &[(&ParamBinding, &Value)]) -> Result<Body, String> {
    let mut whole: Option<Value> = None;
    let mut object = Map::new();
    for (b, v) in fields {
        if b.api_name.is_empty() {
            whole = Some((*v).clone());
            continue;
        }
        insert(&mut object, &b.api_name, (*v).clone())
            .map_err(|at| format!("the body field `{}` clashes with `{at}`", b.name))?;
    }
    let value = match whole {
        None => Value::Object(object),
        Some(Value::Object(mut o)) => {
            for (k, v) in object {
                o.insert(k, v);
            }
            Value::Object(o)
        }
        Some(w) if object.is_empty() => w,
        Some(_) => return Err("the body is not an object, so it cannot have fields".into()),
    };
    if let Some((ct, content)) = as_file_content(&value) {
        return body_of(decode_base64(content)?, ct);
    }
    if let Value::String(s) = value {
        let ct = action
            .consumes
            .first()
            .map(String::as_str)
            .unwrap_or("text/plain; charset=utf-8");
        return body_of(s.into_bytes(), ct);
    }
    let bytes = serde_json::to_vec(&value).map_err(|e| e.to_string())?;
    body_of(bytes, JSON)
}

/// Put `value` at the `/`-separated `path` of `object`; the error is the part of the path that
/// already holds something else.
fn insert(object: &mut Map<String, Value>, path: &str, value: Value) -> Result<(), String> {
    let (head, rest) = match path.split_once('/') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    match rest {
        None => {
            object.insert(head.to_string(), value);
            Ok(())
        }
        Some(rest) => {
            let slot = object
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            match slot {
                Value::Object(inner) => insert(inner, rest, value),
                _ => Err(head.to_string()),
            }
        }
    }
}

/// The text of a form field (objects as JSON text).
fn field_text(v: &Value) -> String {
    text(v).unwrap_or_else(|| v.to_string())
}

fn form_body(action: &ConnectorAction, fields: &[(&ParamBinding, &Value)]) -> Result<Body, String> {
    let multipart = action.consumes.iter().any(|c| c.starts_with(MULTIPART))
        || fields.iter().any(|(b, _)| b.ty == "file");
    if !multipart {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (b, v) in fields {
            form.append_pair(&b.api_name, &field_text(v));
        }
        return body_of(form.finish(), "application/x-www-form-urlencoded");
    }
    let boundary = format!("plugboard-{}", uuid::Uuid::new_v4().simple());
    let mut out: Vec<u8> = Vec::new();
    for (b, v) in fields {
        // A name with a quote or a line break would break the part's header.
        let name: String = b
            .api_name
            .chars()
            .map(|c| {
                if matches!(c, '"' | '\r' | '\n') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let file = (b.ty == "file" || b.format == "binary").then(|| as_file_content(v));
        match file {
            Some(content) => {
                let (ct, bytes) = match content {
                    Some((ct, c)) => (ct.to_string(), decode_base64(c)?),
                    None => (
                        "application/octet-stream".into(),
                        field_text(v).into_bytes(),
                    ),
                };
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\
                         Content-Type: {ct}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                out.extend_from_slice(&bytes);
            }
            None => {
                out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                out.extend_from_slice(field_text(v).as_bytes());
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body_of(out, &format!("{MULTIPART}; boundary={boundary}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn action(bindings: Value, consumes: &[&str]) -> ConnectorAction {
        let mut a: ConnectorAction = serde_json::from_value(json!({
            "operation_id": "Op", "method": "POST", "path": "/x",
            "def": {"id": "connector:c/Op", "name": "Op", "category": "C"},
            "bindings": bindings
        }))
        .unwrap();
        a.consumes = consumes.iter().map(|s| s.to_string()).collect();
        a
    }

    fn inputs(v: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    fn field(name: &str, api: &str, ty: &str) -> Value {
        json!({"name": name, "in": if name.starts_with("body") { "body" } else { "formData" }, "api_name": api, "type": ty})
    }

    #[test]
    fn flattened_fields_go_back_into_one_object() {
        let a = action(
            json!([
                field("body/title", "title", "string"),
                field("body/owner/email", "owner/email", "string"),
                field("body/owner/id", "owner/id", "integer"),
                field("body/tags", "tags", "array")
            ]),
            &[],
        );
        let b = encode(&a, &inputs(json!({"body/title": "T", "body/owner/email": "a@b.c", "body/owner/id": 7, "body/tags": ["x"]})))
            .unwrap()
            .unwrap();
        assert_eq!(b.content_type, "application/json");
        let sent: Value = serde_json::from_slice(&b.bytes).unwrap();
        assert_eq!(
            sent,
            json!({"title": "T", "owner": {"email": "a@b.c", "id": 7}, "tags": ["x"]})
        );
        assert!(encode(&a, &BTreeMap::new()).unwrap().is_none());
    }

    #[test]
    fn whole_bodies_as_json_text_or_bytes() {
        let a = action(
            json!([{"name": "body", "in": "body", "api_name": ""}]),
            &["text/csv"],
        );
        let b = encode(&a, &inputs(json!({"body": "a,b\n1,2"})))
            .unwrap()
            .unwrap();
        assert_eq!(
            (&b.bytes[..], b.content_type.to_str().unwrap()),
            (&b"a,b\n1,2"[..], "text/csv")
        );
        let b = encode(&a, &inputs(json!({"body": [1, 2]})))
            .unwrap()
            .unwrap();
        assert_eq!(&b.bytes[..], b"[1,2]");
        let b = encode(
            &a,
            &inputs(json!({"body": {"$content-type": "image/png", "$content": "iVBORw=="}})),
        )
        .unwrap()
        .unwrap();
        assert_eq!(&b.bytes[..], &[0x89, b'P', b'N', b'G']);
        assert_eq!(b.content_type, "image/png");
    }

    #[test]
    fn form_data_url_encoded_or_multipart() {
        let a = action(
            json!([field("name", "name", "string"), field("n", "n", "integer")]),
            &[],
        );
        let b = encode(&a, &inputs(json!({"name": "a b&c", "n": 3})))
            .unwrap()
            .unwrap();
        assert_eq!(b.content_type, "application/x-www-form-urlencoded");
        assert_eq!(&b.bytes[..], b"name=a+b%26c&n=3");
        let a = action(
            json!([
                field("name", "name", "string"),
                field("file", "file", "file")
            ]),
            &[],
        );
        let b = encode(
            &a,
            &inputs(
                json!({"name": "n1", "file": {"$content-type": "text/plain", "$content": "aGk="}}),
            ),
        )
        .unwrap()
        .unwrap();
        let ct = b.content_type.to_str().unwrap().to_string();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8(b.bytes.to_vec()).unwrap();
        assert_eq!(
            text,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nn1\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\n\
                 Content-Type: text/plain\r\n\r\nhi\r\n--{boundary}--\r\n"
            )
        );
    }
}
