//! The side pane: its three sections, "Variables", "Connection references" and "Errors".

use leptos::prelude::*;

#[component]
pub fn SidePane() -> impl IntoView {
    view! {
        <aside class="pane side-pane">
            <crate::variables::VariablesSection />
            <crate::references::ReferencesPane />
            <crate::errors::ErrorsPanel />
        </aside>
    }
}
