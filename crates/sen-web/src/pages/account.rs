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
        .route("/user/me/edit", get(profile_form).post(profile_save))
        .route("/user/reset", get(reset_request_form).post(reset_request))
        .route("/user/reset/{token}", get(reset_form).post(reset_save))
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

async fn profile_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let Some(user) = page.actor.user.clone() else {
        return super::forms::login_first("/user/me/edit");
    };
    let v = json!({"fullname": user.fullname, "email": user.email, "about": user.about});
    page.respond(
        &state,
        StatusCode::OK,
        "profile_edit.html",
        "/user/me/edit",
        json!({"v": v, "errors": {}, "saved": page.query.contains_key("saved")}),
    )
}

async fn profile_save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, f.get("csrf").map(String::as_str)) {
        return forbidden_form(&page, &state);
    }
    let Some(user) = page.actor.user.clone() else {
        return super::forms::login_first("/user/me/edit");
    };
    let kept = json!({"fullname": field(&f, "fullname"), "email": field(&f, "email"), "about": field(&f, "about")});
    let refuse = |errors: Value| {
        page.respond(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "profile_edit.html",
            "/user/me/edit",
            json!({"v": kept, "errors": errors, "saved": false}),
        )
    };
    if field(&f, "password") != field(&f, "password2") {
        return refuse(json!({"password2": sen_i18n::t(page.lang, "ui-passwords-differ", &[])}));
    }
    let mut data = json!({
        "id": user.id, "email": field(&f, "email"), "fullname": field(&f, "fullname"),
        "about": field(&f, "about"),
    });
    if !field(&f, "password").is_empty() {
        data["password"] = json!(field(&f, "password"));
        data["old_password"] = json!(field(&f, "old_password"));
    }
    let data: Dict = data.as_object().cloned().unwrap_or_default();
    match state
        .catalog
        .run_action("user_patch", &page.actor, &data, None)
        .await
    {
        Some(Ok(_)) => Redirect::to("/user/me/edit?saved=1").into_response(),
        Some(Err(e)) => refuse(field_errors(&page, &e)),
        None => refuse(json!({"form": sen_i18n::t(page.lang, "error-internal", &[])})),
    }
}

async fn reset_request_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    page.respond(
        &state,
        StatusCode::OK,
        "reset_request.html",
        "/user/reset",
        json!({"login": "", "sent": false, "error": null}),
    )
}

/// Always answers "sent if the account exists": the form must not tell
/// strangers which addresses have accounts.
async fn reset_request(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, f.get("csrf").map(String::as_str)) {
        return forbidden_form(&page, &state);
    }
    let login = field(&f, "login").trim().to_string();
    if !state
        .login_limiter
        .allow(&format!("reset:{}", login.to_lowercase()))
        || !state.login_limiter.allow("reset")
    {
        return page.respond(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            "reset_request.html",
            "/user/reset",
            json!({"login": login, "sent": false, "error": sen_i18n::t(page.lang, "ui-login-too-many", &[])}),
        );
    }
    if let Err(e) = state
        .catalog
        .request_password_reset(&login, page.lang)
        .await
    {
        tracing::error!(error = %e, "password reset request failed");
        return page.respond(
            &state,
            StatusCode::INTERNAL_SERVER_ERROR,
            "reset_request.html",
            "/user/reset",
            json!({"login": login, "sent": false, "error": sen_i18n::t(page.lang, "error-internal", &[])}),
        );
    }
    page.respond(
        &state,
        StatusCode::OK,
        "reset_request.html",
        "/user/reset",
        json!({"login": login, "sent": true, "minutes": sen_catalog::RESET_LINK_MINUTES}),
    )
}

async fn reset_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let valid = state
        .catalog
        .password_reset_valid(&token)
        .await
        .unwrap_or(false);
    page.respond(
        &state,
        if valid {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        },
        "reset_form.html",
        "/user/reset",
        json!({"token": token, "invalid": !valid, "errors": {}}),
    )
}

async fn reset_save(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, f.get("csrf").map(String::as_str)) {
        return forbidden_form(&page, &state);
    }
    let refuse = |status, errors: Value, invalid: bool| {
        page.respond(
            &state,
            status,
            "reset_form.html",
            "/user/reset",
            json!({"token": token, "invalid": invalid, "errors": errors}),
        )
    };
    if field(&f, "password") != field(&f, "password2") {
        let errors = json!({"password2": sen_i18n::t(page.lang, "ui-passwords-differ", &[])});
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, errors, false);
    }
    match state
        .catalog
        .reset_password(&token, field(&f, "password"))
        .await
    {
        Ok(user) => match state.catalog.start_session(&user).await {
            Ok(session_token) => redirect_with_cookie(
                "/user/me",
                session::session_cookie(&session_token, state.config.behind_tls),
            ),
            Err(_) => Redirect::to("/user/login").into_response(),
        },
        Err(e) if e.kind == sen_domain::ErrorKind::NotFound => {
            refuse(StatusCode::NOT_FOUND, json!({}), true)
        }
        Err(e) => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            field_errors(&page, &e),
            false,
        ),
    }
}
