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

    let shots = std::env::var_os("SEN_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots"));
    std::fs::create_dir_all(&shots).unwrap();
    for (name, path) in [
        ("home", "/"),
        ("search", "/dataset?q=ha+noi"),
        ("dataset", "/dataset/danh-muc-don-vi-hanh-chinh-gso-2021"),
        ("organizations", "/organization"),
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
