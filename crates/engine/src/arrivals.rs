//! Papers that arrive after a split. A curator who splits mentions off a person names those that leave and, by
//! leaving the others, keeps them; a paper stored later was seen by no one. A full run groups it on the evidence
//! alone, which knew the two as one person, and curations name only the mentions they were made over, so it would
//! stay with the person it was split from however plainly it is the new person's. Here each such paper goes to the
//! side of the split its evidence fits, by the replay that places an ingest's new papers (with the two kept
//! apart), so that an ingest and a later full run put it in the same place.

use crate::curate::{Correction, Curation};
use crate::people::mention;
use crate::{Arrow, EngineError};
use arrow_disambig::Known;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Mentions of the person a split was taken from that the replay reads at most (a sample beyond it; the replay
/// itself sees a bounded share of a prolific person, see [`arrow_disambig::PER_PERSON`]).
const FROM_READ: usize = 1000;

impl Arrow {
    /// Moves the mentions of works stored after a split (larger work keys; named by no curation) from the person it
    /// was split from to a person split off it, where the replay places them there. `person`: each mention's person
    /// as curations make it, changed in place; `split_from`: per split's new person, the person it was taken from
    /// now; `slots`: where each mention a curation names is.
    pub(crate) fn place_arrivals(
        &self,
        curations: &[Curation],
        split_from: &HashMap<String, String>,
        slots: &HashMap<String, (i64, i64)>,
        person: &mut HashMap<(i64, i64), String>,
    ) -> Result<usize, EngineError> {
        let splits: Vec<(&Vec<String>, &String, i64)> = curations
            .iter()
            .filter(|c| !c.undone)
            .filter_map(|c| match &c.correction {
                Correction::Split { mentions, new_person, seen: Some(seen), .. } => Some((mentions, new_person, *seen)),
                _ => None,
            })
            .collect();
        if splits.is_empty() {
            return Ok(0);
        }
        // Per person split from, its splits (the person holding most of their mentions now, which a later merge may
        // have renamed; last work key seen): a paper is weighed between the person and every split made before it
        // was stored, all kept apart.
        let mut by_from: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
        for (mentions, new, seen) in splits {
            let now = most_of(mentions.iter().filter_map(|m| slots.get(m)).filter_map(|k| person.get(k)));
            let now = now.unwrap_or(new).clone();
            if let Some(from) = split_from.get(new).filter(|f| **f != now) {
                let sides = by_from.entry(from.clone()).or_default();
                match sides.iter_mut().find(|s| s.0 == now) {
                    // Two splits merged since into one person: the earlier one's papers are its own.
                    Some(side) => side.1 = side.1.min(seen),
                    None => sides.push((now, seen)),
                }
            }
        }
        let named: HashSet<(i64, i64)> = slots.values().copied().collect();
        let t = std::time::Instant::now();
        let mut assigner = None;
        let (mut moved, mut weighed) = (0, 0);
        for (from, splits) in by_from {
            let of = |p: &String| {
                let mut keys: Vec<(i64, i64)> = person.iter().filter(|(_, q)| *q == p).map(|(k, _)| *k).collect();
                keys.sort_unstable();
                keys
            };
            let first_seen = splits.iter().map(|s| s.1).min().unwrap_or(i64::MAX);
            let from_keys = of(&from);
            let arrived: Vec<(i64, i64)> =
                from_keys.iter().filter(|k| k.0 > first_seen && !named.contains(k)).copied().collect();
            if arrived.is_empty() {
                continue;
            }
            if assigner.is_none() {
                match self.assigner()? {
                    Some(a) => assigner = Some(a),
                    None => return Ok(moved),
                }
            }
            let assigner = assigner.as_ref().expect("set above");
            let mut stayed: Vec<(i64, i64)> = from_keys.into_iter().filter(|k| !arrived.contains(k)).collect();
            if stayed.len() > FROM_READ {
                stayed.sort_by_cached_key(|&(w, s)| crate::assign::mix(w, s));
                stayed.truncate(FROM_READ);
            }
            let mut sides = vec![(&from, stayed)];
            sides.extend(splits.iter().map(|(new, _)| (new, of(new))));
            let mentions = self.mentions_at(sides.iter().flat_map(|(_, k)| k.iter()).chain(&arrived))?;
            let mut known_for: HashMap<BTreeSet<String>, Vec<Known>> = HashMap::new();
            for key in arrived {
                let Some(m) = mentions.get(&key) else { continue };
                // The person, and the splits made before this paper was stored.
                let open: BTreeSet<String> = std::iter::once(&from)
                    .chain(splits.iter().filter(|s| key.0 > s.1).map(|s| &s.0))
                    .cloned()
                    .collect();
                let known = known_for.entry(open.clone()).or_insert_with(|| {
                    sides
                        .iter()
                        .filter(|(p, _)| open.contains(*p))
                        .flat_map(|(p, keys)| {
                            keys.iter()
                                .filter_map(|k| mentions.get(k))
                                .map(|m| Known { person: (*p).clone(), mention: m.clone() })
                        })
                        .collect()
                });
                weighed += 1;
                if let Some(to) = assigner.place_apart(m, known, &open).person.filter(|p| *p != from) {
                    person.insert(key, to);
                    moved += 1;
                }
            }
        }
        if weighed > 0 {
            tracing::info!(
                "weighed {weighed} papers stored after a split, {moved} went to the split-off side, in {:.2}s",
                t.elapsed().as_secs_f64()
            );
        }
        Ok(moved)
    }

    /// The mentions at (work key, slot), as incremental assignment reads them (DBLP person ids included).
    fn mentions_at<'a>(
        &self,
        keys: impl Iterator<Item = &'a (i64, i64)>,
    ) -> Result<HashMap<(i64, i64), arrow_disambig::Mention>, EngineError> {
        let keys: Vec<(i64, i64)> = keys.copied().collect();
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
            out.insert((w, slot), mention(work, s, ids.as_ref(), &[]));
        }
        Ok(out)
    }
}

/// The most frequent of `people` (ties to the lesser id); `None` when there is none.
fn most_of<'a>(people: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    let mut counts: BTreeMap<&String, usize> = BTreeMap::new();
    for p in people {
        *counts.entry(p).or_default() += 1;
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0))).map(|(p, _)| p)
}
