//! `Doc`: the read-only JSON tree the importer walks. It borrows strings from the file's bytes and
//! keeps each object as a sorted vector, so parsing a definition costs a fraction of building a
//! `serde_json::Value` (no allocation per key, no B-tree nodes) while reading the same: keys are
//! visited in `Value`'s (sorted) order and a duplicated key keeps its last value, as `Value` does.
//! Syntax errors, positions and the nesting limit are serde_json's own.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

/// One JSON value, borrowing from the parsed text where it can.
#[derive(Debug, Default)]
pub enum Doc<'a> {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Doc<'a>>),
    Object(Object<'a>),
}

/// An object's members, sorted by key, keys unique.
#[derive(Debug, Default)]
pub struct Object<'a>(Vec<(Cow<'a, str>, Doc<'a>)>);

/// What a missing value reads as.
pub static NULL: Doc<'static> = Doc::Null;

impl<'a> Object<'a> {
    /// The members in key order, last duplicate kept (what `serde_json::Map` would hold).
    fn from_members(mut members: Vec<(Cow<'a, str>, Doc<'a>)>) -> Self {
        if !members.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable, so among equal keys the last one read is last; dedup then keeps it.
            members.sort_by(|a, b| a.0.cmp(&b.0));
            members.dedup_by(|later, kept| {
                if later.0 == kept.0 {
                    std::mem::swap(later, kept);
                    true
                } else {
                    false
                }
            });
        }
        Object(members)
    }

    pub fn get(&self, key: &str) -> Option<&Doc<'a>> {
        // Most objects are small: a scan that compares lengths first beats a binary search there.
        if self.0.len() <= 12 {
            return self
                .0
                .iter()
                .find(|(k, _)| k.len() == key.len() && k.as_bytes() == key.as_bytes())
                .map(|(_, v)| v);
        }
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn values(&self) -> impl Iterator<Item = &Doc<'a>> {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'b, 'a> IntoIterator for &'b Object<'a> {
    type Item = (&'b str, &'b Doc<'a>);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'b, (Cow<'a, str>, Doc<'a>)>,
        fn(&'b (Cow<'a, str>, Doc<'a>)) -> (&'b str, &'b Doc<'a>),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

impl<'a> Doc<'a> {
    /// The member `key` of an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Doc<'a>> {
        match self {
            Doc::Object(o) => o.get(key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Doc::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Doc<'a>]> {
        match self {
            Doc::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Doc::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Doc::Object(_))
    }

    /// An owned copy, for the few values the catalog keeps as JSON (defaults, dynamic values).
    pub fn to_value(&self) -> Value {
        match self {
            Doc::Null => Value::Null,
            Doc::Bool(b) => Value::Bool(*b),
            Doc::Number(n) => Value::Number(n.clone()),
            Doc::String(s) => Value::String(s.to_string()),
            Doc::Array(a) => Value::Array(a.iter().map(Doc::to_value).collect()),
            Doc::Object(o) => Value::Object(
                o.0.iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// Text of a scalar (a string as is, anything else as compact JSON), as `Value` prints it.
    pub fn scalar_text(&self) -> String {
        match self {
            Doc::String(s) => s.to_string(),
            Doc::Number(n) => n.to_string(),
            Doc::Null => "null".into(),
            Doc::Bool(b) => b.to_string(),
            other => other.to_value().to_string(),
        }
    }
}

impl<'de> Deserialize<'de> for Doc<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DocVisitor)
    }
}

struct DocVisitor;

impl<'de> Visitor<'de> for DocVisitor {
    type Value = Doc<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Doc<'de>, E> {
        Ok(Doc::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Doc<'de>, E> {
        Ok(Doc::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Doc<'de>, E> {
        Ok(Doc::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Doc<'de>, E> {
        // As `Value`: a non-finite float reads as null.
        Ok(Number::from_f64(v).map_or(Doc::Null, Doc::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Doc<'de>, E> {
        Ok(Doc::String(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Doc<'de>, E> {
        Ok(Doc::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Doc<'de>, E> {
        Ok(Doc::String(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Doc<'de>, E> {
        Ok(Doc::Null)
    }

    fn visit_none<E>(self) -> Result<Doc<'de>, E> {
        Ok(Doc::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Doc<'de>, D::Error> {
        Doc::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Doc::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc<'de>, A::Error> {
        let mut members = Vec::new();
        while let Some(Key(k)) = map.next_key()? {
            members.push((k, map.next_value()?));
        }
        Ok(Doc::Object(Object::from_members(members)))
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text reads as the same `Value` through `Doc` as directly.
    #[test]
    fn reads_as_value_does() {
        for text in [
            r#"{"b":1,"a":{"z":[1,-2,3.5,1e300,true,null],"y":"x\"y"},"b":"last","\u0061":2}"#,
            r#"[18446744073709551615,-9223372036854775808,0.1,"é",{}]"#,
            r#"{"x-ms-summary":"one","description":"d","x-ms-summary":"two"}"#,
        ] {
            let doc: Doc = serde_json::from_str(text).unwrap();
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(doc.to_value(), value, "{text}");
            assert_eq!(doc.scalar_text(), value.to_string());
        }
        let doc: Doc = serde_json::from_str(r#"{"k":"one","k":"two"}"#).unwrap();
        assert_eq!(doc.get("k").and_then(Doc::as_str), Some("two"));
    }

    #[test]
    fn errors_are_serde_jsons() {
        for text in ["{\"a\":1,}", "{\"a\" 1}", "[1] [2]", "\"\\ud800\""] {
            let a = serde_json::from_str::<Doc>(text).unwrap_err().to_string();
            let b = serde_json::from_str::<Value>(text).unwrap_err().to_string();
            assert_eq!(a, b);
        }
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(serde_json::from_str::<Doc>(&deep).is_err());
    }
}
