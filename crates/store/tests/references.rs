//! The works a work cites: kept as the sources give them, unchanged by a re-ingest, united across sources.

use arrow_model::{Provenance, Work};
use arrow_store::{Outcome, Store};

fn work(id: &str, source: &str, doi: &str, refs: &[&str]) -> Work {
    let mut w = Work::new(id, "An Asynchronous Parallel Stochastic Coordinate Descent Algorithm");
    w.ids.doi = Some(doi.into());
    w.references = refs.iter().map(|r| r.to_string()).collect();
    w.provenance = vec![Provenance { source: source.into(), record_id: id.into(), ingested_at: 0, file: None }];
    w
}

#[test]
fn references_are_stored_and_a_second_ingest_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let w = work("openalex:W1", "openalex", "10.5555/x", &["openalex:W2", "openalex:W3"]);
    let mut b = store.batch().unwrap();
    assert_eq!(b.upsert(&w).unwrap().0, Outcome::Added);
    assert_eq!(b.upsert(&w).unwrap().0, Outcome::Unchanged);
    b.commit().unwrap();
    let (_, stored) = store.work("openalex:W1").unwrap().unwrap();
    assert_eq!(stored.references, ["openalex:W2", "openalex:W3"]);

    let mut changed = w.clone();
    changed.references.push("doi:10.1/y".into());
    let mut b = store.batch().unwrap();
    assert_eq!(b.upsert(&changed).unwrap().0, Outcome::Updated);
    b.commit().unwrap();
    assert_eq!(store.work("openalex:W1").unwrap().unwrap().1.references.len(), 3);
}

#[test]
fn one_work_from_two_sources_cites_what_either_cites() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut b = store.batch().unwrap();
    let (_, a) = b.upsert(&work("openalex:W1", "openalex", "10.5555/x", &["openalex:W2", "doi:10.1/y"])).unwrap();
    let (outcome, c) =
        b.upsert(&work("doi:10.5555/x", "crossref", "10.5555/x", &["doi:10.1/y", "doi:10.1/z"])).unwrap();
    b.commit().unwrap();
    assert_eq!((outcome, c), (Outcome::Merged, a), "the shared DOI makes them one work");
    let (_, merged) = store.works_by_keys(&[a]).unwrap().pop().unwrap();
    let mut refs = merged.references.clone();
    refs.sort();
    assert_eq!(refs, ["doi:10.1/y", "doi:10.1/z", "openalex:W2"]);
}

#[test]
fn a_work_without_references_keeps_the_hash_it_had_before_they_were_kept() {
    // A store of schema 6 has no refs column; opening it adds one, and re-ingesting its works finds them unchanged.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let w = work("dblp:x", "dblp", "10.5555/x", &[]);
    {
        let mut store = Store::open(&path).unwrap();
        let mut b = store.batch().unwrap();
        b.upsert(&w).unwrap();
        b.commit().unwrap();
    }
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("ALTER TABLE works DROP COLUMN refs; PRAGMA user_version = 6;").unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let mut b = store.batch().unwrap();
    assert_eq!(b.upsert(&w).unwrap().0, Outcome::Unchanged);
    b.commit().unwrap();
    assert!(store.work("dblp:x").unwrap().unwrap().1.references.is_empty());
}
