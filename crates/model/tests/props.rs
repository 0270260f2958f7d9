//! Properties over random flows and random edits: every command's inverse restores the document,
//! undo/redo through the editor round-trips whole edit sequences, a refused command changes
//! nothing, the codec round-trips, and the checker gives every problem a line.

mod common;

use common::*;
use plugboard_model::codec::{decode, decode_steps, encode, encode_steps};
use plugboard_model::command::{apply, Command};
use plugboard_model::flow::{Flow, OnError, Pos, Step, StepConfig, StepId, Subflow};
use plugboard_model::history::Editor;
use plugboard_model::library::standard_catalog;
use plugboard_model::rows;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Text that exercises the codec: percent signs, quotes, backslashes, brackets, non-ASCII.
fn any_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 %\"\\\\\\[{é\n]{0,8}"
}

fn var_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("A".to_string()),
        Just("B".to_string()),
        "[A-Z][a-z0-9_]{0,4}"
    ]
}

fn leaf() -> impl Strategy<Value = Step> {
    (0..6u8, any_text(), var_name(), any::<bool>(), any::<bool>()).prop_map(
        |(kind, text, var, enabled, referenced)| {
            let mut s = match kind {
                0 => comment(&text),
                1 => set(&var, &text),
                2 => display(&text),
                3 => else_(),
                4 => exit_loop(),
                _ => step("connector:outlook/SendEmail").with_input("To", &text),
            };
            s.enabled = enabled || kind == 0;
            if referenced {
                s.reference = Some(format!("pb_{var}"));
            }
            if kind == 2 && referenced {
                s.on_error = Some(OnError {
                    retries: 1,
                    interval_secs: 2,
                    continue_flow: enabled,
                    go_to_label: None,
                });
            }
            s
        },
    )
}

fn any_step() -> impl Strategy<Value = Step> {
    leaf().prop_recursive(4, 32, 4, |inner| {
        (0..3u8, any_text(), prop::collection::vec(inner, 0..4)).prop_map(
            |(kind, text, children)| match kind {
                0 => if_(&format!("%A% {text}"), children),
                1 => loop_("3", "I", children),
                _ => for_each("%L%", "Item", children),
            },
        )
    })
}

fn any_flow() -> impl Strategy<Value = Flow> {
    (
        "[A-Za-z ]{1,10}",
        prop::collection::vec(any_step(), 0..6),
        prop::collection::vec(prop::collection::vec(any_step(), 0..3), 0..3),
    )
        .prop_map(|(name, main, subs)| {
            let mut f = flow(main);
            f.name = name;
            for (i, steps) in subs.into_iter().enumerate() {
                f.subflows.push(Subflow {
                    name: format!("Sub{i}"),
                    steps,
                });
            }
            f
        })
}

/// An edit in the abstract: numbers that pick steps and positions of whatever flow it meets.
#[derive(Clone, Debug)]
struct Choice {
    kind: u8,
    a: usize,
    b: usize,
    c: usize,
    flag: bool,
    name: String,
}

fn any_choice() -> impl Strategy<Value = Choice> {
    (
        0..10u8,
        any::<usize>(),
        any::<usize>(),
        any::<usize>(),
        any::<bool>(),
        var_name(),
    )
        .prop_map(|(kind, a, b, c, flag, name)| Choice {
            kind,
            a,
            b,
            c,
            flag,
            name,
        })
}

fn ids(f: &Flow) -> Vec<StepId> {
    f.walk().into_iter().map(|(_, s)| s.id).collect()
}

/// Every position a step can be inserted at.
fn positions(f: &Flow) -> Vec<Pos> {
    let mut out = Vec::new();
    for (sf, sub) in f.subflows.iter().enumerate() {
        out.extend((0..=sub.steps.len()).map(|i| Pos::top(sf, i)));
    }
    for (sf, s) in f.walk() {
        out.extend((0..=s.children.len()).map(|index| Pos {
            subflow: sf,
            parent: Some(s.id),
            index,
        }));
    }
    out
}

/// Some (1 to 3, possibly repeated) of the flow's step ids; empty when it has none.
fn pick(f: &Flow, c: &Choice) -> Vec<StepId> {
    let all = ids(f);
    if all.is_empty() {
        return Vec::new();
    }
    let mut out = vec![all[c.a % all.len()]];
    if !c.b.is_multiple_of(3) {
        out.push(all[c.b % all.len()]);
    }
    if c.b % 3 > 1 {
        out.push(all[c.c % all.len()]);
    }
    out
}

