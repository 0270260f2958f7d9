//! Flow JSON: export (`encode`), bounded import (`decode`), and the clipboard format (a flow named
//! "Clipboard" whose Main holds the copied steps, so a paste and an import read the same text).
//!
//! Every decode is bounded before serde sees the text: the size first, then one cheap pass over
//! the bytes for nesting depth and string length, so hostile input (10^6 nested brackets, a 100 MB
//! string) fails fast with a message instead of exhausting the stack or memory.

use crate::flow::{Flow, Step, StepId, SCHEMA_VERSION};
use crate::library::standard_catalog;
use crate::rows::{rows, RowKind};
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;

/// Name of the flow the clipboard text holds.
pub const CLIPBOARD_NAME: &str = "Clipboard";

const NOT_A_FLOW: &str =
    "expected a flow (a JSON object with \"schema\", \"id\", \"name\" and \"subflows\")";

/// Bounds on what `decode_with` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Size of the whole text in bytes.
    pub max_bytes: usize,
    /// How deep steps may nest: 1 = top-level steps only, 2 = steps inside one block, ….
    pub max_depth: usize,
    /// Steps in all subflows together.
    pub max_steps: usize,
    /// Bytes in one JSON string (as written, escapes included).
    pub max_string: usize,
}

impl Limits {
    /// Generous enough for 10,000+ step flows, small enough to keep a tab responsive.
    pub const DEFAULT: Limits = Limits {
        max_bytes: 32 * 1024 * 1024,
        max_depth: 64,
        max_steps: 100_000,
        max_string: 1024 * 1024,
    };

