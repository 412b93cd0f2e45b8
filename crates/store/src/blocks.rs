//! What incremental author assignment reads and writes: the disambiguation block of each exact name
//! (`name_blocks`), a block's people, and one authorship's person, all inside a [`Batch`].

use crate::{Batch, Store, StoreError};
use arrow_model::{Authorship, Work};
use rusqlite::{params, Connection, OptionalExtension};

/// Fills `name_blocks` with every stored name missing from it (`block` maps a name key to its block); returns
/// how many names were added.
pub(crate) fn fill(conn: &Connection, block: &dyn Fn(&str) -> String) -> Result<u64, StoreError> {
    // A scan of the name index (it covers name_key), already in order for the primary key of name_blocks.
    let mut names = conn.prepare("SELECT DISTINCT name_key FROM authorships ORDER BY name_key")?;
    let mut insert = conn.prepare_cached("INSERT OR IGNORE INTO name_blocks (name_key, block) VALUES (?1, ?2)")?;
    let mut rows = names.query([])?;
    let mut added = 0;
    while let Some(row) = rows.next()? {
        let key: String = row.get(0)?;
        added += insert.execute(params![key, block(&key)])? as u64;
    }
    Ok(added)
}

impl Store {
    /// Whether author disambiguation has run: people and the model that grouped them are stored.
    pub fn has_people(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM people) AND EXISTS (SELECT 1 FROM blobs WHERE name = 'disambig_model')",
            [],
            |r| r.get(0),
        )?)
    }

    /// Whether `name_blocks` is empty while people exist: a store disambiguated before the table existed.
    pub fn name_blocks_missing(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM people) AND NOT EXISTS (SELECT 1 FROM name_blocks)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Notes every stored name's block in `name_blocks` anew (`block` maps a name key to its block), in one
    /// transaction; returns how many names were noted.
    pub fn fill_name_blocks(&mut self, block: &dyn Fn(&str) -> String) -> Result<u64, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM name_blocks", [])?;
        let added = fill(&tx, block)?;
        tx.commit()?;
        Ok(added)
    }
}

