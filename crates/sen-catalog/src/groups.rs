//! Organisation and topic actions (CKAN's `organization_*`, `group_*` and
//! `member_*`): one implementation, since CKAN stores both as groups.

use crate::activity::{diff, ActivityRecord};
use crate::auth::forbidden;
use crate::dicts::{group_summary, json_column, user_dict};
use crate::input::{require_id, Dict, Input};
use crate::packages::name_problem_msg;
use crate::{new_id, not_found, Actor, Catalog};
use sen_db::{Conn, GroupListQuery, GroupRow};
use sen_domain::{names, time, Capacity, Error, Msg, OrgKind, Result};
use serde_json::{json, Value};
use std::collections::HashMap;

fn not_found_group(is_org: bool) -> Error {
    if is_org {
        not_found("organization_not_found", "error-organization-not-found")
    } else {
        not_found("group_not_found", "error-group-not-found")
    }
}

fn action(is_org: bool, verb: &str) -> String {
    format!("{}_{verb}", if is_org { "organization" } else { "group" })
}

impl Catalog {
    async fn find_active_group(&self, c: &mut Conn, id: &str, is_org: bool) -> Result<GroupRow> {
        sen_db::find_group(c, id, is_org)
            .await?
            .filter(|g| g.state == "active")
            .ok_or_else(|| not_found_group(is_org))
    }

    async fn group_dict(&self, c: &mut Conn, g: &GroupRow, package_count: i64) -> Result<Value> {
        let mut d = group_summary(g);
        let o = d
            .as_object_mut()
            .ok_or_else(|| Error::internal("group dict"))?;
        o.insert("package_count".into(), json!(package_count));
        o.insert("extras".into(), json_column(&g.extras, json!([])));
        o.insert("num_followers".into(), json!(0));
        if g.is_organization != 0 {
            let parent = match &g.parent_id {
                Some(pid) => sen_db::get_group(&mut *c, pid)
                    .await?
                    .map(|p| json!({"id": p.id, "name": p.name, "title": p.title})),
                None => None,
            };
            let successor = match &g.successor_id {
                Some(sid) => sen_db::get_group(&mut *c, sid)
                    .await?
                    .map(|s| json!({"id": s.id, "name": s.name, "title": s.title})),
                None => None,
            };
            let children: Vec<Value> = sen_db::children(&mut *c, &g.id)
                .await?
                .iter()
                .map(|ch| json!({"id": ch.id, "name": ch.name, "title": ch.title}))
                .collect();
            o.insert("parent".into(), parent.unwrap_or(Value::Null));
            o.insert("successor".into(), successor.unwrap_or(Value::Null));
            o.insert("children".into(), Value::Array(children));
        }
        Ok(d)
    }

    async fn counts(
        &self,
        c: &mut Conn,
        actor: &Actor,
        is_org: bool,
    ) -> Result<HashMap<String, i64>> {
        Ok(sen_db::visible_package_counts(c, &actor.viewer(), is_org)
            .await?
            .into_iter()
            .collect())
    }

    pub async fn group_list(&self, actor: &Actor, data: &Dict, is_org: bool) -> Result<Value> {
        let mut inp = Input::new(data);
        let all_fields = inp.bool("all_fields").unwrap_or(false);
        let sort = inp.text("sort").unwrap_or_else(|| "title asc".into());
        let limit = inp.int("limit");
        let offset = inp.int_in("offset", 0, 0, i64::MAX);
        let q = inp.text("q");
        let names_key = if is_org { "organizations" } else { "groups" };
        let names = if inp.has(names_key) {
            inp.string_list(names_key).unwrap_or_default()
        } else {
            Vec::new()
        };
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let counts = self.counts(&mut c, actor, is_org).await?;
        let by_count = sort.starts_with("package_count");
        let query = GroupListQuery {
            is_org,
            q: q.as_deref(),
            names: &names,
            sort: &sort,
            limit: if by_count { None } else { limit },
            offset: if by_count { 0 } else { offset },
        };
        let mut rows = sen_db::list_groups(&mut c, &query).await?;
        if by_count {
            let desc = !sort.ends_with("asc");
            rows.sort_by_key(|g| counts.get(&g.id).copied().unwrap_or(0));
            if desc {
                rows.reverse();
            }
            let start = (offset as usize).min(rows.len());
            let end = limit.map_or(rows.len(), |l| (start + l.max(0) as usize).min(rows.len()));
            rows = rows[start..end].to_vec();
        }
        if !all_fields {
            return Ok(json!(rows
                .iter()
                .map(|g| g.name.clone())
                .collect::<Vec<_>>()));
        }
        let mut out = Vec::new();
        for g in &rows {
            out.push(
                self.group_dict(&mut c, g, counts.get(&g.id).copied().unwrap_or(0))
                    .await?,
            );
        }
        Ok(Value::Array(out))
    }

