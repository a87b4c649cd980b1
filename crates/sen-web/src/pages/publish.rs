//! Publishing in the browser: the dataset editor (create, edit, draft,
//! delete with confirmation) and resources (upload with a progress bar, link,
//! reorder, delete). Every change goes through the same catalogue actions as
//! the APIs, as the signed-in visitor, so the same rules hold; a refused
//! form comes back with what was typed and each message beside its field.

use super::forms::{
    all, field_errors, first, forbidden_form, login_first, not_allowed, slug, Pairs,
};
use super::routes::{read, Page};
use super::session;
use crate::AppState;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use sen_catalog::{Dict, Upload};
use sen_domain::ErrorKind;
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dataset/new", get(new_dataset_form).post(create_dataset))
        .route(
            "/dataset/{id}/edit",
            get(edit_dataset_form).post(update_dataset),
        )
        .route(
            "/dataset/{id}/delete",
            get(confirm_delete_dataset).post(delete_dataset),
        )
        .route(
            "/dataset/{id}/resource/new",
            get(new_resource_form).post(create_resource),
        )
        .route(
            "/dataset/{id}/resource/{rid}/delete",
            get(confirm_delete_resource).post(delete_resource),
        )
        .route(
            "/dataset/{id}/resource/{rid}/move",
            axum::routing::post(move_resource),
        )
}

/// Runs a write action as the visitor.
pub(crate) async fn write(
    state: &AppState,
    page: &Page,
    action: &str,
    data: Value,
    upload: Option<Upload>,
) -> Result<Value, sen_domain::Error> {
    let data: Dict = data.as_object().cloned().unwrap_or_default();
    let key = upload.as_ref().map(|u| u.key.clone());
    let result = state
        .catalog
        .run_action(action, &page.actor, &data, upload)
        .await
        .unwrap_or_else(|| {
            Err(sen_domain::Error::internal(format!(
                "unknown action {action}"
            )))
        });
    if let (Err(_), Some(key)) = (&result, key) {
        if let Err(e) = state.catalog.storage.delete(&key).await {
            tracing::warn!(%e, key, "could not remove the file of a refused upload");
        }
    }
    result
}

/// Organisations where the visitor may publish (editor or admin; all for a sysadmin).
pub(crate) async fn publishing_orgs(state: &AppState, page: &Page) -> Vec<Value> {
    if page.actor.user.is_none() {
        return Vec::new();
    }
    read(
        state,
        page,
        "organization_list_for_user",
        json!({"permission": "create_dataset"}),
    )
    .await
    .ok()
    .and_then(|v| v.as_array().cloned())
    .unwrap_or_default()
}

/// Whether the visitor may edit datasets of this organisation.
pub(crate) async fn may_publish_in(state: &AppState, page: &Page, org_id: &str) -> bool {
    publishing_orgs(state, page)
        .await
        .iter()
        .any(|o| o["id"] == org_id)
}

const TEXT_FIELDS: &[&str] = &[
    "title",
    "name",
    "notes",
    "owner_org",
    "license_id",
    "access_level",
    "data_class",
    "tag_string",
    "frequency",
    "temporal_start",
    "temporal_end",
    "spatial",
    "language",
    "maintainer",
    "maintainer_email",
    "version",
];

/// The form's values as the template shows them (what was typed, or the dataset).
fn typed_values(f: &Pairs) -> Value {
    let mut v = serde_json::Map::new();
    for key in TEXT_FIELDS {
        v.insert((*key).into(), json!(first(f, key)));
    }
    v.insert("groups".into(), json!(all(f, "groups")));
    Value::Object(v)
}

