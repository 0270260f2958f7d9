//! The library's rows as markup. A search over the connector corpus redraws up to a few hundred
//! rows per keystroke; built as views, each costs dozens of calls from wasm into the DOM (about
//! 0.5 ms a row), while one string per group is parsed by the browser in one go. Rows carry no
//! handlers: the tree handles their gestures (see `ActionsPane`). Everything from outside (names,
//! ids, colours) is escaped or checked here.

use super::escape;
use std::fmt::Write;

/// Shown when the pointer rests on an action.
const HINT: &str = "Double-click or drag onto the flow · F: favourite";

/// What leads an action row.
#[derive(Clone, Debug, PartialEq)]
pub enum Lead {
    /// A category icon key.
    Icon(String),
    /// A connector's badge (rows outside their connector, in Favourites).
    Badge(Brand),
    /// A dot in the brand colour of the connector the row is under.
    Dot,
}

/// A marker after an action's name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Note {
    Advanced,
    Deprecated,
}

/// One action row.
pub struct Row<'a> {
    /// The action id in a flow (`variables.set`, `connector:<connector>/<operation>`).
    pub id: &'a str,
    pub name: &'a str,
    pub lead: &'a Lead,
    pub note: Option<Note>,
    pub starred: bool,
}

/// An action row: a `treeitem` named by the action (deprecated ones say so), and its star.
pub fn action(out: &mut String, row: &Row) {
    let class = if row.starred {
        "action starred"
    } else {
        "action"
    };
    let _ = write!(
        out,
        "<li role=\"treeitem\" class=\"{class}\" tabindex=\"-1\" aria-keyshortcuts=\"F\" data-action=\""
    );
    escape(out, row.id);
    out.push_str("\" aria-label=\"");
    escape(out, row.name);
    if row.note == Some(Note::Deprecated) {
        out.push_str(" (deprecated)");
    }
    // The name again in the tooltip: long names are cut short in the row.
    out.push_str("\" title=\"");
    escape(out, row.name);
    let _ = write!(out, "&#10;{HINT}\">");
    match row.lead {
        Lead::Icon(key) => super::icon(out, key, "cat-icon"),
        Lead::Badge(b) => b.badge(out, "conn-badge small"),
        Lead::Dot => out.push_str("<span class=\"conn-dot\" aria-hidden=\"true\"></span>"),
    }
    out.push_str("<span class=\"action-name\">");
    escape(out, row.name);
    out.push_str("</span>");
    match row.note {
        Some(Note::Advanced) => {
            out.push_str("<span class=\"tag\" title=\"An advanced action\">advanced</span>")
        }
        Some(Note::Deprecated) => out.push_str("<span class=\"tag deprecated\">deprecated</span>"),
        None => {}
    }
    let (class, label) = if row.starred {
        ("star on", "Remove from favourites")
    } else {
        ("star", "Add to favourites")
    };
    // The star and the chevron are drawn by CSS (masks): no SVG to parse per row.
    let _ = write!(
        out,
        "<button type=\"button\" class=\"{class}\" tabindex=\"-1\" aria-pressed=\"{}\" \
         aria-label=\"{label}\" title=\"{label}\"></button></li>",
        row.starred
    );
}

/// A connector as its branch shows it.
pub struct Connector<'a> {
    /// Its index in the catalog index.
    pub index: usize,
    pub name: &'a str,
    pub brand: &'a Brand,
    /// The number of actions after its name.
    pub count: usize,
    pub open: bool,
}

/// A connector's branch: its row (badge, name, count) and, when open, its actions in a group
/// named like it. `data-connector` is its index in the catalog index, for the tree's handlers.
pub fn connector(out: &mut String, c: &Connector, rows: impl FnOnce(&mut String)) {
    let Connector {
        index,
        name,
        brand,
        count,
        open,
    } = *c;
    let count = thousands(count);
    let _ = write!(
        out,
        "<li role=\"treeitem\" class=\"branch connector{}{}\" data-connector=\"{index}\" aria-expanded=\"{open}\" aria-label=\"",
        if brand.light { " light" } else { "" },
        brand.class()
    );
    escape(out, name);
    out.push_str("\"><div class=\"tree-row\" tabindex=\"-1\" title=\"");
    escape(out, name);
    out.push_str("\"><span class=\"chevron img\" aria-hidden=\"true\"></span>");
    brand.badge(out, "conn-badge");
    out.push_str("<span class=\"row-name\">");
    escape(out, name);
    let _ = write!(out, "</span><span class=\"row-count\">{count}</span></div>");
    if open {
        out.push_str("<ul role=\"group\" aria-label=\"");
        escape(out, name);
        out.push_str("\">");
        rows(out);
        out.push_str("</ul>");
    }
    out.push_str("</li>");
}

