//! The action dialog's "Variables produced": the variable each output of the action goes to.

use super::capitalize;
use leptos::prelude::*;
use plugboard_model::catalog::Output;
use plugboard_model::draft::FieldErrors;
use std::collections::BTreeMap;

/// The section, when the action produces anything.
pub fn section(
    defs: Vec<Output>,
    outputs: RwSignal<BTreeMap<String, String>>,
    errors: Memo<FieldErrors>,
    show_errors: RwSignal<bool>,
) -> impl IntoView {
    (!defs.is_empty()).then(|| view! {
        <h3>"Variables produced"</h3>
        {defs.iter().map(|o| {
            let key = o.name.clone();
            let k2 = key.clone();
            let k3 = key.clone();
            let id = format!("out-{key}");
            let err = Signal::derive(move || if show_errors.get() { errors.with(|e| e.outputs.get(&k3).cloned()) } else { None });
            view! {
                <div class="field var-field" class:invalid=move || err.get().is_some()>
                    <label for=id.clone()>{if o.description.is_empty() { capitalize(&o.name) } else { o.description.clone() }}</label>
                    <div class="var-input"><span aria-hidden="true">"%"</span>
                        <input type="text" id=id.clone() spellcheck="false" autocomplete="off"
                            aria-invalid=move || err.get().is_some().to_string()
                            prop:value=move || outputs.with(|m| m.get(&key).cloned().unwrap_or_default())
                            on:input=move |ev| outputs.update(|m| { m.insert(k2.clone(), event_target_value(&ev)); }) />
                        <span aria-hidden="true">"%"</span></div>
                    <p class="field-error" role="alert">{move || err.get()}</p>
                </div>
            }
        }).collect_view()}
    })
}
