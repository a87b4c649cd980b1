//! Whole-table exports as an XLSX workbook. The worksheet is written in
//! constant-memory mode (each finished row goes to a temporary file), then
//! zipped into another temporary file that the caller streams: memory stays
//! at a record batch whatever the table's size.

use crate::{DsError, Result};
use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::DataFrame;
use futures::StreamExt;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// Excel's last row, less the header.
pub const MAX_ROWS: u64 = 1_048_575;
/// Excel's longest cell text.
const MAX_TEXT: usize = 32_767;

fn xlsx_error(e: XlsxError) -> DsError {
    DsError::Internal(format!("xlsx: {e}"))
}

/// How a column's cells are written.
enum Cells {
    Number(ArrayRef),
    Boolean(ArrayRef),
    Date(ArrayRef),
    Timestamp(ArrayRef),
    Text(ArrayRef),
}

fn cells(column: &ArrayRef) -> Result<Cells> {
    let to = |a: &ArrayRef, t: DataType| cast(a, &t).map_err(|e| DsError::Internal(e.to_string()));
    let seconds = |a: &ArrayRef| {
        to(
            &to(a, DataType::Timestamp(TimeUnit::Second, None))?,
            DataType::Int64,
        )
    };
    Ok(match column.data_type() {
        t if t.is_numeric() => Cells::Number(to(column, DataType::Float64)?),
        DataType::Boolean => Cells::Boolean(column.clone()),
        DataType::Date32 | DataType::Date64 => Cells::Date(seconds(column)?),
        DataType::Timestamp(_, _) => Cells::Timestamp(seconds(column)?),
        _ => Cells::Text(to(column, DataType::Utf8)?),
    })
}

struct Formats {
    date: Format,
    datetime: Format,
}

fn write_batch(
    sheet: &mut Worksheet,
    batch: &RecordBatch,
    first_row: u32,
    f: &Formats,
) -> Result<()> {
    let columns: Vec<Cells> = batch.columns().iter().map(cells).collect::<Result<_>>()?;
    for i in 0..batch.num_rows() {
        let row = first_row + i as u32;
        for (c, cells) in columns.iter().enumerate() {
            let col = c as u16;
            let written = match cells {
                Cells::Number(a) if a.is_valid(i) => {
                    let v = a.as_primitive::<Float64Type>().value(i);
                    if v.is_finite() {
                        sheet.write_number(row, col, v).map(|_| ())
                    } else {
                        Ok(())
                    }
                }
                Cells::Boolean(a) if a.is_valid(i) => sheet
                    .write_boolean(row, col, a.as_boolean().value(i))
                    .map(|_| ()),
                Cells::Date(a) | Cells::Timestamp(a) if a.is_valid(i) => {
                    let format = if matches!(cells, Cells::Date(_)) {
                        &f.date
                    } else {
                        &f.datetime
                    };
                    match ExcelDateTime::from_timestamp(a.as_primitive::<Int64Type>().value(i)) {
                        Ok(when) => sheet
                            .write_datetime_with_format(row, col, &when, format)
                            .map(|_| ()),
                        // Before 1900 or after 9999: Excel has no such date; keep the text.
                        Err(_) => Ok(()),
                    }
                }
                Cells::Text(a) if a.is_valid(i) => {
                    let text = a.as_string::<i32>().value(i);
                    let text = match text.char_indices().nth(MAX_TEXT) {
                        Some((cut, _)) => &text[..cut],
                        None => text,
                    };
                    sheet.write_string(row, col, text).map(|_| ())
                }
                _ => Ok(()),
            };
            written.map_err(xlsx_error)?;
        }
    }
    Ok(())
}

/// Writes the whole of `df` as a workbook into a temporary file, removed
/// when the returned path is dropped.
pub async fn write(df: DataFrame) -> Result<tempfile::TempPath> {
    let rows = df.clone().count().await? as u64;
    if rows > MAX_ROWS {
        return Err(DsError::TooManyRows {
            format: "XLSX",
            rows,
            limit: MAX_ROWS,
        });
    }
    let names: Vec<String> = df
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let formats = Formats {
        date: Format::new().set_num_format("yyyy-mm-dd"),
        datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
    };
    let mut workbook = Workbook::new();
    {
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        let bold = Format::new().set_bold();
        for (c, name) in names.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, name, &bold)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    }
    let mut batches = df.execute_stream().await?;
    let mut next_row = 1u32;
    while let Some(batch) = batches.next().await {
        let batch = batch?;
        let sheet = workbook.worksheet_from_index(0).map_err(xlsx_error)?;
        write_batch(sheet, &batch, next_row, &formats)?;
        next_row += batch.num_rows() as u32;
    }
    let path = tempfile::NamedTempFile::new()
        .map_err(|e| DsError::Internal(e.to_string()))?
        .into_temp_path();
    let target = path.to_path_buf();
    tokio::task::spawn_blocking(move || workbook.save(&target))
        .await
        .map_err(|e| DsError::Internal(e.to_string()))?
        .map_err(xlsx_error)?;
    Ok(path)
}
