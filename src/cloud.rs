//! The designer's view of the connector proxy: the session, environments (and the current one),
//! the current environment's connection references and the connections the user may use;
//! connector definitions are in `connectors`. It knows the rest of the designer only through
//! what it is given: the catalog connector actions join, and the status line errors go to.

mod connectors;

pub use connectors::CatalogSink;

use crate::api::{self, seg};
use crate::platform::storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::connector::{
    CatalogIndex, ConnectionReference, ConnectionSummary, ConnectorDetail, Environment, Session,
    SetupStatus,
};
use std::collections::HashMap;
use std::sync::Arc;

const ENV_KEY: &str = "plugboard.environment";

/// Something fetched from the proxy.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Load<T> {
    #[default]
    Idle,
    Loading,
    Ready(T),
    Failed(String),
}

impl<T> Load<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(t) => Some(t),
            _ => None,
        }
    }
}

/// Who is signed in.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Account {
    /// Asking the proxy.
    #[default]
    Unknown,
    /// Nobody is signed in; `needs_owner` on a fresh proxy ("Create owner account").
    SignedOut {
        needs_owner: bool,
    },
    SignedIn(Session),
    /// The proxy could not be reached or answered nonsense.
    Unavailable(String),
}

/// Something to do later with a value. Plain `Arc`s rather than `Callback`s: these outlive the
/// component that made them (a picker closes before the dialog it opened calls back).
pub type Then<T> = Arc<dyn Fn(T) + Send + Sync>;

/// Handles to the proxy-backed state, cheap to copy.
#[derive(Clone, Copy)]
pub struct Cloud {
    pub account: RwSignal<Account>,
    /// Whether the sign-in dialog is open (and what to do once signed in).
    pub sign_in_open: RwSignal<bool>,
    pub environments: RwSignal<Load<Vec<Environment>>>,
    /// Id of the current environment.
    pub env: RwSignal<Option<String>>,
    /// The current environment's references.
    pub references: RwSignal<Load<Vec<ConnectionReference>>>,
    /// Connections the user may use (own and shared).
    pub connections: RwSignal<Load<Vec<ConnectionSummary>>>,
    /// The catalog index (every connector and its actions), fetched on first need.
    pub index: RwSignal<Load<Arc<CatalogIndex>>>,
    /// Connector details by id, fetched on demand.
    pub details: RwSignal<HashMap<String, Load<Arc<ConnectorDetail>>>>,
    /// What to do once the user has signed in (e.g. add the connector action they picked).
    pub after_sign_in: StoredValue<Option<Then<()>>>,
    /// Where connector actions go when their definitions arrive.
    catalog: CatalogSink,
    /// Where errors of background loads are told (the status line).
    errors: RwSignal<Option<String>>,
}

impl Cloud {
    pub fn new(catalog: CatalogSink, errors: RwSignal<Option<String>>) -> Self {
        Cloud {
            account: RwSignal::new(Account::Unknown),
            sign_in_open: RwSignal::new(false),
            environments: RwSignal::new(Load::Idle),
            env: RwSignal::new(None),
            references: RwSignal::new(Load::Idle),
            connections: RwSignal::new(Load::Idle),
            index: RwSignal::new(Load::Idle),
            details: RwSignal::new(HashMap::new()),
            after_sign_in: StoredValue::new(None),
            catalog,
            errors,
        }
    }

    pub fn signed_in_untracked(&self) -> bool {
        self.account
            .with_untracked(|a| matches!(a, Account::SignedIn(_)))
    }

    /// Ask the proxy who we are; then load what a signed-in user sees.
    pub fn start(self) {
        spawn_local(async move {
            match api::get::<Session>("/api/session").await {
                Ok(s) => self.signed_in(s),
                Err(e) if e.is_unauthorized() => {
                    match api::get::<SetupStatus>("/api/setup").await {
                        Ok(st) => self.account.set(Account::SignedOut {
                            needs_owner: st.needs_owner,
                        }),
                        Err(e) => self.account.set(Account::Unavailable(e.message)),
                    }
                }
                Err(e) => self.account.set(Account::Unavailable(e.message)),
            }
        });
    }

    /// A session began (sign-in, owner setup or a restored cookie): load what the user sees,
    /// then carry on with what was waiting for the sign-in.
    pub fn signed_in(self, s: Session) {
        api::set_csrf(&s.csrf_token);
        self.account.set(Account::SignedIn(s));
        self.load_connections();
        spawn_local(async move {
            self.load_environments().await;
            if let Some(then) = self.after_sign_in.try_update_value(Option::take).flatten() {
                then(());
            }
        });
    }

    /// Run `then` now when signed in, else ask the user to sign in first.
    pub fn with_session(self, then: Then<()>) {
        if self.signed_in_untracked() {
            then(());
        } else {
            self.after_sign_in.set_value(Some(then));
            self.sign_in_open.set(true);
        }
    }

