//! Dataset actions: show, list, create, update, patch, delete.

use crate::activity::{diff, ActivityRecord};
use crate::input::{is_email, require_id, Dict, Input};
use crate::resources::{apply_resource_fields, ResourceDraft};
use crate::{new_id, not_found, Catalog};
use sen_db::{Conn, PackageRow, ResourceRow};
use sen_domain::names::{self, NameProblem};
use sen_domain::{fold::fold, time, AccessLevel, Capacity, DataClass, Error, Msg, Result};
use serde_json::{json, Value};

/// Scalar text fields a client sets directly, with their column.
const TEXT_FIELDS: &[&str] = &[
    "title",
    "notes",
    "url",
    "version",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "frequency",
    "language",
    "spatial",
    "temporal_start",
    "temporal_end",
    "conforms_to",
    "identifier",
    "contact_name",
    "contact_email",
];

/// Keys that are part of the package schema and so cannot be extras.
pub(crate) const CORE_KEYS: &[&str] = &[
    "id",
    "name",
    "title",
    "notes",
    "url",
    "version",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "license_id",
    "owner_org",
    "type",
    "state",
    "private",
    "access_level",
    "data_class",
    "frequency",
    "language",
    "spatial",
    "temporal_start",
    "temporal_end",
    "conforms_to",
    "identifier",
    "contact_name",
    "contact_email",
    "tags",
    "tag_string",
    "groups",
    "resources",
    "extras",
    "organization",
    "metadata_created",
    "metadata_modified",
    "creator_user_id",
    "num_resources",
    "num_tags",
    "license_title",
    "license_url",
    "isopen",
    "relationships_as_object",
    "relationships_as_subject",
    "access_rights",
    "harvest_source_id",
    "harvest_source_name",
    "harvest_source_title",
    "harvest_object_id",
    "harvest_object_url",
    "harvest_last_harvested",
];

/// A validated dataset ready to be saved.
pub(crate) struct PackageDraft {
    pub row: PackageRow,
    pub tags: Option<Vec<String>>,
    pub group_ids: Option<Vec<String>>,
    pub resources: Option<Vec<ResourceDraft>>,
}

fn set_text(row: &mut PackageRow, field: &str, value: String) {
    let slot = match field {
        "title" => &mut row.title,
        "notes" => &mut row.notes,
        "url" => &mut row.url,
        "version" => &mut row.version,
        "author" => &mut row.author,
        "author_email" => &mut row.author_email,
        "maintainer" => &mut row.maintainer,
        "maintainer_email" => &mut row.maintainer_email,
        "frequency" => &mut row.frequency,
        "language" => &mut row.language,
        "spatial" => &mut row.spatial,
        "temporal_start" => &mut row.temporal_start,
        "temporal_end" => &mut row.temporal_end,
        "conforms_to" => &mut row.conforms_to,
        "identifier" => &mut row.identifier,
        "contact_name" => &mut row.contact_name,
        "contact_email" => &mut row.contact_email,
        _ => return,
    };
    *slot = value;
}

pub(crate) fn name_problem_msg(p: NameProblem) -> Msg {
    match p {
        NameProblem::TooShort => Msg::new("field-name-too-short").arg("min", names::MIN_LEN),
        NameProblem::TooLong => Msg::new("field-name-too-long").arg("max", names::MAX_LEN),
        NameProblem::BadCharacters => Msg::new("field-name-characters"),
    }
}

pub(crate) fn check_tag(inp: &mut Input, tag: &str) {
    let len = tag.chars().count();
    if !(2..=100).contains(&len) {
        inp.error(
            "tags",
            Msg::new("field-tag-length").arg("min", 2).arg("max", 100),
        );
    } else if !tag
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
    {
        inp.error("tags", Msg::new("field-tag-characters").arg("value", tag));
    }
}

