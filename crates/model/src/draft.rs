//! A step being drafted in the action dialog: a new step's produced variables (named by their
//! defaults, made unique in the flow), the flow's variable names, the check of each field, and
//! the fields turned into the one command Save dispatches (insert, or configure + rebind).

use crate::catalog::{ActionDef, Catalog, Param, ParamType};
use crate::command::{is_variable_name, Command};
use crate::flow::{Flow, OnError, Pos, Step, StepConfig, StepId};
use std::collections::BTreeMap;

/// What the dialog shows of error handling when a step has none yet.
pub const DEFAULT_ON_ERROR: OnError = OnError {
    retries: 0,
    interval_secs: 2,
    continue_flow: false,
    go_to_label: None,
};

/// A step for `action` with its produced variables named by their defaults (`NewVar`, …).
pub fn new_step(catalog: &Catalog, action: &str) -> Step {
    let mut step = Step::new(action);
    if let Some(def) = catalog.get(action) {
        for o in &def.outputs {
            step.outputs.insert(o.name.clone(), o.default_var.clone());
        }
    }
    step
}

/// Every variable name some step of `flow` produces, in document order (repeats included).
pub fn produced(flow: &Flow) -> impl Iterator<Item = &String> {
    flow.walk()
        .into_iter()
        .flat_map(|(_, s)| s.outputs.values())
}

/// Give each produced variable of `step` a name not yet produced in `flow`, the way Power
/// Automate for desktop does (`NewVar`, `NewVar2`, …).
pub fn unique_outputs(flow: &Flow, step: &mut Step) {
    let taken: std::collections::HashSet<String> = produced(flow).cloned().collect();
    for var in step.outputs.values_mut() {
        if taken.contains(var.as_str()) {
            let base = var.clone();
            let mut n = 2;
            while taken.contains(&format!("{base}{n}")) {
                n += 1;
            }
            *var = format!("{base}{n}");
        }
    }
}

/// Every variable some step produces, once each, sorted by `fold` (the caller's case folding:
/// the designer's avoids std's Unicode tables).
pub fn variable_names(flow: &Flow, fold: impl Fn(&str) -> String) -> Vec<String> {
    let mut names: Vec<String> = produced(flow).cloned().collect();
    crate::order::sort_by_name(&mut names, |n| fold(n));
    names.dedup();
    names
}

/// Why an input value is not acceptable, if it is not. `is_number` is the caller's number check
/// (the designer's keeps std's float parser out of its wasm).
pub fn input_error(p: &Param, value: &str, is_number: impl Fn(&str) -> bool) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return p.required.then(|| format!("“{}” is required", p.label));
    }
    if let Err(e) = crate::expr::parse(value) {
        return Some(format!(
            "{} (at character {})",
            capitalize_ascii(&e.message),
            e.at + 1
        ));
    }
    match &p.ty {
        ParamType::Number if !v.contains('%') && !is_number(v) => {
            Some("Enter a number or a %variable%".into())
        }
        ParamType::VariableName if !is_variable_name(v.trim_matches('%')) => {
            Some(NOT_A_VARIABLE_NAME.into())
        }
        _ => None,
    }
}

/// The message for a produced variable or variable-name input that is not a name.
pub const NOT_A_VARIABLE_NAME: &str = "Enter a variable name: letters, digits and _";

/// The expression checker's messages start in lower case (they follow a field's name elsewhere).
fn capitalize_ascii(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(first) = out.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// The dialog's fields: what Save turns into a command.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// Parameter name → the text in its field (every parameter of the action).
    pub inputs: BTreeMap<String, String>,
    /// Output name → the variable that receives it.
    pub outputs: BTreeMap<String, String>,
    pub on_error: OnError,
    /// Whether "On error" is open: closed, Save sets no error handling.
    pub on_error_open: bool,
    /// The chosen connection reference (connector actions).
    pub reference: Option<String>,
}

/// What is wrong with the fields, by field: inputs by parameter name, outputs by output name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldErrors {
    pub inputs: BTreeMap<String, String>,
    pub outputs: BTreeMap<String, String>,
}

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty() && self.outputs.is_empty()
    }
}

