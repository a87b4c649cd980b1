//! The native REST API under `/api/v1`, described by an OpenAPI 3.1 document
//! at `/api/v1/openapi.json`. Each endpoint maps onto the same catalogue action
//! as its CKAN counterpart, so both APIs always agree; only the envelope
//! (none here), the status codes and the error body differ.

use crate::actor::{actor_from_headers, client_key, language};
use crate::error::RestError;
use crate::multipart::{parse_query, read_body};
use crate::AppState;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use sen_catalog::{Catalog, Dict};
use sen_domain::{Error, ErrorKind, Msg};
use serde_json::{json, Value};
use std::net::SocketAddr;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/status", get(status))
        .route("/api/v1/datasets", get(dataset_search).post(dataset_create))
        .route("/api/v1/suggest", get(suggest))
        .route(
            "/api/v1/datasets/{id}",
            get(dataset_show)
                .put(dataset_update)
                .patch(dataset_patch)
                .delete(dataset_delete),
        )
        .route("/api/v1/datasets/{id}/activity", get(dataset_activity))
        .route(
            "/api/v1/datasets/{id}/resources",
            axum::routing::post(resource_create),
        )
        .route(
            "/api/v1/resources/{id}",
            get(resource_show)
                .put(resource_update)
                .patch(resource_patch)
                .delete(resource_delete),
        )
        .route("/api/v1/resources/{id}/versions", get(resource_versions))
        .route("/api/v1/resources/{id}/data", get(datastore_data))
        .route("/api/v1/resources/{id}/query", get(datastore_query))
        .route("/api/v1/resources/{id}/table", get(datastore_table))
        .route("/api/v1/resources/{id}/ingestion", get(datastore_ingestion))
        .route("/api/v1/sql", get(datastore_sql).post(datastore_sql))
        .route(
            "/api/v1/organizations",
            get(organization_list).post(organization_create),
        )
        .route(
            "/api/v1/organizations/{id}",
            get(organization_show)
                .put(organization_update)
                .patch(organization_patch)
                .delete(organization_delete),
        )
        .route(
            "/api/v1/organizations/{id}/members",
            get(organization_members),
        )
        .route(
            "/api/v1/organizations/{id}/members/{user}",
            put(organization_member_put).delete(organization_member_delete),
        )
        .route("/api/v1/topics", get(topic_list).post(topic_create))
        .route(
            "/api/v1/topics/{id}",
            get(topic_show)
                .put(topic_update)
                .patch(topic_patch)
                .delete(topic_delete),
        )
        .route(
            "/api/v1/topics/{id}/datasets/{dataset}",
            put(topic_dataset_put).delete(topic_dataset_delete),
        )
        .route("/api/v1/tags", get(tag_list))
        .route("/api/v1/tags/{name}", get(tag_show))
        .route("/api/v1/licenses", get(license_list))
        .route("/api/v1/users", get(user_list).post(user_create))
        .route("/api/v1/users/{id}", get(user_show))
        .route(
            "/api/v1/users/{id}/tokens",
            get(token_list).post(token_create),
        )
        .route(
            "/api/v1/users/{id}/tokens/{token_id}",
            axum::routing::delete(token_revoke),
        )
        .route("/api/v1/activity", get(recent_activity))
        .route("/api/v1/posts", get(post_list).post(post_create))
        .route(
            "/api/v1/posts/{id}",
            get(post_show).patch(post_update).delete(post_delete),
        )
        .route(
            "/api/v1/legal-documents",
            get(legal_list).post(legal_create),
        )
        .route(
            "/api/v1/legal-documents/{id}",
            get(legal_show).patch(legal_update).delete(legal_delete),
        )
        .route("/api/v1/requests", get(request_list).post(request_create))
        .route(
            "/api/v1/requests/{id}",
            get(request_show).patch(request_update),
        )
        .route(
            "/api/v1/requests/{id}/vote",
            axum::routing::put(request_vote).delete(request_unvote),
        )
        .route(
            "/api/v1/requests/{id}/comments",
            axum::routing::post(request_comment),
        )
        .route(
            "/api/v1/requests/{id}/route",
            axum::routing::post(request_route),
        )
        .route(
            "/api/v1/requests/{id}/answer",
            axum::routing::post(request_answer),
        )
        .route("/api/v1/feedback", get(feedback_list).post(feedback_create))
        .route(
            "/api/v1/feedback/{id}/answer",
            axum::routing::post(feedback_answer),
        )
}

