//! Favourite actions, starred in the library and listed in its "Favourites" group: kept per user
//! by the proxy (`GET`/`PUT /api/me/favourites`) when someone is signed in, else in this
//! browser's storage (`plugboard.favourites`), never both.

use crate::api;
use crate::cloud::Account;
use crate::platform::storage;
use crate::state::Designer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::connector::Favourites as List;

const KEY: &str = "plugboard.favourites";
const PATH: &str = "/api/me/favourites";
/// As many as the proxy keeps for a user.
const MAX: usize = List::MAX;

/// Where the list lives.
#[derive(Clone, Debug, PartialEq)]
enum Keeper {
    /// Not known yet (the session is being asked for): nothing to show or keep.
    Unknown,
    Browser,
    /// The proxy, for this user id.
    Account(String),
}

/// Handles to the favourites, cheap to copy.
#[derive(Clone, Copy)]
pub struct Favourites {
    /// Starred action ids, in the order they were starred.
    pub ids: RwSignal<Vec<String>>,
    keeper: Memo<Keeper>,
    /// What the keeper holds: a failed save goes back to it.
    kept: StoredValue<Vec<String>>,
    /// Bumped per load and save, so only the latest answer lands.
    generation: StoredValue<u64>,
}

impl Favourites {
    /// Follow the session: load the signed-in user's list from the proxy, else the browser's.
    pub fn new(d: Designer) -> Self {
        let keeper = Memo::new(move |_| {
            d.cloud.account.with(|a| match a {
                Account::Unknown => Keeper::Unknown,
                Account::SignedIn(s) => Keeper::Account(s.user.id.clone()),
                Account::SignedOut { .. } | Account::Unavailable(_) => Keeper::Browser,
            })
        });
        let f = Favourites {
            ids: RwSignal::new(Vec::new()),
            keeper,
            kept: StoredValue::new(Vec::new()),
            generation: StoredValue::new(0),
        };
        Effect::new(move |_| {
            let keeper = keeper.get();
            let gen = f.bump();
            match keeper {
                Keeper::Unknown => f.landed(Vec::new()),
                Keeper::Browser => f.landed(read_local()),
                Keeper::Account(_) => spawn_local(async move {
                    let got = api::get::<List>(PATH).await;
                    if f.generation.get_value() != gen {
                        return;
                    }
                    match got {
                        Ok(list) => f.landed(clean(list.actions)),
                        Err(e) => {
                            f.landed(Vec::new());
                            d.status
                                .set(Some(format!("Favourites could not be loaded: {e}")));
                        }
                    }
                }),
            }
        });
        f
    }

    /// Star or unstar `id`, and keep the list where it lives.
    pub fn toggle(self, d: Designer, id: &str) {
        let mut next = self.ids.get_untracked();
        match next.iter().position(|x| x == id) {
            Some(i) => {
                next.remove(i);
            }
            None if next.len() >= MAX => {
                d.status.set(Some(format!(
                    "Favourites hold at most {MAX} actions: remove one first."
                )));
                return;
            }
            None => next.push(id.to_string()),
        }
        self.ids.set(next.clone());
        let gen = self.bump();
        match self.keeper.get_untracked() {
            Keeper::Account(_) => spawn_local(async move {
                let saved = api::put::<List, List>(PATH, &List { actions: next }).await;
                if self.generation.get_value() != gen {
                    return;
                }
                match saved {
                    Ok(list) => self.landed(clean(list.actions)),
                    Err(e) => {
                        self.ids.set(self.kept.get_value());
                        d.status
                            .set(Some(format!("Favourites could not be saved: {e}")));
                    }
                }
            }),
            Keeper::Browser | Keeper::Unknown => match write_local(&next) {
                Ok(()) => self.kept.set_value(next),
                Err(e) => d
                    .status
                    .set(Some(format!("Favourites could not be saved: {e}"))),
            },
        }
    }

    fn bump(&self) -> u64 {
        self.generation.update_value(|g| *g += 1);
        self.generation.get_value()
    }

    fn landed(&self, list: Vec<String>) {
        self.kept.set_value(list.clone());
        if self.ids.with_untracked(|v| *v != list) {
            self.ids.set(list);
        }
    }
}

/// Drop repeats and blanks, and keep at most `MAX` (the list comes from outside).
fn clean(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(list.len().min(MAX));
    for id in list {
        if !id.is_empty() && !out.contains(&id) && out.len() < MAX {
            out.push(id);
        }
    }
    out
}

fn read_local() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|t| serde_json::from_str::<List>(&t).ok())
        .map(|l| clean(l.actions))
        .unwrap_or_default()
}

fn write_local(list: &[String]) -> Result<(), &'static str> {
    let s = storage().ok_or("this browser keeps no local storage")?;
    let text = serde_json::to_string(&List {
        actions: list.to_vec(),
    })
    .unwrap_or_default();
    s.set_item(KEY, &text)
        .map_err(|_| "the browser's storage for this site is full")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_drops_repeats_and_blanks_and_caps_the_list() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(clean(v(&["a", "", "b", "a"])), v(&["a", "b"]));
        let many: Vec<String> = (0..MAX + 10).map(|i| i.to_string()).collect();
        assert_eq!(clean(many).len(), MAX);
    }
}
