//! People: author disambiguation over the stored works, and what the surfaces show of a person.

use crate::readings::Authorship;
use crate::{dblp_ids, Arrow, EngineError};
use arrow_disambig::{Config, Explanation, Mention, Model, NameMatch};
use arrow_model::Work;
use arrow_store::{PersonDetails, PersonMention};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;

/// What a disambiguation run did.
#[derive(Debug, Clone, Serialize)]
pub struct DisambigReport {
    pub mentions: u64,
    pub people: u64,
    /// Distinct author name strings, as written (people per name string says how far the run split names).
    pub names: u64,
    pub seconds: f64,
    /// People joined with another after the run because they hold two readings of one name (family name first,
    /// a shortened double surname, "ue" for "ü"; see `readings.rs`).
    pub joined_readings: u64,
    /// Curations that no longer hold as asked, or that the evidence contradicts (kept, and said so).
    pub curation_conflicts: Vec<crate::CurationConflict>,
    /// Source ids (ORCID, DBLP person, …) written on names that share no word: not followed between those
    /// names (see [`arrow_disambig::clearly_different_names`]).
    pub source_id_conflicts: Vec<SourceIdConflict>,
}

/// A source id found on clearly different names.
#[derive(Debug, Clone, Serialize)]
pub struct SourceIdConflict {
    pub source_id: String,
    /// Its distinct written names (at most [`CONFLICT_NAMES`]), most used first.
    pub names: Vec<String>,
}

/// Names listed per source id conflict; also the most compared pairwise.
pub const CONFLICT_NAMES: usize = 20;

/// Every source id of `mentions` (id, written name) whose names include two clearly different ones.
fn source_id_conflicts<'a>(mentions: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<SourceIdConflict> {
    let mut by_id: HashMap<&str, HashMap<&str, u64>> = HashMap::new();
    for (id, name) in mentions {
        *by_id.entry(id).or_default().entry(name).or_default() += 1;
    }
    let mut out: Vec<SourceIdConflict> = by_id
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .filter_map(|(id, names)| {
            let mut names: Vec<(&str, u64)> = names.into_iter().collect();
            names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            names.truncate(CONFLICT_NAMES);
            let clash = names
                .iter()
                .enumerate()
                .any(|(k, a)| names[k + 1..].iter().any(|b| arrow_disambig::clearly_different_names(a.0, b.0)));
            clash.then(|| SourceIdConflict {
                source_id: id.to_string(),
                names: names.into_iter().map(|(n, _)| n.to_string()).collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.source_id.cmp(&b.source_id));
    out
}

/// A person as the person page shows them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonProfile {
    pub id: String,
    /// The most frequent written form.
    pub name: String,
    /// Every written form with how many works use it, most used first.
    pub variants: Vec<(String, u64)>,
    /// Newest first.
    pub works: Vec<Work>,
    pub coauthors: Vec<(String, u64)>,
    pub venues: Vec<(String, u64)>,
    /// Works per year, oldest first.
    pub years: Vec<(i32, u64)>,
    /// The ORCID a curator bound to this person (`arrow curate claim`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
    /// This person's place in each work's author list, by work id: `WORK_ID#POSITION` names the mention for
    /// `arrow curate split`.
    #[serde(default)]
    pub positions: BTreeMap<String, u32>,
    /// The coauthors as people, where disambiguation gave them: two people of one name apart, one person's
    /// spellings together, the most frequent first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coauthor_people: Vec<CoauthorPerson>,
}

/// A coauthor as a person: their id, their names on the works with their counts (the commonest first), and on how
/// many works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoauthorPerson {
    pub person: String,
    pub names: Vec<(String, u64)>,
    pub works: u64,
}

impl CoauthorPerson {
    pub fn new(person: String, mut names: Vec<(String, u64)>) -> CoauthorPerson {
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let works = names.iter().map(|(_, n)| n).sum();
        CoauthorPerson { person, names, works }
    }

    /// The name to show: the commonest.
    pub fn name(&self) -> &str {
        self.names.first().map_or("", |(n, _)| n.as_str())
    }

    /// The most frequent first, then by name and id.
    pub fn ranked(list: impl Iterator<Item = CoauthorPerson>) -> Vec<CoauthorPerson> {
        let mut v: Vec<CoauthorPerson> = list.collect();
        v.sort_by(|a, b| {
            b.works.cmp(&a.works).then_with(|| a.name().cmp(b.name())).then_with(|| a.person.cmp(&b.person))
        });
        v
    }
}

/// A person sharing a name, for the name cluster page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PersonSummary {
    pub id: String,
    /// Works of the name cluster that are this person's.
    pub works_with_name: u64,
    /// What tells them from the others of the name: all their works under any name, first and last year, their
    /// commonest venue (with its count), and the names they are written as (the commonest first).
    #[serde(default)]
    pub works: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<(i32, i32)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<(String, u64)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<(String, u64)>,
}

/// A person whose names fit a looser name (see [`Arrow::people_fitting`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonFit {
    pub id: String,
    /// Works under the fitting names.
    pub works: u64,
    /// The fitting names as written, with their counts, the commonest first.
    pub names: Vec<(String, u64)>,
}

/// The people whose names fit a looser name: the most published first, at most the limit asked for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PeopleFitting {
    pub people: Vec<PersonFit>,
    /// How many people fit in all.
    pub total: usize,
}

impl PeopleFitting {
    /// Ranks `people` (each person once), keeping the first `limit`.
    pub fn ranked(mut people: Vec<PersonFit>, limit: usize) -> PeopleFitting {
        let total = people.len();
        for p in &mut people {
            p.names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        people.sort_by(|a, b| b.works.cmp(&a.works).then_with(|| a.id.cmp(&b.id)));
        people.truncate(limit);
        PeopleFitting { people, total }
    }
}

impl PeopleFitting {
    /// Without the people of `shown` (listed already under the exact name, and all among those that fit), at most
    /// `limit`.
    pub fn without(mut self, shown: &[PersonSummary], limit: usize) -> PeopleFitting {
        self.people.retain(|p| !shown.iter().any(|s| s.id == p.id));
        self.people.truncate(limit);
        self.total = self.total.saturating_sub(shown.len());
        self
    }
}

/// Whether a name is a surname alone or with one initial ("Hajič", "Y. Zhang"): people of other names fit it too,
/// whoever wrote it exactly. Several initials ("C. A. R. Hoare") say enough to be taken as written.
pub fn is_partial_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    surname_only(&words)
        || arrow_disambig::first_given_name(name).is_none() && arrow_disambig::given_name_count(name) <= 1
}

/// Whether written words are a surname alone: "Hajič", and with its particles "De Sa", "van der Aalst".
fn surname_only(words: &[&str]) -> bool {
    words.split_last().is_some_and(|(_, before)| before.iter().all(|w| arrow_disambig::is_particle(w)))
}

