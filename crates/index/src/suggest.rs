//! Suggestions as you type. Author names by prefix are read from the term dictionary of a raw field (see
//! [`crate::fields::Fields::author_suggest`]): a lookup walks only the terms that start with the prefix, never
//! the documents, so it stays fast at millions of names. Titles use a phrase-prefix query on the title field.

use crate::columns::Columns;
use crate::fields::analyzer;
use crate::search::Hit;
use crate::{IndexError, SearchIndex};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::query::PhrasePrefixQuery;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocSet, Searcher, Term, TERMINATED};

/// In a rotated name term, separates the words from the typed one on from the words before it.
const SEP: char = '\u{1}';
/// Words a title prefix may stand for ("hy" → hybrid, hydra, hyena, ...).
const MAX_TITLE_EXPANSIONS: u32 = 200;
/// Prefixes this short (folded, in bytes) have their suggestions cached per index generation.
const CACHED_PREFIX_BYTES: usize = 3;
/// Suggestions kept per cached prefix (the most a caller may ask for).
const CACHED_LIMIT: usize = 50;

/// Cached suggestions: (searcher generation, folded prefix → names).
#[derive(Default)]
pub(crate) struct Cache(Mutex<(u64, HashMap<String, Vec<NameSuggestion>>)>);

impl Cache {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, HashMap<String, Vec<NameSuggestion>>)> {
        // The map is only ever replaced or extended whole: a panic elsewhere cannot leave it half-written.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// At most this many dictionary terms are read per segment for one author lookup (a one-letter prefix over
/// millions of names); beyond, the names suggested are the best of the first ones in folded order.
const MAX_SCAN: usize = 100_000;

/// A folded author name that starts with (or has a word starting with) the typed prefix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameSuggestion {
    /// The name folded ("christopher re"); see [`fold_name`]. The index keeps no written form: take it from
    /// the work `sample`.
    pub folded: String,
    /// Number of works with an author whose name folds to this.
    pub works: u64,
    /// The store key of a work with this author.
    pub sample: Option<i64>,
}

fn folded_tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// A name as the suggestions compare names: the index's folding, words joined by one space
/// ("Christopher  RÉ" → "christopher re").
pub fn fold_name(name: &str) -> String {
    folded_tokens(&mut analyzer(), name).join(" ")
}

/// The suggestion terms of one author name: the folded name, and a rotation starting at each later word
/// that someone might type first ("re\u{1}christopher"). Initials and DBLP homonym numbers ("Ce Zhang 0001")
/// are not a way in, which keeps the dictionary small.
pub(crate) fn author_terms(analyzer: &mut TextAnalyzer, name: &str) -> Vec<String> {
    let tokens = folded_tokens(analyzer, name);
    let mut out = Vec::with_capacity(tokens.len());
    if tokens.is_empty() {
        return out;
    }
    out.push(tokens.join(" "));
    for i in 1..tokens.len() {
        let t = &tokens[i];
        if t.len() < 2 || t.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let mut term = tokens[i..].join(" ");
        term.push(SEP);
        term.push_str(&tokens[..i].join(" "));
        out.push(term);
    }
    out
}

/// The folded name a term stands for.
fn unrotate(term: &str) -> String {
    match term.split_once(SEP) {
        Some((from, before)) => format!("{before} {from}"),
        None => term.to_string(),
    }
}

/// The typed prefix folded like the terms: "Christopher R" → "christopher r"; a trailing space is kept so
/// "chris " does not run on into "christopher".
fn folded_prefix(analyzer: &mut TextAnalyzer, prefix: &str) -> Option<String> {
    let mut folded = folded_tokens(analyzer, prefix).join(" ");
    if folded.is_empty() {
        return None;
    }
    if prefix.ends_with(char::is_whitespace) {
        folded.push(' ');
    }
    Some(folded)
}

impl SearchIndex {
    /// Author names with a word starting with `prefix` (folded: "ré", "RE" and "re" alike; "christopher r"
    /// matches from the first word), most works first.
    pub fn suggest_authors(&self, prefix: &str, limit: usize) -> Result<Vec<NameSuggestion>, IndexError> {
        let mut analyzer = analyzer();
        let Some(folded) = folded_prefix(&mut analyzer, prefix) else { return Ok(Vec::new()) };
        let searcher = self.reader.searcher();
        if folded.len() > CACHED_PREFIX_BYTES {
            return self.names_with_prefix(&searcher, &folded, limit);
        }
        // A short prefix reads many terms: answer it once per index generation, for the largest limit.
        let generation = searcher.generation().generation_id();
        {
            let cache = self.suggest_cache.lock();
            if cache.0 == generation {
                if let Some(found) = cache.1.get(&folded) {
                    return Ok(found.iter().take(limit).cloned().collect());
                }
            }
        }
        let found = self.names_with_prefix(&searcher, &folded, limit.max(CACHED_LIMIT))?;
        let mut cache = self.suggest_cache.lock();
        if cache.0 != generation {
            *cache = (generation, HashMap::new());
        }
        cache.1.insert(folded, found.clone());
        Ok(found.into_iter().take(limit).collect())
    }

