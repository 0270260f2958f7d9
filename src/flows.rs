//! Flows kept in the browser: the list of them (create, duplicate, delete, switch), autosave to
//! localStorage (debounced, and flushed when the page is hidden or left, so an edit followed at
//! once by a reload or a closed tab is kept), and restore on reload.

use crate::platform::storage;
use crate::state::Designer;
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::codec;
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
    /// Bumped per scheduled save: only the latest one writes.
    generation: StoredValue<u64>,
    /// The generation the last write covered: behind `generation`, a change is not yet saved.
    saved: StoredValue<u64>,
}

impl Flows {
    pub fn new(index: Index) -> Self {
        Flows {
            index: RwSignal::new(index),
            generation: StoredValue::new(0),
            saved: StoredValue::new(0),
        }
    }

    /// Write what is not saved yet now: when the page is hidden (a tab switch, a closed tab)
    /// or left (a reload), the debounced save may never run. Call once, in the app.
    pub fn flush_when_hidden(self, d: Designer) {
        let hide = window_event_listener(ev::pagehide, move |_| self.flush(&d));
        let hidden = window_event_listener(ev::visibilitychange, move |_| {
            if document().hidden() {
                self.flush(&d);
            }
        });
        on_cleanup(move || {
            hide.remove();
            hidden.remove();
        });
    }

    /// Save now if a change is waiting for its debounced save.
    pub fn flush(&self, d: &Designer) {
        if self.saved.get_value() != self.generation.get_value() {
            self.save_now(d);
        }
    }

    /// Write the open flow and the index now.
    pub fn save_now(&self, d: &Designer) {
        self.saved.set_value(self.generation.get_value());
        let (id, name, text) = d
            .editor
            .with_untracked(|e| (e.flow().id, e.flow().name.clone(), codec::encode(e.flow())));
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
        d.open(flow);
        self.save_now(d);
    }

    pub fn switch_to(&self, d: &Designer, id: Uuid) {
        if d.editor.with_untracked(|e| e.flow().id) == id {
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
        if d.editor.with_untracked(|e| e.flow().id) == id {
            let next = self
                .index
                .with_untracked(|ix| ix.flows.first().map(|e| e.id));
            let flow = next
                .and_then(read_flow)
                .unwrap_or_else(|| Flow::new("My flow"));
            d.selection.set(Vec::new());
            d.open(flow);
        }
        self.save_now(d);
    }
}

pub fn use_flows() -> Flows {
    expect_context::<Flows>()
}
