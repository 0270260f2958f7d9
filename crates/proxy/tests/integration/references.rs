//! Connection references per environment: create, bind, rebind and delete, deployment settings
//! export and all-or-nothing import, and the bound connection (name, status, owner, whether the
//! caller may use it) in every response, for the "Select a connection reference" picker; never a
//! secret.

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

#[tokio::test]
async fn connection_references() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let env = t.dev_env(&owner).await;
        let base = format!("/api/environments/{env}/references");
        let conn = t.connection(&owner, "Key", "k").await;
        let r = t.call("POST", &base, Some(json!({"display_name": "Outlook", "connector_id": "office365outlook"})), &owner).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let outlook = r.body["logical_name"].as_str().unwrap().to_string();
        assert!(outlook.starts_with("pb_office365outlook_") && outlook.len() == "pb_office365outlook_".len() + 4, "{outlook}");
        assert_eq!(r.body["connection_id"], json!(null));
        let r = t.call("POST", &base, Some(json!({"display_name": "Web", "connector_id": "http",
            "logical_name": "pb_web_0001", "connection_id": conn})), &owner).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.body["connection_id"], conn.as_str());
        // Unique per environment; valid names only; known connectors; matching connections.
        let dup = t.call("POST", &base, Some(json!({"display_name": "W", "connector_id": "http", "logical_name": "pb_web_0001"})), &owner).await;
        assert_eq!(dup.status, StatusCode::CONFLICT);
        for body in [
            json!({"display_name": "W", "connector_id": "http", "logical_name": "1 bad"}),
            json!({"display_name": "W", "connector_id": "nope"}),
            json!({"display_name": "", "connector_id": "http"}),
            json!({"display_name": "W", "connector_id": "sharepoint", "connection_id": conn}),
        ] {
            let r = t.call("POST", &base, Some(body.clone()), &owner).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
        }
        let r = t.call("POST", &base, Some(json!({"display_name": "W", "connector_id": "http", "connection_id": "nope"})), &owner).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Another environment may reuse the logical name.
        let prod = t.call("POST", "/api/environments", Some(json!({"name": "Production"})), &owner).await.body["id"].as_str().unwrap().to_string();
        let r = t.call("POST", &format!("/api/environments/{prod}/references"),
            Some(json!({"display_name": "Web", "connector_id": "http", "logical_name": "pb_web_0001"})), &owner).await;
        assert_eq!(r.status, StatusCode::CREATED);
        // Compatible list.
        let r = t.get(&format!("{base}?connector=http"), &owner).await;
        assert_eq!(r.body.as_array().unwrap().len(), 1);
        assert_eq!(r.body[0]["logical_name"], "pb_web_0001");
        assert_eq!(t.get(&base, &owner).await.body.as_array().unwrap().len(), 2);
        // Rename, rebind, unbind, change the logical name.
        let r = t.call("PATCH", &format!("{base}/pb_web_0001"), Some(json!({"display_name": "Website", "connection_id": null})), &owner).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["display_name"], "Website");
        assert_eq!(r.body["connection_id"], json!(null));
        let r = t.call("PATCH", &format!("{base}/pb_web_0001"), Some(json!({"connection_id": conn})), &owner).await;
        assert_eq!(r.body["connection_id"], conn.as_str());
        let r = t.call("PATCH", &format!("{base}/{outlook}"), Some(json!({"connection_id": conn})), &owner).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = t.call("PATCH", &format!("{base}/{outlook}"), Some(json!({"logical_name": "pb_web_0001"})), &owner).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = t.call("PATCH", &format!("{base}/{outlook}"), Some(json!({"logical_name": "pb_mail"})), &owner).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(t.get(&format!("{base}/pb_mail"), &owner).await.status, StatusCode::OK);
        assert_eq!(t.get(&format!("{base}/{outlook}"), &owner).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            t.call("PATCH", &format!("{base}/pb_mail"), Some(json!({"bogus": 1})), &owner).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(t.call("DELETE", &format!("{base}/pb_mail"), None, &owner).await.status, StatusCode::NO_CONTENT);
        assert_eq!(t.call("DELETE", &format!("{base}/pb_mail"), None, &owner).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn deployment_settings_export_and_all_or_nothing_import() {
    each_backend(async |t| {
        let owner = t.owner().await;
        let env = t.dev_env(&owner).await;
        let conn = t.connection(&owner, "Key", "k").await;
        t.call("POST", &format!("/api/environments/{env}/references"),
            Some(json!({"display_name": "Web", "connector_id": "http", "logical_name": "pb_web_0001", "connection_id": conn})), &owner).await;
        let r = t.get(&format!("/api/environments/{env}/deployment-settings"), &owner).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body, json!({"ConnectionReferences": [
            {"LogicalName": "pb_web_0001", "ConnectionId": conn, "ConnectorId": "http"}]}));
        let prod = t.call("POST", "/api/environments", Some(json!({"name": "Production"})), &owner).await.body["id"].as_str().unwrap().to_string();
        let url = format!("/api/environments/{prod}/deployment-settings");
        // One bad entry: nothing is written, every entry reported.
        let bad = json!({"ConnectionReferences": [
            {"LogicalName": "pb_web_0001", "ConnectionId": conn, "ConnectorId": "http"},
            {"LogicalName": "pb_mail_0002", "ConnectionId": "", "ConnectorId": "/providers/Microsoft.PowerApps/apis/shared_office365outlook"},
            {"LogicalName": "pb_bad", "ConnectionId": conn, "ConnectorId": "sharepoint"},
            {"LogicalName": "pb_nope", "ConnectionId": "", "ConnectorId": "nope"}]});
        let r = t.call("POST", &url, Some(bad), &owner).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(code(&r), "import_refused");
        let entries = &r.body["error"]["details"]["entries"];
        let statuses: Vec<&str> = entries.as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["created", "created", "error", "error"]);
        assert_eq!(r.body["error"]["details"]["applied"], false);
        assert_eq!(t.get(&format!("/api/environments/{prod}/references"), &owner).await.body, json!([]));
        // A good file applies.
        let good = json!({"ConnectionReferences": [
            {"LogicalName": "pb_web_0001", "ConnectionId": conn, "ConnectorId": "http"},
            {"LogicalName": "pb_mail_0002", "ConnectionId": "", "ConnectorId": "/providers/Microsoft.PowerApps/apis/shared_office365outlook"}],
            "EnvironmentVariables": []});
        let r = t.call("POST", &url, Some(good.clone()), &owner).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["applied"], true);
        let refs = t.get(&format!("/api/environments/{prod}/references"), &owner).await;
        assert_eq!(refs.body.as_array().unwrap().len(), 2);
        let r = t.call("POST", &url, Some(good), &owner).await;
        let statuses: Vec<&str> = r.body["entries"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["unchanged", "unchanged"]);
        let r = t.call("POST", &url, Some(json!({"ConnectionReferences": [{"LogicalName": "x"}]})), &owner).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}
