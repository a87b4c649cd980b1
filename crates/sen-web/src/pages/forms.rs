//! What every form handler needs: submitted fields, the anti-forgery check,
//! redirects that set cookies, and catalogue errors turned into messages
//! beside the fields they concern.

use super::routes::Page;
use crate::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{json, Map, Value};

/// Submitted form fields in order; repeated names (checkboxes) repeat.
pub(crate) type Pairs = Vec<(String, String)>;

/// The first value of a field, or "".
pub(crate) fn first<'a>(f: &'a Pairs, key: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Every value of a repeated field.
pub(crate) fn all<'a>(f: &'a Pairs, key: &str) -> Vec<&'a str> {
    f.iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The 403 page of a form whose anti-forgery token is missing or wrong.
pub(crate) fn forbidden_form(page: &Page, state: &AppState) -> Response {
    page.respond(
        state,
        StatusCode::FORBIDDEN,
        "error.html",
        "/",
        json!({"status": 403, "title_key": "ui-error-403-title", "message_key": "ui-error-csrf"}),
    )
}

/// The 403 page of a signed-in visitor who may not do this.
pub(crate) fn not_allowed(page: &Page, state: &AppState, path: &str) -> Response {
    page.respond(
        state,
        StatusCode::FORBIDDEN,
        "error.html",
        path,
        json!({"status": 403, "title_key": "ui-error-403-title", "message_key": "ui-error-403-text"}),
    )
}

/// Where an anonymous visitor goes for a page that needs an account; they
/// come back to `next` after logging in.
pub(crate) fn login_first(next: &str) -> Response {
    let next = percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC);
    Redirect::to(&format!("/user/login?next={next}")).into_response()
}

/// Only local paths are followed after log-in (no open redirect).
pub(crate) fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/user/me"
    }
}

pub(crate) fn redirect_with_cookie(to: &str, cookie: String) -> Response {
    let mut resp = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

/// Translated field errors of a catalogue error, for a form: each bad field
/// gets its messages; an error about no field in particular goes to "form".
pub(crate) fn field_errors(page: &Page, e: &sen_domain::Error) -> Value {
    let mut out = Map::new();
    for (f, msgs) in &e.fields {
        let text: Vec<String> = msgs
            .iter()
            .map(|m| crate::error::translate(page.lang, m))
            .collect();
        out.insert(f.clone(), json!(text.join("; ")));
    }
    if out.is_empty() {
        out.insert(
            "form".into(),
            json!(crate::error::translate(page.lang, &e.message)),
        );
    }
    Value::Object(out)
}

/// A URL name made from a title: accents folded, lower case, words joined by
/// hyphens ("Dân số Hà Nội 2024" → "dan-so-ha-noi-2024").
pub(crate) fn slug(title: &str) -> String {
    let folded = sen_domain::fold::fold(title).to_lowercase();
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(90).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_vietnamese() {
        assert_eq!(slug("Dân số Hà Nội 2024"), "dan-so-ha-noi-2024");
        assert_eq!(slug("  Đường bộ — quốc lộ 1A  "), "duong-bo-quoc-lo-1a");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/dataset/new"), "/dataset/new");
        assert_eq!(safe_next("//evil.example"), "/user/me");
        assert_eq!(safe_next("https://evil.example"), "/user/me");
        assert_eq!(safe_next("/\\evil"), "/user/me");
    }
}
