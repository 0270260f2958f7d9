//! Edit commands: every change to a flow is a `Command`; `apply` performs it and returns its inverse.

use crate::flow::{Flow, Pos, Step, StepConfig, StepId, Subflow};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One change to a flow. Applying a command returns the command that undoes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Insert steps (with their children) before `at.index` among `at.parent`'s children.
    Insert { at: Pos, steps: Vec<Step> },
    /// Remove steps (with their children). Steps under another removed step are removed with it.
    Remove { ids: Vec<StepId> },
    /// Move steps (with their children), in document order, to a position given in terms of the
    /// document before the move.
    Move { ids: Vec<StepId>, to: Pos },
    /// Replace the inputs, produced variables and error handling of a step.
    Configure { id: StepId, config: StepConfig },
    /// Bind a step to a connection reference (by logical name) or unbind it.
    SetReference {
        id: StepId,
        reference: Option<String>,
    },
    /// Enable or disable steps.
    SetEnabled { ids: Vec<StepId>, enabled: bool },
    /// Rename a variable everywhere: where steps produce it and where inputs use it.
    RenameVariable { from: String, to: String },
    /// Rename the flow.
    RenameFlow { name: String },
    /// Add a subflow at `index` (1 or later: "Main" stays first).
    AddSubflow { index: usize, subflow: Subflow },
    /// Remove a subflow (not "Main") with its steps.
    RemoveSubflow { index: usize },
    /// Rename a subflow (not "Main").
    RenameSubflow { index: usize, name: String },
    /// Several commands as one (one gesture = one undo step).
    Batch(Vec<Command>),
}

/// Why a command could not be applied. The flow is unchanged when `apply` returns one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    UnknownStep(StepId),
    UnknownParent(StepId),
    UnknownSubflow(usize),
    IndexOutOfRange {
        index: usize,
        len: usize,
    },
    MoveIntoItself(StepId),
    DuplicateId(StepId),
    InvalidName(String),
    /// A subflow name that is empty, not a name, "Main" or already taken.
    InvalidSubflowName(String),
    /// "Main" cannot be removed, renamed or displaced.
    MainSubflow,
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::UnknownStep(id) => write!(f, "no step with id {id}"),
            CommandError::UnknownParent(id) => {
                write!(f, "no block step with id {id} to insert into")
            }
            CommandError::UnknownSubflow(i) => write!(f, "no subflow number {}", i + 1),
            CommandError::IndexOutOfRange { index, len } => {
                write!(f, "position {index} is past the end ({len} steps)")
            }
            CommandError::MoveIntoItself(id) => write!(f, "step {id} cannot be moved into itself"),
            CommandError::DuplicateId(id) => {
                write!(f, "a step with id {id} is already in the flow")
            }
            CommandError::InvalidName(n) => write!(f, "\"{n}\" is not a valid variable name"),
            CommandError::InvalidSubflowName(n) => write!(
                f,
                "\"{n}\" cannot name a subflow: use letters, digits and _, and a name no other subflow has"
            ),
            CommandError::MainSubflow => write!(f, "the Main subflow cannot be removed, renamed or moved"),
        }
    }
}

impl std::error::Error for CommandError {}

/// Is `name` a valid variable name (letters, digits, underscore; not starting with a digit)?
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && name.len() <= 100
}

/// A change `apply` made to a flow's tree, in the order made: what the drawn lines follow
/// (`rows::follow`) without redrawing the whole subflow.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Steps `ids` (with their children) were put among the children of `at.parent`, the first
    /// at `at.index`.
    Inserted { at: Pos, ids: Vec<StepId> },
    /// Step `id` (with its children), of action `action`, was taken from among the children of
    /// `parent` in subflow `subflow`.
    Removed {
        subflow: usize,
        parent: Option<StepId>,
        id: StepId,
        action: String,
    },
    /// A subflow was added or removed: subflows after it changed index.
    Subflows,
}

/// Apply `cmd` to `flow`; on success return the inverse command. On error the flow is unchanged.
pub fn apply(flow: &mut Flow, cmd: Command) -> Result<Command, CommandError> {
    apply_recorded(flow, cmd, &mut Vec::new())
}

