//! Turns the query language's syntax tree into a tantivy query over this index's fields.

use crate::conjunction::ConjunctionQuery;
use crate::count::CountPlan;
use crate::deferred_scoring::{DeferredScoreQuery, FieldsUnionQuery};
use crate::fields::{analyzer, Fields};
use crate::phrases::Phrase;
use crate::typo::OneEditQuery;
use crate::venues::VenuePhrase;
use crate::WorkKeys;
use arrow_query::{Field as QField, IdKind, Query};
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

/// Words this long or longer may match with one edit when fuzzy matching is on.
pub(crate) const FUZZY_MIN_CHARS: usize = 5;

pub(crate) struct Resolver {
    fields: Fields,
    analyzer: TextAnalyzer,
    /// Long words (tokens) to widen to their one-edit matches (see `SearchIndex::typo_words`); empty: none.
    widen: Vec<String>,
    /// Match unfielded words once, scoring only the final matches (off only to test it against per-field unions).
    combined: bool,
    /// The word being resolved will be walked from document to document (alone, or one side of an OR) rather
    /// than sought into by a rarer word beside it: see [`FieldsUnionQuery`].
    walked: bool,
    /// The works `id:` clauses name (see [`crate::SearchRequest::work_keys`]).
    work_keys: WorkKeys,
}

/// A work named by its id outranks whatever its id's pieces match as words.
const NAMED_WORK_SCORE: f32 = 1000.0;

impl Resolver {
    pub(crate) fn new(fields: Fields) -> Self {
        Resolver::widening(fields, &[])
    }

    /// Widens `words` (tokens) to their one-edit matches.
    pub(crate) fn widening(fields: Fields, words: &[String]) -> Self {
        Resolver {
            fields,
            analyzer: analyzer(),
            widen: words.to_vec(),
            combined: true,
            walked: true,
            work_keys: WorkKeys::new(),
        }
    }

    pub(crate) fn with_work_keys(mut self, work_keys: &WorkKeys) -> Self {
        self.work_keys = work_keys.clone();
        self
    }

    /// The work with store key `key`, scored above any match of words.
    pub(crate) fn work(&self, key: i64) -> Box<dyn TQuery> {
        let term = TermQuery::new(Term::from_field_u64(self.fields.key, key as u64), IndexRecordOption::Basic);
        Box::new(ConstScoreQuery::new(Box::new(term), NAMED_WORK_SCORE))
    }

    /// The resolver before [`DeferredScoreQuery`]: unions of scored per-field queries (a reference for tests).
    #[cfg(test)]
    pub(crate) fn per_field(fields: Fields, widen: &[String]) -> Self {
        Resolver { combined: false, ..Resolver::widening(fields, widen) }
    }

    /// Field weights for unfielded words: a title match counts most, then authors (see README, Ranking).
    fn default_fields(&self) -> [(Field, f32); 4] {
        let f = &self.fields;
        [(f.title, 2.0), (f.authors, 1.5), (f.abstract_text, 1.0), (f.venue, 1.0)]
    }

    fn field(&self, f: QField) -> (Field, bool) {
        let fs = &self.fields;
        match f {
            QField::Title => (fs.title, true),
            QField::Abstract => (fs.abstract_text, true),
            QField::Author => (fs.authors, true),
            QField::Venue => (fs.venue, true),
            QField::Type => (fs.pub_type, false),
        }
    }