impl Catalog {
    /// Whether the actor may see this dataset at all.
    pub(crate) async fn can_read_package(
        &self,
        actor: &crate::Actor,
        p: &PackageRow,
    ) -> Result<bool> {
        if actor.is_sysadmin() {
            return Ok(true);
        }
        let cap = self.capacity_in(actor, &p.owner_org).await?;
        Ok(match p.state.as_str() {
            "active" => {
                p.access_level == "open"
                    || cap.is_some()
                    || (p.access_level == "shared" && self.is_staff(actor).await?)
            }
            "draft" => {
                cap.is_some_and(|c| c >= Capacity::Editor)
                    || actor
                        .id()
                        .is_some_and(|id| p.creator_user_id.as_deref() == Some(id))
            }
            _ => cap.is_some_and(|c| c >= Capacity::Editor),
        })
    }

    /// Whether the actor may read the data (files, datastore tables) of a
    /// dataset whose metadata they can see: open data, their own agency's,
    /// or a shared dataset their agency holds a live grant for (the whole
    /// dataset, or `resource_id` among the granted resources).
    pub(crate) async fn can_read_data(
        &self,
        actor: &crate::Actor,
        p: &PackageRow,
        resource_id: Option<&str>,
    ) -> Result<bool> {
        if actor.is_sysadmin() || (p.access_level == "open" && p.state == "active") {
            return Ok(true);
        }
        if self.capacity_in(actor, &p.owner_org).await?.is_some() {
            return Ok(true);
        }
        let Some(user) = &actor.user else {
            return Ok(false);
        };
        if p.access_level != "shared" {
            return Ok(false);
        }
        let mut c = self.db.conn().await?;
        sen_db::has_live_grant(
            &mut c,
            &user.id,
            &p.id,
            resource_id,
            &sen_domain::time::now(),
        )
        .await
    }

    /// The dataset named by `id` (or `name`), or Not Found when it does not
    /// exist *for this actor*: non-open data never reveals its existence.
    pub(crate) async fn readable_package(
        &self,
        actor: &crate::Actor,
        data: &Dict,
    ) -> Result<PackageRow> {
        let id = require_id(data, &["id", "name"])?;
        let mut c = self.db.conn().await?;
        let row = sen_db::find_package(&mut c, &id).await?;
        drop(c);
        match row {
            Some(p) if self.can_read_package(actor, &p).await? => Ok(p),
            _ => Err(not_found("dataset_not_found", "error-dataset-not-found")),
        }
    }

    pub(crate) async fn editable_package(
        &self,
        actor: &crate::Actor,
        id: &str,
        action: &str,
    ) -> Result<PackageRow> {
        actor.require_user()?;
        let mut c = self.db.conn().await?;
        let row = sen_db::find_package(&mut c, id).await?;
        drop(c);
        let Some(p) = row else {
            return Err(not_found("dataset_not_found", "error-dataset-not-found"));
        };
        if !self.can_read_package(actor, &p).await? {
            return Err(not_found("dataset_not_found", "error-dataset-not-found"));
        }
        self.require_capacity(actor, &p.owner_org, Capacity::Editor, action)
            .await?;
        Ok(p)
    }

    pub(crate) async fn show_package_row(&self, c: &mut Conn, p: &PackageRow) -> Result<Value> {
        let mut dicts = self.package_dicts(c, std::slice::from_ref(p)).await?;
        dicts
            .pop()
            .ok_or_else(|| Error::internal("package dict missing"))
    }

    pub async fn package_show(&self, actor: &crate::Actor, data: &Dict) -> Result<Value> {
        let p = self.readable_package(actor, data).await?;
        self.audit_read(actor, "package_show", &p, None).await?;
        let mut c = self.db.conn().await?;
        self.show_package_row(&mut c, &p).await
    }

    pub async fn package_list(&self, actor: &crate::Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let limit = inp.int("limit");
        let offset = inp.int_in("offset", 0, 0, i64::MAX);
        if let Some(l) = limit {
            if l < 0 {
                inp.error(
                    "limit",
                    Msg::new("field-integer-range")
                        .arg("min", 0)
                        .arg("max", i64::MAX),
                );
            }
        }
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let names = sen_db::list_package_names(&mut c, &actor.viewer(), limit, offset).await?;
        Ok(json!(names))
    }

