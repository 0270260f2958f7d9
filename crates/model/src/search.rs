//! Connector search for the action library: a structure built once from the catalog index
//! (folded names in flat arrays) that answers each keystroke with a scan of one string per word,
//! and the capped, ranked result the library draws.
//!
//! Case folding is the caller's (`fold`), so the designer can fold without std's Unicode tables.

use crate::connector::{ApiVisibility, CatalogIndex};
use std::ops::Range;
use std::sync::Arc;

/// Separates names in the flat text; a query word never contains it (words are split on
/// whitespace), so a hit never spans two names.
const SEP: char = '\n';

/// At most this many query words are honoured (the rest are ignored).
const MAX_WORDS: usize = 8;

/// An action the library may list (internal ones are left out when the structure is built).
#[derive(Clone, Copy, Debug)]
struct Act {
    /// Index into `ConnectorSummary::actions`.
    action: u32,
    deprecated: bool,
}

/// A connector, in display order.
#[derive(Clone, Debug)]
struct Conn {
    /// Index into `CatalogIndex::connectors`.
    index: u32,
    /// Its folded name in `conn_text`.
    name: Range<u32>,
    /// Its listable actions in `acts`, sorted by folded name.
    acts: Range<u32>,
    /// How many of them are not deprecated (what browsing shows).
    shown: u32,
}

/// The precomputed search structure over a catalog index.
#[derive(Clone, Debug, Default)]
pub struct ConnectorSearch {
    /// Connectors sorted by folded name.
    conns: Vec<Conn>,
    /// Folded connector names, each followed by `SEP`.
    conn_text: String,
    /// Listable actions, connector by connector in `conns` order.
    acts: Vec<Act>,
    /// Folded action names in `acts` order, each followed by `SEP`.
    act_text: String,
    /// Start of each action's name in `act_text`, plus its length at the end.
    act_start: Vec<u32>,
    /// Position in `conns` of each connector, by `CatalogIndex` index.
    slot_of: Vec<u32>,
    /// Positions in `conns`, sorted by connector id (for `locate`).
    by_id: Vec<u32>,
    /// Connector ids, by `CatalogIndex` index (for `locate`).
    ids: Vec<String>,
    /// How many connectors have an action to show.
    listed: usize,
}

/// The names that hold a word: positions in the search structure's connectors and actions.
#[derive(Clone, Debug, Default)]
struct Found {
    conns: Arc<[u32]>,
    acts: Arc<[u32]>,
}

/// What `search_with` remembers between keystrokes: the last query's words and the names that
/// hold each. Only for the structure it was used with.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    words: Vec<(String, Found)>,
}

/// How many connectors and action rows a result may hold (the DOM stays small).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    pub connectors: usize,
    pub actions: usize,
}

/// One connector in a result.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConnectorHit {
    /// Index into `CatalogIndex::connectors`.
    pub connector: usize,
    /// Its name matched: it shows whole (every action but deprecated ones).
    pub whole: bool,
    /// Indexes into `ConnectorSummary::actions` to show, in display order (maybe capped).
    pub actions: Vec<usize>,
}

/// A search result: the connectors to draw, and how much was left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    pub connectors: Vec<ConnectorHit>,
    /// Every connector that matched.
    pub total_connectors: usize,
    /// Every action row that matched (whole connectors count all their shown actions).
    pub total_actions: usize,
    /// Action rows in `connectors`.
    pub shown_actions: usize,
}

impl Hits {
    /// Whether the caps left something out.
    pub fn capped(&self) -> bool {
        self.connectors.len() < self.total_connectors || self.shown_actions < self.total_actions
    }
}

