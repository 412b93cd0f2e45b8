//! Incremental author assignment on the demo corpus: after `disambiguate`, ingested works join existing people or
//! start new ones, and nobody else's person changes.

use arrow_engine::{Arrow, IngestOptions, IngestReport, MentionRef};
use std::collections::BTreeMap;

struct Quiet;
impl arrow_engine::Progress for Quiet {}

fn demo() -> (tempfile::TempDir, Arrow) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(&dir.path().join("data")).unwrap();
    arrow.load_demo().unwrap();
    (dir, arrow)
}

fn ingest(arrow: &Arrow, dir: &tempfile::TempDir, name: &str, lines: &[&str]) -> IngestReport {
    let path = dir.path().join(name);
    std::fs::write(&path, lines.join("\n")).unwrap();
    arrow.ingest_paths(&[path.display().to_string()], &IngestOptions::default(), &Quiet).unwrap()
}

/// The person of every stored authorship with a known place, by (work id, position).
fn people(arrow: &Arrow) -> BTreeMap<(String, u32), Option<String>> {
    let mut refs = Vec::new();
    arrow
        .for_each_work(|w| {
            // Authors of unknown place cannot be named by position.
            for position in w.authors.iter().filter_map(|a| a.position) {
                refs.push(MentionRef { work: w.id.0.clone(), position });
            }
        })
        .unwrap();
    let persons = arrow.people_of(&refs).unwrap();
    refs.into_iter().map(|r| (r.work, r.position)).zip(persons).collect()
}

const RE_PAPER: &str = r#"{"id":"test:re-new","title":"Long convolutions for efficient language model inference","year":2025,"venue":"NeurIPS","authors":["Daniel Y. Fu","Tri Dao","Albert Gu","Christopher Ré"]}"#;
const HOMONYM: &str = r#"{"id":"test:re-homonym","title":"Ceramic glazes of medieval Burgundy","year":1978,"venue":"Revue d'archéologie","authors":["Jeanne Martin","Christopher Ré"]}"#;

#[test]
fn a_new_paper_joins_its_author_and_a_homonym_sharing_nothing_does_not() {
    let (dir, arrow) = demo();
    let before_disambiguation = ingest(&arrow, &dir, "early.jsonl", &[RE_PAPER]);
    assert_eq!(before_disambiguation.joined_people + before_disambiguation.new_people, 0, "no people yet");
    arrow.delete(&["test:re-new".to_string()]).unwrap();
    arrow.disambiguate().unwrap();
    let ré = arrow.people_named("Christopher Ré").unwrap();
    assert_eq!(ré.len(), 1);
    let before = people(&arrow);

    let report = ingest(&arrow, &dir, "new.jsonl", &[RE_PAPER]);
    assert_eq!(report.added, 1);
    assert_eq!(report.joined_people + report.new_people, 4);
    assert!(report.joined_people >= 3, "Ré and his usual coauthors are known: {report:?}");
    let after = people(&arrow);
    assert_eq!(after[&("test:re-new".to_string(), 4)].as_deref(), Some(ré[0].id.as_str()));
    for (k, p) in &before {
        assert_eq!(&after[k], p, "{k:?} kept its person");
    }

    let report = ingest(&arrow, &dir, "homonym.jsonl", &[HOMONYM]);
    assert_eq!((report.joined_people, report.new_people), (0, 2), "{report:?}");
    let homonym = people(&arrow)[&("test:re-homonym".to_string(), 2)].clone().unwrap();
    assert_ne!(homonym, ré[0].id);
    let named = arrow.people_named("Christopher Ré").unwrap();
    assert_eq!(named.len(), 2, "{named:?}");
    assert_eq!(arrow.person(&homonym).unwrap().unwrap().works.len(), 1);

    // The same file again changes nothing.
    let snapshot = people(&arrow);
    let again = ingest(&arrow, &dir, "again.jsonl", &[RE_PAPER, HOMONYM]);
    assert_eq!((again.unchanged, again.joined_people, again.new_people), (2, 0, 0));
    assert_eq!(people(&arrow), snapshot);
}

