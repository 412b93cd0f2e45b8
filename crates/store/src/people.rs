//! People: which authorships (work, slot) author disambiguation grouped into one person.

use crate::{Store, StoreError};
use rusqlite::{params, OptionalExtension};

/// One authorship assigned to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMention {
    pub work: i64,
    pub slot: i64,
    pub person: String,
}

impl Store {
    /// Replaces every person assignment and the saved model, and notes the block of every stored name anew
    /// (`block` maps a name key to its block; a newer rule may block a name elsewhere), in one transaction.
    pub fn replace_people(
        &mut self,
        mentions: &[PersonMention],
        model_json: &str,
        block: &dyn Fn(&str) -> String,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM people", [])?;
        {
            let mut insert = tx.prepare("INSERT OR REPLACE INTO people (work, slot, person) VALUES (?1, ?2, ?3)")?;
            for m in mentions {
                insert.execute(params![m.work, m.slot, m.person])?;
            }
        }
        tx.execute(
            "INSERT INTO blobs (name, body) VALUES ('disambig_model', ?1) ON CONFLICT(name) DO UPDATE SET body = ?1",
            [model_json],
        )?;
        tx.execute("DELETE FROM name_blocks", [])?;
        crate::blocks::fill(&tx, block)?;
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('people_pending', 0)", [])?;
        tx.commit()?;
        Ok(())
    }

    /// True when works were stored without their people for a full run of disambiguation that has not happened
    /// yet (an ingest killed before its run; see [`crate::Batch::note_people_pending`]).
    pub fn people_pending(&self) -> Result<bool, StoreError> {
        Ok(crate::read::meta(&self.conn, "people_pending")? != 0)
    }

