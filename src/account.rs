//! The header's account corner: "Sign in" (or "Create owner account" on a fresh proxy), the
//! environment switcher and the signed-in user's menu with "Sign out".

use crate::api;
use crate::cloud::{Account, Load};
use crate::icons::Icon;
use crate::modal::Modal;
use crate::state::use_designer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::connector::{NewUser, Session, SignIn};

/// Environment switcher, account button and the sign-in dialog.
#[component]
pub fn AccountBar() -> impl IntoView {
    let d = use_designer();
    let c = d.cloud;
    let menu_open = RwSignal::new(false);
    let sign_out = move || {
        menu_open.set(false);
        spawn_local(async move {
            match api::delete("/api/session").await {
                Ok(()) => c.signed_out(),
                Err(e) => d.status.set(Some(format!("Sign out failed: {e}"))),
            }
        });
    };
    view! {
        <div class="account">
            {move || match c.account.get() {
                Account::Unknown => view! { <span class="muted small">"Connecting…"</span> }.into_any(),
                Account::Unavailable(why) => view! {
                    <span class="muted small" title=why>"Connector proxy unavailable"</span>
                }.into_any(),
                Account::SignedOut { needs_owner } => view! {
                    <button type="button" class="tool" on:click=move |_| c.sign_in_open.set(true)>
                        <Icon name="user" />
                        <span>{if needs_owner { "Create owner account" } else { "Sign in" }}</span>
                    </button>
                }.into_any(),
                Account::SignedIn(s) => {
                    let name = s.user.display_name.clone();
                    view! {
                        <EnvironmentSwitcher />
                        <div class="menu-anchor">
                            <button type="button" class="tool" aria-haspopup="menu"
                                aria-expanded=move || menu_open.get().to_string()
                                on:click=move |_| menu_open.update(|o| *o = !*o)>
                                <Icon name="user" /><span>{name}</span>
                            </button>
                            <Show when=move || menu_open.get()>
                                <div class="popup-menu" role="menu" aria-label="Account"
                                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { menu_open.set(false) }>
                                    <button type="button" role="menuitem" on:click=move |_| sign_out()>"Sign out"</button>
                                </div>
                            </Show>
                        </div>
                    }.into_any()
                }
            }}
            <Show when=move || c.sign_in_open.get()>
                <SignInDialog />
            </Show>
        </div>
    }
}

/// A `select` of the environments the user belongs to; switching reloads the references.
#[component]
fn EnvironmentSwitcher() -> impl IntoView {
    let c = use_designer().cloud;
    view! {
        <label class="env-switch" title="Connection references are bound per environment">
            <Icon name="environment" />
            <span class="visually-hidden">"Environment"</span>
            {move || match c.environments.get() {
                Load::Ready(list) => view! {
                    <select aria-label="Environment"
                        prop:value=move || c.env.get().unwrap_or_default()
                        on:change=move |ev| c.switch_env(Some(event_target_value(&ev)))>
                        {list.into_iter().map(|e| {
                            let id = e.id.clone();
                            view! { <option value=e.id.clone() selected=move || c.env.get().as_deref() == Some(id.as_str())>{e.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                }.into_any(),
                Load::Failed(why) => view! { <span class="error-text small" title=why>"Environments unavailable"</span> }.into_any(),
                _ => view! { <span class="muted small">"Loading environments…"</span> }.into_any(),
            }}
        </label>
    }
}

/// "Sign in", or "Create owner account" on a proxy nobody has set up yet.
#[component]
fn SignInDialog() -> impl IntoView {
    let c = use_designer().cloud;
    let owner = c
        .account
        .with_untracked(|a| matches!(a, Account::SignedOut { needs_owner: true }));
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let display = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let close = Callback::new(move |()| c.sign_in_open.set(false));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (u, p) = (username.get_untracked(), password.get_untracked());
        if u.trim().is_empty() || p.is_empty() {
            error.set(Some("Enter a user name and a password.".into()));
            return;
        }
        busy.set(true);
        error.set(None);
        let dn = display.get_untracked();
        spawn_local(async move {
            let got: Result<Session, _> = if owner {
                let body = NewUser {
                    username: u.trim().to_string(),
                    password: p,
                    display_name: (!dn.trim().is_empty()).then(|| dn.trim().to_string()),
                };
                api::post("/api/setup/owner", &body).await
            } else {
                let body = SignIn {
                    username: u.trim().to_string(),
                    password: p,
                };
                api::post("/api/session", &body).await
            };
            busy.set(false);
            match got {
                Ok(s) => {
                    c.sign_in_open.set(false);
                    c.signed_in(s);
                }
                Err(e) if e.status == 401 => {
                    error.set(Some("The user name or password is not right.".into()))
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let (title, sub) = if owner {
        (
            "Create owner account",
            "This connector proxy has no users yet. The owner manages users and environments.",
        )
    } else {
        (
            "Sign in",
            "Sign in to the connector proxy to use connections and connection references.",
        )
    };
    view! {
        <Modal title=title subtitle=sub on_close=close class="narrow">
            <form class="dialog-body" on:submit=submit>
                <div class="field">
                    <label for="signin-user">"User name"</label>
                    <input id="signin-user" type="text" autocomplete="username" spellcheck="false"
                        prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) />
                </div>
                {owner.then(|| view! {
                    <div class="field">
                        <label for="signin-display">"Display name"</label>
                        <input id="signin-display" type="text" autocomplete="name"
                            prop:value=move || display.get() on:input=move |ev| display.set(event_target_value(&ev)) />
                    </div>
                })}
                <div class="field">
                    <label for="signin-password">"Password"</label>
                    <input id="signin-password" type="password"
                        autocomplete=if owner { "new-password" } else { "current-password" }
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <footer class="dialog-foot">
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || if busy.get() { "Signing in…" } else if owner { "Create owner account" } else { "Sign in" }}
                    </button>
                    <button type="button" on:click=move |_| close.run(())>"Cancel"</button>
                </footer>
            </form>
        </Modal>
    }
}
