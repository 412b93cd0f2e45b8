//! Curators' corrections of people on the demo corpus: they apply at once, survive a full re-run and an
//! incremental ingest, can be undone, and are listed; contradictions are reported, bad requests refused.

use arrow_engine::{Arrow, Correction, EngineError, IngestOptions, MentionRef, Progress};

struct Quiet;
impl Progress for Quiet {}

const TAMING: &str = "seed:neurips-2015-taming-the-wild-a-unified-analysis-of-hogwild-style-algorithms";
const GROUP_TESTING: &str = "seed:neurips-2014-parallel-feature-selection-inspired-by-group-testing";

fn demo() -> (tempfile::TempDir, Arrow) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    (dir, arrow)
}

fn people(arrow: &Arrow, name: &str) -> Vec<String> {
    arrow.people_named(name).unwrap().into_iter().map(|p| p.id).collect()
}

/// Every mention of a person, as `curate split` takes them.
fn all_mentions(arrow: &Arrow, person: &str) -> Vec<MentionRef> {
    let positions = arrow.person(person).unwrap().unwrap().positions;
    positions.into_iter().map(|(w, p)| format!("{w}#{p}").parse().unwrap()).collect()
}

fn person_of(arrow: &Arrow, mention: &str) -> String {
    arrow.people_of(&[mention.parse().unwrap()]).unwrap().remove(0).unwrap()
}

/// A new work by the two Ce Zhang mentions' coauthors, as an incremental ingest brings it.
fn new_work(dir: &std::path::Path) -> String {
    let path = dir.join("more.jsonl");
    let line = r#"{"id":"test:ce-zhang-2016","title":"Asynchronous Gibbs sampling on factor graphs","year":2016,"venue":"NeurIPS","authors":[{"name":"Ce Zhang","position":1},{"name":"Christopher Ré","position":2}]}"#;
    std::fs::write(&path, format!("{line}\n")).unwrap();
    path.display().to_string()
}

