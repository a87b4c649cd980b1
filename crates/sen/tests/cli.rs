//! The `sen` command line as operators and scripts use it, and the served
//! portal as a separate process (demo catalogue, large uploads).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A data directory, and a fresh PostgreSQL database when TEST_DATABASE_URL is
/// set (the suite then runs on PostgreSQL), else the default SQLite file.
struct Place {
    dir: tempfile::TempDir,
    database_url: Option<String>,
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl Place {
    fn new() -> Self {
        let database_url = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .map(|admin| {
                let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let name = format!("sen_t_cli_{}_{n}", std::process::id());
                tokio::runtime::Runtime::new()
                    .unwrap()
                    .block_on(sen_db::create_postgres_database(&admin, &name))
                    .unwrap()
            });
        Self {
            dir: tempfile::tempdir().unwrap(),
            database_url,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn sen(place: &Place) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sen"));
    c.arg("--data-dir").arg(place.path()).env("SEN_LOG", "warn");
    match &place.database_url {
        Some(url) => c.env("DATABASE_URL", url),
        None => c.env_remove("DATABASE_URL"),
    };
    c
}

fn run_with_stdin(mut cmd: Command, input: &str) -> std::process::Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sen");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn help_explains_every_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_sen"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for word in ["serve", "migrate", "admin", "DATABASE_URL"] {
        assert!(text.contains(word), "{word} missing from --help:\n{text}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_sen"))
        .args(["admin", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("create-user") && text.contains("create-token"),
        "{text}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_sen"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("--bind") && text.contains("--demo") && text.contains("--data-dir"),
        "{text}"
    );
}

#[test]
fn operator_creates_users_and_tokens() {
    let dir = Place::new();
    let out = sen(&dir).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut cmd = sen(&dir);
    cmd.args([
        "admin",
        "create-user",
        "quan-tri",
        "--email",
        "qt@example.gov.vn",
        "--sysadmin",
    ]);
    let out = run_with_stdin(cmd, "mat-khau-rat-dai\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = sen(&dir)
        .args(["admin", "create-token", "quan-tri", "--label", "ci"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<_> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "the token alone: {stdout:?}");
    assert!(lines[0].starts_with("sen_") && lines[0].len() > 40);

    // Bad input: a clear message and a failing exit code.
    let mut cmd = sen(&dir);
    cmd.args([
        "admin",
        "create-user",
        "quan-tri",
        "--email",
        "x@example.vn",
    ]);
    let out = run_with_stdin(cmd, "mat-khau-rat-dai\n");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already in use"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut cmd = sen(&dir);
    cmd.args(["admin", "create-user", "ngan", "--email", "n@example.vn"]);
    let out = run_with_stdin(cmd, "123\n");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("password"));
    let out = sen(&dir)
        .args(["admin", "create-token", "khong-co"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
}

/// A `sen serve` process on a free port, stopped on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(dir: &Place, extra: &[&str], env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let mut cmd = sen(dir);
    cmd.args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let server = Server {
        child: cmd.spawn().unwrap(),
        port,
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok((200, _)) = http(port, "GET", "/healthz", None, &[]) {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("sen serve did not start");
}

/// A minimal HTTP/1.1 client (one request per connection).
fn http(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    let auth = token
        .map(|t| format!("Authorization: {t}\r\n"))
        .unwrap_or_default();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len())?;
    s.write_all(body)?;
    read_response(s)
}

fn read_response(s: TcpStream) -> std::io::Result<(u16, String)> {
    let mut reader = BufReader::new(s);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest)?;
    let text = String::from_utf8_lossy(&rest).to_string();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

#[test]
fn serve_demo_starts_with_the_vietnamese_catalogue() {
    let dir = Place::new();
    let server = start(&dir, &["--demo"], &[]);
    let (status, body) = http(server.port, "GET", "/api/3/action/package_list", None, &[]).unwrap();
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let names = v["result"].as_array().unwrap();
    assert!(names.len() >= 20, "{} open datasets", names.len());
    assert!(names
        .iter()
        .any(|n| n == "danh-muc-don-vi-hanh-chinh-gso-2021"));
    let (_, body) = http(
        server.port,
        "GET",
        "/api/3/action/package_show?id=danh-muc-don-vi-hanh-chinh-gso-2021",
        None,
        &[],
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let csv = v["result"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["format"] == "CSV")
        .unwrap()
        .clone();
    // The real GSO file, byte for byte (sha256 from shared/data/SOURCES.md).
    assert_eq!(
        csv["hash"],
        "1d867fbd406e3dfde0eb733b8774a6980f5b40de7ac179d14608404e3a5a20d3"
    );
    let (_, body) = http(
        server.port,
        "GET",
        "/api/3/action/organization_show?id=tinh-quang-nam",
        None,
        &[],
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["result"]["successor"]["name"], "thanh-pho-da-nang");
    // The legal library holds the real texts' metadata, linked both ways.
    let (status, body) = http(
        server.port,
        "GET",
        "/api/3/action/legal_document_show?id=47-2020-nd-cp",
        None,
        &[],
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["result"]["number"], "47/2020/NĐ-CP");
    assert_eq!(v["result"]["signed_on"], "2020-04-09");
    assert_eq!(v["result"]["status"], "amended");
    assert_eq!(v["result"]["amended_by"][0]["number"], "194/2025/NĐ-CP");
    let (_, body) = http(
        server.port,
        "GET",
        "/api/3/action/legal_document_show?id=60-2024-qh15",
        None,
        &[],
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["result"]["effective_from"], "2025-07-01");
    assert_eq!(v["result"]["issuer"], "Quốc hội");
    let (status, body) = http(server.port, "GET", "/news", None, &[]).unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("Giới thiệu trung tâm tri thức"));
    drop(server);
    // A second start finds the catalogue and does not load it twice.
    let server = start(&dir, &["--demo"], &[]);
    let (_, body) = http(server.port, "GET", "/api/3/action/package_list", None, &[]).unwrap();
    let again: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(again["result"].as_array().unwrap().len(), names.len());
}

fn status_kib(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap()
}

/// A 2 GiB upload (SEN_TEST_UPLOAD_MIB to change) through a real server process
/// must not grow its peak memory by more than a few tens of MiB.
#[test]
fn a_two_gib_upload_streams_in_bounded_memory() {
    let mib: u64 = std::env::var("SEN_TEST_UPLOAD_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2048);
    let dir = Place::new();
    let mut cmd = sen(&dir);
    cmd.args([
        "admin",
        "create-user",
        "tai-len",
        "--email",
        "t@example.gov.vn",
        "--sysadmin",
    ]);
    assert!(run_with_stdin(cmd, "mat-khau-rat-dai\n").status.success());
    let token = String::from_utf8(
        sen(&dir)
            .args(["admin", "create-token", "tai-len"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let token = token.trim();
    let limit = ((mib + 64) * 1024 * 1024).to_string();
    let server = start(&dir, &[], &[("SEN_MAX_UPLOAD_BYTES", &limit)]);
    let port = server.port;
    let ok = |(s, b): (u16, String)| assert_eq!(s, 200, "{b}");
    ok(http(
        port,
        "POST",
        "/api/3/action/organization_create",
        Some(token),
        br#"{"name": "kho-du-lieu"}"#,
    )
    .unwrap());
    ok(http(
        port,
        "POST",
        "/api/3/action/package_create",
        Some(token),
        br#"{"name": "tep-lon", "owner_org": "kho-du-lieu"}"#,
    )
    .unwrap());

    let pid = server.child.id();
    let before = status_kib(pid, "VmHWM:");
    let boundary = "sen-big-upload";
    let head = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"package_id\"\r\n\r\ntep-lon\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"lớn.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    let tail = format!("\r\n--{boundary}--\r\n");
    let size = mib * 1024 * 1024;
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "POST /api/3/action/resource_create HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n", head.len() as u64 + size + tail.len() as u64).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b's'; 1024 * 1024];
    for _ in 0..mib {
        s.write_all(&chunk).unwrap();
    }
    s.write_all(tail.as_bytes()).unwrap();
    let (status, body) = read_response(s).unwrap();
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["result"]["size"], serde_json::json!(size));
    let after = status_kib(pid, "VmHWM:");
    let growth_mib = after.saturating_sub(before) / 1024;
    eprintln!(
        "upload of {mib} MiB: server peak memory {} MiB → {} MiB (+{growth_mib} MiB)",
        before / 1024,
        after / 1024
    );
    assert!(
        growth_mib < 64,
        "peak memory grew by {growth_mib} MiB for a {mib} MiB upload"
    );
}

/// The `s3s-fs` S3 server binary, from PATH or cargo's bin directory.
fn s3s_fs() -> Option<std::path::PathBuf> {
    let mut dirs: Vec<std::path::PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(Path::new(&home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("s3s-fs"))
        .find(|p| p.is_file())
}

fn upload(port: u16, token: &str, package: &str, filename: &str, data: &[u8]) -> (u16, String) {
    let boundary = "sen-s3-upload";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"package_id\"\r\n\r\n{package}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"{filename}\"\r\n\r\n").into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "POST /api/3/action/resource_create HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n", body.len()).unwrap();
    s.write_all(&body).unwrap();
    read_response(s).unwrap()
}

/// Files in an S3-compatible store (`s3s-fs`, a real S3 server over a
/// directory): upload, download, range, through `SEN_STORAGE_URL=s3://…`.
#[test]
fn files_can_live_in_s3_compatible_storage() {
    let Some(server_bin) = s3s_fs() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install s3s-fs (see .ci/run)"
        );
        eprintln!("skipped: s3s-fs is not installed (cargo install s3s-fs --features binary)");
        return;
    };
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("du-lieu")).unwrap();
    let s3_port = free_port();
    let mut s3 = Command::new(server_bin)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &s3_port.to_string(),
            "--access-key",
            "sen-test",
            "--secret-key",
            "sen-test-secret",
        ])
        .arg(root.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", s3_port)).is_err() {
        assert!(Instant::now() < deadline, "s3s-fs did not start");
        std::thread::sleep(Duration::from_millis(50));
    }

    let place = Place::new();
    let mut cmd = sen(&place);
    cmd.args([
        "admin",
        "create-user",
        "kho",
        "--email",
        "kho@example.gov.vn",
        "--sysadmin",
    ]);
    assert!(run_with_stdin(cmd, "mat-khau-rat-dai\n").status.success());
    let token = String::from_utf8(
        sen(&place)
            .args(["admin", "create-token", "kho"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let token = token.trim();
    let endpoint = format!("http://127.0.0.1:{s3_port}");
    let env = [
        ("SEN_STORAGE_URL", "s3://du-lieu/cong-du-lieu"),
        ("AWS_ENDPOINT", endpoint.as_str()),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_ACCESS_KEY_ID", "sen-test"),
        ("AWS_SECRET_ACCESS_KEY", "sen-test-secret"),
        ("AWS_REGION", "us-east-1"),
    ];
    let server = start(&place, &[], &env);
    let port = server.port;
    assert_eq!(
        http(
            port,
            "POST",
            "/api/3/action/organization_create",
            Some(token),
            br#"{"name": "so-tnmt"}"#
        )
        .unwrap()
        .0,
        200
    );
    assert_eq!(
        http(
            port,
            "POST",
            "/api/3/action/package_create",
            Some(token),
            br#"{"name": "quan-trac", "owner_org": "so-tnmt"}"#
        )
        .unwrap()
        .0,
        200
    );
    let data = "trạm,pm25\nHoàn Kiếm,35\nCầu Giấy,41\n".repeat(1000);
    let (status, body) = upload(port, token, "quan-trac", "quan-trắc.csv", data.as_bytes());
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let url = v["result"]["url"].as_str().unwrap();
    let path = &url[url.find("/dataset/").unwrap()..];
    let (status, downloaded) = http(port, "GET", path, None, &[]).unwrap();
    assert_eq!(status, 200);
    assert_eq!(downloaded, data);
    // The object is in the bucket, under the configured prefix.
    let stored = walk(&root.path().join("du-lieu"));
    assert!(
        stored
            .iter()
            .any(|p| p.contains("cong-du-lieu") && p.contains("files")),
        "{stored:?}"
    );
    drop(server);
    let _ = s3.kill();
    let _ = s3.wait();
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p.display().to_string());
            }
        }
    }
    out
}

