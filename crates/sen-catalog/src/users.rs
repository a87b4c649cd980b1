//! User and API-token actions, and the operator's own paths used by the CLI.

use crate::activity::ActivityRecord;
use crate::auth::{forbidden, hash_password, hash_token, is_self, new_token, MIN_PASSWORD_LEN};
use crate::dicts::user_dict;
use crate::input::{is_email, require_id, Dict, Input};
use crate::packages::name_problem_msg;
use crate::{new_id, not_found, Actor, Catalog};
use sen_db::{TokenRow, UserRow};
use sen_domain::{names, time, Error, Msg, Result};
use serde_json::{json, Value};

/// A new account as the CLI or a sysadmin asks for it.
pub struct NewUser<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
    pub fullname: &'a str,
    pub sysadmin: bool,
}

impl Catalog {
    /// Validates and stores a user; no permission check (callers do it).
    pub async fn create_user(&self, actor: &Actor, new: NewUser<'_>) -> Result<Value> {
        let mut errors = sen_domain::error::Validation::default();
        if let Err(p) = names::check(new.name) {
            errors.add("name", name_problem_msg(p));
        }
        if !is_email(new.email) {
            errors.add("email", Msg::new("field-bad-email").arg("value", new.email));
        }
        if new.password.chars().count() < MIN_PASSWORD_LEN {
            errors.add(
                "password",
                Msg::new("field-password-short").arg("min", MIN_PASSWORD_LEN),
            );
        }
        let mut c = self.db.conn().await?;
        if errors.is_empty() && sen_db::find_user(&mut c, new.name).await?.is_some() {
            errors.add("name", Msg::new("field-name-taken"));
        }
        drop(c);
        errors.finish()?;
        let row = UserRow {
            id: new_id(),
            name: new.name.to_string(),
            email: new.email.to_string(),
            fullname: new.fullname.to_string(),
            about: String::new(),
            password_hash: Some(hash_password(new.password)?),
            sysadmin: new.sysadmin as i64,
            state: "active".into(),
            created: time::now(),
        };
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_user(tx.conn(), &row).await.map_err(|e| {
            if e.code == "duplicate" {
                Error::field("name", Msg::new("field-name-taken"))
            } else {
                e
            }
        })?;
        let d = user_dict(&row, true);
        ActivityRecord::user("new user", actor, &d)
            .insert(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(d)
    }

    /// CKAN's `user_create`: sysadmins only (CKAN's default for the API).
    pub async fn user_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_sysadmin(actor, "user_create")?;
        let mut inp = Input::new(data);
        let name = inp.required("name");
        let email = inp.required("email");
        let password = inp.str("password").unwrap_or_default();
        let fullname = inp.text("fullname").unwrap_or_default();
        let sysadmin = inp.bool("sysadmin").unwrap_or(false);
        if password.is_empty() {
            inp.error("password", Msg::new("field-missing"));
        }
        inp.finish()?;
        self.create_user(
            actor,
            NewUser {
                name: &name,
                email: &email,
                password: &password,
                fullname: &fullname,
                sysadmin,
            },
        )
        .await
    }

    pub async fn user_show(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let id = match crate::input::id_param(data, &["id", "user_obj"]) {
            Some(id) => id,
            None => actor.require_user()?.id.clone(),
        };
        let mut inp = Input::new(data);
        let include_datasets = inp.bool("include_datasets").unwrap_or(false);
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let user = sen_db::find_user(&mut c, &id)
            .await?
            .filter(|u| u.state == "active" || actor.is_sysadmin())
            .ok_or_else(|| not_found("user_not_found", "error-user-not-found"))?;
        let own = actor.is_sysadmin() || actor.id() == Some(user.id.as_str());
        let mut d = user_dict(&user, own);
        if include_datasets {
            let pq = sen_db::PackageQuery {
                viewer: actor.viewer(),
                words: Vec::new(),
                filters: Vec::new(),
                include_private: true,
                include_drafts: own,
                sort: vec![("metadata_modified".into(), true)],
                rows: 1000,
                start: 0,
            };
            let (ids, _) = sen_db::search_packages(&mut c, &pq).await?;
            let rows: Vec<_> = sen_db::get_packages(&mut c, &ids)
                .await?
                .into_iter()
                .filter(|p| p.creator_user_id.as_deref() == Some(user.id.as_str()))
                .collect();
            d["datasets"] = Value::Array(self.package_dicts(&mut c, &rows).await?);
        }
        Ok(d)
    }

