//! What happened during a load, in translatable terms: Fluent keys plus arguments.

use serde::{Deserialize, Serialize};

use crate::SourceFormat;

/// A message for people, as a Fluent key plus arguments; the web layer translates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub key: String,
    pub args: Vec<(String, String)>,
}

impl Notice {
    pub fn new(key: &str, args: &[(&str, String)]) -> Self {
        Notice {
            key: key.to_owned(),
            args: args
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        }
    }

    /// The value of one argument, if present.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A row that was not written, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRow {
    /// 1-based physical line of the file (the header is line 1); the sheet row for
    /// spreadsheets; the 1-based record number for a JSON array.
    pub line: u64,
    pub notice: Notice,
}

/// The outcome of a load, apart from the data itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format: SourceFormat,
    /// The same format as a stable lowercase string ("csv", "xlsx", ...).
    pub format_name: String,
    /// "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "windows-1258"; "binary" for spreadsheets.
    pub encoding: String,
    pub delimiter: Option<char>,
    pub header_row: bool,
    pub warnings: Vec<Notice>,
    /// At most `IngestOptions::max_reported_rows` entries.
    pub rejected: Vec<RejectedRow>,
    /// Every rejected row, listed or not.
    pub rejected_count: u64,
}

impl Report {
    pub(crate) fn new(format: SourceFormat) -> Self {
        Report {
            format,
            format_name: format.as_str().to_owned(),
            encoding: String::new(),
            delimiter: None,
            header_row: false,
            warnings: Vec::new(),
            rejected: Vec::new(),
            rejected_count: 0,
        }
    }
}

/// Every Notice key this crate emits (warnings, rejected rows and errors).
pub const NOTICE_KEYS: &[&str] = &[
    keys::RAGGED_ROW,
    keys::SHORT_ROWS,
    keys::JSON_NOT_OBJECT,
    keys::JSON_INVALID_LINE,
    keys::MIXED_TYPES,
    keys::OVERRIDE_NULL,
    keys::OVERRIDE_UNKNOWN_TYPE,
    keys::OVERRIDE_MISSING_COLUMN,
    keys::COLUMN_UNNAMED,
    keys::COLUMN_DUPLICATE,
    keys::CELL_ERRORS,
    keys::OTHER_SHEETS,
    keys::NO_HEADER,
    keys::ERR_UNREADABLE,
    keys::ERR_NOT_TABULAR,
    keys::ERR_EMPTY,
    keys::ERR_JSON_NOT_RECORDS,
    keys::ERR_JSON_SYNTAX,
    keys::ERR_NO_SHEETS,
    keys::ERR_TOO_MANY_COLUMNS,
    keys::ERR_IO,
    keys::ERR_PARQUET,
];

/// The keys, one constant each, so a typo is a compile error.
pub mod keys {
    /// Rejected: more cells than the header. Args: line, expected, found.
    pub const RAGGED_ROW: &str = "ingest-ragged-row";
    /// Warning: rows with fewer cells than the header, padded with nulls. Args: count, first_line, expected.
    pub const SHORT_ROWS: &str = "ingest-short-rows";
    /// Rejected: a JSON record that is not an object. Args: line.
    pub const JSON_NOT_OBJECT: &str = "ingest-json-not-object";
    /// Rejected: an NDJSON line that is not valid JSON. Args: line, error.
    pub const JSON_INVALID_LINE: &str = "ingest-json-invalid-line";
    /// Warning: a column kept as text although most values had a type. Args: column, type, count, first_line.
    pub const MIXED_TYPES: &str = "ingest-mixed-types";
    /// Warning: values that did not convert to the publisher's type became null. Args: column, type, count, first_line.
    pub const OVERRIDE_NULL: &str = "ingest-override-null";
    /// Warning: the publisher's type is not one we store; inferred type used. Args: column, type.
    pub const OVERRIDE_UNKNOWN_TYPE: &str = "ingest-override-unknown-type";
    /// Warning: the publisher's schema names a column the file does not have. Args: column.
    pub const OVERRIDE_MISSING_COLUMN: &str = "ingest-override-missing-column";
    /// Warning: an empty header cell was given a name. Args: column.
    pub const COLUMN_UNNAMED: &str = "ingest-column-unnamed";
    /// Warning: a repeated header name was renamed. Args: column, original.
    pub const COLUMN_DUPLICATE: &str = "ingest-column-duplicate";
    /// Warning: spreadsheet error cells (#N/A, #DIV/0!...) stored as null. Args: count, first_line.
    pub const CELL_ERRORS: &str = "ingest-cell-errors";
    /// Warning: only one sheet of a workbook was loaded. Args: sheet, ignored.
    pub const OTHER_SHEETS: &str = "ingest-other-sheets";
    /// Warning: the first row looked like data, so columns were named column_1, column_2...
    pub const NO_HEADER: &str = "ingest-no-header";

    pub const ERR_UNREADABLE: &str = "ingest-error-unreadable";
    pub const ERR_NOT_TABULAR: &str = "ingest-error-not-tabular";
    pub const ERR_EMPTY: &str = "ingest-error-empty";
    pub const ERR_JSON_NOT_RECORDS: &str = "ingest-error-json-not-records";
    pub const ERR_JSON_SYNTAX: &str = "ingest-error-json-syntax";
    pub const ERR_NO_SHEETS: &str = "ingest-error-no-sheets";
    pub const ERR_TOO_MANY_COLUMNS: &str = "ingest-error-too-many-columns";
    pub const ERR_IO: &str = "ingest-error-io";
    pub const ERR_PARQUET: &str = "ingest-error-parquet";
}
