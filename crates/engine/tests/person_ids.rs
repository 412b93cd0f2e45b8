//! Person ids follow their people from one full run to the next.

use arrow_engine::{Arrow, IngestOptions};

struct Quiet;
impl arrow_engine::Progress for Quiet {}

fn ingest(arrow: &Arrow, dir: &std::path::Path, lines: &[&str]) {
    let file = dir.join("w.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    arrow.ingest_paths(&[file.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
}

fn ids(arrow: &Arrow, name: &str) -> Vec<String> {
    arrow.people_named(name).unwrap().into_iter().map(|p| p.id).collect()
}

#[test]
fn a_person_keeps_its_id_when_its_earliest_paper_goes_to_someone_else() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(&dir.path().join("data")).unwrap();
    let paper = |id: &str, name: &str, title: &str, year: u32| {
        format!(r#"{{"id":"{id}","title":"{title}","authors":["{name}","Ann Lee"],"venue":"Geoderma","year":{year}}}"#)
    };
    let first = [
        paper("x:1", "Maria Garcia", "Soil carbon in dry forests", 2010),
        paper("x:2", "Maria Garcia", "Soil nitrogen in dry forests", 2011),
        paper("x:3", "Maria Garcia", "Soil water in dry forests", 2012),
        paper("x:4", "Maria Garcia", "Soil fungi in dry forests", 2013),
    ];
    ingest(&arrow, dir.path(), &first.iter().map(String::as_str).collect::<Vec<_>>());
    arrow.disambiguate().unwrap();
    let before = ids(&arrow, "Maria Garcia");
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0], arrow_disambig::person_id("x:1", 1), "named after the earliest mention");
    // The source corrects the earliest paper: another person wrote it.
    ingest(&arrow, dir.path(), &[&paper("x:1", "Mario Garcia", "Soil carbon in dry forests", 2010)]);
    arrow.disambiguate().unwrap();
    assert_eq!(ids(&arrow, "Maria Garcia"), before, "the three papers left are still the same person");
    let mario = ids(&arrow, "Mario Garcia");
    assert_eq!(mario.len(), 1);
    assert_ne!(mario[0], before[0], "the earliest paper's new author does not take the id");
    let profile = arrow.person(&before[0]).unwrap().unwrap();
    assert_eq!(profile.works.len(), 3);
}