    /// Validates a dataset dictionary. `existing` is the stored row on update:
    /// list fields the client leaves out (tags, groups, resources, extras) are
    /// kept, as CKAN does; scalar fields left out are cleared — except the access
    /// level, which is kept so a client unaware of it never opens data by omission.
    pub(crate) async fn validate_package(
        &self,
        actor: &crate::Actor,
        data: &Dict,
        existing: Option<&PackageRow>,
    ) -> Result<PackageDraft> {
        let mut c = self.db.conn().await?;
        let mut inp = Input::new(data);
        let now = time::now();
        let mut row = match existing {
            Some(e) => PackageRow {
                id: e.id.clone(),
                creator_user_id: e.creator_user_id.clone(),
                created: e.created.clone(),
                extras: e.extras.clone(),
                ..Default::default()
            },
            None => PackageRow {
                id: new_id(),
                creator_user_id: actor.id().map(str::to_string),
                created: now.clone(),
                extras: "[]".into(),
                ..Default::default()
            },
        };
        row.modified = now;

        // name
        let name = inp.required("name");
        if !name.is_empty() {
            match names::check(&name) {
                Err(p) => inp.error("name", name_problem_msg(p)),
                Ok(()) => {
                    if let Some(other) = sen_db::find_package(&mut c, &name).await? {
                        if other.id != row.id {
                            inp.error("name", Msg::new("field-name-taken"));
                        }
                    }
                }
            }
        }
        row.name = name;

        for field in TEXT_FIELDS {
            if let Some(v) = inp.str(field) {
                set_text(&mut row, field, v.trim().to_string());
            }
        }
        for field in ["author_email", "maintainer_email", "contact_email"] {
            let v = match field {
                "author_email" => &row.author_email,
                "maintainer_email" => &row.maintainer_email,
                _ => &row.contact_email,
            };
            if !v.is_empty() && !is_email(v) {
                let msg = Msg::new("field-bad-email").arg("value", v);
                inp.error(field, msg);
            }
        }
        for field in ["temporal_start", "temporal_end"] {
            let v = if field == "temporal_start" {
                &row.temporal_start
            } else {
                &row.temporal_end
            };
            if !v.is_empty() && time::parse_date(v).is_none() {
                let msg = Msg::new("field-bad-date").arg("value", v);
                inp.error(field, msg);
            }
        }

        // licence
        if let Some(l) = inp.text("license_id") {
            if sen_db::find_license(&mut c, &l).await?.is_none() {
                inp.error(
                    "license_id",
                    Msg::new("field-unknown-license").arg("value", &l),
                );
            }
            row.license_id = l;
        }

        // type and state
        row.kind = inp.text("type").unwrap_or_else(|| "dataset".into());
        row.state = match inp.text("state").as_deref() {
            None => existing
                .map(|e| e.state.clone())
                .filter(|s| s != "deleted")
                .unwrap_or_else(|| "active".into()),
            Some(s @ ("active" | "draft")) => s.to_string(),
            Some(other) => {
                inp.error(
                    "state",
                    Msg::new("field-bad-choice")
                        .arg("value", other)
                        .arg("choices", "active, draft"),
                );
                "active".into()
            }
        };

        // owner organisation
        let org_ref = inp.text("owner_org");
        let mut org_ok = false;
        match org_ref {
            Some(r) => match sen_db::find_group(&mut c, &r, true)
                .await?
                .filter(|g| g.state == "active")
            {
                Some(g) => {
                    row.owner_org = g.id;
                    org_ok = true;
                }
                None => inp.error(
                    "owner_org",
                    Msg::new("field-unknown-organization").arg("value", &r),
                ),
            },
            None => match existing {
                Some(e) => {
                    row.owner_org = e.owner_org.clone();
                    org_ok = true;
                }
                None => inp.error("owner_org", Msg::new("field-missing")),
            },
        }

        // access level, data class, private
        let level_in = inp.text("access_level");
        let private = inp.bool("private");
        let class_in = inp.text("data_class");
        let mut level = match &level_in {
            Some(l) => AccessLevel::parse(l).unwrap_or_else(|| {
                inp.error(
                    "access_level",
                    Msg::new("field-bad-choice")
                        .arg("value", l)
                        .arg("choices", "open, shared, internal"),
                );
                AccessLevel::Internal
            }),
            None => match (private, existing) {
                (Some(true), Some(e)) if e.access_level != "open" => {
                    AccessLevel::parse(&e.access_level).unwrap_or(AccessLevel::Internal)
                }
                (Some(true), _) => AccessLevel::Internal,
                (Some(false), _) => AccessLevel::Open,
                (None, Some(e)) => {
                    AccessLevel::parse(&e.access_level).unwrap_or(AccessLevel::Internal)
                }
                (None, None) => AccessLevel::Open,
            },
        };
        if let (Some(_), Some(p)) = (&level_in, private) {
            if p != level.is_private() {
                inp.error("private", Msg::new("field-private-conflict"));
            }
        }
        let class = match &class_in {
            Some(s) => DataClass::parse(s).unwrap_or_else(|| {
                inp.error(
                    "data_class",
                    Msg::new("field-bad-choice")
                        .arg("value", s)
                        .arg("choices", "ordinary, important, core"),
                );
                DataClass::Ordinary
            }),
            None => existing
                .and_then(|e| DataClass::parse(&e.data_class))
                .unwrap_or_default(),
        };
        if !class.allows(level) {
            inp.error("access_level", Msg::new("field-open-not-allowed"));
            level = AccessLevel::Internal;
        }
        row.access_level = level.as_str().into();
        row.data_class = class.as_str().into();

        // tags
        let mut tags: Option<Vec<String>> = None;
        if inp.has("tags") {
            let mut names = Vec::new();
            for t in inp.list("tags").unwrap_or_default() {
                match t {
                    Value::Object(o) => match o.get("name").and_then(Value::as_str) {
                        Some(n) => names.push(n.trim().to_string()),
                        None => inp.error("tags", Msg::new("field-missing")),
                    },
                    Value::String(s) => names.push(s.trim().to_string()),
                    _ => inp.error("tags", Msg::new("field-not-object")),
                }
            }
            tags = Some(names);
        } else if inp.has("tag_string") {
            tags = Some(inp.string_list("tag_string").unwrap_or_default());
        }
        if let Some(list) = &mut tags {
            for t in list.iter() {
                check_tag(&mut inp, t);
            }
            list.sort();
            list.dedup();
        }

        // topics
        let mut group_ids: Option<Vec<String>> = None;
        if inp.has("groups") {
            let mut ids = Vec::new();
            for g in inp.list("groups").unwrap_or_default() {
                let key = match &g {
                    Value::Object(o) => o
                        .get("id")
                        .or_else(|| o.get("name"))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    Value::String(s) => Some(s.clone()),
                    _ => None,
                };
                match key {
                    Some(k) => match sen_db::find_group(&mut c, &k, false)
                        .await?
                        .filter(|g| g.state == "active")
                    {
                        Some(g) => ids.push(g.id),
                        None => {
                            inp.error("groups", Msg::new("field-unknown-group").arg("value", &k))
                        }
                    },
                    None => inp.error("groups", Msg::new("field-not-object")),
                }
            }
            ids.sort();
            ids.dedup();
            group_ids = Some(ids);
        }

        // extras
        if inp.has("extras") {
            let mut extras = Vec::new();
            for e in inp.list("extras").unwrap_or_default() {
                let Value::Object(o) = e else {
                    inp.error("extras", Msg::new("field-not-object"));
                    continue;
                };
                let Some(key) = o
                    .get("key")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                else {
                    inp.error("extras", Msg::new("field-missing"));
                    continue;
                };
                if CORE_KEYS.contains(&key) {
                    inp.error(
                        "extras",
                        Msg::new("field-duplicate-extra").arg("value", key),
                    );
                    continue;
                }
                let value = match o.get("value") {
                    Some(Value::String(s)) => s.clone(),
                    None | Some(Value::Null) => String::new(),
                    Some(other) => other.to_string(),
                };
                extras.push(json!({"key": key, "value": value}));
            }
            extras.sort_by(|a, b| a["key"].as_str().cmp(&b["key"].as_str()));
            row.extras = Value::Array(extras).to_string();
        }

        // resources
        let mut resources = None;
        if inp.has("resources") {
            let mut drafts = Vec::new();
            for (i, r) in inp
                .list("resources")
                .unwrap_or_default()
                .into_iter()
                .enumerate()
            {
                let Value::Object(map) = r else {
                    inp.error("resources", Msg::new("field-not-object"));
                    continue;
                };
                let mut rinp = Input::new(&map);
                let mut draft = ResourceDraft {
                    id: rinp.text("id"),
                    row: ResourceRow::default(),
                };
                draft.row.position = i as i64;
                apply_resource_fields(&mut rinp, &mut draft.row, false);
                if let Err(e) = rinp.finish() {
                    for (field, msgs) in e.fields {
                        for m in msgs {
                            inp.error(&format!("resources__{i}__{field}"), m);
                        }
                    }
                }
                drafts.push(draft);
            }
            resources = Some(drafts);
        }
        drop(c);
        inp.finish()?;

        if org_ok {
            let action = if existing.is_some() {
                "package_update"
            } else {
                "package_create"
            };
            self.require_capacity(actor, &row.owner_org, Capacity::Editor, action)
                .await?;
            if let Some(e) = existing {
                // Moving a dataset needs the right to publish in both organisations.
                if e.owner_org != row.owner_org {
                    self.require_capacity(actor, &e.owner_org, Capacity::Editor, action)
                        .await?;
                }
            }
        }
        Ok(PackageDraft {
            row,
            tags,
            group_ids,
            resources,
        })
    }

