//! The PostgreSQL full-text-search reference that `sen bench search` measures
//! Sen against: the same datasets in one table with a `tsvector` column and a
//! GIN index, searched the way a portal built directly on PostgreSQL would
//! answer a `package_search` (results, count and three facets).
//!
//! It lives here because only this crate writes SQL. It talks to PostgreSQL
//! directly (`sqlx::PgPool`, not the Any driver): it is not part of the
//! catalogue and uses PostgreSQL-only features (arrays, text search).

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions, Postgres, QueryBuilder, Row};
use std::str::FromStr;

/// One dataset as the reference stores it.
#[derive(Debug, Clone, Default)]
pub struct ReferenceRow {
    pub id: String,
    pub name: String,
    pub title: String,
    pub notes: String,
    /// Organisation name (URL name), the facet and filter value.
    pub organization: String,
    /// Further searchable text (organisation and topic titles), as Sen indexes it too.
    pub other_text: String,
    pub tags: Vec<String>,
    pub res_formats: Vec<String>,
    pub access_level: String,
    pub modified: String,
}

/// A condition on a dataset, as a `package_search` filter query states it.
#[derive(Debug, Clone)]
pub enum ReferenceFilter {
    Organization(String),
    Tag(String),
    Format(String),
}

#[derive(Debug, Clone)]
pub struct ReferenceQuery {
    pub text: String,
    pub filters: Vec<ReferenceFilter>,
    pub rows: i64,
}

/// What one reference search returns: the page of results, the count, and
/// the facets (organisation, tags, formats).
#[derive(Debug, Clone, Default)]
pub struct ReferenceAnswer {
    pub ids: Vec<String>,
    pub count: i64,
    pub facets: Vec<(&'static str, Vec<(String, i64)>)>,
}

/// A throw-away PostgreSQL database holding the reference table.
pub struct PgReference {
    pool: PgPool,
    admin_url: String,
    name: String,
    /// Whether accents are folded with the `unaccent` extension (else why
    /// not); without it queries typed without accents find nothing.
    pub unaccent: Result<(), String>,
}

const TABLE_COLUMNS: &str = "id TEXT PRIMARY KEY, name TEXT NOT NULL, title TEXT NOT NULL, \
    notes TEXT NOT NULL, organization TEXT NOT NULL, other_text TEXT NOT NULL, \
    tags TEXT[] NOT NULL, res_formats TEXT[] NOT NULL, access_level TEXT NOT NULL, \
    modified TEXT NOT NULL";

impl PgReference {
    /// Creates the database `name` next to the one `admin_url` names (its user
    /// must be allowed to CREATE DATABASE) and the empty tables.
    pub async fn create(admin_url: &str, name: &str, connections: u32) -> anyhow::Result<Self> {
        let url = crate::create_postgres_database(admin_url, name)
            .await
            .context("cannot create the reference database (is the URL right, and may its user CREATE DATABASE?)")?;
        match Self::open(&url, admin_url, name, connections).await {
            Ok(r) => Ok(r),
            Err(e) => {
                let _ = drop_postgres_database(admin_url, name).await;
                Err(e)
            }
        }
    }

    async fn open(
        url: &str,
        admin_url: &str,
        name: &str,
        connections: u32,
    ) -> anyhow::Result<Self> {
        // Loading and indexing take seconds by design: no slow-statement warnings.
        let options = PgConnectOptions::from_str(url)
            .context("bad PostgreSQL URL")?
            .log_slow_statements(log::LevelFilter::Off, std::time::Duration::ZERO);
        let pool = PgPoolOptions::new()
            .max_connections(connections.max(1))
            .acquire_timeout(std::time::Duration::from_secs(60))
            .connect_with(options)
            .await
            .context("cannot connect to the reference database")?;
        let unaccent = sqlx::query("CREATE EXTENSION IF NOT EXISTS unaccent")
            .execute(&pool)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string());
        let reference = Self {
            pool,
            admin_url: admin_url.to_string(),
            name: name.to_string(),
            unaccent,
        };
        for ddl in [
            format!("CREATE UNLOGGED TABLE bench_staging ({TABLE_COLUMNS})"),
            format!("CREATE TABLE bench_datasets ({TABLE_COLUMNS}, tsv TSVECTOR NOT NULL)"),
        ] {
            sqlx::query(&ddl)
                .execute(&reference.pool)
                .await
                .context("cannot create the reference tables")?;
        }
        Ok(reference)
    }

    fn fold(&self, expr: &str) -> String {
        if self.unaccent.is_ok() {
            format!("unaccent({expr})")
        } else {
            expr.to_string()
        }
    }

