//! Runtime values: what a flow variable holds (text, number, boolean, list, custom object,
//! datetime), their text form, comparisons, and conversion to and from JSON.

use super::datetime::DateTime;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A custom object's properties (sorted by name, as JSON objects are read here).
pub type Record = BTreeMap<String, Value>;

/// How deep lists and custom objects may nest in a value (JSON read into one allows as much).
pub const MAX_NESTING: usize = 128;
/// About how much memory one value may take: its texts' bytes and 32 per item.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

/// The value of a variable or of an expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// No value: an empty input, a JSON `null`.
    Null,
    Bool(bool),
    /// Always finite: arithmetic that would leave the finite range is an error.
    Number(f64),
    Text(String),
    DateTime(DateTime),
    List(Vec<Value>),
    /// A custom object (Power Automate for desktop's name for a JSON object).
    Record(Record),
}

impl Value {
    /// The type's name as error messages say it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "an empty value",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::Text(_) => "a text",
            Value::DateTime(_) => "a datetime",
            Value::List(_) => "a list",
            Value::Record(_) => "a custom object",
        }
    }

    /// Whether the value, at `depth` inside other lists, stays within `MAX_NESTING` and
    /// `MAX_BYTES`: a flow that doubles a value in a loop stops with this error, not by running
    /// out of memory or stack. The walk stops where the budget runs out.
    pub fn check_size(&self, depth: usize) -> Result<(), String> {
        let mut budget = MAX_BYTES;
        self.fits(depth, &mut budget).map_err(|deep| {
            if deep {
                format!("lists and custom objects may nest {MAX_NESTING} levels deep, no more")
            } else {
                format!("the value would take more than {} MB", MAX_BYTES >> 20)
            }
        })
    }

    /// `Err(true)`: too deep; `Err(false)`: too large.
    fn fits(&self, depth: usize, budget: &mut usize) -> Result<(), bool> {
        let cost = 32
            + if let Value::Text(s) = self {
                s.len()
            } else {
                0
            };
        *budget = budget.checked_sub(cost).ok_or(false)?;
        let children: &mut dyn Iterator<Item = &Value> = match self {
            Value::List(l) => &mut l.iter(),
            Value::Record(r) => &mut r.values(),
            _ => return Ok(()),
        };
        if depth >= MAX_NESTING {
            return Err(true);
        }
        for c in children {
            c.fits(depth + 1, budget)?;
        }
        Ok(())
    }

    /// The text a maker sees: numbers without a trailing `.0`, `True`/`False`, datetimes as
    /// `yyyy-MM-dd HH:mm:ss`, lists and custom objects as JSON.
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            _ => {
                let mut out = String::new();
                self.write_text(&mut out);
                out
            }
        }
    }

    /// Append the text form to `out` (no intermediate strings for texts).
    pub fn write_text(&self, out: &mut String) {
        match self {
            Value::Null => {}
            Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
            Value::Number(n) => out.push_str(&format_number(*n)),
            Value::Text(s) => out.push_str(s),
            Value::DateTime(d) => out.push_str(&d.format("yyyy-MM-dd HH:mm:ss")),
            Value::List(_) | Value::Record(_) => out.push_str(&self.to_json().to_string()),
        }
    }

    /// The number this value is: a number, or a text that reads as one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Text(s) => parse_number(s),
            _ => None,
        }
    }

    /// The boolean this value is: a boolean, or the text `True`/`False` (any case).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Text(s) if s.trim().eq_ignore_ascii_case("true") => Some(true),
            Value::Text(s) if s.trim().eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The datetime this value is: a datetime, or a text that reads as one.
    pub fn as_datetime(&self) -> Option<DateTime> {
        match self {
            Value::DateTime(d) => Some(*d),
            Value::Text(s) => DateTime::parse(s),
            _ => None,
        }
    }

    /// Whether the value is empty: no value, an empty text, list or custom object.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Text(s) => s.is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Record(r) => r.is_empty(),
            _ => false,
        }
    }

    /// As JSON: integral numbers as integers, datetimes as `yyyy-MM-ddTHH:mm:ss` text.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => match as_integer(*n) {
                Some(i) => J::from(i),
                None => serde_json::Number::from_f64(*n).map_or(J::Null, J::Number),
            },
            Value::Text(s) => J::String(s.clone()),
            Value::DateTime(d) => J::String(d.format("yyyy-MM-ddTHH:mm:ss")),
            Value::List(l) => J::Array(l.iter().map(Value::to_json).collect()),
            // Maps are filled one insert at a time: collecting into one compiles a sort per
            // map type (about 3 KB of the designer's wasm each).
            Value::Record(r) => {
                let mut o = serde_json::Map::new();
                for (k, v) in r {
                    o.insert(k.clone(), v.to_json());
                }
                J::Object(o)
            }
        }
    }

    /// From JSON: objects become custom objects, arrays lists.
    pub fn from_json(json: serde_json::Value) -> Value {
        use serde_json::Value as J;
        match json {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(b),
            J::Number(n) => n.as_f64().map_or(Value::Null, Value::Number),
            J::String(s) => Value::Text(s),
            J::Array(a) => Value::List(a.into_iter().map(Value::from_json).collect()),
            J::Object(o) => {
                let mut r = Record::new();
                for (k, v) in o {
                    r.insert(k, Value::from_json(v));
                }
                Value::Record(r)
            }
        }
    }
}