#[test]
fn a_changed_work_is_assigned_again_and_a_deleted_one_leaves_its_person() {
    let (dir, arrow) = demo();
    arrow.disambiguate().unwrap();
    ingest(&arrow, &dir, "new.jsonl", &[RE_PAPER]);
    let ré = arrow.people_named("Christopher Ré").unwrap()[0].id.clone();
    let works = arrow.person(&ré).unwrap().unwrap().works.len();
    // Ré moves from the 4th to the 1st place: the stale (work, slot) rows must not keep the old names' people.
    let changed = RE_PAPER.replace(
        r#"["Daniel Y. Fu","Tri Dao","Albert Gu","Christopher Ré"]"#,
        r#"["Christopher Ré","Daniel Y. Fu","Tri Dao","Albert Gu"]"#,
    );
    let report = ingest(&arrow, &dir, "changed.jsonl", &[&changed]);
    assert_eq!((report.updated, report.joined_people + report.new_people), (1, 4), "{report:?}");
    let after = people(&arrow);
    assert_eq!(after[&("test:re-new".to_string(), 1)].as_deref(), Some(ré.as_str()));
    assert_ne!(after[&("test:re-new".to_string(), 4)].as_deref(), Some(ré.as_str()));
    assert_eq!(arrow.person(&ré).unwrap().unwrap().works.len(), works);
    arrow.delete(&["test:re-new".to_string()]).unwrap();
    assert_eq!(arrow.person(&ré).unwrap().unwrap().works.len(), works - 1);
}

#[test]
fn replaying_assignment_leaves_the_data_as_it_was() {
    let (_dir, arrow) = demo();
    assert!(arrow.replay_assignment(10, 7).unwrap().is_none(), "nothing to replay before disambiguation");
    arrow.disambiguate().unwrap();
    let before = people(&arrow);
    let r = arrow.replay_assignment(20, 7).unwrap().unwrap();
    assert_eq!((r.works, r.millis.len()), (20, 20));
    assert!(r.mentions >= 20 && r.same_person <= r.mentions);
    assert!(r.same_person * 10 >= r.mentions * 8, "most mentions go back where the batch run put them: {r:?}");
    assert_eq!(people(&arrow), before);
}

