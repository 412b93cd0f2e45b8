use crate::facets::{FacetCollector, Facets};
use crate::resolve::{Resolver, FUZZY_MIN_CHARS};
use crate::{IndexError, SearchIndex};
use arrow_query::Query;
use serde::Serialize;
use std::ops::Bound;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query as TQuery, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Order, Searcher, Term};

/// Result order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    YearDesc,
    YearAsc,
}

/// A search: the parsed query, exact filters (from facet links), order and page.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    pub query: Query,
    /// Exact venue names to restrict to (any of them).
    pub venues: Vec<String>,
    /// Exact publication types to restrict to (any of them).
    pub types: Vec<String>,
    pub years: (Option<i32>, Option<i32>),
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
}

impl SearchRequest {
    pub fn new(query: Query) -> Self {
        SearchRequest {
            query,
            venues: Vec::new(),
            types: Vec::new(),
            years: (None, None),
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            facets: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    /// The store key of the work.
    pub key: i64,
    pub score: f32,
}

#[derive(Clone, Debug, Serialize)]
pub struct SearchResult {
    /// Exact number of matching works.
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
    /// True when nothing matched exactly and the hits come from one-edit (typo-tolerant) matching.
    pub fuzzy: bool,
}

impl SearchIndex {
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResult, IndexError> {
        let searcher = self.reader.searcher();
        let exact = self.compile(req, false);
        let mut result = self.run(&searcher, exact.as_ref(), req)?;
        // Typos: when exact matching finds little, widen to one-edit matches and append what is new.
        if result.total < req.limit && has_long_word(&req.query) {
            let fuzzy = self.compile(req, true);
            let wide = self.run(&searcher, fuzzy.as_ref(), req)?;
            if wide.total > result.total {
                result.fuzzy = result.total == 0;
                result.total = wide.total;
                result.facets = wide.facets;
                for hit in wide.hits {
                    if result.hits.len() < req.limit && !result.hits.iter().any(|h| h.key == hit.key) {
                        result.hits.push(hit);
                    }
                }
            }
        }
        Ok(result)
    }

    fn compile(&self, req: &SearchRequest, fuzzy: bool) -> Box<dyn TQuery> {
        let mut resolver = Resolver::new(self.fields, fuzzy);
        let main = resolver.resolve(&req.query).unwrap_or_else(|| Box::new(AllQuery));
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = vec![(Occur::Must, main)];
        let any_of = |field, values: &[String]| -> Box<dyn TQuery> {
            let alts = values
                .iter()
                .map(|v| {
                    let q: Box<dyn TQuery> =
                        Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            Box::new(BooleanQuery::new(alts))
        };
        if !req.venues.is_empty() {
            clauses.push((Occur::Must, any_of(self.fields.venue_exact, &req.venues)));
        }
        if !req.types.is_empty() {
            clauses.push((Occur::Must, any_of(self.fields.type_exact, &req.types)));
        }
        if req.years != (None, None) {
            let b = |y: Option<i32>| match y {
                Some(y) => Bound::Included(Term::from_field_i64(self.fields.year, i64::from(y))),
                None => Bound::Unbounded,
            };
            clauses.push((Occur::Must, Box::new(RangeQuery::new(b(req.years.0), b(req.years.1)))));
        }
        if clauses.len() == 1 {
            return clauses.pop().map(|(_, q)| q).unwrap_or_else(|| Box::new(AllQuery));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    fn run(&self, searcher: &Searcher, query: &dyn TQuery, req: &SearchRequest) -> Result<SearchResult, IndexError> {
        let limit = req.limit.max(1);
        let top = TopDocs::with_limit(limit).and_offset(req.offset);
        let (addresses, total, facets): (Vec<(f32, DocAddress)>, usize, Option<Facets>) = match req.sort {
            Sort::Relevance => {
                let (docs, total, counts) =
                    searcher.search(query, &(top.order_by_score(), Count, req.facets.then_some(FacetCollector)))?;
                (docs, total, counts.map(|c| c.into_facets(50)))
            }
            Sort::YearDesc | Sort::YearAsc => {
                let order = if req.sort == Sort::YearDesc { Order::Desc } else { Order::Asc };
                let (docs, total, counts) = searcher.search(
                    query,
                    &(top.order_by_fast_field::<i64>("year", order), Count, req.facets.then_some(FacetCollector)),
                )?;
                let docs = docs.into_iter().map(|(y, a)| (y.unwrap_or(0) as f32, a)).collect();
                (docs, total, counts.map(|c| c.into_facets(50)))
            }
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, addr) in addresses {
            let keys = searcher.segment_reader(addr.segment_ord).fast_fields().u64("key")?;
            if let Some(key) = keys.first(addr.doc_id) {
                hits.push(Hit { key: key as i64, score });
            }
        }
        Ok(SearchResult { total, hits, facets, fuzzy: false })
    }

    /// Work ids stored in the index for the given hits (for tools that compare ranked lists).
    pub fn ids_of(&self, keys: &[i64]) -> Result<Vec<String>, IndexError> {
        let searcher = self.reader.searcher();
        let mut out = Vec::with_capacity(keys.len());
        for &key in keys {
            let q = TermQuery::new(Term::from_field_u64(self.fields.key, key as u64), IndexRecordOption::Basic);
            let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
            if let Some((_, addr)) = top.first() {
                let doc: tantivy::TantivyDocument = searcher.doc(*addr)?;
                use tantivy::schema::Value;
                if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                    out.push(id.to_string());
                }
            }
        }
        Ok(out)
    }
}

fn has_long_word(q: &Query) -> bool {
    match q {
        Query::Word { text, .. } => text.chars().filter(|c| c.is_alphanumeric()).count() >= FUZZY_MIN_CHARS,
        Query::And(c) | Query::Or(c) => c.iter().any(has_long_word),
        _ => false,
    }
}
