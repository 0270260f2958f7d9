//! Key rotation re-encrypts every secret under the new key.

use crate::common::*;

#[tokio::test]
async fn key_rotation_re_encrypts_every_secret() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let conn = t.connection(&owner, "Key", "rotate-me").await;
        let before = t.state.crypto().key_id().to_string();
        let n = plugboard_proxy::rotate::rotate_key(t.state.db(), &t.key_file)
            .await
            .unwrap();
        assert_eq!(n, 1);
        let crypto = plugboard_proxy::crypto::load_or_create(&t.key_file).unwrap();
        assert_ne!(crypto.key_id(), before);
        let state = t.with_crypto(crypto);
        use sqlx::Row;
        let row = sqlx::query("SELECT secret, key_id FROM connections WHERE id = $1")
            .bind(&conn)
            .fetch_one(state.db())
            .await
            .unwrap();
        let key_id: String = row.get("key_id");
        let secret: String = row.get("secret");
        assert_eq!(key_id, state.crypto().key_id());
        let plain = state.crypto().decrypt(&secret, &key_id, &conn).unwrap();
        assert_eq!(
            String::from_utf8(plain).unwrap(),
            r#"{"api_key":"rotate-me"}"#
        );
        assert!(!plugboard_proxy::crypto::pending_path(&t.key_file).exists());
    })
    .await;
}
