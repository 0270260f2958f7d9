//! Flows kept in the browser: the list of them (create, duplicate, delete, switch), autosave to
//! localStorage (debounced, and flushed when the page is hidden or left, so an edit followed at
//! once by a reload or a closed tab is kept), and restore on reload. Nothing is lost: two tabs on
//! one flow never overwrite each other silently (each save names its revision; a tab with no
//! unsaved edit takes the other's, one with unsaved edits asks), a full storage keeps the flow in
//! memory and says so, and a stored flow that no longer reads is kept aside, not overwritten.

use crate::platform::{download, file_stem, storage};
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

/// Which save of a flow is stored: `<tab>:<n>`, written after the flow itself.
fn rev_key(id: Uuid) -> String {
    format!("plugboard.rev.{id}")
}

/// A kept flow that no longer reads (damaged, or from a newer Plugboard): left as it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Damaged {
    pub id: Uuid,
    pub name: String,
    pub reason: String,
}

/// What keeps the open flow from being saved, or needs the maker's word.
#[derive(Clone, Debug, PartialEq)]
pub enum Trouble {
    /// The browser refused the write (its storage for this site is full).
    Full,
    /// Another tab saved this flow while this one had unsaved edits.
    ChangedElsewhere,
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

fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn write(key: &str, value: &str) -> Result<(), Trouble> {
    let s = storage().ok_or(Trouble::Full)?;
    s.set_item(key, value).map_err(|_| Trouble::Full)
}

/// A kept flow: none when it is not there, else what decoding it said.
fn read_flow(id: Uuid) -> Option<Result<Flow, String>> {
    let text = read(&flow_key(id))?;
    Some(codec::decode(&text).map_err(|e| e.to_string()))
}

/// The stored text of a kept flow, as it is (to download one that no longer reads).
pub fn stored_text(id: Uuid) -> Option<String> {
    read(&flow_key(id))
}

/// What `restore` found.
pub struct Restored {
    pub flow: Flow,
    pub index: Index,
    /// The flow is new: not stored yet.
    pub fresh: bool,
    pub damaged: Vec<Damaged>,
}

/// The flow to open at start: the one open last time, else the first kept one that reads, else
/// a new one. Kept flows that no longer read stay listed and stored as they are.
pub fn restore() -> Restored {
    let mut index = read_index();
    // Entries whose flow is gone are dropped; the others stay, readable or not.
    index.flows.retain(|e| read(&flow_key(e.id)).is_some());
    let mut damaged = Vec::new();
    let mut open = None;
    let order = index
        .current
        .into_iter()
        .chain(index.flows.iter().map(|e| e.id))
        .collect::<Vec<_>>();
    for id in order {
        match read_flow(id) {
            Some(Ok(flow)) if open.is_none() => open = Some(flow),
            Some(Err(reason)) if !damaged.iter().any(|d: &Damaged| d.id == id) => {
                let name = index
                    .flows
                    .iter()
                    .find(|e| e.id == id)
                    .map_or_else(|| "A flow".to_string(), |e| e.name.clone());
                damaged.push(Damaged { id, name, reason });
            }
            _ => {}
        }
    }
    let fresh = open.is_none();
    let flow = open.unwrap_or_else(|| Flow::new("My flow"));
    if !index.flows.iter().any(|e| e.id == flow.id) {
        index.flows.push(Entry {
            id: flow.id,
            name: flow.name.clone(),
        });
    }
    index.current = Some(flow.id);
    Restored {
        flow,
        index,
        fresh,
        damaged,
    }
}

/// The flows list and the saving machinery, in context.
#[derive(Clone, Copy)]
pub struct Flows {
    pub index: RwSignal<Index>,
    /// Bumped per scheduled save: only the latest one writes.
    generation: StoredValue<u64>,
    /// The generation the last write covered: behind `generation`, a change is not yet saved.
    saved: StoredValue<u64>,
    /// This tab, in the revisions it writes.
    tab: StoredValue<Uuid>,
    /// Saves this tab made (the revision counter).
    writes: StoredValue<u64>,
    /// The next change is another tab's version being opened: not saved back.
    skip_next: StoredValue<bool>,
    /// The revision of the open flow this tab last read or wrote.
    rev: StoredValue<Option<String>>,
    /// Why the open flow is not saved, if something stops it.
    pub trouble: RwSignal<Option<Trouble>>,
    /// Kept flows that no longer read (shown until dismissed).
    pub damaged: RwSignal<Vec<Damaged>>,
}

impl Flows {
    pub fn new(index: Index, open: Uuid, damaged: Vec<Damaged>) -> Self {
        Flows {
            index: RwSignal::new(index),
            generation: StoredValue::new(0),
            saved: StoredValue::new(0),
            tab: StoredValue::new(Uuid::new_v4()),
            writes: StoredValue::new(0),
            skip_next: StoredValue::new(false),
            rev: StoredValue::new(read(&rev_key(open))),
            trouble: RwSignal::new(None),
            damaged: RwSignal::new(damaged),
        }
    }

