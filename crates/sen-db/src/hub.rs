//! The knowledge hub: posts and the legal library. Matching uses the folded
//! `search_text` column (words between single spaces), as the first dataset
//! search did, so "nghi dinh" finds "Nghị định".

use crate::{db_error, escape_like, Bind, Conn, Sql};
use sen_domain::Result;
use sqlx::FromRow;

#[derive(Debug, Clone, Default, FromRow)]
pub struct PostRow {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub category: String,
    pub language: String,
    pub translation_id: Option<String>,
    pub image_url: String,
    pub author_id: Option<String>,
    pub status: String,
    pub published_at: Option<String>,
    pub search_text: String,
    pub created: String,
    pub modified: String,
}

const POST_COLUMNS: &str = "id, slug, title, summary, body, category, language, translation_id, \
    image_url, author_id, status, published_at, search_text, created, modified";

fn post_binds(p: &PostRow) -> Vec<Bind> {
    vec![
        p.id.clone().into(),
        p.slug.clone().into(),
        p.title.clone().into(),
        p.summary.clone().into(),
        p.body.clone().into(),
        p.category.clone().into(),
        p.language.clone().into(),
        p.translation_id.clone().into(),
        p.image_url.clone().into(),
        p.author_id.clone().into(),
        p.status.clone().into(),
        p.published_at.clone().into(),
        p.search_text.clone().into(),
        p.created.clone().into(),
        p.modified.clone().into(),
    ]
}

/// `INSERT INTO table (columns) VALUES (...)` or, when `update`, `UPDATE table SET … WHERE id = first`.
fn write_row(table: &str, columns: &str, binds: Vec<Bind>, update: bool) -> Sql {
    let cols: Vec<&str> = columns.split(',').map(str::trim).collect();
    if update {
        let mut q = Sql::new(format!("UPDATE {table} SET "));
        let id = binds[0].clone();
        for (i, (c, b)) in cols.iter().zip(binds).enumerate().skip(1) {
            if i > 1 {
                q.push(", ");
            }
            q.push(c).push(" = ").bind(b);
        }
        q.push(" WHERE id = ").bind(id);
        q
    } else {
        let mut q = Sql::new(format!("INSERT INTO {table} ({columns}) VALUES ("));
        for (i, b) in binds.into_iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(b);
        }
        q.push(")");
        q
    }
}

