//! The leaf layer's browser services: local storage, file download and upload, focus, the
//! page's address and fragment, raw deflate and AES-GCM (for share links), and the canvas's DOM
//! ids and geometry. Nothing here knows the designer's state.

pub mod aes;
// The miniz_oxide build measured against it compresses in the wasm instead.
#[cfg(not(feature = "links-miniz"))]
pub mod deflate;
mod files;
mod focus;
pub mod location;

pub use files::{download, file_stem, pick_file, read_text, take_file};
pub use focus::{active_element, focus_canvas, focus_first, focusables, trap_tab};

/// The canvas's scrolling element (keyboard focus, drop hit-testing, autoscroll).
pub const FLOW_SCROLLER: &str = "flow-scroller";
/// The canvas's list of lines (its top is line 0's).
pub const FLOW_LINES: &str = "flow-lines";

/// Height of one canvas line in pixels (the CSS uses the same value).
pub const ROW_PX: i64 = 36;
pub const ROW_HEIGHT: f64 = ROW_PX as f64;
/// Indentation per block level in pixels.
pub const INDENT_PX: i64 = 24;

/// This site's local storage, when the browser keeps one.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Replaces the document's constructed style sheet with `css` (rules made at run time, such as
/// connectors' brand colours: the Content-Security-Policy refuses inline styles, not the CSSOM).
pub fn adopt_styles(css: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(sheet) = web_sys::CssStyleSheet::new() else {
        return;
    };
    if sheet.replace_sync(css).is_ok() {
        doc.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    }
}

/// The element with this id.
pub fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}
