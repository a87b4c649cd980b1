//! Page views and downloads per dataset, counted in memory and written to the
//! database in batches (every few seconds, and at shutdown), so that counting
//! never adds a write to a page view. The home page's "most used" list and
//! the publishers' statistics read them.

use crate::Catalog;
use sen_domain::Result;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub(crate) struct UsageCounter {
    /// package id → (views, downloads) not yet written.
    pending: Mutex<HashMap<String, (i64, i64)>>,
}

impl UsageCounter {
    fn add(&self, package_id: &str, views: i64, downloads: i64) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let entry = pending.entry(package_id.to_string()).or_default();
        entry.0 += views;
        entry.1 += downloads;
    }

    fn take(&self) -> HashMap<String, (i64, i64)> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// The day counts are filed under: the portal's local date (Vietnam, UTC+7).
fn today() -> String {
    let local = chrono::Utc::now() + chrono::Duration::hours(7);
    local.format("%Y-%m-%d").to_string()
}

impl Catalog {
    pub fn count_view(&self, package_id: &str) {
        self.usage.add(package_id, 1, 0);
    }

    pub fn count_download(&self, package_id: &str) {
        self.usage.add(package_id, 0, 1);
    }

    /// Writes the counts gathered since the last flush.
    pub async fn flush_usage(&self) -> Result<()> {
        let pending = self.usage.take();
        if pending.is_empty() {
            return Ok(());
        }
        let day = today();
        let mut tx = self.db.begin_write().await?;
        for (id, (views, downloads)) in &pending {
            sen_db::add_usage(tx.conn(), id, &day, *views, *downloads).await?;
        }
        tx.commit().await
    }

    /// Flushes the counts every `every` until the returned handle is dropped.
    pub fn spawn_usage_flusher(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let catalog = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                if let Err(e) = catalog.flush_usage().await {
                    tracing::warn!(error = %e, "could not write usage counts");
                }
            }
        })
    }

    /// Ids of the most downloaded datasets of the last `days` days, best
    /// first (the caller shows only those its visitor may see).
    pub async fn most_used_ids(&self, days: i64, limit: i64) -> Result<Vec<String>> {
        let since = (chrono::Utc::now() + chrono::Duration::hours(7)
            - chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string();
        let mut c = self.db.conn().await?;
        Ok(sen_db::most_used(&mut c, &since, limit)
            .await?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect())
    }

    /// A dataset's total views and downloads (including what is not yet written).
    pub async fn usage_totals(&self, package_id: &str) -> Result<(i64, i64)> {
        let mut c = self.db.conn().await?;
        let (v, d) = sen_db::usage_totals(&mut c, package_id).await?;
        let pending = self.usage.pending.lock().unwrap_or_else(|e| e.into_inner());
        let (pv, pd) = pending.get(package_id).copied().unwrap_or_default();
        Ok((v + pv, d + pd))
    }
}

impl Catalog {
    /// Counts a download of a resource's file for its dataset (never fails
    /// the download: a lookup problem is only logged).
    pub async fn count_resource_download(&self, resource_id: &str) {
        let found = async {
            let mut c = self.db.conn().await?;
            sen_db::find_resource(&mut c, resource_id).await
        }
        .await;
        match found {
            Ok(Some(r)) => self.count_download(&r.package_id),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "download not counted"),
        }
    }
}
