//! The shipped Microsoft Graph connectors (Office 365 Outlook, OneDrive for Business,
//! SharePoint), every operation executed through `POST /api/environments/{env}/execute` against
//! `graph_server` (Graph's documented request shapes and answers): the request is exactly the
//! one Graph expects, and the answer matches the operation's response schema. The definitions
//! are copies of the shipped ones pointed at the local service, with a bearer token in place of
//! OAuth sign-in, so the request shapes are tested apart from signing in.

use crate::common::*;
use crate::execute::Ctx;
use crate::graph_server::{GraphServer, Seen, FILE_BYTES, TOKEN};
use axum::http::StatusCode;
use base64::Engine;
use plugboard_model::execute::dynamic::{DynamicOption, DynamicValues};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const GRAPH: [&str; 3] = ["office365outlook", "onedriveforbusiness", "sharepoint"];
const SITE: &str = "contoso.sharepoint.com,2C712604,2D2244C3";
const SITE_PATH: &str = "/v1.0/sites/contoso.sharepoint.com%2C2C712604%2C2D2244C3";

/// Copies of the shipped Graph connectors calling `host` over http, connected with a bearer
/// token (the shipped ones sign in with OAuth 2.0).
fn pointed(dir: &Path, host: &str) -> PathBuf {
    let out = dir.join(format!("graph-{}", uuid::Uuid::new_v4().simple()));
    for id in GRAPH {
        let read = |file: &str| -> Value {
            let text = std::fs::read_to_string(shipped().join(id).join(file)).unwrap();
            serde_json::from_str(&text).unwrap()
        };
        let mut def = read("apiDefinition.swagger.json");
        def["host"] = json!(host);
        def["schemes"] = json!(["http"]);
        let o = def.as_object_mut().unwrap();
        o.remove("securityDefinitions");
        o.remove("security");
        let mut props = read("apiProperties.json");
        let p = props["properties"].as_object_mut().unwrap();
        p.remove("connectionParameters");
        p.insert(
            "connectionParameterSets".into(),
            json!({"values": [{
                "name": "bearer", "metadata": {"authKind": "bearer"},
                "uiDefinition": {"displayName": "Bearer token"},
                "parameters": {"token": {"type": "securestring",
                    "uiDefinition": {"displayName": "Token", "constraints": {"required": "true"}}}}
            }]}),
        );
        let d = out.join(id);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("apiDefinition.swagger.json"), def.to_string()).unwrap();
        std::fs::write(d.join("apiProperties.json"), props.to_string()).unwrap();
    }
    out
}

