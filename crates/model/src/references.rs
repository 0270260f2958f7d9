//! A flow's connection references: which connector steps name which reference, whether each
//! reference resolves to a usable connection in an environment, and rebinding one across the flow.

use crate::catalog::Catalog;
use crate::check::{pin, Problem};
use crate::command::Command;
use crate::connector::{
    ConnectionReference, ConnectionStatus, ConnectionSummary, ConnectorSummary,
};
use crate::flow::{Flow, Step, StepId};
use std::collections::{BTreeSet, HashMap};

pub use crate::connector::connector_of;

/// The reference a step names, if it names one: a blank name is as good as none.
fn reference_of(step: &Step) -> Option<&str> {
    step.reference.as_deref().filter(|r| !r.trim().is_empty())
}

/// One connection reference a flow needs, and the steps that need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Usage {
    pub logical_name: String,
    /// The connector of the first step using it (the checker reports any other as incompatible).
    pub connector_id: String,
    /// `(subflow index, step)` of every connector step naming it, in document order.
    pub steps: Vec<(usize, StepId)>,
}

/// Every reference the flow's connector steps name, in order of first use (Main first, then each
/// subflow, in document order). Disabled steps count: they keep their reference, and mapping
/// references on import or rebinding must not leave them behind.
pub fn usages(flow: &Flow) -> Vec<Usage> {
    let mut out: Vec<Usage> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (sf, step) in flow.walk() {
        let (Some((connector, _)), Some(name)) = (connector_of(&step.action), reference_of(step))
        else {
            continue;
        };
        let i = *index.entry(name).or_insert_with(|| {
            out.push(Usage {
                logical_name: name.to_string(),
                connector_id: connector.to_string(),
                steps: Vec::new(),
            });
            out.len() - 1
        });
        out[i].steps.push((sf, step.id));
    }
    out
}

/// The connector ids of every connector step (disabled ones too: the designer draws them), so
/// the designer can fetch their definitions.
pub fn connector_ids(flow: &Flow) -> BTreeSet<String> {
    // Inserted one by one: `collect` into a BTreeSet compiles a stable sort of its own (about
    // 4 KB of the designer's wasm).
    let mut ids = BTreeSet::new();
    for (_, s) in flow.walk() {
        if let Some((c, _)) = connector_of(&s.action) {
            ids.insert(c.to_string());
        }
    }
    ids
}

/// One environment as the designer sees it, to check a flow's references against.
#[derive(Clone, Copy, Debug)]
pub struct EnvironmentView<'a> {
    /// Display name, as messages name it: `Production`.
    pub name: &'a str,
    /// The environment's connection references.
    pub references: &'a [ConnectionReference],
    /// The connections the user can use. A reference bound to a connection not listed here is
    /// someone else's, not shared with the user: not a problem by itself, and its status unknown.
    pub connections: &'a [ConnectionSummary],
    /// Connectors, to name them in messages (the catalog index); an unlisted one goes by its id.
    pub connectors: &'a [ConnectorSummary],
}

impl EnvironmentView<'_> {
    fn connector_name<'s>(&'s self, id: &'s str) -> &'s str {
        self.connectors
            .iter()
            .find(|c| c.id == id)
            .map_or(id, |c| c.name.as_str())
    }
}

/// What stops each enabled connector step of `flow` from running in `env`: no reference chosen,
/// a reference the environment lacks, one of another connector, one bound to no connection, or
/// one whose connection needs sign-in or is failing. At most one problem per step, ordered by
/// subflow and line as `check::check` orders its problems; disabled steps (and the steps inside
/// them) are skipped, as the checker skips them.
pub fn check_references(flow: &Flow, catalog: &Catalog, env: &EnvironmentView) -> Vec<Problem> {
    let references: HashMap<&str, &ConnectionReference> = env
        .references
        .iter()
        .map(|r| (r.logical_name.as_str(), r))
        .collect();
    let connections: HashMap<&str, &ConnectionSummary> =
        env.connections.iter().map(|c| (c.id.as_str(), c)).collect();
    let ctx = Ctx {
        catalog,
        env,
        references,
        connections,
    };
    let mut problems = Vec::new();
    for (sf, sub) in flow.subflows.iter().enumerate() {
        let mut found = Vec::new();
        ctx.steps(&sub.steps, &mut found);
        problems.extend(pin(flow, sf, catalog, found));
    }
    problems
}

struct Ctx<'a> {
    catalog: &'a Catalog,
    env: &'a EnvironmentView<'a>,
    references: HashMap<&'a str, &'a ConnectionReference>,
    connections: HashMap<&'a str, &'a ConnectionSummary>,
}

impl Ctx<'_> {
    fn steps(&self, steps: &[Step], found: &mut Vec<(StepId, String)>) {
        for s in steps.iter().filter(|s| s.enabled) {
            if let Some(message) = self.step(s) {
                found.push((s.id, message));
            }
            self.steps(&s.children, found);
        }
    }

    fn step(&self, s: &Step) -> Option<String> {
        let (connector, operation) = connector_of(&s.action)?;
        let env = self.env.name;
        let Some(name) = reference_of(s) else {
            let action = self.catalog.get(&s.action).map_or(operation, |d| &d.name);
            return Some(format!("{action}: choose a connection reference"));
        };
        let Some(r) = self.references.get(name) else {
            return Some(format!(
                "Connection reference {name} does not exist in {env}"
            ));
        };
        let which = format!("Connection reference {} ({name})", r.display_name);
        // Another connector's reference cannot serve this step whatever it is bound to, so
        // saying it has no connection too would only send the maker to fix the wrong thing.
        if r.connector_id != connector {
            return Some(format!(
                "{which} is for {}, not {}",
                self.env.connector_name(&r.connector_id),
                self.env.connector_name(connector)
            ));
        }
        let Some(id) = r.connection_id.as_deref().filter(|c| !c.is_empty()) else {
            return Some(format!("{which} has no connection in {env}"));
        };
        let c = self.connections.get(id)?;
        match c.status {
            ConnectionStatus::Connected => None,
            ConnectionStatus::NeedsSignIn => Some(format!(
                "{which}: its connection \"{}\" needs sign-in",
                c.display_name
            )),
            ConnectionStatus::Error => Some(format!(
                "{which}: its connection \"{}\" has an error",
                c.display_name
            )),
        }
    }
}

/// Point every step naming reference `from` at `to` instead (every subflow, disabled steps
/// too), as one undoable gesture: a `Command::Batch` of `Command::SetReference`. `None` when no
/// step names `from`, or `from == to`, so no empty step lands in the undo history.
pub fn rebind(flow: &Flow, from: &str, to: &str) -> Option<Command> {
    if from == to {
        return None;
    }
    let cmds: Vec<Command> = flow
        .walk()
        .into_iter()
        .filter(|(_, s)| s.reference.as_deref() == Some(from))
        .map(|(_, s)| Command::SetReference {
            id: s.id,
            reference: Some(to.to_string()),
        })
        .collect();
    (!cmds.is_empty()).then_some(Command::Batch(cmds))
}