    /// Writes a validated dataset, its lists and its search text in one transaction.
    async fn save_package(
        &self,
        actor: &crate::Actor,
        draft: PackageDraft,
        before: Option<Value>,
    ) -> Result<Value> {
        let id = draft.row.id.clone();
        let mut tx = self.db.begin_write().await?;
        let after = self
            .write_package(tx.conn(), actor, draft, before.as_ref())
            .await?;
        tx.commit().await?;
        self.reindex_packages(&[id]).await;
        Ok(after)
    }

    /// Writes a validated dataset, its lists, its search text and the activity
    /// inside the caller's transaction; the caller commits and re-indexes.
    pub(crate) async fn write_package(
        &self,
        c: &mut Conn,
        actor: &crate::Actor,
        draft: PackageDraft,
        before: Option<&Value>,
    ) -> Result<Value> {
        if before.is_some() {
            sen_db::update_package(&mut *c, &draft.row).await?;
        } else {
            sen_db::insert_package(&mut *c, &draft.row).await?;
        }
        let id = draft.row.id.clone();
        if let Some(tags) = &draft.tags {
            sen_db::set_package_tags(&mut *c, &id, tags, new_id).await?;
        }
        if let Some(groups) = &draft.group_ids {
            sen_db::set_package_groups(&mut *c, &id, groups).await?;
        }
        if let Some(resources) = draft.resources {
            self.save_resource_list(&mut *c, &id, resources).await?;
        }
        refresh_search_text(&mut *c, &id).await?;
        let stored = sen_db::find_package(&mut *c, &id)
            .await?
            .ok_or_else(|| Error::internal("saved dataset vanished"))?;
        let after = self.show_package_row(&mut *c, &stored).await?;
        let kind = if before.is_some() {
            "changed package"
        } else {
            "new package"
        };
        ActivityRecord::package(kind, actor, &after, diff(before, &after))
            .insert(&mut *c)
            .await?;
        Ok(after)
    }