    /// Saves a named piece of derived data (JSON), replacing what was there.
    pub fn put_blob(&mut self, name: &str, body: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO blobs (name, body) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET body = ?2",
            [name, body],
        )?;
        Ok(())
    }

    /// A named piece of derived data, if saved.
    pub fn blob(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT body FROM blobs WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }

    /// The saved disambiguation model, if disambiguation has run.
    pub fn disambig_model(&self) -> Result<Option<String>, StoreError> {
        self.blob("disambig_model")
    }

    /// The person of one authorship.
    pub fn person_of(&self, work: i64, slot: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT person FROM people WHERE work = ?1 AND slot = ?2")?
            .query_row([work, slot], |r| r.get(0))
            .optional()?)
    }

    /// What tells people of one name apart, per person: all their works, first and last year, their venues and the
    /// names they are written as, with counts, the commonest first (people not found are left out).
    pub fn people_details(&self, people: &[String]) -> Result<Vec<PersonDetails>, StoreError> {
        let mut out: std::collections::BTreeMap<String, PersonDetails> = std::collections::BTreeMap::new();
        // A few hundred people at most (the people of one name): one statement each keeps the SQL plain.
        let mut works = self.conn.prepare_cached(
            // Works, not mentions: a merge a curator insisted on can leave one person two authors of one paper.
            "SELECT count(DISTINCT p.work), min(w.year), max(w.year) FROM people p JOIN works w ON w.key = p.work
             WHERE p.person = ?1",
        )?;
        let mut venues = self.conn.prepare_cached(
            "SELECT w.venue, count(DISTINCT p.work) AS n FROM people p JOIN works w ON w.key = p.work
             WHERE p.person = ?1 AND w.venue IS NOT NULL GROUP BY w.venue ORDER BY n DESC, w.venue",
        )?;
        let mut names = self.conn.prepare_cached(
            "SELECT a.name, count(*) AS n FROM people p JOIN authorships a ON a.work = p.work AND a.slot = p.slot
             WHERE p.person = ?1 GROUP BY a.name ORDER BY n DESC, a.name",
        )?;
        for person in people {
            let (n, first, last): (i64, Option<i32>, Option<i32>) =
                works.query_row([person], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            if n == 0 {
                continue;
            }
            let venues = venues
                .query_map([person], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
                .collect::<Result<Vec<(String, u64)>, _>>()?;
            let names = names
                .query_map([person], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
                .collect::<Result<Vec<(String, u64)>, _>>()?;
            out.insert(
                person.clone(),
                PersonDetails { person: person.clone(), works: n as u64, years: first.zip(last), venues, names },
            );
        }
        Ok(out.into_values().collect())
    }

    /// The person of every authorship of these works, as (work key, slot, person).
    pub fn people_of_works(&self, works: &[i64]) -> Result<Vec<(i64, i64, String)>, StoreError> {
        let mut out = Vec::new();
        // Under SQLite's limit of bound parameters per statement.
        for chunk in works.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let mut stmt =
                self.conn.prepare(&format!("SELECT work, slot, person FROM people WHERE work IN ({marks})"))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// Every (work key, slot) of a person.
    pub fn person_mentions(&self, person: &str) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut stmt =
            self.conn.prepare_cached("SELECT work, slot FROM people WHERE person = ?1 ORDER BY work, slot")?;
        let rows = stmt.query_map([person], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The people who wrote under this exact name (ignoring case), with how many of its works each has.
    pub fn people_with_name(&self, name: &str) -> Result<Vec<(String, u64)>, StoreError> {
        let key = arrow_normalize::name_key(name);
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.person, count(*) FROM authorships a JOIN people p ON p.work = a.work AND p.slot = a.slot
             WHERE a.name_key = ?1 GROUP BY p.person ORDER BY count(*) DESC, p.person",
        )?;
        let rows = stmt.query_map([key], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The people of the names in the blocks `[from, to)` (block keys sort by surname, then initial), each with a
    /// name as written under it and how many authorships it has.
    pub fn people_of_blocks(&self, from: &str, to: &str) -> Result<Vec<(String, String, u64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.person, a.name, count(*) FROM name_blocks n
             JOIN authorships a ON a.name_key = n.name_key
             JOIN people p ON p.work = a.work AND p.slot = a.slot
             WHERE n.block >= ?1 AND n.block < ?2 GROUP BY p.person, a.name",
        )?;
        let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many authorships have a person.
    pub fn people_count(&self) -> Result<(u64, u64), StoreError> {
        Ok(self.conn.query_row("SELECT count(*), count(DISTINCT person) FROM people", [], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
        })?)
    }

    /// Calls `each` with every authorship's label-free person (what the last run said, before curations), in
    /// (work key, slot) order, without holding them all.
    pub fn for_each_raw_person(&self, mut each: impl FnMut(i64, i64, &str)) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare("SELECT work, slot, coalesce(raw, person) FROM people ORDER BY work, slot")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            each(r.get(0)?, r.get(1)?, r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?);
        }
        Ok(())
    }

    /// Every authorship's person, as (work id, slot, person), by work key then slot: a run's result whole, to
    /// compare two runs (`arrow batch dump-people`).
    pub fn people_rows(&self) -> Result<Vec<(String, i64, String)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT w.id, p.slot, p.person FROM people p JOIN works w ON w.key = p.work ORDER BY p.work, p.slot",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every work's id and content hash, by key.
    pub fn work_hashes(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, hash FROM works ORDER BY key")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// Every work's key, id and version group (`None` outside any group), in key order: what cutting the
    /// store into shards needs.
    pub fn work_groups(&self) -> Result<Vec<(i64, String, Option<i64>)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT w.key, w.id, v.grp FROM works w LEFT JOIN versions v ON v.work = w.key ORDER BY w.key")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Drops every work whose key is not in `keep`, with everything stored about it (authorships, identifiers,
    /// source records, people, versions), in one transaction; then compacts the file. For a copy of a store
    /// being cut into a shard: the deletions are not logged as changes, since the copy's index is built afresh.
    pub fn retain_works(&mut self, keep: &[i64]) -> Result<u64, StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute("CREATE TEMP TABLE keep (key INTEGER PRIMARY KEY)", [])?;
        {
            let mut insert = tx.prepare("INSERT OR IGNORE INTO keep (key) VALUES (?1)")?;
            for k in keep {
                insert.execute([k])?;
            }
        }
        let dropped = tx.execute("DELETE FROM works WHERE key NOT IN (SELECT key FROM keep)", [])?;
        for table in ["authorships", "identifiers", "records", "people", "versions"] {
            tx.execute(&format!("DELETE FROM {table} WHERE work NOT IN (SELECT key FROM keep)"), [])?;
        }
        tx.execute("DELETE FROM deletions", [])?;
        tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('names_stale', 1)", [])?;
        tx.execute("DROP TABLE keep", [])?;
        tx.commit()?;
        self.conn.execute_batch("VACUUM")?;
        Ok(dropped as u64)
    }
}

/// What tells one person from others of the same name (see [`Store::people_details`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PersonDetails {
    pub person: String,
    pub works: u64,
    pub years: Option<(i32, i32)>,
    pub venues: Vec<(String, u64)>,
    pub names: Vec<(String, u64)>,
}

impl PersonDetails {
    /// Adds the tally of the same person's other works (another shard's).
    pub fn absorb(&mut self, other: PersonDetails) {
        self.works += other.works;
        self.years = match (self.years, other.years) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (a, b) => a.or(b),
        };
        for (list, more) in [(&mut self.venues, other.venues), (&mut self.names, other.names)] {
            for (k, n) in more {
                match list.iter_mut().find(|(known, _)| *known == k) {
                    Some(known) => known.1 += n,
                    None => list.push((k, n)),
                }
            }
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
    }
}
