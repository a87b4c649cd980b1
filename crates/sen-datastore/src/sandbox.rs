//! SQL as the public may send it: one read-only `SELECT`, over only the
//! tables the caller may read, within the engine's limits; and whole-table
//! exports streamed batch by batch.

use crate::records::{ckan_type, delimited, to_objects};
use crate::{DsError, Engine, Result, Table};
use bytes::Bytes;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::{DFParser, Statement};
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};

/// Parses `sql`, refuses anything but one `SELECT` (or `WITH … SELECT`), and
/// returns the names of the tables it reads (common table expressions excluded).
pub fn referenced_tables(sql: &str) -> Result<Vec<String>> {
    let mut statements = DFParser::parse_sql(sql).map_err(|e| DsError::BadQuery(e.to_string()))?;
    let statement = match (statements.pop_front(), statements.is_empty()) {
        (Some(s), true) => s,
        (None, _) => return Err(DsError::BadQuery("empty query".into())),
        (Some(_), false) => return Err(DsError::NotSelect),
    };
    match &statement {
        Statement::Statement(inner)
            if matches!(
                **inner,
                datafusion::sql::sqlparser::ast::Statement::Query(_)
            ) => {}
        _ => return Err(DsError::NotSelect),
    }
    let state = SessionContext::new().state();
    let refs = state.resolve_table_references(&statement)?;
    let mut names: Vec<String> = Vec::new();
    for r in refs {
        // Only bare names: no catalogue or schema can be reached.
        if r.schema().is_some() || r.catalog().is_some() {
            return Err(DsError::TableNotFound(r.to_string()));
        }
        let name = r.table().to_string();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

/// The result of a SQL query.
pub struct SqlAnswer {
    pub fields: Vec<(String, String)>,
    pub records: Vec<serde_json::Map<String, Value>>,
    /// More rows existed than the limit allows.
    pub truncated: bool,
}

/// The formats of a whole-table export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Tsv,
    /// CKAN's dump JSON: `{"fields": […], "records": [[…], …]}`.
    CkanJson,
    /// One JSON object a line.
    Ndjson,
    /// A JSON array of objects.
    JsonArray,
    /// An Excel workbook (at most `xlsx::MAX_ROWS` rows).
    Xlsx,
}

fn sql_options() -> SQLOptions {
    SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false)
}

impl Engine {
    /// Runs a SELECT over `tables`, which the caller has resolved and may
    /// read: no other table is known to the session.
    pub async fn sql(&self, sql: &str, tables: &[Table]) -> Result<SqlAnswer> {
        referenced_tables(sql)?;
        self.bounded(async {
            let ctx = self.session()?;
            for t in tables {
                self.register(&ctx, t).await?;
            }
            let df = ctx.sql_with_options(sql, sql_options()).await?;
            let max = self.limits.max_rows;
            let df = df.limit(0, Some(max + 1))?;
            let schema = df.schema().clone();
            let batches = df.collect().await?;
            let mut records = to_objects(&batches)?;
            let truncated = records.len() > max;
            records.truncate(max);
            Ok(SqlAnswer {
                fields: schema
                    .fields()
                    .iter()
                    .map(|f| (f.name().clone(), ckan_type(f.data_type()).to_string()))
                    .collect(),
                records,
                truncated,
            })
        })
        .await
    }

