//! `sen bench datastore`: a large CSV from upload to queryable table, and
//! queries on it, measured on Sen and — in the same run — on what CKAN's
//! XLoader does (PostgreSQL `COPY` into an all-text table, then the same
//! queries there).
//!
//! The CSV is generated (deterministic): household records with Vietnamese
//! names and places, codes with leading zeros, dd/mm/yyyy dates, decimals, and
//! free text with commas, quotes and line breaks. Sen runs as a separate
//! process; the file is uploaded through the CKAN API like any client would.

use crate::bench::{
    act, bench_config, catalogue_error, drive, free_port, ms, peak_memory_kib, progress,
    start_server, verdict, HttpClient, Measured, Rng, Worker, PROVINCES,
};
use anyhow::Context;
use clap::Args;
use sen_catalog::Actor;
use sen_db::bench_table_reference::PgTableReference;
use serde_json::{json, Value};
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Args)]
pub struct DatastoreArgs {
    /// Rows of the generated CSV.
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: usize,
    /// datastore_search requests to send (each side), after a warm-up.
    #[arg(long, default_value_t = 2_000)]
    pub requests: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// PostgreSQL URL for the reference; its user must be allowed to CREATE
    /// DATABASE. Without it the reference is skipped.
    #[arg(
        long,
        value_name = "URL",
        env = "SEN_BENCH_POSTGRES",
        hide_env_values = true
    )]
    pub postgres: Option<String>,
}

// The targets of the datastore issue.
const TARGET_MEMORY_MB: f64 = 512.0;
const TARGET_SEARCH_P50_MS: f64 = 50.0;
const TARGET_GROUP_BY_SPEEDUP: f64 = 3.0;
const GROUP_BY_RUNS: usize = 5;

