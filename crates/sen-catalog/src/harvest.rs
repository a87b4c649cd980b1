//! Harvesting: operators (sysadmins) register remote catalogues — CKAN, DCAT
//! RDF, DCAT-US `data.json` — and Sen copies their datasets into a local
//! organisation, by hand or on a schedule, through the job queue.
//!
//! A run reads the whole source first (`sen_harvest::gather`); a source that
//! is down, slow, too large, garbled, or on a private address fails the job
//! with its reason and changes nothing. Then every dataset is validated like
//! any other, and all creations, updates and withdrawals are written in one
//! transaction. Each remote dataset maps to one local dataset through
//! `harvest_objects` (source, remote id), so nothing is duplicated; fields
//! edited here since the last harvest are kept when the source says so.
//! A dry run does everything but the write, and a source must pass one
//! before its first real run.

use crate::input::{is_email, require_id, Dict, Input};
use crate::jobs::JobFailure;
use crate::packages::CORE_KEYS;
use crate::{new_id, not_found, Actor, Catalog};
use sen_db::{HarvestObjectRow, HarvestSourceRow, JobRow, PackageRow, UserRow};
use sen_domain::{names, time, AccessLevel, Error, ErrorKind, Msg, Result};
use sen_harvest::{RemoteDataset, SourceKind};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

pub const HARVEST_JOB: &str = "harvest";

/// How often a source may be scheduled.
pub const FREQUENCIES: &[&str] = &["manual", "hourly", "daily", "weekly"];

/// Scalar dataset fields a harvest writes (and, with `keep_local_edits`, keeps).
const SCALAR_FIELDS: &[&str] = &[
    "title",
    "notes",
    "url",
    "version",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "license_id",
    "frequency",
    "language",
    "spatial",
    "temporal_start",
    "temporal_end",
    "identifier",
    "contact_name",
    "contact_email",
];
/// List fields a harvest writes: left out of an update when edited here.
const LIST_FIELDS: &[&str] = &["tags", "extras", "resources"];

/// Most per-object errors and planned titles kept in a report.
const REPORT_LIST_MAX: usize = 200;

fn period(frequency: &str) -> Option<chrono::Duration> {
    match frequency {
        "hourly" => Some(chrono::Duration::hours(1)),
        "daily" => Some(chrono::Duration::days(1)),
        "weekly" => Some(chrono::Duration::weeks(1)),
        _ => None,
    }
}

/// A message as stored in a report: its key and arguments, translated when shown.
pub fn msg_json(m: &Msg) -> Value {
    let args: Map<String, Value> = m
        .args
        .iter()
        .map(|(k, v)| ((*k).to_string(), json!(v)))
        .collect();
    json!({"key": m.key, "args": args})
}

fn require_sysadmin(actor: &Actor) -> Result<()> {
    actor.require_user()?;
    if actor.is_sysadmin() {
        Ok(())
    } else {
        Err(Error::forbidden(Msg::new("error-harvest-sysadmin-only")))
    }
}

fn source_not_found() -> Error {
    not_found("harvest_source_not_found", "error-harvest-source-not-found")
}

/// The most restrictive of two access levels.
fn stricter(a: AccessLevel, b: AccessLevel) -> AccessLevel {
    let rank = |l: AccessLevel| match l {
        AccessLevel::Open => 0,
        AccessLevel::Shared => 1,
        AccessLevel::Internal => 2,
    };
    if rank(a) >= rank(b) {
        a
    } else {
        b
    }
}

/// A tag as the catalogue accepts it (2–100 letters, digits, space, `-_.`), or nothing.
fn clean_tag(t: &str) -> Option<String> {
    let cleaned: String = t
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.') {
                c
            } else {
                ' '
            }
        })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = cleaned.chars().count();
    (2..=100).contains(&n).then_some(cleaned)
}

fn hex8(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))[..8].to_string()
}

/// What one run will do, decided before anything is written.
#[derive(Default)]
struct Plan {
    creates: Vec<Planned>,
    updates: Vec<Planned>,
    withdrawals: Vec<(HarvestObjectRow, PackageRow)>,
    unchanged: Vec<String>,
    errors: Vec<Value>,
}

struct Planned {
    remote: RemoteDataset,
    existing: Option<(HarvestObjectRow, PackageRow, Value)>,
    draft: crate::packages::PackageDraft,
    hash: String,
    fields: Value,
}

impl Catalog {
    fn source_dict(&self, s: &HarvestSourceRow, org: Option<&sen_db::GroupRow>) -> Value {
        json!({
            "id": s.id,
            "name": s.name,
            "title": s.title,
            "url": s.url,
            "source_type": s.source_type,
            "owner_org": s.owner_org,
            "organization": org.map(|g| json!({"id": g.id, "name": g.name, "title": g.title})),
            "frequency": s.frequency,
            "access_level": s.access_level,
            "license_map": crate::dicts::json_column(&s.license_map, json!({})),
            "keep_local_edits": s.keep_local_edits != 0,
            "state": s.state,
            "validated": s.validated_at.is_some(),
            "validated_at": s.validated_at,
            "last_success_started": s.last_success_started,
            "next_run_at": s.next_run_at,
            "creator_user_id": s.creator_user_id,
            "created": s.created,
            "modified": s.modified,
        })
    }

