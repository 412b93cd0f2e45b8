use arrow_model::{Authorship, Work};
use arrow_store::{NameCount, Store};

fn work(id: &str, authors: &[&str]) -> Work {
    let mut w = Work::new(id, format!("Title of {id}"));
    w.authors = authors.iter().enumerate().map(|(i, a)| Authorship::at(i as u32 + 1, *a)).collect();
    w
}

fn names(store: &Store, prefix: &str) -> Vec<(String, i64)> {
    store.names_with_prefix(prefix, 10).unwrap().into_iter().map(|n: NameCount| (n.folded, n.works)).collect()
}

const WORKS: &[(&str, &[&str])] = &[
    ("w1", &["Christopher Ré", "Ce Zhang"]),
    ("w2", &["Christopher Re", "Ce Zhang 0001"]),
    ("w3", &["Christopher Ré", "Chris Ré"]),
    ("w4", &["Mayee F. Chen"]),
];

fn load(bulk: bool) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    if bulk {
        assert!(store.begin_bulk().unwrap());
    }
    let mut batch = store.batch().unwrap();
    for (id, authors) in WORKS {
        batch.upsert(&work(id, authors)).unwrap();
    }
    batch.commit().unwrap();
    if bulk {
        store.end_bulk().unwrap();
    }
    (dir, store)
}

#[test]
fn names_are_found_by_any_word_folded_and_counted_whether_loaded_in_bulk_or_one_by_one() {
    for bulk in [true, false] {
        let (_dir, store) = load(bulk);
        // "Ré" and "Re" fold alike: one name, three authorships.
        assert_eq!(names(&store, "christopher r"), [("christopher re".to_string(), 3)], "bulk {bulk}");
        assert_eq!(names(&store, "re"), [("christopher re".to_string(), 3), ("chris re".to_string(), 1)]);
        assert_eq!(names(&store, "chris "), [("chris re".to_string(), 1)], "a whole word does not run on");
        assert_eq!(names(&store, "chen"), [("mayee f chen".to_string(), 1)]);
        assert!(names(&store, "0001").is_empty(), "homonym numbers are not a way in");
        assert!(names(&store, "").is_empty());
    }
}

#[test]
fn counts_follow_updates_and_deletions() {
    let (_dir, mut store) = load(false);
    let mut batch = store.batch().unwrap();
    batch.upsert(&work("w3", &["Chris Ré"])).unwrap();
    batch.commit().unwrap();
    assert_eq!(names(&store, "christopher"), [("christopher re".to_string(), 2)]);
    let mut batch = store.batch().unwrap();
    assert!(batch.delete("w4").unwrap());
    batch.commit().unwrap();
    assert!(names(&store, "mayee").is_empty(), "a name with no authorship left goes");
}

#[test]
fn a_store_whose_names_are_stale_rebuilds_them_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    {
        let mut store = Store::open(&path).unwrap();
        // A bulk load killed before its end: the names were never built.
        assert!(store.begin_bulk().unwrap());
        let mut batch = store.batch().unwrap();
        batch.upsert(&work("w1", &["Christopher Ré"])).unwrap();
        batch.commit().unwrap();
        assert!(names(&store, "re").is_empty());
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(names(&store, "re"), [("christopher re".to_string(), 1)]);
}

#[test]
fn a_bulk_load_of_many_names_counts_each_once() {
    // More names than the rebuild hands from its reading thread to its writing one at a time.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    assert!(store.begin_bulk().unwrap());
    let mut batch = store.batch().unwrap();
    for i in 0..10_000 {
        batch.upsert(&work(&format!("w{i}"), &[&format!("Author{i} Zed"), "Shared Name"])).unwrap();
    }
    batch.commit().unwrap();
    store.end_bulk().unwrap();
    assert_eq!(names(&store, "shared"), [("shared name".to_string(), 10_000)]);
    assert_eq!(names(&store, "author9999"), [("author9999 zed".to_string(), 1)]);
    assert_eq!(store.names_with_prefix("zed", 20_000).unwrap().len(), 10_000);
}
