//! Consistency checks and backups.

use arrow_engine::{Arrow, SearchRequest};

#[test]
fn check_finds_drift_and_reindex_repairs_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let arrow = Arrow::open(dir.path()).unwrap();
        arrow.load_demo().unwrap();
        let r = arrow.check().unwrap();
        assert!(r.ok, "{r:?}");
        assert_eq!((r.store_works, r.index_docs), (107, 107));
    }
    // Damage the index behind the store's back: drop one document, keep the sequence.
    {
        let index = arrow_index::SearchIndex::open(&dir.path().join("index")).unwrap();
        let seq = index.indexed_seq().unwrap();
        let mut w = index.writer().unwrap();
        w.delete(1).unwrap();
        w.commit(seq).unwrap();
        w.finish().unwrap();
    }
    let arrow = Arrow::open(dir.path()).unwrap();
    let r = arrow.check().unwrap();
    assert!(!r.ok);
    assert_eq!(r.missing_count, 1);
    assert_eq!(r.missing_from_index.len(), 1);
    arrow.reindex().unwrap();
    assert!(arrow.check().unwrap().ok);
}

#[test]
fn a_backup_taken_while_open_restores_with_its_index_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let live = Arrow::open(&dir.path().join("live")).unwrap();
    live.load_demo().unwrap();
    let copy = dir.path().join("copy");
    live.backup(&copy).unwrap();
    assert!(live.backup(&copy).is_err(), "never overwrites a store");
    let restored = Arrow::open(&copy).unwrap();
    assert_eq!(restored.stats().unwrap().works, 107);
    assert_eq!(restored.search(&SearchRequest::query("hyena")).unwrap().total, 6);
    assert!(restored.check().unwrap().ok);
}

/// Regression (issue 15): a parser that panicked ended the ingest early and it still reported success.
#[test]
fn a_parser_that_panics_fails_the_ingest_and_keeps_what_was_committed() {
    use arrow_engine::{EngineError, ErrorKind, IngestOptions};
    use arrow_ingest::{parse_reader, Format, Records};

    let dir = tempfile::tempdir().unwrap();
    let arrow = Arrow::open(dir.path()).unwrap();
    let lines: String = (0..1500)
        .map(|i| format!("{{\"id\":\"t:{i}\",\"title\":\"Work number {i}\",\"authors\":[\"Ada Lovelace\"]}}\n"))
        .collect();
    // The parser hands records over in chunks of 1024: the first chunk reaches the store, then it panics.
    let records = parse_reader(Format::Jsonl, "works.jsonl", std::io::Cursor::new(lines.into_bytes())).unwrap();
    let records: Records<'static> =
        Box::new(records.enumerate().map(|(i, r)| if i == 1400 { panic!("parser bug at record {i}") } else { r }));
    let opts = IngestOptions { batch_size: 100, ..Default::default() };
    let err = arrow.ingest_records(records, &opts, &NoBar).unwrap_err();
    assert!(matches!(err, EngineError::ParserFailed(_)), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Internal);
    assert!(err.to_string().contains("failed before the end of its input"), "{err}");
    assert!(err.to_string().contains("parser bug at record 1400"), "{err}");

    assert_eq!(arrow.stats().unwrap().works, 1024, "the chunk handed over before the panic is committed");
    drop(arrow);
    let arrow = Arrow::open(dir.path()).unwrap();
    assert!(arrow.check().unwrap().ok, "the index agrees with what the store kept");
    assert_eq!(arrow.search(&SearchRequest::query("\"work number 1023\"")).unwrap().total, 1);
}

struct NoBar;
impl arrow_engine::Progress for NoBar {}
