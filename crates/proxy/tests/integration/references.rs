//! Connection references carry their bound connection (name, status, owner, whether the caller may
//! use it) in every response, for the "Select a connection reference" picker; never a secret.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::{json, Value};

/// The references of one environment, as one user.
struct Refs<'a> {
    t: &'a TestApp,
    base: String,
}

impl Refs<'_> {
    /// Create `name` for `connector`, bound to `connection` when given; the 201.
    async fn create(&self, who: &Auth, name: &str, connector: &str, connection: &str) -> Resp {
        let mut body =
            json!({"display_name": name, "connector_id": connector, "logical_name": name});
        if !connection.is_empty() {
            body["connection_id"] = json!(connection);
        }
        let r = self.t.call("POST", &self.base, Some(body), who).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r
    }

    async fn patch(&self, who: &Auth, name: &str, body: Value) -> Resp {
        let path = format!("{}/{name}", self.base);
        let r = self.t.call("PATCH", &path, Some(body), who).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r
    }

    async fn one(&self, who: &Auth, name: &str) -> Resp {
        self.t.get(&format!("{}/{name}", self.base), who).await
    }
}

async fn refs<'a>(t: &'a TestApp, owner: &Auth) -> Refs<'a> {
    let env = t.dev_env(owner).await;
    Refs {
        t,
        base: format!("/api/environments/{env}/references"),
    }
}

#[tokio::test]
async fn every_reference_response_shows_the_bound_connection() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let refs = refs(&t, &owner).await;
        let key = "never-shown-9f2c";
        let conn = t.connection(&owner, "Contoso key", key).await;
        let bound = json!({"id": conn, "display_name": "Contoso key", "status": "connected",
            "owner": "Olive Owner", "usable": true});
        let mut seen = String::new();

        let r = refs.create(&owner, "pb_web_0001", "http", &conn).await;
        assert_eq!(r.body["connection"], bound, "exactly these fields");
        seen.push_str(&r.text);
        // Unbound: no `connection` at all.
        let r = refs
            .create(&owner, "pb_mail_0001", "office365outlook", "")
            .await;
        assert!(r.body.get("connection").is_none(), "{}", r.text);

        let r = t.get(&refs.base, &owner).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            each(&r.body, "logical_name"),
            ["pb_mail_0001", "pb_web_0001"]
        );
        assert!(r.body[0].get("connection").is_none());
        assert_eq!(r.body[1]["connection"], bound);
        seen.push_str(&r.text);
        // The compatible list (the connector filter) too.
        let r = t
            .get(&format!("{}?connector=http", refs.base), &owner)
            .await;
        assert_eq!(each(&r.body, "logical_name"), ["pb_web_0001"]);
        assert_eq!(r.body[0]["connection"], bound);
        let r = refs.one(&owner, "pb_web_0001").await;
        assert_eq!(r.body["connection"], bound);
        seen.push_str(&r.text);

        // A renamed connection shows at once; a renamed reference answers with it.
        let rename = json!({"display_name": "Renamed"});
        t.call(
            "PATCH",
            &format!("/api/connections/{conn}"),
            Some(rename),
            &owner,
        )
        .await;
        let r = refs
            .patch(&owner, "pb_web_0001", json!({"display_name": "Website"}))
            .await;
        assert_eq!(r.body["display_name"], "Website");
        assert_eq!(r.body["connection"]["display_name"], "Renamed");
        seen.push_str(&r.text);
        // A new logical name keeps it; unbinding drops it; binding brings it back.
        let r = refs
            .patch(
                &owner,
                "pb_web_0001",
                json!({"logical_name": "pb_web_0002"}),
            )
            .await;
        assert_eq!(r.body["connection"]["id"], conn.as_str());
        let r = refs
            .patch(&owner, "pb_web_0002", json!({"connection_id": null}))
            .await;
        assert!(r.body.get("connection").is_none(), "{}", r.text);
        let r = refs
            .patch(&owner, "pb_web_0002", json!({"connection_id": conn}))
            .await;
        assert_eq!(r.body["connection"]["display_name"], "Renamed");
        seen.push_str(&r.text);

        // A connection that needs signing in says so.
        let mail = json!({"connector_id": "office365outlook", "display_name": "Mail"});
        let r = t.call("POST", "/api/connections", Some(mail), &owner).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let mail = r.body["id"].as_str().unwrap();
        let r = refs
            .patch(&owner, "pb_mail_0001", json!({"connection_id": mail}))
            .await;
        assert_eq!(r.body["connection"]["status"], "needs_sign_in");

        // Deleting the connection (forced) unbinds: the reference shows no connection.
        let r = t
            .delete(&format!("/api/connections/{conn}?force=true"), &owner)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = refs.one(&owner, "pb_web_0002").await;
        assert!(r.body.get("connection").is_none(), "{}", r.text);
        assert!(
            !seen.contains(key),
            "a reference response leaked the secret"
        );
    })
    .await;
}

#[tokio::test]
async fn someone_elses_connection_shows_its_name_and_owner_but_is_not_usable() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let ann = t.user(&owner, "ann").await;
        let refs = refs(&t, &owner).await;
        let conn = t.connection(&owner, "Olive's key", "k").await;
        refs.create(&owner, "pb_web_0001", "http", &conn).await;
        let theirs = json!({"id": conn, "display_name": "Olive's key", "status": "connected",
            "owner": "Olive Owner", "usable": false});
        // Ann, a member, sees what it is bound to, as Power Platform shows it, but may not use it.
        let r = t.get(&refs.base, &ann).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body[0]["connection"], theirs);
        assert_eq!(
            refs.one(&ann, "pb_web_0001").await.body["connection"],
            theirs
        );
        let r = refs
            .patch(&ann, "pb_web_0001", json!({"display_name": "Site"}))
            .await;
        assert_eq!(r.body["connection"], theirs);
        // Shared with her: usable.
        let share = format!("/api/connections/{conn}/shares/{}", ann.user_id);
        t.call("PUT", &share, None, &owner).await;
        let r = t.get(&refs.base, &ann).await;
        assert_eq!(r.body[0]["connection"]["usable"], true);
        // Her own connection, bound by her: the owner (of the installation) may not use it.
        let hers = t.connection(&ann, "Ann's key", "k2").await;
        let r = refs.create(&ann, "pb_hers_0001", "http", &hers).await;
        assert_eq!(r.body["connection"]["owner"], "ann");
        assert_eq!(r.body["connection"]["usable"], true);
        let r = refs.one(&owner, "pb_hers_0001").await;
        assert_eq!(r.body["connection"]["owner"], "ann");
        assert_eq!(r.body["connection"]["usable"], false);
        // Removing Ann unbinds the references to her connections.
        let r = t
            .delete(&format!("/api/users/{}", ann.user_id), &owner)
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = refs.one(&owner, "pb_hers_0001").await;
        assert!(r.body.get("connection").is_none(), "{}", r.text);
    })
    .await;
}
