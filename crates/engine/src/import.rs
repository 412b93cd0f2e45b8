//! Results computed elsewhere (the distributed batch job, `spark/`) written into a data directory: people and
//! version groups named by work id, as the stages that computed them know works.

use crate::people::{RunWorks, NAME_TOTALS};
use crate::readings::{join_readings, rename};
use crate::{Arrow, EngineError};
use arrow_store::PersonMention;
use std::collections::HashMap;

/// One authorship's person, by work id and 0-based slot in the author list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub work: String,
    pub slot: u32,
    pub person: String,
}

impl Arrow {
    /// Replaces the people with these assignments and the label model the run saved (for explanations). Rows of
    /// works this store lacks are an error: they would say the run and the store disagree. People holding two
    /// readings of one name are joined here, as after a local run (see `readings.rs`), since the distributed
    /// run's partitions are blocks and never see two blocks at once.
    pub fn import_people(&self, rows: &[PersonRow], model_json: &str) -> Result<u64, EngineError> {
        let run = RunWorks::load(self)?;
        let index: HashMap<&str, usize> =
            run.works.iter().enumerate().map(|(i, (_, w))| (w.id.0.as_str(), i)).collect();
        let mut mentions = Vec::with_capacity(rows.len());
        let mut wis = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(&wi) = index.get(r.work.as_str()) else {
                return Err(EngineError::NotFound(format!("work {} (named by a person row)", r.work)));
            };
            mentions.push(PersonMention { work: run.works[wi].0, slot: i64::from(r.slot), person: r.person.clone() });
            wis.push(wi);
        }
        let (_, totals) = run.name_totals();
        let renames = join_readings(totals, &mentions, |i| run.authorship(wis[i], mentions[i].slot));
        rename(&mut mentions, &renames);
        let mut store = self.store();
        store.replace_people(&mentions, model_json, &arrow_disambig::block_key)?;
        store.put_blob(crate::assign::NAME_BLOCKS_RULE, crate::assign::BLOCKS_RULE)?;
        store.put_blob(NAME_TOTALS, &serde_json::to_string(&totals).unwrap_or_default())?;
        Ok(mentions.len() as u64)
    }

    /// Replaces the version groups with these, each a list of work ids.
    pub fn import_versions(&self, groups: &[Vec<String>]) -> Result<u64, EngineError> {
        let mut store = self.store();
        let mut out = Vec::with_capacity(groups.len());
        for g in groups {
            let mut keys = Vec::with_capacity(g.len());
            for id in g {
                let Some((k, _)) = store.work(id)? else {
                    return Err(EngineError::NotFound(format!("work {id} (named by a version group)")));
                };
                keys.push(k);
            }
            out.push(keys);
        }
        store.replace_versions(&out)?;
        Ok(out.len() as u64)
    }
}

impl Arrow {
    /// Every authorship's person as (work id, slot, person), in store order: a run's result whole.
    pub fn people_rows(&self) -> Result<Vec<PersonRow>, EngineError> {
        let rows = self.store().people_rows()?;
        Ok(rows.into_iter().map(|(work, slot, person)| PersonRow { work, slot: slot as u32, person }).collect())
    }

    /// Every work's id and content hash, in store order.
    pub fn work_hashes(&self) -> Result<Vec<(String, i64)>, EngineError> {
        Ok(self.store().work_hashes()?)
    }

    /// Every version group as work ids, each group sorted, groups sorted.
    pub fn version_groups_by_id(&self) -> Result<Vec<Vec<String>>, EngineError> {
        let store = self.store();
        let mut out = Vec::new();
        for grp in store.version_groups()? {
            let keys = store.version_members(grp)?;
            let mut ids: Vec<String> = store.works_by_keys(&keys)?.into_iter().map(|(_, w)| w.id.0).collect();
            ids.sort();
            out.push(ids);
        }
        out.sort();
        Ok(out)
    }
}
