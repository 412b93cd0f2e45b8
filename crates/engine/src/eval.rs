//! Search evaluation against judged queries: nDCG@10, recall@100 and MRR@10 with binary relevance, the
//! measures BEIR reports for SciFact, so that Arrow's figures compare with published ones.

use crate::{Arrow, EngineError, SearchMode, SearchRequest};
use std::collections::HashSet;

/// Hits ranked per query: enough for recall@100.
pub const EVAL_DEPTH: usize = 100;

/// A query with the ids of the works judged relevant to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JudgedQuery {
    pub query: String,
    pub relevant: Vec<String>,
}

/// A line of a judgement file that is not `query TAB id,id,...`.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason} (expected: query, a tab, then relevant work ids separated by commas)")]
pub struct JudgementError {
    pub line: usize,
    pub reason: &'static str,
}

/// Parses `query TAB relevant,ids` lines; blank lines are skipped.
pub fn parse_judgements(text: &str) -> Result<Vec<JudgedQuery>, JudgementError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_no = i + 1;
        let (query, ids) = line.split_once('\t').ok_or(JudgementError { line: line_no, reason: "no tab" })?;
        let relevant: Vec<String> =
            ids.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
        if query.trim().is_empty() {
            return Err(JudgementError { line: line_no, reason: "empty query" });
        }
        if relevant.is_empty() {
            return Err(JudgementError { line: line_no, reason: "no relevant id" });
        }
        out.push(JudgedQuery { query: query.trim().to_string(), relevant });
    }
    Ok(out)
}

/// Mean scores of one mode over a query set.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EvalScores {
    pub ndcg_at_10: f64,
    pub recall_at_100: f64,
    pub mrr_at_10: f64,
}

/// nDCG@k with binary gains: each relevant hit at rank i (from 1) gains 1/log2(i+1), divided by the
/// best possible, all relevant works first.
pub fn ndcg_at(ranked: &[String], relevant: &HashSet<&str>, k: usize) -> f64 {
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, id)| relevant.contains(id.as_str()))
        .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
        .sum();
    let ideal: f64 = (0..relevant.len().min(k)).map(|i| 1.0 / ((i + 2) as f64).log2()).sum();
    if ideal == 0.0 {
        0.0
    } else {
        dcg / ideal
    }
}

/// Share of the relevant works found in the first `k` hits.
pub fn recall_at(ranked: &[String], relevant: &HashSet<&str>, k: usize) -> f64 {
    if relevant.is_empty() {
        return 0.0;
    }
    let found = ranked.iter().take(k).filter(|id| relevant.contains(id.as_str())).count();
    found as f64 / relevant.len() as f64
}

/// 1/rank of the first relevant hit within the first `k`, else 0.
pub fn mrr_at(ranked: &[String], relevant: &HashSet<&str>, k: usize) -> f64 {
    ranked.iter().take(k).position(|id| relevant.contains(id.as_str())).map_or(0.0, |i| 1.0 / (i + 1) as f64)
}

/// Mean scores of ranked lists against their judgements (lists and queries in the same order).
pub fn score(queries: &[JudgedQuery], rankings: &[Vec<String>]) -> EvalScores {
    let n = queries.len().max(1) as f64;
    let mut total = EvalScores::default();
    for (q, ranked) in queries.iter().zip(rankings) {
        let relevant: HashSet<&str> = q.relevant.iter().map(String::as_str).collect();
        total.ndcg_at_10 += ndcg_at(ranked, &relevant, 10);
        total.recall_at_100 += recall_at(ranked, &relevant, 100);
        total.mrr_at_10 += mrr_at(ranked, &relevant, 10);
    }
    EvalScores {
        ndcg_at_10: total.ndcg_at_10 / n,
        recall_at_100: total.recall_at_100 / n,
        mrr_at_10: total.mrr_at_10 / n,
    }
}

impl Arrow {
    /// The ids of the first [`EVAL_DEPTH`] works found for `query` in `mode`, best first.
    pub fn ranked_ids(&self, query: &str, mode: SearchMode) -> Result<Vec<String>, EngineError> {
        let mut opts = SearchRequest::query(query);
        opts.limit = EVAL_DEPTH;
        opts.highlight = false;
        let keys: Vec<i64> = self.ranked_keys(&opts, Some(mode))?;
        self.ids_of(&keys)
    }

    /// Scores `mode` over judged queries.
    pub fn eval_search(&self, queries: &[JudgedQuery], mode: SearchMode) -> Result<EvalScores, EngineError> {
        let rankings = queries.iter().map(|q| self.ranked_ids(&q.query, mode)).collect::<Result<Vec<_>, _>>()?;
        Ok(score(queries, &rankings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn metrics_match_a_hand_computed_case() {
        // Relevant: a, b, c. Ranked: x a y b; c is not found.
        let relevant: HashSet<&str> = ["a", "b", "c"].into_iter().collect();
        let ranked = ids(&["x", "a", "y", "b"]);
        // DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068 = 1.06161;
        // IDCG = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.63093 + 0.5 = 2.13093.
        assert!((ndcg_at(&ranked, &relevant, 10) - 1.06161 / 2.13093).abs() < 1e-4);
        assert!((recall_at(&ranked, &relevant, 100) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(mrr_at(&ranked, &relevant, 10), 0.5);
        // Cut at 1: nothing relevant in the first hit.
        assert_eq!(ndcg_at(&ranked, &relevant, 1), 0.0);
        assert_eq!(mrr_at(&ranked, &relevant, 1), 0.0);
    }

    #[test]
    fn scores_are_means_over_queries() {
        let queries = parse_judgements("first\ta\nsecond\tb,c\n").unwrap();
        let rankings = vec![ids(&["a"]), ids(&["z"])];
        let s = score(&queries, &rankings);
        assert_eq!(s.ndcg_at_10, 0.5);
        assert_eq!(s.recall_at_100, 0.5);
        assert_eq!(s.mrr_at_10, 0.5);
    }

    #[test]
    fn bad_judgement_lines_are_located() {
        assert_eq!(parse_judgements("ok\ta\n\nno tab here").unwrap_err().line, 3);
        assert_eq!(parse_judgements("q\t , ").unwrap_err().reason, "no relevant id");
        assert_eq!(parse_judgements("q\ta, b").unwrap()[0].relevant, ids(&["a", "b"]));
    }
}