    async fn source_dicts(&self, rows: &[HarvestSourceRow]) -> Result<Vec<Value>> {
        let mut c = self.db.conn().await?;
        let mut org_ids: Vec<String> = rows.iter().map(|s| s.owner_org.clone()).collect();
        org_ids.sort();
        org_ids.dedup();
        let orgs = sen_db::get_groups(&mut c, &org_ids).await?;
        let subjects: Vec<String> = rows
            .iter()
            .flat_map(|s| [s.id.clone(), dry_subject(&s.id)])
            .collect();
        let jobs = sen_db::jobs_of_subjects(&mut c, HARVEST_JOB, &subjects, 1000).await?;
        Ok(rows
            .iter()
            .map(|s| {
                let mut d = self.source_dict(s, orgs.iter().find(|g| g.id == s.owner_org));
                let last = jobs
                    .iter()
                    .find(|j| j.subject == s.id || j.subject == dry_subject(&s.id));
                if let Some(o) = d.as_object_mut() {
                    o.insert("last_job".into(), last.map(job_dict).unwrap_or(Value::Null));
                }
                d
            })
            .collect())
    }

    async fn live_source(&self, data: &Dict) -> Result<HarvestSourceRow> {
        let id = require_id(data, &["id", "name", "source_id"])?;
        let mut c = self.db.conn().await?;
        sen_db::find_harvest_source(&mut c, &id)
            .await?
            .filter(|s| s.state == "active")
            .ok_or_else(source_not_found)
    }

