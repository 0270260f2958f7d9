//! The flow checker: finds what would stop a flow from running (unknown actions, missing inputs,
//! bad expressions, variables used too early, broken block structure) and names the step of each.

use crate::catalog::{ActionDef, Catalog, ParamType, Shape};
use crate::command::is_variable_name;
use crate::expr;
use crate::flow::{Flow, Step, StepId};
use crate::library::ids;
use crate::rows::{rows, RowKind};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Action ids of the flow-control actions whose inputs name other things in the flow.
const LABEL: &str = "flow.label";
const GO_TO: &str = "flow.goto";
const RUN_SUBFLOW: &str = "flow.run_subflow";

/// One thing wrong with a flow, pinned to the step that has it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Problem {
    /// Index of the subflow (0 = Main).
    pub subflow: usize,
    pub step: StepId,
    /// 1-based line number as `rows::rows` numbers the subflow's lines ("End" lines counted).
    pub line: usize,
    /// Where, in words: `Main, line 3`.
    pub path: String,
    /// What is wrong, as a sentence naming the action: `Set variable: "Value" is required`.
    pub message: String,
}

impl Problem {
    /// The field names in the order a table of problems shows them.
    pub const FIELDS: [&'static str; 5] = ["subflow", "step", "line", "path", "message"];
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every problem of `flow`, ordered by subflow and line (several on one line in the order found).
/// Disabled steps (and the steps inside them) are not checked and produce no variables.
pub fn check<'a>(flow: &'a Flow, catalog: &'a Catalog) -> Vec<Problem> {
    let subflow_names: HashSet<&str> = flow.subflows.iter().map(|s| s.name.as_str()).collect();
    // Variables each subflow produces: a subflow may use what another one sets.
    let produced: Vec<HashSet<&str>> = flow
        .subflows
        .iter()
        .map(|sub| {
            let mut vars = HashSet::new();
            collect_outputs(&sub.steps, catalog, &mut vars);
            vars
        })
        .collect();
    let mut problems = Vec::new();
    for (sf, sub) in flow.subflows.iter().enumerate() {
        let mut labels: HashMap<String, StepId> = HashMap::new();
        let mut dup_labels = Vec::new();
        collect_labels(&sub.steps, &mut labels, &mut dup_labels);
        let mut known: HashSet<&str> = produced
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != sf)
            .flat_map(|(_, vars)| vars.iter().copied())
            .collect();
        let mut found = Vec::new();
        let mut ctx = Ctx {
            catalog,
            subflow_names: &subflow_names,
            labels: &labels,
            known: &mut known,
            found: &mut found,
        };
        ctx.steps(&sub.steps, None, false);
        // Duplicate labels: every label after the first with the same name.
        for (id, name) in dup_labels {
            found.push((
                id,
                format!("Label: another label is already named \"{name}\""),
            ));
        }
        problems.extend(pin(flow, sf, catalog, found));
    }
    problems
}

/// Findings `(step, message)` of subflow `sf` as problems, numbered as `rows::rows` numbers the
/// lines and ordered by line (several on one line keep their order). Shared by every checker so
/// the Errors panel numbers and orders all problems alike.
pub(crate) fn pin(
    flow: &Flow,
    sf: usize,
    catalog: &Catalog,
    found: Vec<(StepId, String)>,
) -> Vec<Problem> {
    // Numbering walks the whole subflow: skip it for the usual case of a clean one.
    if found.is_empty() {
        return Vec::new();
    }
    let lines: HashMap<StepId, usize> = rows(flow, sf, catalog)
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == RowKind::Step)
        .map(|(i, r)| (r.id, i + 1))
        .collect();
    let name = flow.subflows.get(sf).map_or("", |s| s.name.as_str());
    let mut these: Vec<Problem> = found
        .into_iter()
        .map(|(step, message)| {
            let line = lines.get(&step).copied().unwrap_or(0);
            Problem {
                subflow: sf,
                step,
                line,
                path: format!("{name}, line {line}"),
                message,
            }
        })
        .collect();
    crate::order::sort_by_rank(&mut these, |p| p.line as u64);
    these
}

fn collect_outputs<'a>(steps: &'a [Step], catalog: &'a Catalog, out: &mut HashSet<&'a str>) {
    for s in steps.iter().filter(|s| s.enabled) {
        out.extend(produced_vars(s, catalog.get(&s.action)));
        collect_outputs(&s.children, catalog, out);
    }
}

