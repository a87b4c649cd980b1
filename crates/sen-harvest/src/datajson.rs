//! DCAT-US (Project Open Data) catalogues: one `data.json` document whose
//! `dataset` list holds every dataset, each with `identifier`, `title`,
//! `description`, `keyword`, `modified`, `publisher`, `contactPoint`,
//! `accessLevel`, `license` and `distribution`.

use crate::{
    get, parse_error, strip_mailto, FetchLimits, Gathered, HarvestError, RemoteDataset,
    RemoteResource,
};
use serde_json::Value;
use std::collections::HashSet;

pub(crate) async fn gather(url: &str, limits: &FetchLimits) -> Result<Gathered, HarvestError> {
    let page = get(url, "application/json", limits).await?;
    let mut out = parse(url, &page.body)?;
    out.pages = 1;
    Ok(out)
}

/// Reads a whole `data.json`.
pub fn parse(url: &str, body: &[u8]) -> Result<Gathered, HarvestError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| parse_error(url, format!("not JSON: {e}")))?;
    let list = v
        .get("dataset")
        .and_then(Value::as_array)
        .ok_or_else(|| parse_error(url, "no dataset list"))?;
    let mut out = Gathered {
        complete: true,
        ..Default::default()
    };
    let mut seen = HashSet::new();
    for (i, d) in list.iter().enumerate() {
        match read_dataset(url, d) {
            Ok(d) => {
                if seen.insert(d.remote_id.clone()) {
                    out.datasets.push(d);
                }
            }
            Err(msg) => out.skipped.push((format!("{url}#dataset[{i}]"), msg)),
        }
    }
    Ok(out)
}

fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// `accessLevel` in Sen's terms: public → open, restricted public → shared,
/// non-public (or anything unknown) → internal.
pub fn access_level(s: &str) -> &'static str {
    match s.trim().to_ascii_lowercase().as_str() {
        "public" => "open",
        "restricted public" => "shared",
        _ => "internal",
    }
}

fn read_dataset(source: &str, d: &Value) -> Result<RemoteDataset, sen_domain::Msg> {
    if !d.is_object() {
        return Err(sen_domain::Msg::new("harvest-error-object-shape"));
    }
    let remote_id = text(d, "identifier");
    if remote_id.is_empty() {
        return Err(sen_domain::Msg::new("harvest-error-object-no-id"));
    }
    let tags = d
        .get("keyword")
        .and_then(Value::as_array)
        .map(|k| {
            k.iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let contact = d.get("contactPoint").cloned().unwrap_or(Value::Null);
    let publisher = d
        .get("publisher")
        .map(|p| text(p, "name"))
        .unwrap_or_default();
    let (temporal_start, temporal_end) = match text(d, "temporal").split_once('/') {
        Some((a, b)) => (crate::date_prefix(a), crate::date_prefix(b)),
        None => (String::new(), String::new()),
    };
    let resources = d
        .get("distribution")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|r| {
                    let mut url = text(r, "downloadURL");
                    if url.is_empty() {
                        url = text(r, "accessURL");
                    }
                    (!url.is_empty()).then(|| RemoteResource {
                        name: text(r, "title"),
                        description: text(r, "description"),
                        url,
                        format: text(r, "format"),
                        mimetype: text(r, "mediaType"),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let landing = text(d, "landingPage");
    let mut extras = Vec::new();
    for key in [
        "bureauCode",
        "programCode",
        "theme",
        "references",
        "conformsTo",
    ] {
        let v = text(d, key);
        if !v.is_empty() {
            extras.push((key.to_string(), v));
        }
    }
    Ok(RemoteDataset {
        object_url: if landing.is_empty() {
            format!("{source}#{remote_id}")
        } else {
            landing.clone()
        },
        identifier: remote_id.clone(),
        remote_id,
        remote_name: String::new(),
        modified: text(d, "modified"),
        title: text(d, "title"),
        notes: text(d, "description"),
        url: landing,
        version: String::new(),
        author: publisher,
        author_email: String::new(),
        maintainer: text(&contact, "fn"),
        maintainer_email: strip_mailto(&text(&contact, "hasEmail")),
        license: text(d, "license"),
        tags,
        frequency: text(d, "accrualPeriodicity"),
        language: text(d, "language"),
        spatial: text(d, "spatial"),
        temporal_start,
        temporal_end,
        contact_name: text(&contact, "fn"),
        contact_email: strip_mailto(&text(&contact, "hasEmail")),
        extras,
        resources,
        access_level: access_level(&text(d, "accessLevel")).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_data_json() {
        let body = r#"{"conformsTo":"https://project-open-data.cio.gov/v1.1/schema","dataset":[
          {"identifier":"gso-dan-so","title":"Dân số","description":"Mô tả","keyword":["dân số"],
           "modified":"2024-05-01","accessLevel":"public","contactPoint":{"fn":"Cục Thống kê","hasEmail":"mailto:tk@gso.gov.vn"},
           "temporal":"2020-01-01/2024-12-31",
           "distribution":[{"downloadURL":"https://gso.gov.vn/a.csv","mediaType":"text/csv","format":"CSV","title":"Bảng"}]},
          {"identifier":"kin","title":"Nội bộ","accessLevel":"non-public"},
          {"title":"no id"}]}"#;
        let g = parse("https://x/data.json", body.as_bytes()).unwrap();
        assert!(g.complete);
        assert_eq!(g.datasets.len(), 2);
        assert_eq!(g.skipped.len(), 1);
        let d = &g.datasets[0];
        assert_eq!(d.contact_email, "tk@gso.gov.vn");
        assert_eq!(d.temporal_start, "2020-01-01");
        assert_eq!(d.resources[0].mimetype, "text/csv");
        assert_eq!(g.datasets[1].access_level, "internal");
        assert!(parse("u", b"[1,2]").is_err());
        assert!(parse("u", b"<html>").is_err());
    }
}
