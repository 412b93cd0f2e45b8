//! Incremental author assignment: after disambiguation has run once, the authorships of new or changed works
//! join existing people (or start new ones) as they are ingested, one mention at a time, inside the ingest's
//! transaction; nobody else's person id changes.

use crate::people::mention;
use crate::{Arrow, EngineError};
use arrow_disambig::{block_key, compare_names, person_id, Config, Decision, Known, Mention, Model, NameMatch};
use arrow_model::Work;
use arrow_store::Batch;
use std::collections::{BTreeSet, HashMap};

/// The fitted model of the last disambiguation run, ready to place new mentions.
pub(crate) struct Assigner {
    model: Model,
    config: Config,
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
        if store.name_blocks_missing()? {
            let t = std::time::Instant::now();
            let n = store.fill_name_blocks(&block_key)?;
            tracing::info!(
                "noted the blocks of {n} names in {:.1}s (once, after an upgrade)",
                t.elapsed().as_secs_f64()
            );
        }
        Ok(Some(Assigner { model, config: Config::default() }))
    }
}

impl Assigner {
    /// Assigns every authorship of the work stored under `key` (replacing any people it had), in `batch`.
    pub(crate) fn assign_work(&self, batch: &mut Batch<'_>, key: i64, work: &Work) -> Result<Vec<Placed>, EngineError> {
        batch.forget_people(key)?;
        let mut works: HashMap<i64, Work> = HashMap::new();
        let mut placed = Vec::with_capacity(work.authors.len());
        let ids = dblp_ids_of(batch, work)?;
        for slot in 0..work.authors.len() {
            let m = mention(work, slot, ids.as_ref());
            let block = block_key(&m.name);
            let known = self.known(batch, &block, &m, ids.is_some(), &mut works)?;
            let decision = arrow_disambig::assign(&self.model, &self.config, &m, &known);
            let person = match &decision.person {
                Some(p) => p.clone(),
                None => fresh_id(batch, &m)?,
            };
            batch.set_person(key, slot as i64, &person, &arrow_normalize::name_key(&m.name), &block)?;
            placed.push(Placed { slot, person, decision });
        }
        Ok(placed)
    }

    /// Every mention of every person the new mention could join: the people of the block's names that are
    /// compatible with its name, and of its source id. Whole people, so that constraints see all of them.
    fn known(
        &self,
        batch: &Batch<'_>,
        block: &str,
        m: &Mention,
        dblp: bool,
        works: &mut HashMap<i64, Work>,
    ) -> Result<Vec<Known>, EngineError> {
        let mut people: BTreeSet<String> = BTreeSet::new();
        for name in batch.block_names(block)? {
            if compare_names(&name, &m.name) == NameMatch::Conflict {
                continue;
            }
            people.extend(batch.people_with_name_key(&name)?.into_iter().map(|(_, _, p)| p));
        }
        if let Some(id) = &m.source_id {
            people.extend(batch.people_with_source_id(block, id)?);
        }
        // A DBLP person record's names link whatever they look like ("Vint Cerf" beside "Vinton G. Cerf"), and
        // its id is looked up, not stored on the authorships: find its people through each of its names.
        if dblp {
            if let Some(record) = batch.dblp_person_with_name(&m.name)? {
                for name in &record.names {
                    let key = arrow_normalize::name_key(name);
                    people.extend(batch.people_with_name_key(&key)?.into_iter().map(|(_, _, p)| p));
                }
            }
        }
        let mut known = Vec::new();
        for person in people {
            for (key, slot) in batch.person_slots(&person)? {
                let w = match works.entry(key) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => match batch.work_outline(key)? {
                        Some(w) => e.insert(w),
                        // A people row of a vanished work is skipped like a stale slot.
                        None => continue,
                    },
                };
                // A row whose slot no longer exists is stale; it cannot inform the decision.
                if let Ok(slot) = usize::try_from(slot) {
                    if slot < w.authors.len() {
                        let ids = dblp_ids_of(batch, w)?;
                        known.push(Known { person: person.clone(), mention: mention(w, slot, ids.as_ref()) });
                    }
                }
            }
        }
        Ok(known)
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
/// whose mention started the person now leaves it), a deterministic variant.
fn fresh_id(batch: &Batch<'_>, m: &Mention) -> Result<String, EngineError> {
    let mut id = person_id(&m.work, m.position);
    let mut n = 1u32;
    while batch.person_exists(&id)? {
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
                } else {
                    report.new_people += 1;
                }
            }
        }
        Ok(())
    }
}

impl Arrow {
    /// Assigns the authorships of these works in a transaction of their own, when people exist; returns how many
    /// joined existing people and how many started new ones.
    pub(crate) fn assign_keys(&self, keys: &[i64]) -> Result<(usize, usize), EngineError> {
        if keys.is_empty() {
            return Ok((0, 0));
        }
        let Some(assigner) = self.assigner()? else { return Ok((0, 0)) };
        let mut report = crate::IngestReport::default();
        let mut store = self.store();
        let mut batch = store.batch()?;
        assigner.assign_keys(&mut batch, &mut keys.to_vec(), &mut report)?;
        batch.commit()?;
        Ok((report.joined_people, report.new_people))
    }
}