fn dataset_values(d: &Value) -> Value {
    let mut v = serde_json::Map::new();
    for key in TEXT_FIELDS {
        let value = match *key {
            "tag_string" => json!(d["tags"]
                .as_array()
                .map(|t| t
                    .iter()
                    .filter_map(|x| x["name"].as_str())
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default()),
            _ => match &d[*key] {
                Value::Null => json!(""),
                other => other.clone(),
            },
        };
        v.insert((*key).into(), value);
    }
    let groups: Vec<Value> = d["groups"]
        .as_array()
        .map(|g| g.iter().map(|x| x["name"].clone()).collect())
        .unwrap_or_default();
    v.insert("groups".into(), json!(groups));
    v.insert("state".into(), d["state"].clone());
    Value::Object(v)
}

/// The action input of a submitted editor form.
fn dataset_input(f: &Pairs, creating: bool) -> Value {
    let mut data = serde_json::Map::new();
    for key in TEXT_FIELDS {
        data.insert((*key).into(), json!(first(f, key).trim()));
    }
    if creating && first(f, "name").trim().is_empty() {
        data.insert("name".into(), json!(slug(first(f, "title"))));
    }
    // Tags as a list: on a patch, a tag string would not replace the stored tags.
    data.remove("tag_string");
    let tags: Vec<Value> = first(f, "tag_string")
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| json!({"name": t}))
        .collect();
    data.insert("tags".into(), json!(tags));
    let groups: Vec<Value> = all(f, "groups")
        .iter()
        .map(|g| json!({"name": g}))
        .collect();
    data.insert("groups".into(), json!(groups));
    let state = if first(f, "save") == "draft" {
        "draft"
    } else {
        "active"
    };
    data.insert("state".into(), json!(state));
    Value::Object(data)
}

#[allow(clippy::too_many_arguments)]
async fn render_editor(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    path: &str,
    action: &str,
    dataset: Option<&Value>,
    values: Value,
    errors: Value,
) -> Response {
    let orgs = publishing_orgs(state, page).await;
    let licenses = read(state, page, "license_list", json!({}))
        .await
        .unwrap_or(json!([]));
    let topics = read(
        state,
        page,
        "group_list",
        json!({"all_fields": true, "sort": "title asc"}),
    )
    .await
    .unwrap_or(json!([]));
    page.respond(state, status, "dataset_edit.html", path, json!({
        "action": action, "d": dataset, "v": values, "errors": errors,
        "orgs": orgs, "licenses": licenses, "topics": topics,
        "access_levels": ["open", "shared", "internal"],
        "data_classes": ["ordinary", "important", "core"],
        "frequencies": ["", "daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular", "never"],
    }))
}

async fn new_dataset_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    if page.actor.user.is_none() {
        return login_first("/dataset/new");
    }
    let orgs = publishing_orgs(&state, &page).await;
    if orgs.is_empty() {
        return page.respond(&state, StatusCode::FORBIDDEN, "error.html", "/dataset/new",
            json!({"status": 403, "title_key": "ui-error-403-title", "message_key": "ui-no-publishing-org"}));
    }
    let preset = page
        .query
        .get("owner_org")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let values = json!({"owner_org": preset, "access_level": "open", "data_class": "ordinary", "license_id": "cc-by", "language": "vi", "groups": []});
    render_editor(
        &state,
        &page,
        StatusCode::OK,
        "/dataset/new",
        "/dataset/new",
        None,
        values,
        json!({}),
    )
    .await
}

async fn create_dataset(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    if page.actor.user.is_none() {
        return login_first("/dataset/new");
    }
    let data = dataset_input(&f, true);
    match write(&state, &page, "package_create", data, None).await {
        Ok(d) => {
            let name = d["name"].as_str().unwrap_or_default();
            Redirect::to(&format!("/dataset/{name}/resource/new?created=1")).into_response()
        }
        Err(e) => {
            let mut values = typed_values(&f);
            if first(&f, "name").trim().is_empty() {
                values["name"] = json!(slug(first(&f, "title")));
            }
            render_editor(
                &state,
                &page,
                status_of_form_error(&e),
                "/dataset/new",
                "/dataset/new",
                None,
                values,
                field_errors(&page, &e),
            )
            .await
        }
    }
}

fn status_of_form_error(e: &sen_domain::Error) -> StatusCode {
    match e.kind {
        ErrorKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
        other => crate::error::status_of(other),
    }
}

