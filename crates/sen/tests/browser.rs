//! The pages in a real browser (headless Chromium): what a visitor sees, in
//! both languages, on a desktop and a phone. Screenshots are kept in
//! `target/screenshots` (or $SEN_SCREENSHOTS) for people to look at.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

struct Server(Child, u16);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve_demo(dir: &Path) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_sen"))
        .args(["--data-dir"])
        .arg(dir)
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
        .env("SEN_LOG", "warn")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child, port);
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "sen serve did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// A GET to the served portal's API, as JSON.
fn api_get(port: u16, path: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    serde_json::from_str(body).unwrap_or(serde_json::Value::Null)
}

/// Waits until the demo's GSO list is a datastore table; returns its page path.
fn wait_for_table(port: u16) -> String {
    let dataset = "danh-muc-don-vi-hanh-chinh-gso-2021";
    let shown = api_get(port, &format!("/api/3/action/package_show?id={dataset}"));
    let rid = shown["result"]["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["format"] == "CSV"))
        .and_then(|r| r["id"].as_str())
        .expect("the demo's CSV resource")
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let status = api_get(
            port,
            &format!("/api/3/action/datastore_status?resource_id={rid}"),
        );
        if status["result"]["datastore_active"] == serde_json::json!(true) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the demo CSV was not ingested: {status}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    format!("/dataset/{dataset}/resource/{rid}")
}

fn browser(chrome: &Path, profile: &Path, args: &[&str], url: &str) -> String {
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn visitors_find_and_read_data_in_a_real_browser() {
    let Some(chrome) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = serve_demo(dir.path());
    let base = format!("http://127.0.0.1:{}", server.1);
    let profile = dir.path().join("profile");

    // Searching without accents, as a visitor types it, finds the GSO list.
    let dom = browser(
        &chrome,
        &profile,
        &["--dump-dom"],
        &format!("{base}/dataset?q=danh+muc+don+vi+hanh+chinh&lang=vi"),
    );
    assert!(
        dom.contains("<html lang=\"vi\">"),
        "{}",
        &dom[..dom.len().min(400)]
    );
    assert!(
        dom.contains("href=\"/dataset/danh-muc-don-vi-hanh-chinh-gso-2021\""),
        "search result missing"
    );
    // The dataset page offers the real file for download.
    let dom = browser(
        &chrome,
        &profile,
        &["--dump-dom"],
        &format!("{base}/dataset/danh-muc-don-vi-hanh-chinh-gso-2021?lang=en"),
    );
    assert!(dom.contains("<html lang=\"en\">"));
    assert!(
        dom.contains("gso_dvhc_2021-07-11.csv"),
        "download link missing"
    );
    assert!(dom.contains("Download"));
    // Internal data stays out of sight.
    let dom = browser(
        &chrome,
        &profile,
        &["--dump-dom"],
        &format!("{base}/dataset?q=dan+cu&lang=vi"),
    );
    assert!(
        !dom.contains("Dữ liệu dùng riêng"),
        "an internal dataset is listed"
    );

    // The demo's CSV becomes a table in the background; its page shows it.
    let table = wait_for_table(server.1);
    let dom = browser(
        &chrome,
        &profile,
        &["--dump-dom"],
        &format!("{base}{table}?ds_col=C%E1%BA%A5p&ds_val=Huy%E1%BB%87n&lang=vi"),
    );
    assert!(
        dom.contains("Số dòng: 5<"),
        "the filtered table shows 5 rows"
    );
    assert!(
        dom.contains("Hồ sơ các cột"),
        "the column profile is offered"
    );

    let shots = std::env::var_os("SEN_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots"));
    std::fs::create_dir_all(&shots).unwrap();
    for (name, path) in [
        ("home", "/"),
        ("search", "/dataset?q=ha+noi"),
        ("dataset", "/dataset/danh-muc-don-vi-hanh-chinh-gso-2021"),
        ("organizations", "/organization"),
        ("table", table.as_str()),
    ] {
        for lang in ["vi", "en"] {
            for (device, size) in [("desktop", "1280,1400"), ("phone", "390,1400")] {
                let file = shots.join(format!("{name}-{lang}-{device}.png"));
                let sep = if path.contains('?') { '&' } else { '?' };
                browser(
                    &chrome,
                    &profile,
                    &[
                        &format!("--window-size={size}"),
                        &format!("--screenshot={}", file.display()),
                    ],
                    &format!("{base}{path}{sep}lang={lang}"),
                );
                assert!(
                    file.metadata().map(|m| m.len() > 10_000).unwrap_or(false),
                    "no screenshot {}",
                    file.display()
                );
            }
        }
    }
}

/// A minimal WebDriver client: JSON over HTTP/1.1 to chromedriver.
struct WebDriver {
    port: u16,
    session: String,
    child: Child,
}

fn webdriver_call(
    port: u16,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    // On a loaded machine chromedriver now and then closes a connection
    // without answering; the commands used here are safe to send again.
    for _ in 0..3 {
        if let Some(answer) = webdriver_exchange(port, method, path, &body) {
            return answer;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("chromedriver gave no answer to {method} {path} three times");
}

/// One request to chromedriver; `None` when it closed the connection unanswered.
fn webdriver_exchange(
    port: u16,
    method: &str,
    path: &str,
    body: &str,
) -> Option<serde_json::Value> {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("chromedriver");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // chromedriver may keep the connection open: read exactly Content-Length bytes.
    let mut reader = BufReader::new(s);
    let mut length = 0usize;
    let mut status = String::new();
    if reader.read_line(&mut status).unwrap_or(0) == 0 {
        return None;
    }
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("chromedriver answer");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut json = vec![0u8; length];
    reader.read_exact(&mut json).expect("chromedriver body");
    Some(
        serde_json::from_slice(&json)
            .unwrap_or_else(|e| panic!("{e}: {status} {}", String::from_utf8_lossy(&json))),
    )
}

impl WebDriver {
    fn start() -> Option<Self> {
        let driver = ["/usr/bin/chromedriver"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())?;
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let caps = serde_json::json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium()?.display().to_string(),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]}}}});
        let v = webdriver_call(port, "POST", "/session", Some(caps));
        let session = v["value"]["sessionId"].as_str()?.to_string();
        Some(Self {
            port,
            session,
            child,
        })
    }

    fn call(&self, method: &str, path: &str, body: Option<serde_json::Value>) -> serde_json::Value {
        webdriver_call(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        )["value"]
            .clone()
    }

    fn script(&self, js: &str) -> serde_json::Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(serde_json::json!({"script": js, "args": []})),
        )
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(serde_json::json!({"url": url})));
    }

    fn url(&self) -> String {
        self.call("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn element(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(serde_json::json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    /// Types into a field (after emptying it), as a person would.
    fn type_in(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call(
            "POST",
            &format!("/element/{id}/clear"),
            Some(serde_json::json!({})),
        );
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(serde_json::json!({"text": text})),
        );
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        self.call(
            "POST",
            &format!("/element/{id}/click"),
            Some(serde_json::json!({})),
        );
    }

    fn choose(&self, css: &str, value: &str) {
        let js = format!(
            "var s = document.querySelector({}); s.value = {}; return s.value",
            serde_json::json!(css),
            serde_json::json!(value)
        );
        assert_eq!(
            self.script(&js),
            serde_json::json!(value),
            "{css} has no option {value}"
        );
    }

    fn value(&self, css: &str) -> String {
        let js = format!(
            "return document.querySelector({}).value",
            serde_json::json!(css)
        );
        self.script(&js).as_str().unwrap_or_default().to_string()
    }

    fn html(&self) -> String {
        self.script("return document.documentElement.outerHTML")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the page's address satisfies `done`.
    fn wait_for_url(&self, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let url = self.url();
            if done(&url) {
                return url;
            }
            assert!(Instant::now() < deadline, "still at {url}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, file: &Path) {
        use base64::Engine;
        let v = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .expect("screenshot");
        std::fs::write(file, png).unwrap();
    }

    fn resize(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(serde_json::json!({"width": width, "height": height})),
        );
    }
}

fn screenshots_dir() -> PathBuf {
    let shots = std::env::var_os("SEN_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots"));
    std::fs::create_dir_all(&shots).unwrap();
    shots
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = webdriver_call(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Typing in the search box suggests dataset titles (small script, accents optional).
#[test]
fn the_search_box_suggests_titles_as_you_type() {
    let Some(driver) = WebDriver::start() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium-driver (see .ci/run)"
        );
        eprintln!("skipped: chromedriver is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = serve_demo(dir.path());
    driver.call(
        "POST",
        "/url",
        Some(serde_json::json!({"url": format!("http://127.0.0.1:{}/?lang=vi", server.1)})),
    );
    let element = driver.call(
        "POST",
        "/element",
        Some(serde_json::json!({"using": "css selector", "value": "#q"})),
    );
    let id = element
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(|v| v.as_str())
        .unwrap()
        .to_string();
    driver.call(
        "POST",
        &format!("/element/{id}/value"),
        Some(serde_json::json!({"text": "danh sach tinh"})),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let titles = loop {
        let v = driver.script(
            "return Array.from(document.querySelectorAll('#suggestions option')).map(o => o.value)",
        );
        let titles: Vec<String> = v
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if !titles.is_empty() || Instant::now() > deadline {
            break titles;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        titles.iter().any(|t| t.contains("Danh sách 63 tỉnh")),
        "{titles:?}"
    );
    assert_eq!(
        driver.script("return document.documentElement.lang"),
        serde_json::json!("vi")
    );
}

/// The publishing journey of the web issue, end to end in Chromium: register,
/// log in, an organisation made by the operator, a dataset with a Vietnamese
/// CSV uploaded through the form, found without accents, downloaded
/// byte-identical, both languages, a refused form that keeps what was typed,
/// and non-open data out of an anonymous visitor's sight.
#[test]
fn a_publisher_goes_from_registration_to_a_published_file_in_a_real_browser() {
    let Some(driver) = WebDriver::start() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium-driver (see .ci/run)"
        );
        eprintln!("skipped: chromedriver is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = serve_demo(dir.path());
    let base = format!("http://127.0.0.1:{}", server.1);
    let shots = screenshots_dir();
    let csv =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/files/vn_provinces.csv"))
            .unwrap();
    let upload = dir.path().join("Danh sách tỉnh thành Việt Nam.csv");
    std::fs::write(&upload, &csv).unwrap();
    driver.resize(1280, 1100);

    // Register; registering signs in.
    driver.go(&format!("{base}/user/register?lang=vi"));
    driver.type_in("#name", "nguyenthib");
    driver.type_in("#fullname", "Nguyễn Thị B");
    driver.type_in("#email", "b@sokhdt.gov.vn");
    driver.type_in("#password", "mat-khau-rat-dai");
    driver.type_in("#password2", "mat-khau-rat-dai");
    driver.click("form.stacked button[type=submit]");
    driver.wait_for_url(|u| u.ends_with("/user/me"));
    let log_out = || driver.click("form.nav-form button");
    let log_in = |name: &str, password: &str| {
        driver.go(&format!("{base}/user/login"));
        driver.type_in("#name", name);
        driver.type_in("#password", password);
        driver.click("form.stacked button[type=submit]");
        driver.wait_for_url(|u| !u.contains("/user/login"));
    };
    log_out();
    driver.wait_for_url(|u| u.trim_end_matches('/') == base);

    // The operator creates the organisation and makes her its editor.
    log_in("quantri", "sen-demo-2025");
    driver.go(&format!("{base}/organization/new"));
    driver.type_in("#f-title", "Sở Thử nghiệm Dữ liệu");
    driver.type_in("#f-name", "so-thu-nghiem");
    driver.choose("#f-kind", "department");
    driver.click("form.editor button[type=submit]");
    driver.wait_for_url(|u| u.ends_with("/organization/so-thu-nghiem/members"));
    driver.type_in("#f-username", "nguyenthib");
    driver.choose("#f-role", "editor");
    driver.click("form.editor button[type=submit]");
    driver.wait_for_url(|u| u.ends_with("/members"));
    assert!(driver.html().contains("nguyenthib"));
    driver.screenshot(&shots.join("members-vi-desktop.png"));
    log_out();

    // She logs in and opens the editor; a refused form keeps what she typed.
    log_in("nguyenthib", "mat-khau-rat-dai");
    driver.go(&format!("{base}/dataset/new"));
    driver.type_in("#f-title", "Danh sách tỉnh thành thử nghiệm");
    driver.type_in("#f-notes", "Các tỉnh, thành phố và vùng kinh tế.");
    driver.type_in("#f-tag_string", "tỉnh thành, địa giới");
    driver.choose("#f-access_level", "open");
    driver.choose("#f-data_class", "core");
    driver.click("button[name=save][value=active]");
    driver.wait_for_url(|u| u.ends_with("/dataset/new"));
    let page = driver.html();
    assert!(
        page.contains("f-access_level-error"),
        "the error is beside its field"
    );
    assert_eq!(driver.value("#f-title"), "Danh sách tỉnh thành thử nghiệm");
    assert_eq!(
        driver.value("#f-notes"),
        "Các tỉnh, thành phố và vùng kinh tế."
    );
    assert_eq!(driver.value("#f-tag_string"), "tỉnh thành, địa giới");
    driver.screenshot(&shots.join("editor-error-vi-desktop.png"));
    driver.choose("#f-data_class", "ordinary");
    driver.click("button[name=save][value=active]");
    driver.wait_for_url(|u| u.contains("/resource/new"));
    driver.screenshot(&shots.join("upload-vi-desktop.png"));

    // Upload the CSV through the form (the page's script shows progress).
    let file_input = driver.element("#f-upload");
    driver.call(
        "POST",
        &format!("/element/{file_input}/value"),
        Some(serde_json::json!({"text": upload.display().to_string()})),
    );
    driver.click("button[name=then][value=done]");
    let dataset_url =
        driver.wait_for_url(|u| u.ends_with("/dataset/danh-sach-tinh-thanh-thu-nghiem"));
    driver.screenshot(&shots.join("published-vi-desktop.png"));

    // Anyone finds it by typing without accents.
    log_out();
    driver.go(&format!("{base}/dataset"));
    driver.type_in("#q", "danh sach tinh thanh thu nghiem");
    driver.click("form.search button[type=submit]");
    driver.wait_for_url(|u| u.contains("q=danh"));
    assert!(
        driver
            .html()
            .contains("href=\"/dataset/danh-sach-tinh-thanh-thu-nghiem\""),
        "found without accents"
    );

    // The download is byte-identical to the file she uploaded.
    driver.go(&dataset_url);
    let bytes = driver.call("POST", "/execute/async", Some(serde_json::json!({"script": "var done = arguments[arguments.length - 1]; var a = document.querySelector('a[download]'); fetch(a.href).then(function (r) { return r.arrayBuffer(); }).then(function (b) { done(Array.from(new Uint8Array(b))); });", "args": []})));
    let got: Vec<u8> = bytes
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect();
    assert_eq!(got, csv, "download differs from the upload");

    // English and back, by the language link.
    assert_eq!(
        driver.script("return document.documentElement.lang"),
        serde_json::json!("vi")
    );
    driver.click("a.lang");
    driver.wait_for_url(|u| u.contains("lang=en"));
    assert_eq!(
        driver.script("return document.documentElement.lang"),
        serde_json::json!("en")
    );
    assert!(driver.html().contains("Download"));
    driver.click("a.lang");
    driver.wait_for_url(|u| u.contains("lang=vi"));
    assert_eq!(
        driver.script("return document.documentElement.lang"),
        serde_json::json!("vi")
    );

    // An internal dataset of hers exists for her, and for nobody anonymous.
    log_in("nguyenthib", "mat-khau-rat-dai");
    driver.go(&format!("{base}/dataset/new"));
    driver.type_in("#f-title", "Hồ sơ nội bộ thử nghiệm");
    driver.choose("#f-access_level", "internal");
    driver.click("button[name=save][value=active]");
    driver.wait_for_url(|u| u.contains("/resource/new"));
    driver.go(&format!("{base}/dataset/ho-so-noi-bo-thu-nghiem"));
    assert!(driver.html().contains("Hồ sơ nội bộ thử nghiệm"));
    log_out();
    driver.wait_for_url(|u| u.trim_end_matches('/') == base);
    driver.go(&format!("{base}/dataset/ho-so-noi-bo-thu-nghiem"));
    let page = driver.html();
    assert!(!page.contains("Hồ sơ nội bộ thử nghiệm") && page.contains("404"));
    driver.go(&format!("{base}/dataset?q=ho+so+noi+bo"));
    assert!(!driver.html().contains("ho-so-noi-bo-thu-nghiem"));

    // Phone width, for people to look at.
    driver.resize(390, 1100);
    driver.go(&format!(
        "{base}/dataset/danh-sach-tinh-thanh-thu-nghiem?lang=en"
    ));
    driver.screenshot(&shots.join("published-en-phone.png"));
}

/// An agency's inventory from a spreadsheet in a real browser: a broken file
/// gets a row-by-row report and imports nothing; choosing "valid rows only"
/// imports the rest; the dashboard then counts it (screenshots of each).
#[test]
fn an_agency_imports_its_inventory_from_a_spreadsheet_in_a_real_browser() {
    let Some(driver) = WebDriver::start() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium-driver (see .ci/run)"
        );
        eprintln!("skipped: chromedriver is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = serve_demo(dir.path());
    let base = format!("http://127.0.0.1:{}", server.1);
    let shots = screenshots_dir();
    let sheet = dir.path().join("hiện trạng dữ liệu.csv");
    std::fs::write(
        &sheet,
        "Tên hệ thống thông tin / cơ sở dữ liệu,Loại,Trạng thái,Số bản ghi (ước tính)\n\
         System or database name,Kind,Status,Approximate records\n\
         Cơ sở dữ liệu tài chính công,national,operating,5000000\n\
         Hệ thống sai,quoc-te,operating,nhiều\n",
    )
    .unwrap();
    driver.resize(1280, 1000);
    driver.go(&format!("{base}/user/login?lang=vi"));
    driver.type_in("#name", "quantri");
    driver.type_in("#password", "sen-demo-2025");
    driver.click("form.stacked button[type=submit]");
    driver.wait_for_url(|u| !u.contains("/user/login"));

    let import = format!("{base}/organization/bo-tai-chinh/inventory/import");
    let upload = |valid_only: bool| {
        driver.go(&import);
        let input = driver.element("#f-upload");
        driver.call(
            "POST",
            &format!("/element/{input}/value"),
            Some(serde_json::json!({"text": sheet.display().to_string()})),
        );
        if valid_only {
            driver.click("input[name=mode][value=valid]");
        }
        driver.click("form.editor button[type=submit]");
    };
    upload(false);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !driver.html().contains("import-report") {
        assert!(std::time::Instant::now() < deadline, "no report");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let page = driver.html();
    assert!(page.contains("<td>4</td><td>Loại</td>"), "{page}");
    assert!(page.contains("Chưa nhập dòng nào"));
    driver.screenshot(&shots.join("inventory-import-report-vi-desktop.png"));

    upload(true);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !driver.html().contains("Đã nhập 1 hệ thống.") {
        assert!(std::time::Instant::now() < deadline, "not imported");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    driver.screenshot(&shots.join("inventory-import-done-vi-desktop.png"));

    driver.go(&format!("{base}/organization/bo-tai-chinh/inventory"));
    assert!(driver.html().contains("Cơ sở dữ liệu tài chính công"));
    driver.go(&format!("{base}/inventory/dashboard?lang=en"));
    assert!(driver.html().contains("Data dashboard"));
    driver.screenshot(&shots.join("inventory-dashboard-en-desktop.png"));
    driver.resize(390, 900);
    driver.screenshot(&shots.join("inventory-dashboard-en-mobile.png"));
}
