//! A flow compiled for running: each subflow becomes a flat list of operations (blocks become
//! jumps), each step's inputs are parsed once, labels, subflows and loops are resolved, so a run
//! finds every error of structure before its first step and runs each step without lookups.

use super::eval::Template;
use super::machine::Failure;
use crate::catalog::{ActionDef, Catalog, ParamType, Shape};
use crate::flow::{Flow, Step, StepId};
use crate::library::ids;
use crate::rows::{rows, RowKind};
use std::collections::HashMap;

/// The standard actions that run as one operation (block actions compile to jumps instead).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    SetVariable,
    Increase,
    Decrease,
    Truncate,
    Random,
    Wait,
    Stop,
    AppendLine,
    Split,
    Join,
    Replace,
    Trim,
    ChangeCase,
    Subtext,
    ParseText,
    ToNumber,
    FromNumber,
    Now,
    DateAdd,
    DateSubtract,
    DateToText,
    JsonToObject,
    ObjectToJson,
    NewList,
    AddToList,
    SortList,
    Http,
    Display,
    Input,
}

const BUILTINS: &[(&str, Builtin)] = &[
    (ids::SET_VARIABLE, Builtin::SetVariable),
    ("variables.increase", Builtin::Increase),
    ("variables.decrease", Builtin::Decrease),
    ("variables.truncate", Builtin::Truncate),
    ("variables.random", Builtin::Random),
    ("flow.wait", Builtin::Wait),
    ("flow.stop", Builtin::Stop),
    ("text.append_line", Builtin::AppendLine),
    ("text.split", Builtin::Split),
    ("text.join", Builtin::Join),
    ("text.replace", Builtin::Replace),
    ("text.trim", Builtin::Trim),
    ("text.change_case", Builtin::ChangeCase),
    ("text.subtext", Builtin::Subtext),
    ("text.parse", Builtin::ParseText),
    ("text.to_number", Builtin::ToNumber),
    ("text.from_number", Builtin::FromNumber),
    ("datetime.now", Builtin::Now),
    ("datetime.add", Builtin::DateAdd),
    ("datetime.subtract", Builtin::DateSubtract),
    ("datetime.to_text", Builtin::DateToText),
    ("data.json_to_object", Builtin::JsonToObject),
    ("data.object_to_json", Builtin::ObjectToJson),
    ("data.new_list", Builtin::NewList),
    ("data.add_to_list", Builtin::AddToList),
    ("data.sort_list", Builtin::SortList),
    ("http.invoke", Builtin::Http),
    ("messages.display", Builtin::Display),
    ("messages.input", Builtin::Input),
];

const LOOP: &str = "loops.loop";
const LOOP_CONDITION: &str = "loops.condition";
const FOR_EACH: &str = "loops.for_each";
const COMMENT: &str = "flow.comment";
const LABEL: &str = "flow.label";
const GO_TO: &str = "flow.goto";
const RUN_SUBFLOW: &str = "flow.run_subflow";
const ON_BLOCK_ERROR: &str = "flow.on_block_error";

/// What a step is, beyond its operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Builtin(Builtin),
    Connector {
        connector: String,
        operation: String,
    },
    /// Loop (counting), Loop condition and For each.
    Loop(LoopKind),
    /// A block, clause or jump: its operation says what it does.
    Control,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LoopKind {
    Count,
    While,
    Each,
}

/// One operation of a subflow's code. Indexes: `u32` step numbers into `Program::steps`,
/// `u32` targets into the same code's operations.
#[derive(Clone, Debug)]
pub(crate) enum Op {
    Act(u32),
    /// If / Else if: when the condition is false, go on at `else_to`.
    If {
        step: u32,
        else_to: u32,
    },
    /// Not a step: the jump to a block's end.
    Jump(u32),
    /// The first Case (step, target) whose condition holds, else `default`.
    Switch {
        step: u32,
        cases: Vec<(u32, u32)>,
        default: u32,
    },
    /// Not a step: sets up loop `slot` (falls through to its `LoopTest`).
    LoopInit {
        step: u32,
        slot: u16,
    },
    /// The loop's line: the next iteration, or on to `exit`.
    LoopTest {
        step: u32,
        slot: u16,
        exit: u32,
    },
    /// Not a step: the loop's End line, back to its test.
    LoopNext {
        slot: u16,
        back: u32,
    },
    /// Go to, Exit loop, Next loop.
    Goto {
        step: u32,
        to: u32,
    },
    Call {
        step: u32,
        code: u32,
    },
}

