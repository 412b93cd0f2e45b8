//! The stages that read lines and write lines (see the crate doc). `build` has its own module.

use crate::lines::{order_of, MentionLine, PersonLine, RecordLine, WorkLine};
use crate::BatchError;
use arrow_engine::{version_keys as keys_of, version_links as links, Arrow, Candidate};
use arrow_ingest::Item;
use arrow_model::Work;
use arrow_store::Store;
use std::collections::HashMap;
use std::io::{BufRead, Write};

/// Reads JSON lines of type `T`, numbering them for messages.
pub(crate) fn read_lines<T: serde::de::DeserializeOwned>(
    input: impl BufRead,
) -> impl Iterator<Item = Result<T, BatchError>> {
    input.lines().enumerate().filter_map(|(i, line)| {
        let line = match line {
            Ok(l) => l,
            Err(e) => return Some(Err(BatchError::Io(e))),
        };
        if line.trim().is_empty() {
            return None;
        }
        Some(from_line(&line).map_err(|e| BatchError::line(i as u64 + 1, e)))
    })
}

/// A line's JSON, after any tab-separated key fields the driver put in front (JSON text has no raw tabs).
fn from_line<T: serde::de::DeserializeOwned>(line: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(line.rsplit('\t').next().unwrap_or(line))
}

/// Reads lines `KEY<TAB>[FIELD<TAB>]JSON`, where KEY is a number the driver assigned (a component, a batch) and
/// FIELD, when there is one, a string (a block).
fn read_keyed<T: serde::de::DeserializeOwned>(
    input: impl BufRead,
) -> impl Iterator<Item = Result<(i64, String, T), BatchError>> {
    input.lines().enumerate().filter_map(|(i, line)| {
        let line = match line {
            Ok(l) => l,
            Err(e) => return Some(Err(BatchError::Io(e))),
        };
        if line.trim().is_empty() {
            return None;
        }
        let n = i as u64 + 1;
        let fields: Vec<&str> = line.split('\t').collect();
        let parsed = fields[0]
            .parse::<i64>()
            .ok()
            .filter(|_| fields.len() >= 2)
            .ok_or_else(|| BatchError::line(n, "expected a number and a tab before the JSON"))
            .and_then(|k| {
                let field = if fields.len() > 2 { fields[1].to_string() } else { String::new() };
                Ok((k, field, from_line(&line).map_err(|e| BatchError::line(n, e))?))
            });
        Some(parsed)
    })
}

/// Writes `KEY<TAB>KEY...<TAB>JSON`: the keys let the driver route a line without parsing its JSON.
pub(crate) fn write_keyed(
    out: &mut impl Write,
    keys: &[&dyn std::fmt::Display],
    value: &impl serde::Serialize,
) -> Result<(), BatchError> {
    for k in keys {
        write!(out, "{k}\t")?;
    }
    write_line(out, value)
}

