use crate::merge::{identifier_values, merge};
use crate::row::{content_hash, from_row, COLUMNS};
use crate::{Change, StoreError};
use arrow_model::{Identifiers, Provenance, Work};
use arrow_normalize::name_key;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// What an upsert did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Updated,
    /// The record joined a work another source already had (same DOI, arXiv id or DBLP key).
    Merged,
    Unchanged,
}

fn record_hash(work: &Work) -> i64 {
    hashed(work).2
}

/// The work's authors and identifiers as JSON, and its content hash, which covers them.
fn hashed(work: &Work) -> (String, String, i64) {
    let authors = serde_json::to_string(&work.authors).unwrap_or_else(|_| "[]".into());
    let ids = serde_json::to_string(&work.ids).unwrap_or_else(|_| "{}".into());
    let hash = content_hash(work, &authors, &ids);
    (authors, ids, hash)
}

/// A work's JSON columns and content hash, worked out once for each write.
struct Encoded {
    authors: String,
    ids: String,
    provenance: String,
    hash: i64,
}

impl Encoded {
    /// `stamp`, when given, is the time recorded as each source's ingest time instead of the work's own (a new or
    /// changed record). The hash ignores it.
    fn of(work: &Work, stamp: Option<i64>) -> Encoded {
        let (authors, ids, hash) = hashed(work);
        let provenance = match stamp {
            Some(now) => serde_json::to_string(&stamped(&work.provenance, now)),
            None => serde_json::to_string(&work.provenance),
        };
        Encoded { authors, ids, provenance: provenance.unwrap_or_else(|_| "[]".into()), hash }
    }
}

fn stamped(provenance: &[Provenance], now: i64) -> Vec<Provenance> {
    provenance.iter().map(|p| Provenance { ingested_at: now, ..p.clone() }).collect()
}

/// During a bulk load into an empty store, the one source loaded so far. While there is only one, looking a new
/// record's identifiers up is wasted work: it can only find works of the same source, and one source's distinct
/// records never merge. The first record of a second source (or of several) ends it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SoleSource {
    Unknown,
    Empty,
    One(String),
}

/// One write transaction. Dropped without [`Batch::commit`], it rolls back and the store is as before.
pub struct Batch<'c> {
    pub(crate) tx: Transaction<'c>,
    seq: i64,
    first_seq: i64,
    sole: &'c mut SoleSource,
    bulk: bool,
}

impl<'c> Batch<'c> {
    pub(crate) fn begin(conn: &'c mut Connection, sole: &'c mut SoleSource, bulk: bool) -> Result<Self, StoreError> {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let seq = crate::read::meta(&tx, "seq")?;
        Ok(Batch { tx, seq, first_seq: seq, sole, bulk })
    }

    /// Whether a bulk load is running (see [`crate::Store::begin_bulk`]): what it defers is rebuilt at its end.
    pub(crate) fn bulk(&self) -> bool {
        self.bulk
    }

    /// Whether a new record's identifiers can find a work it would merge with (see [`SoleSource`]).
    fn may_merge(&mut self, record: &Work) -> bool {
        let source = match record.provenance.as_slice() {
            [one] => one.source.as_str(),
            _ => "",
        };
        match &*self.sole {
            SoleSource::Unknown => return true,
            SoleSource::Empty if !source.is_empty() => {
                *self.sole = SoleSource::One(source.to_string());
                return false;
            }
            SoleSource::One(s) if s == source => return false,
            _ => {}
        }
        *self.sole = SoleSource::Unknown;
        true
    }

    /// Inserts the work, or replaces the stored work with the same id if its content differs; returns
    /// what happened and the work's store key. Provenance timestamps are set to now for new and changed
    /// records.
    pub fn upsert(&mut self, work: &Work) -> Result<(Outcome, i64), StoreError> {
        self.upsert_at(work, now())
    }

