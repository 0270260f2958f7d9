//! Every command: what it does to a small flow, that its inverse restores the flow exactly, and
//! that a refused command leaves the flow unchanged.

mod common;

use common::*;
use plugboard_model::command::{apply, Command, CommandError};
use plugboard_model::flow::{Flow, OnError, Pos, Step, StepConfig};
use plugboard_model::history::Editor;

/// Main: a, If(b, c), d, Loop(); subflow S: e.
fn base() -> Flow {
    flow_with(
        vec![
            comment("a"),
            if_("1", vec![comment("b"), comment("c")]),
            comment("d"),
            loop_("3", "I", vec![]),
        ],
        vec![("S", vec![comment("e")])],
    )
}

/// Apply `cmd` to a copy of `f`, check that its inverse restores `f` exactly (and that the
/// inverse of the inverse redoes it), and return the outline after the command.
fn applied(f: &Flow, cmd: Command) -> Vec<String> {
    let mut g = f.clone();
    let inverse = apply(&mut g, cmd).expect("command applies");
    let after = g.clone();
    let redo = apply(&mut g, inverse).expect("inverse applies");
    assert_eq!(&g, f, "the inverse restores the flow");
    apply(&mut g, redo).expect("redo applies");
    assert_eq!(g, after, "the inverse of the inverse redoes the command");
    outline(&after)
}

/// `cmd` is refused with `err` and `f` stays as it was.
fn refused(f: &Flow, cmd: Command, err: CommandError) {
    let mut g = f.clone();
    assert_eq!(apply(&mut g, cmd), Err(err));
    assert_eq!(&g, f, "a refused command changes nothing");
}

fn at(f: &Flow, parent: &str, index: usize) -> Pos {
    Pos {
        subflow: 0,
        parent: Some(id_of(f, parent)),
        index,
    }
}

#[test]
fn insert_at_top_level_and_into_a_block() {
    let f = base();
    assert_eq!(
        applied(
            &f,
            Command::Insert {
                at: Pos::top(0, 1),
                steps: vec![comment("x"), comment("y")],
            }
        ),
        ["a", "x", "y", "if", "  b", "  c", "d", "loop", "# S", "e"]
    );
    assert_eq!(
        applied(
            &f,
            Command::Insert {
                at: at(&f, "if", 1),
                steps: vec![if_("2", vec![comment("x")])],
            }
        ),
        ["a", "if", "  b", "  if", "    x", "  c", "d", "loop", "# S", "e"]
    );
    assert_eq!(
        applied(
            &f,
            Command::Insert {
                at: at(&f, "loop", 0),
                steps: vec![comment("x")],
            }
        ),
        ["a", "if", "  b", "  c", "d", "loop", "  x", "# S", "e"]
    );
    assert_eq!(
        applied(
            &f,
            Command::Insert {
                at: Pos::top(1, 1),
                steps: vec![comment("x")],
            }
        ),
        ["a", "if", "  b", "  c", "d", "loop", "# S", "e", "x"]
    );
}

#[test]
fn insert_refuses_bad_positions_and_ids() {
    let f = base();
    refused(
        &f,
        Command::Insert {
            at: Pos::top(0, 5),
            steps: vec![comment("x")],
        },
        CommandError::IndexOutOfRange { index: 5, len: 4 },
    );
    refused(
        &f,
        Command::Insert {
            at: Pos::top(2, 0),
            steps: vec![comment("x")],
        },
        CommandError::UnknownSubflow(2),
    );
    let stranger = Step::new("flow.comment");
    refused(
        &f,
        Command::Insert {
            at: Pos {
                subflow: 0,
                parent: Some(stranger.id),
                index: 0,
            },
            steps: vec![comment("x")],
        },
        CommandError::UnknownParent(stranger.id),
    );
    let existing = f.step(id_of(&f, "b")).unwrap().clone();
    refused(
        &f,
        Command::Insert {
            at: Pos::top(0, 0),
            steps: vec![existing.clone()],
        },
        CommandError::DuplicateId(existing.id),
    );
    let x = comment("x");
    refused(
        &f,
        Command::Insert {
            at: Pos::top(0, 0),
            steps: vec![x.clone(), if_("1", vec![x.clone()])],
        },
        CommandError::DuplicateId(x.id),
    );
}

