//! Followers of datasets, organisations, topics and other objects.

use crate::{db_error, Conn, Sql, UserRow};
use sen_domain::Result;

/// Adds a follower; following twice is not an error (returns false).
pub async fn insert_follow(
    c: &mut Conn,
    user_id: &str,
    object_type: &str,
    object_id: &str,
    created: &str,
) -> Result<bool> {
    let mut q = Sql::new("INSERT INTO follows (user_id, object_type, object_id, created) VALUES (");
    q.bind(user_id)
        .push(", ")
        .bind(object_type)
        .push(", ")
        .bind(object_id);
    q.push(", ").bind(created).push(") ON CONFLICT DO NOTHING");
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

pub async fn delete_follow(
    c: &mut Conn,
    user_id: &str,
    object_type: &str,
    object_id: &str,
) -> Result<bool> {
    let mut q = Sql::new("DELETE FROM follows WHERE user_id = ");
    q.bind(user_id)
        .push(" AND object_type = ")
        .bind(object_type);
    q.push(" AND object_id = ").bind(object_id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

pub async fn follower_count(c: &mut Conn, object_type: &str, object_id: &str) -> Result<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM follows WHERE object_type = ");
    q.bind(object_type)
        .push(" AND object_id = ")
        .bind(object_id);
    q.scalar().fetch_one(c).await.map_err(db_error)
}

pub async fn is_following(
    c: &mut Conn,
    user_id: &str,
    object_type: &str,
    object_id: &str,
) -> Result<bool> {
    let mut q = Sql::new("SELECT COUNT(*) FROM follows WHERE user_id = ");
    q.bind(user_id)
        .push(" AND object_type = ")
        .bind(object_type);
    q.push(" AND object_id = ").bind(object_id);
    let n: i64 = q.scalar().fetch_one(c).await.map_err(db_error)?;
    Ok(n > 0)
}

pub async fn followers(c: &mut Conn, object_type: &str, object_id: &str) -> Result<Vec<UserRow>> {
    let mut q = Sql::new(
        "SELECT u.id, u.name, u.email, u.fullname, u.about, u.password_hash, u.sysadmin, u.state, u.created \
         FROM follows f JOIN users u ON u.id = f.user_id WHERE u.state = 'active' AND f.object_type = ",
    );
    q.bind(object_type)
        .push(" AND f.object_id = ")
        .bind(object_id);
    q.push(" ORDER BY f.created");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Ids of the objects of one type a user follows.
pub async fn followed_ids(c: &mut Conn, user_id: &str, object_type: &str) -> Result<Vec<String>> {
    let mut q = Sql::new("SELECT object_id FROM follows WHERE user_id = ");
    q.bind(user_id)
        .push(" AND object_type = ")
        .bind(object_type);
    q.push(" ORDER BY created");
    q.scalar().fetch_all(c).await.map_err(db_error)
}
