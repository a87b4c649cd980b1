//! The DCAT-AP export validated against the official DCAT-AP 3.0.1 SHACL
//! shapes (`shared/standards/dcat-ap-shacl/3.0.1`) with pySHACL, in each of
//! the four serialisations, over a realistic catalogue. No Rust SHACL
//! validator is complete enough; CI installs pySHACL (`.ci/run`), and this
//! test fails — it does not skip — when it is missing.
//!
//! Two shape sets: `full/dcat-ap-SHACL.ttl` (cardinalities, datatypes and the
//! classes of the values, with `full/ranges.ttl` as the extra ontology), and
//! `split/range.ttl` (the class ranges as shapes of their own). The MDR
//! vocabulary shapes are not used: they demand EU-managed publishers, places
//! and themes, which a Vietnamese portal does not have.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

const PYSHACL_VERSION: &str = "0.40.1";

fn standards() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/standards/dcat-ap-shacl/3.0.1")
}

fn shared(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs pySHACL over `files` (one serialisation) with each shape set; returns
/// the report of each run. Panics with instructions when pySHACL is missing.
fn validate(files: &[PathBuf], data_format: &str) -> Vec<(String, bool, String)> {
    let std = standards();
    let full = std.join("full/dcat-ap-SHACL.ttl");
    assert!(
        full.exists(),
        "the DCAT-AP shapes are missing: {}",
        full.display()
    );
    let runs: Vec<(String, Vec<String>)> = vec![
        (
            "dcat-ap-SHACL.ttl + ranges.ttl".into(),
            vec![
                "-s".into(),
                full.display().to_string(),
                "-e".into(),
                std.join("full/ranges.ttl").display().to_string(),
            ],
        ),
        (
            "split/range.ttl".into(),
            vec![
                "-s".into(),
                std.join("split/range.ttl").display().to_string(),
            ],
        ),
    ];
    runs.into_iter()
        .map(|(name, shapes)| {
            let out = Command::new("python3")
                .args(["-m", "pyshacl"])
                .args(&shapes)
                .args(["--validate-each", "-df", data_format])
                .args(files)
                .output()
                .unwrap_or_else(|e| panic!("python3 could not be started ({e}); pySHACL {PYSHACL_VERSION} is needed"));
            let stdout = String::from_utf8_lossy(&out.stdout).to_string();
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            if stderr.contains("No module named pyshacl") {
                panic!(
                    "pySHACL is not installed, so the DCAT-AP export cannot be validated. \
                     Install it with `python3 -m pip install pyshacl=={PYSHACL_VERSION}` (CI's .ci/run does)."
                );
            }
            let conforming = stdout.matches("Conforms: True").count();
            let ok = conforming == files.len() && !stdout.contains("Conforms: False");
            (name, ok, format!("{stdout}{stderr}"))
        })
        .collect()
}

async fn get(app: &TestApp, uri: &str, token: Option<&str>) -> Vec<u8> {
    let mut b = Request::builder().uri(uri);
    if let Some(t) = token {
        b = b.header("authorization", t);
    }
    let r = app.request(b.body(Body::empty()).unwrap()).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{uri}: {}",
        String::from_utf8_lossy(&r.body)
    );
    r.body.to_vec()
}

