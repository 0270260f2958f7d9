//! The action dialog: a modal named after the action, its fields ("Parameters", "Advanced"),
//! "Variables produced" and "On error". The fields' checks and what Save dispatches (one insert,
//! or one configure + rebind) are the model's `draft`; this module wires them to the view.

mod fields;
mod on_error;
mod outputs;

use crate::connect::{ConnectorInputs, SocketButton};
use crate::icons::Icon;
use crate::modal::Modal;
use crate::platform::{focus_canvas, focus_first};
use crate::state::{use_designer, DialogTarget};
use crate::text::{is_number, lower, upper};
use fields::{field, Fields};
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::catalog::{ActionDef, Param, Visibility};
use plugboard_model::draft::{unique_outputs, variable_names, Draft};
use plugboard_model::flow::Step;
use plugboard_model::references::connector_of;
use wasm_bindgen::JsCast;

/// `s` with its first letter in upper case (an output's name as its label).
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        upper(f.encode_utf8(&mut [0; 4])) + c.as_str()
    })
}

/// The form an event's handler sits on (the handlers below are on the dialog's form).
fn form_of(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.current_target().map(JsCast::unchecked_into)
}

/// The open dialog, if any.
#[component]
pub fn ActionDialog() -> impl IntoView {
    let d = use_designer();
    move || {
        let target = d.dialog.get()?;
        let (step, is_new) = match &target {
            DialogTarget::New { step, .. } => {
                let mut s = step.clone();
                d.editor
                    .with_untracked(|e| unique_outputs(e.flow(), &mut s));
                (s, true)
            }
            DialogTarget::Existing { id } => (
                d.editor.with_untracked(|e| e.flow().step(*id).cloned())?,
                false,
            ),
        };
        d.catalog_rev.track();
        let Some(def) = d.catalog.with_value(|c| c.get(&step.action).cloned()) else {
            // A connector action opens once its connector's definition is here.
            if let Some((connector, _)) = connector_of(&step.action) {
                d.cloud.ensure_detail(connector);
            }
            return None;
        };
        Some(view! { <DialogBody target=target step=step def=def is_new=is_new /> })
    }
}

