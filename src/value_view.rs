//! A variable's value in the Variables pane: text and numbers on one line, lists, custom objects
//! and JSON text as a tree to expand and collapse. Bounded at any size: a text shows its first
//! `MAX_CHARS` characters, a level its first `MAX_ITEMS` items, and a level's items exist in the
//! DOM only while it is expanded.

use crate::run::host::clip;
use leptos::prelude::*;
use plugboard_model::runtime::value::format_number;
use plugboard_model::runtime::Value;

/// The most characters of a text shown.
const MAX_CHARS: usize = 200;
/// The most items of a list or custom object shown per level.
const MAX_ITEMS: usize = 50;
/// The largest text offered as a JSON tree (parsed only when expanded).
const MAX_JSON_BYTES: usize = 4 * 1024 * 1024;

/// `n item(s)` / `n propert(y/ies)`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a collapsed value says: its type and size.
fn head(v: &Value) -> String {
    match v {
        Value::List(items) => format!("List ({})", count(items.len(), "item", "items")),
        Value::Record(r) => format!(
            "Custom object ({})",
            count(r.len(), "property", "properties")
        ),
        _ => String::new(),
    }
}

/// One line of text for a value that has no children.
fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "(empty)".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => format_number(*n),
        Value::Text(t) => clip(t, MAX_CHARS),
        other => clip(&other.to_text(), MAX_CHARS),
    }
}

/// Text that reads as a JSON object or array (checked by its first character; parsed later).
fn looks_like_json(t: &str) -> bool {
    let t = t.trim_start();
    (t.starts_with('{') || t.starts_with('[')) && t.len() <= MAX_JSON_BYTES
}

/// A value as a tree: `label` names it (a variable, an index, a property).
#[component]
pub fn ValueTree(
    /// What the value is called here: `%Name%`, `[0]` or a property name.
    #[prop(into)]
    label: String,
    value: Value,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let json_text = match &value {
        Value::Text(t) if looks_like_json(t) => Some(t.clone()),
        _ => None,
    };
    let branch = matches!(value, Value::List(_) | Value::Record(_)) || json_text.is_some();
    if !branch {
        return view! {
            <li class="val-node"><span class="val-key">{label}</span>
                <span class=format!("val val-{}", kind(&value))>{scalar(&value)}</span></li>
        }
        .into_any();
    }
    let summary = match &json_text {
        Some(t) => format!(
            "JSON text ({})",
            count(t.chars().count(), "character", "characters")
        ),
        None => head(&value),
    };
    let value = StoredValue::new(value);
    let children = move || {
        let (items, more) = value.with_value(children_of);
        view! {
            <ul class="val-children">
                {items.into_iter().map(|(k, v)| view! { <ValueTree label=k value=v /> }).collect_view()}
                {(more > 0).then(|| view! { <li class="val-more muted">{format!("… and {more} more")}</li> })}
            </ul>
        }
    };
    let name = label.clone();
    view! {
        <li class="val-node">
            <button type="button" class="val-toggle" aria-expanded=move || open.get().to_string()
                aria-label=move || format!("{name}: {summary}")
                on:click=move |_| open.update(|o| *o = !*o)>
                <span class="chev" aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</span>
                <span class="val-key">{label.clone()}</span>
                <span class="val muted">{summary.clone()}</span>
            </button>
            <Show when=move || open.get()>{children}</Show>
        </li>
    }
    .into_any()
}

/// The value `name` holds in the current or last run, if it has one (redrawn only when the
/// value changes, so an expanded tree stays open while a run goes on).
#[component]
pub fn RunValue(
    /// The variable's name.
    name: String,
) -> impl IntoView {
    let r = crate::run::use_runner();
    let key = name.clone();
    let value = Memo::new(move |_| {
        r.vars
            .with(|v| v.as_ref().and_then(|v| v.get(&key).cloned()))
    });
    move || {
        value.get().map(|v| {
            view! { <ul class="val-tree" aria-label=format!("Value of {name}")><ValueTree label="Value" value=v /></ul> }
        })
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        _ => "text",
    }
}

/// The first `MAX_ITEMS` children of a value with their labels, and how many more there are.
fn children_of(v: &Value) -> (Vec<(String, Value)>, usize) {
    match v {
        Value::List(items) => (
            items
                .iter()
                .take(MAX_ITEMS)
                .enumerate()
                .map(|(i, x)| (format!("[{i}]"), x.clone()))
                .collect(),
            items.len().saturating_sub(MAX_ITEMS),
        ),
        Value::Record(r) => (
            r.iter()
                .take(MAX_ITEMS)
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect(),
            r.len().saturating_sub(MAX_ITEMS),
        ),
        Value::Text(t) => match serde_json::from_str::<serde_json::Value>(t) {
            Ok(json) if plugboard_model::runtime::value::json_fits(&json, 0) => {
                children_of(&Value::from_json(json))
            }
            _ => (
                vec![("JSON".into(), Value::Text("(not valid JSON)".into()))],
                0,
            ),
        },
        _ => (Vec::new(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_texts_are_bounded() {
        let big = Value::List((0..1000).map(|n| Value::Number(n as f64)).collect());
        let (items, more) = children_of(&big);
        assert_eq!((items.len(), more), (MAX_ITEMS, 950));
        assert_eq!(items[1].0, "[1]");
        let long = Value::Text("x".repeat(1_000_000));
        assert_eq!(scalar(&long).chars().count(), MAX_CHARS + 1);
        assert_eq!(head(&big), "List (1000 items)");
        let json = Value::Text(r#"{"a":[1,2],"b":"x"}"#.into());
        let (items, _) = children_of(&json);
        assert_eq!(
            items.iter().map(|i| i.0.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert!(looks_like_json(" [1]") && !looks_like_json("plain"));
    }
}
