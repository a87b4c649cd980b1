//! The CKAN Action API v3 through HTTP, as CKAN clients use it.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{dataset, TestApp};
use serde_json::json;

#[tokio::test]
async fn both_paths_answer_with_the_ckan_envelope() {
    let app = TestApp::new().await;
    for path in ["/api/3/action/status_show", "/api/action/status_show"] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, StatusCode::OK);
        let v = r.json();
        assert_eq!(v["success"], json!(true));
        assert!(v["help"]
            .as_str()
            .unwrap()
            .contains("help_show?name=status_show"));
        assert_eq!(v["result"]["ckan_version"], json!("2.10.4"));
    }
    assert_eq!(app.ok("site_read", None, json!({})).await, json!(true));
    assert_eq!(app.get("/api/3", None).await.json()["version"], json!(3));
}

#[tokio::test]
async fn dataset_lifecycle_create_show_update_patch_delete() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-y-te", "bien-tap").await;
    let created = app
        .ok(
            "package_create",
            Some(&editor),
            dataset("dan-so-ha-noi", "so-y-te"),
        )
        .await;
    assert_eq!(created["name"], json!("dan-so-ha-noi"));
    assert_eq!(created["private"], json!(false));
    assert_eq!(created["access_level"], json!("open"));
    assert_eq!(
        created["license_title"],
        json!("Creative Commons Attribution 4.0")
    );
    assert_eq!(created["isopen"], json!(true));
    assert_eq!(created["num_tags"], json!(2));
    assert_eq!(created["organization"]["name"], json!("so-y-te"));

    // Shown by name and by id, over GET and POST.
    let by_name = app
        .get("/api/3/action/package_show?id=dan-so-ha-noi", None)
        .await
        .json();
    assert_eq!(by_name["result"]["id"], created["id"]);
    let by_id = app
        .ok("package_show", None, json!({"id": created["id"]}))
        .await;
    assert_eq!(by_id["name"], json!("dan-so-ha-noi"));
    assert_eq!(
        app.ok("package_list", None, json!({})).await,
        json!(["dan-so-ha-noi"])
    );

    // package_update replaces scalars but keeps the tags it was not given.
    let updated = app
        .ok(
            "package_update",
            Some(&editor),
            json!({"id": "dan-so-ha-noi", "title": "Dân số", "owner_org": "so-y-te"}),
        )
        .await;
    assert_eq!(updated["title"], json!("Dân số"));
    assert_eq!(updated["notes"], json!(""));
    assert_eq!(updated["num_tags"], json!(2));

    // package_patch changes only what it names.
    let patched = app
        .ok(
            "package_patch",
            Some(&editor),
            json!({"id": "dan-so-ha-noi", "notes": "Mô tả mới"}),
        )
        .await;
    assert_eq!(patched["title"], json!("Dân số"));
    assert_eq!(patched["notes"], json!("Mô tả mới"));

    // Activity records who changed what.
    let activity = app
        .ok(
            "package_activity_list",
            None,
            json!({"id": "dan-so-ha-noi"}),
        )
        .await;
    let kinds: Vec<_> = activity
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["activity_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["changed package", "changed package", "new package"]);
    let changes = &activity[0]["data"]["changes"];
    assert!(
        changes
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["field"] == "notes" && c["new"] == "Mô tả mới"),
        "{changes}"
    );

    assert_eq!(
        app.ok(
            "package_delete",
            Some(&editor),
            json!({"id": "dan-so-ha-noi"})
        )
        .await,
        json!(null)
    );
    app.fails(
        "package_show",
        None,
        json!({"id": "dan-so-ha-noi"}),
        404,
        "Not Found Error",
    )
    .await;
    assert_eq!(app.ok("package_list", None, json!({})).await, json!([]));
    // The name stays taken, as in CKAN.
    let e = app
        .fails(
            "package_create",
            Some(&editor),
            dataset("dan-so-ha-noi", "so-y-te"),
            409,
            "Validation Error",
        )
        .await;
    assert!(e["name"].is_array(), "{e}");
    let recent = app
        .ok("recently_changed_packages_activity_list", None, json!({}))
        .await;
    assert_eq!(
        recent.as_array().unwrap().len(),
        0,
        "deleted datasets drop out of the public feed"
    );
}

