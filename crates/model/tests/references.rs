//! A flow's connection references: each case is a small flow and the problems checking it
//! against the Production environment must produce, written as the Errors panel shows them.

mod common;

use common::*;
use plugboard_model::catalog::{ActionDef, Catalog};
use plugboard_model::command::{apply, Command};
use plugboard_model::connector::{ConnectionReference, ConnectionSummary, ConnectorSummary};
use plugboard_model::flow::{Flow, Step};
use plugboard_model::library::{ids, standard_actions, standard_categories};
use plugboard_model::references::{
    check_references, connector_ids, connector_of, rebind, usages, EnvironmentView, Usage,
};
use plugboard_model::Problem;
use serde_json::json;

const SEND: &str = "connector:office365outlook/SendEmailV2";
const POST: &str = "connector:teams/PostMessage";
/// A connector action the designer has not fetched the definition of.
const ROW: &str = "connector:sql/GetRow";

/// The standard library plus Outlook's "Send an email (V2)" and Teams' "Post message".
fn catalog() -> Catalog {
    let mut actions = standard_actions();
    for (id, name, category) in [
        (SEND, "Send an email (V2)", "Office 365 Outlook"),
        (POST, "Post message", "Microsoft Teams"),
    ] {
        actions.push(
            serde_json::from_value::<ActionDef>(
                json!({"id": id, "name": name, "category": category}),
            )
            .unwrap(),
        );
    }
    Catalog::new(standard_categories(), actions)
}

fn reference(
    logical: &str,
    display: &str,
    connector: &str,
    conn: Option<&str>,
) -> ConnectionReference {
    ConnectionReference {
        connection: None,
        logical_name: logical.into(),
        display_name: display.into(),
        connector_id: connector.into(),
        connection_id: conn.map(Into::into),
        environment_id: "env_prod".into(),
    }
}

/// Production's references: one of each state a reference can be in.
fn references() -> Vec<ConnectionReference> {
    vec![
        reference(
            "pb_outlook_7f3a",
            "Outlook",
            "office365outlook",
            Some("c_ok"),
        ),
        reference(
            "pb_outlook_0b1d",
            "Outlook (team)",
            "office365outlook",
            None,
        ),
        reference(
            "pb_outlook_ee01",
            "Outlook (old)",
            "office365outlook",
            Some("c_expired"),
        ),
        reference(
            "pb_outlook_ee02",
            "Outlook (broken)",
            "office365outlook",
            Some("c_broken"),
        ),
        reference(
            "pb_outlook_5a5a",
            "Outlook (Ann's)",
            "office365outlook",
            Some("c_not_mine"),
        ),
        reference(
            "pb_outlook_blank",
            "Outlook (blank)",
            "office365outlook",
            Some(""),
        ),
        reference("pb_teams_1234", "Teams", "teams", Some("c_teams")),
        reference("pb_sql_9999", "SQL", "sql", Some("c_sql")),
    ]
}

/// The connections the user can use (`c_not_mine` is not among them).
fn connections() -> Vec<ConnectionSummary> {
    [
        ("c_ok", "Work mail", "office365outlook", "connected"),
        (
            "c_expired",
            "Old mailbox",
            "office365outlook",
            "needs_sign_in",
        ),
        ("c_broken", "Shared mailbox", "office365outlook", "error"),
        ("c_teams", "Team chat", "teams", "connected"),
        ("c_sql", "Orders DB", "sql", "connected"),
    ]
    .into_iter()
    .map(|(id, name, connector, status)| {
        serde_json::from_value(json!({
            "id": id, "display_name": name, "connector_id": connector,
            "parameter_set": "", "status": status, "is_mine": true, "created_at": 0,
            "owner": {"id": "u1", "username": "me", "display_name": "Me"},
        }))
        .unwrap()
    })
    .collect()
}

/// The catalog index's names (SQL's is not listed, so it goes by its id).
fn connectors() -> Vec<ConnectorSummary> {
    [
        ("office365outlook", "Office 365 Outlook"),
        ("teams", "Microsoft Teams"),
    ]
    .into_iter()
    .map(|(id, name)| {
        serde_json::from_value(json!({"id": id, "name": name, "actions": []})).unwrap()
    })
    .collect()
}

fn with_ref(action: &str, reference: Option<&str>) -> Step {
    let mut s = Step::new(action);
    s.reference = reference.map(Into::into);
    s
}

fn send(reference: &str) -> Step {
    with_ref(SEND, Some(reference))
}

fn post(reference: &str) -> Step {
    with_ref(POST, Some(reference))
}

