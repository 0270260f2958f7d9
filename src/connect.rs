//! Connection references in the designer: adding a connector action (prompting for a reference
//! when the environment has none), the socket button of its dialog, "Select a connection
//! reference" and "Add new connection reference" (wrap an existing connection or create one).

use crate::api::{self, seg};
use crate::cloud::{AddReferenceRequest, Load, PickerRequest};
use crate::icons::Icon;
use crate::modal::Modal;
use crate::state::{new_step, use_designer, Designer, DialogTarget};
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::connector::{
    new_logical_name, valid_logical_name, ConnectionParameter, ConnectionParameterKind,
    ConnectionReference, ConnectionReferenceUpdate, ConnectionStatus, ConnectionSummary,
    ConnectorDetail, NewConnection, NewConnectionReference,
};
use plugboard_model::flow::Pos;
use plugboard_model::references::connector_of;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Add a connector action at `at`: sign in if needed, load the connector, then open the action's
/// dialog with a compatible reference selected (the one last used for the connector), or first
/// ask for a new reference when the environment has none.
pub fn begin_add(d: Designer, action: String, at: Pos) {
    let c = d.cloud;
    c.with_session(Arc::new(move |()| {
        let action = action.clone();
        spawn_local(async move {
            let Some((connector, _)) = connector_of(&action) else {
                return;
            };
            let connector = connector.to_string();
            let detail = match c.fetch_detail(d, &connector).await {
                Ok(x) => x,
                Err(e) => return d.status.set(Some(e)),
            };
            let refs = match c.fetch_references().await {
                Ok(r) => r,
                Err(e) => return d.status.set(Some(format!("Connection references: {e}"))),
            };
            let open = move |reference: String| {
                let mut step = d.catalog.with_value(|cat| new_step(cat, &action));
                step.reference = Some(reference);
                d.dialog.set(Some(DialogTarget::New { step, at }));
            };
            let compatible: Vec<&ConnectionReference> = refs
                .iter()
                .filter(|r| r.connector_id == connector)
                .collect();
            if compatible.is_empty() {
                let env = c.env_name_untracked();
                c.add_reference.set(Some(AddReferenceRequest {
                    connector: connector.clone(),
                    fixed: None,
                    prompt: Some(format!(
                        "{} needs a connection reference in {env}. Create one to use its actions.",
                        detail.name
                    )),
                    on_done: Arc::new(move |r: ConnectionReference| open(r.logical_name.clone())),
                }));
                return;
            }
            // The one last used for this connector, else one whose connection works.
            let last = c.last_used(&connector);
            let pick = compatible
                .iter()
                .find(|r| Some(&r.logical_name) == last.as_ref())
                .or_else(|| {
                    compatible.iter().find(|r| {
                        r.connection
                            .as_ref()
                            .is_some_and(|b| b.status == ConnectionStatus::Connected)
                    })
                })
                .unwrap_or(&compatible[0]);
            open(pick.logical_name.clone());
        });
    }));
}

/// "Connected", "Needs sign-in" or "Error", as a small badge.
#[component]
pub fn StatusBadge(status: ConnectionStatus) -> impl IntoView {
    let (class, text) = match status {
        ConnectionStatus::Connected => ("ok", "Connected"),
        ConnectionStatus::NeedsSignIn => ("warn", "Needs sign-in"),
        ConnectionStatus::Error => ("bad", "Error"),
    };
    view! { <span class=format!("status-badge {class}")>{text}</span> }
}

