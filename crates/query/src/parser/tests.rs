use proptest::prelude::*;

use super::parse;
use crate::{Field, IdKind, Query};

fn w(text: &str) -> Query {
    Query::Word { field: None, text: text.into() }
}
fn fw(field: Field, text: &str) -> Query {
    Query::Word { field: Some(field), text: text.into() }
}
fn ph(text: &str) -> Query {
    Query::Phrase { field: None, text: text.into() }
}
fn fph(field: Field, text: &str) -> Query {
    Query::Phrase { field: Some(field), text: text.into() }
}
fn year(from: Option<i32>, to: Option<i32>) -> Query {
    Query::Year(crate::YearRange { from, to })
}
fn id(kind: IdKind, value: &str) -> Query {
    Query::Id { kind, value: value.into() }
}
fn not(q: Query) -> Query {
    Query::Not(Box::new(q))
}
fn and(qs: Vec<Query>) -> Query {
    Query::And(qs)
}
fn or(qs: Vec<Query>) -> Query {
    Query::Or(qs)
}

#[track_caller]
fn check(input: &str, expected: Query) {
    let q = parse(input);
    assert_eq!(q, expected, "parse({input:?})");
    assert_eq!(parse(&q.to_string()), q, "round trip of {input:?} via {:?}", q.to_string());
}

#[test]
fn words_phrases_and_adjacency() {
    check("", Query::All);
    check("   \t\n", Query::All);
    check("gibbs", w("gibbs"));
    check("gibbs sampling", and(vec![w("gibbs"), w("sampling")]));
    check("+gibbs +sampling", and(vec![w("gibbs"), w("sampling")]));
    check("\"weak  supervision\"", ph("weak supervision"));
    check("\" a \" b", and(vec![ph("a"), w("b")]));
    check("\"\" x", w("x"));
    check("t-SNE", w("t-SNE"));
    check("$\\ell_p$ regression", and(vec![w("$\\ell_p$"), w("regression")]));
    check("f(x) g", and(vec![w("f(x)"), w("g")]));
}

#[test]
fn or_binds_tighter_than_adjacency() {
    check("a OR b", or(vec![w("a"), w("b")]));
    check("a OR b c", and(vec![or(vec![w("a"), w("b")]), w("c")]));
    check("c a OR b", and(vec![w("c"), or(vec![w("a"), w("b")])]));
    check("a OR b OR c", or(vec![w("a"), w("b"), w("c")]));
    check("a or b", and(vec![w("a"), w("or"), w("b")]));
    check("a OR \"b c\"", or(vec![w("a"), ph("b c")]));
    check("+OR", w("OR"));
}

#[test]
fn negation() {
    check("\"weak supervision\" -snorkel", and(vec![ph("weak supervision"), not(w("snorkel"))]));
    check("-foo", and(vec![Query::All, not(w("foo"))]));
    check("-foo -bar", and(vec![Query::All, not(w("foo")), not(w("bar"))]));
    check("-\"a b\" c", and(vec![not(ph("a b")), w("c")]));
    check("-(a b) c", and(vec![not(and(vec![w("a"), w("b")])), w("c")]));
    check("a -title:b", and(vec![w("a"), not(fw(Field::Title, "b"))]));
    // The sign binds to one operand of OR; a lone Not is made "everything except".
    check("-a OR b", or(vec![and(vec![Query::All, not(w("a"))]), w("b")]));
    check("--a", and(vec![Query::All, not(w("-a"))]));
    check("+-a", w("-a"));
}

#[test]
fn parentheses() {
    check("(gibbs OR mcmc) sampling", and(vec![or(vec![w("gibbs"), w("mcmc")]), w("sampling")]));
    check("(a (b OR (c d)))", and(vec![w("a"), or(vec![w("b"), and(vec![w("c"), w("d")])])]));
    check("(a b) OR c", or(vec![and(vec![w("a"), w("b")]), w("c")]));
    check("((a OR b) OR c)", or(vec![w("a"), w("b"), w("c")]));
    check("(a)b", and(vec![w("a"), w("b")]));
    check("a ()", w("a"));
    check("a OR (-b)", or(vec![w("a"), and(vec![Query::All, not(w("b"))])]));
}

#[test]
fn fields() {
    check("title:hyena", fw(Field::Title, "hyena"));
    check("abstract:diffusion", fw(Field::Abstract, "diffusion"));
    check("author:ré", fw(Field::Author, "ré"));
    check("author:\"christopher ré\"", fph(Field::Author, "christopher ré"));
    check("venue:NeurIPS", fw(Field::Venue, "NeurIPS"));
    check("type:\"Conference Paper\"", fph(Field::Type, "Conference Paper"));
    check("TITLE:x Author:y", and(vec![fw(Field::Title, "x"), fw(Field::Author, "y")]));
    check("title:title:x", fw(Field::Title, "title:x"));
    check("title:-x", fw(Field::Title, "-x"));
    check("title:(a b)", and(vec![fw(Field::Title, "a"), fw(Field::Title, "b")]));
    check(
        "title:(a OR \"b c\" -d)",
        and(vec![or(vec![fw(Field::Title, "a"), fph(Field::Title, "b c")]), not(fw(Field::Title, "d"))]),
    );
    check("title:(a author:b)", and(vec![fw(Field::Title, "a"), fw(Field::Author, "b")]));
    check("year:(2020 OR 2021)", or(vec![year(Some(2020), Some(2020)), year(Some(2021), Some(2021))]));
}

