//! `inputs::check`: a table of inputs against one operation, each with the typed values or the
//! error it must give.

use super::*;
use serde_json::json;

fn action() -> ConnectorAction {
    serde_json::from_value(json!({
        "operation_id": "CreateTicket", "method": "POST", "path": "/queues/{queue}/tickets",
        "def": {"id": "connector:c/CreateTicket", "name": "Create a ticket", "category": "C", "params": [
            {"name": "queue", "label": "Queue", "type": {"kind": "text"}, "required": true},
            {"name": "notify", "label": "Notify", "type": {"kind": "boolean"}},
            {"name": "body/title", "label": "Title", "type": {"kind": "text"}, "required": true},
            {"name": "body/priority", "label": "Priority", "type": {"kind": "enum", "options": ["low", "normal", "high"]}},
            {"name": "body/count", "label": "Count", "type": {"kind": "number"}},
            {"name": "body/due", "label": "Due", "type": {"kind": "text"}},
            {"name": "body/tags", "label": "Tags", "type": {"kind": "list"}},
            {"name": "body/owner", "label": "Owner email", "type": {"kind": "text"}},
            {"name": "body/ratio", "label": "Ratio", "type": {"kind": "number"}}
        ]},
        "bindings": [
            {"name": "queue", "in": "path", "api_name": "queue", "type": "string"},
            {"name": "notify", "in": "query", "api_name": "notify", "type": "boolean"},
            {"name": "api-version", "in": "query", "api_name": "api-version", "type": "string", "visibility": "internal", "default": "2024-01-01"},
            {"name": "body/title", "in": "body", "api_name": "title", "type": "string"},
            {"name": "body/priority", "in": "body", "api_name": "priority", "type": "string", "default": "normal"},
            {"name": "body/count", "in": "body", "api_name": "count", "type": "integer", "format": "int32"},
            {"name": "body/due", "in": "body", "api_name": "due", "type": "string", "format": "date-time"},
            {"name": "body/tags", "in": "body", "api_name": "tags", "type": "array"},
            {"name": "body/owner", "in": "body", "api_name": "owner", "type": "string", "format": "email"},
            {"name": "body/ratio", "in": "body", "api_name": "ratio", "type": "number"}
        ]
    }))
    .unwrap()
}

fn run(inputs: Value) -> Result<Value, String> {
    let inputs: BTreeMap<String, Value> = serde_json::from_value(inputs).unwrap();
    check(&action(), &inputs)
        .map(|m| serde_json::to_value(m).unwrap())
        .map_err(|e| e.to_string())
}

#[test]
fn values_come_back_typed_with_defaults() {
    let out = run(json!({
        "queue": "support", "notify": "TRUE", "body/title": "Printer", "body/count": "7",
        "body/due": "2026-12-01T09:30:00.5+01:00", "body/tags": "[\"a\"]", "body/owner": "",
        "body/ratio": "0.25"
    }))
    .unwrap();
    assert_eq!(
        out,
        json!({
            "queue": "support", "notify": true, "api-version": "2024-01-01",
            "body/title": "Printer", "body/priority": "normal", "body/count": 7,
            "body/due": "2026-12-01T09:30:00.5+01:00", "body/tags": ["a"], "body/ratio": 0.25
        })
    );
    // A number typed for a text parameter is sent as its text.
    let out = run(json!({"queue": 42, "body/title": true})).unwrap();
    assert_eq!(out["queue"], "42");
    assert_eq!(out["body/title"], "true");
}

