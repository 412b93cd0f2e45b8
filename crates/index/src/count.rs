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
        BITS.with(|bits| {
            let mut bits = bits.borrow_mut();
            bits.clear();
            bits.resize((reader.max_doc() as usize).div_ceil(64), 0);
            for postings in &mut any {
                fill(postings, |doc| bits[doc as usize / 64] |= 1 << (doc % 64));
            }
            for mut postings in none {
                fill(&mut postings, |doc| bits[doc as usize / 64] &= !(1 << (doc % 64)));
            }
            let count = match reader.alive_bitset() {
                None => bits.iter().map(|w| w.count_ones()).sum(),
                Some(alive) => {
                    let mut n = 0;
                    for (i, &w) in bits.iter().enumerate() {
                        let mut w = w;
                        while w != 0 {
                            let doc = i as u32 * 64 + w.trailing_zeros();
                            n += u32::from(alive.is_alive(doc));
                            w &= w - 1;
                        }
                    }
                    n
                }
            };
            Ok(count)
        })
    }
}

thread_local! {
    /// One bit a document, kept between searches: a fresh allocation each time cost more in page faults
    /// than the counting itself.
    static BITS: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
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
