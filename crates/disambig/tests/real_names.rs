//! Disambiguation on real name forms and real records.
//!
//! Fixtures: the Mayee Chen records are copied from the demo seed page
//! (/work/shared/seed/000_80052832643b7d59.txt); `fixtures/albrecht-schmidt.jsonl` holds ten DBLP 2016 records
//! (/work/shared/data/dblp-2016, ODC-BY 1.0) of two different people DBLP calls "Albrecht Schmidt", with the
//! person DBLP assigns them (from /work/shared/data/disambiguation/dblp-homonyms-dev.jsonl) in `gold`.

use arrow_disambig::{
    block_key, compare_names, disambiguate, disambiguate_in, explain, Config, Constraint, Mention, NameMatch,
};
use std::collections::{HashMap, HashSet};

fn mention(work: &str, position: u32, authors: &[&str], venue: &str, year: i32, title: &str) -> Mention {
    let p = position as usize - 1;
    Mention {
        work: work.into(),
        position,
        name: authors[p].into(),
        source_id: None,
        coauthors: authors.iter().enumerate().filter(|(i, _)| *i != p).map(|(_, a)| a.to_string()).collect(),
        venue: Some(venue.into()),
        year: Some(year),
        title: title.into(),
        cites: Vec::new(),
    }
}

/// Mayee Chen's papers on the seed page, written "Mayee F. Chen" and "Mayee Chen".
fn mayee() -> Vec<Mention> {
    vec![
        mention(
            "seed:aioli",
            1,
            &["Mayee F. Chen", "Michael Y. Hu", "Nicholas Lourie", "Kyunghyun Cho", "Christopher Ré"],
            "ICLR",
            2025,
            "Aioli: A Unified Optimization Framework for Language Model Data Mixing",
        ),
        mention(
            "seed:smoothie",
            2,
            &["Neel Guha", "Mayee F. Chen", "Trevor Chow", "Ishan S. Khare", "Christopher Ré"],
            "NeurIPS",
            2024,
            "Smoothie: Label Free Language Model Routing",
        ),
        mention(
            "seed:reframing",
            2,
            &["Sarah Hooper", "Mayee Chen", "Khaled Saab", "Kush Bhatia", "Curtis Langlotz", "Christopher Ré"],
            "NeurIPS",
            2023,
            "A case for reframing automated medical image classification as segmentation",
        ),
        mention(
            "seed:embroid",
            2,
            &["Neel Guha", "Mayee Chen", "Kush Bhatia", "Azalia Mirhoseini", "Frederic Sala", "Christopher Ré"],
            "NeurIPS",
            2023,
            "Embroid: Unsupervised Prediction Smoothing Can Improve Few-Shot Classification",
        ),
        mention(
            "seed:skillit",
            1,
            &[
                "Mayee Chen",
                "Nicholas Roberts",
                "Kush Bhatia",
                "Jue Wang",
                "Ce Zhang",
                "Frederic Sala",
                "Christopher Ré",
            ],
            "NeurIPS",
            2023,
            "Skill-it! A data-driven skills framework for understanding and training language models",
        ),
        mention(
            "seed:shoring",
            1,
            &[
                "Mayee F. Chen",
                "Daniel Y. Fu",
                "Dyah Adila",
                "Michael Zhang",
                "Frederic Sala",
                "Kayvon Fatahalian",
                "Christopher Ré",
            ],
            "UAI",
            2022,
            "Shoring up the foundations: fusing model embeddings and weak supervision",
        ),
        mention(
            "seed:mandoline",
            1,
            &["Mayee F. Chen", "Karan Goel", "Nimit Sharad Sohoni", "Fait Poms", "Kayvon Fatahalian", "Christopher Ré"],
            "ICML",
            2021,
            "Mandoline: Model Evaluation under Distribution Shift",
        ),
        mention(
            "seed:threerious",
            2,
            &[
                "Daniel Y. Fu",
                "Mayee F. Chen",
                "Frederic Sala",
                "Sarah M. Hooper",
                "Kayvon Fatahalian",
                "Christopher Ré",
            ],
            "ICML",
            2020,
            "Fast and Three-rious: Speeding Up Weak Supervision with Triplet Methods",
        ),
    ]
}

