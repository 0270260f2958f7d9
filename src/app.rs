//! The designer's shell: header (undo, redo, share), the three panes, the dialogs and the drag ghost;
//! it provides the state in context and starts what runs in the background (autosave and its
//! flush, the settle timer, connector definitions and references the flow needs).

use crate::canvas::FlowPane;
use crate::dialog::ActionDialog;
use crate::drag::{self, DragGhost};
use crate::flows::{self, Flows};
use crate::icons::Icon;
use crate::library::ActionsPane;
use crate::side::SidePane;
use crate::state::Designer;
use leptos::prelude::*;
use plugboard_model::library::standard_catalog;

/// How long the flow must stay unchanged before the checker and variables list run again.
const SETTLE_DELAY: std::time::Duration = std::time::Duration::from_millis(120);

#[component]
pub fn App() -> impl IntoView {
    let flows::Restored {
        flow,
        index,
        fresh,
        damaged,
    } = flows::restore();
    let open = flow.id;
    let d = Designer::new(flow, standard_catalog());
    provide_context(d);
    d.cloud.start();
    let flows = Flows::new(index, open, damaged);
    provide_context(flows);
    crate::problems::provide_problems(d);
    crate::run::provide_runner(d);
    crate::share::Sharing::provide();
    flows.flush_when_hidden(d);
    flows.follow_other_tabs(d);
    drag::install();
    crate::keys::install();

    // After each change: autosave (debounced) and, once edits pause, the whole-flow analyses.
    let settle_generation = StoredValue::new(0u64);
    Effect::new(move |prev: Option<()>| {
        d.editor.track();
        if prev.is_none() {
            if fresh {
                flows.save_now(&d);
            }
            return;
        }
        flows.schedule_save(d);
        let gen = settle_generation.get_value() + 1;
        settle_generation.set_value(gen);
        set_timeout(
            move || {
                if settle_generation.get_value() == gen {
                    d.settled.update(|n| *n += 1);
                }
            },
            SETTLE_DELAY,
        );
    });
    // Connector steps draw, check and open with their connector's definition: fetch the
    // definitions of the connectors the flow uses (at start, and after imports and pastes).
    Effect::new(move |_| {
        for id in d.with_settled_flow(plugboard_model::references::connector_ids) {
            d.cloud.ensure_detail_quiet(&id);
        }
    });
    // References made elsewhere (another tab, the API, an imported flow naming them) show up
    // without a reload: ask again when the flow names one the list lacks, and on focus.
    let asked_for = StoredValue::new(Vec::<String>::new());
    Effect::new(move |_| {
        let names: Vec<String> = d.with_settled_flow(|f| {
            plugboard_model::references::usages(f)
                .into_iter()
                .map(|u| u.logical_name)
                .collect()
        });
        let missing: Vec<String> = d.cloud.references.with_untracked(|l| {
            l.ready().map_or_else(Vec::new, |list| {
                names
                    .into_iter()
                    .filter(|n| !list.iter().any(|r| r.logical_name == *n))
                    .collect()
            })
        });
        if !missing.is_empty() && asked_for.get_value() != missing {
            asked_for.set_value(missing);
            d.cloud.load_references();
        }
    });
    let on_focus = window_event_listener(leptos::ev::focus, move |_| {
        if d.cloud.signed_in_untracked() {
            d.cloud.load_references();
            d.cloud.load_connections();
        }
    });
    on_cleanup(move || on_focus.remove());
    // Status messages fade after a while.
    Effect::new(move |_| {
        if d.status.get().is_some() {
            let shown = d.status.get_untracked();
            set_timeout(
                move || {
                    if d.status.get_untracked() == shown {
                        d.status.set(None);
                    }
                },
                std::time::Duration::from_secs(6),
            );
        }
    });

    let can_undo = move || d.editor.with(|e| e.undo_label().map(str::to_string));
    let can_redo = move || d.editor.with(|e| e.redo_label().map(str::to_string));

    view! {
        <div class="app" class:is-dragging=move || d.drag.with(|g| g.as_ref().is_some_and(|g| g.active))>
            <header class="topbar">
                <div class="brand"><span class="logo" aria-hidden="true"></span>"Plugboard"</div>
                <div class="toolbar" role="toolbar" aria-label="Edit">
                    <button type="button" class="tool" aria-label="Undo" aria-disabled=move || can_undo().is_none().to_string()
                        title=move || can_undo().map_or("Nothing to undo".into(), |l| format!("Undo {l} (Ctrl+Z)"))
                        on:click=move |_| d.undo()><Icon name="undo" /><span>"Undo"</span></button>
                    <button type="button" class="tool" aria-label="Redo" aria-disabled=move || can_redo().is_none().to_string()
                        title=move || can_redo().map_or("Nothing to redo".into(), |l| format!("Redo {l} (Ctrl+Y)"))
                        on:click=move |_| d.redo()><Icon name="redo" /><span>"Redo"</span></button>
                    <crate::share::ShareButton />
                </div>
                <crate::run_panel::RunToolbar />
                <crate::account::AccountBar />
            </header>
            <crate::storage_notice::StorageNotices />
            <main class="panes">
                <ActionsPane />
                <FlowPane />
                <SidePane />
            </main>
            <div class="status" role="status" aria-live="polite">
                {move || d.status.get().map(|s| view! { <div class="toast">{s}</div> })}
            </div>
            <ActionDialog />
            <crate::share::ShareDialog />
            <crate::share::LinkOpener />
            <crate::share::MapReferences />
            <crate::connect::ReferencePicker />
            <crate::connect::AddReferenceDialog />
            <crate::run_dialogs::RunDialogs />
            <DragGhost />
        </div>
    }
}
