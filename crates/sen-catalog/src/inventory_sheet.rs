//! The inventory spreadsheet template: its columns (Vietnamese header on the
//! first row, English on the second), reading a filled-in XLSX or CSV file into
//! rows of text, and writing records back in the same layout (round trip).

use sen_domain::{Error, Msg, Result};
use serde_json::{Map, Value};

/// Column key (the record's field), Vietnamese header, English header.
pub const COLUMNS: &[(&str, &str, &str)] = &[
    (
        "owner_org",
        "Cơ quan chủ quản (mã)",
        "Owning agency (URL name)",
    ),
    (
        "name",
        "Tên hệ thống thông tin / cơ sở dữ liệu",
        "System or database name",
    ),
    ("description", "Mô tả", "Description"),
    ("unit", "Đơn vị quản lý, vận hành", "Operating unit"),
    ("legal_basis", "Căn cứ pháp lý", "Legal basis"),
    ("kind", "Loại", "Kind"),
    ("scope", "Phạm vi", "Scope"),
    ("subjects", "Đối tượng dữ liệu", "Subjects covered"),
    (
        "data_levels",
        "Mức độ chia sẻ dữ liệu",
        "Access levels held",
    ),
    ("data_classes", "Phân loại dữ liệu", "Data classes held"),
    (
        "record_count",
        "Số bản ghi (ước tính)",
        "Approximate records",
    ),
    (
        "open_record_count",
        "Số bản ghi dữ liệu mở",
        "Open-data records",
    ),
    ("update_frequency", "Tần suất cập nhật", "Update rhythm"),
    ("status", "Trạng thái", "Status"),
    ("sharing", "Hình thức chia sẻ", "How it is shared"),
    ("services", "Dịch vụ dữ liệu (API)", "Data services (APIs)"),
    ("contact_name", "Đầu mối liên hệ", "Contact name"),
    ("contact_email", "Thư điện tử liên hệ", "Contact e-mail"),
    ("datasets", "Bộ dữ liệu đã công bố", "Published datasets"),
];

/// Columns whose cell holds a list, items separated by `;`.
pub const LIST_COLUMNS: &[&str] = &[
    "subjects",
    "data_levels",
    "data_classes",
    "sharing",
    "datasets",
];

/// One data service per line: `name | endpoint URL | documentation URL | access level`.
pub const SERVICE_SEPARATOR: &str = " | ";

/// The header of a column in the given language (`vi` or `en`), by key.
pub fn header(key: &str, english: bool) -> &'static str {
    COLUMNS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, vi, en)| if english { *en } else { *vi })
        .unwrap_or("")
}

/// A filled-in template, read: the data rows, each with its row number in the
/// file (1-based, headers counted) and its cells by column key.
#[derive(Debug)]
pub struct Sheet {
    pub rows: Vec<(usize, Map<String, Value>)>,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Which column key a header cell names (Vietnamese, English or the key itself).
fn column_of(cell: &str) -> Option<&'static str> {
    let c = norm(cell);
    COLUMNS
        .iter()
        .find(|(k, vi, en)| c == norm(k) || c == norm(vi) || c == norm(en))
        .map(|(k, _, _)| *k)
}

/// Reads an uploaded file: XLSX (recognised by its ZIP signature) or CSV
/// (UTF-8, with or without BOM, comma or semicolon separated). Anything else,
/// or a file whose first row names none of the template's columns, is refused.
pub fn read(bytes: &[u8]) -> Result<Sheet> {
    let grid = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else {
        read_csv(bytes)?
    };
    from_grid(grid)
}

fn not_a_template() -> Error {
    Error::bad_request(
        "inventory_not_template",
        Msg::new("error-inventory-not-template"),
    )
}

