use crate::{Arrow, EngineError};
use arrow_index::{Facets, SearchRequest, SearchResult, Sort};
use arrow_model::Work;
use serde::Serialize;

/// Largest page a caller may ask for.
pub const MAX_PAGE: usize = 100;

/// A search as the CLI and server take it.
#[derive(Clone, Debug)]
pub struct SearchOptions {
    pub q: String,
    pub venues: Vec<String>,
    pub types: Vec<String>,
    pub years: (Option<i32>, Option<i32>),
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
}

impl SearchOptions {
    pub fn query(q: &str) -> Self {
        SearchOptions {
            q: q.to_string(),
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

#[derive(Clone, Debug, Serialize)]
pub struct SearchHit {
    pub score: f32,
    pub work: Work,
}

#[derive(Clone, Debug, Serialize)]
pub struct SearchPage {
    pub total: usize,
    pub offset: usize,
    pub hits: Vec<SearchHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// True when no work matched exactly and these are one-edit (typo-tolerant) matches.
    pub fuzzy: bool,
}

impl Arrow {
    /// Runs a query in Arrow's query language. An empty query lists recent works.
    pub fn search(&self, opts: &SearchOptions) -> Result<SearchPage, EngineError> {
        let result = self.search_keys(opts)?;
        let keys: Vec<i64> = result.hits.iter().map(|h| h.key).collect();
        let works = self.store().works_by_keys(&keys)?;
        let hits =
            result.hits.iter().zip(works).map(|(h, (_, work))| SearchHit { score: h.score, work }).collect();
        Ok(SearchPage { total: result.total, offset: opts.offset, hits, facets: result.facets, fuzzy: result.fuzzy })
    }

    /// The index's answer alone (store keys and scores), without reading the works from the store.
    pub fn search_keys(&self, opts: &SearchOptions) -> Result<SearchResult, EngineError> {
        let query = arrow_query::parse(&opts.q);
        let mut req = SearchRequest::new(query);
        req.venues = opts.venues.clone();
        req.types = opts.types.clone();
        req.years = opts.years;
        req.limit = opts.limit.clamp(1, MAX_PAGE);
        req.offset = opts.offset;
        req.facets = opts.facets;
        // The empty query has no relevance: newest first is what a person browsing expects.
        req.sort = if opts.q.trim().is_empty() && opts.sort == Sort::Relevance { Sort::YearDesc } else { opts.sort };
        Ok(self.index().search(&req)?)
    }
}