/// Runs a catalogue action for a REST request: the query string (GET) or body
/// (other methods) gives the input, `fill` adds the path parameters.
pub(crate) async fn run(
    state: AppState,
    req: Request,
    action: &str,
    fill: impl FnOnce(&mut Dict),
    ok: StatusCode,
) -> Response {
    let lang = language(req.headers(), None);
    match run_inner(&state, req, action, fill).await {
        Ok(_) if ok == StatusCode::NO_CONTENT => StatusCode::NO_CONTENT.into_response(),
        Ok(value) => (ok, Json(value)).into_response(),
        Err(e) => {
            if e.kind == ErrorKind::Internal {
                tracing::error!(%action, error = %e, "REST action failed");
            }
            RestError::new(e, lang).into_response()
        }
    }
}

async fn run_inner(
    state: &AppState,
    req: Request,
    action: &str,
    fill: impl FnOnce(&mut Dict),
) -> Result<Value, Error> {
    let actor = actor_from_headers(state, req.headers()).await?;
    let write = Catalog::is_write_action(action);
    if write {
        actor.require_user()?;
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        if !state.limiter.allow(&client_key(req.headers(), peer)) {
            return Err(Error::new(
                ErrorKind::BadRequest,
                "rate_limited",
                Msg::new("error-rate-limited"),
            ));
        }
    }
    let (mut data, upload) = if req.method() == Method::GET || req.method() == Method::DELETE {
        (parse_query(req.uri().query())?, None)
    } else {
        read_body(state, req).await?
    };
    fill(&mut data);
    let key = upload.as_ref().map(|u| u.key.clone());
    let result = state
        .catalog
        .run_action(action, &actor, &data, upload)
        .await
        .unwrap_or_else(|| {
            Err(Error::internal(format!(
                "REST route names unknown action {action}"
            )))
        });
    if let (Err(_), Some(key)) = (&result, key) {
        let _ = state.catalog.storage.delete(&key).await;
    }
    result
}

pub(crate) fn set(d: &mut Dict, k: &str, v: String) {
    d.insert(k.into(), Value::String(v));
}

// ---- documentation schemas -------------------------------------------------

/// A dataset, as `package_show` returns it (CKAN fields plus Sen's).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Dataset {
    id: String,
    /// URL name: 2–100 characters of a–z, 0–9, `-`, `_`.
    name: String,
    title: String,
    /// Markdown description.
    notes: String,
    /// Id of the publishing organisation.
    owner_org: String,
    license_id: String,
    /// `open`, `shared` (between state agencies) or `internal` (owning agency only).
    access_level: String,
    /// `ordinary`, `important` or `core`; important and core data can never be open.
    data_class: String,
    /// CKAN's flag: true for any level but `open`.
    private: bool,
    /// `active` or `draft` (and `deleted` for editors).
    state: String,
    frequency: String,
    language: String,
    spatial: String,
    temporal_start: String,
    temporal_end: String,
    metadata_created: String,
    metadata_modified: String,
    #[schema(value_type = Vec<Object>)]
    tags: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    groups: Vec<Value>,
    resources: Vec<Resource>,
    #[schema(value_type = Vec<Object>)]
    extras: Vec<Value>,
}

/// A resource (distribution): an uploaded file or a link.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Resource {
    id: String,
    package_id: String,
    name: String,
    description: String,
    /// For uploads, the download address ending in `/download/<filename>`.
    url: String,
    /// `upload` for stored files, null for links.
    url_type: Option<String>,
    format: String,
    mimetype: Option<String>,
    size: Option<i64>,
    /// SHA-256 of the stored file.
    hash: String,
    position: i64,
    created: String,
    last_modified: Option<String>,
}

/// An organisation (publisher) or topic.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Group {
    id: String,
    name: String,
    title: String,
    description: String,
    /// Organisations: `ministry`, `province`, `agency`, `department` or `other`.
    kind: Option<String>,
    valid_from: Option<String>,
    valid_to: Option<String>,
    #[schema(value_type = Option<Object>)]
    parent: Option<Value>,
    #[schema(value_type = Option<Object>)]
    successor: Option<Value>,
    package_count: i64,
}

/// Search results with facet counts.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SearchResult {
    count: i64,
    results: Vec<Dataset>,
    #[schema(value_type = Object)]
    facets: Value,
    #[schema(value_type = Object)]
    search_facets: Value,
}

/// Every error of the REST API.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiError {
    /// In the caller's language (Accept-Language; Vietnamese by default).
    message: String,
    /// Stable machine-readable code, e.g. `dataset_not_found`, `invalid_fields`.
    code: String,
    /// `invalid_request`, `not_found`, `auth` or `internal`.
    #[schema(rename = "type")]
    kind: String,
    link: String,
    /// For validation errors: field → messages.
    #[schema(value_type = Option<Object>)]
    fields: Option<Value>,
}

