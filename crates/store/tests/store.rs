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
fn a_new_store_has_large_pages_and_an_existing_one_keeps_its_own() {
    let page_size = |path: &std::path::Path| -> i64 {
        rusqlite::Connection::open(path).unwrap().pragma_query_value(None, "page_size", |r| r.get(0)).unwrap()
    };
    let store_one = |path: &std::path::Path| {
        let mut store = Store::open(path).unwrap();
        let mut b = store.batch().unwrap();
        b.upsert(&work("a", "A")).unwrap();
        b.commit().unwrap();
        assert_eq!(store.work("a").unwrap().unwrap().1.title, "A");
    };
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.sqlite");
    store_one(&fresh);
    assert_eq!(page_size(&fresh), 16384);

    let old = dir.path().join("old.sqlite");
    rusqlite::Connection::open(&old).unwrap().execute_batch("PRAGMA page_size = 4096; VACUUM;").unwrap();
    store_one(&old);
    assert_eq!(page_size(&old), 4096);
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

fn from(source: &str, record_id: &str, title: &str) -> Work {
    let mut w = Work::new(format!("{source}:{record_id}"), title);
    w.provenance = vec![arrow_model::Provenance {
        source: source.into(),
        record_id: record_id.into(),
        ingested_at: 0,
        file: None,
    }];
    w
}

#[test]
fn records_sharing_an_identifier_across_sources_become_one_work() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut preprint = from("arxiv", "2302.10866", "Hyena Hierarchy (v1)");
    preprint.ids.arxiv = Some("2302.10866v1".into());
    preprint.abstract_text = Some("Recent advances in deep learning".into());
    preprint.year = Some(2023);
    let mut published =
        from("dblp", "conf/icml/PoliMNFDBBER23", "Hyena Hierarchy: Towards Larger Convolutional Language Models");
    published.ids.arxiv = Some("2302.10866".into());
    published.ids.dblp = Some("conf/icml/PoliMNFDBBER23".into());
    published.venue = Some("ICML".into());
    published.authors = vec![Authorship::at(1, "Michael Poli")];
    let mut b = store.batch().unwrap();
    let (o1, k1) = b.upsert(&preprint).unwrap();
    let (o2, k2) = b.upsert(&published).unwrap();
    assert_eq!((o1, o2), (Outcome::Added, Outcome::Merged));
    assert_eq!(k1, k2);
    assert_eq!(b.upsert(&published).unwrap().0, Outcome::Unchanged, "re-ingesting a merged source is a no-op");
    assert_eq!(b.upsert(&preprint).unwrap().0, Outcome::Unchanged);
    b.commit().unwrap();
    assert_eq!(store.stats().unwrap().works, 1);
    let (_, w) = store.work("arxiv:2302.10866").unwrap().unwrap();
    assert_eq!(w.title, "Hyena Hierarchy: Towards Larger Convolutional Language Models", "DBLP outranks arXiv");
    assert_eq!(w.abstract_text.as_deref(), Some("Recent advances in deep learning"), "kept from the preprint");
    assert_eq!(w.venue.as_deref(), Some("ICML"));
    assert_eq!(w.provenance.iter().map(|p| p.source.as_str()).collect::<Vec<_>>(), ["dblp", "arxiv"]);
    assert_eq!(store.name_cluster("michael poli").unwrap().works.len(), 1);
    let (_, by_other_id) = store.work("dblp:conf/icml/PoliMNFDBBER23").unwrap().unwrap();
    assert_eq!(by_other_id.id.0, "arxiv:2302.10866", "a merged record's id finds its work");

    // A changed source record re-merges; what the other source said stays.
    let mut b = store.batch().unwrap();
    preprint.abstract_text = Some("A new abstract".into());
    assert_eq!(b.upsert(&preprint).unwrap().0, Outcome::Merged);
    b.commit().unwrap();
    let (_, w) = store.work("arxiv:2302.10866").unwrap().unwrap();
    assert_eq!(w.abstract_text.as_deref(), Some("A new abstract"));
    assert_eq!(w.venue.as_deref(), Some("ICML"));
}

#[test]
fn one_sources_distinct_records_stay_distinct_even_with_a_shared_doi() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut a = from("dblp", "conf/x/A", "Paper A");
    a.ids.doi = Some("10.1/shared".into());
    let mut b2 = from("dblp", "conf/x/B", "Paper B");
    b2.ids.doi = Some("10.1/shared".into());
    let mut c = from("crossref", "10.1/shared", "Paper A (Crossref)");
    c.ids.doi = Some("10.1/shared".into());
    let mut b = store.batch().unwrap();
    assert_eq!(b.upsert(&a).unwrap().0, Outcome::Added);
    assert_eq!(b.upsert(&b2).unwrap().0, Outcome::Added);
    assert_eq!(b.upsert(&c).unwrap().0, Outcome::Merged);
    b.commit().unwrap();
    assert_eq!(store.stats().unwrap().works, 2);
    let mut b = store.batch().unwrap();
    assert!(b.delete("dblp:conf/x/A").unwrap());
    b.commit().unwrap();
    assert_eq!(store.stats().unwrap().works, 1);
}

#[test]
fn a_store_of_the_previous_schema_version_opens_and_migrates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.sqlite");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1.sqlite"), &path).unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.stats().unwrap().works, 3);
    assert_eq!(store.name_cluster("christopher ré").unwrap().works.len(), 3);
    assert_eq!(store.people_count().unwrap(), (0, 0), "the new people table exists, empty");
    assert_eq!(store.versions_count().unwrap(), (0, 0), "the new versions table exists, empty");
    assert_eq!(store.dblp_person_count().unwrap(), 0, "the new DBLP person table exists, empty");
    let version: i64 =
        rusqlite::Connection::open(&path).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, arrow_store::SCHEMA_VERSION);
}

