//! Papers that arrive after a split. A curator who splits mentions off a person names those that leave and, by
//! leaving the others, keeps them; a paper stored later was seen by no one. A full run groups it on the evidence
//! alone, which knew the two as one person, and curations name only the mentions they were made over, so it would
//! stay with the person it was split from however plainly it is the new person's. Here each such paper goes to the
//! side of the split its evidence fits, by the replay that places an ingest's new papers (with the sides kept
//! apart), so that an ingest and a later full run put it in the same place.
//!
//! It is decided on the label-free people, before curations apply: a paper that goes to a split's side counts as
//! the split's new person, as if the run had found it so. Later curations then see it where it is shown (a merge
//! of the split-off person takes it along, a claim counts it as theirs), and an undone split gives it back.

use crate::curate::{Correction, Curation};
use crate::people::{cited, mention};
use crate::{Arrow, EngineError};
use arrow_disambig::{Known, RareJoin};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A mention's place: (work key, slot).
type Slot = (i64, i64);

/// Mentions of the rest of a label-free person that the replay reads at most (a sample beyond it; the replay itself
/// sees a bounded share of a prolific person, see [`arrow_disambig::PER_PERSON`]).
const REST_READ: usize = 1000;

/// One active split, as it stands on the label-free people.
struct Side<'a> {
    /// The person it made.
    new: &'a String,
    /// The last work key stored when it was made: papers with larger keys arrived after it.
    seen: i64,
    /// Where its mentions are.
    slots: Vec<Slot>,
}

/// A placement of papers stored after splits, with a digest of what it was computed from: the rule's version and
/// the binary, the store's last change and its DBLP person records, the run's model, the active splits and the
/// label-free people they concern. Every curation
/// computes it twice and a curator's page once more, with the same inputs; it is also saved in the store, so that
/// the next process (each `arrow curate` is one) need not weigh the papers again.
pub(crate) struct Memo {
    digest: u64,
    placed: HashMap<Slot, String>,
    /// Whether the store holds it.
    saved: bool,
}

/// What [`Arrow::arrivals`] may keep of a placement.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Keep {
    /// Memo and store: the placement of the curations in force, by a change that writes.
    Save,
    /// Memo only: a reader (a page) writes nothing to the store.
    Memo,
    /// Nothing: the curations with one taken as undone, asked once to tell what an undo would bring about.
    Nothing,
}

/// The store's blob holding the last placement: `{"digest": "…", "placed": [[work key, slot, person], …]}`.
const SAVED: &str = "arrivals_placement";

/// Changes whenever the placement rule does, so that a placement saved by an older binary is weighed again.
const RULE: u32 = 2;

/// The running binary, by its path, size and time of change: a placement saved by another build (an upgrade whose
/// name rules or replay place papers otherwise, with `RULE` left as it was) is weighed again.
fn this_build() -> Option<(std::path::PathBuf, u64, std::time::SystemTime)> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    Some((exe, meta.len(), meta.modified().ok()?))
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Saved {
    /// A string: JSON numbers lose the upper bits of a u64 in other readers.
    digest: String,
    placed: Vec<(i64, i64, String)>,
}

impl Memo {
    fn saved(&self) -> String {
        let mut placed: Vec<(i64, i64, String)> = self.placed.iter().map(|(k, p)| (k.0, k.1, p.clone())).collect();
        placed.sort_unstable();
        serde_json::to_string(&Saved { digest: self.digest.to_string(), placed }).unwrap_or_default()
    }

    fn from_saved(body: &str) -> Option<Memo> {
        let saved: Saved = serde_json::from_str(body).ok()?;
        let placed = saved.placed.into_iter().map(|(w, s, p)| ((w, s), p)).collect();
        Some(Memo { digest: saved.digest.parse().ok()?, placed, saved: true })
    }
}

