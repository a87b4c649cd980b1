//! Follow and unfollow buttons (datasets, organisations, topics).

use super::forms::{first, forbidden_form, login_first, Pairs};
use super::routes::{read, Page};
use super::session;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/dataset/{id}/follow",
            post(|s, p, h, f| toggle(s, p, h, f, "dataset")),
        )
        .route(
            "/organization/{id}/follow",
            post(|s, p, h, f| toggle(s, p, h, f, "organization")),
        )
        .route(
            "/group/{id}/follow",
            post(|s, p, h, f| toggle(s, p, h, f, "group")),
        )
}

async fn toggle(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
    kind: &'static str,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let back = format!("/{kind}/{id}");
    if page.actor.user.is_none() {
        return login_first(&back);
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let object = if kind == "dataset" {
        "dataset"
    } else {
        "group"
    };
    let verb = if first(&f, "follow") == "false" {
        "unfollow"
    } else {
        "follow"
    };
    match read(
        &state,
        &page,
        &format!("{verb}_{object}"),
        json!({"id": id}),
    )
    .await
    {
        Ok(_) => Redirect::to(&back).into_response(),
        // Following twice, or unfollowing what one does not follow, is no news: back to the page.
        Err(e) if matches!(e.code, "not_following" | "already_following") => {
            Redirect::to(&back).into_response()
        }
        Err(_) => page.not_found(&state, &back),
    }
}
