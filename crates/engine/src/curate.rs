//! Curators' corrections of people: merge, split, claim an ORCID, undo. Each is kept as a constraint over
//! mentions named by work id and position (which survive re-runs, where person ids may not) and applied over
//! what label-free disambiguation said, after every full run and every ingest, oldest first, so a newer
//! correction wins over an older one it contradicts. Curations win over the evidence; where the evidence
//! disagrees (names that cannot be one person, a correction overridden by a newer one) it is reported, never
//! silently dropped.

use crate::{Arrow, EngineError, MentionRef};
use arrow_model::Work;
use arrow_store::CurationRow;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What a curation asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Correction {
    /// These people are one: every mention they had, the first person's first (its id survives).
    Merge { people: Vec<String>, mentions: Vec<String> },
    /// These mentions of `person` are someone else, the new person `new_person`.
    Split { person: String, mentions: Vec<String>, new_person: String },
    /// `person` (the mentions it had) has this ORCID.
    Claim { person: String, mentions: Vec<String>, orcid: String },
}

impl Correction {
    fn kind(&self) -> &'static str {
        match self {
            Correction::Merge { .. } => "merge",
            Correction::Split { .. } => "split",
            Correction::Claim { .. } => "claim",
        }
    }

    fn mentions(&self) -> &[String] {
        match self {
            Correction::Merge { mentions, .. }
            | Correction::Split { mentions, .. }
            | Correction::Claim { mentions, .. } => mentions,
        }
    }
}

/// A curation as `arrow curate history` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Curation {
    pub id: i64,
    /// Seconds since the Unix epoch.
    pub at: i64,
    pub by: String,
    pub note: String,
    pub undone: bool,
    #[serde(flatten)]
    pub correction: Correction,
}

/// A curation that the data no longer bears out as asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurationConflict {
    pub curation: i64,
    pub message: String,
}

