#![recursion_limit = "256"]
//! Sen's catalogue services: every action on datasets, resources, organisations,
//! topics, users and tokens, with validation, permissions and the activity
//! record. Both HTTP APIs (CKAN's and the REST one) and the CLI call these,
//! so a rule written here holds on every surface.
//!
//! Actions take CKAN-style dictionaries (`serde_json` maps) and return the
//! dictionaries CKAN clients expect, because the CKAN contract is the strictest
//! of our surfaces; the REST API reuses the same shapes.

mod accounts;
mod activity;
pub mod auth;
mod datastore;
mod datastore_write;
mod dicts;
pub mod feedback;
mod follows;
mod groups;
pub mod harvest;
pub mod hub;
mod indexing;
pub mod input;
pub mod inventory;
pub mod inventory_sheet;
pub mod jobs;
mod packages;
pub mod requests;
mod resources;
mod search;
pub mod settings;
pub mod sharing;
mod site;
mod usage;
pub mod users;

pub use accounts::RESET_LINK_MINUTES;
pub use auth::Actor;
pub use follows::Followed;
pub use indexing::Follower;
pub use input::Dict;
pub use search::{parse_fq, parse_search_q, parse_search_sort};

use sen_db::Db;
use sen_domain::{Error, Msg, Result};
use sen_storage::Storage;
use serde_json::Value;

/// Settings the catalogue needs; the binary fills them from its configuration.
#[derive(Debug, Clone)]
pub struct CatalogConfig {
    /// Public base URL, used in download links (`http://127.0.0.1:8080`).
    pub site_url: String,
    pub site_title: String,
    pub site_description: String,
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: u64,
    /// How long a background job's lease lasts without renewal: after a node
    /// dies, its job is taken again once this has passed.
    pub job_lease: std::time::Duration,
    /// What a harvest may fetch: size and time limits, redirects, and whether
    /// private addresses may be reached (`harvest_allow_private_addresses`).
    pub harvest_limits: sen_harvest::FetchLimits,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        Self {
            site_url: "http://127.0.0.1:8080".into(),
            site_title: "Cổng dữ liệu quốc gia".into(),
            site_description: "Cổng dữ liệu mở quốc gia Việt Nam".into(),
            max_upload_bytes: 10 * 1024 * 1024 * 1024,
            job_lease: std::time::Duration::from_secs(60),
            harvest_limits: sen_harvest::FetchLimits::default(),
        }
    }
}

#[derive(Clone)]
pub struct Catalog {
    pub db: Db,
    pub storage: Storage,
    pub config: CatalogConfig,
    /// The full-text index, derived from the database.
    pub search: std::sync::Arc<sen_search::SearchIndex>,
    /// While set, changes are not indexed one by one (bulk loads rebuild at the end).
    defer_indexing: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Operator settings, cached for a few seconds.
    settings: std::sync::Arc<std::sync::RwLock<settings::SettingsCache>>,
    /// Views and downloads not yet written to the database.
    usage: std::sync::Arc<usage::UsageCounter>,
    /// Where e-mail goes; `None` writes nothing and only logs.
    mailer: Option<std::sync::Arc<sen_mail::Mailer>>,
    /// Queries over datastore tables (DataFusion over the object store).
    pub engine: sen_datastore::Engine,
    /// Wakes this node's background worker when a job is queued here.
    jobs_wake: std::sync::Arc<tokio::sync::Notify>,
}

/// A file already streamed into storage, waiting to be attached to a resource.
#[derive(Debug, Clone)]
pub struct Upload {
    pub key: String,
    pub filename: String,
    pub size: u64,
    pub sha256: String,
    pub content_type: Option<String>,
}

impl Catalog {
    pub fn new(
        db: Db,
        storage: Storage,
        config: CatalogConfig,
        search: sen_search::SearchIndex,
    ) -> Self {
        let storage_store = storage.object_store();
        Self {
            db,
            storage,
            config,
            search: std::sync::Arc::new(search),
            defer_indexing: Default::default(),
            settings: Default::default(),
            usage: Default::default(),
            mailer: None,
            engine: sen_datastore::Engine::new(storage_store, sen_datastore::Limits::default()),
            jobs_wake: Default::default(),
        }
    }

    /// Sends e-mail through `mailer` (SMTP or an outbox directory).
    pub fn with_mailer(mut self, mailer: sen_mail::Mailer) -> Self {
        self.mailer = Some(std::sync::Arc::new(mailer));
        self
    }

    /// Sends a message in the background: the caller's request does not wait
    /// for the mail server, and a failure is logged.
    pub(crate) fn send_mail(&self, mail: sen_mail::Mail) {
        let Some(mailer) = self.mailer.clone() else {
            tracing::warn!(to = %mail.to, subject = %mail.subject, "no mailer configured; message dropped");
            return;
        };
        tokio::spawn(async move {
            if let Err(e) = mailer.send(&mail).await {
                tracing::error!(error = %e, to = %mail.to, "mail not sent");
            }
        });
    }

