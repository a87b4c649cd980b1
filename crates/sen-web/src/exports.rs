//! Open-standard exports over HTTP: DCAT-AP 3 (catalogue and datasets, by
//! extension or content negotiation), DCAT-US `data.json`, Frictionless
//! `datapackage.json` and Atom feeds. Every export reads through the same
//! catalogue actions as the APIs (`package_search`, `package_show`,
//! `package_activity_list`, `datastore_info`…) as the caller — an API token
//! or the browser session, else anonymous — so it shows exactly what the
//! caller may see: open data to everyone, non-open data only to the entitled.
//! The documents themselves are built by `sen-dcat`.

use crate::actor::{actor_from_headers, language, token_from_headers};
use crate::error::RestError;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use sen_catalog::{Actor, Dict};
use sen_dcat::{atom, RdfFormat, Site};
use sen_domain::{time, Error, Msg, Result};
use sen_i18n::{t, Lang};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Datasets per page of the DCAT catalogue unless `rows` asks otherwise (as ckanext-dcat).
pub const CATALOG_PAGE_SIZE: u64 = 100;
/// Largest page of the DCAT catalogue.
pub const CATALOG_MAX_PAGE_SIZE: u64 = 1000;
/// Entries per page of a feed.
pub const FEED_PAGE_SIZE: u64 = 20;

pub fn routes() -> Router<AppState> {
    let mut r = Router::new()
        .route("/catalog", get(catalog_negotiated))
        .route("/data.json", get(data_json))
        .route("/dataset/{id}/datapackage.json", get(datapackage))
        .route("/feeds/dataset.atom", get(feed_catalog))
        .route("/feeds/organization/{file}", get(feed_organization))
        .route("/feeds/group/{file}", get(feed_group))
        .route("/feeds/dataset/{file}", get(feed_dataset));
    for format in RdfFormat::ALL {
        r = r.route(
            &format!("/catalog.{}", format.extension()),
            get(
                move |state: State<AppState>, headers: HeaderMap, query: RawQuery| async move {
                    catalog(state, headers, query, format).await
                },
            ),
        );
    }
    r
}

/// The caller: an API token if one is sent (a bad one is an error), else the
/// browser session, else anonymous.
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Actor> {
    if token_from_headers(headers).is_some() {
        actor_from_headers(state, headers).await
    } else {
        Ok(crate::pages::visitor(state, headers).await)
    }
}

struct Request {
    actor: Actor,
    lang: Lang,
    query: Dict,
}

impl Request {
    async fn load(
        state: &AppState,
        headers: &HeaderMap,
        raw: Option<&str>,
    ) -> std::result::Result<Self, Response> {
        let lang = language(headers, None);
        let query = crate::multipart::parse_query(raw)
            .map_err(|e| RestError::new(e, lang).into_response())?;
        let lang = language(headers, query.get("lang").and_then(Value::as_str));
        let actor = caller(state, headers)
            .await
            .map_err(|e| RestError::new(e, lang).into_response())?;
        Ok(Self { actor, lang, query })
    }

    fn param(&self, key: &str) -> Option<String> {
        match self.query.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_string),
            _ => None,
        }
    }

    async fn run(&self, state: &AppState, action: &str, data: Value) -> Result<Value> {
        let data: Dict = data.as_object().cloned().unwrap_or_default();
        state
            .catalog
            .run_action(action, &self.actor, &data, None)
            .await
            .unwrap_or_else(|| Err(Error::internal(format!("unknown action {action}"))))
    }

    fn error(&self, e: Error) -> Response {
        RestError::new(e, self.lang).into_response()
    }
}

fn bad_parameter(name: &str, value: &str) -> Error {
    Error::bad_request(
        "invalid_parameter",
        Msg::new("error-bad-parameter")
            .arg("name", name)
            .arg("value", value),
    )
}

/// A positive integer parameter, or its default when absent.
fn positive(req: &Request, name: &str, default: u64, max: u64) -> Result<u64> {
    match req.param(name) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(bad_parameter(name, &v)),
        },
    }
}

