//! The flow as numbered lines, as Power Automate for desktop draws it: one line per step, an "End"
//! line closing each block, clause lines (Else, Case…) at the block's indentation; and where a drop
//! between two lines lands in the tree.

use crate::catalog::{Catalog, Shape};
use crate::command::Edit;
use crate::flow::{Flow, Pos, Step, StepId};
use crate::library::ids;

/// What a line shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    Step,
    /// The "End" line of the block step `id`.
    End,
}

/// One line of a subflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: StepId,
    pub kind: RowKind,
    pub depth: u16,
}

/// How the catalog shapes a step: unknown actions with children still draw as blocks.
fn shape_of(catalog: &Catalog, step: &Step) -> Kind {
    match catalog.get(&step.action).map(|d| &d.shape) {
        Some(Shape::Block { .. }) => Kind::Block,
        Some(Shape::Clause { .. }) => Kind::Clause,
        Some(Shape::Plain) => Kind::Plain,
        None if !step.children.is_empty() => Kind::Block,
        None => Kind::Plain,
    }
}

/// A step's shape without its details (no allocation on the per-edit path).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Block,
    Clause,
}

/// Every line of subflow `subflow`, in order; line number = index + 1.
pub fn rows(flow: &Flow, subflow: usize, catalog: &Catalog) -> Vec<Row> {
    let mut out = Vec::new();
    if let Some(sub) = flow.subflows.get(subflow) {
        push_rows(&sub.steps, 0, catalog, &mut out);
    }
    out
}

fn push_rows(steps: &[Step], depth: u16, catalog: &Catalog, out: &mut Vec<Row>) {
    for s in steps {
        out.push(Row {
            id: s.id,
            kind: RowKind::Step,
            depth,
        });
        if shape_of(catalog, s) == Kind::Block {
            // Switch draws its Case lines one level in, If draws Else at its own level.
            let clause_depth = if s.action == ids::SWITCH {
                depth + 1
            } else {
                depth
            };
            let mut child_depth = depth + 1;
            for c in &s.children {
                if shape_of(catalog, c) == Kind::Clause {
                    out.push(Row {
                        id: c.id,
                        kind: RowKind::Step,
                        depth: clause_depth,
                    });
                    child_depth = clause_depth + 1;
                    // A clause holds no children of its own, but a malformed flow may give it
                    // some: draw them so they can be seen, selected and fixed.
                    push_rows(&c.children, child_depth, catalog, out);
                } else {
                    push_rows(std::slice::from_ref(c), child_depth, catalog, out);
                }
            }
            out.push(Row {
                id: s.id,
                kind: RowKind::End,
                depth,
            });
        } else if !s.children.is_empty() {
            push_rows(&s.children, depth + 1, catalog, out);
        }
    }
}

/// Bring `rows`, the lines of subflow `subflow` before a change, up to date with `flow` after it,
/// given the change's tree edits (`Editor::last_edits`): the lines of the steps an edit inserted
/// or removed are spliced in or out, and no other line is rebuilt. An edit whose lines cannot be
/// placed with certainty (one that changes how a block draws its other lines: a clause, or the
/// first or last child of an action the catalog does not know) redraws the subflow.
pub fn follow(rows: &mut Vec<Row>, flow: &Flow, subflow: usize, catalog: &Catalog, edits: &[Edit]) {
    for (k, edit) in edits.iter().enumerate() {
        if splice(rows, flow, subflow, catalog, edit, &edits[k + 1..]).is_none() {
            *rows = self::rows(flow, subflow, catalog);
            return;
        }
    }
}