#[tokio::test]
async fn bad_input_gets_ckan_errors_and_changes_nothing() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("bo-tai-chinh", "ke-toan").await;
    let admin = app.admin.clone();

    // Bad JSON.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/3/action/package_create")
        .header("authorization", &editor)
        .header("content-type", "application/json")
        .body(Body::from("{\"name\": "))
        .unwrap();
    let r = app.request(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["__type"], json!("Bad request"));

    // A JSON body that is not an object.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/3/action/package_create")
        .header("authorization", &editor)
        .header("content-type", "application/json")
        .body(Body::from("[1, 2]"))
        .unwrap();
    assert_eq!(app.request(req).await.status, StatusCode::BAD_REQUEST);

    // Unknown action.
    let r = app.get("/api/3/action/no_such_action", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no_such_action"));

    // Missing auth, and a bad token.
    app.fails(
        "package_create",
        None,
        dataset("x1", "bo-tai-chinh"),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "package_create",
        Some("sen_not-a-real-token"),
        dataset("x1", "bo-tai-chinh"),
        403,
        "Authorization Error",
    )
    .await;
    // Write actions refuse GET.
    assert_eq!(
        app.get("/api/3/action/package_create?name=x1", Some(&editor))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // Wrong types, unknown licence, bad slug, missing organisation: all reported at once.
    let e = app.fails("package_create", Some(&editor), json!({"name": "Tên Sai", "title": {"a": 1}, "license_id": "khong-co", "tags": "x", "private": "maybe"}), 409, "Validation Error").await;
    for field in ["name", "title", "license_id", "owner_org", "private"] {
        assert!(e[field].is_array(), "{field} missing in {e}");
    }
    // Messages are translated: Vietnamese by default, English on request.
    let vi = app
        .fails(
            "package_create",
            Some(&editor),
            json!({"name": "a", "owner_org": "bo-tai-chinh"}),
            409,
            "Validation Error",
        )
        .await;
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/3/action/package_create")
        .header("authorization", &editor)
        .header("accept-language", "en-US,en;q=0.9")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"name": "a", "owner_org": "bo-tai-chinh"}).to_string(),
        ))
        .unwrap();
    let en = app.request(req).await.json();
    assert_ne!(vi["name"], en["error"]["name"]);
    assert!(
        en["error"]["name"][0]
            .as_str()
            .unwrap()
            .contains("at least"),
        "{en}"
    );

    // Unknown organisation; an organisation the user may not publish in.
    app.fails(
        "package_create",
        Some(&editor),
        dataset("x2", "khong-ton-tai"),
        409,
        "Validation Error",
    )
    .await;
    app.ok(
        "organization_create",
        Some(&admin),
        json!({"name": "bo-khac"}),
    )
    .await;
    app.fails(
        "package_create",
        Some(&editor),
        dataset("x3", "bo-khac"),
        403,
        "Authorization Error",
    )
    .await;

    // Duplicate name.
    app.ok(
        "package_create",
        Some(&editor),
        dataset("trung-ten", "bo-tai-chinh"),
    )
    .await;
    app.fails(
        "package_create",
        Some(&editor),
        dataset("trung-ten", "bo-tai-chinh"),
        409,
        "Validation Error",
    )
    .await;

    // Not found.
    app.fails(
        "package_show",
        None,
        json!({"id": "khong-co"}),
        404,
        "Not Found Error",
    )
    .await;
    app.fails("package_show", None, json!({}), 409, "Validation Error")
        .await;
    app.fails(
        "resource_show",
        None,
        json!({"id": "khong-co"}),
        404,
        "Not Found Error",
    )
    .await;
    app.fails(
        "organization_show",
        None,
        json!({"id": "khong-co"}),
        404,
        "Not Found Error",
    )
    .await;

    // Bad search parameters are Search Query Errors or Validation Errors, never 500.
    app.fails(
        "package_search",
        None,
        json!({"fq": "tags:\"open"}),
        400,
        "Search Query Error",
    )
    .await;
    app.fails(
        "package_search",
        None,
        json!({"q": "nosuchfield:x"}),
        400,
        "Search Query Error",
    )
    .await;
    app.fails(
        "package_search",
        None,
        json!({"sort": "popularity desc"}),
        400,
        "Search Query Error",
    )
    .await;
    app.fails(
        "package_search",
        None,
        json!({"rows": "many"}),
        409,
        "Validation Error",
    )
    .await;

    // Nothing but the one good dataset was created.
    assert_eq!(
        app.ok("package_list", None, json!({})).await,
        json!(["trung-ten"])
    );
}

