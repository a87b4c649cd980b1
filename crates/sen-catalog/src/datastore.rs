//! The datastore: tabular files become typed Parquet tables (ingested by a
//! background job), queried through CKAN's `datastore_*` actions and
//! exported whole. A resource's table is readable by exactly those who may
//! read the resource; SQL sees only such tables.

use crate::input::{require_id, Dict};
use crate::jobs::JobFailure;
use crate::{not_found, Actor, Catalog};
use sen_datastore::{DsError, RecordsFormat, SearchRequest, SortKey, Table};
use sen_db::{JobRow, ResourceRow};
use sen_domain::{time, Error, Msg, Result};
use serde_json::{json, Map, Value};

pub const INGEST_JOB: &str = "datastore_ingest";
/// CKAN's default and largest page of records.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 32_000;

/// File types the ingester reads; others never get a job.
const TABULAR: &[&str] = &[
    "csv", "tsv", "tab", "txt", "xlsx", "xls", "json", "ndjson", "jsonl", "geojson",
];

/// Whether a file looks tabular from its name or the publisher's format.
pub(crate) fn is_tabular(filename: &str, format: &str) -> bool {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    TABULAR.contains(&ext.as_str()) || TABULAR.contains(&format.to_ascii_lowercase().as_str())
}

fn ds_error(e: DsError, field: &'static str) -> Error {
    match e {
        DsError::UnknownColumn(c) => {
            Error::field(field, Msg::new("datastore-unknown-column").arg("column", c))
        }
        DsError::BadQuery(m) => {
            Error::field(field, Msg::new("datastore-bad-query").arg("detail", m))
        }
        DsError::NotSelect => Error::field("sql", Msg::new("datastore-not-select")),
        DsError::TableNotFound(t) => Error::not_found(
            "table_not_found",
            Msg::new("datastore-table-not-found").arg("table", t),
        ),
        DsError::Timeout(s) => Error::field(field, Msg::new("datastore-timeout").arg("seconds", s)),
        DsError::TooMuchMemory => Error::field(field, Msg::new("datastore-memory")),
        DsError::TooManyRows {
            format,
            rows,
            limit,
        } => Error::field(
            field,
            Msg::new("datastore-too-many-rows")
                .arg("format", format)
                .arg("rows", rows)
                .arg("limit", limit),
        ),
        DsError::Internal(m) => Error::internal(m),
    }
}

fn records_format(data: &Dict) -> Result<RecordsFormat> {
    match data.get("records_format") {
        None | Some(Value::Null) => Ok(RecordsFormat::Objects),
        Some(Value::String(s)) => RecordsFormat::parse(s).ok_or_else(|| {
            Error::field(
                "records_format",
                Msg::new("datastore-bad-records-format").arg("value", s.as_str()),
            )
        }),
        Some(other) => Err(Error::field(
            "records_format",
            Msg::new("datastore-bad-records-format").arg("value", other.to_string()),
        )),
    }
}

/// `limit` (default 100, capped at 32,000 as CKAN does) and `offset`.
fn paging(data: &Dict) -> Result<(usize, usize)> {
    let mut inp = crate::input::Input::new(data);
    let limit = inp
        .int_in("limit", DEFAULT_LIMIT as i64, 0, i64::MAX)
        .min(MAX_LIMIT as i64);
    let offset = inp.int_in("offset", 0, 0, i64::MAX);
    inp.finish()?;
    Ok((limit as usize, offset as usize))
}

fn flag(data: &Dict, key: &str, default: bool) -> bool {
    match data.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => {
            matches!(s.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
        }
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => default,
    }
}

/// A JSON value that may also come as JSON text (GET query strings).
fn json_param(data: &Dict, key: &'static str) -> Result<Option<Value>> {
    match data.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim_start().starts_with(['{', '[']) => serde_json::from_str(s)
            .map(Some)
            .map_err(|_| Error::field(key, Msg::new("field-bad-json"))),
        Some(v) => Ok(Some(v.clone())),
    }
}

fn string_list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(|s| s.trim().to_string()))
            .collect(),
        Value::String(s) => s
            .split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

impl Catalog {
    /// Queues ingestion of a resource's new file (inside the transaction that stores it).
    pub(crate) async fn queue_ingest(
        &self,
        c: &mut sen_db::Conn,
        resource_id: &str,
        version_id: &str,
    ) -> Result<()> {
        let payload = json!({"version_id": version_id}).to_string();
        sen_db::enqueue_job(
            c,
            &uuid::Uuid::new_v4().to_string(),
            INGEST_JOB,
            resource_id,
            &payload,
            &time::now(),
        )
        .await?;
        Ok(())
    }

