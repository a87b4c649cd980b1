//! DCAT-US (Project Open Data metadata schema 1.1) `data.json`.

use crate::{list_of, str_of, utc, vocab, Site};
use sen_domain::AccessLevel;
use serde_json::{json, Map, Value};

pub const CONFORMS_TO: &str = "https://project-open-data.cio.gov/v1.1/schema";

/// The schema's `accessLevel` for Sen's access levels.
pub fn access_level(level: AccessLevel) -> &'static str {
    match level {
        AccessLevel::Open => "public",
        AccessLevel::Shared => "restricted public",
        AccessLevel::Internal => "non-public",
    }
}

/// The whole catalogue as one `data.json` document.
pub fn catalog(site: &Site, datasets: &[Value]) -> Value {
    json!({
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": format!("{}/data.json", site.url),
        "@type": "dcat:Catalog",
        "conformsTo": CONFORMS_TO,
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": datasets.iter().map(|d| dataset(site, d)).collect::<Vec<_>>(),
    })
}

fn put(o: &mut Map<String, Value>, key: &str, value: &str) {
    if !value.is_empty() {
        o.insert(key.into(), json!(value));
    }
}

/// One dataset entry.
pub fn dataset(site: &Site, d: &Value) -> Value {
    let id = str_of(d, "id");
    let name = str_of(d, "name");
    let title = str_of(d, "title");
    let title = if title.is_empty() { name } else { title };
    let notes = str_of(d, "notes");
    let org = d.get("organization").cloned().unwrap_or(Value::Null);
    let org_title = if str_of(&org, "title").is_empty() {
        str_of(&org, "name")
    } else {
        str_of(&org, "title")
    };
    let mut keywords: Vec<Value> = list_of(d, "tags")
        .iter()
        .map(|t| str_of(t, "name"))
        .filter(|t| !t.is_empty())
        .map(|t| json!(t))
        .collect();
    if keywords.is_empty() {
        // The schema requires at least one keyword.
        keywords.push(json!(if org_title.is_empty() {
            name
        } else {
            org_title
        }));
    }
    let level = AccessLevel::parse(str_of(d, "access_level")).unwrap_or(AccessLevel::Internal);
    let (contact_name, contact_email) = [
        ("contact_name", "contact_email"),
        ("maintainer", "maintainer_email"),
        ("author", "author_email"),
    ]
    .iter()
    .map(|(n, e)| (str_of(d, n), str_of(d, e)))
    .find(|(n, e)| !n.is_empty() || !e.is_empty())
    .unwrap_or((org_title, ""));
    let mut contact = json!({"@type": "vcard:Contact", "fn": contact_name});
    if !contact_email.is_empty() {
        contact["hasEmail"] = json!(format!("mailto:{contact_email}"));
    }
    let identifier = str_of(d, "identifier");
    let mut o = Map::new();
    o.insert("@type".into(), json!("dcat:Dataset"));
    o.insert("title".into(), json!(title));
    o.insert(
        "description".into(),
        json!(if notes.is_empty() { title } else { notes }),
    );
    o.insert("keyword".into(), Value::Array(keywords));
    if let Some(m) = utc(str_of(d, "metadata_modified")) {
        o.insert("modified".into(), json!(m));
    }
    if let Some(m) = utc(str_of(d, "metadata_created")) {
        o.insert("issued".into(), json!(m));
    }
    o.insert(
        "publisher".into(),
        json!({"@type": "org:Organization", "name": org_title}),
    );
    o.insert("contactPoint".into(), contact);
    o.insert(
        "identifier".into(),
        json!(if identifier.is_empty() {
            format!("{}/dataset/{id}", site.url)
        } else {
            identifier.to_string()
        }),
    );
    o.insert("accessLevel".into(), json!(access_level(level)));
    if let Some(l) = crate::rdf::license_iri(site, d) {
        o.insert("license".into(), json!(l.as_str()));
    }
    o.insert(
        "landingPage".into(),
        json!(site.dataset_page(if name.is_empty() { id } else { name })),
    );
    let themes: Vec<Value> = list_of(d, "groups")
        .iter()
        .map(|g| {
            if str_of(g, "title").is_empty() {
                str_of(g, "name")
            } else {
                str_of(g, "title")
            }
        })
        .filter(|t| !t.is_empty())
        .map(|t| json!(t))
        .collect();
    if !themes.is_empty() {
        o.insert("theme".into(), Value::Array(themes));
    }
    let (start, end) = (str_of(d, "temporal_start"), str_of(d, "temporal_end"));
    if !start.is_empty() {
        o.insert(
            "temporal".into(),
            json!(format!(
                "{start}/{}",
                if end.is_empty() { start } else { end }
            )),
        );
    }
    put(&mut o, "spatial", str_of(d, "spatial"));
    if let Some(f) = vocab::frequency_iso8601(str_of(d, "frequency")) {
        o.insert("accrualPeriodicity".into(), json!(f));
    }
    let languages = vocab::language_tags(str_of(d, "language"));
    if !languages.is_empty() {
        o.insert("language".into(), json!(languages));
    }
    put(&mut o, "conformsTo", str_of(d, "conforms_to"));
    let distributions: Vec<Value> = list_of(d, "resources").iter().map(distribution).collect();
    if !distributions.is_empty() {
        o.insert("distribution".into(), Value::Array(distributions));
    }
    Value::Object(o)
}

