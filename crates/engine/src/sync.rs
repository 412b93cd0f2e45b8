//! Keeping the derived index in step with the store.

use crate::{Arrow, EngineError};
use arrow_index::SearchIndex;

const REPLAY_CHUNK: usize = 10_000;

impl Arrow {
    /// Replays store changes the index has not seen. Cheap when they agree (one comparison).
    pub(crate) fn catch_up(&self) -> Result<(), EngineError> {
        let store_seq = self.store().seq()?;
        let indexed = self.index.indexed_seq()?;
        if indexed == store_seq {
            return Ok(());
        }
        if indexed > store_seq {
            // The store was replaced (restored from a backup, say): the index describes another history.
            return self.reindex().map(|_| ());
        }
        tracing::info!(indexed, store_seq, "index behind the store; replaying changes");
        let mut writer = self.index.writer()?;
        let mut after = indexed;
        loop {
            let changes = self.store().changes_since(after, REPLAY_CHUNK)?;
            let Some(last) = changes.last() else { break };
            after = last.seq;
            for c in &changes {
                match &c.work {
                    Some(w) => writer.put(c.key, w, true)?,
                    None => writer.delete(c.key),
                }
            }
        }
        writer.commit(store_seq)?;
        writer.finish()?;
        self.index.reload()?;
        Ok(())
    }

    /// Rebuilds the index from the store; returns the number of works indexed.
    pub fn reindex(&self) -> Result<u64, EngineError> {
        let mut writer = self.index.writer()?;
        writer.clear()?;
        let store = self.store();
        let store_seq = store.seq()?;
        let mut n = 0u64;
        let mut failure = None;
        store.for_each_work(|key, work| {
            if failure.is_none() {
                if let Err(e) = writer.put(key, &work, false) {
                    failure = Some(e);
                }
                n += 1;
            }
        })?;
        drop(store);
        if let Some(e) = failure {
            return Err(e.into());
        }
        writer.commit(store_seq)?;
        writer.finish()?;
        self.index.reload()?;
        Ok(n)
    }

    /// Whether the index has caught up with every committed store change.
    pub fn index_in_sync(&self) -> Result<bool, EngineError> {
        Ok(self.index.indexed_seq()? == self.store().seq()?)
    }

    pub(crate) fn index(&self) -> &SearchIndex {
        &self.index
    }
}