    pub async fn group_show(&self, actor: &Actor, data: &Dict, is_org: bool) -> Result<Value> {
        let id = require_id(data, &["id", "name"])?;
        let mut inp = Input::new(data);
        let include_datasets = inp.bool("include_datasets").unwrap_or(false);
        let include_users = inp.bool("include_users").unwrap_or(true);
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let g = self.find_active_group(&mut c, &id, is_org).await?;
        let counts = self.counts(&mut c, actor, is_org).await?;
        let mut d = self
            .group_dict(&mut c, &g, counts.get(&g.id).copied().unwrap_or(0))
            .await?;
        if include_users {
            let members = sen_db::members(&mut c, &g.id).await?;
            d["users"] = json!(members
                .iter()
                .map(|m| json!({"id": m.user_id, "name": m.user_name, "capacity": m.capacity}))
                .collect::<Vec<_>>());
        }
        if include_datasets {
            let filter = if is_org {
                sen_db::FilterField::OwnerOrg
            } else {
                sen_db::FilterField::Groups
            };
            let value = if is_org { g.id.clone() } else { g.name.clone() };
            let pq = sen_db::PackageQuery {
                viewer: actor.viewer(),
                words: Vec::new(),
                filters: vec![sen_db::Filter {
                    field: filter,
                    values: vec![value],
                    negate: false,
                }],
                include_private: true,
                include_drafts: false,
                sort: vec![("metadata_modified".into(), true)],
                rows: 1000,
                start: 0,
            };
            let (ids, _) = sen_db::search_packages(&mut c, &pq).await?;
            let mut rows = sen_db::get_packages(&mut c, &ids).await?;
            rows.sort_by_key(|r| ids.iter().position(|i| i == &r.id));
            d["packages"] = Value::Array(self.package_dicts(&mut c, &rows).await?);
        }
        Ok(d)
    }