#[test]
fn years() {
    check("year:2020", year(Some(2020), Some(2020)));
    check("year:2018..2022", year(Some(2018), Some(2022)));
    check("year:2018-2022", year(Some(2018), Some(2022)));
    check("year:..2010", year(None, Some(2010)));
    check("year:2020..", year(Some(2020), None));
    check("year:2022..2018", year(Some(2018), Some(2022)));
    check("year:\"2020\"", year(Some(2020), Some(2020)));
    // Not years: kept as plain text.
    check("year:recent", w("year:recent"));
    check("year:..", w("year:.."));
    check("year:20201", w("year:20201"));
    check("year:2020..abc", w("year:2020..abc"));
    check("year:\"last decade\"", ph("last decade"));
}

#[test]
fn ids() {
    check("doi:10.1145/3318464.3389738", id(IdKind::Doi, "10.1145/3318464.3389738"));
    check("DOI:10.1002/(SICI)1097-4571", id(IdKind::Doi, "10.1002/(SICI)1097-4571"));
    check("(doi:10.1/x)", id(IdKind::Doi, "10.1/x"));
    check("arxiv:2101.00001", id(IdKind::Arxiv, "2101.00001"));
    check("arXiv:arXiv:2101.00001v2", id(IdKind::Arxiv, "arXiv:2101.00001v2"));
    check("doi:https://doi.org/10.1/x", id(IdKind::Doi, "https://doi.org/10.1/x"));
    check("doi:\"10.1/a b\"", id(IdKind::Doi, "10.1/a b"));
    check("id:dblp:conf/acl/Smith18", id(IdKind::Work, "dblp:conf/acl/Smith18"));
    check("ID:\"acl:P18-1001\"", id(IdKind::Work, "acl:P18-1001"));
}

#[test]
fn scholarly_examples() {
    check(
        "author:\"Christopher Ré\" title:hyena year:2023",
        and(vec![fph(Field::Author, "Christopher Ré"), fw(Field::Title, "hyena"), year(Some(2023), Some(2023))]),
    );
    check(
        "author:\"Yann LeCun\" (convolutional OR \"gradient-based\") -survey year:..1999",
        and(vec![
            fph(Field::Author, "Yann LeCun"),
            or(vec![w("convolutional"), ph("gradient-based")]),
            not(w("survey")),
            year(None, Some(1999)),
        ]),
    );
}

#[test]
fn bad_syntax_is_read_leniently() {
    check("\"weak supervision -snorkel", ph("weak supervision -snorkel"));
    check("a \"", w("a"));
    check("(a b", and(vec![w("a"), w("b")]));
    check("a b)", and(vec![w("a"), w("b")]));
    check(")) a ((", w("a"));
    check("foo:bar", w("foo:bar"));
    check("http://example.org", w("http://example.org"));
    check("title: transformers", w("transformers"));
    check("title:) x", w("x"));
    check("a OR", w("a"));
    check("OR a", w("a"));
    check("a OR OR b", or(vec![w("a"), w("b")]));
    check("a OR ) b", or(vec![w("a"), w("b")])); // the stray `)` is ignored
    check("a - b", and(vec![w("a"), w("b")]));
    check("a -", w("a"));
    check("- + OR ( ) \"\"", Query::All);
    check("foo\"bar", w("foo\"bar"));
    check("OR(", w("OR("));
}

#[test]
fn deep_nesting_is_bounded() {
    let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
    check(&deep, w("x"));
    let deep = format!("{}x", "-(".repeat(10_000));
    let q = parse(&deep);
    assert_eq!(parse(&q.to_string()), q);
}

#[test]
fn and_combines_in_normal_form() {
    let venue = fw(Field::Venue, "NeurIPS");
    assert_eq!(Query::All.and(venue.clone()), venue);
    assert_eq!(parse("a b").and(venue.clone()), and(vec![w("a"), w("b"), venue.clone()]));
    assert_eq!(parse("-a").and(venue.clone()), and(vec![not(w("a")), venue.clone()]));
    assert_eq!(parse("a OR b").and(parse("c d")), and(vec![or(vec![w("a"), w("b")]), w("c"), w("d")]));
    assert_eq!(parse("-a").and(parse("-b")), and(vec![Query::All, not(w("a")), not(w("b"))]));
}

#[test]
fn display_is_canonical() {
    assert_eq!(parse("  TITLE:x   a OR b  -c ").to_string(), "title:x a OR b -c");
    assert_eq!(parse("-foo").to_string(), "-foo");
    assert_eq!(parse("(a b) OR c").to_string(), "(a b) OR c");
    assert_eq!(parse("year:2018-2022 year:2020").to_string(), "year:2018..2022 year:2020");
    assert_eq!(parse("").to_string(), "");
    // Hand-built leaves the syntax cannot say bare are quoted.
    assert_eq!(w("two words").to_string(), "\"two words\"");
    assert_eq!(fw(Field::Title, "(x").to_string(), "title:\"(x\"");
}

