//! Benchmark: a 10,000-step flow of standard actions run natively, steps per second.
//! `cargo run --release -p plugboard-model --example runtime_bench`

use plugboard_model::flow::{Flow, Step};
use plugboard_model::library::standard_catalog;
use plugboard_model::runtime::{drive, DateTime, Host, Options, Outcome, Run};
use plugboard_model::runtime::{
    ConnectorCall, HttpRequest, HttpResponse, InputAnswer, InputRequest, Message,
};
use std::time::Instant;

/// A host for flows that ask nothing of it.
struct Silent;

impl Host for Silent {
    fn execute(&mut self, _: &ConnectorCall) -> Result<serde_json::Value, String> {
        Err("no connectors in this benchmark".into())
    }
    fn http(&mut self, _: &HttpRequest) -> Result<HttpResponse, String> {
        Err("no HTTP in this benchmark".into())
    }
    fn wait(&mut self, _: u64) {}
    fn message(&mut self, _: &Message) -> String {
        "OK".into()
    }
    fn input(&mut self, _: &InputRequest) -> InputAnswer {
        InputAnswer {
            text: String::new(),
            button: "OK".into(),
        }
    }
    fn now(&mut self) -> DateTime {
        DateTime::new(2026, 1, 1, 0, 0, 0, 0).expect("a valid date")
    }
}

/// Two set-up steps, then 2,000 groups of five steps: Set variable with arithmetic, Increase variable, an If holding
/// a Set variable, and Replace text reading a variable.
fn flow() -> Flow {
    let mut f = Flow::new("Benchmark");
    let steps = &mut f.subflows[0].steps;
    steps.push(
        Step::new("variables.set")
            .with_input("value", "0")
            .with_output("variable", "N"),
    );
    steps.push(
        Step::new("variables.set")
            .with_input("value", "None")
            .with_output("variable", "Last"),
    );
    for i in 0..2_000 {
        steps.push(
            Step::new("variables.set")
                .with_input("value", &format!("%N * 2 + {i}%"))
                .with_output("variable", &format!("V{}", i % 100)),
        );
        steps.push(Step::new("variables.increase").with_input("variable", "N"));
        steps.push(
            Step::new("conditionals.if")
                .with_input("first", "%N mod 2%")
                .with_input("operator", "Equal to (=)")
                .with_input("second", "0")
                .with_children(vec![Step::new("variables.set")
                    .with_input("value", "Even %N%")
                    .with_output("variable", "Last")]),
        );
        steps.push(
            Step::new("text.replace")
                .with_input("text", "%Last% of many")
                .with_input("find", "many")
                .with_input("replace", "%N%")
                .with_output("result", "Text"),
        );
    }
    // Exactly 10,000 steps: the last group is cut short and filled up with Increase variable.
    let count = |steps: &[Step]| steps.iter().map(Step::count).sum::<usize>();
    while count(steps) > 10_000 {
        steps.pop();
    }
    while count(steps) < 10_000 {
        steps.push(Step::new("variables.increase").with_input("variable", "N"));
    }
    f
}

fn main() {
    let f = flow();
    let catalog = standard_catalog();
    assert_eq!(f.step_count(), 10_000);
    let rounds = 30;
    let (mut compile_ms, mut run_ms, mut steps) = (Vec::new(), Vec::new(), 0);
    for _ in 0..rounds {
        let t = Instant::now();
        let mut run = Run::new(&f, &catalog, Options::default()).expect("the flow compiles");
        compile_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let outcome = drive(&mut run, &mut Silent);
        run_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(outcome, Outcome::Succeeded);
        steps = run.steps_run();
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (compile, run) = (median(&mut compile_ms), median(&mut run_ms));
    let rate = steps as f64 / (run / 1000.0);
    println!("runtime, native (release), a 10,000-step flow of standard actions, median of {rounds} runs");
    println!("  {:<42} {:>12}", "steps run", steps);
    println!("  {:<42} {:>9.2} ms", "compile (Run::new)", compile);
    println!("  {:<42} {:>9.2} ms", "run", run);
    println!(
        "  {:<42} {:>12.0}   (no baseline or target set yet)",
        "steps per second", rate
    );
    println!(
        "  {:<42} {:>12.0}   (a 16.7 ms frame's worth)",
        "steps per frame",
        rate * 0.0167
    );
}
