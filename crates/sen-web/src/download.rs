//! File downloads: streamed from storage, with byte ranges, ETags (the file's
//! SHA-256) and a Content-Disposition that keeps Vietnamese file names.

use crate::actor::{actor_from_headers, language};
use crate::error::RestError;
use crate::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures::TryStreamExt;
use sen_domain::{Error, ErrorKind, Msg};
use std::ops::Range;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dataset/{id}/resource/{rid}/download", get(current))
        .route(
            "/dataset/{id}/resource/{rid}/download/{filename}",
            get(current_named),
        )
        .route(
            "/dataset/{id}/resource/{rid}/version/{vid}/download",
            get(version),
        )
}

async fn current(
    state: State<AppState>,
    Path((_id, rid)): Path<(String, String)>,
    req: Request,
) -> Response {
    serve(state, rid, None, req).await
}

async fn current_named(
    state: State<AppState>,
    Path((_id, rid, _f)): Path<(String, String, String)>,
    req: Request,
) -> Response {
    serve(state, rid, None, req).await
}

async fn version(
    state: State<AppState>,
    Path((_id, rid, vid)): Path<(String, String, String)>,
    req: Request,
) -> Response {
    serve(state, rid, Some(vid), req).await
}

async fn serve(
    State(state): State<AppState>,
    rid: String,
    version: Option<String>,
    req: Request,
) -> Response {
    let headers = req.headers().clone();
    let lang = language(&headers, None);
    // `?inline=1` shows a PDF or an image in the page (the resource preview);
    // everything else is always a download.
    let inline = req
        .uri()
        .query()
        .is_some_and(|q| q.split('&').any(|kv| kv == "inline=1"));
    match serve_inner(
        &state,
        &rid,
        version.as_deref(),
        &headers,
        req.method() == Method::HEAD,
        inline,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => RestError::new(e, lang).into_response(),
    }
}

async fn serve_inner(
    state: &AppState,
    rid: &str,
    version: Option<&str>,
    headers: &HeaderMap,
    head: bool,
    inline: bool,
) -> Result<Response, Error> {
    let actor = actor_from_headers(state, headers).await?;
    let file = state.catalog.resource_file(&actor, rid, version).await?;
    let etag = format!("\"{}\"", file.sha256);
    let size = file.size as u64;
    let inline = inline && shown_inline(&file.mimetype);
    let disposition = content_disposition(&file.filename);
    let mut builder = Response::builder()
        .header(header::ETAG, &etag)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CACHE_CONTROL, "private, max-age=0, must-revalidate")
        .header(header::CONTENT_TYPE, content_type(&file.mimetype))
        .header(
            header::CONTENT_DISPOSITION,
            if inline {
                disposition.replacen("attachment", "inline", 1)
            } else {
                disposition
            },
        );
    if inline {
        // Framed by our own resource page only; the file itself may run nothing.
        builder = builder
            .header(header::X_FRAME_OPTIONS, "SAMEORIGIN")
            .header(
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
            );
    }
    let first_byte_asked = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|r| r.trim().starts_with("bytes=0-"));
    if !head && !inline && first_byte_asked {
        // A download (not a resumed part of one, not a preview) counts once.
        state.catalog.count_resource_download(rid).await;
    }

    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| etag_matches(v, &etag))
    {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .map_err(Error::internal);
    }
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let range = match headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        Some(r) if if_range_ok => match parse_range(r, size) {
            RangeRequest::Whole => None,
            RangeRequest::Part(r) => Some(r),
            RangeRequest::Unsatisfiable => {
                let msg = Error::new(
                    ErrorKind::BadRequest,
                    "range_not_satisfiable",
                    Msg::new("error-range-not-satisfiable"),
                );
                let mut resp = RestError::new(msg, sen_i18n::Lang::En).into_response();
                *resp.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                    resp.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                return Ok(resp);
            }
        },
        _ => None,
    };
    let (status, length) = match &range {
        Some(r) => {
            builder = builder.header(
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{size}", r.start, r.end - 1),
            );
            (StatusCode::PARTIAL_CONTENT, r.end - r.start)
        }
        None => (StatusCode::OK, size),
    };
    builder = builder
        .status(status)
        .header(header::CONTENT_LENGTH, length);
    if head || length == 0 {
        return builder.body(Body::empty()).map_err(Error::internal);
    }
    let download = state
        .catalog
        .storage
        .get(&file.storage_key, range)
        .await
        .map_err(|e| match e {
            sen_storage::StorageError::NotFound => {
                Error::not_found("file_not_found", Msg::new("error-file-not-found"))
            }
            other => Error::internal(other),
        })?;
    builder = builder.header(
        header::LAST_MODIFIED,
        httpdate::fmt_http_date(download.last_modified.into()),
    );
    let body = Body::from_stream(download.body.map_err(std::io::Error::other));
    builder.body(body).map_err(Error::internal)
}

