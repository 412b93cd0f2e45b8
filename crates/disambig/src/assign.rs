//! Incremental assignment: one new mention joins a person already found in its block, or starts a new one, without
//! re-running the whole disambiguation.
//!
//! The batch run's own stages are replayed on the new mention's neighbourhood (every mention of the people it could
//! join) with the saved label model instead of a new EM fit: candidate pairs and their evidence, the block's match
//! rate, constrained average linkage at [`Config::threshold`], then profile merging. The mention joins the person
//! most of its resulting cluster belongs to. Hard constraints are checked against whole people: a shared source id
//! or homonym number links; a different one, a shared work or conflicting given names rule the person out.
//! Rarity (of coauthors, venues, title words) is measured on the neighbourhood, not on the batch the person came
//! from, so decisions can differ from a full run at the margin.

use crate::cluster::{average_linkage, block_pairs, profile_merge, ProfileState, LAMBDA_SHRINK};
use crate::name::{fold_name, generation, ParsedName};
use crate::prepare::{coauthor_key, prepare, title_words, Prepared};
use crate::profile::Dist;
use crate::{constraint, Config, Constraint, Mention, Model, NameMatch};
use arrow_normalize::split_homonym;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// An existing mention of the block and the person it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub person: String,
    pub mention: Mention,
}

/// Where a new mention goes, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    /// The existing person the mention joins; `None` when it starts a new person.
    pub person: Option<String>,
    /// The person the decision is about: the one joined, or else the closest candidate.
    pub best: Option<String>,
    /// Mean match probability of the mention's scored pairs with `best`'s mentions (1 under a must-link).
    pub probability: f64,
    /// The hard constraint that linked the mention to `person`, if one did.
    pub constraint: Option<Constraint>,
    /// `best`'s mentions that clustered with the new mention.
    pub clustered_with: usize,
    /// Prior match rate of the block, estimated on the neighbourhood.
    pub prior: f64,
    /// Mention pairs scored with the new mention (the others count as probability 0 with a small weight).
    pub scored_pairs: usize,
    /// The rare full name the mention joined `person` on, when no evidence placed it (see [`RareJoin`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rare_name: Option<String>,
    /// How `person` writes the mention's name otherwise, in another block, when that joined them (set by the
    /// engine, which looks such names up; see `readings.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<crate::Reading>,
}

/// The people holding a new mention's name when that name is rare (see `rarity.rs`), as a full run would join
/// them: unless evidence places the mention elsewhere, it joins the one of them that nothing keeps it from and that
/// shares its venue, else the one holding the name most often (a full run joins a cluster to the person of the
/// name whose fields it shares most).
#[derive(Clone, Debug, Default)]
pub struct RareJoin {
    /// The rare full name ("jan hajic").
    pub name: String,
    /// The people holding it, with how many of their mentions are written with it.
    pub people: BTreeMap<String, usize>,
    /// The names (name keys) that stand for it: a short first name and its long form ("Dan", "Daniel") conflict
    /// as names, yet are one rare name, as in a full run.
    pub names: BTreeSet<String>,
}

/// Title words per mention that candidate generation uses (as in `prepare`).
const RARE_WORDS: usize = 4;

#[derive(Default)]
struct Candidate {
    size: usize,
    sum: f64,
    scored: usize,
    clustered: usize,
    link: Option<Constraint>,
    conflict: bool,
    forbidden: bool,
}

impl Candidate {
    fn mean(&self) -> f64 {
        if self.link.is_some() {
            1.0
        } else {
            self.sum / self.scored.max(1) as f64
        }
    }
}

/// Decides the person of `new` given every existing mention of the people it could join (`known`: at least the
/// people with a name compatible with the new one, each with all its mentions, so that constraints see whole
/// people).
pub fn assign(model: &Model, config: &Config, new: &Mention, known: &[Known]) -> Decision {
    assign_with(model, config, new, known, &RareJoin::default())
}

/// [`assign`], where the new mention's name is rare: `rare` holds the people of that rare name, which `known`
/// must include whole.
pub fn assign_with(model: &Model, config: &Config, new: &Mention, known: &[Known], rare: &RareJoin) -> Decision {
    assign_apart(model, config, new, known, rare, &BTreeSet::new())
}