/// Three organisations, two topics, datasets of every access level with
/// uploaded and linked resources in several formats, temporal and spatial
/// coverage, frequencies, languages and contact points.
async fn realistic_catalogue(app: &TestApp) -> Vec<&'static str> {
    let thong_ke = app.org_with_editor("cuc-thong-ke", "bien-tap").await;
    let y_te = app.org_with_editor("so-y-te-ha-noi", "bien-tap-y-te").await;
    let tai_chinh = app
        .org_with_editor("bo-tai-chinh", "bien-tap-tai-chinh")
        .await;
    app.ok("organization_patch", Some(&app.admin), json!({"id": "cuc-thong-ke", "title": "Cục Thống kê", "description": "Cơ quan thống kê nhà nước."})).await;
    for (name, title) in [("dan-cu", "Dân cư và lao động"), ("y-te", "Y tế")] {
        app.ok(
            "group_create",
            Some(&app.admin),
            json!({"name": name, "title": title}),
        )
        .await;
    }
    app.ok("package_create", Some(&thong_ke), json!({
        "name": "don-vi-hanh-chinh", "title": "Danh mục đơn vị hành chính Việt Nam", "owner_org": "cuc-thong-ke",
        "license_id": "cc-by-4.0", "notes": "Danh mục **tỉnh, huyện, xã** kèm mã số.", "tags": [{"name": "đơn vị hành chính"}, {"name": "mã số"}],
        "frequency": "irregular", "language": "vi", "spatial": "Việt Nam", "temporal_start": "2021-07-11", "temporal_end": "2025-07-01",
        "contact_name": "Vụ Phương pháp chế độ", "contact_email": "ppcd@gso.gov.vn", "version": "2025-07", "identifier": "GSO-DVHC-2025",
        "conforms_to": "https://www.gso.gov.vn/phuong-phap-thong-ke/"})).await;
    app.ok(
        "member_create",
        Some(&thong_ke),
        json!({"id": "dan-cu", "object": "don-vi-hanh-chinh", "object_type": "package"}),
    )
    .await;
    let csv = shared("vn_provinces.csv");
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(&thong_ke),
            &[
                ("package_id", "don-vi-hanh-chinh"),
                ("name", "Tỉnh thành (CSV)"),
                ("format", "CSV"),
                ("description", "34 tỉnh, thành phố từ 01/07/2025"),
            ],
            Some(("tinh-thanh.csv", &csv)),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    for (name, url, format) in [
        (
            "Bản XLSX",
            "https://www.gso.gov.vn/dvhc/danh-muc.xlsx",
            "XLSX",
        ),
        (
            "Ranh giới (GeoJSON)",
            "https://www.gso.gov.vn/dvhc/ranh-gioi.geojson",
            "GeoJSON",
        ),
        (
            "Văn bản hướng dẫn",
            "https://www.gso.gov.vn/dvhc/huong-dan.pdf",
            "PDF",
        ),
    ] {
        app.ok(
            "resource_create",
            Some(&thong_ke),
            json!({"package_id": "don-vi-hanh-chinh", "name": name, "url": url, "format": format}),
        )
        .await;
    }
    app.ok("package_create", Some(&thong_ke), json!({
        "name": "dan-so-2024", "title": "Dân số trung bình 2024 theo tỉnh", "owner_org": "cuc-thong-ke", "license_id": "odc-by",
        "notes": "Ước tính dân số trung bình.", "tags": [{"name": "dân số"}], "frequency": "annual", "language": "vi, en",
        "temporal_start": "2024-01-01", "temporal_end": "2024-12-31", "maintainer": "Vụ Thống kê Dân số", "maintainer_email": "danso@gso.gov.vn",
        "resources": [
            {"name": "Bảng số liệu", "url": "https://www.gso.gov.vn/dan-so-2024.csv", "format": "CSV"},
            {"name": "API", "url": "https://api.gso.gov.vn/dan-so?nam=2024", "format": "API"}
        ]})).await;
    app.ok(
        "member_create",
        Some(&thong_ke),
        json!({"id": "dan-cu", "object": "dan-so-2024", "object_type": "package"}),
    )
    .await;
    app.ok("package_create", Some(&y_te), json!({
        "name": "co-so-kham-chua-benh", "title": "Cơ sở khám, chữa bệnh Hà Nội", "owner_org": "so-y-te-ha-noi", "license_id": "cc-by-4.0",
        "frequency": "monthly", "language": "vi", "spatial": "Hà Nội", "contact_email": "soyte@hanoi.gov.vn",
        "resources": [{"name": "Danh sách (JSON)", "url": "https://soyte.hanoi.gov.vn/co-so.json", "format": "JSON"}]})).await;
    app.ok(
        "member_create",
        Some(&y_te),
        json!({"id": "y-te", "object": "co-so-kham-chua-benh", "object_type": "package"}),
    )
    .await;
    app.ok("package_create", Some(&y_te), json!({
        "name": "ho-so-benh-an", "title": "Hồ sơ bệnh án điện tử (dùng chung)", "owner_org": "so-y-te-ha-noi", "access_level": "shared",
        "data_class": "important", "frequency": "daily", "contact_name": "Phòng CNTT",
        "resources": [{"name": "Dịch vụ chia sẻ", "url": "https://ndxp.gov.vn/benh-an", "format": "XML"}]})).await;
    app.ok("package_create", Some(&tai_chinh), json!({
        "name": "du-toan-noi-bo", "title": "Dự toán ngân sách (nội bộ)", "owner_org": "bo-tai-chinh", "access_level": "internal",
        "frequency": "quarterly", "temporal_start": "2025-01-01",
        "resources": [{"name": "Bảng tính", "url": "https://mof.gov.vn/du-toan.xlsx", "format": "XLSX"}]})).await;
    app.ok("package_create", Some(&tai_chinh), json!({
        "name": "gia-xang-dau", "title": "Giá bán lẻ xăng dầu", "owner_org": "bo-tai-chinh", "license_id": "cc-by-4.0",
        "frequency": "weekly", "tags": [{"name": "giá cả"}, {"name": "xăng dầu"}]})).await;
    vec![
        "don-vi-hanh-chinh",
        "dan-so-2024",
        "co-so-kham-chua-benh",
        "ho-so-benh-an",
        "du-toan-noi-bo",
        "gia-xang-dau",
    ]
}

