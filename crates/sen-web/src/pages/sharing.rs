//! Inter-agency sharing pages: the request form (posted from a shared
//! dataset's page), the agency inbox of requests, a request's page with its
//! history and the decide/escalate forms, and the operator's audit log with
//! its CSV export. Every read and change goes through the catalogue actions.

use super::admin::refusal_unless_sysadmin;
use super::forms::{first, forbidden_form, login_first, Pairs};
use super::routes::{read, Page};
use super::session;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde_json::{json, Value};

fn page_error(state: &AppState, page: &Page, e: &sen_domain::Error, path: &str) -> Response {
    match e.kind {
        sen_domain::ErrorKind::NotFound => page.not_found(state, path),
        sen_domain::ErrorKind::Forbidden => super::forms::not_allowed(page, state, path),
        _ => page.respond(
            state,
            StatusCode::INTERNAL_SERVER_ERROR,
            "error.html",
            path,
            json!({"status": 500, "title_key": "ui-error-500-title", "message_key": "ui-error-500-text"}),
        ),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/access-requests", get(inbox))
        .route("/access-requests/{id}", get(request_page))
        .route("/access-requests/{id}/decide", post(decide))
        .route("/access-requests/{id}/escalate", post(escalate))
        .route("/dataset/{id}/access-request", post(create))
        .route("/admin/audit", get(audit))
        .route("/admin/audit.csv", get(audit_csv))
}

const AUDIT_FILTERS: &[&str] = &["user", "organization", "package_id", "action", "from", "to"];

fn error_text(page: &Page, e: &sen_domain::Error) -> String {
    let mut out = crate::error::translate(page.lang, &e.message);
    for (field, msgs) in &e.fields {
        for m in msgs {
            out.push_str(&format!(
                " {field}: {}",
                crate::error::translate(page.lang, m)
            ));
        }
    }
    out
}

async fn inbox(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    if page.actor.user.is_none() {
        return login_first("/access-requests");
    }
    let list = read(&state, &page, "access_request_list", json!({}))
        .await
        .unwrap_or(json!([]));
    page.respond(
        &state,
        StatusCode::OK,
        "access_requests.html",
        "/access-requests",
        json!({"requests": list}),
    )
}

async fn render_request(
    state: &AppState,
    page: &Page,
    id: &str,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let path = format!("/access-requests/{id}");
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    match read(state, page, "access_request_show", json!({"id": id})).await {
        Ok(r) => {
            let dataset = read(state, page, "package_show", json!({"id": r["package_id"]}))
                .await
                .unwrap_or(Value::Null);
            page.respond(
                state,
                status,
                "access_request.html",
                &path,
                json!({"r": r, "dataset": dataset, "error": error}),
            )
        }
        Err(e) => page_error(state, page, &e, &path),
    }
}

async fn request_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    render_request(&state, &page, &id, StatusCode::OK, None).await
}

async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if page.actor.user.is_none() {
        return login_first(&format!("/access-requests/{id}"));
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let mut data = json!({"id": id, "decision": first(&f, "decision"),
                          "reason": first(&f, "reason"), "legal_basis": first(&f, "legal_basis")});
    if !first(&f, "expires").trim().is_empty() {
        data["expires"] = json!(first(&f, "expires"));
    }
    match read(&state, &page, "access_request_decide", data).await {
        Ok(_) => Redirect::to(&format!("/access-requests/{id}")).into_response(),
        Err(e) => {
            let text = error_text(&page, &e);
            render_request(
                &state,
                &page,
                &id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(text),
            )
            .await
        }
    }
}

async fn escalate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if page.actor.user.is_none() {
        return login_first(&format!("/access-requests/{id}"));
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    match read(
        &state,
        &page,
        "access_request_escalate",
        json!({"id": id, "reason": first(&f, "reason")}),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/access-requests/{id}")).into_response(),
        Err(e) => {
            let text = error_text(&page, &e);
            render_request(&state, &page, &id, StatusCode::CONFLICT, Some(text)).await
        }
    }
}

async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if page.actor.user.is_none() {
        return login_first(&format!("/dataset/{id}"));
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let data = json!({"package_id": id, "purpose": first(&f, "purpose"),
                      "legal_basis": first(&f, "legal_basis"), "period": first(&f, "period")});
    match read(&state, &page, "access_request_create", data).await {
        Ok(r) => Redirect::to(&format!(
            "/access-requests/{}",
            r["id"].as_str().unwrap_or_default()
        ))
        .into_response(),
        Err(e) if e.is_not_found() => page_error(&state, &page, &e, &format!("/dataset/{id}")),
        Err(e) => {
            let text = error_text(&page, &e);
            page.respond(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                "access_request.html",
                &format!("/dataset/{id}"),
                json!({"r": null, "error": text, "dataset_name": id}),
            )
        }
    }
}

fn audit_filters(page: &Page) -> Value {
    let mut data = serde_json::Map::new();
    for k in AUDIT_FILTERS {
        if let Some(v) = page.query.get(*k).and_then(Value::as_str) {
            if !v.trim().is_empty() {
                data.insert((*k).into(), json!(v.trim()));
            }
        }
    }
    Value::Object(data)
}

async fn audit(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/audit") {
        return r;
    }
    let filters = audit_filters(&page);
    let (rows, error) = match read(&state, &page, "audit_log_search", filters.clone()).await {
        Ok(v) => (v, None),
        Err(e) => (json!([]), Some(error_text(&page, &e))),
    };
    let csv = format!("/admin/audit.csv?{}", q.unwrap_or_default());
    page.respond(
        &state,
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        "admin_audit.html",
        "/admin/audit",
        json!({"rows": rows, "f": filters, "error": error, "csv": csv, "tab": "audit"}),
    )
}

/// The audit log as CSV, for a signed-in sysadmin (session or API token).
async fn audit_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let actor = if crate::actor::token_from_headers(&headers).is_some() {
        match crate::actor::actor_from_headers(&state, &headers).await {
            Ok(a) => a,
            Err(e) => return page_error(&state, &page, &e, "/admin/audit.csv"),
        }
    } else {
        page.actor.clone()
    };
    let data = audit_filters(&page)
        .as_object()
        .cloned()
        .unwrap_or_default();
    match state.catalog.audit_log_csv(&actor, &data).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"audit-log.csv\"",
                ),
            ],
            csv,
        )
            .into_response(),
        Err(e) if e.kind == sen_domain::ErrorKind::Forbidden => {
            (StatusCode::FORBIDDEN, "forbidden\n").into_response()
        }
        Err(e) => page_error(&state, &page, &e, "/admin/audit.csv"),
    }
}