#[component]
fn DialogBody(target: DialogTarget, step: Step, def: ActionDef, is_new: bool) -> impl IntoView {
    let d = use_designer();
    let draft = Draft::of(&step, &def);
    let inputs = RwSignal::new(draft.inputs);
    let outputs = RwSignal::new(draft.outputs);
    let on_error = RwSignal::new(draft.on_error);
    let on_error_open = RwSignal::new(draft.on_error_open);
    let reference = RwSignal::new(draft.reference);
    let show_errors = RwSignal::new(false);
    let advanced_open = RwSignal::new(false);
    let connector = connector_of(&step.action).map(|(c, op)| (c.to_string(), op.to_string()));
    let connector_sv = StoredValue::new(connector.clone());
    let def = StoredValue::new(def);
    let variables = Memo::new(move |_| d.editor.with(|e| variable_names(e.flow(), lower)));

    let close = move || {
        d.dialog.set(None);
        // Give focus back to the canvas so the keyboard path continues.
        focus_canvas();
    };

    let errors = Memo::new(move |_| {
        inputs.with(|i| outputs.with(|o| def.with_value(|def| Draft::errors(i, o, def, is_number))))
    });

    let target = StoredValue::new(target);
    // `form` is the dialog's form, the current target of the event that saves (no node ref:
    // one more element type's reference code in the wasm).
    let save = move |form: Option<web_sys::Element>| {
        if !errors.with(|e| e.is_empty()) {
            show_errors.set(true);
            // Open Advanced when an error hides there, then focus the first invalid field.
            let advanced_err = def.with_value(|def| {
                def.params.iter().any(|p| {
                    p.visibility == Visibility::Advanced
                        && errors.with_untracked(|e| e.inputs.contains_key(&p.name))
                })
            });
            if advanced_err {
                advanced_open.set(true);
            }
            if let Some(form) = form {
                request_animation_frame(move || focus_first(&form, "[aria-invalid=true]"));
            }
            return;
        }
        let draft = Draft {
            inputs: inputs.get_untracked(),
            outputs: outputs.get_untracked(),
            on_error: on_error.get_untracked(),
            on_error_open: on_error_open.get_untracked(),
            reference: reference.get_untracked(),
        };
        let name = def.with_value(|d| d.name.clone());
        if let (Some((c, _)), Some(r)) = (connector_sv.get_value(), &draft.reference) {
            d.cloud.remember_used(&c, r);
        }
        match target.get_value() {
            DialogTarget::New { step, at } => {
                let id = step.id;
                let cmd = def.with_value(|def| draft.insert(def, step, at));
                if d.dispatch(&format!("Add {name}"), cmd) {
                    d.select_only(id);
                }
            }
            DialogTarget::Existing { id } => {
                let cmd = d
                    .editor
                    .with_untracked(|e| def.with_value(|def| draft.edit(def, e.flow(), id)));
                if let Some(cmd) = cmd {
                    d.dispatch(&format!("Edit {name}"), cmd);
                }
            }
        }
        close();
    };

    // What a connector action's inputs need from its connector's definition.
    let info = StoredValue::new(
        connector
            .as_ref()
            .and_then(|(c, op)| ConnectorInputs::new(d.cloud, c, op)),
    );
    let f = Fields {
        inputs,
        errors,
        show_errors,
        variables,
        reference,
    };
    let field = move |p: Param| {
        let dynamic = info.with_value(|i| i.as_ref().and_then(|i| i.dynamic(&p.name)));
        field(f, p, dynamic)
    };

    let (mut important, advanced): (Vec<Param>, Vec<Param>) = def.with_value(|d| {
        d.params
            .iter()
            .cloned()
            .partition(|p| p.visibility == Visibility::Important)
    });
    info.with_value(|i| {
        if let Some(i) = i {
            i.order(&mut important);
        }
    });
    let has_advanced = !advanced.is_empty();
    let title = def.with_value(|d| d.name.clone());
    let desc = def.with_value(|d| d.description.clone());
    let icon = d.catalog.with_value(|c| {
        def.with_value(|a| {
            c.categories
                .iter()
                .find(|k| k.name == a.category)
                .map(|k| k.icon.clone())
                .unwrap_or_default()
        })
    });
    let brand = info.with_value(|i| i.as_ref().map(ConnectorInputs::brand));
    let out_defs = def.with_value(|d| d.outputs.clone());
    let no_params = important.is_empty() && advanced.is_empty();
    let lead = move || {
        match brand.clone() {
        Some((color, initial)) => view! { <span class="brand-badge big" style:background=color aria-hidden="true">{initial}</span> }.into_any(),
        None => view! { <Icon name=icon.clone() class="cat-icon big" /> }.into_any(),
    }
    };

    view! {
        <Modal title=title subtitle=desc on_close=Callback::new(move |()| close())
            lead=lead focus_primary=true keep_focus_on_close=true>
            <form class="dialog-body"
                on:submit=move |ev| { ev.prevent_default(); save(form_of(&ev)); }
                on:keydown=move |ev: ev::KeyboardEvent| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); save(form_of(&ev)); }
                }>
                {connector.clone().map(|(c, _)| view! { <SocketButton connector=c selected=reference /> })}
                {no_params.then(|| view! { <p class="muted">"This action has no parameters."</p> })}
                {(!important.is_empty()).then(|| view! { <h3>"Parameters"</h3> })}
                {important.into_iter().map(field).collect_view()}
                {has_advanced.then(|| view! {
                    <button type="button" class="disclosure" aria-expanded=move || advanced_open.get().to_string()
                        on:click=move |_| advanced_open.update(|o| *o = !*o)>
                        <Icon name="chevron" class="chevron" />"Advanced"
                    </button>
                })}
                <div class="advanced" hidden=move || !advanced_open.get()>
                    {advanced.into_iter().map(field).collect_view()}
                </div>
                {outputs::section(out_defs, outputs, errors, show_errors)}
                {on_error::section(on_error, on_error_open)}
                <footer class="dialog-foot">
                    {is_new.then(|| view! { <span class="muted hint">"Ctrl+Enter saves"</span> })}
                    <button type="submit" class="primary">"Save"</button>
                    <button type="button" on:click=move |_| close()>"Cancel"</button>
                </footer>
            </form>
        </Modal>
    }
}