/// Apply one edit to the lines; `None` when it cannot be done in place. `later` are the edits
/// after it: `flow` is the flow after all of them, so a step they touch is not a landmark.
fn splice(
    rows: &mut Vec<Row>,
    flow: &Flow,
    subflow: usize,
    catalog: &Catalog,
    edit: &Edit,
    later: &[Edit],
) -> Option<()> {
    // A landmark (the parent, the next sibling) must stay where it is; a step drawn from the
    // flow must be as it is now, children included.
    let stays = |id: StepId| !later.iter().any(|e| moves(e, id));
    let settled = |id: StepId| !later.iter().any(|e| moves(e, id) || fills(e, id));
    match edit {
        Edit::Subflows => None,
        Edit::Removed { subflow: sf, .. }
        | Edit::Inserted {
            at: Pos { subflow: sf, .. },
            ..
        } if *sf != subflow => Some(()),
        Edit::Removed {
            parent, id, action, ..
        } => {
            if is_clause(catalog, action) || parent.is_some_and(|p| !shape_known(flow, catalog, p))
            {
                return None;
            }
            let start = line_of(rows, *id)?;
            let end = start + extent(&rows[start..], *id);
            rows.drain(start..end);
            Some(())
        }
        Edit::Inserted { at, ids } => {
            let first = *ids.first()?;
            let siblings = flow.siblings(subflow, at.parent)?;
            let index = siblings.iter().position(|s| s.id == first)?;
            let placed = siblings.get(index..index + ids.len())?;
            // The lines are drawn from the flow after every edit: steps a later edit puts into
            // (or takes from) these would be drawn twice (or not at all).
            if placed.iter().zip(ids).any(|(s, id)| s.id != *id)
                || placed.iter().any(|s| shape_of(catalog, s) == Kind::Clause)
                || !later.is_empty() && !untouched(placed, &settled)
            {
                return None;
            }
            let parent = match at.parent {
                Some(p) => {
                    let step = flow.step(p)?;
                    if catalog.get(&step.action).is_none()
                        || shape_of(catalog, step) != Kind::Block
                        || !stays(p)
                    {
                        return None;
                    }
                    Some((line_of(rows, p)?, step))
                }
                None => None,
            };
            let next = siblings.get(index + ids.len());
            if next.is_some_and(|s| !stays(s.id)) {
                return None;
            }
            // The lines go before the next sibling's, else before the parent's End line.
            let line = match (next, parent) {
                (Some(n), _) => line_of(rows, n.id)?,
                (None, Some((p, _))) => p + extent(&rows[p..], rows[p].id) - 1,
                (None, None) => rows.len(),
            };
            // Their depth: the next sibling's when it is not a clause (a clause sits a level
            // out); else, in a block, one in from the last clause before them, or from the block.
            let depth = match (next, parent) {
                (Some(n), _) if shape_of(catalog, n) != Kind::Clause => rows[line].depth,
                (_, None) => 0,
                (_, Some((p, step))) => {
                    let d = rows[p].depth;
                    let clause_depth = if step.action == ids::SWITCH { d + 1 } else { d };
                    let after_clause = siblings[..index]
                        .iter()
                        .rev()
                        .any(|s| shape_of(catalog, s) == Kind::Clause);
                    if after_clause {
                        clause_depth + 1
                    } else {
                        d + 1
                    }
                }
            };
            let mut lines = Vec::new();
            push_rows(placed, depth, catalog, &mut lines);
            rows.splice(line..line, lines);
            Some(())
        }
    }
}

/// Does `edit` insert or remove step `id`?
fn moves(edit: &Edit, id: StepId) -> bool {
    match edit {
        Edit::Inserted { ids, .. } => ids.contains(&id),
        Edit::Removed { id: r, .. } => *r == id,
        Edit::Subflows => false,
    }
}

/// Does `edit` put steps into step `id` or take some from it?
fn fills(edit: &Edit, id: StepId) -> bool {
    match edit {
        Edit::Inserted { at, .. } => at.parent == Some(id),
        Edit::Removed { parent, .. } => *parent == Some(id),
        Edit::Subflows => false,
    }
}

/// Is every step of the trees `steps` as the later edits leave it (none of them touches it)?
fn untouched(steps: &[Step], settled: &impl Fn(StepId) -> bool) -> bool {
    steps
        .iter()
        .all(|s| settled(s.id) && untouched(&s.children, settled))
}

