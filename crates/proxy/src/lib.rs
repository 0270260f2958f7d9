//! The Plugboard connector proxy: an axum server that serves the built designer (and, as it grows,
//! the connector API). `app(state)` builds the whole router so tests drive it with `oneshot`.

pub mod config;
pub mod http;

use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    static_dir: PathBuf,
}

impl AppState {
    pub fn new(static_dir: PathBuf) -> Self {
        AppState {
            inner: Arc::new(Inner { static_dir }),
        }
    }

    pub fn static_dir(&self) -> &std::path::Path {
        &self.inner.static_dir
    }
}

/// The whole HTTP surface: `/api/…` and the designer's files.
pub fn app(state: AppState) -> Router {
    http::router(state)
}