/// An On block error block: errors of operations in `start..end` go on at `end` when
/// `continue_flow`, else on to an outer handler.
#[derive(Clone, Debug)]
pub(crate) struct Handler {
    pub start: u32,
    pub end: u32,
    pub continue_flow: bool,
}

/// One subflow's operations.
#[derive(Clone, Debug, Default)]
pub(crate) struct Code {
    pub ops: Vec<Op>,
    /// Per loop slot, the operations inside the loop (its test to its End line).
    pub loop_spans: Vec<(u32, u32)>,
    pub handlers: Vec<Handler>,
}

/// What a step does when it fails.
#[derive(Clone, Debug)]
pub(crate) struct Policy {
    pub retries: u32,
    pub interval_ms: u64,
    pub then: Then,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Then {
    /// Go on after the step (after its whole block, for a block).
    Continue,
    GoTo(u32),
    /// Raise the error: an On block error around it, or the caller, or the run fails.
    Stop,
}

/// One input of a step, parsed.
#[derive(Clone, Debug)]
pub(crate) struct Input {
    pub name: String,
    pub label: String,
    pub template: Template,
}

/// A step as the run needs it.
#[derive(Clone, Debug)]
pub(crate) struct StepInfo {
    pub id: StepId,
    /// `Main, line 3`.
    pub path: String,
    /// The action's display name.
    pub name: String,
    pub kind: Kind,
    pub inputs: Vec<Input>,
    /// Output name → the variable that receives it.
    pub outputs: Vec<(String, String)>,
    pub reference: Option<String>,
    pub policy: Option<Policy>,
    /// Where the run goes on when the step fails and its policy continues.
    pub after: u32,
    /// Where the step starts: its code and first operation.
    pub code: u32,
    pub pc: u32,
}

/// A whole flow, compiled.
#[derive(Clone, Debug, Default)]
pub(crate) struct Program {
    pub steps: Vec<StepInfo>,
    pub codes: Vec<Code>,
}

/// A loop being compiled: its slot and the jumps to patch once its End line is placed.
struct LoopCtx {
    slot: u16,
    nexts: Vec<usize>,
    exits: Vec<usize>,
}

struct Compiler<'a> {
    catalog: &'a Catalog,
    subflows: HashMap<&'a str, u32>,
    program: Program,
    /// This subflow's line numbers.
    lines: HashMap<StepId, usize>,
    subflow_name: &'a str,
    code: Code,
    loops: Vec<LoopCtx>,
    labels: HashMap<String, u32>,
    /// Go to operations and retry policies waiting for their label: (op or step, label, step).
    gotos: Vec<(usize, String, u32)>,
    policy_gotos: Vec<(u32, String)>,
}

/// Compile `flow`; the error names the first step that cannot run and why.
pub(crate) fn compile(flow: &Flow, catalog: &Catalog) -> Result<Program, Failure> {
    let mut c = Compiler {
        catalog,
        subflows: HashMap::new(),
        program: Program::default(),
        lines: HashMap::new(),
        subflow_name: "",
        code: Code::default(),
        loops: Vec::new(),
        labels: HashMap::new(),
        gotos: Vec::new(),
        policy_gotos: Vec::new(),
    };
    for (i, sub) in flow.subflows.iter().enumerate() {
        c.subflows.entry(sub.name.as_str()).or_insert(i as u32);
    }
    for (i, sub) in flow.subflows.iter().enumerate() {
        c.lines = rows(flow, i, catalog)
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == RowKind::Step)
            .map(|(n, r)| (r.id, n + 1))
            .collect();
        c.subflow_name = &sub.name;
        c.labels.clear();
        c.block(&sub.steps, i as u32)?;
        c.resolve_labels()?;
        let code = std::mem::take(&mut c.code);
        c.program.codes.push(code);
    }
    Ok(c.program)
}

impl<'a> Compiler<'a> {
    fn pc(&self) -> u32 {
        self.code.ops.len() as u32
    }

