//! Versions of one work: one paper published more than once — a conference paper and its journal
//! version, a preprint and its published form, records from two sources without a shared identifier.
//! (Records sharing a DOI, arXiv id or DBLP key are already one work in the store.)
//!
//! The rule, in bounded time over the whole store:
//! - **Blocking**: works are bucketed by a title key (folded, punctuation dropped, spaces collapsed), and
//!   also by a shorter key: the title without a marker ("(Extended Abstract)", "Brief Announcement:"), or
//!   without its subtitle when the main title keeps at least [`MIN_MAIN_WORDS`] words and the subtitle is
//!   not a part of a series ("Part II"); a main title only matches a whole title ("X: sub" and "X", never
//!   "X: sub1" and "X: sub2", usually two papers). A bucket of more
//!   than [`MAX_BLOCK`] works is a generic title ("Editorial", "Preface") and is skipped; so pairs are
//!   compared only inside small buckets.
//! - **Linking** ([`same_paper`]): two works of a bucket are versions when their author lists overlap
//!   (names folded, DBLP homonym numbers dropped: at least half of the shorter list, or all of it when it
//!   has one or two names), their years are both known and at most [`MAX_YEARS_APART`] apart, and they are
//!   not at the same venue (the same title at one venue in one year is usually two distinct records, e.g.
//!   a talk and its paper; in other years, a recurring event: a yearly tutorial, workshop or contest
//!   report, which union-find would chain into one group across a decade).
//! - **Grouping**: union-find over the links; groups of two or more are stored.

use crate::{Arrow, EngineError};
use arrow_model::Work;
use arrow_normalize::{fold, split_homonym};
use serde::Serialize;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::time::Instant;

/// Buckets of more works than this share a generic title and are not compared.
pub const MAX_BLOCK: usize = 64;
/// Versions are published at most this many years apart.
pub const MAX_YEARS_APART: i32 = 3;
/// A subtitle is dropped for blocking only when the main title keeps this many words.
pub const MIN_MAIN_WORDS: usize = 4;

/// What a grouping run did.
#[derive(Debug, Clone, Serialize)]
pub struct VersionsReport {
    /// Groups of two or more works.
    pub groups: u64,
    /// Works in those groups.
    pub works_grouped: u64,
    pub seconds: f64,
}

/// Another version of a work, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct VersionRef {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

impl VersionRef {
    pub fn of(w: &Work) -> VersionRef {
        VersionRef { id: w.id.0.clone(), title: w.title.clone(), venue: w.venue.clone(), year: w.year }
    }
}

/// Lower-case, diacritics-free words of `s`, split on anything not alphanumeric, joined by one space.
fn words_key(s: &str) -> String {
    words_of(&fold(s))
}

/// [`words_key`] of text already folded.
fn words_of(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Markers a version adds at the end of a title, set off by punctuation.
const MARKERS: [&str; 14] = [
    "extended abstract",
    "abstract",
    "short paper",
    "short version",
    "extended version",
    "full version",
    "long version",
    "poster",
    "poster paper",
    "demo",
    "demo paper",
    "invited paper",
    "preliminary version",
    "student abstract",
];

/// The keys of a title that [`same_paper`] matches on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleKeys {
    /// The whole title, folded, punctuation dropped, spaces collapsed.
    pub full: String,
    /// Without a marker a version adds ("(Extended Abstract)", "Brief Announcement:"); matches another
    /// work's full or marker key.
    pub marker: Option<String>,
    /// Without the subtitle, when the main title has at least [`MIN_MAIN_WORDS`] words and the subtitle
    /// is not a part of a series ("Part II"); matches another work's full or marker key only: two
    /// different subtitles of one main title are usually two papers.
    pub main: Option<String>,
}

impl TitleKeys {
    fn all(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.full.as_str()).chain(self.marker.as_deref()).chain(self.main.as_deref())
    }

    /// The full key and the marker key: what may match anything.
    fn whole(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.full.as_str()).chain(self.marker.as_deref())
    }

    /// Whether the two titles name one paper.
    fn matches(&self, other: &TitleKeys) -> bool {
        let whole = TitleKeys::whole;
        whole(self).any(|a| whole(other).any(|b| a == b))
            || self.main.as_deref().is_some_and(|m| whole(other).any(|b| b == m))
            || other.main.as_deref().is_some_and(|m| whole(self).any(|a| a == m))
    }
}

