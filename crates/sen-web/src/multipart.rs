//! Reading request bodies into an action's input: JSON, url-encoded forms and
//! multipart forms whose file part is streamed straight into storage.

use crate::AppState;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;
use futures::TryStreamExt;
use sen_catalog::{Dict, Upload};
use sen_domain::{Error, ErrorKind, Msg, Result};
use sen_storage::StorageError;
use serde_json::Value;

/// Query-string or form pairs into a dictionary; repeated keys become lists.
pub fn pairs_to_dict(pairs: Vec<(String, String)>) -> Dict {
    let mut d = Dict::new();
    for (k, v) in pairs {
        match d.get_mut(&k) {
            Some(Value::Array(list)) => list.push(Value::String(v)),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, Value::String(v)]);
            }
            None => {
                d.insert(k, Value::String(v));
            }
        }
    }
    d
}

pub fn parse_query(query: Option<&str>) -> Result<Dict> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or("")).map_err(|e| {
            Error::bad_request(
                "malformed_query",
                Msg::new("error-bad-form").arg("detail", e),
            )
        })?;
    Ok(pairs_to_dict(pairs))
}

/// The storage error an upload failure becomes.
pub fn upload_error(e: StorageError) -> Error {
    match e {
        StorageError::TooLarge { limit } => {
            let mut err = Error::field(
                "upload",
                Msg::new("error-too-large").arg("limit", human_size(limit)),
            );
            err.kind = ErrorKind::PayloadTooLarge;
            err.code = "payload_too_large";
            err.message = Msg::new("error-too-large").arg("limit", human_size(limit));
            err
        }
        StorageError::Interrupted(_) => {
            Error::bad_request("upload_interrupted", Msg::new("error-upload-interrupted"))
        }
        other => Error::internal(other),
    }
}

pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

/// Reads a POST body into a dictionary and, for multipart, an uploaded file
/// (already stored). The caller deletes the file if the action then fails.
pub async fn read_body(state: &AppState, req: Request) -> Result<(Dict, Option<Upload>)> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        return read_multipart(state, req).await;
    }
    let bytes = axum::body::to_bytes(req.into_body(), state.config.max_body_bytes)
        .await
        .map_err(|_| {
            let mut e = Error::bad_request(
                "payload_too_large",
                Msg::new("error-too-large")
                    .arg("limit", human_size(state.config.max_body_bytes as u64)),
            );
            e.kind = ErrorKind::PayloadTooLarge;
            e
        })?;
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            Error::bad_request(
                "malformed_form",
                Msg::new("error-bad-form").arg("detail", e),
            )
        })?;
        return Ok((parse_query(Some(text))?, None));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok((Dict::new(), None));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok((map, None)),
        Ok(_) => Err(Error::bad_request(
            "body_not_object",
            Msg::new("error-body-not-object"),
        )),
        Err(e) => Err(Error::bad_request(
            "malformed_json",
            Msg::new("error-bad-json").arg("detail", e),
        )),
    }
}

async fn read_multipart(state: &AppState, req: Request) -> Result<(Dict, Option<Upload>)> {
    let bad = |e: &dyn std::fmt::Display| {
        Error::bad_request(
            "malformed_form",
            Msg::new("error-bad-form").arg("detail", e),
        )
    };
    let mut multipart = Multipart::from_request(req, state)
        .await
        .map_err(|e| bad(&e))?;
    let mut pairs = Vec::new();
    let mut upload: Option<Upload> = None;
    let outcome: Result<()> = async {
        while let Some(field) = multipart.next_field().await.map_err(|e| bad(&e))? {
            let name = field.name().unwrap_or("").to_string();
            match field.file_name().map(str::to_string) {
                Some(filename) if upload.is_none() && !filename.is_empty() => {
                    let content_type = field.content_type().map(str::to_string);
                    let key = format!("files/{}", uuid::Uuid::new_v4());
                    let limit = state.catalog.config.max_upload_bytes;
                    let stream = field.map_err(|e| std::io::Error::other(e.to_string()));
                    let stored = state
                        .catalog
                        .storage
                        .put_stream(&key, stream, limit)
                        .await
                        .map_err(upload_error)?;
                    upload = Some(Upload {
                        key: stored.key,
                        filename,
                        size: stored.size,
                        sha256: stored.sha256,
                        content_type,
                    });
                }
                _ => {
                    let text = field.text().await.map_err(|e| bad(&e))?;
                    if name != "upload" || !text.is_empty() {
                        pairs.push((name, text));
                    }
                }
            }
        }
        Ok(())
    }
    .await;
    if let Err(e) = outcome {
        if let Some(u) = &upload {
            let _ = state.catalog.storage.delete(&u.key).await;
        }
        return Err(e);
    }
    Ok((pairs_to_dict(pairs), upload))
}