fn distribution(r: &Value) -> Value {
    let mut o = Map::new();
    o.insert("@type".into(), json!("dcat:Distribution"));
    let url = str_of(r, "url");
    let format = str_of(r, "format");
    let media = vocab::media_type(str_of(r, "mimetype"), format);
    // downloadURL requires mediaType; without one the address is an accessURL.
    match (
        &media,
        str_of(r, "url_type") == "upload" || vocab::file_type_iri(format).is_some(),
    ) {
        (Some(m), true) => {
            put(&mut o, "downloadURL", url);
            o.insert("mediaType".into(), json!(m));
        }
        _ => put(&mut o, "accessURL", url),
    }
    put(&mut o, "format", format);
    put(&mut o, "title", str_of(r, "name"));
    put(&mut o, "description", str_of(r, "description"));
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn data_json_has_the_required_fields() {
        let doc = catalog(&fixtures::site(), &[fixtures::dataset()]);
        assert_eq!(doc["conformsTo"], CONFORMS_TO);
        let d = &doc["dataset"][0];
        for key in [
            "title",
            "description",
            "keyword",
            "modified",
            "publisher",
            "contactPoint",
            "identifier",
            "accessLevel",
        ] {
            assert!(!d[key].is_null(), "{key} missing: {d}");
        }
        assert_eq!(d["accessLevel"], "public");
        assert_eq!(d["modified"], "2024-06-07T08:09:10Z");
        assert_eq!(d["contactPoint"]["hasEmail"], "mailto:danso@example.gov.vn");
        assert_eq!(d["temporal"], "2020-01-01/2023-12-31");
        assert_eq!(d["accrualPeriodicity"], "R/P1Y");
        assert_eq!(d["landingPage"], "http://sen.test/dataset/dan-so-ha-noi");
        assert_eq!(d["distribution"][0]["mediaType"], "text/csv");
        assert!(d["distribution"][0]["downloadURL"]
            .as_str()
            .unwrap()
            .ends_with("/download/dan-so.csv"));
        assert_eq!(
            d["distribution"][1]["accessURL"],
            "https://api.example.gov.vn/dan-so?nam=2024"
        );
        assert!(d["distribution"][1].get("downloadURL").is_none());
    }

    #[test]
    fn access_levels_and_empty_keywords() {
        assert_eq!(access_level(AccessLevel::Shared), "restricted public");
        assert_eq!(access_level(AccessLevel::Internal), "non-public");
        let mut d = fixtures::dataset();
        d["tags"] = json!([]);
        let out = dataset(&fixtures::site(), &d);
        assert_eq!(out["keyword"], json!(["Cục Thống kê"]));
    }
}
