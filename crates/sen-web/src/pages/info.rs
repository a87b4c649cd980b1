//! Pages that explain: about the portal (the operator's text and contacts)
//! and the licences data is published under, in plain language.

use super::routes::{read, Page};
use crate::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/about", get(about))
        .route("/licenses", get(licenses))
}

async fn about(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let settings = state.catalog.settings().await;
    let get = |k: &str| settings.get(k).cloned().unwrap_or_default();
    page.respond(
        &state,
        StatusCode::OK,
        "about.html",
        "/about",
        json!({
            "about": get("ckan.site_about"),
            "contact_email": get("sen.contact_email"),
            "contact_address": get("sen.contact_address"),
        }),
    )
}

/// What a licence asks of those who reuse the data, read from its id and
/// flags: attribution, share-alike, non-commercial, or nothing at all.
fn conditions(l: &Value) -> Vec<&'static str> {
    let id = l["id"].as_str().unwrap_or_default();
    let parts: Vec<&str> = id.split(['-', '.', '_']).collect();
    let has = |p: &str| parts.contains(&p);
    if has("zero") || has("pddl") || has("pd") || id == "cc0" {
        return vec!["ui-license-cond-none"];
    }
    let mut out = Vec::new();
    if has("by") || has("at") || has("odbl") || has("ogl") || id == "other-open" {
        out.push("ui-license-cond-attribution");
    }
    if has("sa") || has("odbl") || has("gfdl") {
        out.push("ui-license-cond-share-alike");
    }
    if has("nc") {
        out.push("ui-license-cond-non-commercial");
    }
    if l["is_okd_compliant"] != true {
        out.push("ui-license-cond-not-open");
    }
    if id == "notspecified" {
        out = vec!["ui-license-cond-unspecified"];
    }
    out
}

async fn licenses(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let page = Page::load(&state, &headers, q.as_deref()).await;
    let list = read(&state, &page, "license_list", json!({}))
        .await
        .unwrap_or(json!([]));
    let explained: Vec<Value> = list
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|l| {
            let c = conditions(&l);
            json!({"l": l, "conditions": c})
        })
        .collect();
    page.respond(
        &state,
        StatusCode::OK,
        "licenses.html",
        "/licenses",
        json!({"licenses": explained}),
    )
}

#[cfg(test)]
mod tests {
    use super::conditions;
    use serde_json::json;

    #[test]
    fn licence_conditions_follow_their_family() {
        let c = |id: &str, open: bool| conditions(&json!({"id": id, "is_okd_compliant": open}));
        assert_eq!(c("cc-by-4.0", true), vec!["ui-license-cond-attribution"]);
        assert_eq!(
            c("cc-by-sa", true),
            vec!["ui-license-cond-attribution", "ui-license-cond-share-alike"]
        );
        assert_eq!(
            c("odc-odbl", true),
            vec!["ui-license-cond-attribution", "ui-license-cond-share-alike"]
        );
        assert_eq!(c("cc-zero", true), vec!["ui-license-cond-none"]);
        assert_eq!(c("odc-pddl", true), vec!["ui-license-cond-none"]);
        assert_eq!(
            c("cc-nc", false),
            vec!["ui-license-cond-non-commercial", "ui-license-cond-not-open"]
        );
        assert_eq!(c("other-closed", false), vec!["ui-license-cond-not-open"]);
        assert_eq!(
            c("notspecified", false),
            vec!["ui-license-cond-unspecified"]
        );
    }
}