/// [`assign_with`], where the mentions of any two of the people in `apart` never meet in one cluster of the
/// replay: people a curator took apart (a split and the person it was split from) would otherwise cluster again on
/// the evidence that once made them one, and the new mention would join whichever of them is larger.
pub fn assign_apart(
    model: &Model,
    config: &Config,
    new: &Mention,
    known: &[Known],
    rare: &RareJoin,
    apart: &BTreeSet<String>,
) -> Decision {
    let known = neighbours(new, known, &rare.people);
    // Constraints are checked against every mention of a person, on names, works and ids alone (cheap to prepare);
    // the evidence replay sees a bounded share of a prolific person's mentions.
    let mut people: BTreeMap<&str, Candidate> = BTreeMap::new();
    {
        let mut bare: Vec<Mention> = Vec::with_capacity(known.len() + 1);
        let strip = |m: &Mention| Mention {
            work: m.work.clone(),
            position: m.position,
            name: m.name.clone(),
            source_id: m.source_id.clone(),
            coauthors: Vec::new(),
            venue: None,
            year: None,
            title: String::new(),
            cites: Vec::new(),
        };
        bare.extend(known.iter().map(|k| strip(&k.0.mention)));
        bare.push(strip(new));
        let ctx = prepare(&bare);
        let me = known.len();
        // A generational suffix that tells two people of the name apart (see `Prepared::generation`): a paper lists
        // the name with and without it. The people's papers are read for it here, in full, since the replay reads a
        // bounded share of them and the person who wrote that paper with them may share nothing with the new one.
        let own_generation = generation(&new.name);
        // Only mentions of the new mention's parsed name can differ from it by a suffix alone.
        let same: Vec<&Mention> = std::iter::once(new)
            .chain(
                known.iter().enumerate().filter(|(j, _)| ctx.name_id[*j] == ctx.name_id[me]).map(|(_, k)| &k.0.mention),
            )
            .collect();
        let told = same.iter().any(|m| generation(&m.name) != own_generation)
            && (ctx.generation[me].is_some()
                || same.iter().any(|m| {
                    let own = generation(&m.name);
                    m.coauthors.iter().any(|c| generation(c) != own && ParsedName::parse(c) == ctx.names[me])
                }));
        // Per person, one mention of each distinct name, and those whose names conflict with the new one.
        let mut names: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut conflicting: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (j, (k, _)) in known.iter().enumerate() {
            let c = people.entry(k.person.as_str()).or_default();
            c.size += 1;
            let seen = names.entry(k.person.as_str()).or_default();
            if !seen.iter().any(|&i| ctx.name_id[i] == ctx.name_id[j]) {
                seen.push(j);
            }
            if told && ctx.name_id[j] == ctx.name_id[me] && generation(&k.mention.name) != own_generation {
                c.forbidden = true;
            }
            match constraint(&ctx, me, j) {
                Some(l) if l.links() => c.link = Some(l),
                // A person may hold a name of another block, joined after a run as the same name read otherwise
                // ("Hinrich Schuetze" beside "Schütze"; see `readings.rs`) or by a curator: judged as a conflict.
                Some(Constraint::DifferentBlocks)
                    if ctx.source[me].is_some() && ctx.source[j].is_some() && ctx.source[me] != ctx.source[j] =>
                {
                    c.forbidden = true
                }
                Some(Constraint::IncompatibleNames | Constraint::DifferentBlocks) => {
                    conflicting.entry(k.person.as_str()).or_default().push(j)
                }
                Some(Constraint::SourceIdOnDifferentNames) => c.conflict = true,
                // Not compared as a pair, nor kept apart: the person's other mentions decide.
                Some(Constraint::Nickname) => {}
                Some(_) => c.forbidden = true,
                None => {}
            }
        }
        // A person may hold names that conflict with each other ("Dan" and "Daniel" of a rare surname, joined as one
        // rare name): a new name that conflicts with one of them is no conflict when it agrees with another name of
        // the person that conflicts with it in turn.
        for (person, js) in conflicting {
            let own = &names[person];
            let excused = js.iter().all(|&j| {
                one_rare_name(&ctx, me, j, &known[j].0.mention.name, rare)
                    || own.iter().any(|&k| {
                        ctx.names_match(me, k) != NameMatch::Conflict && ctx.names_match(k, j) == NameMatch::Conflict
                    })
            });
            if let (false, Some(c)) = (excused, people.get_mut(person)) {
                c.conflict = true;
            }
        }
    }
    let known = bounded(known);
    let mut mentions: Vec<Mention> = Vec::with_capacity(known.len() + 1);
    mentions.extend(known.iter().map(|k| k.mention.clone()));
    mentions.push(new.clone());
    let mut ctx = prepare(&mentions);
    let group: BTreeMap<&str, u32> = apart.iter().enumerate().map(|(g, p)| (p.as_str(), g as u32)).collect();
    for (j, k) in known.iter().enumerate() {
        if let Some(&g) = group.get(k.person.as_str()) {
            ctx.apart.insert(j, g);
        }
    }
    let me = known.len();
    let b = ctx.block_of[me] as usize;
    let bp = block_pairs(&ctx, config, b);
    let prior = model.pair.block_lambda(&bp.sample, LAMBDA_SHRINK);
    let probs: Vec<f64> = bp.pairs.iter().map(|p| model.pair.probability(&p.2, prior)).collect();
    let ms = &ctx.blocks[b];
    let mut scored_pairs = 0;
    for (&(x, y, _), &p) in bp.pairs.iter().zip(&probs) {
        let (x, y) = (ms[x as usize], ms[y as usize]);
        let other = if x == me {
            y
        } else if y == me {
            x
        } else {
            continue;
        };
        scored_pairs += 1;
        if let Some(c) = people.get_mut(known[other].person.as_str()) {
            c.sum += p;
            c.scored += 1;
        }
    }
    for j in cluster_of(&ctx, config, b, &bp, &probs, me) {
        if let Some(c) = people.get_mut(known[j].person.as_str()) {
            c.clustered += 1;
        }
    }
    // A must-link beats everything; then the most mentions clustered with the new one, the mean probability, the
    // larger person, the smaller id (the map's order).
    let rank = |c: &Candidate| (c.link.is_some(), c.clustered, c.mean(), c.size);
    let mut best: Option<(&str, &Candidate)> = None;
    for (&person, c) in &people {
        let allowed = !c.forbidden && (c.link.is_some() || !c.conflict);
        if allowed && best.is_none_or(|(_, b)| rank(c) > rank(b)) {
            best = Some((person, c));
        }
    }
    let joins = best.is_some_and(|(_, c)| c.link.is_some() || c.clustered > 0);
    // Nothing placed the mention: a rare name joins the largest person holding it, as a full run joins the
    // clusters of a rare name (a single paper is never kept apart by its field).
    let rare_name = if joins {
        None
    } else {
        let venue = new.venue.as_deref().map(fold_name);
        let at_venue: HashSet<&str> = known
            .iter()
            .filter(|k| venue.is_some() && k.mention.venue.as_deref().map(fold_name) == venue)
            .map(|k| k.person.as_str())
            .collect();
        let rank = |p: &str| (at_venue.contains(p), rare.people.get(p).copied().unwrap_or(0));
        let allowed = |c: &Candidate| !c.forbidden && !c.conflict;
        let chosen = people
            .iter()
            .filter(|(p, c)| rare.people.contains_key(**p) && allowed(c))
            .max_by(|a, b| rank(a.0).cmp(&rank(b.0)).then_with(|| b.0.cmp(a.0)));
        chosen.map(|(&p, c)| {
            best = Some((p, c));
            rare.name.clone()
        })
    };
    let joins = joins || rare_name.is_some();
    Decision {
        rare_name,
        person: best.filter(|_| joins).map(|(p, _)| p.to_string()),
        best: best.map(|(p, _)| p.to_string()),
        probability: best.map_or(0.0, |(_, c)| c.mean()),
        constraint: best.and_then(|(_, c)| c.link),
        clustered_with: best.map_or(0, |(_, c)| c.clustered),
        prior,
        scored_pairs,
        reading: None,
    }
}

