//! The CKAN Action API v3 at `/api/3/action/{name}` and `/api/action/{name}`.

use crate::actor::{actor_from_headers, client_key, language};
use crate::error::CkanError;
use crate::multipart::{parse_query, read_body};
use crate::AppState;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sen_catalog::{Catalog, Dict, Upload};
use sen_domain::{Error, ErrorKind, Msg};
use serde_json::{json, Value};
use std::net::SocketAddr;

fn help_url(state: &AppState, name: &str) -> String {
    format!(
        "{}/api/3/action/help_show?name={name}",
        state.catalog.config.site_url.trim_end_matches('/')
    )
}

pub async fn api_version() -> Json<Value> {
    Json(json!({"version": 3}))
}

pub async fn action_get(state: State<AppState>, path: Path<String>, req: Request) -> Response {
    handle(state, path, req, false).await
}

pub async fn action_post(state: State<AppState>, path: Path<String>, req: Request) -> Response {
    handle(state, path, req, true).await
}

async fn handle(
    State(state): State<AppState>,
    Path(name): Path<String>,
    req: Request,
    post: bool,
) -> Response {
    let query = req.uri().query().map(str::to_string);
    let query_dict = parse_query(query.as_deref()).unwrap_or_default();
    let lang = language(
        req.headers(),
        query_dict.get("lang").and_then(Value::as_str),
    );
    let help = help_url(&state, &name);
    let fail = |error: Error| {
        CkanError {
            error,
            lang,
            help: help.clone(),
        }
        .into_response()
    };

    if !Catalog::ACTIONS.contains(&name.as_str()) {
        return fail(Error::bad_request(
            "unknown_action",
            Msg::new("error-unknown-action").arg("action", &name),
        ));
    }
    let write = Catalog::is_write_action(&name);
    if write && !post {
        return fail(Error::bad_request(
            "post_required",
            Msg::new("error-method-not-allowed"),
        ));
    }
    let actor = match actor_from_headers(&state, req.headers()).await {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    if write {
        if actor.user.is_none() {
            // Refuse before reading (and storing) any upload.
            return fail(Error::sign_in_required());
        }
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        if !state.limiter.allow(&client_key(req.headers(), peer)) {
            return fail(Error::new(
                ErrorKind::BadRequest,
                "rate_limited",
                Msg::new("error-rate-limited"),
            ))
            .into_response()
            .with_status(axum::http::StatusCode::TOO_MANY_REQUESTS);
        }
    }
    let (data, upload): (Dict, Option<Upload>) = if post {
        match read_body(&state, req).await {
            Ok(mut parsed) => {
                // CKAN merges query parameters under the body's.
                for (k, v) in query_dict {
                    parsed.0.entry(k).or_insert(v);
                }
                parsed
            }
            Err(e) => return fail(e),
        }
    } else {
        (query_dict, None)
    };
    let upload_key = upload.as_ref().map(|u| u.key.clone());
    let result = state.catalog.run_action(&name, &actor, &data, upload).await;
    match result {
        Some(Ok(result)) => {
            Json(json!({"help": help, "success": true, "result": result})).into_response()
        }
        Some(Err(e)) => {
            if let Some(key) = upload_key {
                if let Err(del) = state.catalog.storage.delete(&key).await {
                    tracing::warn!(%del, key, "could not remove the file of a failed upload");
                }
            }
            if e.kind == ErrorKind::Internal {
                tracing::error!(action = %name, error = %e, "action failed");
            }
            fail(e)
        }
        None => fail(Error::bad_request(
            "unknown_action",
            Msg::new("error-unknown-action").arg("action", &name),
        )),
    }
}

trait WithStatus {
    fn with_status(self, status: axum::http::StatusCode) -> Response;
}

impl WithStatus for Response {
    fn with_status(mut self, status: axum::http::StatusCode) -> Response {
        *self.status_mut() = status;
        self
    }
}
