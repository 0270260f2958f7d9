//! `/api/shares`: short links' ciphertexts. The browser encrypts a share link's payload under a
//! key that stays in the link (`#/k/<id>.<key>`), so this stores what it cannot read. A
//! ciphertext's id is derived from its SHA-256 (the same ciphertext always gets the same id, and
//! a stored one never changes); storing is for signed-in users, bounded in size and, per user,
//! in number per hour, counted in the database so that every replica sees the same count.
//! Reading needs only the id: whoever holds the link may open it, signed in or not.

use crate::auth::Caller;
use crate::db::now;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use plugboard_model::connector::{is_share_id, ShareCiphertext, ShareId, SHARE_ID_LEN};
use sha2::{Digest, Sha256};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/shares", post(create))
        .route("/shares/{id}", get(read))
}

/// The id of a ciphertext: the first 16 bytes of its SHA-256, base64url (22 characters).
pub fn share_id(ciphertext: &[u8]) -> String {
    let id = URL_SAFE_NO_PAD.encode(&Sha256::digest(ciphertext)[..16]);
    debug_assert_eq!(id.len(), SHARE_ID_LEN);
    id
}

/// The ciphertext's bytes, checked for form and size.
fn bytes_of(body: &ShareCiphertext) -> ApiResult<Vec<u8>> {
    // Refuse what cannot fit before decoding it (4 characters carry 3 bytes).
    let too_large = |bytes: usize| ApiError::Coded {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: "too_large",
        message: format!(
            "ciphertext: at most {} bytes, not {bytes}",
            ShareCiphertext::MAX_BYTES
        ),
        details: None,
    };
    let text = body.ciphertext.as_bytes();
    if text.len() / 4 * 3 > ShareCiphertext::MAX_BYTES {
        return Err(too_large(text.len() / 4 * 3));
    }
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|e| {
        ApiError::Validation(format!("ciphertext: not base64url without padding ({e})"))
    })?;
    if bytes.len() > ShareCiphertext::MAX_BYTES {
        return Err(too_large(bytes.len()));
    }
    if bytes.len() < ShareCiphertext::MIN_BYTES {
        return Err(ApiError::Validation(format!(
            "ciphertext: at least {} bytes (an AES-GCM nonce, tag and data), not {}",
            ShareCiphertext::MIN_BYTES,
            bytes.len()
        )));
    }
    Ok(bytes)
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ShareCiphertext>,
) -> ApiResult<(StatusCode, ApiJson<ShareId>)> {
    let bytes = bytes_of(&body)?;
    let id = share_id(&bytes);
    let db = state.db();
    // Storing the same ciphertext again (a retry) gives its id and costs nothing.
    let stored: Option<String> = sqlx::query_scalar("SELECT id FROM shares WHERE id = $1")
        .bind(&id)
        .fetch_optional(db)
        .await?;
    if stored.is_some() {
        return Ok((StatusCode::OK, ApiJson(ShareId { id })));
    }
    take_quota(&state, &caller.user.id).await?;
    // A concurrent request storing the same ciphertext may have won: the row is the same.
    sqlx::query(
        "INSERT INTO shares (id, ciphertext, created_by, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&id)
    .bind(URL_SAFE_NO_PAD.encode(&bytes))
    .bind(&caller.user.id)
    .bind(now())
    .execute(db)
    .await?;
    Ok((StatusCode::CREATED, ApiJson(ShareId { id })))
}

/// Count one stored share against the user's hour, or refuse (429 `rate_limited`). One
/// statement increments the count only while it is under the limit, so two replicas racing
/// cannot both take the last one.
async fn take_quota(state: &AppState, user_id: &str) -> ApiResult<()> {
    let limit = i64::from(state.settings().shares_per_hour);
    let hour = now() / 3600;
    let db = state.db();
    sqlx::query("DELETE FROM share_quota WHERE user_id = $1 AND hour < $2")
        .bind(user_id)
        .bind(hour)
        .execute(db)
        .await?;
    let used: Option<i64> = sqlx::query_scalar(
        "INSERT INTO share_quota (user_id, hour, used) VALUES ($1, $2, 1) \
         ON CONFLICT (user_id, hour) DO UPDATE SET used = share_quota.used + 1 \
         WHERE share_quota.used < $3 RETURNING used",
    )
    .bind(user_id)
    .bind(hour)
    .bind(limit)
    .fetch_optional(db)
    .await?;
    match used {
        Some(n) if n <= limit => Ok(()),
        _ => Err(ApiError::Coded {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "rate_limited",
            message: format!(
                "at most {limit} short links an hour per user: try again after the hour turns"
            ),
            details: None,
        }),
    }
}

async fn read(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    if !is_share_id(&id) {
        return Err(ApiError::BadRequest(format!(
            "a short link id is {SHARE_ID_LEN} characters of base64url"
        )));
    }
    let ciphertext: String = sqlx::query_scalar("SELECT ciphertext FROM shares WHERE id = $1")
        .bind(&id)
        .fetch_optional(state.db())
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(
                "no shared flow has this id: the link is wrong or was made on another Plugboard"
                    .into(),
            )
        })?;
    // Stored shares never change: caches may keep them.
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=31536000, immutable")],
        ApiJson(ShareCiphertext { ciphertext }),
    ))
}
