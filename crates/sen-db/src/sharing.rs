//! Inter-agency sharing: access requests, their history, grants, and the
//! audit log of reads of non-open data.

use crate::{db_error, Bind, Conn, Sql};
use sen_domain::Result;
use sqlx::FromRow;

fn insert(table: &str, cols: &[&str], values: Vec<Bind>) -> Sql {
    let mut q = Sql::new(format!(
        "INSERT INTO {table} ({}) VALUES (",
        cols.join(", ")
    ));
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(v);
    }
    q.push(")");
    q
}

fn t(s: &str) -> Bind {
    Bind::Text(s.to_string())
}

fn ot(s: Option<&str>) -> Bind {
    s.map(t).unwrap_or(Bind::Null)
}

#[derive(Debug, Clone, FromRow)]
pub struct AccessRequestRow {
    pub id: String,
    pub package_id: String,
    pub owner_org: String,
    pub requester_user_id: String,
    pub requester_org: String,
    pub resource_ids: String,
    pub purpose: String,
    pub legal_basis: String,
    pub period: String,
    pub state: String,
    pub due: String,
    pub overdue_at: Option<String>,
    pub decided_by: Option<String>,
    pub reason: String,
    pub decision_legal_basis: String,
    pub created: String,
    pub modified: String,
}

const REQUEST_COLS: &str = "id, package_id, owner_org, requester_user_id, requester_org, \
    resource_ids, purpose, legal_basis, period, state, due, overdue_at, decided_by, reason, \
    decision_legal_basis, created, modified";