/// Why a curation was refused.
#[derive(Debug, thiserror::Error)]
pub enum CurateError {
    #[error("no person {0:?} (ids are as `arrow people NAME` lists them; run `arrow disambiguate` first)")]
    UnknownPerson(String),
    #[error("{mention} is not a mention of {person}")]
    NotTheirs { mention: String, person: String },
    #[error("a merge needs two or more different people")]
    MergeNeedsTwo,
    #[error("a split needs at least one mention, and cannot take all of a person's mentions")]
    SplitSize,
    #[error("{0:?} is not a valid ORCID (16 digits with its check digit, as 0000-0002-1825-0097)")]
    BadOrcid(String),
    #[error("no curation {0}, or it was undone already")]
    UnknownCuration(i64),
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
        for p in &distinct {
            mentions.extend(self.mention_refs_of(p)?);
        }
        self.record(Correction::Merge { people: distinct, mentions }, by, note)
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
        if let Some(m) = asked.iter().find(|m| !theirs.contains(*m)) {
            return Err(CurateError::NotTheirs { mention: m.clone(), person: person.to_string() }.into());
        }
        let distinct: HashSet<&String> = asked.iter().collect();
        if distinct.is_empty() || distinct.len() == theirs.len() {
            return Err(CurateError::SplitSize.into());
        }
        let mut sorted: Vec<&String> = distinct.into_iter().collect();
        sorted.sort();
        let new_person = format!("p{:016x}", stable_hash(&sorted));
        let mentions = sorted.into_iter().cloned().collect();
        self.record(Correction::Split { person: person.to_string(), mentions, new_person }, by, note)
    }

    /// Binds an ORCID to a person (to the mentions it has now, wherever later runs put them).
    pub fn curate_claim(&self, person: &str, orcid: &str, by: &str, note: &str) -> Result<Curation, EngineError> {
        let clean = arrow_model::Identifiers::clean_orcid(orcid).ok_or_else(|| CurateError::BadOrcid(orcid.into()))?;
        let mentions = self.mention_refs_of(person)?;
        self.record(Correction::Claim { person: person.to_string(), mentions, orcid: clean }, by, note)
    }

    /// Undoes a curation: the people it touched are as the evidence and the other curations make them.
    pub fn curate_undo(&self, id: i64) -> Result<Vec<CurationConflict>, EngineError> {
        if !self.store().undo_curation(id)? {
            return Err(CurateError::UnknownCuration(id).into());
        }
        self.apply_curations()
    }

    /// Every curation, oldest first; with `person`, those that named it or whose mentions are now its.
    pub fn curation_history(&self, person: Option<&str>) -> Result<Vec<Curation>, EngineError> {
        let all: Vec<Curation> = self.store().curations()?.into_iter().filter_map(parse).collect();
        let Some(person) = person else { return Ok(all) };
        let now: HashSet<String> = self.mention_refs_of(person).unwrap_or_default().into_iter().collect();
        Ok(all
            .into_iter()
            .filter(|c| {
                let named = match &c.correction {
                    Correction::Merge { people, .. } => people.iter().any(|p| p == person),
                    Correction::Split { person: p, new_person, .. } => p == person || new_person == person,
                    Correction::Claim { person: p, .. } => p == person,
                };
                named || c.correction.mentions().iter().any(|m| now.contains(m))
            })
            .collect())
    }

    /// The ORCID curators bound to this person (the newest claim on any of its mentions), if any.
    pub fn claimed_orcid(&self, person: &str) -> Result<Option<String>, EngineError> {
        let now: HashSet<String> = self.mention_refs_of(person).unwrap_or_default().into_iter().collect();
        Ok(self.curation_history(None)?.into_iter().rev().filter(|c| !c.undone).find_map(|c| match c.correction {
            Correction::Claim { mentions, orcid, .. } if mentions.iter().any(|m| now.contains(m)) => Some(orcid),
            _ => None,
        }))
    }

    /// Applies every active curation over the label-free people of the mentions any curation names (reset
    /// first, so undone ones leave no trace), oldest first. Returns what no longer holds as asked.
    pub(crate) fn apply_curations(&self) -> Result<Vec<CurationConflict>, EngineError> {
        let curations: Vec<Curation> = self.store().curations()?.into_iter().filter_map(parse).collect();
        if curations.is_empty() {
            return Ok(Vec::new());
        }
        let slots = self.resolve(curations.iter().flat_map(|c| c.correction.mentions().iter()))?;
        let mut raw_people: Vec<String> = Vec::new();
        for &(work, slot) in slots.values() {
            if let Some(raw) = self.store().raw_person_of(work, slot)? {
                if !raw_people.contains(&raw) {
                    raw_people.push(raw);
                }
            }
        }
        let mut rows = self.store().mentions_of_raw(&raw_people)?;
        let mut person: HashMap<(i64, i64), String> = rows.iter().map(|m| ((m.work, m.slot), m.raw.clone())).collect();
        let at = |m: &String| slots.get(m).copied();
        for c in curations.iter().filter(|c| !c.undone) {
            match &c.correction {
                Correction::Merge { mentions, .. } => {
                    let targets: HashSet<String> =
                        mentions.iter().filter_map(at).filter_map(|k| person.get(&k).cloned()).collect();
                    let Some(first) = mentions.iter().filter_map(at).find_map(|k| person.get(&k).cloned()) else {
                        continue;
                    };
                    for p in person.values_mut() {
                        if targets.contains(p) {
                            *p = first.clone();
                        }
                    }
                }
                Correction::Split { mentions, new_person, .. } => {
                    for k in mentions.iter().filter_map(at) {
                        if let Some(p) = person.get_mut(&k) {
                            *p = new_person.clone();
                        }
                    }
                }
                Correction::Claim { .. } => {}
            }
        }
        let mut changed = Vec::new();
        for m in &mut rows {
            let now = person.get(&(m.work, m.slot)).cloned().unwrap_or_else(|| m.raw.clone());
            if now != m.person {
                m.person = now;
                changed.push(m.clone());
            }
        }
        if !changed.is_empty() {
            self.store().set_curated(&changed)?;
        }
        self.conflicts(&curations, &slots, &person)
    }

    /// The active curations that do not hold as asked, and merges of names that cannot be one person.
    fn conflicts(
        &self,
        curations: &[Curation],
        slots: &HashMap<String, (i64, i64)>,
        person: &HashMap<(i64, i64), String>,
    ) -> Result<Vec<CurationConflict>, EngineError> {
        let mut out = Vec::new();
        let of = |m: &String| slots.get(m).and_then(|k| person.get(k));
        for c in curations.iter().filter(|c| !c.undone) {
            let gone = c.correction.mentions().iter().filter(|m| !slots.contains_key(*m)).count();
            if gone > 0 {
                out.push(conflict(
                    c,
                    format!("{gone} of its mentions are no longer stored (their works changed or went)"),
                ));
            }
            match &c.correction {
                Correction::Merge { mentions, .. } => {
                    let people: HashSet<&String> = mentions.iter().filter_map(of).collect();
                    if people.len() > 1 {
                        out.push(conflict(c, "a newer curation split these mentions again".into()));
                    }
                    let names = self.names_of(mentions.iter().filter_map(|m| slots.get(m).copied()))?;
                    if let Some((a, b)) = incompatible(&names) {
                        out.push(conflict(
                            c,
                            format!("merges {a:?} and {b:?}, which the name rules keep apart; kept as asked"),
                        ));
                    }
                }
                Correction::Split { mentions, new_person, .. } => {
                    if mentions.iter().filter_map(of).any(|p| p != new_person) {
                        out.push(conflict(c, "a newer curation put some of these mentions back".into()));
                    }
                }
                Correction::Claim { .. } => {}
            }
        }
        Ok(out)
    }

    fn record(&self, correction: Correction, by: &str, note: &str) -> Result<Curation, EngineError> {
        let at = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        let body = serde_json::to_string(&correction).unwrap_or_default();
        let id = self.store().add_curation(correction.kind(), at, by, note, &body)?;
        self.apply_curations()?;
        Ok(Curation { id, at, by: by.to_string(), note: note.to_string(), undone: false, correction })
    }

    /// `WORK_ID#POSITION` of every mention of a person.
    fn mention_refs_of(&self, person: &str) -> Result<Vec<String>, EngineError> {
        let store = self.store();
        let keys = store.person_mentions(person)?;
        if keys.is_empty() {
            return Err(CurateError::UnknownPerson(person.to_string()).into());
        }
        let works: HashMap<i64, Work> =
            store.works_by_keys(&keys.iter().map(|k| k.0).collect::<Vec<_>>())?.into_iter().collect();
        Ok(keys
            .iter()
            .filter_map(|&(work, slot)| {
                let w = works.get(&work)?;
                let a = w.authors.get(slot as usize)?;
                Some(format!("{}#{}", w.id.0, a.position.unwrap_or(slot as u32 + 1)))
            })
            .collect())
    }

    /// Store (work key, slot) of mentions named `WORK_ID#POSITION`; those no longer stored are left out.
    fn resolve<'a>(&self, refs: impl Iterator<Item = &'a String>) -> Result<HashMap<String, (i64, i64)>, EngineError> {
        let store = self.store();
        let mut works: HashMap<String, Option<(i64, Work)>> = HashMap::new();
        let mut out = HashMap::new();
        for r in refs {
            let Ok(m) = r.parse::<MentionRef>() else { continue };
            if !works.contains_key(&m.work) {
                works.insert(m.work.clone(), store.work(&m.work)?);
            }
            if let Some((key, w)) = works.get(&m.work).and_then(|w| w.as_ref()) {
                let slot =
                    w.authors.iter().enumerate().position(|(i, a)| a.position.unwrap_or(i as u32 + 1) == m.position);
                if let Some(slot) = slot {
                    out.insert(r.clone(), (*key, slot as i64));
                }
            }
        }
        Ok(out)
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
    Some(Curation { id: row.id, at: row.at, by: row.by, note: row.note, undone: row.undone, correction })
}

fn conflict(c: &Curation, what: String) -> CurationConflict {
    CurationConflict { curation: c.id, message: format!("curation {} ({}): {what}", c.id, c.correction.kind()) }
}

/// Two names no person could have written both of, by the disambiguation's name rules.
fn incompatible(names: &[String]) -> Option<(String, String)> {
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            if arrow_disambig::compare_names(a, b) == arrow_disambig::NameMatch::Conflict {
                return Some((a.clone(), b.clone()));
            }
        }
    }
    None
}

/// FNV-1a over the parts: the same on every run and build.
fn stable_hash(parts: &[&String]) -> u64 {
    parts
        .iter()
        .flat_map(|p| p.bytes().chain([0]))
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}
