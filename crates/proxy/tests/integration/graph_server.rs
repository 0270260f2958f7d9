//! A local stand-in for Microsoft Graph v1.0 (which cannot be reached here), for the tests of the
//! shipped Outlook, OneDrive and SharePoint connectors: axum on an ephemeral 127.0.0.1 port. It
//! checks each request the way Graph documents it (method and path, query options, a bearer
//! token, the JSON body's members and types) and refuses a wrong one as Graph does (`400` with
//! `{"error": {"code", "message"}}`), answers as Graph documents (`{"value": […],
//! "@odata.nextLink"}`, `201` with the created item, `202`/`204` with no body, a `302` to the
//! download address for file content), and records every request for the tests to read. It
//! keeps no data: answers are built from the request.

// A refusal is the answer itself (`Err(Response)` short-circuits with `?`), as axum handlers do.
#![allow(clippy::result_large_err)]

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use percent_encoding::percent_decode_str;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// The access token the tests' connections hold.
pub const TOKEN: &str = "graph-test-token-5d21";
/// The bytes a file's download address answers.
pub const FILE_BYTES: &[u8] = b"%PDF-1.7\n\xff\xfe report";

/// One request as the service got it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// The query's pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    pub content_type: String,
    pub body: Bytes,
}

impl Seen {
    /// The body as JSON (`null` when it is empty or not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Clone)]
struct Shared {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

pub struct GraphServer {
    pub port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for GraphServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl GraphServer {
    pub async fn start() -> GraphServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            base: format!("http://127.0.0.1:{port}"),
            seen: seen.clone(),
        };
        let app = Router::new().fallback(handle).with_state(shared);
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        GraphServer { port, seen, task }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Every request so far, oldest first; emptied.
    pub fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

type Answer = Result<Response, Response>;

/// Graph's error answer.
fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let message = message.into();
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

fn bad(message: impl Into<String>) -> Response {
    error(StatusCode::BAD_REQUEST, "BadRequest", message)
}

fn created(v: Value) -> Answer {
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

fn ok(v: Value) -> Answer {
    Ok(Json(v).into_response())
}

fn empty(status: StatusCode) -> Answer {
    Ok(status.into_response())
}

async fn handle(State(s): State<Shared>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = to_bytes(body, 8 << 20).await.unwrap_or_default();
    let text = |h: header::HeaderName| {
        parts
            .headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let seen = Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        content_type: text(header::CONTENT_TYPE),
        body,
    };
    s.seen.lock().unwrap().push(seen.clone());
    // The download address is pre-authenticated, as Graph's are.
    if let Some(id) = seen.path.strip_prefix("/download/") {
        return (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{id}.pdf\""),
                ),
            ],
            Body::from(FILE_BYTES),
        )
            .into_response();
    }
    if text(header::AUTHORIZATION) != format!("Bearer {TOKEN}") {
        return error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token is empty or invalid.",
        );
    }
    let Some(path) = seen.path.strip_prefix("/v1.0/") else {
        return error(StatusCode::NOT_FOUND, "BadRequest", "Invalid version.");
    };
    let segs: Vec<&str> = path.split('/').collect();
    let r = Req {
        seen: &seen,
        base: &s.base,
    };
    match route(&r, &parts.method, &segs) {
        Ok(resp) | Err(resp) => resp,
    }
}

/// A request being answered.
struct Req<'a> {
    seen: &'a Seen,
    base: &'a str,
}

