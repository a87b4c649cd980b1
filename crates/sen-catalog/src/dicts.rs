//! The dictionaries clients see, in CKAN's shapes (field names, nesting, the
//! way timestamps and flags are written), plus Sen's own fields alongside.

use crate::Catalog;
use sen_db::{Conn, GroupRow, LicenseRow, PackageRow, ResourceRow, UserRow};
use sen_domain::{AccessLevel, Result};
use serde_json::{json, Map, Value};

/// Reads a JSON column written by us; a damaged value reads as empty rather than failing.
pub(crate) fn json_column(text: &str, empty: Value) -> Value {
    serde_json::from_str(text).unwrap_or(empty)
}

pub(crate) fn license_dict(l: &LicenseRow) -> Value {
    json!({
        "id": l.id,
        "title": l.title,
        "url": l.url,
        "status": "active",
        "maintainer": "",
        "family": "",
        "od_conformance": l.od_conformance,
        "osd_conformance": l.osd_conformance,
        "domain_content": l.domain_content != 0,
        "domain_data": l.domain_data != 0,
        "domain_software": l.domain_software != 0,
        "is_generic": l.is_generic != 0,
        "is_okd_compliant": l.is_open != 0,
        "is_osi_compliant": false,
    })
}

pub(crate) fn group_summary(g: &GroupRow) -> Value {
    let display = if g.title.is_empty() {
        &g.name
    } else {
        &g.title
    };
    let mut d = json!({
        "id": g.id,
        "name": g.name,
        "title": g.title,
        "display_name": display,
        "description": g.description,
        "image_url": g.image_url,
        "image_display_url": g.image_url,
        "created": g.created,
        "is_organization": g.is_organization != 0,
        "approval_status": "approved",
        "state": g.state,
        "type": if g.is_organization != 0 { "organization" } else { "group" },
    });
    if g.is_organization != 0 {
        let o = d.as_object_mut().expect("json! object");
        o.insert("kind".into(), json!(g.kind));
        o.insert("valid_from".into(), json!(g.valid_from));
        o.insert("valid_to".into(), json!(g.valid_to));
    }
    d
}

pub(crate) fn user_dict(u: &UserRow, show_private: bool) -> Value {
    let display = if u.fullname.is_empty() {
        &u.name
    } else {
        &u.fullname
    };
    let mut d = json!({
        "id": u.id,
        "name": u.name,
        "fullname": u.fullname,
        "display_name": display,
        "about": u.about,
        "created": u.created,
        "sysadmin": u.sysadmin != 0,
        "state": u.state,
        "email_hash": hex::encode(<sha2::Sha256 as sha2::Digest>::digest(u.email.trim().to_lowercase().as_bytes())),
    });
    if show_private {
        d.as_object_mut()
            .expect("json! object")
            .insert("email".into(), json!(u.email));
    }
    d
}

/// The resource's public download address for uploads, CKAN style.
pub(crate) fn download_url(site_url: &str, r: &ResourceRow) -> String {
    if r.url_type == "upload" {
        let name = if r.url.is_empty() { "file" } else { &r.url };
        format!(
            "{}/dataset/{}/resource/{}/download/{}",
            site_url.trim_end_matches('/'),
            r.package_id,
            r.id,
            percent_path(name)
        )
    } else {
        r.url.clone()
    }
}