    /// Reads and checks the editable fields of a source over `row`.
    /// `partial`: fields left out keep their value (update); else they take defaults.
    async fn apply_source_fields(
        &self,
        data: &Dict,
        row: &mut HarvestSourceRow,
        partial: bool,
    ) -> Result<()> {
        let mut c = self.db.conn().await?;
        let mut inp = Input::new(data);
        if let Some(name) = inp.text("name") {
            match names::check(&name) {
                Err(p) => inp.error("name", crate::packages::name_problem_msg(p)),
                Ok(()) => {
                    if let Some(other) = sen_db::find_harvest_source(&mut c, &name).await? {
                        if other.id != row.id {
                            inp.error("name", Msg::new("field-name-taken"));
                        }
                    }
                }
            }
            row.name = name;
        } else if !partial {
            inp.error("name", Msg::new("field-missing"));
        }
        if let Some(title) = inp.str("title") {
            row.title = title.trim().to_string();
        }
        if let Some(url) = inp.text("url") {
            match url::Url::parse(&url) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                    row.url = url
                }
                _ => inp.error("url", Msg::new("field-bad-url").arg("value", &url)),
            }
        } else if !partial {
            inp.error("url", Msg::new("field-missing"));
        }
        let kinds: Vec<&str> = SourceKind::ALL.iter().map(|k| k.as_str()).collect();
        if let Some(t) = inp.text("source_type") {
            if SourceKind::parse(&t).is_none() {
                inp.error(
                    "source_type",
                    Msg::new("field-bad-choice")
                        .arg("value", &t)
                        .arg("choices", kinds.join(", ")),
                );
            }
            row.source_type = t;
        } else if !partial {
            inp.error("source_type", Msg::new("field-missing"));
        }
        if let Some(org) = inp.text("owner_org") {
            match sen_db::find_group(&mut c, &org, true)
                .await?
                .filter(|g| g.state == "active")
            {
                Some(g) => row.owner_org = g.id,
                None => inp.error(
                    "owner_org",
                    Msg::new("field-unknown-organization").arg("value", &org),
                ),
            }
        } else if !partial {
            inp.error("owner_org", Msg::new("field-missing"));
        }
        if let Some(f) = inp.text("frequency").map(|f| f.to_ascii_lowercase()) {
            if !FREQUENCIES.contains(&f.as_str()) {
                inp.error(
                    "frequency",
                    Msg::new("field-bad-choice")
                        .arg("value", &f)
                        .arg("choices", FREQUENCIES.join(", ")),
                );
            }
            row.frequency = f;
        } else if !partial {
            row.frequency = "manual".into();
        }
        if let Some(l) = inp.text("access_level") {
            if AccessLevel::parse(&l).is_none() {
                inp.error(
                    "access_level",
                    Msg::new("field-bad-choice")
                        .arg("value", &l)
                        .arg("choices", "open, shared, internal"),
                );
            }
            row.access_level = l;
        } else if !partial {
            row.access_level = "open".into();
        }
        if let Some(k) = inp.bool("keep_local_edits") {
            row.keep_local_edits = k as i64;
        }
        if inp.has("license_map") {
            let raw = inp.raw("license_map").cloned().unwrap_or(Value::Null);
            // An object, or the same as JSON text (forms), or `remote=local` lines.
            let parsed = match raw {
                Value::Object(m) => Some(m),
                Value::Null => Some(Map::new()),
                Value::String(s) if s.trim().is_empty() => Some(Map::new()),
                Value::String(s) => match serde_json::from_str::<Value>(&s) {
                    Ok(Value::Object(m)) => Some(m),
                    _ => {
                        let mut m = Map::new();
                        let mut ok = true;
                        for line in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
                            match line.split_once('=') {
                                Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                                    m.insert(a.trim().to_string(), json!(b.trim()));
                                }
                                _ => ok = false,
                            }
                        }
                        ok.then_some(m)
                    }
                },
                _ => None,
            };
            match parsed {
                None => inp.error("license_map", Msg::new("field-harvest-license-map")),
                Some(m) => {
                    for (remote, local) in &m {
                        let Some(local) = local.as_str() else {
                            inp.error("license_map", Msg::new("field-harvest-license-map"));
                            continue;
                        };
                        if sen_db::find_license(&mut c, local).await?.is_none() {
                            inp.error(
                                "license_map",
                                Msg::new("field-unknown-license").arg("value", local),
                            );
                        }
                        let _ = remote;
                    }
                    row.license_map = Value::Object(m).to_string();
                }
            }
        }
        inp.finish()
    }

    pub async fn harvest_source_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        require_sysadmin(actor)?;
        let now = time::now();
        let mut row = HarvestSourceRow {
            id: new_id(),
            state: "active".into(),
            license_map: "{}".into(),
            creator_user_id: actor.id().map(str::to_string),
            created: now.clone(),
            modified: now.clone(),
            ..Default::default()
        };
        self.apply_source_fields(data, &mut row, false).await?;
        if row.title.is_empty() {
            row.title = row.name.clone();
        }
        if row.frequency != "manual" {
            row.next_run_at = Some(now);
        }
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_harvest_source(tx.conn(), &row)
            .await
            .map_err(|e| {
                if e.code == "duplicate" {
                    Error::field("name", Msg::new("field-name-taken"))
                } else {
                    e
                }
            })?;
        tx.commit().await?;
        Ok(self.source_dicts(&[row]).await?.remove(0))
    }

    pub async fn harvest_source_update(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        require_sysadmin(actor)?;
        let mut row = self.live_source(data).await?;
        let before = row.clone();
        // `id` names the source; the other fields are changed only when given.
        let mut fields = data.clone();
        if fields.get("name").and_then(Value::as_str) == Some(row.id.as_str()) {
            fields.remove("name");
        }
        self.apply_source_fields(&fields, &mut row, true).await?;
        if row.url != before.url || row.source_type != before.source_type {
            // Another remote: it must pass a dry run again.
            row.validated_at = None;
            row.last_success_started = None;
        }
        if row.frequency != before.frequency {
            row.next_run_at = (row.frequency != "manual").then(time::now);
        }
        row.modified = time::now();
        let mut tx = self.db.begin_write().await?;
        sen_db::update_harvest_source(tx.conn(), &row).await?;
        tx.commit().await?;
        if row.name != before.name || row.title != before.title {
            self.reindex_source_datasets(&row.id).await;
        }
        Ok(self.source_dicts(&[row]).await?.remove(0))
    }

    /// The source's name and title are in its datasets' dictionaries, which
    /// the search index stores.
    async fn reindex_source_datasets(&self, source_id: &str) {
        let ids = async {
            let mut c = self.db.conn().await?;
            sen_db::harvest_objects_of_source(&mut c, source_id).await
        }
        .await;
        match ids {
            Ok(objects) => {
                let ids: Vec<String> = objects.into_iter().map(|o| o.package_id).collect();
                self.reindex_packages(&ids).await;
            }
            Err(e) => tracing::error!(error = %e, "could not list a source's datasets to re-index"),
        }
    }

    pub async fn harvest_source_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        require_sysadmin(actor)?;
        let row = self.live_source(data).await?;
        Ok(self.source_dicts(&[row]).await?.remove(0))
    }

    pub async fn harvest_source_list(&self, actor: &Actor) -> Result<Value> {
        require_sysadmin(actor)?;
        let mut c = self.db.conn().await?;
        let rows = sen_db::list_harvest_sources(&mut c).await?;
        drop(c);
        Ok(Value::Array(self.source_dicts(&rows).await?))
    }

    /// Retires a source: no more runs; the datasets it brought stay, with
    /// their provenance.
    pub async fn harvest_source_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        require_sysadmin(actor)?;
        let mut row = self.live_source(data).await?;
        row.state = "deleted".into();
        row.next_run_at = None;
        row.modified = time::now();
        // Frees the name for a new source.
        row.name = format!("{}--{}", row.name, &row.id[..8.min(row.id.len())]);
        row.name.truncate(names::MAX_LEN);
        let mut tx = self.db.begin_write().await?;
        sen_db::update_harvest_source(tx.conn(), &row).await?;
        tx.commit().await?;
        self.reindex_source_datasets(&row.id).await;
        Ok(Value::Null)
    }

    /// Queues a run (`dry_run`: read and report only). A real run is refused
    /// until a dry run of the source has succeeded.
    pub async fn harvest_job_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        require_sysadmin(actor)?;
        let mut inp = Input::new(data);
        let dry_run = inp.bool("dry_run").unwrap_or(false);
        inp.finish()?;
        let source = self.live_source(data).await?;
        if !dry_run && source.validated_at.is_none() {
            let mut e = Error::new(
                ErrorKind::Validation,
                "harvest_not_validated",
                Msg::new("error-harvest-not-validated"),
            );
            e.fields.insert(
                "dry_run".into(),
                vec![Msg::new("error-harvest-not-validated")],
            );
            return Err(e);
        }
        let job_id = self
            .queue_harvest(&source, dry_run, actor.name().unwrap_or_default())
            .await?;
        let mut c = self.db.conn().await?;
        let job = sen_db::find_job(&mut c, &job_id)
            .await?
            .ok_or_else(|| Error::internal("queued job vanished"))?;
        Ok(job_dict(&job))
    }

    async fn queue_harvest(
        &self,
        source: &HarvestSourceRow,
        dry_run: bool,
        requested_by: &str,
    ) -> Result<String> {
        let subject = if dry_run {
            dry_subject(&source.id)
        } else {
            source.id.clone()
        };
        let payload =
            json!({"source_id": source.id, "dry_run": dry_run, "requested_by": requested_by});
        let mut tx = self.db.begin_write().await?;
        let (id, _) = sen_db::enqueue_job(
            tx.conn(),
            &new_id(),
            HARVEST_JOB,
            &subject,
            &payload.to_string(),
            &time::now(),
        )
        .await
        .map_err(|e| {
            if e.code == "duplicate" {
                // One run of a kind per source at a time: this one is running.
                Error::new(
                    ErrorKind::Validation,
                    "harvest_job_running",
                    Msg::new("error-harvest-job-running"),
                )
            } else {
                e
            }
        })?;
        tx.commit().await?;
        self.wake_workers();
        Ok(id)
    }

    pub async fn harvest_job_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        require_sysadmin(actor)?;
        let id = require_id(data, &["id"])?;
        let mut c = self.db.conn().await?;
        sen_db::find_job(&mut c, &id)
            .await?
            .filter(|j| j.kind == HARVEST_JOB)
            .map(|j| job_dict(&j))
            .ok_or_else(|| not_found("harvest_job_not_found", "error-harvest-job-not-found"))
    }

    pub async fn harvest_job_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        require_sysadmin(actor)?;
        let mut inp = Input::new(data);
        let limit = inp.int_in("limit", 20, 1, 1000);
        inp.finish()?;
        let source = self.live_source(data).await?;
        let mut c = self.db.conn().await?;
        let jobs = sen_db::jobs_of_subjects(
            &mut c,
            HARVEST_JOB,
            &[source.id.clone(), dry_subject(&source.id)],
            limit,
        )
        .await?;
        Ok(Value::Array(jobs.iter().map(job_dict).collect()))
    }

    /// Queues a run for every scheduled source that is due; returns how many.
    pub async fn queue_due_harvests(&self) -> Result<usize> {
        let now = chrono::Utc::now();
        let mut c = self.db.conn().await?;
        let due = sen_db::due_harvest_sources(&mut c, &time::format(now)).await?;
        drop(c);
        let mut queued = 0;
        for source in due {
            let Some(every) = period(&source.frequency) else {
                continue;
            };
            match self.queue_harvest(&source, false, "").await {
                Ok(_) => queued += 1,
                // Still running from the last slot: this slot is skipped.
                Err(e) if e.code == "harvest_job_running" => {}
                Err(e) => {
                    tracing::warn!(source = %source.name, error = %e.code, "scheduled harvest not queued");
                    continue;
                }
            }
            let mut tx = self.db.begin_write().await?;
            sen_db::set_harvest_next_run(tx.conn(), &source.id, &time::format(now + every)).await?;
            tx.commit().await?;
        }
        Ok(queued)
    }

    /// Queues due harvests every `every` until the task is aborted.
    pub fn spawn_harvest_scheduler(
        &self,
        every: std::time::Duration,
    ) -> tokio::task::JoinHandle<()> {
        let catalog = self.clone();
        tokio::spawn(async move {
            loop {
                match catalog.queue_due_harvests().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(queued = n, "scheduled harvests queued"),
                    Err(e) => tracing::warn!(error = %e, "harvest scheduler pass failed"),
                }
                tokio::time::sleep(every).await;
            }
        })
    }

    /// Runs one harvest job (the worker calls this).
    pub(crate) async fn harvest_job(
        &self,
        job: &JobRow,
        worker: &str,
    ) -> std::result::Result<Value, JobFailure> {
        // Pages may take a while: keep the lease alive until the run ends.
        let _renewal = {
            let catalog = self.clone();
            let job = job.clone();
            let worker = worker.to_string();
            let every = (self.config.job_lease / 3).max(std::time::Duration::from_secs(1));
            AbortOnDrop(tokio::spawn(async move {
                loop {
                    tokio::time::sleep(every).await;
                    catalog.job_progress(&job, &worker, 0, 0).await;
                }
            }))
        };
        let payload: Value = serde_json::from_str(&job.payload).unwrap_or(Value::Null);
        let dry_run = payload["dry_run"].as_bool().unwrap_or(false);
        let source_id = payload["source_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let started = time::now();
        let fail = |reason: Msg, url: Option<&str>| {
            JobFailure::Final(json!({
                "source_id": source_id, "dry_run": dry_run, "started": started,
                "finished": time::now(), "reason": msg_json(&reason), "url": url,
            }))
        };
        let source = {
            let mut c = self.db.conn().await.map_err(transient)?;
            sen_db::find_harvest_source(&mut c, &source_id)
                .await
                .map_err(transient)?
        };
        let Some(source) = source.filter(|s| s.state == "active") else {
            return Err(fail(Msg::new("error-harvest-source-not-found"), None));
        };
        if !dry_run && source.validated_at.is_none() {
            return Err(fail(Msg::new("error-harvest-not-validated"), None));
        }
        let Some(kind) = SourceKind::parse(&source.source_type) else {
            return Err(fail(Msg::new("error-harvest-source-not-found"), None));
        };
        let since = (!dry_run && kind == SourceKind::Ckan)
            .then(|| source.last_success_started.clone())
            .flatten();
        let gathered = match sen_harvest::gather(
            kind,
            &source.url,
            since.as_deref(),
            &self.config.harvest_limits,
        )
        .await
        {
            Ok(g) => g,
            Err(e) => {
                tracing::warn!(source = %source.name, error = ?e, "harvest source could not be read");
                return Err(fail(e.msg(), e.url()));
            }
        };
        self.job_progress(job, worker, 0, gathered.datasets.len() as u64)
            .await;
        let plan = self.plan(&source, &gathered).await.map_err(transient)?;
        let counts = json!({
            "created": plan.creates.len(),
            "updated": plan.updates.len(),
            "deleted": plan.withdrawals.len(),
            "unchanged": plan.unchanged.len(),
            "errored": plan.errors.len(),
        });
        let title_of = |p: &Planned| json!({"remote_id": p.remote.remote_id, "title": p.draft.row.title, "name": p.draft.row.name});
        let mut report = json!({
            "source_id": source.id,
            "dry_run": dry_run,
            "incremental": !gathered.complete,
            "pages": gathered.pages,
            "started": started,
            "counts": counts,
            "errors": plan.errors.iter().take(REPORT_LIST_MAX).cloned().collect::<Vec<_>>(),
            "created": plan.creates.iter().take(REPORT_LIST_MAX).map(title_of).collect::<Vec<_>>(),
            "updated": plan.updates.iter().take(REPORT_LIST_MAX).map(title_of).collect::<Vec<_>>(),
            "deleted": plan.withdrawals.iter().take(REPORT_LIST_MAX)
                .map(|(o, p)| json!({"remote_id": o.remote_id, "title": p.title, "name": p.name}))
                .collect::<Vec<_>>(),
        });
        let errorless = plan.errors.is_empty();
        if dry_run {
            let mut tx = self.db.begin_write().await.map_err(transient)?;
            sen_db::set_harvest_source_validated(tx.conn(), &source, &time::now())
                .await
                .map_err(transient)?;
            tx.commit().await.map_err(transient)?;
        } else {
            let touched = self
                .write_plan(&source, plan, &started, errorless)
                .await
                .map_err(transient)?;
            self.reindex_packages(&touched).await;
        }
        if let Some(o) = report.as_object_mut() {
            o.insert("finished".into(), json!(time::now()));
        }
        tracing::info!(source = %source.name, dry_run, report = %report["counts"], "harvest done");
        Ok(report)
    }

    /// Decides, for each remote dataset, whether to create, update or leave
    /// it, and which harvested datasets to withdraw; validates every change.
    async fn plan(&self, source: &HarvestSourceRow, g: &sen_harvest::Gathered) -> Result<Plan> {
        let actor = harvest_actor(source);
        let mut c = self.db.conn().await?;
        let objects = sen_db::harvest_objects_of_source(&mut c, &source.id).await?;
        let ids: Vec<String> = objects.iter().map(|o| o.package_id.clone()).collect();
        let packages = sen_db::get_packages(&mut c, &ids).await?;
        let licenses = sen_db::list_licenses(&mut c).await?;
        drop(c);
        let package = |id: &str| packages.iter().find(|p| p.id == id).cloned();
        let by_remote: HashMap<&str, &HarvestObjectRow> =
            objects.iter().map(|o| (o.remote_id.as_str(), o)).collect();
        let license_map: Map<String, Value> =
            match crate::dicts::json_column(&source.license_map, json!({})) {
                Value::Object(m) => m,
                _ => Map::new(),
            };
        let fingerprint = format!(
            "{}|{}|{}",
            source.owner_org, source.access_level, source.license_map
        );
        let mut plan = Plan::default();
        let mut names_taken: HashSet<String> = HashSet::new();
        for (remote, msg) in &g.skipped {
            plan.errors
                .push(json!({"remote_id": remote, "title": "", "message": msg_json(msg)}));
        }
        for d in &g.datasets {
            let hash = {
                let text = serde_json::to_string(d).unwrap_or_default();
                hex::encode(Sha256::digest(format!("{fingerprint}\n{text}").as_bytes()))
            };
            let mapped = by_remote
                .get(d.remote_id.as_str())
                .and_then(|o| package(&o.package_id).map(|p| ((*o).clone(), p)));
            if let Some((o, p)) = &mapped {
                let deleted_here = p.state == "deleted" && o.state == "active";
                if (o.content_hash == hash && o.state == "active" && p.state != "deleted")
                    || (deleted_here && source.keep_local_edits != 0)
                {
                    plan.unchanged.push(d.remote_id.clone());
                    continue;
                }
            }
            let fields = harvested_fields(source, d, &license_map, &licenses);
            let existing_dict = match &mapped {
                Some((_, p)) => {
                    let mut c = self.db.conn().await?;
                    Some(self.show_package_row(&mut c, p).await?)
                }
                None => None,
            };
            let mut data = fields.clone();
            match (&mapped, &existing_dict) {
                (Some((o, p)), Some(current)) => {
                    data.insert("id".into(), json!(p.id));
                    data.insert("name".into(), json!(p.name));
                    if source.keep_local_edits != 0 {
                        keep_local_edits(&mut data, current, &o.harvested_fields);
                    }
                    if let Some(Value::Array(list)) = data.get_mut("resources") {
                        reuse_resource_ids(list, current);
                    }
                }
                _ => {
                    let name = self.new_name(d, &names_taken).await?;
                    names_taken.insert(name.clone());
                    data.insert("name".into(), json!(name));
                }
            }
            data.insert("state".into(), json!("active"));
            let existing_row = mapped.as_ref().map(|(_, p)| p);
            let draft = match self.validate_package(&actor, &data, existing_row).await {
                Ok(draft) => draft,
                Err(e) => {
                    let fields: Map<String, Value> = e
                        .fields
                        .iter()
                        .map(|(f, msgs)| {
                            (f.clone(), Value::Array(msgs.iter().map(msg_json).collect()))
                        })
                        .collect();
                    plan.errors
                        .push(json!({"remote_id": d.remote_id, "title": d.title,
                        "message": msg_json(&e.message), "fields": fields}));
                    continue;
                }
            };
            let planned = Planned {
                remote: d.clone(),
                existing: match (mapped, existing_dict) {
                    (Some((o, p)), Some(current)) => Some((o, p, current)),
                    _ => None,
                },
                draft,
                hash,
                fields: Value::Object(fields),
            };
            if planned.existing.is_some() {
                plan.updates.push(planned);
            } else {
                plan.creates.push(planned);
            }
        }
        // What the remote no longer has.
        let seen: HashSet<&str> = g.datasets.iter().map(|d| d.remote_id.as_str()).collect();
        let alive: Option<HashSet<&str>> = g
            .alive_names
            .as_ref()
            .map(|names| names.iter().map(String::as_str).collect());
        for o in &objects {
            if o.state != "active" || seen.contains(o.remote_id.as_str()) {
                continue;
            }
            let gone = if g.complete {
                true
            } else {
                match &alive {
                    Some(names) => {
                        !o.remote_name.is_empty() && !names.contains(o.remote_name.as_str())
                    }
                    None => false,
                }
            };
            match (gone, package(&o.package_id)) {
                (true, Some(p)) => plan.withdrawals.push((o.clone(), p)),
                (true, None) => {}
                (false, _) => plan.unchanged.push(o.remote_id.clone()),
            }
        }
        Ok(plan)
    }

    /// A free URL name for a new harvested dataset: the remote's own when it
    /// is valid and free, else one made from the title (made unique by a
    /// short hash of the remote id).
    async fn new_name(&self, d: &RemoteDataset, taken: &HashSet<String>) -> Result<String> {
        let mut c = self.db.conn().await?;
        let mut candidates = Vec::new();
        if names::check(&d.remote_name).is_ok() {
            candidates.push(d.remote_name.clone());
        }
        let base = {
            let s = names::slugify(if d.title.is_empty() {
                &d.remote_id
            } else {
                &d.title
            });
            if s.len() < names::MIN_LEN {
                format!("dataset-{s}")
            } else {
                s
            }
        };
        candidates.push(base.clone());
        let mut suffixed = base;
        suffixed.truncate(names::MAX_LEN - 9);
        candidates.push(format!(
            "{}-{}",
            suffixed.trim_end_matches('-'),
            hex8(&d.remote_id)
        ));
        for name in &candidates {
            if names::check(name).is_ok()
                && !taken.contains(name)
                && sen_db::find_package(&mut c, name).await?.is_none()
            {
                return Ok(name.clone());
            }
        }
        // Validation reports the clash for this object alone.
        Ok(candidates.pop().unwrap_or_default())
    }

    /// Writes a plan in one transaction; returns the datasets touched.
    async fn write_plan(
        &self,
        source: &HarvestSourceRow,
        plan: Plan,
        started: &str,
        errorless: bool,
    ) -> Result<Vec<String>> {
        let actor = harvest_actor(source);
        let now = time::now();
        let mut touched = Vec::new();
        let mut tx = self.db.begin_write().await?;
        let c = tx.conn();
        for p in plan.creates.into_iter().chain(plan.updates) {
            let before = p.existing.as_ref().map(|(_, _, dict)| dict.clone());
            let id = p.draft.row.id.clone();
            self.write_package(&mut *c, &actor, p.draft, before.as_ref())
                .await?;
            sen_db::upsert_harvest_object(
                &mut *c,
                &HarvestObjectRow {
                    source_id: source.id.clone(),
                    remote_id: p.remote.remote_id.clone(),
                    package_id: id.clone(),
                    remote_url: safe_link(&p.remote.object_url),
                    remote_name: p.remote.remote_name.clone(),
                    remote_modified: p.remote.modified.clone(),
                    content_hash: p.hash,
                    harvested_fields: p.fields.to_string(),
                    state: "active".into(),
                    last_harvested: now.clone(),
                },
            )
            .await?;
            touched.push(id);
        }
        for (mut o, p) in plan.withdrawals {
            let id = p.id.clone();
            if p.state != "deleted" {
                self.write_package_deleted(&mut *c, &actor, p).await?;
            }
            o.state = "withdrawn".into();
            o.last_harvested = now.clone();
            sen_db::upsert_harvest_object(&mut *c, &o).await?;
            touched.push(id);
        }
        // Unchanged datasets keep their `last_harvested` (when their metadata was
        // last taken from the remote): it is part of the dataset's dictionary,
        // which the search index stores, so changing it would mean re-indexing
        // every dataset of the source on every run.
        if let Some(mut s) = sen_db::find_harvest_source(&mut *c, &source.id).await? {
            if errorless {
                s.last_success_started = Some(started.to_string());
            }
            s.modified = now.clone();
            sen_db::update_harvest_source(&mut *c, &s).await?;
        }
        tx.commit().await?;
        Ok(touched)
    }
}

