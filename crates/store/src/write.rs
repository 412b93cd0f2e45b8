use crate::row::content_hash;
use crate::StoreError;
use arrow_model::{Authorship, Work};
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
        let existing: Option<(i64, i64, String)> = self
            .tx
            .prepare_cached("SELECT key, hash, authors FROM works WHERE id = ?1")?
            .query_row([&work.id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if let Some((key, h, _)) = &existing {
            if *h == hash {
                return Ok((Outcome::Unchanged, *key));
            }
        }
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
        let (key, outcome) = match existing {
            Some((key, _, old_authors)) => {
                self.remove_authorships(key, &old_authors)?;
                self.tx
                    .prepare_cached(
                        "UPDATE works SET id=?1, hash=?2, seq=?3, title=?4, abstract=?5, year=?6, venue=?7,
                         venue_kind=?8, pub_type=?9, authors=?10, authors_truncated=?11, ids=?12, provenance=?13
                         WHERE key = ?14",
                    )?
                    .execute(rusqlite::params_from_iter(
                        values.iter().copied().chain([&key as &dyn rusqlite::ToSql]),
                    ))?;
                (key, Outcome::Updated)
            }
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO works (id, hash, seq, title, abstract, year, venue, venue_kind, pub_type,
                         authors, authors_truncated, ids, provenance)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    )?
                    .execute(values)?;
                (self.tx.last_insert_rowid(), Outcome::Added)
            }
        };
        let mut insert = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO authorships (name_key, work, slot, name, source_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (slot, a) in work.authors.iter().enumerate() {
            insert.execute(params![name_key(&a.name), key, slot as i64, a.name, a.source_id])?;
        }
        Ok((outcome, key))
    }

    /// Removes a work by id; returns whether it existed.
    pub fn delete(&mut self, id: &str) -> Result<bool, StoreError> {
        let existing: Option<(i64, String)> = self
            .tx
            .prepare_cached("SELECT key, authors FROM works WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((key, authors)) = existing else { return Ok(false) };
        self.remove_authorships(key, &authors)?;
        self.tx.prepare_cached("DELETE FROM works WHERE key = ?1")?.execute([key])?;
        self.seq += 1;
        self.tx.prepare_cached("INSERT INTO deletions (seq, key) VALUES (?1, ?2)")?.execute([self.seq, key])?;
        Ok(true)
    }

    fn remove_authorships(&self, key: i64, authors_json: &str) -> Result<(), StoreError> {
        let authors: Vec<Authorship> = serde_json::from_str(authors_json)
            .map_err(|_| StoreError::Corrupt { what: format!("authors of work key {key}") })?;
        let mut del = self.tx.prepare_cached("DELETE FROM authorships WHERE name_key = ?1 AND work = ?2")?;
        for a in &authors {
            del.execute(params![name_key(&a.name), key])?;
        }
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
