//! The designer's shared state in context: the editor (flow + undo history), the selection, the open
//! dialog and the drag in progress. Every change to the flow goes through `Designer::dispatch`.

use crate::cloud::Cloud;
use leptos::prelude::*;
use plugboard_model::catalog::Catalog;
use plugboard_model::command::Command;
use plugboard_model::flow::{Flow, Pos, Step, StepId};
use plugboard_model::history::Editor;
use plugboard_model::rows::{self, Row, RowKind};

/// What the action dialog is editing.
#[derive(Clone, Debug, PartialEq)]
pub enum DialogTarget {
    /// A new step that Save inserts at `at` (Cancel adds nothing).
    New { step: Step, at: Pos },
    /// An existing step; Save replaces its configuration.
    Existing { id: StepId },
}

/// Where a drag started.
#[derive(Clone, Debug, PartialEq)]
pub enum DragSource {
    Library { action: String },
    Steps { ids: Vec<StepId> },
}

/// A pointer drag in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Drag {
    pub source: DragSource,
    pub pointer_id: i32,
    pub start: (f64, f64),
    pub at: (f64, f64),
    /// Past the threshold: a real drag, not a click.
    pub active: bool,
    /// The gap between lines the drop would land in, when over the canvas.
    pub gap: Option<usize>,
    /// A label for the ghost that follows the pointer.
    pub label: String,
}

/// Handles to the designer state, cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Designer {
    pub editor: RwSignal<Editor>,
    pub catalog: StoredValue<Catalog>,
    /// Bumped when connector actions join the catalog (their definitions arrive on demand).
    pub catalog_rev: RwSignal<u64>,
    /// The proxy-backed state: session, environments, references, connections, connectors.
    pub cloud: Cloud,
    pub subflow: RwSignal<usize>,
    /// Selected steps in selection order; the last one is the cursor.
    pub selection: RwSignal<Vec<StepId>>,
    /// Anchor of a Shift range selection.
    pub anchor: RwSignal<Option<StepId>>,
    pub dialog: RwSignal<Option<DialogTarget>>,
    pub drag: RwSignal<Option<Drag>>,
    /// The lines of the shown subflow, recomputed once per change.
    pub rows: Memo<Vec<Row>>,
    /// A short message for the status line (import errors, clipboard results).
    pub status: RwSignal<Option<String>>,
    /// Bumped when the canvas should scroll the cursor into view.
    pub reveal: RwSignal<u64>,
    /// The step context menu, open at this viewport point.
    pub context_menu: RwSignal<Option<(f64, f64)>>,
    /// Bumped a moment after the flow stops changing: whole-flow analyses (the flow checker, the
    /// variables list) follow this, so they stay off the path from an edit to its paint.
    pub settled: RwSignal<u64>,
}

impl Designer {
    pub fn new(flow: Flow, catalog: Catalog) -> Self {
        let editor = RwSignal::new(Editor::new(flow));
        let catalog = StoredValue::new(catalog);
        let catalog_rev = RwSignal::new(0u64);
        let subflow = RwSignal::new(0usize);
        let rows = Memo::new(move |_| {
            let sf = subflow.get();
            catalog_rev.track();
            editor.with(|e| catalog.with_value(|c| rows::rows(&e.flow, sf, c)))
        });
        Designer {
            editor,
            catalog,
            catalog_rev,
            cloud: Cloud::new(),
            subflow,
            selection: RwSignal::new(Vec::new()),
            anchor: RwSignal::new(None),
            dialog: RwSignal::new(None),
            drag: RwSignal::new(None),
            rows,
            status: RwSignal::new(None),
            reveal: RwSignal::new(0),
            context_menu: RwSignal::new(None),
            settled: RwSignal::new(0),
        }
    }

    /// Read the flow for a whole-flow analysis: re-runs when the flow has settled after a change.
    pub fn with_settled_flow<T>(&self, f: impl FnOnce(&Flow) -> T) -> T {
        self.settled.track();
        self.editor.with_untracked(|e| f(&e.flow))
    }

    /// Apply one gesture as one undo step; a refused command is shown, never half-applied.
    pub fn dispatch(&self, label: &str, cmd: Command) -> bool {
        let mut result = Ok(());
        self.editor.update(|e| result = e.dispatch(label, cmd));
        match result {
            Ok(()) => true,
            Err(err) => {
                self.status.set(Some(format!("{label}: {err}")));
                false
            }
        }
    }

    pub fn undo(&self) {
        self.editor.update(|e| {
            e.undo();
        });
        self.prune_selection();
    }

    pub fn redo(&self) {
        self.editor.update(|e| {
            e.redo();
        });
        self.prune_selection();
    }

