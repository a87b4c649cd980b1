//! Pages of the government data inventory: national and per-agency lists, a
//! system's page, the create/edit form, the spreadsheet import with its
//! report, the open-data list, the dashboards; and the files (template,
//! export, dashboard CSV). Everything is read and written through the
//! catalogue's inventory actions, as the visitor.

use super::forms::{all, field_errors, first, forbidden_form, login_first, Pairs};
use super::publish::write;
use super::routes::{read, Page};
use super::session;
use crate::AppState;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use sen_catalog::inventory::{FREQUENCIES, KINDS, SHARING, STATUSES};
use sen_catalog::inventory_sheet as sheet;
use sen_catalog::{Actor, Dict};
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inventory", get(national))
        .route("/inventory/template.xlsx", get(template_xlsx))
        .route("/inventory/template.csv", get(template_csv))
        .route("/inventory/export.xlsx", get(export_xlsx))
        .route("/inventory/export.csv", get(export_csv))
        .route("/inventory/dashboard", get(dashboard))
        .route("/inventory/dashboard.csv", get(dashboard_csv))
        .route("/inventory/system/{id}", get(system))
        .route(
            "/inventory/system/{id}/edit",
            get(edit_form).post(edit_save),
        )
        .route("/organization/{id}/inventory", get(agency))
        .route(
            "/organization/{id}/inventory/new",
            get(new_form).post(new_save),
        )
        .route(
            "/organization/{id}/inventory/import",
            get(import_form).post(import_save),
        )
        .route(
            "/organization/{id}/open-data",
            get(open_data).post(open_data_save),
        )
}

fn options(keys: &[&str], prefix: &str, page: &Page, empty: bool) -> Vec<Value> {
    let mut out = Vec::new();
    if empty {
        out.push(json!({"value": "", "label": "—"}));
    }
    for k in keys {
        out.push(
            json!({"value": k, "label": sen_i18n::t(page.lang, &format!("{prefix}{k}"), &[])}),
        );
    }
    out
}

fn server_error(page: &Page, state: &AppState, path: &str) -> Response {
    page.respond(state, StatusCode::INTERNAL_SERVER_ERROR, "error.html", path, json!({"status": 500, "title_key": "ui-error-500-title", "message_key": "ui-error-500-text"}))
}

async fn list_page(
    state: AppState,
    headers: HeaderMap,
    q: Option<String>,
    org: Option<String>,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = match &org {
        Some(o) => format!("/organization/{o}/inventory"),
        None => "/inventory".to_string(),
    };
    let mut data = json!({"limit": 1000, "q": page.param("q"), "kind": page.param("kind"), "status": page.param("status")});
    if let Some(o) = &org {
        data["organization"] = json!(o);
    }
    for k in ["q", "kind", "status"] {
        if page.param(k).is_empty() {
            data.as_object_mut().map(|m| m.remove(k));
        }
    }
    let organization = match &org {
        Some(o) => match read(&state, &page, "organization_show", json!({"id": o})).await {
            Ok(g) => Some(g),
            Err(_) => return page.not_found(&state, &path),
        },
        None => None,
    };
    let may_edit = match &organization {
        Some(g) => may_edit(&state, &page.actor, g["id"].as_str().unwrap_or("")).await,
        None => false,
    };
    match read(&state, &page, "inventory_system_list", data).await {
        Ok(list) => page.respond(&state, StatusCode::OK, "inventory_list.html", &path, json!({
            "list": list, "organization": organization, "may_edit": may_edit,
            "q": page.param("q"), "kind": page.param("kind"), "status": page.param("status"),
            "kinds": options(KINDS, "inv-kind-", &page, true), "statuses": options(STATUSES, "inv-status-", &page, true),
        })),
        Err(e) if e.is_not_found() => page.not_found(&state, &path),
        Err(_) => server_error(&page, &state, &path),
    }
}

async fn national(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    list_page(state, headers, q, None).await
}

async fn agency(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    list_page(state, headers, q, Some(id)).await
}

