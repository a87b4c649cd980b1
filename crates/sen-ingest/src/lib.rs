//! Sen's ingestion core: an uploaded tabular file becomes a typed Parquet file
//! and a report, without ever failing the load because of a value.
//!
//! Text formats are read twice, streaming: pass 1 sniffs the dialect and infers
//! each column's type from every value in the file; pass 2 converts and writes
//! Parquet row groups of `batch_rows`. Memory stays bounded by one row group
//! (spreadsheets excepted: calamine reads a sheet whole).

mod csv_source;
mod detect;
mod encoding;
mod error;
mod infer;
mod json_source;
mod json_value;
mod parquet_out;
mod profile;
mod report;
mod schema;
mod sheet_source;
mod sniff;

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use detect::detect_format;
pub use error::IngestError;
pub use report::{keys, Notice, RejectedRow, Report, NOTICE_KEYS};
pub use schema::{Field, FieldType, TableSchema};

use profile::{Profiler, Source};

/// The most columns a table may have (Arrow builders and Parquet metadata grow with them).
pub const MAX_COLUMNS: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Csv,
    Tsv,
    Xlsx,
    Xls,
    Json,
    Ndjson,
    GeoJson,
}

impl SourceFormat {
    /// A stable lowercase name: "csv", "tsv", "xlsx", "xls", "json", "ndjson", "geojson".
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Csv => "csv",
            SourceFormat::Tsv => "tsv",
            SourceFormat::Xlsx => "xlsx",
            SourceFormat::Xls => "xls",
            SourceFormat::Json => "json",
            SourceFormat::Ndjson => "ndjson",
            SourceFormat::GeoJson => "geojson",
        }
    }
}

impl std::fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Columns the publisher has edited (from a previous Table Schema): types given
    /// here are used instead of inferred ones, and titles and descriptions are kept.
    /// A value that does not convert becomes null and is counted in a warning.
    pub overrides: Option<TableSchema>,
    /// Rows per Parquet row group (default 8192).
    pub batch_rows: usize,
    /// At most this many rejected rows are listed individually (all are counted).
    pub max_reported_rows: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            overrides: None,
            batch_rows: 8192,
            max_reported_rows: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ingested {
    pub table_schema: TableSchema,
    pub rows: u64,
    pub report: Report,
}

/// Reads `input` (a local file) as `format` and writes Parquet to `output`.
///
/// `progress(done, total)` is called now and then: in bytes for text formats,
/// where the file is read twice so `total` is twice its size; in sheet rows
/// (also counted twice) for spreadsheets.
pub fn ingest_file(
    input: &Path,
    format: SourceFormat,
    output: &mut (impl Write + Send),
    options: &IngestOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Ingested, IngestError> {
    let mut report = Report::new(format);
    let mut warnings = Vec::new();
    match format {
        SourceFormat::Csv | SourceFormat::Tsv => {
            let mut source = csv_source::CsvSource::open(input, format == SourceFormat::Tsv)?;
            report.encoding = source.encoding.label();
            report.delimiter = Some(char::from(source.delimiter));
            let result = run(
                &mut source,
                output,
                options,
                progress,
                &mut report,
                warnings,
            );
            report.header_row = source.header;
            result.map(|(schema, rows)| finish(schema, rows, report))
        }
        SourceFormat::Json | SourceFormat::Ndjson | SourceFormat::GeoJson => {
            let mut source = json_source::JsonSource::open(input, format == SourceFormat::Ndjson)?;
            report.encoding = source.encoding.label();
            report.header_row = true;
            run(
                &mut source,
                output,
                options,
                progress,
                &mut report,
                warnings,
            )
            .map(|(schema, rows)| finish(schema, rows, report))
        }
        SourceFormat::Xlsx | SourceFormat::Xls => {
            let mut source =
                sheet_source::SheetSource::open(input, format == SourceFormat::Xls, &mut warnings)?;
            report.encoding = "binary".to_owned();
            report.header_row = source.header;
            run(
                &mut source,
                output,
                options,
                progress,
                &mut report,
                warnings,
            )
            .map(|(schema, rows)| finish(schema, rows, report))
        }
    }
}

fn finish(table_schema: TableSchema, rows: u64, report: Report) -> Ingested {
    Ingested {
        table_schema,
        rows,
        report,
    }
}

/// Pass 1 into the profiler, the plan, pass 2 into Parquet.
fn run(
    source: &mut dyn Source,
    output: &mut (impl Write + Send),
    options: &IngestOptions,
    progress: &mut dyn FnMut(u64, u64),
    report: &mut Report,
    mut warnings: Vec<Notice>,
) -> Result<(TableSchema, u64), IngestError> {
    let mut profiler = Profiler::new(options.max_reported_rows);
    source.scan(0, &mut profiler, progress)?;
    profiler.finish_warnings();
    let names = source.column_names();
    if names.is_empty() {
        return Err(IngestError::Empty);
    }
    warnings.append(&mut profiler.warnings);
    let plan = profile::plan(
        &names,
        &profiler.columns,
        options.overrides.as_ref(),
        &mut warnings,
    );
    let mut sink = parquet_out::ParquetSink::new(output, &plan, options.batch_rows)?;
    source.scan(1, &mut sink, progress)?;
    let (rows, mut conversion_warnings) = sink.finish()?;
    warnings.append(&mut conversion_warnings);
    report.warnings = warnings;
    report.rejected = profiler.rejected;
    report.rejected_count = profiler.rejected_count;
    Ok((plan.schema, rows))
}