fn site(state: &AppState) -> Site {
    let c = &state.catalog;
    Site::new(
        &c.config.site_url,
        &c.site_title(),
        &c.site_description(),
        "vi",
    )
}

fn document(media_type: &str, body: Vec<u8>) -> Response {
    let mut resp = (StatusCode::OK, body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{media_type}; charset=utf-8")) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Accept, Cookie, Authorization"),
    );
    resp
}

/// The raw query without `page` (kept in its original encoding), for paging links.
fn query_without_page(raw: Option<&str>) -> String {
    raw.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("page="))
        .collect::<Vec<_>>()
        .join("&")
}

fn with_query(url: String, query: &str) -> String {
    if query.is_empty() {
        url
    } else {
        format!("{url}?{query}")
    }
}

// ---- DCAT-AP -------------------------------------------------------------

async fn catalog_negotiated(
    state: State<AppState>,
    headers: HeaderMap,
    query: RawQuery,
) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    match sen_dcat::rdf::negotiate(accept) {
        Some(format) => catalog(state, headers, query, format).await,
        None => {
            let mut resp = Redirect::to("/dataset").into_response();
            resp.headers_mut()
                .insert(header::VARY, HeaderValue::from_static("Accept"));
            resp
        }
    }
}

async fn catalog(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    format: RdfFormat,
) -> Response {
    let req = match Request::load(&state, &headers, raw.as_deref()).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    match catalog_document(&state, &req, raw.as_deref(), format).await {
        Ok(resp) => resp,
        Err(e) => req.error(e),
    }
}

/// The search parameters the catalogue endpoints share: `q`, `fq` and
/// `modified_since` (any timestamp the API accepts).
fn search_filters(req: &Request) -> Result<(String, String)> {
    let q = req.param("q").unwrap_or_default();
    let mut fq = req.param("fq").unwrap_or_default();
    if let Some(since) = req.param("modified_since").filter(|s| !s.trim().is_empty()) {
        let t = time::parse(&since).ok_or_else(|| bad_parameter("modified_since", &since))?;
        fq.push_str(&format!(
            " metadata_modified:[{} TO *]",
            t.format("%Y-%m-%dT%H:%M:%S%.6fZ")
        ));
    }
    Ok((q, fq))
}

async fn catalog_document(
    state: &AppState,
    req: &Request,
    raw: Option<&str>,
    format: RdfFormat,
) -> Result<Response> {
    let page = positive(req, "page", 1, 1_000_000)?;
    let rows = positive(req, "rows", CATALOG_PAGE_SIZE, CATALOG_MAX_PAGE_SIZE)?;
    let (q, fq) = search_filters(req)?;
    let found = req
        .run(
            state,
            "package_search",
            json!({"q": q, "fq": fq, "rows": rows, "start": (page - 1) * rows,
                   "sort": "metadata_modified desc, id asc", "include_private": true, "facet": false}),
        )
        .await?;
    let datasets = found["results"].as_array().cloned().unwrap_or_default();
    let site = site(state);
    let paging = sen_dcat::Paging {
        page,
        per_page: rows,
        total: found["count"].as_u64().unwrap_or(0),
        url: with_query(
            format!("{}/catalog.{}", site.url, format.extension()),
            &query_without_page(raw),
        ),
    };
    let graph = sen_dcat::rdf::catalog_graph(&site, &datasets, Some(&paging));
    let body = sen_dcat::rdf::serialize(&graph, format).map_err(Error::internal)?;
    Ok(document(format.media_type(), body))
}

/// One dataset in DCAT-AP (`/dataset/{name}.ttl` or content negotiation on `/dataset/{name}`).
pub(crate) async fn dataset_rdf(
    state: &AppState,
    headers: &HeaderMap,
    raw: Option<&str>,
    id: &str,
    format: RdfFormat,
) -> Response {
    let req = match Request::load(state, headers, raw).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let result = async {
        let d = req.run(state, "package_show", json!({"id": id})).await?;
        let graph = sen_dcat::rdf::dataset_graph(&site(state), &d);
        sen_dcat::rdf::serialize(&graph, format).map_err(Error::internal)
    }
    .await;
    match result {
        Ok(body) => document(format.media_type(), body),
        Err(e) => req.error(e),
    }
}

