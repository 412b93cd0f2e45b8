//! DBLP person records (`homepages/...`): which written names are one DBLP person. They are not works and
//! never reach the search index; name clusters count them as author rows and author disambiguation links
//! the authorships carrying their names.

use crate::{Batch, Outcome, Store, StoreError};
use arrow_normalize::name_key;
use rusqlite::{params, Connection, OptionalExtension};

/// One DBLP person record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DblpPerson {
    /// The DBLP key, e.g. `homepages/c/VintonGCerf`.
    pub key: String,
    /// The primary name first, then the aliases, as DBLP lists them.
    pub names: Vec<String>,
    /// `orcid:<id>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
    pub urls: Vec<String>,
}

impl DblpPerson {
    /// Whether an authorship's source id names this person.
    pub fn has_author_id(&self, id: &str) -> bool {
        self.orcid.as_deref() == Some(id) || id.strip_prefix("dblp:") == Some(self.key.as_str())
    }
}

/// The source person records are marked seen under, for a full re-import (`Store::delete_unseen`): its own,
/// so that re-importing works without person records (DBLP as JSON lines) keeps the persons.
pub(crate) const PERSON_SOURCE: &str = "dblp-person";

/// FNV-1a over the record's fields (stable across Rust versions), so that an unchanged record is a no-op.
fn person_hash(names: &str, orcid: Option<&str>, urls: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [names, orcid.unwrap_or("\u{0}"), urls] {
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h as i64
}

impl Batch<'_> {
    /// Inserts the person record, or replaces the stored one with the same key if it differs.
    pub fn upsert_dblp_person(&mut self, person: &DblpPerson) -> Result<Outcome, StoreError> {
        let names = serde_json::to_string(&person.names).unwrap_or_else(|_| "[]".into());
        let urls = serde_json::to_string(&person.urls).unwrap_or_else(|_| "[]".into());
        let hash = person_hash(&names, person.orcid.as_deref(), &urls);
        let old: Option<i64> = self
            .tx
            .prepare_cached("SELECT hash FROM dblp_persons WHERE key = ?1")?
            .query_row([&person.key], |r| r.get(0))
            .optional()?;
        let outcome = match old {
            Some(h) if h == hash => return Ok(Outcome::Unchanged),
            Some(_) => Outcome::Updated,
            None => Outcome::Added,
        };
        self.tx
            .prepare_cached(
                "INSERT INTO dblp_persons (key, hash, names, orcid, urls) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(key) DO UPDATE SET hash = ?2, names = ?3, orcid = ?4, urls = ?5",
            )?
            .execute(params![person.key, hash, names, person.orcid, urls])?;
        self.tx.prepare_cached("DELETE FROM dblp_person_names WHERE person = ?1")?.execute([&person.key])?;
        let mut insert = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO dblp_person_names (name_key, person, slot, name) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (slot, name) in person.names.iter().enumerate() {
            insert.execute(params![name_key(name), person.key, slot as i64, name])?;
        }
        Ok(outcome)
    }

    /// Notes that the source still has this person record, for [`Store::delete_unseen`].
    pub fn mark_dblp_person_seen(&mut self, key: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO temp.seen (source, record_id) VALUES (?1, ?2)")?
            .execute(params![PERSON_SOURCE, key])?;
        Ok(())
    }

    /// Removes the person records of a re-imported source that it no longer has; returns how many.
    pub(crate) fn delete_unseen_dblp_persons(&mut self) -> Result<usize, StoreError> {
        let mut gone = self.tx.prepare_cached(
            "SELECT key FROM dblp_persons WHERE key NOT IN (SELECT record_id FROM temp.seen WHERE source = ?1)",
        )?;
        let keys: Vec<String> = gone.query_map([PERSON_SOURCE], |r| r.get(0))?.collect::<Result<_, _>>()?;
        for key in &keys {
            self.tx.prepare_cached("DELETE FROM dblp_person_names WHERE person = ?1")?.execute([key])?;
            self.tx.prepare_cached("DELETE FROM dblp_persons WHERE key = ?1")?.execute([key])?;
        }
        Ok(keys.len())
    }
}

impl Store {
    /// The person record with this key.
    pub fn dblp_person(&self, key: &str) -> Result<Option<DblpPerson>, StoreError> {
        person(&self.conn, key)
    }

    /// The person records with a name equal to `name` ignoring case, by key.
    pub fn dblp_persons_named(&self, name: &str) -> Result<Vec<DblpPerson>, StoreError> {
        let keys: Vec<String> = self
            .conn
            .prepare_cached("SELECT DISTINCT person FROM dblp_person_names WHERE name_key = ?1 ORDER BY person")?
            .query_map([name_key(name)], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            out.extend(self.dblp_person(&key)?);
        }
        Ok(out)
    }

    /// The person record listing exactly this written name (DBLP gives each of its persons distinct names,
    /// homonym numbers included; should two records share one, the smallest key is taken).
    pub fn dblp_person_with_name(&self, written: &str) -> Result<Option<DblpPerson>, StoreError> {
        person_with_name(&self.conn, written)
    }

    /// How many person records are stored.
    pub fn dblp_person_count(&self) -> Result<u64, StoreError> {
        count(&self.conn)
    }

    /// Whether any person record is stored: a check cheap enough to make per work, unlike the count.
    pub fn has_dblp_persons(&self) -> Result<bool, StoreError> {
        any(&self.conn)
    }
}

impl Batch<'_> {
    /// [`Store::dblp_person_with_name`], inside this transaction.
    pub fn dblp_person_with_name(&self, written: &str) -> Result<Option<DblpPerson>, StoreError> {
        person_with_name(&self.tx, written)
    }

    /// [`Store::has_dblp_persons`], inside this transaction.
    pub fn has_dblp_persons(&self) -> Result<bool, StoreError> {
        any(&self.tx)
    }
}

fn person(conn: &Connection, key: &str) -> Result<Option<DblpPerson>, StoreError> {
    let row = conn
        .prepare_cached("SELECT names, orcid, urls FROM dblp_persons WHERE key = ?1")?
        .query_row([key], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, String>(2)?)))
        .optional()?;
    let Some((names, orcid, urls)) = row else { return Ok(None) };
    let corrupt = || StoreError::Corrupt { what: format!("DBLP person {key}") };
    Ok(Some(DblpPerson {
        key: key.to_string(),
        names: serde_json::from_str(&names).map_err(|_| corrupt())?,
        orcid,
        urls: serde_json::from_str(&urls).map_err(|_| corrupt())?,
    }))
}

fn person_with_name(conn: &Connection, written: &str) -> Result<Option<DblpPerson>, StoreError> {
    let key: Option<String> = conn
        .prepare_cached(
            "SELECT person FROM dblp_person_names WHERE name_key = ?1 AND name = ?2 ORDER BY person LIMIT 1",
        )?
        .query_row(params![name_key(written), written], |r| r.get(0))
        .optional()?;
    match key {
        Some(k) => person(conn, &k),
        None => Ok(None),
    }
}

fn any(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.prepare_cached("SELECT 1 FROM dblp_persons LIMIT 1")?.exists([])?)
}

fn count(conn: &Connection) -> Result<u64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM dblp_persons", [], |r| r.get::<_, i64>(0))? as u64)
}