impl Draft {
    /// The fields for `step`: its inputs, else each parameter's default, else empty.
    pub fn of(step: &Step, def: &ActionDef) -> Draft {
        let mut inputs = BTreeMap::new();
        for p in &def.params {
            let v = step
                .inputs
                .get(&p.name)
                .or(p.default.as_ref())
                .cloned()
                .unwrap_or_default();
            inputs.insert(p.name.clone(), v);
        }
        Draft {
            inputs,
            outputs: step.outputs.clone(),
            on_error: step.on_error.clone().unwrap_or(DEFAULT_ON_ERROR),
            on_error_open: step.on_error.is_some(),
            reference: step.reference.clone(),
        }
    }

    /// Check every field (see `input_error`; produced variables must be names).
    pub fn errors(
        inputs: &BTreeMap<String, String>,
        outputs: &BTreeMap<String, String>,
        def: &ActionDef,
        is_number: impl Fn(&str) -> bool,
    ) -> FieldErrors {
        let mut errs = FieldErrors::default();
        for p in &def.params {
            let value = inputs.get(&p.name).map_or("", String::as_str);
            if let Some(e) = input_error(p, value, &is_number) {
                errs.inputs.insert(p.name.clone(), e);
            }
        }
        for (k, v) in outputs {
            if !is_variable_name(v) {
                errs.outputs.insert(k.clone(), NOT_A_VARIABLE_NAME.into());
            }
        }
        errs
    }

    /// The configuration the fields give: variable-name inputs without their `%`, empty inputs
    /// left out, error handling only when "On error" is open and does something.
    pub fn config(&self, def: &ActionDef) -> StepConfig {
        // Inserted one by one: `collect` into a BTreeMap compiles a sort of its own.
        let mut inputs = BTreeMap::new();
        for (k, v) in &self.inputs {
            let is_var = matches!(def.param(k).map(|p| &p.ty), Some(ParamType::VariableName));
            let v = if is_var {
                v.trim().trim_matches('%').to_string()
            } else {
                v.clone()
            };
            if !v.is_empty() {
                inputs.insert(k.clone(), v);
            }
        }
        let oe = &self.on_error;
        StepConfig {
            inputs,
            outputs: self.outputs.clone(),
            on_error: (self.on_error_open && (oe.retries > 0 || oe.continue_flow))
                .then(|| oe.clone()),
        }
    }

    /// Save for a new step: insert `step` at `at`, configured by the fields.
    pub fn insert(&self, def: &ActionDef, mut step: Step, at: Pos) -> Command {
        let config = self.config(def);
        step.reference = self.reference.clone();
        step.inputs = config.inputs;
        step.outputs = config.outputs;
        step.on_error = config.on_error;
        Command::Insert {
            at,
            steps: vec![step],
        }
    }

