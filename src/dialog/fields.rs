//! The action dialog's input fields, one control per parameter type (switch, choice, text,
//! number, variable name; a combobox when the service lists the values), with their help, their
//! error and the "{x}" variable picker.

use crate::connect::{DynamicSource, DynamicValuesList};
use crate::icons::Icon;
use crate::markup;
use leptos::ev;
use leptos::prelude::*;
use plugboard_model::catalog::{Param, ParamType};
use plugboard_model::draft::FieldErrors;
use std::collections::BTreeMap;

/// What every field of one dialog shares.
#[derive(Clone, Copy)]
pub struct Fields {
    /// Parameter name → the text in its field.
    pub inputs: RwSignal<BTreeMap<String, String>>,
    pub errors: Memo<FieldErrors>,
    /// Errors show once Save has been pressed.
    pub show_errors: RwSignal<bool>,
    /// The flow's variables, for the picker.
    pub variables: Memo<Vec<String>>,
    /// The step's connection reference (listed values are asked for through it).
    pub reference: RwSignal<Option<String>>,
}

/// The field of parameter `p`; `dynamic` says where its values come from, when the service
/// lists them.
pub fn field(f: Fields, p: Param, dynamic: Option<DynamicSource>) -> impl IntoView {
    let Fields {
        inputs,
        errors,
        show_errors,
        variables,
        reference,
    } = f;
    let help_dynamic = dynamic.as_ref().map(|d| {
        format!(
            "Values come from {}: pick one, or type one or a %variable%.",
            d.from
        )
    });
    let name = p.name.clone();
    let id = format!("param-{}", p.name);
    let help_id = format!("{id}-help");
    let err_id = format!("{id}-error");
    let n1 = name.clone();
    let value = Signal::derive(move || inputs.with(|v| v.get(&n1).cloned().unwrap_or_default()));
    let n2 = name.clone();
    let set = move |v: String| {
        inputs.update(|m| {
            m.insert(n2.clone(), v);
        })
    };
    let n3 = name.clone();
    let error = Signal::derive(move || {
        if show_errors.get() {
            errors.with(|e| e.inputs.get(&n3).cloned())
        } else {
            None
        }
    });
    let invalid = move || error.get().is_some().to_string();
    let described = if p.description.is_empty() {
        err_id.clone()
    } else {
        format!("{help_id} {err_id}")
    };
    let control = match p.ty.clone() {
        ParamType::Boolean => {
            let set = set.clone();
            view! {
                <button type="button" role="switch" class="switch" id=id.clone()
                    aria-checked=move || (value.get() == "True").to_string()
                    aria-describedby=described.clone()
                    on:click=move |_| set(if value.get_untracked() == "True" { "False".into() } else { "True".into() })>
                    <span class="knob"></span>
                </button>
            }.into_any()
        }
        ParamType::Enum { options } => {
            let set = set.clone();
            view! {
                <select id=id.clone() aria-describedby=described.clone() aria-invalid=invalid
                    prop:value=move || value.get()
                    on:change=move |ev| set(event_target_value(&ev))>
                    {options.into_iter().map(|o| {
                        let o2 = o.clone();
                        view! { <option value=o.clone() selected=move || value.get() == o2>{o.clone()}</option> }
                    }).collect_view()}
                </select>
            }.into_any()
        }
        ParamType::Text { multiline: true } => {
            let set = set.clone();
            let set_pick = set.clone();
            view! {
                <div class="with-picker">
                    <textarea id=id.clone() rows="3" aria-describedby=described.clone() aria-invalid=invalid
                        aria-required=p.required.to_string()
                        prop:value=move || value.get()
                        on:input=move |ev| set(event_target_value(&ev))></textarea>
                    <VariablePicker variables=variables on_pick=Callback::new(move |v: String| set_pick(format!("{}%{}%", value.get_untracked(), v))) />
                </div>
            }.into_any()
        }
        ty => {
            let set2 = set.clone();
            let is_var = matches!(ty, ParamType::VariableName);
            let mode = if matches!(ty, ParamType::Number) {
                "decimal"
            } else {
                "text"
            };
            // A listed input is a combobox: Down (or the button) opens the service's values.
            let open = RwSignal::new(false);
            let list_id = format!("{id}-values");
            let is_combo = dynamic.is_some();
            let list = dynamic.map(|source| {
                let set3 = set.clone();
                view! {
                    <DynamicValuesList source=source label=p.label.clone() list_id=list_id.clone()
                        inputs=inputs reference=reference open=open
                        on_pick=Callback::new(move |v: String| set3(v)) />
                }
            });
            let keys = move |ev: ev::KeyboardEvent| {
                if !is_combo {
                    return;
                }
                match ev.key().as_str() {
                    "ArrowDown" => {
                        ev.prevent_default();
                        open.set(true);
                    }
                    "Escape" if open.get_untracked() => {
                        ev.stop_propagation();
                        open.set(false);
                    }
                    _ => {}
                }
            };
            view! {
                <div class="with-picker">
                    <input type="text" id=id.clone() inputmode=mode aria-describedby=described.clone()
                        aria-invalid=invalid aria-required=p.required.to_string()
                        role=is_combo.then_some("combobox")
                        aria-autocomplete=is_combo.then_some("none")
                        aria-controls=is_combo.then_some(list_id.clone())
                        aria-expanded=move || is_combo.then(|| open.get().to_string())
                        autocomplete="off" spellcheck="false"
                        prop:value=move || value.get()
                        on:keydown=keys
                        on:input=move |ev| set(event_target_value(&ev)) />
                    {list}
                    <VariablePicker variables=variables on_pick=Callback::new(move |v: String| {
                        if is_var { set2(v) } else { set2(format!("{}%{}%", value.get_untracked(), v)) }
                    }) />
                </div>
            }.into_any()
        }
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <div class="label-row">
                <label for=id.clone()>{p.label.clone()}</label>
                {p.required.then(|| view! { <span class="req" title="Required">"*"</span> })}
            </div>
            {control}
            {(!p.description.is_empty()).then(|| view! { <p class="help" id=help_id.clone()>{p.description.clone()}</p> })}
            {help_dynamic.map(|src| view! { <p class="help dynamic"><Icon name="connector" />{src}</p> })}
            <p class="field-error" id=err_id.clone() role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A "{x}" button listing the flow's variables; picking one inserts it.
#[component]
fn VariablePicker(
    /// Variable names to offer.
    #[prop(into)]
    variables: Signal<Vec<String>>,
    /// Called with the picked variable name.
    on_pick: Callback<String>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    // Options are markup (see `lists`): the list finds the one picked.
    let pick = move |ev: &web_sys::Event| {
        let Some(i) = markup::index_of(ev, "li[data-i]") else {
            return false;
        };
        if let Some(v) = variables.with_untracked(|v| v.get(i).cloned()) {
            on_pick.run(v);
            open.set(false);
        }
        true
    };
    view! {
        <div class="picker">
            <button type="button" class="icon-button" aria-label="Insert variable" aria-haspopup="listbox"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                <span class="fx" aria-hidden="true">"{x}"</span>
            </button>
            {move || open.get().then(|| view! {
                <ul class="picker-list" role="listbox" aria-label="Variables"
                    inner_html=move || variables.with(|v| options_markup(v))
                    on:click=move |ev| { pick(&ev); }
                    on:keydown=move |ev: ev::KeyboardEvent| if ev.key() == "Enter" && pick(&ev) {
                        ev.prevent_default(); ev.stop_propagation();
                    }></ul>
            })}
        </div>
    }
}

/// The picker's options (`%name%`), or a note when there are none.
fn options_markup(variables: &[String]) -> String {
    if variables.is_empty() {
        let mut out = String::new();
        markup::raw(
            &mut out,
            r#"<li class="muted empty">No variables yet: actions that produce one add it here.</li>"#,
        );
        return out;
    }
    let mut out = String::new();
    for (i, v) in variables.iter().enumerate() {
        markup::item(
            &mut out,
            "li",
            r#"role="option" tabindex="0" aria-selected="false""#,
            i,
            None,
        );
        markup::text(&mut out, &format!("%{v}%"));
        markup::raw(&mut out, "</li>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::hostile::{assert_shown_as_text, INPUTS};

    #[test]
    fn the_variable_pickers_options_show_names_as_text() {
        for input in INPUTS {
            let out = options_markup(&[input.to_string(), "Ok".into()]);
            assert_shown_as_text(&out, &format!("%{input}%"));
            assert!(out.contains(r#"data-i="1">%Ok%</li>"#));
        }
        assert!(options_markup(&[]).contains("No variables yet"));
    }
}