    pub async fn user_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let mut inp = Input::new(data);
        let q = inp.text("q");
        let order_by = inp.text("order_by").unwrap_or_else(|| "name".into());
        let all_fields = inp.bool("all_fields").unwrap_or(true);
        inp.finish()?;
        let mut c = self.db.conn().await?;
        let users = sen_db::list_users(&mut c, q.as_deref(), &order_by).await?;
        Ok(if all_fields {
            json!(users
                .iter()
                .map(|u| user_dict(u, actor.is_sysadmin() || actor.id() == Some(u.id.as_str())))
                .collect::<Vec<_>>())
        } else {
            json!(users.iter().map(|u| u.name.clone()).collect::<Vec<_>>())
        })
    }

    /// The user a token action is about; only themself or a sysadmin may ask.
    async fn token_owner(
        &self,
        actor: &Actor,
        data: &Dict,
        keys: &[&str],
        action: &str,
    ) -> Result<UserRow> {
        let me = actor.require_user()?;
        let who = crate::input::id_param(data, keys).unwrap_or_else(|| me.id.clone());
        if !(actor.is_sysadmin() || is_self(actor, data, keys) || who == me.id) {
            return Err(forbidden(action));
        }
        let mut c = self.db.conn().await?;
        sen_db::find_user(&mut c, &who)
            .await?
            .ok_or_else(|| not_found("user_not_found", "error-user-not-found"))
    }

    /// Issues a token; the raw value is returned once and stored only as a hash.
    pub async fn issue_token(
        &self,
        user: &UserRow,
        label: &str,
        expires_at: Option<String>,
    ) -> Result<(String, TokenRow)> {
        let token = new_token();
        let row = TokenRow {
            id: new_id(),
            user_id: user.id.clone(),
            name: label.to_string(),
            token_hash: hash_token(&token),
            created: time::now(),
            expires_at,
            last_access: None,
        };
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_token(tx.conn(), &row).await?;
        tx.commit().await?;
        Ok((token, row))
    }

    /// CKAN's `api_token_create`: `user`, `name`, and optionally `expires_in`
    /// with `unit` (seconds per unit, as CKAN's expire_api_token plugin) or `expires_at`.
    pub async fn api_token_create(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let user = self
            .token_owner(actor, data, &["user", "user_id"], "api_token_create")
            .await?;
        let mut inp = Input::new(data);
        let name = inp.required("name");
        let expires_in = inp.int("expires_in");
        let unit = inp.int_in("unit", 1, 1, 31_536_000);
        let expires_at_in = inp.text("expires_at");
        let mut expires_at = None;
        if let Some(n) = expires_in {
            if n <= 0 {
                inp.error("expires_in", Msg::new("field-expires"));
            } else {
                let secs = n.saturating_mul(unit).min(100 * 365 * 86_400);
                expires_at = Some(time::format(
                    chrono::Utc::now() + chrono::Duration::seconds(secs),
                ));
            }
        } else if let Some(at) = expires_at_in {
            match time::parse(&at) {
                Some(t) if t > chrono::Utc::now() => expires_at = Some(time::format(t)),
                _ => inp.error("expires_at", Msg::new("field-expires")),
            }
        }
        inp.finish()?;
        let (token, _) = self.issue_token(&user, &name, expires_at).await?;
        Ok(json!({"token": token}))
    }

    pub async fn api_token_list(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let user = self
            .token_owner(actor, data, &["user_id", "user"], "api_token_list")
            .await?;
        let mut c = self.db.conn().await?;
        let tokens = sen_db::list_tokens(&mut c, &user.id).await?;
        Ok(Value::Array(
            tokens
                .iter()
                .map(|t| json!({"id": t.id, "name": t.name, "user_id": t.user_id, "created_at": t.created,
                                "last_access": t.last_access, "expires_at": t.expires_at}))
                .collect(),
        ))
    }

    /// Revokes by the token itself (`token`) or its id (`jti`, as CKAN).
    pub async fn api_token_revoke(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        let me = actor.require_user()?;
        let mut c = self.db.conn().await?;
        let row = if let Some(token) = crate::input::id_param(data, &["token"]) {
            sen_db::find_token_by_hash(&mut c, &hash_token(&token)).await?
        } else {
            let jti = require_id(data, &["jti", "id"])?;
            sen_db::find_token(&mut c, &jti).await?
        };
        drop(c);
        let row = row.ok_or_else(|| not_found("token_not_found", "error-token-not-found"))?;
        if row.user_id != me.id && !actor.is_sysadmin() {
            // Someone else's token does not exist for this caller.
            return Err(not_found("token_not_found", "error-token-not-found"));
        }
        let mut tx = self.db.begin_write().await?;
        sen_db::delete_token(tx.conn(), &row.id).await?;
        tx.commit().await?;
        Ok(Value::Null)
    }

    /// The operator's path (CLI): a token for any user, no caller needed.
    pub async fn admin_create_token(&self, user_ref: &str, label: &str) -> Result<String> {
        let mut c = self.db.conn().await?;
        let user = sen_db::find_user(&mut c, user_ref)
            .await?
            .ok_or_else(|| not_found("user_not_found", "error-user-not-found"))?;
        drop(c);
        Ok(self.issue_token(&user, label, None).await?.0)
    }

    pub async fn find_user(&self, user_ref: &str) -> Result<Option<UserRow>> {
        let mut c = self.db.conn().await?;
        sen_db::find_user(&mut c, user_ref).await
    }
}