impl PersonSummary {
    /// A person with `works_with_name` works of the name, told apart by `details` (all their works).
    pub fn new(id: String, works_with_name: u64, details: Option<PersonDetails>) -> PersonSummary {
        let Some(d) = details else {
            return PersonSummary { id, works_with_name, works: works_with_name, ..PersonSummary::default() };
        };
        PersonSummary {
            id,
            works_with_name,
            works: d.works,
            years: d.years,
            venue: d.venues.into_iter().next(),
            names: d.names,
        }
    }
}

/// What tells a person from the others of `name`, in a line: " · 42 papers in all, 2003–2016, mostly ICDE (12) ·
/// also written W. Wang".
pub fn tell_apart(p: &PersonSummary, name: &str) -> String {
    // The person's whole record, said as such: the counts before it are the name's (the total only when it says
    // more than they do).
    let mut all = Vec::new();
    if p.works > p.works_with_name {
        all.push(format!("{} papers in all", p.works));
    }
    match p.years {
        Some((a, b)) if a == b => all.push(a.to_string()),
        Some((a, b)) => all.push(format!("{a}–{b}")),
        None => {}
    }
    // One paper per venue says nothing of a "mostly" (ACL venues are single editions).
    match &p.venue {
        Some((venue, _)) if p.works == 1 => all.push(format!("at {venue}")),
        Some((venue, n)) if *n > 1 => all.push(format!("mostly {venue} ({n})")),
        _ => {}
    }
    let mut out = if all.is_empty() { String::new() } else { format!(" · {}", all.join(", ")) };
    let key = arrow_normalize::name_key(name);
    let others: Vec<&str> =
        p.names.iter().map(|(n, _)| n.as_str()).filter(|n| arrow_normalize::name_key(n) != key).collect();
    if !others.is_empty() {
        let more = if others.len() > 3 { ", …" } else { "" };
        out.push_str(&format!(" · also written {}{more}", others[..others.len().min(3)].join(", ")));
    }
    out
}

/// A mention named as `WORK_ID#POSITION` (position 1-based, as in the author list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRef {
    pub work: String,
    pub position: u32,
}

impl std::str::FromStr for MentionRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (work, pos) = s.rsplit_once('#').ok_or_else(|| format!("{s:?}: expected WORK_ID#POSITION"))?;
        if work.trim().is_empty() {
            return Err(format!("{s:?}: the work id before # is missing (expected WORK_ID#POSITION)"));
        }
        let position = pos.parse().map_err(|_| format!("{s:?}: the position after # must be a number"))?;
        if position == 0 {
            return Err(format!("{s:?}: positions in the author list count from 1"));
        }
        Ok(MentionRef { work: work.to_string(), position })
    }
}

/// Mentions per disambiguation batch (whole blocks): large enough for the label model to learn from,
/// small enough that one batch per core fits in memory beside the works.
pub const DISAMBIG_BATCH: u64 = 300_000;

/// The batch of a block, from the number of mentions in all blocks before it in block-key order: whole blocks,
/// cut where the running count passes a multiple of [`DISAMBIG_BATCH`]. Each batch fits its own label model
/// (see `disambiguate`). A rule of the running count alone, so that a distributed run (`spark/`) forms the same
/// batches from prefix sums, without a pass over every block in one place.
pub fn batch_of(mentions_before: u64) -> u64 {
    mentions_before / DISAMBIG_BATCH
}

/// Blocks of more mentions than this are split into sub-blocks (see [`sub_block`]), so that no batch, and no
/// executor of a distributed run, holds more than about this many mentions of one block whatever the corpus.
/// DBLP's largest block is far below it (docs/scale.md); OpenAlex's "Y. Wang" is far above.
pub const MAX_BLOCK_MENTIONS: u64 = 100_000;
/// [`MAX_BLOCK_MENTIONS`], or the environment's `ARROW_MAX_BLOCK_MENTIONS` (tests make giant blocks of small
/// corpora with it; a distributed run's executors and driver must see the same value).
pub fn max_block_mentions() -> u64 {
    std::env::var("ARROW_MAX_BLOCK_MENTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(MAX_BLOCK_MENTIONS)
}

/// An over-full sub-block is cut into this many parts.
pub const SUB_BLOCK_PARTS: u64 = 16;

/// The sub-block of a mention of a giant block: its block and its first given name as written out ("wang_y/yan"),
/// or `block/` for initials only. Different first names never match, so only the initials lose comparisons: "Y.
/// Wang" is no longer compared with "Yan Wang".
pub fn sub_block(block: &str, name: &str) -> String {
    format!("{block}/{}", arrow_disambig::first_given_name(name).unwrap_or_default())
}

/// The part of an over-full sub-block a mention goes to, by its alphabetically first coauthor's block (or its
/// venue, without coauthors): one person's papers share coauthors, so they tend to stay together. Lossy by design:
/// a person's papers with different first coauthors are not compared.
pub fn sub_block_part(sub: &str, m: &Mention) -> String {
    let anchor = m
        .coauthors
        .iter()
        .map(|c| arrow_disambig::block_key(c))
        .min()
        .unwrap_or_else(|| m.venue.as_deref().map(arrow_normalize::name_key).unwrap_or_default());
    // FNV-1a: stable across runs and machines (the distributed run computes it on other executors).
    let h = anchor.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3));
    format!("{sub}/{}", h % SUB_BLOCK_PARTS)
}

/// Splits blocks of more than [`MAX_BLOCK_MENTIONS`] into sub-blocks, and sub-blocks still that big into parts;
/// entries keep their order. `name` and `part` give an entry's name and its part key (see [`sub_block_part`]).
fn split_giant<T: Copy>(
    blocks: BTreeMap<String, Vec<T>>,
    name: impl Fn(T) -> String,
    part: impl Fn(&str, T) -> String,
) -> BTreeMap<String, Vec<T>> {
    let cap = max_block_mentions();
    let mut out = BTreeMap::new();
    for (key, list) in blocks {
        if list.len() as u64 <= cap {
            out.insert(key, list);
            continue;
        }
        let mut subs: BTreeMap<String, Vec<T>> = BTreeMap::new();
        for &e in &list {
            subs.entry(sub_block(&key, &name(e))).or_default().push(e);
        }
        for (sub, list) in subs {
            if list.len() as u64 <= cap {
                out.insert(sub, list);
                continue;
            }
            for &e in &list {
                out.entry(part(&sub, e)).or_insert_with(Vec::new).push(e);
            }
        }
    }
    out
}

/// The mentions of a work's authorships, as a disambiguation run sees them (without DBLP person records or
/// resolved references, which need the whole store).
pub fn work_mentions(work: &Work) -> Vec<Mention> {
    (0..work.authors.len()).map(|slot| mention(work, slot, None, &[])).collect()
}

