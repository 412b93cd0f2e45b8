//! Words that are all required: each word (or alternative of words) a union of its per-field lists, read with
//! frequencies, intersected, and every match scored from the lists already on it.
//!
//! [`crate::deferred_scoring`] matches such a query on lists without frequencies and then moves a second set of
//! per-field scorers to each match: twice the seeks for every match. Here one set of lists does both, and the
//! score is summed in the same order (words as typed, fields in their fixed order), so it is bit for bit the
//! score the deferred query gives.

use crate::deferred_scoring::MinUnion;
use crate::fields::norms;
use crate::windowed::{self, Group, List};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, QueryClone, Scorer, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// Every group required, none of `excluded`, and every filter.
#[derive(Debug)]
pub(crate) struct ConjunctionQuery {
    /// A required word, or alternatives of words: terms in any field, each with its field's weight.
    groups: Vec<Vec<(Term, Score)>>,
    excluded: Vec<Term>,
    filters: Vec<Box<dyn Query>>,
    /// Tests only: intersect in windows (`Some(true)`) or by seeking (`Some(false)`) whatever the lists.
    windows: Option<bool>,
}

impl ConjunctionQuery {
    pub(crate) fn new(groups: Vec<Vec<(Term, Score)>>, excluded: Vec<Term>) -> Self {
        ConjunctionQuery { groups, excluded, filters: Vec::new(), windows: None }
    }

    #[cfg(test)]
    fn windows(mut self, windows: bool) -> Self {
        self.windows = Some(windows);
        self
    }

    /// The same query, matching only where `filters` match too (filters never score).
    pub(crate) fn restricted(mut self, filters: Vec<Box<dyn Query>>) -> Self {
        self.filters.extend(filters);
        self
    }
}

impl Clone for ConjunctionQuery {
    fn clone(&self) -> Self {
        ConjunctionQuery {
            groups: self.groups.clone(),
            excluded: self.excluded.clone(),
            filters: self.filters.iter().map(|q| q.box_clone()).collect(),
            windows: self.windows,
        }
    }
}

impl Query for ConjunctionQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let unscored = EnableScoring::disabled_from_schema(scoring.schema());
        // Each term's document frequency is looked up once, for its weight and for choosing how to intersect
        // (a term query's weight would look it up again, and its scorer a third time).
        let docs = match scoring {
            EnableScoring::Enabled { statistics_provider, .. } => statistics_provider.total_num_docs()?,
            EnableScoring::Disabled { searcher_opt, .. } => searcher_opt.map_or(0, |s| s.num_docs()),
        };
        let mut terms = Vec::with_capacity(self.groups.len());
        let mut costs = Vec::with_capacity(self.groups.len());
        for group in &self.groups {
            let mut weighted = Vec::with_capacity(group.len());
            let mut cost = 0;
            for (term, boost) in group {
                let bm25 = match scoring {
                    EnableScoring::Enabled { statistics_provider: stats, .. } => {
                        let doc_freq = stats.doc_freq(term)?;
                        cost += doc_freq;
                        // What `Bm25Weight::for_terms` computes for one term.
                        let average = stats.total_num_tokens(term.field())? as Score / docs as Score;
                        Some(Bm25Weight::for_one_term_without_explain(doc_freq, docs, average))
                    }
                    EnableScoring::Disabled { searcher_opt, .. } => {
                        cost += searcher_opt.map(|s| s.doc_freq(term)).transpose()?.unwrap_or(0);
                        None
                    }
                };
                weighted.push(Weighted { term: term.clone(), bm25, boost: *boost });
            }
            terms.push(weighted);
            costs.push(cost);
        }
        let windowed = self.windows.unwrap_or_else(|| dense(&costs, docs));
        let excluded = self
            .excluded
            .iter()
            .map(|t| TermQuery::new(t.clone(), IndexRecordOption::Basic).weight(unscored))
            .collect::<tantivy::Result<_>>()?;
        let filters = self.filters.iter().map(|q| q.weight(unscored)).collect::<tantivy::Result<_>>()?;
        Ok(Box::new(ConjunctionWeight { terms, windowed, excluded, filters }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in self.groups.iter().flatten() {
            visitor(term, false);
        }
    }
}

/// A term in one field, with its BM25 weight (`None` without scoring) and its field's boost.
struct Weighted {
    term: Term,
    bm25: Option<Bm25Weight>,
    boost: Score,
}

