//! Previews of a resource's file on its page: the first rows of a table, the
//! start of a JSON or text file. Only the first bytes are read from storage,
//! however large the file.

use serde_json::{json, Value};

/// How much of a file a preview reads.
pub const PREVIEW_BYTES: u64 = 256 * 1024;
const MAX_ROWS: usize = 50;
const MAX_COLUMNS: usize = 40;

fn text_of(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// A preview for the template: `{kind: "table", header, rows, truncated}`,
/// `{kind: "text", text, truncated}`, or null when the format has none.
pub fn preview(format: &str, bytes: &[u8], complete: bool) -> Value {
    match format.to_ascii_uppercase().as_str() {
        "CSV" | "TSV" => table(
            bytes,
            if format.eq_ignore_ascii_case("TSV") {
                b'\t'
            } else {
                b','
            },
            complete,
        ),
        "JSON" | "GEOJSON" => {
            let text = text_of(bytes);
            let pretty = if complete {
                serde_json::from_str::<Value>(&text)
                    .ok()
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
            } else {
                None
            };
            let shown: String = pretty.unwrap_or(text).chars().take(20_000).collect();
            json!({"kind": "text", "text": shown, "truncated": !complete})
        }
        "TXT" | "MD" | "XML" => {
            json!({"kind": "text", "text": text_of(bytes).chars().take(20_000).collect::<String>(), "truncated": !complete})
        }
        _ => Value::Null,
    }
}

fn table(bytes: &[u8], delimiter: u8, complete: bool) -> Value {
    let text = text_of(bytes);
    // A partial read may end inside a row: drop the last, unfinished line.
    let usable = if complete {
        text.as_str()
    } else {
        text.rsplit_once('\n').map_or("", |(head, _)| head)
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(usable.as_bytes());
    let mut records = reader.records().filter_map(Result::ok);
    let Some(header) = records.next() else {
        return Value::Null;
    };
    let header: Vec<String> = header
        .iter()
        .take(MAX_COLUMNS)
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    let mut more = false;
    for r in records {
        if rows.len() == MAX_ROWS {
            more = true;
            break;
        }
        rows.push(
            r.iter()
                .take(MAX_COLUMNS)
                .map(str::to_string)
                .collect::<Vec<_>>(),
        );
    }
    json!({"kind": "table", "header": header, "rows": rows, "truncated": more || !complete})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_and_crlf() {
        let v = preview(
            "CSV",
            "\u{feff}Tỉnh,Mã\r\nHà Nội,01\r\n\"Huế, TP\",46\r\n".as_bytes(),
            true,
        );
        assert_eq!(v["header"], json!(["Tỉnh", "Mã"]));
        assert_eq!(v["rows"][1], json!(["Huế, TP", "46"]));
        assert_eq!(v["truncated"], json!(false));
    }

    #[test]
    fn partial_reads_drop_the_cut_line() {
        let v = preview("csv", b"a,b\n1,2\n3,", false);
        assert_eq!(v["rows"], json!([["1", "2"]]));
        assert_eq!(v["truncated"], json!(true));
        assert_eq!(preview("PDF", b"%PDF", true), Value::Null);
        assert!(preview("JSON", b"{\"a\":1}", true)["text"]
            .as_str()
            .unwrap()
            .contains("\"a\": 1"));
    }
}
