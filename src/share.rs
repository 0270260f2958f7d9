//! Share links in the designer: the "Share" button and dialog (the link, "Copy link", its length,
//! and past 2,000 characters a short link), opening a link from the address (`open.rs`: a
//! read-only preview, then "Open a copy"), and "Map connection references" (`map.rs`) for an
//! opened, imported or pasted flow whose references this environment lacks.

mod link;
mod map;
mod open;

pub use map::{ask_to_map, ask_to_map_selection, MapReferences};
pub use open::LinkOpener;

use crate::cloud::Account;
use crate::icons::Icon;
use crate::modal::Modal;
use crate::platform::location::page_address;
use crate::state::use_designer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use link::SHORT_LINK_FROM;
use plugboard_model::share::MARK;

/// What the share dialogs show, in context (provided by the app).
#[derive(Clone, Copy)]
pub struct Sharing {
    /// "Share" is open.
    pub dialog: RwSignal<bool>,
    /// "Map connection references" is open.
    pub mapping: RwSignal<bool>,
}

impl Sharing {
    pub fn provide() -> Sharing {
        let s = Sharing {
            dialog: RwSignal::new(false),
            mapping: RwSignal::new(false),
        };
        provide_context(s);
        s
    }
}

pub fn use_sharing() -> Sharing {
    expect_context::<Sharing>()
}

/// The header's "Share" button.
#[component]
pub fn ShareButton() -> impl IntoView {
    let s = use_sharing();
    view! {
        <button type="button" class="tool" title="Share this flow as a link" on:click=move |_| s.dialog.set(true)>
            <Icon name="link" /><span>"Share"</span>
        </button>
    }
}

/// The dialog "Share": the link to the open flow, "Copy link", its length, and a short link
/// for a link longer than chat apps keep.
#[component]
pub fn ShareDialog() -> impl IntoView {
    let s = use_sharing();
    view! {
        <Show when=move || s.dialog.get()>
            <ShareBox on_close=Callback::new(move |()| s.dialog.set(false)) />
        </Show>
    }
}

#[component]
fn ShareBox(on_close: Callback<()>) -> impl IntoView {
    let d = use_designer();
    let c = d.cloud;
    let link = RwSignal::new(None::<Result<String, String>>);
    let short = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let copied = RwSignal::new(None::<&'static str>);
    // The display names of the current environment's references travel with the flow.
    let flow = d.editor.with_untracked(|e| e.flow().clone());
    let refs = c
        .references
        .with_untracked(|l| l.ready().cloned())
        .unwrap_or_default();
    spawn_local(async move {
        let made = link::encode(&flow, &refs)
            .await
            .map(|payload| format!("{}{MARK}{payload}", page_address()));
        link.set(Some(made));
    });
    let length = move || link.with(|l| l.as_ref().and_then(|l| l.as_ref().ok()).map(String::len));
    let signed_in = move || c.account.with(|a| matches!(a, Account::SignedIn(_)));
    let make_short = move |_| {
        let Some(Ok(full)) = link.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let payload = full.split_once(MARK).map_or("", |(_, p)| p).to_string();
            let made = link::shorten(&payload)
                .await
                .map(|frag| format!("{}{frag}", page_address()));
            busy.set(false);
            short.set(Some(made));
        });
    };
    let copy = move |text: String, what: &'static str| {
        spawn_local(async move {
            let done = match web_sys::window().map(|w| w.navigator().clipboard()) {
                Some(clip) => wasm_bindgen_futures::JsFuture::from(clip.write_text(&text))
                    .await
                    .is_ok(),
                None => false,
            };
            copied.set(Some(if done {
                what
            } else {
                "Copying was refused: select the link and copy it"
            }));
        });
    };
    view! {
        <Modal title="Share" subtitle="Anyone with the link can open a copy of this flow. It carries no connection or secret: each connection reference is mapped by whoever opens it." on_close=on_close class="share-dialog" focus_primary=true>
            <div class="dialog-body">
                {move || match link.get() {
                    None => view! { <p class="muted loading">"Making the link…"</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="form-error" role="alert">{format!("The link could not be made: {e}")}</p> }.into_any(),
                    Some(Ok(url)) => {
                        let n = url.len();
                        view! {
                            <div class="field">
                                <label for="share-link">"Link"</label>
                                <textarea id="share-link" class="mono share-link" readonly rows="4" prop:value=url></textarea>
                                <p class="help share-length">{format!("{n} characters")}</p>
                            </div>
                            {(n > SHORT_LINK_FROM).then(|| view! {
                                <p class="help">{format!("Longer than {SHORT_LINK_FROM} characters: Teams and bit.ly cut links at 2,048, so send a short link instead. Its flow is encrypted in your browser; the proxy stores only what it cannot read, and the key stays in the link.")}</p>
                            })}
                        }.into_any()
                    }
                }}
                {move || short.get().map(|r| match r {
                    Ok(url) => view! {
                        <div class="field">
                            <label for="share-short">"Short link"</label>
                            <input id="share-short" type="text" class="mono" readonly prop:value=url />
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{format!("The short link could not be made: {e}")}</p> }.into_any(),
                })}
                <p class="muted small" role="status">{move || copied.get()}</p>
                <footer class="dialog-foot">
                    {move || (length().is_some_and(|n| n > SHORT_LINK_FROM) && short.with(|s| !matches!(s, Some(Ok(_))))).then(|| if signed_in() {
                        view! { <button type="button" class="secondary-action" disabled=move || busy.get() on:click=make_short>
                            {move || if busy.get() { "Creating short link…" } else { "Create short link" }}</button> }.into_any()
                    } else {
                        view! { <button type="button" class="secondary-action" on:click=move |_| c.sign_in_open.set(true)>"Sign in to create a short link"</button> }.into_any()
                    })}
                    {move || short.with(|s| matches!(s, Some(Ok(_)))).then(|| view! {
                        <button type="button" on:click=move |_| if let Some(Ok(u)) = short.get_untracked() { copy(u, "Short link copied") }>"Copy short link"</button>
                    })}
                    <button type="button" class="primary" disabled=move || length().is_none()
                        on:click=move |_| if let Some(Ok(u)) = link.get_untracked() { copy(u, "Link copied") }>"Copy link"</button>
                    <button type="button" on:click=move |_| on_close.run(())>"Close"</button>
                </footer>
            </div>
        </Modal>
    }
}
