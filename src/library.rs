//! The "Actions" pane: one tree of Favourites, the standard categories and the cloud connectors;
//! search, double-click or Enter to add, drag to place, a star to keep an action in Favourites.

mod connectors;
mod favourites;
mod tree;

use crate::gestures;
use crate::icons::Icon;
use crate::markup::{self, Lead, Row};
use crate::platform::focus_first;
use crate::state::{use_designer, Designer, DragSource};
use crate::text::lower;
use favourites::Favourites;
use leptos::ev;
use leptos::prelude::*;
use tree::{focus_item, hit, refocus_later, star_of, tree, Hit, TREE_ID};
use wasm_bindgen::JsCast;

/// Searches start at this many characters, as in Power Automate for desktop.
const MIN_QUERY: usize = 2;
const FAVOURITES: &str = "Favourites";

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

/// What the pane's parts share.
#[derive(Clone, Copy)]
struct Library {
    d: Designer,
    favs: Favourites,
    /// The query, trimmed and folded.
    query: Memo<String>,
    /// Whether the query is long enough to filter.
    searching: Memo<bool>,
    /// The top-level row that holds the tree's one tab stop.
    tab_stop: RwSignal<String>,
}

/// A top-level branch of the tree: a row that expands and collapses, and, when open, its items
/// (`role=group`, named like the row) drawn from markup.
#[component]
fn Branch(
    lib: Library,
    /// The row's name.
    #[prop(into)]
    name: String,
    /// The icon key.
    #[prop(into)]
    icon: String,
    /// Whether the items show.
    #[prop(into)]
    open: Signal<bool>,
    /// Expand or collapse.
    toggle: Callback<()>,
    /// The items, as markup (see `markup`).
    #[prop(into)]
    items: Signal<String>,
    /// Extra class of the item.
    #[prop(into, optional)]
    class: String,
) -> impl IntoView {
    let row_name = StoredValue::new(name.clone());
    let group_name = name.clone();
    let tab = move || {
        let mine = lib.tab_stop.with(|t| row_name.with_value(|n| t == n));
        if mine {
            "0"
        } else {
            "-1"
        }
    };
    view! {
        <li role="treeitem" class=format!("branch {class}") aria-label=name.clone()
            aria-expanded=move || open.get().to_string()>
            <div
                class="tree-row"
                // One tab stop for the whole tree (roving focus): arrows move within it.
                tabindex=tab
                on:click=move |_| toggle.run(())
                on:keydown=move |ev: ev::KeyboardEvent| match ev.key().as_str() {
                    "Enter" | " " => { toggle.run(()); ev.prevent_default(); }
                    "ArrowRight" if !open.get_untracked() => { toggle.run(()); ev.prevent_default(); }
                    "ArrowLeft" if open.get_untracked() => { toggle.run(()); ev.prevent_default(); }
                    _ => {}
                }
            >
                <Icon name="chevron" class="chevron" />
                <Icon name=icon class="cat-icon" />
                <span class="row-name">{name.clone()}</span>
            </div>
            <Show when=move || open.get()>
                <ul role="group" aria-label=group_name.clone() inner_html=move || items.get()></ul>
            </Show>
        </li>
    }
}

/// Lines in a screenful of the library, from the window's height (read without a layout: the
/// tree is never taller than the window).
fn screen_height() -> i32 {
    web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0) as i32
}

/// Action rows as markup.
fn rows_markup<'a>(rows: impl Iterator<Item = Row<'a>>) -> String {
    let mut out = String::new();
    for row in rows {
        markup::action(&mut out, &row);
    }
    out
}

