use crate::row::content_hash;
use crate::StoreError;
use arrow_model::Work;
use arrow_normalize::name_key;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// What an upsert did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
}

/// One write transaction. Dropped without [`Batch::commit`], it rolls back and the store is as before.
pub struct Batch<'c> {
    tx: Transaction<'c>,
    seq: i64,
    first_seq: i64,
}

impl<'c> Batch<'c> {
    pub(crate) fn begin(conn: &'c mut Connection) -> Result<Self, StoreError> {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let seq = crate::read::meta(&tx, "seq")?;
        Ok(Batch { tx, seq, first_seq: seq })
    }

    /// Inserts the work, or replaces the stored work with the same id if its content differs; returns
    /// what happened and the work's store key. Provenance timestamps are set to now for new and changed
    /// records.
    pub fn upsert(&mut self, work: &Work) -> Result<(Outcome, i64), StoreError> {
        self.upsert_at(work, now())
    }

    pub fn upsert_at(&mut self, work: &Work, now: i64) -> Result<(Outcome, i64), StoreError> {
        let authors_json = serde_json::to_string(&work.authors).unwrap_or_else(|_| "[]".into());
        let ids_json = serde_json::to_string(&work.ids).unwrap_or_else(|_| "{}".into());
        let hash = content_hash(work, &authors_json, &ids_json);
        self.seq += 1;
        let mut provenance = work.provenance.clone();
        for p in &mut provenance {
            p.ingested_at = now;
        }
        let provenance_json = serde_json::to_string(&provenance).unwrap_or_else(|_| "[]".into());
        let values = params![
            work.id.0,
            hash,
            self.seq,
            work.title,
            work.abstract_text,
            work.year,
            work.venue,
            work.venue_kind.as_str(),
            work.pub_type,
            authors_json,
            work.authors_truncated,
            ids_json,
            provenance_json,
        ];
        // The common case is a new work: one insert, no lookup first.
        let inserted = self
            .tx
            .prepare_cached(
                "INSERT INTO works (id, hash, seq, title, abstract, year, venue, venue_kind, pub_type,
                 authors, authors_truncated, ids, provenance)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT(id) DO NOTHING",
            )?
            .execute(values)?;
        let (key, outcome) = if inserted == 1 {
            (self.tx.last_insert_rowid(), Outcome::Added)
        } else {
            let (key, old_hash): (i64, i64) = self
                .tx
                .prepare_cached("SELECT key, hash FROM works WHERE id = ?1")?
                .query_row([&work.id.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if old_hash == hash {
                self.seq -= 1;
                return Ok((Outcome::Unchanged, key));
            }
            self.remove_authorships(key)?;
            self.tx
                .prepare_cached(
                    "UPDATE works SET id=?1, hash=?2, seq=?3, title=?4, abstract=?5, year=?6, venue=?7,
                     venue_kind=?8, pub_type=?9, authors=?10, authors_truncated=?11, ids=?12, provenance=?13
                     WHERE key = ?14",
                )?
                .execute(rusqlite::params_from_iter(values.iter().copied().chain([&key as &dyn rusqlite::ToSql])))?;
            (key, Outcome::Updated)
        };
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO authorships (work, slot, name_key, name, source_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (slot, a) in work.authors.iter().enumerate() {
            insert.execute(params![key, slot as i64, name_key(&a.name), a.name, a.source_id])?;
        }
        Ok((outcome, key))
    }

    /// Removes a work by id; returns whether it existed.
    pub fn delete(&mut self, id: &str) -> Result<bool, StoreError> {
        let existing: Option<i64> =
            self.tx.prepare_cached("SELECT key FROM works WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
        let Some(key) = existing else { return Ok(false) };
        self.remove_authorships(key)?;
        self.tx.prepare_cached("DELETE FROM works WHERE key = ?1")?.execute([key])?;
        self.seq += 1;
        self.tx.prepare_cached("INSERT INTO deletions (seq, key) VALUES (?1, ?2)")?.execute([self.seq, key])?;
        Ok(true)
    }

    fn remove_authorships(&self, key: i64) -> Result<(), StoreError> {
        self.tx.prepare_cached("DELETE FROM authorships WHERE work = ?1")?.execute([key])?;
        Ok(())
    }

    /// The change sequence numbers this batch used so far: `(first, last]`.
    pub fn seq_range(&self) -> (i64, i64) {
        (self.first_seq, self.seq)
    }

    /// Makes the batch durable and visible; returns the store's sequence number after it.
    pub fn commit(self) -> Result<i64, StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO meta (key, value) VALUES ('seq', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1",
            )?
            .execute([self.seq])?;
        self.tx.commit()?;
        Ok(self.seq)
    }
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}