struct ConjunctionWeight {
    /// Each group's terms.
    terms: Vec<Vec<Weighted>>,
    /// Whether matches are found by [`windowed`] rather than by seeking from the rarest word.
    windowed: bool,
    excluded: Vec<Box<dyn Weight>>,
    filters: Vec<Box<dyn Weight>>,
}

/// Whether words of these document frequencies (summed over their fields) are intersected faster in windows
/// than by seeking. Windows pay for every posting of every word in the windows read, and a little for each
/// window; seeking pays for each document of the rarest word, once per list of every other word. So windows
/// when the rarest word is dense (at least one document in [`DENSE_EVERY`]) and not much rarer than the others
/// together (at least one [`DENSE_SHARE`]th of their postings).
pub(crate) fn dense(costs: &[u64], docs: u64) -> bool {
    let rarest = costs.iter().copied().min().unwrap_or(0);
    let others = costs.iter().sum::<u64>() - rarest;
    costs.len() > 1 && rarest.saturating_mul(DENSE_EVERY) >= docs && rarest.saturating_mul(DENSE_SHARE) >= others
}

// Chosen on `bench/queries-shapes.txt` (1.46M works) among 64, 256, 1024 and never × 8 and 32: two-word p99
// 740, 396 (256 × 32), 418, 410 µs; the medians moved by less than 2 µs except without the density test.
const DENSE_EVERY: u64 = 256;
const DENSE_SHARE: u64 = 32;

impl ConjunctionWeight {
    /// The groups' lists for a windowed intersection.
    fn windowed_groups(&self, reader: &SegmentReader, scored: bool) -> tantivy::Result<Vec<Group>> {
        let mut groups = Vec::with_capacity(self.terms.len());
        for terms in &self.terms {
            let mut lists = Vec::with_capacity(terms.len());
            for t in terms {
                let weight = t.bm25.as_ref().filter(|_| scored).map(|w| w.boost_by(t.boost));
                lists.extend(List::open(reader, &t.term, weight)?);
            }
            groups.push(Group::new(lists));
        }
        Ok(groups)
    }

    /// Every match in order with its score (0 when `scored` is false), whichever way costs less.
    fn matches(
        &self,
        reader: &SegmentReader,
        scored: bool,
        callback: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        if !self.windowed {
            let mut scorer = self.scorer(reader, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                callback(doc, if scored { scorer.score() } else { 0.0 });
                doc = scorer.advance();
            }
            return Ok(());
        }
        let mut groups = self.windowed_groups(reader, scored)?;
        let mut excluded =
            MinUnion::new(self.excluded.iter().map(|w| w.scorer(reader, 1.0)).collect::<tantivy::Result<_>>()?);
        let mut filters = self.filters.iter().map(|w| w.scorer(reader, 1.0)).collect::<tantivy::Result<Vec<_>>>()?;
        windowed::for_each(&mut groups, &mut filters, &mut excluded, callback);
        Ok(())
    }
}

impl Weight for ConjunctionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut groups = Vec::with_capacity(self.terms.len());
        for terms in &self.terms {
            let mut lists: Vec<Box<dyn Scorer>> = Vec::with_capacity(terms.len());
            for t in terms {
                let weight = t.bm25.as_ref().map(|w| w.boost_by(boost * t.boost));
                if let Some(list) = TermList::open(reader, &t.term, weight)? {
                    lists.push(Box::new(list));
                }
            }
            groups.push(MinUnion::new(lists));
        }
        let excluded = self.excluded.iter().map(|w| w.scorer(reader, 1.0)).collect::<tantivy::Result<_>>()?;
        let filters = self.filters.iter().map(|w| w.scorer(reader, 1.0)).collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(ConjunctionScorer::new(groups, MinUnion::new(excluded), filters)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document {doc} does not match")));
        }
        Ok(Explanation::new("sum of the required words' weighted per-field scores", scorer.score()))
    }

    fn for_each(&self, reader: &SegmentReader, callback: &mut dyn FnMut(DocId, Score)) -> tantivy::Result<()> {
        self.matches(reader, true, callback)
    }

    fn for_each_no_score(&self, reader: &SegmentReader, callback: &mut dyn FnMut(&[DocId])) -> tantivy::Result<()> {
        let mut buffer = Vec::with_capacity(64);
        self.matches(reader, false, &mut |doc, _| {
            buffer.push(doc);
            if buffer.len() == 64 {
                callback(&buffer);
                buffer.clear();
            }
        })?;
        if !buffer.is_empty() {
            callback(&buffer);
        }
        Ok(())
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        let alive = reader.alive_bitset();
        let mut count = 0;
        self.matches(reader, false, &mut |doc, _| {
            count += u32::from(alive.is_none_or(|a| a.is_alive(doc)));
        })?;
        Ok(count)
    }
}

