//! Consistency checks and backups.

use arrow_engine::{Arrow, SearchOptions};

#[test]
fn check_finds_drift_and_reindex_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let arrow = Arrow::open(dir.path()).unwrap();
        arrow.load_demo().unwrap();
        let r = arrow.check().unwrap();
        assert!(r.ok, "{r:?}");
        assert_eq!((r.store_works, r.index_docs), (107, 107));
    }
    // Damage the index behind the store's back: drop one document, keep the sequence.
    {
        let index = arrow_index::SearchIndex::open(&dir.path().join("index")).unwrap();
        let seq = index.indexed_seq().unwrap();
        let mut w = index.writer().unwrap();
        w.delete(1).unwrap();
        w.commit(seq).unwrap();
        w.finish().unwrap();
    }
    let arrow = Arrow::open(dir.path()).unwrap();
    let r = arrow.check().unwrap();
    assert!(!r.ok);
    assert_eq!(r.missing_count, 1);
    assert_eq!(r.missing_from_index.len(), 1);
    arrow.reindex().unwrap();
    assert!(arrow.check().unwrap().ok);
}

#[test]
fn a_backup_taken_while_open_restores_with_its_index_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let live = Arrow::open(&dir.path().join("live")).unwrap();
    live.load_demo().unwrap();
    let copy = dir.path().join("copy");
    live.backup(&copy).unwrap();
    assert!(live.backup(&copy).is_err(), "never overwrites a store");
    let restored = Arrow::open(&copy).unwrap();
    assert_eq!(restored.stats().unwrap().works, 107);
    assert_eq!(restored.search(&SearchOptions::query("hyena")).unwrap().total, 6);
    assert!(restored.check().unwrap().ok);
}
