//! Why a load failed as a whole. Values never fail a load; only the file does.

use crate::report::{keys, Notice};

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The bytes are not text we can read (binary), or the spreadsheet is corrupt.
    #[error("unreadable file: {0}")]
    Unreadable(String),
    /// The format is not one we load as a table.
    #[error("not a tabular file")]
    NotTabular,
    /// No header and no data.
    #[error("the file is empty")]
    Empty,
    /// JSON whose top level is not an array of objects (nor a GeoJSON FeatureCollection).
    #[error("JSON is not an array of objects")]
    JsonNotRecords,
    /// JSON that does not parse.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    JsonSyntax {
        line: u64,
        column: u64,
        message: String,
    },
    /// A workbook without any non-empty sheet.
    #[error("the workbook has no sheet with data")]
    NoSheets,
    /// More columns than we store (memory and Parquet metadata grow with them).
    #[error("too many columns: {found} (at most {max})")]
    TooManyColumns { found: usize, max: usize },
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("Parquet error: {0}")]
    Parquet(String),
}

impl From<parquet::errors::ParquetError> for IngestError {
    fn from(e: parquet::errors::ParquetError) -> Self {
        IngestError::Parquet(e.to_string())
    }
}

impl From<arrow_schema::ArrowError> for IngestError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        IngestError::Parquet(e.to_string())
    }
}

impl IngestError {
    /// The message for people, to translate.
    pub fn notice(&self) -> Notice {
        match self {
            IngestError::Unreadable(detail) => {
                Notice::new(keys::ERR_UNREADABLE, &[("detail", detail.clone())])
            }
            IngestError::NotTabular => Notice::new(keys::ERR_NOT_TABULAR, &[]),
            IngestError::Empty => Notice::new(keys::ERR_EMPTY, &[]),
            IngestError::JsonNotRecords => Notice::new(keys::ERR_JSON_NOT_RECORDS, &[]),
            IngestError::JsonSyntax {
                line,
                column,
                message,
            } => Notice::new(
                keys::ERR_JSON_SYNTAX,
                &[
                    ("line", line.to_string()),
                    ("column", column.to_string()),
                    ("detail", message.clone()),
                ],
            ),
            IngestError::NoSheets => Notice::new(keys::ERR_NO_SHEETS, &[]),
            IngestError::TooManyColumns { found, max } => Notice::new(
                keys::ERR_TOO_MANY_COLUMNS,
                &[("found", found.to_string()), ("max", max.to_string())],
            ),
            IngestError::Io(e) => Notice::new(keys::ERR_IO, &[("detail", e.to_string())]),
            IngestError::Parquet(detail) => {
                Notice::new(keys::ERR_PARQUET, &[("detail", detail.clone())])
            }
        }
    }
}
