//! Routing: one module per resource, each with its own `router()`; the designer's files last.

mod health;
mod static_files;

use crate::AppState;
use axum::Router;
use tower_http::compression::CompressionLayer;

pub fn router(state: AppState) -> Router {
    Router::new()
        .nest("/api", health::router())
        .fallback_service(static_files::service(state.static_dir()))
        .layer(CompressionLayer::new())
        .with_state(state)
}
