//! Drives the API exactly as the ckanapi client library does: JSON POSTs to
//! `/api/action/{name}` with ASCII-escaped bodies and both key headers,
//! multipart uploads whose fields are all strings (numbers and booleans as
//! Python's `str()` writes them), GET searches with `facet.field` as a JSON
//! string, and outcomes decided by `__type` alone.

mod common;

use axum::body::Body;
use axum::http::{Method, Request};
use common::TestApp;
use serde_json::{json, Value};

/// What ckanapi raises for a response (its `reverse_apicontroller_action`).
#[derive(Debug, PartialEq)]
enum Outcome {
    Result(Value),
    ValidationError(Value),
    NotFound,
    NotAuthorized,
    SearchQueryError,
    CkanApiError,
}

fn reverse(body: &[u8]) -> Outcome {
    let Ok(parsed) = serde_json::from_slice::<Value>(body) else {
        return Outcome::CkanApiError;
    };
    if parsed["success"] == json!(true) {
        return Outcome::Result(parsed["result"].clone());
    }
    let err = &parsed["error"];
    match err["__type"].as_str() {
        Some("Validation Error") => Outcome::ValidationError(err.clone()),
        Some("Not Found Error") => Outcome::NotFound,
        Some("Authorization Error") => Outcome::NotAuthorized,
        Some("Search Query Error") => Outcome::SearchQueryError,
        _ => Outcome::CkanApiError,
    }
}

/// Python's `json.dumps(...).encode('ascii')`: non-ASCII as \uXXXX escapes.
fn python_json(v: &Value) -> String {
    let mut out = String::new();
    for c in v.to_string().chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

async fn call_action(app: &TestApp, action: &str, apikey: Option<&str>, data: Value) -> Outcome {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/action/{action}"))
        .header("content-type", "application/json")
        .header("user-agent", "ckanapi/4.7");
    if let Some(k) = apikey {
        b = b.header("x-ckan-api-key", k).header("authorization", k);
    }
    reverse(
        &app.request(b.body(Body::from(python_json(&data))).unwrap())
            .await
            .body,
    )
}

/// ckanapi's file upload: the other parameters as strings, None left out.
async fn call_action_with_file(
    app: &TestApp,
    action: &str,
    apikey: &str,
    data: &[(&str, Value)],
    file: (&str, &[u8]),
) -> Outcome {
    let fields: Vec<(String, String)> = data
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Bool(true) => "True".into(),
                Value::Bool(false) => "False".into(),
                other => other.to_string(),
            };
            (k.to_string(), s)
        })
        .collect();
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    reverse(
        &app.post_multipart(
            &format!("/api/action/{action}"),
            Some(apikey),
            &refs,
            Some(file),
        )
        .await
        .body,
    )
}

#[tokio::test]
async fn a_ckanapi_session() {
    let app = TestApp::new().await;
    let key = app.admin.clone();
    let key = Some(key.as_str());

    let Outcome::Result(org) = call_action(
        &app,
        "organization_create",
        key,
        json!({"name": "so-tnmt", "title": "Sở Tài nguyên và Môi trường"}),
    )
    .await
    else {
        panic!()
    };
    assert_eq!(
        org["title"],
        json!("Sở Tài nguyên và Môi trường"),
        "\\u escapes decoded"
    );

    let pkg = json!({"name": "chat-luong-khong-khi", "title": "Chất lượng không khí", "owner_org": "so-tnmt",
                     "private": false, "tags": [{"name": "môi trường"}], "extras": [{"key": "nguồn", "value": "trạm quan trắc"}]});
    let Outcome::Result(created) = call_action(&app, "package_create", key, pkg).await else {
        panic!()
    };

    let Outcome::Result(res) = call_action_with_file(
        &app,
        "resource_create",
        &app.admin,
        &[
            ("package_id", json!(created["id"])),
            ("name", json!("PM2.5 theo giờ")),
            ("position", json!(0)),
            ("datastore_active", json!(false)),
            ("description", Value::Null),
        ],
        ("pm25.csv", b"tram,gio,pm25\nHoan Kiem,1,35\n"),
    )
    .await
    else {
        panic!()
    };
    assert_eq!(res["url_type"], json!("upload"));
    assert_eq!(res["size"], json!(29));

    // The dump/load round trip ckanapi does: package_show output back into package_update.
    let Outcome::Result(shown) = call_action(
        &app,
        "package_show",
        None,
        json!({"id": "chat-luong-khong-khi"}),
    )
    .await
    else {
        panic!()
    };
    let Outcome::Result(again) = call_action(&app, "package_update", key, shown.clone()).await
    else {
        panic!()
    };
    assert_eq!(again["resources"], shown["resources"]);
    assert_eq!(
        again["extras"],
        json!([{"key": "nguồn", "value": "trạm quan trắc"}])
    );

    // GET search with facet.field as a JSON string.
    let r = app
        .get(
            "/api/action/package_search?q=khong%20khi&facet.field=%5B%22tags%22%5D&rows=0",
            None,
        )
        .await;
    let Outcome::Result(found) = reverse(&r.body) else {
        panic!()
    };
    assert_eq!(found["count"], json!(1));
    assert_eq!(found["facets"]["tags"]["môi trường"], json!(1));
    assert_eq!(found["results"], json!([]));

    // Errors, decided by __type as ckanapi does.
    assert!(
        matches!(call_action(&app, "package_create", key, json!({"name": "chat-luong-khong-khi", "owner_org": "so-tnmt"})).await, Outcome::ValidationError(e) if e["name"].is_array())
    );
    assert_eq!(
        call_action(&app, "package_show", None, json!({"id": "khong-co"})).await,
        Outcome::NotFound
    );
    assert_eq!(
        call_action(
            &app,
            "package_delete",
            None,
            json!({"id": "chat-luong-khong-khi"})
        )
        .await,
        Outcome::NotAuthorized
    );
    assert_eq!(
        call_action(&app, "package_search", None, json!({"fq": "(unbalanced"})).await,
        Outcome::SearchQueryError
    );
    assert_eq!(
        call_action(&app, "help_me_please", None, json!({})).await,
        Outcome::CkanApiError
    );
    // The failed calls changed nothing.
    let Outcome::Result(after) = call_action(
        &app,
        "package_show",
        None,
        json!({"id": "chat-luong-khong-khi"}),
    )
    .await
    else {
        panic!()
    };
    assert_eq!(after["metadata_modified"], again["metadata_modified"]);
}
