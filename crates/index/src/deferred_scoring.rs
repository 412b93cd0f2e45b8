//! Deferred scoring: an unfielded word or phrase is matched in any default field without scoring, and only the
//! documents the whole query matches are scored, as the weighted sum of the word's per-field BM25 scores.
//!
//! The same word in four fields used to be a union of four scored posting lists, and a query of several words
//! an intersection of such unions: every seek of the intersection re-buffered four lists, and every document
//! of an alternative (OR) was scored. Now the whole boolean match runs on unscored lists (a word that an
//! intersection seeks into is a [`FieldsUnionQuery`], which moves only when asked); the per-field scorers are
//! only moved, forward, to the documents the whole query matches, so ranking is unchanged.

use crate::count::{CountPlan, PlannedCountWeight};
use crate::shared_weight::SharedWeight;
use std::sync::Arc;
use tantivy::query::{
    BooleanQuery, BooleanWeight, BoostWeight, EnableScoring, Explanation, Occur, Query, QueryClone, Scorer,
    SumCombiner, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

#[derive(Debug)]
pub(crate) struct DeferredScoreQuery {
    /// The word or phrase in any default field, unscored: decides which documents match.
    matcher: Box<dyn Query>,
    /// The same on each default field, with its weight: decides the score.
    scored: Vec<(Box<dyn Query>, Score)>,
    /// Walk the scored words' union with pruning for a top k (see [`DeferredScoreQuery::prunes`]).
    wand: bool,
    /// How to count the matches straight from the posting lists, where the query's shape allows.
    count: Option<CountPlan>,
    /// The matcher admits exactly the documents of the scored words' union (alternatives, nothing excluded or
    /// filtered), so a pruned walk of the union need not ask it.
    union_matches: bool,
}

impl DeferredScoreQuery {
    pub(crate) fn new(matcher: Box<dyn Query>, scored: Vec<(Box<dyn Query>, Score)>) -> Self {
        DeferredScoreQuery { matcher, scored, wand: false, count: None, union_matches: false }
    }

    /// Marks a query whose matches need only one of its scored words (a word, alternatives, exclusions): its
    /// top k is best found by walking the words' union with pruning. Where two words are both required the
    /// intersection is narrower than any union, and matching it first stays faster.
    /// `union_matches`: nothing is excluded (see [`DeferredScoreQuery::union_matches`]).
    pub(crate) fn alternatives(self, count: Option<CountPlan>, union_matches: bool) -> Self {
        DeferredScoreQuery { wand: true, count, union_matches, ..self }
    }

    /// The same query, matching only where `filter` matches too (filters never score).
    pub(crate) fn restricted(self, filter: Vec<Box<dyn Query>>) -> Self {
        let mut clauses = vec![(Occur::Must, self.matcher)];
        clauses.extend(filter.into_iter().map(|q| (Occur::Must, q)));
        DeferredScoreQuery { matcher: Box::new(BooleanQuery::new(clauses)), count: None, union_matches: false, ..self }
    }

    /// True when a top-k can skip documents that cannot make it (block-max WAND over the scored words'
    /// per-field lists): every scored part is a single word, so the score is a plain sum of term scores.
    pub(crate) fn prunes(&self) -> bool {
        self.wand && !self.scored.is_empty() && self.scored.iter().all(|(q, _)| q.downcast_ref::<TermQuery>().is_some())
    }
}

impl Clone for DeferredScoreQuery {
    fn clone(&self) -> Self {
        let scored = self.scored.iter().map(|(q, w)| (q.box_clone(), *w)).collect();
        DeferredScoreQuery { matcher: self.matcher.box_clone(), scored, count: self.count.clone(), ..*self }
    }
}

impl Query for DeferredScoreQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // The matcher's own score is never used: without scoring it reads no frequencies or norms. The searcher
        // goes along: a walked phrase reads its words' lists in order where they are dense (`phrases.rs`).
        let unscored = match scoring.searcher() {
            Some(searcher) => EnableScoring::disabled_from_searcher(searcher),
            None => EnableScoring::disabled_from_schema(scoring.schema()),
        };
        let matcher = self.matcher.weight(unscored)?;
        if !scoring.is_scoring_enabled() {
            return Ok(match &self.count {
                Some(plan) => Box::new(PlannedCountWeight::new(matcher, plan.clone())),
                None => matcher,
            });
        }
        if self.prunes() {
            let shared = self
                .scored
                .iter()
                .map(|(q, w)| Ok((SharedWeight(Arc::from(q.weight(scoring)?)), *w)))
                .collect::<tantivy::Result<Vec<_>>>()?;
            let union = Some(scored_union(&shared));
            let scored = shared.into_iter().map(|(s, w)| (Box::new(s) as Box<dyn Weight>, w)).collect();
            return Ok(Box::new(DeferredScoreWeight { matcher, scored, union, union_matches: self.union_matches }));
        }
        let scored = self.scored.iter().map(|(q, w)| Ok((q.weight(scoring)?, *w))).collect::<tantivy::Result<_>>()?;
        Ok(Box::new(DeferredScoreWeight { matcher, scored, union: None, union_matches: self.union_matches }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (q, _) in &self.scored {
            q.query_terms(visitor);
        }
    }
}

/// The scored words' per-field lists as one weighted union: the score of every document the matcher admits,
/// and of more (a union is wider than any and/or/not of the same words). What `BooleanQuery` of `BoostQuery`s
/// would build, over weights shared with the exact scorers.
fn scored_union(scored: &[(SharedWeight, Score)]) -> Box<dyn Weight> {
    let clauses = scored.iter().map(|(s, w)| {
        let boosted: Box<dyn Weight> = Box::new(BoostWeight::new(Box::new(s.clone()), *w));
        (Occur::Should, boosted)
    });
    Box::new(BooleanWeight::with_minimum_number_should_match(
        clauses.collect(),
        1,
        true,
        Box::new(SumCombiner::default),
    ))
}

struct DeferredScoreWeight {
    matcher: Box<dyn Weight>,
    scored: Vec<(Box<dyn Weight>, Score)>,
    /// See [`scored_union`]; only where it [prunes](DeferredScoreQuery::prunes).
    union: Option<Box<dyn Weight>>,
    union_matches: bool,
}

impl Weight for DeferredScoreWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let matcher = self.matcher.scorer(reader, 1.0)?;
        let scored =
            self.scored.iter().map(|(w, f)| w.scorer(reader, boost * f)).collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(DeferredScoreScorer { matcher, scored }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document {doc} does not match")));
        }
        let mut e = Explanation::new("sum of the weighted per-field scores", scorer.score());
        for (w, f) in &self.scored {
            if let Ok(mut detail) = w.explain(reader, doc) {
                detail.add_const("field weight", *f);
                e.add_detail(detail);
            }
        }
        Ok(e)
    }

    /// Top-k without scoring every match: tantivy's block-max WAND walks the scored union, skipping blocks
    /// whose best possible score cannot beat the k-th so far, and offers its candidates in document order;
    /// the matcher, moved forward only, keeps those the query matches. A kept candidate is scored again as
    /// [`DeferredScoreScorer`] scores it (fields in a fixed order), so scores and ties are exactly those of
    /// the plain pass; WAND's own sum may differ in the last bit.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(union) = &self.union else {
            let mut scorer = self.scorer(reader, 1.0)?;
            let mut threshold = threshold;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                let score = scorer.score();
                if score > threshold {
                    threshold = callback(doc, score);
                }
                doc = scorer.advance();
            }
            return Ok(());
        };
        let mut matcher = if self.union_matches { None } else { Some(self.matcher.scorer(reader, 1.0)?) };
        let mut scored = self.scored.iter().map(|(w, f)| w.scorer(reader, *f)).collect::<tantivy::Result<Vec<_>>>()?;
        let mut current = threshold;
        // WAND offers a document only when its own sum beats the threshold, and it adds the same terms in
        // another order, a few units in the last place apart: it is given a threshold a little lower, and the
        // exact score decides.
        let slack = |t: Score| t - t.abs() * 1e-5;
        union.for_each_pruning(slack(threshold), reader, &mut |doc, _| {
            if let Some(m) = &mut matcher {
                if m.doc() < doc {
                    m.seek(doc);
                }
                if m.doc() != doc {
                    return slack(current);
                }
            }
            let score = score_at(&mut scored, doc);
            if score > current {
                current = callback(doc, score);
            }
            slack(current)
        })
    }
}