/// Whether JSON from the host nests at most `MAX_NESTING` levels below `depth` (reading it
/// into a value recurses that deep). The walk stops at the bound.
pub fn json_fits(json: &serde_json::Value, depth: usize) -> bool {
    use serde_json::Value as J;
    match json {
        J::Array(_) | J::Object(_) if depth >= MAX_NESTING => false,
        J::Array(a) => a.iter().all(|v| json_fits(v, depth + 1)),
        J::Object(o) => o.values().all(|v| json_fits(v, depth + 1)),
        _ => true,
    }
}

/// Whether two values are equal as a condition compares them: as numbers when both are numbers
/// (or texts that read as numbers), as datetimes when one is a datetime, else as texts.
pub fn equal(a: &Value, b: &Value) -> bool {
    compare(a, b) == Some(Ordering::Equal)
}

/// The order of two values, by the rules of `equal`; `None` when they cannot be ordered (a list
/// against a number, say).
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::List(_) | Value::Record(_), _) | (_, Value::List(_) | Value::Record(_)) => {
            (a == b).then_some(Ordering::Equal)
        }
        (Value::DateTime(_), _) | (_, Value::DateTime(_)) => {
            Some(a.as_datetime()?.cmp(&b.as_datetime()?))
        }
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => match (a.as_number(), b.as_number()) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => Some(a.to_text().cmp(&b.to_text())),
        },
    }
}

/// `n` as an `i64` when it is a whole number within the range where that is exact.
pub fn as_integer(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
}

/// A number's text: whole numbers without decimals, others in their shortest exact form.
pub fn format_number(n: f64) -> String {
    match as_integer(n) {
        Some(i) => i.to_string(),
        // serde_json's shortest float form: the designer has its code already.
        None => serde_json::to_string(&n).unwrap_or_default(),
    }
}

/// Whether `s` is a number as a maker writes one: `Sign? Number`, where `Number ::= ( Digit+ |
/// Digit+ "." Digit* | Digit* "." Digit+ ) Exp?` and `Exp ::= ("e" | "E") Sign? Digit+` (what
/// `f64::from_str` reads, but for its words `inf`, `infinity` and `nan`). No spaces around it.
pub fn is_number(s: &str) -> bool {
    split_number(s).is_some()
}

