//! OAuth 2.0 as the browser sees it: a connector's app registration (the client secret only as
//! "set"), the request that saves one, and the start of a connection's sign-in.

use serde::{Deserialize, Serialize};

/// `GET /api/oauth/apps/{connector}`: the owner's app registration for a connector, and the
/// redirect URI to register with the provider. Never holds the client secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OAuthApp {
    pub connector_id: String,
    /// Whether an app is registered (false: every other field but the redirect URI is empty).
    pub registered: bool,
    #[serde(default)]
    pub client_id: String,
    /// Whether a client secret is stored (it is write-only).
    #[serde(default)]
    pub client_secret_set: bool,
    /// Microsoft Entra (aad) tenant id or domain, or an authority URL such as
    /// `https://login.microsoftonline.com/contoso.onmicrosoft.com`; empty: the definition's.
    #[serde(default)]
    pub tenant: String,
    /// Scopes asked for besides the definition's.
    #[serde(default)]
    pub extra_scopes: Vec<String>,
    /// The address the provider sends the user back to: paste it into the app registration.
    pub redirect_uri: String,
}

/// `PUT /api/oauth/apps/{connector}`. An absent `client_secret` keeps the stored one; an empty
/// one removes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthAppUpdate {
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub tenant: String,
    #[serde(default)]
    pub extra_scopes: Vec<String>,
}

/// `POST /api/oauth/start`: sign a connection in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInStart {
    pub connection_id: String,
}

/// The provider's sign-in page to open in the popup (it carries the single-use state).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignInUrl {
    pub authorization_url: String,
}

/// What the callback page tells the designer window that opened it (by `postMessage` to the
/// designer's own origin): which connection, and whether the sign-in succeeded and why not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignInOutcome {
    /// Always `"plugboard-oauth"`, so the designer ignores any other message.
    pub kind: String,
    #[serde(default)]
    pub connection_id: String,
    pub ok: bool,
    #[serde(default)]
    pub message: String,
}

/// `SignInOutcome::kind`.
pub const SIGN_IN_MESSAGE: &str = "plugboard-oauth";
