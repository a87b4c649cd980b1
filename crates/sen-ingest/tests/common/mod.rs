//! Helpers shared by the integration tests: ingest into memory and read the Parquet back.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use arrow_array::{Array, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sen_ingest::{ingest_file, IngestError, IngestOptions, Ingested, SourceFormat};

/// The shared real-data folder, beside the repository.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name)
}

pub fn try_ingest(
    path: &Path,
    format: SourceFormat,
    options: &IngestOptions,
) -> Result<(Ingested, Vec<RecordBatch>), IngestError> {
    let mut out = Vec::new();
    let ingested = ingest_file(path, format, &mut out, options, &mut |_, _| {})?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(out))
        .expect("parquet footer")
        .build()
        .expect("parquet reader");
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .expect("parquet batches");
    Ok((ingested, batches))
}

pub fn ingest(path: &Path, format: SourceFormat) -> (Ingested, Vec<RecordBatch>) {
    try_ingest(path, format, &IngestOptions::default()).expect("ingest")
}

/// Writes `bytes` to a temporary file and ingests it.
pub fn ingest_bytes(
    bytes: &[u8],
    format: SourceFormat,
) -> Result<(Ingested, Vec<RecordBatch>), IngestError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("upload");
    std::fs::write(&path, bytes).expect("write");
    try_ingest(&path, format, &IngestOptions::default())
}

pub fn strings(batches: &[RecordBatch], column: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    for b in batches {
        let a = b.column_by_name(column).expect("column");
        let a = a
            .as_any()
            .downcast_ref::<StringArray>()
            .expect("string column");
        out.extend((0..a.len()).map(|i| a.is_valid(i).then(|| a.value(i).to_owned())));
    }
    out
}

pub fn types(ingested: &Ingested) -> Vec<(String, String)> {
    ingested
        .table_schema
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.field_type.as_str().to_owned()))
        .collect()
}

pub fn type_of(ingested: &Ingested, column: &str) -> String {
    ingested
        .table_schema
        .field(column)
        .map(|f| f.field_type.as_str().to_owned())
        .unwrap_or_default()
}