/// Stops a background task when dropped (on every way out of a job).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn transient(e: Error) -> JobFailure {
    JobFailure::Transient(format!("{}: {:?}", e.code, e.message))
}

fn dry_subject(source_id: &str) -> String {
    format!("{source_id}:dry-run")
}

/// A harvest job as the API shows it.
pub fn job_dict(j: &JobRow) -> Value {
    let payload: Value = serde_json::from_str(&j.payload).unwrap_or(Value::Null);
    let report = j
        .result
        .as_deref()
        .or(j.error.as_deref())
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
        .unwrap_or(Value::Null);
    let status = match j.state.as_str() {
        "queued" | "running" => j.state.as_str(),
        "done" => "finished",
        _ => "failed",
    };
    json!({
        "id": j.id,
        "source_id": payload["source_id"],
        "dry_run": payload["dry_run"].as_bool().unwrap_or(false),
        "status": status,
        "state": j.state,
        "attempts": j.attempts,
        "created": j.created,
        "updated": j.updated,
        "finished": if matches!(j.state.as_str(), "done" | "failed") { json!(j.updated) } else { Value::Null },
        "report": report,
    })
}

/// The harvest acts with the authority of the sysadmin who made the source.
fn harvest_actor(source: &HarvestSourceRow) -> Actor {
    Actor::user(UserRow {
        id: source.creator_user_id.clone().unwrap_or_default(),
        name: format!("harvest:{}", source.name),
        email: String::new(),
        fullname: String::new(),
        about: String::new(),
        password_hash: None,
        sysadmin: 1,
        state: "active".into(),
        created: source.created.clone(),
    })
}

