//! Words that are all required: each word (or alternative of words) a union of its per-field lists, read with
//! frequencies, intersected, and every match scored from the lists already on it.
//!
//! [`crate::deferred_scoring`] matches such a query on lists without frequencies and then moves a second set of
//! per-field scorers to each match: twice the seeks for every match. Here one set of lists does both, and the
//! score is summed in the same order (words as typed, fields in their fixed order), so it is bit for bit the
//! score the deferred query gives.

use crate::deferred_scoring::MinUnion;
use tantivy::query::{EnableScoring, Explanation, Query, QueryClone, Scorer, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// Every group required, none of `excluded`, and every filter.
#[derive(Debug)]
pub(crate) struct ConjunctionQuery {
    /// A required word, or alternatives of words: terms in any field, each with its field's weight.
    groups: Vec<Vec<(Term, Score)>>,
    excluded: Vec<Term>,
    filters: Vec<Box<dyn Query>>,
}

impl ConjunctionQuery {
    pub(crate) fn new(groups: Vec<Vec<(Term, Score)>>, excluded: Vec<Term>) -> Self {
        ConjunctionQuery { groups, excluded, filters: Vec::new() }
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
        }
    }
}

impl Query for ConjunctionQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let unscored = EnableScoring::disabled_from_schema(scoring.schema());
        let option = if scoring.is_scoring_enabled() { IndexRecordOption::WithFreqs } else { IndexRecordOption::Basic };
        let mut groups = Vec::with_capacity(self.groups.len());
        for group in &self.groups {
            let mut lists = Vec::with_capacity(group.len());
            for (term, w) in group {
                lists.push((TermQuery::new(term.clone(), option).weight(scoring)?, *w));
            }
            groups.push(lists);
        }
        let excluded = self
            .excluded
            .iter()
            .map(|t| TermQuery::new(t.clone(), IndexRecordOption::Basic).weight(unscored))
            .collect::<tantivy::Result<_>>()?;
        let filters = self.filters.iter().map(|q| q.weight(unscored)).collect::<tantivy::Result<_>>()?;
        Ok(Box::new(ConjunctionWeight { groups, excluded, filters }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in self.groups.iter().flatten() {
            visitor(term, false);
        }
    }
}

struct ConjunctionWeight {
    groups: Vec<Vec<(Box<dyn Weight>, Score)>>,
    excluded: Vec<Box<dyn Weight>>,
    filters: Vec<Box<dyn Weight>>,
}

impl Weight for ConjunctionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut groups = Vec::with_capacity(self.groups.len());
        for group in &self.groups {
            let lists = group.iter().map(|(w, f)| w.scorer(reader, boost * f)).collect::<tantivy::Result<_>>()?;
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
