//! The "Connection references" pane: the references this flow uses, each with its connection in
//! the current environment and the steps that use it; "Change" re-points every usage at once
//! (one undo step), "Bind" gives a reference a connection here; deployment settings are
//! exported and imported for the current environment.

use crate::api::{self, seg};
use crate::cloud::{Account, AddReferenceRequest, FixedReference, Load, PickerRequest};
use crate::connect::StatusBadge;
use crate::icons::Icon;
use crate::state::use_designer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::connector::{ConnectionReference, DeploymentImportReport, DeploymentSettings};
use plugboard_model::flow::StepId;
use plugboard_model::references::{rebind, usages, Usage};
use plugboard_model::rows;

/// The largest deployment settings file the pane reads.
const MAX_SETTINGS_BYTES: usize = 1024 * 1024;

/// One reference the flow uses, as the pane shows it.
#[derive(Clone, PartialEq)]
struct Entry {
    usage: Usage,
    /// The reference in the current environment, if it exists there.
    here: Option<ConnectionReference>,
    /// Where each usage sits: (subflow, step, label such as "2" or "Sub1 3").
    places: Vec<(usize, StepId, String)>,
}

#[component]
pub fn ReferencesPane() -> impl IntoView {
    let d = use_designer();
    let c = d.cloud;
    let used = Memo::new(move |_| d.with_settled_flow(usages));
    let entries = Memo::new(move |_| {
        let list = used.get();
        let refs = c.references.with(|l| l.ready().cloned());
        d.editor.with_untracked(|e| {
            d.catalog.with_value(|cat| {
                // Line numbers per subflow, computed once per subflow that has usages.
                let mut lines: Vec<Option<Vec<rows::Row>>> = vec![None; e.flow.subflows.len()];
                list.into_iter()
                    .map(|u| {
                        let places = u
                            .steps
                            .iter()
                            .map(|&(sf, id)| {
                                let rows =
                                    lines[sf].get_or_insert_with(|| rows::rows(&e.flow, sf, cat));
                                let n = rows::line_of(rows, id).map_or(0, |i| i + 1);
                                let label = if sf == 0 {
                                    n.to_string()
                                } else {
                                    format!("{} {n}", e.flow.subflows[sf].name)
                                };
                                (sf, id, label)
                            })
                            .collect();
                        let here = refs.as_ref().and_then(|r| {
                            r.iter().find(|r| r.logical_name == u.logical_name).cloned()
                        });
                        Entry {
                            usage: u,
                            here,
                            places,
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let signed_in = move || c.account.with(|a| matches!(a, Account::SignedIn(_)));
    let file_input = NodeRef::<leptos::html::Input>::new();

    let export = move |_| {
        let Some(env) = c.env.get_untracked() else {
            return;
        };
        let names: Vec<String> =
            used.with_untracked(|u| u.iter().map(|u| u.logical_name.clone()).collect());
        let flow_name = d.editor.with_untracked(|e| e.flow.name.clone());
        let env_name = c.env_name_untracked();
        spawn_local(async move {
            let path = format!("/api/environments/{}/deployment-settings", seg(&env));
            match api::get::<DeploymentSettings>(&path).await {
                Ok(mut s) => {
                    // The flow's references only, as a solution's settings file holds.
                    s.connection_references
                        .retain(|r| names.contains(&r.logical_name));
                    let text = serde_json::to_string_pretty(&s).unwrap_or_default();
                    let file = format!(
                        "{} - {env_name} deployment settings.json",
                        crate::flows::file_stem(&flow_name)
                    );
                    match crate::flows::download(&file, &text) {
                        Ok(()) => d
                            .status
                            .set(Some(format!("Exported deployment settings for {env_name}"))),
                        Err(e) => d.status.set(Some(format!("Export failed: {e}"))),
                    }
                }
                Err(e) => d.status.set(Some(format!("Export failed: {e}"))),
            }
        });
    };
    let on_file = move |_| {
        let Some(file) = file_input
            .get_untracked()
            .and_then(|i| crate::flows::take_file(&i))
        else {
            return;
        };
        let Some(env) = c.env.get_untracked() else {
            return;
        };
        let env_name = c.env_name_untracked();
        let fname = file.name();
        spawn_local(async move {
            let text = match crate::flows::read_text(&file, MAX_SETTINGS_BYTES).await {
                Ok(t) => t,
                Err(e) => return d.status.set(Some(format!("Cannot import {fname}: {e}"))),
            };
            let settings: DeploymentSettings = match serde_json::from_str(&text) {
                Ok(s) => s,
                Err(e) => {
                    return d.status.set(Some(format!(
                        "Cannot import {fname}: not a deployment settings file (line {}, column {}: {})",
                        e.line(),
                        e.column(),
                        short(&e.to_string())
                    )))
                }
            };
            let path = format!("/api/environments/{}/deployment-settings", seg(&env));
            match api::post::<_, DeploymentImportReport>(&path, &settings).await {
                Ok(report) => {
                    let n = report
                        .entries
                        .iter()
                        .filter(|e| e.status != "unchanged")
                        .count();
                    d.status.set(Some(format!(
                        "Imported deployment settings into {env_name}: {n} of {} references created or updated",
                        report.entries.len()
                    )));
                    c.load_references();
                }
                Err(e) => {
                    // A refused import names each entry that is wrong.
                    let report = e
                        .details
                        .clone()
                        .and_then(|v| serde_json::from_value::<DeploymentImportReport>(v).ok());
                    let detail = match report {
                        Some(r) => r
                            .entries
                            .iter()
                            .filter(|x| x.status == "error")
                            .map(|x| format!("{}: {}", x.logical_name, x.message))
                            .collect::<Vec<_>>()
                            .join("; "),
                        None => e.message.clone(),
                    };
                    d.status.set(Some(format!(
                        "Nothing was imported into {env_name}: {detail}"
                    )));
                }
            }
        });
    };

    view! {
        <section class="side-section references" aria-label="Connection references">
            <h2 class="pane-title">"Connection references"
                <span class="count">{move || used.with(Vec::len)}</span>
            </h2>
            {move || {
                if used.with(Vec::is_empty) {
                    return view! { <p class="empty">"This flow uses no connection references. Add a cloud connector action to use one."</p> }.into_any();
                }
                if !signed_in() {
                    return view! {
                        <p class="empty">"Sign in to see how this flow's connection references are bound."</p>
                        <button type="button" class="link" on:click=move |_| c.sign_in_open.set(true)>"Sign in"</button>
                    }.into_any();
                }
                match c.references.get() {
                    Load::Failed(e) => view! {
                        <p class="form-error" role="alert">{format!("Connection references could not be loaded: {e}")}</p>
                        <button type="button" class="link" on:click=move |_| c.load_references()>"Try again"</button>
                    }.into_any(),
                    Load::Ready(_) => view! {
                        <ul class="ref-list">
                            {move || entries.get().into_iter().map(|e| view! { <ReferenceItem e=e /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    _ => view! { <p class="muted loading">"Loading connection references…"</p> }.into_any(),
                }
            }}
            <Show when=signed_in>
                <div class="pane-actions">
                    <button type="button" class="small-button" on:click=export title="Download this flow's references and their connections in this environment (Power Platform format)">
                        <Icon name="download" />"Export deployment settings"
                    </button>
                    <button type="button" class="small-button" title="Create or bind references in this environment from a deployment settings file"
                        on:click=move |_| { if let Some(i) = file_input.get_untracked() { i.click() } }>
                        <Icon name="upload" />"Import deployment settings"
                    </button>
                    <input type="file" accept=".json,application/json" hidden node_ref=file_input on:change=on_file
                        aria-label="Deployment settings file" />
                </div>
            </Show>
        </section>
    }
}

#[component]
fn ReferenceItem(e: Entry) -> impl IntoView {
    let d = use_designer();
    let c = d.cloud;
    let logical = e.usage.logical_name.clone();
    let connector = e.usage.connector_id.clone();
    let env = c.env_name_untracked();
    let title = e.here.as_ref().map(|r| r.display_name.clone());
    // Not here: its display name is unknown in this environment; offer the connector's name.
    let default_display = title.clone().unwrap_or_else(|| {
        c.details.with_untracked(|m| {
            m.get(&connector)
                .and_then(|l| l.ready().map(|x| x.name.clone()))
                .unwrap_or_else(|| logical.clone())
        })
    });
    let (status, bind): (AnyView, Option<FixedReference>) = match &e.here {
        None => (
            view! { <span class="status-badge bad">{format!("Not in {env}")}</span> }.into_any(),
            Some(FixedReference { logical_name: logical.clone(), display_name: default_display, exists: false }),
        ),
        Some(r) => match &r.connection {
            None => (
                view! { <span class="status-badge bad">{format!("No connection in {env}")}</span> }.into_any(),
                Some(FixedReference { logical_name: logical.clone(), display_name: r.display_name.clone(), exists: true }),
            ),
            Some(b) => (
                view! { <span class="conn-name">{b.display_name.clone()}</span><StatusBadge status=b.status /> }.into_any(),
                None,
            ),
        },
    };
    let (l1, c1, c2) = (logical.clone(), connector.clone(), connector.clone());
    let change = move |_| {
        let from = l1.clone();
        c.load_references();
        c.picker.set(Some(PickerRequest {
            connector: c1.clone(),
            selected: Some(from.clone()),
            on_pick: std::sync::Arc::new(move |to: String| {
                let cmd = d.editor.with_untracked(|e| rebind(&e.flow, &from, &to));
                if let Some(cmd) = cmd {
                    d.dispatch("Change connection reference", cmd);
                }
            }),
        }))
    };
    let on_bind = bind.map(|fixed| {
        let label = if fixed.exists {
            "Choose connection"
        } else {
            "Bind"
        };
        let fixed = StoredValue::new(fixed);
        view! {
            <button type="button" class="small-button primary" on:click=move |_| {
                c.add_reference.set(Some(AddReferenceRequest {
                    connector: c2.clone(),
                    prompt: None,
                    fixed: Some(fixed.get_value()),
                    on_done: std::sync::Arc::new(|_| ()),
                }));
            }>{label}</button>
        }
    });
    let places = e.places.clone();
    view! {
        <li class="ref-item">
            <div class="ref-head">
                <Icon name="connector" class="ref-icon" />
                <div class="ref-names">
                    {match title {
                        Some(t) => view! { <span class="ref-title">{t}</span><span class="mono muted small">{logical.clone()}</span> }.into_any(),
                        None => view! { <span class="ref-title mono">{logical.clone()}</span> }.into_any(),
                    }}
                </div>
            </div>
            <div class="ref-conn">{status}</div>
            <div class="ref-uses">
                <span class="muted small">{if places.len() == 1 { "Used by step" } else { "Used by steps" }}</span>
                {places.into_iter().map(|(sf, id, label)| view! {
                    <button type="button" class="step-chip" title="Select this step"
                        aria-label=format!("Step {label}")
                        on:click=move |_| { d.subflow.set(sf); d.select_only(id); }>{label.clone()}</button>
                }).collect_view()}
            </div>
            <div class="ref-actions">
                {on_bind}
                <button type="button" class="small-button" on:click=change
                    title="Point every step that uses this reference to another one">"Change"</button>
            </div>
        </li>
    }
}

/// An error text without serde's position suffix (the position is given apart).
fn short(e: &str) -> &str {
    e.split(" at line ").next().unwrap_or(e)
}
