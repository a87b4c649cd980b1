//! Namespaces and the controlled vocabularies DCAT-AP asks for: the EU
//! Publications Office authority tables (access rights, frequencies,
//! languages, file types) and IANA media types, mapped from Sen's values.

use sen_domain::AccessLevel;

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
pub const DCT: &str = "http://purl.org/dc/terms/";
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
pub const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const SPDX: &str = "http://spdx.org/rdf/terms#";
pub const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
pub const LOCN: &str = "http://www.w3.org/ns/locn#";
pub const EU_AUTHORITY: &str = "http://publications.europa.eu/resource/authority/";
pub const IANA_MEDIA_TYPES: &str = "https://www.iana.org/assignments/media-types/";

/// The prefixes written in Turtle, RDF/XML and the JSON-LD context.
pub const PREFIXES: &[(&str, &str)] = &[
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("xsd", XSD),
    ("dcat", DCAT),
    ("dct", DCT),
    ("foaf", FOAF),
    ("vcard", VCARD),
    ("skos", SKOS),
    ("spdx", SPDX),
    ("hydra", HYDRA),
    ("locn", LOCN),
];

/// `open` → PUBLIC, `shared` → RESTRICTED, `internal` → NON_PUBLIC.
pub fn access_right_iri(level: AccessLevel) -> String {
    format!("{EU_AUTHORITY}access-right/{}", level.dcat_access_right())
}

/// Sen's update frequencies (and the EU codes themselves) as EU frequency IRIs.
pub fn frequency_iri(value: &str) -> Option<String> {
    let v = value.trim();
    if v.starts_with("http://") || v.starts_with("https://") {
        return Some(v.to_string());
    }
    let code = match v.to_ascii_lowercase().as_str() {
        "daily" => "DAILY",
        "weekly" => "WEEKLY",
        "monthly" => "MONTHLY",
        "quarterly" => "QUARTERLY",
        "semiannual" | "annual_2" => "ANNUAL_2",
        "annual" | "yearly" => "ANNUAL",
        "irregular" | "irreg" => "IRREG",
        "never" => "NEVER",
        "continuous" | "cont" => "CONT",
        _ => return None,
    };
    Some(format!("{EU_AUTHORITY}frequency/{code}"))
}

/// DCAT-US's ISO 8601 repeating durations for the same frequencies.
pub fn frequency_iso8601(value: &str) -> Option<&'static str> {
    Some(match value.trim().to_ascii_lowercase().as_str() {
        "daily" => "R/P1D",
        "weekly" => "R/P1W",
        "monthly" => "R/P1M",
        "quarterly" => "R/P3M",
        "semiannual" => "R/P6M",
        "annual" => "R/P1Y",
        "irregular" => "irregular",
        "continuous" => "R/PT1S",
        _ => return None,
    })
}

/// The languages a dataset names (`vi`, `vi, en`, `vie`) as EU language IRIs.
pub fn language_iris(value: &str) -> Vec<String> {
    let mut out: Vec<String> = value
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(language_code)
        .map(|code| format!("{EU_AUTHORITY}language/{code}"))
        .collect();
    out.dedup();
    out
}

fn language_code(tag: &str) -> Option<&'static str> {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase();
    Some(match primary.as_str() {
        "vi" | "vie" => "VIE",
        "en" | "eng" => "ENG",
        "fr" | "fra" | "fre" => "FRA",
        "de" | "deu" | "ger" => "DEU",
        "zh" | "zho" | "chi" => "ZHO",
        "ja" | "jpn" => "JPN",
        "ko" | "kor" => "KOR",
        "ru" | "rus" => "RUS",
        "es" | "spa" => "SPA",
        "lo" | "lao" => "LAO",
        "km" | "khm" => "KHM",
        "th" | "tha" => "THA",
        _ => return None,
    })
}

