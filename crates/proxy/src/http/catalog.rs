//! `/api/connectors`: the catalog index (compact, pre-serialized) and each connector's detail.
//! The catalog holds nothing secret, so it needs no sign-in.

use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/connectors", get(index))
        .route("/connectors/{id}", get(detail))
}

async fn index(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.catalog().index_json().to_vec(),
    )
}

async fn detail(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let c = state
        .catalog()
        .get(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no connector `{id}`")))?;
    let body = serde_json::to_vec(c.as_ref()).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body))
}
