//! Author names for suggestions as you type: each exact name (name key) with its number of authorships and a
//! recent work that has it, and its suggestion terms (see [`arrow_normalize::suggest_terms`]), for prefix
//! lookups that read only the names starting with what was typed. Every write keeps them, except a bulk load,
//! which builds them once at its end (and a store whose names are marked stale, on open).

use crate::write::Batch;
use crate::{Store, StoreError};
use arrow_normalize::{suggest_fold, suggest_terms};
use rusqlite::{params, Connection, OpenFlags};

/// A name that starts with (or has a word starting with) a typed prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameCount {
    /// The name folded for suggestions ("christopher re").
    pub folded: String,
    /// Authorships with a name that folds to this.
    pub works: i64,
    /// The key of a work with such an author (for its written form).
    pub sample: i64,
}

/// Suggestion terms read at most for one lookup (a one-letter prefix over millions of names); beyond, the names
/// suggested are the best of the first ones in term order.
const MAX_SCAN: i64 = 100_000;

/// One name as the rebuild writes it.
struct NameRow {
    key: String,
    folded: String,
    works: i64,
    sample: i64,
    terms: Vec<String>,
}

/// Names per message from the reading thread to the writing one.
const CHUNK: usize = 4096;

/// Rebuilds the names from the authorships (after a bulk load, or on opening a store whose names are stale).
/// Needs the authorships' name index. A second connection reads the names and works out their suggestion terms
/// while this one writes them: each half is about half of the work.
pub(crate) fn rebuild(conn: &Connection) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute_batch("DROP INDEX IF EXISTS name_terms_term; DELETE FROM name_terms; DELETE FROM name_counts;")?;
    {
        let mut count =
            tx.prepare("INSERT INTO name_counts (name_key, folded, works, sample) VALUES (?1, ?2, ?3, ?4)")?;
        let mut term = tx.prepare("INSERT INTO name_terms (term, name_key) VALUES (?1, ?2)")?;
        let mut write = |rows: Vec<NameRow>| -> Result<(), StoreError> {
            for r in rows {
                count.execute(params![r.key, r.folded, r.works, r.sample])?;
                for t in &r.terms {
                    term.execute(params![t, r.key])?;
                }
            }
            Ok(())
        };
        match conn.path().filter(|p| !p.is_empty()) {
            Some(path) => {
                let reader = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
                std::thread::scope(|scope| {
                    let (send, receive) = std::sync::mpsc::sync_channel(8);
                    let reading = scope.spawn(move || read_names(&reader, |rows| send.send(rows).is_ok()));
                    // A write error drops the receiver, which stops the reader.
                    let written = receive.into_iter().try_for_each(&mut write);
                    let read = reading
                        .join()
                        .unwrap_or_else(|_| Err(StoreError::Corrupt { what: "the name reader stopped".into() }));
                    written.and(read)
                })?;
            }
            None => {
                let mut written = Ok(());
                read_names(&tx, |rows| {
                    written = write(rows);
                    written.is_ok()
                })?;
                written?;
            }
        }
    }
    // The index is built once, sorted, after the rows: much faster than keeping it through millions of inserts.
    crate::schema::build_index(&tx, crate::schema::TERMS_INDEX)?;
    tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('names_stale', 0)", [])?;
    tx.commit()?;
    Ok(())
}

/// Reads each exact name with its count and latest work, in name order, and hands them on in chunks with their
/// folded form and suggestion terms, until `send` returns false.
fn read_names(conn: &Connection, mut send: impl FnMut(Vec<NameRow>) -> bool) -> Result<(), StoreError> {
    let mut read = conn.prepare("SELECT name_key, count(*), max(work) FROM authorships GROUP BY name_key")?;
    let mut rows = read.query([])?;
    let mut chunk = Vec::with_capacity(CHUNK);
    while let Some(row) = rows.next()? {
        let key: String = row.get(0)?;
        let (folded, terms) = (suggest_fold(&key), suggest_terms(&key));
        chunk.push(NameRow { key, folded, works: row.get(1)?, sample: row.get(2)?, terms });
        if chunk.len() == CHUNK && !send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))) {
            return Ok(());
        }
    }
    send(chunk);
    Ok(())
}

