//! The library's "Cloud connectors" group: the catalog index fetched on first need (the group
//! opened, a search typed, a connector action in Favourites), connectors by name with their
//! actions, and search over every connector action through the model's `ConnectorSearch`, built
//! once per index and capped so the DOM stays small. The group's content is drawn as markup.

use super::Library;
use crate::cloud::Load;
use crate::markup::{self, thousands, Brand, Lead, Note, Row};
use crate::platform;
use crate::text::{lower, upper};
use leptos::prelude::*;
use plugboard_model::connector::{action_id, ActionSummary, ApiVisibility, CatalogIndex};
use plugboard_model::search::{Caps, ConnectorSearch, Hits, Memory};
use std::sync::{Arc, Mutex};

pub const CLOUD: &str = "Cloud connectors";
/// The most a search draws; the rest is counted ("Showing N of M").
const CAPS: Caps = Caps {
    connectors: 50,
    actions: 200,
};
/// Connectors listed at a time while browsing.
const PAGE: usize = 100;
/// Lines (connectors and actions) of a search's results drawn at first, and added each time
/// the list is scrolled near their end, before the tree's height is known: a screenful, so a
/// keystroke redraws little.
const LINES: usize = 30;
/// Lines of a search's results drawn at least, however many the standard categories show.
const MIN_LINES: usize = 6;
/// The height of a line of the tree, in CSS pixels.
const LINE_PX: i32 = 30;

/// The index, its search structure and each connector's brand, built together once.
#[derive(Clone)]
struct Searcher {
    index: Arc<CatalogIndex>,
    search: Arc<ConnectorSearch>,
    /// What the last search found per word (the next keystroke narrows it).
    memory: Arc<Mutex<Memory>>,
    brands: Arc<[Brand]>,
}

impl PartialEq for Searcher {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.index, &other.index)
    }
}

/// What the group shows.
#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Loading,
    Failed(String),
    Browse,
    Search,
}

/// Handles to the group's state, cheap to copy.
#[derive(Clone, Copy)]
pub struct Cloud {
    lib: Library,
    /// Expanded by the user (collapsed at first: nothing is fetched until then).
    pub open: RwSignal<bool>,
    searcher: Memo<Option<Searcher>>,
    hits: Memo<Hits>,
    /// How many connectors browsing lists.
    listed: RwSignal<usize>,
    /// Connectors expanded while browsing (indexes into the index).
    expanded: RwSignal<Vec<usize>>,
    /// How many lines of a search's results are drawn.
    lines: RwSignal<usize>,
    /// Lines in a screenful of the tree.
    screen: StoredValue<usize>,
    /// Lines drawn above the group (the standard categories' results): a keystroke draws only
    /// what fills the rest of the screen.
    above: Signal<usize>,
}

impl Cloud {
    pub fn new(lib: Library, above: Signal<usize>) -> Self {
        let d = lib.d;
        let open = RwSignal::new(false);
        let searcher = Memo::new(move |_| {
            d.cloud.index.with(|l| {
                l.ready().map(|ix| {
                    let brands: Arc<[Brand]> = ix
                        .connectors
                        .iter()
                        .map(|c| Brand::new(&c.name, &c.color, upper))
                        .collect();
                    let mut rules: Vec<String> = brands.iter().filter_map(Brand::rule).collect();
                    rules.sort_unstable();
                    rules.dedup();
                    // Once per catalog index: its colours as classes (see `Brand::rule`).
                    platform::adopt_styles(&rules.concat());
                    Searcher {
                        index: ix.clone(),
                        search: Arc::new(ConnectorSearch::new(ix, lower)),
                        memory: Arc::default(),
                        brands,
                    }
                })
            })
        });
        let hits = Memo::new(move |_| {
            if !lib.searching.get() {
                return Hits::default();
            }
            searcher.with(|s| {
                s.as_ref()
                    .map(|s| {
                        let mut memory = s.memory.lock().unwrap_or_else(|e| e.into_inner());
                        lib.query
                            .with(|q| s.search.search_with(q, CAPS, &mut memory))
                    })
                    .unwrap_or_default()
            })
        });
        // Fetch the index on first need, never at page load for its own sake.
        Effect::new(move |_| {
            let favourite = lib
                .favs
                .ids
                .with(|v| v.iter().any(|id| id.starts_with("connector:")));
            if open.get() || lib.searching.get() || favourite {
                d.cloud.ensure_index();
            }
        });
        Cloud {
            lib,
            open,
            searcher,
            hits,
            listed: RwSignal::new(PAGE),
            expanded: RwSignal::new(Vec::new()),
            lines: RwSignal::new(LINES),
            screen: StoredValue::new(LINES),
            above,
        }
    }