    /// Whether an edit is waiting for its save.
    fn unsaved(&self) -> bool {
        self.saved.get_value() != self.generation.get_value()
    }

    /// Follow what other tabs write: the flows list, and the open flow when this tab has no
    /// unsaved edit (else the maker chooses). Call once, in the app.
    pub fn follow_other_tabs(self, d: Designer) {
        let listener = window_event_listener(ev::storage, move |e| {
            let Some(key) = e.key() else { return };
            if key == INDEX_KEY {
                let current = d.editor.with_untracked(|e| e.flow().id);
                let mut ix = read_index();
                ix.current = Some(current);
                if !ix.flows.iter().any(|e| e.id == current) {
                    ix.flows.extend(self.index.with_untracked(|mine| {
                        mine.flows.iter().find(|e| e.id == current).cloned()
                    }));
                }
                self.index.set(ix);
                return;
            }
            let open = d.editor.with_untracked(|e| e.flow().id);
            if key != rev_key(open) || e.new_value() == self.rev.get_value() {
                return;
            }
            if self.unsaved() {
                self.trouble.set(Some(Trouble::ChangedElsewhere));
            } else {
                self.take_stored(&d);
            }
        });
        on_cleanup(move || listener.remove());
    }

    /// Open the stored version of the open flow (another tab's), dropping this tab's edits.
    pub fn take_stored(&self, d: &Designer) {
        let id = d.editor.with_untracked(|e| e.flow().id);
        match read_flow(id) {
            Some(Ok(flow)) => {
                self.rev.set_value(read(&rev_key(id)));
                self.saved.set_value(self.generation.get_value());
                self.trouble.set(None);
                d.selection.set(Vec::new());
                d.open(flow);
                // Opening is a change: it must not be saved back as this tab's.
                self.skip_next.set_value(true);
                d.status.set(Some(
                    "Updated with the changes saved in another tab.".into(),
                ));
            }
            _ => d.status.set(Some(
                "The version saved in another tab could not be read; this tab's is kept.".into(),
            )),
        }
    }

    /// Save this tab's version over the one another tab saved.
    pub fn keep_mine(&self, d: &Designer) {
        let id = d.editor.with_untracked(|e| e.flow().id);
        self.rev.set_value(read(&rev_key(id)));
        self.trouble.set(None);
        self.save_now(d);
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
        if self.unsaved() {
            self.save_now(d);
        }
    }

    /// Write the open flow and the index now, unless another tab saved the flow since this one
    /// last read or wrote it (then the maker chooses, and nothing is written).
    pub fn save_now(&self, d: &Designer) {
        let (id, name, text) = d
            .editor
            .with_untracked(|e| (e.flow().id, e.flow().name.clone(), codec::encode(e.flow())));
        let stored_rev = read(&rev_key(id));
        if stored_rev.is_some() && stored_rev != self.rev.get_value() {
            self.trouble.set(Some(Trouble::ChangedElsewhere));
            return;
        }
        let n = self.writes.get_value() + 1;
        let rev = format!("{}:{n}", self.tab.get_value());
        // The stored list, with this flow's entry: flows other tabs added or removed stay so.
        let mut ix = read_index();
        ix.current = Some(id);
        match ix.flows.iter_mut().find(|e| e.id == id) {
            Some(e) => e.name = name,
            None => ix.flows.push(Entry { id, name }),
        }
        let ix_text = serde_json::to_string(&ix).unwrap_or_default();
        let written = write(&flow_key(id), &text)
            .and_then(|_| write(&rev_key(id), &rev))
            .and_then(|_| write(INDEX_KEY, &ix_text));
        // The list shows this flow whether or not the write went through.
        self.index.set(ix);
        match written {
            Ok(()) => {
                self.writes.set_value(n);
                self.rev.set_value(Some(rev));
                self.saved.set_value(self.generation.get_value());
                if self.trouble.get_untracked().is_some() {
                    self.trouble.set(None);
                }
            }
            // Kept in memory; the next edit tries again.
            Err(t) => self.trouble.set(Some(t)),
        }
    }

