//! The REST API and its OpenAPI document.

mod common;

use axum::http::{Method, StatusCode};
use common::{dataset, TestApp};
use serde_json::json;

#[tokio::test]
async fn rest_crud_with_status_codes_and_error_codes() {
    let app = TestApp::new().await;
    let admin = Some(app.admin.as_str());
    let r = app
        .send(
            Method::POST,
            "/api/v1/organizations",
            admin,
            Some(json!({"name": "bo-y-te", "title": "Bộ Y tế", "kind": "ministry"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let editor = app.user("bac-si", false).await;
    let r = app
        .send(
            Method::PUT,
            "/api/v1/organizations/bo-y-te/members/bac-si",
            admin,
            Some(json!({"role": "editor"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let members = app
        .get("/api/v1/organizations/bo-y-te/members", None)
        .await
        .json();
    assert!(members
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["name"] == "bac-si" && m["capacity"] == "editor"));

    let r = app
        .send(
            Method::POST,
            "/api/v1/datasets",
            Some(&editor),
            Some(dataset("benh-vien", "bo-y-te")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = app.get("/api/v1/datasets/benh-vien", None).await;
    assert_eq!(r.json()["owner_org"], r.json()["organization"]["id"]);
    let r = app
        .send(
            Method::PATCH,
            "/api/v1/datasets/benh-vien",
            Some(&editor),
            Some(json!({"title": "Bệnh viện"})),
        )
        .await;
    assert_eq!(r.json()["title"], json!("Bệnh viện"));
    let r = app
        .send(
            Method::POST,
            "/api/v1/datasets/benh-vien/resources",
            Some(&editor),
            Some(json!({"url": "https://kcb.vn/ds.xlsx"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let rid = r.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/resources/{rid}"), None)
            .await
            .json()["format"],
        json!("XLSX")
    );
    let search = app
        .get(
            "/api/v1/datasets?q=benh%20vien&facet.field=organization",
            None,
        )
        .await
        .json();
    assert_eq!(search["count"], json!(1));
    assert_eq!(search["facets"]["organization"]["bo-y-te"], json!(1));
    assert_eq!(
        app.get("/api/v1/datasets/benh-vien/activity", None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Errors: a stable code, a type, a translated message, field details.
    let r = app.get("/api/v1/datasets/khong-co", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let e = r.json();
    assert_eq!(e["code"], json!("dataset_not_found"));
    assert_eq!(e["type"], json!("not_found"));
    assert!(!e["message"].as_str().unwrap().is_empty());
    let r = app
        .send(
            Method::POST,
            "/api/v1/datasets",
            Some(&editor),
            Some(json!({"name": "X Y"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["code"], json!("invalid_fields"));
    assert!(r.json()["fields"]["name"].is_array());
    let r = app
        .send(
            Method::POST,
            "/api/v1/datasets",
            None,
            Some(dataset("an-danh", "bo-y-te")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], json!("authentication_required"));

    // Tokens over REST.
    let r = app
        .send(
            Method::POST,
            "/api/v1/users/bac-si/tokens",
            Some(&editor),
            Some(json!({"name": "may-chu"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let tokens = app
        .get("/api/v1/users/bac-si/tokens", Some(&editor))
        .await
        .json();
    let id = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "may-chu")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/users/bac-si/tokens/{id}"),
            Some(&editor),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);

    let r = app
        .send(
            Method::DELETE,
            "/api/v1/datasets/benh-vien",
            Some(&editor),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/datasets/benh-vien", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/licenses", None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        16
    );
    assert_eq!(
        app.get("/api/v1/status", None).await.json()["locale_default"],
        json!("vi")
    );
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = TestApp::new().await;
    for path in [
        "/api/3/action/status_show",
        "/api/v1/datasets/none",
        "/healthz",
    ] {
        let r = app.get(path, None).await;
        assert!(
            r.header("content-security-policy")
                .contains("default-src 'self'"),
            "{path}"
        );
        assert_eq!(r.header("x-content-type-options"), "nosniff");
        assert_eq!(r.header("x-frame-options"), "DENY");
    }
    assert_eq!(
        app.get("/healthz", None).await.json(),
        json!({"database": true, "storage": true})
    );
}

#[tokio::test]
async fn writes_are_rate_limited_per_client() {
    let app = TestApp::with_limits(1024, 3).await;
    let token = app.user("vo-van", false).await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = app
            .action("api_token_create", Some(&token), json!({"name": "t"}))
            .await;
        statuses.push(r.status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    // Reads are not limited.
    assert_eq!(
        app.get("/api/3/action/status_show", Some(&token))
            .await
            .status,
        StatusCode::OK
    );
}

#[test]
fn openapi_document_is_stable() {
    let doc = serde_json::to_value(sen_web::openapi_document()).unwrap();
    assert_eq!(doc["openapi"], json!("3.1.0"));
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn openapi_document_is_served() {
    let app = TestApp::new().await;
    let served = app.get("/api/v1/openapi.json", None).await.json();
    assert_eq!(
        served,
        serde_json::to_value(sen_web::openapi_document()).unwrap()
    );
    assert!(served["paths"]["/api/v1/datasets/{id}"]["get"].is_object());
}

#[test]
fn every_message_key_is_translated_in_both_languages() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut missing = Vec::new();
    let mut stack = vec![crates];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() && !p.ends_with("target") {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for part in text.split("Msg::new(\"").skip(1) {
                    let key = &part[..part.find('"').unwrap()];
                    for lang in sen_i18n::Lang::ALL {
                        if !sen_i18n::keys(lang).iter().any(|k| k == key) {
                            missing.push(format!("{key} ({lang:?}) in {}", p.display()));
                        }
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "untranslated: {missing:#?}");
}