/// A line of text in a group that is not an item (loading, an error, a count), with an
/// optional button the tree handles by its `data-do` value.
pub fn note(
    out: &mut String,
    class: &'static str,
    text: &str,
    button: Option<(&'static str, &str)>,
) {
    let _ = write!(out, "<li role=\"none\" class=\"tree-note {class}\">");
    if class == "loading" {
        out.push_str("<span class=\"spinner\" aria-hidden=\"true\"></span>");
    }
    out.push_str("<span>");
    escape(out, text);
    out.push_str("</span>");
    if let Some((what, label)) = button {
        let _ = write!(
            out,
            "<button type=\"button\" class=\"ghost\" data-do=\"{what}\">"
        );
        escape(out, label);
        out.push_str("</button>");
    }
    out.push_str("</li>");
}

/// A connector's brand as the library draws it: its colour (when it is one) and its initial.
#[derive(Clone, Debug, PartialEq)]
pub struct Brand {
    /// `#rgb` or `#rrggbb`: connector definitions are outside input, nothing else gets through.
    color: Option<String>,
    initial: String,
    /// A light colour: the initial is drawn dark.
    light: bool,
}

impl Brand {
    /// `upper` is the case conversion for the initial (the designer's avoids std's tables).
    pub fn new(name: &str, color: &str, upper: impl Fn(&str) -> String) -> Self {
        let rgb = hex_rgb(color);
        let initial = name
            .chars()
            .find(|ch| ch.is_alphanumeric())
            .map_or_else(|| "?".to_string(), |ch| upper(ch.encode_utf8(&mut [0; 4])));
        Brand {
            light: rgb.is_some_and(|(r, g, b)| {
                0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b) > 170.0
            }),
            // Lower case: one class per colour however the definition spells it.
            color: rgb.map(|_| color.trim().to_ascii_lowercase()),
            initial,
        }
    }

    /// ` bc-<hex>`: the class that sets `--brand` to the colour (`rule`), or nothing. A class,
    /// not a `style` attribute, because the Content-Security-Policy refuses inline styles.
    fn class(&self) -> String {
        self.color
            .as_ref()
            .map_or_else(String::new, |c| format!(" bc-{}", &c[1..]))
    }

    /// The colour's rule for the brand style sheet (`.bc-0078d4{--brand:#0078d4}`), if any.
    pub fn rule(&self) -> Option<String> {
        let c = self.color.as_ref()?;
        Some(format!(".bc-{}{{--brand:{c}}}", &c[1..]))
    }

    fn badge(&self, out: &mut String, class: &str) {
        let light = if self.light { " light" } else { "" };
        let _ = write!(
            out,
            "<span class=\"{class}{light}{}\" aria-hidden=\"true\">",
            self.class()
        );
        escape(out, &self.initial);
        out.push_str("</span>");
    }
}

/// `#rgb` or `#rrggbb` as its channels.
fn hex_rgb(s: &str) -> Option<(u8, u8, u8)> {
    let h = s.trim().strip_prefix('#')?;
    if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let v = |i: usize, n: usize| u8::from_str_radix(&h[i..i + n], 16).ok();
    match h.len() {
        3 => Some((v(0, 1)? * 17, v(1, 1)? * 17, v(2, 1)? * 17)),
        6 => Some((v(0, 2)?, v(2, 2)?, v(4, 2)?)),
        _ => None,
    }
}

