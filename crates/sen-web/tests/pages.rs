//! The public pages over HTTP: languages, search, dataset pages, privacy,
//! SEO files, themes, and what the Content-Security-Policy allows.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use serde_json::json;

async fn page(
    app: &TestApp,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, String, common::Reply) {
    let mut b = Request::builder().uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let r = app.request(b.body(Body::empty()).unwrap()).await;
    let html = String::from_utf8_lossy(&r.body).to_string();
    (r.status, html, r)
}

async fn catalogue() -> (TestApp, String) {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("cuc-thong-ke", "thong-ke").await;
    app.ok("package_create", Some(&editor), json!({
        "name": "dan-so-ha-noi", "title": "Dân số Hà Nội 2024", "owner_org": "cuc-thong-ke", "license_id": "cc-by-4.0",
        "notes": "Số liệu **dân số** theo quận. <script>alert('x')</script> [nguồn](javascript:alert(1))",
        "tags": [{"name": "dân số"}], "frequency": "annual", "temporal_start": "2024-01-01", "temporal_end": "2024-12-31",
        "resources": [{"name": "Bảng dân số", "url": "https://example.gov.vn/dan-so.csv", "format": "CSV"}]
    })).await;
    app.ok("package_create", Some(&editor), json!({"name": "ho-so-mat", "title": "Hồ sơ nội bộ Hà Nội", "owner_org": "cuc-thong-ke", "access_level": "internal"})).await;
    (app, editor)
}

fn assert_no_inline_code(html: &str) {
    // The CSP forbids inline scripts and styles: pages must not need them.
    for chunk in html.split("<script").skip(1) {
        assert!(
            chunk.starts_with(" type=\"application/ld+json\"")
                || chunk.starts_with(" src=\"/static/sen.js\""),
            "inline script: <script{}",
            &chunk[..chunk.len().min(80)]
        );
    }
    assert!(!html.contains(" style=\""), "inline style attribute");
    assert!(!html.contains("<style"), "inline style element");
    assert!(
        !html.contains("http://cdn") && !html.contains("https://cdn"),
        "CDN asset"
    );
}

#[tokio::test]
async fn home_in_vietnamese_by_default_and_english_on_request() {
    let (app, _) = catalogue().await;
    let (status, html, _) = page(&app, "/", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"vi\">"));
    assert!(html.contains("Dữ liệu mở của Việt Nam"));
    assert!(html.contains("Dân số Hà Nội 2024"));
    assert!(
        !html.contains("Hồ sơ nội bộ"),
        "internal data on the home page"
    );
    assert_no_inline_code(&html);

    let (_, html, _) = page(&app, "/", &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("open data, in one place"));
    // The choice persists in a cookie.
    let (_, html, r) = page(&app, "/?lang=en", &[("accept-language", "vi")]).await;
    assert!(html.contains("<html lang=\"en\">"));
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("sen_lang="))
        .unwrap_or_default();
    assert!(
        cookie.starts_with("sen_lang=en") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let (_, html, _) = page(
        &app,
        "/dataset",
        &[("cookie", "sen_lang=en"), ("accept-language", "vi")],
    )
    .await;
    assert!(html.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn search_page_finds_without_accents_with_facets() {
    let (app, _) = catalogue().await;
    let (status, html, _) = page(&app, "/dataset?q=dan+so+ha+noi", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/dataset/dan-so-ha-noi\""));
    assert!(html.contains("1 tập dữ liệu được tìm thấy"), "{html}");
    assert!(
        html.contains("Tổ chức cuc-thong-ke"),
        "organisation facet title"
    );
    assert!(!html.contains("ho-so-mat"));
    let (_, html, _) = page(&app, "/dataset?tags=d%C3%A2n+s%E1%BB%91&lang=en", &[]).await;
    assert!(html.contains("1 dataset found"), "{html}");
    assert!(
        html.contains("aria-current=\"true\""),
        "selected facet marked"
    );
    let (status, html, _) = page(&app, "/dataset?q=tags%3A%22open", &[]).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a bad query is shown, not a server error"
    );
    assert!(html.contains("role=\"alert\""));
    assert_no_inline_code(&html);
}

#[tokio::test]
async fn dataset_page_with_resources_json_ld_and_safe_markdown() {
    let (app, _) = catalogue().await;
    let (status, html, _) = page(&app, "/dataset/dan-so-ha-noi", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>dân số</strong>"));
    assert!(
        !html.contains("<script>alert"),
        "raw HTML from Markdown must not run"
    );
    assert!(
        !html.contains("href=\"javascript:"),
        "script links neutralised"
    );
    assert!(html.contains("https://example.gov.vn/dan-so.csv"));
    assert!(html.contains("Hằng năm"));
    // (minijinja writes "/" in attributes as "&#x2f;", which browsers read as "/")
    assert!(html
        .replace("&#x2f;", "/")
        .contains("rel=\"canonical\" href=\"http://sen.test/dataset/dan-so-ha-noi\""));
    let ld = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], json!("Dataset"));
    assert_eq!(ld["name"], json!("Dân số Hà Nội 2024"));
    assert_eq!(ld["temporalCoverage"], json!("2024-01-01/2024-12-31"));
    assert_eq!(ld["distribution"][0]["encodingFormat"], json!("CSV"));
    assert_no_inline_code(&html);
}

