use crate::fields::Fields;
use crate::IndexError;
use arrow_model::Work;
use tantivy::index::SegmentId;
use tantivy::indexer::{NoMergePolicy, UserOperation};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

/// Memory the writer may use before it flushes a segment. Large enough that a bulk ingest makes few
/// segments; the whole process stays well under 1 GiB.
const WRITER_MEMORY: usize = 192 * 1024 * 1024;

/// The most documents a bulk load's final merge puts in one segment. A merge maps every page of its
/// inputs, which counts in the process's memory, so this bounds it whatever the corpus size (1.46 million
/// DBLP works make 138 MB of index: `arrow bench search`'s `index_bytes`).
const MERGED_DOCS: u64 = 2_000_000;

/// Operations handed to tantivy's indexing threads at a time. One at a time, the channel's receive and the
/// threads' wake-ups took 9% of their time in a bulk load (`perf` over `arrow ingest` of works-00); by 16, 2%.
/// tantivy queues up to 10,000 hand-overs, so this also bounds the documents waiting in memory (160,000)
/// while its threads write a segment.
const HANDOVER: usize = 16;

/// The index's single writer. Documents become searchable at [`IndexWriter::commit`], which is done per
/// batch, never per document.
pub struct IndexWriter {
    inner: tantivy::IndexWriter<TantivyDocument>,
    fields: Fields,
    index: Index,
    /// The index's reader: it holds the segments it searches, whose files stay until it lets them go.
    reader: IndexReader,
    threads: usize,
    bulk: bool,
    /// Operations not yet handed to tantivy, in order.
    pending: Vec<UserOperation<TantivyDocument>>,
}

impl IndexWriter {
    pub(crate) fn new(index: &Index, reader: &IndexReader, fields: Fields) -> Result<Self, IndexError> {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4);
        Self::with_threads(index, reader, fields, threads)
    }

    /// One indexing thread makes the same segments on every run (threads share documents as they come free).
    pub(crate) fn with_threads(
        index: &Index,
        reader: &IndexReader,
        fields: Fields,
        threads: usize,
    ) -> Result<Self, IndexError> {
        let inner = index.writer_with_num_threads(threads, WRITER_MEMORY).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => IndexError::Locked,
            other => IndexError::Tantivy(other),
        })?;
        Ok(IndexWriter {
            inner,
            fields,
            index: index.clone(),
            reader: reader.clone(),
            threads,
            bulk: false,
            pending: Vec::new(),
        })
    }

    /// For a load into an empty index: no merges while documents arrive (each would be redone by the next), but
    /// one pass at [`IndexWriter::finish`] down to one segment per indexing thread. A search costs a term lookup
    /// per segment and query word, so a bulk-built index in eight segments answered short queries several times
    /// slower than the same documents in one or two.
    pub fn bulk(&mut self) {
        self.inner.set_merge_policy(Box::new(NoMergePolicy));
        self.bulk = true;
    }

    /// Adds `work` under store key `key`. `replace` first removes any document with that key (an update);
    /// bulk loads into an empty index pass `false`, which is much faster.
    pub fn put(&mut self, key: i64, work: &Work, replace: bool) -> Result<(), IndexError> {
        let f = &self.fields;
        let key = key as u64;
        if replace {
            self.pending.push(UserOperation::Delete(Term::from_field_u64(f.key, key)));
        }
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.key, key);
        doc.add_text(f.id, &work.id.0);
        doc.add_text(f.title, &work.title);
        if let Some(a) = &work.abstract_text {
            doc.add_text(f.abstract_text, a);
        }
        for a in &work.authors {
            doc.add_text(f.authors, &a.name);
        }
        if let Some(v) = &work.venue {
            doc.add_text(f.venue, v);
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
        self.queue(UserOperation::Add(doc))
    }

    pub fn delete(&mut self, key: i64) -> Result<(), IndexError> {
        self.queue(UserOperation::Delete(Term::from_field_u64(self.fields.key, key as u64)))
    }

    fn queue(&mut self, op: UserOperation<TantivyDocument>) -> Result<(), IndexError> {
        self.pending.push(op);
        if self.pending.len() >= HANDOVER {
            self.hand_over()?;
        }
        Ok(())
    }

    fn hand_over(&mut self) -> Result<(), IndexError> {
        if !self.pending.is_empty() {
            self.inner.run(std::mem::take(&mut self.pending))?;
        }
        Ok(())
    }

    /// Removes every document (before a full rebuild).
    pub fn clear(&mut self) -> Result<(), IndexError> {
        self.pending.clear();
        self.inner.delete_all_documents()?;
        Ok(())
    }

    /// Makes everything added so far durable and searchable, recording the store sequence it covers.
    pub fn commit(&mut self, store_seq: i64) -> Result<(), IndexError> {
        self.hand_over()?;
        let mut prepared = self.inner.prepare_commit()?;
        prepared.set_payload(&store_seq.to_string());
        prepared.commit()?;
        Ok(())
    }

    /// Waits for background merges so the index directory is compact when the writer goes away; after a bulk
    /// load, first merges what the last commit made into at most one segment per indexing thread.
    pub fn finish(mut self) -> Result<(), IndexError> {
        if self.bulk {
            self.compact()?;
        }
        self.inner.wait_merging_threads()?;
        Ok(())
    }

    /// Merges the committed segments into at most one group per indexing thread, or more when each would pass
    /// [`MERGED_DOCS`], a wave of `threads` merges side by side at a time.
    fn compact(&mut self) -> Result<(), IndexError> {
        // Only ids and sizes are kept: a live `SegmentMeta` keeps its segment's files from garbage collection.
        let sizes: Vec<(SegmentId, u32)> =
            self.index.searchable_segment_metas()?.iter().map(|m| (m.id(), m.num_docs())).collect();
        let total: u64 = sizes.iter().map(|&(_, docs)| u64::from(docs)).sum();
        let n = self.threads.max(total.div_ceil(MERGED_DOCS) as usize);
        let groups = groups(sizes, n);
        for wave in groups.chunks(self.threads) {
            let merges: Vec<_> = wave.iter().map(|ids| self.inner.merge(ids)).collect();
            for merge in merges {
                merge.wait()?;
            }
            // Lets go of the merged inputs before the next wave maps its own.
            self.reader.reload()?;
        }
        if !groups.is_empty() {
            // The merged segments' files would otherwise stay on disk until the next commit: the reader lets go
            // of them (searches still running keep theirs), then they are deleted.
            self.inner.garbage_collect_files().wait()?;
        }
        Ok(())
    }
}