/// The sum of the per-field scores at `doc`, fields in their fixed order; asked in increasing document order,
/// so each field's list only moves forward.
fn score_at(scored: &mut [Box<dyn Scorer>], doc: DocId) -> Score {
    let mut total = 0.0;
    for s in scored {
        if s.doc() < doc {
            s.seek(doc);
        }
        if s.doc() == doc {
            total += s.score();
        }
    }
    total
}

struct DeferredScoreScorer {
    matcher: Box<dyn Scorer>,
    scored: Vec<Box<dyn Scorer>>,
}

impl DocSet for DeferredScoreScorer {
    fn advance(&mut self) -> DocId {
        self.matcher.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.matcher.seek(target)
    }

    fn doc(&self) -> DocId {
        self.matcher.doc()
    }

    fn size_hint(&self) -> u32 {
        self.matcher.size_hint()
    }

    fn cost(&self) -> u64 {
        self.matcher.cost()
    }
}

impl Scorer for DeferredScoreScorer {
    fn score(&mut self) -> Score {
        score_at(&mut self.scored, self.matcher.doc())
    }
}

/// A word or phrase in any of several fields, for matching only: the smallest next document of the fields'
/// lists. tantivy's union buffers a window of documents ahead, which pays off when it is walked but not when an
/// intersection with a rarer word seeks into it, the usual case here: each seek refilled the window.
#[derive(Debug)]
pub(crate) struct FieldsUnionQuery {
    /// One query a field, matched without scoring.
    each: Vec<Box<dyn Query>>,
}