/// Whether the visitor is an editor or admin of the agency (or a sysadmin).
async fn may_edit(state: &AppState, actor: &Actor, org_id: &str) -> bool {
    let Some(user) = &actor.user else {
        return false;
    };
    if user.sysadmin != 0 {
        return true;
    }
    state
        .catalog
        .run_action(
            "organization_list_for_user",
            actor,
            &Dict::from_iter([("permission".to_string(), json!("create_dataset"))]),
            None,
        )
        .await
        .and_then(Result::ok)
        .and_then(|v| v.as_array().map(|a| a.iter().any(|o| o["id"] == org_id)))
        .unwrap_or(false)
}

async fn system(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let path = format!("/inventory/system/{id}");
    match read(&state, &page, "inventory_system_show", json!({"id": id})).await {
        Ok(s) => {
            let may = may_edit(&state, &page.actor, s["owner_org"].as_str().unwrap_or("")).await;
            page.respond(
                &state,
                StatusCode::OK,
                "inventory_system.html",
                &path,
                json!({"s": s, "may_edit": may}),
            )
        }
        Err(e) if e.is_not_found() => page.not_found(&state, &path),
        Err(_) => server_error(&page, &state, &path),
    }
}

/// The form's fields as the catalogue reads them (lists from `;`-separated text).
fn form_record(f: &Pairs) -> Value {
    let split = |k: &str| -> Vec<String> {
        first(f, k)
            .split([';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut d = serde_json::Map::new();
    for k in [
        "name",
        "description",
        "unit",
        "legal_basis",
        "kind",
        "scope",
        "update_frequency",
        "status",
        "contact_name",
        "contact_email",
        "record_count",
        "open_record_count",
    ] {
        d.insert(k.into(), json!(first(f, k)));
    }
    d.insert("subjects".into(), json!(split("subjects")));
    d.insert("datasets".into(), json!(split("datasets")));
    for k in ["data_levels", "data_classes", "sharing"] {
        d.insert(k.into(), json!(all(f, k)));
    }
    let services: Vec<Value> = first(f, "services")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(sheet::service_of)
        .collect();
    d.insert("services".into(), json!(services));
    Value::Object(d)
}

/// What the form shows: a record's values as typed text.
fn form_values(s: &Value) -> Value {
    let join = |k: &str, sep: &str| {
        s[k].as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .or_else(|| v["name"].as_str().map(str::to_string))
                    })
                    .collect::<Vec<_>>()
                    .join(sep)
            })
            .unwrap_or_default()
    };
    let services = s["services"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    ["name", "endpoint_url", "documentation_url", "access_level"]
                        .iter()
                        .map(|k| x[*k].as_str().unwrap_or(""))
                        .collect::<Vec<_>>()
                        .join(sheet::SERVICE_SEPARATOR)
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    let text = |k: &str| match &s[k] {
        Value::String(t) => t.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    json!({
        "name": text("name"), "description": text("description"), "unit": text("unit"), "legal_basis": text("legal_basis"),
        "kind": text("kind"), "scope": text("scope"), "update_frequency": text("update_frequency"), "status": text("status"),
        "contact_name": text("contact_name"), "contact_email": text("contact_email"), "record_count": text("record_count"),
        "open_record_count": text("open_record_count"), "subjects": join("subjects", "; "), "datasets": join("datasets", "; "),
        "data_levels": s["data_levels"], "data_classes": s["data_classes"], "sharing": s["sharing"], "services": services,
    })
}

fn render_form(
    state: &AppState,
    page: &Page,
    status: StatusCode,
    org: &Value,
    action: &str,
    v: Value,
    errors: Value,
) -> Response {
    page.respond(state, status, "inventory_form.html", action, json!({
        "org": org, "action": action, "v": v, "errors": errors,
        "kinds": options(KINDS, "inv-kind-", page, false), "statuses": options(STATUSES, "inv-status-", page, false),
        "frequencies": options(FREQUENCIES, "inv-freq-", page, true),
        "levels": options(&["open", "shared", "internal"], "inv-level-", page, false),
        "classes": options(&["ordinary", "important", "core"], "ui-class-", page, false),
        "sharings": options(SHARING, "inv-sharing-", page, false),
    }))
}

async fn new_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let path = format!("/organization/{id}/inventory/new");
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    let Ok(org) = read(&state, &page, "organization_show", json!({"id": id})).await else {
        return page.not_found(&state, &path);
    };
    if !may_edit(&state, &page.actor, org["id"].as_str().unwrap_or("")).await {
        return super::forms::not_allowed(&page, &state, &path);
    }
    render_form(
        &state,
        &page,
        StatusCode::OK,
        &org,
        &path,
        json!({"status": "operating", "kind": "sectoral"}),
        json!({}),
    )
}

