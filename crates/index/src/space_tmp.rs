#[test]
#[ignore]
fn space() {
    let Ok(dir) = std::env::var("ARROW_INDEX_DIR") else { return };
    let idx = crate::SearchIndex::open(std::path::Path::new(&dir)).unwrap();
    let s = idx.reader.searcher();
    let u = s.space_usage().unwrap();
    println!("total {}", u.total());
    let mut per: std::collections::BTreeMap<String, u64> = Default::default();
    for seg in u.segments() {
        for (name, comp) in [
            ("termdict", seg.termdict()),
            ("postings", seg.postings()),
            ("positions", seg.positions()),
            ("fast", seg.fast_fields()),
            ("norms", seg.fieldnorms()),
        ] {
            for fu in comp.fields() {
                *per.entry(format!("{} {}", fu.field_name(), name)).or_default() += fu.total().get_bytes();
            }
        }
        *per.entry("store".into()).or_default() += seg.store().total().get_bytes();
    }
    for (k, v) in per {
        println!("{k}: {v}");
    }
}

#[test]
#[ignore]
fn suggest_speed() {
    let Ok(dir) = std::env::var("ARROW_INDEX_DIR") else { return };
    let idx = crate::SearchIndex::open(std::path::Path::new(&dir)).unwrap();
    println!("segments {}", idx.reader.searcher().segment_readers().len());
    for p in ["c", "ch", "chris", "wang", "wei wang", "m", "zh"] {
        let t = std::time::Instant::now();
        let s = idx.suggest_authors(p, 10).unwrap();
        println!("{p}: {:?} {:?}", t.elapsed(), s.iter().take(3).map(|s| (&s.folded, s.works)).collect::<Vec<_>>());
    }
    for p in ["hy", "deep lea", "a"] {
        let t = std::time::Instant::now();
        let s = idx.suggest_titles(p, 10).unwrap();
        println!("title {p}: {:?} {}", t.elapsed(), s.len());
    }
}
