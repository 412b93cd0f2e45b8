//! Ranking by mode: lexical (the index), semantic (work vectors) or hybrid. Hybrid combines the top
//! [`FUSION_DEPTH`] of both lists by score: each list's scores are scaled to 0..1 over that list (BM25's
//! scale changes with every query), then mixed with a lexical share calibrated on SciFact. On SciFact dev
//! this beat reciprocal rank fusion (0.718 against 0.695 nDCG@10), which ignores how far apart the scores
//! are. Related papers still use reciprocal rank fusion ([`fuse`]): there the two lists' scores mean
//! different things (shared words and authors against meaning).

use crate::{is_natural_language, Arrow, EngineError, SearchMode, SearchPage, SearchRequest};
use std::collections::HashMap;

/// The fusion constant of Cormack et al. (2009), which damps the weight of the first few ranks.
pub const RRF_K: f32 = 60.0;
/// How deep each list is read before fusing (and the deepest page a semantic or hybrid search offers).
pub const FUSION_DEPTH: usize = 100;
/// The lexical share of a hybrid score with the transformer's vectors (see `Arrow::lexical_weight`).
pub const LEXICAL_WEIGHT: f32 = 0.5;
/// The same with the static table's vectors.
pub const STATIC_LEXICAL_WEIGHT: f32 = 0.8;

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

    /// The lexical share of a hybrid score (the semantic one is the rest), set on SciFact's dev claims
    /// (docs/semantic.md): with the transformer, nDCG@10 is 0.702, 0.716, 0.718, 0.712 at 0.3, 0.4, 0.5, 0.6;
    /// the static table's ranking is weaker and counts less (0.638, 0.663, 0.664, 0.664 at 0.5, 0.7, 0.8, 0.9).
    fn lexical_weight(&self) -> f32 {
        match self.encoder() {
            Ok(e) if e.kind() == "static" => STATIC_LEXICAL_WEIGHT,
            _ => LEXICAL_WEIGHT,
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
        let lexical: Vec<(i64, f32)> = lexical.iter().map(|h| (h.key, h.score)).collect();
        Ok(combine(&lexical, &semantic, self.lexical_weight()))
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
        let mut hits = self.collapse_versions(self.keyed_hits(&page)?, None)?;
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
            partial: false,
        }))
    }
}

/// Reciprocal rank fusion of ranked key lists: each work scores Σ 1/([`RRF_K`] + rank); best first, ties
/// by key.
pub fn fuse(lists: &[Vec<i64>]) -> Vec<(i64, f32)> {
    let mut scores: HashMap<i64, f32> = HashMap::new();
    for list in lists {
        for (rank, &key) in list.iter().enumerate() {
            *scores.entry(key).or_default() += 1.0 / (RRF_K + rank as f32 + 1.0);
        }
    }
    let mut out: Vec<(i64, f32)> = scores.into_iter().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Min-max normalised scores, combined: `alpha` × lexical + (1 − `alpha`) × semantic; a work missing from a
/// list scores 0 there (as that list's last); best first, ties by key.
pub fn combine(lexical: &[(i64, f32)], semantic: &[(i64, f32)], alpha: f32) -> Vec<(i64, f32)> {
    let norm = |list: &[(i64, f32)]| -> HashMap<i64, f32> {
        let lo = list.iter().map(|h| h.1).fold(f32::INFINITY, f32::min);
        let hi = list.iter().map(|h| h.1).fold(f32::NEG_INFINITY, f32::max);
        let span = if hi > lo { hi - lo } else { 1.0 };
        list.iter().map(|&(k, s)| (k, (s - lo) / span)).collect()
    };
    let (l, s) = (norm(lexical), norm(semantic));
    let mut keys: Vec<i64> = l.keys().chain(s.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    let mut out: Vec<(i64, f32)> = keys
        .into_iter()
        .map(|k| (k, alpha * l.get(&k).copied().unwrap_or(0.0) + (1.0 - alpha) * s.get(&k).copied().unwrap_or(0.0)))
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combination_scales_each_list_then_mixes() {
        // Lexical 10..2 scales to 1, 0.5, 0; semantic 0.9..0.5 to 1, 0.
        let lexical = [(1, 10.0), (2, 6.0), (3, 2.0)];
        let semantic = [(3, 0.9), (4, 0.5)];
        let mixed = combine(&lexical, &semantic, 0.5);
        let keys: Vec<i64> = mixed.iter().map(|h| h.0).collect();
        assert_eq!(keys, vec![1, 3, 2, 4], "1: 0.5, 3: 0 + 0.5 (a tie, by key), 2: 0.25, 4: 0");
        assert!((mixed[2].1 - 0.25).abs() < 1e-6);
        assert_eq!(combine(&lexical, &semantic, 1.0)[0].0, 1);
        assert_eq!(combine(&lexical, &semantic, 0.0)[0].0, 3);
    }

    #[test]
    fn fusion_favours_works_high_in_both_lists() {
        let fused = fuse(&[vec![1, 2, 3], vec![3, 4, 1]]);
        let keys: Vec<i64> = fused.iter().map(|h| h.0).collect();
        // 1: 1/61 + 1/63; 3: 1/63 + 1/61 (a tie, by key); 2: 1/62; 4: 1/62.
        assert_eq!(keys, vec![1, 3, 2, 4]);
        assert!((fused[0].1 - (1.0 / 61.0 + 1.0 / 63.0)).abs() < 1e-6);
    }
}
