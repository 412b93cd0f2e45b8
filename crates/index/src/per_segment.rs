//! Structures derived from one segment, built the first time a search asks and kept by segment id: a segment
//! never changes, so they never go stale (`count.rs`'s frequent words, `venues.rs`'s distinct venues).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

/// Entries kept at most; a few segments each, in practice. When full, all are dropped and rebuilt on demand
/// (merged-away segments are never asked for again).
const KEPT: usize = 256;

pub(crate) struct PerSegment<K, T> {
    kept: OnceLock<Mutex<HashMap<K, Arc<T>>>>,
}

impl<K: Eq + Hash, T> PerSegment<K, T> {
    pub(crate) const fn new() -> Self {
        PerSegment { kept: OnceLock::new() }
    }

    /// The structure kept under `key`, or `build`'s, kept from now on. Two searches may build it at once; one
    /// result is kept.
    pub(crate) fn get_or_build(&self, key: K, build: impl FnOnce() -> tantivy::Result<T>) -> tantivy::Result<Arc<T>> {
        let kept = self.kept.get_or_init(|| Mutex::new(HashMap::new()));
        if let Some(t) = kept.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return Ok(t.clone());
        }
        let built = Arc::new(build()?);
        let mut kept = kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= KEPT {
            kept.clear();
        }
        Ok(kept.entry(key).or_insert(built).clone())
    }
}
