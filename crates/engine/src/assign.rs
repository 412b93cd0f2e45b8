//! Incremental author assignment: after disambiguation has run once, the authorships of new or changed works
//! join existing people (or start new ones) as they are ingested, one mention at a time, inside the ingest's
//! transaction; nobody else's person id changes.

use crate::people::{cited, mention};
use crate::people::{flat, judge_rarity, NAME_TOTALS};
use crate::{Arrow, EngineError};
use arrow_disambig::{
    block_key, compare_names, person_id, Config, Decision, Known, Mention, Model, NameMatch, NameTotals, RareJoin,
    RareNames, Reading,
};
use arrow_model::Work;
use arrow_normalize::split_homonym;
use arrow_store::Batch;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// The fitted model of the last disambiguation run, ready to place new mentions.
pub(crate) struct Assigner {
    model: Model,
    config: Config,
    /// The last run's name totals, to judge a new name's rarity as the run would (`None` for a store
    /// disambiguated before they were saved: no rare name is then joined without evidence).
    totals: Option<NameTotals>,
    /// Names of a surname and names starting with a first name, for judging rarity: common names ("zhang": 8,570
    /// names on DBLP; "david": 14,000) recur in every batch, and reading them was most of a rare-name check. Names
    /// an ingest adds later are not counted in them, as the totals count none of its names.
    names: std::sync::Mutex<NamesMemo>,
    /// The people on either side of a curator's split, never joined in one cluster of the replay (see
    /// [`Arrow::split_sides`]).
    apart: BTreeSet<String>,
    /// The people curations made (split sides, merges' survivors): a mention joining one counts under a label-free
    /// person of its own (see [`arrow_store::Batch::raw_person_of_curated`]).
    curated: BTreeSet<String>,
}

/// Which rule `name_blocks` was filled by: a store filled by an older one ("1": before nicknames of another
/// initial were blocked under their formal names', "Bill" beside "William") is filled again before assigning.
pub(crate) const BLOCKS_RULE: &str = "2";
pub(crate) const NAME_BLOCKS_RULE: &str = "name_blocks_rule";

/// Most stored names looked at as long forms of a new short surname ("Langkilde-Geary" for "Langkilde"): a surname
/// has a few second parts, and only a common name gathers more under its prefix.
const LENGTHENED_NAMES: usize = 64;

/// A bounded memo of [`Batch::names_in_blocks_from`] (keyed `true`) and [`Batch::names_starting_with_word`].
#[derive(Default)]
struct NamesMemo {
    by_key: HashMap<(bool, String), Arc<[String]>>,
    names: usize,
}

/// Names the memo holds at most (some 50 MB) before it starts again.
const NAMES_MEMO: usize = 1_000_000;

impl Assigner {
    /// Where the replay places `m` among `known` (the people of `rare` holding its name if it is rare), with the
    /// people in `apart` never in one cluster.
    pub(crate) fn place_apart(
        &self,
        m: &Mention,
        known: &[Known],
        rare: &RareJoin,
        apart: &BTreeSet<String>,
    ) -> Decision {
        arrow_disambig::assign_apart(&self.model, &self.config, m, known, rare, apart)
    }

    /// The names of blocks from a prefix (`blocks`), or the names starting with a word, memoised.
    fn memo(&self, batch: &Batch<'_>, what: &str, blocks: bool) -> Result<Arc<[String]>, arrow_store::StoreError> {
        let mut memo = self.names.lock().unwrap_or_else(|e| e.into_inner());
        let k = (blocks, what.to_string());
        if let Some(names) = memo.by_key.get(&k) {
            return Ok(names.clone());
        }
        let names: Arc<[String]> =
            if blocks { batch.names_in_blocks_from(what)? } else { batch.names_starting_with_word(what)? }.into();
        if memo.names + names.len() > NAMES_MEMO {
            *memo = NamesMemo::default();
        }
        memo.names += names.len();
        memo.by_key.insert(k, names.clone());
        Ok(names)
    }
}

