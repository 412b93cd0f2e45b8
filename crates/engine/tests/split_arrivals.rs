//! A paper stored after a curator split a person goes to the side of the split its evidence fits, on ingest and
//! after a full re-run alike; the papers the curator saw and left stay where they were left.

use arrow_engine::{Arrow, Correction, IngestOptions, Progress};

struct Quiet;
impl Progress for Quiet {}

const SEED: &str = "seed:neurips-";
const GROUP_TESTING: &str = "2014-parallel-feature-selection-inspired-by-group-testing#3";
const TAMING: &str = "2015-taming-the-wild-a-unified-analysis-of-hogwild-style-algorithms#2";
const FINE_TUNING: &str = "2022-fine-tuning-language-models-over-slow-networks-using-activation-quantization-wit#8";
const RAPIDLY_MIXING: &str = "2015-rapidly-mixing-gibbs-sampling-for-a-class-of-factor-graphs-using-hierarchy-width#2";

fn person_of(arrow: &Arrow, mention: &str) -> String {
    arrow.people_of(&[mention.parse().unwrap()]).unwrap().remove(0).unwrap()
}

fn ingest(arrow: &Arrow, dir: &std::path::Path, lines: &[&str]) {
    let path = dir.join("new.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let report = arrow.ingest_paths(&[path.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(report.added, lines.len());
}

/// Two new papers: one with the group-testing paper's coauthors (none of whom wrote with the rest of "Ce Zhang"),
/// one with coauthors of the 2022-23 papers only.
const SPLIT_SIDE: &str = r#"{"id":"test:group-testing-2015","title":"Group testing for feature selection at scale","year":2015,"venue":"NeurIPS","authors":[{"name":"Yingbo Zhou","position":1},{"name":"Ce Zhang","position":2},{"name":"Hung Ngo","position":3},{"name":"Venu Govindaraju","position":4}]}"#;
const REST_SIDE: &str = r#"{"id":"test:decentralized-training-2023","title":"Decentralized training of foundation models over slow networks","year":2023,"venue":"NeurIPS","authors":[{"name":"Jue Wang","position":1},{"name":"Binhang Yuan","position":2},{"name":"Ce Zhang","position":3}]}"#;

#[test]
fn a_paper_stored_after_a_split_goes_to_the_side_its_evidence_fits_on_ingest_and_after_a_re_run() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    assert_eq!(person_of(&arrow, &format!("{SEED}{GROUP_TESTING}")), ce, "one Ce Zhang before the split");
    let split = arrow
        .curate_split(
            &ce,
            &[format!("{SEED}{GROUP_TESTING}").parse().unwrap(), format!("{SEED}{TAMING}").parse().unwrap()],
            "tester",
            "the 2014-15 Ce Zhang is someone else",
        )
        .unwrap();
    let Correction::Split { new_person, .. } = &split.correction else { panic!("{split:?}") };
    // The curator saw this one and left it, though it has the coauthors of a paper split off.
    assert_eq!(person_of(&arrow, &format!("{SEED}{RAPIDLY_MIXING}")), ce);

    ingest(&arrow, dir.path(), &[SPLIT_SIDE, REST_SIDE]);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), *new_person, "ingest: the split-off person's");
    assert_eq!(person_of(&arrow, "test:decentralized-training-2023#3"), ce, "ingest: the rest's");

    // A full run groups on the evidence alone (which knew one Ce Zhang); the new papers keep their sides.
    arrow.disambiguate().unwrap();
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), *new_person, "re-run: the split-off person's");
    assert_eq!(person_of(&arrow, "test:decentralized-training-2023#3"), ce, "re-run: the rest's");
    assert_eq!(person_of(&arrow, &format!("{SEED}{RAPIDLY_MIXING}")), ce, "a paper the curator left stays");
    assert_eq!(person_of(&arrow, &format!("{SEED}{TAMING}")), *new_person);

    // Undone, the split no longer places anything: every Ce Zhang paper is the evidence's one person again.
    arrow.curate_undo(split.id, "tester", "one person after all").unwrap();
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), ce);
    assert_eq!(person_of(&arrow, &format!("{SEED}{TAMING}")), ce);
}

#[test]
fn a_paper_stored_after_two_splits_of_one_person_goes_to_the_one_it_fits() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    let split = |mentions: &[&str]| {
        let refs: Vec<_> = mentions.iter().map(|m| format!("{SEED}{m}").parse().unwrap()).collect();
        let made = arrow.curate_split(&ce, &refs, "tester", "").unwrap();
        let Correction::Split { new_person, .. } = made.correction else { panic!("{made:?}") };
        new_person
    };
    let early = split(&[GROUP_TESTING]);
    let late = split(&[FINE_TUNING]);
    ingest(&arrow, dir.path(), &[SPLIT_SIDE, REST_SIDE]);
    for run in ["ingest", "re-run"] {
        assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), early, "{run}");
        assert_eq!(person_of(&arrow, "test:decentralized-training-2023#3"), late, "{run}");
        assert_eq!(person_of(&arrow, &format!("{SEED}{TAMING}")), ce, "{run}: a paper left stays");
        arrow.disambiguate().unwrap();
    }
}

#[test]
fn a_paper_stored_after_a_split_whose_person_was_merged_since_goes_to_the_merged_person() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    let split = |m: &str| {
        let made = arrow.curate_split(&ce, &[format!("{SEED}{m}").parse().unwrap()], "tester", "").unwrap();
        let Correction::Split { new_person, .. } = made.correction else { panic!("{made:?}") };
        new_person
    };
    let (group_testing, taming) = (split(GROUP_TESTING), split(TAMING));
    arrow.curate_merge(&[taming.clone(), group_testing], "tester", "one person, 2014-15").unwrap();
    ingest(&arrow, dir.path(), &[SPLIT_SIDE]);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), taming, "ingest");
    arrow.disambiguate().unwrap();
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), taming, "re-run");
}
