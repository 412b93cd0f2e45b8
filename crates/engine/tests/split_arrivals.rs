//! Papers stored after a curator's split (see `arrivals.rs`): each goes to the side of the split its evidence fits,
//! on ingest and after a full re-run alike, with the splits in force when it was stored; the papers the curator saw
//! and left stay where they were left; later merges, claims, splits and undos see each paper where it is shown.

use arrow_engine::{Arrow, Correction, IngestOptions, Progress};

struct Quiet;
impl Progress for Quiet {}

const SEED: &str = "seed:neurips-";
const GROUP_TESTING: &str = "2014-parallel-feature-selection-inspired-by-group-testing#3";
const TAMING: &str = "2015-taming-the-wild-a-unified-analysis-of-hogwild-style-algorithms#2";
const FINE_TUNING: &str = "2022-fine-tuning-language-models-over-slow-networks-using-activation-quantization-wit#8";
const RAPIDLY_MIXING: &str = "2015-rapidly-mixing-gibbs-sampling-for-a-class-of-factor-graphs-using-hierarchy-width#2";
const CYCLADES: &str = "2016-cyclades-conflict-free-asynchronous-machine-learning#5";
const AIOLI_CHO: &str = "seed:iclr-2025-aioli-a-unified-optimization-framework-for-language-model-data-mixing#4";

/// New papers: one with the group-testing paper's coauthors (none of whom wrote with the rest of "Ce Zhang"), one
/// with coauthors of the 2022-23 papers only, one of Kyunghyun Cho's with the Aioli coauthors.
const SPLIT_SIDE: &str = r#"{"id":"test:group-testing-2015","title":"Group testing for feature selection at scale","year":2015,"venue":"NeurIPS","authors":[{"name":"Yingbo Zhou","position":1},{"name":"Ce Zhang","position":2},{"name":"Hung Ngo","position":3},{"name":"Venu Govindaraju","position":4}]}"#;
const REST_SIDE: &str = r#"{"id":"test:decentralized-training-2023","title":"Decentralized training of foundation models over slow networks","year":2023,"venue":"NeurIPS","authors":[{"name":"Jue Wang","position":1},{"name":"Binhang Yuan","position":2},{"name":"Ce Zhang","position":3}]}"#;
const CHO_PAPER: &str = r#"{"id":"test:cho-2025","title":"Data mixing laws for language model pretraining","year":2025,"venue":"ICLR","authors":[{"name":"Mayee F. Chen","position":1},{"name":"Michael Y. Hu","position":2},{"name":"Nicholas Lourie","position":3},{"name":"Kyunghyun Cho","position":4}]}"#;

fn person_of(arrow: &Arrow, mention: &str) -> String {
    arrow.people_of(&[mention.parse().unwrap()]).unwrap().remove(0).unwrap()
}

fn ingest(arrow: &Arrow, dir: &std::path::Path, lines: &[&str]) {
    let path = dir.join("new.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let report = arrow.ingest_paths(&[path.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(report.added, lines.len());
}

fn split(arrow: &Arrow, person: &str, mentions: &[String]) -> (i64, String) {
    let refs: Vec<_> = mentions.iter().map(|m| m.parse().unwrap()).collect();
    let made = arrow.curate_split(person, &refs, "tester", "").unwrap();
    let Correction::Split { new_person, .. } = made.correction else { panic!("{made:?}") };
    (made.id, new_person)
}

/// The demo corpus, disambiguated, with the one "Ce Zhang" its evidence makes.
fn demo() -> (tempfile::TempDir, Arrow, String) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    (dir, arrow, ce)
}

/// The demo, Ce Zhang's group-testing and taming papers split off, then the group-testing-like paper ingested: on
/// the split side.
fn setup() -> (tempfile::TempDir, Arrow, String, String) {
    let (dir, arrow, ce) = demo();
    let (_, ps) = split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}"), format!("{SEED}{TAMING}")]);
    ingest(&arrow, dir.path(), &[SPLIT_SIDE]);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), ps, "arrival placed on the split side");
    (dir, arrow, ce, ps)
}

#[test]
fn a_paper_stored_after_a_split_goes_to_the_side_its_evidence_fits_on_ingest_and_after_a_re_run() {
    let (dir, arrow, ce) = demo();
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
    let (dir, arrow, ce) = demo();
    let (_, early) = split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}")]);
    let (_, late) = split(&arrow, &ce, &[format!("{SEED}{FINE_TUNING}")]);
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
    let (dir, arrow, ce) = demo();
    let (_, group_testing) = split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}")]);
    let (_, taming) = split(&arrow, &ce, &[format!("{SEED}{TAMING}")]);
    arrow.curate_merge(&[taming.clone(), group_testing], "tester", "one person, 2014-15").unwrap();
    ingest(&arrow, dir.path(), &[SPLIT_SIDE]);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), taming, "ingest");
    arrow.disambiguate().unwrap();
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), taming, "re-run");
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
    let (dir, arrow, ce) = demo();
    let (_, ps) = split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}"), format!("{SEED}{TAMING}")]);
    let cho = person_of(&arrow, AIOLI_CHO);
    arrow.curate_merge(&[cho.clone(), ps.clone()], "tester", "").unwrap();
    assert_eq!(person_of(&arrow, &format!("{SEED}{TAMING}")), cho);
    ingest(&arrow, dir.path(), &[CHO_PAPER, SPLIT_SIDE]);
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
    let (dir, arrow, ce) = demo();
    let (_, ps) = split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}"), format!("{SEED}{TAMING}")]);
    let (_, ps2) = split(&arrow, &ps, &[format!("{SEED}{GROUP_TESTING}")]);
    ingest(&arrow, dir.path(), &[SPLIT_SIDE]);
    let at_ingest = person_of(&arrow, "test:group-testing-2015#2");
    arrow.disambiguate().unwrap();
    let at_run = person_of(&arrow, "test:group-testing-2015#2");
    assert_eq!(at_ingest, ps2);
    assert_eq!(at_run, ps2);
}

