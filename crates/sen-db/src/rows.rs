//! Rows as stored. The catalogue turns them into the dictionaries clients see.

use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub fullname: String,
    pub about: String,
    pub password_hash: Option<String>,
    pub sysadmin: i64,
    pub state: String,
    pub created: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub token_hash: String,
    pub created: String,
    pub expires_at: Option<String>,
    pub last_access: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub title: String,
    pub description: String,
    pub image_url: String,
    pub is_organization: i64,
    pub kind: String,
    pub parent_id: Option<String>,
    pub successor_id: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// JSON list of `{key, value}`.
    pub extras: String,
    pub state: String,
    pub created: String,
    pub modified: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct MemberRow {
    pub group_id: String,
    pub user_id: String,
    pub user_name: String,
    pub capacity: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct LicenseRow {
    pub id: String,
    pub title: String,
    pub url: String,
    pub od_conformance: String,
    pub osd_conformance: String,
    pub is_open: i64,
    pub is_generic: i64,
    pub domain_content: i64,
    pub domain_data: i64,
    pub domain_software: i64,
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct PackageRow {
    pub id: String,
    pub name: String,
    pub title: String,
    pub notes: String,
    pub url: String,
    pub version: String,
    pub author: String,
    pub author_email: String,
    pub maintainer: String,
    pub maintainer_email: String,
    pub license_id: String,
    pub owner_org: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub state: String,
    pub access_level: String,
    pub data_class: String,
    pub frequency: String,
    pub language: String,
    pub spatial: String,
    pub temporal_start: String,
    pub temporal_end: String,
    pub conforms_to: String,
    pub identifier: String,
    pub contact_name: String,
    pub contact_email: String,
    /// JSON list of `{key, value}`.
    pub extras: String,
    pub search_text: String,
    pub creator_user_id: Option<String>,
    pub created: String,
    pub modified: String,
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct ResourceRow {
    pub id: String,
    pub package_id: String,
    pub position: i64,
    pub name: String,
    pub description: String,
    pub url: String,
    pub url_type: String,
    pub format: String,
    pub mimetype: String,
    pub size: Option<i64>,
    pub hash: String,
    pub storage_key: Option<String>,
    /// JSON object of extra fields clients set on the resource.
    pub extras: String,
    pub state: String,
    pub created: String,
    pub last_modified: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ResourceVersionRow {
    pub id: String,
    pub resource_id: String,
    pub storage_key: String,
    pub filename: String,
    pub size: i64,
    pub sha256: String,
    pub mimetype: String,
    pub created: String,
    pub user_id: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ActivityRow {
    pub id: String,
    pub timestamp: String,
    pub user_id: Option<String>,
    pub object_id: String,
    pub object_type: String,
    pub activity_type: String,
    pub package_id: Option<String>,
    pub data: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct TagCount {
    pub name: String,
    pub count: i64,
}

/// Who is looking: decides which datasets exist for the query.
#[derive(Debug, Clone)]
pub enum Viewer {
    Anonymous,
    User { id: String },
    Sysadmin,
}
