//! The government data inventory ("hiện trạng dữ liệu"): each agency's
//! information systems and databases, its open-data list ("danh mục dữ liệu
//! mở") with review dates, and the dashboards computed from both.
//!
//! Who sees what (documented in `docs/inventory.md`):
//! - everyone sees the *public part* of a record (name, description, agency,
//!   kind, scope, subjects, status, update rhythm, whether it holds open data,
//!   its open-record count and the open datasets published from it);
//! - government staff (members of any organisation), the owning agency and
//!   sysadmins see the *full record* (unit, legal basis, classes, counts,
//!   sharing, data services, contact, every dataset they may see);
//! - editors and admins of the owning agency write its records; sysadmins all.

use crate::input::{id_param, is_email, require_id, Dict, Input};
use crate::inventory_sheet as sheet;
use crate::{new_id, not_found, Actor, Catalog};
use chrono::NaiveDate;
use sen_db::{Conn, GroupRow, OpenDataItemRow, ReviewRow, SystemRow};
use sen_domain::{time, AccessLevel, Capacity, DataClass, Error, ErrorKind, Msg, Result};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

pub const KINDS: &[&str] = &["national", "sectoral", "local", "other"];
pub const STATUSES: &[&str] = &["planned", "building", "operating", "retired"];
pub const SHARING: &[&str] = &["ndxp", "lgsp", "file", "none"];
pub const FREQUENCIES: &[&str] = &[
    "realtime",
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "yearly",
    "irregular",
];
/// Fields everyone may see.
const PUBLIC_FIELDS: &[&str] = &[
    "id",
    "owner_org",
    "organization",
    "name",
    "description",
    "kind",
    "scope",
    "subjects",
    "status",
    "update_frequency",
    "holds_open_data",
    "open_record_count",
    "datasets",
    "created",
    "modified",
];
/// Largest spreadsheet accepted for import.
pub const MAX_IMPORT_BYTES: u64 = 10 * 1024 * 1024;
/// Default rules (Decree 47/2020): lists reviewed every 6 months, data updated within 3.
pub const DEFAULT_REVIEW_MONTHS: u32 = 6;
pub const DEFAULT_UPDATE_MONTHS: u32 = 3;

fn system_not_found() -> Error {
    not_found(
        "inventory_system_not_found",
        "error-inventory-system-not-found",
    )
}

fn item_not_found() -> Error {
    not_found("open_data_item_not_found", "error-open-data-item-not-found")
}

fn org_not_found() -> Error {
    not_found("organization_not_found", "error-organization-not-found")
}

fn is_web_url(s: &str) -> bool {
    (s.starts_with("http://") || s.starts_with("https://")) && s.len() > 8 && !s.contains(' ')
}

fn choice(input: &mut Input, key: &str, allowed: &[&str], required: bool) -> Option<String> {
    let v = if required {
        Some(input.required(key))
    } else {
        input.text(key)
    };
    match v {
        Some(v) if v.is_empty() => None,
        Some(v) if allowed.contains(&v.as_str()) => Some(v),
        Some(v) => {
            input.error(
                key,
                Msg::new("field-bad-choice")
                    .arg("value", v)
                    .arg("choices", allowed.join(", ")),
            );
            None
        }
        None => None,
    }
}

fn choices(input: &mut Input, key: &str, allowed: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for v in input.string_list(key).unwrap_or_default() {
        let v = v.trim().to_string();
        if v.is_empty() || out.contains(&v) {
            continue;
        }
        if allowed.contains(&v.as_str()) {
            out.push(v);
        } else {
            input.error(
                key,
                Msg::new("field-bad-choice")
                    .arg("value", v)
                    .arg("choices", allowed.join(", ")),
            );
        }
    }
    out
}

fn bounded_text(input: &mut Input, key: &str, max: usize) -> String {
    let v = input.text(key).unwrap_or_default();
    if v.chars().count() > max {
        input.error(key, Msg::new("field-too-long").arg("max", max));
    }
    v
}

fn count(input: &mut Input, key: &str) -> Option<i64> {
    let v = input.int(key)?;
    if v < 0 {
        input.error(
            key,
            Msg::new("field-integer-range")
                .arg("min", 0)
                .arg("max", i64::MAX),
        );
        return None;
    }
    Some(v)
}

