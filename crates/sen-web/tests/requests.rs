//! Data requests through the CKAN action API: create → vote → route →
//! answer, with the requester e-mailed at each step, and the permissions
//! (only sysadmins route, only the routed agency answers, anonymous callers
//! neither create nor vote).

mod common;

use common::{dataset, TestApp};
use serde_json::json;

#[tokio::test]
async fn a_request_lives_from_proposal_to_publication_and_the_requester_is_told() {
    let app = TestApp::new().await;
    let citizen = app.user("citizen", false).await;
    let other = app.user("other", false).await;
    let editor = app.org_with_editor("so-gtvt", "editor").await;
    let outsider = app.org_with_editor("so-yte", "outsider").await;

    // Anonymous callers may neither create nor vote.
    app.fails(
        "data_request_create",
        None,
        json!({"title": "Giờ xe buýt", "description": "Lịch chạy"}),
        403,
        "Authorization Error",
    )
    .await;

    // Bad input: every missing field at once, and too long a title.
    let e = app
        .fails(
            "data_request_create",
            Some(&citizen),
            json!({}),
            409,
            "Validation Error",
        )
        .await;
    assert!(
        e.get("title").is_some() && e.get("description").is_some(),
        "{e}"
    );
    let long = "x".repeat(201);
    let e = app
        .fails(
            "data_request_create",
            Some(&citizen),
            json!({"title": long, "description": "d"}),
            409,
            "Validation Error",
        )
        .await;
    assert!(e.get("title").is_some(), "{e}");

    let r = app
        .ok(
            "data_request_create",
            Some(&citizen),
            json!({"title": "Lịch chạy xe buýt Hà Nội", "description": "Giờ chạy từng tuyến",
                   "reason": "Để lập kế hoạch đi lại", "suggested_agency": "Sở Giao thông vận tải"}),
        )
        .await;
    let id = r["id"].as_str().unwrap().to_string();
    assert_eq!(r["status"], "open");
    assert_eq!(r["requester"], "citizen");
    assert!(
        !r.to_string().contains("@example.gov.vn"),
        "no e-mail in {r}"
    );

    app.fails(
        "data_request_vote",
        None,
        json!({"id": id}),
        403,
        "Authorization Error",
    )
    .await;
    // A double vote counts once; withdrawing removes it.
    app.ok("data_request_vote", Some(&other), json!({"id": id}))
        .await;
    let v = app
        .ok("data_request_vote", Some(&other), json!({"id": id}))
        .await;
    assert_eq!(v["votes"], 1);
    app.ok("data_request_vote", Some(&citizen), json!({"id": id}))
        .await;
    let v = app
        .ok(
            "data_request_vote",
            Some(&citizen),
            json!({"id": id, "withdraw": true}),
        )
        .await;
    assert_eq!(v["votes"], 1);

    app.ok(
        "data_request_comment",
        Some(&other),
        json!({"id": id, "comment": "Tôi cũng cần"}),
    )
    .await;
    app.fails(
        "data_request_comment",
        Some(&other),
        json!({"id": id, "comment": "  "}),
        409,
        "Validation Error",
    )
    .await;

    // Only sysadmins route; an unknown organisation is a field error.
    app.fails(
        "data_request_route",
        Some(&editor),
        json!({"id": id, "organization": "so-gtvt"}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "data_request_route",
        Some(&app.admin),
        json!({"id": id, "organization": "khong-co"}),
        409,
        "Validation Error",
    )
    .await;
    // Before routing, no agency answers.
    app.fails(
        "data_request_answer",
        Some(&editor),
        json!({"id": id, "status": "under_review"}),
        403,
        "Authorization Error",
    )
    .await;
    let r = app
        .ok(
            "data_request_route",
            Some(&app.admin),
            json!({"id": id, "organization": "so-gtvt"}),
        )
        .await;
    assert_eq!(r["status"], "routed");
    assert_eq!(r["organization"]["name"], "so-gtvt");

    // Another agency cannot answer.
    app.fails(
        "data_request_answer",
        Some(&outsider),
        json!({"id": id, "status": "under_review"}),
        403,
        "Authorization Error",
    )
    .await;
    let r = app
        .ok(
            "data_request_answer",
            Some(&editor),
            json!({"id": id, "status": "under_review"}),
        )
        .await;
    assert_eq!(r["status"], "under_review");
    // A refusal without reasons, a plan without a date, a bad status: refused.
    let e = app
        .fails(
            "data_request_answer",
            Some(&editor),
            json!({"id": id, "status": "refused", "answer": " "}),
            409,
            "Validation Error",
        )
        .await;
    assert!(e.get("answer").is_some(), "{e}");
    let e = app
        .fails(
            "data_request_answer",
            Some(&editor),
            json!({"id": id, "status": "planned", "planned_date": "31/12/2027"}),
            409,
            "Validation Error",
        )
        .await;
    assert!(e.get("planned_date").is_some(), "{e}");
    app.fails(
        "data_request_answer",
        Some(&editor),
        json!({"id": id, "status": "done"}),
        409,
        "Validation Error",
    )
    .await;
    let r = app
        .ok(
            "data_request_answer",
            Some(&editor),
            json!({"id": id, "status": "planned", "planned_date": "2027-06-30", "answer": "Quý 2/2027"}),
        )
        .await;
    assert_eq!(r["planned_date"], "2027-06-30");

    // Published needs a public dataset: a private one is refused and not leaked.
    let mut private = dataset("xe-buyt-noi-bo", "so-gtvt");
    private["private"] = json!(true);
    app.ok("package_create", Some(&editor), private).await;
    let e = app
        .fails(
            "data_request_answer",
            Some(&editor),
            json!({"id": id, "status": "published", "dataset": "xe-buyt-noi-bo"}),
            409,
            "Validation Error",
        )
        .await;
    assert!(e.get("dataset").is_some(), "{e}");
    app.ok(
        "package_create",
        Some(&editor),
        dataset("lich-xe-buyt", "so-gtvt"),
    )
    .await;
    let r = app
        .ok(
            "data_request_answer",
            Some(&editor),
            json!({"id": id, "status": "published", "dataset": "lich-xe-buyt", "answer": "Đã công bố"}),
        )
        .await;
    assert_eq!(r["dataset"]["name"], "lich-xe-buyt");

    // Anyone reads it, with its comments and votes.
    let r = app.ok("data_request_show", None, json!({"id": id})).await;
    assert_eq!(r["status"], "published");
    assert_eq!(r["votes"], 1);
    assert_eq!(r["comments"][0]["comment"], "Tôi cũng cần");

    // Mail: comment, routing, three answers.
    let mails = app.outbox(5).await;
    let to_citizen: Vec<_> = mails
        .iter()
        .filter(|m| m.contains("citizen@example.gov.vn"))
        .collect();
    assert_eq!(to_citizen.len(), 5, "{mails:?}");
    assert!(to_citizen.iter().any(|m| m.contains(&id)));
}

#[tokio::test]
async fn requests_are_listed_by_votes_or_newest_and_filtered() {
    let app = TestApp::new().await;
    let a = app.user("an", false).await;
    let b = app.user("binh", false).await;
    app.org_with_editor("so-tn", "ed").await;
    let first = app
        .ok(
            "data_request_create",
            Some(&a),
            json!({"title": "Một", "description": "d"}),
        )
        .await;
    let second = app
        .ok(
            "data_request_create",
            Some(&a),
            json!({"title": "Hai", "description": "d"}),
        )
        .await;
    app.ok("data_request_vote", Some(&a), json!({"id": first["id"]}))
        .await;
    app.ok("data_request_vote", Some(&b), json!({"id": first["id"]}))
        .await;
    let l = app
        .ok("data_request_list", None, json!({"sort": "votes"}))
        .await;
    assert_eq!(l["count"], 2);
    assert_eq!(l["results"][0]["id"], first["id"]);
    assert_eq!(l["results"][0]["votes"], 2);
    let l = app.ok("data_request_list", None, json!({})).await;
    assert_eq!(l["results"][0]["id"], second["id"]);
    app.ok(
        "data_request_route",
        Some(&app.admin),
        json!({"id": second["id"], "organization": "so-tn"}),
    )
    .await;
    let l = app
        .ok("data_request_list", None, json!({"organization": "so-tn"}))
        .await;
    assert_eq!(l["count"], 1);
    let l = app
        .ok("data_request_list", None, json!({"status": "open"}))
        .await;
    assert_eq!(l["count"], 1);
    assert_eq!(l["results"][0]["id"], first["id"]);
    app.fails(
        "data_request_list",
        None,
        json!({"status": "x", "sort": "y"}),
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "data_request_show",
        None,
        json!({"id": "none"}),
        404,
        "Not Found Error",
    )
    .await;
}

mod pages {
    use super::common::{Browser, TestApp};
    use axum::http::StatusCode;

    fn html(r: &super::common::Reply) -> String {
        String::from_utf8_lossy(&r.body).replace("&#x2f;", "/")
    }

    #[tokio::test]
    async fn a_request_goes_through_the_pages_in_both_languages() {
        let app = TestApp::new().await;
        app.user("citizen", false).await;
        let editor_token = app.org_with_editor("so-gtvt", "editor").await;
        let _ = editor_token;

        // Anonymous visitors see the list in Vietnamese and English, and are
        // sent to sign in by the form.
        let mut anon = Browser::new(&app);
        let (s, page) = anon.get("/requests").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Yêu cầu dữ liệu"), "{page}");
        let (s, page) = anon.get("/requests?lang=en").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Data requests"), "{page}");
        let (s, _) = anon.get("/requests/new").await;
        assert_eq!(s, StatusCode::SEE_OTHER);

        let mut b = Browser::new(&app);
        b.log_in("citizen").await;
        let (s, _) = b.get("/requests/new").await;
        assert_eq!(s, StatusCode::OK);
        let csrf = b.csrf();
        // A form without a description is refused and keeps what was typed.
        let r = b
            .post(
                "/requests/new",
                &[
                    ("csrf", &csrf),
                    ("title", "Giờ xe buýt <b>"),
                    ("description", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = html(&r);
        assert!(page.contains("Giờ xe buýt &lt;b&gt;"), "{page}");
        assert!(page.contains("f-description-error"), "{page}");
        // Without the anti-forgery token nothing is saved.
        let r = b
            .post("/requests/new", &[("title", "x"), ("description", "y")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = b
            .post(
                "/requests/new",
                &[
                    ("csrf", &csrf),
                    ("title", "Giờ xe buýt"),
                    ("description", "Lịch từng tuyến"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let at = r.header("location").to_string();
        let id = at.trim_start_matches("/requests/").to_string();
        let r = b.post(&format!("{at}/vote"), &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let (_, page) = b.get(&at).await;
        assert!(
            page.contains("Rút bình chọn") && page.contains("1 bình chọn"),
            "{page}"
        );
        // The requester neither routes nor answers.
        assert!(
            !page.contains("/route\"") && !page.contains("/answer\""),
            "{page}"
        );

        let mut admin = Browser::new(&app);
        admin.log_in("admin").await;
        let (_, page) = admin.get(&at).await;
        assert!(page.contains(&format!("/requests/{id}/route")), "{page}");
        let csrf = admin.csrf();
        let r = admin
            .post(
                &format!("{at}/route"),
                &[("csrf", &csrf), ("organization", "so-gtvt")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);

        let mut ed = Browser::new(&app);
        ed.log_in("editor").await;
        let (_, page) = ed.get(&format!("{at}?lang=en")).await;
        assert!(page.contains("Answer this request"), "{page}");
        let csrf = ed.csrf();
        let r = ed
            .post(
                &format!("{at}/answer"),
                &[("csrf", &csrf), ("status", "refused"), ("answer", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html(&r).contains("f-answer-error"));
        let r = ed
            .post(
                &format!("{at}/answer"),
                &[
                    ("csrf", &csrf),
                    ("status", "refused"),
                    ("answer", "Dữ liệu mật"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let (_, page) = anon.get(&at).await;
        // This visitor chose English earlier (the language cookie).
        assert!(
            page.contains("Refused") && page.contains("Dữ liệu mật"),
            "{page}"
        );
        let (s, _) = anon.get("/requests/khong-co").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, page) = anon.get("/requests?status=bogus").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{page}");
    }
}

#[tokio::test]
async fn the_rest_api_serves_requests_and_feedback() {
    use axum::http::Method;
    let app = TestApp::new().await;
    let citizen = app.user("citizen", false).await;
    let r = app
        .send(
            Method::POST,
            "/api/v1/requests",
            None,
            Some(json!({"title": "t", "description": "d"})),
        )
        .await;
    assert_eq!(r.status.as_u16(), 403);
    let r = app
        .send(
            Method::POST,
            "/api/v1/requests",
            Some(&citizen),
            Some(json!({"title": "Giá đất", "description": "Bảng giá"})),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.json());
    let id = r.json()["id"].as_str().unwrap().to_string();
    let r = app
        .send(
            Method::PUT,
            &format!("/api/v1/requests/{id}/vote"),
            Some(&citizen),
            None,
        )
        .await;
    assert_eq!(r.json()["votes"], 1);
    let r = app.get("/api/v1/requests?sort=votes", None).await;
    assert_eq!(r.json()["count"], 1);
    let r = app
        .send(
            Method::DELETE,
            &format!("/api/v1/requests/{id}/vote"),
            Some(&citizen),
            None,
        )
        .await;
    assert_eq!(r.json()["votes"], 0);
    let r = app.get("/api/v1/requests?status=nope", None).await;
    assert_eq!(r.status.as_u16(), 409);
    let r = app
        .send(
            Method::POST,
            "/api/v1/feedback",
            Some(&citizen),
            Some(json!({"category": "other", "message": "Trang chậm"})),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.json());
    let r = app.get("/api/v1/feedback", Some(&app.admin)).await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(1));
    let r = app.get("/api/v1/feedback", Some(&citizen)).await;
    assert_eq!(r.status.as_u16(), 403);
}