fn problems(f: &Flow) -> Vec<Problem> {
    let (refs, conns, cons) = (references(), connections(), connectors());
    let env = EnvironmentView {
        name: "Production",
        references: &refs,
        connections: &conns,
        connectors: &cons,
    };
    check_references(f, &catalog(), &env)
}

/// Check every case against Production and report all mismatches at once.
fn check_cases(cases: Vec<(&str, Flow, &[&str])>) {
    let mut failures = Vec::new();
    for (name, flow, expected) in cases {
        let got: Vec<String> = problems(&flow).iter().map(Problem::to_string).collect();
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected {expected:#?}\n  got      {got:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn connector_of_splits_connector_action_ids_only() {
    let cases: &[(&str, Option<(&str, &str)>)] = &[
        (SEND, Some(("office365outlook", "SendEmailV2"))),
        ("connector:x/a/b", Some(("x", "a/b"))),
        ("connector:", None),
        ("connector:x", None),
        ("connector:x/", None),
        ("connector:/op", None),
        ("connector/x/op", None),
        ("Connector:x/op", None),
        ("variables.set", None),
        ("", None),
    ];
    for (action, want) in cases {
        assert_eq!(connector_of(action), *want, "{action:?}");
    }
    let id = plugboard_model::connector::action_id("teams", "PostMessage");
    assert_eq!(connector_of(&id), Some(("teams", "PostMessage")));
}

#[test]
fn each_reference_problem_has_its_message() {
    check_cases(vec![
        ("no connector steps", flow(vec![comment("x"), set("A", "1")]), &[]),
        ("bound and connected", flow(vec![send("pb_outlook_7f3a"), post("pb_teams_1234")]), &[]),
        ("bound to a connection not shared with me", flow(vec![send("pb_outlook_5a5a")]), &[]),
        (
            "no reference",
            flow(vec![with_ref(SEND, None), with_ref(SEND, Some("  ")), with_ref(ROW, None)]),
            &[
                "Main, line 1: Send an email (V2): choose a connection reference",
                "Main, line 2: Send an email (V2): choose a connection reference",
                "Main, line 3: GetRow: choose a connection reference",
            ],
        ),
        (
            "not in the environment",
            flow(vec![send("pb_x_1234")]),
            &["Main, line 1: Connection reference pb_x_1234 does not exist in Production"],
        ),
        (
            "bound to nothing",
            flow(vec![send("pb_outlook_0b1d"), send("pb_outlook_blank")]),
            &[
                "Main, line 1: Connection reference Outlook (team) (pb_outlook_0b1d) has no connection in Production",
                "Main, line 2: Connection reference Outlook (blank) (pb_outlook_blank) has no connection in Production",
            ],
        ),
        (
            "another connector's reference",
            flow(vec![post("pb_outlook_7f3a"), post("pb_outlook_0b1d"), send("pb_sql_9999")]),
            &[
                "Main, line 1: Connection reference Outlook (pb_outlook_7f3a) is for Office 365 Outlook, not Microsoft Teams",
                "Main, line 2: Connection reference Outlook (team) (pb_outlook_0b1d) is for Office 365 Outlook, not Microsoft Teams",
                "Main, line 3: Connection reference SQL (pb_sql_9999) is for sql, not Office 365 Outlook",
            ],
        ),
        (
            "connection needs sign-in or fails",
            flow(vec![send("pb_outlook_ee01"), send("pb_outlook_ee02")]),
            &[
                r#"Main, line 1: Connection reference Outlook (old) (pb_outlook_ee01): its connection "Old mailbox" needs sign-in"#,
                r#"Main, line 2: Connection reference Outlook (broken) (pb_outlook_ee02): its connection "Shared mailbox" has an error"#,
            ],
        ),
        (
            "a reference on a standard step is not checked",
            flow(vec![with_ref("flow.comment", Some("pb_x_1234"))]),
            &[],
        ),
    ]);
}

#[test]
fn nesting_disabled_steps_and_subflows() {
    check_cases(vec![
        (
            "lines count End lines and clauses",
            flow(vec![
                if_(
                    "1",
                    vec![send("pb_x_1"), Step::new(ids::ELSE), send("pb_x_2")],
                ),
                switch("1", vec![case("1"), post("pb_x_3")]),
                send("pb_x_4"),
            ]),
            &[
                "Main, line 2: Connection reference pb_x_1 does not exist in Production",
                "Main, line 4: Connection reference pb_x_2 does not exist in Production",
                "Main, line 8: Connection reference pb_x_3 does not exist in Production",
                "Main, line 10: Connection reference pb_x_4 does not exist in Production",
            ],
        ),
        (
            "disabled steps and what they hold are skipped",
            flow(vec![
                disabled(send("pb_x_1")),
                disabled(loop_("3", "I", vec![send("pb_x_2")])),
                send("pb_x_3"),
            ]),
            &["Main, line 5: Connection reference pb_x_3 does not exist in Production"],
        ),
        (
            "subflow by subflow, each by line",
            flow_with(
                vec![send("pb_x_2"), if_("1", vec![send("pb_x_1")])],
                vec![("Notify", vec![post("pb_x_4"), post("pb_x_3")])],
            ),
            &[
                "Main, line 1: Connection reference pb_x_2 does not exist in Production",
                "Main, line 3: Connection reference pb_x_1 does not exist in Production",
                "Notify, line 1: Connection reference pb_x_4 does not exist in Production",
                "Notify, line 2: Connection reference pb_x_3 does not exist in Production",
            ],
        ),
    ]);
}

#[test]
fn problems_name_their_step_as_the_checker_does() {
    let f = flow_with(
        vec![comment("a")],
        vec![(
            "S",
            vec![Step::new(ids::IF).with_children(vec![send("pb_outlook_0b1d")])],
        )],
    );
    let id = f.subflows[1].steps[0].children[0].id;
    assert_eq!(
        problems(&f),
        [Problem {
            subflow: 1,
            step: id,
            line: 2,
            path: "S, line 2".into(),
            message: "Connection reference Outlook (team) (pb_outlook_0b1d) has no connection in Production".into(),
        }]
    );
}

#[test]
fn usages_list_references_in_first_use_order() {
    let f = flow_with(
        vec![
            send("pb_a"),
            if_("1", vec![post("pb_b"), disabled(send("pb_a"))]),
            with_ref(SEND, None),
            with_ref("flow.comment", Some("pb_c")),
        ],
        vec![("S", vec![post("pb_a"), send("pb_d")])],
    );
    let at = |sf: usize, path: &[usize]| {
        let mut steps = &f.subflows[sf].steps;
        let mut s = &steps[path[0]];
        for i in &path[1..] {
            steps = &s.children;
            s = &steps[*i];
        }
        (sf, s.id)
    };
    let usage = |name: &str, connector: &str, steps| Usage {
        logical_name: name.into(),
        connector_id: connector.into(),
        steps,
    };
    assert_eq!(
        usages(&f),
        [
            usage(
                "pb_a",
                "office365outlook",
                vec![at(0, &[0]), at(0, &[1, 1]), at(1, &[0])]
            ),
            usage("pb_b", "teams", vec![at(0, &[1, 0])]),
            usage("pb_d", "office365outlook", vec![at(1, &[1])]),
        ]
    );
    assert_eq!(usages(&flow(vec![comment("x")])), []);
}

#[test]
fn connector_ids_cover_every_connector_step() {
    let f = flow_with(
        vec![if_("1", vec![disabled(with_ref(ROW, None))]), send("pb_a")],
        vec![(
            "S",
            vec![
                post("pb_b"),
                send("pb_c"),
                step("connector:x"),
                comment("c"),
            ],
        )],
    );
    assert_eq!(
        connector_ids(&f).into_iter().collect::<Vec<_>>(),
        ["office365outlook", "sql", "teams"]
    );
}

#[test]
fn rebind_is_one_undoable_batch() {
    let f = flow_with(
        vec![
            send("pb_a"),
            if_("1", vec![disabled(send("pb_a")), send("pb_b")]),
        ],
        vec![("S", vec![post("pb_a"), with_ref(SEND, None)])],
    );
    let refs = |f: &Flow| -> Vec<Option<String>> {
        f.walk()
            .into_iter()
            .map(|(_, s)| s.reference.clone())
            .collect()
    };
    let cmd = rebind(&f, "pb_a", "pb_z").expect("pb_a is used");
    let Command::Batch(cmds) = &cmd else {
        panic!("not a batch: {cmd:?}")
    };
    assert_eq!(cmds.len(), 3);
    assert!(cmds
        .iter()
        .all(|c| matches!(c, Command::SetReference { .. })));
    let mut g = f.clone();
    let inverse = apply(&mut g, cmd).unwrap();
    let z = Some("pb_z".to_string());
    let b = Some("pb_b".to_string());
    assert_eq!(refs(&g), [z.clone(), None, z.clone(), b, z, None]);
    let after = g.clone();
    let redo = apply(&mut g, inverse).unwrap();
    assert_eq!(g, f, "undo restores the flow");
    apply(&mut g, redo).unwrap();
    assert_eq!(g, after, "redo rebinds again");

    assert_eq!(rebind(&f, "pb_unused", "pb_z"), None);
    assert_eq!(rebind(&f, "pb_a", "pb_a"), None);
}
