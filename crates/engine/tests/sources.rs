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
    // The file as it is now, in another folder: its own name is what counts.
    std::fs::create_dir(dir.path().join("new")).unwrap();
    let v2 = dir.path().join("new").join("v1.jsonl");
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

/// BibTeX keys and RIS ids name entries of one file: two papers under one key are two works, told as such, and a
/// file ingested again changes nothing.
#[test]
fn two_papers_under_one_local_key_are_both_kept() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    let file = |name: &str, body: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p.display().to_string()
    };
    let a =
        file("a.ris", "TY  - JOUR\nID  - 1\nTI  - Alpha paper about zebras\nAU  - Smith, Ann\nPY  - 2010\nER  - \n");
    let b =
        file("b.ris", "TY  - JOUR\nID  - 1\nTI  - Beta paper about giraffes\nAU  - Jones, Bob\nPY  - 2012\nER  - \n");
    let bib = file(
        "lab.bib",
        "@article{key1, title={Okapis in the wild}, author={Lee, Carl}, year={2001}, journal={J}}\n\
         @article{key1, title={A census of tapirs}, author={Diaz, Eva}, year={2003}, journal={J}}\n\
         @article{key2, title={Okapis in the Wild}, author={Lee, Carl}, year={2001}, journal={J}}\n",
    );
    let opts = IngestOptions::default();
    let r = arrow.ingest_paths(&[a.clone(), b.clone(), bib.clone()], &opts, &Quiet).unwrap();
    assert_eq!((r.added, r.updated), (5, 0), "{r:?}");
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    assert!(r.warnings[0].starts_with(&format!("{b}:1: ris:1 already names another paper")), "{:?}", r.warnings);
    assert!(r.warnings[1].starts_with(&format!("{bib}:2: bibtex:key1 already names")), "{:?}", r.warnings);
    for q in ["zebras", "giraffes", "okapis", "tapirs"] {
        assert!(arrow.search(&SearchRequest::query(q)).unwrap().total >= 1, "{q}");
    }
    let again = arrow.ingest_paths(&[b.clone(), a, bib], &opts, &Quiet).unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 5), "{again:?}");
    assert_eq!(arrow.stats().unwrap().works, 5);
    // Corrected since: the paper under a suffix keeps it, as does one whose DOI alone changed.
    std::fs::write(&b, "TY  - JOUR\nID  - 1\nTI  - Beta papers about giraffes\nAU  - Jones, Bob\nPY  - 2013\nER  - \n")
        .unwrap();
    let doi = |d: &str| {
        format!("@article{{lee2015, title={{Deep learning}}, author={{Lee, Kim}}, year={{2015}}, doi={{{d}}}}}\n")
    };
    let c = file("c.bib", &doi("10.1038/nature1453x"));
    let fixed = arrow.ingest_paths(&[b, c.clone()], &opts, &Quiet).unwrap();
    assert_eq!((fixed.added, fixed.updated, fixed.warnings.len()), (1, 1, 0), "{fixed:?}");
    std::fs::write(&c, doi("10.1038/nature14539")).unwrap();
    let fixed = arrow.ingest_paths(&[c], &opts, &Quiet).unwrap();
    assert_eq!((fixed.added, fixed.updated, fixed.warnings.len()), (0, 1, 0), "{fixed:?}");
    assert_eq!(arrow.stats().unwrap().works, 6);
}

