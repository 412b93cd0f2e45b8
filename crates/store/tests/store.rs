//! Store behaviour seen from outside: upserts, deletes, change replay, crash safety of batches.

use arrow_model::{Authorship, Work};
use arrow_store::{Outcome, Store};

fn work(id: &str, title: &str) -> Work {
    let mut w = Work::new(id, title);
    w.year = Some(2020);
    w.authors = vec![Authorship::at(1, "Ji Liu 0002"), Authorship::at(2, "Christopher Ré")];
    w
}

#[test]
fn upsert_is_idempotent_and_detects_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut b = store.batch().unwrap();
    assert_eq!(b.upsert(&work("a", "T")).unwrap().0, Outcome::Added);
    assert_eq!(b.upsert(&work("a", "T")).unwrap().0, Outcome::Unchanged);
    let mut changed = work("a", "T2");
    changed.authors.pop();
    assert_eq!(b.upsert(&changed).unwrap().0, Outcome::Updated);
    b.commit().unwrap();
    let (_, back) = store.work("a").unwrap().unwrap();
    assert_eq!(back.title, "T2");
    assert!(store.name_cluster("Christopher Ré").unwrap().works.is_empty(), "old authorships removed");
    assert_eq!(store.name_cluster("ji liu 0002").unwrap().works.len(), 1);
    assert_eq!(store.stats().unwrap().works, 1);
}

#[test]
fn an_uncommitted_batch_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let mut store = Store::open(&path).unwrap();
    let mut b = store.batch().unwrap();
    b.upsert(&work("a", "Kept")).unwrap();
    b.commit().unwrap();
    {
        let mut b = store.batch().unwrap();
        b.upsert(&work("b", "Lost")).unwrap();
        b.delete("a").unwrap();
        // dropped without commit, as when a process dies mid-batch
    }
    drop(store);
    let store = Store::open(&path).unwrap();
    assert!(store.work("a").unwrap().is_some());
    assert!(store.work("b").unwrap().is_none());
    assert_eq!(store.seq().unwrap(), 1);
}

#[test]
fn changes_replay_updates_and_deletions_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut b = store.batch().unwrap();
    b.upsert(&work("a", "A")).unwrap();
    b.upsert(&work("b", "B")).unwrap();
    b.commit().unwrap();
    let mut b = store.batch().unwrap();
    b.delete("a").unwrap();
    b.upsert(&work("b", "B2")).unwrap();
    b.commit().unwrap();
    let changes = store.changes_since(2, 100).unwrap();
    assert_eq!(changes.len(), 2);
    assert!(changes[0].work.is_none());
    assert_eq!(changes[1].work.as_ref().unwrap().title, "B2");
    assert_eq!(store.changes_since(0, 100).unwrap().len(), 2, "a's insert is superseded by its deletion");
}

#[test]
fn a_newer_schema_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Store::open(&path).err().unwrap().to_string();
    assert!(err.contains("schema version 99"), "{err}");
}
