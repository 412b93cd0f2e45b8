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
