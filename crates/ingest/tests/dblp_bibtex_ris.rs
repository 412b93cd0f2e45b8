//! The DBLP XML, BibTeX and RIS parsers against real samples (see each fixture directory's README for its
//! source), plus a check that no parser panics on arbitrary input.

use arrow_ingest::{parse_path, parse_reader, Format, ParseError, Record};
use arrow_model::{Authorship, VenueKind};
use proptest::prelude::*;
use std::io::Read;

fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn parse_all(rel: &str, format: Format) -> Vec<Result<Record, ParseError>> {
    let (_, records) = parse_path(&fixture(rel), Some(format)).unwrap();
    records.collect()
}

fn split(items: Vec<Result<Record, ParseError>>) -> (Vec<Record>, Vec<ParseError>) {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for item in items {
        match item {
            Ok(r) => ok.push(r),
            Err(e) => errors.push(e),
        }
    }
    (ok, errors)
}

/// The decompressed head of a fixture, as `Format::detect` sees it.
fn head(rel: &str) -> Vec<u8> {
    let raw = std::fs::read(fixture(rel)).unwrap();
    let mut out = Vec::new();
    if raw.starts_with(&[0x1f, 0x8b]) {
        let _ = flate2::read::MultiGzDecoder::new(&raw[..]).take(64 * 1024).read_to_end(&mut out);
    } else {
        out = raw;
    }
    out.truncate(64 * 1024);
    out
}

fn find<'a>(records: &'a [Record], id: &str) -> &'a Record {
    records.iter().find(|r| r.work.id.0 == id).unwrap_or_else(|| panic!("no record {id}"))
}

fn names(r: &Record) -> Vec<&str> {
    r.work.authors.iter().map(|a| a.name.as_str()).collect()
}

#[test]
fn fixtures_are_detected_by_content() {
    let cases: &[(&str, Format)] = &[
        ("dblp-xml/dblp.xml.gz", Format::DblpXml),
        ("bibtex/conf-icml-250.bib", Format::Bibtex),
        ("bibtex/tex-titles.bib", Format::Bibtex),
        ("ris/example_basic.ris", Format::Ris),
        ("ris/example_bom.ris", Format::Ris),
        ("ris/example_starting_newlines.ris", Format::Ris),
        ("ris/example_extraneous_data.ris", Format::Ris),
        ("ris/example_full.ris", Format::Ris),
        ("ris/example_utf_chars.ris", Format::Ris),
        ("ris/example_wos.ris", Format::Ris),
    ];
    for (rel, format) in cases {
        assert_eq!(Format::detect(&head(rel)), Some(*format), "{rel}");
    }
    assert_eq!(Format::detect(b"<?xml version=\"1.0\"?>\n<!DOCTYPE dblp SYSTEM \"dblp.dtd\">"), Some(Format::DblpXml));
    assert_eq!(Format::detect(b"% refs\n@Article{k,\n"), Some(Format::Bibtex));
    assert_eq!(Format::detect("\u{feff}\r\n\r\nTY  - JOUR\r\n".as_bytes()), Some(Format::Ris));
    for name in ["dblp-xml", "bibtex", "ris"] {
        assert_eq!(name.parse::<Format>().unwrap().name(), name);
    }
}

#[test]
fn dblp_xml_fragment() {
    let (works, errors) = split(parse_all("dblp-xml/dblp.xml.gz", Format::DblpXml));
    assert_eq!(works.len(), 91);
    // The fragment ends with a stray `<dblp>` instead of `</dblp>`: reported, after every record.
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].to_string().ends_with("dblp.xml.gz:997: input ends inside <dblp> (truncated file?)"),
        "{}",
        errors[0]
    );

    let r = find(&works, "dblp:journals/cacm/Spinellis03");
    assert_eq!(r.line, 4);
    assert_eq!(r.work.title, "The decay and failures of web references");
    assert!(r.work.authors.is_empty());
    assert_eq!(r.work.venue.as_deref(), Some("Commun. ACM"));
    assert_eq!(r.work.venue_kind, VenueKind::Journal);
    assert_eq!(r.work.pub_type.as_deref(), Some("article"));
    assert_eq!(r.work.year, Some(2003));
    assert_eq!(r.work.ids.dblp.as_deref(), Some("journals/cacm/Spinellis03"));
    assert_eq!(r.work.ids.doi.as_deref(), Some("10.1145/602421.602422"));
    assert_eq!(
        r.work.ids.urls,
        ["https://www.wikidata.org/entity/Q56267570", "https://dblp.org/db/journals/cacm/cacm46.html#Spinellis03"]
    );

    // ISO-8859-1 with DTD entities, ORCIDs, homonym numbers.
    let r = find(&works, "dblp:journals/cacm/PenaHC06");
    assert_eq!(names(r), ["Joaquín Peña", "Michael G. Hinchey", "Antonio Ruiz Cortés"]);
    assert_eq!(r.work.authors[0].source_id.as_deref(), Some("orcid:0000-0001-9216-9695"));
    assert_eq!(r.work.authors[1].source_id, None);
    let r = find(&works, "dblp:journals/cacm/ErikssonBB06");
    assert_eq!(names(r), ["Magnus Eriksson", "Jürgen Börstler", "Kjell Borg"]);
    let r = find(&works, "dblp:journals/cacm/BacherBWS17");
    assert_eq!(r.work.authors[0], Authorship::at(1, "Moritz Bächer"));
    let r = find(&works, "dblp:journals/cacm/KulkarniPWRBC09");
    assert_eq!(r.work.authors[0].name, "Milind Kulkarni 0001");
    let orcids: usize = works.iter().map(|r| r.work.authors.iter().filter(|a| a.source_id.is_some()).count()).sum();
    assert_eq!(orcids, 20);
    assert!(works.iter().all(|r| r.work.ids.doi.is_some() && r.work.year.is_some()));
    // Records come in order, each at its line.
    assert!(works.windows(2).all(|w| w[0].line < w[1].line));
}