/// Checks a record's own fields (not the agency nor datasets, which need the
/// database): the normalised record, and every problem at once.
pub(crate) fn check_fields(data: &Dict) -> (Map<String, Value>, sen_domain::error::Validation) {
    let mut input = Input::new(data);
    let name = input.required("name");
    if name.chars().count() > 300 {
        input.error("name", Msg::new("field-too-long").arg("max", 300));
    }
    let description = bounded_text(&mut input, "description", 20_000);
    let unit = bounded_text(&mut input, "unit", 500);
    let legal_basis = bounded_text(&mut input, "legal_basis", 2_000);
    let scope = bounded_text(&mut input, "scope", 500);
    let kind = choice(&mut input, "kind", KINDS, true);
    let status = choice(&mut input, "status", STATUSES, true);
    let frequency = choice(&mut input, "update_frequency", FREQUENCIES, false);
    let subjects: Vec<String> = input
        .string_list("subjects")
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let levels_allowed: Vec<&str> = AccessLevel::ALL.iter().map(|l| l.as_str()).collect();
    let classes_allowed: Vec<&str> = DataClass::ALL.iter().map(|c| c.as_str()).collect();
    let levels = choices(&mut input, "data_levels", &levels_allowed);
    let classes = choices(&mut input, "data_classes", &classes_allowed);
    let records = count(&mut input, "record_count");
    let open_records = count(&mut input, "open_record_count");
    let sharing = choices(&mut input, "sharing", SHARING);
    let contact_name = bounded_text(&mut input, "contact_name", 300);
    let contact_email = bounded_text(&mut input, "contact_email", 300);
    if !contact_email.is_empty() && !is_email(&contact_email) {
        input.error(
            "contact_email",
            Msg::new("field-bad-email").arg("value", &contact_email),
        );
    }
    // The law: important or core data can never be open. A system holding only
    // such data cannot declare open data.
    let only_protected = !classes.is_empty() && !classes.iter().any(|c| c == "ordinary");
    if only_protected && levels.iter().any(|l| l == "open") {
        input.error("data_levels", Msg::new("field-open-not-allowed"));
    }
    if open_records.is_some_and(|n| n > 0) && !levels.iter().any(|l| l == "open") {
        input.error("open_record_count", Msg::new("field-inventory-open-count"));
    }
    if let (Some(open), Some(all)) = (open_records, records) {
        if open > all {
            input.error(
                "open_record_count",
                Msg::new("field-inventory-open-count-total"),
            );
        }
    }
    if sharing.len() > 1 && sharing.iter().any(|s| s == "none") {
        input.error("sharing", Msg::new("field-inventory-sharing-none"));
    }
    let mut services = Vec::new();
    for (i, s) in input
        .list("services")
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let Value::Object(s) = s else {
            input.error("services", Msg::new("field-not-object"));
            continue;
        };
        let text = |k: &str| {
            s.get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let (sname, endpoint, docs) = (
            text("name"),
            text("endpoint_url"),
            text("documentation_url"),
        );
        let level = match text("access_level") {
            l if l.is_empty() => "shared".to_string(),
            l => l,
        };
        let row = format!("services.{i}");
        if sname.is_empty() {
            input.error(&format!("{row}.name"), Msg::new("field-missing"));
        }
        if !is_web_url(&endpoint) {
            input.error(
                &format!("{row}.endpoint_url"),
                Msg::new("field-bad-url").arg("value", &endpoint),
            );
        }
        if !docs.is_empty() && !is_web_url(&docs) {
            input.error(
                &format!("{row}.documentation_url"),
                Msg::new("field-bad-url").arg("value", &docs),
            );
        }
        if AccessLevel::parse(&level).is_none() {
            input.error(
                &format!("{row}.access_level"),
                Msg::new("field-bad-choice")
                    .arg("value", &level)
                    .arg("choices", levels_allowed.join(", ")),
            );
        }
        services.push(json!({"name": sname, "endpoint_url": endpoint, "documentation_url": docs, "access_level": level}));
    }
    if !services.is_empty() && sharing.iter().any(|s| s == "none") {
        input.error("sharing", Msg::new("field-inventory-sharing-none"));
    }
    let datasets = input.string_list("datasets").unwrap_or_default();
    let mut out = Map::new();
    out.insert("name".into(), json!(name));
    out.insert("description".into(), json!(description));
    out.insert("unit".into(), json!(unit));
    out.insert("legal_basis".into(), json!(legal_basis));
    out.insert("kind".into(), json!(kind.unwrap_or_default()));
    out.insert("scope".into(), json!(scope));
    out.insert("subjects".into(), json!(subjects));
    out.insert("data_levels".into(), json!(levels));
    out.insert("data_classes".into(), json!(classes));
    out.insert("record_count".into(), json!(records));
    out.insert("open_record_count".into(), json!(open_records));
    out.insert(
        "update_frequency".into(),
        json!(frequency.unwrap_or_default()),
    );
    out.insert("status".into(), json!(status.unwrap_or_default()));
    out.insert("sharing".into(), json!(sharing));
    out.insert("services".into(), json!(services));
    out.insert("contact_name".into(), json!(contact_name));
    out.insert("contact_email".into(), json!(contact_email));
    out.insert(
        "datasets".into(),
        json!(datasets
            .iter()
            .map(|d| d.trim())
            .filter(|d| !d.is_empty())
            .collect::<Vec<_>>()),
    );
    (out, input.errors)
}

/// Adds `months` calendar months to a date (clamped to the month's last day).
pub(crate) fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(months))
        .unwrap_or(d)
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The evaluation date: `as_of` (YYYY-MM-DD) when given, else today.
fn as_of(data: &Dict) -> Result<NaiveDate> {
    match id_param(data, &["as_of"]) {
        None => Ok(today()),
        Some(s) => time::parse_date(&s)
            .ok_or_else(|| Error::field("as_of", Msg::new("field-bad-date").arg("value", s))),
    }
}

fn date_of(ts: &str) -> Option<NaiveDate> {
    time::parse_date(ts.get(..10).unwrap_or(ts))
}

/// What the caller may see of the inventory.
#[derive(Debug, Clone)]
pub(crate) struct Sight {
    /// Staff of any agency, or sysadmin: full records everywhere.
    staff: bool,
    /// Organisations the caller is a member of.
    member_of: HashSet<String>,
    sysadmin: bool,
}

impl Sight {
    fn full(&self, org_id: &str) -> bool {
        self.staff || self.sysadmin || self.member_of.contains(org_id)
    }
}

impl Catalog {
    async fn sight(&self, actor: &Actor) -> Result<Sight> {
        let Some(user) = &actor.user else {
            return Ok(Sight {
                staff: false,
                member_of: HashSet::new(),
                sysadmin: false,
            });
        };
        let mut c = self.db.conn().await?;
        let memberships = sen_db::memberships_of(&mut c, &user.id).await?;
        let ids: Vec<String> = memberships.iter().map(|m| m.group_id.clone()).collect();
        let orgs: HashSet<String> = sen_db::get_groups(&mut c, &ids)
            .await?
            .into_iter()
            .filter(|g| g.is_organization != 0 && g.state == "active")
            .map(|g| g.id)
            .collect();
        Ok(Sight {
            staff: !orgs.is_empty(),
            member_of: orgs,
            sysadmin: user.sysadmin != 0,
        })
    }

    async fn find_org(&self, c: &mut Conn, id_or_name: &str) -> Result<GroupRow> {
        sen_db::find_group(c, id_or_name, true)
            .await?
            .filter(|g| g.state == "active")
            .ok_or_else(org_not_found)
    }

