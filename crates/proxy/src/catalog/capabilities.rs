//! What the proxy needs to call a connector besides its operations: `securityDefinitions` (where
//! an API key goes), `x-ms-capabilities.testConnection` and the `dynamichosturl` policy's address.
//! A bad shape is a warning naming the member; the connector is still imported, without that
//! part.

use super::doc::{Doc, Object};
use plugboard_model::connector::{
    AuthKind, ConnectorAction, ParamLocation, SecurityScheme, TestConnection,
};

fn s<'a>(v: &'a Doc<'a>, key: &str) -> &'a str {
    v.get(key).and_then(Doc::as_str).unwrap_or("")
}

/// The security schemes of a definition; entries of unknown types or bad shapes are skipped
/// with a warning.
pub fn security(defs: Option<&Object>, warnings: &mut Vec<String>) -> Vec<SecurityScheme> {
    let mut out = Vec::new();
    for (id, d) in defs.into_iter().flatten() {
        let scheme = match s(d, "type") {
            "apiKey" => {
                let location = match s(d, "in") {
                    "header" => ParamLocation::Header,
                    "query" => ParamLocation::Query,
                    other => {
                        warnings.push(format!(
                            "securityDefinitions.{id}.in: `{other}` is not `header` or `query`; the API key is not sent"
                        ));
                        continue;
                    }
                };
                let name = s(d, "name").trim();
                if name.is_empty() {
                    warnings.push(format!(
                        "securityDefinitions.{id}.name: missing; the API key is not sent"
                    ));
                    continue;
                }
                SecurityScheme {
                    id: id.to_string(),
                    auth: AuthKind::ApiKey,
                    location: Some(location),
                    name: name.to_string(),
                }
            }
            "basic" => scheme(id, AuthKind::Basic),
            "oauth2" => scheme(id, AuthKind::Oauth2),
            _ => continue,
        };
        out.push(scheme);
    }
    out
}

fn scheme(id: &str, auth: AuthKind) -> SecurityScheme {
    SecurityScheme {
        id: id.to_string(),
        auth,
        location: None,
        name: String::new(),
    }
}

/// `x-ms-capabilities.testConnection`: `{"operationId": "…", "parameters": {name: scalar}}`
/// naming one of `actions`. `Ok(None)` when absent; `Err` says what is wrong and where.
pub fn test_connection(
    def: &Doc,
    actions: &[ConnectorAction],
) -> Result<Option<TestConnection>, String> {
    const AT: &str = "x-ms-capabilities.testConnection";
    let Some(tc) = def
        .get("x-ms-capabilities")
        .and_then(|c| c.get("testConnection"))
    else {
        return Ok(None);
    };
    if !tc.is_object() {
        return Err(format!("{AT}: must be an object with an operationId"));
    }
    let op = match tc.get("operationId") {
        Some(Doc::String(op)) if !op.trim().is_empty() => op.trim(),
        _ => return Err(format!("{AT}.operationId: missing or not a text")),
    };
    let Some(action) = actions.iter().find(|a| a.operation_id == op) else {
        return Err(format!(
            "{AT}.operationId: `{op}` is not an action of this connector"
        ));
    };
    let mut parameters = std::collections::BTreeMap::new();
    match tc.get("parameters") {
        None | Some(Doc::Null) => {}
        Some(Doc::Object(members)) => {
            for (name, v) in members {
                if !matches!(v, Doc::String(_) | Doc::Number(_) | Doc::Bool(_)) {
                    return Err(format!(
                        "{AT}.parameters.{name}: must be a text, number or boolean"
                    ));
                }
                if !action.bindings.iter().any(|b| b.api_name == name) {
                    return Err(format!(
                        "{AT}.parameters.{name}: `{op}` has no such parameter"
                    ));
                }
                parameters.insert(name.to_string(), v.to_value());
            }
        }
        Some(_) => return Err(format!("{AT}.parameters: must be an object")),
    }
    Ok(Some(TestConnection {
        operation_id: op.to_string(),
        parameters,
    }))
}

/// The address template of apiProperties' `dynamichosturl` policy
/// (`policyTemplateInstances[].parameters["x-ms-apimTemplateParameter.urlTemplate"]`); empty
/// when there is none. Its placeholders are filled at execution (`upstream::host_url`).
pub fn host_url(props: &Doc, warnings: &mut Vec<String>) -> String {
    const AT: &str = "policyTemplateInstances";
    let Some(list) = props.get(AT).and_then(Doc::as_array) else {
        return String::new();
    };
    for (i, p) in list.iter().enumerate() {
        if s(p, "templateId") != "dynamichosturl" {
            continue;
        }
        const KEY: &str = "x-ms-apimTemplateParameter.urlTemplate";
        // Kept as written: an address Plugboard cannot fill in is refused, by name, when
        // an action runs (calling the definition's own host instead would call the wrong one).
        let url = p.get("parameters").map_or("", |ps| s(ps, KEY)).trim();
        if !url.is_empty() {
            return url.to_string();
        }
        warnings.push(format!(
            "{AT}[{i}].parameters.{KEY}: missing; the definition's host is called"
        ));
    }
    String::new()
}