/// Where one mention went.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub slot: usize,
    pub person: String,
    pub decision: Decision,
}

impl Placed {
    pub(crate) fn joined(&self) -> bool {
        self.decision.person.is_some()
    }
}

impl Arrow {
    /// The assigner, when disambiguation has run (else `None`: there are no people to join). A store
    /// disambiguated before name blocks were kept gets them now, once.
    pub(crate) fn assigner(&self) -> Result<Option<Assigner>, EngineError> {
        let Some(mut assigner) = self.assigner_without_sides()? else { return Ok(None) };
        assigner.apart = self.split_sides()?;
        assigner.curated = assigner.apart.iter().cloned().chain(self.merge_holders()?).collect();
        Ok(Some(assigner))
    }

    /// [`Arrow::assigner`], keeping no split's sides apart (for a caller that names the people to keep apart).
    pub(crate) fn assigner_without_sides(&self) -> Result<Option<Assigner>, EngineError> {
        let mut store = self.store();
        if !store.has_people()? {
            return Ok(None);
        }
        let Some(json) = store.disambig_model()? else { return Ok(None) };
        let model = match serde_json::from_str::<Model>(&json) {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!("the saved disambiguation model is unreadable ({e}); new works get people at the next `arrow disambiguate`");
                return Ok(None);
            }
        };
        if store.name_blocks_missing()? || store.blob(NAME_BLOCKS_RULE)?.as_deref() != Some(BLOCKS_RULE) {
            let t = std::time::Instant::now();
            let n = store.fill_name_blocks(&block_key)?;
            store.put_blob(NAME_BLOCKS_RULE, BLOCKS_RULE)?;
            tracing::info!(
                "noted the blocks of {n} names in {:.1}s (once, after an upgrade)",
                t.elapsed().as_secs_f64()
            );
        }
        let totals = store.blob(NAME_TOTALS)?.and_then(|b| serde_json::from_str(&b).ok());
        Ok(Some(Assigner {
            model,
            config: Config::default(),
            totals,
            names: Default::default(),
            apart: BTreeSet::new(),
            curated: BTreeSet::new(),
        }))
    }
}

impl Assigner {
    /// Assigns every authorship of the work stored under `key` (replacing any people it had), in `batch`.
    pub(crate) fn assign_work(&self, batch: &mut Batch<'_>, key: i64, work: &Work) -> Result<Vec<Placed>, EngineError> {
        batch.forget_people(key)?;
        let mut reads = Reads {
            works: HashMap::new(),
            people: HashMap::new(),
            people_read: HashSet::new(),
            dblp: batch.has_dblp_persons()?,
        };
        let mut placed = Vec::with_capacity(work.authors.len());
        let ids = reads.ids(batch, work)?;
        // What the new work cites; the known works' own references are not read (the usual self-citation is the
        // new paper citing an earlier one of its author's).
        let cites = cited(work, |r| batch.work_id_for_reference(r))?;
        let mut coauthor_works = HashMap::new();
        for slot in 0..work.authors.len() {
            let m = mention(work, slot, ids.as_ref(), &cites);
            let block = block_key(&m.name);
            let with_coauthor = works_with_coauthors(batch, &m, &mut coauthor_works)?;
            let mut known = Self::known(batch, key, &block, &m, ids.is_some(), &with_coauthor, &mut reads)?;
            let mut decision = self.place_apart(&m, &known, &RareJoin::default(), &self.apart);
            if decision.person.is_none() {
                if let Some(rare) = self.rare_join(batch, &block, &m)? {
                    let read: BTreeSet<&str> = known.iter().map(|k| k.person.as_str()).collect();
                    let missing: Vec<String> =
                        rare.people.keys().filter(|p| !read.contains(p.as_str())).cloned().collect();
                    for person in missing {
                        for (k, slot) in read_of_person(batch, &person, key, &with_coauthor)? {
                            if let Some(mention) = reads.mention(batch, k, slot)? {
                                known.push(Known { person: person.clone(), mention });
                            }
                        }
                    }
                    decision = self.place_apart(&m, &known, &rare, &self.apart);
                }
            }
            if decision.person.is_none() {
                if let Some((person, reading)) = self.reading_join(batch, key, &m, &with_coauthor, &mut reads)? {
                    decision.person = Some(person);
                    decision.reading = Some(reading);
                }
            }
            let person = match &decision.person {
                Some(p) => p.clone(),
                None => fresh_id(batch, &m)?,
            };
            // A person a split or merge made is no label-free person: the mention is noted under the one its papers
            // came from, so that curations place it again after every run (see `arrivals.rs`), and an undone split
            // or merge takes it back.
            let name_key = arrow_normalize::name_key(&m.name);
            let raw = if self.curated.contains(&person) {
                batch.raw_person_of_curated(&person, &block, &name_key)?
            } else {
                None
            };
            batch.set_person(key, slot as i64, &person, &name_key, &block)?;
            if let Some(raw) = raw {
                batch.set_raw_person(key, slot as i64, &raw)?;
            }
            placed.push(Placed { slot, person, decision });
        }
        Ok(placed)
    }