/// The dataset and whether the visitor may edit it; None when it does not
/// exist for them.
async fn editable(state: &AppState, page: &Page, id: &str) -> Option<(Value, bool)> {
    let d = read(state, page, "package_show", json!({"id": id}))
        .await
        .ok()?;
    let org = d["owner_org"].as_str().unwrap_or_default().to_string();
    let may = may_publish_in(state, page, &org).await;
    Some((d, may))
}

async fn edit_dataset_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/dataset/{id}/edit");
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    match editable(&state, &page, &id).await {
        None => page.not_found(&state, &path),
        Some((_, false)) => not_allowed(&page, &state, &path),
        Some((d, true)) => {
            let values = dataset_values(&d);
            render_editor(
                &state,
                &page,
                StatusCode::OK,
                &path,
                &path,
                Some(&d),
                values,
                json!({}),
            )
            .await
        }
    }
}

async fn update_dataset(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let path = format!("/dataset/{id}/edit");
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    let Some((d, _)) = editable(&state, &page, &id).await else {
        return page.not_found(&state, &path);
    };
    let mut data = dataset_input(&f, false);
    data["id"] = d["id"].clone();
    match write(&state, &page, "package_patch", data, None).await {
        Ok(saved) => {
            let name = saved["name"].as_str().unwrap_or_default();
            Redirect::to(&format!("/dataset/{name}")).into_response()
        }
        Err(e) => {
            render_editor(
                &state,
                &page,
                status_of_form_error(&e),
                &path,
                &path,
                Some(&d),
                typed_values(&f),
                field_errors(&page, &e),
            )
            .await
        }
    }
}

/// A page asking "really delete?" with a button that posts the deletion.
fn confirm(
    page: &Page,
    state: &AppState,
    path: &str,
    what: &Value,
    action: &str,
    back: &str,
) -> Response {
    page.respond(
        state,
        StatusCode::OK,
        "confirm.html",
        path,
        json!({"what": what, "action": action, "back": back}),
    )
}

async fn confirm_delete_dataset(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/dataset/{id}/delete");
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    match editable(&state, &page, &id).await {
        None => page.not_found(&state, &path),
        Some((_, false)) => not_allowed(&page, &state, &path),
        Some((d, true)) => {
            let name = d["name"].as_str().unwrap_or_default();
            let what = json!({"kind_key": "ui-the-dataset", "title": d["title"]});
            confirm(
                &page,
                &state,
                &path,
                &what,
                &path,
                &format!("/dataset/{name}"),
            )
        }
    }
}

async fn delete_dataset(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let path = format!("/dataset/{id}/delete");
    match write(&state, &page, "package_delete", json!({"id": id}), None).await {
        Ok(_) => Redirect::to("/dataset").into_response(),
        Err(e) if e.kind == ErrorKind::NotFound => page.not_found(&state, &path),
        Err(_) => not_allowed(&page, &state, &path),
    }
}

async fn render_resource_form(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    d: &Value,
    values: Value,
    errors: Value,
) -> Response {
    let name = d["name"].as_str().unwrap_or_default();
    let path = format!("/dataset/{name}/resource/new");
    page.respond(
        state,
        status,
        "resource_new.html",
        &path,
        json!({
            "d": d, "v": values, "errors": errors, "action": path,
            "created": page.query.contains_key("created"),
            "max_upload": crate::multipart::human_size(state.catalog.config.max_upload_bytes),
        }),
    )
}

async fn new_resource_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/dataset/{id}/resource/new");
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    match editable(&state, &page, &id).await {
        None => page.not_found(&state, &path),
        Some((_, false)) => not_allowed(&page, &state, &path),
        Some((d, true)) => {
            render_resource_form(&state, &page, StatusCode::OK, &d, json!({}), json!({})).await
        }
    }
}