impl Batch<'_> {
    /// The name keys of one block.
    pub fn block_names(&self, block: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.tx.prepare_cached("SELECT name_key FROM name_blocks WHERE block = ?1")?;
        let rows = stmt.query_map([block], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The authorships under one name key that have a person: (work key, slot, person).
    pub fn people_with_name_key(&self, name_key: &str) -> Result<Vec<(i64, i64, String)>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT a.work, a.slot, p.person FROM authorships a JOIN people p ON p.work = a.work AND p.slot = a.slot
             WHERE a.name_key = ?1",
        )?;
        let rows = stmt.query_map([name_key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The people of a block's authorships carrying this source id (which links whatever the names say).
    pub fn people_with_source_id(&self, block: &str, source_id: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT DISTINCT p.person FROM name_blocks n JOIN authorships a ON a.name_key = n.name_key
             JOIN people p ON p.work = a.work AND p.slot = a.slot WHERE n.block = ?1 AND a.source_id = ?2",
        )?;
        let rows = stmt.query_map([block, source_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every (work key, slot) of a person.
    pub fn person_slots(&self, person: &str) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut stmt = self.tx.prepare_cached("SELECT work, slot FROM people WHERE person = ?1")?;
        let rows = stmt.query_map([person], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn person_exists(&self, person: &str) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM people WHERE person = ?1 LIMIT 1")?
            .query_row([person], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Whether a person id is taken: held by a person, or named by a curation (a merged-away or split-off id stays
    /// its own, even with no mention left).
    pub fn person_id_taken(&self, person: &str) -> Result<bool, StoreError> {
        if self.person_exists(person)? {
            return Ok(true);
        }
        // Curation bodies are the engine's JSON, where an id is a quoted string.
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM curations WHERE instr(body, '\"' || ?1 || '\"') > 0 LIMIT 1")?
            .query_row([person], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// What author disambiguation compares of a work (id, title, year, venue, authors, and its sources), read
    /// without the rest of the row (abstract, identifiers); `None` if there is no such work.
    pub fn work_outline(&self, key: i64) -> Result<Option<Work>, StoreError> {
        let row = self
            .tx
            .prepare_cached("SELECT id, title, year, venue, authors, provenance FROM works WHERE key = ?1")?
            .query_row([key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .optional()?;
        let Some((id, title, year, venue, authors, provenance)) = row else { return Ok(None) };
        let corrupt = |what: &str| StoreError::Corrupt { what: format!("{what} of work key {key}") };
        let mut work = Work::new(id, title);
        work.year = year;
        work.venue = venue;
        work.authors = serde_json::from_str::<Vec<Authorship>>(&authors).map_err(|_| corrupt("authors"))?;
        // Which sources hold the work decides whether DBLP person records speak for its authors.
        work.provenance = serde_json::from_str(&provenance).map_err(|_| corrupt("provenance"))?;
        Ok(Some(work))
    }

    /// The largest work key that has people.
    pub fn max_person_work(&self) -> Result<Option<i64>, StoreError> {
        Ok(self.tx.prepare_cached("SELECT max(work) FROM people")?.query_row([], |r| r.get(0))?)
    }

    /// The people of one work's authorships: (slot, person).
    pub fn people_of_work(&self, work: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self.tx.prepare_cached("SELECT slot, person FROM people WHERE work = ?1 ORDER BY slot")?;
        let rows = stmt.query_map([work], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Removes the people of one work's authorships (before assigning them again).
    pub fn forget_people(&mut self, work: i64) -> Result<(), StoreError> {
        self.tx.prepare_cached("DELETE FROM people WHERE work = ?1")?.execute([work])?;
        Ok(())
    }

    /// The label-free person a new authorship of name block `block` joining `person` counts under: of the person's
    /// authorships in that block, the label-free person most have, unless one is the person itself (a person
    /// curations did not make); `None` then, or when it has none in the block. A split's new person, or one merged
    /// of several label-free people, is no label-free person of its own. Where several label-free people share
    /// the block ("Lei Zhang" and "Li Zhang" merged), the one that writes the name as the new authorship does
    /// (`name_key`) is taken, so that an undone merge gives the paper to the right one.
    pub fn raw_person_of_curated(
        &self,
        person: &str,
        block: &str,
        name_key: &str,
    ) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        let top: Option<String> = self
            .tx
            .prepare_cached(
                "SELECT coalesce(p.raw, p.person) AS r FROM people p
                 JOIN authorships a ON a.work = p.work AND a.slot = p.slot
                 JOIN name_blocks n ON n.name_key = a.name_key
                 WHERE p.person = ?1 AND n.block = ?2
                 GROUP BY r ORDER BY sum(a.name_key = ?3) DESC, r = ?1 DESC, count(*) DESC, r LIMIT 1",
            )?
            .query_row([person, block, name_key], |r| r.get(0))
            .optional()?;
        Ok(top.filter(|r| r != person))
    }

    /// Notes the label-free person of an authorship set with [`Batch::set_person`], where it differs from its
    /// person (one a curation made).
    pub fn set_raw_person(&mut self, work: i64, slot: i64, raw: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE people SET raw = ?3 WHERE work = ?1 AND slot = ?2 AND person != ?3")?
            .execute(params![work, slot, raw])?;
        Ok(())
    }

    /// Assigns one authorship to a person, noting the block of its name.
    pub fn set_person(
        &mut self,
        work: i64,
        slot: i64,
        person: &str,
        name_key: &str,
        block: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT OR REPLACE INTO people (work, slot, person) VALUES (?1, ?2, ?3)")?
            .execute(params![work, slot, person])?;
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO name_blocks (name_key, block) VALUES (?1, ?2)")?
            .execute(params![name_key, block])?;
        Ok(())
    }
}

/// One authorship of a person as written: (work key, slot, name, source id).
pub type PersonAuthorship = (i64, i64, String, Option<String>);

impl Batch<'_> {
    /// Every authorship of a person as written: (work key, slot, name, source id), without reading the works.
    pub fn person_authorships(&self, person: &str) -> Result<Vec<PersonAuthorship>, StoreError> {
        person_authorships(&self.tx, person)
    }

    /// The (work key, slot) of every authorship under one name key, with a person or not (read from the name
    /// index alone).
    pub fn authorships_with_name_key(&self, name_key: &str) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut stmt = self.tx.prepare_cached("SELECT work, slot FROM authorships WHERE name_key = ?1")?;
        let rows = stmt.query_map([name_key], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One written name for each name key starting with `prefix`, at most `limit` (a range of the name index, and
    /// one row per key for its name).
    pub fn names_with_key_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<String>, StoreError> {
        // Keys from `prefix` up to, not including, the prefix with its last character stepped up (over the
        // surrogates, which are no characters; past the last character, to the end of the index).
        let Some(last) = prefix.chars().last() else { return Ok(Vec::new()) };
        let next = match u32::from(last) + 1 {
            0xD800 => Some('\u{E000}'),
            n => char::from_u32(n),
        };
        let Some(next) = next else {
            let mut stmt = self.tx.prepare_cached(
                "SELECT name_key, MIN(name) FROM authorships WHERE name_key >= ?1 GROUP BY name_key ORDER BY name_key",
            )?;
            let rows = stmt.query_map([prefix], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (key, name) = row?;
                if !key.starts_with(prefix) || out.len() == limit {
                    break;
                }
                out.push(name);
            }
            return Ok(out);
        };
        let end = format!("{}{next}", &prefix[..prefix.len() - last.len_utf8()]);
        let mut stmt = self.tx.prepare_cached(
            "SELECT MIN(name) FROM authorships WHERE name_key >= ?1 AND name_key < ?2 GROUP BY name_key LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![prefix, end, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The keys of the works with an author of this name key (read from the name index alone).
    pub fn works_with_name_key(&self, name_key: &str) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.tx.prepare_cached("SELECT work FROM authorships WHERE name_key = ?1")?;
        let rows = stmt.query_map([name_key], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn person_authorships(conn: &Connection, person: &str) -> Result<Vec<PersonAuthorship>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.work, p.slot, a.name, a.source_id FROM people p
         JOIN authorships a ON a.work = p.work AND a.slot = p.slot WHERE p.person = ?1",
    )?;
    let rows = stmt.query_map([person], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl Store {
    /// Every authorship of a person as written: (work key, slot, name, source id), without reading the works.
    pub fn person_authorships(&self, person: &str) -> Result<Vec<PersonAuthorship>, StoreError> {
        person_authorships(&self.conn, person)
    }

    /// About `n` work keys spread evenly over all stored works (a deterministic sample).
    pub fn spread_work_keys(&self, n: usize) -> Result<Vec<i64>, StoreError> {
        let max: Option<i64> = self.conn.query_row("SELECT MAX(key) FROM works", [], |r| r.get(0))?;
        let (max, n) = (max.unwrap_or(0), n.max(1) as i64);
        let mut keys: Vec<i64> = (0..n).map(|i| 1 + i * max / n).filter(|&k| k <= max).collect();
        keys.dedup();
        Ok(keys)
    }

    /// The (work key, slot) of the authorships of one block, at most `limit`, the lowest work keys first.
    pub fn block_authorships(&self, block: &str, limit: usize) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.work, a.slot FROM name_blocks n JOIN authorships a ON a.name_key = n.name_key
             WHERE n.block = ?1 ORDER BY a.work, a.slot LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![block, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ORCIDs (`orcid:...` source ids) a person's authorships carry from their sources: (work key, slot, id).
    pub fn orcids_of_person(&self, person: &str) -> Result<Vec<(i64, i64, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.work, a.slot, a.source_id FROM people p JOIN authorships a ON a.work = p.work AND a.slot = p.slot
             WHERE p.person = ?1 AND a.source_id LIKE 'orcid:%'",
        )?;
        let rows = stmt.query_map([person], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The blocks of a person's names.
    pub fn blocks_of_person(&self, person: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT n.block FROM people p JOIN authorships a ON a.work = p.work AND a.slot = p.slot
             JOIN name_blocks n ON n.name_key = a.name_key WHERE p.person = ?1",
        )?;
        let rows = stmt.query_map([person], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The block's authorships carrying this source id, with their people: (person, work key, slot).
    pub fn source_id_holders(&self, block: &str, source_id: &str) -> Result<Vec<(String, i64, i64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.person, a.work, a.slot FROM name_blocks n JOIN authorships a ON a.name_key = n.name_key
             JOIN people p ON p.work = a.work AND p.slot = a.slot WHERE n.block = ?1 AND a.source_id = ?2
             ORDER BY p.person, a.work, a.slot",
        )?;
        let rows = stmt.query_map([block, source_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
