//! Who is calling, and what they may do: password hashing (argon2id), API
//! tokens (random, stored only as SHA-256, shown once), and role checks.

use crate::{Catalog, Dict};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use sen_db::{UserRow, Viewer};
use sen_domain::{time, Capacity, Error, Msg, Result};
use sha2::{Digest, Sha256};

/// The caller of an action: a signed-in user or nobody.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user: Option<UserRow>,
}

impl Actor {
    pub fn anonymous() -> Self {
        Self { user: None }
    }

    pub fn user(user: UserRow) -> Self {
        Self { user: Some(user) }
    }

    pub fn is_sysadmin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.sysadmin != 0)
    }

    pub fn id(&self) -> Option<&str> {
        self.user.as_ref().map(|u| u.id.as_str())
    }

    pub fn name(&self) -> Option<&str> {
        self.user.as_ref().map(|u| u.name.as_str())
    }

    pub fn viewer(&self) -> Viewer {
        match &self.user {
            None => Viewer::Anonymous,
            Some(u) if u.sysadmin != 0 => Viewer::Sysadmin,
            Some(u) => Viewer::User { id: u.id.clone() },
        }
    }

    /// The signed-in user, or the error telling the caller to sign in.
    pub fn require_user(&self) -> Result<&UserRow> {
        self.user.as_ref().ok_or_else(Error::sign_in_required)
    }
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(Error::internal)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

pub const MIN_PASSWORD_LEN: usize = 8;

/// A new API token: 32 random bytes, prefixed so leaked tokens are recognisable.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("sen_{}", hex::encode(bytes))
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

impl Catalog {
    /// The user an API token belongs to. Unknown, revoked or expired tokens are
    /// an error rather than silently anonymous, so scripts notice.
    pub async fn authenticate_token(&self, token: &str) -> Result<Actor> {
        let mut c = self.db.conn().await?;
        let row = sen_db::find_token_by_hash(&mut c, &hash_token(token)).await?;
        let invalid = || {
            Error::new(
                sen_domain::ErrorKind::Forbidden,
                "invalid_token",
                Msg::new("error-invalid-token"),
            )
        };
        let Some(row) = row else {
            return Err(invalid());
        };
        let now = time::now();
        if row.expires_at.as_deref().is_some_and(|e| e <= now.as_str()) {
            return Err(invalid());
        }
        let user = sen_db::find_user(&mut c, &row.user_id)
            .await?
            .filter(|u| u.state == "active");
        let Some(user) = user else {
            return Err(invalid());
        };
        // Record use at most every five minutes, so reads stay reads.
        let stale = row.last_access.as_deref().is_none_or(|t| {
            time::parse(t).is_none_or(|t| chrono::Utc::now() - t > chrono::Duration::minutes(5))
        });
        if stale {
            drop(c);
            let mut tx = self.db.begin_write().await?;
            sen_db::touch_token(tx.conn(), &row.id, &now).await?;
            tx.commit().await?;
        }
        Ok(Actor::user(user))
    }

    /// Checks a name and password; `None` when they do not match an active user.
    pub async fn authenticate_password(
        &self,
        name: &str,
        password: &str,
    ) -> Result<Option<UserRow>> {
        let mut c = self.db.conn().await?;
        let user = sen_db::find_user(&mut c, name).await?;
        Ok(user.filter(|u| {
            u.state == "active"
                && u.password_hash
                    .as_deref()
                    .is_some_and(|h| verify_password(password, h))
        }))
    }

    /// The capacity the actor holds in a group; sysadmins count as admins everywhere.
    pub(crate) async fn capacity_in(
        &self,
        actor: &Actor,
        group_id: &str,
    ) -> Result<Option<Capacity>> {
        let Some(user) = &actor.user else {
            return Ok(None);
        };
        if user.sysadmin != 0 {
            return Ok(Some(Capacity::Admin));
        }
        let mut c = self.db.conn().await?;
        let cap = sen_db::capacity(&mut c, group_id, &user.id).await?;
        Ok(cap.as_deref().and_then(Capacity::parse))
    }

    /// Government staff: a signed-in member of an active organisation.
    pub(crate) async fn is_staff(&self, actor: &Actor) -> Result<bool> {
        let Some(user) = &actor.user else {
            return Ok(false);
        };
        if user.sysadmin != 0 {
            return Ok(true);
        }
        let mut c = self.db.conn().await?;
        sen_db::is_staff(&mut c, &user.id).await
    }

    /// Fails unless the actor holds at least `needed` in the group.
    pub(crate) async fn require_capacity(
        &self,
        actor: &Actor,
        group_id: &str,
        needed: Capacity,
        action: &str,
    ) -> Result<()> {
        actor.require_user()?;
        match self.capacity_in(actor, group_id).await? {
            Some(c) if c >= needed => Ok(()),
            _ => Err(forbidden(action)),
        }
    }

    pub(crate) fn require_sysadmin(&self, actor: &Actor, action: &str) -> Result<()> {
        actor.require_user()?;
        if actor.is_sysadmin() {
            Ok(())
        } else {
            Err(forbidden(action))
        }
    }
}

pub(crate) fn forbidden(action: &str) -> Error {
    Error::forbidden(Msg::new("error-not-allowed-action").arg("action", action))
}

/// Whether `data` asks about the actor themself (by id or name).
pub(crate) fn is_self(actor: &Actor, data: &Dict, keys: &[&str]) -> bool {
    let Some(u) = &actor.user else { return false };
    keys.iter().any(|k| {
        data.get(*k)
            .and_then(|v| v.as_str())
            .is_some_and(|v| v == u.id || v == u.name)
    })
}

/// How long a browser session lasts.
pub const SESSION_DAYS: i64 = 14;

impl Catalog {
    /// Starts a browser session; returns the token for the cookie.
    pub async fn start_session(&self, user: &UserRow) -> Result<String> {
        let token = new_token();
        let now = chrono::Utc::now();
        let expires = time::format(now + chrono::Duration::days(SESSION_DAYS));
        let mut tx = self.db.begin_write().await?;
        sen_db::insert_session(
            tx.conn(),
            &hash_token(&token),
            &user.id,
            &time::format(now),
            &expires,
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The signed-in user of a session cookie, if the session is valid.
    pub async fn session_actor(&self, token: &str) -> Result<Actor> {
        let mut c = self.db.conn().await?;
        let user = sen_db::session_user(&mut c, &hash_token(token), &time::now()).await?;
        Ok(Actor { user })
    }

    pub async fn end_session(&self, token: &str) -> Result<()> {
        let mut tx = self.db.begin_write().await?;
        sen_db::delete_session(tx.conn(), &hash_token(token)).await?;
        tx.commit().await
    }
}