fn text_of(data: &Dict, key: &str) -> String {
    data.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// A multipart form: the file streams into storage as it arrives (never held
/// in memory), then becomes the resource, or is removed when refused.
async fn create_resource(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let path = format!("/dataset/{id}/resource/new");
    // Refuse before reading (and storing) anything.
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    let Some((d, true)) = editable(&state, &page, &id).await else {
        return page.not_found(&state, &path);
    };
    let (data, upload) = match crate::multipart::read_body(&state, req).await {
        Ok(parsed) => parsed,
        Err(e) => {
            return render_resource_form(
                &state,
                &page,
                status_of_form_error(&e),
                &d,
                json!({}),
                field_errors(&page, &e),
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
    let typed = json!({
        "name": text_of(&data, "name"), "description": text_of(&data, "description"),
        "format": text_of(&data, "format"), "url": text_of(&data, "url"),
    });
    // Empty fields are left out, so the catalogue fills them in (the file's
    // name, its format guessed from the file).
    let mut input: serde_json::Map<String, Value> = typed
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v.as_str() != Some(""))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    input.insert("package_id".into(), d["id"].clone());
    let mut input = Value::Object(input);
    if let Some(u) = &upload {
        input["url"] = json!("");
        if input.get("name").is_none() {
            input["name"] = json!(u.filename);
        }
    }
    match write(&state, &page, "resource_create", input, upload).await {
        Ok(_) => {
            let name = d["name"].as_str().unwrap_or_default();
            let to = if text_of(&data, "then") == "another" {
                format!("/dataset/{name}/resource/new")
            } else {
                format!("/dataset/{name}")
            };
            Redirect::to(&to).into_response()
        }
        Err(e) => {
            render_resource_form(
                &state,
                &page,
                status_of_form_error(&e),
                &d,
                typed,
                field_errors(&page, &e),
            )
            .await
        }
    }
}

/// The dataset and the resource, when the visitor may edit them.
async fn editable_resource(
    state: &AppState,
    page: &Page,
    id: &str,
    rid: &str,
) -> Result<(Value, Value), Response> {
    let path = format!("/dataset/{id}/resource/{rid}");
    if page.actor.user.is_none() {
        return Err(login_first(&path));
    }
    let Some((d, may)) = editable(state, page, id).await else {
        return Err(page.not_found(state, &path));
    };
    let Some(r) = d["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"] == rid))
        .cloned()
    else {
        return Err(page.not_found(state, &path));
    };
    if !may {
        return Err(not_allowed(page, state, &path));
    }
    Ok((d, r))
}

async fn confirm_delete_resource(
    State(state): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    match editable_resource(&state, &page, &id, &rid).await {
        Err(resp) => resp,
        Ok((d, r)) => {
            let name = d["name"].as_str().unwrap_or_default();
            let path = format!("/dataset/{name}/resource/{rid}/delete");
            let what = json!({"kind_key": "ui-the-resource", "title": r["name"]});
            confirm(
                &page,
                &state,
                &path,
                &what,
                &path,
                &format!("/dataset/{name}/edit"),
            )
        }
    }
}

async fn delete_resource(
    State(state): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let (d, _) = match editable_resource(&state, &page, &id, &rid).await {
        Err(resp) => return resp,
        Ok(found) => found,
    };
    let name = d["name"].as_str().unwrap_or_default();
    match write(&state, &page, "resource_delete", json!({"id": rid}), None).await {
        Ok(_) => Redirect::to(&format!("/dataset/{name}/edit")).into_response(),
        Err(_) => not_allowed(&page, &state, &format!("/dataset/{name}/edit")),
    }
}

/// Moves a resource one place up or down in its dataset's list.
async fn move_resource(
    State(state): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let (d, _) = match editable_resource(&state, &page, &id, &rid).await {
        Err(resp) => return resp,
        Ok(found) => found,
    };
    let mut order: Vec<Value> = d["resources"]
        .as_array()
        .map(|rs| rs.iter().map(|r| r["id"].clone()).collect())
        .unwrap_or_default();
    if let Some(i) = order.iter().position(|x| x == rid.as_str()) {
        match first(&f, "dir") {
            "up" if i > 0 => order.swap(i, i - 1),
            "down" if i + 1 < order.len() => order.swap(i, i + 1),
            _ => {}
        }
    }
    let name = d["name"].as_str().unwrap_or_default();
    let back = format!("/dataset/{name}/edit");
    match write(
        &state,
        &page,
        "package_resource_reorder",
        json!({"id": d["id"], "order": order}),
        None,
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("{back}#resources")).into_response(),
        Err(_) => not_allowed(&page, &state, &back),
    }
}