/// The authorship in `slot` of `work`, with its context; `dblp_ids` (for a DBLP work) gives the author id
/// of a name that a DBLP person record lists, in place of the authorship's own.
/// `cites`: the stored works the work cites (see [`cited`]).
pub(crate) fn mention(
    work: &Work,
    slot: usize,
    dblp_ids: Option<&HashMap<String, String>>,
    cites: &[String],
) -> Mention {
    let a = &work.authors[slot];
    Mention {
        work: work.id.0.clone(),
        position: a.position.unwrap_or(slot as u32 + 1),
        name: a.name.clone(),
        source_id: dblp_ids.and_then(|ids| ids.get(&a.name)).or(a.source_id.as_ref()).cloned(),
        coauthors: arrow_disambig::coauthor_slots(work.authors.len(), slot)
            .map(|i| work.authors[i].name.clone())
            .collect(),
        venue: work.venue.clone(),
        year: work.year,
        title: work.title.clone(),
        cites: cites.to_vec(),
    }
}

/// The ids of the stored works among what `work` cites (self-citation evidence), by `lookup` (a reference to the
/// id of the work it names).
pub(crate) fn cited(
    work: &Work,
    mut lookup: impl FnMut(&str) -> Result<Option<String>, arrow_store::StoreError>,
) -> Result<Vec<String>, EngineError> {
    let mut out = Vec::new();
    for r in &work.references {
        if let Some(id) = lookup(r)? {
            if id != work.id.0 && !out.contains(&id) {
                out.push(id);
            }
        }
    }
    Ok(out)
}

fn mentions_of(
    key: i64,
    work: &Work,
    dblp_ids: Option<&HashMap<String, String>>,
    cites: &[String],
    out: &mut Vec<(i64, i64)>,
    mentions: &mut Vec<Mention>,
) {
    for slot in 0..work.authors.len() {
        out.push((key, slot as i64));
        mentions.push(mention(work, slot, dblp_ids, cites));
    }
}

/// The 1-based place of author `slot` in a work's author list (its slot + 1 when the source gave none).
pub(crate) fn position_of(w: &Work, slot: usize) -> u32 {
    w.authors.get(slot).and_then(|a| a.position).unwrap_or(slot as u32 + 1)
}

/// Coauthors that a person's papers under one reading of its name (`a`'s block) and under the other (`b`'s)
/// share, the most frequent first, at most three: what joined two readings after a run.
fn shared_by_readings(store: &arrow_store::Store, person: &str, a: &str, b: &str) -> Result<Vec<String>, EngineError> {
    let slots = store.person_mentions(person)?;
    let keys: Vec<i64> = slots.iter().map(|s| s.0).collect();
    let works: HashMap<i64, Work> = store.works_by_keys(&keys)?.into_iter().collect();
    let (block_a, block_b) = (arrow_disambig::block_key(a), arrow_disambig::block_key(b));
    // Coauthor name key -> (written name, works under reading a, works under reading b).
    let mut seen: HashMap<String, (String, u32, u32)> = HashMap::new();
    for (work, slot) in slots {
        let Some(w) = works.get(&work) else { continue };
        let Some(me) = w.authors.get(slot as usize) else { continue };
        let block = arrow_disambig::block_key(&me.name);
        let side = if block == block_a {
            0
        } else if block == block_b {
            1
        } else {
            continue;
        };
        for c in arrow_disambig::coauthor_slots(w.authors.len(), slot as usize).map(|i| &w.authors[i]) {
            let e = seen.entry(arrow_normalize::name_key(&c.name)).or_insert_with(|| (c.name.clone(), 0, 0));
            if side == 0 {
                e.1 += 1;
            } else {
                e.2 += 1;
            }
        }
    }
    let mut shared: Vec<(String, u32)> =
        seen.into_values().filter(|e| e.1 > 0 && e.2 > 0).map(|(name, x, y)| (name, x + y)).collect();
    shared.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    Ok(shared.into_iter().take(3).map(|(name, _)| name).collect())
}

/// What keeps two people apart whatever their papers say, by the rules a run keeps: a paper both wrote, different
/// author ids (as the run reads them: a source's id, or for DBLP works the id of the DBLP person record listing the
/// name), different DBLP homonym numbers, or names of one that cannot be the other's (a name both hold, or two that
/// read as each other, do not count: the run joins those).
fn kept_apart(store: &arrow_store::Store, a: &str, b: &str) -> Result<Option<String>, EngineError> {
    let (rows_a, rows_b) = (store.person_authorships(a)?, store.person_authorships(b)?);
    let works_a: HashSet<i64> = rows_a.iter().map(|r| r.0).collect();
    if let Some(shared) = rows_b.iter().map(|r| r.0).filter(|w| works_a.contains(w)).min() {
        let id = store.works_by_keys(&[shared])?.into_iter().next().map_or_else(String::new, |(_, w)| w.id.to_string());
        return Ok(Some(format!("the two people are two authors of one paper ({id}), so they are not one person")));
    }
    // Author ids as the run gives them: a cluster never holds two, so two people holding different ones stay apart.
    let mut keys: Vec<i64> = rows_a.iter().chain(&rows_b).map(|r| r.0).collect();
    keys.sort_unstable();
    keys.dedup();
    // The works are read only where DBLP person records can give ids.
    let works: HashMap<i64, Work> =
        if store.has_dblp_persons()? { store.works_by_keys(&keys)?.into_iter().collect() } else { HashMap::new() };
    let dblp = dblp_ids::author_ids(store, works.values().filter(|w| dblp_ids::is_dblp(w)))?;
    let ids = |rows: &[arrow_store::PersonAuthorship]| -> BTreeSet<String> {
        rows.iter()
            .filter_map(|r| {
                let from_dblp = works.get(&r.0).is_some_and(dblp_ids::is_dblp).then(|| dblp.get(&r.2)).flatten();
                from_dblp.or(r.3.as_ref()).cloned()
            })
            .collect()
    };
    let (ids_a, ids_b) = (ids(&rows_a), ids(&rows_b));
    if let (Some(x), Some(y)) = (ids_a.first(), ids_b.first()) {
        if ids_a.is_disjoint(&ids_b) {
            return Ok(Some(format!("their sources give them different author ids ({x}, {y})")));
        }
    }
    let names =
        |rows: &[arrow_store::PersonAuthorship]| -> BTreeSet<String> { rows.iter().map(|r| r.2.clone()).collect() };
    let (names_a, names_b) = (names(&rows_a), names(&rows_b));
    let mut short_and_long = None;
    for x in names_a.iter().filter(|x| !names_b.contains(*x)) {
        for y in names_b.iter().filter(|y| !names_a.contains(*y)) {
            let numbers = (arrow_normalize::split_homonym(x).1, arrow_normalize::split_homonym(y).1);
            if let (Some(m), Some(n)) = numbers {
                if m != n {
                    return Ok(Some(format!(
                        "\u{201c}{x}\u{201d} and \u{201c}{y}\u{201d} carry different homonym numbers"
                    )));
                }
            }
            // As written or read otherwise ("Roesiger" for "Rösiger", the family name first), as the run joins them.
            if arrow_disambig::names_agree(x, y, arrow_disambig::Reading::Umlaut) {
                continue;
            }
            // A short and a long first name ("Dan", "Daniel") are one person's only where the full name is rare:
            // told unless a pair of names that can never be one person's is found.
            if arrow_disambig::short_and_long_form(x, y) {
                short_and_long.get_or_insert_with(|| {
                    format!(
                        "one person writes \u{201c}{x}\u{201d} and the other \u{201c}{y}\u{201d}: a short and a long \
                         first name, joined only when the full name is rare"
                    )
                });
                continue;
            }
            return Ok(Some(format!(
                "one person writes \u{201c}{x}\u{201d} and the other \u{201c}{y}\u{201d}: names that cannot be one \
                 person's"
            )));
        }
    }
    Ok(short_and_long)
}

