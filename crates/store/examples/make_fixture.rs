//! Writes a small store in the current schema version, for the compatibility tests of later versions:
//! `cargo run -p arrow-store --example make_fixture -- crates/store/tests/fixtures/vN.sqlite`.

use arrow_model::{Authorship, Provenance, Work};

fn main() {
    let path = std::env::args().nth(1).expect("usage: make_fixture PATH");
    let _ = std::fs::remove_file(&path);
    let mut store = arrow_store::Store::open(std::path::Path::new(&path)).expect("open");
    let mut batch = store.batch().expect("batch");
    for (id, title, authors, year) in [
        (
            "seed:a",
            "Data Programming: Creating Large Training Sets, Quickly",
            vec!["Alexander Ratner", "Christopher Ré"],
            2016,
        ),
        (
            "seed:b",
            "Hyena Hierarchy: Towards Larger Convolutional Language Models",
            vec!["Michael Poli", "Christopher Ré"],
            2023,
        ),
        (
            "seed:c",
            "An Asynchronous Parallel Stochastic Coordinate Descent Algorithm",
            vec!["Ji Liu 0002", "Christopher Ré"],
            2014,
        ),
    ] {
        let mut w = Work::new(id, title);
        w.year = Some(year);
        w.authors = authors.iter().enumerate().map(|(i, a)| Authorship::at(i as u32 + 1, *a)).collect();
        w.provenance =
            vec![Provenance { source: "seed-page".into(), record_id: id.into(), ingested_at: 0, file: None }];
        batch.upsert_at(&w, 1_700_000_000).expect("upsert");
    }
    batch.commit().expect("commit");
    drop(store);
    // One file, no WAL beside it.
    let conn = rusqlite::Connection::open(&path).expect("reopen");
    conn.pragma_update(None, "journal_mode", "DELETE").expect("journal mode");
}
