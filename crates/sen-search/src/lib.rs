//! Sen's full-text index of datasets, on tantivy.
//!
//! Vietnamese is handled by indexing every text twice: as written (NFC, lower
//! case, with its tone marks) and folded (marks removed, đ → d). A query
//! matches the folded form, so accents are optional, and gains score where it
//! also matches the exact form, so exact spelling ranks first. Consecutive
//! query words also count as a phrase, so "dân số" ranks the phrase above the
//! two syllables apart. Longer words tolerate one typo.
//!
//! The index is derived data: [`SearchIndex::rebuild`] recreates it from
//! documents the caller reads out of the database.

mod facets;
mod query;
mod schema;
mod synonyms;
mod union;

pub use query::{FacetValue, SearchRequest, SearchResponse, SortKey, Visibility, FACETS};
pub use schema::IndexDoc;
pub use synonyms::Synonyms;

use schema::Fields;
use std::path::Path;
use std::sync::Mutex;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(String),
    #[error("search query: {0}")]
    Query(String),
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// Heap for the index writer: enough to batch a full rebuild, small for a server.
const WRITER_HEAP: usize = 64 * 1024 * 1024;

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    pub synonyms: Synonyms,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when absent. An index that cannot
    /// be opened (corrupt, or of another schema) is wiped and recreated empty;
    /// the caller then rebuilds it from the database.
    pub fn open(dir: &Path, synonyms: Synonyms) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Directory(format!("{}: {e}", dir.display())))?;
        match Self::open_existing(dir, synonyms.clone()) {
            Ok(index) => Ok(index),
            Err(e) => {
                tracing::warn!(error = %e, dir = %dir.display(), "search index unreadable; recreating it");
                std::fs::remove_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
                std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
                Self::open_existing(dir, synonyms)
            }
        }
    }

    fn open_existing(dir: &Path, synonyms: Synonyms) -> Result<Self> {
        let directory =
            MmapDirectory::open(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
        let (schema, fields) = schema::build();
        let index = Index::open_or_create(directory, schema)?;
        Self::from_index(index, fields, synonyms)
    }

    /// An index held in memory (tests, benchmarks).
    pub fn in_memory(synonyms: Synonyms) -> Result<Self> {
        let (schema, fields) = schema::build();
        Self::from_index(Index::create_in_ram(schema), fields, synonyms)
    }

    fn from_index(index: Index, fields: Fields, synonyms: Synonyms) -> Result<Self> {
        let writer = index.writer_with_num_threads(1, WRITER_HEAP)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            synonyms,
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        // A panic while holding the writer leaves it usable: tantivy rolls back
        // uncommitted work on the next commit or rollback.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds or replaces datasets and makes them searchable at once.
    pub fn upsert(&self, docs: &[IndexDoc]) -> Result<()> {
        let mut w = self.writer();
        for d in docs {
            w.delete_term(Term::from_field_text(self.fields.id, &d.id));
            w.add_document(schema::to_document(&self.fields, d))?;
        }
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Removes datasets (purged, or no longer to be found).
    pub fn remove(&self, ids: &[String]) -> Result<()> {
        let mut w = self.writer();
        for id in ids {
            w.delete_term(Term::from_field_text(self.fields.id, id));
        }
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Replaces the whole index with `docs`, reporting progress after each batch.
    pub fn rebuild(
        &self,
        docs: impl Iterator<Item = IndexDoc>,
        mut progress: impl FnMut(usize),
    ) -> Result<usize> {
        let mut w = self.writer();
        w.delete_all_documents()?;
        let mut n = 0;
        for d in docs {
            w.add_document(schema::to_document(&self.fields, &d))?;
            n += 1;
            if n % 1000 == 0 {
                progress(n);
            }
        }
        w.commit()?;
        // A rebuild writes several segments (one per writer heap); every query
        // then pays per segment (weights, scorers, facet columns, merging
        // results). One segment is what a freshly rebuilt index should be.
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            w.merge(&segments).wait()?;
        }
        drop(w);
        self.reader.reload()?;
        progress(n);
        Ok(n)
    }

    /// How many datasets the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The newest modification time indexed, to compare with the database.
    pub fn newest_modified(&self) -> Result<Option<String>> {
        query::newest_modified(&self.reader.searcher())
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        query::search(&self.reader.searcher(), &self.fields, &self.synonyms, req)
    }

    /// Titles and names of visible datasets whose title starts like `prefix`
    /// (accents optional), for the search box.
    pub fn suggest(
        &self,
        prefix: &str,
        visibility: &Visibility,
        limit: usize,
    ) -> Result<Vec<(String, String)>> {
        query::suggest(
            &self.reader.searcher(),
            &self.fields,
            prefix,
            visibility,
            limit,
        )
    }

    #[doc(hidden)]
    pub fn index(&self) -> &Index {
        &self.index
    }
}

/// Lower case, NFC: the "exact" form of Vietnamese text.
pub fn exact(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect::<String>().to_lowercase()
}

pub fn fold(text: &str) -> String {
    sen_domain::fold::fold(text)
}
