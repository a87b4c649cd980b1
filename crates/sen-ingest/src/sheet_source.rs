//! XLSX and XLS through calamine. The first sheet with data is loaded; calamine
//! reads a sheet whole, so a workbook is held in memory (upload limits bound it).
//! Cells become text first and then go through the same inference as CSV, so a
//! cell stored as text "01" stays a code and a float cell 1.0 reads as "1".

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::{Data, Range, Reader, Xls, Xlsx};

use crate::profile::{Sink, Source};
use crate::report::{keys, Notice};
use crate::sniff;
use crate::{IngestError, MAX_COLUMNS};

pub(crate) struct SheetSource {
    range: Range<Data>,
    /// 0-based sheet row of the range's first row.
    first_row: u64,
    pub header: bool,
    names: Vec<String>,
}

fn unreadable(e: impl std::fmt::Display) -> IngestError {
    IngestError::Unreadable(e.to_string())
}

/// The first sheet with at least one cell; warns when others were left out.
fn first_sheet<R: Read + Seek, W: Reader<R>>(
    mut book: W,
    warnings: &mut Vec<Notice>,
) -> Result<Range<Data>, IngestError>
where
    W::Error: std::fmt::Display,
{
    let names = book.sheet_names();
    for name in &names {
        let range = book.worksheet_range(name).map_err(unreadable)?;
        if !range.is_empty() {
            if names.len() > 1 {
                warnings.push(Notice::new(
                    keys::OTHER_SHEETS,
                    &[
                        ("sheet", name.clone()),
                        ("ignored", (names.len() - 1).to_string()),
                    ],
                ));
            }
            return Ok(range);
        }
    }
    Err(IngestError::NoSheets)
}

/// A cell as the text a person would have typed.
fn cell_text(cell: &Data) -> Option<String> {
    match cell {
        Data::Empty | Data::Error(_) => None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(float_text(*f)),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            Some(match (h, mi, s, ms) {
                (0, 0, 0, 0) => format!("{y:04}-{mo:02}-{d:02}"),
                (_, _, _, 0) => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}"),
                _ => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}"),
            })
        }
        // A duration: keep Excel's number of days.
        Data::DateTime(dt) => Some(float_text(dt.as_f64())),
    }
}

/// Whole floats print as integers (Excel stores every number as a float).
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

impl SheetSource {
    pub(crate) fn open(
        path: &Path,
        xls: bool,
        warnings: &mut Vec<Notice>,
    ) -> Result<Self, IngestError> {
        let file = BufReader::new(File::open(path)?);
        let range = if xls {
            first_sheet(Xls::new(file).map_err(unreadable)?, warnings)?
        } else {
            first_sheet(Xlsx::new(file).map_err(unreadable)?, warnings)?
        };
        if range.width() > MAX_COLUMNS {
            return Err(IngestError::TooManyColumns {
                found: range.width(),
                max: MAX_COLUMNS,
            });
        }
        let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
        let mut source = SheetSource {
            range,
            first_row,
            header: true,
            names: Vec::new(),
        };
        let first = source.rows().next().map(|(_, cells, _)| cells);
        let Some(first) = first else {
            return Err(IngestError::NoSheets);
        };
        source.header = !sniff::looks_like_data(first.iter().map(Option::as_deref));
        source.names = if source.header {
            sniff::column_names(first.iter().map(Option::as_deref), warnings)
        } else {
            warnings.push(Notice::new(keys::NO_HEADER, &[]));
            sniff::generated_names(source.range.width())
        };
        Ok(source)
    }

    /// Non-empty rows as text, with their 1-based sheet row number and whether
    /// they held error cells.
    fn rows(&self) -> impl Iterator<Item = (u64, Vec<Option<String>>, bool)> + '_ {
        self.range.rows().enumerate().filter_map(|(i, row)| {
            let cells: Vec<Option<String>> = row.iter().map(cell_text).collect();
            let blank = cells
                .iter()
                .all(|c| c.as_deref().is_none_or(|v| v.trim().is_empty()));
            let errors = row.iter().any(|c| matches!(c, Data::Error(_)));
            (!blank).then_some((self.first_row + i as u64 + 1, cells, errors))
        })
    }
}

impl Source for SheetSource {
    /// Progress is counted in sheet rows here.
    fn scan(
        &mut self,
        pass: u8,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(), IngestError> {
        let total = self.range.height() as u64;
        let mut errors = (0u64, 0u64);
        for (n, (line, cells, has_errors)) in self.rows().enumerate().skip(usize::from(self.header))
        {
            if has_errors {
                if errors.0 == 0 {
                    errors.1 = line;
                }
                errors.0 += 1;
            }
            let row: Vec<Option<&str>> = cells.iter().map(Option::as_deref).collect();
            sink.row(line, &row)?;
            if n % 4096 == 0 {
                progress(u64::from(pass) * total + n as u64, 2 * total);
            }
        }
        if errors.0 > 0 {
            sink.warn(Notice::new(
                keys::CELL_ERRORS,
                &[
                    ("count", errors.0.to_string()),
                    ("first_line", errors.1.to_string()),
                ],
            ));
        }
        progress(u64::from(pass + 1) * total, 2 * total);
        Ok(())
    }

    fn column_names(&self) -> Vec<String> {
        self.names.clone()
    }
}