    /// The whole table, streamed in `format`: memory stays at a few batches
    /// however large the table. (The time limit does not apply: a download
    /// of a large table may take long, and reads nothing but this table.)
    pub async fn export(
        &self,
        table: &Table,
        format: ExportFormat,
    ) -> Result<BoxStream<'static, Result<Bytes>>> {
        let ctx = self.session()?;
        self.register(&ctx, table).await?;
        let df = ctx.table(table.name.as_str()).await?;
        if format == ExportFormat::Xlsx {
            return file_stream(crate::xlsx::write(df).await?).await;
        }
        let fields: Vec<Value> = df
            .schema()
            .fields()
            .iter()
            .map(|f| json!({"id": f.name(), "type": ckan_type(f.data_type())}))
            .collect();
        let names: Vec<String> = df
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let batches = df.execute_stream().await?.map_err(DsError::from);
        let mut first = true;
        let body = batches.map(move |batch| -> Result<Bytes> {
            let batch = batch?;
            let is_first = std::mem::replace(&mut first, false);
            let mut out: Vec<u8> = Vec::new();
            match format {
                ExportFormat::Csv => out = delimited(&[batch], b',', is_first)?,
                ExportFormat::Tsv => out = delimited(&[batch], b'\t', is_first)?,
                ExportFormat::Ndjson => {
                    for row in to_objects(&[batch])? {
                        out.extend(
                            serde_json::to_vec(&row)
                                .map_err(|e| DsError::Internal(e.to_string()))?,
                        );
                        out.push(b'\n');
                    }
                }
                ExportFormat::Xlsx => {}
                ExportFormat::JsonArray | ExportFormat::CkanJson => {
                    for (i, mut row) in to_objects(&[batch])?.into_iter().enumerate() {
                        if !(is_first && i == 0) {
                            out.push(b',');
                        }
                        let value = if format == ExportFormat::CkanJson {
                            Value::Array(
                                names
                                    .iter()
                                    .map(|n| row.remove(n).unwrap_or(Value::Null))
                                    .collect(),
                            )
                        } else {
                            Value::Object(row)
                        };
                        out.extend(
                            serde_json::to_vec(&value)
                                .map_err(|e| DsError::Internal(e.to_string()))?,
                        );
                    }
                }
            }
            Ok(Bytes::from(out))
        });
        let (open, close): (Bytes, Bytes) = match format {
            ExportFormat::JsonArray => (Bytes::from_static(b"["), Bytes::from_static(b"]\n")),
            ExportFormat::CkanJson => (
                Bytes::from(format!(
                    "{{\"fields\": {}, \"records\": [",
                    Value::Array(fields)
                )),
                Bytes::from_static(b"]}\n"),
            ),
            _ => (Bytes::new(), Bytes::new()),
        };
        Ok(futures::stream::once(async move { Ok(open) })
            .chain(body)
            .chain(futures::stream::once(async move { Ok(close) }))
            .filter(|b| std::future::ready(!matches!(b, Ok(b) if b.is_empty())))
            .boxed())
    }
}

/// Streams a finished temporary file, which is removed once streamed (or
/// when the download is abandoned).
async fn file_stream(path: tempfile::TempPath) -> Result<BoxStream<'static, Result<Bytes>>> {
    use tokio::io::AsyncReadExt;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| DsError::Internal(e.to_string()))?;
    Ok(
        futures::stream::unfold((file, path), |(mut file, path)| async move {
            let mut buf = vec![0u8; 64 * 1024];
            match file.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(Bytes::from(buf)), (file, path)))
                }
                Err(e) => Some((Err(DsError::Internal(e.to_string())), (file, path))),
            }
        })
        .boxed(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_select_passes_and_its_tables_are_named() {
        assert_eq!(
            referenced_tables("SELECT a.x FROM \"t-1\" a JOIN \"t-2\" b ON a.x = b.x").unwrap(),
            vec!["t-1".to_string(), "t-2".to_string()]
        );
        assert_eq!(
            referenced_tables("WITH c AS (SELECT * FROM \"t\") SELECT * FROM c").unwrap(),
            vec!["t".to_string()],
            "a common table expression is not a table"
        );
        for bad in [
            "DROP TABLE t",
            "DELETE FROM t",
            "INSERT INTO t VALUES (1)",
            "UPDATE t SET x = 1",
            "CREATE TABLE t (x INT)",
            "CREATE EXTERNAL TABLE t STORED AS CSV LOCATION '/etc/passwd'",
            "COPY t TO '/tmp/x.csv'",
            "SET a = 1",
            "SELECT 1; SELECT 2",
            "EXPLAIN SELECT 1",
        ] {
            assert!(
                matches!(
                    referenced_tables(bad),
                    Err(DsError::NotSelect | DsError::BadQuery(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            referenced_tables("SELECT * FROM information_schema.tables"),
            Err(DsError::TableNotFound(_))
        ));
        assert!(matches!(referenced_tables(""), Err(DsError::BadQuery(_))));
    }
}