/// Whether every `Not` sits directly in an `And` that has a positive child.
fn nots_are_anchored(q: &Query, in_anchored_and: bool) -> bool {
    match q {
        Query::Not(c) => in_anchored_and && nots_are_anchored(c, false),
        Query::And(cs) => {
            let anchored = cs.iter().any(|c| !matches!(c, Query::Not(_)));
            cs.len() >= 2 && cs.iter().all(|c| !matches!(c, Query::And(_)) && nots_are_anchored(c, anchored))
        }
        Query::Or(cs) => cs.len() >= 2 && cs.iter().all(|c| !matches!(c, Query::Or(_)) && nots_are_anchored(c, false)),
        _ => true,
    }
}

/// Strings dense in the syntax, where the interesting cases are.
fn syntaxy() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "(", ")", "\"", "-", "+", "OR", " ", " ", " ", "title:", "Author:", "year:", "doi:", "arxiv:", "foo:", "2020",
        "..", "a", "b", "ré", "t-sne", ":", "\u{3000}", "(x", "f(x)", "OR(",
    ]);
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn any_string_parses_and_round_trips(s in any::<String>()) {
        let q = parse(&s);
        prop_assert_eq!(parse(&q.to_string()), q);
    }

    #[test]
    fn syntax_heavy_strings_round_trip(s in syntaxy()) {
        let q = parse(&s);
        prop_assert!(nots_are_anchored(&q, false), "{:?}", q);
        prop_assert_eq!(parse(&q.to_string()), q.clone(), "via {:?}", q.to_string());
    }

    #[test]
    fn and_stays_normal(a in syntaxy(), b in syntaxy()) {
        let q = parse(&a).and(parse(&b));
        prop_assert!(nots_are_anchored(&q, false), "{:?}", q);
        prop_assert_eq!(parse(&q.to_string()), q);
    }
}

#[test]
fn pasted_dois_and_arxiv_ids_are_looked_up_as_such() {
    let id = |q: &str| match parse(q) {
        Query::Id { kind, .. } => Some(kind),
        _ => None,
    };
    for q in ["10.18653/v1/P18-1001", "https://doi.org/10.1145/3292500.3330701", "doi.org/10.1007/978-3-030-58452-8_13"]
    {
        assert_eq!(id(q), Some(IdKind::Doi), "{q}");
    }
    for q in ["arXiv:1706.03762", "https://arxiv.org/abs/1706.03762v5", "1706.03762", "2301.12345v2"] {
        assert_eq!(id(q), Some(IdKind::Arxiv), "{q}");
    }
    for q in ["https://arxiv.org/abs/hep-th/9901001v2", "10.1016/S0140-6736(20)30183-5.", "arXiv:1706.03762,"] {
        assert!(id(q).is_some(), "{q}");
    }
    for q in ["10.5", "10/20", "3.14159", "1706.037", "v1.2", "10.12/x", "2019.12345", "hep-th/9901001"] {
        assert_eq!(id(q), None, "{q}");
    }
    assert!(matches!(parse("attention 1706.03762"), Query::And(_)));
}

#[test]
fn pasted_dblp_and_openalex_pages_name_their_records() {
    let cases = [
        ("https://dblp.org/rec/conf/acl/SmithJ18.html", "dblp:conf/acl/SmithJ18"),
        ("dblp.org/rec/journals/corr/abs-1706-03762", "dblp:journals/corr/abs-1706-03762"),
        ("https://dblp.uni-trier.de/rec/conf/icml/0001KZ19.bib?param=1", "dblp:conf/icml/0001KZ19"),
        ("https://openalex.org/W2741809807", "openalex:W2741809807"),
        ("https://api.openalex.org/works/w2741809807.", "openalex:W2741809807"),
    ];
    for (q, want) in cases {
        assert_eq!(parse(q), id(IdKind::Work, want), "{q}");
    }
    for q in ["https://dblp.org/rec/", "dblp.org/rec/conf", "https://openalex.org/A5023888391", "openalex.org/W"] {
        assert!(!matches!(parse(q), Query::Id { .. }), "{q}");
    }
}

#[test]
fn lucene_style_and_not_and_bars_are_operators() {
    assert_eq!(parse("neural AND networks"), parse("neural networks"));
    assert_eq!(parse("parsing NOT neural"), parse("parsing -neural"));
    assert_eq!(parse("parsing AND NOT (neural OR deep)"), parse("parsing -(neural OR deep)"));
    assert_eq!(parse("parsing | neural"), parse("parsing OR neural"));
    assert_eq!(parse("parsing || neural"), parse("parsing OR neural"));
    // Signed, lower-case or with nothing after it, each is the word.
    assert_eq!(parse("+NOT"), Query::Word { field: None, text: "NOT".into() });
    assert_eq!(parse("parsing NOT"), parse("parsing +NOT"));
    assert_eq!(parse("not parsing"), parse("+not parsing"));
}
