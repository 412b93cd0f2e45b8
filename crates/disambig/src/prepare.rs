//! Turns mentions into compact, interned features and collection statistics (document frequencies), and groups
//! them into blocks.

use crate::name::{fold_name, name_match, ParsedName};
use crate::Mention;
use crate::NameMatch;
use rustc_hash::FxHashMap as HashMap;

const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "from",
    "into",
    "onto",
    "using",
    "based",
    "via",
    "its",
    "their",
    "this",
    "that",
    "are",
    "not",
    "new",
    "over",
    "under",
    "between",
    "towards",
    "toward",
    "approach",
    "method",
    "methods",
    "study",
    "analysis",
    "system",
    "systems",
    "model",
    "models",
    "application",
    "applications",
    "paper",
    "some",
    "note",
    "notes",
    "can",
    "how",
    "what",
    "when",
    "which",
    "who",
    "why",
    "all",
    "one",
    "two",
    "use",
    "part",
    "case",
    "about",
    "than",
    "non",
];

/// Works with more coauthors than this add no coauthor links.
const MAX_LINKED_AUTHORS: usize = 30;

/// Interns strings to dense ids.
#[derive(Default, Debug, Clone)]
pub(crate) struct Interner {
    map: HashMap<String, u32>,
}

impl Interner {
    pub(crate) fn get(&self, s: &str) -> Option<u32> {
        self.map.get(s).copied()
    }

    pub(crate) fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = self.map.len() as u32;
        self.map.insert(s.to_string(), i);
        i
    }
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

/// Splits a title into folded content words (light plural stemming).
pub(crate) fn title_words(title: &str) -> Vec<String> {
    let f = fold_name(title);
    let mut out: Vec<String> = Vec::new();
    for w in f.split(|c: char| !c.is_alphanumeric()) {
        if w.len() < 3 || STOPWORDS.contains(&w) || w.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut w = w.to_string();
        if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
            w.pop();
        }
        out.push(w);
    }
    out.sort();
    out.dedup();
    out
}

/// Coauthor key: the parsed name (folded surname, given names with their spacing, hyphens and case removed,
/// initials marked) and the homonym number, which makes the coauthor more specific. DBLP prints one coauthor
/// as "Xiao-Li Li", "Xiaoli Li" or "XiaoLi Li" on different papers; exact strings would miss those shared
/// coauthors.
pub(crate) fn coauthor_key(name: &str) -> String {
    let p = ParsedName::parse(name);
    let mut out = String::with_capacity(name.len() + 6);
    for g in &p.given {
        out.push_str(&g.text);
        if g.initial {
            out.push('.');
        }
    }
    out.push(' ');
    out.push_str(&p.surname);
    if let Some(h) = p.homonym {
        out.push_str(&format!(" {h}"));
    }
    out
}

/// Venue key: the venue's series, as the folded words of its name without what tells one edition or issue from
/// another. DBLP splits one conference's proceedings into volumes and tracks ("ISICA (1)", "ASIACRYPT (2)", "ACL
/// (Short Papers)"); the ACL Anthology names each edition ("17th Annual Meeting of the Association for
/// Computational Linguistics", "COLING 1990 Volume 1: Papers presented to the 13th International Conference…") and
/// each journal issue ("Computational Linguistics, Volume 20, Number 3, September 1994"). One series is one
/// community of authors, and a person's papers at its editions should meet. So a trailing parenthesised qualifier
/// goes, then what follows a colon, then numbers, ordinals, years, months and words such as "Volume" and
/// "Proceedings of the".
pub(crate) fn venue_key(venue: &str) -> String {
    let v = venue.trim_end();
    let base = match v.strip_suffix(')').and_then(|s| s.rfind('(').map(|i| s[..i].trim_end())) {
        Some(b) if !b.is_empty() => b,
        _ => v,
    };
    let folded = fold_name(base);
    let series = |text: &str| -> String {
        let words = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty() && !edition_word(w));
        words.collect::<Vec<_>>().join(" ")
    };
    // What follows a colon names the edition's content only where the head names an edition ("COLING 1990 Volume 1:
    // Papers presented to…"); elsewhere it is the venue's own topic ("AAAI Spring Symposium: Dialog with Robots").
    let edition = |h: &str| h.split(|c: char| !c.is_alphanumeric()).any(|w| !w.is_empty() && marks_edition(w));
    let head = folded.split_once(':').filter(|(h, _)| edition(h)).map(|(h, _)| series(h)).filter(|h| !h.is_empty());
    let key = head.unwrap_or_else(|| series(&folded));
    if key.is_empty() {
        folded
    } else {
        key
    }
}