    /// Stops (or resumes) indexing each change as it happens; for bulk loads,
    /// which call [`Catalog::rebuild_search_index`] when done.
    pub fn defer_indexing(&self, defer: bool) {
        self.defer_indexing
            .store(defer, std::sync::atomic::Ordering::SeqCst);
    }

    pub(crate) fn indexing_deferred(&self) -> bool {
        self.defer_indexing
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Runs a CKAN action by name. `None` when no such action exists.
    pub async fn run_action(
        &self,
        name: &str,
        actor: &Actor,
        data: &Dict,
        upload: Option<Upload>,
    ) -> Option<Result<Value>> {
        let result = match name {
            "status_show" => self.status_show().await,
            "site_read" => Ok(Value::Bool(true)),
            "help_show" => self.help_show(data),
            "package_list" => self.package_list(actor, data).await,
            "package_show" => self.package_show(actor, data).await,
            "package_create" => self.package_create(actor, data).await,
            "package_update" => self.package_update(actor, data).await,
            "package_patch" => self.package_patch(actor, data).await,
            "package_delete" => self.package_delete(actor, data).await,
            "package_search" => self.package_search(actor, data).await,
            "package_autocomplete" => self.package_autocomplete(actor, data).await,
            "package_activity_list" => self.package_activity_list(actor, data).await,
            "recently_changed_packages_activity_list" => self.recent_activity(actor, data).await,
            "resource_show" => self.resource_show(actor, data).await,
            "resource_create" => self.resource_create(actor, data, upload).await,
            "resource_update" => self.resource_update(actor, data, upload, false).await,
            "resource_patch" => self.resource_update(actor, data, upload, true).await,
            "resource_delete" => self.resource_delete(actor, data).await,
            "package_resource_reorder" => self.resource_reorder(actor, data).await,
            "organization_list" => self.group_list(actor, data, true).await,
            "organization_show" => self.group_show(actor, data, true).await,
            "organization_create" => self.group_create(actor, data, true).await,
            "organization_update" => self.group_update(actor, data, true, false).await,
            "organization_patch" => self.group_update(actor, data, true, true).await,
            "organization_delete" => self.group_delete(actor, data, true).await,
            "organization_list_for_user" => self.organization_list_for_user(actor, data).await,
            "organization_member_create" => self.org_member_create(actor, data).await,
            "organization_member_delete" => self.org_member_delete(actor, data).await,
            "group_list" => self.group_list(actor, data, false).await,
            "group_show" => self.group_show(actor, data, false).await,
            "group_create" => self.group_create(actor, data, false).await,
            "group_update" => self.group_update(actor, data, false, false).await,
            "group_patch" => self.group_update(actor, data, false, true).await,
            "group_delete" => self.group_delete(actor, data, false).await,
            "member_create" => self.member_create(actor, data).await,
            "member_delete" => self.member_delete(actor, data).await,
            "tag_list" => self.tag_list(actor, data).await,
            "tag_show" => self.tag_show(actor, data).await,
            "license_list" => self.license_list().await,
            "user_show" => self.user_show(actor, data).await,
            "user_list" => self.user_list(actor, data).await,
            "user_create" => self.user_create(actor, data).await,
            "user_update" => self.user_update(actor, data, false).await,
            "user_patch" => self.user_update(actor, data, true).await,
            "user_delete" => self.user_delete(actor, data).await,
            "follow_dataset" => self.follow(actor, data, Followed::Dataset).await,
            "unfollow_dataset" => self.unfollow(actor, data, Followed::Dataset).await,
            "dataset_follower_count" => self.follower_count(actor, data, Followed::Dataset).await,
            "dataset_follower_list" => self.follower_list(actor, data, Followed::Dataset).await,
            "am_following_dataset" => self.am_following(actor, data, Followed::Dataset).await,
            "dataset_followee_list" => self.dataset_followee_list(actor, data).await,
            "follow_group" => self.follow(actor, data, Followed::Group).await,
            "unfollow_group" => self.unfollow(actor, data, Followed::Group).await,
            "group_follower_count" | "organization_follower_count" => {
                self.follower_count(actor, data, Followed::Group).await
            }
            "group_follower_list" | "organization_follower_list" => {
                self.follower_list(actor, data, Followed::Group).await
            }
            "am_following_group" => self.am_following(actor, data, Followed::Group).await,
            "config_option_list" => self.config_option_list(actor).await,
            "config_option_show" => self.config_option_show(actor, data).await,
            "config_option_update" => self.config_option_update(actor, data).await,
            "license_create" => self.license_save(actor, data, true).await,
            "license_update" => self.license_save(actor, data, false).await,
            "license_delete" => self.license_delete(actor, data).await,
            "datastore_search" => self.datastore_search(actor, data).await,
            "datastore_search_sql" => self.datastore_search_sql(actor, data).await,
            "datastore_info" => self.datastore_info(actor, data).await,
            "datastore_status" => self.datastore_status(actor, data).await,
            "datastore_query" => self.datastore_query(actor, data).await,
            "datastore_schema_update" => self.datastore_schema_update(actor, data).await,
            "datastore_create" => self.datastore_create(actor, data).await,
            "datastore_upsert" => self.datastore_upsert(actor, data).await,
            "datastore_delete" => self.datastore_delete(actor, data).await,
            "api_token_create" => self.api_token_create(actor, data).await,
            "api_token_list" => self.api_token_list(actor, data).await,
            "api_token_revoke" => self.api_token_revoke(actor, data).await,
            "harvest_source_create" => self.harvest_source_create(actor, data).await,
            "harvest_source_show" => self.harvest_source_show(actor, data).await,
            "harvest_source_list" => self.harvest_source_list(actor).await,
            "access_request_create" => self.access_request_create(actor, data).await,
            "access_request_show" => self.access_request_show(actor, data).await,
            "access_request_list" => self.access_request_list(actor, data).await,
            "access_request_decide" => self.access_request_decide(actor, data).await,
            "access_request_escalate" => self.access_request_escalate(actor, data).await,
            "access_grant_list" => self.access_grant_list(actor, data).await,
            "access_grant_revoke" => self.access_grant_revoke(actor, data).await,
            "audit_log_search" => self.audit_log_search(actor, data).await,
            "harvest_source_update" => self.harvest_source_update(actor, data).await,
            "harvest_source_delete" => self.harvest_source_delete(actor, data).await,
            "harvest_job_create" => self.harvest_job_create(actor, data).await,
            "harvest_job_show" => self.harvest_job_show(actor, data).await,
            "harvest_job_list" => self.harvest_job_list(actor, data).await,
            "data_request_create" => self.data_request_create(actor, data).await,
            "data_request_show" => self.data_request_show(actor, data).await,
            "data_request_list" => self.data_request_list(actor, data).await,
            "data_request_update" => self.data_request_update(actor, data).await,
            "data_request_vote" => self.data_request_vote(actor, data).await,
            "data_request_comment" => self.data_request_comment(actor, data).await,
            "data_request_route" => self.data_request_route(actor, data).await,
            "data_request_answer" => self.data_request_answer(actor, data).await,
            "feedback_create" => self.feedback_create(actor, data).await,
            "feedback_list" => self.feedback_list(actor, data).await,
            "feedback_answer" => self.feedback_answer(actor, data).await,
            "inventory_system_create" => self.inventory_system_create(actor, data).await,
            "inventory_system_show" => self.inventory_system_show(actor, data).await,
            "inventory_system_list" => self.inventory_system_list(actor, data).await,
            "inventory_system_update" => self.inventory_system_update(actor, data, false).await,
            "inventory_system_patch" => self.inventory_system_update(actor, data, true).await,
            "inventory_system_delete" => self.inventory_system_delete(actor, data).await,
            "inventory_export" => self.inventory_export(actor, data).await,
            "inventory_import" => self.inventory_import(actor, data, upload).await,
            "inventory_dashboard" => self.inventory_dashboard(actor, data).await,
            "open_data_list_show" => self.open_data_list_show(actor, data).await,
            "open_data_list_review" => self.open_data_list_review(actor, data).await,
            "open_data_item_create" => self.open_data_item_create(actor, data).await,
            "open_data_item_update" => self.open_data_item_update(actor, data).await,
            "open_data_item_delete" => self.open_data_item_delete(actor, data).await,
            "post_list" => self.post_list(actor, data).await,
            "post_show" => self.post_show(actor, data).await,
            "post_create" => self.post_create(actor, data).await,
            "post_update" => self.post_update(actor, data).await,
            "post_delete" => self.post_delete(actor, data).await,
            "legal_document_list" => self.legal_document_list(actor, data).await,
            "legal_document_show" => self.legal_document_show(actor, data).await,
            "legal_document_create" => self.legal_document_create(actor, data, upload).await,
            "legal_document_update" => self.legal_document_update(actor, data, upload).await,
            "legal_document_delete" => self.legal_document_delete(actor, data).await,
            _ => return None,
        };
        Some(result)
    }

    /// Names of every action `run_action` knows, for the API's help and tests.
    pub const ACTIONS: &'static [&'static str] = &[
        "status_show",
        "site_read",
        "help_show",
        "package_list",
        "package_show",
        "package_create",
        "package_update",
        "package_patch",
        "package_delete",
        "package_search",
        "package_autocomplete",
        "package_activity_list",
        "recently_changed_packages_activity_list",
        "resource_show",
        "resource_create",
        "resource_update",
        "resource_patch",
        "resource_delete",
        "package_resource_reorder",
        "organization_list",
        "organization_show",
        "organization_create",
        "organization_update",
        "organization_patch",
        "organization_delete",
        "organization_list_for_user",
        "organization_member_create",
        "organization_member_delete",
        "group_list",
        "group_show",
        "group_create",
        "group_update",
        "group_patch",
        "group_delete",
        "member_create",
        "member_delete",
        "tag_list",
        "tag_show",
        "license_list",
        "user_show",
        "user_list",
        "user_create",
        "user_update",
        "user_patch",
        "user_delete",
        "follow_dataset",
        "unfollow_dataset",
        "dataset_follower_count",
        "dataset_follower_list",
        "am_following_dataset",
        "dataset_followee_list",
        "follow_group",
        "unfollow_group",
        "group_follower_count",
        "organization_follower_count",
        "group_follower_list",
        "organization_follower_list",
        "am_following_group",
        "config_option_list",
        "config_option_show",
        "config_option_update",
        "license_create",
        "license_update",
        "license_delete",
        "datastore_search",
        "datastore_search_sql",
        "datastore_info",
        "datastore_status",
        "datastore_query",
        "datastore_schema_update",
        "datastore_create",
        "datastore_upsert",
        "datastore_delete",
        "api_token_create",
        "api_token_list",
        "api_token_revoke",
        "harvest_source_create",
        "harvest_source_show",
        "harvest_source_list",
        "harvest_source_update",
        "harvest_source_delete",
        "harvest_job_create",
        "harvest_job_show",
        "harvest_job_list",
        "data_request_create",
        "data_request_show",
        "data_request_list",
        "data_request_update",
        "data_request_vote",
        "data_request_comment",
        "data_request_route",
        "data_request_answer",
        "feedback_create",
        "feedback_list",
        "feedback_answer",
        "inventory_system_create",
        "inventory_system_show",
        "inventory_system_list",
        "inventory_system_update",
        "inventory_system_patch",
        "inventory_system_delete",
        "inventory_export",
        "inventory_import",
        "inventory_dashboard",
        "open_data_list_show",
        "open_data_list_review",
        "open_data_item_create",
        "open_data_item_update",
        "open_data_item_delete",
        "post_list",
        "post_show",
        "post_create",
        "post_update",
        "post_delete",
        "legal_document_list",
        "legal_document_show",
        "legal_document_create",
        "legal_document_update",
        "legal_document_delete",
        "access_request_create",
        "access_request_show",
        "access_request_list",
        "access_request_decide",
        "access_request_escalate",
        "access_grant_list",
        "access_grant_revoke",
        "audit_log_search",
    ];