/// A number's parts as `is_number` reads them: (negative, integer digits, fraction digits,
/// exponent with its `e`).
fn split_number(s: &str) -> Option<(bool, &str, &str, &str)> {
    let (negative, s) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let b = s.as_bytes();
    let digits = |from: usize| {
        b[from..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(b.len(), |n| from + n)
    };
    let int_end = digits(0);
    let (mut frac_start, mut end) = (int_end, int_end);
    if b.get(end) == Some(&b'.') {
        frac_start = end + 1;
        end = digits(frac_start);
    }
    if int_end == 0 && end == frac_start {
        return None;
    }
    let exp_start = end;
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let mut e = end + 1;
        if matches!(b.get(e), Some(b'+' | b'-')) {
            e += 1;
        }
        let e_end = digits(e);
        if e_end == e {
            return None;
        }
        end = e_end;
    }
    (end == b.len()).then(|| {
        let frac = s.get(frac_start..exp_start).unwrap_or("");
        (negative, &s[..int_end], frac, &s[exp_start..])
    })
}

/// The number a text holds (spaces around it allowed), as `is_number` reads it; `None` for
/// other text and for numbers beyond the finite range.
pub fn parse_number(text: &str) -> Option<f64> {
    let (negative, int, frac, exp) = split_number(text.trim())?;
    // Rewritten in JSON's grammar and read by serde_json, whose float reader the designer has
    // already (core's `f64::from_str` tables cost about 12 KB of wasm).
    let int = int.trim_start_matches('0');
    let mut json = String::with_capacity(text.len() + 3);
    if negative {
        json.push('-');
    }
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    json.push_str(exp);
    let n: f64 = serde_json::from_str(&json).ok()?;
    n.is_finite().then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_maker_writes_them() {
        for (text, want) in [
            ("5", Some(5.0)),
            (" -2.5 ", Some(-2.5)),
            ("+007", Some(7.0)),
            ("1e3", Some(1000.0)),
            (".5", Some(0.5)),
            ("5.", Some(5.0)),
            ("0", Some(0.0)),
            ("1E-2", Some(0.01)),
            ("", None),
            ("-", None),
            (".", None),
            ("1e", None),
            ("inf", None),
            ("NaN", None),
            ("12abc", None),
            ("1e999", None),
        ] {
            assert_eq!(parse_number(text), want, "{text:?}");
        }
    }

    /// Every word of up to 4 characters over an alphabet that exercises the grammar, and a few
    /// longer ones, read as std's `f64::from_str` reads them, but for its words (inf, nan).
    #[test]
    fn numbers_read_as_std_reads_them() {
        for w in [
            "-Infinity",
            "+nan",
            "infin",
            "1.5e3",
            "1E-3",
            "1e+",
            ".e5",
            "1.e5",
            "1_0",
            "0x10",
            "١",
            "1..2",
            "1e5.0",
            "--1",
            "+-1",
            "∞",
        ] {
            let word =
                w.to_ascii_lowercase().contains("inf") || w.to_ascii_lowercase().contains("nan");
            assert_eq!(is_number(w), w.parse::<f64>().is_ok() && !word, "{w:?}");
        }
        let alphabet: Vec<char> = "09.eE+-inf ".chars().collect();
        let mut words = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for w in &words {
                for c in &alphabet {
                    let mut w = w.clone();
                    w.push(*c);
                    let std = w.parse::<f64>().ok().filter(|n| n.is_finite());
                    let word = w.contains(['i', 'n']);
                    assert_eq!(is_number(&w), std.is_some() && !word, "{w:?}");
                    if !w.starts_with(' ') && !w.ends_with(' ') {
                        assert_eq!(parse_number(&w), std.filter(|_| !word), "{w:?}");
                    }
                    next.push(w);
                }
            }
            words = next;
        }
    }

    #[test]
    fn numbers_print_without_trailing_zeros() {
        assert_eq!(format_number(5.0), "5");
        assert_eq!(format_number(-0.5), "-0.5");
        assert_eq!(format_number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(Value::Bool(true).to_text(), "True");
    }

    #[test]
    fn comparisons_follow_the_operand_types() {
        let t = |s: &str| Value::Text(s.into());
        assert!(equal(&Value::Number(5.0), &t("5")));
        assert!(equal(&t("05"), &t("5.0")));
        assert_eq!(compare(&t("10"), &t("9")), Some(Ordering::Greater));
        assert_eq!(compare(&t("b"), &t("a")), Some(Ordering::Greater));
        assert_eq!(compare(&Value::List(vec![]), &Value::Number(1.0)), None);
    }
}
