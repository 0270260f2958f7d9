//! OAuth 2.0 sign-in of a connection: the popup opened in the click itself (so the browser does
//! not block it) and sent to the provider once the proxy has made the sign-in's state; the
//! callback page's word back (a message from our own origin, or on a BroadcastChannel when the
//! provider cut the popup's opener); and the owner's registration of a connector's OAuth app,
//! with the redirect URI to paste into the provider.

use crate::api::{self, seg};
use crate::cloud::{Account, Cloud, Load};
use crate::state::use_designer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plugboard_model::connector::{
    ConnectionSummary, OAuthApp, OAuthAppUpdate, SignInOutcome, SignInStart, SignInUrl,
    SIGN_IN_MESSAGE,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// What the user reads when the browser refused to open the popup.
pub const BLOCKED: &str = "The browser blocked the sign-in window. Allow pop-ups for this site, then click “Sign in” again.";

/// Open the (blank) sign-in window; call from a click or submit handler. None: blocked.
pub fn open_popup() -> Option<web_sys::Window> {
    window()
        .open_with_url_and_target_and_features(
            "",
            "plugboard-sign-in",
            "popup,width=520,height=680",
        )
        .ok()
        .flatten()
}

/// Start the sign-in of `connection` in `popup`: the proxy makes the state, the popup goes to
/// the provider. On failure the popup is closed and the proxy's sentence returned.
pub async fn start(popup: web_sys::Window, connection: String) -> Result<(), String> {
    let body = SignInStart {
        connection_id: connection,
    };
    match api::post::<_, SignInUrl>("/api/oauth/start", &body).await {
        Ok(u) => popup
            .location()
            .set_href(&u.authorization_url)
            .map_err(|_| "The sign-in window could not be opened.".to_string()),
        Err(e) => {
            let _ = popup.close();
            Err(e.message)
        }
    }
}

fn outcome_of(data: wasm_bindgen::JsValue) -> Option<SignInOutcome> {
    let text: String = js_sys::JSON::stringify(&data).ok()?.into();
    serde_json::from_str::<SignInOutcome>(&text)
        .ok()
        .filter(|o| o.kind == SIGN_IN_MESSAGE)
}

/// Call `f` with every sign-in outcome the callback page reports while the calling component
/// lives. Messages from another origin are ignored.
pub fn on_outcome(f: Callback<SignInOutcome>) {
    let origin = window().location().origin().unwrap_or_default();
    let handle = window_event_listener(leptos::ev::message, move |ev| {
        if ev.origin() == origin {
            if let Some(o) = outcome_of(ev.data()) {
                f.run(o);
            }
        }
    });
    let channel = web_sys::BroadcastChannel::new(SIGN_IN_MESSAGE).ok();
    let listener = channel.as_ref().map(|ch| {
        let cb = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(o) = outcome_of(ev.data()) {
                f.run(o);
            }
        });
        ch.set_onmessage(Some(cb.as_ref().unchecked_ref()));
        cb
    });
    // Kept (not Send) until the component goes, then the channel is closed.
    let kept = StoredValue::new_local((channel, listener));
    on_cleanup(move || {
        handle.remove();
        kept.try_with_value(|(channel, _)| {
            if let Some(ch) = channel {
                ch.close();
            }
        });
    });
}

/// After a successful sign-in: the connection as the proxy now has it (Connected), put in the
/// shared state so the dialogs and the references pane show it without a reload.
pub async fn refresh_connection(c: Cloud, id: &str) -> Option<ConnectionSummary> {
    let got = api::get::<ConnectionSummary>(&format!("/api/connections/{}", seg(id)))
        .await
        .ok()?;
    c.upsert_connection(got.clone());
    c.load_references();
    Some(got)
}

