//! Running from the header and the "Run log": the "Run" toolbar (Run, Stop, Run next action and
//! the run's status, as Power Automate for desktop shows it in its header) and the region under
//! the canvas listing the run's outcome, each connector call (operation, request summary,
//! status, time, response) and why a run was refused. A failure links to its step.

use crate::icons::Icon;
use crate::markup;
use crate::run::{use_runner, CallEntry, Phase, Runner};
use crate::state::{use_designer, Designer};
use crate::text::duration_label;
use leptos::prelude::*;
use plugboard_model::flow::StepId;

/// Show `id` in the canvas: its subflow, selected and scrolled to.
fn go_to_step(d: &Designer, id: StepId) {
    let sf = d
        .editor
        .with_untracked(|e| e.flow().locate(id).map(|p| p.subflow));
    if let Some(sf) = sf {
        d.subflow.set(sf);
        d.select_only(id);
        crate::platform::focus_canvas();
    }
}

/// The run's status as the header says it.
fn status_text(r: &Runner, d: &Designer) -> String {
    match r.phase.get() {
        Phase::Running if r.ask.with(Option::is_some) => "Running: waiting for your answer".into(),
        Phase::Running => format!("Running ({} steps)", r.steps_run.get()),
        Phase::Paused => {
            let line = r.current.get().and_then(|id| {
                d.rows.track();
                d.line_of(id).map(|l| l + 1)
            });
            match line {
                Some(l) => format!("Paused before line {l}"),
                None => "Paused".into(),
            }
        }
        Phase::Idle => r
            .ended
            .with(|e| e.as_ref().map(|e| e.text.clone()))
            .unwrap_or_default(),
    }
}

/// The header's "Run" toolbar.
#[component]
pub fn RunToolbar() -> impl IntoView {
    let r = use_runner();
    let d = use_designer();
    let running = move || r.phase.get() == Phase::Running;
    let idle = move || r.phase.get() == Phase::Idle;
    view! {
        <div class="toolbar run-toolbar" role="toolbar" aria-label="Run">
            <button type="button" class="tool run" aria-label="Run" aria-disabled=move || running().to_string()
                title=move || if r.phase.get() == Phase::Paused { "Continue the run (F5)" } else { "Run the flow (F5)" }
                on:click=move |_| r.run(None)><Icon name="play" /><span>"Run"</span></button>
            <button type="button" class="tool" aria-label="Stop" aria-disabled=move || idle().to_string()
                title="Stop the run (Shift+F5)"
                on:click=move |_| r.stop()><Icon name="stop" /><span>"Stop"</span></button>
            <button type="button" class="tool" aria-label="Run next action" aria-disabled=move || running().to_string()
                title="Run the next action and pause (F10)"
                on:click=move |_| r.run_next()><Icon name="step" /><span>"Next action"</span></button>
            <span class="run-status" class:bad=move || r.ended.with(|e| e.as_ref().is_some_and(|e| !e.ok)) && idle()
                class:busy=move || !idle()
                aria-live="polite" aria-atomic="true">{move || status_text(&r, &d)}</span>
        </div>
    }
}

/// The name of a call's action: `Contoso Tickets: Get a ticket` (its operation id until the
/// connector's definition has arrived).
fn action_name(d: &Designer, action: &str) -> String {
    d.catalog_rev.track();
    let def = d
        .catalog
        .with_value(|c| c.get(action).map(|a| (a.category.clone(), a.name.clone())));
    match (def, plugboard_model::references::connector_of(action)) {
        (Some((category, name)), Some(_)) => format!("{category}: {name}"),
        (Some((_, name)), None) => name,
        (None, Some((_, op))) => op.to_string(),
        (None, None) => action.to_string(),
    }
}

