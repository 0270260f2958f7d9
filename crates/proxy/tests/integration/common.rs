//! Test harness: a fresh database per test (SQLite always; PostgreSQL too when
//! `PLUGBOARD_TEST_POSTGRES_URL` is set), the shipped connectors, and `oneshot` request helpers.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use plugboard_proxy::catalog::Catalog;
use plugboard_proxy::crypto::Crypto;
use plugboard_proxy::{app, AppState, Settings};
use serde_json::{json, Value};
use sqlx::{Connection, Executor};
use std::path::PathBuf;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

pub fn shipped() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../connectors"))
}

/// The test connectors for the browser tests (`tests/fixtures/connectors`).
pub fn fixture_connectors() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/connectors"
    ))
}

pub fn corpus() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/connector-corpus"
    ))
}

/// How a request authenticates.
#[derive(Clone, Debug, Default)]
pub struct Auth {
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
    pub user_id: String,
}

pub struct TestApp {
    pub app: Router,
    pub state: AppState,
    pub dir: PathBuf,
    /// "sqlite" or "postgres", for tests that read the raw storage.
    #[allow(dead_code)] // read by the canary's binary only
    pub backend: &'static str,
    pub key_file: PathBuf,
}

pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub text: String,
    pub headers: HeaderMap,
}

