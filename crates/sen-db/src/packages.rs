//! Datasets (CKAN packages), their tags and topics, and the first search version.

use crate::{db_error, Conn, PackageRow, Sql, TagCount, Viewer};
use sen_domain::Result;

const PACKAGE_COLUMNS: &str = "id, name, title, notes, url, version, author, author_email, \
    maintainer, maintainer_email, license_id, owner_org, type, state, access_level, data_class, \
    frequency, language, spatial, temporal_start, temporal_end, conforms_to, identifier, \
    contact_name, contact_email, extras, search_text, creator_user_id, created, modified";

fn push_values(q: &mut Sql, p: &PackageRow) {
    let texts: [&String; 27] = [
        &p.id,
        &p.name,
        &p.title,
        &p.notes,
        &p.url,
        &p.version,
        &p.author,
        &p.author_email,
        &p.maintainer,
        &p.maintainer_email,
        &p.license_id,
        &p.owner_org,
        &p.kind,
        &p.state,
        &p.access_level,
        &p.data_class,
        &p.frequency,
        &p.language,
        &p.spatial,
        &p.temporal_start,
        &p.temporal_end,
        &p.conforms_to,
        &p.identifier,
        &p.contact_name,
        &p.contact_email,
        &p.extras,
        &p.search_text,
    ];
    for (i, t) in texts.into_iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(t);
    }
    q.push(", ")
        .bind(p.creator_user_id.clone())
        .push(", ")
        .bind(&p.created);
    q.push(", ").bind(&p.modified);
}

