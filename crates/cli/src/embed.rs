//! `arrow embed`: the vectors of every work whose text changed, with a progress bar; `arrow bench embed`:
//! the model's throughput on the stored works.

use anyhow::{Context, Result};
use arrow_engine::{Arrow, SearchMode, SearchRequest};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

pub fn embed(arrow: &Arrow, model: Option<&Path>, fast: Option<bool>) -> Result<()> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        b.set_style(
            ProgressStyle::with_template("embedding [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, ETA {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let started = Instant::now();
    let last_line = std::cell::Cell::new(Instant::now());
    let progress = |done: usize, todo: usize| match &bar {
        Some(b) => {
            b.set_length(todo as u64);
            b.set_position(done as u64);
        }
        None if last_line.get().elapsed().as_secs() >= 5 => {
            last_line.set(Instant::now());
            tracing::info!(target: "arrow", done, todo, "embedding");
        }
        None => {}
    };
    let report = arrow.embed(model, fast, &progress).context("embedding works")?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "embedded: {} works, {} embedded, {} unchanged, {} removed in {secs:.1} s; nearest-neighbour index: {}",
        report.works,
        report.embedded,
        report.unchanged,
        report.removed,
        match report.ann_groups {
            0 => "none (few enough vectors to scan)".to_string(),
            n => format!("{n} groups"),
        }
    );
    Ok(())
}

/// Embeds up to `works` stored works (title + abstract) in memory, nothing written: works per second and
/// the process's peak resident memory.
pub fn bench(data: &Path, model: &Path, works: usize, fast: bool) -> Result<()> {
    let arrow = crate::commands::open(data)?;
    let mut texts = Vec::new();
    arrow.for_each_work(|w| {
        if texts.len() < works {
            texts.push(arrow_embed::work_text(&w.title, w.abstract_text.as_deref()));
        }
    })?;
    let loading = Instant::now();
    let cache = tempfile::tempdir()?;
    let encoder = if fast {
        arrow_embed::Encoder::load_static(model, &cache.path().join(arrow_embed::STATIC_TABLE_FILE))?
    } else {
        arrow_embed::Encoder::load(model)?
    };
    let load_secs = loading.elapsed().as_secs_f64();
    let started = Instant::now();
    for chunk in texts.chunks(encoder.batch()) {
        let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
        encoder.encode(&refs)?;
    }
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    println!("encoder: {}", encoder.kind());
    println!("works: {}", texts.len());
    println!("model_load_s: {load_secs:.2}");
    println!("embed_s: {secs:.2}");
    println!("works_per_s: {:.1}", texts.len() as f64 / secs);
    println!("threads: {}", std::thread::available_parallelism().map_or(1, |n| n.get()));
    println!("peak_rss_bytes: {}", crate::bench::peak_rss_bytes());
    Ok(())
}

/// Latency of searches in `mode` over an embedded data directory (each query `rounds` times, highlights
/// off as in `bench search`), and of embedding the queries alone.
pub fn bench_search(data: &Path, queries: &Path, mode: SearchMode, rounds: usize) -> Result<()> {
    let arrow = crate::commands::open(data)?;
    let text = std::fs::read_to_string(queries).with_context(|| format!("reading {}", queries.display()))?;
    let qs: Vec<SearchRequest> = text
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|q| SearchRequest { highlight: false, ..SearchRequest::query(q) })
        .collect();
    // The first search loads the vectors and the model: not counted.
    if let Some(q) = qs.first() {
        arrow.search_in(q, Some(mode))?;
    }
    let mut embed_us = Vec::new();
    let mut search_us = Vec::new();
    for _ in 0..rounds.max(1) {
        for q in &qs {
            let t = Instant::now();
            arrow.embed_query(&q.q)?;
            embed_us.push(t.elapsed().as_secs_f64() * 1e6);
            let t = Instant::now();
            std::hint::black_box(arrow.search_in(q, Some(mode))?);
            search_us.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        v.get(((v.len() as f64) * p) as usize).copied().unwrap_or(0.0)
    };
    println!("mode: {mode}");
    println!("queries: {}", qs.len());
    println!("works_with_vectors: {}", arrow.vector_count()?);
    println!("search_p50_us: {:.0}", pct(&mut search_us, 0.5));
    println!("search_p99_us: {:.0}", pct(&mut search_us, 0.99));
    println!("query_embed_p50_us: {:.0}", pct(&mut embed_us, 0.5));
    println!("query_embed_p99_us: {:.0}", pct(&mut embed_us, 0.99));
    let texts: Vec<&str> = qs.iter().take(200).map(|q| q.q.as_str()).collect();
    if let Some(r) = arrow.ann_recall(&texts, 10)? {
        println!("ann_recall_at_10: {r:.3}");
    }
    println!("vectors_bytes: {}", crate::bench::dir_bytes(&data.join("vectors")));
    println!("peak_rss_bytes: {}", crate::bench::peak_rss_bytes());
    Ok(())
}
