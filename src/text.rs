//! Case conversion without Rust's Unicode case tables (about 24 KB of wasm): ASCII text, nearly
//! all text here, converts in Rust; anything else goes to the browser's own `toLowerCase` /
//! `toUpperCase`, which implement the same Unicode default case conversion. Also the few labels
//! (durations among them) and checks of text the designer shares.

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

/// A duration as the run panel shows it: `850 ms`, `1.2 s`, `2 min 5 s`.
pub fn duration_label(ms: f64) -> String {
    let ms = ms.max(0.0).round() as u64;
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{}.{} s", ms / 1000, ms % 1000 / 100)
    } else {
        format!("{} min {} s", ms / 60_000, ms % 60_000 / 1000)
    }
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
        assert_eq!(duration_label(0.4), "0 ms");
        assert_eq!(duration_label(1234.0), "1.2 s");
        assert_eq!(duration_label(125_000.0), "2 min 5 s");
    }
}
