//! People from author disambiguation, on the demo corpus.

use arrow_engine::{Arrow, MentionRef};

fn demo() -> (tempfile::TempDir, Arrow) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    (dir, arrow)
}

fn person_of(arrow: &Arrow, name: &str) -> Vec<String> {
    arrow.people_named(name).unwrap().into_iter().map(|p| p.id).collect()
}

#[test]
fn name_variants_of_one_person_merge_on_evidence() {
    let (_d, arrow) = demo();
    let report = arrow.disambiguate().unwrap();
    assert_eq!(report.mentions, 659);
    let full = person_of(&arrow, "Mayee F. Chen");
    let short = person_of(&arrow, "Mayee Chen");
    assert_eq!(full.len(), 1, "{full:?}");
    assert_eq!(full, short, "Mayee F. Chen and Mayee Chen share coauthors and venues");
    let p = arrow.person(&full[0]).unwrap().unwrap();
    assert!(p.variants.iter().any(|(v, _)| v == "Mayee Chen"));
    assert!(p.variants.iter().any(|(v, _)| v == "Mayee F. Chen"));
    assert!(p.coauthors.iter().any(|(c, _)| c == "Christopher Ré"));
    let ré = person_of(&arrow, "Christopher Ré");
    assert_eq!(ré.len(), 1, "every paper of the page is one person: {ré:?}");
}

#[test]
fn homonym_numbers_are_evidence_and_decisions_are_explained() {
    let (_d, arrow) = demo();
    arrow.disambiguate().unwrap();
    let numbered = arrow.name_cluster("Ce Zhang 0001").unwrap().works;
    let plain = arrow.name_cluster("Ce Zhang").unwrap().works;
    let pos = |w: &arrow_model::Work, name: &str| w.authors.iter().find(|a| a.name == name).unwrap().position.unwrap();
    let a = MentionRef { work: numbered[0].id.0.clone(), position: pos(&numbered[0], "Ce Zhang 0001") };
    let b = MentionRef { work: plain[0].id.0.clone(), position: pos(&plain[0], "Ce Zhang") };
    let e = arrow.explain(&a, &b).unwrap().expect("both mentions exist and a model was fitted");
    assert!(e.constraint.is_none(), "a number beside no number is not a hard rule: {e:?}");
    assert!(!e.signals.is_empty());
    assert!((0.0..=1.0).contains(&e.probability));
    assert!(e.same_person.is_some());
    // Two different homonym numbers never link.
    let liu = arrow.name_cluster("Ji Liu 0002").unwrap().works;
    let r = MentionRef { work: liu[0].id.0.clone(), position: pos(&liu[0], "Ji Liu 0002") };
    let ré = MentionRef { work: liu[0].id.0.clone(), position: pos(&liu[0], "Christopher Ré") };
    let e = arrow.explain(&r, &ré).unwrap().unwrap();
    assert_eq!(e.same_person, Some(false), "two authors of one paper are two people");
    assert_eq!(e.constraint, Some(arrow_disambig::Constraint::SameWork), "and the explanation says so");
}

#[test]
fn person_ids_are_stable_across_runs() {
    let (_d, arrow) = demo();
    arrow.disambiguate().unwrap();
    let first = person_of(&arrow, "Christopher Ré");
    arrow.disambiguate().unwrap();
    assert_eq!(person_of(&arrow, "Christopher Ré"), first);
}

