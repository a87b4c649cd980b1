//! The government data inventory: systems with their permissions and public
//! part, the spreadsheet template (round trip, broken files), open-data lists
//! with their breach flags, dashboards and their CSV, and the pages.

mod common;

use axum::http::{Method, StatusCode};
use common::{Browser, TestApp};
use serde_json::{json, Value};

/// Two agencies with an editor each, and a citizen account in none.
struct World {
    app: TestApp,
    yte: String,
    tnmt: String,
    citizen: String,
}

async fn world() -> World {
    let app = TestApp::new().await;
    let yte = app.org_with_editor("bo-y-te", "yte").await;
    let tnmt = app.org_with_editor("so-tnmt", "tnmt").await;
    let citizen = app.user("nguoidan", false).await;
    World {
        app,
        yte,
        tnmt,
        citizen,
    }
}

fn system(name: &str) -> Value {
    json!({
        "owner_org": "bo-y-te", "name": name, "description": "Cơ sở dữ liệu về khám chữa bệnh",
        "unit": "Cục Công nghệ thông tin", "legal_basis": "Luật Khám bệnh, chữa bệnh 2023",
        "kind": "sectoral", "scope": "toàn quốc", "subjects": ["người dân", "cơ sở y tế"],
        "data_levels": ["open", "shared"], "data_classes": ["ordinary", "important"],
        "record_count": 1_000_000, "open_record_count": 12_000, "update_frequency": "daily",
        "status": "operating", "sharing": ["ndxp", "file"],
        "services": [{"name": "Tra cứu cơ sở y tế", "endpoint_url": "https://api.yte.gov.vn/co-so", "documentation_url": "https://docs.yte.gov.vn", "access_level": "shared"}],
        "contact_name": "Phòng Dữ liệu", "contact_email": "dulieu@yte.gov.vn",
    })
}

async fn send(
    app: &TestApp,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let r = app.send(method, uri, token, body).await;
    let v = if r.body.is_empty() {
        Value::Null
    } else {
        r.json()
    };
    (r.status, v)
}