/// `sen reindex` rebuilds the index from the database; a damaged index is
/// noticed and rebuilt when the portal starts.
#[test]
fn the_search_index_is_rebuilt_by_command_and_repaired_at_start() {
    let dir = Place::new();
    let server = start(&dir, &["--demo"], &[]);
    drop(server);
    let out = sen(&dir).arg("reindex").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("34 datasets indexed"), "{text}");

    // Damage the index: every file truncated.
    for f in walk(&dir.path().join("search-index")) {
        std::fs::write(&f, b"garbage").unwrap();
    }
    let server = start(&dir, &[], &[]);
    let (status, body) = http(
        server.port,
        "GET",
        "/api/3/action/package_search?q=don%20vi%20hanh%20chinh",
        None,
        &[],
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["result"]["count"].as_u64().unwrap() >= 1, "{v}");
    // Or simply missing.
    drop(server);
    std::fs::remove_dir_all(dir.path().join("search-index")).unwrap();
    let server = start(&dir, &[], &[]);
    let (_, body) = http(
        server.port,
        "GET",
        "/api/3/action/package_search?q=ha%20noi",
        None,
        &[],
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["result"]["count"].as_u64().unwrap() >= 1, "{v}");
}

fn datastore_state(port: u16, rid: &str) -> serde_json::Value {
    let (status, body) = http(
        port,
        "GET",
        &format!("/api/3/action/datastore_status?resource_id={rid}"),
        None,
        &[],
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<serde_json::Value>(&body).unwrap()["result"].clone()
}

/// A node killed in the middle of an ingestion (SIGKILL: no clean-up at all)
/// loses nothing: the job's lease runs out, the next node runs it again from
/// the start, and the table appears whole.
#[test]
fn an_ingestion_cut_by_a_killed_process_is_finished_after_restart() {
    let place = Place::new();
    let mut cmd = sen(&place);
    cmd.args([
        "admin",
        "create-user",
        "kho",
        "--email",
        "kho@example.gov.vn",
        "--sysadmin",
    ]);
    assert!(run_with_stdin(cmd, "mat-khau-rat-dai\n").status.success());
    let out = sen(&place)
        .args(["admin", "create-token", "kho"])
        .output()
        .unwrap();
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let lease = [("SEN_JOB_LEASE_SECONDS", "3")];
    let server = start(&place, &[], &lease);
    let port = server.port;
    for (action, body) in [
        ("organization_create", r#"{"name": "tong-cuc"}"#),
        (
            "package_create",
            r#"{"name": "ho-gia-dinh", "owner_org": "tong-cuc"}"#,
        ),
    ] {
        let (status, text) = http(
            port,
            "POST",
            &format!("/api/3/action/{action}"),
            Some(&token),
            body.as_bytes(),
        )
        .unwrap();
        assert_eq!(status, 200, "{text}");
    }
    let rows = 300_000;
    let mut data = String::from("ma_ho,tinh,so_nguoi,thu_nhap,ngay_khao_sat\n");
    for i in 0..rows {
        data.push_str(&format!(
            "{:08},{},{},{}.5,{:02}/{:02}/2024\n",
            i,
            ["Hà Nội", "Huế", "Cần Thơ"][i % 3],
            1 + i % 7,
            1000 + i % 9000,
            1 + i % 28,
            1 + i % 12
        ));
    }
    let (status, body) = upload(port, &token, "ho-gia-dinh", "ho.csv", data.as_bytes());
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let rid = v["result"]["id"].as_str().unwrap().to_string();

    // Kill the node while the job runs.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let state = datastore_state(port, &rid);
        if state["job"]["state"] == "running" {
            break;
        }
        assert_ne!(
            state["job"]["state"], "done",
            "the ingestion ended before it could be cut; make the file larger"
        );
        assert!(Instant::now() < deadline, "the job never started: {state}");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(server);

    // The next node finds the job still leased to the dead one, waits out the
    // lease, and runs it from the start.
    let server = start(&place, &[], &lease);
    let state = datastore_state(server.port, &rid);
    assert_eq!(
        state["datastore_active"], false,
        "nothing half-ingested is visible: {state}"
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    let done = loop {
        let state = datastore_state(server.port, &rid);
        if state["job"]["state"] == "done" {
            break state;
        }
        assert!(
            Instant::now() < deadline,
            "the job was not run again: {state}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(done["rows"], rows, "{done}");
    assert_eq!(done["datastore_active"], true);
    let (status, body) = http(
        server.port,
        "GET",
        &format!("/api/3/action/datastore_search?resource_id={rid}&limit=1&sort=ma_ho"),
        None,
        &[],
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["result"]["total"], rows);
    assert_eq!(
        v["result"]["records"][0]["ma_ho"], "00000000",
        "codes keep their zeros"
    );
}
