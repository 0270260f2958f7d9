//! The provider a connection signs in with: the authorization and token endpoints of the
//! connector's `oauthSetting` (generic `oauth2` custom parameters, or `aad` with the owner's tenant
//! or authority override), the owner's client id and secret, and the scopes to ask for.

use super::app::App;
use plugboard_model::connector::{
    AuthKind, ConnectionParameterKind, ConnectionParameterSet, ConnectorDetail, OAuthSettings,
};
use reqwest::Url;

/// Everything the dance needs to talk to the provider.
#[derive(Clone)]
pub struct Provider {
    pub authorization_url: Url,
    pub token_url: Url,
    pub refresh_url: Url,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub scopes: Vec<String>,
}

impl Provider {
    /// The host of the sign-in page, as the user knows it.
    pub fn host(&self) -> String {
        crate::upstream::host_of(&self.authorization_url)
    }
}

/// The OAuth settings of a parameter set that signs in (none: it does not).
pub fn settings(set: &ConnectionParameterSet) -> Option<&OAuthSettings> {
    if set.auth != AuthKind::Oauth2 {
        return None;
    }
    set.parameters
        .iter()
        .find(|p| p.kind == ConnectionParameterKind::Oauth)
        .and_then(|p| p.oauth.as_ref())
}

/// The first parameter set of `connector` that signs in with OAuth.
pub fn oauth_set(connector: &ConnectorDetail) -> Option<&ConnectionParameterSet> {
    connector
        .connection_parameter_sets
        .iter()
        .find(|s| settings(s).is_some())
}

pub fn is_aad(s: &OAuthSettings) -> bool {
    s.identity_provider.starts_with("aad")
}

/// `url` with its authority (everything before `/oauth2/`) or its tenant (the first path
/// segment) replaced as `tenant` says.
fn with_tenant(url: &str, tenant: &str) -> String {
    if tenant.is_empty() {
        return url.to_string();
    }
    if tenant.contains("://") {
        return match url.find("/oauth2/") {
            Some(i) => format!("{}{}", tenant.trim_end_matches('/'), &url[i..]),
            None => url.to_string(),
        };
    }
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    let Some(slash) = rest.find('/') else {
        return url.to_string();
    };
    let after_host = &rest[slash + 1..];
    let tail = after_host.find('/').map_or("", |i| &after_host[i..]);
    format!("{}{}/{tenant}{tail}", &url[..scheme_end], &rest[..slash])
}

fn endpoint(what: &str, url: &str, connector: &str) -> Result<Url, String> {
    if url.is_empty() {
        return Err(format!("{connector}'s definition has no OAuth {what}"));
    }
    let u =
        Url::parse(url).map_err(|_| format!("{connector}'s OAuth {what} is not a valid URL"))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(format!("{connector}'s OAuth {what} is not http or https"));
    }
    Ok(u)
}

/// The provider of `set` (an OAuth set of `connector`) with the owner's registration `app`.
/// Errors are sentences naming what is wrong with the definition.
pub fn provider(
    connector: &ConnectorDetail,
    set: &ConnectionParameterSet,
    app: &App,
) -> Result<Provider, String> {
    let s = settings(set).ok_or_else(|| {
        format!(
            "{} ({}) does not sign in with OAuth 2.0",
            connector.name, set.display_name
        )
    })?;
    let tenant = if is_aad(s) { app.tenant.as_str() } else { "" };
    let name = &connector.name;
    let authorization_url = endpoint(
        "authorization URL",
        &with_tenant(&s.authorization_url, tenant),
        name,
    )?;
    let token_url = endpoint("token URL", &with_tenant(&s.token_url, tenant), name)?;
    let refresh_url = match s.refresh_url.as_str() {
        "" => token_url.clone(),
        r => endpoint("refresh URL", &with_tenant(r, tenant), name)?,
    };
    let mut scopes = s.scopes.clone();
    for extra in &app.extra_scopes {
        if !scopes.contains(extra) {
            scopes.push(extra.clone());
        }
    }
    // Microsoft's identity platform returns a refresh token only when asked for offline access.
    if is_aad(s) && !scopes.iter().any(|x| x == "offline_access") {
        scopes.push("offline_access".into());
    }
    Ok(Provider {
        authorization_url,
        token_url,
        refresh_url,
        client_id: app.client_id.clone(),
        client_secret: app.client_secret.clone(),
        scopes,
    })
}

#[cfg(test)]
mod tests {
    use super::with_tenant;

    const AUTHORIZE: &str = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize";

    #[test]
    fn a_tenant_replaces_the_first_path_segment() {
        assert_eq!(
            with_tenant(AUTHORIZE, "contoso.onmicrosoft.com"),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize"
        );
        assert_eq!(with_tenant(AUTHORIZE, ""), AUTHORIZE);
    }

    #[test]
    fn an_authority_replaces_everything_before_oauth2() {
        assert_eq!(
            with_tenant(AUTHORIZE, "https://login.microsoftonline.us/contoso/"),
            "https://login.microsoftonline.us/contoso/oauth2/v2.0/authorize"
        );
    }
}
