//! Subflow tabs over the canvas: "Main" first, then each subflow; add, rename (double-click) and
//! delete dispatch subflow commands, so they undo like any edit.

use crate::icons::Icon;
use crate::state::use_designer;
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::command::{subflow_name_free, Command};
use plugboard_model::flow::Subflow;

#[component]
pub fn SubflowTabs() -> impl IntoView {
    let d = use_designer();
    let names = Memo::new(move |_| {
        d.editor.with(|e| {
            e.flow()
                .subflows
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
        })
    });
    // Undo can remove the shown subflow: fall back to the one before it.
    Effect::new(move |_| {
        let n = names.with(Vec::len);
        if d.subflow.get() >= n {
            d.subflow.set(n.saturating_sub(1));
        }
    });
    let renaming = RwSignal::new(None::<usize>);
    let draft = RwSignal::new(String::new());

    let show = move |i: usize| {
        if d.subflow.get_untracked() != i {
            d.selection.set(Vec::new());
            d.subflow.set(i);
        }
    };
    let add = move |_| {
        let (index, name) = d.editor.with_untracked(|e| {
            let name = (1..)
                .map(|n| format!("Subflow{n}"))
                .find(|n| subflow_name_free(e.flow(), n, None))
                .expect("a free name");
            (e.flow().subflows.len(), name)
        });
        if d.dispatch(
            "Add subflow",
            Command::AddSubflow {
                index,
                subflow: Subflow {
                    name,
                    steps: Vec::new(),
                },
            },
        ) {
            show(index);
        }
    };
    let commit = move |i: usize| {
        let name = draft.get_untracked().trim().to_string();
        renaming.set(None);
        if names.with_untracked(|n| n.get(i) != Some(&name)) {
            d.dispatch("Rename subflow", Command::RenameSubflow { index: i, name });
        }
    };

    let tabs = move || names.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <div class="subflow-bar">
            <div role="tablist" aria-label="Subflows" class="tabs">
                <For each=tabs key=|(i, n)| (*i, n.clone()) children=move |(i, name): (usize, String)| {
                    let selected = move || d.subflow.get() == i;
                    let name2 = name.clone();
                    view! {
                        <Show when=move || renaming.get() == Some(i) fallback={
                            let name = name.clone();
                            move || {
                                let (n1, n2) = (name.clone(), name.clone());
                                view! {
                                    <button type="button" role="tab" class="tab" aria-selected=move || selected().to_string()
                                        title=if i == 0 { "The main flow".to_string() } else { "Double-click to rename".to_string() }
                                        on:click=move |_| show(i)
                                        on:dblclick=move |_| { if i > 0 { draft.set(n1.clone()); renaming.set(Some(i)); } }>
                                        {n2.clone()}
                                    </button>
                                }
                            }
                        }>
                            <input type="text" class="tab-input" aria-label=format!("New name for subflow {name2}")
                                prop:value=move || draft.get()
                                on:input=move |ev| draft.set(event_target_value(&ev))
                                on:blur=move |_| { if renaming.get_untracked() == Some(i) { commit(i) } }
                                on:keydown=move |ev: ev::KeyboardEvent| match ev.key().as_str() {
                                    "Enter" => commit(i),
                                    "Escape" => renaming.set(None),
                                    _ => {}
                                }
                                autofocus />
                        </Show>
                        <Show when=move || { i > 0 && selected() && renaming.get() != Some(i) }>
                            <button type="button" class="tab-close" aria-label=format!("Delete subflow {}", names.with(|n| n.get(i).cloned().unwrap_or_default()))
                                on:click=move |_| {
                                    if d.dispatch("Delete subflow", Command::RemoveSubflow { index: i }) {
                                        show(i - 1);
                                    }
                                }><Icon name="close" /></button>
                        </Show>
                    }
                } />
            </div>
            <button type="button" class="tab add-tab" aria-label="New subflow" title="New subflow" on:click=add><Icon name="plus" /></button>
        </div>
    }
}
