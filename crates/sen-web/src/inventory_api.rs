//! The data inventory's REST endpoints under `/api/v1/inventory`: systems,
//! the spreadsheet inventory_import, open-data lists and dashboards. Each calls one
//! catalogue action, as the rest of the REST API does. The spreadsheet files
//! themselves (template, export, inventory_dashboard CSV) are served by the pages under
//! `/inventory/…` (they accept an API token too).

use crate::actor::language;
use crate::rest::{run, set};
use crate::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::Router;
use utoipa::OpenApi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/inventory/systems",
            get(inventory_system_list).post(inventory_system_create),
        )
        .route(
            "/api/v1/inventory/systems/{id}",
            get(inventory_system_show)
                .put(inventory_system_update)
                .patch(inventory_system_patch)
                .delete(inventory_system_delete),
        )
        .route("/api/v1/inventory/import", post(inventory_import))
        .route("/api/v1/inventory/dashboard", get(inventory_dashboard))
        .route(
            "/api/v1/inventory/open-data-lists/{org}",
            get(open_data_list_show),
        )
        .route(
            "/api/v1/inventory/open-data-lists/{org}/items",
            post(open_data_item_create),
        )
        .route(
            "/api/v1/inventory/open-data-lists/{org}/reviews",
            post(open_data_list_review),
        )
        .route(
            "/api/v1/inventory/open-data-items/{id}",
            put(open_data_item_update).delete(open_data_item_delete),
        )
}

#[derive(OpenApi)]
#[openapi(
    paths(inventory_system_list, inventory_system_create, inventory_system_show, inventory_system_update, inventory_system_patch, inventory_system_delete, inventory_import,
          inventory_dashboard, open_data_list_show, open_data_item_create, open_data_list_review, open_data_item_update, open_data_item_delete,
          crate::pages::inventory::template_xlsx, crate::pages::inventory::template_csv, crate::pages::inventory::export_xlsx,
          crate::pages::inventory::export_csv, crate::pages::inventory::dashboard_csv),
    tags((name = "inventory", description = "The government data inventory: agencies' information systems and databases, open-data lists, dashboards. Everyone sees the public part of a record; staff of any agency see it whole; the agency's editors write it."))
)]
pub(crate) struct InventoryDoc;

#[utoipa::path(get, path = "/api/v1/inventory/systems", tag = "inventory",
    params(("organization" = Option<String>, Query), ("sector" = Option<String>, Query, description = "An organisation kind"), ("kind" = Option<String>, Query), ("status" = Option<String>, Query), ("q" = Option<String>, Query), ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
    responses((status = 200, description = "`{count, results}`: records as the caller may see them (`full` tells which)", body = Object)))]
async fn inventory_system_list(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "inventory_system_list", |_| {}, StatusCode::OK).await
}

#[utoipa::path(post, path = "/api/v1/inventory/systems", tag = "inventory", request_body(content = Object, description = "owner_org, name, description, unit, legal_basis, kind, scope, subjects, data_levels, data_classes, record_count, open_record_count, update_frequency, status, sharing, services, contact_name, contact_email, datasets"),
    responses((status = 201, body = Object), (status = 409, body = crate::rest::ApiError), (status = 403, body = crate::rest::ApiError)))]
