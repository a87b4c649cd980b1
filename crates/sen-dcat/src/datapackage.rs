//! Frictionless Data Package (v1) descriptors: one per dataset, each resource
//! pointing at its file, with the Table Schema the datastore recorded for
//! tabular resources.

use crate::{list_of, str_of, utc, Site};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// A name the Data Package spec accepts: lower-case ASCII, digits, `-`, `_`, `.`.
fn package_name(s: &str) -> String {
    let slug = sen_domain::names::slugify(s);
    if slug.is_empty() {
        "resource".into()
    } else {
        slug
    }
}

/// The descriptor of `dataset`; `schemas` maps resource ids to the Table
/// Schema of their datastore table (only tables the caller may read).
pub fn descriptor(site: &Site, d: &Value, schemas: &HashMap<String, Value>) -> Value {
    let name = str_of(d, "name");
    let title = str_of(d, "title");
    let mut o = Map::new();
    o.insert("profile".into(), json!("data-package"));
    o.insert("name".into(), json!(name));
    o.insert(
        "id".into(),
        json!(format!("{}/dataset/{}", site.url, str_of(d, "id"))),
    );
    o.insert(
        "title".into(),
        json!(if title.is_empty() { name } else { title }),
    );
    let notes = str_of(d, "notes");
    if !notes.is_empty() {
        o.insert("description".into(), json!(notes));
    }
    o.insert("homepage".into(), json!(site.dataset_page(name)));
    let version = str_of(d, "version");
    if !version.is_empty() {
        o.insert("version".into(), json!(version));
    }
    if let Some(created) = utc(str_of(d, "metadata_created")) {
        o.insert("created".into(), json!(created));
    }
    let keywords: Vec<&str> = list_of(d, "tags")
        .iter()
        .map(|t| str_of(t, "name"))
        .filter(|t| !t.is_empty())
        .collect();
    if !keywords.is_empty() {
        o.insert("keywords".into(), json!(keywords));
    }
    let license_id = str_of(d, "license_id");
    if !license_id.is_empty() {
        let mut l = json!({"name": license_id, "title": str_of(d, "license_title")});
        let url = str_of(d, "license_url");
        if !url.is_empty() {
            l["path"] = json!(url);
        }
        o.insert("licenses".into(), json!([l]));
    }
    if let Some(org) = d.get("organization").filter(|o| o.is_object()) {
        let t = str_of(org, "title");
        o.insert(
            "contributors".into(),
            json!([{"title": if t.is_empty() { str_of(org, "name") } else { t }, "role": "publisher",
                    "path": format!("{}/organization/{}", site.url, str_of(org, "name"))}]),
        );
    }
    let mut used: Vec<String> = Vec::new();
    let resources: Vec<Value> = list_of(d, "resources")
        .iter()
        .filter(|r| !str_of(r, "url").is_empty())
        .map(|r| {
            let mut rname = package_name(str_of(r, "name"));
            if used.contains(&rname) {
                rname = format!("{rname}-{}", package_name(str_of(r, "id")));
            }
            used.push(rname.clone());
            resource(r, rname, schemas.get(str_of(r, "id")))
        })
        .collect();
    o.insert("resources".into(), Value::Array(resources));
    Value::Object(o)
}

fn resource(r: &Value, name: String, schema: Option<&Value>) -> Value {
    let mut o = Map::new();
    o.insert("name".into(), json!(name));
    o.insert("path".into(), json!(str_of(r, "url")));
    let title = str_of(r, "name");
    if !title.is_empty() {
        o.insert("title".into(), json!(title));
    }
    let description = str_of(r, "description");
    if !description.is_empty() {
        o.insert("description".into(), json!(description));
    }
    let format = str_of(r, "format").to_ascii_lowercase();
    if !format.is_empty() {
        o.insert("format".into(), json!(format));
    }
    if let Some(m) = crate::vocab::media_type(str_of(r, "mimetype"), &format) {
        o.insert("mediatype".into(), json!(m));
    }
    if let Some(size) = r.get("size").and_then(Value::as_u64) {
        o.insert("bytes".into(), json!(size));
    }
    let hash = str_of(r, "hash");
    let hex = hash.strip_prefix("sha256:").unwrap_or(hash);
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        o.insert(
            "hash".into(),
            json!(format!("sha256:{}", hex.to_ascii_lowercase())),
        );
    }
    match schema.filter(|s| s.get("fields").is_some_and(Value::is_array)) {
        Some(s) => {
            // A Tabular Data Resource is CSV; other tabular files keep the plain profile.
            let profile = if matches!(format.as_str(), "csv" | "tsv") {
                "tabular-data-resource"
            } else {
                "data-resource"
            };
            o.insert("profile".into(), json!(profile));
            o.insert("schema".into(), s.clone());
            if format == "tsv" {
                o.insert("dialect".into(), json!({"delimiter": "\t"}));
            }
        }
        None => {
            o.insert("profile".into(), json!("data-resource"));
        }
    }
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn descriptor_with_a_table_schema() {
        let schema = json!({"fields": [{"name": "Mã TP", "type": "string"}, {"name": "Dân số", "type": "integer"}]});
        let schemas = HashMap::from([("r1".to_string(), schema.clone())]);
        let p = descriptor(&fixtures::site(), &fixtures::dataset(), &schemas);
        assert_eq!(p["name"], "dan-so-ha-noi");
        assert_eq!(p["licenses"][0]["name"], "cc-by-4.0");
        assert_eq!(p["keywords"], json!(["dân số", "hà nội"]));
        let r = &p["resources"][0];
        assert_eq!(r["name"], "bang-dan-so-csv");
        assert_eq!(r["profile"], "tabular-data-resource");
        assert_eq!(r["schema"], schema);
        assert_eq!(r["bytes"], 1234);
        assert!(r["hash"].as_str().unwrap().starts_with("sha256:9f86"));
        assert_eq!(r["mediatype"], "text/csv");
        let api = &p["resources"][1];
        assert_eq!(api["profile"], "data-resource");
        assert!(api.get("schema").is_none());
        assert!(api.get("bytes").is_none());
    }

    #[test]
    fn resource_names_stay_unique() {
        let mut d = fixtures::dataset();
        d["resources"][1]["name"] = d["resources"][0]["name"].clone();
        let p = descriptor(&fixtures::site(), &d, &HashMap::new());
        assert_ne!(p["resources"][0]["name"], p["resources"][1]["name"]);
    }
}
