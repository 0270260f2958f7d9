//! A connector action's inputs checked against its definition before a call: every input is a
//! parameter of the operation, required ones are there (or have a default), and each value has
//! the parameter's type, format and one of its enum values. Values come back typed (the text
//! `"5"` of an integer parameter becomes `5`), defaults filled in, empty ones left out. Messages
//! name the input and what it expects, never its value (a flow's data may be confidential).

use crate::catalog::ParamType;
use crate::connector::{ConnectorAction, ParamBinding, ParamLocation};
use serde_json::{Number, Value};
use std::collections::BTreeMap;
use std::fmt;

/// What is wrong with one input: its key (`body/priority`), its label and a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub input: String,
    pub label: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.label.is_empty() || self.label == self.input {
            write!(f, "input `{}`: {}", self.input, self.message)
        } else {
            write!(
                f,
                "input `{}` ({}): {}",
                self.input, self.label, self.message
            )
        }
    }
}

/// The longest text an input may hold, in bytes (the proxy's request limit is smaller still).
pub const MAX_TEXT: usize = 1 << 20;

/// Check `inputs` against `action`; the typed values by input key, defaults filled in.
pub fn check(
    action: &ConnectorAction,
    inputs: &BTreeMap<String, Value>,
) -> Result<BTreeMap<String, Value>, InputError> {
    let label_of = |name: &str| {
        action
            .def
            .param(name)
            .map(|p| p.label.clone())
            .unwrap_or_default()
    };
    let error = |name: &str, message: String| InputError {
        input: name.to_string(),
        label: label_of(name),
        message,
    };
    if let Some(unknown) = inputs
        .keys()
        .find(|k| !action.bindings.iter().any(|b| &b.name == *k))
    {
        return Err(error(
            unknown,
            format!("{} has no such input", action.def.name),
        ));
    }
    let mut out = BTreeMap::new();
    for b in &action.bindings {
        let given = inputs.get(&b.name).filter(|v| !is_blank(v));
        let Some(value) = given.or(b.default.as_ref().filter(|v| !is_blank(v))) else {
            let required = b.location == ParamLocation::Path
                || action.def.param(&b.name).is_some_and(|p| p.required);
            if required {
                return Err(error(&b.name, "is required".into()));
            }
            continue;
        };
        let typed = typed(b, value).map_err(|m| error(&b.name, m))?;
        if let Some(ParamType::Enum { options }) = action.def.param(&b.name).map(|p| &p.ty) {
            let text = scalar_text(&typed);
            if !options.iter().any(|o| Some(o) == text.as_ref()) {
                return Err(error(
                    &b.name,
                    format!("is not one of {}", options.join(", ")),
                ));
            }
        }
        out.insert(b.name.clone(), typed);
    }
    Ok(out)
}

