//! A variable's value in the Variables pane: text and numbers on one line, lists, custom objects
//! and JSON text as a tree to expand and collapse. Bounded at any size: a text shows its first
//! `MAX_CHARS` characters, a level its first `MAX_ITEMS` items, and a level's items are in the
//! DOM only while it is expanded (written as markup when it opens, removed when it closes).

use crate::markup;
use crate::run::host::clip;
use leptos::prelude::*;
use plugboard_model::runtime::value::{format_number, json_fits};
use plugboard_model::runtime::Value;
use std::borrow::Cow;
use wasm_bindgen::JsCast;

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

/// Text that reads as a JSON object or array (checked by its first character; parsed later).
fn looks_like_json(t: &str) -> bool {
    let t = t.trim_start();
    (t.starts_with('{') || t.starts_with('[')) && t.len() <= MAX_JSON_BYTES
}

/// What a value with children says when collapsed, or `None` for one without.
fn branch_head(v: &Value) -> Option<String> {
    Some(match v {
        Value::List(items) => format!("List ({})", count(items.len(), "item", "items")),
        Value::Record(r) => format!(
            "Custom object ({})",
            count(r.len(), "property", "properties")
        ),
        Value::Text(t) if looks_like_json(t) => format!(
            "JSON text ({})",
            count(t.chars().count(), "character", "characters")
        ),
        _ => return None,
    })
}

/// One line of text for a value without children, and its CSS class.
fn scalar(v: &Value) -> (String, &'static str) {
    match v {
        Value::Null => ("(empty)".into(), "val val-empty"),
        Value::Bool(b) => (if *b { "True" } else { "False" }.into(), "val val-bool"),
        Value::Number(n) => (format_number(*n), "val val-number"),
        Value::Text(t) => (clip(t, MAX_CHARS), "val"),
        other => (clip(&other.to_text(), MAX_CHARS), "val"),
    }
}

/// The children of a value: a list's items, a custom object's properties, JSON text parsed.
fn children(v: &Value) -> Cow<'_, Value> {
    match v {
        Value::Text(t) if looks_like_json(t) => {
            match serde_json::from_str::<serde_json::Value>(t) {
                Ok(json) if json_fits(&json, 0) => Cow::Owned(Value::from_json(json)),
                _ => Cow::Owned(Value::Record(
                    [("JSON".to_string(), Value::Text("(not valid JSON)".into()))].into(),
                )),
            }
        }
        other => Cow::Borrowed(other),
    }
}

/// The `n`-th child of a value with children, and its label.
fn child(v: &Value, n: usize) -> Option<(String, Value)> {
    match v {
        Value::List(items) => items.get(n).map(|x| (format!("[{n}]"), x.clone())),
        Value::Record(r) => r.iter().nth(n).map(|(k, x)| (k.clone(), x.clone())),
        _ => None,
    }
}

/// The value at `path` (child numbers joined by `.`; empty: the value itself).
fn at_path(root: &Value, path: &str) -> Option<Value> {
    let mut v = root.clone();
    for n in path.split('.').filter(|s| !s.is_empty()) {
        let n = n.parse().ok()?;
        v = child(&children(&v), n)?.1;
    }
    Some(v)
}

/// One node: a row for a value without children, else a toggle and its (empty) level.
fn node(out: &mut String, label: &str, v: &Value, path: &str) {
    match branch_head(v) {
        None => {
            let (text, class) = scalar(v);
            markup::raw(out, "<li class=\"val-node\">");
            markup::span(out, "val-key", label);
            markup::raw(out, " ");
            markup::span(out, class, &text);
            markup::raw(out, "</li>");
        }
        Some(head) => {
            markup::raw(out, "<li class=\"val-node\">");
            markup::open(
                out,
                "button",
                "type=\"button\" class=\"val-toggle\" aria-expanded=\"false\"",
            )
            .attr("data-p", path)
            .attr("aria-label", &format!("{label}: {head}"))
            .end();
            markup::raw(out, "<span class=\"chev\" aria-hidden=\"true\"></span>");
            markup::span(out, "val-key", label);
            markup::raw(out, " ");
            markup::span(out, "val muted", &head);
            markup::raw(out, "</button><ul class=\"val-children\" hidden></ul></li>");
        }
    }
}

