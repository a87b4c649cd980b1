//! Keeping the search index in step with the database. The database is the
//! truth: the index is updated after each committed change, checked at
//! start-up, and rebuilt from the database whenever it is missing, damaged
//! or out of step.

use crate::dicts::json_column;
use crate::Catalog;
use sen_db::{Conn, PackageRow};
use sen_domain::Result;
use sen_search::IndexDoc;
use serde_json::{json, Value};

/// Years of the temporal coverage (at most a century), else the creation year.
fn years(p: &PackageRow) -> Vec<i32> {
    let year = |s: &str| sen_domain::time::parse_date(s).map(|d| chrono::Datelike::year(&d));
    match (year(&p.temporal_start), year(&p.temporal_end)) {
        (Some(a), Some(b)) if a <= b && b - a <= 100 => (a..=b).collect(),
        (Some(a), _) => vec![a],
        (None, Some(b)) => vec![b],
        _ => p
            .created
            .get(..4)
            .and_then(|y| y.parse().ok())
            .into_iter()
            .collect(),
    }
}

/// The index document of a dataset; `dict` is its dictionary with
/// site-relative upload addresses (see `Catalog::index_docs`).
pub(crate) async fn index_doc(c: &mut Conn, p: &PackageRow, dict: String) -> Result<IndexDoc> {
    let org = sen_db::get_group(&mut *c, &p.owner_org).await?;
    let tags: Vec<String> = sen_db::package_tags(&mut *c, &p.id)
        .await?
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    let mut groups = Vec::new();
    let mut group_titles = Vec::new();
    for gid in sen_db::package_group_ids(&mut *c, &p.id).await? {
        if let Some(g) = sen_db::get_group(&mut *c, &gid)
            .await?
            .filter(|g| g.state == "active")
        {
            groups.push(g.name);
            group_titles.push(g.title);
        }
    }
    let resources = sen_db::package_resources(&mut *c, &p.id).await?;
    let mut other_text = vec![p.spatial.clone()];
    if let Value::Array(extras) = json_column(&p.extras, json!([])) {
        other_text.extend(
            extras
                .iter()
                .filter_map(|e| e["value"].as_str().map(str::to_string)),
        );
    }
    other_text.extend(resources.iter().map(|r| r.description.clone()));
    let mut res_formats: Vec<String> = resources
        .iter()
        .map(|r| r.format.to_uppercase())
        .filter(|f| !f.is_empty())
        .collect();
    res_formats.sort();
    res_formats.dedup();
    Ok(IndexDoc {
        id: p.id.clone(),
        name: p.name.clone(),
        title: p.title.clone(),
        notes: p.notes.clone(),
        tags,
        organization: org.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
        organization_title: org.as_ref().map(|o| o.title.clone()).unwrap_or_default(),
        organization_kind: org.as_ref().map(|o| o.kind.clone()).unwrap_or_default(),
        owner_org: p.owner_org.clone(),
        groups,
        group_titles,
        res_formats,
        res_names: resources.iter().map(|r| r.name.clone()).collect(),
        license_id: p.license_id.clone(),
        access_level: p.access_level.clone(),
        data_class: p.data_class.clone(),
        state: p.state.clone(),
        kind: p.kind.clone(),
        creator_user_id: p.creator_user_id.clone().unwrap_or_default(),
        other_text,
        years: years(p),
        metadata_modified: p.modified.clone(),
        metadata_created: p.created.clone(),
        dict,
    })
}

/// How many change numbers behind the newest seen the follower looks again.
const LOOK_BACK: i64 = 512;

/// Where a node's search follower is in the change log.
#[derive(Debug, Default)]
pub struct Follower {
    pub watermark: i64,
    seen: std::collections::BTreeSet<i64>,
}