/// A new paper of a rare name that shares nothing with its other papers joins the person holding the name, as a
/// full run joins the clusters of a rare name; a common name sharing nothing still starts a new person. Real ACL
/// records (thousands of surnames, enough to judge rarity). A rare name written otherwise, in another block, joins
/// its person too.
#[test]
fn a_rare_name_joins_its_person_without_shared_evidence_and_a_common_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(&dir.path().join("data")).unwrap();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/acl-variants.jsonl.xz");
    arrow.ingest_paths(&[fixture.to_string()], &IngestOptions::default(), &Quiet).unwrap();
    arrow.disambiguate().unwrap();
    let doshita = arrow.people_named("Shuji Doshita").unwrap();
    assert_eq!(doshita.len(), 1, "{doshita:?}");
    let liu = arrow.people_named("Yang Liu").unwrap().len();
    assert!(liu > 1, "Yang Liu is several people in the fixture");
    let before = people(&arrow);
    let line = |id: &str, name: &str| {
        format!(
            r#"{{"id":"test:{id}","title":"Ceramic glazes of medieval {id}","year":2031,"venue":"Revue d'archéologie","authors":["Zebedee {id}","{name}"]}}"#
        )
    };
    // Stored only as "Joern Wuebker" and "Taylor Berg-Kirkpatrick".
    let wuebker = arrow.people_named("Joern Wuebker").unwrap();
    let berg = arrow.people_named("Taylor Berg-Kirkpatrick").unwrap();
    assert_eq!((wuebker.len(), berg.len()), (1, 1));
    assert!(
        arrow.people_named("Jörn Wübker").unwrap().is_empty() && arrow.people_named("Taylor Berg").unwrap().is_empty()
    );
    // Rare names written otherwise join their person, as a run would: a hyphenated double surname written nowhere
    // ("Doshita-Yamada"), umlauts where the store has "oe" and "ue", a double surname without its second part.
    let lines = [
        line("rare", "Shuji DOSHITA"),
        line("common", "Yang Liu"),
        line("double", "Shuji Doshita-Yamada"),
        line("umlaut", "Jörn Wübker"),
        line("short", "Taylor Berg"),
    ];
    let report = ingest(&arrow, &dir, "rare.jsonl", &lines.iter().map(String::as_str).collect::<Vec<_>>());
    let counts = (report.joined_people, report.joined_on_rare_name, report.joined_on_reading, report.new_people);
    assert_eq!(counts, (4, 1, 3, 6), "{report:?}");
    let after = people(&arrow);
    assert_eq!(after[&("test:rare".to_string(), 2)].as_deref(), Some(doshita[0].id.as_str()));
    assert_eq!(after[&("test:double".to_string(), 2)].as_deref(), Some(doshita[0].id.as_str()));
    assert_eq!(after[&("test:umlaut".to_string(), 2)].as_deref(), Some(wuebker[0].id.as_str()));
    assert_eq!(after[&("test:short".to_string(), 2)].as_deref(), Some(berg[0].id.as_str()));
    assert_eq!(arrow.people_named("Yang Liu").unwrap().len(), liu + 1, "a common name needs evidence");
    for (k, p) in &before {
        assert_eq!(&after[k], p, "{k:?} kept its person");
    }
}

/// An ingest of many works into a disambiguated store places the first ones one at a time, then runs
/// disambiguation once for all (one at a time took an hour for a 700,000-work file into 745,000 works).
#[test]
fn a_large_ingest_runs_disambiguation_once_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = arrow_engine::Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let file = dir.path().join("more.jsonl");
    let lines: Vec<String> = (0..5)
        .map(|i| {
            format!(
                r#"{{"id":"t:{i}","title":"Sampling paper {i}","year":2016,"venue":"NeurIPS","authors":[{{"name":"Ce Zhang","position":1}},{{"name":"Christopher Ré","position":2}}]}}"#
            )
        })
        .collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let opts = arrow_engine::IngestOptions { batch_size: 1, place_people_up_to: 2, ..Default::default() };
    let report = arrow.ingest_paths(&[file.display().to_string()], &opts, &Quiet).unwrap();
    assert_eq!(report.added, 5);
    let people = report.people_rerun.expect("a full run at the end");
    assert!(people > 0);
    let mentions: Vec<arrow_engine::MentionRef> =
        (0..5).flat_map(|i| (1..=2).map(move |p| format!("t:{i}#{p}").parse().unwrap())).collect();
    let placed = arrow.people_of(&mentions).unwrap();
    assert!(placed.iter().all(Option::is_some), "every new mention has a person: {placed:?}");
    let re = &placed[1];
    assert!(placed.iter().skip(1).step_by(2).all(|p| p == re), "one Christopher Ré: {placed:?}");
}

