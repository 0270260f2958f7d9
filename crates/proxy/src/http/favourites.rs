//! `/api/me/favourites`: the signed-in user's favourite actions, in order. `PUT` replaces the
//! whole list in one transaction (checked first: at most 500 ids of 1–300 characters, no repeats).

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use plugboard_model::connector::Favourites;

pub fn router() -> Router<AppState> {
    Router::new().route("/me/favourites", get(read).put(replace))
}

/// Rows per `INSERT`: few statements, and far below either database's limit on parameters.
const ROWS_PER_INSERT: usize = 100;

async fn read(State(state): State<AppState>, caller: Caller) -> ApiResult<ApiJson<Favourites>> {
    let actions = sqlx::query_scalar(
        "SELECT action FROM user_favourites WHERE user_id = $1 ORDER BY position",
    )
    .bind(&caller.user.id)
    .fetch_all(state.db())
    .await?;
    Ok(ApiJson(Favourites { actions }))
}

async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<Favourites>,
) -> ApiResult<ApiJson<Favourites>> {
    body.check().map_err(ApiError::Validation)?;
    let mut tx = state.db().begin().await?;
    sqlx::query("DELETE FROM user_favourites WHERE user_id = $1")
        .bind(&caller.user.id)
        .execute(&mut *tx)
        .await?;
    for (chunk_no, chunk) in body.actions.chunks(ROWS_PER_INSERT).enumerate() {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO user_favourites (user_id, position, action) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(&caller.user.id);
        for (i, action) in chunk.iter().enumerate() {
            q = q.bind((chunk_no * ROWS_PER_INSERT + i) as i64).bind(action);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(ApiJson(body))
}
