//! The flow's header over the canvas: its name (click to rename), the "Flows" menu (switch,
//! new, duplicate, delete, import from and export to a .json file) and the count of actions.

use crate::flows::{use_flows, Entry};
use crate::icons::Icon;
use crate::markup;
use crate::platform::{pick_file, read_text, take_file};
use crate::state::use_designer;
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::codec;
use plugboard_model::command::Command;
use plugboard_model::flow::Flow;
use uuid::Uuid;

/// The id of the hidden file input (found by id: see `platform::pick_file`).
const FLOW_FILE: &str = "flow-file";

/// The flow's name (click to rename) and the "Flows" menu.
#[component]
pub fn FlowHeader() -> impl IntoView {
    let d = use_designer();
    let flows = use_flows();
    let sharing = crate::share::use_sharing();
    let menu = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let name = move || d.editor.with(|e| e.flow().name.clone());

    let commit_name = move || {
        let n = draft.get_untracked().trim().to_string();
        editing.set(false);
        if !n.is_empty() && n != name() && n.chars().count() <= 200 {
            d.dispatch("Rename flow", Command::RenameFlow { name: n });
        }
    };

    let new_flow = move |_| {
        menu.set(false);
        let n = flows.index.with_untracked(|ix| ix.flows.len()) + 1;
        flows.open(&d, Flow::new(format!("Flow {n}")));
    };
    let duplicate = move |_| {
        menu.set(false);
        let mut copy = d.editor.with_untracked(|e| e.flow().clone());
        copy.id = Uuid::new_v4();
        copy.name = format!("{} (copy)", copy.name);
        flows.open(&d, copy);
    };
    let export = move |_| {
        menu.set(false);
        crate::flows::export_open(&d);
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = take_file(&ev) else {
            return;
        };
        menu.set(false);
        let fname = file.name();
        leptos::task::spawn_local(async move {
            let text = match read_text(&file, codec::Limits::default().max_bytes).await {
                Ok(t) => t,
                Err(e) => return d.status.set(Some(format!("Cannot import {fname}: {e}"))),
            };
            match codec::decode(&text) {
                Ok(mut flow) => {
                    if flows
                        .index
                        .with_untracked(|ix| ix.flows.iter().any(|e| e.id == flow.id))
                    {
                        flow.id = Uuid::new_v4();
                    }
                    let n = flow.name.clone();
                    if flows.open(&d, flow) {
                        d.status.set(Some(format!("Imported “{n}”")));
                        crate::share::ask_to_map(&d, sharing);
                    }
                }
                Err(e) => d.status.set(Some(format!("Cannot import {fname}: {e}"))),
            }
        });
    };

    view! {
        <div class="flow-head">
            <Show when=move || editing.get() fallback=move || view! {
                <button type="button" class="flow-name" title="Rename flow" aria-label=move || format!("Flow name: {}. Rename", name())
                    on:click=move |_| { draft.set(name()); editing.set(true); }>
                    <span>{name}</span><Icon name="pencil" class="subtle" />
                </button>
            }>
                <input type="text" class="flow-name-input" aria-label="Flow name" maxlength="200"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:blur=move |_| commit_name()
                    on:keydown=move |ev: ev::KeyboardEvent| match ev.key().as_str() {
                        "Enter" => commit_name(),
                        "Escape" => editing.set(false),
                        _ => {}
                    }
                    autofocus />
            </Show>
            <div class="menu-wrap">
                <button type="button" class="ghost" aria-haspopup="menu" aria-expanded=move || menu.get().to_string()
                    on:click=move |_| menu.update(|m| *m = !*m)>"Flows"<Icon name="chevron" class="chevron down" /></button>
                <Show when=move || menu.get()>
                    <div class="menu" role="menu" aria-label="Flows"
                        on:keydown=move |ev: ev::KeyboardEvent| if ev.key() == "Escape" { menu.set(false) }>
                        <div class="menu-flows" inner_html=move || {
                            let current = d.editor.with(|ed| ed.flow().id);
                            flows.index.with(|ix| entries_markup(&ix.flows, current))
                        } on:click=move |ev| {
                            let Some(i) = markup::index_of(&ev, "button[data-i]") else { return };
                            let Some(id) = flows.index.with_untracked(|ix| ix.flows.get(i).map(|e| e.id)) else { return };
                            if markup::index_of(&ev, "button.icon-button[data-i]").is_none() {
                                menu.set(false);
                                flows.switch_to(&d, id);
                            } else if web_sys::window().and_then(|w| w.confirm_with_message("Delete this flow? This cannot be undone.").ok()).unwrap_or(false) {
                                flows.delete(&d, id);
                            }
                        }></div>
                        <hr />
                        <button type="button" role="menuitem" on:click=new_flow><Icon name="plus" />"New flow"</button>
                        <button type="button" role="menuitem" on:click=duplicate><Icon name="copy" />"Duplicate flow"</button>
                        <button type="button" role="menuitem" on:click=move |_| pick_file(FLOW_FILE)><Icon name="upload" />"Import from file…"</button>
                        <button type="button" role="menuitem" on:click=export><Icon name="download" />"Export to file"</button>
                    </div>
                </Show>
                <input type="file" accept=".json,application/json" class="visually-hidden" aria-label="Import flow file"
                    id=FLOW_FILE on:change=on_file tabindex="-1" />
            </div>
            <span class="step-count muted">{move || { let n = d.editor.with(|e| e.flow().step_count()); format!("{n} action{}", if n == 1 { "" } else { "s" }) }}</span>
        </div>
    }
}

/// The flows as menu rows: the flow (a radio item, checked when current) and its delete button
/// (see `markup`; both carry the row's index).
fn entries_markup(entries: &[Entry], current: Uuid) -> String {
    let mut trash = String::new();
    markup::icon(&mut trash, "trash", "");
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        markup::raw(&mut out, r#"<div class="menu-flow">"#);
        let attrs = if e.id == current {
            r#"type="button" role="menuitemradio" aria-checked="true""#
        } else {
            r#"type="button" role="menuitemradio" aria-checked="false""#
        };
        markup::item(&mut out, "button", attrs, i, None);
        markup::text(&mut out, &e.name);
        markup::raw(&mut out, "</button>");
        let label = format!("Delete {}", e.name);
        markup::item(
            &mut out,
            "button",
            r#"type="button" class="icon-button""#,
            i,
            Some(&label),
        );
        out.push_str(&trash);
        markup::raw(&mut out, "</button></div>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::hostile::{assert_shown_as_text, INPUTS};

    #[test]
    fn flow_names_show_as_text_in_the_flows_menu() {
        for input in INPUTS {
            let entries = [
                Entry {
                    id: Uuid::nil(),
                    name: input.to_string(),
                },
                Entry {
                    id: Uuid::from_u128(1),
                    name: "Other".into(),
                },
            ];
            let out = entries_markup(&entries, Uuid::nil());
            assert_shown_as_text(&out, input);
            assert!(out.contains(r#"aria-checked="true" data-i="0">"#));
            assert!(out.contains(r#"aria-checked="false" data-i="1">"#));
        }
    }
}
