//! Sign-in throttling per account and per client address, kept in the database so that every
//! replica counts the same attempts. Each attempt is counted when it starts (before any password
//! work), so a parallel flood is counted too; the first few per hour are free, then each one
//! waits twice as long as the one before (up to 15 minutes), answered 429 with `Retry-After`
//! without hashing anything. A success forgets the account's failures.

use crate::db::{now, Db};
use crate::error::{ApiError, ApiResult};
use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use sqlx::Row;
use std::net::{IpAddr, SocketAddr};

/// Failed attempts allowed without waiting per window: for one account, and for one address
/// (more: many people may sign in from behind one address).
const FREE_ACCOUNT: i64 = 5;
const FREE_ADDRESS: i64 = 20;
/// A key's failures are forgotten after this long without an attempt (seconds).
const WINDOW: i64 = 3600;
/// The longest wait (seconds).
const MAX_WAIT: i64 = 900;
/// How long an attempt past the free ones holds its key while it is checked (seconds): a
/// replica that dies mid-check frees it by then.
const CHECKING: i64 = 30;

/// The free attempts of a key.
fn free(key: &str) -> i64 {
    if key.starts_with("user:") {
        FREE_ACCOUNT
    } else {
        FREE_ADDRESS
    }
}

/// The wait after the `n`th failure of a key with `free` free ones: none for those, then 2, 4,
/// 8… seconds.
fn wait_after(n: i64, free: i64) -> i64 {
    if n < free {
        0
    } else {
        1i64.checked_shl((n - free + 1).min(20) as u32)
            .unwrap_or(MAX_WAIT)
            .min(MAX_WAIT)
    }
}

/// A counted attempt: its keys and their counts, to settle once the password is checked.
pub struct Attempt {
    keys: Vec<(String, i64)>,
}

/// The keys an attempt counts against: the account (whether or not it exists, so the answer
/// does not tell) and the client address when it is known.
fn keys(username: &str, address: Option<&str>) -> Vec<String> {
    let mut keys = vec![format!("user:{}", username.to_lowercase())];
    if let Some(a) = address {
        keys.push(format!("addr:{a}"));
    }
    keys
}

/// The client's address: from the configured header (its last entry, the one the reverse proxy
/// in front added), else the connection's peer; unknown when neither is there.
pub fn client_address(
    header: Option<&str>,
    headers: &HeaderMap,
    extensions: &Extensions,
) -> Option<String> {
    if let Some(name) = header {
        return headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .and_then(|a| a.parse::<IpAddr>().ok())
            .map(|a| a.to_string());
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// Counts an attempt for `username` from `address`, or refuses it while either must wait.
pub async fn begin(db: &Db, username: &str, address: Option<&str>) -> ApiResult<Attempt> {
    let now = now();
    let mut tx = db.begin().await?;
    let mut counted = Vec::new();
    for key in keys(username, address) {
        sqlx::query(
            "INSERT INTO sign_in_throttle (key, failures, last_at, locked_until) \
             VALUES ($1, 0, $2, 0) ON CONFLICT (key) DO NOTHING",
        )
        .bind(&key)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // Right-hand sides read the row as it was: the count restarts after a quiet window,
        // and an attempt past the free ones holds the key while it is checked.
        let row = sqlx::query(
            "UPDATE sign_in_throttle SET \
               failures = CASE WHEN last_at < $3 THEN 1 ELSE failures + 1 END, \
               last_at = $2, \
               locked_until = CASE WHEN (CASE WHEN last_at < $3 THEN 1 ELSE failures + 1 END) >= $4 \
                 THEN $5 ELSE locked_until END \
             WHERE key = $1 AND locked_until <= $2 RETURNING failures",
        )
        .bind(&key)
        .bind(now)
        .bind(now - WINDOW)
        .bind(free(&key))
        .bind(now + CHECKING)
        .fetch_optional(&mut *tx)
        .await?;
        match row {
            Some(r) => counted.push((key, r.try_get::<i64, _>("failures")?)),
            None => {
                let until: i64 =
                    sqlx::query_scalar("SELECT locked_until FROM sign_in_throttle WHERE key = $1")
                        .bind(&key)
                        .fetch_one(&mut *tx)
                        .await?;
                tx.rollback().await?;
                let secs = (until - now).max(1) as u64;
                let whose = if key.starts_with("user:") {
                    "this account"
                } else {
                    "this address"
                };
                return Err(ApiError::Throttled {
                    message: format!(
                        "Too many failed sign-ins for {whose}. Try again in {}.",
                        duration(secs)
                    ),
                    retry_after: secs,
                });
            }
        }
    }
    tx.commit().await?;
    Ok(Attempt { keys: counted })
}

/// "1 second", "40 seconds", "3 minutes".
fn duration(secs: u64) -> String {
    match secs {
        1 => "1 second".into(),
        s if s < 120 => format!("{s} seconds"),
        s => format!("{} minutes", s.div_ceil(60)),
    }
}

impl Attempt {
    /// Settles the attempt: a failure sets its keys' waits; a success forgets the account's
    /// failures and takes this attempt back from the address's count.
    pub async fn finish(self, db: &Db, succeeded: bool) -> ApiResult<()> {
        let now = now();
        let mut tx = db.begin().await?;
        for (key, n) in self.keys {
            let account = key.starts_with("user:");
            if succeeded && account {
                sqlx::query("DELETE FROM sign_in_throttle WHERE key = $1")
                    .bind(&key)
                    .execute(&mut *tx)
                    .await?;
            } else if succeeded {
                sqlx::query(
                    "UPDATE sign_in_throttle SET failures = CASE WHEN failures > 0 \
                     THEN failures - 1 ELSE 0 END, \
                     locked_until = CASE WHEN $2 >= $3 THEN 0 ELSE locked_until END WHERE key = $1",
                )
                .bind(&key)
                .bind(n)
                .bind(free(&key))
                .execute(&mut *tx)
                .await?;
            } else if n >= free(&key) {
                // This attempt holds the key (no other was checked meanwhile): set its wait.
                sqlx::query("UPDATE sign_in_throttle SET locked_until = $2 WHERE key = $1")
                    .bind(&key)
                    .bind(now + wait_after(n, free(&key)))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        // Keys of names nobody has tried for a window are forgotten.
        sqlx::query("DELETE FROM sign_in_throttle WHERE last_at < $1 AND locked_until < $2")
            .bind(now - WINDOW)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_are_capped() {
        assert_eq!(
            (1..=12).map(|n| wait_after(n, 5)).collect::<Vec<_>>(),
            [0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256]
        );
        assert_eq!(wait_after(40, 5), MAX_WAIT);
        assert_eq!(wait_after(i64::MAX, 5), MAX_WAIT);
        assert_eq!((wait_after(19, 20), wait_after(20, 20)), (0, 2));
        assert_eq!((free("user:ann"), free("addr:10.0.0.1")), (5, 20));
        assert_eq!(duration(1), "1 second");
        assert_eq!(duration(45), "45 seconds");
        assert_eq!(duration(900), "15 minutes");
    }

    #[test]
    fn keys_fold_the_account_name() {
        assert_eq!(keys("Ann", None), ["user:ann"]);
        assert_eq!(keys("ann", Some("10.0.0.7")), ["user:ann", "addr:10.0.0.7"]);
    }
}
