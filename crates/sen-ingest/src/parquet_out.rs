//! Pass 2: typed Arrow columns, written as Parquet row groups of `batch_rows`.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::infer::{
    convert_boolean, convert_date, convert_datetime, convert_decimal_comma, convert_integer,
    convert_number, Kind,
};
use crate::profile::{Plan, Sink};
use crate::report::{keys, Notice};
use crate::IngestError;

enum Column {
    Integer(Int64Builder),
    /// With `true`, values are written the Vietnamese way ("1.234,5").
    Number(Float64Builder, bool),
    Boolean(BooleanBuilder),
    Date(Date32Builder),
    Datetime(TimestampMicrosecondBuilder),
    String(StringBuilder),
}

impl Column {
    fn new(kind: Kind, decimal_comma: bool) -> Self {
        match kind {
            Kind::Integer => Column::Integer(Int64Builder::new()),
            Kind::Number => Column::Number(Float64Builder::new(), decimal_comma),
            Kind::Boolean => Column::Boolean(BooleanBuilder::new()),
            Kind::Date => Column::Date(Date32Builder::new()),
            Kind::Datetime => Column::Datetime(TimestampMicrosecondBuilder::new()),
            Kind::String => Column::String(StringBuilder::new()),
        }
    }

    /// Appends a value; false when it did not convert (a null is appended instead).
    fn push(&mut self, raw: Option<&str>) -> bool {
        let Some(raw) = raw.filter(|v| !v.trim().is_empty()) else {
            self.push_null();
            return true;
        };
        let v = raw.trim();
        let ok = match self {
            Column::Integer(b) => convert_integer(v).map(|x| b.append_value(x)),
            Column::Number(b, false) => convert_number(v).map(|x| b.append_value(x)),
            Column::Number(b, true) => convert_decimal_comma(v).map(|x| b.append_value(x)),
            Column::Boolean(b) => convert_boolean(v).map(|x| b.append_value(x)),
            Column::Date(b) => convert_date(v).map(|d| b.append_value(days_since_epoch(d))),
            Column::Datetime(b) => {
                convert_datetime(v).map(|dt| b.append_value(dt.and_utc().timestamp_micros()))
            }
            // Text is kept as written, surrounding spaces included.
            Column::String(b) => {
                b.append_value(raw);
                Some(())
            }
        };
        if ok.is_none() {
            self.push_null();
        }
        ok.is_some()
    }

    fn push_null(&mut self) {
        match self {
            Column::Integer(b) => b.append_null(),
            Column::Number(b, _) => b.append_null(),
            Column::Boolean(b) => b.append_null(),
            Column::Date(b) => b.append_null(),
            Column::Datetime(b) => b.append_null(),
            Column::String(b) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Integer(b) => Arc::new(b.finish()),
            Column::Number(b, _) => Arc::new(b.finish()),
            Column::Boolean(b) => Arc::new(b.finish()),
            Column::Date(b) => Arc::new(b.finish()),
            Column::Datetime(b) => Arc::new(b.finish()),
            Column::String(b) => Arc::new(b.finish()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Column::Integer(b) => b.len(),
            Column::Number(b, _) => b.len(),
            Column::Boolean(b) => b.len(),
            Column::Date(b) => b.len(),
            Column::Datetime(b) => b.len(),
            Column::String(b) => b.len(),
        }
    }
}

fn days_since_epoch(d: NaiveDate) -> i32 {
    // Dates are 4-digit years, so the day count always fits an i32.
    (d - NaiveDate::default()).num_days() as i32
}

pub(crate) fn arrow_type(kind: Kind) -> DataType {
    match kind {
        Kind::Integer => DataType::Int64,
        Kind::Number => DataType::Float64,
        Kind::Boolean => DataType::Boolean,
        Kind::Date => DataType::Date32,
        Kind::Datetime => DataType::Timestamp(TimeUnit::Microsecond, None),
        Kind::String => DataType::Utf8,
    }
}

pub(crate) struct ParquetSink<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    columns: Vec<Column>,
    names: Vec<String>,
    kinds: Vec<Kind>,
    batch_rows: usize,
    /// Per column: values that did not convert, and the first line of one.
    failures: Vec<(u64, u64)>,
    pub rows: u64,
}

impl<W: Write + Send> ParquetSink<W> {
    pub(crate) fn new(output: W, plan: &Plan, batch_rows: usize) -> Result<Self, IngestError> {
        let fields: Vec<Field> = plan
            .schema
            .fields
            .iter()
            .zip(&plan.kinds)
            .map(|(f, k)| Field::new(f.name.clone(), arrow_type(*k), true))
            .collect();
        let schema = Arc::new(Schema::new(fields));
        let batch_rows = batch_rows.max(1);
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_size(batch_rows)
            .build();
        let writer = ArrowWriter::try_new(output, schema.clone(), Some(props))?;
        Ok(ParquetSink {
            writer,
            schema,
            columns: plan
                .kinds
                .iter()
                .zip(&plan.schema.fields)
                .map(|(k, f)| Column::new(*k, f.decimal_char.as_deref() == Some(",")))
                .collect(),
            names: plan.schema.fields.iter().map(|f| f.name.clone()).collect(),
            kinds: plan.kinds.clone(),
            batch_rows,
            failures: vec![(0, 0); plan.kinds.len()],
            rows: 0,
        })
    }

    fn flush(&mut self) -> Result<(), IngestError> {
        if self.columns.first().is_none_or(|c| c.len() == 0) {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.columns.iter_mut().map(Column::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)?;
        self.writer.write(&batch)?;
        Ok(())
    }

    /// Writes the last row group and the footer; returns one warning per column
    /// whose values did not all convert.
    pub(crate) fn finish(mut self) -> Result<(u64, Vec<Notice>), IngestError> {
        self.flush()?;
        self.writer.close()?;
        let warnings = self
            .failures
            .iter()
            .enumerate()
            .filter(|(_, (count, _))| *count > 0)
            .map(|(i, (count, first))| {
                Notice::new(
                    keys::OVERRIDE_NULL,
                    &[
                        ("column", self.names[i].clone()),
                        ("type", self.kinds[i].name().to_owned()),
                        ("count", count.to_string()),
                        ("first_line", first.to_string()),
                    ],
                )
            })
            .collect();
        Ok((self.rows, warnings))
    }
}

impl<W: Write + Send> Sink for ParquetSink<W> {
    fn row(&mut self, line: u64, cells: &[Option<&str>]) -> Result<(), IngestError> {
        for (i, column) in self.columns.iter_mut().enumerate() {
            if !column.push(cells.get(i).copied().flatten()) {
                let f = &mut self.failures[i];
                if f.0 == 0 {
                    f.1 = line;
                }
                f.0 += 1;
            }
        }
        self.rows += 1;
        if self
            .columns
            .first()
            .is_some_and(|c| c.len() >= self.batch_rows)
        {
            self.flush()?;
        }
        Ok(())
    }
}
