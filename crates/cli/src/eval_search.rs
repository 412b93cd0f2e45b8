//! `arrow eval search`: ranking quality against judged queries, per available mode.

use anyhow::{Context, Result};
use arrow_engine::{Arrow, EngineError, SearchMode};
use std::path::Path;

/// Prints `queries: N` and, for each mode the data directory can run, its nDCG@10, recall@100 and MRR@10.
pub fn run(arrow: &Arrow, queries: &Path, modes: &[SearchMode]) -> Result<()> {
    let text = std::fs::read_to_string(queries).with_context(|| format!("reading {}", queries.display()))?;
    let judged = arrow_engine::parse_judgements(&text).with_context(|| format!("in {}", queries.display()))?;
    println!("queries: {}", judged.len());
    let modes = if modes.is_empty() { &SearchMode::ALL[..] } else { modes };
    for &mode in modes {
        let scores = match arrow.eval_search(&judged, mode) {
            Ok(s) => s,
            // Without vectors only lexical runs; a mode asked for by name must run.
            Err(EngineError::NoVectors { .. }) if modes.len() == SearchMode::ALL.len() => continue,
            Err(e) => return Err(e.into()),
        };
        println!("{mode}_ndcg_at_10: {:.4}", scores.ndcg_at_10);
        println!("{mode}_recall_at_100: {:.4}", scores.recall_at_100);
        println!("{mode}_mrr_at_10: {:.4}", scores.mrr_at_10);
    }
    Ok(())
}
