//! The connector importer against the shipped connectors, bad input, and the real corpus.

use crate::common::*;
use plugboard_proxy::catalog::import::{import_dirs, read_json};

fn temp() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("pbimp-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn shipped_connectors_import_cleanly() {
    let r = import_dirs(&[shipped()]);
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    let ids: Vec<&str> = r.connectors.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "http",
            "office365outlook",
            "onedriveforbusiness",
            "sharepoint"
        ]
    );
    let names = |id: &str| -> Vec<String> {
        let c = r.connectors.iter().find(|c| c.id == id).unwrap();
        let mut v: Vec<String> = c
            .actions
            .iter()
            .filter(|a| a.visibility != plugboard_model::connector::ApiVisibility::Internal)
            .map(|a| a.def.name.clone())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names("office365outlook"),
        [
            "Create event (V4)",
            "Delete email (V2)",
            "Flag email (V2)",
            "Forward an email (V2)",
            "Get contact (V2)",
            "Get contacts (V2)",
            "Get email (V2)",
            "Get emails (V3)",
            "Get events (V4)",
            "Move email (V2)",
            "Reply to email (V3)",
            "Send an email (V2)"
        ]
    );
    assert_eq!(
        names("onedriveforbusiness"),
        [
            "Copy file",
            "Create file",
            "Create folder",
            "Create share link",
            "Delete file",
            "Find files",
            "Get file content",
            "Get file metadata",
            "List files in folder",
            "List files in root folder",
            "Move or rename a file"
        ]
    );
    assert_eq!(
        names("sharepoint"),
        [
            "Create file",
            "Create item",
            "Delete item",
            "Get file content",
            "Get file metadata",
            "Get item",
            "Get items",
            "Get libraries",
            "Get lists",
            "List files in folder",
            "Update item"
        ]
    );
    let sp = r.connectors.iter().find(|c| c.id == "sharepoint").unwrap();
    let items = sp.action("GetItems").unwrap();
    assert!(items
        .bindings
        .iter()
        .any(|b| b.name == "listId" && b.dynamic_values.is_some()));
    assert!(
        items.def.param("$expand").is_none(),
        "internal parameters are hidden"
    );
    assert!(items.output.is_some());
}

#[test]
fn malformed_files_are_reported_with_position_and_the_rest_imported() {
    let root = temp();
    let ok = root.join("Good One");
    std::fs::create_dir_all(&ok).unwrap();
    // A BOM is tolerated.
    std::fs::write(ok.join("apiDefinition.swagger.json"),
        b"\xEF\xBB\xBF{\"swagger\":\"2.0\",\"info\":{\"title\":\"Good\"},\"paths\":{\"/a\":{\"get\":{\"operationId\":\"A\",\"summary\":\"Do A\"},\"post\":{\"operationId\":\"T\",\"x-ms-trigger\":\"single\"}}}}").unwrap();
    let bad = root.join("Bäd");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("apiDefinition.swagger.json"),
        "{\n  \"swagger\": \"2.0\",\n}\n",
    )
    .unwrap();
    let badprops = root.join("BadProps");
    std::fs::create_dir_all(&badprops).unwrap();
    std::fs::write(badprops.join("apiDefinition.swagger.json"), "{}").unwrap();
    std::fs::write(badprops.join("apiProperties.json"), b"{\"a\": \"\xff\"}").unwrap();
    let notobj = root.join("NotObject");
    std::fs::create_dir_all(&notobj).unwrap();
    std::fs::write(notobj.join("apiDefinition.swagger.json"), "[1]").unwrap();
    let deep = root.join("Deep");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(
        deep.join("apiDefinition.swagger.json"),
        format!("{{\"a\":{}1{}}}", "[".repeat(10_000), "]".repeat(10_000)),
    )
    .unwrap();
    let props_only = root.join("PropsOnly");
    std::fs::create_dir_all(&props_only).unwrap();
    std::fs::write(props_only.join("apiProperties.json"), "{}").unwrap();

    let r = import_dirs(std::slice::from_ref(&root));
    assert_eq!(r.connectors.len(), 1);
    assert_eq!(r.connectors[0].id, "good-one");
    assert_eq!(r.connectors[0].actions.len(), 1);
    assert_eq!(r.connectors[0].triggers.len(), 1);
    assert_eq!(r.rejected.len(), 4, "{:?}", r.rejected);
    let bad_r = r
        .rejected
        .iter()
        .find(|x| x.file.starts_with(&bad))
        .unwrap();
    assert_eq!((bad_r.line, bad_r.column), (3, 1));
    assert!(bad_r.reason.contains("trailing comma"), "{}", bad_r.reason);
    assert!(r
        .rejected
        .iter()
        .any(|x| x.file.ends_with("BadProps/apiProperties.json") && x.reason.contains("UTF-8")));
    assert_eq!(r.skipped, vec![props_only]);
    assert_eq!(
        r.summary_line(),
        "imported 1 connectors (1 actions), rejected 4 files"
    );
    assert!(read_json(&root.join("missing.json")).is_err());
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn same_folder_name_in_two_trees_gets_two_ids() {
    let root = temp();
    for tree in ["a", "b"] {
        let d = root.join(tree).join("Twin");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("apiDefinition.swagger.json"), "{\"paths\":{}}").unwrap();
    }
    let r = import_dirs(std::slice::from_ref(&root));
    let ids: Vec<&str> = r.connectors.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["twin", "b-twin"]);
    std::fs::remove_dir_all(root).unwrap();
}