    /// The tokens of `text` under the shared analyzer.
    pub(crate) fn tokens(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = self.analyzer.token_stream(text);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// `None` when the query has nothing to match on (only punctuation, say).
    pub(crate) fn resolve(&mut self, q: &Query) -> Option<Box<dyn TQuery>> {
        let mut scored = Vec::new();
        if self.combined {
            if let Some(conjunction) = self.conjunction(q) {
                return Some(Box::new(conjunction));
            }
            if let Ok(matcher) = self.unfielded(q, &mut scored, false) {
                let (alternatives, excludes) = (alternatives(q), excludes(q));
                let phrases = scored.iter().any(|(q, _)| q.downcast_ref::<TermQuery>().is_none());
                if alternatives && !excludes && phrases {
                    // Phrases, or words and phrases, as alternatives: the matcher is exactly the union of the
                    // scored per-field queries, so deferring would check every phrase twice.
                    let union = scored.into_iter().map(|(q, w)| (Occur::Should, boosted(q, w))).collect();
                    return Some(Box::new(BooleanQuery::new(union)));
                }
                // The matcher walks; the scored per-field phrases are only sought to its matches.
                let scored = scored.into_iter().map(|(q, w)| (sought(q), w)).collect();
                let plan = alternatives.then(|| self.count_plan(q));
                return matcher.map(|m| {
                    let deferred = DeferredScoreQuery::new(m, scored);
                    Box::new(match plan {
                        Some(plan) => deferred.alternatives(plan, !excludes),
                        None => deferred,
                    }) as Box<dyn TQuery>
                });
            }
        }
        match q {
            Query::All => Some(Box::new(AllQuery)),
            Query::Word { field, text } | Query::Phrase { field, text } => self.text(*field, text),
            Query::Year(range) => {
                let bound = |y: Option<i32>, inclusive: bool| match y {
                    Some(y) if inclusive => Bound::Included(Term::from_field_i64(self.fields.year, i64::from(y))),
                    Some(y) => Bound::Excluded(Term::from_field_i64(self.fields.year, i64::from(y))),
                    None => Bound::Unbounded,
                };
                Some(Box::new(RangeQuery::new(bound(range.from, true), bound(range.to, true))))
            }
            Query::Id { kind, value } => {
                let (field, value) = match kind {
                    IdKind::Work => {
                        return Some(match self.work_keys.get(value) {
                            Some(&key) => self.work(key),
                            None => Box::new(tantivy::query::EmptyQuery),
                        })
                    }
                    IdKind::Doi => (self.fields.doi, arrow_model::Identifiers::clean_doi(value)),
                    IdKind::Arxiv => {
                        (self.fields.arxiv, arrow_model::Identifiers::clean_arxiv(value).map(|a| a.to_lowercase()))
                    }
                };
                // What is no DOI (`doi:10`) is no work's: nothing, not everything.
                let Some(value) = value else { return Some(Box::new(tantivy::query::EmptyQuery)) };
                Some(Box::new(TermQuery::new(Term::from_field_text(field, &value), IndexRecordOption::Basic)))
            }
            Query::And(children) => {
                let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
                for c in children {
                    self.walked = walked(children, Occur::Must, c);
                    match c {
                        Query::Not(inner) => {
                            if let Some(q) = self.resolve(inner) {
                                clauses.push((Occur::MustNot, q));
                            }
                        }
                        other => {
                            if let Some(q) = self.resolve(other) {
                                clauses.push((Occur::Must, q));
                            }
                        }
                    }
                }
                with_positive(clauses)
            }
            Query::Or(children) => {
                let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
                let parent = self.walked;
                for c in children {
                    self.walked = parent;
                    clauses.extend(self.resolve(c).map(|q| (Occur::Should, q)));
                }
                (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn TQuery>)
            }
            Query::Not(inner) => {
                self.walked = false;
                let q = self.resolve(inner)?;
                with_positive(vec![(Occur::MustNot, q)])
            }
        }
    }

    /// A tree of only unfielded words and phrases (under any and, or, not) as one [`DeferredScoreQuery`]: the
    /// whole boolean match runs without scoring (see [`Resolver::any_matcher`]), and the per-field scorers of its positive words
    /// (`scored`) are summed for the final matches only, which is what the unions of per-field queries
    /// summed. An alternative (OR) no longer scores every document of each side. `Err` for any other tree
    /// (fielded words, years, typo widening, a pure exclusion whose "everything" would score 1 per hit).
    fn unfielded(
        &mut self,
        q: &Query,
        scored: &mut Vec<(Box<dyn TQuery>, f32)>,
        negated: bool,
    ) -> Result<Option<Box<dyn TQuery>>, ()> {
        let clauses = |this: &mut Self, children: &[Query], scored: &mut Vec<_>, occur: Occur| {
            let mut out: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
            let parent = this.walked;
            for c in children {
                this.walked = parent && walked(children, occur, c);
                let (occur, q) = match c {
                    Query::Not(inner) => (Occur::MustNot, this.unfielded(inner, scored, true)?),
                    other => (occur, this.unfielded(other, scored, negated)?),
                };
                out.extend(q.map(|q| (occur, q)));
            }
            Ok(out)
        };
        match q {
            Query::Word { field: None, text } | Query::Phrase { field: None, text } => {
                let tokens = self.tokens(text);
                if tokens.is_empty() {
                    return Ok(None);
                }
                if self.widens(&tokens) {
                    return Err(());
                }
                if !negated {
                    for (f, w) in self.default_fields() {
                        scored.push((self.on_field(f, true, &tokens, false), w));
                    }
                }
                Ok(Some(self.any_matcher(&tokens)))
            }
            Query::And(children) => {
                let clauses = clauses(self, children, scored, Occur::Must)?;
                match clauses.len() {
                    0 => Ok(None),
                    _ if clauses.iter().all(|(o, _)| *o == Occur::MustNot) => Err(()),
                    1 => Ok(clauses.into_iter().next().map(|(_, q)| q)),
                    _ => Ok(Some(Box::new(BooleanQuery::new(clauses)))),
                }
            }
            Query::Or(children) => {
                if children.iter().any(|c| matches!(c, Query::Not(_))) {
                    return Err(());
                }
                let sought = !self.walked;
                let clauses = clauses(self, children, scored, Occur::Should)?;
                if clauses.is_empty() {
                    return Ok(None);
                }
                if sought {
                    // Sought into by an intersection: moved only when asked, as one word's fields are.
                    return Ok(Some(Box::new(FieldsUnionQuery::of(clauses.into_iter().map(|(_, q)| q).collect()))));
                }
                Ok(Some(Box::new(BooleanQuery::new(clauses))))
            }
            Query::Not(inner) => match self.unfielded(inner, scored, true)? {
                Some(_) => Err(()),
                None => Ok(None),
            },
            _ => Err(()),
        }
    }

    /// Words, or alternatives of words, with excluded words beside them: counted as the terms of any of the
    /// words in any default field, minus those of the excluded ones. `None` for any other shape.
    fn count_plan(&mut self, q: &Query) -> Option<CountPlan> {
        let (positive, excluded) = split_exclusions(q);
        let [positive] = positive[..] else { return None };
        let words: Vec<&Query> = match positive {
            Query::Or(children) => children.iter().collect(),
            word => vec![word],
        };
        let mut plan = CountPlan { any: Vec::new(), none: Vec::new() };
        for w in words {
            plan.any.extend(self.word_terms(w)?);
        }
        for w in excluded {
            plan.none.extend(self.word_terms(w)?);
        }
        Some(plan)
    }

    /// Two or more words (or alternatives of words) all required, with excluded words beside them, as one
    /// [`ConjunctionQuery`]; `None` for any other shape (phrases, fields, nesting, words to widen).
    pub(crate) fn conjunction(&mut self, q: &Query) -> Option<ConjunctionQuery> {
        let (positive, excluded) = split_exclusions(q);
        if positive.len() < 2 {
            return None;
        }
        let mut groups = Vec::with_capacity(positive.len());
        for p in positive {
            let words: Vec<&Query> = match p {
                Query::Or(words) => words.iter().collect(),
                word => vec![word],
            };
            let mut group = Vec::new();
            for w in words {
                group.extend(self.weighted_terms(w)?);
            }
            groups.push(group);
        }
        let mut none = Vec::new();
        for w in excluded {
            none.extend(self.word_terms(w)?);
        }
        Some(ConjunctionQuery::new(groups, none))
    }

    /// An unfielded word of one token: its term in each default field with the field's weight.
    fn weighted_terms(&mut self, q: &Query) -> Option<Vec<(Term, f32)>> {
        let terms = self.word_terms(q)?;
        Some(terms.into_iter().zip(self.default_fields()).map(|(t, (_, w))| (t, w)).collect())
    }

    /// An unfielded word of one token: its term in each default field.
    /// `None` for anything else, and for a word to widen (one-edit matches are per-field unions).
    fn word_terms(&mut self, q: &Query) -> Option<Vec<Term>> {
        let Query::Word { field: None, text } = q else { return None };
        let tokens = self.tokens(text);
        let [token] = &tokens[..] else { return None };
        if self.widens(&tokens) {
            return None;
        }
        Some(self.default_fields().map(|(f, _)| Term::from_field_text(f, token)).into())
    }

    fn text(&mut self, field: Option<QField>, text: &str) -> Option<Box<dyn TQuery>> {
        let tokens = self.tokens(text);
        if tokens.is_empty() {
            return None;
        }
        if let Some(f) = field {
            let (f, positions) = self.field(f);
            return Some(self.on_field(f, positions, &tokens, true));
        }
        let weighted = self.default_fields().map(|(f, w)| {
            let typo_field = f == self.fields.title || f == self.fields.authors;
            (self.on_field(f, true, &tokens, typo_field), w)
        });
        if self.widens(&tokens) || !self.combined {
            // One-edit variants are looked for per field, and scored: the plain union of per-field queries.
            let alternatives = weighted.into_iter().map(|(q, w)| (Occur::Should, boosted(q, w))).collect();
            return Some(Box::new(BooleanQuery::new(alternatives)));
        }
        let matcher = self.any_matcher(&tokens);
        Some(Box::new(DeferredScoreQuery::new(matcher, weighted.into())))
    }

    /// What decides whether unfielded `tokens` match, without scoring: the word or phrase in any default field.
    /// (A combined field holding every default field's words again made matching a little faster but the index
    /// build a third slower.) A word walked from document to document is tantivy's union, which reads ahead
    /// in blocks; a word an intersection seeks into is [`FieldsUnionQuery`], which only moves when asked.
    fn any_matcher(&self, tokens: &[String]) -> Box<dyn TQuery> {
        if tokens.len() == 1 && !self.walked {
            let terms = self.default_fields().map(|(f, _)| Term::from_field_text(f, &tokens[0]));
            return Box::new(FieldsUnionQuery::new(terms.into()));
        }
        let positions = tokens.len() > 1;
        if !self.walked {
            let each = self.default_fields().map(|(f, _)| self.on_field(f, positions, tokens, false));
            return Box::new(FieldsUnionQuery::of(each.into()));
        }
        let each = self.default_fields().map(|(f, _)| (Occur::Should, self.on_field(f, positions, tokens, false)));
        Box::new(BooleanQuery::new(each.into()))
    }

    /// True when a single word is long enough to be widened to its one-edit variants.
    fn widens(&self, tokens: &[String]) -> bool {
        long(tokens) && self.widen.contains(&tokens[0])
    }

    /// Whether `q` requires a word it also excludes (at its top level), so that it can match nothing.
    pub(crate) fn contradicts(&mut self, q: &Query) -> bool {
        let (positive, excluded) = split_exclusions(q);
        let mut words = |parts: Vec<&Query>| -> Vec<Vec<String>> {
            parts
                .into_iter()
                .filter_map(|p| match p {
                    Query::Word { field: None, text } => Some(self.tokens(text)),
                    _ => None,
                })
                .collect()
        };
        let (required, excluded) = (words(positive), words(excluded));
        excluded.iter().any(|e| !e.is_empty() && required.contains(e))
    }

    /// The words of `q` a typo search could widen (long single tokens, not excluded ones), each with its terms:
    /// the default fields', or the one it names.
    pub(crate) fn long_words(&mut self, q: &Query) -> Vec<(String, Vec<Term>)> {
        match q {
            Query::Word { field, text } => {
                let tokens = self.tokens(text);
                if !long(&tokens) {
                    return Vec::new();
                }
                let fields: Vec<Field> = match field {
                    Some(f) => vec![self.field(*f).0],
                    None => self.default_fields().map(|(f, _)| f).into(),
                };
                let terms = fields.into_iter().map(|f| Term::from_field_text(f, &tokens[0])).collect();
                vec![(tokens[0].clone(), terms)]
            }
            Query::And(c) | Query::Or(c) => c.iter().flat_map(|c| self.long_words(c)).collect(),
            _ => Vec::new(),
        }
    }

    /// `tokens` in one field: a term, or a phrase (all terms, where the field keeps no positions).
    /// `typo_field`: one-edit variants may be looked for here (titles, names, or the field asked for: a
    /// fuzzy match walks the field's whole term dictionary, and abstracts' are the largest).
    fn on_field(&self, f: Field, positions: bool, tokens: &[String], typo_field: bool) -> Box<dyn TQuery> {
        if tokens.len() == 1 {
            let term = Term::from_field_text(f, &tokens[0]);
            let exact: Box<dyn TQuery> = Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs));
            if typo_field && self.widens(tokens) {
                // Exact matches keep their BM25 score; a one-edit match adds a fifth of its own, so a typo
                // finds its paper but ranks below exact matches.
                let fuzzy = Box::new(BoostQuery::new(Box::new(OneEditQuery::new(term)), 0.2));
                return Box::new(BooleanQuery::new(vec![(Occur::Should, exact), (Occur::Should, fuzzy)]));
            }
            return exact;
        }
        if positions {
            let terms = tokens.iter().map(|t| Term::from_field_text(f, t)).collect();
            if f == self.fields.venue {
                return Box::new(VenuePhrase::new(terms, self.fields.venue_exact));
            }
            if self.walked {
                return Box::new(Phrase::new(terms));
            }
            // Sought into by an intersection: tantivy's phrase query seeks, where reading the lists in order
            // would read them whole however few documents are asked for.
            return Box::new(PhraseQuery::new(terms));
        }
        let all = tokens
            .iter()
            .map(|t| {
                let q: Box<dyn TQuery> =
                    Box::new(TermQuery::new(Term::from_field_text(f, t), IndexRecordOption::Basic));
                (Occur::Must, q)
            })
            .collect();
        Box::new(BooleanQuery::new(all))
    }
}

