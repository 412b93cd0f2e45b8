//! The top k by score over all segments, with one threshold carried from segment to segment.
//!
//! tantivy's `TopDocs` collects each segment apart, so block-max WAND starts every segment from nothing and
//! scores documents the segments before have already outranked. Here the segments are walked in order and each
//! starts from the k-th best score so far. The result is the same as `TopDocs`': a document is only passed over
//! when its score does not beat the k-th, and on equal scores the lower address wins, which an earlier segment's
//! document always has.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query};
use tantivy::{DocAddress, Score, Searcher};

struct Entry {
    score: Score,
    addr: DocAddress,
}

impl Ord for Entry {
    /// Better first: a higher score, then a lower address.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score.total_cmp(&other.score).then_with(|| other.addr.cmp(&self.addr))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

/// The best `skip + limit` documents by score, best first (ties by address), less the first `skip`.
pub(crate) fn top_by_score(
    searcher: &Searcher,
    query: &dyn Query,
    stats: &dyn Bm25StatisticsProvider,
    skip: usize,
    limit: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let k = skip + limit;
    if k == 0 {
        return Ok(Vec::new());
    }
    let weight = query.weight(EnableScoring::enabled_from_statistics_provider(stats, searcher))?;
    let mut heap: BinaryHeap<Reverse<Entry>> = BinaryHeap::with_capacity(k);
    let mut threshold = Score::MIN;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let alive = reader.alive_bitset();
        weight.for_each_pruning(threshold, reader, &mut |doc, score| {
            if alive.is_some_and(|a| a.is_deleted(doc)) || score <= threshold {
                return threshold;
            }
            let entry = Entry { score, addr: DocAddress::new(ord as u32, doc) };
            if heap.len() < k {
                heap.push(Reverse(entry));
            } else if let Some(mut worst) = heap.peek_mut() {
                *worst = Reverse(entry);
            }
            if heap.len() == k {
                threshold = heap.peek().map_or(Score::MIN, |w| w.0.score);
            }
            threshold
        })?;
    }
    let mut best: Vec<Entry> = heap.into_iter().map(|r| r.0).collect();
    best.sort_by(|a, b| b.cmp(a));
    Ok(best.into_iter().skip(skip).map(|e| (e.score, e.addr)).collect())
}
