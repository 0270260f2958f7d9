//! Focus: what Tab reaches in a part of the page, keeping it inside a modal, and giving it back
//! to the canvas so the keyboard path continues after a dialog or menu.

use leptos::ev;
use wasm_bindgen::JsCast;

/// Every element in `root` that Tab can reach, in order.
pub fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let sel = "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";
    let Ok(list) = root.query_selector_all(sel) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some())
        .collect()
}

/// Focus the first element in `root` that matches `selector`, if any.
pub fn focus_first(root: &web_sys::Element, selector: &str) {
    if let Ok(Some(first)) = root.query_selector(selector) {
        if let Ok(h) = first.dyn_into::<web_sys::HtmlElement>() {
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
    el.dyn_into::<web_sys::HtmlElement>().ok()
}

/// Give focus back to the canvas (after a dialog or menu closes) so the keyboard path continues.
pub fn focus_canvas() {
    if let Some(el) =
        super::element(super::FLOW_SCROLLER).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
