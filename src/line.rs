//! What a canvas line shows of its step (name, one-line summary, icon, badges, run marks) and the view of
//! its body: the "Flow" pane and the read-only preview of a shared flow draw lines alike.

use crate::icons::Icon;
use crate::platform::INDENT_PX;
use crate::run::Mark;
use crate::text::{duration_label, lower, px};
use leptos::prelude::*;
use plugboard_model::catalog::Catalog;
use plugboard_model::flow::{Step, StepId};
use plugboard_model::references::connector_of;
use plugboard_model::summary::summary;

/// What one drawn line shows; its DOM is rebuilt only when this changes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LineContent {
    pub id: StepId,
    pub end: bool,
    pub depth: u16,
    pub name: String,
    pub summary: String,
    pub icon: String,
    pub enabled: bool,
    pub error: bool,
    /// What the last or current run shows here (the canvas only; a preview shows none).
    pub run: LineRun,
}

/// A line's run marks.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct LineRun {
    /// The last run's status here and its duration in whole milliseconds.
    pub mark: Option<(Mark, u64)>,
    pub breakpoint: bool,
    /// On the step running ("Running") or next to run at a pause ("Paused here").
    pub running: Option<&'static str>,
}

/// What a line says when its action has no definition (yet): a connector action's operation id
/// while its connector loads.
fn unknown_name(action: &str) -> String {
    match connector_of(action) {
        Some((_, op)) => op.to_string(),
        None => format!("Unknown action {action}"),
    }
}

/// What a line shows of its step: name, one-line summary and icon (an "End" line only its
/// name).
pub fn describe(step: &Step, end: bool, cat: &Catalog) -> (String, String, String) {
    if end {
        return ("End".into(), String::new(), String::new());
    }
    let def = cat.get(&step.action);
    let name = def.map_or_else(|| unknown_name(&step.action), |d| d.name.clone());
    let icon = def
        .and_then(|d| cat.categories.iter().find(|c| c.name == d.category))
        .map_or_else(
            || {
                if connector_of(&step.action).is_some() {
                    "connector".into()
                } else {
                    "unknown".into()
                }
            },
            |c| c.icon.clone(),
        );
    (name, summary(step, def), icon)
}

/// A line's body (icon, name, summary, badges), as the canvas and the shared flow's preview
/// draw it.
pub fn line_body(l: &LineContent) -> impl IntoView {
    let indent = px(i64::from(l.depth) * INDENT_PX);
    view! {
        <span class="body" style:padding-left=indent>
            {(!l.end).then(|| view! { <Icon name=l.icon.clone() class="cat-icon" /> })}
            <span class="name">{l.name.clone()}</span>
            {(!l.summary.is_empty()).then(|| view! { <span class="summary">{l.summary.clone()}</span> })}
            {(!l.enabled).then(|| view! { <span class="badge">"Disabled"</span> })}
            {l.error.then(|| view! { <span class="line-error" title="This action has errors: see the Errors panel"><Icon name="error" /></span> })}
            {l.run.breakpoint.then(|| view! { <span class="visually-hidden">"Breakpoint"</span> })}
            {l.run.running.map(|b| view! { <span class="badge running-badge">{b}</span> })}
            {l.run.mark.map(|(mark, ms)| view! {
                <span class=format!("run-mark mark-{}", lower(mark.label()))>{mark.label()}</span>
                {(mark != Mark::Skipped).then(|| view! { <span class="run-time">{duration_label(ms as f64)}</span> })}
            })}
        </span>
    }
}