/// A remote update frequency in Sen's vocabulary (EU authority names,
/// ISO 8601 repeating durations as in DCAT-US, or Sen's own), else empty.
fn sen_frequency(s: &str) -> String {
    let v = s.trim();
    let upper = v.to_ascii_uppercase();
    let f = match upper.as_str() {
        "ANNUAL" | "R/P1Y" | "ANNUALLY" | "YEARLY" => "annual",
        "ANNUAL_2" | "SEMIANNUAL" | "R/P6M" | "BIANNUAL" => "semiannual",
        "QUARTERLY" | "R/P3M" => "quarterly",
        "MONTHLY" | "R/P1M" => "monthly",
        "WEEKLY" | "R/P1W" => "weekly",
        "DAILY" | "R/P1D" => "daily",
        "IRREG" | "IRREGULAR" | "CONT" | "CONTINUOUS" => "irregular",
        "NEVER" => "never",
        _ => "",
    };
    f.to_string()
}

/// A link users may follow: http, https or ftp; anything else becomes empty.
fn safe_link(u: &str) -> String {
    let lower = u.trim().to_ascii_lowercase();
    if ["http://", "https://", "ftp://"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        u.trim().to_string()
    } else {
        String::new()
    }
}

/// The dataset fields a remote dataset becomes here.
fn harvested_fields(
    source: &HarvestSourceRow,
    d: &RemoteDataset,
    license_map: &Map<String, Value>,
    licenses: &[sen_db::LicenseRow],
) -> Dict {
    let mut m = Dict::new();
    let title = [&d.title, &d.remote_name, &d.remote_id]
        .into_iter()
        .find(|t| !t.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    let email = |s: &str| {
        if is_email(s) {
            s.to_string()
        } else {
            String::new()
        }
    };
    let license = {
        let mapped = license_map
            .get(&d.license)
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| d.license.clone());
        if licenses.iter().any(|l| l.id == mapped) {
            mapped
        } else {
            String::new()
        }
    };
    let level = stricter(
        AccessLevel::parse(&source.access_level).unwrap_or(AccessLevel::Internal),
        AccessLevel::parse(&d.access_level).unwrap_or(AccessLevel::Internal),
    );
    for (k, v) in [
        ("title", title),
        ("notes", d.notes.clone()),
        ("url", safe_link(&d.url)),
        ("version", d.version.clone()),
        ("author", d.author.clone()),
        ("author_email", email(&d.author_email)),
        ("maintainer", d.maintainer.clone()),
        ("maintainer_email", email(&d.maintainer_email)),
        ("license_id", license),
        ("frequency", sen_frequency(&d.frequency)),
        ("language", d.language.clone()),
        ("spatial", d.spatial.clone()),
        ("temporal_start", d.temporal_start.clone()),
        ("temporal_end", d.temporal_end.clone()),
        ("identifier", d.identifier.clone()),
        ("contact_name", d.contact_name.clone()),
        ("contact_email", email(&d.contact_email)),
    ] {
        m.insert(k.into(), json!(v));
    }
    m.insert("owner_org".into(), json!(source.owner_org));
    m.insert("access_level".into(), json!(level.as_str()));
    let mut tags: Vec<String> = d.tags.iter().filter_map(|t| clean_tag(t)).collect();
    tags.sort();
    tags.dedup();
    m.insert(
        "tags".into(),
        Value::Array(tags.into_iter().map(|t| json!({"name": t})).collect()),
    );
    let mut keys = HashSet::new();
    let mut extras: Vec<Value> = d
        .extras
        .iter()
        .filter(|(k, _)| !CORE_KEYS.contains(&k.as_str()) && !k.starts_with("harvest_"))
        .filter(|(k, _)| keys.insert(k.clone()))
        .map(|(k, v)| json!({"key": k, "value": v}))
        .collect();
    if !d.license.is_empty() && m["license_id"] == json!("") && keys.insert("license_remote".into())
    {
        extras.push(json!({"key": "license_remote", "value": d.license}));
    }
    extras.sort_by(|a, b| a["key"].as_str().cmp(&b["key"].as_str()));
    m.insert("extras".into(), Value::Array(extras));
    m.insert(
        "resources".into(),
        Value::Array(
            d.resources
                .iter()
                .filter(|r| !safe_link(&r.url).is_empty())
                .map(|r| {
                    json!({"name": r.name, "description": r.description, "url": r.url,
                           "format": r.format, "mimetype": r.mimetype})
                })
                .collect(),
        ),
    );
    m
}