pub async fn insert_package(c: &mut Conn, p: &PackageRow) -> Result<()> {
    let mut q = Sql::new(format!("INSERT INTO packages ({PACKAGE_COLUMNS}) VALUES ("));
    push_values(&mut q, p);
    q.push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// Rewrites every column but `id`, `created` and `creator_user_id`.
pub async fn update_package(c: &mut Conn, p: &PackageRow) -> Result<()> {
    let mut q = Sql::new("UPDATE packages SET ");
    let fields: [(&str, &String); 26] = [
        ("name", &p.name),
        ("title", &p.title),
        ("notes", &p.notes),
        ("url", &p.url),
        ("version", &p.version),
        ("author", &p.author),
        ("author_email", &p.author_email),
        ("maintainer", &p.maintainer),
        ("maintainer_email", &p.maintainer_email),
        ("license_id", &p.license_id),
        ("owner_org", &p.owner_org),
        ("type", &p.kind),
        ("state", &p.state),
        ("access_level", &p.access_level),
        ("data_class", &p.data_class),
        ("frequency", &p.frequency),
        ("language", &p.language),
        ("spatial", &p.spatial),
        ("temporal_start", &p.temporal_start),
        ("temporal_end", &p.temporal_end),
        ("conforms_to", &p.conforms_to),
        ("identifier", &p.identifier),
        ("contact_name", &p.contact_name),
        ("contact_email", &p.contact_email),
        ("extras", &p.extras),
        ("search_text", &p.search_text),
    ];
    for (i, (col, val)) in fields.into_iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push(col).push(" = ").bind(val);
    }
    q.push(", modified = ")
        .bind(&p.modified)
        .push(" WHERE id = ")
        .bind(&p.id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn touch_package(c: &mut Conn, id: &str, modified: &str) -> Result<()> {
    let mut q = Sql::new("UPDATE packages SET modified = ");
    q.bind(modified).push(" WHERE id = ").bind(id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// By id or name, any state; callers decide visibility.
pub async fn find_package(c: &mut Conn, id_or_name: &str) -> Result<Option<PackageRow>> {
    let mut q = Sql::new(format!(
        "SELECT {PACKAGE_COLUMNS} FROM packages WHERE id = "
    ));
    q.bind(id_or_name).push(" OR name = ").bind(id_or_name);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

pub async fn get_packages(c: &mut Conn, ids: &[String]) -> Result<Vec<PackageRow>> {
    let mut q = Sql::new(format!(
        "SELECT {PACKAGE_COLUMNS} FROM packages WHERE id IN "
    ));
    q.bind_list(ids);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn package_tags(c: &mut Conn, package_id: &str) -> Result<Vec<(String, String)>> {
    let mut q = Sql::new(
        "SELECT t.id, t.name FROM tags t JOIN package_tags pt ON pt.tag_id = t.id \
         WHERE pt.package_id = ",
    );
    q.bind(package_id).push(" ORDER BY t.name");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Replaces the dataset's tags with `names`, creating tags as needed.
pub async fn set_package_tags(
    c: &mut Conn,
    package_id: &str,
    names: &[String],
    new_id: impl Fn() -> String,
) -> Result<()> {
    let mut q = Sql::new("DELETE FROM package_tags WHERE package_id = ");
    q.bind(package_id);
    q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    for name in names {
        let mut ins = Sql::new("INSERT INTO tags (id, name) VALUES (");
        ins.bind(new_id())
            .push(", ")
            .bind(name)
            .push(") ON CONFLICT (name) DO NOTHING");
        ins.execute_query()
            .execute(&mut *c)
            .await
            .map_err(db_error)?;
        let mut link = Sql::new("INSERT INTO package_tags (package_id, tag_id) SELECT ");
        link.bind(package_id)
            .push(", id FROM tags WHERE name = ")
            .bind(name);
        link.push(" ON CONFLICT DO NOTHING");
        link.execute_query()
            .execute(&mut *c)
            .await
            .map_err(db_error)?;
    }
    Ok(())
}

pub async fn package_group_ids(c: &mut Conn, package_id: &str) -> Result<Vec<String>> {
    let mut q = Sql::new("SELECT group_id FROM package_groups WHERE package_id = ");
    q.bind(package_id);
    q.scalar().fetch_all(c).await.map_err(db_error)
}

pub async fn set_package_groups(
    c: &mut Conn,
    package_id: &str,
    group_ids: &[String],
) -> Result<()> {
    let mut q = Sql::new("DELETE FROM package_groups WHERE package_id = ");
    q.bind(package_id);
    q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    for gid in group_ids {
        add_package_group(&mut *c, package_id, gid).await?;
    }
    Ok(())
}

pub async fn add_package_group(c: &mut Conn, package_id: &str, group_id: &str) -> Result<()> {
    let mut q = Sql::new("INSERT INTO package_groups (package_id, group_id) VALUES (");
    q.bind(package_id)
        .push(", ")
        .bind(group_id)
        .push(") ON CONFLICT DO NOTHING");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn remove_package_group(c: &mut Conn, package_id: &str, group_id: &str) -> Result<bool> {
    let mut q = Sql::new("DELETE FROM package_groups WHERE package_id = ");
    q.bind(package_id).push(" AND group_id = ").bind(group_id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

/// Appends the condition "active and visible to `viewer`" for the packages aliased `p`.
/// Non-open datasets exist only for sysadmins and members of the owning organisation.
pub fn push_visible(q: &mut Sql, viewer: &Viewer, p: &str) {
    push_visible_in_states(q, viewer, p, false)
}

/// As [`push_visible`], counting drafts as well when `drafts` is set.
pub fn push_visible_in_states(q: &mut Sql, viewer: &Viewer, p: &str, drafts: bool) {
    if drafts {
        q.push(&format!("{p}.state IN ('active', 'draft')"));
    } else {
        q.push(&format!("{p}.state = 'active'"));
    }
    match viewer {
        Viewer::Sysadmin => {}
        Viewer::Anonymous => {
            q.push(&format!(" AND {p}.access_level = 'open'"));
        }
        Viewer::User { id } => {
            // Open data; shared data's metadata for staff of any state agency
            // (members of an active organisation); anything of their own agency.
            q.push(&format!(
                " AND ({p}.access_level = 'open' OR {p}.owner_org IN \
                 (SELECT group_id FROM memberships WHERE user_id = "
            ));
            q.bind(id).push(&format!(
                ") OR ({p}.access_level = 'shared' AND EXISTS (SELECT 1 FROM memberships sm \
                 JOIN groups sg ON sg.id = sm.group_id WHERE sg.is_organization = 1 \
                 AND sg.state = 'active' AND sm.user_id = "
            ));
            q.bind(id).push(")))");
        }
    }
}

pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Names of the datasets `viewer` may see, as CKAN's `package_list`.
pub async fn list_package_names(
    c: &mut Conn,
    viewer: &Viewer,
    limit: Option<i64>,
    offset: i64,
) -> Result<Vec<String>> {
    let mut q = Sql::new("SELECT p.name FROM packages p WHERE ");
    push_visible(&mut q, viewer, "p");
    q.push(" AND p.access_level = 'open' ORDER BY p.name");
    if let Some(l) = limit {
        q.push(" LIMIT ").bind(l).push(" OFFSET ").bind(offset);
    }
    q.scalar().fetch_all(c).await.map_err(db_error)
}

pub use sen_domain::query::{Filter, FilterField};

#[derive(Debug, Clone)]
pub struct PackageQuery {
    pub viewer: Viewer,
    /// Accent-folded words; every one must occur.
    pub words: Vec<String>,
    pub filters: Vec<Filter>,
    /// Only open datasets unless the caller asked for private ones too.
    pub include_private: bool,
    pub include_drafts: bool,
    pub sort: Vec<(String, bool)>,
    pub rows: i64,
    pub start: i64,
}

fn push_where(q: &mut Sql, pq: &PackageQuery) {
    q.push(" WHERE ");
    push_visible_in_states(q, &pq.viewer, "p", pq.include_drafts);
    if !pq.include_private {
        q.push(" AND p.access_level = 'open'");
    }
    for w in &pq.words {
        q.push(" AND p.search_text LIKE ")
            .bind(format!("% {} %", escape_like(w)))
            .push(" ESCAPE '\\'");
    }
    for f in &pq.filters {
        q.push(if f.negate { " AND NOT (" } else { " AND (" });
        push_filter(q, f);
        q.push(")");
    }
}

fn push_filter(q: &mut Sql, f: &Filter) {
    let v = &f.values;
    match f.field {
        FilterField::Organization => {
            q.push("p.owner_org IN (SELECT id FROM groups WHERE is_organization = 1 AND name IN ");
            q.bind_list(v).push(")");
        }
        FilterField::OwnerOrg => {
            q.push("p.owner_org IN ").bind_list(v);
        }
        FilterField::Groups => {
            q.push(
                "EXISTS (SELECT 1 FROM package_groups pg JOIN groups g ON g.id = pg.group_id \
                    WHERE pg.package_id = p.id AND g.name IN ",
            );
            q.bind_list(v).push(")");
        }
        FilterField::Tags => {
            q.push(
                "EXISTS (SELECT 1 FROM package_tags pt JOIN tags t ON t.id = pt.tag_id \
                    WHERE pt.package_id = p.id AND t.name IN ",
            );
            q.bind_list(v).push(")");
        }
        FilterField::ResFormat => {
            let upper: Vec<String> = v.iter().map(|s| s.to_uppercase()).collect();
            q.push(
                "EXISTS (SELECT 1 FROM resources r WHERE r.package_id = p.id \
                    AND r.state = 'active' AND UPPER(r.format) IN ",
            );
            q.bind_list(&upper).push(")");
        }
        FilterField::LicenseId => {
            q.push("p.license_id IN ").bind_list(v);
        }
        FilterField::AccessLevel => {
            q.push("p.access_level IN ").bind_list(v);
        }
        FilterField::DataClass => {
            q.push("p.data_class IN ").bind_list(v);
        }
        FilterField::OrganizationKind => {
            q.push("p.owner_org IN (SELECT id FROM groups WHERE is_organization = 1 AND kind IN ");
            q.bind_list(v).push(")");
        }
        FilterField::Year => {
            q.push("SUBSTR(p.created, 1, 4) IN ").bind_list(v);
        }
        FilterField::Name => {
            q.push("p.name IN ").bind_list(v);
        }
        FilterField::Id => {
            q.push("p.id IN ").bind_list(v);
        }
        FilterField::Type => {
            q.push("p.type IN ").bind_list(v);
        }
        FilterField::State => {
            q.push("p.state IN ").bind_list(v);
        }
        FilterField::MetadataModified | FilterField::MetadataCreated => {
            let col = if f.field == FilterField::MetadataModified {
                "p.modified"
            } else {
                "p.created"
            };
            q.push("1 = 1");
            if let Some(from) = v.first().filter(|s| s.as_str() != "*") {
                q.push(&format!(" AND {col} >= ")).bind(from);
            }
            if let Some(to) = v.get(1).filter(|s| s.as_str() != "*") {
                q.push(&format!(" AND {col} <= ")).bind(to);
            }
        }
    }
}

/// Ids of the matching datasets in order, and how many match in all.
pub async fn search_packages(c: &mut Conn, pq: &PackageQuery) -> Result<(Vec<String>, i64)> {
    let mut count = Sql::new("SELECT COUNT(*) FROM packages p");
    push_where(&mut count, pq);
    let total: i64 = count.scalar().fetch_one(&mut *c).await.map_err(db_error)?;

    let mut q = Sql::new("SELECT p.id FROM packages p");
    push_where(&mut q, pq);
    q.push(" ORDER BY ");
    let mut first = true;
    for (field, desc) in &pq.sort {
        let col = match field.as_str() {
            "metadata_modified" => "p.modified",
            "metadata_created" => "p.created",
            "title_string" | "title" => "p.title",
            "name" => "p.name",
            "id" => "p.id",
            _ => continue,
        };
        if !first {
            q.push(", ");
        }
        first = false;
        q.push(col).push(if *desc { " DESC" } else { " ASC" });
    }
    if first {
        q.push("p.modified DESC");
    }
    q.push(", p.id LIMIT ")
        .bind(pq.rows)
        .push(" OFFSET ")
        .bind(pq.start);
    let ids = q.scalar().fetch_all(c).await.map_err(db_error)?;
    Ok((ids, total))
}

/// Counts per value of a facet field over the datasets matching `pq`.
pub async fn facet_counts(c: &mut Conn, pq: &PackageQuery, field: &str) -> Result<Vec<TagCount>> {
    let select = match field {
        "organization" => {
            "SELECT g.name AS name, COUNT(*) AS count FROM packages p \
             JOIN groups g ON g.id = p.owner_org"
        }
        "groups" => {
            "SELECT g.name AS name, COUNT(*) AS count FROM packages p \
             JOIN package_groups pg ON pg.package_id = p.id JOIN groups g ON g.id = pg.group_id"
        }
        "tags" => {
            "SELECT t.name AS name, COUNT(*) AS count FROM packages p \
             JOIN package_tags pt ON pt.package_id = p.id JOIN tags t ON t.id = pt.tag_id"
        }
        "res_format" => {
            "SELECT f.name AS name, COUNT(*) AS count FROM packages p \
             JOIN (SELECT DISTINCT package_id, format AS name FROM resources \
                   WHERE state = 'active' AND format <> '') f ON f.package_id = p.id"
        }
        "license_id" => "SELECT p.license_id AS name, COUNT(*) AS count FROM packages p",
        "access_level" => "SELECT p.access_level AS name, COUNT(*) AS count FROM packages p",
        "data_class" => "SELECT p.data_class AS name, COUNT(*) AS count FROM packages p",
        "organization_kind" => {
            "SELECT g.kind AS name, COUNT(*) AS count FROM packages p \
             JOIN groups g ON g.id = p.owner_org"
        }
        _ => return Ok(Vec::new()),
    };
    let mut q = Sql::new(select);
    push_where(&mut q, pq);
    q.push(" GROUP BY 1 ORDER BY 2 DESC, 1");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Tags on datasets `viewer` may see, with how many such datasets carry each.
pub async fn visible_tags(
    c: &mut Conn,
    viewer: &Viewer,
    query: Option<&str>,
) -> Result<Vec<TagCount>> {
    let mut q = Sql::new(
        "SELECT t.name AS name, COUNT(*) AS count FROM tags t \
         JOIN package_tags pt ON pt.tag_id = t.id JOIN packages p ON p.id = pt.package_id WHERE ",
    );
    push_visible(&mut q, viewer, "p");
    if let Some(text) = query.filter(|t| !t.is_empty()) {
        q.push(" AND LOWER(t.name) LIKE ")
            .bind(format!("%{}%", escape_like(&text.to_lowercase())));
        q.push(" ESCAPE '\\'");
    }
    q.push(" GROUP BY t.name ORDER BY t.name");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn find_tag(c: &mut Conn, id_or_name: &str) -> Result<Option<(String, String)>> {
    let mut q = Sql::new("SELECT id, name FROM tags WHERE id = ");
    q.bind(id_or_name).push(" OR name = ").bind(id_or_name);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Visible datasets carrying a tag, newest first.
pub async fn packages_with_tag(c: &mut Conn, viewer: &Viewer, tag_id: &str) -> Result<Vec<String>> {
    let mut q =
        Sql::new("SELECT p.id FROM packages p JOIN package_tags pt ON pt.package_id = p.id WHERE ");
    push_visible(&mut q, viewer, "p");
    q.push(" AND pt.tag_id = ")
        .bind(tag_id)
        .push(" ORDER BY p.modified DESC");
    q.scalar().fetch_all(c).await.map_err(db_error)
}

pub async fn count_packages(c: &mut Conn, viewer: &Viewer) -> Result<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM packages p WHERE ");
    push_visible(&mut q, viewer, "p");
    q.scalar().fetch_one(c).await.map_err(db_error)
}

/// What the search index should hold: the count and newest modification of
/// datasets that are active or drafts.
pub async fn indexable_summary(c: &mut Conn) -> Result<(i64, Option<String>)> {
    Sql::new("SELECT COUNT(*), MAX(modified) FROM packages WHERE state IN ('active', 'draft')")
        .query_as::<(i64, Option<String>)>()
        .fetch_one(c)
        .await
        .map_err(db_error)
}

/// Ids of active and draft datasets after `after` (by id), for rebuilding the index in batches.
pub async fn indexable_ids(c: &mut Conn, after: &str, limit: i64) -> Result<Vec<String>> {
    let mut q = Sql::new("SELECT id FROM packages WHERE state IN ('active', 'draft') AND id > ");
    q.bind(after).push(" ORDER BY id LIMIT ").bind(limit);
    q.scalar().fetch_all(c).await.map_err(db_error)
}

/// Records that datasets changed, for every node's search index to follow.
pub async fn log_search_changes(c: &mut Conn, package_ids: &[String], when: &str) -> Result<()> {
    for id in package_ids {
        let mut q = Sql::new("INSERT INTO search_changes (package_id, changed_at) VALUES (");
        q.bind(id).push(", ").bind(when).push(")");
        q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    }
    Ok(())
}

/// Changes after `seq`, oldest first: (seq, package id).
pub async fn search_changes_after(
    c: &mut Conn,
    seq: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    let mut q = Sql::new("SELECT seq, package_id FROM search_changes WHERE seq > ");
    q.bind(seq).push(" ORDER BY seq LIMIT ").bind(limit);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn last_search_change(c: &mut Conn) -> Result<i64> {
    Sql::new("SELECT COALESCE(MAX(seq), 0) FROM search_changes")
        .scalar()
        .fetch_one(c)
        .await
        .map_err(db_error)
}

/// Tags of many datasets at once: (package id, tag id, tag name).
pub async fn tags_of(
    c: &mut Conn,
    package_ids: &[String],
) -> Result<Vec<(String, String, String)>> {
    let mut q = Sql::new(
        "SELECT pt.package_id, t.id, t.name FROM tags t JOIN package_tags pt ON pt.tag_id = t.id \
         WHERE pt.package_id IN ",
    );
    q.bind_list(package_ids).push(" ORDER BY t.name");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Topic memberships of many datasets at once: (package id, group id).
pub async fn group_ids_of(c: &mut Conn, package_ids: &[String]) -> Result<Vec<(String, String)>> {
    let mut q = Sql::new("SELECT package_id, group_id FROM package_groups WHERE package_id IN ");
    q.bind_list(package_ids);
    q.query_as().fetch_all(c).await.map_err(db_error)
}
