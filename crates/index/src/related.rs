//! Related works: more-like-this on the title and abstract (the work's most distinctive words by tf-idf)
//! plus shared authors, excluding the work itself.

use crate::fields::analyzer;
use crate::search::Hit;
use crate::{IndexError, SearchIndex};
use arrow_model::Work;
use std::collections::HashMap;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query as TQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Distinctive words taken from the work.
const MAX_TERMS: usize = 25;
/// Authors looked at (a 300-author physics paper should not turn into a 300-clause query).
const MAX_AUTHORS: usize = 30;
/// A title word counts this many times an abstract word when choosing the distinctive words.
const TITLE_TF: f32 = 3.0;
/// Weight of a shared author against one distinctive word.
const AUTHOR_BOOST: f32 = 0.35;

const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
    "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "may", "me", "more", "most", "much", "must", "my", "new", "no", "nor", "not", "now", "of", "off", "on",
    "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own", "paper", "same", "she", "should",
    "show", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they",
    "this", "those", "through", "to", "too", "two", "under", "until", "up", "upon", "us", "use", "used", "using",
    "very", "via", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "within", "without", "would", "you", "your", "yet", "et", "al", "e", "g", "ie", "eg", "based", "propose",
    "proposed", "present", "results", "work", "approach", "method", "methods", "well", "many", "three", "first",
];

impl SearchIndex {
    /// Works like `work` (stored under `key`, which is left out), best first.
    pub fn related(&self, key: i64, work: &Work, limit: usize) -> Result<Vec<Hit>, IndexError> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let n = searcher.num_docs().max(1) as f32;
        let mut analyzer = analyzer();
        let mut tf: HashMap<String, f32> = HashMap::new();
        let mut add = |text: &str, weight: f32, tf: &mut HashMap<String, f32>| {
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                let t = &stream.token().text;
                if t.len() >= 3 && !t.bytes().all(|b| b.is_ascii_digit()) && !STOPWORDS.contains(&t.as_str()) {
                    *tf.entry(t.clone()).or_default() += weight;
                }
            }
        };
        add(&work.title, TITLE_TF, &mut tf);
        if let Some(a) = &work.abstract_text {
            add(a, 1.0, &mut tf);
        }
        let mut scored: Vec<(f32, String)> = Vec::with_capacity(tf.len());
        for (t, freq) in tf {
            let df = searcher
                .doc_freq(&Term::from_field_text(f.title, &t))?
                .max(searcher.doc_freq(&Term::from_field_text(f.abstract_text, &t))?);
            if df <= 1 {
                continue; // only in this work: matches nothing else
            }
            let idf = (n / df as f32).ln() + 1.0;
            scored.push((freq.sqrt() * idf, t));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        scored.truncate(MAX_TERMS);
        let top = scored.first().map_or(1.0, |s| s.0);

        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        for (score, t) in &scored {
            let boost = score / top;
            let in_title: Box<dyn TQuery> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(Term::from_field_text(f.title, t), IndexRecordOption::WithFreqs)),
                2.0 * boost,
            ));
            let in_abstract: Box<dyn TQuery> = Box::new(BoostQuery::new(
                Box::new(TermQuery::new(Term::from_field_text(f.abstract_text, t), IndexRecordOption::WithFreqs)),
                boost,
            ));
            clauses.push((Occur::Should, in_title));
            clauses.push((Occur::Should, in_abstract));
        }
        // Shared authors count through the words of their names in the authors field (a rare surname weighs
        // more than a common given name, by idf), so that every clause is a plain term query: tantivy then
        // answers the union with block-max WAND, which skips the long posting lists of common words instead of
        // scoring every work that has one of them. For the same reason the work itself is dropped from the
        // results afterwards rather than excluded in the query. Initials and homonym numbers are left out.
        let mut names = crate::fields::analyzer();
        let mut words: Vec<String> = Vec::new();
        for a in work.authors.iter().take(MAX_AUTHORS) {
            for w in crate::suggest::folded_tokens(&mut names, &a.name) {
                if w.len() > 1 && !w.bytes().all(|b| b.is_ascii_digit()) && !words.contains(&w) {
                    words.push(w);
                }
            }
        }
        for w in &words {
            let q = TermQuery::new(Term::from_field_text(f.authors, w), IndexRecordOption::WithFreqs);
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), AUTHOR_BOOST))));
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(clauses);
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1) + 1).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        let columns = self.columns.of(&searcher)?;
        for (score, addr) in top {
            match columns.key(addr) {
                Some(k) if k != key => hits.push(Hit { key: k, score }),
                _ => {}
            }
        }
        hits.truncate(limit);
        Ok(hits)
    }
}
