//! Expression text: literals with `%…%` parts (`%NewVar%`, `%Var.Property%`, `%A + 1%`); `%%` is a
//! literal percent sign. This module finds and renames the variables such text uses.

/// A piece of expression text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    Literal(&'a str),
    /// The inside of a `%…%` part, without the percent signs.
    Expr(&'a str),
}

/// Why a text is not a valid expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// 0-based character offset of the problem.
    pub at: usize,
    pub message: String,
}

/// Split text into literal and `%…%` parts; an unclosed `%` is an error.
pub fn parse(text: &str) -> Result<Vec<Part<'_>>, ExprError> {
    let mut parts = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut lit_start = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if bytes.get(i + 1) == Some(&b'%') {
                i += 2;
                continue;
            }
            if lit_start < i {
                parts.push(Part::Literal(&text[lit_start..i]));
            }
            let Some(close) = text[i + 1..].find('%') else {
                return Err(ExprError {
                    at: text[..i].chars().count(),
                    message: "a % opens an expression that is never closed".into(),
                });
            };
            let inner = &text[i + 1..i + 1 + close];
            if inner.trim().is_empty() {
                return Err(ExprError {
                    at: text[..i].chars().count(),
                    message: "an expression between % signs is empty".into(),
                });
            }
            parts.push(Part::Expr(inner));
            i += close + 2;
            lit_start = i;
        } else {
            i += 1;
        }
    }
    if lit_start < text.len() {
        parts.push(Part::Literal(&text[lit_start..]));
    }
    Ok(parts)
}

/// The words of expressions that are not variable names (the runtime's evaluator reads them).
pub(crate) const KEYWORDS: &[&str] = &[
    "True", "False", "and", "or", "not", "AND", "OR", "NOT", "mod",
];

/// Byte ranges of the variable names an expression (the inside of `%…%`) refers to: identifiers
/// that are not after a `.` (properties), not inside quotes, and not keywords or numbers.
fn identifier_spans(expr: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = expr.char_indices().collect();
    let mut k = 0;
    let mut quote: Option<char> = None;
    let mut prev_sig: Option<char> = None;
    while k < chars.len() {
        let (start, c) = chars[k];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            k += 1;
            prev_sig = Some(c);
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
            k += 1;
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut end = k;
            while end < chars.len() && (chars[end].1.is_alphanumeric() || chars[end].1 == '_') {
                end += 1;
            }
            let stop = chars.get(end).map_or(expr.len(), |(b, _)| *b);
            let word = &expr[start..stop];
            if prev_sig != Some('.') && !KEYWORDS.contains(&word) {
                out.push((start, stop));
            }
            prev_sig = Some('a');
            k = end;
            continue;
        }
        if c.is_ascii_digit() {
            while k < chars.len() && (chars[k].1.is_alphanumeric() || chars[k].1 == '.') {
                k += 1;
            }
            prev_sig = Some('0');
            continue;
        }
        if !c.is_whitespace() {
            prev_sig = Some(c);
        }
        k += 1;
    }
    out
}

/// The variable names a text refers to, in order of appearance (with repeats).
/// Text that does not parse refers to none (the flow checker reports it separately).
pub fn variables(text: &str) -> Vec<&str> {
    let Ok(parts) = parse(text) else {
        return Vec::new();
    };
    parts
        .into_iter()
        .filter_map(|p| match p {
            Part::Expr(e) => Some(e),
            Part::Literal(_) => None,
        })
        .flat_map(|e| identifier_spans(e).into_iter().map(move |(a, b)| &e[a..b]))
        .collect()
}

/// `text` with every reference to variable `from` replaced by `to` (properties and literals kept).
pub fn rename(text: &str, from: &str, to: &str) -> String {
    let Ok(parts) = parse(text) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    for p in parts {
        match p {
            Part::Literal(l) => out.push_str(l),
            Part::Expr(e) => {
                out.push('%');
                let mut last = 0;
                for (a, b) in identifier_spans(e) {
                    if &e[a..b] == from {
                        out.push_str(&e[last..a]);
                        out.push_str(to);
                        last = b;
                    }
                }
                out.push_str(&e[last..]);
                out.push('%');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_vars(text: &str, expected: &[&str]) {
        assert_eq!(variables(text), expected, "variables of {text:?}");
    }

    #[test]
    fn finds_variables() {
        check_vars("5", &[]);
        check_vars("%NewVar%", &["NewVar"]);
        check_vars("Hello %Name%!", &["Name"]);
        check_vars("%Person.Name% and %List[0]%", &["Person", "List"]);
        check_vars("%A + B * 2%", &["A", "B"]);
        check_vars("100%% sure", &[]);
        check_vars("%'literal' + X%", &["X"]);
        check_vars("%True%", &[]);
        check_vars("%1.5 + Y%", &["Y"]);
        check_vars("%unclosed", &[]);
    }

    #[test]
    fn renames_only_the_variable() {
        assert_eq!(rename("%A% %AB% %X.A%", "A", "C"), "%C% %AB% %X.A%");
        assert_eq!(rename("A %A + 1%", "A", "Total"), "A %Total + 1%");
        assert_eq!(rename("50%% of %A%", "A", "B"), "50%% of %B%");
    }

    #[test]
    fn parse_errors_say_where() {
        let e = parse("ab %c").unwrap_err();
        assert_eq!(e.at, 3);
        assert!(parse("%%").is_ok());
        assert!(parse("% %").is_err());
    }
}
