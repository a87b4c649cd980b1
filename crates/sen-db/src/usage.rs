//! Views and downloads per dataset and day.

use crate::{db_error, Conn, Sql};
use sen_domain::Result;

/// Adds counts to a dataset's day (the counts were gathered in memory).
pub async fn add_usage(
    c: &mut Conn,
    package_id: &str,
    day: &str,
    views: i64,
    downloads: i64,
) -> Result<()> {
    let mut q = Sql::new("INSERT INTO usage_daily (package_id, day, views, downloads) VALUES (");
    q.bind(package_id)
        .push(", ")
        .bind(day)
        .push(", ")
        .bind(views)
        .push(", ")
        .bind(downloads);
    q.push(
        ") ON CONFLICT (package_id, day) DO UPDATE SET views = usage_daily.views + excluded.views, \
         downloads = usage_daily.downloads + excluded.downloads",
    );
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// The datasets most downloaded (then viewed) since `since_day`, best first:
/// `(package_id, views, downloads)`. Callers filter by visibility.
pub async fn most_used(
    c: &mut Conn,
    since_day: &str,
    limit: i64,
) -> Result<Vec<(String, i64, i64)>> {
    let mut q = Sql::new(
        "SELECT package_id, CAST(SUM(views) AS BIGINT), CAST(SUM(downloads) AS BIGINT) FROM usage_daily WHERE day >= ",
    );
    q.bind(since_day);
    q.push(" GROUP BY package_id ORDER BY 3 DESC, 2 DESC, package_id LIMIT ")
        .bind(limit);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// A dataset's totals: `(views, downloads)`.
pub async fn usage_totals(c: &mut Conn, package_id: &str) -> Result<(i64, i64)> {
    let mut q = Sql::new(
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT), CAST(COALESCE(SUM(downloads), 0) AS BIGINT) \
         FROM usage_daily WHERE package_id = ",
    );
    q.bind(package_id);
    q.query_as().fetch_one(c).await.map_err(db_error)
}