impl Batch<'_> {
    /// Counts one more authorship of `name_key`, on work `work`.
    pub(crate) fn add_name(&self, name_key: &str, work: i64) -> Result<(), StoreError> {
        let added = self
            .tx
            .prepare_cached(
                "INSERT INTO name_counts (name_key, folded, works, sample) VALUES (?1, ?2, 1, ?3)
                 ON CONFLICT (name_key) DO UPDATE SET works = works + 1, sample = excluded.sample
                 RETURNING works",
            )?
            .query_row(params![name_key, suggest_fold(name_key), work], |r| r.get::<_, i64>(0))?;
        if added == 1 {
            let mut insert =
                self.tx.prepare_cached("INSERT OR IGNORE INTO name_terms (term, name_key) VALUES (?1, ?2)")?;
            for t in suggest_terms(name_key) {
                insert.execute(params![t, name_key])?;
            }
        }
        Ok(())
    }

    /// Counts one authorship of `name_key` fewer; the name goes when none is left.
    pub(crate) fn remove_name(&self, name_key: &str) -> Result<(), StoreError> {
        let left: Option<i64> = self
            .tx
            .prepare_cached("UPDATE name_counts SET works = works - 1 WHERE name_key = ?1 RETURNING works")?
            .query_row([name_key], |r| r.get(0))
            .ok();
        if left.is_some_and(|n| n <= 0) {
            self.tx.prepare_cached("DELETE FROM name_counts WHERE name_key = ?1")?.execute([name_key])?;
            let mut delete = self.tx.prepare_cached("DELETE FROM name_terms WHERE term = ?1 AND name_key = ?2")?;
            for t in suggest_terms(name_key) {
                delete.execute(params![t, name_key])?;
            }
        }
        Ok(())
    }
}

impl Store {
    /// Names with a word starting with `folded` (a prefix folded by [`suggest_fold`], a trailing space kept),
    /// most authorships first; names that fold alike ("Ré", "Re") are one.
    pub fn names_with_prefix(&self, folded: &str, limit: usize) -> Result<Vec<NameCount>, StoreError> {
        if folded.is_empty() {
            return Ok(Vec::new());
        }
        let upper = format!("{folded}{}", char::MAX);
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.folded, sum(c.works) AS n, max(c.sample) FROM
               (SELECT DISTINCT name_key FROM (SELECT name_key FROM name_terms WHERE term >= ?1 AND term < ?2 LIMIT ?3)) t
             JOIN name_counts c ON c.name_key = t.name_key
             GROUP BY c.folded ORDER BY n DESC, c.folded LIMIT ?4",
        )?;
        let rows = stmt.query_map(params![folded, upper, MAX_SCAN, limit as i64], |r| {
            Ok(NameCount { folded: r.get(0)?, works: r.get(1)?, sample: r.get(2)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// The names (name keys) of every block whose key starts with `prefix`: with "hajic_", every name of surname
    /// "hajic" whatever its initial.
    pub fn names_in_blocks_from(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        names_in_blocks_from(&self.conn, prefix)
    }

    /// The names (name keys) whose folded form starts with the word `first` ("jan" finds "jan hajič" and "jan
    /// novák", not "janet").
    pub fn names_starting_with_word(&self, first: &str) -> Result<Vec<String>, StoreError> {
        names_starting_with_word(&self.conn, first)
    }
}

impl Batch<'_> {
    /// [`Store::names_in_blocks_from`], in the batch (names it added included).
    pub fn names_in_blocks_from(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        names_in_blocks_from(&self.tx, prefix)
    }

    /// [`Store::names_starting_with_word`], in the batch.
    pub fn names_starting_with_word(&self, first: &str) -> Result<Vec<String>, StoreError> {
        names_starting_with_word(&self.tx, first)
    }
}

fn names_in_blocks_from(conn: &Connection, prefix: &str) -> Result<Vec<String>, StoreError> {
    let end = format!("{prefix}\u{10FFFF}");
    let mut stmt =
        conn.prepare_cached("SELECT name_key FROM name_blocks WHERE block >= ?1 AND block < ?2 LIMIT 1000000")?;
    let rows = stmt.query_map(params![prefix, end], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn names_starting_with_word(conn: &Connection, first: &str) -> Result<Vec<String>, StoreError> {
    let (from, to) = (format!("{first} "), format!("{first}!"));
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT name_key FROM name_terms WHERE term >= ?1 AND term < ?2 LIMIT 1000000")?;
    let rows = stmt.query_map(params![from, to], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