/// One operation's execution and what Graph must have been sent.
struct Case {
    op: &'static str,
    inputs: Value,
    method: &'static str,
    path: String,
    query: &'static [(&'static str, &'static str)],
    /// The JSON body Graph got (`Null`: none).
    body: Value,
    /// The execute result's `status`.
    status: u16,
    /// Values in the result's `body`, by JSON pointer.
    out: Vec<(&'static str, Value)>,
}

fn case(op: &'static str, inputs: Value, method: &'static str, path: impl Into<String>) -> Case {
    Case {
        op,
        inputs,
        method,
        path: path.into(),
        query: &[],
        body: Value::Null,
        status: 200,
        out: Vec::new(),
    }
}

impl Case {
    fn query(mut self, q: &'static [(&'static str, &'static str)]) -> Self {
        self.query = q;
        self
    }
    fn body(mut self, b: Value) -> Self {
        self.body = b;
        self
    }
    fn status(mut self, s: u16) -> Self {
        self.status = s;
        self
    }
    fn out(mut self, at: &'static str, v: Value) -> Self {
        self.out.push((at, v));
        self
    }
}

/// The JSON type name a schema type expects of a value, or `None` when any will do.
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Members Graph sends only when they apply: the next page's link when more remain, and a drive
/// item's `folder` or `file` facet.
const CONDITIONAL: &[&str] = &["@odata.nextLink", "folder", "file"];

/// `answer` has every property `schema` declares, each of the declared type (list items
/// checked one by one): the outputs the dialog offers from the schema are all there.
fn assert_shaped(answer: &Value, schema: &Value, at: &str) {
    let ty = schema["type"].as_str().unwrap_or("");
    let got = json_type(answer);
    let fits = match ty {
        "" => true,
        "number" => matches!(got, "number" | "integer"),
        t => t == got,
    };
    assert!(fits, "{at}: expected {ty}, the answer has {answer}");
    if let Some(props) = schema["properties"].as_object() {
        for (k, s) in props {
            if CONDITIONAL.contains(&k.as_str()) && answer.get(k).is_none() {
                continue;
            }
            let v = answer
                .get(k)
                .unwrap_or_else(|| panic!("{at}: the answer has no `{k}`: {answer}"));
            assert_shaped(v, s, &format!("{at}/{k}"));
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), answer.as_array()) {
        for (i, v) in list.iter().enumerate() {
            assert_shaped(v, items, &format!("{at}/{i}"));
        }
    }
}

/// The test's app calling only the Graph stand-in, with one bound connection per connector.
struct Graph {
    ctx: Ctx,
    refs: BTreeMap<&'static str, String>,
    details: BTreeMap<&'static str, Value>,
}

impl Graph {
    async fn new(t: &TestApp, graph: &GraphServer) -> Graph {
        let dir = pointed(&t.dir, &graph.host());
        let app = t.with(&[dir], |s| {
            s.upstream.allow = vec!["127.0.0.1".parse().unwrap()]
        });
        let ctx = Ctx::on(t, app).await;
        let mut refs = BTreeMap::new();
        let mut details = BTreeMap::new();
        for id in GRAPH {
            refs.insert(id, ctx.bound(id, json!({"token": TOKEN})).await);
            let path = format!("/api/connectors/{id}");
            let d = call_on(&ctx.app, "GET", &path, None, &ctx.owner).await;
            assert_eq!(d.status, StatusCode::OK, "{}", d.text);
            details.insert(id, d.body);
        }
        Graph { ctx, refs, details }
    }

    fn action(&self, connector: &str, op: &str) -> &Value {
        self.details[connector]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["operation_id"] == op)
            .unwrap_or_else(|| panic!("{connector} has no {op}"))
    }