    /// Adds rows (batched multi-row INSERTs) to the staging table.
    pub async fn load(&self, rows: &[ReferenceRow]) -> anyhow::Result<()> {
        for chunk in rows.chunks(1000) {
            let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
                "INSERT INTO bench_staging (id, name, title, notes, organization, other_text, \
                 tags, res_formats, access_level, modified) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(r.id.clone())
                    .push_bind(r.name.clone())
                    .push_bind(r.title.clone())
                    .push_bind(r.notes.clone())
                    .push_bind(r.organization.clone())
                    .push_bind(r.other_text.clone())
                    .push_bind(r.tags.clone())
                    .push_bind(r.res_formats.clone())
                    .push_bind(r.access_level.clone())
                    .push_bind(r.modified.clone());
            });
            q.build()
                .execute(&self.pool)
                .await
                .context("cannot load reference rows")?;
        }
        Ok(())
    }

    /// Computes the text-search column (title weighted above the rest), builds
    /// the indexes and gathers statistics.
    pub async fn finish_load(&self) -> anyhow::Result<()> {
        let title = self.fold("title");
        let rest = self.fold(
            "notes || ' ' || array_to_string(tags, ' ') || ' ' || other_text || ' ' || organization",
        );
        let statements = [
            format!(
                "INSERT INTO bench_datasets SELECT *, \
                 setweight(to_tsvector('simple', {title}), 'A') || \
                 setweight(to_tsvector('simple', {rest}), 'B') FROM bench_staging"
            ),
            "DROP TABLE bench_staging".to_string(),
            "CREATE INDEX bench_datasets_tsv ON bench_datasets USING GIN (tsv)".to_string(),
            "CREATE INDEX bench_datasets_org ON bench_datasets (organization)".to_string(),
            "CREATE INDEX bench_datasets_tags ON bench_datasets USING GIN (tags)".to_string(),
            "CREATE INDEX bench_datasets_formats ON bench_datasets USING GIN (res_formats)"
                .to_string(),
            "VACUUM ANALYZE bench_datasets".to_string(),
        ];
        for s in &statements {
            sqlx::query(s)
                .execute(&self.pool)
                .await
                .with_context(|| format!("reference database: {s}"))?;
        }
        Ok(())
    }

    /// Answers one search with five statements on one connection: the page of
    /// results by rank, the count, and the organisation, tag and format facets
    /// (top 50 each), over open datasets only.
    pub async fn search(&self, q: &ReferenceQuery) -> anyhow::Result<ReferenceAnswer> {
        let mut binds: Vec<String> = Vec::new();
        let mut from = String::from("bench_datasets d");
        let mut cond = String::from("d.access_level = 'open'");
        let has_text = !q.text.trim().is_empty();
        if has_text {
            binds.push(q.text.clone());
            from.push_str(&format!(
                ", plainto_tsquery('simple', {}) query",
                self.fold("$1")
            ));
            cond.push_str(" AND d.tsv @@ query");
        }
        for f in &q.filters {
            let (sql, value) = match f {
                ReferenceFilter::Organization(v) => ("d.organization = ${}", v),
                ReferenceFilter::Tag(v) => ("d.tags @> ARRAY[${}]::text[]", v),
                ReferenceFilter::Format(v) => ("d.res_formats @> ARRAY[${}]::text[]", v),
            };
            binds.push(value.clone());
            cond.push_str(" AND ");
            cond.push_str(&sql.replace("{}", &binds.len().to_string()));
        }
        let order = if has_text {
            "ts_rank(d.tsv, query) DESC, d.modified DESC"
        } else {
            "d.modified DESC"
        };
        let page_sql = format!(
            "SELECT d.id, d.name, d.title, d.notes, d.organization, d.tags, d.res_formats, \
             d.modified FROM {from} WHERE {cond} ORDER BY {order} LIMIT {}",
            q.rows.max(0)
        );
        let count_sql = format!("SELECT COUNT(*) FROM {from} WHERE {cond}");
        let facet_sql = [
            (
                "organization",
                format!(
                    "SELECT d.organization, COUNT(*) FROM {from} WHERE {cond} \
                     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50"
                ),
            ),
            (
                "tags",
                format!(
                    "SELECT t, COUNT(*) FROM {from}, unnest(d.tags) t WHERE {cond} \
                     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50"
                ),
            ),
            (
                "res_format",
                format!(
                    "SELECT f, COUNT(*) FROM {from}, unnest(d.res_formats) f WHERE {cond} \
                     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50"
                ),
            ),
        ];

        let mut c = self.pool.acquire().await?;
        let mut page = sqlx::query(&page_sql);
        for b in &binds {
            page = page.bind(b);
        }
        let ids = page
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<Vec<_>, _>>()?;
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for b in &binds {
            count = count.bind(b);
        }
        let count = count.fetch_one(&mut *c).await?;
        let mut facets = Vec::with_capacity(facet_sql.len());
        for (field, sql) in &facet_sql {
            let mut fq = sqlx::query_as::<_, (String, i64)>(sql);
            for b in &binds {
                fq = fq.bind(b);
            }
            facets.push((*field, fq.fetch_all(&mut *c).await?));
        }
        Ok(ReferenceAnswer { ids, count, facets })
    }

    /// How many rows the reference table holds.
    pub async fn len(&self) -> anyhow::Result<i64> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM bench_datasets")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The server's version, for the report.
    pub async fn version(&self) -> anyhow::Result<String> {
        Ok(sqlx::query_scalar::<_, String>("SHOW server_version")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Closes the connections and drops the database.
    pub async fn drop_database(&self) -> anyhow::Result<()> {
        self.pool.close().await;
        drop_postgres_database(&self.admin_url, &self.name).await
    }
}

/// Drops a database created with [`crate::create_postgres_database`].
pub async fn drop_postgres_database(admin_url: &str, name: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
        "bad database name"
    );
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(admin_url).await?;
    sqlx::Executor::execute(
        &mut conn,
        format!("DROP DATABASE IF EXISTS {name}").as_str(),
    )
    .await?;
    Ok(())
}
