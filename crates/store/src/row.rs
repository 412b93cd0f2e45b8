//! Conversion between [`Work`] and the `works` row.

use crate::StoreError;
use arrow_model::{Authorship, Identifiers, Provenance, VenueKind, Work, WorkId};

/// The columns read by every work query, in the order [`from_row`] expects.
pub(crate) const COLUMNS: &str =
    "key, id, title, abstract, year, venue, venue_kind, pub_type, authors, authors_truncated, ids, provenance, refs";

/// Reads a work from `row`, whose [`COLUMNS`] start at column `base`.
pub(crate) fn from_row(row: &rusqlite::Row<'_>, base: usize) -> Result<(i64, Work), StoreError> {
    let col = |i: usize| base + i;
    let key: i64 = row.get(col(0))?;
    let corrupt = |what: &str| StoreError::Corrupt { what: format!("{what} of work key {key}") };
    let authors: String = row.get(col(8))?;
    let ids: String = row.get(col(10))?;
    let provenance: String = row.get(col(11))?;
    let kind: String = row.get(col(6))?;
    let refs: Option<String> = row.get(col(12))?;
    let references = match refs {
        Some(json) => serde_json::from_str::<Vec<String>>(&json).map_err(|_| corrupt("references"))?,
        None => Vec::new(),
    };
    let work = Work {
        id: WorkId(row.get(col(1))?),
        title: row.get(col(2))?,
        abstract_text: row.get(col(3))?,
        year: row.get(col(4))?,
        venue: row.get(col(5))?,
        venue_kind: VenueKind::parse(&kind).ok_or_else(|| corrupt("venue kind"))?,
        pub_type: row.get(col(7))?,
        authors: serde_json::from_str::<Vec<Authorship>>(&authors).map_err(|_| corrupt("authors"))?,
        authors_truncated: row.get(col(9))?,
        ids: serde_json::from_str::<Identifiers>(&ids).map_err(|_| corrupt("identifiers"))?,
        references,
        provenance: serde_json::from_str::<Vec<Provenance>>(&provenance).map_err(|_| corrupt("provenance"))?,
    };
    Ok((key, work))
}

/// A content hash that ignores when the work was ingested, so re-ingesting the same record is a no-op.
/// FNV-1a: stable across Rust versions, unlike `DefaultHasher`.
pub(crate) fn content_hash(work: &Work, authors_json: &str, ids_json: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    eat(work.id.0.as_bytes());
    eat(work.title.as_bytes());
    eat(work.abstract_text.as_deref().unwrap_or("\u{0}").as_bytes());
    eat(&work.year.unwrap_or(i32::MIN).to_le_bytes());
    eat(work.venue.as_deref().unwrap_or("\u{0}").as_bytes());
    eat(work.venue_kind.as_str().as_bytes());
    eat(work.pub_type.as_deref().unwrap_or("\u{0}").as_bytes());
    eat(authors_json.as_bytes());
    eat(&[u8::from(work.authors_truncated)]);
    eat(ids_json.as_bytes());
    // Only when present, so that works stored before references were kept keep their hashes.
    for r in &work.references {
        eat(b"ref");
        eat(r.as_bytes());
    }
    for p in &work.provenance {
        eat(p.source.as_bytes());
        eat(p.record_id.as_bytes());
    }
    h as i64
}
