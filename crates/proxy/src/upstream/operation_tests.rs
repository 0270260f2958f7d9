//! How `operation::build` lays out a request: URL, parameters, credentials, and what it refuses.

use super::*;
use plugboard_model::connector::ConnectionParameterSet;
use reqwest::header::AUTHORIZATION;
use serde_json::json;

fn connector(host: &str, security: Value) -> ConnectorDetail {
    serde_json::from_value(json!({
        "id": "c", "name": "Contoso", "host": host, "base_path": "/v1", "schemes": ["http", "https"],
        "security": security,
        "actions": [{
            "operation_id": "GetThing", "method": "GET", "path": "/things/{id}",
            "def": {"id": "connector:c/GetThing", "name": "Get a thing", "category": "Contoso"},
            "bindings": [
                {"name": "id", "in": "path", "api_name": "id"},
                {"name": "top", "in": "query", "api_name": "top", "default": 5},
                {"name": "X-Trace", "in": "header", "api_name": "X-Trace", "default": "t1"}
            ]
        }]
    }))
    .unwrap()
}

fn set(auth: &str, params: Value) -> ConnectionParameterSet {
    serde_json::from_value(
        json!({"name": "default", "display_name": "d", "auth": auth, "parameters": params}),
    )
    .unwrap()
}

