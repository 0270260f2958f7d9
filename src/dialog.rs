//! The action dialog: a modal named after the action, inputs per parameter type, "Advanced",
//! "Variables produced", "On error"; Save dispatches one command (insert or configure).

use crate::connect::{ConnectorInputs, SocketButton};
use crate::icons::Icon;
use crate::lists;
pub use crate::modal::{focus_first, focusables, trap_tab};
use crate::state::{unique_outputs, use_designer, DialogTarget};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use plugboard_model::catalog::{ActionDef, Param, ParamType, Visibility};
use plugboard_model::command::{is_variable_name, Command};
use plugboard_model::flow::{OnError, Step, StepConfig};
use plugboard_model::references::connector_of;
use std::collections::BTreeMap;

/// Why an input value is not acceptable, if it is not.
fn input_error(p: &Param, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return p.required.then(|| format!("“{}” is required", p.label));
    }
    if let Err(e) = plugboard_model::expr::parse(value) {
        return Some(format!(
            "{} (at character {})",
            capitalize(&e.message),
            e.at + 1
        ));
    }
    match &p.ty {
        ParamType::Number if !v.contains('%') && !crate::text::is_number(v) => {
            Some("Enter a number or a %variable%".into())
        }
        ParamType::VariableName if !is_variable_name(v.trim_matches('%')) => {
            Some("Enter a variable name: letters, digits and _".into())
        }
        _ => None,
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        crate::text::upper(f.encode_utf8(&mut [0; 4])) + c.as_str()
    })
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
                d.editor.with_untracked(|e| unique_outputs(&e.flow, &mut s));
                (s, true)
            }
            DialogTarget::Existing { id } => (
                d.editor.with_untracked(|e| e.flow.step(*id).cloned())?,
                false,
            ),
        };
        d.catalog_rev.track();
        let Some(def) = d.catalog.with_value(|c| c.get(&step.action).cloned()) else {
            // A connector action opens once its connector's definition is here.
            if let Some((connector, _)) = connector_of(&step.action) {
                d.cloud.ensure_detail(d, connector);
            }
            return None;
        };
        Some(view! { <DialogBody target=target step=step def=def is_new=is_new /> })
    }
}

