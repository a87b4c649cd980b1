//! Site-wide actions: status, licences, tags.

use crate::input::{require_id, Dict, Input};
use crate::{not_found, Actor, Catalog};
use sen_domain::Result;
use serde_json::{json, Value};

/// The CKAN version whose API Sen speaks; clients check it to pick features.
pub const CKAN_API_VERSION: &str = "2.10.4";

impl Catalog {
    pub async fn status_show(&self) -> Result<Value> {
        Ok(json!({
            "site_title": self.config.site_title,
            "site_description": self.config.site_description,
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
