//! The connector catalog over HTTP: the index, a connector's detail, unknown connectors.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn catalog_index_and_detail() {
    each_backend(async |t| {
        let r = t.get("/api/connectors", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::OK);
        let ids = each(&r.body["connectors"], "id");
        for id in [
            "http",
            "office365outlook",
            "onedriveforbusiness",
            "sharepoint",
        ] {
            assert!(ids.contains(&id), "{id} in {ids:?}");
        }
        let r = t
            .get("/api/connectors/office365outlook", &Auth::default())
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body["name"], "Office 365 Outlook");
        assert_eq!(r.body["auth"], json!(["oauth2"]));
        let set = &r.body["connection_parameter_sets"][0]["parameters"][0];
        assert_eq!(set["kind"], "oauth");
        assert!(set["oauth"]["token_url"]
            .as_str()
            .unwrap()
            .contains("login.microsoftonline.com"));
        let send = r.body["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["operation_id"] == "SendEmailV2")
            .unwrap();
        assert_eq!(send["def"]["id"], "connector:office365outlook/SendEmailV2");
        assert_eq!(send["def"]["name"], "Send an email (V2)");
        let names: Vec<&str> = send["def"]["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"body/message/toRecipients") && names.contains(&"body/message/subject"),
            "{names:?}"
        );
        let r = t.get("/api/connectors/http", &Auth::default()).await;
        assert_eq!(
            r.body["auth"],
            json!(["none", "api_key", "basic", "bearer"])
        );
        let r = t.get("/api/connectors/nope", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(code(&r), "not_found");
    })
    .await;
}
