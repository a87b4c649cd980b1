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
