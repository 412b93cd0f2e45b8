//! DBLP person records (`www` with a `homepages/` key): names, aliases, ORCID, through the path entry point.

use arrow_ingest::{parse_path_items, Format, Item};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dblp-xml/persons.xml");

#[test]
fn person_records_come_with_names_aliases_and_orcid_in_file_order() {
    let (format, items) = parse_path_items(FIXTURE, None, None).unwrap();
    assert_eq!(format, Format::DblpXml);
    let items: Vec<Item> = items.map(Result::unwrap).collect();
    let shown: Vec<String> = items
        .iter()
        .map(|i| match i {
            Item::Work(r) => format!("work {} {}", r.line, r.work.id),
            Item::Person(p) => format!("person {} {}", p.line, p.key),
        })
        .collect();
    assert_eq!(
        shown,
        [
            "person 4 homepages/c/VintonGCerf",
            "work 10 dblp:journals/cacm/Cerf14",
            "work 21 dblp:journals/cacm/Stamp04",
            "person 32 homepages/s/MarkStamp",
            "work 38 dblp:journals/cacm/Cerf19g",
            "person 49 homepages/p/JoaquinPena",
        ]
    );
    let person = |i: usize| match &items[i] {
        Item::Person(p) => p.clone(),
        Item::Work(r) => panic!("{r:?}"),
    };
    let cerf = person(0);
    assert_eq!(cerf.names, ["Vinton G. Cerf", "Vint Cerf"]);
    assert_eq!(cerf.orcid, None);
    assert_eq!(cerf.urls, ["https://en.wikipedia.org/wiki/Vint_Cerf"]);
    // An ORCID given only as a link, the same one the person's article carries.
    let stamp = person(3);
    assert_eq!(stamp.orcid.as_deref(), Some("orcid:0000-0002-3803-8368"));
    assert_eq!(stamp.urls, ["https://www.cs.sjsu.edu/~stamp/", "https://orcid.org/0000-0002-3803-8368"]);
    let pena = person(5);
    assert_eq!(pena.names, ["Joaquín Peña", "Joaquín Peña Siles"]);
    assert_eq!(pena.orcid.as_deref(), Some("orcid:0000-0001-9216-9695"));
    assert!(pena.urls.is_empty());
}

#[test]
fn other_formats_yield_works_only_and_malformed_orcid_links_are_not_orcids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.jsonl");
    std::fs::write(&path, "{\"id\":\"x:1\",\"title\":\"T\",\"authors\":[\"Vint Cerf\"]}\n").unwrap();
    let (format, items) = parse_path_items(path.to_str().unwrap(), None, None).unwrap();
    assert_eq!(format, Format::Jsonl);
    let items: Vec<Item> = items.map(Result::unwrap).collect();
    assert!(matches!(&items[..], [Item::Work(r)] if r.work.authors[0].name == "Vint Cerf"));

    let path = dir.path().join("p.xml");
    std::fs::write(
        &path,
        "<?xml version=\"1.0\"?>\n<dblp>\n<www key=\"homepages/x/Y\"><author>Y</author><title>Home Page</title>\
         <url>https://orcid.org/0000-0002-3803</url><url>https://orcid.org/0000-0002-1694-233X/</url></www>\n</dblp>\n",
    )
    .unwrap();
    let (_, mut items) = parse_path_items(path.to_str().unwrap(), None, None).unwrap();
    match items.next() {
        Some(Ok(Item::Person(p))) => assert_eq!(p.orcid.as_deref(), Some("orcid:0000-0002-1694-233X")),
        other => panic!("{other:?}"),
    }
}