/// `1234` as "1,234".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper(s: &str) -> String {
        s.to_uppercase()
    }

    #[test]
    fn thousands_groups_digits() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (16065, "16,065"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), s);
        }
    }

    #[test]
    fn only_hex_colours_become_brand_colours() {
        assert_eq!(hex_rgb("#0078D4"), Some((0, 0x78, 0xd4)));
        assert_eq!(hex_rgb(" #fff "), Some((255, 255, 255)));
        for bad in [
            "",
            "#",
            "0078d4",
            "#12345",
            "#ggg",
            "red",
            "#fff;background:url(x)",
            "#ééé",
        ] {
            assert_eq!(hex_rgb(bad), None, "{bad:?}");
        }
        let b = Brand::new("outlook", "#0078D4", upper);
        assert_eq!((b.initial.as_str(), b.light), ("O", false));
        assert_eq!(b.class(), " bc-0078d4");
        assert_eq!(b.rule().unwrap(), ".bc-0078d4{--brand:#0078d4}");
        let b = Brand::new("  (über)", "#FFFFFF", upper);
        assert_eq!((b.initial.as_str(), b.light), ("Ü", true));
        let b = Brand::new("—", "\"><script>", upper);
        assert_eq!(
            (b.initial.as_str(), b.class(), b.rule()),
            ("?", String::new(), None)
        );
    }

    #[test]
    fn rows_escape_what_comes_from_outside_and_name_their_state() {
        let mut out = String::new();
        let lead = Lead::Dot;
        action(
            &mut out,
            &Row {
                id: "connector:a\"b/<op>",
                name: "Send <b>“mail”</b> & 'more'",
                lead: &lead,
                note: Some(Note::Deprecated),
                starred: true,
            },
        );
        assert!(out.starts_with(
            "<li role=\"treeitem\" class=\"action starred\" tabindex=\"-1\" aria-keyshortcuts=\"F\" data-action=\"connector:a&quot;b/&lt;op&gt;\" \
             aria-label=\"Send &lt;b&gt;“mail”&lt;/b&gt; &amp; &#39;more&#39; (deprecated)\""
        ));
        assert!(out.contains("<span class=\"action-name\">Send &lt;b&gt;“mail”&lt;/b&gt; &amp; &#39;more&#39;</span>"));
        assert!(out.contains("<span class=\"tag deprecated\">deprecated</span>"));
        assert!(out.contains("class=\"star on\" tabindex=\"-1\" aria-pressed=\"true\" aria-label=\"Remove from favourites\""));
        assert!(!out.contains("<b>"));

        // A connector's branch, closed then open.
        let branch = |name: &str, color: &str, count: usize, open: bool| {
            let mut out = String::new();
            let brand = Brand::new(name, color, upper);
            let c = Connector {
                index: 7,
                name,
                brand: &brand,
                count,
                open,
            };
            connector(&mut out, &c, |o| o.push_str("ROWS"));
            out
        };
        let out = branch("A & B", "#000", 1234, false);
        assert!(out.starts_with(
            "<li role=\"treeitem\" class=\"branch connector bc-000\" data-connector=\"7\" \
             aria-expanded=\"false\" aria-label=\"A &amp; B\">"
        ));
        assert!(out.ends_with("<span class=\"row-count\">1,234</span></div></li>"));
        let out = branch("X", "", 1, true);
        assert!(out.ends_with("<ul role=\"group\" aria-label=\"X\">ROWS</ul></li>"));
        assert!(!out.contains("style") && !out.contains("bc-"));
    }

    #[test]
    fn hostile_names_show_as_text() {
        use crate::markup::hostile::{assert_shown_as_text, INPUTS};
        for input in INPUTS {
            let brand = Brand::new(input, input, upper);
            let mut out = String::new();
            action(
                &mut out,
                &Row {
                    id: input,
                    name: input,
                    lead: &Lead::Badge(brand.clone()),
                    note: None,
                    starred: false,
                },
            );
            action(
                &mut out,
                &Row {
                    id: "a",
                    name: input,
                    lead: &Lead::Icon(input.to_string()),
                    note: Some(Note::Advanced),
                    starred: true,
                },
            );
            let c = Connector {
                index: 0,
                name: input,
                brand: &brand,
                count: 2,
                open: true,
            };
            connector(&mut out, &c, |_| {});
            note(&mut out, "failed", input, Some(("retry", input)));
            assert_shown_as_text(&out, input);
        }
    }
}