// ---- DCAT-US and Frictionless ---------------------------------------------

/// Every dataset the caller may see, newest first, read in pages of 1000.
async fn all_visible(state: &AppState, req: &Request, q: &str, fq: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let rows = 1000u64;
    loop {
        let found = req
            .run(
                state,
                "package_search",
                json!({"q": q, "fq": fq, "rows": rows, "start": out.len(),
                       "sort": "metadata_modified desc, id asc", "include_private": true, "facet": false}),
            )
            .await?;
        let batch = found["results"].as_array().cloned().unwrap_or_default();
        let total = found["count"].as_u64().unwrap_or(0) as usize;
        let n = batch.len();
        out.extend(batch);
        if n == 0 || out.len() >= total {
            return Ok(out);
        }
    }
}

async fn data_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let req = match Request::load(&state, &headers, raw.as_deref()).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let result = async {
        let (q, fq) = search_filters(&req)?;
        let datasets = all_visible(&state, &req, &q, &fq).await?;
        let doc = sen_dcat::us::catalog(&site(&state), &datasets);
        serde_json::to_vec_pretty(&doc).map_err(Error::internal)
    }
    .await;
    match result {
        Ok(body) => document("application/json", body),
        Err(e) => req.error(e),
    }
}

async fn datapackage(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let req = match Request::load(&state, &headers, raw.as_deref()).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let result = async {
        let d = req.run(&state, "package_show", json!({"id": id})).await?;
        let mut schemas = HashMap::new();
        for r in d["resources"].as_array().into_iter().flatten() {
            let Some(rid) = r["id"].as_str() else {
                continue;
            };
            // Only resources with a datastore table the caller may read have a schema.
            if let Ok(info) = req.run(&state, "datastore_info", json!({"id": rid})).await {
                if info["schema"].is_object() {
                    schemas.insert(rid.to_string(), info["schema"].clone());
                }
            }
        }
        let doc = sen_dcat::datapackage::descriptor(&site(&state), &d, &schemas);
        serde_json::to_vec_pretty(&doc).map_err(Error::internal)
    }
    .await;
    match result {
        Ok(body) => document("application/json", body),
        Err(e) => req.error(e),
    }
}

// ---- Atom -----------------------------------------------------------------

fn atom_response(feed: &atom::Feed) -> Response {
    document("application/atom+xml", atom::render(feed).into_bytes())
}

/// `first`, `previous`, `next` and `last` links of a paged feed.
fn paging_links(url: &str, page: u64, last: Option<u64>, has_next: bool) -> Vec<(String, String)> {
    let at = |n: u64| format!("{url}{}page={n}", if url.contains('?') { '&' } else { '?' });
    let mut links = vec![("first".to_string(), at(1))];
    if page > 1 {
        links.push(("previous".into(), at(page - 1)));
    }
    if has_next {
        links.push(("next".into(), at(page + 1)));
    }
    if let Some(last) = last {
        links.push(("last".into(), at(last)));
    }
    links
}

