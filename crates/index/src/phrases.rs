//! Phrases of common words, matched by reading each word's list once from start to end.
//!
//! tantivy's phrase query seeks each word's list to every document the words share, and for each reads the
//! word's positions, summing the frequencies before it in its block of 128 to find them (up to 128 additions a
//! document and word). `title:"international conference"` shares 9,823 of 730k works' titles: 70% of the
//! slowest phrase query went there. When the words are dense (the rule of windowed intersections, [`dense`]),
//! every list is decoded in order instead, the position offsets are carried along as running sums, and the
//! positions are read forward once. Rarer phrases keep tantivy's scorer, and so do phrases an intersection
//! seeks into (the resolver uses this query only for phrases walked from document to document: reading the
//! lists in order reads them whole, however few documents a rare partner word asks for). Matches, phrase counts
//! and BM25 scores are tantivy's (`tests::dense_phrases_match_and_score_as_phrase_queries`).

use crate::conjunction::dense;
use crate::fields::norms;
use crate::windowed::{read_until, WINDOW, WORDS};
use std::cell::RefCell;
use tantivy::directory::{CompositeFile, FileSlice};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentComponent;
use tantivy::positions::PositionReader;
use tantivy::postings::TermInfo;
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, EmptyScorer, EnableScoring, Explanation, PhraseQuery, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Index, Score, SeekDangerResult, SegmentReader, TantivyError, Term, TERMINATED};

/// Words in one positional field, one after the other: tantivy's `PhraseQuery`.
#[derive(Clone, Debug)]
pub(crate) struct Phrase {
    terms: Vec<Term>,
}

impl Phrase {
    /// `terms`: two or more, of one field indexed with positions.
    pub(crate) fn new(terms: Vec<Term>) -> Self {
        Phrase { terms }
    }

    /// The same phrase as tantivy's query, for where it is sought into rather than walked.
    pub(crate) fn sought(&self) -> PhraseQuery {
        PhraseQuery::new(self.terms.clone())
    }
}

impl Query for Phrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let phrase = PhraseQuery::new(self.terms.clone());
        let (searcher, statistics_provider) = match scoring {
            EnableScoring::Enabled { searcher, statistics_provider } => (searcher, statistics_provider),
            // Unscored (a matcher): whether to read the lists is decided per segment.
            EnableScoring::Disabled { searcher_opt: Some(searcher), .. } => {
                let tantivy = phrase.weight(scoring)?;
                return Ok(Box::new(Lists {
                    tantivy,
                    terms: self.terms.clone(),
                    index: searcher.index().clone(),
                    bm25: None,
                }));
            }
            EnableScoring::Disabled { searcher_opt: None, .. } => return phrase.weight(scoring),
        };
        // The statistics are looked up once, for tantivy's weight, for the phrase's and for the choice of path.
        let stats = Remembered { provider: statistics_provider, docs: Default::default() };
        let tantivy = phrase.weight(EnableScoring::Enabled { searcher, statistics_provider: &stats })?;
        let costs = self.terms.iter().map(|t| stats.doc_freq(t)).collect::<tantivy::Result<Vec<u64>>>()?;
        if !dense(&costs, stats.total_num_docs()?) {
            return Ok(tantivy);
        }
        let bm25 = Some(Bm25Weight::for_terms(&stats, &self.terms)?);
        Ok(Box::new(Lists { tantivy, terms: self.terms.clone(), index: searcher.index().clone(), bm25 }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for t in &self.terms {
            visitor(t, true);
        }
    }
}

/// A [`Bm25StatisticsProvider`] answering each document frequency it was asked once more from memory.
struct Remembered<'a> {
    provider: &'a dyn Bm25StatisticsProvider,
    docs: RefCell<Vec<(Term, u64)>>,
}

impl Bm25StatisticsProvider for Remembered<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        self.provider.total_num_tokens(field)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.provider.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some((_, n)) = self.docs.borrow().iter().find(|(t, _)| t == term) {
            return Ok(*n);
        }
        let n = self.provider.doc_freq(term)?;
        self.docs.borrow_mut().push((term.clone(), n));
        Ok(n)
    }
}

/// A phrase of common words: each segment's matches listed from its words' lists read in order, where they are
/// dense there too, and found by tantivy's scorer elsewhere.
struct Lists {
    tantivy: Box<dyn Weight>,
    terms: Vec<Term>,
    index: Index,
    /// `None` when unscored.
    bm25: Option<Bm25Weight>,
}

