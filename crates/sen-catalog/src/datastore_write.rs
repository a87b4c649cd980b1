//! CKAN's datastore writes: `datastore_create`, `datastore_upsert`,
//! `datastore_delete`. Tables are Parquet objects replaced whole, so a write
//! streams the current rows (minus those replaced or deleted) and the new
//! ones into a new table through the same ingester as uploads, with the
//! table's column types fixed; readers see the old table until it is done.

use crate::input::{require_id, Dict};
use crate::{not_found, Actor, Catalog};
use futures::TryStreamExt;
use sen_datastore::Table;
use sen_domain::{time, Error, Msg, Result};
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::io::Write;

/// CKAN's type names (PostgreSQL's) as Table Schema types.
fn schema_type(ckan: &str) -> Option<&'static str> {
    Some(match ckan.to_ascii_lowercase().as_str() {
        "int" | "int4" | "int8" | "integer" | "bigint" | "smallint" => "integer",
        "numeric" | "float" | "float4" | "float8" | "double precision" | "real" | "number" => {
            "number"
        }
        "text" | "varchar" | "string" | "json" | "char" => "string",
        "date" => "date",
        "timestamp" | "timestamptz" | "datetime" => "datetime",
        "bool" | "boolean" => "boolean",
        _ => return None,
    })
}

fn records_of(data: &Dict) -> Result<Vec<Map<String, Value>>> {
    match data.get("records") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|r| {
                r.as_object()
                    .cloned()
                    .ok_or_else(|| Error::field("records", Msg::new("field-not-object")))
            })
            .collect(),
        Some(Value::String(s)) => serde_json::from_str::<Vec<Map<String, Value>>>(s)
            .map_err(|_| Error::field("records", Msg::new("field-bad-json"))),
        Some(_) => Err(Error::field("records", Msg::new("field-not-list"))),
    }
}

/// The key of a record: its primary-key values as text, or None when one is missing.
fn key_of(record: &Map<String, Value>, primary_key: &[String]) -> Option<Vec<String>> {
    primary_key
        .iter()
        .map(|k| match record.get(k) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => Some(v.to_string()),
        })
        .collect()
}

/// A record as one JSON line with the table's columns first, in their order
/// (the ingester takes the column order from the first rows it reads).
fn ordered_line(record: &Map<String, Value>, columns: &[String]) -> Vec<u8> {
    let mut parts: Vec<String> = Vec::with_capacity(record.len());
    let text = |k: &str, v: &Value| format!("{}:{}", Value::String(k.to_string()), v);
    for c in columns {
        if let Some(v) = record.get(c) {
            parts.push(text(c, v));
        }
    }
    for (k, v) in record {
        if !columns.contains(k) {
            parts.push(text(k, v));
        }
    }
    format!("{{{}}}", parts.join(",")).into_bytes()
}

