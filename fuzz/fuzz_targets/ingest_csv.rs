//! CSV ingestion (sniffing, decoding, inference, Parquet writing) never panics on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sen_ingest::{ingest_file, IngestOptions, SourceFormat};

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("upload.csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let options = IngestOptions { batch_rows: 64, ..IngestOptions::default() };
    let mut out = Vec::new();
    let _ = ingest_file(&path, SourceFormat::Csv, &mut out, &options, &mut |_, _| {});
});