/// The calls as list items (see `markup`); a failed call's button carries its `data-i`.
fn calls_markup(calls: &[CallEntry], name: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    for (i, c) in calls.iter().enumerate() {
        let ok = c.report.ok;
        markup::raw(
            &mut out,
            if ok {
                "<li class=\"call\"><div class=\"call-head\">"
            } else {
                "<li class=\"call failed\"><div class=\"call-head\">"
            },
        );
        markup::span(&mut out, "call-op", &name(&c.action));
        markup::span(
            &mut out,
            if ok { "call-status" } else { "call-status bad" },
            &c.report.status,
        );
        markup::span(&mut out, "call-time", &duration_label(c.ms));
        markup::raw(&mut out, "</div>");
        if !c.request.is_empty() {
            markup::raw(&mut out, "<div class=\"call-request\">");
            markup::text(&mut out, &c.request);
            markup::raw(&mut out, "</div>");
        }
        markup::raw(
            &mut out,
            if ok {
                "<details class=\"call-response\"><summary>Response</summary><pre>"
            } else {
                "<details class=\"call-response\"><summary>Error</summary><pre>"
            },
        );
        markup::text(&mut out, &c.report.response);
        markup::raw(&mut out, "</pre></details>");
        if !ok {
            markup::item(&mut out, "button", r#"type="button" class="link""#, i, None);
            markup::raw(&mut out, "Go to the failed action</button>");
        }
        markup::raw(&mut out, "</li>");
    }
    out
}

/// The "Run log" region under the canvas: shown once Run was pressed.
#[component]
pub fn RunLog() -> impl IntoView {
    let r = use_runner();
    let d = use_designer();
    let shown = move || {
        r.refused.with(Option::is_some)
            || r.ended.with(Option::is_some)
            || r.phase.get() != Phase::Idle
    };
    let failed_step = move || r.ended.with(|e| e.as_ref().and_then(|e| e.step));
    view! {
        <Show when=shown>
            <section class="run-log" aria-label="Run log">
                <h2 class="pane-title">"Run log" <span class="count">{move || r.calls.with(Vec::len)}</span></h2>
                {move || r.refused.get().map(|m| view! { <p class="run-refused" role="alert">{m}</p> })}
                {move || r.ended.get().map(|e| view! {
                    <p class="run-outcome" class:bad=!e.ok>{e.text.clone()}
                        <span class="run-steps">{move || match r.steps_run.get() {
                            1 => "1 step run".to_string(),
                            n => format!("{n} steps run"),
                        }}</span>
                        {failed_step().map(|id| view! {
                            " " <button type="button" class="link" on:click=move |_| go_to_step(&d, id)>"Go to the failed action"</button>
                        })}
                    </p>
                })}
                <Show when=move || r.calls.with(Vec::is_empty) && r.refused.with(Option::is_none)>
                    <p class="empty">"Connector calls of the run are listed here."</p>
                </Show>
                <ol class="calls" aria-label="Connector calls"
                    inner_html=move || r.calls.with(|c| calls_markup(c, |a| action_name(&d, a)))
                    on:click=move |ev| {
                        let Some(i) = markup::index_of(&ev, "button[data-i]") else { return };
                        if let Some(step) = r.calls.with_untracked(|c| c.get(i).map(|c| c.step)) {
                            go_to_step(&d, step);
                        }
                    }></ol>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::hostile::{assert_shown_as_text, INPUTS};
    use crate::run::host::CallReport;

    #[test]
    fn calls_show_hostile_text_as_text() {
        for input in INPUTS {
            let call = |ok| CallEntry {
                step: StepId::nil(),
                action: input.to_string(),
                request: input.to_string(),
                report: CallReport {
                    status: input.to_string(),
                    ok,
                    response: input.to_string(),
                },
                ms: 12.0,
            };
            let out = calls_markup(&[call(true), call(false)], str::to_string);
            assert_shown_as_text(&out, input);
            assert!(out.contains("<button type=\"button\" class=\"link\" data-i=\"1\">"));
            assert_eq!(out.matches("data-i=").count(), 1);
        }
    }
}
