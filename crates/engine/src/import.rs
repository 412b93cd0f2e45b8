//! Results computed elsewhere (the distributed batch job, `spark/`) written into a data directory: people and
//! version groups named by work id, as the stages that computed them know works.

use crate::{Arrow, EngineError};
use arrow_store::PersonMention;

/// One authorship's person, by work id and 0-based slot in the author list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub work: String,
    pub slot: u32,
    pub person: String,
}

impl Arrow {
    /// Replaces the people with these assignments and the label model the run saved (for explanations). Rows of
    /// works this store lacks are an error: they would say the run and the store disagree.
    pub fn import_people(&self, rows: &[PersonRow], model_json: &str) -> Result<u64, EngineError> {
        let mut store = self.store();
        let mut mentions = Vec::with_capacity(rows.len());
        let mut keys: std::collections::HashMap<&str, i64> = Default::default();
        for r in rows {
            let key = match keys.get(r.work.as_str()) {
                Some(&k) => k,
                None => {
                    let Some((k, _)) = store.work(&r.work)? else {
                        return Err(EngineError::NotFound(format!("work {} (named by a person row)", r.work)));
                    };
                    keys.insert(&r.work, k);
                    k
                }
            };
            mentions.push(PersonMention { work: key, slot: i64::from(r.slot), person: r.person.clone() });
        }
        store.replace_people(&mentions, model_json, &arrow_disambig::block_key)?;
        store.put_blob(crate::assign::NAME_BLOCKS_RULE, crate::assign::BLOCKS_RULE)?;
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
