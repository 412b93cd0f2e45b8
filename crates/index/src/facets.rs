//! Facet counts (year, venue, type) over every hit, read from fast fields.

use serde::Serialize;
use std::collections::HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Counts per value. `years` is ordered by year; venues and types by count, then value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Facets {
    pub years: Vec<FacetCount>,
    pub venues: Vec<FacetCount>,
    pub types: Vec<FacetCount>,
}

#[derive(Default)]
pub(crate) struct Counts {
    pub(crate) years: HashMap<i64, u64>,
    pub(crate) venues: HashMap<String, u64>,
    pub(crate) types: HashMap<String, u64>,
}

pub(crate) struct FacetCollector;

pub(crate) struct SegmentFacets {
    year: Column<i64>,
    venue: Option<StrColumn>,
    pub_type: Option<StrColumn>,
    /// Counts by year minus the segment's first year: a broad query counts hundreds of thousands of works.
    first_year: i64,
    years: Vec<u64>,
    /// Years beyond that array (a corpus may hold any year).
    other_years: HashMap<i64, u64>,
    venue_ords: Vec<u64>,
    type_ords: Vec<u64>,
    year_buf: Vec<Option<i64>>,
    ord_buf: Vec<Option<u64>>,
}

impl Collector for FacetCollector {
    type Fruit = Counts;
    type Child = SegmentFacets;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let ff = segment.fast_fields();
        let venue = ff.str("venue_exact")?;
        let pub_type = ff.str("type_exact")?;
        let venue_ords = vec![0; venue.as_ref().map_or(0, |c| c.num_terms())];
        let type_ords = vec![0; pub_type.as_ref().map_or(0, |c| c.num_terms())];
        let year = ff.i64("year")?;
        let (first_year, last_year) = (year.min_value(), year.max_value());
        // A column with no year at all reports an empty or inverted range.
        let span = usize::try_from(last_year.saturating_sub(first_year).saturating_add(1)).unwrap_or(0).min(1 << 16);
        Ok(SegmentFacets {
            year,
            venue,
            pub_type,
            first_year,
            years: vec![0; span],
            other_years: HashMap::new(),
            venue_ords,
            type_ords,
            year_buf: Vec::new(),
            ord_buf: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::default();
        for f in fruits {
            for (k, v) in f.years {
                *all.years.entry(k).or_default() += v;
            }
            for (k, v) in f.venues {
                *all.venues.entry(k).or_default() += v;
            }
            for (k, v) in f.types {
                *all.types.entry(k).or_default() += v;
            }
        }
        Ok(all)
    }
}

impl SegmentFacets {
    fn count_year(&mut self, y: i64) {
        match y.checked_sub(self.first_year).and_then(|i| usize::try_from(i).ok()).and_then(|i| self.years.get_mut(i)) {
            Some(n) => *n += 1,
            None => *self.other_years.entry(y).or_default() += 1,
        }
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(y) = self.year.first(doc) {
            self.count_year(y);
        }
        if let Some(c) = &self.venue {
            for ord in c.term_ords(doc) {
                self.venue_ords[ord as usize] += 1;
            }
        }
        if let Some(c) = &self.pub_type {
            for ord in c.term_ords(doc) {
                self.type_ords[ord as usize] += 1;
            }
        }
    }

    /// A block of documents at once, reading single-valued columns in batches (a broad query counts hundreds
    /// of thousands of works).
    fn collect_block(&mut self, docs: &[DocId]) {
        let vals = &mut self.year_buf;
        vals.resize(docs.len(), None);
        self.year.first_vals(docs, vals);
        for i in 0..docs.len() {
            if let Some(y) = self.year_buf[i] {
                self.count_year(y);
            }
        }
        let ords = &mut self.ord_buf;
        ords.resize(docs.len(), None);
        for (column, counts) in [(&self.venue, &mut self.venue_ords), (&self.pub_type, &mut self.type_ords)] {
            let Some(column) = column else { continue };
            if column.ords().get_cardinality() == Cardinality::Multivalued {
                for &doc in docs {
                    for ord in column.term_ords(doc) {
                        counts[ord as usize] += 1;
                    }
                }
            } else {
                column.ords().first_vals(docs, ords);
                for ord in ords.iter().flatten() {
                    counts[*ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> Counts {
        let first = self.first_year;
        let mut years = self.other_years;
        years.extend(self.years.iter().enumerate().filter(|(_, &n)| n > 0).map(|(i, &n)| (first + i as i64, n)));
        Counts {
            years,
            venues: by_name(&self.venue, &self.venue_ords),
            types: by_name(&self.pub_type, &self.type_ords),
        }
    }
}

fn by_name(column: &Option<StrColumn>, ords: &[u64]) -> HashMap<String, u64> {
    let Some(column) = column else { return HashMap::new() };
    let (present, counts): (Vec<u64>, Vec<u64>) =
        ords.iter().enumerate().filter(|(_, &n)| n > 0).map(|(ord, &n)| (ord as u64, n)).unzip();
    let mut out = HashMap::with_capacity(present.len());
    let mut counts = counts.into_iter();
    // One pass through the dictionary in order: a broad query has tens of thousands of venues, and looking each
    // up alone decoded its dictionary block from the start every time.
    let _ = column.dictionary().sorted_ords_to_term_cb(&present, |bytes| {
        if let Some(n) = counts.next() {
            out.insert(String::from_utf8_lossy(bytes).into_owned(), n);
        }
    });
    out
}

impl Counts {
    pub(crate) fn into_facets(self, top: usize) -> Facets {
        let ranked = |m: HashMap<String, u64>| {
            let mut v: Vec<FacetCount> = m.into_iter().map(|(value, count)| FacetCount { value, count }).collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v.truncate(top);
            v
        };
        let mut years: Vec<(i64, u64)> = self.years.into_iter().collect();
        years.sort();
        Facets {
            years: years.into_iter().map(|(y, count)| FacetCount { value: y.to_string(), count }).collect(),
            venues: ranked(self.venues),
            types: ranked(self.types),
        }
    }
}
