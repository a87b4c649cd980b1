//! Sen's HTTP surface: the CKAN Action API v3, the REST API with its OpenAPI
//! document, and file downloads. Only this crate knows HTTP; every rule lives
//! in the catalogue, which this crate calls.

mod actor;
mod ckan;
mod download;
mod dump;
mod error;
mod exports;
mod inventory_api;
mod limits;
mod multipart;
mod pages;
mod rest;
mod security;

pub use rest::openapi_document;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use sen_catalog::Catalog;
use std::sync::Arc;
use std::time::Duration;

/// HTTP settings, filled from the binary's configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Largest JSON or form body (not uploads), in bytes.
    pub max_body_bytes: usize,
    /// Write requests allowed per client per minute (0 = unlimited).
    pub writes_per_minute: u32,
    /// Send `Strict-Transport-Security` and secure cookies (behind TLS).
    pub behind_tls: bool,
    /// A theme directory whose `templates/` and `static/` override the embedded ones.
    pub theme_dir: Option<std::path::PathBuf>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 16 * 1024 * 1024,
            writes_per_minute: 600,
            behind_tls: false,
            theme_dir: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub catalog: Catalog,
    pub config: Arc<WebConfig>,
    pub(crate) limiter: Arc<limits::RateLimiter>,
    pub(crate) pages: Arc<pages::Pages>,
    /// Log-in and registration attempts per name or client.
    pub(crate) login_limiter: Arc<limits::RateLimiter>,
    /// Problem reports per account or client address.
    pub(crate) feedback_limiter: Arc<limits::RateLimiter>,
}

impl AppState {
    pub fn new(catalog: Catalog, config: WebConfig) -> Self {
        let limiter = limits::RateLimiter::new(config.writes_per_minute, Duration::from_secs(60));
        let pages = pages::Pages::new(config.theme_dir.clone());
        Self {
            catalog,
            config: Arc::new(config),
            limiter: Arc::new(limiter),
            pages: Arc::new(pages),
            login_limiter: Arc::new(limits::RateLimiter::new(10, Duration::from_secs(60))),
            feedback_limiter: Arc::new(limits::RateLimiter::new(5, Duration::from_secs(600))),
        }
    }
}

/// The whole application: every route, with the security layers.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route(
            "/api/3/action/{name}",
            get(ckan::action_get).post(ckan::action_post),
        )
        .route(
            "/api/action/{name}",
            get(ckan::action_get).post(ckan::action_post),
        )
        .route("/api/3", get(ckan::api_version))
        .route("/api/3/", get(ckan::api_version))
        .merge(rest::routes())
        .merge(inventory_api::routes())
        .merge(download::routes())
        .merge(dump::routes())
        .merge(exports::routes())
        .merge(pages::routes())
        .fallback(pages::fallback)
        .route("/healthz", get(health));
    security::layers(api, &state.config)
        // Uploads are limited by the storage layer while streaming; JSON bodies
        // are limited where they are read.
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}

async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let db = state.catalog.db.ping().await;
    let storage = state.catalog.storage.ping().await;
    let status = if db && storage {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        axum::Json(serde_json::json!({"database": db, "storage": storage})),
    )
        .into_response()
}
