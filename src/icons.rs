//! The `Icon` component: an inline SVG icon as a view (the icons themselves are in `markup`).

use crate::markup::{icon_key, icon_paths};
use leptos::prelude::*;

/// A decorative icon (hidden from assistive technology; the control beside it carries the name).
#[component]
pub fn Icon(
    /// Icon key, e.g. a category's icon key or "undo".
    #[prop(into)]
    name: String,
    /// Extra CSS class.
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    let class = format!("icon ic-{} {class}", icon_key(&name));
    // The paths as markup: the browser parses them into SVG elements, which costs less wasm
    // than building each <path> through the view machinery.
    let paths = icon_paths(&name);
    view! {
        <svg class=class viewBox="0 0 24 24" aria-hidden="true" focusable="false" inner_html=paths></svg>
    }
}
