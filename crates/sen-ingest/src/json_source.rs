//! JSON (an array of objects), NDJSON (an object per line) and GeoJSON
//! (a FeatureCollection: properties as columns plus a `geometry` column of
//! GeoJSON text). Arrays are streamed element by element through serde, so
//! memory holds one record at a time, however long the array.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::json_value::JsonValue as Value;

use crate::encoding::{self, TextEncoding};
use crate::profile::{Sink, Source};
use crate::report::{keys, Notice};
use crate::{IngestError, MAX_COLUMNS};

/// A property named like the geometry column is stored under this name instead.
const GEOMETRY: &str = "geometry";
const RENAMED_GEOMETRY_PROPERTY: &str = "properties.geometry";

pub(crate) struct JsonSource {
    path: PathBuf,
    size: u64,
    ndjson: bool,
    pub encoding: TextEncoding,
    names: Vec<String>,
    index: HashMap<String, usize>,
    /// Records in pass 1 that were not objects (to tell "empty" from "not records").
    not_objects: u64,
}

/// A record flattened to (column, text) pairs: scalars as text, nested values as JSON text.
fn flatten(object: &Value) -> Vec<(String, Option<String>)> {
    let Value::Object(entries) = object else {
        return Vec::new();
    };
    let is_feature = matches!(object.get("type"), Some(Value::String(t)) if t == "Feature")
        && (object.get("properties").is_some() || object.get(GEOMETRY).is_some());
    if !is_feature {
        return entries
            .iter()
            .map(|(k, v)| (k.clone(), v.cell_text()))
            .collect();
    }
    let mut out: Vec<(String, Option<String>)> = match object.get("properties") {
        Some(Value::Object(props)) => props
            .iter()
            .map(|(k, v)| {
                let k = if k == GEOMETRY {
                    RENAMED_GEOMETRY_PROPERTY
                } else {
                    k
                };
                (k.to_owned(), v.cell_text())
            })
            .collect(),
        _ => Vec::new(),
    };
    out.push((
        GEOMETRY.to_owned(),
        object.get(GEOMETRY).and_then(Value::cell_text),
    ));
    out
}

impl JsonSource {
    pub(crate) fn open(path: &Path, ndjson: bool) -> Result<Self, IngestError> {
        Ok(JsonSource {
            path: path.to_owned(),
            size: std::fs::metadata(path)?.len(),
            ndjson,
            encoding: encoding::detect(path)?,
            names: Vec::new(),
            index: HashMap::new(),
            not_objects: 0,
        })
    }

    /// Sends one record (1-based number or line `line`) to the sink.
    fn record(
        &mut self,
        pass: u8,
        line: u64,
        value: Value,
        sink: &mut dyn Sink,
    ) -> Result<(), IngestError> {
        if !matches!(value, Value::Object(_)) {
            if pass == 0 {
                self.not_objects += 1;
            }
            sink.reject(
                line,
                Notice::new(keys::JSON_NOT_OBJECT, &[("line", line.to_string())]),
            );
            return Ok(());
        }
        let pairs = flatten(&value);
        if pass == 0 {
            for (k, _) in &pairs {
                if !self.index.contains_key(k) {
                    if self.names.len() >= MAX_COLUMNS {
                        return Err(IngestError::TooManyColumns {
                            found: self.names.len() + 1,
                            max: MAX_COLUMNS,
                        });
                    }
                    self.index.insert(k.clone(), self.names.len());
                    self.names.push(k.clone());
                }
            }
        }
        let mut row: Vec<Option<&str>> = vec![None; self.names.len()];
        for (k, v) in &pairs {
            if let Some(&i) = self.index.get(k) {
                row[i] = v.as_deref();
            }
        }
        sink.row(line, &row)
    }

    fn scan_ndjson(
        &mut self,
        pass: u8,
        text: impl Read,
        sink: &mut dyn Sink,
    ) -> Result<(), IngestError> {
        let mut reader = BufReader::new(text);
        let mut buf = String::new();
        let mut line = 0u64;
        loop {
            buf.clear();
            if reader.read_line(&mut buf)? == 0 {
                return Ok(());
            }
            line += 1;
            let trimmed = buf.trim();
            if trimmed.is_empty() {
                continue;
            }
            match serde_json::from_str::<Value>(trimmed) {
                Ok(v) => self.record(pass, line, v, sink)?,
                Err(e) => {
                    if pass == 0 {
                        self.not_objects += 1;
                    }
                    sink.reject(
                        line,
                        Notice::new(
                            keys::JSON_INVALID_LINE,
                            &[("line", line.to_string()), ("error", e.to_string())],
                        ),
                    );
                }
            }
        }
    }
}

/// Calls back once per element of an array, or per feature of a FeatureCollection.
struct Records<'a> {
    each: &'a mut dyn FnMut(Value) -> Result<(), IngestError>,
    /// The callback's own error, which serde can only carry as a string.
    failure: &'a mut Option<IngestError>,
    /// Whether an array of records was found.
    found: &'a mut bool,
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects or a GeoJSON FeatureCollection")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        *self.found = true;
        while let Some(v) = seq.next_element::<Value>()? {
            if let Err(e) = (self.each)(v) {
                *self.failure = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Records {
            each,
            failure,
            found,
        } = self;
        while let Some(key) = map.next_key::<String>()? {
            if key == "features" && !*found {
                map.next_value_seed(Features(Records {
                    each: &mut *each,
                    failure: &mut *failure,
                    found: &mut *found,
                }))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Features<'a>(Records<'a>);

impl<'de> DeserializeSeed<'de> for Features<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self.0)
    }
}

impl Source for JsonSource {
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
        if self.ndjson {
            self.scan_ndjson(pass, text, sink)?;
        } else {
            let mut failure = None;
            let mut found = false;
            let mut number = 0u64;
            let mut each = |v: Value| {
                number += 1;
                self.record(pass, number, v, sink)
            };
            let mut de =
                serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, text));
            let result = de
                .deserialize_any(Records {
                    each: &mut each,
                    failure: &mut failure,
                    found: &mut found,
                })
                .and_then(|()| de.end());
            if let Some(e) = failure {
                return Err(e);
            }
            if let Err(e) = result {
                if e.is_io() {
                    return Err(IngestError::Io(e.into()));
                }
                if e.is_data() {
                    return Err(IngestError::JsonNotRecords);
                }
                return Err(IngestError::JsonSyntax {
                    line: e.line() as u64,
                    column: e.column() as u64,
                    message: e.to_string(),
                });
            }
            if !found {
                return Err(IngestError::JsonNotRecords);
            }
        }
        if pass == 0 && self.names.is_empty() {
            return Err(if self.not_objects == 0 {
                IngestError::Empty
            } else {
                IngestError::JsonNotRecords
            });
        }
        Ok(())
    }

    fn column_names(&self) -> Vec<String> {
        self.names.clone()
    }
}