#[component]
fn DialogBody(target: DialogTarget, step: Step, def: ActionDef, is_new: bool) -> impl IntoView {
    let d = use_designer();
    let mut initial = BTreeMap::new();
    for p in &def.params {
        let v = step
            .inputs
            .get(&p.name)
            .cloned()
            .or_else(|| p.default.clone())
            .unwrap_or_default();
        initial.insert(p.name.clone(), v);
    }
    let inputs = RwSignal::new(initial);
    let outputs = RwSignal::new(step.outputs.clone());
    let on_error = RwSignal::new(step.on_error.clone().unwrap_or(OnError {
        retries: 0,
        interval_secs: 2,
        continue_flow: false,
        go_to_label: None,
    }));
    let show_errors = RwSignal::new(false);
    let advanced_open = RwSignal::new(false);
    let on_error_open = RwSignal::new(step.on_error.is_some());
    let root = NodeRef::<html::Div>::new();
    let connector = connector_of(&step.action).map(|(c, op)| (c.to_string(), op.to_string()));
    let reference = RwSignal::new(step.reference.clone());
    let connector_sv = StoredValue::new(connector.clone());
    let def = StoredValue::new(def);
    let variables = Memo::new(move |_| d.editor.with(|e| crate::side::variable_names(&e.flow)));

    let close = move || {
        d.dialog.set(None);
        // Give focus back to the canvas so the keyboard path continues.
        crate::canvas::focus_canvas();
    };

    let errors = Memo::new(move |_| {
        let mut errs: BTreeMap<String, String> = BTreeMap::new();
        inputs.with(|vals| {
            def.with_value(|def| {
                for p in &def.params {
                    if let Some(e) = input_error(p, vals.get(&p.name).map_or("", String::as_str)) {
                        errs.insert(p.name.clone(), e);
                    }
                }
            })
        });
        outputs.with(|outs| {
            for (k, v) in outs {
                if !is_variable_name(v) {
                    errs.insert(
                        format!("out:{k}"),
                        "Enter a variable name: letters, digits and _".into(),
                    );
                }
            }
        });
        errs
    });

    let target = StoredValue::new(target);
    let save = move || {
        if !errors.with(BTreeMap::is_empty) {
            show_errors.set(true);
            // Open Advanced when an error hides there, then focus the first invalid field.
            let advanced_err = def.with_value(|def| {
                def.params.iter().any(|p| {
                    p.visibility == Visibility::Advanced
                        && errors.with_untracked(|e| e.contains_key(&p.name))
                })
            });
            if advanced_err {
                advanced_open.set(true);
            }
            request_animation_frame(move || {
                if let Some(el) = root.get_untracked() {
                    focus_first(&el, "[aria-invalid=true]");
                }
            });
            return;
        }
        // Inserted one by one: `collect` into a BTreeMap compiles a sort of its own.
        let mut vals = BTreeMap::new();
        for (k, v) in inputs.get_untracked() {
            let is_var = def.with_value(|def| {
                matches!(def.param(&k).map(|p| &p.ty), Some(ParamType::VariableName))
            });
            let v = if is_var {
                v.trim().trim_matches('%').to_string()
            } else {
                v
            };
            if !v.is_empty() {
                vals.insert(k, v);
            }
        }
        let oe = on_error.get_untracked();
        let config = StepConfig {
            inputs: vals,
            outputs: outputs.get_untracked(),
            on_error: (on_error_open.get_untracked() && (oe.retries > 0 || oe.continue_flow))
                .then_some(oe),
        };
        let name = def.with_value(|d| d.name.clone());
        let chosen = reference.get_untracked();
        let connector = connector_sv.get_value();
        if let (Some((c, _)), Some(r)) = (&connector, &chosen) {
            d.cloud.remember_used(c, r);
        }
        match target.get_value() {
            DialogTarget::New { step, at } => {
                let mut step = step;
                step.reference = chosen;
                step.inputs = config.inputs;
                step.outputs = config.outputs;
                step.on_error = config.on_error;
                let id = step.id;
                if d.dispatch(
                    &format!("Add {name}"),
                    Command::Insert {
                        at,
                        steps: vec![step],
                    },
                ) {
                    d.select_only(id);
                }
            }
            DialogTarget::Existing { id } => {
                let (changed, old_ref) = d.editor.with_untracked(|e| {
                    let s = e.flow.step(id);
                    (
                        s.map(|s| s.config()) != Some(config.clone()),
                        s.and_then(|s| s.reference.clone()),
                    )
                });
                // Configuration and reference change as one undo step.
                let mut cmds = Vec::new();
                if changed {
                    cmds.push(Command::Configure { id, config });
                }
                if connector.is_some() && old_ref != chosen {
                    cmds.push(Command::SetReference {
                        id,
                        reference: chosen,
                    });
                }
                match cmds.len() {
                    0 => {}
                    1 => {
                        d.dispatch(&format!("Edit {name}"), cmds.remove(0));
                    }
                    _ => {
                        d.dispatch(&format!("Edit {name}"), Command::Batch(cmds));
                    }
                }
            }
        }
        close();
    };

    Effect::new(move |_| {
        if let Some(el) = root.get() {
            if let Some(first) = focusables(&el)
                .into_iter()
                .find(|e| e.tag_name() != "BUTTON" || e.class_name().contains("primary"))
            {
                let _ = first.focus();
            }
        }
    });

    // What a connector action's inputs need from its connector's definition.
    let info = StoredValue::new(
        connector
            .as_ref()
            .and_then(|(c, op)| ConnectorInputs::new(d, c, op)),
    );
    let dynamic_source =
        move |name: &str| info.with_value(|i| i.as_ref().and_then(|i| i.dynamic_source(name)));
    let field = move |p: Param| {
        let name = p.name.clone();
        let id = format!("param-{}", p.name);
        let help_id = format!("{id}-help");
        let err_id = format!("{id}-error");
        let n1 = name.clone();
        let value =
            Signal::derive(move || inputs.with(|v| v.get(&n1).cloned().unwrap_or_default()));
        let n2 = name.clone();
        let set = move |v: String| {
            inputs.update(|m| {
                m.insert(n2.clone(), v);
            })
        };
        let n3 = name.clone();
        let error = Signal::derive(move || {
            if show_errors.get() {
                errors.with(|e| e.get(&n3).cloned())
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
                view! {
                    <div class="with-picker">
                        <input type="text" id=id.clone() inputmode=mode aria-describedby=described.clone()
                            aria-invalid=invalid aria-required=p.required.to_string()
                            autocomplete="off" spellcheck="false"
                            prop:value=move || value.get()
                            on:input=move |ev| set(event_target_value(&ev)) />
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
                {dynamic_source(&p.name).map(|src| view! { <p class="help dynamic"><Icon name="connector" />{src}</p> })}
                <p class="field-error" id=err_id.clone() role="alert">{move || error.get()}</p>
            </div>
        }
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

    view! {
        <div class="backdrop" on:pointerdown=move |ev| {
            // A press on the backdrop itself (not inside the dialog) cancels, like Escape.
            if ev.target() == ev.current_target() { close() }
        }>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title"
                aria-describedby="dialog-desc" node_ref=root
                on:keydown=move |ev: ev::KeyboardEvent| {
                    if ev.key() == "Escape" { ev.prevent_default(); ev.stop_propagation(); close(); return; }
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); save(); return; }
                    if let Some(el) = root.get_untracked() { trap_tab(&el, &ev) }
                }>
                <header class="dialog-head">
                    {match brand {
                        Some((color, initial)) => view! { <span class="brand-badge big" style:background=color aria-hidden="true">{initial}</span> }.into_any(),
                        None => view! { <Icon name=icon class="cat-icon big" /> }.into_any(),
                    }}
                    <div>
                        <h2 id="dialog-title">{title}</h2>
                        <p id="dialog-desc" class="muted">{desc}</p>
                    </div>
                </header>
                <form class="dialog-body" on:submit=move |ev| { ev.prevent_default(); save(); }>
                    {connector.clone().map(|(c, _)| view! { <SocketButton connector=c selected=reference /> })}
                    {no_params.then(|| view! { <p class="muted">"This action has no parameters."</p> })}
                    {(!important.is_empty()).then(|| view! { <h3>"Parameters"</h3> })}
                    {important.into_iter().map(&field).collect_view()}
                    {has_advanced.then(|| view! {
                        <button type="button" class="disclosure" aria-expanded=move || advanced_open.get().to_string()
                            on:click=move |_| advanced_open.update(|o| *o = !*o)>
                            <Icon name="chevron" class="chevron" />"Advanced"
                        </button>
                    })}
                    <div class="advanced" hidden=move || !advanced_open.get()>
                        {advanced.into_iter().map(&field).collect_view()}
                    </div>
                    {(!out_defs.is_empty()).then(|| view! {
                        <h3>"Variables produced"</h3>
                        {out_defs.iter().map(|o| {
                            let key = o.name.clone();
                            let k2 = key.clone();
                            let k3 = key.clone();
                            let id = format!("out-{key}");
                            let err = Signal::derive(move || if show_errors.get() { errors.with(|e| e.get(&format!("out:{k3}")).cloned()) } else { None });
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
                    })}
                    <button type="button" class="disclosure" aria-expanded=move || on_error_open.get().to_string()
                        on:click=move |_| on_error_open.update(|o| *o = !*o)>
                        <Icon name="chevron" class="chevron" />"On error"
                    </button>
                    <div class="on-error" hidden=move || !on_error_open.get()>
                        <div class="field row">
                            <label for="retries">"Retry action"</label>
                            <input id="retries" type="number" min="0" max="10"
                                prop:value=move || on_error.with(|o| o.retries.to_string())
                                on:input=move |ev| on_error.update(|o| o.retries = event_target_value(&ev).parse().unwrap_or(0).min(10)) />
                            <span class="muted">"times"</span>
                        </div>
                        <div class="field row">
                            <label for="interval">"Interval"</label>
                            <input id="interval" type="number" min="0" max="3600"
                                prop:value=move || on_error.with(|o| o.interval_secs.to_string())
                                on:input=move |ev| on_error.update(|o| o.interval_secs = event_target_value(&ev).parse().unwrap_or(0).min(3600)) />
                            <span class="muted">"seconds"</span>
                        </div>
                        <fieldset class="field">
                            <legend>"When every attempt fails"</legend>
                            <label class="radio"><input type="radio" name="on-error-then"
                                prop:checked=move || on_error.with(|o| o.continue_flow)
                                on:change=move |_| on_error.update(|o| o.continue_flow = true) />"Continue flow run"</label>
                            <label class="radio"><input type="radio" name="on-error-then"
                                prop:checked=move || on_error.with(|o| !o.continue_flow)
                                on:change=move |_| on_error.update(|o| o.continue_flow = false) />"Stop flow"</label>
                        </fieldset>
                    </div>
                    <footer class="dialog-foot">
                        {is_new.then(|| view! { <span class="muted hint">"Ctrl+Enter saves"</span> })}
                        <button type="submit" class="primary">"Save"</button>
                        <button type="button" on:click=move |_| close()>"Cancel"</button>
                    </footer>
                </form>
            </div>
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
        let Some(i) = lists::index_of(ev, "li[data-i]") else {
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
        return r#"<li class="muted empty">No variables yet: actions that produce one add it here.</li>"#.into();
    }
    let mut out = String::new();
    for (i, v) in variables.iter().enumerate() {
        lists::open(
            &mut out,
            "li",
            r#"role="option" tabindex="0" aria-selected="false""#,
            i,
            None,
        );
        lists::text(&mut out, &format!("%{v}%"));
        out.push_str("</li>");
    }
    out
}