impl Req<'_> {
    fn query(&self, name: &str) -> Option<&str> {
        self.seen
            .query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Only the query options Graph accepts on this resource.
    fn options(&self, allowed: &[&str]) -> Result<(), Response> {
        for (k, _) in &self.seen.query {
            if !allowed.contains(&k.as_str()) {
                return Err(bad(format!("Query option '{k}' is not allowed.")));
            }
        }
        Ok(())
    }

    /// `$top` when given: a whole number 1 to `max`; `default` otherwise.
    fn top(&self, max: usize, default: usize) -> Result<usize, Response> {
        match self.query("$top") {
            None => Ok(default),
            Some(t) => t
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| bad(format!("Invalid value '{t}' for $top: 1 to {max}."))),
        }
    }

    /// The JSON body (Graph wants `application/json`), as an object.
    fn body(&self) -> Result<Value, Response> {
        if !self.seen.content_type.starts_with("application/json") {
            return Err(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                format!("Content-Type '{}' is not JSON.", self.seen.content_type),
            ));
        }
        match self.seen.json() {
            v @ Value::Object(_) => Ok(v),
            _ => Err(bad("The request body is not a JSON object.")),
        }
    }

    /// A `{"value": […]}` page of `items` (at most `top`), with a next link when more remain.
    fn page(&self, items: Vec<Value>, top: usize) -> Answer {
        let more = items.len() > top;
        let mut out = json!({"@odata.context": format!("{}/v1.0/$metadata", self.base),
            "value": items.into_iter().take(top).collect::<Vec<_>>()});
        if more {
            out["@odata.nextLink"] = json!(format!(
                "{}{}?$top={top}&$skip={top}",
                self.base, self.seen.path
            ));
        }
        ok(out)
    }
}

// ---------------------------------------------------------------- checks of a body's members

fn member<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    v.pointer(path).filter(|x| !x.is_null())
}

fn string<'a>(v: &'a Value, path: &str) -> Result<&'a str, Response> {
    match member(v, path) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(other) => Err(bad(format!("'{path}' must be a string, not {other}."))),
        None => Err(bad(format!("'{path}' is required."))),
    }
}

fn optional_string<'a>(v: &'a Value, path: &str) -> Result<Option<&'a str>, Response> {
    match member(v, path) {
        None => Ok(None),
        Some(_) => string(v, path).map(Some),
    }
}

fn one_of(v: &Value, path: &str, allowed: &[&str]) -> Result<(), Response> {
    match optional_string(v, path)? {
        Some(s) if !allowed.iter().any(|a| a.eq_ignore_ascii_case(s)) => Err(bad(format!(
            "'{path}': '{s}' is not one of {}.",
            allowed.join(", ")
        ))),
        _ => Ok(()),
    }
}

/// A list of recipients, `[{"emailAddress": {"address": …}}]`; `required`: at least one.
fn recipients(v: &Value, path: &str, required: bool) -> Result<(), Response> {
    let list = match member(v, path) {
        None if !required => return Ok(()),
        None => return Err(bad(format!("'{path}' is required."))),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(bad(format!("'{path}' must be a list of recipients."))),
    };
    if required && list.is_empty() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRecipients",
            "At least one recipient is not valid.",
        ));
    }
    for (i, r) in list.iter().enumerate() {
        let address = string(r, "/emailAddress/address")
            .map_err(|_| bad(format!("'{path}/{i}/emailAddress/address' is required.")))?;
        if !address.contains('@') {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "ErrorInvalidRecipients",
                format!("'{address}' is not a valid email address."),
            ));
        }
    }
    Ok(())
}