impl Lists {
    /// The words' lists in `reader` when they are all there and dense; `Ok(None)` when tantivy's scorer should
    /// answer, and an empty list when a word is missing.
    fn dense_infos(&self, reader: &SegmentReader) -> tantivy::Result<Option<Vec<TermInfo>>> {
        let inverted = reader.inverted_index(self.terms[0].field())?;
        let mut infos = Vec::with_capacity(self.terms.len());
        for term in &self.terms {
            match inverted.get_term_info(term)? {
                Some(info) => infos.push(info),
                None => return Ok(Some(Vec::new())),
            }
        }
        let costs: Vec<u64> = infos.iter().map(|i| i.doc_freq as u64).collect();
        Ok(dense(&costs, reader.max_doc() as u64).then_some(infos))
    }

    fn listed(&self, reader: &SegmentReader, boost: Score, infos: &[TermInfo]) -> tantivy::Result<Box<dyn Scorer>> {
        if infos.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        let field = self.terms[0].field();
        let positions = positions_file(&self.index, reader, field)?;
        let docs = matches(reader, field, infos, &positions)?;
        let scoring = match &self.bm25 {
            Some(w) => Some((norms(reader, field)?, w.boost_by(boost))),
            None => None,
        };
        Ok(Box::new(Listed::new(docs, scoring)))
    }
}

impl Weight for Lists {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        match self.dense_infos(reader)? {
            Some(infos) => self.listed(reader, boost, &infos),
            None => self.tantivy.scorer(reader, boost),
        }
    }

    /// Where tantivy's scorer answers, it starts near an intersection's candidate, as it would alone.
    fn scorer_danger(
        &self,
        reader: &SegmentReader,
        target: DocId,
        boost: Score,
    ) -> tantivy::Result<(SeekDangerResult, Box<dyn Scorer>)> {
        let Some(infos) = self.dense_infos(reader)? else {
            return self.tantivy.scorer_danger(reader, target, boost);
        };
        let mut scorer = self.listed(reader, boost, &infos)?;
        let doc = scorer.doc();
        let found = match doc.cmp(&target) {
            std::cmp::Ordering::Less => scorer.seek_danger(target),
            std::cmp::Ordering::Equal => SeekDangerResult::Found,
            std::cmp::Ordering::Greater => SeekDangerResult::SeekLowerBound(doc),
        };
        Ok((found, scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.tantivy.explain(reader, doc)
    }
}

/// The segment's positions of `field`. Opened for each scorer, not kept: a kept file would keep a merged-away
/// segment's positions mapped, and opening maps nothing new (the directory shares the segment reader's map); it
/// reads the file's footer.
fn positions_file(index: &Index, reader: &SegmentReader, field: Field) -> tantivy::Result<FileSlice> {
    let segment = index.segment(index.new_segment_meta(reader.segment_id(), reader.max_doc()));
    let file = CompositeFile::open(&segment.open_read(SegmentComponent::Positions)?)?;
    file.open_read(field).ok_or_else(|| TantivyError::SchemaError(format!("no positions for field {field:?}")))
}

/// One word's list, read in order a window at a time, with where each document's positions start.
struct Cursor {
    postings: tantivy::postings::BlockSegmentPostings,
    positions: PositionReader,
    /// The position in the current block of the first document not yet read.
    at: usize,
    /// The offset, among the word's positions, of the first document not yet read.
    offset: u64,
    /// The window's documents, by document − window start.
    bits: [u64; WORDS],
    /// Where each of the window's documents has its positions, and how many; valid only where `bits` is set.
    starts: Vec<(u64, u32)>,
    /// The offset of the window's first position (`u64::MAX` while the window has no document), and the
    /// window's positions (as stored: gaps within each document), read by [`Cursor::load`].
    first: u64,
    window: Vec<u32>,
    /// The positions of the document last read.
    found: Vec<u32>,
}

impl Cursor {
    fn open(reader: &SegmentReader, field: Field, info: &TermInfo, file: &FileSlice) -> tantivy::Result<Cursor> {
        let inverted = reader.inverted_index(field)?;
        let postings = inverted.read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
        let positions = PositionReader::open(file.slice(info.positions_range.clone()).read_bytes()?)?;
        let starts = vec![(0, 0); WINDOW as usize];
        let (bits, first, window, found) = ([0; WORDS], u64::MAX, Vec::new(), Vec::new());
        Ok(Cursor { postings, positions, at: 0, offset: 0, bits, starts, first, window, found })
    }

    /// The first document not yet read, or `TERMINATED`.
    fn doc(&self) -> DocId {
        self.postings.docs().get(self.at).copied().unwrap_or(TERMINATED)
    }

    /// Reads the list up to the end of the window at `start`, keeping the window's documents. Every posting
    /// is read, never skipped: skipping would lose the position offset.
    fn fill(&mut self, start: DocId) {
        self.bits = [0; WORDS];
        self.first = u64::MAX;
        let end = start.saturating_add(WINDOW);
        let Cursor { postings, at, offset, bits, starts, first, .. } = self;
        read_until(postings, at, end, |doc, freq| {
            if doc >= start {
                *first = (*first).min(*offset);
                let i = (doc - start) as usize;
                bits[i / 64] |= 1 << (i % 64);
                starts[i] = (*offset, freq);
            }
            *offset += u64::from(freq);
        });
    }

    /// Reads the positions of every document of the window, at once: one call rather than one a document.
    fn load(&mut self) {
        if self.first == u64::MAX {
            return;
        }
        self.window.resize((self.offset - self.first) as usize, 0);
        self.positions.read(self.first, &mut self.window);
    }

    /// The positions of the window's document `i`, after [`Cursor::load`].
    fn read(&mut self, i: usize) {
        let (offset, freq) = self.starts[i];
        let from = (offset - self.first) as usize;
        self.found.clear();
        let mut at = 0u32;
        for &gap in &self.window[from..from + freq as usize] {
            at += gap;
            self.found.push(at);
        }
    }
}

/// Every document of the segment holding the phrase, with how often it does, in document order.
fn matches(
    reader: &SegmentReader,
    field: Field,
    infos: &[TermInfo],
    file: &FileSlice,
) -> tantivy::Result<Vec<(DocId, u32)>> {
    let mut cursors =
        infos.iter().map(|i| Cursor::open(reader, field, i, file)).collect::<tantivy::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    while let Some(first) = cursors.iter().map(Cursor::doc).max().filter(|&d| d != TERMINATED) {
        let start = first - first % WINDOW;
        let mut all = [u64::MAX; WORDS];
        for c in cursors.iter_mut() {
            c.fill(start);
            for (a, b) in all.iter_mut().zip(&c.bits) {
                *a &= b;
            }
        }
        if all.iter().any(|&w| w != 0) {
            cursors.iter_mut().for_each(Cursor::load);
        }
        for (w, &bits) in all.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let i = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                for c in cursors.iter_mut() {
                    c.read(i);
                }
                let (first, rest) = cursors.split_first().unwrap_or_else(|| unreachable!("a phrase has words"));
                let follows = |p: u32| {
                    rest.iter()
                        .zip(1u32..)
                        .all(|(c, place)| p.checked_add(place).is_some_and(|q| c.found.binary_search(&q).is_ok()))
                };
                let count = first.found.iter().filter(|&&p| follows(p)).count() as u32;
                if count > 0 {
                    out.push((start + i as DocId, count));
                }
            }
        }
    }
    Ok(out)
}