    pub fn signed_out(self) {
        api::set_csrf("");
        self.account.set(Account::SignedOut { needs_owner: false });
        self.environments.set(Load::Idle);
        self.env.set(None);
        self.references.set(Load::Idle);
        self.connections.set(Load::Idle);
    }

    async fn load_environments(self) {
        self.environments.set(Load::Loading);
        match api::get::<Vec<Environment>>("/api/environments").await {
            Ok(list) => {
                let saved = storage().and_then(|s| s.get_item(ENV_KEY).ok().flatten());
                let current = saved
                    .filter(|id| list.iter().any(|e| e.id == *id))
                    .or_else(|| list.first().map(|e| e.id.clone()));
                self.environments.set(Load::Ready(list));
                self.switch_env(current);
            }
            Err(e) => self.environments.set(Load::Failed(e.message)),
        }
    }

    /// Make `id` the current environment (kept for the next visit) and load its references.
    pub fn switch_env(self, id: Option<String>) {
        if let (Some(s), Some(id)) = (storage(), id.as_ref()) {
            let _ = s.set_item(ENV_KEY, id);
        }
        self.env.set(id);
        // The previous environment's list must not pass for this one's while it loads.
        self.references.set(Load::Loading);
        self.load_references();
    }

    pub fn env_name(&self) -> String {
        let id = self.env.get();
        self.environments.with(|l| {
            l.ready()
                .and_then(|list| list.iter().find(|e| Some(&e.id) == id.as_ref()))
                .map_or_else(String::new, |e| e.name.clone())
        })
    }

    pub fn env_name_untracked(&self) -> String {
        untrack(|| self.env_name())
    }

    pub fn load_references(self) {
        let Some(env) = self.env.get_untracked() else {
            self.references.set(Load::Idle);
            return;
        };
        if !self
            .references
            .with_untracked(|r| matches!(r, Load::Ready(_)))
        {
            self.references.set(Load::Loading);
        }
        spawn_local(async move {
            let got = api::get::<Vec<ConnectionReference>>(&format!(
                "/api/environments/{}/references",
                seg(&env)
            ))
            .await;
            // A later switch wins over a slow answer for the previous environment.
            if self.env.get_untracked().as_deref() != Some(env.as_str()) {
                return;
            }
            self.references.set(match got {
                Ok(list) => Load::Ready(list),
                Err(e) => Load::Failed(e.message),
            });
        });
    }

    pub fn load_connections(self) {
        if !self
            .connections
            .with_untracked(|r| matches!(r, Load::Ready(_)))
        {
            self.connections.set(Load::Loading);
        }
        spawn_local(async move {
            self.connections.set(
                match api::get::<Vec<ConnectionSummary>>("/api/connections").await {
                    Ok(list) => Load::Ready(list),
                    Err(e) => Load::Failed(e.message),
                },
            );
        });
    }

    /// Put a reference the proxy just created or changed into the current list.
    pub fn upsert_reference(&self, r: ConnectionReference) {
        self.references.update(|l| {
            if let Load::Ready(list) = l {
                match list.iter().position(|x| x.logical_name == r.logical_name) {
                    Some(i) => list[i] = r,
                    None => list.push(r),
                }
            }
        });
    }

    pub fn upsert_connection(&self, c: ConnectionSummary) {
        self.connections.update(|l| match l {
            Load::Ready(list) => match list.iter().position(|x| x.id == c.id) {
                Some(i) => list[i] = c,
                None => list.push(c),
            },
            other => *other = Load::Ready(vec![c]),
        });
    }

    /// The current environment's references, fetched now (they may have changed elsewhere since
    /// the list was loaded: the choice of a reference must not rest on a stale list).
    pub async fn fetch_references(self) -> Result<Vec<ConnectionReference>, String> {
        let env = self
            .env
            .get_untracked()
            .ok_or("You belong to no environment yet: ask the owner to add you to one.")?;
        let list = api::get::<Vec<ConnectionReference>>(&format!(
            "/api/environments/{}/references",
            seg(&env)
        ))
        .await
        .map_err(|e| e.message)?;
        if self.env.get_untracked().as_deref() == Some(env.as_str()) {
            self.references.set(Load::Ready(list.clone()));
        }
        Ok(list)
    }

    /// The reference last chosen for this connector in the current environment.
    pub fn last_used(&self, connector: &str) -> Option<String> {
        let key = self.last_used_key(connector)?;
        storage()?.get_item(&key).ok().flatten()
    }

    pub fn remember_used(&self, connector: &str, logical_name: &str) {
        if let (Some(key), Some(s)) = (self.last_used_key(connector), storage()) {
            let _ = s.set_item(&key, logical_name);
        }
    }

    fn last_used_key(&self, connector: &str) -> Option<String> {
        let env = self.env.get_untracked()?;
        Some(format!("plugboard.last-reference.{env}.{connector}"))
    }
}
