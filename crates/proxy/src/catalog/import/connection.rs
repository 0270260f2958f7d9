//! The ways to connect: connection parameter sets (or the single set), their fields in form
//! order, the auth kind of each, and OAuth settings.

use super::{s, truthy};
use crate::catalog::doc::{Doc, Object, NULL};
use plugboard_model::connector::{
    AuthKind, ConnectionParameter, ConnectionParameterKind, ConnectionParameterSet, OAuthSettings,
};

/// The ways to connect, from `connectionParameterSets` or `connectionParameters`.
pub(super) fn connection_sets(
    props: &Doc,
    security: Option<&Object>,
) -> Vec<ConnectionParameterSet> {
    let has_basic = security
        .into_iter()
        .flat_map(Object::values)
        .any(|d| s(d, "type") == "basic");
    if let Some(sets) = props
        .get("connectionParameterSets")
        .and_then(|s| s.get("values"))
        .and_then(Doc::as_array)
    {
        let out: Vec<_> = sets
            .iter()
            .filter_map(|set| {
                let name = s(set, "name");
                if name.is_empty() {
                    return None;
                }
                let ui = set.get("uiDefinition").unwrap_or(&NULL);
                let params = connection_params(set.get("parameters"));
                Some(ConnectionParameterSet {
                    name: name.to_string(),
                    display_name: match s(ui, "displayName") {
                        "" => name.to_string(),
                        d => d.to_string(),
                    },
                    description: s(ui, "description").to_string(),
                    auth: declared_auth(set).unwrap_or_else(|| set_auth(&params, has_basic)),
                    parameters: params,
                })
            })
            .collect();
        if !out.is_empty() {
            return out;
        }
    }
    let params = connection_params(props.get("connectionParameters"));
    let auth = set_auth(&params, has_basic);
    vec![ConnectionParameterSet {
        name: "default".into(),
        display_name: match auth {
            AuthKind::None => "No authentication",
            AuthKind::ApiKey => "API key",
            AuthKind::Basic => "Basic authentication",
            AuthKind::Bearer => "Bearer token",
            AuthKind::Oauth2 => "OAuth 2.0 sign-in",
        }
        .into(),
        description: String::new(),
        auth,
        parameters: params,
    }]
}

/// Our extension: a parameter set may name its auth kind in `metadata.authKind`.
pub(super) fn declared_auth(set: &Doc) -> Option<AuthKind> {
    let kind = set.get("metadata")?.get("authKind")?.to_value();
    serde_json::from_value(kind).ok()
}

pub(super) fn set_auth(params: &[ConnectionParameter], has_basic: bool) -> AuthKind {
    if params
        .iter()
        .any(|p| p.kind == ConnectionParameterKind::Oauth)
    {
        AuthKind::Oauth2
    } else if has_basic
        && params
            .iter()
            .any(|p| p.kind == ConnectionParameterKind::SecureString)
    {
        AuthKind::Basic
    } else if params
        .iter()
        .any(|p| p.kind == ConnectionParameterKind::SecureString)
    {
        AuthKind::ApiKey
    } else {
        AuthKind::None
    }
}

/// The fields of a way to connect, in the order the connection form shows them: by
/// `uiDefinition.constraints.tabIndex` where given (as Power Platform does), then by name.
pub(super) fn connection_params(v: Option<&Doc>) -> Vec<ConnectionParameter> {
    let Some(map) = v.and_then(Doc::as_object) else {
        return Vec::new();
    };
    let tab_index = |p: &Doc| {
        p.get("uiDefinition")
            .and_then(|ui| ui.get("constraints"))
            .and_then(|c| c.get("tabIndex"))
            .and_then(|t| t.scalar_text().parse::<i64>().ok())
            .unwrap_or(i64::MAX)
    };
    let mut members: Vec<(&str, &Doc)> = map.into_iter().collect();
    // Stable: fields without a tab index (or with the same one) stay in name order.
    members.sort_by_key(|(_, p)| tab_index(p));
    members
        .into_iter()
        .map(|(name, p)| {
            let ui = p.get("uiDefinition").unwrap_or(&NULL);
            let c = ui.get("constraints").unwrap_or(&NULL);
            let kind = match s(p, "type").to_ascii_lowercase().as_str() {
                "string" => ConnectionParameterKind::String,
                "securestring" => ConnectionParameterKind::SecureString,
                "int" => ConnectionParameterKind::Int,
                "bool" => ConnectionParameterKind::Bool,
                "oauthsetting" => ConnectionParameterKind::Oauth,
                _ => ConnectionParameterKind::Unsupported,
            };
            let oauth = (kind == ConnectionParameterKind::Oauth).then(|| oauth_settings(p));
            ConnectionParameter {
                name: name.to_string(),
                kind,
                display_name: match s(ui, "displayName") {
                    "" => name.to_string(),
                    d => d.to_string(),
                },
                description: s(ui, "description").to_string(),
                required: truthy(c.get("required")),
                hidden: truthy(c.get("hidden")),
                default: p.get("defaultValue").map(Doc::scalar_text),
                allowed_values: c
                    .get("allowedValues")
                    .and_then(Doc::as_array)
                    .map(|a| a.iter().map(|v| s(v, "value").to_string()).collect())
                    .unwrap_or_default(),
                oauth,
            }
        })
        .collect()
}

pub(super) fn oauth_settings(p: &Doc) -> OAuthSettings {
    let o = p
        .get("oAuthSettings")
        .or_else(|| p.get("oauthSettings"))
        .unwrap_or(&NULL);
    let custom = o.get("customParameters").unwrap_or(&NULL);
    let pick = |keys: &[&str]| -> String {
        keys.iter()
            .map(|k| s(custom.get(k).unwrap_or(&NULL), "value"))
            .find(|v| !v.is_empty())
            .unwrap_or("")
            .to_string()
    };
    let mut settings = OAuthSettings {
        identity_provider: s(o, "identityProvider").to_string(),
        authorization_url: pick(&["authorizationUrl", "authorizationUrlTemplate"]),
        token_url: pick(&["tokenUrl", "tokenUrlTemplate"]),
        refresh_url: pick(&["refreshUrl", "refreshUrlTemplate"]),
        scopes: o
            .get("scopes")
            .and_then(Doc::as_array)
            .map(|a| a.iter().filter_map(Doc::as_str).map(String::from).collect())
            .unwrap_or_default(),
    };
    if settings.identity_provider.starts_with("aad") && settings.authorization_url.is_empty() {
        let login = match s(custom.get("LoginUri").unwrap_or(&NULL), "value") {
            "" => "https://login.microsoftonline.com",
            l => l,
        };
        let tenant = match s(custom.get("TenantId").unwrap_or(&NULL), "value") {
            "" => "common",
            t => t,
        };
        settings.authorization_url = format!("{login}/{tenant}/oauth2/v2.0/authorize");
        settings.token_url = format!("{login}/{tenant}/oauth2/v2.0/token");
        settings.refresh_url = settings.token_url.clone();
    }
    settings
}
