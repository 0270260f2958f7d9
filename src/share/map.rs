//! "Map connection references": after a shared flow is opened as a copy (or a file imported,
//! or steps pasted) naming references this environment lacks or has not bound, each is listed
//! with what can be done: kept (bound here), bind it, create it here or use another compatible
//! reference instead (which rewrites the flow's usages as one command). Nothing is bound
//! without the maker choosing; skipping leaves the Errors panel naming what is unmapped.

use super::{use_sharing, Sharing};
use crate::modal::Modal;
use crate::references::ReferenceList;
use crate::state::{use_designer, Designer};
use leptos::prelude::*;
use plugboard_model::references::usages;

/// Open "Map connection references" when the open flow names a reference that the current
/// environment lacks or has not bound (or when nobody is signed in to tell): after a shared
/// flow is opened or a flow file imported. (`s` is taken where the context is, in a component:
/// these run later, in event handlers and tasks.)
pub fn ask_to_map(d: &Designer, s: Sharing) {
    let names = d.editor.with_untracked(|e| {
        usages(e.flow())
            .into_iter()
            .map(|u| u.logical_name)
            .collect()
    });
    ask_for(d, s, names);
}

/// The same for the references the selected steps (and the steps inside them) name: after a
/// paste, which selects what it pasted.
pub fn ask_to_map_selection(d: &Designer, s: Sharing) {
    let selected = d.selection.get_untracked();
    let names = d.editor.with_untracked(|e| {
        let flow = e.flow();
        usages(flow)
            .into_iter()
            .filter(|u| {
                u.steps
                    .iter()
                    .any(|(_, id)| selected.iter().any(|s| flow.is_within(*id, *s)))
            })
            .map(|u| u.logical_name)
            .collect()
    });
    ask_for(d, s, names);
}

fn ask_for(d: &Designer, s: Sharing, names: Vec<String>) {
    if names.is_empty() {
        return;
    }
    let all_bound = d.cloud.references.with_untracked(|l| {
        l.ready().is_some_and(|refs| {
            names.iter().all(|n| {
                refs.iter()
                    .any(|r| r.logical_name == *n && r.connection.is_some())
            })
        })
    });
    if !all_bound {
        s.mapping.set(true);
    }
}

/// The dialog, while it is open.
#[component]
pub fn MapReferences() -> impl IntoView {
    let s = use_sharing();
    let d = use_designer();
    let close = Callback::new(move |()| {
        s.mapping.set(false);
        d.cloud.load_references();
    });
    view! {
        <Show when=move || s.mapping.get()>
            <Modal title="Map connection references" on_close=close class="map-dialog"
                subtitle=format!("Connection references this flow uses, in {}. Nothing is bound until you choose; you can skip this and map them later from the Connection references pane.", d.cloud.env_name_untracked())>
                <div class="dialog-body">
                    <ReferenceList mapping=true />
                    <footer class="dialog-foot">
                        <button type="button" class="primary" on:click=move |_| close.run(())>"Done"</button>
                    </footer>
                </div>
            </Modal>
        </Show>
    }
}
