//! The corpus by publication year, per index generation: for each year, how many works, their venue and type
//! counts, and the first of them in address order. The empty query (recent works) and a year-only filter then
//! answer from it, exactly as a collection over every document would, without one: on millions of works that
//! collection (the top-k by year and the facets over all of them) is what made those pages slow.
//!
//! Built lazily, once per index generation (the first such search after a commit pays one pass over the year,
//! venue and type columns); derived data, like the columns it is read from.

use crate::cursor::generation;
use crate::facets::Counts;
use crate::IndexError;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use tantivy::{DocAddress, Searcher};

/// Works listed per year, in address order: deeper pages (past the engine's deepest offset) take the ordinary
/// path.
pub(crate) const LISTED_PER_YEAR: usize = 10_100;

/// One year's share of the corpus (`None`: works without a year).
#[derive(Default)]
pub(crate) struct Year {
    pub works: u64,
    pub venues: HashMap<String, u64>,
    pub types: HashMap<String, u64>,
    /// The first [`LISTED_PER_YEAR`] works of the year by address.
    pub first: Vec<DocAddress>,
}

/// Venue and type counts of one year in one segment, by term ordinal.
type OrdCounts = (HashMap<u64, u64>, HashMap<u64, u64>);

pub(crate) struct ByYear {
    pub generation: u64,
    pub years: BTreeMap<Option<i64>, Year>,
}

impl ByYear {
    fn build(searcher: &Searcher) -> Result<ByYear, IndexError> {
        let mut years: BTreeMap<Option<i64>, Year> = BTreeMap::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let ff = segment.fast_fields();
            let year = ff.i64("year")?;
            let venue = ff.str("venue_exact")?;
            let pub_type = ff.str("type_exact")?;
            // Per year, counts by the segment's term ordinals; named once per segment at the end.
            let mut ords: BTreeMap<Option<i64>, OrdCounts> = BTreeMap::new();
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let y = year.first(doc);
                let entry = years.entry(y).or_default();
                entry.works += 1;
                if entry.first.len() < LISTED_PER_YEAR {
                    entry.first.push(DocAddress::new(ord as u32, doc));
                }
                let (venues, types) = ords.entry(y).or_default();
                if let Some(c) = &venue {
                    for o in c.term_ords(doc) {
                        *venues.entry(o).or_default() += 1;
                    }
                }
                if let Some(c) = &pub_type {
                    for o in c.term_ords(doc) {
                        *types.entry(o).or_default() += 1;
                    }
                }
            }
            let mut name = String::new();
            for (y, (venues, types)) in ords {
                let entry = years.entry(y).or_default();
                for (column, counts, out) in [(&venue, venues, &mut entry.venues), (&pub_type, types, &mut entry.types)]
                {
                    let Some(column) = column else { continue };
                    for (o, n) in counts {
                        let found = column
                            .ord_to_str(o, &mut name)
                            .map_err(|e| IndexError::Io { path: "index (venue and type terms)".into(), source: e })?;
                        if found {
                            *out.entry(name.clone()).or_default() += n;
                        }
                    }
                }
            }
        }
        Ok(ByYear { generation: generation(searcher), years })
    }

    /// The facet counts of the works of `years` (every year and none when `None`).
    pub(crate) fn counts(&self, range: Option<(Option<i64>, Option<i64>)>) -> Counts {
        let mut counts = Counts::default();
        for (y, year) in self.in_range(range) {
            if let Some(y) = y {
                *counts.years.entry(*y).or_default() += year.works;
            }
            for (v, n) in &year.venues {
                *counts.venues.entry(v.clone()).or_default() += n;
            }
            for (t, n) in &year.types {
                *counts.types.entry(t.clone()).or_default() += n;
            }
        }
        counts
    }

    /// The years in a range (both ends included, open where `None`); works without a year only without a range.
    pub(crate) fn in_range(
        &self,
        range: Option<(Option<i64>, Option<i64>)>,
    ) -> impl DoubleEndedIterator<Item = (&Option<i64>, &Year)> {
        self.years.iter().filter(move |(y, _)| match (range, y) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((from, to)), Some(y)) => from.is_none_or(|f| f <= *y) && to.is_none_or(|t| *y <= t),
        })
    }
}

/// The last [`ByYear`] built, replaced when the searcher's generation differs.
#[derive(Default)]
pub(crate) struct ByYearCache(Mutex<Option<Arc<ByYear>>>);

impl ByYearCache {
    pub(crate) fn of(&self, searcher: &Searcher) -> Result<Arc<ByYear>, IndexError> {
        let mut slot = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = generation(searcher);
        if let Some(built) = slot.as_ref().filter(|b| b.generation == now) {
            return Ok(built.clone());
        }
        let built = Arc::new(ByYear::build(searcher)?);
        *slot = Some(built.clone());
        Ok(built)
    }
}
