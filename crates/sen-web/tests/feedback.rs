//! "Report a problem": anonymous reports reach the publishing agency's queue
//! and no other; the honeypot drops bots silently; bursts are throttled;
//! the answer is e-mailed; the contact is never shown publicly.

mod common;

use axum::http::StatusCode;
use common::{dataset, Browser, TestApp};
use serde_json::json;

#[tokio::test]
async fn an_anonymous_report_reaches_the_publishing_agency_and_is_answered() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-gtvt", "editor").await;
    let other = app.org_with_editor("so-yte", "other").await;
    app.ok(
        "package_create",
        Some(&editor),
        dataset("lich-xe-buyt", "so-gtvt"),
    )
    .await;

    let mut anon = Browser::new(&app);
    let (s, page) = anon.get("/dataset/lich-xe-buyt").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Phản ánh sự cố"), "{page}");
    let csrf = anon.csrf();
    // Bad input: no message, a bad address; what was typed stays.
    let r = anon
        .post(
            "/dataset/lich-xe-buyt/feedback",
            &[
                ("csrf", &csrf),
                ("category", "broken_link"),
                ("message", ""),
                ("contact_email", "không-phải-email"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = String::from_utf8_lossy(&r.body).to_string();
    assert!(
        body.contains("f-message-error") && body.contains("f-contact_email-error"),
        "{body}"
    );
    assert!(body.contains("không-phải-email"), "{body}");
    let r = anon
        .post(
            "/dataset/lich-xe-buyt/feedback",
            &[("csrf", &csrf), ("category", "nonsense"), ("message", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let r = anon
        .post(
            "/dataset/lich-xe-buyt/feedback",
            &[
                ("csrf", &csrf),
                ("category", "broken_link"),
                ("message", "Liên kết tải về bị hỏng"),
                ("contact_email", "dan@example.com"),
                ("public", "on"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{}",
        String::from_utf8_lossy(&r.body)
    );

    // The agency's queue shows it, with the contact; another agency's does not,
    // and that agency cannot open this queue.
    let queue = app
        .ok(
            "feedback_list",
            Some(&editor),
            json!({"organization": "so-gtvt"}),
        )
        .await;
    assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
    assert_eq!(queue[0]["contact_email"], "dan@example.com");
    assert_eq!(queue[0]["dataset"]["name"], "lich-xe-buyt");
    let theirs = app
        .ok(
            "feedback_list",
            Some(&other),
            json!({"organization": "so-yte"}),
        )
        .await;
    assert_eq!(theirs, json!([]));
    app.fails(
        "feedback_list",
        Some(&other),
        json!({"organization": "so-gtvt"}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "feedback_list",
        None,
        json!({"organization": "so-gtvt"}),
        403,
        "Authorization Error",
    )
    .await;
    let id = queue[0]["id"].as_str().unwrap().to_string();
    // Another agency cannot answer it: for them it does not exist.
    app.fails(
        "feedback_answer",
        Some(&other),
        json!({"id": id, "status": "closed"}),
        404,
        "Not Found Error",
    )
    .await;
    app.fails(
        "feedback_answer",
        Some(&editor),
        json!({"id": id, "status": "answered"}),
        409,
        "Validation Error",
    )
    .await;

    // Through the queue page: the editor answers.
    let mut ed = Browser::new(&app);
    ed.log_in("editor").await;
    let (_, org_page) = ed.get("/organization/so-gtvt").await;
    assert!(
        org_page.contains("/organization/so-gtvt/feedback"),
        "{org_page}"
    );
    let (s, page) = ed.get("/organization/so-gtvt/feedback").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("dan@example.com") && page.contains("Liên kết tải về bị hỏng"),
        "{page}"
    );
    let mut ot = Browser::new(&app);
    ot.log_in("other").await;
    let (s, page) = ot.get("/organization/so-gtvt/feedback").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{page}");
    assert!(!page.contains("dan@example.com"));
    let csrf = ed.csrf();
    let r = ed
        .post(
            &format!("/feedback/{id}/answer"),
            &[
                ("csrf", &csrf),
                ("organization", "so-gtvt"),
                ("status", "answered"),
                ("answer", "Đã sửa liên kết"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // The reporter is e-mailed the answer.
    let mails = app.outbox(1).await;
    assert!(
        mails.iter().any(|m| m.contains("dan@example.com")),
        "{mails:?}"
    );

    // The public report shows its status on the dataset page, never the contact.
    let (_, page) = anon.get("/dataset/lich-xe-buyt").await;
    assert!(
        page.contains("Đã trả lời") && page.contains("Đã sửa liên kết"),
        "{page}"
    );
    assert!(!page.contains("dan@example.com"), "{page}");
    let public = app
        .ok("feedback_list", None, json!({"dataset": "lich-xe-buyt"}))
        .await;
    assert!(!public.to_string().contains("dan@example.com"), "{public}");
    assert_eq!(public[0]["status"], "answered");
    // The whole list is for sysadmins.
    app.fails(
        "feedback_list",
        Some(&editor),
        json!({}),
        403,
        "Authorization Error",
    )
    .await;
    let all = app.ok("feedback_list", Some(&app.admin), json!({})).await;
    assert_eq!(all.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bots_are_dropped_bursts_throttled_and_private_reports_stay_private() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-tn", "editor").await;
    app.ok("package_create", Some(&editor), dataset("dat-dai", "so-tn"))
        .await;
    let mut b = Browser::new(&app);
    b.get("/feedback").await;
    let csrf = b.csrf();
    // The honeypot: answered as a success, stored nowhere.
    let r = b
        .post(
            "/feedback",
            &[
                ("csrf", &csrf),
                ("category", "other"),
                ("message", "mua ngay"),
                ("website", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let all = app.ok("feedback_list", Some(&app.admin), json!({})).await;
    assert_eq!(all, json!([]));
    // A private report on a dataset does not show publicly.
    let r = b
        .post(
            "/feedback",
            &[
                ("csrf", &csrf),
                ("dataset", "dat-dai"),
                ("category", "outdated"),
                ("message", "Số liệu năm 2019"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let public = app
        .ok("feedback_list", None, json!({"dataset": "dat-dai"}))
        .await;
    assert_eq!(public, json!([]));
    let queue = app
        .ok(
            "feedback_list",
            Some(&editor),
            json!({"organization": "so-tn"}),
        )
        .await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    // General reports and a burst: the sixth post in ten minutes is refused with 429.
    for i in 0..4 {
        let r = b
            .post(
                "/feedback",
                &[
                    ("csrf", &csrf),
                    ("category", "other"),
                    ("message", &format!("góp ý {i}")),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let r = b
        .post(
            "/feedback",
            &[
                ("csrf", &csrf),
                ("category", "other"),
                ("message", "lần nữa"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let body = String::from_utf8_lossy(&r.body).to_string();
    assert!(
        body.contains("nhiều phản ánh trong thời gian ngắn"),
        "{body}"
    );
    assert!(body.contains("lần nữa"), "what was typed stays: {body}");
    // Pages in both languages.
    let (s, page) = b.get("/feedback?lang=en").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Report a problem"));
    let (s, page) = b.get("/feedback?lang=vi").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Phản ánh sự cố"));
}