/// Segments (id, documents) split into at most `n` groups of two or more, each about an n-th of all documents,
/// taking the largest first into the smallest group. A segment alone in its group stays as it is.
fn groups(mut segments: Vec<(SegmentId, u32)>, n: usize) -> Vec<Vec<SegmentId>> {
    if n == 0 || segments.len() <= n {
        return Vec::new();
    }
    segments.sort_by_key(|&(_, docs)| std::cmp::Reverse(docs));
    let mut groups: Vec<(u64, Vec<SegmentId>)> = vec![(0, Vec::new()); n];
    for (id, docs) in segments {
        if let Some(g) = groups.iter_mut().min_by_key(|g| g.0) {
            g.0 += u64::from(docs);
            g.1.push(id);
        }
    }
    groups.into_iter().map(|g| g.1).filter(|ids| ids.len() > 1).collect()
}

#[cfg(test)]
mod tests {
    use super::groups;
    use tantivy::index::SegmentId;

    fn segments(docs: &[u32]) -> Vec<(SegmentId, u32)> {
        docs.iter().map(|&d| (SegmentId::generate_random(), d)).collect()
    }

    fn sizes(all: &[(SegmentId, u32)], groups: &[Vec<SegmentId>]) -> Vec<u32> {
        let docs = |id: &SegmentId| all.iter().find(|(s, _)| s == id).map_or(0, |&(_, d)| d);
        let mut out: Vec<u32> = groups.iter().map(|g| g.iter().map(docs).sum()).collect();
        out.sort();
        out
    }

    #[test]
    fn equal_segments_split_evenly() {
        let all = segments(&[100; 8]);
        let g = groups(all.clone(), 2);
        assert_eq!(g.len(), 2);
        assert_eq!(sizes(&all, &g), vec![400, 400]);
    }

    #[test]
    fn few_segments_are_left_alone() {
        assert!(groups(segments(&[5, 7]), 2).is_empty());
        assert!(groups(segments(&[5]), 1).is_empty());
    }

    #[test]
    fn a_large_segment_alone_is_not_rewritten() {
        let all = segments(&[1000, 100, 100, 100]);
        let g = groups(all.clone(), 2);
        assert_eq!(sizes(&all, &g), vec![300], "the three small ones become one; the large one stays");
    }
}