fn bad_file() -> Error {
    Error::bad_request("inventory_bad_file", Msg::new("error-inventory-bad-file"))
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| bad_file())?;
    let first = book.sheet_names().first().cloned().ok_or_else(bad_file)?;
    let range = book.worksheet_range(&first).map_err(|_| bad_file())?;
    Ok(range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty | Data::Error(_) => String::new(),
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                    Data::Int(i) => i.to_string(),
                    Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
                        format!("{}", *f as i64)
                    }
                    Data::Float(f) => f.to_string(),
                    Data::Bool(b) => b.to_string(),
                    Data::DateTime(d) => d.as_f64().to_string(),
                })
                .collect()
        })
        .collect())
}

/// CSV text: UTF-8, else Windows-1258 (what spreadsheet programs on
/// Vietnamese Windows save as "CSV"). Control characters other than tab and
/// line ends mean the file is not text at all.
fn csv_text(bytes: &[u8]) -> Result<String> {
    if bytes
        .iter()
        .any(|b| *b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n'))
    {
        return Err(bad_file());
    }
    Ok(match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        // Windows-1258 writes tone marks as combining characters: compose them.
        Err(_) => sen_domain::fold::nfc(&encoding_rs::WINDOWS_1258.decode(bytes).0),
    })
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let text = csv_text(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut grid = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| bad_file())?;
        grid.push(record.iter().map(str::to_string).collect());
    }
    Ok(grid)
}

