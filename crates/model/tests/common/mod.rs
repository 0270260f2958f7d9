//! A tiny builder for test flows: one function per action the tests use.
#![allow(dead_code)]

use plugboard_model::flow::{Flow, Step, Subflow};

/// A flow whose Main holds `main`.
pub fn flow(main: Vec<Step>) -> Flow {
    let mut f = Flow::new("Test");
    f.subflows[0].steps = main;
    f
}

/// A flow with Main and further subflows, each `(name, steps)`.
pub fn flow_with(main: Vec<Step>, subs: Vec<(&str, Vec<Step>)>) -> Flow {
    let mut f = flow(main);
    f.subflows
        .extend(subs.into_iter().map(|(name, steps)| Subflow {
            name: name.into(),
            steps,
        }));
    f
}

pub fn step(action: &str) -> Step {
    Step::new(action)
}

/// Set variable `var` to `value`.
pub fn set(var: &str, value: &str) -> Step {
    Step::new("variables.set")
        .with_input("value", value)
        .with_output("variable", var)
}

pub fn comment(text: &str) -> Step {
    Step::new("flow.comment").with_input("comment", text)
}

pub fn display(message: &str) -> Step {
    Step::new("messages.display").with_input("message", message)
}

/// If `first` equals `second`.
pub fn if_(first: &str, children: Vec<Step>) -> Step {
    Step::new("conditionals.if")
        .with_input("first", first)
        .with_input("second", "1")
        .with_children(children)
}

pub fn else_if(first: &str) -> Step {
    Step::new("conditionals.else_if").with_input("first", first)
}

pub fn else_() -> Step {
    Step::new("conditionals.else")
}

pub fn switch(value: &str, children: Vec<Step>) -> Step {
    Step::new("conditionals.switch")
        .with_input("value", value)
        .with_children(children)
}

pub fn case(value: &str) -> Step {
    Step::new("conditionals.case").with_input("value", value)
}

pub fn default_case() -> Step {
    Step::new("conditionals.default_case")
}

/// Loop from 1 to `end` into `index`.
pub fn loop_(end: &str, index: &str, children: Vec<Step>) -> Step {
    Step::new("loops.loop")
        .with_input("end", end)
        .with_output("index", index)
        .with_children(children)
}

pub fn for_each(list: &str, item: &str, children: Vec<Step>) -> Step {
    Step::new("loops.for_each")
        .with_input("list", list)
        .with_output("item", item)
        .with_children(children)
}

pub fn exit_loop() -> Step {
    Step::new("loops.exit")
}

pub fn next_loop() -> Step {
    Step::new("loops.next")
}

pub fn label(name: &str) -> Step {
    Step::new("flow.label").with_input("name", name)
}

pub fn go_to(name: &str) -> Step {
    Step::new("flow.goto").with_input("label", name)
}

pub fn run_subflow(name: &str) -> Step {
    Step::new("flow.run_subflow").with_input("subflow", name)
}

pub fn on_block_error(children: Vec<Step>) -> Step {
    Step::new("flow.on_block_error").with_children(children)
}

pub fn disabled(mut s: Step) -> Step {
    s.enabled = false;
    s
}

/// The flow as an indented outline: a Comment shows its text, other steps the last part of
/// their action id (`if`, `loop`); disabled steps are marked `-`. Subflows after Main are
/// headed by `# Name`.
pub fn outline(f: &Flow) -> Vec<String> {
    fn go(steps: &[Step], depth: usize, out: &mut Vec<String>) {
        for s in steps {
            let name = if s.action == "flow.comment" {
                s.inputs.get("comment").cloned().unwrap_or_default()
            } else {
                s.action.rsplit('.').next().unwrap_or_default().to_string()
            };
            let mark = if s.enabled { "" } else { "-" };
            out.push(format!("{}{mark}{name}", "  ".repeat(depth)));
            go(&s.children, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for (i, sub) in f.subflows.iter().enumerate() {
        if i > 0 {
            out.push(format!("# {}", sub.name));
        }
        go(&sub.steps, 0, &mut out);
    }
    out
}

/// The id of the first step the outline shows as `name`.
pub fn id_of(f: &Flow, name: &str) -> plugboard_model::StepId {
    f.walk()
        .into_iter()
        .map(|(_, s)| s)
        .find(|s| {
            (s.action == "flow.comment"
                && s.inputs.get("comment").map(String::as_str) == Some(name))
                || (s.action != "flow.comment" && s.action.rsplit('.').next() == Some(name))
        })
        .unwrap_or_else(|| panic!("no step {name} in {:?}", outline(f)))
        .id
}
