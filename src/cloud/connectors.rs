//! Connector definitions from the proxy: the catalog index (every connector and its actions),
//! fetched once on first need, and each connector's detail, fetched on demand; a detail's
//! actions join the designer's catalog, so steps of it draw, check and open like any other.

use super::{Cloud, Load};
use crate::api::{self, seg, ApiFailure};
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::catalog::Catalog;
use plugboard_model::connector::{CatalogIndex, ConnectorDetail};
use std::sync::Arc;

/// The designer's catalog, where connector actions go when their definitions arrive, and the
/// counter bumped after each arrival (views that name or draw actions follow it).
#[derive(Clone, Copy)]
pub struct CatalogSink {
    pub defs: StoredValue<Catalog>,
    pub rev: RwSignal<u64>,
}

impl Cloud {
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
    pub fn ensure_detail(self, connector: &str) {
        let id = connector.to_string();
        spawn_local(async move {
            if let Err(e) = self.fetch_detail(&id).await {
                self.errors.set(Some(e));
            }
        });
    }

    /// Like `ensure_detail`, but only once per connector whatever the outcome (the Errors panel
    /// names the steps of a connector that could not be loaded).
    pub fn ensure_detail_quiet(self, connector: &str) {
        if self.details.with_untracked(|m| m.contains_key(connector)) {
            return;
        }
        self.ensure_detail(connector);
    }

    /// A connector's definition, fetched once; its actions join the designer's catalog so steps
    /// of it draw, check and open like any other.
    pub async fn fetch_detail(self, id: &str) -> Result<Arc<ConnectorDetail>, String> {
        if let Some(Load::Ready(x)) = self.details.with_untracked(|m| m.get(id).cloned()) {
            return Ok(x);
        }
        self.details
            .update(|m| drop(m.insert(id.to_string(), Load::Loading)));
        let got = api::get::<ConnectorDetail>(&format!("/api/connectors/{}", seg(id))).await;
        let (entry, out) = match got {
            Ok(detail) => {
                self.catalog.defs.update_value(|c| {
                    for a in &detail.actions {
                        c.insert(a.def.clone());
                    }
                });
                self.catalog.rev.update(|n| *n += 1);
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
