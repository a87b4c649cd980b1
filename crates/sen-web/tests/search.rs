//! Search relevance in Vietnamese, filters, facets, permissions, suggestions,
//! and robustness against arbitrary queries.

mod common;

use common::TestApp;
use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;

async fn catalogue() -> (TestApp, String) {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("cuc-thong-ke", "thong-ke").await;
    app.ok(
        "organization_patch",
        Some(&app.admin),
        json!({"id": "cuc-thong-ke", "title": "Cục Thống kê", "kind": "department"}),
    )
    .await;
    let sets = [
        (
            "dan-so-ha-noi",
            "Dân số Hà Nội 2024",
            "Dân số trung bình của Thủ đô theo quận, huyện.",
            vec!["dân số"],
            "CSV",
        ),
        (
            "dan-toc-thieu-so",
            "Người dân tộc thiểu số",
            "Số lượng người dân tộc thiểu số theo tỉnh.",
            vec!["dân tộc"],
            "XLSX",
        ),
        (
            "so-tai-chinh-bao-cao",
            "Báo cáo của Sở Tài chính",
            "Báo cáo tổng hợp năm 2024.",
            vec!["tài chính"],
            "PDF",
        ),
        (
            "bao-cao-so-tai-chinh",
            "Báo cáo số tài chính",
            "Báo cáo tổng hợp năm 2024.",
            vec!["tài chính"],
            "CSV",
        ),
        (
            "dan-so-tp-hcm",
            "Dân số Thành phố Hồ Chí Minh",
            "Dân số theo phường, xã sau sắp xếp.",
            vec!["dân số"],
            "CSV",
        ),
        (
            "nien-giam-thong-ke",
            "Niên giám thống kê 2023",
            "Số liệu thống kê kinh tế - xã hội.",
            vec!["niên giám"],
            "PDF",
        ),
        (
            "truong-hoc-da-nang",
            "Danh sách trường học Đà Nẵng",
            "Trường mầm non, tiểu học, THCS, THPT.",
            vec!["giáo dục"],
            "JSON",
        ),
        (
            "air-quality",
            "Air quality monitoring stations",
            "Hourly PM2.5 readings.",
            vec!["environment"],
            "CSV",
        ),
    ];
    for (name, title, notes, tags, format) in sets {
        let tags: Vec<Value> = tags.iter().map(|t| json!({"name": t})).collect();
        app.ok("package_create", Some(&editor), json!({
            "name": name, "title": title, "notes": notes, "owner_org": "cuc-thong-ke", "tags": tags,
            "temporal_start": "2023-01-01", "temporal_end": "2024-12-31",
            "resources": [{"name": format!("Tệp {format}"), "url": format!("https://example.gov.vn/{name}"), "format": format}]
        })).await;
    }
    (app, editor)
}

