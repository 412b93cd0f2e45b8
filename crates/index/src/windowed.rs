//! Required words over dense lists, a window of documents at a time: each word's per-field lists are read
//! block by block into one bitset per word, the words' bitsets are intersected, and only the documents left are
//! checked against filters and exclusions and scored.
//!
//! When every required word is common ("learning data": 49k and 76k documents), the intersection of their
//! unions walked document by document spent nearly all its time seeking: each document of the rarer word moved
//! the other word's four lists, through a dynamic call each (perf: 65% in seeks and `doc()`, 2.5% in scoring).
//! Reading the same lists in order costs a few nanoseconds a posting, and most windows are decided by one
//! 64-word AND.
//!
//! Scores are summed as [`crate::conjunction`] sums them (words in the query's order, fields in their fixed
//! order, each list's BM25 weight boosted by its field's), so every score is bit for bit the same.

use crate::fields::norms;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{Bm25Weight, Scorer};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Documents a window: 64 words of 64 bits.
pub(crate) const WINDOW: u32 = 4096;
pub(crate) const WORDS: usize = (WINDOW / 64) as usize;

/// One term's list in one field, with what scoring it needs, and its documents in the current window.
pub(crate) struct List {
    postings: BlockSegmentPostings,
    /// The position in the current block of the first document not yet read.
    at: usize,
    /// `None` when counting only: the list was opened without frequencies.
    scoring: Option<(FieldNormReader, Bm25Weight)>,
    /// When scoring, the window's documents as (document − window start, term frequency), in order. A list
    /// sets its group's bits directly: a bitset and a frequency table of its own cost a clear, a merge and
    /// scattered writes every window (figures in `docs/performance.md`).
    here: Vec<(u16, u32)>,
    /// The first entry of `here` not behind the document being scored.
    next: usize,
}

impl List {
    /// The term's list in `reader`, or `None` where no document of the segment has it.
    pub(crate) fn open(
        reader: &SegmentReader,
        term: &Term,
        weight: Option<Bm25Weight>,
    ) -> tantivy::Result<Option<List>> {
        let option = if weight.is_some() { IndexRecordOption::WithFreqs } else { IndexRecordOption::Basic };
        let Some(postings) = reader.inverted_index(term.field())?.read_block_postings(term, option)? else {
            return Ok(None);
        };
        if postings.doc_freq() == 0 {
            return Ok(None);
        }
        let scoring = weight.map(|w| Ok::<_, tantivy::TantivyError>((norms(reader, term.field())?, w))).transpose()?;
        let here = if scoring.is_some() { Vec::with_capacity(WINDOW as usize) } else { Vec::new() };
        Ok(Some(List { postings, at: 0, scoring, here, next: 0 }))
    }

    pub(crate) fn cost(&self) -> u64 {
        u64::from(self.postings.doc_freq())
    }

    /// The first document not yet read, or `TERMINATED`.
    fn doc(&self) -> DocId {
        self.postings.docs().get(self.at).copied().unwrap_or(TERMINATED)
    }

    /// Reads the list's documents in `[start, start + WINDOW)` into `bits` (and `here`).
    fn fill(&mut self, start: DocId, bits: &mut [u64; WORDS]) {
        self.here.clear();
        self.next = 0;
        if self.doc() < start {
            self.at = self.postings.seek(start);
        }
        let end = start.saturating_add(WINDOW);
        let List { postings, at, scoring, here, .. } = self;
        let scoring = scoring.is_some();
        read_until(postings, at, end, |doc, freq| {
            let i = (doc - start) as usize;
            bits[i / 64] |= 1 << (i % 64);
            if scoring {
                here.push((i as u16, freq));
            }
        });
    }

    /// This list's score for `doc`, which lies at `i` in the window, or nothing if the list lacks it. Asked in
    /// increasing order within a window.
    fn add_score(&mut self, doc: DocId, i: usize, total: &mut Score) {
        let Some((norms, weight)) = &self.scoring else { return };
        while self.here.get(self.next).is_some_and(|&(j, _)| usize::from(j) < i) {
            self.next += 1;
        }
        if let Some(&(j, freq)) = self.here.get(self.next) {
            if usize::from(j) == i {
                *total += weight.score(norms.fieldnorm_id(doc), freq);
            }
        }
    }
}

/// Reads `postings` from the place `at` in its current block up to its first document at or past `end`, block
/// after block, giving `each` every document read with its frequency (one where the list keeps none, as
/// tantivy's postings count it).
pub(crate) fn read_until(
    postings: &mut BlockSegmentPostings,
    at: &mut usize,
    end: DocId,
    mut each: impl FnMut(DocId, u32),
) {
    loop {
        let docs = postings.docs();
        if *at >= docs.len() {
            if docs.is_empty() {
                return;
            }
            // Past the block's last document: on to the next block (empty after the last).
            postings.advance();
            *at = 0;
            continue;
        }
        let freqs = postings.freqs();
        while let Some(&doc) = docs.get(*at) {
            if doc >= end {
                return;
            }
            each(doc, freqs.get(*at).copied().unwrap_or(1));
            *at += 1;
        }
    }
}

/// A required word (or alternative of words): the union of its lists.
pub(crate) struct Group {
    pub(crate) lists: Vec<List>,
    bits: [u64; WORDS],
}

impl Group {
    pub(crate) fn new(lists: Vec<List>) -> Self {
        Group { lists, bits: [0; WORDS] }
    }

    pub(crate) fn cost(&self) -> u64 {
        self.lists.iter().map(List::cost).sum()
    }

    fn doc(&self) -> DocId {
        self.lists.iter().map(List::doc).min().unwrap_or(TERMINATED)
    }

    fn fill(&mut self, start: DocId) {
        self.bits = [0; WORDS];
        for list in &mut self.lists {
            list.fill(start, &mut self.bits);
        }
    }
}

/// Every document having all `groups` (given in the query's order), every filter and no excluded word, in
/// order, with its score when the lists were opened for scoring (else 0).
pub(crate) fn for_each(
    groups: &mut [Group],
    filters: &mut [Box<dyn Scorer>],
    excluded: &mut dyn DocSet,
    callback: &mut dyn FnMut(DocId, Score),
) {
    if groups.is_empty() || groups.iter().any(|g| g.lists.is_empty()) {
        return;
    }
    // Filled rarest first, so that a window the rarest word misses costs one group's reads.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&i| groups[i].cost());
    let mut start = 0;
    loop {
        // No document before every word's next one can match.
        start = groups.iter().map(Group::doc).max().unwrap_or(TERMINATED).max(start);
        if start == TERMINATED {
            return;
        }
        let mut all = [u64::MAX; WORDS];
        for &g in &order {
            groups[g].fill(start);
            let mut any = 0;
            for (a, b) in all.iter_mut().zip(&groups[g].bits) {
                *a &= b;
                any |= *a;
            }
            if any == 0 {
                break;
            }
        }
        for (w, &word) in all.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                let i = w * 64 + word.trailing_zeros() as usize;
                word &= word - 1;
                let doc = start + i as u32;
                if !filters.iter_mut().all(|f| forward(f.as_mut(), doc) == doc) || forward(excluded, doc) == doc {
                    continue;
                }
                let mut total = 0.0;
                for group in groups.iter_mut() {
                    for list in &mut group.lists {
                        list.add_score(doc, i, &mut total);
                    }
                }
                callback(doc, total);
            }
        }
        start = start.saturating_add(WINDOW);
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
