//! One shard's part of a search over many indexes (`arrow-cluster`'s root asks every shard).
//!
//! A search runs in two rounds so that every shard ranks exactly as one index holding all the works would:
//! [`SearchIndex::shard_prepare`] gives the shard's statistics for the query's terms and what decides how to
//! search (exactly, leniently, or with one-edit matches, as [`SearchIndex::search`] decides on one index); the
//! root sums them into global statistics and a [`Plan`], and [`SearchIndex::shard_search`] ranks the shard's top
//! k with those. The plan is first the exact query ([`Plan::first`]); only when no shard has an exact match does
//! the root ask again with the fallback ([`Plan::fallback`]), as one index falls back on no match: so the first
//! round costs term lookups, not a count. BM25 reads only document counts, document frequencies and field
//! lengths, all of them sums over documents, so summed statistics give each work the score it has in one index.

use crate::facets::Facets;
use crate::lenient::{lenient_query, plain_words};
use crate::resolve::Resolver;
use crate::search::{Page, FACET_TOP};
use crate::{IndexError, SearchIndex, SearchRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tantivy::query::{Bm25StatisticsProvider, Query as TQuery};
use tantivy::schema::{Field, FieldType};
use tantivy::{Searcher, Term};

/// BM25's statistics: documents, tokens per field (by field id, as text: JSON keys) and document frequency per
/// term (by field id and the hex of its value). A shard's own, or their sum.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermStats {
    pub docs: u64,
    pub tokens: BTreeMap<String, u64>,
    pub terms: BTreeMap<String, u64>,
}

impl TermStats {
    pub fn add(&mut self, other: &TermStats) {
        self.docs += other.docs;
        for (f, n) in &other.tokens {
            *self.tokens.entry(f.clone()).or_default() += n;
        }
        for (t, n) in &other.terms {
            *self.terms.entry(t.clone()).or_default() += n;
        }
    }
}

fn term_key(term: &Term) -> String {
    let mut key = format!("{}:", term.field().field_id());
    for b in term.serialized_value_bytes() {
        key.push_str(&format!("{b:02x}"));
    }
    key
}

/// How a search is run, decided once for all shards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    /// The query as typed.
    Exact,
    /// A long plain-word query, or one with no exact match: works with most of its words.
    Lenient,
    /// No exact match: one-edit matches of its long words (see [`SearchIndex::typo_words`]).
    Fuzzy,
}

/// A shard's answer to the first round.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ShardPrep {
    /// Distinct words of a plain-word query (`None`: not a plain-word query); the same on every shard.
    pub plain_words: Option<usize>,
    /// The query has a word a typo search could widen (none for a query that contradicts itself); the same on
    /// every shard. The words' terms are in `stats`, so every shard widens the same ones (`typo_words`).
    pub long_word: bool,
    pub stats: TermStats,
}

impl Plan {
    /// How to search first: leniently for a long plain-word query, else exactly (see [`SearchIndex::search`]).
    pub fn first(preps: &[ShardPrep]) -> Plan {
        match preps.iter().find_map(|p| p.plain_words) {
            Some(n) if n >= crate::LONG_QUERY_WORDS => Plan::Lenient,
            _ => Plan::Exact,
        }
    }

    /// How to search again when the exact search matched `exact` works over all shards: leniently for plain
    /// words, by one-edit matches for a query with a long word, as one index does when nothing matches.
    pub fn fallback(preps: &[ShardPrep], exact: u64) -> Option<Plan> {
        if exact > 0 {
            return None;
        }
        if preps.iter().any(|p| p.plain_words.is_some()) {
            Some(Plan::Lenient)
        } else {
            preps.iter().any(|p| p.long_word).then_some(Plan::Fuzzy)
        }
    }
}

/// One hit of a shard's top k: its store key in the shard, shown score, and rank (higher first; the score's
/// order for relevance, the year's for year sorts).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardHit {
    pub key: i64,
    pub score: f32,
    pub rank: u64,
}

/// A shard's answer to the second round.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ShardHits {
    pub total: u64,
    /// Best first, ties by the shard's document order.
    pub hits: Vec<ShardHit>,
    /// Every value's count (not cut to the top ones: the root sums them, then cuts).
    pub facets: Option<Facets>,
}

/// The global statistics, falling back to the shard's own for terms the first round did not list (the words
/// a one-edit match expands to are found per segment).
struct Global<'a> {
    stats: &'a TermStats,
    local: &'a Searcher,
}

impl Bm25StatisticsProvider for Global<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        match self.stats.tokens.get(&field.field_id().to_string()) {
            Some(&n) => Ok(n),
            None => self.local.total_num_tokens(field),
        }
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        if self.stats.docs == 0 {
            return Bm25StatisticsProvider::total_num_docs(self.local);
        }
        Ok(self.stats.docs)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        match self.stats.terms.get(&term_key(term)) {
            Some(&n) => Ok(n),
            None => self.local.doc_freq(term),
        }
    }
}

