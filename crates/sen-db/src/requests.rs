//! Data requests (a missing dataset asked for by the public), their votes and comments.

use crate::{db_error, Conn, Sql};
use sen_domain::Result;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct DataRequestRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub reason: String,
    pub suggested_agency: String,
    pub requester_id: String,
    pub organization_id: Option<String>,
    pub status: String,
    pub planned_date: Option<String>,
    pub dataset_id: Option<String>,
    pub answer: String,
    pub created: String,
    pub modified: String,
    /// Computed: the number of votes.
    pub votes: i64,
}

const COLS: &str = "r.id, r.title, r.description, r.reason, r.suggested_agency, r.requester_id, \
     r.organization_id, r.status, r.planned_date, r.dataset_id, r.answer, r.created, r.modified, \
     (SELECT COUNT(*) FROM data_request_votes v WHERE v.request_id = r.id) AS votes";

pub async fn insert_data_request(c: &mut Conn, r: &DataRequestRow) -> Result<()> {
    let mut q = Sql::new(
        "INSERT INTO data_requests (id, title, description, reason, suggested_agency, requester_id, \
         organization_id, status, planned_date, dataset_id, answer, created, modified) VALUES (",
    );
    q.bind(&r.id)
        .push(", ")
        .bind(&r.title)
        .push(", ")
        .bind(&r.description);
    q.push(", ")
        .bind(&r.reason)
        .push(", ")
        .bind(&r.suggested_agency);
    q.push(", ")
        .bind(&r.requester_id)
        .push(", ")
        .bind(r.organization_id.clone());
    q.push(", ")
        .bind(&r.status)
        .push(", ")
        .bind(r.planned_date.clone());
    q.push(", ")
        .bind(r.dataset_id.clone())
        .push(", ")
        .bind(&r.answer);
    q.push(", ")
        .bind(&r.created)
        .push(", ")
        .bind(&r.modified)
        .push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// Writes every mutable field of a request.
pub async fn update_data_request(c: &mut Conn, r: &DataRequestRow) -> Result<()> {
    let mut q = Sql::new("UPDATE data_requests SET title = ");
    q.bind(&r.title)
        .push(", description = ")
        .bind(&r.description);
    q.push(", reason = ").bind(&r.reason);
    q.push(", suggested_agency = ").bind(&r.suggested_agency);
    q.push(", organization_id = ")
        .bind(r.organization_id.clone());
    q.push(", status = ").bind(&r.status);
    q.push(", planned_date = ").bind(r.planned_date.clone());
    q.push(", dataset_id = ").bind(r.dataset_id.clone());
    q.push(", answer = ").bind(&r.answer);
    q.push(", modified = ").bind(&r.modified);
    q.push(" WHERE id = ").bind(&r.id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn get_data_request(c: &mut Conn, id: &str) -> Result<Option<DataRequestRow>> {
    let mut q = Sql::new(format!("SELECT {COLS} FROM data_requests r WHERE r.id = "));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Filters and order of a request list.
#[derive(Debug, Clone, Default)]
pub struct DataRequestQuery {
    pub status: Option<String>,
    pub organization_id: Option<String>,
    /// Order by votes (most first) instead of newest first.
    pub by_votes: bool,
    pub limit: i64,
    pub offset: i64,
}

fn push_filters(q: &mut Sql, f: &DataRequestQuery) {
    q.push(" WHERE 1 = 1");
    if let Some(s) = &f.status {
        q.push(" AND r.status = ").bind(s);
    }
    if let Some(o) = &f.organization_id {
        q.push(" AND r.organization_id = ").bind(o);
    }
}

pub async fn list_data_requests(
    c: &mut Conn,
    f: &DataRequestQuery,
) -> Result<(i64, Vec<DataRequestRow>)> {
    let mut q = Sql::new("SELECT COUNT(*) FROM data_requests r");
    push_filters(&mut q, f);
    let count: i64 = q.scalar().fetch_one(&mut *c).await.map_err(db_error)?;
    let mut q = Sql::new(format!("SELECT {COLS} FROM data_requests r"));
    push_filters(&mut q, f);
    if f.by_votes {
        q.push(" ORDER BY votes DESC, r.created DESC, r.id");
    } else {
        q.push(" ORDER BY r.created DESC, r.id");
    }
    q.push(" LIMIT ")
        .bind(f.limit)
        .push(" OFFSET ")
        .bind(f.offset);
    let rows = q.query_as().fetch_all(c).await.map_err(db_error)?;
    Ok((count, rows))
}

/// Adds a vote; a second vote by the same user changes nothing (returns false).
pub async fn insert_vote(c: &mut Conn, request_id: &str, user_id: &str, now: &str) -> Result<bool> {
    let mut q = Sql::new("INSERT INTO data_request_votes (request_id, user_id, created) VALUES (");
    q.bind(request_id)
        .push(", ")
        .bind(user_id)
        .push(", ")
        .bind(now);
    q.push(") ON CONFLICT DO NOTHING");
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

pub async fn delete_vote(c: &mut Conn, request_id: &str, user_id: &str) -> Result<bool> {
    let mut q = Sql::new("DELETE FROM data_request_votes WHERE request_id = ");
    q.bind(request_id).push(" AND user_id = ").bind(user_id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

pub async fn has_voted(c: &mut Conn, request_id: &str, user_id: &str) -> Result<bool> {
    let mut q = Sql::new("SELECT COUNT(*) FROM data_request_votes WHERE request_id = ");
    q.bind(request_id).push(" AND user_id = ").bind(user_id);
    let n: i64 = q.scalar().fetch_one(c).await.map_err(db_error)?;
    Ok(n > 0)
}

#[derive(Debug, Clone, FromRow)]
pub struct DataRequestCommentRow {
    pub id: String,
    pub request_id: String,
    pub user_id: String,
    pub user_name: String,
    pub body: String,
    pub created: String,
}

pub async fn insert_request_comment(
    c: &mut Conn,
    id: &str,
    request_id: &str,
    user_id: &str,
    body: &str,
    now: &str,
) -> Result<()> {
    let mut q = Sql::new(
        "INSERT INTO data_request_comments (id, request_id, user_id, body, created) VALUES (",
    );
    q.bind(id)
        .push(", ")
        .bind(request_id)
        .push(", ")
        .bind(user_id);
    q.push(", ").bind(body).push(", ").bind(now).push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn request_comments(
    c: &mut Conn,
    request_id: &str,
) -> Result<Vec<DataRequestCommentRow>> {
    let mut q = Sql::new(
        "SELECT m.id, m.request_id, m.user_id, u.name AS user_name, m.body, m.created \
         FROM data_request_comments m JOIN users u ON u.id = m.user_id WHERE m.request_id = ",
    );
    q.bind(request_id).push(" ORDER BY m.created, m.id");
    q.query_as().fetch_all(c).await.map_err(db_error)
}
