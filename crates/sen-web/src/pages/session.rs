//! Browser sessions and forgery protection. The session cookie holds a random
//! token (the database keeps only its hash); it is HttpOnly, SameSite=Lax, and
//! Secure behind TLS. Every form carries a token that must equal the
//! `sen_csrf` cookie (double submit): another site can neither read the
//! cookie nor set it, so it cannot forge the form.

use crate::AppState;
use axum::http::{header, HeaderMap};
use sen_catalog::Actor;

pub const SESSION_COOKIE: &str = "sen_session";
pub const CSRF_COOKIE: &str = "sen_csrf";

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The visitor: the session's user, or anonymous (also when the session is
/// unknown or expired, or the database cannot say).
pub async fn actor(state: &AppState, headers: &HeaderMap) -> Actor {
    match cookie(headers, SESSION_COOKIE) {
        Some(token) => state
            .catalog
            .session_actor(&token)
            .await
            .unwrap_or_default(),
        None => Actor::anonymous(),
    }
}

fn secure(behind_tls: bool) -> &'static str {
    if behind_tls {
        "; Secure"
    } else {
        ""
    }
}

pub fn session_cookie(token: &str, behind_tls: bool) -> String {
    let max_age = sen_catalog::auth::SESSION_DAYS * 86_400;
    format!(
        "{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        secure(behind_tls)
    )
}

pub fn clear_session_cookie(behind_tls: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        secure(behind_tls)
    )
}

pub fn csrf_cookie(token: &str, behind_tls: bool) -> String {
    format!(
        "{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        secure(behind_tls)
    )
}

/// Whether a submitted form carries the visitor's anti-forgery token.
pub fn csrf_ok(headers: &HeaderMap, submitted: Option<&str>) -> bool {
    match (cookie(headers, CSRF_COOKIE), submitted) {
        (Some(expected), Some(got)) => {
            expected.len() >= 32 && constant_time_eq(expected.as_bytes(), got.as_bytes())
        }
        _ => false,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
