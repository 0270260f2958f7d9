//! The "Actions" pane: categories as a tree, search, double-click or Enter to add, drag to place.

use crate::drag;
use crate::icons::Icon;
use crate::state::{use_designer, DragSource};
use crate::text::lower;
use leptos::ev;
use leptos::prelude::*;

/// Searches start at this many characters, as in Power Automate for desktop.
const MIN_QUERY: usize = 2;

/// One category with the actions to show (after search).
#[derive(Clone, PartialEq)]
struct Group {
    name: String,
    icon: String,
    actions: Vec<(String, String)>,
}

/// Filter the library: a query matches action names and category names (partial, any case);
/// a matching category shows whole.
fn search(catalog: &plugboard_model::Catalog, query: &str) -> Vec<Group> {
    let q = lower(query.trim());
    let active = q.chars().count() >= MIN_QUERY;
    catalog
        .categories
        .iter()
        .filter_map(|c| {
            let whole = !active || lower(&c.name).contains(&q);
            let actions: Vec<(String, String)> = catalog
                .in_category(&c.name)
                .filter(|a| whole || lower(&a.name).contains(&q))
                .map(|a| (a.id.clone(), a.name.clone()))
                .collect();
            (!actions.is_empty()).then(|| Group {
                name: c.name.clone(),
                icon: c.icon.clone(),
                actions,
            })
        })
        .collect()
}

/// Move focus among the visible tree items of the library.
fn focus_item(tree: &web_sys::Element, current: &web_sys::Element, delta: i32) {
    let Ok(items) = tree.query_selector_all("[role=treeitem] > .tree-row, [role=treeitem].action")
    else {
        return;
    };
    let list: Vec<web_sys::HtmlElement> = (0..items.length())
        .filter_map(|i| items.item(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(n).ok())
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

#[component]
pub fn ActionsPane() -> impl IntoView {
    let d = use_designer();
    let query = RwSignal::new(String::new());
    // Collapsed category names (a handful at most).
    let collapsed = RwSignal::new(Vec::<String>::new());
    let groups = Memo::new(move |_| query.with(|q| d.catalog.with_value(|c| search(c, q))));
    let searching = move || query.with(|q| q.trim().chars().count() >= MIN_QUERY);
    let tree_ref = NodeRef::<leptos::html::Ul>::new();

    let add = move |action: String| {
        let at = d.insertion_point();
        d.open_new(&action, at);
    };

    let on_key = move |ev: ev::KeyboardEvent| {
        let Some(tree) = tree_ref.get() else { return };
        let Some(target) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        else {
            return;
        };
        match ev.key().as_str() {
            "ArrowDown" => focus_item(&tree, &target, 1),
            "ArrowUp" => focus_item(&tree, &target, -1),
            "Home" => focus_item(&tree, &target, i32::MIN),
            "End" => focus_item(&tree, &target, i32::MAX),
            _ => return,
        }
        ev.prevent_default();
    };

    view! {
        <section class="pane actions-pane" aria-label="Actions">
            <h2 class="pane-title">"Actions"</h2>
            <div class="search">
                <Icon name="search" />
                <input
                    type="search"
                    aria-label="Search actions"
                    placeholder="Search actions"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                    on:keydown=move |ev: ev::KeyboardEvent| {
                        if ev.key() == "ArrowDown" {
                            if let Some(tree) = tree_ref.get() {
                                crate::dialog::focus_first(&tree, ".tree-row, .action");
                            }
                            ev.prevent_default();
                        }
                    }
                />
            </div>
            <Show when=move || groups.with(Vec::is_empty)>
                <p class="empty">"No actions match “" {move || query.get()} "”."</p>
            </Show>
            <ul class="tree" role="tree" aria-label="Action library" node_ref=tree_ref on:keydown=on_key>
                <For
                    each=move || groups.get()
                    key=|g| (g.name.clone(), g.actions.len())
                    children=move |g: Group| {
                        let name = StoredValue::new(g.name.clone());
                        let name3 = g.name.clone();
                        let group_label = g.name.clone();
                        let open = move || searching() || !collapsed.with(|c| name.with_value(|n| c.contains(n)));
                        let toggle = move || collapsed.update(|c| {
                            let n = name.get_value();
                            match c.iter().position(|x| *x == n) {
                                Some(i) => { c.remove(i); }
                                None => c.push(n),
                            }
                        });
                        let icon = g.icon.clone();
                        view! {
                            <li role="treeitem" class="category" aria-label=name3.clone() aria-expanded=move || open().to_string()>
                                <div
                                    class="tree-row"
                                    // One tab stop for the whole tree (roving focus): arrows move within it.
                                    tabindex=move || if groups.with(|g| g.first().is_some_and(|f| name.with_value(|n| *n == f.name))) { "0" } else { "-1" }
                                    on:click=move |_| toggle()
                                    on:keydown=move |ev: ev::KeyboardEvent| match ev.key().as_str() {
                                        "Enter" | " " => { toggle(); ev.prevent_default(); }
                                        "ArrowRight" if !open() => { toggle(); ev.prevent_default(); }
                                        "ArrowLeft" if open() => { toggle(); ev.prevent_default(); }
                                        _ => {}
                                    }
                                >
                                    <Icon name="chevron" class="chevron" />
                                    <Icon name=icon.clone() class="cat-icon" />
                                    <span>{name3.clone()}</span>
                                </div>
                                <Show when=open>
                                    <ul role="group" aria-label=group_label.clone()>
                                        {g.actions.iter().map(|(id, label)| {
                                            let (id1, id2, id3) = (id.clone(), id.clone(), id.clone());
                                            let label2 = label.clone();
                                            let icon = icon.clone();
                                            view! {
                                                <li
                                                    role="treeitem"
                                                    class="action"
                                                    tabindex="-1"
                                                    title="Double-click or drag onto the flow"
                                                    on:dblclick=move |_| add(id1.clone())
                                                    on:keydown=move |ev: ev::KeyboardEvent| {
                                                        if ev.key() == "Enter" {
                                                            ev.prevent_default();
                                                            add(id2.clone());
                                                        }
                                                    }
                                                    on:pointerdown=move |ev: ev::PointerEvent| {
                                                        drag::begin(&ev, DragSource::Library { action: id3.clone() }, label2.clone());
                                                    }
                                                >
                                                    <Icon name=icon.clone() class="cat-icon" />
                                                    <span>{label.clone()}</span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </Show>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_matches_actions_and_whole_categories() {
        let cat = plugboard_model::library::standard_catalog();
        let g = search(&cat, "tex");
        // "Text" category matches whole; other categories contribute matching actions only.
        let text = g.iter().find(|g| g.name == "Text").unwrap();
        assert_eq!(text.actions.len(), cat.in_category("Text").count());
        let dt = g.iter().find(|g| g.name == "Date time").unwrap();
        assert_eq!(
            dt.actions.iter().map(|a| a.1.as_str()).collect::<Vec<_>>(),
            ["Convert datetime to text"]
        );
        assert_eq!(
            search(&cat, "t").len(),
            cat.categories.len(),
            "one letter does not filter"
        );
        assert!(search(&cat, "zzz").is_empty());
    }
}
