//! Security headers on every response and request tracing.

use crate::WebConfig;
use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// No inline scripts, nothing from other origins.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

pub fn layers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    config: &WebConfig,
) -> Router<S> {
    let mut r = router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ));
    if config.behind_tls {
        r = r.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ));
    }
    r.layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_page))
        .layer(TraceLayer::new_for_http())
}

/// A bug answered as a 500 page in both languages (the request, and so the
/// visitor's language, is gone by the time a panic is caught); logged.
fn panic_page(err: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = detail, "a request handler panicked");
    let vi = sen_i18n::t(sen_i18n::Lang::Vi, "ui-error-500-text", &[]);
    let en = sen_i18n::t(sen_i18n::Lang::En, "ui-error-500-text", &[]);
    let title_vi = sen_i18n::t(sen_i18n::Lang::Vi, "ui-error-500-title", &[]);
    let title_en = sen_i18n::t(sen_i18n::Lang::En, "ui-error-500-title", &[]);
    let html = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>500</title>\
         <link rel=\"stylesheet\" href=\"/static/sen.css\"></head><body><main class=\"wrap\">\
         <h1>{title_vi}</h1><p>{vi}</p><div lang=\"en\"><h2>{title_en}</h2><p>{en}</p></div>\
         <p><a href=\"/\">↩</a></p></main></body></html>"
    );
    (
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        axum::response::Html(html),
    )
        .into_response()
}
