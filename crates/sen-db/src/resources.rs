//! Resources (distributions) and the versions of their uploaded files.

use crate::{db_error, Conn, ResourceRow, ResourceVersionRow, Sql};
use sen_domain::Result;

const RESOURCE_COLUMNS: &str = "id, package_id, position, name, description, url, url_type, \
    format, mimetype, size, hash, storage_key, extras, state, created, last_modified";

pub async fn insert_resource(c: &mut Conn, r: &ResourceRow) -> Result<()> {
    let mut q = Sql::new(format!(
        "INSERT INTO resources ({RESOURCE_COLUMNS}) VALUES ("
    ));
    q.bind(&r.id)
        .push(", ")
        .bind(&r.package_id)
        .push(", ")
        .bind(r.position)
        .push(", ");
    q.bind(&r.name)
        .push(", ")
        .bind(&r.description)
        .push(", ")
        .bind(&r.url)
        .push(", ");
    q.bind(&r.url_type)
        .push(", ")
        .bind(&r.format)
        .push(", ")
        .bind(&r.mimetype)
        .push(", ");
    push_size(&mut q, r.size);
    q.push(", ")
        .bind(&r.hash)
        .push(", ")
        .bind(r.storage_key.clone())
        .push(", ");
    q.bind(&r.extras)
        .push(", ")
        .bind(&r.state)
        .push(", ")
        .bind(&r.created)
        .push(", ");
    q.bind(r.last_modified.clone()).push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

fn push_size(q: &mut Sql, size: Option<i64>) {
    match size {
        Some(s) => q.bind(s),
        None => q.push("NULL"),
    };
}

pub async fn update_resource(c: &mut Conn, r: &ResourceRow) -> Result<()> {
    let mut q = Sql::new("UPDATE resources SET position = ");
    q.bind(r.position).push(", name = ").bind(&r.name);
    q.push(", description = ")
        .bind(&r.description)
        .push(", url = ")
        .bind(&r.url);
    q.push(", url_type = ")
        .bind(&r.url_type)
        .push(", format = ")
        .bind(&r.format);
    q.push(", mimetype = ").bind(&r.mimetype).push(", size = ");
    push_size(&mut q, r.size);
    q.push(", hash = ")
        .bind(&r.hash)
        .push(", storage_key = ")
        .bind(r.storage_key.clone());
    q.push(", extras = ")
        .bind(&r.extras)
        .push(", state = ")
        .bind(&r.state);
    q.push(", last_modified = ").bind(r.last_modified.clone());
    q.push(" WHERE id = ").bind(&r.id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn find_resource(c: &mut Conn, id: &str) -> Result<Option<ResourceRow>> {
    let mut q = Sql::new(format!(
        "SELECT {RESOURCE_COLUMNS} FROM resources WHERE id = "
    ));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Active resources of a dataset in their order.
pub async fn package_resources(c: &mut Conn, package_id: &str) -> Result<Vec<ResourceRow>> {
    let mut q = Sql::new(format!(
        "SELECT {RESOURCE_COLUMNS} FROM resources WHERE state = 'active' AND package_id = "
    ));
    q.bind(package_id).push(" ORDER BY position, created");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Active resources of many datasets at once, for search results.
pub async fn resources_of(c: &mut Conn, package_ids: &[String]) -> Result<Vec<ResourceRow>> {
    let mut q = Sql::new(format!(
        "SELECT {RESOURCE_COLUMNS} FROM resources WHERE state = 'active' AND package_id IN "
    ));
    q.bind_list(package_ids)
        .push(" ORDER BY package_id, position, created");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Removes a resource from its dataset. The row stays as `deleted` so its
/// history and file versions remain on record.
pub async fn mark_resource_deleted(c: &mut Conn, id: &str, when: &str) -> Result<()> {
    let mut q = Sql::new("UPDATE resources SET state = 'deleted', last_modified = ");
    q.bind(when).push(" WHERE id = ").bind(id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn next_resource_position(c: &mut Conn, package_id: &str) -> Result<i64> {
    let mut q = Sql::new(
        "SELECT COALESCE(MAX(position) + 1, 0) FROM resources WHERE state = 'active' AND package_id = ",
    );
    q.bind(package_id);
    q.scalar().fetch_one(c).await.map_err(db_error)
}

pub async fn insert_resource_version(c: &mut Conn, v: &ResourceVersionRow) -> Result<()> {
    let mut q = Sql::new(
        "INSERT INTO resource_versions (id, resource_id, storage_key, filename, size, sha256, \
         mimetype, created, user_id) VALUES (",
    );
    q.bind(&v.id)
        .push(", ")
        .bind(&v.resource_id)
        .push(", ")
        .bind(&v.storage_key)
        .push(", ");
    q.bind(&v.filename)
        .push(", ")
        .bind(v.size)
        .push(", ")
        .bind(&v.sha256)
        .push(", ");
    q.bind(&v.mimetype)
        .push(", ")
        .bind(&v.created)
        .push(", ")
        .bind(v.user_id.clone())
        .push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// Every stored file of a resource, newest first.
pub async fn resource_versions(c: &mut Conn, resource_id: &str) -> Result<Vec<ResourceVersionRow>> {
    let mut q = Sql::new(
        "SELECT id, resource_id, storage_key, filename, size, sha256, mimetype, created, user_id \
         FROM resource_versions WHERE resource_id = ",
    );
    q.bind(resource_id).push(" ORDER BY created DESC, id DESC");
    q.query_as().fetch_all(c).await.map_err(db_error)
}
