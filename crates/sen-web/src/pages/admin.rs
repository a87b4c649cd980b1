//! The operator's pages (sysadmins): site settings with the logo and the
//! featured datasets, users and their rights, and the licence register.

use super::forms::{field_errors, first, forbidden_form, login_first, not_allowed, Pairs};
use super::routes::{read, Page};
use super::session;
use crate::AppState;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { Redirect::to("/admin/settings") }))
        .route("/admin/settings", get(settings_form).post(settings_save))
        .route("/admin/users", get(users))
        .route("/admin/users/{id}/sysadmin", post(user_sysadmin))
        .route("/admin/users/{id}/delete", post(user_delete))
        .route("/admin/licenses", get(licenses).post(license_save))
        .route("/admin/licenses/{id}/delete", post(license_delete))
        .route("/site/logo", get(logo))
}

/// The page to show instead when the visitor is no sysadmin: log in first, or 403.
pub(crate) fn refusal_unless_sysadmin(
    state: &AppState,
    page: &Page,
    path: &str,
) -> Option<Response> {
    match &page.actor.user {
        None => Some(login_first(path)),
        Some(_) if !page.actor.is_sysadmin() => Some(not_allowed(page, state, path)),
        Some(_) => None,
    }
}

const SETTING_FIELDS: &[(&str, &str)] = &[
    ("site_title", "ckan.site_title"),
    ("site_description", "ckan.site_description"),
    ("site_intro_text", "ckan.site_intro_text"),
    ("site_about", "ckan.site_about"),
    ("contact_email", "sen.contact_email"),
    ("contact_address", "sen.contact_address"),
    ("featured_datasets", "sen.featured_datasets"),
    ("open_data_review_months", "sen.open_data_review_months"),
    ("data_update_months", "sen.data_update_months"),
];

/// Form field names for setting keys (a dotted name is awkward in a form).
fn form_name(key: &str) -> &str {
    SETTING_FIELDS
        .iter()
        .find(|(_, k)| *k == key)
        .map(|(f, _)| *f)
        .unwrap_or(if key == "logo" { "logo" } else { "form" })
}

async fn render_settings(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    values: Value,
    errors: Value,
    saved: bool,
) -> Response {
    page.respond(
        state,
        status,
        "admin_settings.html",
        "/admin/settings",
        json!({"v": values, "errors": errors, "saved": saved, "tab": "settings",
               "logo": state.catalog.settings().await.get("ckan.site_logo")}),
    )
}

async fn settings_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/settings") {
        return r;
    }
    let settings = state.catalog.settings().await;
    let mut v = serde_json::Map::new();
    for (field, key) in SETTING_FIELDS {
        let value = match *key {
            "ckan.site_title" => state.catalog.site_title(),
            "ckan.site_description" => state.catalog.site_description(),
            _ => settings.get(*key).cloned().unwrap_or_default(),
        };
        v.insert((*field).into(), json!(value));
    }
    let saved = page.query.contains_key("saved");
    render_settings(
        &state,
        &page,
        StatusCode::OK,
        Value::Object(v),
        json!({}),
        saved,
    )
    .await
}

async fn settings_save(
    State(state): State<AppState>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/settings") {
        return r;
    }
    let (data, upload) = match crate::multipart::read_body(&state, req).await {
        Ok(parsed) => parsed,
        Err(e) => {
            return render_settings(
                &state,
                &page,
                StatusCode::BAD_REQUEST,
                json!({}),
                field_errors(&page, &e),
                false,
            )
            .await;
        }
    };
    let csrf = data.get("csrf").and_then(Value::as_str).map(str::to_string);
    if !session::csrf_ok(&headers, csrf.as_deref()) {
        if let Some(u) = &upload {
            let _ = state.catalog.storage.delete(&u.key).await;
        }
        return forbidden_form(&page, &state);
    }
    let typed: serde_json::Map<String, Value> = SETTING_FIELDS
        .iter()
        .map(|(f, _)| ((*f).to_string(), data.get(*f).cloned().unwrap_or(json!(""))))
        .collect();
    let changes: serde_json::Map<String, Value> = SETTING_FIELDS
        .iter()
        .map(|(f, k)| {
            (
                (*k).to_string(),
                typed.get(*f).cloned().unwrap_or(json!("")),
            )
        })
        .collect();
    let refuse = |e: sen_domain::Error| {
        // Field names in the error are setting keys; the form uses short names.
        let mut errors = serde_json::Map::new();
        if let Value::Object(by_key) = field_errors(&page, &e) {
            for (k, msg) in by_key {
                errors.insert(form_name(&k).to_string(), msg);
            }
        }
        render_settings(
            &state,
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            Value::Object(typed.clone()),
            Value::Object(errors),
            false,
        )
    };
    if let Err(e) = read(
        &state,
        &page,
        "config_option_update",
        Value::Object(changes),
    )
    .await
    {
        if let Some(u) = &upload {
            let _ = state.catalog.storage.delete(&u.key).await;
        }
        return refuse(e).await;
    }
    if let Some(u) = upload {
        if let Err(e) = state.catalog.set_site_logo(&page.actor, u).await {
            return refuse(e).await;
        }
    }
    Redirect::to("/admin/settings?saved=1").into_response()
}

