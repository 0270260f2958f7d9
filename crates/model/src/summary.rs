//! The one-line summary under each step's name, e.g. `NewVar to 5` for "Set variable".

use crate::catalog::{ActionDef, ParamType, Visibility};
use crate::flow::Step;

/// Longest summary drawn; longer ones end with an ellipsis.
const MAX: usize = 120;

fn short_operator(op: &str) -> &str {
    // "Equal to (=)" reads as "=" in a summary.
    match (op.rfind('('), op.ends_with(')')) {
        (Some(i), true) => &op[i + 1..op.len() - 1],
        _ => op,
    }
}

/// A summary of what the step does with its inputs, in words.
pub fn summary(step: &Step, def: Option<&ActionDef>) -> String {
    let input = |name: &str| -> String {
        step.inputs
            .get(name)
            .cloned()
            .or_else(|| {
                def.and_then(|d| d.param(name))
                    .and_then(|p| p.default.clone())
            })
            .unwrap_or_default()
    };
    let output = |name: &str| -> String {
        step.outputs.get(name).cloned().unwrap_or_else(|| {
            def.and_then(|d| d.outputs.iter().find(|o| o.name == name))
                .map(|o| o.default_var.clone())
                .unwrap_or_default()
        })
    };
    let condition = || {
        format!(
            "{} {} {}",
            input("first"),
            short_operator(&input("operator")),
            input("second")
        )
        .trim()
        .to_string()
    };
    let text = match step.action.as_str() {
        "variables.set" => format!("{} to {}", output("variable"), input("value")),
        "variables.increase" => format!("{} by {}", input("variable"), input("amount")),
        "variables.decrease" => format!("{} by {}", input("variable"), input("amount")),
        "conditionals.if" | "conditionals.else_if" | "loops.condition" => condition(),
        "conditionals.case" => format!("{} {}", short_operator(&input("operator")), input("value")),
        "conditionals.switch" => input("value"),
        "loops.loop" => format!(
            "{} from {} to {} step {}",
            output("index"),
            input("start"),
            input("end"),
            input("step")
        ),
        "loops.for_each" => format!("{} in {}", output("item"), input("list")),
        "flow.comment" => input("comment"),
        "flow.wait" if input("seconds").is_empty() => String::new(),
        "flow.wait" => format!("{} seconds", input("seconds")),
        "http.invoke" => format!("{} {}", input("method"), input("url")),
        _ => generic(step, def),
    };
    let text = text.replace('\n', " ");
    if text.chars().count() > MAX {
        let cut: String = text.chars().take(MAX - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// "Label: value" for each important input that has a value, then the produced variables.
fn generic(step: &Step, def: Option<&ActionDef>) -> String {
    let Some(def) = def else {
        return step
            .inputs
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ");
    };
    let mut parts: Vec<String> = def
        .params
        .iter()
        .filter(|p| p.visibility == Visibility::Important)
        .filter_map(|p| {
            let v = step.inputs.get(&p.name).filter(|v| !v.is_empty())?;
            Some(match p.ty {
                ParamType::Enum { .. } => v.clone(),
                _ => format!("{}: {}", p.label, v),
            })
        })
        .collect();
    let vars: Vec<String> = def
        .outputs
        .iter()
        .map(|o| step.outputs.get(&o.name).unwrap_or(&o.default_var).clone())
        .collect();
    if !vars.is_empty() {
        parts.push(format!("into {}", vars.join(", ")));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::standard_catalog;

    #[test]
    fn summaries_read_like_pad() {
        let cat = standard_catalog();
        let check = |step: Step, expected: &str| {
            assert_eq!(summary(&step, cat.get(&step.action)), expected);
        };
        check(
            Step::new("variables.set")
                .with_input("value", "5")
                .with_output("variable", "NewVar"),
            "NewVar to 5",
        );
        check(
            Step::new("conditionals.if")
                .with_input("first", "%A%")
                .with_input("operator", "Greater than (>)")
                .with_input("second", "2"),
            "%A% > 2",
        );
        check(
            Step::new("text.trim").with_input("text", "%T%"),
            "Text to trim: %T%, into TrimmedText",
        );
    }
}