#[tokio::test]
async fn tokens_work_in_every_header_and_can_be_revoked() {
    let app = TestApp::new().await;
    let token = app.user("nguoi-dung", false).await;
    for (name, value) in [
        ("authorization", token.clone()),
        ("authorization", format!("Bearer {token}")),
        ("x-ckan-api-key", token.clone()),
    ] {
        let req = Request::builder()
            .uri("/api/3/action/user_show")
            .header(name, value)
            .body(Body::empty())
            .unwrap();
        let v = app.request(req).await.json();
        assert_eq!(v["result"]["name"], json!("nguoi-dung"), "{name}");
        assert_eq!(v["result"]["email"], json!("nguoi-dung@example.gov.vn"));
    }
    // A second token, listed but never shown again, then revoked.
    let made = app
        .ok(
            "api_token_create",
            Some(&token),
            json!({"user": "nguoi-dung", "name": "script"}),
        )
        .await;
    let second = made["token"].as_str().unwrap().to_string();
    let list = app
        .ok(
            "api_token_list",
            Some(&second),
            json!({"user_id": "nguoi-dung"}),
        )
        .await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(!list.to_string().contains(&second));
    app.ok("api_token_revoke", Some(&token), json!({"token": second}))
        .await;
    app.fails(
        "user_show",
        Some(&second),
        json!({}),
        403,
        "Authorization Error",
    )
    .await;
    // Someone else's token list is not yours to see.
    let other = app.user("nguoi-khac", false).await;
    app.fails(
        "api_token_list",
        Some(&other),
        json!({"user_id": "nguoi-dung"}),
        403,
        "Authorization Error",
    )
    .await;
    // Expired tokens stop working.
    let past = app
        .ok(
            "api_token_create",
            Some(&token),
            json!({"name": "ngan", "expires_in": 1, "unit": 1}),
        )
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    app.fails(
        "user_show",
        Some(past["token"].as_str().unwrap()),
        json!({}),
        403,
        "Authorization Error",
    )
    .await;
    // Other users' e-mail addresses stay private.
    let shown = app
        .ok("user_show", Some(&other), json!({"id": "nguoi-dung"}))
        .await;
    assert!(shown.get("email").is_none());
}