/// A new API token, shown once.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NewToken {
    token: String,
}

struct TokenAuth;

impl Modify for TokenAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "An API token (`sen admin create-token`), raw or as `Bearer <token>`.",
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Sen REST API", description = "The native API of a Sen open-data portal. The same catalogue is also served through the CKAN Action API v3 at /api/3/action/{name}.", license(name = "Apache-2.0")),
    paths(status, dataset_search, suggest, dataset_create, dataset_show, dataset_update, dataset_patch, dataset_delete,
          dataset_activity, resource_create, resource_show, resource_update, resource_patch, resource_delete,
          resource_versions, organization_list, organization_create, organization_show, organization_update,
          organization_patch, organization_delete, organization_members, organization_member_put,
          organization_member_delete, topic_list, topic_create, topic_show, topic_update, topic_patch,
          topic_delete, topic_dataset_put, topic_dataset_delete, tag_list, tag_show, license_list, user_list,
          user_create, user_show, token_list, token_create, token_revoke, recent_activity,
          datastore_data, datastore_query, datastore_table, datastore_ingestion, datastore_sql, crate::dump::export,
          post_list, post_create, post_show, post_update, post_delete,
          legal_list, legal_create, legal_show, legal_update, legal_delete,
          request_list, request_create, request_show, request_update, request_vote, request_unvote, request_comment,
          request_route, request_answer, feedback_list, feedback_create, feedback_answer),
    components(schemas(Dataset, Resource, Group, SearchResult, ApiError, NewToken)),
    modifiers(&TokenAuth),
    security(("api_token" = [])),
    tags((name = "datasets"), (name = "resources"), (name = "organizations"), (name = "topics"), (name = "users"), (name = "data"), (name = "participation"), (name = "site"), (name = "knowledge"))
)]
struct ApiDoc;

/// The OpenAPI document, as served.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::inventory_api::InventoryDoc::openapi());
    doc
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}

// ---- site -------------------------------------------------------------------

#[utoipa::path(get, path = "/api/v1/status", tag = "site", responses((status = 200, description = "Site and version", body = Object)))]
async fn status(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "status_show", |_| {}, StatusCode::OK).await
}

#[utoipa::path(get, path = "/api/v1/licenses", tag = "site", responses((status = 200, description = "The licence register", body = Vec<Object>)))]
async fn license_list(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "license_list", |_| {}, StatusCode::OK).await
}

#[utoipa::path(get, path = "/api/v1/tags", tag = "site", params(("query" = Option<String>, Query, description = "Part of a tag name")),
    responses((status = 200, description = "Tags on datasets you may see, with counts", body = Vec<Object>)))]
async fn tag_list(State(s): State<AppState>, req: Request) -> Response {
    run(
        s,
        req,
        "tag_list",
        |d| set(d, "all_fields", "true".into()),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/tags/{name}", tag = "site", params(("name" = String, Path)),
    responses((status = 200, description = "The tag and its datasets", body = Object), (status = 404, body = ApiError)))]
async fn tag_show(State(s): State<AppState>, Path(name): Path<String>, req: Request) -> Response {
    run(
        s,
        req,
        "tag_show",
        |d| {
            set(d, "id", name);
            set(d, "include_datasets", "true".into())
        },
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/activity", tag = "site", params(("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
    responses((status = 200, description = "Recent changes to datasets you may see", body = Vec<Object>)))]
async fn recent_activity(State(s): State<AppState>, req: Request) -> Response {
    run(
        s,
        req,
        "recently_changed_packages_activity_list",
        |_| {},
        StatusCode::OK,
    )
    .await
}

// ---- datasets -----------------------------------------------------------------

#[utoipa::path(get, path = "/api/v1/datasets", tag = "datasets",
    params(("q" = Option<String>, Query, description = "Words (accents optional) and field:value terms"),
           ("fq" = Option<String>, Query, description = "Filter query (Solr subset: field:value, quotes, -negation, AND/OR, [a TO b])"),
           ("sort" = Option<String>, Query, description = "e.g. `metadata_modified desc`"),
           ("rows" = Option<i64>, Query, description = "Default 10, at most 1000"), ("start" = Option<i64>, Query),
           ("facet.field" = Option<Vec<String>>, Query, description = "Facets to count"),
           ("include_private" = Option<bool>, Query, description = "Include non-open datasets you may see")),
    responses((status = 200, body = SearchResult), (status = 400, body = ApiError)))]
