//! Power Platform's `dynamichosturl` policy (`policyTemplateInstances` in apiProperties.json):
//! an address such as `https://@connectionParameters('instance').example.com/api` (or
//! `@connectionParameters('url')/api`, the connection holding the address's start) that replaces
//! the definition's scheme, host and base path. Its `@connectionParameters('name')` placeholders
//! are filled from the connection's plain values (never its secrets, which would end up in an
//! address): in the host only host-name characters, in the path one percent-encoded segment, so
//! no value can move the request to another host or path.

use super::operation::{encode_segment, BuildError, Credentials};
use plugboard_model::connector::ConnectorDetail;

/// Where a templated connector's requests go.
#[derive(Debug, PartialEq)]
pub struct Base {
    /// `http` or `https`.
    pub scheme: String,
    /// The host, with its `:port` if any.
    pub host: String,
    /// The base path (empty, or starting with `/`, without a trailing `/`).
    pub path: String,
}

const PLACEHOLDER: &str = "@connectionParameters('";

/// The filled-in template of `connector`, or `None` when it has none.
pub fn fill(connector: &ConnectorDetail, creds: &Credentials) -> Result<Option<Base>, BuildError> {
    if connector.host_url.trim().is_empty() {
        return Ok(None);
    }
    // Power Platform's expressions are case-insensitive.
    let template = connector
        .host_url
        .trim()
        .replace("@ConnectionParameters('", PLACEHOLDER);
    let template = template.as_str();
    let name = &connector.name;
    let invalid = |m: String| BuildError::Invalid(format!("{name}: {m}"));
    if template.starts_with('@') && !template.starts_with(PLACEHOLDER) {
        // Another kind of expression: refused by name.
        placeholders(template, creds, |_, v| Ok(v.to_string())).map_err(invalid)?;
    }
    // `@connectionParameters('url')/…`: the connection holds the whole address's start.
    let whole;
    let template = match template.strip_prefix(PLACEHOLDER) {
        Some(after) => {
            let end = after
                .find("')")
                .ok_or_else(|| invalid("its host address template is malformed".into()))?;
            let field = &after[..end];
            let v = value(creds, field).map_err(invalid)?;
            if !is_address(v) {
                return Err(invalid(format!(
                    "the connection's `{field}` is not an http or https address"
                )));
            }
            whole = format!("{}{}", v.trim_end_matches('/'), &after[end + 2..]);
            whole.as_str()
        }
        None => template,
    };
    let (scheme, rest) = template
        .split_once("://")
        .filter(|(s, _)| matches!(*s, "http" | "https"))
        .ok_or_else(|| {
            invalid("its host address template is not an http or https address".into())
        })?;
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let host = placeholders(host, creds, |field, v| {
        if v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':'))
        {
            Ok(v.to_string())
        } else {
            Err(format!("the connection's `{field}` is not a host name"))
        }
    })
    .map_err(invalid)?;
    if host.is_empty() || host.contains(['/', '@', ' ', '?', '#', '\\', '{', '}']) {
        return Err(invalid("its host address template gives no host".into()));
    }
    let path = placeholders(path, creds, |_, v| Ok(encode_segment(v))).map_err(invalid)?;
    if path.contains(['?', '#', '\\', ' ']) {
        return Err(invalid(
            "its host address template's path is not a path".into(),
        ));
    }
    Ok(Some(Base {
        scheme: scheme.to_string(),
        host,
        path: path.trim_end_matches('/').to_string(),
    }))
}

/// The connection's plain value `field` (a secret is never put into an address).
fn value<'a>(creds: &'a Credentials, field: &str) -> Result<&'a str, String> {
    if creds.secrets.contains_key(field) {
        return Err(format!(
            "the connection's `{field}` is secret, so it is not put into an address"
        ));
    }
    creds
        .values
        .get(field)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("the connection has no `{field}`, which its host address needs"))
}

/// `https://host[:port][/path]` with nothing that could start a user, query or fragment, or
/// another placeholder.
fn is_address(v: &str) -> bool {
    let Some(rest) = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':'))
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/' | '%'))
}

