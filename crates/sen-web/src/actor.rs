//! Who is calling: the API token from `Authorization` (raw, CKAN style, or
//! `Bearer …`) or `X-CKAN-API-Key`; and in which language to answer.

use crate::AppState;
use axum::http::HeaderMap;
use sen_catalog::Actor;
use sen_domain::Result;
use sen_i18n::Lang;

pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    let raw = headers
        .get("authorization")
        .or_else(|| headers.get("x-ckan-api-key"))
        .and_then(|v| v.to_str().ok())?
        .trim();
    let token = raw
        .strip_prefix("Bearer ")
        .or_else(|| raw.strip_prefix("bearer "))
        .unwrap_or(raw)
        .trim();
    (!token.is_empty()).then(|| token.to_string())
}

pub async fn actor_from_headers(state: &AppState, headers: &HeaderMap) -> Result<Actor> {
    match token_from_headers(headers) {
        Some(token) => state.catalog.authenticate_token(&token).await,
        None => Ok(Actor::anonymous()),
    }
}

/// `?lang=` wins, then `Accept-Language`; Vietnamese by default.
pub fn language(headers: &HeaderMap, query_lang: Option<&str>) -> Lang {
    if let Some(l) = query_lang.and_then(Lang::parse) {
        return l;
    }
    sen_i18n::negotiate(headers.get("accept-language").and_then(|v| v.to_str().ok()))
}

/// A key identifying the client for rate limits: its token, else its address.
pub fn client_key(headers: &HeaderMap, peer: Option<std::net::SocketAddr>) -> String {
    if let Some(t) = token_from_headers(headers) {
        return format!("t:{}", sen_catalog::auth::hash_token(&t));
    }
    peer.map(|p| format!("ip:{}", p.ip()))
        .unwrap_or_else(|| "local".into())
}
