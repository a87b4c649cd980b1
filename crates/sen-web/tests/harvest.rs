#![recursion_limit = "256"]
//! Harvesting, end to end: fixture servers on 127.0.0.1 speak CKAN's Action
//! API, DCAT-US data.json and DCAT Turtle (Hydra-paged), or misbehave; a
//! second in-process Sen is harvested through its CKAN API; and our own
//! `package_search` is paged exactly as ckanext-harvest's CKAN harvester
//! pages a remote portal.

mod common;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use common::{Browser, TestApp};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

// ---------------------------------------------------------------- fixtures

/// What the fixture server serves, changed by the tests between runs.
#[derive(Default)]
struct Remote {
    /// CKAN package dictionaries.
    packages: Vec<Value>,
    /// Every request's path and query, in order.
    log: Vec<String>,
    /// How `/ckan-switch/…` behaves: "ok" (CKAN), "500", "garbage", "huge", "slow", "loop".
    mode: String,
}

type Shared = Arc<Mutex<Remote>>;

fn lock(s: &Shared) -> std::sync::MutexGuard<'_, Remote> {
    s.lock().unwrap_or_else(|e| e.into_inner())
}

/// A CKAN 2.10 package dictionary as `package_search` returns it.
fn ckan_package(
    id: &str,
    name: &str,
    title: &str,
    modified: &str,
    tags: &[&str],
    resources: &[(&str, &str, &str)],
) -> Value {
    let org = json!({
        "id": "7c1f4d0e-5b7a-4c1e-9b1e-0a8d6c2f4e11", "name": "so-tai-nguyen-moi-truong-ha-noi",
        "title": "Sở Tài nguyên và Môi trường Hà Nội", "type": "organization",
        "description": "", "image_url": "", "created": "2019-03-12T08:15:41.123456",
        "is_organization": true, "approval_status": "approved", "state": "active"
    });
    json!({
        "author": "Phòng Quản lý Môi trường",
        "author_email": "qlmt@hanoi.gov.vn",
        "creator_user_id": "a1b2c3d4-0000-4000-8000-000000000001",
        "id": id,
        "isopen": true,
        "license_id": "CC-BY-4.0",
        "license_title": "Creative Commons Attribution 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "maintainer": "Nguyễn Văn An",
        "maintainer_email": "an.nv@hanoi.gov.vn",
        "metadata_created": "2023-11-02T03:12:45.551234",
        "metadata_modified": modified,
        "name": name,
        "notes": format!("Số liệu **{title}** do Sở Tài nguyên và Môi trường Hà Nội công bố hằng năm."),
        "num_resources": resources.len(),
        "num_tags": tags.len(),
        "organization": org,
        "owner_org": "7c1f4d0e-5b7a-4c1e-9b1e-0a8d6c2f4e11",
        "private": false,
        "state": "active",
        "title": title,
        "type": "dataset",
        "url": "https://tnmt.hanoi.gov.vn/du-lieu-mo",
        "version": "2024",
        "extras": [
            {"key": "spatial_text", "value": "Thành phố Hà Nội"},
            {"key": "harvest_object_id", "value": "from-another-harvester"}
        ],
        "groups": [{"description": "", "display_name": "Môi trường", "id": "b3", "image_display_url": "", "name": "moi-truong", "title": "Môi trường"}],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "resources": resources.iter().enumerate().map(|(i, (rname, url, format))| json!({
            "cache_last_updated": null, "cache_url": null, "created": "2023-11-02T03:13:02.100000",
            "datastore_active": false, "description": format!("Tệp {rname}"), "format": format,
            "hash": "", "id": format!("{id}-r{i}"), "last_modified": null,
            "metadata_modified": modified, "mimetype": if *format == "CSV" { "text/csv" } else { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
            "mimetype_inner": null, "name": rname, "package_id": id, "position": i,
            "resource_type": null, "size": 48213, "state": "active", "url": url, "url_type": ""
        })).collect::<Vec<_>>(),
        "tags": tags.iter().map(|t| json!({"display_name": t, "id": format!("tag-{t}"), "name": t, "state": "active", "vocabulary_id": null})).collect::<Vec<_>>(),
    })
}

fn three_packages() -> Vec<Value> {
    vec![
        ckan_package(
            "0b6f5c2e-1111-4c3a-9d7e-8f1a2b3c4d01",
            "chat-luong-khong-khi-ha-noi-2024",
            "Chất lượng không khí Hà Nội 2024",
            "2024-03-01T02:00:00.000000",
            &["không khí", "môi trường", "AQI"],
            &[(
                "Chỉ số AQI theo giờ",
                "https://tnmt.hanoi.gov.vn/files/aqi-2024.csv",
                "CSV",
            )],
        ),
        ckan_package(
            "0b6f5c2e-2222-4c3a-9d7e-8f1a2b3c4d02",
            "diem-thu-gom-rac-thai",
            "Điểm thu gom rác thải sinh hoạt",
            "2024-02-11T09:30:00.000000",
            &["rác thải", "đô thị"],
            &[
                (
                    "Danh sách điểm thu gom",
                    "https://tnmt.hanoi.gov.vn/files/thu-gom.csv",
                    "CSV",
                ),
                (
                    "Bản đồ (XLSX)",
                    "https://tnmt.hanoi.gov.vn/files/thu-gom.xlsx",
                    "XLSX",
                ),
            ],
        ),
        ckan_package(
            "0b6f5c2e-3333-4c3a-9d7e-8f1a2b3c4d03",
            "muc-nuoc-song-hong",
            "Mực nước sông Hồng tại trạm Hà Nội",
            "2024-01-20T00:00:00.000000",
            &["thủy văn", "sông Hồng"],
            &[(
                "Mực nước ngày",
                "https://tnmt.hanoi.gov.vn/files/muc-nuoc.csv",
                "CSV",
            )],
        ),
    ]
}

fn ckan_ok(result: Value) -> Response {
    axum::Json(json!({"help": "https://fixture/api/3/action/help_show", "success": true, "result": result})).into_response()
}

/// `package_search` as CKAN answers the CKAN harvester: `sort=id asc`,
/// `rows`, `start`, and `fq=metadata_modified:[X TO *]`.
fn package_search(remote: &Remote, q: &HashMap<String, String>) -> Response {
    let rows: usize = q.get("rows").and_then(|r| r.parse().ok()).unwrap_or(10);
    let start: usize = q.get("start").and_then(|r| r.parse().ok()).unwrap_or(0);
    let since = q.get("fq").and_then(|fq| {
        let inner = fq
            .strip_prefix("metadata_modified:[")?
            .strip_suffix(" TO *]")?;
        Some(inner.trim_end_matches('Z').to_string())
    });
    let mut list: Vec<Value> = remote
        .packages
        .iter()
        .filter(|p| match &since {
            Some(s) => p["metadata_modified"].as_str().unwrap_or_default() >= s.as_str(),
            None => true,
        })
        .cloned()
        .collect();
    if q.get("sort").map(String::as_str) == Some("id asc") {
        list.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    }
    let count = list.len();
    let page: Vec<Value> = list.into_iter().skip(start).take(rows).collect();
    ckan_ok(
        json!({"count": count, "results": page, "sort": "id asc", "facets": {}, "search_facets": {}}),
    )
}

async fn ckan_action(
    State(s): State<Shared>,
    axum::extract::Path(action): axum::extract::Path<String>,
    Query(q): Query<HashMap<String, String>>,
    uri: axum::http::Uri,
) -> Response {
    let mut remote = lock(&s);
    remote.log.push(uri.to_string());
    match action.as_str() {
        "package_search" => package_search(&remote, &q),
        "package_list" => {
            let offset: usize = q.get("offset").and_then(|r| r.parse().ok()).unwrap_or(0);
            let limit: usize = q.get("limit").and_then(|r| r.parse().ok()).unwrap_or(1000);
            let names: Vec<Value> = remote
                .packages
                .iter()
                .map(|p| p["name"].clone())
                .skip(offset)
                .take(limit)
                .collect();
            ckan_ok(json!(names))
        }
        _ => (StatusCode::NOT_FOUND, "no such action").into_response(),
    }
}

/// A CKAN portal that misbehaves as `mode` says.
async fn ckan_switch(
    State(s): State<Shared>,
    axum::extract::Path(action): axum::extract::Path<String>,
    Query(q): Query<HashMap<String, String>>,
    uri: axum::http::Uri,
) -> Response {
    let mode = lock(&s).mode.clone();
    match mode.as_str() {
        "500" => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "<h1>Internal Server Error</h1>",
        )
            .into_response(),
        "garbage" => (
            [(header::CONTENT_TYPE, "application/json")],
            "{\"success\": true, \"result\": {\"results\": [ {\"id\": ",
        )
            .into_response(),
        "huge" => {
            // Streamed without a length: the limit must hold while reading.
            let chunk = bytes::Bytes::from(vec![b' '; 64 * 1024]);
            let stream =
                futures::stream::iter((0..64).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
            (
                [(header::CONTENT_TYPE, "application/json")],
                Body::from_stream(stream),
            )
                .into_response()
        }
        "slow" => {
            tokio::time::sleep(Duration::from_secs(6)).await;
            ckan_ok(json!({"count": 0, "results": []}))
        }
        "loop" => (
            StatusCode::FOUND,
            [(
                header::LOCATION,
                "/ckan-switch/api/3/action/package_search?again=1",
            )],
        )
            .into_response(),
        _ => ckan_action(State(s), axum::extract::Path(action), Query(q), uri).await,
    }
}

const DATA_JSON: &str = r#"{
  "@type": "dcat:Catalog",
  "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
  "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
  "dataset": [
    {
      "@type": "dcat:Dataset",
      "identifier": "gso-dan-so-trung-binh-2023",
      "title": "Dân số trung bình phân theo tỉnh, thành phố 2023",
      "description": "Dân số trung bình năm 2023 của 63 tỉnh, thành phố trực thuộc Trung ương.",
      "keyword": ["dân số", "thống kê", "tỉnh thành"],
      "modified": "2024-06-30",
      "publisher": {"@type": "org:Organization", "name": "Tổng cục Thống kê"},
      "contactPoint": {"@type": "vcard:Contact", "fn": "Vụ Thống kê Dân số và Lao động", "hasEmail": "mailto:dansolaodong@gso.gov.vn"},
      "accessLevel": "public",
      "license": "https://creativecommons.org/licenses/by/4.0/",
      "temporal": "2023-01-01/2023-12-31",
      "accrualPeriodicity": "R/P1Y",
      "landingPage": "https://www.gso.gov.vn/px-web-2/?pxid=V0201",
      "distribution": [
        {"@type": "dcat:Distribution", "downloadURL": "https://www.gso.gov.vn/data/V0201.csv", "mediaType": "text/csv", "format": "CSV", "title": "Bảng dân số trung bình"}
      ]
    },
    {
      "@type": "dcat:Dataset",
      "identifier": "gso-lao-dong-viec-lam-q4-2024",
      "title": "Lao động có việc làm quý IV năm 2024",
      "description": "Số lao động từ 15 tuổi trở lên có việc làm.",
      "keyword": ["lao động", "việc làm"],
      "modified": "2025-01-06",
      "publisher": {"@type": "org:Organization", "name": "Tổng cục Thống kê"},
      "contactPoint": {"fn": "Vụ Thống kê Dân số và Lao động", "hasEmail": "mailto:dansolaodong@gso.gov.vn"},
      "accessLevel": "public",
      "distribution": [
        {"accessURL": "https://www.gso.gov.vn/lao-dong-viec-lam/", "format": "API", "title": "Trang dữ liệu"}
      ]
    },
    {
      "@type": "dcat:Dataset",
      "identifier": "gso-vi-mo-doanh-nghiep-noi-bo",
      "title": "Vi mô doanh nghiệp (nội bộ)",
      "description": "Dữ liệu vi mô, không công khai.",
      "keyword": ["doanh nghiệp"],
      "modified": "2024-12-01",
      "publisher": {"name": "Tổng cục Thống kê"},
      "contactPoint": {"fn": "Vụ Thống kê Công nghiệp", "hasEmail": "mailto:congnghiep@gso.gov.vn"},
      "accessLevel": "non-public"
    },
    {
      "@type": "dcat:Dataset",
      "title": "Bản ghi thiếu định danh",
      "accessLevel": "public"
    }
  ]
}"#;

