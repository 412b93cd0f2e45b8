//! DBLP person records as author ids for disambiguation. DBLP gives each of its persons distinct names
//! (homonym numbers included), so an authorship of a DBLP work written with a name a person record lists is
//! that person's: its aliases then link like one ORCID. Looked up when mentions are built, not at ingest,
//! so it holds whatever the order of works and person records in the input.

use arrow_model::Work;
use arrow_store::{Batch, DblpPerson, Store, StoreError};
use std::collections::HashMap;

/// Whether the work holds a DBLP record (alone or merged with other sources).
pub(crate) fn is_dblp(work: &Work) -> bool {
    work.provenance.iter().any(|p| p.source == "dblp")
}

/// For each written name of `works` (DBLP works) that a stored person record lists, the author id of that
/// person: its ORCID, else an ORCID one of its authorships here carries (so that other sources' authorships
/// with it still link), else `dblp:<key>`.
pub(crate) fn author_ids<'a>(
    store: &impl PersonLookup,
    works: impl IntoIterator<Item = &'a Work>,
) -> Result<HashMap<String, String>, StoreError> {
    if !store.has_dblp_persons()? {
        return Ok(HashMap::new());
    }
    // Written name -> (person key, ORCID); only the ids are kept, the full dump has millions of names.
    let mut persons: HashMap<String, Option<(String, Option<String>)>> = HashMap::new();
    let mut seen_orcid: HashMap<String, String> = HashMap::new();
    for w in works {
        for a in &w.authors {
            if !persons.contains_key(&a.name) {
                let p = store.dblp_person_with_name(&a.name)?.map(|p| (p.key, p.orcid));
                persons.insert(a.name.clone(), p);
            }
            if let (Some(Some((key, None))), Some(id)) = (persons.get(&a.name), &a.source_id) {
                if id.starts_with("orcid:") {
                    seen_orcid.entry(key.clone()).or_insert_with(|| id.clone());
                }
            }
        }
    }
    Ok(persons
        .into_iter()
        .filter_map(|(name, p)| {
            let (key, orcid) = p?;
            let id = orcid.or_else(|| seen_orcid.get(&key).cloned()).unwrap_or_else(|| format!("dblp:{key}"));
            Some((name, id))
        })
        .collect())
}

/// Where person records are read from: the store, or an ingest's open transaction (incremental assignment).
pub(crate) trait PersonLookup {
    fn has_dblp_persons(&self) -> Result<bool, StoreError>;
    fn dblp_person_with_name(&self, written: &str) -> Result<Option<DblpPerson>, StoreError>;
}

impl PersonLookup for Store {
    fn has_dblp_persons(&self) -> Result<bool, StoreError> {
        Store::has_dblp_persons(self)
    }
    fn dblp_person_with_name(&self, written: &str) -> Result<Option<DblpPerson>, StoreError> {
        Store::dblp_person_with_name(self, written)
    }
}

impl PersonLookup for Batch<'_> {
    fn has_dblp_persons(&self) -> Result<bool, StoreError> {
        Batch::has_dblp_persons(self)
    }
    fn dblp_person_with_name(&self, written: &str) -> Result<Option<DblpPerson>, StoreError> {
        Batch::dblp_person_with_name(self, written)
    }
}