#[test]
fn evaluation_scores_stored_people_against_gold_clusters() {
    let (dir, arrow) = demo();
    arrow.disambiguate().unwrap();
    let mayee: Vec<arrow_model::Work> =
        ["Mayee F. Chen", "Mayee Chen"].iter().flat_map(|n| arrow.name_cluster(n).unwrap().works).collect();
    let mut gold = String::new();
    for w in &mayee {
        let a = w.authors.iter().find(|a| a.name.starts_with("Mayee")).unwrap();
        gold.push_str(&format!(
            "{{\"work\":\"{}\",\"position\":{},\"name\":\"{}\",\"person\":\"Mayee Chen 0001\"}}\n",
            w.id,
            a.position.unwrap(),
            a.name
        ));
    }
    gold.push_str("{\"work\":\"nope:1\",\"position\":1,\"name\":\"X\",\"person\":\"X\"}\n");
    let path = dir.path().join("gold.jsonl");
    std::fs::write(&path, gold).unwrap();
    let r = arrow.evaluate_people(&path).unwrap();
    assert_eq!((r.mentions as usize, r.missing), (mayee.len(), 1));
    assert_eq!((r.names_differ, r.first_name_difference.as_deref()), (0, None), "the gold names are the stored ones");
    assert_eq!(r.b3_f1, 1.0, "one gold person, found as one person");
    assert!(r.baseline_b3_recall < 1.0, "exact names split the two variants");
    // A gold mention naming another author than the store has there is counted and shown.
    let first = &mayee[0];
    let other = first.authors.iter().find(|a| !a.name.starts_with("Mayee")).unwrap();
    let line = format!(
        "{{\"work\":\"{}\",\"position\":{},\"name\":\"Mayee Chen\",\"person\":\"M\"}}\n",
        first.id,
        other.position.unwrap()
    );
    std::fs::write(&path, line).unwrap();
    let r = arrow.evaluate_people(&path).unwrap();
    assert_eq!(r.names_differ, 1);
    assert!(r.first_name_difference.unwrap().contains(&format!("the store {:?}", other.name)));
    // A gold file of no stored mention (positions counted from 0, say) scores nothing, rather than perfectly.
    std::fs::write(&path, "{\"work\":\"nope:1\",\"position\":0,\"name\":\"X\",\"person\":\"X\"}\n").unwrap();
    let err = arrow.evaluate_people(&path).unwrap_err().to_string();
    assert!(err.contains("none of its 1 mentions is a stored mention") && err.contains("nothing to score"), "{err}");
}

/// What a work cites is resolved through the store (here a DOI) and weighed as self-citation evidence.
#[test]
fn a_citation_between_two_stored_works_is_self_citation_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(&dir.path().join("data")).unwrap();
    let file = dir.path().join("w.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id":"openalex:W1","title":"Mining frequent patterns in graphs","authors":["Wei Wang","Jiawei Han"],"venue":"KDD","year":2016,"references":["doi:10.1/b","openalex:W404"]}"#,
            "\n",
            r#"{"id":"x:b","title":"Query processing over uncertain streams","authors":["Wei Wang","Philip S. Yu"],"venue":"ICDE","year":2010,"doi":"10.1/B"}"#,
            "\n",
        ),
    )
    .unwrap();
    let opts = arrow_engine::IngestOptions::default();
    arrow.ingest_paths(&[file.display().to_string()], &opts, &Quiet).unwrap();
    arrow.disambiguate().unwrap();
    let a = MentionRef { work: "openalex:W1".into(), position: 1 };
    let b = MentionRef { work: "x:b".into(), position: 1 };
    let e = arrow.explain(&a, &b).unwrap().unwrap();
    let citation = e.signals.iter().find(|s| s.signal == "citation").unwrap();
    assert_eq!(citation.level, "one work cites the other (self-citation)", "{e:?}");
    assert!(citation.weight > 0.0);
    // The other direction is the same pair.
    let e = arrow.explain(&b, &a).unwrap().unwrap();
    assert_eq!(
        e.signals.iter().find(|s| s.signal == "citation").unwrap().level,
        "one work cites the other (self-citation)"
    );
}

struct Quiet;
impl arrow_engine::Progress for Quiet {}

