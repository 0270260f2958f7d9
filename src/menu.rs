//! The step context menu (right-click, Shift+F10 or the menu key): the same commands as the keys,
//! and "Run from here".

use crate::gestures;
use crate::platform::{element, focus_canvas, focus_first, focusables};
use crate::state::{use_designer, DialogTarget};
use crate::text::{actions_label, px};
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::command::Command;
use wasm_bindgen::JsCast;

/// The open menu's element id.
const STEP_MENU: &str = "step-menu";

#[component]
pub fn StepMenu() -> impl IntoView {
    let d = use_designer();
    let runner = crate::run::use_runner();
    let close = move || {
        d.context_menu.set(None);
        focus_canvas();
    };
    // A press elsewhere closes the menu (found by id, not through a node ref: no element
    // reference code in the wasm).
    let outside = window_event_listener(ev::pointerdown, move |ev| {
        let inside = element(STEP_MENU).is_some_and(|r| {
            ev.target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Node>(t).ok())
                .is_some_and(|n| r.contains(Some(&n)))
        });
        if !inside && d.context_menu.with_untracked(Option::is_some) {
            d.context_menu.set(None);
        }
    });
    on_cleanup(move || outside.remove());

    let all_enabled = move || {
        let ids = d.selection.get();
        d.editor.with(|e| {
            ids.iter()
                .all(|id| e.flow().step(*id).is_none_or(|s| s.enabled))
        })
    };
    let count = move || d.selection.with(Vec::len);
    let edit = move |_| {
        let id = d.cursor();
        close();
        if let Some(id) = id {
            d.dialog.set(Some(DialogTarget::Existing { id }));
        }
    };
    let toggle = move |_| {
        let ids = d.selected_in_order();
        let enable = !all_enabled();
        let n = ids.len();
        let what = actions_label(n);
        d.dispatch(
            &format!("{} {what}", if enable { "Enable" } else { "Disable" }),
            Command::SetEnabled {
                ids,
                enabled: enable,
            },
        );
        close();
    };
    let run_from_here = move |_| {
        let id = d.cursor();
        close();
        if let Some(id) = id {
            runner.run(Some(id));
        }
    };
    let delete = move |_| {
        close();
        gestures::delete_selection(&d);
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        let Some(el) = ev.current_target() else {
            return;
        };
        let items = focusables(el.unchecked_ref());
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|doc| doc.active_element());
        let at = items.iter().position(|i| {
            active.as_ref().is_some_and(|a| {
                let i: &web_sys::Element = i;
                a == i
            })
        });
        let next = match ev.key().as_str() {
            "Escape" | "Tab" => {
                ev.prevent_default();
                close();
                return;
            }
            "ArrowDown" => at.map_or(0, |i| (i + 1) % items.len()),
            "ArrowUp" => at.map_or(0, |i| (i + items.len() - 1) % items.len()),
            _ => return,
        };
        ev.prevent_default();
        if let Some(item) = items.get(next) {
            let _ = item.focus();
        }
    };

    view! {
        <Show when=move || d.context_menu.with(Option::is_some)>
            // Focus the first item each time the menu opens (an effect first runs once mounted).
            {Effect::new(move |_| {
                if let Some(el) = element(STEP_MENU) {
                    focus_first(&el, "[role=menuitem]");
                }
            });}
            <div id=STEP_MENU class="menu context-menu" role="menu" aria-label="Action" on:keydown=on_key
                style:left=move || d.context_menu.with(|p| p.map_or(String::new(), |p| px(p.0 as i64)))
                style:top=move || d.context_menu.with(|p| p.map_or(String::new(), |p| px(p.1 as i64)))>
                <Show when=move || count() == 1>
                    <button type="button" role="menuitem" tabindex="-1" on:click=edit>"Edit"<kbd>"Enter"</kbd></button>
                </Show>
                <button type="button" role="menuitem" tabindex="-1" on:click=toggle>
                    {move || if all_enabled() { "Disable action" } else { "Enable action" }}
                </button>
                <button type="button" role="menuitem" tabindex="-1" on:click=delete>"Delete"<kbd>"Del"</kbd></button>
                <Show when=move || count() == 1 && runner.phase.get() == crate::run::Phase::Idle>
                    <button type="button" role="menuitem" tabindex="-1" on:click=run_from_here>"Run from here"</button>
                </Show>
            </div>
        </Show>
    }
}
