use crate::columns::Columns;
use crate::conjunction::ConjunctionQuery;
use crate::cursor::{generation, request_hash, score_rank, year_rank, After, Cursor};
use crate::deferred_scoring::DeferredScoreQuery;
use crate::facets::{FacetCollector, Facets};
use crate::lenient::{lenient_query, plain_words, LONG_QUERY_WORDS};
use crate::resolve::Resolver;
use crate::{IndexError, SearchIndex};
use arrow_query::{Query, YearRange};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Bound;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, ConstScoreQuery, Occur, Query as TQuery, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

// When exact matching finds nothing, words of five letters or more are widened to one-edit matches. Only then:
// widening costs a fuzzy automaton per word and field, several times a plain search, and a query whose words all
// match as typed needs no correction. Every page of one search sees the same exact total (none), so every page
// agrees on which list it pages through.

/// Result order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Relevance,
    YearDesc,
    YearAsc,
}

/// Exact restrictions on a list of works: facet links on the pages, `filter=` in the API.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// Publication years (`None`: any year, and works without one).
    pub years: Option<YearRange>,
    /// Exact venue names to restrict to (any of them).
    pub venues: Vec<String>,
    /// Exact publication types to restrict to (any of them).
    pub types: Vec<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.years.is_none() && self.venues.is_empty() && self.types.is_empty()
    }
}

/// A search, as the CLI, the pages and the API ask for it: the query as typed, exact filters, order and
/// page. The one request type from the shells down to the index, and between the nodes of a sharded index: the
/// engine only settles its defaults.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SearchRequest {
    /// The query in Arrow's query language, as typed; parsed here (see `arrow-query`).
    pub q: String,
    pub filters: Filters,
    pub sort: Sort,
    pub limit: usize,
    /// Hits to skip (ignored when `cursor` is given).
    pub offset: usize,
    /// Where to continue: [`SearchResult::next_cursor`] of the previous page of this same search.
    pub cursor: Option<String>,
    pub facets: bool,
    /// Mark the matched words of each hit of the page (done by the engine, for the page's hits only).
    pub highlight: bool,
    /// Store keys of the works the query names by id (`id:…`, or a word that is a stored work's id), as the engine
    /// found them in its store: the index holds no ids to look up. Not sent to shards: each finds its own.
    #[serde(skip)]
    pub work_keys: WorkKeys,
}

/// Work ids as typed in a query, each with the store key of the work it names.
pub type WorkKeys = std::collections::BTreeMap<String, i64>;