    /// Save after the edits pause for a moment.
    pub fn schedule_save(&self, d: Designer) {
        if self.skip_next.get_value() {
            self.skip_next.set_value(false);
            return;
        }
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

    /// Save the open flow, then open `flow` (its history starts afresh). Refused (false, and
    /// the status says why) while the open flow's changes cannot be saved: opening another
    /// would drop them.
    pub fn open(&self, d: &Designer, flow: Flow) -> bool {
        self.flush(d);
        if let (Some(t), true) = (self.trouble.get_untracked(), self.unsaved()) {
            d.status.set(Some(
                match t {
                    Trouble::Full => "This flow's latest changes are not saved (the browser's storage is full): export it or free some space before opening another.",
                    Trouble::ChangedElsewhere => "This flow was changed in another tab: choose “Use theirs” or “Keep mine” before opening another.",
                }
                .into(),
            ));
            return false;
        }
        self.rev.set_value(read(&rev_key(flow.id)));
        self.trouble.set(None);
        d.selection.set(Vec::new());
        d.subflow.set(0);
        d.open(flow);
        self.save_now(d);
        true
    }

    pub fn switch_to(&self, d: &Designer, id: Uuid) {
        if d.editor.with_untracked(|e| e.flow().id) == id {
            return;
        }
        match read_flow(id) {
            Some(Ok(flow)) => {
                self.open(d, flow);
            }
            Some(Err(e)) => d.status.set(Some(format!(
                "That flow could not be read ({e}). It is kept as it was."
            ))),
            None => d.status.set(Some(
                "That flow is no longer in this browser's storage.".into(),
            )),
        }
    }

    pub fn delete(&self, d: &Designer, id: Uuid) {
        if let Some(s) = storage() {
            let _ = s.remove_item(&flow_key(id));
            let _ = s.remove_item(&rev_key(id));
        }
        self.damaged.update(|l| l.retain(|x| x.id != id));
        self.index.update(|ix| ix.flows.retain(|e| e.id != id));
        if d.editor.with_untracked(|e| e.flow().id) == id {
            let next = self
                .index
                .with_untracked(|ix| ix.flows.first().map(|e| e.id));
            let flow = next
                .and_then(read_flow)
                .and_then(Result::ok)
                .unwrap_or_else(|| Flow::new("My flow"));
            self.rev.set_value(read(&rev_key(flow.id)));
            d.selection.set(Vec::new());
            d.open(flow);
        }
        // The deleted flow's entry must not come back from the stored list.
        if let Ok(text) = serde_json::to_string(&self.index.get_untracked()) {
            let _ = write(INDEX_KEY, &text);
        }
        self.save_now(d);
    }
}

/// Download the open flow as a `.json` file (the Flows menu's Export, and the way out when the
/// browser's storage is full).
pub fn export_open(d: &Designer) {
    let (name, text) = d
        .editor
        .with_untracked(|e| (e.flow().name.clone(), codec::encode(e.flow())));
    if let Err(e) = download(&format!("{}.json", file_stem(&name)), &text) {
        d.status.set(Some(format!("Export failed: {e}")));
    }
}

/// Download a kept flow that no longer reads, exactly as it is stored.
pub fn download_damaged(d: &Designer, x: &Damaged) {
    let Some(text) = stored_text(x.id) else {
        return d.status.set(Some(
            "That flow is no longer in this browser's storage.".into(),
        ));
    };
    if let Err(e) = download(&format!("{} (unreadable).json", file_stem(&x.name)), &text) {
        d.status.set(Some(format!("Download failed: {e}")));
    }
}

pub fn use_flows() -> Flows {
    expect_context::<Flows>()
}
