use super::{data_dir, dir_bytes, peak_rss_bytes, reset_peak_rss};
use anyhow::{Context, Result};
use arrow_engine::{Arrow, IngestOptions, Progress, SearchRequest};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

struct Quiet;
impl Progress for Quiet {}

pub fn search(
    corpus: &[String],
    queries: &Path,
    rounds: usize,
    topk: Option<&PathBuf>,
    keep: Option<&Path>,
    per_query: Option<&PathBuf>,
) -> Result<()> {
    let (_tmp, dir) = data_dir(keep)?;
    let arrow = Arrow::open(&dir)?;
    let fresh = arrow.stats()?.works == 0;
    if fresh {
        // The peer's job first, alone on the machine: the search index built from the files. Then Arrow's whole
        // load (store and index), into the directory the queries run on.
        let scratch = tempfile::Builder::new().prefix("arrow-bench-index-").tempdir()?;
        let only = super::index::build(corpus, scratch.path())?;
        drop(scratch);
        println!("index_seconds: {:.2}", only.seconds);
        println!("docs_per_second: {:.0}", only.docs as f64 / only.seconds);
        println!("index_merge_seconds: {:.2}", only.merge_seconds);
        let start = Instant::now();
        arrow.ingest_paths(corpus, &IngestOptions { skip_bad: true, ..Default::default() }, &Quiet)?;
        let load_secs = start.elapsed().as_secs_f64();
        println!("load_seconds: {load_secs:.2}");
        println!("load_docs_per_second: {:.0}", arrow.stats()?.works as f64 / load_secs);
    }
    let docs = arrow.stats()?.works;
    // The goal is on memory while serving: building is measured apart (by `bench ingest` too), and the peak
    // starts again here when the kernel allows it.
    println!("build_peak_rss_bytes: {}", peak_rss_bytes());
    let serving_only = reset_peak_rss();
    println!("docs: {docs}");
    println!("index_bytes: {}", dir_bytes(&dir.join("index")));
    println!("store_bytes: {}", dir_bytes(&dir) - dir_bytes(&dir.join("index")));

    let text = std::fs::read_to_string(queries).with_context(|| format!("reading {}", queries.display()))?;
    let qs: Vec<SearchRequest> =
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(SearchRequest::query).collect();
    let mut hits_sum = 0u64;
    let mut fuzzy = 0u64;
    for q in &qs {
        let r = arrow.search_keys(q)?;
        hits_sum += r.total as u64;
        fuzzy += u64::from(r.fuzzy);
    }
    let mut lat = Vec::with_capacity(qs.len() * rounds);
    let all = Instant::now();
    for _ in 0..rounds {
        for q in &qs {
            let t = Instant::now();
            let r = arrow.search_keys(q)?;
            std::hint::black_box(r);
            lat.push(t.elapsed().as_nanos() as f64 / 1e3);
        }
    }
    let total = all.elapsed().as_secs_f64();
    let best = best_per_query(&qs, &lat);
    if let Some(path) = per_query {
        write_per_query(path, &best)?;
    }
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| lat.get(((lat.len() as f64) * p) as usize).copied().unwrap_or(0.0);
    println!("queries: {}", qs.len());
    println!("rounds: {rounds}");
    println!("p50_us: {:.1}", pct(0.5));
    println!("p90_us: {:.1}", pct(0.9));
    println!("p99_us: {:.1}", pct(0.99));
    println!("qps_one_thread: {:.0}", lat.len() as f64 / total);
    println!("hits_sum: {hits_sum}");
    println!("typo_fallbacks: {fuzzy}");
    print_shapes(&best);
    if let Some(path) = topk {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        for q in &qs {
            let keys: Vec<i64> = arrow.search_keys(q)?.hits.iter().map(|h| h.key).collect();
            writeln!(out, "{}", arrow.ids_of(&keys)?.join("\t"))?;
        }
        out.flush()?;
    }
    println!("peak_rss_bytes: {}", peak_rss_bytes());
    println!("peak_rss_scope: {}", if serving_only { "serving" } else { "whole process" });
    Ok(())
}

/// Each query's fastest latency over the rounds (the least disturbed by other processes).
fn best_per_query<'a>(qs: &'a [SearchRequest], lat: &[f64]) -> Vec<(f64, &'a str)> {
    let mut best: Vec<(f64, &str)> = qs.iter().map(|q| (f64::INFINITY, q.q.as_str())).collect();
    for (i, l) in lat.iter().enumerate() {
        let b = &mut best[i % qs.len()].0;
        *b = b.min(*l);
    }
    best
}

/// Slowest first, `MICROSECONDS TAB QUERY`: the format the Lucene peer writes, so the two can be joined.
fn write_per_query(path: &Path, best: &[(f64, &str)]) -> Result<()> {
    let mut sorted = best.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for (us, q) in sorted {
        writeln!(out, "{us:.1}\t{q}")?;
    }
    out.flush()?;
    Ok(())
}

/// A query's shape, by the rule `../shared/bench/compare-search` applies to both engines' per-query files, so
/// that a shape's figures here line up with its ratio there.
pub(crate) fn shape(q: &str) -> &'static str {
    if q.contains(" OR ") {
        "or"
    } else if q.starts_with(['+', '-']) || q.contains(" -") || q.contains(" +") {
        "plus_minus"
    } else if q.starts_with('"') {
        "phrase"
    } else {
        match q.split_whitespace().count() {
            1 => "one_word",
            2 => "two_words",
            _ => "three_plus_words",
        }
    }
}

/// Per shape: how many queries, the median and 99th percentile of their best latencies, and their sum, so a
/// regression confined to one shape shows even when the overall percentiles hide it.
fn print_shapes(best: &[(f64, &str)]) {
    let mut by_shape: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    for &(us, q) in best {
        by_shape.entry(shape(q)).or_default().push(us);
    }
    for (name, mut lat) in by_shape {
        lat.sort_by(f64::total_cmp);
        let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
        println!("shape_{name}_queries: {}", lat.len());
        println!("shape_{name}_p50_us: {:.1}", pct(0.5));
        println!("shape_{name}_p99_us: {:.1}", pct(0.99));
        println!("shape_{name}_sum_us: {:.1}", lat.iter().sum::<f64>());
    }
}

#[cfg(test)]
mod tests {
    use super::shape;

    #[test]
    fn shapes_follow_the_comparison_scripts_rule() {
        assert_eq!(shape("data"), "one_word");
        assert_eq!(shape("graph mining"), "two_words");
        assert_eq!(shape("deep graph mining"), "three_plus_words");
        assert_eq!(shape("\"weak supervision\""), "phrase");
        assert_eq!(shape("data OR model"), "or");
        assert_eq!(shape("+data -model"), "plus_minus");
        assert_eq!(shape("data -model"), "plus_minus");
    }
}