/// The curator splits the group-testing paper off the split-off person, and leaves the arrival (which they see on
/// the split-off person) where it is: it stays.
#[test]
fn a_later_split_of_the_split_off_person_does_not_send_an_arrival_it_left_back() {
    let (_dir, arrow, ce, ps) = setup();
    let (_, ps2) = split(&arrow, &ps, &[format!("{SEED}{GROUP_TESTING}")]);
    let now = person_of(&arrow, "test:group-testing-2015#2");
    assert_ne!(now, ce, "an arrival left on {ps} went back to Ce Zhang ({ce}) after a split of {ps} into {ps2}");
}

/// A merge naming the split-off person first (so it survives) with a one-paper person: a new paper of that person
/// joins the merged person at ingest and stays there (it counts under the one-paper person's label-free person, not
/// under the person split from).
#[test]
fn a_paper_of_a_person_merged_into_the_split_off_person_stays_with_the_merged_person() {
    let (dir, arrow, ce) = demo();
    let (_, ps) = split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}"), format!("{SEED}{TAMING}")]);
    let cho = person_of(&arrow, AIOLI_CHO);
    arrow.curate_merge(&[ps.clone(), cho.clone()], "tester", "").unwrap();
    assert_eq!(person_of(&arrow, AIOLI_CHO), ps);
    ingest(&arrow, dir.path(), &[CHO_PAPER]);
    let at_ingest = person_of(&arrow, "test:cho-2025#4");
    arrow.disambiguate().unwrap();
    let at_run = person_of(&arrow, "test:cho-2025#4");
    assert_eq!(
        (at_ingest.as_str(), at_run.as_str()),
        (ps.as_str(), ps.as_str()),
        "a Kyunghyun Cho paper (ce = {ce}, merged person = {ps})"
    );
}

/// A merge of the split-off person (holding the arrival) with Kyunghyun Cho, then a split of the group-testing
/// paper off the merged person: the arrival stays, and the merge, which names it, takes none of the rest of Ce
/// Zhang along.
#[test]
fn a_split_after_a_merge_naming_an_arrival_does_not_merge_the_person_split_from() {
    let (_dir, arrow, ce, ps) = setup();
    let cho = person_of(&arrow, AIOLI_CHO);
    arrow.curate_merge(&[cho.clone(), ps.clone()], "tester", "").unwrap();
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), cho);
    assert_eq!(person_of(&arrow, &format!("{SEED}{RAPIDLY_MIXING}")), ce);
    arrow.curate_split(&cho, &[format!("{SEED}{GROUP_TESTING}").parse().unwrap()], "tester", "").unwrap();
    assert_eq!(person_of(&arrow, &format!("{SEED}{RAPIDLY_MIXING}")), ce, "Ce Zhang merged into Kyunghyun Cho");
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), cho, "the arrival left on the merged person moved");
}

/// Splits `mention` off `person`, merges the two back, and asserts the merge is told as putting it back.
fn split_and_merge_back_is_told_as_put_back(arrow: &Arrow, person: &str, mention: String, arrived: bool) {
    let (split_id, split_off) = split(arrow, person, std::slice::from_ref(&mention));
    if arrived {
        assert_eq!(person_of(arrow, &mention), split_off);
    }
    let merge = arrow.curate_merge(&[person.to_string(), split_off], "tester", "").unwrap();
    let told = arrow.curation_conflicts(split_id).unwrap();
    assert!(
        merge.conflicts.iter().chain(&told).any(|c| c.message.contains("put some of these mentions back")),
        "no put-back told"
    );
}

/// Splitting the arrival off the split-off person, then merging the two back: the merge puts the arrival back where
/// it was split from, and should say so ("put back"), as it does for a split of any other mention.
#[test]
fn merging_back_a_split_of_an_arrival_is_told_as_put_back() {
    let (_dir, arrow, _ce, ps) = setup();
    split_and_merge_back_is_told_as_put_back(&arrow, &ps, "test:group-testing-2015#2".to_string(), true);
}