#[tokio::test]
async fn agencies_write_their_own_records_and_the_public_sees_only_the_public_part() {
    let w = world().await;
    let app = &w.app;
    app.ok("package_create", Some(&w.yte), json!({"name": "co-so-y-te", "title": "Cơ sở y tế", "owner_org": "bo-y-te", "access_level": "open"})).await;
    app.ok("package_create", Some(&w.yte), json!({"name": "ho-so-benh-an", "title": "Hồ sơ bệnh án", "owner_org": "bo-y-te", "access_level": "shared", "data_class": "important"})).await;

    // Anonymous: sign in first. Another agency's editor: not a member.
    let (status, _) = send(
        app,
        Method::POST,
        "/api/v1/inventory/systems",
        None,
        Some(system("CSDL y tế")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, v) = send(
        app,
        Method::POST,
        "/api/v1/inventory/systems",
        Some(&w.tnmt),
        Some(system("CSDL y tế")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert!(v["fields"]["owner_org"].is_array(), "{v}");

    // Every bad field is reported at once; nothing is saved.
    let mut bad = system("Sai");
    bad["kind"] = json!("quoc-te");
    bad["services"][0]["endpoint_url"] = json!("ftp://x");
    bad["data_classes"] = json!(["core"]);
    bad["contact_email"] = json!("không-phải-thư");
    bad["open_record_count"] = json!(5_000_000);
    let (status, v) = send(
        app,
        Method::POST,
        "/api/v1/inventory/systems",
        Some(&w.yte),
        Some(bad),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    for f in [
        "kind",
        "services.0.endpoint_url",
        "data_levels",
        "contact_email",
        "open_record_count",
    ] {
        assert!(v["fields"][f].is_array(), "{f}: {v}");
    }

    let mut good = system("CSDL y tế");
    good["datasets"] = json!(["co-so-y-te", "ho-so-benh-an"]);
    let (status, s) = send(
        app,
        Method::POST,
        "/api/v1/inventory/systems",
        Some(&w.yte),
        Some(good),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    let id = s["id"].as_str().unwrap().to_string();
    assert_eq!(s["full"], true);
    assert_eq!(s["organization"]["name"], "bo-y-te");
    assert_eq!(
        s["datasets"].as_array().unwrap().len(),
        2,
        "the agency sees both its datasets"
    );

    // Anonymous and a citizen account: the public part only, open datasets only.
    for token in [None, Some(w.citizen.as_str())] {
        let (status, p) = send(
            app,
            Method::GET,
            &format!("/api/v1/inventory/systems/{id}"),
            token,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(p["full"], false);
        assert_eq!(p["name"], "CSDL y tế");
        assert_eq!(p["holds_open_data"], true);
        assert_eq!(p["open_record_count"], 12_000);
        for hidden in [
            "legal_basis",
            "unit",
            "services",
            "contact_email",
            "record_count",
            "data_classes",
            "sharing",
            "data_levels",
        ] {
            assert!(p.get(hidden).is_none(), "{hidden} leaked: {p}");
        }
        assert_eq!(
            p["datasets"],
            json!([{"id": p["datasets"][0]["id"], "name": "co-so-y-te", "title": "Cơ sở y tế", "access_level": "open"}])
        );
        let (_, list) = send(app, Method::GET, "/api/v1/inventory/systems", token, None).await;
        assert_eq!(list["count"], 1);
        assert!(list["results"][0].get("legal_basis").is_none());
    }
    // Staff of another agency see the whole record (but not the other agency's shared dataset).
    let (_, p) = send(
        app,
        Method::GET,
        &format!("/api/v1/inventory/systems/{id}"),
        Some(&w.tnmt),
        None,
    )
    .await;
    assert_eq!(p["full"], true);
    assert_eq!(p["legal_basis"], "Luật Khám bệnh, chữa bệnh 2023");
    assert_eq!(
        p["services"][0]["endpoint_url"],
        "https://api.yte.gov.vn/co-so"
    );
    assert_eq!(p["datasets"].as_array().unwrap().len(), 1);
    // The CKAN API answers the same.
    let c = app
        .ok("inventory_system_show", None, json!({"id": id}))
        .await;
    assert_eq!(c["full"], false);

    // Only the agency writes: another agency's editor is refused, anonymous too.
    let uri = format!("/api/v1/inventory/systems/{id}");
    let (status, _) = send(
        app,
        Method::PATCH,
        &uri,
        Some(&w.tnmt),
        Some(json!({"status": "retired"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(app, Method::DELETE, &uri, Some(&w.tnmt), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(
        app,
        Method::PATCH,
        &uri,
        None,
        Some(json!({"status": "retired"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(
        app,
        Method::PATCH,
        &uri,
        Some(&w.citizen),
        Some(json!({"status": "retired"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a citizen learns nothing more"
    );

    // A patch changes only what it names.
    let (status, p) = send(
        app,
        Method::PATCH,
        &uri,
        Some(&w.yte),
        Some(json!({"status": "retired"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["status"], "retired");
    assert_eq!(p["legal_basis"], "Luật Khám bệnh, chữa bệnh 2023");
    assert_eq!(p["datasets"].as_array().unwrap().len(), 2);
    // A bad patch changes nothing.
    let (status, _) = send(
        app,
        Method::PATCH,
        &uri,
        Some(&w.yte),
        Some(json!({"status": "xong"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Update replaces the whole record; a sysadmin may write any agency's.
    let mut whole = system("CSDL y tế (mới)");
    whole["sharing"] = json!(["none"]);
    whole["services"] = json!([]);
    let (status, p) = send(app, Method::PUT, &uri, Some(&app.admin), Some(whole)).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["name"], "CSDL y tế (mới)");
    assert_eq!(p["datasets"], json!([]));
    // Filters.
    let (_, list) = send(
        app,
        Method::GET,
        "/api/v1/inventory/systems?status=planned",
        None,
        None,
    )
    .await;
    assert_eq!(list["count"], 0);
    let (_, list) = send(
        app,
        Method::GET,
        "/api/v1/inventory/systems?organization=bo-y-te&q=csdl%20y%20te",
        None,
        None,
    )
    .await;
    assert_eq!(list["count"], 1);

    let (status, _) = send(app, Method::DELETE, &uri, Some(&w.yte), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, v) = send(app, Method::GET, &uri, None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(v["code"], "inventory_system_not_found");
}

/// The records as compared after a round trip: what a person typed.
fn comparable(list: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut r = r.clone();
            for k in ["id", "owner_org", "organization", "created", "modified"] {
                r.as_object_mut().unwrap().remove(k);
            }
            r
        })
        .collect();
    out.sort_by_key(|r| r["name"].as_str().unwrap_or("").to_string());
    out
}

#[tokio::test]
async fn an_exported_inventory_imports_into_an_empty_agency_unchanged() {
    let w = world().await;
    let app = &w.app;
    let (s, _) = send(
        app,
        Method::POST,
        "/api/v1/inventory/systems",
        Some(&w.yte),
        Some(system("CSDL y tế")),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let second = json!({"owner_org": "bo-y-te", "name": "Hệ thống quản lý dược, \"thuốc\"", "kind": "national", "status": "building",
        "data_levels": ["internal"], "data_classes": ["core"], "sharing": ["none"], "subjects": ["dược phẩm"]});
    let (s, v) = send(
        app,
        Method::POST,
        "/api/v1/inventory/systems",
        Some(&w.yte),
        Some(second),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, original) = send(
        app,
        Method::GET,
        "/api/v1/inventory/systems?organization=bo-y-te",
        Some(&w.yte),
        None,
    )
    .await;

    // Only the agency's editors export it; the whole inventory only sysadmins.
    assert_eq!(
        app.get("/inventory/export.xlsx?organization=bo-y-te", None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/inventory/export.xlsx?organization=bo-y-te", Some(&w.tnmt))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/inventory/export.csv", Some(&w.yte)).await.status,
        StatusCode::FORBIDDEN
    );

    for (i, ext) in ["xlsx", "csv"].iter().enumerate() {
        let r = app
            .get(
                &format!("/inventory/export.{ext}?organization=bo-y-te"),
                Some(&w.yte),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.header("content-disposition").contains(&format!(".{ext}")));
        let target = format!("so-moi-{i}");
        app.org_with_editor(&target, &format!("bt{i}")).await;
        let (s, v) = send(
            app,
            Method::GET,
            &format!("/api/v1/inventory/systems?organization={target}"),
            Some(&app.admin),
            None,
        )
        .await;
        assert_eq!((s, v["count"].clone()), (StatusCode::OK, json!(0)));
        let r = app
            .post_multipart(
                "/api/v1/inventory/import",
                Some(&app.admin),
                &[("organization", &target)],
                Some((&format!("hien-trang.{ext}"), &r.body)),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        assert_eq!(r.json()["imported"], 2);
        let (_, copy) = send(
            app,
            Method::GET,
            &format!("/api/v1/inventory/systems?organization={target}"),
            Some(&app.admin),
            None,
        )
        .await;
        assert_eq!(comparable(&copy), comparable(&original), "{ext}");
        assert_eq!(copy["results"][0]["organization"]["name"], target.as_str());
    }
    // The template itself: both header rows, no records.
    let r = app.get("/inventory/template.csv", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&r.body).to_string();
    assert!(
        text.starts_with("\u{feff}Cơ quan chủ quản (mã),Tên hệ thống thông tin / cơ sở dữ liệu"),
        "{text}"
    );
    assert!(text.contains("\nOwning agency (URL name),System or database name"));
    assert_eq!(text.lines().count(), 2);
    let r = app.get("/inventory/template.xlsx", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with(b"PK\x03\x04"));
    assert!(r.header("content-type").contains("spreadsheetml"));
}

const BROKEN: &str = "Tên hệ thống thông tin / cơ sở dữ liệu,Loại,Trạng thái,Số bản ghi (ước tính),Thư điện tử liên hệ\n\
System or database name,Kind,Status,Approximate records,Contact e-mail\n\
Hệ thống đúng,local,operating,100,a@b.vn\n\
Hệ thống sai loại,tinh,operating,,\n\
,local,operating,nhiều,không-phải-thư\n";

#[tokio::test]
async fn a_broken_file_is_reported_row_by_row_and_nothing_is_imported() {
    let w = world().await;
    let app = &w.app;
    let count = || async {
        send(
            app,
            Method::GET,
            "/api/v1/inventory/systems?organization=bo-y-te",
            None,
            None,
        )
        .await
        .1["count"]
            .clone()
    };
    let r = app
        .post_multipart(
            "/api/v1/inventory/import",
            Some(&w.yte),
            &[("organization", "bo-y-te")],
            Some(("sai.csv", BROKEN.as_bytes())),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let v = r.json();
    assert_eq!(v["code"], "inventory_import_invalid");
    assert_eq!(v["message"], "Có 2 dòng không hợp lệ; chưa nhập dòng nào.");
    let fields: Vec<&str> = v["fields"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        ["4:kind", "5:contact_email", "5:name", "5:record_count"]
    );
    assert_eq!(
        v["fields"]["4:kind"][0],
        "“tinh” không thuộc các giá trị cho phép: national, sectoral, local, other"
    );
    assert_eq!(count().await, 0, "nothing imported");

    // Another agency's editor cannot import into it.
    let r = app
        .post_multipart(
            "/api/v1/inventory/import",
            Some(&w.tnmt),
            &[("organization", "bo-y-te"), ("mode", "valid")],
            Some(("sai.csv", BROKEN.as_bytes())),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count().await, 0);

    // The explicit choice imports the valid rows only, and says what it skipped.
    let (ct, body) = TestApp::multipart(
        &[("organization", "bo-y-te"), ("mode", "valid")],
        Some(("sai.csv", BROKEN.as_bytes())),
    );
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/inventory/import")
        .header("content-type", ct)
        .header("authorization", &w.yte)
        .header("accept-language", "en")
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = app.request(req).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["imported"], 1);
    assert_eq!(v["skipped_rows"], json!([4, 5]));
    assert_eq!(
        v["errors"][0],
        json!({"row": 4, "column": "kind", "messages": ["“tinh” is not one of: national, sectoral, local, other"]})
    );
    assert_eq!(count().await, 1);

    // Not a spreadsheet; a spreadsheet that is not the template; no file.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let r = app
        .post_multipart(
            "/api/v1/inventory/import",
            Some(&w.yte),
            &[("organization", "bo-y-te")],
            Some(("anh.csv", png)),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["code"], "inventory_bad_file");
    let r = app
        .post_multipart(
            "/api/v1/inventory/import",
            Some(&w.yte),
            &[("organization", "bo-y-te")],
            Some(("x.xlsx", b"PK\x03\x04not a zip")),
        )
        .await;
    assert_eq!(r.json()["code"], "inventory_bad_file");
    let r = app
        .post_multipart(
            "/api/v1/inventory/import",
            Some(&w.yte),
            &[("organization", "bo-y-te")],
            Some(("khac.csv", b"ma,ten\n1,Ha Noi\n")),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["code"], "inventory_not_template");
    let r = app
        .post_multipart(
            "/api/v1/inventory/import",
            Some(&w.yte),
            &[("organization", "bo-y-te")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(count().await, 1);

    // The import page shows the same report, translated, with row numbers.
    let mut b = Browser::new(app);
    b.log_in("yte").await;
    let (status, page) = b.get("/organization/bo-y-te/inventory/import").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Chỉ nhập các dòng hợp lệ"));
    let csrf = b.csrf();
    let r = b
        .post_multipart(
            "/organization/bo-y-te/inventory/import",
            &[("csrf", &csrf), ("mode", "all")],
            Some(("sai.csv", BROKEN.as_bytes())),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = String::from_utf8_lossy(&r.body).to_string();
    assert!(
        html.contains("<tr><td>4</td><td>Loại</td><td>“tinh” không thuộc các giá trị cho phép"),
        "{html}"
    );
    assert!(html.contains("<tr><td>5</td><td>Thư điện tử liên hệ</td>"));
    assert!(html.contains("Chưa nhập dòng nào"));
    assert_eq!(count().await, 1);
    let r = b
        .post_multipart(
            "/organization/bo-y-te/inventory/import",
            &[("csrf", &csrf), ("mode", "valid")],
            Some(("sai.csv", BROKEN.as_bytes())),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = String::from_utf8_lossy(&r.body).to_string();
    assert!(html.contains("Đã nhập 1 hệ thống."));
    assert!(html.contains("Dòng 4 – Loại: “tinh”"), "{html}");
    assert_eq!(count().await, 2);
}

#[tokio::test]
async fn open_data_lists_flag_overdue_reviews_items_and_stale_data() {
    let w = world().await;
    let app = &w.app;
    app.ok(
        "package_create",
        Some(&w.yte),
        json!({"name": "co-so-y-te", "title": "Cơ sở y tế", "owner_org": "bo-y-te"}),
    )
    .await;
    let items = "/api/v1/inventory/open-data-lists/bo-y-te/items";
    for (title, date, dataset) in [
        ("Danh sách bệnh viện", "2020-01-01", None),
        ("Giá dịch vụ", "2999-01-01", None),
        ("Cơ sở y tế", "2021-06-30", Some("co-so-y-te")),
    ] {
        let mut body = json!({"title": title, "planned_date": date});
        if let Some(d) = dataset {
            body["dataset"] = json!(d);
        }
        let (s, v) = send(app, Method::POST, items, Some(&w.yte), Some(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    // Bad input, and another agency.
    let (s, v) = send(
        app,
        Method::POST,
        items,
        Some(&w.yte),
        Some(json!({"title": "", "planned_date": "31/12/2025", "dataset": "khong-co"})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    for f in ["title", "planned_date", "dataset"] {
        assert!(v["fields"][f].is_array(), "{f}: {v}");
    }
    let (s, _) = send(
        app,
        Method::POST,
        items,
        Some(&w.tnmt),
        Some(json!({"title": "X", "planned_date": "2030-01-01"})),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let list = |as_of: &'static str| async move {
        let (s, v) = send(
            app,
            Method::GET,
            &format!("/api/v1/inventory/open-data-lists/bo-y-te?as_of={as_of}"),
            None,
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v
    };
    let today = chrono::Utc::now().date_naive();
    let l = list(Box::leak(today.to_string().into_boxed_str())).await;
    let statuses: Vec<(&str, &str)> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["title"].as_str().unwrap(), i["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("Danh sách bệnh viện", "overdue"),
            ("Cơ sở y tế", "published"),
            ("Giá dịch vụ", "planned")
        ]
    );
    assert_eq!(
        l["counts"],
        json!({"total": 3, "published": 1, "planned": 1, "overdue": 1, "stale": 0})
    );
    assert_eq!(l["review_overdue"], true, "never reviewed");
    assert_eq!(l["rules"], json!({"review_months": 6, "update_months": 3}));

    // A review long ago is overdue; one today is not, and the next is due in 6 months.
    let reviews = "/api/v1/inventory/open-data-lists/bo-y-te/reviews";
    let (s, _) = send(
        app,
        Method::POST,
        reviews,
        Some(&w.yte),
        Some(json!({"reviewed_on": "2024-01-10"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let l = list("2024-07-10").await;
    assert_eq!(
        (
            l["last_review"].clone(),
            l["next_review_due"].clone(),
            l["review_overdue"].clone()
        ),
        (json!("2024-01-10"), json!("2024-07-10"), json!(false))
    );
    let l = list("2024-07-11").await;
    assert_eq!(l["review_overdue"], true);
    assert_eq!(l["breaches"]["review_overdue"], true);
    let (s, v) = send(
        app,
        Method::POST,
        reviews,
        Some(&w.yte),
        Some(json!({"reviewed_on": "2999-01-01"})),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "a review cannot be in the future: {v}"
    );
    let (s, _) = send(app, Method::POST, reviews, Some(&w.tnmt), Some(json!({}))).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Stale data: the rule is the operator's (here 1 month), checked on a controlled date.
    app.ok(
        "config_option_update",
        Some(&app.admin),
        json!({"sen.data_update_months": "1", "sen.open_data_review_months": "12"}),
    )
    .await;
    app.fails(
        "config_option_update",
        Some(&app.admin),
        json!({"sen.data_update_months": "0"}),
        409,
        "Validation Error",
    )
    .await;
    let modified = app
        .ok("package_show", None, json!({"id": "co-so-y-te"}))
        .await["metadata_modified"]
        .as_str()
        .unwrap()[..10]
        .to_string();
    let d = chrono::NaiveDate::parse_from_str(&modified, "%Y-%m-%d").unwrap();
    let within = Box::leak((d + chrono::Months::new(1)).to_string().into_boxed_str());
    let after = Box::leak(
        (d + chrono::Months::new(1) + chrono::Days::new(1))
            .to_string()
            .into_boxed_str(),
    );
    let l = list(within).await;
    assert_eq!(l["items"][1]["dataset_stale"], false);
    assert_eq!(l["rules"], json!({"review_months": 12, "update_months": 1}));
    let l = list(after).await;
    assert_eq!(l["items"][1]["dataset_stale"], true);
    assert_eq!(l["counts"]["stale"], 1);
    assert_eq!(l["breaches"]["datasets_stale"], 1);

    // An item becomes published once its dataset is linked and open.
    let id = l["items"][0]["id"].as_str().unwrap().to_string();
    let (s, _) = send(app, Method::PUT, &format!("/api/v1/inventory/open-data-items/{id}"), Some(&w.yte), Some(json!({"title": "Danh sách bệnh viện", "planned_date": "2020-01-01", "dataset": "co-so-y-te"}))).await;
    assert_eq!(s, StatusCode::OK);
    let l = list("2024-07-11").await;
    assert_eq!(l["items"][0]["status"], "published");
    let (s, _) = send(
        app,
        Method::DELETE,
        &format!("/api/v1/inventory/open-data-items/{id}"),
        Some(&w.tnmt),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = send(
        app,
        Method::DELETE,
        &format!("/api/v1/inventory/open-data-items/{id}"),
        Some(&w.yte),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(list("2024-07-11").await["counts"]["total"], 2);

    // The operator sets the rules on the settings page too.
    let mut admin = Browser::new(app);
    admin.log_in("admin").await;
    let (s, page) = admin.get("/admin/settings").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Quy định về danh mục dữ liệu mở")
            && page.contains("name=\"data_update_months\" type=\"number\" value=\"1\""),
        "{page}"
    );
    let csrf = admin.csrf();
    let r = admin
        .post(
            "/admin/settings",
            &[
                ("csrf", &csrf),
                ("site_title", "Cổng"),
                ("open_data_review_months", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.ok(
            "config_option_show",
            Some(&app.admin),
            json!({"key": "sen.open_data_review_months"})
        )
        .await,
        "12"
    );

    // The page shows the flags.
    let mut b = Browser::new(app);
    let (s, page) = b
        .get("/organization/bo-y-te/open-data?as_of=2030-01-01")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Danh mục đã quá hạn rà soát."), "{page}");
    assert!(page.contains("chưa cập nhật đúng hạn"));
    let (s, page) = b.get("/organization/bo-y-te/open-data?lang=en").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Open-data list"));
}

#[tokio::test]
async fn dashboards_count_exactly_what_each_caller_may_see() {
    let app = TestApp::new().await;
    app.ok(
        "organization_create",
        Some(&app.admin),
        json!({"name": "bo-a", "title": "Bộ A", "kind": "ministry"}),
    )
    .await;
    app.ok(
        "organization_create",
        Some(&app.admin),
        json!({"name": "tinh-b", "title": "Tỉnh B", "kind": "province"}),
    )
    .await;
    app.ok(
        "organization_create",
        Some(&app.admin),
        json!({"name": "tinh-c", "title": "Tỉnh C", "kind": "province"}),
    )
    .await;
    let a = app.user("bientap-a", false).await;
    app.ok(
        "organization_member_create",
        Some(&app.admin),
        json!({"id": "bo-a", "username": "bientap-a", "role": "editor"}),
    )
    .await;
    app.ok(
        "package_create",
        Some(&a),
        json!({"name": "mo", "title": "Mở", "owner_org": "bo-a"}),
    )
    .await;
    app.ok("package_create", Some(&a), json!({"name": "noi-bo", "title": "Nội bộ", "owner_org": "bo-a", "access_level": "internal"})).await;
    let post = |body: Value| {
        let app = &app;
        let admin = app.admin.clone();
        async move {
            let (s, v) = send(
                app,
                Method::POST,
                "/api/v1/inventory/systems",
                Some(&admin),
                Some(body),
            )
            .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
        }
    };
    post(json!({"owner_org": "bo-a", "name": "A1", "kind": "national", "status": "operating", "data_levels": ["open", "shared"], "sharing": ["ndxp"]})).await;
    post(json!({"owner_org": "bo-a", "name": "A2", "kind": "sectoral", "status": "planned", "data_levels": ["internal"]})).await;
    post(json!({"owner_org": "tinh-b", "name": "B1", "kind": "local", "status": "operating", "data_levels": ["open"], "sharing": ["lgsp"]})).await;
    for (t, d, ds) in [
        ("Mở", "2020-01-01", Some("mo")),
        ("Sắp mở", "2020-01-01", None),
    ] {
        let mut body = json!({"title": t, "planned_date": d});
        if let Some(ds) = ds {
            body["dataset"] = json!(ds);
        }
        let (s, _) = send(
            &app,
            Method::POST,
            "/api/v1/inventory/open-data-lists/bo-a/items",
            Some(&a),
            Some(body),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let today = chrono::Utc::now().date_naive().to_string();

    let (s, d) = send(
        &app,
        Method::GET,
        &format!("/api/v1/inventory/dashboard?as_of={today}"),
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["full"], false);
    let t = &d["totals"];
    assert_eq!(
        (
            t["systems"].clone(),
            t["systems_with_open_data"].clone(),
            t["list_items"].clone(),
            t["list_published"].clone(),
            t["list_overdue"].clone(),
            t["list_review_overdue"].clone(),
            t["datasets"].clone(),
            t["datasets_fresh"].clone()
        ),
        (
            json!(3),
            json!(2),
            json!(2),
            json!(1),
            json!(1),
            json!(1),
            json!(1),
            json!(1)
        )
    );
    assert!(
        t.get("systems_with_shared_data").is_none(),
        "not for the public"
    );
    assert_eq!(t["share_open_percent"], 66.6);
    assert_eq!(t["list_progress_percent"], 50.0);
    assert_eq!(
        t["by_status"],
        json!([{"key": "planned", "count": 1}, {"key": "building", "count": 0}, {"key": "operating", "count": 2}, {"key": "retired", "count": 0}])
    );
    assert_eq!(
        d["agencies"].as_array().unwrap().len(),
        2,
        "agencies with nothing are left out"
    );
    assert_eq!(d["requests_on_time"], Value::Null);

    let r = app
        .get(&format!("/inventory/dashboard.csv?as_of={today}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        "organization,systems,systems_with_open_data,list_items,list_published,list_overdue,list_review_overdue,datasets,datasets_fresh\n\
         bo-a,2,1,2,1,1,1,1,1\n\
         tinh-b,1,1,0,0,0,0,0,0\n\
         TOTAL,3,2,2,1,1,1,1,1\n"
    );

    // Government staff: shared data and platforms, and their agency's internal dataset.
    let (_, d) = send(
        &app,
        Method::GET,
        "/api/v1/inventory/dashboard",
        Some(&a),
        None,
    )
    .await;
    assert_eq!(d["full"], true);
    assert_eq!(
        (
            d["totals"]["systems_with_shared_data"].clone(),
            d["totals"]["systems_on_sharing_platforms"].clone(),
            d["totals"]["datasets"].clone()
        ),
        (json!(1), json!(2), json!(2))
    );
    let r = app
        .get("/inventory/dashboard.csv?sector=province", Some(&a))
        .await;
    assert_eq!(
        String::from_utf8_lossy(&r.body),
        "organization,systems,systems_with_open_data,list_items,list_published,list_overdue,list_review_overdue,datasets,datasets_fresh,systems_with_shared_data,systems_on_sharing_platforms\n\
         tinh-b,1,1,0,0,0,0,0,0,0,1\n\
         TOTAL,1,1,0,0,0,0,0,0,0,1\n"
    );
    // One agency; an unknown one; a bad date.
    let (_, d) = send(
        &app,
        Method::GET,
        "/api/v1/inventory/dashboard?organization=bo-a",
        None,
        None,
    )
    .await;
    assert_eq!(
        (d["scope"].clone(), d["totals"]["systems"].clone()),
        (json!("organization"), json!(2))
    );
    let (s, _) = send(
        &app,
        Method::GET,
        "/api/v1/inventory/dashboard?organization=khong-co",
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = send(
        &app,
        Method::GET,
        "/api/v1/inventory/dashboard?as_of=hom-nay",
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The page: charts as inline SVG, both languages.
    let mut b = Browser::new(&app);
    let (s, page) = b.get("/inventory/dashboard").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<svg") && page.contains("class=\"bar\""));
    assert!(page.contains("Bảng điều khiển dữ liệu"));
    assert!(!page.contains("style="), "no inline style (CSP)");
    let (_, page) = b.get("/inventory/dashboard?lang=en&sector=province").await;
    assert!(page.contains("Data dashboard") && page.contains("Tỉnh B"));
    assert!(!page.contains("Bộ A"));
}

#[tokio::test]
async fn inventory_pages_render_in_both_languages_and_the_form_keeps_what_was_typed() {
    let w = world().await;
    let app = &w.app;
    let (_, s) = send(
        app,
        Method::POST,
        "/api/v1/inventory/systems",
        Some(&w.yte),
        Some(system("CSDL y tế")),
    )
    .await;
    let id = s["id"].as_str().unwrap().to_string();
    let mut b = Browser::new(app);
    for (uri, vi, en) in [
        ("/inventory", "Hiện trạng dữ liệu", "Data inventory"),
        (
            "/organization/bo-y-te/inventory",
            "CSDL y tế",
            "Holds open data",
        ),
        (
            &format!("/inventory/system/{id}") as &str,
            "Đây là phần thông tin công khai",
            "This is the public information",
        ),
        (
            "/organization/bo-y-te",
            "Danh mục dữ liệu mở",
            "Open-data list",
        ),
    ] {
        // The language chosen sticks (a cookie): ask for each explicitly.
        let sep = if uri.contains('?') { '&' } else { '?' };
        let (s, page) = b.get(&format!("{uri}{sep}lang=vi")).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert!(page.contains(vi), "{uri}: {vi}");
        let (s, page) = b.get(&format!("{uri}{sep}lang=en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains(en), "{uri}: {en}");
    }
    let (_, page) = b.get(&format!("/inventory/system/{id}?lang=vi")).await;
    assert!(
        !page.contains("Luật Khám bệnh"),
        "the legal basis is not public"
    );
    assert_eq!(
        b.get("/inventory/system/khong-co").await.0,
        StatusCode::NOT_FOUND
    );
    // Forms need an account, and the agency's editor.
    let r = app.get("/organization/bo-y-te/inventory/new", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    b.log_in("tnmt").await;
    let (_, page) = b.get(&format!("/inventory/system/{id}")).await;
    assert!(
        page.contains("Luật Khám bệnh"),
        "staff see the whole record"
    );
    assert_eq!(
        b.get("/organization/bo-y-te/inventory/new").await.0,
        StatusCode::FORBIDDEN
    );

    let mut b = Browser::new(app);
    b.log_in("yte").await;
    let (s, page) = b.get("/organization/bo-y-te/inventory/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Cơ sở dữ liệu chuyên ngành"));
    let csrf = b.csrf();
    let r = b
        .post(
            "/organization/bo-y-te/inventory/new",
            &[
                ("csrf", &csrf),
                ("name", "Hệ thống đất đai"),
                ("kind", "local"),
                ("status", "operating"),
                ("data_levels", "open"),
                ("record_count", "-5"),
                ("contact_email", "sai"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = String::from_utf8_lossy(&r.body).to_string();
    assert!(
        html.contains("value=\"Hệ thống đất đai\""),
        "what was typed stays"
    );
    assert!(html.contains("value=\"open\" checked"));
    assert!(html.contains("id=\"f-contact_email-error\""));
    assert!(html.contains("id=\"f-record_count-error\""));
    let r = b
        .post(
            "/organization/bo-y-te/inventory/new",
            &[
                ("csrf", &csrf),
                ("name", "Hệ thống đất đai"),
                ("kind", "local"),
                ("status", "operating"),
                ("data_levels", "open"),
                ("subjects", "đất đai; nhà ở"),
                ("services", "Tra cứu | https://api.tnmt.gov.vn | | open"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let to = r.header("location").to_string();
    let page = b.get(&to).await.1.replace("&#x2f;", "/");
    assert!(page.contains("đất đai; nhà ở") && page.contains("https://api.tnmt.gov.vn"));
    let (s, page) = b.get(&format!("{to}/edit")).await;
    let page = page.replace("&#x2f;", "/");
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Tra cứu | https://api.tnmt.gov.vn |  | open"));
    let r = b
        .post(
            &format!("{to}/edit"),
            &[
                ("csrf", &csrf),
                ("name", "Hệ thống đất đai 2"),
                ("kind", "local"),
                ("status", "retired"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (_, page) = b.get(&to).await;
    assert!(page.contains("Đã dừng vận hành"));
    // Without the anti-forgery token, nothing happens.
    let r = b
        .post(
            &format!("{to}/edit"),
            &[("name", "X"), ("kind", "local"), ("status", "planned")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = b
        .post(&format!("{to}/edit"), &[("csrf", &csrf), ("delete", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get(&to).await.0, StatusCode::NOT_FOUND);
}