/// A command that applies to `f`.
fn valid_command(f: &Flow, c: &Choice) -> Command {
    let picked = pick(f, c);
    if picked.is_empty() && matches!(c.kind, 1..=5) {
        return Command::RenameFlow {
            name: c.name.clone(),
        };
    }
    match c.kind {
        0 => {
            let pos = positions(f);
            let steps = if c.flag {
                vec![comment(&c.name)]
            } else {
                vec![if_("1", vec![comment(&c.name)]), set(&c.name, "1")]
            };
            Command::Insert {
                at: pos[c.b % pos.len()],
                steps,
            }
        }
        1 => Command::Remove { ids: picked },
        2 => {
            let targets: Vec<Pos> = positions(f)
                .into_iter()
                .filter(|p| {
                    p.parent
                        .is_none_or(|parent| picked.iter().all(|id| !f.is_within(parent, *id)))
                })
                .collect();
            Command::Move {
                ids: picked,
                to: targets[c.c % targets.len()],
            }
        }
        3 => {
            let mut inputs = BTreeMap::new();
            inputs.insert("value".to_string(), format!("%{}%", c.name));
            let mut outputs = BTreeMap::new();
            if c.flag {
                outputs.insert("variable".to_string(), c.name.clone());
            }
            Command::Configure {
                id: picked[0],
                config: StepConfig {
                    inputs,
                    outputs,
                    on_error: c.flag.then_some(OnError {
                        retries: 0,
                        interval_secs: 1,
                        continue_flow: true,
                        go_to_label: None,
                    }),
                },
            }
        }
        4 => Command::SetReference {
            id: picked[0],
            reference: c.flag.then(|| format!("pb_{}", c.name)),
        },
        5 => Command::SetEnabled {
            ids: picked,
            enabled: c.flag,
        },
        6 => {
            let vars: Vec<String> = f
                .walk()
                .into_iter()
                .flat_map(|(_, s)| s.outputs.values().cloned().collect::<Vec<_>>())
                .collect();
            let from = if vars.is_empty() {
                "A".to_string()
            } else {
                vars[c.a % vars.len()].clone()
            };
            Command::RenameVariable {
                from,
                to: c.name.clone(),
            }
        }
        7 => Command::RenameFlow {
            name: c.name.clone(),
        },
        8 => {
            // Subflows: add one (its name made free), rename or remove a non-main one.
            let n = f.subflows.len();
            let free = |base: &str| {
                (0..)
                    .map(|i| format!("{base}{i}"))
                    .find(|name| plugboard_model::command::subflow_name_free(f, name, None))
                    .unwrap()
            };
            match (c.a % 3, n) {
                (1, n) if n > 1 => Command::RenameSubflow {
                    index: 1 + c.b % (n - 1),
                    name: free(&format!("Sub_{}", c.name)),
                },
                (2, n) if n > 1 => Command::RemoveSubflow {
                    index: 1 + c.b % (n - 1),
                },
                _ => Command::AddSubflow {
                    index: 1 + c.b % n,
                    subflow: plugboard_model::Subflow {
                        name: free("Sub"),
                        steps: if c.flag {
                            vec![comment(&c.name)]
                        } else {
                            Vec::new()
                        },
                    },
                },
            }
        }
        _ => {
            // Two edits as one gesture: the second is chosen against the flow after the first.
            let first_choice = Choice {
                kind: (c.a % 8) as u8,
                ..c.clone()
            };
            let first = valid_command(f, &first_choice);
            let mut after = f.clone();
            apply(&mut after, first.clone()).expect("a valid command applies");
            let second = valid_command(
                &after,
                &Choice {
                    kind: (c.b % 8) as u8,
                    a: c.c,
                    ..c.clone()
                },
            );
            Command::Batch(vec![first, second])
        }
    }
}