/// The blocking keys of a title.
pub fn title_keys(title: &str) -> TitleKeys {
    let folded = fold(title);
    let full = words_of(&folded);
    let mut marker: Option<String> = None;
    // A trailing marker: "X (Extended Abstract)", "X. Extended abstract", "X [short paper]".
    let trimmed = folded.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ')' | ']'));
    for m in MARKERS {
        if let Some(head) = trimmed.strip_suffix(m) {
            let head = head.trim_end();
            if head.ends_with(['(', '[', ':', '.', '-', '\u{2013}', '\u{2014}', ',']) {
                let k = words_of(head);
                if k.split(' ').count() >= 2 {
                    marker = Some(k);
                    break;
                }
            }
        }
    }
    // A leading marker: "Brief Announcement: X".
    if marker.is_none() {
        if let Some(rest) = folded.strip_prefix("brief announcement") {
            let k = words_of(rest);
            if k.split(' ').count() >= MIN_MAIN_WORDS {
                marker = Some(k);
            }
        }
    }
    // A subtitle: "Main title: subtitle", when the main title is distinctive on its own.
    let mut main = None;
    if let Some((head, sub)) = folded.split_once([':', '\u{2014}']).or_else(|| folded.split_once(" - ")) {
        let k = words_of(head);
        let series = words_of(sub).split(' ').any(|w| w == "part" || w == "parts");
        if k.split(' ').count() >= MIN_MAIN_WORDS && !series {
            main = Some(k);
        }
    }
    let marker = marker.filter(|s| !s.is_empty() && *s != full);
    let main = main.filter(|s| !s.is_empty() && *s != full && Some(s) != marker.as_ref());
    TitleKeys { full, marker, main }
}

/// An author name for comparing lists: folded words, DBLP homonym number dropped ("Ji Liu 0002" = "Ji Liu").
pub fn author_key(name: &str) -> String {
    words_key(split_homonym(name).0)
}

/// What [`same_paper`] compares of a work.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub title: TitleKeys,
    pub year: Option<i32>,
    /// Folded venue.
    pub venue: Option<String>,
    pub authors: Vec<String>,
}

impl Candidate {
    pub fn of(w: &Work) -> Candidate {
        let title = title_keys(&w.title);
        let mut authors: Vec<String> =
            w.authors.iter().map(|a| author_key(&a.name)).filter(|a| !a.is_empty()).collect();
        authors.sort();
        authors.dedup();
        Candidate { title, year: w.year, venue: w.venue.as_deref().map(words_key), authors }
    }
}

/// Whether two works are versions of one paper (the rule in the module doc).
pub fn same_paper(a: &Candidate, b: &Candidate) -> bool {
    if a.title.full.is_empty() || b.title.full.is_empty() || !a.title.matches(&b.title) {
        return false;
    }
    let (Some(ya), Some(yb)) = (a.year, b.year) else { return false };
    if (ya - yb).abs() > MAX_YEARS_APART {
        return false;
    }
    // One venue twice is a recurring event (a yearly tutorial, workshop report or contest report under
    // one title), or, in one year, two distinct records; a version appears elsewhere. Without venues,
    // only one year is ruled out.
    if a.venue == b.venue && (a.venue.is_some() || ya == yb) {
        return false;
    }
    let shorter = a.authors.len().min(b.authors.len());
    if shorter == 0 {
        return false;
    }
    // Both lists are sorted and deduplicated.
    let (small, large) = if a.authors.len() <= b.authors.len() { (a, b) } else { (b, a) };
    let shared = small.authors.iter().filter(|n| large.authors.binary_search(n).is_ok()).count();
    let needed = if shorter <= 2 { shorter } else { shorter.div_ceil(2) };
    shared >= needed
}

