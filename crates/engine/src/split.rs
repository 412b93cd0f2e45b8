//! Cutting one data directory into shards, each a complete data directory of its own (store, index, people,
//! versions) that `arrow serve` opens as it is: the sharded serving path without the Spark job.

use crate::{Arrow, EngineError};
use arrow_store::Store;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One shard as `split` wrote it.
#[derive(Debug, Clone, Serialize)]
pub struct ShardReport {
    pub dir: PathBuf,
    pub works: u64,
}

/// The shard of a work whose group anchor (its least version's id, or its own) is `anchor`: a hash of the id,
/// so that a shard's works do not depend on ingest order, and all versions of one paper share a shard (a search
/// page collapses versions, which needs them side by side).
pub fn shard_of(anchor: &str, shards: usize) -> usize {
    (crate::hash_key(anchor) % shards.max(1) as u64) as usize
}

impl Arrow {
    /// Writes `shards` data directories `out/shard-0` … under `out` (which must not hold shards already), each a
    /// copy of this store cut to its works, then indexed. People, version groups, curations and the label model
    /// are carried as they are, so a person's id is the same in every shard holding their works.
    pub fn split(&self, out: &Path, shards: usize) -> Result<Vec<ShardReport>, EngineError> {
        let shards = shards.max(1);
        let rows = self.store().work_groups()?;
        let mut anchors: HashMap<i64, &str> = HashMap::new();
        for (_, id, grp) in &rows {
            if let Some(g) = grp {
                let a = anchors.entry(*g).or_insert(id.as_str());
                if id.as_str() < *a {
                    *a = id.as_str();
                }
            }
        }
        let mut keys: BTreeMap<usize, Vec<i64>> = (0..shards).map(|i| (i, Vec::new())).collect();
        for (key, id, grp) in &rows {
            let anchor = grp.and_then(|g| anchors.get(&g).copied()).unwrap_or(id.as_str());
            keys.entry(shard_of(anchor, shards)).or_default().push(*key);
        }
        let mut reports = Vec::with_capacity(shards);
        for (i, keep) in keys {
            let dir = out.join(format!("shard-{i}"));
            self.backup(&dir)?;
            Store::open(&dir.join("arrow.sqlite"))?.retain_works(&keep)?;
            // Opening builds the index from the cut store (a data directory without an index catches up).
            let shard = Arrow::open(&dir)?;
            let works = shard.stats()?.works as u64;
            reports.push(ShardReport { dir, works });
        }
        Ok(reports)
    }
}