/// A word of a venue's name that tells an edition or issue, not the series, or a filler word beside one.
fn edition_word(w: &str) -> bool {
    marks_edition(w) || matches!(w, "proceedings" | "of" | "the" | "papers")
}

/// A word that names an edition or an issue: a number or ordinal, a month, "Volume".
fn marks_edition(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "volume",
        "vol",
        "number",
        "no",
        "issue",
        "part",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "twenty",
        "thirtieth",
        "thirty",
        "fortieth",
        "forty",
        "fiftieth",
        "fifty",
    ];
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let ordinal = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(&w[digits.len()..], "" | "st" | "nd" | "rd" | "th");
    ordinal || WORDS.contains(&w)
}

/// Per-mention features, all interned.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub names: Vec<ParsedName>,
    /// Equal ids ⇔ equal parsed names.
    pub name_id: Vec<u32>,
    pub work: Vec<u32>,
    pub source: Vec<Option<u32>>,
    /// Sorted, deduplicated coauthor ids.
    pub coauthors: Vec<Vec<u32>>,
    pub venue: Vec<Option<u32>>,
    /// The field of each mention's venue (see `fields.rs`).
    pub field: Vec<Option<u32>>,
    pub year: Vec<Option<i32>>,
    /// Unit-length TF-IDF vector of title words, sorted by word id.
    pub words: Vec<Vec<(u32, f32)>>,
    /// The few rarest title words of each mention (for candidate generation).
    pub rare_words: Vec<Vec<u32>>,
    /// Number of distinct works a coauthor name appears on (as any author).
    pub coauthor_df: Vec<u32>,
    /// Per coauthor id, the sorted ids of the people it shares a work with, among the coauthors of the run's
    /// mentions (the mention's own name excluded, so the ambiguous name itself never links two coauthors).
    pub coauthor_links: Vec<Vec<u32>>,
    pub venue_df: Vec<u32>,
    pub n_works: u32,
    /// For each work that came with references, the sorted ids of the run's works it cites (empty when none did).
    pub cites: HashMap<u32, Vec<u32>>,
    /// Blocks: mention indices sorted by (work, position); and each mention's block.
    pub blocks: Vec<Vec<usize>>,
    pub block_of: Vec<u32>,
    /// Per block, its mentions' own names as coauthor ids (as other works list them), sorted.
    pub block_names: Vec<Vec<u32>>,
    /// Mentions kept apart by group: clusters holding mentions of two different groups never merge. Empty in a
    /// run; an incremental assignment's replay fills it with the sides of a curator's splits, so that the
    /// replay does not join what the curator took apart (see [`crate::assign_apart`]).
    pub apart: HashMap<usize, u32>,
    /// Per mention, its generational suffix (0: none) where the run shows that the suffix tells two people of one
    /// name apart: a work lists the name both with and without it ("Jan Hajič" and "Jan Hajič jr.", father and
    /// son), or the name is written with two different suffixes. Clusters of two generations never merge. `None`
    /// elsewhere: "Hal Daumé III" is also "Hal Daumé".
    pub generation: Vec<Option<u8>>,
}

pub(crate) fn prepare(mentions: &[Mention]) -> Prepared {
    prepare_in(mentions, None)
}