/// The socket button of a connector action's dialog: shows the selected reference, opens the
/// picker.
#[component]
pub fn SocketButton(
    /// The connector the action belongs to.
    #[prop(into)]
    connector: String,
    /// The selected reference's logical name; the picker writes it.
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let d = use_designer();
    let c = d.cloud;
    let connector = StoredValue::new(connector);
    let chosen = move || {
        let name = selected.get()?;
        Some(c.references.with(|l| {
            l.ready()
                .and_then(|list| list.iter().find(|r| r.logical_name == name).cloned())
                .ok_or(name)
        }))
    };
    let open = move |_| {
        // The list may have changed elsewhere since it was loaded.
        c.load_references();
        c.picker.set(Some(PickerRequest {
            connector: connector.get_value(),
            selected: selected.get_untracked(),
            on_pick: Arc::new(move |name: String| selected.set(Some(name))),
        }))
    };
    view! {
        <div class="socket-row">
            <button type="button" class="socket" aria-label="Connection reference" aria-haspopup="dialog"
                title="Select a connection reference" on:click=open>
                <Icon name="connector" class="socket-icon" />
                {move || match chosen() {
                    None => view! { <span class="socket-name muted">"Select a connection reference"</span> }.into_any(),
                    Some(Ok(r)) => view! {
                        <span class="socket-name">{r.display_name.clone()}</span>
                        <span class="socket-logical">{r.logical_name.clone()}</span>
                        {match r.connection.as_ref() {
                            Some(b) => view! { <StatusBadge status=b.status /> }.into_any(),
                            None => view! { <span class="status-badge bad">"No connection"</span> }.into_any(),
                        }}
                    }.into_any(),
                    Some(Err(name)) => view! {
                        <span class="socket-name">{name}</span>
                        <span class="status-badge bad">{move || format!("Not in {}", c.env_name())}</span>
                    }.into_any(),
                }}
            </button>
        </div>
    }
}

