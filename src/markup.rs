//! The one place markup is written as text, for the lists drawn as one string (library rows,
//! Errors, the Flows menu, the pickers, the references pane, the Run log, variables' values): a `<For>` with row views costs
//! 5–15 KB of wasm each, a string a few lines. What is written raw (tags, attributes, classes,
//! icon names) is a `&'static str` or a value only this module builds; everything else is
//! escaped. Rows carry no handlers: the list finds the row an event happened on by its `data-i`.

mod icons;
mod library;

pub use icons::{icon, icon_key, icon_paths};
pub use library::{action, connector, note, thousands, Brand, Connector, Lead, Note, Row};

use std::fmt::Write;
use wasm_bindgen::JsCast;

/// Append `s` with `&`, `<`, `>`, `"` and `'` escaped, for text and quoted attribute values.
fn escape(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
}

/// A start tag being written: `open` wrote `<tag attrs`; attributes follow; `end` closes it.
#[must_use = "a start tag is closed with `end`"]
pub struct Open<'a>(&'a mut String);

/// Begin `<tag attrs` (both constant markup).
pub fn open<'a>(out: &'a mut String, tag: &'static str, attrs: &'static str) -> Open<'a> {
    let _ = write!(out, "<{tag} {attrs}");
    Open(out)
}

impl Open<'_> {
    /// ` name="n"`.
    pub fn num(self, name: &'static str, n: usize) -> Self {
        let _ = write!(self.0, " {name}=\"{n}\"");
        self
    }

    /// ` name="value"`, the value escaped.
    pub fn attr(self, name: &'static str, value: &str) -> Self {
        let _ = write!(self.0, " {name}=\"");
        escape(self.0, value);
        self.0.push('"');
        self
    }

    /// Close the start tag.
    pub fn end(self) {
        self.0.push('>');
    }
}

/// Append `<tag attrs data-i="i">`, with an escaped `aria-label` when there is one.
pub fn item(
    out: &mut String,
    tag: &'static str,
    attrs: &'static str,
    i: usize,
    label: Option<&str>,
) {
    let o = open(out, tag, attrs).num("data-i", i);
    match label {
        Some(l) => o.attr("aria-label", l).end(),
        None => o.end(),
    }
}

/// Append constant markup (closing tags, fixed fragments).
pub fn raw(out: &mut String, markup: &'static str) {
    out.push_str(markup);
}

/// Append `text`, escaped.
pub fn text(out: &mut String, text: &str) {
    escape(out, text);
}

/// Append `text`, escaped, inside `<span class="class">`.
pub fn span(out: &mut String, class: &'static str, text: &str) {
    let _ = write!(out, "<span class=\"{class}\">");
    escape(out, text);
    out.push_str("</span>");
}

/// The `data-i` of the element matching `selector` that the event happened in (or on).
pub fn index_of(ev: &web_sys::Event, selector: &str) -> Option<usize> {
    attr_of(ev, selector, "data-i")?.parse().ok()
}

/// Attribute `attr` of the element matching `selector` that the event happened in (or on).
pub fn attr_of(ev: &web_sys::Event, selector: &str, attr: &str) -> Option<String> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    target.closest(selector).ok().flatten()?.get_attribute(attr)
}

/// For the lists' tests: the hostile inputs every list must show as text, and the check.
#[cfg(test)]
pub mod hostile {
    /// An element of its own, an attribute breakout, a script URL.
    pub const INPUTS: [&str; 3] = [
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>",
        "javascript:alert(1)",
    ];

    /// Panic unless `markup` shows `input` as text (escaped, somewhere) and every tag in it is
    /// one the lists write, with no event handler, `src`/`href`, or script URL among its
    /// attributes.
    pub fn assert_shown_as_text(markup: &str, input: &str) {
        let mut escaped = String::new();
        super::escape(&mut escaped, input);
        assert!(
            markup.contains(&escaped),
            "{input:?} is not shown as text in {markup}"
        );
        let mut rest = markup;
        while let Some(start) = rest.find('<') {
            let end = rest[start..]
                .find('>')
                .unwrap_or_else(|| panic!("an unclosed tag in {markup}"));
            let tag = &rest[start + 1..start + end];
            rest = &rest[start + end + 1..];
            let tag = tag.trim_start_matches('/');
            let name = tag.split_whitespace().next().unwrap_or("");
            assert!(
                [
                    "li", "ul", "div", "span", "button", "svg", "path", "hr", "kbd", "details",
                    "summary", "pre"
                ]
                .contains(&name),
                "a <{name}> tag in {markup}"
            );
            // Attribute values are quoted and hold no quote (escaped): split on them.
            let mut parts = tag[name.len()..].split('"');
            while let (Some(attr), Some(value)) = (parts.next(), parts.next()) {
                let attr = attr.trim().trim_end_matches('=');
                assert!(
                    // No `style` either: the Content-Security-Policy refuses inline styles.
                    !attr.starts_with("on") && attr != "src" && attr != "href" && attr != "style",
                    "attribute {attr:?} in <{name}> of {markup}"
                );
                assert!(
                    !attr.contains(' ') && !attr.contains('<') && !attr.contains('>'),
                    "a broken attribute {attr:?} in {markup}"
                );
                assert!(
                    !value
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:")
                        || ["aria-label", "title"].contains(&attr)
                        || attr.starts_with("data-"),
                    "a script URL in {attr} of {markup}"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attribute_values_are_escaped() {
        let mut out = String::new();
        open(&mut out, "li", "class=\"x\"")
            .num("data-i", 3)
            .attr("aria-label", "a\"b'<c>&")
            .end();
        text(&mut out, "<b>");
        span(&mut out, "s", "\"'");
        raw(&mut out, "</li>");
        assert_eq!(
            out,
            "<li class=\"x\" data-i=\"3\" aria-label=\"a&quot;b&#39;&lt;c&gt;&amp;\">&lt;b&gt;\
             <span class=\"s\">&quot;&#39;</span></li>"
        );
        for input in hostile::INPUTS {
            let mut out = String::new();
            item(&mut out, "li", "role=\"option\"", 0, Some(input));
            text(&mut out, input);
            span(&mut out, "muted", input);
            raw(&mut out, "</li>");
            hostile::assert_shown_as_text(&out, input);
        }
    }

    #[test]
    #[should_panic(expected = "a <img> tag")]
    fn the_check_catches_markup_written_raw() {
        let input = hostile::INPUTS[0];
        let mut out = String::new();
        escape(&mut out, input);
        out.push_str(input);
        hostile::assert_shown_as_text(&out, input);
    }

    #[test]
    #[should_panic(expected = "attribute")]
    fn the_check_catches_an_attribute_breakout() {
        let input = hostile::INPUTS[1];
        let mut out = String::new();
        escape(&mut out, input);
        out.push_str("<span title=\"\" onload=\"x\"></span>");
        hostile::assert_shown_as_text(&out, input);
    }
}
