//! Resource actions: files and links of a dataset, with every uploaded file kept
//! as a version.

use crate::activity::{diff, ActivityRecord};
use crate::input::{require_id, Dict, Input};
use crate::packages::refresh_search_text;
use crate::{new_id, not_found, Actor, Catalog, Upload};
use sen_db::{Conn, ResourceRow, ResourceVersionRow};
use sen_domain::{time, Error, Msg, Result};
use serde_json::{json, Map, Value};

/// Keys with a column of their own (or computed); anything else is an extra.
const CORE_KEYS: &[&str] = &[
    "id",
    "package_id",
    "url",
    "name",
    "description",
    "format",
    "mimetype",
    "mimetype_inner",
    "size",
    "hash",
    "position",
    "created",
    "last_modified",
    "metadata_modified",
    "state",
    "url_type",
    "cache_url",
    "cache_last_updated",
    "datastore_active",
    "resource_type",
    "upload",
    "clear_upload",
    "tracking_summary",
];

pub(crate) struct ResourceDraft {
    pub id: Option<String>,
    pub row: ResourceRow,
}

/// Applies the client's fields to a resource row. With `partial`, fields not
/// given stay as they are (resource_patch); otherwise they are cleared.
pub(crate) fn apply_resource_fields(inp: &mut Input, row: &mut ResourceRow, partial: bool) {
    for field in ["name", "description", "format", "mimetype", "url"] {
        let value = inp.str(field).map(|s| s.trim().to_string());
        if value.is_none() && partial {
            continue;
        }
        let value = value.unwrap_or_default();
        match field {
            "name" => row.name = value,
            "description" => row.description = value,
            "format" => row.format = value,
            "mimetype" => row.mimetype = value,
            _ => {
                if row.url_type == "upload" && is_own_download_url(&value, row) {
                    // A client sending back the dataset as shown keeps the file.
                    continue;
                }
                if row.url_type == "upload" && (value != row.url || value.is_empty()) {
                    row.url_type = String::new();
                    row.storage_key = None;
                    row.size = None;
                    row.hash = String::new();
                }
                row.url = value;
            }
        }
    }
    let mut extras: Map<String, Value> = if partial {
        match serde_json::from_str(&row.extras) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    } else {
        Map::new()
    };
    // The extras live in the raw map; Input does not expose iteration, so read them here.
    for (k, v) in inp.entries() {
        if !CORE_KEYS.contains(&k.as_str()) {
            extras.insert(k.clone(), v.clone());
        }
    }
    row.extras = Value::Object(extras).to_string();
    if row.format.is_empty() {
        row.format = guess_format(&row.url).unwrap_or_default().to_string();
    }
}

/// Whether a resource changed in anything a client sets.
fn differs(a: &ResourceRow, b: &ResourceRow) -> bool {
    (
        &a.name,
        &a.description,
        &a.url,
        &a.url_type,
        &a.format,
        &a.mimetype,
        &a.extras,
        a.position,
        &a.storage_key,
    ) != (
        &b.name,
        &b.description,
        &b.url,
        &b.url_type,
        &b.format,
        &b.mimetype,
        &b.extras,
        b.position,
        &b.storage_key,
    )
}

fn is_own_download_url(value: &str, row: &ResourceRow) -> bool {
    value == row.url || (value.contains("/download/") && value.contains(&row.id))
}

/// The format name CKAN clients expect, from a file name or URL.
pub fn guess_format(name: &str) -> Option<&'static str> {
    let path = name.split(['?', '#']).next().unwrap_or(name);
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "csv" => "CSV",
        "tsv" => "TSV",
        "xlsx" => "XLSX",
        "xls" => "XLS",
        "ods" => "ODS",
        "json" => "JSON",
        "ndjson" | "jsonl" => "NDJSON",
        "geojson" => "GeoJSON",
        "xml" => "XML",
        "pdf" => "PDF",
        "doc" => "DOC",
        "docx" => "DOCX",
        "zip" => "ZIP",
        "txt" => "TXT",
        "html" | "htm" => "HTML",
        "parquet" => "Parquet",
        "shp" => "SHP",
        "kml" => "KML",
        "png" => "PNG",
        "jpg" | "jpeg" => "JPEG",
        "rdf" => "RDF",
        "ttl" => "Turtle",
        _ => return None,
    })
}