/// A phrase's matches, listed in advance: each document with the phrase's frequency there.
pub(crate) struct Listed {
    docs: Vec<(DocId, u32)>,
    at: usize,
    scoring: Option<(FieldNormReader, Bm25Weight)>,
}

impl Listed {
    /// `docs` in document order; `scoring`: the field's norms and the phrase's weight, if scored.
    pub(crate) fn new(docs: Vec<(DocId, u32)>, scoring: Option<(FieldNormReader, Bm25Weight)>) -> Self {
        Listed { docs, at: 0, scoring }
    }
}

impl DocSet for Listed {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            self.at += self.docs[self.at..].partition_point(|&(d, _)| d < target);
        }
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).map_or(TERMINATED, |&(d, _)| d)
    }

    fn size_hint(&self) -> u32 {
        self.docs.len() as u32
    }
}

impl Scorer for Listed {
    fn score(&mut self) -> Score {
        let Some(&(doc, count)) = self.docs.get(self.at) else { return 0.0 };
        match &self.scoring {
            Some((norms, weight)) => weight.score(norms.fieldnorm_id(doc), count),
            // As tantivy's phrase scorer without scoring.
            None => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{matches, positions_file, Phrase};
    use crate::SearchIndex;
    use arrow_model::Work;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{PhraseQuery, Query};
    use tantivy::{DocAddress, Term};

    const WORDS: [&str; 6] = ["data", "learning", "deep", "of", "graph", "networks"];

    /// Titles of common words, many repeated, over three segments with deletions, and one rare word. The first
    /// segment spans several windows, and `graph` is missing from a stretch of more than two.
    fn titles() -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut seed = 7u64;
        let mut next = move |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for batch in 0..3i64 {
            let mut writer = index.single_threaded_writer().unwrap();
            for i in 0..if batch == 0 { 12_000 } else { 700 } {
                let key = batch * 10_000 + i;
                let len = 1 + next(9) as usize;
                let mut title: Vec<&str> = (0..len).map(|_| WORDS[next(WORDS.len() as u64) as usize]).collect();
                if (1000..9500).contains(&key) {
                    title.retain(|&w| w != "graph");
                }
                if key % 97 == 0 {
                    title.push("hypergraph");
                }
                writer.put(key, &Work::new(format!("t:{key}"), title.join(" ")), false).unwrap();
            }
            for key in (0..batch * 10_000).step_by(6) {
                writer.put(key, &Work::new(format!("t:{key}"), "replaced"), true).unwrap();
            }
            writer.commit(batch + 1).unwrap();
            // One thread, and merges ended before the next batch: the same segments on every run (two threads
            // shared the documents as they came free, and a test on the segments failed now and then).
            writer.finish().unwrap();
        }
        index.reload().unwrap();
        (dir, index)
    }

    fn phrases() -> Vec<Vec<&'static str>> {
        let mut out: Vec<Vec<&str>> = Vec::new();
        for a in WORDS {
            for b in WORDS {
                out.push(vec![a, b]);
            }
        }
        out.extend([vec!["data", "data", "data"], vec!["deep", "learning", "of", "graph"], vec!["of", "hypergraph"]]);
        out.push(vec!["graph", "missing"]);
        out
    }