    fn names_with_prefix(
        &self,
        searcher: &Searcher,
        folded: &str,
        limit: usize,
    ) -> Result<Vec<NameSuggestion>, IndexError> {
        let field = self.fields.author_suggest;
        let mut upper = folded.as_bytes().to_vec();
        upper.push(0xFF); // never in UTF-8: every term with the prefix sorts below it
                          // Candidates: the terms with the most works in each segment, kept in a small heap so the scan of
                          // the prefix's terms allocates nothing per term.
        let keep = (limit * 4).max(40);
        let mut candidates: HashSet<String> = HashSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(folded.as_bytes())
                .lt(&upper)
                .into_stream()
                .map_err(|e| IndexError::Io { path: "term dictionary".into(), source: e })?;
            let mut heap: BinaryHeap<Reverse<(u32, Vec<u8>)>> = BinaryHeap::with_capacity(keep + 1);
            let mut n = 0;
            while n < MAX_SCAN && stream.advance() {
                n += 1;
                let doc_freq = stream.value().doc_freq;
                if heap.len() < keep {
                    heap.push(Reverse((doc_freq, stream.key().to_vec())));
                } else if heap.peek().is_some_and(|least| doc_freq > least.0 .0) {
                    heap.pop();
                    heap.push(Reverse((doc_freq, stream.key().to_vec())));
                }
            }
            for Reverse((_, term)) in heap {
                if let Ok(term) = std::str::from_utf8(&term) {
                    candidates.insert(unrotate(term));
                }
            }
        }
        // Exact counts for the candidates: the documents of the unrotated (full) name, in every segment.
        let mut out = Vec::with_capacity(candidates.len());
        for name in candidates {
            let mut works = 0u64;
            for segment in searcher.segment_readers() {
                let info = segment
                    .inverted_index(field)?
                    .terms()
                    .get(name.as_bytes())
                    .map_err(|e| IndexError::Io { path: "term dictionary".into(), source: e })?;
                works += info.map_or(0, |i| u64::from(i.doc_freq));
            }
            out.push(NameSuggestion { folded: name, works, sample: None });
        }
        out.sort_by(|a, b| b.works.cmp(&a.works).then_with(|| a.folded.cmp(&b.folded)));
        out.truncate(limit);
        let columns = self.columns.of(searcher)?;
        for s in &mut out {
            s.sample = first_with(searcher, &columns, field, &s.folded)?;
        }
        out.retain(|s| s.sample.is_some()); // every work of the name deleted, not merged away yet
        Ok(out)
    }

    /// Works whose title contains the typed words, the last one as a prefix ("hyena hier" finds "Hyena
    /// Hierarchy: ..."), best first. Runs on the title field's own terms: nothing extra is indexed.
    pub fn suggest_titles(&self, prefix: &str, limit: usize) -> Result<Vec<Hit>, IndexError> {
        let mut analyzer = analyzer();
        let terms: Vec<Term> =
            folded_tokens(&mut analyzer, prefix).iter().map(|t| Term::from_field_text(self.fields.title, t)).collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = PhrasePrefixQuery::new(terms);
        query.set_max_expansions(MAX_TITLE_EXPANSIONS);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let mut hits = Vec::with_capacity(top.len());
        let columns = self.columns.of(&searcher)?;
        for (score, addr) in top {
            if let Some(key) = columns.key(addr) {
                hits.push(Hit { key, score });
            }
        }
        Ok(hits)
    }
}

/// The store key of the first live document with `term` in `field`.
fn first_with(searcher: &Searcher, columns: &Columns, field: Field, term: &str) -> Result<Option<i64>, IndexError> {
    let term = Term::from_field_text(field, term);
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let postings = segment
            .inverted_index(field)?
            .read_postings(&term, IndexRecordOption::Basic)
            .map_err(|e| IndexError::Io { path: "postings".into(), source: e })?;
        let Some(mut postings) = postings else { continue };
        let keys = &columns.segment(ord as u32).key;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if !segment.is_deleted(doc) {
                return Ok(keys.first(doc).map(|k| k as i64));
            }
            doc = postings.advance();
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_terms_rotate_at_each_word_but_initials_and_numbers() {
        let mut a = analyzer();
        assert_eq!(author_terms(&mut a, "Christopher Ré"), ["christopher re", "re\u{1}christopher"]);
        assert_eq!(author_terms(&mut a, "Ce Zhang 0001"), ["ce zhang 0001", "zhang 0001\u{1}ce"]);
        assert_eq!(author_terms(&mut a, "Michael I. Jordan"), ["michael i jordan", "jordan\u{1}michael i"]);
        assert!(author_terms(&mut a, " - ").is_empty());
        for t in author_terms(&mut a, "Christopher De Sa") {
            assert_eq!(unrotate(&t), "christopher de sa");
        }
        assert_eq!(fold_name("Christopher  RÉ"), "christopher re");
    }

    #[test]
    fn prefixes_fold_like_terms() {
        let mut a = analyzer();
        assert_eq!(folded_prefix(&mut a, "Christopher R").as_deref(), Some("christopher r"));
        assert_eq!(folded_prefix(&mut a, "ré").as_deref(), Some("re"));
        assert_eq!(folded_prefix(&mut a, "chris ").as_deref(), Some("chris "));
        assert_eq!(folded_prefix(&mut a, " -- "), None);
    }
}
