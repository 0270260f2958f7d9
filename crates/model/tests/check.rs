//! The flow checker, rule by rule: each case is a small flow and the problems it must produce,
//! written as the Errors panel shows them (`Main, line 3: …`).

mod common;

use common::*;
use plugboard_model::check::{check, Problem};
use plugboard_model::flow::{Flow, Step};
use plugboard_model::library::standard_catalog;

/// Check every case and report all mismatches at once.
fn check_cases(cases: Vec<(&str, Flow, &[&str])>) {
    let cat = standard_catalog();
    let mut failures = Vec::new();
    for (name, flow, expected) in cases {
        let got: Vec<String> = check(&flow, &cat).iter().map(Problem::to_string).collect();
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected {expected:#?}\n  got      {got:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_well_formed_flow_has_no_problems() {
    check_cases(vec![
        ("empty flow", flow(vec![]), &[]),
        (
            "set then use",
            flow(vec![set("A", "5"), display("A is %A%")]),
            &[],
        ),
        (
            "every block shape",
            flow(vec![
                set("A", "1"),
                if_(
                    "%A%",
                    vec![comment("x"), else_if("%A%"), comment("y"), else_()],
                ),
                switch("%A%", vec![case("1"), comment("one"), default_case()]),
                loop_("3", "I", vec![if_("%I%", vec![exit_loop()]), next_loop()]),
                for_each("%A%", "Item", vec![on_block_error(vec![exit_loop()])]),
                label("Done"),
                go_to("Done"),
            ]),
            &[],
        ),
    ]);
}

#[test]
fn unknown_action() {
    check_cases(vec![
        (
            "not in the library",
            flow(vec![step("nope.frobnicate")]),
            &[r#"Main, line 1: "nope.frobnicate" is not an action in the library"#],
        ),
        (
            "its children are still checked",
            flow(vec![step("nope.block").with_children(vec![exit_loop()])]),
            &[
                r#"Main, line 1: "nope.block" is not an action in the library"#,
                "Main, line 2: Exit loop is outside a loop",
            ],
        ),
        (
            "a connector action of a connector (or an action) this proxy lacks",
            flow(vec![step("connector:nowhere-crm/FindPeople")]),
            &[
                r#"Main, line 1: Unknown action: this proxy has no action "FindPeople" of connector "nowhere-crm""#,
            ],
        ),
    ]);
}

#[test]
fn missing_required_input() {
    check_cases(vec![
        (
            "no value",
            flow(vec![Step::new("variables.set").with_output("variable", "A")]),
            &[r#"Main, line 1: Set variable: "Value" is required"#],
        ),
        (
            "blank value",
            flow(vec![set("A", "  ")]),
            &[r#"Main, line 1: Set variable: "Value" is required"#],
        ),
        (
            "a default fills it",
            flow(vec![loop_("3", "I", vec![])]),
            &[],
        ),
        (
            "optional inputs may stay empty",
            flow(vec![comment("")]),
            &[],
        ),
        (
            "several missing, in parameter order",
            flow(vec![Step::new("datetime.add")]),
            &[
                r#"Main, line 1: Add to datetime: "Datetime" is required"#,
                r#"Main, line 1: Add to datetime: "Add" is required"#,
            ],
        ),
        (
            "inside a block",
            flow(vec![loop_("3", "I", vec![Step::new("flow.wait")])]),
            &[r#"Main, line 2: Wait: "Duration (seconds)" is required"#],
        ),
    ]);
}

#[test]
fn invalid_expression_says_where() {
    check_cases(vec![
        (
            "unclosed",
            flow(vec![set("A", "ab %B")]),
            &[
                r#"Main, line 1: Set variable: "Value" has an invalid expression at character 4: a % opens an expression that is never closed"#,
            ],
        ),
        (
            "empty",
            flow(vec![set("A", "% %")]),
            &[
                r#"Main, line 1: Set variable: "Value" has an invalid expression at character 1: an expression between % signs is empty"#,
            ],
        ),
        (
            "a doubled percent is a literal",
            flow(vec![set("A", "100%%")]),
            &[],
        ),
        (
            "an unknown input is still parsed",
            flow(vec![set("A", "1").with_input("extra", "%")]),
            &[
                r#"Main, line 1: Set variable: "extra" has an invalid expression at character 1: a % opens an expression that is never closed"#,
            ],
        ),
    ]);
}

#[test]
fn variable_used_before_it_is_produced() {
    check_cases(vec![
        (
            "used on an earlier line",
            flow(vec![display("%A%"), set("A", "1")]),
            &["Main, line 1: Display message: variable %A% is used before any step produces it"],
        ),
        (
            "a step's own output is not known to its inputs",
            flow(vec![set("A", "%A + 1%")]),
            &["Main, line 1: Set variable: variable %A% is used before any step produces it"],
        ),
        (
            "properties and indexes use the variable",
            flow(vec![display("%P.Name% %L[0]%")]),
            &[
                "Main, line 1: Display message: variable %P% is used before any step produces it",
                "Main, line 1: Display message: variable %L% is used before any step produces it",
            ],
        ),
        (
            "reported once per step",
            flow(vec![display("%A% %A%")]),
            &["Main, line 1: Display message: variable %A% is used before any step produces it"],
        ),
        (
            "a loop index is known inside its block",
            flow(vec![loop_("3", "I", vec![display("%I%")]), display("%I%")]),
            &[],
        ),
        (
            "a For each item is known inside its block, its list is not",
            flow(vec![for_each("%L%", "X", vec![display("%X%")])]),
            &["Main, line 1: For each: variable %L% is used before any step produces it"],
        ),
        (
            "set inside a block, used after it",
            flow(vec![if_("%A%", vec![set("B", "1")]), display("%B%")]),
            &["Main, line 1: If: variable %A% is used before any step produces it"],
        ),
        (
            "End lines count in line numbers",
            flow(vec![if_("1", vec![comment("a")]), display("%X%")]),
            &["Main, line 4: Display message: variable %X% is used before any step produces it"],
        ),
        (
            "produced in another subflow counts as known",
            flow_with(
                vec![run_subflow("Other"), display("%B%")],
                vec![("Other", vec![set("B", "1")])],
            ),
            &[],
        ),
        (
            "produced later in another subflow also counts",
            flow_with(
                vec![set("B", "1")],
                vec![("Other", vec![display("%B%"), display("%C%")])],
            ),
            &["Other, line 2: Display message: variable %C% is used before any step produces it"],
        ),
        (
            "an unconfigured output produces the action's default variable",
            flow(vec![
                Step::new("text.trim").with_input("text", "x"),
                display("%TrimmedText%"),
            ]),
            &[],
        ),
        (
            "a variable-name input uses that variable",
            flow(vec![Step::new("variables.increase").with_input("variable", "Count")]),
            &["Main, line 1: Increase variable: variable %Count% is used before any step produces it"],
        ),
        (
            "a variable-name input after the variable is set",
            flow(vec![
                set("Count", "0"),
                Step::new("variables.increase").with_input("variable", "Count"),
                Step::new("variables.increase").with_input("variable", "%Count%"),
            ]),
            &[],
        ),
        (
            "a variable-name input must be a name",
            flow(vec![Step::new("variables.increase").with_input("variable", "1st")]),
            &[r#"Main, line 1: Increase variable: "Variable name" is not a valid variable name: 1st"#],
        ),
        (
            "a disabled step produces nothing",
            flow(vec![disabled(set("A", "1")), display("%A%")]),
            &["Main, line 2: Display message: variable %A% is used before any step produces it"],
        ),
    ]);
}

#[test]
fn disabled_steps_are_not_checked() {
    check_cases(vec![
        (
            "disabled step with problems",
            flow(vec![
                disabled(display("%Nope%")),
                disabled(step("nope.x")),
                disabled(else_()),
            ]),
            &[],
        ),
        (
            "nor are the steps inside a disabled block",
            flow(vec![disabled(if_("%A%", vec![exit_loop()]))]),
            &[],
        ),
        (
            "a disabled Else does not count as the If's Else",
            flow(vec![if_(
                "1",
                vec![disabled(else_()), else_if("1"), else_()],
            )]),
            &[],
        ),
    ]);
}

#[test]
fn clauses_belong_to_their_block() {
    check_cases(vec![
        (
            "Else outside If",
            flow(vec![else_()]),
            &["Main, line 1: Else is outside an If block"],
        ),
        (
            "Else if inside a loop",
            flow(vec![loop_("2", "I", vec![else_if("1")])]),
            &["Main, line 2: Else if is outside an If block"],
        ),
        (
            "Case outside Switch",
            flow(vec![if_("1", vec![case("1")])]),
            &["Main, line 2: Case is outside a Switch block"],
        ),
        (
            "Default case at top level",
            flow(vec![default_case()]),
            &["Main, line 1: Default case is outside a Switch block"],
        ),
        (
            "Else nested deeper than its If",
            flow(vec![if_("1", vec![on_block_error(vec![else_()])])]),
            &["Main, line 3: Else is outside an If block"],
        ),
        (
            "Else under a plain action",
            flow(vec![comment("x").with_children(vec![else_()])]),
            &[
                "Main, line 1: Comment cannot hold other actions",
                "Main, line 2: Else is outside an If block",
            ],
        ),
    ]);
}

#[test]
fn clause_order_in_if_and_switch() {
    check_cases(vec![
        (
            "two Elses",
            flow(vec![if_("1", vec![else_(), else_()])]),
            &["Main, line 3: Else: an If can have only one Else"],
        ),
        (
            "Else if after Else",
            flow(vec![if_("1", vec![else_(), comment("x"), else_if("2")])]),
            &["Main, line 4: Else if must come before the Else of its If"],
        ),
        (
            "Case after Default case",
            flow(vec![switch("1", vec![default_case(), case("2")])]),
            &["Main, line 3: Case must come before the Default case of its Switch"],
        ),
        (
            "two Default cases",
            flow(vec![switch(
                "1",
                vec![case("1"), default_case(), default_case()],
            )]),
            &["Main, line 4: Default case: a Switch can have only one Default case"],
        ),
        (
            "steps in a Switch before its first Case",
            flow(vec![switch(
                "1",
                vec![comment("x"), display("y"), case("1")],
            )]),
            &[
                "Main, line 2: Comment is inside a Switch but not in any Case",
                "Main, line 3: Display message is inside a Switch but not in any Case",
            ],
        ),
        (
            "a Switch with only a Default case",
            flow(vec![switch("1", vec![default_case(), comment("x")])]),
            &[],
        ),
    ]);
}

#[test]
fn exit_and_next_loop_need_a_loop() {
    check_cases(vec![
        (
            "Exit loop at top level",
            flow(vec![exit_loop()]),
            &["Main, line 1: Exit loop is outside a loop"],
        ),
        (
            "Next loop in an If",
            flow(vec![if_("1", vec![next_loop()])]),
            &["Main, line 2: Next loop is outside a loop"],
        ),
        (
            "inside an If inside a Loop",
            flow(vec![loop_("2", "I", vec![if_("1", vec![exit_loop()])])]),
            &[],
        ),
        (
            "inside Loop condition",
            flow(vec![Step::new("loops.condition")
                .with_input("first", "1")
                .with_children(vec![next_loop()])]),
            &[],
        ),
        (
            "after the loop's End",
            flow(vec![loop_("2", "I", vec![]), exit_loop()]),
            &["Main, line 3: Exit loop is outside a loop"],
        ),
        (
            "a loop in another subflow does not count",
            flow_with(
                vec![loop_("2", "I", vec![run_subflow("S")])],
                vec![("S", vec![exit_loop()])],
            ),
            &["S, line 1: Exit loop is outside a loop"],
        ),
    ]);
}

#[test]
fn go_to_needs_a_label() {
    check_cases(vec![
        (
            "no such label",
            flow(vec![go_to("Finish")]),
            &[r#"Main, line 1: Go to: there is no label "Finish" in this subflow"#],
        ),
        (
            "a label later or inside a block is fine",
            flow(vec![go_to("L"), if_("1", vec![label("L")])]),
            &[],
        ),
        (
            "a label in another subflow does not count",
            flow_with(vec![go_to("L")], vec![("S", vec![label("L")])]),
            &[r#"Main, line 1: Go to: there is no label "L" in this subflow"#],
        ),
        (
            "a disabled label does not count",
            flow(vec![disabled(label("L")), go_to("L")]),
            &[r#"Main, line 2: Go to: there is no label "L" in this subflow"#],
        ),
        (
            "two labels with one name",
            flow(vec![label("L"), go_to("L"), label("L")]),
            &[r#"Main, line 3: Label: another label is already named "L""#],
        ),
    ]);
}

#[test]
fn run_subflow_needs_the_subflow() {
    check_cases(vec![
        (
            "missing subflow",
            flow(vec![run_subflow("Nope")]),
            &[r#"Main, line 1: Run subflow: there is no subflow named "Nope""#],
        ),
        (
            "existing subflow",
            flow_with(vec![run_subflow("Helper")], vec![("Helper", vec![])]),
            &[],
        ),
    ]);
}

#[test]
fn children_under_a_plain_action() {
    check_cases(vec![
        (
            "Comment holding a step",
            flow(vec![comment("x").with_children(vec![display("y")])]),
            &["Main, line 1: Comment cannot hold other actions"],
        ),
        (
            "a clause holding steps",
            flow(vec![if_(
                "1",
                vec![else_().with_children(vec![display("%Q%")])],
            )]),
            &[
                "Main, line 2: Else cannot hold other actions",
                "Main, line 3: Display message: variable %Q% is used before any step produces it",
            ],
        ),
    ]);
}

#[test]
fn problems_are_in_line_order_across_subflows() {
    check_cases(vec![(
        "several rules at once",
        flow_with(
            vec![
                display("%A%"),
                if_("1", vec![else_(), else_()]),
                exit_loop(),
            ],
            vec![("S", vec![go_to("x"), else_()])],
        ),
        &[
            "Main, line 1: Display message: variable %A% is used before any step produces it",
            "Main, line 4: Else: an If can have only one Else",
            "Main, line 6: Exit loop is outside a loop",
            r#"S, line 1: Go to: there is no label "x" in this subflow"#,
            "S, line 2: Else is outside an If block",
        ],
    )]);
}

#[test]
fn a_problem_names_its_step_subflow_and_line() {
    let bad = exit_loop();
    let f = flow_with(vec![], vec![("S", vec![comment("x"), bad.clone()])]);
    let problems = check(&f, &standard_catalog());
    assert_eq!(
        problems,
        vec![Problem {
            subflow: 1,
            step: bad.id,
            line: 2,
            path: "S, line 2".into(),
            message: "Exit loop is outside a loop".into(),
        }]
    );
    assert_eq!(
        problems[0].to_string(),
        "S, line 2: Exit loop is outside a loop"
    );
    assert_eq!(
        Problem::FIELDS,
        ["subflow", "step", "line", "path", "message"]
    );
}

#[test]
fn checks_a_ten_thousand_step_flow() {
    let mut steps = vec![set("A", "0")];
    for i in 0..2_000 {
        steps.push(loop_(
            "3",
            "I",
            vec![
                Step::new("variables.increase").with_input("variable", "A"),
                if_("%I%", vec![display(&format!("{i} %A%")), exit_loop()]),
            ],
        ));
    }
    let f = flow(steps);
    assert!(f.step_count() > 10_000);
    assert_eq!(check(&f, &standard_catalog()), vec![]);
}

#[test]
fn on_error_go_to_needs_a_label() {
    let with_policy = |label: &str, continue_flow: bool| {
        let mut s = set("A", "1");
        s.on_error = Some(plugboard_model::OnError {
            retries: 0,
            interval_secs: 0,
            continue_flow,
            go_to_label: Some(label.into()),
        });
        s
    };
    check_cases(vec![
        (
            "the label is there",
            flow(vec![with_policy("Done", true), label("Done")]),
            &[],
        ),
        (
            "no such label",
            flow(vec![with_policy("Gone", true)]),
            &[
                r#"Main, line 1: Set variable: On error goes to label "Gone", which is not in this subflow"#,
            ],
        ),
        (
            "a policy that stops goes to no label",
            flow(vec![with_policy("Gone", false)]),
            &[],
        ),
    ]);
}
