//! The search index alone, built straight from the files: the job the Lucene peer's `index` times (parse the
//! works and index them; no store). Arrow's own load also writes the SQLite store, the source of truth, which the
//! peer has no counterpart for; `bench search` prints both.

use anyhow::{Context, Result};
use arrow_index::SearchIndex;
use arrow_ingest::{parse_path, ParseError};
use arrow_model::Work;
use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

const CHUNK: usize = 1024;

/// What an index-only build took.
pub struct IndexOnly {
    pub docs: u64,
    pub seconds: f64,
    /// Of which the final merge (see [`arrow_index::IndexWriter::bulk`]).
    pub merge_seconds: f64,
}

/// Parses `files` on one thread and indexes them into a new index in `dir` (tantivy's own threads build the
/// segments), with each work's position in the input as its key; commits once and waits for the last merges.
pub fn build(files: &[String], dir: &Path) -> Result<IndexOnly> {
    let start = Instant::now();
    let index = SearchIndex::open(dir)?;
    let mut writer = index.writer()?;
    writer.bulk();
    let (tx, rx) = sync_channel::<Vec<Result<Work, ParseError>>>(8);
    let paths = files.to_vec();
    let parser = std::thread::spawn(move || -> Result<()> {
        for path in &paths {
            let (_, records) = parse_path(path, None).with_context(|| format!("opening {path}"))?;
            let mut chunk = Vec::with_capacity(CHUNK);
            for r in records {
                chunk.push(r.map(|r| r.work));
                if chunk.len() == CHUNK && tx.send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))).is_err() {
                    return Ok(());
                }
            }
            if tx.send(chunk).is_err() {
                return Ok(());
            }
        }
        Ok(())
    });
    let mut docs = 0u64;
    for chunk in rx {
        // Bad records are skipped, as `bench search` skips them when it loads the store.
        for work in chunk.into_iter().flatten() {
            writer.put(docs as i64, &work, false)?;
            docs += 1;
        }
    }
    parser.join().map_err(|_| anyhow::anyhow!("the parser thread panicked"))??;
    writer.commit(0)?;
    let merge = Instant::now();
    writer.finish()?;
    Ok(IndexOnly { docs, seconds: start.elapsed().as_secs_f64(), merge_seconds: merge.elapsed().as_secs_f64() })
}
