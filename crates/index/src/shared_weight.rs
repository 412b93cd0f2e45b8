//! One weight in two places: deferred scoring's pruned walk of a word's fields' union and its exact per-field
//! scorers use the same per-field `TermQuery` weights.
//!
//! Each building its own looked up every term's document frequency twice per segment (for the BM25
//! statistics) and computed its BM25 weight twice: a quarter of a common one-word query's time went to building
//! weights. The scorers are still each use's own, so tantivy's block-max WAND sees its `TermScorer`s as before.

use std::sync::Arc;
use tantivy::query::{Explanation, Scorer, Weight};
use tantivy::{DocId, Score, SegmentReader};

#[derive(Clone)]
pub(crate) struct SharedWeight(pub(crate) Arc<dyn Weight>);

impl Weight for SharedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.0.count(reader)
    }
}