async fn dataset_search(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "package_search", |_| {}, StatusCode::OK).await
}

#[utoipa::path(get, path = "/api/v1/suggest", tag = "datasets",
    params(("q" = String, Query, description = "The start of a title; accents optional (\"ha n\" suggests \"Hà Nội …\")"),
           ("limit" = Option<i64>, Query, description = "Default 10, at most 100")),
    responses((status = 200, description = "Datasets you may see whose title starts like q: `[{name, title}]`", body = Vec<Object>)))]
async fn suggest(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "package_autocomplete", |_| {}, StatusCode::OK).await
}

#[utoipa::path(post, path = "/api/v1/datasets", tag = "datasets", request_body(content = Object, description = "Dataset fields as in package_create"),
    responses((status = 201, body = Dataset), (status = 409, description = "Invalid fields", body = ApiError), (status = 403, body = ApiError)))]
async fn dataset_create(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "package_create", |_| {}, StatusCode::CREATED).await
}

#[utoipa::path(get, path = "/api/v1/datasets/{id}", tag = "datasets", params(("id" = String, Path, description = "Id or name")),
    responses((status = 200, body = Dataset), (status = 404, body = ApiError)))]
async fn dataset_show(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(s, req, "package_show", |d| set(d, "id", id), StatusCode::OK).await
}

#[utoipa::path(put, path = "/api/v1/datasets/{id}", tag = "datasets", params(("id" = String, Path)), request_body(content = Object, description = "The whole dataset; lists left out are kept"),
    responses((status = 200, body = Dataset), (status = 409, body = ApiError), (status = 404, body = ApiError)))]
async fn dataset_update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "package_update",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(patch, path = "/api/v1/datasets/{id}", tag = "datasets", params(("id" = String, Path)), request_body(content = Object, description = "Only the fields to change"),
    responses((status = 200, body = Dataset), (status = 409, body = ApiError), (status = 404, body = ApiError)))]
async fn dataset_patch(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "package_patch",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(delete, path = "/api/v1/datasets/{id}", tag = "datasets", params(("id" = String, Path)),
    responses((status = 204, description = "Deleted (kept on record)"), (status = 404, body = ApiError)))]
async fn dataset_delete(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "package_delete",
        |d| set(d, "id", id),
        StatusCode::NO_CONTENT,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/datasets/{id}/activity", tag = "datasets", params(("id" = String, Path), ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
    responses((status = 200, description = "Changes, newest first: who, when, what changed", body = Vec<Object>), (status = 404, body = ApiError)))]
async fn dataset_activity(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "package_activity_list",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

// ---- resources -----------------------------------------------------------------

#[utoipa::path(post, path = "/api/v1/datasets/{id}/resources", tag = "resources", params(("id" = String, Path)),
    request_body(content = Object, description = "JSON with a `url`, or multipart/form-data with the file in `upload` and other fields as strings"),
    responses((status = 201, body = Resource), (status = 409, body = ApiError), (status = 413, body = ApiError)))]
async fn resource_create(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "resource_create",
        |d| set(d, "package_id", id),
        StatusCode::CREATED,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/resources/{id}", tag = "resources", params(("id" = String, Path)),
    responses((status = 200, body = Resource), (status = 404, body = ApiError)))]
