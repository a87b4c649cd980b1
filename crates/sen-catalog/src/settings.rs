//! Site settings an operator edits at run time, under CKAN's own
//! `config_option_*` keys where CKAN has one. Every node caches them for a few
//! seconds, so a change made through one node shows on all within that time.

use crate::input::{require_id, Dict};
use crate::{Actor, Catalog};
use sen_domain::{Error, Msg, Result};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The keys `config_option_update` accepts, and the longest value of each.
pub const EDITABLE: &[(&str, usize)] = &[
    ("ckan.site_title", 200),
    ("ckan.site_description", 500),
    ("ckan.site_about", 20_000),
    ("ckan.site_intro_text", 5_000),
    ("ckan.site_logo", 500),
    ("sen.contact_email", 200),
    ("sen.contact_address", 1_000),
    ("sen.featured_datasets", 5_000),
    // Inventory rules: open-data lists reviewed at least every N months, data updated within M months.
    ("sen.open_data_review_months", 3),
    ("sen.data_update_months", 3),
    ("sen.access_request_days", 3),
];

const CACHE_FOR: Duration = Duration::from_secs(5);

#[derive(Default)]
pub(crate) struct SettingsCache {
    loaded: Option<Instant>,
    values: HashMap<String, String>,
}

impl Catalog {
    /// The current settings (from the cache, reloaded when older than a few seconds).
    pub async fn settings(&self) -> HashMap<String, String> {
        let fresh = {
            let cache = self.settings.read().unwrap_or_else(|e| e.into_inner());
            cache.loaded.is_some_and(|t| t.elapsed() < CACHE_FOR)
        };
        if !fresh {
            if let Err(e) = self.reload_settings().await {
                tracing::warn!(error = %e, "could not read site settings; using the last known");
            }
        }
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values
            .clone()
    }

    async fn reload_settings(&self) -> Result<()> {
        let mut c = self.db.conn().await?;
        let values: HashMap<String, String> =
            sen_db::all_settings(&mut c).await?.into_iter().collect();
        let mut cache = self.settings.write().unwrap_or_else(|e| e.into_inner());
        cache.values = values;
        cache.loaded = Some(Instant::now());
        Ok(())
    }

    /// One cached setting, `None` when unset or empty.
    pub fn settings_value(&self, key: &str) -> Option<String> {
        self.cached_setting(key)
    }

    fn cached_setting(&self, key: &str) -> Option<String> {
        let cache = self.settings.read().unwrap_or_else(|e| e.into_inner());
        cache.values.get(key).filter(|v| !v.is_empty()).cloned()
    }

    /// The site's name: the operator's setting, else the configured one.
    pub fn site_title(&self) -> String {
        self.cached_setting("ckan.site_title")
            .unwrap_or_else(|| self.config.site_title.clone())
    }

    pub fn site_description(&self) -> String {
        self.cached_setting("ckan.site_description")
            .unwrap_or_else(|| self.config.site_description.clone())
    }

    /// Dataset names the operator features on the home page, in order.
    pub fn featured_datasets(&self) -> Vec<String> {
        self.cached_setting("sen.featured_datasets")
            .map(|v| crate::input::split_commas(&v))
            .unwrap_or_default()
    }

    /// CKAN's `config_option_list`: the keys that may be changed (sysadmins).
    pub async fn config_option_list(&self, actor: &Actor) -> Result<Value> {
        self.require_sysadmin(actor, "config_option_list")?;
        Ok(json!(EDITABLE.iter().map(|(k, _)| *k).collect::<Vec<_>>()))
    }