/// Most mentions of each block, and of works spread over the store, an explanation reads to tell how common a
/// coauthor, venue or title word is.
const EXPLAIN_CONTEXT: usize = 5_000;

/// The name totals of the last run, for explanations of name rarity and incremental assignment.
pub(crate) const NAME_TOTALS: &str = "name_totals";

/// Judges a name's rarity outside a run (`judge` over lists of names), against the names a run counts beside it:
/// every name of its surname (`blocks_from`, the names of blocks from a prefix), every name starting with its first
/// word (`starting_with`), and for initials that the judgement reads as a full first name (`rare_as`: "J. Hajič" as
/// "jan hajic") every name starting with that first name. `arrow explain` and incremental assignment
/// (`Assigner::rare_join`) both judge by it.
pub(crate) fn judge_rarity<L: AsRef<[String]>, J>(
    name: &str,
    blocks_from: impl Fn(&str) -> Result<L, arrow_store::StoreError>,
    starting_with: impl Fn(&str) -> Result<L, arrow_store::StoreError>,
    judge: impl Fn(&[L]) -> J,
    rare_as: impl Fn(&J) -> Option<String>,
) -> Result<J, EngineError> {
    let block = arrow_disambig::block_key(name);
    let surname = block.rsplit_once('_').map_or(block.as_str(), |(s, _)| s);
    let mut lists = vec![blocks_from(&format!("{surname}_"))?];
    let folded = arrow_normalize::suggest_fold(name);
    if let Some(first) = folded.split_whitespace().next() {
        lists.push(starting_with(first)?);
    }
    let judged = judge(&lists);
    // (A key of initials, "c. a. r. hoare", has no first name to look up.)
    let full = rare_as(&judged)
        .and_then(|k| k.split_whitespace().next().map(str::to_string))
        .filter(|f| !f.ends_with('.') && !folded.starts_with(&format!("{f} ")));
    let Some(full) = full else { return Ok(judged) };
    lists.push(starting_with(&full)?);
    Ok(judge(&lists))
}

/// Every name of `lists`, and `name`.
pub(crate) fn flat<'a, L: AsRef<[String]>>(lists: &'a [L], name: &'a str) -> impl Iterator<Item = &'a str> + Clone {
    lists.iter().flat_map(|l| l.as_ref().iter().map(String::as_str)).chain([name])
}

/// The stored works as a run reads them (abstracts and provenance dropped), which of them came from DBLP, and the
/// author ids of DBLP's person records.
pub(crate) struct RunWorks {
    pub works: Vec<(i64, Work)>,
    pub from_dblp: Vec<bool>,
    pub dblp_ids: HashMap<String, String>,
}

impl RunWorks {
    pub(crate) fn load(arrow: &Arrow) -> Result<RunWorks, EngineError> {
        let mut works: Vec<(i64, Work)> = Vec::new();
        let mut from_dblp: Vec<bool> = Vec::new();
        arrow.store().for_each_work(|key, mut work| {
            work.abstract_text = None;
            from_dblp.push(dblp_ids::is_dblp(&work));
            work.provenance.clear();
            works.push((key, work));
        })?;
        let dblp_ids = dblp_ids::author_ids(
            &*arrow.store(),
            works.iter().zip(&from_dblp).filter(|(_, &d)| d).map(|((_, w), _)| w),
        )?;
        Ok(RunWorks { works, from_dblp, dblp_ids })
    }

    /// The name of author `slot` of work `wi` (an index into `works`).
    pub(crate) fn name(&self, wi: usize, slot: i64) -> Option<&str> {
        let a = self.works.get(wi)?.1.authors.get(usize::try_from(slot).ok()?)?;
        Some(a.name.as_str())
    }

    /// Author `slot` of work `wi`, with its source id as a run reads it.
    pub(crate) fn authorship(&self, wi: usize, slot: i64) -> Option<Authorship<'_>> {
        let w = &self.works.get(wi)?.1;
        let slot = usize::try_from(slot).ok()?;
        let a = w.authors.get(slot)?;
        let dblp = if self.from_dblp[wi] { self.dblp_ids.get(&a.name) } else { None };
        Some(authorship_of(w, slot, dblp.or(a.source_id.as_ref()).map(String::as_str)))
    }

    /// Every distinct written name.
    pub(crate) fn distinct_names(&self) -> std::collections::HashSet<&str> {
        self.works.iter().flat_map(|(_, w)| w.authors.iter().map(|a| a.name.as_str())).collect()
    }
}

/// Author `slot` of `work` as the readings pass reads it, as [`mention`] makes its mention.
pub(crate) fn authorship_of<'w>(work: &'w Work, slot: usize, source_id: Option<&'w str>) -> Authorship<'w> {
    Authorship {
        work: &work.id.0,
        position: position_of(work, slot),
        name: &work.authors[slot].name,
        source_id,
        coauthors: arrow_disambig::coauthor_slots(work.authors.len(), slot)
            .map(|i| work.authors[i].name.as_str())
            .collect(),
    }
}

impl Arrow {
    /// Groups every authorship into people (no labels used) and stores the result, replacing the last.
    /// Mentions are blocked by name key and disambiguated in batches of whole blocks on all cores, each
    /// batch fitting its own label model, so memory stays bounded by the works plus one batch per core.
    pub fn disambiguate(&self) -> Result<DisambigReport, EngineError> {
        self.disambiguate_run(true)
    }

    /// [`Arrow::disambiguate`] without joining names written otherwise across blocks (see `readings.rs`): every
    /// person stays within one block.
    pub fn disambiguate_within_blocks(&self) -> Result<DisambigReport, EngineError> {
        self.disambiguate_run(false)
    }