/// An ORCID that one source bound to two clearly different names (as large providers have, through one bad
/// id) is reported and flagged, not obeyed; on two spellings of one name it still links.
#[test]
fn an_orcid_on_clearly_different_names_is_flagged_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    let orcid = "orcid:0000-0002-1825-0097";
    let line = |id: &str, title: &str, name: &str, oid: &str| {
        format!(
            "{{\"id\":\"{id}\",\"title\":\"{title}\",\"year\":2020,\"venue\":\"ACL\",\
             \"authors\":[{{\"name\":\"{name}\",\"id\":\"{oid}\"}},\"Ann Coauthor\"]}}\n"
        )
    };
    let text = [
        line("x:1", "Parsing with graphs", "Wei Wang", orcid),
        line("x:2", "Parsing with trees", "John Smith", orcid),
        line("x:3", "Tagging Czech", "Jan Hajič", "orcid:0000-0001-5000-0007"),
        line("x:4", "Treebanks", "Jan HAJIC", "orcid:0000-0001-5000-0007"),
    ]
    .concat();
    let path = dir.path().join("works.jsonl");
    std::fs::write(&path, text).unwrap();
    arrow.ingest_paths(&[path.display().to_string()], &Default::default(), &Quiet).unwrap();
    let report = arrow.disambiguate().unwrap();
    assert_eq!(report.source_id_conflicts.len(), 1, "{:?}", report.source_id_conflicts);
    let c = &report.source_id_conflicts[0];
    assert_eq!(c.source_id, orcid);
    assert_eq!(c.names, ["John Smith", "Wei Wang"]);
    assert_ne!(person_of(&arrow, "Wei Wang"), person_of(&arrow, "John Smith"));
    let m = |work: &str| MentionRef { work: work.into(), position: 1 };
    let why = arrow.explain(&m("x:1"), &m("x:2")).unwrap().unwrap();
    assert_eq!(why.constraint, Some(arrow_disambig::Constraint::SourceIdOnDifferentNames));
    assert_eq!((why.probability, why.same_person), (0.0, Some(false)));
    // Two spellings of one name: the id is followed.
    assert_eq!(person_of(&arrow, "Jan Hajič"), person_of(&arrow, "Jan HAJIC"));
    let why = arrow.explain(&m("x:3"), &m("x:4")).unwrap().unwrap();
    assert_eq!(why.constraint, Some(arrow_disambig::Constraint::SameSourceId));
}

/// Real ACL records of people who publish under two spellings, one kind of variant each (see the fixtures'
/// README): each person's mentions become one person, and no two of them share one.
#[test]
fn each_kind_of_name_variant_merges_on_real_acl_records() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.ingest_paths(&[format!("{fixtures}/acl-variants.jsonl.xz")], &Default::default(), &Quiet).unwrap();
    arrow.disambiguate().unwrap();
    let gold = std::fs::read_to_string(format!("{fixtures}/acl-variants-gold.jsonl")).unwrap();
    let mut people: std::collections::BTreeMap<String, std::collections::BTreeSet<(String, Option<String>)>> =
        Default::default();
    for line in gold.lines() {
        let g: serde_json::Value = serde_json::from_str(line).unwrap();
        let m =
            MentionRef { work: g["work"].as_str().unwrap().into(), position: g["position"].as_u64().unwrap() as u32 };
        let found = arrow.people_of(std::slice::from_ref(&m)).unwrap().pop().flatten();
        people
            .entry(g["person"].as_str().unwrap().into())
            .or_default()
            .insert((g["name"].as_str().unwrap().into(), found));
    }
    assert_eq!(people.len(), 27);
    let mut seen = std::collections::HashSet::new();
    for (person, mentions) in &people {
        let ids: std::collections::BTreeSet<&Option<String>> = mentions.iter().map(|m| &m.1).collect();
        let names: std::collections::BTreeSet<&String> = mentions.iter().map(|m| &m.0).collect();
        assert!(names.len() >= 2, "{person}: two spellings or more");
        assert_eq!(ids.len(), 1, "{person}: {mentions:?}");
        let id = ids.into_iter().next().unwrap().clone().unwrap();
        assert!(seen.insert(id), "{person} shares a person with another");
    }
    // Explaining two spellings of one rare name shows the name rule and the rarity verdict.
    let doshita: Vec<serde_json::Value> = gold
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|g| g["person"] == "Shuji Doshita")
        .collect();
    let other = doshita.iter().find(|g| g["name"] != doshita[0]["name"]).expect("two spellings");
    let at = |g: &serde_json::Value| MentionRef {
        work: g["work"].as_str().unwrap().into(),
        position: g["position"].as_u64().unwrap() as u32,
    };
    // A nickname and its formal name ("Dan", "Daniel"): the names agree, and as a rare surname's short and long
    // first name they are one rare name.
    // The first gold mention written so.
    let written = |name: &str| {
        let g = gold.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).find(|g| g["name"] == name);
        at(&g.unwrap_or_else(|| panic!("{name} in the gold")))
    };
    let e = arrow.explain(&written("Dan Jurafsky"), &written("Daniel Jurafsky")).unwrap().unwrap();
    assert_eq!(e.same_person, Some(true));
    assert_eq!(e.constraint, Some(arrow_disambig::Constraint::OneRareName), "{e:?}");
    assert!(e.rarity[0].reason.contains("short for \"daniel\""), "{:?}", e.rarity);
    // Names that no block compares, one read as the other: the family name first, a double surname without its
    // second part, "ue" for "ü". The explanation names the reading.
    for (a, b, reading) in [
        ("T T Mirnalinee", "Mirnalinee T T", arrow_disambig::Reading::FamilyNameFirst),
        ("Irene Langkilde-Geary", "Irene Langkilde", arrow_disambig::Reading::ShortSurname),
        ("Ina Rösiger", "Ina Roesiger", arrow_disambig::Reading::Umlaut),
    ] {
        let e = arrow.explain(&written(a), &written(b)).unwrap().unwrap();
        assert_eq!(e.same_person, Some(true), "{a} / {b}");
        assert_eq!(e.constraint, Some(arrow_disambig::Constraint::OtherReading(reading)), "{a} / {b}");
        if reading == arrow_disambig::Reading::FamilyNameFirst {
            // Joined only on a shared coauthor, which the explanation names.
            assert!(!e.shared_by_readings.is_empty(), "{a} / {b}: {e:?}");
        }
    }
    let e = arrow.explain(&at(&doshita[0]), &at(other)).unwrap().unwrap();
    assert_eq!(e.same_person, Some(true));
    assert_ne!(e.names[0], e.names[1], "{:?}", e.names);
    assert_eq!(e.signals[0].signal, "name");
    assert_eq!(e.rarity.len(), 2, "{:?}", e.rarity);
    for r in &e.rarity {
        assert_eq!(r.rare_as.as_deref(), Some("shuji doshita"), "{r:?}");
        assert!(r.reason.starts_with("rare"), "{r:?}");
    }
}