const HEADER: [&str; 9] = [
    "Mã hộ",
    "Họ và tên",
    "Địa chỉ",
    "Tỉnh/Thành phố",
    "Mã tỉnh",
    "Ngày sinh",
    "Số nhân khẩu",
    "Thu nhập (triệu đồng)",
    "Ghi chú",
];
const PROVINCE_COLUMN: &str = "Tỉnh/Thành phố";
const PEOPLE_COLUMN: &str = "Số nhân khẩu";
const INCOME_COLUMN: &str = "Thu nhập (triệu đồng)";

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Gia",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương",
    "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Phong", "Phúc", "Quang", "Sơn",
    "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Vy",
];
const STREETS: &[&str] = &[
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Điện Biên Phủ",
    "Quang Trung",
    "Hùng Vương",
    "Phan Đình Phùng",
    "Nguyễn Văn Cừ",
];
const NOTES: &[&str] = &[
    "",
    "",
    "Hộ nghèo, đã được hỗ trợ vay vốn",
    "Gia đình chính sách; nhà ở \"kiên cố\"",
    "Chuyển đến từ tỉnh khác năm 2023",
    "Hộ cận nghèo, có người cao tuổi, cần hỗ trợ y tế",
    "Ghi chú dài:\nđịa chỉ cũ trước sáp nhập, xã đã đổi tên",
    "Sản xuất nông nghiệp, chăn nuôi nhỏ lẻ",
];

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes the benchmark CSV; returns its size in bytes.
fn generate_csv(path: &Path, rows: usize, started: Instant) -> anyhow::Result<u64> {
    let file = std::fs::File::create(path).context("cannot create the CSV")?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(out, "{}", HEADER.map(csv_field).join(","))?;
    let mut rng = Rng::new(0x5E4_DA7A);
    let step = (rows / 5).max(1);
    for i in 0..rows {
        let p = rng.below(PROVINCES.len());
        let (province, city) = PROVINCES[p];
        let place = if city {
            format!("Thành phố {province}")
        } else {
            format!("Tỉnh {province}")
        };
        let name = format!(
            "{} {} {}",
            rng.pick(FAMILY),
            rng.pick(MIDDLE),
            rng.pick(GIVEN)
        );
        let birth = format!(
            "{:02}/{:02}/{}",
            rng.range(1, 28),
            rng.range(1, 12),
            rng.range(1935, 2007)
        );
        let people = rng.range(1, 9);
        let income = format!("{}.{:02}", rng.range(2, 950), rng.range(0, 99));
        let note = rng.pick(NOTES);
        let address = format!(
            "Số {}, đường {}, tổ dân phố {}, phường {}",
            rng.range(1, 999),
            rng.pick(STREETS),
            rng.range(1, 60),
            rng.range(1, 30)
        );
        writeln!(
            out,
            "{:08},{},{},{},{:02},{},{},{},{}",
            i + 1,
            csv_field(&name),
            csv_field(&address),
            csv_field(&place),
            p + 1,
            birth,
            people,
            income,
            csv_field(note)
        )?;
        if (i + 1) % step == 0 && i + 1 < rows {
            progress(started, format!("  {}/{rows} rows generated", i + 1));
        }
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// The province values the filters use (as written in the file).
fn place(i: usize) -> String {
    let (province, city) = PROVINCES[i % PROVINCES.len()];
    if city {
        format!("Thành phố {province}")
    } else {
        format!("Tỉnh {province}")
    }
}

/// Uploads the file as a multipart `resource_create`, streaming it.
async fn upload(
    addr: SocketAddr,
    token: &str,
    package: &str,
    path: &Path,
) -> anyhow::Result<Value> {
    let boundary = "sen-bench-datastore-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"package_id\"\r\n\r\n{package}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nHộ gia đình (benchmark)\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"ho-gia-dinh.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let size = std::fs::metadata(path)?.len();
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!(
        "POST /api/3/action/resource_create HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: {token}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        head.len() as u64 + size + tail.len() as u64
    );
    stream.write_all(request.as_bytes()).await?;
    stream.write_all(head.as_bytes()).await?;
    let mut file = tokio::fs::File::open(path).await?;
    tokio::io::copy(&mut file, &mut stream).await?;
    stream.write_all(tail.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let text = String::from_utf8_lossy(&answer);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    let v: Value = serde_json::from_str(body)
        .with_context(|| format!("upload answer: {}", &text[..text.len().min(500)]))?;
    anyhow::ensure!(v["success"] == json!(true), "upload refused: {v}");
    Ok(v["result"].clone())
}

async fn post_json(client: &mut HttpClient, path: &str, body: &Value) -> anyhow::Result<Value> {
    let (status, answer) = client
        .request("POST", path, body.to_string().as_bytes())
        .await?;
    let v: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
    anyhow::ensure!(status == 200, "{path} answered {status}: {v}");
    Ok(v["result"].clone())
}

struct SearchWorker {
    client: HttpClient,
    bodies: Arc<Vec<Vec<u8>>>,
}

impl Worker for SearchWorker {
    async fn call(&mut self, query: usize) -> Result<(), String> {
        match self
            .client
            .request(
                "POST",
                "/api/3/action/datastore_search",
                &self.bodies[query],
            )
            .await
        {
            Ok((200, _)) => Ok(()),
            Ok((status, a)) => Err(format!(
                "HTTP {status}: {}",
                String::from_utf8_lossy(&a[..a.len().min(300)])
            )),
            Err(e) => Err(format!("{e:#}")),
        }
    }
}

struct PgWorker {
    reference: Arc<PgTableReference>,
    filters: Arc<Vec<(String, String)>>,
}

impl Worker for PgWorker {
    async fn call(&mut self, query: usize) -> Result<(), String> {
        let (place, people) = &self.filters[query];
        self.reference
            .filter_sort(
                &[(PROVINCE_COLUMN, place), (PEOPLE_COLUMN, people)],
                INCOME_COLUMN,
                100,
            )
            .await
            .map(|_| ())
            .map_err(|e| format!("{e:#}"))
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

struct SenFigures {
    upload_seconds: f64,
    ingest_seconds: f64,
    rows: i64,
    peak_memory_mb: Option<f64>,
    search: Measured,
    group_by_ms: f64,
}

struct PgFigures {
    version: String,
    copy_seconds: f64,
    rows: u64,
    search: Measured,
    group_by_ms: f64,
}

pub async fn run_datastore(args: DatastoreArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.rows >= 1 && args.requests >= 1 && args.concurrency >= 1,
        "rows, requests and concurrency must be at least 1"
    );
    let started = Instant::now();
    let dir = tempfile::Builder::new()
        .prefix("sen-bench-ds-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let csv = dir.path().join("ho-gia-dinh.csv");
    progress(
        started,
        format!(
            "Sen datastore benchmark: generating {} rows in {}",
            args.rows,
            dir.path().display()
        ),
    );
    let bytes = generate_csv(&csv, args.rows, started)?;
    progress(
        started,
        format!("CSV written: {:.0} MB", bytes as f64 / 1e6),
    );

    // Filters the queries use: a province and a household size, over many values.
    let filters: Vec<(String, String)> = (0..60)
        .map(|i| (place(i * 7), ((i % 9) + 1).to_string()))
        .collect();

    let sen = measure_sen(dir.path(), &csv, &args, &filters, started).await?;
    let reference = match &args.postgres {
        Some(url) if !url.is_empty() => Some(
            measure_postgres(url, &csv, &args, &filters, started)
                .await
                .map_err(|e| format!("{e:#}")),
        ),
        _ => None,
    };
    print!("{}", render(&args, bytes, &sen, reference.as_ref()));
    if let Err(e) = dir.close() {
        eprintln!("warning: could not remove the temporary directory: {e}");
    }
    if let Some(Err(e)) = reference {
        anyhow::bail!("the PostgreSQL reference failed: {e}");
    }
    Ok(())
}

async fn measure_sen(
    dir: &Path,
    csv: &Path,
    args: &DatastoreArgs,
    filters: &[(String, String)],
    started: Instant,
) -> anyhow::Result<SenFigures> {
    // An operator account, an agency and a dataset, through the catalogue.
    let token = {
        let catalog = crate::open_catalog(&bench_config(dir)).await?;
        let new = sen_catalog::users::NewUser {
            name: "bench-admin",
            email: "bench-admin@example.org",
            password: "bench-admin-password",
            fullname: "Benchmark",
            sysadmin: true,
        };
        catalog
            .create_user(&Actor::anonymous(), new)
            .await
            .map_err(|e| catalogue_error("user", e))?;
        let token = catalog
            .admin_create_token("bench-admin", "bench")
            .await
            .map_err(|e| catalogue_error("token", e))?;
        let admin = catalog
            .authenticate_token(&token)
            .await
            .map_err(|e| catalogue_error("actor", e))?;
        act(
            &catalog,
            &admin,
            "organization_create",
            json!({"name": "tong-cuc-thong-ke", "title": "Tổng cục Thống kê"}),
        )
        .await?;
        act(&catalog, &admin, "package_create", json!({"name": "ho-gia-dinh", "title": "Hộ gia đình", "owner_org": "tong-cuc-thong-ke"})).await?;
        catalog.db.close().await;
        token
    };

    let port = free_port()?;
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let mut server = start_server(dir, port)?;
    let mut client = HttpClient::new(addr);
    let ready_by = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = server.child.try_wait()? {
            anyhow::bail!("`sen serve` exited ({status}):\n{}", server.log_tail());
        }
        if let Ok((200, _)) = client.request("GET", "/healthz", b"").await {
            break;
        }
        anyhow::ensure!(
            Instant::now() < ready_by,
            "`sen serve` did not start:\n{}",
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    progress(started, "Sen: uploading the CSV through resource_create");
    let upload_started = Instant::now();
    let resource = upload(addr, &token, "ho-gia-dinh", csv).await?;
    let upload_seconds = upload_started.elapsed().as_secs_f64();
    let rid = resource["id"].as_str().context("resource id")?.to_string();
    progress(
        started,
        format!("Sen: uploaded in {upload_seconds:.1} s; ingesting"),
    );
    let ingest_started = Instant::now();
    let status = loop {
        let s = post_json(
            &mut client,
            "/api/3/action/datastore_status",
            &json!({"resource_id": rid}),
        )
        .await?;
        match s["job"]["state"].as_str() {
            Some("done") => break s,
            Some("failed") => anyhow::bail!("ingestion failed: {}", s["job"]["report"]),
            _ => {}
        }
        if let Some(status) = server.child.try_wait()? {
            anyhow::bail!(
                "`sen serve` exited ({status}) while ingesting:\n{}",
                server.log_tail()
            );
        }
        anyhow::ensure!(
            ingest_started.elapsed() < Duration::from_secs(1800),
            "ingestion took over 30 minutes"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let ingest_seconds = ingest_started.elapsed().as_secs_f64();
    let peak_memory_mb = peak_memory_kib(server.child.id()).map(|k| k as f64 * 1024.0 / 1e6);
    let rows = status["rows"].as_i64().unwrap_or(-1);
    progress(
        started,
        format!("Sen: {rows} rows queryable after {ingest_seconds:.1} s"),
    );

    let bodies: Arc<Vec<Vec<u8>>> = Arc::new(
        filters
            .iter()
            .map(|(place, people)| {
                json!({"resource_id": rid, "filters": {PROVINCE_COLUMN: place, PEOPLE_COLUMN: people.parse::<i64>().unwrap_or(1)},
                       "sort": format!("{INCOME_COLUMN} desc"), "limit": 100})
                .to_string()
                .into_bytes()
            })
            .collect(),
    );
    for body in bodies.iter().take(5) {
        let v: Value = serde_json::from_slice(body)?;
        post_json(&mut client, "/api/3/action/datastore_search", &v).await?;
    }
    progress(
        started,
        format!(
            "Sen: {} datastore_search requests, concurrency {}",
            args.requests, args.concurrency
        ),
    );
    let workers = (0..args.concurrency)
        .map(|_| SearchWorker {
            client: HttpClient::new(addr),
            bodies: bodies.clone(),
        })
        .collect();
    let search = drive(workers, bodies.len(), args.requests).await;

    progress(started, "Sen: GROUP BY through datastore_search_sql");
    let sql = format!("SELECT \"{PROVINCE_COLUMN}\", COUNT(*) AS n, AVG(\"{INCOME_COLUMN}\") AS avg_income FROM \"{rid}\" GROUP BY \"{PROVINCE_COLUMN}\"");
    let mut times = Vec::new();
    for _ in 0..GROUP_BY_RUNS + 1 {
        let t = Instant::now();
        let r = post_json(
            &mut client,
            "/api/3/action/datastore_search_sql",
            &json!({"sql": sql}),
        )
        .await?;
        anyhow::ensure!(
            r["records"].as_array().map_or(0, Vec::len) == PROVINCES.len(),
            "GROUP BY gave {}",
            r["records"]
        );
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.remove(0); // the first run warms the file cache
    drop(server);
    Ok(SenFigures {
        upload_seconds,
        ingest_seconds,
        rows,
        peak_memory_mb,
        search,
        group_by_ms: median(times),
    })
}

async fn measure_postgres(
    url: &str,
    csv: &Path,
    args: &DatastoreArgs,
    filters: &[(String, String)],
    started: Instant,
) -> anyhow::Result<PgFigures> {
    let name = format!("sen_bench_ds_{}", uuid::Uuid::new_v4().simple());
    progress(
        started,
        "PostgreSQL reference: COPY into an all-text table (as CKAN's XLoader)",
    );
    let reference =
        Arc::new(PgTableReference::create(url, &name, &HEADER, args.concurrency as u32).await?);
    let result = async {
        let copy_started = Instant::now();
        let rows = reference.copy_csv(csv).await?;
        let copy_seconds = copy_started.elapsed().as_secs_f64();
        reference.analyze().await?;
        progress(
            started,
            format!("PostgreSQL reference: {rows} rows copied in {copy_seconds:.1} s; querying"),
        );
        let filters = Arc::new(filters.to_vec());
        let workers = (0..args.concurrency)
            .map(|_| PgWorker {
                reference: reference.clone(),
                filters: filters.clone(),
            })
            .collect();
        let search = drive(workers, filters.len(), args.requests).await;
        let mut times = Vec::new();
        for _ in 0..GROUP_BY_RUNS + 1 {
            let t = Instant::now();
            reference.group_by(PROVINCE_COLUMN, INCOME_COLUMN).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.remove(0);
        Ok::<_, anyhow::Error>(PgFigures {
            version: reference.version().await?,
            copy_seconds,
            rows,
            search,
            group_by_ms: median(times),
        })
    }
    .await;
    if let Err(e) = reference.drop_database().await {
        eprintln!("warning: the reference database {name} was not dropped: {e:#}");
    }
    result
}

fn render(
    args: &DatastoreArgs,
    bytes: u64,
    sen: &SenFigures,
    reference: Option<&Result<PgFigures, String>>,
) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(out, "Sen datastore benchmark — {} rows, {:.0} MB CSV, {} requests, concurrency {} ({cores} cores)", args.rows, bytes as f64 / 1e6, args.requests, args.concurrency);
    let _ = writeln!(out, "Sen {}: `sen serve` (SQLite, local files) as a separate process; upload through resource_create, typed Parquet table, queries over HTTP", env!("CARGO_PKG_VERSION"));
    let pg = match reference {
        None => {
            let _ = writeln!(
                out,
                "PostgreSQL reference: skipped (give --postgres URL or SEN_BENCH_POSTGRES)"
            );
            None
        }
        Some(Err(e)) => {
            let _ = writeln!(out, "PostgreSQL reference: FAILED — {e}");
            None
        }
        Some(Ok(p)) => {
            let _ = writeln!(out, "PostgreSQL reference: PostgreSQL {}, COPY into an all-text table (CKAN XLoader's way), no index; datastore_search as two statements (count, page with a numeric cast to sort)", p.version);
            Some(p)
        }
    };
    let _ = writeln!(
        out,
        "Sen upload: {:.1} s; rows queryable: {} (reference loaded: {})",
        sen.upload_seconds,
        sen.rows,
        pg.map_or("–".into(), |p| p.rows.to_string())
    );
    let _ = writeln!(out);
    let row = |out: &mut String, label: &str, s: String, p: String, target: String, v: &str| {
        let _ = writeln!(out, "{label:<26}{s:<16}{p:<16}{target:<20}{v}");
    };
    row(
        &mut out,
        "",
        "Sen".into(),
        "PostgreSQL".into(),
        "target".into(),
        "",
    );
    row(
        &mut out,
        "upload → queryable",
        format!("{:.1} s", sen.ingest_seconds),
        pg.map_or("–".into(), |p| format!("{:.1} s (COPY)", p.copy_seconds)),
        "≤ COPY".into(),
        pg.map_or("not measured", |p| {
            verdict(sen.ingest_seconds <= p.copy_seconds)
        }),
    );
    row(
        &mut out,
        "server peak memory",
        sen.peak_memory_mb
            .map_or("n/a".into(), |m| format!("{m:.0} MB")),
        "–".into(),
        format!("≤ {TARGET_MEMORY_MB:.0} MB"),
        sen.peak_memory_mb
            .map_or("not measured", |m| verdict(m <= TARGET_MEMORY_MB)),
    );
    let p50 = sen.search.percentile_ms(0.5, None);
    row(
        &mut out,
        "filter+sort p50",
        ms(p50),
        pg.map_or("–".into(), |p| ms(p.search.percentile_ms(0.5, None))),
        format!("≤ {TARGET_SEARCH_P50_MS:.0} ms"),
        verdict(p50 <= TARGET_SEARCH_P50_MS && sen.search.errors() == 0),
    );
    row(
        &mut out,
        "filter+sort p99",
        ms(sen.search.percentile_ms(0.99, None)),
        pg.map_or("–".into(), |p| ms(p.search.percentile_ms(0.99, None))),
        "–".into(),
        "",
    );
    row(
        &mut out,
        "requests answered",
        sen.search.samples.len().to_string(),
        pg.map_or("–".into(), |p| p.search.samples.len().to_string()),
        args.requests.to_string(),
        verdict(sen.search.samples.len() == args.requests),
    );
    row(
        &mut out,
        "errors",
        sen.search.errors().to_string(),
        pg.map_or("–".into(), |p| p.search.errors().to_string()),
        "0".into(),
        verdict(sen.search.errors() == 0),
    );
    let speedup = pg.map(|p| p.group_by_ms / sen.group_by_ms);
    row(
        &mut out,
        "GROUP BY (median of 5)",
        ms(sen.group_by_ms),
        pg.map_or("–".into(), |p| ms(p.group_by_ms)),
        format!("≥ {TARGET_GROUP_BY_SPEEDUP:.0}× faster"),
        speedup.map_or("not measured", |x| verdict(x >= TARGET_GROUP_BY_SPEEDUP)),
    );
    if let Some(x) = speedup {
        let _ = writeln!(out, "GROUP BY: Sen is {x:.1}× the reference's speed");
    }
    if let Some(e) = &sen.search.first_error {
        let _ = writeln!(out, "first Sen error: {e}");
    }
    if let Some(e) = pg.and_then(|p| p.search.first_error.as_ref()) {
        let _ = writeln!(out, "first PostgreSQL error: {e}");
    }
    let _ = writeln!(out, "CKAN's published figures for comparison (not measured here): XLoader 206 s for a 1M-row 475 MB CSV (its COPY 21 s), DataPusher 2,350 s");
    out
}
