//! "Add new connection reference" (and "Bind connection reference" for one the flow already
//! names): display and logical name, then "Use an existing connection" or "Create a new
//! connection" with the connector's fields. The connection and the reference are made in the
//! proxy; when the reference cannot be made, the connection made for it is removed again.

use super::connection_fields::{typed_values, ExistingConnections, NewConnectionFields};
use super::connector_name;
use super::sign_in::{self, BLOCKED};
use crate::api::{self, seg};
use crate::cloud::Load;
use crate::modal::Modal;
use crate::state::use_designer;
use crate::state::AddReferenceRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::connector::{
    new_logical_name, valid_logical_name, ConnectionParameter, ConnectionParameterKind,
    ConnectionReference, ConnectionReferenceUpdate, ConnectionStatus, ConnectionSummary,
    ConnectorDetail, NewConnection, NewConnectionReference, SignInOutcome,
};
use std::collections::BTreeMap;
use std::sync::Arc;

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
    move || {
        let req = d.add_reference.get()?;
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
            detail.set(match c.fetch_detail(&connector).await {
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
    // A new OAuth connection's reference is made; its sign-in runs in the popup.
    let signing = RwSignal::new(None::<(ConnectionReference, String)>);
    let sign_error = RwSignal::new(None::<String>);
    let finished = StoredValue::new(false);
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
            // The connector's id stood in for its name until the definition arrived.
            if !is_fixed && display.get_untracked() == x.id {
                display.set(x.name.clone());
            }
        }
    });
    let close = Callback::new(move |()| d.add_reference.set(None));
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
    let on_done_signed = on_done.clone();
    let on_done_close = on_done.clone();
    sign_in::on_outcome(Callback::new(move |o: SignInOutcome| {
        let Some((r, id)) = signing.get_untracked() else {
            return;
        };
        if o.connection_id != id {
            return;
        }
        if !o.ok {
            return sign_error.set(Some(o.message));
        }
        // Told once per sign-in, even if both the message and the channel arrive.
        if finished.get_value() {
            return;
        }
        finished.set_value(true);
        let on_done = on_done_signed.clone();
        spawn_local(async move {
            sign_in::refresh_connection(c, &id).await;
            if d.add_reference.try_set(None).is_none() {
                on_done(r);
            }
        });
    }));
    let retry = move |_| {
        let Some((_, id)) = signing.get_untracked() else {
            return;
        };
        let Some(popup) = sign_in::open_popup() else {
            return sign_error.set(Some(BLOCKED.into()));
        };
        sign_error.set(None);
        spawn_local(async move {
            if let Err(e) = sign_in::start(popup, id).await {
                let _ = sign_error.try_set(Some(e));
            }
        });
    };
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
                values: values.with_untracked(|v| typed_values(&fields, v)),
            }
        });
        // The popup opens now, in the click: once the answers are in, the browser would block it.
        let oauth = new_conn.is_some()
            && params()
                .iter()
                .any(|p| p.kind == ConnectionParameterKind::Oauth);
        let popup = if oauth { sign_in::open_popup() } else { None };
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
                        if let Some(p) = &popup {
                            let _ = p.close();
                        }
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
                    if oauth {
                        let id = r.connection_id.clone().unwrap_or_default();
                        signing.set(Some((r, id.clone())));
                        let started = match popup {
                            Some(p) => sign_in::start(p, id).await,
                            None => Err(BLOCKED.into()),
                        };
                        if let Err(e) = started {
                            let _ = sign_error.try_set(Some(e));
                        }
                        return;
                    }
                    d.add_reference.set(None);
                    on_done(r);
                }
                Err(e) => {
                    if let Some(p) = &popup {
                        let _ = p.close();
                    }
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
    let close_signing = move |_| {
        if let Some((r, _)) = signing.get_untracked() {
            d.add_reference.set(None);
            on_done_close(r);
        }
    };
    let cname2 = cname.clone();
    let signing_view = move || {
        let close_signing = close_signing.clone();
        signing.get().map(|(r, _)| view! {
            <div class="dialog-body sign-in-step">
                <p role="status">{format!("Finish signing in to {} in the window that opened. The connection reference {} is made; its connection shows “Needs sign-in” until you have signed in.", cname2, r.display_name)}</p>
                <p class="form-error" role="alert">{move || sign_error.get()}</p>
                <footer class="dialog-foot">
                    <button type="button" class="primary" on:click=retry>"Sign in"</button>
                    <button type="button" on:click=close_signing>"Close"</button>
                </footer>
            </div>
        })
    };
    view! {
        <Modal title=title subtitle=subtitle on_close=close class="add-reference">
            {signing_view}
            <form class="dialog-body" on:submit=submit hidden=move || signing.with(Option::is_some)>
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
                    Some(Source::Existing) => view! { <ExistingConnections connections=connections chosen=chosen_connection show_errors=show_errors
                        testable=Signal::derive(move || detail.with(|d| d.ready().is_some_and(|x| x.test_connection.is_some()))) /> }.into_any(),
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
