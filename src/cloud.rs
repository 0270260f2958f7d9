//! The designer's view of the connector proxy: the session, environments (and the current one),
//! the current environment's connection references, the connections the user may use, and
//! connector definitions (the catalog index, loaded once and lazily; details on demand, whose
//! actions join the designer's catalog).

use crate::api::{self, seg, ApiFailure};
use crate::flows::storage;
use crate::state::Designer;
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

/// "Select a connection reference" is open for this connector; picking calls `on_pick`.
#[derive(Clone)]
pub struct PickerRequest {
    pub connector: String,
    pub selected: Option<String>,
    pub on_pick: Then<String>,
}

/// "Add new connection reference" is open for this connector; `on_done` gets the new reference.
#[derive(Clone)]
pub struct AddReferenceRequest {
    pub connector: String,
    /// Why the dialog opened by itself (no compatible reference yet), if it did.
    pub prompt: Option<String>,
    /// Bind a reference the flow already names (same logical name) instead of adding a new one.
    pub fixed: Option<FixedReference>,
    pub on_done: Then<ConnectionReference>,
}

/// A reference the flow names: create it in this environment (`exists: false`) or bind the one
/// that is here without a connection (`exists: true`).
#[derive(Clone)]
pub struct FixedReference {
    pub logical_name: String,
    pub display_name: String,
    pub exists: bool,
}

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
    pub picker: RwSignal<Option<PickerRequest>>,
    pub add_reference: RwSignal<Option<AddReferenceRequest>>,
    /// What to do once the user has signed in (e.g. add the connector action they picked).
    pub after_sign_in: StoredValue<Option<Then<()>>>,
}

impl Cloud {
    pub fn new() -> Self {
        Cloud {
            account: RwSignal::new(Account::Unknown),
            sign_in_open: RwSignal::new(false),
            environments: RwSignal::new(Load::Idle),
            env: RwSignal::new(None),
            references: RwSignal::new(Load::Idle),
            connections: RwSignal::new(Load::Idle),
            index: RwSignal::new(Load::Idle),
            details: RwSignal::new(HashMap::new()),
            picker: RwSignal::new(None),
            add_reference: RwSignal::new(None),
            after_sign_in: StoredValue::new(None),
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

    /// Fetch the catalog index unless it is here or on its way.
    pub fn ensure_index(self) {
        if !self
            .index
            .with_untracked(|l| matches!(l, Load::Idle | Load::Failed(_)))
        {
            return;
        }
        self.index.set(Load::Loading);
        spawn_local(async move {
            self.index
                .set(match api::get::<CatalogIndex>("/api/connectors").await {
                    Ok(ix) => Load::Ready(Arc::new(ix)),
                    Err(e) => Load::Failed(e.message),
                });
        });
    }

    /// Fetch a connector's definition in the background (for steps of it already in the flow).
    pub fn ensure_detail(self, d: Designer, connector: &str) {
        let id = connector.to_string();
        spawn_local(async move {
            if let Err(e) = self.fetch_detail(d, &id).await {
                d.status.set(Some(e));
            }
        });
    }

    /// Like `ensure_detail`, but only once per connector whatever the outcome (the Errors panel
    /// names the steps of a connector that could not be loaded).
    pub fn ensure_detail_quiet(self, d: Designer, connector: &str) {
        if self.details.with_untracked(|m| m.contains_key(connector)) {
            return;
        }
        self.ensure_detail(d, connector);
    }

    /// A connector's definition, fetched once; its actions join the designer's catalog so steps
    /// of it draw, check and open like any other.
    pub async fn fetch_detail(self, d: Designer, id: &str) -> Result<Arc<ConnectorDetail>, String> {
        if let Some(Load::Ready(x)) = self.details.with_untracked(|m| m.get(id).cloned()) {
            return Ok(x);
        }
        self.details
            .update(|m| drop(m.insert(id.to_string(), Load::Loading)));
        let got = api::get::<ConnectorDetail>(&format!("/api/connectors/{}", seg(id))).await;
        let (entry, out) = match got {
            Ok(detail) => {
                d.catalog.update_value(|c| {
                    for a in &detail.actions {
                        c.insert(a.def.clone());
                    }
                });
                d.catalog_rev.update(|n| *n += 1);
                let detail = Arc::new(detail);
                (Load::Ready(detail.clone()), Ok(detail))
            }
            Err(e) => {
                let why = detail_failure(id, &e);
                (Load::Failed(why.clone()), Err(why))
            }
        };
        self.details
            .update(|m| drop(m.insert(id.to_string(), entry)));
        out
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

    pub fn detail(&self, connector: &str) -> Load<Arc<ConnectorDetail>> {
        self.details
            .with(|m| m.get(connector).cloned().unwrap_or_default())
    }
}

fn detail_failure(id: &str, e: &ApiFailure) -> String {
    if e.status == 404 {
        format!("The connector “{id}” is not available on this proxy.")
    } else {
        format!("The connector “{id}” could not be loaded: {}", e.message)
    }
}
