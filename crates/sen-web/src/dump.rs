//! Whole datastore tables, streamed: CKAN's `/datastore/dump/{id}` and the
//! REST export. Memory stays at a few record batches whatever the table's size.

use crate::actor::{actor_from_headers, language};
use crate::download::content_disposition;
use crate::error::RestError;
use crate::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::TryStreamExt;
use sen_datastore::ExportFormat;
use sen_domain::{Error, Msg};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/datastore/dump/{id}", get(ckan_dump))
        .route("/api/v1/resources/{id}/export/{format}", get(export))
}

/// What a format name means: the stream's shape, media type and file extension.
fn format_of(name: &str) -> Option<(Option<ExportFormat>, &'static str, &'static str)> {
    Some(match name.to_ascii_lowercase().as_str() {
        "csv" => (Some(ExportFormat::Csv), "text/csv; charset=utf-8", "csv"),
        "tsv" => (
            Some(ExportFormat::Tsv),
            "text/tab-separated-values; charset=utf-8",
            "tsv",
        ),
        "json" => (Some(ExportFormat::JsonArray), "application/json", "json"),
        "ndjson" | "jsonl" => (Some(ExportFormat::Ndjson), "application/x-ndjson", "ndjson"),
        "xlsx" => (
            Some(ExportFormat::Xlsx),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        // The stored table itself, byte for byte.
        "parquet" => (None, "application/vnd.apache.parquet", "parquet"),
        _ => return None,
    })
}

/// CKAN's dump: `?format=csv` (default), `tsv`, `json` (CKAN's `{fields, records}`
/// shape) and also `ndjson`, `parquet`; `?bom=true` starts CSV with a BOM for Excel.
async fn ckan_dump(state: State<AppState>, Path(id): Path<String>, req: Request) -> Response {
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.uri().query().unwrap_or("")).unwrap_or_default();
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let format = get("format").unwrap_or_else(|| "csv".into());
    let bom = get("bom").is_some_and(|v| v == "true" || v == "1");
    serve(state, id, &format, true, bom, req).await
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/export/{format}", tag = "data",
    params(("id" = String, Path, description = "Resource id"), ("format" = String, Path, description = "csv, tsv, json, ndjson, xlsx or parquet")),
    responses((status = 200, description = "The whole table, streamed", content_type = "text/csv"), (status = 404, body = crate::rest::ApiError)))]
pub(crate) async fn export(
    state: State<AppState>,
    Path((id, format)): Path<(String, String)>,
    req: Request,
) -> Response {
    serve(state, id, &format, false, false, req).await
}

async fn serve(
    State(state): State<AppState>,
    id: String,
    format: &str,
    ckan: bool,
    bom: bool,
    req: Request,
) -> Response {
    // Only the headers are needed; a request body is not Sync across awaits.
    let headers = req.headers().clone();
    let lang = language(&headers, None);
    match serve_inner(&state, &id, format, ckan, bom, &headers).await {
        Ok(r) => r,
        Err(e) => RestError::new(e, lang).into_response(),
    }
}

async fn serve_inner(
    state: &AppState,
    id: &str,
    format: &str,
    ckan: bool,
    bom: bool,
    headers: &axum::http::HeaderMap,
) -> Result<Response, Error> {
    let actor = actor_from_headers(state, headers).await?;
    let (shape, media_type, ext) = format_of(format).ok_or_else(|| {
        Error::field(
            "format",
            Msg::new("datastore-bad-export-format").arg("value", format),
        )
    })?;
    let shape = match shape {
        Some(ExportFormat::JsonArray) if ckan => Some(ExportFormat::CkanJson),
        other => other,
    };
    let (name, body) = match shape {
        Some(shape) => {
            let (name, stream) = state.catalog.datastore_export(&actor, id, shape).await?;
            let stream = stream.map_err(|e| std::io::Error::other(e.to_string()));
            let body = if bom && shape == ExportFormat::Csv {
                let bom =
                    futures::stream::once(async { Ok(bytes::Bytes::from_static(b"\xEF\xBB\xBF")) });
                Body::from_stream(futures::StreamExt::chain(bom, stream))
            } else {
                Body::from_stream(stream)
            };
            (name, body)
        }
        None => {
            let (name, key) = state.catalog.datastore_parquet_key(&actor, id).await?;
            let download = state
                .catalog
                .storage
                .get(&key, None)
                .await
                .map_err(|e| Error::internal(e.to_string()))?;
            let stream = download
                .body
                .map_err(|e| std::io::Error::other(e.to_string()));
            (name, Body::from_stream(stream))
        }
    };
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, media_type)
        .header(
            header::CONTENT_DISPOSITION,
            content_disposition(&format!("{stem}.{ext}")),
        )
        .header(header::CACHE_CONTROL, "private, max-age=0, must-revalidate")
        .body(body)
        .map_err(Error::internal)
}
