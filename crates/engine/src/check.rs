//! `arrow check` and `arrow backup`: is the index in step with the store, and a consistent copy of the
//! store while Arrow keeps serving.

use crate::{Arrow, EngineError};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

/// What `check` found. `ok` when the index holds exactly the store's works at the store's sequence.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CheckReport {
    pub store_works: u64,
    pub index_docs: u64,
    pub store_seq: i64,
    pub index_seq: i64,
    /// Works in the store that the index lacks (up to 20 ids shown).
    pub missing_from_index: Vec<String>,
    pub missing_count: u64,
    /// Index documents whose work is no longer in the store.
    pub stale_in_index: u64,
    /// The SQLite integrity check's verdict.
    pub store_integrity: String,
    /// Works were stored without their people by an ingest stopped before its full run of disambiguation (the
    /// next ingest, or `arrow disambiguate`, places them). Not drift of the index: `ok` does not count it.
    pub people_pending: bool,
    pub ok: bool,
}

impl Arrow {
    /// Compares the store and the index document by document.
    pub fn check(&self) -> Result<CheckReport, EngineError> {
        let index_keys: HashSet<i64> = self.index().all_keys()?.into_iter().collect();
        let store = self.store();
        let store_seq = store.seq()?;
        let store_integrity = store.integrity_check()?;
        let people_pending = store.people_pending()?;
        let mut store_keys = HashSet::with_capacity(index_keys.len());
        let mut missing = Vec::new();
        let mut missing_count = 0u64;
        store.for_each_work(|key, work| {
            store_keys.insert(key);
            if !index_keys.contains(&key) {
                missing_count += 1;
                if missing.len() < 20 {
                    missing.push(work.id.0);
                }
            }
        })?;
        drop(store);
        let stale = index_keys.iter().filter(|k| !store_keys.contains(k)).count() as u64;
        let index_seq = self.index().indexed_seq()?;
        let ok = missing_count == 0 && stale == 0 && index_seq == store_seq && store_integrity == "ok";
        Ok(CheckReport {
            store_works: store_keys.len() as u64,
            index_docs: index_keys.len() as u64,
            store_seq,
            index_seq,
            missing_from_index: missing,
            missing_count,
            stale_in_index: stale,
            store_integrity,
            people_pending,
            ok,
        })
    }

    /// Writes a consistent copy of the store to `dest` (a new data directory). The index is not copied:
    /// it is derived, and the first open of the copy rebuilds it.
    pub fn backup(&self, dest: &Path) -> Result<(), EngineError> {
        std::fs::create_dir_all(dest).map_err(|e| EngineError::Io { path: dest.display().to_string(), source: e })?;
        let target = dest.join("arrow.sqlite");
        if target.exists() {
            return Err(EngineError::Io {
                path: target.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "a store is already there"),
            });
        }
        Ok(self.store().snapshot_to(&target)?)
    }
}
