//! Curations made after a paper arrived on a split-off person (see `arrivals.rs`): a merge or a claim of that
//! person takes the paper along, an undone merge gives it back, a merge of the split-off person before the paper
//! arrived takes it where the split side went, and a split of a split side is weighed with the others.

use arrow_engine::{Arrow, Correction, IngestOptions, Progress};

struct Quiet;
impl Progress for Quiet {}

const SEED: &str = "seed:neurips-";
const GROUP_TESTING: &str = "2014-parallel-feature-selection-inspired-by-group-testing#3";
const TAMING: &str = "2015-taming-the-wild-a-unified-analysis-of-hogwild-style-algorithms#2";
const RAPIDLY_MIXING: &str = "2015-rapidly-mixing-gibbs-sampling-for-a-class-of-factor-graphs-using-hierarchy-width#2";
const CYCLADES: &str = "2016-cyclades-conflict-free-asynchronous-machine-learning#5";
const AIOLI_CHO: &str = "seed:iclr-2025-aioli-a-unified-optimization-framework-for-language-model-data-mixing#4";

const SPLIT_SIDE: &str = r#"{"id":"test:group-testing-2015","title":"Group testing for feature selection at scale","year":2015,"venue":"NeurIPS","authors":[{"name":"Yingbo Zhou","position":1},{"name":"Ce Zhang","position":2},{"name":"Hung Ngo","position":3},{"name":"Venu Govindaraju","position":4}]}"#;
const CHO_PAPER: &str = r#"{"id":"test:cho-2025","title":"Data mixing laws for language model pretraining","year":2025,"venue":"ICLR","authors":[{"name":"Mayee F. Chen","position":1},{"name":"Michael Y. Hu","position":2},{"name":"Nicholas Lourie","position":3},{"name":"Kyunghyun Cho","position":4}]}"#;

fn person_of(arrow: &Arrow, mention: &str) -> String {
    arrow.people_of(&[mention.parse().unwrap()]).unwrap().remove(0).unwrap()
}

fn ingest(arrow: &Arrow, dir: &std::path::Path, name: &str, lines: &[&str]) {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let report = arrow.ingest_paths(&[path.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(report.added, lines.len());
}

/// Demo, disambiguated, Ce Zhang split (group testing + taming off), the group-testing-like paper ingested after.
fn setup() -> (tempfile::TempDir, Arrow, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    let split = arrow
        .curate_split(
            &ce,
            &[format!("{SEED}{GROUP_TESTING}").parse().unwrap(), format!("{SEED}{TAMING}").parse().unwrap()],
            "tester",
            "",
        )
        .unwrap();
    let Correction::Split { new_person, .. } = split.correction else { panic!() };
    ingest(&arrow, dir.path(), "a.jsonl", &[SPLIT_SIDE]);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), new_person, "arrival placed on the split side");
    (dir, arrow, ce, new_person)
}

#[test]
fn claiming_an_orcid_for_the_split_off_person_keeps_its_arrivals() {
    let (_dir, arrow, ce, ps) = setup();
    arrow.curate_claim(&ps, "0000-0002-1825-0097", "tester", "").unwrap();
    assert_eq!(person_of(&arrow, &format!("{SEED}{RAPIDLY_MIXING}")), ce);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), ps, "a claim moved the arrival back");
}

#[test]
fn merging_the_split_off_person_holding_an_arrival_does_not_take_the_person_it_was_split_from() {
    let (_dir, arrow, ce, ps) = setup();
    let cho = person_of(&arrow, AIOLI_CHO);
    let merge = arrow.curate_merge(&[cho.clone(), ps.clone()], "tester", "").unwrap();
    assert!(!merge.conflicts.iter().any(|c| c.message.contains("put some of these mentions back")), "{merge:?}");
    assert_eq!(person_of(&arrow, &format!("{SEED}{TAMING}")), cho);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), cho);
    assert_eq!(person_of(&arrow, &format!("{SEED}{RAPIDLY_MIXING}")), ce, "the rest of Ce Zhang was merged too");
    assert_eq!(person_of(&arrow, &format!("{SEED}{CYCLADES}")), ce, "the rest of Ce Zhang was merged too");
}

#[test]
fn undoing_a_merge_of_the_split_off_person_gives_its_arrival_back() {
    let (_dir, arrow, ce, ps) = setup();
    let cho = person_of(&arrow, AIOLI_CHO);
    let merge = arrow.curate_merge(&[cho.clone(), ps.clone()], "tester", "").unwrap();
    arrow.curate_undo(merge.id, "tester", "").unwrap();
    assert_eq!(person_of(&arrow, &format!("{SEED}{RAPIDLY_MIXING}")), ce);
    assert_eq!(person_of(&arrow, AIOLI_CHO), cho);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), ps, "as before the merge");
}

#[test]
fn a_paper_of_the_person_a_split_side_was_merged_into_stays_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    let split = arrow
        .curate_split(
            &ce,
            &[format!("{SEED}{GROUP_TESTING}").parse().unwrap(), format!("{SEED}{TAMING}").parse().unwrap()],
            "tester",
            "",
        )
        .unwrap();
    let Correction::Split { new_person: ps, .. } = split.correction else { panic!() };
    let cho = person_of(&arrow, AIOLI_CHO);
    arrow.curate_merge(&[cho.clone(), ps.clone()], "tester", "").unwrap();
    assert_eq!(person_of(&arrow, &format!("{SEED}{TAMING}")), cho);
    ingest(&arrow, dir.path(), "a.jsonl", &[CHO_PAPER, SPLIT_SIDE]);
    let cho_new = person_of(&arrow, "test:cho-2025#4");
    let gt_new = person_of(&arrow, "test:group-testing-2015#2");
    assert_ne!(cho_new, ce, "a Kyunghyun Cho paper shown as Ce Zhang's");
    assert_eq!(cho_new, cho);
    assert_eq!(gt_new, cho, "the paper fitting the split side goes where the split side went");
    arrow.disambiguate().unwrap();
    assert_eq!(person_of(&arrow, "test:cho-2025#4"), cho, "after a re-run");
}

#[test]
fn a_split_of_a_split_side_places_arrivals_whatever_the_ids_order() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    let split = arrow
        .curate_split(
            &ce,
            &[format!("{SEED}{GROUP_TESTING}").parse().unwrap(), format!("{SEED}{TAMING}").parse().unwrap()],
            "tester",
            "",
        )
        .unwrap();
    let Correction::Split { new_person: ps, .. } = split.correction else { panic!() };
    let split2 = arrow.curate_split(&ps, &[format!("{SEED}{GROUP_TESTING}").parse().unwrap()], "tester", "").unwrap();
    let Correction::Split { new_person: ps2, .. } = split2.correction else { panic!() };
    ingest(&arrow, dir.path(), "a.jsonl", &[SPLIT_SIDE]);
    let at_ingest = person_of(&arrow, "test:group-testing-2015#2");
    arrow.disambiguate().unwrap();
    let at_run = person_of(&arrow, "test:group-testing-2015#2");
    assert_eq!(at_ingest, ps2);
    assert_eq!(at_run, ps2);
}
