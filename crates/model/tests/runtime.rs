//! The flow runtime, feature by feature: each case is a small flow, what its host answers, and
//! the variables, host conversation and outcome the run must end with.

mod common;

use common::{exit_loop, flow, flow_with, go_to, label, next_loop, run_subflow, set, step};
use plugboard_model::flow::{Flow, OnError, Step};
use plugboard_model::library::standard_catalog;
use plugboard_model::runtime::{
    drive, Answer, ConnectorCall, DateTime, Host, HttpRequest, HttpResponse, InputAnswer,
    InputRequest, Message, Need, Options, Outcome, Run, Status,
};
use std::collections::VecDeque;

/// A host that answers from queues and writes down everything it was asked.
#[derive(Default)]
struct Script {
    connector: VecDeque<Result<serde_json::Value, String>>,
    http: VecDeque<Result<HttpResponse, String>>,
    buttons: VecDeque<&'static str>,
    inputs: VecDeque<&'static str>,
    asked: Vec<String>,
    /// Cancel before the step after this many steps.
    cancel_after: Option<usize>,
    steps: usize,
}

impl Script {
    fn new() -> Self {
        Script::default()
    }
    fn connector(mut self, r: Result<serde_json::Value, &str>) -> Self {
        self.connector.push_back(r.map_err(String::from));
        self
    }
    fn http(mut self, status: u16, body: &str) -> Self {
        self.http.push_back(Ok(HttpResponse {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: body.into(),
        }));
        self
    }
    fn button(mut self, b: &'static str) -> Self {
        self.buttons.push_back(b);
        self
    }
    fn input(mut self, text: &'static str) -> Self {
        self.inputs.push_back(text);
        self
    }
}

impl Host for Script {
    fn execute(&mut self, call: &ConnectorCall) -> Result<serde_json::Value, String> {
        self.asked.push(format!(
            "call {} {}/{} {}",
            call.reference,
            call.connector_id,
            call.operation_id,
            serde_json::Value::Object(call.inputs.clone())
        ));
        self.connector
            .pop_front()
            .unwrap_or_else(|| Err("the script has no more connector answers".into()))
    }
    fn http(&mut self, r: &HttpRequest) -> Result<HttpResponse, String> {
        self.asked.push(format!(
            "http {} {} {:?} {:?}",
            r.method, r.url, r.headers, r.body
        ));
        self.http
            .pop_front()
            .unwrap_or_else(|| Err("the script has no more HTTP answers".into()))
    }
    fn wait(&mut self, ms: u64) {
        self.asked.push(format!("wait {ms}"));
    }
    fn message(&mut self, m: &Message) -> String {
        self.asked.push(format!(
            "message {:?} {:?} {:?}",
            m.title, m.message, m.buttons
        ));
        self.buttons.pop_front().unwrap_or("OK").to_string()
    }
    fn input(&mut self, r: &InputRequest) -> InputAnswer {
        self.asked
            .push(format!("input {:?} default {:?}", r.message, r.default));
        match self.inputs.pop_front() {
            Some(text) => InputAnswer {
                text: text.into(),
                button: "OK".into(),
            },
            None => InputAnswer {
                text: String::new(),
                button: "Cancel".into(),
            },
        }
    }
    fn now(&mut self) -> DateTime {
        DateTime::new(2026, 12, 1, 9, 41, 15, 250).unwrap()
    }
    fn cancelled(&mut self) -> bool {
        self.steps += 1;
        self.cancel_after.is_some_and(|n| self.steps > n)
    }
}

/// What one case expects.
struct Case {
    name: &'static str,
    flow: Flow,
    script: Script,
    /// Every variable at the end, as `Name = text form`, sorted by name.
    vars: &'static [&'static str],
    /// Everything the host was asked, in order.
    asked: &'static [&'static str],
    /// The outcome's sentence.
    outcome: &'static str,
}

fn run_case(flow: &Flow, script: &mut Script, options: Options) -> (Vec<String>, String) {
    let catalog = standard_catalog();
    match Run::new(flow, &catalog, options) {
        Err(failure) => (Vec::new(), format!("not run: {failure}")),
        Ok(mut run) => {
            let outcome = drive(&mut run, script);
            let vars = run
                .variables()
                .iter()
                .map(|(k, v)| format!("{k} = {}", v.to_text()))
                .collect();
            (vars, outcome.to_string())
        }
    }
}

