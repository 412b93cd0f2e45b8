//! DBLP person records: idempotent upserts by key, removal by a full re-import, and how name clusters count
//! them as author rows.

use arrow_model::{Authorship, Provenance, Work};
use arrow_store::{DblpPerson, Outcome, Store};

fn person(key: &str, names: &[&str], orcid: Option<&str>) -> DblpPerson {
    DblpPerson {
        key: key.into(),
        names: names.iter().map(|n| n.to_string()).collect(),
        orcid: orcid.map(str::to_string),
        urls: vec![format!("https://dblp.org/pid/{key}")],
    }
}

/// A one-author work of `source`, the author with an optional source id.
fn work(source: &str, id: &str, author: &str, author_id: Option<&str>) -> Work {
    let mut w = Work::new(format!("{source}:{id}"), format!("Title {id}"));
    w.authors = vec![Authorship { source_id: author_id.map(str::to_string), ..Authorship::at(1, author) }];
    w.provenance = vec![Provenance { source: source.into(), record_id: id.into(), ingested_at: 0, file: None }];
    w
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    (dir, store)
}

#[test]
fn upserts_are_idempotent_by_key_and_replace_the_names() {
    let (_dir, mut store) = open();
    let cerf = person("homepages/c/VintonGCerf", &["Vinton G. Cerf", "Vint Cerf"], None);
    let mut b = store.batch().unwrap();
    assert_eq!(b.upsert_dblp_person(&cerf).unwrap(), Outcome::Added);
    assert_eq!(b.upsert_dblp_person(&cerf).unwrap(), Outcome::Unchanged);
    let seq = b.commit().unwrap();
    let mut b = store.batch().unwrap();
    assert_eq!(b.upsert_dblp_person(&cerf).unwrap(), Outcome::Unchanged);
    assert_eq!(b.commit().unwrap(), seq, "person records do not touch the works' change sequence");
    assert_eq!(store.dblp_person_count().unwrap(), 1);
    assert_eq!(store.dblp_person_with_name("Vint Cerf").unwrap(), Some(cerf.clone()));
    assert_eq!(store.dblp_persons_named("VINT CERF").unwrap(), std::slice::from_ref(&cerf));

    let renamed = person("homepages/c/VintonGCerf", &["Vinton G. Cerf", "V. Cerf"], Some("orcid:0000-0001"));
    let mut b = store.batch().unwrap();
    assert_eq!(b.upsert_dblp_person(&renamed).unwrap(), Outcome::Updated);
    b.commit().unwrap();
    assert_eq!(store.dblp_person_count().unwrap(), 1);
    assert_eq!(store.dblp_person_with_name("Vint Cerf").unwrap(), None, "a dropped alias is gone");
    assert_eq!(store.dblp_person_with_name("V. Cerf").unwrap(), Some(renamed.clone()));
    assert_eq!(store.dblp_person("homepages/c/VintonGCerf").unwrap(), Some(renamed));
    // Exact written names only: a case variant is not the person's name.
    assert_eq!(store.dblp_person_with_name("vinton g. cerf").unwrap(), None);
}

#[test]
fn a_full_reimport_removes_person_records_no_longer_there_and_only_then() {
    let (_dir, mut store) = open();
    let a = person("homepages/a/A", &["Ann A"], None);
    let b_ = person("homepages/b/B", &["Bob B"], None);
    let mut b = store.batch().unwrap();
    b.upsert_dblp_person(&a).unwrap();
    b.upsert_dblp_person(&b_).unwrap();
    b.commit().unwrap();

    // A re-import of works alone (no person record seen) keeps the persons.
    store.begin_seen().unwrap();
    let mut b = store.batch().unwrap();
    let w = work("dblp", "conf/x/1", "Ann A", None);
    b.upsert(&w).unwrap();
    b.mark_seen(&w).unwrap();
    b.commit().unwrap();
    assert_eq!(store.delete_unseen().unwrap().dblp_persons, 0);
    assert_eq!(store.dblp_person_count().unwrap(), 2);

    store.begin_seen().unwrap();
    let mut b = store.batch().unwrap();
    b.upsert_dblp_person(&a).unwrap();
    b.mark_dblp_person_seen(&a.key).unwrap();
    b.mark_seen(&w).unwrap();
    b.commit().unwrap();
    let removed = store.delete_unseen().unwrap();
    assert_eq!((removed.dblp_persons, removed.changes.len()), (1, 0));
    assert_eq!(store.dblp_person("homepages/b/B").unwrap(), None);
    assert_eq!(store.dblp_person_with_name("Bob B").unwrap(), None);
    assert_eq!(store.dblp_person("homepages/a/A").unwrap(), Some(a));
}

#[test]
fn a_person_record_is_one_author_row_with_the_authorships_it_accounts_for() {
    let (_dir, mut store) = open();
    let mut b = store.batch().unwrap();
    b.upsert(&work("dblp", "j/Stamp04", "Mark Stamp", Some("orcid:0000-0002-3803-8368"))).unwrap();
    b.upsert(&work("dblp", "j/Stamp05", "Mark Stamp", None)).unwrap();
    b.upsert(&work("jsonl", "s1", "Mark Stamp", None)).unwrap();
    b.upsert(&work("openalex", "W1", "Mark Stamp", Some("openalex:A1"))).unwrap();
    b.upsert(&work("crossref", "c1", "Mark Stamp", Some("orcid:0000-0002-3803-8368"))).unwrap();
    b.upsert(&work("jsonl", "s2", "MARK STAMP", None)).unwrap();
    b.commit().unwrap();
    // Without person records: the ORCID, the OpenAlex author, and two written forms without an id.
    let c = store.name_cluster("mark stamp").unwrap();
    assert_eq!((c.works.len(), c.author_rows), (6, 4));
    assert!(c.also_published_as.is_empty() && c.dblp_persons.is_empty());

    let stamp = person("homepages/s/MarkStamp", &["Mark Stamp", "Mark P. Stamp"], Some("orcid:0000-0002-3803-8368"));
    let mut b = store.batch().unwrap();
    b.upsert_dblp_person(&stamp).unwrap();
    b.upsert_dblp_person(&person("homepages/o/Other", &["Other Name"], None)).unwrap();
    b.commit().unwrap();
    // The person takes in its ORCID and the "Mark Stamp" mentions without an id; the OpenAlex author and
    // the case variant stay rows of their own.
    let c = store.name_cluster("Mark Stamp").unwrap();
    assert_eq!(c.author_rows, 3);
    assert_eq!(c.also_published_as, ["Mark P. Stamp"]);
    assert_eq!(c.dblp_persons, std::slice::from_ref(&stamp));
    // Asked by the alias, the primary name is the other name; the person counts without any work.
    let c = store.name_cluster("mark p. stamp").unwrap();
    assert_eq!((c.works.len(), c.author_rows), (0, 1));
    assert_eq!(c.also_published_as, ["Mark Stamp"]);

    // A DBLP authorship with a name of the person belongs to it whatever other id it carries.
    let mut b = store.batch().unwrap();
    b.upsert(&work("dblp", "j/Stamp06", "Mark Stamp", Some("orcid:0000-0009-9999-9999"))).unwrap();
    b.upsert(&work("crossref", "c2", "Mark Stamp", Some("orcid:0000-0009-9999-9999"))).unwrap();
    b.commit().unwrap();
    assert_eq!(store.name_cluster("Mark Stamp").unwrap().author_rows, 4, "only the Crossref ORCID is new");
}