#[test]
fn insert_into_a_parent_in_another_subflow_is_refused() {
    // Regression: a position's parent was looked up in every subflow, so a position naming
    // subflow 1 with a parent in Main inserted into Main, and Move computed its index shift
    // against the wrong list.
    let f = base();
    let if_id = id_of(&f, "if");
    refused(
        &f,
        Command::Insert {
            at: Pos {
                subflow: 1,
                parent: Some(if_id),
                index: 0,
            },
            steps: vec![comment("x")],
        },
        CommandError::UnknownParent(if_id),
    );
    refused(
        &f,
        Command::Move {
            ids: vec![id_of(&f, "e")],
            to: Pos {
                subflow: 1,
                parent: Some(if_id),
                index: 0,
            },
        },
        CommandError::UnknownParent(if_id),
    );
}

#[test]
fn remove_top_level_nested_and_several() {
    let f = base();
    assert_eq!(
        applied(
            &f,
            Command::Remove {
                ids: vec![id_of(&f, "c")]
            }
        ),
        ["a", "if", "  b", "d", "loop", "# S", "e"]
    );
    assert_eq!(
        applied(
            &f,
            Command::Remove {
                ids: vec![id_of(&f, "if")]
            }
        ),
        ["a", "d", "loop", "# S", "e"]
    );
    // A step under another removed step goes with it; order of ids does not matter.
    assert_eq!(
        applied(
            &f,
            Command::Remove {
                ids: vec![
                    id_of(&f, "e"),
                    id_of(&f, "b"),
                    id_of(&f, "if"),
                    id_of(&f, "a")
                ],
            }
        ),
        ["d", "loop", "# S"]
    );
    let stranger = Step::new("flow.comment");
    refused(
        &f,
        Command::Remove {
            ids: vec![id_of(&f, "a"), stranger.id],
        },
        CommandError::UnknownStep(stranger.id),
    );
}

#[test]
fn move_within_one_list() {
    let f = base();
    // Down: the target index counts the moved step itself.
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![id_of(&f, "a")],
                to: Pos::top(0, 3),
            }
        ),
        ["if", "  b", "  c", "d", "a", "loop", "# S", "e"]
    );
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![id_of(&f, "d")],
                to: Pos::top(0, 0),
            }
        ),
        ["d", "a", "if", "  b", "  c", "loop", "# S", "e"]
    );
    // To the end, and to where it already is.
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![id_of(&f, "a")],
                to: Pos::top(0, 4),
            }
        ),
        ["if", "  b", "  c", "d", "loop", "a", "# S", "e"]
    );
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![id_of(&f, "a")],
                to: Pos::top(0, 1),
            }
        ),
        outline(&f)
    );
}

#[test]
fn move_into_and_out_of_blocks() {
    let f = base();
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![id_of(&f, "a")],
                to: at(&f, "if", 1),
            }
        ),
        ["if", "  b", "  a", "  c", "d", "loop", "# S", "e"]
    );
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![id_of(&f, "if")],
                to: at(&f, "loop", 0),
            }
        ),
        ["a", "d", "loop", "  if", "    b", "    c", "# S", "e"]
    );
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![id_of(&f, "c")],
                to: Pos::top(0, 0),
            }
        ),
        ["c", "a", "if", "  b", "d", "loop", "# S", "e"]
    );
    // To another subflow.
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![id_of(&f, "b")],
                to: Pos::top(1, 1),
            }
        ),
        ["a", "if", "  c", "d", "loop", "# S", "e", "b"]
    );
}

