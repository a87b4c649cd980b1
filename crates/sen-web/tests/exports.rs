//! Open-standard exports through HTTP: DCAT-AP by extension and by content
//! negotiation, paging and filters, DCAT-US data.json, Frictionless
//! datapackage.json with a datastore Table Schema, Atom feeds — and that
//! non-open data never shows in any of them for those not entitled.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Reply, TestApp, SITE};
use oxrdf::Triple;
use serde_json::{json, Value};

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const ATOM: &str = "http://www.w3.org/2005/Atom";
/// Every non-open or draft dataset below has this in its title.
const SECRET: &str = "BÍ MẬT";

async fn fetch(app: &TestApp, uri: &str, token: Option<&str>, accept: Option<&str>) -> Reply {
    let mut b = Request::builder().uri(uri);
    if let Some(t) = token {
        b = b.header("authorization", t);
    }
    if let Some(a) = accept {
        b = b.header("accept", a);
    }
    app.request(b.body(Body::empty()).unwrap()).await
}

fn text(r: &Reply) -> String {
    String::from_utf8_lossy(&r.body).to_string()
}

/// Parses an RDF document by its media type.
fn parse(media_type: &str, body: &[u8]) -> Vec<Triple> {
    let media = media_type.split(';').next().unwrap().trim();
    let r: Result<Vec<Triple>, String> = match media {
        "text/turtle" => oxttl::TurtleParser::new()
            .for_slice(body)
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string()),
        "application/n-triples" => oxttl::NTriplesParser::new()
            .for_slice(body)
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string()),
        "application/rdf+xml" => oxrdfxml::RdfXmlParser::new()
            .for_slice(body)
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string()),
        "application/ld+json" => oxjsonld::JsonLdParser::new()
            .for_slice(body)
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string()),
        other => panic!("not an RDF media type: {other}"),
    };
    r.unwrap_or_else(|e| {
        panic!(
            "{media} does not parse ({e}): {}",
            String::from_utf8_lossy(body)
        )
    })
}

/// The titles of the dcat:Dataset nodes in a graph, sorted.
fn dataset_titles(triples: &[Triple]) -> Vec<String> {
    let datasets: Vec<String> = triples
        .iter()
        .filter(|t| {
            t.predicate.as_str() == RDF_TYPE && t.object.to_string() == format!("<{DCAT}Dataset>")
        })
        .map(|t| t.subject.to_string())
        .collect();
    let mut titles: Vec<String> = triples
        .iter()
        .filter(|t| {
            datasets.contains(&t.subject.to_string())
                && t.predicate.as_str() == format!("{DCT}title")
        })
        .map(|t| match &t.object {
            oxrdf::Term::Literal(l) => l.value().to_string(),
            other => other.to_string(),
        })
        .collect();
    titles.sort();
    titles
}

fn object_of(triples: &[Triple], subject: &str, predicate: &str) -> Option<String> {
    triples
        .iter()
        .find(|t| {
            t.subject.to_string() == format!("<{subject}>") && t.predicate.as_str() == predicate
        })
        .map(|t| t.object.to_string())
}

struct Catalogue {
    /// Editor of cuc-thong-ke.
    thong_ke: String,
    /// Editor of so-y-te.
    y_te: String,
}

