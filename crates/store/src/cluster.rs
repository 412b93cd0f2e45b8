use crate::row::{from_row, COLUMNS};
use crate::{DblpPerson, Store, StoreError};
use arrow_model::Work;
use arrow_normalize::name_key;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Every work with an author whose name equals the asked name, ignoring case (the seed page's grouping).
/// This is a name, not a person: homonyms are mixed and variants of one person are apart.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct NameCluster {
    /// The name as asked.
    pub name: String,
    /// Distinct author records carrying the name: one per DBLP person record listing it (which takes in
    /// the authorships it accounts for), one per other source author id, plus one per exact written form
    /// among the other mentions that have no source id.
    pub author_rows: usize,
    /// The author records counted in `author_rows`: `dblp:KEY`, a source author id, or `name:WRITTEN FORM`.
    #[serde(default)]
    pub author_row_ids: Vec<String>,
    /// The written forms found ("Christopher Ré", "CHRISTOPHER RÉ").
    pub variants: Vec<String>,
    /// The other names of the DBLP persons listing this name: "also published as".
    pub also_published_as: Vec<String>,
    /// The DBLP person records listing this name, by key.
    pub dblp_persons: Vec<DblpPerson>,
    /// Newest first, then by title ignoring case.
    pub works: Vec<Work>,
}

/// The author row an authorship counts toward. A DBLP person record accounts for the authorships with its
/// ids and, among those written with one of its names, the ones of DBLP works (DBLP names one person each)
/// and those without an id of their own (nothing tells them apart).
fn author_row(persons: &[DblpPerson], written: &str, source: Option<&str>, from_dblp: bool) -> String {
    let by_id = source.and_then(|s| persons.iter().find(|p| p.has_author_id(s)));
    let by_name = || {
        (source.is_none() || from_dblp).then(|| persons.iter().find(|p| p.names.iter().any(|n| n == written))).flatten()
    };
    match by_id.or_else(by_name) {
        Some(p) => format!("dblp:{}", p.key),
        None => source.map_or_else(|| format!("name:{written}"), str::to_string),
    }
}

impl Store {
    pub fn name_cluster(&self, name: &str) -> Result<NameCluster, StoreError> {
        let key = name_key(name);
        let mut stmt = self.conn.prepare_cached("SELECT work, name, source_id FROM authorships WHERE name_key = ?1")?;
        let mut mentions: Vec<(i64, String, Option<String>)> = Vec::new();
        let mut q = stmt.query([&key])?;
        while let Some(r) = q.next()? {
            mentions.push((r.get(0)?, r.get(1)?, r.get(2)?));
        }
        let keys: BTreeSet<i64> = mentions.iter().map(|m| m.0).collect();
        let sql = format!("SELECT {COLUMNS} FROM works WHERE key = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut works = BTreeMap::new();
        for k in keys {
            let mut q = stmt.query([k])?;
            if let Some(row) = q.next()? {
                works.insert(k, from_row(row, 0)?.1);
            }
        }
        let persons = self.dblp_persons_named(name)?;
        let mut rows: HashSet<String> = persons.iter().map(|p| format!("dblp:{}", p.key)).collect();
        let mut variants = BTreeSet::new();
        for (work, written, source) in mentions {
            let from_dblp = works.get(&work).is_some_and(|w| w.provenance.iter().any(|p| p.source == "dblp"));
            rows.insert(author_row(&persons, &written, source.as_deref(), from_dblp));
            variants.insert(written);
        }
        let mut also_published_as: Vec<String> = Vec::new();
        for n in persons.iter().flat_map(|p| &p.names) {
            if name_key(n) != key && !also_published_as.contains(n) {
                also_published_as.push(n.clone());
            }
        }
        let mut works: Vec<Work> = works.into_values().collect();
        sort_for_cluster(&mut works);
        let mut author_row_ids: Vec<String> = rows.into_iter().collect();
        author_row_ids.sort();
        Ok(NameCluster {
            name: name.to_string(),
            author_rows: author_row_ids.len(),
            author_row_ids,
            variants: variants.into_iter().collect(),
            also_published_as,
            dblp_persons: persons,
            works,
        })
    }
}

/// Year descending (undated last), then title ascending ignoring case, then id for a total order.
pub fn sort_for_cluster(works: &mut [Work]) {
    works.sort_by_cached_key(|w| (std::cmp::Reverse(w.year.unwrap_or(i32::MIN)), name_key(&w.title), w.id.0.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_model::Authorship;

    fn work(id: &str, title: &str, year: i32, authors: &[&str]) -> Work {
        let mut w = Work::new(id, title);
        w.year = Some(year);
        w.authors = authors.iter().enumerate().map(|(i, a)| Authorship::at(i as u32 + 1, *a)).collect();
        w
    }

    #[test]
    fn cluster_matches_case_insensitively_and_orders_like_the_seed_page() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        let mut b = store.batch().unwrap();
        b.upsert(&work("a", "MONGOOSE: A Learnable LSH Framework", 2021, &["Christopher Ré"])).unwrap();
        b.upsert(&work("b", "Model Patching", 2021, &["CHRISTOPHER RÉ"])).unwrap();
        b.upsert(&work("c", "Old", 2014, &["Ce Zhang", "christopher ré"])).unwrap();
        b.upsert(&work("d", "Other", 2022, &["Ce Zhang 0001"])).unwrap();
        b.commit().unwrap();
        let c = store.name_cluster("christopher ré").unwrap();
        let titles: Vec<&str> = c.works.iter().map(|w| w.title.as_str()).collect();
        assert_eq!(titles, ["Model Patching", "MONGOOSE: A Learnable LSH Framework", "Old"]);
        assert_eq!(c.author_rows, 3, "three written forms, no source ids");
        assert_eq!(store.name_cluster("Ce Zhang").unwrap().works.len(), 1);
        assert_eq!(store.name_cluster("Ce Zhang 0001").unwrap().works.len(), 1);
        assert!(store.name_cluster("Christopher Re").unwrap().works.is_empty());
    }

    #[test]
    fn source_ids_define_author_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
        let mut b = store.batch().unwrap();
        let mut w = work("a", "A", 2020, &["Ce Zhang"]);
        w.authors[0].source_id = Some("dblp:z/CeZhang1".into());
        b.upsert(&w).unwrap();
        let mut w = work("b", "B", 2020, &["Ce Zhang"]);
        w.authors[0].source_id = Some("dblp:z/CeZhang2".into());
        b.upsert(&w).unwrap();
        b.upsert(&work("c", "C", 2020, &["Ce Zhang"])).unwrap();
        b.commit().unwrap();
        assert_eq!(store.name_cluster("ce zhang").unwrap().author_rows, 3);
    }
}