    /// The people of the block holding `m`'s name, when the rarity rule judges it rare as a run would (see
    /// `rarity.rs`); `None` when it is not rare or no one holds it.
    fn rare_join(&self, batch: &Batch<'_>, block: &str, m: &Mention) -> Result<Option<RareJoin>, EngineError> {
        let Some(totals) = self.totals else { return Ok(None) };
        let judge = judge_rarity(
            &m.name,
            |prefix| self.memo(batch, prefix, true),
            |word| self.memo(batch, word, false),
            |lists: &[Arc<[String]>]| RareNames::new(flat(lists, &m.name), totals),
            |judge| judge.key(&m.name),
        )?;
        let Some(name) = judge.key(&m.name) else { return Ok(None) };
        let mut join = RareJoin { name, ..RareJoin::default() };
        for other in batch.block_names(block)? {
            if judge.key(&other).as_ref() == Some(&join.name) {
                for (_, _, p) in batch.people_with_name_key(&other)? {
                    *join.people.entry(p).or_default() += 1;
                }
                join.names.insert(other);
            }
        }
        Ok((!join.people.is_empty()).then_some(join))
    }

    /// The person writing `m`'s name otherwise in another block ("Rajakrishnan Rajkumar" for a new "Rajkumar
    /// Rajakrishnan"), joined as after a full run (see `readings.rs`): one sharing a coauthor with it, the most
    /// shared first, else, when both names are rare, the most published; every name of the person must agree with
    /// `m`'s under the reading, and none may be on this work or have written with `m`'s name.
    fn reading_join(
        &self,
        batch: &Batch<'_>,
        key: i64,
        m: &Mention,
        with_coauthor: &HashSet<i64>,
        reads: &mut Reads,
    ) -> Result<Option<(String, Reading)>, EngineError> {
        let own = arrow_normalize::name_key(&m.name);
        // A name many people write says too little about which of them a reading of it would be.
        let holders: BTreeSet<String> = batch.people_with_name_key(&own)?.into_iter().map(|(_, _, p)| p).collect();
        if holders.len() > crate::readings::MAX_HOLDERS {
            return Ok(None);
        }
        let block = block_key(&m.name);
        let coauthors: HashSet<String> = m.coauthors.iter().map(|c| arrow_normalize::name_key(c)).collect();
        let mut best: Option<(usize, usize, String, Reading)> = None;
        let mut own_rare: Option<bool> = None;
        // Whether `name` joins `m`'s on rarity alone: a reading that may, and both names rare.
        let mut on_rarity = |name: &str, reading: Reading| -> Result<bool, EngineError> {
            if !arrow_disambig::joins_on_rarity(&m.name, name, reading) {
                return Ok(false);
            }
            let own = match own_rare {
                Some(r) => r,
                None => *own_rare.insert(self.is_rare(batch, &m.name)?),
            };
            Ok(own && self.is_rare(batch, name)?)
        };
        let mut readings = arrow_disambig::written_readings(&m.name);
        // Long forms of a short surname ("Langkilde-Geary" for a new "Langkilde") cannot be guessed: they are read
        // from the name index.
        for prefix in arrow_disambig::lengthened_prefixes(&m.name) {
            for name in batch.names_with_key_prefix(&prefix, LENGTHENED_NAMES)? {
                if arrow_disambig::reading_of(&m.name, &name) == Some(Reading::ShortSurname) {
                    readings.push((name, Reading::ShortSurname));
                }
            }
        }
        for (name, reading) in readings {
            let name_key = arrow_normalize::name_key(&name);
            if coauthors.contains(&name_key) {
                continue;
            }
            // Most new names read as no stored name, or as a common one sharing no coauthor with them: those are
            // settled from the name index (works with one of `m`'s coauthors are known) before any person is read.
            let rows = batch.authorships_with_name_key(&name_key)?;
            if rows.is_empty() {
                continue;
            }
            let mut by_name = if rows.iter().any(|(w, _)| with_coauthor.contains(w)) {
                None
            } else {
                Some(on_rarity(&name, reading)?)
            };
            if by_name == Some(false) {
                continue;
            }
            let people: BTreeSet<String> =
                batch.people_with_name_key(&name_key)?.into_iter().map(|(_, _, p)| p).collect();
            if people.len() > crate::readings::MAX_HOLDERS {
                continue;
            }
            for person in people {
                let slots = read_of_person(batch, &person, key, with_coauthor)?;
                let mut theirs: HashSet<String> = HashSet::new();
                let mut agree = true;
                for &(k, slot) in &slots {
                    let Some(them) = reads.mention(batch, k, slot)? else { continue };
                    theirs.extend(them.coauthors.iter().map(|c| arrow_normalize::name_key(c)));
                    // Not on this work, nor with another source id, nor in `m`'s own block, whose people the
                    // evidence replay has judged already.
                    let ids_differ = matches!((&m.source_id, &them.source_id), (Some(a), Some(b)) if a != b);
                    agree &= k != key
                        && !ids_differ
                        && block_key(&them.name) != block
                        && arrow_disambig::names_agree(&them.name, &m.name, reading);
                }
                if !agree || theirs.contains(&own) {
                    continue;
                }
                let shared = coauthors.intersection(&theirs).count();
                let joins = shared > 0
                    || match by_name {
                        Some(b) => b,
                        None => *by_name.insert(on_rarity(&name, reading)?),
                    };
                let rank = (shared, slots.len());
                if joins && best.as_ref().is_none_or(|b| rank > (b.0, b.1)) {
                    best = Some((shared, slots.len(), person, reading));
                }
            }
        }
        Ok(best.map(|b| (b.2, b.3)))
    }

