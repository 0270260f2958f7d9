//! Connection references in a connector action's dialog: what its inputs take from the
//! connector's definition, the socket button and "Select a connection reference"; "Add new
//! connection reference" is in `add_reference`, the lists of values a service gives an input
//! in `dynamic`.

use crate::cloud::{Cloud, Load};
use crate::icons::Icon;
use crate::markup;
use crate::modal::Modal;
use crate::platform::{active_element, focusables};
use crate::state::{use_designer, AddReferenceRequest, Designer, PickerRequest};
use leptos::prelude::*;
use plugboard_model::catalog::Param;
use plugboard_model::connector::{
    ApiVisibility, ConnectionReference, ConnectionStatus, ConnectorDetail, ParamBinding,
};
use plugboard_model::execute::dynamic::DynamicValues;

mod add_reference;
mod connection_fields;
mod dynamic;
mod sign_in;
mod test_connection;
pub use add_reference::AddReferenceDialog;
pub use dynamic::{DynamicSource, DynamicValuesList};
use std::sync::Arc;

/// What a connector action's dialog takes from its connector's definition: the order of the
/// inputs, where listed values come from, the brand.
pub struct ConnectorInputs {
    detail: Arc<ConnectorDetail>,
    operation: String,
}

impl ConnectorInputs {
    /// When the connector's definition is here.
    pub fn new(c: Cloud, connector: &str, operation: &str) -> Option<Self> {
        let detail = c.detail(connector).ready().cloned()?;
        Some(ConnectorInputs {
            detail,
            operation: operation.to_string(),
        })
    }

    fn bindings(&self) -> &[ParamBinding] {
        self.detail
            .action(&self.operation)
            .map_or(&[], |a| a.bindings.as_slice())
    }

    /// Inputs the connector marks `important` (`x-ms-visibility`) first, then the required ones,
    /// as Power Automate lays them out.
    pub fn order(&self, params: &mut [Param]) {
        let b = self.bindings();
        plugboard_model::order::sort_by_rank(params, |p| {
            let marked = b
                .iter()
                .any(|b| b.name == p.name && b.visibility == ApiVisibility::Important);
            u64::from(!marked) * 2 + u64::from(!p.required)
        });
    }

    /// Where an input's values come from when the service lists them (`x-ms-dynamic-values`);
    /// `None` also when the extension is malformed (the input is then typed only).
    pub fn dynamic(&self, name: &str) -> Option<DynamicSource> {
        let raw = self
            .bindings()
            .iter()
            .find(|b| b.name == name)?
            .dynamic_values
            .as_ref()?;
        let values = DynamicValues::parse(raw).ok()?;
        let x = &self.detail;
        let from = x
            .action(&values.operation_id)
            .map_or_else(|| values.operation_id.clone(), |a| a.def.name.clone());
        Some(DynamicSource {
            connector: x.id.clone(),
            values,
            from: format!("“{from}” of {}", x.name),
        })
    }

    /// The brand colour and the initial the dialog's badge shows.
    pub fn brand(&self) -> (String, String) {
        let x = &self.detail;
        let color = if x.color.is_empty() {
            "var(--accent)".to_string()
        } else {
            x.color.clone()
        };
        (
            color,
            x.name.chars().next().map(String::from).unwrap_or_default(),
        )
    }
}

/// "Connected", "Needs sign-in" or "Error", as a small badge.
#[component]
pub fn StatusBadge(status: ConnectionStatus) -> impl IntoView {
    let (class, text) = badge(status);
    view! { <span class=format!("status-badge {class}")>{text}</span> }
}

/// A status badge as markup (see `markup`).
pub fn badge_markup(out: &mut String, status: ConnectionStatus) {
    let class = match status {
        ConnectionStatus::Connected => "status-badge ok",
        ConnectionStatus::NeedsSignIn => "status-badge warn",
        ConnectionStatus::Error => "status-badge bad",
    };
    markup::span(out, class, badge(status).1);
}

/// A status badge's class and text.
fn badge(status: ConnectionStatus) -> (&'static str, &'static str) {
    match status {
        ConnectionStatus::Connected => ("ok", "Connected"),
        ConnectionStatus::NeedsSignIn => ("warn", "Needs sign-in"),
        ConnectionStatus::Error => ("bad", "Error"),
    }
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
        d.picker.set(Some(PickerRequest {
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
        let req = d.picker.get()?;
        let connector = req.connector.clone();
        let close = Callback::new(move |()| d.picker.set(None));
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
                d.picker.set(None);
                d.add_reference.set(Some(AddReferenceRequest {
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
                            // Options are markup (see `lists`): the list finds the one chosen.
                            let markup = options_markup(&refs, selected.as_deref());
                            let names = StoredValue::new(refs.into_iter().map(|r| r.logical_name).collect::<Vec<_>>());
                            let pick = pick.clone();
                            let choose = move |ev: &web_sys::Event| {
                                let Some(i) = markup::index_of(ev, "li[data-i]") else { return };
                                if let Some(name) = names.with_value(|n| n.get(i).cloned()) {
                                    pick(name);
                                    d.picker.set(None);
                                }
                            };
                            let choose2 = choose.clone();
                            view! {
                                <ul class="choice-list" role="listbox" aria-label="Connection references" inner_html=markup
                                    on:click=move |ev| choose(&ev)
                                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" || ev.key() == " " {
                                        ev.prevent_default(); choose2(&ev);
                                    } else {
                                        move_between_options(ev)
                                    }></ul>
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

/// The picker's options: each reference with its connection, the connection's status and owner.
fn options_markup(refs: &[ConnectionReference], selected: Option<&str>) -> String {
    let mut icon = String::new();
    markup::icon(&mut icon, "connector", "choice-icon");
    let mut out = String::new();
    for (i, r) in refs.iter().enumerate() {
        let sel = selected == Some(r.logical_name.as_str());
        let attrs = if sel {
            r#"role="option" tabindex="0" aria-selected="true" class="choice selected""#
        } else {
            r#"role="option" tabindex="0" aria-selected="false" class="choice""#
        };
        let label = format!("{} ({})", r.display_name, r.logical_name);
        markup::item(&mut out, "li", attrs, i, Some(&label));
        out.push_str(&icon);
        markup::raw(
            &mut out,
            r#"<div class="choice-main"><div class="choice-title">"#,
        );
        markup::text(&mut out, &r.display_name);
        markup::span(&mut out, "mono muted", &r.logical_name);
        markup::raw(&mut out, r#"</div><div class="choice-sub">"#);
        match &r.connection {
            Some(b) => {
                markup::span(&mut out, "", &b.display_name);
                badge_markup(&mut out, b.status);
                markup::span(&mut out, "muted", &format!("Owner: {}", b.owner));
                if !b.usable {
                    markup::span(&mut out, "muted", "(not shared with you)");
                }
            }
            None => markup::span(&mut out, "status-badge bad", "No connection"),
        }
        markup::raw(&mut out, "</div></div></li>");
    }
    out
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
    let options = focusables(&list);
    let active = active_element();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::hostile::{assert_shown_as_text, INPUTS};
    use crate::references::tests::reference;

    #[test]
    fn the_reference_picker_shows_names_from_outside_as_text() {
        for input in INPUTS {
            let refs = [reference(input, true), reference(input, false)];
            let out = options_markup(&refs, Some(input));
            assert_shown_as_text(&out, input);
            assert!(out.contains("aria-selected=\"true\" class=\"choice selected\" data-i=\"0\""));
        }
    }
}