fn is_clause(catalog: &Catalog, action: &str) -> bool {
    matches!(
        catalog.get(action).map(|d| &d.shape),
        Some(Shape::Clause { .. })
    )
}

/// Does step `id` draw the same whatever its children (the catalog knows its action)?
fn shape_known(flow: &Flow, catalog: &Catalog, id: StepId) -> bool {
    flow.step(id)
        .is_some_and(|s| catalog.get(&s.action).is_some())
}

/// How many lines the step whose own line starts `lines` draws, its children's included: to
/// its End line when it has one, else its line and the deeper lines after it.
fn extent(lines: &[Row], id: StepId) -> usize {
    let depth = lines[0].depth;
    for (i, r) in lines.iter().enumerate().skip(1) {
        if r.id == id && r.kind == RowKind::End {
            return i + 1;
        }
        if r.depth < depth {
            break;
        }
    }
    1 + lines[1..].iter().take_while(|r| r.depth > depth).count()
}

/// Where a drop in the gap before line `gap` (0-based; `rows.len()` = after the last line) lands:
/// before that line's step, or at the end of the block an "End" line closes.
pub fn drop_position(flow: &Flow, subflow: usize, rows: &[Row], gap: usize) -> Pos {
    match rows.get(gap) {
        None => Pos::top(
            subflow,
            flow.subflows.get(subflow).map_or(0, |s| s.steps.len()),
        ),
        Some(row) if row.kind == RowKind::End => Pos {
            subflow,
            parent: Some(row.id),
            index: flow.step(row.id).map_or(0, |s| s.children.len()),
        },
        Some(row) => flow.locate(row.id).unwrap_or(Pos::top(subflow, 0)),
    }
}

/// The indentation an insertion line at `gap` is drawn with.
pub fn drop_depth(rows: &[Row], gap: usize) -> u16 {
    match rows.get(gap) {
        None => 0,
        Some(r) if r.kind == RowKind::End => r.depth + 1,
        Some(r) => r.depth,
    }
}

