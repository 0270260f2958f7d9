//! Key rotation: write a new key to `<key file>.new`, re-encrypt every secret (connections', OAuth
//! client secrets) under it in one transaction, then move it over the key file. A crash between
//! the commit and the move is safe: at start the proxy also loads a leftover `.new` key, and ciphertexts name their key.

use crate::crypto::{self, Crypto};
use crate::db::Db;
use sqlx::Row;
use std::path::Path;

/// Returns how many connections were re-encrypted.
pub async fn rotate_key(db: &Db, key_file: &Path) -> Result<usize, String> {
    let old = crypto::load_or_create(key_file)?;
    let pending = crypto::pending_path(key_file);
    let new_key = if pending.exists() {
        crypto::read_key(&pending)?
    } else {
        crypto::create_key_file(&pending)?
    };
    let new = Crypto::new(new_key.clone());
    let both = old.clone().with_fallback(new_key);
    let mut tx = db.begin().await.map_err(|e| e.to_string())?;
    let rows = sqlx::query("SELECT id, secret, key_id FROM connections WHERE secret IS NOT NULL")
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    let mut n = 0;
    for row in rows {
        let id: String = row.try_get("id").map_err(|e| e.to_string())?;
        let secret: String = row.try_get("secret").map_err(|e| e.to_string())?;
        let key_id: String = row.try_get("key_id").map_err(|e| e.to_string())?;
        let plain = both
            .decrypt(&secret, &key_id, &id)
            .map_err(|e| format!("connection {id}: {e}"))?;
        sqlx::query("UPDATE connections SET secret = $1, key_id = $2 WHERE id = $3")
            .bind(new.encrypt(&plain, &id))
            .bind(new.key_id())
            .bind(&id)
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        n += 1;
    }
    crate::oauth::app::reseal(&mut tx, &both, &new).await?;
    crate::keyring::record(&mut tx, new.key_id())
        .await
        .map_err(|e| e.to_string())?;
    // OAuth sign-ins in flight are simply dropped: the user signs in again.
    sqlx::query("DELETE FROM oauth_states")
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    std::fs::rename(&pending, key_file)
        .map_err(|e| format!("re-encrypted, but cannot replace the key file: {e}"))?;
    Ok(n)
}
