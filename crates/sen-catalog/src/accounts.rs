//! Account upkeep: profile changes (`user_update`, `user_patch`), removal
//! (`user_delete`), and password reset by an e-mailed link.

use crate::activity::ActivityRecord;
use crate::auth::{
    forbidden, hash_password, hash_token, new_token, verify_password, MIN_PASSWORD_LEN,
};
use crate::dicts::user_dict;
use crate::input::{is_email, require_id, Dict, Input};
use crate::{not_found, Actor, Catalog};
use sen_domain::{time, Msg, Result};
use serde_json::Value;

/// How long an e-mailed reset link works.
pub const RESET_LINK_MINUTES: i64 = 60;
/// At most this many reset links per account per hour (the rest are dropped silently).
const RESETS_PER_HOUR: i64 = 3;

impl Catalog {
    /// CKAN's `user_update` (every editable field) and `user_patch` (only
    /// those given). Users change themselves; sysadmins anyone, and only they
    /// grant or remove `sysadmin`. A user changing their own password must
    /// give the current one (`old_password`), as CKAN asks in its forms.
    pub async fn user_update(&self, actor: &Actor, data: &Dict, patch: bool) -> Result<Value> {
        let me = actor.require_user()?.clone();
        let id = require_id(data, &["id", "name"])?;
        let mut c = self.db.conn().await?;
        let mut user = sen_db::find_user(&mut c, &id)
            .await?
            .filter(|u| u.state == "active" || actor.is_sysadmin())
            .ok_or_else(|| not_found("user_not_found", "error-user-not-found"))?;
        drop(c);
        let own = user.id == me.id;
        if !own && !actor.is_sysadmin() {
            return Err(forbidden("user_update"));
        }
        let mut inp = Input::new(data);
        let email = inp.text("email");
        let fullname = inp.str("fullname");
        let about = inp.str("about");
        let password = inp.str("password").filter(|p| !p.is_empty());
        let old_password = inp.str("old_password").unwrap_or_default();
        let sysadmin = inp.bool("sysadmin");
        match email {
            Some(e) if is_email(&e) => user.email = e,
            Some(e) => inp.error("email", Msg::new("field-bad-email").arg("value", e)),
            None if !patch => inp.error("email", Msg::new("field-missing")),
            None => {}
        }
        if let Some(f) = fullname {
            user.fullname = f.trim().to_string();
        } else if !patch {
            user.fullname.clear();
        }
        if let Some(a) = about {
            user.about = a;
        } else if !patch {
            user.about.clear();
        }
        let mut password_changed = false;
        if let Some(p) = password {
            if p.chars().count() < MIN_PASSWORD_LEN {
                inp.error(
                    "password",
                    Msg::new("field-password-short").arg("min", MIN_PASSWORD_LEN),
                );
            } else if own
                && !user
                    .password_hash
                    .as_deref()
                    .is_some_and(|h| verify_password(&old_password, h))
            {
                inp.error("old_password", Msg::new("field-old-password-wrong"));
            } else {
                user.password_hash = Some(hash_password(&p)?);
                password_changed = true;
            }
        }
        if let Some(s) = sysadmin {
            if s != (user.sysadmin != 0) {
                if !actor.is_sysadmin() {
                    inp.error("sysadmin", Msg::new("field-sysadmin-only"));
                } else if own && !s {
                    // The last door out must stay open: nobody removes their own rights.
                    inp.error("sysadmin", Msg::new("field-sysadmin-self"));
                } else {
                    user.sysadmin = s as i64;
                }
            }
        }
        inp.finish()?;
        let mut tx = self.db.begin_write().await?;
        sen_db::update_user(tx.conn(), &user).await?;
        if password_changed && !own {
            // Someone else reset it: every session of the account ends.
            sen_db::end_user_credentials(tx.conn(), &user.id).await?;
        }
        // The record names the account, never its e-mail or password.
        ActivityRecord::user("changed user", actor, &user_dict(&user, false))
            .insert(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(user_dict(&user, true))
    }

    /// CKAN's `user_delete` (sysadmins): the account is marked deleted, its
    /// sessions and tokens end; what it published stays.
    pub async fn user_delete(&self, actor: &Actor, data: &Dict) -> Result<Value> {
        self.require_sysadmin(actor, "user_delete")?;
        let id = require_id(data, &["id", "name"])?;
        let mut c = self.db.conn().await?;
        let mut user = sen_db::find_user(&mut c, &id)
            .await?
            .ok_or_else(|| not_found("user_not_found", "error-user-not-found"))?;
        drop(c);
        if actor.id() == Some(user.id.as_str()) {
            return Err(sen_domain::Error::field(
                "id",
                Msg::new("field-sysadmin-self"),
            ));
        }
        user.state = "deleted".into();
        let mut tx = self.db.begin_write().await?;
        sen_db::update_user(tx.conn(), &user).await?;
        sen_db::end_user_credentials(tx.conn(), &user.id).await?;
        sen_db::delete_user_tokens(tx.conn(), &user.id).await?;
        ActivityRecord::user("deleted user", actor, &user_dict(&user, false))
            .insert(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(Value::Null)
    }

    /// Sends a reset link to the account named `login` (user name or e-mail),
    /// in `lang`. Says nothing about whether the account exists: the caller
    /// shows the same page either way, so the form cannot probe addresses.
    pub async fn request_password_reset(&self, login: &str, lang: sen_i18n::Lang) -> Result<()> {
        let login = login.trim();
        if login.is_empty() {
            return Ok(());
        }
        let mut c = self.db.conn().await?;
        let mut users = sen_db::users_by_email(&mut c, login).await?;
        if users.is_empty() {
            users.extend(
                sen_db::find_user(&mut c, login)
                    .await?
                    .filter(|u| u.state == "active"),
            );
        }
        let hour_ago = time::format(chrono::Utc::now() - chrono::Duration::hours(1));
        let mut sendable = Vec::new();
        for u in users {
            if sen_db::recent_password_resets(&mut c, &u.id, &hour_ago).await? < RESETS_PER_HOUR {
                sendable.push(u);
            } else {
                tracing::warn!(user = %u.name, "password reset asked too often; no mail sent");
            }
        }
        drop(c);
        for user in sendable {
            let token = new_token();
            let now = chrono::Utc::now();
            let mut tx = self.db.begin_write().await?;
            sen_db::insert_password_reset(
                tx.conn(),
                &hash_token(&token),
                &user.id,
                &time::format(now),
                &time::format(now + chrono::Duration::minutes(RESET_LINK_MINUTES)),
            )
            .await?;
            tx.commit().await?;
            let link = format!(
                "{}/user/reset/{token}",
                self.config.site_url.trim_end_matches('/')
            );
            let name = if user.fullname.is_empty() {
                &user.name
            } else {
                &user.fullname
            };
            let mail = sen_mail::Mail {
                to: user.email.clone(),
                subject: sen_i18n::t(lang, "mail-reset-subject", &[("site", self.site_title())]),
                body: sen_i18n::t(
                    lang,
                    "mail-reset-body",
                    &[
                        ("name", name.clone()),
                        ("user", user.name.clone()),
                        ("link", link),
                        ("minutes", RESET_LINK_MINUTES.to_string()),
                        ("site", self.site_title()),
                    ],
                ),
            };
            self.send_mail(mail);
        }
        Ok(())
    }

    /// Whether a reset link is still good (for showing its form).
    pub async fn password_reset_valid(&self, token: &str) -> Result<bool> {
        let mut c = self.db.conn().await?;
        Ok(
            sen_db::password_reset_user(&mut c, &hash_token(token), &time::now())
                .await?
                .is_some(),
        )
    }

    /// Sets a new password through a reset link; the link, every other link
    /// and every session of the account stop working.
    pub async fn reset_password(&self, token: &str, password: &str) -> Result<sen_db::UserRow> {
        let mut c = self.db.conn().await?;
        let user = sen_db::password_reset_user(&mut c, &hash_token(token), &time::now())
            .await?
            .ok_or_else(|| not_found("reset_link_invalid", "error-reset-link-invalid"))?;
        drop(c);
        if password.chars().count() < MIN_PASSWORD_LEN {
            return Err(sen_domain::Error::field(
                "password",
                Msg::new("field-password-short").arg("min", MIN_PASSWORD_LEN),
            ));
        }
        let mut user = user;
        user.password_hash = Some(hash_password(password)?);
        let mut tx = self.db.begin_write().await?;
        sen_db::update_user(tx.conn(), &user).await?;
        sen_db::end_user_credentials(tx.conn(), &user.id).await?;
        ActivityRecord::user(
            "changed user",
            &Actor::user(user.clone()),
            &user_dict(&user, false),
        )
        .insert(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(user)
    }
}
