//! The foundation's acceptance tests, on the bundled demo corpus.

use arrow_engine::{Arrow, IngestOptions, SearchRequest};
use arrow_ingest::{parse_reader, Format};

const SEED: &str = include_str!("../../../data/seed/christopher-re.txt");

fn demo() -> (tempfile::TempDir, Arrow) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    assert_eq!(arrow.load_demo().unwrap(), 107);
    (dir, arrow)
}

/// (venue, year, title) of every entry, in the seed page's order.
fn seed_entries() -> Vec<(String, i32, String)> {
    parse_reader(Format::SeedPage, "seed", SEED.as_bytes())
        .unwrap()
        .map(|r| {
            let w = r.unwrap().work;
            (w.venue.unwrap(), w.year.unwrap(), w.title)
        })
        .collect()
}

#[test]
fn the_cluster_holds_the_seed_pages_entries_in_its_order() {
    let (_dir, arrow) = demo();
    let seed = seed_entries();
    assert_eq!(seed.len(), 107);
    let cluster = arrow.name_cluster("Christopher Ré").unwrap();
    let ours: Vec<(String, i32, String)> =
        cluster.works.iter().map(|w| (w.venue.clone().unwrap(), w.year.unwrap(), w.title.clone())).collect();
    assert_eq!(ours, seed);
    let lower = arrow.name_cluster("christopher ré").unwrap();
    assert_eq!(lower.works, cluster.works);
    assert_eq!(cluster.author_rows, 1, "the demo has no source author ids and one written form");
}

#[test]
fn the_seed_orders_model_patching_before_mongoose() {
    let (_dir, arrow) = demo();
    let titles: Vec<String> =
        arrow.name_cluster("christopher ré").unwrap().works.into_iter().map(|w| w.title).collect();
    let at = |prefix: &str| titles.iter().position(|t| t.starts_with(prefix)).unwrap();
    assert!(at("Model Patching") < at("MONGOOSE"));
}

#[test]
fn homonym_numbers_make_different_names() {
    let (_dir, arrow) = demo();
    let numbered = arrow.name_cluster("Ce Zhang 0001").unwrap();
    let plain = arrow.name_cluster("Ce Zhang").unwrap();
    assert!(!numbered.works.is_empty() && !plain.works.is_empty());
    assert!(numbered.works.iter().all(|w| !plain.works.contains(w)));
    assert!(arrow.name_cluster("Ji Liu 0002").unwrap().works.iter().any(|w| w.year == Some(2014)));
}

#[test]
fn truncated_lists_keep_the_page_name_at_an_unknown_position() {
    let (_dir, arrow) = demo();
    let w =
        arrow.work("seed:icml-2025-an-architecture-search-framework-for-inference-time-techniques").unwrap().unwrap();
    assert!(w.authors_truncated);
    assert_eq!(w.authors.len(), 9);
    assert_eq!(w.authors[8].name, "Christopher Ré");
    assert_eq!(w.authors[8].position, None);
}

#[test]
fn a_distinctive_abstract_phrase_finds_its_paper_first() {
    let (_dir, arrow) = demo();
    let page = arrow.search(&SearchRequest::query("\"heavy-hitter oracle\"")).unwrap();
    assert!(page.hits[0].work.title.starts_with("H2O: Heavy-Hitter Oracle"));
    let page = arrow.search(&SearchRequest::query("\"Freddie Mercury sings in Queen's\"")).unwrap();
    assert_eq!(page.total, 1);
    assert!(page.hits[0].work.title.starts_with("Asynchronous stochastic convex optimization"));
}

#[test]
fn diacritics_and_case_do_not_matter_in_search() {
    let (_dir, arrow) = demo();
    for q in ["author:re", "author:RÉ", "author:\"christopher re\""] {
        assert_eq!(arrow.search(&SearchRequest::query(q)).unwrap().total, 107, "{q}");
    }
}

#[test]
fn tex_in_titles_is_searchable_by_its_words() {
    let (_dir, arrow) = demo();
    let page = arrow.search(&SearchRequest::query("ell_p regression")).unwrap();
    assert!(page.hits[0].work.title.contains("$\\ell_p$"));
}

#[test]
fn a_bad_line_stops_ingest_with_its_location_and_keeps_what_was_stored() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    arrow.load_demo().unwrap();
    let file = dir.path().join("bad.jsonl");
    std::fs::write(
        &file,
        "{\"id\":\"new:1\",\"title\":\"Fresh Work\"}\n{\"id\":\"new:2\",\"title\":\n{\"id\":\"new:3\",\"title\":\"Quokka Telemetry\"}\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let err =
        arrow.ingest_paths(std::slice::from_ref(&path), &IngestOptions::default(), &NoBar).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{path}:2: invalid JSON")), "{err}");
    assert_eq!(arrow.stats().unwrap().works, 108, "the demo and the good line before the bad one");
    assert_eq!(arrow.name_cluster("Christopher Ré").unwrap().works.len(), 107);
    assert!(arrow.work("new:3").unwrap().is_none());

    let report = arrow.ingest_paths(&[path], &IngestOptions { skip_bad: true, ..Default::default() }, &NoBar).unwrap();
    assert_eq!((report.read, report.added, report.unchanged, report.skipped), (2, 1, 1, 1));
    assert!(report.errors[0].contains(":2: invalid JSON"));
    assert!(arrow.work("new:3").unwrap().is_some());
    assert_eq!(arrow.search(&SearchRequest::query("quokka")).unwrap().total, 1);
}

#[test]
fn the_index_catches_up_after_a_crash_between_store_and_index() {
    let dir = tempfile::tempdir().unwrap();
    {
        let arrow = Arrow::open(dir.path()).unwrap();
        arrow.load_demo().unwrap();
    }
    // Simulate a crash after the store committed and before the index did: write to the store alone.
    {
        let mut store = arrow_store::Store::open(&dir.path().join("arrow.sqlite")).unwrap();
        let mut b = store.batch().unwrap();
        b.upsert(&arrow_model::Work::new("late:1", "Zebrafish Telemetry")).unwrap();
        b.delete("seed:neurips-2023-hyenadna-long-range-genomic-sequence-modeling-at-single-nucleotide-resolution")
            .unwrap();
        b.commit().unwrap();
    }
    let arrow = Arrow::open(dir.path()).unwrap();
    assert!(arrow.index_in_sync().unwrap());
    assert_eq!(arrow.search(&SearchRequest::query("zebrafish")).unwrap().total, 1);
    assert_eq!(arrow.search(&SearchRequest::query("hyenadna")).unwrap().total, 0);
    assert_eq!(arrow.reindex().unwrap(), 107);
}

struct NoBar;
impl arrow_engine::Progress for NoBar {}
