//! Uploads and downloads: streamed, byte-identical, versioned, limited.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{dataset, TestApp, SITE};
use serde_json::json;
use sha2::{Digest, Sha256};

const CSV: &[u8] = include_bytes!("../../sen/demo/files/vn_provinces.csv");

fn path_of(url: &str) -> String {
    url.strip_prefix(SITE).unwrap_or(url).to_string()
}

#[tokio::test]
async fn multipart_upload_round_trips_byte_for_byte() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("cuc-thong-ke", "thong-ke").await;
    app.ok(
        "package_create",
        Some(&editor),
        dataset("tinh-thanh", "cuc-thong-ke"),
    )
    .await;
    // As ckanapi sends it: every field a string, the file in `upload`.
    let r = app
        .post_multipart(
            "/api/action/resource_create",
            Some(&editor),
            &[
                ("package_id", "tinh-thanh"),
                ("name", "Danh sách tỉnh"),
                ("description", "63 tỉnh"),
                ("url", ""),
            ],
            Some(("Danh sách tỉnh thành.csv", CSV)),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let res = r.json()["result"].clone();
    assert_eq!(res["url_type"], json!("upload"));
    assert_eq!(res["size"], json!(CSV.len()));
    assert_eq!(res["hash"], json!(hex::encode(Sha256::digest(CSV))));
    assert_eq!(res["format"], json!("CSV"));
    assert_eq!(res["mimetype"], json!("text/csv"));
    let url = res["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{SITE}/dataset/")), "{url}");
    assert!(
        url.ends_with("/download/Danh%20s%C3%A1ch%20t%E1%BB%89nh%20th%C3%A0nh.csv"),
        "{url}"
    );

    let d = app.get(&path_of(url), None).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(&d.body[..], CSV);
    assert_eq!(d.header("content-length"), CSV.len().to_string());
    assert_eq!(d.header("accept-ranges"), "bytes");
    assert!(d.header("content-type").starts_with("text/csv"));
    assert!(
        d.header("content-disposition")
            .contains("filename*=UTF-8''Danh%20s%C3%A1ch"),
        "{}",
        d.header("content-disposition")
    );
    assert!(d
        .header("content-disposition")
        .contains("filename=\"Danh sach tinh thanh.csv\""));
    let etag = d.header("etag").to_string();
    assert_eq!(etag, format!("\"{}\"", hex::encode(Sha256::digest(CSV))));

    // Conditional and partial requests.
    let req = Request::builder()
        .uri(path_of(url))
        .header("if-none-match", &etag)
        .body(Body::empty())
        .unwrap();
    let r = app.request(req).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert!(r.body.is_empty());
    let req = Request::builder()
        .uri(path_of(url))
        .header("range", "bytes=10-19")
        .body(Body::empty())
        .unwrap();
    let r = app.request(req).await;
    assert_eq!(r.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(&r.body[..], &CSV[10..20]);
    assert_eq!(
        r.header("content-range"),
        format!("bytes 10-19/{}", CSV.len())
    );
    let req = Request::builder()
        .uri(path_of(url))
        .header("range", "bytes=-7")
        .body(Body::empty())
        .unwrap();
    assert_eq!(&app.request(req).await.body[..], &CSV[CSV.len() - 7..]);
    let req = Request::builder()
        .uri(path_of(url))
        .header("range", format!("bytes={}-", CSV.len()))
        .body(Body::empty())
        .unwrap();
    let r = app.request(req).await;
    assert_eq!(r.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(r.header("content-range"), format!("bytes */{}", CSV.len()));
    let req = Request::builder()
        .method(Method::HEAD)
        .uri(path_of(url))
        .body(Body::empty())
        .unwrap();
    let r = app.request(req).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.is_empty());
}

