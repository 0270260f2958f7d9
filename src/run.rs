//! Running the flow in the designer: the one run (the model's `Run`), driven in slices between
//! browser frames, its phase, each step's status and duration, the breakpoints, the variables'
//! values, the run log of connector calls and the question a dialog must answer. The browser is
//! the host: connector calls and Invoke web service go to the proxy (`host`), waits are timers
//! Stop clears, message and input dialogs are asked through `ask`, the clock is the browser's.

pub mod host;

use crate::problems::ProblemView;
use crate::state::Designer;
use host::CallReport;
use leptos::prelude::*;
use plugboard_model::flow::StepId;
use plugboard_model::runtime::eval::Vars;
use plugboard_model::runtime::{
    Answer, DateTime, InputRequest, Message, Need, Options, Outcome, Run, Status,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// How long one slice of steps may run before the page gets a frame (keeps Stop and the
/// panes responsive during long runs).
const SLICE_MS: f64 = 12.0;
/// How often the Variables pane's values follow a run that keeps going.
const VARS_EVERY_MS: f64 = 250.0;
/// The most connector calls the run log keeps (the oldest go).
const MAX_CALLS: usize = 500;

/// Where the run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// No run, or the last one is over.
    Idle,
    Running,
    /// At a breakpoint or after "Run next action".
    Paused,
}

/// A step's status after it ran (its last run, for a loop's lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mark {
    Succeeded,
    Failed,
    /// The run ended without running it.
    Skipped,
}

impl Mark {
    pub fn label(self) -> &'static str {
        match self {
            Mark::Succeeded => "Succeeded",
            Mark::Failed => "Failed",
            Mark::Skipped => "Skipped",
        }
    }
}

/// A step's mark and how long its last run took (milliseconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepMark {
    pub mark: Mark,
    pub ms: f64,
}

/// One connector call (or Invoke web service request) of the run log.
#[derive(Clone, Debug, PartialEq)]
pub struct CallEntry {
    pub step: StepId,
    /// The action's catalog id (`connector:contoso-tickets/GetTicket`, `http.invoke`): the log
    /// names it from the catalog when it draws (definitions may arrive after the call).
    pub action: String,
    pub request: String,
    pub report: CallReport,
    pub ms: f64,
}

/// What a dialog of the run asks.
#[derive(Clone, Debug, PartialEq)]
pub enum Ask {
    Message(Message),
    Input(InputRequest),
}

/// How the last run ended, as the panel says it.
#[derive(Clone, Debug, PartialEq)]
pub struct Ended {
    pub ok: bool,
    pub text: String,
    /// The step it failed at, if any (the panel links to it).
    pub step: Option<StepId>,
}

/// The run in progress, outside the reactive graph.
struct Session {
    run: Run,
    /// Bumped by Stop and by a new run: answers to an older run's calls are dropped.
    generation: u64,
    /// When the step being run started (performance clock, ms).
    step_started: f64,
    /// Pause after one step ("Run next action").
    one_step: bool,
    stepped: bool,
    /// A breakpoint here does not stop the run (it was just resumed from it).
    resume_at: Option<StepId>,
    timer: Option<leptos::leptos_dom::helpers::TimeoutHandle>,
    vars_at: f64,
    marks: Vec<(StepId, StepMark)>,
}

/// The run state in context (see the module doc).
#[derive(Clone, Copy)]
pub struct Runner {
    pub phase: RwSignal<Phase>,
    /// Statuses of the steps the last run reached (and Skipped for the others once it ended).
    pub marks: RwSignal<HashMap<StepId, StepMark>>,
    /// The step running or next to run (the highlighted line).
    pub current: RwSignal<Option<StepId>>,
    pub ended: RwSignal<Option<Ended>>,
    /// Why Run was refused, when it was.
    pub refused: RwSignal<Option<String>>,
    pub calls: RwSignal<Vec<CallEntry>>,
    /// The variables' values in the current or last run.
    pub vars: RwSignal<Option<Arc<Vars>>>,
    pub ask: RwSignal<Option<Ask>>,
    pub breakpoints: RwSignal<HashSet<StepId>>,
    /// Steps run so far (shown while running; read by the benchmark).
    pub steps_run: RwSignal<u64>,
    session: StoredValue<Option<Session>, LocalStorage>,
    generation: StoredValue<u64>,
    designer: Designer,
    problems: Memo<Vec<ProblemView>>,
}