    /// Whether `name` is rare, as a run judges it.
    fn is_rare(&self, batch: &Batch<'_>, name: &str) -> Result<bool, EngineError> {
        let Some(totals) = self.totals else { return Ok(false) };
        let judge = judge_rarity(
            name,
            |prefix| self.memo(batch, prefix, true),
            |word| self.memo(batch, word, false),
            |lists: &[Arc<[String]>]| RareNames::new(flat(lists, name), totals),
            |judge| judge.key(name),
        )?;
        Ok(judge.key(name).is_some())
    }

    /// Every mention of every person the new mention could join: the people linked to it by an id (source id,
    /// DBLP person record, homonym number), and the [`RELATED`] people most related to it among a bounded sample
    /// of the block's mentions with a compatible name (see [`discover`]); of a prolific person, every mention that
    /// could rule it out or link it and a bounded sample of the rest (see [`read_of_person`]).
    fn known(
        batch: &Batch<'_>,
        key: i64,
        block: &str,
        m: &Mention,
        dblp: bool,
        with_coauthor: &HashSet<i64>,
        reads: &mut Reads,
    ) -> Result<Vec<Known>, EngineError> {
        // Every compatible authorship of the block, by (name, work, slot): persons are looked up only for the
        // sample that `discover` reads (a common name has thousands of authorships; a join for each was a sixth
        // of the time).
        let homonym = split_homonym(&m.name).1;
        let mut linked: BTreeSet<String> = BTreeSet::new();
        let mut names: Vec<String> = Vec::new();
        let mut candidates: Vec<(u32, i64, i64)> = Vec::new();
        for name in batch.block_names(block)? {
            if compare_names(&name, &m.name) == NameMatch::Conflict {
                continue;
            }
            let n = names.len() as u32;
            let rows = batch.authorships_with_name_key(&name)?;
            // The same homonym number links whatever the evidence.
            let same_homonym = homonym.is_some() && split_homonym(&name).1 == homonym;
            if same_homonym || rows.len() <= JOINED_NAME {
                let people = batch.people_with_name_key(&name)?;
                if same_homonym {
                    linked.extend(people.iter().map(|(_, _, p)| p.clone()));
                }
                reads.note_people(people);
            }
            candidates.extend(rows.into_iter().map(|(w, s)| (n, w, s)));
            names.push(name);
        }
        // Ids link whatever the evidence, so their people are always read.
        if let Some(id) = &m.source_id {
            linked.extend(batch.people_with_source_id(block, id)?);
        }
        // A DBLP person record's names link whatever they look like ("Vint Cerf" beside "Vinton G. Cerf"), and
        // its id is looked up, not stored on the authorships: find its people through each of its names.
        if dblp {
            if let Some(record) = batch.dblp_person_with_name(&m.name)? {
                for name in &record.names {
                    let key = arrow_normalize::name_key(name);
                    linked.extend(batch.people_with_name_key(&key)?.into_iter().map(|(_, _, p)| p));
                }
            }
        }
        let mut people = discover(batch, m, &names, &candidates, with_coauthor, reads)?;
        people.extend(linked);
        let mut known = Vec::new();
        for person in people {
            for (key, slot) in read_of_person(batch, &person, key, with_coauthor)? {
                if let Some(mention) = reads.mention(batch, key, slot)? {
                    known.push(Known { person: person.clone(), mention });
                }
            }
        }
        Ok(known)
    }
}