async fn resource_show(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "resource_show",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/data", tag = "data", params(("id" = String, Path, description = "Resource id"),
        ("q" = Option<String>, Query, description = "Words every row must contain (any column, case-insensitive), or a JSON object column → words"),
        ("filters" = Option<String>, Query, description = "JSON object: column → value or list of values"),
        ("fields" = Option<String>, Query, description = "Columns to return, comma-separated"),
        ("sort" = Option<String>, Query, description = "e.g. `Mã TP asc, Dân số desc`"),
        ("distinct" = Option<bool>, Query), ("include_total" = Option<bool>, Query),
        ("limit" = Option<i64>, Query, description = "Rows (default 100, at most 32000)"), ("offset" = Option<i64>, Query),
        ("records_format" = Option<String>, Query, description = "objects (default), lists, csv or tsv")),
    responses((status = 200, description = "As CKAN's datastore_search", body = Object), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn datastore_data(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "datastore_search",
        |d| set(d, "resource_id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/query", tag = "data", params(("id" = String, Path, description = "Resource id"),
        ("select" = Option<String>, Query, description = "SQL select list, e.g. `\"Tỉnh\", count(*) AS n`"),
        ("where" = Option<String>, Query, description = "SQL condition"), ("group_by" = Option<String>, Query), ("having" = Option<String>, Query),
        ("order_by" = Option<String>, Query), ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
    responses((status = 200, description = "fields and records", body = Object), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn datastore_query(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "datastore_query",
        |d| set(d, "resource_id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/table", tag = "data", params(("id" = String, Path, description = "Resource id")),
    responses((status = 200, description = "Columns, types, row count and the Table Schema (as CKAN's datastore_info)", body = Object), (status = 404, body = ApiError)))]
async fn datastore_table(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "datastore_info",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/ingestion", tag = "data", params(("id" = String, Path, description = "Resource id")),
    responses((status = 200, description = "The newest ingestion job (state, progress, report) and whether a table is ready", body = Object), (status = 404, body = ApiError)))]
async fn datastore_ingestion(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "datastore_status",
        |d| set(d, "resource_id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/sql", tag = "data", request_body(content = Object, description = "`{\"sql\": \"SELECT … FROM \\\"<resource id>\\\" …\"}`; GET with `?sql=` works too"),
    responses((status = 200, description = "fields and records (as CKAN's datastore_search_sql)", body = Object), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn datastore_sql(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "datastore_search_sql", |_| {}, StatusCode::OK).await
}

#[utoipa::path(put, path = "/api/v1/resources/{id}", tag = "resources", params(("id" = String, Path)), request_body(content = Object, description = "JSON, or multipart with a new file in `upload` (the old file is kept as a version)"),
    responses((status = 200, body = Resource), (status = 409, body = ApiError)))]
async fn resource_update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "resource_update",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(patch, path = "/api/v1/resources/{id}", tag = "resources", params(("id" = String, Path)), request_body(content = Object, description = "Only the fields to change"),
    responses((status = 200, body = Resource), (status = 409, body = ApiError)))]
async fn resource_patch(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "resource_patch",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(delete, path = "/api/v1/resources/{id}", tag = "resources", params(("id" = String, Path)),
    responses((status = 204, description = "Removed from the dataset; files stay on record"), (status = 404, body = ApiError)))]
async fn resource_delete(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "resource_delete",
        |d| set(d, "id", id),
        StatusCode::NO_CONTENT,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/versions", tag = "resources", params(("id" = String, Path)),
    responses((status = 200, description = "Every uploaded file of the resource, newest first; download one at /dataset/{dataset}/resource/{id}/version/{version}/download", body = Vec<Object>)))]
async fn resource_versions(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let lang = language(&headers, None);
    let result = async {
        let actor = actor_from_headers(&s, &headers).await?;
        s.catalog.resource_versions(&actor, &id).await
    }
    .await;
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => RestError::new(e, lang).into_response(),
    }
}

// ---- organisations and topics -----------------------------------------------------

macro_rules! group_endpoints {
    ($tag:literal, $base:literal, $prefix:literal, $list:ident, $create:ident, $show:ident, $update:ident, $patch:ident, $delete:ident) => {
        #[utoipa::path(get, path = $base, tag = $tag, params(("q" = Option<String>, Query), ("sort" = Option<String>, Query, description = "`title`, `name` or `package_count`, with `asc`/`desc`"), ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
            responses((status = 200, body = Vec<Group>)))]
        async fn $list(State(s): State<AppState>, req: Request) -> Response {
            run(s, req, concat!($prefix, "_list"), |d| set(d, "all_fields", "true".into()), StatusCode::OK).await
        }

        #[utoipa::path(post, path = $base, tag = $tag, request_body(content = Object), responses((status = 201, body = Group), (status = 409, body = ApiError), (status = 403, body = ApiError)))]
        async fn $create(State(s): State<AppState>, req: Request) -> Response {
            run(s, req, concat!($prefix, "_create"), |_| {}, StatusCode::CREATED).await
        }

        #[utoipa::path(get, path = concat!($base, "/{id}"), tag = $tag, params(("id" = String, Path), ("include_datasets" = Option<bool>, Query)),
            responses((status = 200, body = Group), (status = 404, body = ApiError)))]
        async fn $show(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
            run(s, req, concat!($prefix, "_show"), |d| set(d, "id", id), StatusCode::OK).await
        }

        #[utoipa::path(put, path = concat!($base, "/{id}"), tag = $tag, params(("id" = String, Path)), request_body(content = Object),
            responses((status = 200, body = Group), (status = 409, body = ApiError)))]
        async fn $update(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
            run(s, req, concat!($prefix, "_update"), |d| set(d, "id", id), StatusCode::OK).await
        }

        #[utoipa::path(patch, path = concat!($base, "/{id}"), tag = $tag, params(("id" = String, Path)), request_body(content = Object),
            responses((status = 200, body = Group), (status = 409, body = ApiError)))]
        async fn $patch(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
            run(s, req, concat!($prefix, "_patch"), |d| set(d, "id", id), StatusCode::OK).await
        }

        #[utoipa::path(delete, path = concat!($base, "/{id}"), tag = $tag, params(("id" = String, Path)),
            responses((status = 204, description = "Deleted"), (status = 409, body = ApiError)))]
        async fn $delete(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
            run(s, req, concat!($prefix, "_delete"), |d| set(d, "id", id), StatusCode::NO_CONTENT).await
        }
    };
}

