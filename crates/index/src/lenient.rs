//! Lenient ranking for questions and claims typed as sentences.
//!
//! A query of plain words (no field, phrase, exclusion, alternative, year or id) with at least
//! [`LENIENT_MIN_WORDS`] distinct words is answered by BM25 over its words, each word optional, when
//! requiring every word finds nothing, or always once it has [`LONG_QUERY_WORDS`] distinct words: a
//! sentence rarely has all its words in one abstract ("1 in 5 million in UK have abnormal PrP
//! positivity"), and at that length the works with most of its rare words are the answer. A work must
//! still have [`LENIENT_SHARE`] of the words, so that a long query does not score every work that has
//! "the" in it. Shorter queries keep their exact meaning (every word required, typos widened).

use crate::fields::Fields;
use arrow_query::Query;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Fewest distinct words for lenient ranking; below it a query is precise, as typed.
pub const LENIENT_MIN_WORDS: usize = 4;
/// From this many distinct words on, a plain-word query is always ranked leniently (SciFact dev claims,
/// `arrow eval search`: see docs/semantic.md for the figures that set it).
pub const LONG_QUERY_WORDS: usize = 6;
/// The share of a lenient query's distinct words that a work must have (rounded up, at least one).
pub const LENIENT_SHARE: f32 = 0.25;
/// A title word's weight against an abstract word's 1 in lenient ranking. SciFact dev nDCG@10 by title
/// weight (authors and venues left out): 0.3: 0.659, 0.5: 0.663, 0.7: 0.658, 1.0: 0.642, 1.2: 0.632.
/// (The minimum share mattered less: 0.01, 0.1 and 0.25 within 0.002.)
pub const LENIENT_TITLE_WEIGHT: f32 = 0.5;
/// The weight of a title holding every word of a lenient query, on top of its words' own scores.
pub const WHOLE_TITLE_WEIGHT: f32 = 2.0;

/// The distinct words of a plain-word query, in order, if it has enough of them to be ranked leniently.
pub(crate) fn plain_words(q: &Query, mut tokens: impl FnMut(&str) -> Vec<String>) -> Option<Vec<String>> {
    let mut words: Vec<String> = Vec::new();
    let mut add = |text: &str| {
        for t in tokens(text) {
            if !words.contains(&t) {
                words.push(t);
            }
        }
    };
    // Chinese or Japanese is a phrase of characters, not a sentence of words: ranked by most characters, a query
    // found papers sharing two of them.
    if q.to_string().chars().any(crate::words::is_cjk) {
        return None;
    }
    match q {
        Query::Word { field: None, text } => add(text),
        Query::And(children) => {
            for c in children {
                match c {
                    Query::Word { field: None, text } => add(text),
                    _ => return None,
                }
            }
        }
        _ => return None,
    }
    (words.len() >= LENIENT_MIN_WORDS).then_some(words)
}

/// Fewest words a work must have to match a lenient query of `n` distinct words.
pub(crate) fn minimum_match(n: usize) -> usize {
    ((n as f32 * LENIENT_SHARE).ceil() as usize).clamp(1, n.max(1))
}

