//! The schema version read ahead of the full parse, so a newer flow says so.

use super::json::parse;
use super::DecodeError;
use crate::flow::SCHEMA_VERSION;
use serde::Deserialize;
use std::fmt;

pub(super) const NOT_A_FLOW: &str =
    "expected a flow (a JSON object with \"schema\", \"id\", \"name\" and \"subflows\")";

/// Check the schema version before the full parse, so a flow from a newer Plugboard says so
/// instead of failing on the first field this build does not know.
pub(super) fn check_schema(text: &str) -> Result<(), DecodeError> {
    // Without `deny_unknown_fields`, serde skips every other field without building it.
    #[derive(Deserialize)]
    struct Head {
        #[serde(default)]
        schema: Option<Json>,
    }
    let head: Head = parse(text).map_err(|e| match e {
        DecodeError::Invalid { line, column, .. } => DecodeError::Invalid {
            line,
            column,
            message: NOT_A_FLOW.into(),
        },
        other => other,
    })?;
    match head.schema {
        None => Err(DecodeError::MissingSchema),
        Some(v) if v.uint == Some(SCHEMA_VERSION as u64) => Ok(()),
        Some(v) => Err(DecodeError::WrongSchema { found: v.text }),
    }
}

/// Any JSON value, kept as the text `serde_json::Value`'s `to_string` would write for it
/// (compact, object keys sorted, a repeated key's last value kept) without building a `Value`:
/// the designer's wasm then carries none of `Value`'s code.
struct Json {
    text: String,
    /// The value when it is a non-negative integer.
    uint: Option<u64>,
}

impl Json {
    fn text(text: String) -> Self {
        Json { text, uint: None }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::text(if v { "true" } else { "false" }.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json {
            text: v.to_string(),
            uint: Some(v),
        })
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::text(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::text(
            serde_json::Number::from_f64(v).map_or_else(|| "null".into(), |n| n.to_string()),
        ))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::text(serde_json::to_string(v).unwrap_or_default()))
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::text("null".into()))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut text = String::from("[");
        while let Some(item) = seq.next_element::<Json>()? {
            if text.len() > 1 {
                text.push(',');
            }
            text += &item.text;
        }
        text.push(']');
        Ok(Json::text(text))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = std::collections::BTreeMap::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            entries.insert(key, value.text);
        }
        let mut text = String::from("{");
        for (key, value) in entries {
            if text.len() > 1 {
                text.push(',');
            }
            text += &serde_json::to_string(&key).unwrap_or_default();
            text.push(':');
            text += &value;
        }
        text.push('}');
        Ok(Json::text(text))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_text_matches_serde_json_value() {
        for text in [
            "2",
            "-3",
            "0",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775809",
            "1.0",
            "1.50",
            "0.1",
            "1e-7",
            "1.5e300",
            "-0.0",
            "true",
            "false",
            "null",
            r#""a \"quoted\" \u0001 \u00e9 é \/ line\nbreak""#,
            "[]",
            "{}",
            r#"[1, [2, {}], "a", null, 2.5]"#,
            r#"{"b": 1, "a": {"d": null, "c": []}, "b": 2, "é": "x", "A": true}"#,
        ] {
            let json: super::Json = serde_json::from_str(text).unwrap();
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(json.text, value.to_string(), "{text}");
            assert_eq!(json.uint, value.as_u64(), "{text}");
        }
    }
}