/// The variables a step sets: each output's configured variable, or the action's default name
/// for an output left unconfigured (as the summary and the runtime read it).
fn produced_vars<'a>(s: &'a Step, def: Option<&'a ActionDef>) -> Vec<&'a str> {
    let mut vars: Vec<&str> = s.outputs.values().map(String::as_str).collect();
    if let Some(def) = def {
        vars.extend(
            def.outputs
                .iter()
                .filter(|o| !s.outputs.contains_key(&o.name))
                .map(|o| o.default_var.as_str()),
        );
    }
    vars
}

/// Enabled labels by name (first wins); later labels with a taken name go to `dups`.
fn collect_labels(
    steps: &[Step],
    labels: &mut HashMap<String, StepId>,
    dups: &mut Vec<(StepId, String)>,
) {
    for s in steps.iter().filter(|s| s.enabled) {
        if s.action == LABEL {
            if let Some(name) = s.inputs.get("name").map(|n| n.trim()) {
                if !name.is_empty() {
                    if labels.contains_key(name) {
                        dups.push((s.id, name.to_string()));
                    } else {
                        labels.insert(name.to_string(), s.id);
                    }
                }
            }
        }
        collect_labels(&s.children, labels, dups);
    }
}

/// "a Switch", "an If".
fn article(name: &str) -> &'static str {
    match name.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

/// The name of a variable that a variable-name input holds (`NewVar`, or `%NewVar%` as PAD shows it).
fn variable_name_input(text: &str) -> &str {
    let t = text.trim();
    t.strip_prefix('%')
        .and_then(|t| t.strip_suffix('%'))
        .unwrap_or(t)
}

struct Ctx<'a, 'c> {
    catalog: &'a Catalog,
    subflow_names: &'c HashSet<&'a str>,
    labels: &'c HashMap<String, StepId>,
    /// Variables known at the current line.
    known: &'c mut HashSet<&'a str>,
    found: &'c mut Vec<(StepId, String)>,
}