group_endpoints!(
    "organizations",
    "/api/v1/organizations",
    "organization",
    organization_list,
    organization_create,
    organization_show,
    organization_update,
    organization_patch,
    organization_delete
);
group_endpoints!(
    "topics",
    "/api/v1/topics",
    "group",
    topic_list,
    topic_create,
    topic_show,
    topic_update,
    topic_patch,
    topic_delete
);

#[utoipa::path(get, path = "/api/v1/organizations/{id}/members", tag = "organizations", params(("id" = String, Path)),
    responses((status = 200, description = "Members with their roles", body = Vec<Object>)))]
async fn organization_members(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let lang = language(&headers, None);
    let result = async {
        let actor = actor_from_headers(&s, &headers).await?;
        s.catalog.group_members(&actor, &id, true).await
    }
    .await;
    match result {
        Ok(v) => Json(v).into_response(),
        Err(e) => RestError::new(e, lang).into_response(),
    }
}

#[utoipa::path(put, path = "/api/v1/organizations/{id}/members/{user}", tag = "organizations", params(("id" = String, Path), ("user" = String, Path)),
    request_body(content = Object, description = "`{\"role\": \"admin\" | \"editor\" | \"member\"}`"),
    responses((status = 200, body = Object), (status = 403, body = ApiError)))]
async fn organization_member_put(
    State(s): State<AppState>,
    Path((id, user)): Path<(String, String)>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "organization_member_create",
        |d| {
            set(d, "id", id);
            set(d, "username", user);
            d.entry("role").or_insert(json!("member"));
        },
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(delete, path = "/api/v1/organizations/{id}/members/{user}", tag = "organizations", params(("id" = String, Path), ("user" = String, Path)),
    responses((status = 204, description = "Removed"), (status = 403, body = ApiError)))]
async fn organization_member_delete(
    State(s): State<AppState>,
    Path((id, user)): Path<(String, String)>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "organization_member_delete",
        |d| {
            set(d, "id", id);
            set(d, "username", user)
        },
        StatusCode::NO_CONTENT,
    )
    .await
}

#[utoipa::path(put, path = "/api/v1/topics/{id}/datasets/{dataset}", tag = "topics", params(("id" = String, Path), ("dataset" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = ApiError)))]
async fn topic_dataset_put(
    State(s): State<AppState>,
    Path((id, dataset)): Path<(String, String)>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "member_create",
        |d| {
            set(d, "id", id);
            set(d, "object", dataset);
            set(d, "object_type", "package".into())
        },
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(delete, path = "/api/v1/topics/{id}/datasets/{dataset}", tag = "topics", params(("id" = String, Path), ("dataset" = String, Path)),
    responses((status = 204, description = "Removed from the topic"), (status = 403, body = ApiError)))]
async fn topic_dataset_delete(
    State(s): State<AppState>,
    Path((id, dataset)): Path<(String, String)>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "member_delete",
        |d| {
            set(d, "id", id);
            set(d, "object", dataset);
            set(d, "object_type", "package".into())
        },
        StatusCode::NO_CONTENT,
    )
    .await
}

// ---- users and tokens -------------------------------------------------------------

#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(("q" = Option<String>, Query), ("order_by" = Option<String>, Query)),
    responses((status = 200, body = Vec<Object>)))]
async fn user_list(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "user_list", |_| {}, StatusCode::OK).await
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body(content = Object, description = "name, email, password, fullname, sysadmin (sysadmins only)"),
    responses((status = 201, body = Object), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
async fn user_create(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "user_create", |_| {}, StatusCode::CREATED).await
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ApiError)))]
async fn user_show(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(s, req, "user_show", |d| set(d, "id", id), StatusCode::OK).await
}

#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", tag = "users", params(("id" = String, Path)),
    responses((status = 200, description = "Token ids, labels and dates; never the tokens", body = Vec<Object>), (status = 403, body = ApiError)))]
