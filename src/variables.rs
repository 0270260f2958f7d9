//! The "Variables" section of the side pane: every variable the flow produces, with "Find
//! usages" (selects the steps) and "Rename" (everywhere, as one undoable command); during and
//! after a run, each one's value (`value_view`).

use crate::state::use_designer;
use crate::text::lower;
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::command::{is_variable_name, Command};
use plugboard_model::draft::variable_names;
use plugboard_model::expr;
use plugboard_model::flow::{Flow, StepId};

/// The most variables the pane lists at once.
const MAX_SHOWN: usize = 100;

/// Steps that produce or use `var`, in document order.
fn usages(flow: &Flow, var: &str) -> Vec<StepId> {
    flow.walk()
        .into_iter()
        .filter(|(_, s)| {
            s.outputs.values().any(|v| v == var)
                || s.inputs.values().any(|t| expr::variables(t).contains(&var))
                || s.inputs.values().any(|t| t.trim_matches('%') == var)
        })
        .map(|(_, s)| s.id)
        .collect()
}

#[component]
pub fn VariablesSection() -> impl IntoView {
    let d = use_designer();
    let vars = Memo::new(move |_| d.with_settled_flow(|f| variable_names(f, lower)));
    let filter = RwSignal::new(String::new());
    // Long lists are cut: the pane stays light however many variables a flow produces.
    let shown = Memo::new(move |_| {
        let f = lower(filter.get().trim());
        vars.with(|v| {
            v.iter()
                .filter(|n| f.is_empty() || lower(n).contains(&f))
                .take(MAX_SHOWN)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let renaming = RwSignal::new(None::<String>);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let commit = move |from: String| {
        let to = draft.get_untracked().trim().trim_matches('%').to_string();
        if to == from {
            renaming.set(None);
            return;
        }
        if !is_variable_name(&to) {
            error.set(Some("Enter a variable name: letters, digits and _".into()));
            return;
        }
        if vars.with_untracked(|v| v.contains(&to)) {
            error.set(Some(format!("A variable named {to} already exists")));
            return;
        }
        d.dispatch(
            &format!("Rename variable {from}"),
            Command::RenameVariable { from, to },
        );
        renaming.set(None);
        error.set(None);
    };

    view! {
            <section class="side-section" aria-label="Variables">
                <h2 class="pane-title">"Variables" <span class="count">{move || vars.with(Vec::len)}</span></h2>
                <Show when=move || vars.with(Vec::is_empty)>
                    <p class="empty">"Actions that produce variables, such as Set variable, add them here."</p>
                </Show>
                <Show when=move || vars.with(|v| v.len() > 8)>
                    <input type="search" class="side-filter" aria-label="Filter variables" placeholder="Filter variables"
                        prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev)) />
                </Show>
                <ul class="var-list">
                    <For each=move || shown.get() key=|v| v.clone() children=move |v: String| {
                        let (v1, v2, v3, v4) = (v.clone(), v.clone(), v.clone(), v.clone());
                        let editing = move || renaming.get().as_deref() == Some(v1.as_str());
                        view! {
                            <li class="var">
                                <Show when=editing.clone() fallback=move || {
                                    let (a, b, c) = (v2.clone(), v2.clone(), v2.clone());
                                    view! {
                                        <span class="var-name">"%" {a.clone()} "%"</span>
                                        <button type="button" class="link" aria-label=format!("Find usages of {a}")
                                            on:click=move |_| {
                                                let ids = d.editor.with_untracked(|e| usages(e.flow(), &b));
                                                d.select_all_of(ids);
                                            }>"Find usages"</button>
                                        <button type="button" class="link" aria-label=format!("Rename {c}")
                                            on:click={ let c = c.clone(); move |_| { draft.set(c.clone()); error.set(None); renaming.set(Some(c.clone())); } }>"Rename"</button>
                                    }
                                }>
                                    {
                                        let (c1, c2) = (v3.clone(), v4.clone());
                                        view! {
                                            <input type="text" class="rename" aria-label=format!("New name for {c1}")
                                                prop:value=move || draft.get()
                                                on:input=move |ev| draft.set(event_target_value(&ev))
                                                on:keydown={ let c2 = c2.clone(); move |ev: ev::KeyboardEvent| match ev.key().as_str() {
                                                    "Enter" => commit(c2.clone()),
                                                    "Escape" => { ev.stop_propagation(); renaming.set(None); }
                                                    _ => {}
                                                }}
                                                autofocus />
                                            <button type="button" class="link" on:click={ let c2 = c2.clone(); move |_| commit(c2.clone()) }>"Save"</button>
                                        }
                                    }
                                </Show>
                                <crate::value_view::RunValue name=v />
                            </li>
                        }
                    } />
                </ul>
                <Show when=move || vars.with(|v| v.len() > MAX_SHOWN) && shown.with(|s| s.len() == MAX_SHOWN)>
                    <p class="empty">{move || format!("Showing {MAX_SHOWN} of {} variables: filter to find others.", vars.with(Vec::len))}</p>
                </Show>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </section>
    }
}