impl SearchIndex {
    /// The first round: this shard's statistics for every term the search could score, and its counts.
    pub fn shard_prepare(&self, req: &SearchRequest) -> Result<ShardPrep, IndexError> {
        let query = req.parsed();
        let searcher = self.reader.searcher();
        let exact_query = self.compile(&query, &req.filters, &[], &req.work_keys);
        let named = crate::search::named_alone(&query, &req.work_keys).is_some();
        let words = if named { None } else { self.plain(&query) };
        let mut queries = vec![exact_query];
        if let Some(w) = &words {
            queries.push(lenient_query(&self.fields, w));
        }
        let mut stats = TermStats { docs: Bm25StatisticsProvider::total_num_docs(&searcher)?, ..Default::default() };
        for (field, entry) in searcher.schema().fields() {
            if matches!(entry.field_type(), FieldType::Str(o) if o.get_indexing_options().is_some()) {
                stats.tokens.insert(field.field_id().to_string(), searcher.total_num_tokens(field)?);
            }
        }
        let mut terms = Vec::new();
        for q in &queries {
            q.query_terms(&mut |t, _| terms.push(t.clone()));
        }
        let mut resolver = Resolver::new(self.fields);
        // A query that contradicts itself gets no typo search (`Self::typo_words`).
        let long = if resolver.contradicts(&query) { Vec::new() } else { resolver.long_words(&query) };
        let long_word = !long.is_empty();
        // The long words' terms are counted too, so that every shard tells unknown words from the sums.
        terms.extend(long.into_iter().flat_map(|(_, t)| t));
        for t in terms {
            stats.terms.insert(term_key(&t), searcher.doc_freq(&t)?);
        }
        Ok(ShardPrep { plain_words: words.map(|w| w.len()), long_word, stats })
    }

    /// The second round: the shard's top `k` of the search run as `plan` says, scored with `stats`, with its
    /// exact total and, if asked, every facet value's count.
    pub fn shard_search(
        &self,
        req: &SearchRequest,
        plan: Plan,
        stats: &TermStats,
        k: usize,
    ) -> Result<ShardHits, IndexError> {
        let query = req.parsed();
        let searcher = self.reader.searcher();
        let columns = self.columns.of(&searcher)?;
        let compiled: Box<dyn TQuery> = match (plan, self.plain(&query)) {
            (Plan::Lenient, Some(words)) => self.filtered(&req.filters, lenient_query(&self.fields, &words)),
            (Plan::Fuzzy, _) => {
                let widen = self.typo_words(&query, &Global { stats, local: &searcher })?;
                self.compile(&query, &req.filters, &widen, &req.work_keys)
            }
            _ => self.compile(&query, &req.filters, &[], &req.work_keys),
        };
        let global = Global { stats, local: &searcher };
        let page = Page { skip: 0, limit: k.max(1), after: None };
        let top = req.facets.then_some(usize::MAX);
        let run = self.run_with(&searcher, &columns, compiled.as_ref(), req.sort, page, top, &global)?;
        let hits = run
            .hits
            .iter()
            .filter_map(|r| columns.key(r.addr).map(|key| ShardHit { key, score: r.score, rank: r.rank }))
            .collect();
        Ok(ShardHits { total: run.total as u64, hits, facets: run.facets })
    }

    fn plain(&self, query: &arrow_query::Query) -> Option<Vec<String>> {
        let mut resolver = Resolver::new(self.fields);
        plain_words(query, |t| resolver.tokens(t))
    }
}