pub async fn insert_post(c: &mut Conn, p: &PostRow) -> Result<()> {
    let q = write_row("posts", POST_COLUMNS, post_binds(p), false);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn update_post(c: &mut Conn, p: &PostRow) -> Result<()> {
    let q = write_row("posts", POST_COLUMNS, post_binds(p), true);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn delete_post(c: &mut Conn, id: &str) -> Result<()> {
    let mut q = Sql::new("UPDATE posts SET translation_id = NULL WHERE translation_id = ");
    q.bind(id);
    q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    let mut q = Sql::new("DELETE FROM posts WHERE id = ");
    q.bind(id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// Points `id`'s translation at `other` (or at nothing).
pub async fn set_post_translation(c: &mut Conn, id: &str, other: Option<&str>) -> Result<()> {
    let mut q = Sql::new("UPDATE posts SET translation_id = ");
    q.bind(other).push(" WHERE id = ").bind(id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// A post by id or slug.
pub async fn find_post(c: &mut Conn, key: &str) -> Result<Option<PostRow>> {
    let mut q = Sql::new(format!("SELECT {POST_COLUMNS} FROM posts WHERE id = "));
    q.bind(key).push(" OR slug = ").bind(key);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

#[derive(Debug, Clone, Default)]
pub struct PostQuery {
    /// When set, only posts published at or before this time (what the public sees).
    pub public_at: Option<String>,
    pub category: Option<String>,
    pub language: Option<String>,
    /// Folded words that must all appear.
    pub words: Vec<String>,
    pub rows: i64,
    pub start: i64,
}

fn push_words(q: &mut Sql, alias: &str, words: &[String]) {
    for w in words {
        q.push(&format!(" AND {alias}.search_text LIKE "))
            .bind(format!("% {} %", escape_like(w)))
            .push(" ESCAPE '\\'");
    }
}

fn post_where(q: &mut Sql, pq: &PostQuery) {
    q.push(" WHERE 1 = 1");
    if let Some(at) = &pq.public_at {
        q.push(" AND p.status = 'published' AND p.published_at IS NOT NULL AND p.published_at <= ")
            .bind(at);
    }
    if let Some(cat) = &pq.category {
        q.push(" AND p.category = ").bind(cat);
    }
    if let Some(lang) = &pq.language {
        q.push(" AND p.language = ").bind(lang);
    }
    push_words(q, "p", &pq.words);
}

/// Posts newest first (unpublished drafts, which have no date, first of all).
pub async fn list_posts(c: &mut Conn, pq: &PostQuery) -> Result<Vec<PostRow>> {
    let cols: Vec<String> = POST_COLUMNS
        .split(',')
        .map(|s| format!("p.{}", s.trim()))
        .collect();
    let mut q = Sql::new(format!("SELECT {} FROM posts p", cols.join(", ")));
    post_where(&mut q, pq);
    q.push(" ORDER BY CASE WHEN p.published_at IS NULL THEN 0 ELSE 1 END, p.published_at DESC, p.created DESC LIMIT ")
        .bind(pq.rows)
        .push(" OFFSET ")
        .bind(pq.start);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn count_posts(c: &mut Conn, pq: &PostQuery) -> Result<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM posts p");
    post_where(&mut q, pq);
    q.scalar().fetch_one(c).await.map_err(db_error)
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct LegalRow {
    pub id: String,
    pub slug: String,
    pub number: String,
    pub title: String,
    pub doc_type: String,
    pub issuer: String,
    pub signed_on: Option<String>,
    pub effective_from: Option<String>,
    pub status: String,
    pub summary: String,
    pub full_text: String,
    pub file_key: Option<String>,
    pub file_name: String,
    pub file_size: i64,
    pub file_sha256: String,
    pub file_mimetype: String,
    pub search_text: String,
    pub created: String,
    pub modified: String,
}

const LEGAL_COLUMNS: &str =
    "id, slug, number, title, doc_type, issuer, signed_on, effective_from, \
    status, summary, full_text, file_key, file_name, file_size, file_sha256, file_mimetype, \
    search_text, created, modified";

fn legal_binds(d: &LegalRow) -> Vec<Bind> {
    vec![
        d.id.clone().into(),
        d.slug.clone().into(),
        d.number.clone().into(),
        d.title.clone().into(),
        d.doc_type.clone().into(),
        d.issuer.clone().into(),
        d.signed_on.clone().into(),
        d.effective_from.clone().into(),
        d.status.clone().into(),
        d.summary.clone().into(),
        d.full_text.clone().into(),
        d.file_key.clone().into(),
        d.file_name.clone().into(),
        d.file_size.into(),
        d.file_sha256.clone().into(),
        d.file_mimetype.clone().into(),
        d.search_text.clone().into(),
        d.created.clone().into(),
        d.modified.clone().into(),
    ]
}

pub async fn insert_legal(c: &mut Conn, d: &LegalRow) -> Result<()> {
    let q = write_row("legal_documents", LEGAL_COLUMNS, legal_binds(d), false);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn update_legal(c: &mut Conn, d: &LegalRow) -> Result<()> {
    let q = write_row("legal_documents", LEGAL_COLUMNS, legal_binds(d), true);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

pub async fn delete_legal(c: &mut Conn, id: &str) -> Result<()> {
    let mut q = Sql::new("DELETE FROM legal_relations WHERE document_id = ");
    q.bind(id).push(" OR target_id = ").bind(id);
    q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    let mut q = Sql::new("DELETE FROM legal_documents WHERE id = ");
    q.bind(id);
    q.execute_query().execute(c).await.map_err(db_error)?;
    Ok(())
}

/// A legal document by id, slug or number ("47/2020/NĐ-CP").
pub async fn find_legal(c: &mut Conn, key: &str) -> Result<Option<LegalRow>> {
    let mut q = Sql::new(format!(
        "SELECT {LEGAL_COLUMNS} FROM legal_documents WHERE id = "
    ));
    q.bind(key)
        .push(" OR slug = ")
        .bind(key)
        .push(" OR number = ")
        .bind(key);
    q.query_as().fetch_optional(c).await.map_err(db_error)
}

#[derive(Debug, Clone, Default)]
pub struct LegalQuery {
    pub doc_type: Option<String>,
    pub status: Option<String>,
    pub issuer: Option<String>,
    pub words: Vec<String>,
    pub rows: i64,
    pub start: i64,
}

fn legal_where(q: &mut Sql, lq: &LegalQuery) {
    q.push(" WHERE 1 = 1");
    if let Some(v) = &lq.doc_type {
        q.push(" AND d.doc_type = ").bind(v);
    }
    if let Some(v) = &lq.status {
        q.push(" AND d.status = ").bind(v);
    }
    if let Some(v) = &lq.issuer {
        q.push(" AND d.issuer = ").bind(v);
    }
    push_words(q, "d", &lq.words);
}

/// Legal documents, most recently signed first (undated last).
pub async fn list_legal(c: &mut Conn, lq: &LegalQuery) -> Result<Vec<LegalRow>> {
    let cols: Vec<String> = LEGAL_COLUMNS
        .split(',')
        .map(|s| format!("d.{}", s.trim()))
        .collect();
    let mut q = Sql::new(format!("SELECT {} FROM legal_documents d", cols.join(", ")));
    legal_where(&mut q, lq);
    q.push(" ORDER BY CASE WHEN d.signed_on IS NULL THEN 1 ELSE 0 END, d.signed_on DESC, d.number LIMIT ")
        .bind(lq.rows)
        .push(" OFFSET ")
        .bind(lq.start);
    q.query_as().fetch_all(c).await.map_err(db_error)
}

pub async fn count_legal(c: &mut Conn, lq: &LegalQuery) -> Result<i64> {
    let mut q = Sql::new("SELECT COUNT(*) FROM legal_documents d");
    legal_where(&mut q, lq);
    q.scalar().fetch_one(c).await.map_err(db_error)
}

/// The issuing bodies in use, for the list's filter.
pub async fn legal_issuers(c: &mut Conn) -> Result<Vec<String>> {
    Sql::new("SELECT DISTINCT issuer FROM legal_documents ORDER BY issuer")
        .scalar()
        .fetch_all(c)
        .await
        .map_err(db_error)
}

/// Replaces what `document_id` amends or repeals: `(target id, relation)`.
pub async fn set_legal_relations(
    c: &mut Conn,
    document_id: &str,
    relations: &[(String, String)],
) -> Result<()> {
    let mut q = Sql::new("DELETE FROM legal_relations WHERE document_id = ");
    q.bind(document_id);
    q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    for (target, relation) in relations {
        let mut q =
            Sql::new("INSERT INTO legal_relations (document_id, target_id, relation) VALUES (");
        q.bind(document_id)
            .push(", ")
            .bind(target)
            .push(", ")
            .bind(relation)
            .push(") ON CONFLICT DO NOTHING");
        q.execute_query().execute(&mut *c).await.map_err(db_error)?;
    }
    Ok(())
}

/// A related document as shown beside another.
#[derive(Debug, Clone, FromRow)]
pub struct LegalLink {
    pub id: String,
    pub slug: String,
    pub number: String,
    pub title: String,
    pub relation: String,
}

/// The documents `id` amends or repeals (`outgoing`), or those that amend or repeal it.
pub async fn legal_links(c: &mut Conn, id: &str, outgoing: bool) -> Result<Vec<LegalLink>> {
    let (mine, other) = if outgoing {
        ("document_id", "target_id")
    } else {
        ("target_id", "document_id")
    };
    let mut q = Sql::new(format!(
        "SELECT d.id, d.slug, d.number, d.title, r.relation FROM legal_relations r \
         JOIN legal_documents d ON d.id = r.{other} WHERE r.{mine} = "
    ));
    q.bind(id).push(" ORDER BY d.number");
    q.query_as().fetch_all(c).await.map_err(db_error)
}