/// Types a browser shows safely inside our page: PDF and raster images.
fn shown_inline(mimetype: &str) -> bool {
    matches!(
        mimetype,
        "application/pdf" | "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

fn content_type(mimetype: &str) -> String {
    let base = if mimetype.is_empty() {
        "application/octet-stream"
    } else {
        mimetype
    };
    if base.starts_with("text/") && !base.contains("charset") {
        format!("{base}; charset=utf-8")
    } else {
        base.to_string()
    }
}

fn etag_matches(header_value: &str, etag: &str) -> bool {
    header_value.split(',').any(|t| {
        let t = t.trim();
        t == "*" || t == etag || t.strip_prefix("W/") == Some(etag)
    })
}

#[derive(Debug, PartialEq)]
enum RangeRequest {
    Whole,
    Part(Range<u64>),
    Unsatisfiable,
}

/// A single `bytes=` range; several ranges are served whole (RFC 9110 allows it).
fn parse_range(value: &str, size: u64) -> RangeRequest {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return RangeRequest::Whole;
    };
    if spec.contains(',') {
        return RangeRequest::Whole;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return RangeRequest::Whole;
    };
    let (a, b) = (a.trim(), b.trim());
    let range = if a.is_empty() {
        match b.parse::<u64>() {
            Ok(0) => return RangeRequest::Unsatisfiable,
            Ok(n) => size.saturating_sub(n)..size,
            Err(_) => return RangeRequest::Whole,
        }
    } else {
        let Ok(start) = a.parse::<u64>() else {
            return RangeRequest::Whole;
        };
        let end = if b.is_empty() {
            size
        } else {
            match b.parse::<u64>() {
                Ok(e) if e >= start => (e + 1).min(size),
                _ => return RangeRequest::Whole,
            }
        };
        start..end
    };
    if range.start >= size || range.is_empty() {
        RangeRequest::Unsatisfiable
    } else {
        RangeRequest::Part(range)
    }
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266),
/// so "Danh sách đơn vị.csv" arrives intact and old clients get "Danh sach don vi.csv".
pub fn content_disposition(filename: &str) -> String {
    let ascii: String = filename
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c if c.is_ascii() && !c.is_ascii_control() && c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(filename, ATTR_CHAR).to_string();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Characters RFC 5987 allows unencoded in `filename*`.
const ATTR_CHAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), RangeRequest::Part(0..10));
        assert_eq!(parse_range("bytes=90-", 100), RangeRequest::Part(90..100));
        assert_eq!(parse_range("bytes=-5", 100), RangeRequest::Part(95..100));
        assert_eq!(
            parse_range("bytes=95-200", 100),
            RangeRequest::Part(95..100)
        );
        assert_eq!(parse_range("bytes=100-", 100), RangeRequest::Unsatisfiable);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), RangeRequest::Whole);
        assert_eq!(parse_range("items=0-1", 100), RangeRequest::Whole);
        assert_eq!(parse_range("bytes=5-2", 100), RangeRequest::Whole);
    }

    #[test]
    fn vietnamese_file_names() {
        assert_eq!(
            content_disposition("Đơn vị hành chính.csv"),
            "attachment; filename=\"Don vi hanh chinh.csv\"; filename*=UTF-8''%C4%90%C6%A1n%20v%E1%BB%8B%20h%C3%A0nh%20ch%C3%ADnh.csv"
        );
    }
}