#[test]
fn dblp_xml_persons_are_reported_apart() {
    let doc = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<dblp>\n\
               <www mdate=\"2020-01-01\" key=\"homepages/r/ChristopherRe\">\n<author>Christopher R&eacute;</author>\n<title>Home Page</title>\n<url>https://cs.stanford.edu/~chrismre/</url>\n</www>\n\
               <inproceedings key=\"conf/icml/X\"><author>Christopher R&eacute;</author><title>X.</title><booktitle>ICML</booktitle><year>2014</year></inproceedings>\n</dblp>\n";
    let works: Vec<_> = parse_reader(Format::DblpXml, "p.xml", doc.as_bytes()).unwrap().collect();
    assert_eq!(works.len(), 1);
    let items: Vec<_> = arrow_ingest::formats::dblp_xml::parse_all("p.xml".into(), doc.as_bytes()).collect();
    match &items[0] {
        Ok(arrow_ingest::Item::Person(p)) => {
            assert_eq!(p.names, ["Christopher Ré"]);
            assert_eq!(p.line, 3);
            assert_eq!(p.urls, ["https://cs.stanford.edu/~chrismre/"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn dblp_xml_bad_records_are_located() {
    let doc = "<?xml version=\"1.0\"?>\n<dblp>\n<article key=\"a/1\">\n<title>Fine</title>\n</article>\n\
               <article key=\"a/2\">\n<author>No Title</author>\n</article>\n<article>\n<title>No key</title>\n</article>\n\
               <article key=\"a/4\"><title>Also fine</title></article>\n</dblp>\n";
    let out: Vec<String> = parse_reader(Format::DblpXml, "bad.xml", doc.as_bytes())
        .unwrap()
        .map(|r| r.map_or_else(|e| e.to_string(), |r| format!("{} {}", r.line, r.work.title)))
        .collect();
    assert_eq!(
        out,
        ["3 Fine", "bad.xml:6: record a/2 has no title", "bad.xml:9: <article> record without a key", "12 Also fine"]
    );
}

#[test]
fn truncated_gzip_is_an_error_not_a_silent_end() {
    for (rel, format) in [("dblp-xml/truncated.xml.gz", Format::DblpXml), ("bibtex/truncated.bib.gz", Format::Bibtex)] {
        let (works, errors) = split(parse_all(rel, format));
        assert!(!works.is_empty(), "{rel}: the records before the cut are read");
        assert!(!errors.is_empty(), "{rel}: the cut must be reported");
        let last = errors.last().unwrap();
        assert!(last.message.contains("read failed") || last.message.contains("truncated"), "{rel}: {last}");
    }
}

#[test]
fn truncated_ris_gzip_is_an_error() {
    let text = std::fs::read(fixture("ris/example_wos.ris")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &text).unwrap();
    let gz = gz.finish().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.ris.gz");
    std::fs::write(&path, &gz[..gz.len() * 2 / 3]).unwrap();
    let (_, records) = parse_path(path.to_str().unwrap(), Some(Format::Ris)).unwrap();
    let (_, errors) = split(records.collect());
    assert!(errors.last().is_some_and(|e| e.message.contains("read failed")), "{errors:?}");
}

#[test]
fn bibtex_dblp_export() {
    let (works, errors) = split(parse_all("bibtex/conf-icml-250.bib", Format::Bibtex));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(works.len(), 250);
    assert_eq!(works.iter().filter(|r| r.work.pub_type.as_deref() == Some("proceedings")).count(), 1);
    let r = find(&works, "dblp:conf/icml/TadepalliO96");
    assert_eq!(r.line, 1);
    assert_eq!(r.work.ids.dblp.as_deref(), Some("conf/icml/TadepalliO96"));
    assert_eq!(names(r), ["Prasad Tadepalli", "DoKyeong Ok"]);
    assert_eq!(r.work.venue.as_deref(), Some("ICML"));
    assert_eq!(r.work.venue_kind, VenueKind::Conference);
    assert_eq!(r.work.year, Some(1996));
    let r = find(&works, "dblp:conf/icml/RuckertK04");
    assert_eq!(names(r), ["Ulrich Rückert", "Stefan Kramer 0001"]);
    assert_eq!(r.work.ids.doi.as_deref(), Some("10.1145/1015330.1015387"));
    // A proceedings entry: its editors stand in for the (empty) author list.
    let r = find(&works, "dblp:conf/icml/1988");
    assert_eq!(names(r), ["John E. Laird"]);
    assert_eq!(r.work.venue.as_deref(), Some("ICML"));
    assert_eq!(r.line, 779);
    assert!(works.iter().all(|r| !r.work.title.is_empty() && r.work.year.is_some()));
}

#[test]
fn bibtex_tex_in_titles() {
    let (works, errors) = split(parse_all("bibtex/tex-titles.bib", Format::Bibtex));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(works.len(), 19);
    let title = |id: &str| find(&works, id).work.title.clone();
    assert_eq!(
        title("dblp:conf/nips/WainwrightRL06"),
        r"High-Dimensional Graphical Model Selection Using $\ell_1$-Regularized Logistic Regression"
    );
    assert_eq!(
        title("dblp:conf/icml/TagortiS15"),
        r"On the Rate of Convergence and Error Bounds for LSTD(\(\lambda\))"
    );
    assert_eq!(
        title("dblp:conf/nips/StegleLMLB11"),
        r"Efficient inference in matrix-variate Gaussian models with \iid observation noise"
    );
}

#[test]
fn bibtex_tex_names_and_bad_entries() {
    let input = "@article{ludwig,\n  author = {van Beethoven, Ludwig and Schr{\\\"o}dinger, Erwin and Kurt G{\\\"{o}}del and J. {\\v S}koda},\n  title = {{\\em On} the {TeX} of {\\'E}mile},\n  journal = {J},\n  year = 1935,\n}\n\
                 @inproceedings{broken,\n  title = {Broken}\n  year = {2001}\n}\n";
    let out: Vec<_> = parse_reader(Format::Bibtex, "n.bib", input.as_bytes()).unwrap().collect();
    let r = out[0].as_ref().unwrap();
    assert_eq!(r.work.id.0, "bibtex:ludwig");
    assert_eq!(names(r), ["Ludwig van Beethoven", "Erwin Schrödinger", "Kurt Gödel", "J. Škoda"]);
    assert_eq!(r.work.title, "On the TeX of Émile");
    let e = out[1].as_ref().unwrap_err();
    assert_eq!(e.to_string(), "n.bib:9: entry broken: expected ',' or the end of the entry");
}

#[test]
fn ris_samples() {
    let count = |rel: &str| {
        let (w, e) = split(parse_all(rel, Format::Ris));
        (w.len(), e.len())
    };
    assert_eq!(count("ris/example_basic.ris"), (1, 0));
    assert_eq!(count("ris/example_starting_newlines.ris"), (1, 0));
    assert_eq!(count("ris/example_full.ris"), (2, 0));
    assert_eq!(count("ris/example_full_without_whitespace.ris"), (2, 0));
    assert_eq!(count("ris/example_extraneous_data.ris"), (2, 0));
    assert_eq!(count("ris/example_urls.ris"), (4, 0));
    assert_eq!(count("ris/example_single_unknown_tag.ris"), (1, 0));
    assert_eq!(count("ris/example_multi_unknown_tags.ris"), (1, 0));
    assert_eq!(count("ris/example_empty_tag.ris"), (1, 0));
    assert_eq!(count("ris/example_utf_chars.ris"), (1, 0));
    assert_eq!(count("ris/example_wos.ris"), (2, 0));
    // Records without any title are located errors (the BOM does not hide the TY line).
    let (_, e) = split(parse_all("ris/example_bom.ris", Format::Ris));
    assert_eq!(e[0].line, 1);
    assert!(e[0].message.contains("no title"), "{}", e[0]);
    let (_, e) = split(parse_all("ris/example_multiline.ris", Format::Ris));
    assert_eq!(e.iter().map(|e| e.line).collect::<Vec<_>>(), [1, 8, 17]);

    let (w, _) = split(parse_all("ris/example_basic.ris", Format::Ris));
    let r = &w[0].work;
    assert_eq!(r.title, "A Mathematical Theory of Communication");
    assert_eq!(names(&w[0]), ["Claude E. Shannon"]);
    assert_eq!(r.year, Some(1948));
    assert_eq!(r.venue.as_deref(), Some("Bell System Technical Journal"));
    assert_eq!(r.venue_kind, VenueKind::Journal);
    assert!(r.id.0.starts_with("ris:"));

    let (w, _) = split(parse_all("ris/example_full.ris", Format::Ris));
    assert_eq!(w[0].work.id.0, "ris:12345");
    assert_eq!(w[0].line, 2);
    assert_eq!(names(&w[0]), ["Karl Marx", "Astrid Lindgren"], "A2 (secondary authors) only when there are none");
    assert_eq!(w[0].work.year, Some(2014));
    assert_eq!(w[0].work.venue.as_deref(), Some("Lorem"));
    assert!(w[0].work.abstract_text.as_deref().unwrap().starts_with("BACKGROUND: Lorem ipsum"));
    assert_eq!(w[0].work.ids.urls, ["http://example_url.com"]);

    let (w, _) = split(parse_all("ris/example_empty_tag.ris", Format::Ris));
    assert_eq!(w[0].work.ids.doi.as_deref(), Some("10.1177/2325967120950040"));
    assert_eq!(names(&w[0]), ["Fanning E."]);
    assert!(w[0].work.abstract_text.as_deref().unwrap().contains("repetition.\nOutcome measures"));

    let (w, _) = split(parse_all("ris/example_utf_chars.ris", Format::Ris));
    assert_eq!(names(&w[0])[0], "Yu E. Dobrokhotova");
    assert!(w[0].work.title.starts_with("Состояние"), "{}", w[0].work.title);
    assert_eq!(w[0].work.venue_kind, VenueKind::Journal, "\"Journal Article\" is guessed");

    let (w, _) = split(parse_all("ris/example_wos.ris", Format::Ris));
    assert_eq!(w[0].work.id.0, "ris:WOS:000221807500019");
    assert_eq!(w[0].work.ids.doi.as_deref(), Some("10.1021/bi049798f"));
    assert_eq!(names(&w[0]), ["PS Parkes-Loach", "AP Majeed", "CJ Law", "PA Loach"]);
    assert!(w[0].work.title.starts_with("Interactions stabilizing the structure of the core light-harvesting complex"));
    assert_eq!(w[0].work.venue.as_deref(), Some("BIOCHEMISTRY"));
    assert_eq!(w[0].work.year, Some(2004));
}

fn run_all(format: Format, bytes: &[u8]) -> usize {
    parse_reader(format, "fuzz", bytes).unwrap().count()
}

const TOKENS: &[&str] = &[
    "@article{",
    "@string{",
    "@comment{",
    "@inproceedings(",
    "{",
    "}",
    "(",
    ")",
    "\"",
    ",",
    "=",
    "#",
    " and ",
    "\\'",
    "\\\"",
    "\\c",
    "{\\ss}",
    "$",
    "\\(",
    "~",
    "author",
    "title",
    "crossref",
    "x",
    " ",
    "\n",
    "TY  - ",
    "ER  -",
    "AU  - ",
    "TI  - ",
    "PY  - ",
    "FN ",
    "PT ",
    "   ",
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
    "<dblp>",
    "</dblp>",
    "<article key=\"k\">",
    "</article>",
    "<title>",
    "</title>",
    "<author orcid=\"1\">",
    "</author>",
    "<i>",
    "</i>",
    "&eacute;",
    "&#233;",
    "&#xFFFFFFF;",
    "&",
    "<",
    ">",
    "\u{e9}",
    "\u{feff}",
];

proptest! {
    // 300 cases unless PROPTEST_CASES says otherwise.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
    ))]

    #[test]
    fn no_parser_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for format in [Format::DblpXml, Format::Bibtex, Format::Ris] {
            run_all(format, &bytes);
        }
        let _ = Format::detect(&bytes);
    }

    #[test]
    fn no_parser_panics_on_format_like_input(parts in prop::collection::vec(prop::sample::select(TOKENS), 0..80)) {
        let text = parts.concat();
        for format in [Format::DblpXml, Format::Bibtex, Format::Ris] {
            run_all(format, text.as_bytes());
        }
        let _ = Format::detect(text.as_bytes());
    }
}