impl Catalog {
    /// Brings the index up to date for these datasets after a committed change.
    /// A failure is logged, not returned: the change is safe in the database
    /// and the start-up check repairs the index.
    pub(crate) async fn reindex_packages(&self, ids: &[String]) {
        if self.indexing_deferred() {
            return;
        }
        if let Err(e) = self.log_changes(ids).await {
            tracing::error!(error = %e, "could not log a search change for other nodes");
        }
        if let Err(e) = self.try_reindex_packages(ids).await {
            tracing::error!(error = %e, "search index update failed; it will be repaired at the next start");
        }
    }

    /// Tells the other nodes (through the database) that these datasets changed.
    async fn log_changes(&self, ids: &[String]) -> Result<()> {
        let mut tx = self.db.begin_write().await?;
        sen_db::log_search_changes(tx.conn(), ids, &sen_domain::time::now()).await?;
        tx.commit().await
    }

    /// Follows the change log so that changes made through other nodes become
    /// searchable here, checking every `every`. PostgreSQL numbers changes when
    /// they are written, not when they commit, so each pass looks back over
    /// recent numbers for any that committed late.
    pub fn spawn_search_follower(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let catalog = self.clone();
        tokio::spawn(async move {
            let mut follower = Follower::default();
            match catalog.db.conn().await {
                Ok(mut c) => {
                    follower.watermark = sen_db::last_search_change(&mut c).await.unwrap_or(0)
                }
                Err(e) => tracing::error!(error = %e, "search follower could not start"),
            }
            loop {
                tokio::time::sleep(every).await;
                if let Err(e) = catalog.follow_search_changes(&mut follower).await {
                    tracing::warn!(error = %e, "search follower pass failed; retrying");
                }
            }
        })
    }

    /// One pass of the follower; returns how many datasets it re-indexed.
    pub async fn follow_search_changes(&self, f: &mut Follower) -> Result<usize> {
        let from = (f.watermark - LOOK_BACK).max(0);
        let mut c = self.db.conn().await?;
        let changes = sen_db::search_changes_after(&mut c, from, 10_000).await?;
        drop(c);
        let fresh: Vec<(i64, String)> = changes
            .into_iter()
            .filter(|(seq, _)| !f.seen.contains(seq))
            .collect();
        if fresh.is_empty() {
            return Ok(0);
        }
        let mut ids: Vec<String> = fresh.iter().map(|(_, id)| id.clone()).collect();
        ids.sort();
        ids.dedup();
        self.try_reindex_packages(&ids).await?;
        for (seq, _) in &fresh {
            f.seen.insert(*seq);
            f.watermark = f.watermark.max(*seq);
        }
        let keep_from = f.watermark - LOOK_BACK;
        f.seen.retain(|s| *s >= keep_from);
        Ok(ids.len())
    }

    /// Index documents for these datasets, each carrying its dictionary.
    async fn index_docs(&self, c: &mut Conn, rows: &[PackageRow]) -> Result<Vec<IndexDoc>> {
        let dicts = self.package_dicts_at(&mut *c, rows, "").await?;
        let mut docs = Vec::with_capacity(rows.len());
        for (p, dict) in rows.iter().zip(dicts) {
            docs.push(index_doc(&mut *c, p, dict.to_string()).await?);
        }
        Ok(docs)
    }

    async fn try_reindex_packages(&self, ids: &[String]) -> Result<()> {
        let mut c = self.db.conn().await?;
        let rows = sen_db::get_packages(&mut c, ids).await?;
        let mut gone: Vec<String> = ids
            .iter()
            .filter(|id| !rows.iter().any(|r| &r.id == *id))
            .cloned()
            .collect();
        let (live, deleted): (Vec<PackageRow>, Vec<PackageRow>) =
            rows.into_iter().partition(|p| p.state != "deleted");
        gone.extend(deleted.into_iter().map(|p| p.id));
        let docs = self.index_docs(&mut c, &live).await?;
        drop(c);
        let search = self.search.clone();
        tokio::task::spawn_blocking(move || {
            if !gone.is_empty() {
                search.remove(&gone)?;
            }
            if !docs.is_empty() {
                search.upsert(&docs)?;
            }
            Ok::<_, sen_search::SearchError>(())
        })
        .await
        .map_err(sen_domain::Error::internal)?
        .map_err(sen_domain::Error::internal)
    }