/// Database URLs for one test: SQLite always, PostgreSQL when configured.
async fn databases(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    let mut out = vec![(
        "sqlite",
        format!("sqlite://{}", dir.join("test.db").display()),
    )];
    if let Ok(admin) = std::env::var("PLUGBOARD_TEST_POSTGRES_URL") {
        sqlx::any::install_default_drivers();
        let name = format!("pbt_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::AnyConnection::connect(&admin)
            .await
            .expect("connect to PLUGBOARD_TEST_POSTGRES_URL");
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create test database");
        let _ = conn.close().await;
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        out.push(("postgres", format!("{base}/{name}")));
    }
    out
}

/// Run a test body once per configured database.
pub async fn each_backend(f: impl AsyncFn(TestApp)) {
    let dir = std::env::temp_dir().join(format!("pbtest-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    for (backend, url) in databases(&dir).await {
        let t = TestApp::new(backend, &url, &dir).await;
        f(t).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

impl TestApp {
    pub async fn new(backend: &'static str, url: &str, dir: &std::path::Path) -> TestApp {
        let db = plugboard_proxy::db::connect(url).await.expect("database");
        let catalog = Catalog::load(&[shipped()]);
        assert!(catalog.get("http").is_some(), "shipped connectors load");
        let key_file = dir.join(format!("{backend}.key"));
        let crypto = plugboard_proxy::crypto::load_or_create(&key_file).unwrap();
        let state =
            AppState::new(db, catalog, crypto, Settings::for_tests(dir.join("dist"))).unwrap();
        state.bootstrap().await.unwrap();
        TestApp {
            app: app(state.clone()),
            state,
            dir: dir.to_path_buf(),
            backend,
            key_file,
        }
    }

    pub fn with_crypto(&self, crypto: Crypto) -> AppState {
        self.state_with(&[shipped()], crypto, |_| {})
    }

    /// An app on the same database and key with other settings (e.g. single sign-on).
    pub fn with_settings(&self, f: impl FnOnce(&mut Settings)) -> Router {
        let crypto = plugboard_proxy::crypto::load_or_create(&self.key_file).unwrap();
        app(self.state_with(&[shipped()], crypto, f))
    }

    /// An app on the same database and key whose catalog is `connector_dirs` (e.g. a
    /// `Config::connector_dirs()` with `--connectors`).
    pub fn with_connectors(&self, connector_dirs: &[PathBuf]) -> Router {
        let crypto = plugboard_proxy::crypto::load_or_create(&self.key_file).unwrap();
        app(self.state_with(connector_dirs, crypto, |_| {}))
    }

    /// An app on the same database and key with the catalog of `connector_dirs` and other
    /// settings (e.g. the upstream allow-list).
    pub fn with(&self, connector_dirs: &[PathBuf], f: impl FnOnce(&mut Settings)) -> Router {
        let crypto = plugboard_proxy::crypto::load_or_create(&self.key_file).unwrap();
        app(self.state_with(connector_dirs, crypto, f))
    }

    fn state_with(
        &self,
        connector_dirs: &[PathBuf],
        crypto: Crypto,
        f: impl FnOnce(&mut Settings),
    ) -> AppState {
        let mut settings = Settings::for_tests(self.dir.join("dist"));
        f(&mut settings);
        AppState::new(
            self.state.db().clone(),
            Catalog::load(connector_dirs),
            crypto,
            settings,
        )
        .unwrap()
    }

    pub async fn raw(&self, req: Request<Body>) -> Resp {
        send(&self.app, req).await
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<Value>, auth: &Auth) -> Resp {
        call_on(&self.app, method, path, body, auth).await
    }

    pub async fn get(&self, path: &str, auth: &Auth) -> Resp {
        self.call("GET", path, None, auth).await
    }

    pub async fn delete(&self, path: &str, auth: &Auth) -> Resp {
        self.call("DELETE", path, None, auth).await
    }

    /// Create the owner account; returns its session.
    pub async fn owner(&self) -> Auth {
        let r = self
            .call(
                "POST",
                "/api/setup/owner",
                Some(json!({"username": "owner", "password": PASSWORD, "display_name": "Olive Owner"})),
                &Auth::default(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        session_of(&r)
    }

    /// The owner creates a user, who signs in.
    pub async fn user(&self, owner: &Auth, name: &str) -> Auth {
        let r = self
            .call(
                "POST",
                "/api/users",
                Some(json!({"username": name, "password": PASSWORD})),
                owner,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        self.sign_in(name).await
    }

    pub async fn sign_in(&self, name: &str) -> Auth {
        let r = self
            .call(
                "POST",
                "/api/session",
                Some(json!({"username": name, "password": PASSWORD})),
                &Auth::default(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        session_of(&r)
    }

    pub async fn dev_env(&self, auth: &Auth) -> String {
        let r = self.get("/api/environments", auth).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.body[0]["id"].as_str().unwrap().to_string()
    }

    /// A generic HTTP connection with an API key.
    pub async fn connection(&self, auth: &Auth, name: &str, key: &str) -> String {
        let r = self
            .call(
                "POST",
                "/api/connections",
                Some(json!({"connector_id": "http", "display_name": name,
                    "parameter_set": "apikey", "values": {"api_key": key}})),
                auth,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body["id"].as_str().unwrap().to_string()
    }
}

/// One JSON request through `app` (an app made with `TestApp::with`, say).
pub async fn call_on(
    app: &Router,
    method: &str,
    path: &str,
    body: Option<Value>,
    auth: &Auth,
) -> Resp {
    let mut b = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path)
        .header("host", "127.0.0.1:8080");
    if let Some(c) = &auth.cookie {
        b = b.header("cookie", c);
    }
    if let Some(c) = &auth.csrf {
        b = b.header("x-csrf-token", c);
    }
    if let Some(t) = &auth.bearer {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    let req = match body {
        Some(v) => b
            .header("content-type", "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    send(app, req).await
}

/// One request through an app.
pub async fn send(app: &Router, req: Request<Body>) -> Resp {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp {
        status,
        body,
        text,
        headers,
    }
}

pub fn session_of(r: &Resp) -> Auth {
    let set = r
        .headers
        .get("set-cookie")
        .expect("set-cookie")
        .to_str()
        .unwrap();
    let cookie = set.split(';').next().unwrap().to_string();
    Auth {
        cookie: Some(cookie),
        csrf: Some(r.body["csrf_token"].as_str().unwrap().to_string()),
        bearer: None,
        user_id: r.body["user"]["id"].as_str().unwrap().to_string(),
    }
}

/// The `field` of every object in a JSON list, e.g. the ids of the catalog's connectors.
pub fn each<'a>(list: &'a Value, field: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v[field].as_str().unwrap_or(""))
        .collect()
}

pub fn code(r: &Resp) -> &str {
    r.body["error"]["code"].as_str().unwrap_or("")
}
