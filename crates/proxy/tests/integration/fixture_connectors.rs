//! The test connectors of the browser tests (`tests/fixtures/connectors`: Contoso Tickets with an
//! API key, Fabrikam CRM with basic authentication) import cleanly and are served as expected.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Parser;
use plugboard_proxy::catalog::import::import_dirs;
use plugboard_proxy::config::Cli;
use serde_json::{json, Value};

#[test]
fn fixture_connectors_import_cleanly() {
    let r = import_dirs(&[fixture_connectors()]);
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    let ids: Vec<&str> = r.connectors.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["contoso-tickets", "fabrikam-crm"]);
    assert_eq!(
        r.summary_line(),
        "imported 2 connectors (6 actions), rejected 0 files"
    );
}

/// The catalog of `plugboard-proxy --connectors tests/fixtures/connectors`.
fn fixture_app(t: &TestApp) -> axum::Router {
    let dir = fixture_connectors();
    let cli = Cli::parse_from(["plugboard-proxy", "--connectors", dir.to_str().unwrap()]);
    t.with_connectors(&cli.config.connector_dirs())
}

fn get_req(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

fn action<'a>(detail: &'a Value, op: &str) -> &'a Value {
    detail["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["operation_id"] == op)
        .unwrap_or_else(|| panic!("{op}"))
}

fn param<'a>(action: &'a Value, name: &str) -> &'a Value {
    action["def"]["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {}", action["def"]["params"]))
}

#[tokio::test]
async fn contoso_tickets_has_an_api_key_and_hides_its_internal_action() {
    each_backend(async |t| {
        let app = fixture_app(&t);
        let index = send(&app, get_req("/api/connectors")).await;
        let ids = each(&index.body["connectors"], "id");
        assert!(ids.contains(&"http"), "shipped ones too: {ids:?}");
        assert!(ids.contains(&"contoso-tickets") && ids.contains(&"fabrikam-crm"));
        let r = send(&app, get_req("/api/connectors/contoso-tickets")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let c = &r.body;
        assert_eq!(c["name"], "Contoso Tickets");
        assert_eq!(c["color"], "#0f7b6c");
        assert_eq!(c["auth"], json!(["api_key"]));
        let sets = c["connection_parameter_sets"].as_array().unwrap();
        assert_eq!(sets.len(), 1);
        assert_eq!(sets[0]["auth"], "api_key");
        assert_eq!(
            sets[0]["parameters"],
            json!([{"name": "api_key", "kind": "secure_string", "display_name": "API key",
                "description": "The API key of your Contoso Tickets workspace.", "required": true}])
        );
        let create = action(c, "CreateTicket");
        assert_eq!(create["def"]["name"], "Create a ticket");
        assert_eq!(create["method"], "POST");
        let title = param(create, "body/title");
        assert_eq!(title["label"], "Title");
        assert_eq!(title["required"], true);
        assert_eq!(
            param(create, "body/priority")["type"],
            json!({"kind": "enum", "options": ["Low", "Normal", "High"]})
        );
        assert_eq!(param(create, "body/description")["visibility"], "advanced");
        let get = action(c, "GetTicket");
        assert_eq!(
            (get["method"].as_str(), get["path"].as_str()),
            (Some("GET"), Some("/tickets/{id}"))
        );
        assert_eq!(param(get, "id")["required"], true);
        let list = action(c, "ListTickets");
        let queue = list["bindings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["name"] == "queue")
            .unwrap();
        assert_eq!(queue["dynamic_values"]["operationId"], "ListQueues");
        assert_eq!(action(c, "ListQueues")["visibility"], "internal");
        // The index marks it internal too, so the library leaves it out.
        let summary = index.body["connectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "contoso-tickets")
            .unwrap();
        let internal: Vec<&Value> = summary["actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["visibility"] == "internal")
            .collect();
        assert_eq!(internal.len(), 1);
        assert_eq!(internal[0]["id"], "ListQueues");
        // "Test connection" calls ListQueues with the key in the X-API-Key header.
        assert_eq!(c["test_connection"], json!({"operation_id": "ListQueues"}));
        assert_eq!(
            c["security"],
            json!([{"id": "api_key", "auth": "api_key", "in": "header", "name": "X-API-Key"}])
        );
    })
    .await;
}

#[tokio::test]
async fn fabrikam_crm_has_basic_authentication() {
    each_backend(async |t| {
        let app = fixture_app(&t);
        let r = send(&app, get_req("/api/connectors/fabrikam-crm")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["name"], "Fabrikam CRM");
        assert_eq!(r.body["auth"], json!(["basic"]));
        let set = &r.body["connection_parameter_sets"][0];
        assert_eq!(set["auth"], "basic");
        let fields: Vec<(&str, &str, bool)> = set["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap(),
                    p["kind"].as_str().unwrap(),
                    p["required"].as_bool().unwrap(),
                )
            })
            .collect();
        // In `tabIndex` order, as Power Platform shows them (by name, password would come first).
        assert_eq!(
            fields,
            [
                ("username", "string", true),
                ("password", "secure_string", true)
            ]
        );
        let mut ops = each(&r.body["actions"], "operation_id");
        ops.sort();
        assert_eq!(ops, ["CreateContact", "FindContacts"]);
        assert_eq!(
            r.body["test_connection"],
            json!({"operation_id": "FindContacts", "parameters": {"search": "plugboard"}})
        );
    })
    .await;
}
