//! `arrow embed`: the vectors of every work whose text changed, with a progress bar; `arrow bench embed`:
//! the model's throughput on the stored works.

use anyhow::{Context, Result};
use arrow_engine::Arrow;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

pub fn embed(arrow: &Arrow, model: Option<&Path>) -> Result<()> {
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
    let report = arrow.embed(model, &progress).context("embedding works")?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "embedded: {} works, {} embedded, {} unchanged, {} removed in {secs:.1} s",
        report.works, report.embedded, report.unchanged, report.removed
    );
    Ok(())
}

/// Embeds up to `works` stored works (title + abstract) in memory, nothing written: works per second and
/// the process's peak resident memory.
pub fn bench(data: &Path, model: &Path, works: usize) -> Result<()> {
    let arrow = Arrow::open(data).with_context(|| format!("opening {}", data.display()))?;
    let mut texts = Vec::new();
    arrow.for_each_work(|w| {
        if texts.len() < works {
            texts.push(arrow_embed::work_text(&w.title, w.abstract_text.as_deref()));
        }
    })?;
    let loading = Instant::now();
    let encoder = arrow_embed::Encoder::load(model)?;
    let load_secs = loading.elapsed().as_secs_f64();
    let started = Instant::now();
    for chunk in texts.chunks(arrow_embed::BATCH * 4) {
        let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
        encoder.encode(&refs)?;
    }
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    println!("works: {}", texts.len());
    println!("model_load_s: {load_secs:.2}");
    println!("embed_s: {secs:.2}");
    println!("works_per_s: {:.1}", texts.len() as f64 / secs);
    println!("threads: {}", std::thread::available_parallelism().map_or(1, |n| n.get()));
    println!("peak_rss_bytes: {}", crate::bench::peak_rss_bytes());
    Ok(())
}
