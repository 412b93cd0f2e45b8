//! The ingest pipeline: a parser thread feeds records to the store in transactions; each stored change
//! goes to the index writer, whose own threads build segments. Parsing, storing and indexing overlap.

use crate::{Arrow, EngineError};
use arrow_ingest::{Format, Item, Items, ParseError, ParserThread, Records};
use arrow_store::{DblpPerson, Outcome};
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Records per store transaction by default: large enough to amortise the commit, small enough that a
/// crash loses little work (everything committed before it stays).
pub const DEFAULT_BATCH: usize = 20_000;
/// Records between index commits during a long ingest (each commit writes a segment).
const INDEX_BATCH: usize = 1_000_000;
const KEPT_ERRORS: usize = 20;

#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// Forces a format instead of detecting it from the content.
    pub format: Option<Format>,
    /// Goes on past bad records, counting and reporting them, instead of stopping at the first.
    pub skip_bad: bool,
    /// Records per store transaction.
    pub batch_size: usize,
    /// A full re-import: afterwards, removes the records of the ingested sources that the input no
    /// longer has. Only done when the whole ingest succeeded.
    pub delete_missing: bool,
    /// Once people exist, new and changed works join them one at a time; past this many in one ingest, the rest
    /// wait, and one full disambiguation at the end places them all (see [`IngestReport::people_rerun`]).
    pub place_people_up_to: usize,
}

/// Works an ingest places among people one at a time before a full run is cheaper: one at a time costs a few
/// milliseconds a work on a large store (155 works a second into 745,000 works), a full run a few minutes.
pub const PLACE_PEOPLE_UP_TO: usize = 20_000;

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            format: None,
            skip_bad: false,
            batch_size: DEFAULT_BATCH,
            delete_missing: false,
            place_people_up_to: PLACE_PEOPLE_UP_TO,
        }
    }
}

/// What an ingest did.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct IngestReport {
    pub read: usize,
    pub added: usize,
    pub updated: usize,
    /// Records that joined a work another source already had (same DOI, arXiv id or DBLP key).
    pub merged: usize,
    pub unchanged: usize,
    pub skipped: usize,
    /// Works removed (or rebuilt without a source) by `delete_missing`.
    pub deleted: usize,
    /// DBLP person records read, added or changed, and removed by `delete_missing`.
    pub persons: usize,
    pub persons_changed: usize,
    pub persons_deleted: usize,
    /// Authorships of new or changed works that joined an existing person (only once disambiguation has run).
    pub joined_people: usize,
    /// Of those, the ones that shared nothing with their person and joined it on a rare name alone, as a full run
    /// joins a rare name's clusters.
    pub joined_on_rare_name: usize,
    /// Of those, the ones that joined a person writing their name otherwise in another block (family name first,
    /// a shortened double surname, "ue" for "ü"; see `readings.rs`).
    pub joined_on_reading: usize,
    /// Authorships of new or changed works that started a new person.
    pub new_people: usize,
    /// Curations that no longer hold as asked after this ingest's people were assigned (see `curate.rs`).
    pub curation_conflicts: Vec<crate::CurationConflict>,
    /// People found anew by a full disambiguation at the end, because the ingest brought more works than
    /// [`IngestOptions::place_people_up_to`]: the number of people after it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people_rerun: Option<usize>,
    /// The first bad records, as `FILE:LINE: reason`.
    pub errors: Vec<String>,
    /// The first records stored otherwise than they came, as `FILE:LINE: what was done` (a BibTeX key or RIS id
    /// that another paper holds: see `local_ids.rs`).
    pub warnings: Vec<String>,
    /// Whether a record read with `delete_missing` had an id of one file only (see `local_ids.rs`).
    #[serde(skip)]
    pub local_ids_seen: bool,
    pub timings: Timings,
}

