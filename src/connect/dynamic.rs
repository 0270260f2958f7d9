//! The values a service lists for an input (`x-ms-dynamic-values`, `x-ms-dynamic-list`): loaded
//! through the execute endpoint with the step's connection reference and its other inputs
//! (`execute::dynamic` builds the request and reads the options), shown as the options of the
//! input's combobox, with loading and errors. The input still takes a typed value or a
//! `%variable%`: the list only offers values.

use super::move_between_options;
use crate::api;
use crate::icons::Icon;
use crate::markup;
use crate::state::use_designer;
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::execute::dynamic::{Argument, DynamicOption, DynamicValues};
use plugboard_model::execute::ExecuteRequest;
use serde_json::Value;
use std::collections::BTreeMap;

/// Where an input's values come from.
#[derive(Clone)]
pub struct DynamicSource {
    pub connector: String,
    pub values: DynamicValues,
    /// The listing operation's display name, for the help line.
    pub from: String,
}

/// The list's state.
#[derive(Clone, PartialEq)]
enum List {
    Closed,
    Loading,
    Failed(String),
    Ready(Vec<DynamicOption>),
}

/// The listing request for a step whose fields hold `inputs`, bound to `reference`. A needed
/// input that holds a `%variable%` has no value before the flow runs, so it is named.
fn request(
    src: &DynamicSource,
    inputs: &BTreeMap<String, String>,
    reference: Option<&str>,
) -> Result<ExecuteRequest, String> {
    for (_, arg) in &src.values.parameters {
        if let Argument::Input(from) = arg {
            if inputs.get(from).is_some_and(|v| v.contains('%')) {
                return Err(format!(
                    "`{from}` holds a variable, known only when the flow runs: type its value to list these."
                ));
            }
        }
    }
    let values = inputs
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    src.values.request(&src.connector, reference, &values)
}

/// The button that opens the list of `label`'s values and the list itself (`list_id`); picking
/// one calls `on_pick` with its value. `open` is the combobox's `aria-expanded`.
#[component]
pub fn DynamicValuesList(
    source: DynamicSource,
    /// The field's label.
    label: String,
    /// The id the list gets (the combobox's `aria-controls`).
    list_id: String,
    /// The step's inputs so far (parameter name → text).
    inputs: RwSignal<BTreeMap<String, String>>,
    /// The step's connection reference.
    reference: RwSignal<Option<String>>,
    /// Whether the list shows.
    open: RwSignal<bool>,
    /// Told the picked value.
    on_pick: Callback<String>,
) -> impl IntoView {
    let d = use_designer();
    let source = StoredValue::new(source);
    let list = RwSignal::new(List::Closed);
    // The request the shown options answer: the same request is not sent twice.
    let loaded = StoredValue::new(String::new());
    let load = move || {
        let Some(env) = d.cloud.env.get_untracked() else {
            list.set(List::Failed("Choose an environment first.".into()));
            return;
        };
        let req = source.with_value(|s| {
            inputs.with_untracked(|i| request(s, i, reference.get_untracked().as_deref()))
        });
        let req = match req {
            Ok(r) => r,
            Err(e) => {
                list.set(List::Failed(format!("To list the values, {e}.")));
                return;
            }
        };
        let key = serde_json::to_string(&req).unwrap_or_default();
        if loaded.get_value() == key && matches!(list.get_untracked(), List::Ready(_)) {
            return;
        }
        loaded.set_value(key.clone());
        list.set(List::Loading);
        let path = format!("/api/environments/{}/execute", api::seg(&env));
        spawn_local(async move {
            // Only the result's `body` is read (`ExecuteResult`'s other members are not needed
            // here, and a `Value` costs the wasm no decoder of its own).
            let got = api::post::<_, Value>(&path, &req).await;
            // A newer request may have been sent meanwhile, or the dialog closed.
            if loaded.try_get_value().as_deref() != Some(key.as_str()) {
                return;
            }
            let next = match got {
                Ok(r) => match source.with_value(|s| s.values.options(&r["body"])) {
                    Ok(options) => List::Ready(options),
                    Err(e) => List::Failed(format!("The values could not be read: {e}.")),
                },
                Err(e) => List::Failed(e.message),
            };
            let _ = list.try_set(next);
        });
    };
    let toggle = move |_| open.update(|o| *o = !*o);
    // Each opening (the button, or Down in the field) lists the values for the inputs as they
    // are now; unchanged inputs keep the options already loaded.
    Effect::new(move |_| {
        if open.get() {
            load();
        }
    });
    let pick = move |ev: &web_sys::Event| {
        let Some(i) = markup::index_of(ev, "li[data-i]") else {
            return false;
        };
        let value = list.with_untracked(|l| match l {
            List::Ready(o) => o.get(i).map(|o| o.value.clone()),
            _ => None,
        });
        if let Some(v) = value {
            on_pick.run(v);
            open.set(false);
        }
        true
    };
    let retry = move |_| {
        loaded.set_value(String::new());
        load();
    };
    let list_label = format!("Values for {label}");
    let button_label = format!("Show values for {label}");
    view! {
        <div class="picker">
            <button type="button" class="icon-button" aria-label=button_label aria-haspopup="listbox"
                aria-expanded=move || open.get().to_string() on:click=toggle>
                <Icon name="chevron" class="chevron" />
            </button>
            {move || open.get().then(|| match list.get() {
                List::Closed | List::Loading => view! {
                    <div class="picker-list dynamic-state"><p class="muted" role="status">"Loading values…"</p></div>
                }.into_any(),
                List::Failed(e) => view! {
                    <div class="picker-list dynamic-state">
                        <p class="field-error" role="alert">{e}</p>
                        <button type="button" class="link" on:click=retry>"Try again"</button>
                    </div>
                }.into_any(),
                List::Ready(options) => view! {
                    <ul class="picker-list" role="listbox" id=list_id.clone() aria-label=list_label.clone()
                        inner_html=options_markup(&options)
                        on:click=move |ev| { pick(&ev); }
                        on:keydown=move |ev: ev::KeyboardEvent| match ev.key().as_str() {
                            "Enter" | " " => if pick(&ev) { ev.prevent_default(); ev.stop_propagation(); },
                            "Escape" => { ev.stop_propagation(); open.set(false); }
                            _ => move_between_options(ev),
                        }></ul>
                }.into_any(),
            })}
        </div>
    }
}