/// Compatible mentions of a block read to find the people related to a new one. Common names have thousands
/// ("H. Yang" 3,450, "Y. Li" 11,000); the sample takes those written with a coauthor of the new mention first.
/// Chosen with `arrow bench assign --data DIR --works 1000 --seed 1|2` on the 2.9-million-work corpus: 800 gave a
/// p99 of 53 ms per work, 100 about 35 ms, with the same agreement with the batch run (see the README).
const DISCOVERY: usize = 100;

/// The people of a block worth reading whole: those with a mention sharing something with `m` among a bounded
/// read of the block's compatible mentions: first those on works with one of `m`'s coauthors (found through the
/// name index, without reading works), then those written with `m`'s exact name, then the others, each in a
/// deterministic pseudo-random order. A person sharing only a venue or title word with `m` through mentions
/// outside the read is missed: an approximation of evidence only, never of constraints (ids are looked up).
fn discover(
    batch: &Batch<'_>,
    m: &Mention,
    names: &[String],
    candidates: &[(u32, i64, i64)],
    with_coauthor: &HashSet<i64>,
    reads: &mut Reads,
) -> Result<BTreeSet<String>, EngineError> {
    let own = arrow_normalize::name_key(&m.name);
    let mut order: Vec<&(u32, i64, i64)> = candidates.iter().collect();
    order.sort_by_cached_key(|c| (!with_coauthor.contains(&c.1), names[c.0 as usize] != own, mix(c.1, c.2)));
    let mut sample = Vec::with_capacity(DISCOVERY);
    for &&(_, work, slot) in &order {
        if sample.len() == DISCOVERY {
            break;
        }
        // Authorships without a person (the new work's own, others of the ingest not yet assigned) are skipped.
        let Some(person) = reads.person(batch, work, slot)? else { continue };
        if let Some(mention) = reads.mention(batch, work, slot)? {
            sample.push(Known { person, mention });
        }
    }
    Ok(arrow_disambig::related_people(m, &sample, RELATED))
}

