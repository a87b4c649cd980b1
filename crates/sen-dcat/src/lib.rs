#![recursion_limit = "256"]
//! Sen's open-standard exports, built from the package dictionaries the
//! catalogue already produces (`package_show` / `package_search` results):
//!
//! - DCAT-AP 3 ([`rdf`]): the catalogue (with Hydra paging) and each dataset,
//!   in Turtle, RDF/XML, JSON-LD and N-Triples, valid against the official
//!   3.0.1 SHACL shapes (every IRI used as language, media type, format,
//!   licence, publisher, access right, frequency or location carries its class);
//! - DCAT-US 1.1 `data.json` ([`us`]);
//! - Frictionless `datapackage.json` ([`datapackage`]);
//! - Atom feeds, RFC 4287 ([`atom`]).
//!
//! No database and no HTTP: the caller decides what the visitor may see and
//! passes only that in.

pub mod atom;
pub mod datapackage;
pub mod rdf;
pub mod us;
pub mod vocab;

pub use rdf::{Paging, RdfFormat};

/// What the exports say about the portal itself.
#[derive(Debug, Clone)]
pub struct Site {
    /// Public base URL without a trailing slash (`https://data.gov.vn`).
    pub url: String,
    pub title: String,
    pub description: String,
    /// The portal's main language as an ISO 639-1 code (`vi`).
    pub language: String,
}

impl Site {
    pub fn new(url: &str, title: &str, description: &str, language: &str) -> Self {
        Self {
            url: url.trim_end_matches('/').to_string(),
            title: title.to_string(),
            description: description.to_string(),
            language: language.to_string(),
        }
    }

    pub fn dataset_page(&self, name: &str) -> String {
        format!("{}/dataset/{name}", self.url)
    }
}

/// A catalogue timestamp (UTC, no offset, as CKAN writes them) as RFC 3339 with `Z`.
pub fn utc(ts: &str) -> Option<String> {
    sen_domain::time::parse(ts).map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

pub(crate) fn str_of<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(serde_json::Value::as_str)
        .map(str::trim)
        .unwrap_or("")
}

pub(crate) fn list_of<'a>(v: &'a serde_json::Value, key: &str) -> &'a [serde_json::Value] {
    v.get(key)
        .and_then(serde_json::Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

#[cfg(test)]
pub(crate) mod fixtures {
    use serde_json::{json, Value};

    pub fn site() -> super::Site {
        super::Site::new(
            "http://sen.test/",
            "Cổng dữ liệu quốc gia",
            "Dữ liệu mở của Việt Nam",
            "vi",
        )
    }

    /// A package dictionary as `package_show` returns it.
    pub fn dataset() -> Value {
        json!({
            "id": "3f1c2a9e-0000-4000-8000-000000000001",
            "name": "dan-so-ha-noi",
            "title": "Dân số Hà Nội <2024> & \"khác\"",
            "notes": "Số liệu **dân số** theo quận.",
            "url": "",
            "version": "2024",
            "license_id": "cc-by-4.0",
            "license_title": "Creative Commons Attribution 4.0",
            "license_url": "https://creativecommons.org/licenses/by/4.0/",
            "organization": {"id": "org-1", "name": "cuc-thong-ke", "title": "Cục Thống kê", "kind": "agency"},
            "access_level": "open",
            "access_rights": "PUBLIC",
            "private": false,
            "state": "active",
            "metadata_created": "2024-01-02T03:04:05.123456",
            "metadata_modified": "2024-06-07T08:09:10.000001",
            "frequency": "annual",
            "language": "vi, en",
            "spatial": "Hà Nội",
            "temporal_start": "2020-01-01",
            "temporal_end": "2023-12-31",
            "conforms_to": "",
            "identifier": "",
            "contact_name": "Phòng Dân số",
            "contact_email": "danso@example.gov.vn",
            "maintainer": "",
            "maintainer_email": "",
            "tags": [{"name": "dân số"}, {"name": "hà nội"}],
            "groups": [{"name": "dan-cu", "title": "Dân cư", "description": "Dân cư và lao động"}],
            "resources": [
                {"id": "r1", "package_id": "3f1c2a9e-0000-4000-8000-000000000001", "name": "Bảng dân số.csv",
                 "description": "Theo quận", "url": "http://sen.test/dataset/3f1c2a9e-0000-4000-8000-000000000001/resource/r1/download/dan-so.csv",
                 "url_type": "upload", "format": "CSV", "mimetype": "text/csv", "size": 1234,
                 "hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                 "created": "2024-01-02T03:04:05.000000", "last_modified": "2024-06-07T08:09:10.000000"},
                {"id": "r2", "package_id": "3f1c2a9e-0000-4000-8000-000000000001", "name": "Cổng API",
                 "description": "", "url": "https://api.example.gov.vn/dan-so?nam=2024", "url_type": null,
                 "format": "API", "mimetype": null, "size": null, "hash": "",
                 "created": "2024-01-02T03:04:05.000000", "last_modified": null}
            ]
        })
    }
}