async fn token_list(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(
        s,
        req,
        "api_token_list",
        |d| set(d, "user_id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", tag = "users", params(("id" = String, Path)),
    request_body(content = Object, description = "`name`, and optionally `expires_at` (date-time) or `expires_in` with `unit` (seconds per unit)"),
    responses((status = 201, body = NewToken), (status = 403, body = ApiError)))]
async fn token_create(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(
        s,
        req,
        "api_token_create",
        |d| set(d, "user", id),
        StatusCode::CREATED,
    )
    .await
}

#[utoipa::path(delete, path = "/api/v1/users/{id}/tokens/{token_id}", tag = "users", params(("id" = String, Path), ("token_id" = String, Path)),
    responses((status = 204, description = "Revoked"), (status = 404, body = ApiError)))]
async fn token_revoke(
    State(s): State<AppState>,
    Path((_id, token_id)): Path<(String, String)>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "api_token_revoke",
        |d| set(d, "jti", token_id),
        StatusCode::NO_CONTENT,
    )
    .await
}

// ---- the knowledge hub ------------------------------------------------------

#[utoipa::path(get, path = "/api/v1/posts", tag = "knowledge",
    params(("q" = Option<String>, Query, description = "Words (accents optional)"),
           ("category" = Option<String>, Query, description = "`news`, `guide`, `article` or `standard`"),
           ("language" = Option<String>, Query, description = "`vi` or `en`"),
           ("rows" = Option<i64>, Query, description = "Default 20, at most 100"), ("start" = Option<i64>, Query)),
    responses((status = 200, description = "`{count, results}`, newest first; drafts and scheduled posts only for writers", body = Object)))]
async fn post_list(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "post_list", |_| {}, StatusCode::OK).await
}

#[utoipa::path(post, path = "/api/v1/posts", tag = "knowledge",
    request_body(content = Object, description = "title, body (Markdown), summary, slug, category, language, translation_of, image_url, status (`draft`/`published`), published_at (future = scheduled)"),
    responses((status = 201, body = Object), (status = 409, body = ApiError), (status = 403, body = ApiError)))]
async fn post_create(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "post_create", |_| {}, StatusCode::CREATED).await
}

#[utoipa::path(get, path = "/api/v1/posts/{id}", tag = "knowledge", params(("id" = String, Path, description = "Id or slug")),
    responses((status = 200, body = Object), (status = 404, body = ApiError)))]
async fn post_show(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(s, req, "post_show", |d| set(d, "id", id), StatusCode::OK).await
}

#[utoipa::path(patch, path = "/api/v1/posts/{id}", tag = "knowledge", params(("id" = String, Path)), request_body(content = Object, description = "Only the fields to change"),
    responses((status = 200, body = Object), (status = 409, body = ApiError), (status = 404, body = ApiError)))]
async fn post_update(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(s, req, "post_update", |d| set(d, "id", id), StatusCode::OK).await
}

#[utoipa::path(delete, path = "/api/v1/posts/{id}", tag = "knowledge", params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ApiError)))]
async fn post_delete(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(
        s,
        req,
        "post_delete",
        |d| set(d, "id", id),
        StatusCode::NO_CONTENT,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/legal-documents", tag = "knowledge",
    params(("q" = Option<String>, Query, description = "Words of the number, title, summary or full text (accents optional)"),
           ("type" = Option<String>, Query, description = "`law`, `decree`, `decision`, `circular`, `official_letter`, …"),
           ("status" = Option<String>, Query, description = "`in_force`, `not_yet_in_force`, `amended` or `repealed`"),
           ("issuer" = Option<String>, Query), ("rows" = Option<i64>, Query), ("start" = Option<i64>, Query)),
    responses((status = 200, description = "`{count, results, issuers}`", body = Object)))]
async fn legal_list(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "legal_document_list", |_| {}, StatusCode::OK).await
}

#[utoipa::path(post, path = "/api/v1/legal-documents", tag = "knowledge",
    request_body(content = Object, description = "number, title, type, issuer, signed_on, effective_from, status, summary, full_text, amends, repeals (numbers or ids); multipart with a PDF or DOCX in `upload`"),
    responses((status = 201, body = Object), (status = 409, body = ApiError), (status = 403, body = ApiError)))]
async fn legal_create(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "legal_document_create", |_| {}, StatusCode::CREATED).await
}

#[utoipa::path(get, path = "/api/v1/legal-documents/{id}", tag = "knowledge", params(("id" = String, Path, description = "Id, slug or number")),
    responses((status = 200, description = "The document with what it amends or repeals and what amends or repeals it", body = Object), (status = 404, body = ApiError)))]
