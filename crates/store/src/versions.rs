//! Versions of one work: works that are one paper published more than once (a conference paper and its
//! journal version, a preprint and its published form) without a shared identifier. Works that share a
//! DOI, arXiv id or DBLP key are already one work (see `merge.rs`); this table groups the rest. The
//! grouping itself is computed by the engine; the store only keeps it.

use crate::{Store, StoreError};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

impl Store {
    /// Replaces every version group, in one transaction. Each group is a list of work keys; groups of
    /// fewer than two works are skipped. A group is numbered by its smallest key.
    pub fn replace_versions(&mut self, groups: &[Vec<i64>]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM versions", [])?;
        {
            let mut insert = tx.prepare("INSERT OR REPLACE INTO versions (work, grp) VALUES (?1, ?2)")?;
            for group in groups.iter().filter(|g| g.len() >= 2) {
                let Some(&grp) = group.iter().min() else { continue };
                for &work in group {
                    insert.execute(params![work, grp])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The version group of a work, if it has other versions.
    pub fn version_group(&self, work: i64) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT grp FROM versions WHERE work = ?1")?
            .query_row([work], |r| r.get(0))
            .optional()?)
    }

    /// The works of a version group, by key.
    pub fn version_members(&self, grp: i64) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT work FROM versions WHERE grp = ?1 ORDER BY work")?;
        let rows = stmt.query_map([grp], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The other versions of each of these works (works without versions are left out).
    pub fn versions_of_keys(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<i64>>, StoreError> {
        let mut out = HashMap::new();
        for &key in keys {
            if out.contains_key(&key) {
                continue;
            }
            if let Some(grp) = self.version_group(key)? {
                let members = self.version_members(grp)?;
                out.insert(key, members.into_iter().filter(|&m| m != key).collect::<Vec<_>>());
            }
        }
        out.retain(|_, v: &mut Vec<i64>| !v.is_empty());
        Ok(out)
    }

    /// Every version group number, ascending.
    pub fn version_groups(&self) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT DISTINCT grp FROM versions ORDER BY grp")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many works have versions, and in how many groups.
    pub fn versions_count(&self) -> Result<(u64, u64), StoreError> {
        Ok(self.conn.query_row("SELECT count(*), count(DISTINCT grp) FROM versions", [], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
        })?)
    }

    /// Calls `f` with the key, title, year and venue of every stored work, in key order: the narrow read
    /// that version grouping blocks on (no JSON columns decoded).
    pub fn for_each_title(&self, mut f: impl FnMut(i64, &str, Option<i32>, Option<&str>)) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare("SELECT key, title, year, venue FROM works ORDER BY key")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let key: i64 = row.get(0)?;
            let title: String = row.get(1)?;
            let year: Option<i32> = row.get(2)?;
            let venue: Option<String> = row.get(3)?;
            f(key, &title, year, venue.as_deref());
        }
        Ok(())
    }

    /// The author names of a work as written, in stored order.
    pub fn author_names(&self, work: i64) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT name FROM authorships WHERE work = ?1 ORDER BY slot")?;
        let rows = stmt.query_map([work], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