    /// Marks a dataset deleted inside the caller's transaction, with its activity.
    pub(crate) async fn write_package_deleted(
        &self,
        c: &mut Conn,
        actor: &crate::Actor,
        mut existing: PackageRow,
    ) -> Result<()> {
        existing.state = "deleted".into();
        existing.modified = time::now();
        sen_db::update_package(&mut *c, &existing).await?;
        let after = self.show_package_row(&mut *c, &existing).await?;
        ActivityRecord::package("deleted package", actor, &after, Vec::new())
            .insert(&mut *c)
            .await
    }

    pub async fn package_create(&self, actor: &crate::Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let draft = self.validate_package(actor, data, None).await?;
        self.save_package(actor, draft, None)
            .await
            .map_err(name_race)
    }

    pub async fn package_update(&self, actor: &crate::Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["id", "name"])?;
        let existing = self.editable_package(actor, &id, "package_update").await?;
        let mut data = data.clone();
        if !data.contains_key("name") {
            data.insert("name".into(), json!(existing.name));
        }
        let before = {
            let mut c = self.db.conn().await?;
            self.show_package_row(&mut c, &existing).await?
        };
        let draft = self.validate_package(actor, &data, Some(&existing)).await?;
        self.save_package(actor, draft, Some(before))
            .await
            .map_err(name_race)
    }

    /// Changes only the fields given, as CKAN's `package_patch`.
    pub async fn package_patch(&self, actor: &crate::Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["id", "name"])?;
        let existing = self.editable_package(actor, &id, "package_patch").await?;
        let before = {
            let mut c = self.db.conn().await?;
            self.show_package_row(&mut c, &existing).await?
        };
        let Value::Object(mut merged) = before.clone() else {
            return Err(Error::internal("package dict is not an object"));
        };
        for (k, v) in data {
            if k != "id" {
                merged.insert(k.clone(), v.clone());
            }
        }
        merged.insert("id".into(), json!(existing.id));
        // A patch of `private` alone must not be overridden by the stored level.
        if data.contains_key("private") && !data.contains_key("access_level") {
            merged.remove("access_level");
        }
        let draft = self
            .validate_package(actor, &merged, Some(&existing))
            .await?;
        self.save_package(actor, draft, Some(before))
            .await
            .map_err(name_race)
    }

    pub async fn package_delete(&self, actor: &crate::Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["id", "name"])?;
        let existing = self.editable_package(actor, &id, "package_delete").await?;
        if existing.state == "deleted" {
            return Ok(Value::Null);
        }
        let id = existing.id.clone();
        let mut tx = self.db.begin_write().await?;
        self.write_package_deleted(tx.conn(), actor, existing)
            .await?;
        tx.commit().await?;
        self.reindex_packages(std::slice::from_ref(&id)).await;
        Ok(Value::Null)
    }
}