impl Catalog {
    /// CKAN's `datastore_create` on an existing resource: `fields` (id, type,
    /// optional info.label/notes), `records`, `primary_key`. On a resource
    /// that has a table, the records are added to it.
    pub async fn datastore_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["resource_id"])?;
        let (r, p) = self.readable_resource(actor, &id).await?;
        self.editable_package(actor, &p.id, "datastore_create")
            .await?;
        let records = records_of(data)?;
        let mut fields: Vec<Value> = Vec::new();
        if let Some(given) = data.get("fields").filter(|v| !v.is_null()) {
            let Some(list) = given.as_array() else {
                return Err(Error::field("fields", Msg::new("field-not-list")));
            };
            let mut errors = sen_domain::error::Validation::default();
            for f in list {
                let name = f["id"].as_str().map(str::trim).unwrap_or_default();
                if name.is_empty() || name.starts_with('_') {
                    errors.add(
                        "fields",
                        Msg::new("datastore-bad-column-name").arg("value", name),
                    );
                    continue;
                }
                let kind = f["type"].as_str().unwrap_or("text");
                let Some(t) = schema_type(kind) else {
                    errors.add(
                        "fields",
                        Msg::new("datastore-bad-column-type").arg("value", kind),
                    );
                    continue;
                };
                let mut field = json!({"name": name, "type": t});
                if let Some(label) = f["info"]["label"].as_str() {
                    field["title"] = json!(label);
                }
                if let Some(notes) = f["info"]["notes"].as_str() {
                    field["description"] = json!(notes);
                }
                fields.push(field);
            }
            errors.finish()?;
        }
        let primary_key: Vec<String> = match data.get("primary_key") {
            Some(Value::String(s)) => s
                .split(',')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        for k in &primary_key {
            if !fields.is_empty() && !fields.iter().any(|f| f["name"] == k.as_str()) {
                return Err(Error::field(
                    "primary_key",
                    Msg::new("datastore-unknown-column").arg("column", k.as_str()),
                ));
            }
        }
        let existing = {
            let mut c = self.db.conn().await?;
            sen_db::find_datastore_table(&mut c, &r.id).await?
        };
        let mut schema = match &existing {
            Some(t) => serde_json::from_str::<Value>(&t.table_schema)
                .unwrap_or_else(|_| json!({"fields": []})),
            None => json!({"fields": []}),
        };
        // Fields given add to (or describe) the table's columns.
        let mut columns = schema["fields"].as_array().cloned().unwrap_or_default();
        for f in fields {
            match columns.iter_mut().find(|c| c["name"] == f["name"]) {
                Some(c) => *c = f,
                None => columns.push(f),
            }
        }
        if columns.is_empty() && records.is_empty() {
            return Err(Error::field("fields", Msg::new("field-missing")));
        }
        schema["fields"] = Value::Array(columns);
        schema["edited"] = json!(true);
        if !primary_key.is_empty() {
            schema["primaryKey"] = json!(primary_key);
        }
        let keep = existing.is_some();
        self.rewrite_table(&r, &schema, keep, &HashSet::new(), &[], &records, &|_| {
            Ok(())
        })
        .await?;
        let out = self
            .datastore_info(actor, &Dict::from_iter([("id".to_string(), json!(r.id))]))
            .await?;
        Ok(
            json!({"resource_id": r.id, "fields": out["fields"], "primary_key": schema["primaryKey"], "method": "insert"}),
        )
    }

    /// CKAN's `datastore_upsert`: `records` with `method` `upsert` (default),
    /// `insert` or `update`, matched on the table's primary key.
    pub async fn datastore_upsert(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["resource_id"])?;
        let (r, p) = self.readable_resource(actor, &id).await?;
        self.editable_package(actor, &p.id, "datastore_upsert")
            .await?;
        let method = data
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or("upsert")
            .to_string();
        if !["upsert", "insert", "update"].contains(&method.as_str()) {
            return Err(Error::field(
                "method",
                Msg::new("field-bad-choice")
                    .arg("value", method.as_str())
                    .arg("choices", "upsert, insert, update"),
            ));
        }
        let records = records_of(data)?;
        let table = {
            let mut c = self.db.conn().await?;
            sen_db::find_datastore_table(&mut c, &r.id)
                .await?
                .ok_or_else(|| not_found("datastore_not_found", "error-datastore-not-found"))?
        };
        let schema: Value =
            serde_json::from_str(&table.table_schema).unwrap_or_else(|_| json!({"fields": []}));
        let primary_key: Vec<String> = schema["primaryKey"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if method != "insert" && primary_key.is_empty() {
            return Err(Error::field("method", Msg::new("datastore-no-primary-key")));
        }
        let mut incoming: HashSet<Vec<String>> = HashSet::new();
        if !primary_key.is_empty() {
            for (i, rec) in records.iter().enumerate() {
                let Some(key) = key_of(rec, &primary_key) else {
                    return Err(Error::field(
                        "records",
                        Msg::new("datastore-record-without-key").arg("row", i + 1),
                    ));
                };
                incoming.insert(key);
            }
        }
        let expected = incoming.len();
        let check = |matched: usize| match method.as_str() {
            "insert" if matched > 0 => {
                Err(Error::field("records", Msg::new("datastore-key-exists")))
            }
            "update" if matched < expected => {
                Err(Error::field("records", Msg::new("datastore-key-missing")))
            }
            _ => Ok(()),
        };
        self.rewrite_table(&r, &schema, true, &incoming, &primary_key, &records, &check)
            .await?;
        Ok(json!({"resource_id": r.id, "method": method, "records": records}))
    }

    /// CKAN's `datastore_delete`: the whole table, or only rows whose columns
    /// equal `filters`.
    pub async fn datastore_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["resource_id", "id"])?;
        let (r, p) = self.readable_resource(actor, &id).await?;
        self.editable_package(actor, &p.id, "datastore_delete")
            .await?;
        let table = {
            let mut c = self.db.conn().await?;
            sen_db::find_datastore_table(&mut c, &r.id)
                .await?
                .ok_or_else(|| not_found("datastore_not_found", "error-datastore-not-found"))?
        };
        let filters = match data.get("filters") {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m.clone()),
            Some(Value::String(s)) => Some(
                serde_json::from_str::<Map<String, Value>>(s)
                    .map_err(|_| Error::field("filters", Msg::new("field-bad-json")))?,
            ),
            Some(_) => return Err(Error::field("filters", Msg::new("field-not-object"))),
        };
        let Some(filters) = filters.filter(|f| !f.is_empty()) else {
            let mut tx = self.db.begin_write().await?;
            let old = sen_db::delete_datastore_table(tx.conn(), &r.id).await?;
            tx.commit().await?;
            if let Some(old) = old {
                let _ = self.storage.delete(&old).await;
            }
            return Ok(json!({"resource_id": r.id}));
        };
        let schema: Value =
            serde_json::from_str(&table.table_schema).unwrap_or_else(|_| json!({"fields": []}));
        let names: Vec<String> = filters.keys().cloned().collect();
        for n in &names {
            if !schema["fields"]
                .as_array()
                .is_some_and(|f| f.iter().any(|c| c["name"] == n.as_str()))
            {
                return Err(Error::field(
                    "filters",
                    Msg::new("datastore-unknown-column").arg("column", n.as_str()),
                ));
            }
        }
        let key: Vec<String> = filters
            .values()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect();
        let deleted = self
            .rewrite_table(
                &r,
                &schema,
                true,
                &HashSet::from([key]),
                &names,
                &[],
                &|_| Ok(()),
            )
            .await?;
        Ok(json!({"resource_id": r.id, "filters": filters, "deleted": deleted}))
    }

    /// Writes a new table: the current rows (when `keep`) except those whose
    /// `key_columns` values are in `drop_keys`, then `records`; with the
    /// schema's types. `check` sees how many current rows were dropped before
    /// anything is stored, and may refuse: then nothing changes. Returns that count.
    #[allow(clippy::too_many_arguments)]
    async fn rewrite_table(
        &self,
        r: &sen_db::ResourceRow,
        schema: &Value,
        keep: bool,
        drop_keys: &HashSet<Vec<String>>,
        key_columns: &[String],
        records: &[Map<String, Value>],
        check: &(dyn Fn(usize) -> Result<()> + Sync),
    ) -> Result<usize> {
        let dir = tempfile::tempdir().map_err(Error::internal)?;
        let rows_path = dir.path().join("rows.ndjson");
        let mut out =
            std::io::BufWriter::new(std::fs::File::create(&rows_path).map_err(Error::internal)?);
        let mut dropped = 0;
        let mut written = 0usize;
        let current = {
            let mut c = self.db.conn().await?;
            sen_db::find_datastore_table(&mut c, &r.id).await?
        };
        if let (true, Some(t)) = (keep, &current) {
            let table = Table {
                name: r.id.clone(),
                object_key: t.object_key.clone(),
            };
            let mut stream = self
                .engine
                .export(&table, sen_datastore::ExportFormat::Ndjson)
                .await
                .map_err(|e| Error::internal(e.to_string()))?;
            let mut pending = Vec::new();
            while let Some(chunk) = stream
                .try_next()
                .await
                .map_err(|e| Error::internal(e.to_string()))?
            {
                pending.extend_from_slice(&chunk);
                while let Some(end) = pending.iter().position(|b| *b == b'\n') {
                    let line: Vec<u8> = pending.drain(..=end).collect();
                    let drop_it = !key_columns.is_empty()
                        && serde_json::from_slice::<Map<String, Value>>(&line)
                            .ok()
                            .and_then(|row| key_of(&row, key_columns))
                            .is_some_and(|k| drop_keys.contains(&k));
                    if drop_it {
                        dropped += 1;
                    } else {
                        out.write_all(&line).map_err(Error::internal)?;
                        written += 1;
                    }
                }
            }
        }
        let columns: Vec<String> = schema["fields"]
            .as_array()
            .map(|f| {
                f.iter()
                    .filter_map(|c| c["name"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        for rec in records {
            let line = ordered_line(rec, &columns);
            out.write_all(&line).map_err(Error::internal)?;
            out.write_all(b"\n").map_err(Error::internal)?;
            written += 1;
        }
        out.flush().map_err(Error::internal)?;
        drop(out);
        check(dropped)?;
        let overrides: Option<sen_ingest::TableSchema> =
            serde_json::from_value(schema.clone()).ok();
        let parquet = dir.path().join("table.parquet");
        let ingested = {
            let (rows_path, parquet, columns) =
                (rows_path.clone(), parquet.clone(), columns.clone());
            tokio::task::spawn_blocking(
                move || -> std::result::Result<sen_ingest::Ingested, String> {
                    if written == 0 {
                        // No row at all: a table of the declared columns, empty.
                        let header = columns.join(",");
                        std::fs::write(&rows_path, format!("{header}\n"))
                            .map_err(|e| e.to_string())?;
                    }
                    let format = if written == 0 {
                        sen_ingest::SourceFormat::Csv
                    } else {
                        sen_ingest::SourceFormat::Ndjson
                    };
                    let mut file = std::io::BufWriter::new(
                        std::fs::File::create(&parquet).map_err(|e| e.to_string())?,
                    );
                    let options = sen_ingest::IngestOptions {
                        overrides,
                        ..Default::default()
                    };
                    let result = sen_ingest::ingest_file(
                        &rows_path,
                        format,
                        &mut file,
                        &options,
                        &mut |_, _| {},
                    )
                    .map_err(|e| e.to_string())?;
                    file.flush().map_err(|e| e.to_string())?;
                    Ok(result)
                },
            )
            .await
            .map_err(Error::internal)?
            .map_err(|e| {
                Error::field("records", Msg::new("datastore-bad-query").arg("detail", e))
            })?
        };
        let (key, byte_size) = self
            .store_table_file(&r.id, &uuid::Uuid::new_v4().to_string(), &parquet)
            .await?;
        // The table keeps the declared order and descriptions; types as written.
        let mut new_schema = serde_json::to_value(&ingested.table_schema).unwrap_or(Value::Null);
        for (k, v) in schema.as_object().into_iter().flatten() {
            if k != "fields" {
                new_schema[k] = v.clone();
            }
        }
        let now = time::now();
        self.install_table(&sen_db::DatastoreRow {
            resource_id: r.id.clone(),
            package_id: r.package_id.clone(),
            object_key: key,
            source_version: String::new(),
            table_schema: new_schema.to_string(),
            row_count: ingested.rows as i64,
            byte_size,
            report: json!({"rows": ingested.rows, "format": "api"}).to_string(),
            // (kept from the current row on conflict: only new tables use it)
            created: now.clone(),
            updated: now,
        })
        .await?;
        Ok(dropped)
    }
}
