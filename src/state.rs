//! The designer's shared state in context: the editor (flow + undo history), the lines of the
//! shown subflow, the selection, the open dialogs, the drag in progress and the status line.
//! Every change to the flow goes through `Designer::dispatch`.

mod dialogs;

pub use dialogs::{AddReferenceRequest, DialogTarget, FixedReference, PickerRequest};

use crate::cloud::{CatalogSink, Cloud};
use leptos::prelude::*;
use plugboard_model::catalog::Catalog;
use plugboard_model::command::{Command, CommandError};
use plugboard_model::flow::{Flow, Pos, StepId};
use plugboard_model::history::{Editor, Revision};
use plugboard_model::rows::{self, Row, RowKind};

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

/// The lines of the shown subflow and what they were drawn for: when only the editor moved on
/// by one change, its tree edits are spliced into the lines (`rows::follow`), else they are
/// drawn afresh.
#[derive(Clone, Debug, Default)]
pub struct Lines {
    rows: Vec<Row>,
    revision: Revision,
    subflow: usize,
    catalog_rev: u64,
}

impl std::ops::Deref for Lines {
    type Target = [Row];

    fn deref(&self) -> &[Row] {
        &self.rows
    }
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
    /// The action dialog.
    pub dialog: RwSignal<Option<DialogTarget>>,
    /// "Select a connection reference".
    pub picker: RwSignal<Option<PickerRequest>>,
    /// "Add new connection reference".
    pub add_reference: RwSignal<Option<AddReferenceRequest>>,
    pub drag: RwSignal<Option<Drag>>,
    /// The lines of the shown subflow, brought up to date once per change.
    pub rows: Memo<Lines>,
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
        let editor = RwSignal::new(Editor::open(flow));
        let catalog = StoredValue::new(catalog);
        let catalog_rev = RwSignal::new(0u64);
        let subflow = RwSignal::new(0usize);
        let status = RwSignal::new(None);
        let rows = Memo::new_owning(move |old: Option<Lines>| {
            let sf = subflow.get();
            let rev = catalog_rev.get();
            editor.with(|e| {
                catalog.with_value(|c| {
                    let revision = e.revision();
                    match old {
                        Some(mut l) if l.subflow == sf && l.catalog_rev == rev => {
                            if l.revision == revision {
                                return (l, false);
                            }
                            let next = Revision {
                                change: l.revision.change + 1,
                                ..l.revision
                            };
                            if revision == next {
                                rows::follow(&mut l.rows, e.flow(), sf, c, e.last_edits());
                            } else {
                                l.rows = rows::rows(e.flow(), sf, c);
                            }
                            l.revision = revision;
                            (l, true)
                        }
                        _ => (
                            Lines {
                                rows: rows::rows(e.flow(), sf, c),
                                revision,
                                subflow: sf,
                                catalog_rev: rev,
                            },
                            true,
                        ),
                    }
                })
            })
        });
        Designer {
            editor,
            catalog,
            catalog_rev,
            cloud: Cloud::new(
                CatalogSink {
                    defs: catalog,
                    rev: catalog_rev,
                },
                status,
            ),
            subflow,
            selection: RwSignal::new(Vec::new()),
            anchor: RwSignal::new(None),
            dialog: RwSignal::new(None),
            picker: RwSignal::new(None),
            add_reference: RwSignal::new(None),
            drag: RwSignal::new(None),
            rows,
            status,
            reveal: RwSignal::new(0),
            context_menu: RwSignal::new(None),
            settled: RwSignal::new(0),
        }
    }

    /// Read the flow for a whole-flow analysis: re-runs when the flow has settled after a change.
    pub fn with_settled_flow<T>(&self, f: impl FnOnce(&Flow) -> T) -> T {
        self.settled.track();
        self.editor.with_untracked(|e| f(e.flow()))
    }

    /// Apply one gesture as one undo step; a refused command is shown, never half-applied.
    pub fn dispatch(&self, label: &str, cmd: Command) -> bool {
        match self.try_dispatch(label, cmd) {
            Ok(()) => true,
            Err(err) => {
                self.status.set(Some(format!("{label}: {err}")));
                false
            }
        }
    }

    /// Apply one gesture as one undo step, or say why the command refused (the flow unchanged).
    pub fn try_dispatch(&self, label: &str, cmd: Command) -> Result<(), CommandError> {
        let mut result = Ok(());
        self.editor.update(|e| result = e.dispatch(label, cmd));
        result
    }

    /// Open `flow` in the editor (its history starts afresh).
    pub fn open(&self, flow: Flow) {
        self.editor.set(Editor::open(flow));
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
                .filter(|id| e.flow().step(*id).is_some())
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

    /// Select these steps (the last one the cursor) and show the cursor.
    pub fn select_all_of(&self, ids: Vec<StepId>) {
        if let Some(last) = ids.last().copied() {
            self.selection.set(ids);
            self.anchor.set(Some(last));
            self.reveal.update(|n| *n += 1);
        }
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
            let Some(pos) = self.cursor().and_then(|id| e.flow().locate(id)) else {
                return Pos::top(sf, e.flow().subflows.get(sf).map_or(0, |s| s.steps.len()));
            };
            Pos {
                index: pos.index + 1,
                ..pos
            }
        })
    }

    /// Where a drop in the gap before line `gap` of the shown subflow lands.
    pub fn drop_position(&self, gap: usize) -> Pos {
        let sf = self.subflow.get_untracked();
        self.editor.with_untracked(|e| {
            self.rows
                .with_untracked(|r| rows::drop_position(e.flow(), sf, r, gap))
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
}

pub fn use_designer() -> Designer {
    expect_context::<Designer>()
}