    pub fn upsert_at(&mut self, record: &Work, now: i64) -> Result<(Outcome, i64), StoreError> {
        let encoded = Encoded::of(record, Some(now));
        let hash = encoded.hash;
        let may_merge = self.may_merge(record);
        // Loading one source into an empty store, nearly every record is new: the insert comes first, and only
        // an id already taken sends the record down the path below. It spares a lookup per record.
        if !may_merge {
            if let Some(key) = self.write_row(None, record, &encoded)? {
                return Ok((Outcome::Added, key));
            }
        }
        // A merge keeps the record itself, with this ingest's time; a copy is made only then.
        let kept = || Work { provenance: stamped(&record.provenance, now), ..record.clone() };
        if let Some((key, old_hash)) = self.key_of(&record.id.0)? {
            // The same id from another source (a DBLP-keyed BibTeX entry beside DBLP's own record) is
            // another view of the work: merge, do not overwrite.
            if self.is_merged(key)? || self.source_of(key)? != record.provenance.first().map(|p| p.source.clone()) {
                if let Some(outcome) = self.merge_into(key, &kept(), hash)? {
                    return Ok((outcome, key));
                }
            } else if old_hash == hash {
                self.note_file(key, record)?;
                return Ok((Outcome::Unchanged, key));
            }
            self.write_row(Some(key), record, &encoded)?;
            return Ok((Outcome::Updated, key));
        }
        let found = if may_merge { self.find_by_identifiers(record)? } else { None };
        if let Some(key) = found {
            if let Some(outcome) = self.merge_into(key, &kept(), hash)? {
                return Ok((outcome, key));
            }
        }
        let key = self
            .write_row(None, record, &encoded)?
            .ok_or_else(|| StoreError::Corrupt { what: format!("work id {} both absent and present", record.id.0) })?;
        Ok((Outcome::Added, key))
    }

    /// Notes the file an unchanged record was read from this time, when another (the content hash leaves it out:
    /// the same records under a new file name are not new content), so that `--delete-missing` of the file it
    /// left does not drop it.
    fn note_file(&self, key: i64, record: &Work) -> Result<(), StoreError> {
        let Some(file) = record.provenance.first().and_then(|p| p.file.as_deref()) else { return Ok(()) };
        self.tx
            .prepare_cached(
                "UPDATE works SET provenance = json_set(provenance, '$[0].file', ?2)
                 WHERE key = ?1 AND json_extract(provenance, '$[0].file') IS NOT ?2",
            )?
            .execute(params![key, file])?;
        Ok(())
    }

    fn key_of(&self, id: &str) -> Result<Option<(i64, i64)>, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT key, hash FROM works WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn source_of(&self, key: i64) -> Result<Option<String>, StoreError> {
        let provenance: String =
            self.tx.prepare_cached("SELECT provenance FROM works WHERE key = ?1")?.query_row([key], |r| r.get(0))?;
        let provenance: Vec<arrow_model::Provenance> = serde_json::from_str(&provenance)
            .map_err(|_| StoreError::Corrupt { what: format!("provenance of work key {key}") })?;
        Ok(provenance.into_iter().next().map(|p| p.source))
    }

    fn is_merged(&self, key: i64) -> Result<bool, StoreError> {
        Ok(self.tx.prepare_cached("SELECT 1 FROM records WHERE work = ?1 LIMIT 1")?.exists([key])?)
    }

    /// The work another source already holds under one of this record's identifiers.
    fn find_by_identifiers(&self, record: &Work) -> Result<Option<i64>, StoreError> {
        let mut stmt = self.tx.prepare_cached("SELECT work FROM identifiers WHERE value = ?1")?;
        for value in identifier_values(&record.ids) {
            if let Some(key) = stmt.query_row([&value], |r| r.get(0)).optional()? {
                return Ok(Some(key));
            }
        }
        Ok(None)
    }

