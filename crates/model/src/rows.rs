//! The flow as numbered lines, as Power Automate for desktop draws it: one line per step, an "End"
//! line closing each block, clause lines (Else, Case…) at the block's indentation; and where a drop
//! between two lines lands in the tree.

use crate::catalog::{Catalog, Shape};
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
}
