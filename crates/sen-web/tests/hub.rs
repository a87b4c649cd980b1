//! The knowledge hub over HTTP: posts (drafts, scheduling, translations,
//! sanitised Markdown, the editor form) and the legal library (amend/repeal
//! links both ways, attached files, accent-insensitive search, filters).

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp};
use serde_json::json;

async fn page(app: &TestApp, uri: &str, lang: &str) -> (StatusCode, String) {
    let req = axum::http::Request::builder()
        .uri(uri)
        .header("accept-language", lang)
        .body(axum::body::Body::empty())
        .unwrap();
    let r = app.request(req).await;
    // minijinja escapes "/" in values; tests read the text as shown.
    (
        r.status,
        String::from_utf8_lossy(&r.body).replace("&#x2f;", "/"),
    )
}

#[tokio::test]
async fn drafts_and_scheduled_posts_are_seen_only_by_writers() {
    let app = TestApp::new().await;
    let admin = app.user("quan-tri", true).await;
    let someone = app.user("nguoi-dung", false).await;
    let draft = app
        .ok(
            "post_create",
            Some(&admin),
            json!({
                "title": "Hướng dẫn công bố dữ liệu mở", "category": "guide",
                "summary": "Các bước công bố", "body": "Nội dung **đậm** <script>alert(1)</script>",
            }),
        )
        .await;
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["slug"], "huong-dan-cong-bo-du-lieu-mo");
    assert_eq!(draft["author"]["name"], "quan-tri");
    let slug = "huong-dan-cong-bo-du-lieu-mo";

    // A draft does not exist for anyone but writers: not in lists, counts, pages.
    for token in [None, Some(someone.as_str())] {
        app.fails(
            "post_show",
            token,
            json!({"id": slug}),
            404,
            "Not Found Error",
        )
        .await;
        let list = app.ok("post_list", token, json!({})).await;
        assert_eq!(list["count"], 0);
    }
    assert_eq!(
        page(&app, &format!("/news/{slug}"), "vi").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.ok("post_list", Some(&admin), json!({})).await["count"],
        1
    );

    // Only writers write.
    app.fails(
        "post_create",
        Some(&someone),
        json!({"title": "x", "body": "y"}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "post_create",
        None,
        json!({"title": "x", "body": "y"}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "post_update",
        Some(&someone),
        json!({"id": slug, "status": "published"}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "post_delete",
        Some(&someone),
        json!({"id": slug}),
        403,
        "Authorization Error",
    )
    .await;

    // Bad input: every bad field at once.
    let e = app
        .fails("post_create", Some(&admin), json!({"title": "", "body": "", "category": "gossip", "language": "fr", "published_at": "tomorrow"}), 409, "Validation Error")
        .await;
    for f in ["title", "body", "category", "language", "published_at"] {
        assert!(e.get(f).is_some(), "{f} in {e}");
    }
    let huge = "a".repeat(200_001);
    app.fails(
        "post_create",
        Some(&admin),
        json!({"title": "Dài", "body": huge}),
        409,
        "Validation Error",
    )
    .await;

    // Published: everyone sees it, with the Markdown made safe.
    app.ok(
        "post_update",
        Some(&admin),
        json!({"id": slug, "status": "published"}),
    )
    .await;
    let shown = app.ok("post_show", None, json!({"id": slug})).await;
    assert!(shown["published_at"].is_string());
    let (status, html) = page(&app, &format!("/news/{slug}"), "vi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>đậm</strong>"));
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;"));

    // Scheduled for later: published, but not yet visible to the public.
    let later = app
        .ok("post_create", Some(&admin), json!({
            "title": "Tin sắp đăng", "body": "Sắp ra mắt", "status": "published", "published_at": "2999-01-01T08:00:00Z",
        }))
        .await;
    assert_eq!(later["scheduled"], true);
    app.fails(
        "post_show",
        None,
        json!({"id": "tin-sap-dang"}),
        404,
        "Not Found Error",
    )
    .await;
    assert_eq!(app.ok("post_list", None, json!({})).await["count"], 1);
    assert_eq!(
        app.ok("post_show", Some(&admin), json!({"id": "tin-sap-dang"}))
            .await["scheduled"],
        true
    );
    let (_, html) = page(&app, "/news", "vi").await;
    assert!(html.contains("Hướng dẫn công bố dữ liệu mở"));
    assert!(!html.contains("Tin sắp đăng"));
    // Moved into the past: visible.
    app.ok(
        "post_update",
        Some(&admin),
        json!({"id": "tin-sap-dang", "published_at": "2020-01-01"}),
    )
    .await;
    assert_eq!(app.ok("post_list", None, json!({})).await["count"], 2);

    app.ok("post_delete", Some(&admin), json!({"id": "tin-sap-dang"}))
        .await;
    app.fails(
        "post_show",
        Some(&admin),
        json!({"id": "tin-sap-dang"}),
        404,
        "Not Found Error",
    )
    .await;
}

#[tokio::test]
async fn vietnamese_and_english_versions_link_both_ways() {
    let app = TestApp::new().await;
    let admin = app.user("quan-tri", true).await;
    app.ok("post_create", Some(&admin), json!({"title": "Ra mắt cổng dữ liệu", "body": "Tin", "status": "published", "category": "news"})).await;
    // Same language is refused.
    app.fails(
        "post_create",
        Some(&admin),
        json!({"title": "Bản khác", "body": "x", "translation_of": "ra-mat-cong-du-lieu"}),
        409,
        "Validation Error",
    )
    .await;
    app.ok("post_create", Some(&admin), json!({"title": "Portal launched", "body": "News", "language": "en", "status": "published", "translation_of": "ra-mat-cong-du-lieu"})).await;
    let vi = app
        .ok("post_show", None, json!({"id": "ra-mat-cong-du-lieu"}))
        .await;
    assert_eq!(vi["translation"]["slug"], "portal-launched");
    let en = app
        .ok("post_show", None, json!({"id": "portal-launched"}))
        .await;
    assert_eq!(en["translation"]["slug"], "ra-mat-cong-du-lieu");
    let (_, html) = page(&app, "/news/ra-mat-cong-du-lieu", "vi").await;
    assert!(html.contains("href=\"/news/portal-launched\""));
    // Language filter, and the home page shows the visitor's language.
    assert_eq!(
        app.ok("post_list", None, json!({"language": "en"})).await["count"],
        1
    );
    let (_, home) = page(&app, "/", "en").await;
    assert!(home.contains("Portal launched") && !home.contains("Ra mắt cổng dữ liệu"));
    let (_, home) = page(&app, "/", "vi").await;
    assert!(home.contains("Ra mắt cổng dữ liệu") && home.contains("Tin mới nhất"));
}

#[tokio::test]
async fn news_pages_filter_and_page_in_both_languages() {
    let app = TestApp::new().await;
    let admin = app.user("quan-tri", true).await;
    for i in 0..23 {
        let category = if i % 2 == 0 { "news" } else { "standard" };
        app.ok("post_create", Some(&admin), json!({"title": format!("Bài số {i}"), "body": "x", "status": "published", "category": category, "published_at": format!("2025-01-{:02}", i + 1)})).await;
    }
    let (status, html) = page(&app, "/news", "vi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Tin tức &amp; hướng dẫn") || html.contains("Tin tức & hướng dẫn"));
    assert!(html.contains("Bài số 22") && !html.contains("Bài số 0<"));
    assert!(html.contains("page=2"));
    let (_, html) = page(&app, "/news?page=2", "vi").await;
    assert!(
        html.contains("Bài số 0<") || html.contains("Bài số 0\n") || html.contains(">Bài số 0")
    );
    // No inline code on the new pages (the Content-Security-Policy forbids it).
    for uri in ["/news", "/legal", "/news/bai-so-1", "/news?q=bai"] {
        let (status, html) = page(&app, uri, "vi").await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(
            !html.contains(" style=\"") && !html.contains("<style"),
            "{uri}"
        );
        assert!(!html.contains("<script>"), "{uri}");
    }
    let (_, html) = page(&app, "/news?category=standard", "en").await;
    assert!(html.contains("News &amp; guides") || html.contains("News & guides"));
    assert!(html.contains("Bài số 1<") || html.contains(">Bài số 1<"));
    assert!(!html.contains(">Bài số 2<"));
}