fn schmidt() -> Vec<(Mention, String)> {
    include_str!("fixtures/albrecht-schmidt.jsonl")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let gold = v["gold"].as_str().unwrap().to_string();
            (serde_json::from_value(v).unwrap(), gold)
        })
        .collect()
}

#[test]
fn blocking_real_name_forms() {
    assert_eq!(block_key("Mayee F. Chen"), "chen_m");
    assert_eq!(block_key("Mayee Chen"), "chen_m");
    assert_eq!(block_key("M. Chen"), "chen_m");
    assert_eq!(block_key("Ce Zhang 0001"), block_key("Ce Zhang"));
    assert_eq!(block_key("Christopher Ré"), block_key("Christopher Re"));
    assert_eq!(block_key("Wil M. P. van der Aalst"), "aalst_w");
    assert_eq!(block_key("Wil van der Aalst"), "aalst_w");
    assert_eq!(block_key("Xiao-Ming Wang"), "wang_x");
    assert_eq!(block_key("Jürgen Müller"), block_key("Jurgen Muller"));
    assert_eq!(block_key("Chen, Mayee F."), "chen_m");
    assert_ne!(block_key("Mayee Chen"), block_key("Mayee Cheng"));
}

#[test]
fn name_compatibility_levels() {
    assert_eq!(compare_names("Mayee Chen", "Mayee Chen"), NameMatch::Exact);
    assert_eq!(compare_names("Mayee F. Chen", "Mayee Chen"), NameMatch::FullCompatible);
    assert_eq!(compare_names("M. Chen", "Mayee F. Chen"), NameMatch::InitialCompatible);
    assert_eq!(compare_names("Xiao-Ming Wang", "Xiaoming Wang"), NameMatch::Exact);
    assert_eq!(compare_names("Ming Chen", "Mayee Chen"), NameMatch::Conflict);
    assert_eq!(compare_names("Daniel Y. Fu", "Daniel X. Fu"), NameMatch::Conflict);
}

#[test]
fn name_variants_merge_on_shared_coauthors_and_venues() {
    let ms = mayee();
    let a = disambiguate(&ms, &Config::default());
    let ids: HashSet<&String> = a.person.iter().collect();
    assert_eq!(ids.len(), 1, "{:?}", a.person);
    // The decision is explained by the evidence.
    let e = a.explain(0, 3);
    assert_eq!(e.constraint, None);
    assert_eq!(e.same_person, Some(true));
    let co = e.signals.iter().find(|s| s.signal == "coauthors").unwrap();
    assert!(co.weight > 0.0, "{e:?}");
    assert!(e.probability > 0.5, "{e:?}");
}

#[test]
fn conflicting_given_names_never_merge() {
    let mut ms = mayee();
    // A different Chen on a paper with the same coauthors and venue.
    ms.push(mention(
        "seed:other",
        1,
        &["Ming Chen", "Christopher Ré", "Frederic Sala"],
        "NeurIPS",
        2023,
        "Weak supervision for data mixing",
    ));
    let a = disambiguate(&ms, &Config::default());
    let last = ms.len() - 1;
    assert!((0..last).all(|i| a.person[i] != a.person[last]));
    assert_eq!(a.explain(0, last).constraint, Some(Constraint::IncompatibleNames));
}

#[test]
fn homonyms_split_by_evidence() {
    let data = schmidt();
    let ms: Vec<Mention> = data.iter().map(|x| x.0.clone()).collect();
    let a = disambiguate(&ms, &Config::default());
    for i in 0..ms.len() {
        for j in 0..ms.len() {
            let same_gold = data[i].1 == data[j].1;
            if !same_gold {
                assert_ne!(a.person[i], a.person[j], "{} / {}", ms[i].work, ms[j].work);
                assert_eq!(a.explain(i, j).same_person, Some(false));
            }
        }
    }
    // Each person's papers here share coauthors (Kersten; Sahami Shirazi / Alt), so each is one cluster.
    let people: HashSet<&String> = a.person.iter().collect();
    assert_eq!(people.len(), 2, "{:?}", a.person);
}