/// Whether known mention `j` (written `name`) conflicts with the new mention `me` only as a full run's rarity join
/// allows: both stand for the rare name, and they agree once their first names are read as its first name ("Dan"
/// and "Daniel" of a rare surname; not "Jan A." and "Jan B.", whose middle names still conflict).
fn one_rare_name(ctx: &Prepared, me: usize, j: usize, name: &str, rare: &RareJoin) -> bool {
    let Some(long) = rare.name.split_whitespace().next().filter(|f| !f.ends_with('.')) else { return false };
    rare.names.contains(&arrow_normalize::name_key(name))
        && crate::rarity::agree_with_long_forms(&ctx.names[me], &ctx.names[j], Some(long), Some(long))
}

/// What a known mention can share with the new one: the only ways the batch run pairs mentions or merges clusters
/// (a coauthor, the venue, one of the new mention's rarest title words), or a source id or homonym number.
struct Affinity {
    coauthors: HashSet<String>,
    venue: Option<String>,
    words: HashSet<String>,
    homonym: Option<String>,
    source: Option<String>,
}

/// A known mention's folded venue, coauthor keys and title words, computed once per decision (folding and name
/// parsing were most of an assignment's time when each step recomputed them). Coauthors and venues repeat across a
/// neighbourhood, so their keys are memoised.
struct Keys {
    venue: Option<String>,
    coauthors: Vec<String>,
    words: Vec<String>,
}

