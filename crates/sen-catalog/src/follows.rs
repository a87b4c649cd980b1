//! Following datasets, organisations and topics (CKAN's follow actions).
//! Only what the follower may see can be followed; counts of non-open
//! datasets are as invisible as the datasets themselves.

use crate::dicts::user_dict;
use crate::input::{require_id, Dict};
use crate::{Actor, Catalog};
use sen_domain::{time, Result};
use serde_json::{json, Value};

/// What a follow action is about.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Followed {
    Dataset,
    /// Topics and organisations alike (CKAN calls both groups).
    Group,
}

impl Followed {
    fn key(self) -> &'static str {
        match self {
            Followed::Dataset => "dataset",
            Followed::Group => "group",
        }
    }
}

impl Catalog {
    /// The id of the followed object, checking the actor may see it.
    async fn followed_id(&self, actor: &Actor, data: &Dict, what: Followed) -> Result<String> {
        match what {
            Followed::Dataset => Ok(self.readable_package(actor, data).await?.id),
            Followed::Group => {
                let id = require_id(data, &["id", "name"])?;
                let mut c = self.db.conn().await?;
                let g = sen_db::find_any_group(&mut c, &id)
                    .await?
                    .filter(|g| g.state == "active")
                    .ok_or_else(|| crate::not_found("group_not_found", "error-group-not-found"))?;
                Ok(g.id)
            }
        }
    }

    pub async fn follow(&self, actor: &Actor, data: &Dict, what: Followed) -> Result<Value> {
        let user = actor.require_user()?.clone();
        let id = self.followed_id(actor, data, what).await?;
        let now = time::now();
        let mut tx = self.db.begin_write().await?;
        let added = sen_db::insert_follow(tx.conn(), &user.id, what.key(), &id, &now).await?;
        tx.commit().await?;
        if !added {
            // CKAN answers a second follow with a Validation Error on `message`.
            let mut e = sen_domain::Error::field(
                "message",
                sen_domain::Msg::new("error-already-following"),
            );
            e.code = "already_following";
            return Err(e);
        }
        Ok(json!({"follower_id": user.id, "object_id": id, "datetime": now}))
    }

    pub async fn unfollow(&self, actor: &Actor, data: &Dict, what: Followed) -> Result<Value> {
        let user = actor.require_user()?.clone();
        let id = self.followed_id(actor, data, what).await?;
        let mut tx = self.db.begin_write().await?;
        let removed = sen_db::delete_follow(tx.conn(), &user.id, what.key(), &id).await?;
        tx.commit().await?;
        if !removed {
            return Err(crate::not_found("not_following", "error-not-following"));
        }
        Ok(Value::Null)
    }

    pub async fn follower_count(
        &self,
        actor: &Actor,
        data: &Dict,
        what: Followed,
    ) -> Result<Value> {
        let id = self.followed_id(actor, data, what).await?;
        let mut c = self.db.conn().await?;
        Ok(json!(
            sen_db::follower_count(&mut c, what.key(), &id).await?
        ))
    }

    /// Who follows: sysadmins only, as in CKAN (a follower list is personal data).
    pub async fn follower_list(&self, actor: &Actor, data: &Dict, what: Followed) -> Result<Value> {
        self.require_sysadmin(actor, "follower_list")?;
        let id = self.followed_id(actor, data, what).await?;
        let mut c = self.db.conn().await?;
        let users = sen_db::followers(&mut c, what.key(), &id).await?;
        Ok(json!(users
            .iter()
            .map(|u| user_dict(u, false))
            .collect::<Vec<_>>()))
    }

    pub async fn am_following(&self, actor: &Actor, data: &Dict, what: Followed) -> Result<Value> {
        let user = actor.require_user()?.clone();
        let id = self.followed_id(actor, data, what).await?;
        let mut c = self.db.conn().await?;
        Ok(json!(
            sen_db::is_following(&mut c, &user.id, what.key(), &id).await?
        ))
    }

    /// CKAN's `dataset_followee_list`: the datasets a user follows that the
    /// caller may see (a user's own list, or any list for a sysadmin).
    pub async fn dataset_followee_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let me = actor.require_user()?.clone();
        let who = crate::input::id_param(data, &["id"]).unwrap_or_else(|| me.id.clone());
        if !(actor.is_sysadmin() || who == me.id || who == me.name) {
            return Err(crate::auth::forbidden("dataset_followee_list"));
        }
        let mut c = self.db.conn().await?;
        let user = sen_db::find_user(&mut c, &who)
            .await?
            .ok_or_else(|| crate::not_found("user_not_found", "error-user-not-found"))?;
        let ids = sen_db::followed_ids(&mut c, &user.id, "dataset").await?;
        let rows = sen_db::get_packages(&mut c, &ids).await?;
        drop(c);
        let mut visible = Vec::new();
        for p in rows {
            if self.can_read_package(actor, &p).await? {
                visible.push(p);
            }
        }
        let mut c = self.db.conn().await?;
        Ok(Value::Array(self.package_dicts(&mut c, &visible).await?))
    }
}