/// "Sign in" for a saved connection that needs it: opens the popup, reports the outcome.
#[component]
pub fn SignInButton(
    /// The connection to sign in.
    connection: String,
    /// The button's text ("Sign in", "Sign in again").
    label: &'static str,
    /// Told when the sign-in succeeded (with the connection as it now is).
    on_signed_in: Callback<ConnectionSummary>,
) -> impl IntoView {
    let c = use_designer().cloud;
    let message = RwSignal::new(None::<String>);
    let waiting = RwSignal::new(false);
    let id = StoredValue::new(connection);
    on_outcome(Callback::new(move |o: SignInOutcome| {
        if o.connection_id != id.get_value() {
            return;
        }
        waiting.set(false);
        if o.ok {
            message.set(None);
            spawn_local(async move {
                if let Some(c) = refresh_connection(c, &id.get_value()).await {
                    let _ = on_signed_in.try_run(c);
                }
            });
        } else {
            message.set(Some(o.message));
        }
    }));
    let click = move |_| {
        let Some(popup) = open_popup() else {
            return message.set(Some(BLOCKED.into()));
        };
        message.set(None);
        waiting.set(true);
        spawn_local(async move {
            if let Err(e) = start(popup, id.get_value()).await {
                let _ = waiting.try_set(false);
                let _ = message.try_set(Some(e));
            }
        });
    };
    view! {
        <div class="sign-in">
            <button type="button" class="small-button" on:click=click>{label}</button>
            <p role="status" aria-live="polite" class="test-result" class:bad=move || message.with(Option::is_some)>
                {move || message.get().or_else(|| waiting.get().then(|| "Finish signing in in the window that opened.".to_string()))}
            </p>
        </div>
    }
}

/// The owner's part for a connector that signs in with OAuth: when no app is registered yet, the
/// redirect URI to paste into the provider and the app's client id, secret, tenant and extra
/// scopes. Shows nothing to other users or once an app is registered.
#[component]
pub fn OAuthAppSetup(
    /// The connector's id.
    connector: String,
) -> impl IntoView {
    let c = use_designer().cloud;
    let is_owner = c
        .account
        .with_untracked(|a| matches!(a, Account::SignedIn(s) if s.user.is_owner));
    let app = RwSignal::new(Load::<OAuthApp>::Idle);
    let client_id = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let tenant = RwSignal::new(String::new());
    let scopes = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let path = StoredValue::new(format!("/api/oauth/apps/{}", seg(&connector)));
    if is_owner {
        app.set(Load::Loading);
        spawn_local(async move {
            let got = api::get::<OAuthApp>(&path.get_value()).await;
            let _ = app.try_set(match got {
                Ok(a) => Load::Ready(a),
                Err(e) => Load::Failed(e.message),
            });
        });
    }
    let save = move |_| {
        let body = OAuthAppUpdate {
            client_id: client_id.get_untracked().trim().to_string(),
            client_secret: Some(secret.get_untracked()).filter(|s| !s.is_empty()),
            tenant: tenant.get_untracked().trim().to_string(),
            extra_scopes: scopes
                .get_untracked()
                .split_whitespace()
                .map(String::from)
                .collect(),
        };
        error.set(None);
        spawn_local(async move {
            match api::put::<_, OAuthApp>(&path.get_value(), &body).await {
                Ok(a) => {
                    let _ = app.try_set(Load::Ready(a));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    move || {
        match app.get() {
        Load::Ready(a) if a.registered => view! {
            <p class="help" role="status">{format!("OAuth app registered (client id {}).", a.client_id)}</p>
        }
        .into_any(),
        Load::Ready(a) => view! {
            <fieldset class="field oauth-app" aria-label="Register the OAuth app">
                <legend>"Register the OAuth app"</legend>
                <p class="help">"No OAuth app is registered for this connector yet. Register one with the provider, give it this redirect URI, then enter its client id here."</p>
                <label for="oauth-redirect">"Redirect URI"</label>
                <input id="oauth-redirect" type="text" class="mono" readonly prop:value=a.redirect_uri.clone() />
                <label for="oauth-client-id">"Client ID"</label>
                <input id="oauth-client-id" type="text" autocomplete="off" spellcheck="false"
                    prop:value=move || client_id.get() on:input=move |ev| client_id.set(event_target_value(&ev)) />
                <label for="oauth-client-secret">"Client secret (optional)"</label>
                <input id="oauth-client-secret" type="password" autocomplete="new-password"
                    prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev)) />
                <label for="oauth-tenant">"Tenant (Microsoft connectors, optional)"</label>
                <input id="oauth-tenant" type="text" autocomplete="off" spellcheck="false" placeholder="common"
                    prop:value=move || tenant.get() on:input=move |ev| tenant.set(event_target_value(&ev)) />
                <label for="oauth-scopes">"Extra scopes (optional, space separated)"</label>
                <input id="oauth-scopes" type="text" autocomplete="off" spellcheck="false"
                    prop:value=move || scopes.get() on:input=move |ev| scopes.set(event_target_value(&ev)) />
                <button type="button" class="small-button" on:click=save>"Save app registration"</button>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </fieldset>
        }
        .into_any(),
        Load::Failed(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
        _ => ().into_any(),
    }
    }
}
