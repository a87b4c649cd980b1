//! Accounts in the browser flow: forms with anti-forgery tokens, sessions,
//! the profile with API tokens, and what signed-in members may see.

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp};
use serde_json::json;

#[tokio::test]
async fn register_log_out_log_in_and_manage_tokens() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    let (status, html) = b.get("/user/register").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = b.csrf();
    assert!(
        csrf.len() >= 32 && html.contains(&csrf),
        "the form carries the token of the cookie"
    );

    // Errors keep what was typed (never the password) and are shown by the field.
    let r = b
        .post(
            "/user/register",
            &[
                ("csrf", &csrf),
                ("name", "Nguyen Van A"),
                ("fullname", "Nguyễn Văn A"),
                ("email", "a@example.vn"),
                ("password", "mat-khau-dai-1"),
                ("password2", "mat-khau-dai-1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = String::from_utf8_lossy(&r.body);
    assert!(
        html.contains("value=\"Nguyễn Văn A\"") && html.contains("aria-invalid=\"true\""),
        "{html}"
    );
    assert!(!html.contains("mat-khau-dai-1"));
    let r = b
        .post(
            "/user/register",
            &[
                ("csrf", &csrf),
                ("name", "nguyenvana"),
                ("fullname", "Nguyễn Văn A"),
                ("email", "a@example.vn"),
                ("password", "mat-khau-dai-1"),
                ("password2", "khac"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&r.body).contains("Hai mật khẩu không khớp"));

    let r = b
        .post(
            "/user/register",
            &[
                ("csrf", &csrf),
                ("name", "nguyenvana"),
                ("fullname", "Nguyễn Văn A"),
                ("email", "a@example.vn"),
                ("password", "mat-khau-dai-1"),
                ("password2", "mat-khau-dai-1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let session = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("sen_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    let (status, html) = b.get("/user/me").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nguyễn Văn A") && html.contains("a@example.vn"));

    // A token is shown once, listed afterwards without its value, and revocable.
    let r = b
        .post("/user/me/tokens", &[("csrf", &csrf), ("label", "kịch bản")])
        .await;
    let html = String::from_utf8_lossy(&r.body).to_string();
    let token = html
        .split("<code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap()
        .to_string();
    assert!(token.starts_with("sen_"));
    assert_eq!(
        app.ok("user_show", Some(&token), json!({})).await["name"],
        json!("nguyenvana")
    );
    let (_, html) = b.get("/user/me").await;
    assert!(html.contains("kịch bản") && !html.contains(&token));
    let token_id = html
        .split("/user/me/tokens/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let r = b
        .post(
            &format!("/user/me/tokens/{token_id}/revoke"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.fails(
        "user_show",
        Some(&token),
        json!({}),
        403,
        "Authorization Error",
    )
    .await;

    // Log out, then back in.
    let r = b.post("/user/logout", &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (_, html) = b.get("/user/me").await;
    assert!(!html.contains("a@example.vn"));
    let r = b
        .post(
            "/user/login",
            &[
                ("csrf", &csrf),
                ("name", "nguyenvana"),
                ("password", "sai-mat-khau"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(String::from_utf8_lossy(&r.body).contains("value=\"nguyenvana\""));
    let r = b
        .post(
            "/user/login",
            &[
                ("csrf", &csrf),
                ("name", "nguyenvana"),
                ("password", "mat-khau-dai-1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (_, html) = b.get("/").await;
    assert!(
        html.contains("Nguyễn Văn A"),
        "the header shows who is signed in"
    );
}

#[tokio::test]
async fn forms_without_the_anti_forgery_token_are_refused() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.get("/user/login").await;
    for (uri, form) in [
        (
            "/user/login",
            vec![("name", "admin"), ("password", "mật-khẩu-dài")],
        ),
        ("/user/logout", vec![]),
        ("/user/me/tokens", vec![("label", "x")]),
    ] {
        let r = b.post(uri, &form).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        let mut with_wrong = form.clone();
        with_wrong.push(("csrf", "0000000000000000000000000000000000000000"));
        assert_eq!(
            b.post(uri, &with_wrong).await.status,
            StatusCode::FORBIDDEN,
            "{uri}"
        );
    }
}

#[tokio::test]
async fn logins_are_rate_limited() {
    let app = TestApp::new().await;
    let mut b = Browser::new(&app);
    b.get("/user/login").await;
    let csrf = b.csrf();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(
            b.post(
                "/user/login",
                &[("csrf", &csrf), ("name", "admin"), ("password", "sai")],
            )
            .await
            .status
            .as_u16(),
        );
    }
    assert_eq!(statuses[..10], [401; 10]);
    assert_eq!(statuses[10..], [429, 429]);
}

#[tokio::test]
async fn members_see_their_organisations_non_open_data_in_pages() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("bo-cong-an", "can-bo").await;
    app.ok("package_create", Some(&editor), json!({"name": "noi-bo", "title": "Dữ liệu nội bộ về dân cư", "owner_org": "bo-cong-an", "access_level": "internal"})).await;
    let mut anon = Browser::new(&app);
    assert_eq!(anon.get("/dataset/noi-bo").await.0, StatusCode::NOT_FOUND);
    assert!(!anon.get("/dataset?q=dan+cu").await.1.contains("noi-bo"));

    let mut member = Browser::new(&app);
    member.get("/user/login").await;
    let csrf = member.csrf();
    let r = member
        .post(
            "/user/login",
            &[
                ("csrf", &csrf),
                ("name", "can-bo"),
                ("password", "mật-khẩu-dài"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (status, html) = member.get("/dataset/noi-bo").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Dữ liệu dùng riêng"));
    assert!(member
        .get("/dataset?q=dan+cu")
        .await
        .1
        .contains("/dataset/noi-bo"));
}
