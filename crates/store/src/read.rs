use crate::row::{from_row, COLUMNS};
use crate::{Store, StoreError};
use arrow_model::Work;
use rusqlite::{Connection, OptionalExtension};

/// A change to replay into the index: the work as it now is, or `None` if it was deleted.
#[derive(Debug, Clone)]
pub struct Change {
    pub seq: i64,
    pub key: i64,
    pub work: Option<Work>,
}

/// Counts for `arrow stats`.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub works: i64,
    pub authorships: i64,
    pub distinct_names: i64,
    pub seq: i64,
}

pub(crate) fn meta(conn: &Connection, key: &str) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

impl Store {
    /// The sequence number of the last committed change (0 for an empty store).
    pub fn seq(&self) -> Result<i64, StoreError> {
        meta(&self.conn, "seq")
    }

    /// The work with this id, or the work a record with this id was merged into.
    pub fn work(&self, id: &str) -> Result<Option<(i64, Work)>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM works WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        if let Some(row) = rows.next()? {
            return Ok(Some(from_row(row, 0)?));
        }
        let merged: Option<i64> = self
            .conn
            .prepare_cached("SELECT work FROM identifiers WHERE value = ?1")?
            .query_row([format!("id:{id}")], |r| r.get(0))
            .optional()?;
        Ok(match merged {
            Some(key) => self.works_by_keys(&[key])?.pop(),
            None => None,
        })
    }

    /// The id of the stored work a reference names (`openalex:W…`, `doi:…`, a work id, or the id of a record
    /// merged into a work), if it is stored.
    pub fn work_id_for_reference(&self, reference: &str) -> Result<Option<String>, StoreError> {
        work_id_for_reference(&self.conn, reference)
    }

    /// Works by store key, in the order of `keys`; missing keys are skipped.
    pub fn works_by_keys(&self, keys: &[i64]) -> Result<Vec<(i64, Work)>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM works WHERE key = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let mut rows = stmt.query([key])?;
            if let Some(row) = rows.next()? {
                out.push(from_row(row, 0)?);
            }
        }
        Ok(out)
    }

    /// The key of the last work stored (0 for an empty store). Keys only grow: a work stored later, never one changed
    /// later, has a larger key.
    pub fn last_work_key(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT coalesce(MAX(key), 0) FROM works", [], |r| r.get(0))?)
    }

    /// Up to `limit` changes with sequence numbers above `after`, oldest first.
    pub fn changes_since(&self, after: i64, limit: usize) -> Result<Vec<Change>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let sql = format!("SELECT seq, {COLUMNS} FROM works WHERE seq > ?1 ORDER BY seq LIMIT ?2");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([after, limit])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let seq: i64 = row.get(0)?;
            let (key, work) = from_row(row, 1)?;
            out.push(Change { seq, key, work: Some(work) });
        }
        let mut stmt =
            self.conn.prepare_cached("SELECT seq, key FROM deletions WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let deleted = stmt.query_map([after, limit], |r| Ok(Change { seq: r.get(0)?, key: r.get(1)?, work: None }))?;
        for d in deleted {
            out.push(d?);
        }
        out.sort_by_key(|c| c.seq);
        out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(out)
    }

    /// Calls `f` with every stored work, in key order, without holding them all in memory.
    pub fn for_each_work(&self, mut f: impl FnMut(i64, Work)) -> Result<(), StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM works ORDER BY key");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (key, work) = from_row(row, 0)?;
            f(key, work);
        }
        Ok(())
    }

    /// The most recent works (by year, then most recently stored), for the empty query.
    pub fn recent_keys(&self, limit: usize) -> Result<Vec<i64>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached("SELECT key FROM works ORDER BY year IS NULL, year DESC, key DESC LIMIT ?1")?;
        let keys = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| r.get(0))?;
        Ok(keys.collect::<Result<_, _>>()?)
    }

    /// SQLite's own integrity check: "ok", or the first problems it found.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA quick_check(5)")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?.join("; "))
    }

    /// A consistent copy of the whole store at `path`, taken inside one read transaction, so writers
    /// and readers carry on meanwhile.
    pub fn snapshot_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        self.conn.execute("VACUUM INTO ?1", [path.display().to_string()])?;
        Ok(())
    }

    pub fn stats(&self) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<i64, StoreError> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        Ok(Stats {
            works: count("SELECT count(*) FROM works")?,
            authorships: count("SELECT count(*) FROM authorships")?,
            distinct_names: count("SELECT count(DISTINCT name_key) FROM authorships")?,
            seq: self.seq()?,
        })
    }
}

/// See [`Store::work_id_for_reference`]; also read inside a write transaction.
pub(crate) fn work_id_for_reference(conn: &Connection, reference: &str) -> Result<Option<String>, StoreError> {
    let mut exact = conn.prepare_cached("SELECT id FROM works WHERE id = ?1")?;
    if let Some(id) = exact.query_row([reference], |r| r.get(0)).optional()? {
        return Ok(Some(id));
    }
    let mut stmt =
        conn.prepare_cached("SELECT w.id FROM identifiers i JOIN works w ON w.key = i.work WHERE i.value = ?1")?;
    for value in [reference.to_string(), format!("id:{reference}")] {
        if let Some(id) = stmt.query_row([value], |r| r.get(0)).optional()? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}