    /// JSON nesting allowed for `max_depth` steps: the flow object, the subflow list, a subflow,
    /// its step list, then per step level a step object and its children list (the deepest step
    /// also opens its inputs map): 2 × depth + 4. Two more levels let one step too many through
    /// to the step check, which names that step.
    fn json_depth(&self) -> usize {
        self.max_depth.saturating_mul(2).saturating_add(6)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Why a text is not an acceptable flow. The Display says what is wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The text is longer than `Limits::max_bytes`.
    TooLarge { bytes: usize, limit: usize },
    /// JSON arrays/objects nest deeper than the step depth limit allows.
    TooDeep {
        line: usize,
        column: usize,
        limit: usize,
    },
    /// One JSON string is longer than `Limits::max_string`.
    StringTooLong {
        line: usize,
        column: usize,
        bytes: usize,
        limit: usize,
    },
    /// Not JSON at all (syntax error, truncated text, empty text).
    NotJson {
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON, but not shaped like a flow (unknown field, wrong type, missing field).
    Invalid {
        line: usize,
        column: usize,
        message: String,
    },
    /// No `schema` field: probably not a Plugboard flow.
    MissingSchema,
    /// A `schema` other than the one this build reads.
    WrongSchema { found: String },
    /// `subflows` is empty (a flow needs at least Main).
    NoSubflows,
    /// More steps than `Limits::max_steps`.
    TooManySteps { count: usize, limit: usize },
    /// Steps nest deeper than `Limits::max_depth`; `path` names the first too-deep step.
    StepsTooDeep { path: String, limit: usize },
    /// Two steps share an id; `path` names the second.
    DuplicateStepId { id: StepId, path: String },
}

/// `bytes` in MiB to one decimal, as `format!("{:.1}", bytes as f64 / 1048576.0)` writes it
/// (ties to even), in integers: the designer's wasm then carries no float formatting.
fn mib(bytes: usize) -> String {
    const MIB: u128 = 1024 * 1024;
    let scaled = bytes as u128 * 10;
    let (mut tenths, rest) = (scaled / MIB, scaled % MIB);
    if rest * 2 > MIB || (rest * 2 == MIB && tenths % 2 == 1) {
        tenths += 1;
    }
    format!("{}.{} MiB", tenths / 10, tenths % 10)
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooLarge { bytes, limit } => write!(
                f,
                "the flow file is {} ({bytes} bytes); the limit is {}",
                mib(*bytes),
                mib(*limit)
            ),
            DecodeError::TooDeep {
                line,
                column,
                limit,
            } => write!(
                f,
                "line {line}, column {column}: the JSON nests deeper than a flow can \
                 (blocks at most {limit} deep)"
            ),
            DecodeError::StringTooLong {
                line,
                column,
                bytes,
                limit,
            } => write!(
                f,
                "line {line}, column {column}: a text of {bytes} bytes is longer than the \
                 limit of {limit} bytes"
            ),
            DecodeError::NotJson {
                line,
                column,
                message,
            } => write!(f, "not valid JSON: line {line}, column {column}: {message}"),
            DecodeError::Invalid {
                line,
                column,
                message,
            } => write!(
                f,
                "not a valid flow: line {line}, column {column}: {message}"
            ),
            DecodeError::MissingSchema => write!(
                f,
                "not a Plugboard flow: the \"schema\" version field is missing"
            ),
            DecodeError::WrongSchema { found } => write!(
                f,
                "schema version {found} is not supported; this version of Plugboard reads \
                 schema version {SCHEMA_VERSION}"
            ),
            DecodeError::NoSubflows => {
                write!(f, "the flow has no subflows; it needs at least Main")
            }
            DecodeError::TooManySteps { count, limit } => {
                write!(f, "the flow has {count} steps; the limit is {limit}")
            }
            DecodeError::StepsTooDeep { path, limit } => {
                write!(f, "{path}: blocks are nested more than {limit} deep")
            }
            DecodeError::DuplicateStepId { id, path } => {
                write!(f, "{path}: step id {id} is already used by an earlier step")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// The flow as pretty-printed JSON (what export writes and `decode` reads).
pub fn encode(flow: &Flow) -> String {
    serde_json::to_string_pretty(flow).expect("a flow always serializes")
}

/// Read a flow from JSON within `Limits::DEFAULT`.
pub fn decode(text: &str) -> Result<Flow, DecodeError> {
    decode_with(text, &Limits::DEFAULT)
}

/// Read a flow from JSON within `limits`.
pub fn decode_with(text: &str, limits: &Limits) -> Result<Flow, DecodeError> {
    if text.len() > limits.max_bytes {
        return Err(DecodeError::TooLarge {
            bytes: text.len(),
            limit: limits.max_bytes,
        });
    }
    // Files saved by some editors start with a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(DecodeError::NotJson {
            line: 1,
            column: 1,
            message: "the text is empty".into(),
        });
    }
    prescan(text, limits)?;
    if !text.trim_start().starts_with('{') {
        // serde would read a struct from an array too; a flow file is always an object.
        parse::<serde::de::IgnoredAny>(text)?;
        let at = text.len() - text.trim_start().len();
        let line = 1 + text[..at].matches('\n').count();
        let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
        return Err(DecodeError::Invalid {
            line,
            column,
            message: NOT_A_FLOW.into(),
        });
    }
    check_schema(text)?;
    let flow: Flow = parse(text)?;
    check_flow(&flow, limits)?;
    Ok(flow)
}

/// The clipboard text for `steps`: a flow named "Clipboard" whose Main holds them.
pub fn encode_steps(steps: &[Step]) -> String {
    let mut flow = Flow::new(CLIPBOARD_NAME);
    flow.subflows[0].steps = steps.to_vec();
    encode(&flow)
}

/// The steps of clipboard text (or of any flow's Main), with fresh ids so they can be pasted
/// next to the originals.
pub fn decode_steps(text: &str) -> Result<Vec<Step>, DecodeError> {
    let flow = decode(text)?;
    Ok(flow.subflows[0]
        .steps
        .iter()
        .map(Step::fresh_copy)
        .collect())
}

/// One pass over the bytes: JSON nesting depth and string lengths, with line and column.
fn prescan(text: &str, limits: &Limits) -> Result<(), DecodeError> {
    let max_depth = limits.json_depth();
    let bytes = text.as_bytes();
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Err(DecodeError::TooDeep {
                        line,
                        column: i - line_start + 1,
                        limit: limits.max_depth,
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    // A newline inside a string is invalid JSON; serde reports it.
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let len = i.min(bytes.len()) - start - 1;
                if len > limits.max_string {
                    return Err(DecodeError::StringTooLong {
                        line,
                        column: start - line_start + 1,
                        bytes: len,
                        limit: limits.max_string,
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Turn a serde_json error into ours, keeping its line and column.
fn from_serde(e: serde_json::Error) -> DecodeError {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let message = full
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&full)
        .to_string();
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            DecodeError::NotJson {
                line,
                column,
                message,
            }
        }
        _ => DecodeError::Invalid {
            line,
            column,
            message,
        },
    }
}

/// Deserialize with serde_json's own recursion limit off: `prescan` already bounded the depth
/// (serde_json's fixed 128 would otherwise cap blocks at about 60 deep).
fn parse<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, DecodeError> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let value = T::deserialize(&mut de).map_err(from_serde)?;
    de.end().map_err(from_serde)?;
    Ok(value)
}

/// Check the schema version before the full parse, so a flow from a newer Plugboard says so
/// instead of failing on the first field this build does not know.
fn check_schema(text: &str) -> Result<(), DecodeError> {
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

/// Limits and invariants serde cannot express: subflows present, step count and depth, unique ids.
fn check_flow(flow: &Flow, limits: &Limits) -> Result<(), DecodeError> {
    if flow.subflows.is_empty() {
        return Err(DecodeError::NoSubflows);
    }
    let count = flow.step_count();
    if count > limits.max_steps {
        return Err(DecodeError::TooManySteps {
            count,
            limit: limits.max_steps,
        });
    }
    // Line numbers as the designer draws them, worked out only for an error (building the
    // catalog costs more than the checks; pasting runs them per keystroke). Connector actions
    // (not in the standard catalog) are plain lines, which is also how the designer draws them.
    let line = |sf: usize, id: StepId| line_of(flow, sf, &standard_catalog(), id);
    let mut seen: HashSet<StepId> = HashSet::with_capacity(count);
    for (sf, sub) in flow.subflows.iter().enumerate() {
        let path = |line: usize| format!("{}, line {}", sub.name, line);
        if let Some(id) = too_deep(&sub.steps, 1, limits.max_depth) {
            return Err(DecodeError::StepsTooDeep {
                path: path(line(sf, id)),
                limit: limits.max_depth,
            });
        }
        if let Some(id) = first_repeat(&sub.steps, &mut seen) {
            return Err(duplicate_error(flow, sf, id));
        }
    }
    Ok(())
}

/// The error for the first repeated step id, with the line of its repetition; `id`, repeated in
/// subflow `sf`, when no line shows it (the children of a step that is not a block).
fn duplicate_error(flow: &Flow, sf: usize, id: StepId) -> DecodeError {
    let catalog = standard_catalog();
    let mut seen: HashSet<StepId> = HashSet::new();
    for (sf, sub) in flow.subflows.iter().enumerate() {
        for (i, row) in rows(flow, sf, &catalog).iter().enumerate() {
            if row.kind == RowKind::Step && !seen.insert(row.id) {
                return DecodeError::DuplicateStepId {
                    id: row.id,
                    path: format!("{}, line {}", sub.name, i + 1),
                };
            }
        }
    }
    DecodeError::DuplicateStepId {
        id,
        path: flow.subflows[sf].name.clone(),
    }
}

/// The first step (each before its children) whose id is already in `seen`, adding the others.
fn first_repeat(steps: &[Step], seen: &mut HashSet<StepId>) -> Option<StepId> {
    steps.iter().find_map(|s| {
        if seen.insert(s.id) {
            first_repeat(&s.children, seen)
        } else {
            Some(s.id)
        }
    })
}

/// The first step deeper than `max` (depth 1 = top level).
fn too_deep(steps: &[Step], depth: usize, max: usize) -> Option<StepId> {
    steps.iter().find_map(|s| {
        if depth > max {
            Some(s.id)
        } else {
            too_deep(&s.children, depth + 1, max)
        }
    })
}

fn line_of(flow: &Flow, sf: usize, catalog: &crate::catalog::Catalog, id: StepId) -> usize {
    crate::rows::line_of(&rows(flow, sf, catalog), id).map_or(0, |i| i + 1)
}

#[cfg(test)]
mod mib_tests {
    #[test]
    fn mib_matches_float_formatting() {
        // Every tie (x.x5 MiB exactly) and its neighbours, plus a spread of sizes.
        let mut sizes: Vec<usize> = (0..5_000).map(|i| i * 997).collect();
        for k in 0..200usize {
            // bytes * 10 = (2k + 1) * 2^19 exactly when bytes = (2k + 1) * 2^18 / 5 is whole.
            let n = (2 * k + 1) * (1 << 18);
            if n % 5 == 0 {
                sizes.extend([n / 5 - 1, n / 5, n / 5 + 1]);
            }
        }
        sizes.extend([10 * 1024 * 1024, 64 * 1024 * 1024, usize::MAX >> 12]);
        for b in sizes {
            assert_eq!(
                super::mib(b),
                format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
                "{b} bytes"
            );
        }
    }
}

#[cfg(test)]
mod json_tests {
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
