//! A shard's side of a sharded search (the root is `arrow-cluster`): the two ranking rounds of the index
//! (see `arrow_index::shard`), and the works of the hits the root keeps, as one index would show them.

use crate::{Arrow, EngineError, SearchHit};
use arrow_index::{Plan, SearchRequest, ShardHits, ShardPrep, TermStats};

impl Arrow {
    /// The first round: this shard's statistics and counts for the search.
    pub fn shard_prepare(&self, opts: &SearchRequest) -> Result<ShardPrep, EngineError> {
        Ok(self.index().shard_prepare(&self.settled(opts)?)?)
    }

    /// The second round: this shard's top `k`, ranked with the global statistics.
    pub fn shard_search(
        &self,
        opts: &SearchRequest,
        plan: Plan,
        stats: &TermStats,
        k: usize,
    ) -> Result<ShardHits, EngineError> {
        Ok(self.index().shard_search(&self.settled(opts)?, plan, stats, k)?)
    }

    /// The works of hits by store key, in order (`None` for a work deleted since it was ranked), each with every
    /// other version of it (a root collapses versions over the merged page) and, if the request asks, the
    /// query's words marked.
    pub fn shard_fetch(
        &self,
        opts: &SearchRequest,
        fuzzy: bool,
        keys: &[i64],
    ) -> Result<Vec<Option<SearchHit>>, EngineError> {
        let found: Vec<arrow_index::Hit> = keys.iter().map(|&key| arrow_index::Hit { key, score: 0.0 }).collect();
        let keyed = self.keyed_hits(&found)?;
        let present: Vec<i64> = keyed.iter().map(|(k, _)| *k).collect();
        let mut refs = self.version_refs(&present)?;
        let mut hits: Vec<SearchHit> = keyed
            .into_iter()
            .map(|(key, mut hit)| {
                if let Some(v) = refs.remove(&key) {
                    hit.versions = v.refs;
                }
                hit
            })
            .collect();
        if opts.highlight {
            self.highlight(&opts.parsed(), fuzzy, &mut hits);
        }
        let mut found: std::collections::HashMap<i64, SearchHit> = present.into_iter().zip(hits).collect();
        Ok(keys.iter().map(|k| found.remove(k)).collect())
    }
}
