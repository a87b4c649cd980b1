//! Publishing through the pages: the dataset editor, uploads and links,
//! reordering and deleting, organisations and their members — with the
//! same rules as the APIs, refused forms that keep what was typed, and
//! nothing visible to those not entitled.

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp};
use serde_json::json;

const CSV: &[u8] =
    "\u{feff}Mã tỉnh,Tên tỉnh\r\n01,Thành phố Hà Nội\r\n79,Thành phố Hồ Chí Minh\r\n".as_bytes();

fn location(r: &common::Reply) -> String {
    r.header("location").to_string()
}

/// The page's text with the escaped slashes of attribute values restored.
fn html(r: &common::Reply) -> String {
    unescape(&String::from_utf8_lossy(&r.body))
}

fn unescape(page: &str) -> String {
    page.replace("&#x2f;", "/")
}

#[tokio::test]
async fn an_editor_publishes_a_dataset_with_a_file_through_the_forms() {
    let app = TestApp::new().await;
    let token = app.org_with_editor("so-ke-hoach", "bientap").await;
    let mut b = Browser::new(&app);
    b.log_in("bientap").await;

    let (status, page) = b.get("/dataset/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Tổ chức so-ke-hoach"),
        "the organisation is offered"
    );
    let org_id = app
        .ok("organization_show", None, json!({"id": "so-ke-hoach"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let csrf = b.csrf();

    // Important data can never be open, and a title is required: both are
    // said beside their fields, the typed values come back, nothing is saved.
    let r = b
        .post(
            "/dataset/new",
            &[
                ("csrf", &csrf),
                ("title", ""),
                ("notes", "Số liệu dân số theo **quận, huyện**"),
                ("owner_org", &org_id),
                ("access_level", "open"),
                ("data_class", "important"),
                ("tag_string", "dân số, hà nội"),
                ("save", "active"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = html(&r);
    assert!(page.contains("id=\"f-access_level-error\""), "{page}");
    assert!(page.contains("Số liệu dân số theo **quận, huyện**"));
    assert!(page.contains("value=\"dân số, hà nội\""));
    let list = app.ok("package_list", Some(&token), json!({})).await;
    assert_eq!(list, json!([]), "nothing was created");

    // A valid form: the URL name is made from the title.
    let r = b
        .post(
            "/dataset/new",
            &[
                ("csrf", &csrf),
                ("title", "Dân số Hà Nội 2024"),
                ("name", ""),
                ("notes", "Số liệu dân số"),
                ("owner_org", &org_id),
                ("access_level", "open"),
                ("data_class", "ordinary"),
                ("license_id", "cc-by-4.0"),
                ("tag_string", "dân số, hà nội"),
                ("save", "active"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(&r));
    assert_eq!(
        location(&r),
        "/dataset/dan-so-ha-noi-2024/resource/new?created=1"
    );
    let d = app
        .ok("package_show", None, json!({"id": "dan-so-ha-noi-2024"}))
        .await;
    assert_eq!(d["title"], "Dân số Hà Nội 2024");
    assert_eq!(d["num_tags"], 2);

    // Upload a file: it streams into storage and becomes the first resource.
    let (status, page) = b
        .get("/dataset/dan-so-ha-noi-2024/resource/new?created=1")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let r = b
        .post_multipart(
            "/dataset/dan-so-ha-noi-2024/resource/new",
            &[("csrf", &csrf), ("name", ""), ("then", "another")],
            Some(("tỉnh thành.csv", CSV)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(&r));
    assert_eq!(location(&r), "/dataset/dan-so-ha-noi-2024/resource/new");

    // A link, then a form with neither file nor link (refused, typed name kept).
    let r = b
        .post_multipart(
            "/dataset/dan-so-ha-noi-2024/resource/new",
            &[
                ("csrf", &csrf),
                ("name", "Dịch vụ API"),
                ("url", "https://api.example.gov.vn/dan-so"),
                ("format", "API"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(&r));
    let r = b
        .post_multipart(
            "/dataset/dan-so-ha-noi-2024/resource/new",
            &[("csrf", &csrf), ("name", "Tên đã gõ")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html(&r).contains("value=\"Tên đã gõ\""));

    // A forged upload (no token) is refused and leaves nothing behind.
    let r = b
        .post_multipart(
            "/dataset/dan-so-ha-noi-2024/resource/new",
            &[("name", "giả mạo")],
            Some(("x.csv", CSV)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let d = app
        .ok("package_show", None, json!({"id": "dan-so-ha-noi-2024"}))
        .await;
    let resources = d["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 2, "{resources:#?}");
    assert_eq!(resources[0]["name"], "tỉnh thành.csv");
    assert_eq!(resources[0]["url_type"], "upload");
    assert_eq!(resources[1]["name"], "Dịch vụ API");
    let download = resources[0]["url"]
        .as_str()
        .unwrap()
        .trim_start_matches(common::SITE)
        .to_string();
    let file = app.get(&download, None).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(&file.body[..], CSV, "byte-identical");

    // The dataset page offers the editor's controls; not to anonymous visitors.
    let (_, page) = b.get("/dataset/dan-so-ha-noi-2024").await;
    assert!(unescape(&page).contains("href=\"/dataset/dan-so-ha-noi-2024/edit\""));
    let anonymous = app.get("/dataset/dan-so-ha-noi-2024", None).await;
    assert!(!html(&anonymous).contains("/edit\""));

    // Reorder: the link moves up.
    let second = resources[1]["id"].as_str().unwrap().to_string();
    let r = b
        .post(
            &format!("/dataset/dan-so-ha-noi-2024/resource/{second}/move"),
            &[("csrf", &csrf), ("dir", "up")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let d = app
        .ok("package_show", None, json!({"id": "dan-so-ha-noi-2024"}))
        .await;
    assert_eq!(d["resources"][0]["id"], second.as_str());

    // Edit: a refused change keeps what was typed; a good one is saved.
    let (status, page) = b.get("/dataset/dan-so-ha-noi-2024/edit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("value=\"Dân số Hà Nội 2024\""));
    let r = b
        .post(
            "/dataset/dan-so-ha-noi-2024/edit",
            &[
                ("csrf", &csrf),
                ("title", "Dân số Hà Nội 2024 (sửa)"),
                ("name", "dan-so-ha-noi-2024"),
                ("owner_org", &org_id),
                ("access_level", "open"),
                ("data_class", "ordinary"),
                ("temporal_start", "31/12/2024"),
                ("save", "active"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = html(&r);
    assert!(page.contains("id=\"f-temporal_start-error\""));
    assert!(page.contains("value=\"Dân số Hà Nội 2024 (sửa)\""));
    let r = b
        .post(
            "/dataset/dan-so-ha-noi-2024/edit",
            &[
                ("csrf", &csrf),
                ("title", "Dân số Hà Nội năm 2024"),
                ("name", "dan-so-ha-noi-2024"),
                ("owner_org", &org_id),
                ("access_level", "open"),
                ("data_class", "ordinary"),
                ("license_id", "cc-by-4.0"),
                ("temporal_start", "2024-01-01"),
                ("tag_string", "dân số"),
                ("save", "active"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(&r));
    let d = app
        .ok("package_show", None, json!({"id": "dan-so-ha-noi-2024"}))
        .await;
    assert_eq!(d["title"], "Dân số Hà Nội năm 2024");
    assert_eq!(d["num_tags"], 1);
    assert_eq!(
        d["resources"].as_array().unwrap().len(),
        2,
        "edits keep resources"
    );

    // Delete a resource, then the dataset, each after a confirmation page.
    let (status, page) = b
        .get(&format!(
            "/dataset/dan-so-ha-noi-2024/resource/{second}/delete"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Dịch vụ API"));
    let r = b
        .post(
            &format!("/dataset/dan-so-ha-noi-2024/resource/{second}/delete"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (status, _) = b.get("/dataset/dan-so-ha-noi-2024/delete").await;
    assert_eq!(status, StatusCode::OK);
    let r = b
        .post("/dataset/dan-so-ha-noi-2024/delete", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/dataset/dan-so-ha-noi-2024", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn publishing_pages_refuse_those_not_entitled() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-y-te", "bientap").await;
    app.ok(
        "package_create",
        Some(&editor),
        json!({"name": "benh-vien", "title": "Bệnh viện", "owner_org": "so-y-te"}),
    )
    .await;
    app.user("nguoingoai", false).await;

    // Anonymous visitors are sent to log in, and come back afterwards.
    let r = app.get("/dataset/new", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/user/login?next=%2Fdataset%2Fnew");
    let mut b = Browser::new(&app);
    let (_, page) = b.get("/user/login?next=%2Fdataset%2Fnew").await;
    assert!(unescape(&page).contains("name=\"next\" value=\"/dataset/new\""));
    let csrf = b.csrf();
    let r = b
        .post(
            "/user/login",
            &[
                ("csrf", &csrf),
                ("name", "nguoingoai"),
                ("password", "mật-khẩu-dài"),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/user/me", "no redirect to another site");

    // Someone of no organisation may neither create nor edit.
    let (status, _) = b.get("/dataset/new").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = b.get("/dataset/benh-vien/edit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let csrf = b.csrf();
    let r = b
        .post(
            "/dataset/benh-vien/edit",
            &[
                ("csrf", &csrf),
                ("title", "Đã bị sửa"),
                ("name", "benh-vien"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b
        .post("/dataset/benh-vien/delete", &[("csrf", &csrf)])
        .await;
    assert_ne!(r.status, StatusCode::SEE_OTHER);
    let d = app
        .ok("package_show", None, json!({"id": "benh-vien"}))
        .await;
    assert_eq!(d["title"], "Bệnh viện", "nothing changed");
    assert_eq!(d["state"], "active");

    // A draft and an internal dataset exist only for the organisation.
    let mut e = Browser::new(&app);
    e.log_in("bientap").await;
    let csrf = e.csrf();
    let org_id = app
        .ok("organization_show", None, json!({"id": "so-y-te"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (name, level, save) in [("nhap", "open", "draft"), ("noi-bo", "internal", "active")] {
        let r = e
            .post(
                "/dataset/new",
                &[
                    ("csrf", &csrf),
                    ("title", name),
                    ("name", name),
                    ("owner_org", &org_id),
                    ("access_level", level),
                    ("data_class", "ordinary"),
                    ("save", save),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(&r));
        let (status, page) = e.get(&format!("/dataset/{name}")).await;
        assert_eq!(status, StatusCode::OK);
        if save == "draft" {
            assert!(page.contains("Bản nháp"));
        }
        assert_eq!(
            app.get(&format!("/dataset/{name}"), None).await.status,
            StatusCode::NOT_FOUND
        );
        let (status, _) = b.get(&format!("/dataset/{name}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{name} to an outsider");
    }
}

#[tokio::test]
async fn a_sysadmin_manages_organisations_and_members_in_pages() {
    let app = TestApp::new().await;
    app.user("bientap", false).await;
    let mut b = Browser::new(&app);
    b.log_in("admin").await;
    let csrf = b.csrf();

    let (status, page) = b.get("/organization/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("f-successor"));
    let r = b
        .post(
            "/organization/new",
            &[
                ("csrf", &csrf),
                ("title", "Sở Tài chính Huế"),
                ("name", "Sở Tài chính"),
                ("kind", "department"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = html(&r);
    assert!(page.contains("id=\"f-name-error\"") && page.contains("value=\"Sở Tài chính Huế\""));
    let r = b
        .post(
            "/organization/new",
            &[
                ("csrf", &csrf),
                ("title", "Sở Tài chính Huế"),
                ("name", "so-tai-chinh-hue"),
                ("kind", "department"),
                ("valid_from", "2025-07-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(&r));
    assert_eq!(location(&r), "/organization/so-tai-chinh-hue/members");

    // Members: an unknown user is refused beside the field; a known one joins.
    let r = b
        .post(
            "/organization/so-tai-chinh-hue/members",
            &[("csrf", &csrf), ("username", "khongco"), ("role", "editor")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(html(&r).contains("id=\"f-username-error\""));
    let r = b
        .post(
            "/organization/so-tai-chinh-hue/members",
            &[("csrf", &csrf), ("username", "bientap"), ("role", "editor")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (_, page) = b.get("/organization/so-tai-chinh-hue/members").await;
    assert!(page.contains("bientap") && page.contains("Biên tập viên"));

    // The new editor may now publish there, but not manage the organisation.
    let mut e = Browser::new(&app);
    e.log_in("bientap").await;
    let (status, page) = e.get("/dataset/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Sở Tài chính Huế"));
    let (status, _) = e.get("/organization/so-tai-chinh-hue/members").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = e.get("/organization/new").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Edit, then remove the member.
    let r = b
        .post(
            "/organization/so-tai-chinh-hue/edit",
            &[
                ("csrf", &csrf),
                ("title", "Sở Tài chính thành phố Huế"),
                ("name", "so-tai-chinh-hue"),
                ("kind", "department"),
                ("valid_from", "2025-07-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(&r));
    let org = app
        .ok("organization_show", None, json!({"id": "so-tai-chinh-hue"}))
        .await;
    assert_eq!(org["title"], "Sở Tài chính thành phố Huế");
    let r = b
        .post(
            "/organization/so-tai-chinh-hue/members/remove",
            &[("csrf", &csrf), ("username", "bientap")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (status, _) = e.get("/dataset/new").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Topics too.
    let r = b
        .post(
            "/group/new",
            &[
                ("csrf", &csrf),
                ("title", "Tài chính công"),
                ("name", "tai-chinh-cong"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", html(&r));
    let (status, page) = b.get("/group/tai-chinh-cong").await;
    assert_eq!(status, StatusCode::OK);
    assert!(unescape(&page).contains("/group/tai-chinh-cong/edit"));
}