impl FieldsUnionQuery {
    /// A word: its term in each field.
    pub(crate) fn new(terms: Vec<Term>) -> Self {
        let each = terms.into_iter().map(|t| Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as _).collect();
        FieldsUnionQuery { each }
    }

    /// Any query in each field (a phrase, say).
    pub(crate) fn of(each: Vec<Box<dyn Query>>) -> Self {
        FieldsUnionQuery { each }
    }
}

impl Clone for FieldsUnionQuery {
    fn clone(&self) -> Self {
        FieldsUnionQuery { each: self.each.iter().map(|q| q.box_clone()).collect() }
    }
}

impl Query for FieldsUnionQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let unscored = EnableScoring::disabled_from_schema(scoring.schema());
        let lists = self.each.iter().map(|q| q.weight(unscored)).collect::<tantivy::Result<_>>()?;
        Ok(Box::new(FieldsUnionWeight { lists }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for q in &self.each {
            q.query_terms(visitor);
        }
    }
}

struct FieldsUnionWeight {
    lists: Vec<Box<dyn Weight>>,
}

impl Weight for FieldsUnionWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let lists = self.lists.iter().map(|w| w.scorer(reader, 1.0)).collect::<tantivy::Result<_>>()?;
        Ok(Box::new(MinUnion::new(lists)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document {doc} does not match")));
        }
        Ok(Explanation::new("matched in one of the fields", 1.0))
    }
}