/// Where an ingest's time went. Parsing runs on its own thread and tantivy indexes on its own threads,
/// so these overlap: `parse` is the parser thread's busy time, `store` the time in SQLite writes, `index`
/// the time the ingest waited on the index writer (handing documents over and committing), including the
/// end of a load, where the index's last merges run beside the rebuild of the store's name index. Of that end,
/// `finish` is its whole length (the last commit, then merges and names side by side) and `names` the name index's
/// rebuild.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct Timings {
    pub parse_seconds: f64,
    pub store_seconds: f64,
    pub index_seconds: f64,
    pub names_seconds: f64,
    pub finish_seconds: f64,
}

impl IngestReport {
    fn absorb(&mut self, other: IngestReport) {
        self.read += other.read;
        self.added += other.added;
        self.updated += other.updated;
        self.merged += other.merged;
        self.unchanged += other.unchanged;
        self.skipped += other.skipped;
        self.persons += other.persons;
        self.persons_changed += other.persons_changed;
        self.joined_people += other.joined_people;
        self.joined_on_rare_name += other.joined_on_rare_name;
        self.joined_on_reading += other.joined_on_reading;
        self.new_people += other.new_people;
        self.timings.parse_seconds += other.timings.parse_seconds;
        self.timings.store_seconds += other.timings.store_seconds;
        self.timings.index_seconds += other.timings.index_seconds;
        self.timings.names_seconds += other.timings.names_seconds;
        self.timings.finish_seconds += other.timings.finish_seconds;
        for e in other.errors {
            if self.errors.len() < KEPT_ERRORS {
                self.errors.push(e);
            }
        }
        self.local_ids_seen |= other.local_ids_seen;
        for w in other.warnings {
            if self.warnings.len() < KEPT_ERRORS {
                self.warnings.push(w);
            }
        }
    }
}

/// Receives progress; the CLI draws a bar from it. Methods are called from the ingesting thread.
pub trait Progress {
    fn start(&self, _path: &str, _format: Format, _size: Option<u64>) {}
    fn advance(&self, _records: u64, _bytes: u64) {}
    fn finish(&self, _report: &IngestReport) {}
}

pub(crate) struct NoProgress;
impl Progress for NoProgress {}

