//! "Test connection": a button that asks the proxy to call the connector's test operation (with
//! typed fields or a saved connection) and a live region that says how it went.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::connector::{ConnectionTestInput, ConnectionTestResult};

#[derive(Clone, PartialEq)]
enum Outcome {
    Idle,
    Testing,
    Works,
    Failed(String),
}

/// The button and its outcome. While a test runs the button is disabled and says "Testing…".
#[component]
pub fn TestConnection(
    /// The button's text.
    label: &'static str,
    /// The test endpoint and its body (`None` for a saved connection), read on click. A
    /// callback, not a generic closure, so the component is compiled once (wasm size).
    request: Callback<(), (String, Option<ConnectionTestInput>)>,
    /// Told every answer (e.g. to show a saved connection's new status).
    #[prop(optional)]
    on_result: Option<Callback<ConnectionTestResult>>,
) -> impl IntoView {
    let outcome = RwSignal::new(Outcome::Idle);
    let run = move |_| {
        if outcome.get_untracked() == Outcome::Testing {
            return;
        }
        outcome.set(Outcome::Testing);
        let (path, body) = request.run(());
        spawn_local(async move {
            let got = api::post::<_, ConnectionTestResult>(&path, &body).await;
            // The fields may have changed meanwhile and this component with them.
            let _ = outcome.try_set(match got {
                Ok(r) => {
                    let o = match (&r.ok, &r.message) {
                        (true, _) => Outcome::Works,
                        (false, Some(m)) => Outcome::Failed(m.clone()),
                        (false, None) => Outcome::Failed("The test failed.".into()),
                    };
                    // `try_run`: the dialog (and the callback's owner) may be gone by now.
                    if let Some(f) = on_result {
                        let _ = f.try_run(r);
                    }
                    o
                }
                Err(e) => Outcome::Failed(e.message),
            });
        });
    };
    let testing = move || outcome.get() == Outcome::Testing;
    view! {
        <div class="test-connection">
            <button type="button" class="small-button" disabled=testing on:click=run>
                {move || if testing() { "Testing…" } else { label }}
            </button>
            <p role="status" aria-live="polite" class=move || match outcome.get() {
                Outcome::Works => "test-result ok",
                Outcome::Failed(_) => "test-result bad",
                _ => "test-result",
            }>
                {move || match outcome.get() {
                    Outcome::Works => "Connection works".to_string(),
                    Outcome::Failed(m) => m,
                    Outcome::Testing => "Testing…".to_string(),
                    Outcome::Idle => String::new(),
                }}
            </p>
        </div>
    }
}
