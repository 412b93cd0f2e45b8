//! Opaque paging cursors: where the next page starts, valid while the index does not change.
//!
//! A cursor records a hash of the index generation (its segments and their deletions), a hash of the search
//! it belongs to, the number of hits before the next page, and, for "search after", the rank and address of
//! the last hit shown. Hits are ordered by rank (higher first), then by document address, a total order
//! within one generation, so every hit appears on exactly one page.

use crate::search::{SearchRequest, Sort};
use crate::IndexError;
use arrow_query::Query;
use tantivy::{DocAddress, Searcher};

const VERSION: &str = "c1";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct After {
    pub rank: u64,
    pub addr: DocAddress,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub generation: u64,
    pub request: u64,
    /// Hits before the next page.
    pub pos: usize,
    /// The last hit shown, when the next page is found by "search after" (else by skipping `pos` hits).
    pub after: Option<After>,
}

impl Cursor {
    pub(crate) fn encode(&self) -> String {
        let mut s = format!("{VERSION}.{:x}.{:x}.{:x}", self.generation, self.request, self.pos);
        if let Some(a) = self.after {
            s.push_str(&format!(".{:x}.{:x}.{:x}", a.rank, a.addr.segment_ord, a.addr.doc_id));
        }
        s
    }

    pub(crate) fn decode(text: &str) -> Result<Cursor, IndexError> {
        let bad = || IndexError::Cursor("malformed cursor".into());
        let parts: Vec<&str> = text.trim().split('.').collect();
        if parts.first() != Some(&VERSION) || !(parts.len() == 4 || parts.len() == 7) {
            return Err(bad());
        }
        let n = |i: usize| u64::from_str_radix(parts[i], 16).map_err(|_| bad());
        let after = if parts.len() == 7 {
            let seg = u32::try_from(n(5)?).map_err(|_| bad())?;
            let doc = u32::try_from(n(6)?).map_err(|_| bad())?;
            Some(After { rank: n(4)?, addr: DocAddress::new(seg, doc) })
        } else {
            None
        };
        Ok(Cursor { generation: n(1)?, request: n(2)?, pos: usize::try_from(n(3)?).map_err(|_| bad())?, after })
    }

    /// Checks the cursor was made by this search on this generation of the index.
    pub(crate) fn check(&self, generation: u64, request: u64) -> Result<(), IndexError> {
        if self.request != request {
            return Err(IndexError::Cursor("the cursor belongs to a different search".into()));
        }
        if self.generation != generation {
            return Err(IndexError::Cursor("the index changed since this cursor was made; search again".into()));
        }
        Ok(())
    }
}

/// FNV-1a, stable across runs and builds (cursors outlive a server restart).
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator so ("ab","c") and ("a","bc") differ.
        self.0 = (self.0 ^ 0xff).wrapping_mul(0x0100_0000_01b3);
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        Fnv::write(self, bytes);
    }
}

/// The index generation a searcher sees: its segments and their deletions. (No allocation: this runs for
/// every search that has a next page.)
pub(crate) fn generation(searcher: &Searcher) -> u64 {
    use std::hash::Hash;
    let mut h = Fnv::new();
    for s in searcher.segment_readers() {
        s.segment_id().hash(&mut h);
        h.write(&s.delete_opstamp().unwrap_or(0).to_le_bytes());
    }
    h.0
}

/// What a cursor is bound to: everything in the request but the page.
pub(crate) fn request_hash(query: &Query, req: &SearchRequest) -> u64 {
    let mut h = Fnv::new();
    h.write(query.to_string().as_bytes());
    for v in &req.filters.venues {
        h.write(v.as_bytes());
    }
    h.write(b"|");
    for t in &req.filters.types {
        h.write(t.as_bytes());
    }
    h.write(format!("{:?}{:?}", req.filters.years, req.sort).as_bytes());
    h.0
}

/// Relevance rank: the score's bits in an order-preserving u64 (higher score, higher rank).
pub(crate) fn score_rank(score: f32) -> u64 {
    let bits = score.to_bits();
    u64::from(if bits & 0x8000_0000 != 0 { !bits } else { bits | 0x8000_0000 })
}

/// Year rank for a year sort: works without a year come last in both directions.
pub(crate) fn year_rank(year: Option<i64>, sort: Sort) -> u64 {
    const SPAN: i64 = 1 << 40;
    match year {
        None => 0,
        Some(y) => {
            let up = (y.clamp(-SPAN, SPAN) + SPAN + 1) as u64; // 1 ..= 2^41 + 1
            if sort == Sort::YearAsc {
                (1u64 << 42) - up
            } else {
                up
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let c = Cursor {
            generation: 0xdead_beef,
            request: 42,
            pos: 70,
            after: Some(After { rank: score_rank(3.5), addr: DocAddress::new(2, 9) }),
        };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        let c = Cursor { after: None, ..c };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        for bad in ["", "c1", "c2.1.2.3", "c1.x.2.3", "c1.1.2.3.4", "c1.1.2.3.4.5.ffffffffff"] {
            assert!(matches!(Cursor::decode(bad), Err(IndexError::Cursor(_))), "{bad}");
        }
    }

    #[test]
    fn ranks_keep_order() {
        assert!(score_rank(2.0) > score_rank(1.5) && score_rank(0.0) > score_rank(-1.0));
        assert!(year_rank(Some(2020), Sort::YearDesc) > year_rank(Some(2019), Sort::YearDesc));
        assert!(year_rank(Some(2019), Sort::YearAsc) > year_rank(Some(2020), Sort::YearAsc));
        assert!(year_rank(Some(1), Sort::YearAsc) > year_rank(None, Sort::YearAsc));
        assert!(year_rank(Some(1), Sort::YearDesc) > year_rank(None, Sort::YearDesc));
    }
}
