//! Access levels for government staff, access requests and grants, and the
//! audit log: the permission matrix (levels × roles × paths), the request
//! workflow end to end, and the audit export.

mod common;

use axum::http::StatusCode;
use common::{Browser, TestApp};
use serde_json::{json, Value};

const LEVELS: [&str; 3] = ["open", "shared", "internal"];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Anonymous,
    Citizen,
    Owner,
    OtherStaff,
    Granted,
    Sysadmin,
}

const ROLES: [Role; 6] = [
    Role::Anonymous,
    Role::Citizen,
    Role::Owner,
    Role::OtherStaff,
    Role::Granted,
    Role::Sysadmin,
];

impl Role {
    fn user(self) -> Option<&'static str> {
        match self {
            Role::Anonymous => None,
            Role::Citizen => Some("cong-dan"),
            Role::Owner => Some("bien-tap-a"),
            Role::OtherStaff => Some("can-bo-b"),
            Role::Granted => Some("can-bo-c"),
            Role::Sysadmin => Some("quan-tri"),
        }
    }

    /// Whether the dataset's metadata exists for this role.
    fn sees_metadata(self, level: &str) -> bool {
        match level {
            "open" => true,
            "shared" => !matches!(self, Role::Anonymous | Role::Citizen),
            _ => matches!(self, Role::Owner | Role::Sysadmin),
        }
    }

    /// Whether this role may read the dataset's data (files, datastore).
    fn reads_data(self, level: &str) -> bool {
        match level {
            "open" => true,
            "shared" => matches!(self, Role::Owner | Role::Granted | Role::Sysadmin),
            _ => matches!(self, Role::Owner | Role::Sysadmin),
        }
    }
}

async fn drain_jobs(app: &TestApp) {
    let mut n = 0;
    while app
        .catalog
        .run_one_job("test-worker")
        .await
        .expect("job queue")
    {
        n += 1;
        assert!(n < 50, "jobs keep coming");
    }
}

struct World {
    app: TestApp,
    tokens: Vec<(Role, Option<String>)>,
    /// (level, dataset name, resource id)
    sets: Vec<(&'static str, String, String)>,
}

impl World {
    fn token(&self, role: Role) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(r, _)| *r == role)
            .and_then(|(_, t)| t.as_deref())
    }
}

