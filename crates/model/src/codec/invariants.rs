//! What serde cannot check: subflows present, step count and depth, unique step ids, each
//! failure named by the line the designer draws the step on.

use super::{DecodeError, Limits};
use crate::flow::{Flow, Step, StepId};
use crate::library::standard_catalog;
use crate::rows::{rows, RowKind};
use std::collections::HashSet;

/// Limits and invariants serde cannot express: subflows present, step count and depth, unique ids.
pub(super) fn check_flow(flow: &Flow, limits: &Limits) -> Result<(), DecodeError> {
    if flow.subflows.is_empty() {
        return Err(DecodeError::NoSubflows);
    }
    let count = flow.step_count();
    if count > limits.max_steps {
        return Err(DecodeError::TooManySteps {
            count,
            limit: limits.max_steps,
        });
    }
    // Line numbers as the designer draws them, worked out only for an error (building the
    // catalog costs more than the checks; pasting runs them per keystroke). Connector actions
    // (not in the standard catalog) are plain lines, which is also how the designer draws them.
    let line = |sf: usize, id: StepId| line_of(flow, sf, &standard_catalog(), id);
    let mut seen: HashSet<StepId> = HashSet::with_capacity(count);
    for (sf, sub) in flow.subflows.iter().enumerate() {
        let path = |line: usize| format!("{}, line {}", sub.name, line);
        if let Some(id) = too_deep(&sub.steps, 1, limits.max_depth) {
            return Err(DecodeError::StepsTooDeep {
                path: path(line(sf, id)),
                limit: limits.max_depth,
            });
        }
        if let Some(id) = first_repeat(&sub.steps, &mut seen) {
            return Err(duplicate_error(flow, sf, id));
        }
    }
    Ok(())
}

/// The error for the first repeated step id, with the line of its repetition; `id`, repeated in
/// subflow `sf`, when no line shows it (the children of a step that is not a block).
fn duplicate_error(flow: &Flow, sf: usize, id: StepId) -> DecodeError {
    let catalog = standard_catalog();
    let mut seen: HashSet<StepId> = HashSet::new();
    for (sf, sub) in flow.subflows.iter().enumerate() {
        for (i, row) in rows(flow, sf, &catalog).iter().enumerate() {
            if row.kind == RowKind::Step && !seen.insert(row.id) {
                return DecodeError::DuplicateStepId {
                    id: row.id,
                    path: format!("{}, line {}", sub.name, i + 1),
                };
            }
        }
    }
    DecodeError::DuplicateStepId {
        id,
        path: flow.subflows[sf].name.clone(),
    }
}

/// The first step (each before its children) whose id is already in `seen`, adding the others.
fn first_repeat(steps: &[Step], seen: &mut HashSet<StepId>) -> Option<StepId> {
    steps.iter().find_map(|s| {
        if seen.insert(s.id) {
            first_repeat(&s.children, seen)
        } else {
            Some(s.id)
        }
    })
}

/// The first step deeper than `max` (depth 1 = top level).
fn too_deep(steps: &[Step], depth: usize, max: usize) -> Option<StepId> {
    steps.iter().find_map(|s| {
        if depth > max {
            Some(s.id)
        } else {
            too_deep(&s.children, depth + 1, max)
        }
    })
}

fn line_of(flow: &Flow, sf: usize, catalog: &crate::catalog::Catalog, id: StepId) -> usize {
    crate::rows::line_of(&rows(flow, sf, catalog), id).map_or(0, |i| i + 1)
}