impl ConnectorSearch {
    /// Build the structure for `index`, folding names with `fold` (e.g. `str::to_lowercase`).
    pub fn new(index: &CatalogIndex, fold: impl Fn(&str) -> String) -> Self {
        let mut order: Vec<(String, u32)> = index
            .connectors
            .iter()
            .enumerate()
            .map(|(i, c)| (fold(&clean(&c.name)), i as u32))
            .collect();
        sort(&mut order);
        let mut s = ConnectorSearch {
            ids: index.connectors.iter().map(|c| c.id.clone()).collect(),
            ..Default::default()
        };
        s.slot_of = vec![0; index.connectors.len()];
        for (slot, (name, i)) in order.into_iter().enumerate() {
            s.slot_of[i as usize] = slot as u32;
            let c = &index.connectors[i as usize];
            let mut acts: Vec<(String, u32)> = c
                .actions
                .iter()
                .enumerate()
                .filter(|(_, a)| a.visibility != ApiVisibility::Internal)
                .map(|(k, a)| (fold(&clean(&a.name)), k as u32))
                .collect();
            sort(&mut acts);
            let first = s.acts.len() as u32;
            for (name, k) in acts {
                s.act_start.push(s.act_text.len() as u32);
                s.act_text.push_str(&name);
                s.act_text.push(SEP);
                s.acts.push(Act {
                    action: k,
                    deprecated: c.actions[k as usize].deprecated,
                });
            }
            let start = s.conn_text.len() as u32;
            s.conn_text.push_str(&name);
            s.conn_text.push(SEP);
            let acts = first..s.acts.len() as u32;
            let shown = s.acts[acts.start as usize..acts.end as usize]
                .iter()
                .filter(|a| !a.deprecated)
                .count() as u32;
            s.conns.push(Conn {
                index: i,
                name: start..start + name.len() as u32,
                acts,
                shown,
            });
        }
        s.act_start.push(s.act_text.len() as u32);
        s.listed = s.conns.iter().filter(|c| c.shown > 0).count();
        let mut by_id: Vec<(String, u32)> = (s.conns.iter().enumerate())
            .map(|(slot, c)| (s.ids[c.index as usize].clone(), slot as u32))
            .collect();
        sort(&mut by_id);
        s.by_id = by_id.into_iter().map(|(_, slot)| slot).collect();
        s
    }

