//! Looking after a data directory: check, backup, reindex, stats, and the demo.

use super::{create, open, serve};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Compares the index with the store; fails on drift.
pub fn check(data: &Path, json: bool) -> Result<()> {
    let arrow = open(data)?;
    let r = arrow.check()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        println!(
            "store_works: {}\nindex_docs: {}\nstore_seq: {}\nindex_seq: {}\nmissing_from_index: {}\nstale_in_index: {}\nstore_integrity: {}",
            r.store_works, r.index_docs, r.store_seq, r.index_seq, r.missing_count, r.stale_in_index, r.store_integrity
        );
        for id in &r.missing_from_index {
            println!("missing: {id}");
        }
    }
    if r.people_pending {
        eprintln!(
            "warning: an ingest stopped before placing its works among people; the next ingest or `arrow \
             disambiguate` places them"
        );
    }
    if !r.ok {
        anyhow::bail!("the index has drifted from the store; run `arrow reindex`");
    }
    Ok(())
}

/// A consistent copy of the store.
pub fn backup(data: &Path, dest: PathBuf) -> Result<()> {
    let arrow = open(data)?;
    arrow.backup(&dest).with_context(|| format!("backing up to {}", dest.display()))?;
    eprintln!("backed up the store to {}", dest.display());
    Ok(())
}

/// Cuts the data directory into shards.
pub fn split(data: &Path, shards: usize, out: PathBuf) -> Result<()> {
    let arrow = open(data)?;
    let reports = arrow.split(&out, shards).with_context(|| format!("splitting into {}", out.display()))?;
    for r in reports {
        println!("{}\t{} works", r.dir.display(), r.works);
    }
    Ok(())
}

/// Rebuilds the index from the store.
pub fn reindex(data: &Path) -> Result<()> {
    let arrow = open(data)?;
    let n = arrow.reindex()?;
    eprintln!("reindexed {n} works");
    Ok(())
}

/// Counts of what the data directory holds.
pub fn stats(data: &Path, json: bool) -> Result<()> {
    let arrow = open(data)?;
    let s = arrow.stats()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        println!(
            "works: {}\nauthorships: {}\ndistinct_names: {} (exact names, case folded)\nseq: {}",
            s.works, s.authorships, s.distinct_names, s.seq
        );
    }
    Ok(())
}

/// Loads the demo corpus into an empty data directory, then serves it.
pub fn demo(data: &Path, addr: String, admin_token: Option<String>) -> Result<()> {
    let arrow = create(data)?;
    let added = arrow.load_demo()?;
    if added > 0 {
        let people = arrow.disambiguate()?;
        eprintln!("loaded {added} demo works into {} ({} people)", data.display(), people.people);
    }
    serve(arrow, &addr, admin_token)
}