#[test]
fn multi_select_move_across_parents_keeps_document_order() {
    let f = base();
    // Selected in any order, from three lists; they land together in document order.
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![
                    id_of(&f, "e"),
                    id_of(&f, "d"),
                    id_of(&f, "b"),
                    id_of(&f, "a")
                ],
                to: at(&f, "loop", 0),
            }
        ),
        ["if", "  c", "loop", "  a", "  b", "  d", "  e", "# S"]
    );
    // Targets before and after the moved steps in the same list.
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![id_of(&f, "a"), id_of(&f, "d"), id_of(&f, "c")],
                to: Pos::top(0, 4),
            }
        ),
        ["if", "  b", "loop", "a", "c", "d", "# S", "e"]
    );
    // A step and its own child: the child travels inside its parent.
    assert_eq!(
        applied(
            &f,
            Command::Move {
                ids: vec![id_of(&f, "b"), id_of(&f, "if")],
                to: Pos::top(1, 0),
            }
        ),
        ["a", "d", "loop", "# S", "if", "  b", "  c", "e"]
    );
}

#[test]
fn move_into_itself_is_refused() {
    let f = base();
    let if_id = id_of(&f, "if");
    refused(
        &f,
        Command::Move {
            ids: vec![if_id],
            to: at(&f, "if", 0),
        },
        CommandError::MoveIntoItself(if_id),
    );
    // Into a block inside the moved one.
    let g = flow(vec![if_("1", vec![loop_("2", "I", vec![comment("x")])])]);
    let outer = id_of(&g, "if");
    refused(
        &g,
        Command::Move {
            ids: vec![outer],
            to: at(&g, "loop", 1),
        },
        CommandError::MoveIntoItself(outer),
    );
    refused(
        &f,
        Command::Move {
            ids: vec![id_of(&f, "a")],
            to: Pos::top(0, 5),
        },
        CommandError::IndexOutOfRange { index: 5, len: 4 },
    );
    let stranger = Step::new("flow.comment");
    refused(
        &f,
        Command::Move {
            ids: vec![stranger.id],
            to: Pos::top(0, 0),
        },
        CommandError::UnknownStep(stranger.id),
    );
}

#[test]
fn configure_replaces_inputs_outputs_and_error_handling() {
    let f = flow(vec![set("A", "1")]);
    let id = id_of(&f, "set");
    let config = StepConfig {
        inputs: [("value".to_string(), "%B%".to_string())].into(),
        outputs: [("variable".to_string(), "Total".to_string())].into(),
        on_error: Some(OnError {
            retries: 3,
            interval_secs: 2,
            continue_flow: false,
            go_to_label: None,
        }),
    };
    applied(
        &f,
        Command::Configure {
            id,
            config: config.clone(),
        },
    );
    let mut g = f.clone();
    apply(
        &mut g,
        Command::Configure {
            id,
            config: config.clone(),
        },
    )
    .unwrap();
    assert_eq!(g.step(id).unwrap().config(), config);
    let bad = StepConfig {
        outputs: [("variable".to_string(), "not a name".to_string())].into(),
        ..config
    };
    refused(
        &f,
        Command::Configure { id, config: bad },
        CommandError::InvalidName("not a name".into()),
    );
    let stranger = Step::new("flow.comment");
    refused(
        &f,
        Command::Configure {
            id: stranger.id,
            config: StepConfig::default(),
        },
        CommandError::UnknownStep(stranger.id),
    );
}

#[test]
fn set_reference_binds_and_unbinds() {
    let f = flow(vec![step("connector:outlook/SendEmail")]);
    let id = f.subflows[0].steps[0].id;
    applied(
        &f,
        Command::SetReference {
            id,
            reference: Some("pb_outlook_7f3a".into()),
        },
    );
    let mut g = f.clone();
    apply(
        &mut g,
        Command::SetReference {
            id,
            reference: Some("pb_outlook_7f3a".into()),
        },
    )
    .unwrap();
    assert_eq!(
        g.step(id).unwrap().reference.as_deref(),
        Some("pb_outlook_7f3a")
    );
    applied(
        &g,
        Command::SetReference {
            id,
            reference: None,
        },
    );
    let stranger = Step::new("flow.comment");
    refused(
        &f,
        Command::SetReference {
            id: stranger.id,
            reference: None,
        },
        CommandError::UnknownStep(stranger.id),
    );
}

