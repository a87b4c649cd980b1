//! Sen's database layer: the only crate that writes SQL.
//!
//! One code path serves SQLite and PostgreSQL through sqlx's `Any` driver; the
//! schema lives in one migration folder per backend (`migrations/sqlite`,
//! `migrations/postgres`), kept column-for-column in step. Queries stick to
//! the SQL both engines share: `$N` placeholders, TEXT timestamps in ISO-8601,
//! BIGINT flags, `ON CONFLICT`.

mod activities;
pub mod bench_reference;
pub mod bench_table_reference;
mod bulk;
mod datastore;
mod feedback;
mod follows;
mod groups;
mod harvest;
mod hub;
mod inventory;
mod jobs;
mod licenses;
mod packages;
mod requests;
mod resources;
mod rows;
mod settings;
mod sharing;
mod sql;
mod usage;
mod users;

pub use activities::*;
pub use bulk::*;
pub use datastore::*;
pub use feedback::*;
pub use follows::*;
pub use groups::*;
pub use harvest::*;
pub use hub::*;
pub use inventory::*;
pub use jobs::*;
pub use licenses::*;
pub use packages::*;
pub use requests::*;
pub use resources::*;
pub use rows::*;
pub use settings::*;
pub use sharing::*;
pub use sql::{Bind, Sql};
pub use usage::*;
pub use users::*;

use sen_domain::{Error, ErrorKind, Msg};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, MutexGuard};

pub type Conn = sqlx::AnyConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// A handle on the database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer at a time; taking this before a write transaction
    /// queues writers in the process instead of failing with SQLITE_BUSY.
    write_lock: Arc<Mutex<()>>,
}

/// A write transaction; commit it, or dropping it rolls back.
pub struct WriteTx<'a> {
    pub tx: Transaction<'static, Any>,
    _guard: Option<MutexGuard<'a, ()>>,
}

impl WriteTx<'_> {
    pub fn conn(&mut self) -> &mut Conn {
        &mut self.tx
    }

    pub async fn commit(self) -> sen_domain::Result<()> {
        self.tx.commit().await.map_err(db_error)
    }
}

impl Db {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`).
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| {
            anyhow::anyhow!("unsupported database URL {url:?}: use sqlite://… or postgres://…")
        })?;
        let options = AnyConnectOptions::from_str(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA busy_timeout = 10000",
                            "PRAGMA synchronous = NORMAL",
                        ] {
                            sqlx::Executor::execute(&mut *conn, pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            backend,
            write_lock: Arc::new(Mutex::new(())),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies the migrations of this backend that are not applied yet.
    pub async fn migrate(&self) -> anyhow::Result<usize> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        let before = self.applied_migrations().await.unwrap_or(0);
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        let after = self.applied_migrations().await.unwrap_or(before);
        Ok(after.saturating_sub(before))
    }

    async fn applied_migrations(&self) -> Result<usize, sqlx::Error> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = true")
                .fetch_one(&self.pool)
                .await?;
        Ok(n as usize)
    }

    pub async fn conn(&self) -> sen_domain::Result<PoolConnection<Any>> {
        self.pool.acquire().await.map_err(db_error)
    }

    pub async fn begin_write(&self) -> sen_domain::Result<WriteTx<'_>> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.write_lock.lock().await),
            Backend::Postgres => None,
        };
        let tx = self.pool.begin().await.map_err(db_error)?;
        Ok(WriteTx { tx, _guard: guard })
    }

    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await
    }
}

/// Maps a driver error to the catalogue's error: unique and foreign-key
/// violations are integrity errors the client can act on; the rest is internal.
pub fn db_error(e: sqlx::Error) -> Error {
    if let sqlx::Error::Database(d) = &e {
        if d.is_unique_violation() {
            return Error::new(
                ErrorKind::Integrity,
                "duplicate",
                Msg::new("error-duplicate"),
            );
        }
        if d.is_foreign_key_violation() {
            return Error::new(
                ErrorKind::Integrity,
                "reference_broken",
                Msg::new("error-reference"),
            );
        }
    }
    Error::internal(e)
}

/// Creates an empty PostgreSQL database next to the one `admin_url` names and
/// returns its URL (used to give each test its own database).
pub async fn create_postgres_database(admin_url: &str, name: &str) -> anyhow::Result<String> {
    sqlx::any::install_default_drivers();
    anyhow::ensure!(
        name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
        "bad database name"
    );
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url).await?;
    sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str()).await?;
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin_url, String::new()),
    };
    let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(base);
    Ok(format!("{prefix}/{name}{query}"))
}
