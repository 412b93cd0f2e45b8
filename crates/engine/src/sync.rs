//! Keeping the derived index in step with the store.

use crate::{Arrow, EngineError};
use arrow_index::SearchIndex;

const REPLAY_CHUNK: usize = 10_000;
/// Changes replayed between index commits (as an ingest commits the index every million works).
const REPLAY_COMMIT: usize = 1_000_000;

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
        // An index at sequence 0 holds nothing (new, or wiped for a schema change): its works are added without
        // deleting an earlier version first. Those deletes, one per work, are held in memory until a commit:
        // a full replay of 2.9 million works peaked at 4 GB with them.
        let replace = indexed > 0;
        if !replace {
            writer.bulk();
        }
        let mut after = indexed;
        let mut since_commit = 0usize;
        loop {
            let changes = self.store().changes_since(after, REPLAY_CHUNK)?;
            let Some(last) = changes.last() else { break };
            after = last.seq;
            for c in &changes {
                match &c.work {
                    Some(w) => writer.put(c.key, w, replace)?,
                    None => writer.delete(c.key)?,
                }
            }
            // Committing as it goes bounds memory, and a replay stopped midway resumes from the last commit.
            since_commit += changes.len();
            if since_commit >= REPLAY_COMMIT {
                writer.commit(after)?;
                since_commit = 0;
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
        writer.bulk();
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
