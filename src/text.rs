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

/// Whether `s` is a number as a maker writes one: what `s.parse::<f64>()` accepts, but for its
/// words `inf`, `infinity` and `nan`, which are not numbers to a flow. Checked against the grammar
/// `f64::from_str` documents rather than by parsing (the parser's tables are about 12 KB of wasm):
/// `Sign? Number`, where `Number ::= ( Digit+ | Digit+ "." Digit* | Digit* "." Digit+ ) Exp?`,
/// `Exp ::= ("e" | "E") Sign? Digit+`.
pub fn is_number(s: &str) -> bool {
    // The one grammar, shared with the flow runtime.
    plugboard_model::runtime::value::is_number(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_number_agrees_with_parse_but_for_its_words() {
        // What parse accepts that a flow does not count as a number.
        let word = |s: &str| {
            let s = s.strip_prefix(['+', '-']).unwrap_or(s);
            ["inf", "infinity", "nan"]
                .iter()
                .any(|w| s.eq_ignore_ascii_case(w))
        };
        let fixed = [
            "",
            "+",
            "-",
            ".",
            "e",
            "1",
            "-1",
            "+1.",
            ".5",
            "-.5",
            "1.5e3",
            "1E-3",
            "1e+",
            "1e",
            "e5",
            ".e5",
            "1.e5",
            "inf",
            "-Infinity",
            "NaN",
            "+nan",
            "infin",
            "in",
            "1 ",
            " 1",
            "1_0",
            "0x10",
            "١",
            "1..2",
            "1e5.0",
            "--1",
            "+-1",
            "∞",
        ];
        for s in fixed {
            assert_eq!(is_number(s), s.parse::<f64>().is_ok() && !word(s), "{s:?}");
        }
        // Every string of up to 4 characters over an alphabet that exercises the grammar.
        let alphabet: Vec<char> = "09.eE+-inf ".chars().collect();
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for w in &words {
                for c in &alphabet {
                    let mut w = w.clone();
                    w.push(*c);
                    assert_eq!(
                        is_number(&w),
                        w.parse::<f64>().is_ok() && !word(&w),
                        "{w:?}"
                    );
                    next.push(w);
                }
            }
            words = next;
        }
    }

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
