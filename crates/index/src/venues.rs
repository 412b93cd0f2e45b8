//! Phrases in the venue field, matched once per distinct venue instead of once per work.
//!
//! A segment of 730k DBLP works has about 9,000 distinct venues. `"international conference"` occurs in 20 of
//! them, held by 6,579 works; tantivy's phrase query found those works by intersecting the lists of
//! `international` and `conference` in the venue field and reading positions for every work the two share:
//! 470 µs of the slowest phrase query. Here each segment's distinct venues (the raw `venue_exact` terms) are
//! tokenized once, when a phrase first asks, and a phrase is looked for in them; the works are those venues'
//! lists. A work has one venue, indexed in both fields from the same text with the same analyzer, so the
//! matches, the phrase counts and the BM25 scores are exactly tantivy's.

use crate::fields::{analyzer, norms};
use crate::per_segment::PerSegment;
use crate::phrases::Listed;
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::index::SegmentId;
use tantivy::postings::TermInfo;
use tantivy::query::{Bm25Weight, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term};

/// Words in the venue field, one after the other: tantivy's `PhraseQuery` on `venue`, answered through the
/// distinct venues of `venue_exact`.
#[derive(Clone, Debug)]
pub(crate) struct VenuePhrase {
    terms: Vec<Term>,
    exact: Field,
}

impl VenuePhrase {
    /// `terms`: two or more, of the venue field; `exact`: the field holding each work's whole venue.
    pub(crate) fn new(terms: Vec<Term>, exact: Field) -> Self {
        VenuePhrase { terms, exact }
    }
}

impl Query for VenuePhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled { statistics_provider, .. } => {
                Some(Bm25Weight::for_terms(statistics_provider, &self.terms)?)
            }
            EnableScoring::Disabled { .. } => None,
        };
        let words = self.terms.iter().map(|t| t.value().as_str().unwrap_or_default().to_string()).collect();
        Ok(Box::new(VenuePhraseWeight { words, field: self.terms[0].field(), exact: self.exact, bm25 }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for t in &self.terms {
            visitor(t, true);
        }
    }
}

struct VenuePhraseWeight {
    words: Vec<String>,
    field: Field,
    exact: Field,
    bm25: Option<Bm25Weight>,
}

impl Weight for VenuePhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let venues = Venues::of(reader, self.exact)?;
        let found = venues.find(&self.words);
        if found.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        let inverted = reader.inverted_index(self.exact)?;
        let total: usize = found.iter().map(|&(v, _)| venues.infos[v as usize].doc_freq as usize).sum();
        let mut lists = Merged::new(total, reader.max_doc());
        for (venue, count) in found {
            let mut postings =
                inverted.read_block_postings_from_terminfo(&venues.infos[venue as usize], IndexRecordOption::Basic)?;
            loop {
                let block = postings.docs();
                if block.is_empty() {
                    break;
                }
                lists.add(block, count);
                postings.advance();
            }
        }
        let docs = lists.into_sorted();
        let scoring = match &self.bm25 {
            Some(w) => Some((norms(reader, self.field)?, w.boost_by(boost))),
            None => None,
        };
        Ok(Box::new(Listed::new(docs, scoring)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document {doc} does not match")));
        }
        Ok(Explanation::new("the phrase's BM25 score in the venue", scorer.score()))
    }
}

/// The works of several venues, put in document order. One venue a work: the lists never share a document.
enum Merged {
    /// Few works: sorted.
    Few(Vec<(DocId, u32)>),
    /// Many (a 512th of the segment or more): a bit a document, read in order, with the rare works whose venue
    /// holds the phrase more than once beside. Sorting 6,579 works of 20 venues took 7% of the slowest phrase
    /// query (`"international conference"`); setting and reading the bits, a fifth of that.
    Many { bits: Vec<u64>, repeated: Vec<(DocId, u32)> },
}