/// Two organisations, a topic, three open datasets, and non-open ones that
/// must stay hidden: internal, shared, and an open draft.
async fn catalogue(app: &TestApp) -> Catalogue {
    let thong_ke = app.org_with_editor("cuc-thong-ke", "bien-tap").await;
    let y_te = app.org_with_editor("so-y-te", "bien-tap-y-te").await;
    app.ok(
        "group_create",
        Some(&app.admin),
        json!({"name": "dan-cu", "title": "Dân cư"}),
    )
    .await;
    app.ok("package_create", Some(&thong_ke), json!({
        "name": "dan-so-2024", "title": "Dân số Hà Nội 2024", "owner_org": "cuc-thong-ke", "license_id": "cc-by-4.0",
        "notes": "Dân số theo quận, huyện.", "tags": [{"name": "dân số"}], "frequency": "annual", "language": "vi",
        "temporal_start": "2024-01-01", "temporal_end": "2024-12-31", "spatial": "Hà Nội",
        "contact_name": "Phòng Dân số", "contact_email": "danso@example.gov.vn",
        "resources": [
            {"name": "Bảng dân số", "url": "https://example.gov.vn/dan-so.csv", "format": "CSV"},
            {"name": "Bảng tính", "url": "https://example.gov.vn/dan-so.xlsx", "format": "XLSX"}
        ]})).await;
    app.ok(
        "member_create",
        Some(&thong_ke),
        json!({"id": "dan-cu", "object": "dan-so-2024", "object_type": "package"}),
    )
    .await;
    app.ok("package_create", Some(&y_te), json!({
        "name": "benh-vien", "title": "Danh sách bệnh viện", "owner_org": "so-y-te", "license_id": "cc-by-4.0",
        "frequency": "monthly", "tags": [{"name": "y tế"}],
        "resources": [{"name": "API bệnh viện", "url": "https://example.gov.vn/api/benh-vien", "format": "JSON"}]})).await;
    app.ok("package_create", Some(&thong_ke), json!({
        "name": "gia-xang", "title": "Giá xăng dầu", "owner_org": "cuc-thong-ke", "license_id": "cc-by-4.0"})).await;
    app.ok("package_create", Some(&thong_ke), json!({
        "name": "noi-bo", "title": format!("{SECRET} nội bộ"), "owner_org": "cuc-thong-ke", "access_level": "internal",
        "resources": [{"name": "x", "url": "https://example.gov.vn/noi-bo.csv", "format": "CSV"}]})).await;
    app.ok("package_create", Some(&y_te), json!({
        "name": "dung-chung", "title": format!("{SECRET} dùng chung"), "owner_org": "so-y-te", "access_level": "shared"})).await;
    app.ok("package_create", Some(&thong_ke), json!({
        "name": "ban-nhap", "title": format!("{SECRET} bản nháp"), "owner_org": "cuc-thong-ke", "state": "draft"})).await;
    Catalogue { thong_ke, y_te }
}

const OPEN: [&str; 3] = ["Danh sách bệnh viện", "Dân số Hà Nội 2024", "Giá xăng dầu"];