async fn names(app: &TestApp, token: Option<&str>, body: Value) -> Vec<String> {
    let r = app.ok("package_search", token, body).await;
    r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn accents_case_and_normal_forms_are_optional() {
    let (app, _) = catalogue().await;
    let nfd: String = "hà nội".nfd().collect();
    for q in ["ha noi", "Ha Noi", "HÀ NỘI", "hà nội", nfd.as_str()] {
        assert_eq!(
            names(&app, None, json!({"q": q})).await[0],
            "dan-so-ha-noi",
            "{q:?}"
        );
    }
    for q in ["da nang", "Đà Nẵng", "ĐÀ NẴNG", "đa nang"] {
        assert_eq!(
            names(&app, None, json!({"q": q})).await,
            ["truong-hoc-da-nang"],
            "{q:?}"
        );
    }
}

#[tokio::test]
async fn exact_spelling_and_phrases_rank_first() {
    let (app, _) = catalogue().await;
    // "sở" (department) and "số" (number) fold alike; the exact one wins.
    let found = names(&app, None, json!({"q": "sở tài chính"})).await;
    assert_eq!(found[0], "so-tai-chinh-bao-cao", "{found:?}");
    assert_eq!(
        names(&app, None, json!({"q": "số tài chính"})).await[0],
        "bao-cao-so-tai-chinh"
    );
    // "dân số" as a phrase ranks above "dân" … "số" apart.
    let found = names(&app, None, json!({"q": "dân số"})).await;
    let apart = found
        .iter()
        .position(|n| n == "dan-toc-thieu-so")
        .expect("words apart still match");
    let phrase = found.iter().position(|n| n == "dan-so-ha-noi").unwrap();
    assert!(phrase < apart, "{found:?}");
}

#[tokio::test]
async fn typos_synonyms_and_english() {
    let (app, _) = catalogue().await;
    assert_eq!(
        names(&app, None, json!({"q": "nien giam thonng ke"})).await,
        ["nien-giam-thong-ke"],
        "one typo in a longer word"
    );
    for q in [
        "tp hcm",
        "TPHCM",
        "sài gòn",
        "ho chi minh city",
        "bình dương",
    ] {
        assert_eq!(
            names(&app, None, json!({"q": q})).await[0],
            "dan-so-tp-hcm",
            "{q:?}"
        );
    }
    assert!(names(&app, None, json!({"q": "population"}))
        .await
        .contains(&"dan-so-ha-noi".to_string()));
    assert_eq!(
        names(&app, None, json!({"q": "air quality"})).await,
        ["air-quality"]
    );
    assert_eq!(
        names(&app, None, json!({"q": "monitoring"})).await,
        ["air-quality"]
    );
    assert!(names(&app, None, json!({"q": "khong co gi ca"}))
        .await
        .is_empty());
}

#[tokio::test]
async fn filters_sorts_facets_and_paging() {
    let (app, _) = catalogue().await;
    let r = app.ok("package_search", None, json!({
        "q": "dân số", "fq": "res_format:CSV", "facet.field": ["organization", "res_format", "tags", "year", "organization_kind"], "rows": 20
    })).await;
    assert_eq!(r["count"], json!(2));
    assert_eq!(r["facets"]["organization"], json!({"cuc-thong-ke": 2}));
    assert_eq!(
        r["search_facets"]["organization"]["items"][0]["display_name"],
        json!("Cục Thống kê")
    );
    assert_eq!(r["facets"]["year"], json!({"2023": 2, "2024": 2}));
    assert_eq!(r["facets"]["organization_kind"], json!({"department": 2}));
    let all = app
        .ok(
            "package_search",
            None,
            json!({"facet.field": "[\"res_format\"]", "facet.limit": 2, "rows": 0}),
        )
        .await;
    assert_eq!(all["count"], json!(8));
    assert_eq!(all["facets"]["res_format"], json!({"CSV": 4, "PDF": 2}));
    assert_eq!(all["results"], json!([]));
    let sorted = names(
        &app,
        None,
        json!({"sort": "name asc", "rows": 3, "start": 1}),
    )
    .await;
    assert_eq!(
        sorted,
        ["bao-cao-so-tai-chinh", "dan-so-ha-noi", "dan-so-tp-hcm"]
    );
    let by_title = names(&app, None, json!({"sort": "title_string desc", "rows": 1})).await;
    assert_eq!(
        by_title,
        ["nien-giam-thong-ke"],
        "titles sort accent-folded: Niên after Người"
    );
    let newest = names(
        &app,
        None,
        json!({"sort": "metadata_modified desc", "rows": 1}),
    )
    .await;
    assert_eq!(newest, ["air-quality"]);
    let r = app
        .ok(
            "package_search",
            None,
            json!({"fq": "tags:\"dân số\" AND -name:dan-so-tp-hcm"}),
        )
        .await;
    assert_eq!(r["count"], json!(1));
    let r = app
        .ok(
            "package_search",
            None,
            json!({"fq": "year:2024 organization_kind:department"}),
        )
        .await;
    assert_eq!(r["count"], json!(8));
    let r = app
        .ok(
            "package_search",
            None,
            json!({"q": "tags:\"giáo dục\" da nang"}),
        )
        .await;
    assert_eq!(r["count"], json!(1));
}

#[tokio::test]
async fn changes_are_searchable_at_once_and_deletions_vanish() {
    let (app, editor) = catalogue().await;
    app.ok(
        "package_patch",
        Some(&editor),
        json!({"id": "air-quality", "title": "Chất lượng không khí"}),
    )
    .await;
    assert_eq!(
        names(&app, None, json!({"q": "chat luong khong khi"})).await,
        ["air-quality"]
    );
    app.ok("resource_create", Some(&editor), json!({"package_id": "air-quality", "url": "https://x.vn/a.geojson", "name": "Bản đồ trạm quan trắc"})).await;
    assert_eq!(
        names(&app, None, json!({"q": "quan trắc"})).await,
        ["air-quality"]
    );
    app.ok(
        "group_create",
        Some(&app.admin),
        json!({"name": "moi-truong", "title": "Môi trường"}),
    )
    .await;
    app.ok(
        "member_create",
        Some(&editor),
        json!({"id": "moi-truong", "object": "air-quality", "object_type": "package"}),
    )
    .await;
    assert_eq!(
        names(&app, None, json!({"fq": "groups:moi-truong"})).await,
        ["air-quality"]
    );
    app.ok(
        "organization_patch",
        Some(&app.admin),
        json!({"id": "cuc-thong-ke", "title": "Cục Thống kê quốc gia"}),
    )
    .await;
    assert_eq!(
        names(&app, None, json!({"q": "quoc gia"})).await.len(),
        8,
        "organisation renames reach the index"
    );
    app.ok(
        "package_delete",
        Some(&editor),
        json!({"id": "air-quality"}),
    )
    .await;
    assert!(names(&app, None, json!({"q": "khong khi"}))
        .await
        .is_empty());
}

#[tokio::test]
async fn non_open_data_never_shows_in_results_facets_or_suggestions() {
    let (app, editor) = catalogue().await;
    app.ok("package_create", Some(&editor), json!({"name": "ho-so-mat", "title": "Hà Nội hồ sơ nội bộ", "owner_org": "cuc-thong-ke", "access_level": "internal", "tags": [{"name": "tuyệt mật"}]})).await;
    app.ok("package_create", Some(&editor), json!({"name": "chia-se", "title": "Hà Nội dữ liệu dùng chung", "owner_org": "cuc-thong-ke", "access_level": "shared", "data_class": "important"})).await;
    let other = app.org_with_editor("so-khac", "nguoi-khac").await;
    let citizen = app.user("cong-dan", false).await;
    // Staff of another agency see shared metadata (never internal data).
    let r = app
        .ok(
            "package_search",
            Some(&other),
            json!({"q": "ha noi", "include_private": true, "facet.field": ["access_level"]}),
        )
        .await;
    assert_eq!(r["count"], json!(2));
    assert_eq!(r["facets"]["access_level"], json!({"open": 1, "shared": 1}));
    assert!(!r.to_string().contains("tuyệt mật"));
    for token in [None, Some(citizen.as_str())] {
        let r = app.ok("package_search", token, json!({"q": "ha noi", "include_private": true, "facet.field": ["tags", "access_level", "data_class"]})).await;
        assert_eq!(r["count"], json!(1), "{token:?}");
        let text = r.to_string();
        assert!(
            !text.contains("tuyệt mật")
                && !text.contains("internal")
                && !text.contains("important"),
            "{text}"
        );
        let s = app
            .ok("package_autocomplete", token, json!({"q": "ha n"}))
            .await;
        assert_eq!(s.as_array().unwrap().len(), 1, "{s}");
    }
    let r = app
        .ok(
            "package_search",
            Some(&editor),
            json!({"q": "ha noi", "include_private": true, "facet.field": ["access_level"]}),
        )
        .await;
    assert_eq!(r["count"], json!(3));
    assert_eq!(
        r["facets"]["access_level"],
        json!({"open": 1, "internal": 1, "shared": 1})
    );
    let s = app
        .ok(
            "package_autocomplete",
            Some(&editor),
            json!({"q": "HA NO", "limit": 5}),
        )
        .await;
    assert_eq!(s.as_array().unwrap().len(), 3);
    let r = app.get("/api/v1/suggest?q=nien%20gi", None).await.json();
    assert_eq!(r[0]["name"], json!("nien-giam-thong-ke"));
}

#[tokio::test]
async fn a_lost_index_is_rebuilt_from_the_database() {
    let (app, _) = catalogue().await;
    assert!(app.catalog.search_index_in_step().await.unwrap());
    app.catalog
        .search
        .rebuild(std::iter::empty(), |_| {})
        .unwrap();
    assert!(!app.catalog.search_index_in_step().await.unwrap());
    assert!(names(&app, None, json!({"q": "ha noi"})).await.is_empty());
    app.catalog.ensure_search_index().await.unwrap();
    assert!(app.catalog.search_index_in_step().await.unwrap());
    assert_eq!(
        names(&app, None, json!({"q": "ha noi"})).await[0],
        "dan-so-ha-noi"
    );
}

/// Random query strings, in q and fq, never make the server fail: they get
/// results or a Search Query Error.
#[tokio::test]
async fn arbitrary_queries_never_fail() {
    let (app, _) = catalogue().await;
    let alphabet: Vec<char> =
        "aăâđeêioôơuưy ÁÀẢÃẠ\"'():[]{}*?~^-+!&|\\/,.;TONRA0123456789_tagsnamefq:\u{300}\u{323}"
            .chars()
            .collect();
    let mut seed: u64 = 0x5e4_2025;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..300 {
        let len = (next() % 24) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        for field in ["q", "fq", "sort"] {
            let r = app
                .action("package_search", None, json!({ field: s }))
                .await;
            let v = r.json();
            assert!(
                r.status.as_u16() == 200
                    || v["error"]["__type"] == "Search Query Error"
                    || v["error"]["__type"] == "Validation Error",
                "{field}={s:?} gave {} {v}",
                r.status
            );
        }
    }
}

/// Several nodes share only the database: a change made through one node is
/// searchable on another within about a second, through the change log.
#[tokio::test]
async fn a_change_through_one_node_is_searchable_on_another() {
    let (app, editor) = catalogue().await;
    let node2 = app.second_node().await;
    node2.ensure_search_index().await.unwrap();
    let follower = node2.spawn_search_follower(std::time::Duration::from_millis(100));
    let search = |q: &'static str| {
        let node2 = node2.clone();
        async move {
            let data = json!({"q": q}).as_object().unwrap().clone();
            let r = node2
                .run_action(
                    "package_search",
                    &sen_catalog::Actor::anonymous(),
                    &data,
                    None,
                )
                .await
                .unwrap()
                .unwrap();
            r["count"].as_u64().unwrap()
        }
    };
    assert_eq!(
        search("ha noi").await,
        1,
        "the second node starts from the database"
    );
    app.ok(
        "package_create",
        Some(&editor),
        json!({"name": "cau-duong", "title": "Cầu đường nông thôn", "owner_org": "cuc-thong-ke"}),
    )
    .await;
    app.ok(
        "package_delete",
        Some(&editor),
        json!({"id": "dan-so-ha-noi"}),
    )
    .await;
    let started = std::time::Instant::now();
    while search("cau duong").await == 0 || search("ha noi").await != 0 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "the second node did not follow the change"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    follower.abort();
}

