//! Papers stored after a split against the curations that come after it (see `arrivals.rs`): each paper is weighed
//! with the splits in force when it was stored, whatever later splits and merges do, and placed alike at ingest and
//! after a re-run.

use arrow_engine::{Arrow, Correction, IngestOptions, Progress};

struct Quiet;
impl Progress for Quiet {}

const SEED: &str = "seed:neurips-";
const GROUP_TESTING: &str = "2014-parallel-feature-selection-inspired-by-group-testing#3";
const TAMING: &str = "2015-taming-the-wild-a-unified-analysis-of-hogwild-style-algorithms#2";
const RAPIDLY_MIXING: &str = "2015-rapidly-mixing-gibbs-sampling-for-a-class-of-factor-graphs-using-hierarchy-width#2";
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

fn split(arrow: &Arrow, person: &str, mentions: &[String]) -> (i64, String) {
    let refs: Vec<_> = mentions.iter().map(|m| m.parse().unwrap()).collect();
    let made = arrow.curate_split(person, &refs, "tester", "").unwrap();
    let Correction::Split { new_person, .. } = made.correction else { panic!() };
    (made.id, new_person)
}

/// Demo, Ce Zhang split (group testing + taming off), then the group-testing-like paper ingested: on the split side.
fn setup() -> (tempfile::TempDir, Arrow, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    let (_, ps) = split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}"), format!("{SEED}{TAMING}")]);
    ingest(&arrow, dir.path(), "a.jsonl", &[SPLIT_SIDE]);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), ps, "arrival placed on the split side");
    (dir, arrow, ce, ps)
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
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    let (_, ps) = split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}"), format!("{SEED}{TAMING}")]);
    let cho = person_of(&arrow, AIOLI_CHO);
    arrow.curate_merge(&[ps.clone(), cho.clone()], "tester", "").unwrap();
    assert_eq!(person_of(&arrow, AIOLI_CHO), ps);
    ingest(&arrow, dir.path(), "a.jsonl", &[CHO_PAPER]);
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

/// Splitting the arrival off the split-off person, then merging the two back: the merge puts the arrival back where
/// it was split from, and should say so ("put back"), as it does for a split of any other mention.
#[test]
fn merging_back_a_split_of_an_arrival_is_told_as_put_back() {
    let (_dir, arrow, _ce, ps) = setup();
    let (split_id, ps2) = split(&arrow, &ps, &["test:group-testing-2015#2".to_string()]);
    assert_eq!(person_of(&arrow, "test:group-testing-2015#2"), ps2);
    let merge = arrow.curate_merge(&[ps.clone(), ps2.clone()], "tester", "").unwrap();
    let told = arrow.curation_conflicts(split_id).unwrap();
    assert!(
        merge.conflicts.iter().chain(&told).any(|c| c.message.contains("put some of these mentions back")),
        "no put-back told"
    );
}

/// The same with a split of an ordinary (not arrived) mention of the split-off person, for comparison.
#[test]
fn merging_back_a_split_of_an_ordinary_mention_is_told_as_put_back() {
    let (_dir, arrow, _ce, ps) = setup();
    let (split_id, ps2) = split(&arrow, &ps, &[format!("{SEED}{GROUP_TESTING}")]);
    let merge = arrow.curate_merge(&[ps.clone(), ps2.clone()], "tester", "").unwrap();
    let told = arrow.curation_conflicts(split_id).unwrap();
    assert!(
        merge.conflicts.iter().chain(&told).any(|c| c.message.contains("put some of these mentions back")),
        "no put-back told"
    );
}

/// Ce Zhang and Kyunghyun Cho merged (two label-free people shown as one), then a split naming mentions of both (two
/// of Ce Zhang's, Cho's one): a new Cho paper is placed alike at ingest and after a re-run.
#[test]
fn a_split_across_two_merged_label_free_people_places_arrivals_of_both_alike_at_ingest_and_re_run() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    let cho = person_of(&arrow, AIOLI_CHO);
    arrow.curate_merge(&[ce.clone(), cho.clone()], "tester", "").unwrap();
    let (_, ps) =
        split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}"), format!("{SEED}{TAMING}"), AIOLI_CHO.to_string()]);
    ingest(&arrow, dir.path(), "a.jsonl", &[CHO_PAPER]);
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
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    let ce = person_of(&arrow, &format!("{SEED}{TAMING}"));
    let (_, ps) = split(&arrow, &ce, &[format!("{SEED}{GROUP_TESTING}")]);
    let citing = r#"{"id":"test:citing","title":"Sparse recovery with pooled measurements","year":2016,"venue":"NeurIPS","authors":[{"name":"Ce Zhang","position":1},{"name":"Christopher Ré","position":2}],"references":["seed:neurips-2014-parallel-feature-selection-inspired-by-group-testing"]}"#;
    ingest(&arrow, dir.path(), "a.jsonl", &[citing]);
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