fn from_grid(grid: Vec<Vec<String>>) -> Result<Sheet> {
    let Some(head) = grid.first() else {
        return Err(not_a_template());
    };
    let columns: Vec<Option<&'static str>> = head.iter().map(|c| column_of(c)).collect();
    if !columns.contains(&Some("name")) {
        return Err(not_a_template());
    }
    let mut rows = Vec::new();
    for (i, cells) in grid.iter().enumerate().skip(1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // The template's second header row (English), when kept.
        let english_header = cells
            .iter()
            .zip(&columns)
            .filter(|(c, k)| k.is_some() && !c.trim().is_empty())
            .all(|(c, k)| k.is_some_and(|k| norm(header(k, true)) == norm(c)));
        if i == 1 && english_header {
            continue;
        }
        let mut row = Map::new();
        for (cell, key) in cells.iter().zip(&columns) {
            let Some(key) = key else { continue };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let value = if LIST_COLUMNS.contains(key) {
                Value::Array(
                    cell.split([';', '\n'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| Value::String(s.to_string()))
                        .collect(),
                )
            } else if *key == "services" {
                Value::Array(
                    cell.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(service_of)
                        .collect(),
                )
            } else {
                Value::String(cell.to_string())
            };
            row.insert(key.to_string(), value);
        }
        rows.push((i + 1, row));
    }
    Ok(Sheet { rows })
}

pub fn service_of(line: &str) -> Value {
    let parts: Vec<&str> = line.split('|').map(str::trim).collect();
    let get = |i: usize| Value::String(parts.get(i).copied().unwrap_or("").to_string());
    serde_json::json!({
        "name": get(0),
        "endpoint_url": get(1),
        "documentation_url": get(2),
        "access_level": get(3),
    })
}

/// The text of a record's field in the template's layout.
fn cell(record: &Value, key: &str) -> String {
    let v = &record[key];
    if key == "services" {
        return v
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        ["name", "endpoint_url", "documentation_url", "access_level"]
                            .iter()
                            .map(|f| s[*f].as_str().unwrap_or(""))
                            .collect::<Vec<_>>()
                            .join(SERVICE_SEPARATOR)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
    }
    if key == "datasets" {
        return v
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d["name"].as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
    }
    if key == "owner_org" {
        return record["organization"]["name"]
            .as_str()
            .unwrap_or("")
            .to_string();
    }
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// The template's rows for `records` (two header rows first).
pub fn grid(records: &[Value]) -> Vec<Vec<String>> {
    let mut out = vec![
        COLUMNS.iter().map(|(_, vi, _)| vi.to_string()).collect(),
        COLUMNS
            .iter()
            .map(|(_, _, en)| en.to_string())
            .collect::<Vec<_>>(),
    ];
    for r in records {
        out.push(COLUMNS.iter().map(|(k, _, _)| cell(r, k)).collect());
    }
    out
}

/// `records` as CSV (UTF-8 with BOM, so spreadsheet programs read Vietnamese).
pub fn write_csv(records: &[Value]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in grid(records) {
        w.write_record(&row).map_err(Error::internal)?;
    }
    w.into_inner().map_err(Error::internal)
}

/// `records` as an XLSX workbook in the template's layout.
pub fn write_xlsx(records: &[Value]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let sheet = book.add_worksheet();
    sheet.set_name("inventory").map_err(Error::internal)?;
    for (r, row) in grid(records).iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let format = if r < 2 { &bold } else { &wrap };
            if r >= 2 && (COLUMNS[c as usize].0.ends_with("record_count")) && !text.is_empty() {
                if let Ok(n) = text.parse::<f64>() {
                    sheet.write_number(r, c, n).map_err(Error::internal)?;
                    continue;
                }
            }
            sheet
                .write_string_with_format(r, c, text, format)
                .map_err(Error::internal)?;
        }
    }
    for c in 0..COLUMNS.len() {
        sheet
            .set_column_width(c as u16, 24)
            .map_err(Error::internal)?;
    }
    book.save_to_buffer().map_err(Error::internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> Value {
        json!({
            "organization": {"name": "bo-y-te"}, "name": "CSDL y tế", "kind": "sectoral",
            "subjects": ["người dân", "cơ sở y tế"], "record_count": 1200,
            "services": [{"name": "Tra cứu", "endpoint_url": "https://api.example.vn/a", "documentation_url": "", "access_level": "shared"}],
            "datasets": [{"name": "co-so-y-te"}],
        })
    }

    #[test]
    fn csv_and_xlsx_round_trip() {
        for bytes in [
            write_csv(&[record()]).unwrap(),
            write_xlsx(&[record()]).unwrap(),
        ] {
            let sheet = read(&bytes).unwrap();
            assert_eq!(sheet.rows.len(), 1);
            let (n, row) = &sheet.rows[0];
            assert_eq!(*n, 3);
            assert_eq!(row["owner_org"], "bo-y-te");
            assert_eq!(row["name"], "CSDL y tế");
            assert_eq!(row["record_count"], "1200");
            assert_eq!(row["subjects"], json!(["người dân", "cơ sở y tế"]));
            assert_eq!(
                row["services"][0]["endpoint_url"],
                "https://api.example.vn/a"
            );
            assert_eq!(row["services"][0]["access_level"], "shared");
            assert_eq!(row["datasets"], json!(["co-so-y-te"]));
        }
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(
            read(b"\x89PNG\r\n\x1a\n\0\0").unwrap_err().code,
            "inventory_bad_file"
        );
        assert_eq!(
            read(b"a,b\n1,2\n").unwrap_err().code,
            "inventory_not_template"
        );
        assert_eq!(
            read(b"PK\x03\x04garbage").unwrap_err().code,
            "inventory_bad_file"
        );
        // Windows-1258 (legacy Vietnamese) CSV is read too.
        // "Đất đai": Đ, â + combining acute, t, space, đ, a, i.
        let mut legacy = b"System or database name,Kind\n".to_vec();
        legacy.extend([0xD0, 0xE2, 0xEC, b't', b' ', 0xF0, b'a', b'i']);
        legacy.extend(b",local\n");
        let s = read(&legacy).unwrap();
        assert_eq!(s.rows[0].1["name"], "Đất đai");
        // English headers alone, semicolons, no second header row.
        let s = read("System or database name;Kind\nA;local\n".as_bytes()).unwrap();
        assert_eq!(s.rows[0].0, 2);
        assert_eq!(s.rows[0].1["kind"], "local");
    }
}
