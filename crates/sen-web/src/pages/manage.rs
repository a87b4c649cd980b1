//! Managing organisations and topics in the browser: create and edit
//! (sysadmins create; organisation admins edit their own), and an
//! organisation's members and their roles.

use super::forms::{field_errors, first, forbidden_form, login_first, not_allowed, Pairs};
use super::routes::{read, Page};
use super::session;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use sen_catalog::Dict;
use sen_domain::ErrorKind;
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organization/new", get(new_org_form).post(create_org))
        .route(
            "/organization/{id}/edit",
            get(edit_org_form).post(update_org),
        )
        .route("/organization/{id}/members", get(members).post(add_member))
        .route("/organization/{id}/members/remove", post(remove_member))
        .route("/group/new", get(new_topic_form).post(create_topic))
        .route("/group/{id}/edit", get(edit_topic_form).post(update_topic))
}

async fn run(
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

const ORG_FIELDS: &[&str] = &[
    "name",
    "title",
    "description",
    "image_url",
    "kind",
    "parent",
    "valid_from",
    "valid_to",
    "successor",
];
const TOPIC_FIELDS: &[&str] = &["name", "title", "description", "image_url"];

fn fields_of(is_org: bool) -> &'static [&'static str] {
    if is_org {
        ORG_FIELDS
    } else {
        TOPIC_FIELDS
    }
}

fn base(is_org: bool) -> &'static str {
    if is_org {
        "/organization"
    } else {
        "/group"
    }
}

fn typed(f: &Pairs, is_org: bool) -> Value {
    let map: serde_json::Map<String, Value> = fields_of(is_org)
        .iter()
        .map(|k| ((*k).to_string(), json!(first(f, k).trim())))
        .collect();
    Value::Object(map)
}

/// Form values of a stored organisation or topic (references by name).
fn stored(g: &Value, is_org: bool) -> Value {
    let mut v = serde_json::Map::new();
    for k in fields_of(is_org) {
        let value = match *k {
            "parent" | "successor" => g[*k]["name"].clone(),
            _ => g[*k].clone(),
        };
        v.insert((*k).into(), if value.is_null() { json!("") } else { value });
    }
    Value::Object(v)
}

/// What the action receives: empty optional references and dates are cleared.
fn input(f: &Pairs, is_org: bool) -> Value {
    let mut data = typed(f, is_org);
    if let Some(map) = data.as_object_mut() {
        for k in ["parent", "successor", "valid_from", "valid_to"] {
            if map.get(k).and_then(Value::as_str) == Some("") {
                map.insert(k.into(), Value::Null);
            }
        }
    }
    data
}

#[allow(clippy::too_many_arguments)]
async fn render_form(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    is_org: bool,
    path: &str,
    g: Option<&Value>,
    values: Value,
    errors: Value,
) -> Response {
    let orgs = if is_org {
        read(
            state,
            page,
            "organization_list",
            json!({"all_fields": true, "sort": "title asc"}),
        )
        .await
        .unwrap_or(json!([]))
    } else {
        json!([])
    };
    page.respond(
        state,
        status,
        "group_edit.html",
        path,
        json!({
            "is_org": is_org, "g": g, "v": values, "errors": errors, "action": path, "orgs": orgs,
            "kinds": ["ministry", "province", "agency", "department", "other"],
        }),
    )
}

fn status_of(e: &sen_domain::Error) -> StatusCode {
    match e.kind {
        ErrorKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
        other => crate::error::status_of(other),
    }
}

async fn new_form(
    state: AppState,
    headers: HeaderMap,
    q: Option<String>,
    is_org: bool,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("{}/new", base(is_org));
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    if !page.actor.is_sysadmin() {
        return not_allowed(&page, &state, &path);
    }
    let values = if is_org {
        json!({"kind": "agency"})
    } else {
        json!({})
    };
    render_form(
        &state,
        &page,
        StatusCode::OK,
        is_org,
        &path,
        None,
        values,
        json!({}),
    )
    .await
}

async fn create(state: AppState, headers: HeaderMap, f: Pairs, is_org: bool) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let path = format!("{}/new", base(is_org));
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    let action = if is_org {
        "organization_create"
    } else {
        "group_create"
    };
    match run(&state, &page, action, input(&f, is_org)).await {
        Ok(g) => {
            let name = g["name"].as_str().unwrap_or_default();
            let next = if is_org {
                format!("/organization/{name}/members")
            } else {
                format!("/group/{name}")
            };
            Redirect::to(&next).into_response()
        }
        Err(e) if e.kind == ErrorKind::Forbidden => not_allowed(&page, &state, &path),
        Err(e) => {
            render_form(
                &state,
                &page,
                status_of(&e),
                is_org,
                &path,
                None,
                typed(&f, is_org),
                field_errors(&page, &e),
            )
            .await
        }
    }
}