    /// CKAN's `config_option_show` (sysadmins).
    pub async fn config_option_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_sysadmin(actor, "config_option_show")?;
        let key = require_id(data, &["key"])?;
        if !EDITABLE.iter().any(|(k, _)| *k == key) {
            return Err(Error::field(
                "key",
                Msg::new("field-config-key").arg("value", key),
            ));
        }
        self.reload_settings().await?;
        Ok(json!(self.setting_or_default(&key)))
    }

    fn setting_or_default(&self, key: &str) -> String {
        match key {
            "ckan.site_title" => self.site_title(),
            "ckan.site_description" => self.site_description(),
            _ => self.cached_setting(key).unwrap_or_default(),
        }
    }

    /// CKAN's `config_option_update` (sysadmins): every key given is checked
    /// first, then all are saved together; an empty value restores the default.
    pub async fn config_option_update(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_sysadmin(actor, "config_option_update")?;
        let mut errors = sen_domain::error::Validation::default();
        let mut changes: Vec<(String, String)> = Vec::new();
        for (key, value) in data {
            let Some((_, max)) = EDITABLE.iter().find(|(k, _)| k == key) else {
                errors.add(key, Msg::new("field-config-key").arg("value", key.as_str()));
                continue;
            };
            let text = match value {
                Value::String(s) => s.trim().to_string(),
                Value::Array(a) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            if text.chars().count() > *max {
                errors.add(key, Msg::new("field-too-long").arg("max", *max));
                continue;
            }
            changes.push((key.clone(), text));
        }
        for (key, value) in &changes {
            if key == "sen.contact_email" && !value.is_empty() && !crate::input::is_email(value) {
                errors.add(
                    key,
                    Msg::new("field-bad-email").arg("value", value.as_str()),
                );
            }
            if (key == "sen.open_data_review_months" || key == "sen.data_update_months")
                && !value.is_empty()
                && !value.parse::<u32>().is_ok_and(|n| (1..=120).contains(&n))
            {
                errors.add(
                    key,
                    Msg::new("field-integer-range")
                        .arg("min", 1)
                        .arg("max", 120),
                );
            }
            if key == "sen.access_request_days"
                && !value.is_empty()
                && !value.parse::<i64>().is_ok_and(|d| (0..=365).contains(&d))
            {
                errors.add(key, Msg::new("field-not-integer"));
            }
            if key == "sen.featured_datasets" {
                let mut c = self.db.conn().await?;
                for name in crate::input::split_commas(value) {
                    // Only open, published data can be featured for everyone.
                    let ok = sen_db::find_package(&mut c, &name)
                        .await?
                        .is_some_and(|p| p.state == "active" && p.access_level == "open");
                    if !ok {
                        errors.add(key, Msg::new("field-featured-unknown").arg("value", name));
                    }
                }
            }
        }
        errors.finish()?;
        let mut tx = self.db.begin_write().await?;
        for (key, value) in &changes {
            if value.is_empty() {
                sen_db::delete_setting(tx.conn(), key).await?;
            } else {
                sen_db::set_setting(tx.conn(), key, value).await?;
            }
        }
        tx.commit().await?;
        self.reload_settings().await?;
        let mut out = Map::new();
        for (key, _) in changes {
            let v = self.setting_or_default(&key);
            out.insert(key, json!(v));
        }
        Ok(Value::Object(out))
    }
}

/// The largest logo accepted.
pub const MAX_LOGO_BYTES: u64 = 1024 * 1024;

/// The image type of a logo, from its first bytes (never from its name).
fn image_type(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

impl Catalog {
    /// Makes an uploaded PNG, JPEG or WebP file the site's logo (sysadmins).
    /// SVG is refused: it can carry script. On any refusal the file is deleted.
    pub async fn set_site_logo(&self, actor: &Actor, upload: crate::Upload) -> Result<Value> {
        let checked = self.check_logo(actor, &upload).await;
        let content_type = match checked {
            Ok(t) => t,
            Err(e) => {
                let _ = self.storage.delete(&upload.key).await;
                return Err(e);
            }
        };
        let old = self.cached_setting("sen.site_logo_key");
        let mut tx = self.db.begin_write().await?;
        sen_db::set_setting(tx.conn(), "sen.site_logo_key", &upload.key).await?;
        sen_db::set_setting(tx.conn(), "sen.site_logo_type", content_type).await?;
        let url = format!(
            "/site/logo?v={}",
            &upload.sha256[..12.min(upload.sha256.len())]
        );
        sen_db::set_setting(tx.conn(), "ckan.site_logo", &url).await?;
        tx.commit().await?;
        if let Some(old) = old.filter(|o| *o != upload.key) {
            let _ = self.storage.delete(&old).await;
        }
        self.reload_settings().await?;
        Ok(json!({"ckan.site_logo": url}))
    }

    async fn check_logo(&self, actor: &Actor, upload: &crate::Upload) -> Result<&'static str> {
        self.require_sysadmin(actor, "config_option_update")?;
        if upload.size > MAX_LOGO_BYTES {
            return Err(Error::field(
                "logo",
                Msg::new("field-logo-too-large").arg("max", "1 MB"),
            ));
        }
        let head = self
            .storage
            .read_head(&upload.key, 16)
            .await
            .map_err(Error::internal)?;
        image_type(&head).ok_or_else(|| Error::field("logo", Msg::new("field-logo-type")))
    }

    /// The stored logo: `(storage key, content type)`.
    pub async fn site_logo(&self) -> Option<(String, String)> {
        let settings = self.settings().await;
        Some((
            settings.get("sen.site_logo_key")?.clone(),
            settings.get("sen.site_logo_type")?.clone(),
        ))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn logos_are_recognised_by_their_bytes() {
        assert_eq!(
            super::image_type(b"\x89PNG\r\n\x1a\n...."),
            Some("image/png")
        );
        assert_eq!(super::image_type(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(
            super::image_type(b"RIFF\0\0\0\0WEBPVP8 "),
            Some("image/webp")
        );
        assert_eq!(super::image_type(b"<svg onload=alert(1)>"), None);
        assert_eq!(super::image_type(b""), None);
    }
}
