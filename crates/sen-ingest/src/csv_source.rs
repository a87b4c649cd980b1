//! CSV and TSV: dialect sniffed from the first 64 KiB, then two streaming passes.

use std::io::Read;
use std::path::{Path, PathBuf};

use csv::StringRecord;

use crate::encoding::{self, TextEncoding, HEAD_BYTES};
use crate::profile::{Sink, Source};
use crate::report::{keys, Notice};
use crate::sniff;
use crate::{IngestError, MAX_COLUMNS};

pub(crate) struct CsvSource {
    path: PathBuf,
    size: u64,
    pub encoding: TextEncoding,
    pub delimiter: u8,
    pub header: bool,
    names: Vec<String>,
}

fn csv_error(e: csv::Error) -> IngestError {
    if e.is_io_error() {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => IngestError::Io(io),
            other => IngestError::Unreadable(format!("{other:?}")),
        }
    } else {
        IngestError::Unreadable(e.to_string())
    }
}

fn cells(record: &StringRecord) -> Vec<Option<&str>> {
    record.iter().map(Some).collect()
}

impl CsvSource {
    /// Detects the encoding, the delimiter (tab for TSV) and whether there is a header.
    pub(crate) fn open(path: &Path, tsv: bool) -> Result<Self, IngestError> {
        let encoding = encoding::detect(path)?;
        let size = std::fs::metadata(path)?.len();
        let mut head = Vec::new();
        encoding::open_text(path, encoding, 0, size, &mut |_, _| {})?
            .take(HEAD_BYTES as u64)
            .read_to_end(&mut head)?;
        // The cut may split the last character; lossy decoding only touches that tail.
        let sample = String::from_utf8_lossy(&head);
        let delimiter = if tsv {
            b'\t'
        } else {
            sniff::sniff_delimiter(&sample)
        };
        let first = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes())
            .records()
            .next();
        let header = match first {
            Some(Ok(r)) => !sniff::looks_like_data(r.iter().map(Some)),
            _ => true,
        };
        Ok(CsvSource {
            path: path.to_owned(),
            size,
            encoding,
            delimiter,
            header,
            names: Vec::new(),
        })
    }
}

impl Source for CsvSource {
    fn scan(
        &mut self,
        pass: u8,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(), IngestError> {
        let text = encoding::open_text(
            &self.path,
            self.encoding,
            u64::from(pass) * self.size,
            2 * self.size,
            progress,
        )?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut record = StringRecord::new();
        if !reader.read_record(&mut record).map_err(csv_error)? {
            return Err(IngestError::Empty);
        }
        if record.len() > MAX_COLUMNS {
            return Err(IngestError::TooManyColumns {
                found: record.len(),
                max: MAX_COLUMNS,
            });
        }
        if pass == 0 {
            self.names = if self.header {
                let mut warnings = Vec::new();
                let names = sniff::column_names(record.iter().map(Some), &mut warnings);
                warnings.into_iter().for_each(|w| sink.warn(w));
                names
            } else {
                sink.warn(Notice::new(keys::NO_HEADER, &[]));
                sniff::generated_names(record.len())
            };
        }
        let ncols = self.names.len();
        if !self.header {
            let line = record.position().map_or(1, |p| p.line());
            sink.row(line, &cells(&record))?;
        }
        while reader.read_record(&mut record).map_err(csv_error)? {
            let line = record.position().map_or(0, |p| p.line());
            if record.iter().all(|c| c.trim().is_empty()) {
                // Blank lines and rows of empty cells (spreadsheet exports) carry nothing.
                continue;
            }
            let found = record.len();
            if found > ncols {
                // Trailing empty cells ("a,b,") are harmless; anything else is a misplaced value.
                if record.iter().skip(ncols).all(|c| c.trim().is_empty()) {
                    sink.row(line, &cells(&record)[..ncols])?;
                } else {
                    sink.reject(
                        line,
                        Notice::new(
                            keys::RAGGED_ROW,
                            &[
                                ("line", line.to_string()),
                                ("expected", ncols.to_string()),
                                ("found", found.to_string()),
                            ],
                        ),
                    );
                }
                continue;
            }
            if found < ncols {
                sink.short_row(line, ncols);
            }
            sink.row(line, &cells(&record))?;
        }
        Ok(())
    }

    fn column_names(&self) -> Vec<String> {
        self.names.clone()
    }
}
