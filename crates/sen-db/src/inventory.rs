//! The government data inventory: information systems, open-data list items
//! and the list's reviews. Visibility of fields is decided by the catalogue;
//! rows here are whole.

use crate::{db_error, push_visible, Conn, Sql, Viewer};
use sen_domain::Result;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct SystemRow {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub kind: String,
    pub status: String,
    /// The whole record as a JSON object.
    pub data: String,
    pub created: String,
    pub modified: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct OpenDataItemRow {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub description: String,
    pub planned_date: String,
    pub package_id: Option<String>,
    pub created: String,
    pub modified: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct ReviewRow {
    pub id: String,
    pub org_id: String,
    pub reviewed_on: String,
    pub user_id: Option<String>,
    pub note: String,
}

/// A dataset as the freshness rules see it.
#[derive(Debug, Clone, FromRow)]
pub struct FreshnessRow {
    pub id: String,
    pub owner_org: String,
    pub access_level: String,
    pub modified: String,
}

const SYSTEM_COLUMNS: &str = "id, org_id, name, kind, status, data, created, modified";
const ITEM_COLUMNS: &str =
    "id, org_id, title, description, planned_date, package_id, created, modified";

pub async fn insert_system(c: &mut Conn, s: &SystemRow) -> Result<()> {
    let mut q = Sql::new(format!(
        "INSERT INTO inventory_systems ({SYSTEM_COLUMNS}) VALUES ("
    ));
    q.bind(&s.id)
        .push(", ")
        .bind(&s.org_id)
        .push(", ")
        .bind(&s.name);
    q.push(", ")
        .bind(&s.kind)
        .push(", ")
        .bind(&s.status)
        .push(", ")
        .bind(&s.data);
    q.push(", ")
        .bind(&s.created)
        .push(", ")
        .bind(&s.modified)
        .push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn update_system(c: &mut Conn, s: &SystemRow) -> Result<()> {
    let mut q = Sql::new("UPDATE inventory_systems SET org_id = ");
    q.bind(&s.org_id).push(", name = ").bind(&s.name);
    q.push(", kind = ")
        .bind(&s.kind)
        .push(", status = ")
        .bind(&s.status);
    q.push(", data = ")
        .bind(&s.data)
        .push(", modified = ")
        .bind(&s.modified);
    q.push(" WHERE id = ").bind(&s.id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn delete_system(c: &mut Conn, id: &str) -> Result<bool> {
    let mut q = Sql::new("DELETE FROM inventory_systems WHERE id = ");
    q.bind(id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

pub async fn get_system(c: &mut Conn, id: &str) -> Result<Option<SystemRow>> {
    let mut q = Sql::new(format!(
        "SELECT {SYSTEM_COLUMNS} FROM inventory_systems WHERE id = "
    ));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Systems of one agency (`Some`) or of all (`None`), by agency then name.
pub async fn list_systems(c: &mut Conn, org_id: Option<&str>) -> Result<Vec<SystemRow>> {
    let mut q = Sql::new(format!("SELECT {SYSTEM_COLUMNS} FROM inventory_systems"));
    if let Some(org) = org_id {
        q.push(" WHERE org_id = ").bind(org);
    }
    q.push(" ORDER BY org_id, name, id");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn insert_item(c: &mut Conn, i: &OpenDataItemRow) -> Result<()> {
    let mut q = Sql::new(format!(
        "INSERT INTO open_data_items ({ITEM_COLUMNS}) VALUES ("
    ));
    q.bind(&i.id)
        .push(", ")
        .bind(&i.org_id)
        .push(", ")
        .bind(&i.title);
    q.push(", ")
        .bind(&i.description)
        .push(", ")
        .bind(&i.planned_date);
    q.push(", ")
        .bind(i.package_id.clone())
        .push(", ")
        .bind(&i.created);
    q.push(", ").bind(&i.modified).push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn update_item(c: &mut Conn, i: &OpenDataItemRow) -> Result<()> {
    let mut q = Sql::new("UPDATE open_data_items SET title = ");
    q.bind(&i.title)
        .push(", description = ")
        .bind(&i.description);
    q.push(", planned_date = ").bind(&i.planned_date);
    q.push(", package_id = ").bind(i.package_id.clone());
    q.push(", modified = ")
        .bind(&i.modified)
        .push(" WHERE id = ")
        .bind(&i.id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn delete_item(c: &mut Conn, id: &str) -> Result<bool> {
    let mut q = Sql::new("DELETE FROM open_data_items WHERE id = ");
    q.bind(id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

pub async fn get_item(c: &mut Conn, id: &str) -> Result<Option<OpenDataItemRow>> {
    let mut q = Sql::new(format!(
        "SELECT {ITEM_COLUMNS} FROM open_data_items WHERE id = "
    ));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Items of one agency (`Some`) or of all, by planned date.
pub async fn list_items(c: &mut Conn, org_id: Option<&str>) -> Result<Vec<OpenDataItemRow>> {
    let mut q = Sql::new(format!("SELECT {ITEM_COLUMNS} FROM open_data_items"));
    if let Some(org) = org_id {
        q.push(" WHERE org_id = ").bind(org);
    }
    q.push(" ORDER BY org_id, planned_date, title, id");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn insert_review(c: &mut Conn, r: &ReviewRow) -> Result<()> {
    let mut q =
        Sql::new("INSERT INTO open_data_reviews (id, org_id, reviewed_on, user_id, note) VALUES (");
    q.bind(&r.id)
        .push(", ")
        .bind(&r.org_id)
        .push(", ")
        .bind(&r.reviewed_on);
    q.push(", ")
        .bind(r.user_id.clone())
        .push(", ")
        .bind(&r.note)
        .push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// Reviews of one agency (`Some`) or of all, newest first.
pub async fn list_reviews(c: &mut Conn, org_id: Option<&str>) -> Result<Vec<ReviewRow>> {
    let mut q = Sql::new("SELECT id, org_id, reviewed_on, user_id, note FROM open_data_reviews");
    if let Some(org) = org_id {
        q.push(" WHERE org_id = ").bind(org);
    }
    q.push(" ORDER BY reviewed_on DESC, id");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Published datasets `viewer` may see, with their owner, level and last change.
pub async fn visible_freshness(c: &mut Conn, viewer: &Viewer) -> Result<Vec<FreshnessRow>> {
    let mut q =
        Sql::new("SELECT p.id, p.owner_org, p.access_level, p.modified FROM packages p WHERE ");
    push_visible(&mut q, viewer, "p");
    q.push(" ORDER BY p.id");
    q.query_as().fetch_all(c).await.map_err(db_error)
}