pub(crate) fn write_line(out: &mut impl Write, value: &impl serde::Serialize) -> Result<(), BatchError> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Parses the files named on `input` (`FILE_INDEX<TAB>PATH` lines; `.gz`/`.xz` read as in `arrow ingest`) and
/// writes one [`RecordLine`] per record. A bad record becomes `{"error": "FILE:LINE: reason"}` and parsing goes
/// on at the next record; a file that cannot be opened or recognised is one such error. DBLP person records
/// (`www` entries of dblp.xml) are counted in `{"persons": N}` and not carried.
pub fn parse(input: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let (index, path) = line
            .split_once('\t')
            .and_then(|(i, p)| Some((i.parse::<u64>().ok()?, p)))
            .ok_or_else(|| BatchError::line(n as u64 + 1, "expected FILE_INDEX<TAB>PATH"))?;
        let items = match arrow_ingest::parse_path_items(path, None, None) {
            Ok((_, items)) => items,
            Err(e) => {
                write_keyed(&mut out, &[&"E"], &serde_json::json!({ "error": e.to_string() }))?;
                continue;
            }
        };
        let (mut record, mut persons) = (0u64, 0u64);
        for item in items {
            match item {
                Ok(Item::Work(r)) => {
                    let mut k = arrow_store::identifier_values(&r.work.ids);
                    k.push(format!("id:{}", r.work.id.0));
                    let o = order_of(index, record);
                    record += 1;
                    let keys = k.join("\u{1f}");
                    write_keyed(&mut out, &[&"R", &o, &keys], &RecordLine { o, line: r.line, k, c: o, w: r.work })?;
                }
                Ok(Item::Person(_)) => persons += 1,
                Err(e) => write_keyed(&mut out, &[&"E"], &serde_json::json!({ "error": e.to_string() }))?,
            }
        }
        if persons > 0 {
            write_keyed(&mut out, &[&"P"], &serde_json::json!({ "persons": persons }))?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A store in a temporary directory, removed when dropped.
struct TempStore {
    dir: std::path::PathBuf,
    store: Option<Store>,
}

impl TempStore {
    fn open() -> Result<TempStore, BatchError> {
        let unique = format!(
            "arrow-merge-{}-{}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
        );
        let dir = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&dir)?;
        let store = Store::open(&dir.join("merge.sqlite"))?;
        Ok(TempStore { dir, store: Some(store) })
    }
}

impl Drop for TempStore {
    fn drop(&mut self) {
        self.store = None;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Records per store transaction in `merge`.
const MERGE_BATCH: usize = 20_000;

/// Merges records into works exactly as `arrow ingest` stores them: every record of an identifier component
/// must be in this input, in order. The records go through the store's own upsert (a temporary store), so the
/// works, their ids and their merged values are the single-node ones. Writes one [`WorkLine`] per work, without
/// abstract and provenance (later stages do not need them; `build` stores the records themselves).
pub fn merge(input: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    let mut temp = TempStore::open()?;
    let store = temp.store.as_mut().ok_or_else(|| std::io::Error::other("store closed"))?;
    store.begin_bulk()?;
    // Store key -> (order of the record that made the work, its component).
    let mut made: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut lines = read_keyed::<RecordLine>(input).peekable();
    while lines.peek().is_some() {
        let mut batch = store.batch()?;
        for r in lines.by_ref().take(MERGE_BATCH) {
            let (c, _, mut r) = r?;
            r.c = c;
            let (outcome, key) = batch.upsert_at(&r.w, 0)?;
            if outcome == arrow_store::Outcome::Added {
                made.insert(key, (r.o, r.c));
            }
        }
        batch.commit()?;
    }
    let mut failed = None;
    store.for_each_work(|key, mut w| {
        if failed.is_some() {
            return;
        }
        let Some(&(o, c)) = made.get(&key) else {
            failed = Some(std::io::Error::other(format!("work {} was made by no record", w.id)));
            return;
        };
        w.abstract_text = None;
        w.provenance.clear();
        if let Err(e) = write_keyed(&mut out, &[&o, &c, &w.id.0.clone()], &WorkLine { o, c, w }) {
            failed = Some(std::io::Error::other(e.to_string()));
        }
    })?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    out.flush()?;
    Ok(())
}

/// Writes each authorship of the works read ([`WorkLine`]s) as `BLOCK<TAB>SUB-BLOCK<TAB>PART<TAB>ORDER<TAB>SLOT<TAB>`
/// and a [`MentionLine`]: the keys the driver needs to split giant blocks as single-node Arrow does
/// (`arrow_engine::sub_block`).
pub fn mentions(input: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    for w in read_lines::<WorkLine>(input) {
        let w = w?;
        for (slot, m) in arrow_engine::work_mentions(&w.w).into_iter().enumerate() {
            let b = arrow_disambig::block_key(&m.name);
            let sub = arrow_engine::sub_block(&b, &m.name);
            let part = arrow_engine::sub_block_part(&sub, &m);
            let s = slot as u32;
            write_keyed(
                &mut out,
                &[&b, &sub, &part, &w.o, &s],
                &MentionLine { b: b.clone(), o: w.o, c: w.c, s, t: 0, m },
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Disambiguates whole batches: the input holds lines `BATCH<TAB>BLOCK<TAB>MentionLine` with every mention of each
/// of its batches, sorted by (batch, block, work order, slot), the order in which single-node Arrow hands a batch
/// to the label model; BLOCK is the mention's block or, in a giant block, its sub-block. Writes one
/// `P<TAB>WORK<TAB>COMPONENT<TAB>`[`PersonLine`] and `N<TAB>ORDER<TAB>SLOT<TAB>PERSON<TAB>WORK<TAB>NAME` (NAME a JSON
/// string)
/// per mention and, per batch, `{"model": JSON, "mentions": N, "batch": T}`.
pub fn people(input: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    let config = arrow_disambig::Config { threads: 1, ..arrow_disambig::Config::default() };
    let mut batch: Vec<MentionLine> = Vec::new();
    let run = |batch: &mut Vec<MentionLine>, out: &mut dyn Write| -> Result<(), BatchError> {
        if batch.is_empty() {
            return Ok(());
        }
        let mentions: Vec<arrow_disambig::Mention> = batch.iter().map(|l| l.m.clone()).collect();
        let blocks: Vec<String> = batch.iter().map(|l| l.b.clone()).collect();
        let a = arrow_disambig::disambiguate_in(&mentions, Some(&blocks), &config);
        let mut out = out;
        for (l, person) in batch.iter().zip(a.person) {
            // The name, for the pass over names written otherwise (see readings.rs).
            let name = serde_json::to_string(&l.m.name).map_err(std::io::Error::from)?;
            writeln!(out, "N\t{}\t{}\t{person}\t{}\t{name}", l.o, l.s, l.m.work)?;
            let row = PersonLine { work: l.m.work.clone(), position: l.m.position, person, slot: l.s };
            write_keyed(&mut out, &[&"P", &row.work, &l.c], &row)?;
        }
        let model = serde_json::to_string(&a.model).map_err(std::io::Error::from)?;
        let n = batch.len();
        write_keyed(&mut out, &[&"M", &n], &serde_json::json!({ "model": model, "mentions": n, "batch": batch[0].t }))?;
        batch.clear();
        Ok(())
    };
    for line in read_keyed::<MentionLine>(input) {
        let (t, b, mut line) = line?;
        line.t = t as u64;
        line.b = b;
        if batch.last().is_some_and(|l| l.t != line.t) {
            run(&mut batch, &mut out)?;
        }
        batch.push(line);
    }
    run(&mut batch, &mut out)?;
    out.flush()?;
    Ok(())
}

/// Writes each work's title blocking keys as `HASH<TAB>{"o": ORDER, "c": COMPONENT, "w": WORK}` (the work cut to
/// what the version rule compares), one line per key.
pub fn version_keys(input: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    for w in read_lines::<WorkLine>(input) {
        let w = w?;
        let keys = keys_of(&w.w.title);
        if keys.is_empty() {
            continue;
        }
        let slim = Work {
            id: w.w.id,
            title: w.w.title,
            year: w.w.year,
            venue: w.w.venue,
            authors: w.w.authors,
            ..Work::default()
        };
        for (h, _) in keys {
            write_keyed(&mut out, &[&h], &serde_json::json!({ "o": w.o, "c": w.c, "w": slim }))?;
        }
    }
    out.flush()?;
    Ok(())
}

/// One title bucket: every entry of one key hash over the whole input.
#[derive(serde::Deserialize)]
struct Bucket {
    h: u64,
    e: Vec<BucketEntry>,
}

#[derive(serde::Deserialize)]
struct BucketEntry {
    o: i64,
    c: i64,
    w: Work,
}

/// Reads title buckets (`{"h": HASH, "e": [{"o", "c", "w"}...]}`, every entry of that hash) and writes the pairs
/// of works that are versions of one paper, `{"a": ORDER, "b": ORDER, "ia": ID, "ib": ID, "ca": COMPONENT,
/// "cb": COMPONENT}`, by the rule of `arrow versions`.
pub fn version_links(input: impl BufRead, mut out: impl Write) -> Result<(), BatchError> {
    for b in read_lines::<Bucket>(input) {
        let b = b?;
        if !arrow_engine::bucket_compared(b.e.len()) {
            continue;
        }
        let mut entries = b.e;
        entries.sort_by_key(|e| e.o);
        entries.dedup_by_key(|e| e.o);
        let works: Vec<(i64, Candidate)> = entries.iter().map(|e| (e.o, Candidate::of(&e.w))).collect();
        for (i, j) in links(&works, |k| arrow_engine::hash_key(k) == b.h) {
            let (x, y) = (&entries[i], &entries[j]);
            write_line(
                &mut out,
                &serde_json::json!({ "a": x.o, "b": y.o, "ia": x.w.id.0, "ib": y.w.id.0, "ca": x.c, "cb": y.c }),
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Prints the settings a distributed run must share with single-node Arrow to give its results:
/// `{"batch_mentions": N, "max_block_mentions": N}`.
pub fn settings(mut out: impl Write) -> Result<(), BatchError> {
    let s = serde_json::json!({
        "batch_mentions": arrow_engine::DISAMBIG_BATCH,
        "max_block_mentions": arrow_engine::max_block_mentions(),
    });
    write_line(&mut out, &s)?;
    out.flush()?;
    Ok(())
}

/// Writes every authorship's person of a data directory as `people.jsonl` has them, sorted.
pub fn dump_people(arrow: &Arrow, mut out: impl Write) -> Result<(), BatchError> {
    let mut positions: HashMap<String, Vec<u32>> = HashMap::new();
    arrow.for_each_work(|w| {
        let p = w.authors.iter().enumerate().map(|(i, a)| a.position.unwrap_or(i as u32 + 1)).collect();
        positions.insert(w.id.0, p);
    })?;
    let mut rows: Vec<PersonLine> = arrow
        .people_rows()?
        .into_iter()
        .map(|r| {
            let position = positions.get(&r.work).and_then(|p| p.get(r.slot as usize)).copied().unwrap_or(r.slot + 1);
            PersonLine { work: r.work, position, person: r.person, slot: r.slot }
        })
        .collect();
    rows.sort();
    for r in rows {
        write_line(&mut out, &r)?;
    }
    out.flush()?;
    Ok(())
}

/// Writes every work's id and content hash (`{"id", "hash"}`), sorted by id.
pub fn dump_works(arrow: &Arrow, mut out: impl Write) -> Result<(), BatchError> {
    let mut rows = arrow.work_hashes()?;
    rows.sort();
    for (id, hash) in rows {
        write_line(&mut out, &serde_json::json!({ "id": id, "hash": hash }))?;
    }
    out.flush()?;
    Ok(())
}

/// Writes every version group (work ids, sorted), one JSON array a line, sorted.
pub fn dump_versions(arrow: &Arrow, mut out: impl Write) -> Result<(), BatchError> {
    for g in arrow.version_groups_by_id()? {
        write_line(&mut out, &g)?;
    }
    out.flush()?;
    Ok(())
}
