use crate::fields::Fields;
use crate::IndexError;
use arrow_model::Work;
use tantivy::{Index, TantivyDocument, Term};

/// Memory the writer may use before it flushes a segment. Large enough that a bulk ingest makes few
/// segments; the whole process stays well under 1 GiB.
const WRITER_MEMORY: usize = 192 * 1024 * 1024;

/// The index's single writer. Documents become searchable at [`IndexWriter::commit`], which is done per
/// batch, never per document.
pub struct IndexWriter {
    inner: tantivy::IndexWriter<TantivyDocument>,
    fields: Fields,
}

impl IndexWriter {
    pub(crate) fn new(index: &Index, fields: Fields) -> Result<Self, IndexError> {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4);
        let inner = index.writer_with_num_threads(threads, WRITER_MEMORY).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => IndexError::Locked,
            other => IndexError::Tantivy(other),
        })?;
        Ok(IndexWriter { inner, fields })
    }

    /// Adds `work` under store key `key`. `replace` first removes any document with that key (an update);
    /// bulk loads into an empty index pass `false`, which is much faster.
    pub fn put(&mut self, key: i64, work: &Work, replace: bool) -> Result<(), IndexError> {
        let f = &self.fields;
        let key = key as u64;
        if replace {
            self.inner.delete_term(Term::from_field_u64(f.key, key));
        }
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.key, key);
        doc.add_text(f.id, &work.id.0);
        doc.add_text(f.title, &work.title);
        doc.add_text(f.any, &work.title);
        if let Some(a) = &work.abstract_text {
            doc.add_text(f.abstract_text, a);
            doc.add_text(f.any, a);
        }
        for a in &work.authors {
            doc.add_text(f.authors, &a.name);
            doc.add_text(f.any, &a.name);
        }
        if let Some(v) = &work.venue {
            doc.add_text(f.venue, v);
            doc.add_text(f.any, v);
            doc.add_text(f.venue_exact, v);
        }
        if let Some(t) = &work.pub_type {
            doc.add_text(f.pub_type, t);
            doc.add_text(f.type_exact, t);
        }
        if let Some(y) = work.year {
            doc.add_i64(f.year, i64::from(y));
        }
        if let Some(d) = &work.ids.doi {
            doc.add_text(f.doi, d.to_lowercase());
        }
        if let Some(a) = &work.ids.arxiv {
            doc.add_text(f.arxiv, a.to_lowercase());
        }
        self.inner.add_document(doc)?;
        Ok(())
    }

    pub fn delete(&mut self, key: i64) {
        self.inner.delete_term(Term::from_field_u64(self.fields.key, key as u64));
    }

    /// Removes every document (before a full rebuild).
    pub fn clear(&mut self) -> Result<(), IndexError> {
        self.inner.delete_all_documents()?;
        Ok(())
    }

    /// Makes everything added so far durable and searchable, recording the store sequence it covers.
    pub fn commit(&mut self, store_seq: i64) -> Result<(), IndexError> {
        let mut prepared = self.inner.prepare_commit()?;
        prepared.set_payload(&store_seq.to_string());
        prepared.commit()?;
        Ok(())
    }

    /// Waits for background merges so the index directory is compact when the writer goes away.
    pub fn finish(self) -> Result<(), IndexError> {
        self.inner.wait_merging_threads()?;
        Ok(())
    }
}