    /// What the group shows (tracked).
    fn phase(&self) -> Phase {
        self.lib.d.cloud.index.with(|l| match l {
            Load::Idle | Load::Loading => Phase::Loading,
            Load::Failed(e) => Phase::Failed(e.clone()),
            Load::Ready(_) if self.lib.searching.get() => Phase::Search,
            Load::Ready(_) => Phase::Browse,
        })
    }

    fn phase_untracked(&self) -> Phase {
        untrack(|| self.phase())
    }

    /// Whether the group shows: always, but for a search that found no connector.
    pub fn shown(&self) -> bool {
        !self.lib.searching.get()
            || self.phase() != Phase::Search
            || self.hits.with(|h| !h.connectors.is_empty())
    }

    /// The group's items as markup: loading, an error, the connectors by name, or the hits.
    pub fn markup(&self) -> String {
        let mut out = String::new();
        match self.phase() {
            Phase::Loading => markup::note(&mut out, "loading", "Loading connectors…", None),
            Phase::Failed(e) => markup::note(
                &mut out,
                "failed",
                &format!("Connectors could not be loaded: {e}"),
                Some(("retry", "Try again")),
            ),
            Phase::Browse => self.searcher.with(|s| {
                let Some(s) = s else { return };
                let listed = self.listed.get();
                let starred = self.starred();
                self.expanded.with(|open| {
                    for ci in s.search.connectors().take(listed) {
                        let rows = open.contains(&ci).then(|| s.search.browse(ci));
                        self.connector(&mut out, s, ci, s.search.count(ci), rows, &starred);
                    }
                });
                let total = s.search.connector_count();
                if total > listed {
                    let label = format!(
                        "Show more connectors ({} of {})",
                        thousands(listed),
                        thousands(total)
                    );
                    markup::note(&mut out, "more", "", Some(("more", &label)));
                }
            }),
            Phase::Search => self.searcher.with(|s| {
                let Some(s) = s else { return };
                let starred = self.starred();
                self.hits.with(|h| {
                    // Only the first lines are drawn; scrolling near them draws more.
                    let mut room = self
                        .lines
                        .get()
                        .saturating_sub(self.above.get())
                        .max(MIN_LINES);
                    let mut cut = false;
                    for hit in &h.connectors {
                        if room == 0 {
                            cut = true;
                            break;
                        }
                        let take = hit.actions.len().min(room - 1);
                        room -= 1 + take;
                        let rows = Some(hit.actions[..take].to_vec());
                        self.connector(
                            &mut out,
                            s,
                            hit.connector,
                            hit.actions.len(),
                            rows,
                            &starred,
                        );
                        if take < hit.actions.len() {
                            cut = true;
                            break;
                        }
                    }
                    if cut {
                        markup::note(&mut out, "more", "", Some(("more", "Show more results")));
                    } else if h.capped() {
                        let text = format!(
                            "Showing {} of {} actions — refine your search",
                            thousands(h.shown_actions),
                            thousands(h.total_actions)
                        );
                        markup::note(&mut out, "capped", &text, None);
                    }
                })
            }),
        }
        out
    }

    /// The starred action ids (a few; a screenful of rows looks them up).
    fn starred(&self) -> Vec<String> {
        self.lib.favs.ids.get()
    }