/// Only these members at the top of the body (Graph refuses unknown properties).
fn members(v: &Value, allowed: &[&str]) -> Result<(), Response> {
    for k in v.as_object().into_iter().flat_map(|o| o.keys()) {
        if !allowed.contains(&k.as_str()) {
            return Err(bad(format!("Property '{k}' does not exist on this type.")));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- Graph's resources

fn address(name: &str, address: &str) -> Value {
    json!({"emailAddress": {"name": name, "address": address}})
}

fn message(id: &str, folder: &str, flag: &str) -> Value {
    json!({
        "@odata.etag": "W/\"CQAAABYAAAB\"", "id": id, "subject": format!("Quarterly report {id}"),
        "bodyPreview": "Please find the report attached.",
        "body": {"contentType": "html", "content": "<p>Please find the report attached.</p>"},
        "from": address("Megan Bowen", "megan@contoso.com"),
        "toRecipients": [address("Adele Vance", "adele@contoso.com")], "ccRecipients": [],
        "receivedDateTime": "2026-11-30T08:15:00Z", "isRead": false, "hasAttachments": true,
        "importance": "normal", "conversationId": "AAQkAGI2conv", "parentFolderId": folder,
        "webLink": format!("https://outlook.office365.com/owa/?ItemID={id}"),
        "flag": {"flagStatus": flag}
    })
}

fn event(id: &str, subject: &str, start: &str, end: &str) -> Value {
    json!({
        "id": id, "subject": subject, "bodyPreview": "",
        "start": {"dateTime": start, "timeZone": "UTC"}, "end": {"dateTime": end, "timeZone": "UTC"},
        "location": {"displayName": "Room 1"}, "organizer": address("Megan Bowen", "megan@contoso.com"),
        "attendees": [{"emailAddress": {"name": "Adele Vance", "address": "adele@contoso.com"}, "type": "required"}],
        "isAllDay": false, "webLink": format!("https://outlook.office365.com/calendar/item/{id}")
    })
}

fn contact(id: &str, given: &str, surname: &str) -> Value {
    let email = format!("{}@contoso.com", given.to_lowercase());
    json!({
        "id": id, "displayName": format!("{given} {surname}"), "givenName": given, "surname": surname,
        "emailAddresses": [{"name": format!("{given} {surname}"), "address": email}],
        "businessPhones": ["+1 425 555 0109"], "mobilePhone": "+1 425 555 0110",
        "companyName": "Contoso", "jobTitle": "Marketing Manager"
    })
}

fn drive_item(id: &str, name: &str, parent: &str, size: usize, folder: bool) -> Value {
    let mut v = json!({
        "id": id, "name": name, "size": size, "eTag": format!("\"{{{id}}},1\""),
        "webUrl": format!("https://contoso-my.sharepoint.com/personal/megan/Documents/{name}"),
        "createdDateTime": "2026-11-02T10:00:00Z", "lastModifiedDateTime": "2026-11-29T16:20:00Z",
        "parentReference": {"driveId": "b!drive1", "id": parent, "path": "/drive/root:"}
    });
    if folder {
        v["folder"] = json!({"childCount": 3});
    } else {
        v["file"] = json!({"mimeType": "application/pdf"});
    }
    v
}

fn list_item(id: &str, fields: Value) -> Value {
    json!({
        "id": id, "eTag": format!("\"{id},1\""), "webUrl": format!("https://contoso.sharepoint.com/Lists/Tickets/{id}_.000"),
        "createdDateTime": "2026-11-02T10:00:00Z", "lastModifiedDateTime": "2026-11-29T16:20:00Z",
        "fields": fields
    })
}

fn route(r: &Req, method: &Method, segs: &[&str]) -> Answer {
    let m = method.as_str();
    match segs {
        ["me", "drive", rest @ ..] => drive(r, m, rest),
        ["sites", _, "drives", _, rest @ ..] => drive(r, m, rest),
        ["me", rest @ ..] => outlook(r, m, rest),
        ["sites", rest @ ..] => sharepoint(r, m, rest),
        _ => Err(not_found(r)),
    }
}

fn not_found(r: &Req) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "Request_UnsupportedQuery",
        format!("Unsupported request: {} {}", r.seen.method, r.seen.path),
    )
}

const FOLDERS: &[&str] = &["Inbox", "SentItems", "Drafts", "Archive", "AAMkFolder2"];

fn outlook(r: &Req, m: &str, segs: &[&str]) -> Answer {
    match (m, segs) {
        ("POST", ["sendMail"]) => {
            let b = r.body()?;
            members(&b, &["message", "saveToSentItems"])?;
            string(&b, "/message/subject")?;
            string(&b, "/message/body/content")?;
            one_of(&b, "/message/body/contentType", &["text", "html"])?;
            recipients(&b, "/message/toRecipients", true)?;
            recipients(&b, "/message/ccRecipients", false)?;
            recipients(&b, "/message/bccRecipients", false)?;
            one_of(&b, "/message/importance", &["low", "normal", "high"])?;
            if member(&b, "/saveToSentItems").is_some_and(|v| !v.is_boolean()) {
                return Err(bad("'saveToSentItems' must be true or false."));
            }
            empty(StatusCode::ACCEPTED)
        }
        ("POST", ["messages", _, "reply"]) => {
            let b = r.body()?;
            members(&b, &["comment", "message"])?;
            string(&b, "/comment")?;
            empty(StatusCode::ACCEPTED)
        }
        ("POST", ["messages", _, "forward"]) => {
            let b = r.body()?;
            members(&b, &["comment", "toRecipients", "message"])?;
            recipients(&b, "/toRecipients", true)?;
            optional_string(&b, "/comment")?;
            empty(StatusCode::ACCEPTED)
        }
        ("GET", ["mailFolders"]) => {
            r.options(&["$top"])?;
            let top = r.top(250, 10)?;
            let folders = [("Inbox", "Inbox"), ("AAMkFolder2", "Invoices")]
                .iter()
                .map(|(id, name)| json!({"id": id, "displayName": name, "unreadItemCount": 2, "totalItemCount": 40}))
                .collect();
            r.page(folders, top)
        }
        ("GET", ["mailFolders", folder, "messages"]) => {
            r.options(&["$filter", "$search", "$orderby", "$top", "$skip", "$select"])?;
            if !FOLDERS.contains(folder) {
                return Err(error(
                    StatusCode::NOT_FOUND,
                    "ErrorItemNotFound",
                    "The specified folder could not be found in the store.",
                ));
            }
            if r.query("$search").is_some()
                && (r.query("$filter").is_some() || r.query("$orderby").is_some())
            {
                return Err(bad(
                    "The query parameter '$search' cannot be used with '$filter' or '$orderby'.",
                ));
            }
            let top = r.top(1000, 10)?;
            let list = ["AAMkMsg1", "AAMkMsg2", "AAMkMsg3"]
                .iter()
                .map(|id| message(id, folder, "notFlagged"))
                .collect();
            r.page(list, top)
        }
        ("GET", ["messages", id]) => ok(message(id, "Inbox", "notFlagged")),
        ("PATCH", ["messages", id]) => {
            let b = r.body()?;
            members(
                &b,
                &[
                    "flag",
                    "isRead",
                    "categories",
                    "importance",
                    "subject",
                    "body",
                ],
            )?;
            let status = string(&b, "/flag/flagStatus")?;
            one_of(
                &b,
                "/flag/flagStatus",
                &["notFlagged", "flagged", "complete"],
            )?;
            ok(message(id, "Inbox", status))
        }
        ("DELETE", ["messages", _]) => empty(StatusCode::NO_CONTENT),
        ("POST", ["messages", id, "move"]) => {
            let b = r.body()?;
            members(&b, &["destinationId"])?;
            let to = string(&b, "/destinationId")?;
            if !FOLDERS.contains(&to) {
                return Err(error(
                    StatusCode::NOT_FOUND,
                    "ErrorItemNotFound",
                    "The destination folder could not be found.",
                ));
            }
            created(message(&format!("{id}-moved"), to, "notFlagged"))
        }
        ("GET", ["calendars"]) => r.page(
            vec![
                json!({"id": "AAMkCal1", "name": "Calendar", "canEdit": true}),
                json!({"id": "AAMkCal2", "name": "Team events", "canEdit": false}),
            ],
            10,
        ),
        ("GET", ["calendars", _, "events"]) => {
            r.options(&["$filter", "$orderby", "$top", "$skip", "$select"])?;
            let top = r.top(1000, 10)?;
            let list = vec![
                event(
                    "AAMkEv1",
                    "Stand-up",
                    "2026-12-01T09:00:00.0000000",
                    "2026-12-01T09:15:00.0000000",
                ),
                event(
                    "AAMkEv2",
                    "Review",
                    "2026-12-01T14:00:00.0000000",
                    "2026-12-01T15:00:00.0000000",
                ),
            ];
            r.page(list, top)
        }
        ("POST", ["calendars", _, "events"]) => {
            let b = r.body()?;
            members(
                &b,
                &[
                    "subject",
                    "start",
                    "end",
                    "body",
                    "location",
                    "attendees",
                    "isAllDay",
                ],
            )?;
            let subject = string(&b, "/subject")?;
            let start = string(&b, "/start/dateTime")?;
            string(&b, "/start/timeZone")?;
            let end = string(&b, "/end/dateTime")?;
            string(&b, "/end/timeZone")?;
            if end <= start {
                return Err(bad("The event's end must be after its start."));
            }
            recipients(&b, "/attendees", false)?;
            one_of(&b, "/body/contentType", &["text", "html"])?;
            created(event("AAMkEvNew", subject, start, end))
        }
        ("GET", ["contacts"]) => {
            r.options(&["$filter", "$orderby", "$top", "$skip", "$select"])?;
            let top = r.top(1000, 10)?;
            r.page(
                vec![
                    contact("AAMkCo1", "Adele", "Vance"),
                    contact("AAMkCo2", "Alex", "Wilber"),
                ],
                top,
            )
        }
        ("GET", ["contacts", id]) => ok(contact(id, "Adele", "Vance")),
        _ => Err(not_found(r)),
    }
}

/// `/me/drive/…` and `/sites/{site}/drives/{drive}/…`: the same drive item API.
fn drive(r: &Req, m: &str, segs: &[&str]) -> Answer {
    match (m, segs) {
        ("GET", ["root", "children"]) => r.page(
            vec![drive_item("01FOLDER", "Reports", "root", 0, true)],
            200,
        ),
        ("GET", ["root", search]) if search.starts_with("search(q='") && search.ends_with("')") => {
            r.options(&["$top"])?;
            let top = r.top(1000, 200)?;
            r.page(
                vec![drive_item(
                    "01FILE",
                    "Budget 2026.pdf",
                    "01FOLDER",
                    1024,
                    false,
                )],
                top,
            )
        }
        ("GET", ["items", id, "children"]) => {
            r.options(&["$top", "$skip"])?;
            let top = r.top(1000, 200)?;
            let list = vec![
                drive_item("01FILE", "Budget 2026.pdf", id, 1024, false),
                drive_item("01FOLDER", "Reports", id, 0, true),
            ];
            r.page(list, top)
        }
        ("POST", ["items", parent, "children"]) => {
            let b = r.body()?;
            members(&b, &["name", "folder", "@microsoft.graph.conflictBehavior"])?;
            let name = string(&b, "/name")?;
            if !b.get("folder").is_some_and(Value::is_object) {
                return Err(bad("'folder' is required to create a folder: {}."));
            }
            one_of(
                &b,
                "/@microsoft.graph.conflictBehavior",
                &["fail", "rename", "replace"],
            )?;
            created(drive_item("01NEWFOLDER", name, parent, 0, true))
        }
        ("GET", ["items", id]) => ok(drive_item(id, "Budget 2026.pdf", "01FOLDER", 1024, false)),
        ("PATCH", ["items", id]) => {
            let b = r.body()?;
            members(&b, &["name", "parentReference"])?;
            let parent = optional_string(&b, "/parentReference/id")?.unwrap_or("01FOLDER");
            let name = optional_string(&b, "/name")?.unwrap_or("Budget 2026.pdf");
            ok(drive_item(id, name, parent, 1024, false))
        }
        ("DELETE", ["items", _]) => empty(StatusCode::NO_CONTENT),
        ("GET", ["items", id, "content"]) => Ok((
            StatusCode::FOUND,
            [(header::LOCATION, format!("{}/download/{id}", r.base))],
        )
            .into_response()),
        ("PUT", ["items", parent, name, "content"])
            if parent.ends_with(':') && name.ends_with(':') =>
        {
            let parent = parent.trim_end_matches(':');
            let name = percent_decode_str(name.trim_end_matches(':')).decode_utf8_lossy();
            if r.seen.body.is_empty() {
                return Err(bad("The file has no content."));
            }
            created(drive_item(
                "01UPLOADED",
                &name,
                parent,
                r.seen.body.len(),
                false,
            ))
        }
        ("POST", ["items", _, "copy"]) => {
            let b = r.body()?;
            members(&b, &["parentReference", "name"])?;
            string(&b, "/parentReference/id")?;
            optional_string(&b, "/name")?;
            Ok((
                StatusCode::ACCEPTED,
                [(header::LOCATION, format!("{}/monitor/copy-7f3a", r.base))],
            )
                .into_response())
        }
        ("POST", ["items", id, "createLink"]) => {
            let b = r.body()?;
            members(&b, &["type", "scope", "expirationDateTime", "password"])?;
            let ty = string(&b, "/type")?;
            one_of(&b, "/type", &["view", "edit", "embed"])?;
            one_of(&b, "/scope", &["anonymous", "organization", "users"])?;
            let scope = optional_string(&b, "/scope")?.unwrap_or("anonymous");
            created(
                json!({"id": "perm1", "roles": [if ty == "edit" { "write" } else { "read" }],
                "link": {"type": ty, "scope": scope, "webUrl": format!("https://contoso-my.sharepoint.com/:b:/g/{id}")}}),
            )
        }
        _ => Err(not_found(r)),
    }
}

fn sharepoint(r: &Req, m: &str, segs: &[&str]) -> Answer {
    let expanded = |r: &Req, fields: Value| match r.query("$expand") {
        Some("fields") => fields,
        _ => Value::Null,
    };
    match (m, segs) {
        // `GET /sites?search=…`
        ("GET", []) => {
            r.options(&["search"])?;
            let words = r.query("search").ok_or_else(|| bad("'search' is required."))?;
            if words.is_empty() {
                return Err(bad("'search' must not be empty."));
            }
            r.page(
                vec![json!({"id": "contoso.sharepoint.com,2C712604,2D2244C3", "displayName": "Helpdesk",
                    "name": "helpdesk", "webUrl": "https://contoso.sharepoint.com/sites/helpdesk"})],
                100,
            )
        }
        ("GET", [site, "lists"]) => r.page(
            vec![json!({"id": "list-tickets", "displayName": "Tickets", "name": "Tickets",
                "webUrl": format!("https://contoso.sharepoint.com/sites/{site}/Lists/Tickets"), "list": {"template": "genericList"}})],
            100,
        ),
        ("GET", [_, "drives"]) => r.page(
            vec![json!({"id": "b!lib1", "name": "Documents", "driveType": "documentLibrary",
                "webUrl": "https://contoso.sharepoint.com/Shared%20Documents"})],
            100,
        ),
        ("GET", [_, "lists", _, "items"]) => {
            r.options(&["$filter", "$orderby", "$top", "$expand", "$skiptoken"])?;
            let top = r.top(5000, 200)?;
            let list = vec![
                list_item("1", expanded(r, json!({"Title": "Printer on fire", "Status": "Open"}))),
                list_item("2", expanded(r, json!({"Title": "No coffee", "Status": "Closed"}))),
            ];
            r.page(list, top)
        }
        ("POST", [_, "lists", _, "items"]) => {
            let b = r.body()?;
            members(&b, &["fields"])?;
            let fields = b.get("fields").filter(|f| f.is_object()).ok_or_else(|| bad("'fields' is required: the item's column values."))?;
            created(list_item("3", fields.clone()))
        }
        ("GET", [_, "lists", _, "items", id]) => {
            r.options(&["$expand", "$select"])?;
            ok(list_item(id, expanded(r, json!({"Title": "Printer on fire", "Status": "Open"}))))
        }
        ("DELETE", [_, "lists", _, "items", _]) => empty(StatusCode::NO_CONTENT),
        ("PATCH", [_, "lists", _, "items", _, "fields"]) => {
            let mut fields = json!({"Title": "Printer on fire", "Status": "Open"});
            let b = r.body()?;
            for (k, v) in b.as_object().into_iter().flatten() {
                fields[k] = v.clone();
            }
            ok(fields)
        }
        _ => Err(not_found(r)),
    }
}
