//! The action dialog's "On error": retries, their interval, and whether the flow goes on when
//! every attempt fails.

use super::Icon;
use leptos::prelude::*;
use plugboard_model::flow::OnError;

/// The disclosure and the section it opens.
pub fn section(on_error: RwSignal<OnError>, open: RwSignal<bool>) -> impl IntoView {
    view! {
        <button type="button" class="disclosure" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>
            <Icon name="chevron" class="chevron" />"On error"
        </button>
        <div class="on-error" hidden=move || !open.get()>
            {count(on_error, Count { id: "retries", label: "Retry action", unit: "times", max: 10,
                get: |o| o.retries, set: |o, n| o.retries = n })}
            {count(on_error, Count { id: "interval", label: "Interval", unit: "seconds", max: 3600,
                get: |o| o.interval_secs, set: |o, n| o.interval_secs = n })}
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
    }
}

/// A whole-number field of the section: which number of the error handling it shows and sets.
struct Count {
    id: &'static str,
    label: &'static str,
    unit: &'static str,
    max: u32,
    get: fn(&OnError) -> u32,
    set: fn(&mut OnError, u32),
}

/// The field (empty or not a number reads as 0; more than `max` as `max`).
fn count(on_error: RwSignal<OnError>, c: Count) -> impl IntoView {
    let Count {
        id,
        label,
        unit,
        max,
        get,
        set,
    } = c;
    view! {
        <div class="field row">
            <label for=id>{label}</label>
            <input id=id type="number" min="0" max=max.to_string()
                prop:value=move || on_error.with(|o| get(o).to_string())
                on:input=move |ev| on_error.update(|o| set(o, event_target_value(&ev).parse().unwrap_or(0).min(max))) />
            <span class="muted">{unit}</span>
        </div>
    }
}
