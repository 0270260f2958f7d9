//! Undo and redo: the editor applies commands and keeps their inverses, one entry per gesture.
//! Its flow is read through `flow()`, so every change goes through `dispatch`, `undo` or `redo`.

use crate::command::{apply_recorded, Command, CommandError, Edit};
use crate::flow::Flow;

/// How many gestures can be undone.
pub const UNDO_LIMIT: usize = 500;

/// One undoable gesture: its label ("Move 3 actions") and the command that reverts it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub label: String,
    pub revert: Command,
}

/// Which document and which change of it a view was drawn for: `session` is new for each opened
/// document, `change` counts the changes made to it since.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Revision {
    pub session: u64,
    pub change: u64,
}

/// A flow with its undo and redo stacks. Every change goes through `dispatch`, `undo` or `redo`.
#[derive(Clone, Debug)]
pub struct Editor {
    flow: Flow,
    undo: Vec<Entry>,
    redo: Vec<Entry>,
    revision: Revision,
    /// The tree edits of the change that made `revision`.
    edits: Vec<Edit>,
}

impl Editor {
    /// Open a document: its history starts empty.
    pub fn open(flow: Flow) -> Self {
        use std::sync::atomic::{AtomicU64, Ordering};
        static SESSIONS: AtomicU64 = AtomicU64::new(1);
        Editor {
            flow,
            undo: Vec::new(),
            redo: Vec::new(),
            revision: Revision {
                session: SESSIONS.fetch_add(1, Ordering::Relaxed),
                change: 0,
            },
            edits: Vec::new(),
        }
    }

    /// The flow as it stands.
    pub fn flow(&self) -> &Flow {
        &self.flow
    }

    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// What the last change did to the tree, in order (see `rows::follow`).
    pub fn last_edits(&self) -> &[Edit] {
        &self.edits
    }

    /// Apply one gesture's command (use `Command::Batch` for several) as one undo step.
    pub fn dispatch(&mut self, label: impl Into<String>, cmd: Command) -> Result<(), CommandError> {
        let mut edits = Vec::new();
        let revert = apply_recorded(&mut self.flow, cmd, &mut edits)?;
        self.changed(edits);
        self.undo.push(Entry {
            label: label.into(),
            revert,
        });
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(())
    }

    /// Revert the last gesture; false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(edits) = Self::swap(&mut self.flow, &mut self.undo, &mut self.redo) else {
            return false;
        };
        self.changed(edits);
        true
    }

    /// Re-apply the last undone gesture; false when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let Some(edits) = Self::swap(&mut self.flow, &mut self.redo, &mut self.undo) else {
            return false;
        };
        self.changed(edits);
        true
    }

    fn changed(&mut self, edits: Vec<Edit>) {
        self.edits = edits;
        self.revision.change += 1;
    }

    fn swap(flow: &mut Flow, from: &mut Vec<Entry>, to: &mut Vec<Entry>) -> Option<Vec<Edit>> {
        let entry = from.pop()?;
        let mut edits = Vec::new();
        let revert = apply_recorded(flow, entry.revert, &mut edits)
            .expect("a recorded inverse applies to the flow it came from");
        to.push(Entry {
            label: entry.label,
            revert,
        });
        Some(edits)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|e| e.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|e| e.label.as_str())
    }
}