/// The same with a split of an ordinary (not arrived) mention of the split-off person, for comparison.
#[test]
fn merging_back_a_split_of_an_ordinary_mention_is_told_as_put_back() {
    let (_dir, arrow, _ce, ps) = setup();
    split_and_merge_back_is_told_as_put_back(&arrow, &ps, format!("{SEED}{GROUP_TESTING}"), false);
}

/// Ce Zhang and Kyunghyun Cho merged (two label-free people shown as one), then a split naming mentions of both (two
/// of Ce Zhang's, Cho's one): a new Cho paper is placed alike at ingest and after a re-run.
#[test]
fn a_split_across_two_merged_label_free_people_places_arrivals_of_both_alike_at_ingest_and_re_run() {
    let (dir, arrow, ce) = demo();
    let cho = person_of(&arrow, AIOLI_CHO);
    arrow.curate_merge(&[ce.clone(), cho.clone()], "tester", "").unwrap();
    let (_, ps) =
        split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}"), format!("{SEED}{TAMING}"), AIOLI_CHO.to_string()]);
    ingest(&arrow, dir.path(), &[CHO_PAPER]);
    let at_ingest = person_of(&arrow, "test:cho-2025#4");
    arrow.disambiguate().unwrap();
    let at_run = person_of(&arrow, "test:cho-2025#4");
    let tag = |p: &str| {
        if p == ce {
            "ce (merged)"
        } else if p == ps {
            "split side"
        } else {
            "other"
        }
    };
    assert_eq!(tag(&at_ingest), tag(&at_run), "ingest vs re-run");
}

/// A new "Ce Zhang" paper with Christopher Ré (a coauthor of both sides) that cites the split-off group-testing
/// paper: self-citation is evidence for the split side, as in the ingest replay and a full run.
#[test]
fn an_arrival_citing_the_split_off_paper_goes_to_the_split_side() {
    let (dir, arrow, ce) = demo();
    let (_, ps) = split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}")]);
    let citing = r#"{"id":"test:citing","title":"Sparse recovery with pooled measurements","year":2016,"venue":"NeurIPS","authors":[{"name":"Ce Zhang","position":1},{"name":"Christopher Ré","position":2}],"references":["seed:neurips-2014-parallel-feature-selection-inspired-by-group-testing"]}"#;
    ingest(&arrow, dir.path(), &[citing]);
    assert_eq!(person_of(&arrow, "test:citing#1"), ps, "ce = {ce}");
}

/// The later split names exactly the mentions of the first, off the split-off person that now also holds an
/// arrival: ids hash the mentions, so the new person would get the split-off person's own id; it gets another.
#[test]
fn a_split_of_the_first_splits_mentions_off_the_split_off_person_makes_a_new_person() {
    let (_dir, arrow, _ce, ps) = setup();
    let made = arrow
        .curate_split(
            &ps,
            &[format!("{SEED}{GROUP_TESTING}").parse().unwrap(), format!("{SEED}{TAMING}").parse().unwrap()],
            "tester",
            "",
        )
        .unwrap();
    let Correction::Split { new_person, .. } = &made.correction else { panic!() };
    assert_ne!(*new_person, ps, "split off {ps} into itself; conflicts {:?}", made.conflicts);
}

/// The placement is saved in the store, so the next process (each `arrow curate` is one) uses it instead of
/// weighing the papers again, until something it was weighed from changes. Shown by altering the saved placement:
/// a new process takes it as it is for an unrelated claim, and weighs again after an ingest.
#[test]
fn a_placement_is_saved_for_the_next_process_and_weighed_again_after_an_ingest() {
    let (dir, arrow, _ce, ps) = setup();
    drop(arrow);
    let path = dir.path().join("arrow.sqlite");
    let saved = {
        let store = arrow_store::Store::open(&path).unwrap();
        store.blob("arrivals_placement").unwrap().expect("saved by the ingest")
    };
    let key = |v: &serde_json::Value| v["placed"][0].clone();
    let mut altered: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(altered["placed"].as_array().unwrap().len(), 1, "{saved}");
    assert_eq!(key(&altered)[2], ps.as_str(), "{saved}");
    altered["placed"][0][2] = "p0000000000000001".into();
    arrow_store::Store::open(&path).unwrap().put_blob("arrivals_placement", &altered.to_string()).unwrap();

    // A claim of someone else: the same inputs, so the saved placement is taken as it is.
    let arrow = Arrow::open(dir.path()).unwrap();
    let cho = person_of(&arrow, AIOLI_CHO);
    arrow.curate_claim(&cho, "0000-0002-1825-0097", "tester", "").unwrap();
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), "p0000000000000001", "the saved placement");

    // An ingest changes the store: the paper is weighed again.
    ingest(&arrow, dir.path(), &[CHO_PAPER]);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), ps, "weighed again");
    drop(arrow);
    let store = arrow_store::Store::open(&path).unwrap();
    let now: serde_json::Value = serde_json::from_str(&store.blob("arrivals_placement").unwrap().unwrap()).unwrap();
    assert_eq!(key(&now)[2], ps.as_str());
    assert_ne!(now["digest"], altered["digest"]);
}
