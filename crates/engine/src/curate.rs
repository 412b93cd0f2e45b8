//! Curators' corrections of people: merge, split, claim an ORCID, undo. Each is kept as a constraint over
//! mentions named by work id and position (which survive re-runs, where person ids may not), with the name written
//! there (so that a mention follows its author when a source changes the work's author list), and applied over
//! what label-free disambiguation said, after every full run and every ingest, oldest first, so a newer
//! correction wins over an older one it contradicts. Curations win over the evidence; where the evidence
//! disagrees (names that cannot be one person, a correction overridden by a newer one) it is reported, never
//! silently dropped. A paper stored after a split goes to the side of it that its evidence fits (`arrivals.rs`).

use crate::{Arrow, EngineError, MentionRef};
use arrow_model::Work;
use arrow_store::CurationRow;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What a curation asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Correction {
    /// These people are one: every mention they had, the first person's first (its id survives).
    Merge {
        people: Vec<String>,
        mentions: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        names: Vec<String>,
    },
    /// These mentions of `person` are someone else, the new person `new_person`.
    Split {
        person: String,
        mentions: Vec<String>,
        new_person: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        names: Vec<String>,
        /// The key of the last work stored when the split was made: works stored after it (larger keys) were seen
        /// by no curator, and go to whichever side of the split their evidence fits (see `arrivals.rs`). `None`
        /// for a split made before this was kept (its people's later papers stay where the evidence put them).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seen: Option<i64>,
    },
    /// `person` (the mentions it had) has this ORCID.
    Claim {
        person: String,
        mentions: Vec<String>,
        orcid: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        names: Vec<String>,
    },
}

impl Correction {
    /// What was asked, in a line: "merged p1 + p2 (64 mentions)".
    pub fn summary(&self) -> String {
        match self {
            Correction::Merge { people, mentions, .. } => {
                format!("merged {} ({} mentions)", people.join(" + "), mentions.len())
            }
            Correction::Split { person, mentions, new_person, .. } => {
                let n = mentions.len();
                format!("split {n} mention{} off {person} into {new_person}", if n == 1 { "" } else { "s" })
            }
            Correction::Claim { person, orcid, .. } => format!("{person} claims ORCID {orcid}"),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Correction::Merge { .. } => "merge",
            Correction::Split { .. } => "split",
            Correction::Claim { .. } => "claim",
        }
    }

    /// The mentions it was made over, as `WORK_ID#POSITION`.
    pub fn mentions(&self) -> &[String] {
        match self {
            Correction::Merge { mentions, .. }
            | Correction::Split { mentions, .. }
            | Correction::Claim { mentions, .. } => mentions,
        }
    }

    /// Names each mention by where it is now: `now(mention, name written there)` gives its `WORK_ID#POSITION` now,
    /// or `None` for a mention no longer stored, which is renamed to a text that names no author (and still reads
    /// as its work's). Called once per mention, in order.
    pub fn settle(&mut self, mut now: impl FnMut(&String, Option<&String>) -> Option<String>) {
        let (mentions, names) = match self {
            Correction::Merge { mentions, names, .. }
            | Correction::Split { mentions, names, .. }
            | Correction::Claim { mentions, names, .. } => (mentions, names),
        };
        for (i, m) in mentions.iter_mut().enumerate() {
            match now(m, names.get(i).filter(|n| !n.is_empty())) {
                Some(now) => *m = now,
                None => m.push_str(GONE),
            }
        }
    }

    /// Each mention with the name written there when the curation was made (`None` for curations made before
    /// names were kept).
    pub fn written(&self) -> impl Iterator<Item = (&String, Option<&String>)> {
        let names = match self {
            Correction::Merge { names, .. } | Correction::Split { names, .. } | Correction::Claim { names, .. } => {
                names
            }
        };
        self.mentions().iter().enumerate().map(move |(i, m)| (m, names.get(i).filter(|n| !n.is_empty())))
    }
}

/// A curation as `arrow curate history` lists it (and `arrow batch curate` reads it back).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Curation {
    pub id: i64,
    /// Seconds since the Unix epoch.
    pub at: i64,
    pub by: String,
    pub note: String,
    pub undone: bool,
    /// Who undid it, when and why (seconds since the Unix epoch, as `at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo: Option<Undo>,
    #[serde(flatten)]
    pub correction: Correction,
    /// For a claim in a person's history: the newer claim of the same person that replaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<i64>,
    /// What the data does not bear out of this curation, or of older ones it contradicts (set when a curation is
    /// made; empty in the history).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<CurationConflict>,
}

impl Curation {
    /// When it was made, in UTC: "2026-12-06 14:31 UTC".
    pub fn when(&self) -> String {
        utc(self.at)
    }
}

/// Seconds since the Unix epoch as a UTC date and time (minutes), by the civil-from-days algorithm of
/// H. Hinnant (proleptic Gregorian calendar).
pub fn utc(at: i64) -> String {
    let (days, secs) = (at.div_euclid(86_400), at.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", secs / 3600, secs % 3600 / 60)
}

/// Who undid a curation, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Undo {
    pub at: i64,
    pub by: String,
    pub note: String,
}

/// A curation that the data no longer bears out as asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurationConflict {
    pub curation: i64,
    /// A newer curation this one is in conflict with, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<i64>,
    pub message: String,
    /// A newer curation overrode this one as its curator asked (a split after a merge, a merge after a split):
    /// reported when that curation is made, not again on every run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overridden: bool,
}

impl CurationConflict {
    /// Whether curation `id` should hear of it: its own, or an older one's that `id` contradicts.
    pub fn concerns(&self, id: i64) -> bool {
        self.curation == id || self.with == Some(id)
    }
}

/// Where curations put people, as a map over label-free people: the person each raw (label-free) person is now
/// shown as, and the person of each mention a split took from its raw person. One function for a single node's
/// store and for `arrow batch curate` on Spark, so both give the same people (but for papers stored after a
/// split, which a single node first counts as the split's side they fit, see `arrivals.rs`).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CuratedLabels {
    /// Raw person → the person shown (those unchanged are left out).
    pub people: HashMap<String, String>,
    /// `WORK_ID#POSITION` → the person shown, for mentions split from their raw person.
    pub mentions: HashMap<String, String>,
    /// Per split (by the new person it made), the person its mentions were taken from, as later merges relabel it:
    /// a split mention back with it was put back.
    #[serde(skip)]
    pub split_from: HashMap<String, String>,
}

