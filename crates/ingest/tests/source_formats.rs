//! The OpenAlex, Crossref, Semantic Scholar, arXiv (Atom and snapshot) and PubMed parsers against real
//! samples (see each fixture directory's README for its source).

use arrow_ingest::{open_input, parse_path, parse_reader, Format, ParseError, Record};
use arrow_model::{Authorship, VenueKind};
use proptest::prelude::*;

fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn parse_all(rel: &str, format: Format) -> Vec<Result<Record, ParseError>> {
    let (_, records) = parse_path(&fixture(rel), Some(format)).unwrap();
    records.collect()
}

fn works(rel: &str, format: Format) -> Vec<Record> {
    parse_all(rel, format).into_iter().map(|r| r.unwrap_or_else(|e| panic!("{e}"))).collect()
}

fn detect(rel: &str) -> Option<Format> {
    let mut input = open_input(&fixture(rel), None).unwrap();
    Format::detect(input.peek().unwrap())
}

fn names(r: &Record) -> Vec<&str> {
    r.work.authors.iter().map(|a| a.name.as_str()).collect()
}

#[test]
fn each_fixture_is_detected_as_its_format() {
    let cases: &[(&str, Format)] = &[
        ("openalex/workJsonResponse.json", Format::OpenAlex),
        ("openalex/works.jsonl", Format::OpenAlex),
        ("crossref/3items.json.gz", Format::Crossref),
        ("crossref/affiliations.json.gz", Format::Crossref),
        ("crossref/crossref-2025.jsonl.gz", Format::Crossref),
        ("crossref/orcid-work.json.gz", Format::Crossref),
        ("crossref/same-author.json.gz", Format::Crossref),
        ("semantic-scholar/Paper.json", Format::SemanticScholar),
        ("semantic-scholar/Author.json", Format::SemanticScholar),
        ("semantic-scholar/Citation.json", Format::SemanticScholar),
        ("semantic-scholar/Reference.json", Format::SemanticScholar),
        ("semantic-scholar/PaperWithNullValues.json", Format::SemanticScholar),
        ("arxiv-atom/q_testing_s0_m10.xml", Format::ArxivAtom),
        ("arxiv-atom/id_abc_s0_m100.xml", Format::ArxivAtom),
        ("arxiv-atom/id_0000.0000_s0_m100.xml", Format::ArxivAtom),
        ("arxiv-jsonl/snapshot.jsonl", Format::ArxivJsonl),
        ("arxiv-jsonl/single-pretty.json", Format::ArxivJsonl),
        ("pubmed/pubmed1.xml.gz", Format::Pubmed),
        ("pubmed/pubmed2.xml.gz", Format::Pubmed),
    ];
    for (rel, format) in cases {
        assert_eq!(detect(rel), Some(*format), "{rel}");
    }
    // An OpenAlex author record is not a work: it stays with the canonical lines.
    assert_eq!(detect("openalex/authorJsonResponse.json"), Some(Format::Jsonl));
    assert_eq!(Format::detect(br#"{"id":"dblp:x","title":"T","authors":["A"],"doi":"10.1/x"}"#), Some(Format::Jsonl));
    for f in [
        Format::OpenAlex,
        Format::Crossref,
        Format::SemanticScholar,
        Format::ArxivAtom,
        Format::ArxivJsonl,
        Format::Pubmed,
    ] {
        assert_eq!(f.name().parse::<Format>().unwrap(), f);
    }
}

#[test]
fn openalex_work_pretty_and_as_a_line() {
    let pretty = works("openalex/workJsonResponse.json", Format::OpenAlex);
    let line = works("openalex/works.jsonl", Format::OpenAlex);
    assert_eq!((pretty.len(), line.len()), (1, 1));
    assert_eq!(pretty[0].work, line[0].work);
    let w = &pretty[0].work;
    assert_eq!(w.id.0, "openalex:W2741809807");
    assert_eq!(w.ids.openalex.as_deref(), Some("W2741809807"));
    assert_eq!(w.ids.doi.as_deref(), Some("10.7717/peerj.4375"));
    assert_eq!(w.title, "The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles");
    assert_eq!((w.year, w.venue.as_deref(), w.venue_kind), (Some(2018), Some("PeerJ"), VenueKind::Journal));
    assert_eq!(w.pub_type.as_deref(), Some("article"));
    assert_eq!(w.authors.len(), 9);
    // raw_author_name is preferred over the display name ("Heather A. Piwowar").
    assert_eq!(
        w.authors[0],
        Authorship {
            position: Some(1),
            name: "Heather Piwowar".into(),
            source_id: Some("openalex:A1969205032".into())
        }
    );
    assert_eq!(w.authors[2].name, "Vincent Larivière");
    assert!(w.abstract_text.as_deref().unwrap().starts_with("Despite growing interest in"));
    assert_eq!(w.references, ["openalex:W1560783210", "openalex:W1724212071"], "referenced works, in order");
    assert_eq!(w.provenance[0].source, "openalex");
}

#[test]
fn openalex_non_work_is_a_located_error() {
    let out = parse_all("openalex/authorJsonResponse.json", Format::OpenAlex);
    assert_eq!(out.len(), 1);
    let e = out[0].as_ref().unwrap_err();
    assert_eq!(e.line, 1);
    assert!(e.message.contains("A1969205032 is not an OpenAlex work id"), "{e}");
}

#[test]
fn crossref_lists_lines_and_fields() {
    let counts = [
        ("crossref/3items.json.gz", 3),
        ("crossref/affiliations.json.gz", 1),
        ("crossref/crossref-2025.jsonl.gz", 3),
        ("crossref/orcid-work.json.gz", 1),
        ("crossref/same-author.json.gz", 2),
    ];
    for (rel, n) in counts {
        assert_eq!(works(rel, Format::Crossref).len(), n, "{rel}");
    }
    let w = &works("crossref/affiliations.json.gz", Format::Crossref)[0];
    assert_eq!(w.line, 3, "the work object starts on line 3 of the items list");
    assert_eq!(w.work.id.0, "doi:10.1002/mdc3.13466");
    assert_eq!(names(w)[..2], ["Verónica Caniça", "Raquel Bouça‐Machado"]);
    assert_eq!(w.work.venue.as_deref(), Some("Movement Disorders Clinical Practice"));

    let same = works("crossref/same-author.json.gz", Format::Crossref);
    let abs = same[0].work.abstract_text.as_deref().unwrap();
    assert!(abs.starts_with("Financial literacy is defined by the OECD (2020)"), "{abs}");
    assert!(!abs.contains('<'), "{abs}");
    assert_eq!(same[0].work.authors[0].name, "Nurhazrina Mat Rahim", "degrees in `suffix` are dropped");
    assert_eq!(same[0].work.authors[0].source_id.as_deref(), Some("orcid:0000-0003-3044-1950"));
    assert_eq!(same[0].work.year, Some(2022));

    let lines = works("crossref/crossref-2025.jsonl.gz", Format::Crossref);
    assert_eq!(lines.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(lines[0].work.authors.len(), 0, "editors are not authors");
    assert_eq!((lines[0].work.venue_kind, lines[0].work.year), (VenueKind::Book, Some(2024)));
    assert_eq!(lines[2].work.venue.as_deref(), Some("JAMA"));

    let acm = &works("crossref/orcid-work.json.gz", Format::Crossref)[0].work;
    assert_eq!((acm.venue_kind, acm.pub_type.as_deref()), (VenueKind::Conference, Some("proceedings-article")));
    // 12 references, 7 of them with a DOI (the others are text only).
    assert_eq!(acm.references.len(), 7);
    assert_eq!(acm.references[0], "doi:10.1145/2901318.2901350");
    assert_eq!(acm.references[1], "doi:10.1109/icsm.2013.18");
}

#[test]
fn semantic_scholar_paper_with_citations_and_references() {
    let recs = works("semantic-scholar/Paper.json", Format::SemanticScholar);
    // The paper, its 6 citing papers and 3 of its 5 references (2 are unresolved, without paperId).
    assert_eq!(recs.len(), 10);
    let turing = &recs[0].work;
    assert_eq!(turing.id.0, "s2:2d5673caa9e6af3a7b82a43f19ee920992db07ad");
    assert_eq!(turing.title, "Computing Machinery and Intelligence");
    assert_eq!(turing.year, Some(1950));
    assert_eq!(turing.ids.doi.as_deref(), Some("10.1093/mind/lix.236.433"));
    assert_eq!(turing.ids.dblp.as_deref(), Some("journals/x/Turing50"));
    assert_eq!(turing.authors[0].source_id.as_deref(), Some("s2:2262347"));
    assert_eq!(names(&recs[3]), ["Handan Hamarat", "Haydar Sahin", "Ayşe Koç Apuhan", "Ramazan İnan"]);
    assert_eq!(recs[9].work.title, "General Recursive Functions of Natural Numbers.");
    assert_eq!(names(&recs[9])[0], "Rózsa Péter");
    assert_eq!(recs[2].work.venue, None, "missing venue stays missing");
}

#[test]
fn semantic_scholar_author_citation_reference_and_nulls() {
    let papers = works("semantic-scholar/Author.json", Format::SemanticScholar);
    assert_eq!(papers.len(), 5);
    assert!(papers.iter().all(|p| p.work.authors.iter().any(|a| a.source_id.as_deref() == Some("s2:2262347"))));
    let cited = &works("semantic-scholar/Reference.json", Format::SemanticScholar)[0].work;
    assert_eq!(cited.title, "Neural Variational Inference and Learning in Belief Networks");
    assert_eq!(cited.venue_kind, VenueKind::Conference);
    assert_eq!(cited.ids.arxiv.as_deref(), Some("1402.0030"));
    let citing = works("semantic-scholar/Citation.json", Format::SemanticScholar);
    assert_eq!(citing[0].work.ids.doi.as_deref(), Some("10.1109/lra.2022.3229266"));
    let nulls = parse_all("semantic-scholar/PaperWithNullValues.json", Format::SemanticScholar);
    assert_eq!(nulls.len(), 1);
    assert!(nulls[0]
        .as_ref()
        .unwrap_err()
        .to_string()
        .ends_with("PaperWithNullValues.json:1: paper 2d5673caa9e6af3a7b82a43f19ee920992db07ad: no title"));
}

#[test]
fn arxiv_atom_entries_errors_and_empty_feeds() {
    let recs = works("arxiv-atom/q_testing_s0_m10.xml", Format::ArxivAtom);
    assert_eq!(recs.len(), 10);
    let first = &recs[0];
    assert_eq!(first.line, 10);
    assert_eq!(first.work.id.0, "arxiv:2202.12139");
    assert_eq!(first.work.ids.arxiv.as_deref(), Some("2202.12139"));
    assert_eq!(first.work.ids.doi.as_deref(), Some("10.1109/icstw55395.2022.00035"));
    assert_eq!((first.work.venue.as_deref(), first.work.venue_kind), (Some("arXiv"), VenueKind::Preprint));
    assert_eq!(first.work.pub_type.as_deref(), Some("arXiv cs.SE"));
    assert_eq!(names(first), ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"]);
    assert_eq!(first.work.year, Some(2022));

    let old = &works("arxiv-atom/id_astro-ph_0601001_s0_m100.xml", Format::ArxivAtom)[0].work;
    assert_eq!(old.id.0, "arxiv:astro-ph/0601001");
    let abs = old.abstract_text.as_deref().unwrap();
    assert!(abs.starts_with("We derive") && abs.contains("(1/310)(1^{+1.39}_{-0.59})") && abs.contains("V_max<17.5"));

    assert!(parse_all("arxiv-atom/id_0000.0000_s0_m100.xml", Format::ArxivAtom).is_empty());
    let err = parse_all("arxiv-atom/id_abc_s0_m100.xml", Format::ArxivAtom);
    assert_eq!(err.len(), 1);
    let e = err[0].as_ref().unwrap_err();
    assert_eq!((e.line, e.message.as_str()), (9, "arXiv API error: incorrect id format for abc"));
}

#[test]
fn arxiv_snapshot_lines() {
    let recs = works("arxiv-jsonl/snapshot.jsonl", Format::ArxivJsonl);
    assert_eq!(recs.len(), 4);
    let w = &recs[0].work;
    assert_eq!(w.id.0, "arxiv:0704.0001");
    assert_eq!(w.title, "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies");
    assert_eq!(names(&recs[0]), ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"]);
    assert_eq!((w.year, w.ids.doi.as_deref()), (Some(2007), Some("10.1103/physrevd.76.013009")));
    assert_eq!(recs[1].work.pub_type.as_deref(), Some("arXiv math.CO"));
    assert_eq!(recs[1].work.ids.doi, None);
    let old = &recs[2].work;
    assert_eq!((old.id.0.as_str(), old.ids.arxiv.as_deref()), ("arxiv:hep-th/9901001", Some("hep-th/9901001")));
    assert_eq!(old.title, "Supersymmetric solutions of $D=11$ supergravity and the $\\mathcal{N}=2$ $\\sigma$-model");
    assert_eq!(names(&recs[2])[1], "J. Simon Jr");
    assert_eq!(old.year, Some(1999));
    assert_eq!(recs[3].work.year, Some(2019), "no versions: the update date's year");

    let pretty = works("arxiv-jsonl/single-pretty.json", Format::ArxivJsonl);
    assert_eq!(pretty.len(), 1);
    assert_eq!(pretty[0].work, recs[2].work);
}

#[test]
fn arxiv_snapshot_bad_lines_are_located_and_parsing_goes_on() {
    let out = parse_all("arxiv-jsonl/bad-lines.jsonl", Format::ArxivJsonl);
    assert_eq!(out.len(), 4);
    assert_eq!(out[0].as_ref().unwrap().line, 1);
    let e = out[1].as_ref().unwrap_err();
    assert!(e.line == 2 && e.message.starts_with("invalid JSON"), "{e}");
    let e = out[2].as_ref().unwrap_err();
    assert_eq!((e.line, e.message.as_str()), (4, "paper 0704.0004: no title"));
    assert_eq!(out[3].as_ref().unwrap().work.id.0, "arxiv:0704.0001");
}

#[test]
fn pubmed_articles() {
    let counts = [
        ("pubmed/pubmed1.xml.gz", 5),
        ("pubmed/pubmed2.xml.gz", 1),
        ("pubmed/pubmed3.xml.gz", 4),
        ("pubmed/pubmed4.xml.gz", 1),
        ("pubmed/pubmed5.xml.gz", 1),
    ];
    for (rel, n) in counts {
        assert_eq!(works(rel, Format::Pubmed).len(), n, "{rel}");
    }
    let recs = works("pubmed/pubmed1.xml.gz", Format::Pubmed);
    let w = &recs[0].work;
    assert_eq!((recs[0].line, w.id.0.as_str()), (4, "pubmed:36464820"));
    assert_eq!(
        (w.venue.as_deref(), w.venue_kind, w.year),
        (Some("Clinical endoscopy"), VenueKind::Journal, Some(2022))
    );
    assert_eq!(w.ids.doi.as_deref(), Some("10.5946/ce.2022.114"));
    let structured = &recs[4].work;
    let abs = structured.abstract_text.as_deref().unwrap();
    assert!(
        abs.starts_with("BACKGROUND: ") && abs.contains("\n\nMETHODS: ") && abs.contains("\n\nCONCLUSION: "),
        "{abs}"
    );
    assert_eq!(structured.authors[0].source_id.as_deref(), Some("orcid:0000-0003-2536-8816"));

    let old = &works("pubmed/pubmed2.xml.gz", Format::Pubmed)[0].work;
    assert_eq!(old.title, "[Mutants of the plaque microbe defective in the dark repair system].");
    assert_eq!(names_of(old), ["G A Temiralieva"]);
    assert_eq!((old.year, old.ids.doi.as_deref()), (Some(1977), None));
    assert_eq!(old.pub_type.as_deref(), Some("Comparative Study, Journal Article"));
}

fn names_of(w: &arrow_model::Work) -> Vec<&str> {
    w.authors.iter().map(|a| a.name.as_str()).collect()
}

/// A `.gz` cut short must end in an error, never in a silent end of input.
#[test]
fn truncated_gzip_is_an_error() {
    for (rel, format) in [
        ("pubmed/pubmed1.xml.gz", Format::Pubmed),
        ("crossref/crossref-2025.jsonl.gz", Format::Crossref),
        ("crossref/3items.json.gz", Format::Crossref),
    ] {
        let bytes = std::fs::read(fixture(rel)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.gz");
        std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).unwrap();
        let (_, records) = parse_path(path.to_str().unwrap(), Some(format)).unwrap();
        let out: Vec<_> = records.collect();
        assert!(out.last().is_some_and(|r| r.is_err()), "{rel}: {out:?}");
    }
}

#[test]
fn broken_documents_are_located() {
    let input = "{\n  \"items\": [\n    {\"DOI\": \"10.1/a\", \"title\": [\"A\"]},\n    {\"DOI\": \"10.1/b\" \"title\": [\"B\"]}\n  ]\n}\n";
    let out: Vec<_> = parse_reader(Format::Crossref, "x.json", input.as_bytes()).unwrap().collect();
    assert_eq!(out.len(), 1);
    let e = out[0].as_ref().unwrap_err();
    assert!(e.line == 4 && e.message.starts_with("invalid JSON"), "{e}");
    let xml =
        "<PubmedArticleSet>\n<PubmedArticle>\n<MedlineCitation><PMID>1</PMID>\n</PubmedArticle>\n</PubmedArticleSet>\n";
    let out: Vec<_> = parse_reader(Format::Pubmed, "x.xml", xml.as_bytes()).unwrap().collect();
    let e = out[0].as_ref().unwrap_err();
    assert!(e.line == 4 && e.message.starts_with("invalid XML"), "{e}");
}

const MINE: [Format; 6] = [
    Format::OpenAlex,
    Format::Crossref,
    Format::SemanticScholar,
    Format::ArxivAtom,
    Format::ArxivJsonl,
    Format::Pubmed,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parsers_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        for f in MINE {
            let _ = Format::detect(&bytes);
            let records = parse_reader(f, "fuzz", &bytes[..]).unwrap();
            for _ in records.take(1000) {}
        }
    }

    #[test]
    fn parsers_never_panic_on_json_and_xml_like_text(s in "[{}\\[\\]\":,a-zA-Z0-9 \n<>/&;!-]{0,300}") {
        for f in MINE {
            let _ = Format::detect(s.as_bytes());
            for _ in parse_reader(f, "fuzz", s.as_bytes()).unwrap().take(1000) {}
        }
    }
}

/// Regression (issue 18): the ACL Anthology has a work whose author has an empty name; the record was refused.
#[test]
fn an_author_with_an_empty_name_is_dropped_and_the_work_kept() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jsonl/acl-empty-author.jsonl");
    let (_, records) = arrow_ingest::parse_path(path, None).unwrap();
    let works: Vec<_> = records.map(|r| r.unwrap()).collect();
    assert_eq!(works.len(), 2);
    let w = &works[1].work;
    assert_eq!(w.id.as_str(), "acl:O06-5006");
    assert_eq!(w.title, "Author and Subject Index");
    assert!(w.authors.is_empty(), "{:?}", w.authors);
    assert_eq!(works[0].work.authors.len(), 2, "other records are untouched");

    // Positions stay as the source numbered them when a nameless author sits between named ones.
    let line = br#"{"id":"x:1","title":"T","authors":["Ada Lovelace","  ","Alan Turing"]}"#;
    let w = arrow_ingest::formats::jsonl::parse_line(line).unwrap();
    let names: Vec<(Option<u32>, &str)> = w.authors.iter().map(|a| (a.position, a.name.as_str())).collect();
    assert_eq!(names, vec![(Some(1), "Ada Lovelace"), (Some(3), "Alan Turing")]);
}