/// Agency A owns one dataset per level, each with a CSV table; agency B's
/// staff have no grant; agency C's staff hold a grant for the shared one.
async fn world() -> World {
    let app = TestApp::new().await;
    let owner = app.org_with_editor("bo-a", "bien-tap-a").await;
    let other = app.org_with_editor("bo-b", "can-bo-b").await;
    let granted = app.org_with_editor("bo-c", "can-bo-c").await;
    let citizen = app.user("cong-dan", false).await;
    let sysadmin = app.admin.clone();
    let mut sets = Vec::new();
    for level in LEVELS {
        let name = format!("du-lieu-{level}");
        app.ok(
            "package_create",
            Some(&owner),
            json!({"name": name, "title": format!("Dữ liệu {level}"), "owner_org": "bo-a",
                   "access_level": level, "tags": [{"name": "kiem-tra"}], "license_id": "cc-by-4.0"}),
        )
        .await;
        let r = app
            .post_multipart(
                "/api/3/action/resource_create",
                Some(&owner),
                &[("package_id", &name), ("name", "bang.csv")],
                Some(("bang.csv", "ma,ten\n01,Hà Nội\n79,Hồ Chí Minh\n".as_bytes())),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        let rid = r.json()["result"]["id"].as_str().unwrap().to_string();
        sets.push((level, name, rid));
    }
    drain_jobs(&app).await;
    let req = app
        .ok(
            "access_request_create",
            Some(&granted),
            json!({"package_id": "du-lieu-shared", "purpose": "Đối chiếu dân cư",
                   "legal_basis": "Nghị định 47/2020/NĐ-CP", "period": "2026-2027"}),
        )
        .await;
    app.ok(
        "access_request_decide",
        Some(&owner),
        json!({"id": req["id"], "decision": "approve", "expires": "2099-12-31"}),
    )
    .await;
    World {
        app,
        tokens: vec![
            (Role::Anonymous, None),
            (Role::Citizen, Some(citizen)),
            (Role::Owner, Some(owner)),
            (Role::OtherStaff, Some(other)),
            (Role::Granted, Some(granted)),
            (Role::Sysadmin, Some(sysadmin)),
        ],
        sets,
    }
}

#[tokio::test]
async fn the_permission_matrix_holds_on_every_path() {
    let w = world().await;
    let app = &w.app;
    for role in ROLES {
        let token = w.token(role);
        // Search: results and facet counts over what the role may see.
        let found = app
            .ok(
                "package_search",
                token,
                json!({"fq": "tags:kiem-tra", "include_private": true, "facet.field": ["access_level"]}),
            )
            .await;
        let names: Vec<&str> = found["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = w
            .sets
            .iter()
            .filter(|(l, _, _)| role.sees_metadata(l))
            .map(|(_, n, _)| n.as_str())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        let mut exp = expected.clone();
        exp.sort();
        assert_eq!(sorted, exp, "{role:?}: package_search results");
        assert_eq!(found["count"], json!(exp.len()), "{role:?}: count");
        let mut facets = serde_json::Map::new();
        for (l, _, _) in &w.sets {
            if role.sees_metadata(l) {
                facets.insert(l.to_string(), json!(1));
            }
        }
        assert_eq!(
            found["facets"]["access_level"],
            Value::Object(facets),
            "{role:?}: facets"
        );
        let ttl = app.get("/catalog.ttl", token).await;
        assert_eq!(ttl.status, StatusCode::OK);
        let ttl = String::from_utf8_lossy(&ttl.body).to_string();
        let atom = app.get("/feeds/dataset.atom", token).await;
        assert_eq!(atom.status, StatusCode::OK);
        let atom = String::from_utf8_lossy(&atom.body).to_string();

        for (level, name, rid) in &w.sets {
            let meta = role.sees_metadata(level);
            let data = role.reads_data(level);
            let ctx = format!("{role:?} × {level}");
            // CKAN API
            let r = app.action("package_show", token, json!({"id": name})).await;
            assert_eq!(
                r.status == StatusCode::OK,
                meta,
                "{ctx}: package_show {}",
                r.status
            );
            if !meta {
                assert_eq!(r.status, StatusCode::NOT_FOUND, "{ctx}");
            }
            // REST API
            let r = app.get(&format!("/api/v1/datasets/{name}"), token).await;
            assert_eq!(
                r.status == StatusCode::OK,
                meta,
                "{ctx}: REST show {}",
                r.status
            );
            // Resource download
            let r = app
                .get(&format!("/dataset/{name}/resource/{rid}/download"), token)
                .await;
            assert_eq!(
                r.status == StatusCode::OK,
                data,
                "{ctx}: download {}",
                r.status
            );
            if data {
                assert!(String::from_utf8_lossy(&r.body).contains("Hà Nội"), "{ctx}");
            } else {
                assert!(
                    !String::from_utf8_lossy(&r.body).contains("Hà Nội"),
                    "{ctx}"
                );
                // Who cannot see the dataset learns nothing: Not Found.
                if !meta {
                    assert_eq!(r.status, StatusCode::NOT_FOUND, "{ctx}");
                }
            }
            // Datastore
            let r = app
                .action("datastore_search", token, json!({"resource_id": rid}))
                .await;
            assert_eq!(
                r.status == StatusCode::OK,
                data,
                "{ctx}: datastore_search {}",
                r.status
            );
            if data {
                assert_eq!(r.json()["result"]["total"], json!(2), "{ctx}");
            }
            let r = app
                .get(&format!("/api/v1/resources/{rid}/data"), token)
                .await;
            assert_eq!(
                r.status == StatusCode::OK,
                data,
                "{ctx}: REST data {}",
                r.status
            );
            // Exports show the metadata the caller may see.
            assert_eq!(ttl.contains(name.as_str()), meta, "{ctx}: catalog.ttl");
            assert_eq!(atom.contains(name.as_str()), meta, "{ctx}: atom feed");
        }
    }
    // The sitemap is for everyone: open data only, whoever asks.
    let sitemap = app.get("/sitemap.xml", w.token(Role::Sysadmin)).await;
    let body = String::from_utf8_lossy(&sitemap.body);
    assert!(body.contains("du-lieu-open"));
    assert!(!body.contains("du-lieu-shared") && !body.contains("du-lieu-internal"));
}

#[tokio::test]
async fn dataset_pages_follow_the_matrix() {
    let w = world().await;
    for role in ROLES {
        let mut b = Browser::new(&w.app);
        if let Some(user) = role.user() {
            if role == Role::Sysadmin {
                continue; // the test sysadmin has no password; its API paths are covered above
            }
            b.log_in(user).await;
        }
        for (level, name, _) in &w.sets {
            let (status, html) = b.get(&format!("/dataset/{name}")).await;
            let meta = role.sees_metadata(level);
            assert_eq!(
                status == StatusCode::OK,
                meta,
                "{role:?} × {level}: page {status}"
            );
            if !meta {
                assert!(
                    !html.contains(&format!("Dữ liệu {level}")),
                    "{role:?} × {level}"
                );
            }
        }
        // The search page counts only what the role may see.
        let (_, html) = b.get("/dataset?tags=kiem-tra").await;
        for (level, name, _) in &w.sets {
            assert_eq!(
                html.contains(&format!("/dataset/{name}\"")),
                role.sees_metadata(level),
                "{role:?} × {level}: search page"
            );
        }
    }
}

#[tokio::test]
async fn the_request_workflow_end_to_end() {
    let app = TestApp::new().await;
    let owner = app.org_with_editor("bo-a", "bien-tap-a").await;
    let staff = app.org_with_editor("bo-b", "can-bo-b").await;
    let colleague = app.user("dong-nghiep-b", false).await;
    app.ok(
        "organization_member_create",
        Some(&app.admin),
        json!({"id": "bo-b", "username": "dong-nghiep-b", "role": "member"}),
    )
    .await;
    let citizen = app.user("cong-dan", false).await;
    app.ok(
        "package_create",
        Some(&owner),
        json!({"name": "chia-se", "title": "Dữ liệu chia sẻ", "owner_org": "bo-a", "access_level": "shared"}),
    )
    .await;
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(&owner),
            &[("package_id", "chia-se"), ("name", "bang.csv")],
            Some(("bang.csv", b"ma,ten\n01,Ha Noi\n".as_slice())),
        )
        .await;
    let rid = r.json()["result"]["id"].as_str().unwrap().to_string();
    drain_jobs(&app).await;
    let download = format!("/dataset/chia-se/resource/{rid}/download");

    // Bad requests: missing fields; a citizen; the owning agency itself; an open dataset.
    let e = app
        .fails(
            "access_request_create",
            Some(&staff),
            json!({"package_id": "chia-se"}),
            409,
            "Validation Error",
        )
        .await;
    for f in ["purpose", "legal_basis", "period"] {
        assert!(e.get(f).is_some(), "{f}: {e}");
    }
    let full = json!({"package_id": "chia-se", "purpose": "Thống kê", "legal_basis": "Luật Dữ liệu 2024", "period": "12 tháng"});
    app.fails(
        "access_request_create",
        Some(&citizen),
        full.clone(),
        404,
        "Not Found Error",
    )
    .await;
    app.fails(
        "access_request_create",
        Some(&owner),
        full.clone(),
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "access_request_create",
        None,
        full.clone(),
        403,
        "Authorization Error",
    )
    .await;

    // Request → refusal without reasons rejected → refusal → escalation.
    let req = app
        .ok("access_request_create", Some(&staff), full.clone())
        .await;
    assert_eq!(req["state"], "pending");
    let id = req["id"].as_str().unwrap().to_string();
    let mails = app.outbox(1).await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("bien-tap-a@example.gov.vn")),
        "{mails:?}"
    );
    // Staff of the requesting agency see it; others do not.
    app.ok("access_request_show", Some(&colleague), json!({"id": id}))
        .await;
    app.fails(
        "access_request_show",
        Some(&citizen),
        json!({"id": id}),
        404,
        "Not Found Error",
    )
    .await;
    // Only the owning agency decides.
    app.fails(
        "access_request_decide",
        Some(&staff),
        json!({"id": id, "decision": "approve", "expires": "2099-01-01"}),
        403,
        "Authorization Error",
    )
    .await;
    let e = app
        .fails(
            "access_request_decide",
            Some(&owner),
            json!({"id": id, "decision": "refuse"}),
            409,
            "Validation Error",
        )
        .await;
    assert!(
        e.get("reason").is_some() && e.get("legal_basis").is_some(),
        "{e}"
    );
    let e = app
        .fails(
            "access_request_decide",
            Some(&owner),
            json!({"id": id, "decision": "refuse", "reason": "Dữ liệu nhạy cảm"}),
            409,
            "Validation Error",
        )
        .await;
    assert!(e.get("legal_basis").is_some(), "{e}");
    let refused = app
        .ok("access_request_decide", Some(&owner), json!({"id": id, "decision": "refuse", "reason": "Dữ liệu nhạy cảm", "legal_basis": "Điều 18 Luật Dữ liệu"}))
        .await;
    assert_eq!(refused["state"], "refused");
    assert_eq!(
        app.get(&download, Some(&staff)).await.status,
        StatusCode::FORBIDDEN
    );
    let disputed = app
        .ok(
            "access_request_escalate",
            Some(&staff),
            json!({"id": id, "reason": "Cần cho báo cáo Chính phủ"}),
        )
        .await;
    assert_eq!(disputed["state"], "disputed");
    // The operator is told, with the reason (quoted-printable in the body).
    let mails = app.outbox(3).await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: admin@example.gov.vn") && m.contains("Ch=C3=ADnh")),
        "{mails:?}"
    );
    // A disputed request cannot be escalated again.
    app.fails(
        "access_request_escalate",
        Some(&staff),
        json!({"id": id}),
        409,
        "Validation Error",
    )
    .await;

    // The operator decides the dispute: approved with a near expiry.
    let soon = sen_domain::time::format(chrono::Utc::now() + chrono::Duration::seconds(2));
    let approved = app
        .ok(
            "access_request_decide",
            Some(&app.admin),
            json!({"id": id, "decision": "approve", "expires": soon}),
        )
        .await;
    assert_eq!(approved["state"], "approved");
    let states: Vec<&str> = approved["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["create", "refuse", "escalate", "approve"]);
    // A member's token works, also of a colleague in the same agency.
    let r = app.get(&download, Some(&colleague)).await;
    assert_eq!(r.status, StatusCode::OK);
    app.ok(
        "datastore_search",
        Some(&staff),
        json!({"resource_id": rid}),
    )
    .await;
    // Expiry: unreadable again.
    tokio::time::sleep(std::time::Duration::from_millis(2200)).await;
    assert_eq!(
        app.get(&download, Some(&staff)).await.status,
        StatusCode::FORBIDDEN
    );
    let e = app
        .fails(
            "datastore_search",
            Some(&staff),
            json!({"resource_id": rid}),
            403,
            "Authorization Error",
        )
        .await;
    assert!(
        e.to_string().contains("access_grant_required") || e["message"].is_string(),
        "{e}"
    );

    // A second request, approved for a year, then revoked.
    let req2 = app
        .ok("access_request_create", Some(&staff), full.clone())
        .await;
    let approved = app
        .ok("access_request_decide", Some(&owner), json!({"id": req2["id"], "decision": "approve", "expires": "2099-12-31", "resource_ids": [rid]}))
        .await;
    assert_eq!(approved["state"], "approved");
    assert_eq!(
        app.get(&download, Some(&staff)).await.status,
        StatusCode::OK
    );
    let grants = app.ok("access_grant_list", Some(&staff), json!({})).await;
    let live: Vec<&Value> = grants
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["active"] == true)
        .collect();
    assert_eq!(live.len(), 1, "{grants}");
    assert_eq!(live[0]["resource_ids"], json!([rid]));
    let gid = live[0]["id"].clone();
    // The grantee cannot revoke; the owner can, once.
    app.fails(
        "access_grant_revoke",
        Some(&staff),
        json!({"id": gid}),
        403,
        "Authorization Error",
    )
    .await;
    let revoked = app
        .ok("access_grant_revoke", Some(&owner), json!({"id": gid}))
        .await;
    assert_eq!(revoked["active"], false);
    app.fails(
        "access_grant_revoke",
        Some(&owner),
        json!({"id": gid}),
        409,
        "Validation Error",
    )
    .await;
    assert_eq!(
        app.get(&download, Some(&staff)).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(app
        .get("/api/3/action/access_grant_list", Some(&citizen))
        .await
        .json()["result"]
        .as_array()
        .unwrap()
        .is_empty());

    // Overdue: with a deadline of 0 days the clock flags the request and
    // mails the owning agency and the operator, once.
    app.ok(
        "config_option_update",
        Some(&app.admin),
        json!({"sen.access_request_days": "0"}),
    )
    .await;
    app.fails(
        "config_option_update",
        Some(&app.admin),
        json!({"sen.access_request_days": "abc"}),
        409,
        "Validation Error",
    )
    .await;
    let late = app
        .ok("access_request_create", Some(&staff), full.clone())
        .await;
    let before = app.outbox(1).await.len();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert_eq!(app.catalog.flag_overdue_access_requests().await.unwrap(), 1);
    assert_eq!(app.catalog.flag_overdue_access_requests().await.unwrap(), 0);
    let mails = app.outbox(before + 2).await;
    let new = &mails[before..];
    assert!(
        new.iter().any(|m| m.contains("bien-tap-a@example.gov.vn")),
        "{new:?}"
    );
    assert!(
        new.iter().any(|m| m.contains(late["id"].as_str().unwrap())),
        "{new:?}"
    );
    let shown = app
        .ok(
            "access_request_show",
            Some(&owner),
            json!({"id": late["id"]}),
        )
        .await;
    assert_eq!(shown["overdue"], true);
    // An overdue request may be escalated by the requester.
    let d = app
        .ok(
            "access_request_escalate",
            Some(&staff),
            json!({"id": late["id"]}),
        )
        .await;
    assert_eq!(d["state"], "disputed");
    // The inbox lists what the agency received.
    let inbox = app.ok("access_request_list", Some(&owner), json!({})).await;
    assert_eq!(inbox.as_array().unwrap().len(), 3);
    assert!(app
        .ok("access_request_list", Some(&citizen), json!({}))
        .await
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn reads_of_non_open_data_and_decisions_are_audited_and_exported() {
    let w = world().await;
    let app = &w.app;
    let other = w.token(Role::OtherStaff).unwrap();
    let granted = w.token(Role::Granted).unwrap();
    let rid = w.sets[1].2.clone();
    app.ok("package_show", Some(other), json!({"id": "du-lieu-shared"}))
        .await;
    app.ok("package_show", Some(other), json!({"id": "du-lieu-open"}))
        .await;
    app.ok(
        "datastore_search",
        Some(granted),
        json!({"resource_id": rid}),
    )
    .await;
    let r = app
        .get(
            &format!("/dataset/du-lieu-shared/resource/{rid}/download"),
            Some(granted),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // Only sysadmins search the log.
    app.fails(
        "audit_log_search",
        Some(other),
        json!({}),
        403,
        "Authorization Error",
    )
    .await;
    let all = app
        .ok("audit_log_search", Some(&app.admin), json!({}))
        .await;
    let actions: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"access_request_decide"), "{actions:?}");
    assert!(actions.contains(&"datastore_read"), "{actions:?}");
    assert!(actions.contains(&"resource_download"), "{actions:?}");
    assert!(!all.to_string().contains("du-lieu-open"));
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["access_level"] != "open"));
    let by_user = app
        .ok(
            "audit_log_search",
            Some(&app.admin),
            json!({"user": "can-bo-b", "action": "package_show"}),
        )
        .await;
    assert_eq!(by_user.as_array().unwrap().len(), 1, "{by_user}");
    assert_eq!(by_user[0]["access_level"], "shared");
    let by_org = app
        .ok(
            "audit_log_search",
            Some(&app.admin),
            json!({"organization": "bo-a", "package_id": "du-lieu-shared", "user": "can-bo-c"}),
        )
        .await;
    assert_eq!(by_org.as_array().unwrap().len(), 2, "{by_org}");
    let none = app
        .ok(
            "audit_log_search",
            Some(&app.admin),
            json!({"to": "2000-01-01"}),
        )
        .await;
    assert!(none.as_array().unwrap().is_empty());
    let today = &sen_domain::time::now()[..10];
    let day = app
        .ok(
            "audit_log_search",
            Some(&app.admin),
            json!({"from": today, "to": today}),
        )
        .await;
    assert_eq!(day.as_array().unwrap().len(), all.as_array().unwrap().len());
    app.fails(
        "audit_log_search",
        Some(&app.admin),
        json!({"from": "hôm qua"}),
        409,
        "Validation Error",
    )
    .await;

    // CSV export (sysadmins only).
    let csv = app
        .get("/admin/audit.csv?user=can-bo-c", Some(&app.admin))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").starts_with("text/csv"));
    let text = String::from_utf8_lossy(&csv.body);
    assert!(text.starts_with("at,user_id,user_name,action"));
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.contains("\"resource_download\"") && text.contains("\"datastore_read\""));
    assert_eq!(
        app.get("/admin/audit.csv", Some(other)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/admin/audit.csv", None).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn sharing_pages_render_in_both_languages() {
    let w = world().await;
    let app = &w.app;
    app.user("van-hanh", true).await;

    // Staff of another agency: the request form on the dataset page, then the request page.
    let mut staff = Browser::new(app);
    staff.log_in("can-bo-b").await;
    let (_, html) = staff.get("/dataset/du-lieu-shared").await;
    assert!(
        html.contains("/dataset/du-lieu-shared/access-request"),
        "no form"
    );
    assert!(html.contains("Yêu cầu truy cập dữ liệu"));
    let (_, open) = staff.get("/dataset/du-lieu-open").await;
    assert!(!open.contains("/access-request\""), "no form on open data");
    // Missing fields: the form answers with the errors, nothing is created.
    let csrf = staff.csrf();
    let r = staff
        .post(
            "/dataset/du-lieu-shared/access-request",
            &[("csrf", &csrf), ("purpose", "Thống kê")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = staff
        .post(
            "/dataset/du-lieu-shared/access-request",
            &[
                ("csrf", &csrf),
                ("purpose", "Thống kê"),
                ("legal_basis", "Luật Dữ liệu"),
                ("period", "1 năm"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let location = r.header("location").to_string();
    assert!(location.starts_with("/access-requests/"));
    let (status, vi) = staff.get(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(vi.contains("Lịch sử") && vi.contains("Thống kê"), "{vi}");
    let (_, en) = staff.get(&format!("{location}?lang=en")).await;
    assert!(en.contains("History") && en.contains("Purpose"), "{en}");

    // The owning agency: inbox, refusal without reasons refused, refusal.
    let mut owner = Browser::new(app);
    owner.log_in("bien-tap-a").await;
    let (_, inbox) = owner.get("/access-requests").await;
    assert!(inbox.contains(&location), "{inbox}");
    let csrf = owner.csrf();
    let r = owner
        .post(
            &format!("{location}/decide"),
            &[("csrf", &csrf), ("decision", "refuse")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = owner
        .post(
            &format!("{location}/decide"),
            &[
                ("csrf", &csrf),
                ("decision", "refuse"),
                ("reason", "Nhạy cảm"),
                ("legal_basis", "Điều 18"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A citizen cannot see the request.
    let mut citizen = Browser::new(app);
    citizen.log_in("cong-dan").await;
    let (status, _) = citizen.get(&location).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The operator's audit page in both languages; others are refused.
    let mut op = Browser::new(app);
    op.log_in("van-hanh").await;
    let (status, vi) = op.get("/admin/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        vi.contains("Nhật ký truy cập") && vi.contains("access_request_decide"),
        "{vi}"
    );
    let (_, en) = op
        .get("/admin/audit?lang=en&action=access_request_decide")
        .await;
    assert!(
        en.contains("Audit log") && en.contains("Download as CSV"),
        "{en}"
    );
    let (status, _) = op.get("/admin/audit?from=nope").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, csv) = op
        .get("/admin/audit.csv?action=access_request_decide")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    let (status, _) = staff.get("/admin/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