impl Merged {
    fn new(total: usize, max_doc: DocId) -> Self {
        if total.saturating_mul(512) >= max_doc as usize {
            Merged::Many { bits: vec![0; (max_doc as usize).div_ceil(64)], repeated: Vec::new() }
        } else {
            Merged::Few(Vec::with_capacity(total))
        }
    }

    fn add(&mut self, docs: &[DocId], count: u32) {
        match self {
            Merged::Few(out) => out.extend(docs.iter().map(|&d| (d, count))),
            Merged::Many { bits, repeated } => {
                for &d in docs {
                    bits[d as usize / 64] |= 1 << (d % 64);
                }
                if count > 1 {
                    repeated.extend(docs.iter().map(|&d| (d, count)));
                }
            }
        }
    }

    fn into_sorted(self) -> Vec<(DocId, u32)> {
        match self {
            Merged::Few(mut out) => {
                out.sort_unstable_by_key(|&(d, _)| d);
                out
            }
            Merged::Many { bits, mut repeated } => {
                repeated.sort_unstable_by_key(|&(d, _)| d);
                let mut repeated = repeated.into_iter().peekable();
                let mut out = Vec::new();
                for (w, &word) in bits.iter().enumerate() {
                    let mut word = word;
                    while word != 0 {
                        let d = (w * 64) as DocId + word.trailing_zeros();
                        word &= word - 1;
                        let count = repeated.next_if(|&(r, _)| r == d).map_or(1, |(_, c)| c);
                        out.push((d, count));
                    }
                }
                out
            }
        }
    }
}

/// One segment's distinct venues, tokenized.
struct Venues {
    /// Each venue term's postings, by the venue's index.
    infos: Vec<TermInfo>,
    /// Each venue's words as (position, word id), in position order.
    words: Vec<Vec<(u32, u32)>>,
    word_ids: HashMap<String, u32>,
    /// For each word id, the venues having it (each once, in order).
    having: Vec<Vec<u32>>,
}

impl Venues {
    fn of(reader: &SegmentReader, exact: Field) -> tantivy::Result<Arc<Venues>> {
        static KEPT: PerSegment<SegmentId, Venues> = PerSegment::new();
        KEPT.get_or_build(reader.segment_id(), || Venues::build(reader, exact))
    }

    fn build(reader: &SegmentReader, exact: Field) -> tantivy::Result<Venues> {
        let inverted = reader.inverted_index(exact)?;
        let mut stream = inverted.terms().stream()?;
        let mut analyzer = analyzer();
        let mut v = Venues { infos: Vec::new(), words: Vec::new(), word_ids: HashMap::new(), having: Vec::new() };
        while stream.advance() {
            let Ok(text) = std::str::from_utf8(stream.key()) else { continue };
            let venue = v.infos.len() as u32;
            let mut words = Vec::new();
            let mut tokens = analyzer.token_stream(text);
            while tokens.advance() {
                let token = tokens.token();
                let next = v.word_ids.len() as u32;
                let id = *v.word_ids.entry(token.text.clone()).or_insert(next);
                if id == next {
                    v.having.push(Vec::new());
                }
                if v.having[id as usize].last() != Some(&venue) {
                    v.having[id as usize].push(venue);
                }
                words.push((token.position as u32, id));
            }
            v.infos.push(stream.value().clone());
            v.words.push(words);
        }
        Ok(v)
    }

