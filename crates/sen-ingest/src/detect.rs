//! Which loader a file needs, from its name, the publisher's format field and its first bytes.

use encoding_rs::Encoding;

use crate::encoding::looks_binary;
use crate::SourceFormat;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What a name or format field says: Some(Some(format)), Some(None) for a known
/// non-tabular format, None when it says nothing.
fn from_label(label: &str) -> Option<Option<SourceFormat>> {
    let l = label.trim().trim_start_matches('.').to_ascii_lowercase();
    let l = l.split(';').next().unwrap_or("").trim();
    Some(Some(match l {
        "" => return None,
        "csv" | "text/csv" | "txt" | "text/plain" | "application/csv" => SourceFormat::Csv,
        "tsv" | "tab" | "text/tab-separated-values" => SourceFormat::Tsv,
        "xlsx" | "xlsm" | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            SourceFormat::Xlsx
        }
        "xls" | "application/vnd.ms-excel" => SourceFormat::Xls,
        "json" | "application/json" | "text/json" => SourceFormat::Json,
        "ndjson" | "jsonl" | "jsonlines" | "application/x-ndjson" | "application/jsonl" => {
            SourceFormat::Ndjson
        }
        "geojson" | "application/geo+json" | "application/vnd.geo+json" => SourceFormat::GeoJson,
        _ => return Some(None),
    }))
}

fn extension(file_name: &str) -> &str {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext,
        _ => "",
    }
}

/// The start of the text, decoded (BOM removed), for sniffing JSON.
fn text_start(head: &[u8]) -> String {
    let (encoding, bom) = Encoding::for_bom(head).unwrap_or((encoding_rs::UTF_8, 0));
    let (text, _) = encoding.decode_without_bom_handling(&head[bom..head.len().min(bom + 4096)]);
    text.into_owned()
}

/// From the file name's extension, the publisher's `format` field (e.g. "CSV",
/// "xlsx", "GeoJSON") and the first bytes; None = not tabular.
///
/// The bytes win over the labels when they are unambiguous (a spreadsheet's magic
/// number, JSON's opening bracket), because publishers' format fields are often wrong.
pub fn detect_format(file_name: &str, format_hint: &str, head: &[u8]) -> Option<SourceFormat> {
    let by_ext = from_label(extension(file_name));
    let by_hint = from_label(format_hint);
    let labels = [by_hint, by_ext];
    let says = |f: SourceFormat| labels.contains(&Some(Some(f)));
    let silent = labels.iter().all(Option::is_none);
    if head.starts_with(ZIP_MAGIC) {
        return (says(SourceFormat::Xlsx) || silent).then_some(SourceFormat::Xlsx);
    }
    if head.starts_with(OLE_MAGIC) {
        return (says(SourceFormat::Xls) || silent).then_some(SourceFormat::Xls);
    }
    if Encoding::for_bom(head).is_none() && looks_binary(head) {
        return None;
    }
    let text = text_start(head);
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        if says(SourceFormat::Ndjson) {
            return Some(SourceFormat::Ndjson);
        }
        if says(SourceFormat::GeoJson) || trimmed.contains("\"FeatureCollection\"") {
            return Some(SourceFormat::GeoJson);
        }
        if trimmed.starts_with('{') {
            // Several lines each opening an object: NDJSON; else one JSON document.
            let objects = trimmed
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(3)
                .filter(|l| l.trim_start().starts_with('{') && l.trim_end().ends_with('}'))
                .count();
            if objects >= 2 {
                return Some(SourceFormat::Ndjson);
            }
        }
        return Some(SourceFormat::Json);
    }
    if trimmed.starts_with('<') {
        // HTML or XML.
        return None;
    }
    // Plain text: what the labels say (the hint first), CSV when they say nothing.
    for label in labels.into_iter().flatten() {
        match label {
            Some(f @ (SourceFormat::Csv | SourceFormat::Tsv)) => return Some(f),
            Some(_) => continue,
            None => return None,
        }
    }
    if silent {
        return Some(SourceFormat::Csv);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_bytes() {
        assert_eq!(
            detect_format("a.csv", "", b"x,y\n1,2"),
            Some(SourceFormat::Csv)
        );
        assert_eq!(
            detect_format("a", "CSV", b"x,y\n1,2"),
            Some(SourceFormat::Csv)
        );
        assert_eq!(
            detect_format("a.tsv", "", b"x\ty\n"),
            Some(SourceFormat::Tsv)
        );
        assert_eq!(
            detect_format("a.xlsx", "", b"PK\x03\x04rest"),
            Some(SourceFormat::Xlsx)
        );
        assert_eq!(detect_format("a.bin", "", b"PK\x03\x04rest"), None);
        assert_eq!(detect_format("a.zip", "ZIP", b"PK\x03\x04rest"), None);
        assert_eq!(
            detect_format("upload", "", OLE_MAGIC),
            Some(SourceFormat::Xls)
        );
        assert_eq!(
            detect_format("a.json", "", b" [{\"a\":1}]"),
            Some(SourceFormat::Json)
        );
        assert_eq!(
            detect_format("a.csv", "", b"[{\"a\":1}]"),
            Some(SourceFormat::Json)
        );
        assert_eq!(
            detect_format(
                "a.json",
                "",
                b"{\"type\":\"FeatureCollection\",\"features\":[]}"
            ),
            Some(SourceFormat::GeoJson)
        );
        assert_eq!(
            detect_format("a.jsonl", "", b"{\"a\":1}\n"),
            Some(SourceFormat::Ndjson)
        );
        assert_eq!(
            detect_format("a.json", "", b"{\"a\":1}\n{\"a\":2}\n"),
            Some(SourceFormat::Ndjson)
        );
        assert_eq!(detect_format("a.pdf", "PDF", b"%PDF-1.4"), None);
        assert_eq!(detect_format("a.html", "", b"<!doctype html>"), None);
        assert_eq!(detect_format("a.csv", "", b"\x00\x01\x02\x03"), None);
        assert_eq!(
            detect_format("data", "", "Mã,Tên\n".as_bytes()),
            Some(SourceFormat::Csv)
        );
    }
}