/// A field's value in comparable form, from a package dict or harvested fields.
fn comparable(field: &str, v: &Value) -> Value {
    match field {
        "tags" => {
            let mut names: Vec<String> = v
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.get("name").and_then(Value::as_str).map(str::to_string))
                .collect();
            names.sort();
            json!(names)
        }
        "extras" => {
            let mut pairs: Vec<(String, String)> = v
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| {
                    (
                        e["key"].as_str().unwrap_or_default().to_string(),
                        e["value"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .filter(|(k, _)| !k.starts_with("harvest_"))
                .collect();
            pairs.sort();
            json!(pairs)
        }
        "resources" => Value::Array(
            v.as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    json!([
                        r["name"],
                        r["url"],
                        r["format"],
                        r["description"],
                        r["mimetype"].as_str().unwrap_or_default()
                    ])
                })
                .collect(),
        ),
        _ => json!(v.as_str().unwrap_or_default()),
    }
}

/// Keeps the fields edited here since the last harvest: a field whose local
/// value differs from what the harvest last wrote keeps the local value.
fn keep_local_edits(data: &mut Dict, current: &Value, last_harvested: &str) {
    let Ok(Value::Object(last)) = serde_json::from_str::<Value>(last_harvested) else {
        return;
    };
    for field in SCALAR_FIELDS.iter().chain(LIST_FIELDS) {
        let Some(was) = last.get(*field) else {
            continue;
        };
        let local = current.get(*field).cloned().unwrap_or(Value::Null);
        if comparable(field, &local) != comparable(field, was) {
            if LIST_FIELDS.contains(field) {
                // Left out of the update: the stored list stays.
                data.remove(*field);
            } else {
                data.insert((*field).to_string(), local);
            }
        }
    }
}

