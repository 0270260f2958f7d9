//! The flow checker's problems for the current flow, in context: the flow's own problems and,
//! when signed in, its connection references checked against the current environment. Run once
//! the flow settles after a change; the canvas marks their lines and the Errors panel lists them.
//! A connector action is called unknown only once its connector's definition could not be had.

use crate::cloud::Load;
use crate::state::Designer;
use leptos::prelude::*;
use plugboard_model::connector::ConnectorSummary;
use plugboard_model::flow::StepId;
use plugboard_model::references::{check_references, connector_of, EnvironmentView};

/// One problem as the panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemView {
    pub step: StepId,
    pub subflow: usize,
    pub line: usize,
    pub place: String,
    pub message: String,
}

/// The flow checker's problems for the current flow (provided once, by the app).
pub fn use_problems() -> Memo<Vec<ProblemView>> {
    expect_context::<Memo<Vec<ProblemView>>>()
}

/// Run the flow checker once per change and provide its problems to every pane.
pub fn provide_problems(d: Designer) {
    let c = d.cloud;
    let m = Memo::new(move |_: Option<&Vec<ProblemView>>| {
        d.catalog_rev.track();
        // The references of the current environment, when signed in and loaded.
        let refs = c.references.with(|l| l.ready().cloned());
        let connections = c
            .connections
            .with(|l| l.ready().cloned().unwrap_or_default());
        let env_name = c.env_name();
        let connectors: Vec<ConnectorSummary> = c.details.with(|m| {
            m.values()
                .filter_map(|l| l.ready())
                .map(|x| ConnectorSummary {
                    id: x.id.clone(),
                    name: x.name.clone(),
                    color: String::new(),
                    categories: Vec::new(),
                    auth: Vec::new(),
                    actions: Vec::new(),
                })
                .collect()
        });
        // Connectors whose definition could not be had: only their actions are unknown (the
        // others' definitions are on their way, or come after signing in).
        let failed: Vec<String> = c.details.with(|m| {
            m.iter()
                .filter(|(_, l)| matches!(l, Load::Failed(_)))
                .map(|(id, _)| id.clone())
                .collect()
        });
        d.with_settled_flow(|flow| {
            d.catalog.with_value(|cat| {
                let mut problems = plugboard_model::check::check(flow, cat);
                problems.retain(|p| {
                    let pending = flow.step(p.step).is_some_and(|s| {
                        cat.get(&s.action).is_none()
                            && connector_of(&s.action)
                                .is_some_and(|(conn, _)| !failed.iter().any(|f| f == conn))
                    });
                    !pending
                });
                if let Some(refs) = &refs {
                    let view = EnvironmentView {
                        name: &env_name,
                        references: refs,
                        connections: &connections,
                        connectors: &connectors,
                    };
                    problems.extend(check_references(flow, cat, &view));
                    plugboard_model::order::sort_by_rank(&mut problems, |p| {
                        ((p.subflow as u64) << 32) | p.line as u64
                    });
                }
                problems
                    .into_iter()
                    .map(|p| ProblemView {
                        step: p.step,
                        subflow: p.subflow,
                        line: p.line,
                        place: p.path,
                        message: p.message,
                    })
                    .collect()
            })
        })
    });
    provide_context(m);
}