/// The line index of each step's own line (not its End line).
pub fn line_of(rows: &[Row], id: StepId) -> Option<usize> {
    rows.iter()
        .position(|r| r.id == id && r.kind == RowKind::Step)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::standard_catalog;

    fn render(flow: &Flow) -> Vec<String> {
        let cat = standard_catalog();
        rows(flow, 0, &cat)
            .iter()
            .map(|r| {
                let name = match r.kind {
                    RowKind::End => "End".to_string(),
                    RowKind::Step => cat
                        .get(&flow.step(r.id).unwrap().action)
                        .unwrap()
                        .name
                        .clone(),
                };
                format!("{}{}", "  ".repeat(r.depth as usize), name)
            })
            .collect()
    }

    #[test]
    fn lines_of_if_else_and_switch() {
        let mut flow = Flow::new("t");
        flow.subflows[0].steps = vec![
            Step::new("conditionals.if").with_children(vec![
                Step::new("flow.comment"),
                Step::new("conditionals.else"),
                Step::new("flow.wait"),
            ]),
            Step::new("conditionals.switch").with_children(vec![
                Step::new("conditionals.case"),
                Step::new("flow.comment"),
                Step::new("conditionals.default_case"),
            ]),
            Step::new("loops.loop"),
        ];
        assert_eq!(
            render(&flow),
            [
                "If",
                "  Comment",
                "Else",
                "  Wait",
                "End",
                "Switch",
                "  Case",
                "    Comment",
                "  Default case",
                "End",
                "Loop",
                "End"
            ]
        );
    }

    #[test]
    fn clause_with_children_draws_its_children() {
        // Regression: children of a clause step (an Else holding steps, as a malformed import
        // can have) got no line, so they could not be seen, selected or named by the checker.
        let mut flow = Flow::new("t");
        flow.subflows[0].steps = vec![Step::new("conditionals.if").with_children(vec![
            Step::new("conditionals.else").with_children(vec![Step::new("flow.comment")]),
            Step::new("flow.wait"),
        ])];
        assert_eq!(render(&flow), ["If", "Else", "  Comment", "  Wait", "End"]);
    }

    #[test]
    fn drop_positions_follow_lines() {
        let cat = standard_catalog();
        let mut flow = Flow::new("t");
        let inner = Step::new("flow.comment");
        let block = Step::new("conditionals.if").with_children(vec![inner.clone()]);
        let last = Step::new("flow.wait");
        flow.subflows[0].steps = vec![block.clone(), last.clone()];
        let r = rows(&flow, 0, &cat);
        // If, Comment, End, Wait
        assert_eq!(drop_position(&flow, 0, &r, 0), Pos::top(0, 0));
        assert_eq!(
            drop_position(&flow, 0, &r, 1),
            Pos {
                subflow: 0,
                parent: Some(block.id),
                index: 0
            }
        );
        assert_eq!(
            drop_position(&flow, 0, &r, 2),
            Pos {
                subflow: 0,
                parent: Some(block.id),
                index: 1
            }
        );
        assert_eq!(drop_position(&flow, 0, &r, 3), Pos::top(0, 1));
        assert_eq!(drop_position(&flow, 0, &r, 4), Pos::top(0, 2));
        assert_eq!(drop_depth(&r, 2), 1);
    }

    #[test]
    fn inserts_moves_and_their_undo_splice_lines_in_place() {
        use crate::command::Command;
        use crate::history::Editor;
        let cat = standard_catalog();
        let mut flow = Flow::new("t");
        let inner = Step::new("flow.comment");
        let block = Step::new("conditionals.if").with_children(vec![
            inner.clone(),
            Step::new("conditionals.else"),
            Step::new("flow.wait"),
        ]);
        let plain: Vec<Step> = (0..20).map(|_| Step::new("variables.set")).collect();
        flow.subflows[0].steps = plain.clone();
        flow.subflows[0].steps.insert(3, block.clone());
        let mut ed = Editor::open(flow);
        let mut lines = rows(ed.flow(), 0, &cat);
        // Each edit of a gesture is spliced in place (no redraw), and the lines are as redrawn.
        let expect_in_place = |ed: &Editor, lines: &mut Vec<Row>| {
            let edits = ed.last_edits();
            for (k, e) in edits.iter().enumerate() {
                assert!(
                    splice(lines, ed.flow(), 0, &cat, e, &edits[k + 1..]).is_some(),
                    "{e:?} redrew"
                );
            }
            assert_eq!(*lines, rows(ed.flow(), 0, &cat));
        };
        let pasted = Step::new("flow.comment");
        ed.dispatch(
            "Paste",
            Command::Insert {
                at: Pos::top(0, 1),
                steps: vec![pasted.clone()],
            },
        )
        .unwrap();
        expect_in_place(&ed, &mut lines);
        // Into the block, after its Else: one level in from the clause.
        ed.dispatch(
            "Move",
            Command::Move {
                ids: vec![pasted.id],
                to: Pos {
                    subflow: 0,
                    parent: Some(block.id),
                    index: 2,
                },
            },
        )
        .unwrap();
        expect_in_place(&ed, &mut lines);
        // At the end of the block (before its End line), several at once.
        ed.dispatch(
            "Move",
            Command::Move {
                ids: vec![plain[0].id, plain[5].id, plain[19].id],
                to: Pos {
                    subflow: 0,
                    parent: Some(block.id),
                    index: 4,
                },
            },
        )
        .unwrap();
        expect_in_place(&ed, &mut lines);
        ed.dispatch(
            "Delete",
            Command::Remove {
                ids: vec![block.id],
            },
        )
        .unwrap();
        expect_in_place(&ed, &mut lines);
        while ed.undo() {
            expect_in_place(&ed, &mut lines);
        }
        while ed.redo() {
            expect_in_place(&ed, &mut lines);
        }
    }
}
