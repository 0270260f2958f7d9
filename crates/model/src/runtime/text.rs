//! The text actions: append, split, join, replace, trim, change case, subtext, parse, and
//! conversions between texts and numbers. Positions count characters from 0.

use super::actions::{Ctx, Effect};
use super::compile::Builtin;
use super::eval::quote;
use super::value::{format_number, Value};

const NO_REGEX: &str = "regular expressions are not supported yet: turn the option off";

/// Run `action` if it is a text action.
pub(crate) fn run(action: Builtin, ctx: &mut Ctx<'_>) -> Option<Result<Effect, String>> {
    let r = match action {
        Builtin::AppendLine => append_line(ctx),
        Builtin::Split => split(ctx),
        Builtin::Join => join(ctx),
        Builtin::Replace => replace(ctx),
        Builtin::Trim => trim(ctx),
        Builtin::ChangeCase => change_case(ctx),
        Builtin::Subtext => subtext(ctx),
        Builtin::ParseText => return Some(parse(ctx)),
        Builtin::ToNumber => {
            let v = ctx.input("text");
            v.and_then(|v| match v.as_number() {
                Some(n) => Ok(Value::Number(n)),
                None => Err(format!("{} is not a number", quote(&v))),
            })
        }
        Builtin::FromNumber => from_number(ctx),
        _ => return None,
    };
    Some(r.map(|v| Effect::Outputs(vec![("result", v)])))
}

fn append_line(ctx: &Ctx<'_>) -> Result<Value, String> {
    let mut text = ctx.text("text")?;
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&ctx.text("line")?);
    Ok(Value::Text(text))
}

fn split(ctx: &Ctx<'_>) -> Result<Value, String> {
    let text = ctx.text("text")?;
    if ctx.boolean("is_regex")? {
        return Err(NO_REGEX.into());
    }
    // The standard delimiter is a space, as Power Automate for desktop's default.
    let delimiter = match ctx.text("delimiter_type")?.as_str() {
        "Custom" => ctx.text("delimiter")?,
        _ => " ".into(),
    };
    if delimiter.is_empty() {
        return Err("\"Custom delimiter\" is empty".into());
    }
    Ok(Value::List(
        text.split(delimiter.as_str())
            .map(|s| Value::Text(s.to_string()))
            .collect(),
    ))
}

fn join(ctx: &Ctx<'_>) -> Result<Value, String> {
    let items = match ctx.input("list")? {
        Value::List(items) => items,
        Value::Null => Vec::new(),
        other => {
            return Err(format!(
                "\"Specify list to join\" is {}, not a list",
                other.type_name()
            ))
        }
    };
    let delimiter = ctx.text("delimiter")?;
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&delimiter);
        }
        item.write_text(&mut out);
    }
    Ok(Value::Text(out))
}

/// Byte ranges of every occurrence of `needle` in `hay`, not overlapping; case-insensitively
/// when `fold` is given (the lower-case conversion).
fn find_all(
    hay: &str,
    needle: &str,
    fold: Option<fn(&str, bool) -> String>,
) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    match fold {
        None => {
            let mut from = 0;
            while let Some(i) = hay[from..].find(needle) {
                found.push((from + i, from + i + needle.len()));
                from += i + needle.len();
            }
        }
        Some(case) => {
            // Compare character by character, each folded on its own, so ranges stay those of
            // the original text.
            let lower = |c: char| {
                if c.is_ascii() {
                    c.to_ascii_lowercase().to_string()
                } else {
                    case(c.encode_utf8(&mut [0; 4]), false)
                }
            };
            let hay_chars: Vec<(usize, String)> =
                hay.char_indices().map(|(i, c)| (i, lower(c))).collect();
            let needle_chars: Vec<String> = needle.chars().map(lower).collect();
            let mut k = 0;
            while k + needle_chars.len() <= hay_chars.len() {
                if hay_chars[k..k + needle_chars.len()]
                    .iter()
                    .zip(&needle_chars)
                    .all(|((_, a), b)| a == b)
                {
                    let start = hay_chars[k].0;
                    let end = hay_chars
                        .get(k + needle_chars.len())
                        .map_or(hay.len(), |c| c.0);
                    found.push((start, end));
                    k += needle_chars.len();
                } else {
                    k += 1;
                }
            }
        }
    }
    found
}

fn replace(ctx: &Ctx<'_>) -> Result<Value, String> {
    if ctx.boolean("is_regex")? {
        return Err(NO_REGEX.into());
    }
    let (text, find, with) = (ctx.text("text")?, ctx.text("find")?, ctx.text("replace")?);
    if find.is_empty() {
        return Err("\"Text to find\" is empty".into());
    }
    let fold = ctx.boolean("ignore_case")?.then_some(ctx.case);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (a, b) in find_all(&text, &find, fold) {
        out.push_str(&text[last..a]);
        out.push_str(&with);
        last = b;
    }
    out.push_str(&text[last..]);
    Ok(Value::Text(out))
}

