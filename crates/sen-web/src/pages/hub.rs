//! The knowledge hub pages: news and guides (`/news`), the legal library
//! (`/legal`), and the forms sysadmins use to write posts.

use super::forms::{field_errors, first, forbidden_form, login_first, not_allowed, Pairs};
use super::routes::{read, Page};
use super::session;
use crate::AppState;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use futures::TryStreamExt;
use sen_catalog::hub::{LEGAL_STATUSES, LEGAL_TYPES, POST_CATEGORIES};
use sen_domain::ErrorKind;
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/news", get(news))
        .route("/news/new", get(new_post_form).post(create_post))
        .route("/news/{slug}", get(post_page))
        .route("/news/{slug}/edit", get(edit_post_form).post(update_post))
        .route("/news/{slug}/delete", post(delete_post))
        .route("/legal", get(legal))
        .route("/legal/{key}", get(legal_page))
        .route("/legal/{key}/download", get(legal_download))
}

pub(crate) const HUB_PAGE_SIZE: i64 = 20;

fn page_number(page: &Page) -> i64 {
    page.param("page")
        .parse::<i64>()
        .unwrap_or(1)
        .clamp(1, 10_000)
}

/// A list URL with the current filters and another page number.
fn list_url(base: &str, page: &Page, keys: &[&str], number: i64) -> String {
    let mut pairs: Vec<(String, String)> = keys
        .iter()
        .map(|k| (k.to_string(), page.param(k)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    pairs.push(("page".into(), number.to_string()));
    format!(
        "{base}?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

fn paging(base: &str, page: &Page, keys: &[&str], count: i64) -> Value {
    let number = page_number(page);
    let pages = ((count + HUB_PAGE_SIZE - 1) / HUB_PAGE_SIZE).max(1);
    json!({
        "number": number, "pages": pages,
        "prev": (number > 1).then(|| list_url(base, page, keys, number - 1)),
        "next": (number < pages).then(|| list_url(base, page, keys, number + 1)),
    })
}

fn server_error(state: &AppState, page: &Page, path: &str) -> Response {
    page.respond(state, StatusCode::INTERNAL_SERVER_ERROR, "error.html", path, json!({"status": 500, "title_key": "ui-error-500-title", "message_key": "ui-error-500-text"}))
}

/// The counts of the search tabs (datasets are counted by the caller).
pub(crate) async fn tab_counts(state: &AppState, page: &Page, q: &str) -> (i64, i64) {
    let posts = read(state, page, "post_list", json!({"q": q, "rows": 0}))
        .await
        .map(|v| v["count"].as_i64().unwrap_or(0))
        .unwrap_or(0);
    let legal = read(
        state,
        page,
        "legal_document_list",
        json!({"q": q, "rows": 0}),
    )
    .await
    .map(|v| v["count"].as_i64().unwrap_or(0))
    .unwrap_or(0);
    (posts, legal)
}

async fn tabs(state: &AppState, page: &Page, active: &str) -> Value {
    let q = page.param("q");
    let datasets = read(
        state,
        page,
        "package_search",
        json!({"q": q, "rows": 0, "include_private": true}),
    )
    .await
    .map(|v| v["count"].as_i64().unwrap_or(0))
    .unwrap_or(0);
    let (posts, legal) = tab_counts(state, page, &q).await;
    json!({"active": active, "q": q, "datasets": datasets, "posts": posts, "legal": legal})
}

async fn news(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let category = page.param("category");
    let category = POST_CATEGORIES
        .contains(&category.as_str())
        .then_some(category);
    let number = page_number(&page);
    let text = page.param("q");
    let result = read(&state, &page, "post_list", json!({
        "q": text, "category": category, "rows": HUB_PAGE_SIZE, "start": (number - 1) * HUB_PAGE_SIZE,
    }))
    .await;
    let Ok(result) = result else {
        return server_error(&state, &page, "/news");
    };
    let count = result["count"].as_i64().unwrap_or(0);
    let categories: Vec<Value> = POST_CATEGORIES
        .iter()
        .map(|c| {
            let mut pairs = vec![("category", *c)];
            if !text.is_empty() {
                pairs.push(("q", text.as_str()));
            }
            json!({"value": c, "selected": category.as_deref() == Some(*c),
                   "href": format!("/news?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())})
        })
        .collect();
    let tabs = if text.is_empty() {
        Value::Null
    } else {
        tabs(&state, &page, "posts").await
    };
    page.respond(
        &state,
        StatusCode::OK,
        "news.html",
        "/news",
        json!({
            "posts": result["results"], "count": count, "q": text, "category": category,
            "categories": categories, "paging": paging("/news", &page, &["q", "category"], count),
            "tabs": tabs,
        }),
    )
}

async fn post_page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/news/{slug}");
    match read(&state, &page, "post_show", json!({"id": slug})).await {
        Ok(p) => page.respond(
            &state,
            StatusCode::OK,
            "post.html",
            &path,
            json!({"post": p}),
        ),
        Err(e) if e.kind == ErrorKind::NotFound => page.not_found(&state, &path),
        Err(_) => server_error(&state, &page, &path),
    }
}

const POST_FIELDS: &[&str] = &[
    "title",
    "slug",
    "summary",
    "body",
    "category",
    "language",
    "translation_of",
    "image_url",
    "status",
    "published_at",
];

fn typed(f: &Pairs) -> Value {
    Value::Object(
        POST_FIELDS
            .iter()
            .map(|k| ((*k).to_string(), json!(first(f, k).trim())))
            .collect(),
    )
}

/// Form values of a stored post; dates as the `datetime-local` input wants them.
fn stored(p: &Value) -> Value {
    let mut v = serde_json::Map::new();
    for k in POST_FIELDS {
        let value = match *k {
            "translation_of" => p["translation"]["slug"].clone(),
            "published_at" => json!(p["published_at"]
                .as_str()
                .map(|s| s.chars().take(16).collect::<String>())),
            _ => p[*k].clone(),
        };
        v.insert((*k).into(), if value.is_null() { json!("") } else { value });
    }
    Value::Object(v)
}

fn render_form(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    path: &str,
    post: Option<&Value>,
    values: Value,
    errors: Value,
) -> Response {
    page.respond(state, status, "post_edit.html", path, json!({
        "post": post, "v": values, "errors": errors, "action": path,
        "categories": POST_CATEGORIES, "languages": ["vi", "en"], "statuses": ["draft", "published"],
    }))
}

fn status_of(e: &sen_domain::Error) -> StatusCode {
    match e.kind {
        ErrorKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
        other => crate::error::status_of(other),
    }
}

/// The response to send when the visitor may not write posts.
fn writer(state: &AppState, page: &Page, path: &str) -> Option<Response> {
    if page.actor.user.is_none() {
        return Some(login_first(path));
    }
    if !page.actor.is_sysadmin() {
        return Some(not_allowed(page, state, path));
    }
    None
}

async fn run(
    state: &AppState,
    page: &Page,
    action: &str,
    data: Value,
) -> Result<Value, sen_domain::Error> {
    let data = data.as_object().cloned().unwrap_or_default();
    state
        .catalog
        .run_action(action, &page.actor, &data, None)
        .await
        .unwrap_or_else(|| {
            Err(sen_domain::Error::internal(format!(
                "unknown action {action}"
            )))
        })
}

async fn new_post_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    if let Some(r) = writer(&state, &page, "/news/new") {
        return r;
    }
    let values = json!({"category": "news", "language": page.lang.code(), "status": "draft"});
    render_form(
        &state,
        &page,
        StatusCode::OK,
        "/news/new",
        None,
        values,
        json!({}),
    )
}

/// What the action receives: empty optional fields are left out or cleared.
fn input(f: &Pairs) -> Value {
    let mut data = typed(f);
    if let Some(map) = data.as_object_mut() {
        for k in ["slug", "published_at"] {
            if map.get(k).and_then(Value::as_str) == Some("") {
                map.insert(k.into(), Value::Null);
            }
        }
        if map.get("slug").is_some_and(Value::is_null) {
            map.remove("slug");
        }
    }
    data
}

async fn create_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    if let Some(r) = writer(&state, &page, "/news/new") {
        return r;
    }
    match run(&state, &page, "post_create", input(&f)).await {
        Ok(p) => Redirect::to(&format!("/news/{}", p["slug"].as_str().unwrap_or_default()))
            .into_response(),
        Err(e) => render_form(
            &state,
            &page,
            status_of(&e),
            "/news/new",
            None,
            typed(&f),
            field_errors(&page, &e),
        ),
    }
}

async fn edit_post_form(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/news/{slug}/edit");
    if let Some(r) = writer(&state, &page, &path) {
        return r;
    }
    match read(&state, &page, "post_show", json!({"id": slug})).await {
        Ok(p) => render_form(
            &state,
            &page,
            StatusCode::OK,
            &path,
            Some(&p),
            stored(&p),
            json!({}),
        ),
        Err(_) => page.not_found(&state, &path),
    }
}

async fn update_post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let path = format!("/news/{slug}/edit");
    if let Some(r) = writer(&state, &page, &path) {
        return r;
    }
    let Ok(p) = read(&state, &page, "post_show", json!({"id": slug})).await else {
        return page.not_found(&state, &path);
    };
    let mut data = typed(&f);
    data["id"] = p["id"].clone();
    match run(&state, &page, "post_update", data).await {
        Ok(saved) => Redirect::to(&format!(
            "/news/{}",
            saved["slug"].as_str().unwrap_or_default()
        ))
        .into_response(),
        Err(e) => render_form(
            &state,
            &page,
            status_of(&e),
            &path,
            Some(&p),
            typed(&f),
            field_errors(&page, &e),
        ),
    }
}

async fn delete_post(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let path = format!("/news/{slug}");
    if let Some(r) = writer(&state, &page, &path) {
        return r;
    }
    match run(&state, &page, "post_delete", json!({"id": slug})).await {
        Ok(_) => Redirect::to("/news").into_response(),
        Err(_) => page.not_found(&state, &path),
    }
}

async fn legal(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let number = page_number(&page);
    let text = page.param("q");
    let pick = |key: &str, allowed: &[&str]| {
        let v = page.param(key);
        allowed.contains(&v.as_str()).then_some(v)
    };
    let doc_type = pick("type", LEGAL_TYPES);
    let status = pick("status", LEGAL_STATUSES);
    let issuer = Some(page.param("issuer")).filter(|s| !s.is_empty());
    let result = read(
        &state,
        &page,
        "legal_document_list",
        json!({
            "q": text, "type": doc_type, "status": status, "issuer": issuer,
            "rows": HUB_PAGE_SIZE, "start": (number - 1) * HUB_PAGE_SIZE,
        }),
    )
    .await;
    let Ok(result) = result else {
        return server_error(&state, &page, "/legal");
    };
    let count = result["count"].as_i64().unwrap_or(0);
    let tabs = if text.is_empty() {
        Value::Null
    } else {
        tabs(&state, &page, "legal").await
    };
    page.respond(&state, StatusCode::OK, "legal.html", "/legal", json!({
        "docs": result["results"], "count": count, "issuers": result["issuers"],
        "v": {"q": text, "type": doc_type.unwrap_or_default(), "status": status.unwrap_or_default(), "issuer": issuer.unwrap_or_default()},
        "types": LEGAL_TYPES, "statuses": LEGAL_STATUSES,
        "paging": paging("/legal", &page, &["q", "type", "status", "issuer"], count),
        "tabs": tabs,
    }))
}

async fn legal_page(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/legal/{key}");
    match read(&state, &page, "legal_document_show", json!({"id": key})).await {
        Ok(d) => page.respond(
            &state,
            StatusCode::OK,
            "legal_doc.html",
            &path,
            json!({"doc": d}),
        ),
        Err(e) if e.kind == ErrorKind::NotFound => page.not_found(&state, &path),
        Err(_) => server_error(&state, &page, &path),
    }
}

async fn legal_download(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let path = format!("/legal/{key}/download");
    let Ok(doc) = state.catalog.legal_document_file(&key).await else {
        return page.not_found(&state, &path);
    };
    let Some(file_key) = doc.file_key.as_deref() else {
        return page.not_found(&state, &path);
    };
    let Ok(download) = state.catalog.storage.get(file_key, None).await else {
        return page.not_found(&state, &path);
    };
    let body = Body::from_stream(download.body.map_err(std::io::Error::other));
    let mut resp = Response::new(body);
    let h = resp.headers_mut();
    if let Ok(v) = doc.file_mimetype.parse() {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = crate::download::content_disposition(&doc.file_name).parse() {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_LENGTH, download.total_size.into());
    if let Ok(v) = format!("\"{}\"", doc.file_sha256).parse() {
        h.insert(header::ETAG, v);
    }
    resp
}
