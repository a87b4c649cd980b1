//! Page handlers. Each gathers data through the same catalogue actions the
//! APIs use (so permissions are the same) and renders a template.

use crate::actor::language;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::value::Value as TplValue;
use sen_catalog::{Actor, Dict};
use sen_i18n::Lang;
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(super::account::routes())
        .merge(super::publish::routes())
        .merge(super::manage::routes())
        .merge(super::admin::routes())
        .merge(super::harvest::routes())
        .merge(super::sharing::routes())
        .merge(super::info::routes())
        .merge(super::follow::routes())
        .merge(super::requests::routes())
        .merge(super::feedback::routes())
        .merge(super::inventory::routes())
        .merge(super::hub::routes())
        .route("/", get(home))
        .route("/dataset", get(search))
        .route("/dataset/{id}", get(dataset))
        .route("/dataset/{id}/resource/{rid}", get(resource))
        .route("/organization", get(organizations))
        .route("/organization/{id}", get(organization))
        .route("/group", get(topics))
        .route("/group/{id}", get(topic))
        .route("/static/{file}", get(static_file))
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap))
}

/// What every page needs: language, query parameters, and where it is.
pub(crate) struct Page {
    pub lang: Lang,
    pub query: Dict,
    set_cookie: bool,
    /// The signed-in visitor (from the session cookie), or anonymous.
    pub actor: Actor,
    /// The anti-forgery token forms must send back (double-submit cookie).
    pub csrf: String,
    new_csrf: bool,
}

const LANG_COOKIE: &str = "sen_lang";

fn cookie_lang(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .and_then(|(_, v)| Lang::parse(v))
}

impl Page {
    pub(crate) async fn load(
        state: &AppState,
        headers: &HeaderMap,
        raw_query: Option<&str>,
    ) -> Self {
        let query = crate::multipart::parse_query(raw_query).unwrap_or_default();
        let asked = query
            .get("lang")
            .and_then(Value::as_str)
            .and_then(Lang::parse);
        let lang = asked
            .or_else(|| cookie_lang(headers))
            .unwrap_or_else(|| language(headers, None));
        let actor = super::session::actor(state, headers).await;
        // Refreshes the cached site settings that `respond` reads.
        state.catalog.settings().await;
        let (csrf, new_csrf) = match super::session::cookie(headers, super::session::CSRF_COOKIE) {
            Some(c) if c.len() >= 32 => (c, false),
            _ => (sen_catalog::auth::new_token(), true),
        };
        Self {
            lang,
            query,
            set_cookie: asked.is_some(),
            actor,
            csrf,
            new_csrf,
        }
    }

