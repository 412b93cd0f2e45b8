//! Exact totals of broad word queries without walking a union: the documents of any of some terms, minus those
//! of others, counted in a bitset filled block by block straight from the posting lists.
//!
//! A common word is a union of four fields' lists (title, authors, abstract, venue), hundreds of thousands of
//! documents long; tantivy's union merges them document by document through a sliding window, which was most
//! of the cost of a one-word search once its top k stopped scoring every match.

use tantivy::query::{Explanation, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentReader, Term};

/// Which documents a query of alternative words and exclusions matches: any of `any`, none of `none`.
#[derive(Clone, Debug)]
pub(crate) struct CountPlan {
    pub(crate) any: Vec<Term>,
    pub(crate) none: Vec<Term>,
}

impl CountPlan {
    /// The number of live documents of the segment the plan matches.
    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        let lists = |terms: &[Term]| -> tantivy::Result<Vec<_>> {
            let mut out = Vec::new();
            for t in terms {
                let inverted = reader.inverted_index(t.field())?;
                if let Some(postings) = inverted.read_block_postings(t, IndexRecordOption::Basic)? {
                    if postings.doc_freq() > 0 {
                        out.push(postings);
                    }
                }
            }
            Ok(out)
        };
        let mut any = lists(&self.any)?;
        let none = lists(&self.none)?;
        if none.is_empty() && reader.alive_bitset().is_none() && any.len() <= 1 {
            return Ok(any.first().map_or(0, |p| p.doc_freq()));
        }
        BITS.with(|cell| {
            let mut guard = cell.borrow_mut();
            let Bits { words, touched } = &mut *guard;
            let len = (reader.max_doc() as usize).div_ceil(64);
            if words.len() != len {
                words.clear();
                words.resize(len, 0);
            }
            // Sparse lists: only the words they set are summed and zeroed again (clearing and summing the whole
            // bitset cost more than a median word's lists). Dense ones: every word, without the bookkeeping.
            let postings_count: usize = any.iter().map(|p| p.doc_freq() as usize).sum();
            let sparse = postings_count < len;
            for postings in &mut any {
                if sparse {
                    fill(postings, |doc| {
                        let i = doc as usize / 64;
                        let w = words[i];
                        if w == 0 {
                            touched.push(i as u32);
                        }
                        words[i] = w | 1 << (doc % 64);
                    });
                } else {
                    fill(postings, |doc| words[doc as usize / 64] |= 1 << (doc % 64));
                }
            }
            for mut postings in none {
                fill(&mut postings, |doc| words[doc as usize / 64] &= !(1 << (doc % 64)));
            }
            let alive = reader.alive_bitset();
            let mut count = 0u32;
            let mut take = |i: usize| {
                let mut w = std::mem::take(&mut words[i]);
                match alive {
                    None => count += w.count_ones(),
                    Some(alive) => {
                        while w != 0 {
                            count += u32::from(alive.is_alive(i as u32 * 64 + w.trailing_zeros()));
                            w &= w - 1;
                        }
                    }
                }
            };
            if sparse {
                touched.iter().for_each(|&i| take(i as usize));
            } else if alive.is_none() {
                count = words.iter().map(|w| w.count_ones()).sum();
                words.fill(0);
            } else {
                (0..len).for_each(take);
            }
            touched.clear();
            Ok(count)
        })
    }
}

/// One bit a document, all zero between searches, and the words a search set.
#[derive(Default)]
struct Bits {
    words: Vec<u64>,
    touched: Vec<u32>,
}

thread_local! {
    /// Kept between searches: a fresh allocation each time cost more in page faults than the counting itself.
    static BITS: std::cell::RefCell<Bits> = std::cell::RefCell::new(Bits::default());
}

/// Calls `f` with every document of the list, a block at a time.
fn fill(postings: &mut tantivy::postings::BlockSegmentPostings, mut f: impl FnMut(DocId)) {
    loop {
        let docs = postings.docs();
        if docs.is_empty() {
            return;
        }
        for &doc in docs {
            f(doc);
        }
        postings.advance();
    }
}

/// The matcher's weight, counting by its [`CountPlan`].
pub(crate) struct PlannedCountWeight {
    pub(crate) matcher: Box<dyn Weight>,
    pub(crate) plan: CountPlan,
}

impl PlannedCountWeight {
    pub(crate) fn new(matcher: Box<dyn Weight>, plan: CountPlan) -> Self {
        PlannedCountWeight { matcher, plan }
    }
}

impl Weight for PlannedCountWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.matcher.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.matcher.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.plan.count(reader)
    }

    fn for_each_no_score(&self, reader: &SegmentReader, callback: &mut dyn FnMut(&[DocId])) -> tantivy::Result<()> {
        self.matcher.for_each_no_score(reader, callback)
    }
}
