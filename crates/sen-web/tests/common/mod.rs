//! The in-process test app: the real router over a real database (SQLite in a
//! temporary directory, or PostgreSQL when TEST_DATABASE_URL is set) and real
//! file storage in a temporary directory.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use bytes::Bytes;
use http_body_util::BodyExt;
use sen_catalog::{Actor, Catalog, CatalogConfig};
use serde_json::{json, Value};
use tower::ServiceExt;

pub const SITE: &str = "http://sen.test";

pub struct TestApp {
    pub router: Router,
    pub catalog: Catalog,
    /// The database, for a second node over the same data.
    pub db_url: String,
    /// Token of the sysadmin `admin`.
    pub admin: String,
    pub _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_limits(10 * 1024 * 1024, 0).await
    }

    pub async fn with_limits(max_upload: u64, writes_per_minute: u32) -> Self {
        Self::with_config(max_upload, writes_per_minute, |_| {}).await
    }

    /// An app whose catalogue configuration `change` adjusts (e.g. harvest limits).
    pub async fn with_catalog_config(change: impl FnOnce(&mut CatalogConfig)) -> Self {
        Self::with_config(10 * 1024 * 1024, 0, change).await
    }

    async fn with_config(
        max_upload: u64,
        writes_per_minute: u32,
        change: impl FnOnce(&mut CatalogConfig),
    ) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = match std::env::var("TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let name = format!("sen_t_{}", uuid::Uuid::new_v4().simple());
                sen_db::create_postgres_database(&admin, &name)
                    .await
                    .expect("create test database")
            }
            _ => format!("sqlite://{}?mode=rwc", dir.path().join("sen.db").display()),
        };
        let db = sen_db::Db::connect(&url).await.expect("connect");
        let db_url = url.clone();
        db.migrate().await.expect("migrate");
        let storage = sen_storage::Storage::local(&dir.path().join("files")).expect("storage");
        let mut config = CatalogConfig {
            site_url: SITE.into(),
            max_upload_bytes: max_upload,
            ..Default::default()
        };
        change(&mut config);
        let search =
            sen_search::SearchIndex::in_memory(sen_search::Synonyms::defaults()).expect("index");
        let mailer = sen_mail::Mailer::outbox(
            dir.path().join("outbox"),
            "Cổng dữ liệu <no-reply@sen.test>",
        )
        .expect("outbox");
        let catalog = Catalog::new(db, storage, config, search).with_mailer(mailer);
        let web = sen_web::WebConfig {
            writes_per_minute,
            ..Default::default()
        };
        let router = sen_web::router(sen_web::AppState::new(catalog.clone(), web));
        let mut app = Self {
            router,
            catalog,
            db_url,
            admin: String::new(),
            _dir: dir,
        };
        app.admin = app.user("admin", true).await;
        app
    }

    /// Another node of the same portal: same database and files, its own search index.
    pub async fn second_node(&self) -> Catalog {
        let db = sen_db::Db::connect(&self.db_url).await.expect("connect");
        let search =
            sen_search::SearchIndex::in_memory(sen_search::Synonyms::defaults()).expect("index");
        Catalog::new(
            db,
            self.catalog.storage.clone(),
            self.catalog.config.clone(),
            search,
        )
    }

    /// The messages written to the outbox so far, oldest first. Mail is sent in
    /// the background, so this waits (up to 5 s) for at least `at_least`.
    pub async fn outbox(&self, at_least: usize) -> Vec<String> {
        let dir = self._dir.path().join("outbox");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let mut names: Vec<_> = std::fs::read_dir(&dir)
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            if names.len() >= at_least || std::time::Instant::now() > deadline {
                return names
                    .iter()
                    .map(|p| std::fs::read_to_string(p).expect("mail"))
                    .collect();
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Creates a user and returns a token for them.
    pub async fn user(&self, name: &str, sysadmin: bool) -> String {
        let new = sen_catalog::users::NewUser {
            name,
            email: &format!("{name}@example.gov.vn"),
            password: "mật-khẩu-dài",
            fullname: name,
            sysadmin,
        };
        self.catalog
            .create_user(&Actor::anonymous(), new)
            .await
            .expect("create user");
        self.catalog
            .admin_create_token(name, "test")
            .await
            .expect("token")
    }

    pub async fn request(&self, req: Request<Body>) -> Reply {
        let resp = self.router.clone().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            b = b.header("authorization", t);
        }
        let req = match body {
            Some(v) => b
                .header("content-type", "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        };
        self.request(req.expect("request")).await
    }

    /// POSTs a CKAN action with a JSON body.
    pub async fn action(&self, name: &str, token: Option<&str>, body: Value) -> Reply {
        self.send(
            Method::POST,
            &format!("/api/3/action/{name}"),
            token,
            Some(body),
        )
        .await
    }

    /// A CKAN action that must succeed; returns its `result`.
    pub async fn ok(&self, name: &str, token: Option<&str>, body: Value) -> Value {
        let r = self.action(name, token, body).await;
        let v = r.json();
        assert_eq!(r.status, StatusCode::OK, "{name}: {v}");
        assert_eq!(v["success"], json!(true), "{name}: {v}");
        v["result"].clone()
    }

    /// A CKAN action that must fail with `status` and `__type`; returns the error object.
    pub async fn fails(
        &self,
        name: &str,
        token: Option<&str>,
        body: Value,
        status: u16,
        kind: &str,
    ) -> Value {
        let r = self.action(name, token, body).await;
        let v = r.json();
        assert_eq!(r.status.as_u16(), status, "{name}: {v}");
        assert_eq!(v["success"], json!(false), "{name}: {v}");
        assert_eq!(v["error"]["__type"], json!(kind), "{name}: {v}");
        v["error"].clone()
    }

    pub async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        self.send(Method::GET, uri, token, None).await
    }

    /// An organisation with an editor; returns (org name, editor token).
    pub async fn org_with_editor(&self, org: &str, editor: &str) -> String {
        self.ok(
            "organization_create",
            Some(&self.admin),
            json!({"name": org, "title": format!("Tổ chức {org}")}),
        )
        .await;
        let token = self.user(editor, false).await;
        self.ok(
            "organization_member_create",
            Some(&self.admin),
            json!({"id": org, "username": editor, "role": "editor"}),
        )
        .await;
        token
    }

    /// A multipart body: text fields, then one file part named `upload`.
    pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
        let boundary = "sen-test-boundary-7f3a";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((name, data)) = file {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
            body.extend(data);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    pub async fn post_multipart(
        &self,
        uri: &str,
        token: Option<&str>,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Reply {
        let (ct, body) = Self::multipart(fields, file);
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header("content-type", ct);
        if let Some(t) = token {
            b = b.header("authorization", t);
        }
        self.request(b.body(Body::from(body)).expect("request"))
            .await
    }
}

pub fn dataset(name: &str, org: &str) -> Value {
    json!({"name": name, "title": format!("Tập dữ liệu {name}"), "owner_org": org, "license_id": "cc-by-4.0",
           "notes": "Số liệu **dân số** Hà Nội", "tags": [{"name": "dân số"}, {"name": "hà nội"}]})
}

/// A browser: keeps cookies between requests.
pub struct Browser<'a> {
    app: &'a TestApp,
    cookies: Vec<(String, String)>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: Vec::new(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn remember(&mut self, r: &Reply) {
        for v in r.headers.get_all("set-cookie") {
            let text = v.to_str().unwrap();
            let (kv, _) = text.split_once(';').unwrap_or((text, ""));
            let (k, val) = kv.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != k);
            if !text.contains("Max-Age=0") {
                self.cookies.push((k.to_string(), val.to_string()));
            }
        }
    }

    pub async fn get(&mut self, uri: &str) -> (StatusCode, String) {
        let req = Request::builder()
            .uri(uri)
            .header("cookie", self.cookie_header())
            .header("accept-language", "vi")
            .body(Body::empty())
            .unwrap();
        let r = self.app.request(req).await;
        self.remember(&r);
        (r.status, String::from_utf8_lossy(&r.body).to_string())
    }

    pub async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(form).unwrap();
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header("cookie", self.cookie_header())
            .header("accept-language", "vi")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = self.app.request(req).await;
        self.remember(&r);
        r
    }

    pub fn csrf(&self) -> String {
        self.cookies
            .iter()
            .find(|(k, _)| k == "sen_csrf")
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// A multipart form (file part `upload`) with the browser's cookies.
    pub async fn post_multipart(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Reply {
        let (ct, body) = TestApp::multipart(fields, file);
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header("cookie", self.cookie_header())
            .header("accept-language", "vi")
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap();
        let r = self.app.request(req).await;
        self.remember(&r);
        r
    }

    /// Logs in through the form (users made by `TestApp::user` share one password).
    pub async fn log_in(&mut self, name: &str) {
        self.get("/user/login").await;
        let csrf = self.csrf();
        let r = self
            .post(
                "/user/login",
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("password", "mật-khẩu-dài"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "log-in of {name}");
    }
}