fn percent_path(name: &str) -> String {
    let mut out = String::new();
    for b in name.as_bytes() {
        match *b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(*b as char)
            }
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(crate) fn resource_dict(site_url: &str, r: &ResourceRow) -> Value {
    let mut d = Map::new();
    if let Value::Object(extras) = json_column(&r.extras, json!({})) {
        d.extend(extras);
    }
    let fields = json!({
        "id": r.id,
        "package_id": r.package_id,
        "name": r.name,
        "description": r.description,
        "url": download_url(site_url, r),
        "url_type": if r.url_type.is_empty() { Value::Null } else { json!(r.url_type) },
        "format": r.format,
        "mimetype": if r.mimetype.is_empty() { Value::Null } else { json!(r.mimetype) },
        "mimetype_inner": null,
        "size": r.size,
        "hash": r.hash,
        "position": r.position,
        "created": r.created,
        "last_modified": r.last_modified,
        "metadata_modified": r.last_modified.as_deref().unwrap_or(&r.created),
        "state": r.state,
        "cache_url": null,
        "cache_last_updated": null,
        "datastore_active": false,
        "resource_type": null,
    });
    if let Value::Object(f) = fields {
        d.extend(f);
    }
    Value::Object(d)
}

impl Catalog {
    /// Full package dictionaries for rows the caller may already see, with a
    /// fixed number of queries however many rows there are.
    pub(crate) async fn package_dicts(
        &self,
        c: &mut Conn,
        rows: &[PackageRow],
    ) -> Result<Vec<Value>> {
        self.package_dicts_at(c, rows, &self.config.site_url).await
    }

    /// As [`Catalog::package_dicts`], with upload addresses under `site_url`
    /// (empty: site-relative, as the search index stores them).
    pub(crate) async fn package_dicts_at(
        &self,
        c: &mut Conn,
        rows: &[PackageRow],
        site_url: &str,
    ) -> Result<Vec<Value>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let licenses = sen_db::list_licenses(&mut *c).await?;
        let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
        let all_resources = sen_db::resources_of(&mut *c, &ids).await?;
        let all_tags = sen_db::tags_of(&mut *c, &ids).await?;
        let memberships = sen_db::group_ids_of(&mut *c, &ids).await?;
        let mut group_ids: Vec<String> = memberships.iter().map(|(_, g)| g.clone()).collect();
        group_ids.extend(rows.iter().map(|p| p.owner_org.clone()));
        group_ids.sort();
        group_ids.dedup();
        let groups = sen_db::get_groups(&mut *c, &group_ids).await?;
        let group = |id: &str| groups.iter().find(|g| g.id == id);
        let provenance = sen_db::harvest_objects_of_packages(&mut *c, &ids).await?;
        let mut out = Vec::with_capacity(rows.len());
        for p in rows {
            let tags: Vec<(String, String)> = all_tags
                .iter()
                .filter(|(pid, _, _)| pid == &p.id)
                .map(|(_, id, name)| (id.clone(), name.clone()))
                .collect();
            let mut topics: Vec<GroupRow> = memberships
                .iter()
                .filter(|(pid, _)| pid == &p.id)
                .filter_map(|(_, gid)| group(gid).filter(|g| g.state == "active").cloned())
                .collect();
            topics.sort_by(|a, b| a.name.cmp(&b.name));
            let resources: Vec<&ResourceRow> = all_resources
                .iter()
                .filter(|r| r.package_id == p.id)
                .collect();
            let license = licenses.iter().find(|l| l.id == p.license_id);
            let mut dict = package_dict(
                site_url,
                p,
                group(&p.owner_org),
                &tags,
                &topics,
                &resources,
                license,
            );
            if let (Some((o, source_name, source_title)), Some(d)) = (
                provenance.iter().find(|(o, _, _)| o.package_id == p.id),
                dict.as_object_mut(),
            ) {
                // Where a harvested dataset comes from, as ckanext-harvest shows it.
                d.insert("harvest_source_id".into(), json!(o.source_id));
                d.insert("harvest_source_name".into(), json!(source_name));
                d.insert("harvest_source_title".into(), json!(source_title));
                d.insert("harvest_object_id".into(), json!(o.remote_id));
                d.insert("harvest_object_url".into(), json!(o.remote_url));
                d.insert("harvest_last_harvested".into(), json!(o.last_harvested));
            }
            out.push(dict);
        }
        Ok(out)
    }
}