    fn emit(&mut self, op: Op) -> usize {
        self.code.ops.push(op);
        self.code.ops.len() - 1
    }

    fn path(&self, step: &Step) -> String {
        match self.lines.get(&step.id) {
            Some(line) => format!("{}, line {line}", self.subflow_name),
            None => self.subflow_name.to_string(),
        }
    }

    fn fail(&self, step: &Step, message: String) -> Failure {
        Failure {
            step: Some(step.id),
            path: self.path(step),
            message,
        }
    }

    /// Compile a list of sibling steps.
    fn block(&mut self, steps: &'a [Step], code: u32) -> Result<(), Failure> {
        for step in steps.iter().filter(|s| s.enabled) {
            self.one(step, code)?;
        }
        Ok(())
    }

    fn one(&mut self, step: &'a Step, code: u32) -> Result<(), Failure> {
        let def = self.catalog.get(&step.action);
        if let Some(ActionDef {
            shape: Shape::Clause { of },
            name,
            ..
        }) = def
        {
            let of = self
                .catalog
                .get(of)
                .map_or(of.as_str(), |d| d.name.as_str());
            return Err(self.fail(step, format!("{name} is outside a {of} block")));
        }
        match step.action.as_str() {
            COMMENT => Ok(()),
            LABEL => {
                let name = step.inputs.get("name").map_or("", |n| n.trim());
                let pc = self.pc();
                if self.labels.insert(name.to_string(), pc).is_some() {
                    return Err(
                        self.fail(step, format!("Label: \"{name}\" is used by another label"))
                    );
                }
                Ok(())
            }
            ids::IF => self.if_block(step, code),
            ids::SWITCH => self.switch_block(step, code),
            LOOP | LOOP_CONDITION | FOR_EACH => self.loop_block(step, code),
            ON_BLOCK_ERROR => {
                let s = self.info(step, code)?;
                let start = self.pc();
                self.block(&step.children, code)?;
                let end = self.pc();
                let then = step.inputs.get("then").map_or("", String::as_str);
                self.code.handlers.push(Handler {
                    start,
                    end,
                    continue_flow: then != "Throw error",
                });
                self.program.steps[s as usize].after = end;
                Ok(())
            }
            ids::EXIT_LOOP | ids::NEXT_LOOP => {
                let s = self.info(step, code)?;
                let at = self.emit(Op::Goto { step: s, to: 0 });
                let name = &self.program.steps[s as usize].name;
                let Some(l) = self.loops.last_mut() else {
                    return Err(self.fail(step, format!("{name} is outside a loop")));
                };
                if step.action == ids::EXIT_LOOP {
                    l.exits.push(at);
                } else {
                    l.nexts.push(at);
                }
                Ok(())
            }
            GO_TO => {
                let s = self.info(step, code)?;
                let at = self.emit(Op::Goto { step: s, to: 0 });
                let label = step.inputs.get("label").map_or("", |l| l.trim());
                self.gotos.push((at, label.to_string(), s));
                Ok(())
            }
            RUN_SUBFLOW => {
                let s = self.info(step, code)?;
                let name = step.inputs.get("subflow").map_or("", |n| n.trim());
                match self.subflows.get(name) {
                    Some(&0) | None => Err(self.fail(
                        step,
                        format!("Run subflow: there is no subflow \"{name}\" to run"),
                    )),
                    Some(&target) => {
                        self.emit(Op::Call {
                            step: s,
                            code: target,
                        });
                        Ok(())
                    }
                }
            }
            _ => {
                let s = self.info(step, code)?;
                if !step.children.is_empty() {
                    return Err(self.fail(
                        step,
                        format!(
                            "{} cannot hold other steps",
                            self.program.steps[s as usize].name
                        ),
                    ));
                }
                self.emit(Op::Act(s));
                Ok(())
            }
        }
    }

