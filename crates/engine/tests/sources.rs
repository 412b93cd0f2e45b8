//! Several sources, one store: merging, re-import with deletions, explicit deletes.

use arrow_engine::{Arrow, IngestOptions, Progress, SearchRequest};

struct Quiet;
impl Progress for Quiet {}

const BIB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/icml-liu14.bib");
const DBLP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dblp-liu14.jsonl");

#[test]
fn the_same_paper_from_dblp_and_bibtex_is_one_work_with_two_sources() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    let r = arrow.ingest_paths(&[DBLP.into()], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(r.added, 1);
    let r = arrow.ingest_paths(&[BIB.into()], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!((r.added, r.merged), (0, 1));
    let again = arrow.ingest_paths(&[BIB.into(), DBLP.into()], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(again.unchanged, 2, "re-ingesting both sources changes nothing");
    assert_eq!(arrow.stats().unwrap().works, 1);
    let w = arrow.work("dblp:conf/icml/LiuWRBS14").unwrap().unwrap();
    let sources: Vec<&str> = w.provenance.iter().map(|p| p.source.as_str()).collect();
    assert_eq!(sources, ["bibtex", "jsonl"], "source priority: BibTeX over plain JSON lines");
    assert_eq!(w.ids.urls, ["http://jmlr.org/proceedings/papers/v32/liud14.html"], "the BibTeX url is kept");
    assert_eq!(w.authors[2].name, "Christopher Ré");
    assert_eq!(arrow.search(&SearchRequest::query("asynchronous coordinate descent")).unwrap().total, 1);
}

#[test]
fn a_full_reimport_with_delete_missing_removes_what_the_source_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    let v1 = dir.path().join("v1.jsonl");
    std::fs::write(&v1, "{\"id\":\"x:1\",\"title\":\"Kept Paper\"}\n{\"id\":\"x:2\",\"title\":\"Dropped Paper\"}\n")
        .unwrap();
    let other = dir.path().join("other.jsonl");
    std::fs::write(&other, "{\"id\":\"y:1\",\"title\":\"Another Source\",\"source\":\"crossref\"}\n").unwrap();
    arrow
        .ingest_paths(&[v1.display().to_string(), other.display().to_string()], &IngestOptions::default(), &Quiet)
        .unwrap();
    let v2 = dir.path().join("v2.jsonl");
    std::fs::write(&v2, "{\"id\":\"x:1\",\"title\":\"Kept Paper\"}\n").unwrap();
    let opts = IngestOptions { delete_missing: true, ..Default::default() };
    let r = arrow.ingest_paths(&[v2.display().to_string()], &opts, &Quiet).unwrap();
    assert_eq!((r.unchanged, r.deleted), (1, 1));
    assert!(arrow.work("x:2").unwrap().is_none());
    assert!(arrow.work("y:1").unwrap().is_some(), "other sources are untouched");
    assert_eq!(arrow.search(&SearchRequest::query("dropped")).unwrap().total, 0, "and the index agrees");
    assert_eq!(arrow.delete(&["y:1".into(), "nope".into()]).unwrap(), 1);
    assert_eq!(arrow.search(&SearchRequest::query("another source")).unwrap().total, 0);
    assert_eq!(arrow.stats().unwrap().works, 1);
}
