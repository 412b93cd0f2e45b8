//! A property-testing fuzz harness over every parser and the format sniffer: no input may panic, and
//! every error must be located (`FILE:LINE: reason`). Runs briefly in the test suite; for a long run:
//! `PROPTEST_CASES=200000 cargo test --release -p arrow-ingest --test fuzz`.
//! Inputs that once failed live in `tests/fuzz-regressions/` and are replayed on every run.

use arrow_ingest::{parse_reader, Format};
use proptest::prelude::*;

fn exercise(format: Format, bytes: &[u8]) {
    if let Ok(records) = parse_reader(format, "fuzz", bytes) {
        for r in records.take(10_000) {
            if let Err(e) = r {
                assert!(e.to_string().starts_with("fuzz:"), "unlocated error: {e}");
            }
        }
    }
}

/// Text that looks like the formats, so the parsers get past their first checks.
fn format_soup() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        "\n",
        " ",
        "\"id\"",
        "\"title\"",
        "\"authors\"",
        "\"year\"",
        "2020",
        "null",
        "<",
        ">",
        "</",
        "/>",
        "<article key=\"a\">",
        "<author>",
        "</author>",
        "<title>",
        "&eacute;",
        "&",
        "@article{",
        "@string{",
        "author = {",
        "title = \"",
        " and ",
        "#",
        "TY  - JOUR",
        "ER  - ",
        "AU  - ",
        "Arrow Research search",
        "Author name cluster",
        "ICML Conference 2014 Conference Paper",
        "  • ",
        "é",
        "\u{202e}",
        "\\'{e}",
        "$x^2$",
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
        "<dblp>",
        "<feed xmlns:arxiv=\"x\">",
        "<entry>",
        "<PubmedArticleSet>",
        "\"paperId\"",
        "\"authorships\"",
        "\"DOI\"",
        "\"message\"",
    ]);
    prop::collection::vec(tokens, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_parser_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = Format::detect(&bytes);
        for &f in Format::ALL {
            exercise(f, &bytes);
        }
    }

    #[test]
    fn no_parser_panics_on_format_like_text(text in format_soup()) {
        let _ = Format::detect(text.as_bytes());
        for &f in Format::ALL {
            exercise(f, text.as_bytes());
        }
    }
}

#[test]
fn saved_regressions_still_parse_without_panicking() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz-regressions");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for &f in Format::ALL {
            exercise(f, &bytes);
        }
    }
}