    /// If with its Else if / Else clauses: each branch tests its condition (Else does not),
    /// runs its steps and jumps to the end. A disabled clause disables its branch.
    fn if_block(&mut self, step: &'a Step, code: u32) -> Result<(), Failure> {
        let mut branches: Vec<(&'a Step, Vec<&'a Step>)> = vec![(step, Vec::new())];
        for child in &step.children {
            if child.action == ids::ELSE_IF || child.action == ids::ELSE {
                branches.push((child, Vec::new()));
            } else if let Some(b) = branches.last_mut() {
                b.1.push(child);
            }
        }
        branches.retain(|(head, _)| head.enabled);
        let (mut ends, mut heads) = (Vec::new(), Vec::new());
        let count = branches.len();
        for (k, (head, body)) in branches.into_iter().enumerate() {
            let s = self.info(head, code)?;
            heads.push(s);
            let test = (head.action != ids::ELSE).then(|| {
                self.emit(Op::If {
                    step: s,
                    else_to: 0,
                })
            });
            for child in body.into_iter().filter(|c| c.enabled) {
                self.one(child, code)?;
            }
            if k + 1 < count {
                ends.push(self.emit(Op::Jump(0)));
            }
            if let Some(at) = test {
                self.patch(at, self.pc());
            }
        }
        let end = self.pc();
        for at in ends {
            self.patch(at, end);
        }
        for h in heads {
            self.program.steps[h as usize].after = end;
        }
        Ok(())
    }

    fn switch_block(&mut self, step: &'a Step, code: u32) -> Result<(), Failure> {
        let s = self.info(step, code)?;
        let at = self.emit(Op::Switch {
            step: s,
            cases: Vec::new(),
            default: 0,
        });
        let (mut cases, mut default, mut ends) = (Vec::new(), None, Vec::new());
        let mut in_branch = false;
        let mut skipping = false;
        for child in &step.children {
            match child.action.as_str() {
                ids::CASE | ids::DEFAULT_CASE => {
                    if in_branch {
                        ends.push(self.emit(Op::Jump(0)));
                    }
                    in_branch = true;
                    skipping = !child.enabled;
                    if skipping {
                        continue;
                    }
                    let c = self.info(child, code)?;
                    if child.action == ids::CASE {
                        cases.push((c, self.pc()));
                    } else if default.replace(self.pc()).is_some() {
                        return Err(self.fail(child, "Switch has a second Default case".into()));
                    }
                }
                _ if !child.enabled || skipping => {}
                _ if !in_branch => {
                    return Err(self.fail(
                        child,
                        "a step in a Switch must follow a Case or Default case".into(),
                    ))
                }
                _ => self.one(child, code)?,
            }
        }
        let end = self.pc();
        for j in ends {
            self.patch(j, end);
        }
        self.code.ops[at] = Op::Switch {
            step: s,
            cases,
            default: default.unwrap_or(end),
        };
        self.program.steps[s as usize].after = end;
        Ok(())
    }

    fn loop_block(&mut self, step: &'a Step, code: u32) -> Result<(), Failure> {
        let s = self.info(step, code)?;
        let slot = self.code.loop_spans.len() as u16;
        self.code.loop_spans.push((0, 0));
        self.emit(Op::LoopInit { step: s, slot });
        let test = self.emit(Op::LoopTest {
            step: s,
            slot,
            exit: 0,
        });
        self.loops.push(LoopCtx {
            slot,
            nexts: Vec::new(),
            exits: Vec::new(),
        });
        self.block(&step.children, code)?;
        let l = self.loops.pop().expect("pushed above");
        let next = self.emit(Op::LoopNext {
            slot: l.slot,
            back: test as u32,
        });
        let exit = self.pc();
        self.patch(test, exit);
        for at in l.nexts {
            self.patch(at, next as u32);
        }
        for at in l.exits {
            self.patch(at, exit);
        }
        self.code.loop_spans[slot as usize] = (test as u32, exit);
        self.program.steps[s as usize].after = exit;
        Ok(())
    }

    /// Point the jump at `at` to `to`.
    fn patch(&mut self, at: usize, to: u32) {
        match &mut self.code.ops[at] {
            Op::If { else_to: t, .. }
            | Op::Jump(t)
            | Op::Goto { to: t, .. }
            | Op::LoopTest { exit: t, .. } => *t = to,
            _ => {}
        }
    }

    fn resolve_labels(&mut self) -> Result<(), Failure> {
        for (at, label, s) in std::mem::take(&mut self.gotos) {
            let to = self.label(s, &label, "")?;
            self.patch(at, to);
        }
        for (s, label) in std::mem::take(&mut self.policy_gotos) {
            let to = self.label(s, &label, "On error: ")?;
            if let Some(p) = &mut self.program.steps[s as usize].policy {
                p.then = Then::GoTo(to);
            }
        }
        Ok(())
    }

