//! Record batches as CKAN returns records: objects, lists, or CSV/TSV text.

use crate::{DsError, Result};
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::DataType;
use serde_json::{Map, Value};

/// CKAN's `records_format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordsFormat {
    #[default]
    Objects,
    Lists,
    Csv,
    Tsv,
}

impl RecordsFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "objects" => Some(Self::Objects),
            "lists" => Some(Self::Lists),
            "csv" => Some(Self::Csv),
            "tsv" => Some(Self::Tsv),
            _ => None,
        }
    }
}

/// The CKAN DataStore type name of an Arrow type.
pub fn ckan_type(t: &DataType) -> &'static str {
    match t {
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => "int",
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => "int",
        DataType::Float16 | DataType::Float32 | DataType::Float64 => "numeric",
        DataType::Decimal128(_, _) | DataType::Decimal256(_, _) => "numeric",
        DataType::Boolean => "bool",
        DataType::Date32 | DataType::Date64 => "date",
        DataType::Timestamp(_, _) => "timestamp",
        _ => "text",
    }
}

/// Rows as JSON objects, nulls kept as `null` (CKAN gives every key).
pub fn to_objects(batches: &[RecordBatch]) -> Result<Vec<Map<String, Value>>> {
    use datafusion::arrow::json::writer::{JsonArray, WriterBuilder};
    let mut buf = Vec::new();
    {
        let mut writer = WriterBuilder::new()
            .with_explicit_nulls(true)
            .build::<_, JsonArray>(&mut buf);
        for b in batches {
            writer
                .write(b)
                .map_err(|e| DsError::Internal(e.to_string()))?;
        }
        writer
            .finish()
            .map_err(|e| DsError::Internal(e.to_string()))?;
    }
    if buf.is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_slice(&buf).map_err(|e| DsError::Internal(e.to_string()))
}

/// Records in the format asked for, with `fields` giving the column order.
pub fn render(batches: &[RecordBatch], fields: &[String], format: RecordsFormat) -> Result<Value> {
    match format {
        RecordsFormat::Objects => Ok(Value::Array(
            to_objects(batches)?
                .into_iter()
                .map(Value::Object)
                .collect(),
        )),
        RecordsFormat::Lists => Ok(Value::Array(
            to_objects(batches)?
                .into_iter()
                .map(|mut o| {
                    Value::Array(
                        fields
                            .iter()
                            .map(|f| o.remove(f).unwrap_or(Value::Null))
                            .collect(),
                    )
                })
                .collect(),
        )),
        RecordsFormat::Csv | RecordsFormat::Tsv => {
            let delimiter = if format == RecordsFormat::Csv {
                b','
            } else {
                b'\t'
            };
            let bytes = delimited(batches, delimiter, false)?;
            Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        }
    }
}

/// CSV or TSV text of `batches` (CKAN's csv records have no header line).
pub fn delimited(batches: &[RecordBatch], delimiter: u8, header: bool) -> Result<Vec<u8>> {
    use datafusion::arrow::csv::WriterBuilder;
    let mut buf = Vec::new();
    {
        let mut writer = WriterBuilder::new()
            .with_header(header)
            .with_delimiter(delimiter)
            .build(&mut buf);
        for b in batches {
            writer
                .write(b)
                .map_err(|e| DsError::Internal(e.to_string()))?;
        }
    }
    Ok(buf)
}
