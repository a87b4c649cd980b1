//! The portal's upkeep through its pages and APIs: password reset by e-mail,
//! profile changes, the operator's pages (settings, users, licences),
//! following, usage counts and the information pages.

mod common;

use axum::http::StatusCode;
use common::{dataset, Browser, TestApp};
use serde_json::json;

/// The reset link in a message, whatever transfer encoding the mailer chose.
fn reset_link(mail: &str) -> String {
    use base64::Engine;
    let (_, body) = mail.split_once("\r\n\r\n").unwrap_or(("", mail));
    let compact: String = body.split_whitespace().collect();
    let unfolded = match base64::engine::general_purpose::STANDARD.decode(&compact) {
        Ok(bytes) if mail.contains("Content-Transfer-Encoding: base64") => {
            String::from_utf8(bytes).expect("UTF-8 body")
        }
        _ => body.replace("=\r\n", "").replace("=\n", ""),
    };
    let start = unfolded
        .find("/user/reset/")
        .unwrap_or_else(|| panic!("a reset link in the message: {mail}"));
    unfolded[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-'))
        .collect()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_an_emailed_link_once() {
    let app = TestApp::new().await;
    app.user("chi-mai", false).await;
    let mut b = Browser::new(&app);
    let (status, html) = b.get("/user/reset").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"login\""));
    let csrf = b.csrf();

    // An unknown address gets the very same answer and no mail.
    let unknown = b
        .post(
            "/user/reset",
            &[("csrf", &csrf), ("login", "ai-do@example.vn")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    let known = b
        .post(
            "/user/reset",
            &[("csrf", &csrf), ("login", "chi-mai@example.gov.vn")],
        )
        .await;
    assert_eq!(known.status, StatusCode::OK);
    let strip = |body: &[u8]| {
        String::from_utf8_lossy(body)
            .replace("chi-mai@example.gov.vn", "")
            .replace("ai-do@example.vn", "")
    };
    assert_eq!(
        strip(&unknown.body),
        strip(&known.body),
        "the form does not tell which accounts exist"
    );

    let mails = app.outbox(1).await;
    assert_eq!(mails.len(), 1, "one message, for the real account");
    assert!(
        mails[0].contains("To: chi-mai@example.gov.vn"),
        "{}",
        mails[0]
    );
    let link = reset_link(&mails[0]);
    assert!(link.starts_with("/user/reset/sen_"), "{link}");

    // A wrong link is refused; the right one shows a form.
    assert_eq!(
        b.get("/user/reset/sen_khong-co").await.0,
        StatusCode::NOT_FOUND
    );
    let (status, html) = b.get(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"password2\""));

    // Passwords that differ, or are too short, are refused and nothing changes.
    let r = b
        .post(
            &link,
            &[
                ("csrf", &csrf),
                ("password", "mat-khau-moi-1"),
                ("password2", "khac"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = b
        .post(
            &link,
            &[("csrf", &csrf), ("password", "ngan"), ("password2", "ngan")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = b
        .post(
            &link,
            &[
                ("csrf", &csrf),
                ("password", "mat-khau-moi-1"),
                ("password2", "mat-khau-moi-1"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{}",
        String::from_utf8_lossy(&r.body)
    );

    // The link works once; the old password no longer does, the new one does.
    assert_eq!(b.get(&link).await.0, StatusCode::NOT_FOUND);
    let mut other = Browser::new(&app);
    other.get("/user/login").await;
    let c = other.csrf();
    let old = other
        .post(
            "/user/login",
            &[
                ("csrf", &c),
                ("name", "chi-mai"),
                ("password", "mật-khẩu-dài"),
            ],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = other
        .post(
            "/user/login",
            &[
                ("csrf", &c),
                ("name", "chi-mai"),
                ("password", "mat-khau-moi-1"),
            ],
        )
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn users_change_their_profile_and_password_only_with_the_old_one() {
    let app = TestApp::new().await;
    let token = app.user("anh-tuan", false).await;
    let other = app.user("chi-lan", false).await;

    // Through the API: a wrong old password is a field error; a right one works.
    let e = app
        .fails(
            "user_patch",
            Some(&token),
            json!({"id": "anh-tuan", "password": "mat-khau-moi-2", "old_password": "sai"}),
            409,
            "Validation Error",
        )
        .await;
    assert!(e["old_password"].is_array(), "{e}");
    let me = app
        .ok(
            "user_patch",
            Some(&token),
            json!({"id": "anh-tuan", "fullname": "Trần Anh Tuấn", "password": "mat-khau-moi-2", "old_password": "mật-khẩu-dài"}),
        )
        .await;
    assert_eq!(me["fullname"], "Trần Anh Tuấn");
    // Nobody changes someone else, nor makes themselves sysadmin.
    app.fails(
        "user_patch",
        Some(&other),
        json!({"id": "anh-tuan", "fullname": "X"}),
        403,
        "Authorization Error",
    )
    .await;
    let e = app
        .fails(
            "user_patch",
            Some(&token),
            json!({"id": "anh-tuan", "sysadmin": true}),
            409,
            "Validation Error",
        )
        .await;
    assert!(e["sysadmin"].is_array(), "{e}");
    let e = app
        .fails(
            "user_patch",
            Some(&token),
            json!({"id": "anh-tuan", "email": "khong-phai-email"}),
            409,
            "Validation Error",
        )
        .await;
    assert!(e["email"].is_array());

    // Through the page: a bad e-mail keeps what was typed.
    let mut b = Browser::new(&app);
    b.log_in("chi-lan").await;
    let (status, _) = b.get("/user/me/edit").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = b.csrf();
    let r = b
        .post(
            "/user/me/edit",
            &[
                ("csrf", &csrf),
                ("fullname", "Nguyễn Thị Lan"),
                ("email", "sai@"),
                ("about", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = String::from_utf8_lossy(&r.body);
    assert!(
        html.contains("value=\"Nguyễn Thị Lan\""),
        "kept what was typed"
    );
    let r = b
        .post(
            "/user/me/edit",
            &[
                ("csrf", &csrf),
                ("fullname", "Nguyễn Thị Lan"),
                ("email", "lan@sotttt.gov.vn"),
                ("about", "Cán bộ"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let shown = app
        .ok("user_show", Some(&other), json!({"id": "chi-lan"}))
        .await;
    assert_eq!(shown["fullname"], "Nguyễn Thị Lan");
    assert_eq!(shown["email"], "lan@sotttt.gov.vn");
}

#[tokio::test]
async fn only_sysadmins_reach_the_operator_pages_and_settings_show_on_the_site() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("cuc-thong-ke", "bien-tap").await;
    app.ok(
        "package_create",
        Some(&editor),
        dataset("dan-so-2024", "cuc-thong-ke"),
    )
    .await;
    app.ok(
        "package_create",
        Some(&editor),
        json!({"name": "noi-bo", "title": "Nội bộ", "owner_org": "cuc-thong-ke", "access_level": "internal"}),
    )
    .await;

    let mut anon = Browser::new(&app);
    let (status, _) = anon.get("/admin/settings").await;
    assert!(
        status.is_redirection(),
        "anonymous visitors are sent to log in: {status}"
    );
    let mut ed = Browser::new(&app);
    ed.log_in("bien-tap").await;
    for path in ["/admin/settings", "/admin/users", "/admin/licenses"] {
        assert_eq!(ed.get(path).await.0, StatusCode::FORBIDDEN, "{path}");
    }
    app.fails(
        "config_option_update",
        Some(&editor),
        json!({"ckan.site_title": "X"}),
        403,
        "Authorization Error",
    )
    .await;

    let mut admin = Browser::new(&app);
    admin.log_in("admin").await;
    let (status, html) = admin.get("/admin/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"featured_datasets\""));
    let csrf = admin.csrf();
    let form = |title: &'static str, featured: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("site_title", title.to_string()),
            ("site_description", String::new()),
            ("site_intro_text", "Dữ liệu mở cho mọi người".to_string()),
            ("site_about", "Cổng do **Bộ Công an** vận hành.".to_string()),
            ("contact_email", "lienhe@data.gov.vn".to_string()),
            ("contact_address", "Hà Nội".to_string()),
            ("featured_datasets", featured.to_string()),
        ]
    };
    let as_pairs = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
    };
    // Featuring an internal dataset is refused, with what was typed kept.
    let bad = as_pairs(&form("Cổng dữ liệu thử nghiệm", "noi-bo"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = admin.post_multipart("/admin/settings", &bad, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&r.body).contains("Cổng dữ liệu thử nghiệm"));
    assert_eq!(
        app.ok(
            "config_option_show",
            Some(&app.admin),
            json!({"key": "sen.featured_datasets"})
        )
        .await,
        json!("")
    );
    let good = as_pairs(&form("Cổng dữ liệu thử nghiệm", "dan-so-2024"));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = admin.post_multipart("/admin/settings", &good, None).await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{}",
        String::from_utf8_lossy(&r.body)
    );

    let (_, home) = anon.get("/").await;
    assert!(
        home.contains("Cổng dữ liệu thử nghiệm"),
        "the new site title shows"
    );
    assert!(
        home.contains("Dữ liệu mở cho mọi người"),
        "the intro text shows"
    );
    assert!(
        home.contains("/dataset/dan-so-2024"),
        "the featured dataset shows"
    );
    let (status, about) = anon.get("/about").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        about.contains("<strong>Bộ Công an</strong>"),
        "about text is Markdown"
    );
    assert!(about.contains("lienhe@data.gov.vn"));
    let status = app.ok("status_show", None, json!({})).await;
    assert_eq!(status["site_title"], "Cổng dữ liệu thử nghiệm");

    // Unknown keys through the API are refused whole.
    let e = app
        .fails(
            "config_option_update",
            Some(&app.admin),
            json!({"ckan.site_title": "Y", "ckan.plugins": "evil"}),
            409,
            "Validation Error",
        )
        .await;
    assert!(e["ckan.plugins"].is_array(), "{e}");
    assert_eq!(
        app.ok(
            "config_option_show",
            Some(&app.admin),
            json!({"key": "ckan.site_title"})
        )
        .await,
        json!("Cổng dữ liệu thử nghiệm")
    );
}

#[tokio::test]
async fn sysadmins_grant_rights_remove_accounts_and_keep_the_licence_register() {
    let app = TestApp::new().await;
    let token = app.user("can-bo", false).await;
    let mut admin = Browser::new(&app);
    admin.log_in("admin").await;
    let (status, html) = admin.get("/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("can-bo"));
    let csrf = admin.csrf();
    let me = app
        .ok("user_show", Some(&token), json!({"id": "can-bo"}))
        .await;
    let id = me["id"].as_str().unwrap().to_string();

    let r = admin
        .post(
            &format!("/admin/users/{id}/sysadmin"),
            &[("csrf", &csrf), ("sysadmin", "true")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.ok("user_show", Some(&token), json!({"id": "can-bo"}))
            .await["sysadmin"],
        json!(true)
    );
    // An operator cannot remove their own rights or account.
    let admin_id = app
        .ok("user_show", Some(&app.admin), json!({"id": "admin"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = admin
        .post(
            &format!("/admin/users/{admin_id}/delete"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Deleting an account ends its tokens at once.
    let r = admin
        .post(&format!("/admin/users/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.fails(
        "user_show",
        Some(&token),
        json!({"id": "can-bo"}),
        403,
        "Authorization Error",
    )
    .await;

    // Licences: a new one appears in the register and on the public licence page.
    let r = admin
        .post(
            "/admin/licenses",
            &[
                ("csrf", &csrf),
                ("mode", "create"),
                ("id", "giay-phep-du-lieu-mo-vn"),
                ("title", "Giấy phép dữ liệu mở Việt Nam"),
                ("url", "https://data.gov.vn/giay-phep"),
                ("is_open", "on"),
                ("domain_data", "on"),
            ],
        )
        .await;
    assert!(
        r.status.is_redirection(),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let list = app.ok("license_list", None, json!({})).await;
    let made = list
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "giay-phep-du-lieu-mo-vn")
        .expect("the new licence is listed")
        .clone();
    assert_eq!(made["od_conformance"], "approved", "{made}");
    let (_, public) = Browser::new(&app).get("/licenses").await;
    assert!(public.contains("Giấy phép dữ liệu mở Việt Nam"));
    // A duplicate identifier is refused; a licence in use cannot be deleted.
    let r = admin
        .post(
            "/admin/licenses",
            &[
                ("csrf", &csrf),
                ("mode", "create"),
                ("id", "giay-phep-du-lieu-mo-vn"),
                ("title", "Khác"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let editor = app.org_with_editor("so-tttt", "bien-tap").await;
    let mut d = dataset("wifi", "so-tttt");
    d["license_id"] = json!("giay-phep-du-lieu-mo-vn");
    app.ok("package_create", Some(&editor), d).await;
    app.fails(
        "license_delete",
        Some(&app.admin),
        json!({"id": "giay-phep-du-lieu-mo-vn"}),
        400,
        "Integrity Error",
    )
    .await;
}

#[tokio::test]
async fn following_counts_and_usage_show_on_dataset_pages() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-gtvt", "bien-tap").await;
    app.ok(
        "package_create",
        Some(&editor),
        dataset("giao-thong", "so-gtvt"),
    )
    .await;
    let reader = app.user("nguoi-doc", false).await;

    // Anonymous visitors are asked to log in before following.
    let mut anon = Browser::new(&app);
    anon.get("/dataset/giao-thong").await;
    let csrf = anon.csrf();
    let r = anon
        .post("/dataset/giao-thong/follow", &[("csrf", &csrf)])
        .await;
    assert!(r.status.is_redirection());
    assert!(
        r.header("location").starts_with("/user/login"),
        "{}",
        r.header("location")
    );
    assert_eq!(
        app.ok("dataset_follower_count", None, json!({"id": "giao-thong"}))
            .await,
        json!(0)
    );

    let mut b = Browser::new(&app);
    b.log_in("nguoi-doc").await;
    b.get("/dataset/giao-thong").await;
    let csrf = b.csrf();
    let r = b
        .post("/dataset/giao-thong/follow", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.ok("dataset_follower_count", None, json!({"id": "giao-thong"}))
            .await,
        json!(1)
    );
    assert_eq!(
        app.ok(
            "am_following_dataset",
            Some(&reader),
            json!({"id": "giao-thong"})
        )
        .await,
        json!(true)
    );
    // Following twice is refused by the API as CKAN does; the page just goes back.
    app.fails(
        "follow_dataset",
        Some(&reader),
        json!({"id": "giao-thong"}),
        409,
        "Validation Error",
    )
    .await;
    let followees = app
        .ok(
            "dataset_followee_list",
            Some(&reader),
            json!({"id": "nguoi-doc"}),
        )
        .await;
    assert_eq!(followees[0]["name"], "giao-thong");
    let (_, html) = b.get("/dataset/giao-thong").await;
    assert!(
        html.contains("name=\"follow\" value=\"false\""),
        "the button now unfollows"
    );

    let r = b
        .post(
            "/dataset/giao-thong/follow",
            &[("csrf", &csrf), ("follow", "false")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.ok("dataset_follower_count", None, json!({"id": "giao-thong"}))
            .await,
        json!(0)
    );

    // Organisations and topics are followed the same way.
    let r = b
        .post("/organization/so-gtvt/follow", &[("csrf", &csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.ok(
            "organization_follower_count",
            None,
            json!({"id": "so-gtvt"})
        )
        .await,
        json!(1)
    );
    // Followers of a dataset nobody may see cannot be counted.
    app.ok(
        "package_create",
        Some(&editor),
        json!({"name": "an", "title": "Ẩn", "owner_org": "so-gtvt", "access_level": "internal"}),
    )
    .await;
    app.fails(
        "dataset_follower_count",
        None,
        json!({"id": "an"}),
        404,
        "Not Found Error",
    )
    .await;
    app.fails(
        "follow_dataset",
        Some(&reader),
        json!({"id": "an"}),
        404,
        "Not Found Error",
    )
    .await;
}
