//! The page's address: its origin (to write links), its fragment (links open from it, at start
//! and on `hashchange`), and clearing the fragment once a link is open so a reload does not open
//! it again.

use leptos::prelude::*;

/// `location.origin` + `location.pathname`: what a link's fragment is appended to.
pub fn page_address() -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    )
}

/// `location.hash` (with its `#`), or empty.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Remove the fragment from the address without a new history entry or a reload.
pub fn clear_fragment() {
    let Some(w) = web_sys::window() else { return };
    if fragment().is_empty() {
        return;
    }
    let url = format!(
        "{}{}",
        page_address(),
        w.location().search().unwrap_or_default()
    );
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Call `f` with the fragment now and each time it changes (a link pasted into the address bar
/// of an open designer).
pub fn on_fragment(f: impl Fn(String) + 'static) {
    f(fragment());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| f(fragment()));
    on_cleanup(move || handle.remove());
}