    fn label(&self, s: u32, label: &str, what: &str) -> Result<u32, Failure> {
        self.labels.get(label).copied().ok_or_else(|| {
            let info = &self.program.steps[s as usize];
            Failure {
                step: Some(info.id),
                path: info.path.clone(),
                message: format!(
                    "{}: {what}there is no label \"{label}\" in {}",
                    info.name, self.subflow_name
                ),
            }
        })
    }

    /// Record the step's run-time information; returns its number.
    fn info(&mut self, step: &'a Step, code: u32) -> Result<u32, Failure> {
        let def = self.catalog.get(&step.action);
        let connector = step
            .action
            .strip_prefix("connector:")
            .and_then(|rest| rest.split_once('/'));
        let kind = match (
            BUILTINS.iter().find(|(id, _)| *id == step.action),
            connector,
        ) {
            (Some((_, b)), _) => Kind::Builtin(*b),
            (None, Some((c, o))) => Kind::Connector {
                connector: c.to_string(),
                operation: o.to_string(),
            },
            (None, None) if step.action == LOOP => Kind::Loop(LoopKind::Count),
            (None, None) if step.action == LOOP_CONDITION => Kind::Loop(LoopKind::While),
            (None, None) if step.action == FOR_EACH => Kind::Loop(LoopKind::Each),
            (None, None) if def.is_some() => Kind::Control,
            (None, None) => {
                return Err(self.fail(
                    step,
                    format!("\"{}\" is not an action in the library", step.action),
                ))
            }
        };
        // A connector action whose details are not loaded is named by its operation id.
        let fallback = connector.map_or(step.action.as_str(), |(_, op)| op);
        let name = def.map_or(fallback, |d| d.name.as_str()).to_string();
        let mut inputs = Vec::new();
        let mut outputs = Vec::new();
        let parse = |label: &str, text: &str| {
            Template::parse(text).map_err(|m| self.fail(step, format!("{name}: \"{label}\": {m}")))
        };
        match def {
            Some(def) => {
                for p in &def.params {
                    // Every parameter, set or not, so errors can name it by its label.
                    let text = step.inputs.get(&p.name).or(p.default.as_ref());
                    let text = text.map_or("", String::as_str);
                    let template = if p.ty == ParamType::VariableName {
                        Template::Text(text.trim().trim_matches('%').to_string())
                    } else {
                        parse(&p.label, text)?
                    };
                    inputs.push(Input {
                        name: p.name.clone(),
                        label: p.label.clone(),
                        template,
                    });
                }
                for o in &def.outputs {
                    let var = step.outputs.get(&o.name).unwrap_or(&o.default_var);
                    outputs.push((o.name.clone(), var.clone()));
                }
            }
            // A connector action whose connector's details are not loaded: its inputs as set.
            None => {
                for (k, v) in &step.inputs {
                    inputs.push(Input {
                        name: k.clone(),
                        label: k.clone(),
                        template: parse(k, v)?,
                    });
                }
                outputs.extend(step.outputs.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        if matches!(kind, Kind::Connector { .. })
            && step.reference.as_deref().is_none_or(str::is_empty)
        {
            return Err(self.fail(step, format!("{name}: no connection reference is chosen")));
        }
        let s = self.program.steps.len() as u32;
        let policy = step.on_error.as_ref().map(|oe| {
            let then = match &oe.go_to_label {
                Some(label) if oe.continue_flow => {
                    self.policy_gotos.push((s, label.trim().to_string()));
                    Then::Stop
                }
                _ if oe.continue_flow => Then::Continue,
                _ => Then::Stop,
            };
            Policy {
                retries: oe.retries,
                interval_ms: u64::from(oe.interval_secs) * 1000,
                then,
            }
        });
        let pc = self.pc();
        self.program.steps.push(StepInfo {
            id: step.id,
            path: self.path(step),
            name,
            kind,
            inputs,
            outputs,
            reference: step.reference.clone(),
            policy,
            after: pc + 1,
            code,
            pc,
        });
        Ok(s)
    }
}