/// Facet counts of several shards summed, and cut as one index cuts them.
pub fn merge_facets(parts: impl IntoIterator<Item = Facets>) -> Facets {
    let mut years: BTreeMap<i64, u64> = BTreeMap::new();
    let mut venues: BTreeMap<String, u64> = BTreeMap::new();
    let mut types: BTreeMap<String, u64> = BTreeMap::new();
    for f in parts {
        for c in f.years {
            if let Ok(y) = c.value.parse::<i64>() {
                *years.entry(y).or_default() += c.count;
            }
        }
        for c in f.venues {
            *venues.entry(c.value).or_default() += c.count;
        }
        for c in f.types {
            *types.entry(c.value).or_default() += c.count;
        }
    }
    crate::facets::Counts {
        years: years.into_iter().collect(),
        venues: venues.into_iter().collect(),
        types: types.into_iter().collect(),
    }
    .into_facets(FACET_TOP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_model::{Authorship, Work};

    fn index(works: &[(i64, &str, &str)]) -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut writer = index.writer().unwrap();
        for (key, title, author) in works {
            let mut w = Work::new(format!("x:{key}"), *title);
            w.authors.push(Authorship::at(1, *author));
            w.year = Some(2000 + *key as i32);
            writer.put(*key, &w, false).unwrap();
        }
        writer.commit(1).unwrap();
        index.reload().unwrap();
        (dir, index)
    }

    const WORKS: [(i64, &str, &str); 6] = [
        (1, "Graph learning at scale", "Ada Li"),
        (2, "Learning to rank with graphs", "Bo Chen"),
        (3, "Query processing", "Ada Li"),
        (4, "Scale-free graph models", "Cy Park"),
        (5, "Learning learning learning", "Bo Chen"),
        (6, "Databases", "Di Wu"),
    ];

    /// Two shards ranked with summed statistics score every work exactly as one index does, though each
    /// shard's own statistics differ.
    #[test]
    fn shards_with_global_statistics_score_as_one_index() {
        let (_a, one) = index(&WORKS);
        let (_b, left) = index(&WORKS[..3]);
        let (_c, right) = index(&WORKS[3..]);
        for q in ["learning", "graph learning", "graph OR databases", "\"graph learning\"", "author:li learning"] {
            let mut req = SearchRequest::query(q);
            req.limit = 10;
            req.facets = true;
            let whole = one.search(&req).unwrap();
            let preps = [left.shard_prepare(&req).unwrap(), right.shard_prepare(&req).unwrap()];
            let plan = Plan::first(&preps);
            assert_eq!(plan, Plan::Exact, "{q}");
            let mut stats = TermStats::default();
            for p in &preps {
                stats.add(&p.stats);
            }
            let parts = [
                left.shard_search(&req, plan, &stats, 10).unwrap(),
                right.shard_search(&req, plan, &stats, 10).unwrap(),
            ];
            let total: u64 = parts.iter().map(|p| p.total).sum();
            assert_eq!(total as usize, whole.total, "{q}");
            let mut merged: Vec<(i64, f32)> =
                parts.iter().flat_map(|p| p.hits.iter().map(|h| (h.key, h.score))).collect();
            merged.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut expected: Vec<(i64, f32)> = whole.hits.iter().map(|h| (h.key, h.score)).collect();
            expected.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            assert_eq!(merged, expected, "{q}");
            let facets = merge_facets(parts.into_iter().filter_map(|p| p.facets));
            assert_eq!(Some(facets), whole.facets, "{q}");
            // With its own statistics alone a shard scores differently: the test would notice a root that
            // forgot to send them.
            if q == "learning" {
                let own = left.shard_search(&req, plan, &preps[0].stats, 10).unwrap();
                assert_ne!(own.hits[0].score, merged.iter().find(|h| h.0 == own.hits[0].key).unwrap().1);
            }
        }
    }

    #[test]
    fn the_plan_follows_the_global_counts() {
        let prep = |plain_words, long_word| ShardPrep { plain_words, long_word, stats: TermStats::default() };
        let long = [prep(None, true), prep(None, true)];
        assert_eq!((Plan::first(&long), Plan::fallback(&long, 3)), (Plan::Exact, None));
        assert_eq!(Plan::fallback(&long, 0), Some(Plan::Fuzzy));
        // No long word, or a query that contradicts itself.
        assert_eq!(Plan::fallback(&[prep(None, false)], 0), None);
        let plain = [prep(Some(4), true), prep(Some(4), true)];
        assert_eq!((Plan::first(&plain), Plan::fallback(&plain, 1)), (Plan::Exact, None));
        assert_eq!(Plan::fallback(&plain, 0), Some(Plan::Lenient));
        assert_eq!(Plan::first(&[prep(Some(crate::LONG_QUERY_WORDS), false)]), Plan::Lenient);
    }

    /// A typo search widens the words no shard has, and only those: "graphs" is on the left shard alone, so the
    /// right one must not widen it to the "graph" of its "Scale-free graph models".
    #[test]
    fn shards_widen_the_words_unknown_everywhere() {
        let (_a, one) = index(&WORKS);
        let (_b, left) = index(&WORKS[..3]);
        let (_c, right) = index(&WORKS[3..]);
        for (q, want) in [("modelz graphs", vec![]), ("modelz graph", vec![4])] {
            let req = SearchRequest::query(q);
            let whole = one.search(&req).unwrap();
            assert_eq!(whole.hits.iter().map(|h| h.key).collect::<Vec<_>>(), want, "{q}");
            let preps = [left.shard_prepare(&req).unwrap(), right.shard_prepare(&req).unwrap()];
            assert_eq!(Plan::fallback(&preps, 0), Some(Plan::Fuzzy), "{q}");
            let mut stats = TermStats::default();
            for p in &preps {
                stats.add(&p.stats);
            }
            let keys: Vec<i64> = [&left, &right]
                .iter()
                .flat_map(|s| s.shard_search(&req, Plan::Fuzzy, &stats, 10).unwrap().hits)
                .map(|h| h.key)
                .collect();
            assert_eq!(keys, want, "{q}");
        }
    }
}