    fn bits(v: &[(f32, DocAddress)]) -> Vec<(u32, DocAddress)> {
        let mut out: Vec<_> = v.iter().map(|(s, d)| (s.to_bits(), *d)).collect();
        out.sort();
        out
    }

    /// Lists read in order find, count and score exactly what tantivy's phrase query does, and so does the
    /// query choosing between them and tantivy's scorer, scored and counted alone.
    #[test]
    fn dense_phrases_match_and_score_as_phrase_queries() {
        let (_dir, index) = titles();
        let searcher = index.reader.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let title = index.fields.title;
        for phrase in phrases() {
            let terms: Vec<Term> = phrase.iter().map(|w| Term::from_field_text(title, w)).collect();
            let expected_query = PhraseQuery::new(terms.clone());
            let top = (TopDocs::with_limit(20_000).order_by_score(), Count);
            let (expected, n) = searcher.search(&expected_query, &top).unwrap();
            let (found, m) = searcher.search(&Phrase::new(terms.clone()), &top).unwrap();
            assert_eq!(m, n, "{phrase:?}");
            assert_eq!(bits(&found), bits(&expected), "{phrase:?}");
            assert_eq!(searcher.search(&Phrase::new(terms.clone()), &Count).unwrap(), n, "{phrase:?}");
            assert_eq!(n > 0, !phrase.contains(&"missing"), "{phrase:?}");

            // The lists alone, whatever the density, against tantivy's scorer, deleted documents included.
            let weight =
                expected_query.weight(tantivy::query::EnableScoring::enabled_from_searcher(&searcher)).unwrap();
            for reader in searcher.segment_readers() {
                let inverted = reader.inverted_index(title).unwrap();
                let Some(infos) = terms.iter().map(|t| inverted.get_term_info(t).unwrap()).collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                let file = positions_file(searcher.index(), reader, title).unwrap();
                let listed = matches(reader, title, &infos, &file).unwrap();
                let mut scorer = weight.scorer(reader, 1.0).unwrap();
                let mut want = Vec::new();
                while scorer.doc() != tantivy::TERMINATED {
                    want.push(scorer.doc());
                    scorer.advance();
                }
                assert_eq!(listed.iter().map(|&(d, _)| d).collect::<Vec<_>>(), want, "{phrase:?}");
            }
        }
    }

    #[test]
    fn only_common_words_are_read_in_order() {
        let (_dir, index) = titles();
        let searcher = index.reader.searcher();
        let title = index.fields.title;
        let scoring = tantivy::query::EnableScoring::enabled_from_searcher(&searcher);
        let lists = |words: &[&str]| {
            let terms = words.iter().map(|w| Term::from_field_text(title, w)).collect();
            let weight = Phrase::new(terms).weight(scoring).unwrap();
            let scorers = searcher.segment_readers().iter().map(|r| weight.scorer(r, 1.0).unwrap());
            scorers.map(|s| s.is::<super::Listed>()).collect::<Vec<bool>>()
        };
        let segments = searcher.segment_readers().len();
        assert_eq!(lists(&["deep", "learning"]), vec![true; segments]);
        assert_eq!(lists(&["of", "hypergraph"]), vec![false; segments], "a rare word is sought");
    }
}
