//! Site-wide actions: status, licences, tags.

use crate::input::{require_id, Dict, Input};
use crate::{not_found, Actor, Catalog};
use sen_domain::Result;
use serde_json::{json, Value};

/// The CKAN version whose API Sen speaks; clients check it to pick features.
pub const CKAN_API_VERSION: &str = "2.10.4";

impl Catalog {
    pub async fn status_show(&self) -> Result<Value> {
        self.settings().await;
        Ok(json!({
            "site_title": self.site_title(),
            "site_description": self.site_description(),
            "site_url": self.config.site_url,
            "ckan_version": CKAN_API_VERSION,
            "sen_version": env!("CARGO_PKG_VERSION"),
            "error_emails_to": null,
            "locale_default": "vi",
            "extensions": ["sen"],
        }))
    }

    pub async fn license_list(&self) -> Result<Value> {
        let mut c = self.db.conn().await?;
        let rows = sen_db::list_licenses(&mut c).await?;
        Ok(Value::Array(
            rows.iter().map(crate::dicts::license_dict).collect(),
        ))
    }

    pub async fn tag_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let query = inp.text("query").or_else(|| inp.text("q"));
        let all_fields = inp.bool("all_fields").unwrap_or(false);
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let tags = sen_db::visible_tags(&mut c, &actor.viewer(), query.as_deref()).await?;
        Ok(if all_fields {
            json!(tags.iter().map(|t| json!({"name": t.name, "display_name": t.name, "vocabulary_id": null, "count": t.count})).collect::<Vec<_>>())
        } else {
            json!(tags.iter().map(|t| t.name.clone()).collect::<Vec<_>>())
        })
    }

    pub async fn tag_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["id", "name"])?;
        let mut inp = Input::new(data);
        let include_datasets = inp.bool("include_datasets").unwrap_or(false);
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let viewer = actor.viewer();
        let Some((tag_id, name)) = sen_db::find_tag(&mut c, &id).await? else {
            return Err(not_found("tag_not_found", "error-tag-not-found"));
        };
        let ids = sen_db::packages_with_tag(&mut c, &viewer, &tag_id).await?;
        // A tag used only on data the caller cannot see does not exist for them.
        if ids.is_empty() {
            return Err(not_found("tag_not_found", "error-tag-not-found"));
        }
        let mut d =
            json!({"id": tag_id, "name": name, "display_name": name, "vocabulary_id": null});
        if include_datasets {
            let rows = sen_db::get_packages(&mut c, &ids).await?;
            let dicts = self.package_dicts(&mut c, &rows).await?;
            d["packages"] = Value::Array(dicts);
        }
        Ok(d)
    }
}

impl Catalog {
    /// CKAN's `help_show`: what an action does, for the `help` link of every response.
    pub fn help_show(&self, data: &Dict) -> Result<Value> {
        let name = require_id(data, &["name"])?;
        if !Catalog::ACTIONS.contains(&name.as_str()) {
            return Err(not_found("action_not_found", "error-action-not-found"));
        }
        let kind = if Catalog::is_write_action(&name) {
            "Changes data: POST with a JSON body (or multipart for uploads) and an API token."
        } else {
            "Reads data: GET with query parameters or POST with a JSON body."
        };
        Ok(json!(format!(
            "{name}: the CKAN Action API v3 action of the same name. {kind} Sen's differences from CKAN are listed in docs/ckan-compatibility.md; the REST equivalent is described at /api/v1/openapi.json."
        )))
    }
}

impl Catalog {
    /// Adds a licence to the register or changes one (sysadmins; Sen's own
    /// action, CKAN keeps its register in a file). `license_update` refuses
    /// an id that does not exist yet.
    pub async fn license_save(&self, actor: &Actor, data: &Dict, create: bool) -> Result<Value> {
        let action = if create {
            "license_create"
        } else {
            "license_update"
        };
        self.require_sysadmin(actor, action)?;
        let mut inp = Input::new(data);
        let id = inp.required("id");
        let title = inp.required("title");
        let url = inp.text("url").unwrap_or_default();
        let is_open = inp.bool("is_open").unwrap_or(false);
        let is_generic = inp.bool("is_generic").unwrap_or(false);
        let data_domain = inp.bool("domain_data").unwrap_or(true);
        let content_domain = inp.bool("domain_content").unwrap_or(false);
        let software_domain = inp.bool("domain_software").unwrap_or(false);
        if !id.is_empty()
            && (id.len() > 100
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._".contains(&b)))
        {
            inp.error(
                "id",
                sen_domain::Msg::new("field-license-id").arg("value", id.as_str()),
            );
        }
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            inp.error(
                "url",
                sen_domain::Msg::new("field-bad-url").arg("value", url.as_str()),
            );
        }
        let mut c = self.db.conn().await?;
        let existing = sen_db::find_license(&mut c, &id).await?;
        drop(c);
        match (&existing, create) {
            (Some(_), true) => inp.error("id", sen_domain::Msg::new("field-name-taken")),
            (None, false) => return Err(not_found("license_not_found", "error-license-not-found")),
            _ => {}
        }
        inp.finish()?;
        let conformance = if is_open { "approved" } else { "not reviewed" };
        let row = sen_db::LicenseRow {
            id,
            title,
            url,
            od_conformance: conformance.into(),
            osd_conformance: existing
                .map(|e| e.osd_conformance)
                .unwrap_or_else(|| "not reviewed".into()),
            is_open: is_open as i64,
            is_generic: is_generic as i64,
            domain_content: content_domain as i64,
            domain_data: data_domain as i64,
            domain_software: software_domain as i64,
        };
        let mut tx = self.db.begin_write().await?;
        sen_db::upsert_license(tx.conn(), &row).await?;
        tx.commit().await?;
        Ok(crate::dicts::license_dict(&row))
    }

    /// Removes a licence no dataset uses (sysadmins).
    pub async fn license_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_sysadmin(actor, "license_delete")?;
        let id = require_id(data, &["id"])?;
        let mut tx = self.db.begin_write().await?;
        let used = sen_db::license_use_count(tx.conn(), &id).await?;
        if used > 0 {
            return Err(sen_domain::Error::new(
                sen_domain::ErrorKind::Integrity,
                "license_in_use",
                sen_domain::Msg::new("error-license-in-use").arg("count", used),
            ));
        }
        if !sen_db::delete_license(tx.conn(), &id).await? {
            return Err(not_found("license_not_found", "error-license-not-found"));
        }
        tx.commit().await?;
        Ok(Value::Null)
    }
}