    /// Adds or replaces `record` among the source records of work `key` and rewrites the work from them.
    /// `None` when the record must not merge: the work already has a different record of the same
    /// source (one source's distinct records stay distinct works, even if they share a DOI).
    fn merge_into(&mut self, key: i64, record: &Work, hash: i64) -> Result<Option<Outcome>, StoreError> {
        let Some(source) = record.provenance.first().cloned() else { return Ok(None) };
        let mut records = self.records_of(key)?;
        if records.is_empty() {
            let current = self.read_row(key)?;
            let current_hash = record_hash(&current);
            self.save_record(key, &current, current_hash)?;
            records.push((current_hash, current));
        }
        let same = |w: &Work| {
            w.provenance.first().is_some_and(|p| p.source == source.source && p.record_id == source.record_id)
        };
        let same_source_other_record = |w: &Work| {
            w.provenance.first().is_some_and(|p| p.source == source.source && p.record_id != source.record_id)
        };
        match records.iter().position(|(_, w)| same(w)) {
            Some(i) if records[i].0 == hash => return Ok(Some(Outcome::Unchanged)),
            Some(i) => records[i] = (hash, record.clone()),
            None if records.iter().any(|(_, w)| same_source_other_record(w)) => return Ok(None),
            None => records.push((hash, record.clone())),
        }
        self.save_record(key, record, hash)?;
        // The record's own id keeps finding the work it joined.
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO identifiers (value, work) VALUES (?1, ?2)")?
            .execute(params![format!("id:{}", record.id.0), key])?;
        let id: String =
            self.tx.prepare_cached("SELECT id FROM works WHERE key = ?1")?.query_row([key], |r| r.get(0))?;
        let works: Vec<Work> = records.into_iter().map(|(_, w)| w).collect();
        let merged = merge(&id, &works);
        self.write_row(Some(key), &merged, &Encoded::of(&merged, None))?;
        Ok(Some(Outcome::Merged))
    }

    fn records_of(&self, key: i64) -> Result<Vec<(i64, Work)>, StoreError> {
        let mut stmt = self.tx.prepare_cached("SELECT hash, body FROM records WHERE work = ?1")?;
        let rows = stmt.query_map([key], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (hash, body) = row?;
            let work = serde_json::from_str(&body)
                .map_err(|_| StoreError::Corrupt { what: format!("a source record of work key {key}") })?;
            out.push((hash, work));
        }
        Ok(out)
    }

    fn save_record(&self, key: i64, record: &Work, hash: i64) -> Result<(), StoreError> {
        let Some(p) = record.provenance.first() else { return Ok(()) };
        let body = serde_json::to_string(record).unwrap_or_default();
        self.tx
            .prepare_cached(
                "INSERT INTO records (work, source, record_id, hash, body) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(work, source, record_id) DO UPDATE SET hash = ?4, body = ?5",
            )?
            .execute(params![key, p.source, p.record_id, hash, body])?;
        Ok(())
    }

    /// [`Store::work_id_for_reference`](crate::Store::work_id_for_reference), inside this transaction.
    pub fn work_id_for_reference(&self, reference: &str) -> Result<Option<String>, StoreError> {
        crate::read::work_id_for_reference(&self.tx, reference)
    }

    /// The work as stored now under `key`, inside this transaction.
    pub fn work_by_key(&self, key: i64) -> Result<Work, StoreError> {
        self.read_row(key)
    }

