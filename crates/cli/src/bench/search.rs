use super::{data_dir, dir_bytes, peak_rss_bytes, reset_peak_rss};
use anyhow::{Context, Result};
use arrow_engine::{Arrow, IngestOptions, Progress, SearchOptions};
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
    let qs: Vec<SearchOptions> =
        text.lines().map(str::trim).filter(|l| !l.is_empty()).map(SearchOptions::query).collect();
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
    if let Some(path) = per_query {
        write_per_query(path, &qs, &lat)?;
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

/// Each query's fastest latency over the rounds (the least disturbed by other processes), slowest first.
fn write_per_query(path: &Path, qs: &[SearchOptions], lat: &[f64]) -> Result<()> {
    let mut best: Vec<(f64, &str)> = qs.iter().map(|q| (f64::INFINITY, q.q.as_str())).collect();
    for (i, l) in lat.iter().enumerate() {
        let b = &mut best[i % qs.len()].0;
        *b = b.min(*l);
    }
    best.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for (us, q) in best {
        writeln!(out, "{us:.1}\t{q}")?;
    }
    out.flush()?;
    Ok(())
}