#[tokio::test]
async fn a_new_upload_keeps_the_old_file_as_a_version() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-tai-chinh", "ke-toan").await;
    app.ok(
        "package_create",
        Some(&editor),
        dataset("ngan-sach", "so-tai-chinh"),
    )
    .await;
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(&editor),
            &[("package_id", "ngan-sach")],
            Some(("v1.csv", b"a,b\n1,2\n")),
        )
        .await;
    let id = r.json()["result"]["id"].as_str().unwrap().to_string();
    let r = app
        .post_multipart(
            "/api/3/action/resource_update",
            Some(&editor),
            &[("id", &id), ("name", "Ngân sách")],
            Some(("v2.csv", b"a,b\n3,4\n")),
        )
        .await;
    let res = r.json()["result"].clone();
    assert_eq!(res["size"], json!(8));
    assert!(res["url"].as_str().unwrap().ends_with("/v2.csv"));
    assert_eq!(
        &app.get(&path_of(res["url"].as_str().unwrap()), None)
            .await
            .body[..],
        b"a,b\n3,4\n"
    );
    let versions = app
        .get(&format!("/api/v1/resources/{id}/versions"), None)
        .await
        .json();
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[0]["current"], json!(true));
    let old = versions[1]["id"].as_str().unwrap();
    let r = app
        .get(
            &format!("/dataset/ngan-sach/resource/{id}/version/{old}/download"),
            None,
        )
        .await;
    assert_eq!(&r.body[..], b"a,b\n1,2\n");
    assert!(r.header("content-disposition").contains("v1.csv"));
    // A patch without a file keeps the file.
    let patched = app
        .ok(
            "resource_patch",
            Some(&editor),
            json!({"id": id, "description": "Năm 2025"}),
        )
        .await;
    assert_eq!(patched["url_type"], json!("upload"));
    // package_update with package_show's output keeps uploads too.
    let shown = app
        .ok("package_show", None, json!({"id": "ngan-sach"}))
        .await;
    let after = app.ok("package_update", Some(&editor), shown).await;
    assert_eq!(after["resources"][0]["url_type"], json!("upload"));
    assert_eq!(after["resources"][0]["size"], json!(8));
}

#[tokio::test]
async fn oversize_and_unauthorised_uploads_are_refused_and_leave_nothing() {
    let app = TestApp::with_limits(1000, 0).await;
    let editor = app.org_with_editor("so-xay-dung", "xay-dung").await;
    app.ok(
        "package_create",
        Some(&editor),
        dataset("quy-hoach", "so-xay-dung"),
    )
    .await;
    let big = vec![b'x'; 5000];
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(&editor),
            &[("package_id", "quy-hoach")],
            Some(("lon.csv", &big)),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let v = r.json();
    assert_eq!(v["error"]["__type"], json!("Validation Error"));
    assert!(
        v["error"]["upload"][0].as_str().unwrap().contains("1000"),
        "{v}"
    );
    // No upload: anonymous, or to a dataset the user cannot edit.
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            None,
            &[("package_id", "quy-hoach")],
            Some(("a.csv", b"1")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let stranger = app.user("nguoi-la", false).await;
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(&stranger),
            &[("package_id", "quy-hoach")],
            Some(("a.csv", b"1")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A truncated multipart body is a bad request.
    let (ct, mut body) =
        TestApp::multipart(&[("package_id", "quy-hoach")], Some(("a.csv", b"1,2,3")));
    body.truncate(body.len() - 20);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/3/action/resource_create")
        .header("authorization", &editor)
        .header("content-type", ct)
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.request(req).await.status, StatusCode::BAD_REQUEST);

    assert_eq!(
        app.ok("package_show", None, json!({"id": "quy-hoach"}))
            .await["num_resources"],
        json!(0)
    );
    // Storage holds no file: every attempt was cleaned up.
    let files = std::fs::read_dir(app_files_dir(&app))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, 0, "leftover files in storage");
}

fn app_files_dir(app: &TestApp) -> std::path::PathBuf {
    let desc = app
        .catalog
        .storage
        .description()
        .trim_start_matches("file://")
        .to_string();
    std::path::Path::new(&desc).join("files")
}

#[tokio::test]
async fn downloads_of_non_open_data_are_not_found_for_others() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("bo-quoc-phong", "si-quan").await;
    let mut d = dataset("noi-bo", "bo-quoc-phong");
    d["access_level"] = json!("internal");
    app.ok("package_create", Some(&editor), d).await;
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(&editor),
            &[("package_id", "noi-bo")],
            Some(("mat.csv", b"secret")),
        )
        .await;
    let url = path_of(r.json()["result"]["url"].as_str().unwrap());
    assert_eq!(app.get(&url, None).await.status, StatusCode::NOT_FOUND);
    let outsider = app.user("ngoai", false).await;
    assert_eq!(
        app.get(&url, Some(&outsider)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(&app.get(&url, Some(&editor)).await.body[..], b"secret");
}