    fn read_row(&self, key: i64) -> Result<Work, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM works WHERE key = ?1");
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let mut rows = stmt.query([key])?;
        match rows.next()? {
            Some(row) => Ok(from_row(row, 0)?.1),
            None => Err(StoreError::Corrupt { what: format!("work key {key} vanished") }),
        }
    }

    /// Writes the work's row (a new one when `key` is `None`), its authorships and its identifiers; returns its
    /// key, or `None` (and writes nothing) when a new row's id is taken.
    fn write_row(&mut self, key: Option<i64>, work: &Work, encoded: &Encoded) -> Result<Option<i64>, StoreError> {
        let seq = self.seq + 1;
        let refs_json = (!work.references.is_empty())
            .then(|| serde_json::to_string(&work.references).unwrap_or_else(|_| "[]".into()));
        let values = params![
            work.id.0,
            encoded.hash,
            seq,
            work.title,
            work.abstract_text,
            work.year,
            work.venue,
            work.venue_kind.as_str(),
            work.pub_type,
            encoded.authors,
            work.authors_truncated,
            encoded.ids,
            encoded.provenance,
            refs_json,
        ];
        let key = match key {
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO works (id, hash, seq, title, abstract, year, venue, venue_kind, pub_type,
                         authors, authors_truncated, ids, provenance, refs)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                         ON CONFLICT (id) DO NOTHING",
                    )?
                    .execute(values)?;
                if self.tx.changes() == 0 {
                    return Ok(None);
                }
                self.tx.last_insert_rowid()
            }
            Some(key) => {
                self.remove_authorships(key)?;
                self.remove_identifiers(key)?;
                self.tx
                    .prepare_cached(
                        "UPDATE works SET id=?1, hash=?2, seq=?3, title=?4, abstract=?5, year=?6, venue=?7,
                         venue_kind=?8, pub_type=?9, authors=?10, authors_truncated=?11, ids=?12, provenance=?13,
                         refs=?14 WHERE key = ?15",
                    )?
                    .execute(rusqlite::params_from_iter(
                        values.iter().copied().chain([&key as &dyn rusqlite::ToSql]),
                    ))?;
                key
            }
        };
        self.seq = seq;
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO authorships (work, slot, name_key, name, source_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let names = !self.bulk();
        for (slot, a) in work.authors.iter().enumerate() {
            let name_key = name_key(&a.name);
            insert.execute(params![key, slot as i64, name_key, a.name, a.source_id])?;
            if names {
                self.add_name(&name_key, key)?;
            }
        }
        let mut insert = self.tx.prepare_cached("INSERT OR IGNORE INTO identifiers (value, work) VALUES (?1, ?2)")?;
        for value in identifier_values(&work.ids) {
            insert.execute(params![value, key])?;
        }
        Ok(Some(key))
    }

    fn remove_identifiers(&self, key: i64) -> Result<(), StoreError> {
        let ids: String =
            self.tx.prepare_cached("SELECT ids FROM works WHERE key = ?1")?.query_row([key], |r| r.get(0))?;
        let ids: Identifiers = serde_json::from_str(&ids)
            .map_err(|_| StoreError::Corrupt { what: format!("identifiers of work key {key}") })?;
        let mut del = self.tx.prepare_cached("DELETE FROM identifiers WHERE value = ?1 AND work = ?2")?;
        for value in identifier_values(&ids) {
            del.execute(params![value, key])?;
        }
        Ok(())
    }

    /// Notes that the source still has this record, for [`Store::delete_unseen`] after a full re-import.
    pub fn mark_seen(&mut self, work: &Work) -> Result<(), StoreError> {
        if let Some(p) = work.provenance.first() {
            self.tx
                .prepare_cached("INSERT OR IGNORE INTO temp.seen (source, record_id) VALUES (?1, ?2)")?
                .execute(params![p.source, p.record_id])?;
            if let Some(file) = &p.file {
                self.tx
                    .prepare_cached("INSERT OR IGNORE INTO temp.seen_files (source, file) VALUES (?1, ?2)")?
                    .execute(params![p.source, file])?;
            }
        }
        Ok(())
    }

    /// Drops one source's record from a work: the work goes if it was its only source, else it is
    /// rebuilt from the sources left. Returns the change made.
    pub fn remove_record(&mut self, key: i64, source: &str, record_id: &str) -> Result<Option<Change>, StoreError> {
        let mut records = self.records_of(key)?;
        if records.is_empty() {
            let id: String =
                self.tx.prepare_cached("SELECT id FROM works WHERE key = ?1")?.query_row([key], |r| r.get(0))?;
            self.delete(&id)?;
            return Ok(Some(Change { seq: self.seq, key, work: None }));
        }
        let gone = |w: &Work| w.provenance.first().is_some_and(|p| p.source == source && p.record_id == record_id);
        for (_, w) in records.iter().filter(|(_, w)| gone(w)) {
            self.remove_alias(key, &w.id.0)?;
        }
        records.retain(|(_, w)| !gone(w));
        self.tx
            .prepare_cached("DELETE FROM records WHERE work = ?1 AND source = ?2 AND record_id = ?3")?
            .execute(params![key, source, record_id])?;
        if records.is_empty() {
            let id: String =
                self.tx.prepare_cached("SELECT id FROM works WHERE key = ?1")?.query_row([key], |r| r.get(0))?;
            self.delete(&id)?;
            return Ok(Some(Change { seq: self.seq, key, work: None }));
        }
        let id: String =
            self.tx.prepare_cached("SELECT id FROM works WHERE key = ?1")?.query_row([key], |r| r.get(0))?;
        let works: Vec<Work> = records.into_iter().map(|(_, w)| w).collect();
        let merged = merge(&id, &works);
        self.write_row(Some(key), &merged, &Encoded::of(&merged, None))?;
        Ok(Some(Change { seq: self.seq, key, work: Some(merged) }))
    }

    /// The store key and work id of the work with this id, or that a record with this id merged into.
    pub fn key_and_id(&self, id: &str) -> Result<Option<(i64, String)>, StoreError> {
        let direct: Option<i64> =
            self.tx.prepare_cached("SELECT key FROM works WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
        let key = match direct {
            Some(k) => Some(k),
            None => self
                .tx
                .prepare_cached("SELECT work FROM identifiers WHERE value = ?1")?
                .query_row([format!("id:{id}")], |r| r.get(0))
                .optional()?,
        };
        let Some(key) = key else { return Ok(None) };
        let work_id: String =
            self.tx.prepare_cached("SELECT id FROM works WHERE key = ?1")?.query_row([key], |r| r.get(0))?;
        Ok(Some((key, work_id)))
    }

    /// The keys and ids of the works whose id starts with `prefix`, at most `limit` of them, in id order.
    pub fn ids_starting_with(&self, prefix: &str, limit: usize) -> Result<Vec<(i64, String)>, StoreError> {
        let rows = self
            .tx
            .prepare_cached(
                "SELECT key, id FROM works WHERE id >= ?1 AND substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT ?2",
            )?
            .query_map(rusqlite::params![prefix, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Removes a work by id; returns whether it existed.
    pub fn delete(&mut self, id: &str) -> Result<bool, StoreError> {
        let existing: Option<i64> =
            self.tx.prepare_cached("SELECT key FROM works WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
        let Some(key) = existing else { return Ok(false) };
        self.delete_key(key)?;
        Ok(true)
    }

    /// Removes the work with this store key, all its source records included.
    pub fn delete_key(&mut self, key: i64) -> Result<(), StoreError> {
        self.remove_authorships(key)?;
        self.remove_identifiers(key)?;
        for (_, record) in self.records_of(key)? {
            self.remove_alias(key, &record.id.0)?;
        }
        self.tx.prepare_cached("DELETE FROM records WHERE work = ?1")?.execute([key])?;
        // A deleted work leaves its version group (a group of one is harmless: it shows no versions).
        self.tx.prepare_cached("DELETE FROM versions WHERE work = ?1")?.execute([key])?;
        self.tx.prepare_cached("DELETE FROM works WHERE key = ?1")?.execute([key])?;
        self.seq += 1;
        self.tx.prepare_cached("INSERT INTO deletions (seq, key) VALUES (?1, ?2)")?.execute([self.seq, key])?;
        Ok(())
    }

    fn remove_alias(&self, key: i64, record_id: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("DELETE FROM identifiers WHERE value = ?1 AND work = ?2")?
            .execute(params![format!("id:{record_id}"), key])?;
        Ok(())
    }

    fn remove_authorships(&self, key: i64) -> Result<(), StoreError> {
        if !self.bulk() {
            let keys: Vec<String> = {
                let mut stmt = self.tx.prepare_cached("SELECT name_key FROM authorships WHERE work = ?1")?;
                let rows = stmt.query_map([key], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            };
            for k in keys {
                self.remove_name(&k)?;
            }
        }
        self.tx.prepare_cached("DELETE FROM authorships WHERE work = ?1")?.execute([key])?;
        // Slots may now name other authors: the work's people are assigned again (or at the next full run).
        self.tx.prepare_cached("DELETE FROM people WHERE work = ?1")?.execute([key])?;
        Ok(())
    }

    /// Notes, with this batch's works, that works are stored without their people until the next full run of
    /// disambiguation (see [`Store::people_pending`]): a kill before that run must not leave them so for good.
    pub fn note_people_pending(&mut self) -> Result<(), StoreError> {
        self.tx.prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES ('people_pending', 1)")?.execute([])?;
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