/// Two creates racing for one name: the loser sees the same validation error as
/// if it had come second.
fn name_race(e: Error) -> Error {
    if e.code == "duplicate" {
        Error::field("name", Msg::new("field-name-taken"))
    } else {
        e
    }
}

/// Recomputes the folded text the first search version matches against.
pub(crate) async fn refresh_search_text(c: &mut Conn, package_id: &str) -> Result<()> {
    let Some(mut p) = sen_db::find_package(&mut *c, package_id).await? else {
        return Ok(());
    };
    let mut parts = vec![
        p.name.clone(),
        p.title.clone(),
        p.notes.clone(),
        p.spatial.clone(),
    ];
    for (_, t) in sen_db::package_tags(&mut *c, package_id).await? {
        parts.push(t);
    }
    if let Some(org) = sen_db::get_group(&mut *c, &p.owner_org).await? {
        parts.push(org.name);
        parts.push(org.title);
    }
    for gid in sen_db::package_group_ids(&mut *c, package_id).await? {
        if let Some(g) = sen_db::get_group(&mut *c, &gid).await? {
            parts.push(g.title);
        }
    }
    for r in sen_db::package_resources(&mut *c, package_id).await? {
        parts.push(r.name);
        parts.push(r.format);
    }
    if let Value::Array(extras) = crate::dicts::json_column(&p.extras, json!([])) {
        for e in extras {
            if let Some(v) = e.get("value").and_then(Value::as_str) {
                parts.push(v.to_string());
            }
        }
    }
    // Words separated by single spaces, with a space at each end, so the first
    // search version can match whole words with `LIKE '% word %'`.
    let folded = fold(&parts.join(" "));
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    p.search_text = format!(" {} ", words.join(" "));
    sen_db::update_package(&mut *c, &p).await
}
