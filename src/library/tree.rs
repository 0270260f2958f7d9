//! The library tree's own gestures: rows drawn as markup carry no handlers, so the tree finds
//! what an event happened on, moves the focus among rows, and puts it back after a redraw.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The tree's element id: the pane finds its tree by id rather than through a node ref (one
/// element type's reference code less in the wasm; the canvas finds its lines the same way).
pub const TREE_ID: &str = "actions-tree";

/// The library's tree, when it is drawn.
pub fn tree() -> Option<web_sys::Element> {
    crate::platform::element(TREE_ID)
}

/// Move focus among the visible tree items of the library.
pub fn focus_item(tree: &web_sys::Element, current: &web_sys::Element, delta: i32) {
    let Ok(items) = tree.query_selector_all("[role=treeitem] > .tree-row, [role=treeitem].action")
    else {
        return;
    };
    let list: Vec<web_sys::HtmlElement> = (0..items.length())
        .filter_map(|i| items.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let Some(i) = list.iter().position(|e| {
        let e: &web_sys::Element = e;
        e == current
    }) else {
        return;
    };
    let j = match delta {
        i32::MIN => 0,
        i32::MAX => list.len() - 1,
        d => (i as i32 + d).clamp(0, list.len() as i32 - 1) as usize,
    };
    let _ = list[j].focus();
}

/// What an event in the tree happened on (rows are markup: the tree handles their gestures).
pub enum Hit {
    /// An action row (not a control inside it).
    Action(web_sys::Element, String),
    /// The star of an action row.
    Star(String),
    /// A connector's row, by index in the catalog index.
    Connector(usize),
    /// A button of a note ("retry", "more").
    Do(String),
}

pub fn hit(ev: &ev::Event) -> Option<Hit> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    let closest = |sel: &str| target.closest(sel).ok().flatten();
    if let Some(b) = closest("button[data-do]") {
        return Some(Hit::Do(b.get_attribute("data-do")?));
    }
    let row = closest("li.action[data-action]");
    let id = || row.as_ref()?.get_attribute("data-action");
    if closest("button.star").is_some() {
        return Some(Hit::Star(id()?));
    }
    if closest("button").is_some() {
        return None;
    }
    if let Some(id) = id() {
        return Some(Hit::Action(row?, id));
    }
    let head = closest(".tree-row")?;
    let branch = head.parent_element()?;
    let ci = branch.get_attribute("data-connector")?.parse().ok()?;
    Some(Hit::Connector(ci))
}

/// After the tree redraws markup that held the focus, put it back on what `find` finds.
pub fn refocus_later(find: impl Fn(&web_sys::Element) -> Option<web_sys::Element> + 'static) {
    set_timeout(
        move || {
            let Some(tree) = tree() else {
                return;
            };
            let lost = document()
                .active_element()
                .is_none_or(|a| a.tag_name() == "BODY");
            if let Some(el) = find(&tree).filter(|_| lost) {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        },
        std::time::Duration::ZERO,
    );
}

/// The star of the first row of action `id`.
pub fn star_of(tree: &web_sys::Element, id: &str) -> Option<web_sys::Element> {
    let rows = tree.query_selector_all("li.action[data-action]").ok()?;
    (0..rows.length())
        .filter_map(|i| rows.item(i)?.dyn_into::<web_sys::Element>().ok())
        .find(|r| r.get_attribute("data-action").as_deref() == Some(id))?
        .query_selector(".star")
        .ok()?
}
