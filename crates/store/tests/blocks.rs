//! The store side of incremental author assignment: name blocks, a block's people, stale rows.

use arrow_model::{Authorship, Work};
use arrow_store::{PersonMention, Store};

fn work(id: &str, authors: &[&str]) -> Work {
    let mut w = Work::new(id, "A title");
    w.authors = authors.iter().enumerate().map(|(i, a)| Authorship::at(i as u32 + 1, *a)).collect();
    w
}

/// Block of a name key, as a caller would define it (here: the last word).
fn last_word(name: &str) -> String {
    name.rsplit(' ').next().unwrap_or_default().to_string()
}

fn row(work: i64, slot: i64, person: &str) -> PersonMention {
    PersonMention { work, slot, person: person.into() }
}

#[test]
fn a_blocks_people_are_found_through_its_names_and_stale_rows_go() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut b = store.batch().unwrap();
    let (_, k1) = b.upsert(&work("w1", &["Ann Lee", "Bo Chen"])).unwrap();
    let (_, k2) = b.upsert(&work("w2", &["A. Lee"])).unwrap();
    let (_, k3) = b.upsert(&work("w3", &["Ann Lee"])).unwrap();
    b.commit().unwrap();
    assert!(!store.has_people().unwrap());
    store.replace_people(&[row(k1, 0, "p1"), row(k1, 1, "p2"), row(k2, 0, "p1")], "{}", &last_word).unwrap();
    assert!(store.has_people().unwrap());
    assert!(!store.name_blocks_missing().unwrap());

    let mut b = store.batch().unwrap();
    let mut names = b.block_names("lee").unwrap();
    names.sort();
    assert_eq!(names, ["a. lee", "ann lee"]);
    assert_eq!(b.people_with_name_key("ann lee").unwrap(), [(k1, 0, "p1".to_string())], "w3 has no person yet");
    b.set_person(k3, 0, "p1", "ann lee", "lee").unwrap();
    let mut slots = b.person_slots("p1").unwrap();
    slots.sort();
    assert_eq!(slots, [(k1, 0), (k2, 0), (k3, 0)]);
    assert!(b.person_exists("p2").unwrap() && !b.person_exists("p9").unwrap());
    // A changed work loses its people (its slots may name other authors now); a deleted one too.
    b.upsert(&work("w1", &["Bo Chen", "Ann Lee"])).unwrap();
    assert!(b.people_of_work(k1).unwrap().is_empty());
    b.delete("w2").unwrap();
    assert_eq!(b.person_slots("p1").unwrap(), [(k3, 0)]);
    b.commit().unwrap();
    assert_eq!(store.people_count().unwrap(), (1, 1));
}

#[test]
fn name_blocks_are_filled_for_a_store_without_them_and_anew_under_a_newer_rule() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let mut store = Store::open(&path).unwrap();
    let mut b = store.batch().unwrap();
    let (_, k) = b.upsert(&work("w1", &["Ann Lee", "Bo Chen"])).unwrap();
    b.commit().unwrap();
    store.replace_people(&[row(k, 0, "p1"), row(k, 1, "p2")], "{}", &last_word).unwrap();
    drop(store);
    rusqlite::Connection::open(&path).unwrap().execute_batch("DELETE FROM name_blocks").unwrap();
    let mut store = Store::open(&path).unwrap();
    assert!(store.name_blocks_missing().unwrap());
    assert_eq!(store.fill_name_blocks(&last_word).unwrap(), 2);
    assert!(!store.name_blocks_missing().unwrap());
    assert_eq!(store.batch().unwrap().block_names("chen").unwrap(), ["bo chen"]);
    // A newer rule blocks names elsewhere: filling again notes every name anew, and so does a full run.
    let first_word = |n: &str| n.split(' ').next().unwrap_or_default().to_string();
    assert_eq!(store.fill_name_blocks(&first_word).unwrap(), 2);
    assert!(store.batch().unwrap().block_names("chen").unwrap().is_empty());
    assert_eq!(store.batch().unwrap().block_names("bo").unwrap(), ["bo chen"]);
    store.replace_people(&[row(k, 0, "p1"), row(k, 1, "p2")], "{}", &last_word).unwrap();
    assert_eq!(store.batch().unwrap().block_names("chen").unwrap(), ["bo chen"]);
    assert!(store.batch().unwrap().block_names("bo").unwrap().is_empty());
}

