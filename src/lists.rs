//! Small lists drawn as one piece of markup, like the library's rows: each `<For>` with its row
//! views costs 5–15 KB of wasm, a string costs a few lines. Rows carry no handlers; the list
//! finds the row an event happened on by its `data-i` (the row's index in the list drawn).

use crate::library::markup::escape;
use std::fmt::Write;
use wasm_bindgen::JsCast;

/// The `data-i` of the element matching `selector` that the event happened in (or on).
pub fn index_of(ev: &web_sys::Event, selector: &str) -> Option<usize> {
    attr_of(ev, selector, "data-i")?.parse().ok()
}

/// Attribute `attr` of the element matching `selector` that the event happened in (or on).
pub fn attr_of(ev: &web_sys::Event, selector: &str, attr: &str) -> Option<String> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    target.closest(selector).ok().flatten()?.get_attribute(attr)
}

/// Append `<tag attrs data-i="i">` (attrs as given: constant markup only), with an escaped
/// `aria-label` when there is one.
pub fn open(out: &mut String, tag: &str, attrs: &str, i: usize, label: Option<&str>) {
    let _ = write!(out, "<{tag} {attrs} data-i=\"{i}\"");
    if let Some(label) = label {
        out.push_str(" aria-label=\"");
        escape(out, label);
        out.push('"');
    }
    out.push('>');
}

/// Append `text`, escaped.
pub fn text(out: &mut String, text: &str) {
    escape(out, text);
}

/// Append `text`, escaped, inside `<span class="class">`.
pub fn span(out: &mut String, class: &str, text: &str) {
    let _ = write!(out, "<span class=\"{class}\">");
    escape(out, text);
    out.push_str("</span>");
}