impl<'a> Ctx<'a, '_> {
    fn report(&mut self, step: &Step, message: String) {
        self.found.push((step.id, message));
    }

    /// Check a sibling list whose parent is `parent` (None = top level); `in_loop` when some
    /// enclosing block is a loop.
    fn steps(&mut self, steps: &'a [Step], parent: Option<&ActionDef>, in_loop: bool) {
        // Clause order inside If / Switch.
        let mut seen_else = false;
        let mut seen_default = false;
        let mut seen_case = false;
        for s in steps.iter().filter(|s| s.enabled) {
            let def = self.catalog.get(&s.action);
            if let Some(def) = def {
                match (&def.shape, parent) {
                    (Shape::Clause { of }, p) if p.map(|p| p.id.as_str()) != Some(of.as_str()) => {
                        let of_name = self
                            .catalog
                            .get(of)
                            .map_or(of.as_str(), |d| d.name.as_str());
                        self.report(
                            s,
                            format!(
                                "{} is outside {} {} block",
                                def.name,
                                article(of_name),
                                of_name
                            ),
                        );
                    }
                    (Shape::Clause { .. }, Some(p)) => match s.action.as_str() {
                        ids::ELSE if seen_else => self.report(
                            s,
                            format!(
                                "Else: {} {} can have only one Else",
                                article(&p.name),
                                p.name
                            ),
                        ),
                        ids::ELSE_IF if seen_else => self.report(
                            s,
                            format!("{} must come before the Else of its If", def.name),
                        ),
                        ids::DEFAULT_CASE if seen_default => self.report(
                            s,
                            format!(
                                "{}: {} {} can have only one Default case",
                                def.name,
                                article(&p.name),
                                p.name
                            ),
                        ),
                        ids::CASE if seen_default => self.report(
                            s,
                            format!(
                                "{} must come before the Default case of its Switch",
                                def.name
                            ),
                        ),
                        _ => {}
                    },
                    _ => {
                        if parent.is_some_and(|p| p.id == ids::SWITCH) && !seen_case {
                            self.report(
                                s,
                                format!("{} is inside a Switch but not in any Case", def.name),
                            );
                        }
                    }
                }
                match s.action.as_str() {
                    ids::ELSE => seen_else = true,
                    ids::DEFAULT_CASE => {
                        seen_default = true;
                        seen_case = true;
                    }
                    ids::CASE => seen_case = true,
                    _ => {}
                }
            }
            self.step(s, def, in_loop);
        }
    }

    fn step(&mut self, s: &'a Step, def: Option<&'a ActionDef>, in_loop: bool) {
        let Some(def) = def else {
            // Unknown actions block Run (the runtime refuses them too) but not opening: a
            // shared or imported flow may name actions of a connector this proxy lacks.
            let message = match crate::connector::connector_of(&s.action) {
                Some((connector, op)) => format!(
                    "Unknown action: this proxy has no action \"{op}\" of connector \"{connector}\""
                ),
                None => format!("\"{}\" is not an action in the library", s.action),
            };
            self.report(s, message);
            self.inputs(s, None);
            self.known.extend(produced_vars(s, None));
            self.steps(&s.children, None, in_loop);
            return;
        };
        let name = def.name.as_str();
        for p in &def.params {
            let missing = s.inputs.get(&p.name).is_none_or(|v| v.trim().is_empty());
            if p.required && missing && p.default.is_none() {
                self.report(s, format!("{name}: \"{}\" is required", p.label));
            }
        }
        self.inputs(s, Some(def));
        match s.action.as_str() {
            ids::EXIT_LOOP | ids::NEXT_LOOP if !in_loop => {
                self.report(s, format!("{name} is outside a loop"));
            }
            GO_TO => {
                if let Some(label) = s.inputs.get("label").map(|l| l.trim()) {
                    if !label.is_empty() && !self.labels.contains_key(label) {
                        self.report(
                            s,
                            format!("{name}: there is no label \"{label}\" in this subflow"),
                        );
                    }
                }
            }
            RUN_SUBFLOW => {
                if let Some(sub) = s.inputs.get("subflow").map(|l| l.trim()) {
                    if !sub.is_empty() && !self.subflow_names.contains(sub) {
                        self.report(s, format!("{name}: there is no subflow named \"{sub}\""));
                    }
                }
            }
            _ => {}
        }
        let on_error_label = s.on_error.as_ref().filter(|oe| oe.continue_flow);
        if let Some(label) = on_error_label.and_then(|oe| oe.go_to_label.as_deref()) {
            let label = label.trim();
            if !self.labels.contains_key(label) {
                self.report(
                    s,
                    format!(
                        "{name}: On error goes to label \"{label}\", which is not in this subflow"
                    ),
                );
            }
        }
        // A step's variables are known from the next line on, which for a loop is its block.
        self.known.extend(produced_vars(s, Some(def)));
        match def.shape {
            Shape::Block { is_loop } => self.steps(&s.children, Some(def), in_loop || is_loop),
            _ => {
                if !s.children.is_empty() {
                    self.report(s, format!("{name} cannot hold other actions"));
                }
                self.steps(&s.children, None, in_loop);
            }
        }
    }

    /// Expression syntax and variables used before they are produced.
    fn inputs(&mut self, s: &'a Step, def: Option<&ActionDef>) {
        let name = def.map_or(s.action.as_str(), |d| d.name.as_str());
        let mut undefined: Vec<&str> = Vec::new();
        for (key, text) in &s.inputs {
            let param = def.and_then(|d| d.param(key));
            let label = param.map_or(key.as_str(), |p| p.label.as_str());
            if param.is_some_and(|p| p.ty == ParamType::VariableName) {
                let var = variable_name_input(text);
                if var.is_empty() {
                    continue;
                }
                if !is_variable_name(var) {
                    self.report(
                        s,
                        format!("{name}: \"{label}\" is not a valid variable name: {var}"),
                    );
                } else if !self.known.contains(var) && !undefined.contains(&var) {
                    undefined.push(var);
                }
                continue;
            }
            match expr::parse(text) {
                Err(e) => self.report(
                    s,
                    format!(
                        "{name}: \"{label}\" has an invalid expression at character {}: {}",
                        e.at + 1,
                        e.message
                    ),
                ),
                Ok(_) => {
                    for var in expr::variables(text) {
                        if !self.known.contains(var) && !undefined.contains(&var) {
                            undefined.push(var);
                        }
                    }
                }
            }
        }
        for var in undefined {
            self.report(
                s,
                format!("{name}: variable %{var}% is used before any step produces it"),
            );
        }
    }
}
