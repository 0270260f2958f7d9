//! The "Errors" panel: the flow checker's problems, each naming its line; a click selects the step.

use crate::icons;
use crate::lists;
use crate::state::use_designer;
use leptos::prelude::*;
use plugboard_model::connector::ConnectorSummary;
use plugboard_model::flow::StepId;
use plugboard_model::references::{check_references, EnvironmentView};

/// The most problems the panel lists at once.
const MAX_SHOWN: usize = 100;

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
pub fn provide_problems(d: crate::state::Designer) {
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
        d.with_settled_flow(|flow| {
            d.catalog.with_value(|cat| {
                let mut problems = plugboard_model::check::check(flow, cat);
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

#[component]
pub fn ErrorsPanel() -> impl IntoView {
    let d = use_designer();
    let problems = use_problems();
    view! {
        <section class="side-section errors" aria-label="Errors">
            <h2 class="pane-title">"Errors" <span class="count" class:bad=move || problems.with(|p| !p.is_empty())>{move || problems.with(Vec::len)}</span></h2>
            <Show when=move || problems.with(Vec::is_empty)>
                <p class="empty ok">"No errors found in this flow."</p>
            </Show>
            <ul class="error-list" inner_html=move || problems.with(|p| list_markup(p))
                on:click=move |ev| {
                    let Some(i) = lists::index_of(&ev, "button[data-i]") else { return };
                    if let Some((sf, id)) = problems.with_untracked(|p| p.get(i).map(|p| (p.subflow, p.step))) {
                        d.subflow.set(sf);
                        d.select_only(id);
                    }
                }></ul>
            <Show when=move || problems.with(|p| p.len() > MAX_SHOWN)>
                <p class="empty">{move || format!("and {} more: fix these first.", problems.with(Vec::len) - MAX_SHOWN)}</p>
            </Show>
        </section>
    }
}

/// The first `MAX_SHOWN` problems as list items (see `lists`).
fn list_markup(problems: &[ProblemView]) -> String {
    let icon = icons::markup("error", "err-icon");
    let mut out = String::new();
    for (i, p) in problems.iter().take(MAX_SHOWN).enumerate() {
        out.push_str("<li>");
        lists::open(
            &mut out,
            "button",
            r#"type="button" class="error-item""#,
            i,
            None,
        );
        out.push_str(&icon);
        lists::span(&mut out, "where", &p.place);
        lists::span(&mut out, "msg", &p.message);
        out.push_str("</button></li>");
    }
    out
}
