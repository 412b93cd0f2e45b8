//! Exact totals of broad word queries without walking a union: the documents of any of some terms, minus those
//! of others, counted in a bitset filled block by block straight from the posting lists.
//!
//! A common word is a union of four fields' lists (title, authors, abstract, venue), hundreds of thousands of
//! documents long; tantivy's union merges them document by document through a sliding window, which was most
//! of the cost of a one-word search once its top k stopped scoring every match.

use crate::per_segment::PerSegment;
use crate::windowed::read_until;
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::index::SegmentId;
use tantivy::query::{Explanation, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
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
        if let Some(n) = self.frequent_word(reader)? {
            return Ok(n);
        }
        self.count_lists(reader)
    }

    /// A frequent word in every field of [`Frequent`]'s table, in a segment without deletions: its count read
    /// from the table.
    fn frequent_word(&self, reader: &SegmentReader) -> tantivy::Result<Option<u32>> {
        let Some(first) = self.any.first() else { return Ok(None) };
        if !self.none.is_empty() || reader.alive_bitset().is_some() || self.any.len() < 2 {
            return Ok(None);
        }
        let word = first.serialized_value_bytes();
        if self.any.iter().any(|t| t.serialized_value_bytes() != word) {
            return Ok(None);
        }
        let mut fields: Vec<Field> = self.any.iter().map(Term::field).collect();
        fields.sort();
        fields.dedup();
        if fields.len() != self.any.len() {
            return Ok(None);
        }
        let table = Frequent::of(reader, &fields)?;
        Ok(table.counts.get(word).copied())
    }

    /// [`Self::count`] from the posting lists.
    fn count_lists(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
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
            // A long exclusion beside a few matches: only its blocks that hold a set word are read. A seek
            // costs about what filling 16 postings does.
            let few = if sparse { touched.len() } else { usize::MAX / 16 };
            let seeks = |p: &tantivy::postings::BlockSegmentPostings| p.doc_freq() as usize > 16 * few;
            if none.iter().any(seeks) {
                touched.sort_unstable();
            }
            for mut postings in none {
                if seeks(&postings) {
                    clear_sought(&mut postings, touched, words);
                } else {
                    fill(&mut postings, |doc| words[doc as usize / 64] &= !(1 << (doc % 64)));
                }
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

/// Words whose lists in some fields hold at least this many postings together get their union counted ahead.
/// 4,096 took the one-word p50 on `bench/queries-shapes.txt` from 96 to 87-94 µs, 1,024 to 77 µs. The tables
/// then cost the first one-word search on two segments of 730k works 0.18 s and 61 MB of index pages
/// (`/usr/bin/time arrow search --limit 1 radio`, a fresh process: 0.18-0.19 s against 0.00-0.05 s).
const FREQUENT_POSTINGS: u64 = 1024;

/// Per segment and set of fields, the number of documents having each frequent word in any of the fields.
///
/// A common word's exact total is the union of its four fields' lists: a fifth of a median one-word search
/// (filling the bitset from tens of thousands of postings). A segment never changes, so the union of each word
/// whose lists hold at least [`FREQUENT_POSTINGS`] postings is counted once, the first time a count asks, for all
/// such words at once: what the segment holds, not what was asked. Segments with deletions count from the lists.
struct Frequent {
    counts: HashMap<Vec<u8>, u32>,
}

impl Frequent {
    fn of(reader: &SegmentReader, fields: &[Field]) -> tantivy::Result<Arc<Frequent>> {
        static KEPT: PerSegment<(SegmentId, Vec<Field>), Frequent> = PerSegment::new();
        KEPT.get_or_build((reader.segment_id(), fields.to_vec()), || Frequent::build(reader, fields))
    }

    fn build(reader: &SegmentReader, fields: &[Field]) -> tantivy::Result<Frequent> {
        let mut postings: HashMap<Vec<u8>, u64> = HashMap::new();
        for &field in fields {
            let inverted = reader.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let df = u64::from(stream.value().doc_freq);
                // A word frequent in the fields together is frequent enough in one of them.
                if df * fields.len() as u64 >= FREQUENT_POSTINGS {
                    *postings.entry(stream.key().to_vec()).or_default() += df;
                }
            }
        }
        let mut counts = HashMap::new();
        for (word, n) in postings {
            if n < FREQUENT_POSTINGS {
                continue;
            }
            let Ok(text) = std::str::from_utf8(&word) else { continue };
            let any = fields.iter().map(|&f| Term::from_field_text(f, text)).collect();
            let plan = CountPlan { any, none: Vec::new() };
            counts.insert(word, plan.count_lists(reader)?);
        }
        Ok(Frequent { counts })
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

/// Clears in `words` the list's documents that fall in the words `touched` (ascending), seeking past the
/// blocks between them without decoding them.
fn clear_sought(postings: &mut tantivy::postings::BlockSegmentPostings, touched: &[u32], words: &mut [u64]) {
    for &i in touched {
        let mut at = postings.seek(i * 64);
        read_until(postings, &mut at, i * 64 + 64, |doc, _| words[i as usize] &= !(1 << (doc % 64)));
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

#[cfg(test)]
mod tests {
    use crate::{SearchIndex, SearchRequest};
    use arrow_model::{Authorship, Work};

    /// A word frequent enough to be counted ahead ("data": thousands of postings over title, venue and authors)
    /// and a rarer one ("graph"), before and after some works are deleted: the totals are the works having them.
    #[test]
    fn frequent_words_count_exactly_with_and_without_deletions() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let work = |i: i64, replaced: bool| {
            let title = match (replaced, i % 2, i % 7) {
                (true, _, _) => "replaced".to_string(),
                (false, 0, 0) => "data graph".to_string(),
                (false, 0, _) => "data".to_string(),
                (false, _, _) => "other".to_string(),
            };
            let mut w = Work::new(format!("t:{i}"), title);
            if !replaced && i % 3 == 0 {
                w.venue = Some("Data Engineering".into());
            }
            if !replaced && i % 5 == 0 {
                w.authors = vec![Authorship::at(1, "Data Person")];
            }
            w
        };
        let expected = |word: &str, deleted: &dyn Fn(i64) -> bool| {
            (0..6000)
                .filter(|&i| {
                    let w = work(i, deleted(i));
                    let text = format!("{} {} {:?}", w.title, w.venue.unwrap_or_default(), w.authors).to_lowercase();
                    text.split(|c: char| !c.is_alphanumeric()).any(|t| t == word)
                })
                .count()
        };
        let mut writer = index.writer().unwrap();
        for i in 0..6000 {
            writer.put(i, &work(i, false), false).unwrap();
        }
        writer.commit(1).unwrap();
        drop(writer);
        index.reload().unwrap();
        let total = |q: &str| index.search(&SearchRequest::query(q)).unwrap().total;
        assert_eq!(total("data"), expected("data", &|_| false));
        assert_eq!(total("graph"), expected("graph", &|_| false));
        let mut writer = index.writer().unwrap();
        for i in (0..6000).step_by(4) {
            writer.put(i, &work(i, true), true).unwrap();
        }
        writer.commit(2).unwrap();
        index.reload().unwrap();
        let deleted = |i: i64| i % 4 == 0;
        assert_eq!(total("data"), expected("data", &deleted));
        assert_eq!(total("graph"), expected("graph", &deleted));
    }

    /// A rare word beside a long exclusion: the exclusion's list is read only where the rare word's works are
    /// (`clear_sought`), and the total is still every work having the one and not the other.
    #[test]
    fn a_few_matches_minus_a_long_exclusion_count_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        // "rare" in one work of 97 (63 of 6,100: fewer than the bitset's 96 words), "data" in two of three: some
        // rare works have it, most not.
        let title = |i: i64| match (i % 97 == 0, i % 3 != 0) {
            (true, true) => "rare data",
            (true, false) => "rare",
            (false, true) => "data",
            (false, false) => "other",
        };
        let mut writer = index.writer().unwrap();
        for i in 0..6100 {
            writer.put(i, &Work::new(format!("t:{i}"), title(i)), false).unwrap();
        }
        writer.commit(1).unwrap();
        drop(writer);
        index.reload().unwrap();
        let total = |q: &str| index.search(&SearchRequest::query(q)).unwrap().total;
        let expected = |keep: &dyn Fn(i64) -> bool| (0..6100).filter(|&i| keep(i)).count();
        let rare_only = |i: i64| i % 97 == 0 && i % 3 == 0;
        assert_eq!(total("rare -data"), expected(&rare_only));
        assert_eq!(total("rare -other"), expected(&|i| i % 97 == 0));
        assert_eq!(total("data -rare"), expected(&|i| i % 3 != 0 && i % 97 != 0));
    }
}
