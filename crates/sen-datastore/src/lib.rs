//! The datastore's query side: every resource's table is a Parquet object in
//! the file store, read by Apache DataFusion through the same object store
//! (ranged reads, so a query touches only the columns and row groups it needs).
//!
//! Everything here is per query: a fresh DataFusion session that knows only
//! the tables the caller may read, with a memory limit and a time limit, and
//! SQL restricted to one read-only `SELECT`. The catalogue decides who may
//! read what; this crate never sees a user.

mod fold;
mod profile;
mod records;
mod sandbox;
mod search;
mod xlsx;

pub use records::{ckan_type, RecordsFormat};
pub use sandbox::{referenced_tables, ExportFormat, SqlAnswer};
pub use search::{SearchAnswer, SearchRequest, SortKey};

use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use object_store::ObjectStore;
use std::sync::Arc;
use std::time::Duration;

/// The scheme under which DataFusion sees Sen's object store.
const STORE_URL: &str = "sen://store/";

/// Bounds on one query.
#[derive(Debug, Clone)]
pub struct Limits {
    pub timeout: Duration,
    pub memory_bytes: usize,
    /// Rows a SQL query may return (CKAN's `ckan.datastore.search.rows_max`).
    pub max_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            memory_bytes: 256 * 1024 * 1024,
            max_rows: 32_000,
        }
    }
}

/// A table a query may read: its name in SQL (the resource id) and its object.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub object_key: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DsError {
    /// A filter, field or sort names a column the table does not have.
    #[error("unknown column {0:?}")]
    UnknownColumn(String),
    /// The request is malformed (bad sort, bad filter value, SQL syntax …).
    #[error("{0}")]
    BadQuery(String),
    /// SQL other than one SELECT.
    #[error("only one SELECT statement is allowed")]
    NotSelect,
    /// SQL names a table that does not exist or that the caller may not read.
    #[error("table {0:?} not found")]
    TableNotFound(String),
    #[error("the query took longer than {0} s")]
    Timeout(u64),
    #[error("the query needs more memory than allowed")]
    TooMuchMemory,
    /// The table has more rows than the export format can hold.
    #[error("{rows} rows are more than {format} holds ({limit})")]
    TooManyRows {
        format: &'static str,
        rows: u64,
        limit: u64,
    },
    #[error("datastore failure: {0}")]
    Internal(String),
}

impl From<datafusion::error::DataFusionError> for DsError {
    fn from(e: datafusion::error::DataFusionError) -> Self {
        use datafusion::error::DataFusionError as E;
        match e {
            E::ResourcesExhausted(_) => DsError::TooMuchMemory,
            E::SQL(e, _) => DsError::BadQuery(e.to_string()),
            // Planning errors are the caller's query: say what DataFusion said.
            E::Plan(m) => DsError::BadQuery(strip_backtrace(&m)),
            E::SchemaError(e, _) => DsError::BadQuery(strip_backtrace(&e.to_string())),
            E::Context(_, inner) => DsError::from(*inner),
            other => {
                let text = other.to_string();
                if text.contains("Resources exhausted") {
                    DsError::TooMuchMemory
                } else {
                    DsError::Internal(text)
                }
            }
        }
    }
}

fn strip_backtrace(m: &str) -> String {
    m.split("\n\nbacktrace")
        .next()
        .unwrap_or(m)
        .trim()
        .to_string()
}

pub type Result<T> = std::result::Result<T, DsError>;

/// The query engine over one object store.
#[derive(Clone)]
pub struct Engine {
    store: Arc<dyn ObjectStore>,
    limits: Limits,
}

impl Engine {
    pub fn new(store: Arc<dyn ObjectStore>, limits: Limits) -> Self {
        Self { store, limits }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A session that knows no table yet, with this engine's memory limit.
    fn session(&self) -> Result<SessionContext> {
        let runtime = RuntimeEnvBuilder::new()
            .with_memory_limit(self.limits.memory_bytes, 1.0)
            .build_arc()?;
        let url = url::Url::parse(STORE_URL).map_err(|e| DsError::Internal(e.to_string()))?;
        runtime.register_object_store(&url, self.store.clone());
        // Two partitions: this runs beside the web server on small machines.
        let config = SessionConfig::new()
            .with_target_partitions(2)
            .with_information_schema(false);
        let ctx = SessionContext::new_with_config_rt(config, runtime);
        ctx.register_udf(fold::udf());
        Ok(ctx)
    }

    async fn register(&self, ctx: &SessionContext, table: &Table) -> Result<()> {
        let location = format!("{STORE_URL}{}", table.object_key);
        ctx.register_parquet(
            table.name.as_str(),
            &location,
            ParquetReadOptions::default(),
        )
        .await?;
        Ok(())
    }

    /// Runs `work` under the time limit.
    async fn bounded<T>(&self, work: impl std::future::Future<Output = Result<T>>) -> Result<T> {
        match tokio::time::timeout(self.limits.timeout, work).await {
            Ok(r) => r,
            Err(_) => Err(DsError::Timeout(self.limits.timeout.as_secs())),
        }
    }

    /// The table's columns and their Arrow types.
    pub async fn columns(&self, table: &Table) -> Result<Vec<(String, String)>> {
        let ctx = self.session()?;
        self.register(&ctx, table).await?;
        let df = ctx.table(table.name.as_str()).await?;
        Ok(df
            .schema()
            .fields()
            .iter()
            .map(|f| (f.name().clone(), ckan_type(f.data_type()).to_string()))
            .collect())
    }
}