fn status_of(e: &sen_domain::Error) -> StatusCode {
    match e.kind {
        sen_domain::ErrorKind::Validation => StatusCode::UNPROCESSABLE_ENTITY,
        other => crate::error::status_of(other),
    }
}

async fn new_save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let path = format!("/organization/{id}/inventory/new");
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    let Ok(org) = read(&state, &page, "organization_show", json!({"id": id})).await else {
        return page.not_found(&state, &path);
    };
    let mut record = form_record(&f);
    record["owner_org"] = org["id"].clone();
    match write(&state, &page, "inventory_system_create", record, None).await {
        Ok(s) => Redirect::to(&format!(
            "/inventory/system/{}",
            s["id"].as_str().unwrap_or("")
        ))
        .into_response(),
        Err(e) => render_form(
            &state,
            &page,
            status_of(&e),
            &org,
            &path,
            typed(&f),
            field_errors(&page, &e),
        ),
    }
}

/// What was typed, to show again beside the errors.
fn typed(f: &Pairs) -> Value {
    let mut v = json!({});
    for (k, val) in f {
        if ["data_levels", "data_classes", "sharing"].contains(&k.as_str()) {
            continue;
        }
        v[k] = json!(val);
    }
    for k in ["data_levels", "data_classes", "sharing"] {
        v[k] = json!(all(f, k));
    }
    v
}

async fn edit_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let path = format!("/inventory/system/{id}/edit");
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    let Ok(s) = read(&state, &page, "inventory_system_show", json!({"id": id})).await else {
        return page.not_found(&state, &path);
    };
    if !may_edit(&state, &page.actor, s["owner_org"].as_str().unwrap_or("")).await {
        return super::forms::not_allowed(&page, &state, &path);
    }
    render_form(
        &state,
        &page,
        StatusCode::OK,
        &s["organization"],
        &path,
        form_values(&s),
        json!({}),
    )
}

async fn edit_save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let path = format!("/inventory/system/{id}/edit");
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    let Ok(s) = read(&state, &page, "inventory_system_show", json!({"id": id})).await else {
        return page.not_found(&state, &path);
    };
    if first(&f, "delete") == "1" {
        return match write(
            &state,
            &page,
            "inventory_system_delete",
            json!({"id": id}),
            None,
        )
        .await
        {
            Ok(_) => Redirect::to(&format!(
                "/organization/{}/inventory",
                s["organization"]["name"].as_str().unwrap_or("")
            ))
            .into_response(),
            Err(_) => super::forms::not_allowed(&page, &state, &path),
        };
    }
    let mut record = form_record(&f);
    record["id"] = json!(id);
    record["owner_org"] = s["owner_org"].clone();
    match write(&state, &page, "inventory_system_update", record, None).await {
        Ok(_) => Redirect::to(&format!("/inventory/system/{id}")).into_response(),
        Err(e) => render_form(
            &state,
            &page,
            status_of(&e),
            &s["organization"],
            &path,
            typed(&f),
            field_errors(&page, &e),
        ),
    }
}

async fn import_form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let path = format!("/organization/{id}/inventory/import");
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    let Ok(org) = read(&state, &page, "organization_show", json!({"id": id})).await else {
        return page.not_found(&state, &path);
    };
    page.respond(
        &state,
        StatusCode::OK,
        "inventory_import.html",
        &path,
        json!({"org": org, "columns": columns(&page)}),
    )
}