#[tokio::test]
async fn only_sysadmins_create_users_and_organisations() {
    let app = TestApp::new().await;
    let plain = app.user("thuong", false).await;
    app.fails(
        "user_create",
        Some(&plain),
        json!({"name": "moi", "email": "moi@example.vn", "password": "12345678"}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "organization_create",
        Some(&plain),
        json!({"name": "to-chuc"}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "group_create",
        Some(&plain),
        json!({"name": "chu-de"}),
        403,
        "Authorization Error",
    )
    .await;
    let u = app.ok("user_create", Some(&app.admin), json!({"name": "moi", "email": "moi@example.vn", "password": "12345678", "fullname": "Người Mới"})).await;
    assert_eq!(u["display_name"], json!("Người Mới"));
    app.fails(
        "user_create",
        Some(&app.admin),
        json!({"name": "ngan", "email": "khong-phai-email", "password": "1"}),
        409,
        "Validation Error",
    )
    .await;
    let users = app.ok("user_list", None, json!({})).await;
    assert_eq!(users.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn organisations_hierarchy_successors_and_members() {
    let app = TestApp::new().await;
    let admin = app.admin.clone();
    app.ok(
        "organization_create",
        Some(&admin),
        json!({"name": "bo-tai-chinh", "title": "Bộ Tài chính", "kind": "ministry"}),
    )
    .await;
    app.ok("organization_create", Some(&admin), json!({"name": "cuc-thong-ke", "title": "Cục Thống kê", "kind": "department", "parent": "bo-tai-chinh"})).await;
    app.ok("organization_create", Some(&admin), json!({"name": "tinh-quang-nam", "title": "Tỉnh Quảng Nam", "kind": "province", "valid_to": "2025-06-30"})).await;
    app.ok(
        "organization_create",
        Some(&admin),
        json!({"name": "tp-da-nang", "title": "Thành phố Đà Nẵng", "kind": "province"}),
    )
    .await;
    let merged = app
        .ok(
            "organization_patch",
            Some(&admin),
            json!({"id": "tinh-quang-nam", "successor": "tp-da-nang"}),
        )
        .await;
    assert_eq!(merged["successor"]["name"], json!("tp-da-nang"));
    assert_eq!(merged["valid_to"], json!("2025-06-30"));
    assert_eq!(
        merged["title"],
        json!("Tỉnh Quảng Nam"),
        "patch keeps other fields"
    );
    let ministry = app
        .ok("organization_show", None, json!({"id": "bo-tai-chinh"}))
        .await;
    assert_eq!(ministry["children"][0]["name"], json!("cuc-thong-ke"));
    // No cycles, no self-succession, known kinds only.
    app.fails(
        "organization_patch",
        Some(&admin),
        json!({"id": "bo-tai-chinh", "parent": "cuc-thong-ke"}),
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "organization_patch",
        Some(&admin),
        json!({"id": "tp-da-nang", "successor": "tp-da-nang"}),
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "organization_create",
        Some(&admin),
        json!({"name": "x-org", "kind": "planet"}),
        409,
        "Validation Error",
    )
    .await;

    // Lists: names by default, dicts with all_fields, sorted by title.
    assert_eq!(
        app.ok("organization_list", None, json!({}))
            .await
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let all = app
        .ok(
            "organization_list",
            None,
            json!({"all_fields": true, "sort": "name asc"}),
        )
        .await;
    assert_eq!(all[0]["name"], json!("bo-tai-chinh"));
    assert_eq!(all[0]["package_count"], json!(0));

    // Members and roles.
    let editor = app.user("bien-tap", false).await;
    app.ok(
        "organization_member_create",
        Some(&admin),
        json!({"id": "cuc-thong-ke", "username": "bien-tap", "role": "editor"}),
    )
    .await;
    let mine = app
        .ok(
            "organization_list_for_user",
            Some(&editor),
            json!({"permission": "create_dataset"}),
        )
        .await;
    assert_eq!(mine[0]["name"], json!("cuc-thong-ke"));
    assert_eq!(
        app.ok("organization_list_for_user", Some(&editor), json!({}))
            .await,
        json!([]),
        "editors cannot manage the organisation"
    );
    app.fails(
        "organization_update",
        Some(&editor),
        json!({"id": "cuc-thong-ke", "title": "X"}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "organization_member_create",
        Some(&editor),
        json!({"id": "cuc-thong-ke", "username": "bien-tap", "role": "admin"}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "organization_member_create",
        Some(&admin),
        json!({"id": "cuc-thong-ke", "username": "bien-tap", "role": "boss"}),
        409,
        "Validation Error",
    )
    .await;

    // An organisation with datasets cannot be deleted.
    app.ok(
        "package_create",
        Some(&editor),
        dataset("so-lieu", "cuc-thong-ke"),
    )
    .await;
    app.fails(
        "organization_delete",
        Some(&admin),
        json!({"id": "cuc-thong-ke"}),
        409,
        "Validation Error",
    )
    .await;
    app.ok(
        "organization_member_delete",
        Some(&admin),
        json!({"id": "cuc-thong-ke", "username": "bien-tap"}),
    )
    .await;
    app.fails(
        "package_patch",
        Some(&editor),
        json!({"id": "so-lieu", "title": "Y"}),
        403,
        "Authorization Error",
    )
    .await;
    app.ok(
        "organization_delete",
        Some(&admin),
        json!({"id": "tp-da-nang"}),
    )
    .await;
    app.fails(
        "organization_show",
        None,
        json!({"id": "tp-da-nang"}),
        404,
        "Not Found Error",
    )
    .await;
}

#[tokio::test]
async fn topics_tags_and_licences() {
    let app = TestApp::new().await;
    let admin = app.admin.clone();
    let editor = app.org_with_editor("so-gd", "giao-vien").await;
    app.ok(
        "group_create",
        Some(&admin),
        json!({"name": "giao-duc", "title": "Giáo dục"}),
    )
    .await;
    app.ok(
        "group_create",
        Some(&admin),
        json!({"name": "y-te", "title": "Y tế"}),
    )
    .await;
    let mut d = dataset("truong-hoc", "so-gd");
    d["groups"] = json!([{"name": "giao-duc"}]);
    let created = app.ok("package_create", Some(&editor), d).await;
    assert_eq!(created["groups"][0]["name"], json!("giao-duc"));
    app.ok("member_create", Some(&editor), json!({"id": "y-te", "object": "truong-hoc", "object_type": "package", "capacity": "public"})).await;
    let shown = app
        .ok("package_show", None, json!({"id": "truong-hoc"}))
        .await;
    assert_eq!(shown["groups"].as_array().unwrap().len(), 2);
    let topic = app
        .ok(
            "group_show",
            None,
            json!({"id": "y-te", "include_datasets": true}),
        )
        .await;
    assert_eq!(topic["package_count"], json!(1));
    assert_eq!(topic["packages"][0]["name"], json!("truong-hoc"));
    app.ok(
        "member_delete",
        Some(&editor),
        json!({"id": "y-te", "object": "truong-hoc", "object_type": "package"}),
    )
    .await;
    assert_eq!(
        app.ok("group_show", None, json!({"id": "y-te"})).await["package_count"],
        json!(0)
    );
    let groups = app
        .ok(
            "group_list",
            None,
            json!({"all_fields": true, "sort": "package_count desc"}),
        )
        .await;
    assert_eq!(groups[0]["name"], json!("giao-duc"));
    app.ok(
        "group_update",
        Some(&admin),
        json!({"id": "y-te", "title": "Y tế và sức khỏe"}),
    )
    .await;
    app.ok("group_delete", Some(&admin), json!({"id": "y-te"}))
        .await;
    assert_eq!(
        app.ok("group_list", None, json!({})).await,
        json!(["giao-duc"])
    );

    assert_eq!(
        app.ok("tag_list", None, json!({})).await,
        json!(["dân số", "hà nội"])
    );
    assert_eq!(
        app.ok("tag_list", None, json!({"query": "dân"})).await,
        json!(["dân số"])
    );
    let tag = app
        .ok(
            "tag_show",
            None,
            json!({"id": "dân số", "include_datasets": true}),
        )
        .await;
    assert_eq!(tag["packages"][0]["name"], json!("truong-hoc"));
    app.fails(
        "package_patch",
        Some(&editor),
        json!({"id": "truong-hoc", "tags": [{"name": "x"}]}),
        409,
        "Validation Error",
    )
    .await;

    let licenses = app.ok("license_list", None, json!({})).await;
    let ids: Vec<_> = licenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    for id in [
        "cc-by",
        "cc-by-sa",
        "cc-zero",
        "odc-odbl",
        "other-closed",
        "notspecified",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    let ccby = licenses
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "cc-by")
        .unwrap();
    assert_eq!(ccby["od_conformance"], json!("approved"));
}

#[tokio::test]
async fn search_first_version_filters_facets_and_accents() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-noi-vu", "bien-tap").await;
    let mut a = dataset("dan-so-ha-noi", "so-noi-vu");
    a["title"] = json!("Dân số Hà Nội 2024");
    app.ok("package_create", Some(&editor), a).await;
    let mut b = dataset("truong-hoc-da-nang", "so-noi-vu");
    b["title"] = json!("Trường học Đà Nẵng");
    b["tags"] = json!([{"name": "giáo dục"}]);
    b["notes"] = json!("Danh sách trường");
    b["resources"] = json!([{"name": "Danh sách", "url": "https://example.gov.vn/truong.xlsx"}]);
    app.ok("package_create", Some(&editor), b).await;

    for q in ["ha noi", "HÀ NỘI", "hà nội", "Ha Noi"] {
        let r = app.ok("package_search", None, json!({"q": q})).await;
        assert_eq!(r["count"], json!(1), "{q}");
        assert_eq!(r["results"][0]["name"], json!("dan-so-ha-noi"), "{q}");
    }
    let r = app
        .ok("package_search", None, json!({"q": "da nang"}))
        .await;
    assert_eq!(r["results"][0]["name"], json!("truong-hoc-da-nang"));
    // GET with facet.field as a JSON string, as ckanapi and browsers send it.
    let r = app
        .get(
            "/api/3/action/package_search?facet.field=%5B%22tags%22%2C%22res_format%22%5D&rows=1",
            None,
        )
        .await
        .json();
    let result = &r["result"];
    assert_eq!(result["count"], json!(2));
    assert_eq!(result["results"].as_array().unwrap().len(), 1);
    assert_eq!(result["facets"]["res_format"]["XLSX"], json!(1));
    assert_eq!(
        result["search_facets"]["tags"]["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // fq in the harvesters' dialect.
    let r = app
        .ok(
            "package_search",
            None,
            json!({"fq": "tags:\"giáo dục\" +dataset_type:dataset", "sort": "name asc"}),
        )
        .await;
    assert_eq!(r["count"], json!(1));
    let r = app
        .ok("package_search", None, json!({"fq": "-tags:\"giáo dục\""}))
        .await;
    assert_eq!(r["results"][0]["name"], json!("dan-so-ha-noi"));
    let r = app.ok("package_search", None, json!({"fq": "metadata_modified:[2020-01-01T00:00:00Z TO *]", "sort": "metadata_modified asc"})).await;
    assert_eq!(r["count"], json!(2));
    assert_eq!(r["results"][0]["name"], json!("dan-so-ha-noi"));
    let r = app
        .ok(
            "package_search",
            None,
            json!({"fq_list": ["organization:so-noi-vu", "res_format:XLSX"]}),
        )
        .await;
    assert_eq!(r["count"], json!(1));
    let r = app
        .ok(
            "package_search",
            None,
            json!({"rows": 5000, "start": 1, "sort": "title_string asc"}),
        )
        .await;
    assert_eq!(r["results"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn non_open_data_is_invisible_to_those_not_entitled() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("bo-cong-an", "can-bo").await;
    let outsider = app.user("nguoi-ngoai", false).await;
    let member = app.user("thanh-vien", false).await;
    app.ok(
        "organization_member_create",
        Some(&app.admin),
        json!({"id": "bo-cong-an", "username": "thanh-vien", "role": "member"}),
    )
    .await;

    let mut internal = dataset("du-lieu-dan-cu", "bo-cong-an");
    internal["access_level"] = json!("internal");
    internal["data_class"] = json!("core");
    internal["tags"] = json!([{"name": "bí mật"}]);
    let created = app.ok("package_create", Some(&editor), internal).await;
    assert_eq!(created["private"], json!(true));
    let mut private = dataset("du-lieu-rieng", "bo-cong-an");
    private["private"] = json!(true);
    let p = app.ok("package_create", Some(&editor), private).await;
    assert_eq!(
        p["access_level"],
        json!("internal"),
        "CKAN's private maps to internal"
    );
    let mut shared = dataset("du-lieu-chia-se", "bo-cong-an");
    shared["access_level"] = json!("shared");
    shared["data_class"] = json!("important");
    assert_eq!(
        app.ok("package_create", Some(&editor), shared).await["private"],
        json!(true)
    );
    app.ok(
        "package_create",
        Some(&editor),
        dataset("du-lieu-mo", "bo-cong-an"),
    )
    .await;

    // Important or core data can never be open; private must agree with the level.
    let mut bad = dataset("quan-trong-mo", "bo-cong-an");
    bad["data_class"] = json!("important");
    bad["access_level"] = json!("open");
    app.fails(
        "package_create",
        Some(&editor),
        bad,
        409,
        "Validation Error",
    )
    .await;
    let mut bad = dataset("mau-thuan", "bo-cong-an");
    bad["access_level"] = json!("shared");
    bad["private"] = json!(false);
    app.fails(
        "package_create",
        Some(&editor),
        bad,
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "package_patch",
        Some(&editor),
        json!({"id": "du-lieu-dan-cu", "access_level": "open"}),
        409,
        "Validation Error",
    )
    .await;
    // A client unaware of access levels updating a dataset never opens it.
    let kept = app
        .ok(
            "package_update",
            Some(&editor),
            json!({"id": "du-lieu-chia-se", "owner_org": "bo-cong-an", "title": "Cập nhật"}),
        )
        .await;
    assert_eq!(kept["access_level"], json!("shared"));

    for (who, token) in [("anonymous", None), ("outsider", Some(outsider.as_str()))] {
        app.fails(
            "package_show",
            token,
            json!({"id": "du-lieu-dan-cu"}),
            404,
            "Not Found Error",
        )
        .await;
        app.fails(
            "package_activity_list",
            token,
            json!({"id": "du-lieu-dan-cu"}),
            404,
            "Not Found Error",
        )
        .await;
        let r = app.ok("package_search", token, json!({"include_private": true, "facet.field": ["tags", "access_level", "organization"]})).await;
        assert_eq!(r["count"], json!(1), "{who}");
        assert!(
            !r.to_string().contains("bí mật"),
            "{who} sees a private tag in facets"
        );
        assert_eq!(r["facets"]["access_level"], json!({"open": 1}), "{who}");
        assert_eq!(
            app.ok("package_list", token, json!({})).await,
            json!(["du-lieu-mo"])
        );
        let org = app
            .ok("organization_show", token, json!({"id": "bo-cong-an"}))
            .await;
        assert_eq!(org["package_count"], json!(1), "{who}: counts leak");
        assert!(!app
            .ok("tag_list", token, json!({}))
            .await
            .to_string()
            .contains("bí mật"));
        app.fails(
            "tag_show",
            token,
            json!({"id": "bí mật"}),
            404,
            "Not Found Error",
        )
        .await;
        let recent = app
            .ok("recently_changed_packages_activity_list", token, json!({}))
            .await;
        assert!(!recent.to_string().contains("du-lieu-dan-cu"), "{who}");
        let org = app
            .ok(
                "organization_show",
                token,
                json!({"id": "bo-cong-an", "include_datasets": true}),
            )
            .await;
        assert_eq!(org["packages"].as_array().unwrap().len(), 1);
    }
    // Members of the owning organisation and sysadmins see everything.
    for token in [member.as_str(), editor.as_str(), app.admin.as_str()] {
        app.ok("package_show", Some(token), json!({"id": "du-lieu-dan-cu"}))
            .await;
        let r = app
            .ok(
                "package_search",
                Some(token),
                json!({"include_private": true}),
            )
            .await;
        assert_eq!(r["count"], json!(4));
        // Without include_private, search shows only open data (CKAN's default).
        assert_eq!(
            app.ok("package_search", Some(token), json!({})).await["count"],
            json!(1)
        );
    }
    // Members may read but not write.
    app.fails(
        "package_patch",
        Some(&member),
        json!({"id": "du-lieu-dan-cu", "title": "X"}),
        403,
        "Authorization Error",
    )
    .await;
}

#[tokio::test]
async fn resources_by_url_update_reorder_delete() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-gtvt", "ky-su").await;
    let p = app
        .ok(
            "package_create",
            Some(&editor),
            dataset("giao-thong", "so-gtvt"),
        )
        .await;
    let r1 = app.ok("resource_create", Some(&editor), json!({"package_id": "giao-thong", "url": "https://example.gov.vn/tai-nan.csv", "name": "Tai nạn", "custom_field": "giá trị"})).await;
    assert_eq!(r1["format"], json!("CSV"), "format guessed from the URL");
    assert_eq!(r1["custom_field"], json!("giá trị"), "extra fields kept");
    assert_eq!(r1["url_type"], json!(null));
    let r2 = app
        .ok(
            "resource_create",
            Some(&editor),
            json!({"package_id": p["id"], "url": "https://example.gov.vn/api", "format": "API"}),
        )
        .await;
    assert_eq!(r2["position"], json!(1));
    app.fails(
        "resource_create",
        Some(&editor),
        json!({"package_id": "giao-thong"}),
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "resource_create",
        Some(&editor),
        json!({"package_id": "khong-co", "url": "https://x.vn/a"}),
        404,
        "Not Found Error",
    )
    .await;

    let patched = app
        .ok(
            "resource_patch",
            Some(&editor),
            json!({"id": r1["id"], "description": "Theo tháng"}),
        )
        .await;
    assert_eq!(patched["name"], json!("Tai nạn"));
    assert_eq!(patched["custom_field"], json!("giá trị"));
    let updated = app
        .ok(
            "resource_update",
            Some(&editor),
            json!({"id": r1["id"], "url": "https://example.gov.vn/tai-nan-2.csv"}),
        )
        .await;
    assert_eq!(updated["name"], json!(""), "resource_update replaces");

    app.ok(
        "package_resource_reorder",
        Some(&editor),
        json!({"id": "giao-thong", "order": [r2["id"], r1["id"]]}),
    )
    .await;
    let shown = app
        .ok("package_show", None, json!({"id": "giao-thong"}))
        .await;
    assert_eq!(shown["resources"][0]["id"], r2["id"]);
    assert_eq!(shown["num_resources"], json!(2));

    // package_update with a resource list: kept ids update, missing ones go.
    let mut full = shown.clone();
    full["resources"] = json!([shown["resources"][1].clone()]);
    let after = app.ok("package_update", Some(&editor), full).await;
    assert_eq!(after["resources"].as_array().unwrap().len(), 1);
    assert_eq!(after["resources"][0]["id"], r1["id"]);

    app.ok("resource_delete", Some(&editor), json!({"id": r1["id"]}))
        .await;
    app.fails(
        "resource_show",
        None,
        json!({"id": r1["id"]}),
        404,
        "Not Found Error",
    )
    .await;
    assert_eq!(
        app.ok("package_show", None, json!({"id": "giao-thong"}))
            .await["num_resources"],
        json!(0)
    );
}

#[tokio::test]
async fn help_show_describes_actions() {
    let app = TestApp::new().await;
    let help = app
        .get("/api/3/action/help_show?name=package_create", None)
        .await
        .json();
    assert!(help["result"]
        .as_str()
        .unwrap()
        .starts_with("package_create:"));
    app.fails(
        "help_show",
        None,
        json!({"name": "khong_co"}),
        404,
        "Not Found Error",
    )
    .await;
}