#[test]
fn enable_and_disable() {
    let f = base();
    assert_eq!(
        applied(
            &f,
            Command::SetEnabled {
                ids: vec![id_of(&f, "a"), id_of(&f, "c"), id_of(&f, "e")],
                enabled: false,
            }
        ),
        ["-a", "if", "  b", "  -c", "d", "loop", "# S", "-e"]
    );
    let stranger = Step::new("flow.comment");
    refused(
        &f,
        Command::SetEnabled {
            ids: vec![id_of(&f, "a"), stranger.id],
            enabled: false,
        },
        CommandError::UnknownStep(stranger.id),
    );
}

#[test]
fn set_enabled_with_a_repeated_id_undoes_to_the_start() {
    // Regression: the inverse re-applied the per-step states in forward order, so a step named
    // twice was restored to the state of its second mention (disabled), not its original one.
    let f = base();
    let a = id_of(&f, "a");
    assert_eq!(
        applied(
            &f,
            Command::SetEnabled {
                ids: vec![a, a],
                enabled: false,
            }
        )[0],
        "-a"
    );
}

#[test]
fn rename_variable_everywhere_it_is_produced_and_used() {
    let f = flow(vec![
        set("A", "1"),
        set("AB", "%A + 1%"),
        display("A is %A%, %AB%, %X.A%"),
        for_each("%A%", "A", vec![]),
    ]);
    let mut g = f.clone();
    applied(
        &f,
        Command::RenameVariable {
            from: "A".into(),
            to: "Total".into(),
        },
    );
    apply(
        &mut g,
        Command::RenameVariable {
            from: "A".into(),
            to: "Total".into(),
        },
    )
    .unwrap();
    let s = &g.subflows[0].steps;
    assert_eq!(s[0].outputs["variable"], "Total");
    assert_eq!(s[1].outputs["variable"], "AB");
    assert_eq!(s[1].inputs["value"], "%Total + 1%");
    assert_eq!(s[2].inputs["message"], "A is %Total%, %AB%, %X.A%");
    assert_eq!(s[3].inputs["list"], "%Total%");
    assert_eq!(s[3].outputs["item"], "Total");
    refused(
        &f,
        Command::RenameVariable {
            from: "A".into(),
            to: "9lives".into(),
        },
        CommandError::InvalidName("9lives".into()),
    );
}

#[test]
fn rename_variable_renames_variable_name_inputs() {
    // Regression: "Increase variable" names its variable bare (`Count`, not `%Count%`), and
    // renaming the variable left it pointing at the old name.
    let f = flow(vec![
        set("Count", "0"),
        Step::new("variables.increase").with_input("variable", "Count"),
        Step::new("data.add_to_list")
            .with_input("item", "Count")
            .with_input("list", "Count"),
    ]);
    let mut g = f.clone();
    applied(
        &f,
        Command::RenameVariable {
            from: "Count".into(),
            to: "Total".into(),
        },
    );
    apply(
        &mut g,
        Command::RenameVariable {
            from: "Count".into(),
            to: "Total".into(),
        },
    )
    .unwrap();
    let s = &g.subflows[0].steps;
    assert_eq!(s[1].inputs["variable"], "Total");
    assert_eq!(s[2].inputs["list"], "Total");
    // A literal text that happens to equal the name is not a variable.
    assert_eq!(s[2].inputs["item"], "Count");
}

#[test]
fn rename_flow() {
    let f = base();
    let mut g = f.clone();
    applied(
        &f,
        Command::RenameFlow {
            name: "Invoices".into(),
        },
    );
    apply(
        &mut g,
        Command::RenameFlow {
            name: "Invoices".into(),
        },
    )
    .unwrap();
    assert_eq!(g.name, "Invoices");
}