    /// The resource and its table, if the actor may read the resource.
    async fn readable_table(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(ResourceRow, sen_db::DatastoreRow)> {
        let (r, p) = self.readable_resource(actor, id).await?;
        self.audit_read(actor, "datastore_read", &p, Some(&r.id))
            .await?;
        let mut c = self.db.conn().await?;
        let row = sen_db::find_datastore_table(&mut c, &r.id).await?;
        row.map(|t| (r, t))
            .ok_or_else(|| not_found("datastore_not_found", "error-datastore-not-found"))
    }

    /// Ingests the file a job names; the table replaces the previous one in
    /// one transaction, so readers see the old table or the new, never half.
    pub(crate) async fn ingest_job(
        &self,
        job: &JobRow,
        worker: &str,
    ) -> std::result::Result<Value, JobFailure> {
        let transient = |e: &dyn std::fmt::Display| JobFailure::Transient(e.to_string());
        let payload: Value = serde_json::from_str(&job.payload).unwrap_or(Value::Null);
        let mut c = self.db.conn().await.map_err(|e| transient(&e))?;
        let Some(resource) = sen_db::find_resource(&mut c, &job.subject)
            .await
            .map_err(|e| transient(&e))?
        else {
            return Err(JobFailure::Final(
                json!({"error": "the resource no longer exists"}),
            ));
        };
        let versions = sen_db::resource_versions(&mut c, &resource.id)
            .await
            .map_err(|e| transient(&e))?;
        drop(c);
        // The newest file wins: a job queued for an older upload ingests the current one.
        let wanted = payload["version_id"].as_str();
        let version = versions
            .iter()
            .find(|v| Some(&v.storage_key) == resource.storage_key.as_ref())
            .or_else(|| versions.iter().find(|v| Some(v.id.as_str()) == wanted))
            .cloned();
        let Some(version) = version else {
            return Err(JobFailure::Final(
                json!({"error": "the resource has no stored file"}),
            ));
        };

        let dir = tempfile::tempdir().map_err(|e| transient(&e))?;
        let source = dir.path().join("source");
        self.storage
            .copy_to_file(&version.storage_key, &source)
            .await
            .map_err(|e| transient(&e))?;
        let head = {
            use std::io::Read;
            let mut buf = vec![0u8; 64 * 1024];
            let n = std::fs::File::open(&source)
                .and_then(|mut f| f.read(&mut buf))
                .map_err(|e| transient(&e))?;
            buf.truncate(n);
            buf
        };
        let Some(format) = sen_ingest::detect_format(&version.filename, &resource.format, &head)
        else {
            return Err(JobFailure::Final(
                json!({"notices": [{"key": sen_ingest::keys::ERR_NOT_TABULAR, "args": {}}]}),
            ));
        };

        let parquet = dir.path().join("table.parquet");
        let overrides = {
            let mut c = self.db.conn().await.map_err(|e| transient(&e))?;
            sen_db::find_datastore_table(&mut c, &resource.id)
                .await
                .map_err(|e| transient(&e))?
                .and_then(|t| serde_json::from_str::<Value>(&t.table_schema).ok())
                .filter(|s| s["edited"].as_bool() == Some(true))
                .and_then(|s| serde_json::from_value::<sen_ingest::TableSchema>(s).ok())
        };
        let edited = overrides.is_some();
        let (progress_tx, mut progress_rx) = tokio::sync::watch::channel((0u64, 0u64));
        let work = {
            let source = source.clone();
            let parquet = parquet.clone();
            tokio::task::spawn_blocking(move || {
                let mut out = std::io::BufWriter::new(std::fs::File::create(&parquet)?);
                let options = sen_ingest::IngestOptions {
                    overrides,
                    ..Default::default()
                };
                let mut progress = |done: u64, total: u64| {
                    let _ = progress_tx.send((done, total));
                };
                let result =
                    sen_ingest::ingest_file(&source, format, &mut out, &options, &mut progress);
                std::io::Write::flush(&mut out)?;
                Ok::<_, std::io::Error>(result)
            })
        };
        tokio::pin!(work);
        let ingested = loop {
            tokio::select! {
                done = &mut work => break done,
                _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {
                    let (done, total) = *progress_rx.borrow_and_update();
                    if !self.job_progress(job, worker, done, total).await {
                        return Err(JobFailure::Transient("lease lost".into()));
                    }
                }
            }
        };
        let ingested = match ingested {
            Ok(Ok(Ok(ingested))) => ingested,
            Ok(Ok(Err(e))) => {
                let n = e.notice();
                return Err(JobFailure::Final(
                    json!({"format": format.as_str(), "notices": [notice_json(&n)]}),
                ));
            }
            Ok(Err(io)) => return Err(transient(&io)),
            Err(join) => return Err(transient(&join)),
        };

        let (key, byte_size) = self
            .store_table_file(&resource.id, &job.id, &parquet)
            .await
            .map_err(|e| transient(&e))?;
        let mut report = report_json(&ingested);
        // The profile is worth having but not worth failing the load for.
        let new_table = Table {
            name: resource.id.clone(),
            object_key: key.clone(),
        };
        match self.engine.profile(&new_table).await {
            Ok(profile) => report["profile"] = profile,
            Err(e) => tracing::warn!(resource = %resource.id, error = %e, "no column profile"),
        }
        let mut schema = serde_json::to_value(&ingested.table_schema).unwrap_or(Value::Null);
        if edited {
            // The publisher's edits were applied; keep applying them next time.
            schema["edited"] = json!(true);
        }
        let now = time::now();
        let row = sen_db::DatastoreRow {
            resource_id: resource.id.clone(),
            package_id: resource.package_id.clone(),
            object_key: key,
            source_version: version.id.clone(),
            table_schema: schema.to_string(),
            row_count: ingested.rows as i64,
            byte_size,
            report: report.to_string(),
            created: now.clone(),
            updated: now,
        };
        self.install_table(&row).await.map_err(|e| transient(&e))?;
        tracing::info!(resource = %resource.id, rows = ingested.rows, "datastore table ready");
        Ok(report)
    }

    /// Stores a finished Parquet file under a key of its own (never the
    /// current table's); returns the key and the stored size.
    pub(crate) async fn store_table_file(
        &self,
        resource_id: &str,
        unique: &str,
        parquet: &std::path::Path,
    ) -> Result<(String, i64)> {
        let key = format!("datastore/{resource_id}/{unique}.parquet");
        let stored = self
            .storage
            .put_file(&key, parquet)
            .await
            .map_err(|e| Error::internal(e.to_string()))?;
        Ok((key, stored.size as i64))
    }

    /// Makes `row` the resource's table in one transaction, then deletes the
    /// previous object. If the row cannot be recorded, the new object is
    /// deleted and the old table stays as it was.
    pub(crate) async fn install_table(&self, row: &sen_db::DatastoreRow) -> Result<()> {
        let recorded = async {
            let mut tx = self.db.begin_write().await?;
            let old = sen_db::put_datastore_table(tx.conn(), row).await?;
            tx.commit().await?;
            Ok::<_, Error>(old)
        }
        .await;
        match recorded {
            Ok(Some(old)) => {
                if let Err(e) = self.storage.delete(&old).await {
                    tracing::warn!(key = %old, error = %e, "old datastore table not deleted");
                }
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(e) => {
                let _ = self.storage.delete(&row.object_key).await;
                Err(e)
            }
        }
    }

    /// CKAN's `datastore_search`.
    pub async fn datastore_search(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["resource_id", "id"])?;
        let (r, t) = self.readable_table(actor, &id).await?;
        let (limit, offset) = paging(data)?;
        let mut req = SearchRequest {
            limit,
            offset,
            distinct: flag(data, "distinct", false),
            include_total: flag(data, "include_total", true),
            format: records_format(data)?,
            ..Default::default()
        };
        if let Some(filters) = json_param(data, "filters")? {
            let Value::Object(map) = filters else {
                return Err(Error::field("filters", Msg::new("field-bad-json")));
            };
            for (k, v) in map {
                let values = match v {
                    Value::Array(a) => a,
                    one => vec![one],
                };
                req.filters.push((k, values));
            }
        }
        match json_param(data, "q")? {
            Some(Value::String(s)) if !s.trim().is_empty() => req.q = Some(s),
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    if let Some(s) = v.as_str() {
                        req.q_columns.push((k, s.to_string()));
                    }
                }
            }
            _ => {}
        }
        if let Some(fields) = data.get("fields").filter(|v| !v.is_null()) {
            let list = string_list(fields);
            if !list.is_empty() {
                req.fields = Some(list);
            }
        }
        if let Some(sort) = data.get("sort").filter(|v| !v.is_null()) {
            let text = string_list(sort).join(",");
            req.sort = SortKey::parse_list(&text).map_err(|e| ds_error(e, "sort"))?;
        }
        let table = Table {
            name: r.id.clone(),
            object_key: t.object_key.clone(),
        };
        let answer = self
            .engine
            .search(&table, &req)
            .await
            .map_err(|e| ds_error(e, "filters"))?;
        let fields: Vec<Value> = answer
            .fields
            .iter()
            .map(|(name, kind)| field_dict(&t, name, kind))
            .collect();
        let base = format!("/api/3/action/datastore_search?resource_id={}", r.id);
        let mut out = json!({
            "resource_id": r.id,
            "fields": fields,
            "records": answer.records,
            "records_format": match req.format {
                RecordsFormat::Objects => "objects",
                RecordsFormat::Lists => "lists",
                RecordsFormat::Csv => "csv",
                RecordsFormat::Tsv => "tsv",
            },
            "limit": limit,
            "include_total": req.include_total,
            "_links": {"start": base, "next": format!("{base}&offset={}", offset + limit)},
        });
        if offset > 0 {
            out["offset"] = json!(offset);
        }
        if let Some(total) = answer.total {
            out["total"] = json!(total);
            out["total_was_estimated"] = json!(false);
        }
        if let Some(q) = &req.q {
            out["q"] = json!(q);
        }
        if !req.filters.is_empty() {
            out["filters"] = Value::Object(
                req.filters
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            if v.len() == 1 { v[0].clone() } else { json!(v) },
                        )
                    })
                    .collect(),
            );
        }
        if let Some(s) = data.get("sort") {
            out["sort"] = s.clone();
        }
        Ok(out)
    }

    /// CKAN's `datastore_search_sql`: one SELECT over tables the caller may read.
    pub async fn datastore_search_sql(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let sql = data
            .get("sql")
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| Error::field("sql", Msg::new("field-missing")))?;
        let names = sen_datastore::referenced_tables(sql).map_err(|e| ds_error(e, "sql"))?;
        let mut tables = Vec::new();
        for name in names {
            // A table the caller may not read is reported exactly as a missing one.
            let t = self.readable_table(actor, &name).await.map_err(|e| {
                if e.is_not_found() {
                    ds_error(DsError::TableNotFound(name.clone()), "sql")
                } else {
                    e
                }
            })?;
            tables.push(Table {
                name: name.clone(),
                object_key: t.1.object_key,
            });
        }
        let answer = self
            .engine
            .sql(sql, &tables)
            .await
            .map_err(|e| ds_error(e, "sql"))?;
        let mut out = json!({
            "sql": sql,
            "fields": answer.fields.iter().map(|(n, k)| json!({"id": n, "type": k})).collect::<Vec<_>>(),
            "records": answer.records,
        });
        if answer.truncated {
            out["records_truncated"] = json!(true);
        }
        Ok(out)
    }

    /// Sen's `datastore_query`, in the spirit of SoQL: `select`, `where`,
    /// `group_by`, `order_by`, `limit`, `offset` over one table, as SQL
    /// clauses. The statement is assembled, then held to the same sandbox as
    /// `datastore_search_sql` (one SELECT; only tables the caller may read).
    pub async fn datastore_query(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["resource_id", "id"])?;
        let (r, _) = self.readable_table(actor, &id).await?;
        let clause = |key: &str| {
            data.get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let (limit, offset) = paging(data)?;
        let mut sql = format!(
            "SELECT {} FROM \"{}\"",
            clause("select").unwrap_or_else(|| "*".into()),
            r.id
        );
        for (key, keyword) in [
            ("where", "WHERE"),
            ("group_by", "GROUP BY"),
            ("having", "HAVING"),
            ("order_by", "ORDER BY"),
        ] {
            if let Some(c) = clause(key) {
                sql.push_str(&format!(" {keyword} {c}"));
            }
        }
        sql.push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
        let mut sql_data = Dict::new();
        sql_data.insert("sql".into(), json!(sql));
        let mut out = self.datastore_search_sql(actor, &sql_data).await?;
        out["resource_id"] = json!(r.id);
        out["limit"] = json!(limit);
        out["offset"] = json!(offset);
        Ok(out)
    }

    /// Sen's `datastore_schema_update` (editors of the dataset): the
    /// publisher's column types, titles and descriptions. Titles and
    /// descriptions show at once; the table is then ingested again from its
    /// file with the types given (a value that does not fit becomes empty and
    /// is counted in the report), and later uploads keep these choices.
    pub async fn datastore_schema_update(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["resource_id", "id"])?;
        let (r, p) = self.readable_resource(actor, &id).await?;
        self.editable_package(actor, &p.id, "datastore_schema_update")
            .await?;
        let mut c = self.db.conn().await?;
        let table = sen_db::find_datastore_table(&mut c, &r.id)
            .await?
            .ok_or_else(|| not_found("datastore_not_found", "error-datastore-not-found"))?;
        drop(c);
        let mut schema: Value =
            serde_json::from_str(&table.table_schema).unwrap_or_else(|_| json!({"fields": []}));
        let Some(given) = json_param(data, "fields")?.and_then(|v| v.as_array().cloned()) else {
            return Err(Error::field("fields", Msg::new("field-not-list")));
        };
        let mut errors = sen_domain::error::Validation::default();
        let known = schema["fields"].as_array().cloned().unwrap_or_default();
        let mut fields = known.clone();
        for g in &given {
            let Some(name) = g["name"].as_str() else {
                errors.add("fields", Msg::new("field-missing"));
                continue;
            };
            let Some(slot) = fields.iter_mut().find(|f| f["name"] == name) else {
                errors.add(
                    "fields",
                    Msg::new("datastore-unknown-column").arg("column", name),
                );
                continue;
            };
            if let Some(t) = g.get("type").and_then(Value::as_str) {
                if !["integer", "number", "boolean", "date", "datetime", "string"].contains(&t) {
                    errors.add(
                        "fields",
                        Msg::new("field-bad-choice").arg("value", t).arg(
                            "choices",
                            "integer, number, boolean, date, datetime, string",
                        ),
                    );
                } else {
                    slot["type"] = json!(t);
                }
            }
            for key in ["title", "description"] {
                if let Some(v) = g.get(key).and_then(Value::as_str) {
                    if v.chars().count() > 2000 {
                        errors.add("fields", Msg::new("field-too-long").arg("max", 2000));
                    } else if v.trim().is_empty() {
                        if let Some(o) = slot.as_object_mut() {
                            o.remove(key);
                        }
                    } else {
                        slot[key] = json!(v.trim());
                    }
                }
            }
        }
        errors.finish()?;
        let retype = fields
            .iter()
            .zip(&known)
            .any(|(a, b)| a["type"] != b["type"]);
        schema["fields"] = Value::Array(fields);
        schema["edited"] = json!(true);
        let mut tx = self.db.begin_write().await?;
        sen_db::set_datastore_schema(tx.conn(), &r.id, &schema.to_string(), &time::now()).await?;
        if retype {
            self.queue_ingest(tx.conn(), &r.id, &table.source_version)
                .await?;
        }
        tx.commit().await?;
        if retype {
            self.wake_workers();
        }
        Ok(json!({"resource_id": r.id, "schema": schema, "reingesting": retype}))
    }

    /// CKAN's `datastore_info`: the columns and the table's size.
    pub async fn datastore_info(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["id", "resource_id"])?;
        let (r, t) = self.readable_table(actor, &id).await?;
        let table = Table {
            name: r.id.clone(),
            object_key: t.object_key.clone(),
        };
        let columns = self
            .engine
            .columns(&table)
            .await
            .map_err(|e| ds_error(e, "id"))?;
        let fields: Vec<Value> = columns.iter().map(|(n, k)| field_dict(&t, n, k)).collect();
        Ok(json!({
            "meta": {"count": t.row_count, "table_type": "BASE TABLE", "size": t.byte_size,
                     "aliases": [], "id": r.id, "updated": t.updated},
            "fields": fields,
            "schema": serde_json::from_str::<Value>(&t.table_schema).unwrap_or(Value::Null),
        }))
    }

    /// Sen's `datastore_status`: the newest ingestion job of a resource —
    /// state, progress and report — and whether a table is ready.
    pub async fn datastore_status(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["resource_id", "id"])?;
        let (r, _) = self.readable_resource(actor, &id).await?;
        let mut c = self.db.conn().await?;
        let job = sen_db::latest_job(&mut c, INGEST_JOB, &r.id).await?;
        let table = sen_db::find_datastore_table(&mut c, &r.id).await?;
        let job = job.map(|j| {
            let parse = |s: &Option<String>| s.as_deref().and_then(|t| serde_json::from_str::<Value>(t).ok());
            json!({"id": j.id, "state": j.state, "attempts": j.attempts, "created": j.created, "updated": j.updated,
                   "progress": {"done": j.progress_done, "total": j.progress_total},
                   "report": parse(&j.result).or_else(|| parse(&j.error))})
        });
        Ok(json!({
            "resource_id": r.id,
            "job": job,
            "datastore_active": table.is_some(),
            "rows": table.as_ref().map(|t| t.row_count),
            "report": table.as_ref().and_then(|t| serde_json::from_str::<Value>(&t.report).ok()),
        }))
    }

    /// A whole table as a stream (`/datastore/dump/{id}` and exports), with a file name.
    pub async fn datastore_export(
        &self,
        actor: &Actor,
        id: &str,
        format: sen_datastore::ExportFormat,
    ) -> Result<(
        String,
        futures::stream::BoxStream<'static, std::result::Result<bytes::Bytes, DsError>>,
    )> {
        let (r, t) = self.readable_table(actor, id).await?;
        let table = Table {
            name: r.id.clone(),
            object_key: t.object_key.clone(),
        };
        let stream = self
            .engine
            .export(&table, format)
            .await
            .map_err(|e| ds_error(e, "id"))?;
        let base = if r.name.trim().is_empty() {
            r.id.clone()
        } else {
            r.name.clone()
        };
        Ok((base, stream))
    }

    /// The Parquet object of a readable table (served as it is stored).
    pub async fn datastore_parquet_key(&self, actor: &Actor, id: &str) -> Result<(String, String)> {
        let (r, t) = self.readable_table(actor, id).await?;
        Ok((
            if r.name.trim().is_empty() {
                r.id
            } else {
                r.name
            },
            t.object_key,
        ))
    }
}