#[test]
fn hard_constraints() {
    let base = |work: &str, name: &str, co: &[&str]| Mention {
        work: work.into(),
        position: 1,
        name: name.into(),
        source_id: None,
        coauthors: co.iter().map(|s| s.to_string()).collect(),
        venue: Some("VLDB".into()),
        year: Some(2016),
        title: "DeepDive: declarative knowledge base construction".into(),
        cites: Vec::new(),
    };
    // Same source id links without any shared evidence.
    let mut a = base("w1", "Ce Zhang", &["Christopher Ré"]);
    let mut b = base("w2", "C. Zhang", &["Someone Else"]);
    b.venue = Some("SIGMOD".into());
    b.title = "Unrelated".into();
    a.source_id = Some("orcid:0000-0002-1".into());
    b.source_id = Some("orcid:0000-0002-1".into());
    // Different source ids never link, however strong the evidence.
    let mut c = base("w3", "Ce Zhang", &["Christopher Ré"]);
    let mut d = base("w4", "Ce Zhang", &["Christopher Ré"]);
    c.source_id = Some("orcid:A".into());
    d.source_id = Some("orcid:B".into());
    // Two slots of one work are never one person.
    let mut e = base("w5", "Ce Zhang", &["Ce Zhang", "Christopher Ré"]);
    let mut f = base("w5", "Ce Zhang", &["Ce Zhang", "Christopher Ré"]);
    e.position = 1;
    f.position = 2;
    // Homonym numbers: equal numbers link, different ones never do.
    let g = base("w6", "Ce Zhang 0001", &["Nobody"]);
    let h = base("w7", "Ce Zhang 0001", &["Somebody"]);
    let i = base("w8", "Ce Zhang 0002", &["Christopher Ré"]);
    let ms = vec![a, b, c, d, e, f, g, h, i];
    let r = disambiguate(&ms, &Config::default());
    assert_eq!(r.person[0], r.person[1]);
    assert_eq!(r.explain(0, 1).constraint, Some(Constraint::SameSourceId));
    assert_ne!(r.person[2], r.person[3]);
    assert_eq!(r.explain(2, 3).constraint, Some(Constraint::DifferentSourceIds));
    assert_ne!(r.person[4], r.person[5]);
    assert_eq!(r.explain(4, 5).constraint, Some(Constraint::SameWork));
    assert_eq!(r.person[6], r.person[7]);
    assert_eq!(r.explain(6, 7).probability, 1.0);
    assert_ne!(r.person[6], r.person[8]);
    assert_eq!(r.explain(7, 8).constraint, Some(Constraint::DifferentHomonymNumbers));
}

#[test]
fn ids_are_stable_across_runs_and_input_order() {
    let mut ms = mayee();
    ms.extend(schmidt().into_iter().map(|x| x.0));
    let a = disambiguate(&ms, &Config::default());
    let b = disambiguate(&ms, &Config::default());
    assert_eq!(a.person, b.person);
    let mut rev = ms.clone();
    rev.reverse();
    let c = disambiguate(&rev, &Config { threads: 1, ..Config::default() });
    let by_key: HashMap<(&str, u32), &String> =
        rev.iter().zip(&c.person).map(|(m, p)| ((m.work.as_str(), m.position), p)).collect();
    for (m, p) in ms.iter().zip(&a.person) {
        assert_eq!(by_key[&(m.work.as_str(), m.position)], p);
    }
    // The id is derived from the cluster's earliest (work, position).
    assert_eq!(a.person[0], arrow_disambig::person_id("seed:aioli", 1));
}

#[test]
fn standalone_explanation_uses_the_model() {
    let ms = mayee();
    let a = disambiguate(&ms, &Config::default());
    let e = explain(&ms[0], &ms[1], &ms[2..], &a.model);
    assert_eq!(e.signals.len(), arrow_disambig::SIGNALS);
    assert!(e.probability > 0.5, "{e:?}");
    assert!(e.signals.iter().all(|s| (s.weight - (s.m / s.u).ln()).abs() < 1e-9));
}

