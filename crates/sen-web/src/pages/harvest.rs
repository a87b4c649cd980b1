//! The operator's harvest page: sources with their recent jobs and reports,
//! a form to add a source, and the "dry run" and "run now" buttons. Every
//! read and change goes through the harvest actions (sysadmins only).

use super::admin::refusal_unless_sysadmin;
use super::forms::{field_errors, first, forbidden_form, Pairs};
use super::routes::{read, Page};
use super::session;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use sen_i18n::Lang;
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/harvest", get(sources).post(source_create))
        .route("/admin/harvest/{id}/run", post(run))
        .route("/admin/harvest/{id}/delete", post(source_delete))
}

const FIELDS: &[&str] = &[
    "name",
    "title",
    "url",
    "source_type",
    "owner_org",
    "frequency",
    "access_level",
    "license_map",
];

/// A stored message (`{key, args}`) in the visitor's language.
fn say(lang: Lang, m: &Value) -> String {
    let Some(key) = m.get("key").and_then(Value::as_str) else {
        return String::new();
    };
    let args: Vec<(&str, String)> = m
        .get("args")
        .and_then(Value::as_object)
        .map(|a| {
            a.iter()
                .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    sen_i18n::t(lang, key, &args)
}

/// A job with its report's messages translated, for the template.
fn job_view(lang: Lang, job: &Value) -> Value {
    let report = &job["report"];
    let reason = report
        .get("reason")
        .map(|r| say(lang, r))
        .unwrap_or_default();
    let errors: Vec<Value> = report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .take(20)
        .map(|e| {
            let mut text = say(lang, &e["message"]);
            if let Some(fields) = e["fields"].as_object() {
                for (field, msgs) in fields {
                    for m in msgs.as_array().into_iter().flatten() {
                        text.push_str(&format!(" {field}: {}", say(lang, m)));
                    }
                }
            }
            json!({"remote_id": e["remote_id"], "title": e["title"], "text": text.trim()})
        })
        .collect();
    json!({
        "id": job["id"], "dry_run": job["dry_run"], "status": job["status"],
        "created": job["created"], "finished": job["finished"],
        "counts": report["counts"], "reason": reason, "url": report["url"],
        "errors": errors,
    })
}

async fn render(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    v: Value,
    errors: Value,
    notice: Option<&str>,
) -> Response {
    let list = read(state, page, "harvest_source_list", json!({}))
        .await
        .unwrap_or(json!([]));
    let mut sources = Vec::new();
    for s in list.as_array().into_iter().flatten() {
        let jobs = read(
            state,
            page,
            "harvest_job_list",
            json!({"id": s["id"], "limit": 5}),
        )
        .await
        .unwrap_or(json!([]));
        let jobs: Vec<Value> = jobs
            .as_array()
            .into_iter()
            .flatten()
            .map(|j| job_view(page.lang, j))
            .collect();
        let mut s = s.clone();
        if let Some(o) = s.as_object_mut() {
            o.insert("jobs".into(), Value::Array(jobs));
        }
        sources.push(s);
    }
    let orgs = read(
        state,
        page,
        "organization_list",
        json!({"all_fields": true}),
    )
    .await
    .unwrap_or(json!([]));
    page.respond(
        state,
        status,
        "admin_harvest.html",
        "/admin/harvest",
        json!({"sources": sources, "orgs": orgs, "v": v, "errors": errors, "tab": "harvest",
               "notice_key": notice}),
    )
}

async fn sources(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/harvest") {
        return r;
    }
    let notice = page
        .query
        .contains_key("queued")
        .then_some("ui-harvest-queued");
    let v = json!({"source_type": "ckan", "frequency": "manual", "access_level": "open"});
    render(&state, &page, StatusCode::OK, v, json!({}), notice).await
}

async fn source_create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/harvest") {
        return r;
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let mut data = serde_json::Map::new();
    for k in FIELDS {
        data.insert((*k).into(), json!(first(&f, k).trim()));
    }
    if data["name"] == json!("") {
        let from = if data["title"] == json!("") {
            first(&f, "url")
        } else {
            first(&f, "title")
        };
        data.insert("name".into(), json!(super::forms::slug(from)));
    }
    data.insert(
        "keep_local_edits".into(),
        json!(first(&f, "keep_local_edits") == "on"),
    );
    match read(
        &state,
        &page,
        "harvest_source_create",
        Value::Object(data.clone()),
    )
    .await
    {
        Ok(_) => Redirect::to("/admin/harvest").into_response(),
        Err(e) => {
            render(
                &state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                Value::Object(data),
                field_errors(&page, &e),
                None,
            )
            .await
        }
    }
}

async fn run(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/harvest") {
        return r;
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let dry_run = first(&f, "dry_run") == "true";
    match read(
        &state,
        &page,
        "harvest_job_create",
        json!({"id": id, "dry_run": dry_run}),
    )
    .await
    {
        Ok(_) => Redirect::to("/admin/harvest?queued=1").into_response(),
        Err(e) => {
            let errors = json!({"form": crate::error::translate(page.lang, &e.message)});
            let v = json!({"source_type": "ckan", "frequency": "manual", "access_level": "open"});
            render(&state, &page, StatusCode::CONFLICT, v, errors, None).await
        }
    }
}

async fn source_delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/harvest") {
        return r;
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    match read(&state, &page, "harvest_source_delete", json!({"id": id})).await {
        Ok(_) => Redirect::to("/admin/harvest").into_response(),
        Err(e) => {
            let errors = json!({"form": crate::error::translate(page.lang, &e.message)});
            render(&state, &page, StatusCode::CONFLICT, json!({}), errors, None).await
        }
    }
}