fn trim(ctx: &Ctx<'_>) -> Result<Value, String> {
    let text = ctx.text("text")?;
    let what = ctx.text("what")?;
    Ok(Value::Text(
        if what.ends_with("beginning") {
            text.trim_start()
        } else if what.ends_with("end") && !what.contains("beginning") {
            text.trim_end()
        } else {
            text.trim()
        }
        .to_string(),
    ))
}

fn change_case(ctx: &Ctx<'_>) -> Result<Value, String> {
    let text = ctx.text("text")?;
    let case = ctx.case;
    let up = |s: &str| case(s, true);
    Ok(Value::Text(match ctx.text("case")?.as_str() {
        "Lower case" => case(&text, false),
        "Title case" | "Sentence case" => {
            let title = ctx.text("case")? == "Title case";
            let lower = case(&text, false);
            let mut out = String::with_capacity(lower.len());
            // Title case starts each word; sentence case each sentence.
            let mut start = true;
            let mut prev = ' ';
            for c in lower.chars() {
                if start && c.is_alphanumeric() {
                    out.push_str(&up(c.encode_utf8(&mut [0; 4])));
                    start = false;
                } else {
                    out.push(c);
                }
                if title && c.is_whitespace() {
                    start = true;
                }
                if !title && c.is_whitespace() && matches!(prev, '.' | '!' | '?') {
                    start = true;
                }
                prev = c;
            }
            out
        }
        _ => up(&text),
    }))
}

fn subtext(ctx: &Ctx<'_>) -> Result<Value, String> {
    let text = ctx.text("text")?;
    let total = text.chars().count();
    let start = ctx.count("start", u32::MAX)? as usize;
    if start > total {
        return Err(format!(
            "\"Character position\" {start} is after the end of the text ({total} characters)"
        ));
    }
    let length = match ctx.input("length")? {
        Value::Null => total - start,
        Value::Text(t) if t.is_empty() => total - start,
        _ => ctx.count("length", u32::MAX)? as usize,
    };
    if start + length > total {
        return Err(format!(
            "{length} characters from position {start} go past the end of the text ({total} characters)"
        ));
    }
    Ok(Value::Text(text.chars().skip(start).take(length).collect()))
}

fn parse(ctx: &Ctx<'_>) -> Result<Effect, String> {
    if ctx.boolean("is_regex")? {
        return Err(NO_REGEX.into());
    }
    let (text, find) = (ctx.text("text")?, ctx.text("find")?);
    if find.is_empty() {
        return Err("\"Text to find\" is empty".into());
    }
    let fold = ctx.boolean("ignore_case")?.then_some(ctx.case);
    let found = find_all(&text, &find, fold);
    let position = |(a, _): (usize, usize)| Value::Number(text[..a].chars().count() as f64);
    let matched = |(a, b): (usize, usize)| Value::Text(text[a..b].to_string());
    let (positions, matches) = if ctx.boolean("first_only")? {
        match found.first() {
            Some(&r) => (position(r), matched(r)),
            None => (Value::Number(-1.0), Value::Text(String::new())),
        }
    } else {
        (
            Value::List(found.iter().map(|&r| position(r)).collect()),
            Value::List(found.iter().map(|&r| matched(r)).collect()),
        )
    };
    Ok(Effect::Outputs(vec![
        ("position", positions),
        ("match", matches),
    ]))
}

/// `n` with exactly `decimals` decimals, halves away from zero as .NET formats them, in integer
/// arithmetic (float formatting would add its tables to the designer's wasm).
fn fixed_decimals(n: f64, decimals: usize) -> String {
    let scaled = (n.abs() * 10f64.powi(decimals as i32)).round();
    if scaled >= 9.0e15 {
        return format_number(n);
    }
    let digits = (scaled as u64).to_string();
    let digits = format!("{digits:0>width$}", width = decimals + 1);
    let (int, frac) = digits.split_at(digits.len() - decimals);
    let sign = if n < 0.0 && scaled > 0.0 { "-" } else { "" };
    match decimals {
        0 => format!("{sign}{int}"),
        _ => format!("{sign}{int}.{frac}"),
    }
}

fn from_number(ctx: &Ctx<'_>) -> Result<Value, String> {
    let n = ctx.number("number")?;
    let decimals = match ctx.input("decimals")? {
        Value::Null => 2,
        _ => ctx.count("decimals", 15)? as usize,
    };
    let fixed = fixed_decimals(n, decimals);
    if !ctx.boolean("separators")? {
        return Ok(Value::Text(fixed));
    }
    let (sign, digits) = fixed
        .strip_prefix('-')
        .map_or(("", fixed.as_str()), |d| ("-", d));
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Ok(Value::Text(out))
}

#[cfg(test)]
mod tests {
    use super::fixed_decimals;

    #[test]
    fn fixed_decimals_round_halves_away_from_zero() {
        for (n, d, want) in [
            (1234.5678, 2, "1234.57"),
            (-0.5, 0, "-1"),
            (0.5, 0, "1"),
            (-0.001, 2, "0.00"),
            (0.05, 1, "0.1"),
            (7.0, 3, "7.000"),
            (0.007, 2, "0.01"),
            (1e20, 2, "1e+20"),
        ] {
            assert_eq!(fixed_decimals(n, d), want, "{n} to {d}");
        }
    }
}