/// The hash that buckets a blocking key. Bucket sizes are counted over hashes (collisions only make a bucket
/// look bigger), so the whole store's buckets can be counted without holding its titles.
pub fn hash_key(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// A work's blocking keys with their hashes (none for an empty title). A work whose keys coincide counts once
/// per key in its buckets' sizes.
pub fn version_keys(title: &str) -> Vec<(u64, String)> {
    let keys = title_keys(title);
    if keys.full.is_empty() {
        return Vec::new();
    }
    keys.all().map(|k| (hash_key(k), k.to_string())).collect()
}

/// Whether a bucket of this many entries (over the whole store) is compared: two or more works, and not a
/// generic title.
pub fn bucket_compared(entries: usize) -> bool {
    (2..=MAX_BLOCK).contains(&entries)
}

/// Groups of work keys that are versions of one paper, among `works` (already blocked candidates).
#[cfg(test)]
fn group(works: &[(i64, Candidate)]) -> Vec<Vec<i64>> {
    let mut uf = arrow_disambig::UnionFind::new(works.len());
    for (i, j) in links(works, |_| true) {
        uf.join_into(i, j);
    }
    groups_of(works, &mut uf)
}

/// The union-find's groups of two or more works, as sorted lists of work keys, in order.
fn groups_of(works: &[(i64, Candidate)], uf: &mut arrow_disambig::UnionFind) -> Vec<Vec<i64>> {
    let mut groups: HashMap<usize, Vec<i64>> = HashMap::new();
    for (i, (key, _)) in works.iter().enumerate() {
        groups.entry(uf.find(i)).or_default().push(*key);
    }
    let mut out: Vec<Vec<i64>> = groups
        .into_values()
        .filter(|g| g.len() >= 2)
        .map(|mut g| {
            g.sort_unstable();
            g.dedup();
            g
        })
        .filter(|g| g.len() >= 2)
        .collect();
    out.sort();
    out
}

/// The pairs `(i, j)` of `works` that are versions of one paper: compared inside each bucket of works that
/// share a blocking key, for the keys `compared` allows (whose bucket over the whole store is small).
pub fn links(works: &[(i64, Candidate)], compared: impl Fn(&str) -> bool) -> Vec<(usize, usize)> {
    let mut blocks: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (_, c)) in works.iter().enumerate() {
        for k in c.title.all() {
            blocks.entry(k).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (key, members) in &blocks {
        if !bucket_compared(members.len()) || !compared(key) {
            continue;
        }
        for (n, &i) in members.iter().enumerate() {
            for &j in &members[n + 1..] {
                if i != j && same_paper(&works[i].1, &works[j].1) {
                    out.push((i, j));
                }
            }
        }
    }
    out.sort_unstable();
    out
}

impl Arrow {
    /// Groups the works that are versions of one paper, over the whole store, and stores the groups
    /// (replacing the last). Two passes: titles alone to find the buckets with more than one work, then
    /// the full works of those buckets only.
    pub fn group_versions(&self) -> Result<VersionsReport, EngineError> {
        let start = Instant::now();
        let store = self.store();
        // Pass 1: (hash of a blocking key, work key), for every work and each of its keys.
        let mut entries: Vec<(u64, i64)> = Vec::new();
        store.for_each_title(|key, title, _, _| {
            for (h, _) in version_keys(title) {
                entries.push((h, key));
            }
        })?;
        entries.sort_unstable();
        let mut candidates: Vec<i64> = Vec::new();
        // Buckets compared, by their size over the whole store: a key shared by many works is generic even
        // where only a few of them are candidates through their other keys.
        let mut compared: HashSet<u64> = HashSet::new();
        for block in entries.chunk_by(|a, b| a.0 == b.0) {
            if bucket_compared(block.len()) {
                candidates.extend(block.iter().map(|e| e.1));
                compared.insert(block[0].0);
            }
        }
        drop(entries);
        candidates.sort_unstable();
        candidates.dedup();
        // Pass 2: the candidates' works, compared within their buckets.
        let works: Vec<(i64, Candidate)> =
            store.works_by_keys(&candidates)?.into_iter().map(|(k, w)| (k, Candidate::of(&w))).collect();
        drop(store);
        let mut uf = arrow_disambig::UnionFind::new(works.len());
        for (i, j) in links(&works, |k| compared.contains(&hash_key(k))) {
            uf.join_into(i, j);
        }
        let groups = groups_of(&works, &mut uf);
        let works_grouped = groups.iter().map(Vec::len).sum::<usize>() as u64;
        self.store().replace_versions(&groups)?;
        Ok(VersionsReport { groups: groups.len() as u64, works_grouped, seconds: start.elapsed().as_secs_f64() })
    }

    /// The other versions of the work `id` (oldest first); empty when it has none or is unknown.
    pub fn versions_of(&self, id: &str) -> Result<Vec<VersionRef>, EngineError> {
        let store = self.reader();
        let Some((key, _)) = store.work(id)? else { return Ok(Vec::new()) };
        let others = store.versions_of_keys(&[key])?.remove(&key).unwrap_or_default();
        let mut refs: Vec<VersionRef> = store.works_by_keys(&others)?.iter().map(|(_, w)| VersionRef::of(w)).collect();
        refs.sort_by(|a, b| (a.year.is_none(), a.year, &a.id).cmp(&(b.year.is_none(), b.year, &b.id)));
        Ok(refs)
    }

    /// Up to `n` version groups spread evenly over the store (for checking the grouping by eye), each
    /// oldest version first.
    pub fn version_groups_sample(&self, n: usize) -> Result<Vec<Vec<VersionRef>>, EngineError> {
        let store = self.store();
        let all = store.version_groups()?;
        let step = all.len().div_ceil(n.max(1)).max(1);
        let mut out = Vec::new();
        for &grp in all.iter().step_by(step).take(n) {
            let members = store.version_members(grp)?;
            let mut refs: Vec<VersionRef> =
                store.works_by_keys(&members)?.iter().map(|(_, w)| VersionRef::of(w)).collect();
            refs.sort_by(|a, b| (a.year.is_none(), a.year, &a.id).cmp(&(b.year.is_none(), b.year, &b.id)));
            out.push(refs);
        }
        Ok(out)
    }

    /// The other versions of each of these works; works without versions are left out.
    pub(crate) fn version_refs(&self, keys: &[i64]) -> Result<HashMap<i64, Versions>, EngineError> {
        let store = self.reader();
        let others = store.versions_of_keys(keys)?;
        if others.is_empty() {
            return Ok(HashMap::new());
        }
        let wanted: Vec<i64> = others.values().flatten().copied().collect::<HashSet<_>>().into_iter().collect();
        let works: HashMap<i64, Work> = store.works_by_keys(&wanted)?.into_iter().collect();
        let mut out = HashMap::new();
        for (key, members) in others {
            let group = members.iter().copied().chain([key]).min().unwrap_or(key);
            let mut refs: Vec<VersionRef> = members.iter().filter_map(|m| works.get(m)).map(VersionRef::of).collect();
            refs.sort_by(|a, b| (a.year.is_none(), a.year, &a.id).cmp(&(b.year.is_none(), b.year, &b.id)));
            out.insert(key, Versions { group, members, refs });
        }
        Ok(out)
    }
}

/// A work's other versions (see [`Arrow::version_refs`]).
pub(crate) struct Versions {
    /// The smallest store key of the paper's versions, the same for each of them.
    pub group: i64,
    /// The other versions' store keys.
    pub members: Vec<i64>,
    /// The other versions as shown, oldest first.
    pub refs: Vec<VersionRef>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_model::Authorship;

    fn work(id: &str, title: &str, venue: &str, year: i32, authors: &[&str]) -> Work {
        let mut w = Work::new(id, title);
        w.venue = Some(venue.into());
        w.year = Some(year);
        w.authors = authors.iter().enumerate().map(|(i, a)| Authorship::at(i as u32 + 1, *a)).collect();
        w
    }

    fn same(a: &Work, b: &Work) -> bool {
        same_paper(&Candidate::of(a), &Candidate::of(b))
    }

    #[test]
    fn a_conference_paper_and_its_journal_version_are_one_paper() {
        let icml = work(
            "a",
            "An Asynchronous Parallel Stochastic Coordinate Descent Algorithm",
            "ICML",
            2014,
            &["Ji Liu 0002", "Stephen J. Wright 0001", "Christopher Ré", "Victor Bittorf", "Srikrishna Sridhar"],
        );
        let jmlr = work(
            "b",
            "An asynchronous parallel stochastic coordinate descent algorithm.",
            "JMLR",
            2015,
            &["Ji Liu", "Stephen J. Wright", "Christopher Re", "Victor Bittorf", "Srikrishna Sridhar"],
        );
        assert!(same(&icml, &jmlr));
        assert!(same(&jmlr, &icml));
    }

    #[test]
    fn different_titles_never_group() {
        let a = work("a", "Data Programming: Creating Large Training Sets, Quickly", "NeurIPS", 2016, &["A", "B"]);
        let b = work("b", "Snorkel: Rapid Training Data Creation", "VLDB", 2017, &["A", "B"]);
        assert!(!same(&a, &b));
        let c = work("c", "Hyena Hierarchy", "ICML", 2023, &["A", "B"]);
        let d = work("d", "Hyena Hierarchy Revisited", "ICLR", 2024, &["A", "B"]);
        assert!(!same(&c, &d));
    }

    #[test]
    fn the_same_title_with_disjoint_authors_never_groups() {
        let a = work("a", "Deep Learning for Graphs", "KDD", 2019, &["Ann Author", "Bob Writer", "Carl Coder"]);
        let b = work("b", "Deep Learning for Graphs", "TKDE", 2020, &["Dana Other", "Eve Else", "Fay Third"]);
        assert!(!same(&a, &b));
        // One shared name of three is less than half of the shorter list... of two it is not all.
        let c = work("c", "Deep Learning for Graphs", "TKDE", 2020, &["Ann Author", "Zed Z"]);
        assert!(!same(&a, &c));
        let d = work("d", "Deep Learning for Graphs", "TKDE", 2020, &["Ann Author", "Bob Writer", "Zed Z", "Y Y"]);
        assert!(same(&a, &d), "two of three shared");
        // Homonym numbers are one person's name; but no author list at all proves nothing.
        let e = work("e", "Deep Learning for Graphs", "TKDE", 2020, &[]);
        assert!(!same(&a, &e));
    }

    #[test]
    fn years_far_apart_or_one_venue_never_group() {
        let a = work("a", "Deep Learning for Graphs", "KDD", 2012, &["Ann Author", "Bob Writer"]);
        let b = work("b", "Deep Learning for Graphs", "TKDE", 2016, &["Ann Author", "Bob Writer"]);
        assert!(!same(&a, &b), "four years apart");
        let c = work("c", "Deep Learning for Graphs", "KDD", 2012, &["Ann Author", "Bob Writer"]);
        assert!(!same(&a, &c), "same venue and year");
        let d = work("d", "Deep Learning for Graphs", "KDD", 2013, &["Ann Author", "Bob Writer"]);
        assert!(!same(&a, &d), "a recurring event at one venue (a yearly tutorial)");
        let e = work("e", "Deep Learning for Graphs", "KDD Workshops", 2013, &["Ann Author", "Bob Writer"]);
        assert!(same(&a, &e));
    }

    #[test]
    fn markers_and_long_subtitles_are_dropped_for_blocking() {
        let fast = Some("fast consensus in sparse networks");
        assert_eq!(title_keys("Fast Consensus in Sparse Networks (Extended Abstract)").marker.as_deref(), fast);
        assert_eq!(title_keys("Brief Announcement: Fast Consensus in Sparse Networks").marker.as_deref(), fast);
        assert_eq!(title_keys("Fast Consensus in Sparse Networks: Theory and Practice").main.as_deref(), fast);
        // A short main title is not distinctive alone: "DeepDive: X" and "DeepDive: Y" are different papers.
        assert_eq!(title_keys("DeepDive: Declarative Knowledge Base Construction").main, None);
        // Parts of a series are different papers.
        assert_eq!(title_keys("Prerequisites for Affective Signal Processing (ASP) - Part II").main, None);
        // "abstract" as a word of the title is not a marker.
        assert_eq!(title_keys("Learning the Abstract").marker, None);
        let a = work("a", "Fast Consensus in Sparse Networks (Extended Abstract)", "PODC", 2010, &["Ann Author"]);
        let b = work("b", "Fast consensus in sparse networks", "Distributed Computing", 2012, &["Ann Author 0001"]);
        assert!(same(&a, &b));
        let c = work("c", "Fast Consensus in Sparse Networks: Theory and Practice", "TPDS", 2012, &["Ann Author"]);
        assert!(same(&a, &c) && same(&b, &c), "a subtitle added to a whole title");
    }

    #[test]
    fn two_different_subtitles_of_one_main_title_never_group() {
        let a = work(
            "a",
            "Iterative Optimization in the Polyhedral Model: Part I, One-Dimensional Time",
            "CGO",
            2007,
            &["L. Pouchet", "C. Bastoul"],
        );
        let b = work(
            "b",
            "Iterative optimization in the polyhedral model: part II, multidimensional time",
            "PLDI",
            2008,
            &["L. Pouchet", "C. Bastoul"],
        );
        assert!(!same(&a, &b));
        let c = work(
            "c",
            "Zum Stand der Normung in der Bildverarbeitung - Programmierschnittstelle",
            "DAGM",
            1989,
            &["A B"],
        );
        let d =
            work("d", "Zum Stand der Normung in der Bildverarbeitung - Aktuelle Aktivitaeten", "DAGM", 1991, &["A B"]);
        assert!(!same(&c, &d));
    }

    #[test]
    fn grouping_is_transitive_and_skips_singletons() {
        let ws = [
            work("a", "Deep Learning for Graphs", "KDD", 2019, &["Ann Author", "Bob Writer"]),
            work("b", "Deep learning for graphs.", "CoRR", 2018, &["Ann Author", "Bob Writer"]),
            work("c", "Deep Learning for Graphs", "TKDE", 2021, &["Ann Author", "Bob Writer"]),
            work("d", "Something Else Entirely", "TKDE", 2021, &["Ann Author", "Bob Writer"]),
        ];
        let cands: Vec<(i64, Candidate)> = ws.iter().enumerate().map(|(i, w)| (i as i64, Candidate::of(w))).collect();
        assert_eq!(group(&cands), vec![vec![0, 1, 2]]);
    }
}
