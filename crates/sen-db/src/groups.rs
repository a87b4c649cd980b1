//! Organisations and topics (CKAN groups), and their members.

use crate::{db_error, Conn, GroupRow, MemberRow, Sql, Viewer};
use sen_domain::Result;

const GROUP_COLUMNS: &str = "id, name, title, description, image_url, is_organization, kind, \
    parent_id, successor_id, valid_from, valid_to, extras, state, created, modified";

pub async fn insert_group(c: &mut Conn, g: &GroupRow) -> Result<()> {
    let mut q = Sql::new(format!("INSERT INTO groups ({GROUP_COLUMNS}) VALUES ("));
    q.bind(&g.id)
        .push(", ")
        .bind(&g.name)
        .push(", ")
        .bind(&g.title)
        .push(", ");
    q.bind(&g.description)
        .push(", ")
        .bind(&g.image_url)
        .push(", ")
        .bind(g.is_organization);
    q.push(", ")
        .bind(&g.kind)
        .push(", ")
        .bind(g.parent_id.clone())
        .push(", ");
    q.bind(g.successor_id.clone())
        .push(", ")
        .bind(g.valid_from.clone())
        .push(", ");
    q.bind(g.valid_to.clone())
        .push(", ")
        .bind(&g.extras)
        .push(", ")
        .bind(&g.state);
    q.push(", ")
        .bind(&g.created)
        .push(", ")
        .bind(&g.modified)
        .push(")");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn update_group(c: &mut Conn, g: &GroupRow) -> Result<()> {
    let mut q = Sql::new("UPDATE groups SET name = ");
    q.bind(&g.name).push(", title = ").bind(&g.title);
    q.push(", description = ")
        .bind(&g.description)
        .push(", image_url = ")
        .bind(&g.image_url);
    q.push(", kind = ")
        .bind(&g.kind)
        .push(", parent_id = ")
        .bind(g.parent_id.clone());
    q.push(", successor_id = ").bind(g.successor_id.clone());
    q.push(", valid_from = ")
        .bind(g.valid_from.clone())
        .push(", valid_to = ")
        .bind(g.valid_to.clone());
    q.push(", extras = ")
        .bind(&g.extras)
        .push(", state = ")
        .bind(&g.state);
    q.push(", modified = ")
        .bind(&g.modified)
        .push(" WHERE id = ")
        .bind(&g.id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// An organisation (`is_org`) or topic by id or name, in any state.
pub async fn find_group(c: &mut Conn, id_or_name: &str, is_org: bool) -> Result<Option<GroupRow>> {
    let mut q = Sql::new(format!("SELECT {GROUP_COLUMNS} FROM groups WHERE (id = "));
    q.bind(id_or_name)
        .push(" OR name = ")
        .bind(id_or_name)
        .push(") AND is_organization = ");
    q.bind(is_org);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

pub async fn get_group(c: &mut Conn, id: &str) -> Result<Option<GroupRow>> {
    let mut q = Sql::new(format!("SELECT {GROUP_COLUMNS} FROM groups WHERE id = "));
    q.bind(id);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

pub struct GroupListQuery<'a> {
    pub is_org: bool,
    pub q: Option<&'a str>,
    pub names: &'a [String],
    pub sort: &'a str,
    pub limit: Option<i64>,
    pub offset: i64,
}

/// Active organisations or topics. `sort` is CKAN's: `name`, `title`,
/// `package_count` (done by the caller) each with optional ` asc`/` desc`.
pub async fn list_groups(c: &mut Conn, l: &GroupListQuery<'_>) -> Result<Vec<GroupRow>> {
    let mut q = Sql::new(format!(
        "SELECT {GROUP_COLUMNS} FROM groups WHERE state = 'active' AND is_organization = "
    ));
    q.bind(l.is_org);
    if let Some(t) = l.q.filter(|t| !t.is_empty()) {
        let pattern = format!("%{}%", crate::packages::escape_like(&t.to_lowercase()));
        q.push(" AND (LOWER(name) LIKE ")
            .bind(&pattern)
            .push(" ESCAPE '\\' OR LOWER(title) LIKE ");
        q.bind(&pattern).push(" ESCAPE '\\')");
    }
    if !l.names.is_empty() {
        q.push(" AND name IN ").bind_list(l.names);
    }
    let (field, dir) = parse_sort(l.sort);
    q.push(&format!(" ORDER BY {field} {dir}, name"));
    if let Some(limit) = l.limit {
        q.push(" LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(l.offset);
    }
    q.query_as().fetch_all(c).await.map_err(db_error)
}

fn parse_sort(sort: &str) -> (&'static str, &'static str) {
    let mut parts = sort.split_whitespace();
    let field = match parts.next() {
        Some("title") | Some("display_name") => "title",
        _ => "name",
    };
    let dir = match parts.next() {
        Some("desc") => "DESC",
        _ => "ASC",
    };
    (field, dir)
}

/// Datasets of each group that `viewer` may see, keyed by group id.
pub async fn visible_package_counts(
    c: &mut Conn,
    viewer: &Viewer,
    is_org: bool,
) -> Result<Vec<(String, i64)>> {
    let mut q = if is_org {
        Sql::new("SELECT p.owner_org AS gid, COUNT(*) AS n FROM packages p WHERE ")
    } else {
        Sql::new(
            "SELECT pg.group_id AS gid, COUNT(*) AS n FROM package_groups pg \
             JOIN packages p ON p.id = pg.package_id WHERE ",
        )
    };
    crate::packages::push_visible(&mut q, viewer, "p");
    q.push(if is_org {
        " GROUP BY p.owner_org"
    } else {
        " GROUP BY pg.group_id"
    });
    q.query_as::<(String, i64)>()
        .fetch_all(c)
        .await
        .map_err(db_error)
}

pub async fn children(c: &mut Conn, parent_id: &str) -> Result<Vec<GroupRow>> {
    let mut q = Sql::new(format!(
        "SELECT {GROUP_COLUMNS} FROM groups WHERE state = 'active' AND parent_id = "
    ));
    q.bind(parent_id).push(" ORDER BY name");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn members(c: &mut Conn, group_id: &str) -> Result<Vec<MemberRow>> {
    let mut q = Sql::new(
        "SELECT m.group_id, m.user_id, u.name AS user_name, m.capacity FROM memberships m \
         JOIN users u ON u.id = m.user_id WHERE m.group_id = ",
    );
    q.bind(group_id).push(" ORDER BY u.name");
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// The capacity `user_id` holds in `group_id`, if any.
pub async fn capacity(c: &mut Conn, group_id: &str, user_id: &str) -> Result<Option<String>> {
    let mut q = Sql::new("SELECT capacity FROM memberships WHERE group_id = ");
    q.bind(group_id).push(" AND user_id = ").bind(user_id);
    q.scalar().fetch_optional(c).await.map_err(db_error)
}

/// Every group (organisation or topic) the user belongs to, with the capacity.
pub async fn memberships_of(c: &mut Conn, user_id: &str) -> Result<Vec<MemberRow>> {
    let mut q = Sql::new(
        "SELECT m.group_id, m.user_id, u.name AS user_name, m.capacity FROM memberships m \
         JOIN users u ON u.id = m.user_id WHERE m.user_id = ",
    );
    q.bind(user_id);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn upsert_member(
    c: &mut Conn,
    group_id: &str,
    user_id: &str,
    capacity: &str,
    now: &str,
) -> Result<()> {
    let mut q = Sql::new("INSERT INTO memberships (group_id, user_id, capacity, created) VALUES (");
    q.bind(group_id)
        .push(", ")
        .bind(user_id)
        .push(", ")
        .bind(capacity)
        .push(", ")
        .bind(now);
    q.push(") ON CONFLICT (group_id, user_id) DO UPDATE SET capacity = excluded.capacity");
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn delete_member(c: &mut Conn, group_id: &str, user_id: &str) -> Result<bool> {
    let mut q = Sql::new("DELETE FROM memberships WHERE group_id = ");
    q.bind(group_id).push(" AND user_id = ").bind(user_id);
    let r = q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(r.rows_affected() > 0)
}

/// Organisations or topics by id, in one query.
pub async fn get_groups(c: &mut Conn, ids: &[String]) -> Result<Vec<GroupRow>> {
    let mut q = Sql::new(format!("SELECT {GROUP_COLUMNS} FROM groups WHERE id IN "));
    q.bind_list(ids);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// Organisations (`is_org`) or topics by name, in one query.
pub async fn find_groups_by_names(
    c: &mut Conn,
    names: &[String],
    is_org: bool,
) -> Result<Vec<GroupRow>> {
    let mut q = Sql::new(format!(
        "SELECT {GROUP_COLUMNS} FROM groups WHERE is_organization = "
    ));
    q.bind(is_org).push(" AND name IN ").bind_list(names);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

/// An organisation or topic by id or name.
pub async fn find_any_group(c: &mut Conn, id_or_name: &str) -> Result<Option<GroupRow>> {
    let mut q = Sql::new(format!("SELECT {GROUP_COLUMNS} FROM groups WHERE id = "));
    q.bind(id_or_name).push(" OR name = ").bind(id_or_name);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

/// Whether the user is government staff: a member of an active organisation
/// (the same rule as the `shared` branch of [`crate::push_visible`]).
pub async fn is_staff(c: &mut Conn, user_id: &str) -> Result<bool> {
    let mut q = Sql::new(
        "SELECT COUNT(*) FROM memberships sm JOIN groups sg ON sg.id = sm.group_id \
         WHERE sg.is_organization = 1 AND sg.state = 'active' AND sm.user_id = ",
    );
    q.bind(user_id);
    let n: i64 = q.scalar().fetch_one(c).await.map_err(db_error)?;
    Ok(n > 0)
}
