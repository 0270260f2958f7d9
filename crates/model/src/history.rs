//! Undo and redo: the editor applies commands and keeps their inverses, one entry per gesture.

use crate::command::{apply, Command, CommandError};
use crate::flow::Flow;

/// How many gestures can be undone.
pub const UNDO_LIMIT: usize = 500;

/// One undoable gesture: its label ("Move 3 actions") and the command that reverts it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub label: String,
    pub revert: Command,
}

/// A flow with its undo and redo stacks. Every change goes through `dispatch`.
#[derive(Clone, Debug)]
pub struct Editor {
    pub flow: Flow,
    undo: Vec<Entry>,
    redo: Vec<Entry>,
}

impl Editor {
    pub fn new(flow: Flow) -> Self {
        Editor {
            flow,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// Apply one gesture's command (use `Command::Batch` for several) as one undo step.
    pub fn dispatch(&mut self, label: impl Into<String>, cmd: Command) -> Result<(), CommandError> {
        let revert = apply(&mut self.flow, cmd)?;
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
        Self::swap(&mut self.flow, &mut self.undo, &mut self.redo)
    }

    /// Re-apply the last undone gesture; false when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        Self::swap(&mut self.flow, &mut self.redo, &mut self.undo)
    }

    fn swap(flow: &mut Flow, from: &mut Vec<Entry>, to: &mut Vec<Entry>) -> bool {
        let Some(entry) = from.pop() else {
            return false;
        };
        let revert =
            apply(flow, entry.revert).expect("a recorded inverse applies to the flow it came from");
        to.push(Entry {
            label: entry.label,
            revert,
        });
        true
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|e| e.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|e| e.label.as_str())
    }

    /// Replace the whole flow (switching or importing flows): history starts afresh.
    pub fn replace(&mut self, flow: Flow) {
        self.flow = flow;
        self.undo.clear();
        self.redo.clear();
    }
}
