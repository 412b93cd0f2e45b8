//! A typo search's one-edit variants of a word, its first letter kept.
//!
//! tantivy's fuzzy term query walks the field's term dictionary with a Levenshtein automaton, and the walk
//! decodes every child of every node it visits before the automaton rules the child out. With the first letter
//! free, each of the ~40 first letters is a live branch whose children are all decoded: 150 µs a segment on the
//! title dictionary of 730k works, ~85% of a typo search that finds nothing (`cksichtigung bev`). Keeping the
//! first letter, as spelling correctors usually do (Lucene's `DirectSpellChecker` by default), walks one branch.
//! Typos in a word's first letter are the rarest kind.

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use std::collections::BTreeSet;
use std::sync::OnceLock;
use tantivy::query::{
    AutomatonWeight, Bm25StatisticsProvider, BooleanQuery, EnableScoring, Occur, Query, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, TantivyError, Term};
use tantivy_fst::Automaton;

/// Matches the documents having a term within one insertion, deletion, substitution or transposition of
/// `term` that begins with the same letter. Scored, each variant the dictionaries hold counts its own BM25, as
/// the corrected word would: a constant score listed the works of a misspelled word in index order.
#[derive(Clone, Debug)]
pub(crate) struct OneEditQuery {
    term: Term,
}

impl OneEditQuery {
    pub(crate) fn new(term: Term) -> Self {
        OneEditQuery { term }
    }
}

impl Query for OneEditQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let value = self.term.value();
        let text =
            value.as_str().ok_or_else(|| TantivyError::InvalidArgument("a typo search needs a text term".into()))?;
        let field = self.term.field();
        match scoring {
            EnableScoring::Enabled { searcher, statistics_provider } => {
                let terms: Vec<Term> =
                    variants(searcher, field, text)?.iter().map(|v| Term::from_field_text(field, v)).collect();
                let doc_freq = (statistics_provider.total_num_docs()? / BLENDED_SHARE).max(1);
                let blended = Blended { inner: statistics_provider, doc_freq };
                let clauses = terms
                    .into_iter()
                    .map(|t| {
                        (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>)
                    })
                    .collect();
                BooleanQuery::new(clauses).weight(EnableScoring::Enabled { searcher, statistics_provider: &blended })
            }
            EnableScoring::Disabled { .. } => Ok(Box::new(AutomatonWeight::new(field, OneEdit::new(text)))),
        }
    }
}

/// Statistics in which every variant of a word is equally common: scored by its own rarity, a rare variant
/// ("transaction" for "transaltion") outranked the word meant (Lucene's fuzzy query blends variants so too). As
/// common as one work in [`BLENDED_SHARE`], from the corpus' size alone, so that every shard of a sharded index
/// scores a variant alike whichever variants its own dictionaries hold.
struct Blended<'a> {
    inner: &'a dyn Bm25StatisticsProvider,
    doc_freq: u64,
}

impl Bm25StatisticsProvider for Blended<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.inner.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.inner.total_num_docs()
    }

    fn doc_freq(&self, _: &Term) -> tantivy::Result<u64> {
        Ok(self.doc_freq)
    }
}

/// See [`Blended`]: a variant counts as a word of one work in this many.
const BLENDED_SHARE: u64 = 100;

/// The one-edit variants of `word` in `field` over every segment's dictionary.
fn variants(searcher: &Searcher, field: Field, word: &str) -> tantivy::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().search(OneEdit::new(word)).into_stream()?;
        while stream.advance() {
            if let Ok(v) = std::str::from_utf8(stream.key()) {
                out.insert(v.to_string());
            }
        }
    }
    Ok(out)
}

/// Building the automata's builder takes milliseconds; it depends only on the distance.
fn builder() -> &'static LevenshteinAutomatonBuilder {
    static BUILDER: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    BUILDER.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true))
}

pub(crate) struct OneEdit {
    dfa: DFA,
    /// The word's first byte: terms are folded to ASCII, so its first letter.
    first: Option<u8>,
}

impl OneEdit {
    fn new(word: &str) -> Self {
        OneEdit { dfa: builder().build_dfa(word), first: word.bytes().next() }
    }
}

impl Automaton for OneEdit {
    /// `None` before the first byte.
    type State = Option<u32>;

    fn start(&self) -> Option<u32> {
        None
    }

    fn is_match(&self, state: &Option<u32>) -> bool {
        let state = state.unwrap_or_else(|| self.dfa.initial_state());
        matches!(self.dfa.distance(state), Distance::Exact(_))
    }

    fn can_match(&self, state: &Option<u32>) -> bool {
        *state != Some(SINK_STATE)
    }

