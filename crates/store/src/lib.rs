//! The embedded store: SQLite, the source of truth for everything Arrow knows.
//!
//! Works are kept whole in `works` (authors as a JSON column, for one-row reads) and their authorships are
//! also kept in `authorships`, keyed by folded name, for name clusters. Every change bumps a sequence
//! number, so the search index (derived from the store) can catch up after a crash by replaying changes
//! since the last sequence it committed.
//!
//! ```
//! use arrow_model::{Authorship, Work};
//! let dir = tempfile::tempdir().unwrap();
//! let mut store = arrow_store::Store::open(&dir.path().join("arrow.sqlite")).unwrap();
//! let mut w = Work::new("x:1", "Data Programming");
//! w.authors.push(Authorship::at(1, "Christopher Ré"));
//! let mut batch = store.batch().unwrap();
//! batch.upsert(&w).unwrap();
//! batch.commit().unwrap();
//! assert_eq!(store.name_cluster("christopher ré").unwrap().works.len(), 1);
//! ```

mod blocks;
mod cluster;
mod curations;
mod dblp;
mod error;
mod merge;
mod names;
mod people;
mod read;
mod row;
mod schema;
mod versions;
mod write;

pub use blocks::PersonAuthorship;
pub use cluster::{sort_for_cluster, NameCluster};
pub use curations::{CuratedMention, CurationRow};
pub use dblp::DblpPerson;
pub use error::StoreError;
pub use merge::{identifier_values, priority, SOURCE_PRIORITY};
pub use names::NameCount;
pub use people::{PersonDetails, PersonMention};
pub use read::{Change, Stats};
pub use schema::SCHEMA_VERSION;
pub use write::{Batch, Outcome};

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// What [`Store::delete_unseen`] removed.
#[derive(Debug, Default)]
pub struct Removed {
    /// The work changes to pass on to the index.
    pub changes: Vec<Change>,
    /// DBLP person records removed.
    pub dblp_persons: usize,
    /// Records of the sources read that came from other files, left alone.
    pub kept_other_files: usize,
}

/// An open store. One writer at a time (SQLite's rule); readers may open their own `Store` on the same file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    sole: write::SoleSource,
    /// A bulk load is running: the suggestion names are rebuilt at its end instead of kept by each write.
    bulk: bool,
}