async fn inventory_system_create(State(s): State<AppState>, req: Request) -> Response {
    run(
        s,
        req,
        "inventory_system_create",
        |_| {},
        StatusCode::CREATED,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/inventory/systems/{id}", tag = "inventory", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = crate::rest::ApiError)))]
async fn inventory_system_show(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "inventory_system_show",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(put, path = "/api/v1/inventory/systems/{id}", tag = "inventory", params(("id" = String, Path)), request_body(content = Object),
    responses((status = 200, body = Object), (status = 409, body = crate::rest::ApiError)))]
async fn inventory_system_update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "inventory_system_update",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(patch, path = "/api/v1/inventory/systems/{id}", tag = "inventory", params(("id" = String, Path)), request_body(content = Object, description = "Only the fields to change"),
    responses((status = 200, body = Object), (status = 409, body = crate::rest::ApiError)))]
async fn inventory_system_patch(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "inventory_system_patch",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(delete, path = "/api/v1/inventory/systems/{id}", tag = "inventory", params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = crate::rest::ApiError)))]
async fn inventory_system_delete(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "inventory_system_delete",
        |d| set(d, "id", id),
        StatusCode::NO_CONTENT,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/inventory/import", tag = "inventory",
    request_body(content = Object, content_type = "multipart/form-data", description = "`upload`: the filled-in template (XLSX or CSV, from /inventory/template.xlsx or .csv); `organization`: the agency; `mode`: `all` (default: nothing is imported if any row is wrong) or `valid` (inventory_import the valid rows)"),
    responses((status = 200, description = "`{imported, rows, skipped_rows, errors}`", body = Object), (status = 409, description = "Rows with errors: `fields` maps `row:column` to messages; nothing imported", body = crate::rest::ApiError), (status = 400, body = crate::rest::ApiError)))]
async fn inventory_import(State(s): State<AppState>, req: Request) -> Response {
    let lang = language(req.headers(), None);
    run(
        s,
        req,
        "inventory_import",
        |d| set(d, "lang", lang.code().to_string()),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/inventory/dashboard", tag = "inventory",
    params(("organization" = Option<String>, Query), ("sector" = Option<String>, Query, description = "An organisation kind"), ("as_of" = Option<String>, Query, description = "Evaluate on this date (YYYY-MM-DD)")),
    responses((status = 200, description = "Totals and one row per agency; CSV at /inventory/inventory_dashboard.csv", body = Object)))]
async fn inventory_dashboard(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "inventory_dashboard", |_| {}, StatusCode::OK).await
}

#[utoipa::path(get, path = "/api/v1/inventory/open-data-lists/{org}", tag = "inventory", params(("org" = String, Path), ("as_of" = Option<String>, Query)),
    responses((status = 200, description = "Items with their status, reviews, the rules and breaches", body = Object), (status = 404, body = crate::rest::ApiError)))]
async fn open_data_list_show(
    State(s): State<AppState>,
    Path(org): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "open_data_list_show",
        |d| set(d, "organization", org),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/inventory/open-data-lists/{org}/items", tag = "inventory", params(("org" = String, Path)), request_body(content = Object, description = "title, description, planned_date (YYYY-MM-DD), dataset (once published)"),
    responses((status = 201, body = Object), (status = 409, body = crate::rest::ApiError)))]
async fn open_data_item_create(
    State(s): State<AppState>,
    Path(org): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "open_data_item_create",
        |d| set(d, "organization", org),
        StatusCode::CREATED,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/inventory/open-data-lists/{org}/reviews", tag = "inventory", params(("org" = String, Path)), request_body(content = Object, description = "reviewed_on (YYYY-MM-DD, default today), note"),
    responses((status = 201, body = Object), (status = 409, body = crate::rest::ApiError)))]
async fn open_data_list_review(
    State(s): State<AppState>,
    Path(org): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "open_data_list_review",
        |d| set(d, "organization", org),
        StatusCode::CREATED,
    )
    .await
}

#[utoipa::path(put, path = "/api/v1/inventory/open-data-items/{id}", tag = "inventory", params(("id" = String, Path)), request_body(content = Object),
    responses((status = 200, body = Object), (status = 404, body = crate::rest::ApiError)))]
async fn open_data_item_update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "open_data_item_update",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(delete, path = "/api/v1/inventory/open-data-items/{id}", tag = "inventory", params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = crate::rest::ApiError)))]
async fn open_data_item_delete(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "open_data_item_delete",
        |d| set(d, "id", id),
        StatusCode::NO_CONTENT,
    )
    .await
}