    fn accept(&self, state: &Option<u32>, byte: u8) -> Option<u32> {
        match state {
            None if self.first.is_some_and(|f| f != byte) => Some(SINK_STATE),
            None => Some(self.dfa.transition(self.dfa.initial_state(), byte)),
            Some(s) => Some(self.dfa.transition(*s, byte)),
        }
    }
}

/// Whether `b` is a variant [`OneEditQuery`] finds for `a`: the same first letter and Damerau–Levenshtein
/// distance at most 1 (for the highlighter, which marks the variants a hit's text holds).
pub(crate) fn one_edit_variant(a: &str, b: &str) -> bool {
    a.chars().next() == b.chars().next() && within_one_edit(a, b)
}

/// Damerau–Levenshtein distance at most 1 (one insertion, deletion, substitution or transposition).
fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if prefix == la && prefix == lb {
        return true;
    }
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match la.cmp(&lb) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..] || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Less => ra == &rb[1..],
        std::cmp::Ordering::Greater => &ra[1..] == rb,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SearchIndex;
    use arrow_model::Work;
    use tantivy::collector::DocSetCollector;

    #[test]
    fn one_edit() {
        assert!(within_one_edit("hierarchy", "hierarchy"));
        assert!(within_one_edit("hierarchy", "hierarhy"));
        assert!(within_one_edit("hierarchy", "hierarchys"));
        assert!(within_one_edit("hierarchy", "heirarchy"), "transposition");
        assert!(within_one_edit("hierarchy", "hierarchx"));
        assert!(!within_one_edit("hierarchy", "heirarhcy"), "two edits");
        assert!(!within_one_edit("hyena", "hyenas!!"));
        assert!(one_edit_variant("graph", "grahp"));
        assert!(!one_edit_variant("graph", "kraph"), "another first letter");
    }

    /// Indexes one work a title, keyed by its place.
    fn titled(index: &SearchIndex, titles: &[&str]) {
        let mut writer = index.writer().unwrap();
        for (i, t) in titles.iter().enumerate() {
            writer.put(i as i64, &Work::new(format!("t:{i}"), *t), false).unwrap();
        }
        writer.commit(1).unwrap();
        index.reload().unwrap();
    }

    /// The automaton finds in the dictionary exactly the variants `one_edit_variant` names.
    #[test]
    fn the_walk_finds_each_one_edit_variant_with_the_same_first_letter() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let titles = [
            "hierarchy",
            "hierarhcy",
            "hierachy",
            "hierarchys",
            "hiearchy",
            "xierarchy",
            "ierarchy",
            "hierarchies",
            "heirarchy",
            "ihierarchy",
            "hhierarchy",
            "anarchy",
            "h",
        ];
        titled(&index, &titles);
        let searcher = index.reader.searcher();
        for word in ["hierarchy", "hierarhcy", "h"] {
            let query = OneEditQuery::new(Term::from_field_text(index.fields.title, word));
            let found = searcher.search(&query, &DocSetCollector).unwrap();
            let mut got: Vec<&str> = found
                .iter()
                .map(|addr| {
                    let key = index.columns.of(&searcher).unwrap().segment(addr.segment_ord).key.first(addr.doc_id);
                    titles[key.unwrap() as usize]
                })
                .collect();
            got.sort();
            let mut expected: Vec<&str> = titles.iter().copied().filter(|t| one_edit_variant(word, t)).collect();
            expected.sort();
            assert_eq!(got, expected, "{word}");
        }
    }

    /// Scored, the variants are found as when counted, and a rare variant does not outrank the common one meant.
    #[test]
    fn scored_variants_rank_as_the_corrected_word() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let titles = [
            "Transaction Costs",
            "Machine Translation of Long Documents about Many Other Subjects",
            "Translation",
            "Translation Memories",
            "Speech Translation",
            "Translation Spotting",
            "Tree Parsing",
        ];
        titled(&index, &titles);
        let searcher = index.reader.searcher();
        let query = OneEditQuery::new(Term::from_field_text(index.fields.title, "transaltion"));
        let counted = searcher.search(&query, &DocSetCollector).unwrap();
        let top = searcher.search(&query, &tantivy::collector::TopDocs::with_limit(10).order_by_score()).unwrap();
        assert_eq!(top.len(), counted.len());
        assert_eq!(top.len(), 6);
        let key = |addr: tantivy::DocAddress| {
            index.columns.of(&searcher).unwrap().segment(addr.segment_ord).key.first(addr.doc_id).unwrap() as usize
        };
        assert_eq!(titles[key(top[0].1)], "Translation", "the shortest title holding the common variant");
        let transaction = top.iter().position(|(_, a)| key(*a) == 0).unwrap();
        let long = top.iter().position(|(_, a)| key(*a) == 1).unwrap();
        assert!(transaction > 0 && transaction < long, "as rare as the common variant, by its title's length");
    }
}
