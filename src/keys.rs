//! Keyboard: canvas keys (arrows, Enter, Delete, Alt+arrows) and app shortcuts (undo, redo, copy,
//! paste, the run keys). Each goes through the same gesture a pointer does (`gestures`).

use crate::gestures;
use crate::platform::{self, FLOW_LINES, ROW_HEIGHT};
use crate::state::{use_designer, Designer, DialogTarget};
use leptos::ev;
use leptos::prelude::*;
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

/// Keys pressed while the canvas has focus.
pub fn on_canvas_key(d: &Designer, ev: ev::KeyboardEvent) {
    let key = ev.key();
    let ctrl = ev.ctrl_key() || ev.meta_key();
    match key.as_str() {
        "ArrowUp" | "ArrowDown" if ev.alt_key() => gestures::nudge(d, key == "ArrowUp"),
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
        "Delete" | "Backspace" => gestures::delete_selection(d),
        "Enter" => {
            if let Some(id) = d.cursor() {
                d.dialog.set(Some(DialogTarget::Existing { id }));
            }
        }
        "ContextMenu" | "F10" if key == "ContextMenu" || ev.shift_key() => {
            let Some(line) = d.cursor().and_then(|id| d.line_of(id)) else {
                return;
            };
            let Some(el) = platform::element(FLOW_LINES) else {
                return;
            };
            let r = el.get_bounding_client_rect();
            let y = r.top() + (line as f64 + 0.8) * ROW_HEIGHT;
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

/// The run keys: F5 Run, Shift+F5 Stop, F10 Run next action, F9 a breakpoint on the cursor
/// step. F5 and Shift+F5 work in fields too (F5 would reload the page), the others not in
/// fields or dialogs. Whether the key was one of them.
fn run_key(d: &Designer, r: &crate::run::Runner, ev: &ev::KeyboardEvent) -> bool {
    let free = !in_field(ev) && d.dialog.with_untracked(Option::is_none);
    match ev.key().as_str() {
        "F5" if ev.shift_key() => r.stop(),
        "F5" if free => r.run(None),
        "F5" => {}
        "F10" if free && !ev.shift_key() => r.run_next(),
        "F9" if free => {
            if let Some(id) = d.cursor() {
                r.toggle_breakpoint(id);
            }
        }
        _ => return false,
    }
    true
}

/// Undo/redo, the run keys and the clipboard, anywhere outside text fields and dialogs.
pub fn install() {
    let d = use_designer();
    let runner = crate::run::use_runner();
    let sharing = crate::share::use_sharing();
    let keys = window_event_listener(ev::keydown, move |ev| {
        if run_key(&d, &runner, &ev) {
            ev.prevent_default();
            return;
        }
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
        let Some((text, n)) = gestures::copy_selection(&d) else {
            return;
        };
        if let Some(data) = ev.clipboard_data() {
            let _ = data.set_data("text/plain", &text);
            ev.prevent_default();
            d.status.set(Some(format!(
                "Copied {n} action{}",
                if n == 1 { "" } else { "s" }
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
        gestures::paste(&d, &text);
        // Pasted steps may name references this environment lacks: the same mapping as a link.
        crate::share::ask_to_map_selection(&d, sharing);
    });
    on_cleanup(move || {
        keys.remove();
        copy.remove();
        paste.remove();
    });
}