    /// Save for step `id` of `flow`: its new configuration and, for a connector action, its
    /// reference, as one command (one undo step); `None` when nothing changes.
    pub fn edit(&self, def: &ActionDef, flow: &Flow, id: StepId) -> Option<Command> {
        let config = self.config(def);
        let step = flow.step(id);
        let mut cmds = Vec::new();
        if step.map(Step::config).as_ref() != Some(&config) {
            cmds.push(Command::Configure { id, config });
        }
        let connector = crate::references::connector_of(&def.id).is_some();
        if connector && step.and_then(|s| s.reference.as_ref()) != self.reference.as_ref() {
            cmds.push(Command::SetReference {
                id,
                reference: self.reference.clone(),
            });
        }
        match cmds.len() {
            0 => None,
            1 => cmds.pop(),
            _ => Some(Command::Batch(cmds)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Visibility;
    use crate::library::standard_catalog;

    fn flow_with(steps: Vec<Step>) -> Flow {
        let mut flow = Flow::new("t");
        flow.subflows[0].steps = steps;
        flow
    }

    fn param(name: &str, ty: ParamType, required: bool) -> Param {
        Param {
            name: name.into(),
            label: name.to_uppercase(),
            ty,
            required,
            default: None,
            visibility: Visibility::Important,
            description: String::new(),
        }
    }

    fn def(id: &str, params: Vec<Param>) -> ActionDef {
        ActionDef {
            id: id.into(),
            name: "Act".into(),
            category: "Text".into(),
            description: String::new(),
            params,
            outputs: Vec::new(),
            shape: Default::default(),
        }
    }

    fn number(s: &str) -> bool {
        s.parse::<f64>().is_ok()
    }

    #[test]
    fn a_new_step_takes_its_outputs_default_names_made_unique_in_the_flow() {
        let cat = standard_catalog();
        let step = new_step(&cat, "variables.set");
        assert_eq!(step.action, "variables.set");
        let default = cat.get("variables.set").unwrap().outputs[0].clone();
        assert_eq!(
            step.outputs.get(&default.name),
            Some(&default.default_var),
            "named by the catalog's default"
        );
        assert!(new_step(&cat, "no.such.action").outputs.is_empty());

        let var = default.default_var.clone();
        let flow = flow_with(vec![
            Step::new("a").with_output("x", &var),
            Step::new("b").with_output("x", &format!("{var}2")),
            Step::new("c").with_children(vec![Step::new("d").with_output("y", &format!("{var}4"))]),
        ]);
        let mut s = new_step(&cat, "variables.set");
        unique_outputs(&flow, &mut s);
        assert_eq!(s.outputs[&default.name], format!("{var}3"));
        // A name nobody produces stays.
        let mut s = Step::new("a").with_output("x", "Fresh");
        unique_outputs(&flow, &mut s);
        assert_eq!(s.outputs["x"], "Fresh");
    }

    #[test]
    fn variable_names_are_every_produced_name_once_sorted_by_the_folding_given() {
        let flow = flow_with(vec![
            Step::new("a").with_output("x", "beta"),
            Step::new("b").with_children(vec![Step::new("c").with_output("y", "Alpha")]),
            Step::new("d").with_output("x", "beta"),
            Step::new("e")
                .with_output("x", "gamma")
                .with_output("z", "Delta"),
        ]);
        assert_eq!(
            produced(&flow).map(String::as_str).collect::<Vec<_>>(),
            ["beta", "Alpha", "beta", "gamma", "Delta"]
        );
        assert_eq!(
            variable_names(&flow, str::to_lowercase),
            ["Alpha", "beta", "Delta", "gamma"]
        );
        assert_eq!(
            variable_names(&flow, str::to_string),
            ["Alpha", "Delta", "beta", "gamma"]
        );
        assert!(variable_names(&Flow::new("e"), str::to_string).is_empty());
    }

    #[test]
    fn each_field_is_checked_by_its_type() {
        let text = param("t", ParamType::Text { multiline: false }, true);
        let num = param("n", ParamType::Number, false);
        let var = param("v", ParamType::VariableName, false);
        for (p, value, want) in [
            (&text, "", Some("“T” is required")),
            (&text, "   ", Some("“T” is required")),
            (&num, "", None),
            (&text, "hello", None),
            (
                &text,
                "%x",
                Some("A % opens an expression that is never closed (at character 1)"),
            ),
            (&num, "12.5", None),
            (&num, "%Count%", None),
            (&num, "twelve", Some("Enter a number or a %variable%")),
            (&var, "%Name%", None),
            (&var, "Name", None),
            (&var, "9lives", Some(NOT_A_VARIABLE_NAME)),
        ] {
            assert_eq!(
                input_error(p, value, number).as_deref(),
                want,
                "{} {value:?}",
                p.name
            );
        }
        // The caller's number check decides.
        assert!(input_error(&num, "1", |_| false).is_some());
    }

    #[test]
    fn the_fields_errors_name_their_field() {
        let d = def(
            "text.act",
            vec![
                param("t", ParamType::Text { multiline: false }, true),
                param("n", ParamType::Number, false),
            ],
        );
        let mut inputs = BTreeMap::new();
        inputs.insert("n".to_string(), "x".to_string());
        let mut outputs = BTreeMap::new();
        outputs.insert("out".to_string(), "bad name".to_string());
        outputs.insert("ok".to_string(), "Good".to_string());
        let errs = Draft::errors(&inputs, &outputs, &d, number);
        assert_eq!(
            errs.inputs.keys().map(String::as_str).collect::<Vec<_>>(),
            ["n", "t"]
        );
        assert_eq!(
            errs.outputs.keys().map(String::as_str).collect::<Vec<_>>(),
            ["out"]
        );
        assert!(!errs.is_empty());
        inputs.insert("t".into(), "x".into());
        inputs.insert("n".into(), "2".into());
        outputs.insert("out".into(), "Fine".into());
        assert!(Draft::errors(&inputs, &outputs, &d, number).is_empty());
    }

    #[test]
    fn fields_start_from_the_step_then_the_defaults() {
        let mut p = param("a", ParamType::Text { multiline: false }, false);
        p.default = Some("dflt".into());
        let d = def("text.act", vec![p, param("b", ParamType::Number, false)]);
        let step = Step::new("text.act")
            .with_input("b", "3")
            .with_output("o", "V");
        let draft = Draft::of(&step, &d);
        assert_eq!(draft.inputs["a"], "dflt");
        assert_eq!(draft.inputs["b"], "3");
        assert_eq!(draft.outputs["o"], "V");
        assert_eq!(
            (draft.on_error.clone(), draft.on_error_open),
            (DEFAULT_ON_ERROR, false)
        );
        let mut step = step;
        step.on_error = Some(OnError {
            retries: 3,
            interval_secs: 1,
            continue_flow: true,
            go_to_label: None,
        });
        let draft = Draft::of(&step, &d);
        assert!(draft.on_error_open);
        assert_eq!(draft.on_error.retries, 3);
    }

    #[test]
    fn save_turns_the_fields_into_one_command() {
        let d = def(
            "connector:c/op",
            vec![
                param("v", ParamType::VariableName, false),
                param("t", ParamType::Text { multiline: false }, false),
            ],
        );
        let existing = Step::new("connector:c/op").with_input("t", "old");
        let id = existing.id;
        let flow = flow_with(vec![existing.clone()]);
        let mut draft = Draft::of(&existing, &d);

        // Nothing changed: nothing to dispatch.
        assert_eq!(draft.edit(&d, &flow, id), None);

        // Variable names lose their %, empty inputs are left out, On error closed sets none.
        draft.inputs.insert("v".into(), " %Name% ".into());
        draft.inputs.insert("t".into(), String::new());
        draft.on_error.retries = 2;
        let config = draft.config(&d);
        assert_eq!(config.inputs.get("v").map(String::as_str), Some("Name"));
        assert!(!config.inputs.contains_key("t"));
        assert_eq!(config.on_error, None);
        draft.on_error_open = true;
        assert_eq!(draft.config(&d).on_error.map(|o| o.retries), Some(2));
        // Open but doing nothing: still none.
        draft.on_error.retries = 0;
        assert_eq!(draft.config(&d).on_error, None);

        // Configuration only.
        let cmd = draft.edit(&d, &flow, id).unwrap();
        assert!(matches!(cmd, Command::Configure { id: i, .. } if i == id));
        // Configuration and reference together: one batch, so one undo step.
        draft.reference = Some("pb_ref".into());
        match draft.edit(&d, &flow, id).unwrap() {
            Command::Batch(cmds) => {
                assert!(matches!(cmds[0], Command::Configure { .. }));
                assert_eq!(
                    cmds[1],
                    Command::SetReference {
                        id,
                        reference: Some("pb_ref".into())
                    }
                );
            }
            other => panic!("expected a batch, got {other:?}"),
        }
        // A standard action never rebinds.
        let plain = def("text.act", Vec::new());
        let s = Step::new("text.act");
        let pid = s.id;
        let f2 = flow_with(vec![s.clone()]);
        let mut dr = Draft::of(&s, &plain);
        dr.reference = Some("x".into());
        assert_eq!(dr.edit(&plain, &f2, pid), None);

        // A new step is inserted with its fields and reference.
        let new = Step::new("connector:c/op");
        let new_id = new.id;
        let at = Pos::top(0, 1);
        match draft.insert(&d, new, at) {
            Command::Insert { at: a, steps } => {
                assert_eq!(a, at);
                assert_eq!(steps[0].id, new_id);
                assert_eq!(steps[0].reference.as_deref(), Some("pb_ref"));
                assert_eq!(steps[0].inputs.get("v").map(String::as_str), Some("Name"));
            }
            other => panic!("expected an insert, got {other:?}"),
        }
    }
}