fn columns(page: &Page) -> Vec<Value> {
    sheet::COLUMNS.iter().map(|(k, vi, en)| json!({"key": k, "header": if page.lang == sen_i18n::Lang::En { en } else { vi }, "vi": vi, "en": en})).collect()
}

async fn import_save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    req: Request,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    let path = format!("/organization/{id}/inventory/import");
    if page.actor.user.is_none() {
        return login_first(&path);
    }
    let Ok(org) = read(&state, &page, "organization_show", json!({"id": id})).await else {
        return page.not_found(&state, &path);
    };
    let (data, upload) = match crate::multipart::read_body(&state, req).await {
        Ok(parsed) => parsed,
        Err(e) => return page.respond(&state, status_of(&e), "inventory_import.html", &path, json!({"org": org, "columns": columns(&page), "failure": crate::error::translate(page.lang, &e.message)})),
    };
    let csrf = data.get("csrf").and_then(Value::as_str).map(str::to_string);
    if !session::csrf_ok(&headers, csrf.as_deref()) {
        if let Some(u) = &upload {
            let _ = state.catalog.storage.delete(&u.key).await;
        }
        return forbidden_form(&page, &state);
    }
    let mode = data
        .get("mode")
        .and_then(Value::as_str)
        .unwrap_or("all")
        .to_string();
    let input = json!({"organization": org["id"], "mode": mode, "lang": page.lang.code()});
    match write(&state, &page, "inventory_import", input, upload).await {
        Ok(mut done) => {
            // Columns by their header in the visitor's language.
            if let Some(errors) = done["errors"].as_array_mut() {
                for e in errors {
                    let key = e["column"].as_str().unwrap_or("").to_string();
                    let header = sheet::header(&key, page.lang == sen_i18n::Lang::En);
                    if !header.is_empty() {
                        e["column"] = json!(header);
                    }
                }
            }
            page.respond(
                &state,
                StatusCode::OK,
                "inventory_import.html",
                &path,
                json!({"org": org, "columns": columns(&page), "done": done}),
            )
        }
        Err(e) => {
            let mut report: Vec<Value> = e
                .fields
                .iter()
                .map(|(k, msgs)| {
                    let (row, column) = k.split_once(':').unwrap_or(("", k));
                    let header = sheet::header(column, page.lang == sen_i18n::Lang::En);
                    json!({"row": row.parse::<i64>().unwrap_or(0), "column": if header.is_empty() { column } else { header },
                        "messages": msgs.iter().map(|m| crate::error::translate(page.lang, m)).collect::<Vec<_>>()})
                })
                .collect();
            report.sort_by_key(|r| r["row"].as_i64().unwrap_or(0));
            page.respond(
                &state,
                status_of(&e),
                "inventory_import.html",
                &path,
                json!({
                    "org": org, "columns": columns(&page), "report": report,
                    "failure": crate::error::translate(page.lang, &e.message),
                }),
            )
        }
    }
}

/// The caller of a file download: an API token, else the session.
async fn download_actor(state: &AppState, headers: &HeaderMap) -> Result<Actor, sen_domain::Error> {
    if headers.contains_key(header::AUTHORIZATION) {
        crate::actor::actor_from_headers(state, headers).await
    } else {
        Ok(session::actor(state, headers).await)
    }
}

fn file(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                crate::download::content_disposition(filename),
            ),
        ],
        bytes,
    )
        .into_response()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";