/// Run every case and report all mismatches at once.
fn check_runs(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for mut c in cases {
        let (vars, outcome) = run_case(&c.flow, &mut c.script, Options::default());
        if vars != c.vars || c.script.asked != c.asked || outcome != c.outcome {
            failures.push(format!(
                "{}:\n  expected {:#?}\n  {:#?}\n  {}\n  got      {vars:#?}\n  {:#?}\n  {outcome}",
                c.name, c.vars, c.asked, c.outcome, c.script.asked
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const OK: &str = "Flow run succeeded";

fn with(action: &str, inputs: &[(&str, &str)]) -> Step {
    inputs
        .iter()
        .fold(Step::new(action), |s, (k, v)| s.with_input(k, v))
}

fn out(s: Step, name: &str, var: &str) -> Step {
    s.with_output(name, var)
}

fn cond(action: &str, first: &str, op: &str, second: &str) -> Step {
    with(
        action,
        &[("first", first), ("operator", op), ("second", second)],
    )
}

fn if_(first: &str, op: &str, second: &str, children: Vec<Step>) -> Step {
    cond("conditionals.if", first, op, second).with_children(children)
}

fn increase(var: &str, by: &str) -> Step {
    with("variables.increase", &[("variable", var), ("amount", by)])
}

fn display(message: &str) -> Step {
    with("messages.display", &[("message", message)])
}

fn connector(op: &str, inputs: &[(&str, &str)], var: &str) -> Step {
    let mut s = out(
        with(&format!("connector:contoso/{op}"), inputs),
        "body",
        var,
    );
    s.reference = Some("pb_contoso_1".into());
    s
}

fn on_error(
    mut s: Step,
    retries: u32,
    secs: u32,
    continue_flow: bool,
    label: Option<&str>,
) -> Step {
    s.on_error = Some(OnError {
        retries,
        interval_secs: secs,
        continue_flow,
        go_to_label: label.map(String::from),
    });
    s
}

fn loop_(start: &str, end: &str, by: &str, index: &str, children: Vec<Step>) -> Step {
    out(
        with(
            "loops.loop",
            &[("start", start), ("end", end), ("step", by)],
        ),
        "index",
        index,
    )
    .with_children(children)
}

fn for_each(list: &str, item: &str, children: Vec<Step>) -> Step {
    out(with("loops.for_each", &[("list", list)]), "item", item).with_children(children)
}

#[test]
fn variables_and_expressions() {
    check_runs(vec![
        Case {
            name: "set, increase, decrease, arithmetic and text",
            flow: flow(vec![
                set("A", "5"),
                set("B", "%A + 2%"),
                increase("A", "3"),
                with(
                    "variables.decrease",
                    &[("variable", "B"), ("amount", "1.5")],
                ),
                set("T", "A is %A%, 100%%"),
                set("Code", "007x"),
                set("Zero", "007"),
                set("Yes", "%A > 7 and B < 6%"),
            ]),
            script: Script::new(),
            vars: &[
                "A = 8",
                "B = 5.5",
                "Code = 007x",
                "T = A is 8, 100%",
                "Yes = True",
                "Zero = 7",
            ],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "truncate and random",
            flow: flow(vec![
                out(
                    with(
                        "variables.truncate",
                        &[("number", "-3.75"), ("operation", "Get integer part")],
                    ),
                    "result",
                    "I",
                ),
                out(
                    with(
                        "variables.truncate",
                        &[("number", "3.75"), ("operation", "Get decimal part")],
                    ),
                    "result",
                    "F",
                ),
                out(
                    with(
                        "variables.truncate",
                        &[
                            ("number", "3.14159"),
                            ("operation", "Round number"),
                            ("decimals", "2"),
                        ],
                    ),
                    "result",
                    "R",
                ),
                out(
                    with("variables.random", &[("min", "7"), ("max", "7")]),
                    "result",
                    "Seven",
                ),
                out(
                    with(
                        "variables.random",
                        &[
                            ("min", "1"),
                            ("max", "6"),
                            ("multiple", "True"),
                            ("count", "3"),
                        ],
                    ),
                    "result",
                    "Dice",
                ),
                set(
                    "DiceOk",
                    "%Dice.Count = 3 and Dice[0] >= 1 and Dice[2] <= 6%",
                ),
                // The dice depend on the seed: only their shape is compared.
                set("Dice", "DICE"),
            ]),
            script: Script::new(),
            vars: &[
                "Dice = DICE",
                "DiceOk = True",
                "F = 0.75",
                "I = -3",
                "R = 3.14",
                "Seven = 7",
            ],
            asked: &[],
            outcome: OK,
        },
    ]);
}

#[test]
fn conditions_compare_with_every_operator() {
    let table: &[(&str, &str, &str, bool)] = &[
        ("5", "Equal to (=)", "5.0", true),
        ("abc", "Equal to (=)", "ABC", false),
        ("5", "Not equal to (<>)", "6", true),
        ("10", "Greater than (>)", "9", true),
        ("b", "Greater than (>)", "a", true),
        ("5", "Greater than or equal to (>=)", "5", true),
        ("2026-01-02", "Less than (<)", "2026-01-10", true),
        ("5", "Less than or equal to (<=)", "4", false),
        ("Hello world", "Contains", "o w", true),
        ("%[1, 2, 3]%", "Contains", "2", true),
        ("%[1, 2, 3]%", "Does not contain", "4", true),
        ("", "Is empty", "", true),
        ("%[]%", "Is empty", "", true),
        ("x", "Is not empty", "", true),
        ("Hello", "Starts with", "He", true),
        ("Hello", "Ends with", "lo", true),
        ("Hello", "Ends with", "He", false),
    ];
    let catalog = standard_catalog();
    for (a, op, b, want) in table {
        let f = flow(vec![set("R", "no"), if_(a, op, b, vec![set("R", "yes")])]);
        let mut run = Run::new(&f, &catalog, Options::default()).unwrap();
        assert_eq!(drive(&mut run, &mut Script::new()), Outcome::Succeeded);
        let got = run.variables()["R"].to_text() == "yes";
        assert_eq!(got, *want, "{a:?} {op} {b:?}");
    }
}

#[test]
fn conditionals_loops_and_jumps() {
    let else_if =
        |first: &str, op: &str, second: &str| cond("conditionals.else_if", first, op, second);
    let case = |v: &str| with("conditionals.case", &[("value", v)]);
    check_runs(vec![
        Case {
            name: "If, Else if, Else",
            flow: flow(vec![
                set("N", "5"),
                if_(
                    "%N%",
                    "Greater than (>)",
                    "10",
                    vec![
                        set("X", "big"),
                        else_if("%N%", "Greater than or equal to (>=)", "5"),
                        set("X", "mid"),
                        step("conditionals.else"),
                        set("X", "small"),
                    ],
                ),
                if_(
                    "%N%",
                    "Equal to (=)",
                    "0",
                    vec![
                        set("Y", "zero"),
                        step("conditionals.else"),
                        set("Y", "other"),
                    ],
                ),
            ]),
            script: Script::new(),
            vars: &["N = 5", "X = mid", "Y = other"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "Switch runs the first matching Case, else Default case",
            flow: flow(vec![
                set("V", "b"),
                with("conditionals.switch", &[("value", "%V%")]).with_children(vec![
                    case("a"),
                    set("R", "1"),
                    case("b"),
                    set("R", "2"),
                    case("b"),
                    set("R", "again"),
                    step("conditionals.default_case"),
                    set("R", "3"),
                ]),
                with("conditionals.switch", &[("value", "z")]).with_children(vec![
                    case("a"),
                    set("S", "1"),
                    step("conditionals.default_case"),
                    set("S", "default"),
                ]),
                with("conditionals.switch", &[("value", "z")]).with_children(vec![
                    with(
                        "conditionals.case",
                        &[("operator", "Starts with"), ("value", "q")],
                    ),
                    set("T", "q"),
                ]),
            ]),
            script: Script::new(),
            vars: &["R = 2", "S = default", "V = b"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "Loop up and down, with its index",
            flow: flow(vec![
                set("Up", "0"),
                loop_("1", "5", "2", "I", vec![set("Up", "%Up + I%")]),
                set("Down", ""),
                loop_("3", "1", "-1", "J", vec![set("Down", "%Down%%J%")]),
                loop_("5", "1", "1", "Never", vec![set("Ran", "yes")]),
            ]),
            script: Script::new(),
            vars: &["Down = 321", "I = 5", "J = 1", "Up = 9"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "Loop condition",
            flow: flow(vec![
                set("N", "0"),
                cond("loops.condition", "%N%", "Less than (<)", "4")
                    .with_children(vec![increase("N", "1")]),
            ]),
            script: Script::new(),
            vars: &["N = 4"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "For each with Next loop and Exit loop, nested",
            flow: flow(vec![
                set("Sum", "0"),
                set("Pairs", "0"),
                for_each(
                    "%[1, 2, 3, 4, 5]%",
                    "X",
                    vec![
                        if_("%X%", "Equal to (=)", "2", vec![next_loop()]),
                        if_("%X%", "Equal to (=)", "4", vec![exit_loop()]),
                        set("Sum", "%Sum + X%"),
                        for_each(
                            "%['a', 'b']%",
                            "Y",
                            vec![increase("Pairs", "1"), exit_loop()],
                        ),
                    ],
                ),
            ]),
            script: Script::new(),
            vars: &["Pairs = 2", "Sum = 4", "X = 4", "Y = a"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "Label and Go to, backwards and forwards",
            flow: flow(vec![
                set("N", "0"),
                label("Top"),
                increase("N", "1"),
                if_("%N%", "Less than (<)", "3", vec![go_to("Top")]),
                go_to("End"),
                set("Skipped", "yes"),
                label("End"),
            ]),
            script: Script::new(),
            vars: &["N = 3"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "Go to out of a loop stops the loop; the loop runs again from its start",
            flow: flow(vec![
                set("Runs", "0"),
                label("Again"),
                increase("Runs", "1"),
                loop_(
                    "1",
                    "10",
                    "1",
                    "I",
                    vec![if_(
                        "%I%",
                        "Equal to (=)",
                        "2",
                        vec![if_("%Runs%", "Less than (<)", "2", vec![go_to("Again")])],
                    )],
                ),
            ]),
            script: Script::new(),
            vars: &["I = 10", "Runs = 2"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "Run subflow shares the variables; disabled steps do not run",
            flow: flow_with(
                vec![
                    set("N", "1"),
                    run_subflow("Double"),
                    run_subflow("Double"),
                    common::disabled(set("N", "0")),
                ],
                vec![("Double", vec![set("N", "%N * 2%")])],
            ),
            script: Script::new(),
            vars: &["N = 4"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "Stop flow successfully ends the run there, even in a subflow",
            flow: flow_with(
                vec![set("A", "1"), run_subflow("Quit"), set("B", "2")],
                vec![(
                    "Quit",
                    vec![with("flow.stop", &[("end", "Successfully")]), set("C", "3")],
                )],
            ),
            script: Script::new(),
            vars: &["A = 1"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "Stop flow with an error message fails the run",
            flow: flow(vec![with(
                "flow.stop",
                &[("end", "With error message"), ("message", "no stock")],
            )]),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "Flow run failed: Main, line 1: Stop flow: no stock",
        },
        Case {
            name: "Wait asks the host to wait",
            flow: flow(vec![
                with("flow.wait", &[("seconds", "1.5")]),
                with("flow.wait", &[("seconds", "0")]),
            ]),
            script: Script::new(),
            vars: &[],
            asked: &["wait 1500"],
            outcome: OK,
        },
    ]);
}

#[test]
fn text_actions() {
    let t =
        |action: &str, inputs: &[(&str, &str)], var: &str| out(with(action, inputs), "result", var);
    check_runs(vec![Case {
        name: "every text action",
        flow: flow(vec![
            t("text.append_line", &[("text", "a"), ("line", "b")], "Lines"),
            t(
                "text.split",
                &[
                    ("text", "x,y,,z"),
                    ("delimiter_type", "Custom"),
                    ("delimiter", ","),
                ],
                "Parts",
            ),
            t("text.split", &[("text", "one two")], "Words"),
            t(
                "text.join",
                &[("list", "%Parts%"), ("delimiter", "+")],
                "Joined",
            ),
            t(
                "text.replace",
                &[
                    ("text", "Cat cat CAT"),
                    ("find", "cat"),
                    ("replace", "dog"),
                    ("ignore_case", "True"),
                ],
                "Dogs",
            ),
            t(
                "text.replace",
                &[("text", "Cat cat"), ("find", "cat"), ("replace", "dog")],
                "OneDog",
            ),
            t("text.trim", &[("text", "  pad  ")], "Both"),
            t(
                "text.trim",
                &[
                    ("text", "  pad  "),
                    ("what", "Whitespace characters from the end"),
                ],
                "End",
            ),
            t(
                "text.change_case",
                &[("text", "hello wORLD. again"), ("case", "Title case")],
                "Title",
            ),
            t(
                "text.change_case",
                &[("text", "hello wORLD. again"), ("case", "Sentence case")],
                "Sentence",
            ),
            t(
                "text.change_case",
                &[("text", "straße"), ("case", "Upper case")],
                "Upper",
            ),
            t(
                "text.subtext",
                &[("text", "Plugboard"), ("start", "4"), ("length", "5")],
                "Sub",
            ),
            t(
                "text.subtext",
                &[("text", "Plugboard"), ("start", "4")],
                "Rest",
            ),
            out(
                out(
                    with("text.parse", &[("text", "a-b-c"), ("find", "-")]),
                    "position",
                    "At",
                ),
                "match",
                "Hit",
            ),
            out(
                out(
                    with(
                        "text.parse",
                        &[("text", "a-b-c"), ("find", "-"), ("first_only", "False")],
                    ),
                    "position",
                    "All",
                ),
                "match",
                "Hits",
            ),
            out(
                with("text.parse", &[("text", "abc"), ("find", "z")]),
                "position",
                "None",
            ),
            t("text.to_number", &[("text", " 12.50 ")], "Num"),
            t(
                "text.from_number",
                &[
                    ("number", "1234567.891"),
                    ("decimals", "2"),
                    ("separators", "True"),
                ],
                "Money",
            ),
            t(
                "text.from_number",
                &[("number", "-0.5"), ("decimals", "0")],
                "Round",
            ),
            t("text.from_number", &[("number", "-0.001")], "Zero"),
            set("Len", "%Sub.Length% %Sub.ToUpper% %Parts.Count%"),
        ]),
        script: Script::new(),
        vars: &[
            "All = [1,3]",
            "At = 1",
            "Both = pad",
            "Dogs = dog dog dog",
            "End =   pad",
            "Hit = -",
            "Hits = [\"-\",\"-\"]",
            "Joined = x+y++z",
            "Len = 5 BOARD 4",
            "Lines = a\nb",
            "Match = ",
            "Money = 1,234,567.89",
            "None = -1",
            "Num = 12.5",
            "OneDog = Cat dog",
            "Parts = [\"x\",\"y\",\"\",\"z\"]",
            "Rest = board",
            "Round = -1",
            "Sentence = Hello world. Again",
            "Sub = board",
            "Title = Hello World. Again",
            "Upper = STRASSE",
            "Words = [\"one\",\"two\"]",
            "Zero = 0.00",
        ],
        asked: &[],
        outcome: OK,
    }]);
}

#[test]
fn datetime_json_and_list_actions() {
    let t =
        |action: &str, inputs: &[(&str, &str)], var: &str| out(with(action, inputs), "result", var);
    check_runs(vec![
        Case {
            name: "datetimes",
            flow: flow(vec![
                t("datetime.now", &[], "Now"),
                t(
                    "datetime.now",
                    &[("retrieve", "Current date only")],
                    "Today",
                ),
                t(
                    "datetime.add",
                    &[("datetime", "%Now%"), ("amount", "1"), ("unit", "Months")],
                    "Later",
                ),
                t(
                    "datetime.add",
                    &[
                        ("datetime", "2024-03-01"),
                        ("amount", "-1"),
                        ("unit", "Days"),
                    ],
                    "LeapDay",
                ),
                t(
                    "datetime.subtract",
                    &[("from", "%Later%"), ("subtract", "%Now%"), ("unit", "Days")],
                    "Days",
                ),
                t(
                    "datetime.to_text",
                    &[
                        ("datetime", "%Now%"),
                        ("format", "Custom"),
                        ("custom", "dd/MM/yy HH:mm:ss.fff"),
                    ],
                    "Custom",
                ),
                t(
                    "datetime.to_text",
                    &[("datetime", "%Now%"), ("format", "Full date time")],
                    "Full",
                ),
                t(
                    "datetime.to_text",
                    &[("datetime", "%Now%"), ("format", "Sortable date time")],
                    "Sortable",
                ),
                set("Parts", "%Now.Year%-%Now.Month% %Now.DayOfWeek%"),
            ]),
            script: Script::new(),
            vars: &[
                "Custom = 01/12/26 09:41:15.250",
                "Days = 31",
                "Full = Tuesday, December 1, 2026 9:41:15 AM",
                "Later = 2027-01-01 09:41:15",
                "LeapDay = 2024-02-29 00:00:00",
                "Now = 2026-12-01 09:41:15",
                "Parts = 2026-12 Tuesday",
                "Sortable = 2026-12-01T09:41:15",
                "Today = 2026-12-01 00:00:00",
            ],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "JSON and lists",
            flow: flow(vec![
                t(
                    "data.json_to_object",
                    &[(
                        "json",
                        r#"{"items": [{"name": "Ada", "n": 2}, {"name": "Bo", "n": 1.5}]}"#,
                    )],
                    "Obj",
                ),
                set("Second", "%Obj.items[1].name%"),
                t(
                    "data.object_to_json",
                    &[("object", "%Obj.items[0]%")],
                    "Json",
                ),
                out(step("data.new_list"), "list", "L"),
                with(
                    "data.add_to_list",
                    &[("item", "%Obj.items[1].n%"), ("list", "L")],
                ),
                with("data.add_to_list", &[("item", "%10%"), ("list", "L")]),
                with("data.add_to_list", &[("item", "%-2%"), ("list", "L")]),
                with("data.sort_list", &[("list", "L")]),
                out(step("data.new_list"), "list", "Names"),
                with("data.add_to_list", &[("item", "pear"), ("list", "Names")]),
                with("data.add_to_list", &[("item", "apple"), ("list", "Names")]),
                with(
                    "data.sort_list",
                    &[("list", "Names"), ("order", "Descending")],
                ),
            ]),
            script: Script::new(),
            vars: &[
                "Json = {\"n\":2,\"name\":\"Ada\"}",
                "L = [-2,1.5,10]",
                "Names = [\"pear\",\"apple\"]",
                "Obj = {\"items\":[{\"n\":2,\"name\":\"Ada\"},{\"n\":1.5,\"name\":\"Bo\"}]}",
                "Second = Bo",
            ],
            asked: &[],
            outcome: OK,
        },
    ]);
}

#[test]
fn dialogs_connectors_and_http_go_through_the_host() {
    check_runs(vec![
        Case {
            name: "input dialog answer used in a message",
            flow: flow(vec![
                out(out(with("messages.input", &[("message", "Your name?"), ("default", "Bo")]), "input", "Name"), "button", "Pressed"),
                out(with("messages.display", &[("title", "Hi"), ("message", "Hello %Name%"), ("buttons", "Yes - No")]), "button", "Answer"),
                out(with("messages.input", &[("message", "Again?")]), "button", "Second"),
            ]),
            script: Script::new().input("Ada").button("No"),
            vars: &["Answer = No", "Name = Ada", "Pressed = OK", "Second = Cancel", "UserInput = "],
            asked: &[
                r#"input "Your name?" default "Bo""#,
                r#"message "Hi" "Hello Ada" ["Yes", "No"]"#,
                r#"input "Again?" default """#,
            ],
            outcome: OK,
        },
        Case {
            name: "a connector output passes into a later step",
            flow: flow(vec![
                set("Id", "42"),
                connector("GetTicket", &[("id", "%Id%"), ("note", "")], "Ticket"),
                display("%Ticket.title% (%Ticket.tags.Count% tags)"),
            ]),
            script: Script::new().connector(Ok(serde_json::json!({"title": "Printer", "tags": ["a", "b"]}))),
            vars: &["ButtonPressed = OK", "Id = 42", "Ticket = {\"tags\":[\"a\",\"b\"],\"title\":\"Printer\"}"],
            asked: &[
                r#"call pb_contoso_1 contoso/GetTicket {"id":42}"#,
                r#"message "" "Printer (2 tags)" ["OK"]"#,
            ],
            outcome: OK,
        },
        Case {
            name: "a failing connector call fails the run with its message",
            flow: flow(vec![connector("GetTicket", &[], "T"), set("After", "1")]),
            script: Script::new().connector(Err("Contoso Tickets answered 404: no such ticket")),
            vars: &[],
            asked: &["call pb_contoso_1 contoso/GetTicket {}"],
            outcome: "Flow run failed: Main, line 1: GetTicket: Contoso Tickets answered 404: no such ticket",
        },
        Case {
            name: "Invoke web service",
            flow: flow(vec![
                out(out(with("http.invoke", &[("url", "http://127.0.0.1:9/x"), ("method", "POST"), ("headers", "X-Test: 1"), ("body", "hi")]), "body", "Body"), "status", "Status"),
                with("http.invoke", &[("url", "http://127.0.0.1:9/y")]),
            ]),
            script: Script::new().http(201, "made").http(404, "nope"),
            vars: &["Body = made", "Status = 201", "WebServiceResponseHeaders = {\"Content-Type\":\"text/plain\"}"],
            asked: &[
                r#"http POST http://127.0.0.1:9/x [("Accept", "application/json"), ("Content-Type", "application/json"), ("X-Test", "1")] "hi""#,
                r#"http GET http://127.0.0.1:9/y [("Accept", "application/json"), ("Content-Type", "application/json")] """#,
            ],
            outcome: "Flow run failed: Main, line 2: Invoke web service: the server answered 404",
        },
    ]);
}

#[test]
fn on_error_policies_retry_then_continue_go_to_or_stop() {
    let failing = |policy: fn(Step) -> Step| {
        flow(vec![
            policy(connector("Flaky", &[], "R")),
            set("Next", "ran"),
            go_to("End"),
            label("Handler"),
            set("Handled", "yes"),
            label("End"),
        ])
    };
    let fail = || Err("timed out");
    check_runs(vec![
        Case {
            name: "retries until it succeeds",
            flow: failing(|s| on_error(s, 3, 2, false, None)),
            script: Script::new().connector(fail()).connector(fail()).connector(Ok(serde_json::json!(7))),
            vars: &["Next = ran", "R = 7"],
            asked: &[
                "call pb_contoso_1 contoso/Flaky {}",
                "wait 2000",
                "call pb_contoso_1 contoso/Flaky {}",
                "wait 2000",
                "call pb_contoso_1 contoso/Flaky {}",
            ],
            outcome: OK,
        },
        Case {
            name: "every attempt fails, then continue",
            flow: failing(|s| on_error(s, 1, 0, true, None)),
            script: Script::new().connector(fail()).connector(fail()),
            vars: &["Next = ran"],
            asked: &["call pb_contoso_1 contoso/Flaky {}", "call pb_contoso_1 contoso/Flaky {}"],
            outcome: OK,
        },
        Case {
            name: "every attempt fails, then go to a label",
            flow: failing(|s| on_error(s, 0, 0, true, Some("Handler"))),
            script: Script::new().connector(fail()),
            vars: &["Handled = yes"],
            asked: &["call pb_contoso_1 contoso/Flaky {}"],
            outcome: OK,
        },
        Case {
            name: "every attempt fails, then stop",
            flow: failing(|s| on_error(s, 1, 5, false, None)),
            script: Script::new().connector(fail()).connector(fail()),
            vars: &[],
            asked: &["call pb_contoso_1 contoso/Flaky {}", "wait 5000", "call pb_contoso_1 contoso/Flaky {}"],
            outcome: "Flow run failed: Main, line 1: Flaky: timed out",
        },
        Case {
            name: "On block error continues after its block",
            flow: flow(vec![
                with("flow.on_block_error", &[]).with_children(vec![
                    out(with("text.to_number", &[("text", "abc")]), "result", "N"),
                    set("Inside", "ran"),
                ]),
                set("After", "ran"),
            ]),
            script: Script::new(),
            vars: &["After = ran"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "On block error that throws lets the error through",
            flow: flow(vec![
                with("flow.on_block_error", &[("then", "Throw error")])
                    .with_children(vec![out(with("text.to_number", &[("text", "abc")]), "result", "N")]),
                set("After", "ran"),
            ]),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "Flow run failed: Main, line 2: Convert text to number: \"abc\" is not a number",
        },
        Case {
            name: "an error in a subflow is handled by the Run subflow step's policy",
            flow: flow_with(
                vec![on_error(run_subflow("Bad"), 0, 0, true, None), set("After", "ran")],
                vec![("Bad", vec![set("X", "%Missing%"), set("Y", "not reached")])],
            ),
            script: Script::new(),
            vars: &["After = ran"],
            asked: &[],
            outcome: OK,
        },
        Case {
            name: "a retried Run subflow keeps its count while the subflow's steps retry",
            flow: flow_with(
                vec![set("Tries", "0"), on_error(run_subflow("Call"), 2, 0, false, None)],
                vec![(
                    "Call",
                    vec![increase("Tries", "1"), on_error(connector("Flaky", &[], "R"), 1, 0, false, None)],
                )],
            ),
            script: (0..6).fold(Script::new(), |s, _| s.connector(fail())),
            vars: &["Tries = 3"],
            asked: &["call pb_contoso_1 contoso/Flaky {}"; 6],
            outcome: "Flow run failed: Call, line 2: Flaky: timed out",
        },
        Case {
            name: "an unhandled error in a subflow names the subflow's step",
            flow: flow_with(
                vec![run_subflow("Bad")],
                vec![("Bad", vec![set("X", "%Missing%")])],
            ),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "Flow run failed: Bad, line 1: Set variable: \"Value\": the variable Missing has no value yet",
        },
    ]);
}

#[test]
fn flows_that_cannot_run_are_refused_before_the_first_step() {
    check_runs(vec![
        Case {
            name: "bad expression",
            flow: flow(vec![set("A", "1"), set("B", "%A +%")]),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "not run: Main, line 2: Set variable: \"Value\": in %A +%: the expression ends too soon",
        },
        Case {
            name: "unclosed percent",
            flow: flow(vec![display("50% off")]),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "not run: Main, line 1: Display message: \"Message to display\": a % opens an expression that is never closed",
        },
        Case {
            name: "unknown action",
            flow: flow(vec![step("nope.frobnicate")]),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "not run: Main, line 1: \"nope.frobnicate\" is not an action in the library",
        },
        Case {
            name: "Go to a label that does not exist",
            flow: flow(vec![go_to("Nowhere")]),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "not run: Main, line 1: Go to: there is no label \"Nowhere\" in Main",
        },
        Case {
            name: "On error goes to a label that does not exist",
            flow: flow(vec![on_error(set("A", "1"), 0, 0, true, Some("Gone"))]),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "not run: Main, line 1: Set variable: On error: there is no label \"Gone\" in Main",
        },
        Case {
            name: "Exit loop outside a loop, inside a block",
            flow: flow(vec![if_("1", "Equal to (=)", "1", vec![exit_loop()])]),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "not run: Main, line 2: Exit loop is outside a loop",
        },
        Case {
            name: "Run subflow of a missing subflow",
            flow: flow(vec![run_subflow("Ghost")]),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "not run: Main, line 1: Run subflow: there is no subflow \"Ghost\" to run",
        },
        Case {
            name: "a connector step without a reference",
            flow: flow(vec![step("connector:contoso/GetTicket")]),
            script: Script::new(),
            vars: &[],
            asked: &[],
            outcome: "not run: Main, line 1: GetTicket: no connection reference is chosen",
        },
    ]);
}

#[test]
fn type_errors_fail_the_run_naming_the_step() {
    let t = |action: &str, inputs: &[(&str, &str)]| out(with(action, inputs), "result", "R");
    let cases: Vec<(Step, &str)> = vec![
        (t("text.to_number", &[("text", "12abc")]), "Convert text to number: \"12abc\" is not a number"),
        (set("R", "%'a' * 2%"), "Set variable: \"Value\": \"a\" is a text, not a number"),
        (set("R", "%[1][5]%"), "Set variable: \"Value\": index 5 is outside the list, which has 1 items"),
        (increase("Missing", "1"), "Increase variable: the variable Missing has no value yet"),
        (if_("%[1]%", "Greater than (>)", "1", vec![]), "If: cannot compare \"[1]\" (a list) with \"1\" (a text)"),
        (for_each("abc", "X", vec![]), "For each: \"Value to iterate\" is a text, not a list"),
        (loop_("1", "x", "1", "I", vec![]), "Loop: \"End to\" is \"x\" (a text), not a number"),
        (loop_("1", "5", "0", "I", vec![]), "Loop: \"Increment by\" is 0, so the loop would never end"),
        (
            out(step("loops.loop"), "index", "I").with_children(vec![set("A", "1")]),
            "Loop: \"End to\" is empty, not a number",
        ),
        (t("text.subtext", &[("text", "abc"), ("start", "2"), ("length", "5")]), "Get subtext: 5 characters from position 2 go past the end of the text (3 characters)"),
        (t("text.split", &[("text", "a"), ("is_regex", "True")]), "Split text: regular expressions are not supported yet: turn the option off"),
        (t("data.json_to_object", &[("json", "{\"a\": }")]), "Convert JSON to custom object: not valid JSON: expected value at line 1 column 7"),
        (t("data.json_to_object", &[("json", &"[".repeat(200))]), "Convert JSON to custom object: the JSON nests deeper than 128 levels"),
        (t("datetime.add", &[("datetime", "someday"), ("amount", "1"), ("unit", "Days")]), "Add to datetime: \"someday\" is not a datetime (write yyyy-MM-dd HH:mm:ss or M/d/yyyy h:mm AM)"),
        (with("data.add_to_list", &[("item", "1"), ("list", "R")]), "Add item to list: the variable R has no value yet"),
        (set("R", "%1 / 0%"), "Set variable: \"Value\": division by zero"),
        (set("R", "%1e308 * 10%"), "Set variable: \"Value\": the result is too large for a number"),
    ];
    let catalog = standard_catalog();
    for (s, want) in cases {
        let f = flow(vec![s]);
        let mut run = Run::new(&f, &catalog, Options::default()).unwrap();
        let got = drive(&mut run, &mut Script::new()).to_string();
        assert_eq!(got, format!("Flow run failed: Main, line 1: {want}"));
    }
}

#[test]
fn runaway_flows_stop_with_a_message() {
    let small = Options {
        max_steps: 500,
        max_iterations: 50,
        max_depth: 10,
        ..Options::default()
    };
    let cases: Vec<(&str, Flow, &str)> = vec![
        (
            "a loop condition that never ends",
            flow(vec![cond("loops.condition", "1", "Equal to (=)", "1").with_children(vec![set("A", "1")])]),
            "Flow run stopped: Main, line 1: Loop condition ran 50 times, the most a loop may: does it never end?",
        ),
        (
            "a Go to that never ends",
            flow(vec![label("L"), set("A", "1"), go_to("L")]),
            "Flow run stopped: the flow ran 500 steps, the most a run may take (at Main, line 2): does a loop or a Go to never end?",
        ),
        (
            "a subflow that runs itself",
            flow_with(vec![run_subflow("Again")], vec![("Again", vec![run_subflow("Again")])]),
            "Flow run stopped: Again, line 1: subflows run inside each other more than 10 deep: does a subflow run itself forever?",
        ),
    ];
    for (name, f, want) in cases {
        let (_, got) = run_case(&f, &mut Script::new(), small);
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn cancellation_stops_a_run_at_any_point() {
    let catalog = standard_catalog();
    // While it waits on the host.
    let f = flow(vec![
        with("flow.wait", &[("seconds", "60")]),
        set("After", "1"),
    ]);
    let mut run = Run::new(&f, &catalog, Options::default()).unwrap();
    assert_eq!(run.step(), Need::Wait { ms: 60_000 });
    assert_eq!(
        run.step(),
        Need::Wait { ms: 60_000 },
        "the same need until answered"
    );
    run.cancel();
    let stopped = Need::Done(Outcome::Stopped("stopped by the user".into()));
    assert_eq!(run.step(), stopped);
    run.answer(Answer::Waited);
    assert_eq!(run.step(), stopped, "a late answer changes nothing");
    assert!(run.variables().is_empty());
    assert_eq!(run.next_step(), None);

    // Between steps, from the host.
    let f = flow(vec![loop_("1", "1000", "1", "I", vec![set("Last", "%I%")])]);
    let mut script = Script {
        cancel_after: Some(7),
        ..Script::default()
    };
    let mut run = Run::new(&f, &catalog, Options::default()).unwrap();
    assert_eq!(
        drive(&mut run, &mut script).to_string(),
        "Flow run stopped: stopped by the user"
    );
    assert_eq!(
        run.variables()["Last"].to_text(),
        "3",
        "7 steps: loop, set, loop, set, loop, set, loop"
    );
}

#[test]
fn step_by_step_shows_the_next_step_and_logs_each_one() {
    let catalog = standard_catalog();
    let f = flow(vec![
        set("N", "0"),
        loop_("1", "2", "1", "I", vec![increase("N", "1")]),
        if_("%N%", "Equal to (=)", "5", vec![set("Never", "1")]),
        set("Done", "yes"),
    ]);
    let ids: Vec<_> = f.subflows[0].steps.iter().map(|s| s.id).collect();
    let inc = f.subflows[0].steps[1].children[0].id;
    let mut run = Run::new(&f, &catalog, Options::default()).unwrap();
    let mut seen = Vec::new();
    while let Some(next) = run.next_step() {
        seen.push(next);
        assert_eq!(run.step(), Need::Ready);
    }
    assert_eq!(
        seen,
        vec![ids[0], ids[1], inc, ids[1], inc, ids[1], ids[2], ids[3]],
        "a loop's line comes before each iteration and once more to leave"
    );
    assert_eq!(run.step(), Need::Done(Outcome::Succeeded));
    let log = run.drain_log();
    assert_eq!(log.len(), seen.len());
    assert!(log
        .iter()
        .zip(&seen)
        .all(|(e, id)| e.step == *id && e.status == Status::Succeeded));
    assert_eq!(run.steps_run(), 8);

    // A failed attempt shows in the log as Failed, with its message.
    let f = flow(vec![on_error(
        out(with("text.to_number", &[("text", "x")]), "result", "N"),
        1,
        0,
        true,
        None,
    )]);
    let mut run = Run::new(&f, &catalog, Options::default()).unwrap();
    assert_eq!(drive(&mut run, &mut Script::new()), Outcome::Succeeded);
    let failed = Status::Failed("Convert text to number: \"x\" is not a number".into());
    assert_eq!(
        run.drain_log()
            .into_iter()
            .map(|e| e.status)
            .collect::<Vec<_>>(),
        vec![failed.clone(), failed]
    );
}

#[test]
fn run_from_here_starts_at_that_step() {
    let catalog = standard_catalog();
    let f = flow_with(
        vec![
            set("A", "1"),
            set("B", "2"),
            loop_("1", "2", "1", "I", vec![set("C", "3")]),
        ],
        vec![("Sub", vec![set("D", "4")])],
    );
    let from = |id| {
        Run::from_step(&f, &catalog, Options::default(), id).map(|mut run| {
            drive(&mut run, &mut Script::new());
            run.variables()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(",")
        })
    };
    let main = &f.subflows[0].steps;
    assert_eq!(from(main[1].id).unwrap(), "B,C,I");
    assert_eq!(from(f.subflows[1].steps[0].id).unwrap(), "D");
    assert_eq!(
        from(main[2].children[0].id).unwrap_err().to_string(),
        "Main, line 4: Run from here: the step is inside a loop; run from the loop instead"
    );
}

#[test]
fn a_go_to_into_a_loop_that_is_not_running_fails() {
    let f = flow(vec![
        go_to("Inside"),
        loop_("1", "3", "1", "I", vec![label("Inside"), set("A", "1")]),
    ]);
    let (_, got) = run_case(&f, &mut Script::new(), Options::default());
    assert_eq!(
        got,
        "Flow run failed: Main, line 1: Go to: the label is inside a loop that is not running"
    );
}

#[test]
fn a_wrong_answer_from_the_host_fails_the_run() {
    let catalog = standard_catalog();
    let f = flow(vec![display("hi")]);
    let mut run = Run::new(&f, &catalog, Options::default()).unwrap();
    assert!(matches!(run.step(), Need::Message(_)));
    run.answer(Answer::Waited);
    assert_eq!(
        run.step().clone(),
        Need::Done(Outcome::Failed(plugboard_model::runtime::Failure {
            step: Some(f.subflows[0].steps[0].id),
            path: "Main, line 1".into(),
            message: "Display message: the host answered the end of a wait to a request for something else".into(),
        }))
    );
}