/// The first `MAX_ITEMS` children of the value at `path`, and a line for the rest.
fn level(v: &Value, path: &str) -> String {
    let kids = children(v);
    let (len, mut out) = (
        match kids.as_ref() {
            Value::List(items) => items.len(),
            Value::Record(r) => r.len(),
            _ => 0,
        },
        String::new(),
    );
    for n in 0..len.min(MAX_ITEMS) {
        if let Some((label, x)) = child(&kids, n) {
            let p = if path.is_empty() {
                n.to_string()
            } else {
                format!("{path}.{n}")
            };
            node(&mut out, &label, &x, &p);
        }
    }
    if len > MAX_ITEMS {
        markup::raw(&mut out, "<li class=\"val-more muted\">");
        markup::text(&mut out, &format!("… and {} more", len - MAX_ITEMS));
        markup::raw(&mut out, "</li>");
    }
    out
}

/// Open or close the toggle the click hit: an opened level is written then, a closed one removed.
fn toggle(ev: &web_sys::MouseEvent, value: Memo<Option<Value>>) {
    let Some(button) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("button[data-p]").ok().flatten())
    else {
        return;
    };
    let Some(list) = button.next_element_sibling() else {
        return;
    };
    if button.get_attribute("aria-expanded").as_deref() == Some("true") {
        list.set_inner_html("");
        let _ = list.set_attribute("hidden", "");
        let _ = button.set_attribute("aria-expanded", "false");
        return;
    }
    let path = button.get_attribute("data-p").unwrap_or_default();
    let Some(v) = value.with_untracked(|root| root.as_ref().and_then(|r| at_path(r, &path))) else {
        return;
    };
    list.set_inner_html(&level(&v, &path));
    let _ = list.remove_attribute("hidden");
    let _ = button.set_attribute("aria-expanded", "true");
}

/// The value `name` holds in the current or last run, if it has one (redrawn only when the
/// value changes).
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
    let label = format!("Value of {name}");
    move || {
        value.with(Option::is_some).then(|| {
            let tree = value.with(|v| {
                let mut out = String::new();
                if let Some(v) = v {
                    node(&mut out, "Value", v, "");
                }
                out
            });
            view! {
                <ul class="val-tree" aria-label=label.clone() inner_html=tree
                    on:click=move |ev| toggle(&ev, value)></ul>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::hostile::{assert_shown_as_text, INPUTS};

    #[test]
    fn levels_and_texts_are_bounded() {
        let big = Value::List((0..1000).map(|n| Value::Number(n as f64)).collect());
        let out = level(&big, "");
        assert_eq!(out.matches("<li class=\"val-node\">").count(), MAX_ITEMS);
        assert!(out.ends_with("… and 950 more</li>"));
        let long = Value::Text("x".repeat(1_000_000));
        assert_eq!(scalar(&long).0.chars().count(), MAX_CHARS + 1);
        assert_eq!(branch_head(&big).unwrap(), "List (1000 items)");
        let json = Value::Text(r#"{"a":[1,2],"b":"x"}"#.into());
        assert_eq!(at_path(&json, "0.1"), Some(Value::Number(2.0)));
        assert_eq!(at_path(&json, "1"), Some(Value::Text("x".into())));
        assert_eq!(at_path(&json, "7"), None);
        assert!(looks_like_json(" [1]") && !looks_like_json("plain"));
        let nested = Value::List(vec![big.clone()]);
        let root = level(&nested, "");
        assert!(
            root.contains("data-p=\"0\"") && root.contains("aria-label=\"[0]: List (1000 items)\"")
        );
    }

    #[test]
    fn values_show_hostile_text_as_text() {
        for input in INPUTS {
            let rec = Value::Record([(input.to_string(), Value::Text(input.to_string()))].into());
            assert_shown_as_text(&level(&rec, ""), input);
            let mut out = String::new();
            node(&mut out, input, &rec, "");
            assert_shown_as_text(&out, input);
        }
    }
}