/// Regressions (a review): the works of a large ingest that stops at a bad record still get their people, and
/// the count that stops placing one at a time runs across the ingest's files.
#[test]
fn a_large_ingest_places_its_people_even_when_it_stops_early_and_counts_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = arrow_engine::Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let work = |i: usize| {
        format!(r#"{{"id":"t:{i}","title":"Sampling paper {i}","year":2016,"authors":["Ce Zhang","Christopher Ré"]}}"#)
    };
    let write = |name: &str, lines: Vec<String>| {
        let p = dir.path().join(name);
        std::fs::write(&p, lines.join("\n")).unwrap();
        p.display().to_string()
    };
    let bad = write("bad.jsonl", vec![work(0), work(1), work(2), work(3), "{\"id\":".into()]);
    let opts = arrow_engine::IngestOptions { batch_size: 1, place_people_up_to: 2, ..Default::default() };
    assert!(arrow.ingest_paths(&[bad], &opts, &Quiet).is_err());
    let mentions: Vec<arrow_engine::MentionRef> = (0..4).map(|i| format!("t:{i}#1").parse().unwrap()).collect();
    assert!(arrow.people_of(&mentions).unwrap().iter().all(Option::is_some), "placed though the ingest failed");

    let (a, b) = (write("a.jsonl", vec![work(10), work(11)]), write("b.jsonl", vec![work(12), work(13)]));
    let opts = arrow_engine::IngestOptions { place_people_up_to: 3, ..Default::default() };
    let report = arrow.ingest_paths(&[a, b], &opts, &Quiet).unwrap();
    assert!(report.people_rerun.is_some(), "4 works in two files of 2: {report:?}");
}

/// An ingest killed between storing works without their people (too many to place one at a time) and the full run
/// that places them: the store says so, `check` reports it, and the next ingest runs it (before, its works stayed
/// without people until someone ran `arrow disambiguate`, and re-ingesting them changed nothing).
#[test]
fn works_an_interrupted_ingest_left_without_people_are_placed_by_the_next_ingest() {
    let (dir, arrow) = demo();
    arrow.disambiguate().unwrap();
    drop(arrow);
    {
        let line = r#"{"id":"x:killed","title":"Stored Before the Kill","authors":["Christopher Ré","Zebulon Quux"]}"#;
        let work = arrow_ingest::parse_reader(arrow_ingest::Format::Jsonl, "k", line.as_bytes())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .work;
        let mut store = arrow_store::Store::open(&dir.path().join("data/arrow.sqlite")).unwrap();
        let mut batch = store.batch().unwrap();
        batch.upsert(&work).unwrap();
        batch.note_people_pending().unwrap();
        batch.commit().unwrap();
    }
    let arrow = Arrow::open(&dir.path().join("data")).unwrap();
    assert!(arrow.check().unwrap().people_pending);
    assert_eq!(arrow.people_of_work("x:killed").unwrap(), [None, None]);
    let report =
        ingest(&arrow, &dir, "next.jsonl", &[r#"{"id":"x:next","title":"Unrelated","authors":["Ada Lovelace"]}"#]);
    assert!(report.people_rerun.is_some(), "{report:?}");
    assert!(arrow.people_of_work("x:killed").unwrap().iter().all(Option::is_some));
    assert!(arrow.people_of_work("x:next").unwrap().iter().all(Option::is_some));
    assert!(!arrow.check().unwrap().people_pending);
    // Placed, the next ingest places its works one at a time again.
    let report =
        ingest(&arrow, &dir, "later.jsonl", &[r#"{"id":"x:later","title":"Later","authors":["Ada Lovelace"]}"#]);
    assert!(report.people_rerun.is_none(), "{report:?}");
}

/// A paper of a physics collaboration: every author gets a person, each listing only its nearest coauthors (every
/// author against every other made placing one 3,000-author paper take a minute).
#[test]
fn a_paper_of_hundreds_of_authors_places_each_of_them() {
    let (dir, arrow) = demo();
    arrow.disambiguate().unwrap();
    let authors: Vec<String> = (0..400).map(|i| format!("\"Given{i} Family{i}\"")).collect();
    let line = format!(r#"{{"id":"x:atlas","title":"Observation of a New Boson","authors":[{}]}}"#, authors.join(","));
    let report = ingest(&arrow, &dir, "atlas.jsonl", &[&line]);
    assert_eq!(report.new_people, 400, "{report:?}");
    let people = arrow.people_of_work("x:atlas").unwrap();
    assert_eq!(people.iter().flatten().collect::<std::collections::HashSet<_>>().len(), 400);
}