/// The organisation or topic, when the visitor may manage it.
async fn manageable(
    state: &AppState,
    page: &Page,
    id: &str,
    is_org: bool,
    path: &str,
) -> Result<Value, Response> {
    if page.actor.user.is_none() {
        return Err(login_first(path));
    }
    let show = if is_org {
        "organization_show"
    } else {
        "group_show"
    };
    let Ok(g) = read(state, page, show, json!({"id": id, "include_users": true})).await else {
        return Err(page.not_found(state, path));
    };
    if page.actor.is_sysadmin() {
        return Ok(g);
    }
    let admin_of = read(
        state,
        page,
        "organization_list_for_user",
        json!({"permission": "manage_group"}),
    )
    .await
    .ok()
    .and_then(|v| v.as_array().cloned())
    .unwrap_or_default();
    if admin_of.iter().any(|o| o["id"] == g["id"]) {
        Ok(g)
    } else {
        Err(not_allowed(page, state, path))
    }
}

async fn edit_form(
    state: AppState,
    id: String,
    headers: HeaderMap,
    q: Option<String>,
    is_org: bool,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("{}/{id}/edit", base(is_org));
    match manageable(&state, &page, &id, is_org, &path).await {
        Err(resp) => resp,
        Ok(g) => {
            render_form(
                &state,
                &page,
                StatusCode::OK,
                is_org,
                &path,
                Some(&g),
                stored(&g, is_org),
                json!({}),
            )
            .await
        }
    }
}

async fn update(
    state: AppState,
    id: String,
    headers: HeaderMap,
    f: Pairs,
    is_org: bool,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let path = format!("{}/{id}/edit", base(is_org));
    let g = match manageable(&state, &page, &id, is_org, &path).await {
        Err(resp) => return resp,
        Ok(g) => g,
    };
    let mut data = input(&f, is_org);
    data["id"] = g["id"].clone();
    let action = if is_org {
        "organization_patch"
    } else {
        "group_patch"
    };
    match run(&state, &page, action, data).await {
        Ok(saved) => {
            let name = saved["name"].as_str().unwrap_or_default();
            Redirect::to(&format!("{}/{name}", base(is_org))).into_response()
        }
        Err(e) => {
            render_form(
                &state,
                &page,
                status_of(&e),
                is_org,
                &path,
                Some(&g),
                typed(&f, is_org),
                field_errors(&page, &e),
            )
            .await
        }
    }
}

async fn new_org_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    new_form(state, headers, q, true).await
}
async fn new_topic_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    new_form(state, headers, q, false).await
}
async fn create_org(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    create(state, headers, f, true).await
}
async fn create_topic(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    create(state, headers, f, false).await
}
async fn edit_org_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    edit_form(state, id, headers, q, true).await
}
async fn edit_topic_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    edit_form(state, id, headers, q, false).await
}
async fn update_org(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    update(state, id, headers, f, true).await
}
async fn update_topic(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    update(state, id, headers, f, false).await
}

async fn render_members(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    g: &Value,
    typed: Value,
    errors: Value,
) -> Response {
    let name = g["name"].as_str().unwrap_or_default();
    page.respond(
        state,
        status,
        "members.html",
        &format!("/organization/{name}/members"),
        json!({
            "g": g, "v": typed, "errors": errors, "roles": ["admin", "editor", "member"],
        }),
    )
}

async fn members(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/organization/{id}/members");
    match manageable(&state, &page, &id, true, &path).await {
        Err(resp) => resp,
        Ok(g) => {
            render_members(
                &state,
                &page,
                StatusCode::OK,
                &g,
                json!({"role": "editor"}),
                json!({}),
            )
            .await
        }
    }
}

/// Adds a member, or changes the role of one.
async fn add_member(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let path = format!("/organization/{id}/members");
    let g = match manageable(&state, &page, &id, true, &path).await {
        Err(resp) => return resp,
        Ok(g) => g,
    };
    let typed = json!({"username": first(&f, "username").trim(), "role": first(&f, "role")});
    let data = json!({"id": g["id"], "username": typed["username"], "role": typed["role"]});
    match run(&state, &page, "organization_member_create", data).await {
        Ok(_) => Redirect::to(&format!(
            "/organization/{}/members",
            g["name"].as_str().unwrap_or_default()
        ))
        .into_response(),
        Err(e) => {
            let mut errors = field_errors(&page, &e);
            if e.kind == ErrorKind::NotFound {
                errors = json!({"username": crate::error::translate(page.lang, &e.message)});
            }
            render_members(&state, &page, status_of(&e), &g, typed, errors).await
        }
    }
}

async fn remove_member(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let path = format!("/organization/{id}/members");
    let g = match manageable(&state, &page, &id, true, &path).await {
        Err(resp) => return resp,
        Ok(g) => g,
    };
    let data = json!({"id": g["id"], "username": first(&f, "username")});
    match run(&state, &page, "organization_member_delete", data).await {
        Ok(_) => Redirect::to(&format!(
            "/organization/{}/members",
            g["name"].as_str().unwrap_or_default()
        ))
        .into_response(),
        Err(e) => {
            render_members(
                &state,
                &page,
                status_of(&e),
                &g,
                json!({"role": "editor"}),
                field_errors(&page, &e),
            )
            .await
        }
    }
}
