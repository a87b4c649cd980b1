//! The durable work queue. Jobs are rows; a worker takes one by leasing it
//! (one statement, so two nodes never take the same job: PostgreSQL skips
//! rows another node has locked, SQLite has a single writer). A job whose lease
//! runs out — its node died — is taken again; a failed job is retried with
//! back-off until `max_attempts`, then stays `failed` with its error.

use crate::{db_error, Backend, Conn, Sql};
use sen_domain::Result;
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub subject: String,
    pub payload: String,
    pub state: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_after: String,
    pub lease_until: Option<String>,
    pub leased_by: Option<String>,
    pub progress_done: i64,
    pub progress_total: i64,
    pub result: Option<String>,
    pub error: Option<String>,
    pub created: String,
    pub updated: String,
}

pub(crate) const COLUMNS: &str = "id, kind, subject, payload, state, attempts, max_attempts, run_after, lease_until, leased_by, progress_done, progress_total, result, error, created, updated";

/// Queues a job unless one of the same kind and subject is already queued
/// (then that one is kept: enqueueing is idempotent). Returns the job's id
/// and whether it is new.
pub async fn enqueue_job(
    c: &mut Conn,
    id: &str,
    kind: &str,
    subject: &str,
    payload: &str,
    now: &str,
) -> Result<(String, bool)> {
    let mut q = Sql::new("SELECT id FROM jobs WHERE kind = ");
    q.bind(kind)
        .push(" AND subject = ")
        .bind(subject)
        .push(" AND state = 'queued'");
    if let Some(existing) = q
        .scalar::<String>()
        .fetch_optional(&mut *c)
        .await
        .map_err(db_error)?
    {
        // The queued job will read the newest data when it runs.
        let mut u = Sql::new("UPDATE jobs SET payload = ");
        u.bind(payload)
            .push(", updated = ")
            .bind(now)
            .push(" WHERE id = ")
            .bind(&existing);
        u.execute_query().execute(&mut *c).await.map_err(db_error)?;
        return Ok((existing, false));
    }
    let mut q = Sql::new(
        "INSERT INTO jobs (id, kind, subject, payload, state, run_after, created, updated) VALUES (",
    );
    q.bind(id)
        .push(", ")
        .bind(kind)
        .push(", ")
        .bind(subject)
        .push(", ")
        .bind(payload)
        .push(", 'queued', ")
        .bind(now)
        .push(", ")
        .bind(now)
        .push(", ")
        .bind(now)
        .push(")");
    q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    Ok((id.to_string(), true))
}

/// Takes the oldest job that is due (or whose lease ran out), leasing it to
/// `worker` until `lease_until`. `None` when there is nothing to do.
pub async fn lease_job(
    c: &mut Conn,
    backend: Backend,
    kinds: &[&str],
    worker: &str,
    now: &str,
    lease_until: &str,
) -> Result<Option<JobRow>> {
    let mut q =
        Sql::new("UPDATE jobs SET state = 'running', attempts = attempts + 1, leased_by = ");
    q.bind(worker)
        .push(", lease_until = ")
        .bind(lease_until)
        .push(", updated = ")
        .bind(now)
        .push(" WHERE id = (SELECT id FROM jobs WHERE kind IN ")
        .bind_list(&kinds.iter().map(|k| k.to_string()).collect::<Vec<_>>())
        .push(" AND ((state = 'queued' AND run_after <= ")
        .bind(now)
        .push(") OR (state = 'running' AND lease_until < ")
        .bind(now)
        .push(")) ORDER BY run_after, created LIMIT 1");
    if backend == Backend::Postgres {
        q.push(" FOR UPDATE SKIP LOCKED");
    }
    q.push(&format!(") RETURNING {COLUMNS}"));
    q.query_as::<JobRow>()
        .fetch_optional(c)
        .await
        .map_err(db_error)
}

/// Extends a lease (the worker is alive) and records progress. Returns false
/// when the lease was lost (another node took the job): the worker stops.
pub async fn touch_job(
    c: &mut Conn,
    id: &str,
    worker: &str,
    lease_until: &str,
    done: i64,
    total: i64,
    now: &str,
) -> Result<bool> {
    let mut q = Sql::new("UPDATE jobs SET lease_until = ");
    q.bind(lease_until)
        .push(", progress_done = ")
        .bind(done)
        .push(", progress_total = ")
        .bind(total)
        .push(", updated = ")
        .bind(now)
        .push(" WHERE id = ")
        .bind(id)
        .push(" AND state = 'running' AND leased_by = ")
        .bind(worker);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

/// Ends a job that ran: `done` with its result, or `failed` with its error.
/// Only the leaseholder can end it.
pub async fn finish_job(
    c: &mut Conn,
    id: &str,
    worker: &str,
    outcome: std::result::Result<&str, &str>,
    now: &str,
) -> Result<bool> {
    let (state, result, error) = match outcome {
        Ok(result) => ("done", Some(result), None),
        Err(error) => ("failed", None, Some(error)),
    };
    let mut q = Sql::new("UPDATE jobs SET state = ");
    q.bind(state)
        .push(", result = ")
        .bind(result)
        .push(", error = ")
        .bind(error)
        .push(", lease_until = NULL, updated = ")
        .bind(now)
        .push(" WHERE id = ")
        .bind(id)
        .push(" AND state = 'running' AND leased_by = ")
        .bind(worker);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

/// Puts a job that failed back in the queue to run again after `run_after`.
pub async fn retry_job(
    c: &mut Conn,
    id: &str,
    worker: &str,
    error: &str,
    run_after: &str,
    now: &str,
) -> Result<bool> {
    let mut q = Sql::new("UPDATE jobs SET state = 'queued', error = ");
    q.bind(error)
        .push(", run_after = ")
        .bind(run_after)
        .push(", lease_until = NULL, leased_by = NULL, updated = ")
        .bind(now)
        .push(" WHERE id = ")
        .bind(id)
        .push(" AND state = 'running' AND leased_by = ")
        .bind(worker);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

/// The newest job about `subject` (of `kind`), for status pages.
pub async fn latest_job(c: &mut Conn, kind: &str, subject: &str) -> Result<Option<JobRow>> {
    let mut q = Sql::new(format!("SELECT {COLUMNS} FROM jobs WHERE kind = "));
    q.bind(kind)
        .push(" AND subject = ")
        .bind(subject)
        .push(" ORDER BY created DESC, id DESC LIMIT 1");
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

pub async fn find_job(c: &mut Conn, id: &str) -> Result<Option<JobRow>> {
    let mut q = Sql::new(format!("SELECT {COLUMNS} FROM jobs WHERE id = "));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// How many jobs are in each state, for monitoring.
pub async fn job_counts(c: &mut Conn) -> Result<Vec<(String, String, i64)>> {
    Sql::new("SELECT kind, state, COUNT(*) FROM jobs GROUP BY kind, state ORDER BY kind, state")
        .query_as()
        .fetch_all(c)
        .await
        .map_err(db_error)
}
