//! Pass 1: the sink that profiles every row, and the plan it yields for pass 2.

use crate::infer::{ColumnProfile, Kind};
use crate::report::{keys, Notice, RejectedRow};
use crate::schema::{Field, FieldType, TableSchema};
use crate::IngestError;

/// Where a source sends its rows; implemented by the profiler (pass 1) and the
/// Parquet writer (pass 2). Only pass 1 records rejections and warnings, so a
/// source can send them on both passes without duplicates.
pub(crate) trait Sink {
    /// One row; cells beyond the row's length are null.
    fn row(&mut self, line: u64, cells: &[Option<&str>]) -> Result<(), IngestError>;
    fn reject(&mut self, _line: u64, _notice: Notice) {}
    /// A row with fewer cells than columns (padded with nulls).
    fn short_row(&mut self, _line: u64, _expected: usize) {}
    fn warn(&mut self, _notice: Notice) {}
}

/// Sources read their file once per pass.
pub(crate) trait Source {
    /// Sends every row to `sink`. `pass` is 0 or 1 (for progress reporting).
    fn scan(
        &mut self,
        pass: u8,
        sink: &mut dyn Sink,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(), IngestError>;
    /// Column names, known after pass 1.
    fn column_names(&self) -> Vec<String>;
}

pub(crate) struct Profiler {
    pub columns: Vec<ColumnProfile>,
    pub rows: u64,
    pub warnings: Vec<Notice>,
    pub rejected: Vec<RejectedRow>,
    pub rejected_count: u64,
    max_reported: usize,
    short_rows: u64,
    short_first: u64,
    short_expected: usize,
}

impl Profiler {
    pub(crate) fn new(max_reported: usize) -> Self {
        Profiler {
            columns: Vec::new(),
            rows: 0,
            warnings: Vec::new(),
            rejected: Vec::new(),
            rejected_count: 0,
            max_reported,
            short_rows: 0,
            short_first: 0,
            short_expected: 0,
        }
    }

    /// The aggregated short-row warning, once pass 1 is over.
    pub(crate) fn finish_warnings(&mut self) {
        if self.short_rows > 0 {
            self.warnings.push(Notice::new(
                keys::SHORT_ROWS,
                &[
                    ("count", self.short_rows.to_string()),
                    ("first_line", self.short_first.to_string()),
                    ("expected", self.short_expected.to_string()),
                ],
            ));
        }
    }
}

impl Sink for Profiler {
    fn row(&mut self, line: u64, cells: &[Option<&str>]) -> Result<(), IngestError> {
        if cells.len() > self.columns.len() {
            self.columns
                .resize_with(cells.len(), ColumnProfile::default);
        }
        for (profile, cell) in self.columns.iter_mut().zip(cells) {
            if let Some(v) = cell {
                profile.observe(line, v);
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn reject(&mut self, line: u64, notice: Notice) {
        self.rejected_count += 1;
        if self.rejected.len() < self.max_reported {
            self.rejected.push(RejectedRow { line, notice });
        }
    }

    fn short_row(&mut self, line: u64, expected: usize) {
        if self.short_rows == 0 {
            self.short_first = line;
            self.short_expected = expected;
        }
        self.short_rows += 1;
    }

    fn warn(&mut self, notice: Notice) {
        self.warnings.push(notice);
    }
}

/// What pass 2 writes: one kind per column.
pub(crate) struct Plan {
    pub schema: TableSchema,
    pub kinds: Vec<Kind>,
}

fn kind_of(t: &FieldType) -> Option<Kind> {
    Some(match t {
        FieldType::Integer => Kind::Integer,
        FieldType::Number => Kind::Number,
        FieldType::Boolean => Kind::Boolean,
        FieldType::Date => Kind::Date,
        FieldType::Datetime => Kind::Datetime,
        FieldType::String => Kind::String,
        FieldType::Other(_) => return None,
    })
}

fn field_type(k: Kind) -> FieldType {
    match k {
        Kind::Integer => FieldType::Integer,
        Kind::Number => FieldType::Number,
        Kind::Boolean => FieldType::Boolean,
        Kind::Date => FieldType::Date,
        Kind::Datetime => FieldType::Datetime,
        Kind::String => FieldType::String,
    }
}

/// Inferred types, replaced by the publisher's where given; titles and
/// descriptions are carried over from the publisher's schema.
pub(crate) fn plan(
    names: &[String],
    profiles: &[ColumnProfile],
    overrides: Option<&TableSchema>,
    warnings: &mut Vec<Notice>,
) -> Plan {
    let empty = ColumnProfile::default();
    let mut fields = Vec::with_capacity(names.len());
    let mut kinds = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let profile = profiles.get(i).unwrap_or(&empty);
        let given = overrides.and_then(|o| o.field(name));
        let forced = match given {
            Some(f) => match kind_of(&f.field_type) {
                Some(k) => Some(k),
                None => {
                    warnings.push(Notice::new(
                        keys::OVERRIDE_UNKNOWN_TYPE,
                        &[
                            ("column", name.clone()),
                            ("type", f.field_type.as_str().to_owned()),
                        ],
                    ));
                    None
                }
            },
            None => None,
        };
        let inferred_comma = forced.is_none() && profile.decimal_comma();
        let kind = match forced {
            Some(k) => k,
            None if inferred_comma => Kind::Number,
            None => profile.kind(),
        };
        if forced.is_none() && !inferred_comma {
            if let Some(w) = profile.mixed_warning(name) {
                warnings.push(w);
            }
        }
        let decimal_comma = kind == Kind::Number
            && (inferred_comma || given.and_then(|f| f.decimal_char.as_deref()) == Some(","));
        let format = match kind {
            Kind::Date => Some(
                given
                    .and_then(|f| f.format.clone())
                    .unwrap_or_else(|| profile.date_format().to_owned()),
            ),
            Kind::Datetime => Some("default".to_owned()),
            _ => None,
        };
        fields.push(Field {
            name: name.clone(),
            field_type: field_type(kind),
            title: given.and_then(|f| f.title.clone()),
            description: given.and_then(|f| f.description.clone()),
            format,
            decimal_char: decimal_comma.then(|| ",".to_owned()),
            group_char: decimal_comma.then(|| ".".to_owned()),
        });
        kinds.push(kind);
    }
    if let Some(o) = overrides {
        for f in &o.fields {
            if !names.contains(&f.name) {
                warnings.push(Notice::new(
                    keys::OVERRIDE_MISSING_COLUMN,
                    &[("column", f.name.clone())],
                ));
            }
        }
    }
    Plan {
        schema: TableSchema { fields },
        kinds,
    }
}