/// The options: each value's title, and the value itself when it differs.
fn options_markup(options: &[DynamicOption]) -> String {
    let mut out = String::new();
    if options.is_empty() {
        markup::raw(
            &mut out,
            r#"<li class="muted empty">The service listed no values.</li>"#,
        );
        return out;
    }
    for (i, o) in options.iter().enumerate() {
        markup::item(
            &mut out,
            "li",
            r#"role="option" tabindex="0" aria-selected="false" class="dynamic-option""#,
            i,
            None,
        );
        markup::span(&mut out, "", &o.title);
        if o.value != o.title {
            markup::span(&mut out, "muted", &o.value);
        }
        markup::raw(&mut out, "</li>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::hostile::{assert_shown_as_text, INPUTS};
    use serde_json::json;

    #[test]
    fn the_listed_values_show_as_text() {
        for input in INPUTS {
            let out = options_markup(&[DynamicOption {
                value: input.to_string(),
                title: format!("t{input}"),
            }]);
            assert_shown_as_text(&out, input);
        }
        assert!(options_markup(&[]).contains("listed no values"));
    }

    #[test]
    fn a_needed_input_holding_a_variable_is_named() {
        let src = DynamicSource {
            connector: "sharepoint".into(),
            values: DynamicValues::parse(&json!({"operationId": "GetLists",
                "parameters": {"siteId": {"parameter": "siteId"}}}))
            .unwrap(),
            from: "Get lists".into(),
        };
        let at = |v: &str| BTreeMap::from([("siteId".to_string(), v.to_string())]);
        let r = request(&src, &at("s1"), Some("pb_sp_0001")).unwrap();
        assert_eq!(r.inputs["siteId"], "s1");
        assert!(request(&src, &at("%Site%"), None)
            .unwrap_err()
            .contains("`siteId` holds a variable"));
        assert_eq!(
            request(&src, &BTreeMap::new(), None).unwrap_err(),
            "fill in `siteId` first"
        );
    }
}