/// `null` and the empty text count as "not given" (the dialog leaves optional fields empty).
fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// The text of a scalar (numbers and booleans as JSON prints them).
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The value as the parameter's type, or why it is not one.
fn typed(b: &ParamBinding, v: &Value) -> Result<Value, String> {
    if let Value::String(s) = v {
        if s.len() > MAX_TEXT {
            return Err(format!("longer than {MAX_TEXT} bytes"));
        }
    }
    let expected = |what: &str| format!("expects {what}, not {}", kind_of(v));
    match b.ty.as_str() {
        "integer" => {
            let n = match v {
                Value::Number(n) if n.is_i64() || n.is_u64() => n.clone(),
                Value::Number(n) => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Number::from(f as i64),
                    _ => return Err("is not a whole number".into()),
                },
                Value::String(s) => s
                    .trim()
                    .parse::<i64>()
                    .map(Number::from)
                    .map_err(|_| "is not a whole number".to_string())?,
                _ => return Err(expected("a whole number")),
            };
            if b.format == "int32" && n.as_i64().is_none_or(|i| i32::try_from(i).is_err()) {
                return Err("is outside the 32-bit range".into());
            }
            Ok(Value::Number(n))
        }
        "number" => match v {
            Value::Number(_) => Ok(v.clone()),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| "is not a number".to_string()),
            _ => Err(expected("a number")),
        },
        "boolean" => match v {
            Value::Bool(_) => Ok(v.clone()),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            Value::String(_) => Err("is not true or false".into()),
            _ => Err(expected("true or false")),
        },
        "array" => match v {
            Value::Array(_) => Ok(v.clone()),
            Value::String(s) => match serde_json::from_str::<Value>(s) {
                Ok(a @ Value::Array(_)) => Ok(a),
                _ => Err("expects a list (a JSON array)".into()),
            },
            _ => Err(expected("a list")),
        },
        "object" => match v {
            Value::Object(_) => Ok(v.clone()),
            Value::String(s) => match serde_json::from_str::<Value>(s) {
                Ok(o @ Value::Object(_)) => Ok(o),
                _ => Err("expects an object (JSON)".into()),
            },
            _ => Err(expected("an object")),
        },
        "file" => file(v).ok_or_else(|| expected("file content")),
        "string" => {
            if b.format == "binary" {
                return file(v).ok_or_else(|| expected("file content"));
            }
            let s = scalar_text(v).ok_or_else(|| expected("a text"))?;
            check_format(&b.format, &s)?;
            Ok(Value::String(s))
        }
        // Untyped (a whole body with no schema type): any JSON.
        _ => Ok(v.clone()),
    }
}

/// File content: a text, or `{"$content-type", "$content": <base64>}`.
fn file(v: &Value) -> Option<Value> {
    match v {
        Value::String(_) => Some(v.clone()),
        Value::Object(_) => {
            let (_, content) = super::as_file_content(v)?;
            is_base64(content).then(|| v.clone())
        }
        _ => None,
    }
}

fn check_format(format: &str, s: &str) -> Result<(), String> {
    let ok = match format {
        "date-time" => is_date_time(s),
        "date" => is_date(s),
        "email" => is_email(s),
        "uri" => is_uri(s),
        "uuid" => is_uuid(s),
        "byte" => is_base64(s),
        _ => return Ok(()),
    };
    if ok {
        return Ok(());
    }
    let want = match format {
        "date-time" => "a date and time like 2026-12-01T09:30:00Z",
        "date" => "a date like 2026-12-01",
        "email" => "an email address",
        "uri" => "an absolute address like https://example.com/a",
        "uuid" => "a GUID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        _ => "base64 text",
    };
    Err(format!("is not {want}"))
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn is_date(s: &str) -> bool {
    let mut p = s.split('-');
    let (Some(y), Some(m), Some(d), None) = (p.next(), p.next(), p.next(), p.next()) else {
        return false;
    };
    let (Some(y), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// RFC 3339: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; a missing offset is accepted (Power
/// Automate sends local times that way).
fn is_date_time(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't', ' ']) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let mut p = hms.split(':');
    let ok_clock = match (p.next(), p.next(), p.next(), p.next()) {
        (Some(h), Some(m), sec, None) => {
            digits(h, 2).is_some_and(|h| h < 24)
                && digits(m, 2).is_some_and(|m| m < 60)
                && sec.is_none_or(|s| digits(s, 2).is_some_and(|s| s <= 60))
        }
        _ => false,
    };
    let ok_frac = !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit());
    let ok_offset = match offset {
        "" | "Z" | "z" => true,
        o => {
            let (h, m) = o[1..].split_once(':').unwrap_or((&o[1..], ""));
            digits(h, 2).is_some_and(|h| h < 24) && digits(m, 2).is_some_and(|m| m < 60)
        }
    };
    ok_clock && ok_frac && ok_offset
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
}

fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(char::is_whitespace)
}

fn is_uuid(s: &str) -> bool {
    let s = s
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(s);
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Standard or URL-safe base64, padded or not.
pub fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    s.len() - body.len() <= 2
        && body.len() % 4 != 1
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_'))
}

#[cfg(test)]
#[path = "inputs_tests.rs"]
mod tests;