#[test]
fn a_surname_or_an_initial_finds_the_people_whose_names_fit() {
    let (_d, arrow) = demo();
    arrow.disambiguate().unwrap();
    let mayee = person_of(&arrow, "Mayee F. Chen");
    let ré = person_of(&arrow, "Christopher Ré");
    // A surname alone: every given name of it, and each person's names as written.
    let fit = |name: &str, limit: usize| {
        let f = arrow.people_fitting(name, limit).unwrap();
        (f.people, f.total)
    };
    let (chens, total) = fit("chen", 100);
    assert_eq!(total, chens.len());
    let found = chens.iter().find(|p| p.id == mayee[0]).expect("Mayee Chen is a Chen");
    let names: Vec<&str> = found.names.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"Mayee F. Chen") && names.contains(&"Mayee Chen"), "{names:?}");
    assert!(chens.iter().all(|p| p.names.iter().all(|(n, _)| n.ends_with("Chen"))), "{chens:?}");
    assert!(chens.windows(2).all(|w| w[0].works >= w[1].works), "the most published first");
    // Initials and missing diacritics fit; another initial does not.
    let (m, _) = fit("M. Chen", 100);
    assert!(m.iter().any(|p| p.id == mayee[0]));
    assert!(m.iter().all(|p| p.names.iter().all(|(n, _)| n.starts_with('M'))), "{m:?}");
    let (re, _) = fit("Christopher Re", 100);
    assert_eq!(re.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), ré);
    // Typed otherwise, when nothing fits as typed: the family name first, a compound surname without its hyphen.
    let (re, _) = fit("Re Christopher", 100);
    assert_eq!(re.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), ré);
    let saad = person_of(&arrow, "Jon Saad-Falcon");
    for typed in ["Jon Saad Falcon", "Saad Falcon"] {
        let (found, _) = fit(typed, 100);
        assert_eq!(found.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), saad, "{typed}");
    }
    // The limit keeps the most published and still counts everyone.
    let (one, all) = fit("chen", 1);
    assert_eq!((one.len(), all), (1, total));
    assert_eq!(one[0].id, chens[0].id);
    // A surname that begins another ("Sa", "Sala") finds only its own; its particle may come with it.
    let (sa, _) = fit("Sa", 100);
    assert!(!sa.is_empty() && sa.iter().all(|p| p.names.iter().all(|(n, _)| n.ends_with(" Sa"))), "{sa:?}");
    let ids = |list: &[arrow_engine::PersonFit]| list.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
    let (de_sa, _) = fit("De Sa", 100);
    assert!(!de_sa.is_empty() && de_sa.iter().all(|p| p.names.iter().all(|(n, _)| n.contains("De Sa"))), "{de_sa:?}");
    assert!(ids(&de_sa).iter().all(|id| ids(&sa).contains(id)), "the particle narrows the surname's people");
    assert_eq!(fit("Nobodyhere", 10).1, 0);
    assert_eq!(fit("", 10).1, 0);
}