#[tokio::test]
async fn every_serialisation_conforms_to_the_dcat_ap_3_shapes() {
    let app = TestApp::new().await;
    let datasets = realistic_catalogue(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let mut summary = Vec::new();
    for (ext, pyshacl_format) in [
        ("ttl", "turtle"),
        ("rdf", "xml"),
        ("jsonld", "json-ld"),
        ("nt", "nt"),
    ] {
        let mut files = Vec::new();
        let mut write = |name: String, body: Vec<u8>| {
            let path = dir.path().join(name);
            std::fs::write(&path, body).unwrap();
            files.push(path);
        };
        // The sysadmin's catalogue has every access level; the anonymous one is paged.
        write(
            format!("catalog-all.{ext}"),
            get(&app, &format!("/catalog.{ext}"), Some(&app.admin)).await,
        );
        write(
            format!("catalog-page-2.{ext}"),
            get(&app, &format!("/catalog.{ext}?rows=2&page=2"), None).await,
        );
        for name in &datasets {
            write(
                format!("{name}.{ext}"),
                get(&app, &format!("/dataset/{name}.{ext}"), Some(&app.admin)).await,
            );
        }
        let all = String::from_utf8(std::fs::read(&files[0]).unwrap()).unwrap();
        for expected in [
            "access-right/PUBLIC",
            "access-right/RESTRICTED",
            "access-right/NON_PUBLIC",
            "frequency/IRREG",
            "file-type/GEOJSON",
            "checksumValue",
        ] {
            assert!(
                all.contains(expected),
                "{ext}: {expected} missing from the catalogue"
            );
        }
        for (shapes, ok, report) in validate(&files, pyshacl_format) {
            let line = format!(
                "{ext}: {shapes}: {} of {} documents — Conforms: {}",
                report.matches("Conforms: True").count(),
                files.len(),
                if ok { "True" } else { "False" }
            );
            println!("{line}");
            assert!(ok, "{ext} does not conform to {shapes}:\n{report}");
            summary.push(line);
        }
    }
    assert_eq!(summary.len(), 8);
}

/// The validator really checks: a graph missing a title, and one whose
/// language IRI lacks its class, do not conform.
#[tokio::test]
async fn the_validator_rejects_what_the_shapes_forbid() {
    let dir = tempfile::tempdir().unwrap();
    let no_title = dir.path().join("no-title.ttl");
    std::fs::write(
        &no_title,
        r#"
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <http://sen.test/dataset/1> a dcat:Dataset ; dct:description "Không có tên" .
    "#,
    )
    .unwrap();
    let untyped = dir.path().join("untyped-language.ttl");
    std::fs::write(
        &untyped,
        r#"
        @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <http://sen.test/dataset/1> a dcat:Dataset ; dct:title "Tên" ; dct:description "Mô tả" ;
            dct:language <http://publications.europa.eu/resource/authority/language/VIE> .
    "#,
    )
    .unwrap();
    let runs = validate(&[no_title], "turtle");
    assert!(
        !runs[0].1,
        "a dataset without a title passed:\n{}",
        runs[0].2
    );
    assert!(runs[0].2.contains("Conforms: False"));
    let runs = validate(&[untyped], "turtle");
    assert!(
        runs.iter().all(|(_, ok, _)| !ok),
        "an untyped language IRI passed: {runs:?}"
    );
}