/// `apply`, appending to `edits` each change to the tree as it is made. On error `edits` holds
/// changes that were rolled back: the caller drops them.
pub fn apply_recorded(
    flow: &mut Flow,
    cmd: Command,
    edits: &mut Vec<Edit>,
) -> Result<Command, CommandError> {
    match cmd {
        Command::Insert { at, steps } => insert(flow, at, steps, edits),
        Command::Remove { ids } => match outermost(flow, &ids)?.as_slice() {
            [one] => remove_one(flow, *one, edits),
            // Several go through a batch so undo restores them in reverse order, each at its index.
            many => apply_batch(
                flow,
                many.iter()
                    .map(|id| Command::Remove { ids: vec![*id] })
                    .collect(),
                edits,
            ),
        },
        Command::Move { ids, to } => move_steps(flow, ids, to, edits),
        Command::Configure { id, config } => {
            let step = flow.step_mut(id).ok_or(CommandError::UnknownStep(id))?;
            for var in config.outputs.values() {
                if !is_variable_name(var) {
                    return Err(CommandError::InvalidName(var.clone()));
                }
            }
            let old = step.config();
            step.inputs = config.inputs;
            step.outputs = config.outputs;
            step.on_error = config.on_error;
            Ok(Command::Configure { id, config: old })
        }
        Command::SetReference { id, reference } => {
            let step = flow.step_mut(id).ok_or(CommandError::UnknownStep(id))?;
            let old = std::mem::replace(&mut step.reference, reference);
            Ok(Command::SetReference { id, reference: old })
        }
        Command::SetEnabled { ids, enabled } => {
            for id in &ids {
                flow.step(*id).ok_or(CommandError::UnknownStep(*id))?;
            }
            let mut inverse = Vec::new();
            for id in ids {
                let step = flow.step_mut(id).expect("checked above");
                inverse.push(Command::SetEnabled {
                    ids: vec![id],
                    enabled: step.enabled,
                });
                step.enabled = enabled;
            }
            // Undo in reverse order, so a step named twice ends as it started.
            inverse.reverse();
            Ok(Command::Batch(inverse))
        }
        Command::RenameVariable { from, to } => rename_variable(flow, &from, &to),
        Command::RenameFlow { name } => {
            let old = std::mem::replace(&mut flow.name, name);
            Ok(Command::RenameFlow { name: old })
        }
        Command::AddSubflow { index, subflow } => {
            if index == 0 {
                return Err(CommandError::MainSubflow);
            }
            if index > flow.subflows.len() {
                return Err(CommandError::UnknownSubflow(index));
            }
            if !subflow_name_free(flow, &subflow.name, None) {
                return Err(CommandError::InvalidSubflowName(subflow.name));
            }
            let taken: Vec<StepId> = flow.walk().into_iter().map(|(_, s)| s.id).collect();
            let mut new_ids = Vec::new();
            fn collect(s: &Step, out: &mut Vec<StepId>) {
                out.push(s.id);
                s.children.iter().for_each(|c| collect(c, out));
            }
            subflow.steps.iter().for_each(|s| collect(s, &mut new_ids));
            let mut seen = std::collections::HashSet::new();
            if let Some(dup) = new_ids
                .iter()
                .find(|id| taken.contains(id) || !seen.insert(**id))
            {
                return Err(CommandError::DuplicateId(*dup));
            }
            flow.subflows.insert(index, subflow);
            edits.push(Edit::Subflows);
            Ok(Command::RemoveSubflow { index })
        }
        Command::RemoveSubflow { index } => {
            if index == 0 {
                return Err(CommandError::MainSubflow);
            }
            if index >= flow.subflows.len() {
                return Err(CommandError::UnknownSubflow(index));
            }
            let subflow = flow.subflows.remove(index);
            edits.push(Edit::Subflows);
            Ok(Command::AddSubflow { index, subflow })
        }
        Command::RenameSubflow { index, name } => {
            if index == 0 {
                return Err(CommandError::MainSubflow);
            }
            if index >= flow.subflows.len() {
                return Err(CommandError::UnknownSubflow(index));
            }
            if !subflow_name_free(flow, &name, Some(index)) {
                return Err(CommandError::InvalidSubflowName(name));
            }
            let old = std::mem::replace(&mut flow.subflows[index].name, name);
            Ok(Command::RenameSubflow { index, name: old })
        }
        Command::Batch(cmds) => apply_batch(flow, cmds, edits),
    }
}

/// Can a subflow (other than `except`) take this name? Names follow variable-name rules, and
/// "Main" is the main flow's alone (compared without case, as Power Automate for desktop does).
pub fn subflow_name_free(flow: &Flow, name: &str, except: Option<usize>) -> bool {
    is_variable_name(name)
        && !name.eq_ignore_ascii_case("main")
        && !flow
            .subflows
            .iter()
            .enumerate()
            .any(|(i, s)| Some(i) != except && s.name.eq_ignore_ascii_case(name))
}

