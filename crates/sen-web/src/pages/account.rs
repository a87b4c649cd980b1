//! Accounts in the browser: register, log in, log out, profile with API tokens.

use super::forms::{field_errors, forbidden_form, redirect_with_cookie, safe_next};
use super::routes::Page;
use super::session;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use sen_catalog::Dict;
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/user/login", get(login_form).post(login))
        .route("/user/register", get(register_form).post(register))
        .route("/user/logout", post(logout))
        .route("/user/me", get(me))
        .route("/user/me/tokens", post(token_create))
        .route("/user/me/tokens/{id}/revoke", post(token_revoke))
}

type Fields = HashMap<String, String>;

fn field<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.get(k).map(String::as_str).unwrap_or("")
}

async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    page.respond(
        &state,
        StatusCode::OK,
        "login.html",
        "/user/login",
        json!({"name": "", "error": null, "next": page.query.get("next").and_then(Value::as_str).map(safe_next)}),
    )
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, f.get("csrf").map(String::as_str)) {
        return forbidden_form(&page, &state);
    }
    let name = field(&f, "name").trim().to_string();
    let next = safe_next(field(&f, "next")).to_string();
    let fail = |key: &str, status| {
        page.respond(
            &state,
            status,
            "login.html",
            "/user/login",
            json!({"name": name, "error": sen_i18n::t(page.lang, key, &[]), "next": next}),
        )
    };
    if !state
        .login_limiter
        .allow(&format!("login:{}", name.to_lowercase()))
    {
        return fail("ui-login-too-many", StatusCode::TOO_MANY_REQUESTS);
    }
    match state
        .catalog
        .authenticate_password(&name, field(&f, "password"))
        .await
    {
        Ok(Some(user)) => match state.catalog.start_session(&user).await {
            Ok(token) => redirect_with_cookie(
                &next,
                session::session_cookie(&token, state.config.behind_tls),
            ),
            Err(_) => fail("error-internal", StatusCode::INTERNAL_SERVER_ERROR),
        },
        Ok(None) => fail("ui-login-failed", StatusCode::UNAUTHORIZED),
        Err(_) => fail("error-internal", StatusCode::INTERNAL_SERVER_ERROR),
    }
}

async fn register_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    page.respond(
        &state,
        StatusCode::OK,
        "register.html",
        "/user/register",
        json!({"v": {}, "errors": {}}),
    )
}

async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, f.get("csrf").map(String::as_str)) {
        return forbidden_form(&page, &state);
    }
    // What was typed comes back on error (never the passwords).
    let kept = json!({"name": field(&f, "name"), "fullname": field(&f, "fullname"), "email": field(&f, "email")});
    if field(&f, "password") != field(&f, "password2") {
        let errors = json!({"password2": sen_i18n::t(page.lang, "ui-passwords-differ", &[])});
        return page.respond(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "register.html",
            "/user/register",
            json!({"v": kept, "errors": errors}),
        );
    }
    if !state.login_limiter.allow("register") {
        let errors = json!({"form": sen_i18n::t(page.lang, "ui-login-too-many", &[])});
        return page.respond(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            "register.html",
            "/user/register",
            json!({"v": kept, "errors": errors}),
        );
    }
    let new = sen_catalog::users::NewUser {
        name: field(&f, "name").trim(),
        email: field(&f, "email").trim(),
        password: field(&f, "password"),
        fullname: field(&f, "fullname").trim(),
        sysadmin: false,
    };
    match state
        .catalog
        .create_user(&sen_catalog::Actor::anonymous(), new)
        .await
    {
        Ok(_) => {
            let user = state
                .catalog
                .find_user(field(&f, "name").trim())
                .await
                .ok()
                .flatten();
            match user {
                Some(u) => match state.catalog.start_session(&u).await {
                    Ok(token) => redirect_with_cookie(
                        "/user/me",
                        session::session_cookie(&token, state.config.behind_tls),
                    ),
                    Err(_) => Redirect::to("/user/login").into_response(),
                },
                None => Redirect::to("/user/login").into_response(),
            }
        }
        Err(e) => page.respond(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "register.html",
            "/user/register",
            json!({"v": kept, "errors": field_errors(&page, &e)}),
        ),
    }
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, f.get("csrf").map(String::as_str)) {
        return forbidden_form(&page, &state);
    }
    if let Some(token) = session::cookie(&headers, session::SESSION_COOKIE) {
        if let Err(e) = state.catalog.end_session(&token).await {
            tracing::warn!(error = %e, "could not end a session");
        }
    }
    redirect_with_cookie("/", session::clear_session_cookie(state.config.behind_tls))
}

async fn render_me(state: &AppState, page: &Page, new_token: Option<String>) -> Response {
    let Some(user) = page.actor.user.clone() else {
        return Redirect::to("/user/login").into_response();
    };
    let run = |action: &'static str, data: Value| {
        let data: Dict = data.as_object().cloned().unwrap_or_default();
        async move {
            state
                .catalog
                .run_action(action, &page.actor, &data, None)
                .await
        }
    };
    let tokens = run("api_token_list", json!({"user_id": user.id}))
        .await
        .and_then(Result::ok)
        .unwrap_or(json!([]));
    let orgs = run("organization_list_for_user", json!({"permission": "read"}))
        .await
        .and_then(Result::ok)
        .unwrap_or(json!([]));
    page.respond(state, StatusCode::OK, "me.html", "/user/me", json!({
        "me": {"name": user.name, "fullname": user.fullname, "email": user.email, "sysadmin": user.sysadmin != 0},
        "tokens": tokens, "orgs": orgs, "new_token": new_token,
    }))
}

async fn me(State(state): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    render_me(&state, &page, None).await
}

async fn token_create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, f.get("csrf").map(String::as_str)) {
        return forbidden_form(&page, &state);
    }
    let label = field(&f, "label").trim();
    let data: Dict = json!({"name": if label.is_empty() { "web" } else { label }})
        .as_object()
        .cloned()
        .unwrap_or_default();
    let made = state
        .catalog
        .run_action("api_token_create", &page.actor, &data, None)
        .await;
    match made {
        Some(Ok(v)) => render_me(&state, &page, v["token"].as_str().map(str::to_string)).await,
        _ => Redirect::to("/user/login").into_response(),
    }
}

async fn token_revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, f.get("csrf").map(String::as_str)) {
        return forbidden_form(&page, &state);
    }
    let data: Dict = json!({"jti": id}).as_object().cloned().unwrap_or_default();
    let _ = state
        .catalog
        .run_action("api_token_revoke", &page.actor, &data, None)
        .await;
    Redirect::to("/user/me").into_response()
}
