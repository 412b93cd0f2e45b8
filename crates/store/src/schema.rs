use crate::StoreError;
use rusqlite::Connection;
use std::path::Path;

/// The schema version this code writes. Each entry of `MIGRATIONS` takes the store one version up.
pub const SCHEMA_VERSION: i64 = 12;

/// One migration step.
enum Step {
    Sql(&'static str),
    /// `ALTER TABLE .. ADD COLUMN`, which SQLite cannot make `IF NOT EXISTS`: a column already there (a store taken
    /// back to an older version number, as tests do) is the step done.
    AddColumn {
        table: &'static str,
        column: &'static str,
        decl: &'static str,
    },
}

const MIGRATIONS: &[Step] = &[
    // 0 -> 1
    Step::Sql(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
     CREATE TABLE works (
        key INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        hash INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        title TEXT NOT NULL,
        abstract TEXT,
        year INTEGER,
        venue TEXT,
        venue_kind TEXT NOT NULL,
        pub_type TEXT,
        authors TEXT NOT NULL,
        authors_truncated INTEGER NOT NULL,
        ids TEXT NOT NULL,
        provenance TEXT NOT NULL
     );
     CREATE INDEX works_seq ON works(seq);
     CREATE TABLE authorships (
        work INTEGER NOT NULL,
        slot INTEGER NOT NULL,
        name_key TEXT NOT NULL,
        name TEXT NOT NULL,
        source_id TEXT,
        PRIMARY KEY (work, slot)
     ) WITHOUT ROWID;
     CREATE INDEX authorships_name ON authorships(name_key);
     CREATE TABLE deletions (seq INTEGER PRIMARY KEY, key INTEGER NOT NULL);
     CREATE TABLE identifiers (value TEXT PRIMARY KEY, work INTEGER NOT NULL) WITHOUT ROWID;
     CREATE TABLE records (
        work INTEGER NOT NULL,
        source TEXT NOT NULL,
        record_id TEXT NOT NULL,
        hash INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (work, source, record_id)
     ) WITHOUT ROWID;",
    ),
    // 1 -> 2: people from author disambiguation, and the model that grouped them (for explanations).
    Step::Sql(
        "CREATE TABLE people (
        work INTEGER NOT NULL,
        slot INTEGER NOT NULL,
        person TEXT NOT NULL,
        PRIMARY KEY (work, slot)
     ) WITHOUT ROWID;
     CREATE INDEX people_person ON people(person);
     CREATE TABLE blobs (name TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;",
    ),
    // 2 -> 3: versions of one work (one paper published more than once), grouped by the engine; `grp` is
    // the smallest work key of the group.
    Step::Sql(
        "CREATE TABLE versions (work INTEGER PRIMARY KEY, grp INTEGER NOT NULL);
     CREATE INDEX versions_grp ON versions(grp);",
    ),
    // 3 -> 4: DBLP person records (`homepages/...`), and each of their names by folded name for name clusters
    // (slot 0 is the person's primary name, the others aliases). `IF NOT EXISTS`: the step stands alone, whatever
    // other steps come before or after it.
    Step::Sql(
        "CREATE TABLE IF NOT EXISTS dblp_persons (
        key TEXT PRIMARY KEY,
        hash INTEGER NOT NULL,
        names TEXT NOT NULL,
        orcid TEXT,
        urls TEXT NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE IF NOT EXISTS dblp_person_names (
        name_key TEXT NOT NULL,
        person TEXT NOT NULL,
        slot INTEGER NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (name_key, person, slot)
     ) WITHOUT ROWID;
     CREATE INDEX IF NOT EXISTS dblp_person_names_person ON dblp_person_names(person);",
    ),
    // 4 -> 5: the disambiguation block of each exact name, so that incremental assignment finds a block's people
    // through the name index. The engine fills it (blocking is its rule, not SQL's): with every disambiguation
    // run, and once on the first incremental assignment after this upgrade.
    Step::Sql(
        "CREATE TABLE IF NOT EXISTS name_blocks (name_key TEXT PRIMARY KEY, block TEXT NOT NULL) WITHOUT ROWID;
     CREATE INDEX IF NOT EXISTS name_blocks_block ON name_blocks(block);",
    ),
    // 5 -> 6: author names for suggestions as you type (they were terms of the search index, where they cost a
    // quarter of the indexing time): each exact name with its count of authorships, and its suggestion terms.
    // Filled from `authorships` on first open (see `names::rebuild`).
    Step::Sql(
        "CREATE TABLE IF NOT EXISTS name_counts (
        name_key TEXT PRIMARY KEY,
        folded TEXT NOT NULL,
        works INTEGER NOT NULL,
        sample INTEGER NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE IF NOT EXISTS name_terms (term TEXT NOT NULL, name_key TEXT NOT NULL);
     INSERT OR REPLACE INTO meta (key, value) VALUES ('names_stale', 1);",
    ),
    // 6 -> 7: the works a work cites (JSON list of prefixed ids), NULL when the sources gave none.
    Step::AddColumn { table: "works", column: "refs", decl: "TEXT" },
    // 7 -> 8: curators' corrections of people (merge, split, claim), kept as constraints over mentions named by
    // work id and position, so that they apply again after every disambiguation.
    Step::Sql(
        "CREATE TABLE IF NOT EXISTS curations (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        note TEXT NOT NULL,
        body TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0
     );",
    ),
    // 8 -> 9: the person label-free disambiguation gave an authorship, where a curation changed it (NULL: the
    // same as `person`); curations are re-applied from it, so undoing one restores what the evidence said.
    Step::AddColumn { table: "people", column: "raw", decl: "TEXT" },
    // 9 -> 12: who undid a curation, when and why (an undo is a change like any other in the history).
    Step::AddColumn { table: "curations", column: "undone_at", decl: "INTEGER" },
    Step::AddColumn { table: "curations", column: "undone_by", decl: "TEXT" },
    Step::AddColumn { table: "curations", column: "undone_note", decl: "TEXT" },
];

pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Takes effect only when the file is created (an existing store keeps its page size). Larger pages mean
    // fewer B-tree pages to split and write: the sqlite3 shell copies the 2.9M DBLP works' rows in 9.2 s with
    // them against 16.8 s with SQLite's default 4 KiB pages (README, "Ingest").
    conn.pragma_update(None, "page_size", 16384)?;
    // WAL lets readers (the server) keep answering while an ingest writes; NORMAL sync is durable at
    // each checkpoint and never corrupts on a crash, which is the guarantee Arrow promises.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", CACHE_SIZE)?;
    // Temporary data (the sort that builds the name index after a bulk load) goes to disk, so memory stays
    // bounded whatever the input size.
    conn.pragma_update(None, "temp_store", "FILE")?;
    Ok(())
}

fn has_column(conn: &Connection, table: &str, column: &str) -> bool {
    conn.prepare(&format!("SELECT 1 FROM pragma_table_info('{table}') WHERE name = ?1"))
        .and_then(|mut stmt| stmt.exists([column]))
        .unwrap_or(false)
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

pub(crate) fn check_version(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let found = user_version(conn).map_err(|e| StoreError::open(path, e))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::Version { path: path.display().to_string(), found, supported: SCHEMA_VERSION });
    }
    Ok(found)
}

pub(crate) fn migrate(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let mut version = check_version(conn, path)?;
    while version < SCHEMA_VERSION {
        let tx = conn.unchecked_transaction()?;
        match &MIGRATIONS[usize::try_from(version).unwrap_or(0)] {
            Step::Sql(sql) => tx.execute_batch(sql)?,
            Step::AddColumn { table, column, decl } => {
                if !has_column(&tx, table, column) {
                    tx.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}"))?;
                }
            }
        }
        version += 1;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    build_index(conn, NAME_INDEX)?;
    if crate::read::meta(conn, "names_stale")? != 0 {
        crate::names::rebuild(conn)?;
    }
    build_index(conn, TERMS_INDEX)?;
    Ok(())
}

/// Runs `CREATE INDEX` (a no-op if the index exists) with a parallel sort and a small sort buffer. Over the
/// 8.2M authorships of the DBLP corpus, the sqlite3 shell built the name index in 7.2 s this way, against 14.5 s
/// with one thread and this store's 128 MiB cache: the sorter's buffer is the cache's size, and small runs sort in
/// the processor's caches (README, "Ingest").
pub(crate) fn build_index(conn: &Connection, create: &str) -> rusqlite::Result<()> {
    conn.execute_batch("PRAGMA threads = 2; PRAGMA cache_size = -16384;")?;
    let built = conn.execute_batch(create);
    conn.execute_batch(&format!("PRAGMA threads = 0; PRAGMA cache_size = {CACHE_SIZE};"))?;
    built
}

/// The page cache, in KiB when negative (SQLite's convention).
const CACHE_SIZE: i64 = -131072;

/// The name index is the one whose inserts land at random places; a bulk load into an empty store
/// drops it and builds it once at the end, which is several times faster. Opening the store recreates
/// it if a bulk load was killed before finishing.
pub(crate) const NAME_INDEX: &str = "CREATE INDEX IF NOT EXISTS authorships_name ON authorships(name_key)";

/// The suggestion terms' index, dropped and rebuilt with them (see `names::rebuild`).
pub(crate) const TERMS_INDEX: &str = "CREATE UNIQUE INDEX IF NOT EXISTS name_terms_term ON name_terms(term, name_key)";
