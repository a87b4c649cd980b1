//! The datastore through its public surface: uploads become typed tables via
//! the durable job queue; CKAN's datastore_* actions, the REST data endpoints
//! and dumps read them; SQL stays in its sandbox; non-open tables stay hidden.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{json, Value};

fn shared(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs queued jobs until none is left.
async fn drain_jobs(app: &TestApp) -> usize {
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
    n
}

/// A dataset in `org` (access level as given) with one uploaded file; returns the resource id.
async fn upload(
    app: &TestApp,
    token: &str,
    org: &str,
    dataset: &str,
    access: &str,
    file: &str,
    bytes: &[u8],
) -> String {
    if app
        .action("package_show", Some(token), json!({"id": dataset}))
        .await
        .status
        != StatusCode::OK
    {
        app.ok(
            "package_create",
            Some(token),
            json!({"name": dataset, "title": format!("Bảng {dataset}"), "owner_org": org, "access_level": access}),
        )
        .await;
    }
    let r = app
        .post_multipart(
            "/api/3/action/resource_create",
            Some(token),
            &[("package_id", dataset), ("name", file)],
            Some((file, bytes)),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()["result"]["id"].as_str().unwrap().to_string()
}

fn count_of(records: &Value, key: &str, value: &str) -> i64 {
    records
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[key] == value)
        .map(|r| r["n"].as_i64().unwrap())
        .unwrap_or(-1)
}

#[tokio::test]
async fn an_uploaded_csv_becomes_a_typed_queryable_table() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("cuc-thong-ke", "bien-tap").await;
    let rid = upload(
        &app,
        &editor,
        "cuc-thong-ke",
        "dvhc",
        "open",
        "dvhc.csv",
        &shared("gso_dvhc_2021-07-11.csv"),
    )
    .await;

    // Queued with the upload, in the same transaction; visible while waiting.
    let status = app
        .ok("datastore_status", None, json!({"resource_id": rid}))
        .await;
    assert_eq!(status["job"]["state"], "queued", "{status}");
    assert_eq!(status["datastore_active"], false);
    app.fails(
        "datastore_search",
        None,
        json!({"resource_id": rid}),
        404,
        "Not Found Error",
    )
    .await;
    assert_eq!(drain_jobs(&app).await, 1);
    let status = app
        .ok("datastore_status", None, json!({"resource_id": rid}))
        .await;
    assert_eq!(status["job"]["state"], "done", "{status}");
    assert_eq!(status["rows"], 10604);
    assert_eq!(status["report"]["encoding"], "UTF-8 (BOM)", "{status}");

    // CKAN's datastore_search: total, fields with types, leading zeros kept.
    let all = app
        .ok(
            "datastore_search",
            None,
            json!({"resource_id": rid, "limit": 3}),
        )
        .await;
    assert_eq!(all["total"], 10604);
    assert_eq!(all["records"].as_array().unwrap().len(), 3);
    let fields: Vec<&str> = all["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"Mã TP") && fields.contains(&"Tỉnh Thành Phố"),
        "{fields:?}"
    );
    assert!(
        all["fields"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["type"] == "text"),
        "codes stay text: {}",
        all["fields"]
    );
    assert_eq!(all["records"][0]["Mã TP"], "01", "{}", all["records"][0]);

    // Filters (one value, a list), sort, fields, distinct, formats.
    let huyen = app
        .ok("datastore_search", None, json!({"resource_id": rid, "filters": {"Cấp": "Huyện"}, "fields": ["Mã QH", "Quận Huyện"], "sort": "Mã QH desc"}))
        .await;
    assert_eq!(huyen["total"], 5, "{huyen}");
    let codes: Vec<&str> = huyen["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Mã QH"].as_str().unwrap())
        .collect();
    let mut sorted = codes.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(codes, sorted, "sorted descending");
    let two = app
        .ok(
            "datastore_search",
            None,
            json!({"resource_id": rid, "filters": {"Cấp": ["Huyện", "Thị trấn"]}, "limit": 0}),
        )
        .await;
    assert_eq!(two["total"], 617);
    let levels = app
        .ok(
            "datastore_search",
            None,
            json!({"resource_id": rid, "fields": "Cấp", "distinct": true, "sort": "Cấp"}),
        )
        .await;
    assert_eq!(levels["total"], 4, "{levels}");
    let lists = app
        .ok("datastore_search", None, json!({"resource_id": rid, "records_format": "lists", "limit": 1, "fields": ["Mã TP", "Tỉnh Thành Phố"]}))
        .await;
    assert_eq!(lists["records"][0][0], "01");
    let csv = app
        .ok(
            "datastore_search",
            None,
            json!({"resource_id": rid, "records_format": "csv", "limit": 2, "fields": ["Mã TP"]}),
        )
        .await;
    assert_eq!(csv["records"], "01\n01\n");
    // Full text over every column, case-insensitive; as a GET with JSON in the query string.
    let r = app
        .get(&format!("/api/3/action/datastore_search?resource_id={rid}&q=ph%C6%B0%E1%BB%9Dng%20tr%C3%BAc%20b%E1%BA%A1ch&filters=%7B%22C%E1%BA%A5p%22%3A%22Ph%C6%B0%E1%BB%9Dng%22%7D"), None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let found = r.json()["result"].clone();
    assert!(found["total"].as_i64().unwrap() >= 1, "{found}");
    assert!(found["records"][0]["Phường Xã"]
        .as_str()
        .unwrap()
        .contains("Trúc Bạch"));
    // Accents and case optional in q, as in the catalogue search.
    let exact = app
        .ok(
            "datastore_search",
            None,
            json!({"resource_id": rid, "q": "Phường Trúc Bạch", "limit": 0}),
        )
        .await;
    for typed in ["phuong truc bach", "PHUONG TRUC BACH", "Phuong Truc Bach"] {
        let folded = app
            .ok(
                "datastore_search",
                None,
                json!({"resource_id": rid, "q": typed, "limit": 0}),
            )
            .await;
        assert_eq!(folded["total"], exact["total"], "{typed}");
    }
    let one_column = app
        .ok(
            "datastore_search",
            None,
            json!({"resource_id": rid, "q": {"Phường Xã": "truc bach"}, "limit": 5}),
        )
        .await;
    assert!(one_column["total"].as_i64().unwrap() >= 1, "{one_column}");
    assert!(one_column["records"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["Phường Xã"].as_str().unwrap().contains("Trúc Bạch")));
    let sql = app
        .ok("datastore_search_sql", None, json!({"sql": format!("SELECT COUNT(*) AS n FROM \"{rid}\" WHERE fold(\"Phường Xã\") = 'phuong truc bach'")}))
        .await;
    assert_eq!(sql["records"][0]["n"], 1, "{sql}");

    // Bad input: a clear error, nothing else.
    let e = app
        .fails(
            "datastore_search",
            None,
            json!({"resource_id": rid, "filters": {"Không có": 1}}),
            409,
            "Validation Error",
        )
        .await;
    assert!(
        e["filters"][0].as_str().unwrap().contains("Không có"),
        "{e}"
    );
    app.fails(
        "datastore_search",
        None,
        json!({"resource_id": rid, "sort": "Không có desc"}),
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "datastore_search",
        None,
        json!({"resource_id": rid, "records_format": "xml"}),
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "datastore_search",
        None,
        json!({"resource_id": rid, "limit": -1}),
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "datastore_search",
        None,
        json!({"resource_id": rid, "filters": "{không phải json"}),
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "datastore_search",
        None,
        json!({"resource_id": "khong-co"}),
        404,
        "Not Found Error",
    )
    .await;

    // datastore_info: columns and the row count.
    let info = app.ok("datastore_info", None, json!({"id": rid})).await;
    assert_eq!(info["meta"]["count"], 10604);
    assert_eq!(info["fields"].as_array().unwrap().len(), 8);

    // SQL: aggregates over the typed table.
    let sql =
        format!("SELECT \"Cấp\", COUNT(*) AS n FROM \"{rid}\" GROUP BY \"Cấp\" ORDER BY n DESC");
    let groups = app
        .ok("datastore_search_sql", None, json!({"sql": sql}))
        .await;
    let records = &groups["records"];
    assert_eq!(count_of(records, "Cấp", "Xã"), 8264, "{groups}");
    assert_eq!(count_of(records, "Cấp", "Phường"), 1723);
    assert_eq!(count_of(records, "Cấp", "Thị trấn"), 612);
    assert_eq!(count_of(records, "Cấp", "Huyện"), 5);

    // The native query endpoint builds the same kind of statement.
    let r = app
        .get(&format!("/api/v1/resources/{rid}/query?select=%22C%E1%BA%A5p%22%2C%20count(*)%20AS%20n&group_by=%22C%E1%BA%A5p%22&order_by=n%20DESC"), None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(count_of(&r.json()["records"], "Cấp", "Xã"), 8264);
    let r = app.get(&format!("/api/v1/resources/{rid}/data?filters=%7B%22C%E1%BA%A5p%22%3A%22Huy%E1%BB%87n%22%7D&limit=1"), None).await;
    assert_eq!(r.json()["total"], 5);
}

#[tokio::test]
async fn sql_stays_in_its_sandbox_and_non_open_tables_stay_hidden() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-noi-vu", "bien-tap").await;
    let open = upload(
        &app,
        &editor,
        "so-noi-vu",
        "tinh",
        "open",
        "tinh.csv",
        &shared("vn_provinces.csv"),
    )
    .await;
    let internal = upload(
        &app,
        &editor,
        "so-noi-vu",
        "noi-bo",
        "internal",
        "noi-bo.csv",
        &shared("vn_provinces.csv"),
    )
    .await;
    drain_jobs(&app).await;
    let outsider = app.user("nguoi-ngoai", false).await;

    let refused = [
        format!("DROP TABLE \"{open}\""),
        format!("DELETE FROM \"{open}\""),
        format!("INSERT INTO \"{open}\" VALUES (1)"),
        format!("SELECT 1; DROP TABLE \"{open}\""),
        "CREATE EXTERNAL TABLE x STORED AS CSV LOCATION '/etc/passwd'".to_string(),
        "COPY (SELECT 1) TO '/tmp/sen-escape.csv'".to_string(),
        "SET datafusion.execution.batch_size = 1".to_string(),
        "SELECT * FROM information_schema.tables".to_string(),
        format!("SELECT * FROM \"{open}\" JOIN \"{internal}\" USING (province_id)"),
        format!("SELECT * FROM \"{internal}\""),
        "SELECT * FROM \"khong-co\"".to_string(),
        "SELEC nothing".to_string(),
        String::new(),
    ];
    for sql in &refused {
        let r = app
            .action("datastore_search_sql", Some(&outsider), json!({"sql": sql}))
            .await;
        let v = r.json();
        assert_eq!(v["success"], false, "{sql} was allowed: {v}");
        assert!(matches!(r.status.as_u16(), 404 | 409), "{sql}: {v}");
        let text = v.to_string();
        assert!(!text.contains("Bảng noi-bo"), "{sql} leaked: {text}");
    }
    assert!(!std::path::Path::new("/tmp/sen-escape.csv").exists());
    // An internal table and a missing one answer alike.
    let hidden = app
        .action(
            "datastore_search_sql",
            None,
            json!({"sql": format!("SELECT * FROM \"{internal}\"")}),
        )
        .await
        .json();
    let missing = app
        .action(
            "datastore_search_sql",
            None,
            json!({"sql": "SELECT * FROM \"00000000-0000-0000-0000-000000000000\""}),
        )
        .await
        .json();
    assert_eq!(hidden["error"]["__type"], missing["error"]["__type"]);

    // Every path to the internal table is closed to outsiders…
    app.fails(
        "datastore_search",
        Some(&outsider),
        json!({"resource_id": internal}),
        404,
        "Not Found Error",
    )
    .await;
    app.fails(
        "datastore_info",
        None,
        json!({"id": internal}),
        404,
        "Not Found Error",
    )
    .await;
    app.fails(
        "datastore_status",
        None,
        json!({"resource_id": internal}),
        404,
        "Not Found Error",
    )
    .await;
    assert_eq!(
        app.get(&format!("/datastore/dump/{internal}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/resources/{internal}/export/parquet"),
            Some(&outsider)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/v1/resources/{internal}/query"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // … and open to its agency, joins included.
    let joined = app
        .ok("datastore_search_sql", Some(&editor), json!({"sql": format!("SELECT COUNT(*) AS n FROM \"{open}\" a JOIN \"{internal}\" b ON a.province_id = b.province_id")}))
        .await;
    assert_eq!(joined["records"][0]["n"], 63);
    assert_eq!(
        app.ok(
            "datastore_search",
            Some(&editor),
            json!({"resource_id": internal})
        )
        .await["total"],
        63
    );

    // Limits: rows are capped and said to be.
    let r = app
        .ok("datastore_search_sql", None, json!({"sql": format!("SELECT a.province_id FROM \"{open}\" a, \"{open}\" b, \"{open}\" c")}))
        .await;
    assert_eq!(r["records"].as_array().unwrap().len(), 32000);
    assert_eq!(r["records_truncated"], true);
}

#[tokio::test]
async fn dumps_and_exports_stream_the_whole_table() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-tc", "bien-tap").await;
    let rid = upload(
        &app,
        &editor,
        "so-tc",
        "cong-ty",
        "open",
        "cong-ty.csv",
        &shared("vn_listed_companies.csv"),
    )
    .await;
    drain_jobs(&app).await;
    let info = app.ok("datastore_info", None, json!({"id": rid})).await;
    let types: Vec<(String, String)> = info["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        types.contains(&("listingDate".into(), "date".into())),
        "{types:?}"
    );

    let r = app.get(&format!("/datastore/dump/{rid}"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").starts_with("text/csv"));
    assert!(r.header("content-disposition").contains(".csv"));
    let text = String::from_utf8(r.body.to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.records().count(), 752, "header plus every row");

    let r = app
        .get(&format!("/datastore/dump/{rid}?format=json"), None)
        .await;
    let v = r.json();
    assert_eq!(v["records"].as_array().unwrap().len(), 752);
    assert_eq!(v["fields"].as_array().unwrap().len(), types.len());
    let r = app
        .get(&format!("/datastore/dump/{rid}?format=tsv&bom=true"), None)
        .await;
    assert_eq!(String::from_utf8_lossy(&r.body).lines().count(), 753);
    let r = app
        .get(&format!("/api/v1/resources/{rid}/export/ndjson"), None)
        .await;
    let lines: Vec<Value> = String::from_utf8_lossy(&r.body)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 752);
    let r = app
        .get(&format!("/api/v1/resources/{rid}/export/parquet"), None)
        .await;
    assert!(r.body.starts_with(b"PAR1") && r.body.ends_with(b"PAR1"));
    let r = app
        .get(&format!("/datastore/dump/{rid}?format=bmp"), None)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // XLSX: a workbook that, uploaded again, gives back the same table.
    let r = app
        .get(&format!("/api/v1/resources/{rid}/export/xlsx"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").contains("spreadsheetml"));
    assert!(r.header("content-disposition").contains(".xlsx"));
    assert!(r.body.starts_with(b"PK"), "a zip container");
    let again = upload(
        &app,
        &editor,
        "so-tc",
        "cong-ty",
        "open",
        "cong-ty.xlsx",
        &r.body,
    )
    .await;
    drain_jobs(&app).await;
    let info = app.ok("datastore_info", None, json!({"id": again})).await;
    let round_trip: Vec<(String, String)> = info["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(round_trip, types, "same columns and types");
    let first = |id: &str| {
        let (app, id) = (&app, id.to_string());
        async move {
            app.ok(
                "datastore_search",
                None,
                json!({"resource_id": id, "sort": "symbol", "limit": 1}),
            )
            .await
        }
    };
    let (a, b) = (first(&rid).await, first(&again).await);
    assert_eq!(b["total"], 752);
    assert_eq!(a["records"], b["records"], "same first row, date included");
}

#[tokio::test]
async fn the_same_data_in_csv_xls_and_xlsx_gives_the_same_table() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("tong-cuc", "bien-tap").await;
    let mut schemas = Vec::new();
    for (i, file) in [
        "gso_dvhc_2021-07-11.csv",
        "gso_dvhc_2021-07-11.xls",
        "gso_dvhc_2021-07-11.xlsx",
    ]
    .iter()
    .enumerate()
    {
        let rid = upload(
            &app,
            &editor,
            "tong-cuc",
            &format!("dvhc-{i}"),
            "open",
            file,
            &shared(file),
        )
        .await;
        drain_jobs(&app).await;
        let info = app.ok("datastore_info", None, json!({"id": rid})).await;
        assert_eq!(info["meta"]["count"], 10604, "{file}");
        let first = app
            .ok(
                "datastore_search",
                None,
                json!({"resource_id": rid, "limit": 1, "sort": "Mã PX"}),
            )
            .await;
        schemas.push((info["fields"].clone(), first["records"][0].clone()));
    }
    assert_eq!(schemas[0], schemas[1], "CSV and XLS");
    assert_eq!(schemas[0], schemas[2], "CSV and XLSX");
}

#[tokio::test]
async fn a_dirty_file_is_reported_row_by_row_and_a_new_upload_replaces_the_table() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("quoc-hoi", "bien-tap").await;
    let rid = upload(
        &app,
        &editor,
        "quoc-hoi",
        "dai-bieu",
        "open",
        "dai-bieu.csv",
        &shared("vn_national_assembly_members.csv"),
    )
    .await;
    drain_jobs(&app).await;
    let status = app
        .ok("datastore_status", None, json!({"resource_id": rid}))
        .await;
    assert_eq!(status["job"]["state"], "done", "{status}");
    let report = &status["report"];
    assert!(report["rejected_count"].as_i64().unwrap() >= 5, "{report}");
    assert!(
        report["rejected"][0]["line"].as_i64().unwrap() > 1,
        "{report}"
    );
    let kept = status["rows"].as_i64().unwrap();
    assert_eq!(
        kept + report["rejected_count"].as_i64().unwrap(),
        6511,
        "every row is kept or reported"
    );
    // The original file is untouched and downloadable.
    let file = app
        .get(&format!("/dataset/dai-bieu/resource/{rid}/download"), None)
        .await;
    assert_eq!(
        file.body.len(),
        shared("vn_national_assembly_members.csv").len()
    );

    // A new file: the table is replaced whole, the old Parquet object removed.
    let old_key = app
        .catalog
        .datastore_parquet_key(&sen_catalog::Actor::anonymous(), &rid)
        .await
        .unwrap()
        .1;
    let r = app
        .post_multipart(
            "/api/3/action/resource_update",
            Some(&editor),
            &[("id", &rid)],
            Some(("tinh.csv", &shared("vn_provinces.csv"))),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // Until the job runs, readers keep the old table.
    assert_eq!(
        app.ok("datastore_info", None, json!({"id": rid})).await["meta"]["count"],
        kept
    );
    drain_jobs(&app).await;
    assert_eq!(
        app.ok("datastore_info", None, json!({"id": rid})).await["meta"]["count"],
        63
    );
    assert!(
        app.catalog.storage.size(&old_key).await.is_err(),
        "old table deleted"
    );

    // A file that is no table: the job ends with a report, no table, no retry.
    let pdf = upload(
        &app,
        &editor,
        "quoc-hoi",
        "dai-bieu",
        "open",
        "bao-cao.csv",
        b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary",
    )
    .await;
    drain_jobs(&app).await;
    let status = app
        .ok("datastore_status", None, json!({"resource_id": pdf}))
        .await;
    assert_eq!(status["datastore_active"], false, "{status}");
    assert!(
        matches!(
            status["job"]["state"].as_str(),
            Some("failed") | Some("done")
        ),
        "{status}"
    );
}

#[tokio::test]
async fn a_job_whose_worker_died_runs_again_once_and_only_once() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-xd", "bien-tap").await;
    let rid = upload(
        &app,
        &editor,
        "so-xd",
        "tinh",
        "open",
        "tinh.csv",
        &shared("vn_provinces.csv"),
    )
    .await;

    // A worker leases the job, then dies without a word.
    let mut c = app.catalog.db.conn().await.unwrap();
    let now = sen_domain::time::now();
    let soon = sen_domain::time::format(chrono::Utc::now() + chrono::Duration::seconds(1));
    let leased = sen_db::lease_job(
        &mut c,
        app.catalog.db.backend(),
        &["datastore_ingest"],
        "dead-worker",
        &now,
        &soon,
    )
    .await
    .unwrap()
    .expect("the queued job");
    drop(c);
    // While the lease holds, nobody else takes it.
    assert!(!app.catalog.run_one_job("other").await.unwrap());
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    // Then another worker does, once.
    assert_eq!(drain_jobs(&app).await, 1);
    let status = app
        .ok("datastore_status", None, json!({"resource_id": rid}))
        .await;
    assert_eq!(status["job"]["id"], leased.id.as_str());
    assert_eq!(status["job"]["state"], "done");
    assert_eq!(status["job"]["attempts"], 2);
    assert_eq!(status["rows"], 63);
    // The dead worker, back, cannot overwrite the outcome.
    let mut c = app.catalog.db.conn().await.unwrap();
    let late = sen_db::finish_job(
        &mut c,
        &leased.id,
        "dead-worker",
        Err("late"),
        &sen_domain::time::now(),
    )
    .await
    .unwrap();
    assert!(!late);
    // Queueing twice for the same resource keeps one job.
    let (a, new_a) = sen_db::enqueue_job(&mut c, "j1", "datastore_ingest", &rid, "{}", &now)
        .await
        .unwrap();
    let (b, new_b) = sen_db::enqueue_job(&mut c, "j2", "datastore_ingest", &rid, "{}", &now)
        .await
        .unwrap();
    assert!(new_a && !new_b);
    assert_eq!(a, b);
}

#[tokio::test]
async fn publishers_retype_and_describe_columns_and_the_page_shows_the_table() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-kh", "bien-tap").await;
    let reader = app.user("ban-doc", false).await;
    let rid = upload(
        &app,
        &editor,
        "so-kh",
        "cong-ty",
        "open",
        "cong-ty.csv",
        &shared("vn_listed_companies.csv"),
    )
    .await;
    drain_jobs(&app).await;
    let info = app.ok("datastore_info", None, json!({"id": rid})).await;
    let id_type = info["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "listingDate")
        .unwrap()["type"]
        .clone();
    assert_eq!(id_type, "date", "{info}");

    // Only editors of the dataset change the schema; bad input changes nothing.
    app.fails(
        "datastore_schema_update",
        Some(&reader),
        json!({"resource_id": rid, "fields": []}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "datastore_schema_update",
        Some(&editor),
        json!({"resource_id": rid, "fields": [{"name": "khong-co", "type": "string"}]}),
        409,
        "Validation Error",
    )
    .await;
    app.fails(
        "datastore_schema_update",
        Some(&editor),
        json!({"resource_id": rid, "fields": [{"name": "listingDate", "type": "ngay"}]}),
        409,
        "Validation Error",
    )
    .await;
    let r = app
        .ok(
            "datastore_schema_update",
            Some(&editor),
            json!({"resource_id": rid, "fields": [{"name": "listingDate", "type": "string", "title": "Ngày niêm yết", "description": "Ngày cổ phiếu lên sàn"}]}),
        )
        .await;
    assert_eq!(r["reingesting"], true);
    drain_jobs(&app).await;
    let info = app.ok("datastore_info", None, json!({"id": rid})).await;
    let field = info["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "listingDate")
        .unwrap()
        .clone();
    assert_eq!(field["type"], "text", "retyped: {field}");
    assert_eq!(field["info"]["label"], "Ngày niêm yết");

    // The resource page: a table with the total, sortable headers, a filter form, exports.
    // (minijinja writes "/" in attributes as "&#x2f;", which browsers read as "/")
    let html = String::from_utf8(
        app.get(&format!("/dataset/cong-ty/resource/{rid}"), None)
            .await
            .body
            .to_vec(),
    )
    .unwrap()
    .replace("&#x2f;", "/");
    assert!(html.contains("id=\"data\""), "data section");
    assert!(html.contains("Số dòng: 752"), "row count shown");
    assert!(
        !html.contains("preview-text"),
        "no second preview beside the table"
    );
    assert!(
        html.contains("Ngày niêm yết"),
        "the publisher's title shows"
    );
    assert!(html.contains(&format!("/api/v1/resources/{rid}/export/parquet")));
    assert!(html.contains("ds_sort="), "sortable headers");
    let sorted = String::from_utf8(
        app.get(
            &format!("/dataset/cong-ty/resource/{rid}?ds_col=symbol&ds_val=AAA"),
            None,
        )
        .await
        .body
        .to_vec(),
    )
    .unwrap();
    assert!(sorted.contains("Số dòng: 1<"), "filtered to one row");
}

#[tokio::test]
async fn tables_are_created_upserted_and_deleted_through_the_api_as_ckan_clients_do() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-yt", "bien-tap").await;
    let outsider = app.user("nguoi-ngoai", false).await;
    app.ok(
        "package_create",
        Some(&editor),
        json!({"name": "benh-vien", "title": "Bệnh viện", "owner_org": "so-yt"}),
    )
    .await;
    let rid = app
        .ok("resource_create", Some(&editor), json!({"package_id": "benh-vien", "name": "Danh sách", "url": "https://syt.hanoi.gov.vn/benh-vien"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let fields = json!([{"id": "ma", "type": "text"}, {"id": "ten", "type": "text", "info": {"label": "Tên bệnh viện"}},
                        {"id": "giuong", "type": "int"}, {"id": "thanh_lap", "type": "date"}]);
    app.fails(
        "datastore_create",
        Some(&outsider),
        json!({"resource_id": rid, "fields": fields}),
        403,
        "Authorization Error",
    )
    .await;
    app.fails(
        "datastore_create",
        Some(&editor),
        json!({"resource_id": rid, "fields": [{"id": "x", "type": "hình"}]}),
        409,
        "Validation Error",
    )
    .await;
    let made = app
        .ok(
            "datastore_create",
            Some(&editor),
            json!({"resource_id": rid, "fields": fields, "primary_key": "ma",
                   "records": [{"ma": "001", "ten": "Bệnh viện Bạch Mai", "giuong": 3200, "thanh_lap": "1911-09-15"},
                               {"ma": "002", "ten": "Bệnh viện Việt Đức", "giuong": 1500, "thanh_lap": "1906-01-01"}]}),
        )
        .await;
    assert_eq!(made["primary_key"], json!(["ma"]));
    let all = app
        .ok(
            "datastore_search",
            None,
            json!({"resource_id": rid, "sort": "ma"}),
        )
        .await;
    assert_eq!(all["total"], 2);
    assert_eq!(all["records"][0]["ma"], "001", "codes keep their zeros");
    assert_eq!(all["records"][0]["giuong"], 3200);
    let types: Vec<&str> = all["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["text", "text", "int", "date"]);

    // Upsert replaces by key and adds; insert of an existing key and update of a
    // missing one are refused and change nothing.
    app.ok(
        "datastore_upsert",
        Some(&editor),
        json!({"resource_id": rid, "records": [{"ma": "002", "ten": "Bệnh viện Hữu nghị Việt Đức", "giuong": 1600, "thanh_lap": "1906-01-01"},
                                                 {"ma": "003", "ten": "Bệnh viện K", "giuong": 2000, "thanh_lap": "1969-01-01"}]}),
    )
    .await;
    let e = app
        .fails("datastore_upsert", Some(&editor), json!({"resource_id": rid, "method": "insert", "records": [{"ma": "001", "ten": "Trùng"}]}), 409, "Validation Error")
        .await;
    assert!(e["records"].is_array(), "{e}");
    app.fails("datastore_upsert", Some(&editor), json!({"resource_id": rid, "method": "update", "records": [{"ma": "999", "ten": "Không có"}]}), 409, "Validation Error")
        .await;
    app.fails(
        "datastore_upsert",
        Some(&editor),
        json!({"resource_id": rid, "records": [{"ten": "Không khóa"}]}),
        409,
        "Validation Error",
    )
    .await;
    let all = app
        .ok(
            "datastore_search",
            None,
            json!({"resource_id": rid, "sort": "ma"}),
        )
        .await;
    assert_eq!(all["total"], 3);
    assert_eq!(all["records"][1]["ten"], "Bệnh viện Hữu nghị Việt Đức");
    assert_eq!(all["records"][1]["giuong"], 1600);

    // Delete by filter, then the whole table.
    let d = app
        .ok(
            "datastore_delete",
            Some(&editor),
            json!({"resource_id": rid, "filters": {"ma": "003"}}),
        )
        .await;
    assert_eq!(d["deleted"], 1);
    assert_eq!(
        app.ok("datastore_search", None, json!({"resource_id": rid}))
            .await["total"],
        2
    );
    app.fails(
        "datastore_delete",
        Some(&outsider),
        json!({"resource_id": rid}),
        403,
        "Authorization Error",
    )
    .await;
    app.ok(
        "datastore_delete",
        Some(&editor),
        json!({"resource_id": rid}),
    )
    .await;
    app.fails(
        "datastore_search",
        None,
        json!({"resource_id": rid}),
        404,
        "Not Found Error",
    )
    .await;
}

/// Charts and maps are drawn on the server as SVG from the visitor's query,
/// with the figures beside them; coordinates and GeoJSON shapes become a map.
#[tokio::test]
async fn resource_pages_draw_charts_and_maps() {
    let app = TestApp::new().await;
    let editor = app.org_with_editor("so-tnmt", "bien-tap").await;
    let csv = "Tên trạm,Tỉnh,Vĩ độ,Kinh độ,PM2.5\n\
               Hoàn Kiếm,Hà Nội,21.0285,105.8542,41.5\n\
               Cầu Giấy,Hà Nội,21.0333,105.8000,38.5\n\
               Quận 1,TP Hồ Chí Minh,10.7769,106.7009,30\n\
               Hải Châu,Đà Nẵng,16.0544,108.2022,22\n";
    let rid = upload(
        &app,
        &editor,
        "so-tnmt",
        "quan-trac",
        "open",
        "tram.csv",
        csv.as_bytes(),
    )
    .await;
    drain_jobs(&app).await;
    let path = format!("/dataset/quan-trac/resource/{rid}");
    let page = |query: &str| {
        let (app, uri) = (&app, format!("{path}{query}"));
        async move {
            let r = app.get(&uri, None).await;
            assert_eq!(r.status, StatusCode::OK);
            String::from_utf8(r.body.to_vec()).unwrap()
        }
    };
    let plain = page("").await;
    assert!(plain.contains("id=\"chart\""), "the chart form is offered");
    assert!(!plain.contains("chart-bar"), "no chart until asked for");
    assert_eq!(
        plain.matches("class=\"map-point\"").count(),
        4,
        "one point per station"
    );

    let bars = page("?ch_type=bar&ch_x=T%E1%BB%89nh&ch_agg=count").await;
    assert_eq!(
        bars.matches("<rect x=\"230.0\"").count(),
        3,
        "a bar per province"
    );
    assert!(
        bars.contains("Hà Nội: 2<"),
        "the tallest bar is Hà Nội with 2 stations"
    );
    let avg = page("?ch_type=pie&ch_x=T%E1%BB%89nh&ch_agg=avg&ch_y=PM2.5").await;
    assert!(
        avg.contains("Hà Nội: 40 (43,5%)"),
        "average of 41.5 and 38.5, share with a decimal comma"
    );
    assert!(avg.contains("chart-c2"), "three slices");
    let english =
        page("?ch_type=line&ch_x=T%C3%AAn%20tr%E1%BA%A1m&ch_agg=sum&ch_y=PM2.5&lang=en").await;
    assert!(
        english.contains("Sum of PM2.5 by Tên trạm"),
        "caption in English"
    );
    assert!(english.contains("<polyline"), "a line");
    assert!(english.contains("41.5"), "decimal point in English");
    let bad = page("?ch_type=bar&ch_x=kh%C3%B4ng-c%C3%B3&ch_agg=sum&ch_y=nope").await;
    assert!(
        bad.contains("chart-bar"),
        "unknown columns fall back to ones that exist"
    );

    let geojson = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"ten":"Hồ Gươm"},"geometry":{"type":"Polygon","coordinates":[[[105.851,21.027],[105.854,21.027],[105.854,21.031],[105.851,21.031],[105.851,21.027]]]}},
        {"type":"Feature","properties":{"ten":"Tháp Rùa"},"geometry":{"type":"Point","coordinates":[105.8524,21.0288]}}]}"#;
    let gid = upload(
        &app,
        &editor,
        "so-tnmt",
        "quan-trac",
        "open",
        "ho.geojson",
        geojson.as_bytes(),
    )
    .await;
    drain_jobs(&app).await;
    let r = app
        .get(&format!("/dataset/quan-trac/resource/{gid}"), None)
        .await;
    let html = String::from_utf8(r.body.to_vec()).unwrap();
    assert_eq!(
        html.matches("class=\"map-area\"").count(),
        1,
        "the lake's outline"
    );
    assert_eq!(html.matches("class=\"map-point\"").count(), 1, "the tower");
}