/// [`prepare`], with each mention's block given (`blocks[i]` for mention `i`) instead of its name's block key.
pub(crate) fn prepare_in(mentions: &[Mention], blocks: Option<&[String]>) -> Prepared {
    let n = mentions.len();
    let mut works = Interner::default();
    let mut sources = Interner::default();
    let mut people = Interner::default();
    let mut venues = Interner::default();
    let mut vocab = Interner::default();
    let mut names = Vec::with_capacity(n);
    let mut name_ids: HashMap<ParsedName, u32> = HashMap::default();
    let mut name_id = Vec::with_capacity(n);
    let mut work = Vec::with_capacity(n);
    let mut source = Vec::with_capacity(n);
    let mut coauthors = Vec::with_capacity(n);
    let mut venue = Vec::with_capacity(n);
    let mut year = Vec::with_capacity(n);
    let mut raw_words: Vec<Vec<u32>> = Vec::with_capacity(n);
    let mut coauthor_df: Vec<u32> = Vec::new();
    let mut links: Vec<(u32, u32)> = Vec::new();
    let mut venue_df: Vec<u32> = Vec::new();
    let mut word_df: Vec<u32> = Vec::new();
    // Words of a work are computed once per work.
    let mut work_words: HashMap<u32, Vec<u32>> = HashMap::default();
    let mut block_index: HashMap<String, u32> = HashMap::default();
    let mut block_keys: Vec<String> = Vec::new();
    let mut block_of = Vec::with_capacity(n);
    // Raw strings repeat a lot (every mention of a work carries the same coauthor list): fold each once.
    let mut parsed_cache: HashMap<&str, (ParsedName, String)> = HashMap::default();
    let mut person_cache: HashMap<&str, u32> = HashMap::default();
    let mut owns = Vec::with_capacity(n);
    let mut venue_cache: HashMap<&str, u32> = HashMap::default();
    // Each work with a venue: the venue and the work's first mention.
    let mut venue_works: Vec<(u32, usize)> = Vec::new();
    for m in mentions {
        let (parsed, key) = parsed_cache
            .entry(m.name.as_str())
            .or_insert_with(|| {
                let p = ParsedName::parse(&m.name);
                let k = p.block_key();
                (p, k)
            })
            .clone();
        let key = match blocks {
            Some(given) => given[names.len()].clone(),
            None => key,
        };
        let next = block_index.len() as u32;
        let b = *block_index.entry(key.clone()).or_insert_with(|| {
            block_keys.push(key);
            next
        });
        block_of.push(b);
        let next_name = name_ids.len() as u32;
        name_id.push(*name_ids.entry(parsed.clone()).or_insert(next_name));
        names.push(parsed);
        let before = works.len();
        let w = works.id(&m.work);
        let new_work = works.len() > before;
        work.push(w);
        source.push(m.source_id.as_deref().map(|s| sources.id(s)));
        let mut co: Vec<u32> = m
            .coauthors
            .iter()
            .map(|c| *person_cache.entry(c.as_str()).or_insert_with(|| people.id(&coauthor_key(c))))
            .collect();
        co.sort_unstable();
        co.dedup();
        let v = m.venue.as_deref().map(|v| *venue_cache.entry(v).or_insert_with(|| venues.id(&venue_key(v))));
        let own = *person_cache.entry(m.name.as_str()).or_insert_with(|| people.id(&coauthor_key(&m.name)));
        owns.push(own);
        if new_work {
            coauthor_df.resize(people.len(), 0);
            coauthor_df[own as usize] += 1;
            for &c in &co {
                coauthor_df[c as usize] += 1;
            }
            // Huge author lists say little about who works with whom and would add quadratically many links.
            if co.len() <= MAX_LINKED_AUTHORS {
                for (x, &a) in co.iter().enumerate() {
                    for &b in &co[x + 1..] {
                        links.push((a, b));
                        links.push((b, a));
                    }
                }
            }
            if let Some(v) = v {
                venue_df.resize(venues.len(), 0);
                venue_df[v as usize] += 1;
                venue_works.push((v, names.len() - 1));
            }
            let ws: Vec<u32> = title_words(&m.title).iter().map(|t| vocab.id(t)).collect();
            word_df.resize(vocab.len(), 0);
            for &t in &ws {
                word_df[t as usize] += 1;
            }
            work_words.insert(w, ws);
        }
        coauthor_df.resize(people.len(), 0);
        venue_df.resize(venues.len(), 0);
        coauthors.push(co);
        venue.push(v);
        year.push(m.year);
        raw_words.push(work_words.get(&w).cloned().unwrap_or_default());
    }
    links.sort_unstable();
    links.dedup();
    let mut coauthor_links: Vec<Vec<u32>> = vec![Vec::new(); people.len()];
    for (a, b) in links {
        coauthor_links[a as usize].push(b);
    }
    let n_works = works.len().max(1) as u32;
    let field_of_venue = {
        let list: Vec<crate::fields::WorkAuthors> = venue_works
            .iter()
            .map(|&(v, i)| crate::fields::WorkAuthors { venue: v, own: owns[i], coauthors: &coauthors[i] })
            .collect();
        crate::fields::venue_fields(venues.len(), &list, &coauthor_df, crate::fields::VENUES_PER_FIELD)
    };
    let field: Vec<Option<u32>> = venue.iter().map(|v| v.and_then(|v| field_of_venue[v as usize])).collect();
    // Cited works are looked up among the run's works only (never interned: they would count as works).
    let mut cites: HashMap<u32, Vec<u32>> = HashMap::default();
    for (i, m) in mentions.iter().enumerate() {
        if !m.cites.is_empty() && !cites.contains_key(&work[i]) {
            let mut l: Vec<u32> = m.cites.iter().filter_map(|c| works.get(c)).collect();
            l.sort_unstable();
            l.dedup();
            cites.insert(work[i], l);
        }
    }
    let word_idf: Vec<f32> = word_df.iter().map(|&d| ((n_works as f32 + 1.0) / (d as f32 + 1.0)).ln() + 0.0).collect();
    let mut words = Vec::with_capacity(n);
    let mut rare_words = Vec::with_capacity(n);
    for ws in raw_words {
        let norm: f32 = ws.iter().map(|&t| word_idf[t as usize].powi(2)).sum::<f32>().sqrt().max(1e-6);
        let mut vec: Vec<(u32, f32)> = ws.iter().map(|&t| (t, word_idf[t as usize] / norm)).collect();
        vec.sort_unstable_by_key(|x| x.0);
        let mut by_rarity: Vec<(u32, f32)> = vec.clone();
        by_rarity.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        rare_words.push(by_rarity.iter().take(4).map(|x| x.0).collect());
        words.push(vec);
    }
    let mut blocks: Vec<Vec<usize>> = vec![Vec::new(); block_keys.len()];
    for (i, &b) in block_of.iter().enumerate() {
        blocks[b as usize].push(i);
    }
    for blk in &mut blocks {
        blk.sort_by(|&a, &b| {
            mentions[a]
                .work
                .cmp(&mentions[b].work)
                .then(mentions[a].position.cmp(&mentions[b].position))
                .then(a.cmp(&b))
        });
    }
    let block_names: Vec<Vec<u32>> = blocks
        .iter()
        .map(|blk| {
            let mut ids: Vec<u32> = blk.iter().map(|&i| owns[i]).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect();
    let generation = generations(mentions, &block_of, &name_id, &work);
    Prepared {
        generation,
        names,
        name_id,
        work,
        source,
        coauthors,
        venue,
        field,
        year,
        words,
        rare_words,
        coauthor_df,
        coauthor_links,
        venue_df,
        n_works,
        cites,
        blocks,
        block_of,
        block_names,
        apart: HashMap::default(),
    }
}

/// See [`Prepared::generation`].
fn generations(mentions: &[Mention], block_of: &[u32], name_id: &[u32], work: &[u32]) -> Vec<Option<u8>> {
    let suffix: Vec<u8> = mentions.iter().map(|m| crate::name::generation(&m.name)).collect();
    if suffix.iter().all(|&s| s == 0) {
        return vec![None; mentions.len()];
    }
    // The suffixes each name (a parsed name within its block) is written with, overall and on each work.
    let mut overall: HashMap<(u32, u32), u32> = HashMap::default();
    let mut on_work: HashMap<(u32, u32, u32), u32> = HashMap::default();
    for (i, &s) in suffix.iter().enumerate() {
        let name = (block_of[i], name_id[i]);
        *overall.entry(name).or_default() |= 1 << s;
        *on_work.entry((name.0, name.1, work[i])).or_default() |= 1 << s;
    }
    // Two suffixes tell their people apart; the name without one stays free to join either, unless a work lists
    // it beside a suffix too.
    let suffixes: std::collections::HashSet<(u32, u32)> =
        overall.iter().filter(|(_, &bits)| (bits & !1).count_ones() > 1).map(|(&k, _)| k).collect();
    let on_one_work: std::collections::HashSet<(u32, u32)> =
        on_work.iter().filter(|(_, &bits)| bits.count_ones() > 1).map(|(&(b, n, _), _)| (b, n)).collect();
    (0..mentions.len())
        .map(|i| {
            let name = (block_of[i], name_id[i]);
            let told = on_one_work.contains(&name) || suffix[i] != 0 && suffixes.contains(&name);
            told.then_some(suffix[i])
        })
        .collect()
}

/// Dot product of two sorted sparse vectors.
pub(crate) fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Number of shared elements of two sorted id lists, and the first of them.
pub(crate) fn shared(a: &[u32], b: &[u32]) -> (usize, Option<u32>) {
    let (mut i, mut j, mut n, mut first) = (0, 0, 0, None);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                first = first.or(Some(a[i]));
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (n, first)
}

impl Prepared {
    /// True when a rare coauthor of `i` has shared a work with a rare coauthor of `j` (second-order
    /// coauthorship). Through prolific coauthors nearly everyone in a field is linked, so they do not count.
    pub(crate) fn coauthors_linked(&self, i: usize, j: usize, max_df: u32) -> bool {
        let rare = |x: &&u32| self.coauthor_df[**x as usize] <= max_df;
        let b: Vec<u32> = self.coauthors[j].iter().filter(rare).copied().collect();
        self.coauthors[i].iter().filter(rare).any(|&x| {
            let l = &self.coauthor_links[x as usize];
            if l.len() < b.len() {
                l.iter().any(|y| b.binary_search(y).is_ok())
            } else {
                b.iter().any(|y| l.binary_search(y).is_ok())
            }
        })
    }

    /// Name agreement of two mentions (fast when the parsed names are equal).
    /// See [`crate::clearly_different_names`].
    pub(crate) fn clearly_different(&self, i: usize, j: usize) -> bool {
        self.name_id[i] != self.name_id[j] && crate::name::clearly_different(&self.names[i], &self.names[j])
    }

    pub(crate) fn names_match(&self, i: usize, j: usize) -> NameMatch {
        if self.name_id[i] == self.name_id[j] {
            let n = &self.names[i];
            return match n.given.first() {
                None => NameMatch::InitialCompatible,
                Some(g) if g.initial => NameMatch::InitialCompatible,
                Some(_) if n.given.iter().all(|g| !g.initial) => NameMatch::Exact,
                Some(_) => NameMatch::FullCompatible,
            };
        }
        name_match(&self.names[i], &self.names[j])
    }
}

#[cfg(test)]
mod tests {
    use super::{coauthor_key, venue_key};

    #[test]
    fn venue_volumes_and_tracks_are_one_venue() {
        assert_eq!(venue_key("ISICA (1)"), venue_key("ISICA"));
        assert_eq!(venue_key("ACL (Short Papers)"), "acl");
        assert_eq!(venue_key("(Informal) Proceedings"), "informal");
        assert_ne!(venue_key("ICDE Workshops"), venue_key("ICDE"));
    }

    #[test]
    fn the_editions_and_issues_of_a_series_are_one_venue() {
        let acl = venue_key("Annual Meeting of the Association for Computational Linguistics");
        assert_eq!(venue_key("17th Annual Meeting of the Association for Computational Linguistics"), acl);
        assert_eq!(
            venue_key("Proceedings of the 45th Annual Meeting of the Association for Computational Linguistics"),
            acl
        );
        let cl = venue_key("Computational Linguistics, Volume 20, Number 3, September 1994");
        assert_eq!(cl, "computational linguistics");
        assert_eq!(venue_key("Computational Linguistics, Volume 31, Number 4, December 2005"), cl);
        assert_eq!(venue_key("COLING 1990 Volume 1: Papers presented to the 13th International Conference"), "coling");
        assert_eq!(
            venue_key("Ninth International Conference on Language Resources and Evaluation (LREC'14)"),
            venue_key("Tenth International Conference on Language Resources and Evaluation (LREC 2016)")
        );
        // Words that name a series stay: digits inside a word, another series.
        assert_eq!(venue_key("3DTV-CON"), "3dtv con");
        assert_ne!(venue_key("ICDE"), venue_key("ICDT"));
        assert_eq!(venue_key("1998"), "1998", "nothing but an edition: the name as it is");
        assert_ne!(
            venue_key("AAAI Spring Symposium: Dialog with Robots"),
            venue_key("AAAI Spring Symposium: Social Semantic Web"),
            "a colon after no edition: the topic names the venue"
        );
        assert_ne!(
            venue_key("Journal of Physics: Conference Series"),
            venue_key("Journal of Physics: Condensed Matter")
        );
    }

    #[test]
    fn coauthor_spellings_share_a_key() {
        let k = coauthor_key("Xiao-Li Li");
        assert_eq!(coauthor_key("Xiaoli Li"), k);
        assert_eq!(coauthor_key("XiaoLi Li"), k);
        assert_eq!(coauthor_key("Xiao Li Li"), k);
        assert_ne!(coauthor_key("Xiaoli Lin"), k);
        assert_ne!(coauthor_key("X. Li"), k);
        assert_ne!(coauthor_key("Ce Zhang 0001"), coauthor_key("Ce Zhang"));
    }
}