/// The plain ISO 639-1 codes of a dataset's languages, for DCAT-US.
pub fn language_tags(value: &str) -> Vec<String> {
    value
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A resource's format (`CSV`, `xlsx`, `GeoJSON`…) as an EU file-type IRI.
pub fn file_type_iri(format: &str) -> Option<String> {
    let f = format.trim().trim_start_matches('.').to_ascii_uppercase();
    let code = match f.as_str() {
        "CSV" | "TSV" | "XLSX" | "XLS" | "ODS" | "JSON" | "GEOJSON" | "XML" | "PDF" | "ZIP"
        | "DOCX" | "DOC" | "ODT" | "PARQUET" | "HTML" | "TXT" | "SHP" | "KML" | "KMZ" | "GPKG"
        | "GML" | "TIFF" | "PNG" | "JPEG" | "GZIP" | "TAR" | "RSS" | "ATOM" | "SQL" | "PPTX"
        | "RTF" => f.as_str(),
        "TEXT" => "TXT",
        "JPG" => "JPEG",
        "GZ" => "GZIP",
        "RDF" | "RDF/XML" | "RDF_XML" => "RDF_XML",
        "TTL" | "TURTLE" => "RDF_TURTLE",
        "JSON-LD" | "JSONLD" | "JSON_LD" => "JSON_LD",
        "NT" | "N-TRIPLES" | "NTRIPLES" => "RDF_N_TRIPLES",
        _ => return None,
    };
    Some(format!("{EU_AUTHORITY}file-type/{code}"))
}

/// The media type of a format when the resource does not record one.
pub fn media_type_of_format(format: &str) -> Option<&'static str> {
    Some(
        match format
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "csv" => "text/csv",
            "tsv" => "text/tab-separated-values",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xls" => "application/vnd.ms-excel",
            "ods" => "application/vnd.oasis.opendocument.spreadsheet",
            "json" => "application/json",
            "geojson" => "application/geo+json",
            "xml" => "application/xml",
            "pdf" => "application/pdf",
            "zip" => "application/zip",
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "html" => "text/html",
            "txt" | "text" => "text/plain",
            "ttl" | "turtle" => "text/turtle",
            "rdf" => "application/rdf+xml",
            "jsonld" | "json-ld" => "application/ld+json",
            "nt" => "application/n-triples",
            _ => return None,
        },
    )
}

/// The resource's media type, checked to be a registered-looking `type/subtype`
/// (no `x-` experiments, no parameters), or derived from its format.
pub fn media_type(mimetype: &str, format: &str) -> Option<String> {
    let m = mimetype
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let ok = |m: &str| {
        let Some((top, sub)) = m.split_once('/') else {
            return false;
        };
        matches!(
            top,
            "application" | "text" | "image" | "audio" | "video" | "font" | "model" | "multipart"
        ) && !sub.is_empty()
            && !sub.starts_with("x-")
            && sub
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_'))
            && m != "application/octet-stream"
    };
    if ok(&m) {
        return Some(m);
    }
    media_type_of_format(format).map(str::to_string)
}

/// The IANA registry page of a media type, which DCAT-AP uses as its IRI.
pub fn media_type_iri(media_type: &str) -> String {
    format!("{IANA_MEDIA_TYPES}{media_type}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_levels_map_to_the_eu_authority() {
        assert_eq!(
            access_right_iri(AccessLevel::Open),
            "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
        );
        assert!(access_right_iri(AccessLevel::Shared).ends_with("/RESTRICTED"));
        assert!(access_right_iri(AccessLevel::Internal).ends_with("/NON_PUBLIC"));
    }

    #[test]
    fn frequencies_languages_and_formats() {
        assert!(frequency_iri("semiannual")
            .unwrap()
            .ends_with("/frequency/ANNUAL_2"));
        assert!(frequency_iri("irregular")
            .unwrap()
            .ends_with("/frequency/IRREG"));
        assert_eq!(frequency_iri("sometimes"), None);
        assert_eq!(frequency_iri(""), None);
        assert_eq!(
            language_iris("vi, en"),
            vec![
                "http://publications.europa.eu/resource/authority/language/VIE",
                "http://publications.europa.eu/resource/authority/language/ENG"
            ]
        );
        assert!(language_iris("klingon").is_empty());
        assert!(file_type_iri("csv").unwrap().ends_with("/file-type/CSV"));
        assert!(file_type_iri("GeoJSON")
            .unwrap()
            .ends_with("/file-type/GEOJSON"));
        assert_eq!(file_type_iri("API"), None);
    }

    #[test]
    fn media_types_are_checked_or_derived() {
        assert_eq!(
            media_type("text/csv; charset=utf-8", "").as_deref(),
            Some("text/csv")
        );
        assert_eq!(
            media_type("application/x-foo", "xlsx").as_deref(),
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        );
        assert_eq!(media_type("", "API"), None);
        assert_eq!(media_type("application/octet-stream", ""), None);
        assert_eq!(
            media_type_iri("text/csv"),
            "https://www.iana.org/assignments/media-types/text/csv"
        );
    }
}
