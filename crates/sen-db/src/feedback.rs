//! Problem reports on datasets (and general ones), queued per organisation.

use crate::{db_error, Conn, Sql};
use sen_domain::Result;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct FeedbackRow {
    pub id: String,
    pub package_id: Option<String>,
    pub organization_id: Option<String>,
    pub category: String,
    pub message: String,
    pub contact_email: String,
    pub reporter_id: Option<String>,
    pub public: i64,
    pub status: String,
    pub answer: String,
    pub created: String,
    pub modified: String,
}

const COLS: &str =
    "id, package_id, organization_id, category, message, contact_email, reporter_id, \
     public, status, answer, created, modified";

pub async fn insert_feedback(c: &mut Conn, f: &FeedbackRow) -> Result<()> {
    let mut q = Sql::new(format!("INSERT INTO feedback ({COLS}) VALUES ("));
    q.bind(&f.id).push(", ").bind(f.package_id.clone());
    q.push(", ")
        .bind(f.organization_id.clone())
        .push(", ")
        .bind(&f.category);
    q.push(", ")
        .bind(&f.message)
        .push(", ")
        .bind(&f.contact_email);
    q.push(", ")
        .bind(f.reporter_id.clone())
        .push(", ")
        .bind(f.public);
    q.push(", ").bind(&f.status).push(", ").bind(&f.answer);
    q.push(", ")
        .bind(&f.created)
        .push(", ")
        .bind(&f.modified)
        .push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn update_feedback_answer(c: &mut Conn, f: &FeedbackRow) -> Result<()> {
    let mut q = Sql::new("UPDATE feedback SET status = ");
    q.bind(&f.status).push(", answer = ").bind(&f.answer);
    q.push(", modified = ").bind(&f.modified);
    q.push(" WHERE id = ").bind(&f.id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn get_feedback(c: &mut Conn, id: &str) -> Result<Option<FeedbackRow>> {
    let mut q = Sql::new(format!("SELECT {COLS} FROM feedback WHERE id = "));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Which reports to list.
#[derive(Debug, Clone)]
pub enum FeedbackScope {
    /// One organisation's queue.
    Organization(String),
    /// General reports (no organisation): the operator's queue.
    General,
    /// Everything (sysadmins).
    All,
    /// The public reports of one dataset.
    PublicOfPackage(String),
}

pub async fn list_feedback(
    c: &mut Conn,
    scope: &FeedbackScope,
    limit: i64,
) -> Result<Vec<FeedbackRow>> {
    let mut q = Sql::new(format!("SELECT {COLS} FROM feedback WHERE "));
    match scope {
        FeedbackScope::Organization(o) => {
            q.push("organization_id = ").bind(o);
        }
        FeedbackScope::General => {
            q.push("organization_id IS NULL");
        }
        FeedbackScope::All => {
            q.push("1 = 1");
        }
        FeedbackScope::PublicOfPackage(p) => {
            q.push("public = 1 AND package_id = ").bind(p);
        }
    }
    q.push(" ORDER BY created DESC, id LIMIT ").bind(limit);
    q.query_as().fetch_all(c).await.map_err(db_error)
}
