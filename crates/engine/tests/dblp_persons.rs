//! DBLP person records through the engine: stored once, removed by a full re-import, counted by name
//! clusters, and linking a person's aliases in author disambiguation.

use arrow_engine::{Arrow, IngestOptions, MentionRef, Progress};

struct Quiet;
impl Progress for Quiet {}

/// Real CACM articles with person records (see the fixture directory's README).
const PERSONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/tests/fixtures/dblp-xml/persons.xml");

fn ingest(arrow: &Arrow, path: &str, delete_missing: bool) -> arrow_engine::IngestReport {
    arrow.ingest_paths(&[path.to_string()], &IngestOptions { delete_missing, ..Default::default() }, &Quiet).unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn person_records_are_stored_once_and_are_author_rows_of_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(&dir.path().join("data")).unwrap();
    let r = ingest(&arrow, PERSONS, false);
    assert_eq!((r.added, r.persons, r.persons_changed), (3, 3, 3));
    let again = ingest(&arrow, PERSONS, false);
    assert_eq!((again.unchanged, again.persons, again.persons_changed), (3, 3, 0), "a second ingest changes nothing");

    let cerf = arrow.name_cluster("vinton g. cerf").unwrap();
    assert_eq!((cerf.works.len(), cerf.author_rows), (2, 1));
    assert_eq!(cerf.also_published_as, ["Vint Cerf"]);
    assert_eq!(cerf.dblp_persons[0].key, "homepages/c/VintonGCerf");
    let alias = arrow.name_cluster("Vint Cerf").unwrap();
    assert_eq!((alias.works.len(), alias.author_rows), (0, 1));
    assert_eq!(alias.also_published_as, ["Vinton G. Cerf"]);

    // The DBLP article carries his ORCID; another source's record of his without any id is the same row.
    let other =
        write(&dir, "other.jsonl", "{\"id\":\"x:1\",\"title\":\"Computer Security\",\"authors\":[\"Mark Stamp\"]}\n");
    ingest(&arrow, &other, false);
    let stamp = arrow.name_cluster("Mark Stamp").unwrap();
    assert_eq!((stamp.works.len(), stamp.author_rows), (2, 1));
    assert_eq!(stamp.dblp_persons[0].orcid.as_deref(), Some("orcid:0000-0002-3803-8368"));
    assert!(stamp.also_published_as.is_empty());
}

#[test]
fn a_full_reimport_drops_a_person_record_the_file_no_longer_has() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(&dir.path().join("data")).unwrap();
    ingest(&arrow, PERSONS, true);
    assert_eq!(arrow.name_cluster("Joaquín Peña Siles").unwrap().dblp_persons.len(), 1);
    let text = String::from_utf8_lossy(&std::fs::read(PERSONS).unwrap()).into_owned();
    let start = text.find("<www mdate=\"2023-03-01\" key=\"homepages/p/JoaquinPena\">").unwrap();
    let end = start + text[start..].find("</www>\n").unwrap() + "</www>\n".len();
    let fewer = write(&dir, "fewer.xml", &format!("{}{}", &text[..start], &text[end..]));
    let r = ingest(&arrow, &fewer, true);
    assert_eq!((r.persons, r.persons_deleted, r.deleted, r.unchanged), (2, 1, 0, 3));
    assert!(arrow.name_cluster("Joaquín Peña Siles").unwrap().dblp_persons.is_empty());
    assert_eq!(arrow.name_cluster("Vint Cerf").unwrap().dblp_persons.len(), 1);
}

#[test]
fn aliases_of_one_person_record_are_one_person_whatever_the_order_of_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(&dir.path().join("data")).unwrap();
    // Two works under two names, nothing else in common: different venues, decades apart, no coauthors.
    let works = write(
        &dir,
        "works.xml",
        "<?xml version=\"1.0\"?>\n<dblp>\n\
         <article key=\"journals/cacm/Cerf14\"><author>Vinton G. Cerf</author><title>Virtual reality redux.</title>\
         <journal>Commun. ACM</journal><year>2014</year></article>\n\
         <inproceedings key=\"conf/sigcomm/Cerf88\"><author>Vint Cerf</author><title>Internetworking protocols.</title>\
         <booktitle>SIGCOMM</booktitle><year>1988</year></inproceedings>\n</dblp>\n",
    );
    ingest(&arrow, &works, false);
    arrow.disambiguate().unwrap();
    let people = |name: &str| arrow.people_named(name).unwrap().into_iter().map(|p| p.id).collect::<Vec<_>>();
    assert_ne!(people("Vinton G. Cerf"), people("Vint Cerf"), "without the person record, two people");

    // The person record comes after the works (in the real dump they are interleaved).
    let persons = write(
        &dir,
        "persons.xml",
        "<?xml version=\"1.0\"?>\n<dblp>\n<www key=\"homepages/c/VintonGCerf\"><author>Vinton G. Cerf</author>\
         <author>Vint Cerf</author><title>Home Page</title></www>\n</dblp>\n",
    );
    ingest(&arrow, &persons, false);
    arrow.disambiguate().unwrap();
    let one = people("Vinton G. Cerf");
    assert_eq!(one.len(), 1);
    assert_eq!(one, people("Vint Cerf"), "the aliases link through the person record");
    let variants: Vec<String> = arrow.person(&one[0]).unwrap().unwrap().variants.into_iter().map(|v| v.0).collect();
    assert_eq!(variants.len(), 2, "{variants:?}");
    let a: MentionRef = "dblp:journals/cacm/Cerf14#1".parse().unwrap();
    let b: MentionRef = "dblp:conf/sigcomm/Cerf88#1".parse().unwrap();
    let why = arrow.explain(&a, &b).unwrap().unwrap();
    assert_eq!(why.constraint, Some(arrow_disambig::Constraint::SameSourceId));
    assert_eq!(why.same_person, Some(true));

    // A later DBLP work under the alias, sharing nothing else, joins the person incrementally (no re-run).
    let later = write(
        &dir,
        "later.xml",
        "<?xml version=\"1.0\"?>\n<dblp>\n<article key=\"journals/ieee/Cerf20\"><author>Vint Cerf</author>\
         <title>Interplanetary networking.</title><journal>IEEE Spectr.</journal><year>2020</year></article>\n</dblp>\n",
    );
    let r = ingest(&arrow, &later, false);
    assert_eq!((r.added, r.joined_people, r.new_people), (1, 1, 0));
    assert_eq!(people("Vint Cerf"), one);
}
