//! Site settings an operator changes at run time (title, about text, logo, …).

use crate::{db_error, Conn, Sql};
use sen_domain::Result;

pub async fn all_settings(c: &mut Conn) -> Result<Vec<(String, String)>> {
    Sql::new("SELECT key, value FROM site_settings ORDER BY key")
        .query_as()
        .fetch_all(c)
        .await
        .map_err(db_error)
}

pub async fn set_setting(c: &mut Conn, key: &str, value: &str) -> Result<()> {
    let mut q = Sql::new("INSERT INTO site_settings (key, value) VALUES (");
    q.bind(key).push(", ").bind(value);
    q.push(") ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn delete_setting(c: &mut Conn, key: &str) -> Result<()> {
    let mut q = Sql::new("DELETE FROM site_settings WHERE key = ");
    q.bind(key);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}
