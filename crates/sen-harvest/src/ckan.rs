//! CKAN portals through the Action API, paged as ckanext-harvest's CKAN
//! harvester pages: `package_search` sorted by `id asc`, `rows` at a time,
//! `start` advancing, `fq=metadata_modified:[<since>Z TO *]` for an
//! incremental run (going back one hour for clocks that differ), and
//! duplicates seen on an earlier page dropped.

use crate::{
    get, parse_error, Budget, FetchLimits, Gathered, HarvestError, RemoteDataset, RemoteResource,
    MAX_PAGES,
};
use serde_json::Value;
use std::collections::HashSet;
use url::Url;

/// Datasets asked for per page.
pub const ROWS: usize = 100;
/// Names asked for per `package_list` page.
const LIST_ROWS: usize = 1000;

/// The portal's root from whatever the operator typed (`…/api/3/action` and
/// trailing slashes removed).
pub fn base_url(url: &str) -> String {
    let mut base = url.trim().trim_end_matches('/').to_string();
    for suffix in ["/api/3/action", "/api/action", "/api/3", "/api"] {
        if let Some(stripped) = base.strip_suffix(suffix) {
            base = stripped.to_string();
            break;
        }
    }
    base
}

/// The `fq` an incremental run sends for changes since `since` (ISO-8601, UTC).
pub fn since_fq(since: &str) -> Option<String> {
    let t = chrono_free_minus_hour(since)?;
    Some(format!("metadata_modified:[{t}Z TO *]"))
}

/// `since` minus one hour, written `YYYY-MM-DDTHH:MM:SS` (no zone).
fn chrono_free_minus_hour(since: &str) -> Option<String> {
    let t = sen_domain::time::parse(since)? - chrono::Duration::hours(1);
    Some(t.format("%Y-%m-%dT%H:%M:%S").to_string())
}

fn search_url(base: &str, start: usize, fq: Option<&str>) -> Result<String, HarvestError> {
    let mut u = Url::parse(&format!("{base}/api/3/action/package_search")).map_err(|_| {
        HarvestError::Fetch {
            url: base.to_string(),
            error: crate::FetchError::BadUrl(base.to_string()),
        }
    })?;
    {
        let mut q = u.query_pairs_mut();
        q.append_pair("rows", &ROWS.to_string())
            .append_pair("start", &start.to_string())
            .append_pair("sort", "id asc");
        if let Some(fq) = fq {
            q.append_pair("fq", fq);
        }
    }
    Ok(u.to_string())
}

pub(crate) async fn gather(
    url: &str,
    since: Option<&str>,
    limits: &FetchLimits,
) -> Result<Gathered, HarvestError> {
    let base = base_url(url);
    let fq = since.and_then(since_fq);
    let mut out = Gathered {
        complete: fq.is_none(),
        ..Default::default()
    };
    let mut seen: HashSet<String> = HashSet::new();
    let mut previous: Option<bytes::Bytes> = None;
    let mut start = 0usize;
    let mut budget = Budget::new(limits);
    loop {
        if out.pages >= MAX_PAGES {
            return Err(HarvestError::TooManyPages(MAX_PAGES));
        }
        let page_url = search_url(&base, start, fq.as_deref())?;
        let page = get(&page_url, "application/json", limits).await?;
        budget.spend(&page_url, page.body.len())?;
        out.pages += 1;
        if previous.as_ref() == Some(&page.body) {
            return Err(HarvestError::PagingLoop { url: page_url });
        }
        let results = parse_search_page(&page_url, &page.body)?;
        if results.is_empty() {
            break;
        }
        for (i, pkg) in results.iter().enumerate() {
            match read_package(&base, pkg) {
                Ok(d) => {
                    if seen.insert(d.remote_id.clone()) {
                        out.datasets.push(d);
                    }
                }
                Err(msg) => out.skipped.push((format!("{}#{}", page_url, i + 1), msg)),
            }
        }
        previous = Some(page.body);
        start += ROWS;
    }
    if fq.is_some() {
        out.alive_names = list_names(&base, limits).await;
    }
    Ok(out)
}

/// Every dataset name the portal lists (`package_list`, paged); `None` when
/// it cannot say (then nothing is withdrawn on an incremental run).
async fn list_names(base: &str, limits: &FetchLimits) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut offset = 0usize;
    for _ in 0..MAX_PAGES {
        let url = format!("{base}/api/3/action/package_list?limit={LIST_ROWS}&offset={offset}");
        let page = get(&url, "application/json", limits).await.ok()?;
        let v: Value = serde_json::from_slice(&page.body).ok()?;
        let list = v.get("result")?.as_array()?;
        if list.is_empty() {
            return Some(names);
        }
        let before = names.len();
        names.extend(list.iter().filter_map(|n| n.as_str().map(str::to_string)));
        if names.len() == before || list.len() < LIST_ROWS {
            return Some(names);
        }
        offset += LIST_ROWS;
    }
    None
}

