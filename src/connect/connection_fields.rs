//! The connection half of "Add new connection reference": the compatible connections the user
//! may use, or the fields of a new one (secrets as password inputs, sent once, never shown).

use super::sign_in::{OAuthAppSetup, SignInButton};
use super::test_connection::TestConnection;
use crate::api::seg;
use crate::cloud::Load;
use crate::connect::StatusBadge;
use leptos::prelude::*;
use plugboard_model::connector::{
    ConnectionParameter, ConnectionParameterKind, ConnectionStatus, ConnectionSummary,
    ConnectionTestInput, ConnectorDetail,
};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The typed values worth sending: non-empty ones of the set's visible fields.
pub fn typed_values(
    params: &[ConnectionParameter],
    values: &BTreeMap<String, String>,
) -> BTreeMap<String, serde_json::Value> {
    // Inserted one by one: `collect` into a BTreeMap compiles a stable sort of its own (about
    // 4 KB of wasm).
    let mut typed = BTreeMap::new();
    for (k, v) in values {
        if !v.is_empty() && params.iter().any(|p| p.name == *k && !p.hidden) {
            typed.insert(k.clone(), serde_json::Value::String(v.clone()));
        }
    }
    typed
}

/// The compatible connections the user may use, as radio options; "Test" checks one (when the
/// connector can be tested) and shows its new status.
#[component]
pub fn ExistingConnections(
    connections: RwSignal<Load<Vec<ConnectionSummary>>>,
    chosen: RwSignal<Option<String>>,
    show_errors: RwSignal<bool>,
    /// Whether the connector declares a test operation.
    #[prop(into)]
    testable: Signal<bool>,
) -> impl IntoView {
    let d = crate::state::use_designer();
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
                    let path = format!("/api/connections/{}/test", seg(&x.id));
                    let status = RwSignal::new(x.status);
                    let on_result = Callback::new(move |r: plugboard_model::connector::ConnectionTestResult| {
                        if let Some(s) = r.connection_status {
                            if status.get_untracked() != s {
                                status.set(s);
                                // The references pane shows each reference's connection status.
                                d.cloud.load_references();
                            }
                        }
                    });
                    view! {
                        <div class="choice-row">
                            <label class="choice">
                                <input type="radio" name="ref-connection"
                                    prop:checked=move || chosen.get().as_deref() == Some(id.as_str())
                                    on:change=move |_| chosen.set(Some(id2.clone())) />
                                <div class="choice-main">
                                    <div class="choice-title">{x.display_name.clone()}</div>
                                    <div class="choice-sub">
                                        {move || view! { <StatusBadge status=status.get() /> }}
                                        <span class="muted">{if x.is_mine { "Yours".to_string() } else { format!("Shared by {}", x.owner.display_name) }}</span>
                                    </div>
                                </div>
                            </label>
                            {let id = x.id.clone(); move || (x.is_mine && status.get() == ConnectionStatus::NeedsSignIn).then(|| {
                                let on_signed_in = Callback::new(move |c: ConnectionSummary| status.set(c.status));
                                // Its sign-in was never finished or has run out: the run log says "Sign in again" too.
                                view! { <SignInButton connection=id.clone() label="Sign in again" on_signed_in=on_signed_in /> }
                            })}
                            {move || testable.get().then(|| {
                                let path = path.clone();
                                let request = Callback::new(move |()| (path.clone(), None));
                                view! { <TestConnection label="Test" request=request on_result=on_result /> }
                            })}
                        </div>
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
pub fn NewConnectionFields(
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
                    let oauth = set.parameters.iter().any(|p| p.kind == ConnectionParameterKind::Oauth);
                    let visible: Vec<ConnectionParameter> = set.parameters.into_iter().filter(|p| !p.hidden && p.kind != ConnectionParameterKind::Unsupported).collect();
                    if visible.is_empty() {
                        return view! { <p class="muted">"This connection needs no settings."</p> }.into_any();
                    }
                    view! {
                        {visible.into_iter().map(|p| view! { <ConnectionField p=p values=values show_errors=show_errors /> }).collect_view()}
                        {oauth.then(|| view! { <OAuthAppSetup connector=x2.id.clone() /> })}
                    }.into_any()
                }}
                {x.test_connection.is_some().then_some(move || {
                    // Typing or another way to connect makes an earlier outcome stale: start over.
                    values.track();
                    set_name.track();
                    // A sign-in connection has nothing typed to test before it is signed in.
                    let signs_in = x.parameter_set(set_name.get().as_deref())
                        .is_some_and(|s| s.parameters.iter().any(|p| p.kind == ConnectionParameterKind::Oauth));
                    if signs_in {
                        return None;
                    }
                    let x = x.clone();
                    let request = Callback::new(move |()| {
                        let set = set_name.get_untracked();
                        let params = x.parameter_set(set.as_deref()).map(|s| s.parameters.clone()).unwrap_or_default();
                        let values = values.with_untracked(|v| typed_values(&params, v));
                        (format!("/api/connectors/{}/test-connection", seg(&x.id)), Some(ConnectionTestInput { parameter_set: set, values }))
                    });
                    Some(view! { <TestConnection label="Test connection" request=request /> })
                })}
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
            <p class="help">"“Create” opens the service's sign-in in a new window; until you finish signing in the connection shows “Needs sign-in”."</p>
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