const DCAT_PAGE_1: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<catalog.ttl?page=1> a hydra:PartialCollectionView ;
    hydra:first <catalog.ttl?page=1> ;
    hydra:next <catalog.ttl?page=2> ;
    hydra:last <catalog.ttl?page=2> .

<https://data.danang.gov.vn/catalog> a dcat:Catalog ;
    dct:title "Danh mục dữ liệu mở Đà Nẵng"@vi ;
    dcat:dataset <https://data.danang.gov.vn/dataset/diem-wifi-cong-cong>, <https://data.danang.gov.vn/dataset/tuyen-xe-buyt> .

<https://data.danang.gov.vn/dataset/diem-wifi-cong-cong> a dcat:Dataset ;
    dct:identifier "dn-wifi-2024" ;
    dct:title "Điểm Wi-Fi công cộng Đà Nẵng"@vi , "Public Wi-Fi hotspots in Da Nang"@en ;
    dct:description "Vị trí các điểm phát Wi-Fi miễn phí trên địa bàn thành phố."@vi ;
    dcat:keyword "wifi"@vi , "hạ tầng số"@vi , "digital infrastructure"@en ;
    dct:modified "2024-09-15"^^xsd:date ;
    dct:publisher [ a foaf:Agent ; foaf:name "Sở Thông tin và Truyền thông Đà Nẵng"@vi ] ;
    dcat:contactPoint [ a vcard:Kind ; vcard:fn "Trung tâm IOC" ; vcard:hasEmail <mailto:ioc@danang.gov.vn> ] ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
    dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/MONTHLY> ;
    dcat:distribution [ a dcat:Distribution ;
        dct:title "GeoJSON"@vi ;
        dcat:downloadURL <https://data.danang.gov.vn/files/wifi.geojson> ;
        dcat:mediaType <http://www.iana.org/assignments/media-types/application/geo+json> ;
        dct:license <https://creativecommons.org/licenses/by/4.0/> ] .

<https://data.danang.gov.vn/dataset/tuyen-xe-buyt> a dcat:Dataset ;
    dct:identifier "dn-xe-buyt" ;
    dct:title "Tuyến xe buýt Đà Nẵng"@vi ;
    dct:description "Lộ trình và điểm dừng các tuyến xe buýt."@vi ;
    dcat:keyword "giao thông"@vi , "xe buýt"@vi ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/PUBLIC> ;
    dcat:distribution [ a dcat:Distribution ; dct:title "CSV"@vi ;
        dcat:accessURL <https://data.danang.gov.vn/files/xe-buyt.csv> ; dct:format "CSV" ] .
"#;

const DCAT_PAGE_2: &str = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .

<catalog.ttl?page=2> a hydra:PartialCollectionView ;
    hydra:first <catalog.ttl?page=1> ;
    hydra:previous <catalog.ttl?page=1> .

<https://data.danang.gov.vn/dataset/chat-luong-nuoc> a dcat:Dataset ;
    dct:identifier "dn-chat-luong-nuoc" ;
    dct:title "Chất lượng nước sông Hàn"@vi ;
    dcat:keyword "nước"@vi ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/RESTRICTED> ;
    dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://data.danang.gov.vn/files/nuoc.csv> ] .

<https://data.danang.gov.vn/dataset/dan-cu-phuong-xa> a dcat:Dataset ;
    dct:identifier "dn-dan-cu" ;
    dct:title "Dân cư theo phường, xã"@vi ;
    dcat:keyword "dân số"@vi ;
    dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <https://data.danang.gov.vn/files/dan-cu.xlsx> ] .
"#;

async fn dcat_catalog(Query(q): Query<HashMap<String, String>>) -> Response {
    let body = if q.get("page").map(String::as_str) == Some("2") {
        DCAT_PAGE_2
    } else {
        DCAT_PAGE_1
    };
    ([(header::CONTENT_TYPE, "text/turtle; charset=utf-8")], body).into_response()
}

/// Starts the fixture server; returns its base URL and state.
async fn fixture() -> (String, Shared) {
    let shared: Shared = Arc::new(Mutex::new(Remote {
        packages: three_packages(),
        mode: "ok".into(),
        ..Default::default()
    }));
    let app = Router::new()
        .route("/ckan/api/3/action/{action}", get(ckan_action))
        .route("/ckan-switch/api/3/action/{action}", get(ckan_switch))
        .route(
            "/data.json",
            get(|| async { ([(header::CONTENT_TYPE, "application/json")], DATA_JSON) }),
        )
        .route("/dcat/catalog.ttl", get(dcat_catalog))
        .with_state(shared.clone());
    (serve(app).await, shared)
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

/// A portal that may harvest the fixture servers on 127.0.0.1.
async fn harvesting_app() -> TestApp {
    TestApp::with_catalog_config(|c| {
        c.harvest_limits.allow_private = true;
        c.harvest_limits.timeout = Duration::from_secs(2);
        c.harvest_limits.max_bytes = 1024 * 1024;
        c.harvest_limits.max_redirects = 3;
    })
    .await
}

async fn new_org(app: &TestApp, name: &str) {
    app.ok(
        "organization_create",
        Some(&app.admin),
        json!({"name": name, "title": format!("Tổ chức {name}")}),
    )
    .await;
}

async fn new_source(app: &TestApp, body: Value) -> Value {
    app.ok("harvest_source_create", Some(&app.admin), body)
        .await
}

/// Queues a run through the API, runs the queue dry, returns the job.
async fn run(app: &TestApp, source: &str, dry_run: bool) -> Value {
    let job = app
        .ok(
            "harvest_job_create",
            Some(&app.admin),
            json!({"id": source, "dry_run": dry_run}),
        )
        .await;
    assert_eq!(job["status"], "queued", "{job}");
    while app.catalog.run_one_job("test-worker").await.expect("queue") {}
    let job = app
        .ok(
            "harvest_job_show",
            Some(&app.admin),
            json!({"id": job["id"]}),
        )
        .await;
    println!("harvest report: {}", job["report"]);
    job
}

fn counts(job: &Value) -> (i64, i64, i64, i64, i64) {
    let c = &job["report"]["counts"];
    let n = |k: &str| c[k].as_i64().unwrap_or(-1);
    (
        n("created"),
        n("updated"),
        n("deleted"),
        n("unchanged"),
        n("errored"),
    )
}

/// Datasets of every state and level, as the sysadmin counts them.
async fn dataset_count(app: &TestApp) -> i64 {
    let r = app
        .ok(
            "package_search",
            Some(&app.admin),
            json!({"rows": 0, "include_private": true, "include_drafts": true}),
        )
        .await;
    r["count"].as_i64().expect("count")
}

// ------------------------------------------------------------------- tests

#[tokio::test]
async fn ckan_source_creates_then_updates_incrementally_withdraws_and_keeps_local_edits() {
    let app = harvesting_app().await;
    let (base, remote) = fixture().await;
    new_org(&app, "so-tnmt-ha-noi").await;
    let source = new_source(
        &app,
        json!({"name": "tnmt-ha-noi", "title": "CKAN Sở TN&MT Hà Nội", "url": format!("{base}/ckan/"),
               "source_type": "ckan", "owner_org": "so-tnmt-ha-noi", "frequency": "daily",
               "keep_local_edits": true, "license_map": {"CC-BY-4.0": "cc-by-4.0"}}),
    )
    .await;
    assert_eq!(source["validated"], json!(false));

    // A real run is refused until a dry run succeeded.
    let e = app
        .fails(
            "harvest_job_create",
            Some(&app.admin),
            json!({"id": "tnmt-ha-noi"}),
            409,
            "Validation Error",
        )
        .await;
    assert!(e.get("dry_run").is_some(), "{e}");

    // The dry run reports what it would do and writes nothing.
    let dry = run(&app, "tnmt-ha-noi", true).await;
    assert_eq!(dry["status"], "finished", "{dry}");
    assert_eq!(counts(&dry), (3, 0, 0, 0, 0));
    assert_eq!(dataset_count(&app).await, 0);
    assert_eq!(dry["report"]["created"].as_array().map(Vec::len), Some(3));

    let first = run(&app, "tnmt-ha-noi", false).await;
    assert_eq!(first["status"], "finished", "{first}");
    assert_eq!(counts(&first), (3, 0, 0, 0, 0));
    assert_eq!(dataset_count(&app).await, 3);

    // Created as links, in the target organisation, with provenance.
    let d = app
        .ok("package_show", None, json!({"id": "diem-thu-gom-rac-thai"}))
        .await;
    assert_eq!(d["organization"]["name"], "so-tnmt-ha-noi");
    assert_eq!(d["license_id"], "cc-by-4.0");
    assert_eq!(d["access_level"], "open");
    assert_eq!(d["harvest_source_id"], source["id"]);
    assert_eq!(
        d["harvest_object_id"],
        "0b6f5c2e-2222-4c3a-9d7e-8f1a2b3c4d02"
    );
    assert_eq!(
        d["harvest_object_url"],
        format!("{base}/ckan/dataset/diem-thu-gom-rac-thai")
    );
    assert!(d["harvest_last_harvested"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    let resources = d["resources"].as_array().expect("resources");
    assert_eq!(resources.len(), 2);
    assert_eq!(
        resources[0]["url"],
        "https://tnmt.hanoi.gov.vn/files/thu-gom.csv"
    );
    assert_eq!(resources[0]["url_type"], Value::Null);
    let mut tags: Vec<&str> = d["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    tags.sort();
    assert_eq!(tags, ["rác thải", "đô thị"]);
    let extras = d["extras"].to_string();
    assert!(
        extras.contains("spatial_text") && !extras.contains("from-another-harvester"),
        "{extras}"
    );
    // The dataset page shows where it comes from.
    let page = app.get("/dataset/diem-thu-gom-rac-thai", None).await;
    let html = String::from_utf8_lossy(&page.body);
    assert!(
        html.contains("Thu thập từ CKAN Sở TN&amp;MT Hà Nội"),
        "{html}"
    );

    // Second run: incremental (fq on metadata_modified), nothing changed.
    lock(&remote).log.clear();
    let second = run(&app, "tnmt-ha-noi", false).await;
    assert_eq!(counts(&second), (0, 0, 0, 3, 0));
    assert_eq!(second["report"]["incremental"], json!(true));
    let log = lock(&remote).log.clone();
    assert!(
        log.iter()
            .any(|u| u.contains("fq=metadata_modified%3A%5B") && u.contains("sort=id+asc")),
        "{log:?}"
    );

    // A local edit, then a remote change of the same dataset: the edited field stays.
    app.ok(
        "package_patch",
        Some(&app.admin),
        json!({"id": "chat-luong-khong-khi-ha-noi-2024", "title": "Không khí Hà Nội 2024 (đã hiệu đính)"}),
    )
    .await;
    {
        let mut r = lock(&remote);
        let p = &mut r.packages[0];
        p["notes"] = json!("Bản cập nhật: thêm số liệu tháng 12.");
        p["title"] = json!("Chất lượng không khí Hà Nội năm 2024");
        p["metadata_modified"] = json!(sen_domain::time::now());
    }
    let third = run(&app, "tnmt-ha-noi", false).await;
    assert_eq!(counts(&third), (0, 1, 0, 2, 0), "{third}");
    let d = app
        .ok(
            "package_show",
            None,
            json!({"id": "chat-luong-khong-khi-ha-noi-2024"}),
        )
        .await;
    assert_eq!(d["title"], "Không khí Hà Nội 2024 (đã hiệu đính)");
    assert_eq!(d["notes"], "Bản cập nhật: thêm số liệu tháng 12.");

    // Removed remotely: withdrawn here.
    lock(&remote).packages.remove(2);
    let fourth = run(&app, "tnmt-ha-noi", false).await;
    assert_eq!(counts(&fourth), (0, 0, 1, 2, 0), "{fourth}");
    app.fails(
        "package_show",
        None,
        json!({"id": "muc-nuoc-song-hong"}),
        404,
        "Not Found Error",
    )
    .await;
    let gone = app
        .ok(
            "package_show",
            Some(&app.admin),
            json!({"id": "muc-nuoc-song-hong"}),
        )
        .await;
    assert_eq!(gone["state"], "deleted");
    // Never duplicated.
    assert_eq!(dataset_count(&app).await, 2);

    // Search serves the same dictionaries as package_show, provenance
    // included, also after the source is renamed.
    app.ok(
        "harvest_source_update",
        Some(&app.admin),
        json!({"id": "tnmt-ha-noi", "title": "Sở TN&MT Hà Nội (cổng cũ)"}),
    )
    .await;
    let found = app.ok("package_search", None, json!({"rows": 10})).await;
    for d in found["results"].as_array().unwrap() {
        let shown = app.ok("package_show", None, json!({"id": d["id"]})).await;
        assert_eq!(d, &shown);
        assert_eq!(d["harvest_source_title"], "Sở TN&MT Hà Nội (cổng cũ)");
    }

    let jobs = app
        .ok(
            "harvest_job_list",
            Some(&app.admin),
            json!({"id": "tnmt-ha-noi"}),
        )
        .await;
    assert_eq!(jobs.as_array().map(Vec::len), Some(5));
}

#[tokio::test]
async fn sen_harvests_another_sen_through_its_ckan_api() {
    let remote = TestApp::new().await;
    new_org(&remote, "cuc-thong-ke").await;
    for i in 0..105 {
        remote
            .ok(
                "package_create",
                Some(&remote.admin),
                json!({"name": format!("chi-so-gia-{i:03}"), "title": format!("Chỉ số giá tiêu dùng tháng {i}"),
                       "owner_org": "cuc-thong-ke", "license_id": "cc-by-4.0", "tags": [{"name": "giá cả"}],
                       "resources": [{"name": "CSV", "url": format!("https://gso.gov.vn/cpi/{i}.csv"), "format": "CSV"}]}),
            )
            .await;
    }
    remote
        .ok(
            "package_create",
            Some(&remote.admin),
            json!({"name": "noi-bo-cuc", "title": "Dữ liệu nội bộ", "owner_org": "cuc-thong-ke", "access_level": "internal"}),
        )
        .await;
    let url = serve(remote.router.clone()).await;

    let app = harvesting_app().await;
    new_org(&app, "thong-ke").await;
    new_source(
        &app,
        json!({"name": "sen-khac", "url": format!("{url}/api/3/action"), "source_type": "ckan", "owner_org": "thong-ke"}),
    )
    .await;
    assert_eq!(run(&app, "sen-khac", true).await["status"], "finished");
    let job = run(&app, "sen-khac", false).await;
    assert_eq!(counts(&job), (105, 0, 0, 0, 0), "{job}");
    assert_eq!(job["report"]["pages"], json!(3));
    let d = app
        .ok("package_show", None, json!({"id": "chi-so-gia-104"}))
        .await;
    assert_eq!(d["resources"][0]["url"], "https://gso.gov.vn/cpi/104.csv");
    assert_eq!(
        d["harvest_object_url"],
        format!("{url}/dataset/chi-so-gia-104")
    );
    // What the remote does not show anonymously is not harvested.
    app.fails(
        "package_show",
        Some(&app.admin),
        json!({"id": "noi-bo-cuc"}),
        404,
        "Not Found Error",
    )
    .await;
    assert_eq!(dataset_count(&app).await, 105);

    // Without "keep local edits", the remote wins; Sen's own package_list
    // tells the incremental run what was deleted there.
    app.ok(
        "package_patch",
        Some(&app.admin),
        json!({"id": "chi-so-gia-007", "title": "Sửa tại chỗ"}),
    )
    .await;
    remote
        .ok(
            "package_patch",
            Some(&remote.admin),
            json!({"id": "chi-so-gia-007", "title": "Chỉ số giá tiêu dùng tháng 7 (điều chỉnh)"}),
        )
        .await;
    remote
        .ok(
            "package_delete",
            Some(&remote.admin),
            json!({"id": "chi-so-gia-050"}),
        )
        .await;
    let job = run(&app, "sen-khac", false).await;
    assert_eq!(job["report"]["incremental"], json!(true));
    assert_eq!(counts(&job), (0, 1, 1, 103, 0), "{job}");
    let d = app
        .ok("package_show", None, json!({"id": "chi-so-gia-007"}))
        .await;
    assert_eq!(d["title"], "Chỉ số giá tiêu dùng tháng 7 (điều chỉnh)");
    app.fails(
        "package_show",
        None,
        json!({"id": "chi-so-gia-050"}),
        404,
        "Not Found Error",
    )
    .await;
}

/// ckanext-harvest's CKAN harvester (`_search_for_datasets`) asks
/// `/api/3/action/package_search` with `rows=100`, `start`, `sort=id asc`
/// and, for an incremental run, `fq=metadata_modified:[{since}Z TO *]`
/// where `since` is the last run's start minus one hour in `isoformat()`;
/// it stops at the first empty page and drops ids seen on earlier pages.
#[tokio::test]
async fn ckan_harvester_paging_over_our_package_search_sees_every_open_dataset_once() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-gtvt", "bien-tap").await;
    let mut open = Vec::new();
    for i in 0..23 {
        let d = app
            .ok(
                "package_create",
                Some(&editor),
                json!({"name": format!("giao-thong-{i:02}"), "title": format!("Giao thông {i}"), "owner_org": "so-gtvt"}),
            )
            .await;
        open.push(d["id"].as_str().unwrap().to_string());
    }
    // The search index keeps modification times to the second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let between = chrono::Utc::now();
    for i in 23..27 {
        let d = app
            .ok(
                "package_create",
                Some(&editor),
                json!({"name": format!("giao-thong-{i:02}"), "title": format!("Giao thông {i}"), "owner_org": "so-gtvt"}),
            )
            .await;
        open.push(d["id"].as_str().unwrap().to_string());
    }
    for (name, extra) in [
        ("dung-chung", json!({"access_level": "shared"})),
        ("noi-bo", json!({"access_level": "internal"})),
        ("ban-nhap", json!({"state": "draft"})),
    ] {
        let mut body = json!({"name": name, "title": name, "owner_org": "so-gtvt"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        app.ok("package_create", Some(&editor), body).await;
    }

    async fn harvester_pages(
        app: &TestApp,
        fq: Option<String>,
        rows: usize,
    ) -> (Vec<String>, usize) {
        let mut ids: Vec<String> = Vec::new();
        let mut start = 0;
        let mut pages = 0;
        let mut previous = String::new();
        loop {
            let mut params = vec![
                ("rows", rows.to_string()),
                ("start", start.to_string()),
                ("sort", "id asc".to_string()),
            ];
            if let Some(fq) = &fq {
                params.push(("fq", fq.clone()));
            }
            let qs = serde_urlencoded::to_string(&params).unwrap();
            let r = app
                .get(&format!("/api/3/action/package_search?{qs}"), None)
                .await;
            assert_eq!(r.status, StatusCode::OK);
            let body = String::from_utf8_lossy(&r.body).to_string();
            assert_ne!(body, previous, "paging does not advance");
            let page = r.json()["result"]["results"].as_array().unwrap().clone();
            pages += 1;
            if page.is_empty() {
                break;
            }
            for p in page {
                let id = p["id"].as_str().unwrap().to_string();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            previous = body;
            start += rows;
        }
        (ids, pages)
    }

    // The first (full) run of a harvester.
    let (all, pages) = harvester_pages(&app, None, 10).await;
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "results come in id order");
    let mut expected = open.clone();
    expected.sort();
    assert_eq!(all, expected);
    assert_eq!(pages, 4);

    // An incremental run exactly as ckanext-harvest writes it.
    let since = (chrono::Utc::now() - chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M:%S%.6f");
    let (recent, _) = harvester_pages(
        &app,
        Some(format!("metadata_modified:[{since}Z TO *]")),
        100,
    )
    .await;
    assert_eq!(recent, expected);
    // And one whose window starts between the two batches.
    let since = between.format("%Y-%m-%dT%H:%M:%S%.6f");
    let (newer, _) = harvester_pages(
        &app,
        Some(format!("metadata_modified:[{since}Z TO *]")),
        100,
    )
    .await;
    let mut later: Vec<String> = open[23..].to_vec();
    later.sort();
    assert_eq!(newer, later);
}

#[tokio::test]
async fn data_json_and_hydra_paged_turtle_sources() {
    let app = harvesting_app().await;
    let (base, _remote) = fixture().await;
    new_org(&app, "tong-cuc-thong-ke").await;
    new_org(&app, "da-nang").await;

    new_source(
        &app,
        json!({"name": "gso-data-json", "url": format!("{base}/data.json"), "source_type": "datajson",
               "owner_org": "tong-cuc-thong-ke",
               "license_map": "https://creativecommons.org/licenses/by/4.0/=cc-by-4.0"}),
    )
    .await;
    assert_eq!(run(&app, "gso-data-json", true).await["status"], "finished");
    let job = run(&app, "gso-data-json", false).await;
    // The entry without an identifier is reported; the others are written.
    assert_eq!(counts(&job), (3, 0, 0, 0, 1), "{job}");
    assert_eq!(
        job["report"]["errors"][0]["message"]["key"],
        "harvest-error-object-no-id"
    );
    let search = app
        .ok(
            "package_search",
            None,
            json!({"fq": "organization:tong-cuc-thong-ke"}),
        )
        .await;
    // The non-public dataset is harvested, but never opened.
    assert_eq!(search["count"], json!(2));
    let d = app
        .ok(
            "package_search",
            Some(&app.admin),
            json!({"q": "Vi mô doanh nghiệp", "include_private": true}),
        )
        .await;
    assert_eq!(d["results"][0]["access_level"], "internal", "{d}");
    let d = &search["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["harvest_object_id"] == "gso-dan-so-trung-binh-2023")
        .cloned()
        .expect("harvested");
    assert_eq!(d["license_id"], "cc-by-4.0");
    assert_eq!(d["frequency"], "annual");
    assert_eq!(d["temporal_start"], "2023-01-01");
    assert_eq!(d["contact_email"], "dansolaodong@gso.gov.vn");
    assert_eq!(
        d["resources"][0]["url"],
        "https://www.gso.gov.vn/data/V0201.csv"
    );
    assert_eq!(d["resources"][0]["mimetype"], "text/csv");

    new_source(
        &app,
        json!({"name": "da-nang-dcat", "url": format!("{base}/dcat/catalog.ttl?page=1"), "source_type": "dcat",
               "owner_org": "da-nang", "access_level": "open"}),
    )
    .await;
    assert_eq!(run(&app, "da-nang-dcat", true).await["status"], "finished");
    let job = run(&app, "da-nang-dcat", false).await;
    assert_eq!(counts(&job), (4, 0, 0, 0, 0), "{job}");
    assert_eq!(job["report"]["pages"], json!(2));
    let wifi = app
        .ok("package_search", None, json!({"q": "Wi-Fi công cộng"}))
        .await;
    let w = &wifi["results"][0];
    assert_eq!(w["title"], "Điểm Wi-Fi công cộng Đà Nẵng");
    assert_eq!(w["frequency"], "monthly");
    assert_eq!(
        w["harvest_object_url"],
        "https://data.danang.gov.vn/dataset/diem-wifi-cong-cong"
    );
    assert_eq!(w["resources"][0]["mimetype"], "application/geo+json");
    // RESTRICTED in DCAT is shared here: not open to the public.
    let open = app
        .ok(
            "package_search",
            None,
            json!({"fq": "organization:da-nang"}),
        )
        .await;
    assert_eq!(open["count"], json!(3));
    // A second run changes nothing.
    let again = run(&app, "da-nang-dcat", false).await;
    assert_eq!(counts(&again), (0, 0, 0, 4, 0));
}

#[tokio::test]
async fn hostile_sources_fail_with_a_reason_and_change_nothing() {
    let app = harvesting_app().await;
    let (base, remote) = fixture().await;
    new_org(&app, "nguon-xau").await;
    new_source(
        &app,
        json!({"name": "cong-hay-hong", "url": format!("{base}/ckan-switch"), "source_type": "ckan", "owner_org": "nguon-xau"}),
    )
    .await;
    assert_eq!(run(&app, "cong-hay-hong", true).await["status"], "finished");
    assert_eq!(counts(&run(&app, "cong-hay-hong", false).await).0, 3);
    let before = dataset_count(&app).await;
    let titles_before = app
        .ok(
            "package_search",
            Some(&app.admin),
            json!({"rows": 100, "sort": "name asc"}),
        )
        .await["results"]
        .to_string();

    for (mode, key) in [
        ("500", "harvest-error-status"),
        ("garbage", "harvest-error-parse"),
        ("huge", "harvest-error-too-large"),
        ("slow", "harvest-error-timeout"),
        ("loop", "harvest-error-redirects"),
    ] {
        lock(&remote).mode = mode.into();
        // A dry run and a real run both fail the same way.
        for dry_run in [true, false] {
            let job = run(&app, "cong-hay-hong", dry_run).await;
            assert_eq!(job["status"], "failed", "{mode}: {job}");
            assert_eq!(job["report"]["reason"]["key"], key, "{mode}: {job}");
            assert!(job["report"].get("counts").is_none(), "{mode}: {job}");
        }
        assert_eq!(dataset_count(&app).await, before, "{mode}");
    }
    let titles_after = app
        .ok(
            "package_search",
            Some(&app.admin),
            json!({"rows": 100, "sort": "name asc"}),
        )
        .await["results"]
        .to_string();
    assert_eq!(titles_before, titles_after);

    // The report is readable in the page, in Vietnamese.
    let mut b = Browser::new(&app);
    b.log_in("admin").await;
    let (status, html) = b.get("/admin/harvest").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("chuyển hướng quá 3 lần"), "{html}");

    // With private addresses refused (the default), 127.0.0.1 is refused.
    let strict = TestApp::new().await;
    new_org(&strict, "nguon-noi-bo").await;
    new_source(
        &strict,
        json!({"name": "dia-chi-noi-bo", "url": format!("{base}/ckan"), "source_type": "ckan", "owner_org": "nguon-noi-bo"}),
    )
    .await;
    lock(&remote).log.clear();
    let job = run(&strict, "dia-chi-noi-bo", true).await;
    assert_eq!(job["status"], "failed");
    assert_eq!(
        job["report"]["reason"]["key"],
        "harvest-error-private-address"
    );
    assert!(lock(&remote).log.is_empty(), "the fixture was contacted");
    assert_eq!(dataset_count(&strict).await, 0);
    let source = strict
        .ok(
            "harvest_source_show",
            Some(&strict.admin),
            json!({"id": "dia-chi-noi-bo"}),
        )
        .await;
    assert_eq!(source["validated"], json!(false));
}

#[tokio::test]
async fn only_sysadmins_manage_sources_and_see_jobs() {
    let app = harvesting_app().await;
    let editor = app.org_with_editor("so-xay-dung", "bien-tap-vien").await;
    let body = json!({"name": "nguon-a", "url": "https://data.example.vn", "source_type": "ckan", "owner_org": "so-xay-dung"});
    app.fails(
        "harvest_source_create",
        Some(&editor),
        body.clone(),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "harvest_source_create",
        None,
        body.clone(),
        403,
        "Authorization Error",
    )
    .await;
    let source = new_source(&app, body).await;
    for (action, args) in [
        ("harvest_source_list", json!({})),
        ("harvest_source_show", json!({"id": "nguon-a"})),
        ("harvest_job_list", json!({"id": "nguon-a"})),
        (
            "harvest_job_create",
            json!({"id": "nguon-a", "dry_run": true}),
        ),
        (
            "harvest_source_update",
            json!({"id": "nguon-a", "title": "x"}),
        ),
        ("harvest_source_delete", json!({"id": "nguon-a"})),
    ] {
        app.fails(
            action,
            Some(&editor),
            args.clone(),
            403,
            "Authorization Error",
        )
        .await;
        app.fails(action, None, args, 403, "Authorization Error")
            .await;
    }
    let job = app
        .ok(
            "harvest_job_create",
            Some(&app.admin),
            json!({"id": source["id"], "dry_run": true}),
        )
        .await;
    // While that run is running elsewhere, another one of the same kind waits its turn.
    let mut tx = app.catalog.db.begin_write().await.unwrap();
    let leased = sen_db::lease_job(
        tx.conn(),
        app.catalog.db.backend(),
        &["harvest"],
        "another-node",
        &sen_domain::time::now(),
        "2999-01-01T00:00:00.000000",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(leased.is_some());
    let e = app
        .fails(
            "harvest_job_create",
            Some(&app.admin),
            json!({"id": "nguon-a", "dry_run": true}),
            409,
            "Validation Error",
        )
        .await;
    assert!(
        e.to_string().contains("lượt chạy") || e.to_string().contains("in progress"),
        "{e}"
    );
    app.fails(
        "harvest_job_show",
        Some(&editor),
        json!({"id": job["id"]}),
        403,
        "Authorization Error",
    )
    .await;
    // The page refuses them too.
    let mut b = Browser::new(&app);
    b.log_in("bien-tap-vien").await;
    let (status, _) = b.get("/admin/harvest").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Bad input is reported field by field.
    let e = app
        .fails(
            "harvest_source_create",
            Some(&app.admin),
            json!({"name": "nguon-a", "url": "ftp://x", "source_type": "oai-pmh", "owner_org": "khong-co",
                   "frequency": "monthly", "license_map": {"CC-BY": "khong-co-giay-phep"}}),
            409,
            "Validation Error",
        )
        .await;
    for field in [
        "name",
        "url",
        "source_type",
        "owner_org",
        "frequency",
        "license_map",
    ] {
        assert!(e.get(field).is_some(), "{field}: {e}");
    }
    app.fails(
        "harvest_source_show",
        Some(&app.admin),
        json!({"id": "khong-co"}),
        404,
        "Not Found Error",
    )
    .await;
    // Changing the address asks for a new dry run.
    app.ok(
        "harvest_source_update",
        Some(&app.admin),
        json!({"id": "nguon-a", "frequency": "weekly"}),
    )
    .await;
    let s = app
        .ok(
            "harvest_source_update",
            Some(&app.admin),
            json!({"id": "nguon-a", "url": "https://other.example.vn"}),
        )
        .await;
    assert_eq!(s["validated"], json!(false));
    assert_eq!(s["frequency"], "weekly");
    app.ok(
        "harvest_source_delete",
        Some(&app.admin),
        json!({"id": "nguon-a"}),
    )
    .await;
    app.fails(
        "harvest_source_show",
        Some(&app.admin),
        json!({"id": "nguon-a"}),
        404,
        "Not Found Error",
    )
    .await;
}

#[tokio::test]
async fn the_harvest_page_adds_a_source_and_queues_runs() {
    let app = harvesting_app().await;
    let (base, _remote) = fixture().await;
    new_org(&app, "so-tnmt").await;
    let org = app
        .ok("organization_show", None, json!({"id": "so-tnmt"}))
        .await;
    let mut b = Browser::new(&app);
    b.log_in("admin").await;
    let (status, html) = b.get("/admin/harvest").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Chưa có nguồn thu thập nào"));
    let csrf = b.csrf();
    // A bad address keeps what was typed and says why.
    let r = b
        .post(
            "/admin/harvest",
            &[
                ("csrf", &csrf),
                ("title", "Nguồn TN&MT"),
                ("url", "khong-phai-dia-chi"),
                ("source_type", "ckan"),
                ("owner_org", org["id"].as_str().unwrap()),
                ("frequency", "manual"),
                ("access_level", "open"),
                ("license_map", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = String::from_utf8_lossy(&r.body);
    assert!(
        html.contains("Nguồn TN&amp;MT") && html.contains("không phải là địa chỉ web"),
        "{html}"
    );
    let url = format!("{base}/ckan");
    let r = b
        .post(
            "/admin/harvest",
            &[
                ("csrf", &csrf),
                ("title", "Nguồn TN&MT"),
                ("url", &url),
                ("source_type", "ckan"),
                ("owner_org", org["id"].as_str().unwrap()),
                ("frequency", "daily"),
                ("access_level", "shared"),
                ("license_map", "CC-BY-4.0=cc-by-4.0"),
                ("keep_local_edits", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = app
        .ok("harvest_source_list", Some(&app.admin), json!({}))
        .await;
    let s = &list[0];
    assert_eq!(s["name"], "nguon-tn-mt");
    assert_eq!(s["keep_local_edits"], json!(true));
    assert_eq!(s["license_map"], json!({"CC-BY-4.0": "cc-by-4.0"}));
    let id = s["id"].as_str().unwrap().to_string();
    // "Run now" is refused before a dry run; "dry run" is queued.
    let r = b
        .post(
            &format!("/admin/harvest/{id}/run"),
            &[("csrf", &csrf), ("dry_run", "false")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = b
        .post(
            &format!("/admin/harvest/{id}/run"),
            &[("csrf", &csrf), ("dry_run", "true")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    while app.catalog.run_one_job("w").await.unwrap() {}
    let r = b
        .post(
            &format!("/admin/harvest/{id}/run"),
            &[("csrf", &csrf), ("dry_run", "false")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    while app.catalog.run_one_job("w").await.unwrap() {}
    let (_, html) = b.get("/admin/harvest").await;
    assert!(html.contains("tạo mới: <strong>3</strong>"), "{html}");
    // Harvested as shared: the public sees none of it.
    let anon = app
        .ok(
            "package_search",
            None,
            json!({"fq": "organization:so-tnmt"}),
        )
        .await;
    assert_eq!(anon["count"], json!(0));
    assert_eq!(dataset_count(&app).await, 3);
    // Without the anti-forgery token nothing happens.
    let r = b
        .post(
            &format!("/admin/harvest/{id}/run"),
            &[("csrf", "sai"), ("dry_run", "true")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_scheduler_queues_validated_due_sources() {
    let app = harvesting_app().await;
    let (base, _remote) = fixture().await;
    new_org(&app, "lich").await;
    new_source(
        &app,
        json!({"name": "hang-gio", "url": format!("{base}/ckan"), "source_type": "ckan", "owner_org": "lich", "frequency": "hourly"}),
    )
    .await;
    new_source(
        &app,
        json!({"name": "bang-tay", "url": format!("{base}/ckan"), "source_type": "ckan", "owner_org": "lich"}),
    )
    .await;
    // Not validated yet: nothing is queued.
    assert_eq!(app.catalog.queue_due_harvests().await.unwrap(), 0);
    run(&app, "hang-gio", true).await;
    run(&app, "bang-tay", true).await;
    assert_eq!(app.catalog.queue_due_harvests().await.unwrap(), 1);
    // Its next run is an hour away.
    assert_eq!(app.catalog.queue_due_harvests().await.unwrap(), 0);
    while app.catalog.run_one_job("w").await.unwrap() {}
    assert_eq!(dataset_count(&app).await, 3);
    let s = app
        .ok(
            "harvest_source_show",
            Some(&app.admin),
            json!({"id": "hang-gio"}),
        )
        .await;
    assert_eq!(s["last_job"]["status"], "finished");
    assert_eq!(s["last_job"]["dry_run"], json!(false));
}
