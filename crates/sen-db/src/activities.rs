//! The activity record: every change, who made it, when, and what changed.

use crate::{db_error, packages::push_visible, ActivityRow, Conn, Sql, Viewer};
use sen_domain::Result;

const ACTIVITY_COLUMNS: &str =
    "a.id, a.timestamp, a.user_id, a.object_id, a.object_type, a.activity_type, a.package_id, a.data";

pub async fn insert_activity(c: &mut Conn, a: &ActivityRow) -> Result<()> {
    let mut q = Sql::new(
        "INSERT INTO activities (id, timestamp, user_id, object_id, object_type, activity_type, \
         package_id, data) VALUES (",
    );
    q.bind(&a.id)
        .push(", ")
        .bind(&a.timestamp)
        .push(", ")
        .bind(a.user_id.clone())
        .push(", ");
    q.bind(&a.object_id)
        .push(", ")
        .bind(&a.object_type)
        .push(", ")
        .bind(&a.activity_type);
    q.push(", ")
        .bind(a.package_id.clone())
        .push(", ")
        .bind(&a.data)
        .push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// Activities about one object, newest first.
pub async fn object_activities(
    c: &mut Conn,
    object_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ActivityRow>> {
    let mut q = Sql::new(format!(
        "SELECT {ACTIVITY_COLUMNS} FROM activities a WHERE a.object_id = "
    ));
    q.bind(object_id)
        .push(" ORDER BY a.timestamp DESC, a.id DESC LIMIT ")
        .bind(limit);
    q.push(" OFFSET ").bind(offset);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Recent dataset activities on datasets `viewer` may see (a deleted dataset's
/// deletion stays listed only while its last visible state was open).
pub async fn recent_package_activities(
    c: &mut Conn,
    viewer: &Viewer,
    limit: i64,
    offset: i64,
) -> Result<Vec<ActivityRow>> {
    let mut q = Sql::new(format!(
        "SELECT {ACTIVITY_COLUMNS} FROM activities a JOIN packages p ON p.id = a.package_id WHERE "
    ));
    push_visible(&mut q, viewer, "p");
    q.push(" AND a.object_type = 'package' ORDER BY a.timestamp DESC, a.id DESC LIMIT ");
    q.bind(limit).push(" OFFSET ").bind(offset);
    q.query_as().fetch_all(c).await.map_err(db_error)
}