/// Each word optional, scored by BM25 in titles and abstracts; at least [`minimum_match`] of the words
/// required. Not in author names or venues: a sentence's words are about its subject, and on SciFact dev
/// matching them there too cost 0.07 nDCG@10 (claims' words are also surnames: "Li", "Young").
pub(crate) fn lenient_query(fields: &Fields, words: &[String]) -> Box<dyn TQuery> {
    let weighted = [(fields.title, LENIENT_TITLE_WEIGHT), (fields.abstract_text, 1.0)];
    let clauses: Vec<(Occur, Box<dyn TQuery>)> = words
        .iter()
        .map(|w| {
            let per_field = weighted
                .iter()
                .map(|&(f, boost)| {
                    let term: Box<dyn TQuery> =
                        Box::new(TermQuery::new(Term::from_field_text(f, w), IndexRecordOption::WithFreqs));
                    let q: Box<dyn TQuery> = if boost == 1.0 { term } else { Box::new(BoostQuery::new(term, boost)) };
                    (Occur::Should, q)
                })
                .collect();
            (Occur::Should, Box::new(BooleanQuery::new(per_field)) as Box<dyn TQuery>)
        })
        .collect();
    // A work whose title holds every word (or all but one) is what a pasted title asks for: the sentence-length
    // ranking above (abstracts first) put "The Helsinki Neural Machine Translation System" 145th under its own
    // title.
    let in_title: Vec<(Occur, Box<dyn TQuery>)> = words
        .iter()
        .map(|w| {
            let term = TermQuery::new(Term::from_field_text(fields.title, w), IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(term) as Box<dyn TQuery>)
        })
        .collect();
    // All but one: a pasted title with a typo in it is still that title.
    let all_but_one = BooleanQuery::with_minimum_required_clauses(in_title, words.len().saturating_sub(1).max(1));
    let whole_title = BoostQuery::new(Box::new(all_but_one), WHOLE_TITLE_WEIGHT);
    let mut clauses = clauses;
    clauses.push((Occur::Should, Box::new(whole_title)));
    Box::new(BooleanQuery::with_minimum_required_clauses(clauses, minimum_match(words.len())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SearchIndex, SearchRequest};
    use arrow_model::Work;

    fn index(works: &[(&str, &str)]) -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut writer = index.writer().unwrap();
        for (i, (title, abstract_text)) in works.iter().enumerate() {
            let mut w = Work::new(format!("x:{i}"), *title);
            w.abstract_text = Some(abstract_text.to_string());
            writer.put(i as i64, &w, false).unwrap();
        }
        writer.commit(1).unwrap();
        index.reload().unwrap();
        (dir, index)
    }

    fn search(index: &SearchIndex, q: &str) -> (Vec<i64>, bool) {
        let found = index.search(&SearchRequest::query(q)).unwrap();
        (found.hits.iter().map(|h| h.key).collect(), found.lenient)
    }

    #[test]
    fn a_claim_no_work_has_every_word_of_is_ranked_by_most_words() {
        let (_dir, index) = index(&[
            ("Vitamin D supplementation", "Vitamin D lowers the severity of acute respiratory infections."),
            ("Respiratory physiology", "A textbook account of breathing."),
            ("Unrelated", "Graph neural networks."),
        ]);
        let (keys, lenient) = search(&index, "vitamin D reduces the severity of respiratory infections");
        assert!(lenient);
        assert_eq!(keys, vec![0, 1], "most words first; a work with none of them is not listed");
    }

    #[test]
    fn a_pasted_title_finds_its_work_first_even_with_a_typo() {
        let (_dir, index) = index(&[
            (
                "Neural machine translation of rare words",
                "The system translates words of a machine: neural translation of the words, the system of systems.",
            ),
            ("The Helsinki Neural Machine Translation System", "Our submission to the shared task."),
        ]);
        let (keys, lenient) = search(&index, "The Helsinki Neural Machine Translation System");
        assert!(lenient);
        assert_eq!(keys, vec![1, 0]);
        assert_eq!(search(&index, "The Helsinki Neural Machine Translaton System").0, vec![1, 0], "one typo");
    }

    #[test]
    fn short_queries_keep_every_word_required() {
        let (_dir, index) = index(&[("Vitamin D trial", "Calcium."), ("Vitamin C", "Respiratory infections.")]);
        assert_eq!(search(&index, "vitamin respiratory infections"), (vec![1], false));
        assert_eq!(search(&index, "vitamin calcium respiratory"), (vec![], false), "three words stay exact");
    }

    fn split(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_lowercase).collect()
    }

    #[test]
    fn only_plain_words_of_enough_length_are_lenient() {
        let words = |q: &str| plain_words(&arrow_query::parse(q), split);
        assert_eq!(words("vitamin D reduces the severity"), Some(split("vitamin d reduces the severity")));
        assert_eq!(words("the cat the dog the"), None, "three distinct words");
        assert_eq!(words("graph neural networks"), None);
        assert_eq!(words("title:graph neural networks for molecules"), None);
        assert_eq!(words("\"graph neural\" networks for molecules"), None);
        assert_eq!(words("graph neural networks -molecules chemistry"), None);
        assert_eq!(words("graph OR neural networks molecules"), None);
    }

    #[test]
    fn minimum_match_is_a_quarter_rounded_up() {
        assert_eq!(minimum_match(4), 1);
        assert_eq!(minimum_match(5), 2);
        assert_eq!(minimum_match(8), 2);
        assert_eq!(minimum_match(9), 3);
    }
}