    /// The settings' rules: (review every N months, data updated within M months).
    pub fn inventory_rules(&self) -> (u32, u32) {
        let get = |k: &str, d: u32| {
            self.settings_value(k)
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|v| (1..=120).contains(v))
                .unwrap_or(d)
        };
        (
            get("sen.open_data_review_months", DEFAULT_REVIEW_MONTHS),
            get("sen.data_update_months", DEFAULT_UPDATE_MONTHS),
        )
    }

    /// Resolves dataset names or ids to the agency's datasets; unknown ones are errors on `field`.
    async fn resolve_datasets(
        &self,
        c: &mut Conn,
        names: &[String],
        org_id: &str,
        field: &str,
        errors: &mut sen_domain::error::Validation,
    ) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        for n in names {
            match sen_db::find_package(c, n).await? {
                Some(p) if p.owner_org == org_id && p.state != "deleted" => {
                    if !ids.contains(&p.id) {
                        ids.push(p.id)
                    }
                }
                _ => errors.add(field, Msg::new("field-unknown-package").arg("value", n)),
            }
        }
        Ok(ids)
    }

    /// A stored record as the caller may see it.
    async fn system_dict(
        &self,
        c: &mut Conn,
        row: &SystemRow,
        org: &GroupRow,
        sight: &Sight,
        viewer: &sen_db::Viewer,
    ) -> Result<Value> {
        let mut d: Map<String, Value> = serde_json::from_str(&row.data).unwrap_or_default();
        let ids: Vec<String> = d
            .get("datasets")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let full = sight.full(&row.org_id);
        let mut datasets = Vec::new();
        for p in sen_db::get_packages(c, &ids).await? {
            let visible = p.state == "active"
                && (p.access_level == "open"
                    || match viewer {
                        sen_db::Viewer::Sysadmin => true,
                        sen_db::Viewer::Anonymous => false,
                        sen_db::Viewer::User { .. } => sight.member_of.contains(&p.owner_org),
                    });
            if visible {
                datasets.push(json!({"id": p.id, "name": p.name, "title": p.title, "access_level": p.access_level}));
            }
        }
        let holds_open = d
            .get("data_levels")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|v| v == "open"));
        d.insert("id".into(), json!(row.id));
        d.insert("owner_org".into(), json!(row.org_id));
        d.insert(
            "organization".into(),
            json!({"id": org.id, "name": org.name, "title": org.title, "kind": org.kind}),
        );
        d.insert("datasets".into(), json!(datasets));
        d.insert("holds_open_data".into(), json!(holds_open));
        d.insert("created".into(), json!(row.created));
        d.insert("modified".into(), json!(row.modified));
        if !holds_open {
            d.insert("open_record_count".into(), Value::Null);
        }
        if !full {
            d.retain(|k, _| PUBLIC_FIELDS.contains(&k.as_str()));
        }
        d.insert("full".into(), json!(full));
        Ok(Value::Object(d))
    }

    /// `inventory_system_create`: editors and admins of the agency, sysadmins.
    pub async fn inventory_system_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let (row, _) = self.prepare_system(actor, data, None).await?;
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_system(tx.conn(), &row).await?;
        tx.commit().await?;
        self.inventory_system_show(actor, &json_dict(json!({"id": row.id})))
            .await
    }

    /// Validates a record (new, or replacing `existing`) and checks the caller may write it.
    async fn prepare_system(
        &self,
        actor: &Actor,
        data: &Dict,
        existing: Option<&SystemRow>,
    ) -> Result<(SystemRow, GroupRow)> {
        let (mut record, mut errors) = check_fields(data);
        let mut c = self.db.conn().await?;
        let org_ref = id_param(data, &["owner_org", "organization"])
            .or_else(|| existing.map(|e| e.org_id.clone()));
        let org = match org_ref {
            None => {
                errors.add("owner_org", Msg::new("field-missing"));
                None
            }
            Some(o) => match self.find_org(&mut c, &o).await {
                Ok(g) => Some(g),
                Err(_) => {
                    errors.add(
                        "owner_org",
                        Msg::new("field-unknown-organization").arg("value", o),
                    );
                    None
                }
            },
        };
        if let Some(org) = &org {
            if !matches!(self.capacity_in(actor, &org.id).await?, Some(c) if c >= Capacity::Editor)
            {
                if let Some(e) = existing {
                    if e.org_id == org.id {
                        return Err(crate::auth::forbidden("inventory_system_update"));
                    }
                }
                errors.add(
                    "owner_org",
                    Msg::new("field-not-member").arg("value", &org.name),
                );
            }
        }
        if let Some(e) = existing {
            if !matches!(self.capacity_in(actor, &e.org_id).await?, Some(c) if c >= Capacity::Editor)
            {
                return Err(crate::auth::forbidden("inventory_system_update"));
            }
        }
        let names: Vec<String> = record["datasets"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let ids = match &org {
            Some(org) => {
                self.resolve_datasets(&mut c, &names, &org.id, "datasets", &mut errors)
                    .await?
            }
            None => Vec::new(),
        };
        record.insert("datasets".into(), json!(ids));
        errors.finish()?;
        let org = org.ok_or_else(org_not_found)?;
        let now = time::now();
        let row = SystemRow {
            id: existing.map(|e| e.id.clone()).unwrap_or_else(new_id),
            org_id: org.id.clone(),
            name: record["name"].as_str().unwrap_or("").to_string(),
            kind: record["kind"].as_str().unwrap_or("").to_string(),
            status: record["status"].as_str().unwrap_or("").to_string(),
            data: Value::Object(record).to_string(),
            created: existing
                .map(|e| e.created.clone())
                .unwrap_or_else(|| now.clone()),
            modified: now,
        };
        Ok((row, org))
    }

    /// `inventory_system_show`: the full record or its public part (see the module's doc).
    pub async fn inventory_system_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = require_id(data, &["id"])?;
        let sight = self.sight(actor).await?;
        let mut c = self.db.conn().await?;
        let row = sen_db::get_system(&mut c, &id)
            .await?
            .ok_or_else(system_not_found)?;
        let org = sen_db::get_group(&mut c, &row.org_id)
            .await?
            .ok_or_else(system_not_found)?;
        self.system_dict(&mut c, &row, &org, &sight, &actor.viewer())
            .await
    }

    /// `inventory_system_update` (whole record) and `inventory_system_patch` (only the fields given).
    pub async fn inventory_system_update(
        &self,
        actor: &Actor,
        data: &Dict,
        patch: bool,
    ) -> Result<Value> {
        actor.require_user()?;
        let id = require_id(data, &["id"])?;
        let existing = {
            let mut c = self.db.conn().await?;
            sen_db::get_system(&mut c, &id)
                .await?
                .ok_or_else(system_not_found)?
        };
        // Those who cannot even see the full record learn nothing more.
        if !self.sight(actor).await?.full(&existing.org_id) {
            return Err(system_not_found());
        }
        let merged = if patch {
            let mut m: Dict = serde_json::from_str(&existing.data).unwrap_or_default();
            let mut c = self.db.conn().await?;
            let ids: Vec<String> = m
                .get("datasets")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let names: Vec<Value> = sen_db::get_packages(&mut c, &ids)
                .await?
                .into_iter()
                .filter(|p| p.state != "deleted")
                .map(|p| json!(p.name))
                .collect();
            m.insert("datasets".into(), json!(names));
            for (k, v) in data {
                m.insert(k.clone(), v.clone());
            }
            m
        } else {
            data.clone()
        };
        let (row, _) = self.prepare_system(actor, &merged, Some(&existing)).await?;
        let mut tx = self.db.begin_write().await?;
        sen_db::update_system(tx.conn(), &row).await?;
        tx.commit().await?;
        self.inventory_system_show(actor, &json_dict(json!({"id": id})))
            .await
    }

    /// `inventory_system_delete`: editors and admins of the agency, sysadmins.
    pub async fn inventory_system_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let id = require_id(data, &["id"])?;
        let existing = {
            let mut c = self.db.conn().await?;
            sen_db::get_system(&mut c, &id)
                .await?
                .ok_or_else(system_not_found)?
        };
        if !self.sight(actor).await?.full(&existing.org_id) {
            return Err(system_not_found());
        }
        self.require_capacity(
            actor,
            &existing.org_id,
            Capacity::Editor,
            "inventory_system_delete",
        )
        .await?;
        let mut tx = self.db.begin_write().await?;
        sen_db::delete_system(tx.conn(), &id).await?;
        tx.commit().await?;
        Ok(Value::Null)
    }

    /// Records as the caller sees them, of one agency (`organization`) or all,
    /// optionally of an organisation kind (`sector`), with `q`, `kind`, `status` filters.
    async fn visible_systems(
        &self,
        actor: &Actor,
        data: &Dict,
    ) -> Result<(Vec<Value>, Option<GroupRow>)> {
        let sight = self.sight(actor).await?;
        let viewer = actor.viewer();
        let mut c = self.db.conn().await?;
        let org = match id_param(data, &["organization", "owner_org"]) {
            Some(o) => Some(self.find_org(&mut c, &o).await?),
            None => None,
        };
        let rows = sen_db::list_systems(&mut c, org.as_ref().map(|o| o.id.as_str())).await?;
        let mut orgs: HashMap<String, GroupRow> = HashMap::new();
        let ids: Vec<String> = rows
            .iter()
            .map(|r| r.org_id.clone())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for g in sen_db::get_groups(&mut c, &ids).await? {
            orgs.insert(g.id.clone(), g);
        }
        let sector = id_param(data, &["sector"]);
        let q = id_param(data, &["q"]).map(|q| sen_domain::fold::fold(&q));
        let kind = id_param(data, &["kind"]);
        let status = id_param(data, &["status"]);
        let mut out = Vec::new();
        for r in &rows {
            let Some(g) = orgs.get(&r.org_id) else {
                continue;
            };
            if g.state != "active"
                || sector.as_ref().is_some_and(|s| *s != g.kind)
                || kind.as_ref().is_some_and(|k| *k != r.kind)
                || status.as_ref().is_some_and(|s| *s != r.status)
            {
                continue;
            }
            if let Some(q) = &q {
                if !sen_domain::fold::fold(&r.name).contains(q.as_str()) {
                    continue;
                }
            }
            out.push(self.system_dict(&mut c, r, g, &sight, &viewer).await?);
        }
        Ok((out, org))
    }

    /// `inventory_system_list`: `{count, results}`.
    pub async fn inventory_system_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let (all, _) = self.visible_systems(actor, data).await?;
        let mut input = Input::new(data);
        let limit = input.int_in("limit", 100, 1, 1000) as usize;
        let offset = input.int_in("offset", 0, 0, i64::MAX) as usize;
        input.finish()?;
        let count = all.len();
        let results: Vec<Value> = all.into_iter().skip(offset).take(limit).collect();
        Ok(json!({"count": count, "results": results}))
    }

    /// `inventory_export`: the records of an agency (its editors) or of all
    /// (sysadmins), full, for the spreadsheet template.
    pub async fn inventory_export(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        match id_param(data, &["organization", "owner_org"]) {
            Some(o) => {
                let org = {
                    let mut c = self.db.conn().await?;
                    self.find_org(&mut c, &o).await?
                };
                self.require_capacity(actor, &org.id, Capacity::Editor, "inventory_export")
                    .await?;
            }
            None => self.require_sysadmin(actor, "inventory_export")?,
        }
        let (records, _) = self.visible_systems(actor, data).await?;
        Ok(json!(records))
    }

    /// `inventory_import`: records from the spreadsheet template (an uploaded
    /// XLSX or CSV file) into `organization`. Every row is checked first; with
    /// any error nothing is imported and the report lists each (row, column,
    /// reason), unless `mode` is `valid`, which imports only the valid rows.
    pub async fn inventory_import(
        &self,
        actor: &Actor,
        data: &Dict,
        upload: Option<crate::Upload>,
    ) -> Result<Value> {
        let bytes = match &upload {
            None => None,
            Some(u) if u.size > MAX_IMPORT_BYTES => {
                let _ = self.storage.delete(&u.key).await;
                return Err(Error::field(
                    "upload",
                    Msg::new("error-too-large").arg("limit", "10 MB"),
                ));
            }
            Some(u) => {
                let b = self
                    .storage
                    .read_head(&u.key, MAX_IMPORT_BYTES)
                    .await
                    .map_err(Error::internal);
                let _ = self.storage.delete(&u.key).await;
                Some(b?)
            }
        };
        actor.require_user()?;
        // Into one agency (its editors): every row becomes that agency's, so an
        // export imports into another agency unchanged. Without an agency
        // (sysadmins only), each row names its own in `owner_org`.
        let org = match id_param(data, &["organization", "owner_org"]) {
            Some(o) => {
                let mut c = self.db.conn().await?;
                let org = self.find_org(&mut c, &o).await?;
                drop(c);
                self.require_capacity(actor, &org.id, Capacity::Editor, "inventory_import")
                    .await?;
                Some(org)
            }
            None => {
                self.require_sysadmin(actor, "inventory_import")?;
                None
            }
        };
        let Some(bytes) = bytes else {
            return Err(Error::field("upload", Msg::new("field-missing")));
        };
        let valid_only = id_param(data, &["mode"]).is_some_and(|m| m == "valid");
        let sheet = sheet::read(&bytes)?;
        let mut good = Vec::new();
        let mut report: BTreeMap<String, Vec<Msg>> = BTreeMap::new();
        let mut bad_rows = Vec::new();
        for (n, row) in &sheet.rows {
            let mut row = row.clone();
            if let Some(org) = &org {
                row.insert("owner_org".into(), json!(org.id));
            }
            match self.prepare_system(actor, &row, None).await {
                Ok((r, _)) => good.push(r),
                Err(e) if e.kind == ErrorKind::Validation => {
                    bad_rows.push(*n);
                    for (field, msgs) in e.fields {
                        let column = field.split('.').next().unwrap_or(&field).to_string();
                        report
                            .entry(format!("{n}:{column}"))
                            .or_default()
                            .extend(msgs);
                    }
                }
                Err(e) => return Err(e),
            }
        }
        if !report.is_empty() && !valid_only {
            let mut e = Error::new(
                ErrorKind::Validation,
                "inventory_import_invalid",
                Msg::new("error-inventory-import-invalid").arg("count", bad_rows.len()),
            );
            e.fields = report;
            return Err(e);
        }
        let mut tx = self.db.begin_write().await?;
        for r in &good {
            sen_db::insert_system(tx.conn(), r).await?;
        }
        tx.commit().await?;
        let lang = id_param(data, &["lang"])
            .and_then(|l| sen_i18n::Lang::parse(&l))
            .unwrap_or_default();
        let skipped: Vec<Value> = report
            .iter()
            .map(|(k, msgs)| {
                let (row, column) = k.split_once(':').unwrap_or((k, ""));
                json!({
                    "row": row.parse::<i64>().unwrap_or(0),
                    "column": column,
                    "messages": msgs.iter().map(|m| {
                        let args: Vec<(&str, String)> = m.args.iter().map(|(k, v)| (*k, v.clone())).collect();
                        sen_i18n::t(lang, m.key, &args)
                    }).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(
            json!({"imported": good.len(), "rows": sheet.rows.len(), "skipped_rows": bad_rows, "errors": skipped}),
        )
    }
}

/// A dictionary from a JSON object.
pub(crate) fn json_dict(v: Value) -> Dict {
    v.as_object().cloned().unwrap_or_default()
}

// ---- open-data lists ----------------------------------------------------------

/// An item's state on a date: published (its dataset is open and active),
/// overdue (not published and its planned date has passed) or planned.
pub(crate) fn item_status(published: bool, planned: NaiveDate, on: NaiveDate) -> &'static str {
    if published {
        "published"
    } else if planned < on {
        "overdue"
    } else {
        "planned"
    }
}

/// Whether data changed on `modified` is stale on `on` under "updated within `months`".
pub(crate) fn is_stale(modified: NaiveDate, months: u32, on: NaiveDate) -> bool {
    add_months(modified, months) < on
}

impl Catalog {
    async fn require_editor_of(
        &self,
        actor: &Actor,
        data: &Dict,
        action: &str,
    ) -> Result<GroupRow> {
        actor.require_user()?;
        let org = {
            let mut c = self.db.conn().await?;
            let o = require_id(data, &["organization", "owner_org"])?;
            self.find_org(&mut c, &o).await?
        };
        self.require_capacity(actor, &org.id, Capacity::Editor, action)
            .await?;
        Ok(org)
    }

    fn check_item(
        data: &Dict,
    ) -> (
        String,
        String,
        Option<NaiveDate>,
        Option<String>,
        sen_domain::error::Validation,
    ) {
        let mut input = Input::new(data);
        let title = input.required("title");
        if title.chars().count() > 500 {
            input.error("title", Msg::new("field-too-long").arg("max", 500));
        }
        let description = bounded_text(&mut input, "description", 5_000);
        let planned = input.required("planned_date");
        let date = time::parse_date(&planned);
        if !planned.is_empty() && date.is_none() {
            input.error(
                "planned_date",
                Msg::new("field-bad-date").arg("value", &planned),
            );
        }
        let dataset = input.text("dataset");
        (title, description, date, dataset, input.errors)
    }

    /// `open_data_item_create`: adds an item to the agency's open-data list.
    pub async fn open_data_item_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let org = self
            .require_editor_of(actor, data, "open_data_item_create")
            .await?;
        let (title, description, date, dataset, mut errors) = Self::check_item(data);
        let mut c = self.db.conn().await?;
        let package = self
            .resolve_datasets(
                &mut c,
                &dataset.into_iter().collect::<Vec<_>>(),
                &org.id,
                "dataset",
                &mut errors,
            )
            .await?;
        drop(c);
        errors.finish()?;
        let now = time::now();
        let row = OpenDataItemRow {
            id: new_id(),
            org_id: org.id.clone(),
            title,
            description,
            planned_date: date.map(|d| d.to_string()).unwrap_or_default(),
            package_id: package.into_iter().next(),
            created: now.clone(),
            modified: now,
        };
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_item(tx.conn(), &row).await?;
        tx.commit().await?;
        Ok(
            json!({"id": row.id, "title": row.title, "planned_date": row.planned_date, "package_id": row.package_id}),
        )
    }

    /// `open_data_item_update`: changes an item (all its fields).
    pub async fn open_data_item_update(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let id = require_id(data, &["id"])?;
        let existing = {
            let mut c = self.db.conn().await?;
            sen_db::get_item(&mut c, &id)
                .await?
                .ok_or_else(item_not_found)?
        };
        self.require_capacity(
            actor,
            &existing.org_id,
            Capacity::Editor,
            "open_data_item_update",
        )
        .await?;
        let (title, description, date, dataset, mut errors) = Self::check_item(data);
        let mut c = self.db.conn().await?;
        let package = self
            .resolve_datasets(
                &mut c,
                &dataset.into_iter().collect::<Vec<_>>(),
                &existing.org_id,
                "dataset",
                &mut errors,
            )
            .await?;
        drop(c);
        errors.finish()?;
        let row = OpenDataItemRow {
            title,
            description,
            planned_date: date.map(|d| d.to_string()).unwrap_or_default(),
            package_id: package.into_iter().next(),
            modified: time::now(),
            ..existing
        };
        let mut tx = self.db.begin_write().await?;
        sen_db::update_item(tx.conn(), &row).await?;
        tx.commit().await?;
        Ok(
            json!({"id": row.id, "title": row.title, "planned_date": row.planned_date, "package_id": row.package_id}),
        )
    }

    /// `open_data_item_delete`.
    pub async fn open_data_item_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        actor.require_user()?;
        let id = require_id(data, &["id"])?;
        let existing = {
            let mut c = self.db.conn().await?;
            sen_db::get_item(&mut c, &id)
                .await?
                .ok_or_else(item_not_found)?
        };
        self.require_capacity(
            actor,
            &existing.org_id,
            Capacity::Editor,
            "open_data_item_delete",
        )
        .await?;
        let mut tx = self.db.begin_write().await?;
        sen_db::delete_item(tx.conn(), &id).await?;
        tx.commit().await?;
        Ok(Value::Null)
    }

    /// `open_data_list_review`: records that the agency reviewed its list (on `reviewed_on`, default today).
    pub async fn open_data_list_review(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let org = self
            .require_editor_of(actor, data, "open_data_list_review")
            .await?;
        let mut input = Input::new(data);
        let on = match input.text("reviewed_on") {
            None => today(),
            Some(s) => match time::parse_date(&s) {
                Some(d) if d <= today() => d,
                _ => {
                    input.error("reviewed_on", Msg::new("field-bad-date").arg("value", s));
                    today()
                }
            },
        };
        let note = bounded_text(&mut input, "note", 2_000);
        input.finish()?;
        let row = ReviewRow {
            id: new_id(),
            org_id: org.id,
            reviewed_on: on.to_string(),
            user_id: actor.id().map(str::to_string),
            note,
        };
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_review(tx.conn(), &row).await?;
        tx.commit().await?;
        Ok(json!({"reviewed_on": row.reviewed_on, "note": row.note}))
    }

    /// The open-data lists of the agencies in `orgs`, evaluated on `on`.
    async fn lists(&self, actor: &Actor, orgs: &[GroupRow], on: NaiveDate) -> Result<Vec<Value>> {
        let (review_months, update_months) = self.inventory_rules();
        let viewer = actor.viewer();
        let mut c = self.db.conn().await?;
        let single = (orgs.len() == 1).then(|| orgs[0].id.as_str());
        let items = sen_db::list_items(&mut c, single).await?;
        let reviews = sen_db::list_reviews(&mut c, single).await?;
        let package_ids: Vec<String> = items.iter().filter_map(|i| i.package_id.clone()).collect();
        let packages: HashMap<String, sen_db::PackageRow> =
            sen_db::get_packages(&mut c, &package_ids)
                .await?
                .into_iter()
                .map(|p| (p.id.clone(), p))
                .collect();
        let sight = self.sight(actor).await?;
        let mut out = Vec::new();
        for org in orgs {
            let mut list_items = Vec::new();
            for i in items.iter().filter(|i| i.org_id == org.id) {
                let p = i.package_id.as_ref().and_then(|id| packages.get(id));
                let published = p.is_some_and(|p| p.state == "active" && p.access_level == "open");
                let visible = p.filter(|p| {
                    p.state == "active"
                        && (p.access_level == "open"
                            || matches!(viewer, sen_db::Viewer::Sysadmin)
                            || sight.member_of.contains(&p.owner_org))
                });
                let planned = time::parse_date(&i.planned_date).unwrap_or(on);
                let stale = visible
                    .filter(|_| published)
                    .and_then(|p| date_of(&p.modified))
                    .map(|m| is_stale(m, update_months, on));
                list_items.push(json!({
                    "id": i.id, "title": i.title, "description": i.description,
                    "planned_date": i.planned_date,
                    "status": item_status(published, planned, on),
                    "dataset": visible.map(|p| json!({"id": p.id, "name": p.name, "title": p.title, "modified": p.modified})),
                    "dataset_stale": stale.unwrap_or(false),
                }));
            }
            let org_reviews: Vec<&ReviewRow> =
                reviews.iter().filter(|r| r.org_id == org.id).collect();
            let last = org_reviews
                .first()
                .and_then(|r| time::parse_date(&r.reviewed_on));
            let due = last.map(|d| add_months(d, review_months));
            let has_list = !list_items.is_empty() || last.is_some();
            let review_overdue = has_list && due.is_none_or(|d| d < on);
            let n = |s: &str| list_items.iter().filter(|i| i["status"] == s).count();
            let stale = list_items
                .iter()
                .filter(|i| i["dataset_stale"] == true)
                .count();
            out.push(json!({
                "organization": {"id": org.id, "name": org.name, "title": org.title, "kind": org.kind},
                "items": list_items.clone(),
                "counts": {"total": list_items.len(), "published": n("published"), "planned": n("planned"), "overdue": n("overdue"), "stale": stale},
                "reviews": org_reviews.iter().map(|r| json!({"reviewed_on": r.reviewed_on, "note": r.note})).collect::<Vec<_>>(),
                "last_review": last.map(|d| d.to_string()),
                "next_review_due": due.map(|d| d.to_string()),
                "review_overdue": review_overdue,
                "breaches": {
                    "review_overdue": review_overdue,
                    "items_overdue": n("overdue"),
                    "datasets_stale": stale,
                },
            }));
        }
        Ok(out)
    }

    /// `open_data_list_show`: an agency's open-data list with its flags (public).
    pub async fn open_data_list_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let on = as_of(data)?;
        let org = {
            let mut c = self.db.conn().await?;
            let o = require_id(data, &["organization", "owner_org", "id"])?;
            self.find_org(&mut c, &o).await?
        };
        let (review_months, update_months) = self.inventory_rules();
        let mut list = self
            .lists(actor, &[org], on)
            .await?
            .pop()
            .unwrap_or(Value::Null);
        if let Value::Object(m) = &mut list {
            m.insert("as_of".into(), json!(on.to_string()));
            m.insert(
                "rules".into(),
                json!({"review_months": review_months, "update_months": update_months}),
            );
        }
        Ok(list)
    }

    /// `inventory_dashboard`: national (no filter), one agency (`organization`)
    /// or one sector (`sector`: an organisation kind). Figures over what the
    /// caller may see: the public part for everyone, more for government staff.
    pub async fn inventory_dashboard(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let on = as_of(data)?;
        let sight = self.sight(actor).await?;
        let (_, update_months) = self.inventory_rules();
        let (review_months, _) = self.inventory_rules();
        let mut c = self.db.conn().await?;
        let scope_org = match id_param(data, &["organization"]) {
            Some(o) => Some(self.find_org(&mut c, &o).await?),
            None => None,
        };
        let sector = id_param(data, &["sector"]);
        let all_orgs = sen_db::list_groups(
            &mut c,
            &sen_db::GroupListQuery {
                is_org: true,
                q: None,
                names: &[],
                sort: "name",
                limit: None,
                offset: 0,
            },
        )
        .await?;
        let orgs: Vec<GroupRow> = all_orgs
            .into_iter()
            .filter(|g| g.state == "active")
            .filter(|g| scope_org.as_ref().is_none_or(|o| o.id == g.id))
            .filter(|g| sector.as_ref().is_none_or(|s| *s == g.kind))
            .collect();
        drop(c);
        let (systems, _) = self.visible_systems(actor, data).await?;
        let lists = self.lists(actor, &orgs, on).await?;
        let mut c = self.db.conn().await?;
        let datasets = sen_db::visible_freshness(&mut c, &actor.viewer()).await?;
        let staff = sight.staff || sight.sysadmin;
        let mut rows = Vec::new();
        let mut total = Figures::default();
        for (org, list) in orgs.iter().zip(&lists) {
            let mut f = Figures::default();
            let full = sight.full(&org.id);
            for s in systems.iter().filter(|s| s["owner_org"] == org.id.as_str()) {
                f.systems += 1;
                *f.by_status
                    .entry(s["status"].as_str().unwrap_or("").to_string())
                    .or_default() += 1;
                *f.by_kind
                    .entry(s["kind"].as_str().unwrap_or("").to_string())
                    .or_default() += 1;
                if s["holds_open_data"] == true {
                    f.with_open += 1;
                }
                let levels = s["data_levels"].as_array().cloned().unwrap_or_default();
                if full && levels.iter().any(|l| l == "shared") {
                    f.with_shared += 1;
                }
                if full {
                    let sharing = s["sharing"].as_array().cloned().unwrap_or_default();
                    if sharing.iter().any(|x| x == "ndxp" || x == "lgsp") {
                        f.on_platforms += 1;
                    }
                }
            }
            f.items = list["counts"]["total"].as_u64().unwrap_or(0) as usize;
            f.published = list["counts"]["published"].as_u64().unwrap_or(0) as usize;
            f.overdue = list["counts"]["overdue"].as_u64().unwrap_or(0) as usize;
            f.review_overdue = usize::from(list["review_overdue"] == true);
            for d in datasets.iter().filter(|d| d.owner_org == org.id) {
                f.datasets += 1;
                if date_of(&d.modified).is_some_and(|m| !is_stale(m, update_months, on)) {
                    f.fresh += 1;
                }
            }
            total.add(&f);
            if f.systems > 0 || f.items > 0 || f.datasets > 0 || scope_org.is_some() {
                rows.push(f.to_json(Some(org), staff));
            }
        }
        let mut totals = total.to_json(None, staff);
        // A share in percent with one decimal, rounded down; none of nothing.
        let pct = |a: usize, b: usize| {
            (a * 1000)
                .checked_div(b)
                .map_or(Value::Null, |p| json!(p as f64 / 10.0))
        };
        if let Value::Object(m) = &mut totals {
            m.insert(
                "share_open_percent".into(),
                pct(total.with_open, total.systems),
            );
            if staff {
                m.insert(
                    "share_shared_percent".into(),
                    pct(total.with_shared, total.systems),
                );
            }
            m.insert(
                "list_progress_percent".into(),
                pct(total.published, total.items),
            );
            m.insert("fresh_percent".into(), pct(total.fresh, total.datasets));
            m.insert("by_status".into(), json!(STATUSES.iter().map(|s| json!({"key": s, "count": total.by_status.get(*s).copied().unwrap_or(0)})).collect::<Vec<_>>()));
            m.insert(
                "by_kind".into(),
                json!(KINDS
                    .iter()
                    .map(
                        |s| json!({"key": s, "count": total.by_kind.get(*s).copied().unwrap_or(0)})
                    )
                    .collect::<Vec<_>>()),
            );
        }
        Ok(json!({
            "scope": if scope_org.is_some() { "organization" } else if sector.is_some() { "sector" } else { "national" },
            "organization": scope_org.map(|o| json!({"id": o.id, "name": o.name, "title": o.title})),
            "sector": sector,
            "as_of": on.to_string(),
            "full": staff,
            "rules": {"review_months": review_months, "update_months": update_months},
            "totals": totals,
            "agencies": rows,
            // Access requests are part of the sharing work, not built yet.
            "requests_on_time": Value::Null,
        }))
    }
}