/// Whether `child` of a boolean node is walked document by document: one side of an OR, the only positive part of
/// an AND; an excluded part, or one of several required ones, is sought into.
fn walked(children: &[Query], occur: Occur, child: &Query) -> bool {
    if matches!(child, Query::Not(_)) {
        return false;
    }
    occur == Occur::Should || children.iter().filter(|c| !matches!(c, Query::Not(_))).count() <= 1
}

/// `q`, sought into rather than walked: a phrase read from its lists in order becomes tantivy's, which seeks.
fn sought(q: Box<dyn TQuery>) -> Box<dyn TQuery> {
    match q.downcast_ref::<Phrase>() {
        Some(phrase) => Box::new(phrase.sought()),
        None => q,
    }
}

/// `q` with its weight.
fn boosted(q: Box<dyn TQuery>, w: f32) -> Box<dyn TQuery> {
    if w == 1.0 {
        q
    } else {
        Box::new(BoostQuery::new(q, w))
    }
}

/// Whether the query excludes anything.
fn excludes(q: &Query) -> bool {
    match q {
        Query::Not(_) => true,
        Query::And(c) | Query::Or(c) => c.iter().any(excludes),
        _ => false,
    }
}

/// A single token long enough to be widened to its one-edit matches.
fn long(tokens: &[String]) -> bool {
    tokens.len() == 1 && tokens[0].chars().count() >= FUZZY_MIN_CHARS
}

