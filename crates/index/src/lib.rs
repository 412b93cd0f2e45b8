//! The search index: tantivy, derived from the store and rebuildable from it at any time.
//!
//! One analyzer (`arrow`: split on non-alphanumerics, lower-case, fold diacritics to ASCII) is used both
//! when indexing and when resolving queries, so "Ré", "RE" and "re" meet. The index records, in its
//! commit payload, the store change sequence it has caught up to.
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
//! let found = index.search(&SearchRequest::new(arrow_query::parse("author:re programming"))).unwrap();
//! assert_eq!(found.hits[0].key, 7);
//! ```

mod error;
mod facets;
mod fields;
mod resolve;
mod search;
mod writer;

pub use error::IndexError;
pub use facets::{FacetCount, Facets};
pub use search::{Hit, SearchRequest, SearchResult, Sort};
pub use writer::IndexWriter;

use fields::Fields;
use std::path::Path;
use tantivy::{Index, IndexReader, ReloadPolicy};

/// An open index directory.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating an empty one if there is none.
    pub fn open(dir: &Path) -> Result<SearchIndex, IndexError> {
        std::fs::create_dir_all(dir).map_err(|e| IndexError::Io { path: dir.display().to_string(), source: e })?;
        let (schema, fields) = fields::schema();
        let mmap = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::open_or_create(mmap, schema)?;
        fields::register_analyzers(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        Ok(SearchIndex { index, reader, fields })
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
        IndexWriter::new(&self.index, self.fields.clone())
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

    /// Number of searchable documents.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}