impl Arrow {
    /// Ingests each path in turn (`-` is standard input). Stops at the first bad record unless
    /// `skip_bad`; what was committed before stays.
    pub fn ingest_paths(
        &self,
        paths: &[String],
        opts: &IngestOptions,
        progress: &dyn Progress,
    ) -> Result<IngestReport, EngineError> {
        if opts.delete_missing {
            if let Some(p) = paths.iter().find(|p| *p == "-" || p.starts_with("/dev/") || p.starts_with("/proc/")) {
                // What --delete-missing drops is told by the file's name, and a stream has none of its own.
                return Err(EngineError::BadRequest(format!(
                    "--delete-missing drops what a file held before and holds no longer, told by its name; {p} has \
                     none: save it as a file and ingest that"
                )));
            }
            self.store().begin_seen()?;
        }
        let placing = self.placing()?;
        let loaded = self.load(|writer| {
            let mut total = IngestReport::default();
            for path in paths {
                let bytes = Arc::new(AtomicU64::new(0));
                let (format, records) = arrow_ingest::parse_path_items(path, opts.format, Some(bytes.clone()))?;
                let size = std::fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| m.len());
                progress.start(path, format, size);
                // A DBLP XML file is all of DBLP, whatever its name (dumps are named by their date).
                let file = Some(if format == Format::DblpXml { DBLP_DUMP.to_string() } else { file_name(path) });
                let mut report = self.ingest_counted(path, file, records, opts, progress, &bytes, writer, &placing)?;
                // Bytes read and not one record: most likely another format than the one named (an API's empty
                // answer is a few bytes of structure, and is read as what it is).
                if report.read + report.persons + report.skipped == 0 && bytes.load(Ordering::Relaxed) > 0 {
                    let how = if opts.format.is_some() { "as named with --format" } else { "as detected" };
                    report.warnings.push(format!(
                        "{path}: no record found, read as {} ({how}); if it holds records, name its format with \
                         --format ({})",
                        format.name(),
                        Format::names()
                    ));
                }
                progress.finish(&report);
                total.absorb(report);
            }
            Ok(total)
        });
        // Works stored without their people are placed now, whether or not the ingest went to its end.
        let rerun = if placing.deferred.get() { Some(self.disambiguate()?) } else { None };
        let mut report = loaded?;
        if let Some(run) = &rerun {
            report.people_rerun = Some(run.people as usize);
            report.curation_conflicts.clone_from(&run.curation_conflicts);
        }
        if opts.delete_missing && report.local_ids_seen {
            return Err(EngineError::BadRequest(
                "--delete-missing drops the works of a source that a full re-import no longer lists, and BibTeX keys \
                 and RIS ids (also converted to JSON lines) name entries of one file only: it would drop every other \
                 file's works. The records read were stored and nothing was deleted; ingest such files without \
                 --delete-missing, and remove works with `arrow delete`"
                    .into(),
            ));
        }
        if opts.delete_missing && report.skipped > 0 {
            // A record that could not be read (a file cut short, say) is not one the source dropped.
            let first = report.errors.first().map(|e| format!(" (the first: {e})")).unwrap_or_default();
            return Err(EngineError::BadRequest(format!(
                "--delete-missing: {} records could not be read and were skipped{first}, so what the file holds is not \
                 known; the records read were stored and nothing was deleted. Fix the file and ingest it again",
                report.skipped
            )));
        }
        let mut placed_after = 0;
        if opts.delete_missing {
            let removed = self.store().delete_unseen()?;
            if removed.kept_other_files > 0 {
                report.warnings.push(format!(
                    "--delete-missing left {} records of the same format read from other files (or stored by an \
                     older Arrow and not read since): it drops only what a file read held before and holds no longer; \
                     remove others with `arrow delete`",
                    removed.kept_other_files
                ));
            }
            report.deleted = removed.changes.len();
            report.persons_deleted = removed.dblp_persons;
            let rebuilt: Vec<i64> = removed.changes.iter().filter(|c| c.work.is_some()).map(|c| c.key).collect();
            let assigned = self.assign_keys(&rebuilt)?;
            placed_after = assigned.joined_people + assigned.new_people;
            report.joined_people += assigned.joined_people;
            report.joined_on_rare_name += assigned.joined_on_rare_name;
            report.joined_on_reading += assigned.joined_on_reading;
            report.new_people += assigned.new_people;
            self.apply_changes(&removed.changes)?;
        }
        // New and changed works joined people one mention at a time: curators' corrections hold over them too.
        if (rerun.is_none() && report.joined_people + report.new_people > 0) || placed_after > 0 {
            report.curation_conflicts = self.apply_curations()?;
        }
        Ok(report)
    }

    /// Removes works by id (a record deleted upstream); returns how many existed.
    pub fn delete(&self, ids: &[String]) -> Result<usize, EngineError> {
        let mut keys = Vec::new();
        {
            let mut store = self.store();
            let mut batch = store.batch()?;
            for id in ids {
                if let Some((key, _)) = batch.key_and_id(id)? {
                    batch.delete_key(key)?;
                    keys.push(key);
                }
            }
            batch.commit()?;
        }
        let changes: Vec<arrow_store::Change> =
            keys.iter().map(|&key| arrow_store::Change { seq: 0, key, work: None }).collect();
        self.apply_changes(&changes)?;
        Ok(keys.len())
    }

    fn apply_changes(&self, changes: &[arrow_store::Change]) -> Result<(), EngineError> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut writer = self.index().writer()?;
        for c in changes {
            match &c.work {
                Some(w) => writer.put(c.key, w, true)?,
                None => writer.delete(c.key)?,
            }
        }
        writer.commit(self.store().seq()?)?;
        writer.finish()?;
        self.index().reload()?;
        Ok(())
    }

    /// Ingests already-opened records (from any parser).
    pub fn ingest_records(
        &self,
        records: Records<'static>,
        opts: &IngestOptions,
        progress: &dyn Progress,
    ) -> Result<IngestReport, EngineError> {
        let items: Items<'static> = Box::new(records.map(|r| r.map(Item::Work)));
        let placing = self.placing()?;
        let loaded = self.load(|writer| {
            self.ingest_counted("records", None, items, opts, progress, &AtomicU64::new(0), writer, &placing)
        });
        let rerun = if placing.deferred.get() { Some(self.disambiguate()?) } else { None };
        let mut report = loaded?;
        report.people_rerun = rerun.map(|r| r.people as usize);
        Ok(report)
    }

    /// Runs a load: the store in bulk mode if it starts empty (its name index dropped, rebuilt after, also after a
    /// failure: what was committed stays and must be findable by name), and one index writer for all of it,
    /// committed once at the end. (A writer per file stalled the store thread on every file's final merge.) A stop
    /// at a bad record still commits what the store committed; any other failure drops the writer, and the index
    /// catches up from the store when it is next opened.
    fn load(
        &self,
        load: impl FnOnce(&mut arrow_index::IndexWriter) -> Result<IngestReport, EngineError>,
    ) -> Result<IngestReport, EngineError> {
        // The writer first: should it fail (another process holds the index), the store is left as it was.
        let mut writer = self.index().writer()?;
        let bulk = self.store().begin_bulk()?;
        if bulk {
            writer.bulk();
        }
        let result = load(&mut writer);
        let t = Instant::now();
        let committed = match result {
            Ok(_) | Err(EngineError::Parse(_)) => Some(
                self.store()
                    .seq()
                    .map_err(EngineError::from)
                    .and_then(|seq| writer.commit(seq).map_err(EngineError::from))
                    .map(|()| writer),
            ),
            _ => None,
        };
        let index_ok = matches!(committed, Some(Ok(_)));
        // tantivy's last merges and SQLite's name index are independent: build them side by side. The name index is
        // rebuilt whatever happened to the load or the index: what the store committed must be findable by name.
        let (merged, named, names_seconds) = std::thread::scope(|scope| {
            let merging = scope.spawn(move || match committed {
                Some(Ok(writer)) => writer.finish().map_err(EngineError::from),
                Some(Err(e)) => Err(e),
                None => Ok(()),
            });
            let n = Instant::now();
            let named = if bulk { self.store().end_bulk() } else { Ok(()) };
            let names_seconds = n.elapsed().as_secs_f64();
            (merging.join(), named, names_seconds)
        });
        named?;
        merged.unwrap_or_else(|_| {
            Err(EngineError::Io { path: "index merge thread".into(), source: std::io::Error::other("panicked") })
        })?;
        if index_ok {
            self.index().reload()?;
        }
        let mut report = result?;
        let finish_seconds = t.elapsed().as_secs_f64();
        report.timings.index_seconds += finish_seconds;
        report.timings.finish_seconds += finish_seconds;
        report.timings.names_seconds += names_seconds;
        Ok(report)
    }

    /// One input through the pipeline: its items are parsed on their own thread and applied in store
    /// transactions of `batch_size`. A bad record stops it (unless `skip_bad`) after committing what came
    /// before; a parser that panics is an error too, never the end of the input.
    #[allow(clippy::too_many_arguments)]
    fn ingest_counted(
        &self,
        input: &str,
        file: Option<String>,
        items: Items<'static>,
        opts: &IngestOptions,
        progress: &dyn Progress,
        bytes: &AtomicU64,
        writer: &mut arrow_index::IndexWriter,
        placing: &Placing,
    ) -> Result<IngestReport, EngineError> {
        let parser =
            ParserThread::spawn(items).map_err(|e| EngineError::Io { path: "parser thread".into(), source: e })?;
        let mut run = Run {
            path: input,
            file,
            local_ids: Default::default(),
            opts,
            writer,
            // Once people exist, new and changed works get theirs in the same transaction as the works.
            assigner: if placing.deferred.get() { None } else { self.assigner()? },
            placing,
            changed: Vec::new(),
            report: IngestReport::default(),
            store_time: Duration::ZERO,
            index_time: Duration::ZERO,
        };
        let mut pending: Vec<Result<Item, ParseError>> = Vec::new();
        let mut since_index_commit = 0usize;
        let batch_size = opts.batch_size.max(1);
        let stop = loop {
            fill_batch(&parser, &mut pending, batch_size);
            if pending.is_empty() {
                break None;
            }
            let take = pending.len().min(batch_size);
            let (seq, stop) = self.commit_batch(&mut run, pending.drain(..take))?;
            if stop.is_some() {
                break stop;
            }
            since_index_commit += batch_size;
            if since_index_commit >= INDEX_BATCH {
                let t = Instant::now();
                run.writer.commit(seq)?;
                run.index_time += t.elapsed();
                since_index_commit = 0;
            }
            progress.advance(run.report.read as u64, bytes.load(Ordering::Relaxed));
        };
        let mut report = run.report;
        placing.stored.set(placing.stored.get() + report.added + report.updated + report.merged);
        let parse_time = parser.join(input).map_err(EngineError::ParserFailed)?;
        report.timings = Timings {
            parse_seconds: parse_time.as_secs_f64(),
            store_seconds: run.store_time.as_secs_f64(),
            index_seconds: run.index_time.as_secs_f64(),
            ..Timings::default()
        };
        progress.advance(report.read as u64, bytes.load(Ordering::Relaxed));
        match stop {
            Some(e) => Err(EngineError::Parse(e)),
            None => Ok(report),
        }
    }

    /// Applies items in one store transaction and commits it, with the people of its new and changed works.
    /// Returns the committed sequence number and, if a bad record stopped it, that record's error (what came
    /// before it is committed).
    fn commit_batch(
        &self,
        run: &mut Run<'_>,
        items: impl Iterator<Item = Result<Item, ParseError>>,
    ) -> Result<(i64, Option<ParseError>), EngineError> {
        let mut store = self.store();
        let mut batch = store.batch()?;
        let mut stop = None;
        for item in items {
            match item {
                Ok(item) => run.apply(&mut batch, item)?,
                Err(e) if run.opts.skip_bad => {
                    run.report.skipped += 1;
                    if run.report.errors.len() < KEPT_ERRORS {
                        run.report.errors.push(e.to_string());
                    }
                }
                Err(e) => {
                    stop = Some(e);
                    break;
                }
            }
        }
        let t = Instant::now();
        let stored = run.placing.stored.get() + run.report.added + run.report.updated + run.report.merged;
        if run.assigner.is_some() && stored > run.opts.place_people_up_to {
            // Too many to place one at a time: a full run at the end places them (and these) at once.
            run.assigner = None;
            run.changed.clear();
            run.placing.deferred.set(true);
        }
        if let Some(a) = &run.assigner {
            a.assign_keys(&mut batch, &mut run.changed, &mut run.report)?;
        } else if run.placing.deferred.get() {
            batch.note_people_pending()?;
        }
        let seq = batch.commit()?;
        run.store_time += t.elapsed();
        Ok((seq, stop))
    }
}

