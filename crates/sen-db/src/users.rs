use crate::{db_error, Conn, Sql, TokenRow, UserRow};
use sen_domain::Result;

const USER_COLUMNS: &str =
    "id, name, email, fullname, about, password_hash, sysadmin, state, created";

pub async fn insert_user(c: &mut Conn, u: &UserRow) -> Result<()> {
    let mut q = Sql::new("INSERT INTO users (");
    q.push(USER_COLUMNS).push(") VALUES (");
    q.bind(&u.id)
        .push(", ")
        .bind(&u.name)
        .push(", ")
        .bind(&u.email)
        .push(", ");
    q.bind(&u.fullname)
        .push(", ")
        .bind(&u.about)
        .push(", ")
        .bind(u.password_hash.clone());
    q.push(", ")
        .bind(u.sysadmin)
        .push(", ")
        .bind(&u.state)
        .push(", ")
        .bind(&u.created)
        .push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn update_user(c: &mut Conn, u: &UserRow) -> Result<()> {
    let mut q = Sql::new("UPDATE users SET email = ");
    q.bind(&u.email)
        .push(", fullname = ")
        .bind(&u.fullname)
        .push(", about = ")
        .bind(&u.about);
    q.push(", password_hash = ").bind(u.password_hash.clone());
    q.push(", sysadmin = ")
        .bind(u.sysadmin)
        .push(", state = ")
        .bind(&u.state);
    q.push(" WHERE id = ").bind(&u.id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// By id or by name, as CKAN's `id` parameters accept either.
pub async fn find_user(c: &mut Conn, id_or_name: &str) -> Result<Option<UserRow>> {
    let mut q = Sql::new(format!("SELECT {USER_COLUMNS} FROM users WHERE id = "));
    q.bind(id_or_name).push(" OR name = ").bind(id_or_name);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

pub async fn list_users(
    c: &mut Conn,
    q_text: Option<&str>,
    order_by: &str,
) -> Result<Vec<UserRow>> {
    let mut q = Sql::new(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE state = 'active'"
    ));
    if let Some(t) = q_text.filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", crate::packages::escape_like(&t.to_lowercase()));
        q.push(" AND (LOWER(name) LIKE ")
            .bind(&pattern)
            .push(" ESCAPE '\\'");
        q.push(" OR LOWER(fullname) LIKE ")
            .bind(&pattern)
            .push(" ESCAPE '\\')");
    }
    let order = match order_by {
        "created" => "created",
        "fullname" | "display_name" => "fullname",
        _ => "name",
    };
    q.push(&format!(" ORDER BY {order}, name"));
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn count_users(c: &mut Conn) -> Result<i64> {
    Sql::new("SELECT COUNT(*) FROM users")
        .scalar()
        .fetch_one(c)
        .await
        .map_err(db_error)
}

pub async fn insert_token(c: &mut Conn, t: &TokenRow) -> Result<()> {
    let mut q = Sql::new(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created, expires_at) VALUES (",
    );
    q.bind(&t.id)
        .push(", ")
        .bind(&t.user_id)
        .push(", ")
        .bind(&t.name)
        .push(", ");
    q.bind(&t.token_hash)
        .push(", ")
        .bind(&t.created)
        .push(", ")
        .bind(t.expires_at.clone());
    q.push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

const TOKEN_COLUMNS: &str = "id, user_id, name, token_hash, created, expires_at, last_access";

pub async fn find_token_by_hash(c: &mut Conn, hash: &str) -> Result<Option<TokenRow>> {
    let mut q = Sql::new(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = "
    ));
    q.bind(hash);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

pub async fn find_token(c: &mut Conn, id: &str) -> Result<Option<TokenRow>> {
    let mut q = Sql::new(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE id = "
    ));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

pub async fn list_tokens(c: &mut Conn, user_id: &str) -> Result<Vec<TokenRow>> {
    let mut q = Sql::new(format!(
        "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = "
    ));
    q.bind(user_id).push(" ORDER BY created");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn delete_token(c: &mut Conn, id: &str) -> Result<bool> {
    let mut q = Sql::new("DELETE FROM api_tokens WHERE id = ");
    q.bind(id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

pub async fn touch_token(c: &mut Conn, id: &str, when: &str) -> Result<()> {
    let mut q = Sql::new("UPDATE api_tokens SET last_access = ");
    q.bind(when).push(" WHERE id = ").bind(id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn insert_session(
    c: &mut Conn,
    token_hash: &str,
    user_id: &str,
    created: &str,
    expires_at: &str,
) -> Result<()> {
    let mut q =
        Sql::new("INSERT INTO sessions (token_hash, user_id, created, expires_at) VALUES (");
    q.bind(token_hash)
        .push(", ")
        .bind(user_id)
        .push(", ")
        .bind(created)
        .push(", ")
        .bind(expires_at)
        .push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// The user of an unexpired session.
pub async fn session_user(c: &mut Conn, token_hash: &str, now: &str) -> Result<Option<UserRow>> {
    let mut q = Sql::new(
        "SELECT u.id, u.name, u.email, u.fullname, u.about, u.password_hash, u.sysadmin, u.state, u.created \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.state = 'active' AND s.token_hash = ",
    );
    q.bind(token_hash).push(" AND s.expires_at > ").bind(now);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

pub async fn delete_session(c: &mut Conn, token_hash: &str) -> Result<()> {
    let mut q = Sql::new("DELETE FROM sessions WHERE token_hash = ");
    q.bind(token_hash);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn insert_password_reset(
    c: &mut Conn,
    token_hash: &str,
    user_id: &str,
    created: &str,
    expires_at: &str,
) -> Result<()> {
    let mut q =
        Sql::new("INSERT INTO password_resets (token_hash, user_id, created, expires_at) VALUES (");
    q.bind(token_hash).push(", ").bind(user_id).push(", ");
    q.bind(created).push(", ").bind(expires_at).push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// The active user an unexpired reset token belongs to.
pub async fn password_reset_user(
    c: &mut Conn,
    token_hash: &str,
    now: &str,
) -> Result<Option<UserRow>> {
    let mut q = Sql::new(
        "SELECT u.id, u.name, u.email, u.fullname, u.about, u.password_hash, u.sysadmin, u.state, u.created \
         FROM password_resets r JOIN users u ON u.id = r.user_id WHERE u.state = 'active' AND r.token_hash = ",
    );
    q.bind(token_hash).push(" AND r.expires_at > ").bind(now);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Forgets every reset link and every session of a user (after a password change).
pub async fn end_user_credentials(c: &mut Conn, user_id: &str) -> Result<()> {
    for table in ["password_resets", "sessions"] {
        let mut q = Sql::new(format!("DELETE FROM {table} WHERE user_id = "));
        q.bind(user_id);
        q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    }
    Ok(())
}

/// Reset links issued for a user since `since` (to limit how many are sent).
pub async fn recent_password_resets(c: &mut Conn, user_id: &str, since: &str) -> Result<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM password_resets WHERE user_id = ");
    q.bind(user_id).push(" AND created > ").bind(since);
    q.scalar().fetch_one(c).await.map_err(db_error)
}

/// Users whose e-mail address is this one (case-insensitive).
pub async fn users_by_email(c: &mut Conn, email: &str) -> Result<Vec<UserRow>> {
    let mut q = Sql::new(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE state = 'active' AND LOWER(email) = "
    ));
    q.bind(email.to_lowercase());
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn delete_user_tokens(c: &mut Conn, user_id: &str) -> Result<()> {
    let mut q = Sql::new("DELETE FROM api_tokens WHERE user_id = ");
    q.bind(user_id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}