#[utoipa::path(get, path = "/inventory/template.xlsx", tag = "inventory", operation_id = "inventory_template_xlsx",
    responses((status = 200, description = "The empty import template: Vietnamese headers on row 1, English on row 2", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub(crate) async fn template_xlsx() -> Response {
    match sheet::write_xlsx(&[]) {
        Ok(b) => file(b, XLSX, "mau-hien-trang-du-lieu.xlsx"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[utoipa::path(get, path = "/inventory/template.csv", tag = "inventory", operation_id = "inventory_template_csv",
    responses((status = 200, description = "The empty import template as UTF-8 CSV", content_type = "text/csv")))]
pub(crate) async fn template_csv() -> Response {
    match sheet::write_csv(&[]) {
        Ok(b) => file(b, CSV, "mau-hien-trang-du-lieu.csv"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn export(state: AppState, headers: HeaderMap, q: Option<String>, xlsx: bool) -> Response {
    let lang = crate::actor::language(&headers, None);
    let result = async {
        let actor = download_actor(&state, &headers).await?;
        let data = crate::multipart::parse_query(q.as_deref())?;
        let records = state
            .catalog
            .run_action("inventory_export", &actor, &data, None)
            .await
            .unwrap_or_else(|| Err(sen_domain::Error::internal("no inventory_export")))?;
        let records = records.as_array().cloned().unwrap_or_default();
        if xlsx {
            sheet::write_xlsx(&records)
        } else {
            sheet::write_csv(&records)
        }
    }
    .await;
    match result {
        Ok(b) if xlsx => file(b, XLSX, "hien-trang-du-lieu.xlsx"),
        Ok(b) => file(b, CSV, "hien-trang-du-lieu.csv"),
        Err(e) => crate::error::RestError::new(e, lang).into_response(),
    }
}

#[utoipa::path(get, path = "/inventory/export.xlsx", tag = "inventory", operation_id = "inventory_export_xlsx", params(("organization" = Option<String>, Query, description = "The agency (its editors); without it the whole inventory (sysadmins)")),
    responses((status = 200, description = "The records in the template's layout", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = crate::rest::ApiError)))]
pub(crate) async fn export_xlsx(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    export(state, headers, q, true).await
}

#[utoipa::path(get, path = "/inventory/export.csv", tag = "inventory", operation_id = "inventory_export_csv", params(("organization" = Option<String>, Query)),
    responses((status = 200, description = "The records in the template's layout", content_type = "text/csv"), (status = 403, body = crate::rest::ApiError)))]
pub(crate) async fn export_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    export(state, headers, q, false).await
}

#[utoipa::path(get, path = "/inventory/dashboard.csv", tag = "inventory", operation_id = "inventory_dashboard_csv", params(("organization" = Option<String>, Query), ("sector" = Option<String>, Query), ("as_of" = Option<String>, Query)),
    responses((status = 200, description = "One row per agency and a TOTAL row", content_type = "text/csv")))]
pub(crate) async fn dashboard_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let lang = crate::actor::language(&headers, None);
    let result = async {
        let actor = download_actor(&state, &headers).await?;
        let data = crate::multipart::parse_query(q.as_deref())?;
        let d = state
            .catalog
            .run_action("inventory_dashboard", &actor, &data, None)
            .await
            .unwrap_or_else(|| Err(sen_domain::Error::internal("no inventory_dashboard")))?;
        sen_catalog::inventory::dashboard_csv(&d)
    }
    .await;
    match result {
        Ok(b) => file(b, CSV, "bang-dieu-khien-du-lieu.csv"),
        Err(e) => crate::error::RestError::new(e, lang).into_response(),
    }
}

/// Bars for a chart: label, count and width in percent of the largest.
fn bars(items: &Value, prefix: &str, page: &Page) -> Vec<Value> {
    let list = items.as_array().cloned().unwrap_or_default();
    let max = list
        .iter()
        .filter_map(|i| i["count"].as_u64())
        .max()
        .unwrap_or(0)
        .max(1);
    list.iter()
        .enumerate()
        .map(|(n, i)| {
            let count = i["count"].as_u64().unwrap_or(0);
            json!({"label": sen_i18n::t(page.lang, &format!("{prefix}{}", i["key"].as_str().unwrap_or("")), &[]), "count": count,
                   "width": count * 100 / max, "y": n * 28})
        })
        .collect()
}

