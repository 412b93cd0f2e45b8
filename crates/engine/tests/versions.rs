//! Versions of one work on the demo corpus: two papers published twice, grouped and shown once.

use arrow_engine::{Arrow, SearchRequest};

const ICML14: &str = "seed:icml-2014-an-asynchronous-parallel-stochastic-coordinate-descent-algorithm";
const JMLR15: &str = "seed:jmlr-2015-an-asynchronous-parallel-stochastic-coordinate-descent-algorithm";
const ICML16: &str = "seed:icml-2016-ensuring-rapid-mixing-and-low-bias-for-asynchronous-gibbs-sampling";
const IJCAI17: &str = "seed:ijcai-2017-ensuring-rapid-mixing-and-low-bias-for-asynchronous-gibbs-sampling";

fn demo() -> (tempfile::TempDir, Arrow) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    assert_eq!(arrow.load_demo().unwrap(), 107);
    (dir, arrow)
}

fn ids(arrow: &Arrow, id: &str) -> Vec<String> {
    arrow.versions_of(id).unwrap().into_iter().map(|v| v.id).collect()
}

#[test]
fn both_pairs_of_the_demo_are_grouped_and_nothing_else() {
    let (_dir, arrow) = demo();
    assert!(arrow.versions_of(ICML14).unwrap().is_empty(), "nothing before grouping");
    let report = arrow.group_versions().unwrap();
    assert_eq!((report.groups, report.works_grouped), (2, 4), "{report:?}");
    assert_eq!(ids(&arrow, ICML14), vec![JMLR15]);
    assert_eq!(ids(&arrow, JMLR15), vec![ICML14]);
    assert_eq!(ids(&arrow, ICML16), vec![IJCAI17]);
    assert_eq!(ids(&arrow, IJCAI17), vec![ICML16]);
    let v = &arrow.versions_of(ICML14).unwrap()[0];
    assert_eq!((v.venue.as_deref(), v.year), (Some("JMLR"), Some(2015)));
    // Running again replaces, never duplicates.
    let again = arrow.group_versions().unwrap();
    assert_eq!((again.groups, again.works_grouped), (2, 4));
}

#[test]
fn a_search_shows_one_entry_per_paper_with_its_other_version_attached() {
    let (_dir, arrow) = demo();
    let q = SearchRequest::query("asynchronous parallel stochastic coordinate descent");
    let before = arrow.search(&q).unwrap();
    let title = "An Asynchronous Parallel Stochastic Coordinate Descent Algorithm";
    assert_eq!(before.hits.iter().filter(|h| h.work.title == title).count(), 2);
    arrow.group_versions().unwrap();
    let page = arrow.search(&q).unwrap();
    let entries: Vec<_> = page.hits.iter().filter(|h| h.work.title == title).collect();
    assert_eq!(entries.len(), 1, "one entry for the group");
    let shown = &entries[0];
    assert_eq!(shown.versions.len(), 1);
    let other = if shown.work.id.0 == ICML14 { JMLR15 } else { ICML14 };
    assert_eq!(shown.versions[0].id, other);
    // The best-ranked version is the one shown: the first of the two before collapsing.
    let first = before.hits.iter().find(|h| h.work.title == title).unwrap();
    assert_eq!(shown.work.id, first.work.id);
    let json = serde_json::to_value(&page).unwrap();
    let hits = json["hits"].as_array().unwrap();
    assert!(hits.iter().any(|h| h["versions"][0]["id"] == other));
    assert!(hits.iter().filter(|h| h["work"]["title"] != title).all(|h| h.get("versions").is_none()));
}

/// Every listed entry over all the pages of a search, by following its cursors.
fn listed(arrow: &Arrow, q: &str, sort: arrow_engine::Sort, per_page: usize) -> Vec<(String, Vec<String>)> {
    let mut req = SearchRequest { limit: per_page, sort, ..SearchRequest::query(q) };
    let mut out = Vec::new();
    loop {
        let page = arrow.search(&req).unwrap();
        out.extend(page.hits.into_iter().map(|h| (h.work.id.0, h.versions.into_iter().map(|v| v.id).collect())));
        match page.next_cursor {
            Some(c) => req.cursor = Some(c),
            None => return out,
        }
    }
}

#[test]
fn each_paper_is_listed_once_over_all_pages_whatever_their_size() {
    let (_dir, arrow) = demo();
    arrow.group_versions().unwrap();
    for (q, sort) in [
        ("", arrow_engine::Sort::YearDesc),
        ("asynchronous", arrow_engine::Sort::Relevance),
        ("gibbs OR coordinate", arrow_engine::Sort::YearAsc),
    ] {
        let whole = listed(&arrow, q, sort, 100);
        for per_page in [1, 2, 3, 7] {
            let paged = listed(&arrow, q, sort, per_page);
            assert_eq!(paged, whole, "{q:?} {sort:?}, {per_page} a page");
        }
        // No version both listed and attached to another entry.
        let shown: Vec<&String> = whole.iter().map(|(id, _)| id).collect();
        assert!(whole.iter().flat_map(|(_, v)| v).all(|v| !shown.contains(&v)), "{q:?}: {whole:?}");
        let grouped = whole.iter().filter(|(_, v)| !v.is_empty()).count();
        assert_eq!(grouped, 2, "both papers of two versions match {q:?}");
    }
}

#[test]
fn disambiguation_groups_versions_too() {
    let (_dir, arrow) = demo();
    arrow.disambiguate().unwrap();
    assert_eq!(ids(&arrow, ICML16), vec![IJCAI17]);
}

#[test]
fn a_deleted_version_leaves_its_group() {
    let (_dir, arrow) = demo();
    arrow.group_versions().unwrap();
    arrow.delete(&[JMLR15.to_string()]).unwrap();
    assert!(arrow.versions_of(ICML14).unwrap().is_empty());
    assert_eq!(ids(&arrow, ICML16), vec![IJCAI17]);
}
