//! The shared paths every input device dispatches through: delete, nudge, drop, paste, copy,
//! start a drag and open a new step (a connector action asks for a connection reference first).
//! Keys, pointer, menu and library call these, so a gesture means the same whatever made it.

use crate::state::{AddReferenceRequest, Designer, DialogTarget, Drag, DragSource};
use crate::text::actions_label;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::codec;
use plugboard_model::command::{Command, CommandError};
use plugboard_model::connector::{ConnectionReference, ConnectionStatus};
use plugboard_model::draft::new_step;
use plugboard_model::flow::Pos;
use plugboard_model::references::connector_of;
use plugboard_model::rows;
use std::sync::Arc;

/// Remove the selected steps as one undo step.
pub fn delete_selection(d: &Designer) {
    let ids = d.selected_in_order();
    if ids.is_empty() {
        return;
    }
    // Select the line that takes the place of the first removed one.
    let first_line = ids.first().and_then(|id| d.line_of(*id)).unwrap_or(0);
    let label = format!("Delete {}", actions_label(ids.len()));
    if d.dispatch(&label, Command::Remove { ids }) {
        let next = d.rows.with_untracked(|r| {
            r.get(first_line.min(r.len().saturating_sub(1)))
                .map(|row| row.id)
        });
        match next {
            Some(id) => d.select_only(id),
            None => d.selection.set(Vec::new()),
        }
    }
}

/// Move the selection one line up or down (into and out of blocks as the lines go).
pub fn nudge(d: &Designer, up: bool) {
    let ids = d.selected_in_order();
    let (Some(first), Some(last)) = (ids.first().copied(), ids.last().copied()) else {
        return;
    };
    let gap = d.rows.with_untracked(|r| {
        if up {
            let line = rows::line_of(r, first)?;
            line.checked_sub(1)
        } else {
            // The last line of the last selected step: its End line when it is a block.
            let end = r.iter().rposition(|row| row.id == last)?;
            (end + 2 <= r.len()).then_some(end + 2)
        }
    });
    let Some(gap) = gap else { return };
    let pos = d.drop_position(gap);
    let label = format!("Move {}", actions_label(ids.len()));
    if d.dispatch(&label, Command::Move { ids, to: pos }) {
        d.reveal.update(|n| *n += 1);
    }
}

/// Start tracking a press that may become a drag of `source`.
pub fn press(d: &Designer, ev: &ev::PointerEvent, source: DragSource, label: String) {
    if ev.button() != 0 {
        return;
    }
    let at = (ev.client_x() as f64, ev.client_y() as f64);
    d.drag.set(Some(Drag {
        source,
        pointer_id: ev.pointer_id(),
        start: at,
        at,
        active: false,
        gap: None,
        label,
    }));
}

/// Finish a drag over the gap before line `gap`: open a new step there, or move the steps.
pub fn drop_at(d: &Designer, source: DragSource, gap: usize) {
    let pos = d.drop_position(gap);
    match source {
        DragSource::Library { action } => open_new(d, &action, pos),
        DragSource::Steps { ids } => {
            let label = format!("Move {}", actions_label(ids.len()));
            // A drop inside one of the moved blocks changes nothing, as the command refuses it.
            match d.try_dispatch(&label, Command::Move { ids, to: pos }) {
                Ok(()) | Err(CommandError::MoveIntoItself(_)) => {}
                Err(e) => d.status.set(Some(format!("{label}: {e}"))),
            }
        }
    }
}

/// The selected steps in the clipboard's format, and how many there are.
pub fn copy_selection(d: &Designer) -> Option<(String, usize)> {
    let ids = d.selected_in_order();
    if ids.is_empty() {
        return None;
    }
    let text = d.editor.with_untracked(|e| {
        let steps: Vec<_> = ids
            .iter()
            .filter_map(|id| e.flow().step(*id).cloned())
            .collect();
        codec::encode_steps(&steps)
    });
    Some((text, ids.len()))
}

/// Paste steps in the clipboard's format after the cursor, selecting them.
pub fn paste(d: &Designer, text: &str) {
    match codec::decode_steps(text) {
        Ok(steps) if steps.is_empty() => {}
        Ok(steps) => {
            let ids: Vec<_> = steps.iter().map(|s| s.id).collect();
            let n = steps.len();
            let at = d.insertion_point();
            if d.dispatch(
                &format!("Paste {n} action{}", if n == 1 { "" } else { "s" }),
                Command::Insert { at, steps },
            ) {
                d.select_all_of(ids);
            }
        }
        Err(e) => d.status.set(Some(format!("Cannot paste: {e}"))),
    }
}

/// Add `action` after the cursor (double-click or Enter in the library).
pub fn add_at_cursor(d: &Designer, action: &str) {
    open_new(d, action, d.insertion_point());
}

/// Open the dialog for a new step of `action` that Save will insert at `at`.
pub fn open_new(d: &Designer, action: &str, at: Pos) {
    if connector_of(action).is_some() {
        // A connector action needs a connection reference first.
        return begin_connector_action(*d, action.to_string(), at);
    }
    let step = d.catalog.with_value(|c| new_step(c, action));
    d.dialog.set(Some(DialogTarget::New { step, at }));
}

/// Add a connector action at `at`: sign in if needed, load the connector, then open the action's
/// dialog with a compatible reference selected (the one last used for the connector), or first
/// ask for a new reference when the environment has none.
fn begin_connector_action(d: Designer, action: String, at: Pos) {
    let c = d.cloud;
    c.with_session(Arc::new(move |()| {
        let action = action.clone();
        spawn_local(async move {
            let Some((connector, _)) = connector_of(&action) else {
                return;
            };
            let connector = connector.to_string();
            let detail = match c.fetch_detail(&connector).await {
                Ok(x) => x,
                Err(e) => return d.status.set(Some(e)),
            };
            let refs = match c.fetch_references().await {
                Ok(r) => r,
                Err(e) => return d.status.set(Some(format!("Connection references: {e}"))),
            };
            let open = move |reference: String| {
                let mut step = d.catalog.with_value(|cat| new_step(cat, &action));
                step.reference = Some(reference);
                d.dialog.set(Some(DialogTarget::New { step, at }));
            };
            let compatible: Vec<&ConnectionReference> = refs
                .iter()
                .filter(|r| r.connector_id == connector)
                .collect();
            if compatible.is_empty() {
                let env = c.env_name_untracked();
                d.add_reference.set(Some(AddReferenceRequest {
                    connector: connector.clone(),
                    fixed: None,
                    prompt: Some(format!(
                        "{} needs a connection reference in {env}. Create one to use its actions.",
                        detail.name
                    )),
                    on_done: Arc::new(move |r: ConnectionReference| open(r.logical_name.clone())),
                }));
                return;
            }
            // The one last used for this connector, else one whose connection works.
            let last = c.last_used(&connector);
            let pick = compatible
                .iter()
                .find(|r| Some(&r.logical_name) == last.as_ref())
                .or_else(|| {
                    compatible.iter().find(|r| {
                        r.connection
                            .as_ref()
                            .is_some_and(|b| b.status == ConnectionStatus::Connected)
                    })
                })
                .unwrap_or(&compatible[0]);
            open(pick.logical_name.clone());
        });
    }));
}
