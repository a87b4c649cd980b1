use crate::{db_error, Conn, LicenseRow, Sql};
use sen_domain::Result;

const LICENSE_COLUMNS: &str = "id, title, url, od_conformance, osd_conformance, is_open, \
    is_generic, domain_content, domain_data, domain_software";

pub async fn list_licenses(c: &mut Conn) -> Result<Vec<LicenseRow>> {
    Sql::new(format!(
        "SELECT {LICENSE_COLUMNS} FROM licenses ORDER BY position, id"
    ))
    .query_as()
    .fetch_all(c)
    .await
    .map_err(db_error)
}

pub async fn find_license(c: &mut Conn, id: &str) -> Result<Option<LicenseRow>> {
    let mut q = Sql::new(format!(
        "SELECT {LICENSE_COLUMNS} FROM licenses WHERE id = "
    ));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Adds a licence to the register, or replaces the one with the same id.
pub async fn upsert_license(c: &mut Conn, l: &LicenseRow) -> Result<()> {
    let mut q = Sql::new(
        "INSERT INTO licenses (id, title, url, od_conformance, osd_conformance, is_open, is_generic, \
         domain_content, domain_data, domain_software, position) VALUES (",
    );
    q.bind(&l.id)
        .push(", ")
        .bind(&l.title)
        .push(", ")
        .bind(&l.url)
        .push(", ");
    q.bind(&l.od_conformance)
        .push(", ")
        .bind(&l.osd_conformance)
        .push(", ");
    q.bind(l.is_open)
        .push(", ")
        .bind(l.is_generic)
        .push(", ")
        .bind(l.domain_content);
    q.push(", ")
        .bind(l.domain_data)
        .push(", ")
        .bind(l.domain_software);
    q.push(", (SELECT COALESCE(MAX(position), 0) + 1 FROM licenses))");
    q.push(
        " ON CONFLICT (id) DO UPDATE SET title = excluded.title, url = excluded.url, \
         od_conformance = excluded.od_conformance, osd_conformance = excluded.osd_conformance, \
         is_open = excluded.is_open, is_generic = excluded.is_generic, \
         domain_content = excluded.domain_content, domain_data = excluded.domain_data, \
         domain_software = excluded.domain_software",
    );
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// How many datasets (in any state but deleted) use a licence.
pub async fn license_use_count(c: &mut Conn, id: &str) -> Result<i64> {
    let mut q =
        Sql::new("SELECT COUNT(*) FROM packages WHERE state <> 'deleted' AND license_id = ");
    q.bind(id);
    q.scalar().fetch_one(c).await.map_err(db_error)
}

pub async fn delete_license(c: &mut Conn, id: &str) -> Result<bool> {
    let mut q = Sql::new("DELETE FROM licenses WHERE id = ");
    q.bind(id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}
