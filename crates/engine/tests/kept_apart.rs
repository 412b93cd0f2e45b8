//! An explanation of two mentions of two people says what keeps the people apart whatever their papers say.

use arrow_engine::{Arrow, IngestOptions, MentionRef};

struct Quiet;
impl arrow_engine::Progress for Quiet {}

fn store(lines: &[&str]) -> (tempfile::TempDir, Arrow) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(&dir.path().join("data")).unwrap();
    let file = dir.path().join("w.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    arrow.ingest_paths(&[file.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    arrow.disambiguate().unwrap();
    (dir, arrow)
}

fn mention(work: &str, position: u32) -> MentionRef {
    MentionRef { work: work.into(), position }
}

#[test]
fn names_that_cannot_be_one_persons_keep_two_people_apart() {
    // One "Wei Wang" writes with Jiawei Han and once as "Wei X. Wang", the other with Philip S. Yu and once as
    // "Wei Y. Wang": the two plain "Wei Wang" mentions agree, but their people never can.
    let (_d, arrow) = store(&[
        r#"{"id":"x:1","title":"Mining frequent graph patterns","authors":["Wei Wang","Jiawei Han"],"venue":"KDD","year":2010}"#,
        r#"{"id":"x:2","title":"Frequent pattern mining in networks","authors":["Wei X. Wang","Jiawei Han"],"venue":"KDD","year":2011}"#,
        r#"{"id":"x:3","title":"Uncertain stream queries","authors":["Wei Wang","Philip S. Yu"],"venue":"ICDE","year":2010}"#,
        r#"{"id":"x:4","title":"Query processing over uncertain streams","authors":["Wei Y. Wang","Philip S. Yu"],"venue":"ICDE","year":2012}"#,
    ]);
    let e = arrow.explain(&mention("x:1", 1), &mention("x:3", 1)).unwrap().unwrap();
    assert_eq!(e.same_person, Some(false), "{e:?}");
    assert_eq!(e.constraint, None, "the two mentions themselves agree");
    let why = e.kept_apart.as_deref().expect("a rule keeps the people apart");
    assert!(why.contains("Wei X. Wang") && why.contains("Wei Y. Wang"), "{why}");
    // Two mentions of one person have nothing keeping them apart.
    let e = arrow.explain(&mention("x:1", 1), &mention("x:2", 1)).unwrap().unwrap();
    assert_eq!((e.same_person, e.kept_apart), (Some(true), None));
}

#[test]
fn a_paper_both_wrote_keeps_two_people_apart() {
    // Two "Li Chen"s on one paper: one writes with Ann Lee, the other on protein folding in Bioinformatics.
    let (_d, arrow) = store(&[
        r#"{"id":"x:5","title":"Protein folding kinetics ranked","authors":["Li Chen","Li Chen","Ann Lee"],"venue":"Bioinformatics","year":2015}"#,
        r#"{"id":"x:6","title":"Ranking with clicks","authors":["Li Chen","Ann Lee"],"venue":"SIGIR","year":2014}"#,
        r#"{"id":"x:7","title":"Ranking with dwell time","authors":["Li Chen","Ann Lee"],"venue":"SIGIR","year":2016}"#,
        r#"{"id":"x:8","title":"Protein folding kinetics","authors":["Li Chen","Dan Eve"],"venue":"Bioinformatics","year":2014}"#,
        r#"{"id":"x:9","title":"Protein structure alignment","authors":["Li Chen","Dan Eve"],"venue":"Bioinformatics","year":2016}"#,
    ]);
    let e = arrow.explain(&mention("x:6", 1), &mention("x:8", 1)).unwrap().unwrap();
    assert_eq!(e.same_person, Some(false), "{e:?}");
    let why = e.kept_apart.as_deref().expect("a rule keeps the people apart");
    assert!(why.contains("two authors of one paper (x:5)"), "{why}");
}

#[test]
fn different_author_ids_keep_two_people_apart() {
    let (_d, arrow) = store(&[
        r#"{"id":"x:10","title":"Soil carbon","authors":[{"name":"Maria Garcia","id":"orcid:0000-0001-0000-0001"},"Ann Lee"],"venue":"Geoderma","year":2015}"#,
        r#"{"id":"x:11","title":"Soil nitrogen","authors":["Maria Garcia","Ann Lee"],"venue":"Geoderma","year":2016}"#,
        r#"{"id":"x:12","title":"Graph kernels","authors":[{"name":"Maria Garcia","id":"orcid:0000-0002-0000-0002"},"Dan Eve"],"venue":"NeurIPS","year":2015}"#,
        r#"{"id":"x:13","title":"Graph neural kernels","authors":["Maria Garcia","Dan Eve"],"venue":"NeurIPS","year":2016}"#,
    ]);
    let e = arrow.explain(&mention("x:11", 1), &mention("x:13", 1)).unwrap().unwrap();
    assert_eq!(e.same_person, Some(false), "{e:?}");
    let why = e.kept_apart.as_deref().expect("a rule keeps the people apart");
    assert!(why.contains("orcid:0000-0001-0000-0001") && why.contains("orcid:0000-0002-0000-0002"), "{why}");
}