impl Store {
    /// Opens or creates the store at `path`, migrating it to the current schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|e| StoreError::open(path, e))?;
        schema::configure(&conn).map_err(|e| StoreError::open(path, e))?;
        schema::migrate(&conn, path)?;
        Ok(Store { conn, path: path.to_path_buf(), sole: write::SoleSource::Unknown, bulk: false })
    }

    /// Opens an existing store for reading only; fails if it does not exist.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::open(path, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| StoreError::open(path, e))?;
        schema::check_version(&conn, path)?;
        Ok(Store { conn, path: path.to_path_buf(), sole: write::SoleSource::Unknown, bulk: false })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Prepares for loading many works into an empty store (drops the name index); returns whether it
    /// did. Call [`Store::end_bulk`] afterwards; if the process dies first, the next open rebuilds the
    /// index.
    pub fn begin_bulk(&mut self) -> Result<bool, StoreError> {
        if self.stats_works()? > 0 {
            return Ok(false);
        }
        // A bulk load rewrites the same B-tree pages over and over: checkpointing the WAL less often writes
        // each of them to the database file fewer times. Every transaction stays durable as before.
        // The suggestion names are rebuilt at the end too; marked stale first, so that a load killed midway
        // has them rebuilt on the next open.
        self.conn.execute_batch(
            "DROP INDEX IF EXISTS authorships_name; PRAGMA wal_autocheckpoint = 65536;
             INSERT OR REPLACE INTO meta (key, value) VALUES ('names_stale', 1);",
        )?;
        self.sole = write::SoleSource::Empty;
        self.bulk = true;
        Ok(true)
    }

    /// Rebuilds what [`Store::begin_bulk`] dropped.
    pub fn end_bulk(&mut self) -> Result<(), StoreError> {
        schema::build_index(&self.conn, schema::NAME_INDEX)?;
        names::rebuild(&self.conn)?;
        self.conn.execute_batch("PRAGMA wal_autocheckpoint = 1000;")?;
        self.sole = write::SoleSource::Unknown;
        self.bulk = false;
        Ok(())
    }

    fn stats_works(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT count(*) FROM (SELECT 1 FROM works LIMIT 1)", [], |r| r.get(0))?)
    }

    /// Starts tracking which source records an ingest sees ([`Batch::mark_seen`]), for a full re-import
    /// that removes what the source no longer has.
    pub fn begin_seen(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS seen (source TEXT NOT NULL, record_id TEXT NOT NULL,
             PRIMARY KEY (source, record_id)) WITHOUT ROWID; DELETE FROM temp.seen;
             CREATE TEMP TABLE IF NOT EXISTS seen_files (source TEXT NOT NULL, file TEXT NOT NULL,
             PRIMARY KEY (source, file)) WITHOUT ROWID; DELETE FROM temp.seen_files;",
        )?;
        Ok(())
    }

    /// After a full re-import: removes every record not seen that was last read from a file of the same name as
    /// one read (works and DBLP person records alike), in one transaction. Another file's records of the same
    /// format are another collection and stay (counted in [`Removed::kept_other_files`]); the engine notes every
    /// DBLP XML file under one name, since each is all of DBLP. Records stored before files were noted, and not
    /// read since, stay too: they may be another file's.
    pub fn delete_unseen(&mut self) -> Result<Removed, StoreError> {
        let sources: Vec<String> = {
            let mut stmt = self.conn.prepare("SELECT DISTINCT source FROM temp.seen")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        if sources.is_empty() {
            return Ok(Removed::default());
        }
        let mut missing: Vec<(i64, String, String)> = Vec::new();
        let mut kept_other_files = 0;
        {
            let mut seen = self.conn.prepare("SELECT 1 FROM temp.seen WHERE source = ?1 AND record_id = ?2")?;
            let mut read = self.conn.prepare("SELECT 1 FROM temp.seen_files WHERE source = ?1 AND file = ?2")?;
            let mut stmt = self.conn.prepare("SELECT key, provenance FROM works")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let key: i64 = row.get(0)?;
                let provenance: String = row.get(1)?;
                let provenance: Vec<arrow_model::Provenance> = serde_json::from_str(&provenance)
                    .map_err(|_| StoreError::Corrupt { what: format!("provenance of work key {key}") })?;
                for p in provenance.into_iter().filter(|p| sources.contains(&p.source)) {
                    // A record of no noted file (stored before files were noted, and not read since) may be
                    // another file's: it stays.
                    let ours = match &p.file {
                        Some(file) => read.exists(rusqlite::params![p.source, file])?,
                        None => false,
                    };
                    if !ours {
                        kept_other_files += 1;
                        continue;
                    }
                    if !seen.exists(rusqlite::params![p.source, p.record_id])? {
                        missing.push((key, p.source, p.record_id));
                    }
                }
            }
        }
        let mut batch = self.batch()?;
        let mut changes = Vec::new();
        for (key, source, record_id) in missing {
            if let Some(c) = batch.remove_record(key, &source, &record_id)? {
                changes.push(c);
            }
        }
        let dblp_persons =
            if sources.iter().any(|s| s == dblp::PERSON_SOURCE) { batch.delete_unseen_dblp_persons()? } else { 0 };
        batch.commit()?;
        self.conn.execute_batch("DELETE FROM temp.seen; DELETE FROM temp.seen_files")?;
        Ok(Removed { changes, dblp_persons, kept_other_files })
    }

    /// Starts a write transaction. Nothing is visible to others, or durable, until [`Batch::commit`].
    pub fn batch(&mut self) -> Result<Batch<'_>, StoreError> {
        Batch::begin(&mut self.conn, &mut self.sole, self.bulk)
    }
}