fn strings(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn run(
    c: &ConnectorDetail,
    set: &ConnectionParameterSet,
    values: &[(&str, &str)],
    secrets: &[(&str, &str)],
    id: &str,
) -> Result<UpstreamRequest, BuildError> {
    let (values, secrets) = (strings(values), strings(secrets));
    let creds = Credentials {
        set,
        values: &values,
        secrets: &secrets,
    };
    let inputs = BTreeMap::from([("id".to_string(), json!(id))]);
    build(c, &c.actions[0], &inputs, &creds)
}

#[test]
fn api_key_in_the_query_and_parameters_in_place() {
    let c = connector(
        "api.example.com",
        json!([{"id": "k", "auth": "api_key", "in": "query", "name": "code"}]),
    );
    let s = set(
        "api_key",
        json!([{"name": "api_key", "kind": "secure_string", "display_name": "Key"}]),
    );
    let r = run(&c, &s, &[], &[("api_key", "s3cret")], "a b/c").unwrap();
    assert_eq!(r.method, Method::GET);
    assert_eq!(
        r.url.as_str(),
        "https://api.example.com/v1/things/a%20b%2Fc?top=5&code=s3cret"
    );
    assert_eq!(r.headers["x-trace"], "t1");
    assert!(r.credential_headers.is_empty());
}

#[test]
fn api_key_in_a_header_is_sensitive_and_dropped_on_leaving_the_origin() {
    let c = connector(
        "api.example.com:8443",
        json!([{"id": "k", "auth": "api_key", "in": "header", "name": "X-API-Key"}]),
    );
    let s = set(
        "api_key",
        json!([{"name": "api_key", "kind": "secure_string", "display_name": "Key"}]),
    );
    let r = run(&c, &s, &[], &[("api_key", "s3cret")], "1").unwrap();
    assert_eq!(
        r.url.as_str(),
        "https://api.example.com:8443/v1/things/1?top=5"
    );
    assert!(r.headers["x-api-key"].is_sensitive());
    assert_eq!(r.credential_headers, [HeaderName::from_static("x-api-key")]);
    // The generic HTTP connector's `header` field names the header.
    let r = run(
        &c,
        &s,
        &[("header", "Api-Token")],
        &[("api_key", "s3cret")],
        "1",
    )
    .unwrap();
    assert_eq!(r.headers["api-token"], "s3cret");
}

#[test]
fn basic_and_bearer_go_in_authorization() {
    let c = connector("api.example.com", json!([{"id": "b", "auth": "basic"}]));
    let s = set(
        "basic",
        json!([
            {"name": "username", "kind": "string", "display_name": "User"},
            {"name": "password", "kind": "secure_string", "display_name": "Password"}
        ]),
    );
    let r = run(&c, &s, &[("username", "ann")], &[("password", "pw")], "1").unwrap();
    assert_eq!(r.headers[AUTHORIZATION], "Basic YW5uOnB3");
    assert!(r.headers[AUTHORIZATION].is_sensitive());
    assert_eq!(r.credential_headers, [AUTHORIZATION]);
    let s = set(
        "bearer",
        json!([{"name": "token", "kind": "secure_string", "display_name": "Token"}]),
    );
    let r = run(&c, &s, &[], &[("token", "tk")], "1").unwrap();
    assert_eq!(r.headers[AUTHORIZATION], "Bearer tk");
}

#[test]
fn what_cannot_be_built_is_said() {
    let c = connector("api.example.com", json!([]));
    let oauth = set(
        "oauth2",
        json!([{"name": "token", "kind": "oauth", "display_name": "Sign in"}]),
    );
    assert_eq!(
        run(&c, &oauth, &[], &[], "1").unwrap_err(),
        BuildError::NeedsSignIn
    );
    // Signed in: the access token goes as a bearer.
    let r = run(
        &c,
        &oauth,
        &[],
        &[(crate::secrets::ACCESS_TOKEN, "at-1")],
        "1",
    )
    .unwrap();
    assert_eq!(r.headers[AUTHORIZATION], "Bearer at-1");
    let none = set("none", json!([]));
    let missing =
        BuildError::Invalid("Contoso: GetThing needs a value for its path parameter `id`".into());
    assert_eq!(run(&c, &none, &[], &[], "").unwrap_err(), missing);
    let mut no_id = c.clone();
    no_id.actions[0].bindings.remove(0);
    let e = build(
        &no_id,
        &no_id.actions[0],
        &BTreeMap::new(),
        &Credentials {
            set: &none,
            values: &BTreeMap::new(),
            secrets: &BTreeMap::new(),
        },
    );
    assert_eq!(e.unwrap_err(), missing);
    for host in ["", "user@evil.example", "a/b", "{tenant.example.com"] {
        let c = connector(host, json!([]));
        assert_eq!(
            run(&c, &none, &[], &[], "1").unwrap_err(),
            BuildError::Invalid("Contoso declares no host Plugboard can call".into()),
            "{host}"
        );
    }
    let key = set(
        "api_key",
        json!([{"name": "api_key", "kind": "secure_string", "display_name": "Key"}]),
    );
    assert_eq!(
        run(&c, &key, &[], &[("api_key", "k")], "1").unwrap_err(),
        BuildError::Invalid(
            "Contoso does not say where its API key goes (securityDefinitions)".into()
        )
    );
    let c = connector(
        "api.example.com",
        json!([{"id": "k", "auth": "api_key", "in": "header", "name": "X-Key"}]),
    );
    assert_eq!(
        run(&c, &key, &[], &[("api_key", "bad\nkey")], "1").unwrap_err(),
        BuildError::Invalid("The API key holds characters an HTTP header cannot carry".into())
    );
}

#[test]
fn host_templates_take_the_connection_values() {
    let c = connector("{tenant}.example.com", json!([]));
    let none = set(
        "none",
        json!([{"name": "tenant", "kind": "string", "display_name": "Tenant"}]),
    );
    let r = run(&c, &none, &[("tenant", "contoso")], &[], "1").unwrap();
    assert_eq!(
        r.url.as_str(),
        "https://contoso.example.com/v1/things/1?top=5"
    );
    let r = run(
        &connector("{host}", json!([])),
        &none,
        &[("host", "10.0.0.5:8080")],
        &[],
        "1",
    )
    .unwrap();
    assert_eq!(r.url.as_str(), "https://10.0.0.5:8080/v1/things/1?top=5");
    assert_eq!(
        run(&c, &none, &[], &[], "1").unwrap_err(),
        BuildError::Invalid("Contoso: the connection has no `tenant`, which its host needs".into())
    );
    // No value can move the request to another host.
    for evil in [
        "evil.example/x",
        "a@evil.example",
        "evil.example#",
        "x y",
        "evil.example?",
    ] {
        assert_eq!(
            run(&c, &none, &[("tenant", evil)], &[], "1").unwrap_err(),
            BuildError::Invalid("Contoso: the connection's `tenant` is not a host name".into()),
            "{evil}"
        );
    }
    assert_eq!(
        run(
            &connector("{host}", json!([])),
            &none,
            &[("host", "a:b:c")],
            &[],
            "1"
        )
        .unwrap_err(),
        BuildError::Invalid("Contoso: its host and path do not make a valid address".into())
    );
}

#[test]
fn double_url_encoding_encodes_twice() {
    let mut c = connector("api.example.com", json!([]));
    c.actions[0].bindings[0].url_encoding = plugboard_model::connector::UrlEncoding::Double;
    let none = set("none", json!([]));
    let r = run(&c, &none, &[], &[], "a b/c").unwrap();
    assert_eq!(
        r.url.as_str(),
        "https://api.example.com/v1/things/a%2520b%252Fc?top=5"
    );
}

#[test]
fn lists_in_the_query_are_comma_separated() {
    assert_eq!(text(&json!(["a", 1, true])), Some("a,1,true".into()));
    assert_eq!(text(&json!([{"a": 1}])), None);
    assert_eq!(text(&json!({"a": 1})), None);
}