struct ConjunctionScorer {
    /// In the query's order: the order scores are summed in.
    groups: Vec<MinUnion>,
    /// The group with the fewest documents, which the others are sought to.
    driver: usize,
    excluded: MinUnion,
    filters: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl ConjunctionScorer {
    fn new(groups: Vec<MinUnion>, excluded: MinUnion, filters: Vec<Box<dyn Scorer>>) -> Self {
        let driver = (0..groups.len()).min_by_key(|&i| groups[i].cost()).unwrap_or(0);
        let mut scorer = ConjunctionScorer { groups, driver, excluded, filters, doc: TERMINATED };
        let first = scorer.groups.get(scorer.driver).map_or(TERMINATED, |g| g.doc());
        scorer.doc = scorer.align(first);
        scorer
    }

    /// The first document at or after `target` that every group and filter has and no excluded word does.
    fn align(&mut self, mut target: DocId) -> DocId {
        if self.groups.is_empty() {
            return TERMINATED;
        }
        'candidate: loop {
            target = forward(&mut self.groups[self.driver], target);
            if target == TERMINATED {
                return TERMINATED;
            }
            for i in 0..self.groups.len() {
                let d = forward(&mut self.groups[i], target);
                if d > target {
                    target = d;
                    continue 'candidate;
                }
            }
            for f in &mut self.filters {
                let d = forward(f.as_mut(), target);
                if d > target {
                    target = d;
                    continue 'candidate;
                }
            }
            if forward(&mut self.excluded, target) == target {
                target += 1;
                continue 'candidate;
            }
            return target;
        }
    }
}

/// Moves `set` to its first document at or after `target` (never backwards).
fn forward<D: DocSet + ?Sized>(set: &mut D, target: DocId) -> DocId {
    if set.doc() >= target {
        set.doc()
    } else {
        set.seek(target)
    }
}

impl DocSet for ConjunctionScorer {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.align(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target > self.doc {
            self.doc = self.align(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.groups.get(self.driver).map_or(0, |g| g.size_hint())
    }

    fn cost(&self) -> u64 {
        self.groups.get(self.driver).map_or(0, |g| g.cost())
    }
}

impl Scorer for ConjunctionScorer {
    fn score(&mut self) -> Score {
        let mut total = 0.0;
        for g in &mut self.groups {
            g.add_scores(&mut total);
        }
        total
    }
}

/// One term's list in one field, walked document by document: tantivy's term scorer, built from a weight
/// computed once for both ways of intersecting.
struct TermList {
    postings: SegmentPostings,
    scoring: Option<(FieldNormReader, Bm25Weight)>,
}

impl TermList {
    fn open(reader: &SegmentReader, term: &Term, weight: Option<Bm25Weight>) -> tantivy::Result<Option<TermList>> {
        let option = if weight.is_some() { IndexRecordOption::WithFreqs } else { IndexRecordOption::Basic };
        let Some(postings) = reader.inverted_index(term.field())?.read_postings(term, option)? else {
            return Ok(None);
        };
        let scoring = weight.map(|w| Ok::<_, tantivy::TantivyError>((norms(reader, term.field())?, w))).transpose()?;
        Ok(Some(TermList { postings, scoring }))
    }
}

impl DocSet for TermList {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }
}

impl Scorer for TermList {
    fn score(&mut self) -> Score {
        match &self.scoring {
            Some((norms, weight)) => weight.score(norms.fieldnorm_id(self.doc()), self.postings.term_freq()),
            None => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::resolve::Resolver;
    use crate::{Filters, SearchIndex};
    use arrow_model::{Authorship, Work};
    use tantivy::collector::{Count, TopDocs};

    /// 30,000 works over several segments, some replaced (deleted), whose words have every density from one
    /// work in two to one in a thousand: enough for many windows and both ways of intersecting.
    fn index() -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let vocab = ["data", "learning", "graph", "deep", "model", "query", "rare", "poker"];
        let every = [2u64, 3, 5, 9, 17, 40, 300, 1000];
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            seed >> 33
        };
        for batch in 0..3 {
            let mut writer = index.writer().unwrap();
            for i in 0..10_000i64 {
                let key = batch * 10_000 + i;
                let mut words = |n: usize| -> String {
                    let mut out = Vec::new();
                    for _ in 0..n {
                        for (w, e) in vocab.iter().zip(every) {
                            if next() % e == 0 {
                                out.push(*w);
                            }
                        }
                    }
                    out.join(" ")
                };
                let mut w = Work::new(format!("t:{key}"), format!("{} title", words(1)));
                w.abstract_text = Some(words(3));
                w.authors = vec![Authorship::at(1, format!("{} Author", words(1)))];
                w.venue = Some(format!("{} venue", words(1)));
                w.year = Some(1990 + (next() % 30) as i32);
                writer.put(key, &w, false).unwrap();
            }
            // Some works of the earlier batches written again: their first copies are deleted.
            for key in (0..batch * 10_000).step_by(7) {
                let w = Work::new(format!("t:{key}"), "data learning replaced");
                writer.put(key, &w, true).unwrap();
            }
            writer.commit(batch + 1).unwrap();
        }
        index.reload().unwrap();
        (dir, index)
    }