#[derive(Default)]
struct Memo<'a> {
    coauthors: HashMap<&'a str, String>,
    venues: HashMap<&'a str, String>,
}

impl Keys {
    fn of<'a>(m: &'a Mention, memo: &mut Memo<'a>) -> Keys {
        Keys {
            venue: m.venue.as_deref().map(|v| memo.venues.entry(v).or_insert_with(|| fold_name(v)).clone()),
            coauthors: m
                .coauthors
                .iter()
                .map(|c| memo.coauthors.entry(c.as_str()).or_insert_with(|| coauthor_key(c)).clone())
                .collect(),
            words: title_words(&m.title),
        }
    }

    fn all<'a>(known: impl Iterator<Item = &'a Known>) -> Vec<Keys> {
        let mut memo = Memo::default();
        known.map(|k| Keys::of(&k.mention, &mut memo)).collect()
    }
}

impl Affinity {
    fn new(new: &Mention, keys: &[Keys]) -> Affinity {
        // Rarity of title words as measured on the known mentions.
        let mine = title_words(&new.title);
        let mut df: HashMap<&str, usize> = mine.iter().map(|w| (w.as_str(), 0)).collect();
        for k in keys {
            for w in &k.words {
                if let Some(n) = df.get_mut(w.as_str()) {
                    *n += 1;
                }
            }
        }
        let mut rare: Vec<(usize, &String)> = mine.iter().map(|w| (df[w.as_str()], w)).collect();
        rare.sort();
        let words = rare.into_iter().take(RARE_WORDS).map(|(_, w)| w.clone()).collect();
        Affinity {
            coauthors: new.coauthors.iter().map(|c| coauthor_key(c)).collect(),
            venue: new.venue.as_deref().map(fold_name),
            words,
            homonym: split_homonym(&new.name).1.map(str::to_string),
            source: new.source_id.clone(),
        }
    }

    /// How much `m` shares with the new mention, for ranking people (0: nothing).
    fn strength(&self, m: &Mention, k: &Keys) -> u64 {
        let strong = (self.source.is_some() && m.source_id == self.source)
            || (self.homonym.is_some() && split_homonym(&m.name).1 == self.homonym.as_deref())
            || k.coauthors.iter().any(|c| self.coauthors.contains(c));
        let venue = self.venue.is_some() && k.venue == self.venue;
        let words = k.words.iter().filter(|w| self.words.contains(*w)).count() as u64;
        u64::from(strong) * 1_000_000 + u64::from(venue) * 1_000 + words
    }

    fn shares(&self, m: &Mention, k: &Keys) -> bool {
        self.strength(m, k) > 0
    }
}

/// The people with a mention that shares something with `new` (see [`assign`]'s neighbourhood): the only ones
/// that could take it. Lets a caller look at a sample of a big block first and read whole people only for these.
/// At most `limit` of them, the most related first: a shared id, homonym number or coauthor outweighs any number
/// of shared venues, and a shared venue any number of shared title words. In the blocks of common names (a sample
/// of 800 "Y. Chen" mentions shares a title word with a hundred people) the people sharing only a common word are
/// many, and reading each whole was most of an assignment's time, though such a person rarely takes the mention.
pub fn related_people(new: &Mention, known: &[Known], limit: usize) -> BTreeSet<String> {
    let keys = Keys::all(known.iter());
    let aff = Affinity::new(new, &keys);
    let mut score: HashMap<&str, u64> = HashMap::new();
    for (k, ks) in known.iter().zip(&keys) {
        let s = aff.strength(&k.mention, ks);
        if s > 0 {
            *score.entry(k.person.as_str()).or_default() += s;
        }
    }
    let mut ranked: Vec<(u64, &str)> = score.into_iter().map(|(p, s)| (s, p)).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    ranked.into_iter().take(limit).map(|(_, p)| p.to_string()).collect()
}

