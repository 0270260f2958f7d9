//! The health check, unknown `/api/` paths, and the OpenAPI document staying true: every operation
//! it lists is routed, and its schemas resolve.

use crate::common::*;
use axum::http::StatusCode;
use plugboard_proxy::http::openapi::{document, ENDPOINTS};
use serde_json::json;

#[tokio::test]
async fn every_documented_operation_is_routed() {
    each_backend(async |t| {
        let owner = t.owner().await;
        // Signing out last keeps the session for the rest.
        let mut ops: Vec<_> = ENDPOINTS.iter().collect();
        ops.sort_by_key(|(m, p, ..)| (*m, *p) == ("delete", "/api/session"));
        for (method, path, _, body, _) in ops {
            let concrete: String = path
                .split('/')
                .map(|seg| if seg.starts_with('{') { "x" } else { seg })
                .collect::<Vec<_>>()
                .join("/");
            let r = t
                .call(
                    &method.to_uppercase(),
                    &concrete,
                    body.map(|_| json!({})),
                    &owner,
                )
                .await;
            assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            assert_ne!(
                r.body["error"]["message"], "no such API endpoint",
                "{method} {path}"
            );
        }
    })
    .await;
}

#[test]
fn every_schema_reference_resolves() {
    let doc = document();
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &part[..part.find('"').unwrap()];
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} is referenced but not defined"
        );
    }
    assert!(doc["paths"]["/api/me/favourites"]["put"]["requestBody"].is_object());
    assert_eq!(
        doc["paths"]["/api/environments/{env}/references"]["get"]["responses"]["200"]["content"]
            ["application/json"]["schema"]["items"]["$ref"],
        "#/components/schemas/ConnectionReference"
    );
    let execute = &doc["paths"]["/api/environments/{env}/execute"]["post"];
    assert_eq!(
        execute["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ExecuteRequest"
    );
    assert_eq!(
        execute["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ExecuteResult"
    );
}

#[tokio::test]
async fn health_openapi_and_unknown_api_paths() {
    each_backend(async |t| {
        let r = t.get("/api/health", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body["status"], "ok");
        let r = t.get("/api/openapi.json", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body["openapi"], "3.0.3");
        assert!(r.body["paths"]["/api/connections/{connection}"]["delete"].is_object());
        let r = t.get("/api/nope", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(code(&r), "not_found");
        // Without its database a replica says so, and a load balancer takes it out.
        t.state.db().close().await;
        let r = t.get("/api/health", &Auth::default()).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.body["status"], "database unavailable");
    })
    .await;
}
