//! Harvest sources and the objects harvested from them (remote id → dataset).

use crate::{db_error, Conn, Sql};
use sen_domain::Result;
use sqlx::FromRow;

#[derive(Debug, Clone, Default, FromRow)]
pub struct HarvestSourceRow {
    pub id: String,
    pub name: String,
    pub title: String,
    pub url: String,
    pub source_type: String,
    pub owner_org: String,
    pub frequency: String,
    pub access_level: String,
    pub license_map: String,
    pub keep_local_edits: i64,
    pub state: String,
    pub validated_at: Option<String>,
    pub last_success_started: Option<String>,
    pub next_run_at: Option<String>,
    pub creator_user_id: Option<String>,
    pub created: String,
    pub modified: String,
}

const SOURCE_COLUMNS: &str = "id, name, title, url, source_type, owner_org, frequency, access_level, license_map, keep_local_edits, state, validated_at, last_success_started, next_run_at, creator_user_id, created, modified";

#[derive(Debug, Clone, Default, FromRow)]
pub struct HarvestObjectRow {
    pub source_id: String,
    pub remote_id: String,
    pub package_id: String,
    pub remote_url: String,
    pub remote_name: String,
    pub remote_modified: String,
    pub content_hash: String,
    pub harvested_fields: String,
    pub state: String,
    pub last_harvested: String,
}

const OBJECT_COLUMNS: &str = "source_id, remote_id, package_id, remote_url, remote_name, remote_modified, content_hash, harvested_fields, state, last_harvested";

fn push_source_values(q: &mut Sql, s: &HarvestSourceRow) {
    q.bind(s.id.as_str())
        .push(", ")
        .bind(s.name.as_str())
        .push(", ")
        .bind(s.title.as_str())
        .push(", ")
        .bind(s.url.as_str())
        .push(", ")
        .bind(s.source_type.as_str())
        .push(", ")
        .bind(s.owner_org.as_str())
        .push(", ")
        .bind(s.frequency.as_str())
        .push(", ")
        .bind(s.access_level.as_str())
        .push(", ")
        .bind(s.license_map.as_str())
        .push(", ")
        .bind(s.keep_local_edits)
        .push(", ")
        .bind(s.state.as_str())
        .push(", ")
        .bind(s.validated_at.clone())
        .push(", ")
        .bind(s.last_success_started.clone())
        .push(", ")
        .bind(s.next_run_at.clone())
        .push(", ")
        .bind(s.creator_user_id.clone())
        .push(", ")
        .bind(s.created.as_str())
        .push(", ")
        .bind(s.modified.as_str());
}

