//! The run: a step-at-a-time state machine over a compiled flow. `step` runs one step, or says
//! what it needs from the host first (a connector call, a wait, an answer); `answer` gives it.
//! Control flow (blocks, loops, Go to, subflows), each step's on-error policy, On block error,
//! cancellation and the bounds on steps and loop iterations live here.

use super::actions::{self, Ctx, Effect};
use super::compile::{compile, Kind, LoopKind, Op, Program, Then};
use super::conditions::condition;
use super::eval::{Env, Vars};
use super::host::{Answer, ConnectorCall, Need};
use super::value::Value;
use crate::catalog::Catalog;
use crate::flow::{Flow, StepId};
use std::fmt;
use std::sync::Arc;

/// Bounds and settings of a run.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Steps one run may take (each loop iteration's test counts as one).
    pub max_steps: u64,
    /// Iterations one loop may run each time it starts.
    pub max_iterations: u64,
    /// How deep Run subflow may nest.
    pub max_depth: usize,
    /// Seed of Generate random number.
    pub seed: u64,
    /// Upper-case (true) or lower-case (false) conversion. The designer passes the browser's
    /// (std's Unicode tables cost its wasm about 24 KB).
    pub case: fn(&str, bool) -> String,
}

fn std_case(s: &str, upper: bool) -> String {
    if upper {
        s.to_uppercase()
    } else {
        s.to_lowercase()
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_steps: 1_000_000,
            max_iterations: 100_000,
            max_depth: 100,
            seed: 0x9E37_79B9_7F4A_7C15,
            case: std_case,
        }
    }
}

/// Why a flow failed, pinned to its step.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub step: Option<StepId>,
    /// Where, in words: `Main, line 3`.
    pub path: String,
    /// What went wrong, naming the action: `Convert text to number: "abc" is not a number`.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The flow reached its end, or a Stop flow that ends it successfully.
    Succeeded,
    /// Stopped before its end: by the user or by a bound, with the reason.
    Stopped(String),
    Failed(Failure),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Succeeded => f.write_str("Flow run succeeded"),
            Outcome::Stopped(why) => write!(f, "Flow run stopped: {why}"),
            Outcome::Failed(failure) => write!(f, "Flow run failed: {failure}"),
        }
    }
}

/// How one run of a step went.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Succeeded,
    Failed(String),
}

/// One line of the run log: a step ran (a loop's line once per iteration).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub step: StepId,
    pub status: Status,
}

/// A running loop.
#[derive(Clone, Debug)]
struct LoopSlot {
    state: LoopState,
    iterations: u64,
}

#[derive(Clone, Debug)]
enum LoopState {
    Count { next: f64, end: f64, by: f64 },
    While,
    Each { items: Vec<Value>, next: usize },
}

/// A subflow being run.
#[derive(Clone, Debug)]
struct Frame {
    code: u32,
    pc: u32,
    loops: Vec<Option<LoopSlot>>,
    /// The caller's Run subflow operation.
    call_pc: u32,
}

/// How to take the host's answer.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Resume {
    Connector,
    Http {
        fail_on_error: bool,
    },
    Wait,
    Message,
    Input,
    Now {
        date_only: bool,
    },
    /// The interval before retrying the step.
    Retry,
}

struct Pending {
    step: u32,
    need: Need,
    resume: Resume,
}

/// One run of a flow.
pub struct Run {
    program: Arc<Program>,
    vars: Vars,
    frames: Vec<Frame>,
    pending: Option<Pending>,
    outcome: Option<Outcome>,
    options: Options,
    steps_run: u64,
    /// Failed attempts of the operations being retried: (frame depth, pc, failures). A Run
    /// subflow being retried keeps its count while its subflow runs.
    retries: Vec<(usize, u32, u32)>,
    rng: u64,
    log: Vec<Entry>,
}