#[tokio::test]
async fn the_catalogue_in_four_serialisations_by_extension_and_negotiation() {
    let app = TestApp::new().await;
    let c = catalogue(&app).await;
    for (ext, media) in [
        ("ttl", "text/turtle"),
        ("rdf", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
    ] {
        let r = fetch(&app, &format!("/catalog.{ext}"), None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{ext}: {}", text(&r));
        assert!(
            r.header("content-type").starts_with(media),
            "{ext}: {}",
            r.header("content-type")
        );
        let triples = parse(media, &r.body);
        assert_eq!(dataset_titles(&triples), OPEN, "{ext}");
        assert!(!text(&r).contains(SECRET), "{ext} leaks non-open data");
        assert_eq!(
            object_of(&triples, &format!("{SITE}/catalog"), RDF_TYPE).as_deref(),
            Some(format!("<{DCAT}Catalog>").as_str())
        );

        // The same by content negotiation on /catalog and on a dataset's page address.
        let r = fetch(&app, "/catalog", None, Some(media)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.header("content-type").starts_with(media));
        assert_eq!(dataset_titles(&parse(media, &r.body)), OPEN);
        let by_ext = fetch(&app, &format!("/dataset/dan-so-2024.{ext}"), None, None).await;
        let by_accept = fetch(
            &app,
            "/dataset/dan-so-2024",
            None,
            Some(&format!("{media}, text/html;q=0.5")),
        )
        .await;
        for r in [&by_ext, &by_accept] {
            assert_eq!(r.status, StatusCode::OK, "{ext}: {}", text(r));
            assert!(r.header("content-type").starts_with(media));
            assert_eq!(
                dataset_titles(&parse(media, &r.body)),
                ["Dân số Hà Nội 2024"]
            );
        }
    }

    // Browsers get the page; /catalog sends them to the search page.
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let r = fetch(&app, "/dataset/dan-so-2024", None, Some(browser)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/html"));
    assert!(r.header("vary").contains("Accept"));
    let html = text(&r);
    for link in [
        r#"<link rel="alternate" type="application/atom+xml" href="/feeds/dataset/dan-so-2024.atom""#,
        r#"<link rel="alternate" type="text/turtle" href="/dataset/dan-so-2024.ttl""#,
        r#"href="/dataset/dan-so-2024/datapackage.json""#,
        r#"href="/dataset/dan-so-2024.nt""#,
    ] {
        assert!(html.contains(link), "dataset page lacks {link}");
    }
    let r = fetch(&app, "/catalog", None, Some(browser)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/dataset");

    // Members see their own organisation's non-open data, and (as staff of
    // a state agency) the metadata of other agencies' shared data.
    let r = fetch(&app, "/catalog.ttl", Some(&c.thong_ke), None).await;
    let titles = dataset_titles(&parse("text/turtle", &r.body));
    assert!(titles.contains(&format!("{SECRET} nội bộ")), "{titles:?}");
    assert!(
        titles.contains(&format!("{SECRET} dùng chung")),
        "{titles:?}"
    );
    assert!(
        !titles.iter().any(|t| t.contains("bản nháp")),
        "drafts stay out: {titles:?}"
    );
    let body = text(&r);
    assert!(body.contains("access-right/NON_PUBLIC"));
    let r = fetch(&app, "/catalog.ttl", Some(&c.y_te), None).await;
    let titles = dataset_titles(&parse("text/turtle", &r.body));
    assert!(!titles.contains(&format!("{SECRET} nội bộ")), "{titles:?}");
    assert!(
        titles.contains(&format!("{SECRET} dùng chung")),
        "{titles:?}"
    );
    assert!(text(&r).contains("access-right/RESTRICTED"));
    for (name, token) in [
        ("noi-bo", None),
        ("noi-bo", Some(c.y_te.as_str())),
        ("dung-chung", None),
        ("ban-nhap", None),
    ] {
        for uri in [
            format!("/dataset/{name}.ttl"),
            format!("/dataset/{name}/datapackage.json"),
            format!("/feeds/dataset/{name}.atom"),
        ] {
            let r = fetch(&app, &uri, token, None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {}", text(&r));
            assert!(!text(&r).contains(SECRET));
        }
    }
    let r = fetch(&app, "/dataset/noi-bo.jsonld", Some(&c.thong_ke), None).await;
    assert_eq!(r.status, StatusCode::OK);
    // Through the browser session as well as the token.
    let mut browser_session = common::Browser::new(&app);
    browser_session.log_in("bien-tap").await;
    let req = Request::builder()
        .uri("/dataset/noi-bo.ttl")
        .header("cookie", browser_session.cookie_header())
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.request(req).await.status, StatusCode::OK);
    // A bad token is an error, not a silent anonymous view.
    let r = fetch(&app, "/catalog.ttl", Some("not-a-token"), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn catalogue_paging_and_filters() {
    let app = TestApp::new().await;
    catalogue(&app).await;
    let page_url = |n: u64| format!("{SITE}/catalog.ttl?rows=2&page={n}");
    let r = fetch(&app, "/catalog.ttl?rows=2", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", text(&r));
    let t = parse("text/turtle", &r.body);
    // Newest first: the last two created.
    assert_eq!(dataset_titles(&t), ["Danh sách bệnh viện", "Giá xăng dầu"]);
    let view = page_url(1);
    assert_eq!(
        object_of(&t, &view, RDF_TYPE),
        Some(format!("<{HYDRA}PartialCollectionView>"))
    );
    assert_eq!(
        object_of(&t, &view, &format!("{HYDRA}next")),
        Some(format!("<{}>", page_url(2)))
    );
    assert_eq!(
        object_of(&t, &view, &format!("{HYDRA}last")),
        Some(format!("<{}>", page_url(2)))
    );
    assert_eq!(object_of(&t, &view, &format!("{HYDRA}previous")), None);
    assert!(object_of(&t, &view, &format!("{HYDRA}totalItems"))
        .unwrap()
        .starts_with("\"3\""));
    let r = fetch(&app, "/catalog.ttl?rows=2&page=2", None, None).await;
    let t = parse("text/turtle", &r.body);
    assert_eq!(dataset_titles(&t), ["Dân số Hà Nội 2024"]);
    assert_eq!(
        object_of(&t, &page_url(2), &format!("{HYDRA}previous")),
        Some(format!("<{}>", page_url(1)))
    );
    assert_eq!(object_of(&t, &page_url(2), &format!("{HYDRA}next")), None);
    let r = fetch(&app, "/catalog.ttl?rows=2&page=9", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(dataset_titles(&parse("text/turtle", &r.body)).is_empty());

    // modified_since: only what changed since then (as a harvester asks).
    let since = app
        .ok("package_show", None, json!({"id": "gia-xang"}))
        .await["metadata_modified"]
        .as_str()
        .unwrap()
        .to_string();
    app.ok(
        "package_patch",
        Some(&app.admin),
        json!({"id": "dan-so-2024", "notes": "Sửa lại."}),
    )
    .await;
    app.ok(
        "package_patch",
        Some(&app.admin),
        json!({"id": "noi-bo", "notes": "Sửa lại."}),
    )
    .await;
    let r = fetch(
        &app,
        &format!("/catalog.ttl?modified_since={since}Z"),
        None,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", text(&r));
    // gia-xang itself (the bound is inclusive) and the patched dataset; not benh-vien, nor the internal one.
    assert_eq!(
        dataset_titles(&parse("text/turtle", &r.body)),
        ["Dân số Hà Nội 2024", "Giá xăng dầu"]
    );
    let later = app
        .ok("package_show", None, json!({"id": "dan-so-2024"}))
        .await["metadata_modified"]
        .as_str()
        .unwrap()
        .to_string();
    let r = fetch(
        &app,
        &format!("/catalog.rdf?modified_since={later}"),
        None,
        None,
    )
    .await;
    assert_eq!(
        dataset_titles(&parse("application/rdf+xml", &r.body)),
        ["Dân số Hà Nội 2024"]
    );
    assert!(!text(&r).contains(SECRET));
    // Paging links keep the filters.
    assert!(text(&r).contains("modified_since="), "{}", text(&r));

    // q and fq, as ckanext-dcat offers them.
    let r = fetch(&app, "/catalog.ttl?q=xang", None, None).await;
    assert_eq!(
        dataset_titles(&parse("text/turtle", &r.body)),
        ["Giá xăng dầu"]
    );
    let r = fetch(&app, "/catalog.jsonld?fq=organization:so-y-te", None, None).await;
    assert_eq!(
        dataset_titles(&parse("application/ld+json", &r.body)),
        ["Danh sách bệnh viện"]
    );
    let r = fetch(&app, "/catalog.nt?fq=groups:dan-cu", None, None).await;
    assert_eq!(
        dataset_titles(&parse("application/n-triples", &r.body)),
        ["Dân số Hà Nội 2024"]
    );
    let r = fetch(&app, "/catalog.ttl?fq=access_level:internal", None, None).await;
    assert!(
        dataset_titles(&parse("text/turtle", &r.body)).is_empty(),
        "filters never widen visibility"
    );

    // Bad parameters are clear 400s, in the caller's language.
    for (uri, code) in [
        ("/catalog.ttl?page=0", "invalid_parameter"),
        ("/catalog.ttl?page=hai", "invalid_parameter"),
        ("/catalog.rdf?rows=5000", "invalid_parameter"),
        (
            "/catalog.ttl?modified_since=h%C3%B4m-qua",
            "invalid_parameter",
        ),
        ("/catalog.ttl?fq=nosuchfield:x", "invalid_search_query"),
        ("/feeds/dataset.atom?page=-1", "invalid_parameter"),
        ("/data.json?modified_since=2024-13-45", "invalid_parameter"),
    ] {
        let r = fetch(&app, uri, None, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", text(&r));
        assert_eq!(r.json()["code"], code, "{uri}");
    }
    let req = Request::builder()
        .uri("/catalog.ttl?modified_since=yesterday")
        .header("accept-language", "en")
        .body(Body::empty())
        .unwrap();
    let r = app.request(req).await;
    assert_eq!(
        r.json()["message"],
        "The parameter “modified_since” is not valid: “yesterday”"
    );
    let r = fetch(&app, "/catalog.ttl?page=abc", None, None).await;
    assert_eq!(r.json()["message"], "Tham số “page” không hợp lệ: “abc”");
}

#[tokio::test]
async fn data_json_follows_dcat_us() {
    let app = TestApp::new().await;
    let c = catalogue(&app).await;
    let r = fetch(&app, "/data.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("application/json"));
    assert!(!text(&r).contains(SECRET));
    let doc = r.json();
    assert_eq!(
        doc["conformsTo"],
        "https://project-open-data.cio.gov/v1.1/schema"
    );
    assert_eq!(doc["@type"], "dcat:Catalog");
    let datasets = doc["dataset"].as_array().unwrap();
    let mut titles: Vec<&str> = datasets
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(titles, OPEN);
    for d in datasets {
        for key in [
            "title",
            "description",
            "keyword",
            "modified",
            "publisher",
            "contactPoint",
            "identifier",
            "accessLevel",
            "landingPage",
        ] {
            assert!(!d[key].is_null(), "{key} missing in {d}");
        }
        assert_eq!(d["accessLevel"], "public");
        assert!(d["keyword"].as_array().is_some_and(|k| !k.is_empty()));
    }
    let d = datasets
        .iter()
        .find(|d| d["title"] == "Dân số Hà Nội 2024")
        .unwrap();
    assert_eq!(d["publisher"]["name"], "Tổ chức cuc-thong-ke");
    assert_eq!(d["contactPoint"]["hasEmail"], "mailto:danso@example.gov.vn");
    assert_eq!(d["temporal"], "2024-01-01/2024-12-31");
    assert_eq!(d["accrualPeriodicity"], "R/P1Y");
    assert_eq!(d["theme"], json!(["Dân cư"]));
    assert_eq!(d["license"], "https://creativecommons.org/licenses/by/4.0/");
    assert_eq!(d["landingPage"], format!("{SITE}/dataset/dan-so-2024"));
    let dist = d["distribution"].as_array().unwrap();
    assert_eq!(dist.len(), 2);
    assert_eq!(dist[0]["downloadURL"], "https://example.gov.vn/dan-so.csv");
    assert_eq!(dist[0]["mediaType"], "text/csv");
    assert_eq!(dist[0]["format"], "CSV");
    assert_eq!(dist[0]["title"], "Bảng dân số");
    // A member's data.json shows their non-open data with its access level.
    let doc = fetch(&app, "/data.json", Some(&c.thong_ke), None)
        .await
        .json();
    let internal = doc["dataset"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == format!("{SECRET} nội bộ"));
    assert_eq!(
        internal.expect("member sees own internal data")["accessLevel"],
        "non-public"
    );
    // q filters it as it filters the catalogue.
    let doc = fetch(&app, "/data.json?q=benh%20vien", None, None)
        .await
        .json();
    assert_eq!(doc["dataset"].as_array().unwrap().len(), 1);
}

fn shared(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test]
async fn datapackage_carries_the_table_schema_of_an_ingested_csv() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("cuc-thong-ke", "bien-tap").await;
    app.ok(
        "package_create",
        Some(&editor),
        json!({"name": "tinh-thanh", "title": "Tỉnh thành", "owner_org": "cuc-thong-ke",
        "license_id": "cc-by-4.0", "tags": [{"name": "tỉnh"}], "notes": "Danh sách tỉnh."}),
    )
    .await;
    let csv = shared("vn_provinces.csv");
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(&editor),
            &[
                ("package_id", "tinh-thanh"),
                ("name", "Tỉnh thành.csv"),
                ("format", "CSV"),
            ],
            Some(("tinh.csv", &csv)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", text(&r));
    let rid = r.json()["result"]["id"].as_str().unwrap().to_string();
    app.ok("resource_create", Some(&editor), json!({"package_id": "tinh-thanh", "name": "Cổng API", "url": "https://example.gov.vn/api", "format": "API"})).await;
    // Before ingestion there is no schema yet.
    let p = fetch(&app, "/dataset/tinh-thanh/datapackage.json", None, None)
        .await
        .json();
    assert!(p["resources"][0].get("schema").is_none(), "{p}");
    let mut jobs = 0;
    while app
        .catalog
        .run_one_job("test-worker")
        .await
        .expect("job queue")
    {
        jobs += 1;
        assert!(jobs < 10);
    }
    let info = app.ok("datastore_info", None, json!({"id": rid})).await;
    let r = fetch(&app, "/dataset/tinh-thanh/datapackage.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("application/json"));
    let p = r.json();
    assert_eq!(p["name"], "tinh-thanh");
    assert_eq!(p["title"], "Tỉnh thành");
    assert_eq!(p["description"], "Danh sách tỉnh.");
    assert_eq!(p["keywords"], json!(["tỉnh"]));
    assert_eq!(p["licenses"][0]["name"], "cc-by-4.0");
    assert_eq!(
        p["licenses"][0]["path"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    let res = &p["resources"][0];
    assert_eq!(res["profile"], "tabular-data-resource");
    assert_eq!(res["format"], "csv");
    assert_eq!(res["mediatype"], "text/csv");
    assert_eq!(res["bytes"], csv.len());
    assert!(res["path"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{SITE}/dataset/")));
    assert!(res["path"].as_str().unwrap().contains("/download/"));
    let hex = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&csv))
    };
    assert_eq!(res["hash"], format!("sha256:{hex}"));
    assert_eq!(res["schema"], info["schema"]);
    let fields = res["schema"]["fields"]
        .as_array()
        .expect("Table Schema fields");
    assert!(!fields.is_empty());
    assert!(
        fields
            .iter()
            .all(|f| f["name"].is_string() && f["type"].is_string()),
        "{fields:?}"
    );
    let api = &p["resources"][1];
    assert_eq!(api["path"], "https://example.gov.vn/api");
    assert!(api.get("schema").is_none());
    // A non-open dataset's package is not there for others.
    app.ok(
        "package_patch",
        Some(&editor),
        json!({"id": "tinh-thanh", "access_level": "internal", "private": true}),
    )
    .await;
    assert_eq!(
        fetch(&app, "/dataset/tinh-thanh/datapackage.json", None, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let p = fetch(
        &app,
        "/dataset/tinh-thanh/datapackage.json",
        Some(&editor),
        None,
    )
    .await
    .json();
    assert_eq!(p["resources"][0]["schema"], info["schema"]);
}

/// The entries of an Atom feed: (title, id, updated), after checking the feed's structure.
fn atom_entries(r: &Reply) -> Vec<(String, String, String)> {
    assert_eq!(r.status, StatusCode::OK, "{}", text(r));
    assert!(r.header("content-type").starts_with("application/atom+xml"));
    let xml = text(r);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML ({e}): {xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    let child = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(ATOM))
            .unwrap_or_else(|| panic!("<{name}> missing in {xml}"))
            .text()
            .unwrap_or_default()
            .to_string()
    };
    for required in ["id", "title", "updated"] {
        assert!(!child(feed, required).is_empty(), "feed <{required}> empty");
    }
    let rels: Vec<&str> = feed
        .children()
        .filter(|c| c.tag_name().name() == "link")
        .filter_map(|l| l.attribute("rel"))
        .collect();
    assert!(
        rels.contains(&"self") && rels.contains(&"alternate"),
        "{rels:?}"
    );
    let entries: Vec<(String, String, String)> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|e| {
            assert!(e
                .children()
                .any(|l| l.tag_name().name() == "link" && l.attribute("rel") == Some("alternate")));
            (child(e, "title"), child(e, "id"), child(e, "updated"))
        })
        .collect();
    let updated: Vec<&String> = entries.iter().map(|e| &e.2).collect();
    let mut sorted = updated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, sorted, "newest first");
    for (_, _, u) in &entries {
        assert!(u.ends_with('Z') && u.len() == 20, "RFC 3339 UTC: {u}");
    }
    entries
}

fn titles_of(entries: &[(String, String, String)]) -> Vec<String> {
    let mut t: Vec<String> = entries.iter().map(|e| e.0.clone()).collect();
    t.sort();
    t
}

#[tokio::test]
async fn atom_feeds_for_catalogue_organisation_topic_and_dataset() {
    let app = TestApp::new().await;
    let c = catalogue(&app).await;
    let r = fetch(&app, "/feeds/dataset.atom", None, None).await;
    assert!(!text(&r).contains(SECRET));
    let entries = atom_entries(&r);
    assert_eq!(titles_of(&entries), OPEN);
    assert!(entries
        .iter()
        .all(|e| e.1.starts_with(&format!("{SITE}/dataset/"))));
    assert!(text(&r).contains(r#"<link rel="first" type="application/atom+xml" href="http://sen.test/feeds/dataset.atom?page=1"/>"#));
    // A member's feed follows their visibility: shared metadata of another
    // agency shows to staff (its data does not; see tests/sharing.rs).
    let r = fetch(&app, "/feeds/dataset.atom", Some(&c.thong_ke), None).await;
    let titles = titles_of(&atom_entries(&r));
    assert!(
        titles.contains(&format!("{SECRET} nội bộ"))
            && titles.contains(&format!("{SECRET} dùng chung")),
        "{titles:?}"
    );

    let r = fetch(&app, "/feeds/organization/cuc-thong-ke.atom", None, None).await;
    assert!(!text(&r).contains(SECRET));
    assert_eq!(
        titles_of(&atom_entries(&r)),
        ["Dân số Hà Nội 2024", "Giá xăng dầu"]
    );
    assert!(text(&r).contains("<title type=\"text\">Tập dữ liệu của Tổ chức cuc-thong-ke</title>"));
    let r = fetch(
        &app,
        "/feeds/organization/so-y-te.atom",
        Some(&c.thong_ke),
        None,
    )
    .await;
    // Staff of another agency see the shared dataset's metadata.
    assert_eq!(
        titles_of(&atom_entries(&r)),
        [&format!("{SECRET} dùng chung"), "Danh sách bệnh viện"]
    );
    let r = fetch(&app, "/dataset/dung-chung.ttl", Some(&c.thong_ke), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = fetch(&app, "/feeds/group/dan-cu.atom", None, None).await;
    assert_eq!(titles_of(&atom_entries(&r)), ["Dân số Hà Nội 2024"]);

    // A dataset's activity stream, newest first, in the caller's language.
    app.ok(
        "package_patch",
        Some(&c.thong_ke),
        json!({"id": "dan-so-2024", "title": "Dân số Hà Nội 2024 <bản sửa> & \"mới\""}),
    )
    .await;
    let r = fetch(&app, "/feeds/dataset/dan-so-2024.atom", None, None).await;
    let entries = atom_entries(&r);
    assert!(entries.len() >= 2, "{entries:?}");
    assert_eq!(
        entries[0].0,
        "Cập nhật tập dữ liệu “Dân số Hà Nội 2024 <bản sửa> & \"mới\"”"
    );
    assert_eq!(
        entries.last().unwrap().0,
        "Tạo tập dữ liệu “Dân số Hà Nội 2024”"
    );
    assert!(entries.iter().all(|e| e.1.starts_with("urn:uuid:")));
    let ids: std::collections::HashSet<&String> = entries.iter().map(|e| &e.1).collect();
    assert_eq!(ids.len(), entries.len(), "entry ids are unique");
    let req = Request::builder()
        .uri("/feeds/dataset/dan-so-2024.atom")
        .header("accept-language", "en")
        .body(Body::empty())
        .unwrap();
    let entries = atom_entries(&app.request(req).await);
    assert!(
        entries[0]
            .0
            .starts_with("Dataset “Dân số Hà Nội 2024 <bản sửa>"),
        "{}",
        entries[0].0
    );

    // Paging: an empty page past the end still parses and links back.
    let r = fetch(&app, "/feeds/dataset.atom?page=2", None, None).await;
    assert!(atom_entries(&r).is_empty());
    assert!(text(&r).contains(r#"rel="previous""#) && !text(&r).contains(r#"rel="next""#));

    // Unknown or hidden: 404.
    for uri in [
        "/feeds/organization/khong-co.atom",
        "/feeds/group/khong-co.atom",
        "/feeds/dataset/khong-co.atom",
        "/feeds/dataset/noi-bo.atom",
        "/feeds/organization/cuc-thong-ke.rss",
    ] {
        assert_eq!(
            fetch(&app, uri, None, None).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }

    // The pages announce their feeds.
    for (page, feed) in [
        ("/dataset", "/feeds/dataset.atom"),
        ("/", "/feeds/dataset.atom"),
        (
            "/organization/cuc-thong-ke",
            "/feeds/organization/cuc-thong-ke.atom",
        ),
        ("/group/dan-cu", "/feeds/group/dan-cu.atom"),
    ] {
        let html = text(&fetch(&app, page, None, Some("text/html")).await);
        assert!(
            html.contains(&format!(
                r#"<link rel="alternate" type="application/atom+xml" href="{feed}""#
            )),
            "{page} does not announce {feed}"
        );
    }
    let req = Request::builder()
        .uri("/dataset?lang=en")
        .body(Body::empty())
        .unwrap();
    let html = text(&app.request(req).await);
    assert!(
        html.contains("Metadata in open standards")
            && html.contains(r#"href="/data.json""#)
            && html.contains(r#"href="/catalog.ttl""#)
    );
    let html = text(&fetch(&app, "/dataset", None, None).await);
    assert!(html.contains("Siêu dữ liệu theo chuẩn mở"));
}

#[tokio::test]
async fn unknown_datasets_are_404_in_every_format() {
    let app = TestApp::new().await;
    for ext in ["ttl", "rdf", "jsonld", "nt"] {
        let r = fetch(&app, &format!("/dataset/khong-co.{ext}"), None, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{ext}");
        assert_eq!(r.json()["code"], "dataset_not_found");
    }
    for media in [
        "text/turtle",
        "application/rdf+xml",
        "application/ld+json",
        "application/n-triples",
    ] {
        let r = fetch(&app, "/dataset/khong-co", None, Some(media)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{media}");
        assert_eq!(r.json()["code"], "dataset_not_found");
    }
    for uri in [
        "/dataset/khong-co/datapackage.json",
        "/feeds/dataset/khong-co.atom",
    ] {
        let r = fetch(&app, uri, None, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(r.json()["code"], "dataset_not_found");
    }
    // The HTML page keeps its own 404 page.
    let r = fetch(&app, "/dataset/khong-co", None, Some("text/html")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.header("content-type").starts_with("text/html"));
    // An empty catalogue is still a valid catalogue.
    let r = fetch(&app, "/catalog.ttl", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(dataset_titles(&parse("text/turtle", &r.body)).is_empty());
    assert_eq!(
        fetch(&app, "/data.json", None, None).await.json()["dataset"],
        json!([])
    );
    let _ = Value::Null;
}

/// `modified_since` and harvesters' `metadata_modified:[t TO *]` are exact to
/// the microsecond: a change earlier in the same second is not "since".
#[tokio::test]
async fn modified_since_is_exact_within_a_second() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("cuc-thong-ke", "bien-tap").await;
    let mut stamps = Vec::new();
    for name in ["mot", "hai", "ba"] {
        app.ok(
            "package_create",
            Some(&editor),
            json!({"name": name, "title": name, "owner_org": "cuc-thong-ke"}),
        )
        .await;
        stamps.push(
            app.ok("package_show", None, json!({"id": name})).await["metadata_modified"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let found = app
        .ok(
            "package_search",
            None,
            json!({"fq": format!("metadata_modified:[{}Z TO *]", stamps[1])}),
        )
        .await;
    assert_eq!(found["count"], 2, "{found}");
    let r = fetch(
        &app,
        &format!("/catalog.ttl?modified_since={}", stamps[2]),
        None,
        None,
    )
    .await;
    assert_eq!(dataset_titles(&parse("text/turtle", &r.body)), ["ba"]);
}

/// Feeds page by 20, with `next` while there is more and `previous` after the first page.
#[tokio::test]
async fn feeds_page_by_twenty() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("cuc-thong-ke", "bien-tap").await;
    app.ok(
        "package_create",
        Some(&editor),
        json!({"name": "chi-so-gia", "title": "Chỉ số giá", "owner_org": "cuc-thong-ke"}),
    )
    .await;
    for i in 0..21 {
        app.ok(
            "package_patch",
            Some(&editor),
            json!({"id": "chi-so-gia", "notes": format!("Bản {i}")}),
        )
        .await;
    }
    let r = fetch(&app, "/feeds/dataset/chi-so-gia.atom", None, None).await;
    let first = atom_entries(&r);
    assert_eq!(first.len(), 20);
    assert!(text(&r).contains(r#"<link rel="next" type="application/atom+xml" href="http://sen.test/feeds/dataset/chi-so-gia.atom?page=2"/>"#));
    assert!(!text(&r).contains(r#"rel="previous""#));
    assert!(first[0].0.starts_with("Cập nhật"));
    let r = fetch(&app, "/feeds/dataset/chi-so-gia.atom?page=2", None, None).await;
    let second = atom_entries(&r);
    assert_eq!(second.len(), 2, "21 updates and the creation");
    assert_eq!(second[1].0, "Tạo tập dữ liệu “Chỉ số giá”");
    assert!(text(&r).contains(r#"rel="previous""#) && !text(&r).contains(r#"rel="next""#));
    assert!(text(&r).contains(r#"<link rel="self" type="application/atom+xml" href="http://sen.test/feeds/dataset/chi-so-gia.atom?page=2"/>"#));
    assert!(
        first.iter().all(|e| second.iter().all(|s| s.1 != e.1)),
        "no entry on both pages"
    );
    assert!(first.last().unwrap().2 >= second[0].2);
}
