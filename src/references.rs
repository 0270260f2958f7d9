//! The "Connection references" pane: the references this flow uses, each with its connection in
//! the current environment and the steps that use it; "Change" re-points every usage at once
//! (one undo step), "Bind" gives a reference a connection here; deployment settings are
//! exported and imported for the current environment.

use crate::api::{self, seg};
use crate::cloud::{Account, Cloud, Load};
use crate::icons::Icon;
use crate::markup;
use crate::platform::{download, file_stem, pick_file, read_text, take_file};
use crate::state::{use_designer, AddReferenceRequest, Designer, FixedReference, PickerRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::connector::{ConnectionReference, DeploymentImportReport, DeploymentSettings};
use plugboard_model::flow::StepId;
use plugboard_model::references::{rebind, usages, Usage};
use plugboard_model::rows;

/// The id of the hidden file input (found by id: see `platform::pick_file`).
const SETTINGS_FILE: &str = "deployment-settings-file";

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
    let signed_in = move || c.account.with(|a| matches!(a, Account::SignedIn(_)));

    let export = move |_| {
        let Some(env) = c.env.get_untracked() else {
            return;
        };
        let names: Vec<String> =
            used.with_untracked(|u| u.iter().map(|u| u.logical_name.clone()).collect());
        let flow_name = d.editor.with_untracked(|e| e.flow().name.clone());
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
                        file_stem(&flow_name)
                    );
                    match download(&file, &text) {
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
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = take_file(&ev) else {
            return;
        };
        let Some(env) = c.env.get_untracked() else {
            return;
        };
        let env_name = c.env_name_untracked();
        let fname = file.name();
        spawn_local(async move {
            let text = match read_text(&file, MAX_SETTINGS_BYTES).await {
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
                        // Read through text: one deserializer of the report (the API's), not two.
                        .and_then(|v| {
                            serde_json::from_str::<DeploymentImportReport>(&v.to_string()).ok()
                        });
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
            <ReferenceList />
            <Show when=signed_in>
                <div class="pane-actions">
                    <button type="button" class="small-button" on:click=export title="Download this flow's references and their connections in this environment (Power Platform format)">
                        <Icon name="download" />"Export deployment settings"
                    </button>
                    <button type="button" class="small-button" title="Create or bind references in this environment from a deployment settings file"
                        on:click=move |_| pick_file(SETTINGS_FILE)>
                        <Icon name="upload" />"Import deployment settings"
                    </button>
                    <input type="file" accept=".json,application/json" hidden id=SETTINGS_FILE on:change=on_file
                        aria-label="Deployment settings file" />
                </div>
            </Show>
        </section>
    }
}

/// The references the flow uses, each with its connection in the current environment, the
/// steps that use it and what can be done about it; `mapping` words it for "Map connection
/// references" (a reference missing here: "Create reference"; "Use another reference"; a bound
/// one "Kept"). Signed out, it asks to sign in.
#[component]
pub fn ReferenceList(
    /// Worded for mapping an opened flow's references rather than for the pane.
    #[prop(optional)]
    mapping: bool,
) -> impl IntoView {
    let d = use_designer();
    let c = d.cloud;
    let used = Memo::new(move |_| d.with_settled_flow(usages));
    let entries = Memo::new(move |_| {
        let list = used.get();
        let refs = c.references.with(|l| l.ready().cloned());
        d.editor.with_untracked(|e| {
            d.catalog.with_value(|cat| {
                // Line numbers per subflow, computed once per subflow that has usages.
                let mut lines: Vec<Option<Vec<rows::Row>>> = vec![None; e.flow().subflows.len()];
                list.into_iter()
                    .map(|u| {
                        let places = u
                            .steps
                            .iter()
                            .map(|&(sf, id)| {
                                let rows =
                                    lines[sf].get_or_insert_with(|| rows::rows(e.flow(), sf, cat));
                                let n = rows::line_of(rows, id).map_or(0, |i| i + 1);
                                let label = if sf == 0 {
                                    n.to_string()
                                } else {
                                    format!("{} {n}", e.flow().subflows[sf].name)
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
    view! {
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
                        <ul class="ref-list" inner_html=move || {
                            // Connector names arrive with their definitions.
                            d.catalog_rev.track();
                            let env = c.env_name_untracked();
                            entries.with(|l| items_markup(l, &env, &|id| connector_name(c, id), mapping))
                        }
                            on:click=move |ev| on_item_click(d, entries, &ev)></ul>
                    }.into_any(),
                    _ => view! { <p class="muted loading">"Loading connection references…"</p> }.into_any(),
                }
            }}
    }
}

/// What the pane offers to give a reference a connection here ("Bind" when it does not exist
/// in this environment, "Choose connection" when it has none), if anything.
fn to_bind(e: &Entry, names: &dyn Fn(&str) -> Option<String>) -> Option<FixedReference> {
    let logical = &e.usage.logical_name;
    match &e.here {
        // Not here: its display name is unknown in this environment; offer the connector's name.
        None => Some(FixedReference {
            logical_name: logical.clone(),
            display_name: names(&e.usage.connector_id).unwrap_or_else(|| logical.clone()),
            exists: false,
        }),
        Some(r) if r.connection.is_none() => Some(FixedReference {
            logical_name: logical.clone(),
            display_name: r.display_name.clone(),
            exists: true,
        }),
        Some(_) => None,
    }
}

/// A problem badge; the whole text in its tooltip too (a long environment name is cut short).
fn bad_badge(out: &mut String, text: &str) {
    markup::open(out, "span", r#"class="status-badge bad""#)
        .attr("title", text)
        .end();
    markup::text(out, text);
    markup::raw(out, "</span>");
}

/// The name of connector `id`, once its definition has arrived.
fn connector_name(c: Cloud, id: &str) -> Option<String> {
    c.details
        .with_untracked(|m| m.get(id).and_then(|l| l.ready().map(|x| x.name.clone())))
}

/// The references as list items (see `markup`): names, the connection in environment `env`,
/// the steps that use each (buttons `data-do="step"`, `data-p` the place) and "Bind" /
/// "Change" (`data-do`). `names` names a connector by id, when its definition is here.
fn items_markup(
    entries: &[Entry],
    env: &str,
    names: &dyn Fn(&str) -> Option<String>,
    mapping: bool,
) -> String {
    let mut icon = String::new();
    markup::icon(&mut icon, "connector", "ref-icon");
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        let logical = &e.usage.logical_name;
        markup::item(&mut out, "li", r#"class="ref-item""#, i, None);
        markup::raw(&mut out, r#"<div class="ref-head">"#);
        out.push_str(&icon);
        markup::raw(&mut out, r#"<div class="ref-names">"#);
        match &e.here {
            Some(r) => {
                markup::span(&mut out, "ref-title", &r.display_name);
                markup::span(&mut out, "mono muted small", logical);
            }
            // Not in this environment, so no display name here: the connector says what it is for.
            None => match names(&e.usage.connector_id) {
                Some(name) => {
                    markup::span(&mut out, "ref-title", &name);
                    markup::span(&mut out, "mono muted small", logical);
                }
                None => markup::span(&mut out, "ref-title mono", logical),
            },
        }
        markup::raw(&mut out, r#"</div></div><div class="ref-conn">"#);
        match e.here.as_ref().map(|r| &r.connection) {
            None => bad_badge(&mut out, &format!("Not in {env}")),
            Some(None) => bad_badge(&mut out, &format!("No connection in {env}")),
            Some(Some(b)) => {
                markup::span(&mut out, "conn-name", &b.display_name);
                crate::connect::badge_markup(&mut out, b.status);
                if mapping {
                    markup::span(&mut out, "status-badge ok", "Kept");
                }
            }
        }
        markup::raw(&mut out, r#"</div><div class="ref-uses">"#);
        let used_by = if e.places.len() == 1 {
            "Used by step"
        } else {
            "Used by steps"
        };
        markup::span(&mut out, "muted small", used_by);
        for (p, (_, _, label)) in e.places.iter().enumerate() {
            markup::open(
                &mut out,
                "button",
                r#"type="button" class="step-chip" title="Select this step" data-do="step""#,
            )
            .num("data-p", p)
            .num("data-i", i)
            .attr("aria-label", &format!("Step {label}"))
            .end();
            markup::text(&mut out, label);
            markup::raw(&mut out, "</button>");
        }
        markup::raw(&mut out, r#"</div><div class="ref-actions">"#);
        if let Some(fixed) = to_bind(e, names) {
            let label = match (fixed.exists, mapping) {
                (true, _) => "Choose connection",
                (false, false) => "Bind",
                (false, true) => "Create reference",
            };
            let attrs = r#"type="button" class="small-button primary" data-do="bind""#;
            markup::item(&mut out, "button", attrs, i, None);
            markup::text(&mut out, label);
            markup::raw(&mut out, "</button>");
        }
        let attrs = r#"type="button" class="small-button" data-do="change" title="Point every step that uses this reference to another one""#;
        markup::item(&mut out, "button", attrs, i, None);
        let change = if mapping {
            "Use another reference"
        } else {
            "Change"
        };
        markup::raw(&mut out, change);
        markup::raw(&mut out, "</button></div></li>");
    }
    out
}

/// A click in the list: select a step, bind a reference or change it.
fn on_item_click(d: Designer, entries: Memo<Vec<Entry>>, ev: &web_sys::Event) {
    let c = d.cloud;
    let Some(i) = markup::index_of(ev, "button[data-do]") else {
        return;
    };
    let Some(e) = entries.with_untracked(|l| l.get(i).cloned()) else {
        return;
    };
    match markup::attr_of(ev, "button[data-do]", "data-do").as_deref() {
        Some("step") => {
            let p = markup::attr_of(ev, "button[data-p]", "data-p").and_then(|p| p.parse().ok());
            if let Some(&(sf, id, _)) = p.and_then(|p: usize| e.places.get(p)) {
                d.subflow.set(sf);
                d.select_only(id);
            }
        }
        Some("bind") => d.add_reference.set(Some(AddReferenceRequest {
            connector: e.usage.connector_id.clone(),
            prompt: None,
            fixed: to_bind(&e, &|id| connector_name(c, id)),
            on_done: std::sync::Arc::new(|_| ()),
        })),
        Some("change") => {
            let from = e.usage.logical_name;
            c.load_references();
            d.picker.set(Some(PickerRequest {
                connector: e.usage.connector_id,
                selected: Some(from.clone()),
                on_pick: std::sync::Arc::new(move |to: String| {
                    let cmd = d.editor.with_untracked(|e| rebind(e.flow(), &from, &to));
                    if let Some(cmd) = cmd {
                        d.dispatch("Change connection reference", cmd);
                    }
                }),
            }))
        }
        _ => {}
    }
}

/// An error text without serde's position suffix (the position is given apart).
fn short(e: &str) -> &str {
    e.split(" at line ").next().unwrap_or(e)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::markup::hostile::{assert_shown_as_text, INPUTS};
    use plugboard_model::connector::{BoundConnection, ConnectionStatus};

    pub(crate) fn reference(text: &str, bound: bool) -> ConnectionReference {
        ConnectionReference {
            logical_name: text.into(),
            display_name: text.into(),
            connector_id: text.into(),
            connection_id: None,
            environment_id: "dev".into(),
            connection: bound.then(|| BoundConnection {
                id: "c1".into(),
                display_name: text.into(),
                status: ConnectionStatus::NeedsSignIn,
                owner: text.into(),
                usable: false,
            }),
        }
    }

    #[test]
    fn the_references_pane_shows_names_from_outside_as_text() {
        for input in INPUTS {
            let entry = |here: Option<ConnectionReference>| Entry {
                usage: Usage {
                    logical_name: input.into(),
                    connector_id: input.into(),
                    steps: Vec::new(),
                },
                here,
                places: vec![(0, StepId::nil(), input.to_string())],
            };
            let entries = [
                entry(Some(reference(input, true))),
                entry(Some(reference(input, false))),
                entry(None),
            ];
            let named = |_: &str| Some(input.to_string());
            let out = items_markup(&entries, input, &named, false);
            assert_shown_as_text(&out, input);
            assert!(out.contains("data-do=\"bind\" data-i=\"2\">Bind</button>"));
            let out = items_markup(&entries, "Dev", &|_| None, true);
            assert_shown_as_text(&out, input);
            assert!(out.contains("data-do=\"bind\" data-i=\"2\">Create reference</button>"));
            assert!(out.contains(">Use another reference</button>"));
        }
    }
}