impl Run {
    /// A run of `flow` from the start of Main. Fails when a step cannot run at all (an unknown
    /// action, a bad expression, a Go to without its label…), naming that step.
    pub fn new(flow: &Flow, catalog: &Catalog, options: Options) -> Result<Run, Failure> {
        let program = Arc::new(compile(flow, catalog)?);
        let main = Frame::new(&program, 0);
        Ok(Run {
            program,
            vars: Vars::new(),
            frames: main.into_iter().collect(),
            pending: None,
            outcome: None,
            options,
            steps_run: 0,
            retries: Vec::new(),
            rng: options.seed | 1,
            log: Vec::new(),
        })
    }

    /// A run that starts at `step` ("Run from here"), in whichever subflow holds it.
    pub fn from_step(
        flow: &Flow,
        catalog: &Catalog,
        options: Options,
        step: StepId,
    ) -> Result<Run, Failure> {
        let mut run = Run::new(flow, catalog, options)?;
        let program = Arc::clone(&run.program);
        let Some(info) = program.steps.iter().find(|i| i.id == step) else {
            return Err(Failure {
                step: Some(step),
                path: String::new(),
                message: "Run from here: that step does not run (disabled, a comment or a label)"
                    .into(),
            });
        };
        run.frames = Frame::new(&program, info.code).into_iter().collect();
        if run.jump(info.pc).is_err() {
            return Err(Failure {
                step: Some(step),
                path: info.path.clone(),
                message: "Run from here: the step is inside a loop; run from the loop instead"
                    .into(),
            });
        }
        Ok(run)
    }

    /// The variables and their values now.
    pub fn variables(&self) -> &Vars {
        &self.vars
    }

    /// The log lines since the last call.
    pub fn drain_log(&mut self) -> Vec<Entry> {
        std::mem::take(&mut self.log)
    }

    /// How the run ended, once it has.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Steps run so far.
    pub fn steps_run(&self) -> u64 {
        self.steps_run
    }

    /// The step the next `step` call runs (or is waiting on): the line to highlight, and where a
    /// breakpoint stops the run. `None` once the run is over.
    pub fn next_step(&self) -> Option<StepId> {
        if self.outcome.is_some() {
            return None;
        }
        let steps = &self.program.steps;
        if let Some(p) = &self.pending {
            return Some(steps[p.step as usize].id);
        }
        let mut depth = self.frames.len();
        let mut pc = self.frames.last()?.pc;
        // Only the jumps the compiler adds are followed, and they never chain far.
        for _ in 0..1000 {
            let code = &self.program.codes[self.frames[depth - 1].code as usize];
            match code.ops.get(pc as usize) {
                None => {
                    depth -= 1;
                    pc = self.frames.get(depth.checked_sub(1)?)?.pc;
                }
                Some(Op::Jump(to)) => pc = *to,
                Some(Op::LoopNext { back, .. }) => pc = *back,
                Some(op) => return op_step(op).map(|s| steps[s as usize].id),
            }
        }
        None
    }

    /// Stop the run now, whatever it is doing or waiting on.
    pub fn cancel(&mut self) {
        if self.outcome.is_none() {
            self.pending = None;
            self.outcome = Some(Outcome::Stopped("stopped by the user".into()));
        }
    }

    /// What the run needs now, without doing anything.
    fn current(&self) -> Need {
        match (&self.outcome, &self.pending) {
            (Some(o), _) => Need::Done(o.clone()),
            (None, Some(p)) => p.need.clone(),
            (None, None) => Need::Ready,
        }
    }