/// People of a big block read whole at most (the most related to the new mention, see
/// [`arrow_disambig::related_people`]), besides those linked by an id.
const RELATED: usize = 40;

/// Authorships of a name up to which their people are read with them, in one join; a commoner name's are
/// looked up work by work for the sample only.
const JOINED_NAME: usize = 200;

// Mentions of one person whose works are read: as many as the replay sees.
use arrow_disambig::PER_PERSON;

/// The (work key, slot) of a person's mentions to read: all of them for a person of at most [`PER_PERSON`]; for a
/// prolific one, every mention that could rule the person out or link it, judged on the authorships alone (one
/// per distinct written name and source id, and any on the new mention's own work `key`), then those on works with
/// one of `m`'s coauthors, then a deterministic pseudo-random sample, up to [`PER_PERSON`].
fn read_of_person(
    batch: &Batch<'_>,
    person: &str,
    key: i64,
    with_coauthor: &HashSet<i64>,
) -> Result<Vec<(i64, i64)>, EngineError> {
    // The slots come from the person index alone; names and ids are looked up only for a prolific person.
    let slots = batch.person_slots(person)?;
    if slots.len() <= PER_PERSON {
        return Ok(slots);
    }
    let rows = batch.person_authorships(person)?;
    let mut names: HashSet<&str> = HashSet::new();
    let mut ids: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    let mut rest = Vec::new();
    for (work, slot, name, id) in &rows {
        let new_name = names.insert(name.as_str());
        let new_id = id.as_deref().is_some_and(|i| ids.insert(i));
        if new_name || new_id || *work == key {
            out.push((*work, *slot));
        } else {
            rest.push((*work, *slot));
        }
    }
    rest.sort_by_cached_key(|&(w, s)| (!with_coauthor.contains(&w), mix(w, s)));
    let room = PER_PERSON.saturating_sub(out.len());
    out.extend(rest.into_iter().take(room));
    Ok(out)
}

/// The works with one of `m`'s coauthors, through the name index (no work is read); `cache` holds each coauthor's works
/// for the other authors of the same paper.
fn works_with_coauthors(
    batch: &Batch<'_>,
    m: &Mention,
    cache: &mut HashMap<String, Vec<i64>>,
) -> Result<HashSet<i64>, EngineError> {
    let mut works = HashSet::new();
    for c in &m.coauthors {
        let found = match cache.entry(arrow_normalize::name_key(c)) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let found = batch.works_with_name_key(e.key())?;
                e.insert(found)
            }
        };
        works.extend(found.iter().copied());
    }
    Ok(works)
}

/// A stable pseudo-random order of (work, slot) pairs (splitmix64).
pub(crate) fn mix(work: i64, slot: i64) -> u64 {
    let mut z = (work as u64).wrapping_mul(0x9e3779b97f4a7c15) ^ (slot as u64);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
    z ^ (z >> 31)
}

/// A DBLP work's author ids by written name (see [`crate::dblp_ids`]).
type DblpIds = HashMap<String, String>;

/// What one work's assignment has read: work outlines with their DBLP ids, each read once however many of the
/// work's authors look at it.
struct Reads {
    works: HashMap<i64, Option<(Work, Option<DblpIds>)>>,
    /// The people of authorships, by (work key, slot), and the works whose people have all been read.
    people: HashMap<(i64, i64), String>,
    people_read: HashSet<i64>,
    /// Whether any DBLP person record is stored (else no work needs its authors looked up).
    dblp: bool,
}

impl Reads {
    fn ids(&self, batch: &Batch<'_>, work: &Work) -> Result<Option<HashMap<String, String>>, EngineError> {
        if !self.dblp {
            return Ok(crate::dblp_ids::is_dblp(work).then(HashMap::new));
        }
        dblp_ids_of(batch, work)
    }