#[component]
pub fn ActionsPane() -> impl IntoView {
    let d = use_designer();
    let query = RwSignal::new(String::new());
    let folded = Memo::new(move |_| query.with(|q| lower(q.trim())));
    let searching = Memo::new(move |_| folded.with(|q| q.chars().count() >= MIN_QUERY));
    // Collapsed top-level groups (a handful at most).
    let collapsed = RwSignal::new(Vec::<String>::new());
    let groups = Memo::new(move |_| query.with(|q| d.catalog.with_value(|c| search(c, q))));
    // The categories shown, with their icons: the branches to draw.
    let shown = Memo::new(move |_| {
        groups.with(|gs| {
            gs.iter()
                .map(|g| (g.name.clone(), g.icon.clone()))
                .collect::<Vec<_>>()
        })
    });
    let favs = Favourites::new(d);
    let tab_stop = RwSignal::new(String::new());
    let lib = Library {
        d,
        favs,
        query: folded,
        searching,
        tab_stop,
    };
    // Lines the standard categories draw above the cloud group while searching.
    let above =
        Memo::new(move |_| groups.with(|gs| gs.iter().map(|g| 1 + g.actions.len()).sum::<usize>()));
    let cloud = connectors::Cloud::new(lib, above.into());
    let favourites = Memo::new(move |_| cloud.favourites_markup());
    // Redrawn only when the markup differs (a keystroke that changes no result touches nothing).
    let cloud_items = Memo::new(move |_| cloud.markup());
    // The tab stop: the first top-level row shown.
    Effect::new(move |_| {
        let first = if favourites.with(|f| !f.is_empty()) {
            FAVOURITES.to_string()
        } else {
            groups
                .with(|g| g.first().map(|g| g.name.clone()))
                .unwrap_or_else(|| connectors::CLOUD.to_string())
        };
        if tab_stop.with_untracked(|t| *t != first) {
            tab_stop.set(first);
        }
    });
    // Whether the tree is scrolled away from its top (kept by its scroll events, so typing
    // need not read the layout).
    let scrolled = StoredValue::new(false);

    let is_open =
        move |name: &str| searching.get() || !collapsed.with(|c| c.iter().any(|x| x == name));
    let toggle = move |name: String| {
        collapsed.update(|c| match c.iter().position(|x| *x == name) {
            Some(i) => {
                c.remove(i);
            }
            None => c.push(name),
        })
    };
    let add = move |action: String| gestures::add_at_cursor(&d, &action);
    let toggle_connector = move |ci: usize, want: Option<bool>| {
        if cloud.toggle_connector(ci, want) {
            let sel = format!("li.connector[data-connector=\"{ci}\"] > .tree-row");
            refocus_later(move |tree| tree.query_selector(&sel).ok()?);
        }
    };

    let on_key = move |ev: ev::KeyboardEvent| {
        let Some(tree) = tree() else { return };
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let key = ev.key();
        match (key.as_str(), hit(&ev)) {
            ("ArrowDown", _) => focus_item(&tree, &target, 1),
            ("ArrowUp", _) => focus_item(&tree, &target, -1),
            ("Home", _) => focus_item(&tree, &target, i32::MIN),
            ("End", _) => focus_item(&tree, &target, i32::MAX),
            ("Enter", Some(Hit::Action(_, id))) => add(id),
            // The star is not a tab stop (one per row would swamp the tree): F stars the row.
            ("f" | "F", Some(Hit::Action(_, id))) if !ev.ctrl_key() && !ev.meta_key() => {
                favs.toggle(d, &id);
            }
            ("Enter" | " ", Some(Hit::Connector(ci))) => toggle_connector(ci, None),
            ("ArrowRight", Some(Hit::Connector(ci))) => toggle_connector(ci, Some(true)),
            ("ArrowLeft", Some(Hit::Connector(ci))) => toggle_connector(ci, Some(false)),
            _ => return,
        }
        ev.prevent_default();
    };
    // Scrolled down near the end of what is drawn: draw more of the connector results (not
    // when a new query put the list back at the top).
    let on_scroll = move |_| {
        let Some(tree) = tree() else {
            return;
        };
        let top = tree.scroll_top();
        scrolled.set_value(top > 0);
        if top > 0 && top + 2 * tree.client_height() > tree.scroll_height() {
            cloud.more_lines();
        }
    };
    let on_click = move |ev: ev::MouseEvent| match hit(&ev) {
        Some(Hit::Star(id)) => {
            favs.toggle(d, &id);
            refocus_later(move |tree| star_of(tree, &id));
        }
        Some(Hit::Connector(ci)) => toggle_connector(ci, None),
        Some(Hit::Do(what)) => cloud.act(&what),
        _ => {}
    };

    let nothing = move || {
        searching.get()
            && groups.with(Vec::is_empty)
            && favourites.with(String::is_empty)
            && !cloud.shown()
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
                    on:input=move |ev| {
                        // A new query shows its results from the top, a screenful at first. No
                        // layout is read here: the typed text has just made it dirty, and a
                        // read would lay the page out twice per keystroke.
                        if scrolled.get_value() {
                            scrolled.set_value(false);
                            if let Some(tree) = tree() {
                                tree.set_scroll_top(0);
                            }
                        }
                        cloud.new_query(screen_height());
                        query.set(event_target_value(&ev));
                    }
                    on:keydown=move |ev: ev::KeyboardEvent| {
                        if ev.key() == "ArrowDown" {
                            if let Some(tree) = tree() {
                                focus_first(&tree, ".tree-row, .action");
                            }
                            ev.prevent_default();
                        }
                    }
                />
            </div>
            <Show when=nothing>
                <p class="empty">"No actions match “" {move || query.get()} "”."</p>
            </Show>
            <ul id=TREE_ID class="tree" role="tree" aria-label="Action library"
                on:keydown=on_key
                on:click=on_click
                on:scroll=on_scroll
                on:dblclick=move |ev| if let Some(Hit::Action(_, id)) = hit(&ev) { add(id) }
                on:pointerdown=move |ev: ev::PointerEvent| {
                    if let Some(Hit::Action(row, id)) = hit(&ev) {
                        let label = row.get_attribute("aria-label").unwrap_or_default();
                        gestures::press(&d, &ev, DragSource::Library { action: id }, label);
                    }
                }
            >
                <Show when=move || favourites.with(|f| !f.is_empty())>
                    <Branch
                        lib
                        name=FAVOURITES
                        icon="star"
                        class="favourites"
                        open=Signal::derive(move || is_open(FAVOURITES))
                        toggle=Callback::new(move |_| toggle(FAVOURITES.to_string()))
                        items=favourites
                    />
                </Show>
                // A category's branch stays while a search narrows it; only its items'
                // markup changes, and only when it differs.
                <For
                    each=move || shown.get()
                    key=|(name, _)| name.clone()
                    children=move |(group, icon): (String, String)| {
                        let name = StoredValue::new(group.clone());
                        let lead = Lead::Icon(icon.clone());
                        let items = Memo::new(move |_| favs.ids.with(|starred| groups.with(|gs| {
                            name.with_value(|n| gs.iter().find(|g| g.name == *n)).map(|g| {
                                rows_markup(g.actions.iter().map(|(id, label)| Row {
                                    id, name: label, lead: &lead, note: None,
                                    starred: starred.contains(id),
                                }))
                            }).unwrap_or_default()
                        })));
                        view! {
                            <Branch
                                lib
                                name=group
                                icon
                                class="category"
                                open=Signal::derive(move || name.with_value(|n| is_open(n)))
                                toggle=Callback::new(move |_| toggle(name.get_value()))
                                items
                            />
                        }
                    }
                />
                <Show when=move || cloud.shown()>
                    <Branch
                        lib
                        name=connectors::CLOUD
                        icon="connector"
                        class="cloud"
                        open=Signal::derive(move || cloud.open.get() || searching.get())
                        toggle=Callback::new(move |_| cloud.open.update(|o| *o = !*o))
                        items=cloud_items
                    />
                </Show>
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