#[test]
fn a_version_2_store_migrates_to_version_groups() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.sqlite");
    {
        let mut store = Store::open(&path).unwrap();
        let mut b = store.batch().unwrap();
        b.upsert(&work("a", "T")).unwrap();
        b.commit().unwrap();
    }
    {
        // Back to what version 2 had: no versions table (nor what later versions added).
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("DROP TABLE versions; DROP TABLE name_blocks; PRAGMA user_version = 2;").unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.stats().unwrap().works, 1);
    assert_eq!(store.versions_count().unwrap(), (0, 0));
    let (key, _) = store.work("a").unwrap().unwrap();
    store.replace_versions(&[vec![key, key + 100]]).unwrap();
    assert_eq!(store.version_group(key).unwrap(), Some(key));
    let version: i64 =
        rusqlite::Connection::open(&path).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, arrow_store::SCHEMA_VERSION);
}

#[test]
fn version_groups_are_replaced_whole_and_a_deleted_work_leaves_its_group() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut b = store.batch().unwrap();
    let (_, a) = b.upsert(&work("a", "One paper")).unwrap();
    let (_, c) = b.upsert(&work("c", "One paper")).unwrap();
    let (_, d) = b.upsert(&work("d", "Another")).unwrap();
    let (_, e) = b.upsert(&work("e", "Another")).unwrap();
    b.commit().unwrap();
    store.replace_versions(&[vec![c, a], vec![d], vec![d, e]]).unwrap();
    assert_eq!(store.versions_count().unwrap(), (4, 2), "the group of one is skipped");
    assert_eq!(store.version_group(c).unwrap(), Some(a.min(c)));
    assert_eq!(store.version_members(a.min(c)).unwrap(), vec![a.min(c), a.max(c)]);
    let others = store.versions_of_keys(&[a, d]).unwrap();
    assert_eq!(others[&a], vec![c]);
    assert_eq!(others[&d], vec![e]);
    // Replacing drops the old groups.
    store.replace_versions(&[vec![a, c]]).unwrap();
    assert_eq!(store.version_group(d).unwrap(), None);
    // Deleting a work takes it out of its group; its version is left alone, with no other versions.
    let mut b = store.batch().unwrap();
    assert!(b.delete("c").unwrap());
    b.commit().unwrap();
    assert_eq!(store.version_group(c).unwrap(), None);
    assert!(store.versions_of_keys(&[a]).unwrap().is_empty());
    assert_eq!(store.versions_count().unwrap(), (1, 1));
}

#[test]
fn a_bulk_load_merges_across_sources_like_any_other() {
    // A bulk load skips identifier lookups while only one source has been loaded; they resume with the first
    // record of another source, which must merge as outside a bulk load.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    assert!(store.begin_bulk().unwrap());
    let mut a = from("dblp", "conf/x/A", "Paper A");
    a.ids.doi = Some("10.1/shared".into());
    let mut b2 = from("dblp", "conf/x/B", "Paper B");
    b2.ids.doi = Some("10.1/other".into());
    let mut c = from("crossref", "10.1/shared", "Paper A (Crossref)");
    c.ids.doi = Some("10.1/shared".into());
    let mut d = from("dblp", "conf/x/D", "Paper D");
    d.ids.doi = Some("10.1/other".into());
    let mut e = from("crossref", "10.1/other", "Paper B (Crossref)");
    e.ids.doi = Some("10.1/other".into());
    let mut b = store.batch().unwrap();
    assert_eq!(b.upsert(&a).unwrap().0, Outcome::Added);
    assert_eq!(b.upsert(&b2).unwrap().0, Outcome::Added);
    assert_eq!(b.upsert(&c).unwrap().0, Outcome::Merged, "the second source looks identifiers up");
    assert_eq!(b.upsert(&d).unwrap().0, Outcome::Added, "one source's records stay distinct");
    assert_eq!(b.upsert(&e).unwrap().0, Outcome::Merged);
    b.commit().unwrap();
    store.end_bulk().unwrap();
    assert_eq!(store.stats().unwrap().works, 3);
}

#[test]
fn a_bulk_load_still_notices_an_id_it_has_already_stored() {
    // A bulk load from one source inserts first and looks the id up only when it is taken: a repeated record is
    // unchanged, a changed one replaces it, and nothing is stored twice.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    assert!(store.begin_bulk().unwrap());
    let a = from("dblp", "conf/x/A", "Paper A");
    let mut changed = a.clone();
    changed.title = "Paper A, corrected".into();
    changed.authors = vec![Authorship::at(1, "Ce Zhang")];
    let mut b = store.batch().unwrap();
    let (outcome, key) = b.upsert(&a).unwrap();
    assert_eq!(outcome, Outcome::Added);
    assert_eq!(b.upsert(&a).unwrap(), (Outcome::Unchanged, key));
    assert_eq!(b.upsert(&changed).unwrap(), (Outcome::Updated, key));
    let seq = b.commit().unwrap();
    store.end_bulk().unwrap();
    assert_eq!(store.stats().unwrap().works, 1);
    assert_eq!(store.work("dblp:conf/x/A").unwrap().unwrap().1.title, "Paper A, corrected");
    assert_eq!(seq, 2, "one change for the insert, one for the update");
    assert_eq!(store.name_cluster("ce zhang").unwrap().works.len(), 1);
}
