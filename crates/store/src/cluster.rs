use crate::row::{from_row, COLUMNS};
use crate::{Store, StoreError};
use arrow_model::Work;
use arrow_normalize::name_key;
use std::collections::{BTreeSet, HashSet};

/// Every work with an author whose name equals the asked name, ignoring case (the seed page's grouping).
/// This is a name, not a person: homonyms are mixed and variants of one person are apart.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NameCluster {
    /// The name as asked.
    pub name: String,
    /// Distinct author records carrying the name: one per source author id, plus one per exact written
    /// form among mentions that have no source id.
    pub author_rows: usize,
    /// The written forms found ("Christopher Ré", "CHRISTOPHER RÉ").
    pub variants: Vec<String>,
    /// Newest first, then by title ignoring case.
    pub works: Vec<Work>,
}

impl Store {
    pub fn name_cluster(&self, name: &str) -> Result<NameCluster, StoreError> {
        let key = name_key(name);
        let mut stmt = self.conn.prepare_cached("SELECT work, name, source_id FROM authorships WHERE name_key = ?1")?;
        let mut keys = BTreeSet::new();
        let mut rows = HashSet::new();
        let mut variants = BTreeSet::new();
        let mut q = stmt.query([&key])?;
        while let Some(r) = q.next()? {
            let work: i64 = r.get(0)?;
            let written: String = r.get(1)?;
            let source: Option<String> = r.get(2)?;
            keys.insert(work);
            rows.insert(source.unwrap_or_else(|| format!("name:{written}")));
            variants.insert(written);
        }
        let sql = format!("SELECT {COLUMNS} FROM works WHERE key = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut works = Vec::with_capacity(keys.len());
        for k in keys {
            let mut q = stmt.query([k])?;
            if let Some(row) = q.next()? {
                works.push(from_row(row, 0)?.1);
            }
        }
        sort_for_cluster(&mut works);
        Ok(NameCluster {
            name: name.to_string(),
            author_rows: rows.len(),
            variants: variants.into_iter().collect(),
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