/// Takes chunks from the parser until a store transaction's worth is pending or the input ends.
fn fill_batch(parser: &ParserThread<Result<Item, ParseError>>, pending: &mut Vec<Result<Item, ParseError>>, n: usize) {
    while pending.len() < n {
        match parser.chunks().recv() {
            Ok(chunk) => pending.extend(chunk),
            Err(_) => break,
        }
    }
}

/// The name of an input as provenance notes it: the file's own name (a directory may move), `-` for standard input.
fn file_name(path: &str) -> String {
    std::path::Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The name every DBLP XML file is noted under: each is all of DBLP (see [`arrow_store::Store::delete_unseen`]).
const DBLP_DUMP: &str = "DBLP XML";

impl Arrow {
    /// How an ingest starts placing people: one work at a time, or, when an earlier ingest stored works without
    /// theirs and was stopped before its full run, by a full run at the end that places those too.
    fn placing(&self) -> Result<Placing, EngineError> {
        let placing = Placing::default();
        if self.store().people_pending()? {
            tracing::warn!("an earlier ingest stopped before placing its works among people: a full run places them");
            placing.deferred.set(true);
        }
        Ok(placing)
    }
}

/// How an ingest places its works among people, across its files (see [`IngestOptions::place_people_up_to`]).
#[derive(Default)]
struct Placing {
    /// New and changed works of the files before this one.
    stored: std::cell::Cell<usize>,
    /// Placing one at a time stopped: a full run at the end places every work.
    deferred: std::cell::Cell<bool>,
}

/// The state of one input's ingest, carried from transaction to transaction.
struct Run<'a> {
    /// The input, as its records' locations name it.
    path: &'a str,
    /// The name its records' provenance notes (see [`file_name`]).
    file: Option<String>,
    placing: &'a Placing,
    /// The ids of one file only (BibTeX keys, RIS ids) its records were stored under so far.
    local_ids: std::collections::HashSet<String>,
    opts: &'a IngestOptions,
    writer: &'a mut arrow_index::IndexWriter,
    assigner: Option<crate::assign::Assigner>,
    /// Works stored since the last assignment of people.
    changed: Vec<i64>,
    report: IngestReport,
    store_time: Duration,
    index_time: Duration,
}