/// The media type to serve a file with.
pub fn guess_mimetype(name: &str) -> &'static str {
    match guess_format(name) {
        Some("CSV") => "text/csv",
        Some("TSV") => "text/tab-separated-values",
        Some("XLSX") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("XLS") => "application/vnd.ms-excel",
        Some("ODS") => "application/vnd.oasis.opendocument.spreadsheet",
        Some("JSON") => "application/json",
        Some("NDJSON") => "application/x-ndjson",
        Some("GeoJSON") => "application/geo+json",
        Some("XML") => "application/xml",
        Some("PDF") => "application/pdf",
        Some("DOC") => "application/msword",
        Some("DOCX") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("ZIP") => "application/zip",
        Some("TXT") => "text/plain",
        Some("HTML") => "text/html",
        Some("PNG") => "image/png",
        Some("JPEG") => "image/jpeg",
        Some("Turtle") => "text/turtle",
        Some("RDF") => "application/rdf+xml",
        _ => "application/octet-stream",
    }
}

/// A file name safe to store and to put in a URL path: the last path segment,
/// without control characters; Vietnamese letters are kept.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

impl Catalog {
    /// Points a resource row at an uploaded file; returns the version to record
    /// once the row is stored.
    fn attach_upload(
        &self,
        row: &mut ResourceRow,
        upload: &Upload,
        actor: &Actor,
    ) -> ResourceVersionRow {
        let filename = clean_filename(&upload.filename);
        row.url_type = "upload".into();
        row.url = filename.clone();
        row.size = Some(upload.size as i64);
        row.hash = upload.sha256.clone();
        row.storage_key = Some(upload.key.clone());
        row.last_modified = Some(time::now());
        if row.format.is_empty() {
            row.format = guess_format(&filename).unwrap_or_default().to_string();
        }
        let mimetype = match &upload.content_type {
            Some(ct) if ct != "application/octet-stream" && !ct.is_empty() => ct.clone(),
            _ => guess_mimetype(&filename).to_string(),
        };
        row.mimetype = mimetype.clone();
        ResourceVersionRow {
            id: new_id(),
            resource_id: row.id.clone(),
            storage_key: upload.key.clone(),
            filename,
            size: upload.size as i64,
            sha256: upload.sha256.clone(),
            mimetype,
            created: time::now(),
            user_id: actor.id().map(str::to_string),
        }
    }

    /// Applies a dataset's full resource list: matching ids are updated, new
    /// ones created, the ones left out removed (kept on record as deleted).
    pub(crate) async fn save_resource_list(
        &self,
        c: &mut Conn,
        package_id: &str,
        drafts: Vec<ResourceDraft>,
    ) -> Result<()> {
        let existing = sen_db::package_resources(&mut *c, package_id).await?;
        let mut kept = Vec::new();
        for d in drafts {
            let current =
                d.id.as_ref()
                    .and_then(|id| existing.iter().find(|r| &r.id == id));
            match current {
                Some(cur) => {
                    let mut row = cur.clone();
                    let mut map = Dict::new();
                    // Re-apply the client's fields over the stored upload metadata.
                    map.insert("name".into(), json!(d.row.name));
                    map.insert("description".into(), json!(d.row.description));
                    map.insert("format".into(), json!(d.row.format));
                    map.insert("mimetype".into(), json!(d.row.mimetype));
                    map.insert("url".into(), json!(d.row.url));
                    if let Ok(Value::Object(extras)) = serde_json::from_str::<Value>(&d.row.extras)
                    {
                        map.extend(extras);
                    }
                    let mut inp = Input::new(&map);
                    apply_resource_fields(&mut inp, &mut row, false);
                    row.position = d.row.position;
                    if differs(cur, &row) {
                        row.last_modified = Some(time::now());
                        sen_db::update_resource(&mut *c, &row).await?;
                    }
                    kept.push(row.id);
                }
                None => {
                    let mut row = d.row;
                    row.id =
                        d.id.filter(|id| !existing.iter().any(|r| &r.id == id))
                            .unwrap_or_else(new_id);
                    row.package_id = package_id.to_string();
                    row.state = "active".into();
                    row.created = time::now();
                    if row.url_type == "upload" {
                        row.url_type = String::new();
                    }
                    sen_db::insert_resource(&mut *c, &row).await?;
                    kept.push(row.id);
                }
            }
        }
        let now = time::now();
        for r in existing.iter().filter(|r| !kept.contains(&r.id)) {
            sen_db::mark_resource_deleted(&mut *c, &r.id, &now).await?;
        }
        Ok(())
    }