/// Gives harvested resources the ids of the local ones with the same URL, so
/// an update keeps resource ids (and their pages and follower links).
fn reuse_resource_ids(list: &mut [Value], current: &Value) {
    let mut free: Vec<(String, String)> = current["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            Some((
                r["id"].as_str()?.to_string(),
                r["url"].as_str()?.to_string(),
            ))
        })
        .collect();
    for r in list.iter_mut() {
        let url = r["url"].as_str().unwrap_or_default().to_string();
        if let Some(pos) = free.iter().position(|(_, u)| *u == url) {
            let (id, _) = free.remove(pos);
            if let Some(o) = r.as_object_mut() {
                o.insert("id".into(), json!(id));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_cleaned_or_dropped() {
        assert_eq!(
            clean_tag("dân số/hộ gia đình").as_deref(),
            Some("dân số hộ gia đình")
        );
        assert_eq!(clean_tag("x"), None);
        assert_eq!(clean_tag("  Hà   Nội "), Some("Hà Nội".into()));
    }

    #[test]
    fn frequencies_and_links_are_made_safe() {
        assert_eq!(sen_frequency("R/P1M"), "monthly");
        assert_eq!(sen_frequency("ANNUAL_2"), "semiannual");
        assert_eq!(sen_frequency("every full moon"), "");
        assert_eq!(safe_link("javascript:alert(1)"), "");
        assert_eq!(
            safe_link(" https://gso.gov.vn/a.csv"),
            "https://gso.gov.vn/a.csv"
        );
    }

    #[test]
    fn the_stricter_level_wins() {
        use AccessLevel::*;
        assert_eq!(stricter(Open, Internal), Internal);
        assert_eq!(stricter(Shared, Open), Shared);
        assert_eq!(stricter(Open, Open), Open);
    }

    #[test]
    fn local_edits_are_kept_only_where_they_differ() {
        let last = json!({"title": "Cũ", "notes": "Mô tả", "tags": [{"name": "a b"}]}).to_string();
        let current = json!({"title": "Sửa tại đây", "notes": "Mô tả", "tags": [{"name": "a b"}]});
        let mut data = Dict::new();
        data.insert("title".into(), json!("Mới từ nguồn"));
        data.insert("notes".into(), json!("Mô tả mới"));
        data.insert("tags".into(), json!([{"name": "c d"}]));
        keep_local_edits(&mut data, &current, &last);
        assert_eq!(data["title"], json!("Sửa tại đây"));
        assert_eq!(data["notes"], json!("Mô tả mới"));
        assert_eq!(data["tags"], json!([{"name": "c d"}]));
    }
}
