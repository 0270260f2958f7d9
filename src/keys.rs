//! Keyboard: canvas keys (arrows, Enter, Delete, Alt+arrows) and app shortcuts (undo, redo, copy,
//! paste). Each dispatches the same command a pointer gesture does.

use crate::state::{use_designer, Designer, DialogTarget};
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::command::Command;
use plugboard_model::rows::{self, RowKind};

/// Is the event's target a text field, where keys belong to the field?
fn in_field(ev: &web_sys::Event) -> bool {
    ev.target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .is_some_and(|e| {
            matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || e.closest("[role=dialog]").ok().flatten().is_some()
        })
}

/// Remove the selected steps as one undo step.
pub fn delete_selection(d: &Designer) {
    let ids = d.selected_in_order();
    if ids.is_empty() {
        return;
    }
    // Select the line that takes the place of the first removed one.
    let first_line = ids.first().and_then(|id| d.line_of(*id)).unwrap_or(0);
    let label = format!("Delete {}", crate::state::actions_label(ids.len()));
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
fn nudge(d: &Designer, up: bool) {
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
    let sf = d.subflow.get_untracked();
    let pos = d.editor.with_untracked(|e| {
        d.rows
            .with_untracked(|r| rows::drop_position(&e.flow, sf, r, gap))
    });
    let label = format!("Move {}", crate::state::actions_label(ids.len()));
    if d.dispatch(&label, Command::Move { ids, to: pos }) {
        d.reveal.update(|n| *n += 1);
    }
}

/// Keys pressed while the canvas has focus.
pub fn on_canvas_key(d: &Designer, ev: ev::KeyboardEvent) {
    let key = ev.key();
    let ctrl = ev.ctrl_key() || ev.meta_key();
    match key.as_str() {
        "ArrowUp" | "ArrowDown" if ev.alt_key() => nudge(d, key == "ArrowUp"),
        "ArrowUp" | "ArrowDown" | "Home" | "End" => {
            let target = d.rows.with_untracked(|r| {
                if r.is_empty() {
                    return None;
                }
                let cur = d.cursor().and_then(|id| rows::line_of(r, id));
                let line = match (key.as_str(), cur) {
                    ("Home", _) => 0,
                    ("End", _) => r.len() - 1,
                    (_, None) => 0,
                    ("ArrowUp", Some(l)) => l.saturating_sub(1),
                    (_, Some(l)) => (l + 1).min(r.len() - 1),
                };
                Some(r[line].id)
            });
            if let Some(id) = target {
                if ev.shift_key() {
                    d.select_range(id);
                    d.selection.update(|s| {
                        // Keep the cursor last so the next arrow continues from it.
                        if let Some(i) = s.iter().position(|x| *x == id) {
                            let x = s.remove(i);
                            s.push(x);
                        }
                    });
                    d.reveal.update(|n| *n += 1);
                } else {
                    d.select_only(id);
                }
            }
        }
        "Delete" | "Backspace" => delete_selection(d),
        "Enter" => {
            if let Some(id) = d.cursor() {
                d.dialog.set(Some(DialogTarget::Existing { id }));
            }
        }
        "ContextMenu" | "F10" if key == "ContextMenu" || ev.shift_key() => {
            let Some(line) = d.cursor().and_then(|id| d.line_of(id)) else {
                return;
            };
            let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|doc| doc.get_element_by_id("flow-lines"))
            else {
                return;
            };
            let r = el.get_bounding_client_rect();
            let y = r.top() + (line as f64 + 0.8) * crate::canvas::ROW_HEIGHT;
            d.context_menu.set(Some((r.left() + 80.0, y)));
        }
        "a" if ctrl => {
            let all: Vec<_> = d.rows.with_untracked(|r| {
                r.iter()
                    .filter(|x| x.kind == RowKind::Step)
                    .map(|x| x.id)
                    .collect()
            });
            d.selection.set(all);
        }
        _ => return,
    }
    ev.prevent_default();
}

/// Undo/redo and the clipboard, anywhere outside text fields and dialogs.
pub fn install() {
    let d = use_designer();
    let keys = window_event_listener(ev::keydown, move |ev| {
        if in_field(&ev) || d.dialog.with_untracked(Option::is_some) {
            return;
        }
        let ctrl = ev.ctrl_key() || ev.meta_key();
        match crate::text::lower(&ev.key()).as_str() {
            "z" if ctrl && ev.shift_key() => d.redo(),
            "z" if ctrl => d.undo(),
            "y" if ctrl => d.redo(),
            _ => return,
        }
        ev.prevent_default();
    });
    let copy = window_event_listener(ev::copy, move |ev| {
        if in_field(&ev) || d.dialog.with_untracked(Option::is_some) {
            return;
        }
        let ids = d.selected_in_order();
        if ids.is_empty() {
            return;
        }
        let text = d.editor.with_untracked(|e| {
            let steps: Vec<_> = ids
                .iter()
                .filter_map(|id| e.flow.step(*id).cloned())
                .collect();
            plugboard_model::codec::encode_steps(&steps)
        });
        if let Some(data) = ev.clipboard_data() {
            let _ = data.set_data("text/plain", &text);
            ev.prevent_default();
            d.status.set(Some(format!(
                "Copied {} action{}",
                ids.len(),
                if ids.len() == 1 { "" } else { "s" }
            )));
        }
    });
    let paste = window_event_listener(ev::paste, move |ev| {
        if in_field(&ev) || d.dialog.with_untracked(Option::is_some) {
            return;
        }
        let Some(text) = ev
            .clipboard_data()
            .and_then(|c| c.get_data("text/plain").ok())
        else {
            return;
        };
        ev.prevent_default();
        match plugboard_model::codec::decode_steps(&text) {
            Ok(steps) if steps.is_empty() => {}
            Ok(steps) => {
                let ids: Vec<_> = steps.iter().map(|s| s.id).collect();
                let n = steps.len();
                let at = d.insertion_point();
                if d.dispatch(
                    &format!("Paste {n} action{}", if n == 1 { "" } else { "s" }),
                    Command::Insert { at, steps },
                ) {
                    if let Some(last) = ids.last().copied() {
                        d.selection.set(ids);
                        d.anchor.set(Some(last));
                        d.reveal.update(|n| *n += 1);
                    }
                }
            }
            Err(e) => d.status.set(Some(format!("Cannot paste: {e}"))),
        }
    });
    on_cleanup(move || {
        keys.remove();
        copy.remove();
        paste.remove();
    });
}
