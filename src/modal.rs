//! Modal dialogs: focus kept inside (Tab and Shift+Tab wrap), Escape and a press on the backdrop
//! close, focus goes back to what opened the dialog.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

/// Every element in `root` that Tab can reach, in order.
pub fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let sel = "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";
    let Ok(list) = root.query_selector_all(sel) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(n).ok())
        .filter(|e| e.offset_parent().is_some())
        .collect()
}

/// Focus the first element in `root` that matches `selector`, if any.
pub fn focus_first(root: &web_sys::Element, selector: &str) {
    if let Ok(Some(first)) = root.query_selector(selector) {
        if let Ok(h) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(first) {
            let _ = h.focus();
        }
    }
}

/// Keep Tab and Shift+Tab inside a modal.
pub fn trap_tab(root: &web_sys::Element, ev: &ev::KeyboardEvent) {
    if ev.key() != "Tab" {
        return;
    }
    let items = focusables(root);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let at = |e: &web_sys::HtmlElement| {
        active.as_ref().is_some_and(|a| {
            let e: &web_sys::Element = e;
            a == e
        })
    };
    if ev.shift_key() && at(first) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && at(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// The element that has focus now (to give focus back when a dialog closes).
pub fn active_element() -> Option<web_sys::HtmlElement> {
    let el = web_sys::window()?.document()?.active_element()?;
    wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok()
}

/// A modal dialog named by its heading. Focus moves to the first field (or the first button) when
/// it opens and back to the opener when it closes.
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
    children: Children,
) -> impl IntoView {
    let root = NodeRef::<html::Div>::new();
    let opener = StoredValue::new_local(active_element());
    let title_id = format!("modal-{}", next_id());
    let desc_id = format!("{title_id}-desc");
    on_cleanup(move || {
        if let Some(el) = opener.try_get_value().flatten() {
            if el.is_connected() {
                let _ = el.focus();
            }
        }
    });
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            let items = focusables(&el);
            let first = items
                .iter()
                .find(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
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
                node_ref=root
                on:keydown=move |ev: ev::KeyboardEvent| {
                    if ev.key() == "Escape" { ev.prevent_default(); ev.stop_propagation(); on_close.run(()); return; }
                    if let Some(el) = root.get_untracked() { trap_tab(&el, &ev) }
                }>
                <header class="dialog-head">
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