fn apply_batch(
    flow: &mut Flow,
    cmds: Vec<Command>,
    edits: &mut Vec<Edit>,
) -> Result<Command, CommandError> {
    let mut done: Vec<Command> = Vec::with_capacity(cmds.len());
    for c in cmds {
        match apply_recorded(flow, c, edits) {
            Ok(inv) => done.push(inv),
            Err(e) => {
                // Roll back what this batch already did so a failed command changes nothing.
                for inv in done.into_iter().rev() {
                    apply(flow, inv).expect("the inverse of an applied command applies");
                }
                return Err(e);
            }
        }
    }
    done.reverse();
    Ok(Command::Batch(done))
}

fn insert(
    flow: &mut Flow,
    at: Pos,
    steps: Vec<Step>,
    edits: &mut Vec<Edit>,
) -> Result<Command, CommandError> {
    if at.subflow >= flow.subflows.len() {
        return Err(CommandError::UnknownSubflow(at.subflow));
    }
    // Ids must stay unique in the document (paste gives fresh ids; undo restores the same ones).
    fn ids(s: &Step, out: &mut Vec<StepId>) {
        out.push(s.id);
        s.children.iter().for_each(|c| ids(c, out));
    }
    let mut new_ids = Vec::new();
    steps.iter().for_each(|s| ids(s, &mut new_ids));
    if let Some(dup) = first_duplicate(&new_ids) {
        return Err(CommandError::DuplicateId(dup));
    }
    // One pass over the flow for every new id, not a search of the flow per id.
    let found = Ids::new(&new_ids);
    if let Some(dup) = flow
        .subflows
        .iter()
        .find_map(|sub| first_in(&sub.steps, &found))
    {
        return Err(CommandError::DuplicateId(dup));
    }
    let siblings = flow
        .siblings_mut(at.subflow, at.parent)
        .ok_or(CommandError::UnknownParent(at.parent.unwrap_or_default()))?;
    if at.index > siblings.len() {
        return Err(CommandError::IndexOutOfRange {
            index: at.index,
            len: siblings.len(),
        });
    }
    let inserted: Vec<StepId> = steps.iter().map(|s| s.id).collect();
    siblings.splice(at.index..at.index, steps);
    edits.push(Edit::Inserted {
        at,
        ids: inserted.clone(),
    });
    Ok(Command::Remove { ids: inserted })
}

fn remove_one(flow: &mut Flow, id: StepId, edits: &mut Vec<Edit>) -> Result<Command, CommandError> {
    let pos = flow.locate(id).ok_or(CommandError::UnknownStep(id))?;
    let siblings = flow.siblings_mut(pos.subflow, pos.parent).expect("located");
    let step = siblings.remove(pos.index);
    edits.push(Edit::Removed {
        subflow: pos.subflow,
        parent: pos.parent,
        id,
        action: step.action.clone(),
    });
    Ok(Command::Insert {
        at: pos,
        steps: vec![step],
    })
}

/// A set of step ids: a gesture names one or a few, so a short list is searched in place and
/// only a long one is hashed.
enum Ids<'a> {
    Few(&'a [StepId]),
    Many(std::collections::HashSet<StepId>),
}

impl<'a> Ids<'a> {
    fn new(ids: &'a [StepId]) -> Self {
        if ids.len() <= 16 {
            Ids::Few(ids)
        } else {
            Ids::Many(ids.iter().copied().collect())
        }
    }

    fn contains(&self, id: &StepId) -> bool {
        match self {
            Ids::Few(ids) => ids.contains(id),
            Ids::Many(set) => set.contains(id),
        }
    }

    /// How many different ids there are.
    fn distinct(&self) -> usize {
        match self {
            Ids::Few(ids) => (0..ids.len())
                .filter(|&i| !ids[..i].contains(&ids[i]))
                .count(),
            Ids::Many(set) => set.len(),
        }
    }
}

/// The first id that appears twice in `ids`, if any.
fn first_duplicate(ids: &[StepId]) -> Option<StepId> {
    if ids.len() <= 16 {
        return ids
            .iter()
            .enumerate()
            .find(|(i, id)| ids[..*i].contains(id))
            .map(|(_, id)| *id);
    }
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.iter().find(|id| !seen.insert(**id)).copied()
}

/// The first step of the tree `steps` whose id is in `ids`.
fn first_in(steps: &[Step], ids: &Ids) -> Option<StepId> {
    steps.iter().find_map(|s| {
        if ids.contains(&s.id) {
            Some(s.id)
        } else {
            first_in(&s.children, ids)
        }
    })
}