impl SearchRequest {
    pub fn query(q: &str) -> Self {
        SearchRequest {
            q: q.to_string(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            limit: 10,
            offset: 0,
            cursor: None,
            facets: false,
            highlight: true,
            work_keys: WorkKeys::new(),
        }
    }

    /// The query language's reading of `q`.
    pub fn parsed(&self) -> Query {
        arrow_query::parse(&self.q)
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
    /// True when a long plain-word query was ranked leniently: works with most, not all, of its words
    /// (see [`crate::LENIENT_MIN_WORDS`]).
    pub lenient: bool,
    /// Number of hits before this page.
    pub offset: usize,
    /// Opaque cursor for the next page (`None` on the last page). Valid while the index does not change;
    /// after a change it is refused with [`IndexError::Cursor`].
    pub next_cursor: Option<String>,
}

/// Venues and types listed per facet.
pub(crate) const FACET_TOP: usize = 50;

/// The store key of the work the query names by its id, when it is that one word alone (see
/// [`SearchRequest::work_keys`]).
pub(crate) fn named_alone(query: &Query, work_keys: &WorkKeys) -> Option<i64> {
    match query {
        Query::Word { field: None, text } => work_keys.get(text).copied(),
        _ => None,
    }
}

/// Whether a word of the query is longer than the index keeps (see [`crate::fields`]).
fn too_long(query: &Query) -> bool {
    match query {
        Query::Word { text, .. } | Query::Phrase { text, .. } => {
            text.split(|c: char| !c.is_alphanumeric()).any(|w| w.len() >= crate::fields::LONGEST_WORD)
        }
        Query::And(children) | Query::Or(children) => children.iter().any(too_long),
        Query::All | Query::Year(_) | Query::Id { .. } | Query::Not(_) => false,
    }
}

/// The earlier of two upper ends, `None` being open.
fn min_end(a: Option<i32>, b: Option<i32>) -> Option<i32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl SearchIndex {
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResult, IndexError> {
        let query = req.parsed();
        let searcher = self.reader.searcher();
        let columns = self.columns.of(&searcher)?;
        let limit = req.limit.max(1);
        let cursor = match req.cursor.as_deref() {
            Some(text) => {
                let c = Cursor::decode(text)?;
                c.check(generation(&searcher), request_hash(&query, req))?;
                Some(c)
            }
            None => None,
        };
        let pos = cursor.map_or(req.offset, |c| c.pos);
        let after = cursor.and_then(|c| c.after);
        if cursor.is_none() {
            if let Some(result) = self.by_year_page(&searcher, &query, req, limit)? {
                return Ok(result);
            }
        }
        let page = Page { skip: if after.is_some() { 0 } else { pos }, limit, after };
        // A long plain-word query is ranked leniently at once; a shorter one only when it matches nothing. A work's
        // id pasted alone is no question, however many words it reads as (`dblp:journals/corr/abs-1706-03762`).
        let named = named_alone(&query, &req.work_keys).is_some();
        let lenient_query = if named { None } else { self.lenient(&query, &req.filters) };
        let (mut exact, mut lenient) = match &lenient_query {
            Some((q, true)) => (self.run(&searcher, &columns, q.as_ref(), req.sort, page, req.facets)?, true),
            _ => {
                let q = self.compile(&query, &req.filters, &[], &req.work_keys);
                (self.run(&searcher, &columns, q.as_ref(), req.sort, page, req.facets)?, false)
            }
        };
        if let (Some((q, false)), 0) = (&lenient_query, exact.total) {
            exact = self.run(&searcher, &columns, q.as_ref(), req.sort, page, req.facets)?;
            lenient = true;
        }
        // Typos: when nothing matches exactly, the list is the one-edit matches instead, paged by offset.
        let widen = if !lenient && exact.total == 0 { self.typo_words(&query, &searcher)? } else { Vec::new() };
        if !widen.is_empty() {
            let fuzzy_query = self.compile(&query, &req.filters, &widen, &req.work_keys);
            let wide_page = Page { skip: pos, limit, after: None };
            let wide = self.run(&searcher, &columns, fuzzy_query.as_ref(), req.sort, wide_page, req.facets)?;
            if wide.total > 0 {
                let end = pos + wide.hits.len();
                let next_cursor = (wide.hits.len() == limit && end < wide.total).then(|| {
                    Cursor {
                        generation: generation(&searcher),
                        request: request_hash(&query, req),
                        pos: end,
                        after: None,
                    }
                    .encode()
                });
                return Ok(SearchResult {
                    total: wide.total,
                    hits: keys(&columns, &wide.hits),
                    facets: wide.facets,
                    fuzzy: true,
                    lenient: false,
                    offset: pos,
                    next_cursor,
                });
            }
        }
        let end = pos + exact.hits.len();
        let next_cursor = match exact.hits.last() {
            Some(last) if exact.hits.len() == limit && end < exact.total => Some(
                Cursor {
                    generation: generation(&searcher),
                    request: request_hash(&query, req),
                    pos: end,
                    after: Some(After { rank: last.rank, addr: last.addr }),
                }
                .encode(),
            ),
            _ => None,
        };
        Ok(SearchResult {
            total: exact.total,
            hits: keys(&columns, &exact.hits),
            facets: exact.facets,
            fuzzy: false,
            lenient,
            offset: pos,
            next_cursor,
        })
    }

    /// The empty query or a year range alone, sorted by year, without venue or type filters: answered from the
    /// corpus by year (`by_year.rs`) with exactly the hits, total and facets a collection would give; `None` when
    /// the search is not of that kind or pages deeper than the years' listed works.
    fn by_year_page(
        &self,
        searcher: &Searcher,
        query: &Query,
        req: &SearchRequest,
        limit: usize,
    ) -> Result<Option<SearchResult>, IndexError> {
        let in_query = match query {
            Query::All => None,
            Query::Year(r) => Some(*r),
            _ => return Ok(None),
        };
        let sorted_by_year = matches!(req.sort, Sort::YearDesc | Sort::YearAsc);
        if !sorted_by_year || !req.filters.venues.is_empty() || !req.filters.types.is_empty() {
            return Ok(None);
        }
        let range = match (in_query, req.filters.years) {
            (None, None) => None,
            (Some(r), None) | (None, Some(r)) => Some((r.from, r.to)),
            (Some(a), Some(b)) => Some((a.from.max(b.from), min_end(a.to, b.to))),
        };
        let range = range.map(|(from, to)| (from.map(i64::from), to.map(i64::from)));
        let by_year = self.by_year.of(searcher)?;
        let total: u64 = by_year.in_range(range).map(|(_, y)| y.works).sum();
        // Years in the sort's order, works without a year last (as `year_rank` ranks them).
        let mut years: Vec<_> = by_year.in_range(range).filter(|(y, _)| y.is_some()).collect();
        if req.sort == Sort::YearDesc {
            years.reverse();
        }
        years.extend(by_year.in_range(range).filter(|(y, _)| y.is_none()));
        let mut hits = Vec::with_capacity(limit);
        let mut skip = req.offset;
        for (y, year) in years {
            if hits.len() == limit {
                break;
            }
            let works = year.works as usize;
            if skip >= works {
                skip -= works;
                continue;
            }
            let take = (limit - hits.len()).min(works - skip);
            let Some(listed) = year.first.get(skip..skip + take) else { return Ok(None) };
            let rank = year_rank(*y, req.sort);
            hits.extend(listed.iter().map(|&addr| Ranked { score: y.unwrap_or(0) as f32, rank, addr }));
            skip = 0;
        }
        let total = total as usize;
        let end = req.offset + hits.len();
        let next_cursor = match hits.last() {
            Some(last) if hits.len() == limit && end < total => Some(
                Cursor {
                    generation: by_year.generation,
                    request: request_hash(query, req),
                    pos: end,
                    after: Some(After { rank: last.rank, addr: last.addr }),
                }
                .encode(),
            ),
            _ => None,
        };
        let columns = self.columns.of(searcher)?;
        Ok(Some(SearchResult {
            total,
            hits: keys(&columns, &hits),
            facets: req.facets.then(|| by_year.counts(range).into_facets(FACET_TOP)),
            fuzzy: false,
            lenient: false,
            offset: req.offset,
            next_cursor,
        }))
    }

    /// The query with its filters; `widen`: words to widen to their one-edit matches (see
    /// [`Self::typo_words`]; empty for the query as typed); `work_keys`: the works it names by id (see
    /// [`SearchRequest::work_keys`]). A word alone that is a work's id finds that work first, beside what its
    /// pieces match as words.
    pub(crate) fn compile(
        &self,
        query: &Query,
        filters: &Filters,
        widen: &[String],
        work_keys: &WorkKeys,
    ) -> Box<dyn TQuery> {
        let mut resolver = Resolver::widening(self.fields, widen).with_work_keys(work_keys);
        let main = resolver.resolve(query);
        let named = named_alone(query, work_keys).map(|key| resolver.work(key));
        let main = match (named, main) {
            (Some(work), Some(words)) => {
                Some(Box::new(BooleanQuery::new(vec![(Occur::Should, work), (Occur::Should, words)])) as Box<dyn TQuery>)
            }
            (named, main) => named.or(main),
        };
        let main = main.unwrap_or_else(|| {
            // Punctuation alone asks for nothing, so everything matches; a word too long for the index is in no
            // work (it matched everything as well).
            if too_long(query) {
                Box::new(tantivy::query::EmptyQuery)
            } else {
                Box::new(AllQuery)
            }
        });
        self.filtered(filters, main)
    }

    /// Of the works `among`, those `req` matches, in the order its pages list them, matched as its result says
    /// (`fuzzy`, `lenient`: see [`SearchResult`]). So that a paper's versions are listed once over all the pages,
    /// under the best-ranked of them, whichever page that falls on.
    pub fn order_among(
        &self,
        req: &SearchRequest,
        among: &[i64],
        fuzzy: bool,
        lenient: bool,
    ) -> Result<Vec<i64>, IndexError> {
        let query = req.parsed();
        let searcher = self.reader.searcher();
        let columns = self.columns.of(&searcher)?;
        let main = if lenient {
            match self.lenient(&query, &req.filters) {
                Some((q, _)) => q,
                None => return Ok(Vec::new()),
            }
        } else {
            let widen = if fuzzy { self.typo_words(&query, &searcher)? } else { Vec::new() };
            self.compile(&query, &req.filters, &widen, &req.work_keys)
        };
        let works = among
            .iter()
            .map(|&k| {
                let term = Term::from_field_u64(self.fields.key, k as u64);
                (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn TQuery>)
            })
            .collect();
        // Scored 0, as every filter: the works keep the scores, so the order, that the whole search gives them.
        let works = Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(works)), 0.0));
        let restricted = BooleanQuery::new(vec![(Occur::Must, main), (Occur::Must, works)]);
        let page = Page { skip: 0, limit: among.len().max(1), after: None };
        let run = self.run(&searcher, &columns, &restricted, req.sort, page, false)?;
        Ok(keys(&columns, &run.hits).into_iter().map(|h| h.key).collect())
    }

    /// The lenient form of a plain-word query, with its filters (see [`crate::lenient`]), and whether the query
    /// is long enough to be ranked so always; a shorter one is ranked so only when it matches nothing exactly.
    fn lenient(&self, query: &Query, filters: &Filters) -> Option<(Box<dyn TQuery>, bool)> {
        let mut resolver = Resolver::new(self.fields);
        let words = plain_words(query, |t| resolver.tokens(t))?;
        Some((self.filtered(filters, lenient_query(&self.fields, &words)), words.len() >= LONG_QUERY_WORDS))
    }

    /// `main` restricted by the exact filters (venues, types, years).
    pub(crate) fn filtered(&self, filters: &Filters, main: Box<dyn TQuery>) -> Box<dyn TQuery> {
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
        if !filters.venues.is_empty() {
            clauses.push((Occur::Must, any_of(self.fields.venue_exact, &filters.venues)));
        }
        if !filters.types.is_empty() {
            clauses.push((Occur::Must, any_of(self.fields.type_exact, &filters.types)));
        }
        if let Some(years) = filters.years {
            let b = |y: Option<i32>| match y {
                Some(y) => Bound::Included(Term::from_field_i64(self.fields.year, i64::from(y))),
                None => Bound::Unbounded,
            };
            clauses.push((Occur::Must, Box::new(RangeQuery::new(b(years.from), b(years.to)))));
        }
        if clauses.len() == 1 {
            return clauses.pop().map(|(_, q)| q).unwrap_or_else(|| Box::new(AllQuery));
        }
        let mut clauses = clauses.into_iter().map(|(_, q)| q);
        let main = clauses.next().unwrap_or_else(|| Box::new(AllQuery));
        // Inside the words' own matching the filters keep the query prunable, and add nothing to scores.
        let main = match main.downcast::<DeferredScoreQuery>() {
            Ok(deferred) => return Box::new((*deferred).restricted(clauses.collect())),
            Err(main) => main,
        };
        match main.downcast::<ConjunctionQuery>() {
            Ok(conjunction) => Box::new((*conjunction).restricted(clauses.collect())),
            Err(main) => {
                // Scored 0, as inside the words' matching: a filter narrows the list and never reorders it.
                let unscored = clauses.map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn TQuery>);
                Box::new(BooleanQuery::new(std::iter::once(main).chain(unscored).map(|q| (Occur::Must, q)).collect()))
            }
        }
    }

    /// One page of `query` in `sort` order, the exact number of matches, and facets if asked.
    fn run(
        &self,
        searcher: &Searcher,
        columns: &Columns,
        query: &dyn TQuery,
        sort: Sort,
        page: Page,
        facets: bool,
    ) -> Result<Run, IndexError> {
        self.run_with(searcher, columns, query, sort, page, facets.then_some(FACET_TOP), searcher)
    }

    /// [`Self::run`] scored with the given statistics (a sharded search's global ones), facets cut at `facet_top`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn run_with(
        &self,
        searcher: &Searcher,
        columns: &Columns,
        query: &dyn TQuery,
        sort: Sort,
        page: Page,
        facet_top: Option<usize>,
        stats: &dyn Bm25StatisticsProvider,
    ) -> Result<Run, IndexError> {
        let facet_collector = facet_top.map(|_| FacetCollector);
        let prunes = query.downcast_ref::<DeferredScoreQuery>().is_some_and(DeferredScoreQuery::prunes);
        let (hits, total, counts) = if sort == Sort::Relevance && page.after.is_none() && prunes {
            // Broad words: the top k alone lets tantivy skip what cannot make it (block-max WAND, see
            // `DeferredScoreWeight::for_each_pruning`); the exact total and the facets come from a pass that
            // only matches, reading no frequencies and scoring nothing.
            let docs = crate::top::top_by_score(searcher, query, stats, page.skip, page.limit)?;
            let (total, counts) = match facet_collector {
                // Alone, a count may come straight from the posting lists (`count.rs`).
                None => (searcher.search(query, &Count)?, None),
                facets => searcher.search(query, &(Count, facets))?,
            };
            let hits = docs.into_iter().map(|(score, addr)| Ranked { score, rank: score_rank(score), addr }).collect();
            (hits, total, counts)
        } else if sort == Sort::Relevance && page.after.is_none() {
            // tantivy's own top-k by score (ties by document address, as `PageCollector`).
            let top = TopDocs::with_limit(page.limit).and_offset(page.skip).order_by_score();
            let (docs, total, counts) =
                searcher.search_with_statistics_provider(query, &(top, Count, facet_collector), stats)?;
            let hits = docs.into_iter().map(|(score, addr)| Ranked { score, rank: score_rank(score), addr }).collect();
            (hits, total, counts)
        } else {
            let top = PageCollector { sort, after: page.after, k: page.skip + page.limit, columns };
            let (docs, total, counts) =
                searcher.search_with_statistics_provider(query, &(top, Count, facet_collector), stats)?;
            (docs.into_iter().skip(page.skip).collect(), total, counts)
        };
        Ok(Run { hits, total, facets: counts.map(|c| c.into_facets(facet_top.unwrap_or(FACET_TOP))) })
    }
    /// The words a typo search widens when nothing matches exactly: the query's long words that no work has as
    /// typed (in any field they are looked for in) where there are such, else all its long words (a plural or a
    /// variant spelling may be what keeps its words apart). None for a query that requires and excludes the same
    /// word: it contradicts itself, and no correction can help (`+graphs -graphs` took 6 ms of one-edit
    /// matching to find nothing).
    pub(crate) fn typo_words(
        &self,
        query: &Query,
        stats: &dyn Bm25StatisticsProvider,
    ) -> Result<Vec<String>, IndexError> {
        let mut resolver = Resolver::new(self.fields);
        if resolver.contradicts(query) {
            return Ok(Vec::new());
        }
        let (mut unknown, mut all) = (Vec::new(), Vec::new());
        for (word, terms) in resolver.long_words(query) {
            let mut freq = 0;
            for t in &terms {
                freq += stats.doc_freq(t)?;
            }
            if freq == 0 && !unknown.contains(&word) {
                unknown.push(word.clone());
            }
            if !all.contains(&word) {
                all.push(word);
            }
        }
        Ok(if unknown.is_empty() { all } else { unknown })
    }

    /// The store keys of every work the filters admit (for rankings made outside the index, such as by
    /// vectors, that must apply the same filters exactly).
    pub fn keys_matching(&self, filters: &Filters) -> Result<std::collections::HashSet<i64>, IndexError> {
        let searcher = self.reader.searcher();
        let columns = self.columns.of(&searcher)?;
        let query = self.filtered(filters, Box::new(AllQuery));
        let addrs = searcher.search(query.as_ref(), &tantivy::collector::DocSetCollector)?;
        Ok(addrs.into_iter().filter_map(|a| columns.key(a)).collect())
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

/// The store keys of ranked hits.
fn keys(columns: &Columns, ranked: &[Ranked]) -> Vec<Hit> {
    ranked.iter().filter_map(|r| columns.key(r.addr).map(|key| Hit { key, score: r.score })).collect()
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Page {
    pub(crate) skip: usize,
    pub(crate) limit: usize,
    pub(crate) after: Option<After>,
}

/// A hit before its key is read: shown score (BM25, or the year for year sorts), rank and address.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ranked {
    pub(crate) score: f32,
    pub(crate) rank: u64,
    pub(crate) addr: DocAddress,
}

pub(crate) struct Run {
    pub(crate) hits: Vec<Ranked>,
    pub(crate) total: usize,
    pub(crate) facets: Option<Facets>,
}

/// Top-k by rank (higher first), ties by document address (lower first), optionally only hits after a
/// given one: "search after" for cursors and the year sorts. Keeps k entries per segment, never all hits.
struct PageCollector<'a> {
    columns: &'a Columns,
    sort: Sort,
    after: Option<After>,
    k: usize,
}