    fn disambiguate_run(&self, readings: bool) -> Result<DisambigReport, EngineError> {
        let start = Instant::now();
        let run = RunWorks::load(self)?;
        let (works, from_dblp, dblp_ids) = (&run.works, &run.from_dblp, &run.dblp_ids);
        // What each work cites among the stored works, for the works whose sources gave references (none in DBLP).
        let mut cites: HashMap<u32, Vec<String>> = HashMap::new();
        {
            let store = self.store();
            for (wi, (_, w)) in works.iter().enumerate() {
                if !w.references.is_empty() {
                    cites.insert(wi as u32, cited(w, |r| store.work_id_for_reference(r))?);
                }
            }
        }
        // Kept for explanations of name rarity (see `explain`).
        let distinct = run.distinct_names();
        let (names, totals) = (distinct.len() as u64, arrow_disambig::name_totals(distinct.iter().copied()));
        let source_id_conflicts = source_id_conflicts(works.iter().zip(from_dblp).flat_map(|((_, w), &dblp)| {
            let ids = &dblp_ids;
            w.authors.iter().filter_map(move |a| {
                let id = if dblp { ids.get(&a.name).or(a.source_id.as_ref()) } else { a.source_id.as_ref() };
                id.map(|id| (id.as_str(), a.name.as_str()))
            })
        }));
        let mut blocks: BTreeMap<String, Vec<(u32, u16)>> = BTreeMap::new();
        for (wi, (_, w)) in works.iter().enumerate() {
            for (slot, a) in w.authors.iter().enumerate() {
                blocks.entry(arrow_disambig::block_key(&a.name)).or_default().push((wi as u32, slot as u16));
            }
        }
        let blocks = split_giant(
            blocks,
            |(wi, slot)| works[wi as usize].1.authors[usize::from(slot)].name.clone(),
            |sub, (wi, slot)| sub_block_part(sub, &mention(&works[wi as usize].1, usize::from(slot), None, &[])),
        );
        // Each batch: its mentions (work index, slot), and the block of each.
        type Batch = (Vec<(u32, u16)>, Vec<String>);
        let mut batches: Vec<Batch> = Vec::new();
        let (mut before, mut current) = (0u64, None);
        for (key, list) in blocks {
            let batch = batch_of(before);
            before += list.len() as u64;
            if current != Some(batch) {
                batches.push((Vec::new(), Vec::new()));
                current = Some(batch);
            }
            if let Some(last) = batches.last_mut() {
                last.1.extend(std::iter::repeat_n(key, list.len()));
                last.0.extend(list);
            }
        }
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let one_thread = Config { threads: 1, ..Config::default() };
        let next = std::sync::Mutex::new(batches.iter());
        // Per batch: its size, its rows, the work (index into `works`) of each row, and its model.
        let results = std::sync::Mutex::new(Vec::<(usize, Vec<PersonMention>, Vec<u32>, Model)>::new());
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| loop {
                    let Some((batch, keys)) = next.lock().unwrap_or_else(|p| p.into_inner()).next() else { break };
                    let mut slots = Vec::with_capacity(batch.len());
                    let mentions: Vec<Mention> = batch
                        .iter()
                        .map(|&(wi, slot)| {
                            let (key, w) = &works[wi as usize];
                            slots.push((*key, i64::from(slot)));
                            let ids = if from_dblp[wi as usize] { Some(dblp_ids) } else { None };
                            mention(w, usize::from(slot), ids, cites.get(&wi).map_or(&[][..], Vec::as_slice))
                        })
                        .collect();
                    let a = arrow_disambig::disambiguate_in(&mentions, Some(keys), &one_thread);
                    let wis = batch.iter().map(|&(wi, _)| wi).collect();
                    let rows = slots
                        .into_iter()
                        .zip(a.person)
                        .map(|((work, slot), person)| PersonMention { work, slot, person })
                        .collect();
                    results.lock().unwrap_or_else(|p| p.into_inner()).push((mentions.len(), rows, wis, a.model));
                });
            }
        });
        let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
        // Explanations use the model fitted on the largest batch.
        results.sort_by_key(|r| std::cmp::Reverse(r.0));
        let model = results.first().map(|r| serde_json::to_string(&r.3).unwrap_or_default()).unwrap_or_default();
        let wis: Vec<u32> = results.iter().flat_map(|r| r.2.iter().copied()).collect();
        let mut rows: Vec<PersonMention> = results.into_iter().flat_map(|r| r.1).collect();
        // People holding two readings of one name ("Wang Wei", "Wei Wang"), which no block compared.
        let renames = if readings {
            crate::readings::join_readings(
                totals,
                &distinct,
                &rows,
                |i| run.name(wis[i] as usize, rows[i].slot),
                |i| run.authorship(wis[i] as usize, rows[i].slot),
            )
        } else {
            Vec::new()
        };
        crate::readings::rename(&mut rows, &renames);
        // People keep the ids of the last run's (see ids.rs).
        let reserved = self.curated_ids()?;
        {
            let t = Instant::now();
            let store = self.store();
            let kept = crate::ids::inherit(&mut rows, |each| store.for_each_raw_person(each), &reserved)?;
            tracing::debug!(kept, seconds = t.elapsed().as_secs_f64(), "person ids kept from the last run");
        }
        let people = rows.iter().map(|r| r.person.as_str()).collect::<std::collections::HashSet<_>>().len() as u64;
        self.store().replace_people(&rows, &model, &arrow_disambig::block_key)?;
        self.store().put_blob(crate::assign::NAME_BLOCKS_RULE, crate::assign::BLOCKS_RULE)?;
        self.store().put_blob(NAME_TOTALS, &serde_json::to_string(&totals).unwrap_or_default())?;
        // Curators' corrections, applied over what the evidence said.
        let curation_conflicts = self.apply_curations()?;
        // Merges and splits change the count; without curations it is the run's.
        let people = if self.store().curations()?.is_empty() { people } else { self.store().people_count()?.1 };
        // Versions of one work are grouped by the same run (see versions.rs).
        self.group_versions()?;
        Ok(DisambigReport {
            mentions: rows.len() as u64,
            people,
            names,
            seconds: start.elapsed().as_secs_f64(),
            joined_readings: renames.len() as u64,
            curation_conflicts,
            source_id_conflicts,
        })
    }

    /// Whether `disambiguate` has run on this data directory.
    pub fn has_people(&self) -> Result<bool, EngineError> {
        Ok(self.store().disambig_model()?.is_some())
    }

    /// The people who published under this exact name (ignoring case); empty before `disambiguate`.
    pub fn people_named(&self, name: &str) -> Result<Vec<PersonSummary>, EngineError> {
        let named = self.store().people_with_name(name)?;
        let ids: Vec<String> = named.iter().map(|(id, _)| id.clone()).collect();
        let mut details: HashMap<String, PersonDetails> =
            self.people_details(&ids)?.into_iter().map(|d| (d.person.clone(), d)).collect();
        Ok(named
            .into_iter()
            .map(|(id, n)| {
                let d = details.remove(&id);
                PersonSummary::new(id, n, d)
            })
            .collect())
    }

    /// The people who wrote under this name with how many of its works each has, and nothing else: what a shard
    /// tells a sharded root, which then asks every shard for the details of all of them at once.
    pub fn people_named_counts(&self, name: &str) -> Result<Vec<PersonSummary>, EngineError> {
        Ok(self.store().people_with_name(name)?.into_iter().map(|(id, n)| PersonSummary::new(id, n, None)).collect())
    }

    /// What tells these people apart (see [`PersonDetails`]), from this data directory's works.
    pub fn people_details(&self, ids: &[String]) -> Result<Vec<PersonDetails>, EngineError> {
        Ok(self.store().people_details(ids)?)
    }

    /// People whose names fit a name given in part or written another way: a surname alone ("Hajič": every
    /// given name), or given names as initials, without diacritics or middle names ("J. Hajic"), as
    /// disambiguation compares names within a block. When none does, the name is read otherwise, as a user may
    /// have typed it: the family name first ("Hajic Jan"), a compound surname without its hyphen ("Langkilde
    /// Geary"), umlauts spelled out. The most published first; at most `limit`, with the number of people found
    /// in all.
    pub fn people_fitting(&self, name: &str, limit: usize) -> Result<PeopleFitting, EngineError> {
        let found = self.people_fitting_as_written(name, limit)?;
        if found.total > 0 {
            return Ok(found);
        }
        let words: Vec<&str> = name.split_whitespace().collect();
        let mut others: Vec<String> = arrow_disambig::written_readings(name).into_iter().map(|(n, _)| n).collect();
        if let [before @ .., a, b] = words.as_slice() {
            if !a.contains('-') && !b.contains('-') && !arrow_disambig::is_particle(a) {
                others.push(before.iter().copied().chain([format!("{a}-{b}").as_str()]).collect::<Vec<_>>().join(" "));
            }
        }
        let mut people: HashMap<String, PersonFit> = HashMap::new();
        for other in others {
            for p in self.people_fitting_as_written(&other, usize::MAX)?.people {
                let into =
                    people.entry(p.id.clone()).or_insert_with(|| PersonFit { id: p.id, works: 0, names: Vec::new() });
                for (written, n) in p.names {
                    if !into.names.iter().any(|(w, _)| *w == written) {
                        into.works += n;
                        into.names.push((written, n));
                    }
                }
            }
        }
        Ok(PeopleFitting::ranked(people.into_values().collect(), limit))
    }

    /// [`Arrow::people_fitting`] of the name as written only.
    fn people_fitting_as_written(&self, name: &str, limit: usize) -> Result<PeopleFitting, EngineError> {
        // "De Sa", "van der Aalst": particles and a surname are a surname alone.
        let words: Vec<&str> = name.split_whitespace().collect();
        let surname_only = surname_only(&words);
        let block = if surname_only {
            arrow_disambig::block_key(words[words.len() - 1])
        } else {
            arrow_disambig::block_key(name)
        };
        // Blocks key a surname by its last part ("Berners-Lee" is a "Lee", "De Sa" a "Sa"): what a surname-only
        // query wrote of the surname beyond that (particles, a double surname) must be in the names found. With
        // given names the name rules decide ("Hung Van Tran" is also "Hung Tran"), and a double surname still
        // counts; a "Surname, Given" query is left to the name rules.
        let particles = if surname_only { words.len().saturating_sub(1) } else { 0 };
        let surname_words = &words[words.len().saturating_sub(particles + 1)..];
        let phrase = (!name.contains(',') && (particles > 0 || surname_words.last().is_some_and(|w| w.contains('-'))))
            .then(|| arrow_normalize::suggest_fold(&surname_words.join(" ")));
        let phrase = phrase.as_deref();
        match block.strip_suffix('_') {
            // No given name: every block of the surname (keys are surname, '_', initial; '`' follows '_', and
            // surnames are letters and digits, so no other surname's blocks fall in between).
            Some("") => Ok(PeopleFitting::default()),
            Some(surname) => self.fitting_in(None, phrase, &format!("{surname}_"), &format!("{surname}`"), limit),
            None => self.fitting_in(Some(name), phrase, &block, &format!("{block}\u{1}"), limit),
        }
    }

    /// The people of the blocks in `[from, to)`, of names that fit `name` (all of them for `None`).
    fn fitting_in(
        &self,
        name: Option<&str>,
        phrase: Option<&str>,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<PeopleFitting, EngineError> {
        let rows = self.store().people_of_blocks(from, to)?;
        // Names repeat over many people: each written name is judged once.
        let mut fits: HashMap<String, bool> = HashMap::new();
        let mut people: HashMap<String, PersonFit> = HashMap::new();
        for (id, written, n) in rows {
            let fit = *fits.entry(written.clone()).or_insert_with(|| {
                // A surname alone names its own family, not a double surname ending in it ("Smith" is not
                // "Melliar-Smith"); a hyphenated query is matched by `phrase`.
                let other_family = name.is_none() && phrase.is_none() && arrow_disambig::has_double_surname(&written);
                !other_family
                    && name.is_none_or(|q| arrow_disambig::compare_names(q, &written) != NameMatch::Conflict)
                    && phrase.is_none_or(|p| {
                        format!(" {} ", arrow_normalize::suggest_fold(&written)).contains(&format!(" {p} "))
                    })
            });
            if !fit {
                continue;
            }
            let p = people.entry(id.clone()).or_insert_with(|| PersonFit { id, works: 0, names: Vec::new() });
            p.works += n;
            p.names.push((written, n));
        }
        Ok(PeopleFitting::ranked(people.into_values().collect(), limit))
    }

    pub fn person(&self, id: &str) -> Result<Option<PersonProfile>, EngineError> {
        let store = self.store();
        let slots = store.person_mentions(id)?;
        if slots.is_empty() {
            return Ok(None);
        }
        // Each work once: a merge a curator insisted on can leave one person two authors of one paper.
        let mut keys: Vec<i64> = slots.iter().map(|(k, _)| *k).collect();
        keys.dedup();
        let works = store.works_by_keys(&keys)?;
        let mut people_at: HashMap<(i64, i64), String> =
            store.people_of_works(&keys)?.into_iter().map(|(w, s, p)| ((w, s), p)).collect();
        drop(store);
        // Coauthor person -> the names they are written as on these works, with counts.
        let mut behind: HashMap<String, HashMap<String, u64>> = HashMap::new();
        // Every slot of the person's on a work (usually one), the first giving its position.
        let mut slot_of: HashMap<i64, Vec<usize>> = HashMap::new();
        for &(k, s) in &slots {
            slot_of.entry(k).or_default().push(s as usize);
        }
        let mut variants: HashMap<String, u64> = HashMap::new();
        let mut coauthors: HashMap<String, u64> = HashMap::new();
        let mut venues: HashMap<String, u64> = HashMap::new();
        let mut years: BTreeMap<i32, u64> = BTreeMap::new();
        let mut positions = BTreeMap::new();
        for (key, w) in &works {
            let mine = slot_of.get(key).map_or(&[][..], Vec::as_slice);
            if let Some(&slot) = mine.first() {
                positions.insert(w.id.0.clone(), position_of(w, slot));
            }
            for (i, a) in w.authors.iter().enumerate() {
                if mine.contains(&i) {
                    *variants.entry(a.name.clone()).or_default() += 1;
                } else {
                    *coauthors.entry(a.name.clone()).or_default() += 1;
                    if let Some(p) = people_at.remove(&(*key, i as i64)) {
                        *behind.entry(p).or_default().entry(a.name.clone()).or_default() += 1;
                    }
                }
            }
            if let Some(v) = &w.venue {
                *venues.entry(v.clone()).or_default() += 1;
            }
            if let Some(y) = w.year {
                *years.entry(y).or_default() += 1;
            }
        }
        let ranked = |m: HashMap<String, u64>| {
            let mut v: Vec<(String, u64)> = m.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        let variants = ranked(variants);
        let mut works: Vec<Work> = works.into_iter().map(|(_, w)| w).collect();
        arrow_store::sort_for_cluster(&mut works);
        Ok(Some(PersonProfile {
            id: id.to_string(),
            name: variants.first().map(|v| v.0.clone()).unwrap_or_default(),
            variants,
            works,
            coauthors: ranked(coauthors),
            venues: ranked(venues),
            years: years.into_iter().collect(),
            orcid: self.claimed_orcid(id)?,
            positions,
            coauthor_people: CoauthorPerson::ranked(
                behind.into_iter().map(|(person, names)| CoauthorPerson::new(person, names.into_iter().collect())),
            ),
        }))
    }

    /// Why [`Arrow::explain`] had no answer for two mentions: `None` when no disambiguation has run, else which of
    /// them is not stored, in words.
    pub fn why_unexplained(&self, a: &MentionRef, b: &MentionRef) -> Result<Option<String>, EngineError> {
        if !self.has_people()? {
            return Ok(None);
        }
        // A mention of a stored author always has a person after a run.
        let people = self.people_of(&[a.clone(), b.clone()])?;
        let name = |m: &MentionRef| format!("{}#{}", m.work, m.position);
        let unknown: Vec<String> =
            [a, b].into_iter().zip(people).filter(|(_, p)| p.is_none()).map(|(m, _)| name(m)).collect();
        let which = if unknown.is_empty() { format!("{} or {}", name(a), name(b)) } else { unknown.join(" and ") };
        let verb = if unknown.len() == 2 { "are not stored mentions" } else { "is not a stored mention" };
        Ok(Some(format!("{which} {verb}: no such work, or no author at that position (positions count from 1)")))
    }

    /// Why two authorships are (or are not) the same person, under the model of the last run.
    pub fn explain(&self, a: &MentionRef, b: &MentionRef) -> Result<Option<Explanation>, EngineError> {
        if a.work == b.work && a.position == b.position {
            return Err(EngineError::BadRequest(format!(
                "{}#{} is one mention: name two to compare",
                a.work, a.position
            )));
        }
        let store = self.store();
        let Some(model) = store.disambig_model()? else { return Ok(None) };
        let Ok(model) = serde_json::from_str::<Model>(&model) else { return Ok(None) };
        let (Some((ka, wa)), Some((kb, wb))) = (store.work(&a.work)?, store.work(&b.work)?) else { return Ok(None) };
        // Author ids from DBLP person records, looked up over both works as the run looked them up over all
        // (an ORCID one of them carries counts for the other).
        let ids = dblp_ids::author_ids(&*store, [&wa, &wb].into_iter().filter(|w| dblp_ids::is_dblp(w)))?;
        let mention =
            |r: &MentionRef, key: i64, work: &Work| -> Result<Option<(Mention, Option<String>, i64)>, EngineError> {
                let mut slots = Vec::new();
                let mut ms = Vec::new();
                let cites = cited(work, |r| store.work_id_for_reference(r))?;
                mentions_of(key, work, dblp_ids::is_dblp(work).then_some(&ids), &cites, &mut slots, &mut ms);
                let Some(i) = ms.iter().position(|m| m.position == r.position) else { return Ok(None) };
                let slot = slots[i].1;
                Ok(Some((ms.swap_remove(i), store.person_of(key, slot)?, slot)))
            };
        let (Some((ma, pa, sa)), Some((mb, pb, sb))) = (mention(a, ka, &wa)?, mention(b, kb, &wb)?) else {
            return Ok(None);
        };
        // The mentions of both blocks (not the two themselves) tell how common a coauthor, venue or word is, beside
        // first authors of works spread over the store, as a run's batch holds many blocks.
        let mut keys: Vec<(i64, i64)> = store.spread_work_keys(EXPLAIN_CONTEXT)?.into_iter().map(|k| (k, 0)).collect();
        let blocks: BTreeSet<String> = [&ma.name, &mb.name].iter().map(|n| arrow_disambig::block_key(n)).collect();
        for block in &blocks {
            keys.extend(store.block_authorships(block, EXPLAIN_CONTEXT)?);
        }
        keys.retain(|&k| k != (ka, sa) && k != (kb, sb));
        let mut work_keys: Vec<i64> = keys.iter().map(|k| k.0).collect();
        work_keys.sort_unstable();
        work_keys.dedup();
        let works: HashMap<i64, Work> = store.works_by_keys(&work_keys)?.into_iter().collect();
        let context: Vec<Mention> = keys
            .iter()
            .filter_map(|&(k, slot)| {
                let w = works.get(&k)?;
                w.authors.get(slot as usize)?;
                Some(crate::people::mention(w, slot as usize, None, &[]))
            })
            .collect();
        let mut e = arrow_disambig::explain(&ma, &mb, &context, &model);
        if let (Some(pa), Some(pb)) = (pa.as_deref(), pb.as_deref()) {
            e.same_person = Some(pa == pb);
            if pa == pb && matches!(e.constraint, Some(arrow_disambig::Constraint::OtherReading(_))) {
                e.shared_by_readings = shared_by_readings(&store, pa, &ma.name, &mb.name)?;
            }
            if let (Some(ra), Some(rb)) = (store.raw_person_of(ka, sa)?, store.raw_person_of(kb, sb)?) {
                e.by_evidence = Some(ra == rb).filter(|&raw| raw != (pa == pb));
            }
            if pa != pb && e.constraint.is_none() && e.by_evidence.is_none() {
                e.kept_apart = kept_apart(&store, pa, pb)?;
            }
        }
        if let Some(totals) = store.blob(NAME_TOTALS)?.and_then(|b| serde_json::from_str(&b).ok()) {
            let mut names = vec![ma.name.as_str()];
            if mb.name != ma.name {
                names.push(mb.name.as_str());
            }
            for name in names {
                let rarity = judge_rarity(
                    name,
                    |p| store.names_in_blocks_from(p),
                    |w| store.names_starting_with_word(w),
                    |lists: &[Vec<String>]| arrow_disambig::name_rarity(name, flat(lists, name), totals),
                    |r| r.rare_as.clone(),
                )?;
                e.rarity.push(rarity);
            }
            e.settle_rarity();
        }
        Ok(Some(e))
    }

    /// The person of each author of a work, in the order of its `authors` (empty for an unknown work; `None`
    /// for authors without a person, as before `disambiguate`).
    pub fn people_of_work(&self, id: &str) -> Result<Vec<Option<String>>, EngineError> {
        let store = self.reader();
        let Some((key, w)) = store.work(id)? else { return Ok(Vec::new()) };
        let mut out = vec![None; w.authors.len()];
        for (_, slot, person) in store.people_of_works(&[key])? {
            if let Some(p) = usize::try_from(slot).ok().and_then(|s| out.get_mut(s)) {
                *p = Some(person);
            }
        }
        Ok(out)
    }

    /// The person and the stored name of each authorship named by (work id, 1-based position), for evaluation.
    fn people_and_names_of(&self, refs: &[MentionRef]) -> Result<Vec<Stored>, EngineError> {
        let store = self.store();
        let mut cache: HashMap<String, Option<(i64, Work)>> = HashMap::new();
        let mut out = Vec::with_capacity(refs.len());
        for r in refs {
            if !cache.contains_key(&r.work) {
                let w = store.work(&r.work)?;
                cache.insert(r.work.clone(), w);
            }
            let at = cache.get(&r.work).and_then(|w| w.as_ref()).and_then(|(key, w)| {
                let slot = (0..w.authors.len()).find(|&s| position_of(w, s) == r.position)?;
                Some((*key, slot, &w.authors[slot].name))
            });
            out.push(match at {
                Some((key, slot, name)) => {
                    Stored { person: store.person_of(key, slot as i64)?, name: Some(name.clone()) }
                }
                None => Stored::default(),
            });
        }
        Ok(out)
    }

    /// The person of each authorship named by (work id, 1-based position), for evaluation.
    pub fn people_of(&self, refs: &[MentionRef]) -> Result<Vec<Option<String>>, EngineError> {
        Ok(self.people_and_names_of(refs)?.into_iter().map(|s| s.person).collect())
    }
}

/// What the store holds at a gold mention: its person, and the author's name, to check against the gold file's.
#[derive(Default)]
struct Stored {
    person: Option<String>,
    name: Option<String>,
}

/// Scores of the stored people against gold person clusters.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// Gold mentions found in the store with a person.
    pub mentions: u64,
    /// Gold mentions whose work or position is not in the store (or has no person yet).
    pub missing: u64,
    pub b3_precision: f64,
    pub b3_recall: f64,
    pub b3_f1: f64,
    pub pairwise_precision: f64,
    pub pairwise_recall: f64,
    pub pairwise_f1: f64,
    /// Gold mentions whose name is not the stored author's at that place (scored none the less), and the first.
    pub names_differ: u64,
    pub first_name_difference: Option<String>,
    /// The seed page's grouping (exact name, ignoring case) on the same mentions.
    pub baseline_b3_precision: f64,
    pub baseline_b3_recall: f64,
    pub baseline_b3_f1: f64,
}

