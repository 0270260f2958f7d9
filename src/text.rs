//! Case conversion without Rust's Unicode case tables (about 24 KB of wasm): ASCII text, nearly
//! all text here, converts in Rust; anything else goes to the browser's own `toLowerCase` /
//! `toUpperCase`, which implement the same Unicode default case conversion. Also the few labels
//! and checks of text the designer shares.

/// `s.to_lowercase()`.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        js_sys::JsString::from(s).to_lower_case().into()
    }
}

/// `s.to_uppercase()`.
pub fn upper(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_uppercase()
    } else {
        js_sys::JsString::from(s).to_upper_case().into()
    }
}

/// "action" or "N actions", for labels such as "Move 3 actions".
pub fn actions_label(n: usize) -> String {
    if n == 1 {
        "action".into()
    } else {
        format!("{n} actions")
    }
}

/// A whole number of CSS pixels, e.g. `"36px"`.
pub fn px(n: i64) -> String {
    format!("{n}px")
}

/// Whether `s` is a number as a maker writes one: the flow runtime's grammar (what
/// `s.parse::<f64>()` accepts, but for `inf`, `infinity` and `nan`), tested there.
pub fn is_number(s: &str) -> bool {
    plugboard_model::runtime::value::is_number(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_matches_std() {
        for s in ["", "Set Variable", "tex", "HTTP", "a_B-9%x"] {
            assert_eq!(lower(s), s.to_lowercase());
            assert_eq!(upper(s), s.to_uppercase());
        }
        assert_eq!(px(-1), "-1px");
        assert_eq!(px(72), "72px");
    }
}
