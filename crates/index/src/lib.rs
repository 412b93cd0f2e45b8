//! The search index: tantivy, derived from the store and rebuildable from it at any time.
//!
//! One analyzer (`arrow`: split on non-alphanumerics, lower-case, fold diacritics to ASCII) is used both
//! when indexing and when resolving queries, so "Ré", "RE" and "re" meet. The index records, in its
//! commit payload, the store change sequence it has caught up to.
//!
//! Beside [`SearchIndex::search`] (pages with opaque cursors, facets on request): a [`Highlighter`] for the
//! shown page's titles and abstracts, [`SearchIndex::related`] (more-like-this plus shared authors) and
//! title suggestions as you type ([`SearchIndex::suggest_titles`]).
//!
//! ```
//! use arrow_index::{SearchIndex, SearchRequest};
//! use arrow_model::{Authorship, Work};
//! let dir = tempfile::tempdir().unwrap();
//! let index = SearchIndex::open(dir.path()).unwrap();
//! let mut w = Work::new("x:1", "Data Programming: Creating Large Training Sets");
//! w.authors.push(Authorship::at(1, "Christopher Ré"));
//! let mut writer = index.writer().unwrap();
//! writer.put(7, &w, false).unwrap();
//! writer.commit(1).unwrap();
//! index.reload().unwrap();
//! let request = SearchRequest::query("author:re programming");
//! let found = index.search(&request).unwrap();
//! assert_eq!(found.hits[0].key, 7);
//! let title = index.highlighter(&request.parsed(), false).title(&w.title);
//! assert_eq!(title.to_html(), "Data <mark>Programming</mark>: Creating Large Training Sets");
//! ```

mod by_year;
mod columns;
mod conjunction;
mod count;
mod cursor;
mod deferred_scoring;
mod error;
mod facets;
mod fields;
mod highlight;
mod lenient;
mod per_segment;
mod phrases;
mod related;
mod resolve;
mod search;
mod shard;
mod shared_weight;
mod suggest;
mod top;
mod typo;
mod venues;
mod windowed;
mod words;
mod writer;

pub use error::IndexError;
pub use facets::{FacetCount, Facets};
pub use highlight::{Highlighter, Snippet, Span};
pub use lenient::{LENIENT_MIN_WORDS, LENIENT_SHARE, LONG_QUERY_WORDS};
pub use search::{Filters, Hit, SearchRequest, SearchResult, Sort, WorkKeys};
pub use shard::{merge_facets, Plan, ShardHit, ShardHits, ShardPrep, TermStats};
pub use writer::IndexWriter;

use fields::Fields;
use std::path::Path;
use tantivy::{Index, IndexReader, ReloadPolicy};

/// An open index directory.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    columns: columns::ColumnCache,
    by_year: by_year::ByYearCache,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating an empty one if there is none.
    pub fn open(dir: &Path) -> Result<SearchIndex, IndexError> {
        std::fs::create_dir_all(dir).map_err(|e| IndexError::Io { path: dir.display().to_string(), source: e })?;
        let (schema, fields) = fields::schema();
        let mmap = tantivy::directory::MmapDirectory::open(dir)?;
        let index = match Index::open_or_create(mmap, schema.clone()) {
            Ok(index) => index,
            // An index made by an older Arrow (other fields): it is derived data, so start it again; with no
            // commit payload it covers store sequence 0 and the engine replays the whole store into it.
            Err(tantivy::TantivyError::SchemaError(reason)) => {
                tracing::warn!(%reason, dir = %dir.display(), "index schema changed; rebuilding the index");
                SearchIndex::wipe(dir)?;
                std::fs::create_dir_all(dir)
                    .map_err(|e| IndexError::Io { path: dir.display().to_string(), source: e })?;
                Index::open_or_create(tantivy::directory::MmapDirectory::open(dir)?, schema)?
            }
            Err(e) => return Err(e.into()),
        };
        fields::register_analyzers(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        Ok(SearchIndex { index, reader, fields, columns: Default::default(), by_year: Default::default() })
    }

    /// Removes the index files in `dir` so the next [`SearchIndex::open`] starts empty.
    pub fn wipe(dir: &Path) -> Result<(), IndexError> {
        match std::fs::remove_dir_all(dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(IndexError::Io { path: dir.display().to_string(), source: e }),
        }
    }

    /// The single writer. tantivy allows one per index; a second caller gets [`IndexError::Locked`].
    pub fn writer(&self) -> Result<IndexWriter, IndexError> {
        IndexWriter::new(&self.index, &self.reader, self.fields)
    }

    /// A writer whose segments are the same on every run, for tests that look at segments.
    #[cfg(test)]
    pub(crate) fn single_threaded_writer(&self) -> Result<IndexWriter, IndexError> {
        IndexWriter::with_threads(&self.index, &self.reader, self.fields, 1)
    }

    /// The store change sequence the last commit covered (0 for a new index).
    pub fn indexed_seq(&self) -> Result<i64, IndexError> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.as_deref().and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    /// Makes the latest commit visible to searches now rather than after the reload delay.
    pub fn reload(&self) -> Result<(), IndexError> {
        Ok(self.reader.reload()?)
    }

    /// The store keys of every live document (for consistency checks).
    pub fn all_keys(&self) -> Result<Vec<i64>, IndexError> {
        let searcher = self.reader.searcher();
        let mut out = Vec::with_capacity(searcher.num_docs() as usize);
        let columns = self.columns.of(&searcher)?;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let keys = &columns.segment(ord as u32).key;
            for doc in segment.doc_ids_alive() {
                if let Some(k) = keys.first(doc) {
                    out.push(k as i64);
                }
            }
        }
        Ok(out)
    }

    /// Number of searchable documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_with_another_schema_is_started_again() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut b = tantivy::schema::Schema::builder();
            let title = b.add_text_field("title", tantivy::schema::TEXT);
            let index = Index::create_in_dir(dir.path(), b.build()).unwrap();
            let mut w: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
            w.add_document(tantivy::doc!(title => "old")).unwrap();
            let mut prepared = w.prepare_commit().unwrap();
            prepared.set_payload("41");
            prepared.commit().unwrap();
        }
        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(index.num_docs(), 0);
        assert_eq!(index.indexed_seq().unwrap(), 0, "so the engine replays the whole store");
    }
}
