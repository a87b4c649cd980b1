//! The PostgreSQL reference that `sen bench datastore` measures Sen against:
//! what CKAN's XLoader does — `COPY` the CSV into a table whose columns are
//! all text — and the same filter, sort and aggregate queries on that table.
//!
//! PostgreSQL-only (`sqlx::PgPool`, `COPY`), so it lives beside the other
//! reference in the only crate that writes SQL.

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::ConnectOptions;
use std::path::Path;
use std::str::FromStr;

pub struct PgTableReference {
    pool: PgPool,
    admin_url: String,
    name: String,
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl PgTableReference {
    /// A fresh database `name` (beside the one `admin_url` names) with an
    /// empty all-text table of `columns`.
    pub async fn create(
        admin_url: &str,
        name: &str,
        columns: &[&str],
        connections: u32,
    ) -> anyhow::Result<Self> {
        let url = crate::create_postgres_database(admin_url, name)
            .await
            .context("cannot create the reference database (is the URL right, and may its user CREATE DATABASE?)")?;
        let options = PgConnectOptions::from_str(&url)
            .context("bad PostgreSQL URL")?
            .log_slow_statements(log::LevelFilter::Off, std::time::Duration::ZERO);
        let pool = PgPoolOptions::new()
            .max_connections(connections.max(1))
            .acquire_timeout(std::time::Duration::from_secs(60))
            .connect_with(options)
            .await
            .context("cannot connect to the reference database")?;
        let reference = Self {
            pool,
            admin_url: admin_url.to_string(),
            name: name.to_string(),
        };
        let cols: Vec<String> = columns
            .iter()
            .map(|c| format!("{} TEXT", quoted(c)))
            .collect();
        sqlx::query(&format!("CREATE TABLE bench_table ({})", cols.join(", ")))
            .execute(&reference.pool)
            .await
            .context("cannot create the reference table")?;
        Ok(reference)
    }

    /// `COPY … FROM STDIN (FORMAT csv, HEADER)`, streaming the file; returns the rows loaded.
    pub async fn copy_csv(&self, path: &Path) -> anyhow::Result<u64> {
        use tokio::io::AsyncReadExt;
        let mut conn = self.pool.acquire().await?;
        let mut copy = conn
            .copy_in_raw("COPY bench_table FROM STDIN WITH (FORMAT csv, HEADER true)")
            .await
            .context("COPY did not start")?;
        let mut file = tokio::fs::File::open(path).await?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            copy.send(&buf[..n]).await.context("COPY failed")?;
        }
        copy.finish().await.context("COPY failed")
    }

    /// Brings the planner's statistics up to date, as a loader would.
    pub async fn analyze(&self) -> anyhow::Result<()> {
        sqlx::query("ANALYZE bench_table")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The datastore_search of the benchmark: two equality filters, a numeric
    /// sort (the text must be cast, as it is all text), a page of `limit`, and
    /// the total — two statements, as CKAN's datastore runs them.
    pub async fn filter_sort(
        &self,
        filters: &[(&str, &str)],
        sort_numeric_desc: &str,
        limit: i64,
    ) -> anyhow::Result<(i64, usize)> {
        let mut conditions = Vec::new();
        for (i, (col, _)) in filters.iter().enumerate() {
            conditions.push(format!("{} = ${}", quoted(col), i + 1));
        }
        let wh = conditions.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM bench_table WHERE {wh}");
        let page_sql = format!(
            "SELECT * FROM bench_table WHERE {wh} ORDER BY {}::numeric DESC LIMIT {limit}",
            quoted(sort_numeric_desc)
        );
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        let mut page = sqlx::query(&page_sql);
        for (_, v) in filters {
            count = count.bind(*v);
            page = page.bind(*v);
        }
        let total = count.fetch_one(&self.pool).await?;
        let rows = page.fetch_all(&self.pool).await?;
        Ok((total, rows.len()))
    }

    /// An aggregate by group: `SELECT g, COUNT(*), AVG(x::numeric) … GROUP BY g`.
    pub async fn group_by(&self, group: &str, average_of: &str) -> anyhow::Result<usize> {
        let sql = format!(
            "SELECT {g}, COUNT(*), AVG({a}::numeric) FROM bench_table GROUP BY {g}",
            g = quoted(group),
            a = quoted(average_of)
        );
        Ok(sqlx::query(&sql).fetch_all(&self.pool).await?.len())
    }

    pub async fn version(&self) -> anyhow::Result<String> {
        Ok(sqlx::query_scalar::<_, String>("SHOW server_version")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Closes the connections and drops the database.
    pub async fn drop_database(&self) -> anyhow::Result<()> {
        self.pool.close().await;
        crate::bench_reference::drop_postgres_database(&self.admin_url, &self.name).await
    }
}