#[test]
fn author_ids_of_any_two_schemes_keep_two_people_apart() {
    // Everything else says one person: the two ids (of two sources) are what keeps them apart.
    let (_d, arrow) = store(&[
        r#"{"id":"x:1","title":"Soil carbon in dry forests","authors":[{"name":"Maria Garcia","id":"openalex:A1"},"Ann Lee"],"venue":"Geoderma","year":2015}"#,
        r#"{"id":"x:2","title":"Soil carbon in wet forests","authors":["Maria Garcia","Ann Lee"],"venue":"Geoderma","year":2016}"#,
        r#"{"id":"x:3","title":"Soil carbon in cold forests","authors":[{"name":"Maria Garcia","id":"s2:99"},"Ann Lee"],"venue":"Geoderma","year":2015}"#,
    ]);
    let people = arrow.people_of(&[mention("x:1", 1), mention("x:2", 1), mention("x:3", 1)]).unwrap();
    let (apart, with) = if people[1] == people[0] { ("x:3", "x:2") } else { ("x:1", "x:2") };
    assert_ne!(people[0], people[2], "two ids, two people: {people:?}");
    let e = arrow.explain(&mention(with, 1), &mention(apart, 1)).unwrap().unwrap();
    let why = e.kept_apart.as_deref().expect("the ids keep them apart");
    assert!(why.contains("openalex:A1") && why.contains("s2:99"), "{why}");
    assert_eq!(e.run_note(), None, "the rule says why, not the papers");
}

#[test]
fn a_name_one_person_holds_in_both_spellings_is_no_reason() {
    // One Ina Rösiger writes her name both ways; the other "Ina Roesiger" carries another ORCID.
    let (_d, arrow) = store(&[
        r#"{"id":"x:1","title":"Bridging anaphora resolution","authors":["Ina Rösiger","Jonas Kuhn"],"venue":"ACL","year":2016}"#,
        r#"{"id":"x:2","title":"Bridging anaphora corpora","authors":["Ina Roesiger","Jonas Kuhn"],"venue":"ACL","year":2017}"#,
        r#"{"id":"x:4","title":"Bridging anaphora in dialogue","authors":[{"name":"Ina Roesiger","id":"orcid:0000-0002-0000-0002"},"Jonas Kuhn"],"venue":"ACL","year":2018}"#,
        r#"{"id":"x:3","title":"Protein folding","authors":[{"name":"Ina Roesiger","id":"orcid:0000-0001-0000-0001"},"Dan Eve"],"venue":"Nature","year":2010}"#,
    ]);
    let people = arrow.people_of(&[mention("x:2", 1), mention("x:3", 1)]).unwrap();
    assert_ne!(people[0], people[1]);
    let e = arrow.explain(&mention("x:2", 1), &mention("x:3", 1)).unwrap().unwrap();
    let why = e.kept_apart.unwrap_or_default();
    assert!(!why.contains("cannot be one person"), "{why}");
    assert!(why.contains("orcid:0000-0001-0000-0001") && why.contains("orcid:0000-0002-0000-0002"), "{why}");
}

#[test]
fn a_split_of_an_author_without_a_position_names_whose_the_mention_is() {
    let (_d, arrow) = store(&[
        r#"{"id":"x:1","title":"Soil carbon","authors":[{"name":"Maria Garcia"},{"name":"Ann Lee"}],"venue":"Geoderma","year":2015}"#,
        r#"{"id":"x:2","title":"Soil water","authors":[{"name":"Ann Lee"}],"venue":"Geoderma","year":2016}"#,
    ]);
    let ann = arrow.people_named("Ann Lee").unwrap()[0].id.clone();
    let maria = arrow.people_named("Maria Garcia").unwrap()[0].id.clone();
    let err = arrow.curate_split(&ann, &[mention("x:1", 1)], "t", "").unwrap_err();
    assert!(err.to_string().contains(&format!("it is {maria}'s")), "{err}");
}

#[test]
fn a_short_and_a_long_first_name_of_a_common_name_are_told_as_such() {
    // Many Benedikts, Bens and Wangs make "Ben Wang" and "Benedikt Wang" common names: one "B. Wang" who also
    // writes "Ben" and another who also writes "Benedikt" stay two people unless their papers join them. Their two
    // "B. Wang" mentions agree; what keeps the people apart is told as a rule of common names, not as "never".
    let filler: Vec<String> = (0..150)
        .map(|i| {
            format!(
                r#"{{"id":"f:{i}","title":"Filler study {i}","authors":["Benedikt Smith{i}","Ben Jones{i}","Chen{i} Wang"],"venue":"V{i}","year":2000}}"#
            )
        })
        .collect();
    let mut lines: Vec<&str> = filler.iter().map(String::as_str).collect();
    lines.extend([
        r#"{"id":"x:1","title":"Mining frequent graph patterns","authors":["B. Wang","Jiawei Han"],"venue":"KDD","year":2010}"#,
        r#"{"id":"x:2","title":"Frequent pattern mining in networks","authors":["Ben Wang","Jiawei Han"],"venue":"KDD","year":2011}"#,
        r#"{"id":"x:3","title":"Uncertain stream queries","authors":["B. Wang","Philip S. Yu"],"venue":"ICDE","year":2010}"#,
        r#"{"id":"x:4","title":"Query processing over uncertain streams","authors":["Benedikt Wang","Philip S. Yu"],"venue":"ICDE","year":2012}"#,
    ]);
    let (_d, arrow) = store(&lines);
    let e = arrow.explain(&mention("x:1", 1), &mention("x:3", 1)).unwrap().unwrap();
    assert_eq!((e.same_person, e.constraint), (Some(false), None), "{e:?}");
    let why = e.kept_apart.as_deref().expect("a rule keeps the people apart");
    assert!(why.contains("a short and a long first name") && !why.contains("cannot be one"), "{why}");
}
