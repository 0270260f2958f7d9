//! The modal frame every dialog uses: named by its heading, focus kept inside (Tab and
//! Shift+Tab wrap), Escape and a press on the backdrop close, focus moves to the first field when
//! it opens and back to what opened it when it closes.

use crate::platform::{active_element, element, focusables, trap_tab};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A modal dialog named by its heading.
#[component]
pub fn Modal(
    /// The dialog's name, shown as its heading.
    #[prop(into)]
    title: String,
    /// A line under the heading, if any.
    #[prop(optional, into)]
    subtitle: String,
    /// Called on Escape, a press on the backdrop, or a close button.
    on_close: Callback<()>,
    /// Extra class on the dialog box (e.g. `narrow`).
    #[prop(optional, into)]
    class: String,
    /// What leads the heading (an icon, a brand badge), if anything.
    #[prop(optional, into)]
    lead: ViewFn,
    /// With no field to focus, focus the primary button (rather than the first control).
    #[prop(optional)]
    focus_primary: bool,
    /// The caller puts the focus somewhere itself on close (not back on the opener).
    #[prop(optional)]
    keep_focus_on_close: bool,
    children: Children,
) -> impl IntoView {
    let opener = StoredValue::new_local(active_element());
    let title_id = format!("modal-{}", next_id());
    let desc_id = format!("{title_id}-desc");
    on_cleanup(move || {
        if keep_focus_on_close {
            return;
        }
        if let Some(el) = opener.try_get_value().flatten() {
            if el.is_connected() {
                let _ = el.focus();
            }
        }
    });
    // The box is found from its heading, not through a node ref (no element reference code in
    // the wasm); an effect first runs once the dialog is mounted.
    let heading = title_id.clone();
    Effect::new(move |_| {
        if let Some(el) = element(&heading).and_then(|h| h.closest(".dialog").ok().flatten()) {
            let items = focusables(&el);
            let first = items
                .iter()
                .find(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
                .or_else(|| {
                    items
                        .iter()
                        .filter(|_| focus_primary)
                        .find(|e| e.class_name().contains("primary"))
                })
                .or_else(|| {
                    items
                        .iter()
                        .find(|e| e.get_attribute("aria-selected").as_deref() == Some("true"))
                })
                .or_else(|| items.first());
            if let Some(f) = first {
                let _ = f.focus();
            }
        }
    });
    let has_sub = !subtitle.is_empty();
    view! {
        <div class="backdrop" on:pointerdown=move |ev| {
            if ev.target() == ev.current_target() { on_close.run(()) }
        }>
            <div class=format!("dialog {class}") role="dialog" aria-modal="true"
                aria-labelledby=title_id.clone() aria-describedby=has_sub.then(|| desc_id.clone())
                on:keydown=move |ev: ev::KeyboardEvent| {
                    if ev.key() == "Escape" { ev.prevent_default(); ev.stop_propagation(); on_close.run(()); return; }
                    if let Some(el) = ev.current_target() { trap_tab(el.unchecked_ref(), &ev) }
                }>
                <header class="dialog-head">
                    {lead.run()}
                    <div>
                        <h2 id=title_id.clone()>{title}</h2>
                        {has_sub.then(|| view! { <p id=desc_id.clone() class="muted">{subtitle}</p> })}
                    </div>
                </header>
                {children()}
            </div>
        </div>
    }
}

fn next_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}
