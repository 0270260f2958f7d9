//! The Plugboard connector proxy: an axum server that serves the built designer and the connector
//! API (catalog, users and sessions, environments, connections, OAuth sign-in, connection
//! references, execution).
//! `app(state)` builds the whole router so tests drive it with `oneshot`.

pub mod auth;
pub mod bench;
pub mod catalog;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod http;
pub mod json;
pub mod keyring;
pub mod oauth;
pub mod passwords;
pub mod rotate;
pub mod secrets;
pub mod throttle;
pub mod upstream;
pub mod users;

use axum::Router;
use catalog::Catalog;
use crypto::Crypto;
use db::Db;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use upstream::{Upstream, UpstreamSettings};

/// Tunables that are not storage: password hashing cost, cookies, limits, single sign-on.
#[derive(Clone, Debug)]
pub struct Settings {
    pub static_dir: PathBuf,
    /// Argon2id memory (KiB), iterations and lanes.
    pub argon2_m_kib: u32,
    pub argon2_t: u32,
    pub argon2_p: u32,
    pub trusted_user_header: Option<String>,
    pub client_ip_header: Option<String>,
    pub secure_cookies: bool,
    pub session_hours: i64,
    pub max_body_bytes: usize,
    /// The base of the OAuth redirect URI (`--public-url`); none: the request's host.
    pub public_url: Option<String>,
    /// OAuth access tokens are refreshed this long before they expire.
    pub oauth_refresh_early: Duration,
    /// How long a sign-in started may take before its state expires.
    pub oauth_state_ttl: Duration,
    /// Short links each user may store per hour.
    pub shares_per_hour: u32,
    /// Outbound requests: SSRF allow-list, timeouts, size cap.
    pub upstream: UpstreamSettings,
}

impl Settings {
    pub fn from_config(c: &config::Config) -> Self {
        Settings {
            static_dir: c.static_dir.clone(),
            argon2_m_kib: 19 * 1024,
            argon2_t: 2,
            argon2_p: 1,
            trusted_user_header: c.trusted_user_header.clone(),
            client_ip_header: c.client_ip_header.clone(),
            secure_cookies: c.secure_cookies,
            session_hours: c.session_hours,
            max_body_bytes: c.max_body_bytes,
            public_url: c.public_url.clone(),
            oauth_refresh_early: Duration::from_secs(60),
            oauth_state_ttl: Duration::from_secs(600),
            shares_per_hour: c.shares_per_hour,
            upstream: UpstreamSettings {
                allow: c.upstream_allow.clone(),
                connect_timeout: Duration::from_millis(c.upstream_connect_timeout_ms),
                timeout: Duration::from_millis(c.upstream_timeout_ms),
                max_body_bytes: c.upstream_max_body_bytes,
                ..UpstreamSettings::default()
            },
        }
    }

    /// Cheap password hashing, for tests only.
    pub fn for_tests(static_dir: PathBuf) -> Self {
        Settings {
            static_dir,
            argon2_m_kib: 64,
            argon2_t: 1,
            argon2_p: 1,
            trusted_user_header: None,
            client_ip_header: None,
            secure_cookies: false,
            session_hours: 1,
            max_body_bytes: 64 * 1024,
            public_url: None,
            oauth_refresh_early: Duration::from_secs(60),
            oauth_state_ttl: Duration::from_secs(600),
            shares_per_hour: 60,
            upstream: UpstreamSettings::default(),
        }
    }
}

/// What every request handler can reach. The proxy keeps no state between requests besides the
/// database and the read-only catalog, so replicas can share one PostgreSQL.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    catalog: Catalog,
    crypto: Crypto,
    settings: Settings,
    upstream: Upstream,
    passwords: passwords::Passwords,
}

impl AppState {
    /// Fails only when the outbound HTTP client cannot be set up.
    pub fn new(
        db: Db,
        catalog: Catalog,
        crypto: Crypto,
        settings: Settings,
    ) -> Result<Self, String> {
        let upstream = Upstream::new(&settings.upstream)?;
        let passwords = passwords::Passwords::new(&settings)?;
        Ok(AppState {
            inner: Arc::new(Inner {
                db,
                catalog,
                crypto,
                settings,
                upstream,
                passwords,
            }),
        })
    }

    /// Connect, migrate, load the key and the connectors, and make the first environment.
    pub async fn init(config: &config::Config) -> Result<Self, String> {
        let db = db::connect(&config.database_url).await?;
        let crypto = crypto::load_or_create(&config.secret_key_file)?;
        let crypto = keyring::check(&db, crypto, &config.secret_key_file).await?;
        let dirs = config.connector_dirs();
        let catalog = tokio::task::spawn_blocking(move || Catalog::load(&dirs))
            .await
            .map_err(|e| format!("connector import failed: {e}"))?;
        let state = AppState::new(db, catalog, crypto, Settings::from_config(config))?;
        state.bootstrap().await?;
        Ok(state)
    }

    /// "Development" exists after first start.
    pub async fn bootstrap(&self) -> Result<(), String> {
        // One statement, so replicas starting together on an empty database make one: the
        // second's insert finds the first's row (or its name taken) and does nothing.
        sqlx::query(
            "INSERT INTO environments (id, name, created_at) SELECT $1, $2, $3 \
             WHERE NOT EXISTS (SELECT 1 FROM environments) ON CONFLICT (name) DO NOTHING",
        )
        .bind(db::new_id())
        .bind("Development")
        .bind(db::now())
        .execute(self.db())
        .await
        .map_err(|e| e.to_string())?;
        Ok(())
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    pub fn crypto(&self) -> &Crypto {
        &self.inner.crypto
    }

    /// The shared outbound HTTP client (one connection pool).
    pub fn passwords(&self) -> &passwords::Passwords {
        &self.inner.passwords
    }

    pub fn upstream(&self) -> &Upstream {
        &self.inner.upstream
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    pub fn static_dir(&self) -> &std::path::Path {
        &self.inner.settings.static_dir
    }
}

/// The whole HTTP surface: `/api/…` and the designer's files.
pub fn app(state: AppState) -> Router {
    http::router(state)
}
