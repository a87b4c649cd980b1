//! Background work through the durable queue in the database. Every node
//! runs a worker; a job is leased by one of them, its lease renewed while it
//! runs, and retried with back-off when it fails for a reason that may pass
//! (storage or database down). A node that dies mid-job leaves a lease that
//! runs out, and another worker — or the same node after its restart — takes
//! the job again; jobs are idempotent, so nothing is done twice.

use crate::Catalog;
use sen_db::JobRow;
use sen_domain::{time, Result};
use std::time::Duration;

/// How often an idle worker looks for work when nobody wakes it.
const IDLE_POLL: Duration = Duration::from_secs(5);

/// The kinds of job this version runs.
pub const KINDS: &[&str] = &[crate::datastore::INGEST_JOB, crate::harvest::HARVEST_JOB];

/// Why a job did not succeed.
pub(crate) enum JobFailure {
    /// The input is at fault: retrying cannot help. The value is the report.
    Final(serde_json::Value),
    /// Something may pass (I/O, database): try again later.
    Transient(String),
}

pub(crate) fn later(after: Duration) -> String {
    time::format(chrono::Utc::now() + chrono::Duration::from_std(after).unwrap_or_default())
}

/// Back-off before attempt `n + 1`: 10 s, 20 s, 40 s … capped at 10 min.
fn backoff(attempts: i64) -> Duration {
    Duration::from_secs((10u64 << attempts.clamp(0, 6) as u64).min(600))
}

impl Catalog {
    /// Wakes this node's worker (a job was queued here).
    pub(crate) fn wake_workers(&self) {
        self.jobs_wake.notify_one();
    }

    /// Runs jobs until `stop` turns true. One worker per node: ingestion is
    /// CPU-heavy, and the web server shares these cores.
    pub async fn run_worker(&self, mut stop: tokio::sync::watch::Receiver<bool>) {
        let worker = format!("{}-{}", hostname(), uuid::Uuid::new_v4().simple());
        tracing::info!(%worker, "background worker started");
        loop {
            if *stop.borrow() {
                break;
            }
            match self.run_one_job(&worker).await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "job queue unavailable"),
            }
            tokio::select! {
                _ = self.jobs_wake.notified() => {}
                _ = tokio::time::sleep(IDLE_POLL) => {}
                _ = stop.changed() => {}
            }
        }
        tracing::info!(%worker, "background worker stopped");
    }

    /// Takes one due job and runs it; false when there was none.
    pub async fn run_one_job(&self, worker: &str) -> Result<bool> {
        let job = {
            let mut tx = self.db.begin_write().await?;
            let job = sen_db::lease_job(
                tx.conn(),
                self.db.backend(),
                KINDS,
                worker,
                &time::now(),
                &later(self.config.job_lease),
            )
            .await?;
            tx.commit().await?;
            job
        };
        let Some(job) = job else {
            return Ok(false);
        };
        tracing::info!(job = %job.id, kind = %job.kind, subject = %job.subject, attempt = job.attempts, "job started");
        let outcome = match job.kind.as_str() {
            crate::datastore::INGEST_JOB => self.ingest_job(&job, worker).await,
            crate::harvest::HARVEST_JOB => self.harvest_job(&job, worker).await,
            other => Err(JobFailure::Final(
                serde_json::json!({"error": format!("unknown job kind {other}")}),
            )),
        };
        let now = time::now();
        let mut tx = self.db.begin_write().await?;
        let kept = match &outcome {
            Ok(result) => {
                sen_db::finish_job(tx.conn(), &job.id, worker, Ok(&result.to_string()), &now)
                    .await?
            }
            Err(JobFailure::Final(report)) => {
                sen_db::finish_job(tx.conn(), &job.id, worker, Err(&report.to_string()), &now)
                    .await?
            }
            Err(JobFailure::Transient(e)) if job.attempts < job.max_attempts => {
                tracing::warn!(job = %job.id, error = %e, "job failed; will retry");
                sen_db::retry_job(
                    tx.conn(),
                    &job.id,
                    worker,
                    e,
                    &later(backoff(job.attempts)),
                    &now,
                )
                .await?
            }
            Err(JobFailure::Transient(e)) => {
                let report = serde_json::json!({"error": e});
                sen_db::finish_job(tx.conn(), &job.id, worker, Err(&report.to_string()), &now)
                    .await?
            }
        };
        tx.commit().await?;
        if !kept {
            tracing::warn!(job = %job.id, "lease lost while running; another worker owns the job");
        }
        Ok(true)
    }

    /// Renews the lease and records progress; false when the lease was lost.
    pub(crate) async fn job_progress(
        &self,
        job: &JobRow,
        worker: &str,
        done: u64,
        total: u64,
    ) -> bool {
        let result = async {
            let mut tx = self.db.begin_write().await?;
            let kept = sen_db::touch_job(
                tx.conn(),
                &job.id,
                worker,
                &later(self.config.job_lease),
                done as i64,
                total as i64,
                &time::now(),
            )
            .await?;
            tx.commit().await?;
            Ok::<bool, sen_domain::Error>(kept)
        }
        .await;
        result.unwrap_or(true)
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "sen".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn back_off_grows_and_is_capped() {
        assert_eq!(super::backoff(1).as_secs(), 20);
        assert_eq!(super::backoff(2).as_secs(), 40);
        assert_eq!(super::backoff(40).as_secs(), 600);
    }
}