fn package_dict(
    site_url: &str,
    p: &PackageRow,
    org: Option<&GroupRow>,
    tags: &[(String, String)],
    groups: &[GroupRow],
    resources: &[&ResourceRow],
    license: Option<&LicenseRow>,
) -> Value {
    let level = AccessLevel::parse(&p.access_level).unwrap_or(AccessLevel::Internal);
    let tag_dicts: Vec<Value> = tags
            .iter()
            .map(|(id, name)| json!({"id": id, "name": name, "display_name": name, "state": "active", "vocabulary_id": null}))
            .collect();
    let group_dicts: Vec<Value> = groups
        .iter()
        .map(|g| {
            let display = if g.title.is_empty() {
                &g.name
            } else {
                &g.title
            };
            json!({"id": g.id, "name": g.name, "title": g.title, "display_name": display,
                       "description": g.description, "image_display_url": g.image_url})
        })
        .collect();
    let resource_dicts: Vec<Value> = resources
        .iter()
        .map(|r| resource_dict(site_url, r))
        .collect();
    let mut organization = org.map(group_summary).unwrap_or(Value::Null);
    if let (Some(o), Some(g)) = (organization.as_object_mut(), org) {
        if let Some(successor) = &g.successor_id {
            o.insert("successor_id".into(), json!(successor));
        }
    }
    let mut d = json!({
        "id": p.id,
        "name": p.name,
        "title": p.title,
        "notes": p.notes,
        "url": p.url,
        "version": p.version,
        "author": p.author,
        "author_email": p.author_email,
        "maintainer": p.maintainer,
        "maintainer_email": p.maintainer_email,
        "license_id": p.license_id,
        "owner_org": p.owner_org,
        "organization": organization,
        "private": level.is_private(),
        "access_level": p.access_level,
        "access_rights": level.dcat_access_right(),
        "data_class": p.data_class,
        "state": p.state,
        "type": p.kind,
        "metadata_created": p.created,
        "metadata_modified": p.modified,
        "creator_user_id": p.creator_user_id,
        "frequency": p.frequency,
        "language": p.language,
        "spatial": p.spatial,
        "temporal_start": p.temporal_start,
        "temporal_end": p.temporal_end,
        "conforms_to": p.conforms_to,
        "identifier": p.identifier,
        "contact_name": p.contact_name,
        "contact_email": p.contact_email,
        "num_resources": resource_dicts.len(),
        "num_tags": tag_dicts.len(),
        "tags": tag_dicts,
        "groups": group_dicts,
        "resources": resource_dicts,
        "extras": json_column(&p.extras, json!([])),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    });
    set_license_fields(&mut d, license);
    d
}

/// The licence's title, address and openness, which change with the licence
/// list rather than with the dataset.
fn set_license_fields(d: &mut Value, license: Option<&LicenseRow>) {
    let id = d["license_id"].as_str().unwrap_or_default().to_string();
    d["license_title"] = json!(license.map(|l| l.title.clone()).unwrap_or(id));
    d["license_url"] = json!(license.map(|l| l.url.clone()));
    d["isopen"] = json!(license.is_some_and(|l| l.is_open != 0));
}

/// A dictionary as the search index stored it (upload addresses site-relative,
/// licence fields possibly stale) made ready to serve.
pub(crate) fn served_dict(stored: &str, site_url: &str, licenses: &[LicenseRow]) -> Option<Value> {
    let mut d: Value = serde_json::from_str(stored).ok()?;
    let site = site_url.trim_end_matches('/');
    if let Some(resources) = d["resources"].as_array_mut() {
        for r in resources {
            if r["url_type"] == "upload" {
                if let Some(path) = r["url"].as_str().filter(|u| u.starts_with('/')) {
                    r["url"] = json!(format!("{site}{path}"));
                }
            }
        }
    }
    let license = licenses.iter().find(|l| d["license_id"] == l.id.as_str());
    set_license_fields(&mut d, license);
    Some(d)
}