    /// The resource and its dataset when the actor may read the resource's
    /// DATA (files, datastore): the dataset is visible to them and open, or
    /// of their own agency, or their agency holds a live grant for it. Staff
    /// who see a shared dataset's metadata without a grant get
    /// `access_grant_required`.
    pub(crate) async fn readable_resource(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(ResourceRow, sen_db::PackageRow)> {
        let (r, p) = self.visible_resource(actor, id).await?;
        if self.can_read_data(actor, &p, Some(&r.id)).await? {
            Ok((r, p))
        } else {
            Err(Error::new(
                sen_domain::ErrorKind::Forbidden,
                "access_grant_required",
                Msg::new("error-access-grant-required"),
            ))
        }
    }

    /// The resource and its dataset when the actor may see its METADATA.
    pub(crate) async fn visible_resource(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(ResourceRow, sen_db::PackageRow)> {
        let mut c = self.db.conn().await?;
        let r = sen_db::find_resource(&mut c, id)
            .await?
            .filter(|r| r.state == "active");
        let Some(r) = r else {
            return Err(not_found("resource_not_found", "error-resource-not-found"));
        };
        let p = sen_db::find_package(&mut c, &r.package_id).await?;
        drop(c);
        match p {
            Some(p) if self.can_read_package(actor, &p).await? => Ok((r, p)),
            _ => Err(not_found("resource_not_found", "error-resource-not-found")),
        }
    }

    pub async fn resource_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["id"])?;
        let (r, _) = self.visible_resource(actor, &id).await?;
        Ok(crate::dicts::resource_dict(&self.config.site_url, &r))
    }

    /// The stored file of a resource the actor may read: (storage key, file name, media type, sha256).
    pub async fn resource_file(
        &self,
        actor: &Actor,
        id: &str,
        version: Option<&str>,
    ) -> Result<ResourceVersionRow> {
        let (r, p) = self.readable_resource(actor, id).await?;
        self.audit_read(actor, "resource_download", &p, Some(&r.id))
            .await?;
        let mut c = self.db.conn().await?;
        let versions = sen_db::resource_versions(&mut c, &r.id).await?;
        let found = match version {
            Some(v) => versions.into_iter().find(|x| x.id == v),
            None => versions
                .into_iter()
                .find(|x| Some(&x.storage_key) == r.storage_key.as_ref()),
        };
        found.ok_or_else(|| not_found("file_not_found", "error-file-not-found"))
    }

    pub async fn resource_versions(&self, actor: &Actor, id: &str) -> Result<Value> {
        let (r, _) = self.readable_resource(actor, id).await?;
        let mut c = self.db.conn().await?;
        let versions = sen_db::resource_versions(&mut c, &r.id).await?;
        Ok(Value::Array(
            versions
                .iter()
                .map(|v| {
                    json!({"id": v.id, "resource_id": v.resource_id, "filename": v.filename, "size": v.size,
                           "sha256": v.sha256, "mimetype": v.mimetype, "created": v.created,
                           "current": Some(&v.storage_key) == r.storage_key.as_ref()})
                })
                .collect(),
        ))
    }

    pub async fn resource_create(
        &self,
        actor: &Actor,
        data: &Dict,
        upload: Option<Upload>,
    ) -> Result<Value> {
        actor.require_user()?;
        let package_ref = require_id(data, &["package_id"])?;
        let p = self
            .editable_package(actor, &package_ref, "resource_create")
            .await?;
        let mut inp = Input::new(data);
        let mut row = ResourceRow {
            id: new_id(),
            package_id: p.id.clone(),
            state: "active".into(),
            created: time::now(),
            ..Default::default()
        };
        apply_resource_fields(&mut inp, &mut row, false);
        if upload.is_none() && row.url.is_empty() {
            inp.error("url", Msg::new("field-url-or-upload"));
        }
        inp.finish()?;
        self.write_resource(actor, &p, row, upload, true).await
    }

    pub async fn resource_update(
        &self,
        actor: &Actor,
        data: &Dict,
        upload: Option<Upload>,
        partial: bool,
    ) -> Result<Value> {
        actor.require_user()?;
        let id = require_id(data, &["id"])?;
        let (mut row, p) = self.readable_resource(actor, &id).await?;
        let action = if partial {
            "resource_patch"
        } else {
            "resource_update"
        };
        let p = self.editable_package(actor, &p.id, action).await?;
        let mut inp = Input::new(data);
        apply_resource_fields(&mut inp, &mut row, partial);
        if upload.is_none() && row.url.is_empty() {
            inp.error("url", Msg::new("field-url-or-upload"));
        }
        inp.finish()?;
        row.last_modified = Some(time::now());
        self.write_resource(actor, &p, row, upload, false).await
    }