    /// Run each case; every operation of `connector` must have one.
    async fn run(&self, graph: &GraphServer, connector: &'static str, cases: Vec<Case>) {
        let mut untested: Vec<String> = self.details[connector]["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["operation_id"].as_str().unwrap().to_string())
            .collect();
        assert!(untested.len() >= 10, "{connector}: {untested:?}");
        for c in cases {
            untested.retain(|o| o != c.op);
            let op = c.op;
            graph.take();
            let r = self
                .ctx
                .exec(Some(&self.refs[connector]), connector, op, c.inputs)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{op}: {}", r.text);
            assert_eq!(r.body["status"], c.status, "{op}: {}", r.text);
            let seen = graph.take();
            let first: &Seen = seen.first().unwrap_or_else(|| panic!("{op}: no request"));
            assert_eq!(
                (first.method.as_str(), first.path.as_str()),
                (c.method, c.path.as_str()),
                "{op}"
            );
            let query: Vec<(&str, &str)> = first
                .query
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            assert_eq!(query, c.query, "{op}: query");
            if c.body.is_null() {
                if first.method != "PUT" {
                    assert!(first.body.is_empty(), "{op}: sent a body");
                }
            } else {
                assert_eq!(first.content_type, "application/json", "{op}");
                assert_eq!(first.json(), c.body, "{op}: body");
            }
            for (at, v) in &c.out {
                assert_eq!(
                    r.body["body"].pointer(at),
                    Some(v),
                    "{op}: {at} in {}",
                    r.text
                );
            }
            let output = &self.action(connector, op)["output"];
            if r.body["body_kind"] == "json" && !output.is_null() {
                assert_shaped(&r.body["body"], output, op);
            }
        }
        assert!(untested.is_empty(), "{connector}: no case for {untested:?}");
    }

    /// The options of `connector`'s `op`'s input `name` (its `x-ms-dynamic-values`), listed
    /// through the execute endpoint with the step's other `inputs`.
    async fn options(
        &self,
        connector: &'static str,
        op: &str,
        name: &str,
        inputs: Value,
    ) -> Vec<(String, String)> {
        let binding = self.action(connector, op)["bindings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["name"] == name)
            .unwrap_or_else(|| panic!("{op} has no input {name}"));
        let dv = DynamicValues::parse(&binding["dynamic_values"]).unwrap();
        let inputs: BTreeMap<String, Value> = serde_json::from_value(inputs).unwrap();
        let req = dv
            .request(connector, Some(&self.refs[connector]), &inputs)
            .unwrap();
        let r = self.ctx.send(&req).await;
        assert_eq!(r.status, StatusCode::OK, "{op}/{name}: {}", r.text);
        dv.options(&r.body["body"])
            .unwrap()
            .into_iter()
            .map(|DynamicOption { value, title }| (value, title))
            .collect()
    }
}

fn recipient(address: &str) -> Value {
    json!({"emailAddress": {"address": address}})
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test]
async fn outlook_operations_make_the_requests_graph_expects() {
    let graph = GraphServer::start().await;
    each_backend(async |t| {
        let g = Graph::new(&t, &graph).await;
        let msg = "/v1.0/me/messages/AAMkMsg1";
        let adele = recipient("adele@contoso.com");
        g.run(&graph, "office365outlook", vec![
            // The recipients as a designer field holds them: JSON text.
            case("SendEmailV2", json!({
                "body/message/subject": "Q4 report",
                "body/message/body/content": "<p>Attached.</p>",
                "body/message/toRecipients": r#"[{"emailAddress": {"address": "adele@contoso.com"}}]"#,
                "body/message/ccRecipients": [recipient("alex@contoso.com")],
                "body/message/importance": "high",
            }), "POST", "/v1.0/me/sendMail").status(202).body(json!({
                "message": {"subject": "Q4 report", "body": {"contentType": "html", "content": "<p>Attached.</p>"},
                    "toRecipients": [adele], "ccRecipients": [recipient("alex@contoso.com")], "importance": "high"},
                "saveToSentItems": true})),
            case("ReplyToV3", json!({"messageId": "AAMkMsg1", "body/comment": "Thanks!"}),
                "POST", format!("{msg}/reply")).status(202).body(json!({"comment": "Thanks!"})),
            case("ForwardEmailV2", json!({"messageId": "AAMkMsg1", "body/toRecipients": [adele],
                "body/comment": "FYI"}), "POST", format!("{msg}/forward"))
                .status(202).body(json!({"toRecipients": [adele], "comment": "FYI"})),
            case("GetEmailsV3", json!({"folderId": "Inbox", "$filter": "isRead eq false", "$top": "2"}),
                "GET", "/v1.0/me/mailFolders/Inbox/messages")
                .query(&[("$filter", "isRead eq false"), ("$top", "2")])
                .out("/value/1/subject", json!("Quarterly report AAMkMsg2"))
                .out("/value/0/from/emailAddress/address", json!("megan@contoso.com"))
                .out("/@odata.nextLink", json!(format!("http://{}/v1.0/me/mailFolders/Inbox/messages?$top=2&$skip=2", graph.host()))),
            case("GetEmailV2", json!({"messageId": "AAMkMsg1"}), "GET", msg)
                .out("/subject", json!("Quarterly report AAMkMsg1")),
            case("MoveV2", json!({"messageId": "AAMkMsg1", "body/destinationId": "Archive"}),
                "POST", format!("{msg}/move")).status(201).body(json!({"destinationId": "Archive"}))
                .out("/id", json!("AAMkMsg1-moved")).out("/parentFolderId", json!("Archive")),
            case("FlagV2", json!({"messageId": "AAMkMsg1"}), "PATCH", msg)
                .body(json!({"flag": {"flagStatus": "flagged"}})).out("/flag/flagStatus", json!("flagged")),
            case("DeleteEmailV2", json!({"messageId": "AAMkMsg1"}), "DELETE", msg).status(204),
            case("ListMailFolders", json!({}), "GET", "/v1.0/me/mailFolders").query(&[("$top", "100")])
                .out("/value/1/displayName", json!("Invoices")),
            case("ListCalendars", json!({}), "GET", "/v1.0/me/calendars").out("/value/0/name", json!("Calendar")),
            case("GetEventsV4", json!({"calendarId": "AAMkCal1"}), "GET", "/v1.0/me/calendars/AAMkCal1/events")
                .query(&[("$orderby", "start/dateTime"), ("$top", "10")])
                .out("/value/0/subject", json!("Stand-up")),
            case("CreateEventV4", json!({"calendarId": "AAMkCal1", "body/subject": "Planning",
                "body/start/dateTime": "2026-12-02T10:00:00", "body/end/dateTime": "2026-12-02T11:00:00",
                "body/location/displayName": "Room 1",
                "body/attendees": [{"emailAddress": {"address": "adele@contoso.com"}, "type": "required"}]}),
                "POST", "/v1.0/me/calendars/AAMkCal1/events").status(201).body(json!({
                    "subject": "Planning", "start": {"dateTime": "2026-12-02T10:00:00", "timeZone": "UTC"},
                    "end": {"dateTime": "2026-12-02T11:00:00", "timeZone": "UTC"}, "body": {"contentType": "html"},
                    "location": {"displayName": "Room 1"},
                    "attendees": [{"emailAddress": {"address": "adele@contoso.com"}, "type": "required"}]}))
                .out("/id", json!("AAMkEvNew")).out("/start/dateTime", json!("2026-12-02T10:00:00")),
            case("GetContactsV2", json!({"$filter": "startswith(displayName,'A')"}), "GET", "/v1.0/me/contacts")
                .query(&[("$filter", "startswith(displayName,'A')"), ("$orderby", "displayName"), ("$top", "10")])
                .out("/value/1/emailAddresses/0/address", json!("alex@contoso.com")),
            case("GetContactV2", json!({"contactId": "AAMkCo1"}), "GET", "/v1.0/me/contacts/AAMkCo1")
                .out("/jobTitle", json!("Marketing Manager")),
        ]).await;
        // Searching: Graph refuses $search beside $orderby, so none is sent by default.
        let r = g.ctx.exec(Some(&g.refs["office365outlook"]), "office365outlook", "GetEmailsV3",
            json!({"$search": "\"report\""})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(graph.take()[0].query, pairs(&[("$search", "\"report\""), ("$top", "10")]));
        // A request Graph refuses is a failure carrying Graph's reason.
        let r = g.ctx.exec(Some(&g.refs["office365outlook"]), "office365outlook", "GetEmailsV3",
            json!({"$search": "report", "$filter": "isRead eq false"})).await;
        assert_eq!((r.status, code(&r)), (StatusCode::BAD_GATEWAY, "upstream_status"), "{}", r.text);
        assert_eq!(r.body["error"]["details"]["reason"],
            "The query parameter '$search' cannot be used with '$filter' or '$orderby'.");
        // The dropdowns: mail folders for a folder, calendars for a calendar.
        let folders = pairs(&[("Inbox", "Inbox"), ("AAMkFolder2", "Invoices")]);
        assert_eq!(g.options("office365outlook", "GetEmailsV3", "folderId", json!({})).await, folders);
        assert_eq!(g.options("office365outlook", "MoveV2", "body/destinationId", json!({})).await, folders);
        assert_eq!(g.options("office365outlook", "CreateEventV4", "calendarId", json!({})).await,
            pairs(&[("AAMkCal1", "Calendar"), ("AAMkCal2", "Team events")]));
    })
    .await;
}

#[tokio::test]
async fn onedrive_operations_make_the_requests_graph_expects() {
    let graph = GraphServer::start().await;
    each_backend(async |t| {
        let g = Graph::new(&t, &graph).await;
        let item = "/v1.0/me/drive/items/01FILE";
        let b64 = base64::engine::general_purpose::STANDARD;
        g.run(&graph, "onedriveforbusiness", vec![
            case("ListFolderV2", json!({"id": "01FOLDER"}), "GET", "/v1.0/me/drive/items/01FOLDER/children")
                .query(&[("$top", "200")]).out("/value/0/name", json!("Budget 2026.pdf"))
                .out("/value/1/folder/childCount", json!(3)),
            case("ListRootFolderV2", json!({}), "GET", "/v1.0/me/drive/root/children")
                .out("/value/0/name", json!("Reports")),
            case("GetFileContent", json!({"itemId": "01FILE"}), "GET", format!("{item}/content"))
                .out("/$content-type", json!("application/pdf"))
                .out("/$content", json!(b64.encode(FILE_BYTES))),
            case("GetFileMetadata", json!({"itemId": "01FILE"}), "GET", item)
                .out("/size", json!(1024)).out("/file/mimeType", json!("application/pdf")),
            case("CreateFolderV2", json!({"id": "root", "body/name": "Invoices"}), "POST",
                "/v1.0/me/drive/items/root/children").status(201)
                .body(json!({"name": "Invoices", "folder": {}, "@microsoft.graph.conflictBehavior": "fail"}))
                .out("/name", json!("Invoices")),
            case("CreateFile", json!({"parentId": "01FOLDER", "fileName": "Q4 report.txt",
                "body": {"$content-type": "text/plain", "$content": b64.encode("Hello, Graph")}}),
                "PUT", "/v1.0/me/drive/items/01FOLDER:/Q4%20report.txt:/content").status(201)
                .out("/name", json!("Q4 report.txt")).out("/size", json!(12)),
            case("CopyDriveFile", json!({"itemId": "01FILE", "body/parentReference/id": "01FOLDER",
                "body/name": "Budget copy.pdf"}), "POST", format!("{item}/copy")).status(202)
                .body(json!({"parentReference": {"id": "01FOLDER"}, "name": "Budget copy.pdf"})),
            case("MoveFile", json!({"itemId": "01FILE", "body/parentReference/id": "01ARCHIVE"}), "PATCH", item)
                .body(json!({"parentReference": {"id": "01ARCHIVE"}})).out("/parentReference/id", json!("01ARCHIVE")),
            case("DeleteFile", json!({"itemId": "01FILE"}), "DELETE", item).status(204),
            case("CreateShareLinkV2", json!({"itemId": "01FILE"}), "POST", format!("{item}/createLink"))
                .status(201).body(json!({"type": "view", "scope": "organization"}))
                .out("/link/scope", json!("organization")).out("/roles/0", json!("read")),
            case("FindFiles", json!({"query": "budget 2026"}), "GET", "/v1.0/me/drive/root/search(q='budget%202026')")
                .query(&[("$top", "50")]).out("/value/0/name", json!("Budget 2026.pdf")),
        ]).await;
        // The file's content: Graph's redirect to the download address is followed.
        g.ctx.exec(Some(&g.refs["onedriveforbusiness"]), "onedriveforbusiness", "GetFileContent",
            json!({"itemId": "01FILE"})).await;
        let seen = graph.take();
        assert_eq!(seen.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(),
            [&format!("{item}/content"), "/download/01FILE"]);
        // The copy's monitor address is passed on.
        let r = g.ctx.exec(Some(&g.refs["onedriveforbusiness"]), "onedriveforbusiness", "CopyDriveFile",
            json!({"itemId": "01FILE", "body/parentReference/id": "01FOLDER"})).await;
        assert_eq!(r.body["headers"]["location"], format!("http://{}/monitor/copy-7f3a", graph.host()), "{}", r.text);
        assert_eq!(g.options("onedriveforbusiness", "ListFolderV2", "id", json!({})).await,
            pairs(&[("01FOLDER", "Reports")]));
    })
    .await;
}

#[tokio::test]
async fn sharepoint_operations_make_the_requests_graph_expects() {
    let graph = GraphServer::start().await;
    each_backend(async |t| {
        let g = Graph::new(&t, &graph).await;
        let site = json!(SITE);
        let list = format!("{SITE_PATH}/lists/list-tickets/items");
        let drive = format!("{SITE_PATH}/drives/b%21lib1/items");
        let at = |more: Value| {
            let mut v = json!({"siteId": SITE, "listId": "list-tickets"});
            v.as_object_mut()
                .unwrap()
                .extend(more.as_object().unwrap().clone());
            v
        };
        let in_drive = |more: Value| {
            let mut v = json!({"siteId": SITE, "driveId": "b!lib1"});
            v.as_object_mut()
                .unwrap()
                .extend(more.as_object().unwrap().clone());
            v
        };
        g.run(
            &graph,
            "sharepoint",
            vec![
                case("ListSites", json!({}), "GET", "/v1.0/sites")
                    .query(&[("search", "*")])
                    .out("/value/0/displayName", json!("Helpdesk")),
                case(
                    "GetLists",
                    json!({"siteId": site}),
                    "GET",
                    format!("{SITE_PATH}/lists"),
                )
                .out("/value/0/displayName", json!("Tickets")),
                case(
                    "GetItems",
                    at(json!({"$filter": "fields/Status eq 'Open'"})),
                    "GET",
                    list.clone(),
                )
                .query(&[
                    ("$filter", "fields/Status eq 'Open'"),
                    ("$top", "100"),
                    ("$expand", "fields"),
                ])
                .out("/value/0/fields/Title", json!("Printer on fire")),
                case(
                    "GetItem",
                    at(json!({"itemId": "1"})),
                    "GET",
                    format!("{list}/1"),
                )
                .query(&[("$expand", "fields")])
                .out("/fields/Status", json!("Open")),
                // Column values as a designer field holds them: JSON text.
                case(
                    "PostItem",
                    at(json!({"body/fields": r#"{"Title": "No paper", "Status": "Open"}"#})),
                    "POST",
                    list.clone(),
                )
                .status(201)
                .body(json!({"fields": {"Title": "No paper", "Status": "Open"}}))
                .out("/id", json!("3"))
                .out("/fields/Title", json!("No paper")),
                case(
                    "PatchItem",
                    at(json!({"itemId": "1", "body": {"Status": "Closed"}})),
                    "PATCH",
                    format!("{list}/1/fields"),
                )
                .body(json!({"Status": "Closed"}))
                .out("/Status", json!("Closed"))
                .out("/Title", json!("Printer on fire")),
                case(
                    "DeleteItem",
                    at(json!({"itemId": "1"})),
                    "DELETE",
                    format!("{list}/1"),
                )
                .status(204),
                case(
                    "GetLibraries",
                    json!({"siteId": site}),
                    "GET",
                    format!("{SITE_PATH}/drives"),
                )
                .out("/value/0/name", json!("Documents")),
                case(
                    "ListFolder",
                    in_drive(json!({})),
                    "GET",
                    format!("{drive}/root/children"),
                )
                .query(&[("$top", "200")])
                .out("/value/1/name", json!("Reports")),
                case(
                    "GetFileMetadata",
                    in_drive(json!({"itemId": "01FILE"})),
                    "GET",
                    format!("{drive}/01FILE"),
                )
                .out("/name", json!("Budget 2026.pdf")),
                case(
                    "GetFileContent",
                    in_drive(json!({"itemId": "01FILE"})),
                    "GET",
                    format!("{drive}/01FILE/content"),
                )
                .out("/$content-type", json!("application/pdf")),
                case(
                    "CreateFile",
                    in_drive(json!({"fileName": "notes.txt", "body": "Call the printer people"})),
                    "PUT",
                    format!("{drive}/root:/notes.txt:/content"),
                )
                .status(201)
                .out("/name", json!("notes.txt"))
                .out("/size", json!(23)),
            ],
        )
        .await;
        // A text body goes as the definition's `consumes` says.
        g.ctx
            .exec(
                Some(&g.refs["sharepoint"]),
                "sharepoint",
                "CreateFile",
                in_drive(json!({"fileName": "a.txt", "body": "x"})),
            )
            .await;
        let put = &graph.take()[0];
        assert_eq!(
            (put.content_type.as_str(), &put.body[..]),
            ("application/octet-stream", &b"x"[..])
        );
        // The dropdowns: sites, then the site's lists and libraries (filled from the site input).
        assert_eq!(
            g.options("sharepoint", "GetItems", "siteId", json!({}))
                .await,
            pairs(&[(SITE, "Helpdesk")])
        );
        assert_eq!(
            g.options("sharepoint", "GetItems", "listId", json!({"siteId": SITE}))
                .await,
            pairs(&[("list-tickets", "Tickets")])
        );
        assert_eq!(
            g.options(
                "sharepoint",
                "CreateFile",
                "driveId",
                json!({"siteId": SITE})
            )
            .await,
            pairs(&[("b!lib1", "Documents")])
        );
        assert_eq!(
            graph.take().last().unwrap().path,
            format!("{SITE_PATH}/drives")
        );
    })
    .await;
}