pub(crate) struct MinUnion {
    lists: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl MinUnion {
    /// The union of `lists` (empty ones dropped), on its first document.
    pub(crate) fn new(lists: Vec<Box<dyn Scorer>>) -> Self {
        let mut union = MinUnion { lists, doc: TERMINATED };
        union.settle();
        union
    }

    /// Adds to `total` the score of each list on the current document, in the lists' order.
    pub(crate) fn add_scores(&mut self, total: &mut Score) {
        let doc = self.doc;
        for s in &mut self.lists {
            if s.doc() == doc {
                *total += s.score();
            }
        }
    }

    fn settle(&mut self) -> DocId {
        self.lists.retain(|s| s.doc() != TERMINATED);
        self.doc = self.lists.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for MinUnion {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for s in &mut self.lists {
            if s.doc() == current {
                s.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for s in &mut self.lists {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.lists.iter().map(|s| s.size_hint()).fold(0u32, u32::saturating_add)
    }

    fn cost(&self) -> u64 {
        self.lists.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for MinUnion {
    fn score(&mut self) -> Score {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::DeferredScoreQuery;
    use crate::resolve::Resolver;
    use crate::{SearchIndex, SearchRequest};
    use arrow_model::{Authorship, Work};
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, QueryClone, TermQuery};
    use tantivy::schema::{Field, IndexRecordOption};
    use tantivy::Term;

    fn work(id: &str, title: &str, abstract_text: &str, authors: &[&str], venue: &str) -> Work {
        let mut w = Work::new(id, title);
        w.abstract_text = (!abstract_text.is_empty()).then(|| abstract_text.to_string());
        w.authors = authors.iter().enumerate().map(|(i, a)| Authorship::at(i as u32 + 1, *a)).collect();
        w.venue = (!venue.is_empty()).then(|| venue.to_string());
        w
    }

    fn index(works: &[Work]) -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut writer = index.writer().unwrap();
        for (i, w) in works.iter().enumerate() {
            writer.put(i as i64, w, false).unwrap();
        }
        writer.commit(1).unwrap();
        index.reload().unwrap();
        (dir, index)
    }

    fn corpus() -> Vec<Work> {
        vec![
            work("a", "Deep learning for graphs", "We learn graphs deeply.", &["Ada Graph"], "NeurIPS"),
            work("b", "Graph databases", "", &["Learning Deep"], "VLDB"),
            work("c", "Systems", "deep learning systems and graph systems", &["Bo Li"], "Graph Learning Workshop"),
            work("d", "Learning", "", &["Deep Graph"], ""),
            work("e", "Unrelated", "nothing here", &["No One"], "Misc"),
        ]
    }

    #[test]
    fn matches_and_scores_like_the_union_of_the_weighted_fields() {
        let (_dir, index) = index(&corpus());
        let f = index.fields;
        let searcher = index.reader.searcher();
        let weighted = [(f.title, 2.0), (f.authors, 1.5), (f.abstract_text, 1.0), (f.venue, 1.0)];
        let term = |field: Field, word: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs))
        };
        let phrase = |field: Field, words: &[&str]| -> Box<dyn Query> {
            Box::new(PhraseQuery::new(words.iter().map(|w| Term::from_field_text(field, w)).collect()))
        };
        for words in [vec!["deep"], vec!["graph"], vec!["deep", "learning"], vec!["learning", "deep"]] {
            let on = |field: Field| if words.len() == 1 { term(field, words[0]) } else { phrase(field, &words) };
            let union: Vec<(Occur, Box<dyn Query>)> =
                weighted.iter().map(|(fl, w)| (Occur::Should, Box::new(BoostQuery::new(on(*fl), *w)) as _)).collect();
            let old = BooleanQuery::new(union);
            let matcher: Box<dyn Query> = if words.len() == 1 {
                Box::new(super::FieldsUnionQuery::new(
                    weighted.iter().map(|(fl, _)| Term::from_field_text(*fl, words[0])).collect(),
                ))
            } else {
                Box::new(BooleanQuery::new(weighted.iter().map(|(fl, _)| (Occur::Should, on(*fl))).collect()))
            };
            let new = DeferredScoreQuery::new(matcher, weighted.iter().map(|(fl, w)| (on(*fl), *w)).collect());
            // Beside another word, as in a query of several words.
            let with = |q: Box<dyn Query>| -> Box<dyn Query> {
                Box::new(BooleanQuery::new(vec![(Occur::Must, q), (Occur::Should, term(f.title, "graphs"))]))
            };
            let (old, new): (Box<dyn Query>, Box<dyn Query>) = (Box::new(old), Box::new(new));
            let pairs = [(with(old.box_clone()), with(new.box_clone())), (old, new)];
            for (old, new) in pairs {
                let top = (TopDocs::with_limit(10).order_by_score(), Count);
                let (a, na) = searcher.search(old.as_ref(), &top).unwrap();
                let (b, nb) = searcher.search(new.as_ref(), &top).unwrap();
                assert_eq!(na, nb, "{words:?}");
                assert_eq!(a.len(), b.len(), "{words:?}");
                for ((sa, da), (sb, db)) in a.iter().zip(&b) {
                    assert_eq!(da, db, "{words:?}");
                    assert!((sa - sb).abs() < 1e-4, "{words:?}: {sa} vs {sb}");
                }
            }
        }
    }

    #[test]
    fn a_phrase_never_spans_two_fields_or_two_authors() {
        let (_dir, index) = index(&corpus());
        let total = |q: &str| index.search(&SearchRequest::query(q)).unwrap().total;
        assert_eq!(total("\"graphs ada\""), 0, "title end, first author");
        assert_eq!(total("\"graph learning\""), 1, "inside the venue of c only");
        assert_eq!(total("\"li graph\""), 0, "author, then venue");
        assert_eq!(total("graphs ada"), 1);
        assert_eq!(total("deep graph"), 4);
    }

    #[test]
    fn boolean_queries_match_and_score_like_per_field_unions() {
        let (_dir, index) = index(&corpus());
        let searcher = index.reader.searcher();
        let queries = [
            "deep OR graphs",
            "deep OR systems graph",
            "learning -systems",
            "\"deep learning\" OR databases",
            "graph -databases -misc",
            "deep OR -graph",
            "-deep",
            "learning (graph OR ada) -li",
            "author:deep learning OR systems",
            "deep deep",
        ];
        for fuzzy in [false, true] {
            for q in queries {
                let parsed = arrow_query::parse(q);
                let widen: Vec<String> = if fuzzy {
                    Resolver::new(index.fields).long_words(&parsed).into_iter().map(|(w, _)| w).collect()
                } else {
                    Vec::new()
                };
                let new = Resolver::widening(index.fields, &widen).resolve(&parsed).unwrap();
                let old = Resolver::per_field(index.fields, &widen).resolve(&parsed).unwrap();
                let top = (TopDocs::with_limit(10).order_by_score(), Count);
                let (a, na) = searcher.search(old.as_ref(), &top).unwrap();
                let (b, nb) = searcher.search(new.as_ref(), &top).unwrap();
                assert_eq!(na, nb, "{q}");
                assert!(na > 0, "{q} matches nothing");
                for ((sa, da), (sb, db)) in a.iter().zip(&b) {
                    assert_eq!(da, db, "{q}");
                    assert!((sa - sb).abs() < 1e-4, "{q}: {sa} vs {sb}");
                }
            }
        }
    }

    #[test]
    fn a_typo_search_widens_unknown_words_or_else_all_and_never_a_contradiction() {
        let (_dir, index) = index(&corpus());
        let search = |q: &str| index.search(&SearchRequest::query(q)).unwrap();
        // "grahps" is no word here: only it is widened ("learning" stays exact).
        let r = search("grahps learning");
        assert!(r.fuzzy);
        assert_eq!(r.hits.iter().map(|h| h.key).collect::<Vec<_>>(), [0]);
        // Both words exist but never meet: both are widened, and "graphs" finds the "Graph" of b.
        let r = search("graphs databases");
        assert!(r.fuzzy);
        assert_eq!(r.hits.iter().map(|h| h.key).collect::<Vec<_>>(), [1]);
        // Required and excluded at once: nothing, and no typo search.
        let r = search("+graphs databases -graphs");
        assert_eq!((r.total, r.fuzzy), (0, false));
    }

    #[test]
    fn year_facets_count_every_year_however_far_apart() {
        let mut works = corpus();
        works[0].year = Some(-70_000);
        works[1].year = Some(2020);
        works[2].year = Some(2020);
        let (_dir, index) = index(&works);
        let r =
            index.search(&SearchRequest { facets: true, ..SearchRequest::query("graph OR deep OR learning") }).unwrap();
        let years: Vec<(String, u64)> = r.facets.unwrap().years.into_iter().map(|y| (y.value, y.count)).collect();
        assert_eq!(years, [("-70000".to_string(), 1), ("2020".to_string(), 2)]);
    }

    /// A corpus where common words span many 128-document blocks, so block-max WAND really skips.
    fn zipf_corpus(n: usize) -> Vec<Work> {
        let vocab: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        (0..n)
            .map(|i| {
                // Word i/… by a rough Zipf law: the square of a uniform index favours small ones.
                let mut words = |len: usize| {
                    (0..len).map(|_| vocab[(next(20) * next(20)) % vocab.len()].clone()).collect::<Vec<_>>().join(" ")
                };
                let (title, abstract_text, author) = (words(3 + i % 5), words(i % 40), words(2));
                let venue = ["Alpha", "Beta w1", "Gamma"][i % 3];
                let mut w = work(&format!("z{i}"), &title, &abstract_text, &[&author], venue);
                w.year = Some(1990 + (i % 30) as i32);
                w
            })
            .collect()
    }

    #[test]
    fn pruned_top_k_equals_scoring_every_match() {
        let works = zipf_corpus(6_000);
        let (_dir, index) = index(&works);
        check_against_scoring_every_match(&index);
        let before = index.search(&SearchRequest::query("w0 -w1")).unwrap().total;
        // Deleted documents are neither counted nor listed.
        let mut writer = index.writer().unwrap();
        for key in (0..6_000).step_by(7) {
            writer.delete(key).unwrap();
        }
        writer.commit(2).unwrap();
        index.reload().unwrap();
        assert!(index.search(&SearchRequest::query("w0 -w1")).unwrap().total < before);
        check_against_scoring_every_match(&index);
    }

    /// Several segments: each segment's pruned walk starts from the k-th score of those before (`top.rs`), and
    /// on equal scores the earlier segment's work must still come first, as in tantivy's per-segment merge.
    #[test]
    fn pruned_top_k_over_several_segments_equals_scoring_every_match() {
        let works = zipf_corpus(6_000);
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        for (part, chunk) in works.chunks(2_000).enumerate() {
            let mut writer = index.writer().unwrap();
            for (i, w) in chunk.iter().enumerate() {
                writer.put((part * 2_000 + i) as i64, w, false).unwrap();
            }
            writer.commit(part as i64 + 1).unwrap();
        }
        index.reload().unwrap();
        assert!(index.reader.searcher().segment_readers().len() >= 3);
        check_against_scoring_every_match(&index);
    }

    fn check_against_scoring_every_match(index: &SearchIndex) {
        use crate::facets::FacetCollector;
        use crate::search::Filters;
        use arrow_query::YearRange;
        let searcher = index.reader.searcher();
        let columns = index.columns.of(&searcher).unwrap();
        let queries = [
            "w0",
            "w1",
            "w5",
            "w57",
            "w0 OR w1",
            "w2 OR w3 OR w40",
            "w0 -w1",
            "+w1 -w0 -w2",
            "w0 w1",
            "w3 w7 w0",
            "(w0 OR w4) -w2",
            "w0 w0",
            "alpha",
            "w1 OR alpha",
            "\"w0 w1\" w2",
            "w3 \"w1 w0\"",
        ];
        let filters = [
            Filters::default(),
            Filters { years: Some(YearRange { from: Some(2000), to: Some(2009) }), ..Filters::default() },
            Filters { venues: vec!["Gamma".into()], ..Filters::default() },
            // Venues of different sizes: a filter must not rank one above the other.
            Filters { venues: vec!["Alpha".into(), "Beta w1".into()], ..Filters::default() },
        ];
        let mut pruned = 0;
        for q in queries {
            for f in &filters {
                for (limit, offset) in [(10, 0), (50, 20)] {
                    let facets = limit == 10;
                    let req = SearchRequest { filters: f.clone(), limit, offset, facets, ..SearchRequest::query(q) };
                    let parsed = req.parsed();
                    let new = index.compile(&parsed, &req.filters, &[], &req.work_keys);
                    if new.downcast_ref::<DeferredScoreQuery>().is_some_and(DeferredScoreQuery::prunes) {
                        pruned += 1;
                    }
                    let got = index.search(&req).unwrap();
                    // The reference: per-field unions, every match scored in one pass with the count.
                    let old = index.filtered(f, Resolver::per_field(index.fields, &[]).resolve(&parsed).unwrap());
                    let top = (TopDocs::with_limit(limit).and_offset(offset).order_by_score(), Count, FacetCollector);
                    let (want, total, counts) = searcher.search(old.as_ref(), &top).unwrap();
                    if facets {
                        assert_eq!(got.facets, Some(counts.into_facets(crate::search::FACET_TOP)), "{q} {f:?}");
                    }
                    assert_eq!(got.total, total, "{q} {f:?}");
                    assert!(total > 0 || !f.is_empty(), "{q} matches nothing");
                    assert_eq!(got.hits.len(), want.len(), "{q} {f:?}");
                    for (hit, (score, addr)) in got.hits.iter().zip(&want) {
                        assert_eq!(Some(hit.key), columns.key(*addr), "{q} {f:?} {limit}/{offset}");
                        assert!((hit.score - score).abs() < 1e-4, "{q} {f:?}: {} vs {score}", hit.score);
                    }
                }
            }
        }
        assert!(pruned >= 60, "only {pruned} searches took the pruned path");
    }
}