#[derive(Default)]
struct Figures {
    systems: usize,
    with_open: usize,
    with_shared: usize,
    on_platforms: usize,
    items: usize,
    published: usize,
    overdue: usize,
    review_overdue: usize,
    datasets: usize,
    fresh: usize,
    by_status: BTreeMap<String, usize>,
    by_kind: BTreeMap<String, usize>,
}

impl Figures {
    fn add(&mut self, o: &Figures) {
        self.systems += o.systems;
        self.with_open += o.with_open;
        self.with_shared += o.with_shared;
        self.on_platforms += o.on_platforms;
        self.items += o.items;
        self.published += o.published;
        self.overdue += o.overdue;
        self.review_overdue += o.review_overdue;
        self.datasets += o.datasets;
        self.fresh += o.fresh;
        for (k, v) in &o.by_status {
            *self.by_status.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.by_kind {
            *self.by_kind.entry(k.clone()).or_default() += v;
        }
    }

    fn to_json(&self, org: Option<&GroupRow>, staff: bool) -> Value {
        let mut v = json!({
            "organization": org.map(|o| json!({"id": o.id, "name": o.name, "title": o.title, "kind": o.kind})),
            "systems": self.systems,
            "systems_with_open_data": self.with_open,
            "list_items": self.items,
            "list_published": self.published,
            "list_overdue": self.overdue,
            "list_review_overdue": self.review_overdue,
            "datasets": self.datasets,
            "datasets_fresh": self.fresh,
        });
        if staff {
            if let Value::Object(m) = &mut v {
                m.insert("systems_with_shared_data".into(), json!(self.with_shared));
                m.insert(
                    "systems_on_sharing_platforms".into(),
                    json!(self.on_platforms),
                );
            }
        }
        v
    }
}

/// The dashboard's per-agency table as CSV (a totals row last).
pub fn dashboard_csv(dashboard: &Value) -> Result<Vec<u8>> {
    let staff = dashboard["full"] == true;
    let mut cols = vec![
        "organization",
        "systems",
        "systems_with_open_data",
        "list_items",
        "list_published",
        "list_overdue",
        "list_review_overdue",
        "datasets",
        "datasets_fresh",
    ];
    if staff {
        cols.extend(["systems_with_shared_data", "systems_on_sharing_platforms"]);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&cols).map_err(Error::internal)?;
    let empty = Vec::new();
    let rows = dashboard["agencies"].as_array().unwrap_or(&empty);
    for (i, r) in rows
        .iter()
        .chain(std::iter::once(&dashboard["totals"]))
        .enumerate()
    {
        let rec: Vec<String> = cols
            .iter()
            .map(|c| match *c {
                "organization" if i == rows.len() => "TOTAL".to_string(),
                "organization" => r["organization"]["name"].as_str().unwrap_or("").to_string(),
                k => r[k].as_u64().map(|n| n.to_string()).unwrap_or_default(),
            })
            .collect();
        w.write_record(&rec).map_err(Error::internal)?;
    }
    w.into_inner().map_err(Error::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        time::parse_date(s).unwrap()
    }

    #[test]
    fn items_are_overdue_only_after_their_date() {
        assert_eq!(
            item_status(false, d("2025-03-01"), d("2025-03-01")),
            "planned"
        );
        assert_eq!(
            item_status(false, d("2025-03-01"), d("2025-03-02")),
            "overdue"
        );
        assert_eq!(
            item_status(true, d("2020-01-01"), d("2025-03-02")),
            "published"
        );
    }

    #[test]
    fn staleness_counts_calendar_months() {
        assert!(!is_stale(d("2025-01-31"), 1, d("2025-02-28")));
        assert!(is_stale(d("2025-01-31"), 1, d("2025-03-01")));
        assert!(!is_stale(d("2025-01-15"), 3, d("2025-04-15")));
        assert!(is_stale(d("2025-01-15"), 3, d("2025-04-16")));
    }

    #[test]
    fn protected_data_cannot_be_declared_open() {
        let data = json_dict(
            json!({"name": "A", "kind": "local", "status": "operating", "data_levels": ["open"], "data_classes": ["core"]}),
        );
        let (_, errors) = check_fields(&data);
        assert!(!errors.is_empty());
        let data = json_dict(
            json!({"name": "A", "kind": "local", "status": "operating", "data_levels": ["open", "shared"], "data_classes": ["ordinary", "core"]}),
        );
        assert!(check_fields(&data).1.is_empty());
    }
}