pub async fn insert_access_request(c: &mut Conn, r: &AccessRequestRow) -> Result<()> {
    let cols: Vec<&str> = REQUEST_COLS.split(", ").map(str::trim).collect();
    let q = insert(
        "access_requests",
        &cols,
        vec![
            t(&r.id),
            t(&r.package_id),
            t(&r.owner_org),
            t(&r.requester_user_id),
            t(&r.requester_org),
            t(&r.resource_ids),
            t(&r.purpose),
            t(&r.legal_basis),
            t(&r.period),
            t(&r.state),
            t(&r.due),
            ot(r.overdue_at.as_deref()),
            ot(r.decided_by.as_deref()),
            t(&r.reason),
            t(&r.decision_legal_basis),
            t(&r.created),
            t(&r.modified),
        ],
    );
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn find_access_request(c: &mut Conn, id: &str) -> Result<Option<AccessRequestRow>> {
    let mut q = Sql::new(format!(
        "SELECT {REQUEST_COLS} FROM access_requests WHERE id = "
    ));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Requests seen by a user: those of their agencies (made or received);
/// `None` for a sysadmin: every request. Newest first.
pub async fn list_access_requests(
    c: &mut Conn,
    user_id: Option<&str>,
    state: Option<&str>,
) -> Result<Vec<AccessRequestRow>> {
    let mut q = Sql::new(format!(
        "SELECT {REQUEST_COLS} FROM access_requests WHERE 1 = 1"
    ));
    if let Some(u) = user_id {
        q.push(" AND (requester_user_id = ")
            .bind(u)
            .push(" OR owner_org IN (SELECT group_id FROM memberships WHERE user_id = ")
            .bind(u)
            .push(") OR requester_org IN (SELECT group_id FROM memberships WHERE user_id = ")
            .bind(u)
            .push("))");
    }
    if let Some(s) = state {
        q.push(" AND state = ").bind(s);
    }
    q.push(" ORDER BY created DESC, id");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn update_access_request(
    c: &mut Conn,
    id: &str,
    state: &str,
    decided_by: Option<&str>,
    reason: &str,
    decision_legal_basis: &str,
    now: &str,
) -> Result<()> {
    let mut q = Sql::new("UPDATE access_requests SET state = ");
    q.bind(state)
        .push(", decided_by = ")
        .bind(ot(decided_by))
        .push(", reason = ")
        .bind(reason)
        .push(", decision_legal_basis = ")
        .bind(decision_legal_basis)
        .push(", modified = ")
        .bind(now)
        .push(" WHERE id = ")
        .bind(id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// Pending requests past their deadline not yet flagged.
pub async fn overdue_access_requests(c: &mut Conn, now: &str) -> Result<Vec<AccessRequestRow>> {
    let mut q = Sql::new(format!(
        "SELECT {REQUEST_COLS} FROM access_requests WHERE state = 'pending' \
         AND overdue_at IS NULL AND due < "
    ));
    q.bind(now).push(" ORDER BY due, id");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Flags a request overdue; false when another node flagged it first.
pub async fn flag_overdue(c: &mut Conn, id: &str, now: &str) -> Result<bool> {
    let mut q = Sql::new("UPDATE access_requests SET overdue_at = ");
    q.bind(now)
        .push(" WHERE overdue_at IS NULL AND id = ")
        .bind(id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct AccessEventRow {
    pub id: String,
    pub request_id: String,
    pub at: String,
    pub user_id: Option<String>,
    pub action: String,
    pub state: String,
    pub note: String,
}

pub async fn insert_access_event(c: &mut Conn, e: &AccessEventRow) -> Result<()> {
    let q = insert(
        "access_request_events",
        &[
            "id",
            "request_id",
            "at",
            "user_id",
            "action",
            "state",
            "note",
        ],
        vec![
            t(&e.id),
            t(&e.request_id),
            t(&e.at),
            ot(e.user_id.as_deref()),
            t(&e.action),
            t(&e.state),
            t(&e.note),
        ],
    );
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn access_events(c: &mut Conn, request_id: &str) -> Result<Vec<AccessEventRow>> {
    let mut q = Sql::new(
        "SELECT id, request_id, at, user_id, action, state, note FROM access_request_events \
         WHERE request_id = ",
    );
    q.bind(request_id).push(" ORDER BY at, id");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

#[derive(Debug, Clone, FromRow)]
pub struct GrantRow {
    pub id: String,
    pub request_id: Option<String>,
    pub package_id: String,
    pub org_id: String,
    pub whole: i64,
    pub expires: String,
    pub revoked: Option<String>,
    pub revoked_by: Option<String>,
    pub created: String,
    pub created_by: String,
}

const GRANT_COLS: &str =
    "g.id, g.request_id, g.package_id, g.org_id, g.whole, g.expires, g.revoked, g.revoked_by, \
     g.created, g.created_by";

pub async fn insert_grant(c: &mut Conn, g: &GrantRow, resource_ids: &[String]) -> Result<()> {
    let q = insert(
        "access_grants",
        &[
            "id",
            "request_id",
            "package_id",
            "org_id",
            "whole",
            "expires",
            "created",
            "created_by",
        ],
        vec![
            t(&g.id),
            ot(g.request_id.as_deref()),
            t(&g.package_id),
            t(&g.org_id),
            Bind::Int(g.whole),
            t(&g.expires),
            t(&g.created),
            t(&g.created_by),
        ],
    );
    q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    for r in resource_ids {
        let q = insert(
            "access_grant_resources",
            &["grant_id", "resource_id"],
            vec![t(&g.id), t(r)],
        );
        q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    }
    Ok(())
}

pub async fn find_grant(c: &mut Conn, id: &str) -> Result<Option<GrantRow>> {
    let mut q = Sql::new(format!(
        "SELECT {GRANT_COLS} FROM access_grants g WHERE g.id = "
    ));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

pub async fn grant_resources(c: &mut Conn, grant_id: &str) -> Result<Vec<String>> {
    let mut q = Sql::new("SELECT resource_id FROM access_grant_resources WHERE grant_id = ");
    q.bind(grant_id).push(" ORDER BY resource_id");
    q.scalar().fetch_all(c).await.map_err(db_error)
}

/// Grants given by or to the user's agencies (`None`: every grant), newest first.
pub async fn list_grants(c: &mut Conn, user_id: Option<&str>) -> Result<Vec<GrantRow>> {
    let mut q = Sql::new(format!(
        "SELECT {GRANT_COLS} FROM access_grants g JOIN packages p ON p.id = g.package_id WHERE 1 = 1"
    ));
    if let Some(u) = user_id {
        q.push(" AND (g.org_id IN (SELECT group_id FROM memberships WHERE user_id = ")
            .bind(u)
            .push(") OR p.owner_org IN (SELECT group_id FROM memberships WHERE user_id = ")
            .bind(u)
            .push("))");
    }
    q.push(" ORDER BY g.created DESC, g.id");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn revoke_grant(c: &mut Conn, id: &str, by: &str, now: &str) -> Result<bool> {
    let mut q = Sql::new("UPDATE access_grants SET revoked = ");
    q.bind(now)
        .push(", revoked_by = ")
        .bind(by)
        .push(" WHERE revoked IS NULL AND id = ")
        .bind(id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() == 1)
}

/// Whether one of the user's agencies holds a grant for the dataset (or for
/// `resource_id` of it) that is neither revoked nor expired at `now`.
pub async fn has_live_grant(
    c: &mut Conn,
    user_id: &str,
    package_id: &str,
    resource_id: Option<&str>,
    now: &str,
) -> Result<bool> {
    let mut q = Sql::new(
        "SELECT COUNT(*) FROM access_grants g JOIN memberships m ON m.group_id = g.org_id \
         WHERE g.revoked IS NULL AND m.user_id = ",
    );
    q.bind(user_id)
        .push(" AND g.package_id = ")
        .bind(package_id)
        .push(" AND g.expires > ")
        .bind(now);
    match resource_id {
        Some(r) => {
            q.push(
                " AND (g.whole = 1 OR EXISTS (SELECT 1 FROM access_grant_resources gr \
                 WHERE gr.grant_id = g.id AND gr.resource_id = ",
            )
            .bind(r)
            .push("))");
        }
        None => {
            q.push(" AND g.whole = 1");
        }
    }
    let n: i64 = q.scalar().fetch_one(c).await.map_err(db_error)?;
    Ok(n > 0)
}

#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub id: String,
    pub at: String,
    pub user_id: Option<String>,
    pub user_name: String,
    pub action: String,
    pub package_id: Option<String>,
    pub owner_org: Option<String>,
    pub resource_id: Option<String>,
    pub access_level: String,
    pub detail: String,
}

const AUDIT_COLS: &[&str] = &[
    "id",
    "at",
    "user_id",
    "user_name",
    "action",
    "package_id",
    "owner_org",
    "resource_id",
    "access_level",
    "detail",
];

pub async fn insert_audit(c: &mut Conn, a: &AuditRow) -> Result<()> {
    let q = insert(
        "audit_log",
        AUDIT_COLS,
        vec![
            t(&a.id),
            t(&a.at),
            ot(a.user_id.as_deref()),
            t(&a.user_name),
            t(&a.action),
            ot(a.package_id.as_deref()),
            ot(a.owner_org.as_deref()),
            ot(a.resource_id.as_deref()),
            t(&a.access_level),
            t(&a.detail),
        ],
    );
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// User id or name.
    pub user: Option<String>,
    /// Owning organisation id.
    pub org: Option<String>,
    pub package_id: Option<String>,
    pub action: Option<String>,
    /// Inclusive ISO-8601 bounds (a date alone covers its whole day at the end).
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn search_audit(c: &mut Conn, aq: &AuditQuery) -> Result<Vec<AuditRow>> {
    let mut q = Sql::new(format!(
        "SELECT {} FROM audit_log WHERE 1 = 1",
        AUDIT_COLS.join(", ")
    ));
    if let Some(u) = &aq.user {
        q.push(" AND (user_id = ")
            .bind(u.as_str())
            .push(" OR user_name = ")
            .bind(u.as_str())
            .push(")");
    }
    if let Some(o) = &aq.org {
        q.push(" AND owner_org = ").bind(o.as_str());
    }
    if let Some(p) = &aq.package_id {
        q.push(" AND package_id = ").bind(p.as_str());
    }
    if let Some(a) = &aq.action {
        q.push(" AND action = ").bind(a.as_str());
    }
    if let Some(f) = &aq.from {
        q.push(" AND at >= ").bind(f.as_str());
    }
    if let Some(to) = &aq.to {
        // "2026-12-04" covers the whole day: compare with the next character.
        q.push(" AND at < ").bind(format!("{to}\u{7f}"));
    }
    q.push(" ORDER BY at DESC, id LIMIT ")
        .bind(aq.limit)
        .push(" OFFSET ")
        .bind(aq.offset);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// E-mail addresses of the active admins and editors of an organisation.
pub async fn deciders_emails(c: &mut Conn, org_id: &str) -> Result<Vec<String>> {
    let mut q = Sql::new(
        "SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.capacity IN ('admin', 'editor') AND u.state = 'active' AND u.email <> '' \
         AND m.group_id = ",
    );
    q.bind(org_id).push(" ORDER BY u.email");
    q.scalar().fetch_all(c).await.map_err(db_error)
}

/// E-mail addresses of the active sysadmins (the portal operator).
pub async fn sysadmin_emails(c: &mut Conn) -> Result<Vec<String>> {
    Sql::new(
        "SELECT email FROM users WHERE sysadmin = 1 AND state = 'active' AND email <> '' \
         ORDER BY email",
    )
    .scalar()
    .fetch_all(c)
    .await
    .map_err(db_error)
}