    /// One connector's branch, open with `rows` (indexes into its actions) when given.
    fn connector(
        &self,
        out: &mut String,
        s: &Searcher,
        ci: usize,
        count: usize,
        rows: Option<Vec<usize>>,
        starred: &[String],
    ) {
        let c = &s.index.connectors[ci];
        let head = markup::Connector {
            index: ci,
            name: &c.name,
            brand: &s.brands[ci],
            count,
            open: rows.is_some(),
        };
        markup::connector(out, &head, |out| {
            for a in rows.unwrap_or_default() {
                let Some(act) = c.actions.get(a) else {
                    continue;
                };
                let id = action_id(&c.id, &act.id);
                let row = Row {
                    id: &id,
                    name: &act.name,
                    lead: &Lead::Dot,
                    note: note(act),
                    starred: starred.contains(&id),
                };
                markup::action(out, &row);
            }
        });
    }

    /// Expand or collapse connector `ci` while browsing (a search shows its hits open, as the
    /// standard categories do). Returns whether anything changed.
    pub fn toggle_connector(&self, ci: usize, want: Option<bool>) -> bool {
        if self.phase_untracked() != Phase::Browse {
            return false;
        }
        let is_open = self.expanded.with_untracked(|e| e.contains(&ci));
        if want.is_some_and(|w| w == is_open) {
            return false;
        }
        self.expanded
            .update(|e| match e.iter().position(|x| *x == ci) {
                Some(i) => {
                    e.remove(i);
                }
                None => e.push(ci),
            });
        true
    }

    /// A new query is coming, for a tree `height` pixels high: its results start with a
    /// screenful of lines (set before the query, so they are drawn once).
    pub fn new_query(&self, height: i32) {
        let screen = (height.max(0) / LINE_PX) as usize + 4;
        self.screen.set_value(screen);
        if self.lines.get_untracked() != screen {
            self.lines.set(screen);
        }
    }

    /// Draw more of a search's results (the list was scrolled near their end).
    pub fn more_lines(&self) {
        if self.phase_untracked() == Phase::Search {
            self.lines.update(|n| *n += self.screen.get_value());
        }
    }

    /// The group's buttons: "Try again", "Show more connectors" and "Show more results".
    pub fn act(&self, what: &str) {
        match what {
            "retry" => self.lib.d.cloud.ensure_index(),
            "more" if self.phase_untracked() == Phase::Search => self.more_lines(),
            "more" => self.listed.update(|n| *n += PAGE),
            _ => {}
        }
    }

    /// The favourites to list (those matching the search, if any), named from the standard
    /// catalog or the connector index, as markup.
    pub fn favourites_markup(self) -> String {
        let d = self.lib.d;
        let searching = self.lib.searching.get();
        let searcher = self.searcher.get();
        self.lib.favs.ids.with(|ids| {
            ids.iter()
                .filter_map(|id| {
                    let (name, lead, note) = if id.starts_with("connector:") {
                        let found = searcher.as_ref().and_then(|s| {
                            let (ci, a) = s.search.locate(&s.index, id)?;
                            let act = &s.index.connectors[ci].actions[a];
                            Some((
                                act.name.clone(),
                                Lead::Badge(s.brands[ci].clone()),
                                note(act),
                            ))
                        });
                        // Not in the index (yet): its operation id, so it can still be unstarred.
                        found.unwrap_or_else(|| {
                            let op = id.rsplit('/').next().unwrap_or(id);
                            (op.to_string(), Lead::Icon("connector".into()), None)
                        })
                    } else {
                        d.catalog.with_value(|cat| {
                            let def = cat.get(id)?;
                            let icon = cat.categories.iter().find(|c| c.name == def.category)?;
                            Some((def.name.clone(), Lead::Icon(icon.icon.clone()), None))
                        })?
                    };
                    let keep =
                        !searching || self.lib.query.with(|q| lower(&name).contains(q.as_str()));
                    keep.then_some((id, name, lead, note))
                })
                .fold(String::new(), |mut out, (id, name, lead, note)| {
                    let row = Row {
                        id,
                        name: &name,
                        lead: &lead,
                        note,
                        starred: true,
                    };
                    markup::action(&mut out, &row);
                    out
                })
        })
    }
}

/// The marker an action's row shows.
fn note(a: &ActionSummary) -> Option<Note> {
    if a.deprecated {
        Some(Note::Deprecated)
    } else if a.visibility == ApiVisibility::Advanced {
        Some(Note::Advanced)
    } else {
        None
    }
}