impl Run<'_> {
    /// One parsed item into the open transaction, and its work to the index writer.
    fn apply(&mut self, batch: &mut arrow_store::Batch<'_>, item: Item) -> Result<(), EngineError> {
        let report = &mut self.report;
        match item {
            Item::Person(p) => {
                report.persons += 1;
                if self.opts.delete_missing {
                    batch.mark_dblp_person_seen(&p.key)?;
                }
                let person = DblpPerson { key: p.key, names: p.names, orcid: p.orcid, urls: p.urls };
                let t = Instant::now();
                if batch.upsert_dblp_person(&person)? != Outcome::Unchanged {
                    report.persons_changed += 1;
                }
                self.store_time += t.elapsed();
            }
            Item::Work(mut record) => {
                report.read += 1;
                if let Some(p) = record.work.provenance.first_mut() {
                    p.file.clone_from(&self.file);
                }
                if let Some(message) = crate::local_ids::keep_apart(batch, &mut record.work, &mut self.local_ids)? {
                    if report.warnings.len() < KEPT_ERRORS {
                        report.warnings.push(format!("{}:{}: {message}", self.path, record.line));
                    }
                }
                if self.opts.delete_missing {
                    report.local_ids_seen |= crate::local_ids::is_local(&record.work.id.0);
                    batch.mark_seen(&record.work)?;
                }
                let t = Instant::now();
                let (outcome, key) = batch.upsert(&record.work)?;
                self.store_time += t.elapsed();
                let t = Instant::now();
                if outcome != Outcome::Unchanged {
                    self.changed.push(key);
                }
                match outcome {
                    Outcome::Added => {
                        report.added += 1;
                        self.writer.put(key, &record.work, false)?;
                    }
                    Outcome::Updated | Outcome::Merged => {
                        // The stored work may differ from this record (merged with other sources).
                        let stored = batch.work_by_key(key)?;
                        if outcome == Outcome::Merged {
                            report.merged += 1;
                        } else {
                            report.updated += 1;
                        }
                        self.writer.put(key, &stored, true)?;
                    }
                    Outcome::Unchanged => report.unchanged += 1,
                }
                self.index_time += t.elapsed();
            }
        }
        Ok(())
    }
}