/// The given ids that are not under another given id, in document order; errors on an unknown id.
fn outermost(flow: &Flow, ids: &[StepId]) -> Result<Vec<StepId>, CommandError> {
    // One walk finds them all; it ends once every id has been met (above or under another).
    let set = Ids::new(ids);
    let wanted = set.distinct();
    fn walk(
        steps: &[Step],
        set: &Ids,
        under: bool,
        met: &mut usize,
        wanted: usize,
        out: &mut Vec<StepId>,
    ) {
        for s in steps {
            if *met == wanted {
                return;
            }
            let named = set.contains(&s.id);
            if named {
                *met += 1;
                if !under {
                    out.push(s.id);
                }
            }
            walk(&s.children, set, under || named, met, wanted, out);
        }
    }
    let mut out = Vec::new();
    let mut met = 0;
    for sub in &flow.subflows {
        walk(&sub.steps, &set, false, &mut met, wanted, &mut out);
    }
    if met < wanted {
        let unknown = ids
            .iter()
            .find(|id| flow.step(**id).is_none())
            .expect("an id the walk did not meet is not in the flow");
        return Err(CommandError::UnknownStep(*unknown));
    }
    Ok(out)
}

fn move_steps(
    flow: &mut Flow,
    ids: Vec<StepId>,
    to: Pos,
    edits: &mut Vec<Edit>,
) -> Result<Command, CommandError> {
    let ids = outermost(flow, &ids)?;
    if to.subflow >= flow.subflows.len() {
        return Err(CommandError::UnknownSubflow(to.subflow));
    }
    if let Some(parent) = to.parent {
        if flow.siblings(to.subflow, Some(parent)).is_none() {
            return Err(CommandError::UnknownParent(parent));
        }
        if let Some(id) = ids.iter().find(|id| flow.is_within(parent, **id)) {
            return Err(CommandError::MoveIntoItself(*id));
        }
    }
    let len = flow.siblings(to.subflow, to.parent).map_or(0, Vec::len);
    if to.index > len {
        return Err(CommandError::IndexOutOfRange {
            index: to.index,
            len,
        });
    }
    // Moved steps that sit before the target among the same siblings shift the target left.
    let shift = ids
        .iter()
        .filter_map(|id| flow.locate(*id))
        .filter(|p| p.subflow == to.subflow && p.parent == to.parent && p.index < to.index)
        .count();
    let removed = apply_recorded(flow, Command::Remove { ids: ids.clone() }, edits)?;
    let mut steps = Vec::with_capacity(ids.len());
    for id in &ids {
        // Collect the removed steps back from the inverse, in document order.
        steps.push(take_from_inverse(&removed, *id).expect("removed step is in the inverse"));
    }
    let at = Pos {
        index: to.index - shift,
        ..to
    };
    match insert(flow, at, steps, edits) {
        Ok(inv_insert) => Ok(Command::Batch(vec![inv_insert, removed])),
        Err(e) => {
            apply(flow, removed).expect("restoring removed steps applies");
            Err(e)
        }
    }
}

fn take_from_inverse(inv: &Command, id: StepId) -> Option<Step> {
    match inv {
        Command::Insert { steps, .. } => steps.iter().find(|s| s.id == id).cloned(),
        Command::Batch(cmds) => cmds.iter().find_map(|c| take_from_inverse(c, id)),
        _ => None,
    }
}

fn rename_variable(flow: &mut Flow, from: &str, to: &str) -> Result<Command, CommandError> {
    if !is_variable_name(to) {
        return Err(CommandError::InvalidName(to.to_string()));
    }
    let mut inverse = Vec::new();
    let ids: Vec<StepId> = flow.walk().into_iter().map(|(_, s)| s.id).collect();
    for id in ids {
        let step = flow.step_mut(id).expect("walked");
        let mut config = step.config();
        let mut changed = false;
        for var in config.outputs.values_mut() {
            if var == from {
                *var = to.to_string();
                changed = true;
            }
        }
        let def = variable_params().get(&step.action);
        for (key, text) in config.inputs.iter_mut() {
            // A variable-name input holds the bare name (`NewVar`), not an expression.
            let bare_name = def.and_then(|d| d.param(key)).is_some_and(|p| {
                p.ty == crate::catalog::ParamType::VariableName && text.trim() == from
            });
            if bare_name {
                *text = to.to_string();
                changed = true;
                continue;
            }
            let renamed = crate::expr::rename(text, from, to);
            if renamed != *text {
                *text = renamed;
                changed = true;
            }
        }
        if changed {
            let old = step.config();
            step.inputs = config.inputs;
            step.outputs = config.outputs;
            inverse.push(Command::Configure { id, config: old });
        }
    }
    Ok(Command::Batch(inverse))
}

/// The standard actions, to know which inputs are variable names. Connector actions take no
/// variable-name inputs, so the standard library is all `RenameVariable` needs.
fn variable_params() -> &'static crate::catalog::Catalog {
    static CATALOG: std::sync::OnceLock<crate::catalog::Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(crate::library::standard_catalog)
}
