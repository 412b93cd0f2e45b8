//! A bulk load ends merged: at most one segment per indexing thread, and no files left of the merged ones.

use arrow_index::{SearchIndex, SearchRequest};
use arrow_model::{Authorship, Work};

fn segment_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).unwrap().flatten().filter(|e| e.path().extension().is_some_and(|x| x == "idx")).count()
}

fn load(dir: &std::path::Path, bulk: bool) -> SearchIndex {
    let index = SearchIndex::open(dir).unwrap();
    let mut writer = index.writer().unwrap();
    if bulk {
        writer.bulk();
    }
    // Each commit flushes what the writer holds as new segments, as a long load does when its memory fills.
    for batch in 0..6i64 {
        for i in 0..50 {
            let key = batch * 50 + i;
            let mut w = Work::new(format!("t:{key}"), format!("Asynchronous Gibbs sampling part {key}"));
            w.authors.push(Authorship::at(1, "Christopher Ré"));
            writer.put(key, &w, false).unwrap();
        }
        writer.commit(batch + 1).unwrap();
    }
    writer.finish().unwrap();
    index.reload().unwrap();
    index
}

#[test]
fn a_bulk_load_is_merged_into_one_segment_per_thread() {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4);
    let plain = tempfile::tempdir().unwrap();
    load(plain.path(), false);
    assert!(segment_files(plain.path()) > threads, "the case needs more segments than threads to mean anything");

    let dir = tempfile::tempdir().unwrap();
    let index = load(dir.path(), true);
    assert!(segment_files(dir.path()) <= threads, "{} segment files", segment_files(dir.path()));
    let found = index.search(&SearchRequest::query("author:re gibbs")).unwrap();
    assert_eq!(found.total, 300);
    let mut keys = index.all_keys().unwrap();
    keys.sort();
    assert_eq!(keys, (0..300).collect::<Vec<i64>>());
    assert_eq!(index.indexed_seq().unwrap(), 6);
}
