//! Flows kept in the browser: the list (create, rename, duplicate, delete, switch), autosave to
//! localStorage (debounced), restore on reload, export to and import from a .json file.

use crate::icons::{self, Icon};
use crate::lists;
use crate::state::{use_designer, Designer};
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::codec;
use plugboard_model::command::Command;
use plugboard_model::flow::Flow;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

const INDEX_KEY: &str = "plugboard.index.v1";
const SAVE_DELAY: Duration = Duration::from_millis(300);

fn flow_key(id: Uuid) -> String {
    format!("plugboard.flow.{id}")
}

/// The list of flows kept in this browser.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub current: Option<Uuid>,
    pub flows: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: Uuid,
    pub name: String,
}

pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read_index() -> Index {
    storage()
        .and_then(|s| s.get_item(INDEX_KEY).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn write(key: &str, value: &str) -> Result<(), String> {
    let s = storage().ok_or("this browser keeps no local storage")?;
    s.set_item(key, value)
        .map_err(|_| "the browser's storage for this site is full".to_string())
}

fn read_flow(id: Uuid) -> Option<Flow> {
    let text = storage()?.get_item(&flow_key(id)).ok().flatten()?;
    codec::decode(&text).ok()
}

/// The flow to open at start: the one open last time, else the first kept one, else a new one
/// (then `true`: it is not stored yet).
pub fn restore() -> (Flow, Index, bool) {
    let mut index = read_index();
    let candidates = index
        .current
        .into_iter()
        .chain(index.flows.iter().map(|e| e.id));
    for id in candidates.collect::<Vec<_>>() {
        if let Some(flow) = read_flow(id) {
            index.current = Some(flow.id);
            return (flow, index, false);
        }
    }
    let flow = Flow::new("My flow");
    index.flows.retain(|e| read_flow(e.id).is_some());
    index.flows.push(Entry {
        id: flow.id,
        name: flow.name.clone(),
    });
    index.current = Some(flow.id);
    (flow, index, true)
}

/// The flows list and the saving machinery, in context.
#[derive(Clone, Copy)]
pub struct Flows {
    pub index: RwSignal<Index>,
    generation: StoredValue<u64>,
}

impl Flows {
    pub fn new(index: Index) -> Self {
        Flows {
            index: RwSignal::new(index),
            generation: StoredValue::new(0),
        }
    }

    /// Write the open flow and the index now.
    pub fn save_now(&self, d: &Designer) {
        let (id, name, text) = d
            .editor
            .with_untracked(|e| (e.flow.id, e.flow.name.clone(), codec::encode(&e.flow)));
        self.index.update(|ix| {
            ix.current = Some(id);
            match ix.flows.iter_mut().find(|e| e.id == id) {
                Some(e) => e.name = name,
                None => ix.flows.push(Entry { id, name }),
            }
        });
        let ix = serde_json::to_string(&self.index.get_untracked()).unwrap_or_default();
        if let Err(e) = write(&flow_key(id), &text).and_then(|_| write(INDEX_KEY, &ix)) {
            d.status.set(Some(format!("Could not save the flow: {e}")));
        }
    }

    /// Save after the edits pause for a moment.
    pub fn schedule_save(&self, d: Designer) {
        let flows = *self;
        let gen = self.generation.get_value() + 1;
        self.generation.set_value(gen);
        set_timeout(
            move || {
                if flows.generation.get_value() == gen {
                    flows.save_now(&d);
                }
            },
            SAVE_DELAY,
        );
    }

    /// Save the open flow, then open `flow` (its history starts afresh).
    pub fn open(&self, d: &Designer, flow: Flow) {
        self.save_now(d);
        d.selection.set(Vec::new());
        d.subflow.set(0);
        d.editor.update(|e| e.replace(flow));
        self.save_now(d);
    }

    pub fn switch_to(&self, d: &Designer, id: Uuid) {
        if d.editor.with_untracked(|e| e.flow.id) == id {
            return;
        }
        match read_flow(id) {
            Some(flow) => self.open(d, flow),
            None => d.status.set(Some(
                "That flow could not be read from this browser's storage".into(),
            )),
        }
    }

    pub fn delete(&self, d: &Designer, id: Uuid) {
        if let Some(s) = storage() {
            let _ = s.remove_item(&flow_key(id));
        }
        self.index.update(|ix| ix.flows.retain(|e| e.id != id));
        if d.editor.with_untracked(|e| e.flow.id) == id {
            let next = self
                .index
                .with_untracked(|ix| ix.flows.first().map(|e| e.id));
            let flow = next
                .and_then(read_flow)
                .unwrap_or_else(|| Flow::new("My flow"));
            d.selection.set(Vec::new());
            d.editor.update(|e| e.replace(flow));
        }
        self.save_now(d);
    }
}

pub fn use_flows() -> Flows {
    expect_context::<Flows>()
}

/// Offer `text` as a file download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "cannot make the file")?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "cannot make the file")?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement =
        wasm_bindgen::JsCast::dyn_into(doc.create_element("a").map_err(|_| "no link")?)
            .map_err(|_| "no link")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The file picked in a file input, which is cleared so the same file can be picked again.
pub fn take_file(input: &web_sys::HtmlInputElement) -> Option<web_sys::File> {
    let file = input.files()?.get(0)?;
    input.set_value("");
    Some(file)
}

/// A picked file's text, refused unread when it is larger than `max_bytes`.
pub async fn read_text(file: &web_sys::File, max_bytes: usize) -> Result<String, String> {
    if file.size() > max_bytes as f64 {
        return Err(format!(
            "the file is larger than {} MB",
            (max_bytes / (1024 * 1024)).max(1)
        ));
    }
    match wasm_bindgen_futures::JsFuture::from(file.text()).await {
        Ok(t) => Ok(t.as_string().unwrap_or_default()),
        Err(_) => Err("the file could not be read".into()),
    }
}

/// A file name for a flow: its name with unsafe characters replaced.
fn file_name(name: &str) -> String {
    format!("{}.json", file_stem(name))
}

/// A flow's name made safe as the start of a file name ("flow" when nothing is left).
pub fn file_stem(name: &str) -> String {
    let base: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let base = base.trim();
    if base.is_empty() { "flow" } else { base }.to_string()
}

/// The flow's name (click to rename) and the "Flows" menu.
#[component]
pub fn FlowHeader() -> impl IntoView {
    let d = use_designer();
    let flows = use_flows();
    let menu = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let name = move || d.editor.with(|e| e.flow.name.clone());

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
        let mut copy = d.editor.with_untracked(|e| e.flow.clone());
        copy.id = Uuid::new_v4();
        copy.name = format!("{} (copy)", copy.name);
        flows.open(&d, copy);
    };
    let export = move |_| {
        menu.set(false);
        let (n, text) = d
            .editor
            .with_untracked(|e| (e.flow.name.clone(), codec::encode(&e.flow)));
        if let Err(e) = download(&file_name(&n), &text) {
            d.status.set(Some(format!("Export failed: {e}")));
        }
    };
    let on_file = move |_| {
        let Some(file) = file_input.get_untracked().and_then(|i| take_file(&i)) else {
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
                    flows.open(&d, flow);
                    d.status.set(Some(format!("Imported “{n}”")));
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
                            let current = d.editor.with(|ed| ed.flow.id);
                            flows.index.with(|ix| entries_markup(&ix.flows, current))
                        } on:click=move |ev| {
                            let Some(i) = lists::index_of(&ev, "button[data-i]") else { return };
                            let Some(id) = flows.index.with_untracked(|ix| ix.flows.get(i).map(|e| e.id)) else { return };
                            if lists::index_of(&ev, "button.icon-button[data-i]").is_none() {
                                menu.set(false);
                                flows.switch_to(&d, id);
                            } else if web_sys::window().and_then(|w| w.confirm_with_message("Delete this flow? This cannot be undone.").ok()).unwrap_or(false) {
                                flows.delete(&d, id);
                            }
                        }></div>
                        <hr />
                        <button type="button" role="menuitem" on:click=new_flow><Icon name="plus" />"New flow"</button>
                        <button type="button" role="menuitem" on:click=duplicate><Icon name="copy" />"Duplicate flow"</button>
                        <button type="button" role="menuitem" on:click=move |_| { if let Some(i) = file_input.get_untracked() { i.click() } }><Icon name="upload" />"Import from file…"</button>
                        <button type="button" role="menuitem" on:click=export><Icon name="download" />"Export to file"</button>
                    </div>
                </Show>
                <input type="file" accept=".json,application/json" class="visually-hidden" aria-label="Import flow file"
                    node_ref=file_input on:change=on_file tabindex="-1" />
            </div>
            <span class="step-count muted">{move || { let n = d.editor.with(|e| e.flow.step_count()); format!("{n} action{}", if n == 1 { "" } else { "s" }) }}</span>
        </div>
    }
}

/// The flows as menu rows: the flow (a radio item, checked when current) and its delete button
/// (see `lists`; both carry the row's index).
fn entries_markup(entries: &[Entry], current: Uuid) -> String {
    let trash = icons::markup("trash", "");
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        out.push_str(r#"<div class="menu-flow">"#);
        let checked = if e.id == current { "true" } else { "false" };
        let attrs = format!(r#"type="button" role="menuitemradio" aria-checked="{checked}""#);
        lists::open(&mut out, "button", &attrs, i, None);
        lists::text(&mut out, &e.name);
        out.push_str("</button>");
        let label = format!("Delete {}", e.name);
        lists::open(
            &mut out,
            "button",
            r#"type="button" class="icon-button""#,
            i,
            Some(&label),
        );
        out.push_str(&trash);
        out.push_str("</button></div>");
    }
    out
}
