//! The activity record and the actions that read it.

use crate::input::{Dict, Input};
use crate::{new_id, Actor, Catalog};
use sen_db::{ActivityRow, Conn};
use sen_domain::{time, Result};
use serde_json::{json, Value};

/// Fields whose change is bookkeeping, not news.
const IGNORED: &[&str] = &["metadata_modified", "num_resources", "num_tags"];

/// What changed between two dictionaries, field by field (top level).
pub(crate) fn diff(before: Option<&Value>, after: &Value) -> Vec<Value> {
    let (Some(Value::Object(b)), Value::Object(a)) = (before, after) else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    for (k, new) in a {
        if IGNORED.contains(&k.as_str()) {
            continue;
        }
        let old = b.get(k).unwrap_or(&Value::Null);
        if old != new {
            changes.push(json!({"field": k, "old": old, "new": new}));
        }
    }
    changes
}

pub(crate) struct ActivityRecord {
    row: ActivityRow,
}

impl ActivityRecord {
    pub fn package(kind: &str, actor: &Actor, package: &Value, changes: Vec<Value>) -> Self {
        let id = package["id"].as_str().unwrap_or_default().to_string();
        Self::new(
            kind,
            "package",
            actor,
            &id,
            Some(id.clone()),
            json!({"package": package, "changes": changes}),
        )
    }

    pub fn group(kind: &str, actor: &Actor, group: &Value, changes: Vec<Value>) -> Self {
        let id = group["id"].as_str().unwrap_or_default().to_string();
        let key = if group["is_organization"].as_bool() == Some(true) {
            "organization"
        } else {
            "group"
        };
        Self::new(
            kind,
            key,
            actor,
            &id,
            None,
            json!({ key: group, "changes": changes }),
        )
    }

    pub fn user(kind: &str, actor: &Actor, user: &Value) -> Self {
        let id = user["id"].as_str().unwrap_or_default().to_string();
        Self::new(
            kind,
            "user",
            actor,
            &id,
            None,
            json!({"user": {"id": id, "name": user["name"]}}),
        )
    }

    fn new(
        kind: &str,
        object_type: &str,
        actor: &Actor,
        object_id: &str,
        package_id: Option<String>,
        data: Value,
    ) -> Self {
        Self {
            row: ActivityRow {
                id: new_id(),
                timestamp: time::now(),
                user_id: actor.id().map(str::to_string),
                object_id: object_id.to_string(),
                object_type: object_type.to_string(),
                activity_type: kind.to_string(),
                package_id,
                data: data.to_string(),
            },
        }
    }

    pub async fn insert(self, c: &mut Conn) -> Result<()> {
        sen_db::insert_activity(c, &self.row).await
    }
}

fn activity_dict(a: &ActivityRow) -> Value {
    json!({
        "id": a.id,
        "timestamp": a.timestamp,
        "user_id": a.user_id,
        "object_id": a.object_id,
        "activity_type": a.activity_type,
        "data": crate::dicts::json_column(&a.data, json!({})),
    })
}

impl Catalog {
    pub async fn package_activity_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let p = self.readable_package(actor, data).await?;
        let mut inp = Input::new(data);
        let limit = inp.int_in("limit", 31, 1, 100);
        let offset = inp.int_in("offset", 0, 0, i64::MAX);
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let rows = sen_db::object_activities(&mut c, &p.id, limit, offset).await?;
        Ok(Value::Array(rows.iter().map(activity_dict).collect()))
    }

    pub async fn recent_activity(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let limit = inp.int_in("limit", 31, 1, 100);
        let offset = inp.int_in("offset", 0, 0, i64::MAX);
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let rows =
            sen_db::recent_package_activities(&mut c, &actor.viewer(), limit, offset).await?;
        Ok(Value::Array(rows.iter().map(activity_dict).collect()))
    }
}