/// Orders by (rank, reversed address): greater is better. The score never decides (rank and address are
/// unique together).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry(u64, Reverse<DocAddress>, u32);

impl Entry {
    fn ranked(self) -> Ranked {
        Ranked { score: f32::from_bits(self.2), rank: self.0, addr: self.1 .0 }
    }
}

struct PageSegment {
    sort: Sort,
    after: Option<Entry>,
    segment: SegmentOrdinal,
    year: Option<Column<i64>>,
    k: usize,
    heap: BinaryHeap<Reverse<Entry>>,
}

impl Collector for PageCollector<'_> {
    type Fruit = Vec<Ranked>;
    type Child = PageSegment;

    fn for_segment(&self, segment: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<PageSegment> {
        let year = (self.sort != Sort::Relevance).then(|| self.columns.segment(segment).year.clone());
        Ok(PageSegment {
            sort: self.sort,
            after: self.after.map(|a| Entry(a.rank, Reverse(a.addr), 0)),
            segment,
            year,
            k: self.k,
            heap: BinaryHeap::with_capacity(self.k + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut all: Vec<Ranked> = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| b.rank.cmp(&a.rank).then_with(|| a.addr.cmp(&b.addr)));
        all.truncate(self.k);
        Ok(all)
    }
}

impl SegmentCollector for PageSegment {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let (rank, shown) = match (&self.year, self.sort) {
            (Some(column), sort) => {
                let year = column.first(doc);
                (year_rank(year, sort), year.unwrap_or(0) as f32)
            }
            (None, _) => (score_rank(score), score),
        };
        let entry = Entry(rank, Reverse(DocAddress::new(self.segment, doc)), shown.to_bits());
        if let Some(after) = self.after {
            // Only hits strictly after the last one shown (the entry's score is not part of the order).
            if (entry.0, entry.1) >= (after.0, after.1) {
                return;
            }
        }
        if self.heap.len() < self.k {
            self.heap.push(Reverse(entry));
        } else if self.heap.peek().is_some_and(|worst| entry > worst.0) {
            self.heap.pop();
            self.heap.push(Reverse(entry));
        }
    }

    fn harvest(self) -> Vec<Ranked> {
        self.heap.into_iter().map(|e| e.0.ranked()).collect()
    }
}