/// Whether a match needs only one of the query's positive words: a word, alternatives of such, and these
/// with exclusions; not two words both required.
fn alternatives(q: &Query) -> bool {
    match q {
        Query::Word { .. } | Query::Phrase { .. } => true,
        Query::Or(children) => children.iter().all(alternatives),
        Query::And(_) => matches!(split_exclusions(q).0[..], [only] if alternatives(only)),
        _ => false,
    }
}

/// A query read as positive parts, all required, and the parts it excludes (`a b -c`: `[a, b]`, `[c]`); any
/// other query is its own one positive part.
fn split_exclusions(q: &Query) -> (Vec<&Query>, Vec<&Query>) {
    let Query::And(children) = q else { return (vec![q], Vec::new()) };
    let mut positive = Vec::new();
    let mut excluded = Vec::new();
    for c in children {
        match c {
            Query::Not(inner) => excluded.push(inner.as_ref()),
            other => positive.push(other),
        }
    }
    (positive, excluded)
}

/// A boolean query that has at least one positive clause (pure exclusions match from everything).
fn with_positive(mut clauses: Vec<(Occur, Box<dyn TQuery>)>) -> Option<Box<dyn TQuery>> {
    if clauses.is_empty() {
        return None;
    }
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    if clauses.len() == 1 && clauses[0].0 == Occur::Must {
        return clauses.pop().map(|(_, q)| q);
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}