    /// The venues holding the phrase `words`, each with how often it occurs there.
    fn find(&self, words: &[String]) -> Vec<(u32, u32)> {
        let Some(ids) = words.iter().map(|w| self.word_ids.get(w).copied()).collect::<Option<Vec<u32>>>() else {
            return Vec::new();
        };
        let Some(rarest) = ids.iter().min_by_key(|&&id| self.having[id as usize].len()) else { return Vec::new() };
        let mut out = Vec::new();
        for &venue in &self.having[*rarest as usize] {
            let words = &self.words[venue as usize];
            let at = |position: u32| words.iter().find(|&&(p, _)| p == position).map(|&(_, w)| w);
            let count = words
                .iter()
                .filter(|&&(p, w)| {
                    w == ids[0] && ids.iter().enumerate().skip(1).all(|(i, &id)| at(p + i as u32) == Some(id))
                })
                .count() as u32;
            if count > 0 {
                out.push((venue, count));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{Merged, VenuePhrase};
    use crate::SearchIndex;
    use arrow_model::Work;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::PhraseQuery;
    use tantivy::Term;

    /// Venues with repeated words, phrases at the start, middle and end, and works spread over several segments
    /// with some deleted: the venue phrase finds, counts and scores exactly what tantivy's phrase query does.
    #[test]
    fn venue_phrases_match_and_score_as_phrase_queries() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let venues = [
            "International Conference on Data Engineering",
            "Data Data Conference",
            "Conference on Data Data Data",
            "Intl. Conf. on Data",
            "IEEE Trans. Knowl. Data Eng.",
            "Data Engineering Bulletin",
            "Workshop on Engineering Data",
            "",
        ];
        for batch in 0..3i64 {
            let mut writer = index.writer().unwrap();
            for i in 0..400i64 {
                let key = batch * 1000 + i;
                let mut w = Work::new(format!("t:{key}"), "a title");
                w.venue = Some(venues[(key as usize * 7 + batch as usize) % venues.len()].to_string());
                writer.put(key, &w, false).unwrap();
            }
            for key in (0..batch * 1000).step_by(5) {
                writer.put(key, &Work::new(format!("t:{key}"), "replaced"), true).unwrap();
            }
            writer.commit(batch + 1).unwrap();
        }
        index.reload().unwrap();
        let searcher = index.reader.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let f = index.fields;
        for phrase in [
            &["data", "engineering"][..],
            &["data", "data"],
            &["data", "data", "data"],
            &["international", "conference", "on"],
            &["on", "data"],
            &["engineering", "data"],
            &["data", "missing"],
        ] {
            let terms: Vec<Term> = phrase.iter().map(|w| Term::from_field_text(f.venue, w)).collect();
            let top = (TopDocs::with_limit(2000).order_by_score(), Count);
            let (expected, n) = searcher.search(&PhraseQuery::new(terms.clone()), &top).unwrap();
            let (found, m) = searcher.search(&VenuePhrase::new(terms, f.venue_exact), &top).unwrap();
            assert_eq!(m, n, "{phrase:?}");
            let bits = |v: &[(f32, tantivy::DocAddress)]| -> Vec<(u32, tantivy::DocAddress)> {
                let mut out: Vec<_> = v.iter().map(|(s, d)| (s.to_bits(), *d)).collect();
                out.sort();
                out
            };
            assert_eq!(bits(&found), bits(&expected), "{phrase:?}");
            assert_eq!(n > 0, phrase[1] != "missing", "{phrase:?}");
        }
    }

    /// Disjoint lists, some with a phrase count above one, come out in document order with their counts,
    /// sorted (few works) or through a bitset (many).
    #[test]
    fn merged_lists_come_out_in_order_either_way() {
        let lists: Vec<(Vec<u32>, u32)> = (0..5u32)
            .map(|v| ((0..3000u32).filter(|d| d % 5 == v).map(|d| d * 3 + v % 2).collect(), 1 + v % 3))
            .collect();
        let mut expected: Vec<(u32, u32)> = lists.iter().flat_map(|(docs, c)| docs.iter().map(|&d| (d, *c))).collect();
        expected.sort();
        for max_doc in [9_100, 100_000_000] {
            let mut merged = Merged::new(3000, max_doc);
            assert_eq!(matches!(merged, Merged::Many { .. }), max_doc < 1_000_000);
            for (docs, count) in &lists {
                for chunk in docs.chunks(128) {
                    merged.add(chunk, *count);
                }
            }
            assert_eq!(merged.into_sorted(), expected, "max_doc {max_doc}");
        }
    }
}