    /// Drop selected ids that no longer exist (after undo of an insert, say).
    pub fn prune_selection(&self) {
        let keep: Vec<StepId> = self.editor.with_untracked(|e| {
            self.selection
                .get_untracked()
                .into_iter()
                .filter(|id| e.flow.step(*id).is_some())
                .collect()
        });
        if keep.len() != self.selection.with_untracked(Vec::len) {
            self.selection.set(keep);
        }
    }

    pub fn select_only(&self, id: StepId) {
        self.selection.set(vec![id]);
        self.anchor.set(Some(id));
        self.reveal.update(|n| *n += 1);
    }

    /// The cursor: the most recently selected step.
    pub fn cursor(&self) -> Option<StepId> {
        self.selection.with_untracked(|s| s.last().copied())
    }

    /// Where a new action goes: after the cursor step (inside its block when the cursor is an
    /// empty block), else at the end of the subflow.
    pub fn insertion_point(&self) -> Pos {
        let sf = self.subflow.get_untracked();
        self.editor.with_untracked(|e| {
            let Some(pos) = self.cursor().and_then(|id| e.flow.locate(id)) else {
                return Pos::top(sf, e.flow.subflows.get(sf).map_or(0, |s| s.steps.len()));
            };
            Pos {
                index: pos.index + 1,
                ..pos
            }
        })
    }

    /// Line index of the step's own line in the shown subflow.
    pub fn line_of(&self, id: StepId) -> Option<usize> {
        self.rows.with_untracked(|r| rows::line_of(r, id))
    }

    /// Select every step from the anchor to `id` (inclusive, in line order, End lines skipped).
    pub fn select_range(&self, id: StepId) {
        let anchor = self.anchor.get_untracked().unwrap_or(id);
        let ids = self.rows.with_untracked(|rows| {
            let a = rows::line_of(rows, anchor).unwrap_or(0);
            let b = rows::line_of(rows, id).unwrap_or(0);
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            rows[lo..=hi]
                .iter()
                .filter(|r| r.kind == RowKind::Step)
                .map(|r| r.id)
                .collect::<Vec<_>>()
        });
        self.selection.set(ids);
    }

    pub fn toggle(&self, id: StepId) {
        self.selection.update(|s| {
            if let Some(i) = s.iter().position(|x| *x == id) {
                s.remove(i);
            } else {
                s.push(id);
            }
        });
        self.anchor.set(Some(id));
    }

    /// Selected steps in document order.
    pub fn selected_in_order(&self) -> Vec<StepId> {
        let sel = self.selection.get_untracked();
        self.rows.with_untracked(|rows| {
            rows.iter()
                .filter(|r| r.kind == RowKind::Step && sel.contains(&r.id))
                .map(|r| r.id)
                .collect()
        })
    }

    /// Open the dialog for a new step of `action` that Save will insert at `at`.
    pub fn open_new(&self, action: &str, at: Pos) {
        if plugboard_model::references::connector_of(action).is_some() {
            // A connector action needs a connection reference first.
            return crate::connect::begin_add(*self, action.to_string(), at);
        }
        let step = self.catalog.with_value(|c| new_step(c, action));
        self.dialog.set(Some(DialogTarget::New { step, at }));
    }
}

/// A step for `action` with its produced variables named by their defaults, made unique in `flow`
/// the way Power Automate for desktop does (`NewVar`, `NewVar2`, …).
pub fn new_step(catalog: &Catalog, action: &str) -> Step {
    let mut step = Step::new(action);
    if let Some(def) = catalog.get(action) {
        for o in &def.outputs {
            step.outputs.insert(o.name.clone(), o.default_var.clone());
        }
    }
    step
}

/// Give each produced variable of `step` a name not yet produced in `flow` (NewVar, NewVar2, …).
pub fn unique_outputs(flow: &Flow, step: &mut Step) {
    let taken: std::collections::HashSet<String> = produced(flow).cloned().collect();
    for var in step.outputs.values_mut() {
        if taken.contains(var.as_str()) {
            let base = var.clone();
            let mut n = 2;
            while taken.contains(&format!("{base}{n}")) {
                n += 1;
            }
            *var = format!("{base}{n}");
        }
    }
}

/// Every variable name some step of `flow` produces, in document order (repeats included).
pub fn produced(flow: &Flow) -> impl Iterator<Item = &String> {
    flow.walk()
        .into_iter()
        .flat_map(|(_, s)| s.outputs.values())
}

/// "action" or "N actions", for labels such as "Move 3 actions".
pub fn actions_label(n: usize) -> String {
    if n == 1 {
        "action".into()
    } else {
        format!("{n} actions")
    }
}

pub fn use_designer() -> Designer {
    expect_context::<Designer>()
}
