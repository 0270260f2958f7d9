//! Routing: one module per resource, each with its own `router()`; the designer's files last.

pub mod access;
mod catalog;
mod connection_test;
pub(crate) mod connections;
mod deployment_settings;
mod environments;
mod execute;
mod favourites;
mod fields;
mod headers;
mod health;
mod oauth;
pub mod openapi;
mod references;
mod resolve;
mod session;
mod setup;
pub mod shares;
mod static_files;
mod tokens;
mod users;

use crate::error::ApiError;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(health::router())
        .merge(setup::router())
        .merge(session::router())
        .merge(users::router())
        .merge(tokens::router())
        .merge(catalog::router())
        .merge(environments::router())
        .merge(connections::router())
        .merge(connection_test::router())
        .merge(references::router())
        .merge(deployment_settings::router())
        .merge(execute::router())
        .merge(oauth::router())
        .merge(favourites::router())
        .merge(shares::router())
        .merge(openapi::router())
        .fallback(|| async { ApiError::NotFound("no such API endpoint".into()) })
        .layer(DefaultBodyLimit::max(state.settings().max_body_bytes));
    let headers = headers::Headers::new(state.static_dir(), state.settings().secure_cookies);
    Router::new()
        .nest("/api", api)
        .fallback_service(static_files::service(state.static_dir()))
        .layer(axum::middleware::from_fn_with_state(headers, headers::add))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
