//! The notices about this browser's storage, above the panes: the open flow is not saved because
//! the storage is full ("Export flow"), it was changed in another tab ("Use theirs", "Keep mine"),
//! or a kept flow no longer reads ("Download it", "Dismiss"). Each says what happened and what
//! the maker can do; none goes away by itself.

use crate::flows::{self, use_flows, Trouble};
use crate::icons::Icon;
use crate::state::use_designer;
use leptos::prelude::*;

#[component]
pub fn StorageNotices() -> impl IntoView {
    let d = use_designer();
    let flows = use_flows();
    let trouble = move || {
        flows.trouble.get().map(|t| match t {
            Trouble::Full => view! {
                <div class="notice warn" role="alert">
                    <Icon name="error" class="notice-icon" />
                    <p>"This browser's storage for Plugboard is full, so the latest changes to this flow are not saved. They are kept while this tab stays open: export the flow to a file, or delete flows you no longer need."</p>
                    <button type="button" class="small-button" on:click=move |_| flows::export_open(&d)>"Export flow"</button>
                </div>
            }
            .into_any(),
            Trouble::ChangedElsewhere => view! {
                <div class="notice warn" role="alert">
                    <Icon name="error" class="notice-icon" />
                    <p>"This flow was changed and saved in another tab. This tab's changes are not saved yet."</p>
                    <button type="button" class="small-button" on:click=move |_| flows.take_stored(&d)>"Use theirs"</button>
                    <button type="button" class="small-button" on:click=move |_| flows.keep_mine(&d)>"Keep mine"</button>
                </div>
            }
            .into_any(),
        })
    };
    let damaged = move || {
        flows
            .damaged
            .get()
            .into_iter()
            .map(|x| {
                let id = x.id;
                let text = format!("“{}” could not be read ({}). It is kept as it was in this browser's storage.", x.name, x.reason);
                view! {
                    <div class="notice bad" role="alert">
                        <Icon name="error" class="notice-icon" />
                        <p>{text}</p>
                        <button type="button" class="small-button" on:click=move |_| flows::download_damaged(&d, &x)>"Download it"</button>
                        <button type="button" class="small-button" on:click=move |_| flows.damaged.update(|l| l.retain(|y| y.id != id))>"Dismiss"</button>
                    </div>
                }
            })
            .collect_view()
    };
    view! { <div class="notices">{trouble}{damaged}</div> }
}