#[tokio::test]
async fn the_post_form_keeps_what_was_typed_and_only_writers_use_it() {
    let app = TestApp::new().await;
    app.user("quan-tri", true).await;
    app.user("nguoi-dung", false).await;

    let mut anon = Browser::new(&app);
    let (status, _) = anon.get("/news/new").await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let mut user = Browser::new(&app);
    user.log_in("nguoi-dung").await;
    assert_eq!(user.get("/news/new").await.0, StatusCode::FORBIDDEN);

    let mut b = Browser::new(&app);
    b.log_in("quan-tri").await;
    let (status, html) = b.get("/news/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"csrf\""));
    let csrf = b.csrf();
    // No anti-forgery token: refused.
    let r = b.post("/news/new", &[("title", "x"), ("body", "y")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A missing title: the form comes back with the text typed.
    let r = b
        .post(
            "/news/new",
            &[
                ("csrf", &csrf),
                ("title", ""),
                ("body", "Đoạn văn đã gõ"),
                ("category", "guide"),
                ("language", "vi"),
                ("status", "draft"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = String::from_utf8_lossy(&r.body);
    assert!(html.contains("Đoạn văn đã gõ"));
    assert!(html.contains("field-error"));
    let r = b
        .post(
            "/news/new",
            &[
                ("csrf", &csrf),
                ("title", "Tiêu chuẩn dữ liệu mở"),
                ("body", "Nội dung"),
                ("category", "standard"),
                ("language", "vi"),
                ("status", "published"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), "/news/tieu-chuan-du-lieu-mo");
    let (status, html) = b.get("/news/tieu-chuan-du-lieu-mo/edit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Tiêu chuẩn dữ liệu mở"));
    let r = b
        .post(
            "/news/tieu-chuan-du-lieu-mo/edit",
            &[
                ("csrf", &csrf),
                ("title", "Tiêu chuẩn dữ liệu mở (sửa)"),
                ("body", "Nội dung mới"),
                ("category", "standard"),
                ("language", "vi"),
                ("status", "published"),
                ("slug", "tieu-chuan-du-lieu-mo"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (_, html) = anon.get("/news/tieu-chuan-du-lieu-mo").await;
    assert!(html.contains("Tiêu chuẩn dữ liệu mở (sửa)") && html.contains("Nội dung mới"));
    // Ordinary users cannot edit through the form either.
    let ucsrf = user.csrf();
    let r = user
        .post(
            "/news/tieu-chuan-du-lieu-mo/edit",
            &[("csrf", &ucsrf), ("title", "Hỏng")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn legal_library(app: &TestApp, admin: &str) {
    app.ok(
        "legal_document_create",
        Some(admin),
        json!({
            "number": "47/2020/NĐ-CP", "type": "decree", "issuer": "Chính phủ",
            "title": "Nghị định về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan nhà nước",
            "signed_on": "2020-04-09", "effective_from": "2020-05-25",
        }),
    )
    .await;
    app.ok(
        "legal_document_create",
        Some(admin),
        json!({
            "number": "60/2024/QH15", "type": "law", "issuer": "Quốc hội", "title": "Luật Dữ liệu",
            "effective_from": "2025-07-01",
        }),
    )
    .await;
}

#[tokio::test]
async fn legal_documents_link_amendments_both_ways() {
    let app = TestApp::new().await;
    let admin = app.user("quan-tri", true).await;
    let someone = app.user("nguoi-dung", false).await;
    legal_library(&app, &admin).await;
    app.fails("legal_document_create", Some(&someone), json!({"number": "1/2025/TT-BCA", "type": "circular", "issuer": "Bộ Công an", "title": "x"}), 403, "Authorization Error").await;
    let e = app
        .fails("legal_document_create", Some(&admin), json!({"number": "47/2020/NĐ-CP", "type": "rumour", "title": "", "signed_on": "09/04/2020", "amends": ["99/9999/XX"]}), 409, "Validation Error")
        .await;
    for f in ["number", "type", "title", "issuer", "signed_on", "amends"] {
        assert!(e.get(f).is_some(), "{f} in {e}");
    }
    let d = app
        .ok("legal_document_create", Some(&admin), json!({
            "number": "194/2025/NĐ-CP", "type": "decree", "issuer": "Chính phủ",
            "title": "Nghị định quy định chi tiết một số điều của Luật Dữ liệu", "amends": ["47/2020/NĐ-CP"],
        }))
        .await;
    assert_eq!(d["slug"], "194-2025-nd-cp");
    assert_eq!(d["amends"][0]["number"], "47/2020/NĐ-CP");
    assert!(d["signed_on"].is_null());
    let old = app
        .ok("legal_document_show", None, json!({"id": "47-2020-nd-cp"}))
        .await;
    assert_eq!(old["status"], "amended");
    assert_eq!(old["amended_by"][0]["number"], "194/2025/NĐ-CP");
    // Found by its number too; the page shows both directions.
    app.ok("legal_document_show", None, json!({"id": "47/2020/NĐ-CP"}))
        .await;
    let (status, html) = page(&app, "/legal/47-2020-nd-cp", "vi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Được sửa đổi bởi") && html.contains("/legal/194-2025-nd-cp"));
    assert!(html.contains("09/04/2020"));
    let (_, html) = page(&app, "/legal/194-2025-nd-cp", "en").await;
    assert!(html.contains("Amends") && html.contains("/legal/47-2020-nd-cp"));
    // Repeal.
    app.ok("legal_document_create", Some(&admin), json!({"number": "1/2030/NĐ-CP", "type": "decree", "issuer": "Chính phủ", "title": "Nghị định thay thế", "repeals": ["47-2020-nd-cp"]})).await;
    let old = app
        .ok("legal_document_show", None, json!({"id": "47-2020-nd-cp"}))
        .await;
    assert_eq!(old["status"], "repealed");
    assert_eq!(old["repealed_by"][0]["number"], "1/2030/NĐ-CP");
    assert_eq!(
        page(&app, "/legal/khong-co", "vi").await.0,
        StatusCode::NOT_FOUND
    );
    // Filters.
    assert_eq!(
        app.ok("legal_document_list", None, json!({"type": "law"}))
            .await["count"],
        1
    );
    assert_eq!(
        app.ok("legal_document_list", None, json!({"status": "repealed"}))
            .await["count"],
        1
    );
    assert_eq!(
        app.ok("legal_document_list", None, json!({"issuer": "Quốc hội"}))
            .await["count"],
        1
    );
    let (_, html) = page(&app, "/legal?type=decree", "vi").await;
    assert!(html.contains("194/2025/NĐ-CP") && !html.contains("60/2024/QH15"));
    app.ok(
        "legal_document_delete",
        Some(&admin),
        json!({"id": "1/2030/NĐ-CP"}),
    )
    .await;
    let old = app
        .ok("legal_document_show", None, json!({"id": "47-2020-nd-cp"}))
        .await;
    assert_eq!(old["repealed_by"], json!([]));
}

#[tokio::test]
async fn legal_files_upload_as_pdf_or_docx_and_download() {
    let app = TestApp::new().await;
    let admin = app.user("quan-tri", true).await;
    let pdf = b"%PDF-1.4\n% van ban\n";
    let r = app
        .post_multipart(
            "/api/3/action/legal_document_create",
            Some(&admin),
            &[
                ("number", "60/2024/QH15"),
                ("type", "law"),
                ("issuer", "Quốc hội"),
                ("title", "Luật Dữ liệu"),
            ],
            Some(("luat-du-lieu.pdf", pdf)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    assert_eq!(r.json()["result"]["file"]["name"], "luat-du-lieu.pdf");
    let d = app.get("/legal/60-2024-qh15/download", None).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(&d.body[..], pdf);
    assert_eq!(d.header("content-type"), "application/pdf");
    assert!(d.header("content-disposition").contains("luat-du-lieu.pdf"));
    let r = app
        .post_multipart(
            "/api/3/action/legal_document_create",
            Some(&admin),
            &[
                ("number", "1/2025/QĐ-TTg"),
                ("type", "decision"),
                ("issuer", "Thủ tướng Chính phủ"),
                ("title", "Quyết định"),
            ],
            Some(("virus.exe", b"MZ")),
        )
        .await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.json());
    assert!(r.json()["error"]["upload"].is_array() || r.json()["error"]["upload"].is_string());
    assert_eq!(
        app.get("/legal/1-2025-qd-ttg/download", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn search_is_accent_insensitive_with_tabs() {
    let app = TestApp::new().await;
    let admin = app.user("quan-tri", true).await;
    legal_library(&app, &admin).await;
    app.ok("post_create", Some(&admin), json!({"title": "Hỏi đáp về Nghị định chia sẻ dữ liệu", "body": "x", "status": "published"})).await;
    app.ok(
        "post_create",
        Some(&admin),
        json!({"title": "Bản nháp về dữ liệu", "body": "x"}),
    )
    .await;
    let found = app
        .ok(
            "legal_document_list",
            None,
            json!({"q": "nghi dinh du lieu"}),
        )
        .await;
    assert_eq!(found["count"], 1);
    assert_eq!(found["results"][0]["number"], "47/2020/NĐ-CP");
    assert_eq!(
        app.ok("legal_document_list", None, json!({"q": "NGHỊ ĐỊNH"}))
            .await["count"],
        1
    );
    assert_eq!(
        app.ok(
            "legal_document_list",
            None,
            json!({"q": "nghi dinh thuy san"})
        )
        .await["count"],
        0
    );
    assert_eq!(
        app.ok("post_list", None, json!({"q": "nghi dinh du lieu"}))
            .await["count"],
        1
    );
    // Tabs on the dataset search: posts counted without drafts.
    let (status, html) = page(&app, "/dataset?q=nghi+dinh+du+lieu", "vi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("search-tabs"));
    assert!(html.contains("/news?q=nghi+dinh+du+lieu") || html.contains("/news?q=nghi%20dinh"));
    assert!(html.contains("/legal?q=nghi+dinh+du+lieu") || html.contains("/legal?q=nghi%20dinh"));
    let (_, html) = page(&app, "/legal?q=nghi+dinh+du+lieu", "en").await;
    assert!(html.contains("47/2020/NĐ-CP") && !html.contains("60/2024/QH15"));
    let (_, html) = page(&app, "/news?q=du+lieu", "vi").await;
    assert!(html.contains("Hỏi đáp về Nghị định") && !html.contains("Bản nháp"));
}

#[tokio::test]
async fn the_rest_api_serves_posts_and_legal_documents() {
    let app = TestApp::new().await;
    let admin = app.user("quan-tri", true).await;
    let r = app
        .send(
            axum::http::Method::POST,
            "/api/v1/posts",
            Some(&admin),
            Some(json!({"title": "Tin REST", "body": "x", "status": "published"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    let r = app.get("/api/v1/posts?q=tin+rest", None).await;
    assert_eq!(r.json()["count"], 1);
    let r = app
        .send(
            axum::http::Method::PATCH,
            "/api/v1/posts/tin-rest",
            Some(&admin),
            Some(json!({"status": "draft"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/posts/tin-rest", None).await.status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .send(axum::http::Method::POST, "/api/v1/legal-documents", None, Some(json!({"number": "1/2025/TT-BTC", "type": "circular", "issuer": "Bộ Tài chính", "title": "Thông tư"})))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .send(axum::http::Method::POST, "/api/v1/legal-documents", Some(&admin), Some(json!({"number": "1/2025/TT-BTC", "type": "circular", "issuer": "Bộ Tài chính", "title": "Thông tư"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    let r = app.get("/api/v1/legal-documents/1-2025-tt-btc", None).await;
    assert_eq!(r.json()["type"], "circular");
    let r = app
        .send(
            axum::http::Method::DELETE,
            "/api/v1/legal-documents/1-2025-tt-btc",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    // The sitemap lists published posts only, and legal documents.
    app.send(
        axum::http::Method::POST,
        "/api/v1/posts",
        Some(&admin),
        Some(json!({"title": "Tin công khai", "body": "x", "status": "published"})),
    )
    .await;
    app.send(axum::http::Method::POST, "/api/v1/legal-documents", Some(&admin), Some(json!({"number": "2/2025/TT-BTC", "type": "circular", "issuer": "Bộ Tài chính", "title": "Thông tư"}))).await;
    let map = String::from_utf8_lossy(&app.get("/sitemap.xml", None).await.body).to_string();
    assert!(map.contains("/news/tin-cong-khai") && map.contains("/legal/2-2025-tt-btc"));
    assert!(!map.contains("/news/tin-rest"));
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    assert!(doc["paths"]["/api/v1/legal-documents/{id}"].is_object());
}
