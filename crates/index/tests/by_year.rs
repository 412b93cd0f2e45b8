//! The empty query and year-only filters answer from the corpus by year; they must list exactly what a
//! collection over every document lists: the same hits in the same order, totals, facets and cursors.

use arrow_index::{Filters, SearchIndex, SearchRequest, SearchResult, Sort};
use arrow_model::Work;
use arrow_query::YearRange;

/// 90 works over 2010-2015 and without a year, three venues, every one of type "Paper" (so that a type filter
/// matching all of them sends the same search down the collecting path), in two segments, with deletions.
fn corpus(dir: &std::path::Path) -> SearchIndex {
    let index = SearchIndex::open(dir).unwrap();
    let mut writer = index.writer().unwrap();
    for key in 0..90i64 {
        let mut w = Work::new(format!("t:{key}"), format!("work {key}"));
        w.year = (key % 7 != 6).then_some(2010 + (key * 5 % 6) as i32);
        w.venue = Some(["VLDB", "SIGMOD", "ICDE"][(key % 3) as usize].to_string());
        w.pub_type = Some("Paper".into());
        writer.put(key, &w, false).unwrap();
        if key == 45 {
            writer.commit(1).unwrap();
        }
    }
    for key in [3, 4, 50] {
        writer.delete(key).unwrap();
    }
    writer.commit(2).unwrap();
    writer.finish().unwrap();
    index.reload().unwrap();
    index
}

fn both(index: &SearchIndex, req: &SearchRequest) -> (SearchResult, SearchResult) {
    let fast = index.search(req).unwrap();
    let mut collecting = req.clone();
    collecting.filters.types = vec!["Paper".into()];
    let slow = index.search(&collecting).unwrap();
    (fast, slow)
}

#[test]
fn recent_works_and_year_filters_list_what_a_collection_lists() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let ranges = [None, Some("2012"), Some("2011-2013"), Some(">2013"), Some("<=2010"), Some("1990-1999")];
    for q in ["", "year:2011..2014", "year:2012"] {
        for range in ranges {
            for sort in [Sort::YearDesc, Sort::YearAsc] {
                for (offset, limit) in [(0, 10), (0, 100), (7, 5), (30, 20), (85, 10)] {
                    let mut req = SearchRequest::query(q);
                    req.filters = Filters { years: range.map(|r| YearRange::parse(r).unwrap()), ..Filters::default() };
                    req.sort = sort;
                    req.offset = offset;
                    req.limit = limit;
                    req.facets = true;
                    let (fast, mut slow) = both(&index, &req);
                    let what = format!("{q:?} {range:?} {sort:?} {offset}+{limit}");
                    assert_eq!(fast.hits, slow.hits, "{what}");
                    assert_eq!(fast.total, slow.total, "{what}");
                    // The type filter's own facet is the only difference: every work is a "Paper".
                    let (f, s) = (fast.facets.clone().unwrap(), slow.facets.take().unwrap());
                    assert_eq!((f.years, f.venues, f.types), (s.years, s.venues, s.types), "{what}");
                    assert_eq!(fast.next_cursor.is_some(), slow.next_cursor.is_some(), "{what}");
                }
            }
        }
    }
}

#[test]
fn a_cursor_from_the_by_year_path_pages_through_every_work_once() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let mut req = SearchRequest::query("");
    req.sort = Sort::YearDesc;
    req.limit = 8;
    let mut seen = Vec::new();
    loop {
        let page = index.search(&req).unwrap();
        assert_eq!(page.total, 87);
        seen.extend(page.hits.iter().map(|h| h.key));
        match page.next_cursor {
            Some(c) => req.cursor = Some(c),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (87, 87));
}

#[test]
fn a_commit_is_seen_by_the_next_search() {
    let dir = tempfile::tempdir().unwrap();
    let index = corpus(dir.path());
    let mut req = SearchRequest::query("");
    req.sort = Sort::YearDesc;
    assert_eq!(index.search(&req).unwrap().total, 87);
    let mut writer = index.writer().unwrap();
    let mut w = Work::new("t:new", "a new work");
    w.year = Some(2030);
    writer.put(1000, &w, false).unwrap();
    writer.commit(3).unwrap();
    writer.finish().unwrap();
    index.reload().unwrap();
    let page = index.search(&req).unwrap();
    assert_eq!(page.total, 88);
    assert_eq!(page.hits[0].key, 1000, "the newest work first");
}
