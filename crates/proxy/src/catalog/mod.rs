//! The connector catalog in memory: imported once at start from the connector folders, served as a
//! compact index (pre-serialized) and per-connector details.

pub mod capabilities;
pub mod doc;
pub mod import;

use plugboard_model::connector::{ActionSummary, CatalogIndex, ConnectorDetail, ConnectorSummary};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

pub use import::{import_dirs, ImportReport, Rejected, Warning};

/// The imported connectors.
#[derive(Default)]
pub struct Catalog {
    details: HashMap<String, Arc<ConnectorDetail>>,
    index_json: Arc<[u8]>,
    count: usize,
}

impl Catalog {
    pub fn from_connectors(connectors: Vec<ConnectorDetail>) -> Self {
        let index = CatalogIndex {
            connectors: connectors.iter().map(summary).collect(),
        };
        let index_json: Arc<[u8]> = serde_json::to_vec(&index)
            .unwrap_or_else(|_| b"{\"connectors\":[]}".to_vec())
            .into();
        let count = connectors.len();
        let details = connectors
            .into_iter()
            .map(|c| (c.id.clone(), Arc::new(c)))
            .collect();
        Catalog {
            details,
            index_json,
            count,
        }
    }

    /// Import the folders, logging every rejected file.
    pub fn load(dirs: &[PathBuf]) -> Self {
        let report = import_dirs(dirs);
        for r in &report.rejected {
            tracing::warn!("connector file rejected: {r}");
        }
        for w in &report.warnings {
            tracing::warn!("connector definition partly imported: {w}");
        }
        tracing::info!("{}", report.summary_line());
        Catalog::from_connectors(report.connectors)
    }

    pub fn get(&self, id: &str) -> Option<Arc<ConnectorDetail>> {
        self.details.get(id).cloned()
    }

    /// Every connector, in no particular order.
    pub fn connectors(&self) -> impl Iterator<Item = &Arc<ConnectorDetail>> {
        self.details.values()
    }

    pub fn index_json(&self) -> Arc<[u8]> {
        self.index_json.clone()
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The index entry of a connector.
pub fn summary(c: &ConnectorDetail) -> ConnectorSummary {
    ConnectorSummary {
        id: c.id.clone(),
        name: c.name.clone(),
        color: c.color.clone(),
        categories: c.categories.clone(),
        auth: c.auth.clone(),
        actions: c
            .actions
            .iter()
            .map(|a| ActionSummary {
                id: a.operation_id.clone(),
                name: a.def.name.clone(),
                visibility: a.visibility,
                deprecated: a.deprecated,
            })
            .collect(),
    }
}
