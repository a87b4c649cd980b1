//! Writing many prepared datasets at once (the search benchmark, imports):
//! one transaction for the lot, through the same insert functions the
//! catalogue uses, and no search-index work per dataset — the caller rebuilds
//! the index afterwards.

use crate::{
    add_package_group, db_error, insert_package, insert_resource, Db, PackageRow, ResourceRow, Sql,
};
use sen_domain::Result;
use std::collections::HashMap;

/// A dataset ready to be stored as is: no validation happens here.
#[derive(Debug, Clone, Default)]
pub struct BulkPackage {
    pub row: PackageRow,
    /// Tag names; created when missing.
    pub tags: Vec<String>,
    /// Ids of existing topics (groups).
    pub group_ids: Vec<String>,
    pub resources: Vec<ResourceRow>,
}

/// Inserts `packages` with their tags, topics and resources in one
/// transaction. `new_id` names tags that do not exist yet.
pub async fn insert_packages_bulk(
    db: &Db,
    packages: &[BulkPackage],
    new_id: impl Fn() -> String,
) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let c = tx.conn();

    // Each distinct tag once, then links by id (not two statements per link).
    let mut names: Vec<&String> = packages.iter().flat_map(|p| &p.tags).collect();
    names.sort();
    names.dedup();
    let mut tag_ids: HashMap<String, String> = HashMap::with_capacity(names.len());
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
        let mut find = Sql::new("SELECT id FROM tags WHERE name = ");
        find.bind(name);
        let id: String = find.scalar().fetch_one(&mut *c).await.map_err(db_error)?;
        tag_ids.insert(name.clone(), id);
    }

    for p in packages {
        insert_package(&mut *c, &p.row).await?;
        for name in &p.tags {
            let Some(tag_id) = tag_ids.get(name) else {
                continue;
            };
            let mut link = Sql::new("INSERT INTO package_tags (package_id, tag_id) VALUES (");
            link.bind(&p.row.id)
                .push(", ")
                .bind(tag_id)
                .push(") ON CONFLICT DO NOTHING");
            link.execute_query()
                .execute(&mut *c)
                .await
                .map_err(db_error)?;
        }
        for gid in &p.group_ids {
            add_package_group(&mut *c, &p.row.id, gid).await?;
        }
        for r in &p.resources {
            insert_resource(&mut *c, r).await?;
        }
    }
    tx.commit().await
}