/// A feed of datasets (newest change first) filtered by `fq`.
async fn dataset_feed(
    state: &AppState,
    req: &Request,
    raw: Option<&str>,
    path: &str,
    fq: &str,
    title: String,
    alternate: String,
) -> Result<Response> {
    let page = positive(req, "page", 1, 1_000_000)?;
    let found = req
        .run(
            state,
            "package_search",
            json!({"fq": fq, "rows": FEED_PAGE_SIZE, "start": (page - 1) * FEED_PAGE_SIZE,
                   "sort": "metadata_modified desc, id asc", "include_private": true, "facet": false}),
        )
        .await?;
    let site = site(state);
    let total = found["count"].as_u64().unwrap_or(0);
    let last = total.div_ceil(FEED_PAGE_SIZE).max(1);
    let base = with_query(format!("{}{path}", site.url), &query_without_page(raw));
    let entries = found["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| atom::dataset_entry(&site, d))
        .collect();
    let feed = atom::Feed {
        id: format!("{}{path}", site.url),
        title,
        subtitle: String::new(),
        self_url: if page == 1 {
            base.clone()
        } else {
            format!(
                "{base}{}page={page}",
                if base.contains('?') { '&' } else { '?' }
            )
        },
        alternate_url: alternate,
        links: paging_links(&base, page, Some(last), page < last),
        author: site.title.clone(),
        updated: sen_dcat::utc(&time::now()).unwrap_or_default(),
        lang: req.lang.code().to_string(),
        entries,
    };
    Ok(atom_response(&feed))
}

async fn feed_catalog(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let req = match Request::load(&state, &headers, raw.as_deref()).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let site_url = site(&state).url;
    let title = t(
        req.lang,
        "feed-catalog-title",
        &[("site", state.catalog.site_title())],
    );
    match dataset_feed(
        &state,
        &req,
        raw.as_deref(),
        "/feeds/dataset.atom",
        "",
        title,
        format!("{site_url}/dataset"),
    )
    .await
    {
        Ok(resp) => resp,
        Err(e) => req.error(e),
    }
}

/// `name.atom` → `name`; anything else is not a feed.
fn feed_name(file: &str) -> Option<&str> {
    file.strip_suffix(".atom").filter(|n| !n.is_empty())
}

fn display(g: &Value) -> String {
    let title = g["title"].as_str().unwrap_or_default();
    if title.is_empty() {
        g["name"].as_str().unwrap_or_default().to_string()
    } else {
        title.to_string()
    }
}

async fn group_feed(
    state: AppState,
    headers: HeaderMap,
    raw: Option<String>,
    file: String,
    is_org: bool,
) -> Response {
    let req = match Request::load(&state, &headers, raw.as_deref()).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let (kind, action, code, key) = if is_org {
        (
            "organization",
            "organization_show",
            "organization_not_found",
            "error-organization-not-found",
        )
    } else {
        (
            "group",
            "group_show",
            "group_not_found",
            "error-group-not-found",
        )
    };
    let result = async {
        let name = feed_name(&file).ok_or_else(|| Error::not_found(code, Msg::new(key)))?;
        let g = req
            .run(
                &state,
                action,
                json!({"id": name, "include_datasets": false, "include_users": false}),
            )
            .await?;
        let gname = g["name"].as_str().unwrap_or(name).to_string();
        let title_key = if is_org {
            "feed-organization-title"
        } else {
            "feed-group-title"
        };
        let title = t(req.lang, title_key, &[("name", display(&g))]);
        let fq = if is_org {
            format!("organization:\"{gname}\"")
        } else {
            format!("groups:\"{gname}\"")
        };
        let site_url = site(&state).url;
        dataset_feed(
            &state,
            &req,
            raw.as_deref(),
            &format!("/feeds/{kind}/{gname}.atom"),
            &fq,
            title,
            format!("{site_url}/{kind}/{gname}"),
        )
        .await
    }
    .await;
    match result {
        Ok(resp) => resp,
        Err(e) => req.error(e),
    }
}

async fn feed_organization(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    group_feed(state, headers, raw, file, true).await
}

async fn feed_group(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    group_feed(state, headers, raw, file, false).await
}

/// A dataset's activity stream as a feed.
async fn feed_dataset(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let req = match Request::load(&state, &headers, raw.as_deref()).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let result = async {
        let id = feed_name(&file).ok_or_else(|| Error::not_found("dataset_not_found", Msg::new("error-dataset-not-found")))?;
        let d = req.run(&state, "package_show", json!({"id": id})).await?;
        let page = positive(&req, "page", 1, 1_000_000)?;
        let activities = req
            .run(
                &state,
                "package_activity_list",
                json!({"id": d["id"], "limit": FEED_PAGE_SIZE + 1, "offset": (page - 1) * FEED_PAGE_SIZE}),
            )
            .await?;
        let mut activities = activities.as_array().cloned().unwrap_or_default();
        let has_next = activities.len() as u64 > FEED_PAGE_SIZE;
        activities.truncate(FEED_PAGE_SIZE as usize);
        let site = site(&state);
        let name = d["name"].as_str().unwrap_or_default().to_string();
        let title = display(&d);
        let page_url = site.dataset_page(&name);
        let org_title = display(&d["organization"]);
        let entries = activities
            .iter()
            .map(|a| {
                let key = match a["activity_type"].as_str().unwrap_or_default() {
                    "new package" => "feed-activity-new",
                    "deleted package" => "feed-activity-deleted",
                    _ => "feed-activity-changed",
                };
                // The title as it was after this change.
                let then = a["data"]["package"]["title"].as_str().filter(|s| !s.is_empty()).unwrap_or(&title);
                let fields: Vec<&str> = a["data"]["changes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c["field"].as_str())
                    .collect();
                atom::Entry {
                    id: atom::entry_id(&site, "activity", a["id"].as_str().unwrap_or_default()),
                    title: t(req.lang, key, &[("name", then.to_string())]),
                    link: page_url.clone(),
                    updated: sen_dcat::utc(a["timestamp"].as_str().unwrap_or_default()).unwrap_or_default(),
                    published: None,
                    author: org_title.clone(),
                    summary: if fields.is_empty() {
                        String::new()
                    } else {
                        t(req.lang, "feed-activity-fields", &[("fields", fields.join(", "))])
                    },
                    categories: Vec::new(),
                }
            })
            .collect();
        let path = format!("/feeds/dataset/{name}.atom");
        let base = with_query(format!("{}{path}", site.url), &query_without_page(raw.as_deref()));
        let feed = atom::Feed {
            id: format!("{}{path}", site.url),
            title: t(req.lang, "feed-dataset-title", &[("name", title.clone())]),
            subtitle: String::new(),
            self_url: if page == 1 { base.clone() } else { format!("{base}{}page={page}", if base.contains('?') { '&' } else { '?' }) },
            alternate_url: page_url.clone(),
            links: paging_links(&base, page, None, has_next),
            author: if org_title.is_empty() { site.title.clone() } else { org_title.clone() },
            updated: sen_dcat::utc(d["metadata_modified"].as_str().unwrap_or_default()).unwrap_or_default(),
            lang: req.lang.code().to_string(),
            entries,
        };
        Ok::<_, Error>(atom_response(&feed))
    }
    .await;
    match result {
        Ok(resp) => resp,
        Err(e) => req.error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_keeps_other_parameters() {
        assert_eq!(
            query_without_page(Some("q=d%C3%A2n&page=3&fq=tags:x")),
            "q=d%C3%A2n&fq=tags:x"
        );
        assert_eq!(query_without_page(Some("page=2")), "");
        assert_eq!(query_without_page(None), "");
        let links = paging_links("http://s/feeds/dataset.atom", 2, Some(3), true);
        assert_eq!(
            links,
            vec![
                (
                    "first".to_string(),
                    "http://s/feeds/dataset.atom?page=1".to_string()
                ),
                (
                    "previous".to_string(),
                    "http://s/feeds/dataset.atom?page=1".to_string()
                ),
                (
                    "next".to_string(),
                    "http://s/feeds/dataset.atom?page=3".to_string()
                ),
                (
                    "last".to_string(),
                    "http://s/feeds/dataset.atom?page=3".to_string()
                ),
            ]
        );
        assert_eq!(feed_name("so-y-te.atom"), Some("so-y-te"));
        assert_eq!(feed_name(".atom"), None);
        assert_eq!(feed_name("so-y-te.rss"), None);
    }
}
