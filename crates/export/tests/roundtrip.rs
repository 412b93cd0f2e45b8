//! The demo corpus exported to BibTeX and RIS and read back by Arrow's own importers.

use arrow_export::{Exporter, Format};
use arrow_ingest::parse_reader;
use arrow_model::{Authorship, VenueKind, Work};

const DEMO: &str = include_str!("../../../data/demo/christopher-re.jsonl");

fn demo() -> Vec<Work> {
    parse_reader(arrow_ingest::Format::Jsonl, "demo", DEMO.as_bytes()).unwrap().map(|r| r.unwrap().work).collect()
}

fn export(format: Format, works: &[Work]) -> String {
    let mut ex = Exporter::new(format, Vec::new());
    for w in works {
        ex.write(w).unwrap();
    }
    String::from_utf8(ex.finish().unwrap()).unwrap()
}

fn names(w: &Work) -> Vec<String> {
    w.ordered_authors().iter().map(|a| a.name.clone()).collect()
}

fn reimport(format: arrow_ingest::Format, text: &str) -> Vec<Work> {
    parse_reader(format, "export", text.as_bytes())
        .unwrap()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}\n{text}")).work)
        .collect()
}

fn hard_cases() -> Vec<Work> {
    let mut w = Work::new("x:hard", "50% of {Braces} & $\\ell_p$ -- costs $5 ~ `quotes'' #1 a_b \\emph");
    w.authors = vec![
        Authorship::at(1, "Christopher Ré"),
        Authorship::at(2, "Søren Kierkegaard"),
        Authorship::at(3, "Jan van der Berg, Jr."),
        Authorship::at(4, "Barnes and Noble"),
        Authorship::at(5, "Ji Liu 0002"),
    ];
    w.venue = Some("Proc. A&B".into());
    w.venue_kind = VenueKind::Journal;
    w.year = Some(2001);
    w.abstract_text = Some("We show $$\\sum_i x_i$$ and $O(N\\log N)$---fast.\n\nSecond paragraph.".into());
    vec![w]
}

#[test]
fn bibtex_round_trips_title_authors_venue_year() {
    let mut works = demo();
    assert_eq!(works.len(), 107);
    works.extend(hard_cases());
    let bib = export(Format::Bibtex, &works);
    let back = reimport(arrow_ingest::Format::Bibtex, &bib);
    assert_eq!(back.len(), works.len());
    let mut keys = std::collections::HashSet::new();
    for (a, b) in works.iter().zip(&back) {
        assert!(keys.insert(b.id.0.clone()), "cite keys are unique: {}", b.id);
        assert_eq!(a.title, b.title, "title of {}", a.id);
        assert_eq!(names(a), names(b), "authors of {}", a.id);
        assert_eq!(a.venue, b.venue, "venue of {}", a.id);
        assert_eq!(a.year, b.year, "year of {}", a.id);
        assert_eq!(a.venue_kind, b.venue_kind, "venue kind of {}", a.id);
        assert_eq!(a.abstract_text.as_ref().map(|s| squash(s)), b.abstract_text, "abstract of {}", a.id);
    }
    assert!(bib.contains("Christopher Ré"), "non-ASCII stays UTF-8");
    assert!(bib.contains("@inproceedings{re2025aioli,") || bib.contains("{chen2025aioli,"), "keys");
}

/// Regression (a new-user test): a DBLP record exported and read back is the same DBLP work, not a new one.
#[test]
fn a_dblp_record_keeps_its_key_through_bibtex() {
    let mut w =
        Work::new("dblp:conf/icml/LiuWRBS14", "An Asynchronous Parallel Stochastic Coordinate Descent Algorithm");
    w.ids.dblp = Some("conf/icml/LiuWRBS14".into());
    w.year = Some(2014);
    let bib = export(Format::Bibtex, &[w.clone(), w]);
    assert!(bib.contains("{DBLP:conf/icml/LiuWRBS14,"), "{bib}");
    let back = reimport(arrow_ingest::Format::Bibtex, &bib);
    assert_eq!(back[0].id.0, "dblp:conf/icml/LiuWRBS14");
    assert_eq!(back[0].ids.dblp.as_deref(), Some("conf/icml/LiuWRBS14"));
    assert_eq!(back[1].id.0, "bibtex:anon2014asynchronous", "the same work twice: unique, and no made-up DBLP key");
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn ris_round_trips_title_authors_venue_year() {
    let works = demo();
    let ris = export(Format::Ris, &works);
    let back = reimport(arrow_ingest::Format::Ris, &ris);
    assert_eq!(back.len(), works.len());
    for (a, b) in works.iter().zip(&back) {
        assert_eq!(a.title, b.title);
        assert_eq!(names(a), names(b), "authors of {}", a.id);
        assert_eq!(a.venue, b.venue);
        assert_eq!(a.year, b.year);
        assert_eq!(a.venue_kind, b.venue_kind);
    }
}

#[test]
fn csl_json_is_one_valid_array() {
    let works = demo();
    let json = export(Format::CslJson, &works);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 107);
    let ids: std::collections::HashSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 107);
    let first = &items[0];
    assert_eq!(first["type"], "paper-conference");
    assert_eq!(first["issued"]["date-parts"][0][0], 2025);
    assert!(first["author"][0]["family"].is_string());
    let empty = export(Format::CslJson, &[]);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&empty).unwrap(), serde_json::json!([]));
}