/// The `results` of a `package_search` answer.
pub fn parse_search_page(url: &str, body: &[u8]) -> Result<Vec<Value>, HarvestError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| parse_error(url, format!("not JSON: {e}")))?;
    if v.get("success") == Some(&Value::Bool(false)) {
        return Err(parse_error(url, "the portal answered success: false"));
    }
    let results = v
        .get("result")
        .and_then(|r| r.get("results"))
        .and_then(Value::as_array)
        .ok_or_else(|| parse_error(url, "no result.results list"))?;
    Ok(results.clone())
}

fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A CKAN package dictionary as a remote dataset.
pub fn read_package(base: &str, p: &Value) -> Result<RemoteDataset, sen_domain::Msg> {
    if !p.is_object() {
        return Err(sen_domain::Msg::new("harvest-error-object-shape"));
    }
    let id = text(p, "id");
    let name = text(p, "name");
    let remote_id = if id.is_empty() { name.clone() } else { id };
    if remote_id.is_empty() {
        return Err(sen_domain::Msg::new("harvest-error-object-no-id"));
    }
    let title = text(p, "title");
    let private = p.get("private").and_then(Value::as_bool).unwrap_or(false);
    let access_level = match text(p, "access_level").as_str() {
        l @ ("open" | "shared" | "internal") if !(private && l == "open") => l.to_string(),
        _ if private => "internal".to_string(),
        _ => "open".to_string(),
    };
    let tags = p
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(|t| match t {
                    Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
                    Value::String(s) => Some(s.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let extras = p
        .get("extras")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|e| {
                    let key = e.get("key")?.as_str()?.trim().to_string();
                    let value = match e.get("value") {
                        Some(Value::String(s)) => s.clone(),
                        Some(Value::Null) | None => String::new(),
                        Some(other) => other.to_string(),
                    };
                    // Another harvester's provenance is not ours to copy.
                    (!key.is_empty() && !key.starts_with("harvest_")).then_some((key, value))
                })
                .collect()
        })
        .unwrap_or_default();
    let resources = p
        .get("resources")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter(|r| r.get("state").and_then(Value::as_str).unwrap_or("active") == "active")
                .filter_map(|r| {
                    let url = text(r, "url");
                    (!url.is_empty()).then(|| RemoteResource {
                        name: text(r, "name"),
                        description: text(r, "description"),
                        url,
                        format: text(r, "format"),
                        mimetype: text(r, "mimetype"),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let object_url = if name.is_empty() {
        format!("{base}/api/3/action/package_show?id={remote_id}")
    } else {
        format!("{base}/dataset/{name}")
    };
    Ok(RemoteDataset {
        remote_id,
        remote_name: name,
        object_url,
        modified: text(p, "metadata_modified"),
        title,
        notes: text(p, "notes"),
        url: text(p, "url"),
        version: text(p, "version"),
        author: text(p, "author"),
        author_email: text(p, "author_email"),
        maintainer: text(p, "maintainer"),
        maintainer_email: text(p, "maintainer_email"),
        license: text(p, "license_id"),
        tags,
        frequency: text(p, "frequency"),
        language: text(p, "language"),
        spatial: text(p, "spatial"),
        temporal_start: crate::date_prefix(&text(p, "temporal_start")),
        temporal_end: crate::date_prefix(&text(p, "temporal_end")),
        identifier: text(p, "identifier"),
        contact_name: text(p, "contact_name"),
        contact_email: text(p, "contact_email"),
        extras,
        resources,
        access_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_drops_the_api_path() {
        assert_eq!(base_url("https://data.gov.vn/"), "https://data.gov.vn");
        assert_eq!(
            base_url("https://data.gov.vn/api/3/action/"),
            "https://data.gov.vn"
        );
        assert_eq!(
            base_url("https://x.vn/ckan/api/action"),
            "https://x.vn/ckan"
        );
    }

    #[test]
    fn since_goes_back_one_hour_as_ckanext_harvest_does() {
        assert_eq!(
            since_fq("2025-03-01T10:20:30.123456").as_deref(),
            Some("metadata_modified:[2025-03-01T09:20:30Z TO *]")
        );
        assert_eq!(since_fq("garbage"), None);
    }

    #[test]
    fn private_remote_data_never_reads_as_open() {
        let p =
            serde_json::json!({"id": "a", "name": "a", "private": true, "access_level": "open"});
        assert_eq!(
            read_package("http://x", &p).unwrap().access_level,
            "internal"
        );
        let p = serde_json::json!({"id": "a", "name": "a", "access_level": "shared"});
        assert_eq!(read_package("http://x", &p).unwrap().access_level, "shared");
        let p = serde_json::json!({"name": ""});
        assert!(read_package("http://x", &p).is_err());
    }
}