#[test]
fn batch_applies_all_or_nothing() {
    let f = base();
    let x = comment("x");
    assert_eq!(
        applied(
            &f,
            Command::Batch(vec![
                Command::Insert {
                    at: Pos::top(0, 0),
                    steps: vec![x.clone()],
                },
                Command::Move {
                    ids: vec![x.id],
                    to: at(&f, "loop", 0),
                },
                Command::SetEnabled {
                    ids: vec![x.id],
                    enabled: false,
                },
                Command::RenameFlow { name: "N".into() },
            ])
        ),
        ["a", "if", "  b", "  c", "d", "loop", "  -x", "# S", "e"]
    );
    // The last command fails: everything before it is rolled back.
    let stranger = Step::new("flow.comment");
    refused(
        &f,
        Command::Batch(vec![
            Command::Insert {
                at: Pos::top(0, 0),
                steps: vec![x.clone()],
            },
            Command::Remove {
                ids: vec![id_of(&f, "if")],
            },
            Command::RenameVariable {
                from: "I".into(),
                to: "J".into(),
            },
            Command::RenameFlow { name: "N".into() },
            Command::Remove {
                ids: vec![stranger.id],
            },
        ]),
        CommandError::UnknownStep(stranger.id),
    );
    // An empty batch is a no-op with an empty inverse.
    applied(&f, Command::Batch(vec![]));
}

#[test]
fn editor_undoes_and_redoes_gestures() {
    let f = base();
    let mut ed = Editor::open(f.clone());
    assert!(!ed.undo());
    ed.dispatch(
        "Add Comment",
        Command::Insert {
            at: Pos::top(0, 0),
            steps: vec![comment("x")],
        },
    )
    .unwrap();
    let a = id_of(&f, "a");
    ed.dispatch(
        "Move 1 action",
        Command::Move {
            ids: vec![a],
            to: Pos::top(0, 5),
        },
    )
    .unwrap();
    let end = ed.flow().clone();
    // A refused command records nothing.
    assert!(ed
        .dispatch(
            "Bad",
            Command::Remove {
                ids: vec![Step::new("x").id]
            }
        )
        .is_err());
    assert_eq!(ed.undo_label(), Some("Move 1 action"));
    assert!(ed.undo() && ed.undo());
    assert_eq!(*ed.flow(), f);
    assert!(!ed.undo());
    assert_eq!(ed.redo_label(), Some("Add Comment"));
    assert!(ed.redo() && ed.redo());
    assert_eq!(*ed.flow(), end);
    assert!(!ed.redo());
    // A new gesture after an undo clears redo.
    ed.undo();
    ed.dispatch("Rename", Command::RenameFlow { name: "N".into() })
        .unwrap();
    assert!(!ed.redo());
}

#[test]
fn subflows_are_added_renamed_and_removed_main_stays() {
    let f = base();
    let names = |f: &Flow| {
        f.subflows
            .iter()
            .map(|s| s.name.clone())
            .collect::<Vec<_>>()
    };
    let mut g = f.clone();
    let add = Command::AddSubflow {
        index: 2,
        subflow: plugboard_model::Subflow {
            name: "Report".into(),
            steps: vec![comment("r")],
        },
    };
    applied(&f, add.clone());
    apply(&mut g, add).unwrap();
    assert_eq!(names(&g), ["Main", "S", "Report"]);
    applied(
        &g,
        Command::RenameSubflow {
            index: 1,
            name: "Setup".into(),
        },
    );
    applied(&g, Command::RemoveSubflow { index: 2 });

    refused(
        &g,
        Command::RemoveSubflow { index: 0 },
        CommandError::MainSubflow,
    );
    refused(
        &g,
        Command::RenameSubflow {
            index: 0,
            name: "X".into(),
        },
        CommandError::MainSubflow,
    );
    refused(
        &g,
        Command::RemoveSubflow { index: 3 },
        CommandError::UnknownSubflow(3),
    );
    for bad in ["report", "main", "", "two words"] {
        refused(
            &g,
            Command::RenameSubflow {
                index: 1,
                name: bad.into(),
            },
            CommandError::InvalidSubflowName(bad.into()),
        );
    }
    // A subflow's steps keep unique ids across the flow.
    let dup = g.subflows[1].steps[0].clone();
    refused(
        &g,
        Command::AddSubflow {
            index: 1,
            subflow: plugboard_model::Subflow {
                name: "Dup".into(),
                steps: vec![dup.clone()],
            },
        },
        CommandError::DuplicateId(dup.id),
    );
}