/// The people worth replaying (those with a mention sharing something with the new one, and those of its rare name
/// in `rare`: the others could not take the mention, and replaying them costs time, thousands of mentions in the
/// blocks of common names), each mention with whether it shares something.
fn neighbours<'a>(new: &Mention, known: &'a [Known], rare: &BTreeMap<String, usize>) -> Vec<(&'a Known, bool)> {
    let keys = Keys::all(known.iter());
    let aff = Affinity::new(new, &keys);
    let shares: Vec<bool> = known.iter().zip(&keys).map(|(k, ks)| aff.shares(&k.mention, ks)).collect();
    let mut keep: HashSet<&str> =
        known.iter().zip(&shares).filter(|(_, &s)| s).map(|(k, _)| k.person.as_str()).collect();
    keep.extend(known.iter().map(|k| k.person.as_str()).filter(|p| rare.contains_key(*p)));
    known.iter().zip(shares).filter(|(k, _)| keep.contains(k.person.as_str())).collect()
}

/// Mentions per person that the evidence replay sees at most: callers need read no more of a person (the engine
/// reads this many of a prolific person's works for an incremental assignment).
pub const PER_PERSON: usize = 60;

/// A prolific person's mentions, bounded for the replay: those sharing something with the new mention first, then
/// the others, each in a deterministic pseudo-random order (so the profile is a fair sample of the person, not
/// their oldest or newest papers), up to [`PER_PERSON`]. Re-clustering hundreds of one person's papers for every
/// new one costs tens of milliseconds and rarely changes where the new one goes.
fn bounded<'a>(known: Vec<(&'a Known, bool)>) -> Vec<&'a Known> {
    let mut by_person: BTreeMap<&str, Vec<(&'a Known, bool)>> = BTreeMap::new();
    for k in &known {
        by_person.entry(k.0.person.as_str()).or_default().push(*k);
    }
    if by_person.values().all(|ms| ms.len() <= PER_PERSON) {
        return known.into_iter().map(|k| k.0).collect();
    }
    let mut out = Vec::with_capacity(known.len().min(by_person.len() * PER_PERSON));
    for (_, mut ms) in by_person {
        if ms.len() > PER_PERSON {
            ms.sort_by_cached_key(|(k, shares)| (!shares, fnv(&k.mention.work, k.mention.position)));
            ms.truncate(PER_PERSON);
        }
        out.extend(ms.into_iter().map(|k| k.0));
    }
    out
}