pub async fn insert_harvest_source(c: &mut Conn, s: &HarvestSourceRow) -> Result<()> {
    let mut q = Sql::new(format!(
        "INSERT INTO harvest_sources ({SOURCE_COLUMNS}) VALUES ("
    ));
    push_source_values(&mut q, s);
    q.push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// Rewrites every column of the source (read it, change it, write it back).
pub async fn update_harvest_source(c: &mut Conn, s: &HarvestSourceRow) -> Result<()> {
    let mut q = Sql::new("UPDATE harvest_sources SET name = ");
    q.bind(s.name.as_str())
        .push(", title = ")
        .bind(s.title.as_str())
        .push(", url = ")
        .bind(s.url.as_str())
        .push(", source_type = ")
        .bind(s.source_type.as_str())
        .push(", owner_org = ")
        .bind(s.owner_org.as_str())
        .push(", frequency = ")
        .bind(s.frequency.as_str())
        .push(", access_level = ")
        .bind(s.access_level.as_str())
        .push(", license_map = ")
        .bind(s.license_map.as_str())
        .push(", keep_local_edits = ")
        .bind(s.keep_local_edits)
        .push(", state = ")
        .bind(s.state.as_str())
        .push(", validated_at = ")
        .bind(s.validated_at.clone())
        .push(", last_success_started = ")
        .bind(s.last_success_started.clone())
        .push(", next_run_at = ")
        .bind(s.next_run_at.clone())
        .push(", modified = ")
        .bind(s.modified.as_str())
        .push(" WHERE id = ")
        .bind(s.id.as_str());
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// A source by id or name (deleted ones included: the caller decides).
pub async fn find_harvest_source(
    c: &mut Conn,
    id_or_name: &str,
) -> Result<Option<HarvestSourceRow>> {
    let mut q = Sql::new(format!(
        "SELECT {SOURCE_COLUMNS} FROM harvest_sources WHERE id = "
    ));
    q.bind(id_or_name).push(" OR name = ").bind(id_or_name);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Sources not deleted, by name.
pub async fn list_harvest_sources(c: &mut Conn) -> Result<Vec<HarvestSourceRow>> {
    Sql::new(format!(
        "SELECT {SOURCE_COLUMNS} FROM harvest_sources WHERE state = 'active' ORDER BY name"
    ))
    .query_as()
    .fetch_all(c)
    .await
    .map_err(db_error)
}

/// Active, validated sources with a schedule whose next run is due.
pub async fn due_harvest_sources(c: &mut Conn, now: &str) -> Result<Vec<HarvestSourceRow>> {
    let mut q = Sql::new(format!(
        "SELECT {SOURCE_COLUMNS} FROM harvest_sources WHERE state = 'active' AND frequency <> 'manual' AND validated_at IS NOT NULL AND (next_run_at IS NULL OR next_run_at <= "
    ));
    q.bind(now).push(") ORDER BY next_run_at, name");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn harvest_objects_of_source(
    c: &mut Conn,
    source_id: &str,
) -> Result<Vec<HarvestObjectRow>> {
    let mut q = Sql::new(format!(
        "SELECT {OBJECT_COLUMNS} FROM harvest_objects WHERE source_id = "
    ));
    q.bind(source_id).push(" ORDER BY remote_id");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Provenance of these datasets (those harvested), for their dictionaries.
pub async fn harvest_objects_of_packages(
    c: &mut Conn,
    package_ids: &[String],
) -> Result<Vec<(HarvestObjectRow, String, String)>> {
    if package_ids.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(FromRow)]
    struct Joined {
        #[sqlx(flatten)]
        o: HarvestObjectRow,
        source_name: String,
        source_title: String,
    }
    let cols: Vec<String> = OBJECT_COLUMNS
        .split(", ")
        .map(|c| format!("o.{c}"))
        .collect();
    let mut q = Sql::new(format!(
        "SELECT {}, s.name AS source_name, s.title AS source_title FROM harvest_objects o JOIN harvest_sources s ON s.id = o.source_id WHERE o.package_id IN ",
        cols.join(", ")
    ));
    q.bind_list(package_ids);
    let rows: Vec<Joined> = q.query_as().fetch_all(c).await.map_err(db_error)?;
    Ok(rows
        .into_iter()
        .map(|j| (j.o, j.source_name, j.source_title))
        .collect())
}

pub async fn upsert_harvest_object(c: &mut Conn, o: &HarvestObjectRow) -> Result<()> {
    let mut q = Sql::new(format!(
        "INSERT INTO harvest_objects ({OBJECT_COLUMNS}) VALUES ("
    ));
    q.bind(o.source_id.as_str())
        .push(", ")
        .bind(o.remote_id.as_str())
        .push(", ")
        .bind(o.package_id.as_str())
        .push(", ")
        .bind(o.remote_url.as_str())
        .push(", ")
        .bind(o.remote_name.as_str())
        .push(", ")
        .bind(o.remote_modified.as_str())
        .push(", ")
        .bind(o.content_hash.as_str())
        .push(", ")
        .bind(o.harvested_fields.as_str())
        .push(", ")
        .bind(o.state.as_str())
        .push(", ")
        .bind(o.last_harvested.as_str())
        .push(
            ") ON CONFLICT (source_id, remote_id) DO UPDATE SET package_id = excluded.package_id, \
             remote_url = excluded.remote_url, remote_name = excluded.remote_name, \
             remote_modified = excluded.remote_modified, content_hash = excluded.content_hash, \
             harvested_fields = excluded.harvested_fields, state = excluded.state, \
             last_harvested = excluded.last_harvested",
        );
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// Harvest jobs about these subjects, newest first.
pub async fn jobs_of_subjects(
    c: &mut Conn,
    kind: &str,
    subjects: &[String],
    limit: i64,
) -> Result<Vec<crate::JobRow>> {
    let mut q = Sql::new(format!(
        "SELECT {} FROM jobs WHERE kind = ",
        crate::jobs::COLUMNS
    ));
    q.bind(kind)
        .push(" AND subject IN ")
        .bind_list(subjects)
        .push(" ORDER BY created DESC, id DESC LIMIT ")
        .bind(limit);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Records a successful dry run, unless the source's address or type changed
/// meanwhile (then the dry run proved nothing about it).
pub async fn set_harvest_source_validated(
    c: &mut Conn,
    s: &HarvestSourceRow,
    when: &str,
) -> Result<()> {
    let mut q = Sql::new("UPDATE harvest_sources SET validated_at = ");
    q.bind(when)
        .push(" WHERE id = ")
        .bind(s.id.as_str())
        .push(" AND url = ")
        .bind(s.url.as_str())
        .push(" AND source_type = ")
        .bind(s.source_type.as_str());
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn set_harvest_next_run(c: &mut Conn, id: &str, next: &str) -> Result<()> {
    let mut q = Sql::new("UPDATE harvest_sources SET next_run_at = ");
    q.bind(next).push(" WHERE id = ").bind(id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}