#[derive(serde::Deserialize)]
struct GoldLine {
    work: String,
    position: u32,
    name: String,
    person: String,
}

impl Arrow {
    /// Scores the people in the store against a gold file of JSON lines
    /// `{"work": ID, "position": N, "name": "...", "person": "..."}`.
    /// A gold mention whose name is not the stored author's at that place (positions counted from 0, say) is
    /// counted in `names_differ`, with the first of them.
    pub fn evaluate_people(&self, gold: &std::path::Path) -> Result<EvalReport, EngineError> {
        evaluate(gold, |refs| self.people_and_names_of(refs))
    }
}

/// Scores people given by `predict` (a person per gold mention, if it has one) against a gold file (see
/// [`Arrow::evaluate_people`]): the store's, or a batch run's `people.jsonl`.
pub fn evaluate_assignment(
    gold: &std::path::Path,
    predict: impl FnOnce(&[MentionRef]) -> Result<Vec<Option<String>>, EngineError>,
) -> Result<EvalReport, EngineError> {
    evaluate(gold, |refs| Ok(predict(refs)?.into_iter().map(|person| Stored { person, name: None }).collect()))
}

/// [`evaluate_assignment`], checking the gold names against the stored ones where `predict` gives them.
fn evaluate(
    gold: &std::path::Path,
    predict: impl FnOnce(&[MentionRef]) -> Result<Vec<Stored>, EngineError>,
) -> Result<EvalReport, EngineError> {
    use arrow_disambig::eval::{b_cubed, pairwise};
    let io = |e| EngineError::Io { path: gold.display().to_string(), source: e };
    let text = std::fs::read_to_string(gold).map_err(io)?;
    let mut lines = Vec::new();
    for (i, l) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let g: GoldLine = serde_json::from_str(l).map_err(|e| {
            EngineError::Parse(arrow_ingest::ParseError::new(&gold.display().to_string(), i as u64 + 1, e.to_string()))
        })?;
        lines.push(g);
    }
    let refs: Vec<MentionRef> =
        lines.iter().map(|g| MentionRef { work: g.work.clone(), position: g.position }).collect();
    let predicted = predict(&refs)?;
    let key = |n: &str| arrow_normalize::name_key(arrow_normalize::split_homonym(n).0);
    let (mut names_differ, mut first_name_difference) = (0, None);
    let mut labels = Vec::new();
    let mut baseline = Vec::new();
    for (g, stored) in lines.iter().zip(predicted) {
        if let Some(name) = stored.name.filter(|n| key(n) != key(&g.name)) {
            names_differ += 1;
            first_name_difference.get_or_insert_with(|| {
                format!("{}#{}: the gold file says {:?}, the store {name:?}", g.work, g.position, g.name)
            });
        }
        if let Some(p) = stored.person {
            labels.push((p, g.person.clone()));
            baseline.push((arrow_normalize::name_key(&g.name), g.person.clone()));
        }
    }
    // Scores over no mention would read as perfect.
    if labels.is_empty() {
        return Err(EngineError::BadRequest(format!(
            "{}: none of its {} mentions is a stored mention with a person (a work id as stored, a position counted \
             from 1; people come from `arrow disambiguate`): nothing to score",
            gold.display(),
            lines.len()
        )));
    }
    let (b3, pw, base) = (b_cubed(&labels), pairwise(&labels), b_cubed(&baseline));
    Ok(EvalReport {
        mentions: labels.len() as u64,
        missing: (lines.len() - labels.len()) as u64,
        b3_precision: b3.precision,
        b3_recall: b3.recall,
        b3_f1: b3.f1,
        pairwise_precision: pw.precision,
        pairwise_recall: pw.recall,
        pairwise_f1: pw.f1,
        baseline_b3_precision: base.precision,
        baseline_b3_recall: base.recall,
        baseline_b3_f1: base.f1,
        names_differ,
        first_name_difference,
    })
}

#[cfg(test)]
mod tests {
    use super::{tell_apart, PersonSummary};

    fn summary(works: u64, venue: (&str, u64)) -> PersonSummary {
        PersonSummary {
            id: "p1".into(),
            works_with_name: works,
            works,
            years: Some((2001, 2009)),
            venue: Some((venue.0.into(), venue.1)),
            names: vec![("Jan Hajič".into(), works)],
        }
    }

    #[test]
    fn a_line_says_mostly_only_of_a_venue_with_several_papers() {
        assert_eq!(tell_apart(&summary(5, ("ACL", 3)), "Jan Hajič"), " · 2001–2009, mostly ACL (3)");
        assert_eq!(tell_apart(&summary(5, ("ACL", 1)), "Jan Hajič"), " · 2001–2009", "five venues, one paper each");
        assert_eq!(tell_apart(&summary(1, ("ACL", 1)), "Jan Hajič"), " · 2001–2009, at ACL");
    }
}