impl CuratedLabels {
    /// Applies `corrections` (the active ones, oldest first), given the raw person of each mention they name (`None`
    /// for a mention no longer stored).
    pub fn of<'a>(corrections: impl Iterator<Item = &'a Correction>, raw: impl Fn(&str) -> Option<String>) -> Self {
        let mut labels = CuratedLabels::default();
        for c in corrections {
            match c {
                Correction::Merge { people, mentions, .. } => {
                    let now: Vec<String> = mentions.iter().filter_map(|m| labels.current(m, &raw)).collect();
                    let Some(first) = now.first().cloned() else { continue };
                    let targets: HashSet<String> = now.into_iter().collect();
                    // The first id named survives while it still names one of the people merged (a re-run may
                    // have given the first mention's piece another id); else the first mention's person does.
                    let first = people.first().filter(|p| targets.contains(*p)).cloned().unwrap_or(first);
                    // Every raw person shown as a target, and every split mention, is shown as the first from now.
                    for t in &targets {
                        labels.people.entry(t.clone()).or_insert_with(|| t.clone());
                    }
                    let values = labels.people.values_mut().chain(labels.mentions.values_mut());
                    for p in values.chain(labels.split_from.values_mut()) {
                        if targets.contains(p) {
                            p.clone_from(&first);
                        }
                    }
                }
                Correction::Split { mentions, new_person, .. } => {
                    if let Some(from) = mentions.iter().find_map(|m| labels.current(m, &raw)) {
                        labels.split_from.insert(new_person.clone(), from);
                    }
                    for m in mentions.iter().filter(|m| raw(m).is_some()) {
                        labels.mentions.insert(m.clone(), new_person.clone());
                    }
                }
                Correction::Claim { .. } => {}
            }
        }
        labels.people.retain(|raw, shown| raw != shown);
        labels
    }

    /// The person of a mention (`WORK_ID#POSITION`, when curations may name it) whose raw person is `raw`.
    pub fn person_of<'a>(&'a self, mention: Option<&str>, raw: &'a str) -> &'a str {
        mention.and_then(|m| self.mentions.get(m)).or_else(|| self.people.get(raw)).map_or(raw, String::as_str)
    }

    fn current(&self, mention: &str, raw: &impl Fn(&str) -> Option<String>) -> Option<String> {
        let r = raw(mention)?;
        Some(self.person_of(Some(mention), &r).to_string())
    }
}

/// Why a curation was refused.
#[derive(Debug, thiserror::Error)]
pub enum CurateError {
    #[error("no person {0:?}: person ids look like p0123456789abcdef, as the people of a name list them")]
    UnknownPerson(String),
    #[error("{mention} is not a mention of {person}: {why}")]
    NotTheirs { mention: String, person: String, why: String },
    #[error("a merge needs two or more different people")]
    MergeNeedsTwo,
    #[error("a split needs at least one mention, and cannot take all of a person's mentions ({0})")]
    SplitSize(&'static str),
    #[error("{0:?} is not a valid ORCID: 16 characters, digits with a final check digit (0-9 or X) that must match the others, as 0000-0002-1825-0097")]
    BadOrcid(String),
    #[error("no curation {0}")]
    UnknownCuration(i64),
    #[error("curation {0} was undone already")]
    UndoneAlready(i64),
    #[error("{first} and {second} are both authors of {work} (as {first_ref} and {second_ref}): one person does not write a paper twice")]
    SameWork { work: String, first: String, second: String, first_ref: String, second_ref: String },
    #[error("{person} already has ORCID {orcid} (curation {curation})")]
    AlreadyClaimed { person: String, orcid: String, curation: i64 },
    #[error("{person} is no longer a person: curation {curation} merged it into {into}; name {into} instead")]
    MergedAway { person: String, into: String, curation: i64 },
}

impl CurateError {
    /// Whether the request named a person or curation that does not exist (or no longer does).
    pub fn is_missing(&self) -> bool {
        matches!(self, CurateError::UnknownPerson(_) | CurateError::UnknownCuration(_) | CurateError::MergedAway { .. })
    }
}

impl Arrow {
    /// Merges people: the first id survives and takes every mention of the others.
    pub fn curate_merge(&self, people: &[String], by: &str, note: &str) -> Result<Curation, EngineError> {
        let mut distinct: Vec<String> = Vec::new();
        for p in people {
            if !distinct.contains(p) {
                distinct.push(p.clone());
            }
        }
        if distinct.len() < 2 {
            return Err(CurateError::MergeNeedsTwo.into());
        }
        let mut mentions = Vec::new();
        // Whose each work's mention is, to refuse joining two authors of one paper.
        let mut authors: HashMap<String, (String, String)> = HashMap::new();
        for p in &distinct {
            for m in self.mention_refs_of(p)? {
                let work = work_of(&m).to_string();
                if let Some((other, other_ref)) = authors.get(&work).filter(|(other, _)| other != p) {
                    return Err(CurateError::SameWork {
                        work,
                        first: other.clone(),
                        second: p.clone(),
                        first_ref: other_ref.clone(),
                        second_ref: m,
                    }
                    .into());
                }
                authors.insert(work, (p.clone(), m.clone()));
                mentions.push(m);
            }
        }
        let names = self.names_at(&mentions)?;
        self.record(Correction::Merge { people: distinct, mentions, names }, by, note)
    }