async fn dashboard(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let mut data = json!({});
    for k in ["organization", "sector", "as_of"] {
        if !page.param(k).is_empty() {
            data[k] = json!(page.param(k));
        }
    }
    let path = "/inventory/dashboard";
    match read(&state, &page, "inventory_dashboard", data).await {
        Ok(d) => {
            let pct = |k: &str| d["totals"][k].as_f64().unwrap_or(0.0);
            // A donut's arc: the circle's circumference is 100 (r = 15.915).
            let donuts = json!([
                {"label": "ui-inv-share-open", "value": d["totals"]["share_open_percent"], "dash": pct("share_open_percent")},
                {"label": "ui-inv-list-progress", "value": d["totals"]["list_progress_percent"], "dash": pct("list_progress_percent")},
                {"label": "ui-inv-fresh", "value": d["totals"]["fresh_percent"], "dash": pct("fresh_percent")},
            ]);
            let query = q.clone().unwrap_or_default();
            page.respond(&state, StatusCode::OK, "inventory_dashboard.html", path, json!({
                "d": d, "donuts": donuts,
                "status_bars": bars(&d["totals"]["by_status"], "inv-status-", &page),
                "kind_bars": bars(&d["totals"]["by_kind"], "inv-kind-", &page),
                "sectors": options(&["ministry", "province", "agency", "department", "other"], "ui-kind-", &page, true),
                "sector": page.param("sector"),
                "csv_query": query.split('&').filter(|p| !p.starts_with("lang=")).collect::<Vec<_>>().join("&"),
            }))
        }
        Err(e) if e.is_not_found() => page.not_found(&state, path),
        Err(_) => server_error(&page, &state, path),
    }
}

async fn open_data(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    render_open_data(&state, &page, &id, StatusCode::OK, json!({}), json!({})).await
}

async fn render_open_data(
    state: &AppState,
    page: &Page,
    id: &str,
    status: StatusCode,
    v: Value,
    errors: Value,
) -> Response {
    let path = format!("/organization/{id}/open-data");
    let mut data = json!({"organization": id});
    if !page.param("as_of").is_empty() {
        data["as_of"] = json!(page.param("as_of"));
    }
    match read(state, page, "open_data_list_show", data).await {
        Ok(list) => {
            let may = may_edit(
                state,
                &page.actor,
                list["organization"]["id"].as_str().unwrap_or(""),
            )
            .await;
            page.respond(
                state,
                status,
                "open_data_list.html",
                &path,
                json!({"l": list, "may_edit": may, "v": v, "errors": errors}),
            )
        }
        Err(e) if e.is_not_found() => page.not_found(state, &path),
        Err(_) => server_error(page, state, &path),
    }
}

async fn open_data_save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Pairs>,
) -> Response {
    let page = Page::load(&state, &headers, None).await;
    if !session::csrf_ok(&headers, Some(first(&f, "csrf"))) {
        return forbidden_form(&page, &state);
    }
    if page.actor.user.is_none() {
        return login_first(&format!("/organization/{id}/open-data"));
    }
    let (action, data) = match first(&f, "do") {
        "review" => (
            "open_data_list_review",
            json!({"organization": id, "note": first(&f, "note")}),
        ),
        "delete" => ("open_data_item_delete", json!({"id": first(&f, "item")})),
        _ => {
            let mut d = json!({"organization": id, "title": first(&f, "title"), "description": first(&f, "description"), "planned_date": first(&f, "planned_date")});
            if !first(&f, "dataset").is_empty() {
                d["dataset"] = json!(first(&f, "dataset"));
            }
            if !first(&f, "item").is_empty() {
                d["id"] = json!(first(&f, "item"));
                ("open_data_item_update", d)
            } else {
                ("open_data_item_create", d)
            }
        }
    };
    match write(&state, &page, action, data, None).await {
        Ok(_) => Redirect::to(&format!("/organization/{id}/open-data")).into_response(),
        Err(e) => {
            render_open_data(
                &state,
                &page,
                &id,
                status_of(&e),
                typed(&f),
                field_errors(&page, &e),
            )
            .await
        }
    }
}