#[test]
fn initials_written_exactly_still_leave_room_for_the_people_they_fit() {
    let (dir, arrow) = demo();
    // Someone wrote "M. Chen" exactly, on a paper with nothing in common with Mayee Chen's.
    let path = dir.path().join("m-chen.jsonl");
    let line = r#"{"id":"test:m-chen","title":"Soil moisture under maize","year":1998,"venue":"Agron. J.","authors":["M. Chen","Q. Farmer"]}"#;
    std::fs::write(&path, format!("{line}\n")).unwrap();
    arrow.ingest_paths(&[path.display().to_string()], &arrow_engine::IngestOptions::default(), &Quiet).unwrap();
    arrow.disambiguate().unwrap();
    let exact = arrow.people_named("M. Chen").unwrap();
    assert_eq!(exact.len(), 1, "{exact:?}");
    assert!(arrow_engine::is_partial_name("M. Chen") && arrow_engine::is_partial_name("Chen"));
    assert!(arrow_engine::is_partial_name("De Sa") && arrow_engine::is_partial_name("van der Aalst"));
    assert!(!arrow_engine::is_partial_name("Mayee Chen") && !arrow_engine::is_partial_name("M. F. Chen"));
    let mayee = person_of(&arrow, "Mayee F. Chen");
    let fit = arrow.people_fitting("M. Chen", 20 + exact.len()).unwrap();
    assert!(fit.people.iter().any(|p| p.id == exact[0].id), "the exact name fits itself");
    let others = fit.without(&exact, 20);
    assert!(others.people.iter().all(|p| p.id != exact[0].id), "{others:?}");
    assert!(others.people.iter().any(|p| p.id == mayee[0]), "Mayee Chen is an M. Chen too: {others:?}");
}

