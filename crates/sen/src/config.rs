//! Typed configuration: embedded defaults, then a TOML file, then `SEN_*`
//! environment variables (and `DATABASE_URL`), then command-line flags.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Everything the portal keeps by default lives here.
    pub data_dir: PathBuf,
    pub bind: String,
    /// `sqlite://…` or `postgres://…`; default: `sqlite://<data_dir>/sen.db`.
    pub database_url: Option<String>,
    /// `file:///dir` or `s3://bucket`; default: `<data_dir>/files`.
    pub storage_url: Option<String>,
    /// Public address used in links; default: `http://<bind>`.
    pub site_url: Option<String>,
    pub site_title: String,
    pub site_description: String,
    /// Largest upload in bytes.
    pub max_upload_bytes: u64,
    /// Largest JSON or form body in bytes.
    pub max_body_bytes: usize,
    pub writes_per_minute: u32,
    /// Set when served over HTTPS (adds HSTS).
    pub behind_tls: bool,
    /// A directory whose `templates/` and `static/` override the embedded ones.
    pub theme_dir: Option<PathBuf>,
    /// Outgoing mail server (`smtp://user:pass@host:587`, `smtps://…`); without
    /// one, messages are written to `<data_dir>/outbox`.
    pub smtp_url: Option<String>,
    /// The sender of the portal's messages.
    pub mail_from: String,
    /// Seconds a background job stays leased to a node without renewal; after
    /// a crash, the job runs again once this has passed.
    pub job_lease_seconds: u64,
    /// Let harvest sources reach private, loopback and link-local addresses
    /// (off by default: a source URL must not reach into the portal's network).
    pub harvest_allow_private_addresses: bool,
    /// Largest answer a harvest source may send, in bytes.
    pub harvest_max_bytes: u64,
    /// Seconds one request to a harvest source may take, body included.
    pub harvest_timeout_seconds: u64,
    /// Redirects a harvest request follows.
    pub harvest_max_redirects: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./sen-data"),
            bind: "127.0.0.1:8080".into(),
            database_url: None,
            storage_url: None,
            site_url: None,
            site_title: "Cổng dữ liệu quốc gia".into(),
            site_description: "Cổng dữ liệu mở quốc gia Việt Nam".into(),
            max_upload_bytes: 5 * 1024 * 1024 * 1024,
            max_body_bytes: 16 * 1024 * 1024,
            writes_per_minute: 600,
            behind_tls: false,
            theme_dir: None,
            smtp_url: None,
            mail_from: "Cổng dữ liệu quốc gia <no-reply@localhost>".into(),
            job_lease_seconds: 60,
            harvest_allow_private_addresses: false,
            harvest_max_bytes: 50 * 1024 * 1024,
            harvest_timeout_seconds: 60,
            harvest_max_redirects: 5,
        }
    }
}

impl Config {
    /// Loads the layers; `file` defaults to `./sen.toml` when that exists.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) => {
                if !f.exists() {
                    anyhow::bail!("configuration file {} does not exist", f.display());
                }
                fig = fig.merge(Toml::file(f));
            }
            None => fig = fig.merge(Toml::file("sen.toml")),
        }
        fig = fig.merge(Env::prefixed("SEN_")).merge(
            Env::raw()
                .only(&["DATABASE_URL"])
                .map(|_| "database_url".into()),
        );
        Ok(fig.extract()?)
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| {
                format!(
                    "sqlite://{}?mode=rwc",
                    self.data_dir.join("sen.db").display()
                )
            })
    }

    pub fn storage_url(&self) -> String {
        self.storage_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| self.data_dir.join("files").display().to_string())
    }

    pub fn site_url(&self) -> String {
        self.site_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("http://{}", self.bind))
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment's Jail API returns its own large error
mod tests {
    use super::Config;

    #[test]
    fn layers_defaults_then_file_then_environment() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "sen.toml",
                "bind = \"0.0.0.0:9000\"\nsite_title = \"Cổng thử\"\nmax_upload_bytes = 1024\n",
            )?;
            jail.set_env("SEN_SITE_TITLE", "Từ biến môi trường");
            jail.set_env("DATABASE_URL", "postgres://u:p@db.example/sen");
            let c = Config::load(None).expect("config");
            assert_eq!(c.bind, "0.0.0.0:9000");
            assert_eq!(c.site_title, "Từ biến môi trường");
            assert_eq!(c.max_upload_bytes, 1024);
            assert_eq!(c.database_url(), "postgres://u:p@db.example/sen");
            assert_eq!(c.site_url(), "http://0.0.0.0:9000");
            assert!(c.storage_url().ends_with("sen-data/files"));
            Ok(())
        });
    }

    #[test]
    fn a_missing_or_broken_file_is_an_error() {
        figment::Jail::expect_with(|jail| {
            assert!(Config::load(Some(std::path::Path::new("khong-co.toml"))).is_err());
            jail.create_file("bad.toml", "bind = [1, 2")?;
            assert!(Config::load(Some(std::path::Path::new("bad.toml"))).is_err());
            jail.create_file("typed.toml", "max_upload_bytes = \"lots\"")?;
            assert!(Config::load(Some(std::path::Path::new("typed.toml"))).is_err());
            Ok(())
        });
    }

    #[test]
    fn defaults_use_the_data_directory() {
        figment::Jail::expect_with(|_| {
            let c = Config::load(None).expect("config");
            assert_eq!(c.bind, "127.0.0.1:8080");
            assert_eq!(c.database_url(), "sqlite://./sen-data/sen.db?mode=rwc");
            Ok(())
        });
    }
}