    /// Run the next step, or return what the run waits on (the same need until answered).
    pub fn step(&mut self) -> Need {
        if self.outcome.is_some() || self.pending.is_some() {
            return self.current();
        }
        let program = Arc::clone(&self.program);
        // The operations the compiler adds run without counting as steps.
        let (op, depth) = loop {
            let depth = self.frames.len();
            let Some(frame) = self.frames.last_mut() else {
                self.outcome = Some(Outcome::Succeeded);
                return self.current();
            };
            let code = &program.codes[frame.code as usize];
            let Some(op) = code.ops.get(frame.pc as usize) else {
                self.pop_frame();
                continue;
            };
            match op {
                Op::Jump(to) => frame.pc = *to,
                Op::LoopNext { slot, back } => {
                    match frame.loops.get_mut(usize::from(*slot)) {
                        Some(Some(LoopSlot {
                            state: LoopState::Count { next, by, .. },
                            ..
                        })) => *next += *by,
                        Some(Some(_)) => {}
                        _ => return self.stop_here(*back, "the loop is not running"),
                    }
                    frame.pc = *back;
                }
                Op::LoopInit { step, slot } => match self.loop_start(*step) {
                    Ok(state) => {
                        let frame = self.top();
                        frame.loops[usize::from(*slot)] = Some(LoopSlot {
                            state,
                            iterations: 0,
                        });
                        frame.pc += 1;
                    }
                    Err(m) => {
                        self.error(*step, m);
                        return self.current();
                    }
                },
                op => break (op, depth),
            }
        };
        self.steps_run += 1;
        if self.steps_run > self.options.max_steps {
            let at = op_step(op).map_or("", |s| program.steps[s as usize].path.as_str());
            self.outcome = Some(Outcome::Stopped(format!(
                "the flow ran {} steps, the most a run may take (at {at}): does a loop or a Go to never end?",
                self.options.max_steps
            )));
            return self.current();
        }
        match op {
            Op::Act(s) => self.act(*s),
            Op::If { step, else_to } => match self.test(*step) {
                Ok(true) => self.succeed(*step),
                Ok(false) => {
                    self.log_ok(*step);
                    self.top().pc = *else_to;
                }
                Err(m) => self.error(*step, m),
            },
            Op::Switch {
                step,
                cases,
                default,
            } => self.switch(*step, cases, *default),
            Op::LoopTest { step, slot, exit } => self.loop_test(*step, *slot, *exit),
            Op::Goto { step, to } => match self.jump(*to) {
                Ok(()) => self.log_ok(*step),
                Err(m) => {
                    let name = &program.steps[*step as usize].name;
                    self.error(*step, format!("{name}: {m}"));
                }
            },
            Op::Call { step, code } => {
                if depth >= self.options.max_depth {
                    let path = &program.steps[*step as usize].path;
                    self.outcome = Some(Outcome::Stopped(format!(
                        "{path}: subflows run inside each other more than {} deep: does a subflow run itself forever?",
                        self.options.max_depth
                    )));
                    return self.current();
                }
                self.log_ok(*step);
                let caller = self.top();
                let call_pc = caller.pc;
                caller.pc += 1;
                if let Some(mut frame) = Frame::new(&program, *code) {
                    frame.call_pc = call_pc;
                    self.frames.push(frame);
                }
            }
            Op::Jump(_) | Op::LoopNext { .. } | Op::LoopInit { .. } => {}
        }
        self.current()
    }

    /// Give the answer to what the run waits on. An answer of the wrong kind fails the run
    /// (a host bug); an answer when nothing is asked (after a cancel) is ignored.
    pub fn answer(&mut self, answer: Answer) {
        let Some(p) = self.pending.take() else {
            return;
        };
        let program = Arc::clone(&self.program);
        let info = &program.steps[p.step as usize];
        let outputs: Result<Vec<(&str, Value)>, String> = match (p.resume, answer) {
            (Resume::Connector, Answer::Connector(r)) => r.map(|body| {
                let body = Value::from_json(body);
                info.outputs
                    .iter()
                    .map(|(name, _)| (name.as_str(), body.clone()))
                    .collect()
            }),
            (Resume::Http { fail_on_error }, Answer::Http(r)) => {
                r.and_then(|resp| actions::http_outputs(resp, fail_on_error))
            }
            (Resume::Wait, Answer::Waited) => Ok(Vec::new()),
            (Resume::Retry, Answer::Waited) => return,
            (Resume::Message, Answer::Button(b)) => Ok(vec![("button", Value::Text(b))]),
            (Resume::Input, Answer::Input(a)) => Ok(vec![
                ("input", Value::Text(a.text)),
                ("button", Value::Text(a.button)),
            ]),
            (Resume::Now { date_only }, Answer::Now(d)) => Ok(vec![(
                "result",
                Value::DateTime(if date_only { d.date() } else { d }),
            )]),
            (_, other) => {
                self.outcome = Some(Outcome::Failed(Failure {
                    step: Some(info.id),
                    path: info.path.clone(),
                    message: format!(
                        "{}: the host answered {} to a request for something else",
                        info.name,
                        other.kind()
                    ),
                }));
                return;
            }
        };
        match outputs {
            Ok(outputs) => {
                self.assign(p.step, outputs);
                self.succeed(p.step);
            }
            Err(m) => self.error(p.step, format!("{}: {m}", info.name)),
        }
    }