#[test]
fn each_bad_input_is_named() {
    for (inputs, error) in [
        (
            json!({"body/title": "t"}),
            "input `queue` (Queue): is required",
        ),
        (
            json!({"queue": "", "body/title": "t"}),
            "input `queue` (Queue): is required",
        ),
        (
            json!({"queue": "q"}),
            "input `body/title` (Title): is required",
        ),
        (
            json!({"queue": "q", "body/title": "t", "body/priority": "urgent"}),
            "input `body/priority` (Priority): is not one of low, normal, high",
        ),
        (
            json!({"queue": "q", "body/title": "t", "body/count": "seven"}),
            "input `body/count` (Count): is not a whole number",
        ),
        (
            json!({"queue": "q", "body/title": "t", "body/count": 1.5}),
            "input `body/count` (Count): is not a whole number",
        ),
        (
            json!({"queue": "q", "body/title": "t", "body/count": 3_000_000_000u64}),
            "input `body/count` (Count): is outside the 32-bit range",
        ),
        (
            json!({"queue": "q", "body/title": "t", "notify": "yes"}),
            "input `notify` (Notify): is not true or false",
        ),
        (
            json!({"queue": "q", "body/title": "t", "body/due": "2026-02-30T10:00:00Z"}),
            "input `body/due` (Due): is not a date and time like 2026-12-01T09:30:00Z",
        ),
        (
            json!({"queue": "q", "body/title": "t", "body/owner": "ann at example"}),
            "input `body/owner` (Owner email): is not an email address",
        ),
        (
            json!({"queue": "q", "body/title": "t", "body/tags": {"a": 1}}),
            "input `body/tags` (Tags): expects a list, not an object",
        ),
        (
            json!({"queue": "q", "body/title": ["t"]}),
            "input `body/title` (Title): expects a text, not a list",
        ),
        (
            json!({"queue": "q", "body/title": "t", "body/ratio": "NaN"}),
            "input `body/ratio` (Ratio): is not a number",
        ),
        (
            json!({"queue": "q", "body/title": "t", "colour": "red"}),
            "input `colour`: Create a ticket has no such input",
        ),
    ] {
        assert_eq!(run(inputs.clone()), Err(error.to_string()), "{inputs}");
    }
}

#[test]
fn formats() {
    for s in [
        "2026-12-01T09:30:00Z",
        "2026-12-01T09:30",
        "2024-02-29 23:59:60.123-05:00",
    ] {
        assert!(is_date_time(s), "{s}");
    }
    for s in [
        "2026-12-01",
        "2026-13-01T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2026-12-01T24:00:00Z",
        "2026-12-01T09:30:00+5",
    ] {
        assert!(!is_date_time(s), "{s}");
    }
    assert!(is_uuid("3F2504E0-4F89-11D3-9A0C-0305E82C3301"));
    assert!(is_uuid("{3f2504e0-4f89-11d3-9a0c-0305e82c3301}"));
    assert!(!is_uuid("3f2504e0-4f89-11d3-9a0c"));
    assert!(is_uri("https://example.com/a?b=c"));
    assert!(is_uri("mailto:ann@example.com"));
    assert!(!is_uri("/relative/path"));
    assert!(is_base64("aGVsbG8="));
    assert!(is_base64("aGVsbG8"));
    assert!(!is_base64("a"));
    assert!(!is_base64("aGVs bG8="));
    assert_eq!(
        check_format("uuid", "x").unwrap_err(),
        "is not a GUID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    );
}

#[test]
fn file_content_is_text_or_base64() {
    let b = |ty: &str, format: &str| ParamBinding {
        name: "f".into(),
        location: ParamLocation::FormData,
        api_name: "f".into(),
        ty: ty.into(),
        format: format.into(),
        visibility: Default::default(),
        default: None,
        dynamic_values: None,
        url_encoding: Default::default(),
    };
    assert_eq!(
        typed(&b("file", ""), &json!("plain text")),
        Ok(json!("plain text"))
    );
    let c = json!({"$content-type": "image/png", "$content": "iVBORw0KGgo="});
    assert_eq!(typed(&b("file", ""), &c), Ok(c.clone()));
    assert_eq!(typed(&b("string", "binary"), &c), Ok(c));
    assert!(typed(&b("file", ""), &json!({"$content": "not base64!"})).is_err());
    assert!(typed(&b("file", ""), &json!(5)).is_err());
}