    /// Two names, of two of `people`, that the name rules keep apart ("Lei Zhang", "Li Zhang"): a merge of them is
    /// made as asked and reported, so a form asks first. `None` when any two of their names may be one person's
    /// (unknown ids are left to the merge to refuse).
    pub fn merge_name_conflict(&self, people: &[String]) -> Result<Option<(String, String)>, EngineError> {
        let mut names: Vec<BTreeSet<String>> = Vec::new();
        for p in people {
            let written = self.store().person_authorships(p)?.into_iter().map(|(_, _, name, _)| name).collect();
            names.push(written);
        }
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                for x in a {
                    if let Some(y) = b.iter().find(|y| kept_apart_by_name(x, y)) {
                        return Ok(Some((x.clone(), y.clone())));
                    }
                }
            }
        }
        Ok(None)
    }

    /// Splits the given mentions off `person` into a new person.
    pub fn curate_split(
        &self,
        person: &str,
        mentions: &[MentionRef],
        by: &str,
        note: &str,
    ) -> Result<Curation, EngineError> {
        let theirs: HashSet<String> = self.mention_refs_of(person)?.into_iter().collect();
        let asked: Vec<String> = mentions.iter().map(|m| format!("{}#{}", m.work, m.position)).collect();
        if let Some((m, r)) = asked.iter().zip(mentions).find(|(m, _)| !theirs.contains(*m)) {
            let why = self.whose(r)?;
            return Err(CurateError::NotTheirs { mention: m.clone(), person: person.to_string(), why }.into());
        }
        let distinct: HashSet<&String> = asked.iter().collect();
        if distinct.is_empty() {
            return Err(CurateError::SplitSize("none was named").into());
        }
        if distinct.len() == theirs.len() {
            return Err(CurateError::SplitSize("all were named: that is the same person under another id").into());
        }
        let mut sorted: Vec<&String> = distinct.into_iter().collect();
        sorted.sort();
        // The id of the mentions split; once more with the person and a count where that id is taken (the same
        // mentions split off twice, the second time off the person the first made).
        let mut new_person = format!("p{:016x}", stable_hash(&sorted));
        let taken = self.curated_ids()?;
        let mut n = 0u32;
        while new_person == person
            || taken.contains(&new_person)
            || !self.store().person_mentions(&new_person)?.is_empty()
        {
            n += 1;
            let (from, count) = (person.to_string(), n.to_string());
            let salted: Vec<&String> = sorted.iter().copied().chain([&from, &count]).collect();
            new_person = format!("p{:016x}", stable_hash(&salted));
        }
        let mentions: Vec<String> = sorted.into_iter().cloned().collect();
        let names = self.names_at(&mentions)?;
        let seen = Some(self.store().last_work_key()?);
        self.record(Correction::Split { person: person.to_string(), mentions, new_person, names, seen }, by, note)
    }

    /// Whose a mention is, in words, for a split that named it under another person.
    fn whose(&self, m: &MentionRef) -> Result<String, EngineError> {
        if let Some(p) = self.people_of(std::slice::from_ref(m))?.remove(0) {
            return Ok(format!("it is {p}'s"));
        }
        Ok(match self.store().work(&m.work)? {
            None => format!("no work {:?} is stored (work ids are matched exactly, case included)", m.work),
            Some((_, w)) if !(0..w.authors.len()).any(|s| crate::people::position_of(&w, s) == m.position) => {
                format!("{} has no author at position {} (positions count from 1)", m.work, m.position)
            }
            Some(_) => "no person holds it yet".to_string(),
        })
    }

    /// Binds an ORCID to a person (to the mentions it has now, wherever later runs put them).
    pub fn curate_claim(&self, person: &str, orcid: &str, by: &str, note: &str) -> Result<Curation, EngineError> {
        let clean = arrow_model::Identifiers::clean_orcid(orcid).ok_or_else(|| CurateError::BadOrcid(orcid.into()))?;
        let mentions = self.mention_refs_of(person)?;
        if let Some((curation, had)) = self.claim_of(person)? {
            if had == clean {
                return Err(CurateError::AlreadyClaimed { person: person.into(), orcid: clean, curation }.into());
            }
        }
        let names = self.names_at(&mentions)?;
        self.record(Correction::Claim { person: person.to_string(), mentions, orcid: clean, names }, by, note)
    }

    /// Undoes a curation: the people it touched are as the evidence and the other curations make them. Returns the
    /// conflicts the undo brings about, and the newer changes on its mentions that stay in force.
    pub fn curate_undo(&self, id: i64, by: &str, note: &str) -> Result<Vec<CurationConflict>, EngineError> {
        // What the undo brings about is told, not what stood before it (another change's conflicts).
        let before: HashSet<String> = self.curate_people(false, None)?.into_iter().map(|c| c.message).collect();
        if !self.store().undo_curation(id, now(), by, note)? {
            let known = self.store().curations()?.iter().any(|c| c.id == id);
            return Err(if known { CurateError::UndoneAlready(id) } else { CurateError::UnknownCuration(id) }.into());
        }
        // Overridden ones too: a later merge that named this change's mentions may now put back another split's,
        // which no newer change would tell.
        let mut out: Vec<CurationConflict> =
            self.curate_people(true, None)?.into_iter().filter(|c| !before.contains(&c.message)).collect();
        // Newer changes made over the same mentions stay in force (a split made on the person a merge made): the
        // curator hears of them, since they may only have corrected the change undone.
        let all: Vec<Curation> = self.store().curations()?.into_iter().filter_map(parse).collect();
        if let Some(undone) = all.iter().find(|c| c.id == id) {
            let mine: HashSet<&String> = undone.correction.mentions().iter().collect();
            for n in all.iter().filter(|n| n.id > id && !n.undone) {
                if n.correction.mentions().iter().any(|m| mine.contains(m)) {
                    out.push(conflict(
                        n,
                        format!(
                            "made after curation {id} on some of its mentions, and still in force; undo it too if it \
                             only corrected that one"
                        ),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// Every curation, oldest first; with `person`, those that named it or most of whose mentions are now its (a
    /// change that touched one of its papers on the way to someone else is that person's history).
    pub fn curation_history(&self, person: Option<&str>) -> Result<Vec<Curation>, EngineError> {
        let all: Vec<Curation> = self.store().curations()?.into_iter().filter_map(parse).collect();
        let Some(person) = person else { return Ok(all) };
        let now: HashSet<String> = self.mention_refs_of(person).unwrap_or_default().into_iter().collect();
        let mut list: Vec<Curation> = Vec::new();
        for c in all {
            let named = match &c.correction {
                Correction::Merge { people, .. } => people.iter().any(|p| p == person),
                Correction::Split { person: p, new_person, .. } => p == person || new_person == person,
                Correction::Claim { person: p, .. } => p == person,
            };
            let touches = c.correction.mentions().iter().any(|m| now.contains(m));
            if named || (touches && self.most_of(&c.correction)?.as_deref() == Some(person)) {
                list.push(c);
            }
        }
        // A claim whose person has a newer one is replaced by it, though not undone.
        if list.iter().any(|c| !c.undone && matches!(c.correction, Correction::Claim { .. })) {
            let owners = self.claim_owners()?;
            for c in &mut list {
                let Some(i) = owners.iter().position(|o| o.0 == c.id) else { continue };
                let newer = owners[i + 1..].iter().rev().find(|o| o.2.is_some() && o.2 == owners[i].2);
                c.replaced_by = newer.map(|o| o.0);
            }
        }
        // No person and no curation of that id: a mistyped id, not an empty history.
        if list.is_empty() && now.is_empty() && self.where_went(person)?.is_none() {
            return Err(CurateError::UnknownPerson(person.to_string()).into());
        }
        Ok(list)
    }

    /// Where a person id that a curator merged away went: the person now holding the mentions of the newest merge
    /// that absorbed it, with that merge's id (`None` for an id no merge took).
    pub fn merged_into(&self, person: &str) -> Result<Option<(String, i64)>, EngineError> {
        Ok(self.merge_that_took(person)?.map(|(now, id, _)| (now, id)))
    }

    /// [`Arrow::merged_into`], with the id the merge named to survive.
    fn merge_that_took(&self, person: &str) -> Result<Option<(String, i64, String)>, EngineError> {
        let merges = self.store().curations()?.into_iter().filter_map(parse).rev().filter(|c| !c.undone);
        for c in merges {
            let Correction::Merge { people, .. } = &c.correction else { continue };
            if !people.iter().skip(1).any(|p| p == person) {
                continue;
            }
            if let Some(now) = self.most_of(&c.correction)? {
                return Ok(Some((now, c.id, people[0].clone())));
            }
        }
        Ok(None)
    }

    /// The person holding most of a curation's mentions now (ties to the lesser id); `None` when none is stored.
    fn most_of(&self, c: &Correction) -> Result<Option<String>, EngineError> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for at in self.locate(c.written())?.into_iter().flatten() {
            if let Some(now) = self.store().person_of(at.key, at.slot)? {
                *counts.entry(now).or_default() += 1;
            }
        }
        Ok(counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0))).map(|(p, _)| p))
    }

    /// Where a person id that curation made and then lost went, in words, with the person holding its papers now:
    /// merged away ("curation 3 merged it into p…"), or made by a split that was undone.
    pub fn where_went(&self, person: &str) -> Result<Option<(String, String)>, EngineError> {
        if let Some((now, curation, survivor)) = self.merge_that_took(person)? {
            // Later changes may have taken the survivor's papers on to someone else.
            let why = if survivor != now {
                format!("curation {curation} merged it into {survivor}; its papers are {now}'s now")
            } else {
                format!("curation {curation} merged it into {now}")
            };
            return Ok(Some((why, now)));
        }
        let splits = self.store().curations()?.into_iter().filter_map(parse).rev().filter(|c| c.undone);
        for c in splits {
            let Correction::Split { new_person, .. } = &c.correction else { continue };
            if new_person != person {
                continue;
            }
            if let Some(now) = self.most_of(&c.correction)? {
                let why = format!("curation {} made it by a split, which was undone; its papers are {now}'s", c.id);
                return Ok(Some((why, now)));
            }
        }
        Ok(None)
    }

    /// The ORCID curators bound to this person, if any: the newest claim the person owns (see [`claim_owner`]).
    pub fn claimed_orcid(&self, person: &str) -> Result<Option<String>, EngineError> {
        Ok(self.claim_of(person)?.map(|(_, orcid)| orcid))
    }

    /// The newest active claim this person owns, as (curation id, ORCID).
    fn claim_of(&self, person: &str) -> Result<Option<(i64, String)>, EngineError> {
        let owners = self.claim_owners()?;
        Ok(owners.into_iter().rev().find(|c| c.2.as_deref() == Some(person)).map(|(id, orcid, _)| (id, orcid)))
    }

    /// Every active claim, oldest first, as (curation id, ORCID, the person owning it now: see [`claim_owner`]).
    fn claim_owners(&self) -> Result<Vec<(i64, String, Option<String>)>, EngineError> {
        let mut claims: Vec<Curation> = self
            .store()
            .curations()?
            .into_iter()
            .filter_map(parse)
            .filter(|c| !c.undone && matches!(c.correction, Correction::Claim { .. }))
            .collect();
        if claims.is_empty() {
            return Ok(Vec::new());
        }
        let slots = self.settle(&mut claims)?;
        let mut person_of: HashMap<(i64, i64), String> = HashMap::new();
        for &k in slots.values() {
            if let Some(p) = self.store().person_of(k.0, k.1)? {
                person_of.insert(k, p);
            }
        }
        let of = |m: &String| slots.get(m).and_then(|k| person_of.get(k));
        Ok(claims
            .into_iter()
            .filter_map(|c| match c.correction {
                Correction::Claim { mentions, orcid, .. } => Some((c.id, orcid, claim_owner(&mentions, of).cloned())),
                _ => None,
            })
            .collect())
    }

    /// What the data does not bear out of curation `id`, or of older ones it contradicts, as things stand now: what
    /// the curation reported when it was made, unless later changes settled it. Reads only: conflicts are not
    /// stored (they follow from the curations and the data), so a page shown after a curation recomputes them.
    pub fn curation_conflicts(&self, id: i64) -> Result<Vec<CurationConflict>, EngineError> {
        if !self.store().curations()?.iter().any(|c| c.id == id) {
            return Err(CurateError::UnknownCuration(id).into());
        }
        // As `record` tells them: its own, older ones it contradicts, and any it brings about (those that go away
        // were it undone).
        let without: HashSet<String> = self.curate_people(false, Some(id))?.into_iter().map(|c| c.message).collect();
        Ok(self
            .curate_people(false, None)?
            .into_iter()
            .filter(|c| c.concerns(id) || !without.contains(&c.message))
            .collect())
    }

    /// The people on the two sides of every active split that places later papers (one made since splits keep
    /// `seen`), as they are now (each side followed through merges since): incremental assignment keeps them apart
    /// in its replay, so that a new paper of either goes to the side it fits, not to whichever is larger.
    pub(crate) fn split_sides(&self) -> Result<BTreeSet<String>, EngineError> {
        let mut sides = BTreeSet::new();
        let curations = self.store().curations()?;
        for c in curations.into_iter().filter_map(parse).filter(|c| !c.undone) {
            if let Correction::Split { person, new_person, seen: Some(_), .. } = &c.correction {
                // The new side is whoever holds its papers now (a merge may have taken them on).
                sides.insert(self.most_of(&c.correction)?.unwrap_or_else(|| new_person.clone()));
                sides.insert(self.merged_into(person)?.map_or_else(|| person.clone(), |(now, _)| now));
            }
        }
        Ok(sides)
    }

    /// Who holds the mentions of each active merge now.
    pub(crate) fn merge_holders(&self) -> Result<BTreeSet<String>, EngineError> {
        let mut out = BTreeSet::new();
        // Read first: the store's lock must not be held across `most_of`, which takes it again.
        let curations: Vec<Curation> = self.store().curations()?.into_iter().filter_map(parse).collect();
        for c in curations.into_iter().filter(|c| !c.undone) {
            if let Correction::Merge { .. } = &c.correction {
                out.extend(self.most_of(&c.correction)?);
            }
        }
        Ok(out)
    }

    /// The ids curations took away from the people of runs, undone or not: merged away (a link to one leads to
    /// the person it was merged into) and split off. No other person may take them in a later run. (The ids of
    /// people that stay, a merge's survivor, a split or claimed person, follow those people as any id does.)
    pub(crate) fn curated_ids(&self) -> Result<HashSet<String>, EngineError> {
        let mut ids = HashSet::new();
        for c in self.store().curations()?.into_iter().filter_map(parse) {
            match c.correction {
                Correction::Merge { people, .. } => ids.extend(people.into_iter().skip(1)),
                Correction::Split { new_person, .. } => {
                    ids.insert(new_person);
                }
                Correction::Claim { .. } => {}
            }
        }
        Ok(ids)
    }

    /// Applies every active curation over the label-free people of the mentions any curation names (reset
    /// first, so undone ones leave no trace), oldest first. Returns what no longer holds as asked.
    pub(crate) fn apply_curations(&self) -> Result<Vec<CurationConflict>, EngineError> {
        Ok(self.curate_people(true, None)?.into_iter().filter(|c| !c.overridden).collect())
    }

    /// [`Arrow::apply_curations`], storing the people it makes only when `write` (else the store is expected to
    /// hold them already, as every change applies them at once).
    /// `without`: a curation taken as undone (to tell what it brings about; nothing is written then).
    fn curate_people(&self, write: bool, without: Option<i64>) -> Result<Vec<CurationConflict>, EngineError> {
        let write = write && without.is_none();
        let mut curations: Vec<Curation> = self.store().curations()?.into_iter().filter_map(parse).collect();
        for c in curations.iter_mut().filter(|c| Some(c.id) == without) {
            c.undone = true;
        }
        if curations.is_empty() {
            return Ok(Vec::new());
        }
        let slots = self.settle(&mut curations)?;
        let mut raw_people: Vec<String> = Vec::new();
        for &(work, slot) in slots.values() {
            if let Some(raw) = self.store().raw_person_of(work, slot)? {
                if !raw_people.contains(&raw) {
                    raw_people.push(raw);
                }
            }
        }
        let mut rows = self.store().mentions_of_raw(&raw_people)?;
        let mut raw_at: HashMap<(i64, i64), &str> = rows.iter().map(|m| ((m.work, m.slot), m.raw.as_str())).collect();
        // Papers stored after a split count as the side of it they went to (see `arrivals.rs`).
        let keep = match (write, without) {
            (_, Some(_)) => crate::arrivals::Keep::Nothing,
            (true, None) => crate::arrivals::Keep::Save,
            (false, None) => crate::arrivals::Keep::Memo,
        };
        let arrived = self.arrivals(&curations, &slots, &raw_at, keep)?;
        raw_at.extend(arrived.iter().map(|(k, p)| (*k, p.as_str())));
        let labels = CuratedLabels::of(curations.iter().filter(|c| !c.undone).map(|c| &c.correction), |m| {
            slots.get(m).and_then(|k| raw_at.get(k)).map(|r| r.to_string())
        });
        let named: HashMap<(i64, i64), &String> = slots.iter().map(|(m, &k)| (k, m)).collect();
        let person: HashMap<(i64, i64), String> = rows
            .iter()
            .map(|m| {
                let key = (m.work, m.slot);
                let raw = raw_at.get(&key).copied().unwrap_or(m.raw.as_str());
                (key, labels.person_of(named.get(&key).map(|r| r.as_str()), raw).to_string())
            })
            .collect();
        let mut changed = Vec::new();
        for m in &mut rows {
            let now = person.get(&(m.work, m.slot)).cloned().unwrap_or_else(|| m.raw.clone());
            if now != m.person {
                m.person = now;
                changed.push(m.clone());
            }
        }
        if write && !changed.is_empty() {
            self.store().set_curated(&changed)?;
        }
        let mut conflicts = self.conflicts(&curations, &slots, &person, &labels)?;
        conflicts.extend(self.authors_twice(&curations, &slots, &rows)?);
        Ok(conflicts)
    }

    /// Merges whose person now has two authors of one work (a split they relied on was undone, say).
    fn authors_twice(
        &self,
        curations: &[Curation],
        slots: &HashMap<String, (i64, i64)>,
        rows: &[arrow_store::CuratedMention],
    ) -> Result<Vec<CurationConflict>, EngineError> {
        let mut seen: HashMap<(&str, i64), i64> = HashMap::new();
        let mut twice: HashMap<&str, (i64, i64, i64)> = HashMap::new();
        for m in rows {
            if let Some(&other) = seen.get(&(m.person.as_str(), m.work)) {
                twice.entry(m.person.as_str()).or_insert((m.work, other, m.slot));
            }
            seen.insert((m.person.as_str(), m.work), m.slot);
        }
        if twice.is_empty() {
            return Ok(Vec::new());
        }
        let person_of: HashMap<(i64, i64), &str> = rows.iter().map(|m| ((m.work, m.slot), m.person.as_str())).collect();
        let mut out = Vec::new();
        let mut told = HashSet::new();
        for c in curations.iter().rev().filter(|c| !c.undone) {
            let Correction::Merge { mentions, .. } = &c.correction else { continue };
            let people: HashSet<&str> =
                mentions.iter().filter_map(|m| slots.get(m)).filter_map(|k| person_of.get(k).copied()).collect();
            for p in people {
                if let Some(&(work, a, b)) = twice.get(p) {
                    if told.insert(p) {
                        let (a, b) = (self.mention_name(work, a)?, self.mention_name(work, b)?);
                        out.push(conflict(
                            c,
                            format!("{p} now holds two authors of one work, {a} and {b}; split one off"),
                        ));
                    }
                }
            }
        }
        Ok(out)
    }

    /// The active curations that do not hold as asked, and merges of names that cannot be one person.
    fn conflicts(
        &self,
        curations: &[Curation],
        slots: &HashMap<String, (i64, i64)>,
        person: &HashMap<(i64, i64), String>,
        labels: &CuratedLabels,
    ) -> Result<Vec<CurationConflict>, EngineError> {
        let mut out = Vec::new();
        let of = |m: &String| slots.get(m).and_then(|k| person.get(k));
        // The newest active curation after `c` of the kind that can override it, touching one of `people`.
        let newer = |c: &Curation, split: bool, people: &HashSet<&String>| {
            curations.iter().rev().filter(|n| n.id > c.id && !n.undone).find(|n| {
                matches!((&n.correction, split), (Correction::Split { .. }, true) | (Correction::Merge { .. }, false))
                    && n.correction.mentions().iter().filter_map(of).any(|p| people.contains(p))
            })
        };
        for c in curations.iter().filter(|c| !c.undone) {
            let gone = c.correction.mentions().iter().filter(|m| !slots.contains_key(*m)).count();
            if gone > 0 {
                let is = if gone == 1 { "is" } else { "are" };
                out.push(conflict(
                    c,
                    format!(
                        "{gone} of its mentions {is} no longer stored (the work went, or its author list no longer \
                         holds the name written there)"
                    ),
                ));
            }
            match &c.correction {
                Correction::Merge { mentions, .. } => {
                    let people: HashSet<&String> = mentions.iter().filter_map(of).collect();
                    if people.len() > 1 {
                        out.push(match newer(c, true, &people) {
                            Some(n) => CurationConflict {
                                overridden: true,
                                ..conflict_with(c, n, format!("curation {} split these mentions again", n.id))
                            },
                            None => conflict(c, "a newer curation split these mentions again".into()),
                        });
                    }
                    let mut works = HashSet::new();
                    if let Some(m) = mentions.iter().find(|m| !works.insert(work_of(m))) {
                        out.push(conflict(c, format!("joins two authors of {}, as one person", work_of(m))));
                    }
                    // Only mentions still together count: one a newer split took away no longer does.
                    let mut groups: HashMap<&String, Vec<(i64, i64)>> = HashMap::new();
                    for m in mentions {
                        if let (Some(p), Some(&k)) = (of(m), slots.get(m)) {
                            groups.entry(p).or_default().push(k);
                        }
                    }
                    let mut groups: Vec<(&String, Vec<(i64, i64)>)> = groups.into_iter().collect();
                    groups.sort();
                    for (_, keys) in groups.into_iter().filter(|(_, k)| k.len() > 1) {
                        if let Some((a, b)) = incompatible(&self.names_of(keys.into_iter())?) {
                            out.push(conflict(
                                c,
                                format!("merges {a:?} and {b:?}, which the name rules keep apart; kept as asked"),
                            ));
                            break;
                        }
                    }
                }
                Correction::Split { mentions, new_person, .. } => {
                    // Put back: a split mention is again the person it was split from (as merges since relabeled
                    // it). Merged into someone else, it is still apart.
                    let from = labels.split_from.get(new_person);
                    let now: HashSet<&String> = mentions.iter().filter_map(of).collect();
                    let back = from.is_some_and(|f| now.contains(f));
                    if back {
                        out.push(match newer(c, false, &now) {
                            Some(n) => CurationConflict {
                                overridden: true,
                                ..conflict_with(c, n, format!("curation {} put some of these mentions back", n.id))
                            },
                            None => conflict(c, "a newer curation put some of these mentions back".into()),
                        });
                    }
                }
                Correction::Claim { .. } => {}
            }
        }
        out.extend(claim_conflicts(curations, of));
        for c in curations.iter().filter(|c| !c.undone) {
            if let Correction::Claim { mentions, orcid, .. } = &c.correction {
                if let Some(owner) = claim_owner(mentions, of) {
                    out.extend(self.sources_against(c, owner, orcid)?);
                }
            }
        }
        Ok(out)
    }

    /// Where the sources disagree with a claim: the person's own papers carrying another ORCID, and papers of
    /// other people of the same names carrying the claimed one.
    fn sources_against(&self, c: &Curation, owner: &str, orcid: &str) -> Result<Vec<CurationConflict>, EngineError> {
        let claimed = format!("orcid:{orcid}");
        let mut out = Vec::new();
        let own = self.store().orcids_of_person(owner)?;
        if let Some((work, slot, id)) = own.iter().find(|(_, _, id)| *id != claimed) {
            let at = self.mention_name(*work, *slot)?;
            let id = id.trim_start_matches("orcid:");
            out.push(conflict(c, format!("{at} of {owner} carries ORCID {id} from its source, not {orcid}")));
        }
        let mut told = HashSet::new();
        // Each store call on its own statement: the store's lock is held while a temporary guard lives.
        let blocks = self.store().blocks_of_person(owner)?;
        for block in blocks {
            let holders = self.store().source_id_holders(&block, &claimed)?;
            for (other, work, slot) in holders {
                if other != owner && told.insert(other.clone()) {
                    let at = self.mention_name(work, slot)?;
                    out.push(conflict(
                        c,
                        format!("{at} carries ORCID {orcid} from its source, but is {other}'s, not {owner}'s"),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// `WORK_ID#POSITION` of a stored authorship.
    fn mention_name(&self, work: i64, slot: i64) -> Result<String, EngineError> {
        let works = self.store().works_by_keys(&[work])?;
        Ok(match works.into_iter().next() {
            Some((_, w)) => format!("{}#{}", w.id.0, crate::people::position_of(&w, slot as usize)),
            None => format!("work {work}, author {}", slot + 1),
        })
    }

    fn record(&self, correction: Correction, by: &str, note: &str) -> Result<Curation, EngineError> {
        let at = now();
        let body = serde_json::to_string(&correction).unwrap_or_default();
        // A change hears of its own conflicts, of older curations' it contradicts, and of any other it brings about
        // (a merge joining two claimed ORCIDs).
        let before: HashSet<String> = self.curate_people(false, None)?.into_iter().map(|c| c.message).collect();
        let id = self.store().add_curation(correction.kind(), at, by, note, &body)?;
        let conflicts = self
            .curate_people(true, None)?
            .into_iter()
            .filter(|c| c.concerns(id) || !before.contains(&c.message))
            .collect();
        let (by, note) = (by.to_string(), note.to_string());
        Ok(Curation { id, at, by, note, undone: false, undo: None, correction, replaced_by: None, conflicts })
    }

    /// `WORK_ID#POSITION` of every mention of a person.
    fn mention_refs_of(&self, person: &str) -> Result<Vec<String>, EngineError> {
        let keys = self.store().person_mentions(person)?;
        if keys.is_empty() {
            return Err(match self.merged_into(person)? {
                Some((into, curation)) => CurateError::MergedAway { person: person.to_string(), into, curation },
                None => CurateError::UnknownPerson(person.to_string()),
            }
            .into());
        }
        let store = self.store();
        let works: HashMap<i64, Work> =
            store.works_by_keys(&keys.iter().map(|k| k.0).collect::<Vec<_>>())?.into_iter().collect();
        Ok(keys
            .iter()
            .filter_map(|&(work, slot)| {
                let w = works.get(&work)?;
                w.authors.get(slot as usize)?;
                Some(format!("{}#{}", w.id.0, crate::people::position_of(w, slot as usize)))
            })
            .collect())
    }

    /// Where each mention named `WORK_ID#POSITION` is now, with the name written there when the curation was made
    /// (if it was kept); `None` for one no longer stored. When the
    /// work's author list has changed since, the mention follows its author ([`place_of`]).
    fn locate<'a>(
        &self,
        refs: impl Iterator<Item = (&'a String, Option<&'a String>)>,
    ) -> Result<Vec<Option<Located>>, EngineError> {
        let store = self.store();
        let mut works: HashMap<String, Option<(i64, Work)>> = HashMap::new();
        let mut out = Vec::new();
        for (r, name) in refs {
            let Ok(m) = r.parse::<MentionRef>() else {
                out.push(None);
                continue;
            };
            if !works.contains_key(&m.work) {
                works.insert(m.work.clone(), store.work(&m.work)?);
            }
            let Some((key, w)) = works.get(&m.work).and_then(|w| w.as_ref()) else {
                out.push(None);
                continue;
            };
            let authors: Vec<(u32, &str)> =
                (0..w.authors.len()).map(|i| (crate::people::position_of(w, i), w.authors[i].name.as_str())).collect();
            let slot = place_of(&authors, m.position, name.map(String::as_str));
            out.push(slot.map(|s| Located {
                key: *key,
                slot: s as i64,
                now: format!("{}#{}", w.id.0, authors[s].0),
                name: authors[s].1.to_string(),
            }));
        }
        Ok(out)
    }

    /// Names every mention of `curations` by where it is now ([`Arrow::locate`]), so that one text names one
    /// author in all of them, and returns the store (work key, slot) of each; a mention no longer stored is renamed
    /// to a text that names none (and is reported as such).
    fn settle(&self, curations: &mut [Curation]) -> Result<HashMap<String, (i64, i64)>, EngineError> {
        let found = self.locate(curations.iter().flat_map(|c| c.correction.written()))?;
        let mut found = found.into_iter();
        let mut slots = HashMap::new();
        for c in curations.iter_mut() {
            c.correction.settle(|_, _| {
                let at = found.next().flatten()?;
                slots.insert(at.now.clone(), (at.key, at.slot));
                Some(at.now)
            });
        }
        Ok(slots)
    }

    /// The names written at mentions named `WORK_ID#POSITION` (empty for one not stored), kept with a curation.
    fn names_at(&self, refs: &[String]) -> Result<Vec<String>, EngineError> {
        let found = self.locate(refs.iter().map(|r| (r, None)))?;
        Ok(found.into_iter().map(|at| at.map(|at| at.name).unwrap_or_default()).collect())
    }

    /// The written names of authorships.
    fn names_of(&self, slots: impl Iterator<Item = (i64, i64)>) -> Result<Vec<String>, EngineError> {
        let slots: Vec<(i64, i64)> = slots.collect();
        let keys: Vec<i64> = slots.iter().map(|s| s.0).collect();
        let works: HashMap<i64, Work> = self.store().works_by_keys(&keys)?.into_iter().collect();
        let mut names: Vec<String> = slots
            .iter()
            .filter_map(|(w, s)| works.get(w).and_then(|w| w.authors.get(*s as usize)).map(|a| a.name.clone()))
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }
}

fn parse(row: CurationRow) -> Option<Curation> {
    let correction = serde_json::from_str(&row.body).ok()?;
    let (id, at, by, note, undone) = (row.id, row.at, row.by, row.note, row.undone);
    let undo = row.undo.map(|(at, by, note)| Undo { at, by, note });
    Some(Curation { id, at, by, note, undone, undo, correction, replaced_by: None, conflicts: Vec::new() })
}

/// Where a curated mention of a work is now, among the work's authors as (position, name): the place it was
/// made at without a kept `name`; with one, the name still at `position`, else the one place where that name is
/// written, else a name the name rules let be the same person (a middle initial added) at `position`, else at
/// the one place holding such a name. `None` when none fits: the author left the work.
pub fn place_of(authors: &[(u32, impl AsRef<str>)], position: u32, name: Option<&str>) -> Option<usize> {
    let at = authors.iter().position(|a| a.0 == position);
    let Some(name) = name else { return at };
    let written = |i: &usize| arrow_disambig::same_name(authors[*i].1.as_ref(), name);
    let compatible =
        |i: &usize| arrow_disambig::compare_names(authors[*i].1.as_ref(), name) != arrow_disambig::NameMatch::Conflict;
    let one_place = |fits: &dyn Fn(&usize) -> bool| {
        let mut places = (0..authors.len()).filter(|i| fits(i));
        places.next().filter(|_| places.next().is_none())
    };
    at.filter(written).or_else(|| one_place(&written)).or(at.filter(compatible)).or_else(|| one_place(&compatible))
}

/// Where a curated mention is now.
struct Located {
    /// The store's work key and slot.
    key: i64,
    slot: i64,
    /// `WORK_ID#POSITION` now.
    now: String,
    /// The name written there now.
    name: String,
}

/// Appended to a curated mention no longer stored ([`Arrow::settle`]): no longer a `WORK_ID#POSITION`, so it names
/// no author, while its work id still reads as before.
const GONE: &str = " (gone)";

/// Seconds since the Unix epoch.
fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The work id of a mention named `WORK_ID#POSITION`.
fn work_of(mention: &str) -> &str {
    mention.rsplit_once('#').map_or(mention, |(w, _)| w)
}

/// The person a claim belongs to now: the one holding most of the mentions it was made over (ties to the holder
/// of the earliest listed), so that splitting a few mentions off does not take the ORCID along, and a merge of
/// two claimed people holds both claims.
fn claim_owner<'a>(mentions: &[String], of: impl Fn(&String) -> Option<&'a String>) -> Option<&'a String> {
    let mut counts: Vec<(&String, usize)> = Vec::new();
    for p in mentions.iter().filter_map(of) {
        match counts.iter_mut().find(|(q, _)| *q == p) {
            Some(c) => c.1 += 1,
            None => counts.push((p, 1)),
        }
    }
    // `max_by_key` keeps the last of equals; the first listed should win ties.
    counts.into_iter().rev().max_by_key(|c| c.1).map(|c| c.0)
}

/// Claims that contradict each other: two ORCIDs on one person (unless the newer was made over all of the older
/// one's mentions, which is a curator replacing a claim), or one ORCID on two people.
fn claim_conflicts<'a>(
    curations: &[Curation],
    of: impl Fn(&String) -> Option<&'a String> + Copy,
) -> Vec<CurationConflict> {
    let claims: Vec<(&Curation, &[String], &String, &'a String)> = curations
        .iter()
        .filter(|c| !c.undone)
        .filter_map(|c| match &c.correction {
            Correction::Claim { mentions, orcid, .. } => {
                claim_owner(mentions, of).map(|o| (c, mentions.as_slice(), orcid, o))
            }
            _ => None,
        })
        .collect();
    let replaces = |old: &[String], new: &[String]| old.iter().filter(|m| of(m).is_some()).all(|m| new.contains(m));
    // A claim a newer one of the same person replaced says nothing any more (its ORCID is not shown).
    let superseded: HashSet<i64> = claims
        .iter()
        .enumerate()
        .filter(|(i, old)| claims[i + 1..].iter().any(|new| new.3 == old.3 && new.2 != old.2 && replaces(old.1, new.1)))
        .map(|(_, old)| old.0.id)
        .collect();
    let mut out = Vec::new();
    for (i, &(old, old_mentions, old_orcid, old_owner)) in claims.iter().enumerate() {
        for &(new, new_mentions, new_orcid, new_owner) in &claims[i + 1..] {
            let superseded_here = superseded.contains(&new.id)
                || (superseded.contains(&old.id) && !(old_owner == new_owner && replaces(old_mentions, new_mentions)));
            if superseded_here {
                continue;
            }
            if old_owner == new_owner && old_orcid != new_orcid {
                let replaced = replaces(old_mentions, new_mentions);
                if replaced {
                    out.push(CurationConflict {
                        overridden: true,
                        ..conflict_with(
                            old,
                            new,
                            format!(
                                "ORCID {old_orcid} of {old_owner} is replaced by {new_orcid} (curation {})",
                                new.id
                            ),
                        )
                    });
                } else {
                    out.push(conflict_with(
                        old,
                        new,
                        format!(
                            "{old_owner} now has two claimed ORCIDs: {old_orcid} and {new_orcid} (curation {}, shown); \
                             undo one of them or split the person",
                            new.id
                        ),
                    ));
                }
            } else if old_owner != new_owner && old_orcid == new_orcid {
                out.push(conflict_with(
                    old,
                    new,
                    format!(
                        "ORCID {old_orcid} is claimed for {old_owner} here and for {new_owner} by curation {}; \
                         merge them or undo one claim",
                        new.id
                    ),
                ));
            }
        }
    }
    out
}

/// A conflict between curation `c` and the newer one `newer`.
fn conflict_with(c: &Curation, newer: &Curation, what: String) -> CurationConflict {
    CurationConflict { with: Some(newer.id), ..conflict(c, what) }
}

fn conflict(c: &Curation, what: String) -> CurationConflict {
    let message = format!("curation {} ({}): {what}", c.id, c.correction.kind());
    CurationConflict { curation: c.id, with: None, message, overridden: false }
}

/// Two names no person could have written both of, by the disambiguation's name rules. A short and a long first
/// name ("Dan", "Daniel") are not such a pair: a run joins them itself when the surname is rare.
fn incompatible(names: &[String]) -> Option<(String, String)> {
    for (i, a) in names.iter().enumerate() {
        if let Some(b) = names[i + 1..].iter().find(|b| kept_apart_by_name(a, b)) {
            return Some((a.clone(), b.clone()));
        }
    }
    None
}

/// Whether the name rules keep two names apart (a short and a long first name may be one rare name).
fn kept_apart_by_name(a: &str, b: &str) -> bool {
    arrow_disambig::compare_names(a, b) == arrow_disambig::NameMatch::Conflict
        && !arrow_disambig::short_and_long_form(a, b)
}

/// FNV-1a over the parts: the same on every run and build.
fn stable_hash(parts: &[&String]) -> u64 {
    parts
        .iter()
        .flat_map(|p| p.bytes().chain([0]))
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}
