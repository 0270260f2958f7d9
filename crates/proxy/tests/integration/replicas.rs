//! Replicas on one database: started together on an empty one they make one first environment;
//! one started with another key file refuses to start instead of sealing secrets under a second
//! key; after a key rotation the old key file is refused too.

use crate::common::*;
use plugboard_proxy::crypto::{self, Crypto, Key};
use plugboard_proxy::keyring;

#[tokio::test]
async fn replicas_starting_together_make_one_first_environment() {
    each_backend(async |t| {
        // As on an empty database: no environment yet.
        sqlx::query("DELETE FROM environments")
            .execute(t.state.db())
            .await
            .unwrap();
        let starts: Vec<_> = (0..4)
            .map(|_| {
                let replica = t.with_crypto(t.state.crypto().clone());
                tokio::spawn(async move { replica.bootstrap().await })
            })
            .collect();
        for s in starts {
            s.await.unwrap().unwrap();
        }
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM environments")
            .fetch_all(t.state.db())
            .await
            .unwrap();
        assert_eq!(names, ["Development"]);
    })
    .await;
}

#[tokio::test]
async fn a_replica_with_another_key_refuses_to_start() {
    each_backend(async |t| {
        let ours = t.state.crypto().clone();
        // The first start records the key; the same key passes again.
        keyring::check(t.state.db(), ours.clone(), &t.key_file)
            .await
            .unwrap();
        keyring::check(t.state.db(), ours.clone(), &t.key_file)
            .await
            .unwrap();
        let other = Crypto::new(Key::random());
        let e = keyring::check(t.state.db(), other.clone(), &t.dir.join("other.key"))
            .await
            .err()
            .unwrap();
        assert!(
            e.contains("every replica must use the same key file"),
            "{e}"
        );
        assert!(
            e.contains(ours.key_id()) && e.contains(other.key_id()),
            "{e}"
        );
        assert!(e.contains("other.key"), "{e}");

        // After a rotation the old key file is refused, the new one accepted.
        let owner = t.owner().await;
        t.connection(&owner, "Key", "sealed").await;
        plugboard_proxy::rotate::rotate_key(t.state.db(), &t.key_file)
            .await
            .unwrap();
        let e = keyring::check(t.state.db(), ours, &t.key_file)
            .await
            .err()
            .unwrap();
        assert!(e.contains("same key file"), "{e}");
        let rotated = crypto::load_or_create(&t.key_file).unwrap();
        keyring::check(t.state.db(), rotated, &t.key_file)
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn an_interrupted_rotation_seals_new_secrets_under_the_new_key() {
    each_backend(async |t| {
        let old = t.state.crypto().clone();
        keyring::check(t.state.db(), old.clone(), &t.key_file)
            .await
            .unwrap();
        // The rotation committed (the database names the new key) but the key file was not
        // replaced yet: the start loads the old key and the pending one.
        let new = Key::random();
        let mut tx = t.state.db().begin().await.unwrap();
        keyring::record(&mut tx, new.id()).await.unwrap();
        tx.commit().await.unwrap();
        let both = old.clone().with_fallback(new.clone());
        let started = keyring::check(t.state.db(), both, &t.key_file)
            .await
            .unwrap();
        assert_eq!(started.key_id(), new.id());
        assert!(started.knows(old.key_id()));
    })
    .await;
}