impl Arrow {
    /// The papers stored after a split that go to a side of it: each with the split's new person, to count as its
    /// label-free person. `raw_at`: the label-free person of every mention of the people the curations touch.
    pub(crate) fn arrivals(
        &self,
        curations: &[Curation],
        slots: &HashMap<String, Slot>,
        raw_at: &HashMap<Slot, &str>,
        keep: Keep,
    ) -> Result<HashMap<Slot, String>, EngineError> {
        use std::hash::{Hash, Hasher};
        if keep == Keep::Nothing {
            return self.place_arrivals(curations, slots, raw_at);
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        RULE.hash(&mut h);
        this_build().hash(&mut h);
        {
            let store = self.store();
            store.seq()?.hash(&mut h);
            store.disambig_model()?.hash(&mut h);
            // Person records give DBLP works' author ids; storing them moves no sequence number.
            store.dblp_person_count()?.hash(&mut h);
        }
        // The label-free people splits were taken from: the placement reads only their mentions, so a curation of
        // someone else (a claim, a merge elsewhere) leaves it as it was.
        let mut split_from: HashSet<&str> = HashSet::new();
        for c in curations.iter().filter(|c| !c.undone) {
            if let Correction::Split { mentions, new_person, seen: seen @ Some(_), .. } = &c.correction {
                (c.id, seen, new_person).hash(&mut h);
                for k in mentions.iter().map(|m| slots.get(m)) {
                    k.hash(&mut h);
                    split_from.extend(k.and_then(|k| raw_at.get(k)));
                }
            }
        }
        if split_from.is_empty() {
            return Ok(HashMap::new());
        }
        let mut raw: Vec<(&Slot, &&str)> = raw_at.iter().filter(|(_, r)| split_from.contains(**r)).collect();
        raw.sort_unstable();
        raw.hash(&mut h);
        let digest = h.finish();
        let mut memo =
            self.arrivals_memo.lock().unwrap_or_else(|p| p.into_inner()).take().filter(|m| m.digest == digest);
        if memo.is_none() {
            memo = self.store().blob(SAVED)?.and_then(|b| Memo::from_saved(&b)).filter(|m| m.digest == digest);
        }
        let mut memo = match memo {
            Some(memo) => memo,
            None => Memo { digest, placed: self.place_arrivals(curations, slots, raw_at)?, saved: false },
        };
        if keep == Keep::Save && !memo.saved {
            // Only a cache: a store opened by a reader, or busy, weighs again next time.
            match self.store().put_blob(SAVED, &memo.saved()) {
                Ok(()) => memo.saved = true,
                Err(e) => tracing::debug!("placement of later papers not saved: {e}"),
            }
        }
        let placed = memo.placed.clone();
        *self.arrivals_memo.lock().unwrap_or_else(|p| p.into_inner()) = Some(memo);
        Ok(placed)
    }

    /// [`Arrow::arrivals`], computed.
    fn place_arrivals(
        &self,
        curations: &[Curation],
        slots: &HashMap<String, Slot>,
        raw_at: &HashMap<Slot, &str>,
    ) -> Result<HashMap<Slot, String>, EngineError> {
        // Per label-free person, the splits taken from it, oldest first: a split of a split-off person is taken
        // from the same label-free person, so an arrival is weighed between all of them at once.
        let mut by_raw: BTreeMap<&str, Vec<Side<'_>>> = BTreeMap::new();
        for c in curations.iter().filter(|c| !c.undone) {
            let Correction::Split { mentions, new_person, seen: Some(seen), .. } = &c.correction else { continue };
            // A split of a merged person may take mentions of several label-free people: a side of each.
            let mut of_raw: BTreeMap<&str, Vec<Slot>> = BTreeMap::new();
            for k in mentions.iter().filter_map(|m| slots.get(m)) {
                if let Some(raw) = raw_at.get(k) {
                    of_raw.entry(raw).or_default().push(*k);
                }
            }
            for (raw, at) in of_raw {
                by_raw.entry(raw).or_default().push(Side { new: new_person, seen: *seen, slots: at });
            }
        }
        let mut out = HashMap::new();
        if by_raw.is_empty() {
            return Ok(out);
        }
        let t = std::time::Instant::now();
        let mut assigner = None;
        let mut weighed = 0;
        for (raw, sides) in by_raw {
            // Each paper is weighed with the splits as they stood when it was stored: a split made since (the
            // curator saw the paper where it was) neither opens a side to it nor takes evidence from the others.
            let named: Vec<HashSet<Slot>> = sides.iter().map(|s| s.slots.iter().copied().collect()).collect();
            let first_seen = sides.iter().map(|s| s.seen).min().unwrap_or(i64::MAX);
            let mut own: Vec<Slot> = raw_at.iter().filter(|(_, r)| **r == raw).map(|(k, _)| *k).collect();
            own.sort_unstable();
            // Papers a later split names are weighed too (with the splits before it): where they were is where
            // that split took them from.
            let arrived: Vec<Slot> = own.iter().filter(|k| k.0 > first_seen).copied().collect();
            if arrived.is_empty() {
                continue;
            }
            if assigner.is_none() {
                match self.assigner_without_sides()? {
                    Some(a) => assigner = Some(a),
                    None => return Ok(out),
                }
            }
            let assigner = assigner.as_ref().expect("set above");
            let before: Vec<Slot> = own.iter().filter(|k| k.0 <= first_seen).copied().collect();
            let raw = raw.to_string();
            // Per number of splits in force (a prefix: splits are oldest first), who holds what.
            let mut layouts: HashMap<usize, Vec<(String, Vec<Slot>)>> = HashMap::new();
            let layout = |e: usize| -> Vec<(String, Vec<Slot>)> {
                let taken: HashSet<Slot> = named[..e].iter().flatten().copied().collect();
                let mut rest: Vec<Slot> = before.iter().filter(|k| !taken.contains(k)).copied().collect();
                if rest.len() > REST_READ {
                    rest.sort_by_cached_key(|&(w, s)| crate::assign::mix(w, s));
                    rest.truncate(REST_READ);
                }
                let mut out = vec![(raw.clone(), rest)];
                for i in 0..e {
                    let slots = sides[i].slots.iter().filter(|k| !named[i + 1..e].iter().any(|l| l.contains(k)));
                    out.push((sides[i].new.clone(), slots.copied().collect()));
                }
                out
            };
            let mut keys: HashSet<Slot> = arrived.iter().copied().collect();
            for key in &arrived {
                let e = sides.iter().filter(|s| key.0 > s.seen).count();
                let l = layouts.entry(e).or_insert_with(|| layout(e));
                keys.extend(l.iter().flat_map(|(_, k)| k.iter().copied()));
            }
            let citing: HashSet<Slot> = arrived.iter().copied().collect();
            let mentions = self.mentions_at(keys.iter(), &citing)?;
            let mut known_for: HashMap<usize, Vec<Known>> = HashMap::new();
            for key in arrived {
                let Some(m) = mentions.get(&key) else { continue };
                let e = sides.iter().filter(|s| key.0 > s.seen).count();
                let l = &layouts[&e];
                let open: BTreeSet<String> = l.iter().map(|(p, _)| p.clone()).collect();
                let known = known_for.entry(e).or_insert_with(|| {
                    l.iter()
                        .flat_map(|(p, keys)| {
                            keys.iter()
                                .filter_map(|k| mentions.get(k))
                                .map(|m| Known { person: p.clone(), mention: m.clone() })
                        })
                        .collect()
                });
                weighed += 1;
                if let Some(to) =
                    assigner.place_apart(m, known, &RareJoin::default(), &open).person.filter(|p| *p != raw)
                {
                    out.insert(key, to);
                }
            }
        }
        if weighed > 0 {
            tracing::info!(
                "weighed {weighed} papers stored after a split, {} went to a split-off side, in {:.2}s",
                out.len(),
                t.elapsed().as_secs_f64()
            );
        }
        Ok(out)
    }

    /// The mentions at (work key, slot), as incremental assignment reads them (DBLP person ids included; what the
    /// works of `citing` cite, as a new work's: the usual self-citation is a later paper citing an earlier one).
    fn mentions_at<'a>(
        &self,
        keys: impl Iterator<Item = &'a Slot>,
        citing: &HashSet<Slot>,
    ) -> Result<HashMap<Slot, arrow_disambig::Mention>, EngineError> {
        let keys: Vec<Slot> = keys.copied().collect();
        let mut works: Vec<i64> = keys.iter().map(|k| k.0).collect();
        works.sort_unstable();
        works.dedup();
        let store = self.store();
        let mut out = HashMap::new();
        let by_key: HashMap<i64, arrow_model::Work> = store.works_by_keys(&works)?.into_iter().collect();
        for (w, slot) in keys {
            let Some(work) = by_key.get(&w) else { continue };
            let Some(s) = usize::try_from(slot).ok().filter(|&s| s < work.authors.len()) else { continue };
            let ids =
                if crate::dblp_ids::is_dblp(work) { Some(crate::dblp_ids::author_ids(&*store, [work])?) } else { None };
            let cites =
                if citing.contains(&(w, slot)) { cited(work, |r| store.work_id_for_reference(r))? } else { Vec::new() };
            out.insert((w, slot), mention(work, s, ids.as_ref(), &cites));
        }
        Ok(out)
    }
}