    async fn write_resource(
        &self,
        actor: &Actor,
        p: &sen_db::PackageRow,
        mut row: ResourceRow,
        upload: Option<Upload>,
        create: bool,
    ) -> Result<Value> {
        let mut tx = self.db.begin_write().await?;
        let c = tx.conn();
        let before = self.show_package_row(&mut *c, p).await?;
        let version = upload
            .as_ref()
            .map(|u| self.attach_upload(&mut row, u, actor));
        if create {
            row.position = sen_db::next_resource_position(&mut *c, &p.id).await?;
            sen_db::insert_resource(&mut *c, &row).await?;
        } else {
            sen_db::update_resource(&mut *c, &row).await?;
        }
        if let Some(v) = &version {
            sen_db::insert_resource_version(&mut *c, v).await?;
            // In the same transaction: a stored tabular file always gets its job.
            if crate::datastore::is_tabular(&v.filename, &row.format) {
                self.queue_ingest(&mut *c, &row.id, &v.id).await?;
            }
        }
        self.record_package_change(&mut *c, actor, &p.id, &before)
            .await?;
        let saved = sen_db::find_resource(&mut *c, &row.id)
            .await?
            .ok_or_else(|| Error::internal("resource vanished"))?;
        tx.commit().await?;
        if version.is_some() {
            self.wake_workers();
        }
        self.reindex_packages(std::slice::from_ref(&p.id)).await;
        Ok(crate::dicts::resource_dict(&self.config.site_url, &saved))
    }

    /// After a resource change: the dataset's modification time, search text
    /// and a "changed package" activity with what changed.
    async fn record_package_change(
        &self,
        c: &mut Conn,
        actor: &Actor,
        package_id: &str,
        before: &Value,
    ) -> Result<()> {
        sen_db::touch_package(&mut *c, package_id, &time::now()).await?;
        refresh_search_text(&mut *c, package_id).await?;
        let stored = sen_db::find_package(&mut *c, package_id)
            .await?
            .ok_or_else(|| Error::internal("dataset vanished"))?;
        let after = self.show_package_row(&mut *c, &stored).await?;
        ActivityRecord::package("changed package", actor, &after, diff(Some(before), &after))
            .insert(&mut *c)
            .await
    }

    pub async fn resource_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let id = require_id(data, &["id"])?;
        let (row, p) = self.readable_resource(actor, &id).await?;
        let p = self
            .editable_package(actor, &p.id, "resource_delete")
            .await?;
        let mut tx = self.db.begin_write().await?;
        let c = tx.conn();
        let before = self.show_package_row(&mut *c, &p).await?;
        let now = time::now();
        sen_db::mark_resource_deleted(&mut *c, &row.id, &now).await?;
        self.record_package_change(&mut *c, actor, &p.id, &before)
            .await?;
        tx.commit().await?;
        self.reindex_packages(std::slice::from_ref(&p.id)).await;
        Ok(Value::Null)
    }

    /// CKAN's `package_resource_reorder`: `order` lists resource ids, first first.
    pub async fn resource_reorder(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["id"])?;
        let p = self
            .editable_package(actor, &id, "package_resource_reorder")
            .await?;
        let mut inp = Input::new(data);
        let order = inp.string_list("order").unwrap_or_default();
        inp.finish()?;
        let mut tx = self.db.begin_write().await?;
        let c = tx.conn();
        let mut resources = sen_db::package_resources(&mut *c, &p.id).await?;
        for id in &order {
            if !resources.iter().any(|r| &r.id == id) {
                return Err(Error::field(
                    "order",
                    Msg::new("field-unknown-resource").arg("value", id),
                ));
            }
        }
        resources.sort_by_key(|r| order.iter().position(|o| o == &r.id).unwrap_or(usize::MAX));
        for (i, r) in resources.iter_mut().enumerate() {
            r.position = i as i64;
            sen_db::update_resource(&mut *c, r).await?;
        }
        sen_db::touch_package(&mut *c, &p.id, &time::now()).await?;
        tx.commit().await?;
        self.reindex_packages(std::slice::from_ref(&p.id)).await;
        Ok(json!({"id": p.id, "order": resources.iter().map(|r| r.id.clone()).collect::<Vec<_>>()}))
    }
}