/// A column as CKAN describes it, with the publisher's title and description.
fn field_dict(t: &sen_db::DatastoreRow, name: &str, kind: &str) -> Value {
    let schema: Value = serde_json::from_str(&t.table_schema).unwrap_or(Value::Null);
    let described = schema["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["name"] == name))
        .cloned()
        .unwrap_or(Value::Null);
    let mut info = Map::new();
    for key in ["title", "description"] {
        if let Some(v) = described[key].as_str().filter(|v| !v.is_empty()) {
            info.insert(
                if key == "title" {
                    "label".into()
                } else {
                    "notes".into()
                },
                json!(v),
            );
        }
    }
    let mut f = json!({"id": name, "type": kind});
    if !info.is_empty() {
        f["info"] = Value::Object(info);
    }
    if let Some(t) = described["type"].as_str() {
        f["schema_type"] = json!(t);
    }
    f
}

fn notice_json(n: &sen_ingest::Notice) -> Value {
    json!({"key": n.key, "args": n.args.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<Map<String, Value>>()})
}

fn report_json(i: &sen_ingest::Ingested) -> Value {
    let r = &i.report;
    json!({
        "rows": i.rows,
        "format": r.format.as_str(),
        "encoding": r.encoding,
        "delimiter": r.delimiter.map(|d| d.to_string()),
        "header_row": r.header_row,
        "notices": r.warnings.iter().map(notice_json).collect::<Vec<_>>(),
        "rejected_count": r.rejected_count,
        "rejected": r.rejected.iter().map(|x| json!({"line": x.line, "notice": notice_json(&x.notice)})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_ingestion_notice_and_datastore_message_is_translated() {
        for lang in sen_i18n::Lang::ALL {
            let keys = sen_i18n::keys(lang);
            for key in sen_ingest::NOTICE_KEYS.iter().chain(&[
                "datastore-unknown-column",
                "datastore-bad-query",
                "datastore-not-select",
                "datastore-table-not-found",
                "datastore-timeout",
                "datastore-memory",
                "datastore-bad-records-format",
                "error-datastore-not-found",
            ]) {
                assert!(keys.iter().any(|k| k == key), "{key} missing in {lang}");
            }
        }
    }

    #[test]
    fn tabular_files_are_known_by_name_or_format() {
        assert!(super::is_tabular("dan-so.CSV", ""));
        assert!(super::is_tabular("bang", "xlsx"));
        assert!(!super::is_tabular("bao-cao.pdf", "PDF"));
    }
}