#[test]
fn names_are_found_by_the_start_of_their_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut b = store.batch().unwrap();
    let names =
        ["Irene Langkilde-Geary", "Irene Langkilde Smith", "Irene Langkildex", "Ann \u{D7FF}x", "Ann \u{10FFFF}y"];
    b.upsert(&work("w1", &names)).unwrap();
    b.commit().unwrap();
    let b = store.batch().unwrap();
    assert_eq!(b.names_with_key_prefix("irene langkilde-", 10).unwrap(), ["Irene Langkilde-Geary"]);
    assert_eq!(b.names_with_key_prefix("irene langkilde ", 10).unwrap(), ["Irene Langkilde Smith"]);
    assert_eq!(b.names_with_key_prefix("irene langkilde", 1).unwrap().len(), 1, "at most the limit");
    // Prefixes ending in the last character before the surrogates, and in the last character of all.
    assert_eq!(b.names_with_key_prefix("ann \u{D7FF}", 10).unwrap(), ["Ann \u{D7FF}x"]);
    assert_eq!(b.names_with_key_prefix("ann \u{10FFFF}", 10).unwrap(), ["Ann \u{10FFFF}y"]);
}

#[test]
fn an_id_a_curation_names_is_taken_even_with_no_mention_left() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut b = store.batch().unwrap();
    let (_, k1) = b.upsert(&work("w1", &["Ann Lee"])).unwrap();
    b.commit().unwrap();
    store.replace_people(&[row(k1, 0, "p1")], "{}", &last_word).unwrap();
    store.add_curation("merge", 0, "t", "", r#"{"people":["p1","p7"],"mentions":[]}"#).unwrap();
    let b = store.batch().unwrap();
    assert!(b.person_id_taken("p1").unwrap(), "held by a person");
    assert!(b.person_id_taken("p7").unwrap() && !b.person_exists("p7").unwrap(), "named by a curation only");
    assert!(!b.person_id_taken("p9").unwrap() && !b.person_id_taken("p").unwrap());
}

#[test]
fn a_merged_persons_label_free_person_of_a_name_is_the_one_writing_it_most_and_the_survivor_on_a_tie() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut b = store.batch().unwrap();
    let keys: Vec<i64> = ["Ann Lee", "A. Lee", "Ann Lee", "Ann Lee", "A. Lee"]
        .iter()
        .enumerate()
        .map(|(i, a)| b.upsert(&work(&format!("w{i}"), &[a])).unwrap().1)
        .collect();
    b.commit().unwrap();
    let owners = ["p1", "p2", "p2", "p2", "p2"];
    let rows: Vec<PersonMention> = keys.iter().zip(owners).map(|(&k, p)| row(k, 0, p)).collect();
    store.replace_people(&rows, "{}", &last_word).unwrap();
    // A curator merged p2 into p1: p1 holds all five; p2 wrote "Ann Lee" twice, p1 once.
    let mut b = store.batch().unwrap();
    for (&k, name) in keys[1..].iter().zip(["a. lee", "ann lee", "ann lee", "a. lee"]) {
        b.set_person(k, 0, "p1", name, "lee").unwrap();
        b.set_raw_person(k, 0, "p2").unwrap();
    }
    assert_eq!(b.raw_person_of_curated("p1", "lee", "ann lee").unwrap().as_deref(), Some("p2"), "2 against 1");
    // One each (another curation took one of p2's away), though p2 has more papers in all: the survivor keeps it.
    b.set_person(keys[3], 0, "p3", "ann lee", "lee").unwrap();
    assert_eq!(b.raw_person_of_curated("p1", "lee", "ann lee").unwrap(), None);
    assert_eq!(b.raw_person_of_curated("p1", "lee", "a. lee").unwrap().as_deref(), Some("p2"), "only p2 writes it");
}