    /// Validates an organisation or topic dictionary over `base`.
    async fn validate_group(
        &self,
        c: &mut Conn,
        data: &Dict,
        mut row: GroupRow,
        partial: bool,
    ) -> Result<GroupRow> {
        let mut inp = Input::new(data);
        let is_org = row.is_organization != 0;
        if !partial || inp.has("name") {
            let name = inp.required("name");
            if !name.is_empty() {
                match names::check(&name) {
                    Err(p) => inp.error("name", name_problem_msg(p)),
                    Ok(()) => {
                        let taken = match sen_db::find_group(&mut *c, &name, true).await? {
                            Some(g) => g.id != row.id,
                            None => sen_db::find_group(&mut *c, &name, false)
                                .await?
                                .is_some_and(|g| g.id != row.id),
                        };
                        if taken {
                            inp.error("name", Msg::new("field-name-taken"));
                        }
                    }
                }
            }
            row.name = name;
        }
        for field in ["title", "description", "image_url"] {
            let v = inp.str(field).map(|s| s.trim().to_string());
            if v.is_none() && partial {
                continue;
            }
            let v = v.unwrap_or_default();
            match field {
                "title" => row.title = v,
                "description" => row.description = v,
                _ => row.image_url = v,
            }
        }
        if inp.has("extras") || !partial {
            let mut extras = Vec::new();
            for e in inp.list("extras").unwrap_or_default() {
                match (e.get("key").and_then(Value::as_str), e.get("value")) {
                    (Some(k), v) => extras.push(json!({"key": k, "value": v.map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).unwrap_or_default()})),
                    _ => inp.error("extras", Msg::new("field-missing")),
                }
            }
            row.extras = Value::Array(extras).to_string();
        }
        if is_org {
            if let Some(kind) = inp.text("kind") {
                match OrgKind::parse(&kind) {
                    Some(k) => row.kind = k.as_str().into(),
                    None => inp.error(
                        "kind",
                        Msg::new("field-bad-choice")
                            .arg("value", &kind)
                            .arg("choices", "ministry, province, agency, department, other"),
                    ),
                }
            } else if !partial {
                row.kind = "other".into();
            }
            for field in ["valid_from", "valid_to"] {
                let v = inp.text(field);
                if v.is_none() && partial && inp.has(field) {
                    // explicit null or "" clears
                } else if v.is_none() && partial {
                    continue;
                }
                if let Some(d) = &v {
                    if time::parse_date(d).is_none() {
                        inp.error(field, Msg::new("field-bad-date").arg("value", d));
                    }
                }
                if field == "valid_from" {
                    row.valid_from = v
                } else {
                    row.valid_to = v
                }
            }
            for field in ["parent", "successor"] {
                if partial && !inp.has(field) {
                    continue;
                }
                let target = match inp.text(field) {
                    None => None,
                    Some(r) => match sen_db::find_group(&mut *c, &r, true).await? {
                        Some(g) => Some(g.id),
                        None => {
                            inp.error(
                                field,
                                Msg::new("field-unknown-organization").arg("value", &r),
                            );
                            None
                        }
                    },
                };
                if field == "parent" {
                    if let Some(pid) = &target {
                        if self.is_ancestor_or_self(&mut *c, &row.id, pid).await? {
                            inp.error("parent", Msg::new("field-parent-cycle"));
                        }
                    }
                    row.parent_id = target;
                } else {
                    if target.as_deref() == Some(row.id.as_str()) {
                        inp.error("successor", Msg::new("field-successor-self"));
                    }
                    row.successor_id = target;
                }
            }
        }
        inp.finish()?;
        Ok(row)
    }

    /// Whether `group_id` is `candidate` or one of its ancestors.
    async fn is_ancestor_or_self(
        &self,
        c: &mut Conn,
        group_id: &str,
        candidate: &str,
    ) -> Result<bool> {
        let mut current = Some(candidate.to_string());
        let mut steps = 0;
        while let Some(id) = current {
            if id == group_id {
                return Ok(true);
            }
            steps += 1;
            if steps > 64 {
                return Ok(true);
            }
            current = sen_db::get_group(&mut *c, &id)
                .await?
                .and_then(|g| g.parent_id);
        }
        Ok(false)
    }

    pub async fn group_create(&self, actor: &Actor, data: &Dict, is_org: bool) -> Result<Value> {
        let act = action(is_org, "create");
        self.require_sysadmin(actor, &act)?;
        let now = time::now();
        let base = GroupRow {
            id: new_id(),
            name: String::new(),
            title: String::new(),
            description: String::new(),
            image_url: String::new(),
            is_organization: is_org as i64,
            kind: "other".into(),
            parent_id: None,
            successor_id: None,
            valid_from: None,
            valid_to: None,
            extras: "[]".into(),
            state: "active".into(),
            created: now.clone(),
            modified: now.clone(),
        };
        let mut c = self.db.conn().await?;
        let row = self.validate_group(&mut c, data, base, false).await?;
        drop(c);
        let mut tx = self.db.begin_write().await?;
        let c = tx.conn();
        sen_db::insert_group(&mut *c, &row)
            .await
            .map_err(name_taken)?;
        if let Some(uid) = actor.id() {
            sen_db::upsert_member(&mut *c, &row.id, uid, "admin", &now).await?;
        }
        let d = self.group_dict(&mut *c, &row, 0).await?;
        let kind = if is_org {
            "new organization"
        } else {
            "new group"
        };
        ActivityRecord::group(kind, actor, &d, Vec::new())
            .insert(&mut *c)
            .await?;
        tx.commit().await?;
        Ok(d)
    }

    pub async fn group_update(
        &self,
        actor: &Actor,
        data: &Dict,
        is_org: bool,
        partial: bool,
    ) -> Result<Value> {
        let act = action(is_org, if partial { "patch" } else { "update" });
        actor.require_user()?;
        let id = require_id(data, &["id", "name"])?;
        let mut c = self.db.conn().await?;
        let existing = self.find_active_group(&mut c, &id, is_org).await?;
        drop(c);
        self.require_capacity(actor, &existing.id, Capacity::Admin, &act)
            .await?;
        let mut data = data.clone();
        if !data.contains_key("name") {
            data.insert("name".into(), json!(existing.name));
        }
        let mut c = self.db.conn().await?;
        let counts = self.counts(&mut c, actor, is_org).await?;
        let count = counts.get(&existing.id).copied().unwrap_or(0);
        let before = self.group_dict(&mut c, &existing, count).await?;
        let mut row = self
            .validate_group(&mut c, &data, existing, partial)
            .await?;
        drop(c);
        row.modified = time::now();
        let mut tx = self.db.begin_write().await?;
        let c = tx.conn();
        sen_db::update_group(&mut *c, &row)
            .await
            .map_err(name_taken)?;
        let after = self.group_dict(&mut *c, &row, count).await?;
        let kind = if is_org {
            "changed organization"
        } else {
            "changed group"
        };
        ActivityRecord::group(kind, actor, &after, diff(Some(&before), &after))
            .insert(&mut *c)
            .await?;
        tx.commit().await?;
        self.reindex_group(&row.id, is_org).await;
        Ok(after)
    }

    pub async fn group_delete(&self, actor: &Actor, data: &Dict, is_org: bool) -> Result<Value> {
        let act = action(is_org, "delete");
        actor.require_user()?;
        let id = require_id(data, &["id", "name"])?;
        let mut c = self.db.conn().await?;
        let mut row = self.find_active_group(&mut c, &id, is_org).await?;
        drop(c);
        self.require_capacity(actor, &row.id, Capacity::Admin, &act)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let c = tx.conn();
        if is_org {
            let pq = sen_db::PackageQuery {
                viewer: sen_db::Viewer::Sysadmin,
                words: Vec::new(),
                filters: vec![sen_db::Filter {
                    field: sen_db::FilterField::OwnerOrg,
                    values: vec![row.id.clone()],
                    negate: false,
                }],
                include_private: true,
                include_drafts: true,
                sort: Vec::new(),
                rows: 1,
                start: 0,
            };
            let (_, n) = sen_db::search_packages(&mut *c, &pq).await?;
            if n > 0 {
                return Err(Error::field(
                    "id",
                    Msg::new("field-org-has-datasets").arg("count", n),
                ));
            }
        }
        row.state = "deleted".into();
        row.modified = time::now();
        sen_db::update_group(&mut *c, &row).await?;
        let d = self.group_dict(&mut *c, &row, 0).await?;
        let kind = if is_org {
            "deleted organization"
        } else {
            "deleted group"
        };
        ActivityRecord::group(kind, actor, &d, Vec::new())
            .insert(&mut *c)
            .await?;
        tx.commit().await?;
        if !is_org {
            self.reindex_group(&row.id, false).await;
        }
        Ok(Value::Null)
    }

    pub async fn organization_list_for_user(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let permission = inp
            .text("permission")
            .unwrap_or_else(|| "manage_group".into());
        let who = inp.text("id");
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let user = match who {
            Some(w) => sen_db::find_user(&mut c, &w)
                .await?
                .ok_or_else(|| not_found("user_not_found", "error-user-not-found"))?,
            None => match &actor.user {
                Some(u) => u.clone(),
                None => return Ok(json!([])),
            },
        };
        let needed = match permission.as_str() {
            "read" => Capacity::Member,
            "manage_group" => Capacity::Admin,
            _ => Capacity::Editor,
        };
        let counts = self.counts(&mut c, actor, true).await?;
        let all = sen_db::list_groups(
            &mut c,
            &GroupListQuery {
                is_org: true,
                q: None,
                names: &[],
                sort: "name",
                limit: None,
                offset: 0,
            },
        )
        .await?;
        let memberships = sen_db::memberships_of(&mut c, &user.id).await?;
        let mut out = Vec::new();
        for g in &all {
            let cap = if user.sysadmin != 0 {
                Some(Capacity::Admin)
            } else {
                memberships
                    .iter()
                    .find(|m| m.group_id == g.id)
                    .and_then(|m| Capacity::parse(&m.capacity))
            };
            if let Some(cap) = cap.filter(|c| *c >= needed) {
                let mut d = self
                    .group_dict(&mut c, g, counts.get(&g.id).copied().unwrap_or(0))
                    .await?;
                d["capacity"] = json!(cap.as_str());
                out.push(d);
            }
        }
        Ok(Value::Array(out))
    }

    async fn set_member(
        &self,
        actor: &Actor,
        group_ref: &str,
        is_org: bool,
        user_ref: &str,
        capacity: &str,
        act: &str,
    ) -> Result<Value> {
        let mut c = self.db.conn().await?;
        let g = self.find_active_group(&mut c, group_ref, is_org).await?;
        let user = sen_db::find_user(&mut c, user_ref)
            .await?
            .ok_or_else(|| not_found("user_not_found", "error-user-not-found"))?;
        drop(c);
        self.require_capacity(actor, &g.id, Capacity::Admin, act)
            .await?;
        if Capacity::parse(capacity).is_none() {
            return Err(Error::field("role", Msg::new("field-capacity")));
        }
        let mut tx = self.db.begin_write().await?;
        sen_db::upsert_member(tx.conn(), &g.id, &user.id, capacity, &time::now()).await?;
        tx.commit().await?;
        Ok(
            json!({"group_id": g.id, "table_name": "user", "table_id": user.id, "capacity": capacity, "state": "active"}),
        )
    }

    async fn remove_member(
        &self,
        actor: &Actor,
        group_ref: &str,
        is_org: bool,
        user_ref: &str,
        act: &str,
    ) -> Result<Value> {
        let mut c = self.db.conn().await?;
        let g = self.find_active_group(&mut c, group_ref, is_org).await?;
        let user = sen_db::find_user(&mut c, user_ref)
            .await?
            .ok_or_else(|| not_found("user_not_found", "error-user-not-found"))?;
        drop(c);
        self.require_capacity(actor, &g.id, Capacity::Admin, act)
            .await?;
        let mut tx = self.db.begin_write().await?;
        sen_db::delete_member(tx.conn(), &g.id, &user.id).await?;
        tx.commit().await?;
        Ok(Value::Null)
    }

    pub async fn org_member_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let mut inp = Input::new(data);
        let id = inp.required("id");
        let user = inp.required("username");
        let role = inp.required("role");
        inp.finish()?;
        self.set_member(actor, &id, true, &user, &role, "organization_member_create")
            .await
    }

    pub async fn org_member_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let mut inp = Input::new(data);
        let id = inp.required("id");
        let user = inp
            .text("username")
            .or_else(|| inp.text("user_id"))
            .unwrap_or_default();
        if user.is_empty() {
            inp.error("username", Msg::new("field-missing"));
        }
        inp.finish()?;
        self.remove_member(actor, &id, true, &user, "organization_member_delete")
            .await
    }

    /// CKAN's generic `member_create`: a user or a dataset into an organisation or topic.
    pub async fn member_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let mut inp = Input::new(data);
        let id = inp.required("id");
        let object = inp.required("object");
        let object_type = inp.required("object_type");
        let capacity = inp.text("capacity").unwrap_or_else(|| "member".into());
        if !object_type.is_empty() && object_type != "user" && object_type != "package" {
            inp.error(
                "object_type",
                Msg::new("field-bad-choice")
                    .arg("value", &object_type)
                    .arg("choices", "user, package"),
            );
        }
        inp.finish()?;
        let is_org = self.group_is_org(&id).await?;
        if object_type == "user" {
            return self
                .set_member(actor, &id, is_org, &object, &capacity, "member_create")
                .await;
        }
        let (g, p) = self
            .group_and_package(actor, &id, is_org, &object, "member_create")
            .await?;
        let mut tx = self.db.begin_write().await?;
        let c = tx.conn();
        if is_org {
            return Err(Error::field(
                "object_type",
                Msg::new("field-bad-choice")
                    .arg("value", "package")
                    .arg("choices", "user"),
            ));
        }
        sen_db::add_package_group(&mut *c, &p.id, &g.id).await?;
        sen_db::touch_package(&mut *c, &p.id, &time::now()).await?;
        crate::packages::refresh_search_text(&mut *c, &p.id).await?;
        tx.commit().await?;
        self.reindex_packages(std::slice::from_ref(&p.id)).await;
        Ok(
            json!({"group_id": g.id, "table_name": "package", "table_id": p.id, "capacity": "public", "state": "active"}),
        )
    }

    pub async fn member_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let mut inp = Input::new(data);
        let id = inp.required("id");
        let object = inp.required("object");
        let object_type = inp.required("object_type");
        inp.finish()?;
        let is_org = self.group_is_org(&id).await?;
        if object_type == "user" {
            return self
                .remove_member(actor, &id, is_org, &object, "member_delete")
                .await;
        }
        let (g, p) = self
            .group_and_package(actor, &id, is_org, &object, "member_delete")
            .await?;
        let mut tx = self.db.begin_write().await?;
        let c = tx.conn();
        sen_db::remove_package_group(&mut *c, &p.id, &g.id).await?;
        sen_db::touch_package(&mut *c, &p.id, &time::now()).await?;
        crate::packages::refresh_search_text(&mut *c, &p.id).await?;
        tx.commit().await?;
        self.reindex_packages(std::slice::from_ref(&p.id)).await;
        Ok(Value::Null)
    }

    async fn group_is_org(&self, id: &str) -> Result<bool> {
        let mut c = self.db.conn().await?;
        if sen_db::find_group(&mut c, id, false)
            .await?
            .is_some_and(|g| g.state == "active")
        {
            return Ok(false);
        }
        if sen_db::find_group(&mut c, id, true)
            .await?
            .is_some_and(|g| g.state == "active")
        {
            return Ok(true);
        }
        Err(not_found_group(false))
    }

    /// A topic and a dataset, when the actor may put one in the other: a topic
    /// editor, or an editor of the dataset's organisation.
    async fn group_and_package(
        &self,
        actor: &Actor,
        group_ref: &str,
        is_org: bool,
        package_ref: &str,
        act: &str,
    ) -> Result<(GroupRow, sen_db::PackageRow)> {
        let mut c = self.db.conn().await?;
        let g = self.find_active_group(&mut c, group_ref, is_org).await?;
        let p = sen_db::find_package(&mut c, package_ref).await?;
        drop(c);
        let p = match p {
            Some(p) if self.can_read_package(actor, &p).await? => p,
            _ => return Err(not_found("dataset_not_found", "error-dataset-not-found")),
        };
        let in_group = self
            .capacity_in(actor, &g.id)
            .await?
            .is_some_and(|c| c >= Capacity::Editor);
        let in_org = self
            .capacity_in(actor, &p.owner_org)
            .await?
            .is_some_and(|c| c >= Capacity::Editor);
        if !(in_group || in_org) {
            return Err(forbidden(act));
        }
        Ok((g, p))
    }

    /// Users' dictionaries for the members of a group, for the REST API.
    pub async fn group_members(
        &self,
        actor: &Actor,
        group_ref: &str,
        is_org: bool,
    ) -> Result<Value> {
        let mut c = self.db.conn().await?;
        let g = self.find_active_group(&mut c, group_ref, is_org).await?;
        let members = sen_db::members(&mut c, &g.id).await?;
        let mut out = Vec::new();
        for m in members {
            if let Some(u) = sen_db::find_user(&mut c, &m.user_id).await? {
                let mut d = user_dict(&u, actor.is_sysadmin() || actor.id() == Some(u.id.as_str()));
                d["capacity"] = json!(m.capacity);
                out.push(d);
            }
        }
        Ok(Value::Array(out))
    }
}

fn name_taken(e: Error) -> Error {
    if e.code == "duplicate" {
        Error::field("name", Msg::new("field-name-taken"))
    } else {
        e
    }
}
