//! Conditions of If, Else if, Loop condition and Case: the comparison operators as Power
//! Automate for desktop lists them.

use super::actions::input;
use super::compile::StepInfo;
use super::eval::{quote, Env};
use super::value::{compare, equal, Value};
use std::cmp::Ordering;

/// Whether the step's condition holds. A Case compares the Switch's value (`first`) with its
/// own "Value to compare"; the others compare "First operand" with "Second operand".
pub(crate) fn condition(
    info: &StepInfo,
    first: Option<&Value>,
    env: Env<'_>,
) -> Result<bool, String> {
    let operator = input(info, "operator", env)?.to_text();
    let (a, b) = match first {
        Some(v) => (v.clone(), input(info, "value", env)?),
        None => (input(info, "first", env)?, input(info, "second", env)?),
    };
    holds(&operator, &a, &b)
}

/// `a <operator> b`.
pub(crate) fn holds(operator: &str, a: &Value, b: &Value) -> Result<bool, String> {
    let order = |ok: fn(Ordering) -> bool| {
        compare(a, b).map(ok).ok_or_else(|| {
            format!(
                "cannot compare {} ({}) with {} ({})",
                quote(a),
                a.type_name(),
                quote(b),
                b.type_name()
            )
        })
    };
    Ok(match operator {
        "" | "Equal to (=)" => equal(a, b),
        "Not equal to (<>)" => !equal(a, b),
        "Greater than (>)" => order(Ordering::is_gt)?,
        "Greater than or equal to (>=)" => order(Ordering::is_ge)?,
        "Less than (<)" => order(Ordering::is_lt)?,
        "Less than or equal to (<=)" => order(Ordering::is_le)?,
        "Contains" => contains(a, b),
        "Does not contain" => !contains(a, b),
        "Is empty" => a.is_empty(),
        "Is not empty" => !a.is_empty(),
        "Starts with" => a.to_text().starts_with(&b.to_text()),
        "Ends with" => a.to_text().ends_with(&b.to_text()),
        other => return Err(format!("\"{other}\" is not a comparison operator")),
    })
}

/// A list contains an item equal to `b`; a text contains `b`'s text.
fn contains(a: &Value, b: &Value) -> bool {
    match a {
        Value::List(items) => items.iter().any(|x| equal(x, b)),
        Value::Record(r) => r.contains_key(&b.to_text()),
        _ => a.to_text().contains(&b.to_text()),
    }
}