/// "Select a connection reference": the compatible references of the current environment and
/// "Add new connection reference".
#[component]
pub fn ReferencePicker() -> impl IntoView {
    let d = use_designer();
    let c = d.cloud;
    move || {
        let req = c.picker.get()?;
        let connector = req.connector.clone();
        let close = Callback::new(move |()| c.picker.set(None));
        let pick = req.on_pick;
        let selected = req.selected.clone();
        let conn2 = connector.clone();
        let list = move || {
            c.references.with(|l| match l {
                Load::Ready(list) => Load::Ready(
                    list.iter()
                        .filter(|r| r.connector_id == conn2)
                        .cloned()
                        .collect::<Vec<_>>(),
                ),
                Load::Failed(e) => Load::Failed(e.clone()),
                Load::Idle => Load::Idle,
                Load::Loading => Load::Loading,
            })
        };
        let connector_name = connector_name(d, &connector);
        let add = {
            let connector = connector.clone();
            let pick = pick.clone();
            move |_| {
                c.picker.set(None);
                c.add_reference.set(Some(AddReferenceRequest {
                    connector: connector.clone(),
                    prompt: None,
                    fixed: None,
                    on_done: {
                        let pick = pick.clone();
                        Arc::new(move |r: ConnectionReference| pick(r.logical_name))
                    },
                }));
            }
        };
        let env = c.env_name_untracked();
        Some(view! {
            <Modal title="Select a connection reference"
                subtitle=format!("Compatible with {connector_name}, in {env}")
                on_close=close class="picker-dialog">
                <div class="dialog-body">
                    {move || match list() {
                        Load::Ready(refs) if refs.is_empty() => view! {
                            <p class="empty-state">"No connection reference for this connector in this environment yet. Add one to use its actions."</p>
                        }.into_any(),
                        Load::Ready(refs) => {
                            let selected = selected.clone();
                            view! {
                                <ul class="choice-list" role="listbox" aria-label="Connection references" on:keydown=move_between_options>
                                    {refs.into_iter().map(|r| {
                                        let is_sel = selected.as_deref() == Some(r.logical_name.as_str());
                                        let (n1, n2) = (r.logical_name.clone(), r.logical_name.clone());
                                        let pick = pick.clone();
                                        let choose = move |name: String| { pick(name); c.picker.set(None); };
                                        let choose2 = choose.clone();
                                        view! {
                                            <li role="option" tabindex="0" aria-selected=is_sel.to_string()
                                                aria-label=format!("{} ({})", r.display_name, r.logical_name)
                                                class="choice" class:selected=is_sel
                                                on:click=move |_| choose(n1.clone())
                                                on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" || ev.key() == " " {
                                                    ev.prevent_default(); choose2(n2.clone());
                                                }>
                                                <Icon name="connector" class="choice-icon" />
                                                <div class="choice-main">
                                                    <div class="choice-title">{r.display_name.clone()}<span class="mono muted">{r.logical_name.clone()}</span></div>
                                                    {match r.connection.clone() {
                                                        Some(b) => view! {
                                                            <div class="choice-sub">
                                                                <span>{b.display_name.clone()}</span>
                                                                <StatusBadge status=b.status />
                                                                <span class="muted">{format!("Owner: {}", b.owner)}</span>
                                                                {(!b.usable).then(|| view! { <span class="muted">"(not shared with you)"</span> })}
                                                            </div>
                                                        }.into_any(),
                                                        None => view! { <div class="choice-sub"><span class="status-badge bad">"No connection"</span></div> }.into_any(),
                                                    }}
                                                </div>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                        Load::Failed(e) => view! {
                            <p class="form-error" role="alert">{e}</p>
                            <button type="button" class="link" on:click=move |_| c.load_references()>"Try again"</button>
                        }.into_any(),
                        _ => view! { <p class="muted loading">"Loading connection references…"</p> }.into_any(),
                    }}
                    <footer class="dialog-foot">
                        <button type="button" class="secondary-action" on:click=add>
                            <Icon name="plus" />"Add new connection reference"
                        </button>
                        <button type="button" on:click=move |_| close.run(())>"Cancel"</button>
                    </footer>
                </div>
            </Modal>
        })
    }
}

/// Up and Down move between the options of a listbox (Tab leaves it).
fn move_between_options(ev: leptos::ev::KeyboardEvent) {
    let delta = match ev.key().as_str() {
        "ArrowDown" => 1,
        "ArrowUp" => -1,
        _ => return,
    };
    ev.prevent_default();
    let Some(list) = ev
        .current_target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
    else {
        return;
    };
    let options = crate::modal::focusables(&list);
    let active = crate::modal::active_element();
    let at = options
        .iter()
        .position(|o| active.as_ref() == Some(o))
        .unwrap_or(0) as i32;
    let next = (at + delta).clamp(0, options.len() as i32 - 1) as usize;
    if let Some(o) = options.get(next) {
        let _ = o.focus();
    }
}

fn connector_name(d: Designer, connector: &str) -> String {
    d.cloud
        .details
        .with_untracked(|m| {
            m.get(connector)
                .and_then(|l| l.ready().map(|x| x.name.clone()))
        })
        .unwrap_or_else(|| connector.to_string())
}

/// A logical name for a new reference, with a random suffix.
fn suggest_logical_name(connector: &str) -> String {
    new_logical_name(connector, (js_sys::Math::random() * 65536.0) as u16)
}

/// Which way the new reference gets its connection.
#[derive(Clone, Copy, PartialEq)]
enum Source {
    Existing,
    New,
}

/// "Add new connection reference".
#[component]
pub fn AddReferenceDialog() -> impl IntoView {
    let d = use_designer();
    let c = d.cloud;
    move || {
        let req = c.add_reference.get()?;
        Some(view! { <AddReferenceBody req=req /> })
    }
}

#[component]
fn AddReferenceBody(req: AddReferenceRequest) -> impl IntoView {
    let d = use_designer();
    let c = d.cloud;
    let connector = req.connector.clone();
    let detail = RwSignal::new(Load::<Arc<ConnectorDetail>>::Loading);
    let connections = RwSignal::new(Load::<Vec<ConnectionSummary>>::Loading);
    {
        let connector1 = connector.clone();
        spawn_local(async move {
            let connector = connector1;
            detail.set(match c.fetch_detail(d, &connector).await {
                Ok(x) => Load::Ready(x),
                Err(e) => Load::Failed(e),
            });
        });
        let connector = connector.clone();
        spawn_local(async move {
            let got = api::get::<Vec<ConnectionSummary>>(&format!(
                "/api/connections?connector={}",
                seg(&connector)
            ))
            .await;
            connections.set(match got {
                Ok(list) => Load::Ready(list),
                Err(e) => Load::Failed(e.message),
            });
        });
    }
    let cname = connector_name(d, &connector);
    let fixed = req.fixed.clone();
    let display = RwSignal::new(
        fixed
            .as_ref()
            .map_or_else(|| cname.clone(), |f| f.display_name.clone()),
    );
    let logical = RwSignal::new(fixed.as_ref().map_or_else(
        || suggest_logical_name(&connector),
        |f| f.logical_name.clone(),
    ));
    let is_fixed = fixed.is_some();
    let exists = fixed.as_ref().is_some_and(|f| f.exists);
    let source = RwSignal::new(None::<Source>);
    let chosen_connection = RwSignal::new(None::<String>);
    let conn_name = RwSignal::new(String::new());
    let set_name = RwSignal::new(None::<String>);
    let values = RwSignal::new(BTreeMap::<String, String>::new());
    let error = RwSignal::new(None::<String>);
    let show_errors = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // Default: wrap an existing connection when there is one, else create one.
    Effect::new(move |_| {
        if source.get_untracked().is_none() {
            if let Load::Ready(list) = connections.get() {
                source.set(Some(if list.is_empty() {
                    Source::New
                } else {
                    Source::Existing
                }));
                if let Some(first) = list
                    .iter()
                    .find(|x| x.status == ConnectionStatus::Connected)
                    .or(list.first())
                {
                    chosen_connection.set(Some(first.id.clone()));
                }
            }
        }
    });
    Effect::new(move |_| {
        if let Load::Ready(x) = detail.get() {
            if conn_name.get_untracked().is_empty() {
                conn_name.set(format!("{} connection", x.name));
            }
            if !is_fixed && display.get_untracked() == connector_of_placeholder(&x.id) {
                display.set(x.name.clone());
            }
        }
    });
    let close = Callback::new(move |()| c.add_reference.set(None));
    let taken = move |name: &str| {
        c.references.with_untracked(|l| {
            l.ready()
                .is_some_and(|l| l.iter().any(|r| r.logical_name == name))
        })
    };
    let logical_error = move || {
        let l = logical.get();
        if !valid_logical_name(l.trim()) {
            Some("3–64 letters, digits or _, starting with a letter".to_string())
        } else if !is_fixed && taken(l.trim()) {
            Some(format!(
                "{} is already used in {}",
                l.trim(),
                c.env_name_untracked()
            ))
        } else {
            None
        }
    };
    let display_error = move || {
        display
            .with(|s| s.trim().is_empty())
            .then(|| "Enter a display name".to_string())
    };
    let params = move || -> Vec<ConnectionParameter> {
        detail.with(|l| {
            l.ready()
                .and_then(|x| {
                    x.parameter_set(set_name.get().as_deref())
                        .map(|s| s.parameters.clone())
                })
                .unwrap_or_default()
        })
    };
    let field_error = move |p: &ConnectionParameter| -> Option<String> {
        let v = values.with(|m| m.get(&p.name).cloned().unwrap_or_default());
        match p.kind {
            ConnectionParameterKind::String
            | ConnectionParameterKind::SecureString
            | ConnectionParameterKind::Int
                if p.required && v.trim().is_empty() && p.default.is_none() =>
            {
                Some(format!("“{}” is required", p.display_name))
            }
            ConnectionParameterKind::Int
                if !v.trim().is_empty() && v.trim().parse::<i64>().is_err() =>
            {
                Some("Enter a whole number".into())
            }
            _ => None,
        }
    };
    let form_errors = move || {
        let mut n = usize::from(logical_error().is_some()) + usize::from(display_error().is_some());
        match source.get() {
            Some(Source::Existing) => n += usize::from(chosen_connection.get().is_none()),
            Some(Source::New) => {
                n += usize::from(conn_name.with(|s| s.trim().is_empty()));
                n += params()
                    .iter()
                    .filter(|p| !p.hidden && field_error(p).is_some())
                    .count();
            }
            None => n += 1,
        }
        n
    };
    let connector2 = connector.clone();
    let on_done = req.on_done;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if form_errors() > 0 {
            show_errors.set(true);
            return;
        }
        busy.set(true);
        error.set(None);
        let connector = connector2.clone();
        let Some(env) = c.env.get_untracked() else {
            busy.set(false);
            error.set(Some("You belong to no environment yet.".into()));
            return;
        };
        let src = source.get_untracked();
        let new_conn = (src == Some(Source::New)).then(|| {
            let fields = params();
            NewConnection {
                connector_id: connector.clone(),
                display_name: conn_name.get_untracked().trim().to_string(),
                parameter_set: set_name.get_untracked(),
                values: values
                    .get_untracked()
                    .into_iter()
                    .filter(|(k, v)| {
                        !v.is_empty() && fields.iter().any(|p| p.name == *k && !p.hidden)
                    })
                    .map(|(k, v)| (k, serde_json::Value::String(v)))
                    .collect(),
            }
        });
        let existing = chosen_connection.get_untracked();
        let body = NewConnectionReference {
            display_name: display.get_untracked().trim().to_string(),
            connector_id: connector,
            logical_name: Some(logical.get_untracked().trim().to_string()),
            connection_id: None,
        };
        let on_done = on_done.clone();
        spawn_local(async move {
            let mut body = body;
            let mut created = None;
            if let Some(nc) = new_conn {
                match api::post::<_, ConnectionSummary>("/api/connections", &nc).await {
                    Ok(conn) => {
                        body.connection_id = Some(conn.id.clone());
                        created = Some(conn);
                    }
                    Err(e) => {
                        busy.set(false);
                        return error.set(Some(format!("The connection was not created: {e}")));
                    }
                }
            } else {
                body.connection_id = existing;
            }
            let got = if exists {
                let path = format!(
                    "/api/environments/{}/references/{}",
                    seg(&env),
                    seg(body.logical_name.as_deref().unwrap_or_default())
                );
                let update = ConnectionReferenceUpdate {
                    connection_id: Some(body.connection_id.clone()),
                    ..Default::default()
                };
                api::patch::<_, ConnectionReference>(&path, &update).await
            } else {
                let path = format!("/api/environments/{}/references", seg(&env));
                api::post::<_, ConnectionReference>(&path, &body).await
            };
            match got {
                Ok(r) => {
                    if let Some(conn) = created {
                        c.upsert_connection(conn);
                    }
                    c.upsert_reference(r.clone());
                    c.remember_used(&r.connector_id, &r.logical_name);
                    busy.set(false);
                    c.add_reference.set(None);
                    on_done(r);
                }
                Err(e) => {
                    // Nothing half-made stays behind: remove the connection made for it.
                    if let Some(conn) = created {
                        let _ = api::delete(&format!("/api/connections/{}", seg(&conn.id))).await;
                    }
                    busy.set(false);
                    error.set(Some(format!(
                        "The connection reference was not created: {e}"
                    )));
                }
            }
        });
    };
    let subtitle = match (&req.prompt, &fixed) {
        (Some(p), _) => p.clone(),
        (None, Some(f)) => format!(
            "Connection reference {} ({}) for {cname}, in {}",
            f.display_name,
            f.logical_name,
            c.env_name_untracked()
        ),
        (None, None) => format!("For {cname}, in {}", c.env_name_untracked()),
    };
    let title = if is_fixed {
        "Bind connection reference"
    } else {
        "Add new connection reference"
    };
    let err_if = move |e: Option<String>| if show_errors.get() { e } else { None };
    view! {
        <Modal title=title subtitle=subtitle on_close=close class="add-reference">
            <form class="dialog-body" on:submit=submit>
                <div class="field" class:invalid=move || err_if(display_error()).is_some()>
                    <div class="label-row"><label for="ref-display">"Display name"</label><span class="req" title="Required">"*"</span></div>
                    <input id="ref-display" type="text" autocomplete="off" aria-required="true" readonly=exists
                        aria-invalid=move || err_if(display_error()).is_some().to_string()
                        prop:value=move || display.get() on:input=move |ev| display.set(event_target_value(&ev)) />
                    <p class="field-error" role="alert">{move || err_if(display_error())}</p>
                </div>
                <div class="field" class:invalid=move || logical_error().is_some()>
                    <label for="ref-logical">"Logical name"</label>
                    <input id="ref-logical" type="text" class="mono" autocomplete="off" spellcheck="false" readonly=is_fixed
                        aria-describedby="ref-logical-help" aria-invalid=move || logical_error().is_some().to_string()
                        prop:value=move || logical.get() on:input=move |ev| logical.set(event_target_value(&ev)) />
                    <p class="help" id="ref-logical-help">"Flows name the reference by this; it stays the same in every environment."</p>
                    <p class="field-error" role="alert">{logical_error}</p>
                </div>
                <fieldset class="field source-choice">
                    <legend>"Connection"</legend>
                    <label class="radio"><input type="radio" name="ref-source"
                        prop:checked=move || source.get() == Some(Source::Existing)
                        on:change=move |_| source.set(Some(Source::Existing)) />"Use an existing connection"</label>
                    <label class="radio"><input type="radio" name="ref-source"
                        prop:checked=move || source.get() == Some(Source::New)
                        on:change=move |_| source.set(Some(Source::New)) />"Create a new connection"</label>
                </fieldset>
                {move || match source.get() {
                    Some(Source::Existing) => view! { <ExistingConnections connections=connections chosen=chosen_connection show_errors=show_errors /> }.into_any(),
                    Some(Source::New) => view! { <NewConnectionFields detail=detail conn_name=conn_name set_name=set_name values=values show_errors=show_errors /> }.into_any(),
                    None => view! { <p class="muted loading">"Loading connections…"</p> }.into_any(),
                }}
                <p class="form-error" role="alert">{move || error.get()}</p>
                <footer class="dialog-foot">
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || if busy.get() { "Saving…" } else if is_fixed { "Bind" } else { "Create" }}
                    </button>
                    <button type="button" on:click=move |_| close.run(())>"Cancel"</button>
                </footer>
            </form>
        </Modal>
    }
}

/// The connector's id is shown until its display name is known.
fn connector_of_placeholder(id: &str) -> String {
    id.to_string()
}

/// The compatible connections the user may use, as radio options.
#[component]
fn ExistingConnections(
    connections: RwSignal<Load<Vec<ConnectionSummary>>>,
    chosen: RwSignal<Option<String>>,
    show_errors: RwSignal<bool>,
) -> impl IntoView {
    move || {
        match connections.get() {
        Load::Ready(list) if list.is_empty() => view! {
            <p class="empty-state">"You have no connection for this connector yet, and none is shared with you. Choose “Create a new connection”."</p>
        }.into_any(),
        Load::Ready(list) => view! {
            <div class="choice-list" role="radiogroup" aria-label="Existing connections">
                {list.into_iter().map(|x| {
                    let id = x.id.clone();
                    let id2 = x.id.clone();
                    view! {
                        <label class="choice">
                            <input type="radio" name="ref-connection"
                                prop:checked=move || chosen.get().as_deref() == Some(id.as_str())
                                on:change=move |_| chosen.set(Some(id2.clone())) />
                            <div class="choice-main">
                                <div class="choice-title">{x.display_name.clone()}</div>
                                <div class="choice-sub">
                                    <StatusBadge status=x.status />
                                    <span class="muted">{if x.is_mine { "Yours".to_string() } else { format!("Shared by {}", x.owner.display_name) }}</span>
                                </div>
                            </div>
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" role="alert">{move || (show_errors.get() && chosen.get().is_none()).then_some("Choose a connection")}</p>
            </div>
        }.into_any(),
        Load::Failed(e) => view! { <p class="form-error" role="alert">{format!("Connections could not be loaded: {e}")}</p> }.into_any(),
        _ => view! { <p class="muted loading">"Loading connections…"</p> }.into_any(),
    }
    }
}

/// The fields of a new connection: its name, the way to authenticate (when the connector offers
/// several) and that way's parameters. Secret fields are password inputs; they go to the proxy
/// once and never come back.
#[component]
fn NewConnectionFields(
    detail: RwSignal<Load<Arc<ConnectorDetail>>>,
    conn_name: RwSignal<String>,
    set_name: RwSignal<Option<String>>,
    values: RwSignal<BTreeMap<String, String>>,
    show_errors: RwSignal<bool>,
) -> impl IntoView {
    move || match detail.get() {
        Load::Ready(x) => {
            let sets = x.connection_parameter_sets.clone();
            let multi = sets.len() > 1;
            let x2 = x.clone();
            view! {
                <div class="field" class:invalid=move || show_errors.get() && conn_name.with(|s| s.trim().is_empty())>
                    <label for="conn-name">"Connection name"</label>
                    <input id="conn-name" type="text" autocomplete="off"
                        prop:value=move || conn_name.get() on:input=move |ev| conn_name.set(event_target_value(&ev)) />
                </div>
                {multi.then(|| view! {
                    <div class="field">
                        <label for="conn-set">"Authentication type"</label>
                        <select id="conn-set" on:change=move |ev| { set_name.set(Some(event_target_value(&ev))); values.set(BTreeMap::new()); }>
                            {sets.iter().map(|s| view! { <option value=s.name.clone()>{s.display_name.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                {move || {
                    let set = x2.parameter_set(set_name.get().as_deref()).cloned();
                    let Some(set) = set else {
                        return view! { <p class="muted">"This connector needs no connection settings."</p> }.into_any();
                    };
                    let visible: Vec<ConnectionParameter> = set.parameters.into_iter().filter(|p| !p.hidden && p.kind != ConnectionParameterKind::Unsupported).collect();
                    if visible.is_empty() {
                        return view! { <p class="muted">"This connection needs no settings."</p> }.into_any();
                    }
                    visible.into_iter().map(|p| view! { <ConnectionField p=p values=values show_errors=show_errors /> }).collect_view().into_any()
                }}
            }.into_any()
        }
        Load::Failed(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
        _ => view! { <p class="muted loading">"Loading the connector…"</p> }.into_any(),
    }
}

#[component]
fn ConnectionField(
    p: ConnectionParameter,
    values: RwSignal<BTreeMap<String, String>>,
    show_errors: RwSignal<bool>,
) -> impl IntoView {
    let id = format!("conn-field-{}", p.name);
    let name = p.name.clone();
    let n2 = p.name.clone();
    let value = move || values.with(|m| m.get(&name).cloned().unwrap_or_default());
    let set = move |v: String| values.update(|m| drop(m.insert(n2.clone(), v)));
    let required = p.required && p.default.is_none();
    let value_m = value.clone();
    let missing =
        Signal::derive(move || show_errors.get() && required && value_m().trim().is_empty());
    let control = match p.kind {
        ConnectionParameterKind::Oauth => view! {
            <p class="help">"You sign in to the service once the connection is created; until then it shows “Needs sign-in”."</p>
        }.into_any(),
        ConnectionParameterKind::Bool => {
            let value = value.clone();
            view! {
                <input id=id.clone() type="checkbox" prop:checked=move || value() == "true"
                    on:change=move |ev| set(if event_target_checked(&ev) { "true".into() } else { "false".into() }) />
            }.into_any()
        }
        _ if !p.allowed_values.is_empty() => {
            let value = value.clone();
            view! {
                <select id=id.clone() on:change=move |ev| set(event_target_value(&ev))>
                    <option value="">"Choose…"</option>
                    {p.allowed_values.iter().map(|o| {
                        let (o1, o2) = (o.clone(), o.clone());
                        let value = value.clone();
                        view! { <option value=o1 selected=move || value() == o2>{o.clone()}</option> }
                    }).collect_view()}
                </select>
            }.into_any()
        }
        kind => {
            let value = value.clone();
            let secret = kind == ConnectionParameterKind::SecureString;
            view! {
                <input id=id.clone() type=if secret { "password" } else if kind == ConnectionParameterKind::Int { "number" } else { "text" }
                    autocomplete=if secret { "new-password" } else { "off" } spellcheck="false"
                    aria-required=required.to_string() aria-invalid=move || missing.get().to_string()
                    placeholder=p.default.clone().unwrap_or_default()
                    prop:value=value on:input=move |ev| set(event_target_value(&ev)) />
            }.into_any()
        }
    };
    let label = p.display_name.clone();
    view! {
        <div class="field" class:invalid=move || missing.get()>
            <div class="label-row">
                <label for=id.clone()>{p.display_name.clone()}</label>
                {required.then(|| view! { <span class="req" title="Required">"*"</span> })}
            </div>
            {control}
            {(!p.description.is_empty()).then(|| view! { <p class="help">{p.description.clone()}</p> })}
            <p class="field-error" role="alert">{move || missing.get().then(|| format!("“{label}” is required"))}</p>
        </div>
    }
}