    pub(crate) fn param(&self, key: &str) -> String {
        match self.query.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(a)) => a
                .first()
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        }
    }

    fn params(&self, key: &str) -> Vec<String> {
        match self.query.get(key) {
            Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(crate) fn respond(
        &self,
        state: &AppState,
        status: StatusCode,
        template: &str,
        path: &str,
        ctx: Value,
    ) -> Response {
        let site = &state.catalog.config;
        let mut full = json!({
            "lang": self.lang.code(),
            "other_lang": if self.lang == Lang::Vi { "en" } else { "vi" },
            "site_title": state.catalog.site_title(),
            "site_logo": state.catalog.settings_value("ckan.site_logo"),
            "site_url": site.site_url.trim_end_matches('/'),
            "path": path,
            "user": self.actor.user.as_ref().map(|u| json!({"name": u.name, "display_name": if u.fullname.is_empty() { &u.name } else { &u.fullname }, "sysadmin": u.sysadmin != 0})),
            "csrf": self.csrf,
        });
        if let (Some(base), Value::Object(extra)) = (full.as_object_mut(), ctx) {
            base.extend(extra);
        }
        let html = match state
            .pages
            .render(template, TplValue::from_serialize(&full))
        {
            Ok(html) => html,
            Err(e) => {
                tracing::error!(error = %e, template, "template failed");
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Html(sen_i18n::t(self.lang, "error-internal", &[])),
                )
                    .into_response();
            }
        };
        let mut resp = (status, Html(html)).into_response();
        resp.headers_mut().insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(if self.lang == Lang::Vi { "vi" } else { "en" }),
        );
        resp.headers_mut().insert(
            header::VARY,
            HeaderValue::from_static("Accept, Accept-Language, Cookie"),
        );
        if self.new_csrf {
            if let Ok(v) = HeaderValue::from_str(&super::session::csrf_cookie(
                &self.csrf,
                state.config.behind_tls,
            )) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        if self.set_cookie {
            let cookie = format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
                self.lang.code(),
                if state.config.behind_tls {
                    "; Secure"
                } else {
                    ""
                }
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        resp
    }

    pub(crate) fn not_found(&self, state: &AppState, path: &str) -> Response {
        self.respond(state, StatusCode::NOT_FOUND, "error.html", path, json!({"status": 404, "title_key": "ui-error-404-title", "message_key": "ui-error-404-text"}))
    }
}

/// Runs a read action as the visitor.
pub(crate) async fn read(
    state: &AppState,
    page: &Page,
    action: &str,
    data: Value,
) -> Result<Value, sen_domain::Error> {
    let data: Dict = data.as_object().cloned().unwrap_or_default();
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

async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let newest = read(
        &state,
        &page,
        "package_search",
        json!({"rows": 6, "sort": "metadata_modified desc"}),
    )
    .await;
    let orgs = read(
        &state,
        &page,
        "organization_list",
        json!({"all_fields": true, "sort": "package_count desc", "limit": 8}),
    )
    .await;
    let topics = read(
        &state,
        &page,
        "group_list",
        json!({"all_fields": true, "sort": "title asc"}),
    )
    .await;
    let all_orgs = read(&state, &page, "organization_list", json!({})).await;
    // Latest posts in the visitor's language (published ones only, unless a writer).
    let news = read(
        &state,
        &page,
        "post_list",
        json!({"rows": 4, "language": page.lang.code(), "published_only": true}),
    )
    .await
    .map(|v| v["results"].clone())
    .unwrap_or(json!([]));
    let featured =
        datasets_in_order(&state, &page, &state.catalog.featured_datasets(), "name").await;
    let most_used_ids = state
        .catalog
        .most_used_ids(30, 30)
        .await
        .unwrap_or_default();
    let mut most_used = datasets_in_order(&state, &page, &most_used_ids, "id").await;
    most_used.truncate(6);
    match (newest, orgs, topics, all_orgs) {
        (Ok(newest), Ok(orgs), Ok(topics), Ok(all_orgs)) => page.respond(&state, StatusCode::OK, "home.html", "/", json!({
            "dataset_count": newest["count"],
            "news": news,
            "newest": newest["results"],
            "featured": featured,
            "most_used": most_used,
            "intro": state.catalog.settings_value("ckan.site_intro_text"),
            "organizations": orgs,
            "organization_count": all_orgs.as_array().map_or(0, Vec::len),
            "topics": topics,
            "topic_count": topics.as_array().map_or(0, Vec::len),
        })),
        _ => page.respond(&state, StatusCode::INTERNAL_SERVER_ERROR, "error.html", "/", json!({"status": 500, "title_key": "ui-error-500-title", "message_key": "ui-error-500-text"})),
    }
}

/// The datasets with these names (or ids) that the visitor may see, in the
/// order given: one search, so visibility is the search's own.
async fn datasets_in_order(
    state: &AppState,
    page: &Page,
    keys: &[String],
    field: &str,
) -> Vec<Value> {
    if keys.is_empty() {
        return Vec::new();
    }
    let fq = format!(
        "{field}:({})",
        keys.iter()
            .map(|k| quote(k))
            .collect::<Vec<_>>()
            .join(" OR ")
    );
    let found = read(
        state,
        page,
        "package_search",
        json!({"fq": fq, "rows": keys.len()}),
    )
    .await
    .map(|r| r["results"].as_array().cloned().unwrap_or_default())
    .unwrap_or_default();
    keys.iter()
        .filter_map(|k| {
            found
                .iter()
                .find(|d| d[field].as_str() == Some(k.as_str()))
                .cloned()
        })
        .collect()
}

const SEARCH_FACETS: &[&str] = &["organization", "groups", "tags", "res_format", "license_id"];
const PAGE_SIZE: i64 = 20;

/// A search page URL with one filter value toggled (and the page reset).
fn toggle_url(page: &Page, field: &str, value: &str) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let q = page.param("q");
    if !q.is_empty() {
        pairs.push(("q".into(), q));
    }
    let sort = page.param("sort");
    if !sort.is_empty() {
        pairs.push(("sort".into(), sort));
    }
    let mut present = false;
    for f in SEARCH_FACETS {
        for v in page.params(f) {
            if *f == field && v == value {
                present = true;
            } else {
                pairs.push((f.to_string(), v));
            }
        }
    }
    if !present {
        pairs.push((field.to_string(), value.to_string()));
    }
    format!(
        "/dataset?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

fn page_url(page: &Page, number: i64) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for key in ["q", "sort"] {
        let v = page.param(key);
        if !v.is_empty() {
            pairs.push((key.into(), v));
        }
    }
    for f in SEARCH_FACETS {
        for v in page.params(f) {
            pairs.push((f.to_string(), v));
        }
    }
    pairs.push(("page".into(), number.to_string()));
    format!(
        "/dataset?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

fn quote(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let text = page.param("q");
    let number = page.param("page").parse::<i64>().unwrap_or(1).clamp(1, 500);
    let sort = match page.param("sort").as_str() {
        s @ ("metadata_modified desc" | "title_string asc" | "metadata_created desc") => {
            s.to_string()
        }
        _ => "score desc, metadata_modified desc".to_string(),
    };
    let fq: Vec<String> = SEARCH_FACETS
        .iter()
        .flat_map(|f| {
            page.params(f)
                .into_iter()
                .map(move |v| format!("{f}:{}", quote(&v)))
        })
        .collect();
    let result = read(&state, &page, "package_search", json!({
        "q": text, "include_private": true, "fq": fq.join(" "), "sort": sort, "rows": PAGE_SIZE, "start": (number - 1) * PAGE_SIZE,
        "facet.field": SEARCH_FACETS, "facet.limit": 10,
    }))
    .await;
    let (result, error) = match result {
        Ok(r) => (r, None),
        Err(e) => (
            json!({"count": 0, "results": [], "search_facets": {}}),
            Some(crate::error::translate(page.lang, &e.message)),
        ),
    };
    let count = result["count"].as_i64().unwrap_or(0);
    let pages = ((count + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let facets: Vec<Value> = SEARCH_FACETS
        .iter()
        .map(|f| {
            let selected = page.params(f);
            let items: Vec<Value> = result["search_facets"][f]["items"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|item| {
                    let name = item["name"].as_str().unwrap_or_default().to_string();
                    json!({"name": name, "display_name": item["display_name"], "count": item["count"],
                           "selected": selected.contains(&name), "href": toggle_url(&page, f, &name)})
                })
                .collect();
            json!({"field": f, "title_key": format!("ui-facet-{}", f.replace('_', "-")), "items": items})
        })
        .collect();
    let selected: Vec<Value> = SEARCH_FACETS
        .iter()
        .flat_map(|f| page.params(f).into_iter().map(move |v| (f, v)))
        .map(|(f, v)| json!({"value": v, "href": toggle_url(&page, f, &v)}))
        .collect();
    // Changing the sort keeps the filters chosen.
    let kept_filters: Vec<Value> = SEARCH_FACETS
        .iter()
        .flat_map(|f| {
            page.params(f)
                .into_iter()
                .map(move |v| json!({"field": f, "value": v}))
        })
        .collect();
    // Tabs to the same words among posts and legal documents (two small
    // counts, only when words were typed).
    let tabs = if text.is_empty() {
        Value::Null
    } else {
        let (posts, legal) = super::hub::tab_counts(&state, &page, &text).await;
        json!({"active": "datasets", "q": text, "datasets": count, "posts": posts, "legal": legal})
    };
    page.respond(&state, StatusCode::OK, "search.html", "/dataset", json!({
        "tabs": tabs, "q": text, "sort": page.param("sort"), "count": count, "results": result["results"], "facets": facets,
        "selected": selected, "page": number, "pages": pages, "error": error, "kept_filters": kept_filters,
        "prev_href": (number > 1).then(|| page_url(&page, number - 1)),
        "next_href": (number < pages).then(|| page_url(&page, number + 1)),
    }))
}

/// schema.org `Dataset` for search engines, consistent with the API's fields.
fn json_ld(site_url: &str, d: &Value) -> String {
    let distributions: Vec<Value> = d["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|r| json!({"@type": "DataDownload", "name": r["name"], "encodingFormat": r["format"], "contentUrl": r["url"]}))
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": d["title"],
        "description": d["notes"],
        "url": format!("{site_url}/dataset/{}", d["name"].as_str().unwrap_or_default()),
        "identifier": d["id"],
        "keywords": d["tags"].as_array().map(|t| t.iter().map(|x| x["name"].clone()).collect::<Vec<_>>()),
        "license": d["license_url"],
        "isAccessibleForFree": true,
        "dateCreated": d["metadata_created"],
        "dateModified": d["metadata_modified"],
        "publisher": {"@type": "Organization", "name": d["organization"]["title"]},
        "distribution": distributions,
        "inLanguage": d["language"],
    });
    if let Some(s) = d["spatial"].as_str().filter(|s| !s.is_empty()) {
        ld["spatialCoverage"] = json!(s);
    }
    if let (Some(a), Some(b)) = (d["temporal_start"].as_str(), d["temporal_end"].as_str()) {
        if !a.is_empty() {
            ld["temporalCoverage"] = json!(format!("{a}/{}", if b.is_empty() { ".." } else { b }));
        }
    }
    // Inside <script>, "</" would end the element: no "<" appears at all.
    ld.to_string().replace('<', "\\u003c")
}

async fn dataset(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    // `/dataset/{name}.ttl` (and .rdf, .jsonld, .nt), or RDF asked for by `Accept`.
    if let Some((name, format)) = id
        .rsplit_once('.')
        .and_then(|(name, ext)| sen_dcat::RdfFormat::from_extension(ext).map(|f| (name, f)))
    {
        return crate::exports::dataset_rdf(&state, &headers, q.as_deref(), name, format).await;
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if let Some(format) = sen_dcat::rdf::negotiate(accept) {
        return crate::exports::dataset_rdf(&state, &headers, q.as_deref(), &id, format).await;
    }
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/dataset/{id}");
    let Ok(d) = read(&state, &page, "package_show", json!({"id": id})).await else {
        return page.not_found(&state, &path);
    };
    let activity = read(
        &state,
        &page,
        "package_activity_list",
        json!({"id": id, "limit": 10}),
    )
    .await
    .unwrap_or(json!([]));
    let mut successor = Value::Null;
    if let Some(sid) = d["organization"]["successor_id"].as_str() {
        if let Ok(s) = read(
            &state,
            &page,
            "organization_show",
            json!({"id": sid, "include_users": false}),
        )
        .await
        {
            successor = s;
        }
    }
    let site_url = state
        .catalog
        .config
        .site_url
        .trim_end_matches('/')
        .to_string();
    let name = d["name"].as_str().unwrap_or_default().to_string();
    let can_edit =
        super::publish::may_publish_in(&state, &page, d["owner_org"].as_str().unwrap_or_default())
            .await;
    let package_id = d["id"].as_str().unwrap_or_default().to_string();
    state.catalog.count_view(&package_id);
    let followers = read(
        &state,
        &page,
        "dataset_follower_count",
        json!({"id": package_id}),
    )
    .await
    .unwrap_or(json!(0));
    let following = page.actor.user.is_some()
        && read(
            &state,
            &page,
            "am_following_dataset",
            json!({"id": package_id}),
        )
        .await
        .is_ok_and(|v| v == json!(true));
    let (views, downloads) = state
        .catalog
        .usage_totals(&package_id)
        .await
        .unwrap_or_default();
    let reports = read(
        &state,
        &page,
        "feedback_list",
        json!({"id": package_id, "dataset": package_id}),
    )
    .await
    .unwrap_or(json!([]));
    let share_url = format!("{site_url}/dataset/{name}");
    page.respond(
        &state,
        StatusCode::OK,
        "dataset.html",
        &format!("/dataset/{name}"),
        json!({
            "d": d, "activity": activity, "successor": successor, "can_edit": can_edit,
            "followers": followers, "following": following, "views": views, "downloads": downloads,
            "reports": reports, "reported": page.query.contains_key("reported"),
            "feedback_categories": sen_catalog::feedback::CATEGORIES,
            "share": share_links(&share_url, d["title"].as_str().unwrap_or(&name)),
            "json_ld": json_ld(&site_url, &d),
            "api_show": format!("{site_url}/api/3/action/package_show?id={name}"),
            "api_rest": format!("{site_url}/api/v1/datasets/{name}"),
        }),
    )
}

/// Plain links to share a dataset: no script or widget of another site is loaded.
fn share_links(url: &str, title: &str) -> Value {
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    json!({
        "url": url,
        "email": format!("mailto:?subject={}&body={}", enc(title), enc(url)),
        "facebook": format!("https://www.facebook.com/sharer/sharer.php?u={}", enc(url)),
        "x": format!("https://x.com/intent/post?url={}&text={}", enc(url), enc(title)),
        "linkedin": format!("https://www.linkedin.com/sharing/share-offsite/?url={}", enc(url)),
    })
}

/// The first bytes of a resource's current file, and whether that is all of it.
async fn file_head(state: &AppState, page: &Page, rid: &str) -> Option<(Vec<u8>, bool)> {
    use futures::TryStreamExt;
    let file = state
        .catalog
        .resource_file(&page.actor, rid, None)
        .await
        .ok()?;
    let size = file.size.max(0) as u64;
    if size == 0 {
        return Some((Vec::new(), true));
    }
    let end = size.min(super::preview::PREVIEW_BYTES);
    let download = state
        .catalog
        .storage
        .get(&file.storage_key, Some(0..end))
        .await
        .ok()?;
    let chunks: Vec<bytes::Bytes> = download.body.try_collect().await.ok()?;
    Some((chunks.concat(), end == size))
}

async fn resource(
    State(state): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/dataset/{id}/resource/{rid}");
    let (Ok(d), Ok(r)) = (
        read(&state, &page, "package_show", json!({"id": id})).await,
        read(&state, &page, "resource_show", json!({"id": rid})).await,
    ) else {
        return page.not_found(&state, &path);
    };
    if r["package_id"] != d["id"] {
        return page.not_found(&state, &path);
    }
    let preview = if r["url_type"] == "upload" {
        match file_head(&state, &page, &rid).await {
            Some((bytes, complete)) => {
                super::preview::preview(r["format"].as_str().unwrap_or_default(), &bytes, complete)
            }
            None => Value::Null,
        }
    } else {
        Value::Null
    };
    let ds = super::table::view(&state, &page, &rid, &path).await;
    let uploaded = r["url_type"] == "upload";
    let mimetype = r["mimetype"].as_str().unwrap_or_default();
    let is_image = uploaded
        && matches!(
            mimetype,
            "image/png" | "image/jpeg" | "image/gif" | "image/webp"
        );
    let is_pdf = uploaded
        && (mimetype == "application/pdf"
            || r["format"]
                .as_str()
                .is_some_and(|f| f.eq_ignore_ascii_case("pdf")));
    page.respond(
        &state,
        StatusCode::OK,
        "resource.html",
        &path,
        json!({"d": d, "r": r, "preview": preview, "is_image": is_image, "is_pdf": is_pdf, "ds": ds}),
    )
}

async fn organizations(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let all = read(
        &state,
        &page,
        "organization_list",
        json!({"all_fields": true, "sort": "title asc"}),
    )
    .await
    .unwrap_or(json!([]));
    let list = all.as_array().cloned().unwrap_or_default();
    // Top level first, each followed by its children at any depth; merged units apart.
    let current: Vec<&Value> = list
        .iter()
        .filter(|o| o["valid_to"].is_null() || o["successor"].is_null())
        .collect();
    fn subtree(o: &Value, current: &[&Value], depth: usize) -> Value {
        let children: Vec<Value> = if depth < 8 {
            current
                .iter()
                .filter(|c| c["parent"]["id"] == o["id"])
                .map(|c| subtree(c, current, depth + 1))
                .collect()
        } else {
            Vec::new()
        };
        json!({"org": o, "children": children})
    }
    let roots: Vec<Value> = current
        .iter()
        .filter(|o| o["parent"].is_null())
        .map(|o| subtree(o, &current, 0))
        .collect();
    let merged: Vec<&Value> = list.iter().filter(|o| !o["successor"].is_null()).collect();
    page.respond(
        &state,
        StatusCode::OK,
        "organizations.html",
        "/organization",
        json!({"roots": roots, "merged": merged, "count": list.len()}),
    )
}

async fn group_page(
    state: AppState,
    id: String,
    headers: HeaderMap,
    q: Option<String>,
    is_org: bool,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let base = if is_org { "/organization" } else { "/group" };
    let path = format!("{base}/{id}");
    let action = if is_org {
        "organization_show"
    } else {
        "group_show"
    };
    let Ok(g) = read(
        &state,
        &page,
        action,
        json!({"id": id, "include_users": false}),
    )
    .await
    else {
        return page.not_found(&state, &path);
    };
    let name = g["name"].as_str().unwrap_or_default().to_string();
    let fq = if is_org {
        format!("organization:{}", quote(&name))
    } else {
        format!("groups:{}", quote(&name))
    };
    let datasets = read(
        &state,
        &page,
        "package_search",
        json!({"fq": fq, "rows": 50, "sort": "metadata_modified desc"}),
    )
    .await
    .unwrap_or(json!({"count": 0, "results": []}));
    let admin_of = if page.actor.user.is_some() && is_org {
        read(
            &state,
            &page,
            "organization_list_for_user",
            json!({"permission": "manage_group"}),
        )
        .await
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
    } else {
        Vec::new()
    };
    let can_manage = page.actor.is_sysadmin() || admin_of.iter().any(|o| o["id"] == g["id"]);
    let can_publish = is_org
        && super::publish::may_publish_in(&state, &page, g["id"].as_str().unwrap_or_default())
            .await;
    page.respond(&state, StatusCode::OK, "group.html", &format!("{base}/{name}"), json!({
        "can_manage": can_manage, "can_publish": can_publish,
        "g": g, "is_org": is_org, "datasets": datasets["results"], "dataset_count": datasets["count"],
    }))
}

async fn organization(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    group_page(state, id, headers, q, true).await
}

async fn topic(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    group_page(state, id, headers, q, false).await
}

async fn topics(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let list = read(
        &state,
        &page,
        "group_list",
        json!({"all_fields": true, "sort": "title asc"}),
    )
    .await
    .unwrap_or(json!([]));
    page.respond(
        &state,
        StatusCode::OK,
        "topics.html",
        "/group",
        json!({"topics": list}),
    )
}

async fn static_file(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    match state.pages.static_file(&file) {
        Some((mime, bytes)) => {
            let mut resp = bytes.into_response();
            let h = resp.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&mime) {
                h.insert(header::CONTENT_TYPE, v);
            }
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            resp
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn robots(State(state): State<AppState>) -> Response {
    let site = state.catalog.config.site_url.trim_end_matches('/');
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("User-agent: *\nAllow: /\nDisallow: /api/\nSitemap: {site}/sitemap.xml\n"),
    )
        .into_response()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Open datasets, organisations and topics only (what anonymous visitors see).
async fn sitemap(State(state): State<AppState>) -> Response {
    // As an anonymous visitor, whoever asks: open data only.
    let page = Page {
        lang: Lang::Vi,
        query: Dict::new(),
        set_cookie: false,
        actor: Actor::anonymous(),
        csrf: String::new(),
        new_csrf: false,
    };
    let site = state
        .catalog
        .config
        .site_url
        .trim_end_matches('/')
        .to_string();
    let mut urls = vec![
        format!("{site}/"),
        format!("{site}/dataset"),
        format!("{site}/organization"),
        format!("{site}/group"),
        format!("{site}/news"),
        format!("{site}/legal"),
    ];
    let mut start = 0;
    loop {
        let Ok(r) = read(
            &state,
            &page,
            "package_search",
            json!({"rows": 1000, "start": start, "sort": "name asc"}),
        )
        .await
        else {
            break;
        };
        let batch = r["results"].as_array().cloned().unwrap_or_default();
        if batch.is_empty() {
            break;
        }
        urls.extend(
            batch
                .iter()
                .filter_map(|d| d["name"].as_str())
                .map(|n| format!("{site}/dataset/{n}")),
        );
        start += 1000;
        if start >= 50_000 {
            break;
        }
    }
    for (action, base) in [
        ("organization_list", "organization"),
        ("group_list", "group"),
    ] {
        if let Ok(Value::Array(names)) = read(&state, &page, action, json!({})).await {
            urls.extend(
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|n| format!("{site}/{base}/{n}")),
            );
        }
    }
    // Published posts (as the anonymous visitor) and the legal library.
    for (action, base) in [("post_list", "news"), ("legal_document_list", "legal")] {
        let mut start = 0;
        while let Ok(r) = read(&state, &page, action, json!({"rows": 100, "start": start})).await {
            let batch = r["results"].as_array().cloned().unwrap_or_default();
            urls.extend(
                batch
                    .iter()
                    .filter_map(|p| p["slug"].as_str())
                    .map(|s| format!("{site}/{base}/{s}")),
            );
            start += 100;
            if batch.len() < 100 || start >= 10_000 {
                break;
            }
        }
    }
    let body: String = urls
        .iter()
        .map(|u| format!("<url><loc>{}</loc></url>", xml_escape(u)))
        .collect();
    let xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{body}</urlset>\n");
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

/// Unknown addresses get the 404 page in the visitor's language.
pub async fn fallback(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let page = Page::load(&state, &headers, uri.query()).await;
    page.not_found(&state, uri.path())
}