async fn users(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/users") {
        return r;
    }
    let text = page
        .query
        .get("q")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let list = read(
        &state,
        &page,
        "user_list",
        json!({"q": text, "order_by": "name"}),
    )
    .await
    .unwrap_or(json!([]));
    page.respond(
        &state,
        StatusCode::OK,
        "admin_users.html",
        "/admin/users",
        json!({"users": list, "q": text, "tab": "users", "me": page.actor.id()}),
    )
}

async fn user_sysadmin(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    user_change(
        state,
        headers,
        f,
        "user_patch",
        move |f| json!({"id": id, "sysadmin": first(f, "sysadmin") == "true"}),
    )
    .await
}

async fn user_delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    user_change(state, headers, f, "user_delete", move |_| json!({"id": id})).await
}

async fn user_change(
    state: AppState,
    headers: HeaderMap,
    f: Pairs,
    action: &str,
    data: impl FnOnce(&Pairs) -> Value,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/users") {
        return r;
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    match read(&state, &page, action, data(&f)).await {
        Ok(_) => Redirect::to("/admin/users").into_response(),
        Err(e) => {
            let list = read(&state, &page, "user_list", json!({"order_by": "name"}))
                .await
                .unwrap_or(json!([]));
            let message = crate::error::translate(page.lang, &e.message);
            let detail: Vec<String> = e
                .fields
                .values()
                .flatten()
                .map(|m| crate::error::translate(page.lang, m))
                .collect();
            page.respond(&state, StatusCode::UNPROCESSABLE_ENTITY, "admin_users.html", "/admin/users",
                json!({"users": list, "q": "", "tab": "users", "me": page.actor.id(), "error": format!("{message} {}", detail.join(" "))}))
        }
    }
}

const LICENSE_FIELDS: &[&str] = &["id", "title", "url"];
const LICENSE_FLAGS: &[&str] = &[
    "is_open",
    "is_generic",
    "domain_data",
    "domain_content",
    "domain_software",
];

async fn render_licenses(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    v: Value,
    errors: Value,
) -> Response {
    let list = read(state, page, "license_list", json!({}))
        .await
        .unwrap_or(json!([]));
    page.respond(
        state,
        status,
        "admin_licenses.html",
        "/admin/licenses",
        json!({"licenses": list, "v": v, "errors": errors, "tab": "licenses"}),
    )
}

async fn licenses(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/licenses") {
        return r;
    }
    // `?edit=id` fills the form with that licence.
    let edit = page
        .query
        .get("edit")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut v = json!({"domain_data": true, "mode": "create"});
    if !edit.is_empty() {
        if let Ok(Value::Array(all)) = read(&state, &page, "license_list", json!({})).await {
            if let Some(l) = all.iter().find(|l| l["id"] == edit.as_str()) {
                v = json!({"id": l["id"], "title": l["title"], "url": l["url"], "is_open": l["is_okd_compliant"],
                           "is_generic": l["is_generic"], "domain_data": l["domain_data"], "domain_content": l["domain_content"],
                           "domain_software": l["domain_software"], "mode": "update"});
            }
        }
    }
    render_licenses(&state, &page, StatusCode::OK, v, json!({})).await
}

async fn license_save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/licenses") {
        return r;
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let mut data = serde_json::Map::new();
    for k in LICENSE_FIELDS {
        data.insert((*k).into(), json!(first(&f, k).trim()));
    }
    for k in LICENSE_FLAGS {
        data.insert((*k).into(), json!(first(&f, k) == "on"));
    }
    let mode = if first(&f, "mode") == "update" {
        "update"
    } else {
        "create"
    };
    match read(
        &state,
        &page,
        &format!("license_{mode}"),
        Value::Object(data.clone()),
    )
    .await
    {
        Ok(_) => Redirect::to("/admin/licenses").into_response(),
        Err(e) => {
            data.insert("mode".into(), json!(mode));
            render_licenses(
                &state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                Value::Object(data),
                field_errors(&page, &e),
            )
            .await
        }
    }
}

async fn license_delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if let Some(r) = refusal_unless_sysadmin(&state, &page, "/admin/licenses") {
        return r;
    }
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    match read(&state, &page, "license_delete", json!({"id": id})).await {
        Ok(_) => Redirect::to("/admin/licenses").into_response(),
        Err(e) => {
            let errors = json!({"form": crate::error::translate(page.lang, &e.message)});
            render_licenses(
                &state,
                &page,
                StatusCode::CONFLICT,
                json!({"domain_data": true, "mode": "create"}),
                errors,
            )
            .await
        }
    }
}

/// The site's logo, from storage.
async fn logo(State(state): State<AppState>) -> Response {
    let Some((key, content_type)) = state.catalog.site_logo().await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state.catalog.storage.get(&key, None).await {
        Ok(download) => {
            let mut resp = axum::body::Body::from_stream(download.body).into_response();
            let h = resp.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            // The address changes with the file (?v=hash), so it may be kept long.
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            resp
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