#[tokio::test]
async fn non_open_data_pages_are_not_found_and_errors_are_translated() {
    let (app, _) = catalogue().await;
    let (status, html, _) = page(&app, "/dataset/ho-so-mat", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Không tìm thấy trang"));
    let (status, html, _) = page(&app, "/khong/co/trang/nay", &[("accept-language", "en")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
}

#[tokio::test]
async fn organisations_topics_sitemap_and_robots() {
    let (app, _) = catalogue().await;
    app.ok(
        "organization_create",
        Some(&app.admin),
        json!({"name": "tinh-cu", "title": "Tỉnh Cũ", "valid_to": "2025-06-30"}),
    )
    .await;
    app.ok(
        "organization_patch",
        Some(&app.admin),
        json!({"id": "tinh-cu", "successor": "cuc-thong-ke"}),
    )
    .await;
    let (_, html, _) = page(&app, "/organization", &[]).await;
    assert!(html.contains("Đơn vị đã sắp xếp, hợp nhất"));
    assert!(html.contains("href=\"/organization/tinh-cu\""));
    let (_, html, _) = page(&app, "/organization/tinh-cu", &[]).await;
    assert!(html.contains("đã được sắp xếp, hợp nhất vào"), "{html}");
    let (status, html, _) = page(&app, "/organization/cuc-thong-ke", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("1 tập dữ liệu"), "counts only open data");
    let (status, _, _) = page(&app, "/group", &[]).await;
    assert_eq!(status, StatusCode::OK);

    let (_, xml, r) = page(&app, "/sitemap.xml", &[]).await;
    assert!(r.header("content-type").starts_with("application/xml"));
    assert!(xml.contains("http://sen.test/dataset/dan-so-ha-noi"));
    assert!(!xml.contains("ho-so-mat"), "sitemap lists open data only");
    let (_, robots, _) = page(&app, "/robots.txt", &[]).await;
    assert!(robots.contains("Sitemap: http://sen.test/sitemap.xml"));
    let (status, css, r) = page(&app, "/static/sen.css", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(css.contains(":focus-visible"));
    assert!(r.header("cache-control").contains("max-age"));
    let (status, js, r) = page(&app, "/static/sen.js", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        r.header("content-type").starts_with("text/javascript") && js.contains("/api/v1/suggest")
    );
    let (status, _, _) = page(&app, "/static/nothing.js", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(r.header("cache-control").contains("max-age"));
}

#[tokio::test]
async fn a_theme_directory_overrides_templates_and_static_files() {
    let theme = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(theme.path().join("templates")).unwrap();
    std::fs::create_dir_all(theme.path().join("static")).unwrap();
    std::fs::write(
        theme.path().join("templates/error.html"),
        "<p>Trang riêng của tỉnh: {{ status }}</p>",
    )
    .unwrap();
    std::fs::write(theme.path().join("static/sen.css"), "body { color: teal; }").unwrap();
    let app = TestApp::new().await;
    let web = sen_web::WebConfig {
        theme_dir: Some(theme.path().to_path_buf()),
        ..Default::default()
    };
    let router = sen_web::router(sen_web::AppState::new(app.catalog.clone(), web));
    let themed = TestApp { router, ..app };
    let (status, html, _) = page(&themed, "/khong-co", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(html, "<p>Trang riêng của tỉnh: 404</p>");
    let (_, css, _) = page(&themed, "/static/sen.css", &[]).await;
    assert_eq!(css, "body { color: teal; }");
    let (_, html, _) = page(&themed, "/", &[]).await;
    assert!(
        html.contains("Dữ liệu mở"),
        "templates not overridden stay embedded"
    );
}

#[tokio::test]
async fn resource_pages_preview_tables_and_text() {
    let (app, editor) = catalogue().await;
    let csv = "\u{feff}Tỉnh,Mã\r\nHà Nội,01\r\n\"Thừa Thiên Huế\",46\r\n";
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(&editor),
            &[("package_id", "dan-so-ha-noi"), ("name", "Danh sách tỉnh")],
            Some(("tinh.csv", csv.as_bytes())),
        )
        .await;
    let rid = r.json()["result"]["id"].as_str().unwrap().to_string();
    let (status, html, _) =
        page(&app, &format!("/dataset/dan-so-ha-noi/resource/{rid}"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<th scope=\"col\">Tỉnh</th>"), "{html}");
    assert!(html.contains("<td>Thừa Thiên Huế</td>"));
    assert_no_inline_code(&html);
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(&editor),
            &[("package_id", "dan-so-ha-noi")],
            Some(("cau-hinh.json", b"{\"tinh\":[1,2]}")),
        )
        .await;
    let jid = r.json()["result"]["id"].as_str().unwrap().to_string();
    let (_, html, _) = page(
        &app,
        &format!("/dataset/dan-so-ha-noi/resource/{jid}?lang=en"),
        &[],
    )
    .await;
    assert!(html.contains("&quot;tinh&quot;: ["), "{html}");
    // A resource under another dataset's address, or of non-open data, is not found.
    let (status, _, _) = page(&app, &format!("/dataset/ho-so-mat/resource/{rid}"), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
