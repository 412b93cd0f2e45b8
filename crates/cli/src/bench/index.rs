//! The search index alone, built straight from the files: the job the Lucene peer's `index` times (parse the
//! works and index them; no store). Arrow's own load also writes the SQLite store, the source of truth, which the
//! peer has no counterpart for; `bench search` prints both.

use anyhow::{Context, Result};
use arrow_index::SearchIndex;
use arrow_ingest::{parse_path, ParserThread};
use std::path::Path;
use std::time::Instant;

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
    // Opening is cheap (parsers are lazy): every file is opened up front, so a missing one fails before any work.
    let mut inputs = Vec::with_capacity(files.len());
    for path in files {
        let (_, records) = parse_path(path, None).with_context(|| format!("opening {path}"))?;
        inputs.push(records);
    }
    let parser = ParserThread::spawn(inputs.into_iter().flatten().map(|r| r.map(|r| r.work)))?;
    let mut docs = 0u64;
    for chunk in parser.chunks() {
        // Bad records are skipped, as `bench search` skips them when it loads the store.
        for work in chunk.into_iter().flatten() {
            writer.put(docs as i64, &work, false)?;
            docs += 1;
        }
    }
    parser.join(&files.join(", "))?;
    writer.commit(0)?;
    let merge = Instant::now();
    writer.finish()?;
    Ok(IndexOnly { docs, seconds: start.elapsed().as_secs_f64(), merge_seconds: merge.elapsed().as_secs_f64() })
}