/// A re-import with `--delete-missing` drops what a source no longer lists; BibTeX keys and RIS ids name entries
/// of one file, so such records (read from BibTeX, or converted to JSON lines) are stored and nothing is deleted.
#[test]
fn delete_missing_deletes_nothing_when_records_have_ids_of_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    let lab = dir.path().join("lab.bib");
    std::fs::write(&lab, "@article{jones2001, title={Tapirs at dusk}, author={Jones, Ann}, year={2001}}\n").unwrap();
    arrow.ingest_paths(&[BIB.into(), lab.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    let other = dir.path().join("other.bib");
    std::fs::write(&other, "@article{key1, title={Okapis in the wild}, author={Lee, Carl}, year={2001}}\n").unwrap();
    let converted = dir.path().join("other.jsonl");
    let line = r#"{"id":"bibtex:key2","title":"Okapis at noon","authors":["Carl Lee"],"year":2002,"source":"bibtex"}"#;
    std::fs::write(&converted, format!("{line}\n")).unwrap();
    let opts = IngestOptions { delete_missing: true, ..IngestOptions::default() };
    for file in [&other, &converted] {
        let err = arrow.ingest_paths(&[file.display().to_string()], &opts, &Quiet).unwrap_err().to_string();
        assert!(err.contains("--delete-missing") && err.contains("nothing was deleted"), "{err}");
    }
    assert_eq!(arrow.stats().unwrap().works, 4, "the earlier files' works stay; the records read were stored");
    assert!(arrow.work("bibtex:jones2001").unwrap().is_some());
}

/// Writes `lines` as the file `name` in `dir`; its path.
fn write_lines(dir: &std::path::Path, name: &str, lines: &[&str]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    p.display().to_string()
}

/// Regressions (a new-user test): another file of the same format is another collection, and a file cut short is
/// not a full re-import, even when its bad records are skipped.
#[test]
fn delete_missing_drops_only_what_the_file_read_held_and_nothing_when_records_were_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    let file = |name: &str, lines: &[&str]| write_lines(dir.path(), name, lines);
    let dblp = file("dblp.jsonl", &[r#"{"id":"dblp:a","title":"Alpha"}"#, r#"{"id":"dblp:b","title":"Beta"}"#]);
    let acl = file("acl.jsonl", &[r#"{"id":"acl:c","title":"Gamma"}"#, r#"{"id":"acl:d","title":"Delta"}"#]);
    arrow.ingest_paths(&[dblp, acl], &IngestOptions::default(), &Quiet).unwrap();
    let opts = IngestOptions { delete_missing: true, ..Default::default() };
    let acl = file("acl.jsonl", &[r#"{"id":"acl:c","title":"Gamma"}"#]);
    let r = arrow.ingest_paths(std::slice::from_ref(&acl), &opts, &Quiet).unwrap();
    assert_eq!(r.deleted, 1);
    assert!(arrow.work("acl:d").unwrap().is_none());
    assert!(arrow.work("dblp:a").unwrap().is_some() && arrow.work("dblp:b").unwrap().is_some(), "another file's");
    assert!(r.warnings.iter().any(|w| w.contains("left 2 records")), "{:?}", r.warnings);

    let cut = file("dblp.jsonl", &[r#"{"id":"dblp:a","title":"Alpha"}"#, r#"{"id":"dblp:b","#]);
    let opts = IngestOptions { delete_missing: true, skip_bad: true, ..Default::default() };
    let err = arrow.ingest_paths(&[cut], &opts, &Quiet).unwrap_err().to_string();
    assert!(err.contains("nothing was deleted") && err.contains("dblp.jsonl:2"), "{err}");
    assert!(arrow.work("dblp:b").unwrap().is_some());
    assert_eq!(arrow.stats().unwrap().works, 3);
}

/// Regressions (a review): a record now read from another file is that file's, even unchanged; JSON lines of
/// DBLP records are files like any other (only a DBLP XML file is all of DBLP); a stream has no name to go by.
#[test]
fn delete_missing_goes_by_the_file_a_record_was_last_read_from() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    let file = |name: &str, lines: &[&str]| write_lines(dir.path(), name, lines);
    let (one, two, three) = (
        r#"{"id":"dblp:x/1","title":"One","source":"dblp"}"#,
        r#"{"id":"dblp:x/2","title":"Two","source":"dblp"}"#,
        r#"{"id":"dblp:x/3","title":"Three","source":"dblp"}"#,
    );
    let a = file("a.jsonl", &[one, two]);
    arrow.ingest_paths(&[a], &IngestOptions::default(), &Quiet).unwrap();
    let b = file("b.jsonl", &[two, three]);
    let r = arrow.ingest_paths(&[b], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!((r.unchanged, r.added), (1, 1), "moving to another file is no change of content");
    let a = file("a.jsonl", &[one]);
    let opts = IngestOptions { delete_missing: true, ..Default::default() };
    let r = arrow.ingest_paths(&[a], &opts, &Quiet).unwrap();
    assert_eq!(r.deleted, 0, "two is b.jsonl's now");
    assert_eq!(arrow.stats().unwrap().works, 3);

    let err = arrow.ingest_paths(&["-".to_string()], &opts, &Quiet).unwrap_err().to_string();
    assert!(err.contains("save it as a file"), "{err}");
}

/// A record of no noted file (stored by an older Arrow, or handed over as records) may be another file's: it stays.
#[test]
fn delete_missing_keeps_records_of_no_noted_file() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    let lines = "{\"id\":\"x:1\",\"title\":\"Kept\"}\n{\"id\":\"x:2\",\"title\":\"Unnamed\"}\n";
    let records = arrow_ingest::parse_reader(arrow_ingest::Format::Jsonl, "older", lines.as_bytes()).unwrap();
    arrow.ingest_records(records, &IngestOptions::default(), &Quiet).unwrap();
    let file = dir.path().join("older.jsonl");
    std::fs::write(&file, "{\"id\":\"x:1\",\"title\":\"Kept\"}\n").unwrap();
    let opts = IngestOptions { delete_missing: true, ..Default::default() };
    let r = arrow.ingest_paths(&[file.display().to_string()], &opts, &Quiet).unwrap();
    assert_eq!(r.deleted, 0);
    assert!(arrow.work("x:2").unwrap().is_some());
    assert!(r.warnings.iter().any(|w| w.contains("left 1 records")), "{:?}", r.warnings);
}