    /// Re-indexes every dataset of an organisation or topic (after its name or title changed).
    pub(crate) async fn reindex_group(&self, group_id: &str, is_org: bool) {
        if self.indexing_deferred() {
            return;
        }
        let ids = async {
            let mut c = self.db.conn().await?;
            let pq = sen_db::PackageQuery {
                viewer: sen_db::Viewer::Sysadmin,
                words: Vec::new(),
                filters: vec![sen_db::Filter {
                    field: if is_org {
                        sen_db::FilterField::OwnerOrg
                    } else {
                        sen_db::FilterField::Groups
                    },
                    values: vec![if is_org {
                        group_id.to_string()
                    } else {
                        sen_db::get_group(&mut c, group_id)
                            .await?
                            .map(|g| g.name)
                            .unwrap_or_default()
                    }],
                    negate: false,
                }],
                include_private: true,
                include_drafts: true,
                sort: Vec::new(),
                rows: i64::MAX,
                start: 0,
            };
            sen_db::search_packages(&mut c, &pq)
                .await
                .map(|(ids, _)| ids)
        }
        .await;
        match ids {
            Ok(ids) => self.reindex_packages(&ids).await,
            Err(e) => tracing::error!(error = %e, "could not list datasets to re-index"),
        }
    }

    /// Whether the index agrees with the database (same number of datasets,
    /// same newest change).
    pub async fn search_index_in_step(&self) -> Result<bool> {
        let mut c = self.db.conn().await?;
        let (count, newest) = sen_db::indexable_summary(&mut c).await?;
        let indexed_newest = self
            .search
            .newest_modified()
            .map_err(sen_domain::Error::internal)?;
        let newest_db = newest
            .as_deref()
            .and_then(sen_domain::time::parse)
            .map(sen_domain::time::format);
        Ok(self.search.len() == count as u64 && (count == 0 || indexed_newest == newest_db))
    }

    /// Rebuilds the index from the database; `progress(done, total)`.
    pub async fn rebuild_search_index(
        &self,
        progress: impl Fn(u64, u64) + Send + Sync + 'static,
    ) -> Result<usize> {
        let mut c = self.db.conn().await?;
        let (total, _) = sen_db::indexable_summary(&mut c).await?;
        let total = total as u64;
        let mut docs = Vec::with_capacity(total as usize);
        let mut after = String::new();
        loop {
            let ids = sen_db::indexable_ids(&mut c, &after, 500).await?;
            let Some(last) = ids.last().cloned() else {
                break;
            };
            let rows = sen_db::get_packages(&mut c, &ids).await?;
            docs.extend(self.index_docs(&mut c, &rows).await?);
            progress(docs.len() as u64 / 2, total);
            after = last;
        }
        drop(c);
        let search = self.search.clone();
        tokio::task::spawn_blocking(move || {
            search.rebuild(docs.into_iter(), |n| {
                progress((total + n as u64) / 2, total)
            })
        })
        .await
        .map_err(sen_domain::Error::internal)?
        .map_err(sen_domain::Error::internal)
    }

    /// At start-up: rebuild the index when it is out of step with the database.
    pub async fn ensure_search_index(&self) -> Result<()> {
        if self.search_index_in_step().await? {
            return Ok(());
        }
        tracing::warn!("search index out of step with the database; rebuilding it");
        let started = std::time::Instant::now();
        let n = self.rebuild_search_index(|_, _| {}).await?;
        tracing::info!(
            datasets = n,
            seconds = started.elapsed().as_secs_f32(),
            "search index rebuilt"
        );
        Ok(())
    }
}