    /// Actions that change something: only POST may call them.
    pub fn is_write_action(name: &str) -> bool {
        !matches!(
            name,
            "status_show"
                | "site_read"
                | "help_show"
                | "package_list"
                | "package_show"
                | "package_search"
                | "package_autocomplete"
                | "package_activity_list"
                | "recently_changed_packages_activity_list"
                | "resource_show"
                | "organization_list"
                | "organization_show"
                | "organization_list_for_user"
                | "group_list"
                | "group_show"
                | "tag_list"
                | "tag_show"
                | "license_list"
                | "user_show"
                | "user_list"
                | "api_token_list"
                | "dataset_follower_count"
                | "dataset_follower_list"
                | "am_following_dataset"
                | "dataset_followee_list"
                | "group_follower_count"
                | "organization_follower_count"
                | "group_follower_list"
                | "organization_follower_list"
                | "am_following_group"
                | "config_option_list"
                | "config_option_show"
                | "datastore_search"
                | "datastore_search_sql"
                | "datastore_info"
                | "datastore_status"
                | "datastore_query"
                | "harvest_source_show"
                | "harvest_source_list"
                | "harvest_job_show"
                | "harvest_job_list"
                | "data_request_show"
                | "data_request_list"
                | "feedback_list"
                | "inventory_system_show"
                | "inventory_system_list"
                | "inventory_export"
                | "inventory_dashboard"
                | "open_data_list_show"
                | "post_list"
                | "post_show"
                | "legal_document_list"
                | "legal_document_show"
                | "access_request_show"
                | "access_request_list"
                | "access_grant_list"
                | "audit_log_search"
        )
    }
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub(crate) fn not_found(code: &'static str, key: &'static str) -> Error {
    Error::not_found(code, Msg::new(key))
}
