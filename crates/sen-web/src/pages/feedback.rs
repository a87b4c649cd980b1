//! "Report a problem": the form on every dataset page and the general one at
//! `/feedback`, with a honeypot field (a hidden input bots fill: such posts
//! are dropped but answered as a success) and a per-account/per-address rate
//! limit; and the organisation's queue at `/organization/{name}/feedback`,
//! where its editors and admins answer reports.

use super::forms::{field_errors, first, forbidden_form, login_first, Pairs};
use super::routes::{read, Page};
use super::session;
use crate::AppState;
use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde_json::{json, Value};
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feedback", get(general_form).post(general_post))
        .route("/dataset/{id}/feedback", post(dataset_post))
        .route("/organization/{id}/feedback", get(queue))
        .route("/feedback/{id}/answer", post(answer))
}

/// The name of the honeypot input (hidden from people by CSS).
pub(crate) const HONEYPOT: &str = "website";

type Peer = Option<Extension<ConnectInfo<SocketAddr>>>;

fn render_form(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    v: Value,
    errors: Value,
    sent: bool,
) -> Response {
    page.respond(
        state,
        status,
        "feedback.html",
        "/feedback",
        json!({"v": v, "errors": errors, "sent": sent,
               "categories": sen_catalog::feedback::CATEGORIES}),
    )
}

async fn general_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let sent = page.query.contains_key("sent");
    let mut v = json!({});
    if let Some(d) = page.query.get("dataset").and_then(Value::as_str) {
        v["dataset"] = json!(d);
    }
    render_form(&state, &page, StatusCode::OK, v, json!({}), sent)
}

async fn general_post(
    State(s): State<AppState>,
    peer: Peer,
    h: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    submit(s, peer, h, f, None).await
}

async fn dataset_post(
    State(s): State<AppState>,
    Path(id): Path<String>,
    peer: Peer,
    h: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    submit(s, peer, h, f, Some(id)).await
}

async fn submit(
    state: AppState,
    peer: Peer,
    headers: HeaderMap,
    f: Pairs,
    dataset: Option<String>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let dataset =
        dataset.or_else(|| Some(first(&f, "dataset").trim().to_string()).filter(|d| !d.is_empty()));
    let done = match &dataset {
        Some(d) => format!("/dataset/{d}?reported=1"),
        None => "/feedback?sent=1".to_string(),
    };
    // A bot filled the hidden field: drop the post, answer as if it worked.
    if !first(&f, HONEYPOT).is_empty() {
        return Redirect::to(&done).into_response();
    }
    let mut v = json!({
        "category": first(&f, "category"), "message": first(&f, "message"),
        "contact_email": first(&f, "contact_email"), "public": first(&f, "public") == "on",
    });
    if let Some(d) = &dataset {
        v["dataset"] = json!(d);
    }
    let key = match (&page.actor.user, &peer) {
        (Some(u), _) => format!("feedback:u:{}", u.id),
        (None, Some(Extension(ConnectInfo(a)))) => format!("feedback:ip:{}", a.ip()),
        (None, None) => "feedback:local".to_string(),
    };
    if !state.feedback_limiter.allow(&key) {
        let errors = json!({"form": sen_i18n::t(page.lang, "ui-feedback-too-many", &[])});
        return render_form(
            &state,
            &page,
            StatusCode::TOO_MANY_REQUESTS,
            v,
            errors,
            false,
        );
    }
    match read(&state, &page, "feedback_create", v.clone()).await {
        Ok(_) => Redirect::to(&done).into_response(),
        Err(e) if e.is_not_found() => page.not_found(&state, "/feedback"),
        Err(e) => render_form(
            &state,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            v,
            field_errors(&page, &e),
            false,
        ),
    }
}

async fn render_queue(
    state: &AppState,
    page: &Page,
    org: &str,
    status: StatusCode,
    errors: Value,
) -> Response {
    let path = format!("/organization/{org}/feedback");
    let o = match read(state, page, "organization_show", json!({"id": org})).await {
        Ok(o) => o,
        Err(_) => return page.not_found(state, &path),
    };
    match read(state, page, "feedback_list", json!({"organization": org})).await {
        Ok(items) => page.respond(
            state,
            status,
            "feedback_queue.html",
            &path,
            json!({"org": o, "items": items, "errors": errors,
                   "statuses": sen_catalog::feedback::STATUSES}),
        ),
        Err(e) if e.kind == sen_domain::ErrorKind::Forbidden => {
            super::forms::not_allowed(page, state, &path)
        }
        Err(_) => page.not_found(state, &path),
    }
}

async fn queue(
    State(state): State<AppState>,
    Path(org): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/organization/{org}/feedback");
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    render_queue(&state, &page, &org, StatusCode::OK, json!({})).await
}

async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let org = first(&f, "organization").to_string();
    let back = format!("/organization/{org}/feedback");
    if page.actor.user.is_none() {
        return login_first(&back);
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let data = json!({"id": id, "status": first(&f, "status"), "answer": first(&f, "answer")});
    match read(&state, &page, "feedback_answer", data).await {
        Ok(_) => Redirect::to(&back).into_response(),
        Err(e) if e.is_not_found() => page.not_found(&state, &back),
        Err(e) => {
            let mut errors = field_errors(&page, &e);
            errors["id"] = json!(id);
            render_queue(
                &state,
                &page,
                &org,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
    }
}