#[test]
fn a_merge_and_a_split_hold_after_a_full_run_and_an_ingest_and_undo_restores() {
    let (dir, arrow) = demo();
    let ce = people(&arrow, "Ce Zhang");
    assert_eq!(ce.len(), 1, "{ce:?}");
    let split = arrow
        .curate_split(
            &ce[0],
            &[format!("{GROUP_TESTING}#3").parse().unwrap(), format!("{TAMING}#2").parse().unwrap()],
            "tester",
            "the 2014-15 Ce Zhang is someone else",
        )
        .unwrap();
    let Correction::Split { new_person, .. } = &split.correction else { panic!("{split:?}") };
    assert_eq!(person_of(&arrow, &format!("{TAMING}#2")), *new_person, "applied at once");
    assert_eq!(people(&arrow, "Ce Zhang").len(), 2);

    let poli = people(&arrow, "Michael Poli");
    let sala = people(&arrow, "Frederic Sala");
    assert_ne!(poli, sala);
    let merge = arrow.curate_merge(&[poli[0].clone(), sala[0].clone()], "tester", "one account").unwrap();
    assert_eq!(people(&arrow, "Frederic Sala"), poli, "the first id survives");

    // A full re-run starts from the evidence again; the curations are applied over it.
    let report = arrow.disambiguate().unwrap();
    assert_eq!(person_of(&arrow, &format!("{GROUP_TESTING}#3")), *new_person);
    assert_eq!(people(&arrow, "Frederic Sala"), poli);
    assert!(
        report.curation_conflicts.iter().any(|c| c.curation == merge.id && c.message.contains("name rules")),
        "two different names merged by hand are kept, and reported: {:?}",
        report.curation_conflicts
    );

    // An incremental ingest assigns the new mention; the corrections still hold.
    let ingested = arrow.ingest_paths(&[new_work(dir.path())], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(ingested.added, 1);
    assert_eq!(person_of(&arrow, &format!("{TAMING}#2")), *new_person);
    assert_eq!(people(&arrow, "Frederic Sala"), poli);
    assert!(person_of(&arrow, "test:ce-zhang-2016#1").starts_with('p'));

    let history = arrow.curation_history(None).unwrap();
    assert_eq!(history.iter().map(|c| c.id).collect::<Vec<_>>(), vec![split.id, merge.id]);
    assert_eq!(history[0].by, "tester");
    assert_eq!(history[1].note, "one account");
    assert_eq!(arrow.curation_history(Some(new_person)).unwrap().len(), 1);

    arrow.curate_undo(merge.id, "ana", "a mistake").unwrap();
    assert_ne!(people(&arrow, "Frederic Sala"), poli, "undone: the evidence's people again");
    assert_eq!(person_of(&arrow, &format!("{TAMING}#2")), *new_person, "the other curation stays");
    let undone = &arrow.curation_history(None).unwrap()[1];
    assert!(undone.undone);
    let undo = undone.undo.as_ref().expect("who undid it, when and why");
    assert_eq!((undo.by.as_str(), undo.note.as_str()), ("ana", "a mistake"));
    assert!(undo.at >= undone.at);
    arrow.curate_undo(split.id, "t", "").unwrap();
    assert_eq!(people(&arrow, "Ce Zhang"), ce);
    let (why, now) = arrow.where_went(new_person).unwrap().expect("the split-off id says where its papers went");
    assert!(why.contains(&format!("curation {} made it by a split, which was undone", split.id)), "{why}");
    assert_eq!(now, ce[0]);
    assert!(matches!(arrow.curate_undo(split.id, "t", ""), Err(EngineError::Curate(_))), "undone once only");
}

#[test]
fn a_claimed_orcid_shows_on_the_person_and_survives_a_run() {
    let (_dir, arrow) = demo();
    let ré = people(&arrow, "Christopher Ré");
    arrow.curate_claim(&ré[0], "https://orcid.org/0000-0002-1825-0097", "tester", "").unwrap();
    arrow.disambiguate().unwrap();
    let id = &people(&arrow, "Christopher Ré")[0];
    assert_eq!(arrow.person(id).unwrap().unwrap().orcid.as_deref(), Some("0000-0002-1825-0097"));
    let bad = arrow.curate_claim(&ré[0], "0000-0002-1825-0098", "tester", "").unwrap_err();
    assert!(bad.to_string().contains("not a valid ORCID"), "{bad}");
}

#[test]
fn bad_curations_are_refused_with_the_reason() {
    let (_dir, arrow) = demo();
    let ré = people(&arrow, "Christopher Ré")[0].clone();
    let unknown = arrow.curate_merge(&[ré.clone(), "p0".into()], "t", "").unwrap_err();
    assert!(unknown.to_string().contains("no person \"p0\""), "{unknown}");
    let one = arrow.curate_merge(&[ré.clone(), ré.clone()], "t", "").unwrap_err();
    assert!(one.to_string().contains("two or more"), "{one}");
    let not_theirs: MentionRef = format!("{TAMING}#2").parse().unwrap();
    let err = arrow.curate_split(&ré, &[not_theirs], "t", "").unwrap_err();
    let ce = person_of(&arrow, &format!("{TAMING}#2"));
    assert!(err.to_string().contains(&format!("is not a mention of {ré}: it is {ce}'s")), "{err}");
    let err = arrow.curate_split(&ré, &["SEED:nope#1".parse().unwrap()], "t", "").unwrap_err();
    assert!(err.to_string().contains("no work \"SEED:nope\" is stored"), "{err}");
    let err = arrow.curate_split(&ré, &[format!("{TAMING}#9").parse().unwrap()], "t", "").unwrap_err();
    assert!(err.to_string().contains("has no author at position 9"), "{err}");
    let err = arrow.curate_split(&ce, &all_mentions(&arrow, &ce), "t", "").unwrap_err();
    assert!(err.to_string().contains("all were named"), "{err}");
    assert!(arrow.curation_history(None).unwrap().is_empty(), "nothing refused is recorded");
    let no_work = "#2".parse::<MentionRef>().unwrap_err();
    assert!(no_work.contains("work id before # is missing"), "{no_work}");
    let zero = format!("{TAMING}#0").parse::<MentionRef>().unwrap_err();
    assert!(zero.contains("count from 1"), "{zero}");
}

/// `WORK#POSITION` of each mention of `person`, on works with (without, when `with` is false) an author `other`.
fn mentions_of(arrow: &Arrow, person: &str, other: &str, with: bool) -> Vec<MentionRef> {
    let profile = arrow.person(person).unwrap().unwrap();
    let mut out = Vec::new();
    for w in &profile.works {
        if w.authors.iter().any(|a| a.name == other) != with {
            continue;
        }
        // Authors past the eighth may come without a position (as on the seed page): not named that way.
        for a in w.authors.iter().filter(|a| a.position.is_some()) {
            let m = format!("{}#{}", w.id.0, a.position.unwrap());
            if person_of(arrow, &m) == person {
                assert_eq!(profile.positions.get(&w.id.0), a.position.as_ref(), "the profile names the mention");
                out.push(m.parse().unwrap());
            }
        }
    }
    out
}

#[test]
fn two_authors_of_one_paper_are_never_merged_and_an_undo_that_makes_them_one_is_reported() {
    let (_dir, arrow) = demo();
    let tri = people(&arrow, "Tri Dao")[0].clone();
    let albert = people(&arrow, "Albert Gu")[0].clone();
    let err = arrow.curate_merge(&[tri.clone(), albert.clone()], "t", "").unwrap_err();
    assert!(err.to_string().contains("are both authors of"), "{err}");
    assert!(arrow.curation_history(None).unwrap().is_empty());

    // With Tri Dao's papers with Albert Gu split off, the rest may join Albert Gu; undoing the split then puts two
    // authors of one paper into one person, which is reported.
    let shared = mentions_of(&arrow, &tri, "Albert Gu", true);
    assert!(!shared.is_empty() && shared.len() < mentions_of(&arrow, &tri, "Albert Gu", false).len() + shared.len());
    let split = arrow.curate_split(&tri, &shared, "t", "").unwrap();
    let merge = arrow.curate_merge(&[tri.clone(), albert.clone()], "t", "").unwrap();
    assert!(merge.conflicts.iter().all(|c| !c.message.contains("two authors")), "{:?}", merge.conflicts);
    assert!(merge.conflicts.iter().any(|c| c.message.contains("name rules")), "told at once: {:?}", merge.conflicts);
    let left = arrow.curate_undo(split.id, "t", "").unwrap();
    assert!(left.iter().any(|c| c.curation == merge.id && c.message.contains("two authors of one work")), "{left:?}");
    let report = arrow.disambiguate().unwrap();
    assert!(report.curation_conflicts.iter().any(|c| c.message.contains("two authors of one work")), "on every run");
    // The person holds both authors of those papers; each paper still counts once.
    let p = arrow.person(&tri).unwrap().unwrap();
    let summary = arrow.people_named("Tri Dao").unwrap().into_iter().find(|s| s.id == tri).unwrap();
    assert_eq!(summary.works, p.works.len() as u64, "{summary:?}");
    // Both of its authors of those papers are its own names, never its coauthors.
    assert!(p.variants.iter().any(|(n, _)| n == "Albert Gu"), "{:?}", p.variants);
    assert!(p.coauthor_people.iter().all(|c| c.person != tri), "not its own coauthor");
    assert!(!p.coauthors.iter().any(|(n, _)| n == "Albert Gu"), "{:?}", p.coauthors);
}

#[test]
fn a_claim_stays_with_its_person_and_contradicting_claims_are_reported() {
    let (_dir, arrow) = demo();
    const ORCID: &str = "0000-0002-1825-0097";
    const OTHER: &str = "0000-0001-5109-3700";
    let tri = people(&arrow, "Tri Dao")[0].clone();
    arrow.curate_claim(&tri, ORCID, "t", "").unwrap();
    let again = arrow.curate_claim(&tri, ORCID, "t", "").unwrap_err();
    assert!(again.to_string().contains("already has ORCID"), "{again}");

    // A few mentions split off leave the ORCID with the person it was claimed for.
    let few = mentions_of(&arrow, &tri, "Albert Gu", true);
    let split = arrow.curate_split(&tri, &few[..2], "t", "").unwrap();
    let Correction::Split { new_person, .. } = &split.correction else { panic!("{split:?}") };
    assert_eq!(arrow.claimed_orcid(&tri).unwrap().as_deref(), Some(ORCID));
    assert_eq!(arrow.claimed_orcid(new_person).unwrap(), None);

    // The same ORCID for someone else: kept as asked, and reported.
    let sala = people(&arrow, "Frederic Sala")[0].clone();
    let same = arrow.curate_claim(&sala, ORCID, "t", "").unwrap();
    assert!(same.conflicts.iter().any(|c| c.message.contains("is claimed for")), "{:?}", same.conflicts);
    // Read back later (a page shown after the change), the same conflicts; an unknown curation is refused.
    let messages = |list: &[arrow_engine::CurationConflict]| {
        let mut m: Vec<String> = list.iter().map(|c| c.message.clone()).collect();
        m.sort();
        m
    };
    assert_eq!(messages(&arrow.curation_conflicts(same.id).unwrap()), messages(&same.conflicts));
    assert!(arrow.curation_conflicts(split.id).unwrap().is_empty(), "the split met no conflict");
    let unknown = arrow.curation_conflicts(9_999).unwrap_err();
    assert!(matches!(unknown, EngineError::Curate(_)) && unknown.to_string().contains("no curation 9999"), "{unknown}");

    // Two people with different ORCIDs merged: one person with two ORCIDs, reported on every run.
    let mayee = people(&arrow, "Mayee F. Chen")[0].clone();
    let beidi = people(&arrow, "Beidi Chen")[0].clone();
    arrow.curate_claim(&mayee, OTHER, "t", "").unwrap();
    arrow.curate_claim(&beidi, "0000-0003-1613-5981", "t", "").unwrap();
    let merged = arrow.curate_merge(&[mayee.clone(), beidi], "t", "").unwrap();
    assert!(
        merged.conflicts.iter().any(|c| c.message.contains("two claimed ORCIDs")),
        "the merge hears of what it brought about: {:?}",
        merged.conflicts
    );
    assert!(
        arrow.curation_conflicts(merged.id).unwrap().iter().any(|c| c.message.contains("two claimed ORCIDs")),
        "and a page shown after it reads the same back"
    );
    let report = arrow.disambiguate().unwrap();
    assert!(
        report.curation_conflicts.iter().any(|c| c.message.contains("two claimed ORCIDs")),
        "{:?}",
        report.curation_conflicts
    );

    // A new claim over the whole person replaces the old one: said when made, not on every run.
    let ré = people(&arrow, "Christopher Ré")[0].clone();
    arrow.curate_claim(&ré, "0000-0002-9101-0049", "t", "").unwrap();
    let replaced = arrow.curate_claim(&ré, "0000-0003-4993-0017", "t", "").unwrap();
    assert!(
        replaced.conflicts.len() == 1 && replaced.conflicts[0].message.contains("0000-0002-9101-0049 of"),
        "{:?}",
        replaced.conflicts
    );
    assert!(replaced.conflicts[0].message.contains("is replaced by 0000-0003-4993-0017"));
    assert_eq!(arrow.claimed_orcid(&ré).unwrap().as_deref(), Some("0000-0003-4993-0017"));
    let report = arrow.disambiguate().unwrap();
    assert!(!report.curation_conflicts.iter().any(|c| c.message.contains("is replaced by")));
    // The person's history says which claim stands.
    let history = arrow.curation_history(Some(&ré)).unwrap();
    let replaced_by: Vec<Option<i64>> = history.iter().map(|c| c.replaced_by).collect();
    assert_eq!(replaced_by, [Some(replaced.id), None], "{history:?}");
}

#[test]
fn an_explanation_names_both_mentions_judges_their_rarity_and_shows_a_curator_overruling_the_evidence() {
    let (_dir, arrow) = demo();
    let tri = people(&arrow, "Tri Dao")[0].clone();
    let theirs = mentions_of(&arrow, &tri, "Albert Gu", true);
    let (a, b) = (&theirs[0], &theirs[1]);
    let before = arrow.explain(a, b).unwrap().unwrap();
    assert_eq!(before.names, ["Tri Dao", "Tri Dao"]);
    assert_eq!((before.same_person, before.by_evidence), (Some(true), None));
    assert_eq!(before.rarity.len(), 1, "one name, judged once");
    assert!(before.rarity[0].reason.contains("too few names"), "a 107-work corpus: {:?}", before.rarity);

    arrow.curate_split(&tri, std::slice::from_ref(b), "t", "").unwrap();
    let after = arrow.explain(a, b).unwrap().unwrap();
    assert_eq!(
        (after.same_person, after.by_evidence),
        (Some(false), Some(true)),
        "the curator's call, and the evidence's"
    );

    let same = arrow.explain(a, a).unwrap_err();
    assert!(same.to_string().contains("is one mention"), "{same}");

    // Words two titles share count as the run counts them, against the titles around them: on the two titles
    // alone every shared word would be in every title, and no pair would ever share a word that counts.
    let ré = people(&arrow, "Christopher Ré")[0].clone();
    let his: Vec<MentionRef> = all_mentions(&arrow, &ré).into_iter().take(12).collect();
    let mut levels = std::collections::BTreeSet::new();
    for (i, x) in his.iter().enumerate() {
        for y in &his[i + 1..] {
            let e = arrow.explain(x, y).unwrap().unwrap();
            levels.insert(e.signals.iter().find(|s| s.signal == "title").unwrap().level.clone());
        }
    }
    assert!(levels.iter().any(|l| l.starts_with("title cosine")), "{levels:?}");
}

#[test]
fn a_claim_that_the_sources_contradict_is_reported() {
    let (dir, arrow) = demo();
    let tri = people(&arrow, "Tri Dao")[0].clone();
    // A new paper whose source gives Tri Dao an ORCID.
    let path = dir.path().join("orcid.jsonl");
    let line = r#"{"id":"test:tri-dao-orcid","title":"Flash attention on long sequences","year":2024,"venue":"NeurIPS","authors":[{"name":"Tri Dao","position":1,"id":"orcid:0000-0001-5109-3700"},{"name":"Albert Gu","position":2},{"name":"Christopher Ré","position":3}]}"#;
    std::fs::write(&path, format!("{line}\n")).unwrap();
    arrow.ingest_paths(&[path.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(person_of(&arrow, "test:tri-dao-orcid#1"), tri, "assigned to the Tri Dao of the demo");

    let other = arrow.curate_claim(&tri, "0000-0002-1825-0097", "t", "").unwrap();
    assert!(
        other.conflicts.iter().any(|c| c.message.contains("carries ORCID 0000-0001-5109-3700 from its source")),
        "{:?}",
        other.conflicts
    );
    // With that paper split off, claiming its ORCID for the rest is contradicted by the paper's new person.
    let split = arrow.curate_split(&tri, &["test:tri-dao-orcid#1".parse().unwrap()], "t", "").unwrap();
    let Correction::Split { new_person, .. } = &split.correction else { panic!("{split:?}") };
    let same = arrow.curate_claim(&tri, "0000-0001-5109-3700", "t", "").unwrap();
    assert!(
        same.conflicts.iter().any(|c| c.message.contains(&format!("but is {new_person}'s"))),
        "{:?}",
        same.conflicts
    );
}

/// Regression (a new user's test): a split mention merged into a third person is still apart from the person it
/// was split from, and curations a curator overrode on purpose are told when the overriding change is made, not
/// again on every run.
#[test]
fn overriding_a_curation_is_told_once_and_a_split_merged_elsewhere_is_no_conflict() {
    let (_dir, arrow) = demo();
    let ce = people(&arrow, "Ce Zhang");
    let split =
        arrow.curate_split(&ce[0], &[format!("{GROUP_TESTING}#3").parse().unwrap()], "tester", "someone else").unwrap();
    let Correction::Split { new_person, .. } = &split.correction else { panic!("{split:?}") };
    let poli = people(&arrow, "Michael Poli");
    let elsewhere = arrow.curate_merge(&[poli[0].clone(), new_person.clone()], "tester", "").unwrap();
    let put_back = |c: &arrow_engine::CurationConflict| c.message.contains("put some of these mentions back");
    assert!(!elsewhere.conflicts.iter().any(put_back), "{:?}", elsewhere.conflicts);
    let run = arrow.disambiguate().unwrap();
    assert!(!run.curation_conflicts.iter().any(put_back), "{:?}", run.curation_conflicts);

    // Merging it back with Ce Zhang overrides the split: said once, by the merge.
    let back = arrow.curate_merge(&[ce[0].clone(), poli[0].clone()], "tester", "").unwrap();
    let told: Vec<_> = back.conflicts.iter().filter(|c| put_back(c)).collect();
    assert_eq!(told.len(), 1, "{:?}", back.conflicts);
    assert_eq!((told[0].curation, told[0].with), (split.id, Some(back.id)));
    let run = arrow.disambiguate().unwrap();
    assert!(!run.curation_conflicts.iter().any(put_back), "{:?}", run.curation_conflicts);
    assert!(
        arrow.curation_conflicts(back.id).unwrap().iter().any(put_back),
        "the merge's page still shows what it overrode"
    );

    // A split after a merge: the split says so, runs do not.
    let (_dir, arrow) = demo();
    let (poli, sala) = (people(&arrow, "Michael Poli"), people(&arrow, "Frederic Sala"));
    let sala_mention = arrow.person(&sala[0]).unwrap().unwrap().positions.into_iter().next().unwrap();
    let sala_mention = format!("{}#{}", sala_mention.0, sala_mention.1);
    let merge = arrow.curate_merge(&[poli[0].clone(), sala[0].clone()], "tester", "").unwrap();
    let again = arrow.curate_split(&poli[0], &[sala_mention.parse().unwrap()], "tester", "").unwrap();
    let split_again = |c: &arrow_engine::CurationConflict| c.message.contains("split these mentions again");
    assert!(again.conflicts.iter().any(|c| split_again(c) && c.curation == merge.id), "{:?}", again.conflicts);
    let run = arrow.disambiguate().unwrap();
    assert!(!run.curation_conflicts.iter().any(split_again), "{:?}", run.curation_conflicts);
}

/// Regression (review): undoing a bad merge by splitting the merged-in person off again, then merging it back, puts
/// the split mentions back, though no mention left behind shares their label-free person.
#[test]
fn merging_back_a_person_split_off_after_a_merge_is_a_put_back() {
    let (_dir, arrow) = demo();
    let (poli, sala) = (people(&arrow, "Michael Poli"), people(&arrow, "Frederic Sala"));
    let sala_mentions = all_mentions(&arrow, &sala[0]);
    arrow.curate_merge(&[poli[0].clone(), sala[0].clone()], "t", "").unwrap();
    let split = arrow.curate_split(&poli[0], &sala_mentions, "t", "").unwrap();
    let Correction::Split { new_person, .. } = &split.correction else { panic!("{split:?}") };
    let back = arrow.curate_merge(&[poli[0].clone(), new_person.clone()], "t", "").unwrap();
    let told: Vec<_> =
        back.conflicts.iter().filter(|c| c.message.contains("put some of these mentions back")).collect();
    assert_eq!(told.len(), 1, "{:?}", back.conflicts);
    assert_eq!((told[0].curation, told[0].with), (split.id, Some(back.id)));
}

/// Regressions (a second new-user test): a claim a newer one replaced no longer conflicts with anyone; a merge's
/// names are judged on the mentions still together; undoing a change tells of newer ones made over its mentions.
#[test]
fn settled_claims_and_split_away_names_are_quiet_and_an_undo_names_what_stays() {
    let (_dir, arrow) = demo();
    let (tri, sala) = (people(&arrow, "Tri Dao")[0].clone(), people(&arrow, "Frederic Sala")[0].clone());
    arrow.curate_claim(&tri, "0000-0002-1825-0097", "t", "").unwrap();
    let same = arrow.curate_claim(&sala, "0000-0002-1825-0097", "t", "").unwrap();
    assert!(same.conflicts.iter().any(|c| c.message.contains("is claimed for")), "{:?}", same.conflicts);
    arrow.curate_claim(&tri, "0000-0001-5109-3700", "t", "").unwrap();
    let run = arrow.disambiguate().unwrap();
    assert!(
        !run.curation_conflicts.iter().any(|c| c.message.contains("is claimed for")),
        "{:?}",
        run.curation_conflicts
    );

    let (_dir, arrow) = demo();
    let (poli, sala) = (people(&arrow, "Michael Poli")[0].clone(), people(&arrow, "Frederic Sala")[0].clone());
    let sala_mentions = all_mentions(&arrow, &sala);
    let merge = arrow.curate_merge(&[poli.clone(), sala], "t", "").unwrap();
    assert!(merge.conflicts.iter().any(|c| c.message.contains("name rules")), "{:?}", merge.conflicts);
    let split = arrow.curate_split(&poli, &sala_mentions, "t", "").unwrap();
    let run = arrow.disambiguate().unwrap();
    assert!(!run.curation_conflicts.iter().any(|c| c.message.contains("name rules")), "{:?}", run.curation_conflicts);
    let undo = arrow.curate_undo(merge.id, "t", "").unwrap();
    assert!(
        undo.iter().any(|c| c.curation == split.id && c.message.contains("still in force")),
        "the split made on the merged person stays, and the curator hears of it: {undo:?}"
    );
}

#[test]
fn merging_a_short_and_a_long_first_name_is_not_a_name_conflict() {
    let (dir, arrow) = demo();
    // A common surname: the run keeps "Jos" and "Joseph" apart; a curator who knows them joins them.
    let path = dir.path().join("smiths.jsonl");
    // "Jos" is no nickname Arrow knows: only the short-form rule can excuse it.
    let lines: Vec<String> = ["Jos", "Joseph", "Ann", "Bob", "Carl", "Dora"]
        .iter()
        .enumerate()
        .map(|(i, first)| {
            format!(
                r#"{{"id":"test:smith-{i}","title":"Paper {i} on topic {i}","year":{},"venue":"Venue {i}","authors":["{first} Smith"]}}"#,
                2000 + i
            )
        })
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    arrow.ingest_paths(&[path.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    arrow.disambiguate().unwrap();
    let (jos, joseph) = (people(&arrow, "Jos Smith"), people(&arrow, "Joseph Smith"));
    assert_ne!(jos, joseph, "a common surname's short and long first names stay apart in a run");
    let merge = arrow.curate_merge(&[joseph[0].clone(), jos[0].clone()], "tester", "Jos is Joseph").unwrap();
    assert!(merge.conflicts.iter().all(|c| !c.message.contains("name rules")), "{:?}", merge.conflicts);
    assert_eq!(people(&arrow, "Jos Smith"), joseph);
    // Two first names that no one shortens to the other still are.
    let (ann, bob) = (people(&arrow, "Ann Smith"), people(&arrow, "Bob Smith"));
    let merge = arrow.curate_merge(&[ann[0].clone(), bob[0].clone()], "tester", "").unwrap();
    assert!(merge.conflicts.iter().any(|c| c.message.contains("name rules")), "{:?}", merge.conflicts);
}

/// `work` ingested again with its author list changed by `change` (a source's correction).
fn reingest(
    arrow: &Arrow,
    dir: &std::path::Path,
    work: &str,
    change: impl Fn(&mut Vec<String>),
) -> Vec<arrow_engine::CurationConflict> {
    let w = arrow.work(work).unwrap().unwrap();
    let mut authors: Vec<String> = w.authors.iter().map(|a| a.name.clone()).collect();
    change(&mut authors);
    let line = serde_json::json!({"id": work, "title": w.title, "year": w.year, "venue": w.venue, "authors": authors});
    let path = dir.join("changed.jsonl");
    std::fs::write(&path, format!("{line}\n")).unwrap();
    let report = arrow.ingest_paths(&[path.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(report.updated + report.merged, 1, "{report:?}");
    let now: Vec<String> = arrow.work(work).unwrap().unwrap().authors.into_iter().map(|a| a.name).collect();
    assert_eq!(now, authors, "the source's author list is stored");
    report.curation_conflicts
}

#[test]
fn curated_mentions_follow_their_author_when_a_work_gains_an_author_and_are_reported_when_the_name_goes() {
    let (dir, arrow) = demo();
    let poli = people(&arrow, "Michael Poli").remove(0);
    let sala = people(&arrow, "Frederic Sala").remove(0);
    let merge = arrow.curate_merge(&[poli.clone(), sala.clone()], "tester", "one account").unwrap();
    let Correction::Merge { mentions, names, .. } = &merge.correction else { panic!("{merge:?}") };
    assert_eq!(names.len(), mentions.len(), "the name at each mention is kept");
    let i = names.iter().position(|n| n == "Frederic Sala").unwrap();
    let at: MentionRef = mentions[i].parse().unwrap();

    // The source adds an author in front: "Frederic Sala" moves one place down, and the curation follows him
    // instead of binding whoever now stands at his old place.
    let after_ingest = reingest(&arrow, dir.path(), &at.work, |a| a.insert(0, "Erratum Person".into()));
    for conflicts in [after_ingest, arrow.disambiguate().unwrap().curation_conflicts] {
        assert_eq!(person_of(&arrow, &format!("{}#{}", at.work, at.position + 1)), poli, "{conflicts:?}");
        let moved = person_of(&arrow, &format!("{}#{}", at.work, at.position));
        assert_ne!(moved, poli, "the author now at the old place is not merged in");
        assert!(conflicts.iter().all(|c| !c.message.contains("no longer stored")), "{conflicts:?}");
    }
    // A later curation naming the author now at the old place means that author, not the one the first curation
    // followed away from it.
    let old_place = format!("{}#{}", at.work, at.position);
    let there = person_of(&arrow, &old_place);
    let ce = people(&arrow, "Ce Zhang").remove(0);
    arrow.curate_merge(&[ce.clone(), there.clone()], "tester", "").unwrap();
    arrow.disambiguate().unwrap();
    assert_eq!(person_of(&arrow, &old_place), ce);
    assert_eq!(person_of(&arrow, &format!("{}#{}", at.work, at.position + 1)), poli, "Sala stays Poli's");
    // A source that adds a middle initial in place keeps the curation where it was.
    let conflicts = reingest(&arrow, dir.path(), &at.work, |a| {
        a.iter_mut().filter(|n| *n == "Frederic Sala").for_each(|n| *n = "Frederic G. Sala".into())
    });
    assert_eq!(person_of(&arrow, &format!("{}#{}", at.work, at.position + 1)), poli, "{conflicts:?}");
    assert!(conflicts.iter().all(|c| !c.message.contains("no longer stored")), "{conflicts:?}");

    // The source drops him: the curation no longer holds for that mention, and says so.
    reingest(&arrow, dir.path(), &at.work, |a| a.retain(|n| n != "Frederic G. Sala"));
    let report = arrow.disambiguate().unwrap();
    let gone: Vec<_> = report.curation_conflicts.iter().filter(|c| c.curation == merge.id).collect();
    assert!(gone.iter().any(|c| c.message.contains(": 1 of its mentions is no longer stored")), "{gone:?}");
    let work = arrow.work(&at.work).unwrap().unwrap();
    for p in 1..=work.authors.len() as u32 {
        assert_ne!(person_of(&arrow, &format!("{}#{p}", at.work)), poli, "no one else of the work is merged in");
    }
}

#[test]
fn a_persons_history_holds_its_own_changes_not_those_that_passed_one_of_its_papers_on() {
    let (_dir, arrow) = demo();
    let poli = people(&arrow, "Michael Poli").remove(0);
    let sala = people(&arrow, "Frederic Sala").remove(0);
    let merge = arrow.curate_merge(&[poli.clone(), sala.clone()], "t", "").unwrap();
    let one = all_mentions(&arrow, &poli).remove(0);
    let split = arrow.curate_split(&poli, &[one], "t", "").unwrap();
    let Correction::Split { new_person, .. } = &split.correction else { panic!("{split:?}") };
    let ids = |p: &str| arrow.curation_history(Some(p)).unwrap().into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(ids(&poli), vec![merge.id, split.id]);
    assert_eq!(ids(new_person), vec![split.id], "the merge is Poli's history, though it once held this paper");
}

#[test]
fn an_undo_tells_what_it_brings_about_not_what_other_changes_left() {
    let (_dir, arrow) = demo();
    let poli = people(&arrow, "Michael Poli").remove(0);
    let sala = people(&arrow, "Frederic Sala").remove(0);
    let merge = arrow.curate_merge(&[poli, sala], "t", "").unwrap();
    assert!(merge.conflicts.iter().any(|c| c.message.contains("name rules")), "{:?}", merge.conflicts);
    let ce = people(&arrow, "Ce Zhang").remove(0);
    let one = all_mentions(&arrow, &ce).remove(0);
    let split = arrow.curate_split(&ce, &[one], "t", "").unwrap();
    let told = arrow.curate_undo(split.id, "t", "").unwrap();
    assert!(told.is_empty(), "the merge's standing conflict is not the undo's: {told:?}");
}

/// A merged-away id says which person the merge took it to, and where its papers are now when a later merge took
/// them on.
#[test]
fn a_merged_away_id_names_its_merge_and_where_its_papers_are_now() {
    let (_dir, arrow) = demo();
    let poli = people(&arrow, "Michael Poli")[0].clone();
    let sala = people(&arrow, "Frederic Sala")[0].clone();
    let ines = people(&arrow, "Ines Chami")[0].clone();
    let first = arrow.curate_merge(&[poli.clone(), sala.clone()], "t", "").unwrap();
    let (why, now) = arrow.where_went(&sala).unwrap().unwrap();
    assert_eq!(
        (why.as_str(), now.as_str()),
        (format!("curation {} merged it into {poli}", first.id).as_str(), poli.as_str())
    );
    arrow.curate_merge(&[ines.clone(), poli.clone()], "t", "").unwrap();
    let (why, now) = arrow.where_went(&sala).unwrap().unwrap();
    assert_eq!(now, ines);
    assert_eq!(why, format!("curation {} merged it into {poli}; its papers are {ines}'s now", first.id));
}

#[test]
fn a_merge_of_names_the_rules_keep_apart_is_named_before_it_is_made() {
    let (_dir, arrow) = demo();
    let (poli, sala) = (people(&arrow, "Michael Poli")[0].clone(), people(&arrow, "Frederic Sala")[0].clone());
    let conflict = arrow.merge_name_conflict(&[poli, sala]).unwrap();
    assert_eq!(conflict, Some(("Michael Poli".to_string(), "Frederic Sala".to_string())));
    // Two people of one name (a split made them) may be one person again without a question.
    let ce = people(&arrow, "Ce Zhang");
    let split = arrow.curate_split(&ce[0], &[format!("{TAMING}#2").parse().unwrap()], "t", "").unwrap();
    let Correction::Split { new_person, .. } = split.correction else { panic!() };
    assert_eq!(arrow.merge_name_conflict(&[ce[0].clone(), new_person]).unwrap(), None);
}

/// A new paper of a person merged of two label-free people of one name block counts under the one that writes
/// the name as the paper does, so an undone merge gives it to them (not to the one with more papers).
#[test]
fn a_new_paper_of_a_merged_person_goes_back_with_its_own_name_when_the_merge_is_undone() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(&dir.path().join("data")).unwrap();
    let line = |id: &str, name: &str, coauthor: &str, title: &str, year: u32| {
        format!(r#"{{"id":"{id}","title":"{title}","year":{year},"venue":"ACL","authors":["{name}","{coauthor}"]}}"#)
    };
    let corpus = [
        line("t:lei1", "Lei Zhang", "Bing Liu", "Extracting product features from reviews", 2010),
        line("t:lei2", "Lei Zhang", "Bing Liu", "Identifying noun product features that imply opinions", 2011),
        line("t:li1", "Li Zhang", "John Barnden", "Affect detection from text in role play", 2006),
        line("t:li2", "Li Zhang", "John Barnden", "Metaphor and affect detection in improvisation", 2008),
        line("t:li3", "Li Zhang", "John Barnden", "Contextual affect detection in drama", 2012),
    ];
    let file = dir.path().join("a.jsonl");
    std::fs::write(&file, corpus.join("\n") + "\n").unwrap();
    arrow.ingest_paths(&[file.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    arrow.disambiguate().unwrap();
    let (lei, li) = (person_of(&arrow, "t:lei1#1"), person_of(&arrow, "t:li1#1"));
    assert_ne!(lei, li);
    // Li Zhang's id survives: the paper must still count as Lei Zhang's.
    let merge = arrow.curate_merge(&[li.clone(), lei.clone()], "t", "").unwrap();
    let new = dir.path().join("b.jsonl");
    let paper = line("t:lei3", "Lei Zhang", "Bing Liu", "Aspect extraction with opinion lexicons", 2013);
    std::fs::write(&new, paper + "\n").unwrap();
    arrow.ingest_paths(&[new.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(person_of(&arrow, "t:lei3#1"), li, "with the merged person");
    arrow.curate_undo(merge.id, "t", "").unwrap();
    assert_eq!(person_of(&arrow, "t:lei3#1"), lei, "back with Lei Zhang");
    assert_eq!(person_of(&arrow, "t:li1#1"), li);
}

/// Regression (the fifteenth session's new-user test): undoing one split can put another split's mentions back
/// through a later merge that named both (newer wins); the undo says so, since no other change does.
#[test]
fn an_undo_that_lets_a_merge_put_another_split_back_says_so() {
    let (_dir, arrow) = demo();
    let re = people(&arrow, "Christopher Ré").remove(0);
    let mut mine = all_mentions(&arrow, &re);
    let (a, b) = (mine.remove(0), mine.remove(0));
    let first = arrow.curate_split(&re, std::slice::from_ref(&a), "t", "").unwrap();
    let second = arrow.curate_split(&re, std::slice::from_ref(&b), "t", "").unwrap();
    let new_person = |c: &arrow_engine::Curation| match &c.correction {
        Correction::Split { new_person, .. } => new_person.clone(),
        other => panic!("{other:?}"),
    };
    arrow.curate_merge(&[new_person(&first), new_person(&second)], "t", "").unwrap();
    let told = arrow.curate_undo(first.id, "t", "").unwrap();
    let (a, b) = (format!("{}#{}", a.work, a.position), format!("{}#{}", b.work, b.position));
    assert_eq!(person_of(&arrow, &a), person_of(&arrow, &b), "the merge still holds: newer wins");
    assert_eq!(person_of(&arrow, &b), re, "so the second split's mention is back");
    assert!(
        told.iter().any(|c| c.curation == second.id && c.message.contains("put some of these mentions back")),
        "{told:?}"
    );
}