/// `part` with each `@connectionParameters('name')` replaced by `place(name, value)`; any other
/// `@…(…)` expression (request headers, query parameters) is refused by name.
fn placeholders(
    part: &str,
    creds: &Credentials,
    place: impl Fn(&str, &str) -> Result<String, String>,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = part;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(after) = rest.strip_prefix(PLACEHOLDER) else {
            let expr: String = rest.chars().take_while(|c| *c != ')').collect();
            return Err(format!(
                "its host address uses `{expr})`, which Plugboard does not fill in"
            ));
        };
        let end = after
            .find("')")
            .ok_or_else(|| "its host address template is malformed".to_string())?;
        let field = &after[..end];
        out.push_str(&place(field, value(creds, field)?)?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plugboard_model::connector::ConnectionParameterSet;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn base(template: &str, values: &[(&str, &str)]) -> Result<Option<Base>, BuildError> {
        let mut c: ConnectorDetail = serde_json::from_value(
            json!({"id": "c", "name": "Contoso", "host": "", "base_path": "/", "actions": []}),
        )
        .unwrap();
        c.host_url = template.into();
        let set: ConnectionParameterSet = serde_json::from_value(
            json!({"name": "default", "display_name": "d", "auth": "api_key", "parameters": []}),
        )
        .unwrap();
        let values: BTreeMap<String, String> = values
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let secrets = BTreeMap::from([("token".to_string(), "secret.example".to_string())]);
        fill(
            &c,
            &Credentials {
                set: &set,
                values: &values,
                secrets: &secrets,
            },
        )
    }

    fn invalid(m: &str) -> Result<Option<Base>, BuildError> {
        Err(BuildError::Invalid(format!("Contoso: {m}")))
    }

    #[test]
    fn placeholders_are_filled_from_the_connections_plain_values() {
        let t = "https://ecc@connectionParameters('serial').example.net/ebms/@connectionParameters('company')/OData/";
        assert_eq!(
            base(t, &[("serial", "42"), ("company", "Fabrikam Ltd/x")]).unwrap(),
            Some(Base {
                scheme: "https".into(),
                host: "ecc42.example.net".into(),
                path: "/ebms/Fabrikam%20Ltd%2Fx/OData".into(),
            })
        );
        assert_eq!(
            base(
                "http://@connectionParameters('host')",
                &[("host", "127.0.0.1:8080")]
            )
            .unwrap(),
            Some(Base {
                scheme: "http".into(),
                host: "127.0.0.1:8080".into(),
                path: String::new(),
            })
        );
        assert_eq!(base("", &[]).unwrap(), None);
        // The connection may hold the address's whole start.
        let t = "@ConnectionParameters('url')/connector";
        assert_eq!(
            base(t, &[("url", "https://itsm.contoso.com:8443/base/")]).unwrap(),
            Some(Base {
                scheme: "https".into(),
                host: "itsm.contoso.com:8443".into(),
                path: "/base/connector".into(),
            })
        );
    }

    #[test]
    fn values_that_would_move_the_request_and_unknown_expressions_are_refused() {
        let t = "https://@connectionParameters('instance').example.com/api";
        assert_eq!(
            base(t, &[("instance", "evil.example/x?")]),
            invalid("the connection's `instance` is not a host name")
        );
        let t = "@connectionParameters('url')/connector";
        for bad in [
            "itsm.contoso.com",
            "https://a@evil.example",
            "https://a.example/x?y",
            "https://a.example/@connectionParameters('url')",
        ] {
            assert_eq!(
                base(t, &[("url", bad)]),
                invalid("the connection's `url` is not an http or https address"),
                "{bad}"
            );
        }
        // A secret is never put into an address.
        assert_eq!(
            base("https://@connectionParameters('token').example.com", &[]),
            invalid("the connection's `token` is secret, so it is not put into an address")
        );
        assert_eq!(
            base("https://@connectionParameters('region').example.com", &[]),
            invalid("the connection has no `region`, which its host address needs")
        );
        assert_eq!(
            base("@headers('service_url')/api", &[]),
            invalid(
                "its host address uses `@headers('service_url')`, which Plugboard does not fill in"
            )
        );
        assert_eq!(
            base("https://@queryParameters('hostname').atlassian.net/", &[]),
            invalid("its host address uses `@queryParameters('hostname')`, which Plugboard does not fill in")
        );
        assert_eq!(
            base(
                "ftp://@connectionParameters('instance')",
                &[("instance", "a")]
            ),
            invalid("its host address template is not an http or https address")
        );
        assert_eq!(
            base(
                "https://@connectionParameters('instance",
                &[("instance", "a")]
            ),
            invalid("its host address template is malformed")
        );
    }
}