    /// Connectors browsing lists, by name: those with an action to show (not every action is
    /// internal or deprecated), as indexes into `CatalogIndex::connectors`.
    pub fn connectors(&self) -> impl Iterator<Item = usize> + '_ {
        self.conns
            .iter()
            .filter(|c| c.shown > 0)
            .map(|c| c.index as usize)
    }

    /// How many connectors browsing lists.
    pub fn connector_count(&self) -> usize {
        self.listed
    }

    /// The actions browsing shows for connector `index` (listable, not deprecated), in display
    /// order, as indexes into its `actions`.
    pub fn browse(&self, index: usize) -> Vec<usize> {
        self.slot(index).map_or_else(Vec::new, |slot| {
            self.acts_of(slot)
                .iter()
                .filter(|a| !a.deprecated)
                .map(|a| a.action as usize)
                .collect()
        })
    }

    /// How many actions browsing shows for connector `index`.
    pub fn count(&self, index: usize) -> usize {
        self.slot(index)
            .map_or(0, |slot| self.conns[slot].shown as usize)
    }

    /// Where the action `connector:<id>/<operation>` is: (connector index, action index), if it
    /// is listable.
    pub fn locate(&self, index: &CatalogIndex, action_id: &str) -> Option<(usize, usize)> {
        let (conn_id, op) = action_id.strip_prefix("connector:")?.split_once('/')?;
        let k = self
            .by_id
            .binary_search_by(|slot| {
                self.ids[self.conns[*slot as usize].index as usize]
                    .as_str()
                    .cmp(conn_id)
            })
            .ok()?;
        let slot = self.by_id[k] as usize;
        let ci = self.conns[slot].index as usize;
        let actions = &index.connectors.get(ci)?.actions;
        self.acts_of(slot)
            .iter()
            .find(|a| actions.get(a.action as usize).is_some_and(|x| x.id == op))
            .map(|a| (ci, a.action as usize))
    }

    /// Search for `query` (already folded like the names). Every whitespace-separated word must
    /// occur in the action's name or its connector's name. A connector whose name holds every
    /// word shows whole and ranks first; otherwise its matching actions show (deprecated ones
    /// included: search keeps them findable). Results stop at `caps`.
    pub fn search(&self, query: &str, caps: Caps) -> Hits {
        self.search_with(query, caps, &mut Memory::default())
    }

    /// `search`, remembering which names hold each word, so the next keystroke (a word grown
    /// by a letter, or one more word) looks only at the names that held it.
    pub fn search_with(&self, query: &str, caps: Caps, memory: &mut Memory) -> Hits {
        let words: Vec<&str> = query.split_whitespace().take(MAX_WORDS).collect();
        if words.is_empty() {
            return Hits::default();
        }
        let found: Vec<Found> = words.iter().map(|w| self.find(w, memory)).collect();
        memory.words = words
            .iter()
            .map(|w| w.to_string())
            .zip(found.iter().cloned())
            .collect();
        // Which words each connector name holds, and which each action name holds.
        let mut conn_has = vec![0u8; self.conns.len()];
        let mut act_has = vec![0u8; self.acts.len()];
        for (w, f) in found.iter().enumerate() {
            let bit = 1u8 << w;
            for slot in f.conns.iter() {
                conn_has[*slot as usize] |= bit;
            }
            for k in f.acts.iter() {
                act_has[*k as usize] |= bit;
            }
        }
        let all = u8::MAX >> (8 - words.len());
        let mut whole = Vec::new();
        let mut partial = Vec::new();
        for (slot, has) in conn_has.iter().enumerate() {
            let need = all & !has;
            // A connector whose name matches shows whole, unless it only has deprecated actions:
            // then those show (search keeps them findable), or nothing.
            if need == 0 && self.conns[slot].shown > 0 {
                whole.push((slot, None));
                continue;
            }
            let acts = self.conns[slot].acts.clone();
            let found: Vec<u32> = (acts.start..acts.end)
                .filter(|k| act_has[*k as usize] & need == need)
                .collect();
            if !found.is_empty() {
                partial.push((slot, Some(found)));
            }
        }
        let mut hits = Hits {
            total_connectors: whole.len() + partial.len(),
            ..Default::default()
        };
        for (slot, found) in whole.into_iter().chain(partial) {
            let is_whole = found.is_none();
            let rows: Vec<usize> = match found {
                None => self
                    .acts_of(slot)
                    .iter()
                    .filter(|a| !a.deprecated)
                    .map(|a| a.action as usize)
                    .collect(),
                Some(ks) => ks
                    .into_iter()
                    .map(|k| self.acts[k as usize].action as usize)
                    .collect(),
            };
            hits.total_actions += rows.len();
            let room = caps.actions - hits.shown_actions;
            if hits.connectors.len() < caps.connectors && room > 0 {
                hits.shown_actions += rows.len().min(room);
                hits.connectors.push(ConnectorHit {
                    connector: self.conns[slot].index as usize,
                    whole: is_whole,
                    actions: rows.into_iter().take(room).collect(),
                });
            }
        }
        hits
    }

    /// The connector names and action names that hold `word`: from memory, narrowed from a
    /// remembered word it contains, or by a scan of all the names.
    fn find(&self, word: &str, memory: &Memory) -> Found {
        if let Some((_, f)) = memory.words.iter().find(|(w, _)| w == word) {
            return f.clone();
        }
        if let Some((_, f)) = memory.words.iter().find(|(w, _)| word.contains(w.as_str())) {
            let conn_name = |slot: u32| {
                let r = &self.conns[slot as usize].name;
                &self.conn_text[r.start as usize..r.end as usize]
            };
            let act_name = |k: u32| {
                &self.act_text[self.act_start[k as usize] as usize
                    ..self.act_start[k as usize + 1] as usize - 1]
            };
            return Found {
                conns: f
                    .conns
                    .iter()
                    .copied()
                    .filter(|s| conn_name(*s).contains(word))
                    .collect(),
                acts: f
                    .acts
                    .iter()
                    .copied()
                    .filter(|k| act_name(*k).contains(word))
                    .collect(),
            };
        }
        let (mut conns, mut acts) = (Vec::new(), Vec::new());
        scan(&self.conn_text, word, |at| {
            let slot = self.conns.partition_point(|c| c.name.start <= at as u32) - 1;
            conns.push(slot as u32);
            self.conns[slot].name.end as usize
        });
        scan(&self.act_text, word, |at| {
            let k = self.act_start.partition_point(|s| *s <= at as u32) - 1;
            acts.push(k as u32);
            self.act_start[k + 1] as usize - 1
        });
        Found {
            conns: conns.into(),
            acts: acts.into(),
        }
    }

    fn slot(&self, index: usize) -> Option<usize> {
        self.slot_of.get(index).map(|s| *s as usize)
    }

    fn acts_of(&self, slot: usize) -> &[Act] {
        let r = &self.conns[slot].acts;
        &self.acts[r.start as usize..r.end as usize]
    }
}

/// Sort by name, then position: one sort for every list here and elsewhere (each sort instance
/// is code the designer's wasm carries).
fn sort(v: &mut [(String, u32)]) {
    crate::order::by_name(v);
}

/// A name without the separator (names come from connector definitions: anything goes).
fn clean(name: &str) -> String {
    name.replace(SEP, " ")
}

/// Call `hit` with the offset of each occurrence of `word` in `text`; it returns where to go on
/// from (the end of the name hit, so each name is reported once).
fn scan(text: &str, word: &str, mut hit: impl FnMut(usize) -> usize) {
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        from = hit(from + i).max(from + i + word.len());
        if from >= text.len() {
            break;
        }
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
