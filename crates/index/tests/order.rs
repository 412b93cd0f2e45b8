//! The writer hands operations to tantivy in groups; adds, replacements and deletions keep their order.

use arrow_index::{SearchIndex, SearchRequest};
use arrow_model::Work;

fn hits(index: &SearchIndex, q: &str) -> usize {
    index.search(&SearchRequest::query(q)).unwrap().total
}

#[test]
fn replacements_and_deletions_apply_in_order_within_one_commit() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut writer = index.writer().unwrap();
    // More operations than one hand-over, with each key's add, replacement and deletion in different groups.
    for key in 0..100i64 {
        writer.put(key, &Work::new(format!("t:{key}"), "first draft"), false).unwrap();
    }
    for key in 0..100i64 {
        writer.put(key, &Work::new(format!("t:{key}"), "final version"), true).unwrap();
    }
    for key in 0..30i64 {
        writer.delete(key).unwrap();
    }
    // Deleted, then added again: the last operation wins.
    writer.put(5, &Work::new("t:5", "final version"), false).unwrap();
    writer.commit(1).unwrap();
    writer.finish().unwrap();
    index.reload().unwrap();
    assert_eq!(hits(&index, "draft"), 0);
    assert_eq!(hits(&index, "final"), 71);
    let mut keys = index.all_keys().unwrap();
    keys.sort();
    assert_eq!(keys, std::iter::once(5).chain(30..100).collect::<Vec<i64>>());
}