/// Search answers from dictionaries stored in the index; after every kind of
/// change they must equal what `package_show` reads from the database.
#[tokio::test]
async fn search_results_equal_package_show_after_every_kind_of_change() {
    let (app, editor) = catalogue().await;
    let assert_same = |step: &'static str| {
        let app = &app;
        async move {
            let found = app.ok("package_search", None, json!({"rows": 100})).await;
            let results = found["results"].as_array().unwrap();
            assert!(!results.is_empty(), "{step}");
            for d in results {
                let shown = app.ok("package_show", None, json!({"id": d["id"]})).await;
                assert_eq!(d, &shown, "after {step}: {}", d["name"]);
            }
        }
    };
    assert_same("creation").await;
    let upload = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(&editor),
            &[("package_id", "dan-so-ha-noi"), ("name", "Tệp tải lên")],
            Some(("dan so.csv", b"quan,dan_so\nBa Dinh,221893\n")),
        )
        .await;
    assert_eq!(upload.status, 200, "{}", upload.json());
    assert!(upload.json()["result"]["url"]
        .as_str()
        .unwrap()
        .starts_with("http"));
    assert_same("an upload").await;
    let shown = app
        .ok("package_show", None, json!({"id": "dan-so-ha-noi"}))
        .await;
    let mut order: Vec<Value> = shown["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    order.reverse();
    app.ok(
        "package_resource_reorder",
        Some(&editor),
        json!({"id": "dan-so-ha-noi", "order": order}),
    )
    .await;
    assert_same("a reorder").await;
    app.ok(
        "package_patch",
        Some(&editor),
        json!({"id": "air-quality", "license_id": "cc-by"}),
    )
    .await;
    app.ok(
        "license_update",
        Some(&app.admin),
        json!({"id": "cc-by", "title": "Ghi nhận tác giả 4.0", "url": "https://creativecommons.org/licenses/by/4.0/", "is_open": true}),
    )
    .await;
    assert_same("a licence retitled").await;
    app.ok(
        "organization_patch",
        Some(&app.admin),
        json!({"id": "cuc-thong-ke", "description": "Cơ quan thống kê"}),
    )
    .await;
    assert_same("an organisation described").await;
    app.ok(
        "group_create",
        Some(&app.admin),
        json!({"name": "dan-cu", "title": "Dân cư"}),
    )
    .await;
    app.ok(
        "member_create",
        Some(&editor),
        json!({"id": "dan-cu", "object": "dan-so-ha-noi", "object_type": "package"}),
    )
    .await;
    app.ok(
        "group_patch",
        Some(&app.admin),
        json!({"id": "dan-cu", "title": "Dân cư và lao động"}),
    )
    .await;
    assert_same("a topic joined and retitled").await;
}
