//! Ranking by mode: lexical (the index), semantic (work vectors) or hybrid, the two fused by reciprocal
//! rank: each work scores Σ 1/([`RRF_K`] + rank) over the lists it is in. Rank fusion needs no
//! calibration between BM25 scores and cosines, whose scales differ per query.

use crate::{is_natural_language, Arrow, EngineError, SearchMode, SearchPage, SearchRequest};
use std::collections::HashMap;

/// The fusion constant of Cormack et al. (2009), which damps the weight of the first few ranks.
pub const RRF_K: f32 = 60.0;
/// How deep each list is read before fusing (and the deepest page a semantic or hybrid search offers).
pub const FUSION_DEPTH: usize = 100;
/// See [`Arrow::semantic_weight`]; set from SciFact dev (docs/semantic.md).
pub const STATIC_SEMANTIC_WEIGHT: f32 = 0.2;

impl Arrow {
    /// The mode a search without one runs in: hybrid for natural-language queries (see
    /// [`is_natural_language`]) when the data directory has the transformer's vectors, else lexical.
    pub fn default_mode(&self, q: &str) -> SearchMode {
        // The static table's vectors lower SciFact's nDCG@10 even fused at a small weight: asked for by name only.
        let transformer = || self.encoder().is_ok_and(|e| e.kind() == "transformer");
        if is_natural_language(q) && self.has_vectors() && transformer() {
            SearchMode::Hybrid
        } else {
            SearchMode::Lexical
        }
    }

    /// The semantic list's weight in hybrid fusion against the lexical list's 1: the transformer's ranking
    /// is as good as BM25's on SciFact and counts the same; the static table's is much weaker and counts
    /// less ([`STATIC_SEMANTIC_WEIGHT`]).
    fn semantic_weight(&self) -> f32 {
        if let Some(w) = std::env::var("ARROW_TUNE_SEMANTIC_WEIGHT").ok().and_then(|w| w.parse().ok()) {
            return w;
        }
        match self.encoder() {
            Ok(e) if e.kind() == "static" => STATIC_SEMANTIC_WEIGHT,
            _ => 1.0,
        }
    }

    /// The store keys of the first `opts.limit` works of a search, best first, in `mode` (`None`: the
    /// default mode for the query).
    pub fn ranked_keys(&self, opts: &SearchRequest, mode: Option<SearchMode>) -> Result<Vec<i64>, EngineError> {
        match mode.unwrap_or_else(|| self.default_mode(&opts.q)) {
            SearchMode::Lexical => Ok(self.search_keys(opts)?.hits.iter().map(|h| h.key).collect()),
            mode => Ok(self.vector_ranking(opts, mode)?.into_iter().take(opts.limit).map(|h| h.0).collect()),
        }
    }

    /// A semantic or hybrid ranking, best first, at most [`FUSION_DEPTH`] long.
    fn vector_ranking(&self, opts: &SearchRequest, mode: SearchMode) -> Result<Vec<(i64, f32)>, EngineError> {
        if !self.has_vectors() {
            return Err(EngineError::NoVectors { mode });
        }
        let semantic = self.semantic_ranking(opts, FUSION_DEPTH)?;
        if mode == SearchMode::Semantic {
            return Ok(semantic);
        }
        let mut lexical_opts = opts.clone();
        lexical_opts.limit = FUSION_DEPTH;
        lexical_opts.offset = 0;
        lexical_opts.cursor = None;
        lexical_opts.facets = false;
        let lexical = self.search_keys(&lexical_opts)?.hits;
        let weight = self.semantic_weight();
        Ok(fuse_weighted(&[
            (lexical.iter().map(|h| h.key).collect(), 1.0),
            (semantic.iter().map(|h| h.0).collect(), weight),
        ]))
    }

    /// A semantic or hybrid page, or `None` when the search is lexical. Offset paging only (no cursors):
    /// the fused list is at most [`FUSION_DEPTH`] long.
    pub(crate) fn search_by_vectors(
        &self,
        opts: &SearchRequest,
        mode: Option<SearchMode>,
    ) -> Result<Option<SearchPage>, EngineError> {
        let mode = mode.unwrap_or_else(|| self.default_mode(&opts.q));
        if mode == SearchMode::Lexical || opts.q.trim().is_empty() {
            return Ok(None);
        }
        let ranking = self.vector_ranking(opts, mode)?;
        let page: Vec<arrow_index::Hit> = ranking
            .iter()
            .skip(opts.offset)
            .take(opts.limit.clamp(1, crate::MAX_PAGE))
            .map(|&(key, score)| arrow_index::Hit { key, score })
            .collect();
        let mut hits = self.collapse_versions(self.keyed_hits(&page)?)?;
        if opts.highlight {
            self.highlight(&arrow_query::parse(&opts.q), false, &mut hits);
        }
        let facets = if opts.facets {
            let mut lexical = opts.clone();
            lexical.limit = 1;
            self.search_keys(&lexical)?.facets
        } else {
            None
        };
        Ok(Some(SearchPage {
            total: ranking.len(),
            offset: opts.offset,
            hits,
            facets,
            fuzzy: false,
            lenient: false,
            mode,
            next_cursor: None,
        }))
    }
}

/// Reciprocal rank fusion of ranked key lists: best first, ties by key.
pub fn fuse(lists: &[Vec<i64>]) -> Vec<(i64, f32)> {
    let weighted: Vec<(Vec<i64>, f32)> = lists.iter().map(|l| (l.clone(), 1.0)).collect();
    fuse_weighted(&weighted)
}

/// [`fuse`] with a weight per list: each work scores Σ weight / ([`RRF_K`] + rank).
pub fn fuse_weighted(lists: &[(Vec<i64>, f32)]) -> Vec<(i64, f32)> {
    let mut scores: HashMap<i64, f32> = HashMap::new();
    for (list, weight) in lists {
        for (rank, &key) in list.iter().enumerate() {
            *scores.entry(key).or_default() += weight / (RRF_K + rank as f32 + 1.0);
        }
    }
    let mut out: Vec<(i64, f32)> = scores.into_iter().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fusion_favours_works_high_in_both_lists() {
        let fused = fuse(&[vec![1, 2, 3], vec![3, 4, 1]]);
        let keys: Vec<i64> = fused.iter().map(|h| h.0).collect();
        // 1: 1/61 + 1/63; 3: 1/63 + 1/61 (a tie, by key); 2: 1/62; 4: 1/62.
        assert_eq!(keys, vec![1, 3, 2, 4]);
        assert!((fused[0].1 - (1.0 / 61.0 + 1.0 / 63.0)).abs() < 1e-6);
    }
}