    /// Leave the current subflow; retry counts of its operations go with it.
    fn pop_frame(&mut self) -> Option<Frame> {
        let frame = self.frames.pop();
        let depth = self.frames.len();
        self.retries.retain(|&(d, _, _)| d <= depth);
        frame
    }

    fn top(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a running run has a frame")
    }

    fn env(&self) -> Env<'_> {
        Env {
            vars: &self.vars,
            case: self.options.case,
        }
    }

    /// Log that step `s` ran; the operation at the current pc succeeded, so the run has moved
    /// on from any other failed operation of this subflow.
    fn log_ok(&mut self, s: u32) {
        let (depth, pc) = (self.frames.len(), self.top().pc);
        if !self.retries.is_empty() {
            self.retries
                .retain(|&(d, at, _)| d < depth || (d == depth && at == pc));
        }
        self.log.push(Entry {
            step: self.program.steps[s as usize].id,
            status: Status::Succeeded,
        });
    }

    /// The step ran: log it and go on with the next operation.
    fn succeed(&mut self, s: u32) {
        self.log_ok(s);
        self.top().pc += 1;
    }

    fn stop_here(&mut self, at: u32, why: &str) -> Need {
        let program = Arc::clone(&self.program);
        let code = &program.codes[self.top().code as usize];
        let path = code
            .ops
            .get(at as usize)
            .and_then(op_step)
            .map_or("", |s| program.steps[s as usize].path.as_str());
        self.outcome = Some(Outcome::Failed(Failure {
            step: None,
            path: path.to_string(),
            message: why.to_string(),
        }));
        self.current()
    }

    fn assign(&mut self, s: u32, outputs: Vec<(&str, Value)>) {
        let info = &self.program.steps[s as usize];
        for (name, value) in outputs {
            if let Some((_, var)) = info.outputs.iter().find(|(n, _)| n == name) {
                if !var.is_empty() {
                    self.vars.insert(var.clone(), value);
                }
            }
        }
    }

    /// Run a plain action.
    fn act(&mut self, s: u32) {
        let program = Arc::clone(&self.program);
        let info = &program.steps[s as usize];
        let effect = match &info.kind {
            Kind::Builtin(b) => {
                let mut ctx = Ctx {
                    info,
                    vars: &mut self.vars,
                    rng: &mut self.rng,
                    case: self.options.case,
                };
                actions::run(*b, &mut ctx)
            }
            Kind::Connector {
                connector,
                operation,
            } => self.connector_call(info, connector, operation),
            Kind::Loop(_) | Kind::Control => Err("this step cannot run on its own".into()),
        };
        match effect {
            Ok(Effect::Outputs(outputs)) => {
                self.assign(s, outputs);
                self.succeed(s);
            }
            Ok(Effect::Ask(need, resume)) => {
                self.pending = Some(Pending {
                    step: s,
                    need,
                    resume,
                })
            }
            Ok(Effect::Stop(outcome)) => {
                self.log_ok(s);
                self.outcome = Some(outcome);
            }
            Err(m) => self.error(s, format!("{}: {m}", info.name)),
        }
    }

    fn connector_call(
        &self,
        info: &super::compile::StepInfo,
        connector: &str,
        operation: &str,
    ) -> Result<Effect, String> {
        let mut inputs = serde_json::Map::new();
        for input in &info.inputs {
            let v = input
                .template
                .eval(self.env())
                .map_err(|m| format!("\"{}\": {m}", input.label))?;
            if !v.is_empty() {
                inputs.insert(input.name.clone(), v.to_json());
            }
        }
        Ok(Effect::Ask(
            Need::Connector(ConnectorCall {
                step: info.id,
                reference: info.reference.clone().unwrap_or_default(),
                connector_id: connector.to_string(),
                operation_id: operation.to_string(),
                inputs,
            }),
            Resume::Connector,
        ))
    }

    /// The condition of an If, Else if or Loop condition step.
    fn test(&self, s: u32) -> Result<bool, String> {
        let info = &self.program.steps[s as usize];
        condition(info, None, self.env()).map_err(|m| format!("{}: {m}", info.name))
    }

    fn switch(&mut self, s: u32, cases: &[(u32, u32)], default: u32) {
        let program = Arc::clone(&self.program);
        let info = &program.steps[s as usize];
        let value = match actions::input(info, "value", self.env()) {
            Ok(v) => v,
            Err(m) => return self.error(s, format!("{}: {m}", info.name)),
        };
        self.log_ok(s);
        for &(case, target) in cases {
            let case_info = &program.steps[case as usize];
            match condition(case_info, Some(&value), self.env()) {
                Ok(true) => {
                    self.log_ok(case);
                    self.top().pc = target;
                    return;
                }
                Ok(false) => {}
                Err(m) => return self.error(case, format!("{}: {m}", case_info.name)),
            }
        }
        self.top().pc = default;
    }

    fn loop_start(&self, s: u32) -> Result<LoopState, String> {
        let info = &self.program.steps[s as usize];
        let env = self.env();
        let fail = |m: String| format!("{}: {m}", info.name);
        Ok(match info.kind {
            Kind::Loop(LoopKind::Count) => {
                let n = |name| actions::number(info, name, env).map_err(fail);
                let (start, end, by) = (n("start")?, n("end")?, n("step")?);
                if by == 0.0 {
                    return Err(fail(
                        "\"Increment by\" is 0, so the loop would never end".into(),
                    ));
                }
                LoopState::Count {
                    next: start,
                    end,
                    by,
                }
            }
            Kind::Loop(LoopKind::Each) => match actions::input(info, "list", env).map_err(fail)? {
                Value::List(items) => LoopState::Each { items, next: 0 },
                other => {
                    return Err(fail(format!(
                        "\"Value to iterate\" is {}, not a list",
                        other.type_name()
                    )))
                }
            },
            _ => LoopState::While,
        })
    }

    fn loop_test(&mut self, s: u32, slot: u16, exit: u32) {
        let program = Arc::clone(&self.program);
        let info = &program.steps[s as usize];
        let slot = usize::from(slot);
        let go_on = match self.top().loops[slot].as_ref().map(|l| &l.state) {
            Some(LoopState::While) => self.test(s),
            Some(LoopState::Count { next, end, by }) => {
                Ok(if *by > 0.0 { next <= end } else { next >= end })
            }
            Some(LoopState::Each { items, next }) => Ok(*next < items.len()),
            None => Err(format!("{}: the loop is not running", info.name)),
        };
        let go_on = match go_on {
            Ok(g) => g,
            Err(m) => return self.error(s, m),
        };
        if !go_on {
            self.log_ok(s);
            let frame = self.top();
            frame.loops[slot] = None;
            frame.pc = exit;
            return;
        }
        let max = self.options.max_iterations;
        let Some(l) = self.top().loops[slot].as_mut() else {
            return;
        };
        l.iterations += 1;
        if l.iterations > max {
            self.outcome = Some(Outcome::Stopped(format!(
                "{}: {} ran {max} times, the most a loop may: does it never end?",
                info.path, info.name
            )));
            return;
        }
        let current = match &mut l.state {
            LoopState::Count { next, .. } => Some(Value::Number(*next)),
            LoopState::Each { items, next } => {
                *next += 1;
                Some(std::mem::replace(&mut items[*next - 1], Value::Null))
            }
            LoopState::While => None,
        };
        if let Some(v) = current {
            let name = if info.outputs.iter().any(|(n, _)| n == "item") {
                "item"
            } else {
                "index"
            };
            self.assign(s, vec![(name, v)]);
        }
        self.succeed(s);
    }

    /// Go on at `to` in the current subflow: loops left behind stop; a loop entered from
    /// outside must be running (a Go to into a loop that has not started is an error).
    fn jump(&mut self, to: u32) -> Result<(), String> {
        let program = Arc::clone(&self.program);
        let frame = self.top();
        let spans = &program.codes[frame.code as usize].loop_spans;
        let from = frame.pc;
        let inside = |pc: u32, (start, end): (u32, u32)| start <= pc && pc < end;
        for (slot, &span) in spans.iter().enumerate() {
            if inside(to, span) && !inside(from, span) && frame.loops[slot].is_none() {
                return Err("the label is inside a loop that is not running".into());
            }
        }
        for (slot, &span) in spans.iter().enumerate() {
            if inside(from, span) && !inside(to, span) {
                frame.loops[slot] = None;
            }
        }
        frame.pc = to;
        Ok(())
    }

    /// Step `s` failed: retry it, continue or go to a label as its policy says; else an
    /// enclosing On block error handles it; else it fails the Run subflow that called this
    /// subflow (whose own policy applies in turn), or the run.
    fn error(&mut self, s: u32, message: String) {
        let program = Arc::clone(&self.program);
        let first = &program.steps[s as usize];
        let failure = Failure {
            step: Some(first.id),
            path: first.path.clone(),
            message,
        };
        let mut s = s;
        loop {
            let info = &program.steps[s as usize];
            self.log.push(Entry {
                step: info.id,
                status: Status::Failed(failure.message.clone()),
            });
            let depth = self.frames.len();
            let pc = self.top().pc;
            if let Some(policy) = &info.policy {
                let at = self
                    .retries
                    .iter()
                    .position(|&(d, at, _)| d == depth && at == pc);
                let failed = at.map_or(0, |i| self.retries[i].2);
                if let Some(i) = at {
                    self.retries.swap_remove(i);
                }
                if failed < policy.retries {
                    self.retries.push((depth, pc, failed + 1));
                    if policy.interval_ms > 0 {
                        self.pending = Some(Pending {
                            step: s,
                            need: Need::Wait {
                                ms: policy.interval_ms,
                            },
                            resume: Resume::Retry,
                        });
                    }
                    return;
                }
                let to = match policy.then {
                    Then::Continue => Some(info.after),
                    Then::GoTo(to) => Some(to),
                    Then::Stop => None,
                };
                if let Some(to) = to {
                    if self.jump(to).is_ok() {
                        return;
                    }
                }
            }
            let code = &program.codes[self.top().code as usize];
            let handler = code
                .handlers
                .iter()
                .filter(|h| h.continue_flow && h.start <= pc && pc < h.end)
                .max_by_key(|h| h.start);
            if let Some(h) = handler {
                if self.jump(h.end).is_ok() {
                    return;
                }
            }
            if self.frames.len() <= 1 {
                self.outcome = Some(Outcome::Failed(failure));
                return;
            }
            let done = self.pop_frame().expect("more than one frame");
            let caller = self.top();
            caller.pc = done.call_pc;
            let code = &program.codes[caller.code as usize];
            match code.ops.get(done.call_pc as usize).and_then(op_step) {
                Some(call) => s = call,
                None => {
                    self.outcome = Some(Outcome::Failed(failure));
                    return;
                }
            }
        }
    }
}

impl Frame {
    fn new(program: &Program, code: u32) -> Option<Frame> {
        let c = program.codes.get(code as usize)?;
        Some(Frame {
            code,
            pc: 0,
            loops: vec![None; c.loop_spans.len()],
            call_pc: 0,
        })
    }
}

/// The step an operation belongs to (none for the compiler's jumps).
fn op_step(op: &Op) -> Option<u32> {
    match op {
        Op::Act(s)
        | Op::If { step: s, .. }
        | Op::Switch { step: s, .. }
        | Op::LoopInit { step: s, .. }
        | Op::LoopTest { step: s, .. }
        | Op::Goto { step: s, .. }
        | Op::Call { step: s, .. } => Some(*s),
        Op::Jump(_) | Op::LoopNext { .. } => None,
    }
}