/// The acceptance figures of the real corpus (skipped when it is not beside the repository).
#[test]
fn corpus_imports_every_valid_connector() {
    let dir = corpus();
    if !dir.is_dir() {
        eprintln!("no corpus at {}: skipped", dir.display());
        return;
    }
    let r = import_dirs(&[dir]);
    assert_eq!(
        r.summary_line(),
        "imported 1009 connectors (15119 actions), rejected 21 files"
    );
    assert_eq!(r.skipped.len(), 4);
    let defs = r
        .rejected
        .iter()
        .filter(|x| x.file.ends_with("apiDefinition.swagger.json"))
        .count();
    assert_eq!(defs, 18);
    assert!(r.rejected.iter().all(|x| x.line > 0 && x.column < 100_000));
    let triggers: usize = r.connectors.iter().map(|c| c.triggers.len()).sum();
    assert_eq!(triggers, 687);
    let mut ids: Vec<&str> = r.connectors.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1009, "connector ids are unique");
    let testable = r
        .connectors
        .iter()
        .filter(|c| c.test_connection.is_some())
        .count();
    assert_eq!(testable, TESTABLE_IN_CORPUS, "warnings: {:?}", r.warnings);
}

/// Corpus connectors with a usable `x-ms-capabilities.testConnection`.
const TESTABLE_IN_CORPUS: usize = 31;

/// One connector folder in `root` whose definition has `capabilities` as `x-ms-capabilities`.
fn connector_with(root: &std::path::Path, name: &str, capabilities: serde_json::Value) {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let def = serde_json::json!({
        "swagger": "2.0", "info": {"title": name}, "host": "api.example.com",
        "securityDefinitions": {
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "odd": {"type": "apiKey", "in": "cookie", "name": "k"}
        },
        "x-ms-capabilities": capabilities,
        "paths": {"/me": {"get": {"operationId": "GetMe", "parameters": [
            {"name": "fields", "in": "query", "type": "string"}
        ], "responses": {}}}}
    });
    std::fs::write(dir.join("apiDefinition.swagger.json"), def.to_string()).unwrap();
}

#[test]
fn test_connection_is_read_and_bad_shapes_are_warnings() {
    let root = temp();
    connector_with(
        &root,
        "good",
        serde_json::json!({"testConnection": {"operationId": "GetMe", "parameters": {"fields": "id"}}}),
    );
    for (name, tc, reason) in [
        ("a-string", serde_json::json!("GetMe"), "x-ms-capabilities.testConnection: must be an object with an operationId"),
        ("no-op", serde_json::json!({}), "x-ms-capabilities.testConnection.operationId: missing or not a text"),
        ("unknown-op", serde_json::json!({"operationId": "Nope"}), "x-ms-capabilities.testConnection.operationId: `Nope` is not an action of this connector"),
        ("bad-params", serde_json::json!({"operationId": "GetMe", "parameters": []}), "x-ms-capabilities.testConnection.parameters: must be an object"),
        ("object-param", serde_json::json!({"operationId": "GetMe", "parameters": {"fields": {}}}), "x-ms-capabilities.testConnection.parameters.fields: must be a text, number or boolean"),
        ("unknown-param", serde_json::json!({"operationId": "GetMe", "parameters": {"x": 1}}), "x-ms-capabilities.testConnection.parameters.x: `GetMe` has no such parameter"),
    ] {
        connector_with(&root, name, serde_json::json!({"testConnection": tc}));
        let r = import_dirs(&[root.join(name)]);
        assert!(r.rejected.is_empty(), "{name}: {:?}", r.rejected);
        assert_eq!(r.connectors.len(), 1, "{name}: still imported");
        assert_eq!(r.connectors[0].test_connection, None, "{name}");
        let reasons: Vec<&str> = r.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert!(reasons.contains(&reason), "{name}: {reasons:?}");
        assert!(r.warnings[0].file.ends_with("apiDefinition.swagger.json"));
    }
    let r = import_dirs(&[root.join("good")]);
    let c = &r.connectors[0];
    let tc = c.test_connection.as_ref().unwrap();
    assert_eq!(tc.operation_id, "GetMe");
    assert_eq!(tc.parameters["fields"], "id");
    // The API key scheme is kept; the one with no place it can go is a warning.
    assert_eq!(c.security.len(), 1);
    assert_eq!(
        (c.security[0].id.as_str(), c.security[0].name.as_str()),
        ("key", "X-Key")
    );
    assert_eq!(
        r.warnings.iter().map(|w| w.reason.as_str()).collect::<Vec<_>>(),
        ["securityDefinitions.odd.in: `cookie` is not `header` or `query`; the API key is not sent"]
    );
    let _ = std::fs::remove_dir_all(&root);
}
