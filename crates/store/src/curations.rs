//! Curators' corrections of people, as stored: what was asked (the body is the engine's JSON), by whom,
//! when, and whether it was undone; and the authorships' label-free people they are applied over.

use crate::{Store, StoreError};
use rusqlite::params;

/// One stored curation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurationRow {
    pub id: i64,
    pub kind: String,
    /// Seconds since the Unix epoch.
    pub at: i64,
    pub by: String,
    pub note: String,
    pub body: String,
    pub undone: bool,
    /// When, by whom and why it was undone (none for curations undone before these were kept).
    pub undo: Option<(i64, String, String)>,
}

/// An authorship's person before and after curation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CuratedMention {
    pub work: i64,
    pub slot: i64,
    /// What label-free disambiguation said.
    pub raw: String,
    /// What is shown (`raw` unless a curation changed it).
    pub person: String,
}

impl Store {
    pub fn add_curation(&mut self, kind: &str, at: i64, by: &str, note: &str, body: &str) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO curations (kind, at, by, note, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![kind, at, by, note, body],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Every curation, oldest first.
    pub fn curations(&self) -> Result<Vec<CurationRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, at, by, note, body, undone, undone_at, undone_by, undone_note FROM curations
                 ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(CurationRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                at: r.get(2)?,
                by: r.get(3)?,
                note: r.get(4)?,
                body: r.get(5)?,
                undone: r.get::<_, i64>(6)? != 0,
                undo: match r.get::<_, Option<i64>>(7)? {
                    Some(at) => Some((
                        at,
                        r.get::<_, Option<String>>(8)?.unwrap_or_default(),
                        r.get::<_, Option<String>>(9)?.unwrap_or_default(),
                    )),
                    None => None,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Marks a curation undone; false when there is no such curation or it was undone already.
    pub fn undo_curation(&mut self, id: i64, at: i64, by: &str, note: &str) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE curations SET undone = 1, undone_at = ?2, undone_by = ?3, undone_note = ?4
             WHERE id = ?1 AND undone = 0",
            rusqlite::params![id, at, by, note],
        )? == 1)
    }

    /// Every authorship whose label-free person is one of `raw`.
    pub fn mentions_of_raw(&self, raw: &[String]) -> Result<Vec<CuratedMention>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT work, slot, coalesce(raw, person), person FROM people WHERE coalesce(raw, person) = ?1",
        )?;
        let mut out = Vec::new();
        for r in raw {
            let rows = stmt.query_map([r], |row| {
                Ok(CuratedMention { work: row.get(0)?, slot: row.get(1)?, raw: row.get(2)?, person: row.get(3)? })
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// The label-free person of one authorship.
    pub fn raw_person_of(&self, work: i64, slot: i64) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(raw, person) FROM people WHERE work = ?1 AND slot = ?2")?
            .query_row([work, slot], |r| r.get(0))
            .optional()?)
    }

    /// Sets the shown person of authorships, keeping what disambiguation said beside it, in one transaction.
    pub fn set_curated(&mut self, mentions: &[CuratedMention]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut update = tx.prepare("UPDATE people SET person = ?3, raw = ?4 WHERE work = ?1 AND slot = ?2")?;
            for m in mentions {
                let raw = (m.raw != m.person).then_some(m.raw.as_str());
                update.execute(params![m.work, m.slot, m.person, raw])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