/// A command that may be refused: moves and inserts to any position, ids that may not exist.
fn any_command(f: &Flow, c: &Choice) -> Command {
    let pos = positions(f);
    let mut to = pos[c.b % pos.len()];
    if c.c.is_multiple_of(5) {
        to.index += 1; // maybe past the end
    }
    if c.c.is_multiple_of(7) {
        to.subflow = (to.subflow + 1) % (f.subflows.len() + 1); // maybe another or no subflow
    }
    let mut picked = pick(f, c);
    if c.a.is_multiple_of(4) {
        picked.push(Step::new("flow.comment").id); // not in the flow
    }
    match c.kind % 3 {
        0 => Command::Move { ids: picked, to },
        1 => Command::Insert {
            at: to,
            // Reinserting a step already in the flow is a duplicate id.
            steps: picked
                .iter()
                .filter_map(|id| f.step(*id).cloned())
                .take(1)
                .collect(),
        },
        _ => Command::Batch(vec![valid_command(f, c), Command::Remove { ids: picked }]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_inverse_of_a_command_restores_the_flow(f in any_flow(), c in any_choice()) {
        let cmd = valid_command(&f, &c);
        let mut g = f.clone();
        let inverse = apply(&mut g, cmd.clone());
        prop_assert!(inverse.is_ok(), "{cmd:?} refused: {inverse:?}");
        let changed = g.clone();
        let redo = apply(&mut g, inverse.unwrap());
        prop_assert!(redo.is_ok());
        prop_assert_eq!(&g, &f);
        apply(&mut g, redo.unwrap()).unwrap();
        prop_assert_eq!(&g, &changed);
    }

    #[test]
    fn a_refused_command_changes_nothing(f in any_flow(), c in any_choice()) {
        let cmd = any_command(&f, &c);
        let mut g = f.clone();
        match apply(&mut g, cmd) {
            Err(_) => prop_assert_eq!(&g, &f),
            Ok(inverse) => {
                apply(&mut g, inverse).unwrap();
                prop_assert_eq!(&g, &f);
            }
        }
    }

    #[test]
    fn undo_all_then_redo_all_round_trips_an_edit_sequence(
        f in any_flow(),
        choices in prop::collection::vec(any_choice(), 1..16),
    ) {
        let mut ed = Editor::open(f.clone());
        for c in &choices {
            let cmd = valid_command(ed.flow(), c);
            prop_assert!(ed.dispatch("edit", cmd).is_ok());
        }
        let end = ed.flow().clone();
        while ed.undo() {}
        prop_assert_eq!(ed.flow(), &f);
        while ed.redo() {}
        prop_assert_eq!(ed.flow(), &end);
    }

    #[test]
    fn lines_follow_every_edit_undo_and_redo_as_if_redrawn(
        f in any_flow(),
        blocks in prop::collection::vec((0..4usize, 0..3u8), 0..3),
        choices in prop::collection::vec(any_choice(), 1..24),
        undo_at in prop::collection::vec(any::<u8>(), 0..6),
    ) {
        // Clause-holding blocks too (Switch with its cases, If with Else): their lines sit at
        // other depths than their siblings'.
        let mut f = f;
        for (at, kind) in blocks {
            let b = match kind {
                0 => switch("%A%", vec![comment("before"), case("1"), comment("c1"), default_case(), set("Z", "1")]),
                1 => if_("1", vec![comment("x"), else_if("2"), comment("y"), else_(), comment("z")]),
                _ => step("connector:outlook/Unknown").with_children(vec![comment("kid")]),
            };
            let main = &mut f.subflows[0].steps;
            main.insert(at.min(main.len()), b);
        }
        let cat = standard_catalog();
        let mut ed = Editor::open(f);
        let shown: Vec<usize> = (0..ed.flow().subflows.len()).collect();
        let mut lines: Vec<Vec<rows::Row>> = shown.iter().map(|&sf| rows::rows(ed.flow(), sf, &cat)).collect();
        let check = |ed: &Editor, lines: &mut Vec<Vec<rows::Row>>| -> Result<(), TestCaseError> {
            if lines.len() != ed.flow().subflows.len() {
                // Subflows came or went: the designer redraws.
                *lines = (0..ed.flow().subflows.len()).map(|sf| rows::rows(ed.flow(), sf, &cat)).collect();
                return Ok(());
            }
            for (sf, l) in lines.iter_mut().enumerate() {
                rows::follow(l, ed.flow(), sf, &cat, ed.last_edits());
                prop_assert_eq!(&*l, &rows::rows(ed.flow(), sf, &cat), "subflow {} after {:?}", sf, ed.last_edits());
            }
            Ok(())
        };
        for (i, c) in choices.iter().enumerate() {
            let cmd = valid_command(ed.flow(), c);
            prop_assert!(ed.dispatch("edit", cmd).is_ok());
            check(&ed, &mut lines)?;
            if undo_at.iter().any(|u| *u as usize % choices.len() == i) {
                while ed.undo() {
                    check(&ed, &mut lines)?;
                }
                while ed.redo() {
                    check(&ed, &mut lines)?;
                }
            }
        }
    }

    #[test]
    fn decode_of_encode_is_the_flow(f in any_flow()) {
        prop_assert_eq!(decode(&encode(&f)).unwrap(), f.clone());
        let pasted = decode_steps(&encode_steps(&f.subflows[0].steps)).unwrap();
        prop_assert_eq!(pasted.len(), f.subflows[0].steps.len());
    }

    #[test]
    fn every_problem_has_a_line(f in any_flow()) {
        let cat = standard_catalog();
        for p in plugboard_model::check::check(&f, &cat) {
            prop_assert!(p.line >= 1, "{p:?}");
            prop_assert_eq!(f.locate(p.step).map(|pos| pos.subflow), Some(p.subflow));
        }
    }
}