#[test]
fn the_same_name_written_otherwise_is_listed_beside_it_and_first_and_a_double_surname_is_not_its_last_part() {
    let (dir, arrow) = demo();
    let path = dir.path().join("otherwise.jsonl");
    let lines = [
        r#"{"id":"t:lisp1","title":"Recursive functions of symbolic expressions","year":1960,"venue":"Commun. ACM","authors":["John McCarthy 0001"]}"#,
        r#"{"id":"t:lisp2","title":"Situations, actions and causal laws","year":1963,"venue":"Stanford AI Memo","authors":["John McCarthy 0001","Patrick J. Hayes"]}"#,
        r#"{"id":"t:hci","title":"Technology as experience","year":2004,"venue":"CHI","authors":["John McCarthy","Peter Wright"]}"#,
        r#"{"id":"t:math","title":"Pick interpolation and Hilbert function spaces","year":2002,"venue":"Amer. Math. Monthly","authors":["John E. McCarthy","John McCarthy 0001"]}"#,
        r#"{"id":"t:y1","title":"Soil moisture under maize","year":1998,"venue":"Agron. J.","authors":["Y. Zhang","Q. Farmer"]}"#,
        r#"{"id":"t:sep1","title":"Separation logic for sharing","year":2008,"venue":"CAV","authors":["Noah Torp-Smith","Lars Birkedal"]}"#,
        r#"{"id":"t:nlp1","title":"Parsing with structured prediction","year":2008,"venue":"CAV","authors":["Noah Smith","Lars Birkedal"]}"#,
        r#"{"id":"t:sy1","title":"Grain yields in drought","year":2001,"venue":"Field Crops Res.","authors":["S. Y. Zhang","R. Grower"]}"#,
        r#"{"id":"t:sy2","title":"Grain yields in floods","year":2002,"venue":"Field Crops Res.","authors":["S. Y. Zhang","R. Grower"]}"#,
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    arrow.ingest_paths(&[path.display().to_string()], &arrow_engine::IngestOptions::default(), &Quiet).unwrap();
    arrow.disambiguate().unwrap();
    use arrow_engine::Engine;
    // A full name is taken as written, but its numbered homonym is the same name: a user looking up "John
    // McCarthy" must find the one DBLP numbered.
    let named = arrow.people_named("John McCarthy").unwrap();
    assert_eq!(named.len(), 1, "{named:?}");
    let lisp = person_of(&arrow, "John McCarthy 0001");
    assert_ne!(lisp, vec![named[0].id.clone()], "two people here");
    let fit = arrow.people_also_fitting("John McCarthy", &named, 20).unwrap().expect("the numbered name is listed");
    // Then the same first name with a middle initial ("Andrew Y. Ng" for "Andrew Ng"); not "J. McCarthy".
    let listed: Vec<String> = fit.people.iter().map(|p| p.id.clone()).collect();
    assert_eq!(listed[0], lisp[0], "the same name first: {fit:?}");
    // A nickname's formal name is listed too ("Chris Manning" finds Christopher D. Manning).
    let johnny = arrow.people_also_fitting("Johnny McCarthy", &[], 20).unwrap().expect("people fit");
    assert!(johnny.people.iter().any(|p| p.id == named[0].id), "{johnny:?}");
    // Two authors of one paper, so never one person.
    let middle = person_of(&arrow, "John E. McCarthy");
    assert_eq!(middle.len(), 1);
    assert_ne!(middle[0], lisp[0]);
    assert!(listed.contains(&middle[0]), "{fit:?}");
    assert!(arrow
        .people_also_fitting("Christopher Ré", &arrow.people_named("Christopher Ré").unwrap(), 20)
        .unwrap()
        .is_none());
    // A double surname is not its last part: Noah Torp-Smith and Noah Smith stay two people, though they share a
    // coauthor and a venue, and a lookup of the surname Smith finds only the Smiths.
    let (torp, smith) = (person_of(&arrow, "Noah Torp-Smith"), person_of(&arrow, "Noah Smith"));
    assert_ne!(torp, smith);
    let smiths = arrow.people_fitting("Smith", 100).unwrap();
    assert!(smiths.people.iter().any(|p| p.id == smith[0]) && smiths.people.iter().all(|p| p.id != torp[0]));
    let torps = arrow.people_fitting("Torp-Smith", 100).unwrap();
    assert_eq!(torps.people.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), torp);
    // No one wrote "Y Zhang": the people who wrote "Y. Zhang" come before the more published S. Y. Zhang.
    assert!(arrow.people_named("Y Zhang").unwrap().is_empty());
    let fit = arrow.people_also_fitting("Y Zhang", &[], 20).unwrap().expect("people fit");
    let first: Vec<&str> = fit.people[0].names.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(first, ["Y. Zhang"], "{fit:?}");
    assert!(fit.people.iter().any(|p| p.names.iter().any(|(n, _)| n == "S. Y. Zhang")), "{fit:?}");
}

#[test]
fn coauthors_are_people_one_entry_for_all_their_spellings() {
    let (_d, arrow) = demo();
    arrow.disambiguate().unwrap();
    let ré = person_of(&arrow, "Christopher Ré");
    let mayee = person_of(&arrow, "Mayee F. Chen");
    let p = arrow.person(&ré[0]).unwrap().unwrap();
    let entries: Vec<_> = p.coauthor_people.iter().filter(|c| c.person == mayee[0]).collect();
    assert_eq!(entries.len(), 1, "{:?}", p.coauthor_people);
    let names: Vec<&str> = entries[0].names.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"Mayee F. Chen") && names.contains(&"Mayee Chen"), "{names:?}");
    assert_eq!(entries[0].works, entries[0].names.iter().map(|(_, n)| n).sum::<u64>());
    // By name, the two spellings stay two entries.
    assert!(
        p.coauthors.iter().any(|(n, _)| n == "Mayee Chen") && p.coauthors.iter().any(|(n, _)| n == "Mayee F. Chen")
    );
    assert!(p.coauthor_people.windows(2).all(|w| w[0].works >= w[1].works), "the most frequent first");
}
