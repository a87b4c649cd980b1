//! Errors as each API shows them. CKAN clients decide by `__type`, so the CKAN
//! surface uses exactly CKAN's type strings and statuses; the REST surface uses
//! a meilisearch-style body: `message`, `code` (stable, documented in
//! docs/errors.md), `type` and `link`. Messages are in the caller's language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sen_domain::{Error, ErrorKind, Msg};
use sen_i18n::{t, Lang};
use serde_json::{json, Map, Value};

pub fn translate(lang: Lang, msg: &Msg) -> String {
    let args: Vec<(&str, String)> = msg.args.iter().map(|(k, v)| (*k, v.clone())).collect();
    t(lang, msg.key, &args)
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Validation => StatusCode::CONFLICT,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::SearchQuery | ErrorKind::Integrity | ErrorKind::BadRequest => {
            StatusCode::BAD_REQUEST
        }
        ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn ckan_type(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Validation | ErrorKind::PayloadTooLarge => "Validation Error",
        ErrorKind::NotFound => "Not Found Error",
        ErrorKind::Forbidden => "Authorization Error",
        ErrorKind::SearchQuery => "Search Query Error",
        ErrorKind::Integrity => "Integrity Error",
        ErrorKind::BadRequest => "Bad request",
        ErrorKind::Internal => "Internal Server Error",
    }
}

fn fields_json(lang: Lang, e: &Error) -> Map<String, Value> {
    e.fields
        .iter()
        .map(|(f, msgs)| {
            (
                f.clone(),
                json!(msgs.iter().map(|m| translate(lang, m)).collect::<Vec<_>>()),
            )
        })
        .collect()
}

/// An error rendered in CKAN's envelope.
pub struct CkanError {
    pub error: Error,
    pub lang: Lang,
    pub help: String,
}

impl IntoResponse for CkanError {
    fn into_response(self) -> Response {
        let e = &self.error;
        let mut body = Map::new();
        body.insert("__type".into(), json!(ckan_type(e.kind)));
        if e.kind == ErrorKind::Validation || e.kind == ErrorKind::PayloadTooLarge {
            if e.fields.is_empty() {
                body.insert("message".into(), json!(translate(self.lang, &e.message)));
            }
            body.extend(fields_json(self.lang, e));
        } else {
            body.insert("message".into(), json!(translate(self.lang, &e.message)));
        }
        let status = status_of(e.kind);
        let envelope = json!({"help": self.help, "success": false, "error": body});
        (status, Json(envelope)).into_response()
    }
}

/// An error rendered for the REST API.
pub struct RestError {
    pub error: Error,
    pub lang: Lang,
}

impl RestError {
    pub fn new(error: Error, lang: Lang) -> Self {
        Self { error, lang }
    }
}

fn rest_type(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Validation
        | ErrorKind::SearchQuery
        | ErrorKind::BadRequest
        | ErrorKind::PayloadTooLarge
        | ErrorKind::Integrity => "invalid_request",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Forbidden => "auth",
        ErrorKind::Internal => "internal",
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        let e = &self.error;
        let mut body = json!({
            "message": translate(self.lang, &e.message),
            "code": e.code,
            "type": rest_type(e.kind),
            "link": format!("https://sen.example/docs/errors#{}", e.code),
        });
        if !e.fields.is_empty() {
            body["fields"] = Value::Object(fields_json(self.lang, e));
        }
        (status_of(e.kind), Json(body)).into_response()
    }
}
