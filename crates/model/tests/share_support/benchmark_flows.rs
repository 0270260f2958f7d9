//! The benchmark's generated flows, step for step as `tests/e2e/bench/flows.ts` makes them:
//! runs of Set variable / Comment and If blocks holding a Comment, Increase variable and Wait.

use plugboard_model::flow::{Flow, Step};

/// A flow of exactly `n` steps.
pub fn generate_flow(n: usize) -> Flow {
    let mut steps = Vec::new();
    let (mut made, mut k) = (0, 0);
    while made < n {
        k += 1;
        if k % 10 == 0 && n - made >= 4 {
            let children = vec![
                Step::new("flow.comment").with_input("comment", &format!("inside {k}")),
                Step::new("variables.increase")
                    .with_input("variable", "Counter")
                    .with_input("amount", "1"),
                Step::new("flow.wait").with_input("seconds", "1"),
            ];
            steps.push(
                Step::new("conditionals.if")
                    .with_input("first", "%Counter%")
                    .with_input("operator", "Less than (<)")
                    .with_input("second", &k.to_string())
                    .with_children(children),
            );
            made += 4;
        } else if k % 3 == 0 {
            let note = format!("Step {k}: a note about what follows");
            steps.push(Step::new("flow.comment").with_input("comment", &note));
            made += 1;
        } else {
            let var = if k == 1 {
                "Counter".to_string()
            } else {
                format!("Var{k}")
            };
            steps.push(
                Step::new("variables.set")
                    .with_input("value", &k.to_string())
                    .with_output("variable", &var),
            );
            made += 1;
        }
    }
    let mut flow = Flow::new(format!("Generated {n}"));
    flow.subflows[0].steps = steps;
    flow
}
