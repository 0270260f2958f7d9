//! The data actions (JSON and lists) and the datetime actions.

use super::actions::{Ctx, Effect};
use super::compile::Builtin;
use super::eval::quote;
use super::value::Value;
use crate::order::{sort_by_name, sort_by_rank};

/// Bounds on a JSON text read into a custom object.
const MAX_JSON_BYTES: usize = 16 * 1024 * 1024;
const MAX_JSON_DEPTH: usize = 128;

/// Run `action` if it is a data or datetime action.
pub(crate) fn run(action: Builtin, ctx: &mut Ctx<'_>) -> Option<Result<Effect, String>> {
    let r = match action {
        Builtin::JsonToObject => ctx.text("json").and_then(|t| json_to_object(&t)),
        Builtin::ObjectToJson => ctx.input("object").map(|v| match v {
            Value::Text(t) => Value::Text(serde_json::Value::String(t).to_string()),
            v => Value::Text(v.to_json().to_string()),
        }),
        Builtin::NewList => Ok(Value::List(Vec::new())),
        Builtin::AddToList => {
            let item = ctx.input("item");
            return Some(item.and_then(|item| {
                ctx.list_var("list")?.push(item);
                Ok(Effect::Outputs(Vec::new()))
            }));
        }
        Builtin::SortList => {
            let descending = ctx.text("order").map(|o| o == "Descending");
            return Some(descending.and_then(|d| {
                sort(ctx.list_var("list")?, d)?;
                Ok(Effect::Outputs(Vec::new()))
            }));
        }
        Builtin::DateAdd => datetime(ctx, "datetime")
            .and_then(|d| d.add(ctx.number("amount")?, &ctx.text("unit")?))
            .map(Value::DateTime),
        Builtin::DateSubtract => datetime(ctx, "from").and_then(|from| {
            let sub = datetime(ctx, "subtract")?;
            Ok(Value::Number(from.difference(&sub, &ctx.text("unit")?)?))
        }),
        Builtin::DateToText => datetime(ctx, "datetime").and_then(|d| {
            let pattern = match ctx.text("format")?.as_str() {
                "Short date" => "M/d/yyyy".to_string(),
                "Long date" => "dddd, MMMM d, yyyy".to_string(),
                "Short time" => "h:mm tt".to_string(),
                "Long time" => "h:mm:ss tt".to_string(),
                "Full date time" => "dddd, MMMM d, yyyy h:mm:ss tt".to_string(),
                "Sortable date time" => "yyyy-MM-ddTHH:mm:ss".to_string(),
                _ => ctx.text("custom")?,
            };
            Ok(Value::Text(d.format(&pattern)))
        }),
        _ => return None,
    };
    Some(r.map(|v| Effect::Outputs(vec![(output(action), v)])))
}

fn output(action: Builtin) -> &'static str {
    if action == Builtin::NewList {
        "list"
    } else {
        "result"
    }
}

/// The datetime input `name` holds.
fn datetime(ctx: &Ctx<'_>, name: &str) -> Result<super::datetime::DateTime, String> {
    let v = ctx.input(name)?;
    v.as_datetime().ok_or_else(|| {
        format!(
            "{} is not a datetime (write yyyy-MM-dd HH:mm:ss or M/d/yyyy h:mm AM)",
            quote(&v)
        )
    })
}

/// Parse JSON text into a value, refusing text too large or too deep before parsing it.
fn json_to_object(text: &str) -> Result<Value, String> {
    if text.len() > MAX_JSON_BYTES {
        return Err(format!(
            "the JSON is {} bytes, more than the {MAX_JSON_BYTES} a flow reads",
            text.len()
        ));
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for b in text.bytes() {
        match (in_string, b) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (_, b'"') => in_string = !in_string,
            (false, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(format!(
                        "the JSON nests deeper than {MAX_JSON_DEPTH} levels"
                    ));
                }
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    serde_json::from_str(text)
        .map(Value::from_json)
        .map_err(|e| format!("not valid JSON: {e}"))
}

/// Sort a list: numbers by value, other items by their text (datetimes' text sorts by time).
fn sort(items: &mut [Value], descending: bool) -> Result<(), String> {
    if items
        .iter()
        .any(|v| matches!(v, Value::List(_) | Value::Record(_)))
    {
        return Err("a list of lists or custom objects cannot be sorted".into());
    }
    if items.iter().all(|v| matches!(v, Value::Number(_))) {
        // An order-preserving map of finite floats onto u64, for the shared number sort.
        sort_by_rank(items, |v| match v {
            Value::Number(n) => {
                let bits = n.to_bits();
                if bits >> 63 == 1 {
                    !bits
                } else {
                    bits | 1 << 63
                }
            }
            _ => 0,
        });
    } else {
        sort_by_name(items, Value::to_text);
    }
    if descending {
        items.reverse();
    }
    Ok(())
}
