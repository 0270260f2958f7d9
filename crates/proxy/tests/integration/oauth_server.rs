//! The OAuth 2.0 authorization server of the sign-in tests: `tests/fixtures/oauth/server.mjs`
//! (npm `oauth2-mock-server` with refresh rotation, client checks and a protected `/api/me`) on a
//! free loopback port, stopped on drop; a copy of its test connector (Woodgrove Profile) pointing
//! at it; and the browser's part of the dance (follow the authorization URL, hand the redirect to
//! the proxy's callback).

use crate::common::*;
use axum::Router;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const CONNECTOR: &str = "woodgrove-profile";
pub const CLIENT_ID: &str = "plugboard-test";

fn fixture() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/oauth"
    ))
}

pub struct OAuthServer {
    pub port: u16,
    child: Child,
    http: reqwest::Client,
}

impl OAuthServer {
    /// Start with `env` (ACCESS_TTL, REFRESH_DELAY_MS, CLIENT_SECRET…).
    pub fn start(env: &[(&str, &str)]) -> OAuthServer {
        assert!(
            fixture().join("node_modules/oauth2-mock-server").is_dir(),
            "tests/fixtures/oauth has no node_modules: run `source scripts/lib.sh; ensure_test_tools`"
        );
        let mut child = Command::new("node")
            .arg(fixture().join("server.mjs"))
            .envs(env.iter().copied())
            .env("PORT", "0")
            .env("CLIENT_ID", CLIENT_ID)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start node tests/fixtures/oauth/server.mjs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the OAuth server did not start: {line:?}"));
        OAuthServer {
            port,
            child,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A copy of the test connector in `dest` whose service and sign-in are this server.
    pub fn connectors(&self, dest: &Path) -> PathBuf {
        let out = dest.join(format!(
            "oauth-connectors-{}",
            uuid::Uuid::new_v4().simple()
        ));
        let ok = Command::new("python3")
            .arg(fixture().join("point-connector.py"))
            .arg(&out)
            .arg(self.host())
            .status()
            .unwrap()
            .success();
        assert!(ok, "point-connector.py failed");
        out
    }

    /// One of the server's test knobs (`deny`, `token-error`, `revoke`, `revoke-access`).
    pub async fn knob(&self, name: &str) {
        let r = self
            .http
            .post(format!("http://{}/test/{name}", self.host()))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "knob {name}");
    }

    /// Token calls by grant and `/api/me` answers so far.
    pub async fn stats(&self) -> Value {
        let r = self
            .http
            .get(format!("http://{}/test/stats", self.host()))
            .send()
            .await
            .unwrap();
        serde_json::from_slice(&r.bytes().await.unwrap()).unwrap()
    }

    /// The browser at the provider: open the authorization URL; the provider answers with a
    /// redirect to the proxy's callback, returned as a path and query for the proxy.
    pub async fn authorize(&self, authorization_url: &str) -> String {
        let r = self.http.get(authorization_url).send().await.unwrap();
        assert!(r.status().is_redirection(), "authorize: {}", r.status());
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let url = reqwest::Url::parse(&location).unwrap();
        assert_eq!(url.path(), "/api/oauth/callback");
        format!("{}?{}", url.path(), url.query().unwrap_or(""))
    }
}

impl Drop for OAuthServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the callback page tells the designer: the JSON in its `outcome` script element.
pub fn outcome(page: &Resp) -> Value {
    let start = page
        .text
        .find("id=\"outcome\">")
        .unwrap_or_else(|| panic!("no outcome in the page: {}", page.text))
        + "id=\"outcome\">".len();
    let end = start + page.text[start..].find("</script>").unwrap();
    serde_json::from_str(&page.text[start..end]).unwrap()
}

/// Register the test app (as the owner), make a Woodgrove connection and bind a reference to
/// it in `env`: the connection id and the reference's logical name.
pub async fn connection(app: &Router, owner: &Auth, env: &str) -> (String, String) {
    let r = call_on(
        app,
        "PUT",
        &format!("/api/oauth/apps/{CONNECTOR}"),
        Some(json!({"client_id": CLIENT_ID})),
        owner,
    )
    .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    let r = call_on(
        app,
        "POST",
        "/api/connections",
        Some(json!({"connector_id": CONNECTOR, "display_name": "My Woodgrove", "values": {}})),
        owner,
    )
    .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    assert_eq!(r.body["status"], "needs_sign_in");
    let id = r.body["id"].as_str().unwrap().to_string();
    let r = call_on(
        app,
        "POST",
        &format!("/api/environments/{env}/references"),
        Some(json!({"display_name": "Woodgrove", "connector_id": CONNECTOR, "connection_id": id})),
        owner,
    )
    .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    (id, r.body["logical_name"].as_str().unwrap().to_string())
}

/// Start the sign-in of `connection` as `who`: the provider's URL.
pub async fn start(app: &Router, who: &Auth, connection: &str) -> Resp {
    call_on(
        app,
        "POST",
        "/api/oauth/start",
        Some(json!({ "connection_id": connection })),
        who,
    )
    .await
}

/// The whole dance as `who`: start, the provider, the callback. The callback's page.
pub async fn sign_in(server: &OAuthServer, app: &Router, who: &Auth, connection: &str) -> Resp {
    let r = start(app, who, connection).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    let callback = server
        .authorize(r.body["authorization_url"].as_str().unwrap())
        .await;
    call_on(app, "GET", &callback, None, who).await
}

/// Execute Woodgrove's "Get my profile" through `reference`.
pub async fn get_profile(app: &Router, who: &Auth, env: &str, reference: &str) -> Resp {
    call_on(
        app,
        "POST",
        &format!("/api/environments/{env}/execute"),
        Some(json!({"reference": reference, "connector_id": CONNECTOR,
            "operation_id": "GetMyProfile", "inputs": {}})),
        who,
    )
    .await
}
