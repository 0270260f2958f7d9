//! Which key the database's secrets are sealed under. The first replica to start records its
//! key's id; every start checks it (and the ids the stored secrets name) against the key file,
//! so a replica started with another key file refuses to start instead of sealing new secrets
//! under a second key. Key rotation moves the record in its own transaction.

use crate::crypto::Crypto;
use crate::db::Db;
use std::path::Path;

/// Records the key on first start, else checks that `crypto` can open what the database holds.
/// Returns the keys with the recorded one first: after a rotation that stopped between its
/// commit and replacing the key file, new secrets are sealed under the new key, like the rest.
pub async fn check(db: &Db, crypto: Crypto, key_file: &Path) -> Result<Crypto, String> {
    let err = |e: sqlx::Error| format!("cannot check the secret key: {e}");
    sqlx::query(
        "INSERT INTO secret_key (singleton, key_id) VALUES (1, $1) ON CONFLICT (singleton) DO NOTHING",
    )
    .bind(crypto.key_id())
    .execute(db)
    .await
    .map_err(err)?;
    let recorded: String = sqlx::query_scalar("SELECT key_id FROM secret_key WHERE singleton = 1")
        .fetch_one(db)
        .await
        .map_err(err)?;
    let used: Vec<String> = sqlx::query_scalar(
        "SELECT key_id FROM connections WHERE key_id IS NOT NULL \
             UNION SELECT key_id FROM oauth_apps WHERE key_id IS NOT NULL",
    )
    .fetch_all(db)
    .await
    .map_err(err)?;
    let ours = crypto.key_id();
    if let Some(other) = std::iter::once(&recorded)
        .chain(&used)
        .find(|id| !crypto.knows(id))
    {
        return Err(format!(
            "the key file {} holds key {ours}, but this database's secrets are sealed under key \
             {other}: every replica must use the same key file (copy it from the first replica); \
             refusing to start so that no secret is sealed under a second key",
            key_file.display()
        ));
    }
    Ok(crypto.preferring(&recorded))
}

/// Rotation: the database's secrets are now sealed under `key_id`.
pub async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    key_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO secret_key (singleton, key_id) VALUES (1, $1) \
         ON CONFLICT (singleton) DO UPDATE SET key_id = $1",
    )
    .bind(key_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