/// FNV-1a of a mention's place: a stable pseudo-random order, the same on every platform and run.
fn fnv(work: &str, position: u32) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in work.bytes().chain([0u8]).chain(position.to_le_bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// The other members of `me`'s cluster after stage 1 (average linkage) and stage 2 (profile merging) of the batch
/// run on block `b` of the neighbourhood.
fn cluster_of(
    ctx: &Prepared,
    config: &Config,
    b: usize,
    bp: &crate::cluster::BlockPairs,
    probs: &[f64],
    me: usize,
) -> Vec<usize> {
    let mut clus = average_linkage(ctx, config, b, bp, probs);
    if clus.len() > 1 && config.profile_rounds > 0 {
        let dists = clus.iter().map(|c| Dist::of(ctx, &c.members)).collect();
        let mut st = ProfileState { clus, dists, bg: Dist::of(ctx, &ctx.blocks[b]) };
        for _ in 0..config.profile_rounds {
            let (next, merged) = profile_merge(ctx, config, b, st);
            st = next;
            if !merged {
                break;
            }
        }
        clus = st.clus;
    }
    clus.into_iter()
        .find(|c| c.members.contains(&me))
        .map_or_else(Vec::new, |c| c.members.into_iter().filter(|&j| j != me).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(work: &str, name: &str, co: &[&str], venue: &str, year: i32, title: &str) -> Mention {
        Mention {
            work: work.into(),
            position: 1,
            name: name.into(),
            source_id: None,
            coauthors: co.iter().map(|s| s.to_string()).collect(),
            venue: Some(venue.into()),
            year: Some(year),
            title: title.into(),
            cites: Vec::new(),
        }
    }

    fn block() -> Vec<Known> {
        let a = |w: &str, t: &str, y| Known {
            person: "pA".into(),
            mention: m(w, "Wei Wang", &["Jiawei Han", "Philip S. Yu"], "KDD", y, t),
        };
        let b = |w: &str, t: &str, y| Known {
            person: "pB".into(),
            mention: m(w, "Wei Wang", &["Hans Schmidt"], "Physical Review B", y, t),
        };
        vec![
            a("a1", "Mining frequent graph patterns", 2010),
            a("a2", "Frequent pattern mining in streams", 2011),
            a("a3", "Graph pattern mining at scale", 2012),
            b("b1", "Spin waves in thin magnetic films", 2005),
            b("b2", "Magnetic anisotropy of thin films", 2006),
        ]
    }

    #[test]
    fn a_mention_with_shared_coauthors_and_venue_joins_that_person() {
        let new = m("n1", "Wei Wang", &["Jiawei Han"], "KDD", 2013, "Pattern mining on graphs");
        let d = assign(&Model::priors(), &Config::default(), &new, &block());
        assert_eq!(d.person.as_deref(), Some("pA"), "{d:?}");
        assert!(d.clustered_with >= 2 && d.probability > 0.0 && d.scored_pairs >= 3, "{d:?}");
    }

    #[test]
    fn people_kept_apart_never_meet_in_the_replay_so_a_mention_joins_the_one_it_fits() {
        // One data miner as the evidence sees him, cut in two by a curator: pS holds his papers with Jiawei Han
        // (and a stream paper with Charu Aggarwal), pA the rest. A new paper with Aggarwal fits pS.
        let mut known = block();
        let s = |w: &str, co: &[&str], t: &str, y| Known {
            person: "pS".into(),
            mention: m(w, "Wei Wang", co, "KDD", y, t),
        };
        known.push(s("s1", &["Charu C. Aggarwal", "Jiawei Han"], "Clustering data streams", 2011));
        known.push(s("s2", &["Jiawei Han"], "Frequent graph mining", 2012));
        let new = m("n3", "Wei Wang", &["Charu C. Aggarwal"], "KDD", 2013, "Stream clustering");
        let together = assign(&Model::priors(), &Config::default(), &new, &known);
        assert_eq!(together.person.as_deref(), Some("pA"), "one cluster: the larger person takes it: {together:?}");
        let apart: BTreeSet<String> = ["pA".to_string(), "pS".to_string()].into();
        let d = assign_apart(&Model::priors(), &Config::default(), &new, &known, &RareJoin::default(), &apart);
        assert_eq!(d.person.as_deref(), Some("pS"), "{d:?}");
    }

    #[test]
    fn a_son_written_with_his_suffix_never_joins_his_fathers_person_however_much_they_share() {
        // pF: Jan Hajič with his students; pS: his son, "Jan Hajič jr.", who wrote k17 with him.
        let k = |person: &str, work: &str, position: u32, name: &str, co: &[&str], venue: &str, title: &str| Known {
            person: person.into(),
            mention: Mention { position, ..m(work, name, co, venue, 2017, title) },
        };
        let (father, son) = ("Jan Hajič", "Jan Hajič jr.");
        let mut known = vec![
            k("pF", "k17", 1, father, &[son, "Daniel Zeman"], "CoNLL", "Universal dependencies parsing"),
            k("pS", "k17", 2, son, &[father, "Daniel Zeman"], "CoNLL", "Universal dependencies parsing"),
            k("pS", "w13", 1, son, &["Ondřej Bojar"], "WMT", "Machine translation of noun phrases"),
        ];
        // More of the father's papers sharing the new one's coauthors than the replay reads of one person: the
        // paper that tells father and son apart is not among those it reads.
        for i in 0..(PER_PERSON + 20) {
            let title = format!("Czech treebank annotation part {i}");
            known.push(k("pF", &format!("f{i}"), 1, father, &["Pavel Pecina", "Martin Popel"], "ACL", &title));
        }
        let new = m("n1", son, &["Pavel Pecina", "Martin Popel"], "ACL", 2018, "Czech treebank annotation tools");
        let d = assign(&Model::priors(), &Config::default(), &new, &known);
        assert_ne!(d.person.as_deref(), Some("pF"), "{d:?}");
        let plain = m("n2", father, &["Pavel Pecina", "Martin Popel"], "ACL", 2018, "Czech treebank annotation tools");
        let d = assign(&Model::priors(), &Config::default(), &plain, &known);
        assert_eq!(d.person.as_deref(), Some("pF"), "{d:?}");
    }

    #[test]
    fn a_mention_sharing_nothing_starts_a_new_person() {
        let new = m("n2", "Wei Wang", &["Maria Rossi"], "Journal of Ancient History", 1990, "Roman coinage");
        let d = assign(&Model::priors(), &Config::default(), &new, &block());
        assert_eq!(d.person, None, "{d:?}");
        assert_eq!(d.clustered_with, 0);
    }

    #[test]
    fn a_rare_name_sharing_nothing_joins_the_person_holding_it_most_that_nothing_keeps_it_from() {
        let new = m("n2", "Wei Wang", &["Maria Rossi"], "Journal of Ancient History", 1990, "Roman coinage");
        let rare = |people: &[(&str, usize)]| RareJoin {
            name: "wei wang".into(),
            people: people.iter().map(|(p, n)| (p.to_string(), *n)).collect(),
            names: ["wei wang".to_string()].into(),
        };
        let d = assign_with(&Model::priors(), &Config::default(), &new, &block(), &rare(&[("pA", 1), ("pB", 5)]));
        assert_eq!((d.person.as_deref(), d.rare_name.as_deref()), (Some("pB"), Some("wei wang")), "{d:?}");
        let d = assign_with(&Model::priors(), &Config::default(), &new, &block(), &rare(&[("pA", 3)]));
        assert_eq!(d.person.as_deref(), Some("pA"), "{d:?}");
        // A person with a mention on the new work is someone else.
        let mut known = block();
        known[3].mention.work = "n2".into();
        let d = assign_with(&Model::priors(), &Config::default(), &new, &known, &rare(&[("pB", 2)]));
        assert_eq!((d.person, d.rare_name), (None, None));
        // Evidence decides first.
        let near = m("n5", "Wei Wang", &["Hans Schmidt"], "Physical Review B", 2007, "Thin magnetic films");
        let d = assign_with(&Model::priors(), &Config::default(), &near, &block(), &rare(&[("pA", 3)]));
        assert_eq!((d.person.as_deref(), d.rare_name.as_deref()), (Some("pB"), None), "{d:?}");
    }

    /// The names of one rare name may conflict only as a full run allows: a short and a long first name, not
    /// another middle name.
    #[test]
    fn a_rare_name_excuses_a_short_first_name_but_not_another_middle_name() {
        let person = |name: &str| {
            vec![Known {
                person: "pJ".into(),
                mention: m("j1", name, &["Eva Hajičová"], "COLING", 1998, "Tagging Czech"),
            }]
        };
        let rare = |names: &[&str]| RareJoin {
            name: "daniel jurafsky".into(),
            people: [("pJ".to_string(), 1)].into(),
            names: names.iter().map(|n| n.to_string()).collect(),
        };
        let new = m("n1", "Dan Jurafsky", &["Zebedee Quorum"], "Ancient History", 2030, "Roman coinage");
        let d = assign_with(
            &Model::priors(),
            &Config::default(),
            &new,
            &person("Daniel Jurafsky"),
            &rare(&["daniel jurafsky"]),
        );
        assert_eq!(d.person.as_deref(), Some("pJ"), "{d:?}");
        let new = m("n2", "Daniel B. Jurafsky", &["Zebedee Quorum"], "Ancient History", 2030, "Roman coinage");
        let known = person("Daniel A. Jurafsky");
        let d = assign_with(&Model::priors(), &Config::default(), &new, &known, &rare(&["daniel a. jurafsky"]));
        assert_eq!(d.person, None, "another middle initial: {d:?}");
    }

    #[test]
    fn hard_constraints_win_over_evidence() {
        let mut known = block();
        known[0].mention.source_id = Some("orcid:1".into());
        let mut new = m("n3", "Wei Wang", &["Jiawei Han", "Philip S. Yu"], "KDD", 2011, "Frequent graph mining");
        new.source_id = Some("orcid:2".into());
        let d = assign(&Model::priors(), &Config::default(), &new, &known);
        assert_ne!(d.person.as_deref(), Some("pA"), "different ORCIDs never link: {d:?}");
        // The same id links however little is shared.
        let mut far = m("n4", "Wei Wang", &[], "Physical Review B", 1990, "Spin glasses");
        far.source_id = Some("orcid:1".into());
        let d = assign(&Model::priors(), &Config::default(), &far, &known);
        assert_eq!((d.person.as_deref(), d.constraint), (Some("pA"), Some(Constraint::SameSourceId)));
        // Two authors of one paper are two people.
        let same_work = m("a1", "Wei Wang", &["Jiawei Han"], "KDD", 2010, "Mining frequent graph patterns");
        let d = assign(&Model::priors(), &Config::default(), &same_work, &block());
        assert_ne!(d.person.as_deref(), Some("pA"), "{d:?}");
        // Conflicting given names never link.
        let other = m("n5", "Wen Wang", &["Jiawei Han", "Philip S. Yu"], "KDD", 2011, "Frequent graph mining");
        let d = assign(&Model::priors(), &Config::default(), &other, &block());
        assert_eq!(d.person, None, "{d:?}");
    }

    #[test]
    fn a_person_of_a_short_and_a_long_first_name_takes_either_but_no_third() {
        // A run joined "Dan" and "Daniel" of a rare surname into one person.
        let known: Vec<Known> =
            [("d1", "Dan Jurafskyx", 2010), ("d2", "Dan Jurafskyx", 2011), ("d3", "Daniel Jurafskyx", 2012)]
                .iter()
                .map(|&(w, name, y)| Known {
                    person: "pD".into(),
                    mention: m(w, name, &["James H. Martin"], "ACL", y, "Speech and language processing"),
                })
                .collect();
        let same = |name: &str| m("n", name, &["James H. Martin"], "ACL", 2013, "Speech and language processing");
        for name in ["Dan Jurafskyx", "Daniel Jurafskyx"] {
            let d = assign(&Model::priors(), &Config::default(), &same(name), &known);
            assert_eq!(d.person.as_deref(), Some("pD"), "{name}: {d:?}");
        }
        for name in ["Danielle Jurafskyx", "David Jurafskyx"] {
            let d = assign(&Model::priors(), &Config::default(), &same(name), &known);
            assert_eq!(d.person, None, "{name} conflicts with both: {d:?}");
        }
    }

    #[test]
    fn related_people_rank_a_shared_coauthor_above_shared_words_and_venues() {
        let mut known = block();
        // Five people who share only the venue and a title word with the new mention.
        for i in 0..5 {
            known.push(Known {
                person: format!("pW{i}"),
                mention: m(&format!("w{i}"), "Wei Wang", &[], "KDD", 2010, "Pattern recognition"),
            });
        }
        let new = m("n1", "Wei Wang", &["Philip S. Yu"], "KDD", 2013, "Pattern recognition in graphs");
        let top = related_people(&new, &known, 1);
        assert_eq!(top, ["pA".to_string()].into_iter().collect(), "the shared coauthor wins");
        assert_eq!(related_people(&new, &known, 10).len(), 6, "pB shares nothing");
    }

    #[test]
    fn a_prolific_person_is_replayed_in_part_but_constrained_whole() {
        let mut known: Vec<Known> = (0..3 * PER_PERSON)
            .map(|i| Known {
                person: "pA".into(),
                mention: m(
                    &format!("a{i:03}"),
                    "Wei Wang",
                    &["Jiawei Han"],
                    "KDD",
                    2000 + (i % 20) as i32,
                    "Graph mining",
                ),
            })
            .collect();
        let new = m("n1", "Wei Wang", &["Jiawei Han"], "KDD", 2013, "Graph pattern mining");
        let d = assign(&Model::priors(), &Config::default(), &new, &known);
        assert_eq!(d.person.as_deref(), Some("pA"), "{d:?}");
        assert!(d.clustered_with <= PER_PERSON, "the replay is bounded: {d:?}");
        // A mention sharing nothing (so outside the replayed share) carries another id: the person is ruled out.
        known.push(Known { person: "pA".into(), mention: m("b1", "Wei Wang", &[], "Physical Review B", 1990, "Spin") });
        let last = known.len() - 1;
        known[last].mention.source_id = Some("orcid:1".into());
        let mut other = new.clone();
        other.source_id = Some("orcid:2".into());
        let d = assign(&Model::priors(), &Config::default(), &other, &known);
        assert_eq!(d.person, None, "{d:?}");
        assert_eq!(related_people(&new, &known, 10), ["pA".to_string()].into_iter().collect());
    }
}