    #[test]
    fn windows_and_seeking_find_and_score_what_per_field_unions_do() {
        let (_dir, index) = index();
        let searcher = index.reader.searcher();
        assert!(searcher.segment_readers().len() > 1);
        assert!(searcher.segment_readers().iter().any(|r| r.alive_bitset().is_some()));
        let queries = [
            "data learning",
            "learning data",
            "data graph deep",
            "data rare",
            "poker data learning",
            "data learning -graph",
            "+data +model -query -deep",
            "(graph OR poker) data",
            "data data",
        ];
        let years =
            Filters { years: Some(arrow_query::YearRange { from: Some(2000), to: Some(2009) }), ..Default::default() };
        for q in queries {
            for filters in [Filters::default(), years.clone()] {
                let parsed = arrow_query::parse(q);
                let plain = index.filtered(&filters, Resolver::per_field(index.fields, &[]).resolve(&parsed).unwrap());
                let top = (TopDocs::with_limit(10).order_by_score(), Count);
                let (expected, total) = searcher.search(plain.as_ref(), &top).unwrap();
                assert!(total > 0, "{q}");
                let bits = |v: &[(f32, tantivy::DocAddress)]| -> Vec<(u32, tantivy::DocAddress)> {
                    v.iter().map(|(s, d)| (s.to_bits(), *d)).collect()
                };
                let mut ways = Vec::new();
                for windows in [true, false] {
                    let conjunction = Resolver::new(index.fields).conjunction(&parsed).unwrap().windows(windows);
                    let query = index.filtered(&filters, Box::new(conjunction));
                    let (found, n) = searcher.search(query.as_ref(), &top).unwrap();
                    assert_eq!(n, total, "{q}, windows {windows}");
                    assert_eq!(searcher.search(query.as_ref(), &Count).unwrap(), total, "{q}, windows {windows}");
                    // The plain union sums the same per-field scores in another order: equal to rounding.
                    assert_eq!(found.len(), expected.len(), "{q}");
                    for ((a, da), (b, db)) in found.iter().zip(&expected) {
                        assert_eq!(da, db, "{q}, windows {windows}");
                        assert!((a - b).abs() < 1e-4, "{q}, windows {windows}: {a} vs {b}");
                    }
                    ways.push(bits(&found));
                }
                assert_eq!(ways[0], ways[1], "{q}: windows and seeking score alike, bit for bit");
            }
        }
    }

    #[test]
    fn common_words_are_intersected_in_windows_and_rare_ones_by_seeking() {
        let docs = 1_000_000;
        assert!(super::dense(&[48_000, 76_000], docs));
        assert!(!super::dense(&[1_000, 900], docs), "both rare");
        assert!(!super::dense(&[10_000, 800_000], docs), "one far rarer than the other");
        assert!(!super::dense(&[50_000], docs), "nothing to intersect");
    }
}
