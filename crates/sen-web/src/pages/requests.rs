//! Data request pages: the list (sorted by votes or newest, filtered by
//! status and agency), the new-request form, and one request with its vote
//! button, comments, the route form (sysadmins) and the answer form (the
//! routed agency's editors and admins). Every read and change goes through
//! the `data_request_*` actions as the visitor.

use super::forms::{field_errors, first, forbidden_form, login_first, Pairs};
use super::routes::{read, Page};
use super::session;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde_json::{json, Map, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/requests", get(list))
        .route("/requests/new", get(new_form).post(create))
        .route("/requests/{id}", get(show))
        .route("/requests/{id}/vote", post(vote))
        .route("/requests/{id}/comment", post(comment))
        .route("/requests/{id}/route", post(route))
        .route("/requests/{id}/answer", post(answer))
}

const FIELDS: &[&str] = &["title", "description", "reason", "suggested_agency"];

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let mut data = Map::new();
    for k in ["status", "sort", "organization", "offset"] {
        if let Some(v) = page.query.get(k).and_then(Value::as_str) {
            if !v.is_empty() {
                data.insert(k.into(), json!(v));
            }
        }
    }
    let (result, error) = match read(
        &state,
        &page,
        "data_request_list",
        Value::Object(data.clone()),
    )
    .await
    {
        Ok(r) => (r, None),
        Err(e) => (
            json!({"count": 0, "results": []}),
            Some(crate::error::translate(page.lang, &e.message)),
        ),
    };
    let orgs = read(
        &state,
        &page,
        "organization_list",
        json!({"all_fields": true}),
    )
    .await
    .unwrap_or(json!([]));
    page.respond(
        &state,
        if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        },
        "requests.html",
        "/requests",
        json!({"result": result, "q": data, "orgs": orgs, "error": error,
               "statuses": sen_catalog::requests::STATUSES}),
    )
}

fn render_new(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    v: Value,
    errors: Value,
) -> Response {
    page.respond(
        state,
        status,
        "request_new.html",
        "/requests/new",
        json!({"v": v, "errors": errors}),
    )
}

async fn new_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if page.actor.user.is_none() {
        return login_first("/requests/new");
    }
    render_new(&state, &page, StatusCode::OK, json!({}), json!({}))
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if page.actor.user.is_none() {
        return login_first("/requests/new");
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let mut data = Map::new();
    for k in FIELDS {
        data.insert((*k).into(), json!(first(&f, k)));
    }
    match read(
        &state,
        &page,
        "data_request_create",
        Value::Object(data.clone()),
    )
    .await
    {
        Ok(r) => Redirect::to(&format!(
            "/requests/{}",
            r["id"].as_str().unwrap_or_default()
        ))
        .into_response(),
        Err(e) => render_new(
            &state,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            Value::Object(data),
            field_errors(&page, &e),
        ),
    }
}

async fn render_show(
    state: &AppState,
    page: &Page,
    id: &str,
    status: StatusCode,
    v: Value,
    errors: Value,
) -> Response {
    let path = format!("/requests/{id}");
    let r = match read(state, page, "data_request_show", json!({"id": id})).await {
        Ok(r) => r,
        Err(_) => return page.not_found(state, &path),
    };
    let is_sysadmin = page.actor.is_sysadmin();
    let orgs = if is_sysadmin {
        read(
            state,
            page,
            "organization_list",
            json!({"all_fields": true}),
        )
        .await
        .unwrap_or(json!([]))
    } else {
        json!([])
    };
    page.respond(
        state,
        status,
        "request.html",
        &path,
        json!({"r": r, "orgs": orgs, "can_route": is_sysadmin, "v": v, "errors": errors,
               "answers": sen_catalog::requests::ANSWERS}),
    )
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    render_show(&state, &page, &id, StatusCode::OK, json!({}), json!({})).await
}

/// Runs a change from the request page; on failure shows the page again
/// with the messages beside the fields and what was typed.
async fn change(
    state: AppState,
    id: String,
    headers: HeaderMap,
    f: Pairs,
    action: &str,
    data: Value,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let back = format!("/requests/{id}");
    if page.actor.user.is_none() {
        return login_first(&back);
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    match read(&state, &page, action, data.clone()).await {
        Ok(_) => Redirect::to(&back).into_response(),
        Err(e) => {
            let status = match e.kind {
                sen_domain::ErrorKind::NotFound => return page.not_found(&state, &back),
                sen_domain::ErrorKind::Forbidden => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            render_show(&state, &page, &id, status, data, field_errors(&page, &e)).await
        }
    }
}

async fn vote(
    State(s): State<AppState>,
    Path(id): Path<String>,
    h: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let data = json!({"id": id, "withdraw": first(&f, "withdraw") == "true"});
    change(s, id, h, f, "data_request_vote", data).await
}

async fn comment(
    State(s): State<AppState>,
    Path(id): Path<String>,
    h: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let data = json!({"id": id, "comment": first(&f, "comment")});
    change(s, id, h, f, "data_request_comment", data).await
}

async fn route(
    State(s): State<AppState>,
    Path(id): Path<String>,
    h: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let data = json!({"id": id, "organization": first(&f, "organization")});
    change(s, id, h, f, "data_request_route", data).await
}

async fn answer(
    State(s): State<AppState>,
    Path(id): Path<String>,
    h: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let mut data = json!({"id": id, "status": first(&f, "status"), "answer": first(&f, "answer")});
    for k in ["planned_date", "dataset"] {
        if !first(&f, k).trim().is_empty() {
            data[k] = json!(first(&f, k));
        }
    }
    change(s, id, h, f, "data_request_answer", data).await
}