/// Two "Lei Wang" papers share no coauthor, but their coauthors wrote a third paper together: the pair is a
/// candidate and its coauthor signal says so; without the third paper it does not.
#[test]
fn coauthors_who_worked_together_are_evidence() {
    let mut ms = vec![
        mention("w1", 1, &["Lei Wang", "Yaping Lin"], "UIC", 2010, "Routing in sensor networks"),
        mention("w2", 1, &["Lei Wang", "Weini Zeng"], "CIT", 2012, "Secure data aggregation"),
    ];
    let level = |ms: &[Mention]| {
        let a = disambiguate(ms, &Config::default());
        a.explain(0, 1).signals[1].level.clone()
    };
    assert_eq!(level(&ms), "no shared coauthor");
    // Only the coauthors of a mention are linked, never the mention's own name.
    ms.push(mention("w3", 1, &["Zhi Chen", "Yaping Lin"], "TPDS", 2011, "Privacy in networks"));
    assert_eq!(level(&ms), "no shared coauthor");
    ms.push(mention("w4", 1, &["Zhi Chen", "Yaping Lin", "Weini Zeng"], "TPDS", 2011, "Privacy in networks"));
    assert_eq!(level(&ms), "rare coauthors who worked together");
}

/// Self-citation is evidence: two "Wei Wang" papers with nothing else in common, where one cites the other, are
/// more likely one person than the same pair without the citation; a model stored before the signal existed
/// still explains pairs.
#[test]
fn a_self_citation_is_evidence() {
    let mut a = mention("w1", 1, &["Wei Wang", "Jiawei Han"], "KDD", 2010, "Mining frequent patterns in graphs");
    let b = mention("w2", 1, &["Wei Wang", "Philip S. Yu"], "ICDE", 2016, "Query processing over uncertain streams");
    let model = arrow_disambig::Model::priors();
    let without = explain(&a, &b, &[], &model);
    a.cites = vec!["w2".into()];
    let with = explain(&a, &b, &[], &model);
    let citation = with.signals.iter().find(|s| s.signal == "citation").unwrap();
    assert!(citation.weight > 1.0, "{citation:?}");
    assert!(with.probability > without.probability * 5.0, "{} vs {}", with.probability, without.probability);
    // Works that came with references but do not cite each other: the signal counts against, a little.
    a.cites = vec!["w9".into()];
    let other = explain(&a, &b, &[], &model);
    assert!(other.probability < without.probability);

    let mut old = model.clone();
    old.pair.m.pop();
    old.pair.u.pop();
    let e = explain(&a, &b, &[], &old);
    assert_eq!(e.signals.iter().find(|s| s.signal == "citation").unwrap().level, "unknown");
}

#[test]
fn a_source_id_on_clearly_different_names_is_not_followed_even_in_one_block() {
    let m = |work: &str, name: &str| Mention {
        work: work.into(),
        position: 1,
        name: name.into(),
        source_id: Some("orcid:0000-0002-1825-0097".into()),
        coauthors: vec!["Christopher Ré".into()],
        venue: Some("VLDB".into()),
        year: Some(2016),
        title: "DeepDive: declarative knowledge base construction".into(),
        cites: Vec::new(),
    };
    let ms = vec![m("w1", "Wei Wang"), m("w2", "John Smith"), m("w3", "J. Smith")];
    // One block, as a caller's sub-blocking could make: the id alone would have joined all three.
    let blocks = vec!["b".to_string(); 3];
    let r = disambiguate_in(&ms, Some(&blocks), &Config::default());
    assert_ne!(r.person[0], r.person[1]);
    assert_eq!(r.explain(0, 1).constraint, Some(Constraint::SourceIdOnDifferentNames));
    assert_eq!(r.explain(0, 1).probability, 0.0);
    assert_eq!(r.person[1], r.person[2], "a shared surname is enough for the id");
    assert_eq!(r.explain(1, 2).constraint, Some(Constraint::SameSourceId));
}
