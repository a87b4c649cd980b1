//! Which resources have a datastore table, and where its Parquet object is.

use crate::{db_error, Conn, Sql};
use sen_domain::Result;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct DatastoreRow {
    pub resource_id: String,
    pub package_id: String,
    pub object_key: String,
    pub source_version: String,
    pub table_schema: String,
    pub row_count: i64,
    pub byte_size: i64,
    pub report: String,
    pub created: String,
    pub updated: String,
}

const COLUMNS: &str = "resource_id, package_id, object_key, source_version, table_schema, row_count, byte_size, report, created, updated";

pub async fn find_datastore_table(c: &mut Conn, resource_id: &str) -> Result<Option<DatastoreRow>> {
    let mut q = Sql::new(format!(
        "SELECT {COLUMNS} FROM datastore_tables WHERE resource_id = "
    ));
    q.bind(resource_id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Records a table, replacing the previous one of the resource; returns the
/// old object key so the caller can delete it after the commit.
pub async fn put_datastore_table(c: &mut Conn, row: &DatastoreRow) -> Result<Option<String>> {
    let old = find_datastore_table(&mut *c, &row.resource_id)
        .await?
        .map(|r| r.object_key)
        .filter(|k| *k != row.object_key);
    let mut q = Sql::new(format!("INSERT INTO datastore_tables ({COLUMNS}) VALUES ("));
    q.bind(&row.resource_id)
        .push(", ")
        .bind(&row.package_id)
        .push(", ")
        .bind(&row.object_key)
        .push(", ")
        .bind(&row.source_version)
        .push(", ")
        .bind(&row.table_schema)
        .push(", ")
        .bind(row.row_count)
        .push(", ")
        .bind(row.byte_size)
        .push(", ")
        .bind(&row.report)
        .push(", ")
        .bind(&row.created)
        .push(", ")
        .bind(&row.updated)
        .push(
            ") ON CONFLICT (resource_id) DO UPDATE SET object_key = excluded.object_key, \
             source_version = excluded.source_version, table_schema = excluded.table_schema, \
             row_count = excluded.row_count, byte_size = excluded.byte_size, report = excluded.report, \
             updated = excluded.updated",
        );
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(old)
}

/// Removes a resource's table; returns its object key.
pub async fn delete_datastore_table(c: &mut Conn, resource_id: &str) -> Result<Option<String>> {
    let old = find_datastore_table(&mut *c, resource_id)
        .await?
        .map(|r| r.object_key);
    let mut q = Sql::new("DELETE FROM datastore_tables WHERE resource_id = ");
    q.bind(resource_id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(old)
}

/// Just the schema and report (the publisher edits the schema).
pub async fn set_datastore_schema(
    c: &mut Conn,
    resource_id: &str,
    table_schema: &str,
    now: &str,
) -> Result<bool> {
    let mut q = Sql::new("UPDATE datastore_tables SET table_schema = ");
    q.bind(table_schema)
        .push(", updated = ")
        .bind(now)
        .push(" WHERE resource_id = ")
        .bind(resource_id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}