async fn legal_show(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(
        s,
        req,
        "legal_document_show",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(patch, path = "/api/v1/legal-documents/{id}", tag = "knowledge", params(("id" = String, Path)), request_body(content = Object, description = "Only the fields to change"),
    responses((status = 200, body = Object), (status = 409, body = ApiError), (status = 404, body = ApiError)))]
async fn legal_update(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(
        s,
        req,
        "legal_document_update",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(delete, path = "/api/v1/legal-documents/{id}", tag = "knowledge", params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = ApiError)))]
async fn legal_delete(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(
        s,
        req,
        "legal_document_delete",
        |d| set(d, "id", id),
        StatusCode::NO_CONTENT,
    )
    .await
}

// ---- participation ----------------------------------------------------------

#[utoipa::path(get, path = "/api/v1/requests", tag = "participation",
    params(("status" = Option<String>, Query, description = "open, routed, under_review, planned, published or refused"),
           ("organization" = Option<String>, Query, description = "The agency it was sent to"),
           ("sort" = Option<String>, Query, description = "`newest` (default) or `votes`"),
           ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
    responses((status = 200, description = "{count, results}", body = Object), (status = 409, body = ApiError)))]
async fn request_list(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "data_request_list", |_| {}, StatusCode::OK).await
}

#[utoipa::path(post, path = "/api/v1/requests", tag = "participation", request_body(content = Object, description = "title, description, reason, suggested_agency"),
    responses((status = 201, body = Object), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
async fn request_create(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "data_request_create", |_| {}, StatusCode::CREATED).await
}

#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "participation", params(("id" = String, Path)),
    responses((status = 200, description = "The request with its votes and comments", body = Object), (status = 404, body = ApiError)))]
async fn request_show(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(
        s,
        req,
        "data_request_show",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(patch, path = "/api/v1/requests/{id}", tag = "participation", params(("id" = String, Path)),
    request_body(content = Object, description = "Fields to change (the requester while open, or a sysadmin)"),
    responses((status = 200, body = Object), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn request_update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "data_request_update",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(put, path = "/api/v1/requests/{id}/vote", tag = "participation", params(("id" = String, Path)),
    responses((status = 200, description = "One vote per user", body = Object), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn request_vote(State(s): State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    run(
        s,
        req,
        "data_request_vote",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(delete, path = "/api/v1/requests/{id}/vote", tag = "participation", params(("id" = String, Path)),
    responses((status = 200, description = "The vote withdrawn", body = Object), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn request_unvote(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "data_request_vote",
        |d| {
            set(d, "id", id);
            set(d, "withdraw", "true".into())
        },
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/requests/{id}/comments", tag = "participation", params(("id" = String, Path)),
    request_body(content = Object, description = "comment"),
    responses((status = 201, body = Object), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn request_comment(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "data_request_comment",
        |d| set(d, "id", id),
        StatusCode::CREATED,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/requests/{id}/route", tag = "participation", params(("id" = String, Path)),
    request_body(content = Object, description = "organization (sysadmins only)"),
    responses((status = 200, body = Object), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn request_route(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "data_request_route",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/requests/{id}/answer", tag = "participation", params(("id" = String, Path)),
    request_body(content = Object, description = "status (under_review, planned + planned_date, published + dataset, refused + answer), answer"),
    responses((status = 200, body = Object), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn request_answer(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "data_request_answer",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/feedback", tag = "participation",
    params(("organization" = Option<String>, Query, description = "That agency's queue (its editors and admins)"),
           ("dataset" = Option<String>, Query, description = "The public reports of a dataset"),
           ("limit" = Option<i64>, Query)),
    responses((status = 200, body = Vec<Object>), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn feedback_list(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "feedback_list", |_| {}, StatusCode::OK).await
}

#[utoipa::path(post, path = "/api/v1/feedback", tag = "participation",
    request_body(content = Object, description = "dataset (optional), category (wrong_data, broken_link, outdated, other), message, contact_email, public"),
    responses((status = 201, body = Object), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn feedback_create(State(s): State<AppState>, req: Request) -> Response {
    run(s, req, "feedback_create", |_| {}, StatusCode::CREATED).await
}

#[utoipa::path(post, path = "/api/v1/feedback/{id}/answer", tag = "participation", params(("id" = String, Path)),
    request_body(content = Object, description = "status (open, answered, closed), answer"),
    responses((status = 200, body = Object), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn feedback_answer(
    State(s): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    run(
        s,
        req,
        "feedback_answer",
        |d| set(d, "id", id),
        StatusCode::OK,
    )
    .await
}