    /// The person of the authorship at (work key, slot), if it has one.
    fn person(&mut self, batch: &Batch<'_>, key: i64, slot: i64) -> Result<Option<String>, EngineError> {
        if let Some(p) = self.people.get(&(key, slot)) {
            return Ok(Some(p.clone()));
        }
        if self.people_read.insert(key) {
            for (s, p) in batch.people_of_work(key)? {
                self.people.insert((key, s), p);
            }
        }
        Ok(self.people.get(&(key, slot)).cloned())
    }

    /// Notes people read elsewhere: (work key, slot, person).
    fn note_people(&mut self, rows: Vec<(i64, i64, String)>) {
        self.people.extend(rows.into_iter().map(|(w, s, p)| ((w, s), p)));
    }

    /// The mention at (work key, slot); `None` for a vanished work or a slot it no longer has (a stale people row
    /// cannot inform the decision).
    fn mention(&mut self, batch: &Batch<'_>, key: i64, slot: i64) -> Result<Option<Mention>, EngineError> {
        if !self.works.contains_key(&key) {
            let read = match batch.work_outline(key)? {
                Some(w) => {
                    let ids = self.ids(batch, &w)?;
                    Some((w, ids))
                }
                None => None,
            };
            self.works.insert(key, read);
        }
        let Some((w, ids)) = &self.works[&key] else { return Ok(None) };
        Ok(usize::try_from(slot).ok().filter(|&s| s < w.authors.len()).map(|s| mention(w, s, ids.as_ref(), &[])))
    }
}

/// The DBLP person ids of a DBLP work's authors, as the batch run gives them (see [`crate::dblp_ids`]).
fn dblp_ids_of(batch: &Batch<'_>, work: &Work) -> Result<Option<HashMap<String, String>>, EngineError> {
    if !crate::dblp_ids::is_dblp(work) {
        return Ok(None);
    }
    Ok(Some(crate::dblp_ids::author_ids(batch, [work])?))
}

/// A new person's id: from its first mention, as in a full run; if a person already holds that id (a changed work
/// whose mention started the person now leaves it) or a curation names it, a deterministic variant.
fn fresh_id(batch: &Batch<'_>, m: &Mention) -> Result<String, EngineError> {
    let mut id = person_id(&m.work, m.position);
    let mut n = 1u32;
    while batch.person_id_taken(&id)? {
        id = person_id(&format!("{}\u{0}{n}", m.work), m.position);
        n += 1;
    }
    Ok(id)
}

impl Assigner {
    /// Assigns the authorships of the works under `keys` (drained; each once) in `batch`, counting the outcomes.
    pub(crate) fn assign_keys(
        &self,
        batch: &mut Batch<'_>,
        keys: &mut Vec<i64>,
        report: &mut crate::IngestReport,
    ) -> Result<(), EngineError> {
        keys.sort_unstable();
        keys.dedup();
        for key in keys.drain(..) {
            let work = batch.work_by_key(key)?;
            for p in self.assign_work(batch, key, &work)? {
                if p.joined() {
                    report.joined_people += 1;
                    report.joined_on_rare_name += usize::from(p.decision.rare_name.is_some());
                    report.joined_on_reading += usize::from(p.decision.reading.is_some());
                } else {
                    report.new_people += 1;
                }
            }
        }
        Ok(())
    }
}

impl Arrow {
    /// Assigns the authorships of these works in a transaction of their own, when people exist; returns the
    /// outcomes' counts (in the report's people fields).
    pub(crate) fn assign_keys(&self, keys: &[i64]) -> Result<crate::IngestReport, EngineError> {
        let mut report = crate::IngestReport::default();
        if keys.is_empty() {
            return Ok(report);
        }
        let Some(assigner) = self.assigner()? else { return Ok(report) };
        let mut store = self.store();
        let mut batch = store.batch()?;
        assigner.assign_keys(&mut batch, &mut keys.to_vec(), &mut report)?;
        batch.commit()?;
        Ok(report)
    }
}
