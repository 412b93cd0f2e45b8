//! The key and year fast-field columns of each segment, opened once per segment rather than per search.
//!
//! Opening a column decodes its whole block index (the key column is blockwise-linear: a block header per
//! 512 documents), which on a million-document index costs tens of microseconds: done per hit, as it was,
//! turning ten hits into keys cost as much as the search itself.

use crate::IndexError;
use std::collections::hash_map::{Entry, HashMap};
use std::sync::Mutex;
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DocAddress, Searcher, SegmentReader};

#[derive(Clone)]
pub(crate) struct SegmentColumns {
    pub key: Column<u64>,
    pub year: Column<i64>,
}

impl SegmentColumns {
    fn open(segment: &SegmentReader) -> tantivy::Result<Self> {
        let ff = segment.fast_fields();
        Ok(SegmentColumns { key: ff.u64("key")?, year: ff.i64("year")? })
    }
}

/// Columns by segment; segments no longer in the searcher are dropped when a new one is opened.
#[derive(Default)]
pub(crate) struct ColumnCache(Mutex<HashMap<SegmentId, SegmentColumns>>);

/// The columns of every segment of one searcher, by segment ordinal.
pub(crate) struct Columns(Vec<SegmentColumns>);

impl ColumnCache {
    pub(crate) fn of(&self, searcher: &Searcher) -> Result<Columns, IndexError> {
        let mut map = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let segments = searcher.segment_readers();
        if segments.iter().any(|s| !map.contains_key(&s.segment_id())) {
            map.retain(|id, _| segments.iter().any(|s| s.segment_id() == *id));
            for s in segments {
                if let Entry::Vacant(e) = map.entry(s.segment_id()) {
                    e.insert(SegmentColumns::open(s)?);
                }
            }
        }
        Ok(Columns(segments.iter().map(|s| map[&s.segment_id()].clone()).collect()))
    }
}

impl Columns {
    pub(crate) fn segment(&self, ord: u32) -> &SegmentColumns {
        &self.0[ord as usize]
    }

    /// The store key of the document at `addr`.
    pub(crate) fn key(&self, addr: DocAddress) -> Option<i64> {
        self.segment(addr.segment_ord).key.first(addr.doc_id).map(|k| k as i64)
    }
}