pub fn use_runner() -> Runner {
    expect_context::<Runner>()
}

/// Provide the run state (after the problems, which Run checks first).
pub fn provide_runner(d: Designer) {
    let r = Runner {
        phase: RwSignal::new(Phase::Idle),
        marks: RwSignal::new(HashMap::new()),
        current: RwSignal::new(None),
        ended: RwSignal::new(None),
        refused: RwSignal::new(None),
        calls: RwSignal::new(Vec::new()),
        vars: RwSignal::new(None),
        ask: RwSignal::new(None),
        breakpoints: RwSignal::new(HashSet::new()),
        steps_run: RwSignal::new(0),
        session: StoredValue::new_local(None),
        generation: StoredValue::new(0),
        designer: d,
        problems: crate::problems::use_problems(),
    };
    provide_context(r);
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The local date and time (Get current date and time).
fn local_now() -> DateTime {
    let t = js_sys::Date::new_0();
    DateTime::new(
        i64::from(t.get_full_year()),
        t.get_month() + 1,
        t.get_date(),
        t.get_hours(),
        t.get_minutes(),
        t.get_seconds(),
        t.get_milliseconds(),
    )
    .unwrap_or_else(|| DateTime::new(1970, 1, 1, 0, 0, 0, 0).expect("the epoch is a date"))
}

fn case(s: &str, upper: bool) -> String {
    if upper {
        crate::text::upper(s)
    } else {
        crate::text::lower(s)
    }
}

impl Runner {
    /// "Run" (F5): start a run from the top (or `from`, "Run from here"), or go on from a pause.
    pub fn run(&self, from: Option<StepId>) {
        self.go(from, false);
    }

    /// "Run next action" (F10): run one step and pause (starting a run first when none is).
    pub fn run_next(&self) {
        self.go(None, true);
    }

    fn go(&self, from: Option<StepId>, one_step: bool) {
        match self.phase.get_untracked() {
            Phase::Running => {}
            Phase::Paused => {
                let at = self.current.get_untracked();
                self.session.update_value(|s| {
                    if let Some(s) = s {
                        s.one_step = one_step;
                        s.stepped = false;
                        s.resume_at = at;
                    }
                });
                self.phase.set(Phase::Running);
                self.pump();
            }
            Phase::Idle => self.start(from, one_step),
        }
    }

    fn start(&self, from: Option<StepId>, one_step: bool) {
        let n = self.problems.with_untracked(Vec::len);
        if n > 0 {
            self.refused.set(Some(format!(
                "Run refused: the Errors panel lists {n} problem{} in this flow. Fix {} first, then run it.",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it" } else { "them" }
            )));
            return;
        }
        self.refused.set(None);
        let d = self.designer;
        let options = Options {
            seed: js_sys::Date::now() as u64,
            case,
            ..Options::default()
        };
        let run = d.editor.with_untracked(|e| {
            d.catalog.with_value(|c| match from {
                Some(id) => Run::from_step(e.flow(), c, options, id),
                None => Run::new(e.flow(), c, options),
            })
        });
        self.marks.set(HashMap::new());
        self.calls.set(Vec::new());
        self.steps_run.set(0);
        self.ask.set(None);
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        let run = match run {
            Ok(run) => run,
            Err(failure) => {
                if let Some(step) = failure.step {
                    self.marks.update(|m| {
                        m.insert(
                            step,
                            StepMark {
                                mark: Mark::Failed,
                                ms: 0.0,
                            },
                        );
                    });
                }
                self.vars.set(None);
                self.ended.set(Some(Ended {
                    ok: false,
                    text: Outcome::Failed(failure.clone()).to_string(),
                    step: failure.step,
                }));
                return;
            }
        };
        self.vars.set(Some(Arc::new(Vars::new())));
        self.ended.set(None);
        self.session.set_value(Some(Session {
            run,
            generation,
            step_started: now_ms(),
            one_step,
            stepped: false,
            resume_at: None,
            timer: None,
            vars_at: 0.0,
            marks: Vec::new(),
        }));
        self.phase.set(Phase::Running);
        self.pump();
    }

    /// "Stop" (Shift+F5): end the run now, whatever it waits on.
    pub fn stop(&self) {
        let Some(mut s) = self.session.try_update_value(Option::take).flatten() else {
            return;
        };
        if let Some(t) = s.timer.take() {
            t.clear();
        }
        s.run.cancel();
        self.generation.set_value(s.generation + 1);
        self.ask.set(None);
        self.finish(s);
    }

    /// Toggle the breakpoint on a step (a click on its line number, F9).
    pub fn toggle_breakpoint(&self, id: StepId) {
        self.breakpoints.update(|b| {
            if !b.remove(&id) {
                b.insert(id);
            }
        });
    }

    /// The answer to what the run waits on (a dialog's button, a call's result, a timer).
    pub fn reply(&self, answer: Answer) {
        self.reply_to(self.generation.get_value(), answer);
    }

    fn reply_to(&self, generation: u64, answer: Answer) {
        if generation != self.generation.get_value() {
            return;
        }
        let ok = self
            .session
            .try_update_value(|s| {
                let Some(s) = s.as_mut() else { return false };
                s.timer = None;
                s.run.answer(answer);
                let now = now_ms();
                collect(s, now);
                true
            })
            .unwrap_or(false);
        self.ask.set(None);
        if ok {
            self.pump();
        }
    }

    /// Run steps until the run needs the host, pauses, ends or has used its slice.
    fn pump(&self) {
        let r = *self;
        let deadline = now_ms() + SLICE_MS;
        let breakpoints = self.breakpoints.get_untracked();
        loop {
            let Some(step) = self.session.try_update_value(|s| {
                let s = s.as_mut()?;
                let next = s.run.next_step();
                let at_break =
                    next.is_some_and(|n| breakpoints.contains(&n) && s.resume_at != Some(n));
                if next.is_some() && (at_break || (s.one_step && s.stepped)) {
                    return Some(Err(()));
                }
                s.resume_at = None;
                s.step_started = now_ms();
                s.stepped = true;
                let need = s.run.step();
                collect(s, now_ms());
                Some(Ok((need, s.generation)))
            }) else {
                return;
            };
            let Some(step) = step else { return };
            let (need, generation) = match step {
                Err(()) => {
                    self.publish(true);
                    self.phase.set(Phase::Paused);
                    return;
                }
                Ok(x) => x,
            };
            match need {
                Need::Ready => {
                    if now_ms() > deadline {
                        self.publish(false);
                        set_timeout(move || r.pump(), std::time::Duration::ZERO);
                        return;
                    }
                }
                Need::Done(_) => {
                    if let Some(s) = self.session.try_update_value(Option::take).flatten() {
                        self.finish(s);
                    }
                    return;
                }
                Need::Now => {
                    self.session.update_value(|s| {
                        if let Some(s) = s {
                            s.run.answer(Answer::Now(local_now()));
                            collect(s, now_ms());
                        }
                    });
                }
                Need::Wait { ms } => {
                    self.publish(true);
                    let handle = leptos::leptos_dom::helpers::set_timeout_with_handle(
                        move || r.reply_to(generation, Answer::Waited),
                        std::time::Duration::from_millis(ms),
                    )
                    .ok();
                    self.session.update_value(|s| {
                        if let Some(s) = s {
                            s.timer = handle;
                        }
                    });
                    return;
                }
                Need::Message(m) => {
                    self.publish(true);
                    self.ask.set(Some(Ask::Message(m)));
                    return;
                }
                Need::Input(q) => {
                    self.publish(true);
                    self.ask.set(Some(Ask::Input(q)));
                    return;
                }
                Need::Connector(call) => {
                    self.publish(true);
                    let request = host::connector_request(&call);
                    let action = format!("connector:{}/{}", call.connector_id, call.operation_id);
                    self.call(generation, call.step, action, request, false);
                    return;
                }
                Need::Http(req) => {
                    self.publish(true);
                    match host::web_request(&req) {
                        Ok(request) => {
                            self.call(generation, req.step, "http.invoke".into(), request, true)
                        }
                        Err(m) => self.reply_to(generation, Answer::Http(Err(m))),
                    }
                    return;
                }
            }
        }
    }

    /// Send a call to the proxy; its answer goes back to the run (if the run is still the same).
    fn call(
        &self,
        generation: u64,
        step: StepId,
        action: String,
        request: plugboard_model::execute::ExecuteRequest,
        web: bool,
    ) {
        let r = *self;
        let Some(env) = self.designer.cloud.env.get_untracked() else {
            let m = "Sign in and choose an environment to run connector actions".to_string();
            let answer = if web {
                Answer::Http(Err(m))
            } else {
                Answer::Connector(Err(m))
            };
            // Answered in a later task, so a retry policy's loop never recurses here.
            set_timeout(
                move || r.reply_to(generation, answer),
                std::time::Duration::ZERO,
            );
            return;
        };
        let started = now_ms();
        let summary = host::summary(&request.inputs);
        wasm_bindgen_futures::spawn_local(async move {
            let (answer, report) = if web {
                let (a, report) = host::call_web(&env, &request).await;
                (Answer::Http(a), report)
            } else {
                let (a, report) = host::call_connector(&env, &request).await;
                (Answer::Connector(a), report)
            };
            if generation != r.generation.get_value() {
                return;
            }
            let entry = CallEntry {
                step,
                action,
                request: summary,
                report,
                ms: now_ms() - started,
            };
            r.calls.update(|c| {
                if c.len() >= MAX_CALLS {
                    c.remove(0);
                }
                c.push(entry);
            });
            r.reply_to(generation, answer);
        });
    }

    /// Show what the run did since the last time: marks, the current line, the values.
    fn publish(&self, vars_now: bool) {
        let now = now_ms();
        let Some((marks, vars, current, steps)) = self
            .session
            .try_update_value(|s| {
                let s = s.as_mut()?;
                let vars = (vars_now || now - s.vars_at > VARS_EVERY_MS).then(|| {
                    s.vars_at = now;
                    Arc::new(s.run.variables().clone())
                });
                Some((
                    std::mem::take(&mut s.marks),
                    vars,
                    s.run.next_step(),
                    s.run.steps_run(),
                ))
            })
            .flatten()
        else {
            return;
        };
        if !marks.is_empty() {
            self.marks.update(|m| m.extend(marks));
        }
        if let Some(v) = vars {
            self.vars.set(Some(v));
        }
        if self.current.get_untracked() != current {
            self.current.set(current);
        }
        self.steps_run.set(steps);
    }

    /// The run is over: its last marks, Skipped for the steps it never reached, its outcome.
    fn finish(&self, mut s: Session) {
        collect(&mut s, now_ms());
        let marks = std::mem::take(&mut s.marks);
        let d = self.designer;
        let all: Vec<StepId> = d
            .editor
            .with_untracked(|e| e.flow().walk().into_iter().map(|(_, st)| st.id).collect());
        self.marks.update(|m| {
            m.extend(marks);
            for id in all {
                m.entry(id).or_insert(StepMark {
                    mark: Mark::Skipped,
                    ms: 0.0,
                });
            }
        });
        self.vars.set(Some(Arc::new(s.run.variables().clone())));
        self.steps_run.set(s.run.steps_run());
        let outcome = s.run.outcome().cloned().unwrap_or(Outcome::Succeeded);
        self.ended.set(Some(Ended {
            ok: outcome == Outcome::Succeeded,
            text: outcome.to_string(),
            step: match &outcome {
                Outcome::Failed(f) => f.step,
                _ => None,
            },
        }));
        self.current.set(None);
        self.ask.set(None);
        self.phase.set(Phase::Idle);
    }
}

/// Take the run's new log lines as marks, timed from the start of the step being run.
fn collect(s: &mut Session, now: f64) {
    let ms = (now - s.step_started).max(0.0);
    for entry in s.run.drain_log() {
        let mark = match entry.status {
            Status::Succeeded => Mark::Succeeded,
            Status::Failed(_) => Mark::Failed,
        };
        s.marks.push((entry.step, StepMark { mark, ms }));
    }
}
